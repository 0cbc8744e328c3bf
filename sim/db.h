/*
 * db.h - the run's SQLite database: the only file that includes sqlite3.h
 * is sim/db.c.
 *
 * A run writes to `<path>.tmp-<pid>` and sim_db_close(db, true) renames it
 * over `path`: a failed run never replaces a good database.  Rows are
 * inserted with prepared statements inside large transactions.  The schema
 * (tables, views, schema_version) is documented in docs/database.md.
 */
#ifndef KMEMSIM_SIM_DB_H
#define KMEMSIM_SIM_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_db;
struct sim_op;
struct sim_scenario;

/* Create the database at a temporary name beside `path`. NULL after a line on err. */
struct sim_db *sim_db_open(const char *path, FILE *err);
/* Commit; rename over `path` when `keep`, else delete the temporary file. 0 or -1. */
int sim_db_close(struct sim_db *db, bool keep, FILE *err);

/* The run row: scenario JSON, seed, version, allocator. */
int sim_db_log_run(struct sim_db *db, const struct sim_scenario *sc, const char *version);
/* One operation row (sink for sim_path_set_sink). */
void sim_db_log_op(const struct sim_op *op, void *db);
/* Path signatures of the run (sim_path_sig_text) and the label table. */
int sim_db_log_sigs(struct sim_db *db);
/* Per-lock wait/hold totals, interrupts, preemptions, migrations. */
int sim_db_log_engine(struct sim_db *db);
/* A buddyinfo snapshot of every zone, order and migratetype at simulated time `ns`. */
int sim_db_log_buddy_snapshot(struct sim_db *db, uint64_t ns, bool final);
/* Zone state at the end (watermarks, pcp count/high/batch per CPU). */
int sim_db_log_zones(struct sim_db *db);
/* An invariant violation. */
int sim_db_log_violation(struct sim_db *db, uint64_t ns, uint64_t seq, const char *invariant, const char *detail);
/* Wall-clock and totals at the end of the run. */
int sim_db_log_summary(struct sim_db *db, uint64_t sim_ns, double wall_s, uint64_t nr_ops);

/* Run arbitrary SQL on an existing database file, for report commands. */
struct sim_db *sim_db_open_existing(const char *path, FILE *err);
/* Call fn for each row of `sql`; columns as text (NULL for SQL NULL). */
typedef int sim_db_row_fn(void *arg, int ncol, char **vals, char **names);
int sim_db_query(struct sim_db *db, const char *sql, sim_db_row_fn *fn, void *arg, FILE *err);

#endif
