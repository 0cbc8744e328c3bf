/*
 * scenario_memory.c - the "memory" keys of a scenario (memory_cfg.h): page
 * cache readers and anonymous-memory tasks.  The section is left out of the
 * canonical JSON when it has no task, so scenarios without it read as before.
 */
#include <stddef.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"

#define MC(field) offsetof(struct sim_page_cache_cfg, field)
#define MA(field) offsetof(struct sim_anon_cfg, field)

SP_CUSTOM(sp_page_cache);
SP_CUSTOM(sp_anon);
SP_CUSTOM(sp_dentries);

#define MD(field) offsetof(struct sim_dentry_cfg, field)

static const struct sp_key sp_dentry_keys[] = {
	NUM("cpu", T_INT, MD(cpu), 0, SIM_MAX_CPUS - 1),
	NUM("objects", T_U64, MD(objects), 1, 1LL << 26),
	NUM("think_ns", T_U32, MD(think_ns), 0, 1000000000),
	{ 0 }
};

static const struct sp_key sp_page_cache_keys[] = {
	NUM("cpu", T_INT, MC(cpu), 0, SIM_MAX_CPUS - 1),
	NUM("file_pages", T_U64, MC(file_pages), 1, 1LL << 26),
	NUM("reads", T_U64, MC(reads), 0, 1LL << 40),
	NUM("working_set", T_U64, MC(working_set), 0, 1LL << 26),
	NUM("hot_pct", T_U32, MC(hot_pct), 0, 100),
	NUM("think_ns", T_U32, MC(think_ns), 0, 1000000000),
	{ 0 }
};

static const struct sp_key sp_anon_keys[] = {
	NUM("cpu", T_INT, MA(cpu), 0, SIM_MAX_CPUS - 1),
	NUM("pages", T_U64, MA(pages), 1, 1LL << 26),
	NUM("think_ns", T_U32, MA(think_ns), 0, 1000000000),
	{ .name = "hold_us", .type = T_U64, .off = MA(hold_ns), .min = 0, .max = 1000000000, .scale = 1000 },
	NUM("oom_score_adj", T_INT, MA(oom_score_adj), -1000, 1000),
	{ 0 }
};

bool sp_memory_present(const struct sim_scenario *sc)
{
	return sc->memory.nr_page_cache || sc->memory.nr_anon || sc->memory.nr_dentries;
}

const struct sp_key sp_memory_keys[] = {
	FN("page_cache", sp_page_cache),
	FN("anon", sp_anon),
	FN("dentries", sp_dentries),
	{ 0 }
};

static int sp_page_cache_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	if (sp_array_of(p, v, path, sp_page_cache_keys, sc->memory.page_cache, sizeof(sc->memory.page_cache[0]),
			SIM_MAX_MEMORY_TASKS, &sc->memory.nr_page_cache, "file_pages"))
		return SIM_EBADINPUT;
	for (int i = 0; i < sc->memory.nr_page_cache; i++) {
		struct sim_page_cache_cfg *c = &sc->memory.page_cache[i];
		char sub[SP_PATH_MAX];

		if (c->working_set > c->file_pages) {
			sp_child(sub, path, NULL, i);
			return sp_error(p, sub, "working_set %llu is above file_pages %llu",
					(unsigned long long)c->working_set, (unsigned long long)c->file_pages);
		}
	}
	return 0;
}

static cJSON *sp_page_cache_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_page_cache_keys, sc->memory.page_cache, sizeof(sc->memory.page_cache[0]),
			     sc->memory.nr_page_cache);
}

static int sp_anon_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	return sp_array_of(p, v, path, sp_anon_keys, sc->memory.anon, sizeof(sc->memory.anon[0]),
			   SIM_MAX_MEMORY_TASKS, &sc->memory.nr_anon, "pages");
}

static cJSON *sp_anon_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_anon_keys, sc->memory.anon, sizeof(sc->memory.anon[0]), sc->memory.nr_anon);
}

static int sp_dentries_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;

	return sp_array_of(p, v, path, sp_dentry_keys, sc->memory.dentries, sizeof(sc->memory.dentries[0]),
			   SIM_MAX_MEMORY_TASKS, &sc->memory.nr_dentries, "objects");
}

static cJSON *sp_dentries_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_dentry_keys, sc->memory.dentries, sizeof(sc->memory.dentries[0]),
			     sc->memory.nr_dentries);
}
