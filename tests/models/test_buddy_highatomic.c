/*
 * test_buddy_highatomic.c - the highatomic reserve's own arithmetic, suite
 * `buddy_highatomic`: 6.1's reserve_highatomic_pageblock (how many blocks,
 * which types) and 6.12's unreserve_highatomic_pageblock (how many pages a
 * block gives back, by the order of the free piece it finds); on both versions,
 * get_page_from_freelist reserving the block of an ALLOC_HIGHATOMIC page.
 *
 * Strategy: crafted 1 GiB zones (pageblock_order 10), blocks reserved by
 * calling the kernel functions on free pages of chosen blocks, then
 * nr_reserved_highatomic and the blocks' types after each call.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static struct zone *dma32(void)
{
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

static void up(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 1024, 0, 0 } };

	sc = helper_buddy_crafted_up(v, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
}

static bool unreserve(const struct alloc_context *ac, bool force)
{
	return KOPS(buddy)->unreserve_highatomic_pageblock(ac, force);
}

/* the first page of the zone's pageblock k */
static struct page *block(unsigned long k)
{
	return pfn_to_page(dma32()->zone_start_pfn + k * pageblock_nr_pages);
}

/*
 * reserve_highatomic_pageblock (6.1 mm/page_alloc.c): nothing once nr_reserved_highatomic
 * reaches zone_managed_pages / 100 + pageblock_nr_pages (checked before and under the lock);
 * else the page's block, when its type is mergeable (below MIGRATE_PCPTYPES), becomes
 * HIGHATOMIC and adds pageblock_nr_pages.  1 GiB: the limit is 262144 / 100 + 1024 = 3645,
 * so blocks are added at 0, 1024, 2048 and 3072 reserved: four blocks.
 */
Test(buddy_highatomic, reserve_6_1_takes_mergeable_blocks_up_to_one_percent_and_one, .fini = down)
{
	struct zone *z;
	unsigned long limit;

	up(KERNEL_6_1);
	z = dma32();
	limit = z->managed_pages / 100 + pageblock_nr_pages;
	cr_assert(eq(u64, z->nr_reserved_highatomic, 0));
	/* a block of a type that does not merge (ISOLATE) is not taken */
	set_pageblock_migratetype(block(9), MIGRATE_ISOLATE);
	KOPS(buddy)->reserve_highatomic_pageblock(block(9), z, 4);
	cr_expect(eq(u64, z->nr_reserved_highatomic, 0));
	cr_expect(eq(int, get_pageblock_migratetype(block(9)), MIGRATE_ISOLATE));
	set_pageblock_migratetype(block(9), MIGRATE_MOVABLE);
	/* unmovable and reclaimable blocks are, as movable ones */
	set_pageblock_migratetype(block(1), MIGRATE_UNMOVABLE);
	set_pageblock_migratetype(block(2), MIGRATE_RECLAIMABLE);

	for (unsigned long k = 0; k < 6; k++) {
		unsigned long before = z->nr_reserved_highatomic;
		unsigned long want = before < limit ? before + pageblock_nr_pages : before;

		KOPS(buddy)->reserve_highatomic_pageblock(block(k), z, 4);
		cr_expect(eq(u64, z->nr_reserved_highatomic, want), "block %lu", k);
		cr_expect(eq(int, get_pageblock_migratetype(block(k)),
			     before < limit ? MIGRATE_HIGHATOMIC : MIGRATE_MOVABLE), "block %lu", k);
		/* the same block again: HIGHATOMIC does not merge, nothing added */
		KOPS(buddy)->reserve_highatomic_pageblock(block(k), z, 4);
		cr_expect(eq(u64, z->nr_reserved_highatomic, want), "block %lu again", k);
	}
	cr_expect(eq(u64, z->nr_reserved_highatomic, 4 * pageblock_nr_pages));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 4));
}

/*
 * unreserve_highatomic_pageblock (6.12 mm/page_alloc.c): the first free HIGHATOMIC piece, lowest
 * order first (here whole order-10 blocks); its block gives back max(pageblock_nr_pages,
 * 1 << order) pages, at most nr_reserved_highatomic, and goes to ac->migratetype.  Without force a zone keeps its last
 * block (nr_reserved_highatomic <= pageblock_nr_pages: skipped).
 */
Test(buddy_highatomic, unreserve_6_12_gives_back_a_block_per_free_piece, .fini = down)
{
	struct alloc_context ac;
	struct zone *z;
	struct page *p[3];

	up(KERNEL_6_12);
	z = dma32();
	/* three fresh blocks, each split by an order-4 atomic page and then reserved
	 * (as get_page_from_freelist does after an ALLOC_HIGHATOMIC allocation) */
	for (int k = 0; k < 3; k++) {
		p[k] = helper_buddy_alloc(0, 0, GFP_ATOMIC, 4, NULL);
		cr_assert(ne(ptr, (void *)p[k], NULL));
		KOPS(buddy)->reserve_highatomic_pageblock(p[k], z, 4);
	}
	cr_assert(eq(u64, z->nr_reserved_highatomic, 3 * pageblock_nr_pages));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 3));
	/* freed again, each merges back into one free order-10 HIGHATOMIC block */
	for (int k = 0; k < 3; k++)
		helper_buddy_free(0, p[k], 4, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 3));
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	cr_assert(eq(int, ac.migratetype, MIGRATE_UNMOVABLE));

	/* a whole free order-10 block: max(pageblock_nr_pages, 1 << 10) = 1024 pages back */
	cr_expect(unreserve(&ac, false));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 2 * pageblock_nr_pages));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 2));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 2));

	/* and again: 2048 - 1024 */
	cr_expect(unreserve(&ac, false));
	cr_expect(eq(u64, z->nr_reserved_highatomic, pageblock_nr_pages));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 1));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_UNMOVABLE), 2));

	/* the last block stays unless forced */
	cr_expect(not(unreserve(&ac, false)));
	cr_expect(eq(u64, z->nr_reserved_highatomic, pageblock_nr_pages));
	cr_expect(unreserve(&ac, true));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 0));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 0));
}

/*
 * get_page_from_freelist (6.1 mm/page_alloc.c:4364-4365, 6.12 :3565-3566): "if
 * (unlikely(alloc_flags & ALLOC_HIGHATOMIC)) reserve_highatomic_pageblock(page, ...)" once
 * the page is taken.  An order-4 GFP_ATOMIC page of a fresh 1 GiB zone, asked for with and
 * without ALLOC_HIGHATOMIC (gfp_to_alloc_flags sets it for a non-blocking order > 0
 * request with ALLOC_MIN_RESERVE): without, no block is reserved; with, the page's block
 * becomes HIGHATOMIC and the reserve grows by pageblock_nr_pages (both versions: 1 GiB is
 * under 6.1's limit 2621 + 1024 and 6.12's ALIGN(2621, 1024) = 3072).
 */
static void highatomic_allocation_reserves_its_block(enum kernel_version v)
{
	struct alloc_context ac;
	struct page *page;
	struct zone *z;

	up(v);
	z = dma32();
	helper_buddy_ac(&ac, 0, GFP_ATOMIC);
	page = KOPS(buddy)->get_page_from_freelist(GFP_ATOMIC, 4, ALLOC_WMARK_MIN, &ac);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 0), "no ALLOC_HIGHATOMIC: no reserve");
	cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));

	page = KOPS(buddy)->get_page_from_freelist(GFP_ATOMIC, 4, ALLOC_WMARK_MIN | ALLOC_HIGHATOMIC, &ac);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(u64, z->nr_reserved_highatomic, pageblock_nr_pages));
	cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 1));
}

Test(buddy_highatomic, a_highatomic_allocation_reserves_its_block_6_1, .fini = down)
{
	highatomic_allocation_reserves_its_block(KERNEL_6_1);
}

Test(buddy_highatomic, a_highatomic_allocation_reserves_its_block_6_12, .fini = down)
{
	highatomic_allocation_reserves_its_block(KERNEL_6_12);
}
