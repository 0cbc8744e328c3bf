/*
 * slab.c - the SLAB model of Linux 6.1.192 (mm/slab.c): boot, the entry
 * table the common layer calls (slab_allocator), and model-wide state.
 *
 * Main entries: slab_allocator.init = kmem_cache_init (the kmem_cache
 * cache of descriptors, then the kmalloc-128 cache that holds struct
 * kmem_cache_node, as 6.1 does, then every other kmalloc cache, then
 * kmem_cache_init_late's enable_cpucache for each and the reapers), .alloc = __kmem_cache_alloc_node (alloc.c), .free =
 * __kmem_cache_free (free.c).  Files: geometry.c (layout), tune.c
 * (tunables and arrays), alloc.c, grow.c, free.c, reap.c, stat.c, check.c.
 *
 * Lock order, restated: IRQs off -> alien->lock -> n->list_lock.  The
 * per-CPU array_cache is protected only by IRQs being off; n->list_lock
 * protects a node's slab lists, counters, colour_next and shared array.
 *
 * Differences from the kernel (each names what the kernel does instead):
 * - Metadata is host memory: struct kmem_cache, kmem_cache_node,
 *   array_cache, alien_cache, the random sequence and struct slab (the
 *   kernel overlays struct page).  For each the kernel takes from a slab
 *   cache, a simulated object of the kernel's size is allocated beside it
 *   (descriptors from "kmem_cache", node structures from kmalloc-128,
 *   shared and alien arrays and sequences from kmalloc), so those caches
 *   fill up as in the kernel; the per-CPU arrays come from the percpu
 *   allocator, which is not modelled.  The free index array is in
 *   simulated memory where the kernel puts it (grow.c).
 * - do_tune_cpucache / setup_kmem_cache_node: the old arrays are kept
 *   until exit instead of kick_all_cpus_sync + synchronize_rcu; tuning
 *   must run while no vCPU is inside the allocator (boot, or between
 *   operations).
 * - No CONFIG_DEBUG_SLAB layout (red zones, poison, store-user, the limit
 *   cap of 32) but its statistics are always kept (stat.c); num_active
 *   drifts exactly as the kernel's does (____cache_alloc_node's grow path
 *   does not count the object it takes).
 * - No constructors, KASAN, KFENCE, kmemleak, memcg charging, failslab,
 *   init_on_alloc zeroing or init_on_free (slab_alloc_node,
 *   __cache_free); no pfmemalloc slabs (sk_memalloc_socks() is false, so
 *   get_valid_first_slab / cache_alloc_pfmemalloc never run).
 * - No mempolicy or cpusets: __do_cache_alloc never calls
 *   alternate_node_alloc, fallback_alloc's zonelist is the local node's
 *   (nodes by distance, find_next_best_node's penalties, no node_load),
 *   and read_mems_allowed_retry never retries.
 * - SLAB_TYPESAFE_BY_RCU slabs are freed at once (slab_destroy's call_rcu).
 * - Randomness (get_random_long / get_random_u32 / prandom) comes from the
 *   model PRNG stream, sim_prng_model().
 * - Time: jiffies = vCPU clock / (1 s / HZ) from the start of the run (the
 *   kernel starts at INITIAL_JIFFIES); cache_reap is work on the engine's
 *   per-vCPU kworker, not deferrable (an idle CPU's reaper still runs);
 *   there is no slab_mutex, so its trylock never fails.
 * - Reports (get_slabinfo for info and slabinfo) read the node counters
 *   without list_lock, so that they do not yield.
 * - The static kmem_cache_boot descriptor has a stand-in address.
 * - alloc_block and __free_one stop at a full array (the kernel cannot get
 *   there with IRQs off; with SIM_GUARD_SLAB_IRQ off it would write past
 *   the array): the model marks an array_overflow label, counts it in
 *   `errors` (which the kernel never bumps) and records it (slab_bug) for
 *   slab_check to report.  alloc_block's BUG_ON (a slab with no free object,
 *   reachable only with SIM_GUARD_SLAB_LIST_LOCK off) is recorded the same
 *   way instead of oopsing.
 * - No CPU hotplug (cpuup_prepare / cpuup_canceled), memory hotplug, cache
 *   destruction, bulk alloc / free, or shrinking on memory pressure;
 *   slab_shrink_cache runs __kmem_cache_shrink on request.
 */
#include <stdlib.h>
#include <string.h>

#include "slab_int.h"

enum slab_state_kind slab_state;
struct list_head slab_caches = { &slab_caches, &slab_caches };
int slab_max_order = SLAB_MAX_ORDER_LO;
int use_alien_caches = 1;
unsigned int slab_hz = 250;
bool slab_freelist_random = true;
bool slab_debug;
unsigned long *slab_reap_node;
uint64_t *slab_reap_due_ns;
bool slab_reaper_on = true;
static struct kmem_cache *kmem_cache;	/* the cache of struct kmem_cache ("kmem_cache") */

/* Where the kernel's static kmem_cache_boot would be (.data): a stand-in. */
#define KMEM_CACHE_BOOT_VADDR 0xffffffff82a00000ULL

/* Boot options (slab_set_boot_params), kept across runs. */
static int boot_max_order = -1;
static bool boot_noaliencache;
static bool boot_freelist_random = true;
static bool boot_debug;

/* slab_max_order=, noaliencache and CONFIG_SLAB_FREELIST_RANDOM for the next init. */
void slab_set_boot_params(int max_order, bool noaliencache, bool freelist_random)
{
	boot_max_order = max_order;
	boot_noaliencache = noaliencache;
	boot_freelist_random = freelist_random;
}

/* Boot switch, not a kernel function: CONFIG_DEBUG_SLAB on or off for the next init. */
void slab_set_debug(bool debug_slab)
{
	boot_debug = debug_slab;
}

/* Whether kmem_cache_init queues cache_reap on the kworkers. */
void slab_set_reaper(bool on)
{
	slab_reaper_on = on;
}

/* The cache's registry id, looked up once. */
int slab_cache_id_of(struct kmem_cache *cachep)
{
	if (cachep->id < 0)
		cachep->id = slab_cache_id(cachep);
	return cachep->id;
}

/* Fill the operation in flight with the cache, address and memory node. */
void slab_op_note(struct kmem_cache *cachep, const void *obj)
{
	struct sim_op *op = sim_op_current();

	if (!op)
		return;
	op->cache = slab_cache_id_of(cachep);
	op->addr = (uint64_t)(uintptr_t)obj;
	op->mem_node = obj ? (int16_t)page_to_nid(virt_to_page(obj)) : -1;
	if (!obj && op->kind == SIM_OP_OBJ_ALLOC)
		op->failed = true;
}

/* kmalloc_node for the model's own use (off-slab index arrays), as a nested operation. */
void *slab_nested_kmalloc_node(size_t size, gfp_t gfp, int node)
{
	struct sim_op op;
	void *ret;

	if (!sim_op_current())
		return kmalloc_node(size, gfp, node);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp;
	op.size = (uint32_t)size;
	ret = kmalloc_node(size, gfp, node);
	sim_op_end(&op);
	return ret;
}

/* kmalloc_node of a metadata object; NULL while kmalloc is not up yet (slab_state < PARTIAL_NODE). */
void *slab_meta_kmalloc_node(size_t size, gfp_t gfp, int node)
{
	if (slab_state < PARTIAL_NODE)
		return NULL;
	return slab_nested_kmalloc_node(size, gfp, node);
}

/* kmem_cache_alloc of a descriptor from the kmem_cache cache, nested like the above. */
static void *desc_alloc(gfp_t gfp)
{
	struct sim_op op;
	void *ret;

	if (!sim_op_current())
		return kmem_cache_alloc_node(kmem_cache, gfp | __GFP_ZERO, NUMA_NO_NODE);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp | __GFP_ZERO;
	ret = kmem_cache_alloc_node(kmem_cache, gfp | __GFP_ZERO, NUMA_NO_NODE);
	sim_op_end(&op);
	return ret;
}

/* kfree for the model's own use, as a nested operation. */
void slab_nested_kfree(const void *obj)
{
	struct sim_op op;

	if (!obj)
		return;
	if (!sim_op_current()) {
		kfree(obj);
		return;
	}
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	op.addr = (uint64_t)(uintptr_t)obj;
	kfree(obj);
	sim_op_end(&op);
}

/* ------------------------------------------------------------------ */
/* Entry points                                                          */

/*
 * kernel: create_cache's allocator half (and create_boot_cache's): the
 * descriptor (host memory, plus its object in the kmem_cache cache),
 * __kmem_cache_create, slab_caches.
 */
static struct kmem_cache *slab_create(const char *name, unsigned int size, unsigned int align,
				      unsigned int flags, bool ctor)
{
	struct kmem_cache *s = slab_cache_alloc_desc(name, size, align);
	void *desc = NULL;

	if (!s)
		return NULL;
	s->ctor = ctor;
	if (kmem_cache) {
		desc = desc_alloc(slab_state >= UP ? GFP_KERNEL : GFP_NOWAIT);
		s->vaddr = (uint64_t)(uintptr_t)desc;
	} else {
		s->vaddr = KMEM_CACHE_BOOT_VADDR;	/* kmem_cache itself is static */
	}
	if (__kmem_cache_create(s, flags)) {
		if (desc)
			kmem_cache_free(kmem_cache, desc);
		slab_cache_free_desc(s);
		return NULL;
	}
	s->refcount = 1;
	list_add(&s->list, &slab_caches);
	return s;
}

/* kernel: SLAB_DEBUG_FLAGS, mm/slab.h (none without CONFIG_DEBUG_SLAB) */
static unsigned int slab_debug_flags(void)
{
	return slab_debug ? SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER : 0;
}

/* kernel: __kmem_cache_alias, mm/slab.c (the allocator half; find_mergeable is common) */
static void __kmem_cache_alias(struct kmem_cache *cachep, unsigned int size)
{
	cachep->refcount++;
	/* The cache now serves objects as large as the alias asks for. */
	if ((int)size > cachep->object_size)
		cachep->object_size = (int)size;
}

/* kernel: virt_to_cache, mm/slab.h */
static struct kmem_cache *slab_cache_of(const void *obj)
{
	struct slab *slab = virt_to_slab(obj);

	return slab ? slab->slab_cache : NULL;
}

/* What reports read of a cache: get_slabinfo plus geometry (no yield). */
static void slab_info(const struct kmem_cache *cs, struct slab_cache_info *out)
{
	struct kmem_cache *s = (struct kmem_cache *)cs;
	struct slab_slabinfo si;

	get_slabinfo(s, &si);
	out->id = slab_cache_id_of(s);
	out->name = s->name;
	out->object_size = (unsigned int)s->object_size;
	out->size = s->size;
	out->align = (unsigned int)s->align;
	out->objs_per_slab = s->num;
	out->order = s->gfporder;
	out->active_objs = si.active_objs;
	out->num_objs = si.num_objs;
	out->active_slabs = si.active_slabs;
	out->num_slabs = si.num_slabs;
	out->flags = s->flags;
	out->refcount = out->id >= 0 ? slab_cache_refcount(out->id) : s->refcount;
}

/* ------------------------------------------------------------------ */
/* Boot                                                                  */

/* kernel: kmem_cache_init_late, mm/slab.c: size every head array */
void kmem_cache_init_late(void)
{
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next)
		enable_cpucache(list_entry(p, struct kmem_cache, list), GFP_NOWAIT);
	slab_state = FULL;
}

/* The kernel's create_kmalloc_cache for the first cache, kmalloc-128 (INDEX_NODE). */
static struct kmem_cache *create_node_kmalloc_cache(void)
{
	/* sizeof(struct kmem_cache_node) is 120 on x86-64: kmalloc_index gives 7, kmalloc-128. */
	unsigned int size = 128;
	unsigned int flags = ARCH_KMALLOC_FLAGS | SLAB_KMALLOC;
	struct kmem_cache *s;

	s = slab_create("kmalloc-128", size, calculate_alignment(flags, size, size), flags, false);
	if (!s)
		return NULL;
	/* useroffset 0, usersize size, refcount 1: a usercopy region keeps it from merging;
	 * create_kmalloc_caches skips the slot, so memcg's refcount -1 never reaches it */
	if (slab_register_kmalloc(s, size) < 0)
		return NULL;
	kmalloc_caches[KMALLOC_NORMAL][7] = s;
	return s;
}

/*
 * offsetof(struct kmem_cache, node), include/linux/slab_def.h (6.1, amd64, no KASAN), from
 * the model's switches.  Field by field: cpu_cache 0-8; batchcount, limit, shared, size
 * 8-24; reciprocal_buffer_size (u32 + 2 u8) 24-32; flags 32-36; num 36-40; gfporder
 * 40-44; allocflags 44-48; colour (size_t) 48-56; colour_off 56-60; freelist_size
 * 60-64; ctor 64-72; name 72-80; list 80-96; refcount, object_size, align 96-108;
 * CONFIG_DEBUG_SLAB: num_active .. node_overflow (10 unsigned longs, 8-aligned) 112-192,
 * allochit .. freemiss (4 atomic_t) 192-208, obj_offset 208-212;
 * CONFIG_SLAB_FREELIST_RANDOM: random_seq (8-aligned pointer); useroffset, usersize 4 + 4;
 * node[] 8-aligned.  Debian (random, no debug): 128; DEBUG_SLAB without random: 224.
 */
static unsigned int kmem_cache_node_offset(void)
{
	unsigned int off = 108;			/* end of align */

	if (slab_debug)
		off = ALIGN(off, 8u) + 10 * 8 + 4 * 4 + 4;
	if (slab_freelist_random)
		off = ALIGN(off, 8u) + 8;
	off += 8;
	return ALIGN(off, 8u);
}

/* kernel: create_boot_cache(kmem_cache, "kmem_cache", ...) in kmem_cache_init */
static struct kmem_cache *create_kmem_cache_cache(void)
{
	/* offsetof(struct kmem_cache, node), then a pointer per node. */
	unsigned int size = kmem_cache_node_offset() + 8 * (unsigned int)nr_node_ids;
	unsigned int flags = SLAB_HWCACHE_ALIGN;
	struct kmem_cache *s;
	int id;

	s = slab_create("kmem_cache", size, calculate_alignment(flags, ARCH_KMALLOC_MINALIGN, size), flags,
			false);
	if (!s)
		return NULL;
	id = slab_register_cache(s);
	if (id < 0)
		return NULL;
	slab_set_unmergeable(id);	/* refcount -1: exempt from merging */
	return s;
}

/* kernel: init_list, mm/slab.c: the static node structures of the first two caches move into kmalloc-128 */
static void init_list(struct kmem_cache *cachep, int nodeid)
{
	cachep->node[nodeid]->sim_obj = slab_meta_kmalloc_node(120, GFP_NOWAIT, nodeid);
}

/*
 * kernel: kmem_cache_init, mm/slab.c (+ kmem_cache_init_late, start_cpu_timer)
 *
 * Returns 0, or SIM_EFAIL when a cache cannot be created.
 */
int kmem_cache_init(const struct slab_config *cfg)
{

	INIT_LIST_HEAD(&slab_caches);
	slab_state = DOWN;
	kmem_cache = NULL;
	slab_bugs_reset();
	slab_hz = cfg->hz ? cfg->hz : 250;
	slab_freelist_random = boot_freelist_random;
	slab_debug = boot_debug;

	use_alien_caches = !boot_noaliencache && nr_node_ids > 1;

	/* Bigger slabs only on machines with more than 32 MiB. */
	if (boot_max_order >= 0)
		slab_max_order = boot_max_order < MAX_ORDER - 1 ? boot_max_order : MAX_ORDER - 1;
	else
		slab_max_order = cfg->total_mib > 32 ? SLAB_MAX_ORDER_HI : SLAB_MAX_ORDER_LO;

	free(slab_reap_node);
	free(slab_reap_due_ns);
	slab_reap_node = calloc((size_t)nr_cpu_ids, sizeof(*slab_reap_node));
	slab_reap_due_ns = calloc((size_t)nr_cpu_ids, sizeof(*slab_reap_due_ns));
	if (!slab_reap_node || !slab_reap_due_ns)
		return SIM_EFAIL;

	/* 1) The cache of the descriptors. */
	kmem_cache = create_kmem_cache_cache();
	if (!kmem_cache)
		return SIM_EFAIL;
	slab_state = PARTIAL;

	/* 2) The cache of struct kmem_cache_node: every later cache needs it. */
	if (!create_node_kmalloc_cache())
		return SIM_EFAIL;
	slab_state = PARTIAL_NODE;

	/* 5) Their static node structures move into kmalloc-128 objects. */
	for (int nid = 0; nid < nr_node_ids; nid++) {
		init_list(kmem_cache, nid);
		init_list(kmalloc_caches[KMALLOC_NORMAL][7], nid);
	}

	if (create_kmalloc_caches(ARCH_KMALLOC_FLAGS))
		return SIM_EFAIL;
	slab_state = UP;

	kmem_cache_init_late();

	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		slab_start_cpu_timer(cpu);
	return 0;
}

/* Free the model's host memory; the pages stay with the memory model, torn down after. */
static void slab_exit(void)
{
	struct list_head *p = slab_caches.next;

	while (p && p != &slab_caches) {
		struct kmem_cache *s = list_entry(p, struct kmem_cache, list);
		struct kmem_cache_node *n;
		int nid;

		p = p->next;
		for_each_kmem_cache_node(s, nid, n) {
			struct list_head *heads[3] = { &n->slabs_partial, &n->slabs_full, &n->slabs_free };

			for (int k = 0; k < 3; k++) {
				while (!list_empty(heads[k])) {
					struct slab *slab = list_first_entry(heads[k], struct slab, slab_list);

					list_del(&slab->slab_list);
					free(slab);
				}
			}
		}
		slab_cache_free_desc(s);
	}
	INIT_LIST_HEAD(&slab_caches);
	slab_tune_release_all();
	kmem_cache = NULL;
	free(slab_reap_node);
	free(slab_reap_due_ns);
	slab_reap_node = NULL;
	slab_reap_due_ns = NULL;
	slab_state = DOWN;
}

/* The table's entries, by their kernel names. */
static int slab_init(const struct slab_config *cfg)
{
	return kmem_cache_init(cfg);
}

static void *slab_alloc_entry(struct kmem_cache *s, gfp_t gfp, int node, size_t orig_size)
{
	return __kmem_cache_alloc_node(s, gfp, node, orig_size);
}

static void slab_free_entry(struct kmem_cache *s, void *obj)
{
	__kmem_cache_free(s, obj);
}

const struct slab_allocator slab_allocator = {
	.name = "slab",
	.init = slab_init,
	.exit = slab_exit,
	.create = slab_create,
	.alloc = slab_alloc_entry,
	.free = slab_free_entry,
	.cache_of = slab_cache_of,
	.info = slab_info,
	.check = slab_check,
	.alias = __kmem_cache_alias,
	.debug_flags = slab_debug_flags,
	.alloc_bulk = kmem_cache_alloc_bulk,
	.free_bulk = kmem_cache_free_bulk,
};
