/*
 * story_conflict.c - the two conflicting accesses of a race run, chosen from
 * what each step read and wrote of the watched state (sim/story/story_int.h,
 * docs/story.md "The marks").
 *
 * A location is a field of a watched line ("slub kmalloc-64 cpu0" field
 * "tid").  Reads come from the table reads, writes from the watch rows (a row
 * writes the fields whose value it changed); both are ordered by seq, the
 * order in which they happened.  Each read is followed, in its own lane, to
 * its use: the first later access of that lane to the same line that is a
 * compare (the values a cmpxchg expects) or a write of the field; a re-read
 * of the field first means it had none.  The rules, first that applies:
 *
 *   1. stale read: a read and the last write of the same field by another
 *      lane between the read and its use, the value read no longer current
 *      at the use (A the read, B the write);
 *   2. the same with the value current again at the use (ABA);
 *   3. lost update: a write by one lane and the first write of the same field
 *      after it by another lane whose operation began before it (A the later
 *      write, of the code that was interrupted, B the earlier);
 *   4. interleaved writes: a write by one lane, then a write of the same field
 *      by another lane while the first lane's operation is still under way (A
 *      the first, B the second);
 * the first pair by the read's (rules 3, 4: the later write's) order, with B no
 * later than the violation.  Otherwise story.c's rule around the first
 * forced switch applies.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "story_int.h"

#define KEYS_MAX 24

static const struct st_step *step_of(const struct story *s, uint64_t step)
{
	int lo = 0, hi = s->nr_steps - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (s->steps[mid].step == step)
			return &s->steps[mid];
		if (s->steps[mid].step < step)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static int lane_of_step(const struct story *s, uint64_t step)
{
	const struct st_step *st = step_of(s, step);

	return st ? st->lane : -1;
}

/* The value of field key of line name just before seq (the latest watch row before it). */
static bool value_before(const struct story *s, const char *name, const char *key, uint64_t seq, char *buf,
			 size_t size)
{
	const struct st_watch *last = NULL;

	for (int i = 0; i < s->nr_watch; i++) {
		const struct st_watch *w = &s->watch[i];

		if (w->seq < seq && !strcmp(w->name, name) && (!last || w->seq > last->seq))
			last = w;
	}
	return last && st_field_value(s, name, last->value, key, buf, size);
}

/* The use of read r in its lane: its seq and step; false when it has none. */
static bool use_of(const struct story *s, const struct st_read *r, int lane, uint64_t *seq, uint64_t *step)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < s->nr_reads; i++) {
		const struct st_read *u = &s->reads[i];

		if (u->seq <= r->seq || u->seq >= best || strcmp(u->name, r->name) || lane_of_step(s, u->step) != lane)
			continue;
		if (!u->expected && strcmp(u->field, r->field))
			continue;	/* a read of another field is no use */
		best = u->seq;
		*step = u->step;
		if (!u->expected)
			best = UINT64_MAX - 1;	/* re-read first: no use; remember it as a bound */
	}
	if (best == UINT64_MAX - 1)
		return false;
	for (int i = 0; i < s->nr_watch; i++) {
		const struct st_watch *w = &s->watch[i];

		if (w->seq <= r->seq || w->seq >= best || strcmp(w->name, r->name) ||
		    lane_of_step(s, w->step) != lane || !st_watch_changes(s, w, r->field))
			continue;
		best = w->seq;
		*step = w->step;
	}
	if (best == UINT64_MAX)
		return false;
	*seq = best;
	return true;
}

/* The last write of r's field by a lane other than `lane` in (after, before): NULL when none. */
static const struct st_watch *write_between(const struct story *s, const struct st_read *r, int lane,
					    uint64_t after, uint64_t before)
{
	const struct st_watch *last = NULL;

	for (int i = 0; i < s->nr_watch; i++) {
		const struct st_watch *w = &s->watch[i];

		if (w->seq <= after || w->seq >= before || strcmp(w->name, r->name) ||
		    lane_of_step(s, w->step) == lane || (last && w->seq < last->seq) ||
		    !st_watch_changes(s, w, r->field))
			continue;
		last = w;
	}
	return last;
}

static bool before_violation(const struct story *s, uint64_t step)
{
	return s->viol_step < 0 || (int64_t)step <= s->viol_step;
}

/* Rules 1 and 2; every read's stale mark on the way. */
static bool stale_pair(struct story *s)
{
	int best = -1, best_rule = 3;
	const struct st_watch *best_w = NULL;
	uint64_t best_use = 0;

	for (int i = 0; i < s->nr_reads; i++) {
		struct st_read *r = &s->reads[i];
		int lane = lane_of_step(s, r->step), rule;
		uint64_t useq = 0, ustep = 0;
		const struct st_watch *w;
		char now[160];

		if (r->expected || !use_of(s, r, lane, &useq, &ustep))
			continue;
		w = write_between(s, r, lane, r->seq, useq);
		if (!w)
			continue;
		rule = 2;
		if (value_before(s, r->name, r->field, useq, now, sizeof(now)) && strcmp(now, r->value)) {
			rule = 1;
			r->stale_at = (int64_t)ustep;
			free(r->stale_now);
			r->stale_now = strdup(now);
		}
		if (!before_violation(s, w->step) || !before_violation(s, r->step))
			continue;
		if (rule < best_rule || (rule == best_rule && best >= 0 && r->seq < s->reads[best].seq)) {
			best = i;
			best_rule = rule;
			best_w = w;
			best_use = ustep;
		}
	}
	if (best < 0)
		return false;
	{
		const struct st_read *r = &s->reads[best];
		char now[160] = "?";

		st_field_value(s, best_w->name, best_w->value, r->field, now, sizeof(now));
		s->conflict_a = (int64_t)r->step;
		s->conflict_b = (int64_t)best_w->step;
		s->conflict_b_seq = best_w->seq;
		s->conflict_use = (int64_t)best_use;
		if (asprintf(&s->conflict_what, "%s: A reads %s %s = %s, B writes it (-> %s) before A's use at step %"
			     PRIu64 "%s", best_rule == 1 ? "stale read" : "ABA", r->name, r->field, r->value, now,
			     best_use, best_rule == 1 ? "" : ", which finds the value it read") < 0)
			s->conflict_what = NULL;
	}
	return true;
}

/* The fields watch row w changes (all of its text's when its shape changed); their number. */
static int changed_fields(const struct story *s, const struct st_watch *w, char (*keys)[48], int max)
{
	const char *text = w->value;
	int n = 0;

	/* the keys are the words of the text that start with a letter (story.c's segments) */
	for (const char *p = text; *p && n < max;) {
		size_t len = strcspn(p, " ");

		if (len && len < 40 && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) {
			snprintf(keys[n], 48, "%.*s", (int)len, p);
			if (st_watch_changes(s, w, keys[n]))
				n++;
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return n;
}

/* A write/write pair: A at step a, B the write b, both of field key. */
static void write_pair(struct story *s, uint64_t a, const struct st_watch *b, const char *rule, const char *key)
{
	s->conflict_a = (int64_t)a;
	s->conflict_b = (int64_t)b->step;
	s->conflict_b_seq = b->seq;
	if (asprintf(&s->conflict_what, "%s: both write %s %s, B while A's operation was under way", rule, b->name,
		     key) < 0)
		s->conflict_what = NULL;
}

/* Rule 3. */
static bool lost_update(struct story *s)
{
	char keys[KEYS_MAX][48];

	for (int j = 0; j < s->nr_watch; j++) {
		const struct st_watch *w2 = &s->watch[j];
		const struct st_step *a = step_of(s, w2->step), *first = a;
		int nk;

		if (!a || a->op_seq < 0 || !before_violation(s, w2->step))
			continue;
		for (const struct st_step *p = a; p >= s->steps; p--)	/* the operation's first step of its lane */
			if (p->lane == a->lane && p->op_seq == a->op_seq)
				first = p;
		nk = changed_fields(s, w2, keys, KEYS_MAX);
		for (int k = 0; k < nk; k++) {
			const struct st_watch *w1 = NULL;

			for (int i = 0; i < s->nr_watch; i++) {
				const struct st_watch *w = &s->watch[i];

				if (w->seq < w2->seq && !strcmp(w->name, w2->name) && w->step > first->step &&
				    lane_of_step(s, w->step) != a->lane && (!w1 || w->seq > w1->seq) &&
				    st_watch_changes(s, w, keys[k]))
					w1 = w;
			}
			if (!w1)
				continue;
			write_pair(s, w2->step, w1, "lost update", keys[k]);
			return true;
		}
	}
	return false;
}

/* Does lane's operation op_seq have a step after `step` (it was still under way then)? */
static bool under_way(const struct story *s, int lane, int64_t op_seq, uint64_t step)
{
	for (int i = s->nr_steps - 1; i >= 0 && s->steps[i].step > step; i--)
		if (s->steps[i].lane == lane && s->steps[i].op_seq == op_seq)
			return true;
	return false;
}

/* Rule 4: a write, then a write of the same field by another lane while the first one's
 * operation is still under way (A the first, of the code that was interrupted; B the second). */
static bool interleaved_write(struct story *s)
{
	char keys[KEYS_MAX][48];

	for (int j = 0; j < s->nr_watch; j++) {
		const struct st_watch *w2 = &s->watch[j];
		int lane2 = lane_of_step(s, w2->step), nk;

		if (!before_violation(s, w2->step))
			continue;
		nk = changed_fields(s, w2, keys, KEYS_MAX);
		for (int k = 0; k < nk; k++) {
			const struct st_watch *w1 = NULL;

			for (int i = 0; i < s->nr_watch; i++) {
				const struct st_watch *w = &s->watch[i];
				const struct st_step *st = step_of(s, w->step);

				if (w->seq < w2->seq && !strcmp(w->name, w2->name) && st && st->lane != lane2 &&
				    st->op_seq >= 0 && (!w1 || w->seq > w1->seq) && st_watch_changes(s, w, keys[k]) &&
				    under_way(s, st->lane, st->op_seq, w2->step))
					w1 = w;
			}
			if (!w1)
				continue;
			write_pair(s, w1->step, w2, "interleaved writes", keys[k]);
			return true;
		}
	}
	return false;
}

bool st_conflict_from_data(struct story *s)
{
	s->conflict_a = s->conflict_b = -1;
	/* a compare that expected what is no longer there: stale at its own step */
	for (int i = 0; i < s->nr_reads; i++) {
		struct st_read *r = &s->reads[i];

		if (r->expected && r->now && strcmp(r->now, r->value)) {
			r->stale_at = (int64_t)r->step;
			r->stale_now = strdup(r->now);
		}
	}
	return stale_pair(s) || lost_update(s) || interleaved_write(s);
}
