/*
 * test_slub_waste.c - calc_slab_order's waste bound at equality, suite `slub_waste`, under
 * 6.1 and 6.12 (mm/slub.c, calc_slab_order: break at the first order whose leftover
 * slab_size % size is at most slab_size / fract_leftover; "at most" in both kernels).
 *
 * Sizes whose order-0 leftover is exactly 4096 / fract: 1280 (4096 = 3 * 1280 + 256, 1/16),
 * 1792 (2 * 1792 + 512, 1/8), 1536 (2 * 1536 + 1024, 1/4): order 0.  One fraction finer each
 * misses order 0, and the order returned is the first larger one that fits.
 * The first order tried is get_order(min_objects * size) in 6.1 (min_objects 1: order 0) and
 * min_order in 6.12 (0).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

static void waste_case(enum kernel_version v)
{
	struct sim_scenario *sc;
	/* first: 6.1's min_objects, 6.12's min_order, both giving order 0 as the first tried */
	unsigned int first = v == KERNEL_6_1 ? 1 : 0;

	kernel_version = v;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1280, first, 3, 16), 0));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1792, first, 3, 8), 0));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1536, first, 3, 4), 0));
	/* 1/32 of 4096 is 128 < 256: order 1 leaves 8192 % 1280 = 512 > 256, order 2 1024 > 512,
	 * order 3 768 <= 1024. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1280, first, 3, 32), 3));
	/* 1792 at 1/16: 512 > 256; 8192 % 1792 = 1024 > 512; 16384 % 1792 = 256 <= 1024: order 2. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1792, first, 3, 16), 2));
	/* 1536 at 1/8: 1024 > 512; 8192 % 1536 = 512 <= 1024: order 1. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1536, first, 3, 8), 1));
	/* Order 1 leftover exactly 8192 / 16 = 512 for 1280: from order 1 (6.1: 4 objects,
	 * get_order(5120) = 1; 6.12: min_order 1) it stops there. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(1280, v == KERNEL_6_1 ? 4 : 1, 3, 16), 1));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_waste, the_bound_is_inclusive_61)
{
	waste_case(KERNEL_6_1);
}

Test(slub_waste, the_bound_is_inclusive_612)
{
	waste_case(KERNEL_6_12);
}
