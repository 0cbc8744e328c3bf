/*
 * test_slub_bulk_612.c - SLUB's bulk allocation under Linux 6.12 against 6.1
 * (models/slub/6.12/bulk.c, models/slub/6.1/bulk.c): 6.12's __kmem_cache_alloc_bulk bumps
 * ALLOC_FASTPATH for each object it takes off c->freelist, 6.1's kmem_cache_alloc_bulk
 * bumps nothing there; the paths, levels and the slow path's counters are the same.
 *
 * Machine and cache as test_slub.c: 2 nodes x 2 CPUs, "slub_test" with 256-byte objects,
 * 16 objects per slab, freelists in address order.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct kmem_cache *s;
static struct helper_slab_log plog;

static void up(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("slub_test", 256, 0, 0, false);
	cr_assert(s != NULL);
	helper_slab_log_start(&plog);
}

static void teardown(void)
{
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

TestSuite(slub_bulk_612, .fini = teardown);

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

/*
 * One object by the fast path's slow path on CPU 0 (a new slab: 1 taken, 15 on c->freelist),
 * then a bulk allocation of 20: 15 off c->freelist, then ___slab_alloc (the slab is full:
 * deactivate bypass, new slab B, its first object), then 4 off B's freelist.  Counters after
 * the whole sequence, by hand: the single allocation is ALLOC_SLOWPATH + ALLOC_SLAB; the bulk
 * call adds ALLOC_SLOWPATH + ALLOC_SLAB + DEACTIVATE_BYPASS, and 6.12 adds ALLOC_FASTPATH
 * 15 + 4 = 19 (the freelist objects); 6.1 adds none.
 */
static void bulk_20(void)
{
	void *a, *p[20];

	a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(a != NULL);
	cr_assert(eq(ulong, st(ALLOC_FASTPATH), 0));
	helper_slab_log_stop(&plog);
	helper_slab_log_start(&plog);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, p), 20));
	cr_expect(eq(ulong, helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:freelist"), 19));
	cr_expect(eq(ulong, helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:slowpath"), 1));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 1), 19));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 5), 1));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 2));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 2));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	cr_expect(slub_check(stderr), "slub_check");
}

Test(slub_bulk_612, freelist_objects_count_alloc_fastpath)
{
	up(KERNEL_6_12);
	cr_assert(eq(ptr, (void *)KOPS(slub), (void *)&slub_kops_6_12));
	bulk_20();
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 19));
}

Test(slub_bulk_612, under_6_1_the_freelist_loop_counts_nothing)
{
	up(KERNEL_6_1);
	bulk_20();
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 0));
}

/* kmem_cache_alloc_bulk_noprof: size 0 returns 0 before the loop (no counter, no tid bump). */
Test(slub_bulk_612, size_zero_returns_zero)
{
	void *p[1];

	up(KERNEL_6_12);
	sim_engine_set_cpu(0);
	cr_expect(eq(int, KOPS(slub)->kmem_cache_alloc_bulk_noprof(s, GFP_KERNEL, 0, p), 0));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 0));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 0));
}
