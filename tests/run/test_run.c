/*
 * test_run.c - the run driver and the synthetic workload, end to end.
 *
 * Strategy: run a small contended scenario (4 vCPUs, no think time, some
 * allocations from interrupts) through sim_run and assert on what it
 * returns, what it prints and the database it leaves: the same seed gives
 * the same database (a hash of every table, wall-clock columns left out), a
 * different seed a different interleaving, a replayed schedule the same
 * database, a failed run leaves the earlier database alone, and the
 * workload frees everything it allocated.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"

/* 4 vCPUs on 2 nodes (the default machine), 1500 allocations each, back to back. */
static const char small_json[] =
	"{\n"
	"  \"name\": \"test-small\",\n"
	"  \"seed\": 11,\n"
	"  \"allocator\": \"buddy\",\n"
	"  \"snapshot_interval_us\": 20,\n"
	"  \"workload\": { \"streams\": [ { \"cpu\": -1, \"ops\": 1500, \"think_ns\": 0,\n"
	"      \"irq_pct\": 10, \"lifetime\": [1, 64] } ] }\n"
	"}\n";

struct run_env {
	char *dir;
	char *scenario;		/* small_json written to dir */
};

static struct run_env env;

static void env_setup(void)
{
	env.dir = helper_tmpdir();
	env.scenario = helper_write_file(env.dir, "small.json", small_json);
	cr_assert(not(eq(ptr, env.scenario, NULL)));
}

static void env_teardown(void)
{
	free(env.scenario);
	helper_rmtree(env.dir);
}

static char *env_path(const char *name)
{
	size_t n = strlen(env.dir) + strlen(name) + 2;
	char *p = malloc(n);

	cr_assert(not(eq(ptr, p, NULL)));
	snprintf(p, n, "%s/%s", env.dir, name);
	return p;
}

/* sim_run on the small scenario; out and err go to /dev/null unless given. */
static int run_small(struct sim_run_opts *o, FILE *out, FILE *err)
{
	FILE *null = fopen("/dev/null", "w");
	int rc;

	cr_assert(not(eq(ptr, null, NULL)));
	if (!o->scenario_path)
		o->scenario_path = env.scenario;
	o->quiet = o->quiet || !out;
	rc = sim_run(o, out ? out : null, err ? err : null);
	fclose(null);
	return rc;
}

TestSuite(run, .init = env_setup, .fini = env_teardown);

Test(run, workload_frees_everything_it_allocates)
{
	struct sim_run_stats st;
	struct sim_run_opts o = { .stats = &st };

	cr_assert(eq(int, run_small(&o, NULL, NULL), 0));
	cr_assert(eq(u64, st.wl.nr_tasks, 4));
	cr_assert(eq(u64, st.wl.nr_alloc, 4 * 1500));
	cr_assert(lt(u64, 0, st.wl.nr_alloc_irq));
	cr_assert(eq(u64, st.wl.nr_failed, 0));
	cr_assert(eq(u64, st.wl.nr_free, st.wl.nr_alloc));
	cr_assert(eq(u64, st.wl.nr_live, 0));
	cr_assert(eq(u64, st.wl.nr_irq_pending, 0));
	cr_assert(eq(u64, st.nr_ops, 2 * 4 * 1500));
	cr_assert(lt(u64, 0, st.sim_ns));
	cr_assert(eq(u64, st.nr_violations, 0));
}

Test(run, same_seed_same_database)
{
	char *a = env_path("a.db"), *b = env_path("b.db");
	struct sim_run_opts oa = { .db_path = a }, ob = { .db_path = b };
	uint64_t ha, hb;

	cr_assert(eq(int, run_small(&oa, NULL, NULL), 0));
	cr_assert(eq(int, run_small(&ob, NULL, NULL), 0));
	ha = helper_db_hash(a);
	hb = helper_db_hash(b);
	cr_assert(not(eq(u64, ha, 0)));
	cr_assert(eq(u64, ha, hb));
	/* the hash covers the operations */
	cr_assert(eq(i64, helper_db_int(a, "SELECT count(*) FROM ops"), 12000));
	free(a);
	free(b);
}

/* The schedule's decisions, without its header line (which names the seed). */
static char *schedule_body(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL, *nl;
	size_t cap = 0;
	ssize_t n;

	cr_assert(not(eq(ptr, f, NULL)));
	n = getdelim(&text, &cap, 0, f);
	fclose(f);
	cr_assert(lt(i64, 0, (int64_t)n));
	nl = strchr(text, '\n');
	cr_assert(not(eq(ptr, nl, NULL)));
	memmove(text, nl + 1, strlen(nl + 1) + 1);
	return text;
}

Test(run, other_seed_other_interleaving)
{
	char *s1 = env_path("s1.sched"), *s2 = env_path("s2.sched");
	struct sim_run_opts o1 = { .schedule_out = s1, .seed_set = true, .seed = 1 };
	struct sim_run_opts o2 = { .schedule_out = s2, .seed_set = true, .seed = 2 };
	char *b1, *b2;

	cr_assert(eq(int, run_small(&o1, NULL, NULL), 0));
	cr_assert(eq(int, run_small(&o2, NULL, NULL), 0));
	b1 = schedule_body(s1);
	b2 = schedule_body(s2);
	cr_assert(lt(sz, 100, strlen(b1)));	/* contended: many decisions */
	cr_assert(not(eq(str, b1, b2)));
	free(b1);
	free(b2);
	free(s1);
	free(s2);
}

Test(run, replayed_schedule_gives_the_same_database)
{
	char *sched = env_path("run.sched"), *a = env_path("rec.db"), *b = env_path("rep.db");
	struct sim_run_opts rec = { .db_path = a, .schedule_out = sched, .seed_set = true, .seed = 5 };
	struct sim_run_opts rep = { .db_path = b, .schedule_in = sched, .seed_set = true, .seed = 5 };
	uint64_t ha;

	cr_assert(eq(int, run_small(&rec, NULL, NULL), 0));
	cr_assert(eq(int, run_small(&rep, NULL, NULL), 0));
	ha = helper_db_hash(a);
	cr_assert(not(eq(u64, ha, 0)));
	cr_assert(eq(u64, helper_db_hash(b), ha));
	free(sched);
	free(a);
	free(b);
}

/* Files in env.dir whose name starts with `prefix`. */
static int count_files(const char *prefix)
{
	DIR *d = opendir(env.dir);
	struct dirent *e;
	int n = 0;

	cr_assert(not(eq(ptr, d, NULL)));
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

Test(run, failed_run_keeps_the_good_database)
{
	char *db = env_path("keep.db");
	char *bad = helper_write_file(env.dir, "bad.sched", "not a schedule\n");
	struct sim_run_opts good = { .db_path = db };
	struct sim_run_opts fail = { .db_path = db, .schedule_in = bad };
	char *errtext = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errtext, &errlen);
	uint64_t h;

	cr_assert(eq(int, run_small(&good, NULL, NULL), 0));
	h = helper_db_hash(db);
	cr_assert(not(eq(u64, h, 0)));
	cr_assert(eq(int, run_small(&fail, NULL, err), 2));
	fclose(err);
	cr_assert(not(eq(ptr, strstr(errtext, "bad.sched:1: not a kmemsim schedule"), NULL)));
	cr_assert(eq(u64, helper_db_hash(db), h));
	cr_assert(eq(int, count_files("keep.db"), 1));	/* no temporary left behind */
	free(errtext);
	free(bad);
	free(db);
}

Test(run, bad_scenario_is_bad_input)
{
	char *bad = helper_write_file(env.dir, "bad.json",
				      "{\n  \"machine\": { \"nodes\": [ { \"cpus\": \"four\" } ] }\n}\n");
	char *db = env_path("never.db");
	struct sim_run_opts o = { .scenario_path = bad, .db_path = db };
	char *errtext = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errtext, &errlen);

	cr_assert(eq(int, run_small(&o, NULL, err), 2));
	fclose(err);
	cr_assert(eq(int, strncmp(errtext, bad, strlen(bad)), 0));
	cr_assert(eq(ptr, strchr(errtext, '\n'), errtext + strlen(errtext) - 1)); /* one line */
	cr_assert(eq(int, count_files("never.db"), 0));
	free(errtext);
	free(bad);
	free(db);
}

Test(run, periodic_checks_run_between_operations)
{
	char *json = helper_write_file(env.dir, "checks.json",
				       "{ \"seed\": 3, \"check_every\": 2000,\n"
				       "  \"workload\": { \"streams\": [ { \"cpu\": -1, \"ops\": 1000, \"think_ns\": 0,\n"
				       "      \"lifetime\": [1, 32] } ] } }\n");
	struct sim_run_stats st;
	struct sim_run_opts o = { .scenario_path = json, .stats = &st };

	cr_assert(eq(int, run_small(&o, NULL, NULL), 0));
	/* 8000 operations: 4 due checks, each held until all vCPUs are between
	 * operations, and the final one. */
	cr_assert(eq(u64, st.nr_checks, 5));
	cr_assert(eq(u64, st.nr_violations, 0));
	free(json);
}

Test(run, summary_counts_every_operation_without_the_log)
{
	char *db = env_path("nolog.db");
	struct sim_run_opts o = { .db_path = db, .no_log = true };
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	cr_assert(eq(int, run_small(&o, out, NULL), 0));
	fclose(out);
	static const char first[] =
		"kmemsim: scenario test-small, allocator buddy, kernel 6.1, seed 11, 4 vCPUs on 2 nodes\n";

	cr_assert(eq(int, strncmp(text, first, strlen(first)), 0));
	cr_assert(not(eq(ptr, strstr(text, "\npage_alloc 0/DMA32 "), NULL)));
	cr_assert(not(eq(ptr, strstr(text, "\npage_free  1/DMA32 "), NULL)));
	cr_assert(not(eq(ptr, strstr(text, "\nops 12000, simulated "), NULL)));
	cr_assert(not(eq(ptr, strstr(text, "(operations not logged)"), NULL)));
	free(text);
	free(db);
}

Test(run, database_holds_the_final_state)
{
	char *db = env_path("state.db");
	struct sim_run_opts o = { .db_path = db, .no_log = true };

	cr_assert(eq(int, run_small(&o, NULL, NULL), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM ops"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT log_ops FROM runs"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT nr_ops FROM summary"), 12000));
	/* Everything was freed: each zone's pages are free or on a pcp list. */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM zones WHERE populated"), 3));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM zones z WHERE populated AND"
					" free + (SELECT coalesce(sum(count), 0) FROM pcp p"
					" WHERE p.node = z.node AND p.zone = z.zone) != managed"), 0));
	/* snapshot_interval_us 20: periodic snapshots besides the final one */
	cr_assert(lt(i64, 3, helper_db_int(db, "SELECT count(DISTINCT time_ns) FROM buddy_snapshots"
					" WHERE NOT final")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM buddy_snapshots WHERE time_ns %"
					" 20000 AND NOT final"), 0));
	free(db);
}

static int nr_extra_calls;

/* An invariant that breaks at its second check. */
static bool breaks_second_time(FILE *why)
{
	if (++nr_extra_calls < 2)
		return true;
	fprintf(why, "counter went backwards\nand stayed there\n");
	return false;
}

Test(run, violation_is_recorded_and_the_database_kept)
{
	char *json = helper_write_file(env.dir, "viol.json",
				       "{ \"seed\": 4, \"check_every\": 1000, \"allocator\": \"buddy\",\n"
				       "  \"workload\": { \"streams\": [ { \"cpu\": -1, \"ops\": 1000, \"think_ns\": 0 } ] } }\n");
	char *db = env_path("viol.db");
	struct sim_run_stats st;
	struct sim_run_opts o = { .scenario_path = json, .db_path = db, .stats = &st,
				  .extra_check = breaks_second_time, .extra_check_name = "test_counter" };
	char *errtext = NULL;
	size_t errlen = 0;
	FILE *err = open_memstream(&errtext, &errlen);

	cr_assert(eq(int, run_small(&o, NULL, err), 1));
	fclose(err);
	cr_assert(eq(str, errtext, "kmemsim: 2 invariant violations (see table violations)\n"));
	cr_assert(eq(u64, st.nr_violations, 2));
	cr_assert(eq(int, nr_extra_calls, 2));		/* the run stopped at the first failure */
	cr_assert(lt(u64, 0, st.wl.nr_live));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM violations"
					" WHERE invariant = 'test_counter'"), 2));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM violations"
					" WHERE detail = 'counter went backwards'"), 1));
	free(errtext);
	free(json);
	free(db);
}
