/*
 * test_buddy_vmstat_lines.c - /proc/vmstat of 6.12 built from 6.1's lines, and the counters'
 * lifetime (models/buddy/vmstat.c against mm/vmstat.c of Linux 6.1 and 6.12), suite
 * `models/buddy_vmstat_lines`: every 6.12 line has its name, in vmstat_text's order, and the
 * value of 6.1's line of the same name or 0; no slot past the lines or past the buffer is
 * written; a machine brought up after another starts from zero counters and no queued worker.
 *
 * Strategy: one node, a DMA32 zone of 64 MiB, one vCPU; the counters are moved through the
 * model's own entry points (zone_page_state_add, mod_node_page_state_nid, the event array).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
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
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	refresh_cpu_vm_stats(0);
}

#define SLOTS (NR_VMSTAT_LINES_6_12 + 4)

/*
 * vmstat_start (mm/vmstat.c 6.12) lists vmstat_text's 185 names in its own order; the model
 * gives each the value of 6.1's line of that name (buddy_vmstat), 0 for the items 6.1 has not
 * (nr_unaccepted, nr_memmap_pages, nr_memmap_boot_pages, nr_iommu_pages, ...).  Counters are
 * moved first so that the values differ: NR_ZONE_WRITE_PENDING, NR_FILE_DIRTY and PGFAULT.  The
 * slots past the 185 lines stay as they were; a 3-line buffer gets 3 and nothing past them.
 */
Test(buddy_vmstat_lines, each_6_12_line_reads_6_1_s_line_of_its_name, .fini = down)
{
	const char *names61[NR_VMSTAT_LINES], *names[SLOTS];
	uint64_t values61[NR_VMSTAT_LINES], values[SLOTS];
	int matched = 0;

	kernel_version = KERNEL_6_12;
	up();
	zone_page_state_add(300, &NODE_DATA(0)->node_zones[ZONE_DMA32], NR_ZONE_WRITE_PENDING);
	mod_node_page_state_nid(0, NR_FILE_DIRTY, 400);
	refresh_cpu_vm_stats(0);
	vm_event_states[PGFAULT] += 500;

	/* 6.1's own lines, read the same way (the version table's text switched off) */
	kernel_version = KERNEL_6_1;
	cr_assert(eq(int, buddy_vmstat(names61, values61, NR_VMSTAT_LINES), NR_VMSTAT_LINES));
	kernel_version = KERNEL_6_12;
	cr_assert(ne(ptr, (void *)KOPS(buddy)->vmstat_text, NULL));

	for (int i = 0; i < SLOTS; i++) {
		names[i] = "sentinel";
		values[i] = 777;
	}
	cr_assert(eq(int, buddy_vmstat(names, values, SLOTS), NR_VMSTAT_LINES_6_12));
	for (int i = 0; i < NR_VMSTAT_LINES_6_12; i++) {
		uint64_t want = 0;

		cr_expect(eq(str, (char *)names[i], (char *)KOPS(buddy)->vmstat_text[i]), "line %d", i);
		for (int j = 0; j < NR_VMSTAT_LINES; j++)
			if (!strcmp(names61[j], names[i])) {
				want = values61[j];
				matched++;
				break;
			}
		cr_expect(eq(u64, values[i], want), "line %d (%s)", i, names[i]);
	}
	for (int i = NR_VMSTAT_LINES_6_12; i < SLOTS; i++) {
		cr_expect(eq(str, (char *)names[i], "sentinel"), "slot %d", i);
		cr_expect(eq(u64, values[i], 777), "slot %d", i);
	}
	cr_expect(lt(int, 150, matched));
	cr_expect(eq(u64, helper_vmstat_value("nr_free_pages"), global_zone_page_state(NR_FREE_PAGES)));
	cr_expect(lt(u64, 0, helper_vmstat_value("nr_free_pages")));
	cr_expect(eq(u64, helper_vmstat_value("nr_zone_write_pending"), 300));
	cr_expect(eq(u64, helper_vmstat_value("nr_dirty"), 400));
	cr_expect(eq(u64, helper_vmstat_value("pgfault"), 500));
	cr_expect(eq(u64, helper_vmstat_value("nr_unaccepted"), 0));
	cr_expect(eq(u64, helper_vmstat_value("nr_memmap_pages"), 0));

	cr_assert(eq(int, buddy_vmstat(names, values, 3), NR_VMSTAT_LINES_6_12));
	cr_expect(eq(str, (char *)names[3], (char *)KOPS(buddy)->vmstat_text[3]), "the full read's line");
	for (int i = 0; i < SLOTS; i++)
		names[i] = "sentinel";
	cr_assert(eq(int, buddy_vmstat(names, values, 3), NR_VMSTAT_LINES_6_12));
	cr_expect(eq(str, (char *)names[2], (char *)KOPS(buddy)->vmstat_text[2]));
	cr_expect(eq(str, (char *)names[3], "sentinel"));
}

/*
 * The counters are the machine's (vm_zone_stat, vm_node_stat, vm_event_states and the per-CPU
 * diffs live with the kernel that booted): a machine brought up after another, with the same
 * memory, reads the same free pages and none of the first machine's counts.
 */
Test(buddy_vmstat_lines, the_next_machine_starts_from_zero_counters, .fini = down)
{
	unsigned long free0;

	up();
	free0 = global_zone_page_state(NR_FREE_PAGES);
	cr_assert(lt(u64, 0, free0));
	zone_page_state_add(300, &NODE_DATA(0)->node_zones[ZONE_DMA32], NR_ZONE_WRITE_PENDING);
	mod_node_page_state_nid(0, NR_FILE_DIRTY, 400);
	refresh_cpu_vm_stats(0);
	vm_event_states[PGFAULT] += 500;
	cr_assert(eq(u64, global_node_page_state(NR_FILE_DIRTY), 400));
	helper_buddy_machine_down(sc);

	up();
	cr_expect(eq(u64, global_zone_page_state(NR_FREE_PAGES), free0));
	cr_expect(eq(u64, global_zone_page_state(NR_ZONE_WRITE_PENDING), 0));
	cr_expect(eq(u64, global_node_page_state(NR_FILE_DIRTY), 0));
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_FILE_DIRTY), 0));
	cr_expect(eq(u64, vm_event_states[PGFAULT], 0));
	cr_expect(eq(u64, helper_vmstat_value("pgfault"), 0));
}

/*
 * vmstat_shepherd (6.12) queues a CPU's vmstat_update only when none is pending for it; the
 * pending mark is the running kernel's: on a machine brought up after another whose worker
 * was still queued, the first pcp operation of a run queues one again.
 */
Test(buddy_vmstat_lines, the_next_machine_queues_its_own_worker_6_12, .fini = down)
{
	for (int round = 0; round < 2; round++) {
		kernel_version = KERNEL_6_12;
		up();
		cr_assert(eq(int, sim->vcpu[0].dwork.nr, 0), "round %d", round);
		sim->cur = &sim->vcpu[0];
		sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
		vmstat_shepherd_arm();
		sim->running = false;
		cr_expect(eq(int, sim->vcpu[0].dwork.nr, 1), "round %d", round);
		if (!round)
			down();
	}
}

/* CPU 1's pageset of the DMA32 zone holding more than its high (10, high_min 5): 20 pages freed. */
static struct per_cpu_pages *fill_cpu1_pcp(void)
{
	struct per_cpu_pages *rp = per_cpu_ptr(NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset, 1);
	struct page *pages[20];

	for (int i = 0; i < 20; i++)
		cr_assert(ne(ptr, (void *)(pages[i] = helper_buddy_alloc(1, 0, GFP_KERNEL, 0, NULL)), NULL));
	for (int i = 0; i < 20; i++)
		helper_buddy_free(1, pages[i], 0, NULL);
	rp->high_min = 5;
	rp->high = 10;
	cr_assert(lt(int, 10, rp->count));
	return rp;
}

/*
 * 6.12's vmstat_update runs on its own CPU (queue_delayed_work_on) and the drain it does there
 * (decay_pcp_high) is the kworker's operation; the model logs it as one only on the worker's
 * CPU: CPU 1's worker run while CPU 0 is the running one (as when CPU 1's worker is preempted
 * and CPU 0 drains) drains CPU 1's pageset down to high (10 - 10 / 8 = 9) but logs no
 * vmstat_update operation; run on CPU 1 it logs one.
 */
Test(buddy_vmstat_lines, the_worker_s_drain_is_its_own_cpu_s_operation_6_12, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };
	struct helper_slab_log log;
	struct per_cpu_pages *rp;

	for (int on = 0; on < 2; on++) {
		struct sim_vcpu *w;

		kernel_version = KERNEL_6_12;
		sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
		cr_assert(ne(ptr, (void *)sc, NULL));
		w = &sim->vcpu[1];
		rp = fill_cpu1_pcp();
		sim->cur = w;
		sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
		vmstat_shepherd_arm();
		sim->running = false;
		cr_assert(eq(int, w->dwork.nr, 1));
		sim->cur = &sim->vcpu[on];	/* 0: another CPU; 1: the worker's own */
		helper_slab_log_start(&log);
		w->dwork.heap[0].fn(w, w->dwork.heap[0].arg);
		cr_expect(eq(u64, helper_slab_count_label(&log, SIM_OP_PAGE_FREE, "vmstat_update"), (uint64_t)on),
			  "worker run on cpu %d", on);
		helper_slab_log_stop(&log);
		cr_expect(eq(int, rp->count, 9), "worker run on cpu %d", on);
		if (!on)
			down();
	}
}

/*
 * zone_page_state, zone_page_state_snapshot and node_page_state_pages (include/linux/vmstat.h,
 * mm/vmstat.c 6.1, CONFIG_SMP) read a counter below zero as 0, as the global readers do: the
 * zone's NR_ZONE_WRITE_PENDING taken 7 below zero (folded) and the node's NR_FILE_DIRTY 1000
 * below (past the node threshold: folded at once) read 0, and their value once back above.
 */
Test(buddy_vmstat_lines, a_negative_zone_or_node_counter_reads_zero, .fini = down)
{
	struct zone *z;

	up();
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	zone_page_state_add(-7, z, NR_ZONE_WRITE_PENDING);
	cr_expect(eq(u64, zone_page_state(z, NR_ZONE_WRITE_PENDING), 0));
	cr_expect(eq(u64, zone_page_state_snapshot(z, NR_ZONE_WRITE_PENDING), 0));
	zone_page_state_add(9, z, NR_ZONE_WRITE_PENDING);
	cr_expect(eq(u64, zone_page_state(z, NR_ZONE_WRITE_PENDING), 2));
	cr_expect(eq(u64, zone_page_state_snapshot(z, NR_ZONE_WRITE_PENDING), 2));

	mod_node_page_state_nid(0, NR_FILE_DIRTY, -1000);
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_FILE_DIRTY), 0));
	mod_node_page_state_nid(0, NR_FILE_DIRTY, 1003);
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_FILE_DIRTY), 3));
}

/*
 * Before setup_per_cpu_pageset a node counts through boot_nodestats (mm/page_alloc.c 6.1),
 * whose stat_threshold is 0: __mod_node_page_state folds every change into the node's and the
 * global count at once (the model: per_cpu_nodestats still NULL).  A node taken back to that
 * state: NR_FILE_DIRTY moved by 5, then by -2, reads 5, then 3, at once, in the node and
 * globally, with no diff to fold.
 */
Test(buddy_vmstat_lines, a_node_without_per_cpu_stats_folds_every_change, .fini = down)
{
	struct per_cpu_nodestat *saved;

	up();
	saved = NODE_DATA(0)->per_cpu_nodestats;
	NODE_DATA(0)->per_cpu_nodestats = NULL;
	mod_node_page_state_nid(0, NR_FILE_DIRTY, 5);
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_FILE_DIRTY), 5));
	cr_expect(eq(u64, global_node_page_state(NR_FILE_DIRTY), 5));
	mod_node_page_state_nid(0, NR_FILE_DIRTY, -2);
	cr_expect(eq(u64, node_page_state(NODE_DATA(0), NR_FILE_DIRTY), 3));
	cr_expect(eq(u64, global_node_page_state(NR_FILE_DIRTY), 3));
	NODE_DATA(0)->per_cpu_nodestats = saved;
	cr_expect(eq(int, per_cpu_ptr(saved, 0)->vm_node_stat_diff[NR_FILE_DIRTY], 0));
}
