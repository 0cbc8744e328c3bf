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
