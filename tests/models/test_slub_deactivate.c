/*
 * test_slub_deactivate.c - deactivate_slab's decision table (mm/slub.c), suite
 * `slub_deactivate`, under 6.1 and 6.12; a CPU slab flushed off its CPU (__flush_cpu_slab)
 * ends in one of:
 *  - empty, and its node keeps min_partial slabs already (nr_partial >= min_partial):
 *    discarded (DEACTIVATE_EMPTY, FREE_SLAB);
 *  - with free objects (or empty under min_partial): on the node's partial list, at its head
 *    (DEACTIVATE_TO_HEAD), or at its tail when other CPUs freed objects into it meanwhile
 *    (slab->freelist set: DEACTIVATE_REMOTE_FREES, DEACTIVATE_TO_TAIL); the CPU's freelist is
 *    spliced in front of the slab's and inuse drops by its length;
 *  - full: on no list (DEACTIVATE_FULL).
 *
 * Machine: 2 nodes x 2 CPUs (CPUs 0 and 1 on node 0); a 256-byte cache, 16 objects per slab.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;

static void up(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("deact256", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
}

static void down(void)
{
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

static void *alloc_on(int cpu)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
}

static void flush_cpu(int cpu)
{
	sim_engine_set_cpu(cpu);
	__flush_cpu_slab(s, cpu);
}

/*
 * CPU 0's slab A (a0, a1 taken) gets a remote free of a0 from CPU 1, whose own slab B (b0, b1)
 * has none.  B flushed first goes to the head of node 0's list, then A to its tail: [B, A].
 * A's freelist is CPU 0's (a1 + 256 up, 14 objects) then a0: 15 free, inuse 1.
 */
static void remote_frees_go_to_the_tail(enum kernel_version v)
{
	void *a0, *a1, *b0;
	struct slab *sa, *sb;
	struct kmem_cache_node *n;

	up(v);
	n = get_node(s, 0);
	a0 = alloc_on(0);
	a1 = alloc_on(0);
	b0 = alloc_on(1);
	cr_assert(alloc_on(1) != NULL);
	sa = virt_to_slab(a0);
	sb = virt_to_slab(b0);
	cr_assert(ne(ptr, sa, sb));
	helper_slab_free(1, a0);
	cr_expect(eq(ulong, st(FREE_FROZEN), 1));

	flush_cpu(1);
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_REMOTE_FREES), 0));
	flush_cpu(0);
	cr_expect(eq(ulong, st(DEACTIVATE_REMOTE_FREES), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_TAIL), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 2));
	cr_expect(eq(ulong, n->nr_partial, 2));
	cr_expect(eq(ptr, list_first_entry(&n->partial, struct slab, slab_list), sb));
	cr_expect(eq(ptr, list_last_entry(&n->partial, struct slab, slab_list), sa));
	cr_expect(eq(u32, sa->inuse, 1));
	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(eq(ptr, sa->freelist, (char *)a1 + 256));
	cr_expect(eq(u32, sb->inuse, 2));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, remote_frees_go_to_the_tail_6_1) { remote_frees_go_to_the_tail(KERNEL_6_1); }
Test(slub_deactivate, remote_frees_go_to_the_tail_6_12) { remote_frees_go_to_the_tail(KERNEL_6_12); }

/* All 16 objects of CPU 0's slab taken (no bypass yet: it is still c->slab): flushed full. */
static void full_slab_goes_on_no_list(enum kernel_version v)
{
	void *a[OBJS];
	struct slab *sa;

	up(v);
	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, sa));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, NULL));
	flush_cpu(0);
	cr_expect(eq(ulong, st(DEACTIVATE_FULL), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD) + st(DEACTIVATE_TO_TAIL), 0));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(eq(u32, sa->inuse, OBJS));
	cr_expect(not(sa->node_partial));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, NULL));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, full_slab_goes_on_no_list_6_1) { full_slab_goes_on_no_list(KERNEL_6_1); }
Test(slub_deactivate, full_slab_goes_on_no_list_6_12) { full_slab_goes_on_no_list(KERNEL_6_12); }

/*
 * An empty cpu slab (its one object freed back onto c->freelist) flushed with min_partial 1:
 * with one slab already on node 0's list (CPU 1's, flushed first with 1 object in use) it is
 * discarded (1 >= 1); with min_partial 2 it is kept, empty, at the head.
 */
static void empty_slab_against_min_partial(enum kernel_version v, unsigned long min_partial, bool discarded)
{
	void *a0;
	struct slab *sa;
	struct kmem_cache_node *n;

	up(v);
	n = get_node(s, 0);
	slub_store_min_partial(s, min_partial);
	a0 = alloc_on(0);
	sa = virt_to_slab(a0);
	cr_assert(alloc_on(1) != NULL);
	flush_cpu(1);
	cr_assert(eq(ulong, n->nr_partial, 1));
	helper_slab_free(0, a0);
	cr_assert(eq(ulong, st(FREE_FASTPATH), 1));
	flush_cpu(0);
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), discarded));
	cr_expect(eq(ulong, st(FREE_SLAB), discarded));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), discarded ? 1 : 2));
	cr_expect(eq(ulong, n->nr_partial, discarded ? 1 : 2));
	cr_expect(eq(ulong, n->nr_slabs, discarded ? 1 : 2));
	if (!discarded) {
		cr_expect(eq(ptr, list_first_entry(&n->partial, struct slab, slab_list), sa));
		cr_expect(eq(u32, sa->inuse, 0));
	}
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, empty_at_min_partial_is_discarded_6_1) { empty_slab_against_min_partial(KERNEL_6_1, 1, true); }
Test(slub_deactivate, empty_under_min_partial_is_kept_6_1) { empty_slab_against_min_partial(KERNEL_6_1, 2, false); }
Test(slub_deactivate, empty_at_min_partial_is_discarded_6_12) { empty_slab_against_min_partial(KERNEL_6_12, 1, true); }
Test(slub_deactivate, empty_under_min_partial_is_kept_6_12) { empty_slab_against_min_partial(KERNEL_6_12, 2, false); }

/*
 * The same decision inside an allocation: CPU 0's cpu slab A, its one object freed back onto
 * c->freelist, is deactivated by a node-1 request (node_mismatch) with min_partial 0: A is
 * empty and discarded there (6.1's mode M_FREE, 6.12's empty branch), the request gets a new
 * node-1 slab.
 */
static void mismatch_discards_an_empty_cpu_slab(enum kernel_version v)
{
	void *a0, *x;
	const struct sim_op *op;

	up(v);
	slub_store_min_partial(s, 0);
	a0 = alloc_on(0);
	helper_slab_free(0, a0);
	x = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(x != NULL);
	op = helper_slab_last_op();
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:node_mismatch"));
	cr_expect(helper_slab_op_has_label(op, v == KERNEL_6_1 ? "deactivate_slab:M_FREE" : "deactivate_slab:empty"));
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), 1));
	cr_expect(eq(ulong, st(FREE_SLAB), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_slabs, 0));
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, mismatch_discards_an_empty_cpu_slab_6_1) { mismatch_discards_an_empty_cpu_slab(KERNEL_6_1); }
Test(slub_deactivate, mismatch_discards_an_empty_cpu_slab_6_12) { mismatch_discards_an_empty_cpu_slab(KERNEL_6_12); }

/*
 * ___slab_alloc's labels on an empty cache's first allocation (the kernel's goto labels):
 * new_slab (no cpu slab), new_objects (no per-CPU partial slab), a new slab installed at
 * retry_load_slab, then load_freelist.  The 17th allocation finds the cpu slab full
 * (get_freelist NULL: deactivate_bypass) and goes through new_slab and new_objects again.
 */
static void slow_path_labels(enum kernel_version v)
{
	const struct sim_op *op;

	up(v);
	cr_assert(alloc_on(0) != NULL);
	op = helper_slab_last_op();
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:new_slab"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:new_objects"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:retry_load_slab"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:load_freelist"));
	for (int i = 1; i < OBJS; i++)
		cr_assert(alloc_on(0) != NULL);
	cr_assert(alloc_on(0) != NULL);
	op = helper_slab_last_op();
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:deactivate_bypass"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:new_slab"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:new_objects"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:load_freelist"));
	down();
}

Test(slub_deactivate, slow_path_labels_6_1) { slow_path_labels(KERNEL_6_1); }
Test(slub_deactivate, slow_path_labels_6_12) { slow_path_labels(KERNEL_6_12); }

/*
 * Stage one of deactivate_slab (mm/slub.c, 6.1 and 6.12) walks the CPU's freelist to find its
 * tail and count it (one get_freepointer per object); the model charges SIM_COST_OBJ_OP per
 * object walked.  Two flushes of CPU 0's cpu slab A that differ only in that count: the first
 * with 15 objects on c->freelist (one taken), the second after A came back as the cpu slab
 * (get_partial) and 5 more were taken, 10 left.  Both put A at the head of an empty node list,
 * so the second costs exactly 5 objects' walk less.
 */
static uint64_t flush_cost(int cpu)
{
	uint64_t t0;

	sim_engine_set_cpu(cpu);
	t0 = sim_now();
	__flush_cpu_slab(s, cpu);
	return sim_now() - t0;
}

static void walk_costs_one_obj_op_per_cpu_free_object(enum kernel_version v)
{
	uint64_t c15, c10;
	void *a0;
	struct slab *sa;

	up(v);
	a0 = alloc_on(0);
	sa = virt_to_slab(a0);
	c15 = flush_cost(0);
	cr_assert(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_assert(eq(u32, sa->inuse, 1));
	for (int i = 0; i < 5; i++)
		cr_assert(eq(ptr, virt_to_slab(alloc_on(0)), sa));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, sa));
	c10 = flush_cost(0);
	cr_assert(eq(ulong, st(DEACTIVATE_TO_HEAD), 2));
	cr_assert(eq(u32, sa->inuse, 6));
	cr_expect(eq(u64, c15 - c10, 5 * (uint64_t)sim->cost[SIM_COST_OBJ_OP]),
		  "15 free: %llu ns, 10 free: %llu ns", (unsigned long long)c15, (unsigned long long)c10);
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, walk_costs_one_obj_op_per_cpu_free_object_6_1) { walk_costs_one_obj_op_per_cpu_free_object(KERNEL_6_1); }
Test(slub_deactivate, walk_costs_one_obj_op_per_cpu_free_object_6_12) { walk_costs_one_obj_op_per_cpu_free_object(KERNEL_6_12); }

/*
 * Only an empty slab is discarded (deactivate_slab: !new.inuse && nr_partial >= min_partial):
 * with min_partial 0 the node's count always reaches it, yet CPU 1's slab B with all its
 * objects in use goes on no list (DEACTIVATE_FULL) and CPU 0's slab A with one object in use
 * to the head of node 0's list; neither is freed.
 */
static void only_an_empty_slab_is_discarded(enum kernel_version v)
{
	void *a0, *b[OBJS];
	struct slab *sa, *sb;

	up(v);
	slub_store_min_partial(s, 0);
	for (int i = 0; i < OBJS; i++)
		b[i] = alloc_on(1);
	sb = virt_to_slab(b[0]);
	flush_cpu(1);
	cr_expect(eq(ulong, st(DEACTIVATE_FULL), 1));
	cr_expect(eq(u32, sb->inuse, OBJS));
	a0 = alloc_on(0);
	sa = virt_to_slab(a0);
	cr_assert(ne(ptr, sa, sb));
	flush_cpu(0);
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	cr_expect(eq(u32, sa->inuse, 1));
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), 0));
	cr_expect(eq(ulong, st(FREE_SLAB), 0));
	cr_expect(eq(ulong, get_node(s, 0)->nr_slabs, 2));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_deactivate, only_an_empty_slab_is_discarded_6_1) { only_an_empty_slab_is_discarded(KERNEL_6_1); }
Test(slub_deactivate, only_an_empty_slab_is_discarded_6_12) { only_an_empty_slab_is_discarded(KERNEL_6_12); }
