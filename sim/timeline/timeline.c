/*
 * timeline.c - `kmemsim timeline`: a run's database as a Perfetto trace
 * (timeline.h; what each track shows: docs/timeline.md).
 *
 * Main entry: sim_timeline_write.  One pass over `ops` in sequence order
 * (each vCPU's operations begin in that order) builds, per vCPU:
 *   - a context track: task slices (a task's consecutive operations on the
 *     vCPU, from the first one's begin to the last one's end, or to the end of
 *     an interrupt that came in it), softirq and hardirq slices (an interrupt
 *     context's operation, nested operations of the same context merged into
 *     it), and instants where a task still inside an operation was followed
 *     by another (a preemption) or a task's operation began on another vCPU
 *     than its previous one (a migration).  The database keeps no switch
 *     events, only the operations, so this is what they show;
 *   - operation tracks: each operation at or above --min-level as a slice
 *     named by its path signature, nested as the operations nest; one that
 *     overlaps an open slice without nesting in it goes on the next track.
 * Each track keeps the ends of its open slices and emits an end before the
 * next begin that comes after it, so every track's events are in time order
 * in the file.  Counter tracks: tl_counters.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tl_int.h"
#include "../db/db.h"
#include "../engine/engine.h"

static const char *const tl_ann_names[TL_NR_ANN] = {
	[TL_ANN_KIND] = "kind", [TL_ANN_CACHE] = "cache", [TL_ANN_ORDER] = "order",
	[TL_ANN_LEVEL] = "level", [TL_ANN_LATENCY] = "latency_ns", [TL_ANN_LOCK_WAIT] = "lock_wait_ns",
	[TL_ANN_SIZE] = "size", [TL_ANN_TASK] = "task", [TL_ANN_SEQ] = "seq",
	[TL_ANN_TRACE_LINE] = "trace_line", [TL_ANN_FAILED] = "failed", [TL_ANN_PID] = "pid",
	[TL_ANN_FROM_CPU] = "from_cpu", [TL_ANN_BY_PID] = "by_pid",
};
static const char *const tl_kinds[] = { "page_alloc", "page_free", "obj_alloc", "obj_free" };

/* ------------------------------------------------------------------ packets */

void tl_flush_packet(struct tl *t)
{
	uint8_t hdr[16];
	struct tl_buf h = { .p = hdr, .cap = sizeof(hdr) };

	if (t->pkt.failed) {
		t->failed = true;
		return;
	}
	tl_pb_varint(&h, (uint64_t)PB_TRACE_PACKET << 3 | 2);
	tl_pb_varint(&h, t->pkt.len);
	if (fwrite(hdr, 1, h.len, t->f) != h.len || fwrite(t->pkt.p, 1, t->pkt.len, t->f) != t->pkt.len)
		t->failed = true;
	t->bytes += h.len + t->pkt.len;
}

void tl_event_packet(struct tl *t, uint64_t ts, bool interned)
{
	tl_buf_reset(&t->pkt);
	tl_pb_uint(&t->pkt, PB_PACKET_TIMESTAMP, ts);
	tl_pb_uint(&t->pkt, PB_PACKET_SEQUENCE_ID, TL_SEQ);
	if (interned)
		tl_pb_uint(&t->pkt, PB_PACKET_SEQUENCE_FLAGS, PB_SEQ_NEEDS_INCREMENTAL_STATE);
	tl_pb_msg(&t->pkt, PB_PACKET_TRACK_EVENT, &t->ev);
	tl_flush_packet(t);
}

void tl_track_descriptor(struct tl *t, uint64_t uuid, uint64_t parent, const char *name, bool counter)
{
	tl_buf_reset(&t->ev);
	tl_pb_uint(&t->ev, PB_TRACK_UUID, uuid);
	if (parent)
		tl_pb_uint(&t->ev, PB_TRACK_PARENT_UUID, parent);
	tl_pb_str(&t->ev, PB_TRACK_NAME, name);
	if (counter) {
		tl_buf_reset(&t->sub);
		tl_pb_uint(&t->sub, PB_COUNTER_UNIT, PB_COUNTER_UNIT_COUNT);
		tl_pb_msg(&t->ev, PB_TRACK_COUNTER, &t->sub);
		t->nr_counter_tracks++;
	}
	tl_buf_reset(&t->pkt);
	tl_pb_uint(&t->pkt, PB_PACKET_SEQUENCE_ID, TL_SEQ);
	tl_pb_msg(&t->pkt, PB_PACKET_TRACK_DESCRIPTOR, &t->ev);
	tl_flush_packet(t);
}

void tl_counter(struct tl *t, uint64_t uuid, uint64_t ts, int64_t value)
{
	tl_buf_reset(&t->ev);
	tl_pb_uint(&t->ev, PB_EVENT_TYPE, PB_TYPE_COUNTER);
	tl_pb_uint(&t->ev, PB_EVENT_TRACK_UUID, uuid);
	tl_pb_int(&t->ev, PB_EVENT_COUNTER_VALUE, value);
	tl_event_packet(t, ts, false);
	t->nr_counter_values++;
}

/* One interned entry {iid, name} of an InternedData field. */
static void tl_intern(struct tl *t, struct tl_buf *idata, int field, uint64_t iid, const char *name)
{
	tl_buf_reset(&t->sub);
	tl_pb_uint(&t->sub, PB_INTERNED_IID, iid);
	tl_pb_str(&t->sub, PB_INTERNED_NAME, name);
	tl_pb_msg(idata, field, &t->sub);
}

/* The first packet of the sequence: every name the events refer to by iid. */
static void tl_interned_packet(struct tl *t)
{
	struct tl_buf idata = { 0 };

	tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_SOFTIRQ, "softirq");
	tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_HARDIRQ, "hardirq");
	tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_PREEMPT, "preempted");
	tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_MIGRATE, "migrated");
	tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_NOPATH, "(no path)");
	for (int s = 0; s < t->nr_sigs; s++)
		if (t->sig_path[s])
			tl_intern(t, &idata, PB_INTERNED_EVENT_NAMES, TL_NAME_SIG0 + (uint64_t)s, t->sig_path[s]);
	for (int a = 1; a < TL_NR_ANN; a++)
		tl_intern(t, &idata, PB_INTERNED_ANN_NAMES, (uint64_t)a, tl_ann_names[a]);
	for (int k = 0; k < 4; k++)
		tl_intern(t, &idata, PB_INTERNED_ANN_STRINGS, TL_STR_PAGE_ALLOC + (uint64_t)k, tl_kinds[k]);
	for (int c = 0; c < t->nr_caches; c++)
		if (t->cache_name[c])
			tl_intern(t, &idata, PB_INTERNED_ANN_STRINGS, TL_STR_CACHE0 + (uint64_t)c, t->cache_name[c]);
	tl_buf_reset(&t->pkt);
	tl_pb_uint(&t->pkt, PB_PACKET_SEQUENCE_ID, TL_SEQ);
	tl_pb_uint(&t->pkt, PB_PACKET_SEQUENCE_FLAGS, PB_SEQ_INCREMENTAL_STATE_CLEARED);
	tl_pb_msg(&t->pkt, PB_PACKET_INTERNED_DATA, &idata);
	tl_flush_packet(t);
	tl_buf_free(&idata);
}

/* A debug annotation {name_iid, int_value or string_value_iid} appended to t->ev. */
static void tl_ann(struct tl *t, int name, int field, int64_t v)
{
	tl_buf_reset(&t->ann);
	tl_pb_uint(&t->ann, PB_ANN_NAME_IID, (uint64_t)name);
	tl_pb_int(&t->ann, field, v);
	tl_pb_msg(&t->ev, PB_EVENT_DEBUG_ANNOTATIONS, &t->ann);
}

/* Start t->ev as a slice begin or an instant on `uuid`, named by iid (name NULL) or by text. */
static void tl_event_start(struct tl *t, int type, uint64_t uuid, uint64_t name_iid, const char *name)
{
	tl_buf_reset(&t->ev);
	tl_pb_uint(&t->ev, PB_EVENT_TYPE, (uint64_t)type);
	tl_pb_uint(&t->ev, PB_EVENT_TRACK_UUID, uuid);
	if (name)
		tl_pb_str(&t->ev, PB_EVENT_NAME, name);
	else
		tl_pb_uint(&t->ev, PB_EVENT_NAME_IID, name_iid);
}

/* ------------------------------------------------------------------- tracks */

static void tl_end(struct tl *t, uint64_t uuid, uint64_t ts)
{
	tl_buf_reset(&t->ev);
	tl_pb_uint(&t->ev, PB_EVENT_TYPE, PB_TYPE_SLICE_END);
	tl_pb_uint(&t->ev, PB_EVENT_TRACK_UUID, uuid);
	tl_event_packet(t, ts, false);
}

/* End the open slices of k that end at or before ts. */
static void tl_track_pop(struct tl *t, struct tl_track *k, uint64_t ts)
{
	while (k->depth && k->end[k->depth - 1] <= ts) {
		k->depth--;
		tl_end(t, k->uuid, k->end[k->depth]);
	}
}

/* End every open slice of k, none later than `clamp`. */
static void tl_track_close(struct tl *t, struct tl_track *k, uint64_t clamp)
{
	while (k->depth) {
		uint64_t e = k->end[--k->depth];

		tl_end(t, k->uuid, e < clamp ? e : clamp);
	}
}

static void tl_track_push(struct tl_track *k, uint64_t end, int kind)
{
	k->end[k->depth] = end;
	k->kind[k->depth++] = (uint8_t)kind;
}

/* ------------------------------------------------------------ operations */

/* One row of ops, as the pass reads it; -1 for SQL NULL where noted. */
struct tl_op {
	int64_t seq, task, size, lock_wait, trace_line;	/* trace_line -1 */
	uint64_t b, e;
	int cpu, ctx, kind;			/* ctx 0 task, 1 softirq, 2 hardirq; kind: tl_kinds[] */
	int cache, order, level, sig, failed;	/* cache, order, sig -1; level 0 */
};

/* The last vCPU of task `pid` (-1: none yet), which becomes `cpu`. */
static int tl_pid_move(struct tl *t, int64_t pid, int cpu)
{
	size_t i;

	if (t->pid_nr * 2 >= t->pid_cap) {
		size_t cap = t->pid_cap ? t->pid_cap * 2 : 1024;
		int64_t *key = malloc(cap * sizeof(*key));
		int *val = malloc(cap * sizeof(*val));

		if (!key || !val) {
			free(key);
			free(val);
			t->failed = true;
			return -1;
		}
		for (i = 0; i < cap; i++)
			key[i] = -1;
		for (size_t j = 0; j < t->pid_cap; j++) {
			if (t->pid_key[j] < 0)
				continue;
			for (i = (size_t)t->pid_key[j] & (cap - 1); key[i] >= 0; i = (i + 1) & (cap - 1))
				;
			key[i] = t->pid_key[j];
			val[i] = t->pid_cpu[j];
		}
		free(t->pid_key);
		free(t->pid_cpu);
		t->pid_key = key;
		t->pid_cpu = val;
		t->pid_cap = cap;
	}
	for (i = (size_t)pid & (t->pid_cap - 1); t->pid_key[i] >= 0; i = (i + 1) & (t->pid_cap - 1))
		if (t->pid_key[i] == pid) {
			int last = t->pid_cpu[i];

			t->pid_cpu[i] = cpu;
			return last;
		}
	t->pid_key[i] = pid;
	t->pid_cpu[i] = cpu;
	t->pid_nr++;
	return -1;
}

/* Close the task slice of vCPU c at `at` (UINT64_MAX: the end of the run), `by` the next task. */
static void tl_run_close(struct tl *t, struct tl_cpu *c, uint64_t at, int64_t by)
{
	struct tl_track *k = &c->ctx;
	uint64_t end = c->run_end < at ? c->run_end : at;

	while (k->depth > 1) {
		uint64_t e = k->end[--k->depth];

		tl_end(t, k->uuid, e < end ? e : end);
	}
	k->depth = 0;
	tl_end(t, k->uuid, end);
	c->run_open = false;
	if (at != UINT64_MAX && c->run_end > at) {
		tl_event_start(t, PB_TYPE_INSTANT, k->uuid, TL_NAME_PREEMPT, NULL);
		tl_ann(t, TL_ANN_PID, PB_ANN_INT, c->run_pid);
		tl_ann(t, TL_ANN_BY_PID, PB_ANN_INT, by);
		tl_event_packet(t, at, true);
		t->nr_instants++;
		t->nr_preempt++;
	}
}

/* The context track's part of one operation of vCPU c. */
static void tl_context(struct tl *t, struct tl_cpu *c, const struct tl_op *op)
{
	struct tl_track *k = &c->ctx;
	uint64_t b, e = op->e;
	char name[40];

	tl_track_pop(t, k, op->b);
	if (!op->ctx) {
		if (c->run_open && c->run_pid == op->task) {
			if (e > c->run_end)
				c->run_end = e;
			return;
		}
		b = op->b > k->last_begin ? op->b : k->last_begin;
		if (c->run_open)
			tl_run_close(t, c, b, op->task);
		tl_track_close(t, k, b);	/* an interrupt still open: ends here */
		snprintf(name, sizeof(name), "task %" PRId64, op->task);
		tl_event_start(t, PB_TYPE_SLICE_BEGIN, k->uuid, 0, name);
		tl_ann(t, TL_ANN_PID, PB_ANN_INT, op->task);
		tl_event_packet(t, b, true);
		k->last_begin = b;
		tl_track_push(k, UINT64_MAX, 0);
		c->run_open = true;
		c->run_pid = op->task;
		c->run_end = e;
		t->nr_ctx_slices++;
		return;
	}
	b = op->b > k->last_begin ? op->b : k->last_begin;
	if (k->depth && k->kind[k->depth - 1] == op->ctx) {
		if (k->end[k->depth - 1] >= e)
			return;			/* inside the same interrupt */
		/* raised while one of its kind ran: it waited (pending softirqs), it runs after */
		b = k->end[k->depth - 1];
		tl_track_pop(t, k, b);
	}
	if (e < b)
		e = b;
	if (k->depth && k->end[k->depth - 1] < e)
		e = k->end[k->depth - 1];	/* cannot outlast what it interrupted */
	if (k->depth == TL_DEPTH)
		return;
	tl_event_start(t, PB_TYPE_SLICE_BEGIN, k->uuid, op->ctx == 1 ? TL_NAME_SOFTIRQ : TL_NAME_HARDIRQ, NULL);
	tl_event_packet(t, b, true);
	k->last_begin = b;
	tl_track_push(k, e, op->ctx);
	if (c->run_open && e > c->run_end)
		c->run_end = e;
	t->nr_ctx_slices++;
}

/* A new operation track of vCPU `cpu`. */
static struct tl_track *tl_lane_add(struct tl *t, struct tl_cpu *c, int cpu)
{
	struct tl_track *k = &c->lane[c->nr_lanes];
	char name[48];

	if (c->nr_lanes)
		snprintf(name, sizeof(name), "vCPU %d ops (%d)", cpu, c->nr_lanes + 1);
	else
		snprintf(name, sizeof(name), "vCPU %d ops", cpu);
	k->uuid = TL_UUID_LANE(cpu, c->nr_lanes);
	k->depth = 0;
	tl_track_descriptor(t, k->uuid, TL_UUID_CPU(cpu), name, false);
	c->nr_lanes++;
	return k;
}

/* One operation as a slice on the first operation track of its vCPU it nests in. */
static void tl_op_slice(struct tl *t, struct tl_cpu *c, const struct tl_op *op)
{
	struct tl_track *k = NULL;
	uint64_t e = op->e;

	for (int i = 0; i < c->nr_lanes && !k; i++) {
		struct tl_track *l = &c->lane[i];

		tl_track_pop(t, l, op->b);
		if (!l->depth || (l->depth < TL_DEPTH && l->end[l->depth - 1] >= e))
			k = l;
	}
	if (!k && c->nr_lanes < TL_LANES)
		k = tl_lane_add(t, c, op->cpu);
	if (!k) {
		k = &c->lane[TL_LANES - 1];	/* out of tracks: clipped into the last one */
		if (k->depth == TL_DEPTH)
			return;
		e = k->end[k->depth - 1];
	}
	tl_event_start(t, PB_TYPE_SLICE_BEGIN, k->uuid, op->sig < 0 ? TL_NAME_NOPATH : TL_NAME_SIG0 + (uint64_t)op->sig,
		       NULL);
	tl_ann(t, TL_ANN_KIND, PB_ANN_STRING_IID, TL_STR_PAGE_ALLOC + op->kind);
	if (op->cache >= 0)
		tl_ann(t, TL_ANN_CACHE, PB_ANN_STRING_IID, TL_STR_CACHE0 + op->cache);
	if (op->order >= 0)
		tl_ann(t, TL_ANN_ORDER, PB_ANN_INT, op->order);
	if (op->level)
		tl_ann(t, TL_ANN_LEVEL, PB_ANN_INT, op->level);
	tl_ann(t, TL_ANN_LATENCY, PB_ANN_INT, (int64_t)(op->e - op->b));
	tl_ann(t, TL_ANN_LOCK_WAIT, PB_ANN_INT, op->lock_wait);
	tl_ann(t, TL_ANN_SIZE, PB_ANN_INT, op->size);
	tl_ann(t, TL_ANN_TASK, PB_ANN_INT, op->task);
	tl_ann(t, TL_ANN_SEQ, PB_ANN_INT, op->seq);
	if (op->trace_line >= 0)
		tl_ann(t, TL_ANN_TRACE_LINE, PB_ANN_INT, op->trace_line);
	if (op->failed)
		tl_ann(t, TL_ANN_FAILED, PB_ANN_INT, 1);
	tl_event_packet(t, op->b, true);
	tl_track_push(k, e, 0);
	t->nr_op_slices++;
}

static int64_t tl_col(struct sim_db_stmt *st, int col, int64_t null)
{
	return sim_db_column_text(st, col) ? sim_db_column_int64(st, col) : null;
}

/* The pass over ops. */
static int tl_ops(struct tl *t)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db,
		"SELECT seq, time_ns, time_ns + latency_ns, cpu, task, context, kind, cache, \"order\", level, sig,"
		" lock_wait_ns, size, failed, trace_line FROM ops ORDER BY seq");
	const struct sim_timeline_opts *o = t->o;
	int s;

	if (!st)
		return SIM_EFAIL;
	while (!t->failed && (s = sim_db_step(st)) == SIM_DB_ROW) {
		struct tl_op op;
		int64_t ctx = sim_db_column_int64(st, 5);	/* op_contexts: task, softirq, hardirq */
		struct tl_cpu *c;

		op.b = (uint64_t)sim_db_column_int64(st, 1);
		op.cpu = (int)sim_db_column_int64(st, 3);
		op.task = sim_db_column_int64(st, 4);
		op.ctx = ctx <= 0 ? 0 : ctx == 1 ? 1 : 2;
		if (op.cpu < 0 || op.cpu >= t->nr_cpus)
			continue;
		if (op.b < t->from || op.b >= t->to) {
			if (!op.ctx && op.task > 0)
				tl_pid_move(t, op.task, op.cpu);
			continue;
		}
		op.seq = sim_db_column_int64(st, 0);
		op.e = (uint64_t)sim_db_column_int64(st, 2);
		if (op.e < op.b)
			op.e = op.b;
		op.kind = (int)sim_db_column_int64(st, 6);	/* op_kinds: tl_kinds[] */
		if (op.kind < 0 || op.kind >= (int)(sizeof(tl_kinds) / sizeof(tl_kinds[0])))
			op.kind = 0;
		op.cache = (int)tl_col(st, 7, -1);
		op.order = (int)tl_col(st, 8, -1);
		op.level = (int)tl_col(st, 9, 0);
		op.sig = (int)tl_col(st, 10, -1);
		if (op.sig >= t->nr_sigs)
			op.sig = -1;
		if (op.cache >= t->nr_caches || (op.cache >= 0 && !t->cache_name[op.cache]))
			op.cache = -1;
		op.lock_wait = tl_col(st, 11, 0);
		op.size = tl_col(st, 12, 0);
		op.failed = (int)tl_col(st, 13, 0);
		op.trace_line = tl_col(st, 14, -1);
		c = &t->cpus[op.cpu];
		if (o->cpu < 0 || o->cpu == op.cpu) {
			tl_context(t, c, &op);
			if ((o->min_level <= 0 || op.level >= o->min_level) &&
			    (t->cache_id < 0 || op.cache == t->cache_id))
				tl_op_slice(t, c, &op);
		}
		if (!op.ctx && op.task > 0) {
			int last = tl_pid_move(t, op.task, op.cpu);

			if (last >= 0 && last != op.cpu && (o->cpu < 0 || o->cpu == op.cpu)) {
				tl_event_start(t, PB_TYPE_INSTANT, c->ctx.uuid, TL_NAME_MIGRATE, NULL);
				tl_ann(t, TL_ANN_PID, PB_ANN_INT, op.task);
				tl_ann(t, TL_ANN_FROM_CPU, PB_ANN_INT, last);
				tl_event_packet(t, op.b, true);
				t->nr_instants++;
				t->nr_migrate++;
			}
		}
	}
	sim_db_finalize(st);
	if (s < 0)
		return SIM_EFAIL;
	for (int cpu = 0; cpu < t->nr_cpus; cpu++) {
		struct tl_cpu *c = &t->cpus[cpu];

		if (c->run_open)
			tl_run_close(t, c, UINT64_MAX, 0);
		tl_track_close(t, &c->ctx, UINT64_MAX);
		for (int l = 0; l < c->nr_lanes; l++)
			tl_track_close(t, &c->lane[l], UINT64_MAX);
	}
	return 0;
}

/* --------------------------------------------------------------- the run */

/* A table of the database exists. */
bool tl_has_table(struct tl *t, const char *name)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db, "SELECT 1 FROM sqlite_master WHERE name = ?1");
	bool yes;

	if (!st || sim_db_bind_text(st, 1, name))
		return false;
	yes = sim_db_step(st) == SIM_DB_ROW;
	sim_db_finalize(st);
	return yes;
}

/* Texts of `sql`'s (id, text) rows into *names[id]; *nr = max id + 1. */
static int tl_load_names(struct tl *t, const char *sql, char ***names, int *nr)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db, sql);
	int s;

	if (!st)
		return SIM_EFAIL;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t id = sim_db_column_int64(st, 0);
		const char *text = sim_db_column_text(st, 1);

		if (id < 0 || id > 1000000 || !text)
			continue;
		if (id >= *nr) {
			char **p = realloc(*names, (size_t)(id + 1) * sizeof(*p));

			if (!p) {
				sim_db_finalize(st);
				fprintf(t->err, "kmemsim timeline: out of memory\n");
				return SIM_EFAIL;
			}
			memset(p + *nr, 0, (size_t)(id + 1 - *nr) * sizeof(*p));
			*names = p;
			*nr = (int)id + 1;
		}
		free((*names)[id]);
		(*names)[id] = strdup(text);
	}
	sim_db_finalize(st);
	return s < 0 ? SIM_EFAIL : 0;
}

/* What the trace needs of the run: vCPUs, signatures, caches, --cpu and --cache checked. */
static int tl_setup(struct tl *t)
{
	const struct sim_timeline_opts *o = t->o;
	struct sim_db_stmt *st;

	if (!tl_has_table(t, "ops") || !tl_has_table(t, "runs") || !tl_has_table(t, "path_sigs")) {
		fprintf(t->err, "%s: not the database of a run (no table ops, runs or path_sigs)\n", o->db_path);
		return SIM_EBADINPUT;
	}
	/* --log aggregate keeps counts, not the operations and slab events a trace is made of */
	if (tl_has_table(t, "op_counts") && (st = sim_db_prepare(t->db, "SELECT 1 FROM op_counts LIMIT 1"))) {
		bool aggregate = sim_db_step(st) == SIM_DB_ROW;

		sim_db_finalize(st);
		if (aggregate) {
			fprintf(t->err, "kmemsim timeline: %s: made with --log aggregate, which counts operations"
				" without keeping them: run with --log ops\n", o->db_path);
			return SIM_EBADINPUT;
		}
	}
	st = sim_db_prepare(t->db, "SELECT nr_cpus FROM runs");
	if (!st)
		return SIM_EFAIL;
	t->nr_cpus = sim_db_step(st) == SIM_DB_ROW ? (int)sim_db_column_int64(st, 0) : 0;
	sim_db_finalize(st);
	if (t->nr_cpus < 1 || t->nr_cpus > 4096) {
		fprintf(t->err, "%s: runs: nr_cpus %d is out of range\n", o->db_path, t->nr_cpus);
		return SIM_EBADINPUT;
	}
	if (o->cpu >= t->nr_cpus) {
		fprintf(t->err, "kmemsim timeline: --cpu: %d, but %s has vCPUs 0..%d\n", o->cpu, o->db_path,
			t->nr_cpus - 1);
		return SIM_EBADINPUT;
	}
	t->slab_tables = tl_has_table(t, "caches") && tl_has_table(t, "slab_events") && tl_has_table(t, "slabinfo");
	t->pcp_table = tl_has_table(t, "pcp_snapshots");
	if (tl_load_names(t, "SELECT sig, path FROM path_sigs", &t->sig_path, &t->nr_sigs) ||
	    (t->slab_tables && tl_load_names(t, "SELECT id, name FROM caches", &t->cache_name, &t->nr_caches)))
		return SIM_EFAIL;
	t->cache_id = -1;
	if (o->cache) {
		for (int c = 0; c < t->nr_caches; c++)
			if (t->cache_name[c] && !strcmp(t->cache_name[c], o->cache))
				t->cache_id = c;
		if (t->cache_id < 0) {
			fprintf(t->err, "kmemsim timeline: --cache: %s has no cache \"%s\"\n", o->db_path, o->cache);
			return SIM_EBADINPUT;
		}
	}
	t->cpus = calloc((size_t)t->nr_cpus, sizeof(*t->cpus));
	if (!t->cpus) {
		fprintf(t->err, "kmemsim timeline: out of memory\n");
		return SIM_EFAIL;
	}
	return 0;
}

/* The vCPU groups and their context tracks (operation tracks come as they are needed). */
static void tl_cpu_tracks(struct tl *t)
{
	char name[40];

	for (int cpu = 0; cpu < t->nr_cpus; cpu++) {
		if (t->o->cpu >= 0 && t->o->cpu != cpu)
			continue;
		snprintf(name, sizeof(name), "vCPU %d", cpu);
		tl_track_descriptor(t, TL_UUID_CPU(cpu), 0, name, false);
		snprintf(name, sizeof(name), "vCPU %d context", cpu);
		t->cpus[cpu].ctx.uuid = TL_UUID_CTX(cpu);
		tl_track_descriptor(t, TL_UUID_CTX(cpu), TL_UUID_CPU(cpu), name, false);
		tl_lane_add(t, &t->cpus[cpu], cpu);
	}
}

static void tl_free(struct tl *t)
{
	for (int s = 0; s < t->nr_sigs; s++)
		free(t->sig_path[s]);
	for (int c = 0; c < t->nr_caches; c++)
		free(t->cache_name[c]);
	free(t->sig_path);
	free(t->cache_name);
	free(t->cpus);
	free(t->pid_key);
	free(t->pid_cpu);
	tl_buf_free(&t->pkt);
	tl_buf_free(&t->ev);
	tl_buf_free(&t->ann);
	tl_buf_free(&t->sub);
}

int sim_timeline_write(const struct sim_timeline_opts *o, FILE *err)
{
	struct tl t = { .o = o, .err = err, .from = o->from_set ? o->from_ns : 0,
			.to = o->to_set ? o->to_ns : UINT64_MAX };
	size_t n = strlen(o->out_path) + 32;
	char *tmp = malloc(n);
	int rc;

	if (!tmp) {
		fprintf(err, "kmemsim timeline: out of memory\n");
		return SIM_EFAIL;
	}
	snprintf(tmp, n, "%s.tmp-%ld", o->out_path, (long)getpid());
	t.db = sim_db_open_existing(o->db_path, err);
	if (!t.db) {
		free(tmp);
		return SIM_EBADINPUT;
	}
	rc = tl_setup(&t);
	if (!rc && !(t.f = fopen(tmp, "wb"))) {
		fprintf(err, "%s: %s\n", tmp, strerror(errno));
		rc = SIM_EFAIL;
	}
	if (!rc) {
		setvbuf(t.f, NULL, _IOFBF, 1 << 20);
		tl_interned_packet(&t);
		tl_cpu_tracks(&t);
		rc = tl_counters(&t);
	}
	if (!rc)
		rc = tl_ops(&t);
	if (!rc)
		rc = tl_race(&t);
	if (t.f && fclose(t.f) && !rc)
		t.failed = true;
	if (!rc && t.failed) {
		fprintf(err, "%s: cannot write the trace (out of memory or disk)\n", tmp);
		rc = SIM_EFAIL;
	}
	if (!rc && rename(tmp, o->out_path)) {
		fprintf(err, "%s: %s\n", o->out_path, strerror(errno));
		rc = SIM_EFAIL;
	}
	if (rc && t.f)
		unlink(tmp);
	if (!rc && !o->quiet)
		fprintf(err, "timeline: %s: %" PRIu64 " operation slices, %" PRIu64 " context slices"
			" (%" PRIu64 " preemptions, %" PRIu64 " migrations), %" PRIu64 " counter values on %"
			PRIu64 " counter tracks, %" PRIu64 " bytes\n", o->out_path, t.nr_op_slices,
			t.nr_ctx_slices, t.nr_preempt, t.nr_migrate, t.nr_counter_values, t.nr_counter_tracks,
			t.bytes);
	sim_db_close(t.db, true, err);
	tl_free(&t);
	free(tmp);
	return rc;
}
