/*
 * test_slub_boot.c - what SLUB's setup decides per machine, suite `slub_boot`: the nodes it
 * serves (slab_nodes, kmem_cache_init) and the gfp of a cache's own struct once booted
 * (create_cache), under 6.1 (mm/slub.c, mm/slab_common.c of 6.1.192).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

/* 2 nodes of one vCPU each with zone_mib0 / zone_mib1 MiB (DMA, DMA32, Normal, Movable). */
static struct sim_scenario *two_nodes(const uint64_t *zone_mib0, const uint64_t *zone_mib1)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 2;
	sc->node[0] = (struct sim_node_cfg){ .nr_cpus = 1 };
	sc->node[1] = (struct sim_node_cfg){ .nr_cpus = 1 };
	memcpy(sc->node[0].zone_mib, zone_mib0, sizeof(sc->node[0].zone_mib));
	memcpy(sc->node[1].zone_mib, zone_mib1, sizeof(sc->node[1].zone_mib));
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	return sc;
}

/*
 * kmem_cache_init builds slab_nodes from N_NORMAL_MEMORY (for_each_node_state(node,
 * N_NORMAL_MEMORY) node_set(node, slab_nodes)): a node whose memory is all ZONE_MOVABLE is
 * not in it, so no cache gets a kmem_cache_node there (init_kmem_cache_nodes walks
 * slab_nodes).  Each machine decides afresh: a second machine whose node 1 is movable-only
 * does not inherit the first one's node 1.
 */
Test(slub_boot, slab_nodes_are_the_nodes_with_normal_memory_of_this_machine)
{
	static const uint64_t normal[4] = { 16, 240, 0, 0 }, movable[4] = { 0, 0, 0, 256 };
	struct sim_scenario *sc;
	struct kmem_cache *s;

	sc = two_nodes(normal, normal);
	cr_expect(node_isset_slab(0));
	cr_expect(node_isset_slab(1));
	s = kmem_cache_create("boot_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_expect(ne(ptr, (void *)get_node(s, 1), NULL));
	helper_slab_machine_down(sc);

	sc = two_nodes(normal, movable);
	cr_expect(node_isset_slab(0));
	cr_expect(not(node_isset_slab(1)));
	s = kmem_cache_create("boot_test", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_expect(ne(ptr, (void *)get_node(s, 0), NULL));
	cr_expect(eq(ptr, (void *)get_node(s, 1), NULL));
	helper_slab_machine_down(sc);
}

/*
 * create_cache (mm/slab_common.c) takes the new cache's struct with
 * kmem_cache_zalloc(kmem_cache, GFP_KERNEL) once slab_state is UP (before, the boot caches
 * are static): a slab it needs is asked for with __GFP_IO | __GFP_FS (GFP_KERNEL through
 * new_slab's GFP_RECLAIM_MASK).  Every page the creation of 200 caches (with constructors:
 * never merged) asks for inside one operation (new slabs of kmem_cache among them) carries both.
 */
Test(slub_boot, a_cache_struct_after_boot_is_a_gfp_kernel_allocation)
{
	static const uint64_t normal[4] = { 16, 240, 0, 0 };
	struct sim_scenario *sc = two_nodes(normal, normal);
	struct helper_slab_log log;
	struct kmem_cache *k = slab_find_cache("kmem_cache");
	unsigned long slabs, pages = 0;
	struct sim_op op;
	char name[32];

	cr_assert(ne(ptr, (void *)k, NULL));
	cr_assert(eq(int, slab_state, UP));
	slabs = get_node(k, 0)->nr_slabs + get_node(k, 1)->nr_slabs;
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = GFP_KERNEL;
	for (int i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "boot_gfp_%d", i);
		cr_assert(ne(ptr, (void *)kmem_cache_create(name, 64, 0, 0, true), NULL));
	}
	sim_op_end(&op);
	cr_expect(lt(ulong, slabs, get_node(k, 0)->nr_slabs + get_node(k, 1)->nr_slabs));
	for (size_t i = 0; i < log.nr; i++) {
		if (log.ops[i].kind != SIM_OP_PAGE_ALLOC)
			continue;
		pages++;
		cr_expect(eq(uint, log.ops[i].gfp & (__GFP_IO | __GFP_FS), __GFP_IO | __GFP_FS),
			  "page alloc %zu: gfp %#x", i, (unsigned int)log.ops[i].gfp);
	}
	cr_expect(lt(ulong, 1, pages));
	helper_slab_log_stop(&log);
	helper_slab_machine_down(sc);
}

/*
 * kmem_cache_init (mm/slub.c, 6.1 and 6.12): early_kmem_cache_node_alloc puts each node's
 * first kmem_cache_node slab on that node's partial list (__add_partial, DEACTIVATE_TO_HEAD)
 * with one object taken, so the next kmem_cache_node object for that node (kmem_cache's own,
 * create_boot_cache(kmem_cache) right after) comes from the same slab through
 * get_partial_node.  create_boot_cache sets refcount -1 (exempt from merging), which the two
 * boot caches keep; create_kmalloc_cache makes the kmalloc caches' 1.
 */
static void boot_caches_case(enum kernel_version v)
{
	static const uint64_t normal[4] = { 16, 240, 0, 0 };
	struct sim_scenario *sc;
	struct kmem_cache *kc, *kn;

	kernel_version = v;
	sc = two_nodes(normal, normal);
	kc = slab_find_cache("kmem_cache");
	kn = slab_find_cache("kmem_cache_node");
	cr_assert(ne(ptr, (void *)kc, NULL));
	cr_assert(ne(ptr, (void *)kn, NULL));
	for (int nid = 0; nid < 2; nid++) {
		cr_assert(ne(ptr, (void *)get_node(kn, nid), NULL));
		cr_assert(ne(ptr, (void *)get_node(kc, nid), NULL));
		cr_expect(eq(ptr, (void *)virt_to_slab(get_node(kc, nid)->obj),
			     (void *)virt_to_slab(get_node(kn, nid)->obj)), "node %d", nid);
		cr_expect(eq(int, virt_to_slab(get_node(kn, nid)->obj)->nid, nid));
	}
	cr_expect(eq(int, kc->refcount, -1));
	cr_expect(eq(int, kn->refcount, -1));
	cr_expect(eq(int, slab_find_cache("kmalloc-64")->refcount, 1));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_boot, the_first_node_slab_serves_the_next_boot_cache_61)
{
	boot_caches_case(KERNEL_6_1);
}

Test(slub_boot, the_first_node_slab_serves_the_next_boot_cache_612)
{
	boot_caches_case(KERNEL_6_12);
}

/*
 * The boot parameters' defaults (slub_params_default), Debian's 6.1 and 6.12 kernels:
 * slub_min_order 0, slub_max_order PAGE_ALLOC_COSTLY_ORDER (3; mm/slub.c, !CONFIG_SLUB_TINY),
 * slub_min_objects 0 (computed from the CPU count), no slub_debug, and the configuration
 * switches CONFIG_SLAB_FREELIST_RANDOM, CONFIG_SLAB_FREELIST_HARDENED and
 * CONFIG_SLUB_CPU_PARTIAL on (/boot/config-6.1.0-*: all =y).  Every field is set, whatever
 * the struct held before.
 */
Test(slub_boot, params_default_sets_every_field)
{
	static const unsigned char fill[] = { 0x00, 0xff };

	for (size_t i = 0; i < sizeof(fill); i++) {
		struct slub_params p;

		memset(&p, fill[i], sizeof(p));
		slub_params_default(&p);
		cr_expect(eq(u32, p.min_order, 0), "fill %#x", fill[i]);
		cr_expect(eq(u32, p.max_order, 3), "fill %#x", fill[i]);
		cr_expect(eq(u32, p.min_objects, 0), "fill %#x", fill[i]);
		cr_expect(eq(u32, (unsigned int)p.debug, 0), "fill %#x", fill[i]);
		cr_expect(p.freelist_random, "fill %#x", fill[i]);
		cr_expect(p.freelist_hardened, "fill %#x", fill[i]);
		cr_expect(p.cpu_partial, "fill %#x", fill[i]);
	}
}

/*
 * SLUB's kmem_cache_init calls create_kmalloc_caches(0) (mm/slub.c 6.1: line 4892), and
 * new_kmalloc_cache adds only its type's flag (mm/slab_common.c: SLAB_RECLAIM_ACCOUNT for
 * KMALLOC_RECLAIM, none for KMALLOC_NORMAL), create_kmalloc_cache SLAB_KMALLOC;
 * kmem_cache_open keeps them (no slub_debug) and adds __CMPXCHG_DOUBLE (no debug flag).
 * So every kmalloc cache's s->flags is exactly those, no other bit.
 */
Test(slub_boot, kmalloc_caches_have_only_their_types_flags)
{
	static const uint64_t normal[4] = { 16, 240, 0, 0 };
	struct sim_scenario *sc = two_nodes(normal, normal);
	int n = 0;

	for (int i = 1; i <= KMALLOC_SHIFT_HIGH; i++) {
		struct kmem_cache *k = kmalloc_caches[KMALLOC_NORMAL][i];
		struct kmem_cache *r = kmalloc_caches[KMALLOC_RECLAIM][i];

		if (!k)
			continue;
		n++;
		cr_expect(eq(u32, k->flags, SLAB_KMALLOC | __CMPXCHG_DOUBLE), "%s", k->name);
		cr_assert(ne(ptr, (void *)r, NULL));
		cr_expect(eq(u32, r->flags, SLAB_KMALLOC | SLAB_RECLAIM_ACCOUNT | __CMPXCHG_DOUBLE), "%s", r->name);
	}
	/* kmalloc-8 .. kmalloc-8k and kmalloc-96, kmalloc-192: KMALLOC_SHIFT_LOW 3 to 13 */
	cr_expect(eq(int, n, 13));
	helper_slab_machine_down(sc);
}

/*
 * slab_state through a machine's life: kmem_cache_init ends UP (mm/slub.c 6.1: slab_state =
 * UP after create_kmalloc_caches; FULL comes with slab_sysfs_init, which the model has not),
 * and tearing the machine down leaves SLUB DOWN again, as before any kmem_cache_init (the
 * state the next boot's early_kmem_cache_node_alloc path tests for).
 */
Test(slub_boot, slab_state_is_up_after_boot_and_down_after_exit)
{
	static const uint64_t normal[4] = { 16, 240, 0, 0 };
	struct sim_scenario *sc = two_nodes(normal, normal);

	cr_expect(eq(int, slab_state, UP));
	helper_slab_machine_down(sc);
	cr_expect(eq(int, slab_state, DOWN));
}

/*
 * N_NORMAL_MEMORY takes a node with memory in any zone up to ZONE_NORMAL (mm/page_alloc.c
 * check_for_memory: node_set_state(nid, N_NORMAL_MEMORY) for zone_type <= ZONE_NORMAL), so a
 * node whose memory is all ZONE_NORMAL is in slab_nodes, and caches get a kmem_cache_node
 * there.
 */
Test(slub_boot, a_node_with_only_normal_memory_is_a_slab_node)
{
	static const uint64_t low[4] = { 16, 240, 0, 0 }, normal_only[4] = { 0, 0, 256, 0 };
	struct sim_scenario *sc = two_nodes(low, normal_only);
	struct kmem_cache *s;

	cr_expect(node_isset_slab(0));
	cr_expect(node_isset_slab(1));
	s = kmem_cache_create("boot_normal", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_expect(ne(ptr, (void *)get_node(s, 1), NULL));
	helper_slab_machine_down(sc);
}
