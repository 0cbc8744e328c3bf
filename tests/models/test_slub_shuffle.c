/*
 * test_slub_shuffle.c - CONFIG_SLAB_FREELIST_RANDOM in SLUB, suite `slub_shuffle` (6.1 and
 * 6.12 mm/slub.c, mm/slab_common.c):
 *
 *  - init_cache_random_seq: cache_random_seq_create makes a permutation of 0..count-1 of the
 *    objects per slab (freelist_randomize), only for count >= 2; then each index becomes a
 *    byte offset (times s->size);
 *  - shuffle_freelist: a new slab's freelist follows the sequence from a random position,
 *    wrapping at its end (next_freelist_entry), every object once, the last one's free
 *    pointer NULL.
 *
 * Machine: 2 nodes x 2 CPUs, freelist randomisation on.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

static void check_sequence(const struct kmem_cache *s)
{
	unsigned int count = oo_objects(s->oo);
	bool seen[64];

	cr_assert(ne(ptr, (void *)s->random_seq, NULL));
	cr_assert(le(uint, count, 64));
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = 0; i < count; i++) {
		unsigned int off = s->random_seq[i];

		cr_assert(eq(uint, off % s->size, 0), "entry %u is a byte offset of an object", i);
		cr_assert(lt(uint, off / s->size, count));
		cr_assert(not(seen[off / s->size]), "object %u twice", off / s->size);
		seen[off / s->size] = true;
	}
}

/*
 * The objects of one new slab, in the order CPU 0 gets them (the first from the slab's
 * freelist, the others off c->freelist): the sequence's offsets from some position on,
 * wrapping around, each object once.
 */
static void shuffled_slab(enum kernel_version v, unsigned int size)
{
	struct sim_scenario *sc;
	struct kmem_cache *s;
	void *p[64];
	unsigned int count, pos;
	uint64_t base;

	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, true);
	cr_assert(sc != NULL);
	s = kmem_cache_create("shuffled", size, 0, 0, false);
	cr_assert(s != NULL);
	check_sequence(s);
	count = oo_objects(s->oo);
	for (unsigned int i = 0; i < count; i++)
		cr_assert(ne(ptr, p[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1), "one slab");
	base = ptr_u64(slab_address(virt_to_slab(p[0])));
	for (pos = 0; pos < count; pos++)
		if (s->random_seq[pos] == ptr_u64(p[0]) - base)
			break;
	cr_assert(lt(uint, pos, count), "the first object is at an offset of the sequence");
	for (unsigned int i = 0; i < count; i++)
		cr_expect(eq(u64, ptr_u64(p[i]) - base, s->random_seq[(pos + i) % count]), "object %u", i);
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, NULL), "the last free pointer is NULL");
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_shuffle, slab_follows_the_sequence_6_1) { shuffled_slab(KERNEL_6_1, 256); }
Test(slub_shuffle, slab_follows_the_sequence_6_12) { shuffled_slab(KERNEL_6_12, 256); }
Test(slub_shuffle, slab_of_21_follows_the_sequence_6_1) { shuffled_slab(KERNEL_6_1, 192); }

/* One object per slab (32 KiB at order 3): no sequence (count < 2), the slab is not shuffled. */
Test(slub_shuffle, one_object_slabs_have_no_sequence)
{
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);
	struct kmem_cache *s;
	void *p;

	cr_assert(sc != NULL);
	s = kmem_cache_create("one_obj", 32768, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 1));
	cr_expect(eq(ptr, (void *)s->random_seq, NULL));
	p = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p != NULL);
	cr_expect(eq(u64, ptr_u64(p), ptr_u64(slab_address(virt_to_slab(p)))));
	helper_slab_machine_down(sc);
}

/* Two objects per slab: the smallest sequence, both orders possible, each object once. */
Test(slub_shuffle, two_object_slabs_have_a_sequence)
{
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);
	struct kmem_cache *s;

	cr_assert(sc != NULL);
	s = kmem_cache_create("two_obj", 16384, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 2));
	check_sequence(s);
	helper_slab_machine_down(sc);
}

/*
 * bootstrap puts the two boot caches on slab_caches, so init_freelist_randomization at the
 * end of kmem_cache_init gives them a random sequence too (every cache on the list, the boot
 * caches included).
 */
Test(slub_shuffle, boot_caches_are_listed_and_randomised)
{
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);
	struct kmem_cache *kc, *kn, *c;
	bool seen_kc = false, seen_kn = false;

	cr_assert(sc != NULL);
	kc = slab_find_cache("kmem_cache");
	kn = slab_find_cache("kmem_cache_node");
	cr_assert(kc != NULL && kn != NULL);
	list_for_each_entry(c, &slub_slab_caches, list) {
		seen_kc |= c == kc;
		seen_kn |= c == kn;
	}
	cr_expect(seen_kc, "kmem_cache on slab_caches");
	cr_expect(seen_kn, "kmem_cache_node on slab_caches");
	check_sequence(kc);
	check_sequence(kn);
	helper_slab_machine_down(sc);
}

/*
 * freelist_randomize (mm/slab_common.c) is a Fisher-Yates shuffle: at step i it swaps list[i]
 * with list[rand % (i + 1)], so an entry may stay where it is (rand % (i + 1) == i); every
 * permutation can come out, some with fixed points.  (Drawing from rand % i instead would
 * give only cyclic permutations, never a fixed point.)  Among the sequences of twelve
 * 16-object caches at least one leaves some object in place (each does with probability
 * about 1 - 1/e), and each is a permutation.
 */
Test(slub_shuffle, sequences_may_keep_an_object_in_place)
{
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);
	int with_fixed_point = 0;

	cr_assert(sc != NULL);
	for (int k = 0; k < 12; k++) {
		char name[32];
		struct kmem_cache *s;
		bool fixed = false;

		snprintf(name, sizeof(name), "fy%d", k);
		s = kmem_cache_create(name, 256, 0, 0, true);	/* a ctor: never merged */
		cr_assert(s != NULL);
		check_sequence(s);
		for (unsigned int i = 0; i < oo_objects(s->oo); i++)
			fixed |= s->random_seq[i] / s->size == i;
		with_fixed_point += fixed;
	}
	cr_expect(lt(int, 0, with_fixed_point));
	helper_slab_machine_down(sc);
}
