/*
 * scenario_workload.c - the "workload" keys of a scenario: the synthetic
 * streams, each over the default stream, with its page orders and
 * migratetypes or kmalloc sizes, lifetimes, vCPU, node and the rest.  Which
 * keys a stream named is noted in struct sp for sp_check, which decides a
 * stream's kind and checks it against the machine.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"
#include "../../models/mm.h"

#define SP_MAX_WEIGHT 1000000		/* an order or migratetype weight (sums stay in 32 bits) */
#define SP_MAX_LIFETIME 100000		/* lifetime_max: the workload keeps a wheel this long per task */

static const char *const sp_kind_names[] = { "pages", "objects", "auto", NULL };

#define ST(field) offsetof(struct sim_stream_cfg, field)

SP_CUSTOM(sp_streams);
SP_CUSTOM(sp_orders);
SP_CUSTOM(sp_mts);
SP_CUSTOM(sp_lifetime);
SP_CUSTOM(sp_sizes);

static const struct sp_key sp_mt_keys[] = {
	NUM("unmovable", T_U32, ST(mt_weight[MIGRATE_UNMOVABLE]), 0, SP_MAX_WEIGHT),
	NUM("movable", T_U32, ST(mt_weight[MIGRATE_MOVABLE]), 0, SP_MAX_WEIGHT),
	NUM("reclaimable", T_U32, ST(mt_weight[MIGRATE_RECLAIMABLE]), 0, SP_MAX_WEIGHT),
	{ 0 }
};

static const struct sp_key sp_stream_keys[] = {
	NUM("cpu", T_INT, ST(cpu), -1, SIM_MAX_CPUS - 1),
	NUM("ops", T_U64, ST(nr_ops), 0, 1LL << 40),
	FN("orders", sp_orders),
	FN("migratetypes", sp_mts),
	FN("lifetime", sp_lifetime),
	NUM("irq_pct", T_U32, ST(irq_pct), 0, 100),
	NUM("think_ns", T_U32, ST(think_ns), 0, 1000000000),
	NUM("node", T_INT, ST(nid), -1, SIM_MAX_NODES - 1),
	{ .name = "gfp", .type = T_GFP, .off = ST(gfp) },
	{ .name = "kind", .type = T_ENUM, .off = ST(kind), .names = sp_kind_names },
	NAME("cache", ST(cache)),
	FN("sizes", sp_sizes),
	NUM("burst", T_U32, ST(burst), 1, 1000000),
	NUM("remote_free_pct", T_U32, ST(remote_free_pct), 0, 100),
	{ .name = "pinned", .type = T_BOOL, .off = ST(pinned) },
	{ 0 }
};

const struct sp_key sp_workload_keys[] = {
	FN("streams", sp_streams),
	{ 0 }
};

/* workload.streams: replaces the streams; each starts from the default stream. */
static int sp_streams_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64], sub[SP_PATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > SIM_MAX_STREAMS)
		return sp_error(p, path, "expected an array of at most %d streams, got %s", SIM_MAX_STREAMS,
				sp_show(v, got, sizeof(got)));
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		sp_child(sub, path, NULL, i);
		sp_stream_default(&sc->stream[i]);
		if (sp_parse_object(p, e, sub, sp_stream_keys, &sc->stream[i]))
			return SIM_EBADINPUT;
		p->stream_cpu_given[i] = cJSON_HasObjectItem(e, "cpu");
		p->stream_node_given[i] = cJSON_HasObjectItem(e, "node");
		p->stream_pages_keys[i] = cJSON_HasObjectItem(e, "orders") || cJSON_HasObjectItem(e, "migratetypes");
		p->stream_objects_keys[i] = cJSON_HasObjectItem(e, "sizes") || cJSON_HasObjectItem(e, "cache");
		p->stream_pinned_given[i] = cJSON_HasObjectItem(e, "pinned");
	}
	sc->nr_streams = i;
	return 0;
}

static cJSON *sp_streams_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_stream_keys, sc->stream, sizeof(sc->stream[0]), sc->nr_streams);
}

/* orders: {"0": 90, "3": 10}; orders not named weigh 0. */
static int sp_orders_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_stream_cfg *st = base;
	char got[64], sub[SP_PATH_MAX];
	uint64_t sum = 0;

	if (!cJSON_IsObject(v))
		return sp_error(p, path, "expected an object of order weights ({\"0\": 90, \"3\": 10}), got %s",
				sp_show(v, got, sizeof(got)));
	memset(st->order_weight, 0, sizeof(st->order_weight));
	for (const cJSON *e = v->child; e; e = e->next) {
		const char *k = e->string;
		char *end;
		long order;
		int64_t w;

		sp_child(sub, path, k, 0);
		if (sp_check_dup(p, v, e, sub))
			return SIM_EBADINPUT;
		order = strtol(k, &end, 10);
		if (!*k || *end || k[0] == '-' || k[0] == '+' || k[0] == ' ' || (k[0] == '0' && k[1]))
			return sp_error(p, sub, "expected an order 0..%d as key", SIM_MAX_ORDERS - 1);
		if (order >= SIM_MAX_ORDERS)
			return sp_error(p, sub, "order %ld is not below MAX_ORDER (%d)", order, SIM_MAX_ORDERS);
		if (sp_int(p, e, sub, 0, SP_MAX_WEIGHT, &w))
			return SIM_EBADINPUT;
		st->order_weight[order] = (uint32_t)w;
		sum += (uint64_t)w;
	}
	if (!sum)
		return sp_error(p, path, "weights are all 0");
	return 0;
}

static cJSON *sp_orders_emit(const struct sim_scenario *sc, const void *base)
{
	const struct sim_stream_cfg *st = base;
	cJSON *o = cJSON_CreateObject();

	(void)sc;
	for (int i = 0; o && i < SIM_MAX_ORDERS; i++) {
		char key[4];

		if (!st->order_weight[i])
			continue;
		snprintf(key, sizeof(key), "%d", i);
		if (!cJSON_AddNumberToObject(o, key, st->order_weight[i])) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* migratetypes: {"unmovable": 1, "movable": 3}; types not named weigh 0. */
static int sp_mts_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_stream_cfg *st = base;

	memset(st->mt_weight, 0, sizeof(st->mt_weight));
	if (sp_parse_object(p, v, path, sp_mt_keys, st))
		return SIM_EBADINPUT;
	if (!st->mt_weight[0] && !st->mt_weight[1] && !st->mt_weight[2])
		return sp_error(p, path, "weights are all 0");
	return 0;
}

static cJSON *sp_mts_emit(const struct sim_scenario *sc, const void *base)
{
	return sp_emit_object(sc, sp_mt_keys, base);
}

static int sp_lifetime_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_stream_cfg *st = base;
	int64_t x[2];

	if (sp_pair(p, v, path, 1, SP_MAX_LIFETIME, x))
		return SIM_EBADINPUT;
	st->lifetime_min = (uint32_t)x[0];
	st->lifetime_max = (uint32_t)x[1];
	return 0;
}

static cJSON *sp_lifetime_emit(const struct sim_scenario *sc, const void *base)
{
	const struct sim_stream_cfg *st = base;
	int x[2] = { (int)st->lifetime_min, (int)st->lifetime_max };

	(void)sc;
	return cJSON_CreateIntArray(x, 2);
}

/* sizes: {"64": 50, "200": 30}: kmalloc sizes in bytes and their weights; replaces the mix. */
static int sp_sizes_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_stream_cfg *st = base;
	char got[64], sub[SP_PATH_MAX];
	uint64_t sum = 0;
	int n = 0;

	if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) > SIM_MAX_SIZES)
		return sp_error(p, path, "expected an object of at most %d size weights ({\"64\": 3, \"200\": 1}), got %s",
				SIM_MAX_SIZES, sp_show(v, got, sizeof(got)));
	for (const cJSON *e = v->child; e; e = e->next, n++) {
		const char *k = e->string;
		char *end;
		unsigned long size;
		int64_t w;

		sp_child(sub, path, k, 0);
		if (sp_check_dup(p, v, e, sub))
			return SIM_EBADINPUT;
		size = strtoul(k, &end, 10);
		if (!*k || *end || k[0] < '1' || k[0] > '9' || size > SP_MAX_OBJ_SIZE)
			return sp_error(p, sub, "expected a size in bytes 1..%u as key", SP_MAX_OBJ_SIZE);
		if (sp_int(p, e, sub, 0, SP_MAX_WEIGHT, &w))
			return SIM_EBADINPUT;
		st->size[n] = (uint32_t)size;
		st->size_weight[n] = (uint32_t)w;
		sum += (uint64_t)w;
	}
	if (!sum)
		return sp_error(p, path, "weights are all 0");
	st->nr_sizes = n;
	return 0;
}

static cJSON *sp_sizes_emit(const struct sim_scenario *sc, const void *base)
{
	const struct sim_stream_cfg *st = base;
	cJSON *o = cJSON_CreateObject();

	(void)sc;
	for (int i = 0; o && i < st->nr_sizes; i++) {
		char key[16];

		snprintf(key, sizeof(key), "%u", st->size[i]);
		if (!cJSON_AddNumberToObject(o, key, st->size_weight[i])) {
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}
