/*
 * story.c - a race run read back for `kmemsim story` (sim/story/story.h).
 *
 * Main entry: sim_story_write.  It reads the run's description, the steps, the
 * watch rows in their order of change (each with the text its channel had
 * before), the operations with the script's names, the forced switches and the
 * first violation, the reads of watched fields and the rows of `broken`; puts
 * each step in a lane (CPU and context); finds the two conflicting accesses from
 * the reads and writes (story_conflict.c) or, without such a pair, around the
 * first forced switch:
 *
 *   A  the code the switch left (its lane at that step): its first step from
 *      the switch on that changes a piece of state the other code changed, or
 *      the switch's step itself;
 *   B  the code that ran in between (before A's lane goes on): its last step
 *      that changed that state, or its last step;
 *
 * and the step from which the invariant stayed broken (load_broken).
 * Not here: the printers (story_print.c), the parts as text (story_text.c).  The tables are small (a race run
 * has a few hundred steps): everything is read into memory.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "story_int.h"
#include "../db/db.h"
#include "../engine/engine.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int64_t int_or(const char *s, int64_t dflt)
{
	return s ? strtoll(s, NULL, 10) : dflt;
}

/* Room for element nr of an array that doubles from 16 (the capacity follows from nr). */
static void *grow(void *p, int nr, size_t elem, bool *oom)
{
	void *n;

	if (nr != 0 && (nr < 16 || (nr & (nr - 1))))
		return p;
	n = realloc(p, (size_t)(nr ? 2 * nr : 16) * elem);
	if (!n)
		*oom = true;
	return n ? n : p;
}

struct loader {
	struct story *s;
	bool oom;
	bool mended;		/* load_broken: the last row had the invariants hold */
};

static int load_run(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;

	(void)ncol;
	(void)names;
	l->s->name = dup_or_null(v[0]);
	l->s->description = dup_or_null(v[1]);
	l->s->allocator = dup_or_null(v[2]);
	l->s->seed = int_or(v[3], 0);
	return 1;	/* the first run row */
}

static int load_violation(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;

	(void)ncol;
	(void)names;
	l->s->viol_step = int_or(v[0], -1);
	l->s->viol_invariant = dup_or_null(v[1]);
	l->s->viol_detail = dup_or_null(v[2]);
	return 1;
}

static int load_forced(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	char *f = l->s->forced, *n;

	(void)ncol;
	(void)names;
	if (asprintf(&n, "%s%safter step %s: %s", f ? f : "", f ? "; " : "", v[0] ? v[0] : "?",
		     v[1] ? v[1] : "?") < 0) {
		l->oom = true;
		return 1;
	}
	free(f);
	l->s->forced = n;
	return 0;
}

static int load_op(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	struct story *s = l->s;
	struct st_op *op;

	(void)ncol;
	(void)names;
	s->ops = grow(s->ops, s->nr_ops, sizeof(*s->ops), &l->oom);
	if (l->oom)
		return 1;
	op = &s->ops[s->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->seq = int_or(v[0], 0);
	op->parent = int_or(v[1], 0);
	snprintf(op->kind, sizeof(op->kind), "%s", v[2] ? v[2] : "");
	snprintf(op->context, sizeof(op->context), "%s", v[3] ? v[3] : "");
	op->task = (int)int_or(v[4], -1);
	op->cpu = (int)int_or(v[5], -1);
	op->cache = dup_or_null(v[6]);
	op->size = (int)int_or(v[7], 0);
	op->order = (int)int_or(v[8], 0);
	op->addr = (uint64_t)int_or(v[9], 0);
	op->name = dup_or_null(v[10]);
	return 0;
}

static int lane_of(struct story *s, int cpu, const char *context, int task)
{
	bool irq = strcmp(context, "task") && strcmp(context, "idle");
	int i;

	for (i = 0; i < s->nr_lanes; i++)
		if (s->lanes[i].cpu == cpu && !strcmp(s->lanes[i].context, context) &&
		    (irq || s->lanes[i].task == task))
			return i;
	if (i == (int)(sizeof(s->lanes) / sizeof(s->lanes[0])))
		return i - 1;	/* a run with more lanes shares the last one */
	s->lanes[i].cpu = cpu;
	snprintf(s->lanes[i].context, sizeof(s->lanes[i].context), "%s", context);
	s->lanes[i].task = irq ? -1 : task;
	s->nr_lanes++;
	return i;
}

static int load_step(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	struct story *s = l->s;
	struct st_step *st;

	(void)ncol;
	(void)names;
	s->steps = grow(s->steps, s->nr_steps, sizeof(*s->steps), &l->oom);
	if (l->oom)
		return 1;
	st = &s->steps[s->nr_steps++];
	memset(st, 0, sizeof(*st));
	st->step = (uint64_t)int_or(v[0], 0);
	st->cpu = (int)int_or(v[1], 0);
	snprintf(st->context, sizeof(st->context), "%s", v[2] ? v[2] : "");
	st->task = (int)int_or(v[3], -1);
	st->op_seq = int_or(v[4], -1);
	st->func = dup_or_null(v[5]);
	st->label = dup_or_null(v[6]);
	st->cost = dup_or_null(v[7]);
	st->next = dup_or_null(v[8]);
	st->forced = (int)int_or(v[9], 0);
	st->time_ns = (uint64_t)int_or(v[10], 0);
	st->cost_ns = (uint64_t)int_or(v[11], 0);
	st->first_watch = -1;
	st->lane = lane_of(s, st->cpu, st->context, st->task);
	return 0;
}

/* Rows come in their order of change; `before` is the channel's previous text. */
static int load_watch(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	struct story *s = l->s;
	struct st_watch *w;

	(void)ncol;
	(void)names;
	s->watch = grow(s->watch, s->nr_watch, sizeof(*s->watch), &l->oom);
	if (l->oom)
		return 1;
	w = &s->watch[s->nr_watch++];
	w->step = (uint64_t)int_or(v[0], 0);
	w->name = dup_or_null(v[1]);
	w->value = dup_or_null(v[2]);
	w->seq = (uint64_t)int_or(v[3], 0);
	w->before = NULL;
	for (int i = s->nr_watch - 2; i >= 0; i--)
		if (s->watch[i].name && w->name && !strcmp(s->watch[i].name, w->name)) {
			w->before = dup_or_null(s->watch[i].value);
			break;
		}
	return 0;
}

/* Rows come in their order (seq); values named as the lanes show them. */
static int load_read(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	struct story *s = l->s;
	struct st_read *r;
	char buf[96];
	bool plain;

	(void)ncol;
	(void)names;
	s->reads = grow(s->reads, s->nr_reads, sizeof(*s->reads), &l->oom);
	if (l->oom)
		return 1;
	r = &s->reads[s->nr_reads++];
	memset(r, 0, sizeof(*r));
	r->step = (uint64_t)int_or(v[0], 0);
	r->name = dup_or_null(v[1]);
	r->field = dup_or_null(v[2]);
	/* a slab's address is its first object's: name objects only */
	plain = r->field && (!strcmp(r->field, "slab") || !strcmp(r->field, "partial"));
	st_name_value(s, plain ? NULL : r->name, v[3] ? v[3] : "?", buf, sizeof(buf));
	r->value = strdup(plain ? (v[3] ? v[3] : "?") : buf);
	r->expected = (int)int_or(v[4], 0);
	if (v[5]) {
		st_name_value(s, r->name, v[5], buf, sizeof(buf));
		r->now = strdup(buf);
	}
	r->seq = (uint64_t)int_or(v[6], 0);
	r->stale_at = -1;
	if (!r->name || !r->field || !r->value)
		l->oom = true;
	return 0;
}

/* Is word w in the space-separated list? */
static bool has_word(const char *list, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = list; p && *p; p += strcspn(p, " "), p += *p == ' ')
		if (strcspn(p, " ") == n && !strncmp(p, w, n))
			return true;
	return false;
}

/*
 * Rows of `broken` in their order: the state invariants failing after each step's code.  The
 * first broken step is where the final stretch starts in which the violation's invariant
 * fails up to the run's end: failures in the middle of an operation that mend are no break.
 * For an invariant checked at an event (live_twice, freed_slab), where the last stretch in
 * which any state invariant failed starts (the second hand-out may mend the count); for a
 * deadlock, none.
 */
static int load_broken(void *arg, int ncol, char **v, char **names)
{
	struct loader *l = arg;
	struct story *s = l->s;
	const char *inv = s->viol_invariant ? s->viol_invariant : "";
	bool state = has_word("buddy_check slab slub balance", inv);
	const char *set = v[1] ? v[1] : "";
	bool fails = state ? has_word(set, inv) : set[0] != 0;

	(void)ncol;
	(void)names;
	if (!strcmp(inv, "deadlock"))
		return 1;	/* a lock taken twice is no state: found where it broke */
	if (!fails) {
		if (state)
			s->first_broken = -1;
		l->mended = true;
	} else if (s->first_broken < 0 || (!state && l->mended)) {
		l->mended = false;
		s->broken_seq = (uint64_t)int_or(v[2], 0);
		s->first_broken = int_or(v[0], -1);
		free(s->broken_by);
		s->broken_by = strndup(state ? inv : set, state ? strlen(inv) : strcspn(set, " "));
	}
	return 0;
}

static int cmp_watch_step(const void *a, const void *b)
{
	const struct st_watch *x = a, *y = b;

	return (x->step > y->step) - (x->step < y->step);
}

static struct st_step *step_at(struct story *s, int64_t step)
{
	for (int i = 0; i < s->nr_steps; i++)
		if ((int64_t)s->steps[i].step == step)
			return &s->steps[i];
	return NULL;
}

/* Does step st change channel `name`? */
static bool changes(const struct story *s, const struct st_step *st, const char *name)
{
	for (int i = 0; i < st->nr_watch; i++)
		if (!name || !strcmp(s->watch[st->first_watch + i].name, name))
			return true;
	return false;
}

/* The two conflicting accesses around the first forced switch (the file's header). */
static void find_conflict(struct story *s, int64_t switch_step)
{
	struct st_step *f = step_at(s, switch_step);
	int fi, ri, lane;

	s->conflict_a = s->conflict_b = -1;
	if (!f)
		return;
	fi = (int)(f - s->steps);
	lane = f->lane;
	for (ri = fi + 1; ri < s->nr_steps && s->steps[ri].lane != lane; ri++)
		;
	if (ri == fi + 1)
		return;		/* nothing ran in between */
	/* A's first change from the switch on that B changed too, B's last change of it */
	for (int a = fi; a < s->nr_steps; a++) {
		struct st_step *sa = &s->steps[a];

		if (a > fi && a < ri)
			continue;
		if (sa->lane != lane)
			continue;
		if (s->viol_step >= 0 && (int64_t)sa->step > s->viol_step)
			break;
		for (int w = 0; w < sa->nr_watch; w++) {
			const char *name = s->watch[sa->first_watch + w].name;

			for (int b = ri - 1; b > fi; b--)
				if (changes(s, &s->steps[b], name)) {
					s->conflict_a = (int64_t)sa->step;
					s->conflict_b = (int64_t)s->steps[b].step;
					if (asprintf(&s->conflict_what, "both change %s", name) < 0)
						s->conflict_what = NULL;
					return;
				}
		}
	}
	s->conflict_a = (int64_t)f->step;
	s->conflict_b = (int64_t)s->steps[ri - 1].step;
	for (int b = ri - 1; b > fi; b--)
		if (changes(s, &s->steps[b], NULL)) {
			s->conflict_b = (int64_t)s->steps[b].step;
			break;
		}
}

static void story_free(struct story *s)
{
	free(s->name);
	free(s->description);
	free(s->allocator);
	free(s->forced);
	free(s->viol_invariant);
	free(s->viol_detail);
	free(s->conflict_what);
	free(s->broken_by);
	for (int i = 0; i < s->nr_reads; i++) {
		free(s->reads[i].name);
		free(s->reads[i].field);
		free(s->reads[i].value);
		free(s->reads[i].now);
		free(s->reads[i].stale_now);
	}
	free(s->reads);
	for (int i = 0; i < s->nr_steps; i++) {
		free(s->steps[i].func);
		free(s->steps[i].label);
		free(s->steps[i].cost);
		free(s->steps[i].next);
	}
	for (int i = 0; i < s->nr_watch; i++) {
		free(s->watch[i].name);
		free(s->watch[i].value);
		free(s->watch[i].before);
	}
	for (int i = 0; i < s->nr_ops; i++) {
		free(s->ops[i].cache);
		free(s->ops[i].name);
	}
	free(s->steps);
	free(s->watch);
	free(s->ops);
}

static int has_table(void *arg, int ncol, char **v, char **names)
{
	(void)ncol;
	(void)names;
	*(bool *)arg = v[0] && strcmp(v[0], "0");
	return 1;
}

static int story_load(struct sim_db *db, struct story *s, const char *path, FILE *err)
{
	struct loader l = { .s = s };
	bool race = false, caches = false, reads = false, broken = false;
	int64_t switch_step = -1;

	if (sim_db_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'steps'", has_table, &race, err))
		return SIM_EFAIL;
	if (!race) {
		fprintf(err, "kmemsim story: %s: not a race run (no table steps): run a race scenario with --db\n",
			path);
		return SIM_EBADINPUT;
	}
	if (sim_db_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'caches'", has_table, &caches, err) ||
	    sim_db_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'reads'", has_table, &reads, err) ||
	    sim_db_query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'broken'", has_table, &broken, err))
		return SIM_EFAIL;
	s->viol_step = -1;
	s->first_broken = -1;
	if (sim_db_query(db, "SELECT name, description, allocator, seed FROM runs", load_run, &l, err) ||
	    sim_db_query(db, "SELECT step, invariant, detail FROM violations ORDER BY step, seq LIMIT 1",
			 load_violation, &l, err) ||
	    sim_db_query(db, "SELECT step, choice FROM forced ORDER BY step", load_forced, &l, err) ||
	    sim_db_query(db, caches ? "SELECT o.seq, o.parent_seq, o.kind, o.context, o.task, o.cpu, c.name, o.size,"
			 " o.\"order\", o.addr, n.name FROM v_ops o LEFT JOIN caches c ON c.id = o.cache"
			 " LEFT JOIN names n ON n.op_seq = o.seq ORDER BY o.seq"
			 : "SELECT o.seq, o.parent_seq, o.kind, o.context, o.task, o.cpu, NULL, o.size,"
			 " o.\"order\", o.addr, n.name FROM v_ops o"	/* a buddy-only run has no caches */
			 " LEFT JOIN names n ON n.op_seq = o.seq ORDER BY o.seq", load_op, &l, err) ||
	    sim_db_query(db, "SELECT step, cpu, context, task, op_seq, func, label, cost, next, forced,"
			 " time_ns, cost_ns FROM steps ORDER BY step", load_step, &l, err) ||
	    sim_db_query(db, "SELECT step, name, value, seq FROM watch ORDER BY seq", load_watch, &l, err) ||
	    (reads && sim_db_query(db, "SELECT step, name, field, value, expected, now, seq FROM reads"
				   " ORDER BY step, seq", load_read, &l, err)) ||	/* older runs: none */
	    (broken && s->viol_step >= 0 &&
	     sim_db_query(db, "SELECT step, invariants, seq FROM broken ORDER BY seq", load_broken, &l, err)))
		return SIM_EFAIL;
	if (l.oom) {
		fprintf(err, "kmemsim story: out of memory\n");
		return SIM_EFAIL;
	}
	/* by step, keeping the order of change within a step (a stable sort by hand: merge is overkill) */
	for (int i = 1; i < s->nr_watch; i++)
		for (int j = i; j > 0 && cmp_watch_step(&s->watch[j - 1], &s->watch[j]) > 0; j--) {
			struct st_watch t = s->watch[j];

			s->watch[j] = s->watch[j - 1];
			s->watch[j - 1] = t;
		}
	for (int i = 0, w = 0, r = 0; i < s->nr_steps; i++) {
		struct st_step *st = &s->steps[i];

		while (r < s->nr_reads && s->reads[r].step < st->step)
			r++;
		st->first_read = r;
		for (; r < s->nr_reads && s->reads[r].step == st->step; r++)
			st->nr_read++;

		while (w < s->nr_watch && s->watch[w].step < st->step)
			w++;
		st->first_watch = w;
		while (w < s->nr_watch && s->watch[w].step == st->step) {
			w++;
			st->nr_watch++;
		}
		if (st->forced && switch_step < 0)
			switch_step = (int64_t)st->step;
	}
	s->conflict_use = -1;
	if (!st_conflict_from_data(s))
		find_conflict(s, switch_step);
	if (s->conflict_a >= 0)
		step_at(s, s->conflict_a)->mark |= ST_MARK_A;
	if (s->conflict_b >= 0)
		step_at(s, s->conflict_b)->mark |= ST_MARK_B;
	/* a failure that began before B's write (in the middle of an operation) and never mended
	 * is dated at B: the conflict is what kept it from mending */
	if (s->first_broken >= 0 && s->conflict_b_seq && s->broken_seq < s->conflict_b_seq)
		s->first_broken = s->conflict_b;
	if (s->first_broken == s->viol_step || !step_at(s, s->first_broken))
		s->first_broken = -1;	/* found where it broke (or broken before the first step) */
	if (s->viol_step >= 0 && step_at(s, s->viol_step))
		step_at(s, s->viol_step)->mark |= s->first_broken >= 0 ? ST_MARK_FOUND : ST_MARK_BROKEN;
	if (s->first_broken >= 0)
		step_at(s, s->first_broken)->mark |= ST_MARK_FIRST;
	return 0;
}

/* Read the run at path into s: 0, SIM_EBADINPUT or SIM_EFAIL (after a line on err). */
static int story_read(const char *path, struct story *s, FILE *err)
{
	struct sim_db *db = NULL;
	int rc = sim_db_open_read(&db, path, err);

	if (rc)
		return rc == 2 ? SIM_EBADINPUT : SIM_EFAIL;
	rc = story_load(db, s, path, err);
	sim_db_close(db, false, err);
	return rc;
}

int sim_story_conflict(const char *db_path, struct sim_story_access acc[2], FILE *err)
{
	struct story s = { 0 };
	FILE *quiet = err;
	int rc;

	memset(acc, 0, 2 * sizeof(*acc));
	rc = story_read(db_path, &s, quiet);
	if (rc == SIM_EBADINPUT) {
		story_free(&s);
		return 0;	/* not a race run: nothing to show (it said so on err, though) */
	}
	if (rc || s.conflict_a < 0) {
		story_free(&s);
		return rc ? -1 : 0;
	}
	for (int k = 0; k < 2; k++) {
		int64_t step = k ? s.conflict_a : s.conflict_b;
		const struct st_step *st = step_at(&s, step);

		acc[k].step = (uint64_t)step;
		acc[k].cpu = st->cpu;
		acc[k].time_ns = st->time_ns;
		st_access_text(&s, step, acc[k].text, sizeof(acc[k].text));
	}
	if (s.conflict_a < s.conflict_b) {
		/* A acted when its code went on after B's: at its lane's next step, less that step's cost */
		const struct st_step *a = step_at(&s, s.conflict_a);

		for (const struct st_step *n = step_at(&s, s.conflict_b) + 1; n < s.steps + s.nr_steps; n++)
			if (n->lane == a->lane) {
				acc[1].time_ns = n->time_ns - n->cost_ns;
				break;
			}
	}
	story_free(&s);
	return 1;
}

int sim_story_write(const struct sim_story_opts *o, FILE *out, FILE *err)
{
	struct story s = { 0 };
	int rc = story_read(o->db_path, &s, err);

	if (!rc && o->from_set && o->to_set && o->from > o->to) {
		fprintf(err, "kmemsim story: --from %" PRIu64 " is after --to %" PRIu64 "\n", o->from, o->to);
		rc = SIM_EBADINPUT;
	}
	if (!rc)
		rc = o->format == SIM_STORY_HTML ? st_print_html(&s, o, out) : st_print_text(&s, o, out);
	story_free(&s);
	return rc;
}

