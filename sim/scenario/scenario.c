/*
 * scenario.c - the scenario loader: JSON text over the embedded defaults.
 *
 * Main entries: sim_scenario_load / _parse and sim_scenario_to_json.  Here
 * too the root table (the top-level keys, in canonical order), the groups
 * that are a table and little more (costs, sched, irq, buddy, guards) and
 * the seed.
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
 * Not here: the walker (scenario_walk.c), the machine, workload, slab and
 * race keys (scenario_machine.c, scenario_workload.c, scenario_slab.c,
 * scenario_race.c), the defaults and whole-file checks (scenario_check.c),
 * error lines and gfp names (scenario_text.c), what the fields mean to the
 * engine and models (sim/engine/engine.c, models/, sim/run/workload.c).  Every key is
 * documented in docs/scenario.md.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "scenario_int.h"

#define SP_INT_EXACT (1ULL << 53)	/* integers a JSON number (a double) holds exactly */

/* ---------------------------------------------------------------- tables */

static const char *const sp_allocator_names[] = { "buddy", "slub", "slab", NULL };
static const char *const sp_preempt_names[] = { "none", "voluntary", "full", NULL };

SP_CUSTOM(sp_seed);
SP_CUSTOM(sp_irq_delay);

#define COST(n, c) U32(n, cost[c], 0, 1000000000)
#define US(n, field, lo, hi) \
	{ .name = n, .type = T_U64, .off = SC(field), .min = lo, .max = hi, .scale = 1000 }
#define GUARD(n, g) { .name = n, .type = T_BOOL, .off = SC(guard_off[g]), .invert = true }

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

static const char *const sp_zonelist_order_names[] = { "node", "default", NULL };

/* What-if knobs the kernel does not expose: one value per zone type, on every node. */
#define SP_ZONE_ALL(tbl, field)								\
	static const struct sp_key tbl[] = {						\
		U32("dma", field[0], 0, 1 << 30), U32("dma32", field[1], 0, 1 << 30),	\
		U32("normal", field[2], 0, 1 << 30), U32("movable", field[3], 0, 1 << 30),	\
		{ 0 }									\
	}
SP_ZONE_ALL(sp_pcp_high_all_keys, pcp_high_all);
SP_ZONE_ALL(sp_pcp_batch_all_keys, pcp_batch_all);

static const struct sp_key sp_buddy_keys[] = {
	U64("min_free_kbytes", min_free_kbytes, 0, 262144),
	U32("watermark_scale_factor", watermark_scale_factor, 1, 3000),
	U32("percpu_pagelist_high_fraction", percpu_pagelist_high_fraction, 0, 1000000),
	U32("watermark_boost_factor", watermark_boost_factor, 0, 1000000000),
	{ .name = "numa_zonelist_order", .type = T_ENUM, .off = SC(numa_zonelist_order),
	  .names = sp_zonelist_order_names },
	OBJ("pcp_high", sp_pcp_high_all_keys),
	OBJ("pcp_batch", sp_pcp_batch_all_keys),
	BOOL("thp", thp),
	U32("pageblock_order", page_block_order, 4, SIM_MAX_ORDERS - 1),
	{ 0 }
};

static bool sp_usercopy_off(const struct sim_scenario *sc)
{
	return !sc->hardened_usercopy;
}

static bool sp_buckets_off(const struct sim_scenario *sc)
{
	return !sc->slab_buckets;
}

SP_CUSTOM(sp_kernel);
SP_CUSTOM(sp_kernel_version);

/* "kernel": an object of these, or a version string alone ("6.12" = {"version": "6.12"}). */
static const struct sp_key sp_kernel_keys[] = {
	FN("version", sp_kernel_version),
	BOOL("memcg_kmem", memcg_kmem),
	BOOL("memcg_online", memcg_online),
	BOOL("zone_dma", zone_dma),
	/* 6.12's switches: in the canonical JSON only when off (runs of 6.1 read as before) */
	{ .name = "hardened_usercopy", .type = T_BOOL, .off = SC(hardened_usercopy), .present = sp_usercopy_off },
	{ .name = "slab_buckets", .type = T_BOOL, .off = SC(slab_buckets), .present = sp_buckets_off },
	{ 0 }
};

static bool sp_node_partial_off(const struct sim_scenario *sc)
{
	return sc->guard_off[SIM_GUARD_SLUB_NODE_PARTIAL];
}

static bool sp_drain_lock_off(const struct sim_scenario *sc)
{
	return sc->guard_off[SIM_GUARD_SLAB_DRAIN_LOCK];
}

static const struct sp_key sp_guards_keys[] = {
	GUARD("slub_tid", SIM_GUARD_SLUB_TID),
	GUARD("slub_recheck", SIM_GUARD_SLUB_RECHECK),
	GUARD("slub_irq", SIM_GUARD_SLUB_IRQ),
	GUARD("slub_cmpxchg_double", SIM_GUARD_SLUB_CMPXCHG_DOUBLE),
	GUARD("slab_irq", SIM_GUARD_SLAB_IRQ),
	GUARD("slab_list_lock", SIM_GUARD_SLAB_LIST_LOCK),
	GUARD("pcp_lock", SIM_GUARD_PCP_LOCK),
	GUARD("slub_deactivate_irq", SIM_GUARD_SLUB_DEACTIVATE_IRQ),
	GUARD("slub_unfreeze_irq", SIM_GUARD_SLUB_UNFREEZE_IRQ),
	GUARD("slub_cpu_partial", SIM_GUARD_SLUB_CPU_PARTIAL),
	GUARD("pcp_drain_lock", SIM_GUARD_PCP_DRAIN_LOCK),
	/* Newer than the databases' canonical JSON: printed only when switched off. */
	{ .name = "slub_node_partial", .type = T_BOOL, .off = SC(guard_off[SIM_GUARD_SLUB_NODE_PARTIAL]),
	  .invert = true, .present = sp_node_partial_off },
	{ .name = "slab_drain_lock", .type = T_BOOL, .off = SC(guard_off[SIM_GUARD_SLAB_DRAIN_LOCK]),
	  .invert = true, .present = sp_drain_lock_off },
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
	FN("kernel", sp_kernel),
	FN("caches", sp_caches),
	BOOL("slab_nomerge", slab_nomerge),
	OBJ("slub", sp_slub_keys),
	OBJ("slab", sp_slab_keys),
	OBJ("workload", sp_workload_keys),
	OBJ("guards", sp_guards_keys),
	OBJ("race", sp_race_keys),
	{ .name = "memory", .type = T_OBJ, .sub = sp_memory_keys, .present = sp_memory_present },
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

/* kernel.version, or kernel as a string: "6.1" or "6.12" exactly. */
static int sp_kernel_version_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	struct sim_scenario *sc = base;
	char got[64];

	if (cJSON_IsString(v) && !sim_kernel_parse(v->valuestring, &sc->kernel)) {
		sc->kernel_given = true;
		return 0;
	}
	return sp_error(p, path, "expected a kernel version, %s, got %s", sim_kernel_names(),
			sp_show(v, got, sizeof(got)));
}

static cJSON *sp_kernel_version_emit(const struct sim_scenario *sc, const void *base)
{
	(void)base;
	return cJSON_CreateString(sim_kernel_name(sim_scenario_kernel(sc)));
}

static int sp_kernel_parse(struct sp *p, const cJSON *v, const char *path, void *base)
{
	char got[64];

	if (cJSON_IsString(v))
		return sp_kernel_version_parse(p, v, path, base);
	if (cJSON_IsObject(v))
		return sp_parse_object(p, v, path, sp_kernel_keys, base);
	return sp_error(p, path, "expected a kernel version, %s, or an object, got %s", sim_kernel_names(),
			sp_show(v, got, sizeof(got)));
}

static cJSON *sp_kernel_emit(const struct sim_scenario *sc, const void *base)
{
	return sp_emit_object(sc, sp_kernel_keys, base);
}

/* ----------------------------------------------------------- entry points */

/* text over the defaults, with --set overrides applied to its JSON first (nr_sets may be 0). */
static int sp_parse_sets(struct sim_scenario *sc, const char *path, const char *text,
			 const char *const *sets, int nr_sets, FILE *err)
{
	struct sp p = { .file = path, .text = text, .err = err, .sc = sc };
	char *keys = NULL, *effective = NULL;
	cJSON *root;
	int rc;

	sim_scenario_default(sc);
	root = cJSON_ParseWithOpts(text, NULL, true);
	if (!root) {
		sp_syntax_error(&p, cJSON_GetErrorPtr());
		return SIM_EBADINPUT;
	}
	rc = nr_sets ? sp_apply_sets(&p, root, sets, nr_sets, &keys) : 0;
	if (!rc && nr_sets && !(effective = cJSON_Print(root))) {
		fprintf(err, "%s: out of memory\n", path);
		rc = SIM_EFAIL;
	}
	p.set_keys = keys;
	if (!rc)
		rc = sp_parse_object(&p, root, "", sp_root_keys, sc);
	if (!rc)
		rc = sp_check(&p);
	cJSON_Delete(root);
	if (!rc) {
		sc->path = strdup(path);
		sc->json = effective ? effective : strdup(text);
		effective = NULL;
		sc->set_keys = keys;
		keys = NULL;
		if (!sc->path || !sc->json) {
			fprintf(err, "%s: out of memory\n", path);
			rc = SIM_EFAIL;
		}
	}
	free(keys);
	free(effective);
	if (rc) {
		sim_scenario_free(sc);
		sim_scenario_default(sc);
	}
	return rc;
}

int sim_scenario_parse(struct sim_scenario *sc, const char *path, const char *text, FILE *err)
{
	return sp_parse_sets(sc, path, text, NULL, 0, err);
}

/* The whole of file `path` into *text (malloc'd); 0 or SIM_E* after one line. */
static int sp_read_file(const char *path, char **out, FILE *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0;

	*out = NULL;
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
		if (len > SIM_SCENARIO_MAX_BYTES) {	/* /dev/zero, a stream, a wrong file */
			free(text);
			fclose(f);
			fprintf(err, "%s: expected a scenario of at most %d MiB, got more\n", path,
				SIM_SCENARIO_MAX_BYTES >> 20);
			return SIM_EBADINPUT;
		}
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
	*out = text;
	return 0;
unreadable:
	fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
	return SIM_EBADINPUT;
}

int sim_scenario_load_set(struct sim_scenario *sc, const char *path, const char *const *sets, int nr_sets,
			  FILE *err)
{
	char *text = NULL;
	int rc;

	sim_scenario_default(sc);
	if (!path && !nr_sets)
		return 0;
	if (path) {
		rc = sp_read_file(path, &text, err);
		if (rc)
			return rc;
	}
	rc = sp_parse_sets(sc, path ? path : "(default)", text ? text : "{}", sets, nr_sets, err);
	free(text);
	return rc;
}

int sim_scenario_load(struct sim_scenario *sc, const char *path, FILE *err)
{
	return sim_scenario_load_set(sc, path, NULL, 0, err);
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

bool sim_scenario_has_key(const struct sim_scenario *sc, const char *path)
{
	cJSON *root, *v;
	char key[SP_PATH_MAX];
	const char *p = path;

	if (!sc->json || sp_is_default_string(sc->json))
		return false;
	/* without a backslash every key is in the text as written: one that is not cannot be in
	 * the tree (a replay asks for a dozen keys; parsing the text for each cost a fuzzed
	 * replay a tenth of its time) */
	if (!strchr(sc->json, '\\'))
		for (const char *q = path; *q; ) {
			size_t len = strcspn(q, ".");

			if (len < sizeof(key) - 1) {
				memcpy(key, q, len);
				key[len] = 0;
				if (!strstr(sc->json, key))
					return false;
			}
			q += len + (q[len] == '.');
		}
	root = cJSON_Parse(sc->json);
	v = root;
	while (v && *p) {
		size_t len = strcspn(p, ".");

		if (len >= sizeof(key))
			len = sizeof(key) - 1;
		memcpy(key, p, len);
		key[len] = 0;
		v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, key) : NULL;
		p += len + (p[len] == '.');
	}
	cJSON_Delete(root);
	return v != NULL;
}
