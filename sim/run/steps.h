/*
 * steps.h - the steps table of a race run: one row per yield point, so that
 * a race reads as a story in SQL (sim/run/steps.c, docs/races.md).
 *
 *   steps (step, time_ns, cpu, context, task, irqs_off, preempt_count,
 *          op_seq, op_kind, func, label, cost, cost_ns, decision, next, forced)
 *   watch (step, name, value, seq) the watched shared state, when it changed (seq: in that order)
 *   reads (step, name, field, value, expected, now, seq) reads of watched fields (expected = 1:
 *                                  a cmpxchg's expected value, now: what was there; seq: as watch)
 *   broken (step, invariants, seq) the state invariants that fail after the code of step (a row when
 *                                  that set changes; "" = all hold): the first broken step
 *   forced (decision, choice, step) the schedule's forced switches, as taken
 *   names (op_seq, name)           the script's name ("as" / "ref") an operation allocated or freed
 *   view story                     steps with what changed at each
 *
 * Written by sim_run in race mode with a database (sim/run/races.c).
 */
#ifndef KMEMSIM_SIM_STEPS_H
#define KMEMSIM_SIM_STEPS_H

#include <stdint.h>
#include <stdio.h>

struct sim_db;
struct sim_scenario;

/* Create the tables, resolve the scenario's watches, install the engine's step hook.
 * 0, or SIM_EFAIL / SIM_EBADINPUT after one line on err. */
int sim_steps_begin(const struct sim_scenario *sc, struct sim_db *db, FILE *err);
/* Do the scenario's watches name what exists (allocators up)?  0, or SIM_EBADINPUT after one line on err. */
int sim_steps_check(const struct sim_scenario *sc, FILE *err);
/* The operation op_seq allocates or frees what the scenario's script calls `name` (script.c). */
void sim_steps_name(uint64_t op_seq, const char *name);
/* Write the buffered row, the view; remove the hook.  0 or -1. */
int sim_steps_end(void);

#endif
