/*
 * scenario_int.h - internals shared by the scenario loader's files.
 *
 *   scenario.c           entry points, the root key table, the small groups
 *                        (costs, sched, irq, buddy, guards), the seed
 *   scenario_walk.c      the walker that parses and prints the key tables,
 *                        and the helpers the custom keys share
 *   scenario_machine.c   machine: nodes, zones, distance
 *   scenario_workload.c  workload: streams
 *   scenario_slab.c      caches, slub, slab
 *   scenario_race.c      race: scripts and watches
 *   scenario_check.c     defaults, and the checks that involve several keys
 *   scenario_text.c      error lines (key path -> line), gfp flag names
 *   scenario_set.c       --set KEY=VALUE overrides on the JSON before it is read
 *
 * Only the first six and scenario_set.c (the JSON side) include cJSON.h.  Names here start
 * with sp_ ("scenario parser"); none leave the loader.
 */
#ifndef KMEMSIM_SIM_SCENARIO_INT_H
#define KMEMSIM_SIM_SCENARIO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#define SP_PATH_MAX 256			/* longest key path ("workload.streams[63].orders.10") */
#define SP_MAX_MIB SIM_SCENARIO_MAX_MIB	/* 4 TiB of simulated memory at most */
#define SP_DMA_END_MIB 16		/* ZONE_DMA: below 16 MiB */
#define SP_DMA32_END_MIB 4096		/* ZONE_DMA32: below 4 GiB */

/* Parser state of one sim_scenario_parse. */
struct sp {
	const char *file;		/* names the text in messages */
	const char *text;		/* the whole text, for the line of a key */
	FILE *err;
	struct sim_scenario *sc;
	bool distance_given;		/* machine.distance was in the text */
	int nr_dist_rows;		/* its rows, and each row's length */
	int dist_cols[SIM_MAX_NODES];
	bool stream_cpu_given[SIM_MAX_STREAMS];
	bool stream_node_given[SIM_MAX_STREAMS];
	bool stream_pages_keys[SIM_MAX_STREAMS];	/* orders or migratetypes given */
	bool stream_objects_keys[SIM_MAX_STREAMS];	/* sizes or cache given */
	bool stream_pinned_given[SIM_MAX_STREAMS];
	const char *set_keys;		/* key paths written by --set, one a line; NULL: none */
};

/* "scenario_check.c" */
void sp_stream_default(struct sim_stream_cfg *st);	/* the default stream */
void sp_distance_default(struct sim_scenario *sc);	/* 10 local, 20 remote */
bool sp_is_default_string(const char *s);		/* one of the defaults' static strings */
int sp_check(struct sp *p);				/* whole-file checks; 0 or SIM_EBADINPUT */

/* "scenario_text.c" */
/* One line `file:line: path: what` for the nth occurrence of key path `path`; SIM_EBADINPUT. */
int sp_error_nth(struct sp *p, const char *path, int nth, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define sp_error(p, path, ...) sp_error_nth((p), (path), 1, __VA_ARGS__)
void sp_syntax_error(struct sp *p, const char *at);	/* a JSON syntax error found at `at` */
int sp_line_of(const char *text, const char *path, int nth); /* line of a key path; 1 if absent */
int sp_line_at(const char *text, const char *at);	/* line of a byte of text */
/* gfp flags from "GFP_KERNEL|__GFP_ZERO" (errors reported at `path`); 0 or SIM_EBADINPUT. */
int sp_gfp_parse_text(struct sp *p, const char *s, const char *path, uint32_t *out);
void sp_gfp_text(uint32_t gfp, char *buf, size_t size);	/* canonical names; gfp != 0 */

/* ------------------------------------------------- the JSON side's tables */

typedef struct cJSON cJSON;		/* <cjson/cJSON.h>, included by the JSON side only */

#define SP_MAX_OBJ_SIZE (4u << 20)	/* KMALLOC_MAX_SIZE and the largest kmem_cache_create size */

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
	bool (*present)(const struct sim_scenario *sc);	/* when set and false: left out of the canonical JSON */
};

/* The custom keys: each has f_parse and f_emit, in the file of its group. */
#define SP_CUSTOM(f)								\
	static int f##_parse(struct sp *p, const cJSON *v, const char *path, void *base); \
	static cJSON *f##_emit(const struct sim_scenario *sc, const void *base)

/* Table rows: NUM for the integer types, FN for custom keys, SC for struct sim_scenario. */
#define NUM(n, t, off_, lo, hi) { .name = n, .type = t, .off = off_, .min = lo, .max = hi }
#define FN(n, f) { .name = n, .type = T_FN, .parse = f##_parse, .emit = f##_emit }
#define OBJ(n, table) { .name = n, .type = T_OBJ, .sub = table }
#define SC(field) offsetof(struct sim_scenario, field)
#define NAME(n, off_) { .name = n, .type = T_NAME, .off = off_ }
#define BOOL(n, field) { .name = n, .type = T_BOOL, .off = SC(field) }
#define U32(n, field, lo, hi) NUM(n, T_U32, SC(field), lo, hi)
#define U64(n, field, lo, hi) NUM(n, T_U64, SC(field), lo, hi)

/* The key groups under the root table (scenario.c). */
extern const struct sp_key sp_machine_keys[];	/* "scenario_machine.c" */
extern const struct sp_key sp_workload_keys[];	/* "scenario_workload.c" */
extern const struct sp_key sp_slub_keys[];	/* "scenario_slab.c" */
extern const struct sp_key sp_slab_keys[];
extern const struct sp_key sp_race_keys[];	/* "scenario_race.c" */
extern const struct sp_key sp_memory_keys[];	/* "scenario_memory.c" */
bool sp_memory_present(const struct sim_scenario *sc);
/* caches: a root key, "scenario_slab.c" */
int sp_caches_parse(struct sp *p, const cJSON *v, const char *path, void *base);
cJSON *sp_caches_emit(const struct sim_scenario *sc, const void *base);

/* "scenario_set.c" */
/* --set "KEY=VALUE" overrides into root; *keys: their key paths, one a line (malloc'd). */
int sp_apply_sets(struct sp *p, cJSON *root, const char *const *sets, int nr, char **keys);
bool sp_is_set_path(const char *keys, const char *path);	/* an error at path is about a --set key (scenario_text.c) */

/* "scenario_walk.c" */
/* Parse object `obj` (at key path `path`) against `table` into `base`. */
int sp_parse_object(struct sp *p, const cJSON *obj, const char *path,
		    const struct sp_key *table, void *base);
cJSON *sp_emit_object(const struct sim_scenario *sc, const struct sp_key *table, const void *base);
/* A short rendering of a JSON value for "got ..." in messages. */
const char *sp_show(const cJSON *v, char *buf, size_t size);
/* Read an integer in [min, max] from v; SIM_EBADINPUT after a message. */
int sp_int(struct sp *p, const cJSON *v, const char *path, int64_t min, int64_t max, int64_t *out);
/* Child path "parent.key" or "parent[i]" (i >= 0); a path too long is cut short. */
void sp_child(char *buf, const char *parent, const char *key, int i);
/* Key v of obj (at key path `sub`) must not appear earlier in obj. */
int sp_check_dup(struct sp *p, const cJSON *obj, const cJSON *v, const char *sub);
/* [min, max] with lo <= min <= max <= hi, read into two integers. */
int sp_pair(struct sp *p, const cJSON *v, const char *path, int64_t lo, int64_t hi, int64_t out[2]);
/* An array of objects, each parsed against `table` into base[i * size]; *nr gets the count. */
int sp_array_of(struct sp *p, const cJSON *v, const char *path, const struct sp_key *table,
		void *base, size_t size, int max, int *nr, const char *required);
cJSON *sp_array_emit(const struct sim_scenario *sc, const struct sp_key *table,
		     const void *base, size_t size, int nr);

#endif
