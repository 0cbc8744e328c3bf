/*
 * alloc.c - SLAB's allocation path, from slab_alloc_node down to the slab
 * lists:
 *
 *   slab_alloc_node            IRQs off around everything below
 *     __do_cache_alloc         local node: the per-CPU array; other node: its slabs
 *       ____cache_alloc        L1 allochit: pop the per-CPU array
 *         cache_alloc_refill   refill the array, batchcount objects:
 *           transfer_objects     L2 from the node's shared array
 *           get_first_slab +
 *           alloc_block          L3 from slabs_partial, then slabs_free
 *           direct_grow          L5 cache_grow_begin / cache_grow_end
 *       ____cache_alloc_node   one object from a node's slabs (L3 local, L4
 *                              remote), else grow on that node (L5), else
 *         fallback_alloc       L4 any node with free objects, or grow anywhere
 *
 * No task mempolicy or cpuset spreading exists in the model, so
 * __do_cache_alloc never takes alternate_node_alloc.
 *
 * Locks: IRQs off (SIM_GUARD_SLAB_IRQ) for the per-CPU array; n->list_lock
 * for the slab lists, node counters and the shared array.  cache_grow_begin
 * may turn IRQs back on for a blocking gfp, so the array is re-read after it.
 */
#include "../buddy/buddy.h"
#include "slab_int.h"

/* kernel: transfer_objects, mm/slab.c; the caller holds the lock that protects `from` */
int transfer_objects(struct array_cache *to, struct array_cache *from, unsigned int max)
{
	unsigned int nr = from->avail;

	if (max < nr)
		nr = max;
	if (to->limit - to->avail < nr)
		nr = to->limit - to->avail;
	if (!nr)
		return 0;

	/* The hot end of `from` goes on top of `to`, in the same order. */
	for (unsigned int i = 0; i < nr; i++)
		to->entry[to->avail + i] = from->entry[from->avail - nr + i];

	from->avail -= nr;
	to->avail += nr;
	return (int)nr;
}

/* kernel: fixup_slab_list, mm/slab.c; under n->list_lock */
void fixup_slab_list(struct kmem_cache *cachep, struct kmem_cache_node *n, struct slab *slab, void **list)
{
	(void)list;
	list_del(&slab->slab_list);
	if (slab->active == cachep->num) {
		list_add(&slab->slab_list, &n->slabs_full);
		/* The array's host object has just been handed out. */
		if (OBJFREELIST_SLAB(cachep))
			slab->freelist = NULL;
	} else {
		list_add(&slab->slab_list, &n->slabs_partial);
	}
}

/* kernel: get_first_slab, mm/slab.c; under n->list_lock (no pfmemalloc slabs in the model) */
struct slab *get_first_slab(struct kmem_cache_node *n, bool pfmemalloc)
{
	struct slab *slab;

	(void)pfmemalloc;
	assert(!sim_guard_on(SIM_GUARD_SLAB_LIST_LOCK) || lockdep_is_held(&n->list_lock));
	slab = list_first_entry_or_null(&n->slabs_partial, struct slab, slab_list);
	if (!slab) {
		n->free_touched = 1;
		slab = list_first_entry_or_null(&n->slabs_free, struct slab, slab_list);
		if (slab)
			n->free_slabs--;
	}
	return slab;
}

/*
 * kernel: alloc_block, mm/slab.c
 *
 * Moves objects of `slab` onto the array while both last; returns what is
 * left of batchcount (-1 once it ran out, as the kernel's post-decrement).
 */
static int alloc_block(struct kmem_cache *cachep, struct array_cache *ac, struct slab *slab, int batchcount)
{
	/* The kernel's BUG_ON: two refills took this slab's last objects, which only
	 * n->list_lock switched off (SIM_GUARD_SLAB_LIST_LOCK) allows. */
	if (unlikely(slab->active >= cachep->num)) {
		assert(!sim_guard_on(SIM_GUARD_SLAB_LIST_LOCK));
		PATH_LABEL("alloc_block:BUG_ON");
		slab_bug(cachep, "alloc_block: BUG_ON(slab->active >= cachep->num)", slab_address(slab));
		return batchcount;
	}

	while (slab->active < cachep->num && batchcount--) {
		/* Model only: with SIM_GUARD_SLAB_IRQ off an interrupt may have filled
		 * the array meanwhile; the kernel would write past its end. */
		if (unlikely(ac->avail >= ac->limit)) {
			PATH_LABEL("alloc_block:array_overflow");
			slab_bug(cachep, "alloc_block: the per-CPU array is full (the kernel writes past it)",
				 slab_address(slab));	/* the slab whose object had no room: a simulated address */
			break;
		}
		STATS_INC_ALLOCED(cachep);
		STATS_INC_ACTIVE(cachep);
		STATS_SET_HIGH(cachep);

		ac->entry[ac->avail++] = slab_get_obj(cachep, slab);
	}
	sim_yield_cost(SIM_COST_OBJ_OP);
	return batchcount;
}

/* kernel: cache_alloc_refill, mm/slab.c; IRQs off, the per-CPU array empty */
static void *cache_alloc_refill(struct kmem_cache *cachep, gfp_t flags)
{
	int batchcount;
	struct kmem_cache_node *n;
	struct array_cache *ac, *shared;
	int node;
	void *list = NULL;
	struct slab *slab;
	int level = 3;

	PATH_LABEL("cache_alloc_refill");
	check_irq_off();
	node = numa_mem_id();

	ac = cpu_cache_get(cachep);
	batchcount = ac->batchcount;
	/* After a quiet spell refill only a little, to avoid bouncing. */
	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	n = get_node(cachep, node);

	/* With SIM_GUARD_SLAB_IRQ off an interrupt may have refilled the array. */
	assert((!sim_guard_on(SIM_GUARD_SLAB_IRQ) || ac->avail == 0) && n);
	shared = READ_ONCE(n->shared);
	if (!n->free_objects && (!shared || !shared->avail))
		goto direct_grow;

	spin_lock(&n->list_lock);
	shared = READ_ONCE(n->shared);

	/* The shared array first: no slab list to touch. */
	if (shared && transfer_objects(ac, shared, batchcount)) {
		PATH_LABEL("transfer_objects");
		shared->touched = 1;
		level = 2;
		goto alloc_done;
	}

	while (batchcount > 0) {
		slab = get_first_slab(n, false);
		if (!slab)
			goto must_grow;

		check_spinlock_acquired_node(cachep, node);

		PATH_LABEL("alloc_block");
		batchcount = alloc_block(cachep, ac, slab, batchcount);
		fixup_slab_list(cachep, n, slab, &list);
	}

must_grow:
	PATH_LABEL("cache_alloc_refill:must_grow");
	n->free_objects -= ac->avail;
alloc_done:
	spin_unlock(&n->list_lock);

direct_grow:
	if (unlikely(!ac->avail)) {
		PATH_LABEL("cache_alloc_refill:direct_grow");
		slab = cache_grow_begin(cachep, gfp_exact_node(flags), node);

		/* IRQs may have been on in cache_grow_begin: the array may differ now. */
		ac = cpu_cache_get(cachep);
		if (!ac->avail && slab)
			alloc_block(cachep, ac, slab, batchcount);
		cache_grow_end(cachep, slab);

		if (!ac->avail)
			return NULL;
		level = 5;
	}
	ac->touched = 1;
	sim_path_level(level);

	return ac->entry[--ac->avail];
}

/* kernel: ____cache_alloc, mm/slab.c; IRQs off */
static void *____cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	void *objp;
	struct array_cache *ac;

	check_irq_off();

	ac = cpu_cache_get(cachep);
	if (likely(ac->avail)) {
		ac->touched = 1;
		objp = ac->entry[--ac->avail];

		STATS_INC_ALLOCHIT(cachep);
		PATH_LABEL("____cache_alloc:allochit");
		sim_path_level(1);
		return objp;
	}

	STATS_INC_ALLOCMISS(cachep);
	PATH_LABEL("____cache_alloc:allocmiss");
	objp = cache_alloc_refill(cachep, flags);
	return objp;
}

static void *____cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid);

/*
 * Zones the kernel's zonelist for `node` visits, as (nid, zid) pairs: the
 * nodes by distance (local first; a node below `node` and a node with CPUs
 * cost one more, as find_next_best_node weighs them), each node's zones
 * from the highest down to highest_zoneidx.
 */
static int zonelist_nodes(int node, int *order)
{
	int nr = 0;
	bool used[SIM_MAX_NODES] = { false };

	for (int k = 0; k < nr_node_ids; k++) {
		int best = -1;
		long best_val = 0;

		for (int i = 0; i < nr_node_ids; i++) {
			long val;

			if (used[i])
				continue;
			if (i == node) {
				best = i;
				break;
			}
			val = node_distance(node, i) + (i < node) + (nr_cpus_node(i) > 0);
			if (best < 0 || val < best_val) {
				best = i;
				best_val = val;
			}
		}
		used[best] = true;
		order[nr++] = best;
	}
	return nr;
}

/* kernel: gfp_zone, include/linux/gfp.h (x86-64: no highmem) */
static int slab_gfp_zone(gfp_t flags)
{
	if (flags & __GFP_DMA)
		return ZONE_DMA;
	if (flags & __GFP_DMA32)
		return ZONE_DMA32;
	if ((flags & (__GFP_MOVABLE | __GFP_HIGHMEM)) == (__GFP_MOVABLE | __GFP_HIGHMEM))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

/*
 * kernel: fallback_alloc, mm/slab.c
 *
 * First any node (in zonelist order) that has free objects in its slabs,
 * then a slab grown with the caller's full flags wherever the page
 * allocator finds pages.  No cpusets or mempolicies in the model.
 */
static void *fallback_alloc(struct kmem_cache *cache, gfp_t flags)
{
	int highest_zoneidx = slab_gfp_zone(flags);
	void *obj = NULL;
	struct slab *slab;
	int nid;
	int order[SIM_MAX_NODES];
	int nr_nodes;

	if (flags & __GFP_THISNODE)
		return NULL;

	PATH_LABEL("fallback_alloc");
	nr_nodes = zonelist_nodes(numa_node_id(), order);

retry:
	for (int i = 0; i < nr_nodes && !obj; i++) {
		nid = order[i];
		for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
			if (zid > highest_zoneidx || !buddy_zone_populated(nid, zid))
				continue;
			if (get_node(cache, nid) && get_node(cache, nid)->free_objects) {
				obj = ____cache_alloc_node(cache, gfp_exact_node(flags), nid);
				if (obj)
					break;
			}
		}
	}

	if (!obj) {
		/* Grow with the full flags: reclaim and any node are allowed. */
		slab = cache_grow_begin(cache, flags, numa_mem_id());
		cache_grow_end(cache, slab);
		if (slab) {
			sim_path_level(5);
			nid = slab_nid(slab);
			obj = ____cache_alloc_node(cache, gfp_exact_node(flags), nid);

			/* Another CPU may have emptied the new slab meanwhile. */
			if (!obj) {
				PATH_LABEL("fallback_alloc:retry");
				goto retry;
			}
		}
	}
	if (obj)
		sim_path_level(4);
	return obj;
}

/* kernel: ____cache_alloc_node, mm/slab.c; IRQs off */
static void *____cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct slab *slab;
	struct kmem_cache_node *n;
	void *obj = NULL;
	void *list = NULL;

	PATH_LABEL("____cache_alloc_node");
	assert(nodeid >= 0 && nodeid < nr_node_ids);
	n = get_node(cachep, nodeid);
	assert(n);

	check_irq_off();
	spin_lock(&n->list_lock);
	slab = get_first_slab(n, false);
	if (!slab)
		goto must_grow;

	check_spinlock_acquired_node(cachep, nodeid);

	STATS_INC_NODEALLOCS(cachep);
	STATS_INC_ACTIVE(cachep);
	STATS_SET_HIGH(cachep);

	assert(slab->active != cachep->num);

	obj = slab_get_obj(cachep, slab);
	n->free_objects--;

	fixup_slab_list(cachep, n, slab, &list);

	spin_unlock(&n->list_lock);
	sim_path_level(nodeid == raw_cpu_to_node() ? 3 : 4);
	return obj;

must_grow:
	PATH_LABEL("____cache_alloc_node:must_grow");
	spin_unlock(&n->list_lock);
	slab = cache_grow_begin(cachep, gfp_exact_node(flags), nodeid);
	if (slab) {
		/* cache_grow_end counts the slab's free objects after this one is gone. */
		obj = slab_get_obj(cachep, slab);
		sim_path_level(5);
	}
	cache_grow_end(cachep, slab);

	return obj ? obj : fallback_alloc(cachep, flags);
}

/* kernel: __do_cache_alloc, mm/slab.c (NUMA); no mempolicy, so no alternate_node_alloc */
static void *__do_cache_alloc(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	void *objp = NULL;
	int slab_node = numa_mem_id();

	if (nodeid == NUMA_NO_NODE) {
		/* Local objects first; ____cache_alloc itself never leaves the node. */
		objp = ____cache_alloc(cachep, flags);
		nodeid = slab_node;
	} else if (nodeid == slab_node) {
		objp = ____cache_alloc(cachep, flags);
	} else if (!get_node(cachep, nodeid)) {
		objp = fallback_alloc(cachep, flags);
		goto out;
	}

	/* Out of local memory, or another node asked for: that node's slabs. */
	if (!objp)
		objp = ____cache_alloc_node(cachep, flags, nodeid);
out:
	return objp;
}

/*
 * kernel: slab_alloc_node, mm/slab.c
 *
 * No failslab, kfence, memcg or init_on_alloc zeroing in the model.
 * Fills the current operation's cache, size, address and memory node.
 */
void *slab_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid, size_t orig_size)
{
	unsigned long save_flags;
	void *objp;

	PATH_LABEL("slab_alloc_node");
	local_irq_save_guarded(&save_flags, SIM_GUARD_SLAB_IRQ);
	objp = __do_cache_alloc(cachep, flags, nodeid);
	local_irq_restore_guarded(save_flags, SIM_GUARD_SLAB_IRQ);

	slab_op_note(cachep, objp);
	{
		struct sim_op *op = sim_op_current();

		if (op)
			op->size = (uint32_t)orig_size;
	}
	return objp;
}

/* kernel: __kmem_cache_alloc_node, mm/slab.c */
void *__kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int nodeid, size_t orig_size)
{
	return slab_alloc_node(cachep, flags, nodeid, orig_size);
}

/*
 * kernel: kmem_cache_alloc_bulk, mm/slab.c.  size objects into p with IRQs
 * off, each through __do_cache_alloc (counted as any allocation: allochit,
 * allocmiss, ...); returns size, or 0 when one could not be had (what it got
 * is freed again).  cache_alloc_debugcheck_after_bulk is a no-op without
 * DEBUG_SLAB.  Each object is an operation of its own, labelled
 * kmem_cache_alloc_bulk (models/slab_common/slab_common.h).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	unsigned long save_flags;
	struct sim_op op;
	size_t i;

	local_irq_save_guarded(&save_flags, SIM_GUARD_SLAB_IRQ);	/* local_irq_disable */
	for (i = 0; i < size; i++) {
		void *objp;

		slab_bulk_op_begin(&op, SIM_OP_OBJ_ALLOC, flags);
		PATH_LABEL("kmem_cache_alloc_bulk");
		objp = __do_cache_alloc(s, flags, NUMA_NO_NODE);
		slab_bulk_op_end(&op, s, objp);
		if (unlikely(!objp))
			goto error;
		p[i] = objp;
	}
	local_irq_restore_guarded(save_flags, SIM_GUARD_SLAB_IRQ);
	return (int)size;
error:
	local_irq_restore_guarded(save_flags, SIM_GUARD_SLAB_IRQ);
	kmem_cache_free_bulk(s, i, p);
	return 0;
}
