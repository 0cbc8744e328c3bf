/*
 * sweep_db.c - the comparison of a sweep: each point's row read from its database (levels of
 * the allocations, slab pages at the end, pcp refills and drains, mean latency, lock wait,
 * and per cache), the summary database of a slice (tables sweep, sweep_points, sweep_caches;
 * docs/sweep.md), and merging slices' summaries into one, in point order.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep_int.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define SW_SCHEMA_ROWS \
	"CREATE TABLE sweep_points (point INTEGER PRIMARY KEY, vals TEXT, db TEXT, status INTEGER," \
	" nr_allocs INTEGER, l1_pct REAL, l2_pct REAL, l3_pct REAL, l4_pct REAL, l5_pct REAL," \
	" slab_pages INTEGER, refills INTEGER, drains INTEGER, latency_ns REAL, lock_wait_ns INTEGER);\n" \
	"CREATE TABLE sweep_caches (point INTEGER, cache TEXT, nr_allocs INTEGER, l1_pct REAL, l2_pct REAL," \
	" l3_pct REAL, l4_pct REAL, l5_pct REAL, slab_pages INTEGER, PRIMARY KEY (point, cache));\n"
static const char sw_schema[] =
	"CREATE TABLE sweep (spec TEXT, nr_points INTEGER, shard INTEGER, nr_shards INTEGER);\n" SW_SCHEMA_ROWS;
const char sw_schema_rows[] = SW_SCHEMA_ROWS;

char *sw_read_text(const char *path, FILE *err)
{
	FILE *f = fopen(path, "rb");
	char *t = NULL;
	size_t len = 0, n;
	FILE *m = open_memstream(&t, &len);
	char buf[8192];

	if (!f || !m) {
		fprintf(err, "%s: cannot read\n", path);
		if (f)
			fclose(f);
		if (m)
			fclose(m);
		free(t);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, m);
	fclose(f);
	if (fclose(m)) {
		free(t);
		return NULL;
	}
	return t;
}

char *sw_point_path(const char *dir, int p, const char *ext)
{
	char *s = NULL;

	return asprintf(&s, "%s/point-%03d.%s", dir, p, ext) < 0 ? NULL : s;
}

/* ------------------------------------------------------ a point's rows */

/* The first row of sql, n columns as doubles (0 for NULL). */
int sw_row(struct sim_db *db, const char *sql, double *v, int n)
{
	struct sim_db_stmt *st = sim_db_prepare(db, sql);
	int rc = -1;

	for (int i = 0; i < n; i++)
		v[i] = 0;
	if (st && sim_db_step(st) == SIM_DB_ROW) {
		for (int i = 0; i < n; i++)
			v[i] = sim_db_column_double(st, i);
		rc = 0;
	}
	sim_db_finalize(st);
	return rc;
}

void sw_pct(double *out, const double *counts, double total)
{
	for (int l = 0; l < 5; l++)
		out[l] = total > 0 ? 100.0 * counts[l] / total : 0;
}

#define SW_LEVELS "sum(level = 1), sum(level = 2), sum(level = 3), sum(level = 4), sum(level = 5)"

/* A point's row into the summary (insert statement st). */
int sw_put_point(struct sim_db_stmt *st, const struct sim_sweep_point *r)
{
	int rc = sim_db_bind_int64(st, 1, r->index);

	rc |= sim_db_bind_text(st, 2, r->values);
	rc |= sim_db_bind_text(st, 3, r->db);
	rc |= sim_db_bind_int64(st, 4, r->status);
	rc |= sim_db_bind_int64(st, 5, r->nr_allocs);
	for (int l = 0; l < 5; l++)
		rc |= sim_db_bind_double(st, 6 + l, r->level_pct[l]);
	rc |= sim_db_bind_int64(st, 11, r->slab_pages);
	rc |= sim_db_bind_int64(st, 12, r->refills);
	rc |= sim_db_bind_int64(st, 13, r->drains);
	rc |= sim_db_bind_double(st, 14, r->latency_ns);
	rc |= sim_db_bind_int64(st, 15, r->lock_wait_ns);
	return rc || sim_db_step(st) != SIM_DB_DONE ? -1 : 0;
}

int sw_put_cache(struct sim_db_stmt *st, const struct sim_sweep_cache *r)
{
	int rc = sim_db_bind_int64(st, 1, r->point);

	rc |= sim_db_bind_text(st, 2, r->name);
	rc |= sim_db_bind_int64(st, 3, r->nr_allocs);
	for (int l = 0; l < 5; l++)
		rc |= sim_db_bind_double(st, 4 + l, r->level_pct[l]);
	rc |= sim_db_bind_int64(st, 9, r->slab_pages);
	return rc || sim_db_step(st) != SIM_DB_DONE ? -1 : 0;
}

/* A sweep_points row's figures (SELECT * FROM sweep_points) into r: all but point, vals, db, status. */
static void sw_col_point(struct sim_db_stmt *st, struct sim_sweep_point *r)
{
	int c = 4;

	r->nr_allocs = sim_db_column_int64(st, c++);
	for (int l = 0; l < 5; l++)
		r->level_pct[l] = sim_db_column_double(st, c++);
	r->slab_pages = sim_db_column_int64(st, c++);
	r->refills = sim_db_column_int64(st, c++);
	r->drains = sim_db_column_int64(st, c++);
	r->latency_ns = sim_db_column_double(st, c++);
	r->lock_wait_ns = sim_db_column_int64(st, c++);
}

/* A sweep_caches row's figures (SELECT * FROM sweep_caches) into r: all but point and cache. */
static void sw_col_cache(struct sim_db_stmt *st, struct sim_sweep_cache *r)
{
	int c = 3;

	r->nr_allocs = sim_db_column_int64(st, 2);
	for (int l = 0; l < 5; l++)
		r->level_pct[l] = sim_db_column_double(st, c++);
	r->slab_pages = sim_db_column_int64(st, c++);
}

/* A point counted as it ran (sweep --no-log): its rows as it stored them in its database. */
static int sw_point_stored(struct sim_db *db, struct sim_db_stmt *ins_p, struct sim_db_stmt *ins_c,
			   struct sim_sweep_point *r)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT * FROM sweep_points");
	int rc = st && sim_db_step(st) == SIM_DB_ROW ? 0 : -1;

	if (!rc)
		sw_col_point(st, r);
	sim_db_finalize(st);
	rc = rc ? rc : sw_put_point(ins_p, r);
	st = rc ? NULL : sim_db_prepare(db, "SELECT * FROM sweep_caches ORDER BY cache");
	while (!rc && st && sim_db_step(st) == SIM_DB_ROW) {
		struct sim_sweep_cache c = { .point = r->index, .name = (char *)sim_db_column_text(st, 1) };

		sw_col_cache(st, &c);
		rc = sw_put_cache(ins_c, &c);
	}
	if (!st)
		rc = -1;
	sim_db_finalize(st);
	return rc;
}

/* Point r's numbers from its database (when the run left one), its cache rows into ins_c. */
static int sw_point_rows(struct sim_db_stmt *ins_p, struct sim_db_stmt *ins_c, struct sim_sweep_point *r,
			 FILE *err)
{
	struct sim_db *db = r->status == 0 || r->status == SIM_EFAIL ? sim_db_open_existing(r->db, err) : NULL;
	double v[7], x = 0;
	struct sim_db_stmt *st;
	int rc;

	if (db)
		sw_row(db, "SELECT count(*) FROM sqlite_master WHERE name = 'sweep_points'", &x, 1);
	if (x > 0) {
		rc = sw_point_stored(db, ins_p, ins_c, r);
		sim_db_close(db, false, err);
		return rc;
	}
	if (db) {
		sw_row(db, "SELECT count(*), " SW_LEVELS ", avg(latency_ns) FROM ops"
		       " WHERE kind IN (SELECT kind FROM op_kinds WHERE name IN ('obj_alloc', 'page_alloc'))"
		       " AND parent_seq IS NULL", v, 7);
		r->nr_allocs = (int64_t)v[0];
		sw_pct(r->level_pct, v + 1, v[0]);
		r->latency_ns = v[6];
		sw_row(db, "SELECT sum(num_slabs * pagesperslab) FROM slabinfo WHERE final = 1", &x, 1);
		r->slab_pages = (int64_t)x;
		sw_row(db, "SELECT count(*) FROM ops WHERE sig IN (SELECT sig FROM sig_labels WHERE label = 'rmqueue_bulk')",
		       &x, 1);
		r->refills = (int64_t)x;
		sw_row(db, "SELECT count(*) FROM ops WHERE sig IN"
		       " (SELECT sig FROM sig_labels WHERE label = 'free_pcppages_bulk')", &x, 1);
		r->drains = (int64_t)x;
		sw_row(db, "SELECT sum(wait_ns) FROM locks", &x, 1);
		r->lock_wait_ns = (int64_t)x;
	}
	rc = sw_put_point(ins_p, r);
	if (!db)
		return rc;
	st = sim_db_prepare(db, "SELECT c.name, count(*), " SW_LEVELS ","
			    " (SELECT sum(s.num_slabs * s.pagesperslab) FROM slabinfo s WHERE s.final = 1 AND s.name = c.name)"
			    " FROM ops o JOIN caches c ON c.id = o.cache"
			    " WHERE o.kind = (SELECT kind FROM op_kinds WHERE name = 'obj_alloc')"
			    " GROUP BY c.name ORDER BY c.name");
	while (!rc && st && sim_db_step(st) == SIM_DB_ROW) {
		struct sim_sweep_cache c = { .point = r->index, .name = (char *)sim_db_column_text(st, 0),
					     .nr_allocs = sim_db_column_int64(st, 1), .slab_pages = sim_db_column_int64(st, 7) };
		double lv[5];

		for (int l = 0; l < 5; l++)
			lv[l] = sim_db_column_double(st, 2 + l);
		sw_pct(c.level_pct, lv, (double)c.nr_allocs);
		rc = sw_put_cache(ins_c, &c);
	}
	if (!st)
		rc = -1;
	sim_db_finalize(st);
	sim_db_close(db, false, err);
	return rc;
}

int sw_write_summary(const struct sim_sweep *sw, const struct sim_sweep_opts *o, const int *status,
		     const char *path, FILE *err)
{
	struct sim_db *db = sim_db_open(path, err);
	struct sim_db_stmt *ins_s, *ins_p, *ins_c;
	char *spec = sw_spec_text(sw);
	int rc, nr = sim_sweep_nr_points(sw);

	if (!db || !spec) {
		free(spec);
		if (db)
			sim_db_close(db, false, err);
		return SIM_EFAIL;
	}
	rc = sim_db_exec(db, sw_schema);
	ins_s = sim_db_prepare(db, "INSERT INTO sweep VALUES (?1, ?2, ?3, ?4)");
	ins_p = sim_db_prepare(db, SW_INS_POINT);
	ins_c = sim_db_prepare(db, SW_INS_CACHE);
	if (!ins_s || !ins_p || !ins_c || sim_db_bind_text(ins_s, 1, spec) || sim_db_bind_int64(ins_s, 2, nr) ||
	    sim_db_bind_int64(ins_s, 3, o->nr_shards > 1 ? o->shard : -1) ||
	    sim_db_bind_int64(ins_s, 4, o->nr_shards) || sim_db_step(ins_s) != SIM_DB_DONE)
		rc = -1;
	for (int p = o->shard; !rc && p < nr; p += o->nr_shards) {
		struct sim_sweep_point r = { .index = p, .values = sw_point_values(sw, p),
					     .db = sw_point_path(o->out_dir, p, "db"), .status = status[p] };

		rc = !r.values || !r.db ? -1 : sw_point_rows(ins_p, ins_c, &r, err);
		free(r.values);
		free(r.db);
	}
	free(spec);
	if (sim_db_close(db, !rc, err) || rc) {
		fprintf(err, "kmemsim sweep: %s: cannot write the summary\n", path);
		return SIM_EFAIL;
	}
	return 0;
}

/* ------------------------------------------------------- reading, merging */

bool sim_sweep_is_db(const char *path)
{
	struct sim_db *db;
	FILE *nul = fopen("/dev/null", "w");
	double n = 0;

	if (!nul)
		return false;
	db = access(path, R_OK) ? NULL : sim_db_open_existing(path, nul);
	if (db) {
		sw_row(db, "SELECT count(*) FROM sqlite_master WHERE name = 'sweep'", &n, 1);
		sim_db_close(db, false, nul);
	}
	fclose(nul);
	return n > 0;
}

static int sw_cmp_point(const void *a, const void *b)
{
	const struct sim_sweep_point *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

static int sw_cmp_cache(const void *a, const void *b)
{
	const struct sim_sweep_cache *x = a, *y = b;

	if (x->point != y->point)
		return (x->point > y->point) - (x->point < y->point);
	return strcmp(x->name, y->name);
}

static char *sw_dup(const char *s)
{
	return strdup(s ? s : "");
}

/* The sweep row of a summary: its spec must be res->spec when that is set; shard marked in seen[]. */
static int sw_read_head(struct sim_db *db, const char *path, struct sim_sweep_result *res, bool *seen,
			int *nr_shards, FILE *err)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT spec, nr_points, shard, nr_shards FROM sweep");
	int rc = 0;
	int64_t s;

	if (!st || sim_db_step(st) != SIM_DB_ROW) {
		fprintf(err, "kmemsim merge: %s: not a sweep's summary database\n", path);
		sim_db_finalize(st);
		return SIM_EBADINPUT;
	}
	if (!res->spec) {
		res->spec = sw_dup(sim_db_column_text(st, 0));
		res->nr_points = (int)sim_db_column_int64(st, 1);
		*nr_shards = (int)sim_db_column_int64(st, 3);
	} else if (strcmp(res->spec, sim_db_column_text(st, 0) ? sim_db_column_text(st, 0) : "") ||
		   *nr_shards != (int)sim_db_column_int64(st, 3)) {
		fprintf(err, "kmemsim merge: %s: a slice of another sweep (its grid or --shard N differs)\n", path);
		rc = SIM_EBADINPUT;
	}
	s = sim_db_column_int64(st, 2);
	if (!rc && seen && s >= 0 && s < SIM_SWEEP_MAX_POINTS) {
		if (seen[s]) {
			fprintf(err, "kmemsim merge: %s: shard %" PRId64 " given twice\n", path, s);
			rc = SIM_EBADINPUT;
		}
		seen[s] = true;
	}
	sim_db_finalize(st);
	return rc;
}

/* Read one summary database into res (appending). */
static int sw_read_summary(const char *path, struct sim_sweep_result *res, bool *seen, int *nr_shards, FILE *err)
{
	struct sim_db *db = sim_db_open_existing(path, err);
	struct sim_db_stmt *st;
	int rc;

	if (!db)
		return SIM_EBADINPUT;
	rc = sw_read_head(db, path, res, seen, nr_shards, err);
	st = rc ? NULL : sim_db_prepare(db, "SELECT * FROM sweep_points ORDER BY point");
	while (!rc && st && sim_db_step(st) == SIM_DB_ROW) {
		struct sim_sweep_point *n = realloc(res->row, (size_t)(res->nr_rows + 1) * sizeof(*n)), *r;

		if (!n) {
			rc = SIM_EFAIL;
			break;
		}
		res->row = n;
		r = &res->row[res->nr_rows++];
		r->index = (int)sim_db_column_int64(st, 0);
		r->values = sw_dup(sim_db_column_text(st, 1));
		r->db = sw_dup(sim_db_column_text(st, 2));
		r->status = (int)sim_db_column_int64(st, 3);
		sw_col_point(st, r);
	}
	sim_db_finalize(st);
	st = rc ? NULL : sim_db_prepare(db, "SELECT * FROM sweep_caches ORDER BY point, cache");
	while (!rc && st && sim_db_step(st) == SIM_DB_ROW) {
		struct sim_sweep_cache *n = realloc(res->cache, (size_t)(res->nr_caches + 1) * sizeof(*n)), *r;

		if (!n) {
			rc = SIM_EFAIL;
			break;
		}
		res->cache = n;
		r = &res->cache[res->nr_caches++];
		r->point = (int)sim_db_column_int64(st, 0);
		r->name = sw_dup(sim_db_column_text(st, 1));
		sw_col_cache(st, r);
	}
	sim_db_finalize(st);
	sim_db_close(db, false, err);
	return rc;
}

/* The merged rows into a new summary database (shard -1). */
static int sw_write_merged(const char *path, const struct sim_sweep_result *res, int nr_shards, FILE *err)
{
	struct sim_db *db = sim_db_open(path, err);
	struct sim_db_stmt *st, *ins_p, *ins_c;
	int rc;

	if (!db)
		return SIM_EFAIL;
	rc = sim_db_exec(db, sw_schema);
	st = rc ? NULL : sim_db_prepare(db, "INSERT INTO sweep VALUES (?1, ?2, -1, ?3)");
	ins_p = rc ? NULL : sim_db_prepare(db, SW_INS_POINT);
	ins_c = rc ? NULL : sim_db_prepare(db, SW_INS_CACHE);
	if (!st || !ins_p || !ins_c || sim_db_bind_text(st, 1, res->spec) || sim_db_bind_int64(st, 2, res->nr_points) ||
	    sim_db_bind_int64(st, 3, nr_shards) || sim_db_step(st) != SIM_DB_DONE)
		rc = -1;
	for (int i = 0; !rc && i < res->nr_rows; i++)
		rc = sw_put_point(ins_p, &res->row[i]);
	for (int i = 0; !rc && i < res->nr_caches; i++)
		rc = sw_put_cache(ins_c, &res->cache[i]);
	if (sim_db_close(db, !rc, err) || rc) {
		fprintf(err, "kmemsim merge: %s: cannot write the merged sweep\n", path);
		return SIM_EFAIL;
	}
	return 0;
}

int sim_sweep_merge(const char *out_db, const char *const *in, int nr_in, struct sim_sweep_result *res,
		    FILE *err)
{
	bool *seen = calloc(SIM_SWEEP_MAX_POINTS, sizeof(bool));
	int rc = seen ? 0 : SIM_EFAIL, nr_shards = 1;

	memset(res, 0, sizeof(*res));
	for (int i = 0; !rc && i < nr_in; i++)
		rc = sw_read_summary(in[i], res, out_db ? seen : NULL, &nr_shards, err);
	free(seen);
	if (rc)
		return rc;
	if (res->nr_rows)
		qsort(res->row, (size_t)res->nr_rows, sizeof(res->row[0]), sw_cmp_point);
	if (res->nr_caches)
		qsort(res->cache, (size_t)res->nr_caches, sizeof(res->cache[0]), sw_cmp_cache);
	for (int i = 1; i < res->nr_rows; i++)
		if (res->row[i].index == res->row[i - 1].index) {
			fprintf(err, "kmemsim merge: point %d is in two inputs\n", res->row[i].index);
			return SIM_EBADINPUT;
		}
	res->missing = res->nr_points - res->nr_rows;
	return out_db ? sw_write_merged(out_db, res, nr_shards, err) : 0;
}

char *sim_sweep_keys(const struct sim_sweep_result *res)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);

	if (!f)
		return NULL;
	for (const char *s = res->spec; s && *s; ) {
		size_t n = strcspn(s, "\n");

		if (!strncmp(s, "vary ", 5))
			fprintf(f, "%.*s\n", (int)strcspn(s + 5, "\t\n"), s + 5);
		s += n + (s[n] == '\n');
	}
	return fclose(f) ? (free(t), NULL) : t;
}

void sim_sweep_result_free(struct sim_sweep_result *res)
{
	for (int i = 0; i < res->nr_rows; i++) {
		free(res->row[i].values);
		free(res->row[i].db);
	}
	for (int i = 0; i < res->nr_caches; i++)
		free(res->cache[i].name);
	free(res->row);
	free(res->cache);
	free(res->spec);
	memset(res, 0, sizeof(*res));
}
