/*
 * test_buddy_vmstat_fold.c - the whole fold rule of models/buddy/vmstat.c against
 * mm/vmstat.c of Linux 6.1, suite `models/buddy_vmstat_fold`: for every CPU and both
 * signs, a zone or node diff folds exactly when |diff + delta| passes the CPU's
 * stat_threshold (__mod_zone_page_state line 363, __mod_node_page_state line 399),
 * what refresh_cpu_vm_stats folds and counts, and refresh_zone_stat_thresholds'
 * thresholds and drift mark for several watermark gaps.
 *
 * Strategy: a one-node machine, DMA 16 MiB + DMA32 1008 MiB, 4 vCPUs.  Only counters
 * no model moves (NR_MLOCK, NR_BOUNCE; NR_FILE_DIRTY, NR_WRITEBACK) are driven, so the
 * expected values do not depend on what boot did; each check is relative to the
 * counter's value before.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdlib.h>

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

static void up(void)
{
	uint64_t zones[1][4] = { { 16, 1008, 0, 0 } };
	int c[1] = { 4 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int cpu = 0; cpu < 4; cpu++)
		refresh_cpu_vm_stats(cpu);
}

static struct zone *Z(int zid)
{
	return &NODE_DATA(0)->node_zones[zid];
}

static long zdiff(struct zone *z, int cpu, int item)
{
	return per_cpu_ptr(z->per_cpu_zonestats, cpu)->vm_stat_diff[item];
}

static long ndiff(int cpu, int item)
{
	return per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->vm_node_stat_diff[item];
}

/*
 * __mod_zone_page_state (mm/vmstat.c 6.1 line 363): x = diff + delta; |x| > threshold folds
 * x into zone->vm_stat and vm_zone_stat and zeroes the diff, else the diff becomes x.  On each
 * CPU in turn (threshold t = 2 * fls(4) * (1 + fls(7)) = 24 in DMA32, 2 * 3 * (1 + 0) = 6 in
 * DMA): +t stays in the diff, +1 more folds t + 1; -t stays, -1 more folds -(t + 1); a single
 * delta of t + 1 folds at once; the snapshot always equals the folded value plus the diffs.
 */
Test(buddy_vmstat_fold, a_zone_diff_folds_just_past_the_threshold_on_every_cpu, .fini = down)
{
	static const int expect_t[2] = { 6, 24 };

	up();
	for (int zi = 0; zi < 2; zi++) {
		struct zone *z = Z(zi == 0 ? ZONE_DMA : ZONE_DMA32);

		for (int cpu = 0; cpu < 4; cpu++) {
			long t = per_cpu_ptr(z->per_cpu_zonestats, cpu)->stat_threshold;
			long base = z->vm_stat[NR_MLOCK], gbase = (long)global_zone_page_state(NR_MLOCK);

			cr_assert(eq(long, t, expect_t[zi]), "zone %d cpu %d", zi, cpu);
			cr_assert(eq(long, zdiff(z, cpu, NR_MLOCK), 0));
			sim_engine_set_cpu(cpu);
			__mod_zone_page_state(z, NR_MLOCK, t);
			cr_assert(eq(long, zdiff(z, cpu, NR_MLOCK), t), "zone %d cpu %d", zi, cpu);
			cr_assert(eq(long, z->vm_stat[NR_MLOCK], base));
			cr_assert(eq(u64, zone_page_state_snapshot(z, NR_MLOCK), (uint64_t)(base + t)));
			__mod_zone_page_state(z, NR_MLOCK, 1);
			cr_assert(eq(long, zdiff(z, cpu, NR_MLOCK), 0), "zone %d cpu %d", zi, cpu);
			cr_assert(eq(long, z->vm_stat[NR_MLOCK], base + t + 1));
			cr_assert(eq(long, (long)global_zone_page_state(NR_MLOCK), gbase + t + 1));
			mod_zone_page_state(z, NR_MLOCK, -t);
			cr_assert(eq(long, zdiff(z, cpu, NR_MLOCK), -t));
			cr_assert(eq(long, z->vm_stat[NR_MLOCK], base + t + 1));
			cr_assert(eq(u64, zone_page_state_snapshot(z, NR_MLOCK), (uint64_t)(base + 1)));
			mod_zone_page_state(z, NR_MLOCK, -1);
			cr_assert(eq(long, zdiff(z, cpu, NR_MLOCK), 0));
			cr_assert(eq(long, z->vm_stat[NR_MLOCK], base));
			cr_assert(eq(long, (long)global_zone_page_state(NR_MLOCK), gbase));
			__mod_zone_page_state(z, NR_BOUNCE, t + 1);
			cr_assert(eq(long, zdiff(z, cpu, NR_BOUNCE), 0));
			__mod_zone_page_state(z, NR_BOUNCE, -(t + 1));
			cr_assert(eq(long, zdiff(z, cpu, NR_BOUNCE), 0));
		}
	}
	sim_engine_set_cpu(0);
}

/*
 * __mod_node_page_state (line 399): the same fold against the node's threshold, which
 * refresh_zone_stat_thresholds (lines 296-302) makes the largest of its zones' (DMA 6,
 * DMA32 24: 24), on every CPU.
 */
Test(buddy_vmstat_fold, a_node_diff_folds_just_past_the_node_threshold, .fini = down)
{
	struct pglist_data *pgdat;

	up();
	pgdat = NODE_DATA(0);
	for (int cpu = 0; cpu < 4; cpu++) {
		long t = per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)->stat_threshold;
		long base = pgdat->vm_stat[NR_FILE_DIRTY], gbase = (long)global_node_page_state(NR_FILE_DIRTY);

		cr_assert(eq(long, t, 24), "cpu %d", cpu);
		sim_engine_set_cpu(cpu);
		__mod_node_page_state(pgdat, NR_FILE_DIRTY, t);
		cr_assert(eq(long, ndiff(cpu, NR_FILE_DIRTY), t));
		cr_assert(eq(long, pgdat->vm_stat[NR_FILE_DIRTY], base));
		mod_node_page_state(pgdat, NR_FILE_DIRTY, 1);
		cr_assert(eq(long, ndiff(cpu, NR_FILE_DIRTY), 0));
		cr_assert(eq(long, pgdat->vm_stat[NR_FILE_DIRTY], base + t + 1));
		cr_assert(eq(u64, node_page_state(pgdat, NR_FILE_DIRTY), (uint64_t)(base + t + 1)));
		cr_assert(eq(long, (long)global_node_page_state(NR_FILE_DIRTY), gbase + t + 1));
		mod_node_page_state_nid(0, NR_FILE_DIRTY, -t);
		cr_assert(eq(long, ndiff(cpu, NR_FILE_DIRTY), -t));
		mod_node_page_state_nid(0, NR_FILE_DIRTY, -1);
		cr_assert(eq(long, ndiff(cpu, NR_FILE_DIRTY), 0));
		cr_assert(eq(long, pgdat->vm_stat[NR_FILE_DIRTY], base));
		cr_assert(eq(long, (long)global_node_page_state(NR_FILE_DIRTY), gbase));
	}
	sim_engine_set_cpu(0);
}

/*
 * refresh_cpu_vm_stats (line 806): folds every non-zero diff of that CPU only (zone and node),
 * zeroes it, and counts one change per item folded.  Diffs of 3 NR_MLOCK and -2 NR_BOUNCE in
 * DMA32 and 5 NR_WRITEBACK in the node on CPU 2, 7 NR_MLOCK on CPU 1.
 */
Test(buddy_vmstat_fold, refresh_folds_one_cpu_and_counts_each_item, .fini = down)
{
	struct zone *z;
	long mlock, bounce, wb;

	up();
	z = Z(ZONE_DMA32);
	mlock = z->vm_stat[NR_MLOCK];
	bounce = z->vm_stat[NR_BOUNCE];
	wb = NODE_DATA(0)->vm_stat[NR_WRITEBACK];
	sim_engine_set_cpu(2);
	__mod_zone_page_state(z, NR_MLOCK, 3);
	__mod_zone_page_state(z, NR_BOUNCE, -2);
	__mod_node_page_state(NODE_DATA(0), NR_WRITEBACK, 5);
	sim_engine_set_cpu(1);
	__mod_zone_page_state(z, NR_MLOCK, 7);
	sim_engine_set_cpu(0);
	cr_assert(eq(u64, zone_page_state_snapshot(z, NR_MLOCK), (uint64_t)(mlock + 10)));
	cr_assert(eq(int, refresh_cpu_vm_stats(3), 0));
	cr_assert(eq(int, refresh_cpu_vm_stats(2), 3));
	cr_assert(eq(long, z->vm_stat[NR_MLOCK], mlock + 3));
	cr_assert(eq(long, z->vm_stat[NR_BOUNCE], bounce - 2));
	cr_assert(eq(long, NODE_DATA(0)->vm_stat[NR_WRITEBACK], wb + 5));
	cr_assert(eq(long, zdiff(z, 2, NR_MLOCK), 0));
	cr_assert(eq(long, ndiff(2, NR_WRITEBACK), 0));
	cr_assert(eq(long, zdiff(z, 1, NR_MLOCK), 7));
	cr_assert(eq(int, refresh_cpu_vm_stats(2), 0));
	cr_assert(eq(int, refresh_cpu_vm_stats(1), 1));
	cr_assert(eq(long, z->vm_stat[NR_MLOCK], mlock + 10));
	cr_assert(eq(u64, zone_page_state_snapshot(z, NR_MLOCK), (uint64_t)(mlock + 10)));
}

/*
 * refresh_zone_stat_thresholds (lines 272-316): the drift mark is set to high + CPUs x
 * threshold only where that drift exceeds low - min (line 311, strictly), and never cleared.
 * DMA32 on 4 CPUs, threshold 24: a gap of 96 sets no mark, 95 sets high + 96; the node's
 * threshold is reset and rebuilt as the largest zone's (24), and a zone's thresholds come
 * back to calculate_normal_threshold's on every CPU.
 */
Test(buddy_vmstat_fold, the_drift_mark_is_set_only_past_the_low_min_gap, .fini = down)
{
	struct zone *z, *dma;
	unsigned long min;

	up();
	z = Z(ZONE_DMA32);
	dma = Z(ZONE_DMA);
	min = min_wmark_pages(z);
	z->percpu_drift_mark = 0;
	dma->percpu_drift_mark = 0;
	dma->_watermark[WMARK_LOW] = dma->_watermark[WMARK_MIN] + 4 * 6;
	z->_watermark[WMARK_LOW] = min + 96;
	for (int cpu = 0; cpu < 4; cpu++) {
		per_cpu_ptr(z->per_cpu_zonestats, cpu)->stat_threshold = 3;
		per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->stat_threshold = 100;
	}
	refresh_zone_stat_thresholds();
	cr_assert(eq(u64, z->percpu_drift_mark, 0));
	cr_assert(eq(u64, dma->percpu_drift_mark, 0));
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_assert(eq(int, per_cpu_ptr(z->per_cpu_zonestats, cpu)->stat_threshold, 24), "cpu %d", cpu);
		cr_assert(eq(int, per_cpu_ptr(dma->per_cpu_zonestats, cpu)->stat_threshold, 6), "cpu %d", cpu);
		cr_assert(eq(int, per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, cpu)->stat_threshold, 24),
			  "cpu %d", cpu);
	}
	z->_watermark[WMARK_LOW] = min + 95;
	dma->_watermark[WMARK_LOW] = dma->_watermark[WMARK_MIN] + 4 * 6 - 1;
	refresh_zone_stat_thresholds();
	cr_assert(eq(u64, z->percpu_drift_mark, high_wmark_pages(z) + 96));
	cr_assert(eq(u64, dma->percpu_drift_mark, high_wmark_pages(dma) + 24));
	z->_watermark[WMARK_LOW] = min + 1000;
	refresh_zone_stat_thresholds();
	cr_assert(eq(u64, z->percpu_drift_mark, high_wmark_pages(z) + 96));
}

static int fls_ref(unsigned long x)
{
	int r = 0;

	while (x) {
		r++;
		x >>= 1;
	}
	return r;
}

/*
 * calculate_pressure_threshold (mm/vmstat.c 6.1 lines 199-220): (low - min) / online CPUs, at
 * least 1, at most 125; calculate_normal_threshold (lines 222-270): 2 * fls(CPUs) *
 * (1 + fls(managed >> (27 - PAGE_SHIFT))), at most 125.  Every gap from 0 to 4 * 130 on 4 CPUs,
 * and zones from 0 to 2^24 128-MiB units.
 */
Test(buddy_vmstat_fold, both_thresholds_for_every_size, .fini = down)
{
	struct zone *z;
	unsigned long min;

	up();
	z = Z(ZONE_DMA32);
	min = z->_watermark[WMARK_MIN];
	for (unsigned long gap = 0; gap <= 4 * 130; gap++) {
		long expect = (long)gap / 4;

		expect = expect < 1 ? 1 : expect > 125 ? 125 : expect;
		z->_watermark[WMARK_LOW] = min + gap;
		cr_assert(eq(int, calculate_pressure_threshold(z), (int)expect), "gap %lu", gap);
	}
	for (unsigned long units = 0; units <= 1UL << 24; units = units ? units * 2 - (units > 4) : 1) {
		long expect = 2L * fls_ref(4) * (1 + fls_ref(units));

		expect = expect > 125 ? 125 : expect;
		z->managed_pages = units << (27 - PAGE_SHIFT);
		cr_assert(eq(int, calculate_normal_threshold(z), (int)expect), "units %lu", units);
		z->managed_pages = (units << (27 - PAGE_SHIFT)) + (1UL << (27 - PAGE_SHIFT)) - 1;
		cr_assert(eq(int, calculate_normal_threshold(z), (int)expect), "units %lu and a bit", units);
	}
}

/* How many of CPU 0's zone and node diffs are not 0 (refresh_cpu_vm_stats counts one change each). */
static int cpu0_diffs(void)
{
	int n = 0;

	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zid];

			for (int i = 0; z->per_cpu_zonestats && i < NR_VM_ZONE_STAT_ITEMS; i++)
				n += per_cpu_ptr(z->per_cpu_zonestats, 0)->vm_stat_diff[i] != 0;
		}
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			n += per_cpu_ptr(NODE_DATA(nid)->per_cpu_nodestats, 0)->vm_node_stat_diff[i] != 0;
	}
	return n;
}

/*
 * refresh_cpu_vm_stats' do_pagesets part (mm/vmstat.c 6.1 lines 835-870): folding a diff of a
 * zone sets that CPU's pageset expire to 3; a pageset of the CPU's own node has expire cleared
 * and is left alone; a remote one with pages counts down one per round (a change each), and at
 * 0 gives back one batch (drain_zone_pages: min(count, batch), a change).  Two nodes of one vCPU
 * each: CPU 0 takes and frees a page of node 1 (its pageset there holds a batch), a 1-page
 * NR_MLOCK diff in each node's zone; rounds: n + 1 (the folds + the count-down), 1, 1 (the
 * drain, which empties it), then only the drain's own diffs.
 */
Test(buddy_vmstat_fold, a_remote_pageset_expires_after_three_rounds)
{
	uint64_t zones[2][4] = { { 0, 256, 0, 0 }, { 0, 0, 256, 0 } };
	int c[2] = { 1, 1 };
	struct zone *local, *remote;
	struct per_cpu_pages *lp, *rp;
	struct page *page;
	int n, count, batch;

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	local = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	remote = &NODE_DATA(1)->node_zones[ZONE_NORMAL];
	cr_assert(eq(int, cpu_to_node(0), 0));
	for (int r = 0; r < 8 && refresh_cpu_vm_stats(0); r++)
		;
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 0));
	page = helper_buddy_alloc(0, 1, GFP_KERNEL | __GFP_THISNODE, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, page_to_nid(page), 1));
	helper_buddy_free(0, page, 0, NULL);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	helper_buddy_free(0, page, 0, NULL);
	sim_engine_set_cpu(0);
	__mod_zone_page_state(local, NR_MLOCK, 1);
	__mod_zone_page_state(remote, NR_MLOCK, 1);
	lp = per_cpu_ptr(local->per_cpu_pageset, 0);
	rp = per_cpu_ptr(remote->per_cpu_pageset, 0);
	cr_assert(lt(int, 0, lp->count));
	cr_assert(lt(int, 0, rp->count));
	n = cpu0_diffs();
	cr_assert(le(int, 2, n));
	count = rp->count;
	batch = rp->batch;
	cr_assert(eq(int, refresh_cpu_vm_stats(0), n + 1));
	/* refresh_cpu_vm_stats (6.1 mm/vmstat.c:853-854): the own node's pageset, though its zone's
	 * fold set expire to 3, has it written back to 0 */
	cr_expect(eq(int, lp->expire, 0), "the local pageset's expire is cleared");
	cr_assert(eq(int, rp->expire, 2));
	cr_assert(eq(int, rp->count, count));
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 1));
	cr_assert(eq(int, rp->expire, 1));
	cr_assert(eq(int, rp->count, count));
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 1));
	cr_assert(eq(int, rp->expire, 0));
	cr_assert(le(int, count, batch));
	cr_assert(eq(int, rp->count, 0));
	cr_assert(lt(int, 0, lp->count), "the local pageset is not drained");
	n = cpu0_diffs();
	cr_assert(eq(int, refresh_cpu_vm_stats(0), n), "nothing left to count down");
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 0));
	cr_assert(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/*
 * 6.12's vmstat worker (vmstat_update -> refresh_cpu_vm_stats(true) -> decay_pcp_high,
 * mm/vmstat.c and mm/page_alloc.c of 6.12): the drain it does runs on the worker's CPU and is
 * traced as the kworker's page frees: one free operation labelled vmstat_update, for the
 * drained zone's node and zone.  Two nodes of one vCPU each; CPU 0's pageset in node 1's Normal
 * zone holds more than its high (10, high_min 5): the decay lowers high to 9 and drains the
 * rest.  The same refresh called directly (not from the worker) logs no operation.
 */
Test(buddy_vmstat_fold, the_worker_s_drain_is_an_operation_on_the_zone_s_node_6_12)
{
	uint64_t zones[2][4] = { { 0, 256, 0, 0 }, { 0, 0, 256, 0 } };
	int c[2] = { 1, 1 };
	struct helper_slab_log log;
	struct per_cpu_pages *rp;
	struct page *pages[20];
	size_t found = 0;

	kernel_version = KERNEL_6_12;
	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	rp = per_cpu_ptr(NODE_DATA(1)->node_zones[ZONE_NORMAL].per_cpu_pageset, 0);
	for (int i = 0; i < 20; i++)
		cr_assert(ne(ptr, (void *)(pages[i] = helper_buddy_alloc(0, 1, GFP_KERNEL | __GFP_THISNODE, 0, NULL)), NULL));
	for (int i = 0; i < 20; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_assert(lt(int, 10, rp->count));

	/* a direct call: the same decay, no operation of its own */
	rp->high_min = 5;
	rp->high = 10;
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	refresh_cpu_vm_stats(0);
	cr_assert(eq(u64, helper_slab_count_label(&log, SIM_OP_PAGE_FREE, "vmstat_update"), 0));
	helper_slab_log_stop(&log);
	cr_assert(eq(int, rp->high, 9));
	cr_assert(eq(int, rp->count, 9));

	for (int i = 0; i < 20; i++)
		cr_assert(ne(ptr, (void *)(pages[i] = helper_buddy_alloc(0, 1, GFP_KERNEL | __GFP_THISNODE, 0, NULL)), NULL));
	for (int i = 0; i < 20; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	rp->high_min = 5;
	rp->high = 10;
	cr_assert(lt(int, 9, rp->count));
	cr_assert(eq(int, sim->vcpu[0].dwork.nr, 0), "the pcp operations outside a run queued no worker");
	sim->cur = &sim->vcpu[0];
	sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
	vmstat_shepherd_arm();
	vmstat_shepherd_arm();	/* already pending: queue_delayed_work does nothing */
	sim->running = false;
	cr_assert(eq(int, sim->vcpu[0].dwork.nr, 1));
	helper_slab_log_start(&log);
	sim->vcpu[0].dwork.heap[0].fn(&sim->vcpu[0], sim->vcpu[0].dwork.heap[0].arg);
	for (size_t i = 0; i < log.nr; i++) {
		if (!helper_slab_op_has_label(&log.ops[i], "vmstat_update"))
			continue;
		found++;
		cr_expect(eq(int, log.ops[i].kind, SIM_OP_PAGE_FREE));
		cr_expect(eq(int, log.ops[i].mem_node, 1));
		cr_expect(eq(int, log.ops[i].zone, ZONE_NORMAL));
		cr_expect(eq(int, log.ops[i].order, 0));
	}
	helper_slab_log_stop(&log);
	cr_expect(eq(u64, found, 1));
	cr_expect(eq(int, rp->count, 9));
	/* vmstat_update: the round changed something (the drain), so it queues itself again (the
	 * entry it ran from was called in place, not taken off the heap: two now) */
	cr_expect(eq(int, sim->vcpu[0].dwork.nr, 2));

	/* the worker is done: a direct drain on its CPU is no worker's operation again */
	for (int i = 0; i < 20; i++)
		cr_assert(ne(ptr, (void *)(pages[i] = helper_buddy_alloc(0, 1, GFP_KERNEL | __GFP_THISNODE, 0, NULL)), NULL));
	for (int i = 0; i < 20; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	rp->high_min = 5;
	rp->high = 10;
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	refresh_cpu_vm_stats(0);
	cr_expect(eq(u64, helper_slab_count_label(&log, SIM_OP_PAGE_FREE, "vmstat_update"), 0));
	helper_slab_log_stop(&log);
	cr_expect(lt(int, rp->count, 10), "drained, though by no worker");
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

/*
 * 6.12's vmstat worker gives a remote pageset back after its 3 idle rounds as 6.1 does
 * (refresh_cpu_vm_stats do_pagesets, mm/vmstat.c of 6.12: expire 3, counted down one per
 * round, drain_zone_pages at 0: min(count, batch) pages), and that drain, run by the worker,
 * is one page-free operation of the kworker: labelled vmstat_update then drain_zone_pages,
 * for the drained zone's node and zone, logged when it ends.  CPU 0 holds a pageset in node
 * 1's Normal zone; its high is raised to its count, so decay_pcp_high drains nothing and the
 * only drain is the expiry's.  Two rounds called directly, the third from the worker.
 */
Test(buddy_vmstat_fold, the_worker_s_expiry_drain_is_one_logged_operation_6_12)
{
	uint64_t zones[2][4] = { { 0, 256, 0, 0 }, { 0, 0, 256, 0 } };
	int c[2] = { 1, 1 };
	struct helper_slab_log log;
	struct per_cpu_pages *rp;
	struct page *page;
	size_t found = 0;
	int count, batch;

	kernel_version = KERNEL_6_12;
	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
	for (int r = 0; r < 8 && refresh_cpu_vm_stats(0); r++)
		;
	rp = per_cpu_ptr(NODE_DATA(1)->node_zones[ZONE_NORMAL].per_cpu_pageset, 0);
	page = helper_buddy_alloc(0, 1, GFP_KERNEL | __GFP_THISNODE, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	helper_buddy_free(0, page, 0, NULL);
	sim_engine_set_cpu(0);
	__mod_zone_page_state(&NODE_DATA(1)->node_zones[ZONE_NORMAL], NR_MLOCK, 1);
	count = rp->count;
	batch = rp->batch;
	cr_assert(lt(int, 0, count));
	rp->high = rp->high_min = count > rp->high ? count : rp->high;

	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, rp->expire, 2));
	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, rp->expire, 1));
	cr_assert(eq(int, rp->count, count));

	cr_assert(eq(int, sim->vcpu[0].dwork.nr, 0));
	sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
	vmstat_shepherd_arm();
	sim->running = false;
	cr_assert(eq(int, sim->vcpu[0].dwork.nr, 1));
	helper_slab_log_start(&log);
	sim->vcpu[0].dwork.heap[0].fn(&sim->vcpu[0], sim->vcpu[0].dwork.heap[0].arg);
	for (size_t i = 0; i < log.nr; i++) {
		if (!helper_slab_op_has_label(&log.ops[i], "drain_zone_pages"))
			continue;
		found++;
		cr_expect(helper_slab_op_has_label(&log.ops[i], "vmstat_update"));
		cr_expect(eq(int, log.ops[i].kind, SIM_OP_PAGE_FREE));
		cr_expect(eq(int, log.ops[i].mem_node, 1));
		cr_expect(eq(int, log.ops[i].zone, ZONE_NORMAL));
	}
	helper_slab_log_stop(&log);
	cr_expect(eq(u64, found, 1));
	cr_expect(eq(int, rp->expire, 0));
	cr_expect(eq(int, rp->count, count - (count < batch ? count : batch)));
	cr_expect(eq(ptr, (void *)sim_op_current(), NULL), "no operation left in flight");
	cr_assert(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}
