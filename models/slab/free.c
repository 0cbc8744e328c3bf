/*
 * free.c - SLAB's free path:
 *
 *   __kmem_cache_free          IRQs off around everything below
 *     ___cache_free
 *       cache_free_alien       L4 the object's slab is on another node:
 *         __cache_free_alien     into this node's alien array for that node
 *                                (drained to the home node when full), or
 *                                straight to the home node with free_block
 *       freehit                L1 room in the per-CPU array: push it
 *       freemiss: cache_flusharray first, then push
 *         to the shared array  L2 the coldest batchcount entries
 *         free_block           L3 back into their slabs; free slabs beyond
 *                                free_limit are taken off and destroyed (L5)
 *
 * Locks: IRQs off (SIM_GUARD_SLAB_IRQ) for the per-CPU array; alien->lock
 * for an alien array; n->list_lock of the object's home node for the slab
 * lists and its shared array.  Slabs are destroyed after the lock is dropped.
 */
#include <string.h>

#include "slab_int.h"

/* kernel: __free_one, mm/slab.c; drops a free of the object just freed (hardened) */
void __free_one(struct array_cache *ac, void *objp)
{
	if (ac->avail > 0 && ac->entry[ac->avail - 1] == objp) {
		PATH_LABEL("__free_one:double_free");
		return;
	}
	/* Model only: full only when SIM_GUARD_SLAB_IRQ is off and an interrupt
	 * freed into the array meanwhile; the kernel would write past its end. */
	if (unlikely(ac->avail >= ac->limit)) {
		PATH_LABEL("__free_one:array_overflow");
		slab_bug(virt_to_slab(objp)->slab_cache, "__free_one: the array is full (the kernel writes past it)",
			 objp);
		return;
	}
	ac->entry[ac->avail++] = objp;
}

/*
 * kernel: free_block, mm/slab.c
 *
 * Returns nr_objects objects to their slabs on `node`; the caller holds
 * that node's list_lock.  Free slabs over free_limit go to `list` for the
 * caller to destroy after unlocking.  No yield: until the caller removes
 * the objects from its array they are in two places at once, which the
 * checker must never see (cache_reap runs outside any operation).
 */
void free_block(struct kmem_cache *cachep, void **objpp, int nr_objects, int node, struct list_head *list)
{
	int i;
	struct kmem_cache_node *n = get_node(cachep, node);
	struct slab *slab;

	if (nr_objects > 0)
		PATH_LABEL("free_block");
	n->free_objects += nr_objects;

	for (i = 0; i < nr_objects; i++) {
		void *objp;

		objp = objpp[i];

		slab = virt_to_slab(objp);
		list_del(&slab->slab_list);
		check_spinlock_acquired_node(cachep, node);
		slab_put_obj(cachep, slab, objp);
		STATS_DEC_ACTIVE(cachep);

		if (slab->active == 0) {
			list_add(&slab->slab_list, &n->slabs_free);
			n->free_slabs++;
		} else {
			/* To the tail: give the slab's other objects time to come back too. */
			list_add_tail(&slab->slab_list, &n->slabs_partial);
		}
	}

	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		n->free_objects -= cachep->num;

		slab = list_last_entry(&n->slabs_free, struct slab, slab_list);
		list_move(&slab->slab_list, list);
		n->free_slabs--;
		n->total_slabs--;
	}
}

/* kernel: cache_flusharray, mm/slab.c; IRQs off, the per-CPU array full */
static void cache_flusharray(struct kmem_cache *cachep, struct array_cache *ac)
{
	int batchcount;
	struct kmem_cache_node *n;
	int node = numa_mem_id();
	struct list_head list;

	PATH_LABEL("cache_flusharray");
	INIT_LIST_HEAD(&list);
	batchcount = ac->batchcount;

	check_irq_off();
	n = get_node(cachep, node);
	spin_lock(&n->list_lock);
	if (n->shared) {
		struct array_cache *shared_array = n->shared;
		int max = shared_array->limit - shared_array->avail;

		if (max) {
			/* The coldest entries (the bottom) move to the shared array. */
			if (batchcount > max)
				batchcount = max;
			memcpy(&shared_array->entry[shared_array->avail], ac->entry,
			       sizeof(void *) * (size_t)batchcount);
			shared_array->avail += batchcount;
			PATH_LABEL("cache_flusharray:shared");
			sim_path_level(2);
			goto free_done;
		}
	}

	free_block(cachep, ac->entry, batchcount, node, &list);
	sim_path_level(3);
free_done:
	PATH_LABEL("cache_flusharray:free_done");
	{
		unsigned long i = 0;
		struct list_head *p;

		for (p = n->slabs_free.next; p != &n->slabs_free; p = p->next) {
			assert(!list_entry(p, struct slab, slab_list)->active);
			i++;
		}
		STATS_SET_FREEABLE(cachep, i);
	}
	spin_unlock(&n->list_lock);
	ac->avail -= batchcount;
	memmove(ac->entry, &ac->entry[batchcount], sizeof(void *) * ac->avail);
	sim_yield_cost(SIM_COST_OBJ_OP);
	slabs_destroy(cachep, &list);
}

/*
 * kernel: __drain_alien_cache, mm/slab.c
 *
 * Gives an alien array's objects back to their home `node`: into its
 * shared array as far as it has room, the rest with free_block.  The
 * caller holds the alien lock.
 */
void __drain_alien_cache(struct kmem_cache *cachep, struct array_cache *ac, int node, struct list_head *list)
{
	struct kmem_cache_node *n = get_node(cachep, node);

	if (ac->avail) {
		PATH_LABEL("__drain_alien_cache");
		spin_lock(&n->list_lock);
		/* The home node's shared array first: cheaper than the slab lists. */
		if (n->shared)
			transfer_objects(n->shared, ac, ac->limit);

		free_block(cachep, ac->entry, ac->avail, node, list);
		ac->avail = 0;
		spin_unlock(&n->list_lock);
	}
}

/* kernel: __cache_free_alien, mm/slab.c */
static int __cache_free_alien(struct kmem_cache *cachep, void *objp, int node, int slab_node)
{
	struct kmem_cache_node *n;
	struct alien_cache *alien = NULL;
	struct array_cache *ac;
	struct list_head list;

	PATH_LABEL("__cache_free_alien");
	INIT_LIST_HEAD(&list);
	sim_path_level(4);
	n = get_node(cachep, node);
	STATS_INC_NODEFREES(cachep);
	if (n->alien && n->alien[slab_node]) {
		alien = n->alien[slab_node];
		ac = &alien->ac;
		spin_lock(&alien->lock);
		if (unlikely(ac->avail == ac->limit)) {
			STATS_INC_ACOVERFLOW(cachep);
			__drain_alien_cache(cachep, ac, slab_node, &list);
		}
		__free_one(ac, objp);
		spin_unlock(&alien->lock);
		slabs_destroy(cachep, &list);
	} else {
		PATH_LABEL("__cache_free_alien:free_block");
		n = get_node(cachep, slab_node);
		spin_lock(&n->list_lock);
		free_block(cachep, &objp, 1, slab_node, &list);
		spin_unlock(&n->list_lock);
		slabs_destroy(cachep, &list);
	}
	return 1;
}

/* kernel: cache_free_alien, mm/slab.c; 0 when the object is local */
static int cache_free_alien(struct kmem_cache *cachep, void *objp)
{
	int slab_node = slab_nid(virt_to_slab(objp));
	int node = numa_mem_id();

	if (likely(node == slab_node))
		return 0;

	return __cache_free_alien(cachep, objp, node, slab_node);
}

/* kernel: ___cache_free, mm/slab.c; IRQs off */
static void ___cache_free(struct kmem_cache *cachep, void *objp)
{
	struct array_cache *ac = cpu_cache_get(cachep);

	check_irq_off();

	if (nr_node_ids > 1 && cache_free_alien(cachep, objp))
		return;

	if (ac->avail < ac->limit) {
		STATS_INC_FREEHIT(cachep);
		PATH_LABEL("___cache_free:freehit");
		sim_path_level(1);
	} else {
		STATS_INC_FREEMISS(cachep);
		PATH_LABEL("___cache_free:freemiss");
		cache_flusharray(cachep, ac);
	}

	__free_one(ac, objp);
}

/* kernel: __kmem_cache_free / __do_kmem_cache_free, mm/slab.c (no KASAN, memcg, init_on_free) */
void __kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	unsigned long flags;

	slab_op_note(cachep, objp);
	local_irq_save_guarded(&flags, SIM_GUARD_SLAB_IRQ);
	___cache_free(cachep, objp);
	local_irq_restore_guarded(flags, SIM_GUARD_SLAB_IRQ);
}

/*
 * kernel: kmem_cache_free_bulk, mm/slab.c.  Every object through
 * __cache_free with IRQs off; orig_s NULL (kfree_bulk): each object's own
 * cache, and an object not in a slab is a large kmalloc, freed with IRQs
 * on.  Each object is an operation of its own, labelled kmem_cache_free_bulk.
 */
void kmem_cache_free_bulk(struct kmem_cache *orig_s, size_t size, void **p)
{
	unsigned long flags;

	local_irq_save_guarded(&flags, SIM_GUARD_SLAB_IRQ);	/* local_irq_disable */
	for (size_t i = 0; i < size; i++) {
		void *objp = p[i];
		struct kmem_cache *s;
		struct sim_op op;

		slab_bulk_op_begin(&op, SIM_OP_OBJ_FREE, 0);
		PATH_LABEL("kmem_cache_free_bulk");
		if (!orig_s) {
			struct page *page = virt_to_head_page(objp);

			if (!PageSlab(page)) {
				local_irq_restore_guarded(flags, SIM_GUARD_SLAB_IRQ);
				PATH_LABEL("free_large_kmalloc");
				slab_page_free(page, (page->flags & PG_head) ? page->order : 0);
				slab_bulk_op_end(&op, NULL, objp);
				local_irq_save_guarded(&flags, SIM_GUARD_SLAB_IRQ);
				continue;
			}
			s = virt_to_slab(objp)->slab_cache;
		} else {
			s = orig_s;	/* cache_from_obj: no memcg copies in the model */
		}
		___cache_free(s, objp);
		slab_bulk_op_end(&op, s, objp);
	}
	local_irq_restore_guarded(flags, SIM_GUARD_SLAB_IRQ);
}
