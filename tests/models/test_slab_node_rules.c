/*
 * test_slab_node_rules.c - SLAB's decisions that depend on the machine's nodes (models/slab/alloc.c,
 * free.c), suite `slab_node_rules`: __do_cache_alloc for a node the cache has no kmem_cache_node
 * on, and ___cache_free's alien check, which only a machine of more than one node makes
 * (mm/slab.c, 6.1).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up_nodes(int nr_nodes)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(nr_nodes, 1, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	bool ok = slab_check(stderr);

	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
	cr_assert(ok, "slab_check");
}

static void up2(void)
{
	up_nodes(2);
}

/*
 * __do_cache_alloc (mm/slab.c:3206, 6.1): a node id that is neither NUMA_NO_NODE nor the local
 * node, and for which the cache has no kmem_cache_node ("Node not bootstrapped yet"), goes to
 * fallback_alloc, which takes an object from the first node in zonelist order that has free
 * objects or grows a slab wherever the page allocator finds pages: the allocation succeeds.
 * Node 2 of a two-node machine has no kmem_cache_node.
 */
Test(slab_node_rules, alloc_on_a_node_without_kmem_cache_node_falls_back, .init = up2, .fini = down)
{
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("nodeless64", 64, 0, 0, false);
	void *o;

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(ptr, (void *)c->node[2], NULL));
	o = helper_slab_alloc(0, c, 0, GFP_KERNEL, 2);
	cr_expect(ne(ptr, o, NULL), "fallback_alloc serves it");
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_expect(not(helper_slab_last_op()->failed));
	if (o) {
		int nid = slab_nid(virt_to_slab(o));

		cr_expect(nid == 0 || nid == 1, "an object of a node the machine has (%d)", nid);
		helper_slab_free(0, o);
	}
}

/* Simulated time of one kfree that finds room in the per-CPU array (freehit), per-CPU reads
 * charged `percpu_ns` each. */
static uint64_t freehit_ns(const char *name, uint32_t percpu_ns)
{
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create(name, 64, 0, 0, false);
	const struct sim_op *op;
	void *o;

	cr_assert(ne(ptr, (void *)c, NULL));
	o = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, o, NULL));
	cr_assert(eq(int, slab_nid(virt_to_slab(o)), 0), "a local object");
	cr_assert(lt(u32, c->cpu_cache[0]->avail, c->cpu_cache[0]->limit), "room for a freehit");
	sim->cost[SIM_COST_PERCPU] = percpu_ns;
	helper_slab_free(0, o);
	op = helper_slab_last_op();
	cr_assert(helper_slab_op_has_label(op, "___cache_free:freehit"));
	return op->end_ns - op->start_ns;
}

/*
 * ___cache_free (mm/slab.c:3416, 6.1) calls cache_free_alien only when nr_online_nodes > 1;
 * cache_free_alien reads numa_mem_id() (a per-CPU read) and, for a local object, returns 0.
 * So a local freehit on a two-node machine costs exactly one per-CPU read more than on a
 * one-node machine; on one node the per-CPU reads of the free do not include that one.
 */
Test(slab_node_rules, one_node_frees_skip_the_alien_check)
{
	uint64_t one_a, one_b, two_a, two_b;

	up_nodes(1);
	one_a = freehit_ns("fh1a", 1000);
	one_b = freehit_ns("fh1b", 3000);
	down();
	up_nodes(2);
	two_a = freehit_ns("fh2a", 1000);
	two_b = freehit_ns("fh2b", 3000);
	down();
	/* 2000 ns more per per-CPU read: the two-node free makes one read more */
	cr_expect(eq(u64, (two_b - two_a) - (one_b - one_a), 2000),
		  "one node %lu -> %lu ns, two nodes %lu -> %lu ns", (unsigned long)one_a, (unsigned long)one_b,
		  (unsigned long)two_a, (unsigned long)two_b);
}

/*
 * fallback_alloc (mm/slab.c:3093, 6.1) walks the zonelist of numa_mem_id(), which
 * build_zonelists orders with find_next_best_node (mm/page_alloc.c:6253): the local node,
 * then the lowest value of distance + 1 for a node below the local one + the penalty of a
 * node with CPUs, ties to the lowest id (val < min_val).  Three nodes at distance 20, one
 * CPU each: node 0 visits 1 before 2 (equal values), node 1 visits 2 (20) before 0 (21),
 * node 2 visits 0 before 1 (both 21).  A cache with free objects on the two other nodes and
 * none on the local one: the fallback object comes from the first of them.
 */
/*
 * From vCPU `cpu` (whose node has no free objects of a new cache), with free objects on every
 * other node of the machine's `nr_nodes`: the node of the object fallback_alloc gives for a
 * node the cache has no kmem_cache_node for (id nr_nodes).
 */
static int first_fallback_node_gfp(int cpu, int nr_nodes, gfp_t gfp, int *level)
{
	int local = sim->vcpu[cpu].node, nid_got;
	struct kmem_cache *c;
	void *held[SIM_MAX_NODES] = { NULL }, *o;
	char name[32];

	snprintf(name, sizeof(name), "zl%d", cpu);
	/* a constructor keeps it from merging with kmalloc-64 or the zl cache before */
	c = (struct kmem_cache *)kmem_cache_create(name, 64, 0, 0, true);
	cr_assert(ne(ptr, (void *)c, NULL));
	for (int nid = 0; nid < nr_nodes; nid++) {
		if (nid == local)
			continue;
		/* ____cache_alloc_node grows a slab there: num - 1 objects stay free on it */
		held[nid] = helper_slab_alloc(cpu, c, 0, GFP_KERNEL, nid);
		cr_assert(ne(ptr, held[nid], NULL));
		cr_assert(eq(int, slab_nid(virt_to_slab(held[nid])), nid));
		cr_assert(lt(ulong, 0ul, get_node(c, nid)->free_objects));
	}
	cr_assert(eq(ulong, get_node(c, local)->free_objects, 0ul));
	cr_assert(eq(ptr, (void *)c->node[nr_nodes], NULL));
	o = helper_slab_alloc(cpu, c, 0, gfp, nr_nodes);	/* no kmem_cache_node: fallback_alloc */
	cr_assert(ne(ptr, o, NULL));
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	*level = helper_slab_last_op()->level;
	nid_got = slab_nid(virt_to_slab(o));
	helper_slab_free(cpu, o);
	for (int nid = 0; nid < nr_nodes; nid++)
		if (held[nid])
			helper_slab_free(cpu, held[nid]);
	return nid_got;
}

static int first_fallback_node(int cpu, int nr_nodes)
{
	int level, nid = first_fallback_node_gfp(cpu, nr_nodes, GFP_KERNEL, &level);

	cr_expect(eq(int, level, 4), "an object of a node's slab lists");
	return nid;
}

Test(slab_node_rules, fallback_takes_the_first_remote_node_of_the_zonelist, .fini = down)
{
	static const int first[3] = { 1, 2, 0 };

	up_nodes(3);
	for (int cpu = 0; cpu < 3; cpu++)
		cr_expect(eq(int, first_fallback_node(cpu, 3), first[cpu]), "CPU %d on node %d", cpu, cpu);
}

/*
 * find_next_best_node (mm/page_alloc.c:6486, 6.1) gives preference to headless nodes: a node
 * with CPUs costs PENALTY_FOR_NODE_WITH_CPUS (1) more.  Nodes 0 and 1 with a CPU each, node 2
 * with none: node 0 visits 2 (20) before 1 (21), node 1 visits 2 (20) before 0 (22).
 */
/* A machine of nodes with cpus[n] vCPUs and mib[n][ZONE_*] MiB (distances 10 / 20). */
static void up_custom(int nr_nodes, const int *cpus, const uint64_t (*mib)[MAX_NR_ZONES])
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = nr_nodes;
	for (int nid = 0; nid < nr_nodes; nid++) {
		memset(&s->node[nid], 0, sizeof(s->node[nid]));
		s->node[nid].nr_cpus = cpus[nid];
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			s->node[nid].zone_mib[zid] = mib[nid][zid];
	}
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up_sc(s);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

Test(slab_node_rules, fallback_prefers_a_node_without_cpus, .fini = down)
{
	static const int cpus[3] = { 1, 1, 0 };
	static const uint64_t mib[3][MAX_NR_ZONES] = { { 16, 240, 0, 0 }, { 0, 256, 0, 0 }, { 0, 256, 0, 0 } };

	up_custom(3, cpus, mib);
	cr_assert(eq(int, nr_cpus_node(2), 0));
	for (int cpu = 0; cpu < 2; cpu++)
		cr_expect(eq(int, first_fallback_node(cpu, 3), 2), "CPU %d on node %d", cpu, cpu);
}

/*
 * fallback_alloc (mm/slab.c:3093, 6.1) visits each zone of the zonelist up to
 * gfp_zone(flags) (for_each_zone_zonelist_nodemask with highest_zoneidx): a GFP_KERNEL
 * allocation reaches ZONE_NORMAL, so a node whose memory is all Normal is visited, and its
 * free objects serve before a slab is grown on the local node; a __GFP_DMA32 allocation
 * (gfp_zone: ZONE_DMA32) passes it over and grows a slab on its own node.
 */
Test(slab_node_rules, fallback_visits_a_node_of_normal_memory_only, .fini = down)
{
	static const int cpus[2] = { 1, 1 };
	static const uint64_t mib[2][MAX_NR_ZONES] = { { 16, 240, 0, 0 }, { 0, 0, 256, 0 } };

	int level;

	up_custom(2, cpus, mib);
	cr_assert(buddy_zone_populated(1, ZONE_NORMAL));
	cr_assert(not(buddy_zone_populated(1, ZONE_DMA32)));
	cr_expect(eq(int, first_fallback_node(0, 2), 1));
	/* __GFP_DMA32 stops at ZONE_DMA32: node 1 is passed over and a slab grows on node 0 */
	cr_expect(eq(int, first_fallback_node_gfp(0, 2, GFP_KERNEL | __GFP_DMA32, &level), 0));
	cr_expect(eq(int, level, 5), "a new slab");
}
