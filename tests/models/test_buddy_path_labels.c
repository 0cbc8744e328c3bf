/*
 * test_buddy_path_labels.c - the functions a page operation passes through,
 * as its path records them, on each version's own code (models/buddy/6.1,
 * 6.12), suite `buddy_path_labels`: a pcp hit, a pcp refill, a zone
 * allocation past the pcp, a free to the pcp and its drain, a free past the
 * pcp, a free that finds the pcp locked, and 6.12's vmstat decay of
 * pcp->high.  Each label names the kernel function (or its branch) of
 * mm/page_alloc.c that the operation ran; the level is the deepest step.
 *
 * Strategy: one node, one vCPU, DMA32 of 64 MiB; each operation in a
 * struct sim_op of its own (helper_buddy_alloc / helper_buddy_free), its
 * labels and level asserted, with the pcp's high and batch set by hand
 * where a drain must or must not happen.
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

/* movable: a fresh zone's blocks are MOVABLE, so no request here falls back */
#define GFP_MOVABLE_KERNEL (GFP_KERNEL | __GFP_MOVABLE)

static struct sim_scenario *sc;
static struct zone *z;
static struct per_cpu_pages *pcp;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static void up(enum kernel_version v)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	kernel_version = v;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	pcp = per_cpu_ptr(z->per_cpu_pageset, 0);
	sim_engine_set_cpu(0);
}

static bool has(const struct sim_op *op, const char *label)
{
	return helper_slab_op_has_label(op, label);
}

/*
 * rmqueue (both versions): an order <= PAGE_ALLOC_COSTLY_ORDER request goes to
 * rmqueue_pcplist; an empty list is refilled by rmqueue_bulk from __rmqueue_smallest (level
 * 2), a full one serves at once (level 1) without the zone.  Order 4 skips the pcp:
 * rmqueue_buddy takes zone->lock and __rmqueue_smallest splits a block (level 3).
 */
static void allocations(enum kernel_version v)
{
	struct page *a, *b, *c;
	struct sim_op op;

	up(v);
	a = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)a, NULL));
	cr_expect(has(&op, "rmqueue_pcplist"));
	cr_expect(has(&op, "__rmqueue_smallest"), "the refill");
	cr_expect(not(has(&op, "rmqueue_buddy")));
	cr_expect(eq(int, op.level, 2));

	b = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)b, NULL));
	cr_expect(has(&op, "rmqueue_pcplist"));
	cr_expect(not(has(&op, "__rmqueue_smallest")), "a pcp hit");
	cr_expect(eq(int, op.level, 1));

	c = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)c, NULL));
	cr_expect(not(has(&op, "rmqueue_pcplist")));
	cr_expect(has(&op, "rmqueue_buddy"));
	cr_expect(has(&op, "__rmqueue_smallest"));
	cr_expect(eq(int, op.level, 3));
	cr_expect(buddy_check(stderr));
}

Test(buddy_path_labels, allocations_6_1, .fini = down)
{
	allocations(KERNEL_6_1);
}

Test(buddy_path_labels, allocations_6_12, .fini = down)
{
	allocations(KERNEL_6_12);
}

/*
 * Frees (both versions): an order-0 page goes to free_unref_page_commit (level 1); the free
 * that fills the pcp to high drains it through free_pcppages_bulk (level 2).  An order-4
 * page is not a pcp order: __free_pages_ok (6.1 merges under zone->lock itself; 6.12 hands it
 * to free_one_page, level 3 either way).  A free that finds pcp->lock held skips the pcp:
 * free_one_page (level 3).
 */
static void frees(enum kernel_version v)
{
	struct page *p[4], *big, *locked;
	struct per_cpu_pages *held;
	struct sim_op op;

	up(v);
	for (int i = 0; i < 4; i++) {
		p[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)p[i], NULL));
	}
	big = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	locked = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)big, NULL));
	cr_assert(ne(ptr, (void *)locked, NULL));
	drain_pages_zone(0, z);
	cr_assert(eq(int, pcp->count, 0));
	/* a fixed high of 4 (6.12: high_min = high_max, no tuning), batch 1 */
	pcp->high = 4;
	pcp->high_min = pcp->high_max = 4;
	pcp->batch = 1;

	for (int i = 0; i < 4; i++) {
		helper_buddy_free(0, p[i], 0, &op);
		cr_expect(has(&op, "free_unref_page_commit"), "free %d", i);
		cr_expect(eq(int, has(&op, "free_pcppages_bulk"), i == 3), "free %d", i);
		cr_expect(eq(int, op.level, i == 3 ? 2 : 1), "free %d", i);
	}

	helper_buddy_free(0, big, 4, &op);
	cr_expect(has(&op, "__free_pages_ok"));
	cr_expect(not(has(&op, "free_unref_page_commit")));
	cr_expect(eq(int, has(&op, "free_one_page"), v == KERNEL_6_12));
	cr_expect(eq(int, op.level, 3));

	held = pcp_spin_trylock(z);
	cr_assert(ne(ptr, (void *)held, NULL));
	helper_buddy_free(0, locked, 0, &op);
	pcp_spin_unlock(held);
	cr_expect(has(&op, "free_one_page"));
	cr_expect(not(has(&op, "free_unref_page_commit")));
	cr_expect(eq(int, op.level, 3));
	cr_expect(buddy_check(stderr));
}

Test(buddy_path_labels, frees_6_1, .fini = down)
{
	frees(KERNEL_6_1);
}

Test(buddy_path_labels, frees_6_12, .fini = down)
{
	frees(KERNEL_6_12);
}

/*
 * rmqueue_pcplist (both versions) takes pcp->lock with a trylock; held (a remote drain, or an
 * interrupted holder on this CPU), the allocation gives up on the pcp ("trylock_failed")
 * and rmqueue goes to rmqueue_buddy.
 */
static void allocation_with_the_pcp_locked(enum kernel_version v)
{
	struct per_cpu_pages *held;
	struct page *page;
	struct sim_op op;

	up(v);
	held = pcp_spin_trylock(z);
	cr_assert(ne(ptr, (void *)held, NULL));
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	pcp_spin_unlock(held);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(has(&op, "rmqueue_pcplist:trylock_failed"));
	cr_expect(has(&op, "rmqueue_buddy"));
	cr_expect(eq(int, op.level, 3));
}

Test(buddy_path_labels, allocation_with_the_pcp_locked_6_1, .fini = down)
{
	allocation_with_the_pcp_locked(KERNEL_6_1);
}

Test(buddy_path_labels, allocation_with_the_pcp_locked_6_12, .fini = down)
{
	allocation_with_the_pcp_locked(KERNEL_6_12);
}

/*
 * decay_pcp_high (6.12 mm/page_alloc.c), run by the vmstat worker (here inside an operation
 * of the test's): with pcp->count above the lowered high it drains through
 * free_pcppages_bulk, labelled decay_pcp_high.  high 16 over high_min 4, 16 pages, batch 3:
 * high becomes max(16 - (3 << 5), 16 - 16 / 8, 4) = 14, and 2 pages drain.  From high 20
 * (18 after) nothing drains, but high is still above high_min: true, the worker comes back.
 * Once count is at high and high at high_min nothing drains, no label is left, and false.
 */
Test(buddy_path_labels, decay_drains_under_its_label_6_12, .fini = down)
{
	struct page *p[16];
	struct sim_op op;
	bool todo;

	up(KERNEL_6_12);
	for (int i = 0; i < 16; i++) {
		p[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)p[i], NULL));
	}
	drain_pages_zone(0, z);
	pcp->high_min = pcp->high_max = pcp->high = 1000;
	for (int i = 0; i < 16; i++)
		helper_buddy_free(0, p[i], 0, NULL);
	cr_assert(eq(int, pcp->count, 16));
	pcp->high_min = 4;
	pcp->high_max = 100;
	pcp->high = 16;
	pcp->batch = 3;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	todo = KOPS(buddy)->decay_pcp_high(z, pcp);
	sim_op_end(&op);
	cr_expect(todo, "high is still above high_min");
	cr_expect(eq(int, pcp->high, 14));
	cr_expect(eq(int, pcp->count, 14));
	cr_expect(has(&op, "decay_pcp_high"));
	cr_expect(has(&op, "free_pcppages_bulk"));

	/* high 20 lowered to 18, still above high_min, count 14 under it: no drain, more to do */
	pcp->high = 20;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	todo = KOPS(buddy)->decay_pcp_high(z, pcp);
	sim_op_end(&op);
	cr_expect(todo, "high above high_min: the worker comes back");
	cr_expect(eq(int, pcp->high, 18));
	cr_expect(eq(int, pcp->count, 14));
	cr_expect(not(has(&op, "decay_pcp_high")));

	pcp->high = pcp->high_min = 14;
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	todo = KOPS(buddy)->decay_pcp_high(z, pcp);
	sim_op_end(&op);
	cr_expect(not(todo));
	cr_expect(eq(int, pcp->count, 14));
	cr_expect(not(has(&op, "decay_pcp_high")));
	cr_expect(buddy_check(stderr));
}

/*
 * unreserve_highatomic_pageblock (both versions): a free HIGHATOMIC piece found, its block
 * goes to the request's type and the call returns true under its label; with nothing
 * reserved left, no label and false.  The block of an order-4 movable page reserved first,
 * as get_page_from_freelist does after a high-order atomic allocation
 * (reserve_highatomic_pageblock: the free pieces of the split block go to the HIGHATOMIC
 * lists; managed pages raised to 102400 so that 6.12's 1% is a whole pageblock).
 */
static void unreserve_labelled(enum kernel_version v)
{
	struct alloc_context ac;
	unsigned long managed;
	struct page *page;
	struct sim_op op;
	bool ret;

	up(v);
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	managed = z->managed_pages;
	z->managed_pages = 102400;
	KOPS(buddy)->reserve_highatomic_pageblock(page, z, 4);
	z->managed_pages = managed;
	cr_assert(eq(u64, z->nr_reserved_highatomic, pageblock_nr_pages));
	helper_buddy_ac(&ac, 0, GFP_KERNEL);

	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	ret = KOPS(buddy)->unreserve_highatomic_pageblock(&ac, true);
	sim_op_end(&op);
	cr_expect(ret);
	cr_expect(has(&op, "unreserve_highatomic_pageblock"));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 0));
	cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_UNMOVABLE));

	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	ret = KOPS(buddy)->unreserve_highatomic_pageblock(&ac, true);
	sim_op_end(&op);
	cr_expect(not(ret));
	cr_expect(not(has(&op, "unreserve_highatomic_pageblock")));
	cr_expect(buddy_check(stderr));
}

Test(buddy_path_labels, unreserve_labelled_6_1, .fini = down)
{
	unreserve_labelled(KERNEL_6_1);
}

Test(buddy_path_labels, unreserve_labelled_6_12, .fini = down)
{
	unreserve_labelled(KERNEL_6_12);
}

/* pages on pcp list `pindex` */
static int list_len(unsigned int pindex)
{
	int n = 0;

	for (struct page *p = page_list_first(&pcp->lists[pindex]); p; p = page_list_next(p))
		n++;
	return n;
}

/* Run this CPU's queued vmstat worker (vmstat_update) in place; the operations it logs that carry `label`. */
static int worker_ops_with(const char *label)
{
	struct helper_slab_log log;
	int n = 0;

	sim->cur = &sim->vcpu[0];
	sim->running = true;	/* vmstat_shepherd_arm queues only inside a run */
	vmstat_shepherd_arm();
	sim->running = false;
	cr_assert(lt(int, 0, sim->vcpu[0].dwork.nr));
	helper_slab_log_start(&log);
	sim->vcpu[0].dwork.heap[0].fn(&sim->vcpu[0], sim->vcpu[0].dwork.heap[0].arg);
	for (size_t i = 0; i < log.nr; i++)
		n += helper_slab_op_has_label(&log.ops[i], label);
	helper_slab_log_stop(&log);
	return n;
}

/*
 * decay_pcp_high (6.12 mm/page_alloc.c) from the vmstat worker: "to_drain = pcp->count -
 * pcp->high; if (to_drain > 0)" drain, from list 0 up ("free_pcppages_bulk(zone,
 * to_drain_batched, pcp, 0)"), and the model logs that drain as an operation of the worker's
 * own.  4 unmovable (list 0) and 4 movable (list 1) order-0 pages, high 8 over high_min 4:
 * high becomes max(8 - 96, 8 - 1, 4) = 7, one page to drain: one operation, and the page
 * comes off list 0.  The next round: high max(7 - 0, 4) = 7, nothing to drain: no operation.
 */
Test(buddy_path_labels, the_worker_logs_a_decay_only_when_it_drains_6_12, .fini = down)
{
	struct page *u[4], *m[4];

	up(KERNEL_6_12);
	for (int i = 0; i < 4; i++) {
		u[i] = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
		m[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)u[i], NULL));
		cr_assert(ne(ptr, (void *)m[i], NULL));
	}
	drain_pages_zone(0, z);
	pcp->high_min = pcp->high_max = pcp->high = 1000;
	for (int i = 0; i < 4; i++) {
		helper_buddy_free(0, u[i], 0, NULL);
		helper_buddy_free(0, m[i], 0, NULL);
	}
	cr_assert(eq(int, list_len(order_to_pindex(MIGRATE_UNMOVABLE, 0)), 4));
	cr_assert(eq(int, list_len(order_to_pindex(MIGRATE_MOVABLE, 0)), 4));
	cr_assert(eq(int, (int)order_to_pindex(MIGRATE_UNMOVABLE, 0), 0));
	pcp->high_min = 4;
	pcp->high_max = 100;
	pcp->high = 8;
	pcp->batch = 3;

	cr_expect(eq(int, worker_ops_with("decay_pcp_high"), 1));
	cr_expect(eq(int, pcp->high, 7));
	cr_expect(eq(int, pcp->count, 7));
	cr_expect(eq(int, list_len(order_to_pindex(MIGRATE_UNMOVABLE, 0)), 3), "list 0 first");
	cr_expect(eq(int, list_len(order_to_pindex(MIGRATE_MOVABLE, 0)), 4));

	cr_expect(eq(int, worker_ops_with("vmstat_update"), 0), "nothing to drain: no operation");
	cr_expect(eq(int, pcp->high, 7));
	cr_expect(eq(int, pcp->count, 7));
	cr_expect(buddy_check(stderr));
}
