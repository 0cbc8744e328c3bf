/*
 * cmd_diff.c - `kmemsim diff A.db B.db`: two runs side by side (docs/diff.md).
 *
 * Each database is digested in one pass (sim_digest_read, sim/db/db_digest.c);
 * caches are matched by name, zones by node and zone.  Every cache and zone gets
 * three rows: A, B and B-A.  The difference that orders them is the change in
 * busy time, the simulated time spent inside the cache's (or zone's) operations
 * (sum of latency_ns): it weighs a change of cost by how often it is paid, in
 * one unit for every cache.  Ties go to the larger change in peak slab pages,
 * then to the name.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diff.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define DIFF_TOP_DEFAULT 20

int sim_diff_digest(const char *path, int nr_buckets, struct sim_digest *d, FILE *err)
{
	struct sim_db *db = sim_db_open_existing(path, err);
	int rc;

	memset(d, 0, sizeof(*d));
	if (!db)			/* the line is printed: "path: not a kmemsim database ..." */
		return SIM_EBADINPUT;
	rc = sim_digest_read(db, nr_buckets, d) ? SIM_EFAIL : 0;
	sim_db_close(db, true, err);
	if (rc)
		sim_digest_free(d);
	return rc;
}

/* Digesting B on a thread of its own while A is digested: each is one pass over its ops. */
struct diff_job {
	const char *path;
	int nr_buckets, rc;
	struct sim_digest *d;
	FILE *err;
};

static void *diff_job_run(void *arg)
{
	struct diff_job *j = arg;

	j->rc = sim_diff_digest(j->path, j->nr_buckets, j->d, j->err);
	return NULL;
}

int sim_diff_digest2(const char *a_path, const char *b_path, int nr_buckets,
		     struct sim_digest *a, struct sim_digest *b, FILE *err)
{
	struct diff_job jb = { b_path, nr_buckets, 0, b, err };
	pthread_t t;
	bool threaded = !pthread_create(&t, NULL, diff_job_run, &jb);
	int rc;

	if (!threaded)
		diff_job_run(&jb);
	rc = sim_diff_digest(a_path, nr_buckets, a, err);
	if (threaded)
		pthread_join(t, NULL);
	if (rc || jb.rc) {
		sim_digest_free(a);
		sim_digest_free(b);
		return rc ? rc : jb.rc;
	}
	return 0;
}

/* One cache (or zone) of both runs; a or b NULL when it is on one side only. */
struct diff_pair {
	const char *name;
	const struct sim_digest_cache *a, *b;
	const struct sim_digest_zone *za, *zb;
	int node, zone;
	long long key, key2;		/* |B-A| of busy time, of peak slab pages */
};

static long long diff_abs(long long v)
{
	return v < 0 ? -v : v;
}

static int diff_cmp(const void *x, const void *y)
{
	const struct diff_pair *p = x, *q = y;

	if (p->key != q->key)
		return p->key < q->key ? 1 : -1;
	if (p->key2 != q->key2)
		return p->key2 < q->key2 ? 1 : -1;
	if (p->name && q->name)
		return strcmp(p->name, q->name);
	return (p->node * SIM_DIGEST_NR_ZONES + p->zone) - (q->node * SIM_DIGEST_NR_ZONES + q->zone);
}

static const struct sim_digest_cache *diff_find(const struct sim_digest *d, const char *name)
{
	for (int i = 0; i < d->nr_caches; i++)
		if (d->caches[i].name && !strcmp(d->caches[i].name, name))
			return &d->caches[i];
	return NULL;
}

static long long diff_busy(const struct sim_digest_cache *c)
{
	return c ? (long long)c->lat_sum : 0;
}

/* Matched caches, ranked; *n their number.  NULL when out of memory. */
static struct diff_pair *diff_caches(const struct sim_digest *a, const struct sim_digest *b, int *n)
{
	struct diff_pair *p = calloc((size_t)a->nr_caches + (size_t)b->nr_caches + 1, sizeof(*p));

	*n = 0;
	if (!p)
		return NULL;
	for (int i = 0; i < a->nr_caches; i++)
		if (a->caches[i].name)
			p[(*n)++] = (struct diff_pair){ .name = a->caches[i].name, .a = &a->caches[i],
							.b = diff_find(b, a->caches[i].name) };
	for (int i = 0; i < b->nr_caches; i++)
		if (b->caches[i].name && !diff_find(a, b->caches[i].name))
			p[(*n)++] = (struct diff_pair){ .name = b->caches[i].name, .b = &b->caches[i] };
	for (int i = 0; i < *n; i++) {
		long long pa = p[i].a && p[i].a->slab_pages_peak > 0 ? p[i].a->slab_pages_peak : 0;
		long long pb = p[i].b && p[i].b->slab_pages_peak > 0 ? p[i].b->slab_pages_peak : 0;

		p[i].key = diff_abs(diff_busy(p[i].b) - diff_busy(p[i].a));
		p[i].key2 = diff_abs(pb - pa);
	}
	qsort(p, (size_t)*n, sizeof(*p), diff_cmp);
	return p;
}

/* Populated zones of either run, ranked. */
static struct diff_pair *diff_zones(const struct sim_digest *a, const struct sim_digest *b, int *n)
{
	int nodes = a->nr_nodes > b->nr_nodes ? a->nr_nodes : b->nr_nodes;
	struct diff_pair *p = calloc((size_t)nodes * SIM_DIGEST_NR_ZONES + 1, sizeof(*p));

	*n = 0;
	if (!p)
		return NULL;
	for (int nd = 0; nd < nodes; nd++)
		for (int z = 0; z < SIM_DIGEST_NR_ZONES; z++) {
			const struct sim_digest_zone *za = nd < a->nr_nodes ? &a->zones[nd * SIM_DIGEST_NR_ZONES + z] : NULL;
			const struct sim_digest_zone *zb = nd < b->nr_nodes ? &b->zones[nd * SIM_DIGEST_NR_ZONES + z] : NULL;

			if (za && !za->populated)
				za = NULL;
			if (zb && !zb->populated)
				zb = NULL;
			if (!za && !zb)
				continue;
			p[*n] = (struct diff_pair){ .za = za, .zb = zb, .node = nd, .zone = z,
				.key = diff_abs((zb ? (long long)zb->lat_sum : 0) - (za ? (long long)za->lat_sum : 0)) };
			(*n)++;
		}
	qsort(p, (size_t)*n, sizeof(*p), diff_cmp);
	return p;
}

static double diff_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The figures of one row: a cache's or a zone's, or B-A of two. */
#define DIFF_MAX_VALS 14
struct diff_vals {
	int n;
	double v[DIFF_MAX_VALS];
	bool have[DIFF_MAX_VALS];
	int decimals[DIFF_MAX_VALS];
};

static void diff_put(struct diff_vals *x, double v, bool have, int decimals)
{
	x->v[x->n] = v;
	x->have[x->n] = have;
	x->decimals[x->n++] = decimals;
}

static void diff_cache_vals(const struct sim_digest_cache *c, struct diff_vals *x)
{
	uint64_t n = c ? c->nr_alloc + c->nr_free : 0;

	memset(x, 0, sizeof(*x));
	diff_put(x, (double)n, c, 0);
	for (int l = 1; l <= 5; l++)
		diff_put(x, c ? diff_pct(c->level[l], c->nr_alloc) : 0, c && c->nr_alloc, 1);
	diff_put(x, c ? (double)c->slab_pages_peak : 0, c && c->slab_pages_peak >= 0, 0);
	diff_put(x, c ? (double)c->slab_pages_final : 0, c && c->slab_pages_final >= 0, 0);
	diff_put(x, n ? (double)c->lat_sum / (double)n : 0, n, 1);
	diff_put(x, c ? (double)c->lat_p99 : 0, n && c->lat_p99 != SIM_DIGEST_NO_P99, 0);	/* aggregate: - */
	diff_put(x, c ? (double)c->lock_wait_ns : 0, c, 0);
	diff_put(x, (double)diff_busy(c), c, 0);
}

static void diff_zone_vals(const struct sim_digest_zone *z, struct diff_vals *x)
{
	uint64_t n = z ? z->nr_alloc + z->nr_free : 0;

	memset(x, 0, sizeof(*x));
	diff_put(x, z ? (double)z->nr_alloc : 0, z, 0);
	diff_put(x, z ? (double)z->nr_free : 0, z, 0);
	for (int l = 1; l <= 5; l++)
		diff_put(x, z ? diff_pct(z->level[l], z->nr_alloc) : 0, z && z->nr_alloc, 1);
	diff_put(x, z ? (double)z->refills : 0, z, 0);
	diff_put(x, z ? (double)z->drains : 0, z, 0);
	diff_put(x, z ? (double)z->free_min : 0, z && z->free_min >= 0, 0);
	diff_put(x, z ? (double)z->free_final : 0, z && z->free_final >= 0, 0);
	diff_put(x, n ? (double)z->lat_sum / (double)n : 0, n, 1);
	diff_put(x, z ? (double)z->lock_wait_ns : 0, z, 0);
	diff_put(x, z ? (double)z->lat_sum : 0, z, 0);
}

/* The cells of x, or of y - x when y is given (a figure missing on either side is NULL). */
static void diff_cells(struct out_doc *o, const struct diff_vals *x, const struct diff_vals *y)
{
	for (int i = 0; i < x->n; i++) {
		bool have = x->have[i] && (!y || y->have[i]);
		double v = y ? y->v[i] - x->v[i] : x->v[i];

		if (x->decimals[i] && v > -0.05 && v < 0.05)
			v = 0;			/* no "-0.0" */

		if (!have)
			out_cell_null(o);
		else if (x->decimals[i])
			out_cell_real(o, v, x->decimals[i]);
		else
			out_cell_int(o, (long long)v);
	}
	out_row_end(o);
}

/* A, B and (when both have it) B-A rows of a cache. */
static void diff_cache_rows(struct out_doc *o, const struct diff_pair *p)
{
	struct diff_vals va, vb;

	diff_cache_vals(p->a, &va);
	diff_cache_vals(p->b, &vb);
	out_cell_text(o, p->name);
	out_cell_text(o, "A");
	diff_cells(o, &va, NULL);
	out_cell_text(o, p->name);
	out_cell_text(o, "B");
	diff_cells(o, &vb, NULL);
	if (p->a && p->b) {
		out_cell_text(o, p->name);
		out_cell_text(o, "B-A");
		diff_cells(o, &va, &vb);
	}
}

static void diff_zone_rows(struct out_doc *o, const struct diff_pair *p)
{
	static const char *const zn[SIM_DIGEST_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };
	static const char *const run[3] = { "A", "B", "B-A" };
	struct diff_vals va, vb;

	diff_zone_vals(p->za, &va);
	diff_zone_vals(p->zb, &vb);
	for (int r = 0; r < (p->za && p->zb ? 3 : 2); r++) {
		out_cell_int(o, p->node);
		out_cell_text(o, zn[p->zone]);
		out_cell_text(o, run[r]);
		diff_cells(o, r == 1 ? &vb : &va, r == 2 ? &vb : NULL);
	}
}

static void diff_run_row(struct out_doc *o, const char *run, const char *path, const struct sim_digest *d)
{
	out_cell_text(o, run);
	out_cell_text(o, path);
	out_cell_text(o, d->allocator);
	out_cell_text(o, d->kernel);
	out_cell_text(o, d->description && *d->description ? d->description : d->name);
	out_cell_text(o, d->seed_hex);
	out_cell_int(o, d->nr_nodes);
	out_cell_int(o, d->nr_cpus);
	out_cell_int(o, (long long)d->sim_ns);
	out_cell_int(o, (long long)d->nr_ops);
	out_row_end(o);
}

int sim_diff_write(const char *a_path, const struct sim_digest *a, const char *b_path,
		   const struct sim_digest *b, int top, enum out_format fmt, FILE *out)
{
	static const char *const run_cols[] = { "run", "db", "allocator", "kernel", "workload", "seed", "nodes",
						"cpus", "sim_ns", "ops" };
	static const char *const cache_cols[] = { "cache", "run", "ops", "l1_pct", "l2_pct", "l3_pct", "l4_pct",
						  "l5_pct", "slab_pages_peak", "slab_pages_final", "mean_ns",
						  "p99_ns", "lock_wait_ns", "busy_ns" };
	static const char *const side_cols[] = { "cache", "only_in", "ops", "slab_pages_final" };
	static const char *const zone_cols[] = { "node", "zone", "run", "page_allocs", "page_frees", "l1_pct",
						 "l2_pct", "l3_pct", "l4_pct", "l5_pct", "refills", "drains",
						 "free_pages_min", "free_pages_final", "mean_ns", "lock_wait_ns", "busy_ns" };
	struct out_doc *o = out_doc_begin(out, fmt);
	int nc = 0, nz = 0, rc;
	struct diff_pair *pc = diff_caches(a, b, &nc), *pz = diff_zones(a, b, &nz);
	char title[160];

	if (!o || !pc || !pz) {
		free(pc);
		free(pz);
		if (o)
			out_doc_end(o);
		return -1;
	}
	if (strcmp(a->kernel, b->kernel))	/* the first thing to know: different kernels */
		snprintf(title, sizeof(title), "runs (they differ in kernel: A %s, B %s)", a->kernel, b->kernel);
	else
		snprintf(title, sizeof(title), "runs");
	out_table_begin(o, "runs", title, 10, run_cols);
	diff_run_row(o, "A", a_path, a);
	diff_run_row(o, "B", b_path, b);
	out_table_end(o);

	snprintf(title, sizeof(title), "caches, largest difference in busy time first (%d of %d)",
		 top > 0 && top < nc ? top : nc, nc);
	out_table_begin(o, "caches", title, 14, cache_cols);
	for (int i = 0; i < nc && (top <= 0 || i < top); i++)
		diff_cache_rows(o, &pc[i]);
	out_table_end(o);

	out_table_begin(o, "one_side", "caches of one run only", 4, side_cols);
	for (int i = 0; i < nc; i++) {
		const struct sim_digest_cache *c = pc[i].a ? pc[i].a : pc[i].b;

		if (pc[i].a && pc[i].b)
			continue;
		out_cell_text(o, pc[i].name);
		out_cell_text(o, pc[i].a ? "A" : "B");
		out_cell_int(o, (long long)(c->nr_alloc + c->nr_free));
		if (c->slab_pages_final >= 0)
			out_cell_int(o, c->slab_pages_final);
		else
			out_cell_null(o);
		out_row_end(o);
	}
	out_table_end(o);

	out_table_begin(o, "zones", "zones, largest difference in busy time first", 17, zone_cols);
	for (int i = 0; i < nz; i++)
		diff_zone_rows(o, &pz[i]);
	out_table_end(o);
	rc = out_doc_end(o);
	free(pc);
	free(pz);
	return rc;
}

int sim_cli_diff(int argc, char **argv, FILE *out, FILE *err)
{
	const char *pos[2], *format = "table";
	uint64_t top = DIFF_TOP_DEFAULT;
	struct sim_digest a, b;
	enum out_format fmt;
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ "--top", SIM_CLI_U64, &top, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 2, 2, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (out_format_parse(format, &fmt)) {
		fprintf(err, "kmemsim diff: --format: expected table, csv or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	if (top > 100000) {
		fprintf(err, "kmemsim diff: --top: expected at most 100000, got %llu\n", (unsigned long long)top);
		return SIM_EBADINPUT;
	}
	rc = sim_diff_digest2(pos[0], pos[1], 1, &a, &b, err);
	if (rc)
		return rc;
	if (sim_diff_write(pos[0], &a, pos[1], &b, (int)top, fmt, out)) {
		fprintf(err, "kmemsim diff: writing the output failed\n");
		rc = SIM_EFAIL;
	}
	sim_digest_free(&a);
	sim_digest_free(&b);
	return rc;
}
