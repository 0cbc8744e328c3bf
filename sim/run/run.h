/*
 * run.h - one simulation run from a scenario to a database and a summary.
 *
 * sim_run loads the scenario (or takes one built in memory), builds the
 * machine and the allocator, runs the workload on the engine, checks the
 * invariants, writes the database and prints the summary.  It returns a
 * status for main() to turn into the exit status: 0 ok, SIM_EFAIL run-time
 * failure or invariant violation (recorded in the database, which is kept),
 * SIM_EBADINPUT bad scenario or schedule (one line on err).
 */
#ifndef KMEMSIM_SIM_RUN_H
#define KMEMSIM_SIM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "workload.h"

struct sim_scenario;
struct sim_db;
struct sim_chooser;
struct sim_op;

/*
 * The summary a run prints at its end, rebuilt from its database (report_db.c) for
 * `kmemsim summary DB`: needs the per-operation log (runs.log_ops).
 */
struct sim_summary_row {
	char kind[16];			/* "page_alloc", "obj_free", ... */
	char where[64];			/* "node/zone" of a page row, the cache of an object row */
	bool cache;			/* an object row (printed as shares of ops) */
	int rank;			/* an object row's cache: 0 = most operations; -1 for pages */
	uint64_t ops, level[5], failed;	/* operations, of them at L1..L5, failed */
};
struct sim_summary {
	char scenario[128], allocator[16], kernel[16];
	uint64_t seed, sim_ns, nr_ops, nr_violations;
	int nr_cpus, nr_nodes;
	double wall_s;
	struct sim_summary_row *row;	/* page rows, then every cache's, in the table's order */
	int nr_rows, nr_caches;		/* caches with object operations (the text shows 10) */
};
/* Fill *s from the database at path and, when text is not NULL, print the summary there as
 * the run printed it.  0, or SIM_EBADINPUT / SIM_EFAIL after one line on err. */
int sim_run_summary(const char *path, struct sim_summary *s, FILE *text, FILE *err);
void sim_run_summary_free(struct sim_summary *s);

/* What a run measured (for tests and the benchmark). */
/* The first violation of a run. */
struct sim_race_violation {
	bool found;
	char invariant[32];		/* "live_twice", "slub", ... */
	char detail[320];		/* the checker's first line: names the object or page */
	uint64_t step;			/* yield point at which it was found (steps.step) */
	uint64_t seq;			/* the operation that ended there (ops.seq), 0 = none */
};

struct sim_run_stats {
	uint64_t nr_ops;		/* operations ended, every kind, nested ones too */
	uint64_t sim_ns;		/* simulated time: the largest vCPU clock */
	double wall_s;			/* wall-clock seconds inside sim_engine_run */
	double cpu_s;			/* CPU seconds of the simulating thread inside sim_engine_run */
	double end_wall_s, end_cpu_s;	/* from sim_engine_run until the last row is in the database
					 * (the final tables written; before the commit and indexes of
					 * the close): wall, and the whole process's CPU (the db writer's too) */
	uint64_t nr_violations;		/* invariant violations found */
	uint64_t nr_checks;		/* invariant checks run, periodic and final */
	uint64_t nr_switches;		/* engine context switches */
	uint64_t nr_yields;		/* yield points passed */
	struct sim_workload_stats wl;
};

struct sim_run_opts {
	const char *scenario_path;	/* scenario file; NULL: `scenario`, else the default */
	const struct sim_scenario *scenario; /* built in memory (used when no path); not freed */
	const char *const *sets;	/* --set KEY=VALUE overrides of the file's (or default's) keys */
	int nr_sets;
	const char *cmd;		/* the command a refusal names ("kmemsim explore"); NULL: "kmemsim run" */
	bool seed_set;			/* override the scenario's seed with `seed` */
	uint64_t seed;
	bool allocator_set;		/* override the scenario's allocator with `allocator` */
	int allocator;			/* enum sim_allocator (sim/scenario/scenario.h) */
	const char *db_path;		/* database to write; NULL: none */
	const char *schedule_out;	/* record the schedule here; NULL: no */
	const char *schedule_in;	/* replay this schedule; NULL: no */
	bool no_log;			/* no row per operation */
	bool log_aggregate;		/* --log aggregate: table op_counts instead of ops rows */
	bool quiet;			/* no summary on out */
	bool (*extra_check)(FILE *why);	/* one more invariant, checked with the allocators' (tests) */
	const char *extra_check_name;	/* its name in the violations table */
	struct sim_run_stats *stats;	/* filled when not NULL */
	struct sim_chooser *chooser;	/* exploration: decides at every yield (sim/engine/schedule.h); NULL: none */
	struct sim_race_violation *violation; /* the first invariant violation, filled when not NULL */
	/* A driver of its own instead of the scenario's workload (kmemsim replay, sim/replay/replay.h). */
	int (*driver_start)(void *arg, struct sim_db *db, FILE *err); /* its tasks and tables; 0 or SIM_E* */
	int (*driver_finish)(void *arg, struct sim_db *db);	/* after the run (db may be NULL); 0 or -1 */
	void *driver_arg;
	/* Every ended operation, logged or not (kmemsim sweep counts its comparison with --no-log). */
	void (*op_observer)(const struct sim_op *op, void *arg);
	void *op_observer_arg;
};

/* Run once.  0, SIM_EFAIL or SIM_EBADINPUT (after one line on err). */
int sim_run(const struct sim_run_opts *opts, FILE *out, FILE *err);
/* Called by driver tasks between operations: when an invariant check is due,
 * hold here until no task is inside an operation, and run it.  No-op otherwise. */
void sim_run_checkpoint(void);

/* If `path` is a forced schedule, read it and install a chooser following it (*out, to be
 * closed).  0 installed, 1 not a forced schedule (leave it to sim_schedule_replay),
 * SIM_EBADINPUT after one line on err. */
int sim_forced_open(const char *path, struct sim_chooser **out, FILE *err);
/* After the run: warn on err when it did not take every forced switch; free. */
void sim_forced_close(struct sim_chooser *ch, FILE *err);

#endif
