/*
 * test_buddy_pcp_drain.c - how a pcp list goes back to the zone (models/buddy/free.c
 * against mm/page_alloc.c of linux-6.1.192), suite `buddy_pcp_drain`: drain_pages_zone
 * frees in chunks of batch << CONFIG_PCP_BATCH_SCALE_MAX, taking the pcp lock once per
 * chunk; drain_zone_pages (the vmstat worker's drain of an expired remote pageset) frees
 * min(count, batch) under one lock hold, and nothing at all from an empty pageset.
 *
 * Strategy: one node with a 64 MiB DMA32 zone and one vCPU; order-0 pages freed onto the
 * pcp list with its high raised by hand so that nothing drains on the way, then the
 * drain under test; the lock's acquisitions (lockstat) count the chunks.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct zone *z;
static struct per_cpu_pages *pcp;

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	pcp = per_cpu_ptr(z->per_cpu_pageset, 0);
	sim_engine_set_cpu(0);
}

static void down(void)
{
	cr_expect(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* n order-0 pages allocated and freed back onto this CPU's pcp list, none drained */
static void fill_pcp(int n)
{
	struct page *p[128];

	cr_assert(le(int, n, 128));
	for (int i = 0; i < n; i++) {
		p[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)p[i], NULL));
	}
	drain_pages_zone(0, z);		/* what the refills left behind */
	cr_assert(eq(int, pcp->count, 0));
	pcp->high = 1 << 20;
	for (int i = 0; i < n; i++)
		helper_buddy_free(0, p[i], 0, NULL);
}

/*
 * drain_pages_zone (6.1.192): "to_drain = min(count, pcp->batch <<
 * CONFIG_PCP_BATCH_SCALE_MAX)" per lock hold, "count -= to_drain", loop while count.  Batch
 * 1 by hand: chunks of 1 << 5 = 32; 70 pages on the list drain as 32, 32, 6: three lock
 * holds, and the pages are back in the zone.
 */
Test(buddy_pcp_drain, drain_pages_zone_takes_the_lock_once_a_chunk, .init = up, .fini = down)
{
	uint64_t before, free_before;

	fill_pcp(70);
	cr_assert(eq(int, pcp->count, 70));
	pcp->batch = 1;
	before = sim_lockstat_at(pcp->lock.id)->acquired;
	free_before = buddy_zone_free_pages(0, ZONE_DMA32);
	drain_pages_zone(0, z);
	cr_expect(eq(int, pcp->count, 0));
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 3));
	cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), free_before + 70));

	/* exactly one chunk (32 pages): one hold */
	fill_pcp(32);
	pcp->batch = 1;
	before = sim_lockstat_at(pcp->lock.id)->acquired;
	drain_pages_zone(0, z);
	cr_expect(eq(int, pcp->count, 0));
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 1));
}

/*
 * drain_zone_pages (6.1): "to_drain = min(pcp->count, batch); if (to_drain > 0)" lock,
 * free_pcppages_bulk, unlock.  Batch 7 by hand: 20 pages drain 7 (one hold, in the current
 * operation's path as drain_zone_pages); 5 pages drain all 5; an empty pageset takes no lock
 * and leaves no label.
 */
Test(buddy_pcp_drain, drain_zone_pages_frees_one_batch_under_one_hold, .init = up, .fini = down)
{
	struct sim_op op;
	uint64_t before;

	fill_pcp(20);
	pcp->batch = 7;
	before = sim_lockstat_at(pcp->lock.id)->acquired;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	drain_zone_pages(z, pcp);
	sim_op_end(&op);
	cr_expect(eq(int, pcp->count, 13));
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 1));
	cr_expect(helper_slab_op_has_label(&op, "drain_zone_pages"));

	drain_pages_zone(0, z);
	fill_pcp(5);
	pcp->batch = 7;
	drain_zone_pages(z, pcp);
	cr_expect(eq(int, pcp->count, 0));

	before = sim_lockstat_at(pcp->lock.id)->acquired;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	drain_zone_pages(z, pcp);
	sim_op_end(&op);
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 0));
	cr_expect(not(helper_slab_op_has_label(&op, "drain_zone_pages")));
}

static int list_len(unsigned int pindex)
{
	int n = 0;

	for (struct page *p = page_list_first(&pcp->lists[pindex]); p; p = page_list_next(p))
		n++;
	return n;
}

/*
 * free_unref_page (6.1 mm/page_alloc.c): the pcp lists hold the three mobility types only; a
 * page of a MIGRATE_HIGHATOMIC pageblock goes on the MOVABLE list ("migratetype =
 * MIGRATE_MOVABLE"), not on the list of its own type's index (pindex 3, an order-1 list).
 * The pageblock's type set by hand after the allocation, as reserve_highatomic_pageblock would.
 */
Test(buddy_pcp_drain, a_highatomic_page_rides_on_the_movable_list, .init = up, .fini = down)
{
	unsigned int movable = order_to_pindex(MIGRATE_MOVABLE, 0), unmovable1 = order_to_pindex(MIGRATE_UNMOVABLE, 1);
	struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);

	cr_assert(ne(ptr, (void *)p, NULL));
	drain_pages_zone(0, z);
	pcp->high = 1 << 20;
	set_pageblock_migratetype(p, MIGRATE_HIGHATOMIC);
	helper_buddy_free(0, p, 0, NULL);
	cr_expect(eq(int, pcp->count, 1));
	cr_expect(eq(int, list_len(movable), 1));
	cr_expect(eq(int, list_len(unmovable1), 0));
	drain_pages_zone(0, z);
	set_pageblock_migratetype(p, MIGRATE_MOVABLE);
}

/*
 * free_pages_prepare (6.1): freeing a compound page clears each tail's compound_head
 * (free_tail_pages_check -> clear_compound_head) and its PG_tail, so the pages come back
 * plain: an order-2 compound page freed leaves pages 1-3 without PG_tail and without a head
 * link, and the same pages taken again as an order-2 plain request are not compound.
 */
Test(buddy_pcp_drain, a_freed_compound_page_leaves_plain_tails, .init = up, .fini = down)
{
	struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 2, NULL);

	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(u32, p[1].flags & PG_tail, PG_tail));
	helper_buddy_free(0, p, 2, NULL);
	for (int i = 1; i < 4; i++) {
		cr_expect(eq(u32, p[i].flags & PG_tail, 0), "page %d", i);
		cr_expect(eq(u32, p[i].lru_next, 0), "page %d", i);
	}
}

/*
 * drain_all_pages(NULL) (6.1): every CPU's pageset of every populated zone, DMA included.
 * One page of each of DMA and DMA32 freed onto the pcp lists: both drain.
 */
Test(buddy_pcp_drain, drain_all_pages_empties_every_zone_s_pagesets, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 64, 0, 0 } };
	int c[1] = { 1 };
	struct page *d, *d32;
	struct per_cpu_pages *pd;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pd = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA].per_cpu_pageset, 0);
	pcp = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset, 0);
	d = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_DMA, 0, NULL);
	d32 = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_DMA32, 0, NULL);
	cr_assert(ne(ptr, (void *)d, NULL));
	cr_assert(ne(ptr, (void *)d32, NULL));
	cr_assert(eq(int, (int)d->zid, ZONE_DMA));
	helper_buddy_free(0, d, 0, NULL);
	helper_buddy_free(0, d32, 0, NULL);
	cr_assert(lt(int, 0, pd->count));
	cr_assert(lt(int, 0, pcp->count));
	drain_all_pages();
	cr_expect(eq(int, pd->count, 0));
	cr_expect(eq(int, pcp->count, 0));
}

static void down_unchecked(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/*
 * free_unref_page (6.1): a page of a MIGRATE_ISOLATE pageblock skips the pcp lists and goes
 * to the zone's isolate free list (free_one_page with its migratetype), where the allocator
 * does not see it.  The type set by hand (no full isolation, so no buddy_check at the end).
 */
Test(buddy_pcp_drain, an_isolated_page_goes_to_the_isolate_list, .init = up, .fini = down_unchecked)
{
	struct page *q = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	uint64_t on_isolate = 0;

	cr_assert(ne(ptr, (void *)q, NULL));
	drain_pages_zone(0, z);
	pcp->high = 1 << 20;
	set_pageblock_migratetype(q, MIGRATE_ISOLATE);
	helper_buddy_free(0, q, 0, NULL);
	cr_expect(eq(int, pcp->count, 0));
	for (int order = 0; order < MAX_ORDER; order++)
		on_isolate += buddy_zone_nr_free_mt(0, ZONE_DMA32, order, MIGRATE_ISOLATE);
	cr_expect(eq(u64, on_isolate, 1));
	cr_expect(eq(u32, q->flags & PG_allocated, 0));
}

/*
 * free_unref_page_commit (6.1 mm/page_alloc.c:3490-3494): a free that brings pcp->count to
 * nr_pcp_high (pcp->high while reclaim is not active) drains nr_pcp_free pages through
 * free_pcppages_bulk; nr_pcp_free (:3422-3446) frees batch << free_factor, at least batch and
 * at most high - batch, and bumps free_factor while that was below high - batch.  High 10,
 * batch 3, free_factor 0, order-0 frees: the 10th free drains 3 (free_factor 1), the 13th
 * 6 (free_factor 2), the 19th min(12, 7) = 7 (free_factor stays 2).  Only those frees pass
 * free_pcppages_bulk and reach level 2.
 */
Test(buddy_pcp_drain, frees_drain_batch_shifted_by_free_factor_6_1, .init = up, .fini = down)
{
	static const int want_count[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 8, 9, 4, 5, 6, 7, 8, 9, 3, 4 };
	static const int want_factor[20] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2 };
	struct page *p[20];
	struct sim_op op;

	for (int i = 0; i < 20; i++) {
		p[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)p[i], NULL));
	}
	drain_pages_zone(0, z);
	cr_assert(eq(int, pcp->count, 0));
	pcp->high = 10;
	pcp->batch = 3;
	pcp->free_factor = 0;
	for (int i = 0; i < 20; i++) {
		bool drained = i == 9 || i == 12 || i == 18;

		helper_buddy_free(0, p[i], 0, &op);
		cr_expect(eq(int, pcp->count, want_count[i]), "free %d", i);
		cr_expect(eq(int, (int)pcp->free_factor, want_factor[i]), "free %d", i);
		cr_expect(eq(int, op.level, drained ? 2 : 1), "free %d", i);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "free_pcppages_bulk"), drained), "free %d", i);
	}
}
