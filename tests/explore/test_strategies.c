/*
 * test_strategies.c - the exploration strategies beside random, pct and
 * exhaustive (sim/engine/schedule.c): split (interrupts and preemptions as
 * separate coin flips at shared-state yields), delay (delay-bounded
 * depth-first search) and pct-shared (PCT whose change points fall at
 * shared-state yields only, interrupts below every vCPU).
 *
 * Strategy: fixed scenarios and seeds, so every count here is exact: a race
 * found by a new strategy within a bound its figures (docs/races.md) leave
 * room under; the delay bound against the preemption bound on hand-sized
 * machines; the old strategies' answers unchanged (pct's schedule 4 on the
 * tid race is the one the docs print).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "sim/explore/explore.h"
#include "sim/scenario/scenario.h"

static void load_race(struct sim_scenario *sc, const char *name)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char path[512];

	snprintf(path, sizeof(path), "%s/scenarios/races/%s.json", root ? root : ".", name);
	cr_assert(eq(int, sim_scenario_load(sc, path, stderr), 0), "%s", path);
}

static void xsetup(struct sim_xplore *x, enum sim_explore_strategy s, uint64_t seed, uint64_t n, int bound)
{
	memset(x, 0, sizeof(*x));
	x->ex.strategy = s;
	x->ex.seed = seed;
	x->ex.nr_schedules = n;
	x->ex.depth = 2;
	x->ex.preemptions = bound;
	x->ex.jobs = 1;
}

/* The index of the first failing schedule of `name` under s (seed 1), or -1. */
static long long first_failure(const char *name, enum sim_explore_strategy s, uint64_t n, int bound)
{
	struct sim_scenario sc;
	struct sim_xplore x;
	long long r;

	load_race(&sc, name);
	xsetup(&x, s, 1, n, bound);
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	r = x.res.found ? (long long)x.res.first_index : -1;
	if (x.res.found)
		cr_assert(eq(int, x.res.first.nr, 1), "%s: one forced switch suffices", name);
	sim_schedule_free(&x.res.first);
	sim_scenario_free(&sc);
	return r;
}

Test(strategies, names_round_trip)
{
	static const char *const names[] = { "random", "pct", "exhaustive", "split", "delay", "pct-shared" };

	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		enum sim_explore_strategy s;

		cr_assert(eq(int, sim_explore_strategy_parse(names[i], &s), 0), "%s", names[i]);
		cr_assert(eq(int, (int)s, i));
		cr_assert(eq(str, (char *)sim_explore_strategy_name(s), (char *)names[i]));
	}
}

Test(strategies, shared_yields_are_data_not_control)
{
	cr_assert(sim_yield_kind_shared(SIM_COST_LOCK));
	cr_assert(sim_yield_kind_shared(SIM_COST_MEM));
	cr_assert(sim_yield_kind_shared(SIM_COST_CMPXCHG_DOUBLE));
	cr_assert(sim_yield_kind_shared(SIM_COST_IRQ), "the last moment before IRQs go off");
	cr_assert(not(sim_yield_kind_shared(SIM_COST_PREEMPT)));
	cr_assert(not(sim_yield_kind_shared(SIM_COST_LOCK_SPIN)));
	cr_assert(not(sim_yield_kind_shared(-1)));
}

/* The old strategies answer as before: the docs' example (pct, schedule 4).  Exhaustive on the
 * pcp race: 13 since its script frees a second order-1 page for 6.12 (depth first from the end,
 * it meets that free's harmless drain window first; 4 before). */
Test(strategies, pct_answers_as_before, .timeout = 60)
{
	cr_assert(eq(i64, first_failure("slub-fastpath-tid", SIM_EXPLORE_PCT, 100, 1), 4));
	cr_assert(eq(i64, first_failure("buddy-pcp-lock-irq", SIM_EXPLORE_EXHAUSTIVE, 100, 1), 13));
}

/* PCT over shared-state yields finds the interrupt race PCT needs ~190 schedules for. */
Test(strategies, pct_shared_finds_the_pcp_race_quickly, .timeout = 60)
{
	long long i = first_failure("buddy-pcp-lock-irq", SIM_EXPLORE_PCT_SHARED, 100, 1);

	cr_assert(ge(i64, i, 0), "pct-shared: the pcp race not found in 100 schedules");
}

/* Random takes the pending interrupt at once and never finds the tid race; split does. */
Test(strategies, split_finds_an_interrupt_race_random_misses, .timeout = 60)
{
	cr_assert(eq(i64, first_failure("slub-fastpath-tid", SIM_EXPLORE_RANDOM, 300, 1), -1));
	cr_assert(ge(i64, first_failure("slub-fastpath-tid", SIM_EXPLORE_SPLIT, 300, 1), 0));
}

/* The same seed gives the same split exploration, and fixed odds are used as given. */
Test(strategies, split_is_deterministic, .timeout = 60)
{
	struct sim_scenario sc;
	struct sim_xplore a, b;

	load_race(&sc, "slub-fastpath-tid");
	xsetup(&a, SIM_EXPLORE_SPLIT, 7, 500, 1);
	a.ex.irq_every = 8;
	xsetup(&b, SIM_EXPLORE_SPLIT, 7, 500, 1);
	b.ex.irq_every = 8;
	cr_assert(eq(int, sim_explore_scenario(&sc, &a, stderr), 0));
	cr_assert(eq(int, sim_explore_scenario(&sc, &b, stderr), 0));
	cr_assert(a.res.found && b.res.found);
	cr_assert(eq(u64, a.res.first_index, b.res.first_index));
	cr_assert(eq(u64, a.res.first.f[0].step, b.res.first.f[0].step));
	sim_schedule_free(&a.res.first);
	sim_schedule_free(&b.res.first);
	sim_scenario_free(&sc);
}

/* Tasks of one yield each on `cpus` vCPUs: every schedule under a bound, counted. */
static uint64_t bounded_count(int cpus, enum sim_explore_strategy s, int bound)
{
	char *dir = helper_tmpdir(), *file, text[1024];
	struct sim_scenario sc;
	struct sim_xplore x;
	int n;

	n = snprintf(text, sizeof(text),
		     "{ \"name\": \"tiny\", \"allocator\": \"buddy\",\n"
		     "  \"machine\": { \"nodes\": [ { \"cpus\": %d, \"zones\": { \"dma32\": 16 } } ] },\n"
		     "  \"sched\": { \"preempt\": \"none\", \"hz\": 0 }, \"snapshot_interval_us\": 0,\n"
		     "  \"workload\": { \"streams\": [] }, \"race\": { \"tasks\": [", cpus);
	for (int c = 0; c < cpus; c++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s { \"cpu\": %d, \"ops\": [ { \"op\": \"yield\" } ] }",
			      c ? "," : "", c);
	snprintf(text + n, sizeof(text) - (size_t)n, " ] } }\n");
	file = helper_write_file(dir, "tiny.json", text);
	cr_assert(eq(int, sim_scenario_load(&sc, file, stderr), 0));
	xsetup(&x, s, 1, 100000, bound);
	x.ex.all = true;
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0));
	cr_assert(x.res.exhausted, "the bounded space is covered");
	sim_scenario_free(&sc);
	free(file);
	helper_rmtree(dir);
	return x.res.explored;
}

/* With two candidates a delay is a preemption; with three, skipping two costs two delays. */
Test(strategies, delay_bound_against_preemption_bound, .timeout = 60)
{
	for (int k = 0; k <= 2; k++)
		cr_assert(eq(u64, bounded_count(2, SIM_EXPLORE_DELAY, k), bounded_count(2, SIM_EXPLORE_EXHAUSTIVE, k)),
			  "2 vCPUs, bound %d", k);
	cr_assert(eq(u64, bounded_count(3, SIM_EXPLORE_DELAY, 0), 1));
	cr_assert(lt(u64, bounded_count(3, SIM_EXPLORE_DELAY, 1), bounded_count(3, SIM_EXPLORE_EXHAUSTIVE, 1)));
	cr_assert(le(u64, bounded_count(3, SIM_EXPLORE_EXHAUSTIVE, 1), bounded_count(3, SIM_EXPLORE_DELAY, 2)));
}

/* Delay-bounded search finds each one-switch race, as preemption bounding does. */
Test(strategies, delay_finds_the_pcp_race, .timeout = 60)
{
	cr_assert(ge(i64, first_failure("buddy-pcp-lock-irq", SIM_EXPLORE_DELAY, 100, 1), 0));
}
