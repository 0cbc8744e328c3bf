/*
 * test_slab_grow.c - how SLAB lays out a new slab (models/slab/grow.c), suite
 * `slab_grow`: the order cache_init_objs hands the objects out in when
 * shuffle_freelist has no precomputed sequence (mm/slab.c, 6.1).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

/* CONFIG_SLAB_FREELIST_RANDOM off at boot: caches get no random_seq (cache_random_seq_create). */
static void up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(1, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

#define NR_SLABS 16

/*
 * shuffle_freelist without a random_seq (freelist_state_initialize returns false, as early
 * in boot): OBJFREELIST takes object count - 1 for the index array and the other count - 1
 * objects are shuffled by Fisher-Yates, i from count - 1 down to 1, each swapping idx[i]
 * with idx[rand % (i + 1)].  A 1360-byte cache holds 3 objects in a page (3 * 1360 = 4080),
 * so 2 are shuffled: the single step i = 1 puts object 1 first on about half the slabs and
 * keeps object 0 first on the others.  With limit 1, batchcount 1 each allocation takes the
 * next free object of the one partial slab (slab_get_obj, index active), so the first object
 * of each slab handed out is idx[0].
 */
Test(slab_grow, shuffle_without_a_sequence_swaps_the_first_two, .init = up, .fini = down)
{
	struct kmem_cache *s;
	void *x[3 * NR_SLABS];
	int first_is_1 = 0;

	s = (struct kmem_cache *)kmem_cache_create("shuf", 1360, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(uint, s->num, 3));
	cr_assert(ne(u32, s->flags & CFLGS_OBJFREELIST_SLAB, 0), "OBJFREELIST");
	cr_assert(eq(ptr, (void *)s->random_seq, NULL));
	cr_assert(eq(int, slab_tune_cache("shuf", 1, 1, 0), 0));
	slab_freelist_random = true;		/* now on: shuffle_freelist runs, without a sequence */
	for (int i = 0; i < 3 * NR_SLABS; i++) {
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
		cr_assert(ne(ptr, x[i], NULL));
	}
	for (int k = 0; k < NR_SLABS; k++) {
		struct slab *slab = virt_to_slab(x[3 * k]);
		unsigned int first = (unsigned int)(((char *)x[3 * k] - (char *)slab->s_mem) / s->size);

		cr_assert(eq(ptr, (void *)virt_to_slab(x[3 * k + 2]), (void *)slab), "slab %d", k);
		cr_assert(lt(uint, first, 2), "slab %d: object %u first, the index array's is last", k, first);
		first_is_1 += first == 1;
	}
	cr_expect(lt(int, 0, first_is_1), "the step i = 1 never swapped");	/* 2.4.1's gt is >= (Criterion #473) */
	cr_expect(lt(int, first_is_1, NR_SLABS), "the step i = 1 always swapped");
	for (int i = 0; i < 3 * NR_SLABS; i++)
		helper_slab_free(0, x[i]);
}

/*
 * An off-slab cache keeps each slab's index array in a kmalloc object (alloc_slabmgmt:
 * kmalloc_node of freelist_size on the slab's node); slab_destroy gives it back with kfree
 * once the pages are gone (mm/slab.c).  512-byte TYPESAFE_BY_RCU objects: 8 a page, off-slab,
 * an 8-byte array in kmalloc-32.  One full slab, all given back, then __kmem_cache_shrink on
 * vCPU 0 destroys it: the array's object is the hot end of vCPU 0's kmalloc-32 array
 * (___cache_free puts it on top, flushing first if the array is full).
 */
Test(slab_grow, slab_destroy_frees_the_off_slab_index_array, .init = up, .fini = down)
{
	struct kmem_cache *s, *k32 = (struct kmem_cache *)slab_find_cache("kmalloc-32");
	struct array_cache *ac32;
	void *x[8], *freelist;

	s = (struct kmem_cache *)kmem_cache_create("offslab512", 512, 0, SLAB_TYPESAFE_BY_RCU, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(u32, OFF_SLAB(s), 0), "off-slab");
	cr_assert(eq(uint, s->num, 8));
	cr_assert(eq(uint, s->freelist_size, 8));
	for (int i = 0; i < 8; i++)
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(ptr, (void *)virt_to_slab(x[7]), (void *)virt_to_slab(x[0])));
	freelist = virt_to_slab(x[0])->freelist;
	cr_assert(ne(ptr, freelist, NULL));
	cr_assert(eq(ptr, (void *)virt_to_slab(freelist)->slab_cache, (void *)k32), "the array is a kmalloc-32 object");
	for (int i = 0; i < 8; i++)
		helper_slab_free(0, x[i]);
	cr_assert(eq(int, slab_shrink_cache(s), 0));
	cr_assert(eq(ulong, s->node[0]->total_slabs, 0));
	ac32 = k32->cpu_cache[0];
	cr_assert(lt(uint, 0, ac32->avail));
	cr_expect(eq(ptr, ac32->entry[ac32->avail - 1], freelist), "the index array was not kfree'd");
	cr_expect(slab_check(stderr));
}

static void up_random(void)
{
	slab_set_boot_params(-1, false, true);
	sc = helper_slab_machine_up(1, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * shuffle_freelist (mm/slab.c) runs for every slab of two objects or more (it returns false
 * only for count < 2), and cache_random_seq_create gives such a cache a sequence.  A
 * 1792-byte cache holds 2 objects a page (OBJFREELIST): with the precomputed sequence (a
 * permutation of 0, 1) starting at a random position, the index array takes the object at
 * that position and idx[0], the first handed out, is the other one: object 1 first on about
 * half the slabs, object 0 on the others (unshuffled, 0 would always be first and 1 carry the
 * array).  limit 1, batchcount 1: the first allocation from each slab is its idx[0].
 */
Test(slab_grow, two_objects_are_shuffled_too, .init = up_random, .fini = down)
{
	struct kmem_cache *s;
	void *x[2 * NR_SLABS];
	int first_is_1 = 0;

	s = (struct kmem_cache *)kmem_cache_create("shuf2", 1792, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(uint, s->num, 2));
	cr_assert(ne(u32, s->flags & CFLGS_OBJFREELIST_SLAB, 0), "OBJFREELIST");
	cr_assert(ne(ptr, (void *)s->random_seq, NULL));
	cr_assert(eq(int, slab_tune_cache("shuf2", 1, 1, 0), 0));
	for (int i = 0; i < 2 * NR_SLABS; i++) {
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
		cr_assert(ne(ptr, x[i], NULL));
	}
	for (int k = 0; k < NR_SLABS; k++) {
		struct slab *slab = virt_to_slab(x[2 * k]);
		unsigned int first = (unsigned int)(((char *)x[2 * k] - (char *)slab->s_mem) / s->size);

		cr_assert(eq(ptr, (void *)virt_to_slab(x[2 * k + 1]), (void *)slab), "slab %d", k);
		cr_assert(lt(uint, first, 2));
		first_is_1 += first == 1;
	}
	cr_expect(lt(int, 0, first_is_1), "never shuffled");
	cr_expect(lt(int, first_is_1, NR_SLABS), "always object 1 first");
	for (int i = 0; i < 2 * NR_SLABS; i++)
		helper_slab_free(0, x[i]);
}
