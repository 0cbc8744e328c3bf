/*
 * db_int.h - what the files of sim/db/ share and nothing else includes:
 * struct sim_db and struct sim_db_stmt, the batching constants, the schema
 * text, and the helpers every writer uses (sim/db/db.c: report, exec,
 * prepare, insert-and-count; sim/db/db_ops.c: the ops row batch).
 * Other folders include sim/db/db.h only.
 */
#ifndef KMEMSIM_SIM_DB_INT_H
#define KMEMSIM_SIM_DB_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "db.h"
#include "../engine/engine.h"

#define DB_COMMIT_ROWS 100000		/* rows per transaction */
#define DB_OP_BATCH 64			/* ops rows per INSERT statement (one step for many rows) */
#define DB_OP_PARAMS 26			/* parameter numbers one ops row spans in db_ins_op (?5 unused) */
#define DB_STATS_TEXT 128		/* an ops.stats text: SIM_OP_MAX_STATS / 2 pairs of at most 8 bytes */

/*
 * One ops row as the log keeps it until it is inserted: the columns of db_ins_op
 * and the raw counter bumps its stats text is made of (at bind time).  A third of
 * struct sim_op's size: the batch and the writer's ring hold these.
 */
struct db_op_row {
	int64_t seq, parent_seq, time_ns, latency_ns, lock_wait_ns, addr, trace_line, size;
	uint32_t gfp, retries;
	int32_t cache, sig, task, callsite;
	int16_t cpu, node, mem_node;
	int8_t kind, ctx, level, order, migratetype, zone;
	bool failed;
	uint8_t nr_stats;
	uint8_t stats[SIM_OP_MAX_STATS];
};

struct db_writer;

/* A prepared statement of the generic API; the database finalizes leftovers at close. */
/* A value bound to a generic write statement while the writer thread runs: kept here and
 * copied with each step into the writer's queue, which binds it (db_writer.c). */
struct db_val {
	int type;			/* SQLITE_NULL (0 here: unbound), SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT */
	int64_t i;
	double d;
	char *t;			/* owned */
};

struct sim_db_stmt {
	struct sim_db *db;
	sqlite3_stmt *st;
	bool writes;			/* counts toward the commit batch */
	int nr_vals;			/* its parameters */
	struct db_val *vals;		/* with the writer thread, a write statement's bindings */
	struct sim_db_stmt *next;	/* every statement of db */
};

struct sim_db {
	sqlite3 *db;
	char *path;			/* where the database ends up */
	char *tmp;			/* where it is written; NULL for an existing database */
	FILE *err;
	_Atomic bool failed;		/* an insert failed: the database is not kept (the writer
					 * thread sets it; the simulation reads it at each row) */
	bool write_failed;		/* a write failed, said once: say no more */
	uint64_t nr_pending;		/* rows inserted since the last commit */
	int nr_cpus;			/* of the run (from sim_db_log_run) */
	uint32_t watermark_scale_factor, percpu_pagelist_high_fraction;
	sqlite3_stmt *ins_op;		/* INSERT INTO ops */
	sqlite3_stmt *ins_op_batch;	/* INSERT INTO ops, DB_OP_BATCH rows at once */
	bool op_batch_tried;		/* ins_op_batch prepared (at the first full batch), or tried */
	int64_t op_max_seq;		/* the largest ops.seq inserted (db_ops.c: the append path) */
	struct db_op_row *op_buf;	/* ops rows waiting for a full batch (DB_OP_BATCH) */
	int nr_op_buf;
	struct db_writer *writer;	/* the writer thread (db_writer.c); NULL: rows inserted inline */
	int writer_wait;		/* full batches still inserted inline before it starts */
	char op_stats[DB_OP_BATCH][DB_STATS_TEXT];	/* their stats texts, bound without a copy */
	int64_t op_bound[DB_OP_BATCH * DB_OP_PARAMS + 1];	/* what ins_op_batch's parameters hold (db_ops.c) */
	uint8_t op_bound_state[DB_OP_BATCH * DB_OP_PARAMS + 1];
	sqlite3_stmt *ins_snap;		/* INSERT INTO buddy_snapshots */
	struct db_counts *counts;	/* --log aggregate: op_counts in memory (db_counts.c) */
	struct sim_db_stmt *stmts;	/* generic statements */
};

/* db_schema.c: the tables and views (at open), the indexes (at close). */
extern const char db_schema[];
extern const char db_indexes[];
/* db_ops.c: INSERT INTO ops, one row (parameters ?1..?26, ?5 unused). */
extern const char db_ins_op[];

/* db.c: the helpers. */
int db_fail(struct sim_db *db, const char *what);	/* report a failed SQLite call; -1 */
int db_exec(struct sim_db *db, const char *sql);	/* 0, or -1 after a line */
int db_row_done(struct sim_db *db);			/* commit every DB_COMMIT_ROWS */
int db_insert(struct sim_db *db, sqlite3_stmt *st, const char *table, int binds);
sqlite3_stmt *db_prepare(struct sim_db *db, const char *sql);	/* NULL after a line */

/* db_ops.c: the ops row batch, and the op_kinds and op_contexts rows (at open). */
int db_log_op_codes(struct sim_db *db);		/* 0 or -1 */
void db_op_batch_open(struct sim_db *db);	/* at open: the buffer; without it rows go one by one */
int db_flush_ops(struct sim_db *db);		/* insert the buffered rows; 0 or -1 */

/* db_writer.c: the writer thread.  The simulation fills batches of ops rows into a ring;
 * the thread inserts them.  Any other use of the connection waits for it first (db_sync). */
void db_writer_plan(struct sim_db *db);		/* at open: start now, later (writer_wait) or never */
int db_writer_start(struct sim_db *db);		/* with no row buffered; 0, or -1: rows stay inline */
void db_writer_publish(struct sim_db *db);	/* hand the filled batch over, take the next */
void db_writer_drain(struct sim_db *db);	/* hand over a partial batch; wait for all */
void db_writer_stop(struct sim_db *db);		/* drain, end the thread (NULL writer: nothing) */
extern _Thread_local bool db_in_writer;		/* true on the writer thread */
/* A generic write statement's bindings and steps go to the writer's queue, in order with
 * the ops rows, instead of waiting for it to drain (slab events come every few rows). */
static inline bool db_deferred(const struct sim_db_stmt *s)
{
	return s->writes && s->vals && s->db->writer && !db_in_writer;
}
int db_writer_bind(struct sim_db_stmt *s, int idx, int type, int64_t i, double d, const char *t);	/* 0 or -1 */
int db_writer_step(struct sim_db_stmt *s);	/* queue a step with the bindings now; 0 or -1 */
int db_insert_rows(struct sim_db *db, struct db_op_row *rows, int n);	/* db_ops.c; 0 or -1 */

/* Before any statement of the simulation's thread: the writer has inserted every row
 * handed to it, and is idle, so the connection is ours and the content is in order. */
static inline void db_sync(struct sim_db *db)
{
	if (db->writer && !db_in_writer)
		db_writer_drain(db);
}

/* db_counts.c: op_counts (--log aggregate), written at close. */
int db_flush_counts(struct sim_db *db);		/* 0 or -1 */
void db_counts_free(struct sim_db *db);

/* A uint64 as an SQL integer; above INT64_MAX (never for counters) it wraps, as documented. */
static inline int db_bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	return sqlite3_bind_int64(st, i, (int64_t)v);
}

/* Bind v, or NULL when v == none.  SQLITE_OK (0) or an error code, like every bind. */
static inline int db_bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	return v == none ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, v);
}

/* A run of integer columns: v[0..n) into parameters first..first+n-1; the OR of the results. */
static inline int db_bind_u64s(sqlite3_stmt *st, int first, const uint64_t *v, int n)
{
	int b = 0;

	for (int i = 0; i < n; i++)
		b |= db_bind_u64(st, first + i, v[i]);
	return b;
}

static inline int db_bind_ints(sqlite3_stmt *st, int first, const int *v, int n)
{
	int b = 0;

	for (int i = 0; i < n; i++)
		b |= sqlite3_bind_int(st, first + i, v[i]);
	return b;
}

#define DB_NR(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
