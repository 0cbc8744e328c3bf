/*
 * test_slub_no_cpu_partial.c - SLUB without CONFIG_SLUB_CPU_PARTIAL (kmem_cache_has_cpu_partial
 * false), suite `slub_no_cpu_partial`, under 6.1 and 6.12 (mm/slub.c):
 *
 *  - __slab_free: a free into a full slab, which is on no list, takes the node's list_lock and
 *    adds the slab to the tail of the node's partial list (add_partial DEACTIVATE_TO_TAIL,
 *    FREE_ADD_PARTIAL) instead of freezing it for the CPU's chain; the free that empties it
 *    discards it once the node keeps min_partial slabs (slab_empty: remove_partial,
 *    FREE_REMOVE_PARTIAL, FREE_SLAB), else leaves it listed;
 *  - get_partial_node: slub_get_cpu_partial(s) is 0, so it stops after the first slab
 *    (ALLOC_FROM_PARTIAL, no CPU_PARTIAL_NODE).
 *
 * Machine: 2 nodes x 2 CPUs; a 256-byte cache (16 objects per order-0 slab), min_partial 5.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;

static void up(enum kernel_version v)
{
	struct slub_params p;

	kernel_version = v;
	slub_params_default(&p);
	p.freelist_random = false;
	p.cpu_partial = false;
	sc = helper_slub_machine_up_params(2, 2, &p);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("nocp256", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, s->cpu_partial, 0));
	cr_assert(eq(u32, s->cpu_partial_slabs, 0));
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
	cr_assert(eq(ulong, s->min_partial, 5));
}

static void down(void)
{
	struct slub_params p;

	helper_slab_machine_down(sc);
	slub_params_default(&p);
	slub_set_params(&p);
	kernel_version = KERNEL_6_1;
}

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

static void *alloc_on(int cpu)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, 0);
}

/*
 * CPU 0 fills slab A and starts slab B.  The first free into A lists it (tail of node 0's
 * list); freeing the rest empties it, and with one slab listed (< min_partial 5) it stays,
 * empty.  Then min_partial 0: an emptied listed slab C is discarded.
 */
static void full_slab_free_lists_it(enum kernel_version v)
{
	void *a[OBJS + 1];
	struct slab *sa;
	struct kmem_cache_node *n;

	up(v);
	n = get_node(s, 0);
	for (int i = 0; i <= OBJS; i++)
		cr_assert(ne(ptr, a[i] = alloc_on(0), NULL));
	sa = virt_to_slab(a[0]);
	cr_assert(eq(u32, sa->frozen, 0), "A was dropped full by the bypass");

	helper_slab_free(0, a[0]);
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 0));
	cr_expect(eq(ulong, n->nr_partial, 1));
	cr_expect(sa->node_partial);
	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));

	for (int i = 1; i < OBJS; i++)
		helper_slab_free(0, a[i]);
	cr_expect(eq(u32, sa->inuse, 0));
	cr_expect(eq(ulong, n->nr_partial, 1), "empty, kept: 1 < min_partial");
	cr_expect(eq(ulong, st(FREE_SLAB), 0));
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_no_cpu_partial, full_slab_free_lists_it_6_1) { full_slab_free_lists_it(KERNEL_6_1); }
Test(slub_no_cpu_partial, full_slab_free_lists_it_6_12) { full_slab_free_lists_it(KERNEL_6_12); }

static void emptied_listed_slab_is_discarded(enum kernel_version v)
{
	void *a[OBJS + 1];
	struct kmem_cache_node *n;

	up(v);
	n = get_node(s, 0);
	for (int i = 0; i <= OBJS; i++)
		cr_assert(ne(ptr, a[i] = alloc_on(0), NULL));
	slub_store_min_partial(s, 0);
	for (int i = 0; i < OBJS; i++)
		helper_slab_free(0, a[i]);
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_expect(eq(ulong, st(FREE_REMOVE_PARTIAL), 1));
	cr_expect(eq(ulong, st(FREE_SLAB), 1));
	cr_expect(eq(ulong, n->nr_partial, 0));
	cr_expect(eq(ulong, n->nr_slabs, 1), "B is left");
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_no_cpu_partial, emptied_listed_slab_is_discarded_6_1) { emptied_listed_slab_is_discarded(KERNEL_6_1); }
Test(slub_no_cpu_partial, emptied_listed_slab_is_discarded_6_12) { emptied_listed_slab_is_discarded(KERNEL_6_12); }

/*
 * Three full slabs A, B, C and the cpu slab D on CPU 0; one free into each of A, B, C lists
 * them (3 on node 0's list).  CPU 1 has no slab: get_partial_node takes the first listed slab,
 * A (add_partial to the tail: A, B, C in that order), and no more.
 */
static void get_partial_takes_one_slab(enum kernel_version v)
{
	void *a[3 * OBJS + 1];
	struct kmem_cache_node *n;
	void *x;

	up(v);
	n = get_node(s, 0);
	for (int i = 0; i <= 3 * OBJS; i++)
		cr_assert(ne(ptr, a[i] = alloc_on(0), NULL));
	for (int k = 0; k < 3; k++)
		helper_slab_free(0, a[k * OBJS + 5]);
	cr_assert(eq(ulong, n->nr_partial, 3));
	x = alloc_on(1);
	cr_expect(eq(ptr, x, a[5]), "A's one free object");
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_expect(eq(ulong, st(CPU_PARTIAL_NODE), 0));
	cr_expect(eq(ulong, n->nr_partial, 2));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 1)->partial, NULL));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 1)->slab, virt_to_slab(a[0])));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_no_cpu_partial, get_partial_takes_one_slab_6_1) { get_partial_takes_one_slab(KERNEL_6_1); }
Test(slub_no_cpu_partial, get_partial_takes_one_slab_6_12) { get_partial_takes_one_slab(KERNEL_6_12); }
