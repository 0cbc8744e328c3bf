/*
 * db_digest.c - a run's database digested for `kmemsim diff` and
 * `kmemsim report` (struct sim_digest, sim/db/db.h).
 *
 * One pass over ops, in the order SQLite returns it, adds every operation to
 * its cache or zone and to its time bucket; the latency percentile comes from
 * a log-linear histogram per cache, so memory depends on the numbers of
 * caches, zones, CPUs and buckets and never on the length of the run.  The
 * small tables (runs, summary, caches, slabinfo, zones, buddy_snapshots,
 * sig_labels) are read by SQL.  ops is read by column names only (it may be a
 * view).  What each figure means is documented in docs/diff.md.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "../engine/engine.h"
#include "../../models/kernel.h"

#define DG_HIST_EXACT 128		/* latencies below are counted exactly */
#define DG_HIST_SUB 64			/* sub-buckets per power of two above */
#define DG_HIST_N (DG_HIST_EXACT + (64 - 7) * DG_HIST_SUB)

static int dg_hist_index(uint64_t v)
{
	int e;

	if (v < DG_HIST_EXACT)
		return (int)v;
	e = 63 - __builtin_clzll(v);				/* >= 7 */
	return DG_HIST_EXACT + (e - 7) * DG_HIST_SUB + (int)((v >> (e - 6)) & (DG_HIST_SUB - 1));
}

static uint64_t dg_hist_value(int i)
{
	int e, sub;

	if (i < DG_HIST_EXACT)
		return (uint64_t)i;
	e = (i - DG_HIST_EXACT) / DG_HIST_SUB + 7;
	sub = (i - DG_HIST_EXACT) % DG_HIST_SUB;
	return (uint64_t)(DG_HIST_SUB + sub) << (e - 6);
}

/* The smallest histogram value v with at least 99% of the n values <= v. */
static uint64_t dg_hist_p99(const uint32_t *h, uint64_t n)
{
	uint64_t rank = (n * 99 + 99) / 100, seen = 0;

	for (int i = 0; i < DG_HIST_N && n; i++) {
		seen += h[i];
		if (seen >= rank)
			return dg_hist_value(i);
	}
	return 0;
}

static bool dg_has_table(struct sim_db *db, const char *name)
{
	sqlite3_stmt *st;
	bool has = false;

	if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM sqlite_master WHERE name = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		has = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return has;
}

/* A one-integer query's value; 0 when it fails. */
static int64_t dg_count_rows(struct sim_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *dg_strdup(const unsigned char *s)
{
	return strdup(s ? (const char *)s : "");
}

int sim_digest_bucket(const struct sim_digest *d, uint64_t ns)
{
	uint64_t span = d->sim_ns + 1, nb = (uint64_t)d->nr_buckets, b;

	b = span < UINT64_MAX / nb ? ns * nb / span : ns / (span / nb);
	return b >= nb ? d->nr_buckets - 1 : (int)b;
}

/* runs, summary, and the size of the arrays. */
static int dg_run(struct sim_db *db, struct sim_digest *d)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT allocator, name, description, seed_hex, version, nr_nodes,"
				      " nr_cpus, (SELECT sim_ns FROM summary), (SELECT nr_ops FROM summary) FROM runs");
	int rc = -1;

	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(d->allocator, sizeof(d->allocator), "%s",
			 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "?");
		d->name = dg_strdup(sqlite3_column_text(st, 1));
		d->description = dg_strdup(sqlite3_column_text(st, 2));
		d->seed_hex = dg_strdup(sqlite3_column_text(st, 3));
		d->version = dg_strdup(sqlite3_column_text(st, 4));
		d->nr_nodes = sqlite3_column_int(st, 5);
		d->nr_cpus = sqlite3_column_int(st, 6);
		d->sim_ns = (uint64_t)sqlite3_column_int64(st, 7);
		d->nr_ops = (uint64_t)sqlite3_column_int64(st, 8);
		snprintf(d->kernel, sizeof(d->kernel), "%s",
			 kernel_version_name((enum kernel_version)sim_db_run_kernel(db)));
		if (d->nr_nodes < 1 || d->nr_nodes > 1024 || d->nr_cpus < 1 || d->nr_cpus > 4096)
			fprintf(db->err, "%s: runs: nr_nodes %d or nr_cpus %d out of range\n", db->path,
				d->nr_nodes, d->nr_cpus);
		else
			rc = 0;
	} else {
		fprintf(db->err, "%s: runs: no row (the run did not finish)\n", db->path);
	}
	sqlite3_finalize(st);
	return rc;
}

/* caches and their slab pages from slabinfo. */
static int dg_caches(struct sim_db *db, struct sim_digest *d)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (!dg_has_table(db, "caches"))
		return 0;
	st = db_prepare(db, "SELECT max(id) FROM caches");
	if (!st)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		d->nr_caches = sqlite3_column_int(st, 0) + 1;
	sqlite3_finalize(st);
	if (d->nr_caches < 0 || d->nr_caches > 1 << 20) {
		fprintf(db->err, "%s: caches: id %d out of range\n", db->path, d->nr_caches - 1);
		return -1;
	}
	d->caches = calloc((size_t)d->nr_caches + 1, sizeof(*d->caches));
	if (!d->caches)
		return -1;
	for (int i = 0; i < d->nr_caches; i++) {
		struct sim_digest_cache *c = &d->caches[i];

		c->slab_pages_peak = c->slab_pages_final = -1;
		c->hist = calloc(DG_HIST_N, sizeof(*c->hist));
		c->bucket_level = calloc((size_t)d->nr_buckets * 6, sizeof(*c->bucket_level));
		if (!c->hist || !c->bucket_level)
			return -1;
	}
	st = db_prepare(db, "SELECT id, name FROM caches WHERE id >= 0");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW)
		d->caches[sqlite3_column_int(st, 0)].name = dg_strdup(sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	if (!dg_has_table(db, "slabinfo"))
		return 0;
	st = db_prepare(db, "SELECT cache, max(num_slabs * pagesperslab),"
			" max(CASE WHEN final THEN num_slabs * pagesperslab END) FROM slabinfo GROUP BY cache");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);

		if (id < 0 || id >= d->nr_caches)
			continue;
		d->caches[id].slab_pages_peak = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			d->caches[id].slab_pages_final = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

/* zones: populated, free pages at the end and at the emptiest snapshot. */
static int dg_zones(struct sim_db *db, struct sim_digest *d)
{
	int nz = d->nr_nodes * SIM_DIGEST_NR_ZONES;
	sqlite3_stmt *st;

	d->zones = calloc((size_t)nz, sizeof(*d->zones));
	if (!d->zones)
		return -1;
	for (int i = 0; i < nz; i++)
		d->zones[i].free_final = d->zones[i].free_min = -1;
	st = db_prepare(db, "SELECT node, zone, populated, free FROM zones");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0), z = sqlite3_column_int(st, 1);

		if (n < 0 || n >= d->nr_nodes || z < 0 || z >= SIM_DIGEST_NR_ZONES)
			continue;
		d->zones[n * SIM_DIGEST_NR_ZONES + z].populated = sqlite3_column_int(st, 2) != 0;
		d->zones[n * SIM_DIGEST_NR_ZONES + z].free_final = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	st = db_prepare(db, "SELECT node, zone, min(f) FROM (SELECT time_ns, node, zone,"
			" sum(nr_free << \"order\") AS f FROM buddy_snapshots GROUP BY time_ns, node, zone)"
			" GROUP BY node, zone");
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0), z = sqlite3_column_int(st, 1);

		if (n >= 0 && n < d->nr_nodes && z >= 0 && z < SIM_DIGEST_NR_ZONES)
			d->zones[n * SIM_DIGEST_NR_ZONES + z].free_min = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	return 0;
}

/* Signatures that pass a label: a bitmap by sig id (NULL when none; *n its size). */
static uint8_t *dg_sigs_with(struct sim_db *db, const char *label, int64_t *n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT max(sig) FROM path_sigs");
	uint8_t *set = NULL;

	*n = 0;
	if (!st)
		return NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	if (*n <= 0 || *n > 1 << 24 || !(set = calloc((size_t)*n, 1)))
		return NULL;
	st = db_prepare(db, "SELECT DISTINCT sig FROM sig_labels WHERE label = ?1");
	if (!st)
		return set;
	sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t s = sqlite3_column_int64(st, 0);

		if (s >= 0 && s < *n)
			set[s] = 1;
	}
	sqlite3_finalize(st);
	return set;
}

static bool dg_in(const uint8_t *set, int64_t n, sqlite3_stmt *st, int col)
{
	int64_t s;

	if (!set || sqlite3_column_type(st, col) == SQLITE_NULL)
		return false;
	s = sqlite3_column_int64(st, col);
	return s >= 0 && s < n && set[s];
}

/* One row of ops, or of op_counts (nr operations, their latency and lock wait summed): into d. */
struct dg_row {
	int kind, level, cpu;
	bool have_cache, have_where;	/* cache not NULL; mem_node and zone not NULL */
	int cache, mem_node, zone;
	uint64_t t, lat, wait, nr;
	bool refill, drain;		/* its path went through rmqueue_bulk, free_pcppages_bulk */
};

static void dg_add(struct sim_digest *d, const struct dg_row *r, bool per_op)
{
	int b = sim_digest_bucket(d, r->t), level = r->level < 0 || r->level > 5 ? 0 : r->level;
	bool alloc = r->kind == SIM_OP_PAGE_ALLOC || r->kind == SIM_OP_OBJ_ALLOC;

	if (level >= 2 && r->cpu >= 0 && r->cpu < d->nr_cpus)
		d->cpu_slow[(size_t)b * (size_t)d->nr_cpus + (size_t)r->cpu] += (uint32_t)r->nr;
	d->bucket_lock_wait[b] += r->wait;
	if (r->kind == SIM_OP_OBJ_ALLOC || r->kind == SIM_OP_OBJ_FREE) {
		struct sim_digest_cache *c;

		if (!r->have_cache || r->cache < 0 || r->cache >= d->nr_caches)
			return;
		c = &d->caches[r->cache];
		c->lat_sum += r->lat;
		c->lock_wait_ns += r->wait;
		if (per_op)
			c->hist[dg_hist_index(r->lat)]++;
		if (alloc) {
			c->nr_alloc += r->nr;
			c->level[level] += r->nr;
			c->bucket_level[(size_t)b * 6 + (size_t)level] += (uint32_t)r->nr;
		} else {
			c->nr_free += r->nr;
		}
	} else if (r->kind == SIM_OP_PAGE_ALLOC || r->kind == SIM_OP_PAGE_FREE) {
		struct sim_digest_zone *zn;

		if (!r->have_where || r->mem_node < 0 || r->mem_node >= d->nr_nodes || r->zone < 0 ||
		    r->zone >= SIM_DIGEST_NR_ZONES)
			return;
		zn = &d->zones[r->mem_node * SIM_DIGEST_NR_ZONES + r->zone];
		zn->lat_sum += r->lat;
		zn->lock_wait_ns += r->wait;
		if (alloc) {
			zn->nr_alloc += r->nr;
			zn->level[level] += r->nr;
			zn->refills += r->refill ? r->nr : 0;
		} else {
			zn->nr_free += r->nr;
			zn->drains += r->drain ? r->nr : 0;
		}
	}
}

/*
 * The pass over ops; on a --log aggregate database, over op_counts, each row at
 * the start of its time bucket (op_buckets: exact for one bucket, as diff's) and
 * without the latency histogram (lat_p99 SIM_DIGEST_NO_P99).
 */
static int dg_ops(struct sim_db *db, struct sim_digest *d)
{
	int64_t nr_refill, nr_drain;
	uint8_t *refill = dg_sigs_with(db, "rmqueue_bulk", &nr_refill);
	uint8_t *drain = dg_sigs_with(db, "free_pcppages_bulk", &nr_drain);
	const char *sql = !d->aggregate ?
		"SELECT kind, cache, level, time_ns, latency_ns, lock_wait_ns, cpu, mem_node, zone, sig, 1 FROM ops" :
		dg_has_table(db, "op_buckets") ?
		"SELECT o.kind, o.cache, o.level, coalesce(b.from_ns, 0), o.latency_ns, o.lock_wait_ns, o.cpu,"
		" o.mem_node, o.zone, o.sig, o.nr FROM op_counts o LEFT JOIN op_buckets b USING (bucket)" :
		"SELECT kind, cache, level, 0, latency_ns, lock_wait_ns, cpu, mem_node, zone, sig, nr FROM op_counts";
	sqlite3_stmt *st = db_prepare(db, sql);
	int rc = -1, step;

	if (!st)
		goto out;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct dg_row r = {
			.kind = sqlite3_column_int(st, 0),	/* op_kinds: enum sim_op_kind */
			.have_cache = sqlite3_column_type(st, 1) != SQLITE_NULL, .cache = sqlite3_column_int(st, 1),
			.level = sqlite3_column_int(st, 2), .t = (uint64_t)sqlite3_column_int64(st, 3),
			.lat = (uint64_t)sqlite3_column_int64(st, 4), .wait = (uint64_t)sqlite3_column_int64(st, 5),
			.cpu = sqlite3_column_int(st, 6),
			.have_where = sqlite3_column_type(st, 7) != SQLITE_NULL && sqlite3_column_type(st, 8) != SQLITE_NULL,
			.mem_node = sqlite3_column_int(st, 7), .zone = sqlite3_column_int(st, 8),
			.refill = dg_in(refill, nr_refill, st, 9), .drain = dg_in(drain, nr_drain, st, 9),
			.nr = (uint64_t)sqlite3_column_int64(st, 10),
		};

		dg_add(d, &r, !d->aggregate);
	}
	if (step != SQLITE_DONE)
		db_fail(db, "reading ops");
	else
		rc = 0;
	for (int i = 0; i < d->nr_caches; i++)
		d->caches[i].lat_p99 = d->aggregate ? SIM_DIGEST_NO_P99 :
				       dg_hist_p99(d->caches[i].hist, d->caches[i].nr_alloc + d->caches[i].nr_free);
out:
	sqlite3_finalize(st);
	free(refill);
	free(drain);
	return rc;
}

int sim_digest_read(struct sim_db *db, int nr_buckets, struct sim_digest *d)
{
	memset(d, 0, sizeof(*d));
	d->nr_buckets = nr_buckets < 1 ? 1 : nr_buckets > 4096 ? 4096 : nr_buckets;
	if (dg_run(db, d))
		return -1;
	d->cpu_slow = calloc((size_t)d->nr_buckets * (size_t)d->nr_cpus, sizeof(*d->cpu_slow));
	d->bucket_lock_wait = calloc((size_t)d->nr_buckets, sizeof(*d->bucket_lock_wait));
	if (!d->cpu_slow || !d->bucket_lock_wait) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	d->aggregate = dg_has_table(db, "op_counts") && dg_count_rows(db, "SELECT EXISTS (SELECT 1 FROM op_counts)");
	if (dg_caches(db, d) || dg_zones(db, d) || dg_ops(db, d)) {
		if (!d->zones || (d->nr_caches && !d->caches))
			fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	return 0;
}

void sim_digest_free(struct sim_digest *d)
{
	for (int i = 0; d->caches && i < d->nr_caches; i++) {
		free(d->caches[i].name);
		free(d->caches[i].hist);
		free(d->caches[i].bucket_level);
	}
	free(d->caches);
	free(d->zones);
	free(d->cpu_slow);
	free(d->bucket_lock_wait);
	free(d->name);
	free(d->description);
	free(d->seed_hex);
	free(d->version);
	memset(d, 0, sizeof(*d));
}
