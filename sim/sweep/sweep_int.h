/*
 * sweep_int.h - internals shared by sweep.c (the grid, the workers) and sweep_db.c (a point's
 * comparison rows, the summary database, merging slices).
 */
#ifndef KMEMSIM_SIM_SWEEP_INT_H
#define KMEMSIM_SIM_SWEEP_INT_H

#include <stdio.h>

#include "sweep.h"

char *sw_read_text(const char *path, FILE *err);		/* a whole file (malloc'd); NULL after a line */
char *sw_point_path(const char *dir, int p, const char *ext);	/* dir/point-NNN.ext (malloc'd) */
char *sw_spec_text(const struct sim_sweep *sw);			/* the grid as text (malloc'd) */
char *sw_point_values(const struct sim_sweep *sw, int p);	/* point p's values, one a line */
/* The slice's summary database at `path`: its points' rows read from their databases. */
int sw_write_summary(const struct sim_sweep *sw, const struct sim_sweep_opts *o, const int *status,
		     const char *path, FILE *err);

#endif
