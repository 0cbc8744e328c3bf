/*
 * slub.h - what the SLUB model (models/slub/, Linux 6.1.192 mm/slub.c)
 * offers beyond the slub_allocator table of models/slab_common/slab_common.h: its
 * configuration and boot parameters, the CONFIG_SLUB_STATS counters,
 * tuning, flushing and the invariant checker.
 *
 * Paths the model marks on the current operation (sim/engine/path.h):
 *   alloc  L1 c->freelist: the lockless fast path, or the slow path finding
 *             c->freelist refilled under the local lock
 *          L2 c->slab's slab->freelist taken over (get_freelist)
 *          L3 a slab from this CPU's partial list (slub_percpu_partial)
 *          L4 a slab from a node partial list, local or remote (get_partial)
 *          L5 a new slab from the page allocator (new_slab)
 *   free   L1 fast path (pushed on c->freelist)
 *          L2 slow path (__slab_free); what became of the slab is in the labels:
 *             __slab_free:frozen, :cpu_partial, :no_list_change, :keep_empty, :slab_empty
 * That is 6.1 (models/slub/6.1/slub.c).  6.12 (models/slub/6.12/slub.c) keeps the levels;
 * its labels and counters per level are in docs/kernel-6.12.md, "SLUB paths".
 */
#ifndef KMEMSIM_MODELS_SLUB_H
#define KMEMSIM_MODELS_SLUB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kmem_cache;

/* Configuration and boot parameters; set before slab_common_init. */
struct slub_params {
	unsigned int min_order;		/* slub_min_order= (default 0) */
	unsigned int max_order;		/* slub_max_order= (default 3, PAGE_ALLOC_COSTLY_ORDER) */
	unsigned int min_objects;	/* slub_min_objects= (default 0: from the present CPUs) */
	bool freelist_random;		/* CONFIG_SLAB_FREELIST_RANDOM (Debian: on) */
	bool freelist_hardened;		/* CONFIG_SLAB_FREELIST_HARDENED (Debian: on) */
	unsigned int debug;		/* slub_debug= for every cache: SLAB_RED_ZONE, SLAB_POISON,
					 * SLAB_STORE_USER, SLAB_TRACE, SLAB_CONSISTENCY_CHECKS
					 * (models/slab_common/slab_common.h); 0 = off (Debian) */
	bool cpu_partial;		/* CONFIG_SLUB_CPU_PARTIAL (Debian: on); off: no per-CPU partial lists */
};
void slub_params_default(struct slub_params *p);	/* Debian 6.1 amd64 */
void slub_set_params(const struct slub_params *p);	/* takes effect at the next init */

/* CONFIG_SLUB_STATS: counter `item` (0..slub_nr_stat_items()-1) of `cpu`, or summed when cpu < 0. */
int slub_nr_stat_items(void);
const char *slub_stat_name(int item);			/* sysfs name: "alloc_fastpath", ... */
unsigned long slub_stat(const struct kmem_cache *s, int item, int cpu);
void slub_stat_clear(struct kmem_cache *s);		/* writing 0 to the sysfs files */

/* What /sys/kernel/slab/<cache>/ shows of a cache's geometry and tunables (no yield). */
struct slub_attrs {
	unsigned int order, objs_per_slab;	/* oo_order(s->oo), oo_objects(s->oo) */
	unsigned int object_size, slab_size;	/* s->object_size, s->size */
	unsigned int align, offset, inuse;	/* s->align, free pointer offset, s->inuse */
	unsigned int cpu_partial, cpu_partial_slabs;
	unsigned long min_partial;
};
void slub_get_attrs(const struct kmem_cache *s, struct slub_attrs *out);

/* kernel: min_partial_store, mm/slub.c (/sys/kernel/slab/<cache>/min_partial) */
void slub_store_min_partial(struct kmem_cache *s, unsigned long min);
/* sysfs cpu_partial store: slub_set_cpu_partial, then flush_all. */
int slub_store_cpu_partial(struct kmem_cache *s, unsigned int objects);
/* kernel: flush_all (every CPU's cpu slab and partial chain): work items on each CPU in a
 * running simulation (the caller sleeps until done); outside one, from the calling vCPU. */
void slub_flush_all(struct kmem_cache *s);

/* Invariants of every SLUB cache; true = consistent, else one line per problem on `why`. */
bool slub_check(FILE *why);
bool slub_check_cache(struct kmem_cache *s, FILE *why);

#endif
