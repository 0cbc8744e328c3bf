/*
 * test_timeline.c - `kmemsim timeline`: the trace read back by an independent
 * decoder, protoc (Debian's protobuf-compiler) with the subset of Perfetto's
 * protos in perfetto_trace.proto, and checked against SQL on the same
 * database: every operation slice (track, time, duration, name, arguments),
 * the slices per vCPU, task and interrupt slices, migrations, and every
 * counter value; --min-level 2 keeps exactly the operations with level >= 2;
 * bad input leaves no file.
 *
 * Strategy: one replay of the shipped sample (and a short synthetic run with
 * preemption for the instants); the decoder's text is parsed here into
 * packets, the slices rebuilt per track from begin/end pairs in file order
 * (which also checks that each track's events are in time order and nest).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <unistd.h>

#include "../helpers.h"

#define MAX_IID 4096
#define MAX_TRACKS 256
#define MAX_ANN 16
#define MAX_DEPTH 64

struct ann {
	uint64_t name;
	int64_t v;
	bool str;
};

/* One slice or instant or counter value, as decoded. */
struct slice {
	uint64_t track, ts, dur;
	int type;			/* 1 begin (a slice), 3 instant, 4 counter */
	char name[256];
	int64_t value;
	int nr_ann;
	struct ann ann[MAX_ANN];
};

struct track {
	uint64_t uuid, parent;
	char name[64];
	bool counter;
	int depth;
	size_t open[MAX_DEPTH];		/* indexes into slices */
	uint64_t last_ts;
};

struct decoded {
	char *event_name[MAX_IID], *ann_name[MAX_IID], *str[MAX_IID];
	struct track tracks[MAX_TRACKS];
	int nr_tracks;
	struct slice *s;
	size_t nr, cap;
	int bad_order;			/* events in a track's file order going back in time */
	int bad_end;			/* an end with no open slice */
};

static char *dir, *db, *root;

static struct track *track_of(struct decoded *d, uint64_t uuid)
{
	for (int i = 0; i < d->nr_tracks; i++)
		if (d->tracks[i].uuid == uuid)
			return &d->tracks[i];
	return NULL;
}

static char *unquote(const char *v)
{
	char *s = strdup(v + (*v == '"')), *q = strrchr(s, '"');

	if (q)
		*q = 0;
	return s;
}

/* The packet just closed: a track, interned names, or an event. */
static void packet_done(struct decoded *d, struct slice *ev, bool has_event, struct track *td, bool has_td)
{
	if (has_td) {
		cr_assert(lt(int, d->nr_tracks, MAX_TRACKS));
		d->tracks[d->nr_tracks++] = *td;
	}
	if (!has_event)
		return;
	struct track *t = track_of(d, ev->track);

	cr_assert(not(eq(ptr, t, NULL)), "event on undeclared track %" PRIu64, ev->track);
	if (ev->ts < t->last_ts)
		d->bad_order++;
	t->last_ts = ev->ts;
	if (ev->type == 2) {
		if (!t->depth) {
			d->bad_end++;
			return;
		}
		struct slice *b = &d->s[t->open[--t->depth]];

		b->dur = ev->ts - b->ts;
		return;
	}
	if (d->nr == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 4096;
		d->s = realloc(d->s, d->cap * sizeof(*d->s));
		cr_assert(not(eq(ptr, d->s, NULL)));
	}
	if (ev->type == 1) {
		cr_assert(lt(int, t->depth, MAX_DEPTH));
		t->open[t->depth++] = d->nr;
	}
	d->s[d->nr++] = *ev;
}

/* protoc's text of the trace at `path`, parsed. */
static struct decoded *decode(const char *path)
{
	struct decoded *d = calloc(1, sizeof(*d));
	char cmd[2048], line[4096], stack[16][64];
	int depth = 0;
	struct slice ev;
	struct track td;
	bool has_ev = false, has_td = false;
	uint64_t iid = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "protoc --decode=perfetto.protos.Trace -I '%s/tests/timeline'"
		 " '%s/tests/timeline/perfetto_trace.proto' < '%s'", root, root, path);
	p = popen(cmd, "r");
	cr_assert(not(eq(ptr, p, NULL)));
	while (fgets(line, sizeof(line), p)) {
		char *s = line, *colon;

		while (*s == ' ')
			s++;
		s[strcspn(s, "\n")] = 0;
		if (!strcmp(s, "}")) {
			depth--;
			if (!depth)
				packet_done(d, &ev, has_ev, &td, has_td);
			continue;
		}
		if (strlen(s) > 2 && !strcmp(s + strlen(s) - 2, " {")) {
			s[strlen(s) - 2] = 0;
			cr_assert(lt(int, depth, 16));
			snprintf(stack[depth++], sizeof(stack[0]), "%s", s);
			if (depth == 1) {
				memset(&ev, 0, sizeof(ev));
				memset(&td, 0, sizeof(td));
				has_ev = has_td = false;
			}
			if (!strcmp(s, "track_event"))
				has_ev = true;
			if (!strcmp(s, "track_descriptor"))
				has_td = true;
			if (!strcmp(s, "counter"))
				td.counter = true;
			if (!strcmp(s, "debug_annotations")) {
				cr_assert(lt(int, ev.nr_ann, MAX_ANN));
				ev.nr_ann++;
			}
			continue;
		}
		colon = strstr(s, ": ");
		cr_assert(not(eq(ptr, colon, NULL)), "protoc line \"%s\"", s);
		*colon = 0;
		const char *k = s, *v = colon + 2, *in = depth ? stack[depth - 1] : "";
		struct ann *a = ev.nr_ann ? &ev.ann[ev.nr_ann - 1] : NULL;

		if (!strcmp(in, "packet") && !strcmp(k, "timestamp"))
			ev.ts = strtoull(v, NULL, 10);
		else if (!strcmp(in, "track_event")) {
			if (!strcmp(k, "type"))
				ev.type = !strcmp(v, "TYPE_SLICE_BEGIN") ? 1 : !strcmp(v, "TYPE_SLICE_END") ? 2 :
					  !strcmp(v, "TYPE_INSTANT") ? 3 : !strcmp(v, "TYPE_COUNTER") ? 4 : 0;
			else if (!strcmp(k, "track_uuid"))
				ev.track = strtoull(v, NULL, 10);
			else if (!strcmp(k, "counter_value"))
				ev.value = strtoll(v, NULL, 10);
			else if (!strcmp(k, "name_iid")) {
				uint64_t n = strtoull(v, NULL, 10);

				cr_assert(lt(u64, n, MAX_IID));
				cr_assert(not(eq(ptr, d->event_name[n], NULL)), "event name %" PRIu64 " not interned", n);
				snprintf(ev.name, sizeof(ev.name), "%s", d->event_name[n]);
			} else if (!strcmp(k, "name")) {
				char *n = unquote(v);

				snprintf(ev.name, sizeof(ev.name), "%s", n);
				free(n);
			}
		} else if (!strcmp(in, "debug_annotations") && a) {
			if (!strcmp(k, "name_iid"))
				a->name = strtoull(v, NULL, 10);
			else if (!strcmp(k, "int_value"))
				a->v = strtoll(v, NULL, 10);
			else if (!strcmp(k, "string_value_iid")) {
				a->v = strtoll(v, NULL, 10);
				a->str = true;
			}
		} else if (!strcmp(in, "track_descriptor")) {
			if (!strcmp(k, "uuid"))
				td.uuid = strtoull(v, NULL, 10);
			else if (!strcmp(k, "parent_uuid"))
				td.parent = strtoull(v, NULL, 10);
			else if (!strcmp(k, "name")) {
				char *n = unquote(v);

				snprintf(td.name, sizeof(td.name), "%s", n);
				free(n);
			}
		} else if (!strcmp(k, "iid")) {
			iid = strtoull(v, NULL, 10);
			cr_assert(lt(u64, iid, MAX_IID));
		} else if (!strcmp(k, "name") || !strcmp(k, "str")) {
			char **tab = !strcmp(in, "event_names") ? d->event_name :
				     !strcmp(in, "debug_annotation_names") ? d->ann_name : d->str;

			cr_assert(eq(ptr, tab[iid], NULL), "iid %" PRIu64 " of %s interned twice", iid, in);
			tab[iid] = unquote(v);
		}
	}
	cr_assert(eq(int, pclose(p), 0), "protoc could not decode %s", path);
	for (int i = 0; i < d->nr_tracks; i++)
		cr_assert(eq(int, d->tracks[i].depth, 0), "track %s has open slices", d->tracks[i].name);
	return d;
}

static void decoded_free(struct decoded *d)
{
	for (int i = 0; i < MAX_IID; i++) {
		free(d->event_name[i]);
		free(d->ann_name[i]);
		free(d->str[i]);
	}
	free(d->s);
	free(d);
}

/* The value of argument `name` of slice s (string arguments as text into buf); false when absent. */
static bool arg(const struct decoded *d, const struct slice *s, const char *name, int64_t *v, const char **text)
{
	for (int i = 0; i < s->nr_ann; i++) {
		const char *n = s->ann[i].name < MAX_IID ? d->ann_name[s->ann[i].name] : NULL;

		if (n && !strcmp(n, name)) {
			*v = s->ann[i].v;
			if (text)
				*text = s->ann[i].str && s->ann[i].v >= 0 && s->ann[i].v < MAX_IID ?
					d->str[s->ann[i].v] : NULL;
			return true;
		}
	}
	return false;
}

static const struct track *track_ptr(const struct decoded *d, uint64_t uuid)
{
	for (int i = 0; i < d->nr_tracks; i++)
		if (d->tracks[i].uuid == uuid)
			return &d->tracks[i];
	return NULL;
}

/* vCPU of an operation track ("vCPU N ops" or "vCPU N ops (k)"), or -1. */
static int op_track_cpu(const struct decoded *d, uint64_t uuid)
{
	const struct track *t = track_ptr(d, uuid);
	int cpu;
	char rest[32] = "";

	if (!t || sscanf(t->name, "vCPU %d %31s", &cpu, rest) != 2 || strcmp(rest, "ops"))
		return -1;
	return cpu;
}

static int run(const char *const *argv, char **err)
{
	return helper_run_kmemsim(NULL, argv, NULL, err);
}

static void need_protoc(void)
{
	if (system("command -v protoc >/dev/null 2>&1"))
		cr_skip_test("protoc is not installed (Debian: protobuf-compiler; tools/build.sh installs it)");
}

static void setup(void)
{
	const char *r = getenv("KMEMSIM_SOURCE_ROOT");
	char trace[1024];

	root = strdup(r && *r ? r : ".");
	dir = helper_tmpdir();
	db = malloc(strlen(dir) + 16);
	sprintf(db, "%s/r.db", dir);
	snprintf(trace, sizeof(trace), "%s/traces/samples/debian-6.1.192-4cpu-2node", root);
	const char *argv[] = { "kmemsim", "replay", trace, "--db", db, "--quiet", NULL };

	cr_assert(eq(int, run(argv, NULL), 0));
}

static void teardown(void)
{
	free(db);
	helper_rmtree(dir);
	free(root);
}

/* Every row of an ops query, in order: seq, time_ns, end_ns, cpu, path, level, cache, order, lock_wait. */
struct op_row {
	int64_t seq, b, e, cpu, level, order, lock_wait;
	char path[256], cache[64];
};

static struct op_row *ops_rows(const char *where, size_t *nr)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	char sql[1024];
	struct op_row *r = NULL;
	size_t cap = 0;

	*nr = 0;
	cr_assert(eq(int, sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK));
	snprintf(sql, sizeof(sql), "SELECT o.seq, o.time_ns, o.end_ns, o.cpu, o.path, coalesce(o.level, 0),"
		 " coalesce(c.name, ''), coalesce(o.\"order\", -1), o.lock_wait_ns FROM v_ops o"
		 " LEFT JOIN caches c ON c.id = o.cache WHERE %s ORDER BY o.seq", where);
	cr_assert(eq(int, sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK));
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*nr == cap) {
			cap = cap ? cap * 2 : 4096;
			r = realloc(r, cap * sizeof(*r));
		}
		struct op_row *o = &r[(*nr)++];

		o->seq = sqlite3_column_int64(st, 0);
		o->b = sqlite3_column_int64(st, 1);
		o->e = sqlite3_column_int64(st, 2);
		o->cpu = sqlite3_column_int64(st, 3);
		snprintf(o->path, sizeof(o->path), "%s", sqlite3_column_text(st, 4));
		o->level = sqlite3_column_int64(st, 5);
		snprintf(o->cache, sizeof(o->cache), "%s", sqlite3_column_text(st, 6));
		o->order = sqlite3_column_int64(st, 7);
		o->lock_wait = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return r;
}

/* The operation slices of d, indexed by seq (NULL where none); checks each against its row. */
static size_t check_op_slices(const struct decoded *d, const struct op_row *rows, size_t nr_rows)
{
	int64_t max_seq = nr_rows ? rows[nr_rows - 1].seq : 0;
	const struct slice **by_seq = calloc((size_t)max_seq + 1, sizeof(*by_seq));
	size_t nr = 0;

	for (size_t i = 0; i < d->nr; i++) {
		const struct slice *s = &d->s[i];
		int64_t seq;

		if (s->type != 1 || op_track_cpu(d, s->track) < 0)
			continue;
		cr_assert(arg(d, s, "seq", &seq, NULL), "operation slice without seq");
		cr_assert(le(i64, seq, max_seq), "slice of seq %" PRId64 " not selected by SQL", seq);
		cr_assert(eq(ptr, (void *)by_seq[seq], NULL), "two slices of seq %" PRId64, seq);
		by_seq[seq] = s;
		nr++;
	}
	for (size_t i = 0; i < nr_rows; i++) {
		const struct op_row *o = &rows[i];
		const struct slice *s = by_seq[o->seq];
		int64_t v;
		const char *text;

		cr_assert(not(eq(ptr, (void *)s, NULL)), "no slice for seq %" PRId64, o->seq);
		cr_assert(eq(int, op_track_cpu(d, s->track), (int)o->cpu), "seq %" PRId64 " on another vCPU", o->seq);
		cr_assert(eq(u64, s->ts, (uint64_t)o->b), "seq %" PRId64 " begins at another time", o->seq);
		cr_assert(eq(u64, s->dur, (uint64_t)(o->e - o->b)), "seq %" PRId64 " lasts another time", o->seq);
		cr_assert(eq(str, (char *)s->name, (char *)o->path));
		cr_assert(arg(d, s, "latency_ns", &v, NULL) && v == o->e - o->b);
		cr_assert(arg(d, s, "lock_wait_ns", &v, NULL) && v == o->lock_wait);
		if (o->level)
			cr_assert(arg(d, s, "level", &v, NULL) && v == o->level, "seq %" PRId64 " level", o->seq);
		if (o->order >= 0)
			cr_assert(arg(d, s, "order", &v, NULL) && v == o->order);
		if (o->cache[0]) {
			cr_assert(arg(d, s, "cache", &v, &text) && text, "seq %" PRId64 " has no cache", o->seq);
			cr_assert(eq(str, (char *)text, (char *)o->cache));
		}
	}
	cr_assert(eq(sz, nr, nr_rows));
	free(by_seq);
	return nr;
}

/* Counter values of the track named `name`, in file order. */
static size_t counter_values(const struct decoded *d, const char *name, uint64_t *ts, int64_t *v, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nr; i++) {
		const struct track *t = track_ptr(d, d->s[i].track);

		if (d->s[i].type != 4 || !t || strcmp(t->name, name))
			continue;
		cr_assert(t->counter);
		cr_assert(lt(sz, n, max));
		ts[n] = d->s[i].ts;
		v[n++] = d->s[i].value;
	}
	return n;
}

/* Counters: free pages per zone at each snapshot; slabs of each cache shown after each event. */
static void check_counters(const struct decoded *d)
{
	static uint64_t ts[200000];
	static int64_t v[200000];
	char sql[1024];
	int nr_slab_tracks = 0, nr_pcp_tracks = 0;

	for (int i = 0; i < d->nr_tracks; i++) {
		const struct track *t = &d->tracks[i];
		char zone[16], cache[64];
		int node;
		size_t n;

		if (sscanf(t->name, "N%d %15s pcp pages", &node, zone) == 2 && strstr(t->name, " pcp pages")) {
			/* pages on the zone's pcp lists, summed over its vCPUs, at every snapshot */
			int z = !strcmp(zone, "DMA") ? 0 : !strcmp(zone, "DMA32") ? 1 : !strcmp(zone, "Normal") ? 2 : 3;

			n = counter_values(d, t->name, ts, v, 200000);
			cr_assert(eq(i64, (int64_t)n, helper_db_int(db, "SELECT count(DISTINCT time_ns) FROM pcp_snapshots")));
			nr_pcp_tracks++;
			for (size_t j = 0; j < n; j++) {
				snprintf(sql, sizeof(sql), "SELECT sum(count) FROM pcp_snapshots WHERE time_ns = %" PRIu64
					 " AND node = %d AND zone = %d AND final ="
					 " (SELECT min(final) FROM pcp_snapshots WHERE time_ns = %" PRIu64 ")",
					 ts[j], node, z, ts[j]);
				cr_assert(eq(i64, v[j], helper_db_int(db, sql)), "%s at %" PRIu64, t->name, ts[j]);
			}
		} else if (sscanf(t->name, "N%d %15s free pages", &node, zone) == 2 && strstr(t->name, " free pages")) {
			int z = !strcmp(zone, "DMA") ? 0 : !strcmp(zone, "DMA32") ? 1 : !strcmp(zone, "Normal") ? 2 : 3;

			n = counter_values(d, t->name, ts, v, 200000);
			cr_assert(eq(i64, (int64_t)n, helper_db_int(db, "SELECT count(DISTINCT time_ns) FROM buddy_snapshots")));
			for (size_t j = 0; j < n; j++) {
				snprintf(sql, sizeof(sql), "SELECT coalesce(sum(nr_free << \"order\"), 0) FROM buddy_snapshots"
					 " WHERE time_ns = %" PRIu64 " AND node = %d AND zone = %d AND final ="
					 " (SELECT min(final) FROM buddy_snapshots WHERE time_ns = %" PRIu64 ")",
					 ts[j], node, z, ts[j]);
				cr_assert(eq(i64, v[j], helper_db_int(db, sql)), "%s at %" PRIu64, t->name, ts[j]);
			}
		} else if (t->counter && strlen(t->name) > 6 && !strcmp(t->name + strlen(t->name) - 6, " slabs")) {
			snprintf(cache, sizeof(cache), "%.*s", (int)strlen(t->name) - 6, t->name);
			n = counter_values(d, t->name, ts, v, 200000);
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM slab_events e JOIN caches c ON c.id = e.cache"
				 " WHERE c.name = '%s' AND e.event IN ('new', 'discard', 'grow', 'destroy')", cache);
			cr_assert(eq(i64, (int64_t)n, 1 + helper_db_int(db, sql)), "%s: values", t->name);
			snprintf(sql, sizeof(sql), "SELECT s.num_slabs FROM slabinfo s JOIN caches c ON c.id = s.cache"
				 " WHERE s.final AND c.name = '%s'", cache);
			cr_assert(eq(i64, v[n - 1], helper_db_int(db, sql)), "%s: the last value", t->name);
			for (size_t j = 1; j < n; j++) {
				snprintf(sql, sizeof(sql), "SELECT s.num_slabs - (SELECT count(*) FILTER (WHERE event IN ('new', 'grow'))"
					 " - count(*) FILTER (WHERE event IN ('discard', 'destroy')) FROM (SELECT event FROM"
					 " slab_events WHERE cache = c.id AND event IN ('new', 'discard', 'grow', 'destroy')"
					 " ORDER BY time_ns, rowid LIMIT -1 OFFSET %zu)) FROM slabinfo s JOIN caches c ON"
					 " c.id = s.cache WHERE s.final AND c.name = '%s'", j, cache);
				cr_assert(eq(i64, v[j], helper_db_int(db, sql)), "%s: value %zu", t->name, j);
			}
			nr_slab_tracks++;
		}
	}
	cr_assert(eq(int, nr_slab_tracks, 8), "8 busiest caches");
	cr_assert(eq(i64, nr_pcp_tracks, helper_db_int(db, "SELECT count(*) FROM zones WHERE populated")),
		  "a pcp track per populated zone");
}

TestSuite(timeline, .init = setup, .fini = teardown, .timeout = 120);

Test(timeline, sample_replay_read_back_matches_the_database)
{
	char *out = malloc(strlen(dir) + 32), *err = NULL;
	struct op_row *rows;
	size_t nr_rows;
	struct decoded *d;

	need_protoc();
	sprintf(out, "%s/t.pftrace", dir);
	const char *argv[] = { "kmemsim", "timeline", db, "-o", out, NULL };

	cr_assert(eq(int, run(argv, &err), 0), "%s", err);
	d = decode(out);
	cr_assert(eq(int, d->bad_order, 0), "events going back in time on a track");
	cr_assert(eq(int, d->bad_end, 0));
	rows = ops_rows("1", &nr_rows);
	cr_assert(eq(sz, nr_rows, 51196));
	cr_assert(eq(sz, check_op_slices(d, rows, nr_rows), nr_rows));
	free(rows);

	/* context: a task slice per run of one task's operations on a vCPU, a softirq slice per
	 * softirq operation not nested in another softirq operation */
	for (int cpu = 0; cpu < 4; cpu++) {
		size_t tasks = 0, softirqs = 0;
		char sql[1024];

		for (size_t i = 0; i < d->nr; i++) {
			const struct track *t = track_ptr(d, d->s[i].track);
			char want[32];

			snprintf(want, sizeof(want), "vCPU %d context", cpu);
			if (d->s[i].type != 1 || strcmp(t->name, want))
				continue;
			if (!strncmp(d->s[i].name, "task ", 5)) {
				int64_t pid;

				cr_assert(arg(d, &d->s[i], "pid", &pid, NULL) && pid == atoll(d->s[i].name + 5));
				tasks++;
			} else {
				cr_assert(eq(str, d->s[i].name, "softirq"));
				softirqs++;
			}
		}
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT task, lag(task) OVER (ORDER BY seq) AS prev"
			 " FROM v_ops WHERE cpu = %d AND context = 'task') WHERE prev IS NULL OR prev <> task", cpu);
		cr_assert(eq(i64, (int64_t)tasks, helper_db_int(db, sql)), "task slices of vCPU %d", cpu);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM v_ops o WHERE cpu = %d AND context = 'softirq' AND NOT"
			 " EXISTS (SELECT 1 FROM v_ops p WHERE p.seq = o.parent_seq AND p.context = 'softirq')", cpu);
		cr_assert(eq(i64, (int64_t)softirqs, helper_db_int(db, sql)), "softirq slices of vCPU %d", cpu);
	}
	check_counters(d);
	decoded_free(d);

	/* --min-level 2: exactly the operations of level 2 and above */
	const char *argv2[] = { "kmemsim", "timeline", db, "-o", out, "--min-level", "2", "--quiet", NULL };

	free(err);
	cr_assert(eq(int, run(argv2, &err), 0), "%s", err);
	d = decode(out);
	rows = ops_rows("o.level >= 2", &nr_rows);
	cr_assert(eq(i64, (int64_t)nr_rows, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE level >= 2")));
	cr_assert(lt(sz, 1000, nr_rows));
	cr_assert(eq(sz, check_op_slices(d, rows, nr_rows), nr_rows));
	free(rows);
	decoded_free(d);
	free(err);
	free(out);
}

/* --cpu, --cache and a window: only that vCPU's tracks, that cache's operations begun in it. */
Test(timeline, cpu_cache_and_window_select_the_slices)
{
	char *out = malloc(strlen(dir) + 32), *err = NULL, where[256];
	struct op_row *rows;
	size_t nr_rows;
	struct decoded *d;
	int64_t from = 500000000;

	need_protoc();
	sprintf(out, "%s/w.pftrace", dir);
	const char *argv[] = { "kmemsim", "timeline", db, "-o", out, "--cpu", "1", "--cache", "kmalloc-64",
			       "--from", "500ms", "--to", "1500ms", "--quiet", NULL };

	cr_assert(eq(int, run(argv, &err), 0), "%s", err);
	d = decode(out);
	for (int i = 0; i < d->nr_tracks; i++)
		cr_assert(eq(int, strncmp(d->tracks[i].name, "vCPU ", 5) ? 1 : atoi(d->tracks[i].name + 5), 1),
			  "track %s", d->tracks[i].name);
	snprintf(where, sizeof(where), "o.cpu = 1 AND c.name = 'kmalloc-64' AND o.time_ns >= %" PRId64
		 " AND o.time_ns < 1500000000", from);
	rows = ops_rows(where, &nr_rows);
	cr_assert(lt(sz, 10, nr_rows));
	cr_assert(eq(sz, check_op_slices(d, rows, nr_rows), nr_rows));
	for (size_t i = 0; i < d->nr; i++)
		cr_assert(d->s[i].ts >= (uint64_t)from && d->s[i].ts < 1500000000, "event at %" PRIu64, d->s[i].ts);
	free(rows);
	decoded_free(d);
	free(err);
	free(out);
}

/* Bad input: one line, exit 2, no file at the output path. */
Test(timeline, bad_input_is_one_line_and_leaves_no_file)
{
	char *out = malloc(strlen(dir) + 32), *err = NULL;
	const char *no_o[] = { "kmemsim", "timeline", db, NULL };
	const char *cache[] = { "kmemsim", "timeline", db, "-o", NULL, "--cache", "no-such-cache", NULL };
	const char *cpu[] = { "kmemsim", "timeline", db, "-o", NULL, "--cpu", "4", NULL };
	const char *level[] = { "kmemsim", "timeline", db, "-o", NULL, "--min-level", "6", NULL };
	const char *missing[] = { "kmemsim", "timeline", "/nonexistent.db", "-o", NULL, NULL };

	sprintf(out, "%s/bad.pftrace", dir);
	cache[4] = cpu[4] = level[4] = missing[4] = out;
	cr_assert(eq(int, run(no_o, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "-o FILE"), NULL)), "%s", err);
	free(err);
	cr_assert(eq(int, run(cache, &err), 2));
	cr_assert(eq(int, strncmp(err, "kmemsim timeline: --cache: ", 27), 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(err, "no cache \"no-such-cache\"\n"), NULL)), "%s", err);
	cr_assert(eq(ptr, strchr(err, '\n'), err + strlen(err) - 1), "one line: %s", err);
	free(err);
	cr_assert(eq(int, run(cpu, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "--cpu: 4"), NULL)), "%s", err);
	free(err);
	cr_assert(eq(int, run(level, &err), 2));
	free(err);
	cr_assert(eq(int, run(missing, &err), 2));
	free(err);
	cr_assert(not(eq(int, access(out, F_OK), 0)), "a file was left at %s", out);
	free(out);
}

/* --log aggregate keeps no operations: timeline refuses such a database in one line. */
Test(timeline, an_aggregate_database_is_refused_in_one_line)
{
	char *agg = malloc(strlen(dir) + 32), *out = malloc(strlen(dir) + 32), *err = NULL;
	const char *mk[] = { "kmemsim", "run", "--log", "aggregate", "--db", NULL, "--quiet", NULL };
	const char *tl[] = { "kmemsim", "timeline", NULL, "-o", NULL, NULL };

	sprintf(agg, "%s/agg.db", dir);
	sprintf(out, "%s/agg.pftrace", dir);
	mk[5] = tl[2] = agg;
	tl[4] = out;
	cr_assert(eq(int, run(mk, &err), 0), "%s", err);
	free(err);
	cr_assert(lt(i64, 0, helper_db_int(agg, "SELECT count(*) FROM op_counts")));
	cr_assert(eq(int, run(tl, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "made with --log aggregate"), NULL)), "%s", err);
	cr_assert(eq(ptr, strchr(err, '\n'), err + strlen(err) - 1), "one line: %s", err);
	free(err);
	cr_assert(not(eq(int, access(out, F_OK), 0)), "a file was left at %s", out);
	free(agg);
	free(out);
}

/*
 * A synthetic run with preemption: migrations and preemptions as instants, checked with SQL.
 * The run lasts about 0.25 ms, so it needs a 50 kHz tick (the default 250 Hz never ticks and no
 * slice ends); with think_ns 0 both tasks of a vCPU stay runnable, so an ended slice finds the
 * other one queued and preempts (inside an operation too: the preempted instants); the streams
 * are unpinned, so migrate_pct moves half of the preempted tasks to another vCPU.
 */
Test(timeline, preemptions_and_migrations)
{
	static const char json[] =
		"{ \"name\": \"tl-preempt\", \"seed\": 3, \"allocator\": \"slub\",\n"
		"  \"sched\": { \"preempt\": \"full\", \"slice_us\": 20, \"hz\": 50000, \"migrate_pct\": 50,"
		" \"tasks_per_cpu\": 2 },\n"
		"  \"workload\": { \"streams\": [ { \"ops\": 3000, \"think_ns\": 0, \"irq_pct\": 10, \"pinned\": false,\n"
		"    \"lifetime\": [1, 50], \"sizes\": { \"64\": 3, \"512\": 1 } } ] } }\n";
	char *sc = helper_write_file(dir, "p.json", json), *out = malloc(strlen(dir) + 32), *err = NULL;
	char *pdb = malloc(strlen(dir) + 32);
	size_t migrated = 0, preempted = 0, hardirq = 0;
	struct decoded *d;

	need_protoc();
	sprintf(out, "%s/p.pftrace", dir);
	sprintf(pdb, "%s/p.db", dir);
	const char *argv_run[] = { "kmemsim", "run", sc, "--db", pdb, "--quiet", NULL };
	const char *argv[] = { "kmemsim", "timeline", pdb, "-o", out, "--min-level", "3", "--quiet", NULL };

	cr_assert(eq(int, run(argv_run, &err), 0), "%s", err);
	free(err);
	cr_assert(eq(int, run(argv, &err), 0), "%s", err);
	d = decode(out);
	cr_assert(eq(int, d->bad_order, 0));
	for (size_t i = 0; i < d->nr; i++) {
		migrated += d->s[i].type == 3 && !strcmp(d->s[i].name, "migrated");
		preempted += d->s[i].type == 3 && !strcmp(d->s[i].name, "preempted");
		hardirq += d->s[i].type == 1 && !strcmp(d->s[i].name, "hardirq");
	}
	/* a task's operation on another vCPU than its previous one */
	cr_assert(eq(i64, (int64_t)migrated, helper_db_int(pdb, "SELECT count(*) FROM (SELECT cpu, lag(cpu) OVER"
		" (PARTITION BY task ORDER BY seq) AS prev FROM v_ops WHERE context = 'task' AND task <> 0)"
		" WHERE prev <> cpu")));
	/* another task's operation began on the vCPU while the previous task's run (its operations in a
	 * row on the vCPU, and the interrupts among them) was in flight; an older task's does not count */
	cr_assert(eq(i64, (int64_t)preempted, helper_db_int(pdb, "WITH t AS (SELECT seq, cpu, task, lag(task)"
		" OVER (PARTITION BY cpu ORDER BY seq) AS ptask FROM v_ops WHERE context = 'task'),"
		" s AS (SELECT seq FROM t WHERE ptask IS NULL OR ptask <> task),"
		" r AS (SELECT o.seq, o.cpu, o.time_ns, o.end_ns, s.seq IS NOT NULL AS starts, sum(s.seq IS NOT NULL)"
		" OVER (PARTITION BY o.cpu ORDER BY o.seq) AS run FROM v_ops o LEFT JOIN s USING (seq)),"
		" e AS (SELECT cpu, run, max(end_ns) AS rend FROM r GROUP BY cpu, run)"
		" SELECT count(*) FROM r JOIN e ON e.cpu = r.cpu AND e.run = r.run - 1"
		" WHERE r.starts AND e.run > 0 AND e.rend > r.time_ns")));
	cr_assert(lt(sz, 0, migrated));
	cr_assert(lt(sz, 0, preempted));
	cr_assert(eq(i64, (int64_t)hardirq, helper_db_int(pdb, "SELECT count(*) FROM v_ops o WHERE context = 'hardirq'"
		" AND NOT EXISTS (SELECT 1 FROM v_ops p WHERE p.seq = o.parent_seq AND p.context = 'hardirq')")));
	decoded_free(d);
	free(err);
	free(out);
	free(pdb);
	free(sc);
}
