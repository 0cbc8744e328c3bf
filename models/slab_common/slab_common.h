/*
 * slab_common.h - what SLUB and SLAB share (Linux 6.1 mm/slab_common.c):
 * the cache registry, kmalloc caches, kmalloc/kfree, kmem_cache_alloc/free,
 * and the table of entry points each allocator provides.
 *
 * 6.1 implements kmalloc/kfree once on top of two allocator entry points,
 * __kmem_cache_alloc_node and __kmem_cache_free; we do the same through
 * struct slab_allocator.  Both allocators live in one binary, so the names
 * they share in the kernel (struct kmem_cache, slab_alloc_node, ...) are
 * private to each model (models/slub/slub_int.h and models/slab/slab_int.h
 * map them to prefixed symbols); callers outside the models see only an
 * opaque struct kmem_cache and the functions below.
 *
 * Implemented in models/slab_common/slab_common.c.
 */
#ifndef KMEMSIM_MODELS_SLAB_COMMON_H
#define KMEMSIM_MODELS_SLAB_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../mm.h"

struct kmem_cache;
struct slab_config;

/* Cache flags (include/linux/slab.h, 6.1 values). */
#define SLAB_CONSISTENCY_CHECKS	0x00000100u
#define SLAB_RED_ZONE		0x00000400u
#define SLAB_POISON		0x00000800u
#define SLAB_KMALLOC		0x00001000u
#define SLAB_HWCACHE_ALIGN	0x00002000u
#define SLAB_CACHE_DMA		0x00004000u
#define SLAB_CACHE_DMA32	0x00008000u
#define SLAB_STORE_USER		0x00010000u
#define SLAB_PANIC		0x00040000u
#define SLAB_TYPESAFE_BY_RCU	0x00080000u
#define SLAB_MEM_SPREAD		0x00100000u
#define SLAB_TRACE		0x00200000u
#define SLAB_NOLEAKTRACE	0x00800000u
#define SLAB_NO_MERGE		0x01000000u	/* 6.12 (its pre-6.10 value; the model keeps 6.1's numbering) */
#define SLAB_FAILSLAB		0x02000000u
#define SLAB_ACCOUNT		0x04000000u
#define SLAB_KASAN		0x08000000u
#define SLAB_NO_USER_FLAGS	0x10000000u
#define SLAB_RECLAIM_ACCOUNT	0x00020000u

#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((uintptr_t)(x) <= (uintptr_t)ZERO_SIZE_PTR)

enum kmalloc_cache_type { KMALLOC_NORMAL, KMALLOC_CGROUP, KMALLOC_RECLAIM, KMALLOC_DMA, NR_KMALLOC_TYPES };

/* What the reports and the database read of a cache (no yield). */
struct slab_cache_info {
	int id;				/* registry index, in creation order */
	const char *name;
	unsigned int object_size;	/* bytes asked for */
	unsigned int size;		/* bytes per object including metadata */
	unsigned int align;
	unsigned int objs_per_slab;
	unsigned int order;		/* pages per slab = 1 << order */
	unsigned long active_objs, num_objs;
	unsigned long active_slabs, num_slabs;
	unsigned int flags;
	int refcount;			/* aliases merged into it + 1; -1 never merged */
};

/* The entry points an allocator provides (SLUB: slub_allocator, SLAB: slab_allocator). */
struct slab_allocator {
	const char *name;				/* "slub" or "slab" */
	int (*init)(const struct slab_config *cfg);	/* kmem_cache_init + kmalloc caches */
	void (*exit)(void);
	/* __kmem_cache_create; ctor: the cache has a constructor (which the model never runs;
	 * it moves SLUB's free pointer and rules out SLAB's OBJFREELIST) */
	struct kmem_cache *(*create)(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, bool ctor);
	void *(*alloc)(struct kmem_cache *s, gfp_t gfp, int node, size_t orig_size); /* __kmem_cache_alloc_node */
	void (*free)(struct kmem_cache *s, void *obj);	/* __kmem_cache_free */
	struct kmem_cache *(*cache_of)(const void *obj);/* virt_to_cache */
	void (*info)(const struct kmem_cache *s, struct slab_cache_info *out);
	bool (*check)(FILE *why);			/* invariants; true = consistent */
	/* Optional (NULL: the allocator never merges): a cache created as an alias of s
	 * (kernel: the allocator half of __kmem_cache_alias: grow object_size, inuse). */
	void (*alias)(struct kmem_cache *s, unsigned int size);
	/* Optional (NULL: flags unchanged): kmem_cache_flags, the boot-time debug flags
	 * (slub_debug=) a cache of this name gets on top of the ones asked for. */
	unsigned int (*cache_flags)(unsigned int object_size, unsigned int flags, const char *name);
	/* SLAB_DEBUG_FLAGS of mm/slab.h under the allocator's config: the debug flags
	 * kmem_cache_create keeps (CACHE_CREATE_MASK); the others are dropped. */
	unsigned int (*debug_flags)(void);
	/* kernel: kmem_cache_alloc_bulk; objects into p, each its own operation; size or 0 */
	int (*alloc_bulk)(struct kmem_cache *s, gfp_t gfp, size_t size, void **p);
	/* kernel: kmem_cache_free_bulk; s NULL: each object's own cache (kfree_bulk) */
	void (*free_bulk)(struct kmem_cache *s, size_t size, void **p);
};

extern const struct slab_allocator slub_allocator;
extern const struct slab_allocator slab_allocator;

/* Which slab allocator a machine runs, and what its boot needs to know of the machine. */
enum slab_kind { SLAB_KIND_NONE, SLAB_KIND_SLUB, SLAB_KIND_SLAB };
struct slab_config {
	enum slab_kind kind;		/* NONE: pages only, no slab allocator */
	unsigned int hz;		/* CONFIG_HZ, SLAB's reap timers; 0 = 250 */
	uint64_t total_mib;		/* the machine's memory: SLAB's slab_max_order choice */
	bool memcg_kmem;		/* CONFIG_MEMCG_KMEM: kmalloc-cg-* caches, SLAB_ACCOUNT kept */
	bool memcg_online;		/* memcg_kmem_enabled(): objcgs vectors for SLAB_ACCOUNT slabs */
	bool zone_dma;			/* CONFIG_ZONE_DMA: dma-kmalloc-* caches, __GFP_DMA kmallocs there */
	bool hardened_usercopy;		/* CONFIG_HARDENED_USERCOPY (6.12: usercopy caches never merge) */
	bool slab_buckets;		/* CONFIG_SLAB_BUCKETS (6.12: kmalloc_buckets, memdup_user-*) */
};

/* Select and initialise the allocator `cfg` names (boot parameters: slub.h, slab.h):
 * kmem_cache_init, where start_kernel calls it (the zones still on their boot pagesets);
 * slab_common_init_late makes the caches of later initcalls, after setup_per_cpu_pageset. */
int slab_common_init(const struct slab_config *cfg);
int slab_common_init_late(const struct slab_config *cfg);
void slab_common_exit(void);
const struct slab_allocator *slab_current(void);

/* Cache registry (creation order gives the ids). */
int slab_register_cache(struct kmem_cache *s);	/* returns the id */
/* A kmalloc cache create_kmalloc_cache made: refcount 1, usersize its region; returns the id. */
int slab_register_kmalloc(struct kmem_cache *s, unsigned int usersize);
int slab_nr_caches(void);
struct kmem_cache *slab_cache(int id);
struct kmem_cache *slab_find_cache(const char *name);
int slab_cache_id(const struct kmem_cache *s);

/* kernel: kmem_cache_create (mm/slab_common.c), with merging as 6.1 does it; ctor: the
 * cache has a constructor (never run by the model: it changes the layout and forbids merging) */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     unsigned int flags, bool ctor);
/* Not a kernel function: called after kmem_cache_create made a cache or an alias under `name`, as a
 * udev rule would write the new cache's tunables (kmemsim's per-cache settings); NULL: none. */
extern void (*slab_cache_created)(struct kmem_cache *s, const char *name);
/* kernel: kmem_cache_alloc_node / kmem_cache_alloc (node = NUMA_NO_NODE) */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node);
/* kernel: kmem_cache_free */
void kmem_cache_free(struct kmem_cache *s, void *obj);
/* kernel: __kmalloc_node / __do_kmalloc_node; sizes above 8 KiB go to the page allocator */
void *kmalloc_node(size_t size, gfp_t gfp, int node);
/* kernel: kfree */
void kfree(const void *obj);
/* kernel: kmem_buckets, include/linux/slab.h: a cache per kmalloc index (CONFIG_SLAB_BUCKETS) */
typedef struct kmem_cache *kmem_buckets[KMALLOC_SHIFT_HIGH + 1];
/* The boot's bucket sets, NULL without them (6.1, or 6.12 without CONFIG_SLAB_BUCKETS):
 * kernel: user_buckets, mm/util.c (memdup_user-*); msg_buckets, ipc/msgutil.c (msg_msg-*) */
extern kmem_buckets *user_buckets;
extern kmem_buckets *msg_buckets;
/* kernel: kmem_buckets_alloc, include/linux/slab.h (6.12): __do_kmalloc_node from the bucket
 * set b; b NULL: kmalloc.  Freed by kfree. */
void *kmem_buckets_alloc(kmem_buckets *b, size_t size, gfp_t flags);

/*
 * Bulk calls (kernel: kmem_cache_alloc_bulk, kmem_cache_free_bulk, kfree_bulk).  The kernel
 * traces none of them.  Each object is an operation of its own (ops row, level, path), begun
 * by the allocator's loop where it takes the object: a bulk allocation's objects are
 * allocations with the first label kmem_cache_alloc_bulk:*, a bulk free's are frees with
 * kmem_cache_free_bulk:* (SLUB: the counters a detached freelist's one slab_free bumps go to
 * the operation of its first object; its other objects are rows with the label
 * kmem_cache_free_bulk:same_slab and that operation's level).  Call from a task, IRQs on.
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
/* kernel: kfree_bulk, include/linux/slab.h: kmem_cache_free_bulk(NULL, size, p) */
void kfree_bulk(size_t size, void **p);
/* For the allocators' bulk loops: begin one object's operation (kind: enum sim_op_kind), and
 * end it with the object and its cache (s NULL: a large kmalloc; obj NULL: failed). */
struct sim_op;
void slab_bulk_op_begin(struct sim_op *op, int kind, gfp_t gfp);
void slab_bulk_op_end(struct sim_op *op, struct kmem_cache *s, const void *obj);

/* kernel: kmalloc_slab; NULL for sizes above KMALLOC_MAX_CACHE_SIZE, ZERO_SIZE_PTR for 0 */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);
/* kernel: __kmalloc_index (SLUB: 8 B minimum; SLAB: 32 B) */
unsigned int kmalloc_index(size_t size);
/* kernel: calculate_alignment */
unsigned int calculate_alignment(unsigned int flags, unsigned int align, unsigned int size);

/*
 * Additions for the allocators' boot and for merging (the lead's entries above are unchanged).
 * The allocator's init creates its boot caches (registering them with slab_register_cache,
 * which is idempotent), then calls create_kmalloc_caches, which creates every kmalloc cache
 * through slab_allocator.create and fills kmalloc_caches[][] as 6.1 does.
 */
extern struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
extern bool slab_nomerge;			/* slab_nomerge on the command line (default false) */
extern bool slab_memcg_online;			/* memcg_kmem_enabled(), from the end of boot (memcg.c) */
/* kernel: account_slab / unaccount_slab, mm/slab.h (memcg.c): NR_SLAB_* of the node and, for a
 * SLAB_ACCOUNT cache with memcg online, the objcgs vector (its address, 0 = none). */
uint64_t account_slab(unsigned int cache_flags, unsigned int objects, unsigned int order, gfp_t gfp, int nid);
void unaccount_slab(uint64_t objcgs, unsigned int cache_flags, unsigned int order, int nid);
extern bool slab_memcg_kmem;			/* CONFIG_MEMCG_KMEM: kmalloc-cg-* exist (slab_config; default true) */
extern bool slab_zone_dma;			/* CONFIG_ZONE_DMA: dma-kmalloc-* exist (slab_config; default true) */
extern bool slab_hardened_usercopy;		/* CONFIG_HARDENED_USERCOPY (slab_config; default true) */
/* kernel: kmalloc_type, include/linux/slab.h (under the two switches above) */
enum kmalloc_cache_type kmalloc_type(gfp_t flags);
#ifndef SLAB_COMMON_VERSION_IMPL	/* the version folders define these under the kernel's names */
/* kernel: create_kmalloc_caches (flags: SLUB 0, SLAB SLAB_HWCACHE_ALIGN); 0 or SIM_EFAIL */
int create_kmalloc_caches(unsigned int flags);
/* kernel: find_mergeable; a cache that a new cache of these parameters can alias, or NULL */
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align, unsigned int flags, const char *name,
				  bool ctor, unsigned int usersize);
#endif
/* kernel: kmem_cache_create_usercopy (a usercopy region keeps a cache from merging: always in
 * 6.1, with CONFIG_HARDENED_USERCOPY in 6.12) */
struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size, unsigned int align,
					      unsigned int flags, unsigned int useroffset,
					      unsigned int usersize, bool ctor);
/* Not a kernel function: slab_unmergeable of cache `id` under the version's rules (true: no id). */
bool slab_cache_unmergeable(int id);
void slab_set_unmergeable(int id);		/* refcount = -1 (boot caches, kmalloc-* with memcg) */
unsigned int slab_cache_object_size(int id);	/* bytes asked for (grows with aliases); 0 for no id */
int slab_cache_refcount(int id);		/* aliases + 1, or -1 when never merged */

/* The page allocator under a nested operation of its own (when an operation is in flight). */
struct page *slab_page_alloc(int nid, gfp_t gfp, unsigned int order);	/* nid NUMA_NO_NODE: local */
void slab_page_free(struct page *page, unsigned int order);

/* Slab lifecycle events, for the database's slab events table (sink NULL: none). */
enum slab_lifecycle_event {
	SLAB_EV_NEW,			/* slab allocated from the page allocator */
	SLAB_EV_FREEZE,			/* SLUB: frozen (taken by a CPU) */
	SLAB_EV_CPU_SLAB,		/* SLUB: installed as a CPU's c->slab */
	SLAB_EV_CPU_PARTIAL_ADD,	/* SLUB: pushed on a CPU's partial list */
	SLAB_EV_UNFREEZE,		/* SLUB: unfrozen (deactivate_slab, unfreeze_partials, bypass) */
	SLAB_EV_PARTIAL_ADD,		/* added to the node partial list */
	SLAB_EV_PARTIAL_DEL,		/* removed from the node partial list */
	SLAB_EV_DISCARD,		/* returned to the page allocator */
	NR_SLAB_EVENTS
};
extern void (*slab_event_sink)(int cache, uint64_t slab_addr, int event, int node);
const char *slab_event_name(int event);		/* "new", "freeze", ... */

/* Allocator counter bumps, for the database (sink NULL: none): SLUB's stat() reports every
 * stat_item bump (item = enum stat_item of models/slub/slub.h's slub_stat_name order) with
 * the CPU whose counter it bumped.  Called where the counter is bumped; must not yield. */
extern void (*slab_stat_sink)(int cache, int item, int cpu);

/* Names merged into other caches (kmem_cache_create aliases), in creation order. */
int slab_nr_aliases(void);
const char *slab_alias_name(int i);		/* the alias's own name */
int slab_alias_cache(int i);			/* registry id of the cache it is merged into */

#endif
