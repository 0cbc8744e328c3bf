/*
 * report.h - what a user reads after a run: the summary table, and the
 * kernel's /proc layouts rebuilt from a run's database.
 *
 * The summary is computed from in-memory counters fed one ended operation at
 * a time (sim_report_count, called from the run's op sink), so it needs no
 * database and works with the per-operation log off.  buddyinfo and zoneinfo
 * read the final state from the database and print it exactly as
 * mm/vmstat.c's frag_show_print and zoneinfo_show_print lay it out.
 */
#ifndef KMEMSIM_SIM_REPORT_H
#define KMEMSIM_SIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_op;
struct sim_report;

/* Facts about the run printed around the table. */
struct sim_report_run {
	const char *scenario;		/* scenario name */
	const char *allocator;		/* "buddy", "slub", "slab" */
	const char *kernel;		/* "6.1", "6.12" */
	uint64_t seed;
	int nr_cpus, nr_nodes;
	uint64_t sim_ns;		/* simulated time: the largest vCPU clock */
	double wall_s;			/* wall-clock seconds of the engine run */
	uint64_t nr_violations;		/* invariant violations found */
	uint64_t nr_live;		/* workload allocations never freed */
	const char *db_path;		/* NULL: no database written */
	bool log_ops;			/* one row per operation in the database */
	bool log_counts;		/* --log aggregate: operations counted in op_counts */
};

/* Name of cache `id` for object rows (NULL: rows say "cache#id"). */
typedef const char *sim_report_cache_name_fn(int id);

struct sim_report *sim_report_create(void);				/* NULL when out of memory */
void sim_report_destroy(struct sim_report *r);
void sim_report_set_cache_name(struct sim_report *r, sim_report_cache_name_fn *fn); /* for object rows */
void sim_report_count(struct sim_report *r, const struct sim_op *op);	/* one ended operation */
uint64_t sim_report_nr_ops(const struct sim_report *r);			/* operations counted */
/* Operations of `kind` on (node, zone) at `level` (0 = unset, 1..5); zone -1 = none. */
uint64_t sim_report_nr_level(const struct sim_report *r, int kind, int node, int zone, int level);
uint64_t sim_report_nr_failed(const struct sim_report *r, int kind, int node, int zone);
/* The summary table and totals. */
void sim_report_print(const struct sim_report *r, const struct sim_report_run *run, FILE *out);
const char *sim_report_kind_name(int kind);				/* "page_alloc", ... */
/* The table's rows in its order (page rows, then every cache with object operations, most
 * operations first; the table prints the first RP_TOP_CACHES caches): malloc'ed *rows, or -1. */
struct sim_summary_row;
int sim_report_rows(const struct sim_report *r, struct sim_summary_row **rows, int *nr_rows, int *nr_caches);

#endif
