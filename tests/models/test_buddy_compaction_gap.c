/*
 * test_buddy_compaction_gap.c - compaction's room to migrate into and what it gives back
 * (models/buddy/compaction.c against mm/compaction.c of Linux 6.1), suite
 * `models/buddy_compaction_gap`:
 *  - __compaction_suitable's second check, for every order 1..10: order-0 free pages must
 *    exceed min (low above PAGE_ALLOC_COSTLY_ORDER) + compact_gap(order) = 2 << order;
 *  - a compaction whose every migration fails gives every isolated free page back
 *    (compaction_free, then release_freepages): the zone's free count is unchanged;
 *  - the free scanner resumes where it stopped, in the same pageblock while it has pages left
 *    (isolate_freepages' isolate_start_pfn), down to the pageblock above the migrate scanner's;
 *  - the simulated time of a compaction: a page op per scanner step and per page moved.
 *
 * Strategy: a 64 MiB DMA32 zone on one vCPU; for the watermark rule, the zone's watermarks and
 * NR_FREE_PAGES set to the boundary (the high mark out of reach, so the order-N check fails and
 * the order-0 check decides); for the release, the zone fragmented by
 * helper_buddy_fragment_zone and no migrate hook (no owner lets a page move).
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

#define NR_PFNS (16384 + 4096)	/* the 64 MiB zone ends below this pfn */

static struct sim_scenario *sc;
static struct page *owned[NR_PFNS];

static void down(void)
{
	buddy_set_migrate_hook(NULL, NULL);
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static struct zone *up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	refresh_cpu_vm_stats(0);
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

/*
 * __compaction_suitable (mm/compaction.c 6.1, lines 2239-2270): the requested watermark first
 * (here the high mark, out of reach: no COMPACT_SUCCESS), then __zone_watermark_ok(zone, 0,
 * watermark + compact_gap(order)) with watermark = low_wmark_pages for order > 3, else
 * min_wmark_pages, and compact_gap(order) = 2UL << order (include/linux/compaction.h).  An
 * order-0 check passes when free > mark (__zone_watermark_ok: free <= min + lowmem_reserve
 * fails).  So free = mark + gap is COMPACT_SKIPPED and free = mark + gap + 1 is
 * COMPACT_CONTINUE; for the costly orders compaction_suitable then asks the fragmentation
 * index, -1000 on this fresh zone (a free block of every order: "allocation would succeed"),
 * which is below 0 and leaves COMPACT_CONTINUE.
 */
Test(buddy_compaction_gap, suitable_needs_twice_the_order_above_min_or_low, .fini = down)
{
	struct zone *zone = up();
	long saved = zone->vm_stat[NR_FREE_PAGES];

	zone->watermark_boost = 0;
	zone->_watermark[WMARK_MIN] = 100;
	zone->_watermark[WMARK_LOW] = 300;
	zone->_watermark[WMARK_HIGH] = 1UL << 40;
	for (int order = 1; order < MAX_ORDER; order++) {
		unsigned long base = order > PAGE_ALLOC_COSTLY_ORDER ? 300 : 100;
		unsigned long gap = 2UL << order;

		cr_assert(lt(u64, base + gap + 1, (uint64_t)saved), "order %d", order);
		zone->vm_stat[NR_FREE_PAGES] = (long)(base + gap);
		cr_expect(eq(int, compaction_suitable(zone, order, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_SKIPPED),
			  "order %d, free %lu", order, base + gap);
		zone->vm_stat[NR_FREE_PAGES] = (long)(base + gap + 1);
		cr_expect(eq(int, compaction_suitable(zone, order, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_CONTINUE),
			  "order %d, free %lu", order, base + gap + 1);
	}
	zone->vm_stat[NR_FREE_PAGES] = saved;
}

/*
 * migrate_pages with no owner letting a page move (MR_COMPACTION): each target page
 * compaction_alloc took goes back on cc->freepages (compaction_free), and release_freepages
 * (compact_zone's end, mm/compaction.c 6.1) frees what is left there.  So a sync-light order-3
 * compaction of the fragmented zone fails every migration (PGMIGRATE_FAIL > 0, no success),
 * finds no page, and afterwards (pcp lists drained) the zone has exactly the free pages it had.
 */
Test(buddy_compaction_gap, a_failed_compaction_gives_back_every_isolated_page, .fini = down)
{
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	uint64_t free_before;

	up();
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	free_before = buddy_zone_free_pages(0, ZONE_DMA32);
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL, 3, ALLOC_WMARK_MIN, &ac,
							      COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 0));
	cr_assert(lt(u64, 0, vm_event_states[PGMIGRATE_FAIL]));
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), free_before));
	for (int o = 1; o < MAX_ORDER; o++)
		cr_assert(eq(u64, NODE_DATA(0)->node_zones[ZONE_DMA32].free_area[o].nr_free, 0), "order %d", o);
	cr_assert(buddy_check(stderr));
}

/*
 * try_to_compact_pages (mm/compaction.c 6.1, lines 2739-2745): a zone whose compaction says
 * COMPACT_SUCCESS gets compaction_defer_reset(zone, order, false) before the allocation is even
 * tried: compact_order_failed becomes order + 1 (when order >= it), the deferral counters stay.
 * Here compact_zone finds a free block of the order at once (__compact_finished on a fresh
 * zone) while the requested high watermark is out of reach, so get_page_from_freelist then
 * fails: COMPACTFAIL, no __alloc_pages_direct_compact reset (that one would clear the counters).
 * Orders 2, 3 and 5 on a zone whose order_failed is 2, shift 3, considered 5.
 */
Test(buddy_compaction_gap, success_resets_order_failed_before_the_allocation, .fini = down)
{
	struct zone *zone = up();
	struct alloc_context ac;

	zone->watermark_boost = 0;
	zone->_watermark[WMARK_HIGH] = (unsigned long)zone->vm_stat[NR_FREE_PAGES] + 1000;
	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_MOVABLE);
	for (int k = 0; k < 3; k++) {
		static const int orders[3] = { 2, 3, 5 };
		enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
		int order = orders[k];

		zone->compact_order_failed = 2;
		zone->compact_defer_shift = 3;
		zone->compact_considered = 5;
		cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL | __GFP_MOVABLE, (unsigned int)order,
								      ALLOC_WMARK_HIGH, &ac, COMPACT_PRIO_SYNC_FULL,
								      &res), NULL), "order %d", order);
		cr_assert(eq(int, res, COMPACT_SUCCESS), "order %d", order);
		cr_assert(eq(int, zone->compact_order_failed, order + 1), "order %d", order);
		cr_assert(eq(int, zone->compact_defer_shift, 3), "order %d", order);
		cr_assert(eq(int, zone->compact_considered, 5), "order %d", order);
		cr_assert(eq(u64, vm_event_states[COMPACTFAIL], (uint64_t)k + 1));
	}
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 0));
}

/* The owner's side of a migration: the test's table follows its pages. */
static bool test_migrate(struct page *page, struct page *newpage, void *arg)
{
	uint64_t pfn = page_to_pfn(page);

	(void)arg;
	if (owned[pfn] != page)
		return false;
	owned[pfn] = NULL;
	owned[page_to_pfn(newpage)] = newpage;
	return true;
}

/*
 * The migrate scanner's count (isolate_migratepages_block, mm/compaction.c 6.1 lines 853-1180):
 * every pfn it visits counts once in COMPACTMIGRATE_SCANNED; a free buddy block of order > 0
 * is stepped over (low_pfn += (1UL << order) - 1: its other pages are not visited); in-use
 * movable pages are isolated, at most COMPACT_CLUSTER_MAX (32) a call, and COMPACTISOLATED
 * counts them.  The zone fragmented (odd pfns free, order 0), then in its first pageblock the
 * page at offset 2 of every 8 freed too, so offsets 2-3 merge into an order-1 block: per 8 pfns,
 * 7 visited (0, 1, 2, 4, 5, 6, 7) and 3 isolated (0, 4, 6).  A sync-light order-3 compaction
 * moves the first pageblock's 192 pages to the top of the zone and stops at that pageblock's
 * end (__compact_finished looks at the free lists only at a pageblock boundary: order-3 blocks
 * are free then): 448 scanned, 192 isolated, 192 migrated.
 */
Test(buddy_compaction_gap, the_migrate_scanner_counts_each_pfn_it_visits, .fini = down)
{
	struct zone *zone = up();
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	unsigned long start;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	start = zone->zone_start_pfn;
	cr_assert(eq(u64, start & (pageblock_nr_pages - 1), 0));
	for (unsigned long pfn = start + 2; pfn < start + pageblock_nr_pages; pfn += 8) {
		cr_assert(ne(ptr, (void *)owned[pfn], NULL), "pfn %lu", pfn);
		helper_buddy_free(0, owned[pfn], 0, NULL);
		owned[pfn] = NULL;
	}
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, zone->free_area[1].nr_free, pageblock_nr_pages / 8));
	cr_assert(eq(u64, vm_event_states[COMPACTMIGRATE_SCANNED], 0));
	buddy_set_migrate_hook(test_migrate, NULL);
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	page = __alloc_pages_direct_compact(GFP_KERNEL, 3, ALLOC_WMARK_MIN, &ac, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_expect(eq(u64, vm_event_states[COMPACTMIGRATE_SCANNED], pageblock_nr_pages * 7 / 8));
	cr_expect(eq(u64, vm_event_states[COMPACTISOLATED], pageblock_nr_pages * 3 / 8));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], pageblock_nr_pages * 3 / 8));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_FAIL], 0));
	/* the free scanner (isolate_freepages_block, mm/compaction.c 6.1 line 541): each batch of
	 * 32 needs 32 free pages, found at the zone's top where held and free pfns alternate, every
	 * pfn visited counted: 64 a batch (it stops once nr_freepages >= nr_migratepages), 6 batches */
	cr_expect(eq(u64, vm_event_states[COMPACTFREE_SCANNED], 6 * 64));
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

/* __fragmentation_index (mm/vmstat.c 6.1 lines 1112-1130) over fill_contig_page_info's counts:
 * -1000 when a block of the order is free, 0 with no free block, else
 * 1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total. */
static int fragindex_ref(const unsigned long *nr_free, unsigned int order)
{
	unsigned long requested = 1UL << order, free_pages = 0, blocks = 0, suitable = 0;

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		blocks += nr_free[o];
		free_pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (suitable)
		return -1000;
	if (!blocks)
		return 0;
	return (int)(1000 - (1000 + free_pages * 1000 / requested) / blocks);
}

/*
 * compaction_suitable (mm/compaction.c 6.1 lines 2281-2318): for a costly order that passed
 * the watermarks, a fragmentation index in [0, sysctl_extfrag_threshold = 500] means the
 * failure is for lack of memory, not fragmentation: COMPACT_NOT_SUITABLE_ZONE, reported as
 * COMPACT_SKIPPED; an index below 0 or above 500 leaves COMPACT_CONTINUE.  Order 4 (16 pages)
 * with the zone's free block counts set: 100 blocks of 784 pages give exactly 500, of 783
 * pages 501; none gives 0; one page -62; a 16-page block -1000; 1000 single pages 937.
 */
Test(buddy_compaction_gap, the_fragmentation_index_decides_at_0_and_500, .fini = down)
{
	static const unsigned long counts[][4] = {	/* blocks of order 0, 1, 2, 3 */
		{ 0, 2, 1, 97 }, { 1, 1, 1, 97 }, { 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { 1000, 0, 0, 0 },
		{ 0, 0, 0, 200 }, { 3, 0, 0, 0 },
	};
	static const int hand[] = { 500, 501, 0, -62, 937 };
	struct zone *zone = up();
	unsigned long one_page[MAX_ORDER], saved_nr[MAX_ORDER];
	long saved = zone->vm_stat[NR_FREE_PAGES];

	for (int o = 0; o < MAX_ORDER; o++)
		saved_nr[o] = zone->free_area[o].nr_free;
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_MIN] = 100;
	zone->_watermark[WMARK_LOW] = 300;
	zone->_watermark[WMARK_HIGH] = 1UL << 40;
	zone->vm_stat[NR_FREE_PAGES] = 300 + (2 << 4) + 1;	/* just passes the order-0 check */
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]) + 1; i++) {
		unsigned long nr[MAX_ORDER] = { 0 };
		int idx;

		if (i < sizeof(counts) / sizeof(counts[0]))
			for (int o = 0; o < 4; o++)
				nr[o] = counts[i][o];
		else
			nr[4] = 1;	/* a free block of the order */
		for (int o = 0; o < MAX_ORDER; o++)
			zone->free_area[o].nr_free = nr[o];
		idx = fragindex_ref(nr, 4);
		if (i < sizeof(hand) / sizeof(hand[0]))
			cr_assert(eq(int, idx, hand[i]), "case %zu", i);
		cr_expect(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_HIGH, ZONE_DMA32),
			     idx >= 0 && idx <= 500 ? COMPACT_SKIPPED : COMPACT_CONTINUE), "case %zu: index %d", i, idx);
	}
	/* order 10 (1024 pages) with one free page: 1000 - (1000 + 1000 / 1024) / 1 = 0, the lower
	 * end of the range: skipped (the order-0 check passed: free > low + compact_gap(10) = 2348) */
	memset(one_page, 0, sizeof(one_page));
	for (int o = 0; o < MAX_ORDER; o++)
		zone->free_area[o].nr_free = o == 0;
	one_page[0] = 1;
	cr_assert(eq(int, fragindex_ref(one_page, 10), 0));
	zone->vm_stat[NR_FREE_PAGES] = 300 + (2 << 10) + 1;
	cr_expect(eq(int, compaction_suitable(zone, 10, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_SKIPPED));
	for (int o = 0; o < MAX_ORDER; o++)
		zone->free_area[o].nr_free = saved_nr[o];
	zone->vm_stat[NR_FREE_PAGES] = saved;
}

/*
 * isolate_freepages (mm/compaction.c 6.1 lines 1559-1660): the free scanner records where
 * isolate_freepages_block stopped (isolate_start_pfn) and, when it has enough pages before the
 * pageblock's end, restarts there next time ("Restart at previous pageblock" only once the
 * block was scanned through).  The zone fragmented (odd pfns free, order 0): each batch of 32
 * migrations takes the next 32 free pages of the top pageblock (64 pfns scanned a batch), so
 * the top pageblock's 256 free pages are the targets of the first 8 batches, and no page moves
 * below it until it is full.  A sync-light order-3 compaction moves the first pageblock's 256
 * in-use pages: all of them into the top pageblock, which ends fully held.
 */
Test(buddy_compaction_gap, the_free_scanner_resumes_in_the_pageblock_it_stopped_in, .fini = down)
{
	struct zone *zone = up();
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	unsigned long top, held_top = 0, held_below = 0;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	top = pageblock_start_pfn(zone->zone_start_pfn + zone->spanned_pages - 1);
	cr_assert(eq(u64, top + pageblock_nr_pages, zone->zone_start_pfn + zone->spanned_pages));
	for (unsigned long pfn = top; pfn < top + pageblock_nr_pages; pfn++)
		cr_assert(eq(int, owned[pfn] != NULL, !(pfn & 1)), "pfn %lu", pfn);
	buddy_set_migrate_hook(test_migrate, NULL);
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	page = __alloc_pages_direct_compact(GFP_KERNEL, 3, ALLOC_WMARK_MIN, &ac, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], pageblock_nr_pages / 2));
	cr_expect(eq(u64, vm_event_states[COMPACTFREE_SCANNED], pageblock_nr_pages));
	for (unsigned long pfn = top; pfn < top + pageblock_nr_pages; pfn++) {
		held_top += owned[pfn] != NULL;
		held_below += owned[pfn - pageblock_nr_pages] != NULL;
	}
	cr_expect(eq(u64, held_top, pageblock_nr_pages), "every free page of the top pageblock is a target");
	cr_expect(eq(u64, held_below, pageblock_nr_pages / 2), "the pageblock below is not touched");
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * The simulated time of a compaction (the model's cost rule, the top of compaction.c): one
 * SIM_COST_PAGE_OP for each pageblock step of the migrate scanner (isolate_migratepages), each
 * isolate_freepages_block and each page moved.  The fragmented zone (odd pfns free), a
 * sync-light order-3 compaction with the high watermark out of reach (compaction_suitable says
 * COMPACT_CONTINUE on the order-0 check, and get_page_from_freelist then takes nothing, so no
 * pcp refill costs a page op): the first pageblock's 256 in-use pages move in 8 batches of 32,
 * each isolated by one migrate-scanner step and given targets by one isolate_freepages_block
 * (the top pageblock, resumed); the 8th batch stops at pfn 510, so a 9th step scans pfn 511 and
 * reaches the pageblock's end, where __compact_finished finds the freed block: 9 + 8 + 256 page
 * ops; and each of the 256 old pages, freed to the pcp list (free_unref_page), reaches the
 * buddy lists through free_pcppages_bulk, one page op each (the pcp's own cost rule, rmqueue.c):
 * 256 more.  Measured as the clock's difference between two runs whose page op costs differ by
 * 1000.
 */
static uint64_t compaction_clock(uint32_t extra)
{
	struct zone *zone = up();
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	uint64_t before;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_HIGH] = (unsigned long)zone->vm_stat[NR_FREE_PAGES] + 1000;
	sim->cost[SIM_COST_PAGE_OP] += extra;
	buddy_set_migrate_hook(test_migrate, NULL);
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	sim_engine_set_cpu(0);
	before = sim->cur->clock_ns;
	cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL, 3, ALLOC_WMARK_HIGH, &ac,
							      COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	before = sim->cur->clock_ns - before;
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], pageblock_nr_pages / 2));
	cr_assert(eq(u64, vm_event_states[COMPACTFAIL], 1));
	down();
	return before;
}

Test(buddy_compaction_gap, a_compaction_costs_a_page_op_per_step_and_per_page_moved, .fini = down)
{
	uint64_t base = compaction_clock(0), raised = compaction_clock(1000);

	cr_expect(eq(u64, raised - base, 1000 * (9 + 8 + pageblock_nr_pages / 2 + pageblock_nr_pages / 2)));
}

/*
 * isolate_freepages (mm/compaction.c 6.1 lines 1559-1600): the free scanner goes down to
 * low_pfn = pageblock_end_pfn(cc->migrate_pfn), the start of the pageblock right above the
 * migrate scanner's, and scans that pageblock too (block_start_pfn >= low_pfn).  Every page of
 * the zone held, then the odd pfns of pageblock 1 freed (watermarks 0, so __isolate_free_page
 * takes every free page): the migrate scanner works in pageblock 0, and the only free pages, in
 * the adjacent pageblock 1, are the targets of 256 moves.
 */
Test(buddy_compaction_gap, the_free_scanner_reaches_the_pageblock_above_the_migrate_scanner, .fini = down)
{
	struct zone *zone = up();
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	unsigned long start;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	memset(zone->_watermark, 0, sizeof(zone->_watermark));
	zone->watermark_boost = 0;
	while ((page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_NOWARN, 0, NULL)))
		owned[page_to_pfn(page)] = page;
	start = zone->zone_start_pfn;
	cr_assert(eq(u64, start & (pageblock_nr_pages - 1), 0));
	for (unsigned long pfn = start + pageblock_nr_pages + 1; pfn < start + 2 * pageblock_nr_pages; pfn += 2) {
		cr_assert(ne(ptr, (void *)owned[pfn], NULL), "pfn %lu", pfn);
		helper_buddy_free(0, owned[pfn], 0, NULL);
		owned[pfn] = NULL;
	}
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), pageblock_nr_pages / 2));
	buddy_set_migrate_hook(test_migrate, NULL);
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	__alloc_pages_direct_compact(GFP_KERNEL, 3, ALLOC_WMARK_MIN, &ac, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], pageblock_nr_pages / 2));
	for (unsigned long pfn = start + pageblock_nr_pages; pfn < start + 2 * pageblock_nr_pages; pfn++)
		cr_expect(ne(ptr, (void *)owned[pfn], NULL), "pfn %lu: a target", pfn);
}

/*
 * __alloc_pages_slowpath (6.1 mm/page_alloc.c): a costly __GFP_NORETRY request whose first,
 * async compaction (INIT_COMPACT_PRIORITY) neither was skipped nor deferred sets
 * compact_priority = INIT_COMPACT_PRIORITY ("later attempts stay async"), so the compaction
 * after direct reclaim is async too, and try_to_compact_pages defers a zone only after a
 * compaction that is not async ("if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE
 * || ...)) defer_compaction").  An order-4 GFP_KERNEL | __GFP_NORETRY request on the
 * fragmented zone (no page may move): two compaction stalls, both complete, both fail, and
 * the zone is not deferred: compact_defer_shift stays 0, and compact_considered, which each
 * compaction_deferred check counts up to its limit 1 << 0 (mm/compaction.c), is 1 (a
 * defer_compaction would have reset it to 0 and raised the shift to 1).
 */
Test(buddy_compaction_gap, a_noretry_costly_request_compacts_async_twice, .fini = down)
{
	struct zone *zone = up();
	struct sim_op op;
	uint64_t stalls, fails;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(eq(uint, zone->compact_defer_shift, 0));
	stalls = vm_event_states[COMPACTSTALL];
	fails = vm_event_states[COMPACTFAIL];
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY, 4, &op), NULL));
	cr_expect(helper_slab_op_has_label(&op, "__alloc_pages_slowpath:retry"));
	cr_expect(eq(u64, vm_event_states[COMPACTSTALL] - stalls, 2));
	cr_expect(eq(u64, vm_event_states[COMPACTFAIL] - fails, 2));
	cr_expect(eq(uint, zone->compact_defer_shift, 0));
	cr_expect(eq(uint, zone->compact_considered, 1));
}

/*
 * __alloc_pages_slowpath (6.1.192 mm/page_alloc.c): the same costly __GFP_NORETRY request
 * bound to its node (__GFP_THISNODE, as THP's first, local attempt) gives up after that
 * first compaction whatever its result ("if (gfp_mask & __GFP_THISNODE) goto nopage"): it
 * may compact the node but not reclaim it.  One compaction stall, no retry, no reclaim.
 */
Test(buddy_compaction_gap, a_noretry_costly_thisnode_request_only_compacts, .fini = down)
{
	struct sim_op op;
	uint64_t stalls, allocstalls;

	up();
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	stalls = vm_event_states[COMPACTSTALL];
	allocstalls = helper_vmstat_value("allocstall_dma32");
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY | __GFP_THISNODE, 4, &op),
		     NULL));
	cr_expect(eq(u64, vm_event_states[COMPACTSTALL] - stalls, 1));
	cr_expect(not(helper_slab_op_has_label(&op, "__alloc_pages_slowpath:retry")));
	cr_expect(not(helper_slab_op_has_label(&op, "__alloc_pages_direct_reclaim")));
	cr_expect(helper_slab_op_has_label(&op, "__alloc_pages_slowpath:nopage"));
	cr_expect(eq(u64, helper_vmstat_value("allocstall_dma32") - allocstalls, 0));
}

/*
 * __alloc_pages_slowpath (6.1 mm/page_alloc.c): compaction comes before reclaim ("if
 * (can_direct_reclaim && can_compact && (costly_order || (order > 0 && ac->migratetype !=
 * MIGRATE_MOVABLE)) && !gfp_pfmemalloc_allowed(gfp_mask))") for a costly request of any
 * migratetype and for a non-movable one above order 0, at INIT_COMPACT_PRIORITY (async);
 * every request that may reclaim compacts again after reclaim, at compact_priority:
 * DEF_COMPACT_PRIORITY (sync light), which defers the zone when it completes without a page
 * (try_to_compact_pages: defer_compaction, compact_defer_shift 1), unless a costly
 * __GFP_NORETRY request kept it async.  A request that cannot reclaim (GFP_ATOMIC) never
 * compacts.  On the fragmented zone (no free block above order 0, no page may move) each
 * __GFP_NORETRY request below fails; the compaction stalls and the deferral tell which ran:
 * order-1 and order-2 unmovable 2 (deferred), order-4 movable (costly) 2 (not deferred),
 * order-2 movable 1 (deferred), GFP_ATOMIC order 2 none.  Without __GFP_NORETRY the order-2
 * request goes on, but a compaction retry needs reclaim progress ("if (did_some_progress > 0
 * && can_compact && should_compact_retry(...))"): none here, so the OOM pass (no victim) ends
 * it after the same 2 stalls.  A fresh zone each.
 */
Test(buddy_compaction_gap, compaction_before_reclaim_for_costly_or_unmovable_orders, .fini = down)
{
	static const struct { gfp_t gfp; unsigned int order; uint64_t stalls; unsigned int shift; } t[] = {
		{ GFP_KERNEL | __GFP_NORETRY, 1, 2, 1 },
		{ GFP_KERNEL | __GFP_NORETRY, 2, 2, 1 },
		{ GFP_HIGHUSER_MOVABLE | __GFP_NORETRY, 4, 2, 0 },
		{ GFP_HIGHUSER_MOVABLE | __GFP_NORETRY, 2, 1, 1 },
		{ GFP_ATOMIC | __GFP_NORETRY, 2, 0, 0 },
		{ GFP_KERNEL, 2, 2, 1 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct zone *zone = up();
		struct sim_op op;
		uint64_t stalls;

		helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
		stalls = vm_event_states[COMPACTSTALL];
		cr_expect(eq(ptr, (void *)helper_buddy_alloc(0, 0, t[i].gfp, t[i].order, &op), NULL),
			  "case %zu", i);
		cr_expect(eq(u64, vm_event_states[COMPACTSTALL] - stalls, t[i].stalls), "case %zu", i);
		cr_expect(eq(uint, zone->compact_defer_shift, t[i].shift), "case %zu", i);
		down();
	}
}

/*
 * __alloc_pages_slowpath (6.1): a costly __GFP_NORETRY request whose early compaction was
 * skipped (or deferred) gives up there, before any reclaim ("if (compact_result ==
 * COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED) goto nopage").  The zone run dry
 * with GFP_KERNEL order 0 is at its min watermark, so __compaction_suitable's order-0 check
 * (low + compact_gap for a costly order) fails: COMPACT_SKIPPED, no stall, no reclaim.
 */
Test(buddy_compaction_gap, a_skipped_compaction_ends_a_costly_noretry_request, .fini = down)
{
	struct sim_op op;
	uint64_t stalls, allocstalls;

	up();
	while (helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY, 0, NULL))
		;
	stalls = vm_event_states[COMPACTSTALL];
	allocstalls = helper_vmstat_value("allocstall_dma32");
	cr_expect(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY, 4, &op), NULL));
	cr_expect(helper_slab_op_has_label(&op, "__alloc_pages_direct_compact"));
	cr_expect(not(helper_slab_op_has_label(&op, "__alloc_pages_direct_reclaim")));
	cr_expect(helper_slab_op_has_label(&op, "__alloc_pages_slowpath:nopage"));
	cr_expect(eq(u64, vm_event_states[COMPACTSTALL] - stalls, 0));
	cr_expect(eq(u64, helper_vmstat_value("allocstall_dma32") - allocstalls, 0));
}
