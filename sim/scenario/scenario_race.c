/*
 * scenario_race.c - the "race" keys of a scenario: the scripted workload of
 * a race scenario (sim/scenario/race_cfg.h, sim/run/script.c).  Task and interrupt
 * scripts, each a vCPU and a list of ops (alloc, alloc_pages, free, wait,
 * yield, drain_all_pages, cache_reap) whose results are named by "as" and used by "ref"; the watches
 * (a SLUB or SLAB cache, or a node's pcp lists of a zone); and check_every.
 */
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"

/* race: the scripted workload of a race scenario (sim/scenario/race_cfg.h, sim/run/script.c). */
_Static_assert(SIM_WATCH_CACHE_MAX == SIM_CACHE_NAME_MAX, "race cache names are T_NAME fields");
static const char *const sp_script_op_names[] = { "alloc", "alloc_pages", "free", "wait", "yield", "drain_all_pages", "cache_reap", NULL };
static const char *const sp_until_names[] = { "freed", "live", NULL };
static const char *const sp_watch_kind_names[] = { "slub", "slab", "pcp", NULL };
static const char *const sp_zone_names[] = { "DMA", "DMA32", "Normal", "Movable", NULL };
#define SO(field) offsetof(struct sim_script_op, field)
#define SS(field) offsetof(struct sim_script, field)
#define SW(field) offsetof(struct sim_watch_cfg, field)

SP_CUSTOM(sp_race_tasks);
SP_CUSTOM(sp_race_irqs);
SP_CUSTOM(sp_race_ops);
SP_CUSTOM(sp_race_watch);
SP_CUSTOM(sp_op_as);
SP_CUSTOM(sp_op_ref);

/* "at_ns" of a step: in the canonical JSON only when some step has one (older race files read as before). */
static bool sp_at_ns_present(const struct sim_scenario *sc)
{
	for (int i = 0; i < sc->race.nr_tasks; i++)
		for (int j = 0; j < sc->race.task[i].nr_ops; j++)
			if (sc->race.task[i].op[j].at_ns)
				return true;
	for (int i = 0; i < sc->race.nr_irqs; i++)
		for (int j = 0; j < sc->race.irq[i].nr_ops; j++)
			if (sc->race.irq[i].op[j].at_ns)
				return true;
	return false;
}

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
	{ .name = "at_ns", .type = T_U64, .off = SO(at_ns), .min = 0, .max = 1LL << 50, .present = sp_at_ns_present },
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

const struct sp_key sp_race_keys[] = {
	FN("tasks", sp_race_tasks),
	FN("irqs", sp_race_irqs),
	FN("watch", sp_race_watch),
	U64("check_every", race.check_every, 0, 1LL << 40),
	{ 0 }
};

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
