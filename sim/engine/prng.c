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

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void sim_prng_seed(struct sim_prng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t sim_prng_next(struct sim_prng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire's multiply-shift with rejection: unbiased and one division at most. */
uint64_t sim_prng_below(struct sim_prng *r, uint64_t n)
{
	unsigned __int128 m = (unsigned __int128)sim_prng_next(r) * n;
	uint64_t lo = (uint64_t)m;

	if (lo < n) {
		uint64_t t = -n % n;

		while (lo < t) {
			m = (unsigned __int128)sim_prng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double sim_prng_unit(struct sim_prng *r)
{
	return (double)(sim_prng_next(r) >> 11) * 0x1.0p-53;
}

void sim_prng_fork(struct sim_prng *r, uint64_t stream, struct sim_prng *out)
{
	uint64_t x = r->s[0] ^ rotl(r->s[2], 17) ^ (stream * 0xD1B54A32D192ED03ULL);

	for (int i = 0; i < 4; i++)
		out->s[i] = splitmix64(&x);
}
