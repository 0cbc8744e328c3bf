/*
 * test_slub_lock_windows.c - SLUB between an unlocked read and what acts on it, under 6.1 and
 * 6.12 (suite `slub_lock_windows`, models/slub/<version>/slub.c): ___slab_alloc reads c->slab
 * or c->partial without the local lock, then takes it; the fast paths read c->tid, then swap
 * (freelist, tid) with one cmpxchg.  An interrupt lands in between and changes what was read.
 * Each case names the window and asserts what the kernel does there (mm/slub.c, 6.1.192 and
 * 6.12.118): the re-check under the lock or the failed cmpxchg, the retry it counts, the lock
 * given back with IRQs on.
 *
 * The interrupt is raised from the step hook at the first yield of a given kind (the
 * local_irq_save of local_lock_irqsave, SIM_COST_IRQ; the cmpxchg, SIM_COST_CMPXCHG_DOUBLE)
 * after the task's operation passes a given label, so the window does not depend on the
 * modelled costs: both yield before they act, and the handler runs there.
 *
 * Machine: 2 nodes x 2 CPUs (CPUs 0 and 1 on node 0), 1 GiB each; "race256" holds 256-byte
 * objects, 16 per order-0 slab; freelists in address order.  The task runs on CPU 0.
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

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;

struct window {
	sim_irq_fn *irq;		/* the handler */
	gfp_t irq_gfp;
	int irq_node;
	void *objs[6 * OBJS];		/* the task's set-up objects */
	void *mine, *irq_obj;
	void *irq_free;			/* what the handler frees (irq_free_one) */
	void *task_free;		/* what the task frees, or NULL: it allocates */
	int task_node;			/* the node it asks for (NUMA_NO_NODE unless set) */
	int kind;			/* enum sim_cost of the yield that opens the window */
	struct sim_op op;		/* the measured operation, ended */
	struct sim_op *task_op;		/* the same while in flight */
	uint16_t label;			/* the label that opens the window; 0: the op's first
					 * yield of that kind */
	bool raised, handled;
};
static struct window w;

static void up(enum kernel_version v)
{
	kernel_version = v;
	w.task_node = NUMA_NO_NODE;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("race256", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
}

static void teardown(void)
{
	sim->step_hook = NULL;
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

TestSuite(slub_lock_windows, .fini = teardown);

static unsigned long st(enum stat_item item)
{
	return slub_stat(s, item, -1);
}

/* One object operation from the task or the handler (engine running). */
static void *op_alloc_node(gfp_t gfp, int node, struct sim_op *out)
{
	struct sim_op op;
	void *p;

	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp;
	p = kmem_cache_alloc_node(s, gfp, node);
	sim_op_end(&op);
	if (out)
		*out = op;
	return p;
}

static void op_free(void *obj)
{
	struct sim_op op;

	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(s, obj);
	sim_op_end(&op);
}

/* ------------------------------------------------------------------ */
/* The window: the first yield of a kind after a label of the task's op */


static void irq_alloc_one(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	w.irq_obj = op_alloc_node(w.irq_gfp, w.irq_node, NULL);
	w.handled = true;
}

static void irq_free_one(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	op_free(w.irq_free);
	w.handled = true;
}

static void window_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	const struct sim_op *op = sim_op_current();

	(void)cost_ns;
	(void)arg;
	if (w.raised || !w.task_op || op != w.task_op || sim->yield_kind != w.kind)
		return;
	if (w.label && (!op->nr_labels || op->labels[op->nr_labels - 1] != w.label))
		return;
	w.raised = true;
	sim_irq_raise(v->cpu, sim_now(), w.irq, NULL);
}

static void window_task(struct sim_task *t, void *arg)
{
	struct sim_op op;

	(void)t;
	(void)arg;
	sim_op_begin(&op, w.task_free ? SIM_OP_OBJ_FREE : SIM_OP_OBJ_ALLOC);
	op.gfp = w.task_free ? 0 : GFP_KERNEL;
	w.task_op = &op;
	if (w.task_free)
		kmem_cache_free(s, w.task_free);
	else
		w.mine = kmem_cache_alloc_node(s, GFP_KERNEL, w.task_node);
	w.task_op = NULL;
	sim_op_end(&op);
	w.op = op;
}

static void run_window(void (*prepare)(void), const char *after, sim_irq_fn *irq)
{
	w.irq = irq;
	w.label = after ? sim_path_label_id(after) : 0;
	if (!w.kind)
		w.kind = SIM_COST_IRQ;
	prepare();			/* engine not running yet: each call runs to completion */
	sim_engine_set_cpu(0);
	sim->step_hook = window_hook;
	cr_assert(sim_task_create(0, true, 300, window_task, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	sim->step_hook = NULL;
	cr_assert(w.raised, "the task reached the window after %s", after ? after : "its start");
	cr_assert(w.handled, "the interrupt ran");
}

static bool op_has(const char *label)
{
	return helper_slab_op_has_label(&w.op, label);
}

/* After every case: the local lock free, IRQs and preemption back on, the lists sound. */
static void expect_clean(void)
{
	cr_expect(eq(int, per_cpu_ptr(s->cpu_slab, 0)->lock.owner, -1), "local lock given back");
	cr_expect(not(sim->vcpu[0].irqs_disabled), "IRQs on again");
	cr_expect(slub_check(stderr), "slub_check");
}

/* ------------------------------------------------------------------ */
/* reread_slab: c->slab read, then replaced before local_lock          */

static void *alloc_on(int cpu)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
}

static void fill_one_slab(void)
{
	for (int i = 0; i < OBJS; i++)
		w.objs[i] = alloc_on(0);
}

/*
 * CPU 0's cpu slab A is full (c->freelist empty): the task's allocation reads c->slab == A at
 * reread_slab.  The handler's allocation finds A full too, drops it (deactivate_bypass) and
 * installs a new slab B.  Under the lock the task sees c->slab != A: it gives the lock back
 * (local_unlock_irqrestore), counts a retry and rereads: B, whose c->freelist the handler
 * left, serves it at L1 (the object after the handler's).
 */
static void reread_slab_after_the_cpu_slab_was_replaced(enum kernel_version v)
{
	up(v);
	w.irq_gfp = GFP_ATOMIC;
	w.irq_node = NUMA_NO_NODE;
	run_window(fill_one_slab, "___slab_alloc:reread_slab", irq_alloc_one);
	cr_assert(ne(ptr, w.irq_obj, NULL));
	cr_expect(ne(ptr, virt_to_slab(w.irq_obj), virt_to_slab(w.objs[0])), "the handler got a new slab");
	cr_expect(eq(ptr, w.mine, (char *)w.irq_obj + 256));
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(eq(int, w.op.level, 1));
	cr_expect(op_has("___slab_alloc:cpu_freelist"));
	cr_expect(not(op_has("___slab_alloc:deactivate_bypass")), "the handler dropped A, not the task");
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 1));
	cr_expect(eq(ulong, st(ALLOC_SLAB), 2));
	expect_clean();
}

Test(slub_lock_windows, reread_slab_after_the_cpu_slab_was_replaced_6_1) { reread_slab_after_the_cpu_slab_was_replaced(KERNEL_6_1); }
Test(slub_lock_windows, reread_slab_after_the_cpu_slab_was_replaced_6_12) { reread_slab_after_the_cpu_slab_was_replaced(KERNEL_6_12); }

/* ------------------------------------------------------------------ */
/* new_slab: c->partial read, then changed before local_lock            */

/*
 * Slab A filled and dropped (bypass) for B, a[5] freed: A (full, on no list) goes on CPU 0's
 * partial list (__slab_free -> put_cpu_partial).  Then B filled: c->freelist empty, c->slab B
 * full.  The measured allocation drops B (bypass) and reaches new_slab with c->partial == A.
 */
static void a_partial_b_full(void)
{
	for (int i = 0; i < 2 * OBJS; i++)
		w.objs[i] = alloc_on(0);
	helper_slab_free(0, w.objs[5]);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, virt_to_slab(w.objs[0])));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, virt_to_slab(w.objs[OBJS])));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, NULL));
}

/*
 * The handler allocates: no cpu slab, so it takes A off c->partial and makes it the cpu slab
 * (the object it frees, a[5], is A's only free one).  Under the lock the task finds c->slab
 * set: it gives the lock back, counts a retry (slub_note_retry) and goes to reread_slab, where
 * A, now full again, is dropped (bypass) and a new slab C serves the task.
 */
static void new_slab_rereads_a_slab_installed_before_the_lock(enum kernel_version v)
{
	struct slab *sa;

	up(v);
	w.irq_gfp = GFP_ATOMIC;
	w.irq_node = NUMA_NO_NODE;
	run_window(a_partial_b_full, "___slab_alloc:new_slab", irq_alloc_one);
	sa = virt_to_slab(w.objs[0]);
	cr_expect(eq(ptr, w.irq_obj, w.objs[5]), "the handler took A's one free object");
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), 1), "the handler's");
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(eq(ulong, st(DEACTIVATE_BYPASS), 3), "B by the task, then A after its reread");
	cr_expect(ne(ptr, virt_to_slab(w.mine), sa));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, virt_to_slab(w.mine)));
	cr_expect(eq(int, w.op.level, 5));
	expect_clean();
}

Test(slub_lock_windows, new_slab_rereads_a_slab_installed_before_the_lock_6_1) { new_slab_rereads_a_slab_installed_before_the_lock(KERNEL_6_1); }
Test(slub_lock_windows, new_slab_rereads_a_slab_installed_before_the_lock_6_12) { new_slab_rereads_a_slab_installed_before_the_lock(KERNEL_6_12); }

/*
 * Node 1 has no page left.  The handler asks for a node-1 object with __GFP_THISNODE: A (node
 * 0) comes off c->partial and does not match, so it goes back to node 0's list (6.12: checked
 * before it is installed, __put_partials; 6.1: installed first, CPU_PARTIAL_ALLOC counted,
 * then node_mismatch deactivates it), and node 1 has neither a partial slab nor a page: the
 * handler gets NULL and leaves the CPU with no cpu slab and an empty partial list.  Under the lock the task finds c->partial empty: it gives the
 * lock back and goes to new_objects (no retry), where get_partial finds A on node 0's list:
 * L4, A frozen again as the cpu slab.
 */
static void node1_full_then_a_partial_b_full(void)
{
	size_t n = 0;

	for (int order = MAX_ORDER - 1; order >= 0; order--)
		while (alloc_pages_node(1, GFP_ATOMIC | __GFP_THISNODE | __GFP_NOWARN, (unsigned int)order))
			n++;
	cr_assert(lt(ulong, 100, n));
	a_partial_b_full();
}

static void new_slab_goes_to_new_objects_when_the_partial_list_emptied(enum kernel_version v)
{
	struct slab *sa;

	up(v);
	w.irq_gfp = GFP_ATOMIC | __GFP_THISNODE | __GFP_NOWARN;
	w.irq_node = 1;
	run_window(node1_full_then_a_partial_b_full, "___slab_alloc:new_slab", irq_alloc_one);
	sa = virt_to_slab(w.objs[0]);
	cr_expect(eq(ptr, w.irq_obj, NULL), "no node-1 memory");
	cr_expect(eq(u32, w.op.retries, 0));
	cr_expect(op_has("___slab_alloc:new_objects"));
	cr_expect(eq(int, w.op.level, 4));
	cr_expect(eq(ptr, w.mine, w.objs[5]), "A's one free object");
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, sa));
	cr_expect(eq(ulong, st(CPU_PARTIAL_ALLOC), v == KERNEL_6_1 ? 1 : 0), "the handler's, in 6.1");
	cr_expect(eq(ulong, st(ALLOC_NODE_MISMATCH), v == KERNEL_6_1 ? 1 : 0), "the handler's, in 6.1");
	cr_expect(eq(ulong, st(ALLOC_FROM_PARTIAL), 1));
	expect_clean();
}

Test(slub_lock_windows, new_slab_goes_to_new_objects_when_the_partial_list_emptied_6_1) { new_slab_goes_to_new_objects_when_the_partial_list_emptied(KERNEL_6_1); }
Test(slub_lock_windows, new_slab_goes_to_new_objects_when_the_partial_list_emptied_6_12) { new_slab_goes_to_new_objects_when_the_partial_list_emptied(KERNEL_6_12); }

/* ------------------------------------------------------------------ */
/* get_partial_node: the per-CPU list refilled before n->list_lock      */

/*
 * cpu_partial_slabs 1 (cpu_partial 8 objects: DIV_ROUND_UP(8 * 2, 16) slabs).  On CPU 0 five
 * slabs S1..S5 filled (S1..S4 dropped full, S5 the full cpu slab); CPU 1 frees one object of
 * S1, S2 and S3: each goes on CPU 1's partial list, whose one slot drains the one before to
 * node 0's list: [S1, S2].
 */
static void two_on_node0_and_s4_full(void)
{
	for (int i = 0; i < 5 * OBJS; i++)
		w.objs[i] = alloc_on(0);
	for (int k = 0; k < 3; k++)
		helper_slab_free(1, w.objs[k * OBJS]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 2));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));
	w.irq_free = w.objs[3 * OBJS];		/* of S4: full, on no list */
}

/*
 * The task drops S5 (bypass), finds c->partial empty and goes to get_partial; the handler,
 * at get_partial_node's spin_lock_irqsave, frees an object of the full S4: S4 goes on CPU 0's
 * partial list (put_cpu_partial with drain), one slab.  get_partial_node then takes S1 for the
 * task and puts S2 on the list with put_cpu_partial(s, slab, 0): no drain even though the list
 * is at cpu_partial_slabs (the kernel passes false here), so CPU 0 keeps [S2, S4].
 */
static void get_partial_node_puts_without_draining(enum kernel_version v)
{
	struct kmem_cache_cpu *c;

	up(v);
	cr_assert(eq(int, slub_store_cpu_partial(s, 8), 0));
	cr_assert(eq(u32, s->cpu_partial_slabs, 1));
	run_window(two_on_node0_and_s4_full, "___slab_alloc:new_objects", irq_free_one);
	c = per_cpu_ptr(s->cpu_slab, 0);
	cr_expect(eq(ptr, virt_to_slab(w.mine), virt_to_slab(w.objs[0])), "S1 for the task");
	cr_expect(eq(int, w.op.level, 4));
	cr_expect(eq(ptr, c->partial, virt_to_slab(w.objs[OBJS])), "S2 at the head");
	cr_assert(ne(ptr, c->partial, NULL));
	cr_expect(eq(int, c->partial->slabs, 2));
	cr_expect(eq(ptr, c->partial->next, virt_to_slab(w.objs[3 * OBJS])), "then S4");
	cr_expect(eq(ulong, st(CPU_PARTIAL_DRAIN), 2), "only CPU 1's two");
	cr_expect(eq(ulong, st(CPU_PARTIAL_NODE), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
	expect_clean();
}

Test(slub_lock_windows, get_partial_node_puts_without_draining_6_1) { get_partial_node_puts_without_draining(KERNEL_6_1); }
Test(slub_lock_windows, get_partial_node_puts_without_draining_6_12) { get_partial_node_puts_without_draining(KERNEL_6_12); }

/* ------------------------------------------------------------------ */
/* The fast paths: tid read, then the cmpxchg on (freelist, tid)         */

/*
 * slab_alloc_node / __slab_alloc_node (6.12) read c->tid, then c->freelist, and swap both with
 * one this_cpu_cmpxchg_double.  CPU 0's slab A has a0 taken (15 on c->freelist); the handler,
 * at the task's cmpxchg, takes a0 + 256 itself and moves the tid on: the task's cmpxchg fails
 * (CMPXCHG_DOUBLE_CPU_FAIL, one retry, the redo label) and the retry gets a0 + 512 at L1.
 */
static void one_taken(void)
{
	w.objs[0] = alloc_on(0);
}

static void alloc_fastpath_retries_after_the_tid_moved(enum kernel_version v)
{
	up(v);
	w.irq_gfp = GFP_ATOMIC;
	w.irq_node = NUMA_NO_NODE;
	w.kind = SIM_COST_CMPXCHG_DOUBLE;
	run_window(one_taken, NULL, irq_alloc_one);
	cr_expect(eq(ptr, w.irq_obj, (char *)w.objs[0] + 256));
	cr_expect(eq(ptr, w.mine, (char *)w.objs[0] + 512));
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(op_has(v == KERNEL_6_1 ? "slab_alloc_node:cmpxchg_fail" : "__slab_alloc_node:cmpxchg_fail"));
	cr_expect(eq(int, w.op.level, 1));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_CPU_FAIL), 1));
	cr_expect(eq(ulong, st(ALLOC_FASTPATH), 2), "the handler's and the task's retry");
	expect_clean();
}

Test(slub_lock_windows, alloc_fastpath_retries_after_the_tid_moved_6_1) { alloc_fastpath_retries_after_the_tid_moved(KERNEL_6_1); }
Test(slub_lock_windows, alloc_fastpath_retries_after_the_tid_moved_6_12) { alloc_fastpath_retries_after_the_tid_moved(KERNEL_6_12); }

/*
 * do_slab_free's fast path (6.1 and 6.12) likewise: the task frees a1 (CPU 0's cpu slab A,
 * a0 and a1 taken); the handler, at the task's cmpxchg, takes a1 + 256 off c->freelist.  The
 * task's cmpxchg fails (CMPXCHG_DOUBLE_CPU_FAIL, one retry, the redo label) and the retry
 * pushes a1 in front of a1 + 512: one FREE_FASTPATH, at L1.
 */
static void two_taken(void)
{
	w.objs[0] = alloc_on(0);
	w.objs[1] = alloc_on(0);
	w.task_free = w.objs[1];
}

static void free_fastpath_retries_after_the_tid_moved(enum kernel_version v)
{
	up(v);
	w.irq_gfp = GFP_ATOMIC;
	w.irq_node = NUMA_NO_NODE;
	w.kind = SIM_COST_CMPXCHG_DOUBLE;
	run_window(two_taken, NULL, irq_alloc_one);
	cr_expect(eq(ptr, w.irq_obj, (char *)w.objs[1] + 256));
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(op_has("do_slab_free:cmpxchg_fail"));
	cr_expect(op_has("do_slab_free:fastpath"));
	cr_expect(eq(int, w.op.level, 1));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_CPU_FAIL), 1));
	cr_expect(eq(ulong, st(FREE_FASTPATH), 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, w.objs[1]));
	cr_expect(eq(ptr, get_freepointer(s, w.objs[1]), (char *)w.objs[1] + 512));
	expect_clean();
}

Test(slub_lock_windows, free_fastpath_retries_after_the_tid_moved_6_1) { free_fastpath_retries_after_the_tid_moved(KERNEL_6_1); }
Test(slub_lock_windows, free_fastpath_retries_after_the_tid_moved_6_12) { free_fastpath_retries_after_the_tid_moved(KERNEL_6_12); }

/* ------------------------------------------------------------------ */
/* The slab's own cmpxchg: a free into the slab meanwhile               */

/*
 * deactivate_slab (mm/slub.c, 6.1 and 6.12) reads slab->freelist once to choose head or tail
 * (remote frees), then reads (freelist, counters) again and unfreezes the slab with
 * cmpxchg_double_slab, which fails and is retried when the slab changed meanwhile.  CPU 0's
 * cpu slab A is full; the task asks for node 1 (node_mismatch, A deactivated: full, no list
 * lock, IRQs on); the handler, at that cmpxchg, frees a[3] into the still frozen A
 * (FREE_FROZEN).  The cmpxchg fails (CMPXCHG_DOUBLE_FAIL, one retry; 6.1's label redo); the
 * retry sees a[3] on A's freelist: A goes to node 0's list, at the head (the remote-free test
 * was made before the interrupt), not on no list.
 */
static void a_full(void)
{
	fill_one_slab();
	w.irq_free = w.objs[3];
}

static void deactivate_slab_retries_after_a_free_into_the_slab(enum kernel_version v)
{
	struct slab *sa;

	up(v);
	w.task_node = 1;
	w.kind = SIM_COST_CMPXCHG_DOUBLE;
	run_window(a_full, "___slab_alloc:deactivate_slab", irq_free_one);
	sa = virt_to_slab(w.objs[0]);
	cr_assert(ne(ptr, w.mine, NULL));
	cr_expect(eq(int, virt_to_slab(w.mine)->nid, 1));
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_FAIL), 1));
	cr_expect(eq(ulong, st(FREE_FROZEN), 1));
	if (v == KERNEL_6_1) {
		cr_expect(op_has("deactivate_slab:redo"));
		cr_expect(op_has("deactivate_slab:M_PARTIAL"));
	} else {
		cr_expect(op_has("deactivate_slab:partial"));
	}
	cr_expect(eq(ulong, st(DEACTIVATE_TO_HEAD), 1));
	cr_expect(eq(ulong, st(DEACTIVATE_REMOTE_FREES), 0));
	cr_expect(eq(ulong, st(DEACTIVATE_FULL), 0));
	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(eq(u32, sa->inuse, OBJS - 1));
	cr_expect(eq(ptr, sa->freelist, w.objs[3]));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	expect_clean();
}

Test(slub_lock_windows, deactivate_slab_retries_after_a_free_into_the_slab_6_1) { deactivate_slab_retries_after_a_free_into_the_slab(KERNEL_6_1); }
Test(slub_lock_windows, deactivate_slab_retries_after_a_free_into_the_slab_6_12) { deactivate_slab_retries_after_a_free_into_the_slab(KERNEL_6_12); }

/*
 * __slab_free (6.1 and 6.12) reads (freelist, counters), links the object in front and swaps
 * with cmpxchg_double_slab, retrying when another free got there first.  The task on CPU 0
 * frees b0 of CPU 1's cpu slab B (frozen: no list lock, IRQs on); the handler, at that
 * cmpxchg, frees b1 into B.  The task's cmpxchg fails (CMPXCHG_DOUBLE_FAIL, one retry, the
 * label retry) and its retry links b0 in front of b1: both FREE_FROZEN.
 */
static void b_on_cpu1(void)
{
	for (int i = 0; i < 3; i++)
		w.objs[i] = alloc_on(1);
	w.task_free = w.objs[0];
	w.irq_free = w.objs[1];
}

static void slab_free_retries_after_a_free_into_the_slab(enum kernel_version v)
{
	struct slab *sb;

	up(v);
	w.kind = SIM_COST_CMPXCHG_DOUBLE;
	run_window(b_on_cpu1, NULL, irq_free_one);
	sb = virt_to_slab(w.objs[0]);
	cr_expect(eq(u32, w.op.retries, 1));
	cr_expect(op_has("__slab_free:retry"));
	cr_expect(op_has("__slab_free:frozen"));
	cr_expect(eq(int, w.op.level, 2));
	cr_expect(eq(ulong, st(CMPXCHG_DOUBLE_FAIL), 1));
	cr_expect(eq(ulong, st(FREE_FROZEN), 2));
	cr_expect(eq(ptr, sb->freelist, w.objs[0]));
	cr_expect(eq(ptr, get_freepointer(s, w.objs[0]), w.objs[1]));
	cr_expect(eq(u32, sb->inuse, OBJS - 2), "CPU 1's 13 on its c->freelist count as in use");
	expect_clean();
}

Test(slub_lock_windows, slab_free_retries_after_a_free_into_the_slab_6_1) { slab_free_retries_after_a_free_into_the_slab(KERNEL_6_1); }
Test(slub_lock_windows, slab_free_retries_after_a_free_into_the_slab_6_12) { slab_free_retries_after_a_free_into_the_slab(KERNEL_6_12); }

/* ------------------------------------------------------------------ */
/* The bulk allocation: this CPU's pointer read again after the slow path */

/*
 * kmem_cache_alloc_bulk (6.1; __kmem_cache_alloc_bulk in 6.12) calls ___slab_alloc with the
 * local lock given back (IRQs on, new_slab may sleep), then reads this CPU's kmem_cache_cpu
 * again (c = this_cpu_ptr(s->cpu_slab)) before it takes the lock back.  Outside the
 * per-object operations a bulk of 2 that finds one object on c->freelist reads the per-CPU
 * pointer twice: slub_get_cpu_ptr at the start, this_cpu_ptr after the slow path.
 */
static int bulk_percpu_reads;
static bool in_bulk;

static void bulk_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	(void)v;
	(void)cost_ns;
	(void)arg;
	if (in_bulk && !sim_op_current() && sim->yield_kind == SIM_COST_PERCPU)
		bulk_percpu_reads++;
}

static void bulk_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	in_bulk = true;
	cr_expect(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 2, &w.objs[1]), 2));
	in_bulk = false;
}

static void bulk_rereads_the_cpu_pointer_after_the_slow_path(enum kernel_version v)
{
	up(v);
	fill_one_slab();
	helper_slab_free(0, w.objs[OBJS - 1]);	/* one object on c->freelist */
	sim_engine_set_cpu(0);
	sim->step_hook = bulk_hook;
	cr_assert(sim_task_create(0, true, 300, bulk_task, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	sim->step_hook = NULL;
	cr_expect(eq(ptr, w.objs[1], w.objs[OBJS - 1]), "the c->freelist object first");
	cr_expect(ne(ptr, virt_to_slab(w.objs[2]), virt_to_slab(w.objs[0])), "then a new slab's");
	cr_expect(eq(int, bulk_percpu_reads, 2));
	expect_clean();
}

Test(slub_lock_windows, bulk_rereads_the_cpu_pointer_after_the_slow_path_6_1) { bulk_rereads_the_cpu_pointer_after_the_slow_path(KERNEL_6_1); }
Test(slub_lock_windows, bulk_rereads_the_cpu_pointer_after_the_slow_path_6_12) { bulk_rereads_the_cpu_pointer_after_the_slow_path(KERNEL_6_12); }
