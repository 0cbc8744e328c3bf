/*
 * test_slub_host_oom.c - SLUB when the host refuses the model's struct kmem_cache_node,
 * suite `slub_host_oom` (models/slub, mm/slub.c 6.1.192).  The kernel's node structure is the
 * kmem_cache_node object itself; the model keeps a host struct beside the object.  Refused,
 * init_kmem_cache_nodes fails as the kernel's does when kmem_cache_alloc_node returns NULL
 * (mm/slub.c init_kmem_cache_nodes: free_kmem_cache_nodes, return 0), and the object it
 * already had goes back to kmem_cache_node: kmem_cache_create returns NULL and the next
 * kmem_cache_node object handed out on the same CPU is that one again (the CPU freelist's
 * head, LIFO), by do_slab_free's fast path: one object, one FREE_FASTPATH (6.12 adds cnt,
 * mm/slub.c do_slab_free: stat_add(s, FREE_FASTPATH, cnt)).
 *
 * Strategy: the executable's malloc, calloc and realloc go through tests/host_oom.c (linked
 * with --wrap); a one-node, one-vCPU machine; slub_check after.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "../host_oom.h"
#include "models/slub/slub.h"
#include "models/slab_common/slab_common.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up_kernel(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(1, 1, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	char line[512];
	bool ok = helper_check_first_line(slub_check, line, sizeof(line));

	host_oom_disarm();
	helper_slab_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
	cr_assert(ok, "slub_check: %s", line);
}

/* On a booted machine: a create whose host allocation of `bytes` is refused fails, and gives
 * back the kmem_cache_node object it had taken: the next one on vCPU 0 is the same (LIFO). */
static void node_object_back(size_t bytes, const char *name)
{
	struct kmem_cache *node_cache;
	void *first, *again;
	unsigned long fast;

	node_cache = slab_find_cache("kmem_cache_node");
	cr_assert(ne(ptr, (void *)node_cache, NULL));
	/* the object the next kmem_cache_node allocation on vCPU 0 gets */
	first = helper_slab_alloc(0, node_cache, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, first, NULL));
	helper_slab_free(0, first);

	sim_engine_set_cpu(0);
	fast = slub_stat(node_cache, FREE_FASTPATH, -1);
	host_oom_arm(bytes, 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create(name, 200, 0, 0, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	cr_expect(eq(ptr, (void *)slab_find_cache(name), NULL));
	cr_expect(eq(ulong, slub_stat(node_cache, FREE_FASTPATH, -1), fast + 1));

	again = helper_slab_alloc(0, node_cache, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(ptr, again, first), "the refused create's node object was not freed back");
	helper_slab_free(0, again);
}

Test(slub_host_oom, no_node_struct_gives_the_node_object_back, .fini = down)
{
	up_kernel(KERNEL_6_1);
	node_object_back(sizeof(struct kmem_cache_node), "oomnode");
}

Test(slub_host_oom, no_node_struct_gives_the_node_object_back_612, .fini = down)
{
	up_kernel(KERNEL_6_12);
	node_object_back(sizeof(struct kmem_cache_node), "oomnode");
}

/*
 * kmem_cache_open (mm/slub.c 6.1): when alloc_kmem_cache_cpus fails after init_kmem_cache_nodes
 * succeeded, the error path's __kmem_cache_release runs free_kmem_cache_nodes, which gives each
 * node's kmem_cache_node object back (kmem_cache_free(kmem_cache_node, n)).  The host refuses
 * the per-CPU array (nr_cpu_ids structs, one here): the create fails, and the next
 * kmem_cache_node object on the same CPU is the one the refused cache had taken (LIFO).
 */
static void cpu_array_refused(enum kernel_version v)
{
	up_kernel(v);
	node_object_back((size_t)nr_cpu_ids * sizeof(struct kmem_cache_cpu), "oomcpu");
}

Test(slub_host_oom, no_cpu_array_gives_the_node_object_back, .fini = down)
{
	cpu_array_refused(KERNEL_6_1);
}

Test(slub_host_oom, no_cpu_array_gives_the_node_object_back_612, .fini = down)
{
	cpu_array_refused(KERNEL_6_12);
}

/*
 * Boots that the host cuts short.  kmem_cache_init needs two host structs kmem_cache_node
 * and kmem_cache before anything else; either refused, the boot fails (the kernel panics
 * when create_boot_cache fails) and the teardown frees the one it got, off every list.  The
 * struct slab pool is the run's own: a machine torn down gives its chunks back
 * (slub_slab_pool_release), so the next boot's first slab (early_kmem_cache_node_alloc)
 * asks the host for a fresh chunk; refused, allocate_slab's order fallback asks again (and
 * counts nothing: kmem_cache_node has no per-CPU array yet) and the boot goes on.
 */
static bool boot_refusing(size_t bytes, unsigned int skip)
{
	struct sim_scenario *m = calloc(1, sizeof(*m));
	bool up_ok;

	cr_assert(ne(ptr, (void *)m, NULL));
	sim_scenario_default(m);
	m->nr_nodes = 1;
	m->node[0].nr_cpus = 1;
	m->node[0].zone_mib[1] = 256;
	host_oom_arm(bytes, skip);
	up_ok = helper_slub_machine_up_sc(m, false) != NULL;
	cr_expect(eq(u32, host_oom_failed(), 1));
	host_oom_disarm();
	helper_slab_machine_down(m);
	return up_ok;
}

Test(slub_host_oom, no_kmem_cache_node_struct_fails_the_boot)
{
	cr_expect(not(boot_refusing(sizeof(struct kmem_cache), 0)));
}

Test(slub_host_oom, no_kmem_cache_struct_fails_the_boot)
{
	cr_expect(not(boot_refusing(sizeof(struct kmem_cache), 1)));
}

/* early_kmem_cache_node_alloc: node 0's struct for kmem_cache_node itself refused. */
Test(slub_host_oom, no_first_node_struct_fails_the_boot)
{
	cr_expect(not(boot_refusing(sizeof(struct kmem_cache_node), 0)));
}

Test(slub_host_oom, the_next_boot_takes_a_fresh_slab_chunk)
{
	/* new_slab.c's struct slab_chunk: a next pointer, then 256 struct slab */
	size_t chunk = sizeof(void *) + 256 * sizeof(struct slab);

	up_kernel(KERNEL_6_1);
	helper_slab_machine_down(sc);
	sc = NULL;
	/* refused once: allocate_slab's order fallback asks again, and the boot goes on */
	cr_expect(boot_refusing(chunk, 0));
}

/*
 * init_cache_random_seq failing (cache_random_seq_create's kcalloc, mm/slab_common.c) fails
 * kmem_cache_open (mm/slub.c 6.1: goto error), whose __kmem_cache_release runs
 * cache_random_seq_destroy.  The model keeps the sequence twice: the kmalloc'd array (so that
 * its memory counts) and a host copy; the host refuses the copy (8 objects of 512 bytes per
 * slab: 8 unsigned ints): the create fails and the kmalloc-32 object goes back, once, so the
 * next kmalloc(32) on the CPU is that object again (LIFO) and the one after is another.
 */
static void random_seq_refused(enum kernel_version v)
{
	void *first, *again, *next;

	kernel_version = v;
	sc = helper_slub_machine_up(1, 1, true);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
	first = kmalloc_node(32, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, first, NULL));
	kfree(first);

	sim_engine_set_cpu(0);
	host_oom_arm(8 * sizeof(unsigned int), 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create("oomseq", 512, 0, 0, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	cr_expect(eq(ptr, (void *)slab_find_cache("oomseq"), NULL));

	again = kmalloc_node(32, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(ptr, again, first), "the refused create's sequence array was not freed back");
	/* freed once: the object after it on the CPU freelist is another one */
	next = kmalloc_node(32, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(ne(ptr, next, again), "the sequence array was freed twice");
	kfree(next);
	kfree(again);
}

Test(slub_host_oom, no_random_sequence_fails_the_create, .fini = down)
{
	random_seq_refused(KERNEL_6_1);
}

Test(slub_host_oom, no_random_sequence_fails_the_create_612, .fini = down)
{
	random_seq_refused(KERNEL_6_12);
}
