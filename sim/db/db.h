/*
 * db.h - the run's SQLite database, and the only header of sim/db/ that
 * other folders include; only sim/db/ includes sqlite3.h.
 *
 * A run writes to `<path>.tmp-<pid>` and sim_db_close(db, true) renames it
 * over `path`: a failed run never replaces a good database.  Rows are
 * inserted with prepared statements inside large transactions.  The schema
 * (tables, views, schema_version) is documented in docs/database.md.
 * Run-time errors print one line `path: what: sqlite's message` on the
 * `err` given at open (or at close).  Other modules add tables through the
 * generic calls at the end, without sqlite3.h.
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
/* Commit; rename over `path` when `keep`, else delete the temporary file.  -1 when
 * `keep` was asked but the file could not be kept (an insert had failed, or the
 * commit or rename failed); else 0.  On a database from sim_db_open_existing: close. */
int sim_db_close(struct sim_db *db, bool keep, FILE *err);

/* The run row: scenario JSON, seed, version, allocator. */
int sim_db_log_run(struct sim_db *db, const struct sim_scenario *sc, const char *version);
/* One operation row (sink for sim_path_set_sink; `db` is the struct sim_db). */
void sim_db_log_op(const struct sim_op *op, void *db);
/* --log aggregate: count operations into table op_counts (written at close) instead of a
 * row each; runs.log says 'aggregate'.  Then sim_db_count_op is the sink.  0 or -1. */
int sim_db_count_ops(struct sim_db *db);
void sim_db_count_op(const struct sim_op *op, void *db);
/* A replay's mark (a tracing_mark_write line) at simulated time_ns, in trace order: with
 * --log aggregate it starts a time bucket of op_counts (db_counts.c); else nothing. */
void sim_db_count_mark(struct sim_db *db, int64_t line, uint64_t time_ns);
/* The trace's first event after a mark, at simulated time_ns (where the mark's exact span ends). */
void sim_db_count_mark_next(struct sim_db *db, uint64_t time_ns);
/* The ops.stats text of (item, count) pairs: "3 8*2" (item 3 once, item 8 twice). */
void sim_db_stats_text(const uint8_t *pairs, int nr, char *buf, size_t size);
/* Path signatures of the run (sim_path_sig_text) and the label table. */
int sim_db_log_sigs(struct sim_db *db);
/* Per-lock wait/hold totals, interrupts, preemptions, migrations. */
int sim_db_log_engine(struct sim_db *db);
/* A buddyinfo snapshot of every zone, order and migratetype at simulated time `ns`. */
int sim_db_log_buddy_snapshot(struct sim_db *db, uint64_t ns, bool final);
/* Zone state at the end (watermarks, pcp count/high/batch per CPU). */
int sim_db_log_zones(struct sim_db *db);
/* The model's /proc/vmstat at the end (the vmstat table, db_vmstat.c). */
int sim_db_log_vmstat(struct sim_db *db);
/* An invariant violation. */
int sim_db_log_violation(struct sim_db *db, uint64_t ns, uint64_t seq, const char *invariant, const char *detail);
/* Wall-clock and totals at the end of the run. */
int sim_db_log_summary(struct sim_db *db, uint64_t sim_ns, double wall_s, uint64_t nr_ops);

/* Run arbitrary SQL on an existing database file, for report commands.  The one check
 * every reader goes through: a regular file, a kmemsim database (`DB: not a kmemsim
 * database`; a file in WAL mode is not one), of this schema version (`DB: schema version N, this kmemsim reads M`).
 * sim_db_open_read: 0, 2 (bad input, one line on err) or 1 (out of memory). */
int sim_db_open_read(struct sim_db **out, const char *path, FILE *err);
struct sim_db *sim_db_open_existing(const char *path, FILE *err);	/* NULL: a line went to err */
/* Read-only, both; sim_db_open_update is sim_db_open_existing for adding rows to the file. */
struct sim_db *sim_db_open_update(const char *path, FILE *err);
/* Call fn for each row of `sql`; columns as text (NULL for SQL NULL).
 * fn returns nonzero to stop early (not an error).  0, or -1 after a line on err. */
typedef int sim_db_row_fn(void *arg, int ncol, char **vals, char **names);
int sim_db_query(struct sim_db *db, const char *sql, sim_db_row_fn *fn, void *arg, FILE *err);
/* The kernel a run's models followed (runs.kernel), an enum kernel_version of models/kernel.h:
 * KERNEL_6_1 also for a database written before the column, or without a runs row. */
int sim_db_run_kernel(struct sim_db *db);
/* An insert failed earlier (reported then): close(db, true) will not keep the file. */
bool sim_db_failed(const struct sim_db *db);

/*
 * Generic access, for modules that add their own tables without sqlite3.h.
 * Statements belong to the database (finalized at close if not before);
 * inserts join the run's batched transaction.  Errors print one line on
 * the err given at open and return -1; a failed insert marks the database
 * failed, as above.
 */
#define SIM_DB_DONE 0		/* sim_db_step: finished (statement reset, bindings kept) */
#define SIM_DB_ROW 1		/* sim_db_step: a row is ready for sim_db_column_* */
struct sim_db_stmt;
int sim_db_exec(struct sim_db *db, const char *sql);			/* 0 or -1 */
struct sim_db_stmt *sim_db_prepare(struct sim_db *db, const char *sql);	/* NULL after a line */
int sim_db_bind_int64(struct sim_db_stmt *st, int idx, int64_t v);	/* idx from 1; 0 or -1 */
int sim_db_bind_double(struct sim_db_stmt *st, int idx, double v);
int sim_db_bind_text(struct sim_db_stmt *st, int idx, const char *v);	/* copied; NULL binds NULL */
int sim_db_bind_null(struct sim_db_stmt *st, int idx);
int sim_db_step(struct sim_db_stmt *st);				/* SIM_DB_ROW, SIM_DB_DONE or -1 */
int64_t sim_db_column_int64(struct sim_db_stmt *st, int col);		/* col from 0, after SIM_DB_ROW */
double sim_db_column_double(struct sim_db_stmt *st, int col);
const char *sim_db_column_text(struct sim_db_stmt *st, int col);	/* valid until the next step */
void sim_db_finalize(struct sim_db_stmt *st);				/* NULL is fine */

/*
 * Slab tables: the slab allocators' part of a run's database (sim/db/slabdb.c):
 * caches and their aliases, slab lifecycle events, slabinfo snapshots, and
 * the allocators' counters (SLUB stat_items, SLAB STATS_*) both as final
 * totals and as per-operation deltas, so that any window of a run can be
 * counted exactly (sim/cli/slabinfo.c reads them back).
 *
 * Call order in a run: sim_slabdb_start (before slab_common_init: boot's
 * counter bumps are kept too) -> sim_slabdb_baseline (after boot, before the
 * engine runs) -> sim_slabdb_op_end for every ended operation, before its row
 * is written -> sim_slabdb_snapshot periodically -> sim_slabdb_final ->
 * sim_slabdb_stop.  Tables and views: docs/database.md.
 */

/* SLAB's STATS_* counters as items of the per-operation deltas (ops.stats, stat_bumps). */
#define SIM_SLAB_NR_STAT_ITEMS 11
const char *sim_slab_stat_name(int item);		/* "listallocs", ... "freemiss" */

/* Create the tables; with `log_ops`, hook the counter and event sinks.  0 or -1. */
int sim_slabdb_start(struct sim_db *db, const struct sim_scenario *sc, bool log_ops);
int sim_slabdb_baseline(void);				/* boot is over; 0 or -1 */
void sim_slabdb_no_events(void);			/* after start, --log aggregate: counter rows, no slab_events */
void sim_slabdb_op_end(struct sim_op *op);		/* before its row; may move stats[] to rows */
int sim_slabdb_snapshot(uint64_t ns, bool final);	/* slabinfo of every cache; 0 or -1 */
int sim_slabdb_final(uint64_t ns);			/* caches, aliases, totals; 0 or -1 */

/* Reading a run's counters back (slabdb_window.c): every bump (ops.stats, then stat_bumps)
 * with from <= time_ns < to, of cache `cache` (or of all: cache < 0); cpu -1 when the row has
 * none.  0, or -1 after a line on the database's err. */
typedef void sim_slabdb_bump_fn(void *arg, uint64_t time_ns, int cache, int cpu, int item, uint64_t n);
/* --log aggregate's database (stat_counts and its buckets)?  And whether a window end at ns
 * counts exactly there: always on a per-operation log; on an aggregate one, at a mark, within
 * DB_EXACT_NS after one, at 0 and at the end (docs/database.md, "op_counts"). */
bool sim_db_is_aggregate(struct sim_db *db);
bool sim_slabdb_cut_exact(struct sim_db *db, uint64_t ns);
int sim_slabdb_bumps(struct sim_db *db, uint64_t from_ns, uint64_t to_ns, int cache,
		     sim_slabdb_bump_fn *fn, void *arg);
void sim_slabdb_stop(void);				/* sinks off, memory freed */

/*
 * A run digested for `kmemsim diff` and `kmemsim report` (sim/db/db_digest.c): one pass over
 * ops (kind by its op_kinds code) plus the small tables, into per-cache and per-zone
 * totals and counts per time bucket.  Memory depends on the numbers of caches, zones, CPUs
 * and buckets, never on the number of operations.  Definitions: docs/diff.md.
 */
#define SIM_DIGEST_NR_ZONES 4		/* DMA, DMA32, Normal, Movable per node */
struct sim_digest_cache {
	char *name;			/* NULL: no such cache id */
	uint64_t nr_alloc, nr_free;	/* object operations */
	uint64_t level[6];		/* allocations by level 1..5 ([0]: none set) */
	uint64_t lat_sum, lock_wait_ns;	/* over allocations and frees */
	uint64_t lat_p99;		/* rounded down to 1/64 (exact below 128 ns) */
	int64_t slab_pages_peak, slab_pages_final;	/* num_slabs * pagesperslab in slabinfo; -1 none */
	uint32_t *hist;			/* latency histogram (private) */
	uint32_t *bucket_level;		/* [bucket * 6 + level]: allocations per time bucket */
};
struct sim_digest_zone {
	bool populated;
	uint64_t nr_alloc, nr_free;	/* page operations whose memory is in the zone */
	uint64_t level[6];		/* page allocations by level */
	uint64_t refills, drains;	/* allocations through rmqueue_bulk, frees through free_pcppages_bulk */
	uint64_t lat_sum, lock_wait_ns;
	int64_t free_final, free_min;	/* zones.free; least free pages in a buddy_snapshots snapshot */
};
struct sim_digest {
	char allocator[16], *name, *description, *seed_hex, *version;
	char kernel[16];		/* runs.kernel: "6.1", "6.12" */
	int nr_nodes, nr_cpus;
	uint64_t sim_ns, nr_ops;
	int nr_caches;			/* cache ids 0 .. nr_caches-1 */
	struct sim_digest_cache *caches;
	struct sim_digest_zone *zones;	/* [node * SIM_DIGEST_NR_ZONES + zone] */
	int nr_buckets;			/* time buckets of sim_ns / nr_buckets each */
	uint32_t *cpu_slow;		/* [bucket * nr_cpus + cpu]: operations at L2 or slower */
	uint64_t *bucket_lock_wait;	/* [bucket]: lock wait of the operations that began in it */
	bool aggregate;			/* read from op_counts (--log aggregate): no latency histogram, and
					 * the time series at op_counts' buckets, exact only for one bucket */
};
#define SIM_DIGEST_NO_P99 UINT64_MAX	/* lat_p99 of an aggregate database: unknown */
/* Fill d from db (nr_buckets >= 1).  0, or -1 after a line on the database's err. */
int sim_digest_read(struct sim_db *db, int nr_buckets, struct sim_digest *d);
void sim_digest_free(struct sim_digest *d);
/* The time bucket of a simulated time. */
int sim_digest_bucket(const struct sim_digest *d, uint64_t ns);

#endif
