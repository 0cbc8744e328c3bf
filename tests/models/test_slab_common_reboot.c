/*
 * test_slab_common_reboot.c - a second boot in the same process builds its own
 * kmem_buckets sets (models/slab_common/6.12/slab_common.c): kmem_buckets_create takes
 * the table zeroed (kmem_cache_alloc(kmem_buckets_cache, GFP_KERNEL | __GFP_ZERO),
 * mm/slab_common.c:426 of 6.12), so every bucket of the new boot is a cache of that
 * boot, never one left over from the machine before it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/kernel.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void teardown(void)
{
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

TestSuite(slab_common_reboot, .fini = teardown);

Test(slab_common_reboot, second_boot_gets_fresh_buckets)
{
	static const struct { const char *name; int idx; bool msg; } t[] = {
		/* kmalloc_index: 8 -> 3, 64 -> 6, 192 -> 2, 4096 -> 12 */
		{ "memdup_user-8", 3, false }, { "memdup_user-192", 2, false },
		{ "memdup_user-4k", 12, false }, { "msg_msg-64", 6, true },
	};

	kernel_version = KERNEL_6_12;
	sc = helper_slub_machine_up(2, 2, true);	/* Debian's config: slab buckets on */
	cr_assert(sc != NULL);
	helper_slab_machine_down(sc);
	sc = helper_slub_machine_up(2, 2, true);
	cr_assert(sc != NULL);
	cr_assert(user_buckets != NULL && msg_buckets != NULL);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *want = slab_find_cache(t[i].name);
		kmem_buckets *b = t[i].msg ? msg_buckets : user_buckets;

		cr_expect(want != NULL, "%s made by the second boot", t[i].name);
		cr_expect(eq(ptr, (*b)[t[i].idx], want), "%s", t[i].name);
	}
}

/*
 * slab_common_init starts every boot from an empty registry (a kernel knows no cache before
 * kmem_cache_init), even when the allocator before it went without slab_common_exit: after
 * SLAB's own exit, an init with no allocator finds no cache by id, name or kmalloc index.
 */
Test(slab_common_reboot, init_forgets_the_caches_before_it)
{
	const struct slab_config none = { .kind = SLAB_KIND_NONE };

	sc = helper_slab_machine_up(1, 2, 256);
	cr_assert(sc != NULL);
	cr_assert(lt(int, 0, slab_nr_caches()));
	cr_assert(slab_find_cache("kmalloc-64") != NULL);
	slab_current()->exit();		/* SLAB's state gone, the registry left as it was */
	cr_assert(eq(int, slab_common_init(&none), 0));
	cr_expect(eq(int, slab_nr_caches(), 0));
	cr_expect(eq(ptr, (void *)slab_find_cache("kmalloc-64"), NULL));
	cr_expect(eq(ptr, (void *)kmalloc_caches[KMALLOC_NORMAL][6], NULL));
	cr_expect(eq(int, slab_nr_aliases(), 0));
}
