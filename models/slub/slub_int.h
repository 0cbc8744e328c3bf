/*
 * slub_int.h - internals of the SLUB model (Linux 6.1.192 mm/slub.c,
 * include/linux/slub_def.h, the SLUB half of mm/slab.h), shared by the
 * files of models/slub/ and by its tests.  Public entry points: the
 * slub_allocator table (models/slab_common/slab_common.h) and models/slub/slub.h.
 *
 * Map of the types:
 *
 *   struct kmem_cache            one per cache: geometry, tunables
 *     cpu_slab[cpu] ---> struct kmem_cache_cpu   freelist + tid (one double word),
 *                                                slab (the cpu slab), partial (chain)
 *     node[nid] -------> struct kmem_cache_node  list_lock, nr_partial, partial list
 *   struct slab                  one per slab, host-side, found from every page's
 *                                slab_meta; freelist + counters (one double word)
 *
 * States of a slab (exactly one at any time):
 *   cpu slab of some CPU        frozen; its free objects split between c->freelist
 *                               (that CPU only) and slab->freelist (remote frees)
 *   on a CPU's partial list     frozen (6.1; not frozen since 6.8, so in 6.12),
 *                               reached from c->partial through slab->next
 *   on its node's partial list  not frozen, on n->partial through slab_list
 *   full                        not frozen, on no list, slab->freelist == NULL
 *   in flight                   frozen and on no list for a moment: just taken by
 *                               acquire_slab / new_slab, or just frozen by __slab_free
 *
 * Invariants (check.c, slub_check):
 *   for every slab: |slab->freelist| == objects - inuse (cpu-freelist objects
 *   count as in use); n->nr_partial == |n->partial|; an object is on at most
 *   one freelist, at most once; c->partial->slabs == the chain's length.
 *
 * Lock order (as the kernel's, in our words): n->list_lock (spinlock, IRQs
 * saved) before s->cpu_slab->lock (local lock: IRQs off on this CPU).
 * list_lock protects nr_partial and the partial list; the local lock protects
 * this CPU's c->freelist/slab/partial against interrupts in the slow paths;
 * the fast paths use no lock, only this_cpu_cmpxchg_double on (freelist, tid).
 * A slab's (freelist, counters) double word changes only by cmpxchg_double.
 */
#ifndef KMEMSIM_MODELS_SLUB_INT_H
#define KMEMSIM_MODELS_SLUB_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../list.h"
#include "../kernel.h"
#include "../mm.h"
#include "../slab_common/slab_common.h"
#include "../../sim/engine/engine.h"
#include "slub.h"

_Static_assert(sizeof(void *) == 8, "the model stores simulated 64-bit addresses in pointers");

/*
 * Cross-file names SLAB (or the common layer) also uses: each becomes a
 * slub_-prefixed symbol so both allocators link into one binary.  Struct tags
 * need no renaming (they have no linkage); kmem_cache_node is renamed anyway
 * because it is also the name of the boot cache.
 */
#define kmem_cache_node		slub_kmem_cache_node
#define slab_state		slub_slab_state
#define slab_nodes		slub_slab_nodes
#define slab_alloc_node		slub_slab_alloc_node
#define __slab_alloc		slub___slab_alloc
#define ___slab_alloc		slub____slab_alloc
#define get_freelist		slub_get_freelist
#define slab_free		slub_slab_free
#define do_slab_free		slub_do_slab_free
#define __slab_free		slub___slab_free
#define get_partial		slub_get_partial
#define get_partial_node	slub_get_partial_node
#define get_any_partial		slub_get_any_partial
#define acquire_slab		slub_acquire_slab
#define add_partial		slub_add_partial
#define __add_partial		slub___add_partial
#define remove_partial		slub_remove_partial
#define put_cpu_partial		slub_put_cpu_partial
#define __unfreeze_partials	slub___unfreeze_partials
#define unfreeze_partials	slub_unfreeze_partials
#define unfreeze_partials_cpu	slub_unfreeze_partials_cpu
#define new_slab		slub_new_slab
#define allocate_slab		slub_allocate_slab
#define alloc_slab_page		slub_alloc_slab_page
#define shuffle_freelist	slub_shuffle_freelist
#define init_cache_random_seq	slub_init_cache_random_seq
#define cache_random_seq_destroy slub_cache_random_seq_destroy
#define discard_slab		slub_discard_slab
#define free_slab		slub_free_slab
#define inc_slabs_node		slub_inc_slabs_node
#define dec_slabs_node		slub_dec_slabs_node
#define deactivate_slab		slub_deactivate_slab
#define flush_slab		slub_flush_slab
#define __flush_cpu_slab	slub___flush_cpu_slab
#define flush_cpu_slab		slub_flush_cpu_slab
#define flush_all		slub_flush_all
#define has_cpu_slab		slub_has_cpu_slab
#define kmem_cache_flags	slub_kmem_cache_flags
#define set_cpu_partial		slub_set_cpu_partial_
#define kmem_cache_open		slub_kmem_cache_open
#define kmem_cache_init		slub_kmem_cache_init
#define __kmem_cache_create	slub___kmem_cache_create
#define __kmem_cache_alias	slub___kmem_cache_alias
#define __kmem_cache_release	slub___kmem_cache_release
#define init_kmem_cache_nodes	slub_init_kmem_cache_nodes
#define get_slabinfo		slub_get_slabinfo
#define kmem_cache_alloc_bulk	slub_kmem_cache_alloc_bulk
#define kmem_cache_free_bulk	slub_kmem_cache_free_bulk
#define note_cmpxchg_failure	slub_note_cmpxchg_failure

typedef unsigned int slab_flags_t;

/* ------------------------------------------------------------------ */
/* Constants                                                            */

#define MIN_PARTIAL		5
#define MAX_PARTIAL		10
#define OO_SHIFT		16
#define OO_MASK			((1u << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE	32767	/* slab->objects is 15 bits */
#define __OBJECT_POISON		0x80000000u
#define __CMPXCHG_DOUBLE	0x40000000u
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
				 SLAB_CONSISTENCY_CHECKS)
#define SLAB_NO_CMPXCHG		(SLAB_CONSISTENCY_CHECKS | SLAB_STORE_USER | SLAB_TRACE)
#define KMALLOC_SHIFT_LOW	3
#define cache_line_size()	64u
#define CONFIG_NR_CPUS		8192u
#define TID_STEP		8192u	/* roundup_pow_of_two(CONFIG_NR_CPUS), PREEMPTION on */

#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
				 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | \
				 __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_ATOMIC)
#define GFP_CONSTRAINT_MASK	(__GFP_HARDWALL | __GFP_THISNODE)
#define GFP_SLAB_BUG_MASK	(__GFP_DMA32 | __GFP_HIGHMEM | ~((1u << 27) - 1))

/* The stat items of include/linux/slub_def.h, in its order. */
enum stat_item {
	ALLOC_FASTPATH,		/* object from c->freelist by the lockless fast path */
	ALLOC_SLOWPATH,		/* entry to ___slab_alloc */
	FREE_FASTPATH,		/* free pushed on c->freelist */
	FREE_SLOWPATH,		/* entry to __slab_free */
	FREE_FROZEN,		/* slow free into a frozen slab */
	FREE_ADD_PARTIAL,	/* slab added to a node partial list on free / unfreeze */
	FREE_REMOVE_PARTIAL,	/* empty slab taken off a node partial list to be freed */
	ALLOC_FROM_PARTIAL,	/* cpu slab taken from a node partial list */
	ALLOC_SLAB,		/* cpu slab from the page allocator */
	ALLOC_REFILL,		/* c->freelist refilled from slab->freelist */
	ALLOC_NODE_MISMATCH,	/* cpu slab dropped: wrong node */
	FREE_SLAB,		/* slab returned to the page allocator */
	CPUSLAB_FLUSH,		/* cpu slab flushed */
	DEACTIVATE_FULL,	/* deactivated slab had no free object */
	DEACTIVATE_EMPTY,	/* deactivated / unfrozen slab was empty and freed */
	DEACTIVATE_TO_HEAD,	/* deactivated slab to the head of the node partials */
	DEACTIVATE_TO_TAIL,	/* ... to the tail (it had remote frees) */
	DEACTIVATE_REMOTE_FREES,/* deactivated slab had objects freed by others */
	DEACTIVATE_BYPASS,	/* cpu slab found full in get_freelist, dropped */
	ORDER_FALLBACK,		/* allocate_slab fell back to s->min */
	CMPXCHG_DOUBLE_CPU_FAIL,/* this_cpu_cmpxchg_double failed */
	CMPXCHG_DOUBLE_FAIL,	/* cmpxchg_double on a slab failed */
	CPU_PARTIAL_ALLOC,	/* cpu slab taken from c->partial */
	CPU_PARTIAL_FREE,	/* slab frozen on free, put on c->partial */
	CPU_PARTIAL_NODE,	/* extra slab node partial -> c->partial on refill */
	CPU_PARTIAL_DRAIN,	/* c->partial drained to the node lists */
	NR_SLUB_STAT_ITEMS
};

enum slab_state { DOWN, PARTIAL, PARTIAL_NODE, UP, FULL };

/* ------------------------------------------------------------------ */
/* Data structures                                                      */

struct kmem_cache_order_objects {
	unsigned int x;			/* order << OO_SHIFT | objects */
};

/*
 * One slab (mm/slab.h, SLUB branch).  The kernel overlays it on the head
 * struct page; we keep it host-side and never free it during a run (a
 * discarded slab's struct goes to a pool and is reused), so that a stale
 * pointer read before a yield stays as harmless as in the kernel.
 */
struct slab {
	union {
		struct list_head slab_list;	/* on n->partial */
		struct {
			struct slab *next;	/* on a CPU's partial chain */
			int slabs;		/* slabs in the chain from here on */
		};
	};
	struct kmem_cache *slab_cache;
	union {
		void *freelist;			/* first free object not owned by a CPU */
		uint64_t freelist_word;		/* the same, for cmpxchg_double */
	};
	union {
		uint64_t counters;		/* the second word of the double word */
		struct {
			unsigned inuse:16;	/* objects not on slab->freelist */
			unsigned objects:15;	/* objects in the slab */
			unsigned frozen:1;	/* owned by a CPU */
		};
	};
	/* model fields */
	struct page *page;		/* head page */
	uint64_t addr;			/* page_address(page), kept to spare page_to_pfn */
	int nid;			/* node of the pages (slab_nid) */
	unsigned int order;		/* pages = 1 << order */
	uint64_t objcgs;		/* memcg_data: the objcgs vector, 0 = none (account_slab) */
	bool pfmemalloc;		/* pages came from the reserves (PG_active in the kernel) */
	bool node_partial;		/* on n->partial: 6.12's slab_set_node_partial (PG_workingset);
					 * kept by add_partial / remove_partial, read by 6.12 only */
	struct list_head all_list;	/* the node's list of every slab (checker only) */
	unsigned int check_idx;		/* scratch for slub_check */
};

/* Per-CPU state of a cache (include/linux/slub_def.h). */
struct kmem_cache_cpu {
	union {
		void *freelist;		/* next object for the lockless fast path */
		uint64_t freelist_word;	/* the same, for this_cpu_cmpxchg_double */
	};
	uint64_t tid;			/* transaction id; tid % TID_STEP == cpu */
	struct slab *slab;		/* the cpu slab (frozen) or NULL */
	struct slab *partial;		/* frozen slabs with free objects, via slab->next */
	local_lock_t lock;		/* slow paths' IRQ-off section */
	unsigned int stat[NR_SLUB_STAT_ITEMS]; /* CONFIG_SLUB_STATS counters of this CPU */
};

/* Per-node state of a cache (SLUB half of mm/slab.h). */
struct kmem_cache_node {
	spinlock_t list_lock;		/* protects nr_partial, partial */
	unsigned long nr_partial;	/* == length of partial */
	struct list_head partial;	/* unfrozen slabs with free objects (or empty) */
	long nr_slabs;			/* CONFIG_SLUB_DEBUG: slabs of this node */
	long total_objects;		/* CONFIG_SLUB_DEBUG: their objects */
	/* model fields */
	struct list_head all;		/* every slab of the cache on this node (checker) */
	void *obj;			/* the simulated object this struct lives in */
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* [nr_cpu_ids] */
	slab_flags_t flags;
	unsigned long min_partial;		/* empty slabs kept on a node list */
	unsigned int size;			/* object stride, metadata and padding included */
	unsigned int object_size;		/* bytes asked for */
	unsigned int offset;			/* free pointer offset inside an object */
	unsigned int cpu_partial;		/* objects (legacy unit) */
	unsigned int cpu_partial_slabs;		/* limit of a CPU's partial chain, in slabs */
	struct kmem_cache_order_objects oo;	/* preferred order and objects */
	struct kmem_cache_order_objects min;	/* fallback order and objects */
	gfp_t allocflags;			/* added to every slab allocation */
	int refcount;
	bool ctor;				/* the kernel's ctor pointer is set (never called) */
	unsigned int inuse;			/* offset to metadata */
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;			/* slab_caches */
	unsigned long random;			/* CONFIG_SLAB_FREELIST_HARDENED key */
	unsigned int remote_node_defrag_ratio;	/* 0..1000 */
	unsigned int *random_seq;		/* CONFIG_SLAB_FREELIST_RANDOM byte offsets, or NULL */
	unsigned int useroffset, usersize;
	struct kmem_cache_node *node[SIM_MAX_NODES];
	/* model fields */
	int id;					/* registry id */
	char *name_buf;				/* owned copy of name */
	void *obj;				/* simulated descriptor in the kmem_cache cache */
	void *random_seq_obj;			/* simulated kcalloc'd random_seq */
};

/* struct partial_context: parameters of the get_partial() chain. */
struct partial_context {
	struct slab **slab;
	gfp_t flags;
	unsigned int orig_size;
};

/* ------------------------------------------------------------------ */
/* Model-wide state                                                     */

extern enum slab_state slab_state;
extern bool slab_nodes[SIM_MAX_NODES];		/* nodes with normal memory */
extern struct list_head slub_slab_caches;	/* every SLUB cache, newest first */
extern unsigned int slub_min_order, slub_max_order, slub_min_objects;
extern struct slub_params slub_params;		/* config and boot parameters */
extern unsigned long slub_nr_bugs;		/* BUG_ON / corruption seen (slub_bug) */
extern bool slub_boot_gfp;			/* gfp_allowed_mask is still GFP_BOOT_MASK */

/* Report a BUG_ON the kernel would hit (double free, corrupt freelist). */
void slub_bug(struct kmem_cache *s, const char *what, uint64_t addr);
const char *slub_first_bug_text(void);			/* "" when none */

/*
 * VM_BUG_ON: a no-op in Debian's production kernel (no CONFIG_DEBUG_VM).
 * The model records it (with a guard switched off it can happen) and goes on.
 */
#define VM_BUG_ON(s, cond, what) do { if (unlikely(cond)) slub_bug((s), (what), 0); } while (0)

/* ------------------------------------------------------------------ */
/* Small helpers (the kernel's static inlines)                          */

static inline uint64_t ptr_u64(const void *p) { return (uint64_t)(uintptr_t)p; }
static inline void *u64_ptr(uint64_t a) { return (void *)(uintptr_t)a; }

static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node) { return s->node[node]; }
#define for_each_kmem_cache_node(s, nid, n) \
	for ((nid) = 0; (nid) < nr_node_ids; (nid)++) \
		if (((n) = get_node((s), (nid))))

static inline bool node_isset_slab(int node)
{
	return node >= 0 && node < nr_node_ids && slab_nodes[node];
}
static inline int numa_mem_id(void) { return numa_node_id(); }
static inline int slab_nid(const struct slab *slab) { return slab->nid; }
static inline void *slab_address(const struct slab *slab) { return u64_ptr(slab->addr); }
static inline struct slab *virt_to_slab(const void *obj)
{
	struct page *page = virt_to_page(obj);

	return !page || (page->flags & PG_buddy) ? NULL : (struct slab *)page->slab_meta;
}

static inline unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}
static inline unsigned int ilog2_u32(unsigned int x) { return fls_u32(x) - 1; }
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}
static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	struct kmem_cache_order_objects x = { (order << OO_SHIFT) + order_objects(order, size) };

	return x;
}
static inline unsigned int oo_order(struct kmem_cache_order_objects x) { return x.x >> OO_SHIFT; }
static inline unsigned int oo_objects(struct kmem_cache_order_objects x) { return x.x & OO_MASK; }

static inline bool kmem_cache_debug(const struct kmem_cache *s) { return s->flags & SLAB_DEBUG_FLAGS; }
/* kernel: kmem_cache_has_cpu_partial, mm/slub.c -- always false without CONFIG_SLUB_CPU_PARTIAL */
static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return slub_params.cpu_partial && !kmem_cache_debug(s);
}

/* stat(): the racy per-CPU increment of CONFIG_SLUB_STATS (no yield).  A boot cache has no
 * per-CPU array before kmem_cache_open's alloc_kmem_cache_cpus (early_kmem_cache_node_alloc's
 * order fallback comes first): nothing is counted then, where the kernel's raw_cpu_inc would
 * go through a NULL s->cpu_slab. */
static inline void stat(const struct kmem_cache *s, enum stat_item si)
{
	int cpu = raw_smp_processor_id();

	if (!s->cpu_slab)
		return;
	s->cpu_slab[cpu].stat[si]++;
	if (slab_stat_sink)		/* the run's database (models/slab_common/slab_common.h) */
		slab_stat_sink(s->id, si, cpu);
}

/* Count a retry (cmpxchg failure, reread) on the operation in flight. */
static inline void slub_note_retry(void)
{
	struct sim_op *op = sim_op_current();

	if (op)
		op->retries++;
}

/* A slab lifecycle event for the database (slab_common.h). */
static inline void slab_event(const struct kmem_cache *s, const struct slab *slab, int event)
{
	if (slab_event_sink)
		slab_event_sink(s->id, ptr_u64(slab_address(slab)), event, slab->nid);
}

/*
 * Free pointers live inside the simulated objects at s->offset.  With
 * CONFIG_SLAB_FREELIST_HARDENED the stored word is ptr ^ s->random ^
 * swab(address of the word).
 */
static inline uint64_t freelist_ptr(const struct kmem_cache *s, uint64_t ptr, uint64_t ptr_addr)
{
	if (!slub_params.freelist_hardened)
		return ptr;
	return ptr ^ s->random ^ __builtin_bswap64(ptr_addr);
}
static inline void *get_freepointer(struct kmem_cache *s, void *object)
{
	uint64_t addr = ptr_u64(object) + s->offset;

	return u64_ptr(freelist_ptr(s, sim_mem_read64(addr), addr));
}
/* No debug_pagealloc in the model: the plain read. */
static inline void *get_freepointer_safe(struct kmem_cache *s, void *object)
{
	return get_freepointer(s, object);
}
static inline void set_freepointer(struct kmem_cache *s, void *object, void *fp)
{
	uint64_t addr = ptr_u64(object) + s->offset;

	if (slub_params.freelist_hardened && object == fp)
		slub_bug(s, "set_freepointer: object == fp (double free)", ptr_u64(object));
	sim_mem_write64(addr, freelist_ptr(s, ptr_u64(fp), addr));
}

/* Transaction ids (CONFIG_PREEMPTION: step over all possible CPUs). */
static inline uint64_t next_tid(uint64_t tid) { return tid + TID_STEP; }
static inline uint64_t init_tid(int cpu) { return (uint64_t)cpu; }

/* kernel: note_cmpxchg_failure, mm/slub.c */
static inline void note_cmpxchg_failure(const char *n, const struct kmem_cache *s, uint64_t tid)
{
	(void)n;
	(void)tid;
	stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
	slub_note_retry();
}

/*
 * local_lock_irqsave(&s->cpu_slab->lock): IRQs off, then this CPU's lock
 * (the pointer is taken after the yield, as the kernel's this_cpu_ptr is
 * evaluated with IRQs already off).  The guard SIM_GUARD_SLUB_IRQ switched
 * off leaves IRQs on inside the section (preemption still off).
 */
static inline void slub_local_lock_irqsave(struct kmem_cache *s, unsigned long *flags)
{
	if (sim_guard_on(SIM_GUARD_SLUB_IRQ)) {
		(local_irq_save_f)(flags);
	} else {
		(preempt_disable)();
		*flags = 0;
	}
	raw_cpu_ptr(s->cpu_slab)->lock.owner = raw_smp_processor_id();
}
static inline void slub_local_unlock_irqrestore(struct kmem_cache *s, unsigned long flags)
{
	raw_cpu_ptr(s->cpu_slab)->lock.owner = -1;
	if (sim_guard_on(SIM_GUARD_SLUB_IRQ))
		(local_irq_restore)(flags);
	else
		(preempt_enable)();
}
/*
 * spin_lock_irqsave(&n->list_lock) where a race scenario may switch off the
 * IRQ half (`guard`): the lock is then taken with IRQs left on, as before
 * the fix the guard names (docs/races.md), and an interrupt that wants the
 * same lock on this CPU spins on it forever.
 */
static inline void slub_list_lock_irqsave_guarded(struct kmem_cache_node *n, unsigned long *flags, enum sim_guard g)
{
	(local_irq_save_guarded)(flags, g);
	(spin_lock)(&n->list_lock);
}
static inline void slub_list_unlock_irqrestore_guarded(struct kmem_cache_node *n, unsigned long flags, enum sim_guard g)
{
	(spin_unlock)(&n->list_lock);
	(local_irq_restore_guarded)(flags, g);
}
/* Macros in the kernel: their yield points are their caller's. */
#define list_lock_irqsave_guarded(n, f, g) (SIM_HERE(), slub_list_lock_irqsave_guarded((n), (f), (g)))
#define list_unlock_irqrestore_guarded(n, f, g) (SIM_HERE(), slub_list_unlock_irqrestore_guarded((n), (f), (g)))
/* The helpers above and below stand for kernel macros: their yield points are their caller's. */
#define local_lock_irqsave_slub(s, f) (SIM_HERE(), slub_local_lock_irqsave((s), &(f)))
#define local_unlock_irqrestore_slub(s, f) (SIM_HERE(), slub_local_unlock_irqrestore((s), (f)))

/*
 * this_cpu_cmpxchg_double on (freelist, tid) of the CPU the task is on when
 * the instruction runs.  The guard SIM_GUARD_SLUB_TID switched off makes it
 * compare the freelist only (a plain cmpxchg: the ABA bug of 6.1 sec. 6.1).
 */
static inline bool this_cpu_cmpxchg_double_slub(struct kmem_cache *s, void *freelist_old,
						uint64_t tid_old, void *freelist_new,
						uint64_t tid_new)
{
	return (sim_this_cpu_cmpxchg_double_pcpu)(s->cpu_slab, sizeof(*s->cpu_slab),
						  offsetof(struct kmem_cache_cpu, freelist_word),
						  offsetof(struct kmem_cache_cpu, tid), ptr_u64(freelist_old),
						  tid_old, ptr_u64(freelist_new), tid_new, SIM_GUARD_SLUB_TID);
}
#define this_cpu_cmpxchg_double_slub(s, fo, to, fn, tn) \
	(SIM_HERE(), this_cpu_cmpxchg_double_slub((s), (fo), (to), (fn), (tn)))

/* get_cpu_ptr / put_cpu_ptr: preemption off, then this CPU's structure. */
static inline struct kmem_cache_cpu *slub_get_cpu_ptr_at(struct kmem_cache *s, const char *caller)
{
	(preempt_disable)();
	SIM_HERE_AS(caller);	/* the second yield point is the caller's too */
	return &s->cpu_slab[(smp_processor_id)()];
}
static inline void slub_put_cpu_ptr(struct kmem_cache *s)
{
	(void)s;
	(preempt_enable)();
}
#define slub_get_cpu_ptr(s) (SIM_HERE(), slub_get_cpu_ptr_at((s), __func__))
#define slub_put_cpu_ptr(s) (SIM_HERE(), slub_put_cpu_ptr(s))

/*
 * Double-word cmpxchg on (slab->freelist, slab->counters).  With
 * __CMPXCHG_DOUBLE (always set: no debug caches) both forms are one
 * cmpxchg16b; the guard SIM_GUARD_SLUB_CMPXCHG_DOUBLE is passed to it.
 */
static inline bool __cmpxchg_double_slab(struct kmem_cache *s, struct slab *slab,
					 void *freelist_old, uint64_t counters_old,
					 void *freelist_new, uint64_t counters_new, const char *n)
{
	(void)n;
	if (sim_cmpxchg_double(&slab->freelist_word, &slab->counters, ptr_u64(freelist_old),
			       counters_old, ptr_u64(freelist_new), counters_new,
			       SIM_GUARD_SLUB_CMPXCHG_DOUBLE))
		return true;
	cpu_relax();
	stat(s, CMPXCHG_DOUBLE_FAIL);
	slub_note_retry();
	return false;
}
#define cmpxchg_double_slab __cmpxchg_double_slab

/* ------------------------------------------------------------------ */
/* Cross-file functions, by file                                        */

/* geometry.c (what differs by kernel: struct slub_geometry_kops below) */
/*
 * SLUB_TRACK_SIZE: sizeof(struct track), mm/slub.c: addr (8), the stack depot handle (4,
 * CONFIG_STACKDEPOT, which CONFIG_SLUB_DEBUG selects on x86), cpu (4), pid
 * (4), when (8, 8-aligned): 32 bytes.
 */
#define SLUB_TRACK_SIZE 32u

slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags, const char *name);
void set_cpu_partial(struct kmem_cache *s);
void slub_set_cpu_partial(struct kmem_cache *s, unsigned int nr_objects);
int slub_open_geometry(struct kmem_cache *s, slab_flags_t flags); /* kmem_cache_open's computations */

/* new_slab.c */
struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node);
struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node);
struct slab *alloc_slab_page(struct kmem_cache *s, gfp_t flags, int node,
			     struct kmem_cache_order_objects oo);
bool shuffle_freelist(struct kmem_cache *s, struct slab *slab);
int init_cache_random_seq(struct kmem_cache *s);
void cache_random_seq_destroy(struct kmem_cache *s);
void discard_slab(struct kmem_cache *s, struct slab *slab);
void free_slab(struct kmem_cache *s, struct slab *slab);
void inc_slabs_node(struct kmem_cache *s, int node, struct slab *slab);
void dec_slabs_node(struct kmem_cache *s, int node, struct slab *slab);
void slub_slab_pool_release(void);				/* free the struct slab pool */

/* partial.c */
void __add_partial(struct kmem_cache_node *n, struct slab *slab, int tail);
void add_partial(struct kmem_cache_node *n, struct slab *slab, int tail);
void remove_partial(struct kmem_cache_node *n, struct slab *slab);
bool pfmemalloc_match(struct slab *slab, gfp_t gfpflags);

/* deactivate.c */
void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c);
void __flush_cpu_slab(struct kmem_cache *s, int cpu);
void flush_cpu_slab(struct kmem_cache *s);
bool has_cpu_slab(int cpu, struct kmem_cache *s);
void flush_all(struct kmem_cache *s);

/* alloc.c */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
		   struct kmem_cache_cpu *c, unsigned int orig_size);

/* bulk.c */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);

/* free.c */
void slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
	       unsigned long addr);

/* slub.c */
int kmem_cache_init(const struct slab_config *cfg);
int init_kmem_cache_nodes(struct kmem_cache *s);
int kmem_cache_open(struct kmem_cache *s, slab_flags_t flags);	/* 0 or -1 */
void __kmem_cache_release(struct kmem_cache *s);
void get_slabinfo(struct kmem_cache *s, struct slab_cache_info *out);

/* check.c: slub_check is in slub.h */

/* ------------------------------------------------------------------ */
/* Kernel versions                                                      */

/*
 * struct slub_kops: what differs between the SLUB of two kernels, one table per version
 * folder (models/slub/6.1/, models/slub/6.12/; a new kernel is a new folder and one entry of
 * slub_kops_table).  The functions are static in their folder and keep the kernel's name; the
 * shared code calls them through KOPS(slub)->name(...).  Fields take the newest kernel's name;
 * where 6.1 names the function otherwise, its name is in the comment.
 */
struct slub_kops {
	const char *kernel;		/* "6.1", "6.12" */

	/* Allocation and free paths (models/slub/<version>/slub.c) */
	void *(*slab_alloc_node)(struct kmem_cache *s, gfp_t gfpflags, int node,
				 unsigned long addr, size_t orig_size);	/* fast path */
	void *(*___slab_alloc)(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			       struct kmem_cache_cpu *c, unsigned int orig_size);
	void (*do_slab_free)(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
			     int cnt, unsigned long addr);		/* fast path */
	void (*__slab_free)(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
			    int cnt, unsigned long addr);
	void (*deactivate_slab)(struct kmem_cache *s, struct slab *slab, void *freelist);
	void (*put_partials)(struct kmem_cache *s);	/* 6.1: unfreeze_partials */
	void (*put_partials_cpu)(struct kmem_cache *s,
				 struct kmem_cache_cpu *c);	/* 6.1: unfreeze_partials_cpu */
	/* Slabs on a CPU's partial list are frozen (6.1) or not (6.12): the checker's rule. */
	bool cpu_partial_frozen;
	/* Bulk allocation (models/slub/<version>/bulk.c); 6.1: kmem_cache_alloc_bulk */
	int (*kmem_cache_alloc_bulk_noprof)(struct kmem_cache *s, gfp_t flags, size_t size, void **p);

	/* Geometry, merging, kmalloc caches */
};

/*
 * struct slub_geometry_kops: the geometry that differs between kernels (models/slub/<version>/
 * geometry.c), a table of its own per version so that it does not wait on the paths' table:
 * KOPS(slub_geometry)->calculate_sizes(s).
 */
struct slub_geometry_kops {
	const char *kernel;		/* "6.1", "6.12" */
	/* kernel: calc_slab_order; 6.1's second argument is min_objects, 6.12's min_order */
	unsigned int (*calc_slab_order)(unsigned int size, unsigned int min_objects_or_order,
					unsigned int max_order, unsigned int fract_leftover);
	int (*calculate_order)(unsigned int size);	/* kernel: calculate_order; -1: does not fit */
	int (*calculate_sizes)(struct kmem_cache *s);	/* kernel: calculate_sizes; 1 ok, 0 error */
	/* struct kmem_cache has useroffset and usersize always (6.1) or with
	 * CONFIG_HARDENED_USERCOPY (6.12): the size of kmem_cache's objects */
	bool kmem_cache_usercopy_always;
};
extern const struct slub_geometry_kops slub_geometry_kops_6_1;
extern const struct slub_geometry_kops slub_geometry_kops_6_12;
extern const struct slub_geometry_kops *const slub_geometry_kops_table[NR_KERNEL_VERSIONS];

extern const struct slub_kops slub_kops_6_1;
extern const struct slub_kops slub_kops_6_12;
/* [kernel_version]; defined in slub.c */
extern const struct slub_kops *const slub_kops_table[NR_KERNEL_VERSIONS];
/* The table of the kernel this run follows: KOPS(slub)->deactivate_slab(s, slab, freelist). */
#ifndef KOPS
#define KOPS(model) (model##_kops_table[kernel_version])
#endif

/* kernel: node_match, mm/slub.c (the same in every version) */
static inline int node_match(struct slab *slab, int node)
{
	if (node != NUMA_NO_NODE && slab_nid(slab) != node)
		return 0;
	return 1;
}

#endif
