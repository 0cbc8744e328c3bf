/*
 * validate.h - `kmemsim validate`: a capture replayed, compared with what the
 * kernel itself counted between the capture's snapshot markers
 * (docs/fidelity.md explains every number).
 *
 * sim_validate replays CAPTURE_DIR (or reads the replay database o->db_path
 * when it exists; when it does not, the replay is written there and kept),
 * reads CAPTURE/SNAP0/ and SNAP1/ (traces/snapshot.h), and prints a per-cache
 * table, worst first, and a one-line summary (or JSON).  Returns 0 when the
 * comparison ran, whether or not the targets are met; SIM_EBADINPUT for a
 * capture or database it cannot use (one line on err); SIM_EFAIL otherwise.
 */
#ifndef KMEMSIM_SIM_VALIDATE_H
#define KMEMSIM_SIM_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_validate_opts {
	const char *capture;		/* capture directory (trace, SNAP0/, SNAP1/) */
	bool allocator_set;		/* --allocator, as for sim_replay */
	int allocator;
	const char *db_path;		/* existing replay database of the capture, or where to write it; NULL: temporary */
	const char *scenario_path;	/* the replay's --scenario; NULL: none */
	const char *const *sets;	/* the replay's --set overrides (a new replay only) */
	int nr_sets;
	bool json;			/* --format json */
	bool log_aggregate;		/* --log aggregate: a new replay counts its operations (op_counts) */
};

/* The distances of the summary line (-1 where the capture or the run has nothing to compare). */
struct sim_validate_result {
	double slub_pct, slub_cpu_pct;		/* SLUB counters: sum |kernel - model| / alloc+free volume, % */
	double slab_pct;			/* SLAB statistics: / hit+miss volume, % */
	int nr_geometry, nr_geometry_equal;	/* caches compared for geometry and tunables, and equal */
	int64_t kernel_refills, model_refills, kernel_drains, model_drains;	/* pcp batches in the window */
	double refill_pct, drain_pct;		/* |kernel - model| / kernel, % */
	double free_pages_pct;			/* worst node: |kernel - model| free pages / node's managed pages, % */
};

int sim_validate(const struct sim_validate_opts *o, struct sim_validate_result *res, FILE *out, FILE *err);

#endif
