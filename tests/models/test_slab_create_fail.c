/*
 * test_slab_create_fail.c - a SLAB cache that cannot be laid out (models/slab/slab.c,
 * geometry.c), suite `slab_create_fail`: create_cache (mm/slab_common.c:205, 6.1) takes the
 * descriptor from the kmem_cache cache, and when __kmem_cache_create fails gives it back
 * (out_free_cache: kmem_cache_free(kmem_cache, s), line 240).  Under CONFIG_DEBUG_SLAB a
 * 4 MiB cache asked for with SLAB_RED_ZONE needs 4 MiB + 24 bytes a object (two red zone
 * words, the last user's word): no order up to KMALLOC_MAX_ORDER holds one, -E2BIG.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_slab_machine_down(sc);
	slab_set_debug(false);
}

Test(slab_create_fail, a_cache_no_order_holds_gives_its_descriptor_back, .fini = down)
{
	struct kmem_cache *kc, *ok;
	unsigned int avail;

	slab_set_debug(true);
	sc = helper_slab_machine_up(1, 2, 256);
	cr_assert(ne(ptr, (void *)sc, NULL));
	kc = (struct kmem_cache *)slab_find_cache("kmem_cache");
	cr_assert(ne(ptr, (void *)kc, NULL));
	/* a cache made first leaves descriptors in vCPU 0's array: the next one is a hit */
	ok = (struct kmem_cache *)kmem_cache_create("fits", 1u << 20, 0, SLAB_RED_ZONE, false);
	cr_assert(ne(ptr, (void *)ok, NULL));
	avail = kc->cpu_cache[0]->avail;
	cr_assert(lt(uint, 0, avail));
	cr_expect(eq(ptr, kmem_cache_create("too_big", 1u << 22, 0, SLAB_RED_ZONE, false), NULL));
	cr_expect(eq(uint, kc->cpu_cache[0]->avail, avail), "the descriptor went back to the array");
	cr_expect(eq(ptr, (void *)slab_find_cache("too_big"), NULL));
}
