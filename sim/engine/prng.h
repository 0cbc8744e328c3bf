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
uint64_t sim_prng_next(struct sim_prng *r);			/* 64 random bits */
uint64_t sim_prng_below(struct sim_prng *r, uint64_t n);	/* uniform in [0, n); n > 0 */
double sim_prng_unit(struct sim_prng *r);			/* uniform in [0, 1) */
void sim_prng_fork(struct sim_prng *r, uint64_t stream, struct sim_prng *out); /* independent stream */

#endif
