/*
 * test_vmstat_rules.c - the thresholds and limits of models/buddy/vmstat.c
 * against mm/vmstat.c and mm/page-writeback.c of Linux 6.1, suite
 * `vmstat_rules`: set_pgdat_percpu_threshold, calculate_normal_threshold's
 * cap, the clamps of domain_dirty_limits, and /proc/vmstat into a short
 * buffer.
 *
 * Strategy: a one-node machine, node 0 DMA 16 MiB + DMA32 1008 MiB, 4 vCPUs
 * (stat_threshold 30 in DMA32); counters and fields set where the rule is
 * about sizes the simulator would not build (terabytes of memory).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static void up(void)
{
	uint64_t zones[1][4] = { { 16, 1008, 0, 0 } };
	int c[1] = { 4 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static struct zone *Z(int zid)
{
	return &NODE_DATA(0)->node_zones[zid];
}

/*
 * set_pgdat_percpu_threshold (mm/vmstat.c): each zone of the node with a percpu_drift_mark gets
 * calculate_pressure(zone) on every CPU; a zone without a mark keeps its threshold.  kswapd
 * passes calculate_pressure_threshold when it wakes and calculate_normal_threshold when it sleeps.
 * DMA32: pressure (low - min) / 4 CPUs, at most 125; normal 2 * fls(4) * (1 + fls(1008 MiB /
 * 128 MiB)) = 2 * 3 * 4 = 24.
 */
Test(vmstat_rules, pressure_thresholds_only_where_a_drift_mark_is_set, .fini = down)
{
	int dma_before, pressure;

	up();
	cr_assert(ne(u64, Z(ZONE_DMA32)->percpu_drift_mark, 0));
	Z(ZONE_DMA)->percpu_drift_mark = 0;
	dma_before = Z(ZONE_DMA)->per_cpu_zonestats[0].stat_threshold;
	pressure = (int)((low_wmark_pages(Z(ZONE_DMA32)) - min_wmark_pages(Z(ZONE_DMA32))) / 4);
	pressure = pressure < 1 ? 1 : pressure > 125 ? 125 : pressure;
	cr_assert(ne(int, pressure, 24));
	set_pgdat_percpu_threshold(NODE_DATA(0), calculate_pressure_threshold);
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_assert(eq(int, Z(ZONE_DMA32)->per_cpu_zonestats[cpu].stat_threshold, pressure), "cpu %d", cpu);
		cr_assert(eq(int, Z(ZONE_DMA)->per_cpu_zonestats[cpu].stat_threshold, dma_before), "cpu %d", cpu);
	}
	set_pgdat_percpu_threshold(NODE_DATA(0), calculate_normal_threshold);
	for (int cpu = 0; cpu < 4; cpu++)
		cr_assert(eq(int, Z(ZONE_DMA32)->per_cpu_zonestats[cpu].stat_threshold, 24));
}

/*
 * calculate_normal_threshold: 2 * fls(CPUs) * (1 + fls(managed / 128 MiB)), at most 125 (an s8
 * diff must hold it).  A zone of 2 TiB on 4 CPUs: 2 * 3 * (1 + fls(16384)) = 6 * 16 = 96; of
 * 128 TiB: 6 * (1 + fls(1 << 20)) = 6 * 22 = 132, capped at 125.  calculate_pressure_threshold
 * is at least 1, at most 125: low == min gives 1, a gap of 1000 * 4 CPUs gives 125.
 */
Test(vmstat_rules, thresholds_are_clamped, .fini = down)
{
	struct zone *zone;

	up();
	zone = Z(ZONE_DMA32);
	zone->managed_pages = 2ULL << (40 - PAGE_SHIFT);
	cr_assert(eq(int, calculate_normal_threshold(zone), 96));
	zone->managed_pages = 128ULL << (40 - PAGE_SHIFT);
	cr_assert(eq(int, calculate_normal_threshold(zone), 125));
	zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN];
	cr_assert(eq(int, calculate_pressure_threshold(zone), 1));
	zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + 4000;
	cr_assert(eq(int, calculate_pressure_threshold(zone), 125));
}

/*
 * domain_dirty_limits (mm/page-writeback.c 6.1), vm.dirty_ratio 20 and dirty_background_ratio 10
 * as fractions of PAGE_SIZE (819 and 409 / 4096) of the dirtyable memory x (free above the
 * reserves + file LRU + 1):
 *  - thresh is capped at UINT_MAX ("the limits in page units fit into 32 bits"): with 2^35
 *    pages free, 819 * x / 4096 > 2^32, so nr_dirty_threshold is 4294967295 while the
 *    background limit, 409 * x / 4096, is below it and stays;
 *  - a background limit not below the limit is halved: with nothing free above the reserves
 *    x = 1, both are 0, and 0 / 2 = 0.
 */
Test(vmstat_rules, dirty_limits_are_clamped, .fini = down)
{
	struct zone *zone;
	unsigned long freep, x;

	up();
	zone = Z(ZONE_DMA32);
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
	freep = global_zone_page_state(NR_FREE_PAGES);
	zone_page_state_add(1L << 35, zone, NR_FREE_PAGES);
	x = freep + (1UL << 35) - totalreserve_pages + 1;
	cr_assert(lt(u64, UINT32_MAX, 819 * x / 4096));
	cr_assert(eq(u64, helper_vmstat_value("nr_dirty_threshold"), UINT32_MAX));
	cr_assert(eq(u64, helper_vmstat_value("nr_dirty_background_threshold"), 409 * x / 4096));
	cr_assert(lt(u64, 409 * x / 4096, UINT32_MAX));

	zone_page_state_add(-(1L << 35) - (long)freep, zone, NR_FREE_PAGES);
	cr_assert(eq(u64, global_zone_page_state(NR_FREE_PAGES), 0));
	cr_assert(eq(u64, helper_vmstat_value("nr_dirty_threshold"), 0));
	cr_assert(eq(u64, helper_vmstat_value("nr_dirty_background_threshold"), 0));
	zone_page_state_add((long)freep, zone, NR_FREE_PAGES);
}

/* buddy_vmstat into a buffer shorter than /proc/vmstat: it fills what fits and says how many
 * lines there are (6.1: 173; 6.12, its own names in its own order: 185). */
Test(vmstat_rules, a_short_buffer_gets_the_first_lines, .fini = down)
{
	const char *names[3];
	uint64_t values[3];

	up();
	cr_assert(eq(int, buddy_vmstat(names, values, 3), 173));
	cr_assert(eq(str, (char *)names[0], "nr_free_pages"));
	cr_assert(eq(u64, values[0], global_zone_page_state(NR_FREE_PAGES)));
	cr_assert(eq(str, (char *)names[2], "nr_zone_active_anon"));
	helper_buddy_machine_down(sc);

	kernel_version = KERNEL_6_12;
	up();
	cr_assert(eq(int, buddy_vmstat(names, values, 3), 185));
	cr_assert(eq(str, (char *)names[0], "nr_free_pages"));
	cr_assert(eq(u64, values[0], global_zone_page_state(NR_FREE_PAGES)));
}

/*
 * refresh_zone_stat_thresholds (mm/vmstat.c) first resets every node's per-CPU stat_threshold to
 * 0, then gives each the largest threshold of its populated zones: a node's threshold follows its
 * zones down as well as up.  Boot calls it twice (vmstat_cpu_online at smp_init, then
 * init_per_zone_wmark_min) and the second sees fewer managed pages (the pages freed late,
 * free_initmem and the initrd, are not back yet).  Two vCPUs, DMA32 of 300 MiB: at smp_init
 * managed >> (27 - PAGE_SHIFT) is 2 and calculate_normal_threshold gives 2 * fls(2) * (1 + fls(2))
 * = 12; 20000 pages held back leave it 1: 2 * 2 * (1 + 1) = 8, for the zone and so the node.
 */
Test(vmstat_rules, a_node_s_threshold_follows_its_zones_down)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	struct zone *z;

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 1;
	memset(&s->node[0], 0, sizeof(s->node[0]));
	s->node[0].nr_cpus = 2;
	s->node[0].zone_mib[ZONE_DMA32] = 300;
	s->node[0].zone_late_freed_pages[ZONE_DMA32] = 20000;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s), NULL));
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	cr_assert(eq(u64, (zone_managed_pages(z) - 20000) >> (27 - PAGE_SHIFT), 1));
	cr_assert(eq(u64, zone_managed_pages(z) >> (27 - PAGE_SHIFT), 2));
	for (int cpu = 0; cpu < 2; cpu++) {
		cr_expect(eq(int, per_cpu_ptr(z->per_cpu_zonestats, cpu)->stat_threshold, 8), "cpu %d", cpu);
		cr_expect(eq(int, per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->stat_threshold, 8), "cpu %d", cpu);
	}
	helper_buddy_machine_down(s);
}

/* buddy_vmstat writes no more than max lines (vmstat_start sizes its buffer to the items,
 * seq_file hands out what was asked): the slot past a 3-line buffer stays as it was. */
Test(vmstat_rules, a_short_buffer_is_not_written_past, .fini = down)
{
	const char *names[4] = { NULL, NULL, NULL, "sentinel" };
	uint64_t values[4] = { 0, 0, 0, 12345 };

	up();
	cr_assert(eq(int, buddy_vmstat(names, values, 3), 173));
	cr_expect(eq(str, (char *)names[3], "sentinel"));
	cr_expect(eq(u64, values[3], 12345));
	cr_expect(eq(str, (char *)names[2], "nr_zone_active_anon"));
}

/*
 * A global counter below zero reads 0 (include/linux/vmstat.h global_zone_page_state and
 * global_node_page_state_pages, CONFIG_SMP: per-CPU diffs not yet folded can leave the sum
 * negative).  NR_FREE_PAGES taken 5 below zero and NR_INACTIVE_FILE 1000 below (beyond the
 * stat threshold: folded into the global count at once) both read 0, then their value back.
 */
Test(vmstat_rules, a_negative_global_counter_reads_zero, .fini = down)
{
	unsigned long freep, file;

	up();
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
	freep = global_zone_page_state(NR_FREE_PAGES);
	zone_page_state_add(-(long)freep - 5, Z(ZONE_DMA32), NR_FREE_PAGES);
	cr_expect(eq(u64, global_zone_page_state(NR_FREE_PAGES), 0));
	zone_page_state_add((long)freep + 5, Z(ZONE_DMA32), NR_FREE_PAGES);
	cr_expect(eq(u64, global_zone_page_state(NR_FREE_PAGES), freep));

	file = global_node_page_state(NR_INACTIVE_FILE);
	mod_node_page_state_nid(0, NR_INACTIVE_FILE, -(long)file - 1000);
	cr_expect(eq(u64, global_node_page_state(NR_INACTIVE_FILE), 0));
	mod_node_page_state_nid(0, NR_INACTIVE_FILE, (long)file + 1000);
	cr_expect(eq(u64, global_node_page_state(NR_INACTIVE_FILE), file));
}

/*
 * /proc/vmstat's pgalloc_<zone> and pgfree (6.1 mm/page_alloc.c: __count_zid_vm_events(PGALLOC,
 * zone, 1 << order) on each allocation, __count_vm_events(PGFREE, 1 << order) on each free)
 * are the zones' counters: after an order-4 allocation and its free, pgalloc_dma32 is
 * DMA32's pages allocated, pgfree the pages freed over all zones, and an event neither
 * touches (pgalloc_movable: no such zone) stays 0.
 */
Test(vmstat_rules, pgalloc_and_pgfree_lines_are_the_zones_counters, .fini = down)
{
	struct buddy_zone_info dma, dma32;
	struct page *page;

	up();
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	helper_buddy_free(0, page, 4, NULL);
	buddy_zone_info(0, ZONE_DMA, &dma);
	buddy_zone_info(0, ZONE_DMA32, &dma32);
	cr_assert(le(u64, 16, dma32.pgalloc));
	cr_assert(le(u64, 16, dma32.pgfree));
	cr_expect(eq(u64, helper_vmstat_value("pgalloc_dma32"), dma32.pgalloc));
	cr_expect(eq(u64, helper_vmstat_value("pgalloc_dma"), dma.pgalloc));
	cr_expect(eq(u64, helper_vmstat_value("pgfree"), dma32.pgfree + dma.pgfree));
	cr_expect(eq(u64, helper_vmstat_value("pgalloc_movable"), 0));
	/* the line after the last zone's: ZONE_DEVICE is never allocated from */
	cr_expect(eq(u64, helper_vmstat_value("pgalloc_device"), 0));
}

/*
 * refresh_cpu_vm_stats counts what it did, and vmstat_update runs again while it did anything
 * (6.12 mm/vmstat.c: changes += decay_pcp_high(zone, pcp), which is true while high is above
 * high_min or pages were drained).  6.12, one DMA32 pageset, empty, every diff folded: nothing
 * to do reads 0; with high 80 over high_min 10 each round lowers it by an eighth (70, then 62)
 * and reports a change; at high_min, 0 again.
 */
Test(vmstat_rules, a_pcp_decay_counts_as_a_change_6_12, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct per_cpu_pages *pcp;

	kernel_version = KERNEL_6_12;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
	pcp = per_cpu_ptr(Z(ZONE_DMA32)->per_cpu_pageset, 0);
	for (int r = 0; r < 8 && refresh_cpu_vm_stats(0); r++)
		;
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 0), "nothing left to do");
	pcp->high_min = 10;
	pcp->high_max = 100;
	pcp->high = 80;
	cr_expect(eq(int, refresh_cpu_vm_stats(0), 1));
	cr_expect(eq(int, pcp->high, 70));
	cr_expect(eq(int, refresh_cpu_vm_stats(0), 1));
	cr_expect(eq(int, pcp->high, 62));
	pcp->high = 10;
	cr_expect(eq(int, refresh_cpu_vm_stats(0), 0), "at high_min: no decay");
}

/*
 * domain_dirty_limits (mm/page-writeback.c 6.1): "if (bg_thresh >= thresh) bg_thresh = thresh
 * / 2", after thresh is capped at UINT_MAX.  Free memory forged so that the dirtyable x is
 * 43012679806 pages: thresh = 819 * x / 4096 is capped at 4294967295 and bg_thresh =
 * 409 * x / 4096 is exactly 4294967295, equal to it: halved to 2147483647.  With x twice as
 * large the background limit is above the capped limit: halved the same way.
 */
Test(vmstat_rules, a_background_limit_not_below_the_limit_is_halved, .fini = down)
{
	const unsigned long xs[2] = { 43012679806UL, 2 * 43012679806UL };
	struct zone *zone;
	unsigned long freep;

	up();
	zone = Z(ZONE_DMA32);
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
	freep = global_zone_page_state(NR_FREE_PAGES);
	cr_assert(eq(u64, global_node_page_state(NR_INACTIVE_FILE) + global_node_page_state(NR_ACTIVE_FILE), 0));
	for (int i = 0; i < 2; i++) {
		/* x = free - totalreserve_pages + file LRU (none) + 1 */
		long add = (long)(xs[i] - 1 + totalreserve_pages) - (long)freep;

		cr_assert(le(u64, 4294967295UL, 409 * xs[i] / 4096));
		zone_page_state_add(add, zone, NR_FREE_PAGES);
		cr_expect(eq(u64, helper_vmstat_value("nr_dirty_threshold"), UINT32_MAX), "x %lu", xs[i]);
		cr_expect(eq(u64, helper_vmstat_value("nr_dirty_background_threshold"), UINT32_MAX / 2), "x %lu", xs[i]);
		zone_page_state_add(-add, zone, NR_FREE_PAGES);
	}
}

/*
 * calculate_normal_threshold (mm/vmstat.c 6.1): 2 * fls(CPUs) * (1 + fls(mem)), mem in 128 MiB
 * units, "Maximum threshold is 125": min(125, threshold).  Two CPUs (fls 2) and a zone of
 * 2^29 units (2^44 pages, its managed count set; fls 30) give 2 * 2 * 31 = 124, the largest
 * value below the cap, kept as it is; 2^30 units give 2 * 2 * 32 = 128, capped at 125.
 */
Test(vmstat_rules, a_normal_threshold_of_124_is_below_the_cap, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	struct zone *zone;
	unsigned long managed;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	zone = Z(ZONE_DMA32);
	managed = zone->managed_pages;
	zone->managed_pages = 1UL << 44;
	cr_expect(eq(int, calculate_normal_threshold(zone), 124));
	zone->managed_pages = 1UL << 45;
	cr_expect(eq(int, calculate_normal_threshold(zone), 125));
	zone->managed_pages = managed;
}

/*
 * global_dirtyable_memory (mm/page-writeback.c 6.1) returns "x + 1" (never 0): free pages above
 * the reserves plus the file LRU, plus one.  thresh = 819 * x / 4096 first reaches 1 at x = 6:
 * with 4 pages free above the reserves x = 5 and nr_dirty_threshold is 0, with 5 it is 1.
 */
Test(vmstat_rules, dirtyable_memory_counts_one_page_more, .fini = down)
{
	struct zone *zone;
	unsigned long freep;

	up();
	zone = Z(ZONE_DMA32);
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
	freep = global_zone_page_state(NR_FREE_PAGES);
	for (long above = 4; above <= 5; above++) {
		long add = (long)totalreserve_pages + above - (long)freep;

		zone_page_state_add(add, zone, NR_FREE_PAGES);
		cr_expect(eq(u64, helper_vmstat_value("nr_dirty_threshold"), above == 4 ? 0 : 1), "%ld above", above);
		zone_page_state_add(-add, zone, NR_FREE_PAGES);
	}
}

/*
 * vmstat_start (mm/vmstat.c 6.1): "v[PGPGIN] /= 2; v[PGPGOUT] /= 2;", sectors to kbytes:
 * the events are counted in 512-byte sectors and shown in KiB.  The model does no block IO;
 * the counts set here stand for a run that did.
 */
Test(vmstat_rules, pgpgin_and_pgpgout_are_shown_in_kbytes, .fini = down)
{
	up();
	vm_event_states[PGPGIN] = 10;
	vm_event_states[PGPGOUT] = 7;
	cr_expect(eq(u64, helper_vmstat_value("pgpgin"), 5));
	cr_expect(eq(u64, helper_vmstat_value("pgpgout"), 3));
	cr_expect(eq(u64, helper_vmstat_value("pswpin"), 0));
	vm_event_states[PGPGIN] = 0;
	vm_event_states[PGPGOUT] = 0;
}

/*
 * refresh_zone_stat_thresholds (mm/vmstat.c 6.1) first zeroes every node's per-CPU threshold,
 * then raises it to the largest of its populated zones'.  A node without memory (node 1 here,
 * CPUs only) keeps 0: each change of its node counters folds at once.
 */
Test(vmstat_rules, a_node_without_memory_has_threshold_0, .fini = down)
{
	uint64_t zones[2][4] = { { 0, 64, 0, 0 }, { 0, 0, 0, 0 } };
	int c[2] = { 1, 1 };

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int cpu = 0; cpu < 2; cpu++)
		per_cpu_ptr(NODE_DATA(1)->per_cpu_nodestats, cpu)->stat_threshold = 100;
	refresh_zone_stat_thresholds();
	for (int cpu = 0; cpu < 2; cpu++) {
		cr_expect(eq(int, per_cpu_ptr(NODE_DATA(1)->per_cpu_nodestats, cpu)->stat_threshold, 0), "cpu %d", cpu);
		cr_expect(lt(int, 0, per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->stat_threshold), "cpu %d", cpu);
	}
}

/*
 * set_pgdat_percpu_threshold (mm/vmstat.c 6.1 lines 317-339) walks zones 0 .. nr_zones - 1 and
 * nothing past them: with Movable populated nr_zones is MAX_NR_ZONES (4), so the walk ends at
 * the last element of node_zones.  A node of all four zones (16 + 64 + 64 + 64 MiB, one vCPU)
 * that holds slab pages of both kinds (account_slab, in pages: 300 reclaimable, 200
 * unreclaimable), every zone given a drift mark: each zone gets the pressure threshold on the
 * vCPU, and the node's counters are left as they were.
 */
Test(vmstat_rules, pressure_thresholds_stop_at_the_node_s_last_zone, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 64, 64, 64 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(int, NODE_DATA(0)->nr_zones, MAX_NR_ZONES));
	mod_node_page_state_nid(0, NR_SLAB_RECLAIMABLE_B, 300);
	mod_node_page_state_nid(0, NR_SLAB_UNRECLAIMABLE_B, 200);
	cr_assert(eq(u64, node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B), 300), "folded: above the threshold");
	cr_assert(eq(u64, node_page_state(NODE_DATA(0), NR_SLAB_UNRECLAIMABLE_B), 200));
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		Z(zid)->percpu_drift_mark = high_wmark_pages(Z(zid)) + 1;
		per_cpu_ptr(Z(zid)->per_cpu_zonestats, 0)->stat_threshold = 0;
	}
	set_pgdat_percpu_threshold(NODE_DATA(0), calculate_pressure_threshold);
	for (int zid = 0; zid < MAX_NR_ZONES; zid++)
		cr_expect(eq(int, per_cpu_ptr(Z(zid)->per_cpu_zonestats, 0)->stat_threshold,
			     calculate_pressure_threshold(Z(zid))), "zone %d", zid);
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_SLAB_RECLAIMABLE_B), 300));
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_SLAB_UNRECLAIMABLE_B), 200));
}
