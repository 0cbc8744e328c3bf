/*
 * validate.c - `kmemsim validate` (validate.h): a replay against the kernel's
 * own counters, over the windows the capture's marks bound.
 *
 * Main entry: sim_validate.  Order of work:
 *   the snapshots (SNAP0/, SNAP1/) and the capture's cache symlinks
 *   -> the replay database (made here unless given) and its marks
 *   -> one row per kernel cache: its window (SLUB: its own "SNAPi cache DIR"
 *      marks; SLAB: the "SNAPi proc/slabinfo" marks) and its model cache(s)
 *   -> one pass over ops: trace line -> simulated time, the model's pcp batches
 *   -> one pass over the counter bumps (sim_slabdb_bumps), each added to its
 *      cache's row when it falls in that row's window
 *   -> state at SNAP1: slabinfo (active objects, slabs, geometry, tunables),
 *      buddyinfo and free pages, from the model's snapshot at the mark
 *   -> table (worst first) and summary, or JSON.
 * docs/fidelity.md defines each number printed.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "validate.h"
#include "../db/db.h"
#include "../replay/replay.h"
#include "../scenario/scenario.h"
#include "../../models/slub/slub.h"
#include "../../traces/capture.h"
#include "../../traces/snapshot.h"

#define VD_MAX_ITEMS 32
#define VD_TARGET_SLUB 3.0
#define VD_TARGET_SLAB 3.0
#define VD_TARGET_REFILL 15.0
#define VD_TARGET_DRAIN 25.0
#define VD_TARGET_FREE 2.0

/* SLAB's counters as the model keeps them (sim_slab_stat_name order) -> slabinfo columns; -1: not compared. */
static const int vd_slab_cols[SIM_SLAB_NR_STAT_ITEMS] = {
	SIM_SI_LISTALLOCS, SIM_SI_GROWN, SIM_SI_REAPED, -1 /* error */, SIM_SI_NODEALLOCS,
	SIM_SI_REMOTEFREES, SIM_SI_ALIENOVERFLOW, SIM_SI_ALLOCHIT, SIM_SI_ALLOCMISS, SIM_SI_FREEHIT,
	SIM_SI_FREEMISS,
};

struct vd_mark {
	int64_t line;
	uint64_t ns;			/* simulated time of the line (vd_line_times) */
	int snap;			/* SNAPi, -1 none */
	char *what;			/* after "SNAPi ": "cache DIR", "proc/slabinfo", "BEGIN"; or the whole text */
};

struct vd_row {
	const char *name;		/* sysfs directory (SLUB) or slabinfo name */
	const struct sim_snap_cache *k0, *k1;	/* counters: SNAP0, SNAP1 */
	const struct sim_snap_cache *si;	/* slabinfo row at SNAP1 */
	int model;			/* first model cache id, -1 none */
	int nr_models;
	int64_t line0, line1;		/* window marks, -1 none */
	uint64_t t0, t1;
	bool windowed;
	int64_t k[VD_MAX_ITEMS], m[VD_MAX_ITEMS];
	int64_t *kc, *mc;		/* [item * nc + cpu] */
	int64_t dist, dist_cpu, volume;
	bool geo_compared, geo_equal;
	char geo[192];			/* what differs, "kernel/model" */
	int64_t k_active, m_active, k_slabs, m_slabs;
	bool have_state;
};

struct vd {
	const struct sim_validate_opts *o;
	FILE *err;
	struct sim_snapshot *s0, *s1;
	struct sim_capture *cap;
	struct sim_db *db;
	const char *db_path;
	char allocator[16];
	bool slab;			/* the run is SLAB's */
	bool kernel_slub_stats;		/* SNAP1 has SLUB counters */
	int nr_items;
	int nc;				/* CPUs of the per-CPU arrays */
	int model_cpus;
	int *vcpu_cpu;			/* model vCPU -> trace CPU */
	struct vd_mark *mark;
	int nr_marks;
	struct vd_row *row;
	int nr_rows;
	int *id_row;			/* model cache id -> row, -1 */
	int nr_ids;
	uint64_t *refill_ns, *drain_ns;	/* the model's pcp batches */
	size_t nr_refill, nr_drain, cap_refill, cap_drain;
	int64_t win_line0, win_line1;	/* pcp window */
	uint64_t win_t0, win_t1;
	struct sim_validate_result res;
	cJSON *nodes;			/* per node: free pages */
	int64_t buddy_dist, buddy_kernel;
	int64_t active_dist, active_kernel;
};

static int vd_bad(struct vd *v, const char *fmt, const char *arg)
{
	fprintf(v->err, "kmemsim validate: ");
	fprintf(v->err, fmt, arg);
	fputc('\n', v->err);
	return SIM_EBADINPUT;
}

/* ----------------------------------------------------------- database */

static bool vd_exists(const char *path)
{
	struct stat st;

	return path && !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The replay database: o->db_path when it exists, else a replay of the capture written there (or to a temporary). */
static int vd_open_db(struct vd *v, char **tmpdir, char **tmpdb)
{
	const struct sim_validate_opts *o = v->o;
	struct sim_replay_opts ro = { .trace = o->capture, .pages = SIM_REPLAY_PAGES_NON_SLAB, .quiet = true,
				      .allocator_set = o->allocator_set, .allocator = o->allocator };
	int rc;

	v->db_path = o->db_path;
	if (!o->allocator_set && v->cap && v->cap->slab_tunables) {	/* the kernel ran SLAB: so does the model */
		ro.allocator_set = true;
		ro.allocator = SIM_ALLOC_SLAB;
	}
	if (!vd_exists(o->db_path)) {
		if (!o->db_path) {
			const char *t = getenv("TMPDIR");

			if (asprintf(tmpdir, "%s/kmemsim-validate-XXXXXX", t && *t ? t : "/tmp") < 0 ||
			    !mkdtemp(*tmpdir) || asprintf(tmpdb, "%s/replay.db", *tmpdir) < 0) {
				fprintf(v->err, "kmemsim validate: cannot make a temporary directory: %s\n",
					strerror(errno));
				return SIM_EFAIL;
			}
			v->db_path = *tmpdb;
		}
		ro.db_path = v->db_path;
		rc = sim_replay(&ro, v->err, v->err);
		if (rc)
			return rc;
	}
	v->db = sim_db_open_existing(v->db_path, v->err);
	return v->db ? 0 : SIM_EBADINPUT;
}

/* First row of a one-row query into ints; false when no row. */
static bool vd_query_ints(struct vd *v, const char *sql, int64_t *out, int n)
{
	struct sim_db_stmt *st = sim_db_prepare(v->db, sql);
	bool ok = false;

	if (st && sim_db_step(st) == SIM_DB_ROW) {
		for (int i = 0; i < n; i++)
			out[i] = sim_db_column_int64(st, i);
		ok = true;
	}
	sim_db_finalize(st);
	return ok;
}

static int vd_read_run(struct vd *v)
{
	struct sim_db_stmt *st = sim_db_prepare(v->db, "SELECT allocator, nr_cpus FROM runs");
	int64_t n[1];

	if (!st || sim_db_step(st) != SIM_DB_ROW) {
		sim_db_finalize(st);
		return vd_bad(v, "%s: not a kmemsim database (no runs row)", v->db_path);
	}
	snprintf(v->allocator, sizeof(v->allocator), "%s",
		 sim_db_column_text(st, 0) ? sim_db_column_text(st, 0) : "?");
	v->model_cpus = (int)sim_db_column_int64(st, 1);
	sim_db_finalize(st);
	v->slab = !strcmp(v->allocator, "slab");
	if (strcmp(v->allocator, "slub") && !v->slab)
		return vd_bad(v, "%s: not a slab allocator's run", v->db_path);
	if (!vd_query_ints(v, "SELECT count(*) FROM sqlite_master WHERE name = 'marks'", n, 1) || !n[0])
		return vd_bad(v, "%s: no table marks: not a replay database, or one made before"
			      " kmemsim validate (replay the capture again)", v->db_path);
	if (!vd_query_ints(v, "SELECT log_ops FROM runs", n, 1) || !n[0])
		return vd_bad(v, "%s: the replay was made with --no-log: windows cannot be counted", v->db_path);
	if (v->model_cpus < 1 || v->model_cpus > 4096)
		return vd_bad(v, "%s: runs.nr_cpus is out of range", v->db_path);
	v->vcpu_cpu = malloc((size_t)v->model_cpus * sizeof(*v->vcpu_cpu));
	if (!v->vcpu_cpu)
		return SIM_EFAIL;
	for (int c = 0; c < v->model_cpus; c++)
		v->vcpu_cpu[c] = c;
	st = sim_db_prepare(v->db, "SELECT trace_cpu, cpu FROM trace_cpus ORDER BY trace_cpu DESC");
	while (st && sim_db_step(st) == SIM_DB_ROW) {
		int64_t tc = sim_db_column_int64(st, 0), vc = sim_db_column_int64(st, 1);

		if (vc >= 0 && vc < v->model_cpus)
			v->vcpu_cpu[vc] = (int)tc;	/* the lowest trace CPU of a vCPU wins */
	}
	sim_db_finalize(st);
	return 0;
}

/* ------------------------------------------------------------ marks */

static int vd_read_marks(struct vd *v)
{
	struct sim_db_stmt *st = sim_db_prepare(v->db, "SELECT line, text FROM marks ORDER BY line");

	if (!st)
		return SIM_EFAIL;
	while (sim_db_step(st) == SIM_DB_ROW) {
		const char *text = sim_db_column_text(st, 1), *s;
		struct vd_mark *m = realloc(v->mark, (size_t)(v->nr_marks + 1) * sizeof(*m));

		if (!m) {
			sim_db_finalize(st);
			return SIM_EFAIL;
		}
		v->mark = m;
		m = &v->mark[v->nr_marks++];
		m->line = sim_db_column_int64(st, 0);
		m->ns = 0;
		m->snap = -1;
		text = text ? text : "";
		s = strstr(text, "SNAP");
		if (s && (s == text || s[-1] == ' ') && s[4] >= '0' && s[4] <= '9') {
			char *end;
			long n = strtol(s + 4, &end, 10);

			if (*end == ' ') {
				m->snap = (int)n;
				text = end + 1;
			}
		}
		m->what = strdup(text);
		if (!m->what) {
			sim_db_finalize(st);
			return SIM_EFAIL;
		}
	}
	sim_db_finalize(st);
	return 0;
}

/* The line of mark "SNAPi WHAT" (snap -1: a mark whose text ends with WHAT); -1 when none. */
static int64_t vd_mark_line(const struct vd *v, int snap, const char *what)
{
	size_t n = strlen(what);

	for (int i = 0; i < v->nr_marks; i++) {
		const struct vd_mark *m = &v->mark[i];
		size_t l = strlen(m->what);

		if (snap >= 0 ? m->snap == snap && !strcmp(m->what, what) :
		    l >= n && !strcmp(m->what + l - n, what) && (l == n || m->what[l - n - 1] == ' '))
			return m->line;
	}
	return -1;
}

static uint64_t vd_line_ns(const struct vd *v, int64_t line)
{
	for (int i = 0; i < v->nr_marks; i++)
		if (v->mark[i].line == line)
			return v->mark[i].ns;
	return UINT64_MAX;
}

/* ------------------------------------------------------------- rows */

static struct vd_row *vd_row(struct vd *v, const char *name)
{
	struct vd_row *r;

	for (int i = 0; i < v->nr_rows; i++)
		if (!strcmp(v->row[i].name, name))
			return &v->row[i];
	r = realloc(v->row, (size_t)(v->nr_rows + 1) * sizeof(*r));
	if (!r)
		return NULL;
	v->row = r;
	r = &v->row[v->nr_rows++];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->model = -1;
	r->line0 = r->line1 = -1;
	return r;
}

static void vd_row_model(struct vd *v, struct vd_row *r, int id)
{
	if (id < 0 || id >= v->nr_ids || v->id_row[id] >= 0)
		return;
	v->id_row[id] = (int)(r - v->row);
	if (r->model < 0 || id < r->model)
		r->model = id;
	r->nr_models++;
}

static int vd_build_rows(struct vd *v)
{
	int64_t n[1];
	struct sim_db_stmt *st;

	v->kernel_slub_stats = false;
	for (int i = 0; i < v->s1->nr_caches; i++) {
		const struct sim_snap_cache *c = &v->s1->cache[i];
		struct vd_row *r;

		if (v->slab ? !c->in_slabinfo : !c->nr_attrs)
			continue;
		if (!(r = vd_row(v, c->name)))
			return SIM_EFAIL;
		r->k1 = c;
		r->k0 = sim_snapshot_cache(v->s0, c->name);
		if (sim_snapshot_attr(c, "alloc_fastpath"))
			v->kernel_slub_stats = true;
	}
	/* slabinfo rows of a SLUB kernel: to their sysfs directory */
	for (int i = 0; i < v->s1->nr_caches; i++) {
		const struct sim_snap_cache *c = &v->s1->cache[i];
		const struct sim_capture_cache *cc;
		struct vd_row *r = NULL;

		if (!c->in_slabinfo)
			continue;
		if (v->slab) {
			r = vd_row(v, c->name);
		} else {
			cc = sim_capture_find_cache(v->cap, c->name);
			if (cc) {
				for (int j = 0; j < v->nr_rows && !r; j++)
					if (!strcmp(v->row[j].name, cc->dir))
						r = &v->row[j];
			} else if (!(r = vd_row(v, c->name))) {
				return SIM_EFAIL;
			}
		}
		if (r && !r->si)
			r->si = c;
	}
	if (!vd_query_ints(v, "SELECT coalesce(max(id), -1) FROM caches", n, 1))
		return SIM_EFAIL;
	v->nr_ids = (int)n[0] + 1;
	v->id_row = malloc((size_t)(v->nr_ids > 0 ? v->nr_ids : 1) * sizeof(*v->id_row));
	if (!v->id_row)
		return SIM_EFAIL;
	for (int i = 0; i < v->nr_ids; i++)
		v->id_row[i] = -1;
	/* model caches: the same name, else the capture directory (SLUB) or trace name (SLAB) */
	for (int q = 0; q < 2; q++) {
		st = sim_db_prepare(v->db, !q ? "SELECT id, name FROM caches ORDER BY id" : v->slab ?
				    "SELECT cache_id, cache FROM trace_caches WHERE cache_id >= 0 ORDER BY cache_id" :
				    "SELECT cache_id, capture_cache FROM trace_caches WHERE capture_cache IS NOT NULL"
				    " AND cache_id >= 0 ORDER BY cache_id");
		while (st && sim_db_step(st) == SIM_DB_ROW) {
			const char *name = sim_db_column_text(st, 1);

			for (int j = 0; name && j < v->nr_rows; j++)
				if (!strcmp(v->row[j].name, name))
					vd_row_model(v, &v->row[j], (int)sim_db_column_int64(st, 0));
		}
		sim_db_finalize(st);
	}

	/* windows */
	for (int i = 0; i < v->nr_rows; i++) {
		struct vd_row *r = &v->row[i];
		char what[300];

		if (v->slab) {
			r->line0 = vd_mark_line(v, 0, "proc/slabinfo");
			r->line1 = vd_mark_line(v, 1, "proc/slabinfo");
		} else {
			snprintf(what, sizeof(what), "cache %s", r->name);
			r->line0 = vd_mark_line(v, 0, what);
			r->line1 = vd_mark_line(v, 1, what);
		}
	}
	v->win_line0 = vd_mark_line(v, -1, "WORKLOAD BEGIN");
	v->win_line1 = vd_mark_line(v, -1, "WORKLOAD END");
	if (v->win_line0 < 0 || v->win_line1 < 0) {
		v->win_line0 = v->win_line1 = -1;
		for (int i = 0; i < v->nr_marks; i++) {
			if (v->mark[i].snap == 0 && v->win_line0 < 0)
				v->win_line0 = v->mark[i].line;
			if (v->mark[i].snap == 1)
				v->win_line1 = v->mark[i].line;
		}
	}
	return 0;
}

/* ------------------------------------------------ the pass over ops */

struct vd_best {
	int64_t line;			/* smallest trace line in the bucket, INT64_MAX none */
	uint64_t ns;			/* smallest time of that line */
};

static int vd_u64_push(uint64_t **a, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		uint64_t *p = realloc(*a, c * sizeof(*p));

		if (!p)
			return -1;
		*a = p;
		*cap = c;
	}
	(*a)[(*n)++] = x;
	return 0;
}

/*
 * One scan of ops: each mark line's simulated time (the earliest start of a
 * top-level operation of the first replayed line at or after it, as
 * `slabstat --from line:N` takes it), and the start times of the model's pcp
 * refills (rmqueue_bulk in the path) and drains (free_pcppages_bulk).
 */
static int vd_scan_ops(struct vd *v)
{
	struct sim_db_stmt *st;
	uint8_t *sig_kind = NULL;
	int64_t nsig[1];
	struct vd_best *best;
	int rc = SIM_EFAIL;

	if (!vd_query_ints(v, "SELECT coalesce(max(sig), -1) FROM path_sigs", nsig, 1))
		return SIM_EFAIL;
	sig_kind = calloc((size_t)(nsig[0] + 2), 1);
	best = malloc((size_t)(v->nr_marks + 1) * sizeof(*best));
	if (!sig_kind || !best)
		goto out;
	for (int i = 0; i < v->nr_marks; i++)
		best[i] = (struct vd_best){ INT64_MAX, UINT64_MAX };
	st = sim_db_prepare(v->db, "SELECT sig, path LIKE '%rmqueue_bulk%', path LIKE '%free_pcppages_bulk%'"
			    " FROM path_sigs");
	while (st && sim_db_step(st) == SIM_DB_ROW) {
		int64_t sig = sim_db_column_int64(st, 0);

		if (sig >= 0 && sig <= nsig[0])
			sig_kind[sig] = sim_db_column_int64(st, 1) ? 1 : sim_db_column_int64(st, 2) ? 2 : 0;
	}
	sim_db_finalize(st);
	st = sim_db_prepare(v->db, "SELECT time_ns, trace_line, parent_seq IS NULL, sig FROM ops");
	if (!st)
		goto out;
	while (sim_db_step(st) == SIM_DB_ROW) {
		uint64_t t = (uint64_t)sim_db_column_int64(st, 0);
		int64_t sig = sim_db_column_text(st, 3) ? sim_db_column_int64(st, 3) : -1;

		if (sim_db_column_text(st, 1) && sim_db_column_int64(st, 2)) {
			int64_t tl = sim_db_column_int64(st, 1);
			int lo = 0, hi = v->nr_marks;

			while (lo < hi) {	/* marks with line <= tl */
				int mid = (lo + hi) / 2;

				if (v->mark[mid].line <= tl)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > 0) {
				struct vd_best *b = &best[lo - 1];

				if (tl < b->line || (tl == b->line && t < b->ns))
					*b = (struct vd_best){ tl, t };
			}
		}
		if (sig >= 0 && sig <= nsig[0] && sig_kind[sig] &&
		    (sig_kind[sig] == 1 ? vd_u64_push(&v->refill_ns, &v->nr_refill, &v->cap_refill, t) :
		     vd_u64_push(&v->drain_ns, &v->nr_drain, &v->cap_drain, t))) {
			sim_db_finalize(st);
			goto out;
		}
	}
	sim_db_finalize(st);
	/* a mark's time: the first bucket at or after it that holds a line */
	for (int i = v->nr_marks - 1; i >= 0; i--) {
		uint64_t next = i + 1 < v->nr_marks ? v->mark[i + 1].ns : UINT64_MAX;

		v->mark[i].ns = best[i].line != INT64_MAX ? best[i].ns : next;
	}
	rc = 0;
out:
	free(sig_kind);
	free(best);
	return rc;
}

/* ------------------------------------------------------- counters */

static void vd_bump(void *arg, uint64_t t, int cache, int cpu, int item, uint64_t n)
{
	struct vd *v = arg;
	struct vd_row *r;

	if (cache < 0 || cache >= v->nr_ids || v->id_row[cache] < 0 || item < 0 || item >= v->nr_items)
		return;
	r = &v->row[v->id_row[cache]];
	if (!r->windowed || t < r->t0 || t >= r->t1)
		return;
	r->m[item] += (int64_t)n;
	if (cpu >= 0 && cpu < v->model_cpus && v->vcpu_cpu[cpu] >= 0 && v->vcpu_cpu[cpu] < v->nc)
		r->mc[item * v->nc + v->vcpu_cpu[cpu]] += (int64_t)n;
}

static int vd_counters(struct vd *v)
{
	v->nr_items = v->slab ? SIM_SLAB_NR_STAT_ITEMS : slub_nr_stat_items();
	v->nc = v->model_cpus;
	for (int i = 0; i < v->nr_rows; i++)
		for (int a = 0; v->row[i].k1 && a < v->row[i].k1->nr_attrs; a++)
			if (v->row[i].k1->attr[a].nr_cpus > v->nc)
				v->nc = v->row[i].k1->attr[a].nr_cpus;
	for (int i = 0; i < v->nr_rows; i++) {
		struct vd_row *r = &v->row[i];

		r->kc = calloc((size_t)(v->nr_items * v->nc), sizeof(*r->kc));
		r->mc = calloc((size_t)(v->nr_items * v->nc), sizeof(*r->mc));
		if (!r->kc || !r->mc)
			return SIM_EFAIL;
		if (r->line0 < 0 || r->line1 < 0 || !r->k1)
			continue;
		r->windowed = true;
		r->t0 = vd_line_ns(v, r->line0);
		r->t1 = vd_line_ns(v, r->line1);
		for (int it = 0; it < v->nr_items; it++) {
			if (v->slab) {
				int col = vd_slab_cols[it];

				if (col >= 0 && r->k1->si[col] >= 0)
					r->k[it] = r->k1->si[col] - (r->k0 && r->k0->si[col] >= 0 ? r->k0->si[col] : 0);
				continue;
			}
			const struct sim_snap_attr *a1 = sim_snapshot_attr(r->k1, slub_stat_name(it));
			const struct sim_snap_attr *a0 = sim_snapshot_attr(r->k0, slub_stat_name(it));

			if (!a1)
				continue;
			r->k[it] = a1->value - (a0 ? a0->value : 0);
			for (int c = 0; c < v->nc; c++)
				r->kc[it * v->nc + c] = (c < a1->nr_cpus ? (int64_t)a1->cpu[c] : 0) -
							(a0 && c < a0->nr_cpus ? (int64_t)a0->cpu[c] : 0);
		}
	}
	if (sim_slabdb_bumps(v->db, 0, UINT64_MAX, -1, vd_bump, v))
		return SIM_EFAIL;
	for (int i = 0; i < v->nr_rows; i++) {
		struct vd_row *r = &v->row[i];

		if (!r->windowed)
			continue;
		for (int it = 0; it < v->nr_items; it++) {
			if (v->slab && vd_slab_cols[it] < 0)
				continue;
			r->dist += llabs(r->k[it] - r->m[it]);
			for (int c = 0; !v->slab && c < v->nc; c++)
				r->dist_cpu += llabs(r->kc[it * v->nc + c] - r->mc[it * v->nc + c]);
		}
		if (v->slab) {
			r->volume = r->k[7] + r->k[8] + r->k[9] + r->k[10];
		} else {
			static const char *const vol[] = { "alloc_fastpath", "alloc_slowpath", "free_fastpath",
							   "free_slowpath" };

			for (int it = 0; it < v->nr_items; it++)
				for (int j = 0; j < 4; j++)
					if (!strcmp(slub_stat_name(it), vol[j]))
						r->volume += r->k[it];
		}
	}
	return 0;
}

/* ------------------------------------------------------ state at SNAP1 */

static void vd_geo(struct vd_row *r, const char *what, int64_t k, int64_t m)
{
	size_t n = strlen(r->geo);

	if (k == m)
		return;
	r->geo_equal = false;
	snprintf(r->geo + n, sizeof(r->geo) - n, "%s%s %lld/%lld", n ? ", " : "", what, (long long)k, (long long)m);
}

static int vd_state(struct vd *v)
{
	int64_t line = vd_mark_line(v, 1, "proc/slabinfo");
	uint64_t t = line >= 0 ? vd_line_ns(v, line) : UINT64_MAX;
	struct sim_db_stmt *st;

	st = sim_db_prepare(v->db, "SELECT s.cache, s.active_objs, s.num_slabs, s.objsize, s.objperslab,"
			    " s.pagesperslab, s.\"limit\", s.batchcount, s.sharedfactor, c.cpu_partial, c.min_partial"
			    " FROM slabinfo s LEFT JOIN caches c ON c.id = s.cache"
			    " WHERE s.time_ns = coalesce((SELECT max(time_ns) FROM slabinfo WHERE time_ns <= ?1),"
			    " (SELECT max(time_ns) FROM slabinfo))");
	if (!st || sim_db_bind_int64(st, 1, t > INT64_MAX ? INT64_MAX : (int64_t)t))
		return SIM_EFAIL;
	while (sim_db_step(st) == SIM_DB_ROW) {
		int id = (int)sim_db_column_int64(st, 0);
		struct vd_row *r;
		const int64_t *si;

		if (id < 0 || id >= v->nr_ids || v->id_row[id] < 0)
			continue;
		r = &v->row[v->id_row[id]];
		if (id != r->model || !r->si)
			continue;
		si = r->si->si;
		r->have_state = true;
		r->k_active = si[SIM_SI_ACTIVE_OBJS];
		r->m_active = sim_db_column_int64(st, 1);
		r->k_slabs = si[SIM_SI_NUM_SLABS];
		r->m_slabs = sim_db_column_int64(st, 2);
		r->geo_compared = r->geo_equal = true;
		r->geo[0] = 0;
		vd_geo(r, "objsize", si[SIM_SI_OBJSIZE], sim_db_column_int64(st, 3));
		vd_geo(r, "objperslab", si[SIM_SI_OBJPERSLAB], sim_db_column_int64(st, 4));
		vd_geo(r, "pagesperslab", si[SIM_SI_PAGESPERSLAB], sim_db_column_int64(st, 5));
		vd_geo(r, "limit", si[SIM_SI_LIMIT], sim_db_column_int64(st, 6));
		vd_geo(r, "batchcount", si[SIM_SI_BATCHCOUNT], sim_db_column_int64(st, 7));
		vd_geo(r, "shared", si[SIM_SI_SHARED], sim_db_column_int64(st, 8));
		if (!v->slab && r->k1) {
			const struct sim_snap_attr *cp = sim_snapshot_attr(r->k1, "cpu_partial");
			const struct sim_snap_attr *mp = sim_snapshot_attr(r->k1, "min_partial");

			if (cp)
				vd_geo(r, "cpu_partial", cp->value, sim_db_column_int64(st, 9));
			if (mp)
				vd_geo(r, "min_partial", mp->value, sim_db_column_int64(st, 10));
		}
	}
	sim_db_finalize(st);
	return 0;
}

/* Buddyinfo and free pages per node at the SNAP1 marks, from the model's snapshot at (or before) each. */
static int vd_zones(struct vd *v)
{
	int64_t lb = vd_mark_line(v, 1, "proc/buddyinfo"), lz = vd_mark_line(v, 1, "proc/zoneinfo");
	uint64_t tb = lb >= 0 ? vd_line_ns(v, lb) : UINT64_MAX, tz = lz >= 0 ? vd_line_ns(v, lz) : UINT64_MAX;
	const char *sql = "SELECT b.node, z.name, b.\"order\", sum(b.nr_free) FROM buddy_snapshots b"
			  " JOIN zones z ON z.node = b.node AND z.zone = b.zone"
			  " WHERE b.time_ns = coalesce((SELECT max(time_ns) FROM buddy_snapshots WHERE time_ns <= ?1),"
			  " (SELECT max(time_ns) FROM buddy_snapshots)) GROUP BY b.node, z.name, b.\"order\"";
	int max_node = -1;
	int64_t *mfree, *kfree, *managed;
	double worst = -1;

	v->res.free_pages_pct = -1;
	for (int i = 0; i < v->s1->nr_zones; i++)
		if (v->s1->zone[i].node > max_node)
			max_node = v->s1->zone[i].node;
	if (max_node < 0)
		return 0;
	mfree = calloc((size_t)(max_node + 1) * 3, sizeof(*mfree));
	if (!mfree)
		return SIM_EFAIL;
	kfree = mfree + max_node + 1;
	managed = kfree + max_node + 1;
	for (int pass = 0; pass < 2; pass++) {
		struct sim_db_stmt *st = sim_db_prepare(v->db, sql);
		uint64_t t = pass ? tz : tb;

		if (!st || sim_db_bind_int64(st, 1, t > INT64_MAX ? INT64_MAX : (int64_t)t)) {
			free(mfree);
			return SIM_EFAIL;
		}
		while (sim_db_step(st) == SIM_DB_ROW) {
			int node = (int)sim_db_column_int64(st, 0), order = (int)sim_db_column_int64(st, 2);
			const char *zone = sim_db_column_text(st, 1);
			int64_t n = sim_db_column_int64(st, 3);

			if (node < 0 || node > max_node || order < 0 || order >= SIM_SNAP_MAX_ORDER || !zone)
				continue;
			if (pass) {
				mfree[node] += n << order;
				continue;
			}
			for (int i = 0; i < v->s1->nr_zones; i++) {
				const struct sim_snap_zone *z = &v->s1->zone[i];

				if (z->node == node && !strcmp(z->zone, zone) && z->have_buddy) {
					z = &v->s1->zone[i];
					v->buddy_dist += llabs((int64_t)z->nr_free[order] - n) << order;
				}
			}
		}
		sim_db_finalize(st);
	}
	for (int i = 0; i < v->s1->nr_zones; i++) {
		const struct sim_snap_zone *z = &v->s1->zone[i];

		if (z->have_free)
			kfree[z->node] += (int64_t)z->pages_free;
		managed[z->node] += (int64_t)z->managed;
		for (int o = 0; z->have_buddy && o < SIM_SNAP_MAX_ORDER; o++) {
			v->buddy_kernel += (int64_t)z->nr_free[o] << o;
			/* a zone the model has no row for counts whole */
		}
	}
	v->nodes = cJSON_CreateArray();
	for (int n = 0; n <= max_node && v->nodes; n++) {
		cJSON *o;
		double pct;

		if (!managed[n])
			continue;
		pct = 100.0 * (double)llabs(kfree[n] - mfree[n]) / (double)managed[n];
		if (pct > worst)
			worst = pct;
		o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, "node", n);
		cJSON_AddNumberToObject(o, "kernel_free_pages", (double)kfree[n]);
		cJSON_AddNumberToObject(o, "model_free_pages", (double)mfree[n]);
		cJSON_AddNumberToObject(o, "managed_pages", (double)managed[n]);
		cJSON_AddNumberToObject(o, "pct_of_node", pct);
		cJSON_AddItemToArray(v->nodes, o);
	}
	v->res.free_pages_pct = worst;
	free(mfree);
	return 0;
}

/* pcp batches in the window: the kernel's from trace_pcp_batches, the model's from the ops scan. */
static int vd_pcp(struct vd *v)
{
	char sql[256];
	int64_t k[2] = { 0, 0 };

	v->res.kernel_refills = v->res.kernel_drains = v->res.model_refills = v->res.model_drains = 0;
	v->res.refill_pct = v->res.drain_pct = -1;
	if (v->win_line0 < 0 || v->win_line1 < 0)
		return 0;
	v->win_t0 = vd_line_ns(v, v->win_line0);
	v->win_t1 = vd_line_ns(v, v->win_line1);
	snprintf(sql, sizeof(sql), "SELECT coalesce(sum(kind = 'refill'), 0), coalesce(sum(kind = 'drain'), 0)"
		 " FROM trace_pcp_batches WHERE line >= %lld AND line < %lld",
		 (long long)v->win_line0, (long long)v->win_line1);
	if (!vd_query_ints(v, sql, k, 2))
		return vd_bad(v, "%s: no table trace_pcp_batches (replay the capture again)", v->db_path);
	v->res.kernel_refills = k[0];
	v->res.kernel_drains = k[1];
	for (size_t i = 0; i < v->nr_refill; i++)
		v->res.model_refills += v->refill_ns[i] >= v->win_t0 && v->refill_ns[i] < v->win_t1;
	for (size_t i = 0; i < v->nr_drain; i++)
		v->res.model_drains += v->drain_ns[i] >= v->win_t0 && v->drain_ns[i] < v->win_t1;
	if (k[0])
		v->res.refill_pct = 100.0 * (double)llabs(k[0] - v->res.model_refills) / (double)k[0];
	if (k[1])
		v->res.drain_pct = 100.0 * (double)llabs(k[1] - v->res.model_drains) / (double)k[1];
	return 0;
}

/* ------------------------------------------------------------ output */

static int vd_row_cmp(const void *a, const void *b)
{
	const struct vd_row *x = a, *y = b;

	if (x->dist != y->dist)
		return x->dist > y->dist ? -1 : 1;
	if (x->geo_equal != y->geo_equal)
		return x->geo_equal ? 1 : -1;
	return strcmp(x->name, y->name);
}

static const char *vd_item_name(const struct vd *v, int it)
{
	return v->slab ? sim_slab_stat_name(it) : slub_stat_name(it);
}

/* The three counters furthest apart: "alloc_slab 93/80, ...". */
static void vd_worst(const struct vd *v, const struct vd_row *r, char *buf, size_t size)
{
	bool used[VD_MAX_ITEMS] = { false };
	size_t n = 0;

	buf[0] = 0;
	for (int k = 0; k < 3; k++) {
		int best = -1;

		for (int it = 0; it < v->nr_items; it++)
			if (!used[it] && r->k[it] != r->m[it] && !(v->slab && vd_slab_cols[it] < 0) &&
			    (best < 0 || llabs(r->k[it] - r->m[it]) > llabs(r->k[best] - r->m[best])))
				best = it;
		if (best < 0)
			break;
		used[best] = true;
		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s %lld/%lld", k ? ", " : "",
				      vd_item_name(v, best), (long long)r->k[best], (long long)r->m[best]);
	}
}

static const char *vd_yes(double pct, double target)
{
	return pct < 0 ? "n/a" : pct <= target ? "yes" : "no";
}

static void vd_print_text(struct vd *v, FILE *out, int64_t tot_v)
{
	const struct sim_validate_result *s = &v->res;
	char worst[256];

	fprintf(out, "kmemsim validate: %s (%s replay %s)\n", v->o->capture, v->allocator, v->db_path);
	fprintf(out, "%-22s %9s %8s %6s %6s %8s %15s %13s  %-9s %s\n", "cache", "volume", "dist", "%vol", "%total",
		v->slab ? "" : "per-cpu", "active k/m", "slabs k/m", "geometry",
		"worst counters kernel/model; geometry kernel/model");
	for (int i = 0; i < v->nr_rows; i++) {
		const struct vd_row *r = &v->row[i];
		char act[48] = "-", sl[48] = "-", cpu[24] = "";

		if (r->have_state) {
			snprintf(act, sizeof(act), "%lld/%lld", (long long)r->k_active, (long long)r->m_active);
			snprintf(sl, sizeof(sl), "%lld/%lld", (long long)r->k_slabs, (long long)r->m_slabs);
		}
		if (!v->slab)
			snprintf(cpu, sizeof(cpu), "%lld", (long long)r->dist_cpu);
		vd_worst(v, r, worst, sizeof(worst));
		fprintf(out, "%-22s %9lld %8lld %5.1f%% %5.2f%% %8s %15s %13s  %-9s %s%s%s%s%s\n", r->name,
			(long long)r->volume, (long long)r->dist,
			r->volume ? 100.0 * (double)r->dist / (double)r->volume : 0.0,
			tot_v ? 100.0 * (double)r->dist / (double)tot_v : 0.0, cpu, act, sl,
			!r->geo_compared ? "-" : r->geo_equal ? "equal" : "differs",
			r->model < 0 ? "(no model cache) " : "", r->windowed ? "" : "(no window) ",
			worst, worst[0] && r->geo[0] ? "; " : "", r->geo);
	}
	if (v->nodes) {
		cJSON *n;

		cJSON_ArrayForEach(n, v->nodes)
			fprintf(out, "free pages node %d at SNAP1: kernel %.0f, model %.0f (%.2f%% of its %.0f pages)\n",
				cJSON_GetObjectItem(n, "node")->valueint,
				cJSON_GetObjectItem(n, "kernel_free_pages")->valuedouble,
				cJSON_GetObjectItem(n, "model_free_pages")->valuedouble,
				cJSON_GetObjectItem(n, "pct_of_node")->valuedouble,
				cJSON_GetObjectItem(n, "managed_pages")->valuedouble);
	}
	if (v->buddy_kernel)
		fprintf(out, "buddyinfo at SNAP1: %lld pages in blocks the model lacks or has extra (%.2f%% of the"
			" kernel's %lld free pages)\n", (long long)v->buddy_dist,
			100.0 * (double)v->buddy_dist / (double)v->buddy_kernel, (long long)v->buddy_kernel);
	if (v->active_kernel)
		fprintf(out, "active objects at SNAP1: %lld apart of the kernel's %lld (%.2f%%)\n",
			(long long)v->active_dist, (long long)v->active_kernel,
			100.0 * (double)v->active_dist / (double)v->active_kernel);
	if (v->slab)
		fprintf(out, "summary: SLAB statistics %.2f%% of hit+miss volume (target <= 3%%: %s);",
			s->slab_pct, vd_yes(s->slab_pct, VD_TARGET_SLAB));
	else if (s->slub_pct >= 0)
		fprintf(out, "summary: SLUB counters %.2f%% of alloc+free volume (target <= 3%%: %s), per-CPU %.2f%%;",
			s->slub_pct, vd_yes(s->slub_pct, VD_TARGET_SLUB), s->slub_cpu_pct);
	else
		fprintf(out, "summary: SLUB counters n/a (the kernel had no SLUB_STATS);");
	fprintf(out, " geometry %d/%d caches equal (target all: %s);", s->nr_geometry_equal, s->nr_geometry,
		s->nr_geometry_equal == s->nr_geometry ? "yes" : "no");
	fprintf(out, " pcp refills %lld/%lld (%.1f%%, target 15%%: %s), drains %lld/%lld (%.1f%%, target 25%%: %s);",
		(long long)s->kernel_refills, (long long)s->model_refills, s->refill_pct,
		vd_yes(s->refill_pct, VD_TARGET_REFILL), (long long)s->kernel_drains, (long long)s->model_drains,
		s->drain_pct, vd_yes(s->drain_pct, VD_TARGET_DRAIN));
	fprintf(out, " free pages worst node %.2f%% (target 2%%: %s)\n", s->free_pages_pct,
		vd_yes(s->free_pages_pct, VD_TARGET_FREE));
}

static int vd_print_json(struct vd *v, FILE *out, int64_t tot_v)
{
	const struct sim_validate_result *s = &v->res;
	cJSON *root = cJSON_CreateObject(), *sum, *caches;
	char *text;

	if (!root)
		return SIM_EFAIL;
	cJSON_AddStringToObject(root, "capture", v->o->capture);
	cJSON_AddStringToObject(root, "database", v->db_path);
	cJSON_AddStringToObject(root, "allocator", v->allocator);
	sum = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(sum, "volume", (double)tot_v);
	if (v->slab) {
		cJSON_AddNumberToObject(sum, "slab_pct", s->slab_pct);
	} else {
		cJSON_AddNumberToObject(sum, "slub_pct", s->slub_pct);
		cJSON_AddNumberToObject(sum, "slub_cpu_pct", s->slub_cpu_pct);
	}
	cJSON_AddNumberToObject(sum, "geometry_caches", s->nr_geometry);
	cJSON_AddNumberToObject(sum, "geometry_equal", s->nr_geometry_equal);
	cJSON_AddNumberToObject(sum, "kernel_refills", (double)s->kernel_refills);
	cJSON_AddNumberToObject(sum, "model_refills", (double)s->model_refills);
	cJSON_AddNumberToObject(sum, "refill_pct", s->refill_pct);
	cJSON_AddNumberToObject(sum, "kernel_drains", (double)s->kernel_drains);
	cJSON_AddNumberToObject(sum, "model_drains", (double)s->model_drains);
	cJSON_AddNumberToObject(sum, "drain_pct", s->drain_pct);
	cJSON_AddNumberToObject(sum, "free_pages_pct", s->free_pages_pct);
	cJSON_AddNumberToObject(sum, "buddy_dist_pages", (double)v->buddy_dist);
	cJSON_AddNumberToObject(sum, "active_objs_dist", (double)v->active_dist);
	cJSON_AddBoolToObject(sum, "targets_met",
			      (v->slab ? s->slab_pct <= VD_TARGET_SLAB : s->slub_pct <= VD_TARGET_SLUB) &&
			      s->nr_geometry_equal == s->nr_geometry && s->refill_pct <= VD_TARGET_REFILL &&
			      s->drain_pct <= VD_TARGET_DRAIN && s->free_pages_pct <= VD_TARGET_FREE);
	if (v->nodes) {
		cJSON_AddItemToObject(root, "nodes", v->nodes);
		v->nodes = NULL;
	}
	caches = cJSON_AddArrayToObject(root, "caches");
	for (int i = 0; i < v->nr_rows; i++) {
		const struct vd_row *r = &v->row[i];
		cJSON *c = cJSON_CreateObject(), *k = cJSON_CreateObject(), *m = cJSON_CreateObject();

		cJSON_AddStringToObject(c, "cache", r->name);
		cJSON_AddNumberToObject(c, "model_cache", r->model);
		cJSON_AddBoolToObject(c, "windowed", r->windowed);
		cJSON_AddNumberToObject(c, "volume", (double)r->volume);
		cJSON_AddNumberToObject(c, "dist", (double)r->dist);
		if (!v->slab)
			cJSON_AddNumberToObject(c, "dist_cpu", (double)r->dist_cpu);
		if (r->have_state) {
			cJSON_AddNumberToObject(c, "kernel_active_objs", (double)r->k_active);
			cJSON_AddNumberToObject(c, "model_active_objs", (double)r->m_active);
			cJSON_AddNumberToObject(c, "kernel_slabs", (double)r->k_slabs);
			cJSON_AddNumberToObject(c, "model_slabs", (double)r->m_slabs);
		}
		if (r->geo_compared) {
			cJSON_AddBoolToObject(c, "geometry_equal", r->geo_equal);
			cJSON_AddStringToObject(c, "geometry_diff", r->geo);
		}
		for (int it = 0; it < v->nr_items; it++) {
			if (v->slab && vd_slab_cols[it] < 0)
				continue;
			cJSON_AddNumberToObject(k, vd_item_name(v, it), (double)r->k[it]);
			cJSON_AddNumberToObject(m, vd_item_name(v, it), (double)r->m[it]);
		}
		cJSON_AddItemToObject(c, "kernel", k);
		cJSON_AddItemToObject(c, "model", m);
		cJSON_AddItemToArray(caches, c);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return SIM_EFAIL;
	fprintf(out, "%s\n", text);
	free(text);
	return 0;
}

/* ------------------------------------------------------------- entry */

static int vd_snapshots(struct vd *v)
{
	char *p0 = NULL, *p1 = NULL;
	int rc;

	if (asprintf(&p0, "%s/SNAP0", v->o->capture) < 0 || asprintf(&p1, "%s/SNAP1", v->o->capture) < 0) {
		free(p0);
		return SIM_EFAIL;
	}
	rc = sim_snapshot_read(&v->s0, p0, v->err);
	if (!rc)
		rc = sim_snapshot_read(&v->s1, p1, v->err);
	free(p0);
	free(p1);
	if (!rc)
		rc = sim_capture_open(&v->cap, v->o->capture, v->err);
	return rc;
}

int sim_validate(const struct sim_validate_opts *o, struct sim_validate_result *res, FILE *out, FILE *err)
{
	struct vd v = { .o = o, .err = err };
	char *tmpdir = NULL, *tmpdb = NULL;
	int64_t tot_d = 0, tot_dc = 0, tot_v = 0;
	int rc;

	rc = vd_snapshots(&v);
	if (!rc)
		rc = vd_open_db(&v, &tmpdir, &tmpdb);
	if (!rc)
		rc = vd_read_run(&v);
	if (!rc)
		rc = vd_read_marks(&v);
	if (!rc && !v.nr_marks)
		rc = vd_bad(&v, "%s: the trace has no marks (tracing_mark_write): no window to compare", o->capture);
	if (!rc)
		rc = vd_build_rows(&v);
	if (!rc)
		rc = vd_scan_ops(&v);
	if (!rc)
		rc = vd_counters(&v);
	if (!rc)
		rc = vd_state(&v);
	if (!rc)
		rc = vd_zones(&v);
	if (!rc)
		rc = vd_pcp(&v);
	if (rc)
		goto out;
	for (int i = 0; i < v.nr_rows; i++) {
		const struct vd_row *r = &v.row[i];

		if (r->windowed) {
			tot_d += r->dist;
			tot_dc += r->dist_cpu;
			tot_v += r->volume;
		}
		if (r->geo_compared) {
			v.res.nr_geometry++;
			v.res.nr_geometry_equal += r->geo_equal;
		}
		if (r->have_state) {
			v.active_dist += llabs(r->k_active - r->m_active);
			v.active_kernel += r->k_active;
		}
	}
	v.res.slub_pct = v.res.slub_cpu_pct = v.res.slab_pct = -1;
	if (tot_v && v.slab)
		v.res.slab_pct = 100.0 * (double)tot_d / (double)tot_v;
	else if (tot_v && v.kernel_slub_stats)
		v.res.slub_pct = 100.0 * (double)tot_d / (double)tot_v,
		v.res.slub_cpu_pct = 100.0 * (double)tot_dc / (double)tot_v;
	qsort(v.row, (size_t)v.nr_rows, sizeof(*v.row), vd_row_cmp);
	rc = o->json ? vd_print_json(&v, out, tot_v) : (vd_print_text(&v, out, tot_v), 0);
	if (res)
		*res = v.res;
out:
	if (v.db)
		sim_db_close(v.db, false, err);
	if (tmpdb) {
		unlink(tmpdb);
		rmdir(tmpdir);
	}
	free(tmpdb);
	free(tmpdir);
	for (int i = 0; i < v.nr_rows; i++) {
		free(v.row[i].kc);
		free(v.row[i].mc);
	}
	for (int i = 0; i < v.nr_marks; i++)
		free(v.mark[i].what);
	free(v.mark);
	free(v.row);
	free(v.id_row);
	free(v.vcpu_cpu);
	free(v.refill_ns);
	free(v.drain_ns);
	cJSON_Delete(v.nodes);
	sim_snapshot_free(v.s0);
	sim_snapshot_free(v.s1);
	sim_capture_free(v.cap);
	return rc;
}
