/*
 * test_share.c - what a sweep over a trace shares between its points, and that sharing changes
 * nothing: the learning pass (and its parsed events) done once, taken over by each point's
 * replay (sim_replay_learn), gives the databases of plain replays byte for byte; --no-log
 * counts the comparison as the points run and gives the same rows, to the last bit, as the
 * queries over `ops`, in one process and in slices merged.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../helpers.h"
#include "../../sim/replay/replay.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

/* The sample trace, by its absolute path (points and plain replays record the same). */
static char *sample(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(not(eq(ptr, (void *)root, NULL)), "KMEMSIM_SOURCE_ROOT is not set");
	cr_assert(asprintf(&p, "%s/%s", root, SAMPLE) > 0);
	return p;
}

static char *run_ok(const char *dir, const char *const argv[])
{
	char *out = NULL, *err = NULL;
	int rc = helper_run_kmemsim(dir, argv, &out, &err);

	cr_assert(eq(int, rc, 0), "%s", err ? err : "");
	free(err);
	return out;
}

/* Rows of `table` in one summary database and not in the other, both ways (values compared
 * exactly: a REAL differs if one bit does); the db column (the point's path) left out. */
static int64_t rows_differing(const char *a, const char *b, const char *table, const char *cols)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *sql = NULL;
	int64_t n = -1;

	cr_assert(eq(int, sqlite3_open_v2(a, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK));
	cr_assert(asprintf(&sql, "ATTACH '%s' AS o", b) > 0);
	cr_assert(eq(int, sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK), "%s", sqlite3_errmsg(db));
	free(sql);
	cr_assert(asprintf(&sql, "SELECT (SELECT count(*) FROM (SELECT %s FROM main.%s EXCEPT SELECT %s FROM o.%s))"
			   " + (SELECT count(*) FROM (SELECT %s FROM o.%s EXCEPT SELECT %s FROM main.%s))"
			   " + abs((SELECT count(*) FROM main.%s) - (SELECT count(*) FROM o.%s))",
			   cols, table, cols, table, cols, table, cols, table, table, table) > 0);
	cr_assert(eq(int, sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK), "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(sql);
	return n;
}

#define POINT_COLS "point, vals, status, nr_allocs, l1_pct, l2_pct, l3_pct, l4_pct, l5_pct, slab_pages," \
	" refills, drains, latency_ns, lock_wait_ns"

/* Replays that take a learned state over write what a plain replay writes; a second replay of
 * the same process finds the state taken and learns by itself, to the same database. */
Test(share, learned_state_gives_the_plain_replay, .timeout = 120)
{
	char *dir = helper_tmpdir(), *trace = sample(), *plain = NULL, *shared = NULL, *again = NULL;
	struct sim_replay_opts o = { .trace = trace, .pages = SIM_REPLAY_PAGES_NON_SLAB, .quiet = true };
	struct sim_replay_learned *l = NULL;
	FILE *nul = fopen("/dev/null", "w");

	cr_assert(not(eq(ptr, nul, NULL)));
	cr_assert(asprintf(&plain, "%s/plain.db", dir) > 0 && asprintf(&shared, "%s/shared.db", dir) > 0 &&
		  asprintf(&again, "%s/again.db", dir) > 0);
	o.db_path = plain;
	cr_assert(eq(int, sim_replay(&o, nul, nul), 0));
	cr_assert(eq(int, sim_replay_learn(&o, &l, nul), 0));
	cr_assert(not(eq(ptr, l, NULL)));
	o.learned = l;
	o.db_path = shared;
	cr_assert(eq(int, sim_replay(&o, nul, nul), 0));
	o.db_path = again;
	cr_assert(eq(int, sim_replay(&o, nul, nul), 0));
	sim_replay_learned_free(l);
	cr_assert(eq(i64, helper_db_int(shared, "SELECT count(*) FROM ops"), 51196));
	cr_assert(eq(u64, helper_db_hash(shared), helper_db_hash(plain)));
	cr_assert(eq(u64, helper_db_hash(again), helper_db_hash(plain)));
	/* a trace read once (--one-pass) has nothing to learn before */
	o.one_pass = true;
	o.learned = NULL;
	cr_assert(eq(int, sim_replay_learn(&o, &l, nul), 0));
	cr_assert(eq(ptr, l, NULL));
	fclose(nul);
	free(plain);
	free(shared);
	free(again);
	free(trace);
	helper_rmtree(dir);
}

/* The points of a sweep over a trace are the replays `kmemsim replay --set` writes. */
Test(share, points_are_plain_replays, .timeout = 120)
{
	char *dir = helper_tmpdir(), *trace = sample(), *path = NULL, *point = NULL;
	const char *sw[] = { "kmemsim", "sweep", trace, "--vary", "allocator=slub,slab", "--jobs", "2", "--out", "sw",
			     "--quiet", NULL };

	free(run_ok(dir, sw));
	for (int p = 0; p < 2; p++) {
		const char *set = p ? "allocator=slab" : "allocator=slub";
		const char *rp[] = { "kmemsim", "replay", trace, "--set", set, "--db", "plain.db", "--quiet", NULL };

		free(run_ok(dir, rp));
		cr_assert(asprintf(&path, "%s/plain.db", dir) > 0 && asprintf(&point, "%s/sw/point-%03d.db", dir, p) > 0);
		cr_assert(eq(u64, helper_db_hash(point), helper_db_hash(path)), "point %d", p);
		cr_assert(eq(int, remove(path), 0));
		free(path);
		free(point);
	}
	free(trace);
	helper_rmtree(dir);
}

/* --no-log: no ops rows, the same tables (printed and stored), alone and as merged slices. */
Test(share, no_log_gives_the_same_comparison, .timeout = 180)
{
	char *dir = helper_tmpdir(), *trace = sample(), *full, *nolog, *merged, *a, *b, *m, *p0;
	const char *grid[] = { "--vary", "allocator=slub,slab", "--set", "slub.min_objects=128" };
	const char *s1[] = { "kmemsim", "sweep", trace, grid[0], grid[1], grid[2], grid[3], "--jobs", "2", "--out", "full",
			     "--quiet", "--format", "csv", NULL };
	const char *s2[] = { "kmemsim", "sweep", trace, grid[0], grid[1], grid[2], grid[3], "--jobs", "2", "--out", "full",
			     "--quiet", "--format", "csv", "--no-log", NULL };
	const char *sh0[] = { "kmemsim", "sweep", trace, grid[0], grid[1], grid[2], grid[3], "--shard", "0/2", "--out",
			      "full", "--quiet", "--no-log", NULL };
	const char *sh1[] = { "kmemsim", "sweep", trace, grid[0], grid[1], grid[2], grid[3], "--shard", "1/2", "--out",
			      "full", "--quiet", "--no-log", NULL };
	const char *mg[] = { "kmemsim", "merge", "full/merged.db", "full/sweep-0-of-2.db", "full/sweep-1-of-2.db",
			     "--format", "csv", NULL };
	char *d1 = NULL, *d2 = NULL, *d3 = NULL;

	/* the same --out name in three directories: the summaries record the same paths */
	cr_assert(asprintf(&d1, "%s/a", dir) > 0 && asprintf(&d2, "%s/b", dir) > 0 && asprintf(&d3, "%s/c", dir) > 0);
	cr_assert(eq(int, mkdir(d1, 0777) | mkdir(d2, 0777) | mkdir(d3, 0777), 0));
	full = run_ok(d1, s1);
	nolog = run_ok(d2, s2);
	cr_assert(eq(str, nolog, full));
	free(run_ok(d3, sh0));
	free(run_ok(d3, sh1));
	merged = run_ok(d3, mg);
	cr_assert(eq(str, merged, full));
	cr_assert(asprintf(&a, "%s/full/sweep.db", d1) > 0 && asprintf(&b, "%s/full/sweep.db", d2) > 0 &&
		  asprintf(&m, "%s/full/merged.db", d3) > 0 && asprintf(&p0, "%s/full/point-001.db", d2) > 0);
	cr_assert(eq(i64, rows_differing(a, b, "sweep_points", POINT_COLS), 0));
	cr_assert(eq(i64, rows_differing(a, b, "sweep_caches", "*"), 0));
	cr_assert(eq(i64, rows_differing(a, m, "sweep_points", POINT_COLS), 0));
	cr_assert(eq(i64, rows_differing(a, m, "sweep_caches", "*"), 0));
	/* a --no-log point: no ops rows, its own comparison row (SLAB) */
	cr_assert(eq(i64, helper_db_int(p0, "SELECT count(*) FROM ops"), 0));
	cr_assert(eq(i64, helper_db_int(p0, "SELECT log_ops FROM runs"), 0));
	cr_assert(eq(i64, helper_db_int(p0, "SELECT count(*) FROM sweep_points"), 1));
	cr_assert(lt(i64, 20, helper_db_int(p0, "SELECT count(*) FROM sweep_caches")));
	cr_assert(eq(i64, helper_db_int(a, "SELECT min(refills > 0) FROM sweep_points"), 1));
	free(full);
	free(nolog);
	free(merged);
	free(a);
	free(b);
	free(m);
	free(p0);
	free(d1);
	free(d2);
	free(d3);
	free(trace);
	helper_rmtree(dir);
}

/* Scenario targets with --no-log: the same tables as with the log (objects by cache; pages with
 * pcp refills, drains and lock waits). */
static void no_log_same(const char *dir, const char *target, const char *set)
{
	const char *a[] = { "kmemsim", "sweep", target, "--vary", "allocator=slub,slab", "--set", set, "--out", "one",
			    "--quiet", "--format", "json", NULL };
	const char *b[] = { "kmemsim", "sweep", target, "--vary", "allocator=slub,slab", "--set", set, "--out", "two",
			    "--quiet", "--format", "json", "--no-log", "--jobs", "2", NULL };
	char *pa = NULL, *pb = NULL, *one = run_ok(dir, a), *two = run_ok(dir, b);

	cr_assert(eq(str, two, one));
	cr_assert(asprintf(&pa, "%s/one/sweep.db", dir) > 0 && asprintf(&pb, "%s/two/sweep.db", dir) > 0);
	cr_assert(eq(i64, rows_differing(pa, pb, "sweep_points", POINT_COLS), 0));
	cr_assert(eq(i64, rows_differing(pa, pb, "sweep_caches", "*"), 0));
	free(pa);
	free(pb);
	free(one);
	free(two);
}

Test(share, no_log_scenario_targets, .timeout = 90)
{
	char *dir = helper_tmpdir(), *hi = helper_tmpdir(), *path = NULL;
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");

	cr_assert(not(eq(ptr, (void *)root, NULL)), "KMEMSIM_SOURCE_ROOT is not set");
	free(helper_write_file(dir, "default.json", "{}"));
	no_log_same(dir, "default.json", "workload.streams[0].ops=150");
	cr_assert(asprintf(&path, "%s/scenarios/high-order.json", root) > 0);
	no_log_same(hi, path, "workload.streams[0].ops=2000");
	free(path);
	cr_assert(asprintf(&path, "%s/two/sweep.db", hi) > 0);
	cr_assert(eq(i64, helper_db_int(path, "SELECT min(drains > 0 AND refills > 0 AND lock_wait_ns > 0)"
					" FROM sweep_points"), 1));
	free(path);
	cr_assert(asprintf(&path, "%s/two/sweep.db", dir) > 0);
	cr_assert(lt(i64, 10, helper_db_int(path, "SELECT count(*) FROM sweep_caches")));
	free(path);
	helper_rmtree(dir);
	helper_rmtree(hi);
}
