/*
 * prefetch.h - read a trace ahead on a second thread.
 *
 * The reader (decompression and parsing) runs on its own thread and hands
 * events over in batches, so a replay's simulation overlaps the reading of
 * the trace on a second core.  Events come out in the same order, with the
 * same return codes, as from sim_trace_next: nothing about a run changes.
 * The trace must not be used directly between start and stop.
 */
#ifndef KMEMSIM_TRACES_PREFETCH_H
#define KMEMSIM_TRACES_PREFETCH_H

#include <stdint.h>

#include "trace.h"

struct sim_trace_prefetch;

int sim_trace_prefetch_start(struct sim_trace_prefetch **out, struct sim_trace *tr); /* 0 or SIM_EFAIL */
int sim_trace_prefetch_next(struct sim_trace_prefetch *p, struct sim_trace_event *ev); /* as sim_trace_next */
uint64_t sim_trace_prefetch_lines(const struct sim_trace_prefetch *p);	/* lines of the events handed out so far */
void sim_trace_prefetch_stop(struct sim_trace_prefetch *p);		/* joins the thread; NULL ok; tr stays open */

#endif
