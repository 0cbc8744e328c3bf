/*
 * explore_cmd.h - `kmemsim explore` and `kmemsim merge` (sim/explore_cmd.c),
 * and the replay of a forced schedule by `kmemsim run --schedule FILE`.
 *
 * A forced schedule ("kmemsim-forced 1", sim/explore.h) is replayed by a
 * chooser that follows its forced switches and the default everywhere else:
 * the run is then in exploration mode (clocks no longer order the vCPUs),
 * exactly as when the explorer ran it.
 */
#ifndef KMEMSIM_SIM_EXPLORE_CMD_H
#define KMEMSIM_SIM_EXPLORE_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "../engine/schedule.h"
#include "../run/races.h"

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

/* If `path` is a forced schedule, read it and install a chooser following it (*out, to be
 * closed).  0 installed, 1 not a forced schedule (leave it to sim_schedule_replay),
 * SIM_EBADINPUT after one line on err. */
int sim_forced_open(const char *path, struct sim_chooser **out, FILE *err);
/* After the run: warn on err when it did not take every forced switch; free. */
void sim_forced_close(struct sim_chooser *ch, FILE *err);

/* The subcommands (listed in sim/cli.c). */
int sim_cli_explore(int argc, char **argv, FILE *out, FILE *err);	/* explore a scenario's schedules */
int sim_cli_merge(int argc, char **argv, FILE *out, FILE *err);	/* merge sharded explorations */

#endif
