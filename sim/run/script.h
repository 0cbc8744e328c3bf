/*
 * script.h - the scripted workload of a race scenario (the scenario's
 * "race" section, sim/scenario/race_cfg.h): one pinned task per task script, one
 * interrupt per interrupt script, a table of named results.
 *
 * sim_workload_create calls sim_script_create after its streams; the engine
 * then runs the tasks.  Each task runs its steps in order; a "free" of a
 * name not yet allocated and a "wait" spin (offered to the explorer only
 * when nobody else can run) until another script makes the name live or
 * frees it.  When every task is done and every interrupt has run, the last
 * task frees whatever is still live, in allocation order, so a run leaves
 * the allocators as clean as the race allowed.
 */
#ifndef KMEMSIM_SIM_SCRIPT_H
#define KMEMSIM_SIM_SCRIPT_H

#include <stdint.h>
#include <stdio.h>

struct sim_scenario;

/* What the scripts did (tests and reports). */
struct sim_script_stats {
	uint64_t nr_steps;		/* steps run, tasks and interrupts */
	uint64_t nr_skipped;		/* steps that could not run (a free of a dead name in an IRQ, a wait nobody ends) */
	uint64_t nr_failed;		/* allocations that returned nothing */
	uint64_t nr_cleanup;		/* frees of the final cleanup */
};

/* Create the tasks and raise the interrupts of sc->race (engine and allocators set up).
 * 0 (also when there is no race section), SIM_EBADINPUT after one line on err, SIM_EFAIL. */
int sim_script_create(const struct sim_scenario *sc, FILE *err);
/* Totals of the scripts of the current run. */
void sim_script_stats(struct sim_script_stats *out);
/* Forget the current run's scripts (after the engine is done with its tasks). */
void sim_script_destroy(void);
/* "alloc", "alloc_pages", "free", "wait", "yield". */
const char *sim_script_kind_name(int kind);

#endif
