/*
 * test_log_windows.c - what a `--log aggregate` database answers, and that it
 * answers as the ops rows of the same replay do (sim/db/db_counts.c,
 * sim/db/slabdb_window.c, sim/db/db_digest.c, sim/validate): op_counts per
 * time bucket (the marks), the counters in stat_counts, slabstat and slabinfo
 * windows bounded by marks, diff, callsites' refusal, and validate on the
 * shared oracle (skipped visibly without the shared traces).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

static char *dir, *ops_db, *agg_db;

/* The sample replayed into ops.db and agg.db of a new directory. */
static void replay_both(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *sample = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "replay", NULL, "--db", NULL, "--quiet", "--log", NULL, NULL };

	dir = helper_tmpdir();
	cr_assert(asprintf(&sample, "%s/%s", root && *root ? root : ".", SAMPLE) > 0);
	cr_assert(asprintf(&ops_db, "%s/ops.db", dir) > 0 && asprintf(&agg_db, "%s/agg.db", dir) > 0);
	argv[2] = sample;
	for (int i = 0; i < 2; i++) {
		argv[4] = i ? agg_db : ops_db;
		argv[7] = i ? "aggregate" : "ops";
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 0), "%s", err);
		free(err);
		err = NULL;
	}
	free(sample);
}

static void done(void)
{
	free(ops_db);
	free(agg_db);
	helper_rmtree(dir);
}

/* `kmemsim ARGS... DB ...` on one database: its stdout (exit status `want`), stderr to *err when asked. */
static char *run_on(const char *db, const char *const *args, int want, char **err)
{
	const char *argv[16] = { "kmemsim" };
	char *out = NULL;
	int n = 1;

	for (int i = 0; args[i]; i++)
		argv[n++] = !strcmp(args[i], "DB") ? db : args[i];
	argv[n] = NULL;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, err), want));
	return out;
}

/* The same command on ops.db and agg.db prints the same bytes. */
static void same_output(const char *const *args)
{
	char *a = run_on(ops_db, args, 0, NULL), *b = run_on(agg_db, args, 0, NULL);

	cr_assert(lt(sz, 100, strlen(a)), "%s", a);
	cr_assert(eq(str, a, b), "%s %s %s", args[0], args[2], args[3]);
	free(a);
	free(b);
}


/* op_counts' bucket is the number of marks at or before the operation's start; stat_counts is ops.stats. */
static void buckets_and_counters_are_the_ops_rows(void)
{
	static const char key[] = "kind, cache, cpu, node, mem_node, zone, level, failed, sig";
	char sql[1024];

	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT count(*) FROM marks"), 1));
	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT count(DISTINCT bucket) FROM op_counts"), 2));
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS a; SELECT count(*) FROM (SELECT %s, (SELECT count(*) FROM marks m"
		 " WHERE m.time_ns <= o.time_ns) AS b, count(*) FROM ops o GROUP BY %s, b EXCEPT SELECT %s, bucket, nr"
		 " FROM a.op_counts)", agg_db, key, key, key);
	cr_assert(eq(i64, helper_db_int(ops_db, sql), 0));
	cr_assert(eq(i64, helper_db_int(ops_db, "SELECT count(*) FROM ops"), helper_db_int(agg_db, "SELECT sum(nr) FROM op_counts")));
	/* every counter bump: ops.stats and stat_bumps against stat_counts and the same stat_bumps */
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS a; SELECT count(*) FROM (SELECT cache, item, sum(n) FROM v_stat_bumps"
		 " GROUP BY cache, item EXCEPT SELECT cache, item, sum(n) FROM (SELECT cache, item, n FROM a.stat_counts"
		 " UNION ALL SELECT cache, item, n FROM a.stat_bumps) GROUP BY cache, item)", agg_db);
	cr_assert(eq(i64, helper_db_int(ops_db, sql), 0));
	cr_assert(lt(i64, 10000, helper_db_int(agg_db, "SELECT sum(n) FROM stat_counts")));
	cr_assert(eq(i64, helper_db_int(agg_db, "SELECT count(*) FROM slab_events"), 0));	/* not kept */
}

static void slabstat_and_slabinfo_agree(void)
{
	const char *whole[] = { "slabstat", "DB", "anon_vma_chain", NULL };
	const char *after[] = { "slabstat", "DB", "anon_vma_chain", "--from", "mark:WORKLOAD", NULL };
	const char *before[] = { "slabstat", "DB", "kmalloc-64", "--to", "mark:WORKLOAD", "--format", "csv", NULL };
	const char *info[] = { "slabinfo", "DB", "--from", "mark:WORKLOAD", NULL };

	same_output(whole);
	same_output(after);
	same_output(before);
	same_output(info);
}

/* A window end inside a bucket's counted span cannot be split: one line, exit 2. */
static void slabstat_refuses_a_time_inside_a_bucket(void)
{
	char from[32], *err = NULL, *out;
	const char *args[] = { "slabstat", "DB", "anon_vma_chain", "--from", from, NULL };
	int64_t t = helper_db_int(agg_db, "SELECT (exact_to_ns + to_ns) / 2 FROM op_buckets WHERE bucket = 0");

	snprintf(from, sizeof(from), "%lld", (long long)t);
	out = run_on(agg_db, args, 2, &err);
	cr_assert(eq(str, out, ""));
	cr_assert(not(eq(ptr, strstr(err, "falls inside a time bucket of --log aggregate"), NULL)), "%s", err);
	cr_assert(eq(ptr, strchr(err, '\n'), err + strlen(err) - 1), "%s", err);
	free(out);
	free(err);
	free(run_on(ops_db, args, 0, NULL));	/* the ops rows answer it */
}

/* Field col of a CSV line cut out (fields may be empty); the field kept in *cut. */
static void cut_field(char *line, int col, char *cut, size_t size)
{
	char *p = line, *end;

	for (int c = 0; c < col && p; c++)
		p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
	if (!p) {			/* not cr_assert: the compiler must see that p is set below */
		cr_assert(false, "no field %d: %s", col, line);
		return;
	}
	end = strchr(p, ',');
	snprintf(cut, size, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
	memmove(p, end ? end + 1 : p + strlen(p), strlen(end ? end + 1 : p + strlen(p)) + 1);
}

/* diff of two aggregate databases is diff of their ops twins but for p99 (empty: not kept). */
static void diff_agrees_but_p99(void)
{
	const char *argv[] = { "kmemsim", "diff", NULL, NULL, "--format", "csv", "--top", "1000", NULL };
	char *out[2], *a, *b, *sa = NULL, *sb = NULL, ca[64], cb[64];
	int p99 = -1, n = 0;

	for (int i = 0; i < 2; i++) {
		argv[2] = argv[3] = i ? agg_db : ops_db;
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out[i], NULL), 0));
	}
	for (a = strtok_r(out[0], "\n", &sa), b = strtok_r(out[1], "\n", &sb); a && b;
	     a = strtok_r(NULL, "\n", &sa), b = strtok_r(NULL, "\n", &sb)) {
		if (strstr(a, ".db"))		/* the runs' lines name the databases */
			continue;
		if (strstr(a, "_ns,") || !strncmp(a, "cache,", 6)) {	/* a header: where p99_ns is, if anywhere */
			char *f = strstr(a, ",p99_ns,");

			p99 = -1;
			for (char *q = a; f && q <= f; q++)
				p99 += *q == ',';
			p99 += f ? 1 : 0;
		} else if (p99 >= 0) {
			cut_field(a, p99, ca, sizeof(ca));
			cut_field(b, p99, cb, sizeof(cb));
			cr_assert(eq(str, cb, ""), "%s/%s", ca, cb);
			n++;
		}
		cr_assert(eq(str, a, b));
	}
	cr_assert(eq(ptr, a, b));
	cr_assert(lt(int, 50, n));
	free(out[0]);
	free(out[1]);
}

static void callsites_refuse_in_one_line(void)
{
	const char *args[] = { "callsites", "DB", NULL };
	char *err = NULL, *out = run_on(agg_db, args, 2, &err);
	char *want = NULL;

	cr_assert(asprintf(&want, "kmemsim callsites: %s: made with --log aggregate, which counts operations without"
			   " their call site: replay with --log ops\n", agg_db) > 0);
	cr_assert(eq(str, err, want));
	free(want);
	free(out);
	free(err);
}

/* One replay pair of the sample for all of the above (each replay is a second or two). */
Test(log_windows, sample_answers_as_its_ops_rows, .timeout = 120)
{
	replay_both();
	buckets_and_counters_are_the_ops_rows();
	slabstat_and_slabinfo_agree();
	slabstat_refuses_a_time_inside_a_bucket();
	diff_agrees_but_p99();
	callsites_refuse_in_one_line();
	done();
}

/* validate --log aggregate prints the figures of validate --log ops, cache by cache (the shared oracle). */
Test(log_validate, aggregate_equals_ops, .timeout = 300)
{
	char *cap = helper_shared_trace("oracle-slub-stats-6.1.192-4cpu-2node"), *out[2], *db = NULL;

	dir = helper_tmpdir();
	const char *argv[] = { "kmemsim", "validate", cap, "--format", "json", "--db", NULL, "--log", NULL, NULL };

	for (int i = 0; i < 2; i++) {
		free(db);
		cr_assert(asprintf(&db, "%s/oracle-%d.db", dir, i) > 0);
		argv[6] = db;
		argv[8] = i ? "aggregate" : "ops";
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out[i], NULL), 0));
	}
	cr_assert(not(eq(ptr, strstr(out[1], "\"alloc_fastpath\""), NULL)), "%.300s", out[1]);
	/* the JSON names its database: the rest is byte for byte */
	cr_assert(not(eq(ptr, strstr(out[0], "oracle-0.db"), NULL)));
	strstr(out[0], "oracle-0.db")[7] = '1';
	cr_assert(eq(str, out[0], out[1]));
	cr_assert(lt(i64, helper_db_int(db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size"),
		     10 << 20));	/* a few MB, against the ops database's 130 */
	free(out[0]);
	free(out[1]);
	free(db);
	free(cap);
	helper_rmtree(dir);
}
