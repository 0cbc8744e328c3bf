/*
 * test_buddy_612.c - the zone side of the Linux 6.12 page allocator
 * (models/buddy/6.12/page_alloc.c) beside 6.1's: the watermarks and reserves
 * of the 6.12 captures' machine against its kernel's /proc/zoneinfo, and
 * fallback and highatomic decisions on a crafted state where 6.12 and 6.1
 * part ways.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/cli/procinfo.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

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

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

/*
 * The machine of oracle-slub-stats-6.12.118-4cpu-2node (its SNAP0/zoneinfo):
 * 2 nodes x 2 CPUs, one DMA32 zone each, no ZONE_DMA, no THP, no hugetlb
 * (pageblock_order 10).  Node 0 holds the kernel image and initrd, whose
 * 647 pages dmesg frees after the postcore initcall set the watermarks:
 * initrd 1012K + initmem 1032K + rodata/data gap 544K = 2588K = 647 pages
 * (SMP alternatives, 20K, are freed before the initcalls run).
 */
static void up_oracle_612_machine(enum kernel_version v)
{
	kernel_version = v;
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 2;
	sc->thp = false;
	sc->page_block_order = 10;
	for (int n = 0; n < 2; n++) {
		memset(&sc->node[n], 0, sizeof(sc->node[n]));
		sc->node[n].nr_cpus = 2;
	}
	sc->node[0].zone_start_pfn[ZONE_DMA32] = 1;
	sc->node[0].zone_spanned_pages[ZONE_DMA32] = 262143;
	sc->node[0].zone_present_pages[ZONE_DMA32] = 262046;
	sc->node[0].zone_managed_pages[ZONE_DMA32] = 253977;
	sc->node[0].zone_late_freed_pages[ZONE_DMA32] = 647;
	sc->node[0].zone_mib[ZONE_DMA32] = (262143 + 255) / 256;
	sc->node[1].zone_start_pfn[ZONE_DMA32] = 262144;
	sc->node[1].zone_spanned_pages[ZONE_DMA32] = 262103;
	sc->node[1].zone_present_pages[ZONE_DMA32] = 262103;
	sc->node[1].zone_managed_pages[ZONE_DMA32] = 257892;
	sc->node[1].zone_mib[ZONE_DMA32] = (262103 + 255) / 256;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
}

/*
 * Hand derivation (mm/page_alloc.c 6.12, init_per_zone_wmark_min at postcore):
 *   managed then: node 0 253977 - 647 = 253330, node 1 257892; lowmem 511222
 *   (ZONE_MOVABLE is empty, and 6.12 leaves it out of lowmem anyway).
 *   calculate_min_free_kbytes: nr_free_buffer_pages = 511222 (no watermark
 *   yet), int_sqrt(511222 * 4 * 16 = 32718208) = 5719 -> min_free_kbytes 5719.
 *   __setup_per_zone_wmarks: pages_min = 5719 >> 2 = 1429;
 *     node 0 min = 1429 * 253330 / 511222 = 708 (708.1);
 *       gap = max(708 >> 2 = 177, 253330 * 10 / 10000 = 253) = 253:
 *       low 961, high 1214, promo 1467;
 *     node 1 min = 1429 * 257892 / 511222 = 720 (720.9); gap max(180, 257) = 257:
 *       low 977, high 1234, promo 1491;
 *     ZONE_MOVABLE (6.12 only): min = clamp(0 / 1024, SWAP_CLUSTER_MAX, 128) = 32,
 *       gap max(0, 0) = 0: 32 / 32 / 32 / 32 (6.1: 0 everywhere);
 *     ZONE_NORMAL: 0.
 *   lowmem_reserve: DMA32 ratio 256 over Normal + Movable managed 0 -> 0; all 0.
 *   The kernel's zoneinfo: DMA32 708/961/1214/1467 and 720/977/1234/1491,
 *   Movable 32/32/32/32, managed 253977 and 257892, protection (0, 0, 0).
 */
Test(buddy612, watermarks_and_reserves_match_the_6_12_oracle_zoneinfo, .fini = down)
{
	static const uint64_t want[2][4] = { { 708, 961, 1214, 1467 }, { 720, 977, 1234, 1491 } };
	struct buddy_zone_info zi;

	up_oracle_612_machine(KERNEL_6_12);
	cr_assert(eq(int, buddy_min_free_kbytes(), 5719));
	for (int n = 0; n < 2; n++) {
		buddy_zone_info(n, ZONE_DMA32, &zi);
		cr_assert(eq(u64, zi.wmark_min, want[n][0]), "node %d min", n);
		cr_assert(eq(u64, zi.wmark_low, want[n][1]), "node %d low", n);
		cr_assert(eq(u64, zi.wmark_high, want[n][2]), "node %d high", n);
		cr_assert(eq(u64, zi.wmark_promo, want[n][3]), "node %d promo", n);
		cr_assert(eq(u64, zi.managed, n ? 257892 : 253977));
		for (int j = 0; j < MAX_NR_ZONES; j++)
			cr_assert(eq(u64, zi.lowmem_reserve[j], 0));
		buddy_zone_info(n, ZONE_MOVABLE, &zi);
		cr_assert(eq(u64, zi.wmark_min, 32));
		cr_assert(eq(u64, zi.wmark_low, 32));
		cr_assert(eq(u64, zi.wmark_high, 32));
		cr_assert(eq(u64, zi.wmark_promo, 32));
		buddy_zone_info(n, ZONE_NORMAL, &zi);
		cr_assert(eq(u64, zi.wmark_min, 0));
	}
	/* calculate_totalreserve_pages: high of each DMA32 zone; Movable's 32 clamps to its 0 managed */
	cr_assert(eq(u64, totalreserve_pages, 1214 + 1234));
}

/* 6.1 on the same machine: the same DMA32 watermarks, an empty Movable zone with none. */
Test(buddy612, movable_watermarks_are_6_12_only, .fini = down)
{
	struct buddy_zone_info zi;

	up_oracle_612_machine(KERNEL_6_1);
	buddy_zone_info(0, ZONE_DMA32, &zi);
	cr_assert(eq(u64, zi.wmark_min, 708));
	cr_assert(eq(u64, zi.wmark_high, 1214));
	buddy_zone_info(0, ZONE_MOVABLE, &zi);
	cr_assert(eq(u64, zi.wmark_min, 0));
	cr_assert(eq(u64, zi.wmark_promo, 0));
}

/*
 * One node, one 64 MiB DMA32 zone (16 pageblocks of order 10), one CPU.
 * Movable compound order-9 allocations take every block but one, and 896 pages of the last
 * (orders 9, 8, 7), leaving one free order-7 block, MOVABLE, in a MOVABLE
 * pageblock whose other pages are all movable.
 */
static void up_crafted_mib(enum kernel_version v, uint64_t mib)
{
	uint64_t zones[1][4] = { { 0, mib, 0, 0 } };

	sc = helper_buddy_crafted_up(v, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void up_crafted(enum kernel_version v)
{
	up_crafted_mib(v, 64);
}

static void fill_but_one_order7(void)
{
	/* order 9 in pairs: each order-10 block is split and used up before the next */
	while (buddy_zone_free_pages(0, ZONE_DMA32) > 1024)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_COMP, 9, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_MOVABLE), 1));
	for (unsigned int order = 9; order >= 7; order--)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE | __GFP_COMP, order, NULL), NULL));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 128));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 7, MIGRATE_MOVABLE), 1));
}

static uint64_t free_blocks_of(int mt)
{
	uint64_t n = 0;

	for (int order = 0; order < MAX_ORDER; order++)
		n += buddy_zone_nr_free_mt(0, ZONE_DMA32, order, mt);
	return n;
}

/*
 * An unmovable order-1 allocation (through the pcp: rmqueue_bulk of a batch)
 * with no unmovable page free.  6.1's __rmqueue_fallback steals the order-7
 * block and moves the pageblock's free pages to the UNMOVABLE lists though
 * it cannot claim the block (128 free + 0 alike < 512), so what the refill
 * leaves is on UNMOVABLE lists inside a MOVABLE pageblock.  6.12's
 * try_to_steal_block refuses the block, __rmqueue_steal takes the smallest
 * piece and leaves the rest on the MOVABLE lists; the pageblock stays MOVABLE
 * in both.
 */
static void unmovable_fallback(enum kernel_version v, struct sim_op *op)
{
	struct page *page;

	up_crafted(v);
	fill_but_one_order7();
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 1, op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op->level, 4));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_MOVABLE));
	cr_assert(buddy_check(stderr));
}

Test(buddy612, unmovable_fallback_6_1_moves_the_free_pages, .fini = down)
{
	struct sim_op op;

	unmovable_fallback(KERNEL_6_1, &op);
	cr_assert(has_label(&op, "steal_suitable_fallback"));
	cr_assert(not(has_label(&op, "steal_suitable_fallback:claim_block")));
	cr_assert(lt(u64, 0, free_blocks_of(MIGRATE_UNMOVABLE)));
	cr_assert(eq(u64, free_blocks_of(MIGRATE_MOVABLE), 0));
}

Test(buddy612, unmovable_fallback_6_12_steals_one_piece, .fini = down)
{
	struct sim_op op;

	unmovable_fallback(KERNEL_6_12, &op);
	cr_assert(has_label(&op, "try_to_steal_block"));
	cr_assert(has_label(&op, "__rmqueue_steal"));
	cr_assert(not(has_label(&op, "try_to_steal_block:claim_block")));
	cr_assert(eq(u64, free_blocks_of(MIGRATE_UNMOVABLE), 0));
	cr_assert(lt(u64, 0, free_blocks_of(MIGRATE_MOVABLE)));
}

static unsigned int count_label(const struct sim_op *op, const char *label)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < op->nr_labels; i++)
		n += !strcmp(sim_path_label_name(op->labels[i]), label);
	return n;
}

/*
 * __rmqueue (6.12 mm/page_alloc.c:2334-2365) remembers in rmqueue_bulk's *mode where it
 * found pages: after __rmqueue_steal ("*mode = RMQUEUE_STEAL") the next calls of the same
 * refill go straight to the steal, skipping __rmqueue_smallest and the claim.  The same
 * order-7 block as above and an order-0 unmovable request: the refill takes several pages
 * (pcp->count after it), but try_to_steal_block runs once, on the first call only, and
 * every piece comes from the MOVABLE lists of the still MOVABLE pageblock.
 */
Test(buddy612, a_refill_steals_without_claiming_again_6_12, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct page *page;
	struct sim_op op;

	up_crafted(KERNEL_6_12);
	fill_but_one_order7();
	pcp = per_cpu_ptr(Z(0, ZONE_DMA32)->per_cpu_pageset, 0);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(lt(int, 1, pcp->count), "the refill took more than one page");
	cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 128 - 1 - (uint64_t)pcp->count));
	cr_expect(eq(uint, count_label(&op, "try_to_steal_block"), 1));
	cr_expect(eq(uint, count_label(&op, "__rmqueue_steal"), 1), "one run of steals");
	cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_MOVABLE));
	cr_expect(eq(u64, free_blocks_of(MIGRATE_UNMOVABLE), 0));
	cr_assert(buddy_check(stderr));
}

/*
 * get_page_from_freelist's reserve_highatomic_pageblock after a high-order
 * atomic allocation (ALLOC_HIGHATOMIC: the slow path of a non-blocking
 * order > 0 request), asked directly for an order-4 page in a 16384-page
 * zone: 6.1 may reserve up to 1% + a pageblock (163 + 1024), so the block
 * becomes HIGHATOMIC; 6.12 reserves nothing when 1% (163) is under a
 * pageblock (1024).
 */
static struct page *atomic_page_and_reserve(void)
{
	struct page *page = helper_buddy_alloc(0, 0, GFP_ATOMIC, 4, NULL);

	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));
	KOPS(buddy)->reserve_highatomic_pageblock(page, page_zone(page), 4);
	return page;
}

Test(buddy612, highatomic_reserve_6_1_reserves, .fini = down)
{
	struct page *page;

	up_crafted(KERNEL_6_1);
	page = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 1024));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	cr_assert(buddy_check(stderr));
}

Test(buddy612, highatomic_reserve_6_12_skips_small_zones, .fini = down)
{
	struct page *page;

	up_crafted(KERNEL_6_12);
	page = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 0));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 0));
	cr_assert(buddy_check(stderr));
}

/*
 * 6.12 counts the free pages of HIGHATOMIC blocks (nr_free_highatomic), which
 * the watermark check discounts instead of the whole reserve.  A 1 GiB zone
 * (262144 pages, pageblock 1024): 1% is 2621 >= 1024, so 6.12 may reserve
 * ALIGN(2621, 1024) = 3072.  The order-4 page's block (the rest of it free:
 * 1024 - 16 pages) becomes HIGHATOMIC; freeing the page gives back its 16.
 */
Test(buddy612, nr_free_highatomic_counts_free_reserved_pages, .fini = down)
{
	struct page *page;

	up_crafted_mib(KERNEL_6_12, 1024);
	page = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 1024));
	cr_assert(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 1024 - 16));
	helper_buddy_free(0, page, 4, NULL);
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 1024));
	cr_assert(buddy_check(stderr));
}

/* /proc/vmstat of a 6.12 run: Debian 6.12.118's 185 lines in its order (the
 * debian-6.12 capture's file: nr_unaccepted 12th, pgdemote_kswapd 63rd,
 * nr_memmap_pages 68th, pgfree 89th, zswpwb 182nd, nr_unstable last); 6.1's
 * values under the same names, 0 for what 6.1 does not have. */
Test(buddy612, vmstat_prints_6_12_lines, .fini = down)
{
	const char *names[NR_VMSTAT_LINES_MAX];
	uint64_t values[NR_VMSTAT_LINES_MAX];
	int n;

	up_crafted(KERNEL_6_12);
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL), NULL));
	n = buddy_vmstat(names, values, NR_VMSTAT_LINES_MAX);
	cr_assert(eq(int, n, 185));
	cr_assert(eq(str, (char *)names[0], "nr_free_pages"));
	cr_assert(eq(u64, values[0], global_zone_page_state(NR_FREE_PAGES)));
	cr_assert(eq(str, (char *)names[11], "nr_unaccepted"));
	cr_assert(eq(u64, values[11], 0));
	cr_assert(eq(str, (char *)names[62], "pgdemote_kswapd"));
	cr_assert(eq(str, (char *)names[67], "nr_memmap_pages"));
	cr_assert(eq(str, (char *)names[88], "pgfree"));
	cr_assert(eq(str, (char *)names[181], "zswpwb"));
	cr_assert(eq(str, (char *)names[184], "nr_unstable"));
	cr_assert(lt(u64, 0, values[12]));	/* numa_hit: the allocation above */
	cr_assert(eq(str, (char *)names[12], "numa_hit"));
}

/* 6.1 keeps its 173 lines. */
Test(buddy612, vmstat_6_1_unchanged, .fini = down)
{
	const char *names[NR_VMSTAT_LINES_MAX];
	uint64_t values[NR_VMSTAT_LINES_MAX];

	up_crafted(KERNEL_6_1);
	cr_assert(eq(int, buddy_vmstat(names, values, NR_VMSTAT_LINES_MAX), 173));
	cr_assert(eq(str, (char *)names[11], "numa_hit"));
}

/* zoneinfo's 6.12 layout: "promo" between high and spanned (zoneinfo_show_print 6.12),
 * the 6.12 oracle's node 0 DMA32 and empty Movable zone as its SNAP0 prints them. */
Test(buddy612, zoneinfo_prints_promo_for_6_12)
{
	struct sim_procinfo_zone z[2] = {
		{ .nid = 0, .zid = 1, .populated = false, .free_pages = 197563, .min = 708, .low = 961,
		  .high = 1214, .promo = 1467, .spanned = 262143, .present = 262046,
		  .managed = 253977 },
		{ .nid = 0, .zid = 3, .populated = false, .min = 32, .low = 32, .high = 32,
		  .promo = 32 },
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(ne(ptr, (void *)f, NULL));
	sim_procinfo_print_zoneinfo(z, 2, KERNEL_6_12, f);
	fclose(f);
	cr_assert(eq(str, buf,
		     "Node 0, zone    DMA32\n"
		     "  pages free     197563\n"
		     "        boost    0\n"
		     "        min      708\n"
		     "        low      961\n"
		     "        high     1214\n"
		     "        promo    1467\n"
		     "        spanned  262143\n"
		     "        present  262046\n"
		     "        managed  253977\n"
		     "        cma      0\n"
		     "        protection: (0, 0, 0, 0, 0)\n"
		     "Node 0, zone  Movable\n"
		     "  pages free     0\n"
		     "        boost    0\n"
		     "        min      32\n"
		     "        low      32\n"
		     "        high     32\n"
		     "        promo    32\n"
		     "        spanned  0\n"
		     "        present  0\n"
		     "        managed  0\n"
		     "        cma      0\n"
		     "        protection: (0, 0, 0, 0, 0)\n"));
	free(buf);
}

/*
 * 6.12's reserve limit on the 1 GiB zone: whole blocks up to ALIGN(1% = 2621, 1024) =
 * 3072 pages.  Three order-4 GFP_ATOMIC pages, each from a fresh UNMOVABLE block
 * (atomic_page_and_reserve checks it), make three HIGHATOMIC blocks: 1024, 2048, 3072;
 * asking again for a block that is already HIGHATOMIC changes nothing (not mergeable);
 * a fourth block stays UNMOVABLE once the reserve is full.
 */
Test(buddy612, highatomic_reserve_6_12_stops_at_one_percent_in_blocks, .fini = down)
{
	struct page *p[4];

	up_crafted_mib(KERNEL_6_12, 1024);
	p[0] = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 1024));
	KOPS(buddy)->reserve_highatomic_pageblock(p[0], page_zone(p[0]), 4);
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 1024), "the same block twice");
	p[1] = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 2048));
	p[2] = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 3072));
	p[3] = atomic_page_and_reserve();
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_reserved_highatomic, 3072));
	cr_assert(eq(int, get_pageblock_migratetype(p[3]), MIGRATE_UNMOVABLE));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), 3));
	/* each reserved block's other 1008 pages are free HIGHATOMIC pages */
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 3 * (1024 - 16)));
	for (int i = 0; i < 4; i++)
		helper_buddy_free(0, p[i], 4, NULL);
	cr_assert(eq(u64, Z(0, ZONE_DMA32)->nr_free_highatomic, 3 * 1024));
	cr_assert(buddy_check(stderr));
}
