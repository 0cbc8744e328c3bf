/*
 * test_log.c - what `--log` keeps (sim/db/db_counts.c, sim/run/report_db.c):
 * with `--log aggregate` a run or replay writes no ops rows but table
 * op_counts, whose rows are the ops rows of the same run counted per key, and
 * `kmemsim summary` prints the same figures from it as from the ops rows.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

/* $KMEMSIM_SOURCE_ROOT/rel (malloc'd). */
static char *source_path(const char *rel)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", root && *root ? root : ".", rel) > 0);
	return p;
}

/* `kmemsim summary db` with the lines that name the database or the wall clock left out. */
static char *summary(const char *db)
{
	const char *argv[] = { "kmemsim", "summary", db, NULL };
	char *out = NULL, *line, *save = NULL, *kept = calloc(1, 1);
	size_t len = 0;

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, NULL), 0));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "database ", 9))
			continue;
		if (strstr(line, " wall "))	/* "ops N, simulated S s, wall W s, R ops/s" */
			*strstr(line, " wall ") = 0;
		kept = realloc(kept, len + strlen(line) + 2);
		len += (size_t)sprintf(kept + len, "%s\n", line);
	}
	free(out);
	return kept;
}

/* One database per --log mode of `argv` (its "--db" slot filled), summaries compared. */
static void check_modes(const char *dir, const char **argv, int db_slot, int log_slot)
{
	char *ops_db = NULL, *agg_db = NULL, *err = NULL, *a, *b, sql[1024];
	static const char key[] = "kind, cache, cpu, node, mem_node, zone, level, failed, sig";

	cr_assert(asprintf(&ops_db, "%s/ops.db", dir) > 0 && asprintf(&agg_db, "%s/agg.db", dir) > 0);
	argv[db_slot] = ops_db;
	argv[log_slot] = "ops";
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	free(err);
	argv[db_slot] = agg_db;
	argv[log_slot] = "aggregate";
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
	free(err);

	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT count(*) FROM ops"), 0));
	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT count(*) FROM runs WHERE log = 'aggregate' AND log_ops = 0"), 1));
	cr_assert(eq(i64, helper_db_int(ops_db, "SELECT count(*) FROM runs WHERE log = 'ops' AND log_ops = 1"), 1));
	cr_assert(eq(i64, helper_db_int(ops_db, "SELECT count(*) FROM op_counts"), 0));
	cr_assert(lt(i64, 1000, helper_db_int(ops_db, "SELECT count(*) FROM ops")));
	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT sum(nr) FROM op_counts"),
		     helper_db_int(ops_db, "SELECT count(*) FROM ops")));
	/* op_counts over its time buckets is the ops rows grouped by its key, row for row (both ways;
	 * the buckets themselves: tests/db/test_log_windows.c) */
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS a; SELECT count(*) FROM (SELECT %s, count(*), sum(latency_ns),"
		 " sum(lock_wait_ns) FROM ops GROUP BY %s EXCEPT SELECT %s, sum(nr), sum(latency_ns), sum(lock_wait_ns)"
		 " FROM a.op_counts GROUP BY %s)", agg_db, key, key, key, key);
	cr_assert(eq(i64, helper_db_int(ops_db, sql), 0));
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS a; SELECT count(*) FROM (SELECT %s, sum(nr), sum(latency_ns),"
		 " sum(lock_wait_ns) FROM a.op_counts GROUP BY %s EXCEPT SELECT %s, count(*), sum(latency_ns),"
		 " sum(lock_wait_ns) FROM ops GROUP BY %s)", agg_db, key, key, key, key);
	cr_assert(eq(i64, helper_db_int(ops_db, sql), 0));
	/* the summary is the same */
	a = summary(ops_db);
	b = summary(agg_db);
	cr_assert(lt(sz, 200, strlen(a)));
	cr_assert(eq(str, a, b));
	free(a);
	free(b);
	free(ops_db);
	free(agg_db);
}

Test(log, run_aggregate_counts_the_ops_rows)
{
	char *dir = helper_tmpdir();
	const char *argv[] = { "kmemsim", "run", "--db", NULL, "--quiet", "--log", NULL, NULL };

	check_modes(dir, argv, 3, 6);
	helper_rmtree(dir);
}

Test(log, replay_aggregate_counts_the_ops_rows)
{
	char *dir = helper_tmpdir(), *sample = source_path(SAMPLE);
	const char *argv[] = { "kmemsim", "replay", sample, "--db", NULL, "--quiet", "--log", NULL, NULL };

	check_modes(dir, argv, 4, 7);
	free(sample);
	helper_rmtree(dir);
}

Test(log, bad_mode_is_one_line)
{
	const char *argv[] = { "kmemsim", "run", "--log", "rows", "--db", "/nonexistent/x.db", NULL };
	char *err = NULL;

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 2));
	cr_assert(eq(str, err, "kmemsim run: --log: expected ops, aggregate or none, got \"rows\"\n"));
	free(err);
}

Test(log, none_is_no_log)
{
	char *dir = helper_tmpdir(), *db = NULL;
	const char *argv[] = { "kmemsim", "run", "--quiet", "--log", "none", "--db", NULL, NULL };

	cr_assert(asprintf(&db, "%s/none.db", dir) > 0);
	argv[6] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, NULL), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM ops"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM op_counts"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM runs WHERE log = 'none' AND log_ops = 0"), 1));
	free(db);
	helper_rmtree(dir);
}

Test(log, run_says_what_it_kept)
{
	char *dir = helper_tmpdir(), *db = NULL, *out = NULL, *want = NULL;
	const char *argv[] = { "kmemsim", "run", "--log", "aggregate", "--db", NULL, NULL };

	cr_assert(asprintf(&db, "%s/agg.db", dir) > 0);
	argv[5] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, NULL), 0));
	cr_assert(asprintf(&want, "\ndatabase %s (operations counted in op_counts: --log aggregate)\n", db) > 0);
	cr_assert(not(eq(ptr, strstr(out, want), NULL)), "%s", out);
	free(want);
	free(out);
	free(db);
	helper_rmtree(dir);
}
