/*
 * scenario_machine.c - the "machine" keys of a scenario: the nodes, each
 * with its vCPUs and zone sizes (and, copied from a capture, the present and
 * managed pages of each zone), and the node distance matrix.  The zone
 * layout and the matrix against the node count are checked once the whole
 * text is read, in sp_check (scenario_check.c).
 */
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"
#include "../../models/mm.h"

#define ND(field) offsetof(struct sim_node_cfg, field)

SP_CUSTOM(sp_nodes);
SP_CUSTOM(sp_distance);

static const struct sp_key sp_zones_keys[] = {
	NUM("dma", T_U64, ND(zone_mib[ZONE_DMA]), 0, SP_DMA_END_MIB),
	NUM("dma32", T_U64, ND(zone_mib[ZONE_DMA32]), 0, SP_DMA32_END_MIB),
	NUM("normal", T_U64, ND(zone_mib[ZONE_NORMAL]), 0, SP_MAX_MIB),
	NUM("movable", T_U64, ND(zone_mib[ZONE_MOVABLE]), 0, SP_MAX_MIB),
	{ 0 }
};

/* One key per zone of the array `field` of struct sim_node_cfg, each of `type` up to `hi`. */
#define SP_ZONE_KEYS(tbl, field, type, hi)						\
	static const struct sp_key tbl[] = {						\
		NUM("dma", type, ND(field[ZONE_DMA]), 0, hi),				\
		NUM("dma32", type, ND(field[ZONE_DMA32]), 0, hi),			\
		NUM("normal", type, ND(field[ZONE_NORMAL]), 0, hi),			\
		NUM("movable", type, ND(field[ZONE_MOVABLE]), 0, hi),			\
		{ 0 }									\
	}

/* A real machine's zoneinfo (kmemsim replay copies a capture's): pages per zone, 0 = all of it. */
SP_ZONE_KEYS(sp_present_keys, zone_present_pages, T_U64, SP_MAX_MIB << 8);
SP_ZONE_KEYS(sp_managed_keys, zone_managed_pages, T_U64, SP_MAX_MIB << 8);

/* Watermarks and pcp sizes applied verbatim after boot, per zone: 0 = as the kernel computes them. */
SP_ZONE_KEYS(sp_wmark_min_keys, wmark_min, T_U64, SP_MAX_MIB << 8);
SP_ZONE_KEYS(sp_wmark_low_keys, wmark_low, T_U64, SP_MAX_MIB << 8);
SP_ZONE_KEYS(sp_wmark_high_keys, wmark_high, T_U64, SP_MAX_MIB << 8);
SP_ZONE_KEYS(sp_pcp_high_keys, pcp_high, T_U32, 1 << 30);
SP_ZONE_KEYS(sp_pcp_batch_keys, pcp_batch, T_U32, 1 << 30);

static const struct sp_key sp_node_keys[] = {
	NUM("cpus", T_INT, ND(nr_cpus), 1, SIM_MAX_CPUS),
	OBJ("zones", sp_zones_keys),
	OBJ("present_pages", sp_present_keys),
	OBJ("managed_pages", sp_managed_keys),
	OBJ("wmark_min", sp_wmark_min_keys),
	OBJ("wmark_low", sp_wmark_low_keys),
	OBJ("wmark_high", sp_wmark_high_keys),
	OBJ("pcp_high", sp_pcp_high_keys),
	OBJ("pcp_batch", sp_pcp_batch_keys),
	{ 0 }
};

const struct sp_key sp_machine_keys[] = {
	FN("nodes", sp_nodes),
	FN("distance", sp_distance),
	{ 0 }
};

/* machine.nodes: replaces the machine; each node names its cpus and zones. */
static int sp_nodes_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64], sub[SP_PATH_MAX];
	int n = cJSON_GetArraySize(v), i = 0;

	if (!cJSON_IsArray(v) || n < 1 || n > SIM_MAX_NODES)
		return sp_error(p, path, "expected an array of 1..%d nodes, got %s", SIM_MAX_NODES,
				sp_show(v, got, sizeof(got)));
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		struct sim_node_cfg *nd = &sc->node[i];

		sp_child(sub, path, NULL, i);
		memset(nd, 0, sizeof(*nd));
		if (sp_parse_object(p, e, sub, sp_node_keys, nd))
			return SIM_EBADINPUT;
		if (!cJSON_HasObjectItem(e, "cpus"))
			return sp_error(p, sub, "missing key \"cpus\"");
		if (!cJSON_HasObjectItem(e, "zones"))
			return sp_error(p, sub, "missing key \"zones\"");
	}
	sc->nr_nodes = n;
	return 0;
}

static cJSON *sp_nodes_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_node_keys, sc->node, sizeof(sc->node[0]), sc->nr_nodes);
}

/* machine.distance: read now, checked against the nodes in sp_check. */
static int sp_distance_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64], sub[SP_PATH_MAX], sub2[SP_PATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > SIM_MAX_NODES)
		return sp_error(p, path, "expected an array of at most %d rows, got %s", SIM_MAX_NODES,
				sp_show(v, got, sizeof(got)));
	for (const cJSON *row = v->child; row; row = row->next, i++) {
		int j = 0;

		sp_child(sub, path, NULL, i);
		if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) > SIM_MAX_NODES)
			return sp_error(p, sub, "expected an array of at most %d distances, got %s", SIM_MAX_NODES,
					sp_show(row, got, sizeof(got)));
		for (const cJSON *d = row->child; d; d = d->next, j++) {
			int64_t x;

			sp_child(sub2, sub, NULL, j);
			if (sp_int(p, d, sub2, 10, 254, &x))
				return SIM_EBADINPUT;
			sc->distance[i][j] = (int)x;
		}
		p->dist_cols[i] = j;
	}
	p->nr_dist_rows = i;
	p->distance_given = true;
	return 0;
}

static cJSON *sp_distance_emit(const struct sim_scenario *sc, const void *base)
{
	cJSON *a = cJSON_CreateArray();

	(void)base;
	for (int i = 0; a && i < sc->nr_nodes; i++) {
		cJSON *row = cJSON_CreateIntArray(sc->distance[i], sc->nr_nodes);

		if (!row || !cJSON_AddItemToArray(a, row)) {
			cJSON_Delete(row);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}
