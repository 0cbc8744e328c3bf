/*
 * test_buddy_compaction_edges.c - compaction at the edges of its tables (models/buddy/compaction.c
 * against mm/compaction.c and mm/vmstat.c of Linux 6.1), suite `models/buddy_compaction_edges`:
 *  - the free scanner: where it starts (the zone's last pfn) and stops (the zone's end), the
 *    pageblocks it refuses (a whole free pageblock) or leaves (one taken to its end), its count
 *    of an isolated free block, and __isolate_free_page's min + 1;
 *  - the migrate scanner: compound pages are not isolated;
 *  - compact_zone's pcp drain, once the migrate scanner leaves the last migrated block;
 *  - compaction_deferred's answer, seen on the path: "compact_zone:deferred" or "compact_zone";
 *  - __fragmentation_index: a free block of exactly the order, and only for costly orders.
 *
 * Strategy: one node, one vCPU, a DMA32 zone given by exact geometry or in MiB, fragmented
 * by helper_buddy_fragment_zone (odd pfns free); the test's table follows the pages it holds
 * through the migrate hook, so where a page moved to is where the free scanner took it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

#define NR_PFNS (16640 + 4096)	/* the largest machine below ends before this pfn */

static struct sim_scenario *sc;
static struct page *owned[NR_PFNS];

static void down(void)
{
	buddy_set_migrate_hook(NULL, NULL);
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* One node, one vCPU: DMA32 of `dma32_pages` pages from pfn 0, then `normal_mib` MiB of Normal. */
static struct zone *up_pages(uint64_t dma32_pages, uint64_t normal_mib)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
	sc->node[0].zone_start_pfn[ZONE_DMA32] = 0;
	sc->node[0].zone_spanned_pages[ZONE_DMA32] = dma32_pages;
	sc->node[0].zone_mib[ZONE_DMA32] = (dma32_pages + 255) / 256;
	sc->node[0].zone_mib[ZONE_NORMAL] = normal_mib;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	refresh_cpu_vm_stats(0);
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
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

/* One __alloc_pages_direct_compact of a GFP_KERNEL | __GFP_DMA32 request (its zonelist starts at
 * DMA32: gfp_zone) at `prio`, inside a page allocation operation whose labels land in *op. */
static struct page *compact(unsigned int order, enum compact_priority prio, enum compact_result *res,
			    struct sim_op *op)
{
	struct alloc_context ac;
	struct page *page;

	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_DMA32);
	*res = COMPACT_NOT_SUITABLE_ZONE;	/* not a value try_to_compact_pages returns */
	sim_engine_set_cpu(0);
	sim_op_begin(op, SIM_OP_PAGE_ALLOC);
	page = __alloc_pages_direct_compact(GFP_KERNEL | __GFP_DMA32, order, ALLOC_WMARK_MIN, &ac, prio, res);
	sim_op_end(op);
	return page;
}

/*
 * compact_zone (mm/compaction.c 6.1): the free scanner starts at
 * pageblock_start_pfn(zone_end_pfn(zone) - 1), the pageblock holding the zone's last pfn.  A
 * DMA32 zone of 16384 + 1 pages: its last pageblock is the single pfn 16384 (free_zone_memory
 * frees it as an order-0 page, so it is touched, not part of the untouched max-order run).
 * Fragmented (odd pfns free), then pfn 16384 freed too: the free scanner's first block
 * (isolate_freepages: [16384, min(16384 + 512, zone end) = 16385)) gives that one page, the
 * block below the other 31 of the first batch of 32 migrations; every page of the batch is
 * used, so pfn 16384 ends up held (a moved page lives there).  Starting one pageblock lower
 * would never look at it, and a scan past end_pfn would visit pfn 16385, outside the zone.
 */
Test(buddy_compaction_edges, the_free_scanner_starts_at_the_zones_last_pfn, .fini = down)
{
	struct zone *zone = up_pages(16384 + 1, 0);
	enum compact_result res;
	struct sim_op op;
	struct page *page;

	cr_assert(eq(u64, zone->zone_start_pfn + zone->spanned_pages, 16385));
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(ne(ptr, (void *)owned[16384], NULL));
	helper_buddy_free(0, owned[16384], 0, NULL);
	owned[16384] = NULL;
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, PageBuddy(pfn_to_page(16384)), 1));
	buddy_set_migrate_hook(test_migrate, NULL);
	page = compact(3, COMPACT_PRIO_SYNC_LIGHT, &res, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_expect(ne(ptr, (void *)owned[16384], NULL), "the zone's last pfn is a migration target");
	/* isolate_freepages_block counts each pfn of [start, end) it visits (all order-0 pages here):
	 * the first batch 1 (pfn 16384, the block's only pfn) + 62 (15872..15933, 31 free pages),
	 * the other 7 batches 64 each (32 free among 64 pfns) */
	cr_expect(eq(u64, vm_event_states[COMPACTFREE_SCANNED], 1 + 62 + 7 * 64));
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * isolate_freepages (mm/compaction.c 6.1): block_end_pfn = min(block_start_pfn +
 * pageblock_nr_pages, zone_end_pfn(zone)): the free scanner never looks past its zone.  DMA32
 * of 65 MiB (16640 pages: its last pageblock [16384, 16896) is half in the zone), then 16 MiB
 * of Normal from pfn 16640.  Both fragmented (odd pfns free).  An order-3 compaction of DMA32
 * moves the 256 held pages of its first pageblock; the free scanner takes its targets from
 * DMA32's top: the 128 free pages of [16384, 16640), then the pageblock below.  No page of
 * the Normal zone is taken: its free count and the pages held there are as they were.
 */
Test(buddy_compaction_edges, the_free_scanner_stops_at_the_zones_end, .fini = down)
{
	struct zone *zone = up_pages(16640, 16), *normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	unsigned long held_normal = 0, held_normal_after = 0, held_top = 0;
	enum compact_result res;
	struct sim_op op;
	struct page *page;
	uint64_t normal_free;

	cr_assert(eq(u64, normal->zone_start_pfn, 16640));
	memset(zone->lowmem_reserve, 0, sizeof(zone->lowmem_reserve));	/* DMA32 may be run dry */
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	for (unsigned long pfn = 16640; pfn < 16896; pfn++)
		held_normal += owned[pfn] != NULL;
	normal_free = buddy_zone_free_pages(0, ZONE_NORMAL);
	cr_assert(lt(u64, 0, normal_free));
	cr_assert(lt(u64, held_normal, 256), "some of Normal's first pfns are free");
	buddy_set_migrate_hook(test_migrate, NULL);
	page = compact(3, COMPACT_PRIO_SYNC_LIGHT, &res, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, page_to_pfn(page) < zone->zone_start_pfn + zone->spanned_pages, 1));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 256));
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	for (unsigned long pfn = 16640; pfn < 16896; pfn++)
		held_normal_after += owned[pfn] != NULL;
	for (unsigned long pfn = 16384; pfn < 16640; pfn++)
		held_top += owned[pfn] != NULL;
	cr_expect(eq(u64, held_normal_after, held_normal), "no page moved into the Normal zone");
	cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_NORMAL), normal_free));
	cr_expect(eq(u64, held_top, 256), "DMA32's top half-pageblock is filled");
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * try_to_compact_pages (mm/compaction.c 6.1): below MIN_COMPACT_PRIORITY each zone asks
 * compaction_deferred first; a deferred zone is skipped (the model marks
 * "compact_zone:deferred", COMPACT_DEFERRED) and is not compacted ("compact_zone" not
 * reached).  compaction_deferred: orders below compact_order_failed are never deferred;
 * otherwise ++compact_considered < 1 << compact_defer_shift defers.  The zone at shift 1,
 * order_failed 2, considered as given:
 *   order 1 (below order_failed), considered 0: compacted;
 *   order 2, considered 0: ++considered = 1 < 2: deferred;
 *   order 2, considered 1: ++considered = 2 >= 2: compacted;
 *   order 2 at SYNC_FULL (MIN_COMPACT_PRIORITY), considered 0: not asked, compacted.
 * A fresh zone: every compaction ends at once in compaction_suitable (COMPACT_SUCCESS), and
 * the allocation then takes a block, deferred or not, so __alloc_pages_direct_compact's
 * compaction_defer_reset(zone, order, true) clears considered and shift and raises
 * order_failed to order + 1 when the order reached it (order 1 leaves it at 2).
 */
Test(buddy_compaction_edges, a_deferred_zone_is_marked_and_not_compacted, .fini = down)
{
	static const struct {
		unsigned int order;
		enum compact_priority prio;
		unsigned int considered;
		bool deferred;
	} t[] = {
		{ 1, COMPACT_PRIO_ASYNC, 0, false },
		{ 2, COMPACT_PRIO_ASYNC, 0, true },
		{ 2, COMPACT_PRIO_SYNC_LIGHT, 1, false },
		{ 2, COMPACT_PRIO_SYNC_FULL, 0, false },
	};
	struct zone *zone = up_pages(16384, 0);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum compact_result res;
		struct sim_op op;
		struct page *page;

		zone->compact_defer_shift = 1;
		zone->compact_considered = t[i].considered;
		zone->compact_order_failed = 2;
		page = compact(t[i].order, t[i].prio, &res, &op);
		cr_expect(eq(int, res, t[i].deferred ? COMPACT_DEFERRED : COMPACT_SUCCESS), "case %zu", i);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "compact_zone:deferred"), t[i].deferred), "case %zu", i);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "compact_zone"), !t[i].deferred), "case %zu", i);
		cr_assert(ne(ptr, (void *)page, NULL), "case %zu", i);
		cr_expect(eq(u32, zone->compact_considered, 0), "case %zu", i);
		cr_expect(eq(u32, zone->compact_defer_shift, 0), "case %zu", i);
		cr_expect(eq(int, zone->compact_order_failed, t[i].order < 2 ? 2 : (int)t[i].order + 1), "case %zu", i);
		helper_buddy_free(0, page, t[i].order, NULL);
	}
}

/*
 * __fragmentation_index over fill_contig_page_info (mm/vmstat.c 6.1): suitable_count counts
 * the free blocks of the requested order and above (o >= order), each worth 1 << (o - order)
 * blocks of the order; any suitable block gives -1000.  For order 4 with two free pages and one
 * free 16-page block: -1000, so compaction_suitable leaves COMPACT_CONTINUE.  Counting only the
 * larger orders would give 1000 - (1000 + 18 * 1000 / 16) / 3 = 1000 - 2125 / 3 = 292, inside
 * [0, 500]: COMPACT_SKIPPED.  A 32-page block is suitable both ways (-1000).
 */
Test(buddy_compaction_edges, a_free_block_of_exactly_the_order_counts_as_suitable, .fini = down)
{
	static const struct { unsigned long nr0, nr4, nr5; } t[] = { { 2, 1, 0 }, { 2, 0, 1 } };
	struct zone *zone = up_pages(16384, 0);
	unsigned long saved_nr[MAX_ORDER];
	long saved = zone->vm_stat[NR_FREE_PAGES];

	for (int o = 0; o < MAX_ORDER; o++)
		saved_nr[o] = zone->free_area[o].nr_free;
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_MIN] = 100;
	zone->_watermark[WMARK_LOW] = 300;
	zone->_watermark[WMARK_HIGH] = 1UL << 40;	/* the order-4 watermark fails */
	zone->vm_stat[NR_FREE_PAGES] = 300 + (2 << 4) + 1;	/* the order-0 check passes */
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (int o = 0; o < MAX_ORDER; o++)
			zone->free_area[o].nr_free = 0;
		zone->free_area[0].nr_free = t[i].nr0;
		zone->free_area[4].nr_free = t[i].nr4;
		zone->free_area[5].nr_free = t[i].nr5;
		cr_expect(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_CONTINUE),
			  "case %zu", i);
	}
	for (int o = 0; o < MAX_ORDER; o++)
		zone->free_area[o].nr_free = saved_nr[o];
	zone->vm_stat[NR_FREE_PAGES] = saved;
}

/*
 * compact_zone (mm/compaction.c 6.1, lines 2445-2462): once the migrate scanner has left the
 * cc->order aligned block of the last page it migrated, lru_add_drain_cpu_zone flushes this
 * CPU's pcp list so the freed pages merge, and last_migrated_pfn = 0: "No more flushing until
 * we migrate again".  The fragmented DMA32 zone (odd pfns free), an order-3 compaction with the
 * high watermark out of reach (so get_page_from_freelist takes nothing from the pcp lists):
 * the first pageblock's 256 held pages move in 8 batches of 32, the last ending at pfn 510
 * with the scanner at 511, inside the block [504, 512) of the last move; the next step scans
 * pfn 511, moves nothing and leaves that block: one drain of the 256 old pages (free_unref_page
 * put them on the list, below its high: none left it on the way), which drain_pages_zone takes
 * in chunks of batch << CONFIG_PCP_BATCH_SCALE_MAX, one hold of pcp->lock each; then
 * __compact_finished finds an order-3 block at the pageblock's end, and nothing was migrated
 * since the drain: no other flush.  Each old page's free holds the lock once too, so the lock
 * is taken 256 + ceil(256 / chunk) times.
 */
Test(buddy_compaction_edges, one_drain_after_the_scanner_leaves_the_block_then_none, .fini = down)
{
	struct zone *zone = up_pages(16384, 0);
	struct per_cpu_pages *pcp;
	enum compact_result res;
	struct sim_op op;
	uint64_t before, chunk;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_HIGH] = (unsigned long)zone->vm_stat[NR_FREE_PAGES] + 1000;
	pcp = per_cpu_ptr(zone->per_cpu_pageset, 0);
	cr_assert(le(int, 256, pcp->high));
	chunk = (uint64_t)pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX;
	buddy_set_migrate_hook(test_migrate, NULL);
	before = sim_lockstat_at(pcp->lock.id)->acquired;
	{
		struct alloc_context ac;

		helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_DMA32);
		sim_engine_set_cpu(0);
		sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
		cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL | __GFP_DMA32, 3, ALLOC_WMARK_HIGH,
								      &ac, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
		sim_op_end(&op);
	}
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 256));
	cr_expect(eq(int, pcp->count, 0));
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 256 + (256 + chunk - 1) / chunk));
	/* the model's path rule (the top of compaction.c): the frees and the drain compaction runs
	 * inside the allocation are taken out of its path again; the moves are marked once */
	cr_expect(helper_slab_op_has_label(&op, "compact_zone:migrated"));
	cr_expect(not(helper_slab_op_has_label(&op, "free_pcppages_bulk")));
	cr_expect(not(helper_slab_op_has_label(&op, "free_unref_page")));
}

/*
 * __isolate_free_page (mm/page_alloc.c 6.1): watermark = zone->_watermark[WMARK_MIN] +
 * (1UL << order), then zone_watermark_ok(zone, 0, watermark, 0, ALLOC_CMA), which fails once
 * free <= watermark: an order-0 page is taken only while free > min + 1.  An order-4 request
 * (costly: compaction_suitable's order-0 check is low + compact_gap(4) = low + 32, and low is
 * set to 0; the fragmentation index of a zone of free single pages is above 500) on the
 * fragmented zone, the request's own watermark (high) out of reach:
 *   min = free - 2: the free scanner may take one page (free > free - 1), so one page moves
 *   (its old page goes to the pcp list, which NR_FREE_PAGES does not count);
 *   min = free - 1: free > free fails at once: nothing is isolated, the first batch fails.
 */
Test(buddy_compaction_edges, the_free_scanner_takes_a_page_only_above_min_plus_one, .fini = down)
{
	for (unsigned long below = 2; below >= 1; below--) {
		struct zone *zone = up_pages(16384, 0);
		enum compact_result res;
		struct alloc_context ac;
		unsigned long freep;

		helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
		freep = (unsigned long)zone_page_state(zone, NR_FREE_PAGES);
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_MIN] = freep - below;
		zone->_watermark[WMARK_LOW] = 0;
		zone->_watermark[WMARK_HIGH] = freep + 1000;
		cr_assert(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_CONTINUE));
		buddy_set_migrate_hook(test_migrate, NULL);
		helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_DMA32);
		cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL | __GFP_DMA32, 4, ALLOC_WMARK_HIGH, &ac,
								      COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
		if (below == 2)
			cr_expect(lt(u64, 0, vm_event_states[PGMIGRATE_SUCCESS]), "min = free - 2: a page moves");
		else
			cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 0), "min = free - 1: nothing moves");
		cr_expect(lt(u64, 0, vm_event_states[PGMIGRATE_FAIL]));
		cr_assert(buddy_check(stderr));
		down();
	}
}

/*
 * compaction_suitable (mm/compaction.c 6.1 lines 2299-2305): the fragmentation index is asked
 * only for order > PAGE_ALLOC_COSTLY_ORDER (3).  Free blocks all of order 2, 100 of them:
 * for order 3 the index would be 1000 - (1000 + 400 * 1000 / 8) / 100 = 490, in [0, 500]; but
 * order 3 is not costly, so past the watermarks (high out of reach; the order-0 check min +
 * compact_gap(3) = min + 16) it is COMPACT_CONTINUE.  Order 4 with 100 free blocks of order 3:
 * 1000 - (1000 + 800 * 1000 / 16) / 100 = 490: COMPACT_SKIPPED (order-0 check: low + 32).
 */
Test(buddy_compaction_edges, the_fragmentation_index_is_for_costly_orders_only, .fini = down)
{
	struct zone *zone = up_pages(16384, 0);
	unsigned long saved_nr[MAX_ORDER];
	long saved = zone->vm_stat[NR_FREE_PAGES];

	for (int o = 0; o < MAX_ORDER; o++) {
		saved_nr[o] = zone->free_area[o].nr_free;
		zone->free_area[o].nr_free = 0;
	}
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_MIN] = 100;
	zone->_watermark[WMARK_LOW] = 300;
	zone->_watermark[WMARK_HIGH] = 1UL << 40;
	zone->free_area[2].nr_free = 100;
	zone->vm_stat[NR_FREE_PAGES] = 100 + 16 + 1;
	cr_expect(eq(int, compaction_suitable(zone, 3, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_CONTINUE));
	zone->free_area[2].nr_free = 0;
	zone->free_area[3].nr_free = 100;
	zone->vm_stat[NR_FREE_PAGES] = 300 + 32 + 1;
	cr_expect(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_HIGH, ZONE_DMA32), COMPACT_SKIPPED));
	for (int o = 0; o < MAX_ORDER; o++)
		zone->free_area[o].nr_free = saved_nr[o];
	zone->vm_stat[NR_FREE_PAGES] = saved;
}

/*
 * isolate_freepages_block (mm/compaction.c 6.1, lines 601-630): each pfn visited counts once
 * (nr_scanned++), and a free block it isolates counts for all its pages ("nr_scanned +=
 * isolated - 1"), the scan resuming after the block ("blockpfn += isolated - 1").  The
 * fragmented 64 MiB zone (odd pfns free) with pfn 15874 freed too: it merges with 15875 into an
 * order-1 block, in the zone's top pageblock [15872, 16384), where the free scanner finds its
 * targets (257 free pages) for the 8 batches of 32 moves of the first pageblock.  Batch 1:
 * 15873, the order-1 block 15874-15875 and 29 more odd pages up to 15933: pfns 15872..15933,
 * 62; batches 2-8: 32 free pages in 64 pfns each.  COMPACTFREE_SCANNED = 62 + 7 * 64 = 510.
 */
Test(buddy_compaction_edges, a_free_block_counts_every_page_as_scanned, .fini = down)
{
	struct zone *zone = up_pages(16384, 0);
	enum compact_result res;
	struct sim_op op;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(ne(ptr, (void *)owned[15874], NULL));
	helper_buddy_free(0, owned[15874], 0, NULL);
	owned[15874] = NULL;
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, zone->free_area[1].nr_free, 1));
	buddy_set_migrate_hook(test_migrate, NULL);
	page = compact(3, COMPACT_PRIO_SYNC_LIGHT, &res, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 256));
	cr_expect(eq(u64, vm_event_states[COMPACTFREE_SCANNED], 62 + 7 * 64));
	cr_expect(ne(ptr, (void *)owned[15874], NULL), "the order-1 block's pages are targets");
	cr_expect(ne(ptr, (void *)owned[15875], NULL));
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * suitable_migration_target (mm/compaction.c 6.1): "If the page is a large free page, then
 * disallow migration": a pageblock whose first page heads a free block of pageblock_order or
 * more is no target (compaction would only break up what it is building).  The fragmented
 * 64 MiB zone, then every held page of its top pageblock [15872, 16384) freed: it merges into
 * one free order-9 block.  An order-10 compaction (MAX_ORDER - 1: a free pageblock is not
 * enough, so __compact_finished does not stop at once) moves the 512 held pages of the first
 * two pageblocks, which then merge into an order-10 block; the free scanner passes the top
 * pageblock by and fills the two below, [14848, 15872), with them: the top stays one free
 * pageblock.
 */
Test(buddy_compaction_edges, a_whole_free_pageblock_is_no_target, .fini = down)
{
	struct zone *zone = up_pages(16384, 0);
	unsigned long held_top = 0, held_below = 0;
	enum compact_result res;
	struct sim_op op;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	for (unsigned long pfn = 15872; pfn < 16384; pfn++)
		if (owned[pfn]) {
			helper_buddy_free(0, owned[pfn], 0, NULL);
			owned[pfn] = NULL;
		}
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, PageBuddy(pfn_to_page(15872)), 1));
	cr_assert(eq(u32, buddy_order(pfn_to_page(15872)), pageblock_order));
	cr_assert(eq(u64, zone->free_area[MAX_ORDER - 1].nr_free, 0));
	buddy_set_migrate_hook(test_migrate, NULL);
	page = compact(MAX_ORDER - 1, COMPACT_PRIO_SYNC_LIGHT, &res, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 512));
	for (unsigned long pfn = 15872; pfn < 16384; pfn++)
		held_top += owned[pfn] != NULL;
	for (unsigned long pfn = 14848; pfn < 15872; pfn++)
		held_below += owned[pfn] != NULL;
	cr_expect(eq(u64, held_top, 0), "the free pageblock is not broken up");
	cr_expect(eq(u64, held_below, 1024), "the two pageblocks below take the 512 moved pages");
	cr_expect(eq(int, PageBuddy(pfn_to_page(15872)), 1));
	helper_buddy_free(0, page, MAX_ORDER - 1, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * isolate_freepages (mm/compaction.c 6.1, lines 1640-1660): a pageblock the free scanner took
 * its last pages from right up to its end ("isolate_start_pfn >= block_end_pfn") is done:
 * the next search starts at the pageblock below; only one it stopped inside is resumed.
 * DMA32 of 16640 pages, fragmented (odd pfns free): the top pageblock is the half [16384,
 * 16640) with 128 free pages, the targets of batches 1-4, batch 4 ending at its last pfn;
 * batches 5-8 are served by [15872, 16384).  Counted in simulated time (the model's cost rule,
 * the top of compaction.c: a page op per migrate-scanner step, per isolate_freepages_block and
 * per page moved, and free_pcppages_bulk's page op for each old page reaching the buddy lists),
 * the high watermark out of reach so get_page_from_freelist takes nothing: 9 steps (8 batches
 * and the step over pfn 511), 8 isolate_freepages_block, 256 moves, 256 frees: 529 page ops.
 * Resuming the finished half-pageblock would cost one more isolate_freepages_block.
 */
static uint64_t compaction_clock(uint32_t extra)
{
	struct zone *zone = up_pages(16640, 0);
	struct alloc_context ac;
	enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
	uint64_t before;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_HIGH] = (unsigned long)zone->vm_stat[NR_FREE_PAGES] + 1000;
	sim->cost[SIM_COST_PAGE_OP] += extra;
	buddy_set_migrate_hook(test_migrate, NULL);
	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_DMA32);
	sim_engine_set_cpu(0);
	before = sim->cur->clock_ns;
	cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL | __GFP_DMA32, 3, ALLOC_WMARK_HIGH, &ac,
							      COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	before = sim->cur->clock_ns - before;
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 256));
	for (unsigned long pfn = 16384; pfn < 16640; pfn++)
		cr_assert(ne(ptr, (void *)owned[pfn], NULL), "pfn %lu", pfn);
	down();
	return before;
}

Test(buddy_compaction_edges, a_pageblock_scanned_to_its_end_is_not_resumed, .fini = down)
{
	uint64_t base = compaction_clock(0), raised = compaction_clock(1000);

	cr_expect(eq(u64, raised - base, 1000 * (9 + 8 + 256 + 256)));
}

/*
 * isolate_migratepages_block (mm/compaction.c 6.1): a compound page is not isolated
 * ("if (PageCompound(page) && !cc->alloc_contig) ... goto isolate_fail"); the model moves
 * order-0 pages only (the top of compaction.c).  The zone fragmented at order 2 with movable
 * compound pages (GFP_HIGHUSER_MOVABLE | __GFP_COMP: a held order-2 compound page, a free
 * order-2 block, and so on): an order-3 compaction finds nothing to isolate (COMPACTISOLATED 0),
 * moves nothing, scans the zone through (COMPACT_COMPLETE) and fails.
 */
Test(buddy_compaction_edges, compound_pages_are_not_isolated, .fini = down)
{
	enum compact_result res;
	struct sim_op op;

	up_pages(16384, 0);
	helper_buddy_fragment_zone(GFP_HIGHUSER_MOVABLE | __GFP_COMP, 2, owned, NR_PFNS);
	cr_assert(ne(ptr, (void *)owned[0], NULL));
	cr_assert(eq(int, (owned[0]->flags & PG_head) != 0, 1));
	buddy_set_migrate_hook(test_migrate, NULL);
	cr_assert(eq(ptr, (void *)compact(3, COMPACT_PRIO_SYNC_LIGHT, &res, &op), NULL));
	cr_expect(eq(int, res, COMPACT_COMPLETE));
	cr_expect(lt(u64, 0, vm_event_states[COMPACTMIGRATE_SCANNED]));
	cr_expect(eq(u64, vm_event_states[COMPACTISOLATED], 0));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 0));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_FAIL], 0));
	cr_assert(buddy_check(stderr));
}

/*
 * suitable_migration_source (mm/compaction.c 6.1): only async direct compaction looks at the
 * pageblock's type: a movable request takes movable pageblocks (is_migrate_movable), any other
 * request only pageblocks of its own type; sync compaction takes every pageblock.  The
 * fragmented zone, all of it MOVABLE pageblocks, nothing allowed to move (no hook): an order-3
 * unmovable (GFP_KERNEL) async compaction scans no pageblock (COMPACTMIGRATE_SCANNED 0), a
 * movable one and an unmovable sync-light one scan pages; each ends COMPACT_COMPLETE.
 */
Test(buddy_compaction_edges, async_compaction_scans_only_pageblocks_of_the_requests_type, .fini = down)
{
	static const struct { gfp_t gfp; enum compact_priority prio; bool scans; } t[] = {
		{ GFP_KERNEL | __GFP_DMA32, COMPACT_PRIO_ASYNC, false },
		{ GFP_KERNEL | __GFP_DMA32 | __GFP_MOVABLE, COMPACT_PRIO_ASYNC, true },
		{ GFP_KERNEL | __GFP_DMA32, COMPACT_PRIO_SYNC_LIGHT, true },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum compact_result res = COMPACT_NOT_SUITABLE_ZONE;
		struct alloc_context ac;

		up_pages(16384, 0);
		helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
		helper_buddy_ac(&ac, 0, t[i].gfp);
		cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(t[i].gfp, 3, ALLOC_WMARK_MIN, &ac, t[i].prio, &res),
			     NULL), "case %zu", i);
		cr_expect(eq(int, res, COMPACT_COMPLETE), "case %zu", i);
		cr_expect(eq(int, vm_event_states[COMPACTMIGRATE_SCANNED] > 0, t[i].scans), "case %zu", i);
		cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 0), "case %zu", i);
		down();
	}
}

/*
 * compact_zone (mm/compaction.c 6.1, lines 2355 and 2453): last_migrated_pfn starts at 0 and
 * only a migrated page sets it, so no pcp drain happens before the first page has moved.  The
 * fragmented zone, its first pageblock's 256 held pages dropped from the test's table (their
 * owner refuses the move: "compact_zone:cannot_migrate", the target goes back to
 * cc->freepages), the second pageblock's 256 moved: then one drain of the 256 old pages on the
 * pcp list, in chunks of batch << CONFIG_PCP_BATCH_SCALE_MAX, when the scanner leaves the last
 * one's block; the free scanner's pages all used (the first batch's 32 taken back and reused).
 * pcp->lock is taken 256 times by the frees and once per chunk by the drain, never more.
 */
Test(buddy_compaction_edges, no_drain_before_the_first_page_moves, .fini = down)
{
	struct zone *zone = up_pages(16384, 0);
	struct per_cpu_pages *pcp;
	enum compact_result res;
	struct alloc_context ac;
	uint64_t before, chunk;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	for (unsigned long pfn = 0; pfn < pageblock_nr_pages; pfn++)
		owned[pfn] = NULL;
	zone->watermark_boost = 0;
	zone->_watermark[WMARK_HIGH] = (unsigned long)zone->vm_stat[NR_FREE_PAGES] + 1000;
	pcp = per_cpu_ptr(zone->per_cpu_pageset, 0);
	cr_assert(le(int, 256, pcp->high));
	chunk = (uint64_t)pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX;
	buddy_set_migrate_hook(test_migrate, NULL);
	before = sim_lockstat_at(pcp->lock.id)->acquired;
	helper_buddy_ac(&ac, 0, GFP_KERNEL | __GFP_DMA32);
	sim_engine_set_cpu(0);
	cr_assert(eq(ptr, (void *)__alloc_pages_direct_compact(GFP_KERNEL | __GFP_DMA32, 3, ALLOC_WMARK_HIGH, &ac,
							      COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_FAIL], 256));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 256));
	cr_expect(eq(u64, sim_lockstat_at(pcp->lock.id)->acquired - before, 256 + (256 + chunk - 1) / chunk));
}

/* The owner's side of a migration that, on its first move, also frees its page at pfn 2 (the
 * next one compaction isolated) back to the buddy lists. */
static bool test_migrate_free_next(struct page *page, struct page *newpage, void *arg)
{
	int *calls = arg;

	if (!(*calls)++ && owned[2]) {
		helper_buddy_free(0, owned[2], 0, NULL);
		owned[2] = NULL;
		drain_all_pages();
	}
	return test_migrate(page, newpage, NULL);
}

/*
 * migrate_pages (mm/migrate.c 6.1, unmap_and_move): a page its owner freed after compaction
 * isolated it ("page was freed from under us") is not migrated and is no failure; the model
 * checks each isolated page again before it takes a target.  The fragmented zone: the first
 * batch isolates pfns 0, 2, .., 62; the owner, asked to move pfn 0, frees pfn 2 (it merges
 * into a free order-1 block with pfn 3).  The first pageblock's other 255 pages move; nothing
 * fails; no target was taken for pfn 2.
 */
Test(buddy_compaction_edges, a_page_freed_after_isolation_is_not_migrated, .fini = down)
{
	enum compact_result res;
	struct sim_op op;
	struct page *page;
	int calls = 0;

	up_pages(16384, 0);
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(ne(ptr, (void *)owned[2], NULL));
	buddy_set_migrate_hook(test_migrate_free_next, &calls);
	page = compact(3, COMPACT_PRIO_SYNC_LIGHT, &res, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 255));
	cr_expect(eq(u64, vm_event_states[PGMIGRATE_FAIL], 0));
	cr_expect(eq(int, calls, 255));
	cr_expect(not(helper_slab_op_has_label(&op, "compact_zone:cannot_migrate")));
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}
