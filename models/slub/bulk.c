/*
 * bulk.c - SLUB's bulk calls (Linux 6.1.192 mm/slub.c): kmem_cache_alloc_bulk
 * and kmem_cache_free_bulk with build_detached_freelist (kfree_bulk is
 * kmem_cache_free_bulk with no cache, slab_common.c).  No tracepoint in the
 * kernel: the maple tree's node preallocation and kfree_rcu's batches use them.
 * The allocation is each version's own (slub_kops: 6.1/bulk.c, 6.12/bulk.c,
 * where 6.12 counts ALLOC_FASTPATH per freelist object); the free is shared.
 *
 * kmem_cache_alloc_bulk takes objects off c->freelist under the local lock
 * (IRQs off) and calls ___slab_alloc directly when the freelist is empty.
 * 6.1 bumps no counter in that loop: only ___slab_alloc's
 * (ALLOC_SLOWPATH, ALLOC_REFILL, ...) count, so a bulk allocation served
 * from c->freelist leaves alloc_fastpath alone (6.12 bumps it per object).
 *
 * kmem_cache_free_bulk frees the array from its end, one detached freelist
 * at a time: the objects of one slab among the next ones (a lookahead of 3
 * objects of other slabs), linked and handed to slab_free as one list, so
 * FREE_FASTPATH or FREE_SLOWPATH (and the rest) count once per detached
 * freelist, not per object.
 *
 * Operations (models/slab_common/slab_common.h): one per object.  Levels: an object
 * from c->freelist is L1 (kmem_cache_alloc_bulk:freelist); one from
 * ___slab_alloc has its level (kmem_cache_alloc_bulk:slowpath, then its
 * labels).  A detached freelist's first object carries do_slab_free's or
 * __slab_free's path; its other objects get kmem_cache_free_bulk:same_slab
 * and that level.
 *
 * Concurrency: the local lock is dropped around ___slab_alloc (which may
 * enable IRQs and sleep in new_slab); preemption stays off from
 * slub_get_cpu_ptr to slub_put_cpu_ptr, except inside ___slab_alloc's own
 * new_slab, after which c is fetched again as the kernel does.
 */
#include "slub_int.h"

/* The detached freelist build_detached_freelist hands to slab_free. */
struct detached_freelist {
	struct slab *slab;
	void *tail;
	void *freelist;
	int cnt;
	struct kmem_cache *s;
};

/*
 * kernel: kmem_cache_alloc_bulk (6.12: the alloc_hooks macro of include/linux/slab.h around
 * kmem_cache_alloc_bulk_noprof).  The version's own: 6.1/bulk.c, 6.12/bulk.c (6.12 counts
 * ALLOC_FASTPATH per object taken off c->freelist).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	return KOPS(slub)->kmem_cache_alloc_bulk_noprof(s, flags, size, p);
}

/*
 * kernel: build_detached_freelist, mm/slub.c.  Take p[size - 1] and the
 * objects of its slab among the ones before it (stopping after 3 objects of
 * other slabs), link them, and move them to the end of the array.  Returns
 * the number of objects left in front.  s NULL: each object's own cache, and
 * an object not in a slab is a large kmalloc, freed here (df->slab NULL).
 */
static int build_detached_freelist(struct kmem_cache *s, size_t size, void **p,
				   struct detached_freelist *df)
{
	int lookahead = 3;
	void *object;
	struct page *page;
	size_t same;

	object = p[--size];
	page = virt_to_head_page(object);
	if (!s) {
		if (unlikely(!PageSlab(page))) {
			PATH_LABEL("build_detached_freelist:free_large_kmalloc");
			slab_page_free(page, (page->flags & PG_head) ? page->order : 0);
			df->slab = NULL;
			return (int)size;
		}
		df->slab = virt_to_slab(object);
		df->s = df->slab->slab_cache;
	} else {
		df->slab = virt_to_slab(object);
		df->s = s;		/* cache_from_obj: no memcg copies in the model */
	}

	df->tail = object;
	df->freelist = object;
	df->cnt = 1;

	set_freepointer(df->s, object, NULL);

	same = size;
	while (size) {
		object = p[--size];
		if (df->slab == virt_to_slab(object)) {
			set_freepointer(df->s, object, df->freelist);
			df->freelist = object;
			df->cnt++;
			same--;
			if (size != same) {
				void *t = p[size];

				p[size] = p[same];
				p[same] = t;
			}
			continue;
		}
		if (!--lookahead)
			break;
	}
	return (int)same;
}

/*
 * kernel: kmem_cache_free_bulk, mm/slub.c.  From the end of p, one
 * detached freelist (one slab_free) at a time.  The caller has IRQs on.
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	if (!size)
		return;

	do {
		struct detached_freelist df;
		size_t end = size;
		struct sim_op op;
		int level;

		slab_bulk_op_begin(&op, SIM_OP_OBJ_FREE, 0);
		PATH_LABEL("kmem_cache_free_bulk");
		size = (size_t)build_detached_freelist(s, size, p, &df);
		if (!df.slab) {
			slab_bulk_op_end(&op, NULL, p[size]);
			continue;
		}

		slab_free(df.s, df.slab, df.freelist, df.tail, df.cnt, 0);
		level = op.level;
		slab_bulk_op_end(&op, df.s, p[end - 1]);

		/* p[size .. end - 2]: the rest of the detached freelist, freed by that slab_free */
		for (size_t j = size; j + 1 < end; j++) {
			slab_bulk_op_begin(&op, SIM_OP_OBJ_FREE, 0);
			PATH_LABEL("kmem_cache_free_bulk:same_slab");
			sim_path_level(level);
			slab_bulk_op_end(&op, df.s, p[j]);
		}
	} while (likely(size));
}
