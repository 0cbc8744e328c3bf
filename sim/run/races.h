/*
 * races.h - the race mode of a run: the invariants a race breaks, checked
 * while a scripted race scenario runs (sim/run/races.c).
 *
 * sim_run turns it on for a scenario with a "race" section: it feeds every
 * ended operation to sim_races_op and adds sim_races_check to its final
 * checks.  The invariants, each with the name the violations table gives:
 *   live_twice   no object or page is handed out again while it is live
 *   freed_slab   no object is handed out from a page that is no slab any more
 *   balance      per cache the script uses: objects the allocator counts in
 *                use == objects live at boot + objects the run holds
 *   buddy_check, slub, slab   the allocators' own checkers (freelists well
 *                formed, acyclic, as long as their counters say; counters
 *                agree with the structures; no BUG_ON hit)
 *   deadlock     the run stopped on a lock its own vCPU holds (sim/run/run.c)
 * The first two are checked at every allocation; the rest after every
 * check_every operations at a moment no operation is in flight (never
 * holding a task back, so checking does not change the interleaving) and
 * at the end (check_every: the scenario's race.check_every, or what the
 * forced schedule being replayed says).  With a database, also the steps
 * table (sim/run/steps.h).
 */
#ifndef KMEMSIM_SIM_RACES_H
#define KMEMSIM_SIM_RACES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_db;
struct sim_op;
#include "run.h"

struct sim_scenario;

/* Does the scenario run in race mode (it has a race section)? */
bool sim_races_wanted(const struct sim_scenario *sc);
/* Start (allocators up, workload not yet created); with db, the steps table too.
 * 0, or SIM_EFAIL / SIM_EBADINPUT after one line on err. */
int sim_races_begin(const struct sim_scenario *sc, struct sim_db *db, FILE *err);
/* An operation ended (the run's op sink).  true: an invariant broke, described in *v. */
bool sim_races_op(const struct sim_op *op, struct sim_race_violation *v);
/* The balance invariant as a checker for the final check; true = consistent. */
bool sim_races_check(FILE *why);
/* Rows still buffered go to the database; forget the run. */
int sim_races_end(void);
/* Check after every n operations from now on (a forced schedule's "# check_every=n"). */
void sim_races_set_check_every(uint64_t n);
/* The state invariants (buddy_check, the allocator's checker, balance) that do not hold now,
 * by name, space-separated into buf ("" when all hold): for the steps table's first broken step. */
void sim_races_broken_now(char *buf, size_t size);
/* Current yield point (the steps table's step). */
uint64_t sim_races_step(void);

#endif
