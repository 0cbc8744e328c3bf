/*
 * test_buddy_kswapd_order.c - when kswapd gives up a high order (models/buddy/kswapd.c against
 * mm/vmscan.c of Linux 6.1), suite `models/buddy_kswapd_order`: kswapd_shrink_node checks the
 * watermarks at order 0 from the pass where nr_reclaimed reaches compact_gap(order) = 2 << order,
 * "to prevent excessive reclaim" (kswapd_shrink_node, line 6976), and balance_pgdat stops
 * at the next check once the node is balanced at that order.
 *
 * Strategy: one node with a DMA32 zone (256 MiB, 2 GiB), one vCPU, no running engine.  Every even page
 * of the zone is held (helper_buddy_fragment_zone), so no free block above order 0 can form; the
 * odd holes are filled with page cache.  The high watermark is 0, so the node is balanced at
 * order 0 and never above: kswapd, asked for order 1, reclaims until nr_reclaimed >= 4.
 * Reclaim is not proportional for kswapd and each pass at priority p scans the inactive file
 * list's size >> p (get_scan_count), every page reclaimed (clean page cache); a pass below 32
 * scanned (nr_to_reclaim = max(high, SWAP_CLUSTER_MAX)) raises the priority.  The last two
 * tests raise high above 32, and add a DMA zone, to pin what nr_to_reclaim sums.
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

#define NR_PFNS (524288 + 4096)	/* a zone of up to 2 GiB ends below this pfn */

static struct sim_scenario *sc;
static struct page *owned[NR_PFNS];

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* kswapd's turn for a request of `order` on a node with a DMA32 zone of `mib` MiB whose holes
 * hold `cached` page cache pages and whose high watermark is `high`; the pages kswapd reclaimed
 * (PGSTEAL_KSWAPD).  With `dma_mib`, a DMA zone below it, every page of it held, high `high_dma`,
 * and kswapd's request is for DMA32 exactly (no earlier wakeup left pending). */
static uint64_t kswapd_steal_zones(uint64_t dma_mib, uint64_t mib, int order, uint64_t cached, unsigned long high_dma,
				   unsigned long high)
{
	uint64_t zones[1][4] = { { dma_mib, mib, 0, 0 } };
	int c[1] = { 1 };
	struct address_space *m;
	struct zone *zone;
	struct sim_op op;
	uint64_t steal;
	bool hit;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, NR_PFNS);
	m = mapping_create(cached);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < cached; i++)
		cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL), "page %llu", (unsigned long long)i);
	sim_op_end(&op);
	refresh_cpu_vm_stats(0);
	zone->_watermark[WMARK_HIGH] = high;
	zone->watermark_boost = 0;
	if (dma_mib) {
		struct zone *dma = &NODE_DATA(0)->node_zones[ZONE_DMA];

		memset(dma->_watermark, 0, sizeof(dma->_watermark));
		memset(dma->lowmem_reserve, 0, sizeof(dma->lowmem_reserve));
		while (helper_buddy_alloc(0, 0, GFP_DMA | __GFP_NOWARN, 0, NULL))
			;
		drain_all_pages();
		refresh_cpu_vm_stats(0);
		cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA), 0));
		dma->_watermark[WMARK_HIGH] = high_dma;
		dma->watermark_boost = 0;
		NODE_DATA(0)->kswapd_highest_zoneidx = MAX_NR_ZONES;
	}
	wakeup_kswapd(zone, GFP_KERNEL, order, ZONE_DMA32);
	cr_assert(eq(int, NODE_DATA(0)->kswapd_order, order));
	buddy_kswapd_run_now(0);
	steal = reclaim_vm_event(PGSTEAL_KSWAPD);
	cr_assert(eq(u64, reclaim_vm_event(PGSCAN_KSWAPD), steal));
	cr_assert(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1), "balanced at order 0 after that pass");
	cr_assert(eq(u64, reclaim_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY), 0));
	cr_assert(buddy_kswapd_sleeping(0));
	mapping_destroy(m);
	return steal;
}

static uint64_t kswapd_steal(uint64_t mib, int order, uint64_t cached)
{
	return kswapd_steal_zones(0, mib, order, cached, 0, 0);
}

/* 16400 pages: priority 12 scans 16400 >> 12 = 4 = compact_gap(1): order 0 from there, balanced. */
Test(buddy_kswapd_order, reaching_twice_the_order_drops_to_order_0, .fini = down)
{
	cr_assert(eq(u64, kswapd_steal(256, 1, 16400), 4));
}

/* 12300 pages: priority 12 reclaims 3 < 4, still order 1 and unbalanced; priority 11 reclaims
 * 12297 >> 11 = 6: 9 in all, then order 0 and balanced. */
Test(buddy_kswapd_order, below_twice_the_order_kswapd_keeps_the_order, .fini = down)
{
	cr_assert(eq(u64, kswapd_steal(256, 1, 12300), 9));
}

/*
 * balance_pgdat keeps the priority after a pass that scanned nr_to_reclaim
 * (kswapd_shrink_node: "return sc->nr_scanned >= sc->nr_to_reclaim", line 6979; 32 here,
 * high being 0).  Order 5 (compact_gap 64), 131100 pages: priority 12 scans 131100 >> 12 = 32,
 * enough: priority 12 again, 131068 >> 12 = 31 (63 in all, raise); priority 11 stops after its
 * first 32 (nr_to_reclaim met): 95 >= 64, order 0, balanced.
 */
Test(buddy_kswapd_order, a_pass_that_scanned_enough_keeps_the_priority, .fini = down, .timeout = 60)
{
	cr_assert(eq(u64, kswapd_steal(2048, 5, 131100), 95));
}

/*
 * kswapd_shrink_node (mm/vmscan.c 6.1, lines 6953-6960): nr_to_reclaim is the sum over the
 * managed zones up to reclaim_idx of max(high_wmark_pages(zone), SWAP_CLUSTER_MAX); a pass
 * keeps the priority when nr_scanned >= nr_to_reclaim, and shrink_lruvec stops kswapd's pass
 * once nr_to_reclaim is met.  High 40 (above 32): nr_to_reclaim 40.  Order 5, 163840 pages:
 * priority 12 scans 163840 >> 12 = 40 (32, then 8), exactly nr_to_reclaim: the priority stays;
 * priority 12 again scans 163800 >> 12 = 39 (79 in all, >= compact_gap(5) = 64: order 0, and
 * the node, with its free holes, is balanced at order 0 above high).  With 32 for the target
 * (high not counted) the first pass would stop at 32 and the second give 64 in all; with 41
 * (or a strict >) priority 11 would follow, 104 in all.
 */
Test(buddy_kswapd_order, nr_to_reclaim_is_the_high_watermark_above_32, .fini = down, .timeout = 60)
{
	cr_assert(eq(u64, kswapd_steal_zones(0, 2048, 5, 163840, 0, 40), 79));
}

/*
 * The same sum over two managed zones, ZONE_DMA (index 0) and DMA32, the request for DMA32
 * (reclaim_idx 1): DMA's high 8 counts as SWAP_CLUSTER_MAX = 32, DMA32's 40 as 40:
 * nr_to_reclaim 72.  DMA is held whole (never balanced); order 5, 133152 pages: priority 12
 * scans 133152 >> 12 = 32 < 72 (raise); priority 11 scans 133120 >> 11 = 65 (32, 32, 1: never
 * 72, so not cut short): 97 >= 64, order 0, balanced.  Leaving out DMA (40) would cut priority
 * 11 at 64 (96 in all); leaving out DMA32 (32) would keep priority 12 and end at 64.
 */
Test(buddy_kswapd_order, nr_to_reclaim_sums_every_zone_up_to_reclaim_idx, .fini = down, .timeout = 60)
{
	cr_assert(eq(u64, kswapd_steal_zones(16, 2048, 5, 133152, 8, 40), 97));
}
