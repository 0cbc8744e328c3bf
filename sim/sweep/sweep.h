/*
 * sweep.h - `kmemsim sweep`: one scenario or trace run at every point of a grid of settings
 * (the cartesian product of --vary KEY=V1,V2,...; `allocator` is a key like any other), one
 * database per point, and one comparison across the points (levels, slab pages, pcp refills
 * and drains, latency, lock wait; per cache too).  docs/sweep.md.
 *
 * A point is the target run with --set KEY=VALUE for each of its values (after the sweep's
 * own --set), in a forked worker (--jobs at a time; a worker dies with its parent).  --shard
 * i/N runs the points p with p % N == i; the summary database of each slice joins with the
 * others' in sim_sweep_merge, into the same rows as one process (they come from the point
 * databases, which are deterministic, and are kept in point order).
 */
#ifndef KMEMSIM_SIM_SWEEP_H
#define KMEMSIM_SIM_SWEEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_SWEEP_MAX_AXES 8
#define SIM_SWEEP_MAX_VALUES 64
#define SIM_SWEEP_MAX_SETS 64
#define SIM_SWEEP_MAX_POINTS 4096

struct sim_sweep_axis {
	char *key;				/* scenario key path: "slub.min_objects", "allocator" */
	int nr;
	char *value[SIM_SWEEP_MAX_VALUES];	/* --set values: "128", "slab" */
};

/* The grid: what runs at every point. */
struct sim_sweep {
	char *target;				/* scenario .json (kmemsim run) or trace / capture (replay) */
	bool replay;				/* the target is a trace */
	char *scenario;				/* a replay's --scenario; NULL: none */
	int nr_sets;
	char *set[SIM_SWEEP_MAX_SETS];		/* KEY=VALUE for every point, before its own */
	int nr_axes;
	struct sim_sweep_axis axis[SIM_SWEEP_MAX_AXES];
};

/* The comparison row of a point. */
struct sim_sweep_point {
	int index;				/* in the grid, last axis fastest */
	char *values;				/* its values, one a line, axis order */
	char *db;				/* its database */
	int status;				/* the run's: 0, 1 (SIM_EFAIL) or 2 */
	int64_t nr_allocs;			/* object and page allocations */
	double level_pct[5];			/* of them, satisfied at L1..L5 */
	int64_t slab_pages;			/* pages in slabs at the end (slabinfo) */
	int64_t refills, drains;		/* pcp: rmqueue_bulk, free_pcppages_bulk */
	double latency_ns;			/* mean simulated latency of an allocation */
	int64_t lock_wait_ns;			/* spinning on locks, every lock */
};

/* A cache's row at a point. */
struct sim_sweep_cache {
	int point;
	char *name;
	int64_t nr_allocs;
	double level_pct[5];
	int64_t slab_pages;
};

struct sim_sweep_result {
	char *spec;				/* the grid as text: slices of one sweep have the same */
	int nr_points;				/* in the whole grid */
	int nr_rows;				/* points here (a slice: its own; merged: those given) */
	struct sim_sweep_point *row;
	int nr_caches;
	struct sim_sweep_cache *cache;
	int missing;				/* merged: points of the grid no slice had */
};

struct sim_sweep_opts {
	int jobs;				/* workers at once (>= 1) */
	int shard, nr_shards;			/* this slice; nr_shards 1: all */
	const char *out_dir;			/* point databases and the summary database */
	bool quiet;				/* no progress on err */
	bool no_log;				/* points without their ops rows: counted as they run */
};

/* A sweep spec file: {"target": ..., "scenario": ..., "set": {...}, "vary": {"key": [v, ...]}}. 0 or SIM_EBADINPUT. */
int sim_sweep_load_spec(struct sim_sweep *sw, const char *path, FILE *err);
/* --vary KEY=V1,V2,... appended; 0 or SIM_EBADINPUT after a line. */
int sim_sweep_add_axis(struct sim_sweep *sw, const char *arg, FILE *err);
/* Whether target is a trace or capture (else a scenario file), and the grid's size checks. */
int sim_sweep_check(struct sim_sweep *sw, FILE *err);
void sim_sweep_free(struct sim_sweep *sw);
/* Points in the grid. */
int sim_sweep_nr_points(const struct sim_sweep *sw);

/* Run this slice's points and write its summary database (out_dir/sweep.db, or
 * sweep-I-of-N.db for a slice).  0, SIM_EFAIL (a point failed: its row says so) or SIM_EBADINPUT. */
int sim_sweep_run(const struct sim_sweep *sw, const struct sim_sweep_opts *o, struct sim_sweep_result *res,
		  FILE *err);
/* Whether `path` is a sweep's summary database. */
bool sim_sweep_is_db(const char *path);
/* Join slices' summary databases into out_db and res.  0 or SIM_EBADINPUT / SIM_EFAIL after a line. */
int sim_sweep_merge(const char *out_db, const char *const *in, int nr_in, struct sim_sweep_result *res,
		    FILE *err);
/* Axis keys of a result's spec, one a line (malloc'd). */
char *sim_sweep_keys(const struct sim_sweep_result *res);
void sim_sweep_result_free(struct sim_sweep_result *res);

#endif
