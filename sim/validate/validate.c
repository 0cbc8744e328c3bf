/*
 * validate.c - `kmemsim validate` (validate.h): a replay against the kernel's
 * own counters, over the windows the capture's marks bound.  This file: the
 * entry, the snapshots, the replay database and its run, the marks.
 *
 * Main entry: sim_validate.  Order of work:
 *   the snapshots (SNAP0/, SNAP1/) and the capture's cache symlinks
 *   -> the replay database (made here unless given) and its marks
 *   -> one row per kernel cache: its window (SLUB: its own "SNAPi cache DIR"
 *      marks; SLAB: the "SNAPi proc/slabinfo" marks) and its model cache(s)
 *      (validate_rows.c)
 *   -> one pass over ops: trace line -> simulated time, the model's pcp batches
 *   -> one pass over the counter bumps (sim_slabdb_bumps), each added to its
 *      cache's row when it falls in that row's window
 *   -> state at SNAP1: slabinfo (active objects, slabs, geometry, tunables),
 *      buddyinfo and free pages, from the model's snapshot at the mark
 *      (validate_compare.c)
 *   -> table (worst first) and summary, or JSON (validate_print.c).
 * docs/fidelity.md defines each number printed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "validate_int.h"
#include "../replay/replay.h"
#include "../scenario/scenario.h"

int vd_bad(struct vd *v, const char *fmt, const char *arg)
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
	struct sim_replay_opts ro = { .trace = o->capture, .cmd = "kmemsim validate", .pages = SIM_REPLAY_PAGES_NON_SLAB, .quiet = true,
				      .allocator_set = o->allocator_set, .allocator = o->allocator,
				      .scenario_path = o->scenario_path, .sets = o->sets, .nr_sets = o->nr_sets,
				      .log_aggregate = o->log_aggregate };
	int rc;

	v->db_path = o->db_path;
	if (!o->allocator_set && v->cap && v->cap->slab_tunables) {	/* the kernel ran SLAB: so does the model */
		ro.allocator_set = true;
		ro.allocator = SIM_ALLOC_SLAB;
	}
	if ((o->nr_sets || o->scenario_path) && vd_exists(o->db_path)) {
		fprintf(v->err, "kmemsim validate: %s: %s exists; it applies to a new replay only (another --db)\n",
			o->nr_sets ? "--set" : "--scenario", o->db_path);
		return SIM_EBADINPUT;
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
			sim_out_track_dir(*tmpdir);	/* SIGINT, SIGTERM, SIGHUP: no directory left */
			sim_out_track(*tmpdb);
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
bool vd_query_ints(struct vd *v, const char *sql, int64_t *out, int n)
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
	v->kernel = sim_db_run_kernel(v->db);
	v->slab = !strcmp(v->allocator, "slab");
	if (strcmp(v->allocator, "slub") && !v->slab)
		return vd_bad(v, "%s: not a slab allocator's run", v->db_path);
	if (v->o->allocator_set && strcmp(v->allocator, sim_allocator_name(v->o->allocator)))
		return vd_bad(v, "%s: a replay on another allocator than --allocator: give --db a new path",
			      v->db_path);
	if (!vd_query_ints(v, "SELECT count(*) FROM sqlite_master WHERE name = 'marks'", n, 1) || !n[0])
		return vd_bad(v, "%s: no table marks: not a replay database, or one made before"
			      " kmemsim validate (replay the capture again)", v->db_path);
	v->aggregate = sim_db_is_aggregate(v->db);
	if (!v->aggregate && (!vd_query_ints(v, "SELECT log_ops FROM runs", n, 1) || !n[0]))
		return vd_bad(v, "%s: the replay was made without ops rows or counts (--no-log):"
			      " windows cannot be counted", v->db_path);
	if (v->cap && v->cap->uname) {	/* an existing --db must be a replay of this capture */
		const char *u = NULL;

		st = sim_db_prepare(v->db, "SELECT value FROM replay WHERE key = 'capture_uname'");
		if (st && sim_db_step(st) == SIM_DB_ROW)
			u = sim_db_column_text(st, 0);
		if (!u || strcmp(u, v->cap->uname)) {
			sim_db_finalize(st);
			return vd_bad(v, "%s: a replay of another capture (its uname differs): give --db a new path",
				      v->db_path);
		}
		sim_db_finalize(st);
	}
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
int64_t vd_mark_line(const struct vd *v, int snap, const char *what)
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

int vd_cut(struct vd *v, uint64_t t)
{
	char what[32];

	if (!v->aggregate || sim_slabdb_cut_exact(v->db, t))
		return 0;
	snprintf(what, sizeof(what), "%llu", (unsigned long long)t);
	return vd_bad(v, "a window ends at %s ns, which the counts of --log aggregate cannot split"
		      " (more than op_buckets' exact span after a mark): validate with --log ops", what);
}

uint64_t vd_line_ns(const struct vd *v, int64_t line)
{
	for (int i = 0; i < v->nr_marks; i++)
		if (v->mark[i].line == line)
			return v->mark[i].ns;
	return UINT64_MAX;
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

static int vd_have_marks(struct vd *v)
{
	for (int i = 0; i < v->nr_marks; i++)
		if (v->mark[i].snap >= 0)
			return 0;
	return vd_bad(v, "%s: the trace has no SNAPi marks (tracing_mark_write): no window to compare",
		      v->o->capture);
}

int sim_validate(const struct sim_validate_opts *o, struct sim_validate_result *res, FILE *out, FILE *err)
{
	/* after the replay: its run, its marks, then the rows and what is compared on them */
	static int (*const steps[])(struct vd *) = {
		vd_read_run, vd_read_marks, vd_have_marks, vd_build_rows, vd_scan_ops, vd_counters, vd_state,
		vd_zones, vd_pcp,
	};
	struct vd v = { .o = o, .err = err };
	char *tmpdir = NULL, *tmpdb = NULL;
	int64_t tot_d = 0, tot_dc = 0, tot_v = 0;
	int rc;

	rc = vd_snapshots(&v);
	if (!rc)
		rc = vd_open_db(&v, &tmpdir, &tmpdb);
	for (size_t i = 0; !rc && i < sizeof(steps) / sizeof(steps[0]); i++)
		rc = steps[i](&v);
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
	if (v.nr_rows)
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
		sim_out_forget(tmpdb);
		sim_out_forget(tmpdir);
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
