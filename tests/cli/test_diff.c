/*
 * test_diff.c - `kmemsim diff`: the figures against SQL over the same
 * databases, the ranking, caches of one side, a run against itself, and bad
 * input.
 *
 * Strategy: the embedded default scenario run twice (SLAB and SLUB, about a
 * second each), `kmemsim diff --format json` read back with cJSON, and every
 * figure checked for a few caches against a query written here.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

static char *dir, *slab_db, *slub_db;

static void setup(void)
{
	dir = helper_tmpdir();
	cr_assert(not(eq(ptr, slab_db = helper_default_db(dir, "slab"), NULL)));
	cr_assert(not(eq(ptr, slub_db = helper_default_db(dir, "slub"), NULL)));
}

static void teardown(void)
{
	free(slab_db);
	free(slub_db);
	helper_rmtree(dir);
}

static cJSON *diff_json(const char *a, const char *b, const char *top)
{
	const char *argv[] = { "kmemsim", "diff", a, b, "--format", "json", "--top", top, NULL };
	char *out = NULL, *err = NULL;
	cJSON *j;

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
	j = cJSON_Parse(out);
	cr_assert(not(eq(ptr, j, NULL)), "not JSON: %.200s", out);
	free(out);
	free(err);
	return j;
}

/* The row of `cache` and `run` in table `caches`. */
static cJSON *row(cJSON *j, const char *cache, const char *run)
{
	cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "caches"))
		if (!strcmp(cJSON_GetObjectItem(r, "cache")->valuestring, cache) &&
		    !strcmp(cJSON_GetObjectItem(r, "run")->valuestring, run))
			return r;
	return NULL;
}

static double num(cJSON *r, const char *col)
{
	cJSON *v = cJSON_GetObjectItem(r, col);

	cr_assert(cJSON_IsNumber(v), "%s is not a number", col);
	return v->valuedouble;
}

static int64_t q(const char *db, const char *fmt, const char *cache)
{
	char sql[1024];

	snprintf(sql, sizeof(sql), fmt, cache, cache);
	return helper_db_int(db, sql);
}

/* Every figure of a cache's A and B rows is what SQL says of its own database. */
static void check_cache(cJSON *j, const char *cache)
{
	static const char *const dbs_run[2] = { "A", "B" };
	const char *dbs[2] = { slab_db, slub_db };

	for (int s = 0; s < 2; s++) {
		cJSON *r = row(j, cache, dbs_run[s]);
		const char *ops = "FROM v_ops WHERE kind LIKE 'obj_%%' AND cache = (SELECT id FROM caches WHERE name = '%s')";
		char sql[1024];
		int64_t n, allocs, p99;

		cr_assert(not(eq(ptr, r, NULL)), "no row %s %s", cache, dbs_run[s]);
		snprintf(sql, sizeof(sql), "SELECT count(*) %s", ops);
		n = q(dbs[s], sql, cache);
		cr_expect(eq(dbl, num(r, "ops"), (double)n), "%s %s ops", cache, dbs_run[s]);
		snprintf(sql, sizeof(sql), "SELECT sum(latency_ns) %s", ops);
		cr_expect(eq(dbl, num(r, "busy_ns"), (double)q(dbs[s], sql, cache)), "%s busy", cache);
		snprintf(sql, sizeof(sql), "SELECT sum(lock_wait_ns) %s", ops);
		cr_expect(eq(dbl, num(r, "lock_wait_ns"), (double)q(dbs[s], sql, cache)), "%s lock wait", cache);
		snprintf(sql, sizeof(sql), "SELECT count(*) %s AND kind = 'obj_alloc'", ops);
		allocs = q(dbs[s], sql, cache);
		snprintf(sql, sizeof(sql), "SELECT count(*) %s AND kind = 'obj_alloc' AND level = 1", ops);
		cr_expect(fabs(num(r, "l1_pct") - 100.0 * (double)q(dbs[s], sql, cache) / (double)allocs) < 0.051,
			  "%s l1_pct %f", cache, num(r, "l1_pct"));
		/* p99: the exact one by sorting, the digest's rounded down by at most 1/64 */
		snprintf(sql, sizeof(sql), "SELECT latency_ns %s ORDER BY latency_ns LIMIT 1 OFFSET %lld", ops,
			 (long long)((n * 99 + 99) / 100 - 1));
		p99 = q(dbs[s], sql, cache);
		cr_expect(num(r, "p99_ns") <= (double)p99 && num(r, "p99_ns") >= (double)p99 * 63.0 / 64.0,
			  "%s p99 %f, exact %lld", cache, num(r, "p99_ns"), (long long)p99);
		snprintf(sql, sizeof(sql), "SELECT num_slabs * pagesperslab FROM slabinfo WHERE final AND name = '%s'",
			 cache);
		cr_expect(eq(dbl, num(r, "slab_pages_final"), (double)q(dbs[s], sql, cache)), "%s pages", cache);
	}
}

Test(diff, figures_match_sql_and_rank_by_busy_time, .init = setup, .fini = teardown, .timeout = 60)
{
	cJSON *j = diff_json(slab_db, slub_db, "0"), *r;
	double last = INFINITY;
	int nr_delta = 0;

	check_cache(j, "kmalloc-64");
	check_cache(j, "kmalloc-1k");
	/* B-A rows: B minus A, ranked by |busy_ns| nonincreasing */
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "caches")) {
		const char *cache = cJSON_GetObjectItem(r, "cache")->valuestring;

		if (strcmp(cJSON_GetObjectItem(r, "run")->valuestring, "B-A"))
			continue;
		cr_expect(eq(dbl, num(r, "busy_ns"), num(row(j, cache, "B"), "busy_ns") - num(row(j, cache, "A"), "busy_ns")));
		cr_expect(fabs(num(r, "busy_ns")) <= last, "%s out of order", cache);
		last = fabs(num(r, "busy_ns"));
		nr_delta++;
	}
	cr_expect(lt(int, 20, nr_delta));
	/* SLAB has no kmalloc-8: it is listed as B's only, and has no A figures */
	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "one_side"))
		if (!strcmp(cJSON_GetObjectItem(r, "cache")->valuestring, "kmalloc-8"))
			break;
	cr_assert(not(eq(ptr, r, NULL)), "kmalloc-8 not in one_side");
	cr_expect(eq(str, cJSON_GetObjectItem(r, "only_in")->valuestring, "B"));
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(row(j, "kmalloc-8", "A"), "ops")));
	cr_expect(eq(ptr, row(j, "kmalloc-8", "B-A"), NULL));
	/* zones: page allocations of the zone in each run */
	r = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "zones"), 0);
	cr_assert(not(eq(ptr, r, NULL)));
	{
		char sql[256];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND mem_node = %d"
			 " AND zone = (CASE '%s' WHEN 'DMA' THEN 0 WHEN 'DMA32' THEN 1 WHEN 'Normal' THEN 2 ELSE 3 END)",
			 (int)num(r, "node"), cJSON_GetObjectItem(r, "zone")->valuestring);
		cr_expect(eq(dbl, num(r, "page_allocs"), (double)helper_db_int(slab_db, sql)));
	}
	cJSON_Delete(j);
}

Test(diff, a_run_against_itself_differs_nowhere, .init = setup, .fini = teardown, .timeout = 60)
{
	cJSON *j = diff_json(slub_db, slub_db, "5"), *r;
	int rows = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(j, "caches")) {
		rows++;
		if (strcmp(cJSON_GetObjectItem(r, "run")->valuestring, "B-A"))
			continue;
		cr_expect(eq(dbl, num(r, "ops"), 0));
		cr_expect(eq(dbl, num(r, "busy_ns"), 0));
		if (!cJSON_IsNull(cJSON_GetObjectItem(r, "p99_ns")))	/* NULL: no operations */
			cr_expect(eq(dbl, num(r, "p99_ns"), 0));
	}
	cr_expect(eq(int, rows, 15), "--top 5: three rows per cache");
	cr_expect(eq(int, cJSON_GetArraySize(cJSON_GetObjectItem(j, "one_side")), 0));
	cJSON_Delete(j);
}

Test(diff, table_and_bad_input, .init = setup, .fini = teardown, .timeout = 60)
{
	char *txt = helper_write_file(dir, "not.db", "hello\n"), *out = NULL, *err = NULL;
	const char *table[] = { "kmemsim", "diff", slab_db, slub_db, "--top", "1", NULL };
	const char *bad_db[] = { "kmemsim", "diff", slab_db, txt, NULL };
	const char *bad_fmt[] = { "kmemsim", "diff", slab_db, slub_db, "--format", "xml", NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, table, &out, NULL), 0));
	cr_expect(not(eq(ptr, strstr(out, "caches, largest difference in busy time first (1 of "), NULL)), "%s", out);
	cr_expect(not(eq(ptr, strstr(out, "kmalloc-8        B"), NULL)), "%s", out);
	free(out);
	cr_expect(eq(int, helper_run_kmemsim(NULL, bad_db, &out, &err), 2));
	cr_expect(eq(str, out, ""));
	cr_expect(not(eq(ptr, strstr(err, "not.db"), NULL)), "%s", err);
	cr_expect(eq(ptr, strchr(err, '\n'), err + strlen(err) - 1), "one line: %s", err);
	free(out);
	free(err);
	cr_expect(eq(int, helper_run_kmemsim(NULL, bad_fmt, NULL, &err), 2));
	cr_expect(not(eq(ptr, strstr(err, "--format"), NULL)), "%s", err);
	free(err);
	free(txt);
}
