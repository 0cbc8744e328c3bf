/*
 * test_slab_common_ids.c - the cache registry's ids (models/slab_common/slab_common.c), suite
 * `slab_common_ids`: a cache the registry does not know has no id (-1), as an operation that
 * names no cache records -1 (struct sim_op.cache), and every registry accessor answers "no
 * cache" for an id outside 0 .. slab_nr_caches() - 1 (NULL, size 0, refcount 0, unmergeable).  Not a kernel rule: the kernel has no
 * registry; the ids are the model's (and the database's cache column).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>

#include "../helpers.h"
#include "models/mm.h"
#include "models/slab_common/slab_common.h"
#include "models/slab_common/slab_common_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = helper_slub_machine_up(1, 1, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
}

/* slab_cache_id: NULL, or a pointer never registered, is no cache: -1, both before any cache
 * is registered (no hash yet) and after. */
Test(slab_common_ids, an_unknown_cache_has_id_minus_one)
{
	int not_a_cache;

	cr_expect(eq(int, slab_cache_id(NULL), -1), "no registry yet");
	cr_expect(eq(int, slab_cache_id((const struct kmem_cache *)(const void *)&not_a_cache), -1), "no registry yet");
	up();
	cr_assert(ne(ptr, (void *)slab_find_cache("kmalloc-64"), NULL));
	cr_expect(eq(int, slab_cache_id(NULL), -1));
	cr_expect(eq(int, slab_cache_id((const struct kmem_cache *)(const void *)&not_a_cache), -1));
	cr_expect(le(int, 0, slab_cache_id(slab_find_cache("kmalloc-64"))));
	down();
}

/*
 * kmem_cache_free of memory that is no slab object (a large kmalloc's pages: __kmalloc_large_node,
 * mm/slab_common.c) with no cache: cache_from_obj finds none, so the operation names none (-1).
 */
Test(slab_common_ids, a_free_that_names_no_cache_records_minus_one, .init = up, .fini = down)
{
	struct sim_op op;
	void *p = kmalloc_node(4 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);

	cr_assert(ne(ptr, p, NULL));
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(NULL, p);
	sim_op_end(&op);
	cr_expect(eq(int, op.cache, -1));
	cr_expect(helper_slab_op_has_label(&op, "kmem_cache_free:not_slab"));
	kfree(p);
}

/*
 * The registry's accessors take any int: an id outside [0, slab_nr_caches()) -- -1 (no cache),
 * the count itself, far past it -- is no cache, whatever the registry holds beyond its end; the
 * last valid id is a cache.  slab_set_unmergeable of such an id changes nothing.
 */
Test(slab_common_ids, ids_outside_the_registry_are_no_cache, .init = up, .fini = down)
{
	int nr = slab_nr_caches();
	int bad[] = { -1, -1000000, nr, nr + 1000000 };
	int last_ref;

	cr_assert(lt(int, 0, nr));
	/* unmergeable caches until the count is a multiple of 128: the registry is then full
	 * (its capacity grows 128, 256, ...), and id nr is past its end */
	for (int i = 0; slab_nr_caches() % 128; i++) {
		char name[32];

		snprintf(name, sizeof(name), "ids_fill_%d", i);
		cr_assert(ne(ptr, (void *)kmem_cache_create(name, 64, 0, SLAB_TYPESAFE_BY_RCU, false), NULL));
	}
	nr = slab_nr_caches();
	bad[2] = nr;
	bad[3] = nr + 1000000;
	cr_expect(ne(ptr, (void *)slab_cache(nr - 1), NULL));
	cr_expect(ne(ptr, (void *)slab_reg_entry(nr - 1), NULL));
	cr_expect(eq(ptr, (void *)slab_cache(0), (void *)slab_reg_entry(0)->s));
	last_ref = slab_cache_refcount(nr - 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect(eq(ptr, (void *)slab_cache(bad[i]), NULL), "id %d", bad[i]);
		cr_expect(eq(ptr, (void *)slab_reg_entry(bad[i]), NULL), "id %d", bad[i]);
		cr_expect(eq(uint, slab_cache_object_size(bad[i]), 0), "id %d", bad[i]);
		cr_expect(eq(int, slab_cache_refcount(bad[i]), 0), "id %d", bad[i]);
		cr_expect(slab_cache_unmergeable(bad[i]), "id %d", bad[i]);
		slab_set_unmergeable(bad[i]);
	}
	cr_expect(eq(int, slab_nr_caches(), nr));
	cr_expect(eq(int, slab_cache_refcount(nr - 1), last_ref));
}
