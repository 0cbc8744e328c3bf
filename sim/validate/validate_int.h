/*
 * validate_int.h - what the files of sim/validate/ share and nothing else
 * includes: struct vd (one validation's state), struct vd_row (one kernel
 * cache), struct vd_mark, the targets, and each step's functions
 * (validate.c: the database and the marks; validate_rows.c: the rows;
 * validate_compare.c: the comparisons; validate_print.c: the output).
 * Other folders include sim/validate/validate.h only.
 */
#ifndef KMEMSIM_SIM_VALIDATE_INT_H
#define KMEMSIM_SIM_VALIDATE_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "validate.h"
#include "../db/db.h"
#include "../../traces/capture.h"
#include "../../traces/snapshot.h"

#define VD_MAX_ITEMS 32
#define VD_TARGET_SLUB 3.0
#define VD_TARGET_SLAB 3.0
#define VD_TARGET_REFILL 15.0
#define VD_TARGET_DRAIN 25.0
#define VD_TARGET_FREE 2.0

/* validate_compare.c: SLAB counter (sim_slab_stat_name order) -> SIM_SI_* column, -1 not compared */
extern const int vd_slab_cols[SIM_SLAB_NR_STAT_ITEMS];

struct vd_mark {
	int64_t line;
	uint64_t ns;			/* simulated time of the line (vd_line_times) */
	int snap;			/* SNAPi, -1 none */
	char *what;			/* after "SNAPi ": "cache DIR", "proc/slabinfo", "BEGIN"; or the whole text */
};

struct vd_row {
	const char *name;		/* sysfs directory (SLUB) or slabinfo name */
	const struct sim_snap_cache *k0, *k1;	/* counters: SNAP0, SNAP1 */
	const struct sim_snap_cache *si;	/* slabinfo row at SNAP1 */
	int model;			/* first model cache id, -1 none */
	int nr_models;
	int64_t line0, line1;		/* window marks, -1 none */
	uint64_t t0, t1;
	bool windowed;
	int64_t k[VD_MAX_ITEMS], m[VD_MAX_ITEMS];
	int64_t *kc, *mc;		/* [item * nc + cpu] */
	int64_t dist, dist_cpu, volume;
	bool geo_compared, geo_equal;
	char geo[192];			/* what differs, "kernel/model" */
	int64_t k_active, m_active, k_slabs, m_slabs;
	bool have_state;
};

struct vd {
	const struct sim_validate_opts *o;
	FILE *err;
	struct sim_snapshot *s0, *s1;
	struct sim_capture *cap;
	struct sim_db *db;
	const char *db_path;
	char allocator[16];
	int kernel;			/* enum kernel_version of the replay (runs.kernel) */
	bool slab;			/* the run is SLAB's */
	bool aggregate;			/* --log aggregate's database: op_counts, stat_counts, mark_* */
	bool kernel_slub_stats;		/* SNAP1 has SLUB counters */
	int nr_items;
	int nc;				/* CPUs of the per-CPU arrays */
	int model_cpus;
	int *vcpu_cpu;			/* model vCPU -> trace CPU */
	struct vd_mark *mark;
	int nr_marks;
	struct vd_row *row;
	int nr_rows;
	int *id_row;			/* model cache id -> row, -1 */
	int nr_ids;
	uint64_t *refill_ns, *drain_ns;	/* the model's pcp batches */
	size_t nr_refill, nr_drain, cap_refill, cap_drain;
	int64_t win_line0, win_line1;	/* pcp window */
	uint64_t win_t0, win_t1;
	struct sim_validate_result res;
	cJSON *nodes;			/* per node: free pages */
	int64_t buddy_dist, buddy_kernel;
	int64_t active_dist, active_kernel;
};

/* validate.c: an error on bad input (one line on err, SIM_EBADINPUT); the database; the marks */
int vd_bad(struct vd *v, const char *fmt, const char *arg);
bool vd_query_ints(struct vd *v, const char *sql, int64_t *out, int n);
int64_t vd_mark_line(const struct vd *v, int snap, const char *what);
uint64_t vd_line_ns(const struct vd *v, int64_t line);
/* --log aggregate: 0 when a window end at t counts exactly, else SIM_EBADINPUT after a line */
int vd_cut(struct vd *v, uint64_t t);

/* validate_rows.c: one row per kernel cache, its model cache(s) and window; the pcp window */
int vd_build_rows(struct vd *v);

/* validate_compare.c: the steps that fill the rows and v->res, in this order */
int vd_scan_ops(struct vd *v);
int vd_counters(struct vd *v);
int vd_state(struct vd *v);
int vd_zones(struct vd *v);
int vd_pcp(struct vd *v);

/* validate_print.c: qsort order (worst first), the table and summary, the JSON */
int vd_row_cmp(const void *a, const void *b);
void vd_print_text(struct vd *v, FILE *out, int64_t tot_v);
int vd_print_json(struct vd *v, FILE *out, int64_t tot_v);

#endif
