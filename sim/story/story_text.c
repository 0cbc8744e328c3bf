/*
 * story_text.c - the parts of a story as text (sim/story/story_int.h): an
 * operation as the kernel call it is, a lane's heading, a step in a line, an
 * access of the conflict, the script's names for addresses, and what a watch
 * row changed (before -> after, field by field) or what a field's value was.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "story_int.h"

const struct st_op *st_op(const struct story *s, int64_t seq)
{
	for (int i = 0; i < s->nr_ops; i++)
		if (s->ops[i].seq == seq)
			return &s->ops[i];
	return NULL;
}

/* Is `name` one of the "/"-separated names in list? */
static bool has_name(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p; p += strcspn(p, "/"), p += *p == '/')
		if (strcspn(p, "/") == n && !strncmp(p, name, n))
			return true;
	return false;
}

/* The script's names of the object or page at `addr`, "a/x" ("" when none). */
static void addr_names(const struct story *s, uint64_t addr, bool pages, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; i < s->nr_ops; i++) {
		const struct st_op *op = &s->ops[i];

		if (!op->name || op->addr != addr || (strncmp(op->kind, "page", 4) == 0) != pages ||
		    has_name(buf, op->name))
			continue;
		if (len + strlen(op->name) + 2 > size)
			break;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "/" : "", op->name);
	}
}

void st_op_text(const struct story *s, const struct st_op *op, char *buf, size_t size)
{
	bool kmalloc = op->cache && !strncmp(op->cache, "kmalloc-", 8);
	char names[64], what[80];

	addr_names(s, op->addr, !strncmp(op->kind, "page", 4), names, sizeof(names));
	if (op->name)
		snprintf(what, sizeof(what), "%s", op->name);
	else
		snprintf(what, sizeof(what), "%s0x%" PRIx64, names[0] ? names : "", op->addr);
	if (!strcmp(op->kind, "obj_alloc") && kmalloc)
		snprintf(buf, size, "%s%skmalloc(%d)", op->name ? op->name : "", op->name ? " = " : "", op->size);
	else if (!strcmp(op->kind, "obj_alloc"))
		snprintf(buf, size, "%s%skmem_cache_alloc(%s)", op->name ? op->name : "", op->name ? " = " : "",
			 op->cache ? op->cache : "?");
	else if (!strcmp(op->kind, "obj_free") && kmalloc)
		snprintf(buf, size, "kfree(%s)", what);
	else if (!strcmp(op->kind, "obj_free"))
		snprintf(buf, size, "kmem_cache_free(%s, %s)", op->cache ? op->cache : "?", what);
	else if (!strcmp(op->kind, "page_alloc"))
		snprintf(buf, size, "%s%salloc_pages(order %d)", op->name ? op->name : "", op->name ? " = " : "",
			 op->order);
	else
		snprintf(buf, size, "__free_pages(%s, order %d)", op->name ? op->name : "page", op->order);
	if (!strcmp(op->context, "hardirq") || !strcmp(op->context, "softirq"))
		snprintf(buf + strlen(buf), size - strlen(buf), " in %s", !strcmp(op->context, "hardirq") ? "IRQ" : "softirq");
	else if (op->task < 0)	/* a work item's operation (drain_all_pages, kswapd) */
		snprintf(buf + strlen(buf), size - strlen(buf), " by cpu%d's kworker", -1 - op->task);
	else
		snprintf(buf + strlen(buf), size - strlen(buf), " by task %d", op->task);
	if (op->parent) {
		const struct st_op *p = st_op(s, op->parent);
		bool nested = p && !strcmp(p->context, op->context);

		snprintf(buf + strlen(buf), size - strlen(buf), ", %s op %" PRId64, nested ? "inside" : "interrupting",
			 op->parent);
	}
}

void st_lane_text(const struct st_lane *l, char *buf, size_t size)
{
	if (l->task >= 0 && !strcmp(l->context, "task"))
		snprintf(buf, size, "cpu%d task %d", l->cpu, l->task);
	else if (!strcmp(l->context, "task"))	/* pid -1 - cpu: the vCPU's kworker (sim/engine/irq.c) */
		snprintf(buf, size, "cpu%d kworker", l->cpu);
	else
		snprintf(buf, size, "cpu%d %s", l->cpu, l->context);
}

void st_step_text(const struct st_step *st, char *buf, size_t size)
{
	const char *label = st->label ? strchr(st->label, ':') : NULL;
	size_t flen = st->func ? strlen(st->func) : 0;

	/* the label's own function when it is the step's, else "(in ___slab_alloc:new_objects)" */
	if (st->label && st->func && !strcmp(st->label, st->func))
		snprintf(buf, size, "%s:", st->func);	/* a label that names its function only */
	else if (st->label && label && st->func && (size_t)(label - st->label) == flen && !strncmp(st->label, st->func, flen))
		snprintf(buf, size, "%s %s:", st->func, label + 1);
	else if (st->label && st->func)
		snprintf(buf, size, "%s (in %s):", st->func, st->label);
	else
		snprintf(buf, size, "%s:", st->func ? st->func : st->label ? st->label : "-");
	snprintf(buf + strlen(buf), size - strlen(buf), " %s", st->cost ? st->cost : "yield");
}

/* sim/story/story_int.h: "step 27 (cpu0 task 2000, a = kmalloc(64) by task 2000: slab_alloc_node redo: cmpxchg_double)" */
void st_access_text(const struct story *s, int64_t step, char *buf, size_t size)
{
	char lane[48], op[160] = "", what[160];

	for (int i = 0; i < s->nr_steps; i++) {
		const struct st_step *st = &s->steps[i];
		const struct st_op *o;

		if ((int64_t)st->step != step)
			continue;
		st_lane_text(&s->lanes[st->lane], lane, sizeof(lane));
		o = st->op_seq >= 0 ? st_op(s, st->op_seq) : NULL;
		if (o)
			st_op_text(s, o, op, sizeof(op));
		else if (st->op_seq >= 0)	/* a deadlocked operation never ends, so it has no row */
			snprintf(op, sizeof(op), "op %" PRId64 ", never finished", st->op_seq);
		else				/* a script step (drain_all_pages) or a kernel thread's work */
			snprintf(op, sizeof(op), "outside any operation");
		st_step_text(st, what, sizeof(what));
		snprintf(buf, size, "step %" PRId64 " (%s%s%s: %s)", step, lane, op[0] ? ", " : "", op, what);
		return;
	}
	snprintf(buf, size, "step %" PRId64, step);
}

/* ---------------------------------------------------------------- watch differences */

#define ST_SEGS 48

struct seg {
	char key[48];		/* "freelist", "slab.inuse" */
	char val[160];		/* its values, addresses named */
};

static bool is_key(const char *w)
{
	return isalpha((unsigned char)w[0]);
}

/* An address or pfn token as the script's names ("0x...5040" -> "a/x"), else itself. */
static void name_token(const struct story *s, const char *tok, bool pages, char *buf, size_t size)
{
	char names[64];

	if (!strncmp(tok, "0x", 2) && tok[2]) {
		addr_names(s, strtoull(tok + 2, NULL, 16), pages, names, sizeof(names));
		if (names[0]) {
			snprintf(buf, size, "%s", names);
			return;
		}
	}
	snprintf(buf, size, "%s", tok);
}

/* Split a watch text into keyed segments; the number of them. */
static int segments(const struct story *s, const char *text, bool pages, struct seg *seg)
{
	char *copy = strdup(text ? text : ""), *save = NULL, *w;
	char section[48] = "";
	int n = 0, word_in_section = 0, nr_section = 0;
	bool object = false;	/* the section heads an object ("slab 0x..."): its keys are its fields */

	if (!copy)
		return 0;
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char tok[80];

		if (!strcmp(w, "|")) {
			section[0] = 0;
			word_in_section = 0;
			nr_section++;
			object = false;
			continue;
		}
		if (word_in_section == 1 && section[0] && !strncmp(w, "0x", 2))
			object = true;
		if (is_key(w) && n < ST_SEGS) {
			if (word_in_section == 0 && nr_section > 0)	/* "slab 0x... freelist ...": slab.freelist */
				snprintf(section, sizeof(section), "%s", w);
			if (word_in_section > 0 && section[0] && object)
				snprintf(seg[n].key, sizeof(seg[n].key), "%.20s.%.20s", section, w);
			else
				snprintf(seg[n].key, sizeof(seg[n].key), "%s", w);
			seg[n++].val[0] = 0;
			word_in_section++;
			continue;
		}
		word_in_section++;
		if (n == 0) {
			snprintf(seg[0].key, sizeof(seg[0].key), "%s", "");
			seg[n++].val[0] = 0;
		}
		name_token(s, w, pages, tok, sizeof(tok));
		snprintf(seg[n - 1].val + strlen(seg[n - 1].val), sizeof(seg[n - 1].val) - strlen(seg[n - 1].val),
			 "%s%s", seg[n - 1].val[0] ? " " : "", tok);
	}
	free(copy);
	return n;
}

void st_name_value(const struct story *s, const char *name, const char *tok, char *buf, size_t size)
{
	name_token(s, tok, name && !strncmp(name, "pcp", 3), buf, size);
}

bool st_field_value(const struct story *s, const char *name, const char *text, const char *key, char *buf,
		    size_t size)
{
	struct seg *g = calloc(ST_SEGS, sizeof(*g));
	int n = g ? segments(s, text, name && !strncmp(name, "pcp", 3), g) : 0;
	bool found = false;

	for (int i = 0; i < n && !found; i++)
		if (!strcmp(g[i].key, key)) {
			snprintf(buf, size, "%.*s", (int)strcspn(g[i].val, " "), g[i].val);
			found = true;
		}
	free(g);
	return found;
}

bool st_watch_changes(const struct story *s, const struct st_watch *w, const char *key)
{
	char a[160], b[160];
	bool in_a, in_b;

	if (!w->before)
		return true;
	in_a = st_field_value(s, w->name, w->before, key, a, sizeof(a));
	in_b = st_field_value(s, w->name, w->value, key, b, sizeof(b));
	if (in_a && in_b)
		return strcmp(a, b) != 0;
	return true;	/* the field came or went, or the text has no such field: the whole line changed */
}

char *st_named_text(const struct story *s, const char *text)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (const char *p = text ? text : ""; *p;) {
		size_t n = strcspn(p, " ,:;()");
		char names[64] = "";

		if (n > 2 && !strncmp(p, "0x", 2)) {
			addr_names(s, strtoull(p + 2, NULL, 16), false, names, sizeof(names));
			if (!names[0])
				addr_names(s, strtoull(p + 2, NULL, 16), true, names, sizeof(names));
		}
		fwrite(p, 1, n, f);
		if (names[0])
			fprintf(f, " (%s)", names);
		p += n;
		if (*p)
			fputc(*p++, f);
	}
	fclose(f);
	return out;
}

char *st_watch_diff(const struct story *s, const struct st_watch *w)
{
	struct seg *a = calloc(2 * ST_SEGS, sizeof(*a)), *b = a + ST_SEGS;
	bool pages = w->name && !strncmp(w->name, "pcp", 3);
	int na, nb;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!a)
		return NULL;
	f = open_memstream(&out, &len);
	if (!f) {
		free(a);
		return NULL;
	}
	na = w->before ? segments(s, w->before, pages, a) : 0;
	nb = segments(s, w->value, pages, b);
	if (na == nb) {
		int shown = 0;

		for (int i = 0; i < nb; i++) {
			if (!strcmp(a[i].key, b[i].key) && !strcmp(a[i].val, b[i].val))
				continue;
			fprintf(f, "%s%s%s%s -> %s", shown++ ? "; " : "", a[i].key, a[i].key[0] ? " " : "", a[i].val,
				strcmp(a[i].key, b[i].key) ? b[i].key : b[i].val);
		}
		if (!shown)
			fputs("(same text)", f);
	} else {
		/* the structure changed (a list emptied, a slab gone): whole texts, named */
		fputs(w->before ? "" : "-> ", f);
		for (int pass = w->before ? 0 : 1; pass < 2; pass++) {
			struct seg *g = pass ? b : a;
			int ng = pass ? nb : na;

			for (int i = 0; i < ng; i++)
				fprintf(f, "%s%s%s%s", i ? " " : "", g[i].key, g[i].key[0] && g[i].val[0] ? " " : "",
					g[i].val);
			if (!pass)
				fputs(" -> ", f);
		}
	}
	fclose(f);
	free(a);
	return out;
}
