/*
 * test_slab_alloc_node_race.c - SLAB's second look at the local node (models/slab/alloc.c),
 * suite `slab_alloc_node_race`: __do_cache_alloc (mm/slab.c:3185, 6.1) calls
 * ____cache_alloc_node for the local node when ____cache_alloc came back empty ("We may just
 * have run out of memory on the local node").  cache_alloc_refill decides to grow from
 * n->free_objects read without n->list_lock (mm/slab.c:2877): when another CPU frees a slab's
 * objects to the node's lists after that read and the grow fails, ____cache_alloc_node finds
 * them under the lock.  The object comes from a local slab list: level 3, as the table of
 * DESIGN.md gives it (get_first_slab on the local node), not 4 (a remote node) nor 2.
 *
 * Strategy (as test_buddy_lock_recheck.c): the task on vCPU 1 holds node 0's list_lock and,
 * after a while, frees an object of a full slab with free_block, as its cache_flusharray
 * would; the task on vCPU 0 allocates meanwhile, finds free_objects 0, fails to grow (the
 * node has no order-8 block left for the allocation's exact-node flags) and spins on the lock.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct kmem_cache *c;
static void *freed;		/* what vCPU 1 gives back under the lock */
static void *got;		/* what vCPU 0's allocation returned */
static struct sim_op got_op;

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
}

TestSuite(slab_alloc_node_race, .fini = down);

static void holder_task(struct sim_task *t, void *arg)
{
	struct kmem_cache_node *n = get_node(c, 0);
	struct list_head list;
	unsigned long flags;

	(void)t;
	(void)arg;
	INIT_LIST_HEAD(&list);
	local_irq_save(flags);
	spin_lock(&n->list_lock);
	sim_yield(200000);
	free_block(c, &freed, 1, 0, &list);
	spin_unlock(&n->list_lock);
	local_irq_restore(flags);
	cr_expect(list_empty(&list), "free_limit keeps the free slab");
}

static void waiter_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_yield(1000);	/* the holder has the lock by now */
	sim_op_begin(&got_op, SIM_OP_OBJ_ALLOC);
	got_op.gfp = GFP_KERNEL;
	got = kmem_cache_alloc_node(c, GFP_KERNEL, NUMA_NO_NODE);
	sim_op_end(&got_op);
}

Test(slab_alloc_node_race, local_node_refound_under_the_lock_is_level_3)
{
	struct sim_lockstat *st;
	uint64_t contended;
	int hogged = 0;

	sc = helper_slab_machine_up(1, 2, 64);
	cr_assert(ne(ptr, (void *)sc, NULL));
	/* 1 MiB objects: one per order-8 slab, no shared array (size > PAGE_SIZE) */
	c = (struct kmem_cache *)kmem_cache_create("race1m", 1u << 20, 0, 0, false);
	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(uint, c->num, 1));
	cr_assert(eq(uint, c->gfporder, 8));
	freed = helper_slab_alloc(1, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, freed, NULL));
	cr_assert(eq(ulong, get_node(c, 0)->free_objects, 0ul));
	cr_assert(eq(uint, c->cpu_cache[0]->avail, 0));
	/* No order-8 block left for cache_grow_begin's flags (gfp_exact_node: no reclaim). */
	while (helper_buddy_alloc(0, 0, gfp_exact_node(GFP_KERNEL), 8, NULL))
		hogged++;
	cr_assert(lt(int, 0, hogged));

	st = sim_lockstat_at(get_node(c, 0)->list_lock.id);
	contended = st->contended;
	sim_engine_set_cpu(0);
	cr_assert(ne(ptr, sim_task_create(0, true, 300, waiter_task, NULL), NULL));
	cr_assert(ne(ptr, sim_task_create(1, true, 301, holder_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	sim_engine_set_cpu(0);
	cr_assert(lt(u64, contended, st->contended), "the allocation spun on list_lock");

	cr_expect(eq(ptr, got, freed), "the slab freed under the lock serves it");
	cr_expect(helper_slab_op_has_label(&got_op, "cache_grow_begin:failed"));
	cr_expect(helper_slab_op_has_label(&got_op, "____cache_alloc_node"));
	cr_expect(not(helper_slab_op_has_label(&got_op, "fallback_alloc")));
	cr_expect(eq(int, got_op.level, 3));
	cr_expect(not(got_op.failed));
}
