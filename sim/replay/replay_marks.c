/*
 * replay_marks.c - what the replay keeps of the trace beside its operations,
 * for `kmemsim validate` (docs/fidelity.md): the trace's own marks, the
 * kernel's pcp batches, and snapshots at the capture's snapshot marks.
 *
 *   marks              every tracing_mark_write line: (line, trace time,
 *                      simulated time, CPU, text).  A capture's snapshot and
 *                      phase markers ("..._MARK SNAP0 cache dentry") bound the
 *                      windows the kernel's own counters cover.
 *   trace_pcp_batches  the kernel's pcp refills and drains as its internal
 *                      events show them: a batch is a run of
 *                      mm_page_alloc_zone_locked with percpu_refill=1 (a
 *                      refill, rmqueue_bulk), or of mm_page_pcpu_drain (a drain,
 *                      free_pcppages_bulk), on one CPU with no other kmem event
 *                      of that CPU in between.  One row per batch.
 *   snapshots          at a mark "SNAPi proc/slabinfo", "proc/buddyinfo" or
 *                      "proc/zoneinfo" (the moment the kernel read that file),
 *                      a buddyinfo and slabinfo snapshot of the model, taken by
 *                      the first operation that starts at or after the mark's
 *                      simulated time and stamped with that time.
 *
 * Hooks: rp_feed calls rp_mark for a mark and rp_pcp_event for every kmem
 * event (trace order); rp_exec calls rp_marks_snapshot when one is due; rp_db_finish calls
 * rp_marks_db.  None of this changes an operation: times are computed
 * without touching the reader's clock state.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../db/db.h"

struct rp_mark_row {
	int64_t line;
	uint64_t trace_ns, time_ns;
	int32_t cpu;
	char *text;
};

struct rp_batch {
	int64_t line;			/* first event of the batch */
	uint64_t trace_ns, time_ns;
	int32_t cpu;			/* trace CPU */
	uint8_t kind;			/* 0 none (no batch open), 1 refill, 2 drain */
	uint32_t nr_events;
	uint64_t nr_pages;
};

struct rp_marks {
	struct rp_mark_row *mark;
	size_t nr_marks, cap_marks;
	struct rp_batch *batch;		/* closed batches */
	size_t nr_batches, cap_batches;
	struct rp_batch *open;		/* per trace CPU: the batch open on it (kind 0: none) */
	int nr_open;
	uint64_t *snap_ns;		/* snapshot times due, ascending */
	size_t nr_snaps, cap_snaps, next_snap;
	bool await_next;		/* a mark was read, no kmem event after it yet */
};

static struct rp_marks *rp_mk(void)
{
	if (!rp->marks)
		rp->marks = calloc(1, sizeof(*rp->marks));
	return rp->marks;
}

/* Trace time of an event as rp_time would give it, without moving the reader's clock. */
static uint64_t rp_peek_time(const struct sim_trace_event *ev)
{
	uint64_t t = rp->have_first && ev->ts_ns >= rp->first_ts ? ev->ts_ns - rp->first_ts : 0;

	return t < rp->last_trace_ns ? rp->last_trace_ns : t;
}

int rp_snap_mark(const char *text, const char **file)
{
	const char *s = strstr(text, "SNAP");
	size_t n;

	if (!s || (s != text && s[-1] != ' '))
		return -1;
	s += 4;
	n = strspn(s, "0123456789");
	if (!n || n > 4 || s[n] != ' ')
		return -1;
	*file = s + n + 1;
	return atoi(s);
}

/* "SNAPi proc/slabinfo" (after any "PREFIX_MARK "): the kernel read a file the model can show. */
static bool rp_snapshot_mark(const char *text)
{
	static const char *const files[] = { "proc/slabinfo", "proc/buddyinfo", "proc/zoneinfo" };
	const char *file;

	if (rp_snap_mark(text, &file) < 0)
		return false;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (!strcmp(file, files[i]))
			return true;
	return false;
}

void rp_mark(const struct sim_trace_event *ev)
{
	struct rp_marks *mk = rp_mk();
	struct rp_mark_row *m;
	uint64_t t = rp_peek_time(ev);

	if (!mk || !rp_grow((void **)&mk->mark, &mk->cap_marks, mk->nr_marks, sizeof(*mk->mark), 64))
		goto oom;
	m = &mk->mark[mk->nr_marks];
	m->text = strdup(ev->mark ? ev->mark : "");
	if (!m->text)
		goto oom;
	m->line = ev->line;
	m->trace_ns = t;
	m->time_ns = rp->t0 + t;
	m->cpu = ev->cpu;
	mk->nr_marks++;
	if (rp->db) {
		sim_db_count_mark(rp->db, m->line, m->time_ns);	/* --log aggregate: a time bucket */
		mk->await_next = true;
	}
	if (rp_snapshot_mark(m->text)) {
		if (!rp_grow((void **)&mk->snap_ns, &mk->cap_snaps, mk->nr_snaps, sizeof(*mk->snap_ns), 64))
			goto oom;
		mk->snap_ns[mk->nr_snaps++] = m->time_ns;
		if (!rp->snap_due) {
			rp->snap_due = true;
			rp->snap_due_ns = mk->snap_ns[mk->next_snap];
		}
	}
	return;
oom:
	rp->db_failed = -1;		/* the database would miss rows: do not keep it */
}

static void rp_batch_close(struct rp_marks *mk, struct rp_batch *b)
{
	if (!b->kind)
		return;
	if (!rp_grow((void **)&mk->batch, &mk->cap_batches, mk->nr_batches, sizeof(*mk->batch), 64))
		rp->db_failed = -1;
	else
		mk->batch[mk->nr_batches++] = *b;
	b->kind = 0;
}

void rp_pcp_event(const struct sim_trace_event *ev, uint64_t trace_ns)
{
	struct rp_marks *mk = rp_mk();
	struct rp_batch *b;
	int kind = ev->type == SIM_TRACE_MM_PAGE_PCPU_DRAIN ? 2 :
		   ev->type == SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED && ev->percpu_refill > 0 ? 1 : 0;

	if (mk && mk->await_next) {	/* the first event after a mark (sim_db_count_mark_next) */
		mk->await_next = false;
		sim_db_count_mark_next(rp->db, rp->t0 + trace_ns);
	}
	if (!mk || ev->cpu < 0 || ev->cpu >= SIM_CAPTURE_MAX_CPUS) {
		if (!mk)
			rp->db_failed = -1;
		return;
	}
	if (ev->cpu >= mk->nr_open) {
		int n = ev->cpu + 1;
		struct rp_batch *o = realloc(mk->open, (size_t)n * sizeof(*o));

		if (!o) {
			rp->db_failed = -1;
			return;
		}
		memset(o + mk->nr_open, 0, (size_t)(n - mk->nr_open) * sizeof(*o));
		mk->open = o;
		mk->nr_open = n;
	}
	b = &mk->open[ev->cpu];
	if (b->kind && b->kind == kind) {
		b->nr_events++;
		b->nr_pages += 1ull << (ev->order > 0 && ev->order < 64 ? ev->order : 0);
		return;
	}
	rp_batch_close(mk, b);
	if (!kind)
		return;
	b->kind = (uint8_t)kind;
	b->line = ev->line;
	b->trace_ns = trace_ns;
	b->time_ns = rp->t0 + trace_ns;
	b->cpu = ev->cpu;
	b->nr_events = 1;
	b->nr_pages = 1ull << (ev->order > 0 && ev->order < 64 ? ev->order : 0);
}

void rp_marks_snapshot(uint64_t now)
{
	struct rp_marks *mk = rp->marks;

	while (mk->next_snap < mk->nr_snaps && mk->snap_ns[mk->next_snap] <= now) {
		uint64_t t = mk->snap_ns[mk->next_snap++];

		if (rp->db && (sim_db_log_buddy_snapshot(rp->db, t, false) || sim_slabdb_snapshot(t, false)))
			rp->db_failed = -1;
	}
	rp->snap_due = mk->next_snap < mk->nr_snaps;
	if (rp->snap_due)
		rp->snap_due_ns = mk->snap_ns[mk->next_snap];
}

static int rp_batch_cmp(const void *a, const void *b)
{
	const struct rp_batch *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

int rp_marks_db(struct sim_db *db)
{
	static const char schema[] =
		"CREATE TABLE marks (line INTEGER PRIMARY KEY, trace_ns INTEGER, time_ns INTEGER, cpu INTEGER,"
		" text TEXT);\n"
		"CREATE TABLE trace_pcp_batches (line INTEGER PRIMARY KEY, trace_ns INTEGER, time_ns INTEGER,"
		" cpu INTEGER, kind TEXT, nr_events INTEGER, nr_pages INTEGER);\n";
	struct rp_marks *mk = rp->marks;
	struct sim_db_stmt *m, *b;
	int rc;

	if (sim_db_exec(db, schema))
		return -1;
	if (!mk)
		return 0;
	for (int c = 0; c < mk->nr_open; c++)
		rp_batch_close(mk, &mk->open[c]);
	if (mk->nr_batches)
		qsort(mk->batch, mk->nr_batches, sizeof(*mk->batch), rp_batch_cmp);
	m = sim_db_prepare(db, "INSERT INTO marks VALUES (?1, ?2, ?3, ?4, ?5)");
	b = sim_db_prepare(db, "INSERT INTO trace_pcp_batches VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	rc = !m || !b;
	for (size_t i = 0; i < mk->nr_marks && !rc; i++) {
		const struct rp_mark_row *r = &mk->mark[i];

		rc = sim_db_bind_int64(m, 1, r->line) || sim_db_bind_int64(m, 2, (int64_t)r->trace_ns) ||
		     sim_db_bind_int64(m, 3, (int64_t)r->time_ns) || sim_db_bind_int64(m, 4, r->cpu) ||
		     sim_db_bind_text(m, 5, r->text) || sim_db_step(m) < 0;
	}
	for (size_t i = 0; i < mk->nr_batches && !rc; i++) {
		const struct rp_batch *r = &mk->batch[i];

		rc = sim_db_bind_int64(b, 1, r->line) || sim_db_bind_int64(b, 2, (int64_t)r->trace_ns) ||
		     sim_db_bind_int64(b, 3, (int64_t)r->time_ns) || sim_db_bind_int64(b, 4, r->cpu) ||
		     sim_db_bind_text(b, 5, r->kind == 1 ? "refill" : "drain") ||
		     sim_db_bind_int64(b, 6, r->nr_events) || sim_db_bind_int64(b, 7, (int64_t)r->nr_pages) ||
		     sim_db_step(b) < 0;
	}
	sim_db_finalize(m);
	sim_db_finalize(b);
	return rc ? -1 : 0;
}

void rp_marks_free(void)
{
	struct rp_marks *mk = rp ? rp->marks : NULL;

	if (!mk)
		return;
	for (size_t i = 0; i < mk->nr_marks; i++)
		free(mk->mark[i].text);
	free(mk->mark);
	free(mk->batch);
	free(mk->open);
	free(mk->snap_ns);
	free(mk);
	rp->marks = NULL;
}

/* ------------------------------------------------------------ mark -> time */

/* The marks of a database, one per distinct text, in the order of their first line. */
struct rp_mark_q {
	char **text;
	uint64_t *ns;
	size_t n, cap;
	bool oom;
};

static int rp_mark_q_row(void *arg, int ncol, char **vals, char **names)
{
	struct rp_mark_q *q = arg;

	(void)names;
	if (ncol < 2 || !vals[0] || !vals[1])
		return 0;
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 32;
		char **t = realloc(q->text, cap * sizeof(*t));
		uint64_t *ns = t ? realloc(q->ns, cap * sizeof(*ns)) : NULL;

		if (t)
			q->text = t;
		if (!t || !ns) {
			q->oom = true;
			return 1;
		}
		q->ns = ns;
		q->cap = cap;
	}
	q->text[q->n] = strdup(vals[0]);
	if (!q->text[q->n]) {
		q->oom = true;
		return 1;
	}
	q->ns[q->n++] = strtoull(vals[1], NULL, 10);
	return 0;
}

static int rp_mark_any(void *arg, int ncol, char **vals, char **names)
{
	(void)ncol;
	(void)vals;
	(void)names;
	*(int *)arg = 1;
	return 1;
}

/* "A, B, C, ... (N marks)": the texts for an error line, at most 8 of them. */
static void rp_mark_list(const struct rp_mark_q *q, const size_t *idx, size_t n, FILE *err)
{
	for (size_t i = 0; i < n && i < 8; i++)
		fprintf(err, "%s%s", i ? ", " : "", q->text[idx ? idx[i] : i]);
	if (n > 8)
		fprintf(err, ", ... (%zu in all)", n);
}

int sim_replay_mark_ns(struct sim_db *db, const char *db_path, const char *text, const char *where,
		       uint64_t *ns, FILE *err)
{
	struct rp_mark_q q = { 0 };
	size_t *hit = NULL, nr_hits = 0;
	int has = 0, rc = SIM_EBADINPUT;

	if (sim_db_query(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'marks'",
			 rp_mark_any, &has, err))
		return SIM_EBADINPUT;
	if (!has) {
		fprintf(err, "%s: %s has no marks table: marks are the tracing_mark_write lines of a"
			" replayed trace, and this is not a replay\n", where, db_path);
		return SIM_EBADINPUT;
	}
	/* each distinct text once, at its first mark (SQLite takes the bare columns from the min row) */
	if (sim_db_query(db, "SELECT text, time_ns, min(line) AS first FROM marks GROUP BY text ORDER BY first",
			 rp_mark_q_row, &q, err))
		goto out;
	if (q.oom) {
		fprintf(err, "%s: out of memory\n", where);
		rc = SIM_EFAIL;
		goto out;
	}
	for (size_t i = 0; i < q.n; i++) {
		if (!strcmp(q.text[i], text)) {		/* an exact match wins */
			*ns = q.ns[i];
			rc = 0;
			goto out;
		}
	}
	hit = malloc((q.n ? q.n : 1) * sizeof(*hit));
	if (!hit) {
		fprintf(err, "%s: out of memory\n", where);
		rc = SIM_EFAIL;
		goto out;
	}
	for (size_t i = 0; i < q.n; i++)
		if (*text && strstr(q.text[i], text))
			hit[nr_hits++] = i;
	if (nr_hits == 1) {			/* else the one text that contains it */
		*ns = q.ns[hit[0]];
		rc = 0;
	} else if (nr_hits > 1) {
		fprintf(err, "%s: mark \"%s\" is ambiguous in %s (marks containing it: ", where, text, db_path);
		rp_mark_list(&q, hit, nr_hits, err);
		fprintf(err, ")\n");
	} else if (!q.n) {
		fprintf(err, "%s: no mark \"%s\" in %s (the trace has no tracing_mark_write lines)\n",
			where, text, db_path);
	} else {
		fprintf(err, "%s: no mark \"%s\" in %s (marks: ", where, text, db_path);
		rp_mark_list(&q, NULL, q.n, err);
		fprintf(err, ")\n");
	}
out:
	for (size_t i = 0; i < q.n; i++)
		free(q.text[i]);
	free(q.text);
	free(q.ns);
	free(hit);
	return rc;
}
