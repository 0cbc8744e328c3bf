/*
 * db.c - the run's SQLite database: open (at a temporary name) and close
 * (rename), opening an existing database, queries, the generic statements,
 * and the helpers the other files of sim/db/ share (db_int.h).  Only
 * sim/db/ includes sqlite3.h.  The rows: db_ops.c (ops), db_rows.c (the
 * rest); the schema text: db_schema.c.
 *
 * Main entries: sim_db_open, sim_db_log_op (the op sink), sim_db_close.
 * A run's database lives under `<path>.tmp-<pid>` until sim_db_close(db,
 * true) renames it over `path`; close(db, false), or a run whose inserts
 * failed, deletes it.  So a failed run never replaces a good database:
 *
 *     sim_db_open --> [writing <path>.tmp-<pid>] --close(keep)--> <path>
 *                            |
 *                            +--close(!keep) or an insert failed--> (deleted)
 *
 * Speed: no journal, no fsync (a crash loses only the temporary file), one
 * prepared statement per table, rows committed every DB_COMMIT_ROWS; the
 * indexes are built at close, after the bulk inserts.  ops rows, the bulk of
 * a run, are buffered and inserted DB_OP_BATCH at a time by one multi-row
 * INSERT (about a third less time per row than one statement each); the
 * buffer is written before anything reads or closes the database, and an
 * insert error shows at that flush (sim_db_failed flushes first).  The schema and its
 * views are documented in docs/database.md; bump DB_SCHEMA_VERSION when a
 * table or column changes meaning.
 *
 * Other modules add their own tables through the generic calls
 * (sim_db_exec, sim_db_prepare, sim_db_bind_*, sim_db_step) and never see
 * sqlite3.h.  Not here: what the numbers mean (sim/engine/path.c,
 * sim/engine/engine.c, models/buddy/).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "db_int.h"
#include "../engine/engine.h"

#define DB_SCHEMA_VERSION 3

/* ---------------------------------------------------------------- helpers */

/*
 * A write that failed (a full disk, a file size limit) is said once: every later
 * statement fails too, and without a journal SQLite then calls the file malformed.
 * It is said as such, `PATH: write failed: disk full`, and marks the database
 * failed (not kept).  Other errors (a bad statement) are one line each, as before.
 */
/* The write error of the last call, or NULL when it was not one.  A write that
 * stopped short (SQLITE_IOERR_WRITE: SQLite keeps no errno for it) is a full disk
 * or the file size limit (RLIMIT_FSIZE) in all but name. */
static const char *db_write_error(struct sim_db *db)
{
	static char buf[96];
	int e = db->db ? sqlite3_system_errno(db->db) : 0;

	switch (db->db ? sqlite3_extended_errcode(db->db) : SQLITE_OK) {
	case SQLITE_FULL:
		return "write failed: disk full";
	case SQLITE_IOERR_WRITE:
		if (!e || e == ENOSPC || e == EDQUOT || e == EFBIG)
			return e == EFBIG ? "write failed: file size limit reached" : "write failed: disk full";
		break;
	default:
		if (!db->db || (sqlite3_errcode(db->db) & 0xff) != SQLITE_IOERR)
			return NULL;
	}
	snprintf(buf, sizeof(buf), "write failed: %s", e ? strerror(e) : "I/O error");
	return buf;
}

/* After a failure: true when it was a write error, reported here once (the database is failed). */
static bool db_write_failed(struct sim_db *db)
{
	const char *w = db->tmp ? db_write_error(db) : NULL;

	if (!w && !db->write_failed)
		return false;
	if (!db->write_failed)
		fprintf(db->err, "%s: %s\n", db->path, w);
	db->write_failed = true;
	db->failed = true;
	return true;
}

/* Report a failed SQLite call; returns -1. */
int db_fail(struct sim_db *db, const char *what)
{
	if (!db_write_failed(db))
		fprintf(db->err, "%s: %s: %s\n", db->path, what, db->db ? sqlite3_errmsg(db->db) : "out of memory");
	return -1;
}

int db_exec(struct sim_db *db, const char *sql)
{
	char *msg = NULL;

	db_sync(db);

	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	if (!db_write_failed(db))
		fprintf(db->err, "%s: %s\n", db->path, msg ? msg : sqlite3_errmsg(db->db));
	sqlite3_free(msg);
	return -1;
}

/* One more row in the open transaction; commit and begin anew every DB_COMMIT_ROWS. */
int db_row_done(struct sim_db *db)
{
	if (++db->nr_pending < DB_COMMIT_ROWS)
		return 0;
	db->nr_pending = 0;
	return db_exec(db, "COMMIT; BEGIN");
}

/*
 * Run an insert whose values are bound; `binds` is the OR of the bind calls'
 * results (SQLITE_OK is 0), so one test covers them all.  0, or -1 after a
 * line on err, with the database marked failed.
 */
int db_insert(struct sim_db *db, sqlite3_stmt *st, const char *table, int binds)
{
	char what[64];
	int rc;

	db_sync(db);
	if (binds) {
		snprintf(what, sizeof(what), "cannot bind a value for %s", table);
		db->failed = true;
		return db_fail(db, what);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		snprintf(what, sizeof(what), "cannot insert into %s", table);
		db->failed = true;
		return db_fail(db, what);
	}
	return db_row_done(db);
}

sqlite3_stmt *db_prepare(struct sim_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	db_sync(db);
	if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(db, "cannot prepare a statement");
		return NULL;
	}
	return st;
}

/* A generic statement: finalized, its kept bindings (db_writer.c) and itself freed. */
static void db_stmt_free(struct sim_db_stmt *s)
{
	sqlite3_finalize(s->st);
	for (int i = 0; s->vals && i < s->nr_vals; i++)
		free(s->vals[i].t);
	free(s->vals);
	free(s);
}

/* Finalize every statement, ours and the generic ones (sqlite3_close needs that). */
static void db_finalize_all(struct sim_db *db)
{
	while (db->stmts) {
		struct sim_db_stmt *s = db->stmts;

		db->stmts = s->next;
		db_stmt_free(s);
	}
	sqlite3_finalize(db->ins_op);
	sqlite3_finalize(db->ins_op_batch);
	db->ins_op_batch = NULL;
	sqlite3_finalize(db->ins_snap);
	db->ins_op = db->ins_snap = NULL;
}

/* Finalize, close, free; the temporary file goes too when `unlink_tmp`. */
static void db_free(struct sim_db *db, bool unlink_tmp)
{
	db_writer_stop(db);
	db_finalize_all(db);
	sqlite3_close(db->db);
	if (unlink_tmp && db->tmp)
		unlink(db->tmp);
	if (db->tmp)
		sim_out_forget(db->tmp);
	free(db->op_buf);
	db_counts_free(db);
	free(db->path);
	free(db->tmp);
	free(db);
}

/* ------------------------------------------------------------ open, close */

struct sim_db *sim_db_open(const char *path, FILE *err)
{
	struct sim_db *db = calloc(1, sizeof(*db));
	char ver[64];

	if (!db || !(db->path = strdup(path)) || !(db->tmp = sim_out_tmp_name(path))) {
		fprintf(err, "%s: out of memory\n", path);
		goto fail;
	}
	db->err = err;
	if (sim_out_check("kmemsim: output", path, err))
		goto fail;
	unlink(db->tmp);	/* left over by a crashed run of the same pid */
	sim_out_track(db->tmp);	/* unlinked if SIGINT, SIGTERM or SIGHUP comes first */
	if (sqlite3_open_v2(db->tmp, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fprintf(err, "%s: cannot create %s: %s\n", path, db->tmp,
			db->db ? sqlite3_errmsg(db->db) : "out of memory");
		goto fail;
	}
	snprintf(ver, sizeof(ver), "INSERT INTO schema_version VALUES (%d);\n", DB_SCHEMA_VERSION);
	if (db_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
		    " PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY;"
		    " PRAGMA cache_size = -65536; BEGIN") ||
	    db_exec(db, db_schema) || db_exec(db, ver) || db_log_op_codes(db))
		goto fail;
	db->ins_op = db_prepare(db, db_ins_op);
	db->ins_snap = db_prepare(db, "INSERT INTO buddy_snapshots VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!db->ins_op || !db->ins_snap)
		goto fail;
	db_op_batch_open(db);	/* without it (no memory), rows go one by one */
	db_writer_plan(db);	/* without it, the rows are inserted inline */
	return db;
fail:
	if (db)
		db_free(db, true);
	return NULL;
}

/* A SQLite file in WAL mode (its header's read and write versions, 2).  SQLite would open its
 * -wal and -shm files beside it, and a read-only connection would leave them there. */
static bool db_file_is_wal(const char *path)
{
	unsigned char h[20];
	FILE *f = fopen(path, "rb");
	bool wal = f && fread(h, 1, sizeof(h), f) == sizeof(h) && !memcmp(h, "SQLite format 3", 16) &&
		   (h[18] == 2 || h[19] == 2);

	if (f)
		fclose(f);
	return wal;
}

/* An existing database, opened with SQLite's `flags` and checked as sim_db_open_read says. */
static int db_open_existing(struct sim_db **out, const char *path, int flags, FILE *err)
{
	struct sim_db *db = calloc(1, sizeof(*db));
	sqlite3_stmt *st = NULL;
	struct stat sb;
	int rc = 2, orc, version;	/* bad input (SIM_EBADINPUT) unless said otherwise */

	*out = NULL;
	if (!db || !(db->path = strdup(path))) {
		fprintf(err, "%s: out of memory\n", path);
		free(db);
		return 1;
	}
	db->err = err;
	if (stat(path, &sb)) {
		fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {	/* a FIFO or a device is no database */
		fprintf(err, "%s: not a kmemsim database (not a regular file)\n", path);
		goto fail;
	}
	if (db_file_is_wal(path)) {
		fprintf(err, "%s: not a kmemsim database (in WAL mode, which kmemsim never writes;"
			" `PRAGMA journal_mode = DELETE` makes it readable)\n", path);
		goto fail;
	}
	orc = sqlite3_open_v2(path, &db->db, flags, NULL);
	if (orc != SQLITE_OK) {
		if ((orc & 0xff) == SQLITE_NOMEM)
			rc = 1;		/* a run-time failure (SIM_EFAIL), not the file's fault */
		db_fail(db, "cannot open");
		goto fail;
	}
	/* a kmemsim database has one schema_version row, of the version this kmemsim writes */
	if (sqlite3_prepare_v2(db->db, "SELECT version FROM schema_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
		fprintf(err, "%s: not a kmemsim database\n", path);
		goto fail;
	}
	version = sqlite3_column_int(st, 0);
	if (version != DB_SCHEMA_VERSION) {
		fprintf(err, "%s: schema version %d, this kmemsim reads %d\n", path, version, DB_SCHEMA_VERSION);
		goto fail;
	}
	sqlite3_finalize(st);
	*out = db;
	return 0;
fail:
	sqlite3_finalize(st);
	db_free(db, false);
	return rc;
}

/* Read-only: a reader never changes the file, nor leaves a journal beside it (an
 * interrupted writer's journal or WAL is not rolled back or checkpointed into it). */
int sim_db_open_read(struct sim_db **out, const char *path, FILE *err)
{
	return db_open_existing(out, path, SQLITE_OPEN_READONLY, err);
}

struct sim_db *sim_db_open_existing(const char *path, FILE *err)
{
	struct sim_db *db;

	sim_db_open_read(&db, path, err);
	return db;
}

struct sim_db *sim_db_open_update(const char *path, FILE *err)
{
	struct sim_db *db;

	db_open_existing(&db, path, SQLITE_OPEN_READWRITE, err);
	return db;
}

int sim_db_close(struct sim_db *db, bool keep, FILE *err)
{
	bool kept;

	if (!db)
		return 0;
	db_writer_stop(db);	/* every row it was handed is in (or failed, said on the old err) */
	kept = keep && !db->failed;
	db->err = err;
	if (!db->tmp) {			/* an existing database: just close it */
		db_free(db, false);
		return 0;
	}
	if (kept && (db_flush_ops(db) || db_flush_counts(db) || db_exec(db, "COMMIT") || db_exec(db, db_indexes)))
		kept = false;
	db_finalize_all(db);
	if (sqlite3_close(db->db) != SQLITE_OK) {
		db_fail(db, "cannot close");
		kept = false;
	}
	db->db = NULL;
	if (kept && rename(db->tmp, db->path)) {
		fprintf(err, "%s: cannot rename %s over it: %s\n", db->path, db->tmp, strerror(errno));
		kept = false;
	}
	db_free(db, !kept);
	return keep && !kept ? -1 : 0;
}

bool sim_db_failed(const struct sim_db *db)
{
	/* rows still batched have not been tried yet: try them now, so the answer is exact */
	db_flush_ops((struct sim_db *)db);
	return db->failed;
}

/* ------------------------------------------------------------ queries */

struct db_query { sim_db_row_fn *fn; void *arg; bool stopped; };

static int db_query_row(void *arg, int ncol, char **vals, char **names)
{
	struct db_query *q = arg;

	if (q->fn(q->arg, ncol, vals, names)) {
		q->stopped = true;
		return 1;
	}
	return 0;
}

int sim_db_query(struct sim_db *db, const char *sql, sim_db_row_fn *fn, void *arg, FILE *err)
{
	struct db_query q = { fn, arg, false };
	char *msg = NULL;
	int rc;

	if (db_flush_ops(db))	/* rows still batched are part of what the query sees */
		return -1;
	rc = sqlite3_exec(db->db, sql, db_query_row, &q, &msg);

	if (rc == SQLITE_OK || (rc == SQLITE_ABORT && q.stopped)) {
		sqlite3_free(msg);
		return 0;
	}
	fprintf(err, "%s: %s\n", db->path, msg ? msg : sqlite3_errmsg(db->db));
	sqlite3_free(msg);
	return -1;
}

/* ------------------------------------------------- generic statements */

int sim_db_exec(struct sim_db *db, const char *sql)
{
	return db_flush_ops(db) ? -1 : db_exec(db, sql);
}

struct sim_db_stmt *sim_db_prepare(struct sim_db *db, const char *sql)
{
	struct sim_db_stmt *s = calloc(1, sizeof(*s));

	if (!s) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return NULL;
	}
	if (db_flush_ops(db)) {
		free(s);
		return NULL;
	}
	s->db = db;
	s->st = db_prepare(db, sql);
	if (!s->st) {
		free(s);
		return NULL;
	}
	s->writes = !sqlite3_stmt_readonly(s->st);
	s->nr_vals = sqlite3_bind_parameter_count(s->st);
	if (s->writes && s->nr_vals && !(s->vals = calloc((size_t)s->nr_vals, sizeof(*s->vals)))) {
		sqlite3_finalize(s->st);
		free(s);
		fprintf(db->err, "%s: out of memory\n", db->path);
		return NULL;
	}
	s->next = db->stmts;
	db->stmts = s;
	return s;
}

static int db_bind_rc(struct sim_db_stmt *s, int rc)
{
	/* rc is the bind's result, and SQLite binds on the simulation's thread: each
	 * sim_db_bind_* first makes sure the writer is idle (db_sync) */
	return rc == SQLITE_OK ? 0 : db_fail(s->db, "cannot bind a value");
}

int sim_db_bind_int64(struct sim_db_stmt *s, int idx, int64_t v)
{
	if (db_deferred(s))
		return db_writer_bind(s, idx, SQLITE_INTEGER, v, 0, NULL);
	db_sync(s->db);
	return db_bind_rc(s, sqlite3_bind_int64(s->st, idx, v));
}

int sim_db_bind_double(struct sim_db_stmt *s, int idx, double v)
{
	if (db_deferred(s))
		return db_writer_bind(s, idx, SQLITE_FLOAT, 0, v, NULL);
	db_sync(s->db);
	return db_bind_rc(s, sqlite3_bind_double(s->st, idx, v));
}

int sim_db_bind_text(struct sim_db_stmt *s, int idx, const char *v)
{
	if (db_deferred(s))
		return db_writer_bind(s, idx, v ? SQLITE_TEXT : SQLITE_NULL, 0, 0, v);
	db_sync(s->db);
	if (!v)
		return sim_db_bind_null(s, idx);
	return db_bind_rc(s, sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT));
}

int sim_db_bind_null(struct sim_db_stmt *s, int idx)
{
	if (db_deferred(s))
		return db_writer_bind(s, idx, SQLITE_NULL, 0, 0, NULL);
	db_sync(s->db);
	return db_bind_rc(s, sqlite3_bind_null(s->st, idx));
}

int sim_db_step(struct sim_db_stmt *s)
{
	int rc;

	if (db_deferred(s))
		return db_writer_step(s) ? -1 : SIM_DB_DONE;
	db_sync(s->db);
	if (!s->writes && s->db->nr_op_buf && db_flush_ops(s->db))
		return -1;	/* a read sees every row logged so far */
	rc = sqlite3_step(s->st);

	if (rc == SQLITE_ROW)
		return SIM_DB_ROW;
	sqlite3_reset(s->st);
	if (rc != SQLITE_DONE) {
		if (s->writes)
			s->db->failed = true;
		return db_fail(s->db, "statement failed");
	}
	if (s->writes && s->db->tmp && sqlite3_get_autocommit(s->db->db) == 0)
		return db_row_done(s->db) ? -1 : SIM_DB_DONE;
	return SIM_DB_DONE;
}

int64_t sim_db_column_int64(struct sim_db_stmt *s, int col)
{
	return sqlite3_column_int64(s->st, col);
}

double sim_db_column_double(struct sim_db_stmt *s, int col)
{
	return sqlite3_column_double(s->st, col);
}

const char *sim_db_column_text(struct sim_db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s->st, col);
}

void sim_db_finalize(struct sim_db_stmt *s)
{
	struct sim_db_stmt **pp;

	if (!s)
		return;
	db_sync(s->db);
	for (pp = &s->db->stmts; *pp && *pp != s; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = s->next;
	db_stmt_free(s);
}
