/*
 * test_slub_612.c - the SLUB model following Linux 6.12 (models/slub/6.12/slub.c,
 * kernel_version = KERNEL_6_12): each level L1..L5 of alloc and free from a crafted state,
 * the counters whose meaning changed since 6.1 (free_frozen, alloc_refill against
 * cpu_partial_alloc, a bulk allocation's alloc_fastpath; the same sequences under 6.1 for
 * contrast), the per-CPU partial lists
 * of unfrozen slabs and the invariant checker on them.
 *
 * Same machine and cache as test_slub.c: 2 nodes x 2 CPUs, "slub_test" with 256-byte
 * objects, order 0, 16 objects per slab, cpu_partial_slabs 7, min_partial 5, freelists in
 * address order.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define OBJS 16				/* objects per slab of slub_test */

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

static void setup(void)
{
	up(KERNEL_6_12);
}

static void teardown(void)
{
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

TestSuite(slub612, .init = setup, .fini = teardown);

/* The same sequences under 6.1, for the counters whose meaning changed. */
static void setup_61(void)
{
	up(KERNEL_6_1);
}

TestSuite(slub612_vs61, .init = setup_61, .fini = teardown);

static void *alloc_on(int cpu)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
}

static void *alloc_on_node(int cpu, int node)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, node);
}

static void free_on(int cpu, void *obj)
{
	helper_slab_free(cpu, obj);
}

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

static bool last_has(const char *label)
{
	return helper_slab_op_has_label(helper_slab_last_op(), label);
}

static int last_level(void)
{
	return helper_slab_last_level();
}

static void expect_consistent(void)
{
	cr_expect(slub_check(stderr), "slub_check");
}

/*
 * Slab A of CPU 0 used up (16 objects in a[]), dropped by the bypass for a new cpu slab B
 * (b[0] taken), then a[5] freed on CPU 0: A was full and on no list, so it goes on CPU 0's
 * per-CPU partial list.  Returns A.
 */
static struct slab *a_on_cpu0_partial(void **a, void **b)
{
	struct slab *sa;

	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);
	b[0] = alloc_on(0);
	cr_assert(last_has("___slab_alloc:deactivate_bypass"));
	free_on(0, a[5]);
	cr_assert(last_has("__slab_free:cpu_partial"));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sa));
	return sa;
}

/* ------------------------------------------------------------------ */
/* The version table                                                   */

Test(slub612, the_table_follows_kernel_version)
{
	const struct slub_kops *k = KOPS(slub);

	cr_expect(eq(ptr, (void *)k, (void *)&slub_kops_6_12));
	cr_expect(eq(str, (char *)k->kernel, "6.12"));
	cr_expect(not(k->cpu_partial_frozen));
	cr_expect(slub_kops_6_1.cpu_partial_frozen);
	cr_expect(eq(str, (char *)slub_kops_table[KERNEL_6_1]->kernel, "6.1"));
}

/* ------------------------------------------------------------------ */
/* Allocation levels                                                   */

Test(slub612, alloc_l5_new_slab_then_l1_fastpath)
{
	void *a, *b;

	a = alloc_on(0);
	cr_assert(a != NULL);
	cr_expect(eq(int, last_level(), 5));
	cr_expect(last_has("___slab_alloc:alloc_slab"));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 1));
	cr_expect(eq(u32, virt_to_slab(a)->frozen, 1));

	b = alloc_on(0);
	cr_expect(eq(int, last_level(), 1));
	cr_expect(last_has("__slab_alloc_node:fastpath"));
	cr_expect(not(last_has("slab_alloc_node:fastpath")));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 1));
	cr_expect(eq(u64, ptr_u64(b), ptr_u64(a) + 256));
	expect_consistent();
}

Test(slub612, alloc_l2_get_freelist_counts_alloc_refill)
{
	void *obj[OBJS];

	for (int i = 0; i < OBJS; i++)
		obj[i] = alloc_on(0);
	/* CPU 1 frees into CPU 0's cpu slab: that slab is frozen, in 6.12 as in 6.1. */
	free_on(1, obj[3]);
	cr_expect(eq(int, last_level(), 2));
	cr_expect(last_has("__slab_free:frozen"));
	cr_expect(eq(ulong, slub_stat(s, FREE_FROZEN, 1), 1));

	cr_expect(eq(ptr, alloc_on(0), obj[3]));
	cr_expect(eq(int, last_level(), 2));
	cr_expect(last_has("___slab_alloc:get_freelist"));
	cr_expect(eq(ulong, st(ALLOC_REFILL), 1));
	cr_expect(eq(u32, virt_to_slab(obj[0])->inuse, OBJS));
	cr_expect(eq(u32, virt_to_slab(obj[0])->frozen, 1));
	expect_consistent();
}

/*
 * L3: the slab on the per-CPU partial list is unfrozen until it becomes the cpu slab;
 * get_freelist freezes it there, and ___slab_alloc goes straight to load_freelist:
 * cpu_partial_alloc 1, alloc_refill 0 (6.1 counts both: see slub612_vs61).
 */
Test(slub612, alloc_l3_cpu_partial_without_alloc_refill)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(eq(int, sa->slabs, 1));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 1));
	expect_consistent();		/* an unfrozen slab on a per-CPU partial list is legal */

	for (int i = 1; i < OBJS; i++)
		b[i] = alloc_on(0);
	cr_expect(eq(ptr, virt_to_slab(b[OBJS - 1]), virt_to_slab(b[0])));

	cr_expect(eq(ptr, alloc_on(0), a[5]));
	cr_expect(eq(int, last_level(), 3));
	cr_expect(last_has("___slab_alloc:cpu_partial_alloc"));
	cr_expect(not(last_has("___slab_alloc:get_freelist")));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 1));
	cr_expect(eq(ulong, st(ALLOC_REFILL), 0));
	/* two bypasses (A, then B) */
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 2));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, sa));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->partial, NULL));
	cr_expect(eq(u32, sa->frozen, 1));
	cr_expect(eq(u32, sa->inuse, OBJS));
	expect_consistent();
}

/*
 * L4: a node-1 request on CPU 0 deactivates the node-0 cpu slab A to node 0's list; 6.12
 * then tries node 1 alone (GFP_NOWAIT | __GFP_THISNODE) and gets a new slab there.  CPU 1
 * takes A from the node list: remove_partial, then freeze_slab.
 */
Test(slub612, alloc_l4_node_partial_then_freeze_slab)
{
	void *a[4], *x;
	struct slab *sa;
	struct kmem_cache_node *n0 = get_node(s, 0);

	for (int i = 0; i < 4; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);

	x = alloc_on_node(0, 1);
	cr_expect(eq(int, last_level(), 5));
	cr_expect(last_has("___slab_alloc:node_mismatch"));
	cr_expect(last_has("deactivate_slab:partial"));
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	cr_expect(eq(ulong, n0->nr_partial, 1));
	cr_expect(sa->node_partial);
	cr_expect(eq(u32, sa->frozen, 0));

	cr_expect(eq(ptr, alloc_on(1), (void *)((char *)a[3] + 256)));
	cr_expect(eq(int, last_level(), 4));
	cr_expect(last_has("get_partial_node:partial"));
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_expect(eq(ulong, n0->nr_partial, 0));
	cr_expect(not(sa->node_partial));
	cr_expect(eq(u32, sa->frozen, 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 1)->slab, sa));
	expect_consistent();
}

/*
 * get_partial_node moves up to slub_get_cpu_partial(s) / 2 + 1 more slabs to the per-CPU
 * partial list, unfrozen: cpu_partial_slabs 7, so after the first slab 4 more (4 > 7 / 2).
 */
Test(slub612, get_partial_node_fills_cpu_partial_unfrozen)
{
	void *obj[10][OBJS];
	struct slab *p;
	int n = 0;

	for (int k = 0; k < 10; k++)
		for (int i = 0; i < OBJS; i++)
			obj[k][i] = alloc_on(0);
	flush_all(s);
	s->min_partial = 10;
	for (int k = 0; k < 10; k++)
		free_on(1, obj[k][0]);
	cr_expect(ge(ulong, st(CPU_PARTIAL_DRAIN), 1));
	flush_all(s);
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 10));

	alloc_on(0);
	cr_expect(eq(int, last_level(), 4));
	cr_expect(eq(ulong, st(CPU_PARTIAL_NODE), 4));
	cr_expect(eq(int, raw_cpu_ptr(s->cpu_slab)->partial->slabs, 4));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 5));
	for (p = raw_cpu_ptr(s->cpu_slab)->partial; p; p = p->next, n++) {
		cr_expect(eq(u32, p->frozen, 0));
		cr_expect(not(p->node_partial));
	}
	cr_expect(eq(int, n, 4));
	expect_consistent();
}

/* A per-CPU partial slab on the wrong node goes back to its node list (__put_partials). */
Test(slub612, cpu_partial_loop_puts_back_a_node_mismatch)
{
	void *a[OBJS], *b[OBJS], *x;
	struct slab *sa = a_on_cpu0_partial(a, b);

	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
	/* c->slab B (node 0) mismatches: deactivated; A (node 0) mismatches too: put back. */
	x = alloc_on_node(0, 1);
	cr_expect(eq(int, last_level(), 5));
	cr_expect(last_has("___slab_alloc:cpu_partial_put"));
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), 1));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));
	cr_expect(sa->node_partial);
	cr_expect(eq(u32, sa->frozen, 0));
	/* A and B on node 0's list */
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 2));
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	expect_consistent();
}

/*
 * ___slab_alloc's per-CPU partial loop (6.12) unlinks the head it takes (slub_set_percpu_partial)
 * and, when it does not fit, cuts it off the chain (slab->next = NULL) before __put_partials,
 * so only that slab goes back to its node; the loop then looks at the next one.  CPU 0's chain
 * [B, A] (both node 0, each with one free object) and a node-1 request: B, then A, back on
 * node 0's list, each once (FREE_ADD_PARTIAL 2), with the deactivated cpu slab C: 3 listed.
 */
Test(slub612, cpu_partial_loop_puts_back_one_slab_at_a_time)
{
	void *a[OBJS], *b[OBJS], *x;
	struct slab *sa, *sb;

	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	for (int i = 0; i < OBJS; i++)
		b[i] = alloc_on(0);
	cr_assert(alloc_on(0) != NULL);		/* C, the cpu slab */
	sa = virt_to_slab(a[0]);
	sb = virt_to_slab(b[0]);
	free_on(0, a[5]);
	free_on(0, b[5]);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sb));
	cr_assert(eq(ptr, sb->next, sa));
	x = alloc_on_node(0, 1);
	cr_assert(x != NULL);
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), 2));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 3));
	cr_expect(sa->node_partial);
	cr_expect(sb->node_partial);
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* Free levels and the free_frozen meaning                              */

Test(slub612, free_l1_fastpath_and_l2_slowpath)
{
	void *a[OBJS];

	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	free_on(0, a[0]);
	cr_expect(eq(int, last_level(), 1));
	cr_expect(last_has("do_slab_free:fastpath"));
	cr_expect(eq(ulong, st(FREE_FASTPATH), 1));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->freelist, a[0]));

	free_on(2, a[1]);		/* another CPU: the slow path into a frozen slab */
	cr_expect(eq(int, last_level(), 2));
	cr_expect(last_has("__slab_free:frozen"));
	cr_expect(eq(ulong, st(FREE_SLOWPATH), 1));
	expect_consistent();
}

/*
 * 6.12: a free from another CPU into a slab on CPU 0's per-CPU partial list finds it
 * unfrozen with free objects: no list work and no free_frozen.
 */
Test(slub612, free_into_cpu_partial_slab_counts_no_free_frozen)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	free_on(1, a[6]);
	cr_expect(eq(int, last_level(), 2));
	cr_expect(last_has("__slab_free:no_list_change"));
	cr_expect(eq(ulong, st(FREE_FROZEN), 0));
	cr_expect(eq(ulong, st(FREE_SLOWPATH), 2));
	cr_expect(eq(u32, sa->inuse, OBJS - 2));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sa));
	expect_consistent();
}

/*
 * 6.12: the free that empties an unfrozen per-CPU partial slab takes list_lock, sees the slab
 * is not on the node list and leaves it on the per-CPU list; put_partials (flush) frees it
 * (min_partial 0 <= nr_partial 0).
 */
Test(slub612, emptied_cpu_partial_slab_waits_for_put_partials)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	for (int i = 0; i < OBJS; i++)
		if (i != 5)
			free_on(1, a[i]);
	cr_expect(eq(u32, sa->inuse, 0));
	cr_expect(last_has("__slab_free:not_on_node_partial"));
	cr_expect(eq(ulong, st(FREE_SLAB), 0));
	cr_expect(eq(ulong, st(FREE_FROZEN), 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sa));
	expect_consistent();

	s->min_partial = 0;
	flush_all(s);
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), 1));
	cr_expect(eq(ulong, st(FREE_SLAB), 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));
	expect_consistent();
}

/* 6.12's do_slab_free counts free_fastpath per object (stat_add); 6.1 once per call. */
static void bulk_free_three_of_the_cpu_slab(unsigned long want)
{
	void *a = alloc_on(0), *q[3];

	cr_assert(a != NULL);
	q[0] = a;
	q[1] = alloc_on(0);
	q[2] = alloc_on(0);
	sim_engine_set_cpu(0);
	kmem_cache_free_bulk(s, 3, q);
	cr_expect(eq(ulong, st(FREE_FASTPATH), want));
	cr_expect(eq(ulong, st(FREE_SLOWPATH), 0));
	expect_consistent();
}

Test(slub612, bulk_free_counts_free_fastpath_per_object)
{
	bulk_free_three_of_the_cpu_slab(3);
}

Test(slub612_vs61, bulk_free_counts_free_fastpath_once)
{
	bulk_free_three_of_the_cpu_slab(1);
}

/* ------------------------------------------------------------------ */
/* The same sequences under 6.1                                         */

Test(slub612_vs61, free_into_cpu_partial_slab_counts_free_frozen)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	cr_expect(eq(u32, sa->frozen, 1));
	free_on(1, a[6]);
	cr_expect(last_has("__slab_free:frozen"));
	cr_expect(eq(ulong, st(FREE_FROZEN), 1));
	expect_consistent();
}

Test(slub612_vs61, cpu_partial_alloc_also_counts_alloc_refill)
{
	void *a[OBJS], *b[OBJS];

	a_on_cpu0_partial(a, b);
	for (int i = 1; i < OBJS; i++)
		b[i] = alloc_on(0);
	cr_expect(eq(ptr, alloc_on(0), a[5]));
	cr_expect(last_has("___slab_alloc:cpu_partial_alloc"));
	cr_expect(last_has("___slab_alloc:get_freelist"));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 1));
	cr_expect(eq(ulong, st(ALLOC_REFILL), 1));
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* The checker's rule for per-CPU partial slabs                         */

static char *check_text(void)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	cr_assert(f != NULL);
	memset(buf, 0, sizeof(buf));
	(void)slub_check_cache(s, f);
	fclose(f);
	return buf;
}

Test(slub612, checker_wants_unfrozen_cpu_partial_slabs)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	cr_expect(slub_check_cache(s, NULL));
	sa->frozen = 1;			/* a 6.1 state under 6.12 */
	cr_expect(not(slub_check_cache(s, NULL)));
	cr_expect(ne(ptr, strstr(check_text(), "cpu 0: frozen slab on the partial chain"), NULL),
		  "%s", check_text());
	sa->frozen = 0;
	cr_expect(slub_check_cache(s, NULL));
}

Test(slub612_vs61, checker_wants_frozen_cpu_partial_slabs)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa = a_on_cpu0_partial(a, b);

	cr_expect(slub_check_cache(s, NULL));
	sa->frozen = 0;			/* a 6.12 state under 6.1 */
	cr_expect(not(slub_check_cache(s, NULL)));
	cr_expect(ne(ptr, strstr(check_text(), "cpu 0: unfrozen slab on the partial chain"), NULL),
		  "%s", check_text());
	sa->frozen = 1;
	cr_expect(slub_check_cache(s, NULL));
}

/* ------------------------------------------------------------------ */
/* Bulk allocation (models/slub/6.12/bulk.c against 6.1/bulk.c)        */

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

	a = alloc_on(0);
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
	expect_consistent();
}

Test(slub612, bulk_freelist_objects_count_alloc_fastpath)
{
	cr_assert(eq(ptr, (void *)KOPS(slub), (void *)&slub_kops_6_12));
	bulk_20();
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 19));
}

Test(slub612_vs61, bulk_freelist_loop_counts_nothing)
{
	bulk_20();
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 0));
}

/* kmem_cache_alloc_bulk_noprof: size 0 returns 0 before the loop (no counter, no tid bump). */
Test(slub612, bulk_size_zero_returns_zero)
{
	void *p[1];

	sim_engine_set_cpu(0);
	cr_expect(eq(int, KOPS(slub)->kmem_cache_alloc_bulk_noprof(s, GFP_KERNEL, 0, p), 0));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 0));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 0));
}

static int ev612[NR_SLAB_EVENTS];

static void count_ev612(int cache, uint64_t slab_addr, int event, int node)
{
	(void)slab_addr;
	(void)node;
	if (cache == s->id)
		ev612[event]++;
}

/*
 * put_cpu_partial (6.12 mm/slub.c) links the slab into the CPU's partial list: the free that
 * makes the full slab A partial puts it there (CPU_PARTIAL_FREE), one CPU_PARTIAL_ADD event
 * for A and none before it (A was dropped full by the bypass, on no list).
 */
Test(slub612, free_to_full_slab_adds_it_to_cpu_partial_once)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa;

	memset(ev612, 0, sizeof(ev612));
	slab_event_sink = count_ev612;
	sa = a_on_cpu0_partial(a, b);
	slab_event_sink = NULL;
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 1));
	cr_expect(eq(int, ev612[SLAB_EV_CPU_PARTIAL_ADD], 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sa));
	expect_consistent();
}

/*
 * 6.12's ___slab_alloc (mm/slub.c) on an empty cache: it enters at reread_slab (c->slab is NULL:
 * goto new_slab), finds no partial slab, allocates one (new_slab) and goes to retry_load_slab to
 * install it as the CPU slab under the local lock.  A second CPU then finds its own c->slab NULL
 * and takes the same path; the first CPU's next allocation is a fast-path hit, no slow path.
 */
Test(slub612, an_empty_cache_takes_reread_new_slab_retry_load_slab)
{
	(void)alloc_on(0);
	cr_expect(last_has("___slab_alloc:reread_slab"));
	cr_expect(last_has("___slab_alloc:retry_load_slab"));
	(void)alloc_on(1);
	cr_expect(last_has("___slab_alloc:reread_slab"));
	cr_expect(last_has("___slab_alloc:retry_load_slab"));
	(void)alloc_on(0);
	cr_expect(not(last_has("___slab_alloc:reread_slab")));
	expect_consistent();
}

/* The IRQ state of the running vCPU when each bulk allocation from c->freelist ends. */
static int bulk_fast, bulk_fast_irqs_off;

static void bulk_sink(const struct sim_op *op, void *arg)
{
	(void)arg;
	if (op->kind != SIM_OP_OBJ_ALLOC || !helper_slab_op_has_label(op, "kmem_cache_alloc_bulk:freelist"))
		return;
	bulk_fast++;
	bulk_fast_irqs_off += sim->cur->irqs_disabled;
}

/*
 * __kmem_cache_alloc_bulk (mm/slub.c, 6.12) takes objects off c->freelist between
 * local_lock_irqsave(&s->cpu_slab->lock, irqflags) and local_unlock_irqrestore: each one is
 * taken (and its operation ends) with IRQs off; after the call they are on again.
 */
Test(slub612, alloc_bulk_takes_the_cpu_freelist_with_irqs_off)
{
	void *a, *p[3];

	a = alloc_on(0);			/* a new cpu slab: 15 objects left on c->freelist */
	cr_assert(a != NULL);
	sim_path_set_sink(bulk_sink, NULL);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, p), 3));
	cr_expect(eq(int, bulk_fast, 3));
	cr_expect(eq(int, bulk_fast_irqs_off, 3));
	cr_expect(not(sim->cur->irqs_disabled));
	kmem_cache_free_bulk(s, 3, p);
	free_on(0, a);
}

/*
 * get_any_partial (mm/slub.c, 6.12) looks at other nodes only when get_cycles() % 1024 is at
 * most s->remote_node_defrag_ratio (1000: the default 100 of sysfs, times 10).  A CPU of node
 * 1 with nothing partial there, node 0 with 7 partial slabs (more than min_partial 5; no CPU
 * partial lists, so frees to full slabs go to the node list): with the model's draw of that
 * count made 1001 (the stream moved on to where it gives 1001), the allocation does not look
 * at node 0 and gets a new slab; with a draw of 1000 it takes one of node 0's slabs.
 */
static void defrag_ratio_case(uint64_t draw, bool remote)
{
	struct sim_scenario *dsc;
	struct kmem_cache *ds;
	void *a[8 * 16];
	unsigned long slabs;

	kernel_version = KERNEL_6_12;
	dsc = calloc(1, sizeof(*dsc));
	cr_assert(ne(ptr, (void *)dsc, NULL));
	sim_scenario_default(dsc);
	dsc->slub_cpu_partial = false;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(dsc, false), NULL));
	ds = kmem_cache_create("defrag_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)ds, NULL));
	cr_assert(eq(u32, oo_objects(ds->oo), 16));
	cr_assert(eq(uint, ds->remote_node_defrag_ratio, 1000));
	cr_assert(eq(int, cpu_to_node(2), 1));
	for (int i = 0; i < 8 * 16; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, ds, 0, GFP_KERNEL, 0), NULL));
	for (int i = 0; i < 7; i++)		/* one free object in each of the first 7 (full) slabs */
		helper_slab_free(0, a[i * 16]);
	cr_assert(eq(ulong, get_node(ds, 0)->nr_partial, 7));
	cr_assert(eq(ulong, get_node(ds, 1)->nr_partial, 0));
	for (int i = 0;; i++) {			/* the stream to where its next draw below 1024 is `draw` */
		struct sim_prng t = *sim_prng_model();

		cr_assert(lt(int, i, 100000));
		if (sim_prng_below(&t, 1024) == draw)
			break;
		sim_prng_next(sim_prng_model());
	}
	slabs = slub_stat(ds, ALLOC_SLAB, -1);
	cr_assert(ne(ptr, helper_slab_alloc(2, ds, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(int, helper_slab_op_has_label(helper_slab_last_op(), "get_any_partial:defrag_ratio"), !remote));
	cr_expect(eq(int, helper_slab_op_has_label(helper_slab_last_op(), "get_any_partial:remote"), remote));
	cr_expect(eq(ulong, slub_stat(ds, ALLOC_SLAB, -1), slabs + !remote));
	helper_slab_machine_down(dsc);
	kernel_version = KERNEL_6_1;
}

Test(slub612_defrag, a_cycle_count_over_the_ratio_skips_other_nodes)
{
	defrag_ratio_case(1001, false);
}

Test(slub612_defrag, a_cycle_count_at_the_ratio_looks_at_other_nodes)
{
	defrag_ratio_case(1000, true);
}

/*
 * __put_partials (mm/slub.c, 6.12): a slab of the chain that is empty while its node already
 * has min_partial slabs partial is discarded (DEACTIVATE_EMPTY, discard_slab, FREE_SLAB), not
 * added to the node list.  Crafted limits: cpu_partial_slabs 1 (the chain drains when a second
 * slab comes: put_cpu_partial), min_partial 0.  Slab A, emptied on CPU 0's chain, is
 * discarded by the free into full slab B that drains the chain: that free's path shows it.
 */
Test(slub612, put_partials_discards_an_empty_slab_of_the_chain)
{
	void *a[3 * 16];
	unsigned long freed;

	s->cpu_partial_slabs = 1;
	s->min_partial = 0;
	for (int i = 0; i < 3 * 16; i++)	/* A and B full, C the cpu slab */
		cr_assert(ne(ptr, a[i] = alloc_on_node(0, 0), NULL));
	for (int i = 0; i < 16; i++)		/* A onto the chain, then empty there */
		free_on(0, a[i]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 0));
	freed = st(FREE_SLAB);
	free_on(0, a[16]);			/* B onto the chain: A's chain is put */
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "put_cpu_partial:drain"));
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "__put_partials:discard"));
	cr_expect(eq(ulong, st(FREE_SLAB), freed + 1));
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
}

/*
 * put_cpu_partial with the slub_cpu_partial guard off (the form before v5.15: preempt_disable and
 * a store of c->partial, IRQs on, instead of local_lock_irqsave) pairs its preempt_disable with a
 * preempt_enable, as the kernel's did around its this_cpu_cmpxchg loop: after the free that puts
 * A on CPU 0's partial list the task's preempt_count is 0 again, not left raised (the task would
 * never be preempted again).  6.12 and 6.1 alike.  A debug build stops at sim_op_end's balance
 * assertion already; a release build (NDEBUG) at the check here.
 */
static void put_cpu_partial_guard_off_balances_preemption(void)
{
	void *a[OBJS], *b[OBJS];

	sim->guard_off[SIM_GUARD_SLUB_CPU_PARTIAL] = true;
	sim_engine_set_cpu(0);
	cr_assert(eq(int, preempt_count(), 0));
	a_on_cpu0_partial(a, b);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, preempt_count(), 0));
	expect_consistent();
}

Test(slub612, put_cpu_partial_guard_off_balances_preemption)
{
	put_cpu_partial_guard_off_balances_preemption();
}

Test(slub612_vs61, put_cpu_partial_guard_off_balances_preemption)
{
	put_cpu_partial_guard_off_balances_preemption();
}
