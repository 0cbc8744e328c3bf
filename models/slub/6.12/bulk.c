/*
 * models/slub/6.12/bulk.c - Linux 6.12 (6.12.118 mm/slub.c): __kmem_cache_alloc_bulk and
 * kmem_cache_alloc_bulk_noprof.  Included by 6.12/slub.c (not compiled on its own), so the
 * functions stay static under the kernel's names and reach its ___slab_alloc directly.
 *
 * What differs from 6.1 (models/slub/6.1/bulk.c): each object taken off c->freelist bumps
 * ALLOC_FASTPATH (6.1 counts nothing in that loop), the local lock is taken with irqsave,
 * and the error path frees with __kmem_cache_free_bulk (no free hooks; the model has none,
 * so it is ../bulk.c's kmem_cache_free_bulk).  The free side (kmem_cache_free_bulk,
 * build_detached_freelist, slab_free_bulk into do_slab_free) does what 6.1's does in the
 * model and stays shared in ../bulk.c.  Labels and levels as in 6.1.
 */

/*
 * kernel: __kmem_cache_alloc_bulk, mm/slub.c (6.12, !CONFIG_SLUB_TINY).  size objects into
 * p; returns size, or 0 when one could not be had (what it got is freed again).
 */
static int __kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	struct kmem_cache_cpu *c;
	unsigned long irqflags;
	struct sim_op op;
	size_t i;

	c = slub_get_cpu_ptr(s);
	local_lock_irqsave_slub(s, irqflags);

	for (i = 0; i < size; i++) {
		void *object;

		slab_bulk_op_begin(&op, SIM_OP_OBJ_ALLOC, flags);
		object = c->freelist;
		if (unlikely(!object)) {
			/* Objects taken in earlier rounds did not bump the tid: bump it before
			 * ___slab_alloc, which may turn IRQs on. */
			c->tid = next_tid(c->tid);

			local_unlock_irqrestore_slub(s, irqflags);

			PATH_LABEL("kmem_cache_alloc_bulk:slowpath");
			p[i] = ___slab_alloc(s, flags, NUMA_NO_NODE, 0, c, s->object_size);
			if (unlikely(!p[i])) {
				slab_bulk_op_end(&op, s, NULL);
				goto error;
			}
			slab_bulk_op_end(&op, s, p[i]);

			c = this_cpu_ptr(s->cpu_slab);

			local_lock_irqsave_slub(s, irqflags);
			continue;
		}
		c->freelist = get_freepointer(s, object);
		p[i] = object;
		PATH_LABEL("kmem_cache_alloc_bulk:freelist");
		sim_path_level(1);
		stat(s, ALLOC_FASTPATH);
		slab_bulk_op_end(&op, s, object);
	}
	c->tid = next_tid(c->tid);
	local_unlock_irqrestore_slub(s, irqflags);
	slub_put_cpu_ptr(s);
	return (int)i;

error:
	slub_put_cpu_ptr(s);
	kmem_cache_free_bulk(s, i, p);	/* __kmem_cache_free_bulk: the same without hooks */
	return 0;
}

/* kernel: kmem_cache_alloc_bulk_noprof, mm/slub.c (6.12; no pre/post alloc hooks in the model) */
static int kmem_cache_alloc_bulk_noprof(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	if (!size)
		return 0;

	return __kmem_cache_alloc_bulk(s, flags, size, p);
}
