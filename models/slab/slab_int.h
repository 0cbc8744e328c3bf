/*
 * slab_int.h - internals of the SLAB model (Linux 6.1.192 mm/slab.c,
 * include/linux/slab_def.h, the SLAB half of mm/slab.h), shared by the
 * files of models/slab/ and by its tests.  Public entry points: the
 * slab_allocator table (models/slab_common/slab_common.h) and models/slab/slab.h.
 *
 * Map of the types (what hangs off what):
 *
 *   struct kmem_cache          one per cache; tunables, geometry, statistics
 *     cpu_cache[cpu] ----> struct array_cache   per-CPU LIFO of object pointers
 *     node[nid] ---------> struct kmem_cache_node
 *                            slabs_partial / slabs_full / slabs_free (struct slab lists)
 *                            shared ----> struct array_cache   per-node shared array
 *                            alien[nid'] -> struct alien_cache for objects of node nid'
 *   struct slab                one per slab; host-side, found from the head
 *                              page's slab_meta; s_mem, active, freelist
 *
 * Invariants (checked by slab_check, check.c):
 *   n->total_slabs == |slabs_partial| + |slabs_full| + |slabs_free|
 *   n->free_slabs == |slabs_free|
 *   n->free_objects == sum over the node's slabs of (num - active)
 *   every slab on slabs_free has active == 0, on slabs_full active == num,
 *   on slabs_partial 0 < active < num
 *   an object is in at most one of: a per-CPU array, a shared array, an
 *   alien array, a slab's free index stack
 *
 * Lock order (ours restates the kernel's): IRQs off (local_irq_save) ->
 * alien->lock -> n->list_lock of the object's home node.  The per-CPU
 * array has no lock: IRQs off is its only protection (guard
 * SIM_GUARD_SLAB_IRQ).  n->list_lock (guard SIM_GUARD_SLAB_LIST_LOCK)
 * protects the three slab lists, the node counters, colour_next and the
 * shared array.  Slabs taken off the lists are destroyed only after the
 * lock is dropped (slabs_destroy).
 *
 * Names: the model keeps the kernel's.  SLUB's model lives in the same
 * binary and has functions of the same names, so every cross-file function
 * that both have (or that the common layer names) is renamed below to a
 * slab_-prefixed symbol; struct tags are private to each translation unit.
 */
#ifndef KMEMSIM_MODELS_SLAB_INT_H
#define KMEMSIM_MODELS_SLAB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../list.h"
#include "../kernel.h"
#include "../mm.h"
#include "../slab_common/slab_common.h"
#include "../../sim/engine/engine.h"
#include "slab.h"

/* Cross-file names SLUB (or the common layer) also defines. */
#define kmem_cache_init		slab_kmem_cache_init
#define kmem_cache_init_late	slab_kmem_cache_init_late
#define __kmem_cache_create	slab___kmem_cache_create
#define __kmem_cache_alias	slab___kmem_cache_alias
#define __kmem_cache_release	slab___kmem_cache_release
#define __kmem_cache_shrink	slab___kmem_cache_shrink
#define __kmem_cache_alloc_node	slab___kmem_cache_alloc_node
#define __kmem_cache_free	slab___kmem_cache_free
#define slab_alloc_node		slab_slab_alloc_node
#define kmem_cache_alloc_bulk	slab_kmem_cache_alloc_bulk
#define kmem_cache_free_bulk	slab_kmem_cache_free_bulk
#define get_slabinfo		slab_get_slabinfo
#define slabinfo_show_stats	slab_slabinfo_show_stats
#define cache_random_seq_create	slab_cache_random_seq_create
#define cache_random_seq_destroy slab_cache_random_seq_destroy
#define freelist_randomize	slab_freelist_randomize
#define slab_state		slab_slab_state
#define slab_caches		slab_slab_caches
#define slab_max_order		slab_slab_max_order
#define use_alien_caches	slab_use_alien_caches

typedef unsigned int slab_flags_t;

/* ------------------------------------------------------------------ */
/* Constants (mm/slab.c, include/linux/slab.h; x86-64, 4 KiB pages)    */

#define ALIGN(x, a)		(((x) + (a) - 1) / (a) * (a))
#define BYTES_PER_WORD		8u
#define REDZONE_ALIGN		8u
#define cache_line_size()	64u
#define ARCH_KMALLOC_MINALIGN	8u
#define ARCH_KMALLOC_FLAGS	SLAB_HWCACHE_ALIGN
#define SLAB_KMALLOC_SHIFT_LOW	5		/* SLAB: kmalloc sizes start at 32 */
#define KMALLOC_MIN_SIZE	(1u << SLAB_KMALLOC_SHIFT_LOW)
#define SLAB_OBJ_MIN_SIZE	(KMALLOC_MIN_SIZE < 16 ? KMALLOC_MIN_SIZE : 16u)
#define KMALLOC_MAX_ORDER	10		/* KMALLOC_SHIFT_MAX - PAGE_SHIFT */

/* PAGE_SIZE >> 8 <= SLAB_OBJ_MIN_SIZE, so the index is one byte. */
#define FREELIST_BYTE_INDEX	1
typedef unsigned char freelist_idx_t;
#define SLAB_OBJ_MAX_NUM	((1u << (sizeof(freelist_idx_t) * 8)) - 1)

#define CFLGS_OBJFREELIST_SLAB	0x40000000u
#define CFLGS_OFF_SLAB		0x80000000u
#define OBJFREELIST_SLAB(x)	((x)->flags & CFLGS_OBJFREELIST_SLAB)
#define OFF_SLAB(x)		((x)->flags & CFLGS_OFF_SLAB)

#define SLAB_NEVER_MERGE	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
				 SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_KASAN)

#define BATCHREFILL_LIMIT	16
#define REAPTIMEOUT_AC		(2 * slab_hz)		/* jiffies */
#define REAPTIMEOUT_NODE	(4 * slab_hz)		/* jiffies */
#define SLAB_MAX_ORDER_HI	1
#define SLAB_MAX_ORDER_LO	0
#define BOOT_CPUCACHE_ENTRIES	1

/* gfp masks of mm/internal.h */
#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
				 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | \
				 __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_ATOMIC)
#define GFP_CONSTRAINT_MASK	(__GFP_HARDWALL | __GFP_THISNODE)
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~((1u << 27) - 1))

static inline bool gfpflags_allow_blocking(gfp_t gfp) { return gfp & __GFP_DIRECT_RECLAIM; }

/* ------------------------------------------------------------------ */
/* Data structures                                                      */

/* Division by a constant as a multiply and shifts (include/linux/reciprocal_div.h). */
struct reciprocal_value {
	uint32_t m;
	uint8_t sh1, sh2;
};

/* kernel: reciprocal_value, lib/reciprocal_div.c */
static inline struct reciprocal_value reciprocal_value(uint32_t d)
{
	struct reciprocal_value R;
	uint64_t m;
	int l;

	l = d > 1 ? 32 - __builtin_clz(d - 1) : 0;	/* fls(d - 1) */
	m = ((1ULL << 32) * ((1ULL << l) - d));
	m /= d;
	++m;
	R.m = (uint32_t)m;
	R.sh1 = (uint8_t)(l < 1 ? l : 1);
	R.sh2 = (uint8_t)(l - 1 > 0 ? l - 1 : 0);
	return R;
}

/* kernel: reciprocal_divide, include/linux/reciprocal_div.h */
static inline uint32_t reciprocal_divide(uint32_t a, struct reciprocal_value R)
{
	uint32_t t = (uint32_t)(((uint64_t)a * R.m) >> 32);

	return (t + ((a - t) >> R.sh1)) >> R.sh2;
}

/* A LIFO of object pointers: per-CPU head array, shared array, alien array. */
struct array_cache {
	unsigned int avail;		/* objects held; entry[avail-1] is the hot end */
	unsigned int limit;		/* capacity; avail <= limit */
	unsigned int batchcount;	/* objects moved per refill / flush */
	unsigned int touched;		/* used since the last reap (second chance) */
	void *sim_obj;			/* model: the kmalloc object the kernel keeps it in
					 * (shared and alien arrays; NULL for per-CPU ones) */
	void *entry[];			/* simulated object addresses */
};

/* An array for objects freed here whose slab lives on another node. */
struct alien_cache {
	spinlock_t lock;		/* protects ac */
	struct array_cache ac;		/* limit 12 (1 when the cache's limit is 1) */
};

/* Per-node slab lists of one cache (SLAB half of mm/slab.h's struct). */
struct kmem_cache_node {
	spinlock_t list_lock;
	struct list_head slabs_partial;	/* 0 < active < num */
	struct list_head slabs_full;	/* active == num */
	struct list_head slabs_free;	/* active == 0 */
	unsigned long total_slabs;	/* slabs on the three lists */
	unsigned long free_slabs;	/* length of slabs_free */
	unsigned long free_objects;	/* free objects in slabs (not in arrays) */
	unsigned int free_limit;	/* free_block keeps at most this many free objects */
	unsigned int colour_next;	/* colour of the next slab grown on this node */
	struct array_cache *shared;	/* shared array, NULL when shared == 0 */
	struct alien_cache **alien;	/* [nr_node_ids]; NULL without alien caches */
	unsigned long next_reap;	/* jiffies of the next node reap */
	int free_touched;		/* a free slab was taken since the last reap */
	void *sim_obj;			/* model: its kmalloc-128 object (NULL while static at boot) */
};

/* One slab.  Kept host-side; the head page's slab_meta points here. */
struct slab {
	struct list_head slab_list;	/* on one of the node's three lists */
	struct kmem_cache *slab_cache;
	void *freelist;			/* simulated address of the free index array; NULL when
					 * an OBJFREELIST slab is full */
	void *s_mem;			/* object 0: page address + colour offset */
	unsigned int active;		/* objects handed out; next free slot of freelist[] */
	struct page *page;		/* head page (model: the kernel overlays struct page) */
	uint64_t mark[8];		/* scratch of slab_check: free-in-slab bits, in-array bits */
	uint64_t objcgs;		/* memcg_data: the objcgs vector, 0 = none (account_slab) */
};

/* A SLAB cache (include/linux/slab_def.h). */
struct kmem_cache {
	struct array_cache **cpu_cache;	/* [nr_cpu_ids]: the per-CPU head arrays */

	/* tunables */
	unsigned int batchcount;
	unsigned int limit;
	unsigned int shared;		/* shared array holds shared * batchcount */

	unsigned int size;		/* bytes per object, aligned (the "buffer size") */
	struct reciprocal_value reciprocal_buffer_size;	/* obj_to_index divides by size with it */
	slab_flags_t flags;		/* creation flags | CFLGS_* */
	unsigned int num;		/* objects per slab; <= SLAB_OBJ_MAX_NUM */

	unsigned int gfporder;		/* pages per slab = 1 << gfporder */
	gfp_t allocflags;		/* __GFP_COMP | zone / reclaimable bits */

	size_t colour;			/* number of colours: left_over / colour_off */
	unsigned int colour_off;	/* colour step: max(cache line, align) */
	unsigned int freelist_size;	/* num * sizeof(freelist_idx_t) */
	bool ctor;			/* the kernel's ctor pointer is set (never called) */

	const char *name;
	struct list_head list;		/* slab_caches, newest first */
	int refcount;
	int object_size;		/* bytes asked for */
	int align;

	/* statistics (CONFIG_DEBUG_SLAB's STATS, always kept here) */
	unsigned long num_active;	/* objects outside slabs (arrays + in use) */
	unsigned long num_allocations;	/* objects taken by alloc_block ("listallocs") */
	unsigned long high_mark;	/* max num_active */
	unsigned long grown;		/* slabs added by cache_grow_end */
	unsigned long reaped;		/* slabs freed by cache_reap */
	unsigned long errors;
	unsigned long max_freeable;	/* max free slabs seen by cache_flusharray */
	unsigned long node_allocs;	/* objects taken by ____cache_alloc_node */
	unsigned long node_frees;	/* frees of objects of another node */
	unsigned long node_overflow;	/* alien array full on free */
	unsigned long allochit, allocmiss, freehit, freemiss;
	int obj_offset;			/* CONFIG_DEBUG_SLAB: the user object's offset (red zone) */

	unsigned int *random_seq;	/* [num] shuffled object order, NULL when num < 2 */
	void *random_seq_sim_obj;	/* model: its kmalloc object */
	unsigned int useroffset, usersize;

	/* model additions */
	int id;				/* registry id, -1 until looked up */
	uint64_t vaddr;			/* the descriptor's object in the kmem_cache cache (next_reap skew) */
	struct kmem_cache_node *node[SIM_MAX_NODES];
};

/* ------------------------------------------------------------------ */
/* Model-wide state (slab.c)                                            */

enum slab_state_kind { DOWN, PARTIAL, PARTIAL_NODE, UP, FULL };

extern enum slab_state_kind slab_state;
extern struct list_head slab_caches;	/* newest first, as list_add makes it */
extern int slab_max_order;
extern int use_alien_caches;
extern unsigned int slab_hz;		/* HZ of the simulated kernel */
extern bool slab_freelist_random;	/* CONFIG_SLAB_FREELIST_RANDOM */
extern bool slab_debug;			/* CONFIG_DEBUG_SLAB: DEBUG and FORCED_DEBUG layouts */
extern unsigned long *slab_reap_node;	/* [nr_cpu_ids]: alien node reaped next */
extern uint64_t *slab_reap_due_ns;	/* [nr_cpu_ids]: when cache_reap runs next */
extern bool slab_reaper_on;		/* queue cache_reap on the kworkers */

static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node) { return s->node[node]; }
#define for_each_kmem_cache_node(s, nid, n) \
	for ((nid) = 0; (nid) < nr_node_ids; (nid)++) \
		if (((n) = get_node((s), (nid))))

static inline int numa_mem_id(void) { return numa_node_id(); }
/* The running vCPU's node without a yield (for path levels, not decisions). */
static inline int raw_cpu_to_node(void) { return cpu_to_node(raw_smp_processor_id()); }
static inline unsigned long slab_jiffies(void) { return sim_now() / (1000000000u / slab_hz); }
#define jiffies slab_jiffies()
#define time_after(a, b) ((long)((b) - (a)) < 0)

static inline struct array_cache *cpu_cache_get(struct kmem_cache *cachep)
{
	return *this_cpu_ptr(cachep->cpu_cache);
}

/* kernel: index_to_obj, mm/slab.c */
static inline void *index_to_obj(const struct kmem_cache *cache, const struct slab *slab, unsigned int idx)
{
	return (void *)((uintptr_t)slab->s_mem + (uintptr_t)cache->size * idx);
}
/* kernel: obj_to_index, include/linux/slab_def.h */
static inline unsigned int obj_to_index(const struct kmem_cache *cache, const struct slab *slab, const void *obj)
{
	uint32_t offset = (uint32_t)((uintptr_t)obj - (uintptr_t)slab->s_mem);

	return reciprocal_divide(offset, cache->reciprocal_buffer_size);
}
static inline struct slab *virt_to_slab(const void *obj)
{
	struct page *page = virt_to_head_page(obj);	/* NULL outside memory (a checker's bad pointer) */

	return page && PageSlab(page) ? (struct slab *)page->slab_meta : NULL;
}
static inline int slab_nid(const struct slab *slab) { return page_to_nid(slab->page); }
static inline void *slab_address(const struct slab *slab) { return page_address(slab->page); }

/* IRQ control of the SLAB paths, switchable by SIM_GUARD_SLAB_IRQ. */
static inline void slab_local_irq_enable(void)
{
	if (sim_guard_on(SIM_GUARD_SLAB_IRQ))
		(local_irq_enable)();
	else
		(sim_yield_cost)(SIM_COST_IRQ);
}
static inline void slab_local_irq_disable(void)
{
	if (sim_guard_on(SIM_GUARD_SLAB_IRQ))
		(local_irq_disable)();
	else
		(sim_yield_cost)(SIM_COST_IRQ);
}
/* They stand for local_irq_enable/disable: their yield points are their caller's. */
#define slab_local_irq_enable() (SIM_HERE(), slab_local_irq_enable())
#define slab_local_irq_disable() (SIM_HERE(), slab_local_irq_disable())
#define check_irq_off() assert(!sim_guard_on(SIM_GUARD_SLAB_IRQ) || irqs_disabled())
#define check_spinlock_acquired_node(cachep, node) \
	assert(!sim_guard_on(SIM_GUARD_SLAB_LIST_LOCK) || lockdep_is_held(&get_node((cachep), (node))->list_lock))

/* Statistics (CONFIG_DEBUG_SLAB's macros); counted bumps also go to slab_stat_sink. */
int slab_cache_id_of(struct kmem_cache *cachep);
static inline void slab_stat_note(struct kmem_cache *x, enum slab_stat_item item, unsigned long n)
{
	if (slab_stat_sink)
		for (; n; n--)
			slab_stat_sink(slab_cache_id_of(x), item, raw_smp_processor_id());
}
#define STATS_INC_ACTIVE(x)	((x)->num_active++)
#define STATS_DEC_ACTIVE(x)	((x)->num_active--)
#define STATS_INC_ALLOCED(x)	((x)->num_allocations++, slab_stat_note((x), SLAB_STAT_ALLOCED, 1))
#define STATS_INC_GROWN(x)	((x)->grown++, slab_stat_note((x), SLAB_STAT_GROWN, 1))
#define STATS_ADD_REAPED(x, y)	((x)->reaped += (y), slab_stat_note((x), SLAB_STAT_REAPED, (y)))
#define STATS_SET_HIGH(x)	do { if ((x)->num_active > (x)->high_mark) (x)->high_mark = (x)->num_active; } while (0)
#define STATS_INC_ERR(x)	((x)->errors++, slab_stat_note((x), SLAB_STAT_ERR, 1))
#define STATS_INC_NODEALLOCS(x) ((x)->node_allocs++, slab_stat_note((x), SLAB_STAT_NODEALLOCS, 1))
#define STATS_INC_NODEFREES(x)	((x)->node_frees++, slab_stat_note((x), SLAB_STAT_NODEFREES, 1))
#define STATS_INC_ACOVERFLOW(x)	((x)->node_overflow++, slab_stat_note((x), SLAB_STAT_ACOVERFLOW, 1))
#define STATS_SET_FREEABLE(x, i) do { if ((x)->max_freeable < (unsigned long)(i)) (x)->max_freeable = (i); } while (0)
#define STATS_INC_ALLOCHIT(x)	((x)->allochit++, slab_stat_note((x), SLAB_STAT_ALLOCHIT, 1))
#define STATS_INC_ALLOCMISS(x)	((x)->allocmiss++, slab_stat_note((x), SLAB_STAT_ALLOCMISS, 1))
#define STATS_INC_FREEHIT(x)	((x)->freehit++, slab_stat_note((x), SLAB_STAT_FREEHIT, 1))
#define STATS_INC_FREEMISS(x)	((x)->freemiss++, slab_stat_note((x), SLAB_STAT_FREEMISS, 1))

/* ------------------------------------------------------------------ */
/* Cross-file functions, by file                                        */

/* geometry.c */
unsigned int cache_estimate(unsigned long gfporder, size_t buffer_size, slab_flags_t flags, size_t *left_over);
size_t calculate_slab_order(struct kmem_cache *cachep, size_t size, slab_flags_t flags);
int __kmem_cache_create(struct kmem_cache *cachep, slab_flags_t flags); /* 0 or -1 (E2BIG/ENOMEM) */
struct kmem_cache *slab_cache_alloc_desc(const char *name, unsigned int size, unsigned int align); /* zeroed */
void slab_cache_free_desc(struct kmem_cache *cachep);

/* tune.c */
int setup_cpu_cache(struct kmem_cache *cachep, gfp_t gfp);		/* boot arrays or enable_cpucache */
int enable_cpucache(struct kmem_cache *cachep, gfp_t gfp);
int do_tune_cpucache(struct kmem_cache *cachep, int limit, int batchcount, int shared, gfp_t gfp);
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp);
void cache_random_seq_destroy(struct kmem_cache *cachep);
void slab_tune_release_all(void);					/* arrays retired by tuning */

/* grow.c */
struct slab *cache_grow_begin(struct kmem_cache *cachep, gfp_t flags, int nodeid);
void cache_grow_end(struct kmem_cache *cachep, struct slab *slab);
void *slab_get_obj(struct kmem_cache *cachep, struct slab *slab);
void slab_put_obj(struct kmem_cache *cachep, struct slab *slab, void *objp);
void slabs_destroy(struct kmem_cache *cachep, struct list_head *list);
void slab_destroy(struct kmem_cache *cachep, struct slab *slab);
freelist_idx_t get_free_obj(struct slab *slab, unsigned int idx);
void set_free_obj(struct slab *slab, unsigned int idx, freelist_idx_t val);
gfp_t gfp_exact_node(gfp_t flags);

/* alloc.c */
void *slab_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid, size_t orig_size);
void *__kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid, size_t orig_size);
void fixup_slab_list(struct kmem_cache *cachep, struct kmem_cache_node *n, struct slab *slab, void **list);
struct slab *get_first_slab(struct kmem_cache_node *n, bool pfmemalloc);
int transfer_objects(struct array_cache *to, struct array_cache *from, unsigned int max);
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);

/* free.c */
void __kmem_cache_free(struct kmem_cache *cachep, void *objp);
void kmem_cache_free_bulk(struct kmem_cache *orig_s, size_t size, void **p);
void free_block(struct kmem_cache *cachep, void **objpp, int nr_objects, int node, struct list_head *list);
void __free_one(struct array_cache *ac, void *objp);
void __drain_alien_cache(struct kmem_cache *cachep, struct array_cache *ac, int node, struct list_head *list);

/* reap.c */
void drain_array_locked(struct kmem_cache *cachep, struct array_cache *ac, int node, bool free_all,
			struct list_head *list);
void drain_array(struct kmem_cache *cachep, struct kmem_cache_node *n, struct array_cache *ac, int node);
int drain_freelist(struct kmem_cache *cache, struct kmem_cache_node *n, int tofree);
void cache_reap(void);
void slab_start_cpu_timer(int cpu);
int __kmem_cache_shrink(struct kmem_cache *cachep);
unsigned long round_jiffies_common(unsigned long j, int cpu, bool force_up);

/* stat.c */
void get_slabinfo(struct kmem_cache *cachep, struct slab_slabinfo *sinfo);
void slab_emit_event(enum slab_event_kind kind, struct kmem_cache *cachep, struct slab *slab);

/* check.c */
bool slab_check(FILE *why);
/* A BUG_ON the kernel would hit, or a write past an array: reachable only with a guard
 * switched off.  Recorded (slab_check reports it) and the model goes on. */
void slab_bug(struct kmem_cache *cachep, const char *what, const void *addr);
void slab_bugs_reset(void);

/* slab.c */
int kmem_cache_init(const struct slab_config *cfg);
void kmem_cache_init_late(void);
int slab_cache_id_of(struct kmem_cache *cachep);			/* registry id, cached */
void slab_op_note(struct kmem_cache *cachep, const void *obj);	/* fill the current op */
void *slab_nested_kmalloc_node(size_t size, gfp_t gfp, int node);	/* kmalloc_node under its own op */
void slab_nested_kfree(const void *obj);				/* kfree under its own op */
void *slab_meta_kmalloc_node(size_t size, gfp_t gfp, int node);	/* metadata object, once kmalloc works */

#endif
