/*
 * test_slab_tune_race.c - a slabinfo write that replaces a node's shared array while the
 * reaper holds the old one (models/slab/tune.c, reap.c), suite `slab_tune_race`.
 * setup_kmem_cache_node (mm/slab.c:868, 6.1) with force_change gives the old shared array's
 * objects back with free_block and sets its avail to 0 (line 900) under n->list_lock, before
 * the swap; cache_reap passes n->shared, read without the lock, to drain_array (line 3802),
 * which takes the lock and looks at avail again.  A reaper that read the old array and waits for the lock while
 * the write runs finds it empty: no object goes back to its slab twice.
 *
 * The window: the reaper's local_irq_disable of spin_lock_irq in drain_array (the step
 * hook, as in test_slub_lock_windows.c) takes a 5 ms interrupt; the write on vCPU 1 runs
 * meanwhile.  Machine: one node of 2 vCPUs; "tr64" 64-byte objects, limit 4, batchcount 2,
 * shared 4 (a shared array of 8).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct kmem_cache *c;
static struct sim_op reap_op, *reap_live;
static uint16_t drain_label;
static bool raised, handled, tuned;
static struct array_cache *old_shared;

static void down(void)
{
	sim->step_hook = NULL;
	helper_slab_machine_down(sc);
	slab_set_boot_params(-1, false, true);
}

TestSuite(slab_tune_race, .fini = down);

static void long_irq(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	sim_yield(5000000);	/* 5 ms */
	handled = true;
}

static void window_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	const struct sim_op *op = sim_op_current();

	(void)cost_ns;
	(void)arg;
	if (raised || !reap_live || op != reap_live || sim->yield_kind != SIM_COST_IRQ)
		return;
	if (!op->nr_labels || op->labels[op->nr_labels - 1] != drain_label)
		return;
	raised = true;
	sim_irq_raise(v->cpu, sim_now(), long_irq, NULL);
}

static void reaper_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_op_begin(&reap_op, SIM_OP_OBJ_FREE);	/* an operation to carry the path */
	reap_live = &reap_op;
	slab_cache_reap_now();
	reap_live = NULL;
	sim_op_end(&reap_op);
}

static void tuner_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_yield(1000000);	/* 1 ms: the reaper is in its interrupt by now */
	tuned = slab_tune_cache("tr64", 4, 2, 2) == 0;
}

Test(slab_tune_race, the_reaper_finds_the_replaced_shared_array_empty)
{
	void *o[16];
	unsigned long in_use;

	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(1, 2, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
	c = (struct kmem_cache *)kmem_cache_create("tr64", 64, 0, 0, true);
	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(int, slab_tune_cache("tr64", 4, 2, 4), 0));
	cr_assert(eq(uint, c->node[0]->shared->limit, 8));
	/* vCPU 1's frees overflow its array into the shared one; vCPU 0's array stays empty */
	for (int k = 0; k < 16; k++)
		o[k] = helper_slab_alloc(1, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int k = 0; k < 16; k++)
		helper_slab_free(1, o[k]);
	old_shared = c->node[0]->shared;
	cr_assert(lt(uint, 0, old_shared->avail));
	cr_assert(eq(uint, old_shared->touched, 0));
	cr_assert(eq(uint, c->cpu_cache[0]->avail, 0));
	c->node[0]->next_reap = 0;	/* the node's work is due */

	drain_label = sim_path_label_id("drain_array");
	sim->step_hook = window_hook;
	sim_engine_set_cpu(0);
	cr_assert(ne(ptr, sim_task_create(0, true, 300, reaper_task, NULL), NULL));
	cr_assert(ne(ptr, sim_task_create(1, true, 301, tuner_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	sim->step_hook = NULL;
	sim_engine_set_cpu(0);
	cr_assert(raised && handled, "the reaper was held in the window");
	cr_assert(tuned);
	cr_assert(ne(ptr, (void *)c->node[0]->shared, (void *)old_shared), "the write replaced the array");

	cr_expect(eq(uint, old_shared->avail, 0), "force_change empties the old array");
	/* every object is in a slab or vCPU 1's array, once: the lists agree with the counts */
	in_use = c->node[0]->total_slabs * c->num - c->node[0]->free_objects;
	cr_expect(eq(ulong, in_use, (unsigned long)c->cpu_cache[1]->avail + c->node[0]->shared->avail));
	cr_expect(slab_check(stderr), "slab_check");
}
