/*
 * init.c - boot of the buddy allocator model: nodes and zones from the
 * scenario, boot memory into the free lists, pcp sets, zonelists,
 * watermarks (buddy_init), and teardown (buddy_exit).  Also the path helpers
 * every buddy file uses to mark labels and levels.
 *
 * Layout: node n's memory follows node n-1's; within a node the zones come
 * in index order (DMA, DMA32, Normal, Movable), each as large as the
 * scenario's zone_mib[] says (x86-64's DMA is the first 16 MiB and DMA32
 * reaches 4 GiB; a scenario describing a real machine gives those sizes).
 * A zone given its exact geometry (kmemsim replay copies a capture's
 * zoneinfo start_pfn and spanned) starts at that pfn instead; the frames
 * between zones (a node starting at pfn 1, a node ending short of a MiB)
 * are in no zone: holes that never reach the free lists.
 * A zone may say how many of its pages are present and how many of those
 * the buddy allocator manages (kmemsim replay copies a capture's zoneinfo):
 * the pages it does not manage (memblock reservations: the kernel image, the
 * memmap) and the holes are taken from the end of the zone, where memblock's
 * top-down allocations put most of them, and never reach the free lists.
 * By default a zone is all present and all managed.
 *
 * Boot replays the kernel's order where it changes results, in three steps
 * so that the slab allocator boots where start_kernel boots it:
 *   buddy_init: memblock_free_all (__free_pages_memory per zone, max-order
 *     aligned blocks where possible, FPI_TO_TAIL), build_all_zonelists.  The
 *     zones are left on the boot pagesets (high 0, batch 1: every page goes
 *     through them one at a time and none stays) and on boot_zonestats /
 *     boot_nodestats (threshold 0: every counter change folds at once).
 *     Here mm_init's kmem_cache_init boots the slab allocator (6.1
 *     init/main.c; 6.12 mm_core_init), and SLAB's kmem_cache_init_late.
 *   buddy_init_late: setup_per_cpu_pageset (the populated zones' own, empty
 *     pagesets, the per-CPU stats with threshold 0 and the boot NUMA events
 *     gone), smp_init's refresh_zone_stat_thresholds, init_per_zone_wmark_min,
 *     khugepaged's set_recommended_min_free_kbytes (only with
 *     CONFIG_TRANSPARENT_HUGEPAGE: cfg->thp).  Then the later initcalls'
 *     caches (6.12's memdup_user and msg_msg buckets).
 *   buddy_init_sysctl: the scenario's sysctl writes, then its overrides of
 *     each zone's watermarks and pcp high and batch (a capture's zoneinfo
 *     applied verbatim: buddy_apply_overrides).
 * It runs before the engine starts; nothing here but the slab boot's
 * allocations takes a lock or yields (the lock objects are only registered
 * with the engine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

struct pglist_data *node_data[SIM_MAX_NODES];

/* The version functions, by kernel_version (KOPS(buddy), buddy_int.h). */
const struct buddy_kops *const buddy_kops_table[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = &buddy_kops_6_1,
	[KERNEL_6_12] = &buddy_kops_6_12,
};
int buddy_nr_node_ids;
uint64_t buddy_max_pfn;
unsigned int buddy_pageblock_order = 9;		/* models/mm.h pageblock_order */
bool buddy_thp = true;			/* CONFIG_TRANSPARENT_HUGEPAGE */

const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };

static char zone_lock_names[SIM_MAX_NODES][MAX_NR_ZONES][32];

/* ---- path helpers ---- */

struct sim_op *buddy_op(enum sim_op_kind kind)
{
	struct sim_op *op = sim && sim->cur ? sim_op_current() : NULL;

	return op && op->kind == (int)kind ? op : NULL;
}

void buddy_level(enum sim_op_kind kind, int level)
{
	if (buddy_op(kind))
		sim_path_level(level);
}

void buddy_path_label(uint16_t id)
{
	struct sim_op *op = sim && sim->cur ? sim_op_current() : NULL;

	if (!op || (op->nr_labels && op->labels[op->nr_labels - 1] == id))
		return;
	sim_path_add(id);
}

/* ---- boot ---- */

/* kernel: __free_pages_memory, mm/memblock.c -- [start, end) of one zone */
static void free_zone_memory(struct zone *zone, uint64_t start, uint64_t end)
{
	while (start < end) {
		unsigned int order = start ? (unsigned int)__builtin_ctzll(start) : MAX_ORDER - 1;

		if (order > MAX_ORDER - 1)
			order = MAX_ORDER - 1;
		while (start + (1UL << order) > end)
			order--;
		if (order == MAX_ORDER - 1) {
			/* the run of max-order blocks stays untouched (buddy_int.h) */
			uint64_t run_end = start + (end - start) / MAX_ORDER_NR_PAGES * MAX_ORDER_NR_PAGES;

			free_list_add_untouched(zone, start, run_end);
			start = run_end;
			continue;
		}
		__free_pages_core(pfn_to_page(start), start, order);
		start += 1UL << order;
	}
}

/* kernel: zone_init_internals / init_currently_empty_zone, mm/page_alloc.c */
static void zone_init(struct pglist_data *pgdat, int zid, uint64_t start_pfn, uint64_t nr_pages,
		      uint64_t present_pages)
{
	struct zone *zone = &pgdat->node_zones[zid];
	char *name = zone_lock_names[pgdat->node_id][zid];

	zone->zone_pgdat = pgdat;
	zone->node = pgdat->node_id;
	zone->name = zone_names[zid];
	zone->zone_start_pfn = nr_pages ? start_pfn : 0;
	zone->spanned_pages = nr_pages;
	zone->present_pages = present_pages;
	snprintf(name, sizeof(zone_lock_names[0][0]), "zone->lock N%d %s", pgdat->node_id, zone_names[zid]);
	spin_lock_init_named(&zone->lock, name);
	spin_lock_owner(&zone->lock, -1, pgdat->node_id, zid, NULL);
	zone_pcp_init(zone);
	if (nr_pages)
		pgdat->nr_zones = zid + 1;
}

/* A zone's present or managed page count: `want` when it is given (non-zero) and fits, else `all`. */
static uint64_t zone_pages_or(uint64_t want, uint64_t all)
{
	return want && want < all ? want : all;
}

static int bad_input(const struct buddy_config *sc, const char *key, const char *what, long long got)
{
	fprintf(stderr, "%s: %s: %s, got %lld\n", sc->source ? sc->source : "(scenario)", key, what, got);
	return SIM_EBADINPUT;
}

/*
 * Not a kernel function: the configuration's per-zone watermarks and pcp
 * sizes written over what boot computed, as if the sysctls had produced
 * them (a capture replayed with its own zoneinfo, or a what-if).  A
 * watermark left 0 keeps its computed value; WMARK_PROMO follows high as
 * __setup_per_zone_wmarks places it (high + the low-high gap).  The totals
 * that depend on the watermarks (totalreserve_pages) are recomputed.
 */
static void buddy_apply_overrides(const struct buddy_config *sc)
{
	bool wmarks = false;

	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];
			int high = (int)sc->pcp_high[nid][zid], batch = (int)sc->pcp_batch[nid][zid];

			if (!populated_zone(zone))
				continue;
			if (sc->wmark_min[nid][zid])
				zone->_watermark[WMARK_MIN] = sc->wmark_min[nid][zid];
			if (sc->wmark_low[nid][zid])
				zone->_watermark[WMARK_LOW] = sc->wmark_low[nid][zid];
			if (sc->wmark_high[nid][zid])
				zone->_watermark[WMARK_HIGH] = sc->wmark_high[nid][zid];
			if (sc->wmark_min[nid][zid] || sc->wmark_low[nid][zid] || sc->wmark_high[nid][zid]) {
				zone->_watermark[WMARK_PROMO] = zone->_watermark[WMARK_HIGH] +
					(zone->_watermark[WMARK_HIGH] - zone->_watermark[WMARK_LOW]);
				wmarks = true;
			}
			if (!high && !batch)
				continue;
			KOPS(buddy)->zone_pageset_override(zone, high, batch);
		}
	if (wmarks)
		calculate_totalreserve_pages();
}

/* kernel: free_area_init, mem_init (memblock_free_all), build_all_zonelists: the zones on boot pagesets */
int buddy_init(const struct buddy_config *sc)
{
	uint64_t pfn = 0, start[SIM_MAX_NODES][MAX_NR_ZONES];

	buddy_exit();
	buddy_bugs_reset();
	if (sc->nr_nodes < 1 || sc->nr_nodes > SIM_MAX_NODES)
		return bad_input(sc, "machine.nodes", "expected 1 to 64 nodes", sc->nr_nodes);
	if (sc->percpu_pagelist_high_fraction &&
	    sc->percpu_pagelist_high_fraction < MIN_PERCPU_PAGELIST_HIGH_FRACTION)
		return bad_input(sc, "buddy.percpu_pagelist_high_fraction", "expected 0 or at least 8",
				 sc->percpu_pagelist_high_fraction);
	if (sc->page_block_order && (sc->page_block_order <= PAGE_ALLOC_COSTLY_ORDER ||
				     sc->page_block_order > MAX_ORDER - 1))
		return bad_input(sc, "buddy.pageblock_order", "expected 4 to 10", sc->page_block_order);
	for (int nid = 0; nid < sc->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if ((sc->wmark_low[nid][zid] && sc->wmark_min[nid][zid] > sc->wmark_low[nid][zid]) ||
			    (sc->wmark_high[nid][zid] && sc->wmark_low[nid][zid] > sc->wmark_high[nid][zid]))
				return bad_input(sc, "machine.nodes.wmark_low", "expected min <= low <= high, low",
						 (long long)sc->wmark_low[nid][zid]);
	if (sc->watermark_scale_factor > 3000)
		return bad_input(sc, "buddy.watermark_scale_factor", "expected 1 to 3000", sc->watermark_scale_factor);
	for (int nid = 0; nid < sc->nr_nodes; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (!sc->zone_spanned_pages[nid][zid]) {
				start[nid][zid] = pfn;
				pfn += sc->zone_mib[nid][zid] << (20 - PAGE_SHIFT);
				continue;
			}
			if (sc->zone_start_pfn[nid][zid] < pfn)
				return bad_input(sc, "machine.nodes", "expected zones in pfn order, start_pfn",
						 (long long)sc->zone_start_pfn[nid][zid]);
			start[nid][zid] = sc->zone_start_pfn[nid][zid];
			pfn = start[nid][zid] + sc->zone_spanned_pages[nid][zid];
		}
	if (pfn >= UINT32_MAX)	/* list links hold pfn + 1 in 32 bits */
		return bad_input(sc, "machine.nodes", "expected at most 16 TiB of memory in all, MiB", (long long)(pfn >> 8));

	buddy_nr_node_ids = sc->nr_nodes;
	buddy_max_pfn = pfn;
	buddy_pageblock_order = sc->page_block_order ? sc->page_block_order : 9;
	buddy_thp = sc->thp;
	sim_mem_init(buddy_max_pfn);

	pfn = 0;
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = calloc(1, sizeof(*pgdat));

		if (!pgdat)
			abort();
		node_data[nid] = pgdat;
		pgdat->node_id = nid;
		kswapd_run(pgdat);
		pgdat->node_start_pfn = pfn;
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			uint64_t nr_pages = sc->zone_spanned_pages[nid][zid] ? sc->zone_spanned_pages[nid][zid] :
					    sc->zone_mib[nid][zid] << (20 - PAGE_SHIFT);
			uint64_t present = zone_pages_or(sc->zone_present_pages[nid][zid], nr_pages);

			if (nr_pages && !pgdat->node_present_pages)	/* the node starts at its first zone */
				pgdat->node_start_pfn = start[nid][zid];
			zone_init(pgdat, zid, start[nid][zid], nr_pages, present);
			sim_mem_add_range(start[nid][zid], nr_pages, nid, zid);
			pfn = start[nid][zid] + nr_pages;
			pgdat->node_present_pages += present;
		}
		pgdat->node_spanned_pages = pfn - pgdat->node_start_pfn;
	}

	/* memblock_free_all: every zone's managed memory, in address order */
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];
			uint64_t managed = zone_pages_or(sc->zone_managed_pages[nid][zid], zone->present_pages);

			free_zone_memory(zone, zone->zone_start_pfn, zone->zone_start_pfn + managed);
		}

	build_all_zonelists();
	return 0;
}

/*
 * kernel: setup_per_cpu_pageset, init/main.c start_kernel, then smp_init's vmstat_cpu_online
 * and the postcore initcalls (init_per_zone_wmark_min), khugepaged's subsys initcall, and the
 * late frees (free_initrd_mem, free_initmem)
 */
void buddy_init_late(const struct buddy_config *sc)
{
	uint64_t late[SIM_MAX_NODES][MAX_NR_ZONES];

	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {	/* setup_per_cpu_pageset */
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[zid]))
				setup_zone_pageset(&NODE_DATA(nid)->node_zones[zid]);
		setup_node_vmstats(NODE_DATA(nid));
	}

	/* smp_init: vmstat_cpu_online for each secondary CPU, before any watermark is set, so the
	 * drift mark is CPUs x threshold; init_per_zone_wmark_min may raise it, never clears it */
	if (nr_cpu_ids > 1)
		refresh_zone_stat_thresholds();
	/* the postcore initcall sees managed pages without what the kernel frees later (initrd, initmem) */
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];

			late[nid][zid] = sc->late_freed_pages[nid][zid] < zone->managed_pages
					 ? sc->late_freed_pages[nid][zid] : zone->managed_pages;
			zone->managed_pages -= late[nid][zid];
		}
	init_per_zone_wmark_min();
	/* hugepage_init -> start_stop_khugepaged (CONFIG_TRANSPARENT_HUGEPAGE): a subsys initcall, so
	 * it too sees the managed pages without what the kernel frees later */
	if (buddy_thp)
		set_recommended_min_free_kbytes();
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)	/* free_initrd_mem, free_initmem */
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			NODE_DATA(nid)->node_zones[zid].managed_pages += late[nid][zid];
}

/* Not a kernel function: the scenario's settings, as sysctl writes after boot, then its overrides */
void buddy_init_sysctl(const struct buddy_config *sc)
{
	/* the scenario's settings, applied as sysctl writes after boot */
	if (sc->watermark_scale_factor && (int)sc->watermark_scale_factor != watermark_scale_factor) {
		watermark_scale_factor = (int)sc->watermark_scale_factor;
		setup_per_zone_wmarks();
	}
	if (sc->min_free_kbytes) {
		min_free_kbytes = (int)sc->min_free_kbytes;
		user_min_free_kbytes = min_free_kbytes;
		setup_per_zone_wmarks();
	}
	if (sc->watermark_boost_factor_set)	/* read by boost_watermark as it goes */
		watermark_boost_factor = (int)sc->watermark_boost_factor;
	if (sc->percpu_pagelist_high_fraction) {
		percpu_pagelist_high_fraction = (int)sc->percpu_pagelist_high_fraction;
		for (int nid = 0; nid < buddy_nr_node_ids; nid++)
			for (int zid = 0; zid < MAX_NR_ZONES; zid++)
				if (populated_zone(&NODE_DATA(nid)->node_zones[zid]))
					KOPS(buddy)->zone_set_pageset_high_and_batch(&NODE_DATA(nid)->node_zones[zid], 0);
	}
	buddy_apply_overrides(sc);
}

void buddy_exit(void)
{
	oom_kill_exit();
	vmscan_exit();
	zonelists_exit();
	vmstat_exit();
	buddy_set_migrate_hook(NULL, NULL);
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			zone_pcp_free(&NODE_DATA(nid)->node_zones[zid]);
		free(node_data[nid]);
		node_data[nid] = NULL;
	}
	pcp_exit();
	buddy_nr_node_ids = 0;
	buddy_max_pfn = 0;
	pageblock_exit();
	buddy_pageblock_order = 9;
	buddy_thp = true;
	sim_mem_exit();
	/* sysctls back to their boot values */
	min_free_kbytes = 1024;
	user_min_free_kbytes = -1;
	watermark_scale_factor = 10;
	watermark_boost_factor = 15000;
	percpu_pagelist_high_fraction = 0;
	totalreserve_pages = 0;
}
