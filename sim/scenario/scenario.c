/*
 * scenario.c - the scenario loader: JSON text over the embedded defaults.
 *
 * Main entries: sim_scenario_load / _parse and sim_scenario_to_json.  The
 * only file that includes cJSON.h.
 *
 * Table-driven: every JSON object of a scenario is a table of struct sp_key
 * (name, type, where the value goes, its range).  One walker parses an object
 * against its table, the same tables print the canonical JSON, and a new key
 * is one table row.  Values are checked as they are read; what depends on
 * several keys (the distance matrix against the node count, a stream's vCPU
 * against the machine, the zone layout) is checked once the whole text is
 * read, in sp_check.
 *
 * Errors are one line `FILE:LINE: key.path: what is wrong`.  cJSON keeps no
 * positions, so sp_line_of (scenario_text.c) rescans the text for the line of
 * a key path; it runs only when there is an error to report.
 *
 * Not here: the defaults and whole-file checks (scenario_check.c), error
 * lines and gfp names (scenario_text.c), what the fields mean to the engine
 * and models (sim/engine.c, models/, sim/workload.c).  Every key is
 * documented in docs/scenario.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"
#include "../../models/mm.h"
#include "../../models/slab_common.h"

#define SP_MAX_WEIGHT 1000000		/* an order or migratetype weight (sums stay in 32 bits) */
#define SP_MAX_LIFETIME 100000		/* lifetime_max: the workload keeps a wheel this long per task */
#define SP_INT_EXACT (1ULL << 53)	/* integers a JSON number (a double) holds exactly */
#define SP_MAX_OBJ_SIZE (4u << 20)	/* KMALLOC_MAX_SIZE and the largest kmem_cache_create size */

/* ---------------------------------------------------------------- tables */

struct sp;

/* How a key's value is read and where it goes (offset from the table's base). */
enum sp_type {
	T_U32,		/* uint32_t in [min, max] (times scale) */
	T_U64,		/* uint64_t in [min, max] (times scale) */
	T_INT,		/* int in [min, max] */
	T_BOOL,		/* bool (inverted when `invert`) */
	T_STR,		/* char *, malloc'd */
	T_NAME,		/* char[SIM_CACHE_NAME_MAX]: a cache name */
	T_ENUM,		/* int, index of the string in names[] */
	T_GFP,		/* uint32_t: a number or "GFP_KERNEL|__GFP_ZERO" */
	T_OBJ,		/* nested object, same base, table sub */
	T_FN,		/* custom: parse() and emit() */
};

struct sp_key {
	const char *name;
	enum sp_type type;
	size_t off;			/* offset of the field in the base struct */
	int64_t min, max;		/* integer range (before scaling) */
	uint32_t scale;			/* stored value = JSON value * scale (0 = 1) */
	bool invert;			/* T_BOOL: store !value (guards are kept as guard_off[]) */
	const char *const *names;	/* T_ENUM: the accepted strings, NULL-terminated */
	const struct sp_key *sub;	/* T_OBJ: the nested table */
	int (*parse)(struct sp *p, const cJSON *v, const char *path, void *base); /* T_FN */
	cJSON *(*emit)(const struct sim_scenario *sc, const void *base);		/* T_FN */
};

static const char *const sp_allocator_names[] = { "buddy", "slub", "slab", NULL };
static const char *const sp_preempt_names[] = { "none", "voluntary", "full", NULL };
static const char *const sp_kind_names[] = { "pages", "objects", "auto", NULL };

/* Cache flags a scenario may name (include/linux/slab.h, 6.1 values). */
static const struct { const char *name; uint32_t flag; } sp_cache_flags[] = {
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN }, { "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32 }, { "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_ACCOUNT", SLAB_ACCOUNT }, { "SLAB_TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU },
	{ "SLAB_MEM_SPREAD", SLAB_MEM_SPREAD }, { "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_NOLEAKTRACE", SLAB_NOLEAKTRACE }, { "SLAB_NO_USER_FLAGS", SLAB_NO_USER_FLAGS },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE }, { "SLAB_POISON", SLAB_POISON },
	{ "SLAB_STORE_USER", SLAB_STORE_USER }, { "SLAB_TRACE", SLAB_TRACE },
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
};
#define SP_NR_CACHE_FLAGS (sizeof(sp_cache_flags) / sizeof(sp_cache_flags[0]))

static int sp_parse_object(struct sp *p, const cJSON *obj, const char *path,
			   const struct sp_key *table, void *base);
static cJSON *sp_emit_object(const struct sim_scenario *sc, const struct sp_key *table, const void *base);

/* The custom keys: each has f_parse and f_emit, below the walker. */
#define SP_CUSTOM(f)								\
	static int f##_parse(struct sp *p, const cJSON *v, const char *path, void *base); \
	static cJSON *f##_emit(const struct sim_scenario *sc, const void *base)
SP_CUSTOM(sp_seed);
SP_CUSTOM(sp_nodes);
SP_CUSTOM(sp_distance);
SP_CUSTOM(sp_irq_delay);
SP_CUSTOM(sp_streams);
SP_CUSTOM(sp_orders);
SP_CUSTOM(sp_mts);
SP_CUSTOM(sp_lifetime);
SP_CUSTOM(sp_sizes);
SP_CUSTOM(sp_caches);
SP_CUSTOM(sp_cache_flags);
SP_CUSTOM(sp_slub_tunes);
SP_CUSTOM(sp_slab_tunes);
SP_CUSTOM(sp_race_tasks);
SP_CUSTOM(sp_race_irqs);
SP_CUSTOM(sp_race_ops);
SP_CUSTOM(sp_race_watch);
SP_CUSTOM(sp_op_as);
SP_CUSTOM(sp_op_ref);

/* Table rows: NUM for the integer types, FN for custom keys, SC/ND/ST for the three bases. */
#define NUM(n, t, off_, lo, hi) { .name = n, .type = t, .off = off_, .min = lo, .max = hi }
#define FN(n, f) { .name = n, .type = T_FN, .parse = f##_parse, .emit = f##_emit }
#define OBJ(n, table) { .name = n, .type = T_OBJ, .sub = table }
#define SC(field) offsetof(struct sim_scenario, field)
#define ND(field) offsetof(struct sim_node_cfg, field)
#define ST(field) offsetof(struct sim_stream_cfg, field)
#define CC(field) offsetof(struct sim_cache_cfg, field)
#define TU(field) offsetof(struct sim_tune_cfg, field)
#define NAME(n, off_) { .name = n, .type = T_NAME, .off = off_ }
#define BOOL(n, field) { .name = n, .type = T_BOOL, .off = SC(field) }
#define U32(n, field, lo, hi) NUM(n, T_U32, SC(field), lo, hi)
#define U64(n, field, lo, hi) NUM(n, T_U64, SC(field), lo, hi)
#define COST(n, c) U32(n, cost[c], 0, 1000000000)
#define US(n, field, lo, hi) \
	{ .name = n, .type = T_U64, .off = SC(field), .min = lo, .max = hi, .scale = 1000 }
#define GUARD(n, g) { .name = n, .type = T_BOOL, .off = SC(guard_off[g]), .invert = true }

static const struct sp_key sp_zones_keys[] = {
	NUM("dma", T_U64, ND(zone_mib[ZONE_DMA]), 0, SP_DMA_END_MIB),
	NUM("dma32", T_U64, ND(zone_mib[ZONE_DMA32]), 0, SP_DMA32_END_MIB),
	NUM("normal", T_U64, ND(zone_mib[ZONE_NORMAL]), 0, SP_MAX_MIB),
	NUM("movable", T_U64, ND(zone_mib[ZONE_MOVABLE]), 0, SP_MAX_MIB),
	{ 0 }
};

/* A real machine's zoneinfo (kmemsim replay copies a capture's): pages per zone, 0 = all of it. */
static const struct sp_key sp_present_keys[] = {
	NUM("dma", T_U64, ND(zone_present_pages[ZONE_DMA]), 0, SP_MAX_MIB << 8),
	NUM("dma32", T_U64, ND(zone_present_pages[ZONE_DMA32]), 0, SP_MAX_MIB << 8),
	NUM("normal", T_U64, ND(zone_present_pages[ZONE_NORMAL]), 0, SP_MAX_MIB << 8),
	NUM("movable", T_U64, ND(zone_present_pages[ZONE_MOVABLE]), 0, SP_MAX_MIB << 8),
	{ 0 }
};

static const struct sp_key sp_managed_keys[] = {
	NUM("dma", T_U64, ND(zone_managed_pages[ZONE_DMA]), 0, SP_MAX_MIB << 8),
	NUM("dma32", T_U64, ND(zone_managed_pages[ZONE_DMA32]), 0, SP_MAX_MIB << 8),
	NUM("normal", T_U64, ND(zone_managed_pages[ZONE_NORMAL]), 0, SP_MAX_MIB << 8),
	NUM("movable", T_U64, ND(zone_managed_pages[ZONE_MOVABLE]), 0, SP_MAX_MIB << 8),
	{ 0 }
};

static const struct sp_key sp_node_keys[] = {
	NUM("cpus", T_INT, ND(nr_cpus), 1, SIM_MAX_CPUS),
	OBJ("zones", sp_zones_keys),
	OBJ("present_pages", sp_present_keys),
	OBJ("managed_pages", sp_managed_keys),
	{ 0 }
};

static const struct sp_key sp_machine_keys[] = {
	FN("nodes", sp_nodes),
	FN("distance", sp_distance),
	{ 0 }
};

static const struct sp_key sp_costs_keys[] = {
	COST("lock", SIM_COST_LOCK),
	COST("lock_spin", SIM_COST_LOCK_SPIN),
	COST("irq", SIM_COST_IRQ),
	COST("preempt", SIM_COST_PREEMPT),
	COST("percpu", SIM_COST_PERCPU),
	COST("mem", SIM_COST_MEM),
	COST("cmpxchg", SIM_COST_CMPXCHG),
	COST("cmpxchg_double", SIM_COST_CMPXCHG_DOUBLE),
	COST("irq_entry", SIM_COST_IRQ_ENTRY),
	COST("ctx_switch", SIM_COST_CTX_SWITCH),
	COST("page_op", SIM_COST_PAGE_OP),
	COST("obj_op", SIM_COST_OBJ_OP),
	U32("remote_pct", remote_pct, 0, 10000),
	{ 0 }
};

static const struct sp_key sp_sched_keys[] = {
	{ .name = "preempt", .type = T_ENUM, .off = SC(preempt_model), .names = sp_preempt_names },
	US("slice_us", slice_ns, 1, 1000000),
	U32("migrate_pct", migrate_pct, 0, 100),
	U32("hz", hz, 0, 100000),
	U32("tasks_per_cpu", tasks_per_cpu, 1, 1000),
	{ 0 }
};

static const struct sp_key sp_irq_keys[] = {
	{ .name = "gfp", .type = T_GFP, .off = SC(irq_gfp) },
	FN("delay_ns", sp_irq_delay),
	{ 0 }
};

static const struct sp_key sp_buddy_keys[] = {
	U64("min_free_kbytes", min_free_kbytes, 0, 262144),
	U32("watermark_scale_factor", watermark_scale_factor, 1, 3000),
	U32("percpu_pagelist_high_fraction", percpu_pagelist_high_fraction, 0, 1000000),
	{ 0 }
};

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

static const struct sp_key sp_cache_keys[] = {
	NAME("name", CC(name)),
	NUM("size", T_U32, CC(size), 1, SP_MAX_OBJ_SIZE),
	NUM("align", T_U32, CC(align), 0, 4096),
	FN("flags", sp_cache_flags),
	{ 0 }
};

static const struct sp_key sp_slub_tune_keys[] = {
	NAME("cache", TU(cache)),
	NUM("cpu_partial", T_U32, TU(cpu_partial), 0, 1000000),
	{ 0 }
};

static const struct sp_key sp_slab_tune_keys[] = {
	NAME("cache", TU(cache)),
	NUM("limit", T_INT, TU(limit), 1, 1000000),
	NUM("batchcount", T_INT, TU(batchcount), 1, 1000000),
	NUM("shared", T_INT, TU(shared), 0, 1000000),
	{ 0 }
};

static const struct sp_key sp_slub_keys[] = {
	U32("min_order", slub_min_order, 0, SIM_MAX_ORDERS - 1),
	U32("max_order", slub_max_order, 0, SIM_MAX_ORDERS - 1),
	U32("min_objects", slub_min_objects, 0, 32767),
	BOOL("freelist_random", slub_freelist_random),
	BOOL("freelist_hardened", slub_freelist_hardened),
	FN("tune", sp_slub_tunes),
	{ 0 }
};

static const struct sp_key sp_slab_keys[] = {
	NUM("max_order", T_INT, SC(slab_max_order), -1, SIM_MAX_ORDERS - 1),
	BOOL("noaliencache", slab_noaliencache),
	BOOL("freelist_random", slab_freelist_random),
	BOOL("reaper", slab_reaper),
	FN("tune", sp_slab_tunes),
	{ 0 }
};

static const struct sp_key sp_workload_keys[] = {
	FN("streams", sp_streams),
	{ 0 }
};

static const struct sp_key sp_guards_keys[] = {
	GUARD("slub_tid", SIM_GUARD_SLUB_TID),
	GUARD("slub_recheck", SIM_GUARD_SLUB_RECHECK),
	GUARD("slub_irq", SIM_GUARD_SLUB_IRQ),
	GUARD("slub_cmpxchg_double", SIM_GUARD_SLUB_CMPXCHG_DOUBLE),
	GUARD("slab_irq", SIM_GUARD_SLAB_IRQ),
	GUARD("slab_list_lock", SIM_GUARD_SLAB_LIST_LOCK),
	GUARD("pcp_lock", SIM_GUARD_PCP_LOCK),
	{ 0 }
};

/* race: the scripted workload of a race scenario (sim/race_cfg.h, sim/script.c). */
_Static_assert(SIM_WATCH_CACHE_MAX == SIM_CACHE_NAME_MAX, "race cache names are T_NAME fields");
static const char *const sp_script_op_names[] = { "alloc", "alloc_pages", "free", "wait", "yield", NULL };
static const char *const sp_until_names[] = { "freed", "live", NULL };
static const char *const sp_watch_kind_names[] = { "slub", "slab", "pcp", NULL };
static const char *const sp_zone_names[] = { "DMA", "DMA32", "Normal", "Movable", NULL };
#define SO(field) offsetof(struct sim_script_op, field)
#define SS(field) offsetof(struct sim_script, field)
#define SW(field) offsetof(struct sim_watch_cfg, field)

static const struct sp_key sp_script_op_keys[] = {
	{ .name = "op", .type = T_ENUM, .off = SO(op), .names = sp_script_op_names },
	NAME("cache", SO(cache)),
	NUM("size", T_U32, SO(size), 0, SP_MAX_OBJ_SIZE),	/* 0: not given */
	NUM("order", T_U32, SO(order), 0, SIM_MAX_ORDERS - 1),
	NUM("node", T_INT, SO(nid), -1, SIM_MAX_NODES - 1),
	{ .name = "gfp", .type = T_GFP, .off = SO(gfp) },
	{ .name = "until", .type = T_ENUM, .off = SO(until), .names = sp_until_names },
	FN("as", sp_op_as),
	FN("ref", sp_op_ref),
	{ 0 }
};

static const struct sp_key sp_task_script_keys[] = {
	NUM("cpu", T_INT, SS(cpu), 0, SIM_MAX_CPUS - 1),
	FN("ops", sp_race_ops),
	{ 0 }
};

static const struct sp_key sp_irq_script_keys[] = {
	NUM("cpu", T_INT, SS(cpu), 0, SIM_MAX_CPUS - 1),
	NUM("at_ns", T_U64, SS(at_ns), 0, 1LL << 50),
	FN("ops", sp_race_ops),
	{ 0 }
};

static const struct sp_key sp_watch_keys[] = {
	{ .name = "kind", .type = T_ENUM, .off = SW(kind), .names = sp_watch_kind_names },
	NAME("cache", SW(cache)),
	NUM("node", T_INT, SW(nid), 0, SIM_MAX_NODES - 1),
	{ .name = "zone", .type = T_ENUM, .off = SW(zid), .names = sp_zone_names },
	{ 0 }
};

static const struct sp_key sp_race_keys[] = {
	FN("tasks", sp_race_tasks),
	FN("irqs", sp_race_irqs),
	FN("watch", sp_race_watch),
	U64("check_every", race.check_every, 0, 1LL << 40),
	{ 0 }
};

/* The whole file; canonical JSON prints keys in this order. */
static const struct sp_key sp_root_keys[] = {
	{ .name = "name", .type = T_STR, .off = SC(name) },
	{ .name = "description", .type = T_STR, .off = SC(description) },
	FN("seed", sp_seed),
	{ .name = "allocator", .type = T_ENUM, .off = SC(allocator), .names = sp_allocator_names },
	OBJ("machine", sp_machine_keys),
	OBJ("costs", sp_costs_keys),
	OBJ("sched", sp_sched_keys),
	OBJ("irq", sp_irq_keys),
	OBJ("buddy", sp_buddy_keys),
	FN("caches", sp_caches),
	BOOL("slab_nomerge", slab_nomerge),
	OBJ("slub", sp_slub_keys),
	OBJ("slab", sp_slab_keys),
	OBJ("workload", sp_workload_keys),
	OBJ("guards", sp_guards_keys),
	OBJ("race", sp_race_keys),
	US("snapshot_interval_us", snapshot_interval_ns, 0, 1000000000),
	U64("check_every", check_every, 0, 1LL << 40),
	{ .name = "log_ops", .type = T_BOOL, .off = SC(log_ops) },
	{ 0 }
};

const char *sim_allocator_name(enum sim_allocator a)
{
	return (unsigned int)a < 3 ? sp_allocator_names[a] : "?";
}

int sim_allocator_parse(const char *name, enum sim_allocator *out)
{
	for (int i = 0; sp_allocator_names[i]; i++)
		if (!strcmp(sp_allocator_names[i], name)) {
			*out = (enum sim_allocator)i;
			return 0;
		}
	return -1;
}

/* A short rendering of a JSON value for "got ..." in messages. */
static const char *sp_show(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		size_t n = strlen(s);

		if (n > 40)
			snprintf(buf, size, "\"%.37s...\"", s);
		else
			snprintf(buf, size, "\"%s\"", s);
	} else if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (d == floor(d) && fabs(d) < 1e18)
			snprintf(buf, size, "%.0f", d);
		else
			snprintf(buf, size, "%g", d);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNull(v)) {
		snprintf(buf, size, "null");
	} else if (cJSON_IsArray(v)) {
		int n = cJSON_GetArraySize(v);

		if (n)
			snprintf(buf, size, "an array of %d", n);
		else
			snprintf(buf, size, "an empty array");
	} else if (cJSON_IsObject(v)) {
		snprintf(buf, size, "an object");
	} else {
		snprintf(buf, size, "something else");
	}
	return buf;
}

/* "a positive integer", "an integer in 0..100", ... for the range [min, max]. */
static const char *sp_range_text(int64_t min, int64_t max, char *buf, size_t size)
{
	if (min == 1 && max >= (int64_t)UINT32_MAX)
		snprintf(buf, size, "a positive integer");
	else if (min == 0 && max >= (int64_t)UINT32_MAX)
		snprintf(buf, size, "a non-negative integer");
	else
		snprintf(buf, size, "an integer in %" PRId64 "..%" PRId64, min, max);
	return buf;
}

/* Read an integer in [min, max] from v; SIM_EBADINPUT after a message. */
static int sp_int(struct sp *p, const cJSON *v, const char *path, int64_t min, int64_t max, int64_t *out)
{
	char range[64], got[64];
	double d = cJSON_IsNumber(v) ? v->valuedouble : 0.5;

	if (d != floor(d))	/* not an integer at all: say what kind is wanted */
		return sp_error(p, path, "expected %s, got %s",
				min > 0 ? "a positive integer" : min == 0 ? "a non-negative integer" : "an integer",
				sp_show(v, got, sizeof(got)));
	if (d >= (double)min && d <= (double)max) {
		*out = (int64_t)d;
		return 0;
	}
	return sp_error(p, path, "expected %s, got %s", sp_range_text(min, max, range, sizeof(range)),
			sp_show(v, got, sizeof(got)));
}

/* Child path "parent.key" or "parent[i]" (i >= 0); a path too long is cut short. */
static void sp_child(char *buf, const char *parent, const char *key, int i)
{
	int n;

	if (key)
		n = snprintf(buf, SP_PATH_MAX, "%s%s%s", parent, *parent ? "." : "", key);
	else
		n = snprintf(buf, SP_PATH_MAX, "%s[%d]", parent, i);
	if (n >= SP_PATH_MAX)
		buf[SP_PATH_MAX - 1] = 0;
}

/* ------------------------------------------------------------------ gfp */

/* "GFP_KERNEL|__GFP_ZERO" or a number -> *out. */
static int sp_gfp_parse(struct sp *p, const cJSON *v, const char *path, uint32_t *out)
{
	char got[64];
	int64_t n;

	if (cJSON_IsNumber(v)) {
		if (sp_int(p, v, path, 0, UINT32_MAX, &n))
			return SIM_EBADINPUT;
		*out = (uint32_t)n;
		return 0;
	}
	if (!cJSON_IsString(v) || !*v->valuestring)
		return sp_error(p, path, "expected gfp flags (\"GFP_KERNEL|__GFP_ZERO\") or a number, got %s",
				sp_show(v, got, sizeof(got)));
	return sp_gfp_parse_text(p, v->valuestring, path, out);
}

/* Canonical gfp: flag names, or the number 0. */
static cJSON *sp_gfp_emit(uint32_t gfp)
{
	char buf[512];

	if (!gfp)
		return cJSON_CreateNumber(0);
	sp_gfp_text(gfp, buf, sizeof(buf));
	return cJSON_CreateString(buf);
}

/* -------------------------------------------------------- table walking */

/* Store one value of `k` read from v at base + k->off. */
static int sp_parse_value(struct sp *p, const struct sp_key *k, const cJSON *v, const char *path, void *base)
{
	char *field = (char *)base + k->off;
	char got[64];
	int64_t n;

	switch (k->type) {
	case T_U32:
	case T_U64:
	case T_INT:
		if (sp_int(p, v, path, k->min, k->max, &n))
			return SIM_EBADINPUT;
		n *= k->scale ? k->scale : 1;
		if (k->type == T_U32)
			*(uint32_t *)field = (uint32_t)n;
		else if (k->type == T_U64)
			*(uint64_t *)field = (uint64_t)n;
		else
			*(int *)field = (int)n;
		return 0;
	case T_BOOL:
		if (!cJSON_IsBool(v))
			return sp_error(p, path, "expected true or false, got %s", sp_show(v, got, sizeof(got)));
		*(bool *)field = cJSON_IsTrue(v) != k->invert;
		return 0;
	case T_STR: {
		char *s;

		if (!cJSON_IsString(v))
			return sp_error(p, path, "expected a string, got %s", sp_show(v, got, sizeof(got)));
		s = strdup(v->valuestring);
		if (!s)
			return sp_error(p, path, "out of memory");
		if (!sp_is_default_string(*(char **)field))
			free(*(char **)field);
		*(char **)field = s;
		return 0;
	}
	case T_NAME:
		if (!cJSON_IsString(v) || strlen(v->valuestring) >= SIM_CACHE_NAME_MAX ||
		    strpbrk(v->valuestring, " \t\n/"))
			return sp_error(p, path, "expected a cache name (at most %d characters, no blank or '/'), got %s",
					SIM_CACHE_NAME_MAX - 1, sp_show(v, got, sizeof(got)));
		strcpy(field, v->valuestring);
		return 0;
	case T_ENUM:
		if (cJSON_IsString(v))
			for (int i = 0; k->names[i]; i++)
				if (!strcmp(k->names[i], v->valuestring)) {
					*(int *)field = i;
					return 0;
				}
		{
			char list[128];
			size_t len = 0;

			list[0] = 0;
			for (int i = 0; k->names[i]; i++)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s\"%s\"",
							i ? (k->names[i + 1] ? ", " : " or ") : "", k->names[i]);
			return sp_error(p, path, "expected %s, got %s", list, sp_show(v, got, sizeof(got)));
		}
	case T_GFP:
		return sp_gfp_parse(p, v, path, (uint32_t *)field);
	case T_OBJ:
		return sp_parse_object(p, v, path, k->sub, base);
	case T_FN:
		return k->parse(p, v, path, base);
	}
	return SIM_EBADINPUT;
}

/* Key v of obj (at key path `sub`) must not appear earlier in obj. */
static int sp_check_dup(struct sp *p, const cJSON *obj, const cJSON *v, const char *sub)
{
	int nth = 1;

	for (const cJSON *u = obj->child; u != v; u = u->next)
		nth += !strcmp(u->string, v->string);
	return nth > 1 ? sp_error_nth(p, sub, nth, "duplicate key") : 0;
}

/* Parse object `obj` (at key path `path`) against `table` into `base`. */
static int sp_parse_object(struct sp *p, const cJSON *obj, const char *path,
			   const struct sp_key *table, void *base)
{
	char got[64], sub[SP_PATH_MAX];

	if (!cJSON_IsObject(obj))
		return sp_error(p, path, "expected an object, got %s", sp_show(obj, got, sizeof(got)));
	for (const cJSON *v = obj->child; v; v = v->next) {
		const struct sp_key *k;

		sp_child(sub, path, v->string, 0);
		if (sp_check_dup(p, obj, v, sub))
			return SIM_EBADINPUT;
		for (k = table; k->name && strcmp(k->name, v->string); k++)
			;
		if (!k->name) {
			char known[512];
			size_t len = 0;

			known[0] = 0;
			for (k = table; k->name && len < sizeof(known); k++)
				len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
							k == table ? "" : ", ", k->name);
			return sp_error(p, sub, "unknown key (known: %s)", known);
		}
		if (sp_parse_value(p, k, v, sub, base))
			return SIM_EBADINPUT;
	}
	return 0;
}

/* The canonical value of `k` at base + k->off. */
static cJSON *sp_emit_value(const struct sim_scenario *sc, const struct sp_key *k, const void *base)
{
	const char *field = (const char *)base + k->off;
	uint32_t scale = k->scale ? k->scale : 1;

	switch (k->type) {
	case T_U32:
		return cJSON_CreateNumber((double)(*(const uint32_t *)field / scale));
	case T_U64:
		return cJSON_CreateNumber((double)(*(const uint64_t *)field / scale));
	case T_INT:
		return cJSON_CreateNumber((double)*(const int *)field);
	case T_BOOL:
		return cJSON_CreateBool(*(const bool *)field != k->invert);
	case T_STR: {
		const char *s = *(const char *const *)field;

		return s ? cJSON_CreateString(s) : cJSON_CreateNull();
	}
	case T_NAME:
		return cJSON_CreateString(field);
	case T_ENUM:
		return cJSON_CreateString(k->names[*(const int *)field]);
	case T_GFP:
		return sp_gfp_emit(*(const uint32_t *)field);
	case T_OBJ:
		return sp_emit_object(sc, k->sub, base);
	case T_FN:
		return k->emit(sc, base);
	}
	return NULL;
}

static cJSON *sp_emit_object(const struct sim_scenario *sc, const struct sp_key *table, const void *base)
{
	cJSON *o = cJSON_CreateObject();

	for (const struct sp_key *k = table; o && k->name; k++) {
		cJSON *v = sp_emit_value(sc, k, base);

		if (!v || !cJSON_AddItemToObject(o, k->name, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* ---------------------------------------------------------- custom keys */

/* seed: an integer up to 2^53, or a string (decimal or 0x hex) for any 64-bit value. */
static int sp_seed_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64];

	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		char *end;
		unsigned long long x;

		errno = 0;
		x = strtoull(s, &end, 0);
		if (*s && *s != '-' && *s != '+' && *s != ' ' && !*end && !errno) {
			sc->seed = x;
			return 0;
		}
	} else if (cJSON_IsNumber(v)) {
		int64_t n;

		if (sp_int(p, v, path, 0, (int64_t)SP_INT_EXACT, &n))
			return SIM_EBADINPUT;
		sc->seed = (uint64_t)n;
		return 0;
	}
	return sp_error(p, path, "expected a non-negative integer (or a string \"0x...\" for 64 bits), got %s",
			sp_show(v, got, sizeof(got)));
}

static cJSON *sp_seed_emit(const struct sim_scenario *sc, const void *base)
{
	char buf[32];

	(void)base;
	if (sc->seed <= SP_INT_EXACT)
		return cJSON_CreateNumber((double)sc->seed);
	snprintf(buf, sizeof(buf), "0x%016" PRIx64, sc->seed);
	return cJSON_CreateString(buf);
}

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
	cJSON *a = cJSON_CreateArray();

	(void)base;
	for (int i = 0; a && i < sc->nr_nodes; i++) {
		cJSON *o = sp_emit_object(sc, sp_node_keys, &sc->node[i]);

		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
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
	cJSON *a = cJSON_CreateArray();

	(void)base;
	for (int i = 0; a && i < sc->nr_streams; i++) {
		cJSON *o = sp_emit_object(sc, sp_stream_keys, &sc->stream[i]);

		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
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

/* [min, max] with lo <= min <= max <= hi, read into two integers. */
static int sp_pair(struct sp *p, const cJSON *v, const char *path, int64_t lo, int64_t hi, int64_t out[2])
{
	char got[64], sub[SP_PATH_MAX];

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
		return sp_error(p, path, "expected [min, max], got %s", sp_show(v, got, sizeof(got)));
	for (int i = 0; i < 2; i++) {
		sp_child(sub, path, NULL, i);
		if (sp_int(p, cJSON_GetArrayItem(v, i), sub, lo, hi, &out[i]))
			return SIM_EBADINPUT;
	}
	if (out[0] > out[1])
		return sp_error(p, path, "min %" PRId64 " is above max %" PRId64, out[0], out[1]);
	return 0;
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

static int sp_irq_delay_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	int64_t x[2];

	if (sp_pair(p, v, path, 0, 1000000000, x))
		return SIM_EBADINPUT;
	sc->irq_delay_min_ns = (uint64_t)x[0];
	sc->irq_delay_max_ns = (uint64_t)x[1];
	return 0;
}

static cJSON *sp_irq_delay_emit(const struct sim_scenario *sc, const void *base)
{
	double x[2] = { (double)sc->irq_delay_min_ns, (double)sc->irq_delay_max_ns };

	(void)base;
	return cJSON_CreateDoubleArray(x, 2);
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

/* flags: "SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT" or a number. */
static int sp_cache_flags_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_cache_cfg *c = base;
	char got[64];
	int64_t n;

	if (cJSON_IsNumber(v)) {
		if (sp_int(p, v, path, 0, UINT32_MAX, &n))
			return SIM_EBADINPUT;
		c->flags = (uint32_t)n;
		return 0;
	}
	if (!cJSON_IsString(v))
		return sp_error(p, path, "expected cache flags (\"SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT\") or a number, got %s",
				sp_show(v, got, sizeof(got)));
	c->flags = 0;
	for (const char *s = v->valuestring; *s; ) {
		size_t len = strcspn(s, "|");
		size_t i;

		for (i = 0; i < SP_NR_CACHE_FLAGS; i++)
			if (strlen(sp_cache_flags[i].name) == len && !strncmp(sp_cache_flags[i].name, s, len))
				break;
		if (i == SP_NR_CACHE_FLAGS)
			return sp_error(p, path, "unknown cache flag \"%.*s\"", (int)len, s);
		c->flags |= sp_cache_flags[i].flag;
		s += len + (s[len] == '|');
	}
	return 0;
}

static cJSON *sp_cache_flags_emit(const struct sim_scenario *sc, const void *base)
{
	const struct sim_cache_cfg *c = base;
	char buf[512];
	size_t len = 0;
	uint32_t rest = c->flags;

	(void)sc;
	buf[0] = 0;
	for (size_t i = 0; i < SP_NR_CACHE_FLAGS; i++) {
		if (!(rest & sp_cache_flags[i].flag))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", sp_cache_flags[i].name);
		rest &= ~sp_cache_flags[i].flag;
	}
	if (rest || !c->flags)
		return cJSON_CreateNumber(c->flags);
	return cJSON_CreateString(buf);
}

/* An array of objects, each parsed against `table` into base[i * size]; *nr gets the count. */
static int sp_array_of(struct sp *p, const cJSON *v, const char *path, const struct sp_key *table,
		       void *base, size_t size, int max, int *nr, const char *required)
{
	char got[64], sub[SP_PATH_MAX];
	int i = 0;

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > max)
		return sp_error(p, path, "expected an array of at most %d objects, got %s", max,
				sp_show(v, got, sizeof(got)));
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		void *elem = (char *)base + (size_t)i * size;

		sp_child(sub, path, NULL, i);
		memset(elem, 0, size);
		if (sp_parse_object(p, e, sub, table, elem))
			return SIM_EBADINPUT;
		if (!cJSON_HasObjectItem(e, required))
			return sp_error(p, sub, "missing key \"%s\"", required);
	}
	*nr = i;
	return 0;
}

static cJSON *sp_array_emit(const struct sim_scenario *sc, const struct sp_key *table,
			    const void *base, size_t size, int nr)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < nr; i++) {
		cJSON *o = sp_emit_object(sc, table, (const char *)base + (size_t)i * size);

		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			cJSON_Delete(a);
			return NULL;
		}
	}
	return a;
}

/* caches: [{"name": "my_cache", "size": 200, "align": 0, "flags": "SLAB_HWCACHE_ALIGN"}] */
static int sp_caches_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char sub[SP_PATH_MAX];

	if (sp_array_of(p, v, path, sp_cache_keys, sc->cache, sizeof(sc->cache[0]), SIM_MAX_CACHES,
			&sc->nr_caches, "name"))
		return SIM_EBADINPUT;
	for (int i = 0; i < sc->nr_caches; i++) {
		sp_child(sub, path, NULL, i);
		if (!sc->cache[i].name[0]) {
			char sub2[SP_PATH_MAX];

			sp_child(sub2, sub, "name", 0);
			return sp_error(p, sub2, "a cache needs a name");
		}
		if (!sc->cache[i].size)
			return sp_error(p, sub, "missing key \"size\"");
		if (sc->cache[i].align & (sc->cache[i].align - 1)) {
			char sub2[SP_PATH_MAX];

			sp_child(sub2, sub, "align", 0);
			memcpy(sub, sub2, sizeof(sub));
			return sp_error(p, sub, "expected 0 or a power of two, got %u", sc->cache[i].align);
		}
	}
	return 0;
}

static cJSON *sp_caches_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_cache_keys, sc->cache, sizeof(sc->cache[0]), sc->nr_caches);
}

/* slub.tune: [{"cache": "kmalloc-64", "cpu_partial": 30}] */
static int sp_slub_tunes_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	return sp_array_of(p, v, path, sp_slub_tune_keys, sc->slub_tune, sizeof(sc->slub_tune[0]),
			   SIM_MAX_TUNES, &sc->nr_slub_tunes, "cache");
}

static cJSON *sp_slub_tunes_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_slub_tune_keys, sc->slub_tune, sizeof(sc->slub_tune[0]), sc->nr_slub_tunes);
}

/* slab.tune: [{"cache": "kmalloc-64", "limit": 120, "batchcount": 60, "shared": 8}], checked
 * as slabinfo_write checks a line (mm/slab.c): limit >= 1, 1 <= batchcount <= limit, shared >= 0. */
static int sp_slab_tunes_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char sub[SP_PATH_MAX];

	if (sp_array_of(p, v, path, sp_slab_tune_keys, sc->slab_tune, sizeof(sc->slab_tune[0]),
			SIM_MAX_TUNES, &sc->nr_slab_tunes, "cache"))
		return SIM_EBADINPUT;
	for (int i = 0; i < sc->nr_slab_tunes; i++) {
		const struct sim_tune_cfg *t = &sc->slab_tune[i];
		const char *need[] = { "limit", "batchcount", "shared" };
		const cJSON *e = cJSON_GetArrayItem(v, i);

		sp_child(sub, path, NULL, i);
		for (int k = 0; k < 3; k++)
			if (!cJSON_HasObjectItem(e, need[k]))
				return sp_error(p, sub, "missing key \"%s\"", need[k]);
		if (t->batchcount > t->limit) {
			char sub2[SP_PATH_MAX];

			sp_child(sub2, sub, "batchcount", 0);
			memcpy(sub, sub2, sizeof(sub));
			return sp_error(p, sub, "%d is above limit %d", t->batchcount, t->limit);
		}
	}
	return 0;
}

static cJSON *sp_slab_tunes_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_slab_tune_keys, sc->slab_tune, sizeof(sc->slab_tune[0]), sc->nr_slab_tunes);
}

/* race.tasks / race.irqs: scripts, each with "ops". */
static int sp_race_tasks_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	return sp_array_of(p, v, path, sp_task_script_keys, sc->race.task, sizeof(sc->race.task[0]),
			   SIM_MAX_SCRIPTS, &sc->race.nr_tasks, "ops");
}

static cJSON *sp_race_tasks_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_task_script_keys, sc->race.task, sizeof(sc->race.task[0]), sc->race.nr_tasks);
}

static int sp_race_irqs_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	return sp_array_of(p, v, path, sp_irq_script_keys, sc->race.irq, sizeof(sc->race.irq[0]),
			   SIM_MAX_SCRIPTS, &sc->race.nr_irqs, "ops");
}

static cJSON *sp_race_irqs_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_irq_script_keys, sc->race.irq, sizeof(sc->race.irq[0]), sc->race.nr_irqs);
}

/* A script's ops: [{"op": "alloc", "cache": "kmalloc-64", "as": "a"}, {"op": "free", "ref": "a"}]. */
static int sp_race_ops_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_script *s = base;
	char sub[SP_PATH_MAX];

	if (sp_array_of(p, v, path, sp_script_op_keys, s->op, sizeof(s->op[0]), SIM_MAX_SCRIPT_OPS,
			&s->nr_ops, "op"))
		return SIM_EBADINPUT;
	for (int i = 0; i < s->nr_ops; i++) {
		const cJSON *e = cJSON_GetArrayItem(v, i);
		const struct sim_script_op *op = &s->op[i];

		if (!cJSON_HasObjectItem(e, "node"))
			s->op[i].nid = -1;	/* any node */
		sp_child(sub, path, NULL, i);
		if ((op->op == SIM_SCRIPT_FREE || op->op == SIM_SCRIPT_WAIT) && !op->ref[0])
			return sp_error(p, sub, "missing key \"ref\"");
		if (op->op == SIM_SCRIPT_ALLOC && !op->cache[0] && !op->size)
			return sp_error(p, sub, "an alloc needs \"cache\" or \"size\"");
	}
	return 0;
}

static cJSON *sp_race_ops_emit(const struct sim_scenario *sc, const void *base)
{
	const struct sim_script *s = base;

	return sp_array_emit(sc, sp_script_op_keys, s->op, sizeof(s->op[0]), s->nr_ops);
}

/* race.watch: [{"kind": "slub", "cache": "kmalloc-64"}, {"kind": "pcp", "node": 0, "zone": "DMA32"}] */
static int sp_race_watch_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char sub[SP_PATH_MAX];

	if (sp_array_of(p, v, path, sp_watch_keys, sc->race.watch, sizeof(sc->race.watch[0]), SIM_MAX_WATCHES,
			&sc->race.nr_watches, "kind"))
		return SIM_EBADINPUT;
	for (int i = 0; i < sc->race.nr_watches; i++) {
		const cJSON *e = cJSON_GetArrayItem(v, i);
		const struct sim_watch_cfg *w = &sc->race.watch[i];

		sp_child(sub, path, NULL, i);
		if (w->kind != SIM_WATCH_PCP && !w->cache[0])
			return sp_error(p, sub, "missing key \"cache\"");
		if (w->kind == SIM_WATCH_PCP && !cJSON_HasObjectItem(e, "zone"))
			return sp_error(p, sub, "missing key \"zone\"");
	}
	return 0;
}

static cJSON *sp_race_watch_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_watch_keys, sc->race.watch, sizeof(sc->race.watch[0]), sc->race.nr_watches);
}

/* "as" / "ref": a name of a script's result, at most 15 characters ("" = none, as canonical JSON prints it). */
static int sp_script_name(struct sp *p, const cJSON *v, const char *path, char *out)
{
	char got[64];

	if (!cJSON_IsString(v) || strlen(v->valuestring) >= SIM_SCRIPT_NAME_MAX)
		return sp_error(p, path, "expected a name of 1 to %d characters, got %s", SIM_SCRIPT_NAME_MAX - 1,
				sp_show(v, got, sizeof(got)));
	strcpy(out, v->valuestring);
	return 0;
}

static int sp_op_as_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	return sp_script_name(p, v, path, ((struct sim_script_op *)base)->as);
}

static cJSON *sp_op_as_emit(const struct sim_scenario *sc, const void *base)
{
	(void)sc;
	return cJSON_CreateString(((const struct sim_script_op *)base)->as);
}

static int sp_op_ref_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	return sp_script_name(p, v, path, ((struct sim_script_op *)base)->ref);
}

static cJSON *sp_op_ref_emit(const struct sim_scenario *sc, const void *base)
{
	(void)sc;
	return cJSON_CreateString(((const struct sim_script_op *)base)->ref);
}

/* ----------------------------------------------------------- entry points */

int sim_scenario_parse(struct sim_scenario *sc, const char *path, const char *text, FILE *err)
{
	struct sp p = { .file = path, .text = text, .err = err, .sc = sc };
	cJSON *root;
	int rc;

	sim_scenario_default(sc);
	root = cJSON_ParseWithOpts(text, NULL, true);
	if (!root) {
		sp_syntax_error(&p, cJSON_GetErrorPtr());
		return SIM_EBADINPUT;
	}
	rc = sp_parse_object(&p, root, "", sp_root_keys, sc);
	if (!rc)
		rc = sp_check(&p);
	cJSON_Delete(root);
	if (!rc) {
		sc->path = strdup(path);
		sc->json = strdup(text);
		if (!sc->path || !sc->json) {
			fprintf(err, "%s: out of memory\n", path);
			rc = SIM_EFAIL;
		}
	}
	if (rc) {
		sim_scenario_free(sc);
		sim_scenario_default(sc);
	}
	return rc;
}

int sim_scenario_load(struct sim_scenario *sc, const char *path, FILE *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc;

	sim_scenario_default(sc);
	if (!f)
		goto unreadable;
	for (;;) {
		size_t n;

		if (cap - len < 4096 + 1) {
			char *t = realloc(text, cap = cap ? cap * 2 : 16384);

			if (!t) {
				free(text);
				fclose(f);
				fprintf(err, "%s: out of memory\n", path);
				return SIM_EFAIL;
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(text);
		fclose(f);
		goto unreadable;
	}
	fclose(f);
	text[len] = 0;
	if (strlen(text) != len) {
		fprintf(err, "%s:%d: a NUL byte in the text\n", path, sp_line_at(text, text + strlen(text)));
		free(text);
		return SIM_EBADINPUT;
	}
	rc = sim_scenario_parse(sc, path, text, err);
	free(text);
	return rc;
unreadable:
	fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
	return SIM_EBADINPUT;
}

char *sim_scenario_to_json(const struct sim_scenario *sc)
{
	cJSON *o = sp_emit_object(sc, sp_root_keys, sc);
	char *s;

	if (!o)
		return NULL;
	s = cJSON_Print(o);
	cJSON_Delete(o);
	return s;
}
