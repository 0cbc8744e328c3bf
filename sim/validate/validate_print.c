/*
 * validate_print.c - the output of `kmemsim validate`: the rows' order
 * (worst first), the per-cache table, the free pages, buddyinfo and active
 * objects lines and the one-line summary; or all of it as JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"
#include "../scenario/scenario.h"
#include "../../models/slub/slub.h"

int vd_row_cmp(const void *a, const void *b)
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

/* A distance (-1: nothing compared) within its target. */
static bool vd_met(double pct, double target)
{
	return pct >= 0 && pct <= target;
}

void vd_print_text(struct vd *v, FILE *out, int64_t tot_v)
{
	const struct sim_validate_result *s = &v->res;
	char worst[256];

	fprintf(out, "kmemsim validate: %s (%s replay on kernel %s, %s)\n", v->o->capture, v->allocator,
		sim_kernel_name(v->kernel), v->db_path);
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
		!s->nr_geometry ? "n/a" : s->nr_geometry_equal == s->nr_geometry ? "yes" : "no");
	fprintf(out, " pcp refills %lld/%lld (%.1f%%, target 15%%: %s), drains %lld/%lld (%.1f%%, target 25%%: %s);",
		(long long)s->kernel_refills, (long long)s->model_refills, s->refill_pct,
		vd_yes(s->refill_pct, VD_TARGET_REFILL), (long long)s->kernel_drains, (long long)s->model_drains,
		s->drain_pct, vd_yes(s->drain_pct, VD_TARGET_DRAIN));
	fprintf(out, " free pages worst node %.2f%% (target 2%%: %s)\n", s->free_pages_pct,
		vd_yes(s->free_pages_pct, VD_TARGET_FREE));
}

int vd_print_json(struct vd *v, FILE *out, int64_t tot_v)
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
			      (v->slab ? vd_met(s->slab_pct, VD_TARGET_SLAB) : vd_met(s->slub_pct, VD_TARGET_SLUB)) &&
			      s->nr_geometry && s->nr_geometry_equal == s->nr_geometry &&
			      vd_met(s->refill_pct, VD_TARGET_REFILL) && vd_met(s->drain_pct, VD_TARGET_DRAIN) &&
			      vd_met(s->free_pages_pct, VD_TARGET_FREE));
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
