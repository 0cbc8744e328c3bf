/*
 * entry.c - the slab layer's entry points, each under its own operation:
 * kmalloc_node / kfree (large ones straight from the page allocator),
 * kmem_cache_alloc_node / kmem_cache_free, their bulk forms, and the page
 * allocations the slab allocators make for their slabs (include/linux/slab.h,
 * mm/slab_common.c).  The allocator-specific work goes through
 * slab_current(); this file fills what every object operation has (cache,
 * size, address, node of the memory).
 */
#include <stdlib.h>
#include <string.h>

#include "slab_common.h"
#include "../buddy/buddy.h"
#include "../../sim/engine/engine.h"

/* ------------------------------------------------------------------ */
/* Page allocator calls under their own operation                      */

/* Not a kernel function: alloc_pages(_node) for a slab, under an operation of its own. */
struct page *slab_page_alloc(int nid, gfp_t gfp, unsigned int order)
{
	struct sim_op op;
	struct page *page;

	if (!sim_op_current())
		return nid == NUMA_NO_NODE ? alloc_pages(gfp, order) : alloc_pages_node(nid, gfp, order);
	memset(&op, 0, sizeof(op));
	op.trace_line = -1;
	op.cache = -1;
	op.mem_node = -1;
	op.zone = -1;
	op.gfp = gfp;
	op.order = (int8_t)order;
	op.migratetype = (int8_t)gfp_migratetype(gfp);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	page = nid == NUMA_NO_NODE ? alloc_pages(gfp, order) : alloc_pages_node(nid, gfp, order);
	if (page) {
		op.addr = page_to_pfn(page);
		op.mem_node = page_to_nid(page);
		op.zone = (int8_t)page->zid;
	} else {
		op.failed = true;
	}
	sim_op_end(&op);
	return page;
}

/* Not a kernel function: __free_pages of a slab's pages, under an operation of its own. */
void slab_page_free(struct page *page, unsigned int order)
{
	struct sim_op op;

	if (!sim_op_current()) {
		__free_pages(page, order);
		return;
	}
	memset(&op, 0, sizeof(op));
	op.trace_line = -1;
	op.cache = -1;
	op.migratetype = -1;
	op.order = (int8_t)order;
	op.addr = page_to_pfn(page);
	op.mem_node = page_to_nid(page);
	op.zone = (int8_t)page->zid;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	__free_pages(page, order);
	sim_op_end(&op);
}

/* ------------------------------------------------------------------ */
/* kmalloc, kfree, kmem_cache_alloc, kmem_cache_free                   */

/* Fill the operation in flight with what the common layer knows. */
static void note_op(int id, size_t size, const void *obj)
{
	struct sim_op *op = sim_op_current();

	if (!op)
		return;
	op->cache = id;
	op->size = (uint32_t)size;
	op->addr = (uint64_t)(uintptr_t)obj;
	if (ZERO_OR_NULL_PTR(obj)) {
		op->mem_node = -1;
		op->failed = op->kind == SIM_OP_OBJ_ALLOC && !obj;
	} else {
		op->mem_node = (int16_t)page_to_nid(virt_to_page(obj));
	}
}

/* kernel: get_order, include/asm-generic/getorder.h */
static unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

/* kernel: __kmalloc_large_node, mm/slab_common.c */
static void *__kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	struct page *page;

	flags &= ~(__GFP_DMA32 | __GFP_HIGHMEM);	/* kmalloc_fix_flags */
	flags |= __GFP_COMP;
	PATH_LABEL("__kmalloc_large_node");
	sim_path_level(5);
	page = slab_page_alloc(node, flags, get_order(size));
	return page ? page_address(page) : NULL;
}

/* kernel: __kmalloc_node / __do_kmalloc_node, mm/slab_common.c */
void *kmalloc_node(size_t size, gfp_t gfp, int node)
{
	struct kmem_cache *s;
	void *ret;

	if (size > KMALLOC_MAX_CACHE_SIZE) {
		ret = __kmalloc_large_node(size, gfp, node);
		note_op(-1, size, ret);
		return ret;
	}
	s = kmalloc_slab(size, gfp);
	if (ZERO_OR_NULL_PTR(s)) {
		note_op(-1, size, s);
		return s;
	}
	ret = slab_current()->alloc(s, gfp, node, size);
	note_op(slab_cache_id(s), size, ret);
	return ret;
}

/*
 * kernel: kmem_buckets_alloc, include/linux/slab.h -> __kmalloc_node_noprof ->
 * __do_kmalloc_node, mm/slab_common.c (6.12): as kmalloc, but kmalloc_slab takes the cache of
 * the size's index from b, whatever the flags' kmalloc type.
 */
void *kmem_buckets_alloc(kmem_buckets *b, size_t size, gfp_t flags)
{
	struct kmem_cache *s;
	void *ret;

	if (!b || size > KMALLOC_MAX_CACHE_SIZE || !size)
		return kmalloc_node(size, flags, NUMA_NO_NODE);
	s = (*b)[kmalloc_index(size)];
	if (!s)
		return kmalloc_node(size, flags, NUMA_NO_NODE);
	PATH_LABEL("kmem_buckets_alloc");
	ret = slab_current()->alloc(s, flags, NUMA_NO_NODE, size);
	note_op(slab_cache_id(s), size, ret);
	return ret;
}

/* kernel: free_large_kmalloc, mm/slab_common.c */
static void free_large_kmalloc(struct page *page)
{
	PATH_LABEL("free_large_kmalloc");
	slab_page_free(page, (page->flags & PG_head) ? page->order : 0);
}

/* kernel: kfree, mm/slab_common.c */
void kfree(const void *obj)
{
	struct page *page;
	struct kmem_cache *s;

	if (ZERO_OR_NULL_PTR(obj))
		return;
	page = virt_to_head_page(obj);
	if (!PageSlab(page)) {
		note_op(-1, 0, obj);
		if (!(page->flags & PG_allocated)) {
			PATH_LABEL("kfree:bad_pointer");	/* the kernel would corrupt memory */
			return;
		}
		free_large_kmalloc(page);
		return;
	}
	s = slab_current()->cache_of(obj);
	note_op(slab_cache_id(s), 0, obj);
	slab_current()->free(s, (void *)(uintptr_t)obj);
}

/* kernel: kmem_cache_alloc_node, mm/slub.c / mm/slab.c */
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	int id = slab_cache_id(s);
	unsigned int object_size = slab_cache_object_size(id);
	void *ret = slab_current()->alloc(s, gfp, node, object_size);

	note_op(id, object_size, ret);
	return ret;
}

/* The bulk call as a whole keeps the lockdep balance its per-object operations skip
 * (sim_op_end): called with IRQs on, it returns with IRQs on and no lock held. */
#define BULK_BALANCED(pc, irqs) do { \
	assert(preempt_count() == (pc) && irqs_disabled() == (irqs) && "bulk call leaks a lock or IRQ state"); \
	(void)(pc); (void)(irqs);	/* unused under NDEBUG */ \
} while (0)

/* kernel: kmem_cache_alloc_bulk, mm/slub.c / mm/slab.c */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t size, void **p)
{
	int pc = preempt_count(), ret;
	bool irqs = irqs_disabled();

	if (!size)
		return 0;
	ret = slab_current()->alloc_bulk(s, gfp, size, p);
	BULK_BALANCED(pc, irqs);
	return ret;
}

/* kernel: kmem_cache_free_bulk, mm/slub.c / mm/slab.c */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	int pc = preempt_count();
	bool irqs = irqs_disabled();

	if (!size)
		return;
	slab_current()->free_bulk(s, size, p);
	BULK_BALANCED(pc, irqs);
}

/* kernel: kfree_bulk, include/linux/slab.h */
void kfree_bulk(size_t size, void **p)
{
	kmem_cache_free_bulk(NULL, size, p);
}

/* Not a kernel function: one object of a bulk call begins its own operation (gfp of the call). */
void slab_bulk_op_begin(struct sim_op *op, int kind, gfp_t gfp)
{
	sim_op_begin(op, (enum sim_op_kind)kind);
	op->gfp = gfp;
	op->unbalanced = true;	/* the bulk call's IRQ-off section spans its objects */
}

/* Not a kernel function: ... and ends it with what the common layer knows of the object. */
void slab_bulk_op_end(struct sim_op *op, struct kmem_cache *s, const void *obj)
{
	int id = s ? slab_cache_id(s) : -1;

	note_op(id, op->kind == SIM_OP_OBJ_ALLOC ? slab_cache_object_size(id) : 0, obj);
	sim_op_end(op);
}

/* kernel: kmem_cache_free (cache_from_obj re-derives the cache, as with HARDENED) */
void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	struct kmem_cache *cachep;

	if (!obj)
		return;
	cachep = slab_current()->cache_of(obj);
	if (!cachep) {
		note_op(slab_cache_id(s), 0, obj);
		PATH_LABEL("kmem_cache_free:not_slab");
		return;
	}
	if (cachep != s)
		PATH_LABEL("cache_from_obj:wrong_cache");
	note_op(slab_cache_id(cachep), 0, obj);
	slab_current()->free(cachep, obj);
}
