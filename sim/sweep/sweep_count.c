/*
 * sweep_count.c - a point's comparison rows without its per-operation log (sweep --no-log).
 *
 * The rows sweep_db.c reads from a point's `ops` table are counted instead as the run's
 * operations end (sw_count_op, the run's op_observer): the allocations that are not nested
 * (count, levels, latency sum), operations per path signature (the pcp refills and drains are
 * those whose signature has rmqueue_bulk / free_pcppages_bulk, as sig_labels says at the end),
 * and object allocations per cache id (named through the caches table).  The figures that do
 * not come from `ops` (slab pages, lock wait) are read from the point's database as before.
 * Each figure is the same number as the query's, so the tables print the same bytes: counts
 * are exact, and the mean latency is the integer sum over the count, as SQLite's avg of
 * integers (exact below 2^53 ns).  The rows go into the point's own database, tables
 * sweep_points and sweep_caches, where sw_write_summary finds them.
 */
#include <stdlib.h>
#include <string.h>

#include "sweep_int.h"
#include "../db/db.h"
#include "../engine/engine.h"

/* Room for index i in an array of n elements of size sz (zeroed); false out of memory. */
static bool sw_count_grow(void **a, int *n, int i, size_t sz)
{
	int m = *n ? *n : 16;
	void *p;

	if (i < *n)
		return true;
	while (m <= i)
		m *= 2;
	p = realloc(*a, (size_t)m * sz);
	if (!p)
		return false;
	memset((char *)p + (size_t)*n * sz, 0, (size_t)(m - *n) * sz);
	*a = p;
	*n = m;
	return true;
}

void sw_count_op(const struct sim_op *op, void *arg)
{
	struct sw_count *c = arg;
	int lv = op->level >= 1 && op->level <= 5 ? op->level - 1 : -1;

	if (!op->parent_seq && (op->kind == SIM_OP_OBJ_ALLOC || op->kind == SIM_OP_PAGE_ALLOC)) {
		c->nr_allocs++;
		if (lv >= 0)
			c->level[lv]++;
		c->latency_ns += (int64_t)(op->end_ns - op->start_ns);
	}
	if (op->sig >= 0) {
		if (!sw_count_grow((void **)&c->sig_ops, &c->nr_sigs, op->sig, sizeof(*c->sig_ops)))
			c->oom = true;
		else
			c->sig_ops[op->sig]++;
	}
	if (op->kind == SIM_OP_OBJ_ALLOC && op->cache >= 0) {
		if (!sw_count_grow((void **)&c->cache, &c->nr_caches, op->cache, sizeof(*c->cache))) {
			c->oom = true;
		} else {
			c->cache[op->cache].nr_allocs++;
			if (lv >= 0)
				c->cache[op->cache].level[lv]++;
		}
	}
}

/* Operations whose signature has `label` (a signature counts once however often it has it). */
static int64_t sw_count_label(struct sim_db *db, const struct sw_count *c, const char *label, int *rc)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT DISTINCT sig FROM sig_labels WHERE label = ?1");
	int64_t n = 0;

	if (!st || sim_db_bind_text(st, 1, label)) {
		*rc = -1;
	} else {
		while (sim_db_step(st) == SIM_DB_ROW) {
			int64_t sig = sim_db_column_int64(st, 0);

			if (sig >= 0 && sig < c->nr_sigs)
				n += (int64_t)c->sig_ops[sig];
		}
	}
	sim_db_finalize(st);
	return n;
}

static int sw_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct sim_sweep_cache *)a)->name, ((const struct sim_sweep_cache *)b)->name);
}

/* The per-cache rows: counts by cache id summed by the caches' names, in name order. */
static int sw_count_caches(struct sim_db *db, const struct sw_count *c, struct sim_sweep_cache **out, int *nr)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT id, name FROM caches WHERE name IS NOT NULL");
	struct sim_db_stmt *slab = sim_db_prepare(db, "SELECT name, sum(num_slabs * pagesperslab) FROM slabinfo"
						  " WHERE final = 1 AND name IS NOT NULL GROUP BY name");
	struct sim_sweep_cache *row = NULL;
	double (*lv)[5] = NULL;
	int rc = st && slab ? 0 : -1, n = 0;

	while (!rc && sim_db_step(st) == SIM_DB_ROW) {
		int64_t id = sim_db_column_int64(st, 0);
		const char *name = sim_db_column_text(st, 1);
		const struct sw_count_cache *k = id >= 0 && id < c->nr_caches ? &c->cache[id] : NULL;
		int i;

		if (!k || !k->nr_allocs)
			continue;
		for (i = 0; i < n && strcmp(row[i].name, name); i++)
			;
		if (i == n) {
			void *r2 = realloc(row, (size_t)(n + 1) * sizeof(*row)), *l2 = realloc(lv, (size_t)(n + 1) * sizeof(*lv));

			if (r2)
				row = r2;
			if (l2)
				lv = l2;
			if (!r2 || !l2 || !(row[n].name = strdup(name))) {
				rc = -1;
				break;
			}
			row[n].nr_allocs = 0;
			memset(lv[n], 0, sizeof(lv[n]));
			n++;
		}
		row[i].nr_allocs += (int64_t)k->nr_allocs;
		for (int l = 0; l < 5; l++)
			lv[i][l] += (double)k->level[l];
	}
	for (int i = 0; i < n; i++) {
		sw_pct(row[i].level_pct, lv[i], (double)row[i].nr_allocs);
		row[i].slab_pages = 0;
	}
	while (!rc && sim_db_step(slab) == SIM_DB_ROW)	/* the final slabinfo's pages of each name */
		for (int i = 0; i < n; i++)
			if (!strcmp(row[i].name, sim_db_column_text(slab, 0)))
				row[i].slab_pages = sim_db_column_int64(slab, 1);
	sim_db_finalize(st);
	sim_db_finalize(slab);
	free(lv);
	if (n)
		qsort(row, (size_t)n, sizeof(*row), sw_cmp_name);
	*out = row;
	*nr = n;
	return rc;
}

int sw_count_store(struct sw_count *c, const char *path, int status, FILE *err)
{
	struct sim_db *db = sim_db_open_update(path, err);	/* the point's rows join its database */
	struct sim_sweep_point r = { .values = "", .db = (char *)path, .status = status,
				     .nr_allocs = (int64_t)c->nr_allocs };
	struct sim_sweep_cache *cache = NULL;
	struct sim_db_stmt *ins_p = NULL, *ins_c = NULL;
	double lv[5], x;
	int rc = db && !c->oom ? 0 : -1, nr = 0;

	for (int l = 0; l < 5; l++)
		lv[l] = (double)c->level[l];
	sw_pct(r.level_pct, lv, (double)c->nr_allocs);
	r.latency_ns = c->nr_allocs ? (double)c->latency_ns / (double)c->nr_allocs : 0;
	if (!rc) {
		sw_row(db, "SELECT sum(num_slabs * pagesperslab) FROM slabinfo WHERE final = 1", &x, 1);
		r.slab_pages = (int64_t)x;
		sw_row(db, "SELECT sum(wait_ns) FROM locks", &x, 1);
		r.lock_wait_ns = (int64_t)x;
		r.refills = sw_count_label(db, c, "rmqueue_bulk", &rc);
		r.drains = sw_count_label(db, c, "free_pcppages_bulk", &rc);
		rc |= sw_count_caches(db, c, &cache, &nr);
	}
	rc = rc ? rc : sim_db_exec(db, "BEGIN");
	rc = rc ? rc : sim_db_exec(db, sw_schema_rows);
	ins_p = rc ? NULL : sim_db_prepare(db, SW_INS_POINT);
	ins_c = rc ? NULL : sim_db_prepare(db, SW_INS_CACHE);
	rc = rc || !ins_p || !ins_c ? -1 : sw_put_point(ins_p, &r);
	for (int i = 0; !rc && i < nr; i++)
		rc = sw_put_cache(ins_c, &cache[i]);
	sim_db_finalize(ins_p);
	sim_db_finalize(ins_c);
	rc = rc ? rc : sim_db_exec(db, "COMMIT");
	for (int i = 0; i < nr; i++)
		free(cache[i].name);
	free(cache);
	free(c->sig_ops);
	free(c->cache);
	if (db)
		sim_db_close(db, false, err);
	if (rc) {
		fprintf(err, "kmemsim sweep: %s: cannot store the point's comparison rows%s\n", path,
			c->oom ? ": out of memory" : "");
		return SIM_EFAIL;
	}
	return 0;
}
