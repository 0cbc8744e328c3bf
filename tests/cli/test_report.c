/*
 * test_report.c - `kmemsim report`: the page's data against SQL over the
 * same database, a page that needs nothing from the network, two runs with
 * their diff, bad input leaving no file, and the page in a real browser.
 *
 * Strategy: the embedded default scenario (about a second); the JSON inside
 * the page read back with cJSON.  The browser test runs headless Chromium
 * (Debian's `chromium`; .ci/run installs it, the test skips visibly without
 * it) on the page, reads the DOM after the scripts ran (every chart counted
 * itself into <body data-charts-drawn>, any script error into data-errors)
 * and Chromium's console log, and saves a screenshot as
 * $KMEMSIM_BUILD_ROOT/report.png.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"

static char *dir, *slab_db, *slub_db;

static void setup(void)
{
	dir = helper_tmpdir();
	cr_assert(not(eq(ptr, slub_db = helper_default_db(dir, "slub"), NULL)));
	slab_db = NULL;
}

static void teardown(void)
{
	free(slab_db);
	free(slub_db);
	helper_rmtree(dir);
}

/* kmemsim report DBS... -o DIR/NAME; the page's text. */
static char *report(const char *a, const char *b, const char *name)
{
	char *out, *err = NULL, *page;
	const char *argv[] = { "kmemsim", "report", a, b ? b : "-o", b ? "-o" : NULL, NULL, NULL };

	cr_assert(ne(int, asprintf(&out, "%s/%s", dir, name), -1));
	argv[b ? 5 : 4] = out;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	page = helper_read_file(out);
	cr_assert(not(eq(ptr, page, NULL)));
	free(out);
	free(err);
	return page;
}

/* The JSON between <script ... id="kmemsim-data"> and </script>. */
static cJSON *page_data(const char *page)
{
	const char *start = strstr(page, "id=\"kmemsim-data\">"), *end;
	char *text;
	cJSON *j;

	cr_assert(not(eq(ptr, (void *)start, NULL)));
	start = strchr(start, '>') + 1;
	end = strstr(start, "</script>");
	cr_assert(not(eq(ptr, (void *)end, NULL)));
	text = strndup(start, (size_t)(end - start));
	j = cJSON_Parse(text);
	cr_assert(not(eq(ptr, j, NULL)), "data is not JSON: %.200s", text);
	free(text);
	return j;
}

static int64_t sum_array(cJSON *a)
{
	int64_t s = 0;
	cJSON *v;

	cJSON_ArrayForEach(v, a)
		s += (int64_t)v->valuedouble;
	return s;
}

Test(report, data_match_sql_and_the_page_is_self_contained, .init = setup, .fini = teardown, .timeout = 60)
{
	char *page = report(slub_db, NULL, "one.html"), sql[512];
	cJSON *j = page_data(page), *run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0), *c, *v;
	int64_t slow = 0;
	int l = 1;

	cr_expect(eq(int, strncmp(page, "<!DOCTYPE html>", 15), 0));
	/* nothing to fetch: no external script, style sheet or image */
	cr_expect(eq(ptr, strstr(page, "<script src"), NULL));
	cr_expect(eq(ptr, strstr(page, "<link"), NULL));
	cr_expect(eq(ptr, strstr(page, "<img"), NULL));
	cr_expect(not(eq(ptr, strstr(page, "Copyright (c) 2022 Leon Sorokin"), NULL)), "uPlot's licence");
	cr_expect(not(eq(ptr, strstr(page, "var uPlot="), NULL)), "uPlot inlined");
	cr_expect(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(run, "t_ms")), 200));
	cr_expect(lt(sz, strlen(page), (size_t)400 << 10), "a page of %zu bytes: bounded by buckets, not ops", strlen(page));
	cr_expect(eq(dbl, cJSON_GetObjectItem(cJSON_GetObjectItem(run, "run"), "ops")->valuedouble,
		     (double)helper_db_int(slub_db, "SELECT nr_ops FROM summary")));
	/* the heat map's operations at L2 or slower, all CPUs and buckets */
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(run, "cpu_slow"))
		slow += sum_array(v);
	cr_expect(eq(i64, slow, helper_db_int(slub_db, "SELECT count(*) FROM v_ops WHERE level >= 2")));
	cr_expect(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(run, "cpu_slow")), 4));
	/* the busiest cache: its allocations per level over time add up to its allocations per level */
	c = cJSON_GetArrayItem(cJSON_GetObjectItem(run, "busiest"), 0);
	cr_assert(not(eq(ptr, c, NULL)));
	cJSON_ArrayForEach(v, cJSON_GetObjectItem(c, "levels")) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM v_ops o JOIN caches c ON c.id = o.cache"
			 " WHERE o.kind = 'obj_alloc' AND o.level = %d AND c.name = '%s'", l,
			 cJSON_GetObjectItem(c, "name")->valuestring);
		cr_expect(eq(i64, sum_array(v), helper_db_int(slub_db, sql)), "L%d", l);
		l++;
	}
	cr_expect(eq(str, cJSON_GetObjectItem(c, "name")->valuestring,
		     cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(run, "caches"), 0), "name")->valuestring));
	/* no call sites in a synthetic run: said, not drawn */
	cr_expect(cJSON_IsString(cJSON_GetObjectItem(run, "callsites_note")));
	cr_expect(eq(dbl, cJSON_GetObjectItem(run, "nr_violations")->valuedouble, 0));
	cr_expect(eq(ptr, cJSON_GetObjectItem(j, "diff"), NULL));
	cJSON_Delete(j);
	free(page);
}

Test(report, two_runs_carry_their_diff, .init = setup, .fini = teardown, .timeout = 60)
{
	char *page, *out = NULL;
	const char *diff[] = { "kmemsim", "diff", NULL, NULL, "--format", "json", "--top", "0", NULL };
	cJSON *j, *d, *alone;

	cr_assert(not(eq(ptr, slab_db = helper_default_db(dir, "slab"), NULL)));
	page = report(slab_db, slub_db, "two.html");
	j = page_data(page);
	cr_expect(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(j, "runs")), 2));
	d = cJSON_GetObjectItem(j, "diff");
	cr_assert(not(eq(ptr, d, NULL)));
	/* the same tables as kmemsim diff --format json --top 0 */
	diff[2] = slab_db;
	diff[3] = slub_db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, diff, &out, NULL), 0));
	alone = cJSON_Parse(out);
	cr_expect(cJSON_Compare(d, alone, true));
	cJSON_Delete(alone);
	cJSON_Delete(j);
	free(out);
	free(page);
}

/* With call sites (table callsites, column ops.callsite, as kmemsim replay keeps them; a
 * synthetic run leaves both empty, so the test fills them), the section lists them, most slow allocations first. */
Test(report, call_sites_when_the_database_has_them, .init = setup, .fini = teardown, .timeout = 60)
{
	char *page;
	cJSON *j, *sites, *s;
	int64_t allocs = 0, last_slow = INT64_MAX;

	helper_db_int(slub_db, "INSERT INTO callsites VALUES (0, 'alloc_a+0x10/0x40'), (1, 'alloc_b+0x8/0x20'), (2, 'alloc_<c>+0x1/0x2');"
		      " UPDATE ops SET callsite = seq % 3 WHERE kind = (SELECT kind FROM op_kinds WHERE name = 'obj_alloc'); SELECT 1");
	page = report(slub_db, NULL, "sites.html");
	j = page_data(page);
	sites = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0), "callsites");
	cr_assert(cJSON_IsArray(sites), "no callsites in the data");
	cr_expect(eq(int, cJSON_GetArraySize(sites), 3));
	cJSON_ArrayForEach(s, sites) {
		allocs += (int64_t)cJSON_GetObjectItem(s, "allocs")->valuedouble;
		cr_expect(le(i64, (int64_t)cJSON_GetObjectItem(s, "slow")->valuedouble, last_slow));
		last_slow = (int64_t)cJSON_GetObjectItem(s, "slow")->valuedouble;
	}
	cr_expect(eq(i64, allocs, helper_db_int(slub_db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc'")));
	cr_expect(eq(ptr, strstr(page, "alloc_<c>"), NULL), "a < in the data is escaped");
	cJSON_Delete(j);
	free(page);
}

Test(report, bad_input_leaves_no_file, .init = setup, .fini = teardown, .timeout = 60)
{
	char *txt = helper_write_file(dir, "not.db", "hello\n"), *err = NULL, *out;
	const char *bad_db[] = { "kmemsim", "report", txt, "-o", NULL, NULL };
	const char *bad_out[] = { "kmemsim", "report", slub_db, "-o", "/nonexistent-dir/r.html", NULL };

	cr_assert(ne(int, asprintf(&out, "%s/r.html", dir), -1));
	bad_db[4] = out;
	cr_expect(eq(int, helper_run_kmemsim(NULL, bad_db, NULL, &err), 2));
	cr_expect(not(eq(ptr, strstr(err, "not a kmemsim database"), NULL)), "%s", err);
	cr_expect(ne(int, access(out, F_OK), 0), "no file at the output path");
	free(err);
	cr_expect(eq(int, helper_run_kmemsim(NULL, bad_out, NULL, &err), 2));
	cr_expect(not(eq(ptr, strstr(err, "/nonexistent-dir/r.html"), NULL)), "%s", err);
	free(err);
	free(out);
	free(txt);
}

/* `chromium` on PATH, or $KMEMSIM_CHROMIUM. */
static const char *chromium(void)
{
	const char *env = getenv("KMEMSIM_CHROMIUM");

	if (env && *env)
		return env;
	return system("command -v chromium >/dev/null 2>&1") == 0 ? "chromium" : NULL;
}

/* Open DIR/NAME in headless Chromium: every chart drew (want of them), no script error or
 * console output; the screenshot saved as SHOT under $KMEMSIM_BUILD_ROOT (else DIR). */
static void browser_check(const char *browser, const char *name, const char *shot_name, int want)
{
	const char *build = getenv("KMEMSIM_BUILD_ROOT");
	char *cmd, *dom, *log, *path, *shot, *p;
	int expected = -1, drawn = -2, errors = -1;

	cr_assert(ne(int, asprintf(&path, "%s/%s", dir, name), -1));
	cr_assert(ne(int, asprintf(&shot, "%s/%s", build && *build ? build : dir, shot_name), -1));
	cr_assert(ne(int, asprintf(&cmd, "cd '%s' && timeout 150 %s --headless --no-sandbox --disable-gpu"
				   " --no-first-run --user-data-dir='%s/profile' --hide-scrollbars"
				   " --window-size=1000,1800 --virtual-time-budget=10000 --enable-logging=stderr --v=0"
				   " --screenshot='%s' --dump-dom 'file://%s' > dom.html 2> chromium.log",
				   dir, browser, dir, shot, path), -1));
	cr_assert(eq(int, system(cmd), 0), "%s", cmd);
	free(cmd);
	cr_assert(ne(int, asprintf(&cmd, "%s/dom.html", dir), -1));
	dom = helper_read_file(cmd);
	free(cmd);
	cr_assert(ne(int, asprintf(&cmd, "%s/chromium.log", dir), -1));
	log = helper_read_file(cmd);
	free(cmd);
	cr_assert(not(eq(ptr, dom, NULL)));
	cr_assert(not(eq(ptr, log, NULL)));
	p = strstr(dom, "<body");
	cr_assert(not(eq(ptr, p, NULL)), "no body in the DOM: %.300s", dom);
	cr_expect(eq(int, sscanf(strstr(p, "data-errors=") ? strstr(p, "data-errors=") : "", "data-errors=\"%d\"", &errors), 1));
	cr_expect(eq(int, sscanf(strstr(p, "data-charts-expected=") ? strstr(p, "data-charts-expected=") : "",
				 "data-charts-expected=\"%d\"", &expected), 1));
	cr_expect(eq(int, sscanf(strstr(p, "data-charts-drawn=") ? strstr(p, "data-charts-drawn=") : "",
				 "data-charts-drawn=\"%d\"", &drawn), 1));
	cr_expect(eq(int, errors, 0), "script errors in the page");
	cr_expect(eq(int, expected, want));
	cr_expect(eq(int, drawn, expected), "%d of %d charts drew", drawn, expected);
	cr_expect(eq(ptr, strstr(log, ":CONSOLE"), NULL), "console output: %s", strstr(log, ":CONSOLE"));
	cr_expect(eq(int, access(shot, R_OK), 0), "screenshot %s", shot);
	free(dom);
	free(log);
	free(path);
	free(shot);
}

Test(report, every_chart_draws_in_headless_chromium, .init = setup, .fini = teardown, .timeout = 180)
{
	const char *browser = chromium();

	if (!browser)
		cr_skip_test("chromium is not installed (Debian package chromium; .ci/run installs it):"
			     " the report was not opened in a browser");
	free(report(slub_db, NULL, "browser.html"));
	/* 6 busiest caches, heat map, slab pages, free pages, fragmentation, lock wait */
	browser_check(browser, "browser.html", "report.png", 11);
}

/* A sweep of 3 points of a short scenario: the page of its directory (and of its summary
 * database, found by its tables) carries the tables `sweep --format json` printed, and
 * every chart (one per figure across the points) draws. */
Test(report, a_sweep_shows_its_comparison, .init = setup, .fini = teardown, .timeout = 120)
{
	const char *sw[] = { "kmemsim", "sweep", "default.json", "--vary", "slub.min_objects=0,16,64", "--set",
			     "workload.streams[0].ops=150", "--out", "sw", "--format", "json", "--quiet", NULL };
	const char *browser = chromium();
	char *out = NULL, *err = NULL, *path, *page, *page2;
	cJSON *want, *data, *data2, *points;

	free(helper_write_file(dir, "default.json", "{}"));
	cr_assert(eq(int, helper_run_kmemsim(dir, sw, &out, &err), 0), "%s", err);
	want = cJSON_Parse(out);
	cr_assert(not(eq(ptr, want, NULL)), "%s", out);
	cr_assert(ne(int, asprintf(&path, "%s/sw", dir), -1));
	page = report(path, NULL, "sweep.html");
	data = page_data(page);
	cr_assert(cJSON_Compare(cJSON_GetObjectItem(data, "sweep"), want, true), "page: %.400s\nsweep: %.400s",
		  cJSON_PrintUnformatted(cJSON_GetObjectItem(data, "sweep")), out);
	points = cJSON_GetObjectItem(cJSON_GetObjectItem(data, "sweep"), "points");
	cr_assert(eq(int, cJSON_GetArraySize(points), 3));
	cr_assert(eq(str, cJSON_GetObjectItem(cJSON_GetArrayItem(points, 2), "slub.min_objects")->valuestring, "64"));
	cr_assert(not(eq(ptr, strstr(page, "kmemsim report: a sweep of"), NULL)));
	free(path);
	cr_assert(ne(int, asprintf(&path, "%s/sw/sweep.db", dir), -1));
	page2 = report(path, NULL, "sweep2.html");
	data2 = page_data(page2);
	cr_assert(cJSON_Compare(cJSON_GetObjectItem(data2, "sweep"), want, true));
	if (!browser)
		cr_skip_test("chromium is not installed (Debian package chromium; .ci/run installs it):"
			     " the sweep's report was not opened in a browser");
	/* allocs, l1..l5 %, slab pages, refills, drains, latency, lock wait */
	browser_check(browser, "sweep.html", "report-sweep.png", 11);
	cJSON_Delete(want);
	cJSON_Delete(data);
	cJSON_Delete(data2);
	free(path);
	free(page);
	free(page2);
	free(out);
	free(err);
}
