/*
 * slabdb.h - the slab allocators' part of a run's database (sim/slabdb.c):
 * caches and their aliases, slab lifecycle events, slabinfo snapshots, and
 * the allocators' counters (SLUB stat_items, SLAB STATS_*) both as final
 * totals and as per-operation deltas, so that any window of a run can be
 * counted exactly (sim/slabinfo.c reads them back).
 *
 * Call order in a run: sim_slabdb_start (before slab_common_init: boot's
 * counter bumps are kept too) -> sim_slabdb_baseline (after boot, before the
 * engine runs) -> sim_slabdb_op_end for every ended operation, before its row
 * is written -> sim_slabdb_snapshot periodically -> sim_slabdb_final ->
 * sim_slabdb_stop.  Tables and views: docs/database.md.
 */
#ifndef KMEMSIM_SIM_SLABDB_H
#define KMEMSIM_SIM_SLABDB_H

#include <stdbool.h>
#include <stdint.h>

struct sim_db;
struct sim_op;
struct sim_scenario;

/* SLAB's STATS_* counters as items of the per-operation deltas (ops.stats, stat_bumps). */
#define SIM_SLAB_NR_STAT_ITEMS 11
const char *sim_slab_stat_name(int item);		/* "listallocs", ... "freemiss" */

/* Create the tables; with `log_ops`, hook the counter and event sinks.  0 or -1. */
int sim_slabdb_start(struct sim_db *db, const struct sim_scenario *sc, bool log_ops);
int sim_slabdb_baseline(void);				/* boot is over; 0 or -1 */
void sim_slabdb_op_end(struct sim_op *op);		/* before its row; may move stats[] to rows */
int sim_slabdb_snapshot(uint64_t ns, bool final);	/* slabinfo of every cache; 0 or -1 */
int sim_slabdb_final(uint64_t ns);			/* caches, aliases, totals; 0 or -1 */
void sim_slabdb_stop(void);				/* sinks off, memory freed */

#endif
