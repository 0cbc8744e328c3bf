/*
 * test_slub.c - the SLUB model (models/slub) and the common slab layer
 * under it (models/slab_common/slab_common.c).
 *
 * Strategy: craft a state with a few allocations and frees on chosen vCPUs
 * (no engine running: each call runs to completion), make one more call,
 * and assert its path level and labels, the CONFIG_SLUB_STATS counters the
 * kernel would bump, and where the slabs went.  Races use a running engine:
 * a task allocates while an interrupt lands between its tid read and its
 * cmpxchg.  A random mixed run checks that the counters agree with the
 * path log and that slub_check holds; two runs with one seed must match.
 *
 * The test cache "slub_test" holds 256-byte objects (no merging: no other
 * cache of that geometry accepts aliases): order 0, 16 objects per slab,
 * cpu_partial_slabs 7, min_partial 5.  Freelists are in address order
 * (CONFIG_SLAB_FREELIST_RANDOM off) unless a test says otherwise.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

#define OBJS 16				/* objects per slab of slub_test */

static struct sim_scenario *sc;
static struct kmem_cache *s;
static struct helper_slab_log plog;

static void setup(void)
{
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
}

TestSuite(slub, .init = setup, .fini = teardown);

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

static size_t count_kind(int kind)
{
	size_t n = 0;

	for (size_t i = 0; i < plog.nr; i++)
		n += plog.ops[i].kind == kind;
	return n;
}

static void expect_consistent(void)
{
	cr_expect(slub_check(stderr), "slub_check");
}

/* ------------------------------------------------------------------ */
/* Levels L1..L5 from crafted states                                   */

Test(slub, l5_new_slab_then_l1_fastpath)
{
	void *a, *b;

	a = alloc_on(0);
	cr_assert(a != NULL);
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("___slab_alloc:alloc_slab"));
	cr_expect(eq(int, helper_slab_last_op()->cache, s->id));
	cr_expect(eq(u32, helper_slab_last_op()->size, 256));
	cr_expect(eq(u64, helper_slab_last_op()->addr, ptr_u64(a)));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 0));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 1));
	/* The page allocation is a nested operation of its own. */
	cr_expect(eq(ulong, count_kind(SIM_OP_PAGE_ALLOC), 1));
	cr_expect(eq(u64, plog.ops[0].parent_seq, helper_slab_last_op()->seq));

	b = alloc_on(0);
	cr_expect(eq(int, helper_slab_last_level(), 1));
	cr_expect(last_has("slab_alloc_node:fastpath"));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 1));
	/* Address order: the second object follows the first. */
	cr_expect(eq(u64, ptr_u64(b), ptr_u64(a) + 256));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, virt_to_slab(a)));
	expect_consistent();
}

Test(slub, l2_get_freelist_takes_remote_frees)
{
	void *obj[OBJS];

	for (int i = 0; i < OBJS; i++)
		obj[i] = alloc_on(0);
	/* CPU 1 frees into CPU 0's cpu slab: slow path, the slab is frozen. */
	free_on(1, obj[3]);
	cr_expect(eq(int, helper_slab_last_level(), 2));
	cr_expect(last_has("__slab_free:frozen"));
	cr_expect(eq(ulong, slub_stat(s, FREE_FROZEN, 1), 1));
	cr_expect(eq(ptr, virt_to_slab(obj[0])->freelist, obj[3]));

	/* c->freelist is empty: the slow path takes slab->freelist over. */
	cr_expect(eq(ptr, alloc_on(0), obj[3]));
	cr_expect(eq(int, helper_slab_last_level(), 2));
	cr_expect(last_has("___slab_alloc:get_freelist"));
	cr_expect(eq(ulong, st(ALLOC_REFILL), 1));
	cr_expect(eq(ptr, virt_to_slab(obj[0])->freelist, NULL));
	cr_expect(eq(u32, virt_to_slab(obj[0])->inuse, OBJS));
	expect_consistent();
}

Test(slub, l3_cpu_partial)
{
	void *a[OBJS], *b[OBJS];
	struct slab *sa;

	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);
	/* Slab A is full: the next allocation drops it (bypass) for a new slab B. */
	b[0] = alloc_on(0);
	cr_expect(ne(ptr, virt_to_slab(b[0]), sa));
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("___slab_alloc:deactivate_bypass"));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	cr_expect(eq(u32, sa->frozen, 0));

	/* Freeing into the full, unlisted A freezes it onto this CPU's partial chain. */
	free_on(0, a[5]);
	cr_expect(last_has("__slab_free:cpu_partial"));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 1));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->partial, sa));
	cr_expect(eq(u32, sa->frozen, 1));
	cr_expect(eq(int, sa->slabs, 1));

	for (int i = 1; i < OBJS; i++)
		b[i] = alloc_on(0);
	cr_expect(eq(int, helper_slab_last_level(), 1));
	cr_expect(eq(ptr, virt_to_slab(b[OBJS - 1]), virt_to_slab(b[0])));

	/* B is used up: the slab on c->partial becomes the cpu slab. */
	cr_expect(eq(ptr, alloc_on(0), a[5]));
	cr_expect(eq(int, helper_slab_last_level(), 3));
	cr_expect(last_has("___slab_alloc:cpu_partial_alloc"));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 1));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, sa));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->partial, NULL));
	expect_consistent();
}

Test(slub, l4_node_partial_after_node_mismatch)
{
	void *a[4], *x;
	struct slab *sa;
	struct kmem_cache_node *n0 = get_node(s, 0);

	for (int i = 0; i < 4; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);
	cr_expect(eq(int, sa->nid, 0));

	/* A node-1 request on CPU 0: the cpu slab is on node 0, deactivate it. */
	x = alloc_on_node(0, 1);
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("___slab_alloc:node_mismatch"));
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 1));
	cr_expect(eq(int, virt_to_slab(x)->nid, 1));
	cr_expect(eq(ulong, n0->nr_partial, 1));
	cr_expect(eq(ptr, list_first_entry(&n0->partial, struct slab, slab_list), sa));

	/* CPU 1 (node 0) has nothing: it takes A from the node list. */
	cr_expect(eq(ptr, alloc_on(1), (void *)((char *)a[3] + 256)));
	cr_expect(eq(int, helper_slab_last_level(), 4));
	cr_expect(last_has("get_partial_node:acquire"));
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_expect(eq(ulong, n0->nr_partial, 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 1)->slab, sa));
	expect_consistent();
}

Test(slub, l4_remote_node_partial)
{
	void *a[4];
	struct slab *sa;

	for (int i = 0; i < 4; i++)
		a[i] = alloc_on(0);
	sa = virt_to_slab(a[0]);
	alloc_on_node(0, 1);			/* A goes to node 0's partial list */
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));

	/* Any partial slab counts; with the defrag ratio at 0 no remote search is made. */
	s->min_partial = 0;
	s->remote_node_defrag_ratio = 0;
	alloc_on(3);			/* node 1, whose list is empty: a new slab */
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("get_any_partial:defrag_ratio"));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 1));

	/* A ratio the draw always passes: CPU 2 (node 1) finds A on node 0. */
	s->remote_node_defrag_ratio = 1023;
	alloc_on(2);
	cr_expect(eq(int, helper_slab_last_level(), 4));
	cr_expect(last_has("get_any_partial:remote"));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 2)->slab, sa));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
	expect_consistent();
}

/* get_partial_node also moves up to cpu_partial_slabs / 2 + 1 more slabs to the CPU's chain. */
Test(slub, get_partial_node_fills_cpu_partial)
{
	void *obj[10][OBJS];

	/* Ten slabs with one free object each on node 0's partial list. */
	for (int k = 0; k < 10; k++)
		for (int i = 0; i < OBJS; i++)
			obj[k][i] = alloc_on(0);
	flush_all(s);
	s->min_partial = 10;
	for (int k = 0; k < 10; k++)
		free_on(1, obj[k][0]);	/* full unfrozen slabs: frozen onto CPU 1's chain */
	/* CPU 1's chain held at most cpu_partial_slabs (7); the drain put them on the node list. */
	cr_expect(ge(ulong, st(CPU_PARTIAL_DRAIN), 1));
	flush_all(s);
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 10));

	alloc_on(0);
	cr_expect(eq(int, helper_slab_last_level(), 4));
	/* cpu_partial_slabs 7: extra slabs until more than 7 / 2 were moved. */
	cr_expect(eq(ulong, st(CPU_PARTIAL_NODE), 4));
	cr_expect(eq(int, raw_cpu_ptr(s->cpu_slab)->partial->slabs, 4));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 5));
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* Frees                                                               */

Test(slub, free_fast_and_cross_cpu_to_cpu_partial)
{
	void *a[OBJS], *b;

	for (int i = 0; i < OBJS; i++)
		a[i] = alloc_on(0);
	free_on(0, a[0]);
	cr_expect(eq(int, helper_slab_last_level(), 1));
	cr_expect(last_has("do_slab_free:fastpath"));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->freelist, a[0]));
	a[0] = alloc_on(0);
	b = alloc_on(0);		/* A full: bypass, new slab */
	(void)b;

	/* CPU 2 (node 1) frees an object of CPU 0's old, full slab A. */
	free_on(2, a[7]);
	cr_expect(eq(int, helper_slab_last_level(), 2));
	cr_expect(last_has("__slab_free:cpu_partial"));
	cr_expect(eq(ulong, slub_stat(s, FREE_SLOWPATH, 2), 1));
	cr_expect(eq(ulong, slub_stat(s, CPU_PARTIAL_FREE, 2), 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 2)->partial, virt_to_slab(a[0])));

	/* A second free into A, now frozen on CPU 2's chain, from CPU 3. */
	free_on(3, a[8]);
	cr_expect(last_has("__slab_free:frozen"));
	cr_expect(eq(ulong, slub_stat(s, FREE_FROZEN, 3), 1));
	expect_consistent();
}

Test(slub, deactivate_with_remote_frees_goes_to_tail)
{
	void *a[6];

	for (int i = 0; i < 6; i++)
		a[i] = alloc_on(0);
	free_on(1, a[2]);		/* remote free into the cpu slab */
	flush_all(s);
	cr_expect(eq(ulong, st(DEACTIVATE_REMOTE_FREES), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_TAIL), 1));
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 1));
	cr_expect(eq(u32, virt_to_slab(a[0])->inuse, 5));
	cr_expect(eq(u32, virt_to_slab(a[0])->frozen, 0));
	expect_consistent();
}

/* Freeing everything gives every slab back except the empty ones min_partial keeps. */
Test(slub, free_everything_returns_slabs)
{
	enum { N = 300 };
	static void *obj[N];
	uint64_t free_before = 0, free_after = 0;
	unsigned long kept = 0;

	for (int nid = 0; nid < buddy_nr_nodes(); nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (buddy_zone_populated(nid, zid)) {
				free_before += buddy_zone_free_pages(nid, zid);
				for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
					struct buddy_pcp_info pi;

					buddy_pcp_info(nid, zid, cpu, &pi);
					free_before += (uint64_t)pi.count;
				}
			}
	for (int i = 0; i < N; i++)
		obj[i] = alloc_on(i % 4);
	for (int i = 0; i < N; i++)
		free_on((i * 7) % 4, obj[i]);
	flush_all(s);

	for (int nid = 0; nid < 2; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);
		struct slab *slab;

		cr_expect(le(ulong, n->nr_partial, s->min_partial), "node %d", nid);
		cr_expect(eq(long, n->nr_slabs, (long)n->nr_partial), "node %d", nid);
		list_for_each_entry(slab, &n->partial, slab_list)
			cr_expect(eq(u32, slab->inuse, 0));
		kept += n->nr_partial;
	}
	for (int nid = 0; nid < buddy_nr_nodes(); nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			if (buddy_zone_populated(nid, zid)) {
				free_after += buddy_zone_free_pages(nid, zid);
				for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
					struct buddy_pcp_info pi;

					buddy_pcp_info(nid, zid, cpu, &pi);
					free_after += (uint64_t)pi.count;
				}
			}
	cr_expect(eq(u64, free_before - free_after, kept), "only the kept slabs' pages stay out");
	cr_expect(eq(ulong, st(FREE_SLAB) + kept, st(ALLOC_SLAB)));
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* Counters agree with the path log                                    */

static size_t count_label_occurrences(int kind, const char *label)
{
	size_t n = 0;

	for (size_t i = 0; i < plog.nr; i++) {
		const struct sim_op *op = &plog.ops[i];

		if (op->kind != kind)
			continue;
		for (unsigned int j = 0; j < op->nr_labels; j++)
			if (!strcmp(sim_path_label_name(op->labels[j]), label))
				n++;
	}
	return n;
}

/* Alloc ops whose last source was the CPU partial chain. */
static size_t count_final_cpu_partial(void)
{
	size_t n = 0;

	for (size_t i = 0; i < plog.nr; i++) {
		const struct sim_op *op = &plog.ops[i];

		if (op->kind == SIM_OP_OBJ_ALLOC &&
		    helper_slab_op_has_label(op, "___slab_alloc:cpu_partial_alloc") &&
		    !helper_slab_op_has_label(op, "get_partial_node:acquire") &&
		    !helper_slab_op_has_label(op, "___slab_alloc:alloc_slab"))
			n++;
	}
	return n;
}

Test(slub, stats_match_path_log)
{
	enum { N = 3000, LIVE = 400 };
	static void *live[LIVE];
	struct sim_prng r;
	size_t nr_alloc = 0, nr_free = 0;

	sim_prng_seed(&r, 42);
	for (int i = 0; i < N; i++) {
		int cpu = (int)sim_prng_below(&r, 4);
		int k = (int)sim_prng_below(&r, LIVE);

		if (live[k]) {
			free_on(cpu, live[k]);
			live[k] = NULL;
			nr_free++;
		} else {
			int node = sim_prng_below(&r, 8) == 0 ? (int)sim_prng_below(&r, 2) : NUMA_NO_NODE;

			live[k] = alloc_on_node(cpu, node);
			cr_assert(live[k] != NULL);
			nr_alloc++;
		}
	}
	cr_expect(eq(ulong, st(ALLOC_FASTPATH) + st(ALLOC_SLOWPATH), nr_alloc));
	cr_expect(eq(ulong, st(FREE_FASTPATH) + st(FREE_SLOWPATH), nr_free));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), count_label_occurrences(SIM_OP_OBJ_ALLOC, "slab_alloc_node:fastpath")));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH) + count_label_occurrences(SIM_OP_OBJ_ALLOC, "___slab_alloc:cpu_freelist"),
		     helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 1)));
	cr_expect(eq(ulong, st(ALLOC_REFILL), count_label_occurrences(SIM_OP_OBJ_ALLOC, "___slab_alloc:get_freelist")));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), count_label_occurrences(SIM_OP_OBJ_ALLOC, "___slab_alloc:cpu_partial_alloc")));
	/* An op that took a CPU partial slab may still go further (node mismatch). */
	cr_expect(le(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 3), st(CPU_PARTIAL_ALLOC)));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 3),
		     count_final_cpu_partial()));
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), count_label_occurrences(SIM_OP_OBJ_ALLOC, "get_partial_node:acquire")));
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 4)));
	cr_expect(eq(ulong, st(ALLOC_SLAB), helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 5)));
	cr_expect(eq(ulong, st(ALLOC_SLAB), helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, "___slab_alloc:alloc_slab")));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), count_label_occurrences(SIM_OP_OBJ_ALLOC, "___slab_alloc:deactivate_bypass")));
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), count_label_occurrences(SIM_OP_OBJ_ALLOC, "___slab_alloc:node_mismatch")));
	cr_expect(eq(ulong, st(FREE_FASTPATH), helper_slab_count_level(&plog, SIM_OP_OBJ_FREE, 1)));
	cr_expect(eq(ulong, st(FREE_SLOWPATH), helper_slab_count_level(&plog, SIM_OP_OBJ_FREE, 2)));
	cr_expect(eq(ulong, st(FREE_FROZEN), count_label_occurrences(SIM_OP_OBJ_FREE, "__slab_free:frozen")));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), count_label_occurrences(SIM_OP_OBJ_FREE, "__slab_free:cpu_partial")));
	cr_expect(eq(ulong, st(CPU_PARTIAL_DRAIN), count_label_occurrences(SIM_OP_OBJ_FREE, "put_cpu_partial:drain")));
	cr_expect(eq(ulong, st(FREE_SLAB),
		     count_label_occurrences(SIM_OP_OBJ_FREE, "__slab_free:slab_empty") +
		     count_label_occurrences(SIM_OP_OBJ_FREE, "__unfreeze_partials:discard") +
		     count_label_occurrences(SIM_OP_OBJ_ALLOC, "deactivate_slab:M_FREE") +
		     count_label_occurrences(SIM_OP_OBJ_FREE, "deactivate_slab:M_FREE")));
	cr_expect(eq(ulong, st(DEACTIVATE_FULL),
		     count_label_occurrences(SIM_OP_OBJ_ALLOC, "deactivate_slab:M_FULL_NOLIST")));
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD) + st(DEACTIVATE_TO_TAIL),
		     count_label_occurrences(SIM_OP_OBJ_ALLOC, "deactivate_slab:M_PARTIAL")));
	/* Each new slab and each freed slab is one nested page operation. */
	cr_expect(eq(ulong, st(ALLOC_SLAB), count_kind(SIM_OP_PAGE_ALLOC)));
	cr_expect(eq(ulong, st(FREE_SLAB), count_kind(SIM_OP_PAGE_FREE)));
	cr_expect(lt(ulong, 0, st(ALLOC_SLOWPATH)));
	cr_expect(lt(ulong, 0, st(FREE_SLOWPATH)));
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* Races: a running engine, interrupts between the tid read and the cmpxchg */

/* One object operation from a task or an interrupt handler (engine running). */
static struct sim_op task_last_op;

static void *op_alloc_node(gfp_t gfp, int node)
{
	struct sim_op op;
	void *p;

	memset(&op, 0, sizeof(op));
	op.trace_line = -1;
	op.cache = op.mem_node = -1;
	op.zone = op.order = op.migratetype = -1;
	op.gfp = gfp;
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	p = kmem_cache_alloc_node(s, gfp, node);
	sim_op_end(&op);
	if (!in_interrupt())
		task_last_op = op;
	return p;
}

static void *op_alloc(gfp_t gfp)
{
	return op_alloc_node(gfp, NUMA_NO_NODE);
}

static void op_free(void *obj)
{
	struct sim_op op;

	memset(&op, 0, sizeof(op));
	op.trace_line = -1;
	op.cache = op.mem_node = -1;
	op.zone = op.order = op.migratetype = -1;
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(s, obj);
	sim_op_end(&op);
}

struct race {
	uint64_t delay;			/* interrupt this long after the task starts its alloc */
	bool aba;			/* the handler takes two objects and frees the first */
	void *first, *mine, *after;	/* the task's objects */
	void *irq_a, *irq_b;		/* the handler's */
	struct sim_op mine_op;
};
static struct race race;

static void race_irq(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	race.irq_a = op_alloc(GFP_ATOMIC);
	if (race.aba) {
		race.irq_b = op_alloc(GFP_ATOMIC);
		op_free(race.irq_a);
	}
}

static void race_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	race.first = op_alloc(GFP_KERNEL);	/* fills the cpu slab */
	/*
	 * The fast path yields at READ_ONCE(c->tid) (local memory cost 5 ns)
	 * and at the cmpxchg (20 ns): an interrupt due in between lands after
	 * the tid was read and before the cmpxchg.
	 */
	sim_irq_raise(0, sim_now() + race.delay, race_irq, NULL);
	race.mine = op_alloc(GFP_KERNEL);
	race.mine_op = task_last_op;
	race.after = op_alloc(GFP_KERNEL);
}

static void run_race(uint64_t delay, bool aba)
{
	memset(&race, 0, sizeof(race));
	race.delay = delay;
	race.aba = aba;
	cr_assert(sim_task_create(0, true, 100, race_task, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
}

Test(slub, irq_between_tid_and_cmpxchg_retries)
{
	run_race(10, false);
	cr_expect(eq(u32, race.mine_op.retries, 1));
	cr_expect(helper_slab_op_has_label(&race.mine_op, "slab_alloc_node:cmpxchg_fail"));
	cr_expect(eq(int, race.mine_op.level, 1));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_CPU_FAIL), 1));
	/* The handler took the object the task had read; the task got the next one. */
	cr_expect(eq(u64, ptr_u64(race.irq_a), ptr_u64(race.first) + 256));
	cr_expect(eq(u64, ptr_u64(race.mine), ptr_u64(race.first) + 512));
	expect_consistent();
}

Test(slub, irq_before_tid_read_no_retry)
{
	run_race(1, false);		/* due at the tid read's yield: handled before the read */
	cr_expect(eq(u32, race.mine_op.retries, 0));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_CPU_FAIL), 0));
	cr_expect(eq(u64, ptr_u64(race.mine), ptr_u64(race.irq_a) + 256));
}

/* The ABA the tid exists for: with the tid compare, no object is handed out twice. */
Test(slub, tid_guard_stops_aba)
{
	run_race(10, true);
	cr_expect(eq(u32, race.mine_op.retries, 1));
	cr_expect(eq(ptr, race.mine, race.irq_a), "the freed object, again at the head");
	cr_expect(ne(ptr, race.after, race.irq_b), "no double allocation");
	expect_consistent();
}

Test(slub, tid_guard_off_hands_out_twice)
{
	sim->guard_off[SIM_GUARD_SLUB_TID] = true;
	run_race(10, true);
	cr_expect(eq(u32, race.mine_op.retries, 0), "the freelist alone compares equal");
	cr_expect(eq(ptr, race.mine, race.irq_a));
	cr_expect(eq(ptr, race.after, race.irq_b), "the stale next object: allocated twice");
}

/* ------------------------------------------------------------------ */
/* Determinism of a multi-vCPU run                                     */

struct mixed_task {
	struct sim_prng r;
	int nr_ops;
	void *live[64];
};

static void mixed_irq(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	op_free(op_alloc(GFP_ATOMIC));
}

static void mixed_fn(struct sim_task *t, void *arg)
{
	struct mixed_task *m = arg;

	(void)t;
	for (int i = 0; i < m->nr_ops; i++) {
		int k = (int)sim_prng_below(&m->r, 64);

		if (sim_prng_below(&m->r, 16) == 0)
			sim_irq_raise(raw_smp_processor_id(), sim_now() + sim_prng_below(&m->r, 200),
				      mixed_irq, NULL);
		if (m->live[k]) {
			op_free(m->live[k]);
			m->live[k] = NULL;
		} else {
			m->live[k] = op_alloc(GFP_KERNEL);
		}
		sim_yield((uint32_t)sim_prng_below(&m->r, 100));
	}
	for (int k = 0; k < 64; k++)
		if (m->live[k])
			op_free(m->live[k]);
}

static uint64_t fnv(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* An 8-task, 4-vCPU run with preemption, migration and interrupts; the hash of its operations. */
static uint64_t mixed_run(uint64_t seed)
{
	static struct mixed_task m[8];
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	uint64_t h = 0xcbf29ce484222325ULL;

	cr_assert(msc != NULL);
	sim_scenario_default(msc);
	msc->seed = seed;
	msc->preempt_model = SIM_PREEMPT_FULL;
	msc->slice_ns = 20000;
	msc->hz = 200000;		/* a tick every 5 us, so that slices end mid-run */
	msc->migrate_pct = 30;
	sc = helper_slub_machine_up_sc(msc, true);
	cr_assert(sc != NULL);
	s = kmem_cache_create("slub_test", 256, 0, 0, false);
	helper_slab_log_start(&plog);
	/* Two tasks per vCPU, so that slices end and tasks are preempted and moved. */
	for (int i = 0; i < 8; i++) {
		sim_prng_seed(&m[i].r, seed * 16 + (uint64_t)i);
		m[i].nr_ops = 300;
		memset(m[i].live, 0, sizeof(m[i].live));
		cr_assert(sim_task_create(i % 4, false, 200 + i, mixed_fn, &m[i]) != NULL);
	}
	cr_assert(eq(int, sim_engine_run(), 0));
	for (size_t i = 0; i < plog.nr; i++) {
		const struct sim_op *op = &plog.ops[i];

		h = fnv(h, op->seq);
		h = fnv(h, (uint64_t)op->kind << 32 | (uint16_t)op->cpu);
		h = fnv(h, op->addr);
		h = fnv(h, (uint64_t)op->level << 32 | op->retries);
		h = fnv(h, op->start_ns);
		h = fnv(h, op->end_ns);
		for (unsigned int j = 0; j < op->nr_labels; j++)
			h = fnv(h, op->labels[j]);
	}
	cr_expect(lt(u64, 8 * 300, plog.nr), "the run logged its operations");
	cr_expect(lt(u64, 0, sim->nr_preemptions));
	cr_expect(lt(u64, 0, sim->nr_migrations));
	cr_expect(lt(ulong, 0, st(CMPXCHG_DOUBLE_CPU_FAIL) + st(CMPXCHG_DOUBLE_FAIL) + st(FREE_SLOWPATH)));
	expect_consistent();
	/* Everything was freed: every object of the cache is free again. */
	{
		struct slab_cache_info info;

		slub_flush_all(s);
		slub_allocator.info(s, &info);
		cr_expect(eq(ulong, info.active_objs, 0));
	}
	return h;
}

Test(slub, same_seed_same_run)
{
	uint64_t h1, h2, h3;

	teardown();
	h1 = mixed_run(7);
	teardown();
	h2 = mixed_run(7);
	teardown();
	h3 = mixed_run(8);
	cr_expect(eq(u64, h1, h2), "same seed, same operations");
	cr_expect(ne(u64, h1, h3), "another seed, another run");
}

/* ------------------------------------------------------------------ */
/* Interrupts inside the slow path                                     */

static void *irq_obj;			/* what the handler frees, or got */

static void irq_free_obj(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	op_free(irq_obj);
}

static void irq_alloc_obj(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	irq_obj = op_alloc(GFP_ATOMIC);
}

struct slow_case {
	int prefill;			/* objects the task takes before the measured alloc */
	uint64_t delay;			/* interrupt this long after the measured alloc starts */
	sim_irq_fn *irq;
	void *objs[OBJS + 1];
	void *mine;
	struct sim_op op;
};
static struct slow_case slow;

static void slow_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	for (int i = 0; i < slow.prefill; i++)
		slow.objs[i] = op_alloc(GFP_KERNEL);
	if (slow.irq == irq_free_obj)
		irq_obj = slow.objs[0];
	/*
	 * Yields of a slow allocation, in simulated ns from its start: the fast
	 * path's tid read (5), preempt_disable (7), this_cpu_ptr (8),
	 * READ_ONCE(c->slab) (13), the local lock's local_irq_save (18).
	 */
	sim_irq_raise(0, sim_now() + slow.delay, slow.irq, NULL);
	slow.mine = op_alloc(GFP_KERNEL);
	slow.op = task_last_op;
}

static void run_slow(int prefill, uint64_t delay, sim_irq_fn *irq)
{
	memset(&slow, 0, sizeof(slow));
	slow.prefill = prefill;
	slow.delay = delay;
	slow.irq = irq;
	cr_assert(sim_task_create(0, true, 300, slow_task, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
}

/* An interrupt frees into c->freelist after the fast path found it empty: L1 under the lock. */
Test(slub, slow_path_finds_cpu_freelist_refilled)
{
	run_slow(OBJS, 10, irq_free_obj);
	cr_expect(eq(ptr, slow.mine, slow.objs[0]));
	cr_expect(eq(int, slow.op.level, 1));
	cr_expect(helper_slab_op_has_label(&slow.op, "___slab_alloc:cpu_freelist"));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 2));	/* the first alloc's, and this one */
	cr_expect(eq(ulong, st(FREE_FASTPATH), 1));
	expect_consistent();
}

/* An interrupt replaces the cpu slab after ___slab_alloc read it: reread_slab. */
Test(slub, slow_path_rereads_replaced_cpu_slab)
{
	run_slow(OBJS, 15, irq_alloc_obj);
	cr_expect(ne(ptr, virt_to_slab(irq_obj), virt_to_slab(slow.objs[0])), "the handler got a new slab");
	cr_expect(eq(ptr, virt_to_slab(slow.mine), virt_to_slab(irq_obj)), "the task uses it");
	cr_expect(eq(u32, slow.op.retries, 1));
	cr_expect(eq(int, slow.op.level, 1));
	cr_expect(helper_slab_op_has_label(&slow.op, "___slab_alloc:cpu_freelist"));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	expect_consistent();
}

/*
 * The same interleaving without the re-check under the local lock: the task
 * takes over the old, unfrozen slab and drops the handler's slab, which
 * stays frozen and unreachable (a leak), and VM_BUG_ON fires.
 */
Test(slub, recheck_guard_off_loses_the_interrupt_slab)
{
	char *text = NULL;
	size_t len = 0;
	FILE *why;

	sim->guard_off[SIM_GUARD_SLUB_RECHECK] = true;
	run_slow(OBJS, 15, irq_alloc_obj);
	cr_expect(ne(ptr, virt_to_slab(slow.mine), virt_to_slab(irq_obj)), "the handler's slab is lost");
	cr_expect(eq(u32, virt_to_slab(irq_obj)->frozen, 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 3));
	why = open_memstream(&text, &len);
	cr_expect(not(slub_check(why)));
	fclose(why);
	cr_expect(ne(ptr, strstr(text, "not frozen"), NULL), "%s", text);
	free(text);
}

/* An interrupt installs a slab while the task is in the page allocator: retry_load_slab flushes it. */
Test(slub, retry_load_slab_flushes_interrupt_slab)
{
	run_slow(0, 40, irq_alloc_obj);
	cr_expect(eq(int, slow.op.level, 5));
	cr_expect(ne(ptr, virt_to_slab(irq_obj), virt_to_slab(slow.mine)));
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, virt_to_slab(slow.mine)));
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 2));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1), "the handler's slab went to the node list");
	expect_consistent();
}

/*
 * retry_load_slab (___slab_alloc, mm/slub.c, 6.1 and 6.12) empties the cpu slab it flushes
 * (c->slab and c->freelist NULL, the tid bumped) before it gives up the local lock and
 * deactivates that slab with IRQs on: meanwhile the CPU has neither a cpu slab nor a cpu
 * freelist.  The interrupt of retry_load_slab_flushes_interrupt_slab (`delay` into the
 * task's allocation, in new_slab); at every yield point of the run, CPU 0's c->freelist is
 * NULL whenever its c->slab is.
 */
static bool freelist_without_slab;

static void cpu0_slab_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	const struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, 0);

	(void)v;
	(void)cost_ns;
	(void)arg;
	if (!c->slab && c->freelist)
		freelist_without_slab = true;
}

static void flush_window_case(enum kernel_version v, uint64_t delay)
{
	teardown();
	kernel_version = v;
	setup();
	freelist_without_slab = false;
	sim->step_hook = cpu0_slab_hook;
	run_slow(0, delay, irq_alloc_obj);
	sim->step_hook = NULL;
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 1), "the interrupt's slab was flushed");
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, virt_to_slab(slow.mine)));
	cr_expect(not(freelist_without_slab));
	expect_consistent();
}

Test(slub, retry_load_slab_empties_the_cpu_slab_before_deactivating)
{
	flush_window_case(KERNEL_6_1, 40);
}

Test(slub, retry_load_slab_empties_the_cpu_slab_before_deactivating_612)
{
	flush_window_case(KERNEL_6_12, 40);
}

/*
 * The same interrupt, counted (___slab_alloc, mm/slub.c, 6.1 and 6.12): CPU 0's tid moves by
 * three TID_STEPs: the handler's load_freelist, then the task's retry_load_slab flush
 * (c->tid = next_tid(c->tid) before deactivate_slab) and its own load_freelist after the
 * goto retry_load_slab, which is the task's one retry.  The task's path: new_slab ... the
 * flush of the handler's slab (15 objects free: a partial deactivation), retry_load_slab again.
 */
static void flush_count_case(enum kernel_version v, const char *deactivated)
{
	char path[512];
	size_t len = 0;
	uint64_t tid;

	teardown();
	kernel_version = v;
	setup();
	tid = per_cpu_ptr(s->cpu_slab, 0)->tid;
	run_slow(0, 40, irq_alloc_obj);
	cr_expect(eq(u64, per_cpu_ptr(s->cpu_slab, 0)->tid, tid + 3 * TID_STEP));
	cr_expect(eq(u32, (uint32_t)slow.op.retries, 1));
	path[0] = '\0';
	for (unsigned int i = 0; i < slow.op.nr_labels; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%s%s", i ? " " : "",
					sim_path_label_name(slow.op.labels[i]));
	cr_expect(eq(str, path, (char *)deactivated));
	expect_consistent();
}

Test(slub, retry_load_slab_flush_bumps_the_tid_and_retries_once)
{
	flush_count_case(KERNEL_6_1, "___slab_alloc:reread_slab ___slab_alloc:new_slab ___slab_alloc:new_objects "
			 "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab deactivate_slab:M_PARTIAL "
			 "___slab_alloc:retry_load_slab ___slab_alloc:load_freelist");
}

Test(slub, retry_load_slab_flush_bumps_the_tid_and_retries_once_612)
{
	flush_count_case(KERNEL_6_12, "___slab_alloc:reread_slab ___slab_alloc:new_slab ___slab_alloc:new_objects "
			 "___slab_alloc:alloc_slab ___slab_alloc:retry_load_slab deactivate_slab:partial "
			 "___slab_alloc:retry_load_slab ___slab_alloc:load_freelist");
}

/*
 * ___slab_alloc's deactivate_slab (mm/slub.c, 6.1 and 6.12): after a node mismatch the slow
 * path takes the local lock and checks that c->slab is still the slab it read; if an
 * interrupt replaced it meanwhile it gives the lock back (local_unlock_irqrestore) and
 * goes back to reread_slab.  CPU 0's cpu slab A is full; the task asks for node 1 and an
 * interrupt `delay` ns in allocates (it finds A full, drops it and takes a new slab B).  An
 * interrupt between READ_ONCE(c->slab) and the lock shows as two node mismatches (A, then
 * B) and one retry; every delay ends with the object on node 1, the lock free, IRQs on.
 */
static void mismatch_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	for (int i = 0; i < OBJS; i++)
		slow.objs[i] = op_alloc(GFP_KERNEL);
	sim_irq_raise(0, sim_now() + slow.delay, irq_alloc_obj, NULL);
	slow.mine = op_alloc_node(GFP_KERNEL, 1);
	slow.op = task_last_op;
}

static void mismatch_race_case(enum kernel_version v)
{
	int raced = 0;

	for (uint64_t delay = 1; delay <= 40; delay++) {
		teardown();
		kernel_version = v;
		setup();
		memset(&slow, 0, sizeof(slow));
		slow.delay = delay;
		cr_assert(sim_task_create(0, true, 300, mismatch_task, NULL) != NULL);
		cr_assert(eq(int, sim_engine_run(), 0));
		cr_assert(ne(ptr, slow.mine, NULL));
		cr_expect(eq(int, virt_to_slab(slow.mine)->nid, 1), "delay %llu", (unsigned long long)delay);
		cr_expect(eq(int, per_cpu_ptr(s->cpu_slab, 0)->lock.owner, -1));
		cr_expect(not(sim->vcpu[0].irqs_disabled));
		if (st(ALLOC_NODE_MISMATCH) == 2) {
			raced++;
			cr_expect(eq(u32, slow.op.retries, 1), "delay %llu", (unsigned long long)delay);
			cr_expect(ne(ptr, virt_to_slab(irq_obj), virt_to_slab(slow.objs[0])));
		}
		expect_consistent();
	}
	cr_expect(lt(int, 0, raced), "an interrupt landed between the read and the lock");
}

Test(slub, deactivate_slab_rereads_a_cpu_slab_replaced_before_the_lock)
{
	mismatch_race_case(KERNEL_6_1);
}

Test(slub, deactivate_slab_rereads_a_cpu_slab_replaced_before_the_lock_612)
{
	mismatch_race_case(KERNEL_6_12);
}

/* ------------------------------------------------------------------ */
/* The common layer: kmalloc caches, large kmalloc, merging, events    */

/* ------------------------------------------------------------------ */
/* Bulk calls: kmem_cache_alloc_bulk, kmem_cache_free_bulk             */

static size_t count_label_all(const char *label)
{
	return helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, label) +
	       helper_slab_count_label(&plog, SIM_OP_OBJ_FREE, label);
}

Test(slub, alloc_bulk_drains_cpu_freelist_then_slow_path)
{
	void *a, *p[20];

	a = alloc_on(0);			/* slab A: a taken, 15 on c->freelist */
	cr_assert(a != NULL);
	helper_slab_log_stop(&plog);
	helper_slab_log_start(&plog);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, p), 20));

	/* 15 off c->freelist in address order, then ___slab_alloc: A is full (bypass), new slab B */
	for (int i = 0; i < 15; i++)
		cr_expect(eq(u64, ptr_u64(p[i]), ptr_u64(a) + 256u * (unsigned int)(i + 1)), "p[%d]", i);
	cr_expect(ne(ptr, virt_to_slab(p[15]), virt_to_slab(a)));
	cr_expect(eq(ptr, slab_address(virt_to_slab(p[15])), p[15]));
	for (int i = 16; i < 20; i++)
		cr_expect(eq(u64, ptr_u64(p[i]), ptr_u64(p[15]) + 256u * (unsigned int)(i - 15)));

	/* The kernel counts nothing in the freelist loop: only ___slab_alloc's stats. */
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 0));
	cr_expect(eq(ulong, st(ALLOC_SLOWPATH), 2));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 2));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	cr_expect(eq(ulong, st(ALLOC_REFILL), 0));

	/* One operation per object: 19 from the freelist (L1), one through the slow path (L5) */
	cr_expect(eq(ulong, helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:freelist"), 19));
	cr_expect(eq(ulong, helper_slab_count_label(&plog, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk:slowpath"), 1));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 1), 19));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_ALLOC, 5), 1));
	cr_expect(eq(ulong, count_kind(SIM_OP_OBJ_ALLOC), 20));
	for (size_t i = 0; i < plog.nr; i++)
		if (plog.ops[i].kind == SIM_OP_OBJ_ALLOC)
			cr_expect(eq(int, plog.ops[i].cache, s->id));
	expect_consistent();
}

Test(slub, free_bulk_two_slabs_two_detached_freelists)
{
	void *a, *p[20], *q[5];

	a = alloc_on(0);
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 20, p), 20));
	/* slab A (full, unfrozen by the bypass): p[0..2]; slab B (CPU 0's cpu slab): p[15], p[16] */
	q[0] = p[0];
	q[1] = p[15];
	q[2] = p[1];
	q[3] = p[16];
	q[4] = p[2];
	helper_slab_log_stop(&plog);
	helper_slab_log_start(&plog);
	kmem_cache_free_bulk(s, 5, q);

	/* Two detached freelists, one slab_free each: A's through __slab_free (A was full:
	 * frozen onto the CPU partial list), B's on c->freelist. */
	cr_expect(eq(ulong, st(FREE_SLOWPATH), 1));
	cr_expect(eq(ulong, st(CPU_PARTIAL_FREE), 1));
	cr_expect(eq(ulong, st(FREE_FASTPATH), 1));
	cr_expect(eq(ulong, st(FREE_FROZEN), 0));
	cr_expect(eq(u32, virt_to_slab(a)->inuse, OBJS - 3));
	cr_expect(virt_to_slab(a)->frozen);
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->partial, virt_to_slab(a)));

	/* Five free operations: the first object of each list carries its path and counters */
	cr_expect(eq(ulong, count_kind(SIM_OP_OBJ_FREE), 5));
	cr_expect(eq(ulong, count_label_all("kmem_cache_free_bulk"), 2));
	cr_expect(eq(ulong, count_label_all("kmem_cache_free_bulk:same_slab"), 3));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_FREE, 2), 3));
	cr_expect(eq(ulong, helper_slab_count_level(&plog, SIM_OP_OBJ_FREE, 1), 2));
	cr_expect(eq(u64, plog.ops[0].addr, ptr_u64(p[2])));	/* the array's last object first */

	/* slab_free_freelist_hook rebuilds the list reversed: B's objects come back p[15], p[16] */
	cr_expect(eq(ptr, alloc_on(0), p[15]));
	cr_expect(eq(int, helper_slab_last_level(), 1));
	cr_expect(eq(ptr, alloc_on(0), p[16]));
	/* A's list (p[0] -> p[1] -> p[2] as built) reversed onto its freelist: p[2] first */
	cr_expect(eq(ptr, virt_to_slab(a)->freelist, p[2]));
	cr_expect(eq(ptr, get_freepointer(s, p[2]), p[1]));
	cr_expect(eq(ptr, get_freepointer(s, p[1]), p[0]));
	expect_consistent();
}

Test(slub, kfree_bulk_finds_each_cache)
{
	void *p[3];

	p[0] = alloc_on(0);
	p[1] = helper_slab_alloc(0, NULL, 96, GFP_KERNEL, NUMA_NO_NODE);
	p[2] = helper_slab_alloc(0, NULL, 40000, GFP_KERNEL, NUMA_NO_NODE);	/* a large kmalloc */
	helper_slab_log_stop(&plog);
	helper_slab_log_start(&plog);
	sim_engine_set_cpu(0);
	kfree_bulk(3, p);
	cr_expect(eq(ulong, count_kind(SIM_OP_OBJ_FREE), 3));
	cr_expect(eq(ulong, count_label_all("build_detached_freelist:free_large_kmalloc"), 1));
	cr_expect(eq(ulong, count_kind(SIM_OP_PAGE_FREE), 1));
	cr_expect(eq(ulong, st(FREE_FASTPATH), 1));
	cr_expect(eq(ulong, slub_stat(kmalloc_slab(96, GFP_KERNEL), FREE_FASTPATH, -1), 1));
	expect_consistent();
}

Test(slub, kmalloc_size_and_type_pick_the_cache)
{
	static const struct { size_t size; gfp_t gfp; const char *name; } cases[] = {
		{ 1, GFP_KERNEL, "kmalloc-8" },
		{ 8, GFP_KERNEL, "kmalloc-8" },
		{ 9, GFP_KERNEL, "kmalloc-16" },
		{ 24, GFP_KERNEL, "kmalloc-32" },
		{ 65, GFP_KERNEL, "kmalloc-96" },
		{ 97, GFP_KERNEL, "kmalloc-128" },
		{ 129, GFP_KERNEL, "kmalloc-192" },
		{ 193, GFP_KERNEL, "kmalloc-256" },
		{ 4097, GFP_KERNEL, "kmalloc-8k" },
		{ 8192, GFP_KERNEL, "kmalloc-8k" },
		{ 100, GFP_KERNEL_ACCOUNT, "kmalloc-cg-128" },
		{ 100, GFP_KERNEL | __GFP_RECLAIMABLE, "kmalloc-rcl-128" },
		{ 100, GFP_KERNEL_ACCOUNT | __GFP_RECLAIMABLE, "kmalloc-rcl-128" },
		{ 100, GFP_KERNEL | __GFP_DMA | __GFP_RECLAIMABLE, "dma-kmalloc-128" },
	};
	struct slab_cache_info info;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kmem_cache *c = kmalloc_slab(cases[i].size, cases[i].gfp);

		cr_assert(c != NULL && c != ZERO_SIZE_PTR, "%zu", cases[i].size);
		slub_allocator.info(c, &info);
		cr_expect(eq(str, (char *)info.name, (char *)cases[i].name), "size %zu", cases[i].size);
	}
	cr_expect(eq(ptr, kmalloc_slab(0, GFP_KERNEL), ZERO_SIZE_PTR));
	cr_expect(eq(ptr, kmalloc_slab(8193, GFP_KERNEL), NULL));
	cr_expect(eq(u32, kmalloc_index(96), 1));
	cr_expect(eq(u32, kmalloc_index(192), 2));
	cr_expect(eq(u32, kmalloc_index(8), 3));
	cr_expect(eq(u32, kmalloc_index(2 << 20), 21));

	/* A kmalloc op names the cache and the size asked for. */
	void *p = helper_slab_alloc(2, NULL, 100, GFP_KERNEL, NUMA_NO_NODE);

	cr_expect(eq(int, helper_slab_last_op()->cache, slab_cache_id(slab_find_cache("kmalloc-128"))));
	cr_expect(eq(u32, helper_slab_last_op()->size, 100));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 1));
	helper_slab_free(2, p);
	cr_expect(eq(int, helper_slab_last_level(), 1));
}

Test(slub, kmalloc_large_goes_to_the_page_allocator)
{
	void *p = helper_slab_alloc(0, NULL, 3 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);
	struct page *page;

	cr_assert(p != NULL);
	page = virt_to_head_page(p);
	cr_expect(eq(int, helper_slab_last_op()->cache, -1));
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("__kmalloc_large_node"));
	cr_expect(not(PageSlab(page)));
	cr_expect(ne(u32, page->flags & PG_head, 0), "compound (__GFP_COMP)");
	cr_expect(eq(u32, page->order, 2));
	cr_expect(eq(ulong, count_kind(SIM_OP_PAGE_ALLOC), 1));
	helper_slab_free(0, p);
	cr_expect(last_has("free_large_kmalloc"));
	cr_expect(eq(ulong, count_kind(SIM_OP_PAGE_FREE), 1));
	cr_expect(eq(u32, virt_to_head_page(p)->flags & PG_allocated, 0));
}

Test(slub, kmem_cache_create_merges_as_6_1)
{
	struct kmem_cache *a = kmem_cache_create("merge_a", 200, 0, 0, false);
	struct kmem_cache *b = kmem_cache_create("merge_b", 196, 0, 0, false);
	struct kmem_cache *acct = kmem_cache_create("merge_acct", 200, 0, SLAB_ACCOUNT, false);
	struct kmem_cache *rcu = kmem_cache_create("merge_rcu", 200, 0, SLAB_TYPESAFE_BY_RCU, false);
	struct kmem_cache *big = kmem_cache_create("merge_big", 180, 0, 0, false);

	cr_assert(a != NULL && b != NULL && acct != NULL && rcu != NULL && big != NULL);
	cr_expect(eq(ptr, b, a), "196 bytes fit a 200-byte cache within a word");
	cr_expect(eq(int, slab_cache_refcount(a->id), 2));
	cr_expect(eq(ptr, slab_find_cache("merge_b"), a));
	cr_expect(eq(str, (char *)a->name, "merge_a"), "the alias keeps the first name");
	cr_expect(ne(ptr, acct, a), "SLAB_ACCOUNT must match");
	cr_expect(ne(ptr, rcu, a), "SLAB_TYPESAFE_BY_RCU never merges");
	cr_expect(ne(ptr, big, a), "184 < 200 - 8: too much waste");
	/* kmalloc caches never take aliases (usersize, or refcount -1 with memcg). */
	cr_expect(ne(ptr, kmem_cache_create("merge_64", 64, 0, 0, false), slab_find_cache("kmalloc-64")));
	cr_expect(ne(ptr, kmem_cache_create("merge_cg", 96, 0, SLAB_ACCOUNT, false), slab_find_cache("kmalloc-cg-96")));
}

/* CACHE_CREATE_MASK with CONFIG_SLUB (mm/slab.h): SLAB_MEM_SPREAD is SLAB's only, dropped. */
Test(slub, kmem_cache_create_masks_slab_only_flags)
{
	struct kmem_cache *m = kmem_cache_create("mask_spread", 200, 0,
						 SLAB_MEM_SPREAD | SLAB_NO_USER_FLAGS, false);

	cr_assert(m != NULL);
	cr_expect(eq(u32, m->flags & SLAB_MEM_SPREAD, 0));
	cr_expect(eq(u32, m->flags & SLAB_NO_USER_FLAGS, SLAB_NO_USER_FLAGS));
}

/* slab_unmergeable tests s->flags: a cache created with a debug flag never takes aliases. */
Test(slub, debug_flagged_cache_takes_no_alias)
{
	struct kmem_cache *dbg = kmem_cache_create("merge_dbg", 200, 0, SLAB_STORE_USER, false);
	struct kmem_cache *plain = kmem_cache_create("merge_plain", 200, 0, 0, false);

	cr_assert(dbg != NULL && plain != NULL);
	cr_expect(ne(ptr, plain, dbg), "SLAB_STORE_USER is in SLAB_NEVER_MERGE");
	cr_expect(eq(int, slab_cache_refcount(dbg->id), 1));
}

static int events[NR_SLAB_EVENTS];

static void count_event(int cache, uint64_t slab_addr, int event, int node)
{
	(void)slab_addr;
	(void)node;
	if (cache == s->id)
		events[event]++;
}

Test(slub, slab_lifecycle_events)
{
	void *obj[OBJS + 1];

	slab_event_sink = count_event;
	for (int i = 0; i <= OBJS; i++)
		obj[i] = alloc_on(0);		/* slab A filled, dropped; slab B */
	free_on(0, obj[0]);			/* A frozen onto the CPU partial chain */
	s->min_partial = 0;
	flush_all(s);				/* B deactivated, A unfrozen */
	for (int i = 1; i <= OBJS; i++)
		free_on(1, obj[i]);
	slab_event_sink = NULL;
	cr_expect(eq(int, events[SLAB_EV_NEW], 2));
	cr_expect(eq(int, events[SLAB_EV_CPU_SLAB], 2));
	cr_expect(eq(int, events[SLAB_EV_FREEZE], 3));	/* A, B new; A on free */
	cr_expect(eq(int, events[SLAB_EV_CPU_PARTIAL_ADD], 1));
	cr_expect(eq(int, events[SLAB_EV_UNFREEZE], 3));	/* A bypass, B and A at the flush */
	cr_expect(eq(int, events[SLAB_EV_PARTIAL_ADD], 2));
	cr_expect(eq(int, events[SLAB_EV_PARTIAL_DEL], 2));
	cr_expect(eq(int, events[SLAB_EV_DISCARD], 2), "both empty, min_partial 0");
	cr_expect(eq(long, get_node(s, 0)->nr_slabs, 0));
	expect_consistent();
}

/* The checker finds a corrupted freelist and a double free. */
Test(slub, check_finds_corruption)
{
	void *a = alloc_on(0), *b = alloc_on(0);
	char *text = NULL;
	size_t len = 0;
	FILE *why;

	(void)b;
	expect_consistent();
	free_on(0, a);
	/* Push a onto c->freelist a second time behind the model's back. */
	set_freepointer(s, a, a);
	why = open_memstream(&text, &len);
	cr_expect(not(slub_check(why)));
	fclose(why);
	cr_expect(ne(ptr, strstr(text, "free twice"), NULL), "%s", text);
	free(text);
}

/* ------------------------------------------------------------------ */
/* Memory pressure: order fallback and reserve (pfmemalloc) slabs      */

/* A one-node machine of 64 MiB with SLUB and the test cache; vCPU 0 current. */
static void small_machine(void)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));

	teardown();
	cr_assert(msc != NULL);
	sim_scenario_default(msc);
	msc->nr_nodes = 1;
	memset(&msc->node[1], 0, sizeof(msc->node[1]));
	msc->node[0].nr_cpus = 2;
	msc->node[0].zone_mib[ZONE_DMA] = 16;
	msc->node[0].zone_mib[ZONE_DMA32] = 48;
	sc = helper_slub_machine_up_sc(msc, false);
	cr_assert(sc != NULL);
	s = kmem_cache_create("slub_test", 256, 0, 0, false);
	cr_assert(s != NULL);
	helper_slab_log_start(&plog);
}

/* Take every page the page allocator gives to GFP_KERNEL, order 0; returns how many. */
static size_t grab_all_pages(struct page **pages, size_t max)
{
	size_t n = 0;

	while (n < max && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	return n;
}

Test(slub, order_fallback_on_fragmented_memory)
{
	static struct page *pages[1 << 15];
	struct kmem_cache *k2;
	size_t n;
	void *p;

	small_machine();
	k2 = slab_find_cache("kmalloc-2k");
	cr_assert(eq(u32, oo_order(k2->oo), 3));
	n = grab_all_pages(pages, sizeof(pages) / sizeof(pages[0]));
	/* The reserves too, so that no large block is left anywhere. */
	while (n < sizeof(pages) / sizeof(pages[0]) &&
	       (pages[n] = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		n++;
	cr_assert(lt(ulong, 1000, n));
	/* Give back every other page: plenty free, nothing above order 0. */
	for (size_t i = 0; i < n; i += 2)
		__free_pages(pages[i], 0);

	p = helper_slab_alloc(0, NULL, 2048, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p != NULL);
	cr_expect(eq(int, helper_slab_last_level(), 5));
	cr_expect(last_has("allocate_slab:order_fallback"));
	cr_expect(eq(ulong, slub_stat(k2, ORDER_FALLBACK, -1), 1));
	cr_expect(eq(u32, virt_to_slab(p)->objects, 2), "s->min: order 0 holds two 2 KiB objects");
	cr_expect(eq(u32, virt_to_slab(p)->order, 0));
	expect_consistent();
}

Test(slub, pfmemalloc_slab_serves_only_reserve_requests)
{
	static struct page *pages[1 << 15];
	void *obj[OBJS];
	void *p;

	small_machine();
	grab_all_pages(pages, sizeof(pages) / sizeof(pages[0]));
	cr_expect(eq(ptr, alloc_on(0), NULL), "no memory for GFP_KERNEL");
	/* __GFP_MEMALLOC may dip into the reserves: the slab is a pfmemalloc one. */
	for (int i = 0; i < OBJS; i++) {
		obj[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_MEMALLOC, NUMA_NO_NODE);
		cr_assert(obj[i] != NULL);
	}
	cr_expect(virt_to_slab(obj[0])->pfmemalloc);
	/* Free one back: the slow path of a GFP_KERNEL request must not use that slab. */
	free_on(0, obj[3]);
	cr_expect(eq(int, helper_slab_last_level(), 1));
	p = alloc_on(0);			/* fast path: the kernel does not check there */
	cr_expect(eq(ptr, p, obj[3]));
	p = alloc_on(0);			/* slow path: mismatch, deactivate, no memory */
	cr_expect(eq(ptr, p, NULL));
	cr_expect(last_has("___slab_alloc:pfmemalloc_mismatch"));
	cr_expect(last_has("___slab_alloc:out_of_memory"));
	cr_expect(helper_slab_last_op()->failed);
	cr_expect(eq(ptr, raw_cpu_ptr(s->cpu_slab)->slab, NULL));
	expect_consistent();
}

/* ------------------------------------------------------------------ */
/* flush_all in a running simulation: work items on every CPU          */

static void flush_other_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	op_alloc(GFP_KERNEL);
}

static void flush_main_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	op_alloc(GFP_KERNEL);
	sim_task_sleep_until(sim_now() + 100000);	/* the others have allocated by then */
	cr_expect(eq(int, slub_store_cpu_partial(s, 0), 0));
}

Test(slub, flush_all_runs_on_every_cpu)
{
	cr_assert(sim_task_create(0, true, 400, flush_main_task, NULL) != NULL);
	for (int cpu = 1; cpu < 4; cpu++)
		cr_assert(sim_task_create(cpu, true, 400 + cpu, flush_other_task, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	for (int cpu = 0; cpu < 4; cpu++)
		cr_expect(not(has_cpu_slab(cpu, s)), "cpu %d flushed", cpu);
	cr_expect(eq(ulong, st(CPUSLAB_FLUSH), 4));
	cr_expect(eq(u32, s->cpu_partial, 0));
	cr_expect(eq(u32, s->cpu_partial_slabs, 0));
	expect_consistent();
}

/* ------------------------------------------------------- kernel config */

#include "models/slab_common/slab_common.h"

/* A 2-node SLUB machine with CONFIG_MEMCG_KMEM and CONFIG_ZONE_DMA as given. */
/* A machine of the given config in place of the suite's (whose teardown downs it). */
static void config_machine(bool memcg_kmem, bool zone_dma)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));

	cr_assert(not(eq(ptr, msc, NULL)));
	teardown();
	sim_scenario_default(msc);
	msc->memcg_kmem = memcg_kmem;
	msc->zone_dma = zone_dma;
	sc = helper_slub_machine_up_sc(msc, false);
	cr_assert(not(eq(ptr, sc, NULL)));
	helper_slab_log_start(&plog);
}

/* include/linux/slab.h: KMALLOC_NOT_NORMAL_BITS leaves out __GFP_ACCOUNT and __GFP_DMA with the config off. */
Test(slub, kmalloc_type_without_memcg_kmem_or_zone_dma)
{
	config_machine(false, false);
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_ACCOUNT), KMALLOC_NORMAL));
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_DMA), KMALLOC_NORMAL));
	/* reclaimable and accounted: KMALLOC_RECLAIM, as any non-normal type without memcg */
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ACCOUNT), KMALLOC_RECLAIM));
	cr_assert(eq(ptr, kmalloc_slab(4096, GFP_KERNEL | __GFP_ACCOUNT), slab_find_cache("kmalloc-4k")));
	cr_assert(eq(ptr, kmalloc_slab(64, GFP_KERNEL | __GFP_DMA), slab_find_cache("kmalloc-64")));
	cr_assert(eq(ptr, slab_find_cache("kmalloc-cg-4k"), NULL));
	cr_assert(eq(ptr, slab_find_cache("dma-kmalloc-64"), NULL));
	cr_assert(not(eq(ptr, slab_find_cache("kmalloc-rcl-64"), NULL)));
	/* SLAB_ACCOUNT is 0: an accounted cache merges with an unaccounted one of its size */
	cr_assert(eq(ptr, kmem_cache_create("acct_a", 200, 0, SLAB_ACCOUNT, false), kmem_cache_create("plain_b", 200, 0, 0, false)));
}

Test(slub, kmalloc_type_with_memcg_kmem_and_zone_dma)
{
	config_machine(true, true);
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_ACCOUNT), KMALLOC_CGROUP));
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_DMA | __GFP_ACCOUNT), KMALLOC_DMA));
	cr_assert(eq(int, kmalloc_type(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ACCOUNT), KMALLOC_RECLAIM));
	cr_assert(eq(ptr, kmalloc_slab(4096, GFP_KERNEL | __GFP_ACCOUNT), slab_find_cache("kmalloc-cg-4k")));
	cr_assert(not(eq(ptr, slab_find_cache("dma-kmalloc-64"), NULL)));
	cr_assert(not(eq(ptr, kmem_cache_create("acct_a", 200, 0, SLAB_ACCOUNT, false), kmem_cache_create("plain_b", 200, 0, 0, false))));
}

/* Without CONFIG_SLUB_CPU_PARTIAL no cache has per-CPU partial lists (cpu_partial 0). */
Test(slub, no_cpu_partial_without_slub_cpu_partial)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct slub_attrs a;

	cr_assert(not(eq(ptr, msc, NULL)));
	teardown();		/* the suite's machine: this one is built without cpu partials */
	sim_scenario_default(msc);
	msc->slub_cpu_partial = false;
	sc = helper_slub_machine_up_sc(msc, false);
	cr_assert(not(eq(ptr, sc, NULL)));
	helper_slab_log_start(&plog);
	slub_get_attrs(slab_find_cache("kmalloc-64"), &a);
	cr_assert(eq(u32, a.cpu_partial, 0));
	cr_assert(eq(u32, a.cpu_partial_slabs, 0));
	cr_assert(not(eq(int, slub_store_cpu_partial(slab_find_cache("kmalloc-64"), 30), 0)));
}

/*
 * acquire_slab (mm/slub.c, 6.1) freezes every slab get_partial_node takes off the node's
 * partial list: the first becomes the CPU slab (ALLOC_FROM_PARTIAL), the others go to the
 * CPU partial chain (CPU_PARTIAL_NODE).  Two slabs on node 0's partial list (A with one
 * free object, B with one in use, after a flush); an allocation on CPU 1, which has no slab,
 * takes them: one FREEZE and one PARTIAL_DEL per slab taken.
 */
Test(slub, acquired_partial_slabs_are_frozen)
{
	void *obj[OBJS + 1];
	unsigned long nr_partial, taken;

	for (int i = 0; i <= OBJS; i++)
		obj[i] = alloc_on(0);		/* slab A filled, slab B the CPU slab */
	free_on(0, obj[0]);			/* A frozen onto CPU 0's partial chain */
	flush_all(s);				/* A and B unfrozen onto node 0's partial list */
	nr_partial = get_node(s, 0)->nr_partial;
	cr_assert(eq(ulong, nr_partial, 2));
	memset(events, 0, sizeof(events));
	slab_event_sink = count_event;
	cr_assert(ne(ptr, alloc_on(1), NULL));	/* CPU 1: node 0, no CPU slab */
	slab_event_sink = NULL;
	taken = nr_partial - get_node(s, 0)->nr_partial;
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	cr_expect(eq(ulong, taken, 1 + st(CPU_PARTIAL_NODE)));
	cr_expect(ge(ulong, taken, 1));
	cr_expect(eq(int, events[SLAB_EV_FREEZE], (int)taken));
	cr_expect(eq(int, events[SLAB_EV_PARTIAL_DEL], (int)taken));
	cr_expect(eq(int, events[SLAB_EV_NEW], 0));
	expect_consistent();
}
