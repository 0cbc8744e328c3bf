/*
 * db_counts.c - `--log aggregate`: instead of a row per operation, one row
 * of table op_counts per distinct (kind, cache, cpu, node, mem_node, zone,
 * level, failed, sig, bucket), with the number of operations and their
 * summed latency and lock wait; the allocator counters the operations
 * bumped (ops.stats in a per-operation log) as stat_counts per (bucket,
 * cache, cpu, item).  Counted in memory (a hash of the keys, rows in order
 * of first appearance, so the tables do not depend on hash order) and
 * written at close.  Memory grows with the number of distinct keys, never
 * with the number of operations.
 *
 * Time buckets: the replay's marks (sim_db_count_mark, the trace's
 * tracing_mark_write lines at their simulated time M) cut the run into
 * buckets: bucket 0 before the first mark, bucket k from mark k-1 to mark k,
 * by the time an operation began.  So that a window bounded by a mark, or by
 * the first operation after it, is exact (kmemsim validate's, slabstat's
 * mark:TEXT), the operations that begin after a mark until DB_EXACT_NS after
 * the trace's next event (sim_db_count_mark_next) are also kept one by one
 * (mark_ops, mark_stats): the rest of a bucket lies in [that end, next M), a
 * span no such window cuts (op_buckets.exact_to_ns .. to_ns).  mark_firsts keeps, per mark, the
 * first replayed line after it that began a top-level operation and the
 * earliest such start (what validate reads from ops otherwise).
 * docs/database.md, "op_counts".
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "../engine/engine.h"

#define DB_EXACT_NS (1ull << 20)	/* ~1 ms after each mark, kept per operation */

/* op_counts' key; stat_counts uses kind = item, cache, cpu and bucket. */
struct db_count_key {
	int32_t kind, cache, cpu, node, mem_node, zone, level, failed, sig, bucket;
};

struct db_count {
	struct db_count_key k;
	uint64_t nr, latency_ns, lock_wait_ns;
};

/* One counted table: rows in order of first appearance, and their hash. */
struct db_ctab {
	struct db_count *row;
	size_t nr, cap;
	uint32_t *slot;			/* hash slots: row index + 1, 0 empty */
	size_t nr_slots;		/* a power of two, at least twice nr */
};

/* An operation that began within DB_EXACT_NS after a mark. */
struct db_exact {
	uint64_t time_ns;
	int32_t bucket, cpu, cache, sig;
	int8_t kind;
	uint8_t nr_stats;
	uint8_t stats[SIM_OP_MAX_STATS];
};

struct db_mark {
	int64_t line;
	uint64_t ns;
	uint64_t exact_to;		/* ops begun before it are kept one by one; UINT64_MAX: open */
	int64_t first_line;		/* INT64_MAX: no top-level operation of a line after it yet */
	uint64_t first_ns;
};

struct db_counts {
	struct db_ctab ops, stats;
	struct db_mark *mark;		/* in trace order (line and time ascending) */
	size_t nr_marks, cap_marks;
	struct db_exact *exact;
	size_t nr_exact, cap_exact;
};

static uint32_t db_count_hash(const struct db_count_key *k)
{
	const int32_t *v = &k->kind;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < sizeof(*k) / sizeof(*v); i++)
		h = (h ^ (uint32_t)v[i]) * 16777619u;
	return h ^ (h >> 15);
}

/* The slot of k: its row, or the empty slot where it goes. */
static uint32_t *db_count_slot(struct db_ctab *c, const struct db_count_key *k)
{
	size_t mask = c->nr_slots - 1, i = db_count_hash(k) & mask;

	while (c->slot[i] && memcmp(&c->row[c->slot[i] - 1].k, k, sizeof(*k)))
		i = (i + 1) & mask;
	return &c->slot[i];
}

static int db_counts_grow(struct db_ctab *c)
{
	size_t n = c->nr_slots ? c->nr_slots * 2 : 1024;
	uint32_t *old = c->slot;
	size_t old_n = c->nr_slots;

	c->slot = calloc(n, sizeof(*c->slot));
	if (!c->slot) {
		c->slot = old;
		return -1;
	}
	c->nr_slots = n;
	for (size_t i = 0; i < old_n; i++)
		if (old[i])
			*db_count_slot(c, &c->row[old[i] - 1].k) = old[i];
	free(old);
	return 0;
}

/* The row of k (a new one at zero); NULL when out of memory. */
static struct db_count *db_ctab_row(struct db_ctab *c, const struct db_count_key *k)
{
	uint32_t *slot;

	if (2 * (c->nr + 1) > c->nr_slots && db_counts_grow(c))
		return NULL;
	slot = db_count_slot(c, k);
	if (!*slot) {
		if (c->nr == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 256;
			struct db_count *p = realloc(c->row, cap * sizeof(*p));

			if (!p)
				return NULL;
			c->row = p;
			c->cap = cap;
		}
		c->row[c->nr] = (struct db_count){ .k = *k };
		*slot = (uint32_t)++c->nr;
	}
	return &c->row[*slot - 1];
}

static bool db_grow(void **a, size_t *cap, size_t n, size_t size)
{
	void *p;

	if (n < *cap)
		return true;
	p = realloc(*a, (*cap ? *cap * 2 : 64) * size);
	if (!p)
		return false;
	*a = p;
	*cap = *cap ? *cap * 2 : 64;
	return true;
}

int sim_db_count_ops(struct sim_db *db)
{
	db->counts = calloc(1, sizeof(*db->counts));
	if (!db->counts || db_counts_grow(&db->counts->ops) || db_counts_grow(&db->counts->stats)) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	return db_exec(db, "UPDATE runs SET log = 'aggregate'");
}

void sim_db_count_mark(struct sim_db *db, int64_t line, uint64_t time_ns)
{
	struct db_counts *c = db->counts;

	if (!c || db->failed)
		return;
	if (!db_grow((void **)&c->mark, &c->cap_marks, c->nr_marks, sizeof(*c->mark))) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		db->failed = true;
		return;
	}
	/* the trace's clock never goes back (replay_marks.c): times stay ascending */
	if (c->nr_marks && time_ns < c->mark[c->nr_marks - 1].ns)
		time_ns = c->mark[c->nr_marks - 1].ns;
	c->mark[c->nr_marks++] = (struct db_mark){ line, time_ns, UINT64_MAX, INT64_MAX, UINT64_MAX };
}

void sim_db_count_mark_next(struct sim_db *db, uint64_t time_ns)
{
	struct db_counts *c = db->counts;

	for (size_t k = c ? c->nr_marks : 0; k-- > 0 && c->mark[k].exact_to == UINT64_MAX;)
		c->mark[k].exact_to = (time_ns > c->mark[k].ns ? time_ns : c->mark[k].ns) + DB_EXACT_NS;
}

/* Marks with ns <= t (by = 0) or line <= t (by = 1): the bucket of a time, 1 + the mark of a line. */
static size_t db_marks_upto(const struct db_counts *c, uint64_t t, int by)
{
	size_t lo = 0, hi = c->nr_marks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (by ? (uint64_t)c->mark[mid].line <= t : c->mark[mid].ns <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* What the marks need of op: its first-line candidate, and op itself when it began just after one. */
static int db_count_near_marks(struct db_counts *c, const struct sim_op *op, int32_t bucket)
{
	struct db_exact *x;

	if (!op->parent_seq && op->trace_line >= 0) {
		size_t k = db_marks_upto(c, (uint64_t)op->trace_line, 1);
		struct db_mark *m = k ? &c->mark[k - 1] : NULL;

		if (m && (op->trace_line < m->first_line || (op->trace_line == m->first_line &&
							      op->start_ns < m->first_ns))) {
			m->first_line = op->trace_line;
			m->first_ns = op->start_ns;
		}
	}
	if (!bucket || op->start_ns >= c->mark[bucket - 1].exact_to)
		return 0;
	if (!db_grow((void **)&c->exact, &c->cap_exact, c->nr_exact, sizeof(*c->exact)))
		return -1;
	x = &c->exact[c->nr_exact++];
	*x = (struct db_exact){ .time_ns = op->start_ns, .bucket = bucket, .cpu = op->cpu, .cache = op->cache,
				.sig = op->sig, .kind = op->kind, .nr_stats = op->nr_stats };
	memcpy(x->stats, op->stats, op->nr_stats);
	return 0;
}

void sim_db_count_op(const struct sim_op *op, void *arg)
{
	struct sim_db *db = arg;
	struct db_counts *c = db->counts;
	int32_t bucket = (int32_t)db_marks_upto(c, op->start_ns, 0);
	struct db_count_key k = {
		.kind = op->kind, .cache = op->cache, .cpu = op->cpu, .node = op->node,
		.mem_node = op->mem_node, .zone = op->zone, .level = op->level, .failed = op->failed,
		.sig = op->sig, .bucket = bucket,
	};
	struct db_count *r;

	if (db->failed)
		return;
	if (!(r = db_ctab_row(&c->ops, &k)))
		goto oom;
	r->nr++;
	r->latency_ns += op->end_ns - op->start_ns;
	r->lock_wait_ns += op->lock_wait_ns;
	/* its counter bumps, under ops.cache as ops.stats has them (sim_slabdb_op_end) */
	for (int i = 0; i + 1 < op->nr_stats; i += 2) {
		struct db_count_key s = { .kind = op->stats[i], .cache = op->cache, .cpu = op->cpu, .bucket = bucket };

		if (!(r = db_ctab_row(&c->stats, &s)))
			goto oom;
		r->nr += op->stats[i + 1];
	}
	if (c->nr_marks && db_count_near_marks(c, op, bucket))
		goto oom;
	return;
oom:
	fprintf(db->err, "%s: out of memory\n", db->path);
	db->failed = true;
}

/* ------------------------------------------------------------ at close */

static const char db_counts_schema[] =
	"CREATE TABLE stat_counts (bucket INTEGER, cache INTEGER, cpu INTEGER, item INTEGER, n INTEGER);\n"
	"CREATE TABLE op_buckets (bucket INTEGER PRIMARY KEY, from_ns INTEGER, exact_to_ns INTEGER,"
	" to_ns INTEGER);\n"
	"CREATE TABLE mark_ops (bucket INTEGER, time_ns INTEGER, cpu INTEGER, cache INTEGER, kind INTEGER,"
	" sig INTEGER, stats TEXT);\n"
	"CREATE TABLE mark_stats (bucket INTEGER, time_ns INTEGER, cache INTEGER, cpu INTEGER, item INTEGER,"
	" n INTEGER);\n"
	"CREATE TABLE mark_firsts (line INTEGER PRIMARY KEY, first_line INTEGER, first_ns INTEGER);\n";

static int db_flush_op_counts(struct sim_db *db, const struct db_ctab *c)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO op_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
				      " ?10, ?11, ?12, ?13)");
	int rc = 0;

	for (size_t i = 0; st && !rc && i < c->nr; i++) {
		const struct db_count *r = &c->row[i];
		int b = 0;

		/* NULLs as in ops: the same "does not apply" values */
		b |= sqlite3_bind_int(st, 1, r->k.kind);
		b |= db_bind_opt(st, 2, r->k.cache, -1);
		b |= sqlite3_bind_int(st, 3, r->k.cpu);
		b |= sqlite3_bind_int(st, 4, r->k.node);
		b |= db_bind_opt(st, 5, r->k.mem_node, -1);
		b |= db_bind_opt(st, 6, r->k.zone, -1);
		b |= db_bind_opt(st, 7, r->k.level, 0);
		b |= sqlite3_bind_int(st, 8, r->k.failed);
		b |= db_bind_opt(st, 9, r->k.sig, -1);
		b |= db_bind_u64(st, 10, r->nr);
		b |= db_bind_u64(st, 11, r->latency_ns);
		b |= db_bind_u64(st, 12, r->lock_wait_ns);
		b |= sqlite3_bind_int(st, 13, r->k.bucket);
		rc = db_insert(db, st, "op_counts", b);
	}
	sqlite3_finalize(st);
	return st ? rc : -1;
}

static int db_flush_stat_counts(struct sim_db *db, const struct db_ctab *c)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO stat_counts VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc = 0;

	for (size_t i = 0; st && !rc && i < c->nr; i++) {
		const struct db_count *r = &c->row[i];
		int v[4] = { r->k.bucket, r->k.cache, r->k.cpu, r->k.kind };

		rc = db_insert(db, st, "stat_counts", db_bind_ints(st, 1, v, 4) | db_bind_u64(st, 5, r->nr));
	}
	sqlite3_finalize(st);
	return st ? rc : -1;
}

static int db_flush_buckets(struct sim_db *db, const struct db_counts *c)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO op_buckets VALUES (?1, ?2, ?3, ?4)");
	int rc = 0;

	for (size_t k = 0; st && !rc && k <= c->nr_marks; k++) {
		uint64_t from = k ? c->mark[k - 1].ns : 0, to = k ? c->mark[k - 1].exact_to : 0;
		int b = sqlite3_bind_int64(st, 1, (int64_t)k) | db_bind_u64(st, 2, from) |
			db_bind_u64(st, 3, to > INT64_MAX ? INT64_MAX : to) |
			(k < c->nr_marks ? db_bind_u64(st, 4, c->mark[k].ns) : sqlite3_bind_null(st, 4));

		rc = db_insert(db, st, "op_buckets", b);
	}
	sqlite3_finalize(st);
	if (!st || rc || !(st = db_prepare(db, "INSERT INTO mark_firsts VALUES (?1, ?2, ?3)")))
		return -1;
	for (size_t k = 0; !rc && k < c->nr_marks; k++) {
		const struct db_mark *m = &c->mark[k];

		if (m->first_line != INT64_MAX)
			rc = db_insert(db, st, "mark_firsts", sqlite3_bind_int64(st, 1, m->line) |
				       sqlite3_bind_int64(st, 2, m->first_line) | db_bind_u64(st, 3, m->first_ns));
	}
	sqlite3_finalize(st);
	return rc;
}

static int db_flush_exact(struct sim_db *db, const struct db_counts *c)
{
	sqlite3_stmt *o = db_prepare(db, "INSERT INTO mark_ops VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sqlite3_stmt *s = o ? db_prepare(db, "INSERT INTO mark_stats VALUES (?1, ?2, ?3, ?4, ?5, ?6)") : NULL;
	char text[DB_STATS_TEXT];
	int rc = !s;

	for (size_t i = 0; !rc && i < c->nr_exact; i++) {
		const struct db_exact *x = &c->exact[i];
		int b = sqlite3_bind_int(o, 1, x->bucket) | db_bind_u64(o, 2, x->time_ns) |
			sqlite3_bind_int(o, 3, x->cpu) | db_bind_opt(o, 4, x->cache, -1) |
			sqlite3_bind_int(o, 5, x->kind) | db_bind_opt(o, 6, x->sig, -1);

		if (x->nr_stats) {
			sim_db_stats_text(x->stats, x->nr_stats, text, sizeof(text));
			b |= sqlite3_bind_text(o, 7, text, -1, SQLITE_STATIC);
		} else {
			b |= sqlite3_bind_null(o, 7);
		}
		rc = db_insert(db, o, "mark_ops", b);
		for (int j = 0; !rc && j + 1 < x->nr_stats; j += 2) {
			int v[4] = { x->bucket, x->cache, x->cpu, x->stats[j] };

			rc = db_insert(db, s, "mark_stats", sqlite3_bind_int(s, 1, v[0]) | db_bind_u64(s, 2, x->time_ns) |
				       db_bind_ints(s, 3, v + 1, 3) | sqlite3_bind_int(s, 6, x->stats[j + 1]));
		}
	}
	sqlite3_finalize(o);
	sqlite3_finalize(s);
	return rc ? -1 : 0;
}

int db_flush_counts(struct sim_db *db)
{
	struct db_counts *c = db->counts;

	if (!c)
		return 0;
	return db_exec(db, db_counts_schema) || db_flush_op_counts(db, &c->ops) ||
	       db_flush_stat_counts(db, &c->stats) || db_flush_buckets(db, c) || db_flush_exact(db, c) ? -1 : 0;
}

void db_counts_free(struct sim_db *db)
{
	struct db_counts *c = db->counts;

	if (!c)
		return;
	free(c->ops.row);
	free(c->ops.slot);
	free(c->stats.row);
	free(c->stats.slot);
	free(c->mark);
	free(c->exact);
	free(c);
	db->counts = NULL;
}
