/*
 * scenario_slab.c - the slab allocators' keys of a scenario: the caches it
 * creates (name, size, align, SLAB_* flags), the "slub" and "slab" boot
 * parameters, and their per-cache tunables (slub.tune: cpu_partial, min_partial;
 * slab.tune: limit, batchcount, shared, checked as slabinfo_write checks a
 * line).
 */
#include <stddef.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"
#include "../../models/slab_common/slab_common.h"

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

#define CC(field) offsetof(struct sim_cache_cfg, field)
#define TU(field) offsetof(struct sim_tune_cfg, field)

SP_CUSTOM(sp_cache_flags);
SP_CUSTOM(sp_slub_tunes);
SP_CUSTOM(sp_slab_tunes);
SP_CUSTOM(sp_slub_debug);

static const struct sp_key sp_cache_keys[] = {
	NAME("name", CC(name)),
	NUM("size", T_U32, CC(size), 1, SP_MAX_OBJ_SIZE),
	NUM("align", T_U32, CC(align), 0, 4096),
	FN("flags", sp_cache_flags),
	{ .name = "ctor", .type = T_BOOL, .off = CC(ctor) },
	{ 0 }
};

static const struct sp_key sp_slub_tune_keys[] = {
	NAME("cache", TU(cache)),
	NUM("cpu_partial", T_U32, TU(cpu_partial), 0, 1000000),
	NUM("min_partial", T_U32, TU(min_partial), 0, 1000000),
	{ 0 }
};

static const struct sp_key sp_slab_tune_keys[] = {
	NAME("cache", TU(cache)),
	NUM("limit", T_INT, TU(limit), 1, 1000000),
	NUM("batchcount", T_INT, TU(batchcount), 1, 1000000),
	NUM("shared", T_INT, TU(shared), 0, 1000000),
	{ 0 }
};

const struct sp_key sp_slub_keys[] = {
	U32("min_order", slub_min_order, 0, SIM_MAX_ORDERS - 1),
	U32("max_order", slub_max_order, 0, SIM_MAX_ORDERS - 1),
	U32("min_objects", slub_min_objects, 0, 32767),
	BOOL("freelist_random", slub_freelist_random),
	BOOL("freelist_hardened", slub_freelist_hardened),
	BOOL("cpu_partial", slub_cpu_partial),
	FN("debug", sp_slub_debug),
	FN("tune", sp_slub_tunes),
	{ 0 }
};

const struct sp_key sp_slab_keys[] = {
	NUM("max_order", T_INT, SC(slab_max_order), -1, SIM_MAX_ORDERS - 1),
	BOOL("noaliencache", slab_noaliencache),
	BOOL("freelist_random", slab_freelist_random),
	BOOL("reaper", slab_reaper),
	BOOL("debug", slab_debug),
	FN("tune", sp_slab_tunes),
	{ 0 }
};

/* slub_debug= option letters (mm/slub.c parse_slub_debug_flags), in the order printed. */
static const struct { char letter; uint32_t flag; } sp_slub_debug_letters[] = {
	{ 'F', SLAB_CONSISTENCY_CHECKS }, { 'Z', SLAB_RED_ZONE }, { 'P', SLAB_POISON },
	{ 'U', SLAB_STORE_USER }, { 'T', SLAB_TRACE },
};
#define SP_NR_SLUB_DEBUG (sizeof(sp_slub_debug_letters) / sizeof(sp_slub_debug_letters[0]))

uint32_t sim_slub_debug_flag(char letter)
{
	for (size_t i = 0; i < SP_NR_SLUB_DEBUG; i++)
		if ((letter & ~0x20) == sp_slub_debug_letters[i].letter)
			return sp_slub_debug_letters[i].flag;
	return 0;
}

/* slub.debug: the letters of slub_debug= ("FZPU"; "" or "-": off), case-insensitive. */
static int sp_slub_debug_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64];

	if (!cJSON_IsString(v))
		return sp_error(p, path, "expected slub_debug= letters (\"FZPU\", \"\" for off), got %s",
				sp_show(v, got, sizeof(got)));
	sc->slub_debug = 0;
	for (const char *s = v->valuestring; *s; s++) {
		uint32_t f = *s == '-' ? 0 : sim_slub_debug_flag(*s);

		if (!f && *s != '-')
			return sp_error(p, path, "unknown slub_debug option '%c' (F, Z, P, U, T)", *s);
		sc->slub_debug |= f;
	}
	return 0;
}

static cJSON *sp_slub_debug_emit(const struct sim_scenario *sc, const void *base)
{
	char buf[SP_NR_SLUB_DEBUG + 1];
	size_t n = 0;

	(void)base;
	for (size_t i = 0; i < SP_NR_SLUB_DEBUG; i++)
		if (sc->slub_debug & sp_slub_debug_letters[i].flag)
			buf[n++] = sp_slub_debug_letters[i].letter;
	buf[n] = 0;
	return cJSON_CreateString(buf);
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

/* caches: [{"name": "my_cache", "size": 200, "align": 0, "flags": "SLAB_HWCACHE_ALIGN"}] */
int sp_caches_parse(struct sp *p, const cJSON *v, const char *path, void *base)
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

cJSON *sp_caches_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return sp_array_emit(sc, sp_cache_keys, sc->cache, sizeof(sc->cache[0]), sc->nr_caches);
}

/* slub.tune: [{"cache": "kmalloc-64", "cpu_partial": 30, "min_partial": 5}]: one or both sysfs files */
static int sp_slub_tunes_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char sub[SP_PATH_MAX];

	if (sp_array_of(p, v, path, sp_slub_tune_keys, sc->slub_tune, sizeof(sc->slub_tune[0]),
			SIM_MAX_TUNES, &sc->nr_slub_tunes, "cache"))
		return SIM_EBADINPUT;
	for (int i = 0; i < sc->nr_slub_tunes; i++) {
		struct sim_tune_cfg *t = &sc->slub_tune[i];
		const cJSON *e = cJSON_GetArrayItem(v, i);

		t->cpu_partial_set = cJSON_HasObjectItem(e, "cpu_partial");
		t->min_partial_set = cJSON_HasObjectItem(e, "min_partial");
		sp_child(sub, path, NULL, i);
		if (!t->cpu_partial_set && !t->min_partial_set)
			return sp_error(p, sub, "expected \"cpu_partial\", \"min_partial\" or both");
	}
	return 0;
}

static cJSON *sp_slub_tunes_emit(const struct sim_scenario *sc, const void *base)
{
	cJSON *a = sp_array_emit(sc, sp_slub_tune_keys, sc->slub_tune, sizeof(sc->slub_tune[0]), sc->nr_slub_tunes);

	(void)base;
	for (int i = 0; a && i < sc->nr_slub_tunes; i++) {
		cJSON *e = cJSON_GetArrayItem(a, i);

		if (!sc->slub_tune[i].cpu_partial_set)
			cJSON_DeleteItemFromObjectCaseSensitive(e, "cpu_partial");
		if (!sc->slub_tune[i].min_partial_set)
			cJSON_DeleteItemFromObjectCaseSensitive(e, "min_partial");
	}
	return a;
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
