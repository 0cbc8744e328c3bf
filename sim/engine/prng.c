/*
 * prng.c - xoshiro256** (Blackman and Vigna), seeded through splitmix64.
 *
 * Small, fast and well studied; the only source of randomness in a run.
 */
#include "prng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void sim_prng_seed(struct sim_prng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

double sim_prng_unit(struct sim_prng *r)
{
	return (double)(sim_prng_next(r) >> 11) * 0x1.0p-53;
}

void sim_prng_fork(struct sim_prng *r, uint64_t stream, struct sim_prng *out)
{
	uint64_t x = r->s[0] ^ sim_prng_rotl(r->s[2], 17) ^ (stream * 0xD1B54A32D192ED03ULL);

	for (int i = 0; i < 4; i++)
		out->s[i] = splitmix64(&x);
}
