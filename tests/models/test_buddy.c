/*
 * test_buddy.c - the buddy page allocator model (models/buddy), suite `buddy`.
 *
 * Strategy: build a machine (helper_buddy_machine_up), craft a state with
 * white-box writes through models/buddy/buddy_int.h (a zone's watermarks, a
 * held pcp lock, a small pcp high), do one allocation or free inside an
 * operation and assert where it went: the op's level and labels, the
 * free_area counts, the pcp count, the pfn handed out.  Sizing (watermarks,
 * lowmem_reserve, pcp high/batch) is checked against numbers worked out by
 * hand from the 6.1 formulas and against a real 6.1.192 machine's
 * /proc/zoneinfo.  A seeded random stress ends with buddy_check, and
 * buddy_check must catch crafted corruptions.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define MIB(x) ((uint64_t)(x))
#define GFP_MOVABLE_KERNEL (GFP_KERNEL | __GFP_MOVABLE)

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* The default scenario: 2 nodes x 2 vCPUs, N0 DMA 16 MiB + DMA32 1008 MiB, N1 DMA32 1024 MiB. */
static void up_default(void)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
}

/* One node with one zone of `mib` MiB (zone zid) and `cpus` vCPUs. */
static void up_one_zone(int zid, uint64_t mib, int cpus)
{
	uint64_t zones[1][4] = { { 0 } };
	int c[1] = { cpus };

	zones[0][zid] = mib;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

static struct zone *Z(int nid, int zid)
{
	return &NODE_DATA(nid)->node_zones[zid];
}

static struct per_cpu_pages *PCP(int nid, int zid, int cpu)
{
	return &Z(nid, zid)->per_cpu_pageset[cpu];
}

/* Make every watermark of a zone unreachable for normal requests. */
static void zone_starve(int nid, int zid)
{
	struct zone *zone = Z(nid, zid);

	zone->_watermark[WMARK_MIN] = zone_page_state_snapshot(zone, NR_FREE_PAGES) + 1000;
	zone->_watermark[WMARK_LOW] = zone_page_state_snapshot(zone, NR_FREE_PAGES) + 2000;
	zone->_watermark[WMARK_HIGH] = zone_page_state_snapshot(zone, NR_FREE_PAGES) + 3000;
}

/* ---------------------------------------------------------------- layout */

Test(buddy, layout_follows_the_scenario, .fini = down)
{
	struct buddy_zone_info zi;

	up_default();
	cr_assert(eq(int, buddy_nr_nodes(), 2));
	cr_assert(buddy_zone_populated(0, ZONE_DMA));
	cr_assert(buddy_zone_populated(0, ZONE_DMA32));
	cr_assert(not(buddy_zone_populated(0, ZONE_NORMAL)));
	cr_assert(not(buddy_zone_populated(1, ZONE_DMA)));

	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.zone_start_pfn, 4096));
	cr_assert(eq(u64, zi.spanned, 258048));
	cr_assert(eq(u64, zi.present, 258048));
	cr_assert(eq(u64, zi.managed, 258048));
	cr_assert(eq(u64, zi.free_pages, 258048));
	buddy_zone_info(1, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.zone_start_pfn, 262144));

	/* all boot memory is max-order MOVABLE blocks */
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA, MAX_ORDER - 1), 4));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, MAX_ORDER - 1), 252));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(1, ZONE_DMA32, MAX_ORDER - 1, MIGRATE_MOVABLE), 256));
	cr_assert(eq(u64, buddy_zone_nr_free(1, ZONE_DMA32, 0), 0));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(1, ZONE_DMA32, MIGRATE_MOVABLE), 512));
	cr_assert(buddy_check(stderr));
}

Test(buddy, unaligned_zone_edges_are_freed_as_memblock_does, .fini = down)
{
	/* DMA is 1 MiB (pfn 0..255), DMA32 from pfn 256 to 16384: 256 is order 8, 512 order 9 */
	uint64_t zones[1][4] = { { [ZONE_DMA] = MIB(1), [ZONE_DMA32] = MIB(63) } };
	int cpus[1] = { 1 };

	sc = helper_buddy_machine_up(1, cpus, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA, 8), 1));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 8), 1));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 1));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 15));
	cr_assert(eq(u64, page_to_pfn(page_list_first(&Z(0, ZONE_DMA32)->free_area[9].free_list[MIGRATE_MOVABLE].list)), 512));
	cr_assert(buddy_check(stderr));
}

Test(buddy, zonelists_order_nodes_by_distance_and_load, .fini = down)
{
	uint64_t zones[3][4] = { { [ZONE_DMA32] = 64 }, { [ZONE_DMA32] = 64 }, { [ZONE_DMA32] = 64 } };
	int cpus[3] = { 1, 1, 1 };
	/* every node at distance 20: round robin through node_load gives these orders */
	static const int want[3][3] = { { 0, 1, 2 }, { 1, 2, 0 }, { 2, 0, 1 } };

	sc = helper_buddy_machine_up(3, cpus, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int nid = 0; nid < 3; nid++) {
		struct zoneref *z = NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;

		for (int i = 0; i < 3; i++)
			cr_assert(eq(int, z[i].zone->node, want[nid][i]), "node %d entry %d", nid, i);
		cr_assert(eq(ptr, (void *)z[3].zone, NULL));
		cr_assert(eq(ptr, (void *)NODE_DATA(nid)->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs[1].zone, NULL));
	}
}

Test(buddy, zonelist_puts_own_zones_highest_first, .fini = down)
{
	struct zoneref *z;

	up_default();
	z = NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	cr_assert(eq(ptr, (void *)z[0].zone, (void *)Z(0, ZONE_DMA32)));
	cr_assert(eq(ptr, (void *)z[1].zone, (void *)Z(0, ZONE_DMA)));
	cr_assert(eq(ptr, (void *)z[2].zone, (void *)Z(1, ZONE_DMA32)));
	z = NODE_DATA(1)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	cr_assert(eq(ptr, (void *)z[0].zone, (void *)Z(1, ZONE_DMA32)));
	cr_assert(eq(ptr, (void *)z[1].zone, (void *)Z(0, ZONE_DMA32)));
	cr_assert(eq(ptr, (void *)z[2].zone, (void *)Z(0, ZONE_DMA)));
}

/* ---------------------------------------------------------- split, merge */

Test(buddy, order4_splits_a_max_order_block_and_merges_back, .fini = down)
{
	struct sim_op op;
	struct page *page;

	up_one_zone(ZONE_DMA32, 64, 1);		/* 16 order-10 blocks, pfn 0.. */
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(u64, page_to_pfn(page), 0));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 15));
	for (int o = 4; o < 10; o++)	/* expand left one block of each order 4..9 */
		cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, o), 1), "order %d", o);
	cr_assert(eq(u64, page_to_pfn(page_list_first(&Z(0, ZONE_DMA32)->free_area[9].free_list[MIGRATE_MOVABLE].list)), 512));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 16384 - 16));
	cr_assert(eq(int, op.level, 3));
	cr_assert(has_label(&op, "rmqueue_buddy"));
	cr_assert(has_label(&op, "__rmqueue_smallest"));
	cr_assert(eq(int, op.order, 4));
	cr_assert(eq(int, op.zone, ZONE_DMA32));
	cr_assert(eq(u64, op.addr, 0));
	cr_assert(buddy_check(stderr));

	helper_buddy_free(0, page, 4, &op);
	cr_assert(eq(int, op.level, 3));
	cr_assert(has_label(&op, "__free_pages_ok"));
	for (int o = 0; o < 10; o++)
		cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, o), 0), "order %d", o);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 16384));
	cr_assert(buddy_check(stderr));
}

/* Snapshot of a zone's free_area: blocks per order and migratetype. */
static void free_area_snapshot(int nid, int zid, uint64_t out[MAX_ORDER][MIGRATE_TYPES])
{
	for (int o = 0; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			out[o][mt] = buddy_zone_nr_free_mt(nid, zid, o, mt);
}

Test(buddy, freeing_everything_restores_the_initial_free_area, .fini = down)
{
	static const unsigned int orders[] = { 0, 3, 1, 0, 2, 9, 0, 5, 1, 0, 10, 4, 0, 2, 3, 0, 1, 7 };
	uint64_t before[MAX_ORDER][MIGRATE_TYPES], after[MAX_ORDER][MIGRATE_TYPES];
	struct page *pages[200];
	unsigned int order[200];
	int n = 0;

	up_one_zone(ZONE_DMA32, 64, 2);
	free_area_snapshot(0, ZONE_DMA32, before);
	for (int round = 0; round < 5; round++)		/* 1748 pages a round */
		for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
			order[n] = orders[i];
			pages[n] = helper_buddy_alloc(n & 1, 0, GFP_MOVABLE_KERNEL, order[n], NULL);
			cr_assert(ne(ptr, (void *)pages[n], NULL), "alloc %d", n);
			n++;
		}
	cr_assert(buddy_check(stderr));
	/* free in an order unrelated to the allocation order, on the other vCPU */
	for (int i = 0; i < n; i++) {
		int k = (i * 7) % n;
		helper_buddy_free((k + 1) & 1, pages[k], order[k], NULL);
	}
	drain_all_pages();
	free_area_snapshot(0, ZONE_DMA32, after);
	for (int o = 0; o < MAX_ORDER; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			cr_assert(eq(u64, after[o][mt], before[o][mt]), "order %d mt %d", o, mt);
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 16384));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count + PCP(0, ZONE_DMA32, 1)->count, 0));
	cr_assert(buddy_check(stderr));
}

Test(buddy, merged_block_goes_to_the_tail_when_the_next_merge_is_likely, .fini = down)
{
	struct page *a, *b, *b2, *c, *d, *e, *f, *g, *h;
	struct sim_op op;
	struct zone *zone;

	up_one_zone(ZONE_DMA32, 64, 1);
	zone = Z(0, ZONE_DMA32);
	/* block 0 cut into A(0,o4) G(16,o4) F(32,o5) E(64,o6) D(128,o7) C(256,o8) B1, B2 (512,
	 * 768, o8); H(1024,o4) splits block 1024, leaving one free block of each order 4..9
	 * there.  No order 9: that is the THP order, which goes through the pcp lists. */
	a = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	c = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL);
	b = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL);
	b2 = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL);
	d = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 7, NULL);
	e = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 6, NULL);
	f = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 5, NULL);
	g = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	h = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(eq(u64, page_to_pfn(a), 0));
	cr_assert(eq(u64, page_to_pfn(b2), 768));
	cr_assert(eq(u64, page_to_pfn(d), 128));
	cr_assert(eq(u64, page_to_pfn(g), 16));
	cr_assert(eq(u64, page_to_pfn(h), 1024));

	/* G: buddy A busy, and A's order-5 buddy F busy: no merge likely -> head */
	helper_buddy_free(0, g, 4, NULL);
	cr_assert(eq(u64, page_to_pfn(page_list_first(&zone->free_area[4].free_list[MIGRATE_MOVABLE].list)), 16));
	helper_buddy_free(0, f, 5, NULL);
	cr_assert(eq(u64, page_to_pfn(page_list_first(&zone->free_area[5].free_list[MIGRATE_MOVABLE].list)), 32));
	helper_buddy_free(0, d, 7, NULL);
	cr_assert(eq(u64, page_to_pfn(page_list_first(&zone->free_area[7].free_list[MIGRATE_MOVABLE].list)), 128));
	/* A merges with G and F into an order-6 block at 0; its buddy E is busy, but the
	 * order-7 buddy D is free: a merge is likely -> tail, behind block 1024's 1088 */
	helper_buddy_free(0, a, 4, &op);
	cr_assert(has_label(&op, "__free_one_page:to_tail"));
	cr_assert(eq(u64, page_to_pfn(page_list_first(&zone->free_area[6].free_list[MIGRATE_MOVABLE].list)), 1088));
	cr_assert(eq(u64, page_to_pfn(page_list_last(&zone->free_area[6].free_list[MIGRATE_MOVABLE].list)), 0));
	cr_assert(buddy_check(stderr));

	helper_buddy_free(0, e, 6, NULL);
	helper_buddy_free(0, c, 8, NULL);
	helper_buddy_free(0, b, 8, NULL);
	helper_buddy_free(0, b2, 8, NULL);
	helper_buddy_free(0, h, 4, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
	cr_assert(buddy_check(stderr));
}

/* ------------------------------------------------------------- levels */

Test(buddy, l2_refill_then_l1_pcp_hit, .fini = down)
{
	struct sim_op op;
	struct page *p1, *p2;

	up_default();
	p1 = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)p1, NULL));
	cr_assert(eq(int, op.level, 2));
	cr_assert(has_label(&op, "rmqueue_pcplist"));
	cr_assert(has_label(&op, "rmqueue_bulk"));
	cr_assert(not(op.failed));
	cr_assert(eq(int, op.zone, ZONE_DMA32));
	cr_assert(eq(int, op.mem_node, 0));
	cr_assert(eq(int, op.migratetype, MIGRATE_MOVABLE));
	cr_assert(eq(u64, op.addr, 4096));		/* first page of DMA32 */
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count, 62));	/* batch 63, one taken */

	p2 = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(has_label(&op, "rmqueue_pcplist"));
	cr_assert(not(has_label(&op, "rmqueue_bulk")));
	cr_assert(eq(u64, page_to_pfn(p2), 4097));	/* the pcp list is in pfn order */
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count, 61));
	/* pcp pages are not free pages */
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 258048 - 63));
	cr_assert(buddy_check(stderr));
}

Test(buddy, l4_unmovable_steals_a_movable_block, .fini = down)
{
	struct sim_op op;
	struct page *page;

	up_default();
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback"));
	cr_assert(has_label(&op, "steal_suitable_fallback"));
	cr_assert(eq(int, op.migratetype, MIGRATE_UNMOVABLE));
	/* a whole max-order block changed owner: two pageblocks */
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 2));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));
	/* the next unmovable page comes from the pcp list the refill filled */
	helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(buddy_check(stderr));
}

Test(buddy, l4_fallback_takes_the_largest_movable_block, .fini = down)
{
	struct sim_op op;

	up_one_zone(ZONE_DMA32, 64, 1);
	Z(0, ZONE_DMA32)->_watermark[WMARK_LOW] = 0;	/* let the zone run low */
	Z(0, ZONE_DMA32)->_watermark[WMARK_MIN] = 0;
	/* take every max-order block but one, then split the last with a movable refill */
	for (int i = 0; i < 15; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL), NULL));
	/* UNMOVABLE: the largest MOVABLE block is the order-9 half: a pageblock, taken over */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(eq(int, op.level, 4));
	cr_assert(has_label(&op, "__rmqueue_fallback:do_steal"));
	cr_assert(has_label(&op, "steal_suitable_fallback:single_page"));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 1));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->watermark_boost, 0));
	cr_assert(buddy_check(stderr));
}

Test(buddy, l4_fallback_below_a_pageblock_boosts_and_claims, .fini = down)
{
	struct buddy_zone_info zi;
	struct sim_op op;

	up_one_zone(ZONE_DMA32, 64, 1);
	memset(Z(0, ZONE_DMA32)->_watermark, 0, sizeof(Z(0, ZONE_DMA32)->_watermark));
	Z(0, ZONE_DMA32)->_watermark[WMARK_HIGH] = 1200;	/* the boost cap reads it */
	for (int i = 0; i < 15; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 10, NULL), NULL));
	/* three movable order-8 blocks of the last block leave one MOVABLE order-8 block */
	for (int i = 0; i < 3; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 8, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(eq(int, op.level, 4));
	/* 256 free + 255 "alike" pages of 512: the pageblock becomes UNMOVABLE */
	cr_assert(has_label(&op, "steal_suitable_fallback:claim_block"));
	cr_assert(has_label(&op, "wakeup_kswapd"));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 1));
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.watermark_boost, 512));
	cr_assert(eq(u64, zi.wmark_min, 512));		/* zoneinfo's min includes the boost */
	cr_assert(not(test_bit_zone(ZONE_BOOSTED_WATERMARK, Z(0, ZONE_DMA32))));
	cr_assert(buddy_check(stderr));
}

Test(buddy, move_freepages_counts_compound_tails_as_movable, .fini = down)
{
	struct page *page;
	int free_pages, num_movable = -1;

	up_one_zone(ZONE_DMA32, 64, 1);
	/* an order-3 compound movable page at pfn 0; the refill of 2 leaves pfn 8 on the pcp */
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL | __GFP_COMP, 3, NULL);
	cr_assert(eq(u64, page_to_pfn(page), 0));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count, 8));
	/* PageLRU is PF_HEAD: all 8 pages count as movable; pcp pages do not */
	free_pages = move_freepages_block(Z(0, ZONE_DMA32), page, MIGRATE_MOVABLE, &num_movable);
	cr_assert(eq(int, free_pages, 512 - 16));
	cr_assert(eq(int, num_movable, 8));
	cr_assert(buddy_check(stderr));
}

Test(buddy, l5_other_zone_then_other_node, .fini = down)
{
	struct sim_op op;
	struct page *page;

	up_default();
	Z(0, ZONE_DMA32)->_watermark[WMARK_LOW] = 1UL << 30;
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 5));
	cr_assert(has_label(&op, "get_page_from_freelist:watermark_fail"));
	cr_assert(has_label(&op, "get_page_from_freelist:other_zone"));
	cr_assert(eq(int, op.zone, ZONE_DMA));
	cr_assert(eq(int, op.mem_node, 0));

	Z(0, ZONE_DMA)->_watermark[WMARK_LOW] = 1UL << 30;
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 5));
	cr_assert(eq(int, op.mem_node, 1));
	cr_assert(eq(int, op.zone, ZONE_DMA32));
	cr_assert(eq(u64, Z(1, ZONE_DMA32)->numa_event[NUMA_MISS], 1));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->numa_event[NUMA_FOREIGN], 1));
	cr_assert(eq(u64, Z(1, ZONE_DMA32)->numa_event[NUMA_OTHER], 1));
}

Test(buddy, l5_failure_records_what_the_kernel_would_do, .fini = down)
{
	struct sim_op op;

	up_default();
	zone_starve(0, ZONE_DMA);
	zone_starve(0, ZONE_DMA32);
	zone_starve(1, ZONE_DMA32);
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(op.failed);
	cr_assert(eq(int, op.level, 5));
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(has_label(&op, "__alloc_pages_direct_reclaim:no_progress"));	/* nothing on the LRU */
	cr_assert(has_label(&op, "out_of_memory:no_killable_processes"));	/* no task has memory */
	cr_assert(has_label(&op, "warn_alloc"));

	/* a non-blocking request stops before reclaim */
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_NOWAIT, 0, &op), NULL));
	cr_assert(op.failed);
	cr_assert(has_label(&op, "__alloc_pages_slowpath:nopage"));
	cr_assert(not(has_label(&op, "__alloc_pages_direct_reclaim")));

	/* order >= MAX_ORDER fails at once */
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, MAX_ORDER, &op), NULL));
	cr_assert(op.failed);
	cr_assert(buddy_check(stderr));
}

Test(buddy, atomic_dips_into_the_min_reserve_and_reserves_highatomic, .fini = down)
{
	struct sim_op op;
	struct page *page;

	up_default();
	zone_starve(0, ZONE_DMA);
	zone_starve(0, ZONE_DMA32);
	zone_starve(1, ZONE_DMA32);
	/* GFP_KERNEL must stay above min; GFP_ATOMIC only above 3/8 of it */
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL), NULL));
	page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(has_label(&op, "wake_all_kswapds"));
	cr_assert(eq(int, op.mem_node, 0));
	cr_assert(eq(int, op.zone, ZONE_DMA32));

	/* a high-order atomic allocation reserves its pageblock */
	page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 1, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "reserve_highatomic_pageblock"));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 512));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 1));
	cr_assert(buddy_check(stderr));
}

Test(buddy, thisnode_does_not_leave_the_node, .fini = down)
{
	struct sim_op op;

	up_default();
	zone_starve(1, ZONE_DMA32);
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(2, 1, GFP_KERNEL | __GFP_THISNODE, 0, &op), NULL));
	cr_assert(op.failed);
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(2, 1, GFP_KERNEL, 0, &op), NULL));
	cr_assert(eq(int, op.mem_node, 0));
}

Test(buddy, gfp_dma_uses_the_dma_zone, .fini = down)
{
	struct sim_op op;

	up_default();
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_DMA, 0, &op), NULL));
	cr_assert(eq(int, op.zone, ZONE_DMA));
	cr_assert(lt(u64, op.addr, 4096));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(2, 1, GFP_KERNEL | __GFP_DMA32, 2, &op), NULL));
	cr_assert(eq(int, op.zone, ZONE_DMA32));
	cr_assert(eq(int, op.mem_node, 1));
}

Test(buddy, interrupt_finding_the_pcp_held_goes_to_the_zone, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct sim_op op;
	struct page *page, *keep;

	up_default();
	keep = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);	/* fills the pcp */
	/* the interrupted task holds this CPU's pcp lock (IRQs stay on in 6.1.192) */
	pcp = pcp_spin_trylock(Z(0, ZONE_DMA32));
	cr_assert(ne(ptr, (void *)pcp, NULL));
	cr_assert(not(irqs_disabled()));
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "rmqueue_pcplist:trylock_failed"));
	cr_assert(has_label(&op, "rmqueue_buddy"));
	cr_assert(eq(int, op.level, 3));
	cr_assert(eq(int, pcp->count, 62));		/* untouched */

	helper_buddy_free(0, page, 0, &op);
	cr_assert(has_label(&op, "free_unref_page:trylock_failed"));
	cr_assert(has_label(&op, "free_one_page"));
	cr_assert(eq(int, op.level, 3));
	cr_assert(eq(int, pcp->count, 62));
	pcp_spin_unlock(pcp);

	helper_buddy_free(0, keep, 0, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count, 63));
	cr_assert(buddy_check(stderr));
}

Test(buddy, frees_fill_the_pcp_then_drain_with_a_growing_batch, .fini = down)
{
	struct page *pages[20];
	struct sim_op op;
	struct per_cpu_pages *pcp;
	/* count after each free with high 10, batch 3: drains of 3, then 6, then 7 (high - batch) */
	static const int want_count[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 7, 8, 9, 4, 5, 6, 7, 8, 9, 3, 4 };
	static const int want_level[20] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1 };

	up_one_zone(ZONE_DMA32, 64, 1);
	pcp = PCP(0, ZONE_DMA32, 0);
	cr_assert(eq(int, pcp->batch, 3));
	pcp->high = 10;
	for (int i = 0; i < 20; i++)
		pages[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(eq(int, pcp->count, 1));	/* 7 refills of 3 for 20 pages */
	drain_all_pages();
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(eq(int, pcp->free_factor, 0));
	for (int i = 0; i < 20; i++) {
		helper_buddy_free(0, pages[i], 0, &op);
		cr_assert(eq(int, pcp->count, want_count[i]), "free %d", i);
		cr_assert(eq(int, op.level, want_level[i]), "free %d", i);
	}
	cr_assert(has_label(&op, "free_unref_page_commit"));
	cr_assert(eq(int, pcp->free_factor, 2));	/* the third drain hit high - batch */
	/* an allocation halves the free factor */
	helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(eq(int, pcp->free_factor, 1));
	cr_assert(buddy_check(stderr));
}

/* ------------------------------------------------- sizing: 6.1 formulas */

struct zone_want {
	int nid, zid;
	unsigned long min, low, high;
	long reserve[MAX_NR_ZONES];
	int batch, pcp_high;
};

static void assert_sizing(int min_free_kbytes_want, const struct zone_want *w, int n)
{
	cr_assert(eq(int, buddy_min_free_kbytes(), min_free_kbytes_want));
	for (int i = 0; i < n; i++) {
		struct buddy_zone_info zi;
		struct buddy_pcp_info pi;

		buddy_zone_info(w[i].nid, w[i].zid, &zi);
		cr_assert(eq(u64, zi.wmark_min, w[i].min), "N%d %s", w[i].nid, zone_names[w[i].zid]);
		cr_assert(eq(u64, zi.wmark_low, w[i].low), "N%d %s", w[i].nid, zone_names[w[i].zid]);
		cr_assert(eq(u64, zi.wmark_high, w[i].high), "N%d %s", w[i].nid, zone_names[w[i].zid]);
		for (int j = 0; j < MAX_NR_ZONES; j++)
			cr_assert(eq(u64, zi.lowmem_reserve[j], (uint64_t)w[i].reserve[j]), "N%d %s [%d]",
				  w[i].nid, zone_names[w[i].zid], j);
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			buddy_pcp_info(w[i].nid, w[i].zid, cpu, &pi);
			cr_assert(eq(int, pi.batch, w[i].batch), "N%d %s cpu %d", w[i].nid, zone_names[w[i].zid], cpu);
			cr_assert(eq(int, pi.high, w[i].pcp_high), "N%d %s cpu %d", w[i].nid, zone_names[w[i].zid], cpu);
		}
	}
}

/*
 * Expected values below were worked out by hand (a few lines of Python
 * replaying init_per_zone_wmark_min, set_recommended_min_free_kbytes,
 * zone_batchsize and zone_highsize on the managed page counts); e.g. the
 * default machine: nr_free_buffer_pages = 524288 -> sqrt(524288*4*16) = 5792
 * kB, then THP: 3 zones * 512 * (2 + 9) = 16896 pages = 67584 kB.
 */
Test(buddy, sizing_default_machine, .fini = down)
{
	static const struct zone_want w[] = {
		{ 0, ZONE_DMA, 132, 165, 198, { 0, 1008, 1008, 1008 }, 1, 82 },
		{ 0, ZONE_DMA32, 8316, 10395, 12474, { 0 }, 63, 5197 },
		{ 1, ZONE_DMA32, 8448, 10560, 12672, { 0 }, 63, 5280 },
	};

	up_default();
	assert_sizing(67584, w, 3);
}

Test(buddy, sizing_small_zone_one_cpu, .fini = down)
{
	/* 64 MiB: THP's recommendation is capped at 5% of nr_free_buffer_pages */
	static const struct zone_want w[] = { { 0, ZONE_DMA32, 800, 1000, 1200, { 0 }, 3, 1000 } };

	up_one_zone(ZONE_DMA32, 64, 1);
	assert_sizing(3200, w, 1);
}

Test(buddy, sizing_16g_eight_cpus, .fini = down)
{
	uint64_t zones[1][4] = { { [ZONE_DMA] = 16, [ZONE_DMA32] = 4080, [ZONE_NORMAL] = 12288 } };
	int cpus[1] = { 8 };
	static const struct zone_want w[] = {
		{ 0, ZONE_DMA, 16, 20, 24, { 0, 4080, 16368, 16368 }, 1, 4 },
		{ 0, ZONE_DMA32, 4207, 5258, 6309, { 0, 0, 12288, 12288 }, 63, 657 },
		{ 0, ZONE_NORMAL, 12672, 15840, 19008, { 0 }, 63, 1980 },
	};

	sc = helper_buddy_machine_up(1, cpus, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	assert_sizing(67584, w, 3);
}

Test(buddy, sizing_four_nodes_one_without_cpus, .fini = down)
{
	uint64_t zones[4][4] = { { [ZONE_DMA] = 16, [ZONE_DMA32] = 2032 }, { [ZONE_NORMAL] = 2048 },
				 { [ZONE_NORMAL] = 2048 }, { [ZONE_NORMAL] = 2048 } };
	int cpus[4] = { 2, 2, 2, 0 };
	/* the CPU-less node splits its pcp high among all 6 online CPUs */
	static const struct zone_want w[] = {
		{ 0, ZONE_DMA, 55, 68, 81, { 0, 2032, 2032, 2032 }, 1, 34 },
		{ 0, ZONE_DMA32, 6985, 8731, 10477, { 0 }, 63, 4365 },
		{ 1, ZONE_NORMAL, 7040, 8800, 10560, { 0 }, 63, 4400 },
		{ 3, ZONE_NORMAL, 7040, 8800, 10560, { 0 }, 63, 1466 },
	};

	sc = helper_buddy_machine_up(4, cpus, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	assert_sizing(112640, w, 4);
}

Test(buddy, sizing_sysctls_from_the_scenario, .fini = down)
{
	static const struct zone_want w1[] = {
		{ 0, ZONE_DMA, 132, 213, 294, { 0, 1008, 1008, 1008 }, 1, 256 },
		{ 0, ZONE_DMA32, 8316, 13476, 18636, { 0 }, 63, 16128 },
		{ 1, ZONE_DMA32, 8448, 13690, 18932, { 0 }, 63, 16384 },
	};
	static const struct zone_want w2[] = {
		{ 0, ZONE_DMA, 195, 243, 291, { 0, 1008, 1008, 1008 }, 1, 121 },
		{ 0, ZONE_DMA32, 12304, 15380, 18456, { 0 }, 63, 7690 },
		{ 1, ZONE_DMA32, 12500, 15625, 18750, { 0 }, 63, 7812 },
	};

	sc = calloc(1, sizeof(*sc));
	sim_scenario_default(sc);
	sc->watermark_scale_factor = 200;
	sc->percpu_pagelist_high_fraction = 8;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	assert_sizing(67584, w1, 3);
	down();

	sc = calloc(1, sizeof(*sc));
	sim_scenario_default(sc);
	sc->min_free_kbytes = 100000;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	assert_sizing(100000, w2, 3);
}

Test(buddy, bad_sysctl_is_bad_input, .init = cr_redirect_stderr, .fini = down)
{
	struct sim_scenario s;

	sim_scenario_default(&s);
	s.percpu_pagelist_high_fraction = 4;	/* the kernel's sysctl takes 0 or >= 8 */
	cr_assert(ne(ptr, (void *)sim_scenario_engine_create(&s), NULL));
	cr_assert(eq(int, sim_scenario_buddy_init(&s), SIM_EBADINPUT));
	sim_engine_destroy(sim);
	fflush(stderr);
	cr_assert_stderr_eq_str("(default): buddy.percpu_pagelist_high_fraction: expected 0 or at least 8, got 4\n");
}

/*
 * The real machine: /work/shared/traces/debian-6.1.192-4cpu-2node/SNAP0/zoneinfo,
 * Debian 6.1.192 under QEMU, 4 CPUs, 2 nodes, 1 GiB each.  Copied from it:
 *   Node 0 DMA:   min 129  low 161   high 193   managed 3840    protection (0, 939, 939, 939, 939)
 *                 pagesets high 80 batch 1
 *   Node 0 DMA32: min 8095 low 10118 high 12141 managed 242463  pagesets high 5059 batch 63
 *   Node 1 DMA32: min 8671 low 10838 high 13005 managed 257826  pagesets high 5419 batch 63
 * The kernel set these at boot (lowmem_reserve at postcore initcall, watermarks
 * again when khugepaged started) and then freed init memory and the initrd
 * (free_initmem, free_initrd_mem), raising managed_pages without recomputing:
 * DMA's protection 939 = managed(DMA32)/256 says node 0's DMA32 had
 * 240384..240639 pages then, not 242463.  So the test gives the zones the
 * managed counts they had at boot -- 3840, 240517, 257648, the middle of the
 * range that also yields those min watermarks from min_free_kbytes 67584 --
 * replays the boot computation, and asserts every number zoneinfo shows.  What
 * does not depend on the boot-time counts is also checked on the snapshot's:
 * batch from managed, low/high from min, pcp high from low.
 */
Test(buddy, sizing_equals_a_real_6_1_192_zoneinfo, .fini = down)
{
	static const struct zone_want w[] = {
		{ 0, ZONE_DMA, 129, 161, 193, { 0, 939, 939, 939 }, 1, 80 },
		{ 0, ZONE_DMA32, 8095, 10118, 12141, { 0 }, 63, 5059 },
		{ 1, ZONE_DMA32, 8671, 10838, 13005, { 0 }, 63, 5419 },
	};
	static const unsigned long boot_managed[3] = { 3840, 240517, 257648 };
	static const unsigned long snap_managed[3] = { 3840, 242463, 257826 };
	struct zone *zones[3];

	up_default();		/* same topology: N0 DMA + DMA32, N1 DMA32, 2 vCPUs each */
	zones[0] = Z(0, ZONE_DMA);
	zones[1] = Z(0, ZONE_DMA32);
	zones[2] = Z(1, ZONE_DMA32);
	for (int i = 0; i < 3; i++) {
		zones[i]->managed_pages = boot_managed[i];
		memset(zones[i]->_watermark, 0, sizeof(zones[i]->_watermark));
	}
	min_free_kbytes = 1024;
	user_min_free_kbytes = -1;
	init_per_zone_wmark_min();
	set_recommended_min_free_kbytes();
	assert_sizing(67584, w, 3);

	/* the parts the snapshot's own managed counts determine */
	for (int i = 0; i < 3; i++) {
		unsigned long gap;

		zones[i]->managed_pages = snap_managed[i];
		cr_assert(eq(int, zone_batchsize(zones[i]) > 1 ? zone_batchsize(zones[i]) : 1, w[i].batch));
		gap = w[i].min / 4 > snap_managed[i] * 10 / 10000 ? w[i].min / 4 : snap_managed[i] * 10 / 10000;
		cr_assert(eq(u64, w[i].min + gap, w[i].low));
		cr_assert(eq(u64, w[i].low + gap, w[i].high));
		cr_assert(eq(int, zone_highsize(zones[i], w[i].batch, 0, percpu_pagelist_high_fraction), w[i].pcp_high));
	}
	/* vm stats threshold: 6 for DMA, 24 for the DMA32 zones */
	{
		struct buddy_pcp_info pi;

		buddy_pcp_info(0, ZONE_DMA, 0, &pi);
		cr_assert(eq(int, calculate_normal_threshold(zones[0]), 6));
		cr_assert(eq(int, calculate_normal_threshold(zones[1]), 24));
		cr_assert(eq(int, pi.stat_threshold, 6));
	}
}

/* ---------------------------------------------------- big machine, stress */

Test(buddy, one_tib_machine_starts_cheaply, .fini = down, .timeout = 2)
{
	uint64_t zones[1][4] = { { [ZONE_NORMAL] = 1ULL << 20 } };	/* 1 TiB */
	int cpus[1] = { 4 };
	static const struct zone_want w[] = { { 0, ZONE_NORMAL, 32768, 301203, 569638, { 0 }, 63, 75300 } };
	struct sim_op op;

	sc = helper_buddy_machine_up(1, cpus, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_NORMAL, MAX_ORDER - 1), 262144));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_NORMAL), 1ULL << 28));
	cr_assert(lt(u64, buddy_host_bytes(), 1ULL << 20), "host bytes %llu", (unsigned long long)buddy_host_bytes());
	assert_sizing(131072, w, 1);

	for (int i = 0; i < 16; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(i & 3, 0, GFP_KERNEL, i & 7, &op), NULL));
	cr_assert(lt(u64, buddy_host_bytes(), 4ULL << 20), "host bytes %llu", (unsigned long long)buddy_host_bytes());
	cr_assert(buddy_check(stderr));
}

Test(buddy, random_stress_keeps_the_invariants, .fini = down)
{
	enum { NR_OPS = 4000, MAX_LIVE = 300 };
	static const unsigned int order_of[16] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 9, 10 };
	static const gfp_t mt_gfp[3] = { 0, __GFP_MOVABLE, __GFP_RECLAIMABLE };
	struct page *live[MAX_LIVE];
	unsigned int live_order[MAX_LIVE];
	struct sim_prng rng;
	uint64_t total = 0;
	int nr_live = 0, nr_failed = 0;

	up_default();
	sim_prng_seed(&rng, 42);
	for (int i = 0; i < NR_OPS; i++) {
		int cpu = (int)sim_prng_below(&rng, 4);

		if (nr_live == MAX_LIVE || (nr_live && sim_prng_below(&rng, 100) < 45)) {
			int k = (int)sim_prng_below(&rng, (uint64_t)nr_live);

			helper_buddy_free(cpu, live[k], live_order[k], NULL);
			live[k] = live[--nr_live];
			live_order[k] = live_order[nr_live];
		} else {
			unsigned int order = order_of[sim_prng_below(&rng, 16)];
			gfp_t gfp = (sim_prng_below(&rng, 10) ? GFP_KERNEL : GFP_ATOMIC) | mt_gfp[sim_prng_below(&rng, 3)];
			struct page *page = helper_buddy_alloc(cpu, (int)sim_prng_below(&rng, 2), gfp, order, NULL);

			if (!page) {
				nr_failed++;
				continue;
			}
			live[nr_live] = page;
			live_order[nr_live++] = order;
		}
		if (i == NR_OPS / 2)
			cr_assert(buddy_check(stderr));
	}
	cr_assert(eq(int, nr_failed, 0));
	cr_assert(buddy_check(stderr));
	while (nr_live) {
		nr_live--;
		helper_buddy_free(nr_live & 3, live[nr_live], live_order[nr_live], NULL);
	}
	drain_all_pages();
	cr_assert(buddy_check(stderr));
	for (int nid = 0; nid < 2; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			total += buddy_zone_free_pages(nid, zid);
	cr_assert(eq(u64, total, 524288));
}

/* buddy_check's report of a crafted corruption, as a string (malloc'd). */
static char *check_report(bool *ok)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(ne(ptr, (void *)f, NULL));
	*ok = buddy_check(f);
	fclose(f);
	return buf;
}

Test(buddy, check_catches_crafted_corruption, .fini = down)
{
	struct page *order3, *order0, *free_head;
	struct zone *zone;
	char *why;
	bool ok;

	up_one_zone(ZONE_DMA32, 64, 1);
	zone = Z(0, ZONE_DMA32);
	order3 = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 3, NULL);
	order0 = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(buddy_check(stderr));

	/* a free_area count that disagrees with its lists */
	zone->free_area[3].nr_free++;
	why = check_report(&ok);
	cr_assert(not(ok));
	cr_assert(ne(ptr, strstr(why, "nr_free says"), NULL), "%s", why);
	free(why);
	zone->free_area[3].nr_free--;

	/* a free block that lost its PageBuddy mark */
	free_head = page_list_first(&zone->free_area[3].free_list[MIGRATE_MOVABLE].list);
	free_head->flags &= ~PG_buddy;
	why = check_report(&ok);
	cr_assert(not(ok));
	cr_assert(ne(ptr, strstr(why, "free_list[3][1]"), NULL), "%s", why);
	free(why);
	free_head->flags |= PG_buddy;

	/* an allocated page that forgot it was allocated: its pages are nowhere */
	order3->flags &= ~PG_allocated;
	why = check_report(&ok);
	cr_assert(not(ok));
	cr_assert(ne(ptr, strstr(why, "add up to 16376 of 16384"), NULL), "%s", why);
	free(why);
	order3->flags |= PG_allocated;

	/* a pcp count off by one */
	PCP(0, ZONE_DMA32, 0)->count++;
	why = check_report(&ok);
	cr_assert(not(ok));
	cr_assert(ne(ptr, strstr(why, "count says"), NULL), "%s", why);
	free(why);
	PCP(0, ZONE_DMA32, 0)->count--;

	/* the same page handed out twice: allocated and on a free list */
	order0->flags &= ~PG_allocated;
	add_to_free_list(order0, zone, 0, MIGRATE_MOVABLE);
	set_buddy_order(order0, 0);
	order0->flags |= PG_allocated;
	zone->vm_stat[NR_FREE_PAGES]++;
	why = check_report(&ok);
	cr_assert(not(ok));
	cr_assert(ne(ptr, strstr(why, "overlaps"), NULL), "%s", why);
	free(why);
	del_page_from_free_list(order0, zone, 0);
	zone->vm_stat[NR_FREE_PAGES]--;
	cr_assert(buddy_check(stderr));

	/* a double free is refused and counted, not merged */
	helper_buddy_free(0, order3, 3, NULL);
	helper_buddy_free(0, order3, 3, NULL);
	cr_assert(eq(u64, zone->nr_bad_pages, 1));
	cr_assert(buddy_check(stderr));
}

/* ------------------------------------------------- kernel config and overrides */

/* One node, 2 vCPUs, a 1 GiB DMA32 zone (262144 pages, all managed). */
static struct sim_scenario *one_gib_machine(bool thp)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	cr_assert(not(eq(ptr, sc, NULL)));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 2;
	sc->node[0].zone_mib[ZONE_DMA32] = 1024;
	sc->thp = thp;
	return sc;
}

/*
 * CONFIG_TRANSPARENT_HUGEPAGE off: only init_per_zone_wmark_min sets
 * min_free_kbytes.  By hand, from mm/page_alloc.c:
 *   nr_free_buffer_pages() = managed - high watermark (still 0) = 262144
 *   lowmem_kbytes = 262144 * 4 = 1048576; int_sqrt(1048576 * 16) = 4096 -> min_free_kbytes 4096
 *   __setup_per_zone_wmarks: pages_min = 4096 >> 2 = 1024, one zone: min 1024
 *   tmp = max(min / 4, managed * watermark_scale_factor 10 / 10000) = max(256, 262) = 262
 *   low = 1024 + 262 = 1286, high = 1286 + 262 = 1548
 * With THP, khugepaged's set_recommended_min_free_kbytes raises it to
 *   (512 * 1 zone * 2 + 512 * 1 * 3 * 3) pages = 5632 pages = 22528 kB.
 */
Test(buddy, thp_off_keeps_init_per_zone_wmark_min)
{
	struct sim_scenario *sc = helper_buddy_machine_up_sc(one_gib_machine(false));
	struct buddy_zone_info zi;

	cr_assert(not(eq(ptr, sc, NULL)));
	cr_assert(eq(int, buddy_min_free_kbytes(), 4096));
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.wmark_min, 1024));
	cr_assert(eq(u64, zi.wmark_low, 1286));
	cr_assert(eq(u64, zi.wmark_high, 1548));
	cr_assert(not(pcp_allowed_order(pageblock_order)));	/* no THP pcp lists */
	helper_buddy_machine_down(sc);

	sc = helper_buddy_machine_up_sc(one_gib_machine(true));
	cr_assert(eq(int, buddy_min_free_kbytes(), 22528));
	cr_assert(pcp_allowed_order(pageblock_order));
	helper_buddy_machine_down(sc);
}

/* pageblock_order 10 (no HUGETLB_PAGE): khugepaged's recommendation doubles, 11264 pages. */
Test(buddy, pageblock_order_is_a_run_time_value)
{
	struct sim_scenario *sc = one_gib_machine(true);

	sc->page_block_order = 10;
	cr_assert(not(eq(ptr, helper_buddy_machine_up_sc(sc), NULL)));
	cr_assert(eq(u32, pageblock_order, 10));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
	cr_assert(eq(int, buddy_min_free_kbytes(), 45056));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_MOVABLE), 256));
	helper_buddy_machine_down(sc);
	cr_assert(eq(u32, pageblock_order, 9));		/* back to the default */
}

/* A capture's zoneinfo applied verbatim after boot: watermarks, pcp high and batch. */
Test(buddy, watermark_and_pcp_overrides_apply_after_boot)
{
	struct sim_scenario *sc = one_gib_machine(false);
	struct buddy_zone_info zi;
	struct buddy_pcp_info pi;

	sc->node[0].wmark_min[ZONE_DMA32] = 708;
	sc->node[0].wmark_low[ZONE_DMA32] = 961;
	sc->node[0].wmark_high[ZONE_DMA32] = 1214;
	sc->node[0].pcp_high[ZONE_DMA32] = 480;
	sc->node[0].pcp_batch[ZONE_DMA32] = 63;
	cr_assert(not(eq(ptr, helper_buddy_machine_up_sc(sc), NULL)));
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.wmark_min, 708));
	cr_assert(eq(u64, zi.wmark_low, 961));
	cr_assert(eq(u64, zi.wmark_high, 1214));
	cr_assert(eq(u64, zi.wmark_promo, 1467));
	for (int cpu = 0; cpu < 2; cpu++) {
		buddy_pcp_info(0, ZONE_DMA32, cpu, &pi);
		cr_assert(eq(int, pi.high, 480));
		cr_assert(eq(int, pi.batch, 63));
	}
	cr_assert(eq(int, buddy_min_free_kbytes(), 4096));	/* the sysctl stays as computed */
	helper_buddy_machine_down(sc);
}
