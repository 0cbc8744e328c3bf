/*
 * validate_compare.c - what `kmemsim validate` compares, each step filling
 * the rows (validate_rows.c) or v->res: the pass over ops (mark times, the
 * model's pcp batches), the counters in each row's window, the state at
 * SNAP1 (slabinfo, geometry, tunables), buddyinfo and free pages per node,
 * and the pcp batches in the window.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "../scenario/scenario.h"
#include "../../models/slub/slub.h"

/* SLAB's counters as the model keeps them (sim_slab_stat_name order) -> slabinfo columns; -1: not compared. */
const int vd_slab_cols[SIM_SLAB_NR_STAT_ITEMS] = {
	SIM_SI_LISTALLOCS, SIM_SI_GROWN, SIM_SI_REAPED, -1 /* error */, SIM_SI_NODEALLOCS,
	SIM_SI_REMOTEFREES, SIM_SI_ALIENOVERFLOW, SIM_SI_ALLOCHIT, SIM_SI_ALLOCMISS, SIM_SI_FREEHIT,
	SIM_SI_FREEMISS,
};

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
/* Push n copies of t (a bucket's batches, at the start of the span they lie in). */
static int vd_u64_push_n(uint64_t **a, size_t *nr, size_t *cap, uint64_t t, int64_t n)
{
	for (int64_t i = 0; i < n; i++)
		if (vd_u64_push(a, nr, cap, t))
			return -1;
	return 0;
}

/*
 * --log aggregate (sim/db/db_counts.c): the same from the counts.  A mark's first
 * line and its earliest start are mark_firsts'; the pcp batches are op_counts per
 * bucket less the operations kept one by one (mark_ops), at the start of the span
 * the rest lies in, and mark_ops at their own times.
 */
static int vd_scan_counts(struct vd *v, struct vd_best *best)
{
	static const char *const sql[2] = {
		"SELECT CASE WHEN o.bucket = 0 THEN 0 ELSE b.exact_to_ns END, p.path LIKE '%rmqueue_bulk%',"
		" p.path LIKE '%free_pcppages_bulk%', sum(o.nr) - coalesce((SELECT count(*) FROM mark_ops x"
		" WHERE x.bucket = o.bucket AND x.sig = o.sig), 0) FROM op_counts o JOIN op_buckets b USING (bucket)"
		" JOIN path_sigs p ON p.sig = o.sig GROUP BY o.bucket, o.sig",
		"SELECT m.time_ns, p.path LIKE '%rmqueue_bulk%', p.path LIKE '%free_pcppages_bulk%', 1"
		" FROM mark_ops m JOIN path_sigs p ON p.sig = m.sig",
	};
	struct sim_db_stmt *st = sim_db_prepare(v->db, "SELECT line, first_line, first_ns FROM mark_firsts");
	int rc = 0;

	while (st && sim_db_step(st) == SIM_DB_ROW)
		for (int i = 0; i < v->nr_marks; i++)
			if (v->mark[i].line == sim_db_column_int64(st, 0))
				best[i] = (struct vd_best){ sim_db_column_int64(st, 1),
							    (uint64_t)sim_db_column_int64(st, 2) };
	sim_db_finalize(st);
	if (!st)
		return SIM_EFAIL;
	for (int q = 0; q < 2 && !rc; q++) {
		st = sim_db_prepare(v->db, sql[q]);
		if (!st)
			return SIM_EFAIL;
		while (!rc && sim_db_step(st) == SIM_DB_ROW) {
			uint64_t t = (uint64_t)sim_db_column_int64(st, 0);
			int64_t n = sim_db_column_int64(st, 3);

			if (sim_db_column_int64(st, 1))
				rc = vd_u64_push_n(&v->refill_ns, &v->nr_refill, &v->cap_refill, t, n);
			else if (sim_db_column_int64(st, 2))
				rc = vd_u64_push_n(&v->drain_ns, &v->nr_drain, &v->cap_drain, t, n);
		}
		sim_db_finalize(st);
	}
	return rc ? SIM_EFAIL : 0;
}

int vd_scan_ops(struct vd *v)
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
	if (v->aggregate) {
		if (vd_scan_counts(v, best))
			goto out;
		goto marks;
	}
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
marks:
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

int vd_counters(struct vd *v)
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
		if (vd_cut(v, r->t0) || vd_cut(v, r->t1))
			return SIM_EBADINPUT;
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

int vd_state(struct vd *v)
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
int vd_zones(struct vd *v)
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
int vd_pcp(struct vd *v)
{
	char sql[256];
	int64_t k[2] = { 0, 0 };

	v->res.kernel_refills = v->res.kernel_drains = v->res.model_refills = v->res.model_drains = 0;
	v->res.refill_pct = v->res.drain_pct = -1;
	if (v->win_line0 < 0 || v->win_line1 < 0)
		return 0;
	v->win_t0 = vd_line_ns(v, v->win_line0);
	v->win_t1 = vd_line_ns(v, v->win_line1);
	if (vd_cut(v, v->win_t0) || vd_cut(v, v->win_t1))
		return SIM_EBADINPUT;
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
