/*
 * test_slub_rules.c - SLUB's list work on free and deactivation and the
 * CONFIG_SLUB_STATS counters it bumps, at the min_partial boundary, suite
 * `slub_rules`: FREE_ADD_PARTIAL, FREE_REMOVE_PARTIAL, DEACTIVATE_EMPTY.
 *
 * Each number comes from the 6.1.192 rule named beside it (mm/slub.c).  The
 * test cache "rules_test" holds 256-byte objects: order 0, 16 per slab.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;
static struct helper_slab_log plog;

/* 2 nodes x 2 vCPUs; cpu_partial: CONFIG_SLUB_CPU_PARTIAL. */
static void up(bool cpu_partial)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->slub_cpu_partial = cpu_partial;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	s = kmem_cache_create("rules_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
	helper_slab_log_start(&plog);
}

static void down(void)
{
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	sc = NULL;
}

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

static bool last_has(const char *label)
{
	return helper_slab_op_has_label(helper_slab_last_op(), label);
}

/*
 * Without CONFIG_SLUB_CPU_PARTIAL, __slab_free of a full slab (prior == NULL, not frozen)
 * takes n->list_lock and add_partial(n, slab, DEACTIVATE_TO_TAIL): FREE_ADD_PARTIAL.  When
 * the free empties a slab and n->nr_partial >= s->min_partial, slab_empty: the slab was on
 * the partial list (prior != NULL): remove_partial, FREE_REMOVE_PARTIAL, then FREE_SLAB.
 */
Test(slub_rules, free_add_partial_then_free_remove_partial, .fini = down)
{
	void *a[OBJS];
	struct kmem_cache_node *n;
	struct slab *sa;

	up(false);
	n = get_node(s, 0);
	for (int i = 0; i < OBJS; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	sa = virt_to_slab(a[0]);
	/* A is full: the next allocation leaves it on no list (deactivate_bypass) */
	helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	cr_assert(eq(ulong, n->nr_partial, 0));

	/* CPU 1 frees into the full A: onto the node's partial list, at the tail */
	helper_slab_free(1, a[0]);
	cr_assert(eq(int, helper_slab_last_level(), 2));
	cr_assert(eq(ulong, slub_stat(s, FREE_ADD_PARTIAL, 1), 1));
	cr_assert(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_assert(eq(ulong, st(CPU_PARTIAL_FREE), 0));
	cr_assert(eq(ulong, n->nr_partial, 1));
	cr_assert(eq(ptr, list_first_entry(&n->partial, struct slab, slab_list), sa));

	/* frees that leave objects in A change no list */
	for (int i = 1; i < OBJS - 1; i++) {
		helper_slab_free(1, a[i]);
		cr_assert(last_has("__slab_free:no_list_change"));
	}
	cr_assert(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_assert(eq(u32, sa->inuse, 1));

	/* the last object: nr_partial 1 >= min_partial 1, so the empty slab goes */
	s->min_partial = 1;
	helper_slab_free(1, a[OBJS - 1]);
	cr_assert(last_has("__slab_free:slab_empty"));
	cr_assert(eq(ulong, slub_stat(s, FREE_REMOVE_PARTIAL, 1), 1));
	cr_assert(eq(ulong, st(FREE_REMOVE_PARTIAL), 1));
	cr_assert(eq(ulong, st(FREE_SLAB), 1));
	cr_assert(eq(ulong, n->nr_partial, 0));
}

/* The same free with nr_partial 1 < min_partial 2 keeps the empty slab listed (keep_empty). */
Test(slub_rules, empty_slab_kept_below_min_partial, .fini = down)
{
	void *a[OBJS];
	struct kmem_cache_node *n;

	up(false);
	n = get_node(s, 0);
	for (int i = 0; i < OBJS; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	s->min_partial = 2;
	for (int i = 0; i < OBJS; i++)
		helper_slab_free(1, a[i]);
	cr_assert(last_has("__slab_free:keep_empty"));
	cr_assert(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_assert(eq(ulong, st(FREE_REMOVE_PARTIAL), 0));
	cr_assert(eq(ulong, st(FREE_SLAB), 0));
	cr_assert(eq(ulong, n->nr_partial, 1));
}

/*
 * deactivate_slab of an empty cpu slab: M_FREE when n->nr_partial >= s->min_partial
 * (DEACTIVATE_EMPTY, then discard_slab and FREE_SLAB), else M_PARTIAL at the head
 * (DEACTIVATE_TO_HEAD).  flush_all deactivates every CPU's slab (CPUSLAB_FLUSH).
 */
Test(slub_rules, deactivate_empty_at_the_min_partial_boundary, .fini = down)
{
	void *a[4];
	struct kmem_cache_node *n;

	up(true);
	n = get_node(s, 0);
	/* nr_partial 0 < min_partial 1: the empty slab is kept, at the head */
	for (int i = 0; i < 4; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int i = 0; i < 4; i++)
		helper_slab_free(0, a[i]);
	s->min_partial = 1;
	flush_all(s);
	cr_assert(eq(ulong, st(DEACTIVATE_EMPTY), 0));
	cr_assert(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_assert(eq(ulong, n->nr_partial, 1));

	/* take it back (get_partial_node), empty it again; nr_partial 0 >= min_partial 0 */
	for (int i = 0; i < 4; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_assert(eq(ulong, n->nr_partial, 0));
	for (int i = 0; i < 4; i++)
		helper_slab_free(0, a[i]);
	s->min_partial = 0;
	flush_all(s);
	cr_assert(eq(ulong, st(DEACTIVATE_EMPTY), 1));
	cr_assert(eq(ulong, st(FREE_SLAB), 1));
	cr_assert(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_assert(eq(ulong, st(CPUSLAB_FLUSH), 2));
	cr_assert(eq(ulong, n->nr_partial, 0));
}

/*
 * __kmalloc_index (include/linux/slab.h) with SLUB's KMALLOC_SHIFT_LOW 3: sizes up to 8 go to
 * index 3, 65..96 to 1 (kmalloc-96, as KMALLOC_MIN_SIZE <= 32), 129..192 to 2 (kmalloc-192,
 * KMALLOC_MIN_SIZE <= 64), the rest to the next power of two.  Each boundary and the size one
 * past it.  kmalloc_info[] names index 2 "kmalloc-192" of size 192; the registry finds a cache
 * by name and size from id 0 (the first cache created) on.
 */
Test(slub_rules, kmalloc_index_boundaries, .fini = down)
{
	static const struct { size_t size; unsigned int index; } cases[] = {
		{ 1, 3 }, { 8, 3 }, { 9, 4 }, { 64, 6 }, { 65, 1 }, { 96, 1 }, { 97, 7 }, { 128, 7 },
		{ 129, 2 }, { 192, 2 }, { 193, 8 }, { 256, 8 }, { 257, 9 }, { 8192, 13 },
	};
	struct kmem_cache *k192;

	up(true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_assert(eq(uint, kmalloc_index(cases[i].size), cases[i].index), "size %zu", cases[i].size);
	k192 = kmalloc_slab(192, GFP_KERNEL);
	cr_assert(ne(ptr, (void *)k192, NULL));
	cr_assert(eq(ptr, (void *)k192, (void *)slab_find_cache("kmalloc-192")));
	cr_assert(eq(u32, k192->object_size, 192));
	cr_assert(eq(ptr, (void *)kmalloc_slab(96, GFP_KERNEL), (void *)slab_find_cache("kmalloc-96")));
	cr_assert(ne(ptr, (void *)slab_cache(0), NULL));
	cr_assert(eq(ptr, (void *)slab_find_cache(slab_cache(0)->name), (void *)slab_cache(0)));
	cr_assert(eq(u32, slab_cache_object_size(0), slab_cache(0)->object_size));
	cr_assert(lt(u32, 0, slab_cache_object_size(0)));
}

/*
 * ___slab_alloc with a node the cpu slab is not on (node_match fails, and node 1 has
 * normal memory): ALLOC_NODE_MISMATCH, the cpu slab is deactivated (deactivate_slab, here
 * back to node 0's partial list with its free objects) and the object comes from node 1.
 */
Test(slub_rules, node_mismatch_deactivates_the_cpu_slab, .fini = down)
{
	void *a, *b;
	struct kmem_cache_cpu *c;

	up(false);
	c = per_cpu_ptr(s->cpu_slab, 0);
	a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(int, virt_to_slab(a)->nid, 0));
	b = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(last_has("___slab_alloc:deactivate_slab"));
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), 1));
	cr_expect(eq(int, virt_to_slab(b)->nid, 1));
	cr_expect(eq(int, c->slab->nid, 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	helper_slab_free(0, a);
	helper_slab_free(0, b);
}

/*
 * unfreeze_partials (mm/slub.c, 6.1) takes this CPU's partial chain under
 * local_lock_irqsave(&s->cpu_slab->lock) and gives it back with local_unlock_irqrestore:
 * IRQs go off and on again even when the chain is empty.  In the model each of the two is
 * an IRQ toggle (a yield point of cost SIM_COST_IRQ, where an interrupt may come in before
 * the section): the call with no chain costs exactly those two and the one per-CPU read of
 * s->cpu_slab (this_cpu_read, SIM_COST_PERCPU), and leaves IRQs as they were.
 */
Test(slub_rules, unfreeze_partials_turns_irqs_off_and_on_even_for_no_chain, .fini = down)
{
	uint64_t before;

	up(true);
	sim_engine_set_cpu(0);
	cr_assert(eq(ptr, (void *)this_cpu_ptr(s->cpu_slab)->partial, NULL));
	before = sim->cur->clock_ns;
	KOPS(slub)->put_partials(s);
	cr_expect(eq(u64, sim->cur->clock_ns - before, 2ull * sim->cost[SIM_COST_IRQ] + sim->cost[SIM_COST_PERCPU]));
	cr_expect(not(sim->cur->irqs_disabled));
	cr_expect(eq(int, this_cpu_ptr(s->cpu_slab)->lock.owner, -1));
}

/*
 * get_any_partial (mm/slub.c, 6.1) walks the whole zonelist of the allocating CPU's node,
 * from its first zone.  A CPU on node 1, whose only memory is Movable (not N_NORMAL_MEMORY:
 * no kmem_cache_node, get_partial_node finds nothing), has node 0's Normal zone first and
 * alone in its GFP_KERNEL zonelist: with more than min_partial (5) slabs partial there, the
 * allocation takes an object from one of them (get_partial_node) instead of a new slab.
 */
Test(slub_rules, get_any_partial_starts_at_the_zonelist_s_first_zone, .fini = down)
{
	void *a[8 * OBJS];
	unsigned long slabs;

	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->slub_cpu_partial = false;		/* frees to full slabs go to the node list */
	sc->nr_nodes = 2;
	sc->node[0] = (struct sim_node_cfg){ .nr_cpus = 1, .zone_mib = { 0, 0, 64, 0 } };
	sc->node[1] = (struct sim_node_cfg){ .nr_cpus = 1, .zone_mib = { 0, 0, 0, 64 } };
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	s = kmem_cache_create("rules_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	helper_slab_log_start(&plog);
	cr_assert(eq(ptr, (void *)get_node(s, 1), NULL));
	for (int i = 0; i < 8 * OBJS; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	for (int i = 0; i < 7; i++)		/* one free object in each of the first 7 (full) slabs */
		helper_slab_free(0, a[i * OBJS]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 7));
	slabs = st(ALLOC_SLAB);
	cr_assert(ne(ptr, helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(last_has("get_any_partial:remote"));
	cr_expect(eq(ulong, st(ALLOC_SLAB), slabs), "no new slab");
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 6));
}

/*
 * __free_slab (mm/slub.c, 6.1) clears the slab's pfmemalloc mark (__slab_clear_pfmemalloc:
 * PG_active of the folio) before the pages go back, so nothing that still holds the freed
 * slab sees it as taken from the reserves.  A full slab marked pfmemalloc (crafted), with
 * min_partial 0: freeing its last object discards it (FREE_SLAB) and the mark is gone.
 */
Test(slub_rules, a_freed_slab_loses_its_pfmemalloc_mark, .fini = down)
{
	void *a[2 * OBJS];
	struct slab *sa;
	unsigned long freed;

	up(false);
	s->min_partial = 0;
	for (int i = 0; i < 2 * OBJS; i++)	/* slab A full, then B the cpu slab */
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	sa = virt_to_slab(a[0]);
	cr_assert(ne(ptr, (void *)sa, (void *)virt_to_slab(a[OBJS])));
	sa->pfmemalloc = true;
	freed = st(FREE_SLAB);
	for (int i = 0; i < OBJS; i++)
		helper_slab_free(0, a[i]);
	cr_assert(eq(ulong, st(FREE_SLAB), freed + 1), "A discarded");
	cr_expect(not(sa->pfmemalloc));
}
