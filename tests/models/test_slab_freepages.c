/*
 * test_slab_freepages.c - how SLAB gives a slab's pages back (models/slab/grow.c), suite
 * `slab_freepages`: kmem_freepages and kmem_getpages (mm/slab.c, 6.1) on a slab of two pages.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log logv;

static void up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_slab_log_start(&logv);
}

static void down(void)
{
	bool ok = slab_check(stderr);

	helper_slab_log_stop(&logv);
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
	cr_assert(ok, "slab_check");
}

/*
 * A 3000-byte cache takes order-1 slabs (calculate_slab_order stops at slab_max_order 1),
 * two objects each.  kmem_getpages marks the head page PageSlab (__SetPageSlab) and, in the
 * model, points every page of the slab at it (virt_to_slab of any object).  Shrunk with no
 * operation running (as the reaper frees), kmem_freepages clears PG_slab (__ClearPageSlab),
 * unlinks every page and frees the 2^order pages (__free_pages(page, order)) in an operation
 * of its own: a page free of order 1 at the slab's pfn, node and zone; afterwards the head page
 * is no longer allocated.
 */
Test(slab_freepages, shrink_outside_an_operation_frees_every_page, .init = up, .fini = down)
{
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("fp3000", 3000, 0, 0, false);
	struct slab *slab;
	struct page *head;
	uint64_t pfn;
	int nid, zid;
	size_t frees = 0;
	void *o[2];

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(uint, c->gfporder, 1));
	cr_assert(eq(uint, c->num, 2));
	cr_assert(eq(int, slab_tune_cache("fp3000", 54, 1, 0), 0));
	for (int k = 0; k < 2; k++)
		o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	slab = virt_to_slab(o[0]);
	cr_assert(ne(ptr, (void *)slab, NULL));
	cr_assert(eq(ptr, (void *)virt_to_slab(o[1]), (void *)slab), "both objects of one slab");
	head = slab->page;
	pfn = page_to_pfn(head);
	nid = head->nid;
	zid = head->zid;
	cr_expect(PageSlab(head));
	cr_expect(ne(u32, head->flags & PG_allocated, 0));
	for (uint64_t i = 0; i < 2; i++)
		cr_expect(eq(ptr, pfn_to_page(pfn + i)->slab_meta, (void *)slab), "page %u", (unsigned int)i);
	for (int k = 0; k < 2; k++)
		helper_slab_free(0, o[k]);
	cr_assert(eq(u32, c->cpu_cache[0]->avail, 2));

	cr_assert(eq(ptr, (void *)sim_op_current(), NULL));
	logv.nr = 0;
	cr_assert(eq(int, slab_shrink_cache(c), 0));
	cr_expect(eq(ulong, c->node[nid]->total_slabs, 0));
	cr_expect(not(PageSlab(head)));
	cr_expect(eq(u32, head->flags & PG_allocated, 0), "the pages went back to the page allocator");
	for (uint64_t i = 0; i < 2; i++)
		cr_expect(eq(ptr, pfn_to_page(pfn + i)->slab_meta, NULL), "page %u", (unsigned int)i);
	for (size_t i = 0; i < logv.nr; i++) {
		const struct sim_op *op = &logv.ops[i];

		if (op->kind != SIM_OP_PAGE_FREE || op->addr != pfn)
			continue;
		frees++;
		cr_expect(eq(i8, op->order, 1));
		cr_expect(eq(i16, op->mem_node, (int16_t)nid));
		cr_expect(eq(i8, op->zone, (int8_t)zid));
	}
	cr_expect(eq(sz, frees, 1), "one page free operation for the slab");
}

/*
 * Inside an operation (a kfree), kmem_freepages gives the pages back as an operation nested
 * in it (slab_page_free).  free_block (mm/slab.c) destroys free slabs while the node holds
 * more than free_limit free objects: limit 1, batchcount 1 gives free_limit
 * (1 + 2 CPUs) * 1 + num 2 = 5.  Eight objects in four slabs s0..s3 (two each, allocated in
 * order), freed in order: each kfree flushes the previous object (cache_flusharray of one).
 * Freeing o5 flushes o4 ... by then o0..o4 are back: s0, s1 free, free_objects 5; o5's own
 * flush (at o6) empties s2: 6 > 5, and list_last_entry of slabs_free (list_add puts each
 * new free slab first) is s0, the first emptied: s0 alone is destroyed, its pages freed.
 */
Test(slab_freepages, free_block_destroys_the_oldest_free_slab_inside_the_kfree, .init = up, .fini = down)
{
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("fpin3000", 3000, 0, 0, false);
	struct page *heads[4];
	void *o[8];
	size_t frees = 0;

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(uint, c->num, 2));
	cr_assert(eq(int, slab_tune_cache("fpin3000", 1, 1, 0), 0));
	cr_assert(eq(int, c->node[0]->free_limit, 5));
	for (int k = 0; k < 8; k++)
		o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int k = 0; k < 4; k++) {
		cr_assert(eq(ptr, (void *)virt_to_slab(o[2 * k + 1]), (void *)virt_to_slab(o[2 * k])));
		heads[k] = virt_to_slab(o[2 * k])->page;
	}
	logv.nr = 0;
	for (int k = 0; k < 8; k++)
		helper_slab_free(0, o[k]);
	cr_expect(eq(ptr, (void *)virt_to_slab(o[0]), NULL), "s0 destroyed");
	cr_expect(not(PageSlab(heads[0])));
	cr_expect(eq(u32, heads[0]->flags & PG_allocated, 0), "s0's pages went back");
	for (int k = 1; k < 4; k++) {
		cr_expect(PageSlab(heads[k]), "s%d kept", k);
		cr_expect(ne(u32, heads[k]->flags & PG_allocated, 0), "s%d kept", k);
	}
	cr_expect(eq(ulong, c->node[0]->total_slabs, 3));
	for (size_t i = 0; i < logv.nr; i++) {
		const struct sim_op *op = &logv.ops[i];

		if (op->kind != SIM_OP_PAGE_FREE)
			continue;
		frees++;
		cr_expect(eq(u64, op->addr, page_to_pfn(heads[0])));
		cr_expect(eq(i8, op->order, 1));
		cr_expect(ne(u64, op->parent_seq, 0), "nested in the kfree");
	}
	cr_expect(eq(sz, frees, 1));
}
