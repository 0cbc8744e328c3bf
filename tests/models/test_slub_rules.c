/*
 * test_slub_rules.c - SLUB's list work on free and deactivation and the
 * CONFIG_SLUB_STATS counters it bumps, at the min_partial boundary, suite
 * `slub_rules`: FREE_ADD_PARTIAL, FREE_REMOVE_PARTIAL, DEACTIVATE_EMPTY; and the
 * decisions around them: get_any_partial's defrag ratio and min_partial bound, 6.12's
 * try_thisnode, a slab's order given back, the boot caches (align, the boot gfp mask,
 * one kmem_cache_node object each).
 *
 * Each number comes from the 6.1.192 rule named beside it (mm/slub.c; 6.12.118 where a
 * test says 6.12).  The test cache "rules_test" holds 256-byte objects: order 0, 16 per slab.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

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

/* 2 nodes of one vCPU each with zone_mib0 / zone_mib1 MiB (DMA, DMA32, Normal, Movable), no
 * CPU partial lists (frees to full slabs go to the node list); "rules_test" as in up(). */
static void up_two_nodes(const uint64_t *zone_mib0, const uint64_t *zone_mib1)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->slub_cpu_partial = false;
	sc->nr_nodes = 2;
	sc->node[0] = (struct sim_node_cfg){ .nr_cpus = 1 };
	sc->node[1] = (struct sim_node_cfg){ .nr_cpus = 1 };
	memcpy(sc->node[0].zone_mib, zone_mib0, sizeof(sc->node[0].zone_mib));
	memcpy(sc->node[1].zone_mib, zone_mib1, sizeof(sc->node[1].zone_mib));
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	s = kmem_cache_create("rules_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	helper_slab_log_start(&plog);
}

static void down(void)
{
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
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
 * flush_slab (mm/slub.c, 6.1 and 6.12) empties the cpu slab under
 * local_lock_irqsave(&s->cpu_slab->lock): IRQs off and on again, two yield points of cost
 * SIM_COST_IRQ, even when the CPU has no cpu slab (then nothing else: no deactivate_slab,
 * no CPUSLAB_FLUSH).
 */
Test(slub_rules, flush_slab_turns_irqs_off_and_on_even_for_no_slab, .fini = down)
{
	struct kmem_cache_cpu *c;
	uint64_t before;

	up(true);
	sim_engine_set_cpu(0);
	c = this_cpu_ptr(s->cpu_slab);
	cr_assert(eq(ptr, (void *)c->slab, NULL));
	before = sim->cur->clock_ns;
	flush_slab(s, c);
	cr_expect(eq(u64, sim->cur->clock_ns - before, 2ull * sim->cost[SIM_COST_IRQ]));
	cr_expect(not(sim->cur->irqs_disabled));
	cr_expect(eq(int, c->lock.owner, -1));
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 0));
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

	up_two_nodes((const uint64_t[4]){ 0, 0, 64, 0 }, (const uint64_t[4]){ 0, 0, 0, 64 });
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

/* ------------------------------------------------------------------ */
/* get_any_partial: the defrag ratio, min_partial                      */

/*
 * get_any_partial (mm/slub.c, 6.1 and 6.12) returns NULL at once when get_cycles() % 1024 is
 * over s->remote_node_defrag_ratio; otherwise it walks the zonelist and takes a slab from a
 * node with more than min_partial (5) slabs partial.  CPU 2 (node 1, nothing partial there)
 * allocates while node 0 holds `partial` slabs partial (no CPU partial lists, so frees to
 * full slabs go to the node list).  The model's draw of the count is moved to `draw` (the
 * stream advanced to where its next draw below 1024 gives it).
 */
/* The model stream moved on to where its next draw below 1024 (get_cycles() % 1024) is `draw`. */
static void next_count_is(uint64_t draw)
{
	for (int i = 0;; i++) {
		struct sim_prng t = *sim_prng_model();

		cr_assert(lt(int, i, 100000));
		if (sim_prng_below(&t, 1024) == draw)
			return;
		sim_prng_next(sim_prng_model());
	}
}

struct defrag_case {
	enum kernel_version v;
	unsigned int ratio;		/* s->remote_node_defrag_ratio */
	uint64_t draw;			/* the count get_any_partial draws */
	int partial;			/* node 0's partial slabs */
	bool remote;			/* one of them is taken */
};

static struct defrag_case defrag_cases[] = {
	{ KERNEL_6_1, 1000, 1001, 7, false },	/* over the ratio: stays on the node */
	{ KERNEL_6_1, 1000, 1000, 7, true },	/* at the ratio: looks at other nodes */
	{ KERNEL_6_1, 1022, 1023, 7, false },	/* the count's last value, 1023 */
	{ KERNEL_6_12, 1022, 1023, 7, false },
	{ KERNEL_6_1, 1000, 0, 5, false },	/* min_partial slabs partial: kept */
	{ KERNEL_6_1, 1000, 0, 6, true },	/* one more: one is taken */
	{ KERNEL_6_12, 1000, 0, 5, false },
	{ KERNEL_6_12, 1000, 0, 6, true },
};

ParameterizedTestParameters(slub_rules, get_any_partial_ratio_and_min_partial)
{
	return cr_make_param_array(struct defrag_case, defrag_cases, sizeof(defrag_cases) / sizeof(defrag_cases[0]));
}

ParameterizedTest(struct defrag_case *c, slub_rules, get_any_partial_ratio_and_min_partial, .fini = down)
{
	void *a[8 * OBJS];
	unsigned long slabs;

	kernel_version = c->v;
	up(false);
	cr_assert(eq(uint, s->remote_node_defrag_ratio, 1000));	/* the sysfs default 100, times 10 */
	cr_assert(eq(ulong, s->min_partial, 5));
	s->remote_node_defrag_ratio = c->ratio;
	cr_assert(eq(int, cpu_to_node(2), 1));
	for (int i = 0; i < 8 * OBJS; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	for (int i = 0; i < c->partial; i++)	/* one free object in each of the first (full) slabs */
		helper_slab_free(0, a[i * OBJS]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, (unsigned long)c->partial));
	cr_assert(eq(ulong, get_node(s, 1)->nr_partial, 0));
	next_count_is(c->draw);
	slabs = st(ALLOC_SLAB);
	cr_assert(ne(ptr, helper_slab_alloc(2, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(int, last_has("get_any_partial:defrag_ratio"), c->draw > c->ratio));
	cr_expect(eq(int, last_has("get_any_partial:remote"), c->remote));
	cr_expect(eq(ulong, st(ALLOC_SLAB), slabs + !c->remote));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, (unsigned long)(c->partial - c->remote)));
}

/* ------------------------------------------------------------------ */
/* A slab's order, back to the page allocator                          */

static uint64_t node0_free_pages(void)
{
	drain_all_pages();
	return buddy_zone_free_pages(0, ZONE_DMA) + buddy_zone_free_pages(0, ZONE_DMA32);
}

/*
 * allocate_slab takes 2^oo_order(s->oo) pages (alloc_slab_page) and __free_slab gives back
 * folio_order of the slab's folio, the same order (mm/slub.c, 6.1).  A cache of 1024-byte
 * objects on 4 CPUs: calculate_order asks for min_objects 4 * (fls(4) + 1) = 16, order 2.
 * One object taken and freed, the cpu slab flushed with min_partial 0 (deactivate_slab,
 * DEACTIVATE_EMPTY, discard_slab): node 0 has every page back.
 */
Test(slub_rules, a_discarded_slab_gives_back_every_page_of_its_order, .fini = down)
{
	struct kmem_cache *k;
	uint64_t before;
	void *obj;

	up(false);
	k = kmem_cache_create("order_test", 1024, 0, 0, false);
	cr_assert(ne(ptr, (void *)k, NULL));
	cr_assert(eq(u32, oo_order(k->oo), 2));
	k->min_partial = 0;
	before = node0_free_pages();
	cr_assert(ne(ptr, obj = helper_slab_alloc(0, k, 0, GFP_KERNEL, 0), NULL));
	cr_expect(eq(uint, virt_to_slab(obj)->order, 2));
	cr_expect(eq(u64, node0_free_pages(), before - 4));
	helper_slab_free(0, obj);
	flush_all(k);
	cr_assert(eq(ulong, slub_stat(k, FREE_SLAB, -1), 1));
	cr_expect(eq(u64, node0_free_pages(), before));
	cr_expect(eq(ptr, (void *)virt_to_slab(obj), NULL), "no page of the freed slab points to it");
}

/* ------------------------------------------------------------------ */
/* ___slab_alloc's try_thisnode (6.12)                                 */

/*
 * ___slab_alloc (mm/slub.c, 6.12), new_objects: a request for node 1 without __GFP_THISNODE
 * first looks with pc.flags = GFP_NOWAIT | __GFP_THISNODE, so get_partial stops at node 1's
 * own list (no get_any_partial) and new_slab takes node 1's pages.  Node 0 holds 7 partial
 * slabs (more than min_partial 5) and the count get_any_partial would draw is 0 (under any
 * ratio): still a new slab on node 1.
 */
Test(slub_rules, a_preferred_node_is_tried_alone_first_612, .fini = down)
{
	void *a[8 * OBJS], *obj;
	unsigned long slabs;

	kernel_version = KERNEL_6_12;
	up(false);
	for (int i = 0; i < 8 * OBJS; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	for (int i = 0; i < 7; i++)
		helper_slab_free(0, a[i * OBJS]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 7));
	next_count_is(0);
	slabs = st(ALLOC_SLAB);
	cr_assert(ne(ptr, obj = helper_slab_alloc(2, s, 0, GFP_KERNEL, 1), NULL));
	cr_expect(not(last_has("get_any_partial:remote")));
	cr_expect(not(last_has("get_any_partial:defrag_ratio")));
	cr_expect(not(last_has("___slab_alloc:try_thisnode_failed")));
	cr_expect(eq(ulong, st(ALLOC_SLAB), slabs + 1));
	cr_expect(eq(int, virt_to_slab(obj)->nid, 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 7));
}

/*
 * The same request when node 1 cannot give a page without dipping under its min watermark
 * (filled with GFP_NOWAIT | __GFP_THISNODE pages until none comes): the GFP_NOWAIT |
 * __GFP_THISNODE slab fails, try_thisnode goes false and new_objects runs again with the
 * caller's GFP_KERNEL: nothing partial anywhere, so new_slab's alloc_pages_node(1) falls
 * back along node 1's zonelist to node 0.
 */
Test(slub_rules, a_full_preferred_node_falls_back_after_try_thisnode_612, .fini = down)
{
	const unsigned int gfp = GFP_NOWAIT | __GFP_THISNODE | __GFP_NOWARN;
	void *obj;

	kernel_version = KERNEL_6_12;
	up_two_nodes((const uint64_t[4]){ 0, 64, 0, 0 }, (const uint64_t[4]){ 0, 0, 16, 0 });
	cr_assert(ne(ptr, (void *)get_node(s, 1), NULL));
	for (int order = 10; order >= 0; order--)
		while (helper_buddy_alloc(1, 1, gfp, (unsigned int)order, NULL))
			;
	obj = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, obj, NULL));
	cr_expect(last_has("___slab_alloc:try_thisnode_failed"));
	cr_expect(not(last_has("___slab_alloc:out_of_memory")));
	cr_expect(eq(int, virt_to_slab(obj)->nid, 0));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 1));
}

/* ------------------------------------------------------------------ */
/* The boot caches                                                     */

/*
 * create_boot_cache (mm/slab_common.c, 6.1) starts from ARCH_KMALLOC_MINALIGN (8), raised to
 * the size when the size is a power of two; calculate_alignment then raises it for
 * SLAB_HWCACHE_ALIGN to the cache line (64), halved while the size fits in half of it.
 * kmem_cache_node is 64 bytes; kmem_cache is offsetof(struct kmem_cache, node) plus 8 per
 * node id, a power of two (256) for one of the node counts below.  On each machine, 64
 * nodes (SIM_MAX_NODES) included, a cache that kmem_cache_open cannot lay out is released
 * again (free_kmem_cache_nodes over node ids 0..nr_node_ids - 1) and a good one works.
 */
static unsigned int boot_cache_align(unsigned int size)
{
	unsigned int align = 8, ralign = 64;

	if (!(size & (size - 1)) && size > align)
		align = size;
	while (size <= ralign / 2)
		ralign /= 2;
	return align > ralign ? align : ralign;
}

Test(slub_rules, boot_caches_align_as_create_boot_cache)
{
	static const int nodes[] = { 1, 2, 3, 4, 5, 6, 7, 8, SIM_MAX_NODES };
	bool pow2 = false;

	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		struct kmem_cache *kc, *kn, *k;

		sc = calloc(1, sizeof(*sc));
		cr_assert(ne(ptr, (void *)sc, NULL));
		sim_scenario_default(sc);
		sc->nr_nodes = nodes[i];
		for (int n = 0; n < nodes[i]; n++)
			sc->node[n] = (struct sim_node_cfg){ .nr_cpus = 1, .zone_mib = { 0, 32, 0, 0 } };
		cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL), "%d nodes", nodes[i]);
		kc = slab_find_cache("kmem_cache");
		kn = slab_find_cache("kmem_cache_node");
		cr_assert(ne(ptr, (void *)kc, NULL));
		cr_assert(ne(ptr, (void *)kn, NULL));
		cr_expect(eq(u32, kn->object_size, 64));
		cr_expect(eq(u32, kn->align, boot_cache_align(kn->object_size)), "%d nodes", nodes[i]);
		cr_expect(eq(u32, kc->align, boot_cache_align(kc->object_size)), "%d nodes: size %u",
			  nodes[i], kc->object_size);
		pow2 |= !(kc->object_size & (kc->object_size - 1));
		/* 4 MiB objects with a constructor: the free pointer goes after the object
		 * (calculate_sizes), 4 MiB + 8 needs order 11, over MAX_ORDER - 1; calculate_order
		 * fails and kmem_cache_open releases the cache (__kmem_cache_release) */
		cr_expect(eq(ptr, (void *)kmem_cache_create("too_big", 4u << 20, 0, 0, true), NULL));
		k = kmem_cache_create("boot_test", 256, 0, 0, false);
		cr_assert(ne(ptr, (void *)k, NULL));
		cr_assert(ne(ptr, helper_slab_alloc(0, k, 0, GFP_KERNEL, nodes[i] - 1), NULL));
		helper_slab_machine_down(sc);
		sc = NULL;
	}
	cr_expect(pow2, "kmem_cache's size was a power of two for one node count");
}

/*
 * The slabs kmem_cache_init makes (slab_state before UP) are taken while gfp_allowed_mask is
 * still GFP_BOOT_MASK (init/main.c, 6.1: start_kernel boots with it; kernel_init_freeable
 * lifts it), which new_slab's allocate_slab applies (flags &= gfp_allowed_mask): the model's
 * slub_boot_gfp.  Every such slab is made under it; a slab after boot is not.
 */
static int boot_slabs, boot_slabs_masked, late_slabs, late_slabs_masked;

static void boot_slab_sink(int cache, uint64_t slab_addr, int event, int node)
{
	(void)cache;
	(void)slab_addr;
	(void)node;
	if (event != SLAB_EV_NEW)
		return;
	if (slab_state < UP) {
		boot_slabs++;
		boot_slabs_masked += slub_boot_gfp;
	} else {
		late_slabs++;
		late_slabs_masked += slub_boot_gfp;
	}
}

Test(slub_rules, kmem_cache_init_allocates_slabs_under_the_boot_mask, .fini = down)
{
	slab_event_sink = boot_slab_sink;
	up(false);
	cr_assert(ne(ptr, helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	slab_event_sink = NULL;
	cr_expect(lt(int, 0, boot_slabs));
	cr_expect(eq(int, boot_slabs_masked, boot_slabs));
	cr_expect(lt(int, 0, late_slabs));
	cr_expect(eq(int, late_slabs_masked, 0));
	cr_expect(not(slub_boot_gfp));
}

/*
 * Every struct kmem_cache_node is an object of the cache kmem_cache_node on its own node
 * (init_kmem_cache_nodes: kmem_cache_alloc_node; the first on each node,
 * early_kmem_cache_node_alloc, takes the first object of that node's first slab and leaves
 * the rest on the slab's freelist, inuse 1), and no two share an object.
 */
Test(slub_rules, every_kmem_cache_node_is_an_object_of_its_own, .fini = down)
{
	struct kmem_cache *kn;
	void *objs[4096];
	int nr = 0;

	up(true);
	kn = slab_find_cache("kmem_cache_node");
	cr_assert(ne(ptr, (void *)kn, NULL));
	for (int id = 0; id < slab_nr_caches(); id++) {
		struct kmem_cache *c = slab_cache(id);
		bool seen = false;

		if (!c || slab_cache_id(c) != id)
			continue;		/* an alias of a cache already walked */
		for (int j = 0; j < id && !seen; j++)
			seen = slab_cache(j) == c;
		if (seen)
			continue;
		for (int nid = 0; nid < nr_node_ids; nid++) {
			struct kmem_cache_node *n = get_node(c, nid);

			if (!n)
				continue;
			cr_assert(lt(int, nr, 4096));
			cr_assert(ne(ptr, n->obj, NULL), "%s node %d", c->name, nid);
			cr_expect(eq(ptr, (void *)virt_to_slab(n->obj)->slab_cache, (void *)kn));
			cr_expect(eq(int, virt_to_slab(n->obj)->nid, nid), "%s node %d", c->name, nid);
			for (int k = 0; k < nr; k++)
				cr_assert(ne(ptr, objs[k], n->obj), "%s node %d: an object given twice", c->name, nid);
			objs[nr++] = n->obj;
		}
	}
	cr_expect(lt(int, 2 * 10, nr));
}

/*
 * kmem_cache_alloc_bulk (mm/slub.c, 6.1 and 6.12) takes objects off c->freelist under the
 * local lock and bumps c->tid once before it lets go (c->tid = next_tid(c->tid)), so that a
 * fast path interrupted between its reads of tid and freelist fails its cmpxchg.  Three
 * objects from a cpu freelist of 15: the tid moves by one TID_STEP; the objects are the next
 * three in address order.
 */
static void bulk_tid_case(enum kernel_version v)
{
	struct kmem_cache_cpu *c;
	void *first, *p[3];
	uint64_t tid;

	kernel_version = v;
	up(true);
	cr_assert(ne(ptr, first = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	sim_engine_set_cpu(0);
	c = this_cpu_ptr(s->cpu_slab);
	tid = c->tid;
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, p), 3));
	cr_expect(eq(u64, c->tid, next_tid(tid)));
	for (int i = 0; i < 3; i++)
		cr_expect(eq(ptr, p[i], (void *)((char *)first + 256 * (i + 1))));
	kmem_cache_free_bulk(s, 3, p);
}

Test(slub_rules, alloc_bulk_bumps_the_tid_once, .fini = down)
{
	bulk_tid_case(KERNEL_6_1);
}

Test(slub_rules, alloc_bulk_bumps_the_tid_once_612, .fini = down)
{
	bulk_tid_case(KERNEL_6_12);
}

/*
 * deactivate_slab walks the CPU's freelist to splice it into the slab (mm/slub.c, 6.1 and
 * 6.12); on a cycle the kernel would walk forever (freelist_corrupted is debug-only): the
 * model stops after slab->objects steps and reports it (slub_bug, models/slub/slub.c's
 * header).  CPU 0's cpu freelist (15 objects in address order) made a cycle: its last object
 * points back to its first; flush_all reports one bug, named.
 */
static void down_corrupted(void)
{
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	sc = NULL;
	slub_nr_bugs = 0;
	kernel_version = KERNEL_6_1;
}

static void freelist_cycle_case(enum kernel_version v)
{
	struct kmem_cache_cpu *c;
	void *first, *last;

	kernel_version = v;
	up(true);
	first = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, first, NULL));
	c = per_cpu_ptr(s->cpu_slab, 0);
	cr_assert(eq(ptr, c->freelist, (void *)((char *)first + 256)));
	last = (char *)first + 256 * (OBJS - 1);
	cr_assert(eq(ptr, get_freepointer(s, last), NULL));
	set_freepointer(s, last, c->freelist);
	cr_assert(eq(ulong, slub_nr_bugs, 0));
	flush_all(s);
	cr_expect(eq(ulong, slub_nr_bugs, 1));
	cr_expect(ne(ptr, (void *)strstr(slub_first_bug_text(), "cpu freelist longer than the slab"), NULL),
		  "%s", slub_first_bug_text());
	cr_expect(eq(ptr, (void *)c->slab, NULL));
}

Test(slub_rules, a_cycle_in_the_cpu_freelist_is_reported, .fini = down_corrupted)
{
	freelist_cycle_case(KERNEL_6_1);
}

Test(slub_rules, a_cycle_in_the_cpu_freelist_is_reported_612, .fini = down_corrupted)
{
	freelist_cycle_case(KERNEL_6_12);
}

/*
 * The bug count and the first bug's text are a run's own: kmem_cache_init starts them afresh
 * (models/slub/slub.c's header: slub_bug reports what the kernel would walk into), so the
 * machine booted after one that reported the cycle reports none (0, "").
 */
Test(slub_rules, the_next_machine_starts_with_no_bug_reported, .fini = down_corrupted)
{
	freelist_cycle_case(KERNEL_6_1);
	cr_assert(eq(ulong, slub_nr_bugs, 1));
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	sc = NULL;
	up(true);
	cr_expect(eq(ulong, slub_nr_bugs, 0));
	cr_expect(eq(str, (char *)slub_first_bug_text(), ""));
}

/*
 * The slab events table (models/slab_common: SLAB_EV_CPU_SLAB) gets one event each time a
 * slab becomes a CPU's c->slab, on both paths that install one in ___slab_alloc (mm/slub.c,
 * 6.1 and 6.12): a slab of the CPU's partial list, and retry_load_slab after a new slab or
 * one taken off the node list.  CPU 0 fills slab A (a new slab), then B (A dropped full);
 * a free makes A partial on CPU 0's list; B used up, A comes back off that list; after a
 * flush A (with one free object) is on the node list and the next allocation takes it from
 * there.  After every allocation: an event for the new c->slab when it changed, else none.
 */
static int cpu_slab_events;
static uint64_t cpu_slab_event_addr;

static void cpu_slab_sink(int cache, uint64_t slab_addr, int event, int node)
{
	(void)node;
	if (cache == s->id && event == SLAB_EV_CPU_SLAB) {
		cpu_slab_events++;
		cpu_slab_event_addr = slab_addr;
	}
}

static void *alloc_seeing_cpu_slab_events(void)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, 0);
	struct slab *old = c->slab;
	int events = cpu_slab_events;
	void *obj = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);

	cr_assert(ne(ptr, obj, NULL));
	cr_assert(ne(ptr, (void *)c->slab, NULL));
	if (c->slab == old) {
		cr_expect(eq(int, cpu_slab_events, events));
	} else {
		cr_expect(eq(int, cpu_slab_events, events + 1));
		cr_expect(eq(u64, cpu_slab_event_addr, c->slab->addr));
	}
	return obj;
}

static void cpu_slab_events_case(enum kernel_version v)
{
	void *a[OBJS], *b;
	struct slab *sa;

	kernel_version = v;
	up(true);
	slab_event_sink = cpu_slab_sink;
	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_seeing_cpu_slab_events();
	sa = virt_to_slab(a[0]);
	b = alloc_seeing_cpu_slab_events();
	cr_assert(ne(ptr, (void *)virt_to_slab(b), (void *)sa));
	helper_slab_free(0, a[5]);
	cr_assert(eq(ptr, (void *)per_cpu_ptr(s->cpu_slab, 0)->partial, (void *)sa));
	for (int i = 1; i < OBJS; i++)		/* the rest of B */
		alloc_seeing_cpu_slab_events();
	a[5] = alloc_seeing_cpu_slab_events();
	cr_expect(eq(ptr, (void *)per_cpu_ptr(s->cpu_slab, 0)->slab, (void *)sa));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 1));
	helper_slab_free(0, a[7]);		/* A keeps one free object through the flush */
	flush_all(s);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 1));
	a[7] = alloc_seeing_cpu_slab_events();
	cr_expect(eq(ptr, (void *)per_cpu_ptr(s->cpu_slab, 0)->slab, (void *)sa));
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_expect(eq(int, cpu_slab_events, 4));
	slab_event_sink = NULL;
}

Test(slub_rules, every_installed_cpu_slab_is_an_event, .fini = down)
{
	cpu_slab_events_case(KERNEL_6_1);
}

Test(slub_rules, every_installed_cpu_slab_is_an_event_612, .fini = down)
{
	cpu_slab_events_case(KERNEL_6_12);
}

/*
 * A slab goes onto a node's partial list with its counters right: as many objects on its
 * freelist as objects - inuse (what get_partial_node and __slab_free then trust; in the
 * kernel's early_kmem_cache_node_alloc, mm/slub.c, the first slab of kmem_cache_node on
 * each node has inuse 1 for that node's own struct).  Every SLAB_EV_PARTIAL_ADD from the
 * start of the boot on, and of a workload that sends slabs to the node lists (frees into
 * full slabs without CPU partial lists, a flush).
 */
static int partial_adds, partial_adds_bad;

static void partial_add_sink(int cache, uint64_t slab_addr, int event, int node)
{
	const struct slab *slab;
	unsigned int free = 0;

	(void)cache;
	(void)node;
	if (event != SLAB_EV_PARTIAL_ADD)
		return;
	slab = virt_to_slab(u64_ptr(slab_addr));
	for (void *p = slab->freelist; p && free <= slab->objects; p = get_freepointer(slab->slab_cache, p))
		free++;
	partial_adds++;
	partial_adds_bad += free != (unsigned int)(slab->objects - slab->inuse);
}

static void partial_add_case(enum kernel_version v)
{
	void *a[3 * OBJS];

	kernel_version = v;
	slab_event_sink = partial_add_sink;
	up(false);
	for (int i = 0; i < 3 * OBJS; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	helper_slab_free(1, a[0]);		/* into full slabs: onto the node list */
	helper_slab_free(1, a[OBJS + 3]);
	flush_all(s);				/* the cpu slab, with its free objects */
	slab_event_sink = NULL;
	cr_expect(lt(int, 3 + nr_node_ids, partial_adds));
	cr_expect(eq(int, partial_adds_bad, 0));
}

Test(slub_rules, a_slab_joins_a_node_list_with_its_counters_right, .fini = down)
{
	partial_add_case(KERNEL_6_1);
}

Test(slub_rules, a_slab_joins_a_node_list_with_its_counters_right_612, .fini = down)
{
	partial_add_case(KERNEL_6_12);
}

/*
 * bootstrap (mm/slub.c, 6.1 and 6.12) flushes the boot CPU's slab of the boot cache it has
 * just moved into a kmem_cache object (__flush_cpu_slab: deactivate_slab, CPUSLAB_FLUSH):
 * first kmem_cache, then kmem_cache_node.  Those are the only flushes of a boot: right
 * after it each of the two caches counts one CPUSLAB_FLUSH, on CPU 0, and a kmalloc cache
 * none.
 */
static void bootstrap_flush_case(enum kernel_version v)
{
	struct kmem_cache *kc, *kn, *k64;

	kernel_version = v;
	up(true);
	kc = slab_find_cache("kmem_cache");
	kn = slab_find_cache("kmem_cache_node");
	k64 = slab_find_cache("kmalloc-64");
	cr_assert(ne(ptr, (void *)kc, NULL));
	cr_assert(ne(ptr, (void *)kn, NULL));
	cr_assert(ne(ptr, (void *)k64, NULL));
	cr_expect(eq(ulong, slub_stat(kc, CPUSLAB_FLUSH, -1), 1));
	cr_expect(eq(ulong, slub_stat(kc, CPUSLAB_FLUSH, 0), 1));
	cr_expect(eq(ulong, slub_stat(kn, CPUSLAB_FLUSH, -1), 1));
	cr_expect(eq(ulong, slub_stat(kn, CPUSLAB_FLUSH, 0), 1));
	cr_expect(eq(ulong, slub_stat(k64, CPUSLAB_FLUSH, -1), 0));
}

Test(slub_rules, bootstrap_flushes_each_boot_cache_once, .fini = down)
{
	bootstrap_flush_case(KERNEL_6_1);
}

Test(slub_rules, bootstrap_flushes_each_boot_cache_once_612, .fini = down)
{
	bootstrap_flush_case(KERNEL_6_12);
}
