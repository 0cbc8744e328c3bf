/*
 * report.h - what the files of `kmemsim report` share (sim/cli/cmd_report.c writes the page,
 * sim/cli/report_data.c the data of one run as JSON, cmd_sweep.c a sweep's tables).
 */
#ifndef KMEMSIM_SIM_CLI_REPORT_H
#define KMEMSIM_SIM_CLI_REPORT_H

#include <stdio.h>

#include "outfmt.h"

struct sim_digest;
struct sim_sweep_result;

#define REPORT_BUCKETS 200		/* time buckets of every chart over simulated time */

/* A JSON string of s (NULL: null), with "<" escaped so the text can sit in a <script>. */
void report_json_str(FILE *f, const char *s);

/* The start and end of a self-contained page of the report's look, for other commands' HTML
 * (`kmemsim story`): the body's content goes between them (cmd_report.c). */
void report_page_head(FILE *f, const char *title);
void report_page_foot(FILE *f);

/* The data of the run at `path` (digested into d, REPORT_BUCKETS buckets) as one JSON object
 * (docs/report.md lists what it holds).  0, or SIM_EFAIL after a line on err. */
int report_run_json(const char *path, const struct sim_digest *d, FILE *f, FILE *err);

/* A sweep's comparison tables (points, caches) in fmt, as `kmemsim sweep` prints them
 * (sim/cli/cmd_sweep.c; `kmemsim report` of a sweep embeds the JSON).  0 or SIM_EFAIL. */
int sweep_print(const struct sim_sweep_result *res, enum out_format fmt, FILE *out);

#endif
