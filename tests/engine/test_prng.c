/*
 * test_prng.c - the seeded generator: fixed output for a seed, bounds,
 * independent forks.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "sim/engine/engine.h"

Test(prng, same_seed_same_stream_other_seed_other_stream)
{
	struct sim_prng a, b, c;

	sim_prng_seed(&a, 42);
	sim_prng_seed(&b, 42);
	sim_prng_seed(&c, 43);
	int differ = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = sim_prng_next(&a), y = sim_prng_next(&b), z = sim_prng_next(&c);

		cr_assert(eq(u64, x, y));
		differ += x != z;
	}
	cr_assert(lt(int, 95, differ));
}

Test(prng, seed_zero_is_not_degenerate)
{
	struct sim_prng r;

	sim_prng_seed(&r, 0);
	cr_assert(ne(u64, sim_prng_next(&r) | sim_prng_next(&r), 0));
}

Test(prng, below_stays_in_range_and_covers_it)
{
	struct sim_prng r;
	int hits[7] = { 0 };

	sim_prng_seed(&r, 7);
	for (int i = 0; i < 7000; i++) {
		uint64_t v = sim_prng_below(&r, 7);

		cr_assert(lt(u64, v, 7));
		hits[v]++;
	}
	for (int i = 0; i < 7; i++)
		cr_assert(lt(int, 800, hits[i]), "value %d drawn %d times", i, hits[i]);
	for (int i = 0; i < 1000; i++) {
		double u = sim_prng_unit(&r);
		cr_assert(u >= 0.0 && u < 1.0);
	}
}

Test(prng, forks_are_independent_of_later_draws_on_the_parent)
{
	struct sim_prng root, f1, f2;

	sim_prng_seed(&root, 9);
	sim_prng_fork(&root, 5, &f1);
	sim_prng_fork(&root, 5, &f2);
	cr_assert(eq(u64, sim_prng_next(&f1), sim_prng_next(&f2)));
	sim_prng_fork(&root, 6, &f2);
	sim_prng_seed(&f1, 9);
	sim_prng_fork(&f1, 5, &f1);
	cr_assert(ne(u64, sim_prng_next(&f1), sim_prng_next(&f2)));
}
