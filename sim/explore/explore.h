/*
 * explore_cmd.h - `kmemsim explore` and `kmemsim merge` (sim/explore/explore.c),
 * and the replay of a forced schedule by `kmemsim run --schedule FILE`.
 *
 * A forced schedule ("kmemsim-forced 1", sim/engine/schedule.h) is replayed by a
 * chooser that follows its forced switches and the default everywhere else:
 * the run is then in exploration mode (clocks no longer order the vCPUs),
 * exactly as when the explorer ran it.
 */
#ifndef KMEMSIM_SIM_EXPLORE_CMD_H
#define KMEMSIM_SIM_EXPLORE_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "../engine/engine.h"
#include "../run/run.h"

struct sim_chooser;
struct sim_scenario;

/* One exploration of a loaded scenario, as `kmemsim explore` runs it (tests, benchmark). */
struct sim_xplore {
	struct sim_explore_opts ex;	/* strategy, seed, nr_schedules, depth, preemptions, all, jobs, shard */
	bool shrink;			/* shrink the first failing schedule */
	struct sim_explore_result res;	/* res.first: the (shrunk) schedule of the first failure */
	struct sim_race_violation v;	/* the violation res.first replays to */
	int nr_found_switches;		/* its forced switches before shrinking */
	double wall_s, shrink_s;	/* wall-clock seconds exploring, shrinking */
};
/* Explore sc (machine seed and race.check_every as given; x->ex.seed seeds the schedules).
 * 0 (x->res.found says whether a violation was found), SIM_EFAIL, or SIM_EBADINPUT after
 * one line on err (the scenario's first run found bad input). */
int sim_explore_scenario(const struct sim_scenario *sc, struct sim_xplore *x, FILE *err);
/* One run of sc under a forced schedule (forced decisions, defaults elsewhere): 1 a violation
 * (in *v when not NULL), 0 clean, < 0 an error. */
int sim_explore_replay(const struct sim_scenario *sc, const struct sim_schedule *s, struct sim_race_violation *v);

/* "random", "pct", "exhaustive"; and back: 0, or -1 for another name. */
const char *sim_explore_strategy_name(enum sim_explore_strategy s);
int sim_explore_strategy_parse(const char *name, enum sim_explore_strategy *out);

#endif
