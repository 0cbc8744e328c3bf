/*
 * test_slab_refill.c - how far SLAB's slow paths go, suite `slab_refill` (mm/slab.c, 6.1.192):
 *   - cache_alloc_refill takes objects while batchcount lasts: once a batch is in the
 *     array it touches no further slab (a free slab stays on slabs_free);
 *   - fallback_alloc walks the whole zonelist of the local node, the farthest node too,
 *     before it grows, and takes the object from the node the new slab came from;
 *   - setup_kmem_cache_node (force_change) frees the old shared array's kmalloc object.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up_nodes(int nodes, uint64_t mib)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(nodes, 2, mib);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	cr_expect(slab_check(stderr));
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

static size_t list_len(const struct list_head *h)
{
	size_t n = 0;

	for (const struct list_head *p = h->next; p != h; p = p->next)
		n++;
	return n;
}

/* Empty node `nid` of free pages (from a vCPU of that node); the pages stay allocated. */
static void drain_node(int cpu, int nid)
{
	sim_engine_set_cpu(cpu);
	for (int order = MAX_ORDER - 1; order >= 0; order--)
		while (alloc_pages_node(nid, GFP_NOWAIT | __GFP_THISNODE | __GFP_NOWARN, (unsigned int)order))
			;
}

/*
 * cache_alloc_refill (mm/slab.c) loops "while (batchcount > 0)": alloc_block returns what is
 * left of the batch, and a batch that ends exactly as a slab fills stops there.  With
 * batchcount = num and two free slabs, one refill takes the first free slab whole (to
 * slabs_full) and leaves the second on slabs_free (get_first_slab is not called again, so
 * free_slabs is not decremented and the slab is not moved to slabs_partial by
 * fixup_slab_list).
 */
Test(slab_refill, a_batch_that_fills_a_slab_leaves_the_next_free_slab_alone, .fini = down)
{
	struct kmem_cache *s;
	struct kmem_cache_node *n;
	void *o[64];
	unsigned int num;

	up_nodes(1, 256);
	s = (struct kmem_cache *)kmem_cache_create("refill1k", 1024, 0, 0, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	num = s->num;
	cr_assert(le(uint, 2, num));
	cr_assert(le(uint, 2 * num, 64));
	cr_assert(eq(int, slab_tune_cache("refill1k", (int)num, (int)num, 0), 0));
	n = s->node[0];

	for (unsigned int i = 0; i < 2 * num; i++)
		o[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (unsigned int i = 0; i < 2 * num; i++)
		helper_slab_free(0, o[i]);
	/* do_tune_cpucache empties the old arrays into the slabs (free_block): two free slabs */
	cr_assert(eq(int, slab_tune_cache("refill1k", (int)num, (int)num, 0), 0));
	cr_assert(eq(ulong, n->free_slabs, 2));
	cr_assert(eq(ulong, n->total_slabs, 2));
	cr_assert(eq(ulong, n->free_objects, 2 * num));

	/* vCPU 1's array is empty and untouched: batchcount num (<= BATCHREFILL_LIMIT 16) */
	cr_assert(le(uint, num, 16));
	o[0] = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, o[0], NULL));
	cr_expect(eq(uint, s->cpu_cache[1]->avail, num - 1));
	cr_expect(eq(ulong, n->free_slabs, 1));
	cr_expect(eq(sz, list_len(&n->slabs_free), 1));
	cr_expect(eq(sz, list_len(&n->slabs_full), 1));
	cr_expect(eq(sz, list_len(&n->slabs_partial), 0));
	cr_expect(eq(ulong, n->free_objects, num));
}

/*
 * fallback_alloc (mm/slab.c) walks every zone of the zonelist of the local node
 * (for_each_zone_zonelist_nodemask over node_zonelist(numa_mem_id(), flags)): node 1's
 * zonelist is node 1 then node 0.  vCPU 2 (node 1) asks for node 1, which has no free
 * pages: ____cache_alloc_node cannot grow there and falls back; node 1 holds no free
 * objects, node 0 (the zonelist's last node) holds the partial slab vCPU 0 left, so the
 * object comes from that slab and nothing grows.
 */
Test(slab_refill, fallback_alloc_reaches_the_last_node_of_the_zonelist, .fini = down)
{
	struct kmem_cache *s;
	void *local, *x;

	up_nodes(2, 256);
	s = (struct kmem_cache *)kmem_cache_create("fbl64", 64, 0, SLAB_HWCACHE_ALIGN, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	local = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, local, NULL));
	cr_assert(eq(ulong, s->node[0]->total_slabs, 1));
	drain_node(2, 1);

	x = helper_slab_alloc(2, s, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, x, NULL));
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_expect(eq(int, helper_slab_last_level(), 4));
	cr_expect(eq(int, helper_slab_last_op()->mem_node, 0));
	cr_expect(eq(ptr, (void *)virt_to_slab(x), (void *)virt_to_slab(local)));
	cr_expect(eq(ulong, s->node[0]->total_slabs, 1));
	cr_expect(eq(ulong, s->node[1]->total_slabs, 0));
}

/*
 * fallback_alloc (mm/slab.c): with no free objects on any node it grows with the caller's
 * full flags (cache_grow_begin from numa_mem_id()) and takes the object from the new slab's
 * node, "nid = slab_nid(slab)".  vCPU 0 asks for node 1, which has no free pages: the slab
 * grows on node 0, where the first ____cache_alloc_node finds it; the retry (another CPU
 * having emptied the slab) is not taken.
 */
Test(slab_refill, fallback_alloc_takes_from_the_grown_slabs_node, .fini = down)
{
	struct kmem_cache *s;
	struct helper_slab_log log = { 0 };
	void *x;

	up_nodes(2, 256);
	s = (struct kmem_cache *)kmem_cache_create("fbg64", 64, 0, SLAB_HWCACHE_ALIGN, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	drain_node(2, 1);

	helper_slab_log_start(&log);
	x = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, x, NULL));
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_expect(not(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc:retry")));
	cr_expect(eq(int, slab_nid(virt_to_slab(x)), 0));
	cr_expect(eq(ulong, s->node[0]->total_slabs, 1));
	cr_expect(eq(ulong, s->node[0]->free_objects, s->num - 1));
	/* one grow tried on node 1 (failed), one on node 0: no second try on node 1 */
	cr_expect(eq(sz, helper_slab_count_label(&log, SIM_OP_OBJ_ALLOC, "cache_grow_begin:failed"), 1));
	helper_slab_log_stop(&log);
}

/*
 * setup_kmem_cache_node (mm/slab.c), force_change: the node takes the new shared array
 * and the old one is freed (kfree(old_shared) after synchronize_rcu).  The model's array
 * is a kmalloc object; kfree on vCPU 0 puts it at the hot end of vCPU 0's array of its
 * kmalloc cache (___cache_free).
 */
Test(slab_refill, a_new_shared_count_frees_the_old_shared_array, .fini = down)
{
	struct kmem_cache *s, *kc;
	void *old;
	struct array_cache *ac;

	up_nodes(1, 256);
	s = (struct kmem_cache *)kmem_cache_create("tws64", 64, 0, 0, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(ptr, (void *)s->node[0]->shared, NULL));
	old = s->node[0]->shared->sim_obj;
	cr_assert(ne(ptr, old, NULL));
	kc = virt_to_slab(old)->slab_cache;

	sim_engine_set_cpu(0);
	cr_assert(eq(int, slab_tune_cache("tws64", (int)s->limit, (int)s->batchcount, 4), 0));
	cr_assert(ne(ptr, s->node[0]->shared->sim_obj, old));
	ac = kc->cpu_cache[0];
	cr_assert(lt(uint, 0, ac->avail));
	cr_expect(eq(ptr, ac->entry[ac->avail - 1], old));
}
