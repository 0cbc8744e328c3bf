/*
 * vmstat.c - the zone and node page counters with per-CPU drift, and the
 * /proc/vmstat view of them (mm/vmstat.c, include/linux/vmstat.h,
 * global_dirty_limits from mm/page-writeback.c; Linux 6.1.192).
 *
 * How a counter moves (the kernel's scheme, which this file follows):
 *   __mod_zone_page_state(zone, item, delta) adds delta to the running CPU's
 *   s8 vm_stat_diff[item]; when |diff| passes that CPU's stat_threshold the
 *   whole diff is folded into zone->vm_stat[item] and the global
 *   vm_zone_stat[item], and the diff restarts at 0.  So the folded value that
 *   zone_page_state() returns lags the truth by up to stat_threshold per CPU;
 *   zone_page_state_snapshot() adds every CPU's diff and is exact.
 *   calculate_normal_threshold sizes the threshold from the zone's memory and
 *   the CPU count; refresh_zone_stat_thresholds sets it on every CPU and, where
 *   the worst drift (CPUs x threshold) exceeds the low - min gap, sets
 *   percpu_drift_mark = high + that drift: below the mark,
 *   zone_watermark_ok_safe (kswapd's check) reads the snapshot.
 *
 * Readers in 6.1 and here: zone_watermark_fast and zone_watermark_ok read
 * zone_page_state; should_reclaim_retry and compaction_zonelist_suitable read
 * the snapshot; zone_watermark_ok_safe reads the snapshot below the drift mark;
 * /proc/zoneinfo and /proc/vmstat print the folded values.
 *
 * Differences from the kernel:
 *  - Before setup_zone_pageset a zone uses boot_zonestats, whose threshold is 0:
 *    every change folds at once (per_cpu_zonestats NULL here), as the boot
 *    frees do in the kernel.  Boot is single-threaded.
 *  - mod_zone_page_state (x86: this_cpu_cmpxchg with overstep 0) folds exactly
 *    as __mod_zone_page_state does; the model's counter updates take no yield
 *    (raw CPU id, IRQs off or within one step), so adding the diffs changes no
 *    interleaving.
 *  - 6.1: the vmstat worker (vmstat_update, the shepherd) does not run: diffs
 *    fold only at the threshold, as on a CPU that has been busy for less than
 *    sysctl_stat_interval; refresh_cpu_vm_stats folds one CPU's diffs on demand
 *    (tests, quiet_vmstat), with the remote pcp expiry (drain_zone_pages).
 *    6.12 runs the worker once a second on busy CPUs (vmstat_update below):
 *    its pcp->high decays there (decay_pcp_high).
 *  - Events (vm_event_states) are one machine-wide array: the kernel sums its
 *    per-CPU arrays on every read.  PGALLOC_* and PGFREE are read from the zones'
 *    own pgalloc / pgfree counts, which are the same events.  NUMA events are
 *    exact per zone (the kernel folds them on every read of /proc/vmstat).
 *  - Counters the model has no source for (LRU, mapped, dirty, swap, THP,
 *    kernel stacks, ...) read 0 until a model moves them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

static long vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];
static long vm_node_stat[NR_VM_NODE_STAT_ITEMS];
unsigned long vm_event_states[NR_VM_EVENT_ITEMS];

/* kernel: vmstat_text, mm/vmstat.c (the parts in enum order) */
static const char *const zone_stat_text[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file",
	"nr_zone_active_file", "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_bounce",
	"nr_zspages", "nr_free_cma",
};
static const char *const numa_stat_text[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
};
static const char *const node_stat_text[NR_VM_NODE_STAT_ITEMS] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
	"nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
	"workingset_nodes", "workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file", "workingset_restore_anon",
	"workingset_restore_file", "workingset_nodereclaim", "nr_anon_pages", "nr_mapped",
	"nr_file_pages", "nr_dirty", "nr_writeback", "nr_writeback_temp", "nr_shmem",
	"nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped",
	"nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied",
	"nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired",
	"nr_foll_pin_released", "nr_kernel_stack", "nr_page_table_pages", "nr_sec_page_table_pages",
	"nr_swapcached", "pgpromote_success", "pgpromote_candidate",
};
static const char *const writeback_stat_text[] = { "nr_dirty_threshold", "nr_dirty_background_threshold" };
#define TEXT_FOR_ALL_ZONES(x) x "_dma", x "_dma32", x "_normal", x "_movable", x "_device"
static const char *const vm_event_text[NR_VM_EVENT_ITEMS] = {
	"pgpgin", "pgpgout", "pswpin", "pswpout",
	TEXT_FOR_ALL_ZONES("pgalloc"), TEXT_FOR_ALL_ZONES("allocstall"), TEXT_FOR_ALL_ZONES("pgskip"),
	"pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed",
	"pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgdemote_kswapd", "pgdemote_direct",
	"pgscan_kswapd", "pgscan_direct", "pgscan_direct_throttle", "pgscan_anon", "pgscan_file",
	"pgsteal_anon", "pgsteal_file", "zone_reclaim_failed", "pginodesteal", "slabs_scanned",
	"kswapd_inodesteal", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
	"pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill",
	"numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
	"numa_pages_migrated", "pgmigrate_success", "pgmigrate_fail", "thp_migration_success",
	"thp_migration_fail", "thp_migration_split", "compact_migrate_scanned", "compact_free_scanned",
	"compact_isolated", "compact_stall", "compact_fail", "compact_success", "compact_daemon_wake",
	"compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "htlb_buddy_alloc_success",
	"htlb_buddy_alloc_fail", "unevictable_pgs_culled", "unevictable_pgs_scanned",
	"unevictable_pgs_rescued", "unevictable_pgs_mlocked", "unevictable_pgs_munlocked",
	"unevictable_pgs_cleared", "unevictable_pgs_stranded", "thp_fault_alloc", "thp_fault_fallback",
	"thp_fault_fallback_charge", "thp_collapse_alloc", "thp_collapse_alloc_failed", "thp_file_alloc",
	"thp_file_fallback", "thp_file_fallback_charge", "thp_file_mapped", "thp_split_page",
	"thp_split_page_failed", "thp_deferred_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte",
	"thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte", "thp_split_pud", "thp_zero_page_alloc",
	"thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback", "balloon_inflate",
	"balloon_deflate", "balloon_migrate", "swap_ra", "swap_ra_hit", "ksm_swpin_copy", "cow_ksm",
	"zswpin", "zswpout", "direct_map_level2_splits", "direct_map_level3_splits",
};
_Static_assert(NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS + NR_VM_NODE_STAT_ITEMS + 2 +
	       NR_VM_EVENT_ITEMS + 1 == NR_VMSTAT_LINES, "/proc/vmstat of Debian 6.1.192 has 173 lines");

/* ---- counters ---- */

/* kernel: zone_page_state_add, include/linux/vmstat.h */
void zone_page_state_add(long x, struct zone *zone, enum zone_stat_item item)
{
	zone->vm_stat[item] += x;
	vm_zone_stat[item] += x;
}

/* kernel: node_page_state_add, include/linux/vmstat.h */
static void node_page_state_add(long x, struct pglist_data *pgdat, enum node_stat_item item)
{
	pgdat->vm_stat[item] += x;
	vm_node_stat[item] += x;
}

/* kernel: __mod_zone_page_state, mm/vmstat.c -- IRQs off (or zone->lock held with them off) */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	struct per_cpu_zonestat *pcp;
	long x, t;

	if (!zone->per_cpu_zonestats) {		/* boot_zonestats: threshold 0 */
		zone_page_state_add(delta, zone, item);
		return;
	}
	pcp = raw_cpu_ptr(zone->per_cpu_zonestats);
	x = delta + pcp->vm_stat_diff[item];
	t = pcp->stat_threshold;
	if (unlikely(labs(x) > t)) {
		zone_page_state_add(x, zone, item);
		x = 0;
	}
	pcp->vm_stat_diff[item] = (int8_t)x;
}

/* kernel: mod_zone_page_state, mm/vmstat.c (this_cpu_cmpxchg, overstep 0: the same fold) */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	__mod_zone_page_state(zone, item, delta);
}

/* kernel: __mod_zone_freepage_state, include/linux/vmstat.h (no CMA) */
void __mod_zone_freepage_state(struct zone *zone, int nr_pages, int migratetype)
{
	(void)migratetype;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
}

/* kernel: __mod_node_page_state, mm/vmstat.c (the _B items arrive in pages) */
void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	struct per_cpu_nodestat *pcp;
	long x, t;

	if (!pgdat->per_cpu_nodestats) {
		node_page_state_add(delta, pgdat, item);
		return;
	}
	pcp = raw_cpu_ptr(pgdat->per_cpu_nodestats);
	x = delta + pcp->vm_node_stat_diff[item];
	t = pcp->stat_threshold;
	if (unlikely(labs(x) > t)) {
		node_page_state_add(x, pgdat, item);
		x = 0;
	}
	pcp->vm_node_stat_diff[item] = (int8_t)x;
}

/* kernel: mod_node_page_state, mm/vmstat.c */
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	__mod_node_page_state(pgdat, item, delta);
}

void mod_node_page_state_nid(int nid, enum node_stat_item item, long delta)
{
	mod_node_page_state(NODE_DATA(nid), item, delta);
}

/* kernel: zone_page_state, include/linux/vmstat.h */
unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	long x = zone->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

/* kernel: zone_page_state_snapshot, include/linux/vmstat.h */
unsigned long zone_page_state_snapshot(const struct zone *zone, enum zone_stat_item item)
{
	long x = zone->vm_stat[item];

	for (int cpu = 0; zone->per_cpu_zonestats && cpu < nr_cpu_ids; cpu++)
		x += per_cpu_ptr(zone->per_cpu_zonestats, cpu)->vm_stat_diff[item];
	return x < 0 ? 0 : (unsigned long)x;
}

/* kernel: node_page_state_pages, mm/vmstat.c */
unsigned long node_page_state(const struct pglist_data *pgdat, enum node_stat_item item)
{
	long x = pgdat->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

/* kernel: global_zone_page_state, include/linux/vmstat.h */
unsigned long global_zone_page_state(enum zone_stat_item item)
{
	long x = vm_zone_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

/* kernel: global_node_page_state_pages, include/linux/vmstat.h */
unsigned long global_node_page_state(enum node_stat_item item)
{
	long x = vm_node_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

/* ---- thresholds ---- */

/* kernel: calculate_pressure_threshold, mm/vmstat.c (used while kswapd is awake) */
int calculate_pressure_threshold(struct zone *zone)
{
	int watermark_distance = (int)(low_wmark_pages(zone) - min_wmark_pages(zone));
	int threshold = watermark_distance / num_online_cpus();

	if (threshold < 1)
		threshold = 1;
	return threshold < 125 ? threshold : 125;
}

/* kernel: calculate_normal_threshold, mm/vmstat.c */
int calculate_normal_threshold(struct zone *zone)
{
	int mem = (int)(zone_managed_pages(zone) >> (27 - PAGE_SHIFT));	/* 128 MiB units */
	int threshold = 2 * (int)fls_u32((unsigned int)num_online_cpus()) * (1 + (int)fls_u32((unsigned int)mem));

	return threshold < 125 ? threshold : 125;
}

/* kernel: refresh_zone_stat_thresholds, mm/vmstat.c (percpu_drift_mark is set, never cleared) */
void refresh_zone_stat_thresholds(void)
{
	struct zone *zone;
	int nid, zid;

	for (nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int cpu = 0; NODE_DATA(nid)->per_cpu_nodestats && cpu < nr_cpu_ids; cpu++)
			per_cpu_ptr(NODE_DATA(nid)->per_cpu_nodestats, cpu)->stat_threshold = 0;

	for_each_zone_model(zone, nid, zid) {
		struct pglist_data *pgdat = zone->zone_pgdat;
		unsigned long max_drift, tolerate_drift;
		int threshold;

		if (!populated_zone(zone) || !zone->per_cpu_zonestats)
			continue;
		threshold = calculate_normal_threshold(zone);
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct per_cpu_nodestat *ns = per_cpu_ptr(pgdat->per_cpu_nodestats, cpu);

			per_cpu_ptr(zone->per_cpu_zonestats, cpu)->stat_threshold = (int8_t)threshold;
			/* the node's threshold follows its largest populated zone */
			if (threshold > ns->stat_threshold)
				ns->stat_threshold = (int8_t)threshold;
		}
		/* only where NR_FREE_PAGES may say "above low" while min is already breached */
		tolerate_drift = low_wmark_pages(zone) - min_wmark_pages(zone);
		max_drift = (unsigned long)num_online_cpus() * (unsigned long)threshold;
		if (max_drift > tolerate_drift)
			zone->percpu_drift_mark = high_wmark_pages(zone) + max_drift;
	}
}

/* kernel: set_pgdat_percpu_threshold, mm/vmstat.c (kswapd: pressure threshold while awake) */
void set_pgdat_percpu_threshold(struct pglist_data *pgdat, int (*calculate_pressure)(struct zone *))
{
	for (int i = 0; i < pgdat->nr_zones; i++) {
		struct zone *zone = &pgdat->node_zones[i];
		int threshold;

		if (!zone->percpu_drift_mark || !zone->per_cpu_zonestats)
			continue;
		threshold = calculate_pressure(zone);
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
			per_cpu_ptr(zone->per_cpu_zonestats, cpu)->stat_threshold = (int8_t)threshold;
	}
}

/* kernel: refresh_cpu_vm_stats, mm/vmstat.c (do_pagesets) */
int refresh_cpu_vm_stats(int cpu)
{
	struct zone *zone;
	int nid, zid, changes = 0;

	for_each_zone_model(zone, nid, zid) {
		struct per_cpu_pages *pcp;

		if (!zone->per_cpu_zonestats)
			continue;
		pcp = zone->per_cpu_pageset ? per_cpu_ptr(zone->per_cpu_pageset, cpu) : NULL;
		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
			int8_t *p = &per_cpu_ptr(zone->per_cpu_zonestats, cpu)->vm_stat_diff[i];

			if (*p) {
				zone_page_state_add(*p, zone, (enum zone_stat_item)i);
				*p = 0;
				changes++;
				if (pcp)
					pcp->expire = 3;	/* 3 seconds idle till flush */
			}
		}
		if (!pcp)
			continue;
		/* do_pagesets: 6.12 lowers an idle pcp's high and drains above it */
		if (KOPS(buddy)->decay_pcp_high && KOPS(buddy)->decay_pcp_high(zone, pcp))
			changes++;
		/* a remote node's pageset idle for 3 rounds gives a batch back; never a local one */
		if (!pcp->expire || !pcp->count)
			continue;
		if (zone_to_nid(zone) == cpu_to_node(cpu)) {
			pcp->expire = 0;
			continue;
		}
		if (--pcp->expire) {
			changes++;
			continue;
		}
		if (pcp->count) {
			drain_zone_pages(zone, pcp);
			changes++;
		}
	}
	for (nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; pgdat->per_cpu_nodestats && i < NR_VM_NODE_STAT_ITEMS; i++) {
			int8_t *p = &per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)->vm_node_stat_diff[i];

			if (*p) {
				node_page_state_add(*p, pgdat, (enum node_stat_item)i);
				*p = 0;
				changes++;
			}
		}
	}
	return changes;
}

/*
 * The vmstat worker (vmstat_update on each CPU's mm_percpu_wq, queued by
 * vmstat_shepherd), run only for a version whose pagesets need it: 6.12's
 * decay_pcp_high lowers an idle pcp's high and drains the excess once a
 * second.  6.1's model runs none (see the top of this file), so its results
 * stay as they were.  The model's shepherd: a CPU's first pcp operation with
 * no work pending queues it (vmstat_shepherd_arm); a round that changed
 * anything queues the next.  Deferrable, as the kernel's: an idle vCPU is not
 * woken for it, and the run's end does not wait for it.
 */
static bool vmstat_work_pending[SIM_MAX_CPUS];
static int vmstat_work_cpu = -1;	/* the CPU whose vmstat_update is running */

/* kernel: round_jiffies_relative(sysctl_stat_interval), kernel/time/timer.c -- a second on, to a whole second
 * (down when less than a quarter past one); no per-CPU skew */
static uint64_t vmstat_next_ns(uint64_t now)
{
	uint64_t t = now + 1000000000ull, rem = t % 1000000000ull;

	return rem < 250000000ull ? t - rem : t + (1000000000ull - rem);
}

static void vmstat_update(struct sim_vcpu *v, void *arg);

static void vmstat_queue_work(int cpu)
{
	vmstat_work_pending[cpu] = true;
	sim_work_queue_deferrable(cpu, vmstat_next_ns(sim_now()), vmstat_update, (void *)(intptr_t)cpu);
}

/* kernel: vmstat_update, mm/vmstat.c -- refresh_cpu_vm_stats(true), again in a second while anything changed */
static void vmstat_update(struct sim_vcpu *v, void *arg)
{
	int cpu = (int)(intptr_t)arg, changes;

	(void)v;
	vmstat_work_pending[cpu] = false;
	vmstat_work_cpu = cpu;
	changes = refresh_cpu_vm_stats(cpu);
	vmstat_work_cpu = -1;
	if (changes)
		vmstat_queue_work(cpu);
}

/* kernel: vmstat_shepherd, mm/vmstat.c (the model's: see above); from 6.12's pcp paths */
void vmstat_shepherd_arm(void)
{
	int cpu;

	if (!KOPS(buddy)->decay_pcp_high || !sim || !sim->running)
		return;
	cpu = raw_smp_processor_id();
	if (!vmstat_work_pending[cpu])
		vmstat_queue_work(cpu);
}

/*
 * Model-only: inside the vmstat worker, begin a page-free operation for a
 * drain it does (decay_pcp_high), so the drain is logged as the kernel's
 * kworker trace shows it.  False elsewhere (a test's direct call).
 */
bool vmstat_work_op_begin(struct sim_op *op, const struct zone *zone)
{
	if (vmstat_work_cpu < 0 || vmstat_work_cpu != raw_smp_processor_id())
		return false;
	sim_op_begin(op, SIM_OP_PAGE_FREE);
	BUDDY_LABEL("vmstat_update");
	op->order = 0;
	op->zone = (int8_t)zone_idx(zone);
	op->mem_node = (int16_t)zone_to_nid(zone);
	return true;
}

/* The per_cpu_zonestats half of setup_zone_pageset, mm/page_alloc.c */
void setup_zone_vmstats(struct zone *zone)
{
	zone->per_cpu_zonestats = calloc((size_t)nr_cpu_ids, sizeof(struct per_cpu_zonestat));
	if (!zone->per_cpu_zonestats)
		abort();
}

/* The per_cpu_nodestats part of setup_per_cpu_pageset, mm/page_alloc.c */
void setup_node_vmstats(struct pglist_data *pgdat)
{
	pgdat->per_cpu_nodestats = calloc((size_t)nr_cpu_ids, sizeof(struct per_cpu_nodestat));
	if (!pgdat->per_cpu_nodestats)
		abort();
}

void vmstat_exit(void)
{
	struct zone *zone;
	int nid, zid;

	memset(vmstat_work_pending, 0, sizeof(vmstat_work_pending));
	vmstat_work_cpu = -1;

	for_each_zone_model(zone, nid, zid) {
		free(zone->per_cpu_zonestats);
		zone->per_cpu_zonestats = NULL;
	}
	for (nid = 0; nid < buddy_nr_node_ids; nid++) {
		free(NODE_DATA(nid)->per_cpu_nodestats);
		NODE_DATA(nid)->per_cpu_nodestats = NULL;
	}
	memset(vm_zone_stat, 0, sizeof(vm_zone_stat));
	memset(vm_node_stat, 0, sizeof(vm_node_stat));
	memset(vm_event_states, 0, sizeof(vm_event_states));
}

/* ---- /proc/vmstat ---- */

/* kernel: global_dirty_limits, mm/page-writeback.c (vm.dirty_ratio 20, dirty_background_ratio 10,
 * no byte limits, no highmem, the reader not a real-time task) */
static void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);	/* global_dirtyable_memory */
	unsigned long ratio = (20 * PAGE_SIZE) / 100, bg_ratio = (10 * PAGE_SIZE) / 100;
	unsigned long thresh, bg_thresh;

	x -= x < totalreserve_pages ? x : totalreserve_pages;
	x += global_node_page_state(NR_INACTIVE_FILE) + global_node_page_state(NR_ACTIVE_FILE);
	x += 1;
	thresh = (ratio * x) / PAGE_SIZE;				/* domain_dirty_limits */
	bg_thresh = (bg_ratio * x) / PAGE_SIZE;
	if (thresh > UINT32_MAX)
		thresh = UINT32_MAX;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pdirty = thresh;
	*pbackground = bg_thresh;
}

/* kernel: vmstat_start + vmstat_show, mm/vmstat.c (6.1's lines) */
static int vmstat_lines_6_1(const char **names, uint64_t *values, int max)
{
	unsigned long bg, dirty;
	struct zone *zone;
	int nid, zid, n = 0;

#define EMIT(name_, value_) do {					\
		if (n < max) {						\
			names[n] = (name_);				\
			values[n] = (uint64_t)(value_);			\
		}							\
		n++;							\
	} while (0)
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		EMIT(zone_stat_text[i], global_zone_page_state((enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		unsigned long sum = 0;

		for_each_zone_model(zone, nid, zid)
			sum += zone->numa_event[i];
		EMIT(numa_stat_text[i], sum);
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		EMIT(node_stat_text[i], global_node_page_state((enum node_stat_item)i));
	global_dirty_limits(&bg, &dirty);
	EMIT(writeback_stat_text[0], dirty);
	EMIT(writeback_stat_text[1], bg);
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		unsigned long v = vm_event_states[i];

		if (i >= PGALLOC_DMA && i < PGALLOC_DMA + MAX_NR_ZONES)
			for (nid = 0; nid < buddy_nr_node_ids; nid++)
				v += NODE_DATA(nid)->node_zones[i - PGALLOC_DMA].pgalloc;
		if (i == PGFREE)
			for_each_zone_model(zone, nid, zid)
				v += zone->pgfree;
		if (i == PGPGIN || i == PGPGOUT)
			v /= 2;		/* sectors -> kbytes */
		EMIT(vm_event_text[i], v);
	}
	EMIT("nr_unstable", 0);
#undef EMIT
	return n;
}

/*
 * /proc/vmstat of the run's kernel: 6.1's lines, or, when the version table
 * names its own vmstat_text (6.12), those names in that order with the value
 * of 6.1's line of the same name (0 for an item 6.1 does not have).
 */
int buddy_vmstat(const char **names, uint64_t *values, int max)
{
	const char *const *text = KOPS(buddy)->vmstat_text;
	const char *names61[NR_VMSTAT_LINES];
	uint64_t values61[NR_VMSTAT_LINES];
	int n61, n = KOPS(buddy)->nr_vmstat_text;

	if (!text)
		return vmstat_lines_6_1(names, values, max);
	n61 = vmstat_lines_6_1(names61, values61, NR_VMSTAT_LINES);
	for (int i = 0; i < n && i < max; i++) {
		names[i] = text[i];
		values[i] = 0;
		for (int j = 0; j < n61 && j < NR_VMSTAT_LINES; j++)
			if (!strcmp(names61[j], text[i])) {
				values[i] = values61[j];
				break;
			}
	}
	return n;
}
