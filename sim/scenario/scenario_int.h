/*
 * scenario_int.h - internals shared by the scenario loader's files.
 *
 *   scenario.c        the JSON side (the only file with cJSON.h): key tables,
 *                     the walker that parses and prints them, entry points
 *   scenario_check.c  defaults, and the checks that involve several keys
 *   scenario_text.c   error lines (key path -> line), gfp flag names
 *
 * Names here start with sp_ ("scenario parser"); none leave the loader.
 */
#ifndef KMEMSIM_SIM_SCENARIO_INT_H
#define KMEMSIM_SIM_SCENARIO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

#define SP_PATH_MAX 256			/* longest key path ("workload.streams[63].orders.10") */
#define SP_MAX_MIB (4ULL << 20)		/* 4 TiB of simulated memory at most */
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

#endif
