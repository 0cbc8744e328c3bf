/*
 * test_slabinfo.c - SLUB and SLAB as the run driver, the database and the
 * report commands see them: counters in the database against the path log,
 * /proc/slabinfo and /sys/kernel/slab layouts, exact windows, SLAB and SLUB
 * on one scenario, determinism through the CLI, --allocator, and the
 * scenario's slab keys.
 *
 * Strategy: one small contended run per test (4 vCPUs, remote frees,
 * interrupts, named caches), then SQL over its database and the reports'
 * text.  Windows are checked two ways: [0, t) + [t, end) = the whole run, and
 * a window's alloc_fastpath equals the fast-path allocations begun in it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <criterion/redirect.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"
#include "sim/cli/slabinfo.h"
#include "models/slab_common/slab_common.h"

static const char mixed_json[] =
	"{\n"
	"  \"name\": \"test-slab\",\n"
	"  \"seed\": 5,\n"
	"  \"allocator\": \"slub\",\n"
	"  \"snapshot_interval_us\": 50,\n"
	"  \"caches\": [ { \"name\": \"test_obj\", \"size\": 200, \"flags\": \"SLAB_HWCACHE_ALIGN\" },\n"
	"               { \"name\": \"test_alias\", \"size\": 196, \"flags\": \"SLAB_HWCACHE_ALIGN\" } ],\n"
	"  \"workload\": { \"streams\": [\n"
	"    { \"ops\": 600, \"think_ns\": 50, \"irq_pct\": 10, \"remote_free_pct\": 20, \"lifetime\": [1, 200],\n"
	"      \"sizes\": { \"64\": 3, \"192\": 2, \"1024\": 1 } },\n"
	"    { \"ops\": 300, \"cache\": \"test_obj\", \"lifetime\": [1, 100], \"burst\": 4, \"remote_free_pct\": 30 },\n"
	"    { \"cpu\": 3, \"ops\": 200, \"sizes\": { \"512\": 1 }, \"node\": 0, \"irq_pct\": 0 } ] }\n"
	"}\n";

static char *dir, *scenario;

static void setup(void)
{
	dir = helper_tmpdir();
	scenario = helper_write_file(dir, "mixed.json", mixed_json);
}

static void teardown(void)
{
	free(scenario);
	helper_rmtree(dir);
}

static char *path_in(const char *name)
{
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

/* sim_run of `scen` into db (allocator < 0: the scenario's); stats into st when not NULL. */
static int run_to(const char *scen, const char *db, int allocator, struct sim_run_stats *st, FILE *err)
{
	FILE *null = fopen("/dev/null", "w");
	struct sim_run_opts o = { .scenario_path = scen, .db_path = db, .quiet = true, .stats = st };
	int rc;

	if (allocator >= 0) {
		o.allocator_set = true;
		o.allocator = allocator;
	}
	rc = sim_run(&o, null, err ? err : null);
	fclose(null);
	return rc;
}

/* What a report prints into a string. */
__attribute__((noinline)) static char *capture_slabstat(const char *db, const char *cache, const char *stat,
			      const struct sim_slab_window *w, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*rc = sim_slabstat_print(db, cache, stat, w, out, stderr);
	fclose(out);
	return text;
}

__attribute__((noinline)) static char *capture_slabinfo(const char *db, const struct sim_slab_window *w, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	*rc = sim_slabinfo_print(db, w, out, stderr);
	fclose(out);
	return text;
}

TestSuite(slabinfo, .init = setup, .fini = teardown);

/* ---------------------------------------------------------- counters */

Test(slabinfo, counters_in_the_database_equal_the_path_log)
{
	char *db = path_in("c.db");
	struct sim_run_stats st;

	cr_assert(eq(int, run_to(scenario, db, -1, &st, NULL), 0));
	cr_assert(eq(u64, st.nr_violations, 0));
	cr_assert(eq(u64, st.wl.nr_live, 0));
	/* every bump was logged: the unpacked log sums to the final per-CPU counters */
	cr_assert(lt(i64, 20, helper_db_int(db, "SELECT count(*) FROM slub_stats")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM (SELECT cache, cpu, item, sum(n) FROM"
					" v_stat_bumps GROUP BY 1, 2, 3 EXCEPT SELECT cache, cpu, item, n FROM slub_stats)"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM (SELECT cache, cpu, item, n FROM slub_stats"
					" EXCEPT SELECT cache, cpu, item, sum(n) FROM v_stat_bumps GROUP BY 1, 2, 3)"), 0));
	/* counters bumped inside operations agree with the labels those operations passed */
	static const struct { const char *stat, *label; } pairs[] = {
		{ "alloc_fastpath", "slab_alloc_node:fastpath" },
		{ "free_fastpath", "do_slab_free:fastpath" },
		{ "alloc_slab", "___slab_alloc:alloc_slab" },
		{ "alloc_refill", "___slab_alloc:get_freelist" },
		{ "cpu_partial_alloc", "___slab_alloc:cpu_partial_alloc" },
		{ "free_frozen", "__slab_free:frozen" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *a = NULL, *b = NULL;
		int64_t na, nb;

		cr_assert(asprintf(&a, "SELECT coalesce(sum(n), 0) FROM v_stat_bumps b JOIN stat_items i"
				   " ON i.allocator = 'slub' AND i.item = b.item WHERE b.seq IS NOT NULL"
				   " AND i.name = '%s'", pairs[i].stat) > 0);
		cr_assert(asprintf(&b, "SELECT count(*) FROM sig_labels l JOIN v_ops o ON o.sig = l.sig"
				   " WHERE l.label = '%s'", pairs[i].label) > 0);
		na = helper_db_int(db, a);
		nb = helper_db_int(db, b);
		cr_assert(eq(i64, na, nb), "%s vs %s", pairs[i].stat, pairs[i].label);
		free(a);
		free(b);
	}
	cr_assert(lt(i64, 1000, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc' AND level = 1")));
	/* the level of every fast-path allocation is L1, and the view gives each cache's shares */
	cr_assert(eq(i64, helper_db_int(db, "SELECT round(l1_pct + l2_pct + l3_pct + l4_pct + l5_pct)"
					" FROM v_cache_levels WHERE name = 'kmalloc-64' AND kind = 'obj_alloc'"), 100));
	/* tables of the slab layer */
	cr_assert(eq(i64, helper_db_int(db, "SELECT cache FROM cache_aliases WHERE name = 'test_alias'"),
		     helper_db_int(db, "SELECT id FROM caches WHERE name = 'test_obj'")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT aliases FROM caches WHERE name = 'test_obj'"), 1));
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM slab_events WHERE event = 'new'")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM slab_events WHERE event = 'new'"),
		     helper_db_int(db, "SELECT coalesce(sum(n), 0) FROM v_stat_bumps WHERE item = 8 AND seq IS NOT NULL")));
	cr_assert(lt(i64, 3, helper_db_int(db, "SELECT count(DISTINCT time_ns) FROM slabinfo WHERE NOT final")));
	free(db);
}

/* --------------------------------------------------------- layouts */

/* Lines copied from /work/shared/traces/debian-6.1.192-4cpu-2node/slabinfo_final (a real
 * Debian 6.1.192 SLUB kernel's /proc/slabinfo). */
static const char real_header[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	" : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
static const char *const real_lines[] = {
	"bio-128               21     21    192   21    1 : tunables    0    0    0 : slabdata      1      1      0",
	"kmalloc-rcl-64        64     64     64   64    1 : tunables    0    0    0 : slabdata      1      1      0",
	"kmalloc-cg-8        1536   1536      8  512    1 : tunables    0    0    0 : slabdata      3      3      0",
	"dma-kmalloc-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0",
};

/* A line re-printed with cache_show's format from its own fields equals itself. */
static bool slub_line_ok(const char *line)
{
	char name[64], again[512];
	unsigned long a, n, as, ns, sa;
	unsigned int size, per, l, b, s;
	int pages;

	if (sscanf(line, "%63s %lu %lu %u %u %d : tunables %u %u %u : slabdata %lu %lu %lu",
		   name, &a, &n, &size, &per, &pages, &l, &b, &s, &as, &ns, &sa) != 12)
		return false;
	snprintf(again, sizeof(again), "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu",
		 name, a, n, size, per, pages, l, b, s, as, ns, sa);
	return !strcmp(again, line);
}

Test(slabinfo, slub_slabinfo_has_the_kernel_layout)
{
	char *db = path_in("l.db"), *text, *line, *save = NULL;
	int rc, nr = 0;

	for (size_t i = 0; i < sizeof(real_lines) / sizeof(real_lines[0]); i++)
		cr_assert(slub_line_ok(real_lines[i]), "%s", real_lines[i]);
	cr_assert(eq(int, run_to(scenario, db, -1, NULL, NULL), 0));
	text = capture_slabinfo(db, NULL, &rc);
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(int, strncmp(text, real_header, strlen(real_header)), 0), "%s", text);
	for (line = strtok_r(text + strlen(real_header), "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		cr_assert(slub_line_ok(line), "%s", line);
		nr++;
	}
	/* every cache once (aliases are not caches), newest first */
	cr_assert(eq(i64, nr, helper_db_int(db, "SELECT count(*) FROM caches")));
	free(text);
	text = capture_slabinfo(db, NULL, &rc);
	cr_assert(eq(int, strncmp(text + strlen(real_header), "test_obj ", 9), 0), "%s", text);
	cr_assert(not(eq(ptr, strstr(text, "\nkmalloc-64 "), NULL)));
	free(text);
	free(db);
}

Test(slabinfo, slab_slabinfo_has_statistics_columns)
{
	char *db = path_in("s.db"), *text;
	int rc;
	regex_t re;

	cr_assert(eq(int, run_to(scenario, db, SIM_ALLOC_SLAB, NULL, NULL), 0));
	text = capture_slabinfo(db, NULL, &rc);
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(int, strncmp(text, "slabinfo - version: 2.1 (statistics)\n# name            <active_objs>", 66), 0));
	cr_assert(not(eq(ptr, strstr(text, " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error>"
				      " <maxfreeable> <nodeallocs> <remotefrees> <alienoverflow>"
				      " : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n"), NULL)));
	/* mm/slab.c slabinfo_show_stats: " : globalstat %7lu %6lu %5lu %4lu x5" " : cpustat %6lu x4" */
	cr_assert(eq(int, regcomp(&re, "\nkmalloc-64 +[0-9]+ +[0-9]+ +64 +[0-9]+ +1 : tunables +120 +60 +8"
				  " : slabdata +[0-9]+ +[0-9]+ +[0-9]+ : globalstat +[0-9]{3,} +[0-9]+ +[0-9]+"
				  "( +[0-9]+){6} : cpustat +[0-9]{3,} +[0-9]+ +[0-9]{3,} +[0-9]+\n", REG_EXTENDED), 0));
	cr_assert(eq(int, regexec(&re, text, 0, NULL, 0), 0), "%s", text);
	regfree(&re);
	/* the final counters are those of the model, and a whole-run window sums to them */
	free(text);
	{
		struct sim_slab_window w = { .from_set = true, .from_ns = 0 };
		char *all = capture_slabinfo(db, NULL, &rc), *win = capture_slabinfo(db, &w, &rc);

		cr_assert(eq(int, rc, 0));
		cr_assert(eq(str, win, all));
		free(all);
		free(win);
	}
	free(db);
}

/* A SLAB window with no operation in it counts zero for every cache, the newest (highest id)
 * included; the high-water marks (maxobjs, maxfreeable) are the state's, as without one. */
Test(slabinfo, slab_window_after_the_run_counts_zero_for_every_cache)
{
	char *db = path_in("z.db"), *text, *all, *p, *q;
	struct sim_slab_window w = { .from_set = true };
	int rc, nr = 0;

	cr_assert(eq(int, run_to(scenario, db, SIM_ALLOC_SLAB, NULL, NULL), 0));
	w.from_ns = (uint64_t)helper_db_int(db, "SELECT max(end_ns) FROM v_ops") + 1;
	text = capture_slabinfo(db, &w, &rc);
	cr_assert(eq(int, rc, 0));
	all = capture_slabinfo(db, NULL, &rc);
	cr_assert(eq(int, rc, 0));
	/* past the two header lines, the caches in the same order; the newest first (the
	 * kernel walks slab_caches from its head) */
	p = strchr(strchr(text, '\n') + 1, '\n') + 1;
	q = strchr(strchr(all, '\n') + 1, '\n') + 1;
	cr_assert(eq(int, strncmp(p, "test_obj ", 9), 0), "%s", text);
	for (; *p && *q; p = strchr(p, '\n') + 1, q = strchr(q, '\n') + 1, nr++) {
		const char *stats = strstr(p, " : globalstat ");
		unsigned long g[9], c[4];

		cr_assert(not(eq(ptr, (void *)stats, NULL)));
		cr_assert(eq(int, sscanf(stats, " : globalstat %lu %lu %lu %lu %lu %lu %lu %lu %lu"
					 " : cpustat %lu %lu %lu %lu", &g[0], &g[1], &g[2], &g[3], &g[4], &g[5],
					 &g[6], &g[7], &g[8], &c[0], &c[1], &c[2], &c[3]), 13), "%s", p);
		for (int i = 0; i < 9; i++)	/* but maxobjs and maxfreeable */
			cr_assert(i == 1 || i == 5 || g[i] == 0, "globalstat %d of %.40s", i, p);
		for (int i = 0; i < 4; i++)
			cr_assert(eq(u64, c[i], 0), "cpustat %d of %.40s", i, p);
		/* the name, the state columns and the high-water marks: as without a window */
		cr_assert(eq(int, strncmp(p, q, (size_t)(stats - p)), 0), "%.80s", p);
		cr_assert(eq(int, sscanf(strstr(q, " : globalstat "), " : globalstat %*u %lu %*u %*u %*u %lu",
					 &c[0], &c[1]), 2));
		cr_assert(eq(u64, g[1], c[0]));
		cr_assert(eq(u64, g[5], c[1]));
	}
	cr_assert(eq(int, *p, *q));
	cr_assert(lt(int, 10, nr));
	free(text);
	free(all);
	free(db);
}

/* -------------------------------------------------------- slabstat */

static uint64_t stat_total(const char *text)
{
	return strtoull(text, NULL, 10);
}

/* C<cpu>=<n> of a show_stat line, 0 when absent. */
static uint64_t stat_cpu(const char *text, int cpu)
{
	char key[16];
	const char *p;

	snprintf(key, sizeof(key), " C%d=", cpu);
	p = strstr(text, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

Test(slabinfo, slabstat_format_and_exact_windows)
{
	char *db = path_in("w.db"), *text;
	int rc;
	regex_t re;
	int64_t end = 0;

	cr_assert(eq(int, run_to(scenario, db, -1, NULL, NULL), 0));
	end = helper_db_int(db, "SELECT max(end_ns) FROM v_ops");
	text = capture_slabstat(db, "kmalloc-64", "alloc_fastpath", NULL, &rc);
	cr_assert(eq(int, rc, 0));
	/* mm/slub.c show_stat: "%lu" then " C%d=%u" for CPUs with a count, then "\n" */
	cr_assert(eq(int, regcomp(&re, "^[0-9]+( C[0-3]=[1-9][0-9]*)+\n$", REG_EXTENDED), 0));
	cr_assert(eq(int, regexec(&re, text, 0, NULL, 0), 0), "%s", text);
	regfree(&re);
	cr_assert(eq(u64, stat_total(text), stat_cpu(text, 0) + stat_cpu(text, 1) + stat_cpu(text, 2) +
		     stat_cpu(text, 3)));
	free(text);
	/* attributes as their *_show print them; an alias names its cache */
	text = capture_slabstat(db, "test_alias", "object_size", NULL, &rc);
	cr_assert(eq(str, text, "200\n"));
	free(text);
	text = capture_slabstat(db, "kmalloc-64", "order", NULL, &rc);
	cr_assert(eq(str, text, "0\n"));
	free(text);

	/* [0, t) + [t, end] = the whole run, per stat and per CPU; a window counts its ops */
	static const char *const stats[] = { "alloc_fastpath", "free_slowpath", "alloc_refill", "free_fastpath" };
	uint64_t t = (uint64_t)end / 3, t2 = 2 * (uint64_t)end / 3;

	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		struct sim_slab_window a = { .to_set = true, .to_ns = t };
		struct sim_slab_window b = { .from_set = true, .from_ns = t };
		char *all = capture_slabstat(db, "kmalloc-64", stats[i], NULL, &rc);
		char *x = capture_slabstat(db, "kmalloc-64", stats[i], &a, &rc);
		char *y = capture_slabstat(db, "kmalloc-64", stats[i], &b, &rc);

		cr_assert(eq(int, rc, 0));
		for (int cpu = 0; cpu < 4; cpu++)
			cr_assert(eq(u64, stat_cpu(x, cpu) + stat_cpu(y, cpu), stat_cpu(all, cpu)), "%s", stats[i]);
		cr_assert(lt(u64, 0, stat_total(x)), "%s", stats[i]);
		free(all);
		free(x);
		free(y);
	}
	{
		struct sim_slab_window w = { .from_set = true, .from_ns = t, .to_set = true, .to_ns = t2 };
		char *sql = NULL;

		text = capture_slabstat(db, "kmalloc-64", "alloc_fastpath", &w, &rc);
		cr_assert(asprintf(&sql, "SELECT count(*) FROM v_ops o JOIN sig_labels l ON l.sig = o.sig"
				   " JOIN caches c ON c.id = o.cache WHERE c.name = 'kmalloc-64'"
				   " AND l.label = 'slab_alloc_node:fastpath' AND o.time_ns >= %llu AND o.time_ns < %llu",
				   (unsigned long long)t, (unsigned long long)t2) > 0);
		cr_assert(eq(i64, (int64_t)stat_total(text), helper_db_int(db, sql)));
		cr_assert(lt(u64, 0, stat_total(text)));
		free(sql);
		free(text);
	}
	free(db);
}

Test(slabinfo, slabstat_bad_arguments)
{
	char *db = path_in("b.db"), *text;
	int rc;

	cr_assert(eq(int, run_to(scenario, db, -1, NULL, NULL), 0));
	cr_redirect_stderr();
	text = capture_slabstat(db, "no-such-cache", "order", NULL, &rc);
	cr_assert(eq(int, rc, SIM_EBADINPUT));
	free(text);
	text = capture_slabstat(db, "kmalloc-64", "no_such_stat", NULL, &rc);
	cr_assert(eq(int, rc, SIM_EBADINPUT));
	free(text);
	free(db);
}

/* ---------------------------------------------------- both allocators */

/*
 * The extra invariant checked with the allocators' own: the allocator running is the one
 * asked for, and every cache's /proc/slabinfo numbers hold together as the kernel's
 * get_slabinfo makes them (mm/slub.c and mm/slab.c): active objects <= objects, which are
 * <= slabs x objects per slab (SLUB: a slab of a fallback order holds fewer; SLAB: equal),
 * active slabs <= slabs.  It counts its calls: the run must call it at every check.
 */
static const char *extra_allocator;
static uint64_t extra_calls;

static bool extra_ok(FILE *why)
{
	const struct slab_allocator *a = slab_current();
	bool ok = true;

	extra_calls++;
	if (!a || strcmp(a->name, extra_allocator)) {
		fprintf(why, "allocator %s running, %s asked for", a ? a->name : "none", extra_allocator);
		return false;
	}
	for (int id = 0; id < slab_nr_caches(); id++) {
		struct slab_cache_info ci;

		if (!slab_cache(id))
			continue;
		a->info(slab_cache(id), &ci);
		if (ci.active_objs > ci.num_objs || ci.num_objs > ci.num_slabs * ci.objs_per_slab ||
		    ci.active_slabs > ci.num_slabs ||
		    (!strcmp(a->name, "slab") && ci.num_objs != ci.num_slabs * ci.objs_per_slab)) {
			fprintf(why, "cache %s: %lu/%lu objects, %lu/%lu slabs of %u", ci.name ? ci.name : "?",
				ci.active_objs, ci.num_objs, ci.active_slabs, ci.num_slabs, ci.objs_per_slab);
			ok = false;
		}
	}
	return ok;
}

Test(slabinfo, one_scenario_runs_on_slub_and_slab_and_keeps_the_invariants)
{
	for (int a = SIM_ALLOC_SLUB; a <= SIM_ALLOC_SLAB; a++) {
		char *db = path_in(a == SIM_ALLOC_SLUB ? "u.db" : "a.db");
		struct sim_run_stats st;
		FILE *null = fopen("/dev/null", "w");
		struct sim_run_opts o = { .scenario_path = scenario, .db_path = db, .quiet = true,
					  .stats = &st, .allocator_set = true, .allocator = a,
					  .extra_check = extra_ok };
		extra_allocator = a == SIM_ALLOC_SLUB ? "slub" : "slab";
		extra_calls = 0;
		cr_assert(eq(int, sim_run(&o, null, stderr), 0));
		fclose(null);
		cr_assert(eq(u64, st.nr_violations, 0));
		cr_assert(ge(u64, st.nr_checks, 1));
		cr_assert(eq(u64, extra_calls, st.nr_checks), "the extra check ran at every check");
		cr_assert(eq(u64, st.wl.nr_live, 0));
		cr_assert(eq(u64, st.wl.nr_free, st.wl.nr_alloc));
		cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM violations"), 0));
		cr_assert(eq(i64, helper_db_int(db, a == SIM_ALLOC_SLUB ? "SELECT allocator = 'slub' FROM runs" :
						"SELECT allocator = 'slab' FROM runs"), 1));
		/* the same requests on both: as many object operations */
		cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc'"),
			     (int64_t)st.wl.nr_alloc));
		if (a == SIM_ALLOC_SLAB)
			cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM slab_events WHERE event = 'grow'"
							" AND colour IS NOT NULL")));
		free(db);
	}
}

/* ---------------------------------------------------------------- CLI */

Test(slabinfo, multi_vcpu_slub_run_is_deterministic_through_the_cli)
{
	char *a = path_in("d1.db"), *b = path_in("d2.db"), *c = path_in("d3.db");
	const char *argv1[] = { "kmemsim", "run", scenario, "--db", a, "--quiet", NULL };
	const char *argv2[] = { "kmemsim", "run", scenario, "--db", b, "--quiet", NULL };
	const char *argv3[] = { "kmemsim", "run", scenario, "--db", c, "--quiet", "--seed", "6", NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv1, NULL, NULL), 0));
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv2, NULL, NULL), 0));
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv3, NULL, NULL), 0));
	cr_assert(eq(i64, helper_db_int(a, "SELECT nr_cpus FROM runs"), 4));
	cr_assert(not(eq(u64, helper_db_hash(a), 0)));
	cr_assert(eq(u64, helper_db_hash(a), helper_db_hash(b)));
	cr_assert(not(eq(u64, helper_db_hash(a), helper_db_hash(c))));
	free(a);
	free(b);
	free(c);
}

Test(slabinfo, allocator_option_overrides_the_scenario)
{
	char *db = path_in("o.db"), *out = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "run", scenario, "--db", db, "--allocator", "slab", "--quiet", NULL };
	const char *bad[] = { "kmemsim", "run", scenario, "--allocator", "slob", NULL };
	const char *info[] = { "kmemsim", "slabinfo", db, "--to", "60us", NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, NULL), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT allocator = 'slab' FROM runs"), 1));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM caches WHERE allocator = 'slab'"),
		     helper_db_int(db, "SELECT count(*) FROM caches")));
	cr_assert(eq(int, helper_run_kmemsim(NULL, info, &out, &err), 0));
	cr_assert(eq(int, strncmp(out, "slabinfo - version: 2.1 (statistics)\n", 37), 0));
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(NULL, bad, &out, &err), 2));
	cr_assert(eq(str, err, "kmemsim run: --allocator: expected slub, slab or buddy, got \"slob\"\n"));
	free(out);
	free(err);
	free(db);
}

/* ------------------------------------------------------- bad slab keys */

struct bad_slab {
	char text[320];
	char line[256];
	int when;			/* 0: at load (sim_scenario_parse), 1: at run time (sim_run) */
};

static const struct bad_slab bad_slabs[] = {
	{ "{\"slub\": {\"max_order\": 11}}",
	  "bad.json:1: slub.max_order: expected an integer in 0..10, got 11", 0 },
	{ "{\"slub\": {\"min_objects\": \"many\"}}",
	  "bad.json:1: slub.min_objects: expected a non-negative integer, got \"many\"", 0 },
	{ "{\"slub\": {\"cpu_partial\": 4}}",	/* CONFIG_SLUB_CPU_PARTIAL; the tunable is slub.tune */
	  "bad.json:1: slub.cpu_partial: expected true or false, got 4", 0 },
	{ "{\"slub\": {\"cpu_partal\": 4}}",
	  "bad.json:1: slub.cpu_partal: unknown key (known: min_order, max_order, min_objects,"
	  " freelist_random, freelist_hardened, cpu_partial, debug, tune)", 0 },
	{ "{\"slab\": {\"max_order\": -2}}",
	  "bad.json:1: slab.max_order: expected an integer in -1..10, got -2", 0 },
	{ "{\"slab\": {\"tune\": [{\"cache\": \"kmalloc-64\", \"limit\": 10, \"batchcount\": 20, \"shared\": 0}]}}",
	  "bad.json:1: slab.tune[0].batchcount: 20 is above limit 10", 0 },
	{ "{\"slab\": {\"tune\": [{\"cache\": \"kmalloc-64\", \"limit\": 10}]}}",
	  "bad.json:1: slab.tune[0]: missing key \"batchcount\"", 0 },
	{ "{\"caches\": [{\"name\": \"x\"}]}",
	  "bad.json:1: caches[0]: missing key \"size\"", 0 },
	{ "{\"caches\": [{\"name\": \"x\", \"size\": 64, \"flags\": \"SLAB_FAST\"}]}",
	  "bad.json:1: caches[0].flags: unknown cache flag \"SLAB_FAST\"", 0 },
	{ "{\"workload\": {\"streams\": [{\"sizes\": {\"0\": 1}}]}}",
	  "bad.json:1: workload.streams[0].sizes.0: expected a size in bytes 1..4194304 as key", 0 },
	{ "{\"allocator\": \"buddy\",\n \"workload\": {\"streams\": [{\"sizes\": {\"64\": 1}}]}}",
	  "bad.json:2: workload.streams[0]: an object stream needs allocator \"slub\" or \"slab\", not \"buddy\"", 0 },
	{ "{\"allocator\": \"slab\",\n \"slab\": {\"tune\": [{\"cache\": \"nope\", \"limit\": 1,"
	  " \"batchcount\": 1, \"shared\": 0}]}}",
	  "bad.json:2: slab.tune[0].cache: no cache \"nope\" after boot", 1 },
	{ "{\"workload\": {\"streams\": [\n {\"cache\": \"nope\"}]}}",
	  "bad.json:2: workload.streams[0].cache: no cache \"nope\" (neither in \"caches\" nor one slub creates at boot)", 1 },
};

ParameterizedTestParameters(slabinfo, bad_slab_keys)
{
	return cr_make_param_array(struct bad_slab, bad_slabs, sizeof(bad_slabs) / sizeof(bad_slabs[0]));
}

ParameterizedTest(const struct bad_slab *c, slabinfo, bad_slab_keys)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	char want[300];
	int rc;

	if (!c->when) {
		struct sim_scenario sc;

		rc = sim_scenario_parse(&sc, "bad.json", c->text, err);
		sim_scenario_free(&sc);
	} else {
		/* the file is named bad.json in the test's directory: run from there */
		char *p = helper_write_file(dir, "bad.json", c->text);
		char *cwd = getcwd(NULL, 0);

		cr_assert(eq(int, chdir(dir), 0));
		rc = run_to("bad.json", NULL, -1, NULL, err);
		cr_assert(eq(int, chdir(cwd), 0));
		free(cwd);
		free(p);
	}
	fclose(err);
	snprintf(want, sizeof(want), "%s\n", c->line);
	cr_assert(eq(int, rc, SIM_EBADINPUT));
	cr_assert(eq(str, msg, want));
	free(msg);
}

/* The first cpustat number (allochit) of `cache`'s line in a SLAB slabinfo text. */
static uint64_t slab_allochit(const char *text, const char *cache)
{
	char key[64];
	const char *line, *p;

	snprintf(key, sizeof(key), "\n%s ", cache);
	line = strstr(text, key);
	cr_assert(not(eq(ptr, (void *)line, NULL)), "no %s line", cache);
	p = strstr(line, " : cpustat ");
	cr_assert(not(eq(ptr, (void *)p, NULL)));
	return strtoull(p + strlen(" : cpustat "), NULL, 10);
}

Test(slabinfo, slab_statistics_windows_are_exact_per_operation)
{
	char *db = path_in("sw.db"), *sql = NULL, *text;
	int rc;
	int64_t end;
	uint64_t t, t2;

	cr_assert(eq(int, run_to(scenario, db, SIM_ALLOC_SLAB, NULL, NULL), 0));
	end = helper_db_int(db, "SELECT max(end_ns) FROM v_ops");
	t = (uint64_t)end / 3;
	t2 = 2 * (uint64_t)end / 3;
	{
		struct sim_slab_window w = { .from_set = true, .from_ns = t, .to_set = true, .to_ns = t2 };

		text = capture_slabinfo(db, &w, &rc);
	}
	cr_assert(eq(int, rc, 0));
	/* allochit is bumped once by each L1 allocation (____cache_alloc:allochit) */
	cr_assert(asprintf(&sql, "SELECT count(*) FROM v_ops o JOIN caches c ON c.id = o.cache"
			   " WHERE c.name = 'kmalloc-64' AND o.kind = 'obj_alloc' AND o.level = 1"
			   " AND o.time_ns >= %llu AND o.time_ns < %llu",
			   (unsigned long long)t, (unsigned long long)t2) > 0);
	cr_assert(eq(i64, (int64_t)slab_allochit(text, "kmalloc-64"), helper_db_int(db, sql)));
	cr_assert(lt(u64, 0, slab_allochit(text, "kmalloc-64")));
	free(sql);
	free(text);
	free(db);
}
