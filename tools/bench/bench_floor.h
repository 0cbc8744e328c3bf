/*
 * bench_floor.h - floors measured in the same run as bench.c's figures (bench_floor.c).
 */
#ifndef KMEMSIM_TOOLS_BENCH_FLOOR_H
#define KMEMSIM_TOOLS_BENCH_FLOOR_H

#include <stdint.h>

#define BENCH_FLOOR_RUNS 3

double bench_median(double *v, int n);	/* bench.c: the median of v[0..n) (sorts v) */

/* ns per kmalloc + kfree pair of SLUB's fast path in a plain C loop: nr_pairs pairs over
 * caches of sizes[i][0] bytes picked with weight sizes[i][1], 16 pairs in flight; 0 on failure. */
double bench_floor_fastpath(uint64_t nr_pairs, const uint32_t (*sizes)[2], int nr_sizes);
/* ns per row (CPU time; *wall_ns: wall time) of inserting the ops rows of the run database
 * run_db into its ops table anew (*nr_rows: how many); 0 on failure. */
double bench_floor_insert(const char *run_db, int64_t *nr_rows, double *wall_ns);
/* The rows of run_db's ops table; 0 on failure. */
int64_t bench_floor_rows(const char *run_db);

#endif
