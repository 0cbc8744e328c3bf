/*
 * test_slub_node_locks.c - whose lock a SLUB node's list_lock is in the lock table (models/slub/slub.c),
 * suite `slub_node_locks`: early_kmem_cache_node_alloc and init_kmem_cache_nodes (mm/slub.c,
 * 6.1) give every cache one struct kmem_cache_node per node, its list_lock that node's.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = helper_slub_machine_up(2, 1, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	cr_expect(slub_check(stderr));
	helper_slab_machine_down(sc);
	sc = NULL;
}

/* a constructor keeps it from merging into kmalloc-96 */
static void expect_node_lock(struct kmem_cache *s, int node, const char *cache)
{
	const struct sim_lockstat *l;

	cr_assert(ne(ptr, (void *)s->node[node], NULL), "%s node %d", cache, node);
	l = sim_lockstat_at(s->node[node]->list_lock.id);
	cr_assert(ne(ptr, (void *)l, NULL));
	cr_expect(eq(int, l->cpu, -1), "%s node %d: no CPU's", cache, node);
	cr_expect(eq(int, l->node, node), "%s node %d", cache, node);
	cr_expect(eq(int, l->zone, -1), "%s node %d: no zone's (-1)", cache, node);
	cr_expect(eq(str, (char *)l->cache, (char *)cache));
}

/*
 * The boot cache kmem_cache_node gets its per-node structs from early_kmem_cache_node_alloc
 * (mm/slub.c: init_kmem_cache_node(n) on an object of its own first slab), every later cache
 * from init_kmem_cache_nodes; either way the list_lock is per node, of no CPU and no zone.
 */
Test(slub_node_locks, a_node_list_lock_is_the_nodes_alone, .init = up, .fini = down)
{
	struct kmem_cache *node_cache = slab_find_cache("kmem_cache_node");
	struct kmem_cache *s = kmem_cache_create("nodelocks96", 96, 0, 0, true);

	cr_assert(ne(ptr, (void *)node_cache, NULL));
	cr_assert(ne(ptr, (void *)s, NULL));
	for (int node = 0; node < 2; node++) {
		expect_node_lock(node_cache, node, "kmem_cache_node");
		expect_node_lock(s, node, s->name);
	}
}
