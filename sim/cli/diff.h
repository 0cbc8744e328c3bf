/*
 * diff.h - two runs side by side (sim/cli/cmd_diff.c), for `kmemsim diff` and the
 * diff section of `kmemsim report A.db B.db`.
 */
#ifndef KMEMSIM_SIM_CLI_DIFF_H
#define KMEMSIM_SIM_CLI_DIFF_H

#include <stdio.h>

#include "outfmt.h"

struct sim_digest;

/* Open a kmemsim database and digest it into nr_buckets time buckets; the database is closed
 * again.  0, or SIM_EBADINPUT (not a kmemsim database) / SIM_EFAIL after one line on err. */
int sim_diff_digest(const char *path, int nr_buckets, struct sim_digest *d, FILE *err);

/* Both databases (B on a thread of its own); on failure neither digest is kept.  0, or as above. */
int sim_diff_digest2(const char *a_path, const char *b_path, int nr_buckets,
		     struct sim_digest *a, struct sim_digest *b, FILE *err);

/* The tables runs, caches, one_side and zones of A and B (docs/diff.md), the `top` caches that
 * differ most (0: all).  0, or -1 on a write error. */
int sim_diff_write(const char *a_path, const struct sim_digest *a, const char *b_path,
		   const struct sim_digest *b, int top, enum out_format fmt, FILE *out);

#endif
