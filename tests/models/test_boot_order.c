/*
 * test_boot_order.c - the machine right after boot, as start_kernel leaves it, suite
 * `boot_order`.  The slab allocator boots in mm_init (6.1 init/main.c; 6.12 mm_core_init)
 * -> kmem_cache_init, before setup_per_cpu_pageset: every zone is still on boot_pageset
 * (high 0, batch 1), boot_zonestats and boot_nodestats (stat_threshold 0).  So:
 *  - every vmstat change of the boot folds at once (__mod_node_page_state,
 *    __mod_zone_page_state: |diff| > threshold 0), so nr_slab_unreclaimable holds the boot
 *    slabs' pages and no per-CPU diff holds anything;
 *  - the boot's pages went through the pcp lists one at a time (__rmqueue_pcplist refills
 *    pcp->batch = 1; free_unref_page_commit frees down to high 0) and setup_zone_pageset
 *    gives each populated zone new, empty pagesets: no CPU's lists hold a page after boot;
 *  - the boot's NUMA events went to boot_zonestats, which setup_zone_pageset leaves behind
 *    and setup_per_cpu_pageset clears: numa_hit reads 0 after boot, while PGALLOC (the
 *    per-CPU vm_event_states, not the pagesets) counts the boot's pages;
 *  - the stat thresholds are computed later (smp_init's vmstat_cpu_online,
 *    init_per_zone_wmark_min), on the new per-CPU stats: calculate_normal_threshold.
 * Machine: 2 nodes of 1024 MiB (node 0: DMA 16 MiB + DMA32), 2 vCPUs each.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/slab_common/slab_common.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

/* Pages of every cache's slabs, by SLAB_RECLAIM_ACCOUNT (an alias is its cache: counted once). */
static void slab_pages(unsigned long *unreclaimable, unsigned long *reclaimable)
{
	*unreclaimable = *reclaimable = 0;
	for (int id = 0; id < slab_nr_caches(); id++) {
		struct kmem_cache *s = slab_cache(id);
		struct slab_cache_info info;
		bool seen = false;

		for (int j = 0; j < id; j++)
			seen |= slab_cache(j) == s;
		if (!s || seen)
			continue;
		slab_current()->info(s, &info);
		if (info.flags & SLAB_RECLAIM_ACCOUNT)
			*reclaimable += info.num_slabs << info.order;
		else
			*unreclaimable += info.num_slabs << info.order;
	}
}

static void check_booted_machine(void)
{
	unsigned long unreclaimable, reclaimable, node_sum = 0;

	slab_pages(&unreclaimable, &reclaimable);
	cr_assert(lt(u64, 0, unreclaimable), "the boot made slabs");
	/* folded at once: the global counter is every boot slab's pages, each node's is its share */
	cr_assert(eq(u64, global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), unreclaimable));
	cr_assert(eq(u64, global_node_page_state(NR_SLAB_RECLAIMABLE_B), reclaimable));
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		node_sum += node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B);
		cr_assert(lt(u64, 0, node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B)), "node %d", nid);
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
			for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
				cr_assert(eq(i8, per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)->vm_node_stat_diff[i], 0),
					  "node %d cpu %d item %d", nid, cpu, i);
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (!populated_zone(zone))
				continue;
			/* the folded NR_FREE_PAGES is exact: no diff, no page on a pcp list */
			cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES),
				     zone_page_state_snapshot(zone, NR_FREE_PAGES)), "node %d zone %d", nid, zid);
			for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
				struct per_cpu_zonestat *zs = per_cpu_ptr(zone->per_cpu_zonestats, cpu);

				cr_assert(eq(int, per_cpu_ptr(zone->per_cpu_pageset, cpu)->count, 0),
					  "node %d zone %d cpu %d", nid, zid, cpu);
				for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
					cr_assert(eq(i8, zs->vm_stat_diff[i], 0));
				/* refresh_zone_stat_thresholds ran after setup_per_cpu_pageset */
				cr_assert(eq(int, zs->stat_threshold, calculate_normal_threshold(zone)));
			}
			/* the boot's NUMA events were dropped with boot_zonestats, its PGALLOC kept */
			for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
				cr_assert(eq(u64, zone->numa_event[i], 0), "node %d zone %d event %d", nid, zid, i);
		}
	}
	cr_assert(eq(u64, node_sum, unreclaimable));
	cr_assert(lt(u64, 0, NODE_DATA(0)->node_zones[ZONE_DMA32].pgalloc));
}

/* After boot, a slab page's stats wait in the per-CPU diff again (threshold > 0). */
static void check_after_boot_diffs_hold(void)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	long before = (long)node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B);
	struct kmem_cache *s;
	void *obj;

	sim_engine_set_cpu(0);
	s = kmem_cache_create("boot-order-test", 1024, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	obj = kmem_cache_alloc_node(s, GFP_KERNEL, 0);
	cr_assert(ne(ptr, obj, NULL));
	cr_assert(eq(i64, (long)node_page_state(pgdat, NR_SLAB_UNRECLAIMABLE_B), before));
	cr_assert(lt(i8, 0, per_cpu_ptr(pgdat->per_cpu_nodestats, 0)->vm_node_stat_diff[NR_SLAB_UNRECLAIMABLE_B]));
	kmem_cache_free(s, obj);
}

Test(boot_order, slub_6_1_boot_slabs_are_folded, .fini = down)
{
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
	check_booted_machine();
	check_after_boot_diffs_hold();
}

Test(boot_order, slab_6_1_boot_slabs_are_folded, .fini = down)
{
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	check_booted_machine();
	check_after_boot_diffs_hold();
}

/* 6.12 without CONFIG_SLAB_BUCKETS: no cache of a later initcall, the boot is kmem_cache_init's */
Test(boot_order, slub_6_12_boot_slabs_are_folded, .fini = down)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->slab_buckets = false;
	kernel_version = KERNEL_6_12;
	sc = helper_slub_machine_up_sc(s, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
	check_booted_machine();
	check_after_boot_diffs_hold();
}

/*
 * 6.12 with CONFIG_SLAB_BUCKETS: kmalloc_buckets is made at the end of create_kmalloc_caches
 * (kmem_cache_init, folded at once), the memdup_user-* and msg_msg-* buckets by subsys
 * initcalls (init_user_buckets, init_msg_buckets), after setup_per_cpu_pageset and the
 * thresholds: what their kmem_cache and kmem_cache_node objects took waits in the boot
 * CPU's diff, so the folded counter is short of the slab pages by exactly that diff.
 */
Test(boot_order, slub_6_12_later_initcall_caches_wait_in_the_diffs, .fini = down)
{
	unsigned long unreclaimable, reclaimable;
	long folded = 0, diff = 0;

	kernel_version = KERNEL_6_12;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(ne(ptr, (void *)slab_find_cache("kmalloc_buckets"), NULL));
	cr_assert(ne(ptr, (void *)slab_find_cache("memdup_user-64"), NULL));
	slab_pages(&unreclaimable, &reclaimable);
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		folded += (long)node_page_state(NODE_DATA(nid), NR_SLAB_UNRECLAIMABLE_B);
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			int8_t d = per_cpu_ptr(NODE_DATA(nid)->per_cpu_nodestats, cpu)->vm_node_stat_diff
					   [NR_SLAB_UNRECLAIMABLE_B];

			if (cpu)
				cr_assert(eq(i8, d, 0), "node %d cpu %d", nid, cpu);
			diff += d;
		}
	}
	cr_assert(lt(i64, 0, diff));
	cr_assert(eq(i64, folded + diff, (long)unreclaimable));
}

static void down_buddy(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* With no slab allocator the buddy boot runs whole: the zones' own pagesets and thresholds. */
Test(boot_order, buddy_alone_boots_whole, .fini = down_buddy)
{
	const int cpus[2] = { 2, 2 };
	const uint64_t zones[2][4] = { { 16, 1008, 0, 0 }, { 0, 1024, 0, 0 } };

	sc = helper_buddy_machine_up(2, cpus, zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[ZONE_DMA32];

			cr_assert(ne(ptr, (void *)NODE_DATA(nid)->per_cpu_nodestats, NULL));
			cr_assert(eq(int, per_cpu_ptr(zone->per_cpu_pageset, cpu)->batch, zone_batchsize(zone)));
			cr_assert(eq(int, per_cpu_ptr(zone->per_cpu_zonestats, cpu)->stat_threshold,
				     calculate_normal_threshold(zone)));
		}
	cr_assert(eq(u64, global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), 0));
}
