/*
 * test_races.c - the race catalogue (the scenarios under scenarios/races).
 *
 * Strategy: for each catalogued race, explore its scenario as shipped (the
 * guard switched off) with PCT of depth 2 and assert a violation within the
 * number of schedules the catalogue states (docs/races.md), that shrinking
 * leaves at most the switches found, and that the shrunk schedule replays to
 * the same invariant on the same object; then switch every guard on and
 * assert that a larger number of schedules finds nothing.  The numbers are
 * upper bounds with room: the schedules each race needs are in the
 * benchmark (tools/bench/bench_races.c).  The same on kernel 6.12, and the
 * refusals of the races one kernel does not have: suite races_612, below.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/kernel.h"
#include "sim/explore/explore.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"

/* Arrays, not pointers: Criterion copies parameters into the test's process. */
struct race_case {
	char file[64];			/* under scenarios/races/ */
	char invariant[32];		/* what the shipped seed's first failure breaks */
	int guard;			/* enum sim_guard switched off */
	int find_within;		/* PCT (depth 2) finds it within this many schedules */
	int clean_in;			/* guard on: no violation in this many */
};

static struct race_case cases[] = {
	{ "slub-fastpath-tid.json", "live_twice", SIM_GUARD_SLUB_TID, 500, 1500 },
	{ "slub-slab-alloc-recheck.json", "balance", SIM_GUARD_SLUB_RECHECK, 500, 1500 },
	{ "slub-free-cmpxchg-double.json", "slub", SIM_GUARD_SLUB_CMPXCHG_DOUBLE, 500, 1500 },
	{ "slab-array-cache-irq.json", "slab", SIM_GUARD_SLAB_IRQ, 500, 1500 },
	{ "slab-refill-list-lock.json", "slab", SIM_GUARD_SLAB_LIST_LOCK, 500, 1500 },
	{ "buddy-pcp-lock-irq.json", "buddy_check", SIM_GUARD_PCP_LOCK, 500, 1500 },
	{ "slub-deactivate-list-lock-irq.json", "deadlock", SIM_GUARD_SLUB_DEACTIVATE_IRQ, 500, 1500 },
	{ "slub-unfreeze-partials-irq.json", "deadlock", SIM_GUARD_SLUB_UNFREEZE_IRQ, 500, 1500 },
	{ "slub-put-cpu-partial-irq.json", "slub", SIM_GUARD_SLUB_CPU_PARTIAL, 2500, 1500 },
	{ "buddy-drain-remote-pcp.json", "buddy_check", SIM_GUARD_PCP_DRAIN_LOCK, 500, 1500 },
	{ "slab-drain-array-shared.json", "slab", SIM_GUARD_SLAB_DRAIN_LOCK, 500, 1500 },
};

static void load(struct sim_scenario *sc, const char *file)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char path[512];

	snprintf(path, sizeof(path), "%s/scenarios/races/%s", root ? root : ".", file);
	cr_assert(eq(int, sim_scenario_load(sc, path, stderr), 0), "%s", path);
}

static void explore_pct(struct sim_xplore *x, uint64_t seed, int nr_schedules, bool shrink)
{
	memset(x, 0, sizeof(*x));
	x->ex.strategy = SIM_EXPLORE_PCT;
	x->ex.seed = seed;
	x->ex.nr_schedules = (uint64_t)nr_schedules;
	x->ex.depth = 2;
	x->ex.jobs = 1;
	x->shrink = shrink;
}

ParameterizedTestParameters(races, guard_off_is_found_and_replays)
{
	return cr_make_param_array(struct race_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct race_case *c, races, guard_off_is_found_and_replays)
{
	struct sim_scenario sc;
	struct sim_xplore x;
	struct sim_race_violation again;

	load(&sc, c->file);
	cr_assert(sc.guard_off[c->guard], "%s ships with its guard off", c->file);
	explore_pct(&x, sc.seed, c->find_within, true);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	cr_assert(x.res.found, "%s: no violation in %d schedules", c->file, c->find_within);
	cr_assert(lt(u64, x.res.first_index, (uint64_t)c->find_within));
	cr_assert(eq(str, x.v.invariant, c->invariant), "%s: %s", c->file, x.v.detail);
	/* Shrinking keeps at most what was found, and at least one switch: the default fails not. */
	cr_assert(le(int, x.res.first.nr, x.nr_found_switches));
	cr_assert(ge(int, x.res.first.nr, 1));
	/* The shrunk schedule replays to the same violation, on the same object, at the same step. */
	cr_assert(eq(int, sim_explore_replay(&sc, &x.res.first, &again), 1));
	cr_assert(eq(str, again.invariant, x.v.invariant));
	cr_assert(eq(str, again.detail, x.v.detail));
	cr_assert(eq(u64, again.step, x.v.step));
	sim_schedule_free(&x.res.first);
	sim_scenario_free(&sc);
}

ParameterizedTestParameters(races, guard_on_is_clean)
{
	return cr_make_param_array(struct race_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct race_case *c, races, guard_on_is_clean)
{
	struct sim_scenario sc;
	struct sim_xplore x;

	load(&sc, c->file);
	memset(sc.guard_off, 0, sizeof(sc.guard_off));
	explore_pct(&x, sc.seed, c->clean_in, false);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	cr_assert(not(x.res.found), "%s with its guard on: %s", c->file, x.res.why);
	cr_assert(eq(u64, x.res.explored, (uint64_t)c->clean_in));
	sim_scenario_free(&sc);
}

/* The default schedule alone is clean for every race: each needs a switch at the right moment. */
ParameterizedTestParameters(races, default_schedule_is_clean)
{
	return cr_make_param_array(struct race_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct race_case *c, races, default_schedule_is_clean)
{
	struct sim_scenario sc;
	struct sim_schedule none = { 0 };
	struct sim_race_violation v;

	load(&sc, c->file);
	cr_assert(eq(int, sim_explore_replay(&sc, &none, &v), 0), "%s: %s: %s", c->file, v.invariant, v.detail);
	sim_scenario_free(&sc);
}

/*
 * The catalogue on kernel 6.12 (docs/races.md, "Linux 6.12"): every race whose code 6.12 has,
 * as above (PCT of depth 2 within the same budgets, the shrunk schedule replays, 1,000
 * schedules clean with every guard on, the default schedule clean); the races 6.12 cannot
 * have are refused before any schedule with one line: SLAB's on 6.12, and the 6.12-only
 * slub-free-node-partial on 6.1.
 */
struct race_case_612 {
	char file[64];			/* under scenarios/races/ */
	char invariant[32];		/* what the shipped seed's first failure breaks on 6.12 */
	int guard;			/* enum sim_guard switched off */
	int find_within;		/* PCT (depth 2) finds it within this many schedules */
};

static struct race_case_612 cases_612[] = {
	{ "slub-fastpath-tid.json", "live_twice", SIM_GUARD_SLUB_TID, 500 },
	{ "slub-slab-alloc-recheck.json", "balance", SIM_GUARD_SLUB_RECHECK, 500 },
	{ "slub-free-cmpxchg-double.json", "slub", SIM_GUARD_SLUB_CMPXCHG_DOUBLE, 500 },
	{ "buddy-pcp-lock-irq.json", "buddy_check", SIM_GUARD_PCP_LOCK, 500 },
	{ "slub-deactivate-list-lock-irq.json", "deadlock", SIM_GUARD_SLUB_DEACTIVATE_IRQ, 500 },
	{ "slub-unfreeze-partials-irq.json", "deadlock", SIM_GUARD_SLUB_UNFREEZE_IRQ, 500 },
	{ "slub-put-cpu-partial-irq.json", "slub", SIM_GUARD_SLUB_CPU_PARTIAL, 2500 },
	{ "buddy-drain-remote-pcp.json", "buddy_check", SIM_GUARD_PCP_DRAIN_LOCK, 500 },
	{ "slub-free-node-partial.json", "freed_slab", SIM_GUARD_SLUB_NODE_PARTIAL, 500 },
};

#define CLEAN_IN 1000

/* A catalogued scenario as --kernel k would run it. */
static void load_on(struct sim_scenario *sc, const char *file, enum kernel_version k)
{
	load(sc, file);
	sc->kernel = (int)k;
	sc->kernel_given = true;
}

ParameterizedTestParameters(races_612, guard_off_is_found_and_replays)
{
	return cr_make_param_array(struct race_case_612, cases_612, sizeof(cases_612) / sizeof(cases_612[0]));
}

ParameterizedTest(struct race_case_612 *c, races_612, guard_off_is_found_and_replays)
{
	struct sim_scenario sc;
	struct sim_xplore x;
	struct sim_race_violation again;

	load_on(&sc, c->file, KERNEL_6_12);
	cr_assert(sc.guard_off[c->guard], "%s ships with its guard off", c->file);
	explore_pct(&x, sc.seed, c->find_within, true);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	cr_assert(x.res.found, "%s on 6.12: no violation in %d schedules", c->file, c->find_within);
	cr_assert(eq(str, x.v.invariant, c->invariant), "%s: %s", c->file, x.v.detail);
	cr_assert(ge(int, x.res.first.nr, 1));
	cr_assert(eq(int, sim_explore_replay(&sc, &x.res.first, &again), 1));
	cr_assert(eq(str, again.invariant, x.v.invariant));
	cr_assert(eq(str, again.detail, x.v.detail));
	sim_schedule_free(&x.res.first);
	sim_scenario_free(&sc);
}

ParameterizedTestParameters(races_612, guard_on_is_clean)
{
	return cr_make_param_array(struct race_case_612, cases_612, sizeof(cases_612) / sizeof(cases_612[0]));
}

ParameterizedTest(struct race_case_612 *c, races_612, guard_on_is_clean)
{
	struct sim_scenario sc;
	struct sim_xplore x;
	struct sim_schedule none = { 0 };
	struct sim_race_violation v;

	load_on(&sc, c->file, KERNEL_6_12);
	memset(sc.guard_off, 0, sizeof(sc.guard_off));
	explore_pct(&x, sc.seed, CLEAN_IN, false);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	cr_assert(not(x.res.found), "%s on 6.12 with its guard on: %s", c->file, x.res.why);
	cr_assert(eq(u64, x.res.explored, (uint64_t)CLEAN_IN));
	sim_scenario_free(&sc);
	/* and, as shipped, the default schedule alone is clean: the race needs a switch */
	load_on(&sc, c->file, KERNEL_6_12);
	cr_assert(eq(int, sim_explore_replay(&sc, &none, &v), 0), "%s: %s: %s", c->file, v.invariant, v.detail);
	sim_scenario_free(&sc);
}

/* A race of one kernel explored on the other: refused with one line, before any schedule. */
struct refusal {
	char file[64];
	int kernel;			/* enum kernel_version it is refused on */
	char line[200];			/* the line; one starting with ':' follows the scenario's path */
};

static struct refusal refusals[] = {
	{ "slab-array-cache-irq.json", KERNEL_6_12, "kmemsim explore: allocator slab on kernel 6.12: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n" },
	{ "slab-refill-list-lock.json", KERNEL_6_12, "kmemsim explore: allocator slab on kernel 6.12: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n" },
	{ "slab-drain-array-shared.json", KERNEL_6_12, "kmemsim explore: allocator slab on kernel 6.12: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n" },
	{ "slub-free-node-partial.json", KERNEL_6_1, ": guards.slub_node_partial: a race of Linux 6.12 only, not of 6.1 (6.1 freezes a slab under list_lock as it leaves the node list, so it has no such check)\n" },
};

ParameterizedTestParameters(races_612, other_kernel_is_refused)
{
	return cr_make_param_array(struct refusal, refusals, sizeof(refusals) / sizeof(refusals[0]));
}

ParameterizedTest(struct refusal *r, races_612, other_kernel_is_refused)
{
	struct sim_scenario sc;
	struct sim_xplore x;
	char *text = NULL, want[800];
	size_t len = 0;
	FILE *err = open_memstream(&text, &len);

	cr_assert(not(eq(ptr, err, NULL)));
	load_on(&sc, r->file, (enum kernel_version)r->kernel);
	explore_pct(&x, sc.seed, 10, false);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, err), SIM_EBADINPUT));
	fclose(err);
	cr_assert(eq(u64, x.res.explored, 0));
	snprintf(want, sizeof(want), "%s%s", r->line[0] == ':' ? sc.path : "", r->line);
	cr_assert(eq(str, text, want));
	free(text);
	sim_scenario_free(&sc);
}
