/*
 * test_slub_sizes.c - where calculate_sizes (mm/slub.c, 6.1.192) puts the
 * free pointer and the debug words, and the order and min_partial of the
 * largest cache, suite `slub_sizes`:
 *   - no debug flag: the free pointer mid-object, ALIGN_DOWN(object_size / 2, 8);
 *   - SLAB_POISON (without a ctor or TYPESAFE_BY_RCU: __OBJECT_POISON) or a
 *     red zone on an object smaller than a pointer: the pointer after the object;
 *   - SLAB_RED_ZONE: a word of red zone after an object that fills its last
 *     word, a padding word after the metadata, and a left red zone of one
 *     aligned word: 64 -> inuse 72, size 72 + 8 + 8 = 88;
 *   - SLAB_CACHE_DMA32: GFP_DMA32 in allocflags;
 *   - a 4 MiB object: order 10 (MAX_ORDER - 1), one object, min_partial
 *     ilog2(size) / 2 = 11 cut to MAX_PARTIAL 10 (set_min_partial); with a
 *     ctor it needs order 11 and kmem_cache_create fails.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = helper_slub_machine_up(1, 2, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	cr_expect(slub_check(stderr));
	helper_slab_machine_down(sc);
	sc = NULL;
}

static struct kmem_cache *mk(const char *name, unsigned int size, unsigned int flags, bool ctor)
{
	struct kmem_cache *s = kmem_cache_create(name, size, 0, flags, ctor);

	cr_assert(ne(ptr, (void *)s, NULL), "%s", name);
	return s;
}

Test(slub_sizes, free_pointer_and_debug_words, .init = up, .fini = down)
{
	struct kmem_cache *s;

	s = mk("plain64", 64, 0, true);			/* a ctor: after the object */
	cr_expect(eq(uint, s->offset, 64));
	s = mk("mid72", 72, 0, false);
	cr_expect(eq(uint, s->offset, 32));		/* ALIGN_DOWN(72 / 2, 8) */

	s = mk("poison64", 64, SLAB_POISON, false);
	cr_expect(eq(uint, s->offset, 64));
	cr_expect(eq(uint, s->inuse, 64));
	cr_expect(eq(uint, s->size, 72));
	cr_expect(ne(uint, s->flags & __OBJECT_POISON, 0));
	s = mk("poison64c", 64, SLAB_POISON, true);	/* a ctor: no poison of the object */
	cr_expect(eq(uint, s->flags & __OBJECT_POISON, 0));

	s = mk("red64", 64, SLAB_RED_ZONE, false);
	cr_expect(eq(uint, s->inuse, 72));
	cr_expect(eq(uint, s->offset, 32));
	cr_expect(eq(uint, s->red_left_pad, 8));
	cr_expect(eq(uint, s->size, 88));
	s = mk("red4", 4, SLAB_RED_ZONE, false);
	cr_expect(eq(uint, s->offset, s->inuse));	/* after the object */
	cr_expect(ge(uint, s->offset, 4));
	/* "object_size < sizeof(void *)": an object of exactly one pointer keeps it mid-object */
	s = mk("red8", 8, SLAB_RED_ZONE, false);
	cr_expect(eq(uint, s->offset, 0));		/* ALIGN_DOWN(8 / 2, 8) */

	s = mk("dma32", 64, SLAB_CACHE_DMA32, true);
	cr_expect(ne(uint, s->allocflags & GFP_DMA32, 0));
}

Test(slub_sizes, four_mib_object, .init = up, .fini = down)
{
	struct kmem_cache *s = mk("huge4m", 4u << 20, 0, false);
	void *o;

	cr_expect(eq(uint, oo_order(s->oo), 10));
	cr_expect(eq(uint, oo_objects(s->oo), 1));
	cr_expect(eq(ulong, s->min_partial, 10));
	o = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(ne(ptr, o, NULL));
	helper_slab_free(0, o);
	/* with a ctor the free pointer goes after the object: 4 MiB + 8 needs order 11, more than
	 * the buddy allocator has (calculate_order < 0), so the cache is refused */
	cr_expect(eq(ptr, (void *)kmem_cache_create("huge4m-ctor", 4u << 20, 0, 0, true), NULL));
}

/*
 * __kmem_cache_alias (mm/slub.c): a mergeable request joins an existing cache whose size it fits
 * within a word (find_mergeable: s->size - size < sizeof(void *), the same SLAB_MERGE_SAME flags),
 * which then serves objects of the larger object_size, and inuse becomes
 * max(inuse, ALIGN(size, sizeof(void *))).  A 40-byte SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA32 cache
 * has inuse 40 and size 64 (the cache line); a 60-byte request with the same flags (no kmalloc
 * cache has SLAB_CACHE_DMA32) merges into it: object_size 60, inuse ALIGN(60, 8) = 64.
 */
Test(slub_sizes, an_alias_raises_inuse_to_its_aligned_size, .init = up, .fini = down)
{
	struct kmem_cache *x = mk("dma32_40", 40, SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA32, false);
	struct kmem_cache *a;
	int refs = x->refcount;

	cr_assert(eq(u32, x->size, 64));
	cr_assert(eq(u32, x->inuse, 40));
	a = mk("dma32_60", 60, SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA32, false);
	cr_assert(eq(ptr, (void *)a, (void *)x));
	cr_expect(eq(int, a->refcount, refs + 1));
	cr_expect(eq(u32, a->object_size, 60));
	cr_expect(eq(u32, a->inuse, 64));
}

/*
 * CONFIG_SLAB_FREELIST_RANDOM: init_cache_random_seq (mm/slub.c) shuffles each cache's sequence
 * with a state seeded by get_random_long() (cache_random_seq_create, mm/slab_common.c); the model
 * draws that seed from the run's PRNG, so the run's seed fixes the sequence: the same seed gives
 * the same order of kmalloc-256's objects, another seed another order.
 */
static void random_seq_of_seed(uint64_t seed, unsigned int *out, unsigned int *n)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	struct kmem_cache *k;

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->seed = seed;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(s, true), NULL));
	k = kmem_cache_create("rnd256", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)k, NULL));
	cr_assert(ne(ptr, (void *)k->random_seq, NULL));
	*n = oo_objects(k->oo);
	cr_assert(le(uint, *n, 64));
	memcpy(out, k->random_seq, *n * sizeof(*out));
	helper_slab_machine_down(s);
}

Test(slub_sizes, the_random_sequence_follows_the_seed)
{
	unsigned int a[64], b[64], c[64], na, nb, nc;

	random_seq_of_seed(1, a, &na);
	random_seq_of_seed(1, b, &nb);
	random_seq_of_seed(2, c, &nc);
	cr_assert(eq(uint, na, nb));
	cr_assert(eq(uint, na, nc));
	cr_assert(lt(uint, 2, na));
	cr_expect(eq(int, memcmp(a, b, na * sizeof(*a)), 0), "the same seed, the same order");
	cr_expect(ne(int, memcmp(a, c, na * sizeof(*a)), 0), "another seed, another order");
}
