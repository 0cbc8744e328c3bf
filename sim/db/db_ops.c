/*
 * db_ops.c - the ops table's writer: one row per operation (the sink
 * sim_db_log_op), buffered and inserted DB_OP_BATCH rows per statement
 * (db_op_batch_open, db_flush_ops), and the ops.stats text.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "../engine/engine.h"
#include "../../models/mm.h"

const char db_ins_op[] =
	"INSERT INTO ops (seq, parent_seq, time_ns, latency_ns, cpu, node, mem_node, task, context,"
	" kind, cache, size, \"order\", migratetype, gfp, zone, level, sig, lock_wait_ns, retries,"
	" addr, failed, trace_line, stats, callsite) VALUES (?1, ?2, ?3, ?4, ?6, ?7, ?8, ?9, ?10, ?11,"
	" ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";

_Static_assert(DB_STATS_TEXT > SIM_OP_MAX_STATS / 2 * 8, "a full ops.stats text fits");

/* The rows of op_contexts and op_kinds: ops.context and ops.kind are indexes here. */
static const char *const db_ctx_names[] = { "task", "softirq", "hardirq" };
static const char *const db_kind_names[SIM_NR_OP_KINDS] = {
	"page_alloc", "page_free", "obj_alloc", "obj_free",
};

int db_log_op_codes(struct sim_db *db)
{
	sqlite3_stmt *k = db_prepare(db, "INSERT INTO op_kinds VALUES (?1, ?2)");
	sqlite3_stmt *c = db_prepare(db, "INSERT INTO op_contexts VALUES (?1, ?2)");
	int rc = k && c ? 0 : -1;

	for (int i = 0; !rc && i < SIM_NR_OP_KINDS; i++)
		rc = db_insert(db, k, "op_kinds", sqlite3_bind_int(k, 1, i) |
			       sqlite3_bind_text(k, 2, db_kind_names[i], -1, SQLITE_STATIC));
	for (int i = 0; !rc && i < DB_NR(db_ctx_names); i++)
		rc = db_insert(db, c, "op_contexts", sqlite3_bind_int(c, 1, i) |
			       sqlite3_bind_text(c, 2, db_ctx_names[i], -1, SQLITE_STATIC));
	sqlite3_finalize(k);
	sqlite3_finalize(c);
	return rc;
}

/*
 * Binding into a statement whose bindings persist between steps (sqlite3_reset keeps
 * them): a parameter that already holds the value (NULL, or the same integer) is not
 * bound again.  Many ops columns repeat from one batch to the next (NULLs, zeros, the
 * gfp), and a bind call costs more than the comparison.
 */
struct db_binder {
	struct sim_db *db;
	sqlite3_stmt *st;
	int64_t *val;			/* [parameter]: the integer bound (state 2); NULL: bind all */
	uint8_t *state;			/* [parameter]: 0 unknown, 1 NULL, 2 val, 3 the row's stats text */
};

static int db_bind_i(const struct db_binder *bd, int i, int64_t v)
{
	if (bd->state) {
		if (bd->state[i] == 2 && bd->val[i] == v)
			return SQLITE_OK;
		bd->state[i] = 2;
		bd->val[i] = v;
	}
	return sqlite3_bind_int64(bd->st, i, v);
}

static int db_bind_n(const struct db_binder *bd, int i)
{
	if (bd->state) {
		if (bd->state[i] == 1)
			return SQLITE_OK;
		bd->state[i] = 1;
	}
	return sqlite3_bind_null(bd->st, i);
}

/* v, or NULL when v == none */
static int db_bind_o(const struct db_binder *bd, int i, int64_t v, int64_t none)
{
	return v == none ? db_bind_n(bd, i) : db_bind_i(bd, i, v);
}

/*
 * seq is the rowid.  SQLite seeks an explicit rowid from the table's root (the
 * uniqueness check), about a third of an ops row's insert; a NULL rowid is the
 * table's largest plus one, which SQLite finds on the cursor left at the last row
 * by the insert before (no seek).  So a seq one past the largest so far (nearly
 * every row: operations end nearly in seq order) is bound as NULL, and the row gets
 * the same rowid; any other (an operation that ended late) as itself.
 */
static int db_bind_seq(const struct db_binder *bd, int i, int64_t seq)
{
	struct sim_db *db = bd->db;
	bool next = seq == db->op_max_seq + 1;

	if (seq > db->op_max_seq)
		db->op_max_seq = seq;
	return next ? db_bind_n(bd, i) : db_bind_i(bd, i, seq);
}

/* Bind one ops row at parameter numbers base + 1 .. base + 26 of db_ins_op's layout; its
 * stats text goes to `text`, which must stay unchanged until the statement has run. */
static int db_bind_op(const struct db_binder *bd, int base, const struct db_op_row *op, char *text)
{
	int b = 0;

	b |= db_bind_seq(bd, base + 1, op->seq);
	b |= db_bind_o(bd, base + 2, op->parent_seq, 0);
	b |= db_bind_i(bd, base + 3, op->time_ns);
	b |= db_bind_i(bd, base + 4, op->latency_ns);
	b |= db_bind_i(bd, base + 6, op->cpu);
	b |= db_bind_i(bd, base + 7, op->node);
	b |= db_bind_o(bd, base + 8, op->mem_node, -1);
	b |= db_bind_i(bd, base + 9, op->task);
	b |= db_bind_i(bd, base + 10, op->ctx);
	b |= db_bind_i(bd, base + 11, op->kind);
	b |= db_bind_o(bd, base + 12, op->cache, -1);
	b |= db_bind_o(bd, base + 13, op->size, 0);
	b |= db_bind_o(bd, base + 14, op->order, -1);
	b |= db_bind_o(bd, base + 15, op->migratetype, -1);
	b |= db_bind_i(bd, base + 16, op->gfp);
	b |= db_bind_o(bd, base + 17, op->zone, -1);
	b |= db_bind_o(bd, base + 18, op->level, 0);
	b |= db_bind_o(bd, base + 19, op->sig, -1);
	b |= db_bind_i(bd, base + 20, op->lock_wait_ns);
	b |= db_bind_i(bd, base + 21, op->retries);
	b |= db_bind_i(bd, base + 22, op->addr);
	b |= db_bind_i(bd, base + 23, op->failed);
	b |= db_bind_o(bd, base + 24, op->trace_line, -1);
	if (op->nr_stats) {
		char t[DB_STATS_TEXT];

		/* `text` is bound (SQLITE_STATIC) in place: the same text again needs no bind */
		sim_db_stats_text(op->stats, op->nr_stats, t, sizeof(t));
		if (!bd->state || bd->state[base + 25] != 3 || strcmp(t, text)) {
			strcpy(text, t);
			b |= sqlite3_bind_text(bd->st, base + 25, text, -1, SQLITE_STATIC);
			if (bd->state)
				bd->state[base + 25] = 3;
		}
	} else {
		b |= db_bind_n(bd, base + 25);
	}
	b |= db_bind_o(bd, base + 26, op->callsite, 0);
	return b;
}

/* The row of an ended operation (page operations' size is their pages' bytes). */
static void db_op_row_fill(struct db_op_row *r, const struct sim_op *op)
{
	r->seq = (int64_t)op->seq;
	r->parent_seq = (int64_t)op->parent_seq;
	r->time_ns = (int64_t)op->start_ns;
	r->latency_ns = (int64_t)(op->end_ns - op->start_ns);
	r->lock_wait_ns = (int64_t)op->lock_wait_ns;
	r->addr = (int64_t)op->addr;
	r->trace_line = op->trace_line;
	r->size = op->size;
	if (!r->size && op->order >= 0)
		r->size = (int64_t)PAGE_SIZE << op->order;
	r->gfp = op->gfp;
	r->retries = op->retries;
	r->cache = op->cache;
	r->sig = op->sig;
	r->task = op->task;
	r->callsite = op->callsite;
	r->cpu = op->cpu;
	r->node = op->node;
	r->mem_node = op->mem_node;
	r->kind = op->kind;
	r->ctx = op->ctx;
	r->level = op->level;
	r->order = op->order;
	r->migratetype = op->migratetype;
	r->zone = op->zone;
	r->failed = op->failed;
	r->nr_stats = op->nr_stats;
	if (op->nr_stats)
		memcpy(r->stats, op->stats, sizeof(r->stats));
}

/*
 * The batched ops insert: db_ins_op's column list with DB_OP_BATCH value
 * tuples, row r's parameters numbered as db_ins_op's plus r * DB_OP_PARAMS.
 * One sqlite3_step then inserts DB_OP_BATCH rows: the per-statement cost
 * (step, reset, VDBE setup) is paid once per batch instead of once per row.
 * It is prepared when the first batch is full, not at open: its text is long
 * (DB_OP_BATCH * 26 parameters) and costs as much to compile as the whole
 * schema, which a run without ops rows (--no-log, a sweep's points) never needs.
 */
static sqlite3_stmt *db_op_batch_prepare(struct sim_db *db)
{
	const char *values = strstr(db_ins_op, "VALUES (") + 7;
	/* each parameter takes at most ", ?NNNNN" (8 bytes), each tuple ", (" and ")" */
	size_t head = (size_t)(values - db_ins_op), cap = head + DB_OP_BATCH * (DB_OP_PARAMS * 8 + 4) + 1;
	size_t len = head;
	char *sql = malloc(cap);
	sqlite3_stmt *st = NULL;

	if (!sql)
		return NULL;
	memcpy(sql, db_ins_op, head);
	for (int r = 0; r < DB_OP_BATCH; r++) {
		int base = r * DB_OP_PARAMS;

		len += (size_t)snprintf(sql + len, cap - len, "%s(", r ? ", " : "");
		for (int i = 1; i <= DB_OP_PARAMS; i++)
			if (i != 5)	/* db_ins_op's ?5 is unused */
				len += (size_t)snprintf(sql + len, cap - len, "%s?%d", i > 1 ? ", " : "", base + i);
		len += (size_t)snprintf(sql + len, cap - len, ")");
	}
	if (len < cap)
		st = db_prepare(db, sql);
	free(sql);
	return st;
}

void db_op_batch_open(struct sim_db *db)
{
	db->op_buf = malloc(DB_OP_BATCH * sizeof(*db->op_buf));
}

/*
 * Sort a batch by seq (insertion sort: operations end nearly in seq order, a nested
 * or an interleaved one a few places late).  seq is the rowid: rows in rowid order
 * are appended to the table's B-tree instead of each being sought from its root.
 * The table's content does not depend on the order of the inserts.
 */
static void db_sort_rows(struct db_op_row *rows, int n)
{
	for (int i = 1; i < n; i++) {
		struct db_op_row t;
		int j = i;

		if (rows[i - 1].seq < rows[i].seq)
			continue;
		t = rows[i];
		while (j > 0 && rows[j - 1].seq > t.seq) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = t;
	}
}

/* Insert rows[0..n): a full batch in one statement, else one by one; 0 or -1.  On the
 * writer thread when there is one (the statements and the stats texts are its own). */
int db_insert_rows(struct sim_db *db, struct db_op_row *rows, int n)
{
	int b = 0;

	if (db->failed || !n)
		return db->failed ? -1 : 0;
	if (n == DB_OP_BATCH && !db->ins_op_batch && !db->op_batch_tried) {
		db->op_batch_tried = true;	/* once: without it, rows go one by one */
		db->ins_op_batch = db_op_batch_prepare(db);
	}
	db_sort_rows(rows, n);
	if (n == DB_OP_BATCH && db->ins_op_batch) {
		struct db_binder bd = { db, db->ins_op_batch, db->op_bound, db->op_bound_state };

		for (int r = 0; r < n; r++)
			b |= db_bind_op(&bd, r * DB_OP_PARAMS, &rows[r], db->op_stats[r]);
		db->nr_pending += (uint64_t)n - 1;	/* db_insert counts one */
		return db_insert(db, db->ins_op_batch, "ops", b);
	}
	for (int r = 0; r < n; r++) {
		struct db_binder bd = { db, db->ins_op, NULL, NULL };
		char text[DB_STATS_TEXT];	/* not op_stats: ins_op_batch may be bound to those */

		if (db_insert(db, db->ins_op, "ops", db_bind_op(&bd, 0, &rows[r], text)))
			return -1;
	}
	return 0;
}

/* Insert the buffered ops rows, or with the writer thread wait until it has; 0 or -1. */
int db_flush_ops(struct sim_db *db)
{
	int n = db->nr_op_buf;

	if (db->writer) {
		db_writer_drain(db);
		return db->failed ? -1 : 0;
	}
	db->nr_op_buf = 0;
	return db_insert_rows(db, db->op_buf, n);
}

void sim_db_log_op(const struct sim_op *op, void *arg)
{
	struct sim_db *db = arg;

	if (db->failed)
		return;		/* reported once; the database will not be kept */
	if (!db->op_buf) {
		struct db_op_row one;

		db_op_row_fill(&one, op);
		db_insert_rows(db, &one, 1);
		return;
	}
	db_op_row_fill(&db->op_buf[db->nr_op_buf++], op);
	if (db->nr_op_buf < DB_OP_BATCH)
		return;
	if (db->writer)
		db_writer_publish(db);
	else if (!db_flush_ops(db) && db->writer_wait && !--db->writer_wait)
		db_writer_start(db);	/* the buffer is empty: rows go to the ring from now on */
}

/* Append v in decimal (at most 3 digits: v < 256). */
static char *db_put_u8(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/* By hand, not snprintf: this runs for most ops rows.  Each pair takes at most 8 bytes. */
void sim_db_stats_text(const uint8_t *pairs, int nr, char *buf, size_t size)
{
	char *p = buf, *end = buf + size;

	for (int i = 0; i + 1 < nr && end - p > 8; i += 2) {
		if (p != buf)
			*p++ = ' ';
		p = db_put_u8(p, pairs[i]);
		if (pairs[i + 1] != 1) {
			*p++ = '*';
			p = db_put_u8(p, pairs[i + 1]);
		}
	}
	*p = 0;
}
