/*
 * validate_rows.c - the rows of `kmemsim validate`: one per kernel cache
 * (SNAP1's sysfs directories for SLUB, slabinfo names for SLAB), each with
 * its counters at SNAP0 and SNAP1, its slabinfo row, its model cache(s) (the
 * same name, else the capture directory or trace name) and its window marks;
 * and the window of the pcp batches.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "../scenario/scenario.h"
#include "../../traces/array.h"

static struct vd_row *vd_row(struct vd *v, const char *name)
{
	struct vd_row *r;

	for (int i = 0; i < v->nr_rows; i++)
		if (!strcmp(v->row[i].name, name))
			return &v->row[i];
	if (!(r = sim_array_grow((void **)&v->row, v->nr_rows, sizeof(*r))))
		return NULL;
	v->nr_rows++;
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

/*
 * A model cache the trace never names (a kmalloc cache, which 6.12 merges without memcg and
 * hardened usercopy: kmalloc-16 -> :0000016) under the directory its name links to, when
 * that row has no model cache yet.
 */
static int vd_rows_by_link(struct vd *v)
{
	struct sim_db_stmt *st = sim_db_prepare(v->db, "SELECT id, name FROM caches ORDER BY id");

	if (!st)
		return -1;
	while (sim_db_step(st) == SIM_DB_ROW) {
		int id = (int)sim_db_column_int64(st, 0);
		const struct sim_capture_cache *cc;

		if (id < 0 || id >= v->nr_ids || v->id_row[id] >= 0 ||
		    !(cc = sim_capture_find_cache(v->cap, sim_db_column_text(st, 1))))
			continue;
		for (int j = 0; j < v->nr_rows; j++)
			if (v->row[j].model < 0 && !strcmp(v->row[j].name, cc->dir))
				vd_row_model(v, &v->row[j], id);
	}
	sim_db_finalize(st);
	return 0;
}

int vd_build_rows(struct vd *v)
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
	if (!v->slab && v->cap && vd_rows_by_link(v))
		return SIM_EFAIL;

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
