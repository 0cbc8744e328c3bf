/*
 * explore.h - exploring the schedules of a scenario to find races.
 *
 * In exploration the clock no longer orders the vCPUs: at every yield point
 * where more than one vCPU could run, or where the running vCPU has an
 * interrupt pending that could be taken now, a chooser decides.  A schedule
 * is the list of decisions that differ from the default (keep running the
 * current vCPU; else the lowest-numbered one): each is a forced switch.
 * The same scenario, seed and schedule give the same run.
 *
 * Strategies: random (a seeded choice at each decision), pct (Burckhardt et
 * al., ASPLOS 2010: random priorities, d-1 priority change points; finds a
 * bug of depth d with probability >= 1/(n k^(d-1)) per schedule for n vCPUs
 * and k steps), exhaustive (every schedule with at most K forced switches,
 * depth-first, as CHESS bounds preemptions).
 */
#ifndef KMEMSIM_SIM_EXPLORE_H
#define KMEMSIM_SIM_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"

#define SIM_CHOICE_IRQ SIM_MAX_CPUS	/* choice SIM_CHOICE_IRQ + c: take vCPU c's next interrupt now */

/*
 * split: random with interrupt delivery and preemption as separate coin flips
 * (probabilities 1/irq_every and 1/switch_every, or drawn per schedule),
 * flipped only at yield points that touch shared state; delay: exhaustive
 * under a delay bound (a choice costs its distance after the default in the
 * scheduler's order) instead of a preemption bound; pct-shared: PCT whose
 * change points fall only at yield points that touch shared state.
 */
enum sim_explore_strategy {
	SIM_EXPLORE_RANDOM, SIM_EXPLORE_PCT, SIM_EXPLORE_EXHAUSTIVE,
	SIM_EXPLORE_SPLIT, SIM_EXPLORE_DELAY, SIM_EXPLORE_PCT_SHARED,
	SIM_NR_EXPLORE
};

/* Does a yield point of this cost kind (enum sim_cost, -1 unnamed) touch shared state? */
bool sim_yield_kind_shared(int kind);

/* One forced decision: at decision point `step`, `choice` instead of the default. */
struct sim_forced { uint64_t step; int choice; };

struct sim_schedule {
	struct sim_forced *f;		/* sorted by step */
	int nr, cap;
};

/* A decision point seen during a run (kept for exhaustive search). */
struct sim_decision {
	uint64_t step;
	int n, dflt, chosen;
	int cands[8];			/* first candidates (exhaustive explores up to 8) */
};

/* Decides at each decision point of one run; installed with sim_chooser_install. */
struct sim_chooser {
	enum sim_explore_strategy strategy;
	const struct sim_schedule *forced; /* followed first (replay, shrink, exhaustive prefix) */
	int next_forced;
	bool forced_only;		/* after the forced list: defaults only */
	struct sim_prng prng;		/* random and pct draws */
	int depth;			/* pct: d */
	uint64_t est_steps;		/* pct: k, the expected number of decision points */
	int prio[2 * SIM_MAX_CPUS];	/* pct priorities (vCPUs, then their IRQs), higher runs first */
	bool pct_ready;			/* priorities drawn */
	uint64_t change[16];		/* pct change points (steps) */
	uint64_t steps;			/* decision points so far */
	uint64_t shared_steps;		/* of them at yield points that touch shared state */
	uint32_t p_irq, p_switch;	/* split: probabilities in 1/2^32 */
	struct sim_schedule taken;	/* what this run actually forced */
	struct sim_decision *log;	/* every decision point (when keep_log) */
	size_t nr_log, cap_log;
	bool keep_log;
};

/* Set up a chooser for one run of `strategy` with this schedule's seed. */
void sim_chooser_init(struct sim_chooser *ch, enum sim_explore_strategy strategy, uint64_t seed,
		      int depth, uint64_t est_steps, int nr_cpus /* unused: taken from the engine */);
void sim_chooser_free(struct sim_chooser *ch);
/* Make the engine ask `ch` at every decision point (before sim_engine_run). */
void sim_chooser_install(struct sim_chooser *ch);
/* Called by the engine: index into cands of the choice; cur = running vCPU. */
int sim_chooser_choose(struct sim_chooser *ch, int n, const int *cands, int cur);

void sim_schedule_add(struct sim_schedule *s, uint64_t step, int choice);
void sim_schedule_free(struct sim_schedule *s);
int sim_schedule_write(const struct sim_schedule *s, uint64_t seed, const char *path); /* 0 or -1 */
int sim_schedule_read(struct sim_schedule *s, uint64_t *seed, const char *path, FILE *err); /* 0 or 2 */

/* One run of the scenario under `ch`: 1 = an invariant broke (why filled), 0 = clean, <0 error. */
typedef int sim_explore_run_fn(void *arg, struct sim_chooser *ch, char *why, size_t whylen);

struct sim_explore_opts {
	enum sim_explore_strategy strategy;
	uint64_t seed;			/* schedule i uses a seed derived from (seed, i) */
	uint64_t nr_schedules;		/* random / pct: how many; exhaustive: a cap */
	int depth;			/* pct d (default 3) */
	int preemptions;		/* exhaustive K (default 2); delay: the delay bound */
	uint64_t irq_every, switch_every; /* split: 1/N per decision; 0 = drawn per schedule */
	bool all;			/* do not stop at the first violation */
	int jobs;			/* worker processes (random / pct) */
	int shard, nr_shards;		/* run only schedules i with i % nr_shards == shard */
	bool progress;			/* a progress line on stderr */
};

struct sim_explore_result {
	uint64_t explored;		/* schedules run */
	uint64_t failing;		/* schedules with a violation */
	bool exhausted;			/* exhaustive: the bounded space was covered */
	bool found;
	uint64_t first_index;		/* index of the first failing schedule */
	uint64_t first_seed;		/* its seed */
	struct sim_schedule first;	/* its forced decisions */
	char why[256];			/* the violation */
};

/* The seed of schedule i. */
uint64_t sim_explore_seed(uint64_t seed, uint64_t i);
/* Explore; 0, or <0 when a run failed with an error. */
int sim_explore(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg,
		struct sim_explore_result *res);
#define SIM_SHRINK_BUDGET 20000	/* runs per bound when shrinking by bounded search */

/* Shrink a failing schedule to the fewest forced decisions that still fail (in place). */
int sim_explore_shrink(uint64_t seed, struct sim_schedule *s, sim_explore_run_fn *run, void *arg,
		       char *why, size_t whylen);

#endif
