/*
 * test_explore_cmd.c - `kmemsim explore` and `kmemsim merge`, the forced
 * schedule replay of `kmemsim run`, and the steps table, end to end.
 *
 * Strategy: run the binary on the catalogue's scenarios and on tiny
 * scenarios written here, and assert on exit statuses, printed answers and
 * the databases: a schedule replays to an identical database, the steps
 * table shows the forced switch where the race needs it, sharded
 * explorations merge to the unsharded answer, the exhaustive count matches
 * a hand count.  In-process (sim_explore_scenario) for what the CLI cannot
 * show: shrinking always returns a failing schedule, --jobs changes nothing.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "sim/explore/explore.h"
#include "sim/scenario/scenario.h"

static char *dir;

static void setup(void)
{
	dir = helper_tmpdir();
}

static void teardown(void)
{
	helper_rmtree(dir);
}

TestSuite(explore_cmd, .init = setup, .fini = teardown);

static char *race_path(const char *file)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/scenarios/races/%s", root ? root : ".", file) > 0);
	return p;
}

static char *in_dir(const char *name)
{
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

/* kmemsim ARGS... in dir; returns the exit status, stdout in *out (freed by the caller). */
static int kmemsim(char **out, const char *a0, ...)
{
	const char *argv[32] = { "kmemsim" };
	va_list ap;
	int n = 1, rc;
	char *err = NULL;

	va_start(ap, a0);
	for (const char *a = a0; a && n < 31; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	rc = helper_run_kmemsim(dir, argv, out, &err);
	free(err);
	return rc;
}

/* The number after `key` in text, or -1. */
static long long number_after(const char *text, const char *key)
{
	const char *p = text ? strstr(text, key) : NULL;

	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* ------------------------------------------------- replay and the steps table */

Test(explore_cmd, forced_schedule_replays_to_an_identical_database)
{
	char *sc = race_path("slub-fastpath-tid.json"), *out = NULL;
	char *a = in_dir("a.db"), *b = in_dir("b.db"), *c = in_dir("c.db"), *d = in_dir("d.db");

	cr_assert(eq(int, kmemsim(&out, "explore", sc, "--schedule-out", "s.schedule", "--quiet", NULL), 1));
	cr_assert(not(eq(ptr, strstr(out, "reproduce: kmemsim run"), NULL)), "%s", out);
	free(out);
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--seed", "1", "--schedule", "s.schedule", "--db", "a.db",
				  "--quiet", NULL), 1));
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--seed", "1", "--schedule", "s.schedule", "--db", "b.db",
				  "--quiet", NULL), 1));
	cr_assert(eq(u64, helper_db_hash(a), helper_db_hash(b)));
	cr_assert(not(eq(u64, helper_db_hash(a), 0)));
	cr_assert(ge(i64, helper_db_int(a, "SELECT count(*) FROM violations"), 1));
	cr_assert(lt(i64, 10, helper_db_int(a, "SELECT count(*) FROM steps")));
	/* A recorded clock-mode schedule of the same race scenario replays too. */
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--schedule-out", "rec.txt", "--db", "c.db", "--quiet", NULL), 0));
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--schedule", "rec.txt", "--db", "d.db", "--quiet", NULL), 0));
	cr_assert(eq(u64, helper_db_hash(c), helper_db_hash(d)));
	cr_assert(eq(i64, helper_db_int(c, "SELECT count(*) FROM violations"), 0));
	free(a), free(b), free(c), free(d), free(sc);
}

/* The reproduce line carries every --set (--kernel among them), quoted for a shell, and it reproduces. */
Test(explore_cmd, reproduce_line_keeps_the_overrides)
{
	char *sc = race_path("slub-fastpath-tid.json"), *out = NULL, *db = in_dir("rep.db");

	cr_assert(eq(int, kmemsim(&out, "explore", sc, "--set", "machine.nodes[0].cpus=2", "--kernel", "6.12",
				  "--schedule-out", "s.schedule", "--quiet", NULL), 1));
	cr_assert(not(eq(ptr, strstr(out, " --set 'machine.nodes[0].cpus=2' --set kernel=6.12 --seed 1 --schedule"
				     " s.schedule --db slub-fastpath-tid.db\n"), NULL)), "%s", out);
	free(out);
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--set", "machine.nodes[0].cpus=2", "--set", "kernel=6.12", "--seed",
				  "1", "--schedule", "s.schedule", "--db", "rep.db", "--quiet", NULL), 1));
	cr_assert(ge(i64, helper_db_int(db, "SELECT count(*) FROM violations"), 1));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM runs WHERE kernel = '6.12'"), 1));
	free(db), free(sc);
}

Test(explore_cmd, steps_table_shows_the_race)
{
	char *sc = race_path("slub-fastpath-tid.json"), *db = in_dir("r.db");

	cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--schedule-out", "s.schedule", "--quiet", NULL), 1));
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--schedule", "s.schedule", "--db", "r.db", "--quiet", NULL), 1));
	/* One forced switch: an interrupt taken at the fast path's cmpxchg of a task's allocation. */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM forced"), 1));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM steps WHERE forced = 1 AND cost = 'cmpxchg_double'"
				     " AND context = 'task' AND op_kind = 'obj_alloc' AND next = 'irq 0'"), 1));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM steps s JOIN forced f ON f.step = s.step"
				     " WHERE s.forced = 1"), 1));
	/* The interrupt's operations run in hardirq context right after it. */
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM steps WHERE context = 'hardirq' AND step >"
				     " (SELECT step FROM steps WHERE forced = 1)")));
	/* The watched c->freelist and tid change, and the story view carries them. */
	cr_assert(lt(i64, 3, helper_db_int(db, "SELECT count(*) FROM watch WHERE name = 'slub kmalloc-64 cpu0'")));
	cr_assert(lt(i64, 3, helper_db_int(db, "SELECT count(*) FROM story WHERE changed LIKE '%tid%'")));
	/* The violation names the step the run stopped at. */
	cr_assert(eq(i64, helper_db_int(db, "SELECT max(step) FROM violations"),
		     helper_db_int(db, "SELECT max(step) FROM steps")));
	free(db);
	free(sc);
}

Test(explore_cmd, forced_schedule_of_another_seed_is_bad_input)
{
	char *sc = race_path("slub-fastpath-tid.json"), *err = NULL;
	const char *argv[] = { "kmemsim", "run", sc, "--seed", "2", "--schedule", "s.schedule", "--quiet", NULL };

	argv[2] = sc;
	cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--schedule-out", "s.schedule", "--quiet", NULL), 1));
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, NULL, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "s.schedule:1: seed: the schedule was found with seed 1, the run has 2"),
			 NULL)), "%s", err);
	free(err);
	free(sc);
}

/* --------------------------------------------------------- exhaustive count */

/*
 * Two vCPUs, one task each, one yield step each: blocks a1 a2 on vCPU 0,
 * b1 b2 on vCPU 1 (sim/engine/schedule.h counts forced switches; starting on vCPU 1
 * is one):  a1 a2 b1 b2: 0   a1 b1 b2 a2: 1   b1 b2 a1 a2: 1
 *           a1 b1 a2 b2: 2   b1 a1 a2 b2: 2   b1 a1 b2 a2: 3
 * so at most K = 0, 1, 2, 3 forced switches allow 1, 3, 5 and 6 schedules.
 */
static const char tiny_json[] =
	"{ \"name\": \"tiny\", \"allocator\": \"buddy\",\n"
	"  \"machine\": { \"nodes\": [ { \"cpus\": 2, \"zones\": { \"dma32\": 16 } } ] },\n"
	"  \"sched\": { \"preempt\": \"none\", \"hz\": 0 }, \"snapshot_interval_us\": 0,\n"
	"  \"workload\": { \"streams\": [] },\n"
	"  \"race\": { \"tasks\": [ { \"cpu\": 0, \"ops\": [ { \"op\": \"yield\" } ] },\n"
	"                         { \"cpu\": 1, \"ops\": [ { \"op\": \"yield\" } ] } ] } }\n";

Test(explore_cmd, exhaustive_count_matches_the_hand_count)
{
	char *sc = helper_write_file(dir, "tiny.json", tiny_json);
	const char *k[] = { "0", "1", "2", "3" };
	long long want[] = { 1, 3, 5, 6 };

	for (int i = 0; i < 4; i++) {
		char *out = NULL;

		cr_assert(eq(int, kmemsim(&out, "explore", "tiny.json", "--strategy", "exhaustive", "--preemptions",
					  k[i], "--all", "--quiet", NULL), 0));
		cr_assert(eq(i64, number_after(out, "seed 1: "), want[i]), "K=%s: %s", k[i], out);
		cr_assert(not(eq(ptr, strstr(out, "the bounded space was covered"), NULL)), "%s", out);
		free(out);
	}
	free(sc);
}

/* ---------------------------------------------------------- shard and merge */

Test(explore_cmd, shards_merge_to_the_unsharded_answer)
{
	char *sc = race_path("slab-refill-list-lock.json"), *out = NULL, *m = in_dir("m.db"), *first;
	long long whole, s0, s1;

	cr_assert(eq(int, kmemsim(&out, "explore", sc, "--schedules", "600", "--no-shrink", "--quiet", NULL), 1));
	whole = number_after(out, "violation in schedule ");
	cr_assert(ge(i64, whole, 0), "%s", out);
	/* merge's first line names the strategy as explore's does, up to the count */
	cr_assert(not(eq(ptr, strstr(out, ": pct (depth 2), seed 1: "), NULL)), "%s", out);
	*strstr(out, ", seed 1: ") = '\0';
	first = out;
	out = NULL;
	cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--schedules", "600", "--no-shrink", "--quiet", "--shard", "0/2",
				  "--db", "s0.db", "--schedule-out", "s0.schedule", NULL), 1));
	cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--schedules", "600", "--no-shrink", "--quiet", "--shard", "1/2",
				  "--db", "s1.db", "--schedule-out", "s1.schedule", NULL), 1));
	cr_assert(eq(int, kmemsim(&out, "merge", "m.db", "s0.db", "s1.db", "--schedule-out", "m.schedule", NULL), 1));
	cr_assert(eq(i64, number_after(out, "violation in schedule "), whole), "%s", out);
	cr_assert(eq(ptr, strstr(out, "missing"), NULL), "%s", out);
	cr_assert(eq(int, strncmp(out, first, strlen(first)), 0), "%s\nexplore said: %s", out, first);
	cr_assert(eq(int, strncmp(out + strlen(first), ", seed 1: ", 10), 0), "%s", out);
	free(first);
	free(out);
	s0 = helper_db_int(m, "SELECT explored FROM explorations WHERE shard = 0");
	s1 = helper_db_int(m, "SELECT explored FROM explorations WHERE shard = 1");
	cr_assert(eq(i64, helper_db_int(m, "SELECT explored FROM answer"), s0 + s1));
	cr_assert(eq(i64, helper_db_int(m, "SELECT first_index FROM answer"), whole));
	/* Two shards of one exploration only: a shard given twice is refused. */
	cr_assert(eq(int, kmemsim(NULL, "merge", "m2.db", "s0.db", "s0.db", NULL), 2));
	free(m);
	free(sc);
}

/* merge's reproduce line carries the shards' --set values (kept in their table explore_sets),
 * quoted, and reproduces; shards explored with other --set values are not merged. */
Test(explore_cmd, merge_reproduce_line_keeps_the_overrides)
{
	char *sc = race_path("slub-fastpath-tid.json"), *out = NULL, *err = NULL, *db = in_dir("rep.db");
	const char *other[] = { "kmemsim", "merge", "m2.db", "s0.db", "o1.db", NULL };

	for (int i = 0; i < 2; i++)
		cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--set", "machine.nodes[0].cpus=2", "--set",
					  "description=two cpus, 6.12", "--kernel", "6.12", "--schedules", "200",
					  "--shard", i ? "1/2" : "0/2", "--db", i ? "s1.db" : "s0.db", "--schedule-out",
					  i ? "s1.schedule" : "s0.schedule", "--quiet", NULL), 1));
	cr_assert(eq(int, kmemsim(&out, "merge", "m.db", "s0.db", "s1.db", "--schedule-out", "m.schedule", NULL), 1));
	cr_assert(not(eq(ptr, strstr(out, "slub-fastpath-tid.json --set 'machine.nodes[0].cpus=2' --set"
				     " 'description=two cpus, 6.12' --set kernel=6.12 --seed 1 --schedule m.schedule"
				     " --db slub-fastpath-tid.db\n"), NULL)), "%s", out);
	free(out);
	cr_assert(eq(int, kmemsim(NULL, "run", sc, "--set", "machine.nodes[0].cpus=2", "--set",
				  "description=two cpus, 6.12", "--set", "kernel=6.12", "--seed", "1", "--schedule",
				  "m.schedule", "--db", "rep.db", "--quiet", NULL), 1));
	cr_assert(ge(i64, helper_db_int(db, "SELECT count(*) FROM violations"), 1));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM runs WHERE kernel = '6.12'"), 1));
	/* the other shard of an exploration with one --set fewer: refused in one line */
	cr_assert(eq(int, kmemsim(NULL, "explore", sc, "--set", "machine.nodes[0].cpus=2", "--kernel", "6.12",
				  "--schedules", "200", "--shard", "1/2", "--db", "o1.db", "--schedule-out", "o1.schedule",
				  "--quiet", NULL), 1));
	cr_assert(eq(int, helper_run_kmemsim(dir, other, NULL, &err), 2));
	cr_assert(eq(str, err, "kmemsim merge: o1.db: not a shard of the exploration of s0.db (they differ in"
		     " their --set values)\n"));
	free(err);
	free(db), free(sc);
}

/* ------------------------------------------------------ in-process checks */

static void load(struct sim_scenario *sc, const char *file)
{
	char *p = race_path(file);

	cr_assert(eq(int, sim_scenario_load(sc, p, stderr), 0));
	free(p);
}

static void opts(struct sim_xplore *x, uint64_t seed, uint64_t n, int jobs, bool all, bool shrink)
{
	memset(x, 0, sizeof(*x));
	x->ex.strategy = SIM_EXPLORE_PCT;
	x->ex.seed = seed;
	x->ex.nr_schedules = n;
	x->ex.depth = 2;
	x->ex.jobs = jobs;
	x->ex.all = all;
	x->shrink = shrink;
}

Test(explore_cmd, shrinking_never_returns_a_schedule_that_does_not_fail)
{
	static const char *const files[] = { "slub-fastpath-tid.json", "slab-refill-list-lock.json",
					     "buddy-pcp-lock-irq.json" };

	for (int f = 0; f < 3; f++) {
		struct sim_scenario sc;

		load(&sc, files[f]);
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct sim_xplore x;
			struct sim_race_violation v;

			opts(&x, seed, 3000, 1, false, true);
			cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
			cr_assert(x.res.found, "%s seed %" PRIu64, files[f], seed);
			cr_assert(eq(int, sim_explore_replay(&sc, &x.res.first, &v), 1), "%s seed %" PRIu64, files[f], seed);
			cr_assert(eq(str, v.invariant, x.v.invariant));
			sim_schedule_free(&x.res.first);
		}
		sim_scenario_free(&sc);
	}
}

/* A schedule that does not fail has nothing to shrink: shrinking says so and returns none. */
static int run_clean(void *arg, struct sim_chooser *ch, char *why, size_t whylen)
{
	struct sim_race_violation v;
	int rc;

	(void)ch, (void)why, (void)whylen;
	rc = sim_explore_replay(arg, ch->forced, &v);
	return rc;
}

Test(explore_cmd, shrinking_a_clean_schedule_fails)
{
	struct sim_scenario sc;
	struct sim_schedule s = { 0 };
	char why[256];

	load(&sc, "slub-fastpath-tid.json");
	memset(sc.guard_off, 0, sizeof(sc.guard_off));
	sim_schedule_add(&s, 5, SIM_CHOICE_IRQ + 0);
	cr_assert(not(eq(int, sim_explore_shrink(sc.seed, &s, run_clean, &sc, why, sizeof(why)), 0)));
	sim_schedule_free(&s);
	sim_scenario_free(&sc);
}

Test(explore_cmd, results_do_not_depend_on_jobs)
{
	struct sim_scenario sc;
	struct sim_xplore one, two;

	load(&sc, "slab-refill-list-lock.json");
	opts(&one, 7, 400, 1, true, false);
	opts(&two, 7, 400, 2, true, false);
	cr_assert(eq(int, sim_explore_scenario(&sc, &one, stderr), 0));
	cr_assert(eq(int, sim_explore_scenario(&sc, &two, stderr), 0));
	cr_assert(one.res.found && two.res.found);
	cr_assert(eq(u64, one.res.explored, two.res.explored));
	cr_assert(eq(u64, one.res.failing, two.res.failing));
	cr_assert(eq(u64, one.res.first_index, two.res.first_index));
	cr_assert(eq(u64, one.res.first_seed, two.res.first_seed));
	cr_assert(eq(int, one.res.first.nr, two.res.first.nr));
	for (int i = 0; i < one.res.first.nr; i++) {
		cr_assert(eq(u64, one.res.first.f[i].step, two.res.first.f[i].step));
		cr_assert(eq(int, one.res.first.f[i].choice, two.res.first.f[i].choice));
	}
	cr_assert(eq(str, one.v.detail, two.v.detail));
	sim_schedule_free(&one.res.first);
	sim_schedule_free(&two.res.first);
	sim_scenario_free(&sc);
}

/* ---------------------------------------------------------------- bad input */

struct bad_race {
	char json[512];
	char line[256];			/* what stderr must contain */
};

static struct bad_race bad_races[] = {
	{ "{ \"allocator\": \"slub\", \"machine\": { \"nodes\": [ { \"cpus\": 1, \"zones\": { \"dma32\": 16 } } ] },\n"
	  "  \"workload\": { \"streams\": [] },\n"
	  "  \"race\": { \"tasks\": [ { \"ops\": [ { \"op\": \"alloc\", \"cache\": \"nope\" } ] } ] } }\n",
	  "bad.json:3: race.tasks[0].ops[0].cache: no cache \"nope\" after boot" },
	{ "{ \"workload\": { \"streams\": [] },\n"
	  "  \"race\": { \"tasks\": [ { \"ops\": [ { \"op\": \"free\" } ] } ] } }\n",
	  "bad.json:2: race.tasks[0].ops[0]: missing key \"ref\"" },
	{ "{ \"workload\": { \"streams\": [] },\n"
	  "  \"race\": { \"tasks\": [ { \"ops\": [ { \"op\": \"alloc\", \"as\": \"a_name_far_too_long\", \"size\": 8 } ] } ] } }\n",
	  "bad.json:2: race.tasks[0].ops[0].as: expected a name of 1 to 15 characters, got \"a_name_far_too_long\"" },
	{ "{ \"workload\": { \"streams\": [] },\n"
	  "  \"race\": { \"tasks\": [ { \"cpu\": 9, \"ops\": [ { \"op\": \"yield\" } ] } ] } }\n",
	  "bad.json:2: race.tasks[0].cpu: no vCPU 9 on a machine of 4" },
	{ "{ \"workload\": { \"streams\": [] },\n"
	  "  \"race\": { \"watch\": [ { \"kind\": \"pcp\", \"node\": 0 } ] } }\n",
	  "bad.json:2: race.watch[0]: missing key \"zone\"" },
};

ParameterizedTestParameters(explore_cmd, bad_race_scenarios_exit_2)
{
	return cr_make_param_array(struct bad_race, bad_races, sizeof(bad_races) / sizeof(bad_races[0]));
}

ParameterizedTest(struct bad_race *c, explore_cmd, bad_race_scenarios_exit_2)
{
	char *d = helper_tmpdir(), *sc = helper_write_file(d, "bad.json", c->json), *err = NULL;
	const char *argv[] = { "kmemsim", "explore", "bad.json", "--quiet", NULL };

	cr_assert(eq(int, helper_run_kmemsim(d, argv, NULL, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, c->line), NULL)), "%s", err);
	free(err);
	free(sc);
	helper_rmtree(d);
}

Test(explore_cmd, bad_options_exit_2)
{
	char *sc = race_path("slub-fastpath-tid.json");
	char *err = NULL;
	const char *a1[] = { "kmemsim", "explore", sc, "--shard", "2/2", NULL };
	const char *a2[] = { "kmemsim", "explore", sc, "--strategy", "bfs", NULL };
	const char *a3[] = { "kmemsim", "explore", sc, "--strategy", "exhaustive", "--shard", "0/2", NULL };

	cr_assert(eq(int, helper_run_kmemsim(dir, a1, NULL, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "--shard: expected i/N with 0 <= i < N, got \"2/2\""), NULL)), "%s", err);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, a2, NULL, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "--strategy: expected random, pct, pct-shared, split, exhaustive or delay, got \"bfs\""), NULL)), "%s", err);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, a3, NULL, &err), 2));
	free(err);
	free(sc);
}
