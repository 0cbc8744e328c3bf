/*
 * test_vmstat.c - per-CPU vmstat drift and /proc/vmstat (models/buddy/vmstat.c),
 * suite `vmstat`.
 *
 * Strategy: a one-zone machine (DMA32, 1 GiB, 4 vCPUs: stat_threshold 30 as
 * calculate_normal_threshold gives), order-4 allocations that bypass the pcp
 * lists leave -16 in each CPU's NR_FREE_PAGES diff (below the threshold, so
 * nothing folds), then watermarks crafted between the exact and the folded
 * count: the checks that read zone_page_state pass, those that read the
 * snapshot fail, exactly as 6.1's do.
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

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static struct zone *up_dma32_4cpus(void)
{
	uint64_t zones[1][4] = { { 0, 1024, 0, 0 } };
	int c[1] = { 4 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

Test(vmstat, thresholds_and_drift_mark_as_6_1_computes_them, .fini = down)
{
	struct zone *zone = up_dma32_4cpus();
	struct buddy_pcp_info pi;

	/* 2 * fls(4 CPUs) * (1 + fls(1 GiB / 128 MiB)) = 2 * 3 * 5 */
	cr_assert(eq(int, calculate_normal_threshold(zone), 30));
	for (int cpu = 0; cpu < 4; cpu++)
		cr_assert(eq(int, zone->per_cpu_zonestats[cpu].stat_threshold, 30));
	buddy_pcp_info(0, ZONE_DMA32, 2, &pi);
	cr_assert(eq(int, pi.stat_threshold, 30));
	/* low - min (262) tolerates the worst drift (4 x 30): the mark is the one set when the
	 * secondary CPUs came up, before any watermark: 0 + 120 */
	cr_assert(lt(u64, 120, low_wmark_pages(zone) - min_wmark_pages(zone)));
	cr_assert(eq(u64, zone->percpu_drift_mark, 120));
	/* kswapd's pressure threshold: (low - min) / CPUs, at most 125 */
	cr_assert(eq(int, calculate_pressure_threshold(zone),
		     (int)((low_wmark_pages(zone) - min_wmark_pages(zone)) / 4 < 125 ?
			   (low_wmark_pages(zone) - min_wmark_pages(zone)) / 4 : 125)));
}

Test(vmstat, diffs_fold_only_past_the_threshold, .fini = down)
{
	struct zone *zone = up_dma32_4cpus();
	struct sim_op op;
	unsigned long before = zone_page_state(zone, NR_FREE_PAGES);

	/* one order-4 block: -16 stays in CPU 1's diff */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(1, 0, GFP_KERNEL, 4, &op), NULL));
	cr_assert(eq(int, zone->per_cpu_zonestats[1].vm_stat_diff[NR_FREE_PAGES], -16));
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), before));
	cr_assert(eq(u64, zone_page_state_snapshot(zone, NR_FREE_PAGES), before - 16));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), before - 16));
	/* a second one: -32 passes 30, the whole diff folds */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(1, 0, GFP_KERNEL, 4, &op), NULL));
	cr_assert(eq(int, zone->per_cpu_zonestats[1].vm_stat_diff[NR_FREE_PAGES], 0));
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), before - 32));
	cr_assert(buddy_check(stderr));
}

Test(vmstat, lag_passes_the_fast_check_and_fails_the_snapshot_check, .fini = down)
{
	struct zone *zone = up_dma32_4cpus();
	struct sim_op op;
	unsigned long exact, folded;

	for (int cpu = 0; cpu < 4; cpu++)
		cr_assert(ne(ptr, (void *)helper_buddy_alloc(cpu, 0, GFP_KERNEL, 4, &op), NULL));
	exact = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	folded = zone_page_state(zone, NR_FREE_PAGES);
	cr_assert(eq(u64, folded, exact + 64));

	/* watermarks between the two counts, the drift mark as refresh_zone_stat_thresholds sets it */
	zone->_watermark[WMARK_MIN] = exact + 10;
	zone->_watermark[WMARK_LOW] = exact + 15;
	zone->_watermark[WMARK_HIGH] = exact + 20;
	refresh_zone_stat_thresholds();
	cr_assert(eq(u64, zone->percpu_drift_mark, exact + 20 + 120));

	/* the allocator's checks read zone_page_state: the folded count is above low */
	cr_assert(zone_watermark_fast(zone, 0, low_wmark_pages(zone), ZONE_NORMAL, ALLOC_WMARK_LOW, GFP_KERNEL));
	cr_assert(zone_watermark_ok(zone, 0, min_wmark_pages(zone), ZONE_NORMAL, ALLOC_WMARK_MIN));
	/* kswapd's check reads the snapshot below the drift mark: the zone is below min */
	cr_assert(not(zone_watermark_ok_safe(zone, 0, min_wmark_pages(zone), ZONE_NORMAL)));

	/* so an order-0 request is served on the fast path (pcp refill), not the slow path */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op), NULL));
	cr_assert(not(op.failed));
	cr_assert(eq(int, op.level, 2));
	cr_assert(not(has_label(&op, "__alloc_pages_slowpath")));

	/* once the diffs are folded (the vmstat worker's refresh) the fast check fails too */
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
	cr_assert(eq(u64, zone_page_state(zone, NR_FREE_PAGES), zone_page_state_snapshot(zone, NR_FREE_PAGES)));
	cr_assert(not(zone_watermark_fast(zone, 0, low_wmark_pages(zone), ZONE_NORMAL, ALLOC_WMARK_LOW,
					  GFP_KERNEL)));
	cr_assert(buddy_check(stderr));
}

Test(vmstat, proc_vmstat_has_the_kernels_lines_in_order, .fini = down)
{
	const char *names[NR_VMSTAT_LINES + 8];
	uint64_t values[NR_VMSTAT_LINES + 8];
	struct zone *zone = up_dma32_4cpus();
	struct sim_op op;
	int n;

	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL, 4, &op), NULL));
	count_vm_event(COMPACTSTALL);
	n = buddy_vmstat(names, values, NR_VMSTAT_LINES + 8);
	cr_assert(eq(int, n, 173));
	cr_assert(eq(str, (char *)names[0], "nr_free_pages"));
	cr_assert(eq(u64, values[0], zone_page_state(zone, NR_FREE_PAGES)));	/* folded, as the kernel prints */
	cr_assert(eq(str, (char *)names[11], "numa_hit"));
	cr_assert(eq(u64, values[11], 1));
	cr_assert(eq(str, (char *)names[17], "nr_inactive_anon"));
	cr_assert(eq(str, (char *)names[60], "nr_dirty_threshold"));
	cr_assert(eq(str, (char *)names[62], "pgpgin"));
	cr_assert(eq(str, (char *)names[67], "pgalloc_dma32"));
	cr_assert(eq(u64, values[67], 16));
	cr_assert(eq(str, (char *)names[172], "nr_unstable"));
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], "compact_stall"))
			cr_assert(eq(u64, values[i], 1));
	/* the dirty limits: 20% and 10% (in 1/PAGE_SIZE steps) of free pages above the reserves, + 1 */
	{
		unsigned long avail = zone_page_state(zone, NR_FREE_PAGES) - totalreserve_pages + 1;

		cr_assert(eq(u64, values[60], (819 * avail) / 4096));
		cr_assert(eq(u64, values[61], (409 * avail) / 4096));
	}
}

/* The names and their order are those of a real Debian 6.1.192 /proc/vmstat (the shared capture). */
Test(vmstat, names_match_a_real_6_1_192_proc_vmstat, .fini = down)
{
	const char *names[NR_VMSTAT_LINES];
	uint64_t values[NR_VMSTAT_LINES];
	char *dir = helper_shared_trace("debian-6.1.192-4cpu-2node/SNAP1/vmstat");
	char *text, *line, *save = NULL;
	int n, i = 0;

	if (!dir)
		cr_skip_test("the shared traces are not here (KMEMSIM_SHARED_TRACES)");
	text = helper_read_file(dir);
	cr_assert(ne(ptr, text, NULL));
	up_dma32_4cpus();
	n = buddy_vmstat(names, values, NR_VMSTAT_LINES);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		cr_assert(lt(int, i, n));
		*strchr(line, ' ') = '\0';
		cr_assert(eq(str, line, (char *)names[i]), "line %d", i + 1);
	}
	cr_assert(eq(int, i, n));
	free(text);
	free(dir);
}

/*
 * vmstat_update's next run (6.12, queued by vmstat_shepherd_arm): queue_delayed_work(...,
 * round_jiffies_relative(sysctl_stat_interval)), kernel/time/timer.c round_jiffies_common: a
 * second on, then "rem < HZ/4" rounds down to the whole second, else up.  The model's clock is
 * in ns, so HZ/4 is 250000000: at now = 249999999 the target 1.249999999 s has rem 249999999,
 * just below a quarter, and rounds down to 1 s; at now = 250000000 it rounds up to 2 s.
 */
Test(vmstat, vmstat_update_is_rounded_as_round_jiffies_does, .fini = down)
{
	static const uint64_t now[2] = { 249999999ull, 250000000ull }, due[2] = { 1000000000ull, 2000000000ull };

	kernel_version = KERNEL_6_12;
	up_dma32_4cpus();	/* each test is a process of its own: 6.12 stays to its end */
	cr_assert(ne(ptr, (void *)KOPS(buddy)->decay_pcp_high, NULL));
	for (int i = 0; i < 2; i++) {
		struct sim_vcpu *v = &sim->vcpu[i];

		sim->cur = v;
		v->clock_ns = now[i];
		sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
		vmstat_shepherd_arm();
		sim->running = false;
		cr_assert(eq(int, v->dwork.nr, 1));
		cr_expect(eq(u64, v->dwork.heap[0].ns, due[i]), "now %llu", (unsigned long long)now[i]);
	}
}
