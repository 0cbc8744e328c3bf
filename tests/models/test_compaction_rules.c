/*
 * test_compaction_rules.c - the decisions of direct compaction
 * (models/buddy/compaction.c) against mm/compaction.c and mm/page_alloc.c of
 * Linux 6.1, suite `compaction_rules`: the deferral counters, when
 * compaction_suitable lets a zone be compacted (watermarks, the
 * fragmentation index), should_compact_retry's answer for each result, and
 * the free scanner's watermark.
 *
 * Strategy: a 64 MiB DMA32 zone on one vCPU, fresh or fragmented by
 * helper_buddy_fragment_zone (free blocks all of one order); the model's
 * functions called as __alloc_pages_slowpath calls them, with an
 * alloc_context built as prepare_alloc_pages builds it.
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

/* One __alloc_pages_direct_compact of an order-3 GFP_KERNEL request at `prio` (no operation
 * around it: compaction's own frees and drains run unlogged, as quiet_begin allows). */
static struct page *direct_compact(unsigned int gfp, unsigned int order, enum compact_priority prio,
				   enum compact_result *res)
{
	struct alloc_context ac;

	helper_buddy_ac(&ac, 0, gfp);
	*res = COMPACT_NOT_SUITABLE_ZONE;	/* not a value try_to_compact_pages returns */
	return __alloc_pages_direct_compact(gfp, order, ALLOC_WMARK_MIN, &ac, prio, res);
}

/*
 * defer_compaction / compaction_deferred / compaction_defer_reset (mm/compaction.c 6.1) on a zone
 * where every order-3 compaction fails (order-0 holes, nothing may move: COMPACT_COMPLETE):
 *   the zone starts at shift 0, considered 0, order_failed 0;
 *   call 1: ++considered = 1 >= 1 << 0, so not deferred; compaction completes without a page and,
 *           at SYNC_LIGHT, defer_compaction: considered 0, shift 1 (order 3 is not below 0);
 *   call 2: ++considered = 1 < 2: deferred (COMPACT_DEFERRED, no scanning);
 *   call 3: ++considered = 2 >= 2: considered stays 2, compaction runs, defers again: shift 2;
 *   after shift s, 2^s - 1 calls are deferred and the next one compacts; the shift stops at
 *   COMPACT_MAX_DEFER_SHIFT (6): 6 compactions take it to 6, the 7th leaves it there.
 * __alloc_pages_direct_compact counts a stall for a deferred result too (only SKIPPED returns early).
 */
Test(compaction_rules, deferral_doubles_the_skipped_attempts_up_to_64, .fini = down)
{
	struct zone *zone = up();
	enum compact_result res;
	unsigned long scanned, calls = 0;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(eq(int, zone->compact_defer_shift, 0));
	cr_assert(eq(int, zone->compact_order_failed, 0));

	cr_assert(eq(ptr, (void *)direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	calls++;
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(u32, zone->compact_defer_shift, 1));
	cr_assert(eq(u32, zone->compact_considered, 0));
	cr_assert(eq(int, zone->compact_order_failed, 0));
	scanned = vm_event_states[COMPACTMIGRATE_SCANNED];
	cr_assert(lt(u64, 0, scanned));

	cr_assert(eq(ptr, (void *)direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	calls++;
	cr_assert(eq(int, res, COMPACT_DEFERRED));
	cr_assert(eq(u32, zone->compact_considered, 1));
	cr_assert(eq(u64, vm_event_states[COMPACTMIGRATE_SCANNED], scanned), "a deferred attempt scans nothing");

	cr_assert(eq(ptr, (void *)direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	calls++;
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(u32, zone->compact_defer_shift, 2));
	cr_assert(lt(u64, scanned, vm_event_states[COMPACTMIGRATE_SCANNED]));

	for (unsigned int shift = 2; shift <= 6; shift++) {
		for (unsigned int i = 1; i < 1U << shift; i++) {
			direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res);
			calls++;
			cr_assert(eq(int, res, COMPACT_DEFERRED), "shift %u attempt %u", shift, i);
		}
		direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res);
		calls++;
		cr_assert(eq(int, res, COMPACT_COMPLETE), "shift %u", shift);
		cr_assert(eq(u32, zone->compact_defer_shift, shift < 6 ? shift + 1 : 6));
	}
	/* 1 + 3 + 7 + 15 + 31 + 63 = 120 deferred, 7 compactions: every one a stall, none a success */
	cr_assert(eq(u64, calls, 127));
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 127));
	cr_assert(eq(u64, vm_event_states[COMPACTFAIL], 127));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 0));
	cr_assert(buddy_check(stderr));
}

/*
 * try_to_compact_pages (mm/compaction.c 6.1): COMPACT_PRIO_SYNC_FULL (MIN_COMPACT_PRIORITY) never
 * asks compaction_deferred; COMPACT_PRIO_ASYNC asks it but never defers after a failure.  An
 * unmovable request's async compaction scans only unmovable pageblocks (suitable_migration_source):
 * the zone has none, so it completes at once.
 */
Test(compaction_rules, sync_full_ignores_the_deferral_and_async_never_defers, .fini = down)
{
	struct zone *zone = up();
	enum compact_result res;
	unsigned long scanned;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_ASYNC, &res);
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(u32, zone->compact_defer_shift, 0), "async: no defer_compaction");
	cr_assert(eq(u32, zone->compact_considered, 1));

	zone->compact_defer_shift = 3;
	zone->compact_considered = 0;
	scanned = vm_event_states[COMPACTMIGRATE_SCANNED];
	direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_FULL, &res);
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(u32, zone->compact_considered, 0), "compaction_deferred not asked");
	cr_assert(eq(u32, zone->compact_defer_shift, 4));
	cr_assert(lt(u64, scanned, vm_event_states[COMPACTMIGRATE_SCANNED]));
}

/*
 * compaction_deferred defers only orders at or above compact_order_failed; compaction_defer_reset
 * after a success raises it to order + 1 and (the allocation succeeding) clears the shift;
 * defer_compaction lowers it to a failed order below it.
 */
Test(compaction_rules, order_failed_bounds_the_deferral, .fini = down)
{
	struct zone *zone = up();
	enum compact_result res;
	struct page *page;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	/* the zone as an order-4 failure after an order-3 success would leave it */
	zone->compact_defer_shift = 3;
	zone->compact_considered = 0;
	zone->compact_order_failed = 4;
	buddy_set_migrate_hook(test_migrate, NULL);
	direct_compact(GFP_KERNEL, 4, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(eq(int, res, COMPACT_DEFERRED));
	cr_assert(eq(u32, zone->compact_considered, 1));
	/* order 3 < 4: not deferred, not even counted; it compacts and succeeds */
	page = direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, res, COMPACT_SUCCESS));
	cr_assert(eq(u32, zone->compact_considered, 0));
	cr_assert(eq(u32, zone->compact_defer_shift, 0));
	cr_assert(eq(int, zone->compact_order_failed, 4));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 1));
	helper_buddy_free(0, page, 3, NULL);

	/* an order-2 failure (nothing may move) with order_failed 5: it drops to 2 */
	buddy_set_migrate_hook(NULL, NULL);
	zone->compact_order_failed = 5;
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	direct_compact(GFP_KERNEL, 2, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(eq(int, zone->compact_order_failed, 2));
	cr_assert(eq(u32, zone->compact_defer_shift, 1));
}

/*
 * compact_zone returns compaction_suitable's COMPACT_SUCCESS without scanning when the
 * watermark for the order is already met; try_to_compact_pages then resets the deferral
 * (compaction_defer_reset(.., false): order_failed = order + 1) and the allocation takes the
 * block, which __alloc_pages_direct_compact counts as a stall and a success.
 */
Test(compaction_rules, a_zone_already_good_enough_is_not_scanned, .fini = down)
{
	struct zone *zone = up();
	enum compact_result res;
	struct page *page;
	struct sim_op op;

	for (int i = 0; i < 2; i++) {
		sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
		page = direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res);
		sim_op_end(&op);
		cr_assert(ne(ptr, (void *)page, NULL));
		cr_assert(eq(int, res, COMPACT_SUCCESS));
		cr_assert(helper_slab_op_has_label(&op, "__alloc_pages_direct_compact:success"));
		cr_assert(eq(int, op.level, 5));
	}
	cr_assert(eq(u64, vm_event_states[COMPACTMIGRATE_SCANNED], 0));
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 2));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 2));
	cr_assert(eq(int, zone->compact_order_failed, 4));
}

/* gfp_compaction_allowed needs __GFP_IO: GFP_NOIO is COMPACT_SKIPPED, no stall; order 0 never compacts. */
Test(compaction_rules, noio_and_order_0_do_not_compact, .fini = down)
{
	enum compact_result res;

	up();
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(eq(ptr, (void *)direct_compact(GFP_NOIO, 3, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	cr_assert(eq(int, res, COMPACT_SKIPPED));
	cr_assert(eq(ptr, (void *)direct_compact(GFP_KERNEL, 0, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	cr_assert(eq(int, res, COMPACT_NOT_SUITABLE_ZONE), "left as it was");
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 0));
	cr_assert(eq(u64, vm_event_states[COMPACTMIGRATE_SCANNED], 0));
}

/*
 * compaction_suitable (mm/compaction.c 6.1) past the watermarks, for a costly order (> 3):
 * __fragmentation_index (mm/vmstat.c) = 1000 - (1000 + free_pages * 1000 / requested) / free_blocks,
 * or -1000 when a block of the order is free; an index in [0, sysctl_extfrag_threshold = 500]
 * means the failure is for want of memory: COMPACT_NOT_SUITABLE_ZONE, reported as COMPACT_SKIPPED.
 *  - free blocks all of order 3 (B of them): 1000 - (1000 + 8B * 1000 / 16) / B = 500 - 1000 / B
 *    (rounded as the kernel's integer division): <= 500, skipped for order 4;
 *  - free blocks all of order 0: 1000 - (1000 + B * 1000 / 16) / B > 900: compaction goes ahead;
 *  - order 3 is not costly: no index, and with order-3 blocks free its watermark is met (SUCCESS).
 */
Test(compaction_rules, fragmentation_index_decides_for_costly_orders, .fini = down)
{
	struct zone *zone = up();
	unsigned long blocks, free_pages;
	long idx;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 3, owned, NR_PFNS);
	blocks = zone->free_area[3].nr_free;
	free_pages = blocks * 8;
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), free_pages));
	idx = 1000 - (long)((1000 + free_pages * 1000 / 16) / blocks);
	cr_assert(le(i64, idx, 500));
	cr_assert(ge(i64, idx, 0));
	cr_assert(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SKIPPED));
	cr_assert(eq(int, compaction_suitable(zone, 3, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SUCCESS));
	helper_buddy_machine_down(sc);

	zone = up();
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	cr_assert(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_CONTINUE));
}

/*
 * A fresh zone (free order-10 blocks) that fails only the alloc_flags watermark (high, lifted
 * above what is free) and passes low + compact_gap(4) = low + 32 for order 0: the index is
 * -1000 (a big enough block is free), outside [0, 500]: COMPACT_CONTINUE.
 */
Test(compaction_rules, a_free_block_of_the_order_is_not_fragmentation, .fini = down)
{
	struct zone *zone = up();
	unsigned long freep = zone_page_state(zone, NR_FREE_PAGES);

	zone->_watermark[WMARK_HIGH] = freep + 1000;
	cr_assert(lt(u64, low_wmark_pages(zone) + 32, freep));
	cr_assert(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_HIGH, ZONE_NORMAL), COMPACT_CONTINUE));
	cr_assert(eq(int, compaction_suitable(zone, 4, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SUCCESS));
}

/*
 * should_compact_retry (mm/page_alloc.c 6.1), MAX_COMPACT_RETRIES 16, priorities ASYNC 2 >
 * SYNC_LIGHT 1 > SYNC_FULL 0 (MIN_COMPACT_PRIORITY; MIN_COMPACT_COSTLY_PRIORITY is SYNC_LIGHT):
 *  - order 0: never;
 *  - SUCCESS (compaction_made_progress) bumps the retries; below the limit (16, or 16 / 4 = 4
 *    for costly orders) retry; past it, one more priority level if there is one (retries reset);
 *  - COMPLETE (compaction_failed) and DEFERRED / CONTENDED / PARTIAL_SKIPPED (withdrawn): only a
 *    higher priority helps;
 *  - SKIPPED (compaction_needs_reclaim): retry when some zone would then be compactable
 *    (compaction_zonelist_suitable: __compaction_suitable == COMPACT_CONTINUE).
 */
Test(compaction_rules, should_compact_retry_follows_the_result, .fini = down)
{
	struct alloc_context ac;
	struct zone *zone = up();
	enum compact_priority prio;
	int retries;

	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	prio = COMPACT_PRIO_SYNC_LIGHT, retries = 0;
	cr_assert(not(should_compact_retry(&ac, 0, ALLOC_WMARK_MIN, COMPACT_COMPLETE, &prio, &retries)));
	cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT));

	/* progress: retries 15 -> 16 still retries; 16 -> 17 goes to SYNC_FULL with 0 retries */
	retries = 15;
	cr_assert(should_compact_retry(&ac, 3, ALLOC_WMARK_MIN, COMPACT_SUCCESS, &prio, &retries));
	cr_assert(eq(int, retries, 16));
	cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT));
	cr_assert(should_compact_retry(&ac, 3, ALLOC_WMARK_MIN, COMPACT_SUCCESS, &prio, &retries));
	cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_FULL));
	cr_assert(eq(int, retries, 0));
	retries = 16;
	cr_assert(not(should_compact_retry(&ac, 3, ALLOC_WMARK_MIN, COMPACT_SUCCESS, &prio, &retries)));
	cr_assert(eq(int, retries, 17));
	/* costly: 4 retries, and SYNC_LIGHT is already the highest priority it gets */
	prio = COMPACT_PRIO_SYNC_LIGHT, retries = 3;
	cr_assert(should_compact_retry(&ac, 4, ALLOC_WMARK_MIN, COMPACT_SUCCESS, &prio, &retries));
	cr_assert(not(should_compact_retry(&ac, 4, ALLOC_WMARK_MIN, COMPACT_SUCCESS, &prio, &retries)));
	cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT));

	/* failed or withdrawn: one priority level each, while there is one */
	static const enum compact_result check_prio[] = { COMPACT_COMPLETE, COMPACT_DEFERRED, COMPACT_CONTENDED,
							  COMPACT_PARTIAL_SKIPPED };
	for (size_t i = 0; i < sizeof(check_prio) / sizeof(check_prio[0]); i++) {
		prio = COMPACT_PRIO_ASYNC, retries = 5;
		cr_assert(should_compact_retry(&ac, 2, ALLOC_WMARK_MIN, check_prio[i], &prio, &retries));
		cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT));
		cr_assert(eq(int, retries, 0));
		cr_assert(should_compact_retry(&ac, 2, ALLOC_WMARK_MIN, check_prio[i], &prio, &retries));
		cr_assert(not(should_compact_retry(&ac, 2, ALLOC_WMARK_MIN, check_prio[i], &prio, &retries)));
		cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_FULL));
		prio = COMPACT_PRIO_ASYNC;
		cr_assert(should_compact_retry(&ac, 5, ALLOC_WMARK_MIN, check_prio[i], &prio, &retries));
		cr_assert(not(should_compact_retry(&ac, 5, ALLOC_WMARK_MIN, check_prio[i], &prio, &retries)));
		cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT), "costly stops at SYNC_LIGHT");
	}

	/* skipped: a fresh zone meets the order-3 watermark already (SUCCESS, not CONTINUE): no */
	prio = COMPACT_PRIO_SYNC_LIGHT, retries = 0;
	cr_assert(not(should_compact_retry(&ac, 3, ALLOC_WMARK_MIN, COMPACT_SKIPPED, &prio, &retries)));
	/* failing the high watermark but with order-0 room above min + compact_gap(3): yes */
	zone->_watermark[WMARK_HIGH] = zone_page_state(zone, NR_FREE_PAGES) + 1000;
	cr_assert(should_compact_retry(&ac, 3, ALLOC_WMARK_HIGH, COMPACT_SKIPPED, &prio, &retries));
	cr_assert(eq(int, prio, COMPACT_PRIO_SYNC_LIGHT), "the priority stays");
	/* not even min + 16 order-0 pages: reclaim first, no retry */
	zone->_watermark[WMARK_MIN] = zone_page_state(zone, NR_FREE_PAGES);
	cr_assert(not(should_compact_retry(&ac, 3, ALLOC_WMARK_HIGH, COMPACT_SKIPPED, &prio, &retries)));
}

/*
 * __isolate_free_page (mm/page_alloc.c 6.1) keeps the min watermark for the order-0 callers:
 * it takes a free page only while free > min + 1.  With min 17 below what is free (just
 * enough for compaction_suitable: free > min + compact_gap(3) = min + 16), the free scanner
 * runs dry before every isolated page has a target, so some migrations fail though the owner
 * would let every page move (without the limit none fails: test_compaction.c).
 */
Test(compaction_rules, the_free_scanner_stops_at_min, .fini = down)
{
	struct zone *zone = up();
	enum compact_result res;
	unsigned long freep;

	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	freep = zone_page_state(zone, NR_FREE_PAGES);
	zone->_watermark[WMARK_MIN] = freep - 17;
	zone->_watermark[WMARK_LOW] = freep - 17;
	zone->_watermark[WMARK_HIGH] = freep - 17;
	cr_assert(eq(int, compaction_suitable(zone, 3, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_CONTINUE));
	buddy_set_migrate_hook(test_migrate, NULL);
	direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res);
	cr_assert(lt(u64, 0, vm_event_states[PGMIGRATE_FAIL]));
	cr_assert(lt(u64, 0, vm_event_states[PGMIGRATE_SUCCESS]));
	cr_assert(buddy_check(stderr));
}

/*
 * __alloc_pages_direct_compact (mm/page_alloc.c 6.1): a compaction that ran (COMPACT_COMPLETE,
 * not SKIPPED) and left no page for get_page_from_freelist counts COMPACTSTALL and COMPACTFAIL
 * and takes the failure path, not the success one.
 */
Test(compaction_rules, a_compaction_without_a_page_takes_the_fail_path, .fini = down)
{
	enum compact_result res;
	struct sim_op op;

	up();
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_assert(eq(ptr, (void *)direct_compact(GFP_KERNEL, 3, COMPACT_PRIO_SYNC_LIGHT, &res), NULL));
	sim_op_end(&op);
	cr_assert(eq(int, res, COMPACT_COMPLETE));
	cr_assert(helper_slab_op_has_label(&op, "__alloc_pages_direct_compact"));
	cr_assert(helper_slab_op_has_label(&op, "__alloc_pages_direct_compact:fail"));
	cr_assert(not(helper_slab_op_has_label(&op, "__alloc_pages_direct_compact:success")));
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 1));
	cr_assert(eq(u64, vm_event_states[COMPACTFAIL], 1));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 0));
}
