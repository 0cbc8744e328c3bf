/*
 * prng.h - the one seeded generator behind every choice (xoshiro256**).
 *
 * Seeded through splitmix64 so that any 64-bit seed, 0 included, gives a
 * good state.  Streams for sub-systems are split off with sim_prng_fork so
 * that adding draws in one place does not shift the draws of another.
 */
#ifndef KMEMSIM_SIM_PRNG_H
#define KMEMSIM_SIM_PRNG_H

#include <stdint.h>

struct sim_prng { uint64_t s[4]; };

void sim_prng_seed(struct sim_prng *r, uint64_t seed);
double sim_prng_unit(struct sim_prng *r);			/* uniform in [0, 1) */
void sim_prng_fork(struct sim_prng *r, uint64_t stream, struct sim_prng *out); /* independent stream */

/* Inline: a scheduling tie draws one at nearly every yield of a lock-step run. */
static inline uint64_t sim_prng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* 64 random bits. */
static inline uint64_t sim_prng_next(struct sim_prng *r)
{
	uint64_t *s = r->s;
	uint64_t result = sim_prng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = sim_prng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n), n > 0: Lemire's multiply-shift with rejection (unbiased, one
 * division at most). */
static inline uint64_t sim_prng_below(struct sim_prng *r, uint64_t n)
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

#endif
