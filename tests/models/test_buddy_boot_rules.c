/*
 * test_buddy_boot_rules.c - what boot decides, pinned against linux-6.1, suite
 * `buddy_boot_rules`: the order memblock frees a zone in (__free_pages_memory),
 * calculate_min_free_kbytes with no lowmem at all, and the zonelist's
 * terminating entry that stops every walk (build_zonelists, next_zones_zonelist).
 *
 * Strategy: small machines shaped so that the rule's boundary is reached: a
 * zone starting beyond max-order alignment, a node of Movable memory only, a
 * node with every zone populated (its zonelist full to the last entry).
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
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static void up(int nr_nodes, const uint64_t (*zone_mib)[4])
{
	int c[2] = { 1, 1 };

	sc = helper_buddy_machine_up(nr_nodes, c, zone_mib);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * __free_pages_memory (6.1 mm/memblock.c): order = min(MAX_ORDER - 1, __ffs(start)), so a
 * zone starting at pfn 4096 (after a 16 MiB DMA zone; __ffs 12) is freed in max-order
 * blocks from its first page, never as two order-9 halves merged later.  The model keeps
 * such whole runs of max-order blocks untouched (free_list_add_untouched): booting a machine
 * whose zones are all whole max-order runs makes no struct page, and the blocks sit on the
 * order-10 MOVABLE list, 4 of DMA (16 MiB) and 64 of DMA32 (256 MiB), nothing below.
 */
Test(buddy_boot_rules, aligned_zones_are_freed_in_max_order_blocks_untouched, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 256, 0, 0 } };

	up(1, (const uint64_t (*)[4])zones);
	for (uint64_t s = 0; s < sim_mem_nr_sections(); s++)
		cr_expect(eq(ptr, (void *)sim_mem_section(s), NULL), "section %llu touched", (unsigned long long)s);
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA, MAX_ORDER - 1, MIGRATE_MOVABLE), 4));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, MAX_ORDER - 1, MIGRATE_MOVABLE), 64));
	for (int order = 0; order < MAX_ORDER - 1; order++) {
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA, order), 0), "order %d", order);
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, order), 0), "order %d", order);
	}
}

/*
 * __free_pages_memory (6.1 mm/memblock.c), by hand for zones that are not whole max-order
 * runs: each step frees the block of order min(MAX_ORDER - 1, __ffs(start)), lowered until
 * it fits below the end.  DMA 3 MiB = [0, 768): order 10 lowered to 9 at 0, then order 8 at
 * 512.  DMA32 64 MiB = [768, 17152): order 8 at 768 (__ffs 8), fifteen order-10 blocks
 * [1024, 16384), order 9 at 16384 (__ffs 14, clamped to 10, lowered to 9), order 8 at 16896.
 * No two of these are buddies in one zone (page_is_buddy: the same zone only), so the free
 * lists keep them as freed.
 */
Test(buddy_boot_rules, unaligned_zones_are_freed_in_the_largest_blocks_that_fit, .fini = down)
{
	static const uint64_t want[2][MAX_ORDER] = {
		[ZONE_DMA] = { [8] = 1, [9] = 1 },
		[ZONE_DMA32] = { [8] = 2, [9] = 1, [10] = 15 },
	};
	uint64_t zones[1][4] = { { 3, 64, 0, 0 } };

	up(1, (const uint64_t (*)[4])zones);
	for (int zid = ZONE_DMA; zid <= ZONE_DMA32; zid++) {
		for (int order = 0; order < MAX_ORDER; order++)
			cr_expect(eq(u64, buddy_zone_nr_free(0, zid, order), want[zid][order]), "zone %d order %d", zid,
				  order);
		cr_expect(eq(u64, buddy_zone_free_pages(0, zid), zid == ZONE_DMA ? 768 : 16384));
	}
}

/*
 * free_area_init (6.1 mm/page_alloc.c) sets up a pglist_data for each node of the machine
 * (for_each_node, nr_node_ids of them) and no other: a two-node machine has NODE_DATA(0) and
 * NODE_DATA(1), each with its own id and start, and nothing past them.
 */
Test(buddy_boot_rules, only_the_machines_nodes_get_a_pgdat, .fini = down)
{
	uint64_t zones[2][4] = { { 16, 64, 0, 0 }, { 0, 0, 64, 0 } };

	up(2, (const uint64_t (*)[4])zones);
	cr_expect(eq(int, buddy_nr_nodes(), 2));
	for (int nid = 0; nid < 2; nid++) {
		cr_assert(ne(ptr, (void *)node_data[nid], NULL), "node %d", nid);
		cr_expect(eq(int, NODE_DATA(nid)->node_id, nid));
	}
	cr_expect(eq(u64, NODE_DATA(0)->node_start_pfn, 0));
	cr_expect(eq(u64, NODE_DATA(1)->node_start_pfn, 80 << (20 - PAGE_SHIFT)));
	for (int nid = 2; nid < SIM_MAX_NODES; nid++)
		cr_expect(eq(ptr, (void *)node_data[nid], NULL), "node %d", nid);
}

/*
 * free_initrd_mem, free_initmem (6.1 init/main.c, arch/x86/mm/init.c): pages the kernel frees
 * after the postcore initcall (init_per_zone_wmark_min) join their zone's managed pages then,
 * in every zone that has some, DMA included: DMA 16 MiB with 1000 late pages and DMA32 64 MiB
 * with 500 end with all their pages managed (4096 and 16384).
 */
Test(buddy_boot_rules, late_freed_pages_join_every_zone, .fini = down)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 1;
	memset(&s->node[0], 0, sizeof(s->node[0]));
	s->node[0].nr_cpus = 1;
	s->node[0].zone_mib[ZONE_DMA] = 16;
	s->node[0].zone_mib[ZONE_DMA32] = 64;
	s->node[0].zone_late_freed_pages[ZONE_DMA] = 1000;
	s->node[0].zone_late_freed_pages[ZONE_DMA32] = 500;
	sc = helper_buddy_machine_up_sc(s);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_expect(eq(u64, zone_managed_pages(&NODE_DATA(0)->node_zones[ZONE_DMA]), 4096));
	cr_expect(eq(u64, zone_managed_pages(&NODE_DATA(0)->node_zones[ZONE_DMA32]), 16384));
}

/*
 * zone_pcp_init (6.1 mm/page_alloc.c) points every zone at the boot pagesets, one per CPU;
 * setup_zone_pageset gives a populated zone its own, and the unpopulated keep boot_pageset.
 * The model names each pcp lock's owner for lockstat: a boot pageset's lock belongs to its
 * CPU and to no node or zone (-1, -1); a zone's to its CPU, node and zone.
 */
Test(buddy_boot_rules, pcp_locks_name_their_owners, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int cpu = 0; cpu < 2; cpu++) {
		struct per_cpu_pages *boot = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA].per_cpu_pageset, cpu);
		struct per_cpu_pages *own = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset, cpu);
		struct sim_lockstat *st = sim_lockstat_at(boot->lock.id);

		cr_assert(ne(ptr, (void *)boot, (void *)own));
		cr_expect(eq(int, st->cpu, cpu));
		cr_expect(eq(int, st->node, -1), "cpu %d", cpu);
		cr_expect(eq(int, st->zone, -1), "cpu %d", cpu);
		st = sim_lockstat_at(own->lock.id);
		cr_expect(eq(int, st->cpu, cpu));
		cr_expect(eq(int, st->node, 0), "cpu %d", cpu);
		cr_expect(eq(int, st->zone, ZONE_DMA32), "cpu %d", cpu);
	}
}

/*
 * zone_init_internals (6.1 mm/page_alloc.c: spin_lock_init(&zone->lock)) gives every zone,
 * populated or not, a free lock of its own; the model registers it for lockstat under
 * "zone->lock N<node> <zone>", owned by no CPU, its node and zone.  A zone's lock is taken
 * by the first allocation from either CPU: it is free again after each, and counted on the
 * zone's own row (a lock left uninitialised reads as held by CPU 0, and counts elsewhere).
 */
Test(buddy_boot_rules, zone_locks_start_free_and_name_their_zone, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[zid];
		struct sim_lockstat *st = sim_lockstat_at(zone->lock.id);
		char want[32];

		snprintf(want, sizeof(want), "zone->lock N0 %s", zone_names[zid]);
		cr_assert(eq(int, zone->lock.owner, -1), "zone %d", zid);
		cr_assert(ne(ptr, (void *)st, NULL), "zone %d", zid);
		cr_expect(eq(str, (char *)st->name, want));
		cr_expect(eq(int, st->cpu, -1), "zone %d", zid);
		cr_expect(eq(int, st->node, 0), "zone %d", zid);
		cr_expect(eq(int, st->zone, zid), "zone %d", zid);
	}
	for (int cpu = 0; cpu < 2; cpu++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
		uint64_t before = sim_lockstat_at(zone->lock.id)->acquired;
		struct page *page = helper_buddy_alloc(cpu, 0, GFP_KERNEL, 0, NULL);

		cr_assert(ne(ptr, (void *)page, NULL));
		cr_expect(eq(int, zone->lock.owner, -1), "cpu %d", cpu);
		cr_expect(lt(u64, before, sim_lockstat_at(zone->lock.id)->acquired), "cpu %d", cpu);
		helper_buddy_free(cpu, page, 0, NULL);
	}
}

/*
 * find_next_best_node (6.1 mm/page_alloc.c) walks the nodes with memory only
 * (for_each_node_state(n, N_MEMORY)); build_zonelists gives the first node of each new
 * distance group a load penalty (node_load), which breaks later ties.  Four nodes with one
 * vCPU each, node 1 without memory, distances 10 local and 20 remote.  By hand: node 0's list
 * is 0, 2, 3 (2 and 3 tie, the lower wins; node_load[2] = 1).  Node 1's own list starts with
 * node 1 itself (no zones), then 3 (load 0 beats 2's 1; node 0 loses on "n < node"), 2, 0:
 * its GFP_KERNEL zonelist is the Normal zones of nodes 3, 2, 0.
 */
Test(buddy_boot_rules, a_memoryless_node_is_no_candidate_of_find_next_best_node, .fini = down)
{
	uint64_t zones[4][4] = { { 0, 0, 64, 0 }, { 0, 0, 0, 0 }, { 0, 0, 64, 0 }, { 0, 0, 64, 0 } };
	static const int want0[3] = { 0, 2, 3 }, want1[3] = { 3, 2, 0 };
	int c[4] = { 1, 1, 1, 1 }, nodes[8], zids[8], n;

	sc = helper_buddy_machine_up(4, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int a = 0; a < 4; a++)
		for (int b = 0; b < 4; b++)
			cr_assert(eq(int, node_distance(a, b), a == b ? 10 : 20));
	n = buddy_zonelist_zones(0, GFP_KERNEL, nodes, zids, 8);
	cr_expect(eq(int, n, 3));
	for (int i = 0; i < n && i < 3; i++)
		cr_expect(eq(int, nodes[i], want0[i]), "node 0 entry %d", i);
	n = buddy_zonelist_zones(1, GFP_KERNEL, nodes, zids, 8);
	cr_expect(eq(int, n, 3));
	for (int i = 0; i < n && i < 3; i++) {
		cr_expect(eq(int, nodes[i], want1[i]), "node 1 entry %d", i);
		cr_expect(eq(int, zids[i], ZONE_NORMAL), "node 1 entry %d", i);
	}
}

/*
 * The boot pagesets are the machine's: buddy_exit frees them (pcp_exit) and the next boot
 * makes new ones for its own CPUs.  A one-vCPU machine, then a two-vCPU one: each vCPU of the
 * second has a boot pageset whose lock is registered afresh ("boot_pageset lock", its CPU,
 * no node or zone).
 */
Test(buddy_boot_rules, a_second_machine_gets_its_own_boot_pagesets, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int one[1] = { 1 }, two[1] = { 2 };

	sc = helper_buddy_machine_up(1, one, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_buddy_machine_down(sc);
	sc = helper_buddy_machine_up(1, two, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int cpu = 0; cpu < 2; cpu++) {
		struct per_cpu_pages *boot = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA].per_cpu_pageset, cpu);
		struct sim_lockstat *st = sim_lockstat_at(boot->lock.id);

		cr_expect(eq(str, (char *)st->name, "boot_pageset lock"), "cpu %d", cpu);
		cr_expect(eq(int, st->cpu, cpu));
		cr_expect(eq(int, st->node, -1), "cpu %d", cpu);
		cr_expect(eq(int, st->zone, -1), "cpu %d", cpu);
	}
}

/*
 * find_next_best_node (6.1): among nodes at the same distance, one without CPUs is preferred
 * ("val += PENALTY_FOR_NODE_WITH_CPUS" for a node with CPUs).  Three nodes of 64 MiB Normal,
 * nodes 0 and 1 with a vCPU each, node 2 headless: node 0's list is 0, 2, 1 (node 2 beats
 * node 1 on the penalty); node 1's is 1, 2 (headless), then 0.
 */
Test(buddy_boot_rules, a_headless_node_comes_first_at_equal_distance, .fini = down)
{
	uint64_t zones[3][4] = { { 0, 0, 64, 0 }, { 0, 0, 64, 0 }, { 0, 0, 64, 0 } };
	static const int want[2][3] = { { 0, 2, 1 }, { 1, 2, 0 } };
	int c[3] = { 1, 1, 0 }, nodes[8], zids[8];

	sc = helper_buddy_machine_up(3, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(int, nr_cpus_node(2), 0));
	cr_assert(eq(int, node_distance(0, 2), node_distance(0, 1)));
	for (int nid = 0; nid < 2; nid++) {
		int n = buddy_zonelist_zones(nid, GFP_KERNEL, nodes, zids, 8);

		cr_expect(eq(int, n, 3), "node %d", nid);
		for (int i = 0; i < n && i < 3; i++)
			cr_expect(eq(int, nodes[i], want[nid][i]), "node %d entry %d", nid, i);
	}
}

/*
 * calculate_min_free_kbytes (6.1 mm/page_alloc.c): new_min_free_kbytes = int_sqrt(lowmem
 * kbytes * 16), taken (clamped to [128, 262144]) when it exceeds user_min_free_kbytes,
 * which is -1 until vm.min_free_kbytes is written.  A node of Movable memory only has no
 * lowmem (nr_free_buffer_pages counts zones up to gfp_zone(GFP_USER), Normal): 0 > -1, so
 * min_free_kbytes is the floor 128, not the static 1024.  khugepaged's
 * set_recommended_min_free_kbytes caps its value at nr_free_buffer_pages() / 20 = 0, so it
 * does not raise it.
 */
Test(buddy_boot_rules, no_lowmem_still_takes_the_computed_min_free_kbytes, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 0, 0, 64 } };

	up(1, (const uint64_t (*)[4])zones);
	cr_expect(eq(int, buddy_min_free_kbytes(), 128));
	cr_expect(eq(int, user_min_free_kbytes, -1));
}

/* One node, one vCPU, one zone of `mib` MiB of which `managed` pages reach the buddy lists. */
static void up_managed(int zid, uint64_t mib, uint64_t managed)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
	sc->node[0].zone_mib[zid] = mib;
	sc->node[0].zone_managed_pages[zid] = managed;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
}

/*
 * calculate_min_free_kbytes (6.1 mm/page_alloc.c): min_free_kbytes = clamp(int_sqrt(lowmem
 * kbytes * 16), 128, 262144), lowmem being nr_free_buffer_pages (managed pages less the high
 * watermark, 0 before the first setup_per_zone_wmarks).  By hand: 255 pages = 1020 KiB, sqrt
 * 16320 = 127, raised to 128; 256 pages, sqrt 16384 = 128; 512 pages, sqrt 32768 = 181; and
 * 1073750017 pages (4 TiB and 64 KiB), sqrt 68719... = 262145, lowered to 262144.  khugepaged's
 * set_recommended_min_free_kbytes asks for less in each (a twentieth of lowmem, at most 11 * 512
 * pages here).
 */
Test(buddy_boot_rules, min_free_kbytes_is_clamped_to_128_and_262144, .fini = down)
{
	static const struct { int zid; uint64_t mib, managed; int want; } t[] = {
		{ ZONE_DMA32, 1, 255, 128 },
		{ ZONE_DMA32, 1, 256, 128 },
		{ ZONE_DMA32, 2, 512, 181 },
		{ ZONE_NORMAL, 4194337, 1073750017, 262144 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		up_managed(t[i].zid, t[i].mib, t[i].managed);
		cr_expect(eq(int, buddy_min_free_kbytes(), t[i].want), "%llu pages",
			  (unsigned long long)t[i].managed);
		down();
	}
}

/*
 * build_zonelists (6.1 mm/page_alloc.c) ends each list with zone NULL, zone_idx 0, and
 * next_zones_zonelist (include/linux/mmzone.h) stops at the first entry whose zone_idx is
 * at most the highest zone allowed: the terminator's 0 stops a GFP_DMA walk (highest 0)
 * too.  With every zone of the node populated the terminator is the list's last entry
 * (MAX_NUMNODES * MAX_NR_ZONES + 1): a walk for ZONE_DMA finds DMA and then ends there.
 * Each gfp's walk, by hand: Movable, Normal, DMA32, DMA, cut at gfp_zone.
 */
Test(buddy_boot_rules, terminator_stops_a_dma_walk_of_a_full_zonelist, .fini = down)
{
	static const struct { gfp_t gfp; int n; } t[] = {
		{ GFP_KERNEL | __GFP_DMA, 1 }, { GFP_KERNEL | __GFP_DMA | __GFP_THISNODE, 1 },
		{ GFP_KERNEL | __GFP_DMA32, 2 }, { GFP_KERNEL, 3 }, { GFP_HIGHUSER_MOVABLE, 4 },
		{ GFP_HIGHUSER_MOVABLE | __GFP_THISNODE, 4 },
	};
	static const int order[4] = { ZONE_MOVABLE, ZONE_NORMAL, ZONE_DMA32, ZONE_DMA };
	uint64_t zones[1][4] = { { 16, 64, 64, 64 } };

	up(1, (const uint64_t (*)[4])zones);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int nodes[8], zids[8];
		int n = buddy_zonelist_zones(0, t[i].gfp, nodes, zids, 8);

		cr_expect(eq(int, n, t[i].n), "gfp %#x", t[i].gfp);
		for (int j = 0; j < n && j < t[i].n; j++) {
			cr_expect(eq(int, nodes[j], 0), "gfp %#x entry %d", t[i].gfp, j);
			cr_expect(eq(int, zids[j], order[4 - t[i].n + j]), "gfp %#x entry %d", t[i].gfp, j);
		}
	}
	/* and an allocation walking to DMA gets a DMA page */
	{
		struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_DMA, 0, NULL);

		cr_assert(ne(ptr, (void *)p, NULL));
		cr_expect(eq(int, (int)p->zid, ZONE_DMA));
		helper_buddy_free(0, p, 0, NULL);
	}
}

/*
 * The watermark overrides of a scenario (models/buddy/init.c buddy_init, not a kernel
 * function) are accepted as __setup_per_zone_wmarks (6.1 mm/page_alloc.c) could have made
 * them: min <= low <= high, the equal values included (watermark_scale_factor 0 gives low ==
 * min + 0 and high == min + 0 there); min above low or low above high is bad input.
 */
static struct sim_scenario *wmark_machine(uint64_t min, uint64_t low, uint64_t high)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 1;
	memset(&s->node[0], 0, sizeof(s->node[0]));
	s->node[0].nr_cpus = 1;
	s->node[0].zone_mib[ZONE_DMA32] = 64;
	s->node[0].wmark_min[ZONE_DMA32] = min;
	s->node[0].wmark_low[ZONE_DMA32] = low;
	s->node[0].wmark_high[ZONE_DMA32] = high;
	return s;
}

static bool wmark_machine_boots(uint64_t min, uint64_t low, uint64_t high)
{
	struct sim_scenario *s = wmark_machine(min, low, high);

	if (helper_buddy_machine_up_sc(s)) {
		struct buddy_zone_info zi;

		buddy_zone_info(0, ZONE_DMA32, &zi);
		cr_expect(eq(u64, zi.wmark_min, min));
		cr_expect(eq(u64, zi.wmark_low, low));
		cr_expect(eq(u64, zi.wmark_high, high));
		helper_buddy_machine_down(s);
		return true;
	}
	sim_scenario_free(s);
	free(s);
	return false;
}

Test(buddy_boot_rules, watermark_overrides_accept_equal_marks_and_refuse_inverted_ones)
{
	cr_redirect_stderr();
	cr_expect(wmark_machine_boots(100, 100, 100));
	cr_expect(wmark_machine_boots(100, 100, 101));
	cr_expect(wmark_machine_boots(100, 101, 101));
	cr_expect(not(wmark_machine_boots(101, 100, 200)));
	cr_expect(not(wmark_machine_boots(100, 201, 200)));
}

/*
 * free_area_init_node (6.1 mm/page_alloc.c): a node starts at its first pfn
 * (get_pfn_range_for_nid), not where the previous node ended: node 1 whose only zone
 * starts 16 MiB past node 0's end (a hole between the nodes) has node_start_pfn at that
 * zone's start, and spans only its zone (node_spanned_pages = end - start).
 */
Test(buddy_boot_rules, a_node_after_a_hole_starts_at_its_first_zone, .fini = down)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	const uint64_t start1 = (80 + 16) << (20 - PAGE_SHIFT), span1 = 64 << (20 - PAGE_SHIFT);

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 2;
	for (int nid = 0; nid < 2; nid++) {
		memset(&s->node[nid], 0, sizeof(s->node[nid]));
		s->node[nid].nr_cpus = 1;
	}
	s->node[0].zone_mib[ZONE_DMA] = 16;
	s->node[0].zone_mib[ZONE_DMA32] = 64;
	s->node[1].zone_start_pfn[ZONE_NORMAL] = start1;
	s->node[1].zone_spanned_pages[ZONE_NORMAL] = span1;
	sc = helper_buddy_machine_up_sc(s);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_expect(eq(u64, NODE_DATA(0)->node_start_pfn, 0));
	cr_expect(eq(u64, NODE_DATA(0)->node_spanned_pages, 80 << (20 - PAGE_SHIFT)));
	cr_expect(eq(u64, NODE_DATA(1)->node_start_pfn, start1));
	cr_expect(eq(u64, NODE_DATA(1)->node_spanned_pages, span1));
}

/*
 * build_zonelists / find_next_best_node (6.1 mm/page_alloc.c): a candidate's value is
 * (distance + (n < node) + PENALTY_FOR_NODE_WITH_CPUS if it has CPUs) * MAX_NUMNODES +
 * node_load[n], and build_zonelists adds 1 to node_load of the first node of each new distance
 * group.  A node's load grows by at most one per zonelist built, so it stays below
 * MAX_NUMNODES and never outweighs one unit of that sum: the load only breaks ties.
 * 40 nodes (node 0 with the only vCPU, the others headless, 16 MiB each), distance 11 from
 * every node to node 1 (B) and node 39 (A), 20 otherwise: for each node k from 2 to 38, A
 * (above k) scores 11 and B (below k) 11 + 1, so A comes right after k and B right after A,
 * though A is each time the first of the 11-group and its load reaches 37.
 */
Test(buddy_boot_rules, node_load_only_breaks_ties_between_equal_distances, .fini = down)
{
	enum { N = 40, A = N - 1, B = 1 };
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = N;
	for (int nid = 0; nid < N; nid++) {
		memset(&s->node[nid], 0, sizeof(s->node[nid]));
		s->node[nid].nr_cpus = nid == 0;
		s->node[nid].zone_mib[nid ? ZONE_NORMAL : ZONE_DMA32] = 16;
		for (int m = 0; m < N; m++)
			s->distance[nid][m] = nid == m ? 10 : 20;
	}
	for (int nid = 0; nid < N; nid++) {
		if (nid != A)
			s->distance[nid][A] = s->distance[A][nid] = 11;
		if (nid != B)
			s->distance[nid][B] = s->distance[B][nid] = 11;
	}
	sc = helper_buddy_machine_up_sc(s);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int k = 2; k < A; k++) {
		int nodes[N], zids[N];
		int n = buddy_zonelist_zones(k, GFP_KERNEL, nodes, zids, N);

		cr_assert(eq(int, n, N), "node %d", k);
		cr_expect(eq(int, nodes[0], k), "node %d", k);
		cr_expect(eq(int, nodes[1], A), "node %d", k);
		cr_expect(eq(int, nodes[2], B), "node %d", k);
	}
}
