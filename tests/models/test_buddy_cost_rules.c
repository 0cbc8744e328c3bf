/*
 * test_buddy_cost_rules.c - the simulated time the buddy paths charge, suite
 * `buddy_cost_rules`: rmqueue_bulk's page operation per page it moves (the cost
 * rule of models/buddy/rmqueue.c), and the one read of nr_free_highatomic that
 * 6.12's zone_watermark_fast makes when its order-0 shortcut decides.
 *
 * Strategy: the vCPU's clock before and after one call, with the cost under test
 * set to two values (or two marks on the same side of the shortcut): what the
 * rule charges is the difference, whatever the locks around it cost.
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
	kernel_version = KERNEL_6_1;
}

static void up(int kernel)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	kernel_version = (enum kernel_version)kernel;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
}

/* The simulated ns rmqueue_bulk takes to move `count` order-0 MOVABLE pages onto `list`. */
static uint64_t bulk_ns(struct zone *z, unsigned long count, struct page_list *list, int *moved)
{
	uint64_t t0 = sim_now();

	*moved = rmqueue_bulk(z, 0, count, list, MIGRATE_MOVABLE, ALLOC_WMARK_LOW);
	return sim_now() - t0;
}

/*
 * rmqueue_bulk (6.1 mm/page_alloc.c) takes its pages under one zone->lock hold; the model
 * charges each page moved one SIM_COST_PAGE_OP inside that hold (models/buddy/rmqueue.c: "Work
 * inside zone->lock is charged SIM_COST_PAGE_OP per page moved"), the pages coming from the
 * request's own free list (__rmqueue_smallest: no fallback, no pageblock move, nothing else
 * charged).  Two bulks of 8 pages, the page cost 0 then 1000: 8000 ns apart.
 */
Test(buddy_cost_rules, rmqueue_bulk_charges_a_page_op_per_page_moved, .fini = down)
{
	struct page_list list;
	struct zone *z;
	uint64_t d0, d1;
	int moved;

	up(KERNEL_6_1);
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	memset(&list, 0, sizeof(list));
	sim->cost[SIM_COST_PAGE_OP] = 0;
	d0 = bulk_ns(z, 8, &list, &moved);
	cr_assert(eq(int, moved, 8));
	sim->cost[SIM_COST_PAGE_OP] = 1000;
	d1 = bulk_ns(z, 8, &list, &moved);
	cr_assert(eq(int, moved, 8));
	cr_expect(eq(u64, d1 - d0, 8 * 1000));
}

/*
 * zone_watermark_fast (6.12 mm/page_alloc.c): for order 0 the shortcut subtracts
 * __zone_watermark_unusable_free(z, 0, alloc_flags) -- no order pages ((1 << 0) - 1 = 0) plus
 * READ_ONCE(z->nr_free_highatomic) -- and returns true when more than mark + lowmem_reserve
 * are left; only otherwise does __zone_watermark_ok run (and read nr_free_highatomic again).
 * So the mark just below the free count (usable free = mark + 1) costs the vCPU exactly what a
 * mark far below it costs: one pass, one read.
 */
Test(buddy_cost_rules, the_order_0_shortcut_decides_its_own_boundary_6_12, .fini = down)
{
	struct zone *z;
	unsigned long free;
	uint64_t t0, near_ns, far_ns, fail_ns;

	up(KERNEL_6_12);
	z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	memset(z->lowmem_reserve, 0, sizeof(z->lowmem_reserve));
	cr_assert(eq(ulong, z->nr_free_highatomic, 0));
	free = zone_page_state(z, NR_FREE_PAGES);
	cr_assert(lt(ulong, 1000, free));

	t0 = sim_now();
	cr_expect(zone_watermark_fast(z, 0, free - 1, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL));
	near_ns = sim_now() - t0;
	t0 = sim_now();
	cr_expect(zone_watermark_fast(z, 0, free - 500, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL));
	far_ns = sim_now() - t0;
	t0 = sim_now();
	cr_expect(not(zone_watermark_fast(z, 0, free, ZONE_DMA32, ALLOC_WMARK_LOW, GFP_KERNEL)));
	fail_ns = sim_now() - t0;
	cr_expect(eq(u64, near_ns, far_ns));
	/* a failing shortcut goes on to __zone_watermark_ok: one more read of the field */
	cr_expect(eq(u64, fail_ns, far_ns + sim->cost[SIM_COST_MEM]));
}
