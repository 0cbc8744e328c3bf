/*
 * timeline.h - `kmemsim timeline`: a run's database as a trace that the
 * Perfetto UI and its trace processor open (docs/timeline.md), and the only
 * header of sim/timeline/ that other folders include.
 *
 * The file is Perfetto's protobuf trace format (a sequence of TracePackets:
 * TrackDescriptors, TrackEvents with interned names and debug annotations),
 * encoded by hand (tl_pb.c).  It is written as a stream from one pass over
 * `ops` in sequence order: memory stays flat in the length of the run.  The
 * file is written under `<out>.tmp-<pid>` and renamed over `out` only when
 * complete.
 */
#ifndef KMEMSIM_SIM_TIMELINE_H
#define KMEMSIM_SIM_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_timeline_opts {
	const char *db_path;
	const char *out_path;
	bool from_set, to_set;		/* window [from_ns, to_ns) of simulated time */
	uint64_t from_ns, to_ns;
	int cpu;			/* only this vCPU's tracks; -1: every vCPU */
	const char *cache;		/* only this cache's operations as slices; NULL: all */
	int min_level;			/* operations at or above this level as slices; 0: all */
	bool quiet;			/* no summary line on err */
};

/* Write the trace.  0, SIM_EFAIL (after a line on err; no file left at out_path) or
 * SIM_EBADINPUT (a --cpu or --cache the database does not have, not a run database). */
int sim_timeline_write(const struct sim_timeline_opts *o, FILE *err);

#endif
