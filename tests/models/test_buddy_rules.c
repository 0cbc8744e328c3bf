/*
 * test_buddy_rules.c - the buddy model's decisions at their exact boundaries,
 * suite `buddy_rules`: the reserves a watermark check grants (__zone_watermark_ok),
 * the order in which a fallback raids other migratetypes (fallbacks[]), and
 * the steal of a block of order >= pageblock_order / 2 (can_steal_fallback).
 *
 * Each number comes from the 6.1.192 rule named beside it (mm/page_alloc.c);
 * these tests kill one-line mutants (tools/mutate) that test_buddy.c lets live.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

#define GFP_MOVABLE_KERNEL (GFP_KERNEL | __GFP_MOVABLE)

static struct sim_scenario *sc;

static void down(void)
{
	cr_assert(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static struct zone *Z(int nid, int zid)
{
	return &NODE_DATA(nid)->node_zones[zid];
}

/* One node, one DMA32 zone of 64 MiB (16 max-order blocks, 32 pageblocks), one vCPU,
 * watermarks 0 so that the zone may run empty. */
static void up_64(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	memset(Z(0, ZONE_DMA32)->_watermark, 0, sizeof(Z(0, ZONE_DMA32)->_watermark));
	Z(0, ZONE_DMA32)->watermark_boost = 0;
}

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

static uint64_t blocks(int mt)
{
	return buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, mt);
}

/* ------------------------------------------------------- watermark reserves */

/*
 * __zone_watermark_ok: free_pages -= (1 << order) - 1 (+ nr_reserved_highatomic without
 * ALLOC_RESERVES); min = mark; ALLOC_MIN_RESERVE: min -= min / 2, and with ALLOC_NON_BLOCK
 * min -= min / 4; ALLOC_OOM: min -= min / 2; fail when free_pages <= min + lowmem_reserve.
 * With mark 1000: plain 1000, __GFP_HIGH 500, GFP_ATOMIC (both) 375, OOM 500, OOM + atomic
 * 375 - 187 = 188.  Each boundary: one page more passes, the boundary itself fails.
 */
Test(buddy_rules, watermark_reserve_boundaries, .fini = down)
{
	static const struct { unsigned int flags; long min; } cases[] = {
		{ 0, 1000 },
		{ ALLOC_MIN_RESERVE, 500 },
		{ ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, 375 },
		{ ALLOC_NON_BLOCK, 1000 },	/* NON_BLOCK alone: no access to the min reserve */
		{ ALLOC_OOM, 500 },
		{ ALLOC_OOM | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, 188 },
	};
	struct zone *z;

	up_64();
	/* setup_per_zone_lowmem_reserve: an empty zone (no managed pages) reserves nothing
	 * (clear = !ratio || !zone_managed_pages(zone)), though DMA32 above it has 16384 pages */
	cr_assert(eq(long, Z(0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32], 0));
	z = Z(0, ZONE_DMA32);
	z->nr_reserved_highatomic = 0;
	cr_assert(eq(long, z->lowmem_reserve[ZONE_DMA32], 0));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_assert(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, cases[i].flags, cases[i].min + 1),
			  "flags %#x, %ld free", cases[i].flags, cases[i].min + 1);
		cr_assert(not(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, cases[i].flags, cases[i].min)),
			  "flags %#x, %ld free", cases[i].flags, cases[i].min);
	}

	/* the highatomic reserve is unusable without ALLOC_RESERVES, usable with them */
	z->nr_reserved_highatomic = 512;
	cr_assert(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, 0, 1513));
	cr_assert(not(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, 0, 1512)));
	cr_assert(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, ALLOC_MIN_RESERVE, 501));
	cr_assert(__zone_watermark_ok(z, 0, 1000, ZONE_DMA32, ALLOC_OOM, 501));
	z->nr_reserved_highatomic = 0;

	/* lowmem_reserve of the highest zone the request may use is added to min */
	z->lowmem_reserve[ZONE_NORMAL] = 100;
	cr_assert(__zone_watermark_ok(z, 0, 1000, ZONE_NORMAL, 0, 1101));
	cr_assert(not(__zone_watermark_ok(z, 0, 1000, ZONE_NORMAL, 0, 1100)));
	z->lowmem_reserve[ZONE_NORMAL] = 0;

	/* order 2: three of the free pages cannot serve it; then a free block of order >= 2 of
	 * an allocatable type must exist (the fresh zone has max-order MOVABLE blocks) */
	cr_assert(__zone_watermark_ok(z, 2, 1000, ZONE_DMA32, 0, 1004));
	cr_assert(not(__zone_watermark_ok(z, 2, 1000, ZONE_DMA32, 0, 1003)));
}

/* ------------------------------------------------------------- fallbacks */

/*
 * fallbacks[MIGRATE_UNMOVABLE] = { RECLAIMABLE, MOVABLE }: with a free RECLAIMABLE and a free
 * MOVABLE block of the same (largest) order, __rmqueue_fallback takes the RECLAIMABLE one.
 * An order-9 block is a whole pageblock: steal_suitable_fallback changes its owner
 * (change_pageblock_range), so one RECLAIMABLE pageblock becomes UNMOVABLE.
 */
Test(buddy_rules, unmovable_fallback_prefers_reclaimable_to_movable, .fini = down)
{
	struct sim_op op;

	up_64();
	/* a reclaimable page steals a max-order block: 2 RECLAIMABLE pageblocks, whose
	 * unused order-9 half stays free on the RECLAIMABLE list */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_RECLAIMABLE, 0, &op), NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(eq(u64, blocks(MIGRATE_RECLAIMABLE), 2));
	/* 14 of the 15 other max-order blocks taken; the last split by an order-8 request:
	 * an order-9 MOVABLE block is free, and no order-10 block */
	for (int i = 0; i < 14; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL), NULL));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->free_area[MAX_ORDER - 1].nr_free, 0));
	cr_assert(not(free_area_empty(&Z(0, ZONE_DMA32)->free_area[9], MIGRATE_MOVABLE)));
	cr_assert(not(free_area_empty(&Z(0, ZONE_DMA32)->free_area[9], MIGRATE_RECLAIMABLE)));

	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback:do_steal"));
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 1));
	cr_assert(eq(u64, blocks(MIGRATE_RECLAIMABLE), 1));
	cr_assert(eq(u64, blocks(MIGRATE_MOVABLE), 30));
}

/*
 * can_steal_fallback: a MOVABLE request may take over the block of a fallback of order
 * >= pageblock_order / 2 (9 / 2 = 4).  The largest UNMOVABLE free blocks are order 4 here, so
 * __rmqueue_fallback steals there (do_steal, not find_smallest), and steal_suitable_fallback
 * counts the pageblock: 16 free order-4 blocks = 256 pages of 512, exactly half
 * (1 << (pageblock_order - 1)): it claims the block for MOVABLE.
 */
Test(buddy_rules, movable_fallback_of_order_4_claims_a_half_free_block, .fini = down)
{
	struct page *chunk[64];
	struct sim_op op;

	up_64();
	/* an unmovable order-4 page steals a max-order block (2 UNMOVABLE pageblocks) ... */
	chunk[0] = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)chunk[0], NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 2));
	/* ... and 63 more take the rest of it; 15 movable max-order blocks take the zone */
	for (int i = 1; i < 64; i++) {
		chunk[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, NULL);
		cr_assert(ne(ptr, (void *)chunk[i], NULL));
	}
	for (int i = 0; i < 15; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 0));
	/* every other order-4 block back: 32 free order-4 UNMOVABLE blocks, none can merge */
	for (int i = 0; i < 64; i += 2)
		helper_buddy_free(0, chunk[i], 4, NULL);
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->free_area[4].nr_free, 32));

	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op), NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback:do_steal"));
	cr_assert(not(has_label(&op, "__rmqueue_fallback:find_smallest")));
	cr_assert(has_label(&op, "steal_suitable_fallback:claim_block"));
	cr_assert(eq(u64, blocks(MIGRATE_MOVABLE), 31));
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 1));
}

/*
 * The other side of can_steal_fallback: when the largest fallback block is of order 3 (below
 * pageblock_order / 2 = 4) a MOVABLE request may not take the block over, so
 * __rmqueue_fallback goes to find_smallest (the smallest fallback block that serves it) and
 * steal_suitable_fallback moves only that block (single_page): no pageblock changes owner.
 * The pcp is made to move one page at a time (batch 1, high 0: __rmqueue_pcplist keeps a
 * batch of 1, nr_pcp_free frees 1 when high < batch), so every free reaches the free lists.
 */
/* The zone of the two tests below: every free page an UNMOVABLE order-3 block, 64 of them
 * (every other one of 128), no free MOVABLE page; the pcp moves one page at a time. */
static void order3_holes(void)
{
	struct per_cpu_pages *pcp;
	struct page *chunk[128];
	struct sim_op op;

	up_64();
	pcp = &Z(0, ZONE_DMA32)->per_cpu_pageset[0];
	pcp->batch = 1;
	pcp->high = 0;
	for (int i = 0; i < 128; i++) {
		chunk[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 3, &op);
		cr_assert(ne(ptr, (void *)chunk[i], NULL));
		if (!i)
			cr_assert(eq(int, op.level, 4));
	}
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 2));
	for (int i = 0; i < 15; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 0));
	for (int i = 0; i < 128; i += 2)
		helper_buddy_free(0, chunk[i], 3, NULL);
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->free_area[3].nr_free, 64));
}

Test(buddy_rules, movable_fallback_of_order_3_takes_the_smallest_block_only, .fini = down)
{
	struct page *page;
	struct sim_op op;

	order3_holes();
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback:find_smallest"));
	cr_assert(has_label(&op, "steal_suitable_fallback:single_page"));
	cr_assert(not(has_label(&op, "steal_suitable_fallback:claim_block")));
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 2));
	/* the order-3 block was split for it: 4 + 2 + 1 pages left on the MOVABLE lists */
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->free_area[3].nr_free, 63));
	cr_assert(not(free_area_empty(&Z(0, ZONE_DMA32)->free_area[2], MIGRATE_MOVABLE)));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));
}

/*
 * __rmqueue_fallback goes to find_smallest only when a block larger than the request was
 * found (current_order > order): a MOVABLE request of order 3 on the same zone finds an
 * UNMOVABLE block of its own order, which can_steal_fallback (3 < pageblock_order / 2)
 * does not let it take over, and steals that very block at once (do_steal, single_page).
 */
Test(buddy_rules, movable_fallback_at_its_own_order_steals_at_once, .fini = down)
{
	struct page *page;
	struct sim_op op;

	order3_holes();
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 3, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback:do_steal"));
	cr_assert(not(has_label(&op, "__rmqueue_fallback:find_smallest")));
	cr_assert(has_label(&op, "steal_suitable_fallback:single_page"));
	cr_assert(eq(u64, blocks(MIGRATE_UNMOVABLE), 2));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->free_area[3].nr_free, 63));
}

/*
 * prep_new_page: a page handed out under ALLOC_NO_WATERMARKS is marked pfmemalloc
 * (set_page_pfmemalloc), any other has the mark cleared (clear_page_pfmemalloc), so a
 * reserve page freed and taken again by a normal request is a normal page.  __GFP_MEMALLOC
 * gets ALLOC_NO_WATERMARKS (__gfp_pfmemalloc_flags) once the watermarks have failed.
 */
Test(buddy_rules, pfmemalloc_mark_is_cleared_when_the_page_is_reused, .fini = down)
{
	struct zone *z;
	struct page *page, *again;
	struct sim_op op;

	up_64();
	z = Z(0, ZONE_DMA32);
	for (int w = 0; w < NR_WMARK; w++)
		z->_watermark[w] = zone_page_state_snapshot(z, NR_FREE_PAGES) + 1000 * (w + 1);
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL), NULL));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MEMALLOC, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(ne(u32, (uint32_t)(page->flags & PG_pfmemalloc), 0));
	/* the first get_page_from_freelist of the slow path still checks the min watermark; the
	 * one after __gfp_pfmemalloc_flags (the retry label) does not */
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(has_label(&op, "__alloc_pages_slowpath:retry"));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	/* freed onto the pcp list's head, the next request of its migratetype takes it back */
	helper_buddy_free(0, page, 0, NULL);
	again = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(eq(ptr, (void *)again, (void *)page));
	cr_assert(eq(int, op.level, 1));
	cr_assert(eq(u32, (uint32_t)(again->flags & PG_pfmemalloc), 0));
}

/*
 * alloc_flags_nofragment: a request whose preferred zone is ZONE_NORMAL, with DMA32 below it,
 * first runs with ALLOC_NOFRAGMENT: __rmqueue_fallback then takes only whole pageblocks
 * (min_order = pageblock_order).  When no zone has one, get_page_from_freelist retries
 * without the flag (retry_nofragment) and a smaller fallback block serves it.  Here Normal is
 * full and DMA32's only free memory is one MOVABLE order-8 block.
 */
Test(buddy_rules, nofragment_first_then_a_fragmenting_fallback, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 16, 16, 0 } };
	int c[1] = { 1 };
	struct sim_op op;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int zid = ZONE_DMA32; zid <= ZONE_NORMAL; zid++) {
		memset(Z(0, zid)->_watermark, 0, sizeof(Z(0, zid)->_watermark));
		memset(Z(0, zid)->lowmem_reserve, 0, sizeof(Z(0, zid)->lowmem_reserve));
		Z(0, zid)->watermark_boost = 0;
	}
	/* 4 + 4 max-order blocks, Normal's first; DMA32's last is split 9 + 8 + 8 */
	for (int i = 0; i < 7; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 9, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32) + buddy_zone_free_pages(0, ZONE_NORMAL), 256));

	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(has_label(&op, "get_page_from_freelist:retry_nofragment"));
	cr_assert(has_label(&op, "__rmqueue_fallback:do_steal"));
	cr_assert(eq(int, op.zone, ZONE_DMA32));
	/* steal_suitable_fallback: 256 free pages of the 512, the other 256 movable in use (alike
	 * = 512 - 256 - 256 = 0): 256 >= 1 << (pageblock_order - 1), the block is claimed */
	cr_assert(has_label(&op, "steal_suitable_fallback:claim_block"));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 1));
}

/*
 * zone_statistics counts NUMA events per allocation, not per page (6.1: rmqueue_buddy and
 * rmqueue_pcplist pass nr_account 1): on a one-node machine an order-4 request (above
 * PAGE_ALLOC_COSTLY_ORDER 3, so not from the pcp: rmqueue_buddy) and an order-0 one (the
 * pcp) each add 1 to NUMA_HIT and 1 to NUMA_LOCAL of the zone; pgalloc counts pages, 16 + 1.
 */
Test(buddy_rules, numa_events_count_allocations_not_pages, .fini = down)
{
	struct zone *z;
	unsigned long hit, local, pgalloc;
	struct sim_op op;

	up_64();
	z = Z(0, ZONE_DMA32);
	hit = z->numa_event[NUMA_HIT];
	local = z->numa_event[NUMA_LOCAL];
	pgalloc = z->pgalloc;
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op), NULL));
	cr_assert(has_label(&op, "rmqueue_buddy"));
	cr_expect(eq(ulong, z->numa_event[NUMA_HIT] - hit, 1));
	cr_expect(eq(ulong, z->numa_event[NUMA_LOCAL] - local, 1));
	cr_expect(eq(ulong, z->pgalloc - pgalloc, 16));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(not(has_label(&op, "rmqueue_buddy")));
	cr_expect(eq(ulong, z->numa_event[NUMA_HIT] - hit, 2));
	cr_expect(eq(ulong, z->numa_event[NUMA_LOCAL] - local, 2));
	cr_expect(eq(ulong, z->numa_event[NUMA_MISS] + z->numa_event[NUMA_FOREIGN] + z->numa_event[NUMA_OTHER], 0));
}

/*
 * What an allocation's record holds: __alloc_pages ends with trace_mm_page_alloc(page, order,
 * alloc_gfp, ac.migratetype) (mm/page_alloc.c), on success and on failure alike; the model's
 * operation carries the same fields (note_alloc_op), whoever began it.  GFP_KERNEL | __GFP_MOVABLE
 * is MIGRATE_MOVABLE (gfp_migratetype); an order >= MAX_ORDER fails before anything else.
 */
Test(buddy_rules, the_record_is_the_tracepoint_s_gfp_order_and_migratetype, .fini = down)
{
	struct sim_op op;
	struct page *page;

	up_64();
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 2, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(u32, op.gfp, GFP_MOVABLE_KERNEL));
	cr_expect(eq(int, op.order, 2));
	cr_expect(eq(int, op.migratetype, MIGRATE_MOVABLE));
	cr_expect(eq(u64, op.addr, page_to_pfn(page)));
	helper_buddy_free(0, page, 2, NULL);

	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, MAX_ORDER, &op), NULL));
	cr_expect(op.failed);
	cr_expect(eq(u32, op.gfp, GFP_KERNEL));
	cr_expect(eq(int, op.migratetype, MIGRATE_UNMOVABLE));
}

/* ------------------------------------------------- where a freed block goes */

static void down_kernel(void)
{
	down();
	kernel_version = KERNEL_6_1;
}

/*
 * __free_one_page puts the merged block at the tail of its list when buddy_merge_likely says
 * the next-order buddy of the pair is free (6.1 mm/page_alloc.c buddy_merge_likely: never at
 * order >= MAX_ORDER - 2, i.e. 9 and 10; 6.12: order >= MAX_PAGE_ORDER - 1, the same orders),
 * else at the head.  Crafted machine (pageblock_order 10, no THP: orders 8 and 9 skip the pcp),
 * DMA32 of 64 MiB, on each kernel:
 *  - order 10: two blocks B0, B0 + 1024 taken and given back (order 10 never merges: head);
 *    the list is B0, B0 + 1024, the untouched rest;
 *  - order 9: B0 split, both halves taken; the first freed stays order 9 (its buddy is held)
 *    and the order-10 buddy B0 + 1024 is free, yet the block goes to the head;
 *  - order 8: the other half split, both quarters taken; the first freed stays order 8 with
 *    its order-9 neighbour B0 free: to the tail.
 */
static void free_to_tail_below_order_9(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct page *p10[2], *p9[2], *p8[2];
	struct sim_op op;

	sc = helper_buddy_crafted_up(v, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int i = 0; i < 2; i++)
		cr_assert(ne(ptr, (void *)(p10[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 10, NULL)), NULL));
	cr_assert(eq(u64, page_to_pfn(p10[1]), page_to_pfn(p10[0]) + 1024));
	for (int i = 1; i >= 0; i--) {
		helper_buddy_free(0, p10[i], 10, &op);
		cr_assert(not(has_label(&op, "__free_one_page:to_tail")), "order 10: head");
	}
	for (int i = 0; i < 2; i++)
		cr_assert(ne(ptr, (void *)(p9[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 9, NULL)), NULL));
	cr_assert(eq(u64, page_to_pfn(p9[0]), page_to_pfn(p10[0])), "B0 was at the head");
	cr_assert(eq(u64, page_to_pfn(p9[1]), page_to_pfn(p10[0]) + 512));
	helper_buddy_free(0, p9[0], 9, &op);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 1));
	cr_assert(PageBuddy(p10[1]) && buddy_order(p10[1]) == 10, "the order-10 buddy is free");
	cr_expect(not(has_label(&op, "__free_one_page:to_tail")), "order 9: head, whatever the buddies");
	for (int i = 0; i < 2; i++)
		cr_assert(ne(ptr, (void *)(p8[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 8, NULL)), NULL));
	cr_assert(eq(u64, page_to_pfn(p8[0]), page_to_pfn(p10[0])), "the order-9 block split again");
	helper_buddy_free(0, p8[0], 8, &op);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 8), 1));
	cr_expect(not(has_label(&op, "__free_one_page:to_tail")), "order 8, the order-9 neighbour held: head");
	helper_buddy_free(0, p9[1], 9, &op);	/* B0 + 512: its buddy B0 is split, one quarter free */
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 1));
	helper_buddy_free(0, p8[1], 8, &op);	/* B0 + 256 merges with B0 to order 9, then with B0 + 512 */
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
	/* order 8 with the order-9 neighbour free: take B0 + 512 again, split B0 to order 8 */
	cr_assert(ne(ptr, (void *)(p9[1] = helper_buddy_alloc(0, 0, GFP_KERNEL, 9, NULL)), NULL));
	cr_assert(ne(ptr, (void *)(p8[0] = helper_buddy_alloc(0, 0, GFP_KERNEL, 8, NULL)), NULL));
	cr_assert(ne(ptr, (void *)(p8[1] = helper_buddy_alloc(0, 0, GFP_KERNEL, 8, NULL)), NULL));
	cr_assert(eq(u64, page_to_pfn(p9[1]) ^ 512, page_to_pfn(p8[0]) & ~511ULL));
	helper_buddy_free(0, p9[1], 9, &op);	/* order 9, its buddy split and held: head */
	cr_expect(not(has_label(&op, "__free_one_page:to_tail")));
	helper_buddy_free(0, p8[0], 8, &op);	/* order 8, buddy held, the order-9 neighbour free */
	cr_expect(has_label(&op, "__free_one_page:to_tail"), "order 8: its order-9 neighbour is free");
	helper_buddy_free(0, p8[1], 8, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
}

Test(buddy_rules, a_freed_block_goes_to_the_tail_below_order_9_6_1, .fini = down_kernel)
{
	free_to_tail_below_order_9(KERNEL_6_1);
}

Test(buddy_rules, a_freed_block_goes_to_the_tail_below_order_9_6_12, .fini = down_kernel)
{
	free_to_tail_below_order_9(KERNEL_6_12);
}

/* ------------------------------------------------ the vmstat worker's drain */

static int pcp_list_len(const struct per_cpu_pages *pcp, unsigned int pindex)
{
	int n = 0;

	for (struct page *p = page_list_first(&pcp->lists[pindex]); p; p = page_list_next(p))
		n++;
	return n;
}

/*
 * drain_zone_pages (6.1 mm/page_alloc.c, the vmstat worker's drain of an expired remote
 * pageset) frees min(count, batch) pages with free_pcppages_bulk(zone, to_drain, pcp, 0):
 * the round robin starts at pindex 0, the order-0 UNMOVABLE list, and takes a list's pages
 * until it is empty or the count is met before going on to the next (order-0 MOVABLE,
 * pindex 1).  Pages on both lists, more than a batch (3) in all: list 0 empties first, the
 * rest comes from list 1.
 */
Test(buddy_rules, drain_zone_pages_starts_at_the_unmovable_list, .fini = down)
{
	struct per_cpu_pages *pcp;
	unsigned int l0 = order_to_pindex(MIGRATE_UNMOVABLE, 0), l1 = order_to_pindex(MIGRATE_MOVABLE, 0);
	int n0, n1, to_drain, from0;

	up_64();
	pcp = per_cpu_ptr(Z(0, ZONE_DMA32)->per_cpu_pageset, 0);
	cr_assert(eq(u32, l0, 0));
	cr_assert(eq(u32, l1, 1));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL), NULL));
	n0 = pcp_list_len(pcp, l0);
	n1 = pcp_list_len(pcp, l1);
	cr_assert(lt(int, 0, n0));
	cr_assert(lt(int, 0, n1));
	cr_assert(eq(int, n0 + n1, pcp->count));
	cr_assert(lt(int, pcp->batch, pcp->count));
	cr_assert(lt(int, n0, pcp->batch), "the drain reaches list 1");
	to_drain = pcp->batch;
	from0 = n0;
	sim_engine_set_cpu(0);
	drain_zone_pages(Z(0, ZONE_DMA32), pcp);
	cr_expect(eq(int, pcp_list_len(pcp, l0), 0));
	cr_expect(eq(int, pcp_list_len(pcp, l1), n1 - (to_drain - from0)));
	cr_expect(eq(int, pcp->count, n0 + n1 - to_drain));
}

/* ------------------------------------------------------- sizes of a zone */

/* rounddown_pow_of_two, include/linux/log2.h */
static unsigned long pow2_below(unsigned long n)
{
	unsigned long p = 1;

	while (p * 2 <= n)
		p *= 2;
	return p;
}

/*
 * Per-zone numbers of a node with all four zones (16, 184, 696 and 96 MiB), each from its
 * zone's managed pages:
 *  - the pcp batch (zone_set_pageset_high_and_batch: max(1, zone_batchsize)): zone_batchsize
 *    takes min(managed >> 10, 256) / 4 (at least 1), then rounddown_pow_of_two(b + b / 2) - 1;
 *    DMA32's b is 11 (16 - 1 = 15) and Normal's 43 (64 - 1 = 63), where the half matters;
 *  - lowmem_reserve (setup_per_zone_lowmem_reserve): for each zone below MOVABLE, entry j
 *    is the managed pages of the zones above it up to j over sysctl_lowmem_reserve_ratio
 *    (DMA 256, DMA32 256, Normal 32; 0 for a zone with no ratio); every other entry is 0.
 */
Test(buddy_rules, batch_and_lowmem_reserve_follow_the_zone_sizes, .fini = down)
{
	static const unsigned long ratio[MAX_NR_ZONES] = { 256, 256, 32, 0 };
	uint64_t zones[1][4] = { { 16, 184, 696, 96 } };
	int c[1] = { 1 };
	struct buddy_zone_info zi[MAX_NR_ZONES];

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct buddy_pcp_info pi;
		unsigned long b;

		buddy_zone_info(0, z, &zi[z]);
		cr_assert(lt(u64, 0, zi[z].managed), "zone %d", z);
		b = zi[z].managed >> 10;
		b = (b < 256 ? b : 256) / 4;
		if (b < 1)
			b = 1;
		if (z == ZONE_DMA32)
			cr_assert(eq(u64, b, 11));
		if (z == ZONE_NORMAL)
			cr_assert(eq(u64, b, 43));
		b = pow2_below(b + b / 2) - 1;
		buddy_pcp_info(0, z, 0, &pi);
		cr_expect(eq(u64, pi.batch, b > 1 ? b : 1), "zone %d", z);
	}
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		uint64_t above = 0;

		for (int j = 0; j < MAX_NR_ZONES; j++) {
			uint64_t want = 0;

			if (j > i) {
				above += zi[j].managed;
				want = ratio[i] ? above / ratio[i] : 0;
			}
			cr_expect(eq(u64, zi[i].lowmem_reserve[j], want), "zone %d lowmem_reserve[%d]", i, j);
		}
	}
	cr_expect(lt(u64, 0, zi[ZONE_NORMAL].lowmem_reserve[ZONE_MOVABLE]));
}

/*
 * A free's record is trace_mm_page_free's (6.1 mm/page_alloc.c free_pages_prepare:
 * trace_mm_page_free(page, order)): the block's pfn and order; the model adds where it
 * lies (node, zone) and its pageblock's migratetype.  A movable order-2 block and an
 * order-4 block (not a pcp order: the zone) of a fresh zone.
 */
Test(buddy_rules, a_free_s_record_is_the_pfn_order_and_place, .fini = down)
{
	static const struct { unsigned int gfp, order; } cases[] = {
		{ GFP_MOVABLE_KERNEL, 2 }, { GFP_MOVABLE_KERNEL, 4 }, { GFP_KERNEL, 0 },
	};

	up_64();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct page *page = helper_buddy_alloc(0, 0, cases[i].gfp, cases[i].order, NULL);
		struct sim_op op;
		uint64_t pfn;

		cr_assert(ne(ptr, (void *)page, NULL));
		pfn = page_to_pfn(page);
		helper_buddy_free(0, page, cases[i].order, &op);
		cr_expect(eq(u64, op.addr, pfn), "case %zu", i);
		cr_expect(eq(int, op.order, (int)cases[i].order), "case %zu", i);
		cr_expect(eq(int, op.zone, ZONE_DMA32), "case %zu", i);
		cr_expect(eq(int, op.mem_node, 0), "case %zu", i);
		cr_expect(eq(int, op.migratetype, get_pfnblock_migratetype(page, pfn)), "case %zu", i);
	}
}

/*
 * A zonelist ends in a zoneref of zone NULL and zone_idx 0 (6.1 mm/page_alloc.c build_zonelists:
 * zonerefs->zone = NULL; zonerefs->zone_idx = 0), so next_zones_zonelist, which skips entries
 * above highest_zoneidx, stops on it even for a ZONE_DMA request.  One node with all four
 * zones, DMA taken: a DMA request on the node's own list (__GFP_THISNODE: ZONELIST_NOFALLBACK)
 * walks past DMA to the end and fails, nothing taken from the zones above.
 */
Test(buddy_rules, a_dma_request_stops_at_the_end_of_the_zonelist, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 64, 64, 64 } };
	int c[1] = { 1 };
	uint64_t free_above[MAX_NR_ZONES];

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	while (helper_buddy_alloc(0, 0, GFP_NOWAIT | __GFP_DMA | __GFP_THISNODE, 0, NULL))
		;
	for (int z = ZONE_DMA32; z < MAX_NR_ZONES; z++)
		free_above[z] = buddy_zone_free_pages(0, z);
	for (int i = 0; i < 3; i++)
		cr_expect(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_NOWAIT | __GFP_DMA | __GFP_THISNODE, 0, NULL),
			     NULL));
	for (int z = ZONE_DMA32; z < MAX_NR_ZONES; z++)
		cr_expect(eq(u64, buddy_zone_free_pages(0, z), free_above[z]), "zone %d", z);
}

/*
 * pgdat->nr_zones is one past the highest populated zone (6.1 mm/page_alloc.c
 * init_currently_empty_zone), and the loops over a node's zones go that far: kswapd's
 * set_pgdat_percpu_threshold (mm/vmstat.c) gives every zone with a drift mark the pressure
 * threshold, the highest zone included.  DMA32 of 1 GiB alone, then Normal of 1 GiB above
 * DMA and DMA32; the top zone's drift mark is set by hand (one vCPU's drift stays within
 * low - min, so boot sets none).
 */
Test(buddy_rules, node_zones_run_to_the_highest_populated_zone, .fini = down)
{
	static const uint64_t layouts[2][4] = { { 0, 1024, 0, 0 }, { 16, 64, 1024, 0 } };
	static const int want_nr[2] = { ZONE_DMA32 + 1, ZONE_NORMAL + 1 };
	int c[1] = { 1 };

	for (int l = 0; l < 2; l++) {
		int top = want_nr[l] - 1;
		struct zone *zone;

		sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])layouts[l]);
		cr_assert(ne(ptr, (void *)sc, NULL));
		cr_expect(eq(int, NODE_DATA(0)->nr_zones, want_nr[l]), "layout %d", l);
		zone = Z(0, top);
		zone->percpu_drift_mark = high_wmark_pages(zone) + 1;
		per_cpu_ptr(zone->per_cpu_zonestats, 0)->stat_threshold = 0;
		set_pgdat_percpu_threshold(NODE_DATA(0), calculate_pressure_threshold);
		cr_expect(eq(int, per_cpu_ptr(zone->per_cpu_zonestats, 0)->stat_threshold,
			     calculate_pressure_threshold(zone)), "layout %d", l);
		cr_expect(lt(int, 0, calculate_pressure_threshold(zone)));
		if (l == 0)
			helper_buddy_machine_down(sc);
	}
}

/* ------------------------------------------------------ the buddy settings */

/* A scenario's pageblock_order must lie in 4 .. MAX_ORDER - 1 (the model's bound: above
 * PAGE_ALLOC_COSTLY_ORDER, at most a max-order block): 3 and 11 are bad input, refused before
 * anything is built. */
Test(buddy_rules, pageblock_order_outside_4_to_10_is_bad_input)
{
	static struct buddy_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_nodes = 1;
	cfg.zone_mib[0][ZONE_DMA32] = 64;
	cfg.page_block_order = 3;
	cr_expect(eq(int, buddy_init(&cfg), SIM_EBADINPUT));
	cfg.page_block_order = MAX_ORDER;
	cr_expect(eq(int, buddy_init(&cfg), SIM_EBADINPUT));
}

/*
 * The model's bound on the machine (buddy_init): free-list links hold pfn + 1 in 32 bits, so
 * the frames must end below pfn UINT32_MAX; a zone given its exact geometry ending there is
 * bad input, refused before anything is built (no engine needed).
 */
Test(buddy_rules, a_machine_ending_at_pfn_uint32_max_is_bad_input, .init = cr_redirect_stderr)
{
	static struct buddy_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_nodes = 1;
	cfg.zone_start_pfn[0][ZONE_NORMAL] = 1UL << 20;
	cfg.zone_spanned_pages[0][ZONE_NORMAL] = UINT32_MAX - (1UL << 20);
	cr_expect(eq(int, buddy_init(&cfg), SIM_EBADINPUT));
	cr_assert_stderr_eq_str("(scenario): machine.nodes: expected at most 16 TiB of memory in all, MiB, got 16777215\n");
}

/*
 * The layout and the watermark overrides (checked: min <= low <= high where given) are read
 * for the machine's nodes and zones only: a configuration's rows past nr_nodes describe no
 * node.  One node of 64 MiB DMA32; node 1's row says 16 MiB of DMA, 64 MiB of DMA32 and a DMA min 10 above
 * low 5: still a good machine of 64 MiB (buddy_init 0, max_pfn 16384); the same watermark
 * row on node 0 is bad input.
 */
Test(buddy_rules, watermark_rows_past_the_machine_are_not_checked)
{
	static struct buddy_config cfg;
	struct sim_scenario s;

	sim_scenario_default(&s);
	s.nr_nodes = 1;
	cr_assert(ne(ptr, (void *)sim_scenario_engine_create(&s), NULL));
	sim_engine_set_cpu(0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.nr_nodes = 1;
	cfg.zone_mib[0][ZONE_DMA32] = 64;
	cfg.zone_mib[1][ZONE_DMA] = 16;
	cfg.zone_mib[1][ZONE_DMA32] = 64;
	cfg.wmark_min[1][ZONE_DMA] = 10;
	cfg.wmark_low[1][ZONE_DMA] = 5;
	cr_expect(eq(int, buddy_init(&cfg), 0));
	cr_expect(eq(u64, buddy_max_pfn, 64 << (20 - PAGE_SHIFT)), "node 1's 80 MiB are no memory");
	buddy_exit();
	cfg.wmark_min[0][ZONE_DMA] = 10;
	cfg.wmark_low[0][ZONE_DMA] = 5;
	cr_expect(eq(int, buddy_init(&cfg), SIM_EBADINPUT));
	buddy_exit();
	sim_engine_destroy(sim);
	sim_scenario_free(&s);
}

/*
 * vm.watermark_boost_factor from the scenario (watermark_boost_factor) is what
 * boost_watermark reads (6.1 mm/page_alloc.c): 0 turns boosting off (false, no boost); the
 * default 15000 boosts by a pageblock at a time up to max(pageblock_nr_pages,
 * high * 15000 / 10000).  One node, DMA32 of 256 MiB.
 */
static void boost_with_factor(uint32_t factor)
{
	struct zone *zone;
	unsigned long max_boost, want = 0;

	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
	sc->node[0].zone_mib[ZONE_DMA32] = 256;
	cr_assert(eq(u32, sc->watermark_boost_factor, 15000), "the default");
	sc->watermark_boost_factor = factor;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	zone = Z(0, ZONE_DMA32);
	zone->watermark_boost = 0;
	max_boost = zone->_watermark[WMARK_HIGH] * factor / 10000;
	if (max_boost < pageblock_nr_pages)
		max_boost = pageblock_nr_pages;
	for (int i = 1; i <= 3; i++) {
		bool boosted = boost_watermark(zone);

		cr_expect(eq(int, boosted, factor != 0), "factor %u, call %d", factor, i);
		if (boosted)
			want = want + pageblock_nr_pages < max_boost ? want + pageblock_nr_pages : max_boost;
		cr_expect(eq(u64, zone->watermark_boost, want), "factor %u, call %d", factor, i);
	}
}

Test(buddy_rules, watermark_boost_factor_0_turns_boosting_off, .fini = down)
{
	boost_with_factor(0);
	cr_expect(eq(u64, Z(0, ZONE_DMA32)->watermark_boost, 0));
}

Test(buddy_rules, watermark_boost_factor_default_boosts_a_pageblock_at_a_time, .fini = down)
{
	boost_with_factor(15000);
	cr_expect(lt(u64, 0, Z(0, ZONE_DMA32)->watermark_boost));
}

/*
 * prep_compound_page (6.1 mm/page_alloc.c): a __GFP_COMP block's first page is the head
 * (__SetPageHead), pages 1 .. 2^order - 1 are tails pointing at it (prep_compound_tail); the
 * head is no tail, so freeing the block passes free_pages_prepare's checks (no bad page) and
 * every page returns.  Orders 1, 3 (pcp) and 5 (the zone).
 */
Test(buddy_rules, a_compound_block_has_one_head_and_its_tails, .fini = down)
{
	static const unsigned int orders[] = { 1, 3, 5 };

	up_64();
	for (size_t k = 0; k < sizeof(orders) / sizeof(orders[0]); k++) {
		unsigned int order = orders[k];
		struct page *page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL | __GFP_COMP, order, NULL);
		uint64_t pfn;
		struct buddy_zone_info zi;

		cr_assert(ne(ptr, (void *)page, NULL));
		pfn = page_to_pfn(page);
		cr_expect(eq(u32, page->flags & (PG_head | PG_tail), PG_head), "order %u: the head is no tail", order);
		for (uint64_t i = 1; i < (1UL << order); i++) {
			cr_expect(eq(u32, page[i].flags & (PG_head | PG_tail), PG_tail), "order %u page %llu", order,
				  (unsigned long long)i);
			cr_expect(eq(u64, page[i].lru_next, pfn + 1), "compound_head");
		}
		helper_buddy_free(0, page, order, NULL);
		buddy_zone_info(0, ZONE_DMA32, &zi);
		cr_expect(eq(u64, zi.nr_bad_pages, 0), "order %u", order);
	}
	drain_all_pages();
	cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 16384));
}

/*
 * The zonelist a request walks (build_zonelists, node order: the local node first, each node's
 * zones from the highest down, only those up to gfp_zone): node 0 of a machine with N0 DMA +
 * DMA32 and N1 DMA32 + Normal, GFP_KERNEL: N0 DMA32, N0 DMA, N1 Normal, N1 DMA32; with room
 * for two, the first two.
 */
Test(buddy_rules, the_zonelist_is_local_first_highest_zone_first, .fini = down)
{
	uint64_t zones[2][4] = { { 16, 64, 0, 0 }, { 0, 64, 64, 0 } };
	int c[2] = { 1, 1 };
	static const int want_nodes[4] = { 0, 0, 1, 1 };
	static const int want_zids[4] = { ZONE_DMA32, ZONE_DMA, ZONE_NORMAL, ZONE_DMA32 };
	int nodes[8], zids[8];

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(int, buddy_zonelist_zones(0, GFP_KERNEL, nodes, zids, 8), 4));
	for (int i = 0; i < 4; i++) {
		cr_expect(eq(int, nodes[i], want_nodes[i]), "entry %d", i);
		cr_expect(eq(int, zids[i], want_zids[i]), "entry %d", i);
	}
	cr_expect(eq(int, buddy_zonelist_zones(0, GFP_KERNEL, nodes, zids, 2), 2));
	cr_expect(eq(int, zids[1], ZONE_DMA));
}

/* ------------------------------------------------ the spinlocks zone->lock is made of */

/*
 * The spinlock primitives (models/primitives.c) as the lock table counts them, the kernel's
 * /proc/lock_stat columns (kernel/locking/lockdep.c: acquisitions, contentions, holdtime):
 * a lock registers its own row under its name; spin_lock takes a free lock at once
 * (acquired 1, not contended) and spin_unlock adds the time held, the vCPU's clock from the
 * take to the release; spin_trylock of a lock another vCPU holds fails (failed_trylock) and
 * leaves preemption as it was; and a vCPU that spins on a lock it holds itself (vCPU 0: owner
 * 0 is an owner) would spin forever, so the run fails naming the deadlock.  No run is going:
 * each primitive only moves the vCPU's clock.
 */
Test(buddy_rules, spinlocks_count_takes_hold_time_failed_trylocks_and_self_deadlock, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	spinlock_t l;
	struct sim_lockstat *st;
	uint32_t other;
	bool took;
	uint64_t t0;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	memset(&l, 0, sizeof(l));
	l.guard = SIM_GUARD_PCP_LOCK;		/* whatever was there: spin_lock_init makes it unguarded */
	sim->guard_off[SIM_GUARD_PCP_LOCK] = true;
	spin_lock_init_named(&l, "rules-lock");
	other = sim_lockstat_register("rules-other");
	cr_assert(eq(u32, other, l.id + 1));
	st = sim_lockstat_at(l.id);
	cr_assert(ne(ptr, (void *)st, NULL));
	cr_expect(eq(str, (char *)st->name, "rules-lock"));
	cr_expect(not(spin_is_locked(&l)));

	sim_engine_set_cpu(0);
	t0 = sim_now();
	spin_lock(&l);
	cr_expect(eq(u64, sim_now() - t0, sim->cost[SIM_COST_LOCK]), "spin_lock is one yield of the lock cost");
	cr_expect(spin_is_locked(&l));
	cr_expect(lockdep_is_held(&l));
	cr_expect(eq(int, preempt_count(), 1));
	cr_expect(eq(u64, st->acquired, 1));
	cr_expect(eq(u64, st->contended, 0));
	sim->cur->clock_ns += 1000;
	spin_unlock(&l);
	cr_expect(eq(u64, st->hold_ns, 1000));
	cr_expect(eq(int, preempt_count(), 0));
	cr_expect(not(spin_is_locked(&l)));

	t0 = sim_now();
	took = spin_trylock(&l);
	cr_expect(took);
	cr_expect(eq(u64, sim_now() - t0, sim->cost[SIM_COST_LOCK]), "spin_trylock is one yield of the lock cost");
	cr_expect(eq(u64, st->acquired, 2));
	sim_engine_set_cpu(1);
	cr_expect(not(lockdep_is_held(&l)));
	took = spin_trylock(&l);
	cr_expect(not(took));
	cr_expect(eq(u64, st->failed_trylock, 1));
	cr_expect(eq(u64, st->acquired, 2));
	cr_expect(eq(int, preempt_count(), 0));

	sim_engine_set_cpu(0);
	cr_expect(eq(str, sim->fail_reason, ""));
	spin_lock(&l);			/* held by vCPU 0 itself */
	cr_expect(eq(int, strncmp(sim->fail_reason, "deadlock: vCPU 0 spins on rules-lock", 36), 0),
		  "fail_reason: %s", sim->fail_reason);
	cr_expect(eq(u64, st->acquired, 2));
	sim->cur->curr->preempt_count--;	/* the spin_lock that never took it */
	spin_unlock(&l);
	cr_expect(eq(int, preempt_count(), 0));
	cr_expect(eq(u64, sim_lockstat_at(other)->acquired, 0));
	/* spin_lock_owner fills the lock table's owner columns of the lock's own row */
	spin_lock_owner(&l, 1, 0, ZONE_DMA32, "rules-cache");
	cr_expect(eq(int, st->cpu, 1));
	cr_expect(eq(int, st->node, 0));
	cr_expect(eq(int, st->zone, ZONE_DMA32));
	cr_expect(eq(str, (char *)st->cache, "rules-cache"));
	cr_expect(eq(int, sim_lockstat_at(other)->cpu, -1));

	/* A lock under a guard (lock->guard) is a lock while the guard is on; with the guard off
	 * (a race scenario's switch) spin_lock only disables preemption and takes nothing. */
	l.guard = SIM_GUARD_PCP_LOCK;
	spin_lock(&l);
	cr_expect(not(spin_is_locked(&l)), "guard off: not taken");
	cr_expect(eq(int, preempt_count(), 1));
	spin_unlock(&l);
	cr_expect(eq(u64, st->acquired, 2));
	sim->guard_off[SIM_GUARD_PCP_LOCK] = false;
	spin_lock(&l);
	cr_expect(spin_is_locked(&l), "guard on: taken");
	cr_expect(eq(u64, st->acquired, 3));
	spin_unlock(&l);
	cr_expect(eq(int, preempt_count(), 0));
}

/*
 * Contention, with the engine running: vCPU 0 takes the lock and holds it 20 us; vCPU 1
 * comes 1 us later and spins until the release.  Its take is contended, and the one wait is
 * both the total and the longest (lock_stat's waittime-total and waittime-max), and the lock
 * wait of the operation it spun in.  Each spin step is a yield of the spin cost, marked
 * spinning (exploration runs the others first) and named after the caller.
 */
static spinlock_t contended_lock;

static void holder_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	spin_lock(&contended_lock);
	sim_yield(20000);
	spin_unlock(&contended_lock);
}

static struct sim_op waiter_op;
static struct { unsigned int spins, spinning, other_func, stale; } seen;

static void waiter_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_yield(1000);
	sim_op_begin(&waiter_op, SIM_OP_OBJ_ALLOC);
	spin_lock(&contended_lock);
	spin_unlock(&contended_lock);
	sim_op_end(&waiter_op);
}

/* At each yield point of vCPU 1: a spin step is marked spinning and is the caller's own (the
 * steps table names the function), and no other yield is marked spinning. */
static void spin_step_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	(void)cost_ns;
	(void)arg;
	if (v->cpu != 1)
		return;
	if (sim->yield_kind == SIM_COST_LOCK_SPIN) {
		seen.spins++;
		seen.spinning += v->spinning;
		seen.other_func += !sim->yield_func || strcmp(sim->yield_func, "waiter_task");
	} else {
		seen.stale += v->spinning;
	}
}

Test(buddy_rules, a_contended_spinlock_counts_its_wait, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	struct sim_lockstat *st;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	spin_lock_init_named(&contended_lock, "rules-contended");
	cr_assert(ne(ptr, sim_task_create(0, true, 300, holder_task, NULL), NULL));
	cr_assert(ne(ptr, sim_task_create(1, true, 301, waiter_task, NULL), NULL));
	memset(&seen, 0, sizeof(seen));
	sim->step_hook = spin_step_hook;
	cr_assert(eq(int, sim_engine_run(), 0));
	sim->step_hook = NULL;
	st = sim_lockstat_at(contended_lock.id);
	cr_expect(eq(u64, st->acquired, 2));
	cr_expect(eq(u64, st->contended, 1));
	/* it waits from about 1 us to the release at about 20 us */
	cr_expect(lt(u64, 15000, st->wait_ns), "wait %llu", (unsigned long long)st->wait_ns);
	cr_expect(lt(u64, st->wait_ns, 20000), "wait %llu", (unsigned long long)st->wait_ns);
	cr_expect(eq(u64, st->max_wait_ns, st->wait_ns));
	cr_expect(eq(u64, waiter_op.lock_wait_ns, st->wait_ns), "the operation's lock wait");
	cr_expect(lt(uint, 0, seen.spins));
	cr_expect(eq(uint, seen.spinning, seen.spins));
	cr_expect(eq(uint, seen.other_func, 0));
	cr_expect(eq(uint, seen.stale, 0));
	cr_expect(le(u64, 20000, st->hold_ns));
	sim_engine_set_cpu(0);
}

/*
 * The compare-and-exchange primitives note each word they read, with the value they expect,
 * for a race run's steps table (sim->read_hook): cmpxchg_double both words, also when the
 * second does not match (and then writes neither); cmpxchg64 its one word.
 */
static struct { const void *addr[4]; uint64_t want[4]; int n; } noted;

static void note_hook(const void *addr, size_t size, const uint64_t *expected, void *arg)
{
	(void)arg;
	if (noted.n < 4 && size == 8 && expected) {
		noted.addr[noted.n] = addr;
		noted.want[noted.n++] = *expected;
	}
}

Test(buddy_rules, cmpxchg_notes_the_words_it_reads, .fini = down)
{
	uint64_t a = 1, b = 2;
	bool ok;

	up_64();
	sim->read_hook = note_hook;
	ok = sim_cmpxchg_double(&a, &b, 1, 2, 3, 4, SIM_GUARD_NONE);
	cr_expect(ok);
	cr_expect(eq(u64, a, 3));
	cr_expect(eq(u64, b, 4));
	cr_expect(eq(int, noted.n, 2));
	cr_expect(eq(ptr, (void *)noted.addr[0], (void *)&a));
	cr_expect(eq(u64, noted.want[0], 1));
	cr_expect(eq(ptr, (void *)noted.addr[1], (void *)&b));
	cr_expect(eq(u64, noted.want[1], 2));
	noted.n = 0;
	ok = sim_cmpxchg_double(&a, &b, 3, 5, 6, 7, SIM_GUARD_NONE);
	cr_expect(not(ok));
	cr_expect(eq(u64, a, 3));
	cr_expect(eq(u64, b, 4));
	cr_expect(eq(int, noted.n, 2));
	cr_expect(eq(ptr, (void *)noted.addr[1], (void *)&b));
	cr_expect(eq(u64, noted.want[1], 5));
	noted.n = 0;
	ok = sim_cmpxchg64(&a, 3, 9);
	cr_expect(ok);
	cr_expect(eq(u64, a, 9));
	cr_expect(eq(int, noted.n, 1));
	cr_expect(eq(ptr, (void *)noted.addr[0], (void *)&a));
	sim->read_hook = NULL;
}

/*
 * Every other primitive the models' locking is made of, run from a task (the engine running,
 * so each yield point reaches the step hook): how many yields, of which cost, named after the
 * caller (prim_task: the steps table's function column), the clock moved by exactly those
 * costs, and the IRQ, preemption and lock state after.  A primitive that closes a window
 * yields before acting, one that opens it acts then yields (primitives.c's header); the
 * guarded forms with their guard off only yield and count preemption.  The same for the
 * atomics, sim_access and cpu_relax; then in_interrupt (hardirq or softirq) and the topology
 * nr_cpus_node reads (0 for no such node).
 */
static struct { int n; int kind[4]; const char *func[4]; } ys;
static spinlock_t prim_lock;

static void prim_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	(void)cost_ns;
	(void)arg;
	if (v->curr && v->curr->pid == 400 && ys.n < 4) {
		ys.kind[ys.n] = sim->yield_kind;
		ys.func[ys.n++] = sim->yield_func;
	}
}

/* The yields since `t0` (reset by the caller): their costs, and the caller's name on each. */
static void expect_yields(const char *what, uint64_t t0, int n, int k0, int k1)
{
	const int kinds[2] = { k0, k1 };
	uint64_t cost = 0;

	cr_expect(eq(int, ys.n, n), "%s: yields", what);
	for (int i = 0; i < n && i < ys.n; i++) {
		cr_expect(eq(int, ys.kind[i], kinds[i]), "%s: yield %d", what, i);
		cr_expect(ys.func[i] && !strcmp(ys.func[i], "prim_task"), "%s: yield %d named %s", what, i,
			  ys.func[i] ? ys.func[i] : "(none)");
		cost += sim->cost[kinds[i]];
	}
	cr_expect(eq(u64, sim_now() - t0, cost), "%s: clock", what);
}

#define PRIM(what, call, nr, k0, k1) do { uint64_t t0_ = sim_now(); ys.n = 0; call; \
		expect_yields(what, t0_, nr, k0, k1); } while (0)

static void prim_task(struct sim_task *t, void *arg)
{
	const enum sim_guard g = SIM_GUARD_PCP_LOCK;
	unsigned long f = 7;
	local_lock_t ll = { -1 };
	int id = -1;
	uint64_t w[2] = { 0, 0 };
	bool ok;

	(void)arg;
	PRIM("spin_lock_guarded", spin_lock_guarded(&prim_lock, g), 1, SIM_COST_LOCK, 0);
	cr_expect(spin_is_locked(&prim_lock));
	cr_expect(eq(int, t->preempt_count, 1));
	PRIM("spin_unlock_guarded", spin_unlock_guarded(&prim_lock, g), 1, SIM_COST_LOCK, 0);
	cr_expect(not(spin_is_locked(&prim_lock)));
	cr_expect(eq(int, t->preempt_count, 0));
	sim->guard_off[g] = true;
	PRIM("spin_lock_guarded, guard off", spin_lock_guarded(&prim_lock, g), 1, SIM_COST_LOCK, 0);
	cr_expect(not(spin_is_locked(&prim_lock)));
	cr_expect(eq(int, t->preempt_count, 1));
	PRIM("spin_unlock_guarded, guard off", spin_unlock_guarded(&prim_lock, g), 1, SIM_COST_LOCK, 0);
	cr_expect(eq(int, t->preempt_count, 0));
	PRIM("local_irq_save_guarded, guard off", local_irq_save_guarded(&f, g), 1, SIM_COST_IRQ, 0);
	cr_expect(eq(ulong, f, 0));
	cr_expect(not(irqs_disabled()));
	PRIM("local_irq_restore_guarded, guard off", local_irq_restore_guarded(1, g), 1, SIM_COST_IRQ, 0);
	cr_expect(not(irqs_disabled()));
	sim->guard_off[g] = false;
	PRIM("local_irq_save_guarded", local_irq_save_guarded(&f, g), 1, SIM_COST_IRQ, 0);
	cr_expect(eq(ulong, f, 0));
	cr_expect(irqs_disabled());
	PRIM("local_irq_restore_guarded", local_irq_restore_guarded(f, g), 1, SIM_COST_IRQ, 0);
	cr_expect(not(irqs_disabled()));

	PRIM("spin_lock_irqsave", spin_lock_irqsave(&prim_lock, f), 2, SIM_COST_IRQ, SIM_COST_LOCK);
	cr_expect(eq(ulong, f, 0));
	cr_expect(irqs_disabled());
	cr_expect(spin_is_locked(&prim_lock));
	PRIM("spin_unlock_irqrestore", spin_unlock_irqrestore(&prim_lock, f), 2, SIM_COST_LOCK, SIM_COST_IRQ);
	cr_expect(not(irqs_disabled()));
	cr_expect(not(spin_is_locked(&prim_lock)));
	PRIM("spin_lock_irq", spin_lock_irq(&prim_lock), 2, SIM_COST_IRQ, SIM_COST_LOCK);
	cr_expect(irqs_disabled());
	cr_expect(spin_is_locked(&prim_lock));
	cr_expect(eq(int, t->preempt_count, 1));
	PRIM("spin_unlock_irq", spin_unlock_irq(&prim_lock), 2, SIM_COST_LOCK, SIM_COST_IRQ);
	cr_expect(not(irqs_disabled()));
	cr_expect(not(spin_is_locked(&prim_lock)));
	cr_expect(eq(int, t->preempt_count, 0));

	PRIM("local_irq_disable", local_irq_disable(), 1, SIM_COST_IRQ, 0);
	cr_expect(irqs_disabled());
	PRIM("local_irq_save, IRQs off", local_irq_save(f), 1, SIM_COST_IRQ, 0);
	cr_expect(eq(ulong, f, 1));
	PRIM("local_irq_restore, to off", local_irq_restore(f), 1, SIM_COST_IRQ, 0);
	cr_expect(irqs_disabled());
	PRIM("local_irq_enable", local_irq_enable(), 1, SIM_COST_IRQ, 0);
	cr_expect(not(irqs_disabled()));

	PRIM("preempt_disable", preempt_disable(), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->preempt_count, 1));
	PRIM("preempt_enable", preempt_enable(), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->preempt_count, 0));
	PRIM("migrate_disable", migrate_disable(), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->migrate_disable, 1));
	PRIM("migrate_enable", migrate_enable(), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->migrate_disable, 0));
	PRIM("local_lock", local_lock(&ll), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->preempt_count, 1));
	PRIM("local_unlock", local_unlock(&ll), 1, SIM_COST_PREEMPT, 0);
	cr_expect(eq(int, t->preempt_count, 0));
	PRIM("local_lock_irqsave", local_lock_irqsave(&ll, f), 1, SIM_COST_IRQ, 0);
	cr_expect(irqs_disabled());
	cr_expect(eq(ulong, f, 0));
	PRIM("local_unlock_irqrestore", local_unlock_irqrestore(&ll, f), 1, SIM_COST_IRQ, 0);
	cr_expect(not(irqs_disabled()));
	PRIM("smp_processor_id", id = smp_processor_id(), 1, SIM_COST_PERCPU, 0);
	cr_expect(eq(int, id, 0));
	PRIM("numa_node_id", id = numa_node_id(), 1, SIM_COST_PERCPU, 0);
	cr_expect(eq(int, id, 0));
	PRIM("sim_access", sim_access(-1), 1, SIM_COST_MEM, 0);
	PRIM("cpu_relax", cpu_relax(), 1, SIM_COST_LOCK_SPIN, 0);
	PRIM("sim_cmpxchg64", ok = sim_cmpxchg64(&w[0], 0, 5), 1, SIM_COST_CMPXCHG, 0);
	cr_expect(ok);
	PRIM("sim_cmpxchg_double", ok = sim_cmpxchg_double(&w[0], &w[1], 5, 0, 6, 7, SIM_GUARD_NONE), 1,
	     SIM_COST_CMPXCHG_DOUBLE, 0);
	cr_expect(ok);
	PRIM("sim_this_cpu_cmpxchg_double", ok = sim_this_cpu_cmpxchg_double(&w[0], &w[1], 6, 7, 8, 9, SIM_GUARD_NONE),
	     1, SIM_COST_CMPXCHG_DOUBLE, 0);
	cr_expect(ok);
	PRIM("sim_this_cpu_cmpxchg_double_pcpu", ok = sim_this_cpu_cmpxchg_double_pcpu(w, sizeof(w), 0, 8, 8, 9, 1, 2,
											  SIM_GUARD_NONE),
	     1, SIM_COST_CMPXCHG_DOUBLE, 0);
	cr_expect(ok);
	cr_expect(eq(u64, w[0], 1));
	cr_expect(eq(u64, w[1], 2));
	/* in_interrupt: hardirq or softirq context */
	cr_expect(not(in_interrupt()));
	cr_expect(in_task());
	sim->cur->softirq = 1;
	cr_expect(in_interrupt());
	cr_expect(not(in_task()));
	sim->cur->softirq = 0;
	sim->cur->hardirq = 1;
	cr_expect(in_interrupt());
	sim->cur->hardirq = 0;
}

Test(buddy_rules, each_primitive_yields_its_costs_and_leaves_its_state, .fini = down)
{
	up_64();
	spin_lock_init_named(&prim_lock, "rules-prim");
	memset(&ys, 0, sizeof(ys));
	cr_assert(ne(ptr, sim_task_create(0, true, 400, prim_task, NULL), NULL));
	sim->step_hook = prim_hook;
	cr_assert(eq(int, sim_engine_run(), 0));
	sim->step_hook = NULL;
	cr_expect(eq(u64, sim_lockstat_at(prim_lock.id)->acquired, 3));
	sim_engine_set_cpu(0);
	/* the topology: one node of one vCPU; no other node has a vCPU */
	cr_expect(eq(int, nr_cpus_node(0), 1));
	cr_expect(eq(int, nr_cpus_node(1), 0));
	cr_expect(eq(int, nr_cpus_node(-1), 0));
	cr_expect(eq(int, nr_cpus_node(SIM_MAX_NODES), 0));
}

/*
 * local_lock_t under lockdep (include/linux/local_lock_internal.h, 6.1: local_lock_acquire sets
 * l->owner = current at :31, local_lock_release sets it back to NULL at :37): the owner is the
 * one inside the section, and none once it left, whether the section keeps IRQs (local_lock)
 * or saves and restores them (local_lock_irqsave).  In the model the owner is the vCPU, -1 for
 * none; vCPU 1 so that an owner of 0 is not taken for it.
 */
Test(buddy_rules, local_lock_owner_is_the_vcpu_inside_the_section, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	local_lock_t l = { .owner = -1 };
	unsigned long flags;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(1);
	local_lock(&l);
	cr_expect(eq(int, l.owner, 1), "local_lock");
	local_unlock(&l);
	cr_expect(eq(int, l.owner, -1), "local_unlock");
	local_lock_irqsave(&l, flags);
	cr_expect(eq(int, l.owner, 1), "local_lock_irqsave");
	cr_expect(irqs_disabled());
	local_unlock_irqrestore(&l, flags);
	cr_expect(eq(int, l.owner, -1), "local_unlock_irqrestore");
	cr_expect(not(irqs_disabled()));
	cr_expect(eq(int, preempt_count(), 0));
}

/*
 * A spinlock's owner CPU under CONFIG_DEBUG_SPINLOCK (kernel/locking/spinlock_debug.c, 6.1):
 * -1 once initialised (__raw_spin_lock_init, :29), the CPU that took it (debug_spin_lock_after,
 * :93), -1 again once released (debug_spin_unlock, :105).
 */
Test(buddy_rules, spinlock_owner_is_the_cpu_holding_it, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	spinlock_t l;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	memset(&l, 0, sizeof(l));
	spin_lock_init_named(&l, "owner-lock");
	cr_expect(eq(int, l.owner, -1), "initialised");
	sim_engine_set_cpu(1);
	spin_lock(&l);
	cr_expect(eq(int, l.owner, 1), "taken by vCPU 1");
	spin_unlock(&l);
	cr_expect(eq(int, l.owner, -1), "released");
}
