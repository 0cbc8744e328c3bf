/*
 * evspool.h - a compact copy of a reader's events, to read them again without the text.
 *
 * A replay reads its trace twice (a learning pass, then the replay); the
 * first reading keeps every event it returns here, and the second takes them
 * back in the same order, equal field for field (strings stay the reader's:
 * keep it open), instead of decompressing and parsing the text again:
 *
 *     struct sim_trace_evspool *sp;
 *     if (sim_trace_evspool_new(&sp)) ...;          a temporary file
 *     while (sim_trace_next(r, &ev) > 0) sim_trace_evspool_put(sp, &ev);
 *     if (sim_trace_evspool_end(sp)) ...;           everything written?
 *     while (sim_trace_evspool_next(sp, &ev) > 0) replay(&ev);
 *
 * Each event is stored as the 8-byte words of struct sim_trace_event that
 * differ from the previous event of its type (43 bytes an event on the shared
 * trace, against 192 for the struct and about 160 for its text line), in an
 * unlinked temporary file read back with pread: memory is one 1 MiB buffer, not
 * the trace length, and a process forked after _end reads its own copy.
 */
#ifndef KMEMSIM_TRACES_EVSPOOL_H
#define KMEMSIM_TRACES_EVSPOOL_H

#include <stdint.h>

#include "trace.h"

struct sim_trace_evspool;

int sim_trace_evspool_new(struct sim_trace_evspool **out);	/* 0, or -1 (no temporary file, memory) */
/* Keep one event; -1 once a write failed or max_bytes (0: no limit) was passed: the spool is lost. */
int sim_trace_evspool_put(struct sim_trace_evspool *sp, const struct sim_trace_event *ev);
int sim_trace_evspool_end(struct sim_trace_evspool *sp);	/* writing done: 0, or -1 (the spool is lost) */
int sim_trace_evspool_next(struct sim_trace_evspool *sp, struct sim_trace_event *ev); /* 1, 0 at the end, -1 read error */
uint64_t sim_trace_evspool_count(const struct sim_trace_evspool *sp);	/* events kept */
uint64_t sim_trace_evspool_bytes(const struct sim_trace_evspool *sp);	/* their size in the file */
void sim_trace_evspool_set_max(struct sim_trace_evspool *sp, uint64_t max_bytes);
void sim_trace_evspool_free(struct sim_trace_evspool *sp);	/* NULL ok */

#endif
