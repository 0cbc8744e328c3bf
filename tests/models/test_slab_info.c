/*
 * test_slab_info.c - what SLAB tells the common layer about a cache, suite `slab_info`
 * (mm/slab.c, 6.1.192):
 *   - slab_info carries get_slabinfo's columns: num_objs = total slabs x num, active_objs
 *     = num_objs - free objects in slabs (objects in arrays count as active), active_slabs
 *     = total - free slabs; and the cache's own geometry;
 *   - the model's exit leaves slab_caches empty: nothing of the old machine is found.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "models/slab_common/slab_common.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(1, 2, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	if (sc) {
		cr_expect(slab_check(stderr));
		helper_slab_machine_down(sc);
	}
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

/*
 * One allocation on an empty cache of 64-byte objects: cache_alloc_refill grows a slab
 * (direct_grow) and moves a batch into vCPU 0's array; the array is new, so untouched, and
 * the batch is BATCHREFILL_LIMIT 16 (batchcount 60 otherwise).  get_slabinfo: one slab of
 * num objects, 16 of them active (15 wait in the array), no free slab.  A second cache on
 * a second vCPU: both slabs count.
 */
Test(slab_info, info_has_get_slabinfos_columns, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("info64", 64, 0, 0, true);
	struct slab_cache_info info;
	void *o[20];

	cr_assert(ne(ptr, (void *)s, NULL));
	slab_current()->info(s, &info);
	cr_expect(eq(ulong, info.active_objs, 0));
	cr_expect(eq(ulong, info.num_objs, 0));
	cr_expect(eq(ulong, info.num_slabs, 0));

	o[0] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, o[0], NULL));
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 15));
	slab_current()->info(s, &info);
	cr_expect(eq(int, info.id, slab_cache_id(s)));
	cr_expect(eq(str, (char *)info.name, "info64"));
	cr_expect(eq(uint, info.object_size, 64));
	cr_expect(eq(uint, info.size, s->size));
	cr_expect(eq(uint, info.objs_per_slab, s->num));
	cr_expect(eq(uint, info.order, 0));
	cr_expect(eq(ulong, info.num_slabs, 1));
	cr_expect(eq(ulong, info.active_slabs, 1));
	cr_expect(eq(ulong, info.num_objs, s->num));
	cr_expect(eq(ulong, info.active_objs, 16));

	/* vCPU 1: its own batch of 16 from the same partial slab while it lasts */
	for (int i = 1; i < 17; i++)
		o[i] = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	slab_current()->info(s, &info);
	cr_expect(eq(ulong, info.active_objs, 32));
	cr_expect(eq(ulong, info.num_objs, s->num * s->node[0]->total_slabs));
	cr_expect(eq(ulong, info.active_slabs, s->node[0]->total_slabs - s->node[0]->free_slabs));
	cr_expect(eq(ulong, info.active_objs, info.num_objs - s->node[0]->free_objects));
}

/*
 * slab_exit frees every cache descriptor and empties slab_caches: after the machine is
 * down, slabinfo_write (slab_tune_cache) finds no cache of the old name, and a new machine
 * starts from its own boot caches only.
 */
Test(slab_info, exit_leaves_no_cache_behind, .init = up, .fini = down)
{
	cr_assert(ne(ptr, (void *)kmem_cache_create("gone64", 64, 0, 0, true), NULL));
	cr_assert(eq(int, slab_tune_cache("gone64", 4, 2, 0), 0));
	helper_slab_machine_down(sc);
	sc = NULL;
	cr_expect(eq(ptr, (void *)slab_caches.next, (void *)&slab_caches));
	cr_expect(eq(int, slab_tune_cache("gone64", 4, 2, 0), SIM_EBADINPUT));
}

/*
 * jiffies need an HZ even when the scenario runs without a tick ("hz": 0): the model then
 * takes CONFIG_HZ=250 (Debian's 6.1 config), so REAPTIMEOUT_NODE is 4 * 250 jiffies.
 * A scenario's own hz is kept.
 */
Test(slab_info, hz_defaults_to_250_without_a_tick, .fini = down)
{
	static const struct { unsigned int hz, want; } t[] = { { 0, 250 }, { 100, 100 } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sim_scenario *s2 = calloc(1, sizeof(*s2));

		cr_assert(ne(ptr, (void *)s2, NULL));
		sim_scenario_default(s2);
		s2->hz = t[i].hz;
		cr_assert(ne(ptr, (void *)helper_slab_machine_up_sc(s2), NULL));
		cr_expect(eq(uint, slab_hz, t[i].want), "hz %u", t[i].hz);
		cr_expect(eq(uint, REAPTIMEOUT_NODE, 4 * t[i].want), "hz %u", t[i].hz);
		helper_slab_machine_down(s2);
	}
}

/*
 * kmem_cache_init (mm/slab.c): slab_max_order becomes SLAB_MAX_ORDER_HI (1) only when
 * totalram_pages() > (32 << 20) >> PAGE_SHIFT, i.e. more than 32 MiB; 32 MiB keeps
 * SLAB_MAX_ORDER_LO (0).
 */
Test(slab_info, slab_max_order_is_raised_above_32_mib, .fini = down)
{
	static const struct { uint64_t mib; int order; } t[] = { { 32, 0 }, { 33, 1 } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		slab_set_boot_params(-1, false, false);
		sc = helper_slab_machine_up(1, 1, t[i].mib);
		cr_assert(ne(ptr, (void *)sc, NULL), "%" PRIu64 " MiB", t[i].mib);
		cr_expect(eq(int, slab_max_order, t[i].order), "%" PRIu64 " MiB", t[i].mib);
		helper_slab_machine_down(sc);
		sc = NULL;
	}
}

/*
 * kmem_cache_init, step 5 (init_list): the static kmem_cache_node structures of kmem_cache
 * and kmalloc-128 (INDEX_NODE) move into kmalloc_node objects of 120 bytes
 * (sizeof(struct kmem_cache_node)), i.e. kmalloc-128 objects on each node.
 */
Test(slab_info, boot_caches_node_structures_live_in_kmalloc_128, .fini = down)
{
	struct kmem_cache *k128;

	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 1, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
	k128 = (struct kmem_cache *)slab_find_cache("kmalloc-128");
	cr_assert(ne(ptr, (void *)k128, NULL));
	for (int nid = 0; nid < 2; nid++) {
		struct kmem_cache *c[2] = { (struct kmem_cache *)slab_find_cache("kmem_cache"), k128 };

		for (int i = 0; i < 2; i++) {
			void *obj;

			cr_assert(ne(ptr, (void *)c[i], NULL));
			obj = c[i]->node[nid]->sim_obj;
			cr_assert(ne(ptr, obj, NULL), "%s node %d", c[i]->name, nid);
			cr_expect(eq(ptr, (void *)virt_to_slab(obj)->slab_cache, (void *)k128), "%s node %d",
				  c[i]->name, nid);
			cr_expect(eq(int, slab_nid(virt_to_slab(obj)), nid), "%s node %d", c[i]->name, nid);
		}
	}
}

/*
 * setup_cpu_cache (mm/slab.c): until kmem_cache_init_late every cache's head arrays are
 * one entry long with a batch of one (BOOT_CPUCACHE_ENTRIES).  Watched from inside the
 * boot through the statistics sink: at each counted event before slab_state UP (while
 * the kmalloc caches are made), the event's cache has arrays of limit 1, batchcount 1 on
 * every vCPU (the event's own array is reset to them again); after the boot,
 * enable_cpucache's sizes.
 */
static unsigned int boot_events, boot_bad;

static void boot_stat_sink(int cache, int item, int cpu)
{
	struct kmem_cache *s = (struct kmem_cache *)slab_cache(cache);

	(void)item;
	(void)cpu;
	if (slab_state >= UP || !s || !s->cpu_cache)
		return;
	boot_events++;
	/* every vCPU's array, not only the one of the event's vCPU */
	for (int c = 0; c < nr_cpu_ids; c++)
		if (s->cpu_cache[c] && (s->cpu_cache[c]->limit != 1 || s->cpu_cache[c]->batchcount != 1))
			boot_bad++;
}

Test(slab_info, boot_head_arrays_hold_one_object, .fini = down)
{
	boot_events = boot_bad = 0;
	slab_stat_sink = boot_stat_sink;
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 256);
	slab_stat_sink = NULL;
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_expect(lt(uint, 0, boot_events));
	cr_expect(eq(uint, boot_bad, 0));
	cr_expect(eq(uint, ((struct kmem_cache *)slab_find_cache("kmalloc-128"))->cpu_cache[0]->limit, 120));
}

/*
 * An operation records whether the allocation failed (kmalloc returned NULL): a SLAB
 * allocation that returns an object is not failed, and its free is not either.
 */
Test(slab_info, a_successful_allocation_is_not_failed, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("ok64", 64, 0, 0, true);
	void *o;

	cr_assert(ne(ptr, (void *)s, NULL));
	o = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, o, NULL));
	cr_expect(not(helper_slab_last_op()->failed));
	o = helper_slab_alloc(0, NULL, 100, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, o, NULL));
	cr_expect(not(helper_slab_last_op()->failed));
	helper_slab_free(0, o);
	cr_expect(not(helper_slab_last_op()->failed));
}
