/*
 * test_slub_sysfs.c - SLUB's /sys/kernel/slab/<cache>/ files as the model offers them, suite
 * `slub_sysfs` (Linux 6.1 mm/slub.c):
 *
 *  - the attribute shows (order_show, objs_per_slab_show, object_size_show, slab_size_show,
 *    align_show, ...) read the cache's fields;
 *  - cpu_partial_store: slub_set_cpu_partial, cpu_partial_slabs =
 *    DIV_ROUND_UP(objects * 2, oo_objects(s->oo)) (half-full slabs assumed), then flush_all;
 *  - the stat files (CONFIG_SLUB_STATS): show_stat sums the online CPUs' counters, or reads
 *    one CPU's; clear_stat (writing 0) zeroes each CPU's counter and nothing else.
 *
 * Machine: 2 nodes x 2 CPUs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
}

static void down(void)
{
	helper_slab_machine_down(sc);
}

TestSuite(slub_sysfs, .init = up, .fini = down);

/*
 * A named cache of 256-byte objects (kmem_cache_create: align 8): order 0, 16 objects, free
 * pointer mid-object (ALIGN_DOWN(256 / 2, 8) = 128), inuse 256; min_partial
 * clamp(ilog2(256) / 2, 5, 10) = 5; set_cpu_partial: 256 <= size < 1024 gives 52 objects,
 * DIV_ROUND_UP(104, 16) = 7 slabs.
 */
Test(slub_sysfs, attributes_show_the_cache)
{
	struct kmem_cache *s = kmem_cache_create("sysfs256", 256, 0, 0, false);
	struct slub_attrs a;

	cr_assert(s != NULL);
	memset(&a, 0xa5, sizeof(a));
	slub_get_attrs(s, &a);
	cr_expect(eq(u32, a.order, 0));
	cr_expect(eq(u32, a.objs_per_slab, 16));
	cr_expect(eq(u32, a.object_size, 256));
	cr_expect(eq(u32, a.slab_size, 256));
	cr_expect(eq(u32, a.align, 8));
	cr_expect(eq(u32, a.offset, 128));
	cr_expect(eq(u32, a.inuse, 256));
	cr_expect(eq(u32, a.cpu_partial, 52));
	cr_expect(eq(u32, a.cpu_partial_slabs, 7));
	cr_expect(eq(ulong, a.min_partial, 5));

	slub_store_min_partial(s, 8);
	slub_get_attrs(s, &a);
	cr_expect(eq(ulong, a.min_partial, 8));
}

/*
 * cpu_partial_store rounds up: a 192-byte cache holds 21 objects per order-0 slab; 11 objects
 * give 22 / 21, one slab and a bit: 2 slabs; 21 objects exactly 2; 0 none.
 */
Test(slub_sysfs, cpu_partial_store_rounds_up)
{
	struct kmem_cache *s = kmem_cache_create("sysfs192", 192, 0, 0, false);

	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 21));
	cr_expect(eq(int, slub_store_cpu_partial(s, 11), 0));
	cr_expect(eq(u32, s->cpu_partial, 11));
	cr_expect(eq(u32, s->cpu_partial_slabs, 2));
	cr_expect(eq(int, slub_store_cpu_partial(s, 21), 0));
	cr_expect(eq(u32, s->cpu_partial_slabs, 2));
	cr_expect(eq(int, slub_store_cpu_partial(s, 22), 0));
	cr_expect(eq(u32, s->cpu_partial_slabs, 3));
	cr_expect(eq(int, slub_store_cpu_partial(s, 0), 0));
	cr_expect(eq(u32, s->cpu_partial_slabs, 0));
}

/*
 * cpu_partial_store ends with flush_all: the CPUs with a slab (has_cpu_slab) are flushed, their
 * slab deactivated (CPUSLAB_FLUSH) and their tid bumped once (flush_slab, __flush_cpu_slab); a
 * CPU without one is left alone.  CPUs 0-2 allocate, CPU 3 does not.
 */
Test(slub_sysfs, cpu_partial_store_flushes)
{
	struct kmem_cache *s = kmem_cache_create("sysfs_flush", 256, 0, 0, false);
	uint64_t tid[4];

	cr_assert(s != NULL);
	for (int cpu = 0; cpu < 3; cpu++)
		cr_assert(helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);
	for (int cpu = 0; cpu < 4; cpu++)
		tid[cpu] = per_cpu_ptr(s->cpu_slab, cpu)->tid;
	cr_expect(eq(int, slub_store_cpu_partial(s, 30), 0));
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, cpu)->slab, NULL), "CPU %d", cpu);
		cr_expect(eq(u64, per_cpu_ptr(s->cpu_slab, cpu)->tid, tid[cpu] + (cpu < 3 ? TID_STEP : 0)),
			  "CPU %d", cpu);
	}
	cr_expect(eq(ulong, slub_stat(s, CPUSLAB_FLUSH, -1), 3));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial + get_node(s, 1)->nr_partial, 3));
	cr_expect(slub_check(stderr), "slub_check");
}

/*
 * One object on each of the 4 CPUs (a new cpu slab each: ALLOC_SLOWPATH and ALLOC_SLAB per
 * CPU), then a second on CPU 2 (ALLOC_FASTPATH).  show_stat: the sum, or one CPU's; no item
 * or CPU out of range.  clear_stat zeroes all of them on every CPU and leaves the CPUs'
 * freelists and tids alone: the next allocation on each CPU is a fast-path hit on the object
 * after the one it had.
 */
Test(slub_sysfs, stats_sum_and_clear)
{
	struct kmem_cache *s = kmem_cache_create("sysfs_stat", 256, 0, 0, false);
	void *first[4];
	void *freelist[4];
	uint64_t tid[4];

	cr_assert(s != NULL);
	cr_expect(eq(int, slub_nr_stat_items(), 26));
	cr_expect(eq(str, (char *)slub_stat_name(ALLOC_FASTPATH), "alloc_fastpath"));
	cr_expect(eq(str, (char *)slub_stat_name(CPU_PARTIAL_DRAIN), "cpu_partial_drain"));
	cr_expect(eq(str, (char *)slub_stat_name(NR_SLUB_STAT_ITEMS), "?"));
	cr_expect(eq(str, (char *)slub_stat_name(-1), "?"));
	for (int cpu = 0; cpu < 4; cpu++)
		first[cpu] = helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(helper_slab_alloc(2, s, 0, GFP_KERNEL, NUMA_NO_NODE) == (char *)first[2] + 256);
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLOWPATH, -1), 4));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 4));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_FASTPATH, -1), 1));
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, cpu), 1), "CPU %d", cpu);
		cr_expect(eq(ulong, slub_stat(s, ALLOC_FASTPATH, cpu), cpu == 2 ? 1 : 0), "CPU %d", cpu);
	}
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, 4), 0), "no CPU 4");
	cr_expect(eq(ulong, slub_stat(s, NR_SLUB_STAT_ITEMS, -1), 0));
	cr_expect(eq(ulong, slub_stat(s, -1, -1), 0));

	for (int cpu = 0; cpu < 4; cpu++) {
		freelist[cpu] = per_cpu_ptr(s->cpu_slab, cpu)->freelist;
		tid[cpu] = per_cpu_ptr(s->cpu_slab, cpu)->tid;
	}
	slub_stat_clear(s);
	for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
		for (int cpu = 0; cpu < 4; cpu++)
			cr_expect(eq(ulong, slub_stat(s, i, cpu), 0), "%s on CPU %d", slub_stat_name(i), cpu);
	for (int cpu = 0; cpu < 4; cpu++) {
		cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, cpu)->freelist, freelist[cpu]), "CPU %d", cpu);
		cr_expect(eq(u64, per_cpu_ptr(s->cpu_slab, cpu)->tid, tid[cpu]), "CPU %d", cpu);
	}
	for (int cpu = 0; cpu < 4; cpu++)
		cr_expect(eq(ptr, helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE),
			     (char *)first[cpu] + (cpu == 2 ? 512 : 256)), "CPU %d", cpu);
	cr_expect(eq(ulong, slub_stat(s, ALLOC_FASTPATH, -1), 4));
	cr_expect(slub_check(stderr), "slub_check");
}

/*
 * flush_all flushes a CPU that has only a partial list (has_cpu_slab: c->slab || c->partial):
 * CPU 0 fills slab A and starts B; CPU 3 frees an object of the full A, which goes on CPU 3's
 * partial list (CPU_PARTIAL_FREE).  The flush puts it on node 0's list (unfreeze_partials /
 * __put_partials) and leaves CPU 3's tid alone (no cpu slab: no flush_slab).
 */
Test(slub_sysfs, flush_all_puts_a_partial_only_cpu)
{
	struct kmem_cache *s = kmem_cache_create("sysfs_part", 256, 0, 0, false);
	void *a[17];
	struct slab *sa;

	cr_assert(s != NULL);
	for (int i = 0; i < 17; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	sa = virt_to_slab(a[0]);
	helper_slab_free(3, a[0]);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 3)->partial, sa));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 3)->slab, NULL));
	cr_expect(eq(int, slub_store_cpu_partial(s, 30), 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 3)->partial, NULL));
	cr_expect(eq(u32, sa->frozen, 0));
	cr_expect(sa->node_partial);
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 2), "A, and B off CPU 0");
	cr_expect(eq(ulong, slub_stat(s, CPUSLAB_FLUSH, -1), 1), "only CPU 0 had a cpu slab");
	cr_expect(slub_check(stderr), "slub_check");
}
