/*
 * slub.c - the SLUB model's entry table, boot and cache set-up (Linux
 * 6.1.192 mm/slub.c): slub_allocator (models/slab_common/slab_common.h),
 * kmem_cache_init with the boot caches kmem_cache_node and kmem_cache and
 * their bootstrap, then the kmalloc caches; __kmem_cache_create,
 * kmem_cache_open, the per-node and per-CPU structures; slabinfo.
 *
 * The files of the model, along the kernel's seams:
 *   geometry.c    calculate_sizes, calculate_order, set_cpu_partial
 *   alloc.c       __slab_alloc
 *   free.c        slab_free
 *   bulk.c        kmem_cache_alloc_bulk (into the version's: <version>/bulk.c),
 *                 kmem_cache_free_bulk, build_detached_freelist
 *   partial.c     node partial lists (add_partial, remove_partial)
 *   new_slab.c    new_slab, allocate_slab, shuffle_freelist, discard_slab
 *   deactivate.c  flush_slab, flush_all
 *   6.1/slub.c,   what differs by kernel (struct slub_kops): slab_alloc_node (fast path),
 *   6.12/slub.c   ___slab_alloc, get_freelist, get_partial*, CPU partial lists,
 *                 do_slab_free (fast path), __slab_free, deactivate_slab
 *   stat.c        CONFIG_SLUB_STATS counters
 *   check.c       slub_check, the invariants of slub_int.h
 *
 * Lock order (restating the kernel's in our words): n->list_lock (IRQs
 * saved) may be held while taking a CPU's local lock (cpu_slab->lock, IRQs
 * off), never the reverse.  There is no slab_mutex: caches are created at
 * boot or by the run driver between operations.
 *
 * Differences from the kernel:
 *  - Debug caches (slub_debug=, slub_params.debug) get the kernel's layout
 *    (calculate_sizes: red zones, tracks, the free pointer after a poisoned
 *    object) and no CPU partial lists, but take the same paths as other
 *    caches: alloc_single_from_partial, alloc_single_from_new_slab,
 *    free_to_partial_list, the full list (add_full / remove_full, M_FULL),
 *    poisoning and red-zone checks, set_track and fixup_red_left (objects
 *    start at the slab's first byte) are not modelled.
 *  - No memcg charging (slab_pre/post_alloc_hook, memcg_slab_free_hook; only
 *    account_slab's objcgs vector is modelled, slab_common/memcg.c), no
 *    KASAN, KFENCE, KMSAN, kmemleak, failslab; init_on_alloc / init_on_free do
 *    not write the objects (the model keeps only the free pointers' words).
 *  - VM_BUG_ON and the hardened BUG_ON(object == fp) record the event
 *    (slub_bug, reported by slub_check) and go on instead of oopsing.
 *  - deactivate_slab stops walking a CPU freelist longer than the slab (the
 *    kernel would loop forever on a cycle; freelist_corrupted is debug-only).
 *  - free_slab for SLAB_TYPESAFE_BY_RCU caches frees at once (no RCU grace period).
 *  - get_cycles() % 1024 in get_any_partial, get_random_long() for s->random
 *    and the random sequences, and prandom_u32_max in shuffle_freelist all
 *    come from the seeded model PRNG.  No cpusets, mempolicies, PF_MEMALLOC
 *    tasks: gfp_pfmemalloc_allowed is __GFP_MEMALLOC without __GFP_NOMEMALLOC.
 *  - flush_all outside a running simulation flushes every CPU from the
 *    calling vCPU (the others as a dead CPU's), since there are no kworkers.
 *  - No sysfs, kmem_cache_destroy / shrink, memory or CPU
 *    hotplug; struct kmem_cache and kmem_cache_node live in host memory, but
 *    a simulated object is allocated for each (from the kmem_cache and
 *    kmem_cache_node caches) so that those caches fill up as in the kernel.
 *  - slab_nodes is every node with DMA, DMA32 or Normal memory.
 */
#include <stdlib.h>
#include <string.h>

#include "slub_int.h"
#include "../buddy/buddy.h"

/* The version tables (models/slub/<version>/slub.c), by enum kernel_version. */
const struct slub_kops *const slub_kops_table[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = &slub_kops_6_1,
	[KERNEL_6_12] = &slub_kops_6_12,
};

/* sizeof(struct kmem_cache_node), 6.1 amd64 with CONFIG_SLUB_DEBUG: list_lock (4, padded
 * to 8), nr_partial (8), partial (16), nr_slabs (8), total_objects (8), full (16). */
#define KMEM_CACHE_NODE_SIZE	64u

/*
 * offsetof(struct kmem_cache, node), include/linux/slub_def.h (6.1, amd64), from the
 * model's switches; CONFIG_SYSFS and CONFIG_NUMA are taken as on, KASAN as off.  Field by
 * field (without CONFIG_SLUB_CPU_PARTIAL the two cpu_partial fields go and everything from
 * oo on moves 8 bytes down: ctor stays 8-aligned at 64, kobj ends at 176):
 *   cpu_slab 0-8; flags 8-12 (pad to 16); min_partial 16-24; size 24-28;
 *   object_size 28-32; reciprocal_size (u32 + 2 u8, 4-aligned) 32-40; offset 40-44;
 *   cpu_partial 44-48; cpu_partial_slabs 48-52; oo 52-56; min 56-60; allocflags 60-64;
 *   refcount 64-68 (pad to 72); ctor 72-80; inuse 80-84; align 84-88;
 *   red_left_pad 88-92 (pad to 96); name 96-104; list 104-120; kobj (struct kobject:
 *   name, entry, parent, kset, ktype, sd, kref, state bits) 120-184;
 *   random (CONFIG_SLAB_FREELIST_HARDENED) 8 bytes;
 *   remote_node_defrag_ratio (CONFIG_NUMA) 4 bytes;
 *   random_seq (CONFIG_SLAB_FREELIST_RANDOM) a pointer, 8-aligned;
 *   useroffset, usersize 4 + 4 (6.12: with CONFIG_HARDENED_USERCOPY only); node[] 8-aligned.
 * Debian (both on): 216; neither: 200 (the oracle's kmem_cache object_size, 200 + 2 * 8 = 216);
 * 6.12's struct (mm/slab.h) is the same but for that condition: its oracle 192 + 16 = 208.
 */
static unsigned int kmem_cache_node_offset(void)
{
	unsigned int off = slub_params.cpu_partial ? 184 : 176;	/* end of kobj */

	if (slub_params.freelist_hardened)
		off += 8;			/* random */
	off += 4;				/* remote_node_defrag_ratio */
	if (slub_params.freelist_random)
		off = ALIGN_UP(off, 8u) + 8;	/* random_seq */
	if (KOPS(slub_geometry)->kmem_cache_usercopy_always || slab_hardened_usercopy)
		off += 8;			/* useroffset, usersize */
	return ALIGN_UP(off, 8u);		/* node[] */
}

enum slab_state slab_state;
bool slab_nodes[SIM_MAX_NODES];
struct list_head slub_slab_caches = { &slub_slab_caches, &slub_slab_caches };
struct slub_params slub_params = {
	.min_order = 0, .max_order = PAGE_ALLOC_COSTLY_ORDER, .min_objects = 0,
	.freelist_random = true, .freelist_hardened = true, .cpu_partial = true,
};
unsigned long slub_nr_bugs;
bool slub_boot_gfp;
static char slub_first_bug[160];

/* The boot caches (the kernel's kmem_cache is a global of mm/slab_common.c). */
static struct kmem_cache *kmem_cache;
static struct kmem_cache *kmem_cache_node;

void slub_params_default(struct slub_params *p)
{
	p->min_order = 0;
	p->max_order = PAGE_ALLOC_COSTLY_ORDER;
	p->min_objects = 0;
	p->freelist_random = true;
	p->freelist_hardened = true;
	p->debug = 0;
	p->cpu_partial = true;
}

/* kernel: setup_slub_min_order / setup_slub_max_order / setup_slub_min_objects */
void slub_set_params(const struct slub_params *p)
{
	slub_params = *p;
	slub_min_order = p->min_order;
	slub_max_order = p->max_order < MAX_ORDER - 1 ? p->max_order : MAX_ORDER - 1;
	slub_min_objects = p->min_objects;
}

void slub_bug(struct kmem_cache *s, const char *what, uint64_t addr)
{
	if (!slub_nr_bugs++)
		snprintf(slub_first_bug, sizeof(slub_first_bug), "%s: %s (0x%llx)",
			 s ? s->name : "?", what, (unsigned long long)addr);
}

const char *slub_first_bug_text(void)
{
	return slub_first_bug;
}

/* ------------------------------------------------------------------ */
/* Per-node and per-CPU structures                                     */

/* kernel: init_kmem_cache_node, mm/slub.c */
static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	n->nr_partial = 0;
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	n->nr_slabs = 0;
	n->total_objects = 0;
	INIT_LIST_HEAD(&n->all);
}

/* kernel: alloc_kmem_cache_cpus + init_kmem_cache_cpus, mm/slub.c */
static int alloc_kmem_cache_cpus(struct kmem_cache *s)
{
	s->cpu_slab = calloc((size_t)nr_cpu_ids, sizeof(*s->cpu_slab));
	if (!s->cpu_slab)
		return 0;
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		c->lock.owner = -1;		/* local_lock_init */
		c->tid = init_tid(cpu);
	}
	return 1;
}

/*
 * kernel: early_kmem_cache_node_alloc, mm/slub.c.  The first slab of
 * kmem_cache_node on a node holds that node's own struct.
 */
static int early_kmem_cache_node_alloc(int node)
{
	struct slab *slab;
	struct kmem_cache_node *n;
	void *obj;

	slab = new_slab(kmem_cache_node, GFP_NOWAIT, node);
	if (!slab)
		return 0;
	inc_slabs_node(kmem_cache_node, slab_nid(slab), slab);	/* no-op: no struct yet */

	obj = slab->freelist;
	slab->freelist = get_freepointer(kmem_cache_node, obj);
	slab->inuse = 1;
	n = calloc(1, sizeof(*n));
	if (!n)
		return 0;
	n->obj = obj;
	kmem_cache_node->node[node] = n;
	init_kmem_cache_node(n);
	spin_lock_owner(&n->list_lock, -1, node, -1, kmem_cache_node->name);
	inc_slabs_node(kmem_cache_node, node, slab);

	/* Nobody else can see it yet: no list_lock. */
	__add_partial(n, slab, DEACTIVATE_TO_HEAD);
	return 1;
}

/* kernel: free_kmem_cache_nodes, mm/slub.c */
static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_node_ids; node++) {
		struct kmem_cache_node *n = s->node[node];

		if (!n)
			continue;
		s->node[node] = NULL;
		if (n->obj && kmem_cache_node && kmem_cache_node != s)
			slab_free(kmem_cache_node, virt_to_slab(n->obj), n->obj, NULL, 1, 0);
		free(n);
	}
}

/* kernel: __kmem_cache_release, mm/slub.c */
void __kmem_cache_release(struct kmem_cache *s)
{
	cache_random_seq_destroy(s);
	free(s->cpu_slab);
	s->cpu_slab = NULL;
	free_kmem_cache_nodes(s);
}

/* kernel: init_kmem_cache_nodes, mm/slub.c */
int init_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_node_ids; node++) {
		struct kmem_cache_node *n;
		void *obj;

		if (!slab_nodes[node])
			continue;
		if (slab_state == DOWN) {
			if (!early_kmem_cache_node_alloc(node))
				return 0;
			continue;
		}
		obj = KOPS(slub)->slab_alloc_node(kmem_cache_node, GFP_KERNEL, node, 0,
				      kmem_cache_node->object_size);
		n = obj ? calloc(1, sizeof(*n)) : NULL;
		if (!n) {
			if (obj)
				slab_free(kmem_cache_node, virt_to_slab(obj), obj, NULL, 1, 0);
			free_kmem_cache_nodes(s);
			return 0;
		}
		init_kmem_cache_node(n);
		spin_lock_owner(&n->list_lock, -1, node, -1, s->name);
		n->obj = obj;
		s->node[node] = n;
	}
	return 1;
}

/* kernel: kmem_cache_open, mm/slub.c (the computations are in geometry.c) */
int kmem_cache_open(struct kmem_cache *s, slab_flags_t flags)
{
	if (!slub_open_geometry(s, flags))
		goto error;
	/* The random sequence once kmalloc works; boot caches get it later. */
	if (slab_state >= UP && init_cache_random_seq(s))
		goto error;
	if (!init_kmem_cache_nodes(s))
		goto error;
	if (alloc_kmem_cache_cpus(s))
		return 0;
error:
	__kmem_cache_release(s);
	return -1;
}

/* kernel: __kmem_cache_create, mm/slub.c (no sysfs) */
static int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	return kmem_cache_open(s, flags);
}

/* A host struct kmem_cache named `name`. */
static struct kmem_cache *cache_struct_new(const char *name)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name_buf = strdup(name);
	if (!s->name_buf) {
		free(s);
		return NULL;
	}
	s->name = s->name_buf;
	s->id = -1;
	INIT_LIST_HEAD(&s->list);
	return s;
}

static void cache_struct_free(struct kmem_cache *s)
{
	free(s->name_buf);
	free(s);
}

/* kernel: create_boot_cache, mm/slab_common.c */
static int create_boot_cache(struct kmem_cache *s, unsigned int size, slab_flags_t flags)
{
	unsigned int align = 8;			/* ARCH_KMALLOC_MINALIGN */

	s->size = s->object_size = size;
	if (!(size & (size - 1)) && size > align)
		align = size;
	s->align = calculate_alignment(flags, align, size);
	if (__kmem_cache_create(s, flags))
		return -1;
	s->refcount = -1;			/* exempt from merging */
	return 0;
}

/*
 * kernel: bootstrap, mm/slub.c.  The kernel copies a static boot cache into
 * an object of kmem_cache; the model keeps its host struct and allocates the
 * object, then flushes this CPU's cpu slab as the kernel does.
 */
static int bootstrap(struct kmem_cache *s)
{
	s->obj = KOPS(slub)->slab_alloc_node(kmem_cache, GFP_NOWAIT | __GFP_ZERO, NUMA_NO_NODE, 0,
				 kmem_cache->object_size);
	if (!s->obj)
		return -1;
	__flush_cpu_slab(s, smp_processor_id());
	list_add(&s->list, &slub_slab_caches);
	s->id = slab_register_cache(s);
	if (s->id < 0)
		return -1;
	slab_set_unmergeable(s->id);
	return 0;
}

/* slub_allocator.create: kernel create_cache + __kmem_cache_create (align already computed). */
static struct kmem_cache *slub_create(const char *name, unsigned int size, unsigned int align,
				      unsigned int flags, bool ctor)
{
	struct kmem_cache *s = cache_struct_new(name);
	void *obj;

	if (!s)
		return NULL;
	/* kmem_cache_zalloc(kmem_cache): GFP_NOWAIT at boot, GFP_KERNEL later */
	obj = KOPS(slub)->slab_alloc_node(kmem_cache, (slab_state < UP ? GFP_NOWAIT : GFP_KERNEL) | __GFP_ZERO,
			      NUMA_NO_NODE, 0, kmem_cache->object_size);
	if (!obj) {
		cache_struct_free(s);
		return NULL;
	}
	s->obj = obj;
	s->size = s->object_size = size;
	s->align = align;
	s->ctor = ctor;
	if (__kmem_cache_create(s, flags)) {
		slab_free(kmem_cache, virt_to_slab(obj), obj, NULL, 1, 0);
		cache_struct_free(s);
		return NULL;
	}
	s->refcount = 1;
	list_add(&s->list, &slub_slab_caches);
	s->id = slab_register_cache(s);
	return s;
}

/* kernel: __kmem_cache_alias, mm/slub.c (the SLUB half: refcount, sizes) */
static void slub_alias(struct kmem_cache *s, unsigned int size)
{
	s->refcount++;
	if (size > s->object_size)
		s->object_size = size;
	if (ALIGN_UP(size, 8u) > s->inuse)
		s->inuse = ALIGN_UP(size, 8u);
}

/* Nodes with normal memory (N_NORMAL_MEMORY). */
static void init_slab_nodes(void)
{
	for (int node = 0; node < SIM_MAX_NODES; node++) {
		slab_nodes[node] = false;
		if (node >= nr_node_ids)
			continue;
		for (int zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++)
			if (buddy_zone_populated(node, zid))
				slab_nodes[node] = true;
	}
}

/* kernel: kmem_cache_init, mm/slub.c */
int kmem_cache_init(const struct slab_config *cfg)
{
	struct kmem_cache *s;

	(void)cfg;
	slub_set_params(&slub_params);
	slub_nr_bugs = 0;
	slub_first_bug[0] = '\0';
	slab_state = DOWN;
	slub_boot_gfp = true;		/* start_kernel lifts it after kmem_cache_init */
	INIT_LIST_HEAD(&slub_slab_caches);
	init_slab_nodes();

	kmem_cache_node = cache_struct_new("kmem_cache_node");
	kmem_cache = cache_struct_new("kmem_cache");
	if (!kmem_cache_node || !kmem_cache)
		return SIM_EFAIL;

	if (create_boot_cache(kmem_cache_node, KMEM_CACHE_NODE_SIZE, SLAB_HWCACHE_ALIGN))
		return SIM_EFAIL;
	/* The per-node structures can be allocated from now on. */
	slab_state = PARTIAL;
	if (create_boot_cache(kmem_cache, kmem_cache_node_offset() + 8u * (unsigned int)nr_node_ids,
			      SLAB_HWCACHE_ALIGN))
		return SIM_EFAIL;

	if (bootstrap(kmem_cache) || bootstrap(kmem_cache_node))
		return SIM_EFAIL;

	if (create_kmalloc_caches(0))
		return SIM_EFAIL;
	slab_state = UP;

	/* init_freelist_randomization: every cache, newest first. */
	list_for_each_entry(s, &slub_slab_caches, list)
		if (init_cache_random_seq(s))
			return SIM_EFAIL;
	slub_boot_gfp = false;
	return 0;
}

/* Host memory of one cache. */
static void cache_host_free(struct kmem_cache *s)
{
	free(s->random_seq);
	free(s->cpu_slab);
	for (int node = 0; node < SIM_MAX_NODES; node++)
		free(s->node[node]);
	cache_struct_free(s);
}

/* Host memory of every cache; the simulated memory goes with the machine. */
static void slub_exit(void)
{
	struct kmem_cache *s, *t;

	/* A boot that failed before bootstrap() left these off the list. */
	if (kmem_cache && list_empty(&kmem_cache->list))
		cache_host_free(kmem_cache);
	if (kmem_cache_node && list_empty(&kmem_cache_node->list))
		cache_host_free(kmem_cache_node);
	list_for_each_entry_safe(s, t, &slub_slab_caches, list)
		cache_host_free(s);
	INIT_LIST_HEAD(&slub_slab_caches);
	kmem_cache = kmem_cache_node = NULL;
	slub_slab_pool_release();
	slab_state = DOWN;
}

static void *slub_alloc(struct kmem_cache *s, gfp_t gfp, int node, size_t orig_size)
{
	return KOPS(slub)->slab_alloc_node(s, gfp, node, 0, orig_size ? orig_size : s->object_size);
}

/* kernel: __kmem_cache_free, mm/slub.c */
static void slub_free(struct kmem_cache *s, void *obj)
{
	slab_free(s, virt_to_slab(obj), obj, NULL, 1, 0);
}

/* kernel: virt_to_cache, mm/slab.h */
static struct kmem_cache *slub_cache_of(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);

	return slab ? slab->slab_cache : NULL;
}

/* kernel: count_partial(n, count_free), mm/slub.c */
static unsigned long count_partial_free(struct kmem_cache_node *n)
{
	unsigned long x = 0;
	struct slab *slab;

	list_for_each_entry(slab, &n->partial, slab_list)
		x += slab->objects - slab->inuse;
	return x;
}

/* kernel: get_slabinfo, mm/slub.c (objects on CPU freelists count as active) */
void get_slabinfo(struct kmem_cache *s, struct slab_cache_info *out)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		nr_slabs += (unsigned long)n->nr_slabs;
		nr_objs += (unsigned long)n->total_objects;
		nr_free += count_partial_free(n);
	}
	memset(out, 0, sizeof(*out));
	out->id = s->id;
	out->name = s->name;
	out->object_size = s->object_size;
	out->size = s->size;
	out->align = s->align;
	out->objs_per_slab = oo_objects(s->oo);
	out->order = oo_order(s->oo);
	out->active_objs = nr_objs - nr_free;
	out->num_objs = nr_objs;
	out->active_slabs = nr_slabs;
	out->num_slabs = nr_slabs;
	out->flags = s->flags & ~(__CMPXCHG_DOUBLE | __OBJECT_POISON);
	out->refcount = s->id >= 0 ? slab_cache_refcount(s->id) : s->refcount;
}

/* kernel: SLAB_DEBUG_FLAGS, mm/slab.h (CONFIG_SLUB_DEBUG, as in Debian) */
static unsigned int slub_debug_flags(void)
{
	return SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | SLAB_CONSISTENCY_CHECKS;
}

static void slub_info(const struct kmem_cache *s, struct slab_cache_info *out)
{
	get_slabinfo((struct kmem_cache *)s, out);
}

const struct slab_allocator slub_allocator = {
	.name = "slub",
	.init = kmem_cache_init,
	.exit = slub_exit,
	.create = slub_create,
	.cache_flags = kmem_cache_flags,
	.debug_flags = slub_debug_flags,
	.alloc = slub_alloc,
	.free = slub_free,
	.cache_of = slub_cache_of,
	.info = slub_info,
	.check = slub_check,
	.alias = slub_alias,
	.alloc_bulk = kmem_cache_alloc_bulk,
	.free_bulk = kmem_cache_free_bulk,
};
