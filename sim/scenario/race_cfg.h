/*
 * race_cfg.h - the scenario's "race" section: a tiny scripted workload for
 * reproducing allocator races, and the shared state it watches.
 *
 * A race scenario has no synthetic streams; instead each task script is a
 * short list of steps run by one task pinned to a vCPU, and each interrupt
 * script is a list of steps run by an interrupt handler raised on a vCPU
 * for a given simulated time (exploration may deliver it earlier, at any
 * yield point where that vCPU has IRQs on).  Steps name what they allocate
 * ("as") so that later steps, in any script, can free it ("ref").  Loaded
 * by sim/scenario/scenario.c (key "race", docs/scenario.md), run by sim/run/script.c,
 * checked by sim/run/races.c, watched by sim/run/steps.c.
 */
#ifndef KMEMSIM_SIM_RACE_CFG_H
#define KMEMSIM_SIM_RACE_CFG_H

#include <stdint.h>

#define SIM_MAX_SCRIPTS 8		/* task scripts, and interrupt scripts, of a race */
#define SIM_MAX_SCRIPT_OPS 16		/* steps of one script */
#define SIM_SCRIPT_NAME_MAX 16		/* bytes of a name ("as", "ref"), NUL included */
#define SIM_MAX_WATCHES 8		/* pieces of shared state a race watches */
#define SIM_WATCH_CACHE_MAX 48		/* bytes of a watched cache's name (SIM_CACHE_NAME_MAX) */

/* What a script step does (sim_script_op.op; the names are the JSON's). */
enum sim_script_kind {
	SIM_SCRIPT_ALLOC,		/* "alloc": kmem_cache_alloc_node(cache) or kmalloc_node(size) */
	SIM_SCRIPT_ALLOC_PAGES,		/* "alloc_pages": alloc_pages_node(order) */
	SIM_SCRIPT_FREE,		/* "free": kmem_cache_free / kfree / __free_pages of ref */
	SIM_SCRIPT_WAIT,		/* "wait": spin until ref is freed (or live) */
	SIM_SCRIPT_YIELD,		/* "yield": one yield point, nothing else */
	SIM_SCRIPT_DRAIN,		/* "drain_all_pages": every CPU's pcp lists back to the zones */
	SIM_SCRIPT_CACHE_REAP,		/* "cache_reap": SLAB's reaper now on this vCPU's kworker, waited for */
	SIM_NR_SCRIPT_KINDS
};

/* What a watch shows (sim_watch_cfg.kind). */
enum sim_watch_kind {
	SIM_WATCH_SLUB,			/* a SLUB cache: each CPU's freelist, tid, slab; the cpu slabs */
	SIM_WATCH_SLAB,			/* a SLAB cache: each CPU's array_cache, the node lists */
	SIM_WATCH_PCP,			/* a zone's per-CPU page lists: count and first page */
	SIM_NR_WATCH_KINDS
};

/* One step of a script. */
struct sim_script_op {
	int op;				/* enum sim_script_kind */
	char cache[SIM_WATCH_CACHE_MAX];	/* alloc: from this cache; "" = kmalloc(size) */
	uint32_t size;			/* alloc without a cache: bytes for kmalloc */
	uint32_t order;			/* alloc_pages: the order */
	int nid;			/* node asked for; -1 = any */
	uint32_t gfp;			/* 0: GFP_KERNEL in a task, irq.gfp in an interrupt */
	int until;			/* wait: 0 = until ref has been freed, 1 = until it is live */
	uint64_t at_ns;			/* task steps: start no earlier than this simulated time; 0 = at once */
	char as[SIM_SCRIPT_NAME_MAX];	/* alloc: the name of what it returns */
	char ref[SIM_SCRIPT_NAME_MAX];	/* free, wait: the name */
};

/* A task script (on `cpu`, pinned) or an interrupt script (raised on `cpu` for at_ns). */
struct sim_script {
	int cpu;
	uint64_t at_ns;			/* interrupts only */
	int nr_ops;
	struct sim_script_op op[SIM_MAX_SCRIPT_OPS];
};

/* One watched piece of shared state. */
struct sim_watch_cfg {
	int kind;			/* enum sim_watch_kind */
	char cache[SIM_WATCH_CACHE_MAX];	/* slub, slab: the cache */
	int nid;			/* pcp: the node */
	int zid;			/* pcp: the zone (0 DMA, 1 DMA32, 2 Normal, 3 Movable) */
};

struct sim_race_cfg {
	int nr_tasks, nr_irqs, nr_watches;	/* all 0: no race section */
	struct sim_script task[SIM_MAX_SCRIPTS];
	struct sim_script irq[SIM_MAX_SCRIPTS];
	struct sim_watch_cfg watch[SIM_MAX_WATCHES];
	uint64_t check_every;		/* race invariants after every N ops (quiescent); 0 = at the end */
};

#endif
