/*
 * report_data.c - the data of one run for `kmemsim report`, as one JSON
 * object that the page's script draws (sim/cli/report.js).
 *
 * Everything over simulated time is cut into REPORT_BUCKETS buckets: counts
 * of operations come from the run's digest (one pass over ops,
 * sim/db/db_digest.c); snapshot tables (buddy_snapshots, slabinfo) give each
 * bucket the last snapshot taken in it (null when none).  So the size of the
 * page depends on the numbers of buckets, caches, zones and CPUs, never on
 * the length of the run, and the rows are streamed, never held.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define RP_TOP_CACHES 30		/* caches in the levels table */
#define RP_BUSIEST 6			/* caches with a levels-over-time chart */
#define RP_SLAB_LINES 5			/* caches with their own slab pages line */
#define RP_ORDERS 11			/* buddy orders 0..MAX_ORDER-1 (6.1) */
#define RP_TOP_LOCKS 15
#define RP_TOP_SITES 20
#define RP_VIOLATIONS 50

void report_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void rp_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.4g", v);
}

/* [v[0], v[stride], ...] of n values. */
static void rp_series_u32(FILE *f, const uint32_t *v, size_t stride, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? "," : "", v[(size_t)i * stride]);
	fputc(']', f);
}

static void rp_series_dbl(FILE *f, const double *v, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		rp_num(f, v[i]);
	}
	fputc(']', f);
}

/* Indexes of the n caches with the largest key (ties: lower id), into top[]; the number found. */
static int rp_top_caches(const struct sim_digest *d, int n, int64_t (*key)(const struct sim_digest_cache *),
			 int *top)
{
	int found = 0;

	for (int i = 0; i < d->nr_caches; i++) {
		int64_t k = key(&d->caches[i]);
		int at = found;

		if (!d->caches[i].name || k <= 0)
			continue;
		while (at > 0 && key(&d->caches[top[at - 1]]) < k)
			at--;
		if (at >= n)
			continue;
		if (found < n)
			found++;
		memmove(&top[at + 1], &top[at], (size_t)(found - 1 - at) * sizeof(*top));
		top[at] = i;
	}
	return found;
}

static int64_t rp_key_ops(const struct sim_digest_cache *c)
{
	return (int64_t)(c->nr_alloc + c->nr_free);
}

static int64_t rp_key_allocs(const struct sim_digest_cache *c)
{
	return (int64_t)c->nr_alloc;
}

static int64_t rp_key_pages(const struct sim_digest_cache *c)
{
	return c->slab_pages_peak;
}

static bool rp_has(struct sim_db *db, const char *sql)
{
	struct sim_db_stmt *st = sim_db_prepare(db, sql);
	bool has = st && sim_db_step(st) == SIM_DB_ROW && sim_db_column_int64(st, 0) > 0;

	sim_db_finalize(st);
	return has;
}

/* The time of the last snapshot in each bucket (-1: none) of `table`. */
static int rp_snap_times(struct sim_db *db, const struct sim_digest *d, const char *table, int64_t *last)
{
	char sql[128];
	struct sim_db_stmt *st;
	int rc;

	for (int b = 0; b < d->nr_buckets; b++)
		last[b] = -1;
	snprintf(sql, sizeof(sql), "SELECT DISTINCT time_ns FROM %s ORDER BY time_ns", table);
	st = sim_db_prepare(db, sql);
	if (!st)
		return -1;
	while ((rc = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t t = sim_db_column_int64(st, 0);

		last[sim_digest_bucket(d, (uint64_t)t)] = t;
	}
	sim_db_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Free pages per populated zone, and the unusable free space index per order (all zones). */
static int rp_buddy(struct sim_db *db, const struct sim_digest *d, FILE *f)
{
	int nb = d->nr_buckets, nz = d->nr_nodes * SIM_DIGEST_NR_ZONES, rc = -1, first = 1;
	int64_t *last = calloc((size_t)nb, sizeof(*last));
	double *free_pages = calloc((size_t)nb * (size_t)nz, sizeof(*free_pages));
	double *blocks = calloc((size_t)nb * RP_ORDERS, sizeof(*blocks)), *v = calloc((size_t)nb, sizeof(*v));
	static const char *const zn[SIM_DIGEST_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };
	struct sim_db_stmt *st = NULL;

	if (!last || !free_pages || !blocks || !v || rp_snap_times(db, d, "buddy_snapshots", last))
		goto out;
	st = sim_db_prepare(db, "SELECT time_ns, node, zone, \"order\", sum(nr_free) FROM buddy_snapshots"
			    " GROUP BY time_ns, node, zone, \"order\"");
	if (!st)
		goto out;
	while ((rc = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t t = sim_db_column_int64(st, 0), n = sim_db_column_int64(st, 4);
		int b = sim_digest_bucket(d, (uint64_t)t), node = (int)sim_db_column_int64(st, 1);
		int z = (int)sim_db_column_int64(st, 2), o = (int)sim_db_column_int64(st, 3);

		if (last[b] != t || node < 0 || node >= d->nr_nodes || z < 0 || z >= SIM_DIGEST_NR_ZONES ||
		    o < 0 || o >= RP_ORDERS)
			continue;
		free_pages[(size_t)(node * SIM_DIGEST_NR_ZONES + z) * (size_t)nb + (size_t)b] += (double)(n << o);
		blocks[(size_t)b * RP_ORDERS + (size_t)o] += (double)n;
	}
	if (rc < 0)
		goto out;
	fputs(",\n\"free_pages\":{\"names\":[", f);
	for (int i = 0; i < nz; i++)
		if (d->zones[i].populated) {
			fprintf(f, "%s\"node %d %s\"", first ? "" : ",", i / SIM_DIGEST_NR_ZONES,
				zn[i % SIM_DIGEST_NR_ZONES]);
			first = 0;
		}
	fputs("],\"series\":[", f);
	first = 1;
	for (int i = 0; i < nz; i++) {
		if (!d->zones[i].populated)
			continue;
		for (int b = 0; b < nb; b++)
			v[b] = last[b] < 0 ? NAN : free_pages[(size_t)i * (size_t)nb + (size_t)b];
		fputs(first ? "" : ",", f);
		rp_series_dbl(f, v, nb);
		first = 0;
	}
	/* the kernel's unusable free space index (mm/vmstat.c unusable_free_index), all zones */
	fputs("]},\n\"frag\":{\"names\":[", f);
	for (int o = 1; o < RP_ORDERS; o++)
		fprintf(f, "%s\"order %d\"", o > 1 ? "," : "", o);
	fputs("],\"series\":[", f);
	for (int o = 1; o < RP_ORDERS; o++) {
		for (int b = 0; b < nb; b++) {
			double total = 0, suitable = 0;

			for (int j = 0; j < RP_ORDERS; j++) {
				total += blocks[(size_t)b * RP_ORDERS + (size_t)j] * (double)(1 << j);
				if (j >= o)
					suitable += blocks[(size_t)b * RP_ORDERS + (size_t)j] * (double)(1 << j);
			}
			v[b] = last[b] < 0 || total <= 0 ? NAN : (total - suitable) / total;
		}
		fputs(o > 1 ? "," : "", f);
		rp_series_dbl(f, v, nb);
	}
	fputs("]}", f);
	rc = 0;
out:
	sim_db_finalize(st);
	free(last);
	free(free_pages);
	free(blocks);
	free(v);
	return rc;
}

/* Slab pages over time: all caches, and the caches with the most at their peak. */
static int rp_slab_pages(struct sim_db *db, const struct sim_digest *d, FILE *f)
{
	int nb = d->nr_buckets, top[RP_SLAB_LINES], nt = rp_top_caches(d, RP_SLAB_LINES, rp_key_pages, top), rc = -1;
	int64_t *last = calloc((size_t)nb, sizeof(*last));
	double *pages = calloc((size_t)nb * (RP_SLAB_LINES + 1), sizeof(*pages));
	struct sim_db_stmt *st = NULL;

	if (!last || !pages || !rp_has(db, "SELECT count(*) FROM sqlite_master WHERE name = 'slabinfo'")) {
		rc = last && pages ? 0 : -1;
		goto out;
	}
	if (rp_snap_times(db, d, "slabinfo", last))
		goto out;
	st = sim_db_prepare(db, "SELECT time_ns, cache, num_slabs * pagesperslab FROM slabinfo");
	if (!st)
		goto out;
	while ((rc = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t t = sim_db_column_int64(st, 0), n = sim_db_column_int64(st, 2);
		int b = sim_digest_bucket(d, (uint64_t)t), cache = (int)sim_db_column_int64(st, 1);

		if (last[b] != t)
			continue;
		pages[b] += (double)n;
		for (int i = 0; i < nt; i++)
			if (top[i] == cache)
				pages[(size_t)(i + 1) * (size_t)nb + (size_t)b] += (double)n;
	}
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < (size_t)nb * (RP_SLAB_LINES + 1); i++)
		if (last[i % (size_t)nb] < 0)
			pages[i] = NAN;
	fputs(",\n\"slab_pages\":{\"names\":[\"all caches\"", f);
	for (int i = 0; i < nt; i++) {
		fputc(',', f);
		report_json_str(f, d->caches[top[i]].name);
	}
	fputs("],\"series\":[", f);
	for (int i = 0; i <= nt; i++) {
		fputs(i ? "," : "", f);
		rp_series_dbl(f, &pages[(size_t)i * (size_t)nb], nb);
	}
	fputs("]}", f);
	rc = 0;
out:
	sim_db_finalize(st);
	free(last);
	free(pages);
	return rc;
}

/* Rows of `sql` as an array of objects, columns named as the query names them. */
static int rp_rows(struct sim_db *db, const char *key, const char *sql, int ncols, const char *const *cols,
		   const bool *text, FILE *f)
{
	struct sim_db_stmt *st = sim_db_prepare(db, sql);
	int rc, n = 0;

	if (!st)
		return -1;
	fprintf(f, ",\n\"%s\":[", key);
	while ((rc = sim_db_step(st)) == SIM_DB_ROW) {
		fputs(n++ ? ",\n{" : "{", f);
		for (int c = 0; c < ncols; c++) {
			fprintf(f, "%s\"%s\":", c ? "," : "", cols[c]);
			if (text[c])
				report_json_str(f, sim_db_column_text(st, c));
			else if (!sim_db_column_text(st, c))
				fputs("null", f);
			else
				rp_num(f, sim_db_column_double(st, c));
		}
		fputc('}', f);
	}
	fputc(']', f);
	sim_db_finalize(st);
	return rc < 0 ? -1 : 0;
}

static int rp_tables(struct sim_db *db, FILE *f)
{
	static const char *const zone_cols[] = { "node", "zone", "present", "managed", "free" };
	static const bool zone_text[] = { false, true, false, false, false };
	static const char *const lock_cols[] = { "name", "acquisitions", "contended", "wait_ns", "max_wait_ns", "hold_ns" };
	static const bool lock_text[] = { true, false, false, false, false, false };
	static const char *const site_cols[] = { "call_site", "allocs", "slow", "slow_pct", "mean_ns" };
	static const bool site_text[] = { true, false, false, false, false };
	static const char *const viol_cols[] = { "time_ns", "invariant", "detail" };
	static const bool viol_text[] = { false, true, true };
	char sql[512];

	if (rp_rows(db, "zones", "SELECT node, name, present, managed, free FROM zones WHERE populated"
		    " ORDER BY node, zone", 5, zone_cols, zone_text, f))
		return -1;
	snprintf(sql, sizeof(sql), "SELECT name, acquisitions, contended, wait_ns, max_wait_ns, hold_ns FROM locks"
		 " WHERE acquisitions > 0 ORDER BY wait_ns DESC, contended DESC, acquisitions DESC, lock LIMIT %d",
		 RP_TOP_LOCKS);
	if (rp_rows(db, "locks", sql, 6, lock_cols, lock_text, f))
		return -1;
	/* call sites: table callsites and ops.callsite of a replay (kmemsim callsites); a
	 * synthetic run has the table, empty */
	if (rp_has(db, "SELECT count(*) FROM op_counts")) {	/* --log aggregate */
		fputs(",\n\"callsites_note\":\"this run was made with --log aggregate, which counts operations"
		      " without their call site (kmemsim replay --log ops keeps them)\"", f);
	} else if (rp_has(db, "SELECT count(*) FROM sqlite_master WHERE name = 'callsites'") &&
	    rp_has(db, "SELECT count(*) FROM pragma_table_info('ops') WHERE name = 'callsite'") &&
	    rp_has(db, "SELECT count(*) FROM callsites")) {
		snprintf(sql, sizeof(sql), "SELECT c.text, count(*), sum(o.level >= 2), 100.0 * avg(o.level >= 2),"
			 " avg(o.latency_ns) FROM ops o JOIN callsites c ON c.callsite = o.callsite"
			 " WHERE o.kind = (SELECT kind FROM op_kinds WHERE name = 'obj_alloc')"
			 " GROUP BY o.callsite ORDER BY 3 DESC, 2 DESC, 1 LIMIT %d",
			 RP_TOP_SITES);
		if (rp_rows(db, "callsites", sql, 5, site_cols, site_text, f))
			return -1;
	} else {
		fputs(",\n\"callsites_note\":\"this run recorded no call sites (table callsites and column"
		      " ops.callsite): they are kept by kmemsim replay of a trace whose events name their call site\"", f);
	}
	snprintf(sql, sizeof(sql), "SELECT time_ns, invariant, detail FROM violations ORDER BY time_ns, seq LIMIT %d",
		 RP_VIOLATIONS);
	if (rp_rows(db, "violations", sql, 3, viol_cols, viol_text, f))
		return -1;
	{
		struct sim_db_stmt *st = sim_db_prepare(db, "SELECT count(*) FROM violations");

		if (!st || sim_db_step(st) != SIM_DB_ROW) {
			sim_db_finalize(st);
			return -1;
		}
		fprintf(f, ",\n\"nr_violations\":%lld", (long long)sim_db_column_int64(st, 0));
		sim_db_finalize(st);
	}
	return 0;
}

static void rp_caches(const struct sim_digest *d, FILE *f)
{
	int top[RP_TOP_CACHES], n = rp_top_caches(d, RP_TOP_CACHES, rp_key_ops, top);

	fputs(",\n\"caches\":[", f);
	for (int i = 0; i < n; i++) {
		const struct sim_digest_cache *c = &d->caches[top[i]];
		uint64_t ops = c->nr_alloc + c->nr_free;

		fputs(i ? ",\n{\"name\":" : "{\"name\":", f);
		report_json_str(f, c->name);
		fprintf(f, ",\"allocs\":%llu,\"frees\":%llu,\"levels\":[%llu,%llu,%llu,%llu,%llu],\"mean_ns\":",
			(unsigned long long)c->nr_alloc, (unsigned long long)c->nr_free,
			(unsigned long long)c->level[1], (unsigned long long)c->level[2],
			(unsigned long long)c->level[3], (unsigned long long)c->level[4],
			(unsigned long long)c->level[5]);
		rp_num(f, ops ? (double)c->lat_sum / (double)ops : NAN);
		fputs(",\"p99_ns\":", f);
		rp_num(f, c->lat_p99 == SIM_DIGEST_NO_P99 ? NAN : (double)c->lat_p99);	/* aggregate: null */
		fprintf(f, ",\"lock_wait_ns\":%llu,\"pages_peak\":%lld,\"pages_final\":%lld}",
			(unsigned long long)c->lock_wait_ns,
			(long long)c->slab_pages_peak, (long long)c->slab_pages_final);
	}
	fputs("],\n\"busiest\":[", f);
	n = rp_top_caches(d, RP_BUSIEST, rp_key_allocs, top);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",\n{\"name\":" : "{\"name\":", f);
		report_json_str(f, d->caches[top[i]].name);
		fputs(",\"levels\":[", f);
		for (int l = 1; l <= 5; l++) {
			fputs(l > 1 ? "," : "", f);
			rp_series_u32(f, d->caches[top[i]].bucket_level + l, 6, d->nr_buckets);
		}
		fputs("]}", f);
	}
	fputc(']', f);
}

static void rp_run(const char *path, struct sim_db *db, const struct sim_digest *d, FILE *f)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT scenario_path FROM runs");

	fputs("{\"run\":{\"db\":", f);
	report_json_str(f, path);
	fputs(",\"allocator\":", f);
	report_json_str(f, d->allocator);
	fputs(",\"kernel\":", f);
	report_json_str(f, d->kernel);
	fputs(",\"name\":", f);
	report_json_str(f, d->name);
	fputs(",\"description\":", f);
	report_json_str(f, d->description);
	fputs(",\"scenario_path\":", f);
	report_json_str(f, st && sim_db_step(st) == SIM_DB_ROW ? sim_db_column_text(st, 0) : NULL);
	sim_db_finalize(st);
	fputs(",\"seed\":", f);
	report_json_str(f, d->seed_hex);
	fputs(",\"version\":", f);
	report_json_str(f, d->version);
	fprintf(f, ",\"nodes\":%d,\"cpus\":%d,\"sim_ns\":%llu,\"ops\":%llu,\"aggregate\":%s},\n\"t_ms\":[",
		d->nr_nodes, d->nr_cpus, (unsigned long long)d->sim_ns, (unsigned long long)d->nr_ops,
		d->aggregate ? "true" : "false");
	for (int b = 0; b < d->nr_buckets; b++)
		fprintf(f, "%s%.3f", b ? "," : "", ((double)b + 0.5) * ((double)d->sim_ns + 1) / d->nr_buckets / 1e6);
	fputs("]", f);
}

int report_run_json(const char *path, const struct sim_digest *d, FILE *f, FILE *err)
{
	struct sim_db *db = sim_db_open_existing(path, err);
	int rc = SIM_EFAIL;

	if (!db)
		return SIM_EFAIL;
	rp_run(path, db, d, f);
	rp_caches(d, f);
	fputs(",\n\"cpu_slow\":[", f);
	for (int c = 0; c < d->nr_cpus; c++) {
		fputs(c ? "," : "", f);
		rp_series_u32(f, d->cpu_slow + c, (size_t)d->nr_cpus, d->nr_buckets);
	}
	fputs("],\n\"lock_wait\":[", f);
	for (int b = 0; b < d->nr_buckets; b++)
		fprintf(f, "%s%llu", b ? "," : "", (unsigned long long)d->bucket_lock_wait[b]);
	fputc(']', f);
	if (!rp_buddy(db, d, f) && !rp_slab_pages(db, d, f) && !rp_tables(db, f))
		rc = 0;
	fputs("}", f);
	sim_db_close(db, true, err);
	return rc;
}
