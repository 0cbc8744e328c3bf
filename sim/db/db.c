/*
 * db.c - the run's SQLite database; the only file that includes sqlite3.h.
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
 * sqlite3.h.  Not here: what the numbers mean (sim/path.c, sim/engine.c,
 * models/buddy/).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "../engine/engine.h"
#include "../engine/lockstat.h"
#include "../engine/path.h"
#include "../scenario/scenario.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"

#define DB_SCHEMA_VERSION 2
#define DB_COMMIT_ROWS 100000		/* rows per transaction */
#define DB_OP_BATCH 64			/* ops rows per INSERT statement (one step for many rows) */
#define DB_OP_PARAMS 25			/* parameter numbers one ops row spans in db_ins_op (?5 unused) */

/* A prepared statement of the generic API; the database finalizes leftovers at close. */
struct sim_db_stmt {
	struct sim_db *db;
	sqlite3_stmt *st;
	bool writes;			/* counts toward the commit batch */
	struct sim_db_stmt *next;	/* every statement of db */
};

struct sim_db {
	sqlite3 *db;
	char *path;			/* where the database ends up */
	char *tmp;			/* where it is written; NULL for an existing database */
	FILE *err;
	bool failed;			/* an insert failed: the database is not kept */
	uint64_t nr_pending;		/* rows inserted since the last commit */
	int nr_cpus;			/* of the run (from sim_db_log_run) */
	uint32_t watermark_scale_factor, percpu_pagelist_high_fraction;
	sqlite3_stmt *ins_op;		/* INSERT INTO ops */
	sqlite3_stmt *ins_op_batch;	/* INSERT INTO ops, DB_OP_BATCH rows at once */
	struct sim_op *op_buf;		/* ops rows waiting for a full batch (DB_OP_BATCH) */
	int nr_op_buf;
	sqlite3_stmt *ins_snap;		/* INSERT INTO buddy_snapshots */
	struct sim_db_stmt *stmts;	/* generic statements */
};

/* ---------------------------------------------------------------- schema */

static const char db_schema[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);\n"
	"CREATE TABLE runs (name TEXT, description TEXT, scenario_path TEXT, scenario_json TEXT,"
	" scenario_text TEXT, seed INTEGER, version TEXT, allocator TEXT, nr_nodes INTEGER,"
	" nr_cpus INTEGER, log_ops INTEGER, wall_started TEXT, wall_started_unix INTEGER, seed_hex TEXT);\n"
	"CREATE TABLE ops (seq INTEGER PRIMARY KEY, parent_seq INTEGER, time_ns INTEGER,"
	" end_ns INTEGER, latency_ns INTEGER GENERATED ALWAYS AS (end_ns - time_ns) VIRTUAL, cpu INTEGER, node INTEGER, mem_node INTEGER,"
	" task INTEGER, context TEXT, kind TEXT, cache INTEGER, size INTEGER, \"order\" INTEGER,"
	" migratetype INTEGER, gfp INTEGER, zone INTEGER, level INTEGER, sig INTEGER,"
	" lock_wait_ns INTEGER, retries INTEGER, addr INTEGER, failed INTEGER, trace_line INTEGER,"
	" stats TEXT);\n"
	"CREATE TABLE path_sigs (sig INTEGER PRIMARY KEY, path TEXT, nr_labels INTEGER);\n"
	"CREATE TABLE sig_labels (sig INTEGER, pos INTEGER, label TEXT, PRIMARY KEY (sig, pos));\n"
	"CREATE TABLE labels (label TEXT PRIMARY KEY, nr_sigs INTEGER);\n"
	"CREATE TABLE locks (lock INTEGER PRIMARY KEY, name TEXT, acquisitions INTEGER,"
	" contended INTEGER, failed_trylock INTEGER, wait_ns INTEGER, max_wait_ns INTEGER,"
	" hold_ns INTEGER);\n"
	"CREATE TABLE engine (cpu INTEGER PRIMARY KEY, node INTEGER, clock_ns INTEGER, irqs INTEGER,"
	" ticks INTEGER, preemptions INTEGER, migrations INTEGER, yields INTEGER);\n"
	"CREATE TABLE buddy_snapshots (time_ns INTEGER, final INTEGER, node INTEGER, zone INTEGER,"
	" migratetype INTEGER, \"order\" INTEGER, nr_free INTEGER);\n"
	"CREATE TABLE zones (node INTEGER, zone INTEGER, name TEXT, populated INTEGER,"
	" start_pfn INTEGER, spanned INTEGER, present INTEGER, managed INTEGER, free INTEGER,"
	" min INTEGER, low INTEGER, high INTEGER, promo INTEGER, boost INTEGER,"
	" protection_dma INTEGER, protection_dma32 INTEGER, protection_normal INTEGER,"
	" protection_movable INTEGER, nr_reserved_highatomic INTEGER, numa_hit INTEGER,"
	" numa_miss INTEGER, numa_foreign INTEGER, numa_interleave INTEGER, numa_local INTEGER,"
	" numa_other INTEGER, pgalloc INTEGER, pgfree INTEGER, nr_bad_pages INTEGER,"
	" PRIMARY KEY (node, zone));\n"
	"CREATE TABLE pcp (node INTEGER, zone INTEGER, cpu INTEGER, count INTEGER, high INTEGER,"
	" batch INTEGER, stat_threshold INTEGER, PRIMARY KEY (node, zone, cpu));\n"
	"CREATE TABLE pageblocks (node INTEGER, zone INTEGER, migratetype INTEGER, nr INTEGER,"
	" PRIMARY KEY (node, zone, migratetype));\n"
	"CREATE TABLE sysctl (name TEXT PRIMARY KEY, value INTEGER);\n"
	"CREATE TABLE violations (time_ns INTEGER, seq INTEGER, invariant TEXT, detail TEXT, step INTEGER);\n"
	"CREATE TABLE summary (sim_ns INTEGER, wall_s REAL, nr_ops INTEGER, nr_switches INTEGER,"
	" nr_preemptions INTEGER, nr_migrations INTEGER, nr_irqs INTEGER, nr_yields INTEGER);\n"
	/* views: names for numbers, and the common questions */
	"CREATE VIEW v_ops AS SELECT o.*, 'L' || o.level AS level_name, s.path AS path,"
	" CASE o.zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32' WHEN 2 THEN 'Normal'"
	" WHEN 3 THEN 'Movable' END AS zone_name,"
	" CASE o.migratetype WHEN 0 THEN 'Unmovable' WHEN 1 THEN 'Movable' WHEN 2 THEN 'Reclaimable'"
	" WHEN 3 THEN 'HighAtomic' WHEN 4 THEN 'Isolate' END AS migratetype_name,"
	" printf('0x%x', o.addr) AS addr_hex, printf('0x%x', o.gfp) AS gfp_hex"
	" FROM ops o LEFT JOIN path_sigs s ON s.sig = o.sig;\n"
	"CREATE VIEW v_level_by_zone AS SELECT kind, mem_node AS node, zone,"
	" CASE zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32' WHEN 2 THEN 'Normal'"
	" WHEN 3 THEN 'Movable' END AS zone_name, level, 'L' || level AS level_name,"
	" count(*) AS nr_ops, sum(failed) AS nr_failed, avg(latency_ns) AS avg_latency_ns"
	" FROM ops GROUP BY kind, mem_node, zone, level;\n"
	"CREATE VIEW v_failures AS SELECT seq, time_ns, cpu, node, task, context, kind, cache, size,"
	" \"order\", migratetype_name, gfp_hex, level_name, path FROM v_ops WHERE failed;\n"
	"CREATE VIEW v_buddyinfo AS SELECT node, zone, CASE zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32'"
	" WHEN 2 THEN 'Normal' WHEN 3 THEN 'Movable' END AS zone_name, \"order\","
	" sum(nr_free) AS nr_free FROM buddy_snapshots WHERE final GROUP BY node, zone, \"order\";\n"
	"CREATE VIEW v_sig_levels AS SELECT o.sig, s.path, o.kind, o.level, count(*) AS nr_ops"
	" FROM ops o JOIN path_sigs s ON s.sig = o.sig GROUP BY o.sig, o.kind, o.level;\n"
	"CREATE VIEW v_label_ops AS SELECT l.label, o.kind, count(*) AS nr_ops"
	" FROM ops o JOIN (SELECT DISTINCT sig, label FROM sig_labels) l ON l.sig = o.sig"
	" GROUP BY l.label, o.kind;\n";

/* Built at close, once the rows are in: only the small tables get indexes. */
static const char db_indexes[] =
	"CREATE INDEX buddy_snapshots_time ON buddy_snapshots (time_ns, node, zone);\n"
	"CREATE INDEX sig_labels_label ON sig_labels (label);\n";

static const char db_ins_op[] =
	"INSERT INTO ops (seq, parent_seq, time_ns, end_ns, cpu, node, mem_node, task, context,"
	" kind, cache, size, \"order\", migratetype, gfp, zone, level, sig, lock_wait_ns, retries,"
	" addr, failed, trace_line, stats) VALUES (?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	" ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";

static const char *const db_ctx_names[] = { "task", "softirq", "hardirq" };
static const char *const db_kind_names[SIM_NR_OP_KINDS] = {
	"page_alloc", "page_free", "obj_alloc", "obj_free",
};

/* ---------------------------------------------------------------- helpers */

/* Report a failed SQLite call; returns -1. */
static int db_fail(struct sim_db *db, const char *what)
{
	fprintf(db->err, "%s: %s: %s\n", db->path, what, db->db ? sqlite3_errmsg(db->db) : "out of memory");
	return -1;
}

static int db_exec(struct sim_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	fprintf(db->err, "%s: %s\n", db->path, msg ? msg : sqlite3_errmsg(db->db));
	sqlite3_free(msg);
	return -1;
}

/* One more row in the open transaction; commit and begin anew every DB_COMMIT_ROWS. */
static int db_row_done(struct sim_db *db)
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
static int db_insert(struct sim_db *db, sqlite3_stmt *st, const char *table, int binds)
{
	char what[64];
	int rc;

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

static sqlite3_stmt *db_prepare(struct sim_db *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(db, "cannot prepare a statement");
		return NULL;
	}
	return st;
}

static void db_op_batch_open(struct sim_db *db);
static int db_flush_ops(struct sim_db *db);

/* Bind v, or NULL when v == none.  SQLITE_OK (0) or an error code, like every bind. */
static int db_bind_opt(sqlite3_stmt *st, int i, int64_t v, int64_t none)
{
	return v == none ? sqlite3_bind_null(st, i) : sqlite3_bind_int64(st, i, v);
}

/* A uint64 as an SQL integer; above INT64_MAX (never for counters) it wraps, as documented. */
static int db_bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	return sqlite3_bind_int64(st, i, (int64_t)v);
}

/* Finalize every statement, ours and the generic ones (sqlite3_close needs that). */
static void db_finalize_all(struct sim_db *db)
{
	while (db->stmts) {
		struct sim_db_stmt *s = db->stmts;

		db->stmts = s->next;
		sqlite3_finalize(s->st);
		free(s);
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
	db_finalize_all(db);
	sqlite3_close(db->db);
	if (unlink_tmp && db->tmp)
		unlink(db->tmp);
	free(db->op_buf);
	free(db->path);
	free(db->tmp);
	free(db);
}

/* ------------------------------------------------------------ open, close */

struct sim_db *sim_db_open(const char *path, FILE *err)
{
	struct sim_db *db = calloc(1, sizeof(*db));
	char ver[64];

	if (!db || !(db->path = strdup(path)) ||
	    asprintf(&db->tmp, "%s.tmp-%ld", path, (long)getpid()) < 0) {
		fprintf(err, "%s: out of memory\n", path);
		if (db)
			db->tmp = NULL;
		goto fail;
	}
	db->err = err;
	unlink(db->tmp);	/* left over by a crashed run of the same pid */
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
	    db_exec(db, db_schema) || db_exec(db, ver))
		goto fail;
	db->ins_op = db_prepare(db, db_ins_op);
	db->ins_snap = db_prepare(db, "INSERT INTO buddy_snapshots VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!db->ins_op || !db->ins_snap)
		goto fail;
	db_op_batch_open(db);	/* without it (no memory), rows go one by one */
	return db;
fail:
	if (db)
		db_free(db, true);
	return NULL;
}

struct sim_db *sim_db_open_existing(const char *path, FILE *err)
{
	struct sim_db *db = calloc(1, sizeof(*db));
	sqlite3_stmt *st = NULL;

	if (!db || !(db->path = strdup(path))) {
		fprintf(err, "%s: out of memory\n", path);
		free(db);
		return NULL;
	}
	db->err = err;
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		db_fail(db, "cannot open");
		goto fail;
	}
	/* a kmemsim database has a schema_version row */
	if (sqlite3_prepare_v2(db->db, "SELECT version FROM schema_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		fprintf(err, "%s: not a kmemsim database (no schema_version)\n", path);
		goto fail;
	}
	sqlite3_finalize(st);
	return db;
fail:
	sqlite3_finalize(st);
	db_free(db, false);
	return NULL;
}

int sim_db_close(struct sim_db *db, bool keep, FILE *err)
{
	bool kept;

	if (!db)
		return 0;
	kept = keep && !db->failed;
	db->err = err;
	if (!db->tmp) {			/* an existing database: just close it */
		db_free(db, false);
		return 0;
	}
	if (kept && (db_flush_ops(db) || db_exec(db, "COMMIT") || db_exec(db, db_indexes)))
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

/* ------------------------------------------------------------------- rows */

int sim_db_log_run(struct sim_db *db, const struct sim_scenario *sc, const char *version)
{
	sqlite3_stmt *st = NULL;
	char *json = sim_scenario_to_json(sc), stamp[32], seed_hex[24];
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1, b = 0;

	db->nr_cpus = sim_scenario_nr_cpus(sc);
	db->watermark_scale_factor = sc->watermark_scale_factor;
	db->percpu_pagelist_high_fraction = sc->percpu_pagelist_high_fraction;
	if (!json) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	st = db_prepare(db, "INSERT INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
			" ?12, ?13, ?14)");
	if (!st)
		goto fail;
	b |= sqlite3_bind_text(st, 1, sc->name, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 2, sc->description, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 3, sc->path, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 5, sc->json, -1, SQLITE_STATIC);
	b |= db_bind_u64(st, 6, sc->seed);	/* above INT64_MAX it reads negative: seed_hex is exact */
	b |= sqlite3_bind_text(st, 7, version, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 8, sim_allocator_name(sc->allocator), -1, SQLITE_STATIC);
	b |= sqlite3_bind_int(st, 9, sc->nr_nodes);
	b |= sqlite3_bind_int(st, 10, db->nr_cpus);
	b |= sqlite3_bind_int(st, 11, sc->log_ops);
	b |= sqlite3_bind_text(st, 12, stamp, -1, SQLITE_STATIC);
	b |= sqlite3_bind_int64(st, 13, (int64_t)now);
	snprintf(seed_hex, sizeof(seed_hex), "0x%016" PRIx64, sc->seed);
	b |= sqlite3_bind_text(st, 14, seed_hex, -1, SQLITE_STATIC);
	rc = db_insert(db, st, "runs", b);
fail:
	sqlite3_finalize(st);
	free(json);
	return rc;
}

/* Bind one ops row at parameter numbers base + 1 .. base + 25 of db_ins_op's layout. */
static int db_bind_op(sqlite3_stmt *st, int base, const struct sim_op *op)
{
	int64_t size = op->size;
	int b = 0;

	if (!size && op->order >= 0)
		size = (int64_t)PAGE_SIZE << op->order;
	b |= db_bind_u64(st, base + 1, op->seq);
	b |= db_bind_opt(st, base + 2, (int64_t)op->parent_seq, 0);
	b |= db_bind_u64(st, base + 3, op->start_ns);
	b |= db_bind_u64(st, base + 4, op->end_ns);
	b |= sqlite3_bind_int(st, base + 6, op->cpu);
	b |= sqlite3_bind_int(st, base + 7, op->node);
	b |= db_bind_opt(st, base + 8, op->mem_node, -1);
	b |= sqlite3_bind_int(st, base + 9, op->task);
	b |= sqlite3_bind_text(st, base + 10, (unsigned)op->ctx < 3 ? db_ctx_names[op->ctx] : "?",
			       -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, base + 11, (unsigned)op->kind < SIM_NR_OP_KINDS ? db_kind_names[op->kind] : "?",
			       -1, SQLITE_STATIC);
	b |= db_bind_opt(st, base + 12, op->cache, -1);
	b |= db_bind_opt(st, base + 13, size, 0);
	b |= db_bind_opt(st, base + 14, op->order, -1);
	b |= db_bind_opt(st, base + 15, op->migratetype, -1);
	b |= sqlite3_bind_int64(st, base + 16, op->gfp);
	b |= db_bind_opt(st, base + 17, op->zone, -1);
	b |= db_bind_opt(st, base + 18, op->level, 0);
	b |= db_bind_opt(st, base + 19, op->sig, -1);
	b |= db_bind_u64(st, base + 20, op->lock_wait_ns);
	b |= sqlite3_bind_int64(st, base + 21, op->retries);
	b |= db_bind_u64(st, base + 22, op->addr);
	b |= sqlite3_bind_int(st, base + 23, op->failed);
	b |= db_bind_opt(st, base + 24, op->trace_line, -1);
	if (op->nr_stats) {
		char text[SIM_OP_MAX_STATS * 8];

		sim_db_stats_text(op->stats, op->nr_stats, text, sizeof(text));
		b |= sqlite3_bind_text(st, base + 25, text, -1, SQLITE_TRANSIENT);
	} else {
		b |= sqlite3_bind_null(st, base + 25);
	}
	return b;
}

/*
 * The batched ops insert: db_ins_op's column list with DB_OP_BATCH value
 * tuples, row r's parameters numbered as db_ins_op's plus r * DB_OP_PARAMS.
 * One sqlite3_step then inserts DB_OP_BATCH rows: the per-statement cost
 * (step, reset, VDBE setup) is paid once per batch instead of once per row.
 */
static void db_op_batch_open(struct sim_db *db)
{
	const char *values = strstr(db_ins_op, "VALUES (") + 7;
	/* each parameter takes at most ", ?NNNNN" (8 bytes), each tuple ", (" and ")" */
	size_t head = (size_t)(values - db_ins_op), cap = head + DB_OP_BATCH * (DB_OP_PARAMS * 8 + 4) + 1;
	size_t len = head;
	char *sql = malloc(cap);

	db->op_buf = malloc(DB_OP_BATCH * sizeof(*db->op_buf));
	if (!sql || !db->op_buf)
		goto fail;
	memcpy(sql, db_ins_op, head);
	for (int r = 0; r < DB_OP_BATCH; r++) {
		int base = r * DB_OP_PARAMS;

		len += (size_t)snprintf(sql + len, cap - len, "%s(", r ? ", " : "");
		for (int i = 1; i <= DB_OP_PARAMS; i++)
			if (i != 5)	/* db_ins_op's ?5 is unused */
				len += (size_t)snprintf(sql + len, cap - len, "%s?%d", i > 1 ? ", " : "", base + i);
		len += (size_t)snprintf(sql + len, cap - len, ")");
	}
	if (len >= cap)
		goto fail;
	db->ins_op_batch = db_prepare(db, sql);
	free(sql);
	if (db->ins_op_batch)
		return;
	sql = NULL;
fail:
	free(sql);
	free(db->op_buf);
	db->op_buf = NULL;
}

/* Insert the buffered ops rows (a full batch in one statement); 0 or -1. */
static int db_flush_ops(struct sim_db *db)
{
	int n = db->nr_op_buf, b = 0;

	db->nr_op_buf = 0;
	if (db->failed || !n)
		return db->failed ? -1 : 0;
	if (n == DB_OP_BATCH) {
		for (int r = 0; r < n; r++)
			b |= db_bind_op(db->ins_op_batch, r * DB_OP_PARAMS, &db->op_buf[r]);
		db->nr_pending += (uint64_t)n - 1;	/* db_insert counts one */
		return db_insert(db, db->ins_op_batch, "ops", b);
	}
	for (int r = 0; r < n; r++)
		if (db_insert(db, db->ins_op, "ops", db_bind_op(db->ins_op, 0, &db->op_buf[r])))
			return -1;
	return 0;
}

void sim_db_log_op(const struct sim_op *op, void *arg)
{
	struct sim_db *db = arg;

	if (db->failed)
		return;		/* reported once; the database will not be kept */
	if (!db->op_buf) {
		db_insert(db, db->ins_op, "ops", db_bind_op(db->ins_op, 0, op));
		return;
	}
	db->op_buf[db->nr_op_buf++] = *op;
	if (db->nr_op_buf == DB_OP_BATCH)
		db_flush_ops(db);
}

void sim_db_stats_text(const uint8_t *pairs, int nr, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i + 1 < nr && len < size; i += 2)
		len += (size_t)(pairs[i + 1] == 1 ?
				snprintf(buf + len, size - len, "%s%u", len ? " " : "", pairs[i]) :
				snprintf(buf + len, size - len, "%s%u*%u", len ? " " : "", pairs[i], pairs[i + 1]));
}

/* Signatures, each one's labels in order, and how many signatures use each label. */
int sim_db_log_sigs(struct sim_db *db)
{
	sqlite3_stmt *sig = db_prepare(db, "INSERT INTO path_sigs VALUES (?1, ?2, ?3)");
	sqlite3_stmt *lab = db_prepare(db, "INSERT INTO sig_labels VALUES (?1, ?2, ?3)");
	int rc = -1, b = 0;

	if (!sig || !lab)
		goto fail;
	for (int i = 0; i < sim_path_nr_sigs(); i++) {
		const char *text = sim_path_sig_text(i), *p = text;
		int pos = 0;

		if (!text)
			continue;
		/* labels are "func:label" names; '>' never occurs inside one */
		while (*p) {
			size_t n = strcspn(p, ">");

			b |= sqlite3_bind_int(lab, 1, i);
			b |= sqlite3_bind_int(lab, 2, pos++);
			b |= sqlite3_bind_text(lab, 3, p, (int)n, SQLITE_STATIC);
			if (db_insert(db, lab, "sig_labels", b))
				goto fail;
			p += n + (p[n] == '>');
		}
		b |= sqlite3_bind_int(sig, 1, i);
		b |= sqlite3_bind_text(sig, 2, text, -1, SQLITE_STATIC);
		b |= sqlite3_bind_int(sig, 3, pos);
		if (db_insert(db, sig, "path_sigs", b))
			goto fail;
	}
	rc = db_exec(db, "INSERT INTO labels SELECT label, count(DISTINCT sig) FROM sig_labels GROUP BY label");
fail:
	sqlite3_finalize(sig);
	sqlite3_finalize(lab);
	return rc;
}

/* Per-vCPU engine counters and per-lock totals. */
int sim_db_log_engine(struct sim_db *db)
{
	sqlite3_stmt *eng = db_prepare(db, "INSERT INTO engine VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	sqlite3_stmt *lk = db_prepare(db, "INSERT INTO locks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc = -1, b = 0;

	if (!eng || !lk)
		goto fail;
	for (int cpu = 0; sim && cpu < sim->nr_cpus; cpu++) {
		const struct sim_vcpu *v = &sim->vcpu[cpu];

		b |= sqlite3_bind_int(eng, 1, cpu);
		b |= sqlite3_bind_int(eng, 2, v->node);
		b |= db_bind_u64(eng, 3, v->clock_ns);
		b |= db_bind_u64(eng, 4, v->nr_irqs);
		b |= db_bind_u64(eng, 5, v->nr_ticks);
		b |= db_bind_u64(eng, 6, v->nr_preempt);
		b |= db_bind_u64(eng, 7, v->nr_migrate_in);
		b |= db_bind_u64(eng, 8, v->nr_yields);
		if (db_insert(db, eng, "engine", b))
			goto fail;
	}
	for (int i = 0; i < sim_lockstat_count(); i++) {
		const struct sim_lockstat *l = sim_lockstat_get(i);

		b |= sqlite3_bind_int(lk, 1, i);
		b |= sqlite3_bind_text(lk, 2, l->name, -1, SQLITE_STATIC);
		b |= db_bind_u64(lk, 3, l->acquired);
		b |= db_bind_u64(lk, 4, l->contended);
		b |= db_bind_u64(lk, 5, l->failed_trylock);
		b |= db_bind_u64(lk, 6, l->wait_ns);
		b |= db_bind_u64(lk, 7, l->max_wait_ns);
		b |= db_bind_u64(lk, 8, l->hold_ns);
		if (db_insert(db, lk, "locks", b))
			goto fail;
	}
	rc = 0;
fail:
	sqlite3_finalize(eng);
	sqlite3_finalize(lk);
	return rc;
}

/* Blocks free per (node, zone, migratetype, order); empty lists get no row. */
int sim_db_log_buddy_snapshot(struct sim_db *db, uint64_t ns, bool final)
{
	sqlite3_stmt *st = db->ins_snap;
	int b = 0;

	for (int nid = 0; nid < buddy_nr_nodes(); nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (!buddy_zone_populated(nid, zid))
				continue;
			for (int order = 0; order < MAX_ORDER; order++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					uint64_t n = buddy_zone_nr_free_mt(nid, zid, order, mt);

					if (!n)
						continue;
					b |= db_bind_u64(st, 1, ns);
					b |= sqlite3_bind_int(st, 2, final);
					b |= sqlite3_bind_int(st, 3, nid);
					b |= sqlite3_bind_int(st, 4, zid);
					b |= sqlite3_bind_int(st, 5, mt);
					b |= sqlite3_bind_int(st, 6, order);
					b |= db_bind_u64(st, 7, n);
					if (db_insert(db, st, "buddy_snapshots", b))
						return -1;
				}
			}
		}
	}
	return 0;
}

/* The sysctls in force (min_free_kbytes is computed when the scenario says 0). */
static int db_log_sysctl(struct sim_db *db)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO sysctl VALUES ('vm.min_free_kbytes', %d),"
		 " ('vm.watermark_scale_factor', %u), ('vm.percpu_pagelist_high_fraction', %u)",
		 buddy_min_free_kbytes(), db->watermark_scale_factor, db->percpu_pagelist_high_fraction);
	return db_exec(db, sql);
}

/* Every zone of every node, its pcp state per vCPU, its pageblocks per migratetype. */
int sim_db_log_zones(struct sim_db *db)
{
	sqlite3_stmt *zs = db_prepare(db, "INSERT INTO zones VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
				      " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
				      " ?25, ?26, ?27, ?28)");
	sqlite3_stmt *ps = db_prepare(db, "INSERT INTO pcp VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sqlite3_stmt *bs = db_prepare(db, "INSERT INTO pageblocks VALUES (?1, ?2, ?3, ?4)");
	int nr_cpus = sim ? sim->nr_cpus : db->nr_cpus, rc = -1, b = 0;

	if (!zs || !ps || !bs)
		goto fail;
	for (int nid = 0; nid < buddy_nr_nodes(); nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct buddy_zone_info z;
			bool populated = buddy_zone_populated(nid, zid);

			buddy_zone_info(nid, zid, &z);
			const uint64_t v[] = {	/* columns 5.., in table order */
				z.zone_start_pfn, z.spanned, z.present, z.managed, z.free_pages,
				z.wmark_min, z.wmark_low, z.wmark_high, z.wmark_promo, z.watermark_boost,
				z.lowmem_reserve[0], z.lowmem_reserve[1], z.lowmem_reserve[2], z.lowmem_reserve[3],
				z.nr_reserved_highatomic, z.numa_hit, z.numa_miss, z.numa_foreign,
				z.numa_interleave, z.numa_local, z.numa_other, z.pgalloc, z.pgfree, z.nr_bad_pages,
			};

			b |= sqlite3_bind_int(zs, 1, nid);
			b |= sqlite3_bind_int(zs, 2, zid);
			b |= sqlite3_bind_text(zs, 3, buddy_zone_name(zid), -1, SQLITE_STATIC);
			b |= sqlite3_bind_int(zs, 4, populated);
			for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
				b |= db_bind_u64(zs, 5 + (int)i, v[i]);
			if (db_insert(db, zs, "zones", b))
				goto fail;
			if (!populated)
				continue;
			for (int cpu = 0; cpu < nr_cpus; cpu++) {
				struct buddy_pcp_info p;

				buddy_pcp_info(nid, zid, cpu, &p);
				b |= sqlite3_bind_int(ps, 1, nid);
				b |= sqlite3_bind_int(ps, 2, zid);
				b |= sqlite3_bind_int(ps, 3, cpu);
				b |= sqlite3_bind_int(ps, 4, p.count);
				b |= sqlite3_bind_int(ps, 5, p.high);
				b |= sqlite3_bind_int(ps, 6, p.batch);
				b |= sqlite3_bind_int(ps, 7, p.stat_threshold);
				if (db_insert(db, ps, "pcp", b))
					goto fail;
			}
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				b |= sqlite3_bind_int(bs, 1, nid);
				b |= sqlite3_bind_int(bs, 2, zid);
				b |= sqlite3_bind_int(bs, 3, mt);
				b |= db_bind_u64(bs, 4, buddy_zone_nr_pageblocks_mt(nid, zid, mt));
				if (db_insert(db, bs, "pageblocks", b))
					goto fail;
			}
		}
	}
	rc = db_log_sysctl(db);
fail:
	sqlite3_finalize(zs);
	sqlite3_finalize(ps);
	sqlite3_finalize(bs);
	return rc;
}

int sim_db_log_violation(struct sim_db *db, uint64_t ns, uint64_t seq,
			 const char *invariant, const char *detail)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO violations VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc, b = 0;

	if (!st)
		return -1;
	b |= db_bind_u64(st, 1, ns);
	b |= db_bind_u64(st, 2, seq);
	b |= sqlite3_bind_text(st, 3, invariant, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	/* The yield point at which it was found (the steps table's step, race mode). */
	b |= sim ? db_bind_u64(st, 5, sim->nr_yields) : sqlite3_bind_null(st, 5);
	rc = db_insert(db, st, "violations", b);
	sqlite3_finalize(st);
	return rc;
}

int sim_db_log_summary(struct sim_db *db, uint64_t sim_ns, double wall_s, uint64_t nr_ops)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc, b = 0;

	if (!st)
		return -1;
	b |= db_bind_u64(st, 1, sim_ns);
	b |= sqlite3_bind_double(st, 2, wall_s);
	b |= db_bind_u64(st, 3, nr_ops);
	if (sim) {		/* machine-wide engine totals */
		b |= db_bind_u64(st, 4, sim->nr_switches);
		b |= db_bind_u64(st, 5, sim->nr_preemptions);
		b |= db_bind_u64(st, 6, sim->nr_migrations);
		b |= db_bind_u64(st, 7, sim->nr_irqs);
		b |= db_bind_u64(st, 8, sim->nr_yields);
	}
	rc = db_insert(db, st, "summary", b);
	sqlite3_finalize(st);
	return rc;
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
	s->next = db->stmts;
	db->stmts = s;
	return s;
}

static int db_bind_rc(struct sim_db_stmt *s, int rc)
{
	return rc == SQLITE_OK ? 0 : db_fail(s->db, "cannot bind a value");
}

int sim_db_bind_int64(struct sim_db_stmt *s, int idx, int64_t v)
{
	return db_bind_rc(s, sqlite3_bind_int64(s->st, idx, v));
}

int sim_db_bind_double(struct sim_db_stmt *s, int idx, double v)
{
	return db_bind_rc(s, sqlite3_bind_double(s->st, idx, v));
}

int sim_db_bind_text(struct sim_db_stmt *s, int idx, const char *v)
{
	if (!v)
		return sim_db_bind_null(s, idx);
	return db_bind_rc(s, sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT));
}

int sim_db_bind_null(struct sim_db_stmt *s, int idx)
{
	return db_bind_rc(s, sqlite3_bind_null(s->st, idx));
}

int sim_db_step(struct sim_db_stmt *s)
{
	int rc;

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
	for (pp = &s->db->stmts; *pp && *pp != s; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = s->next;
	sqlite3_finalize(s->st);
	free(s);
}
