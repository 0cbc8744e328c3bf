/*
 * test_buddy_zone_pins.c - whole rules of the zone side, each value the model
 * decides checked against the formula of linux-6.1 mm/page_alloc.c, suite
 * `buddy_zone_pins`: calculate_totalreserve_pages per node and in all,
 * zone_watermark_fast's order-0 fast check and its GFP_ATOMIC retry at the
 * unboosted min mark, and what /proc/zoneinfo's views copy from the zone.
 *
 * Strategy: small machines, the zone's own fields (watermarks, boost,
 * reserves, counters) set by hand around the free count the check reads,
 * then every case of the rule, on both sides of each boundary.
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
static const int default_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32, [ZONE_MOVABLE] = 0,
};

static void down(void)
{
	memcpy(sysctl_lowmem_reserve_ratio, default_ratio, sizeof(default_ratio));
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static struct zone *Z(int nid, int zid)
{
	return &NODE_DATA(nid)->node_zones[zid];
}

static void up(int nr_nodes, const uint64_t (*zone_mib)[4])
{
	int c[2] = { 1, 1 };

	sc = helper_buddy_machine_up(nr_nodes, c, zone_mib);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * calculate_totalreserve_pages (6.1 mm/page_alloc.c): for each zone, the largest
 * lowmem_reserve[j] with j >= the zone's index, plus high_wmark_pages, at most the zone's
 * managed pages; summed per node into pgdat->totalreserve_pages (reset first) and over all
 * nodes into totalreserve_pages.
 */
static void check_totalreserve(int nr_nodes)
{
	unsigned long all = 0;

	for (int nid = 0; nid < nr_nodes; nid++) {
		unsigned long node = 0;

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *z = Z(nid, i);
			long max = 0;

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (z->lowmem_reserve[j] > max)
					max = z->lowmem_reserve[j];
			max += (long)high_wmark_pages(z);
			if ((unsigned long)max > z->managed_pages)
				max = (long)z->managed_pages;
			node += (unsigned long)max;
		}
		cr_expect(eq(u64, NODE_DATA(nid)->totalreserve_pages, node), "node %d", nid);
		all += node;
	}
	cr_expect(eq(u64, totalreserve_pages, all));
}

Test(buddy_zone_pins, totalreserve_pages_per_node_and_in_all, .fini = down)
{
	uint64_t zones[2][4] = { { 16, 256, 128, 0 }, { 0, 0, 256, 0 } };

	up(2, (const uint64_t (*)[4])zones);
	check_totalreserve(2);
	/* node 1 has only Normal: its reserve is Normal's high mark (no reserve above it) */
	cr_expect(eq(u64, NODE_DATA(1)->totalreserve_pages, high_wmark_pages(Z(1, ZONE_NORMAL))));
	cr_expect(lt(u64, 0, NODE_DATA(0)->totalreserve_pages));

	/* ratio 1 for DMA: its reserve for the zones above is larger than DMA itself, so DMA's
	 * share is capped at its managed pages (setup_per_zone_lowmem_reserve recalculates) */
	sysctl_lowmem_reserve_ratio[ZONE_DMA] = 1;
	setup_per_zone_lowmem_reserve();
	cr_expect(lt(long, (long)Z(0, ZONE_DMA)->managed_pages, Z(0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL]));
	check_totalreserve(2);

	/* again, with a boost on node 1: recomputed from zero, not added to the old sum */
	Z(1, ZONE_NORMAL)->watermark_boost = 12;
	calculate_totalreserve_pages();
	calculate_totalreserve_pages();
	check_totalreserve(2);
	cr_expect(eq(u64, NODE_DATA(1)->totalreserve_pages, high_wmark_pages(Z(1, ZONE_NORMAL))));
	Z(1, ZONE_NORMAL)->watermark_boost = 0;
}

/*
 * zone_watermark_fast (6.1 mm/page_alloc.c): order 0 passes at once when the free pages less
 * the unusable ones (__zone_watermark_unusable_free: the reserved highatomic pages unless
 * ALLOC_RESERVES) exceed mark + lowmem_reserve[highest_zoneidx]; otherwise
 * __zone_watermark_ok; otherwise, only for order 0, __GFP_ATOMIC, a boosted zone and the
 * min mark ((alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN), once more against the
 * unboosted _watermark[WMARK_MIN].
 */
Test(buddy_zone_pins, watermark_fast_and_the_atomic_retry_without_the_boost, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct zone *z;
	long free;

	up(1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	free = (long)zone_page_state(z, NR_FREE_PAGES);
	cr_assert(lt(long, 1000, free));
	z->nr_reserved_highatomic = 0;
	memset(z->lowmem_reserve, 0, sizeof(z->lowmem_reserve));

	/* the fast check: strictly above the mark */
	cr_expect(zone_watermark_fast(z, 0, (unsigned long)free - 1, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL));
	cr_expect(not(zone_watermark_fast(z, 0, (unsigned long)free, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL)));
	/* lowmem_reserve of the request's highest zone is added to the mark */
	z->lowmem_reserve[ZONE_NORMAL] = 10;
	cr_expect(zone_watermark_fast(z, 0, (unsigned long)free - 11, ZONE_NORMAL, ALLOC_WMARK_LOW, GFP_KERNEL));
	cr_expect(not(zone_watermark_fast(z, 0, (unsigned long)free - 10, ZONE_NORMAL, ALLOC_WMARK_LOW, GFP_KERNEL)));
	cr_expect(zone_watermark_fast(z, 0, (unsigned long)free - 10, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL));
	z->lowmem_reserve[ZONE_NORMAL] = 0;
	/* reserved highatomic pages are not usable, unless the request may use the reserves */
	z->nr_reserved_highatomic = 8;
	cr_expect(zone_watermark_fast(z, 0, (unsigned long)free - 9, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL));
	cr_expect(not(zone_watermark_fast(z, 0, (unsigned long)free - 8, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL)));
	cr_expect(zone_watermark_fast(z, 0, (unsigned long)free - 8, ZONE_DMA32,
				      ALLOC_WMARK_LOW | ALLOC_HIGHATOMIC, GFP_KERNEL));
	z->nr_reserved_highatomic = 0;

	/* the retry: the mark fails, the unboosted min passes */
	z->_watermark[WMARK_MIN] = (unsigned long)free / 2;
	z->watermark_boost = 64;
	unsigned long mark = (unsigned long)free + 100;

	cr_expect(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_ATOMIC));
	cr_expect(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN | ALLOC_CPUSET, GFP_ATOMIC));
	cr_expect(not(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_ATOMIC)));
	cr_expect(not(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_HIGH, GFP_ATOMIC)));
	cr_expect(not(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_NOWAIT | __GFP_HIGH)));
	cr_expect(not(zone_watermark_fast(z, 1, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_ATOMIC)));
	/* the retry's own check is strict too: free must exceed the unboosted min */
	z->_watermark[WMARK_MIN] = (unsigned long)free - 1;
	cr_expect(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_ATOMIC));
	z->_watermark[WMARK_MIN] = (unsigned long)free;
	cr_expect(not(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_ATOMIC)));
	/* no boost, no retry */
	z->_watermark[WMARK_MIN] = (unsigned long)free / 2;
	z->watermark_boost = 0;
	cr_expect(not(zone_watermark_fast(z, 0, mark, ZONE_DMA32, ALLOC_WMARK_MIN, GFP_ATOMIC)));
}

/*
 * zoneinfo_show_print (6.1 mm/vmstat.c): min/low/high/promo are wmark_pages, the boosted
 * marks; "protection" is lowmem_reserve; the numa counters are the zone's numa_event[]; and
 * each pageset line is the CPU's count, high, batch and its zonestat threshold.
 */
Test(buddy_zone_pins, zoneinfo_copies_each_field_of_the_zone, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	struct buddy_zone_info zi;
	struct buddy_pcp_info pi;
	struct zone *z;

	up(1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_NORMAL);
	for (int i = 0; i < 8; i++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL), NULL));
	for (int i = 0; i < NR_WMARK; i++)
		z->_watermark[i] = 100 + 10 * (unsigned long)i;
	z->watermark_boost = 7;
	for (int j = 0; j < MAX_NR_ZONES; j++)
		z->lowmem_reserve[j] = 50 + j;
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		z->numa_event[i] = 1000 + (unsigned long)i;
	z->pgalloc = 2001;
	z->pgfree = 2002;
	z->nr_bad_pages = 3;
	z->nr_reserved_highatomic = 4;

	buddy_zone_info(0, ZONE_NORMAL, &zi);
	cr_expect(eq(u64, zi.zone_start_pfn, z->zone_start_pfn));
	cr_expect(eq(u64, zi.spanned, z->spanned_pages));
	cr_expect(eq(u64, zi.present, z->present_pages));
	cr_expect(eq(u64, zi.managed, z->managed_pages));
	cr_expect(eq(u64, zi.wmark_min, 107));
	cr_expect(eq(u64, zi.wmark_low, 117));
	cr_expect(eq(u64, zi.wmark_high, 127));
	cr_expect(eq(u64, zi.wmark_promo, 137));
	for (int j = 0; j < MAX_NR_ZONES; j++)
		cr_expect(eq(u64, zi.lowmem_reserve[j], 50 + (uint64_t)j), "protection %d", j);
	cr_expect(eq(u64, zi.free_pages, zone_page_state_snapshot(z, NR_FREE_PAGES)));
	cr_expect(eq(u64, zi.watermark_boost, 7));
	cr_expect(eq(u64, zi.nr_reserved_highatomic, 4));
	cr_expect(eq(u64, zi.numa_hit, 1000));
	cr_expect(eq(u64, zi.numa_miss, 1001));
	cr_expect(eq(u64, zi.numa_foreign, 1002));
	cr_expect(eq(u64, zi.numa_interleave, 1003));
	cr_expect(eq(u64, zi.numa_local, 1004));
	cr_expect(eq(u64, zi.numa_other, 1005));
	cr_expect(eq(u64, zi.pgalloc, 2001));
	cr_expect(eq(u64, zi.pgfree, 2002));
	cr_expect(eq(u64, zi.nr_bad_pages, 3));
	z->nr_reserved_highatomic = 0;
	z->nr_bad_pages = 0;

	buddy_pcp_info(0, ZONE_NORMAL, 0, &pi);
	cr_expect(lt(int, 0, pi.count));
	cr_expect(eq(int, pi.count, z->per_cpu_pageset[0].count));
	cr_expect(eq(int, pi.high, z->per_cpu_pageset[0].high));
	cr_expect(eq(int, pi.batch, z->per_cpu_pageset[0].batch));
	cr_expect(eq(int, pi.stat_threshold, z->per_cpu_zonestats[0].stat_threshold));
	/* an unpopulated zone has no pagesets: all zero */
	pi.count = pi.high = pi.batch = pi.stat_threshold = -1;
	buddy_pcp_info(0, ZONE_DMA, 0, &pi);
	cr_expect(eq(int, pi.count, 0));
	cr_expect(eq(int, pi.high, 0));
	cr_expect(eq(int, pi.batch, 0));
	cr_expect(eq(int, pi.stat_threshold, 0));
}

/*
 * buddy_exit: the machine is gone and the next one boots from the kernel's boot values
 * (6.1 mm/page_alloc.c: min_free_kbytes 1024, user_min_free_kbytes -1,
 * watermark_scale_factor 10, watermark_boost_factor 15000, percpu_pagelist_high_fraction 0;
 * nothing reserved), no node pointer left to freed memory.
 */
Test(buddy_zone_pins, exit_leaves_the_boot_values_and_no_node)
{
	uint64_t zones[2][4] = { { 16, 256, 0, 0 }, { 0, 0, 256, 0 } };
	struct sim_scenario *s;
	int c[2] = { 1, 1 };

	s = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)s, NULL));
	min_free_kbytes = 4000;
	user_min_free_kbytes = 4000;
	watermark_scale_factor = 77;
	watermark_boost_factor = 0;
	percpu_pagelist_high_fraction = 8;
	cr_assert(lt(u64, 0, totalreserve_pages));
	helper_buddy_machine_down(s);
	for (int nid = 0; nid < 2; nid++)
		cr_expect(eq(ptr, (void *)node_data[nid], NULL), "node %d", nid);
	cr_expect(eq(int, buddy_nr_nodes(), 0));
	cr_expect(eq(u64, buddy_max_pfn, 0));
	cr_expect(eq(int, (int)buddy_pageblock_order, 9));
	cr_expect(buddy_thp);
	cr_expect(eq(int, min_free_kbytes, 1024));
	cr_expect(eq(int, user_min_free_kbytes, -1));
	cr_expect(eq(int, watermark_scale_factor, 10));
	cr_expect(eq(int, watermark_boost_factor, 15000));
	cr_expect(eq(int, percpu_pagelist_high_fraction, 0));
	cr_expect(eq(u64, totalreserve_pages, 0));
}

/*
 * gfp_zone (6.1 include/linux/gfp.h GFP_ZONE_TABLE, x86-64: no highmem, so __GFP_HIGHMEM
 * means Normal; __GFP_MOVABLE with __GFP_HIGHMEM is ZONE_MOVABLE; every other combination of
 * two zone modifiers is GFP_ZONE_BAD, whose table entry is 0, ZONE_DMA); node_zonelist picks
 * ZONELIST_NOFALLBACK for __GFP_THISNODE only.
 */
Test(buddy_zone_pins, gfp_zone_is_the_zone_table_and_thisnode_the_nofallback_list, .fini = down)
{
	static const int want[16] = {
		[0] = ZONE_NORMAL,
		[___GFP_DMA] = ZONE_DMA,
		[___GFP_HIGHMEM] = ZONE_NORMAL,
		[___GFP_DMA32] = ZONE_DMA32,
		[___GFP_MOVABLE] = ZONE_NORMAL,
		[___GFP_MOVABLE | ___GFP_DMA] = ZONE_DMA,
		[___GFP_MOVABLE | ___GFP_HIGHMEM] = ZONE_MOVABLE,
		[___GFP_MOVABLE | ___GFP_DMA32] = ZONE_DMA32,
		/* the bad combinations stay 0: ZONE_DMA */
	};
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };

	cr_assert(eq(int, ZONE_DMA, 0));
	for (unsigned int bits = 0; bits < 16; bits++) {
		cr_expect(eq(int, gfp_zone(bits), want[bits]), "zone bits %#x", bits);
		/* the other flags do not change the zone */
		cr_expect(eq(int, gfp_zone(bits | GFP_KERNEL | __GFP_THISNODE), want[bits]), "zone bits %#x", bits);
	}
	up(1, (const uint64_t (*)[4])zones);
	cr_expect(eq(ptr, (void *)node_zonelist(0, GFP_KERNEL), (void *)&NODE_DATA(0)->node_zonelists[ZONELIST_FALLBACK]));
	cr_expect(eq(ptr, (void *)node_zonelist(0, GFP_KERNEL | __GFP_THISNODE),
		     (void *)&NODE_DATA(0)->node_zonelists[ZONELIST_NOFALLBACK]));
}

/*
 * The node order of each zonelist, from a replay of the kernel's rule (6.1 mm/page_alloc.c):
 * find_next_best_node takes the local node first, then the unused node of least
 *   ((distance + (n < node) + (n has CPUs)) * MAX_NUMNODES + node_load[n]);
 * build_zonelists adds 1 to node_load of each node that opens a new distance group, node_load
 * being cleared once for all nodes (__build_all_zonelists).  Four nodes, distances not uniform.
 */
static int ref_node_load[SIM_MAX_NODES];

static int ref_next_best(const int (*dist)[SIM_MAX_NODES], int nr, int node, unsigned int *used)
{
	int min_val = INT32_MAX, best = -1;

	if (!(*used & (1u << node))) {
		*used |= 1u << node;
		return node;
	}
	for (int n = 0; n < nr; n++) {
		int val;

		if (*used & (1u << n))
			continue;
		val = (dist[node][n] + (n < node) + 1) * MAX_NUMNODES + ref_node_load[n];
		if (val < min_val) {
			min_val = val;
			best = n;
		}
	}
	if (best >= 0)
		*used |= 1u << best;
	return best;
}

Test(buddy_zone_pins, zonelists_follow_find_next_best_node, .fini = down)
{
	static const int dist[4][SIM_MAX_NODES] = {
		{ 10, 20, 30, 21 }, { 20, 10, 20, 30 }, { 30, 20, 10, 20 }, { 21, 30, 20, 10 },
	};
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 4;
	for (int nid = 0; nid < 4; nid++) {
		memset(&s->node[nid], 0, sizeof(s->node[nid]));
		s->node[nid].nr_cpus = 1;
		s->node[nid].zone_mib[ZONE_DMA32] = 64;
		for (int j = 0; j < 4; j++)
			s->distance[nid][j] = dist[nid][j];
	}
	s->node[0].zone_mib[ZONE_DMA] = 16;
	sc = helper_buddy_machine_up_sc(s);
	cr_assert(ne(ptr, (void *)sc, NULL));

	memset(ref_node_load, 0, sizeof(ref_node_load));
	for (int nid = 0; nid < 4; nid++) {
		struct zoneref *z = NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
		unsigned int used = 0;
		int node, prev = nid, i = 0;

		while ((node = ref_next_best(dist, 4, nid, &used)) >= 0) {
			if (dist[nid][node] != dist[nid][prev])
				ref_node_load[node]++;
			prev = node;
			/* build_zonerefs_node: the node's populated zones, highest first */
			for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--) {
				if (!populated_zone(Z(node, zid)))
					continue;
				cr_expect(eq(ptr, (void *)z[i].zone, (void *)Z(node, zid)), "node %d entry %d", nid, i);
				cr_expect(eq(int, z[i].zone_idx, zid), "node %d entry %d", nid, i);
				i++;
			}
		}
		cr_expect(eq(int, i, 5));
		cr_expect(eq(ptr, (void *)z[i].zone, NULL));
		cr_expect(eq(int, z[i].zone_idx, 0));
		z = NODE_DATA(nid)->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
		i = 0;
		for (int zid = MAX_NR_ZONES - 1; zid >= 0; zid--)
			if (populated_zone(Z(nid, zid))) {
				cr_expect(eq(ptr, (void *)z[i].zone, (void *)Z(nid, zid)));
				cr_expect(eq(int, z[i].zone_idx, zid));
				i++;
			}
		cr_expect(eq(ptr, (void *)z[i].zone, NULL));
		cr_expect(eq(int, z[i].zone_idx, 0));
	}
}

/*
 * zone_batchsize (6.1 mm/page_alloc.c): min(managed >> 10, SZ_1M / PAGE_SIZE) / 4, at least
 * 1, then rounddown_pow_of_two(batch + batch / 2) - 1.  zone_highsize: the low mark (or
 * managed / percpu_pagelist_high_fraction) split among the node's CPUs plus cpu_online, at
 * least batch << 2.
 */
Test(buddy_zone_pins, pcp_batch_and_high_follow_the_zone_size, .fini = down)
{
	static const struct { unsigned long managed; int batch; } b[] = {
		{ 1000, 0 }, { 4096, 0 }, { 8192, 1 }, { 16384, 3 }, { 65536, 15 }, { 100000, 31 },
		{ 200000, 63 }, { 262143, 63 }, { 262144, 63 }, { 1UL << 22, 63 }, { 40960, 7 },
	};
	uint64_t zones[2][4] = { { 0, 64, 0, 0 }, { 0, 64, 0, 0 } };
	struct zone fake;

	up(2, (const uint64_t (*)[4])zones);
	fake = *Z(0, ZONE_DMA32);
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		fake.managed_pages = b[i].managed;
		cr_expect(eq(int, zone_batchsize(&fake), b[i].batch), "managed %lu", b[i].managed);
	}
	fake.managed_pages = 80000;
	memset(fake._watermark, 0, sizeof(fake._watermark));
	fake._watermark[WMARK_LOW] = 1000;
	fake.watermark_boost = 0;
	cr_expect(eq(int, zone_highsize(&fake, 7, 0, 0), 1000));	/* one CPU on node 0 */
	cr_expect(eq(int, zone_highsize(&fake, 7, 1, 0), 500));	/* and one coming online */
	cr_expect(eq(int, zone_highsize(&fake, 250, 0, 0), 1000));
	cr_expect(eq(int, zone_highsize(&fake, 251, 0, 0), 1004));
	cr_expect(eq(int, zone_highsize(&fake, 300, 1, 0), 1200));
	fake.watermark_boost = 100;					/* low_wmark_pages is boosted */
	cr_expect(eq(int, zone_highsize(&fake, 7, 0, 0), 1100));
	cr_expect(eq(int, zone_highsize(&fake, 7, 0, 8), 10000));	/* 80000 / 8 */
	cr_expect(eq(int, zone_highsize(&fake, 7, 1, 8), 5000));
	cr_expect(eq(int, zone_highsize(&fake, 7, 0, 100), 800));
	cr_expect(eq(int, zone_highsize(&fake, 201, 0, 100), 804));
}

/*
 * order_to_pindex / pindex_to_order (6.1 mm/page_alloc.c): orders up to
 * PAGE_ALLOC_COSTLY_ORDER have one list per pcp migratetype at MIGRATE_PCPTYPES * order + mt;
 * the THP order (6.1: pageblock_order) two lists after them, the movable one second.
 * pcp_allowed_order: those orders only.
 */
Test(buddy_zone_pins, pcp_lists_index_the_low_orders_then_thp, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };

	up(1, (const uint64_t (*)[4])zones);
	for (int order = 0; order <= PAGE_ALLOC_COSTLY_ORDER; order++)
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++) {
			unsigned int pindex = order_to_pindex(mt, order);

			cr_expect(eq(u32, pindex, (unsigned int)(MIGRATE_PCPTYPES * order + mt)));
			cr_expect(eq(int, pindex_to_order(pindex), order));
		}
	cr_expect(eq(u32, NR_LOWORDER_PCP_LISTS, MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1)));
	cr_expect(eq(u32, order_to_pindex(MIGRATE_UNMOVABLE, (int)pageblock_order), NR_LOWORDER_PCP_LISTS));
	cr_expect(eq(u32, order_to_pindex(MIGRATE_RECLAIMABLE, (int)pageblock_order), NR_LOWORDER_PCP_LISTS));
	cr_expect(eq(u32, order_to_pindex(MIGRATE_MOVABLE, (int)pageblock_order), NR_LOWORDER_PCP_LISTS + 1));
	cr_expect(eq(int, pindex_to_order(NR_LOWORDER_PCP_LISTS), (int)pageblock_order));
	cr_expect(eq(int, pindex_to_order(NR_LOWORDER_PCP_LISTS + 1), (int)pageblock_order));
	cr_expect(eq(int, pindex_to_order(NR_LOWORDER_PCP_LISTS - 1), PAGE_ALLOC_COSTLY_ORDER));
	for (unsigned int order = 0; order < MAX_ORDER; order++)
		cr_expect(eq(int, pcp_allowed_order(order), order <= PAGE_ALLOC_COSTLY_ORDER || order == pageblock_order),
			  "order %u", order);
}

/*
 * /proc/pagetypeinfo's "Number of blocks type" (6.1 mm/vmstat.c pagetypeinfo_showblockcount_print):
 * every pageblock the zone spans, from pageblock_start_pfn(zone_start_pfn), counted once under its
 * migratetype; the names are migratetype_names[].
 */
Test(buddy_zone_pins, pagetypeinfo_counts_each_pageblock_once, .fini = down)
{
	static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
	uint64_t zones[1][4] = { { 16, 64, 32, 0 } };

	up(1, (const uint64_t (*)[4])zones);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		cr_expect(eq(str, (char *)buddy_migratetype_name(mt), (char *)names[mt]));
	cr_expect(eq(int, buddy_min_free_kbytes(), min_free_kbytes));
	cr_expect(eq(int, buddy_nr_nodes(), 1));
	for (int zid = ZONE_DMA; zid <= ZONE_NORMAL; zid++) {
		struct zone *z = Z(0, zid);
		uint64_t sum = 0, want;

		cr_expect(eq(str, (char *)buddy_zone_name(zid), (char *)z->name));
		want = (z->zone_start_pfn + z->spanned_pages - pageblock_start_pfn(z->zone_start_pfn) +
			pageblock_nr_pages - 1) / pageblock_nr_pages;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			sum += buddy_zone_nr_pageblocks_mt(0, zid, mt);
		cr_expect(eq(u64, sum, want), "zone %d", zid);
		/* boot frees every block as movable (memmap_init_zone: MIGRATE_MOVABLE) */
		cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, zid, MIGRATE_MOVABLE), want), "zone %d", zid);
	}
	/* one block turned unmovable moves one count */
	set_pageblock_migratetype(pfn_to_page(Z(0, ZONE_DMA32)->zone_start_pfn), MIGRATE_UNMOVABLE);
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_UNMOVABLE), 1));
	set_pageblock_migratetype(pfn_to_page(Z(0, ZONE_DMA32)->zone_start_pfn), MIGRATE_MOVABLE);
}

/* nr_free_zone_pages (6.1 mm/page_alloc.c) for GFP_USER: managed - high of each zone up to Normal
 * on the zonelist of the boot CPU's node (every node's), when managed exceeds high. */
static unsigned long ref_free_buffer_pages(int nr_nodes)
{
	unsigned long sum = 0;

	for (int nid = 0; nid < nr_nodes; nid++)
		for (int zid = 0; zid <= ZONE_NORMAL; zid++) {
			struct zone *z = Z(nid, zid);

			if (z->managed_pages > high_wmark_pages(z))
				sum += z->managed_pages - high_wmark_pages(z);
		}
	return sum;
}

static int ref_min_free_kbytes(unsigned long buffer_pages)
{
	unsigned long x = buffer_pages * 4 * 16, r = 0;

	while ((r + 1) * (r + 1) <= x)		/* int_sqrt: the floor of the square root */
		r++;
	return r < 128 ? 128 : r > 262144 ? 262144 : (int)r;
}

/*
 * calculate_min_free_kbytes (6.1 mm/page_alloc.c): int_sqrt(lowmem_kbytes * 16), lowmem_kbytes
 * being nr_free_buffer_pages() in KiB, clamped to [128, 262144], and kept only above
 * user_min_free_kbytes.  set_recommended_min_free_kbytes (mm/khugepaged.c): pageblock_nr_pages
 * times the populated zones up to Normal times (2 + MIGRATE_PCPTYPES^2), at most 5% of
 * nr_free_buffer_pages, in KiB; raises min_free_kbytes only.
 */
Test(buddy_zone_pins, min_free_kbytes_is_the_square_root_rule_then_khugepaged_s, .fini = down)
{
	static const uint64_t layouts[3][2][4] = {
		{ { 0, 8, 0, 0 }, { 0, 0, 0, 0 } },
		{ { 16, 1024, 512, 0 }, { 0, 0, 768, 0 } },
		{ { 16, 2048, 2048, 256 }, { 0, 0, 4096, 256 } },
	};
	static const int nodes[3] = { 1, 2, 2 };

	for (int l = 0; l < 3; l++) {
		unsigned long pages, rec;
		int nr_zones = 0, want;

		up(nodes[l], layouts[l]);
		pages = ref_free_buffer_pages(nodes[l]);
		cr_expect(eq(u64, nr_free_buffer_pages(), pages), "layout %d", l);
		want = ref_min_free_kbytes(pages);

		user_min_free_kbytes = -1;
		calculate_min_free_kbytes();
		cr_expect(eq(int, min_free_kbytes, want), "layout %d", l);
		user_min_free_kbytes = want;		/* not above the user's: left alone */
		min_free_kbytes = 5;
		calculate_min_free_kbytes();
		cr_expect(eq(int, min_free_kbytes, 5), "layout %d", l);
		user_min_free_kbytes = want - 1;
		calculate_min_free_kbytes();
		cr_expect(eq(int, min_free_kbytes, want), "layout %d", l);
		user_min_free_kbytes = -1;

		for (int nid = 0; nid < nodes[l]; nid++)
			for (int zid = 0; zid <= ZONE_NORMAL; zid++)
				nr_zones += populated_zone(Z(nid, zid));
		rec = pageblock_nr_pages * (unsigned long)nr_zones * (2 + MIGRATE_PCPTYPES * MIGRATE_PCPTYPES);
		if (rec > nr_free_buffer_pages() / 20)
			rec = nr_free_buffer_pages() / 20;
		rec *= 4;
		min_free_kbytes = (int)rec - 1;
		set_recommended_min_free_kbytes();
		cr_expect(eq(int, min_free_kbytes, (int)rec), "layout %d", l);
		min_free_kbytes = (int)rec + 1;
		set_recommended_min_free_kbytes();
		cr_expect(eq(int, min_free_kbytes, (int)rec + 1), "layout %d", l);
		helper_buddy_machine_down(sc);
		sc = NULL;
	}
}

/*
 * Watermark overrides are checked on the configured nodes only (not a kernel function: the
 * scenario's zoneinfo values, min <= low <= high): a node past nr_nodes is never looked at.
 */
Test(buddy_zone_pins, watermark_overrides_are_checked_on_the_configured_nodes_only, .fini = down)
{
	for (int bad_node = 1; bad_node >= 0; bad_node--) {
		struct sim_scenario *s = calloc(1, sizeof(*s));

		cr_assert(ne(ptr, (void *)s, NULL));
		sim_scenario_default(s);
		s->nr_nodes = 1;
		memset(&s->node[0], 0, sizeof(s->node[0]));
		s->node[0].nr_cpus = 1;
		s->node[0].zone_mib[ZONE_DMA32] = 64;
		s->node[bad_node].wmark_min[ZONE_DMA32] = 900;
		s->node[bad_node].wmark_low[ZONE_DMA32] = 500;
		sc = helper_buddy_machine_up_sc(s);
		if (bad_node) {
			cr_expect(ne(ptr, (void *)sc, NULL), "node 1 is not configured");
			helper_buddy_machine_down(sc);
		} else {
			cr_expect(eq(ptr, (void *)sc, NULL), "node 0: min above low");
			free(s);
		}
		sc = NULL;
	}
}

/*
 * nr_pcp_alloc (6.12 mm/page_alloc.c): a pcp whose high is below its batch (high_min = high_max
 * = 0: disabled, or the boot pageset) refills one page at a time, so an order-0 allocation
 * takes exactly one page from the zone and leaves the pcp list empty.
 */
Test(buddy_zone_pins, a_pcp_below_its_batch_refills_one_page_6_12, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct per_cpu_pages *pcp;
	struct page *page;
	uint64_t before;

	sc = helper_buddy_crafted_up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	drain_all_pages();
	pcp = &Z(0, ZONE_DMA32)->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(lt(int, 0, pcp->batch));
	pcp->high_min = pcp->high_max = pcp->high = 0;
	for (int i = 0; i < 3; i++) {
		before = buddy_zone_free_pages(0, ZONE_DMA32);
		page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)page, NULL));
		cr_expect(eq(int, pcp->count, 0), "allocation %d", i);
		cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), before - 1), "allocation %d", i);
	}
}

/*
 * __alloc_pages_may_oom (6.1 mm/page_alloc.c): when out_of_memory kills a task it reports
 * progress (*did_some_progress = 1) and __alloc_pages_slowpath retries, so an order-0
 * GFP_KERNEL request that no watermark lets through succeeds once the victim's pages are back.
 * Every watermark of the only zone is set above its free pages, a task holds 2000 pages.
 */
Test(buddy_zone_pins, an_oom_kill_is_progress_and_the_request_retries, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct mm_struct *mm;
	struct page *page;
	struct zone *z;
	unsigned long free;

	up(1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	mm = mm_create(300, "hog");
	cr_assert(ne(ptr, (void *)mm, NULL));
	for (int i = 0; i < 2000; i++)
		cr_assert(ne(ptr, (void *)do_anonymous_page(mm, 0), NULL));
	drain_all_pages();
	free = (unsigned long)buddy_zone_free_pages(0, ZONE_DMA32);
	z->watermark_boost = 0;
	for (int i = 0; i < NR_WMARK; i++)
		z->_watermark[i] = free + 100;
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_expect(ne(ptr, (void *)page, NULL));
	cr_expect(mm->oom_killed);
	cr_expect(eq(u64, vm_event_states[OOM_KILL], 1));
	mm_exit(mm);
}

/*
 * zone_watermark_ok_safe (6.1 mm/page_alloc.c): the folded NR_FREE_PAGES, unless the zone has
 * a percpu_drift_mark and the folded count is below it: then the exact snapshot (every CPU's
 * diff added).  A 64 MiB zone with F pages folded and 4 fewer in CPU 0's diff (the snapshot
 * F - 4), the mark F - 2: the folded count passes, the snapshot fails.  No drift mark: folded,
 * passes; a drift mark above F: snapshot, fails; a drift mark of exactly F (not below): folded,
 * passes.
 */
Test(buddy_zone_pins, watermark_ok_safe_reads_the_snapshot_below_the_drift_mark, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	struct zone *z;
	int8_t *diff;
	unsigned long free;

	up(1, (const uint64_t (*)[4])zones);
	z = Z(0, ZONE_DMA32);
	memset(z->lowmem_reserve, 0, sizeof(z->lowmem_reserve));
	z->nr_reserved_highatomic = 0;
	refresh_cpu_vm_stats(0);
	free = zone_page_state(z, NR_FREE_PAGES);
	cr_assert(lt(ulong, 1000, free));
	diff = &per_cpu_ptr(z->per_cpu_zonestats, 0)->vm_stat_diff[NR_FREE_PAGES];
	cr_assert(eq(int, *diff, 0));
	*diff = -4;
	cr_assert(eq(ulong, zone_page_state_snapshot(z, NR_FREE_PAGES), free - 4));

	z->percpu_drift_mark = 0;
	cr_expect(zone_watermark_ok_safe(z, 0, free - 2, ZONE_DMA32));
	z->percpu_drift_mark = free + 1;
	cr_expect(not(zone_watermark_ok_safe(z, 0, free - 2, ZONE_DMA32)));
	z->percpu_drift_mark = free;
	cr_expect(zone_watermark_ok_safe(z, 0, free - 2, ZONE_DMA32));
	/* below the drift mark the snapshot decides both ways */
	z->percpu_drift_mark = free + 1;
	cr_expect(zone_watermark_ok_safe(z, 0, free - 5, ZONE_DMA32));
	*diff = 0;
	z->percpu_drift_mark = 0;
}

/*
 * A watermark written after boot recomputes totalreserve_pages (6.1 mm/page_alloc.c:
 * __setup_per_zone_wmarks ends with calculate_totalreserve_pages) from the managed pages of
 * that time, so a scenario's override of a zone's min alone, applied as such a write,
 * refreshes it.  Boot computed it while the pages freed late (free_initmem) were not yet
 * managed: a DMA zone with 4000 of its 4096 pages freed late was capped at 96 pages then;
 * after the override the cap is the full zone, and the sum is the rule's with today's zones.
 */
Test(buddy_zone_pins, a_min_override_alone_recomputes_totalreserve, .fini = down)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
	sc->node[0].zone_mib[ZONE_DMA] = 16;
	sc->node[0].zone_mib[ZONE_DMA32] = 1024;
	sc->node[0].zone_late_freed_pages[ZONE_DMA] = 4000;
	sc->node[0].wmark_min[ZONE_DMA32] = 1;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	cr_assert(eq(ulong, min_wmark_pages(Z(0, ZONE_DMA32)), 1));
	cr_assert(eq(ulong, Z(0, ZONE_DMA)->managed_pages, 4096));
	cr_assert(lt(long, 96, Z(0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32]));
	check_totalreserve(1);
}

/*
 * set_recommended_min_free_kbytes (6.1 mm/khugepaged.c): "if (recommended_min > (nr_free_buffer_pages()
 * / 20)) recommended_min = nr_free_buffer_pages() / 20": the cap is a twentieth of lowmem.  One
 * zone (pageblock 512 pages): the recommendation is 512 * (2 + 3 * 3) = 5632 pages; a 462 MiB zone
 * has lowmem between 19 and 20 times that, so the cap decides: lowmem / 20 pages, in KiB.
 */
Test(buddy_zone_pins, khugepaged_s_recommendation_is_capped_at_a_twentieth_of_lowmem, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 462, 0, 0 } };
	unsigned long lowmem;

	up(1, (const uint64_t (*)[4])zones);
	cr_assert(eq(ulong, pageblock_nr_pages, 512));
	lowmem = nr_free_buffer_pages();
	cr_assert(lt(ulong, lowmem / 20, 5632));
	cr_assert(le(ulong, 5632, lowmem / 19));
	min_free_kbytes = 128;
	set_recommended_min_free_kbytes();
	cr_expect(eq(int, min_free_kbytes, (int)((lowmem / 20) << (PAGE_SHIFT - 10))));
}
