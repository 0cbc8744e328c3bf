/*
 * test_slab_host_oom.c - SLAB when the host refuses one of the model's own structures,
 * suite `slab_host_oom` (models/slab, mm/slab.c 6.1.192): the model fails as the kernel
 * does when its kmalloc of the same structure fails.
 *   - kmem_getpages: no struct slab (the kernel's is the page itself; the model's is host
 *     memory): the pages just had go back to the page allocator (__free_pages) and the
 *     grow fails, as cache_grow_begin's failure path after kmem_getpages;
 *   - init_cache_node: no kmem_cache_node (kmalloc_node in mm/slab.c:init_cache_node,
 *     -ENOMEM): setup_kmem_cache_node, setup_kmem_cache_nodes and do_tune_cpucache fail in
 *     turn, enable_cpucache says so (pr_err "enable_cpucache failed for %s") and
 *     kmem_cache_create returns NULL;
 *   - do_tune_cpucache: no new per-CPU array (alloc_kmem_cache_cpus, -ENOMEM) and
 *     cache_random_seq_create: no random sequence (kcalloc, -ENOMEM): enable_cpucache
 *     fails the same way;
 *   - at boot, the same refused for the first cache (set_up_node) or a kmalloc cache
 *     (setup_cpu_cache's node loop): the boot fails (kmem_cache_init), as the kernel's
 *     create_boot_cache panics.
 *
 * Strategy: the executable's malloc, calloc and realloc go through tests/host_oom.c
 * (linked with --wrap); each test refuses the first host allocation of the structure's
 * size on a one-node, one-vCPU machine.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "../host_oom.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = helper_slab_machine_up(1, 1, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	char line[512];
	bool ok = helper_check_first_line(slab_check, line, sizeof(line));

	host_oom_disarm();
	helper_slab_machine_down(sc);
	sc = NULL;
	cr_assert(ok, "slab_check: %s", line);
}

static void redirect_stderr(void)
{
	cr_redirect_stderr();
	up();
}

/* Free pages of the machine: the buddy free lists (NR_FREE_PAGES); slabs of order 8 never
 * pass through the per-CPU lists (pcp holds orders up to PAGE_ALLOC_COSTLY_ORDER). */
static uint64_t free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

Test(slab_host_oom, no_struct_slab_gives_the_pages_back, .init = up, .fini = down)
{
	struct kmem_cache *s = kmem_cache_create("oom1m", 1u << 20, 0, 0, false);
	uint64_t before, pages;
	void *obj;

	cr_assert(ne(ptr, (void *)s, NULL));
	pages = 1ul << s->gfporder;
	cr_assert(eq(u64, pages, 256), "a 1 MiB object takes an order-8 slab");
	before = free_pages();
	host_oom_arm(sizeof(struct slab), 0);
	obj = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(u32, host_oom_failed(), 1));
	/* whatever slabs the cache holds now are all the pages it took: the refused grow's
	 * pages went back */
	cr_expect(eq(u64, before - free_pages(), get_node(s, 0)->total_slabs * pages));
	if (obj)
		helper_slab_free(0, obj);
}

Test(slab_host_oom, no_kmem_cache_node_fails_the_create, .init = redirect_stderr, .fini = down)
{
	host_oom_arm(sizeof(struct kmem_cache_node), 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create("oomnode", 200, 0, 0, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	cr_expect(eq(ptr, (void *)slab_find_cache("oomnode"), NULL));
	fflush(stderr);
	cr_expect_stderr_eq_str("slab: enable_cpucache failed for oomnode\n");
}

/* A 200-byte cache takes limit 120 (enable_cpucache: size <= 256): its per-CPU array is an
 * array_cache of 120 entries, a size nothing else of the create asks for. */
Test(slab_host_oom, no_per_cpu_array_fails_the_create, .init = redirect_stderr, .fini = down)
{
	host_oom_arm(sizeof(struct array_cache) + 120 * sizeof(void *), 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create("oomcpu", 200, 0, 0, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	fflush(stderr);
	cr_expect_stderr_eq_str("slab: enable_cpucache failed for oomcpu\n");
}

/* The random sequence has one index per object: 200-byte objects with their index byte in an
 * order-0 slab are 4096 / 201 = 20 (calculate_slab_order, cache_estimate). */
Test(slab_host_oom, no_random_sequence_fails_the_create, .init = redirect_stderr, .fini = down)
{
	cr_assert(slab_freelist_random);
	host_oom_arm(20 * sizeof(unsigned int), 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create("oomseq", 200, 0, 0, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	fflush(stderr);
	cr_expect_stderr_eq_str("slab: enable_cpucache failed for oomseq\n");
}

/* Boot a one-node SLAB machine with the (skip + 1)-th kmem_cache_node refused: false when
 * the boot failed (the machine is torn down either way). */
static bool boot_refusing(size_t bytes, unsigned int skip)
{
	uint64_t zones[1][4] = { { 16, 240, 0, 0 } };
	struct sim_scenario *m = calloc(1, sizeof(*m));
	bool up_ok;

	cr_assert(ne(ptr, (void *)m, NULL));
	sim_scenario_default(m);
	m->nr_nodes = 1;
	m->node[0].nr_cpus = 1;
	for (int zid = 0; zid < 4; zid++)
		m->node[0].zone_mib[zid] = zones[0][zid];
	host_oom_arm(bytes, skip);
	up_ok = helper_slab_machine_up_sc(m) != NULL;
	cr_expect(eq(u32, host_oom_failed(), 1));
	host_oom_disarm();
	helper_slab_machine_down(m);
	return up_ok;
}

static bool boot_refusing_node(unsigned int skip)
{
	return boot_refusing(sizeof(struct kmem_cache_node), skip);
}

/* The first kmem_cache_node of the boot is the kmem_cache cache's own (set_up_node). */
Test(slab_host_oom, no_node_for_the_first_cache_fails_the_boot)
{
	cr_expect(not(boot_refusing_node(0)));
}

/* The third is the first kmalloc cache's after kmalloc-128 (setup_cpu_cache, PARTIAL_NODE). */
Test(slab_host_oom, no_node_for_a_kmalloc_cache_fails_the_boot)
{
	cr_expect(not(boot_refusing_node(2)));
}
