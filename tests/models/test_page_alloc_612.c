/*
 * test_page_alloc_612.c - the zone side of the page allocator
 * (models/buddy/6.12/page_alloc.c, and 6.1/page_alloc.c where the rule is
 * the same) against mm/page_alloc.c, suite `page_alloc_612`: ALLOC_NOFRAGMENT
 * (a whole block of the lower zone before a fragmenting fallback, locality
 * before both), a movable request that may not claim, the highatomic reserve
 * given back and taken by non-blocking requests only, ZONE_MOVABLE's min
 * watermark, __GFP_MEMALLOC below min.
 *
 * Strategy: crafted machines (helper_buddy_crafted_up: pageblock_order 10,
 * no THP, tiny watermarks) whose zones are filled with movable compound
 * blocks down to one free order-7 piece, or fragmented, then one request
 * and what it took, where from, and through which labels.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct page *owned[16384 + 4096];

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static struct zone *Z(int nid, int zid)
{
	return &NODE_DATA(nid)->node_zones[zid];
}

#define has_label helper_slab_op_has_label

static void up(enum kernel_version v, int nr_nodes, const uint64_t (*zone_mib)[4])
{
	sc = helper_buddy_crafted_up(v, nr_nodes, zone_mib);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * Zone zid of node nid filled by movable compound blocks (order 9 in pairs, then 9, 8, 7 in
 * the last pageblock) but one free order-7 piece: 128 free pages on the MOVABLE list of a
 * MOVABLE pageblock whose other pages are movable and in use.  `gfp` picks the zone.
 */
static void fill_but_one_order7(int nid, int zid, unsigned int gfp)
{
	gfp |= __GFP_MOVABLE | __GFP_COMP;
	while (buddy_zone_free_pages(nid, zid) > 1024) {
		struct page *page = helper_buddy_alloc(0, nid, gfp, 9, NULL);

		cr_assert(ne(ptr, (void *)page, NULL));
		cr_assert(eq(ptr, (void *)page_zone(page), (void *)Z(nid, zid)));
	}
	cr_assert(eq(u64, buddy_zone_nr_free_mt(nid, zid, 10, MIGRATE_MOVABLE), 1));
	for (unsigned int order = 9; order >= 7; order--)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, nid, gfp, order, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(nid, zid), 128));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(nid, zid, 7, MIGRATE_MOVABLE), 1));
}

/*
 * alloc_flags_nofragment: a request whose preferred zone is ZONE_NORMAL, with DMA32 populated
 * on the node, carries ALLOC_NOFRAGMENT; __rmqueue_claim (6.12) / __rmqueue_fallback (6.1) then
 * fall back only on whole pageblocks (min_order = pageblock_order) and __rmqueue does not
 * steal a piece, so the Normal zone with only a partial MOVABLE block free gives nothing
 * (rmqueue_buddy returns NULL though its watermark passed) and get_page_from_freelist goes on
 * to DMA32, which claims a whole free block: the request is served there, one zone down.
 */
static void nofragment_goes_one_zone_down(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	struct sim_op op;
	struct page *page;

	up(v, 1, (const uint64_t (*)[4])zones);
	fill_but_one_order7(0, ZONE_NORMAL, GFP_KERNEL);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(ptr, (void *)page_zone(page), (void *)Z(0, ZONE_DMA32)));
	cr_assert(has_label(&op, "get_page_from_freelist:other_zone"));
	cr_assert(eq(int, op.level, 5));
	cr_assert(not(has_label(&op, "get_page_from_freelist:retry_nofragment")));
	/* the Normal zone's partial block was not touched */
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_NORMAL), 128));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_NORMAL, 7, MIGRATE_MOVABLE), 1));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE), "the whole block was claimed");
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, nofragment_takes_a_whole_block_one_zone_down_6_12, .fini = down)
{
	nofragment_goes_one_zone_down(KERNEL_6_12);
}

Test(page_alloc_612, nofragment_takes_a_whole_block_one_zone_down_6_1, .fini = down)
{
	nofragment_goes_one_zone_down(KERNEL_6_1);
}

/*
 * Both zones of the node with only a partial MOVABLE block free: no zone serves the request
 * under ALLOC_NOFRAGMENT, and get_page_from_freelist walks the zonelist again without it
 * ("every zone is fragmented"); the preferred Normal zone then falls back on its piece.
 */
static void nofragment_dropped_when_every_zone_is_fragmented(enum kernel_version v, struct sim_op *op)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	struct page *page;

	up(v, 1, (const uint64_t (*)[4])zones);
	fill_but_one_order7(0, ZONE_NORMAL, GFP_KERNEL);
	fill_but_one_order7(0, ZONE_DMA32, GFP_DMA32);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(ptr, (void *)page_zone(page), (void *)Z(0, ZONE_NORMAL)));
	cr_assert(has_label(op, "get_page_from_freelist:retry_nofragment"));
	cr_assert(eq(int, op->level, 4));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_MOVABLE), "128 free of 1024: not claimed");
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 128));
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, nofragment_dropped_when_every_zone_is_fragmented_6_12, .fini = down)
{
	struct sim_op op;

	nofragment_dropped_when_every_zone_is_fragmented(KERNEL_6_12, &op);
	cr_assert(has_label(&op, "__rmqueue_steal"));
	cr_assert(not(has_label(&op, "try_to_steal_block:claim_block")));
}

Test(page_alloc_612, nofragment_dropped_when_every_zone_is_fragmented_6_1, .fini = down)
{
	struct sim_op op;

	nofragment_dropped_when_every_zone_is_fragmented(KERNEL_6_1, &op);
	cr_assert(has_label(&op, "__rmqueue_fallback"));
}

/*
 * get_page_from_freelist: "locality is more important than avoiding fragmentation" -- under
 * ALLOC_NOFRAGMENT, the first zone of another node ends the walk and restarts it without the
 * flag, so the local Normal zone's piece is taken rather than node 1's free blocks.
 */
static void locality_before_nofragment(enum kernel_version v)
{
	uint64_t zones[2][4] = { { 0, 64, 64, 0 }, { 0, 64, 64, 0 } };
	struct sim_op op;
	struct page *page;

	up(v, 2, (const uint64_t (*)[4])zones);
	fill_but_one_order7(0, ZONE_NORMAL, GFP_KERNEL);
	fill_but_one_order7(0, ZONE_DMA32, GFP_DMA32);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(ptr, (void *)page_zone(page), (void *)Z(0, ZONE_NORMAL)));
	cr_assert(has_label(&op, "get_page_from_freelist:retry_nofragment"));
	cr_assert(eq(u64, buddy_zone_free_pages(1, ZONE_NORMAL) + buddy_zone_free_pages(1, ZONE_DMA32),
		     (uint64_t)(Z(1, ZONE_NORMAL)->managed_pages + Z(1, ZONE_DMA32)->managed_pages)),
		  "node 1 untouched");
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, locality_before_nofragment_6_12, .fini = down)
{
	locality_before_nofragment(KERNEL_6_12);
}

Test(page_alloc_612, locality_before_nofragment_6_1, .fini = down)
{
	locality_before_nofragment(KERNEL_6_1);
}

/*
 * The same walk on two nodes: only a zone of ANOTHER node ends the ALLOC_NOFRAGMENT walk
 * (get_page_from_freelist: zone_to_nid(zone) != local_nid), so the local DMA32 zone, one
 * zone down on the preferred node, still claims a whole free block under the flag, with no
 * retry; node 1 is not reached.
 */
static void nofragment_goes_one_zone_down_on_two_nodes(enum kernel_version v)
{
	uint64_t zones[2][4] = { { 0, 64, 64, 0 }, { 0, 64, 64, 0 } };
	struct sim_op op;
	struct page *page;

	up(v, 2, (const uint64_t (*)[4])zones);
	fill_but_one_order7(0, ZONE_NORMAL, GFP_KERNEL);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(ptr, (void *)page_zone(page), (void *)Z(0, ZONE_DMA32)));
	cr_assert(not(has_label(&op, "get_page_from_freelist:retry_nofragment")));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_NORMAL, 7, MIGRATE_MOVABLE), 1));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE), "the whole block was claimed");
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, nofragment_stays_on_the_node_6_12, .fini = down)
{
	nofragment_goes_one_zone_down_on_two_nodes(KERNEL_6_12);
}

Test(page_alloc_612, nofragment_stays_on_the_node_6_1, .fini = down)
{
	nofragment_goes_one_zone_down_on_two_nodes(KERNEL_6_1);
}

/*
 * A movable request when only small (order-3) pieces of UNMOVABLE blocks are free: a movable
 * allocation may claim a block only from order pageblock_order / 2 = 5 up (can_steal_fallback),
 * so 6.12's __rmqueue_claim stops at the first fallback it finds (order 3, !can_steal) and
 * __rmqueue_steal takes one piece; 6.1's __rmqueue_fallback goes to find_smallest and moves
 * that one piece.  Either way the pageblock stays UNMOVABLE.
 */
static void movable_may_not_claim(enum kernel_version v, struct sim_op *op)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct page *page;

	up(v, 1, (const uint64_t (*)[4])zones);
	helper_buddy_fragment_zone(GFP_KERNEL, 3, owned, sizeof(owned) / sizeof(owned[0]));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_MOVABLE), 0));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 0, op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op->level, 4));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_MOVABLE), 0));
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, movable_may_not_claim_below_order_5_6_12, .fini = down)
{
	struct sim_op op;

	movable_may_not_claim(KERNEL_6_12, &op);
	cr_assert(has_label(&op, "__rmqueue_steal"));
	cr_assert(not(has_label(&op, "try_to_steal_block")));
}

Test(page_alloc_612, movable_may_not_claim_below_order_5_6_1, .fini = down)
{
	struct sim_op op;

	movable_may_not_claim(KERNEL_6_1, &op);
	cr_assert(has_label(&op, "__rmqueue_fallback:find_smallest"));
}

/* An order-4 GFP_ATOMIC page from a fresh UNMOVABLE block, whose block then becomes HIGHATOMIC
 * (get_page_from_freelist's reserve_highatomic_pageblock, called as it calls it). */
/* KOPS(buddy)->unreserve_highatomic_pageblock, as the slow path calls it */
static bool unreserve(const struct alloc_context *ac, bool force)
{
	return KOPS(buddy)->unreserve_highatomic_pageblock(ac, force);
}

static struct page *reserve_one_block(void)
{
	struct page *page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 4, NULL);

	cr_assert(ne(ptr, (void *)page, NULL));
	KOPS(buddy)->reserve_highatomic_pageblock(page, page_zone(page), 4);
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	return page;
}

/*
 * unreserve_highatomic_pageblock (mm/page_alloc.c 6.12), on a 1 GiB zone (reserve limit 3072):
 *  - not forced, it leaves a zone holding one pageblock or less;
 *  - it gives back the block of the lowest-order free HIGHATOMIC page: the reserve drops by
 *    max(pageblock, 2^order) = 1024, the block's 1008 free pages move to the caller's type;
 *  - a whole free reserved block (order 10) changes type in one move;
 *  - nothing reserved and free: false.
 */
Test(page_alloc_612, unreserve_highatomic_gives_blocks_back, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 1024, 0, 0 } };
	struct alloc_context ac;
	struct zone *zone;
	struct page *p0, *p1;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_MOVABLE);
	p0 = reserve_one_block();
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 1024));
	cr_assert(not(unreserve(&ac, false)), "one block is kept");
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 1024));

	p1 = reserve_one_block();
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 2048));
	cr_assert(eq(u64, zone->nr_free_highatomic, 2 * 1008));
	cr_assert(unreserve(&ac, false));
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 1024));
	cr_assert(eq(u64, zone->nr_free_highatomic, 1008));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 1));

	/* free the page of the block still reserved: it is one free order-10 HIGHATOMIC block */
	if (get_pageblock_migratetype(p0) == MIGRATE_HIGHATOMIC) {
		helper_buddy_free(0, p0, 4, NULL);
		p0 = NULL;
	} else {
		helper_buddy_free(0, p1, 4, NULL);
		p1 = NULL;
	}
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 1));
	cr_assert(unreserve(&ac, true));
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 0));
	cr_assert(eq(u64, zone->nr_free_highatomic, 0));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 0));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 0));
	cr_assert(not(unreserve(&ac, true)));
	helper_buddy_free(0, p0 ? p0 : p1, 4, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * rmqueue_buddy (mm/page_alloc.c 6.12): when __rmqueue finds nothing, only a request with
 * ALLOC_NON_BLOCK or ALLOC_OOM falls back on the highatomic reserve; the watermark check
 * likewise counts the reserve's free pages only with reserve rights
 * (__zone_watermark_unusable_free).  A 1 GiB zone with one reserved
 * block and nothing else free: a GFP_ATOMIC order-0 page comes from the reserve (slow path:
 * ALLOC_NON_BLOCK), a GFP_KERNEL one does not.
 */
static void only_non_blocking_requests_take_the_reserve(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 1024, 0, 0 } };
	unsigned long wmark[NR_WMARK];
	struct zone *zone;
	struct sim_op op;
	struct page *page;

	up(v, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	reserve_one_block();
	memcpy(wmark, zone->_watermark, sizeof(wmark));
	memset(zone->_watermark, 0, sizeof(zone->_watermark));
	for (int order = 10; order >= 0; order--)
		while (helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_NORETRY | __GFP_NOWARN,
					  (unsigned int)order, NULL))
			;
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), 1008), "only the reserve is free");

	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0, &op);
	cr_assert(eq(ptr, (void *)page, NULL));

	page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	memcpy(zone->_watermark, wmark, sizeof(wmark));
}

Test(page_alloc_612, only_non_blocking_requests_take_the_highatomic_reserve, .fini = down)
{
	only_non_blocking_requests_take_the_reserve(KERNEL_6_12);
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 1007));
}

/*
 * A high-order GFP_ATOMIC request on the slow path (ALLOC_HIGHATOMIC | ALLOC_NON_BLOCK, the min
 * watermark lowered by ALLOC_MIN_RESERVE and ALLOC_NON_BLOCK) tries the highatomic lists first
 * (rmqueue_buddy); with no reserve it goes on to __rmqueue.  Low lifted above what is free so
 * that the fast path fails; min 100 below it.
 */
Test(page_alloc_612, highatomic_first_then_the_normal_lists, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct zone *zone;
	struct sim_op op;
	struct page *page;
	unsigned long freep;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	freep = zone_page_state(zone, NR_FREE_PAGES);
	zone->_watermark[WMARK_MIN] = freep - 100;
	zone->_watermark[WMARK_LOW] = freep + 200;
	zone->_watermark[WMARK_HIGH] = freep + 300;
	page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 0), "1%% of 64 MiB is less than a pageblock");
}

/*
 * try_to_steal_block (6.12) and steal_suitable_fallback (6.1 mm/page_alloc.c:2818-2819) boost
 * the watermarks on a fallback below pageblock_order (boost_watermark: by a pageblock, at
 * most max(high * 150%, a pageblock)) unless the zone is smaller than four pageblocks; "if
 * (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))" the boost is flagged for kswapd
 * (ZONE_BOOSTED_WATERMARK), and rmqueue then clears the flag and wakes it (wakeup_kswapd
 * notes the zone in kswapd_highest_zoneidx).  The unmovable fallback of fill_but_one_order7's
 * zone, with and without __GFP_KSWAPD_RECLAIM: kswapd is woken only with a boost and the
 * right to wake it.
 */
static void boost_on_fallback(enum kernel_version v, uint64_t mib, bool kswapd, unsigned long want_boost)
{
	uint64_t zones[1][4] = { { 0, 0, 0, 0 } };
	unsigned int gfp = kswapd ? GFP_KERNEL : GFP_KERNEL & ~__GFP_KSWAPD_RECLAIM;
	struct zone *zone;
	struct sim_op op;

	zones[0][ZONE_DMA32] = mib;
	up(v, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	fill_but_one_order7(0, ZONE_DMA32, GFP_KERNEL);
	zone->watermark_boost = 0;
	zone->zone_pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, gfp, 1, &op), NULL));
	cr_assert(has_label(&op, v == KERNEL_6_12 ? "try_to_steal_block" : "steal_suitable_fallback"));
	cr_assert(eq(u64, zone->watermark_boost, want_boost));
	cr_assert(not(test_bit_zone(ZONE_BOOSTED_WATERMARK, zone)));
	cr_assert(eq(int, (int)zone->zone_pgdat->kswapd_highest_zoneidx,
		     kswapd && want_boost ? ZONE_DMA32 : MAX_NR_ZONES), "kswapd woken for the boost");
}

Test(page_alloc_612, a_fallback_boosts_the_watermarks, .fini = down)
{
	boost_on_fallback(KERNEL_6_12, 64, false, 1024);
}

Test(page_alloc_612, no_boost_below_four_pageblocks, .fini = down)
{
	boost_on_fallback(KERNEL_6_12, 8, false, 0);
}

Test(page_alloc_612, a_boost_wakes_kswapd_6_12, .fini = down)
{
	boost_on_fallback(KERNEL_6_12, 64, true, 1024);
	helper_buddy_machine_down(sc);
	sc = NULL;
	boost_on_fallback(KERNEL_6_12, 8, true, 0);
}

Test(page_alloc_612, a_fallback_boosts_and_wakes_kswapd_6_1, .fini = down)
{
	boost_on_fallback(KERNEL_6_1, 64, false, 1024);
	helper_buddy_machine_down(sc);
	sc = NULL;
	boost_on_fallback(KERNEL_6_1, 64, true, 1024);
	helper_buddy_machine_down(sc);
	sc = NULL;
	boost_on_fallback(KERNEL_6_1, 8, true, 0);
}

/*
 * __setup_per_zone_wmarks (mm/page_alloc.c 6.12): ZONE_MOVABLE's min is managed / 1024 clamped
 * to [SWAP_CLUSTER_MAX, 128]; the gaps above it still follow the zone's share of pages_min:
 *   pages_min = 128 KiB / 4 = 32; tmp = 32 * managed / lowmem (DMA32's managed pages);
 *   gap = max(tmp / 4, managed * 10 / 10000); low = min + gap, high = low + gap, promo = high + gap.
 * 1 GiB of Movable: 262144 / 1024 = 256, so min is 128.
 */
Test(page_alloc_612, movable_min_is_capped_at_128, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 1024 } };
	struct zone *mz;
	unsigned long m, l, tmp, wsf, gap;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	mz = Z(0, ZONE_MOVABLE);
	m = mz->managed_pages;
	l = Z(0, ZONE_DMA32)->managed_pages;
	cr_assert(ge(u64, m / 1024, 128));
	tmp = (unsigned long)((uint64_t)32 * m / l);
	wsf = m / 10000 * 10 + m % 10000 * 10 / 10000;
	gap = tmp >> 2 > wsf ? tmp >> 2 : wsf;
	cr_assert(eq(u64, min_wmark_pages(mz), 128));
	cr_assert(eq(u64, low_wmark_pages(mz), 128 + gap));
	cr_assert(eq(u64, high_wmark_pages(mz), 128 + 2 * gap));
	cr_assert(eq(u64, mz->_watermark[WMARK_PROMO], 128 + 3 * gap));
}

/*
 * __GFP_MEMALLOC: __gfp_pfmemalloc_flags gives ALLOC_NO_WATERMARKS, and get_page_from_freelist
 * (6.12) takes a page from a zone that fails even its min watermark; prep_new_page marks it
 * pfmemalloc.  The same request without __GFP_MEMALLOC (and no retry) fails.
 */
Test(page_alloc_612, memalloc_ignores_the_watermarks, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct zone *zone;
	struct sim_op op;
	struct page *page;
	unsigned long freep;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	freep = zone_page_state(zone, NR_FREE_PAGES);
	zone->_watermark[WMARK_MIN] = freep + 100;
	zone->_watermark[WMARK_LOW] = freep + 200;
	zone->_watermark[WMARK_HIGH] = freep + 300;
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 2, &op), NULL));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MEMALLOC, 2, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(ne(u32, page->flags & PG_pfmemalloc, 0));
	/* served on the slow path's retry, where the reserve flags apply */
	cr_assert(has_label(&op, "__alloc_pages_slowpath:retry"));
	cr_assert(not(zone_watermark_ok(zone, 0, min_wmark_pages(zone), ZONE_NORMAL, ALLOC_WMARK_MIN)));
}

/*
 * 6.1's unreserve_highatomic_pageblock (mm/page_alloc.c 6.1): the same choices with 6.1's
 * reserve limit (1% + a pageblock: 163 + 1024 on 64 MiB, so a second block fits): not forced,
 * one block is kept; the block of the lowest-order free HIGHATOMIC page goes back to the
 * caller's type, the reserve dropping by a pageblock; forced, the last one too.
 */
Test(page_alloc_612, unreserve_highatomic_gives_blocks_back_6_1, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct alloc_context ac;
	struct zone *zone;

	up(KERNEL_6_1, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_MOVABLE);
	reserve_one_block();
	cr_assert(not(unreserve(&ac, false)), "one block is kept");
	reserve_one_block();
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 2048));
	cr_assert(unreserve(&ac, false));
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 1024));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 1));
	cr_assert(unreserve(&ac, true));
	cr_assert(eq(u64, zone->nr_reserved_highatomic, 0));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 0));
	cr_assert(not(unreserve(&ac, true)));
	cr_assert(buddy_check(stderr));
}

/*
 * __alloc_pages_slowpath's nopage (mm/page_alloc.c 6.1): a __GFP_NOFAIL request that cannot
 * reclaim directly is a caller bug (WARN_ON_ONCE_GFP) and fails; one that can is helped by
 * __alloc_pages_may_oom (ALLOC_NO_WATERMARKS when nothing was killed) and, failing that, by
 * __alloc_pages_cpuset_fallback with ALLOC_MIN_RESERVE.  On a zone with no free page at all
 * both fail: the kernel would loop for ever, the model gives up after one more round.
 */
Test(page_alloc_612, nofail_on_a_full_zone, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	unsigned long wmark[NR_WMARK];
	struct zone *zone;
	struct sim_op op;
	struct page *page;

	up(KERNEL_6_1, 1, (const uint64_t (*)[4])zones);
	zone = Z(0, ZONE_DMA32);
	memcpy(wmark, zone->_watermark, sizeof(wmark));
	memset(zone->_watermark, 0, sizeof(zone->_watermark));
	while (helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 0, NULL))
		;
	drain_all_pages();
	while (helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 0, NULL))
		;
	memcpy(zone->_watermark, wmark, sizeof(wmark));
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), 0));

	page = helper_buddy_alloc(0, 0, GFP_NOWAIT | __GFP_NOFAIL, 0, &op);
	cr_assert(eq(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "warn_alloc"));
	cr_assert(not(has_label(&op, "__alloc_pages_slowpath:nofail_gave_up")));

	/* (the path is full long before: the labels kept are the first SIM_PATH_MAX) */
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NOFAIL, 0, &op);
	cr_assert(eq(ptr, (void *)page, NULL));
	cr_assert(op.failed);
}

/*
 * PGALLOC counts pages, the NUMA events allocations, on both ways out of rmqueue (6.12
 * mm/page_alloc.c rmqueue_buddy and rmqueue_pcplist: __count_zid_vm_events(PGALLOC, ...,
 * 1 << order) then zone_statistics(preferred_zone, zone, 1); 6.1 the same).  One node: an
 * order-4 request (above PAGE_ALLOC_COSTLY_ORDER: rmqueue_buddy) adds 16 pages and one
 * NUMA_HIT / NUMA_LOCAL, an order-0 one (the pcp) 1 page and one more of each.
 */
static void pgalloc_counts_pages(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct buddy_zone_info zi;
	uint64_t pgalloc, hit, local;
	struct sim_op op;

	up(v, 1, (const uint64_t (*)[4])zones);
	buddy_zone_info(0, ZONE_DMA32, &zi);
	pgalloc = zi.pgalloc;
	hit = zi.numa_hit;
	local = zi.numa_local;
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op), NULL));
	cr_assert(has_label(&op, "rmqueue_buddy"));
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_expect(eq(u64, zi.pgalloc - pgalloc, 16));
	cr_expect(eq(u64, zi.numa_hit - hit, 1));
	cr_expect(eq(u64, zi.numa_local - local, 1));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(has_label(&op, "rmqueue_pcplist"));
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_expect(eq(u64, zi.pgalloc - pgalloc, 17));
	cr_expect(eq(u64, zi.numa_hit - hit, 2));
	cr_expect(eq(u64, zi.numa_local - local, 2));
	cr_expect(eq(u64, zi.numa_miss + zi.numa_foreign + zi.numa_other, 0));
}

Test(page_alloc_612, pgalloc_counts_pages_numa_events_count_allocations_6_12, .fini = down)
{
	pgalloc_counts_pages(KERNEL_6_12);
}

Test(page_alloc_612, pgalloc_counts_pages_numa_events_count_allocations_6_1, .fini = down)
{
	pgalloc_counts_pages(KERNEL_6_1);
}

/*
 * An unmovable request claims a reclaimable block only when at least half of it is free
 * (6.12 try_to_claim_block / 6.1 steal_suitable_fallback: free_pages + alike_pages >=
 * 1 << (pageblock_order - 1), where alike_pages is 0 for a block that is neither the
 * request's type nor MOVABLE).  Crafted machine (pageblock_order 10: half is 512): a
 * reclaimable order-9 request claims a whole free block R and takes its first half; then
 * `extra` more pages (an order-0 reclaimable request, its pcp refill drained back) and every
 * MOVABLE block taken, so R is the only free memory.  An unmovable order-4 request falls
 * back to R: with 512 free it claims the block (UNMOVABLE after), with 511 it does not
 * (still RECLAIMABLE), and is served either way.
 */
static void claim_at_half_free(enum kernel_version v, int extra)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct page *r, *page;
	struct sim_op op;

	up(v, 1, (const uint64_t (*)[4])zones);
	r = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_RECLAIMABLE, 9, NULL);
	cr_assert(ne(ptr, (void *)r, NULL));
	cr_assert(eq(int, get_pageblock_migratetype(r), MIGRATE_RECLAIMABLE));
	for (int i = 0; i < extra; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_RECLAIMABLE, 0, NULL), NULL));
	drain_all_pages();
	while (buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_MOVABLE))
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), (uint64_t)(512 - extra)));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(u64, page_to_pfn(page) >> 10, page_to_pfn(r) >> 10), "served from R");
	cr_expect(eq(int, get_pageblock_migratetype(r), extra ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE));
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, unmovable_claims_a_reclaimable_block_half_free_6_12, .fini = down)
{
	claim_at_half_free(KERNEL_6_12, 0);
}

Test(page_alloc_612, unmovable_leaves_a_reclaimable_block_one_short_of_half_6_12, .fini = down)
{
	claim_at_half_free(KERNEL_6_12, 1);
}

Test(page_alloc_612, unmovable_claims_a_reclaimable_block_half_free_6_1, .fini = down)
{
	claim_at_half_free(KERNEL_6_1, 0);
}

Test(page_alloc_612, unmovable_leaves_a_reclaimable_block_one_short_of_half_6_1, .fini = down)
{
	claim_at_half_free(KERNEL_6_1, 1);
}

/*
 * A movable request counts the block's movable pages as alike, a reclaimable one the pages
 * neither free nor movable of a MOVABLE block (6.12 try_to_claim_block, 6.1
 * steal_suitable_fallback: alike_pages =
 * movable_pages for start_type MIGRATE_MOVABLE, pageblock_nr_pages - (free + movable) for a
 * MOVABLE block).  Crafted 6.12 machine (half a block: 512): a movable compound order-9
 * request takes the first half of block B, every other MOVABLE block is taken; a reclaimable
 * order-4 request falls back to B's free half: 512 free + 0 alike (its other half is movable)
 * claims it, RECLAIMABLE with 512 movable pages in it.  `more` reclaimable order-4 requests
 * then leave 496 - 16 * more free (the boost of the first fallback reset, as kswapd would),
 * and a movable compound order-5 request, which finds no
 * MOVABLE list, falls back to B: fewer than 512 free, but with the 512 movable pages alike it
 * claims the block back (MOVABLE after).
 */
static void claims_count_alike_pages(enum kernel_version v, int more)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	const char *claim = v == KERNEL_6_1 ? "steal_suitable_fallback:claim_block" : "try_to_steal_block:claim_block";
	struct page *b, *page;
	struct sim_op op;

	up(v, 1, (const uint64_t (*)[4])zones);
	b = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_COMP, 9, NULL);
	cr_assert(ne(ptr, (void *)b, NULL));
	while (buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_MOVABLE))
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 512));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_RECLAIMABLE, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(u64, page_to_pfn(page) >> 10, page_to_pfn(b) >> 10));
	cr_expect(has_label(&op, claim));
	cr_expect(eq(int, get_pageblock_migratetype(b), MIGRATE_RECLAIMABLE));
	/* the fallback boosted the watermarks (boost_watermark) above what is free: kswapd's reset */
	cr_assert(lt(u64, 0, Z(0, ZONE_DMA32)->watermark_boost));
	Z(0, ZONE_DMA32)->watermark_boost = 0;
	for (int i = 0; i < more; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_RECLAIMABLE, 4, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), (uint64_t)(496 - 16 * more)));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_COMP, 5, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(u64, page_to_pfn(page) >> 10, page_to_pfn(b) >> 10), "served from B");
	cr_expect(has_label(&op, claim));
	cr_expect(eq(int, get_pageblock_migratetype(b), MIGRATE_MOVABLE));
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, claims_count_alike_pages_6_12, .fini = down)
{
	claims_count_alike_pages(KERNEL_6_12, 0);
	helper_buddy_machine_down(sc);
	claims_count_alike_pages(KERNEL_6_12, 15);
}

/* 6.1's steal_suitable_fallback counts alike pages the same way */
Test(page_alloc_612, claims_count_alike_pages_6_1, .fini = down)
{
	claims_count_alike_pages(KERNEL_6_1, 0);
	helper_buddy_machine_down(sc);
	claims_count_alike_pages(KERNEL_6_1, 15);
}

/*
 * Only movable pages are alike for a movable request (6.12 prep_move_freepages_block, 6.1
 * move_freepages: "if (PageLRU(page) || __PageMovable(page)) (*num_movable)++", an in-use
 * page allocated movable in the model, a compound tail counting as its head).  Block B
 * claimed by a first unmovable order-4 request, then 38 order-4 unmovable (37 of them
 * compound) pages in it (608 in use, 416 free in pieces of order 8,
 * 7 and 5) and every other block taken by movable order-10 requests: a movable compound
 * order-5 request falls back to B with 416 free + 0 alike < 512, so nobody claims B, which
 * stays UNMOVABLE (608 unmovable pages are not alike).
 */
static void unmovable_pages_are_not_alike(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	const char *claim = v == KERNEL_6_1 ? "steal_suitable_fallback:claim_block" : "try_to_steal_block:claim_block";
	struct page *b, *page;
	struct sim_op op;

	up(v, 1, (const uint64_t (*)[4])zones);
	b = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)b, NULL));
	cr_assert(eq(int, get_pageblock_migratetype(b), MIGRATE_UNMOVABLE));
	for (int i = 1; i < 38; i++) {
		page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 4, NULL);
		cr_assert(ne(ptr, (void *)page, NULL));
		cr_assert(eq(u64, page_to_pfn(page) >> 10, page_to_pfn(b) >> 10), "unmovable page %d in B", i);
	}
	Z(0, ZONE_DMA32)->watermark_boost = 0;	/* the first fallback's boost: kswapd's reset */
	while (buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_MOVABLE))
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 416));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_COMP, 5, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(u64, page_to_pfn(page) >> 10, page_to_pfn(b) >> 10), "served from B");
	cr_expect(not(has_label(&op, claim)));
	cr_expect(eq(int, get_pageblock_migratetype(b), MIGRATE_UNMOVABLE));
	cr_assert(buddy_check(stderr));
}

Test(page_alloc_612, unmovable_pages_are_not_alike_for_movable_6_12, .fini = down)
{
	unmovable_pages_are_not_alike(KERNEL_6_12);
}

Test(page_alloc_612, unmovable_pages_are_not_alike_for_movable_6_1, .fini = down)
{
	unmovable_pages_are_not_alike(KERNEL_6_1);
}

/*
 * __move_freepages_block (6.12 mm/page_alloc.c) moves the free pages of one pageblock,
 * [start_pfn, pageblock_end_pfn(start_pfn)), and not the first page after it.  An 8 MiB DMA32
 * zone of two 1024-page blocks (pageblock_order 10), all MOVABLE, taken as four order-9
 * MOVABLE blocks A B | C D; C then B freed (they do not merge: their buddies A and D are
 * held).  An UNMOVABLE order-0 request finds no UNMOVABLE page and claims B's block
 * (__rmqueue_claim -> try_to_steal_block: order 9 < pageblock_order, free 512 + alike 0 >=
 * 1 << 9): the block becomes UNMOVABLE with B's pages, while C, the free block right at
 * the next pageblock's first pfn, stays on the MOVABLE list of a MOVABLE block.
 */
Test(page_alloc_612, claiming_a_block_moves_no_page_past_its_end, .fini = down)
{
	uint64_t zones[1][4] = { { [ZONE_DMA32] = 8 } };
	struct page *blk[4], *p;
	struct zone *z;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	cr_assert(eq(u64, z->zone_start_pfn, 0));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	z->watermark_boost = 0;
	for (int i = 0; i < 4; i++) {
		blk[i] = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 9, NULL);
		cr_assert(ne(ptr, (void *)blk[i], NULL));
	}
	cr_assert(eq(u64, page_to_pfn(blk[1]) + page_to_pfn(blk[2]), 512 + 1024));
	cr_assert(eq(u64, page_to_pfn(blk[0]) + page_to_pfn(blk[3]), 0 + 1536));
	if (page_to_pfn(blk[1]) != 512) {
		p = blk[1], blk[1] = blk[2], blk[2] = p;
	}
	helper_buddy_free(0, blk[2], 9, NULL);
	helper_buddy_free(0, blk[1], 9, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 2));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(lt(u64, page_to_pfn(p), 1024));
	cr_expect(eq(int, get_pageblock_migratetype(pfn_to_page(0)), MIGRATE_UNMOVABLE));
	cr_expect(eq(int, get_pageblock_migratetype(pfn_to_page(1024)), MIGRATE_MOVABLE));
	cr_expect(PageBuddy(pfn_to_page(1024)));
	cr_expect(eq(int, buddy_order(pfn_to_page(1024)), 9));
	cr_expect(eq(int, pfn_to_page(1024)->pcp_mt, MIGRATE_MOVABLE));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 1));
	cr_expect(buddy_check(stderr));
}

/*
 * prep_move_freepages_block (6.12 mm/page_alloc.c) counts the free and movable pages of one
 * pageblock, [start, pageblock_end_pfn), and try_to_steal_block claims the block for a MOVABLE
 * request only when free + alike (its movable) pages reach half of it (1 << (pageblock_order
 * - 1) = 512).  The 8 MiB zone taken as eight order-8 UNMOVABLE compound pages (the first of
 * each 1024-page block claims it whole: both blocks UNMOVABLE), then the one at pfn 1024 (the
 * next block's first page) and the one at 512 freed (their buddies held: no merge; 512 last,
 * so at the list's head).  A MOVABLE order-0 request finds no MOVABLE page; __rmqueue_claim
 * tries the order-8 block at 512, whose pageblock holds 256 free pages and no movable one:
 * 256 < 512, no claim; nothing smaller to claim, so __rmqueue_steal takes a page and both
 * blocks stay UNMOVABLE.
 */
Test(page_alloc_612, the_claim_counts_only_its_own_block, .fini = down)
{
	uint64_t zones[1][4] = { { [ZONE_DMA32] = 8 } };
	struct page *blk[8] = { NULL }, *p;
	struct sim_op op;
	struct zone *z;

	up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	cr_assert(eq(u64, z->zone_start_pfn, 0));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	z->watermark_boost = 0;
	for (int i = 0; i < 8; i++) {
		p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 8, NULL);
		cr_assert(ne(ptr, (void *)p, NULL));
		cr_assert(eq(u64, page_to_pfn(p) & 255, 0));
		blk[page_to_pfn(p) >> 8] = p;
	}
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 2));
	helper_buddy_free(0, blk[4], 8, NULL);
	helper_buddy_free(0, blk[2], 8, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 8), 2));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 0, &op);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u64, page_to_pfn(p) >> 8, 2));
	cr_expect(has_label(&op, "try_to_steal_block"));
	cr_expect(not(has_label(&op, "try_to_steal_block:claim_block")));
	cr_expect(has_label(&op, "__rmqueue_steal"));
	cr_expect(eq(int, get_pageblock_migratetype(pfn_to_page(0)), MIGRATE_UNMOVABLE));
	cr_expect(eq(int, get_pageblock_migratetype(pfn_to_page(1024)), MIGRATE_UNMOVABLE));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_MOVABLE), 0));
	cr_expect(buddy_check(stderr));
}

/*
 * move_freepages_block (6.1 mm/page_alloc.c) moves every free page of the pageblock, its
 * last pfn included (move_freepages walks start_pfn .. end_pfn = pageblock_end_pfn - 1
 * inclusive), to the stealing type, whether or not it then claims the block.  The 8 MiB zone
 * taken as order-0 MOVABLE pages; 512..767 freed (they merge to order 8) and 1023 (order 0:
 * 1022 held).  An UNMOVABLE order-0 request falls back to the order-8 block (__rmqueue_fallback,
 * largest first); steal_suitable_fallback moves 512 (order 8) and 1023 (order 0) to the
 * UNMOVABLE lists (free 257, movable 767, alike 0: no claim), and __rmqueue_smallest then
 * takes the smallest UNMOVABLE block: pfn 1023.
 */
Test(page_alloc_612, a_steal_moves_the_blocks_last_free_page_6_1, .fini = down)
{
	uint64_t zones[1][4] = { { [ZONE_DMA32] = 8 } };
	struct page *p;
	struct zone *z;

	up(KERNEL_6_1, 1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	cr_assert(eq(u64, z->zone_start_pfn, 0));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	z->watermark_boost = 0;
	memset(owned, 0, sizeof(owned));
	while ((p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, 0, NULL)))
		owned[page_to_pfn(p)] = p;
	drain_all_pages();
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 0));
	for (uint64_t pfn = 512; pfn < 768; pfn++) {
		cr_assert(ne(ptr, (void *)owned[pfn], NULL), "pfn %lu", (unsigned long)pfn);
		helper_buddy_free(0, owned[pfn], 0, NULL);
	}
	cr_assert(ne(ptr, (void *)owned[1023], NULL));
	helper_buddy_free(0, owned[1023], 0, NULL);
	drain_all_pages();
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 8), 1));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 0), 1));
	cr_assert(eq(int, z->per_cpu_pageset[0].batch, 1));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u64, page_to_pfn(p), 1023));
	cr_expect(eq(int, get_pageblock_migratetype(pfn_to_page(0)), MIGRATE_MOVABLE));
	cr_expect(buddy_check(stderr));
}

/* sc: one node, one CPU, no zones yet, pageblock_order 10, min_free_kbytes 128, no THP. */
static void one_node_pageblock_10(void)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	sc->thp = false;
	sc->page_block_order = 10;
	sc->min_free_kbytes = 128;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
}

/*
 * prep_move_freepages_block (6.12 mm/page_alloc.c) refuses a pageblock that straddles the
 * zone's edge ("if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1)) return
 * false"), so try_to_steal_block never claims it and __rmqueue_steal takes a single page.
 * One DMA32 zone of 2047 pages (pageblock_order 10), either pfn 1..2047 (its first block
 * starts before the zone) or pfn 0..2046 (its last block ends after it); the whole block
 * allocated MOVABLE first, so the partial block's free buddies (boot frees it in aligned
 * chunks, the largest of order 9) are all that is left.  An UNMOVABLE order-0 request tries
 * to claim the partial block from each order down, is refused each time, and steals one page:
 * the partial block stays MOVABLE and no block is UNMOVABLE.
 */
static void straddle_case(uint64_t start_pfn, uint64_t whole_block_pfn)
{
	struct page *p;
	struct sim_op op;
	struct zone *z;

	kernel_version = KERNEL_6_12;
	one_node_pageblock_10();
	sc->node[0].zone_start_pfn[ZONE_DMA32] = start_pfn;
	sc->node[0].zone_spanned_pages[ZONE_DMA32] = 2047;
	sc->node[0].zone_mib[ZONE_DMA32] = 8;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	z = Z(0, ZONE_DMA32);
	cr_assert(eq(u64, z->zone_start_pfn, start_pfn));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	z->watermark_boost = 0;
	p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(u64, page_to_pfn(p), whole_block_pfn));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 1));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)p, NULL), "start %lu", (unsigned long)start_pfn);
	cr_expect(has_label(&op, "__rmqueue_steal"), "start %lu", (unsigned long)start_pfn);
	cr_expect(not(has_label(&op, "try_to_steal_block:claim_block")), "start %lu", (unsigned long)start_pfn);
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 0), "start %lu",
		  (unsigned long)start_pfn);
	cr_expect(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
}

Test(page_alloc_612, a_block_across_the_zone_edge_is_never_claimed, .fini = down)
{
	straddle_case(1, 1024);		/* the first block starts at pfn 0, outside */
	straddle_case(0, 0);		/* the last block ends at 2048, one past the zone */
}

/*
 * move_freepages_block (6.1 mm/page_alloc.c): "Do not cross zone boundaries": a pageblock
 * that starts before the zone is moved from the stolen page on ("if (!zone_spans_pfn(zone,
 * start_pfn)) start_pfn = pfn"), never from the other zone's pages below.  DMA pfn 0..1499
 * and DMA32 1500..4095 on one node (pageblock_order 10): boot frees DMA32 in aligned chunks,
 * 1500 (order 2), 1504 (order 5), 1536 (order 9), 2048 and 3072 (order 10).  The two order-10
 * blocks allocated MOVABLE, an UNMOVABLE order-0 request falls back to the order-9 block at
 * 1536 in the block [1024, 2048) that DMA shares: only 1536..2047 is walked, so DMA's free
 * pages keep their lists (order 8 at 1024 among them) and DMA32's 1500 and 1504 stay MOVABLE.
 */
Test(page_alloc_612, a_steal_never_moves_the_zone_below_6_1, .fini = down)
{
	struct zone *dma, *dma32;
	struct sim_op op;
	struct page *p;

	kernel_version = KERNEL_6_1;
	one_node_pageblock_10();
	sc->node[0].zone_start_pfn[ZONE_DMA] = 0;
	sc->node[0].zone_spanned_pages[ZONE_DMA] = 1500;
	sc->node[0].zone_mib[ZONE_DMA] = 6;
	sc->node[0].zone_start_pfn[ZONE_DMA32] = 1500;
	sc->node[0].zone_spanned_pages[ZONE_DMA32] = 4096 - 1500;
	sc->node[0].zone_mib[ZONE_DMA32] = 11;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	dma = Z(0, ZONE_DMA);
	dma32 = Z(0, ZONE_DMA32);
	cr_assert(eq(u64, dma32->zone_start_pfn, 1500));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	memset(dma->_watermark, 0, sizeof(dma->_watermark));
	memset(dma32->_watermark, 0, sizeof(dma32->_watermark));
	dma->watermark_boost = dma32->watermark_boost = 0;
	for (int i = 0; i < 2; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 0));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 1));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA, 8), 1));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(int, page_zone(p) == dma32, 1));
	cr_expect(has_label(&op, "steal_suitable_fallback"));
	cr_expect(PageBuddy(pfn_to_page(1024)));
	cr_expect(eq(int, pfn_to_page(1024)->pcp_mt, MIGRATE_MOVABLE));
	cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA, 8), 1));
	cr_expect(PageBuddy(pfn_to_page(1500)));
	cr_expect(eq(int, pfn_to_page(1500)->pcp_mt, MIGRATE_MOVABLE));
	cr_expect(PageBuddy(pfn_to_page(1504)));
	cr_expect(eq(int, pfn_to_page(1504)->pcp_mt, MIGRATE_MOVABLE));
	cr_expect(buddy_check(stderr));
}
