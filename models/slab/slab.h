/*
 * slab.h - what the SLAB model (models/slab/, Linux 6.1.192 mm/slab.c)
 * offers beyond the slab_allocator table of models/slab_common/slab_common.h: the
 * periodic reaper, /proc/slabinfo tuning, boot options, slabinfo and
 * statistics for reports, and slab lifecycle events.
 *
 * Paths the model marks on the current operation (sim/engine/path.h):
 *   alloc  L1 per-CPU array hit (____cache_alloc:allochit)
 *          L2 refill from the node's shared array (transfer_objects)
 *          L3 refill from slabs_partial / slabs_free (get_first_slab, alloc_block),
 *             or ____cache_alloc_node on the local node
 *          L4 another node's slabs (____cache_alloc_node remote, fallback_alloc)
 *          L5 an object of a slab grown for this allocation (cache_grow_begin)
 *   free   L1 freehit (room in the per-CPU array)
 *          L2 freemiss, cache_flusharray moved a batch to the shared array
 *          L3 freemiss, cache_flusharray gave a batch back with free_block
 *          L4 the object belongs to another node (cache_free_alien)
 *          L5 a slab was destroyed (pages back to the buddy allocator)
 */
#ifndef KMEMSIM_MODELS_SLAB_H
#define KMEMSIM_MODELS_SLAB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kmem_cache;

/* What get_slabinfo reports (the columns of /proc/slabinfo). */
struct slab_slabinfo {
	unsigned long active_objs, num_objs;
	unsigned long active_slabs, num_slabs;
	unsigned long shared_avail;
	unsigned int limit, batchcount, shared;
	unsigned int objects_per_slab, cache_order;
};

/* CONFIG_DEBUG_SLAB statistics: the globalstat and cpustat columns. */
struct slab_stats {
	unsigned long num_allocations, high_mark, grown, reaped, errors, max_freeable;
	unsigned long node_allocs, node_frees, node_overflow;
	unsigned long allochit, allocmiss, freehit, freemiss;
	unsigned long num_active;
};

/* The counters above that are bumped one event at a time, in the order the
 * database names them; each bump is also reported to slab_stat_sink
 * (models/slab_common/slab_common.h) with the cache's registry id and the vCPU. */
enum slab_stat_item {
	SLAB_STAT_ALLOCED, SLAB_STAT_GROWN, SLAB_STAT_REAPED, SLAB_STAT_ERR,
	SLAB_STAT_NODEALLOCS, SLAB_STAT_NODEFREES, SLAB_STAT_ACOVERFLOW,
	SLAB_STAT_ALLOCHIT, SLAB_STAT_ALLOCMISS, SLAB_STAT_FREEHIT, SLAB_STAT_FREEMISS,
	SLAB_NR_STAT_ITEMS
};

/* A slab created or destroyed (for the database and the tests). */
enum slab_event_kind { SLAB_EVENT_GROW, SLAB_EVENT_DESTROY };
struct slab_event {
	enum slab_event_kind kind;
	int cache;			/* registry id */
	uint64_t addr;			/* page address of the slab */
	int node;
	unsigned int order;
	unsigned int colour;		/* colour index (offset / colour_off) */
	unsigned int offset;		/* bytes from the page start to object 0 */
	unsigned int active;		/* objects in use at the event */
};
typedef void slab_event_fn(const struct slab_event *ev, void *arg);

/* Before init: slab_max_order= (-1: as 6.1 picks), noaliencache, freelist randomisation. */
void slab_set_boot_params(int max_order, bool noaliencache, bool freelist_random);
/* CONFIG_DEBUG_SLAB for the next init: red zone, poison and store-user layouts (FORCED_DEBUG),
 * the 32-entry cap on head arrays, and struct kmem_cache's statistics fields (default off). */
void slab_set_debug(bool debug_slab);
/* Queue cache_reap on each vCPU's kworker at init (default on; off: only slab_cache_reap_tick). */
void slab_set_reaper(bool on);
/* Where slab lifecycle events go (NULL: nowhere). */
void slab_set_event_sink(slab_event_fn *fn, void *arg);

/* Writing "name limit batchcount shared" to /proc/slabinfo: 0, or SIM_EBADINPUT for an unknown name. */
int slab_tune_cache(const char *name, int limit, int batchcount, int shared);

/* Run cache_reap on the running vCPU `cpu` if it is due at now_ns; returns when it is due next. */
uint64_t slab_cache_reap_tick(int cpu, uint64_t now_ns);
uint64_t slab_reap_next_ns(int cpu);			/* when cache_reap runs next on cpu */
/* kernel: flush_delayed_work(&per_cpu(slab_reap_work, cpu)) run on that CPU's kworker: a
 * cache_reap pass now on the running vCPU, due or not (the next pass is due REAPTIMEOUT_AC on) */
void slab_cache_reap_now(void);

/* Reports (no yield). */
void slab_get_info(struct kmem_cache *s, struct slab_slabinfo *out);
void slab_get_stats(struct kmem_cache *s, struct slab_stats *out);
void slab_print_slabinfo(FILE *out);			/* /proc/slabinfo, version 2.1 (statistics) */
/* kernel: __kmem_cache_shrink; 0 when the cache has no slab in use left */
int slab_shrink_cache(struct kmem_cache *s);

#endif
