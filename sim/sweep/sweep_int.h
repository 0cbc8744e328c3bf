/*
 * sweep_int.h - internals shared by sweep.c (the grid, the workers), sweep_db.c (a point's
 * comparison rows, the summary database, merging slices) and sweep_count.c (a point's rows
 * counted as it runs, --no-log).
 */
#ifndef KMEMSIM_SIM_SWEEP_INT_H
#define KMEMSIM_SIM_SWEEP_INT_H

#include <stdio.h>

#include "sweep.h"

struct sim_db;
struct sim_db_stmt;
struct sim_op;

char *sw_read_text(const char *path, FILE *err);		/* a whole file (malloc'd); NULL after a line */
char *sw_point_path(const char *dir, int p, const char *ext);	/* dir/point-NNN.ext (malloc'd) */
char *sw_spec_text(const struct sim_sweep *sw);			/* the grid as text (malloc'd) */
char *sw_point_values(const struct sim_sweep *sw, int p);	/* point p's values, one a line */
/* The slice's summary database at `path`: its points' rows read from their databases. */
int sw_write_summary(const struct sim_sweep *sw, const struct sim_sweep_opts *o, const int *status,
		     const char *path, FILE *err);
/* sweep_mem.c: a large heap top in transparent huge pages, which the workers inherit */
void sw_heap_prepare(void);
void sw_heap_refresh(void);	/* after the learning pass: what it freed is not shared with the workers */

/* sweep_db.c: the rows' tables, their inserts, and reading one row of figures */
#define SW_INS_POINT "INSERT INTO sweep_points VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
#define SW_INS_CACHE "INSERT INTO sweep_caches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
extern const char sw_schema_rows[];				/* CREATE TABLE sweep_points, sweep_caches */
int sw_put_point(struct sim_db_stmt *st, const struct sim_sweep_point *r);	/* 0 or -1 */
int sw_put_cache(struct sim_db_stmt *st, const struct sim_sweep_cache *r);	/* 0 or -1 */
int sw_row(struct sim_db *db, const char *sql, double *v, int n);	/* first row's n columns; 0 or -1 */
void sw_pct(double *out, const double *counts, double total);	/* 5 levels' shares, in % */

/* sweep_count.c: a point's comparison counted from its operations as they end (--no-log) */
struct sw_count_cache {
	uint64_t nr_allocs, level[5];		/* its object allocations, nested ones too */
};
struct sw_count {
	uint64_t nr_allocs, level[5];		/* object and page allocations, not nested */
	int64_t latency_ns;			/* their latencies' sum */
	uint64_t *sig_ops;			/* operations per path signature */
	int nr_sigs;
	struct sw_count_cache *cache;		/* per cache id */
	int nr_caches;
	bool oom;
};
void sw_count_op(const struct sim_op *op, void *arg);		/* sim_run_opts.op_observer; arg: sw_count */
/* The point's rows (its figures: the counts and its database's tables) stored in its database
 * db as tables sweep_points and sweep_caches, for sw_write_summary; 0 or SIM_EFAIL after a line. */
int sw_count_store(struct sw_count *c, const char *db, int status, FILE *err);

#endif
