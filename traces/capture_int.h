/*
 * capture_int.h - what the capture reader's files share (traces/capture.c,
 * capture_slab.c, capture_kernel.c): paths, opening a snapshot's file, the
 * one-line errors, number parsing, and the readers capture.c calls.
 */
#ifndef KMEMSIM_TRACES_CAPTURE_INT_H
#define KMEMSIM_TRACES_CAPTURE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"

#define CAP_LINE 4096

char *cap_path(const char *dir, const char *name);
bool cap_exists(const char *path);
FILE *cap_open(const struct sim_capture *c, const char *name, bool snap, char **used, FILE *err);
/* After cap_open gave NULL: 0 when the file is absent, SIM_EBADINPUT when it was not one (frees used). */
int cap_absent(char *used);
/* The next line of f in buf (line end stripped): 1, 0 at the end, or -SIM_EBADINPUT after
 * `path:LINE: what` on err for a NUL or other control byte or a line of size bytes or more. */
int cap_line(FILE *f, char *buf, size_t size, const char *path, int *ln, FILE *err);
int cap_bad(FILE *err, const char *path, int line, const char *what);
/* `path:1: expected WHAT, got none` (a file with none of the lines it exists for); SIM_EBADINPUT. */
int cap_empty(FILE *err, const char *path, const char *what);
char *cap_chomp(char *s);
bool cap_u64(const char *s, uint64_t *v);
bool cap_num(const char **p, uint64_t *v);

/* The readers of capture_slab.c and capture_kernel.c: 0, or SIM_EBADINPUT-style 2 after a line on err. */
int cap_read_slab(struct sim_capture *c, FILE *err);
int cap_read_links(struct sim_capture *c, FILE *err);
int cap_read_slabinfo(struct sim_capture *c, FILE *err);
int cap_read_kconfig(struct sim_capture *c, FILE *err);
int cap_read_pagetypeinfo(struct sim_capture *c, FILE *err);
int cap_read_sysctl(struct sim_capture *c, FILE *err);
int cap_read_formats(struct sim_capture *c, FILE *err);
/* capture_dmesg.c, after the zoneinfo: always 0 (a bad line is ignored with one warning on err). */
int cap_read_dmesg(struct sim_capture *c, FILE *err);

#endif
