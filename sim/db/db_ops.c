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
	sqlite3_stmt *st;
	int64_t *val;			/* [parameter]: the integer bound (state 2); NULL: bind all */
	uint8_t *state;			/* [parameter]: 0 unknown, 1 NULL, 2 val */
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

/* Bind one ops row at parameter numbers base + 1 .. base + 26 of db_ins_op's layout; its
 * stats text goes to `text`, which must stay unchanged until the statement has run. */
static int db_bind_op(const struct db_binder *bd, int base, const struct sim_op *op, char *text)
{
	int64_t size = op->size;
	int b = 0;

	if (!size && op->order >= 0)
		size = (int64_t)PAGE_SIZE << op->order;
	b |= db_bind_i(bd, base + 1, (int64_t)op->seq);
	b |= db_bind_o(bd, base + 2, (int64_t)op->parent_seq, 0);
	b |= db_bind_i(bd, base + 3, (int64_t)op->start_ns);
	b |= db_bind_i(bd, base + 4, (int64_t)(op->end_ns - op->start_ns));
	b |= db_bind_i(bd, base + 6, op->cpu);
	b |= db_bind_i(bd, base + 7, op->node);
	b |= db_bind_o(bd, base + 8, op->mem_node, -1);
	b |= db_bind_i(bd, base + 9, op->task);
	b |= db_bind_i(bd, base + 10, op->ctx);
	b |= db_bind_i(bd, base + 11, op->kind);
	b |= db_bind_o(bd, base + 12, op->cache, -1);
	b |= db_bind_o(bd, base + 13, size, 0);
	b |= db_bind_o(bd, base + 14, op->order, -1);
	b |= db_bind_o(bd, base + 15, op->migratetype, -1);
	b |= db_bind_i(bd, base + 16, (int64_t)op->gfp);
	b |= db_bind_o(bd, base + 17, op->zone, -1);
	b |= db_bind_o(bd, base + 18, op->level, 0);
	b |= db_bind_o(bd, base + 19, op->sig, -1);
	b |= db_bind_i(bd, base + 20, (int64_t)op->lock_wait_ns);
	b |= db_bind_i(bd, base + 21, (int64_t)op->retries);
	b |= db_bind_i(bd, base + 22, (int64_t)op->addr);
	b |= db_bind_i(bd, base + 23, op->failed);
	b |= db_bind_o(bd, base + 24, op->trace_line, -1);
	if (op->nr_stats) {
		sim_db_stats_text(op->stats, op->nr_stats, text, DB_STATS_TEXT);
		b |= sqlite3_bind_text(bd->st, base + 25, text, -1, SQLITE_STATIC);
		if (bd->state)
			bd->state[base + 25] = 0;
	} else {
		b |= db_bind_n(bd, base + 25);
	}
	b |= db_bind_o(bd, base + 26, op->callsite, 0);
	return b;
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

/* Insert the buffered ops rows (a full batch in one statement); 0 or -1. */
int db_flush_ops(struct sim_db *db)
{
	int n = db->nr_op_buf, b = 0;

	db->nr_op_buf = 0;
	if (db->failed || !n)
		return db->failed ? -1 : 0;
	if (n == DB_OP_BATCH && !db->ins_op_batch && !db->op_batch_tried) {
		db->op_batch_tried = true;	/* once: without it, rows go one by one */
		db->ins_op_batch = db_op_batch_prepare(db);
	}
	if (n == DB_OP_BATCH && db->ins_op_batch) {
		struct db_binder bd = { db->ins_op_batch, db->op_bound, db->op_bound_state };

		for (int r = 0; r < n; r++)
			b |= db_bind_op(&bd, r * DB_OP_PARAMS, &db->op_buf[r], db->op_stats[r]);
		db->nr_pending += (uint64_t)n - 1;	/* db_insert counts one */
		return db_insert(db, db->ins_op_batch, "ops", b);
	}
	for (int r = 0; r < n; r++) {
		struct db_binder bd = { db->ins_op, NULL, NULL };

		if (db_insert(db, db->ins_op, "ops", db_bind_op(&bd, 0, &db->op_buf[r], db->op_stats[0])))
			return -1;
	}
	return 0;
}

void sim_db_log_op(const struct sim_op *op, void *arg)
{
	struct sim_db *db = arg;

	if (db->failed)
		return;		/* reported once; the database will not be kept */
	if (!db->op_buf) {
		struct db_binder bd = { db->ins_op, NULL, NULL };

		db_insert(db, db->ins_op, "ops", db_bind_op(&bd, 0, op, db->op_stats[0]));
		return;
	}
	db->op_buf[db->nr_op_buf++] = *op;
	if (db->nr_op_buf == DB_OP_BATCH)
		db_flush_ops(db);
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
