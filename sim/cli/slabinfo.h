/*
 * slabinfo.h - /proc/slabinfo and /sys/kernel/slab/<cache>/<file> rebuilt from a
 * run's database (sim/cli/slabinfo.c), over the whole run or a window of it.
 *
 * A window [from, to) counts what the operations begun in it bumped, and the
 * work between operations in it (sim/db/slabdb.c says how that is exact): what
 * a user of a real kernel gets by zeroing the counters at `from` and reading
 * them at `to`.  The state columns of slabinfo (active_objs ... num_slabs) are
 * those of the last snapshot taken at or before `to` (snapshot_interval_us
 * apart, one after boot, and the final one).
 */
#ifndef KMEMSIM_SIM_SLABINFO_H
#define KMEMSIM_SIM_SLABINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A window of simulated time; unset ends are the start and the end of the run. */
struct sim_slab_window {
	bool from_set, to_set;
	uint64_t from_ns, to_ns;
};

/* /proc/slabinfo (SLUB: version 2.1; SLAB: with statistics).  0, SIM_EFAIL or SIM_EBADINPUT. */
int sim_slabinfo_print(const char *db_path, const struct sim_slab_window *w, FILE *out, FILE *err);
/* /sys/kernel/slab/CACHE/STAT (stat NULL: every file as "name:content").  Same codes. */
int sim_slabstat_print(const char *db_path, const char *cache, const char *stat,
		       const struct sim_slab_window *w, FILE *out, FILE *err);
/* The same as tables (sim/cli/outfmt.h): fmt an enum out_format, or -1 for the sysfs layout. */
int sim_slabstat_format(const char *db_path, const char *cache, const char *stat,
			const struct sim_slab_window *w, int fmt, FILE *out, FILE *err);

#endif
