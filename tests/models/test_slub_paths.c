/*
 * test_slub_paths.c - the whole path (every PATH_LABEL, in order) and the tid that SLUB's
 * allocation and free take for a few states, under 6.1 and 6.12, suite `slub_paths`.
 *
 * The cache "paths_test" holds 256-byte objects: order 0, 16 per slab; 2 nodes x 2 vCPUs,
 * CONFIG_SLUB_CPU_PARTIAL on.  Each expected path is the label sequence of the kernel
 * function named beside it (mm/slub.c of 6.1.192 / 6.12.118).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;
static struct helper_slab_log plog;
static char pathbuf[1024];

static void up(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("paths_test", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
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

/* The labels of an operation, space-separated, in the order passed. */
static const char *path_of(const struct sim_op *op)
{
	size_t len = 0;

	pathbuf[0] = '\0';
	for (unsigned int i = 0; i < op->nr_labels; i++)
		len += (size_t)snprintf(pathbuf + len, sizeof(pathbuf) - len, "%s%s", i ? " " : "",
					sim_path_label_name(op->labels[i]));
	return pathbuf;
}

static const char *last_path(void)
{
	return path_of(helper_slab_last_op());
}

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

static uint64_t tid_of(int cpu)
{
	return per_cpu_ptr(s->cpu_slab, cpu)->tid;
}

/*
 * An empty cache: the first allocation finds no cpu slab, no CPU partial slab and no node
 * partial slab and takes a new one (___slab_alloc: new_slab, new_objects, new_slab(),
 * retry_load_slab, load_freelist); the second is the fast path (slab_alloc_node).
 * Then an allocation for node 1 while the cpu slab is on node 0: ___slab_alloc's
 * node_match fails, deactivate_slab: c->tid = next_tid(c->tid) under the local lock, then
 * new_slab ... load_freelist bumps it again (c->tid = next_tid(c->tid)): two TID_STEPs.
 */
static void alloc_paths(enum kernel_version v, const char *first, const char *fast,
			const char *mismatch)
{
	void *a, *b, *x;
	uint64_t tid;

	up(v);
	cr_assert(ne(ptr, a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(str, (char *)last_path(), (char *)first));
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_assert(ne(ptr, b = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(str, (char *)last_path(), (char *)fast));
	cr_expect(eq(int, helper_slab_last_level(), 1));

	tid = tid_of(0);
	cr_assert(ne(ptr, x = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1), NULL));
	cr_expect(eq(str, (char *)last_path(), (char *)mismatch));
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	cr_expect(eq(u64, tid_of(0), next_tid(next_tid(tid))));
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 2));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	helper_slab_free(0, a);
	helper_slab_free(0, b);
	helper_slab_free(0, x);
}

Test(slub_paths, alloc_new_fast_and_node_mismatch_61, .fini = down)
{
	alloc_paths(KERNEL_6_1, "___slab_alloc:reread_slab ___slab_alloc:new_slab ___slab_alloc:new_objects "
		    "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab ___slab_alloc:load_freelist",
		    "slab_alloc_node:fastpath",
		    "___slab_alloc:reread_slab ___slab_alloc:node_mismatch ___slab_alloc:deactivate_slab "
		    "deactivate_slab:M_PARTIAL ___slab_alloc:new_slab ___slab_alloc:new_objects "
		    "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab ___slab_alloc:load_freelist");
}

Test(slub_paths, alloc_new_fast_and_node_mismatch_612, .fini = down)
{
	alloc_paths(KERNEL_6_12, "___slab_alloc:reread_slab ___slab_alloc:new_slab ___slab_alloc:new_objects "
		    "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab ___slab_alloc:load_freelist",
		    "__slab_alloc_node:fastpath",
		    "___slab_alloc:reread_slab ___slab_alloc:node_mismatch ___slab_alloc:deactivate_slab "
		    "deactivate_slab:partial ___slab_alloc:new_slab ___slab_alloc:new_objects "
		    "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab ___slab_alloc:load_freelist");
}

/*
 * put_cpu_partial(s, slab, 1) of a full slab's first free on CPU 1 while CPU 1's chain
 * already holds cpu_partial_slabs (1) slabs: the chain goes first (6.1: __unfreeze_partials,
 * 6.12: __put_partials); its slab A is empty and nr_partial 0 >= min_partial 0: discarded
 * (DEACTIVATE_EMPTY, discard_slab, FREE_SLAB), then CPU_PARTIAL_DRAIN.  With min_partial 1
 * instead, A goes to the node list's tail (FREE_ADD_PARTIAL) and stays.
 */
static void drain_paths(enum kernel_version v, unsigned long min_partial, const char *first_free,
			const char *drain)
{
	void *a[OBJS], *b[OBJS];
	unsigned long slabs;

	up(v);
	for (int i = 0; i < OBJS; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int i = 0; i < OBJS; i++)
		b[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);	/* B is full, off every list */
	s->cpu_partial_slabs = 1;
	s->min_partial = min_partial;
	helper_slab_free(1, a[0]);
	cr_expect(eq(str, (char *)last_path(), (char *)first_free));
	for (int i = 1; i < OBJS; i++)
		helper_slab_free(1, a[i]);
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 1));
	slabs = get_node(s, 0)->nr_slabs;
	helper_slab_free(1, b[0]);
	cr_expect(eq(str, (char *)last_path(), (char *)drain));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 2));
	cr_expect(eq(ulong, st(CPU_PARTIAL_DRAIN), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_EMPTY), min_partial ? 0 : 1));
	cr_expect(eq(ulong, st(FREE_SLAB), min_partial ? 0 : 1));
	cr_expect(eq(ulong, st(FREE_ADD_PARTIAL), min_partial ? 1 : 0));
	cr_expect(eq(ulong, get_node(s, 0)->nr_slabs, min_partial ? slabs : slabs - 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, min_partial ? 1 : 0));
	cr_expect(eq(ptr, (void *)per_cpu_ptr(s->cpu_slab, 1)->partial, (void *)virt_to_slab(b[0])));
}

Test(slub_paths, drain_discards_an_empty_slab_61, .fini = down)
{
	drain_paths(KERNEL_6_1, 0, "__slab_free:cpu_partial",
		    "__slab_free:cpu_partial put_cpu_partial:drain __unfreeze_partials:discard");
}

Test(slub_paths, drain_keeps_an_empty_slab_61, .fini = down)
{
	drain_paths(KERNEL_6_1, 1, "__slab_free:cpu_partial", "__slab_free:cpu_partial put_cpu_partial:drain");
}

Test(slub_paths, drain_discards_an_empty_slab_612, .fini = down)
{
	drain_paths(KERNEL_6_12, 0, "__slab_free:cpu_partial",
		    "__slab_free:cpu_partial put_cpu_partial:drain __put_partials:discard");
}

Test(slub_paths, drain_keeps_an_empty_slab_612, .fini = down)
{
	drain_paths(KERNEL_6_12, 1, "__slab_free:cpu_partial", "__slab_free:cpu_partial put_cpu_partial:drain");
}

/*
 * kmem_cache_alloc_bulk (mm/slub.c, 6.1 and 6.12) whose ___slab_alloc finds no memory: the
 * objects taken so far go back (goto error: kmem_cache_free_bulk) and it returns 0.  Each
 * object is an operation of its own: the 15 from c->freelist end on the fast label, the 16th
 * ends too, on the slow path that ran out of memory (slab_out_of_memory), with no object.
 * One node of 64 MiB whose every page is taken first; GFP_NOWAIT: no reclaim to wait for.
 */
static void bulk_oom_case(enum kernel_version v)
{
	static struct page *pages[1 << 15];
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct helper_slab_log log;
	void *first, *p[20];
	size_t n = 0, ended = 0;

	kernel_version = v;
	cr_assert(msc != NULL);
	sim_scenario_default(msc);
	msc->nr_nodes = 1;
	memset(&msc->node[1], 0, sizeof(msc->node[1]));
	msc->node[0].nr_cpus = 2;
	msc->node[0].zone_mib[ZONE_DMA] = 16;
	msc->node[0].zone_mib[ZONE_DMA32] = 48;
	sc = helper_slub_machine_up_sc(msc, false);
	cr_assert(sc != NULL);
	s = kmem_cache_create("paths_test", 256, 0, 0, false);
	cr_assert(s != NULL);
	helper_slab_log_start(&plog);
	cr_assert(ne(ptr, first = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	while (n < sizeof(pages) / sizeof(pages[0]) &&
	       (pages[n] = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		n++;
	cr_assert(lt(ulong, 1000, n));
	helper_slab_log_stop(&plog);

	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	cr_expect(eq(int, kmem_cache_alloc_bulk(s, GFP_NOWAIT | __GFP_NOWARN, 20, p), 0));
	for (size_t i = 0; i < log.nr; i++)
		if (log.ops[i].kind == SIM_OP_OBJ_ALLOC)
			ended++;
	cr_expect(eq(ulong, ended, OBJS));
	cr_expect(eq(ulong, helper_slab_count_label(&log, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:freelist"),
		     OBJS - 1));
	cr_expect(eq(ulong, helper_slab_count_label(&log, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:slowpath"), 1));
	cr_expect(eq(ulong, helper_slab_count_label(&log, SIM_OP_OBJ_ALLOC, "___slab_alloc:out_of_memory"), 1));
	helper_slab_log_stop(&log);
	helper_slab_log_start(&plog);
	for (size_t i = 0; i < n; i++)
		__free_pages(pages[i], 0);
	helper_slab_free(0, first);
}

Test(slub_paths, a_failed_bulk_ends_every_object_s_operation_61, .fini = down)
{
	bulk_oom_case(KERNEL_6_1);
}

Test(slub_paths, a_failed_bulk_ends_every_object_s_operation_612, .fini = down)
{
	bulk_oom_case(KERNEL_6_12);
}

/* Per bulk-allocated object: its path's kind and the IRQ state of the vCPU when it ended. */
static int bulk_fast, bulk_fast_irqs_off, bulk_slow, bulk_slow_irqs_off;

static void bulk_sink(const struct sim_op *op, void *arg)
{
	(void)arg;
	if (op->kind != SIM_OP_OBJ_ALLOC)
		return;
	if (helper_slab_op_has_label(op, "kmem_cache_alloc_bulk:freelist")) {
		bulk_fast++;
		bulk_fast_irqs_off += sim->cur->irqs_disabled;
	} else if (helper_slab_op_has_label(op, "kmem_cache_alloc_bulk:slowpath")) {
		bulk_slow++;
		bulk_slow_irqs_off += sim->cur->irqs_disabled;
	}
}

/*
 * kmem_cache_alloc_bulk (mm/slub.c, 6.1 and 6.12) takes c->freelist's objects under
 * local_lock_irq / local_lock_irqsave, and lets go of the lock (IRQs on) before it calls
 * ___slab_alloc for the object the empty freelist did not have: 20 objects from a cpu slab
 * with 15 free: 15 taken with IRQs off, the 16th from the slow path with IRQs on (its
 * operation ends before the lock is taken again), the last 4 from the new slab's freelist
 * with IRQs off; IRQs on after the call.
 */
static void bulk_irqs_case(enum kernel_version v)
{
	void *a, *p[20];

	up(v);
	cr_assert(ne(ptr, a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	helper_slab_log_stop(&plog);
	bulk_fast = bulk_fast_irqs_off = bulk_slow = bulk_slow_irqs_off = 0;
	sim_path_set_sink(bulk_sink, NULL);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, p), 20));
	sim_path_set_sink(NULL, NULL);
	helper_slab_log_start(&plog);
	cr_expect(eq(int, bulk_fast, 19));
	cr_expect(eq(int, bulk_fast_irqs_off, 19));
	cr_expect(eq(int, bulk_slow, 1));
	cr_expect(eq(int, bulk_slow_irqs_off, 0));
	cr_expect(not(sim->cur->irqs_disabled));
	kmem_cache_free_bulk(s, 20, p);
	helper_slab_free(0, a);
}

Test(slub_paths, a_bulk_s_slow_path_runs_with_irqs_on_61, .fini = down)
{
	bulk_irqs_case(KERNEL_6_1);
}

Test(slub_paths, a_bulk_s_slow_path_runs_with_irqs_on_612, .fini = down)
{
	bulk_irqs_case(KERNEL_6_12);
}

/*
 * flush_all (mm/slub.c, 6.1 and 6.12) runs flush_cpu_slab on each CPU that has a cpu slab or
 * a partial chain (has_cpu_slab): flush_slab empties c->slab and c->freelist and bumps
 * c->tid once under the local lock (CPUSLAB_FLUSH for the slab).  CPUs 0 and 1 hold a cpu
 * slab each, CPUs 2 and 3 nothing: tids of 0 and 1 move one TID_STEP, 2 and 3 stay.  Then
 * __flush_cpu_slab (the dead-CPU flush) bumps the tid whether or not there is a slab.
 */
static void flush_tid_case(enum kernel_version v)
{
	uint64_t tid[4];
	void *a, *b;

	up(v);
	cr_assert(ne(ptr, a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_assert(ne(ptr, b = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	for (int cpu = 0; cpu < 4; cpu++)
		tid[cpu] = tid_of(cpu);
	flush_all(s);
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 2));
	for (int cpu = 0; cpu < 4; cpu++)
		cr_expect(eq(u64, tid_of(cpu), cpu < 2 ? next_tid(tid[cpu]) : tid[cpu]), "cpu %d", cpu);
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_expect(eq(ptr, (void *)per_cpu_ptr(s->cpu_slab, cpu)->slab, NULL));
		tid[cpu] = tid_of(cpu);
	}
	__flush_cpu_slab(s, 3);
	cr_expect(eq(u64, tid_of(3), next_tid(tid[3])));
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 2));
	helper_slab_free(0, a);
	helper_slab_free(1, b);
}

Test(slub_paths, flush_bumps_the_tid_of_each_flushed_cpu_61, .fini = down)
{
	flush_tid_case(KERNEL_6_1);
}

Test(slub_paths, flush_bumps_the_tid_of_each_flushed_cpu_612, .fini = down)
{
	flush_tid_case(KERNEL_6_12);
}
