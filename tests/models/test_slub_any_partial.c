/*
 * test_slub_any_partial.c - get_any_partial (mm/slub.c), suite `slub_any_partial`, under 6.1
 * and 6.12: another node's partial list is searched only when
 *  - get_cycles() % 1024 is at most s->remote_node_defrag_ratio (the model draws the count:
 *    1000 passes the default ratio 1000, 1001 does not), and
 *  - that node has more than min_partial slabs partial (n->nr_partial > s->min_partial).
 *
 * Machine: the default scenario (2 nodes; CPU 2 on node 1) without CPU partial lists, so a free
 * into a full slab lists it on its node.  A 256-byte cache, 16 objects per slab, min_partial 5.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

/*
 * Node 0 with `listed` partial slabs (one free object each), node 1 with none; the model's
 * stream moved on to where its next draw below 1024 is `draw`; CPU 2 (node 1) allocates.
 */
static void any_partial_case(enum kernel_version v, int listed, uint64_t draw, bool remote)
{
	struct sim_scenario *sc;
	struct kmem_cache *s;
	void *a[8 * 16];
	unsigned long slabs, from_partial;

	kernel_version = v;
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->slub_cpu_partial = false;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	s = kmem_cache_create("any_partial", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(u32, oo_objects(s->oo), 16));
	cr_assert(eq(ulong, s->min_partial, 5));
	cr_assert(eq(uint, s->remote_node_defrag_ratio, 1000));
	cr_assert(eq(int, cpu_to_node(2), 1));
	for (int i = 0; i < (listed + 1) * 16; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	for (int i = 0; i < listed; i++)
		helper_slab_free(0, a[i * 16]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, (unsigned long)listed));
	cr_assert(eq(ulong, get_node(s, 1)->nr_partial, 0));
	for (int i = 0;; i++) {
		struct sim_prng t = *sim_prng_model();

		cr_assert(lt(int, i, 100000));
		if (sim_prng_below(&t, 1024) == draw)
			break;
		sim_prng_next(sim_prng_model());
	}
	slabs = slub_stat(s, ALLOC_SLAB, -1);
	from_partial = slub_stat(s, ALLOC_FROM_PARTIAL, -1);
	cr_assert(ne(ptr, helper_slab_alloc(2, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(int, helper_slab_op_has_label(helper_slab_last_op(), "get_any_partial:remote"), remote));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), slabs + !remote));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_FROM_PARTIAL, -1), from_partial + remote));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, (unsigned long)listed - remote));
	cr_expect(eq(int, per_cpu_ptr(s->cpu_slab, 2)->slab->nid, remote ? 0 : 1));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

/* 6 partial slabs (> min_partial 5): a draw at the ratio searches node 0, one over does not. */
Test(slub_any_partial, draw_at_the_ratio_searches_6_1) { any_partial_case(KERNEL_6_1, 6, 1000, true); }
Test(slub_any_partial, draw_over_the_ratio_skips_6_1) { any_partial_case(KERNEL_6_1, 6, 1001, false); }
Test(slub_any_partial, draw_at_the_ratio_searches_6_12) { any_partial_case(KERNEL_6_12, 6, 1000, true); }
Test(slub_any_partial, draw_over_the_ratio_skips_6_12) { any_partial_case(KERNEL_6_12, 6, 1001, false); }

/* 5 partial slabs, exactly min_partial: node 0 keeps them whatever the draw. */
Test(slub_any_partial, min_partial_slabs_are_kept_6_1) { any_partial_case(KERNEL_6_1, 5, 0, false); }
Test(slub_any_partial, min_partial_slabs_are_kept_6_12) { any_partial_case(KERNEL_6_12, 5, 0, false); }
