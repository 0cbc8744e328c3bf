/*
 * db_counts.c - `--log aggregate`: instead of a row per operation, one row
 * of table op_counts per distinct (kind, cache, cpu, node, mem_node, zone,
 * level, failed, sig), with the number of operations and their summed
 * latency and lock wait.  Counted in memory (a hash of the keys, rows in
 * order of first appearance, so the table does not depend on hash order)
 * and written at close.  Memory grows with the number of distinct keys,
 * never with the number of operations.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "../engine/engine.h"

struct db_count_key {
	int32_t kind, cache, cpu, node, mem_node, zone, level, failed, sig;
};

struct db_count {
	struct db_count_key k;
	uint64_t nr, latency_ns, lock_wait_ns;
};

struct db_counts {
	struct db_count *row;		/* in order of first appearance */
	size_t nr, cap;
	uint32_t *slot;			/* hash slots: row index + 1, 0 empty */
	size_t nr_slots;		/* a power of two, at least twice nr */
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
static uint32_t *db_count_slot(struct db_counts *c, const struct db_count_key *k)
{
	size_t mask = c->nr_slots - 1, i = db_count_hash(k) & mask;

	while (c->slot[i] && memcmp(&c->row[c->slot[i] - 1].k, k, sizeof(*k)))
		i = (i + 1) & mask;
	return &c->slot[i];
}

static int db_counts_grow(struct db_counts *c)
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

int sim_db_count_ops(struct sim_db *db)
{
	db->counts = calloc(1, sizeof(*db->counts));
	if (!db->counts || db_counts_grow(db->counts)) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	return db_exec(db, "UPDATE runs SET log = 'aggregate'");
}

void sim_db_count_op(const struct sim_op *op, void *arg)
{
	struct sim_db *db = arg;
	struct db_counts *c = db->counts;
	struct db_count_key k = {
		.kind = op->kind, .cache = op->cache, .cpu = op->cpu, .node = op->node,
		.mem_node = op->mem_node, .zone = op->zone, .level = op->level, .failed = op->failed,
		.sig = op->sig,
	};
	uint32_t *slot;
	struct db_count *r;

	if (db->failed)
		return;
	if (2 * (c->nr + 1) > c->nr_slots && db_counts_grow(c))
		goto oom;
	slot = db_count_slot(c, &k);
	if (!*slot) {
		if (c->nr == c->cap) {
			size_t cap = c->cap ? c->cap * 2 : 256;
			struct db_count *p = realloc(c->row, cap * sizeof(*p));

			if (!p)
				goto oom;
			c->row = p;
			c->cap = cap;
		}
		c->row[c->nr] = (struct db_count){ .k = k };
		*slot = (uint32_t)++c->nr;
	}
	r = &c->row[*slot - 1];
	r->nr++;
	r->latency_ns += op->end_ns - op->start_ns;
	r->lock_wait_ns += op->lock_wait_ns;
	return;
oom:
	fprintf(db->err, "%s: out of memory\n", db->path);
	db->failed = true;
}

int db_flush_counts(struct sim_db *db)
{
	struct db_counts *c = db->counts;
	sqlite3_stmt *st;
	int rc = 0;

	if (!c || !c->nr)
		return 0;
	st = db_prepare(db, "INSERT INTO op_counts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
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
		rc = db_insert(db, st, "op_counts", b);
	}
	sqlite3_finalize(st);
	return st ? rc : -1;
}

void db_counts_free(struct sim_db *db)
{
	if (!db->counts)
		return;
	free(db->counts->row);
	free(db->counts->slot);
	free(db->counts);
	db->counts = NULL;
}
