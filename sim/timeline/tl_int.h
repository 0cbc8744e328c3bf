/*
 * tl_int.h - private to sim/timeline/: the writer's state shared by
 * timeline.c (file, tracks, interning, the context and operation slices) and
 * tl_counters.c (counter tracks).
 */
#ifndef KMEMSIM_SIM_TIMELINE_TL_INT_H
#define KMEMSIM_SIM_TIMELINE_TL_INT_H

#include "timeline.h"
#include "tl_pb.h"

struct sim_db;

#define TL_DEPTH 64			/* open slices per track */
#define TL_LANES 8			/* operation tracks per vCPU (overlaps go to the next one) */
#define TL_SEQ 1			/* the one packet sequence */

/* Track uuids (TrackDescriptor.uuid): one range per kind of track. */
#define TL_UUID_CPU(c)		(0x100u + (uint64_t)(c))		/* "vCPU N": the group */
#define TL_UUID_CTX(c)		(0x10000u + (uint64_t)(c))		/* its task/softirq/hardirq slices */
#define TL_UUID_LANE(c, l)	(0x20000u + (uint64_t)(c) * TL_LANES + (uint64_t)(l))
#define TL_UUID_FREE_GROUP	0x30000u
#define TL_UUID_FREE(n, z)	(0x30001u + (uint64_t)(n) * 4 + (uint64_t)(z))
#define TL_UUID_SLAB_GROUP	0x40000u
#define TL_UUID_SLAB(cache)	(0x40001u + (uint64_t)(cache))
#define TL_UUID_PCP_GROUP	0x80000u
#define TL_UUID_PCP(n, z)	(0x80001u + (uint64_t)(n) * 4 + (uint64_t)(z))
#define TL_UUID_RACE(c)		(0x90000u + (uint64_t)(c))		/* a race run's conflicting accesses */

/* Interned event names (EventName.iid); path signature s is TL_NAME_SIG0 + s. */
enum { TL_NAME_SOFTIRQ = 1, TL_NAME_HARDIRQ, TL_NAME_PREEMPT, TL_NAME_MIGRATE, TL_NAME_NOPATH,
       TL_NAME_SIG0 };
/* Interned debug annotation names (DebugAnnotationName.iid), in tl_ann_names[] order. */
enum { TL_ANN_KIND = 1, TL_ANN_CACHE, TL_ANN_ORDER, TL_ANN_LEVEL, TL_ANN_LATENCY, TL_ANN_LOCK_WAIT,
       TL_ANN_SIZE, TL_ANN_TASK, TL_ANN_SEQ, TL_ANN_TRACE_LINE, TL_ANN_FAILED, TL_ANN_PID,
       TL_ANN_FROM_CPU, TL_ANN_BY_PID, TL_NR_ANN };
/* Interned string values (InternedString.iid): the four kinds, then cache id c as TL_STR_CACHE0 + c. */
enum { TL_STR_PAGE_ALLOC = 1, TL_STR_PAGE_FREE, TL_STR_OBJ_ALLOC, TL_STR_OBJ_FREE, TL_STR_CACHE0 };

/* A track of nested slices: the ends of the open ones, innermost last. */
struct tl_track {
	uint64_t uuid;
	int depth;
	uint64_t last_begin;		/* begins never go back in time on a track */
	uint64_t end[TL_DEPTH];
	uint8_t kind[TL_DEPTH];		/* context tracks: 0 task, 1 softirq, 2 hardirq */
};

struct tl_cpu {
	struct tl_track ctx;
	struct tl_track lane[TL_LANES];
	int nr_lanes;
	bool run_open;			/* a task slice is open on ctx (at depth 0) */
	int64_t run_pid;
	uint64_t run_end;		/* latest end of what ran in it */
};

struct tl {
	const struct sim_timeline_opts *o;
	struct sim_db *db;
	FILE *f, *err;
	struct tl_buf pkt, ev, ann, sub;
	uint64_t from, to;		/* the window, [from, to) */
	int nr_cpus, nr_sigs, nr_caches;
	char **sig_path;		/* [nr_sigs] */
	char **cache_name;		/* [nr_caches], by id; NULL for gaps */
	int cache_id;			/* --cache, or -1 */
	bool slab_tables;		/* caches, slabinfo, slab_events exist */
	bool pcp_table;			/* pcp_snapshots exists */
	struct tl_cpu *cpus;
	int64_t *pid_key;		/* open addressing: task -> last vCPU, for migrations */
	int *pid_cpu;
	size_t pid_cap, pid_nr;
	uint64_t nr_op_slices, nr_ctx_slices, nr_instants, nr_counter_values, nr_counter_tracks;
	uint64_t nr_preempt, nr_migrate, bytes;
	int nr_flows;			/* flows between a race's conflicting accesses */
	bool failed;			/* out of memory or a write failed */
};

/* Packets (timeline.c). */
void tl_flush_packet(struct tl *t);			/* t->pkt as one Trace.packet */
void tl_event_packet(struct tl *t, uint64_t ts, bool interned);	/* t->ev as a TrackEvent packet */
void tl_track_descriptor(struct tl *t, uint64_t uuid, uint64_t parent, const char *name, bool counter);
void tl_counter(struct tl *t, uint64_t uuid, uint64_t ts, int64_t value);

bool tl_has_table(struct tl *t, const char *name);	/* the database has this table */
/* A race run: the two conflicting accesses as instants joined by a flow (tl_race.c).  0 or SIM_EFAIL. */
int tl_race(struct tl *t);

/* Counter tracks: free pages per zone, slabs of the busiest caches (tl_counters.c).  0 or SIM_EFAIL. */
int tl_counters(struct tl *t);

#endif
