/*
 * memory_cfg.h - the scenario's "memory" section: tasks that fill the
 * page cache and fault anonymous memory, so that reclaim, kswapd and the OOM
 * killer (models/buddy/vmscan.c, kswapd.c, oom_kill.c) have something to
 * take back.  Loaded by sim/scenario/scenario_memory.c (docs/scenario.md),
 * run by sim/run/memory.c.
 */
#ifndef KMEMSIM_SIM_MEMORY_CFG_H
#define KMEMSIM_SIM_MEMORY_CFG_H

#include <stdint.h>

#define SIM_MAX_MEMORY_TASKS 16		/* page cache readers, and anonymous tasks */

/* A task reading one file: `reads` page reads, hot_pct of them within the first working_set pages. */
struct sim_page_cache_cfg {
	int cpu;
	uint64_t file_pages;		/* the file's size in pages */
	uint64_t reads;			/* page reads (filemap_read, one page each) */
	uint64_t working_set;		/* the hot pages at the file's start; 0 = the whole file */
	uint32_t hot_pct;		/* share of reads within the working set, 0..100 */
	uint32_t think_ns;		/* between reads */
};

/* A task faulting in `pages` anonymous pages, holding them hold_us, then exiting. */
struct sim_anon_cfg {
	int cpu;
	uint64_t pages;
	uint32_t think_ns;		/* between faults */
	uint64_t hold_ns;		/* after the last fault, before exit */
	int oom_score_adj;		/* -1000..1000 */
};

/* A task looking up `objects` names: each a dentry (kmem_cache "dentry", SLAB_RECLAIM_ACCOUNT) kept
 * unused on the dcache LRU, which the superblock's shrinker prunes under memory pressure. */
struct sim_dentry_cfg {
	int cpu;
	uint64_t objects;
	uint32_t think_ns;		/* between lookups */
};

struct sim_memory_cfg {
	int nr_page_cache, nr_anon, nr_dentries;
	struct sim_dentry_cfg dentries[SIM_MAX_MEMORY_TASKS];
	struct sim_page_cache_cfg page_cache[SIM_MAX_MEMORY_TASKS];
	struct sim_anon_cfg anon[SIM_MAX_MEMORY_TASKS];
};

#endif
