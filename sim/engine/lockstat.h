/*
 * lockstat.h - wait and hold times of every simulated spinlock.
 *
 * Each spinlock_t registers once (spin_lock_init_named) and gets an id;
 * the primitives add to its row.  Rows are per lock instance, in
 * registration order; names may repeat (one "pcp->lock N0 DMA32" per CPU):
 * the owner (CPU, node, zone, cache) tells the instances apart.
 */
#ifndef KMEMSIM_SIM_LOCKSTAT_H
#define KMEMSIM_SIM_LOCKSTAT_H

#include <stdint.h>

struct sim_lockstat {
	const char *name;		/* as registered (copied) */
	uint64_t acquired;		/* successful acquisitions */
	uint64_t contended;		/* acquisitions that had to spin */
	uint64_t failed_trylock;	/* spin_trylock that found it held */
	uint64_t wait_ns;		/* total simulated time spent spinning */
	uint64_t max_wait_ns;
	uint64_t hold_ns;		/* total simulated time held */
	int cpu, node, zone;		/* whose lock: -1 when not per CPU, node or zone */
	const char *cache;		/* the slab cache's name (copied), NULL when none */
};

uint32_t sim_lockstat_register(const char *name);		/* new row; its id */
struct sim_lockstat *sim_lockstat_at(uint32_t id);		/* row of id */
/* The owner of row id: cpu, node, zone (-1: none), cache name (NULL: none; copied). */
void sim_lockstat_owner(uint32_t id, int cpu, int node, int zone, const char *cache);
int sim_lockstat_count(void);					/* rows */
const struct sim_lockstat *sim_lockstat_get(int i);		/* row i, 0-based */
void sim_lockstat_reset(void);					/* forget every row */

#endif
