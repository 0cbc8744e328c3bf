/*
 * models/slub/6.1/bulk.c - Linux 6.1 (6.1.192 mm/slub.c): kmem_cache_alloc_bulk, whose
 * freelist loop bumps no counter.  Included by 6.1/slub.c (not compiled on its own), so the
 * function stays static under the kernel's name in slub_kops_6_1.  The shared rest of the
 * bulk calls (kmem_cache_free_bulk, build_detached_freelist) is in ../bulk.c.
 *
 * ../slub_int.h renames kmem_cache_alloc_bulk to slub_kmem_cache_alloc_bulk, the shared entry
 * that calls this one through slub_kops: this static one gets a symbol of its own.
 */
#undef kmem_cache_alloc_bulk
#define kmem_cache_alloc_bulk slub_kmem_cache_alloc_bulk_6_1

/*
 * kernel: kmem_cache_alloc_bulk, mm/slub.c.  size objects into p; returns
 * size, or 0 when one could not be had (what it got is freed again).
 * The caller has IRQs on.
 */
static int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	struct kmem_cache_cpu *c;
	unsigned long irqflags;
	struct sim_op op;
	size_t i;

	/* local_lock_irq: IRQs are on here, so saving them restores them on */
	c = slub_get_cpu_ptr(s);
	local_lock_irqsave_slub(s, irqflags);

	for (i = 0; i < size; i++) {
		void *object;

		slab_bulk_op_begin(&op, SIM_OP_OBJ_ALLOC, flags);
		object = c->freelist;
		if (unlikely(!object)) {
			/* The fast path may have taken objects without bumping the tid yet. */
			c->tid = next_tid(c->tid);

			local_unlock_irqrestore_slub(s, irqflags);

			PATH_LABEL("kmem_cache_alloc_bulk:slowpath");
			p[i] = KOPS(slub)->___slab_alloc(s, flags, NUMA_NO_NODE, 0, c, s->object_size);
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
		slab_bulk_op_end(&op, s, object);
	}
	c->tid = next_tid(c->tid);
	local_unlock_irqrestore_slub(s, irqflags);
	slub_put_cpu_ptr(s);
	return (int)i;

error:
	slub_put_cpu_ptr(s);
	kmem_cache_free_bulk(s, i, p);
	return 0;
}
