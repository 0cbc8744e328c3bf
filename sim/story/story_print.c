/*
 * story_print.c - the story as text (lanes side by side, each in its own
 * column of LANE_W characters) and as HTML (a table: a column per lane, a row
 * per step), from the run story.c read back.
 *
 * Both print, in order: the title, the scenario's description, the forced
 * switches, the objects the script names, where the invariant broke, the two
 * conflicting accesses; then the steps of the window.  A step's cell holds the
 * operation when its lane starts one, the kernel function and label with the
 * primitive's cost, what it changed of the watched state (before -> after), and
 * the switch that followed it.  Marks: A and B the conflicting accesses, X the
 * step where the violation was found.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "story_int.h"
#include "../engine/engine.h"

#define LANE_W 46		/* characters of a lane in the text form */
#define TEXT_W 100		/* the description's lines */

static bool in_window(const struct sim_story_opts *o, uint64_t step)
{
	return (!o->from_set || step >= o->from) && (!o->to_set || step <= o->to);
}

/* "A", "X", "AX" (A's step is where it broke): the conflict's mark, then the break's */
static void marks_text(int mark, char *buf)
{
	int n = 0;

	if (mark & (ST_MARK_A | ST_MARK_B))
		buf[n++] = mark & ST_MARK_A ? 'A' : 'B';
	if (mark & (ST_MARK_BROKEN | ST_MARK_FIRST | ST_MARK_FOUND))
		buf[n++] = mark & (ST_MARK_BROKEN | ST_MARK_FIRST) ? 'X' : 'F';
	buf[n] = 0;
}

static char mark_char(int mark)
{
	return mark & (ST_MARK_BROKEN | ST_MARK_FIRST) ? 'X' : mark & ST_MARK_FOUND ? 'F' :
	       mark & ST_MARK_A ? 'A' : mark & ST_MARK_B ? 'B' : ' ';
}

/* The objects and pages the script names: "w 0xffff888000005000, a 0x..." */
static void objects_text(const struct story *s, FILE *f)
{
	int shown = 0;

	for (int i = 0; i < s->nr_ops; i++) {
		const struct st_op *op = &s->ops[i];

		if (!op->name || strstr(op->kind, "free"))
			continue;
		fprintf(f, "%s%s 0x%" PRIx64 " (op %" PRId64 ")", shown++ ? ", " : "", op->name, op->addr, op->seq);
	}
	if (!shown)
		fputs("(none named)", f);
}

/* Words of text in lines of at most TEXT_W, each after `indent`. */
static void wrap(FILE *f, const char *text, const char *indent)
{
	const char *p = text;

	while (*p) {
		size_t n = strlen(p), cut = n;

		if (n > TEXT_W) {
			cut = TEXT_W;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = TEXT_W;
		}
		fprintf(f, "%s%.*s\n", indent, (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* "  reads slub kmalloc-64 cpu0 tid = 8192 (stale at step 27: 32768)",
 * "  expects slub kmalloc-64 cpu0 tid = 8192 (stale: 32768)". */
static void reads_text(const struct story *s, const struct st_read *r, char *buf, size_t size)
{
	(void)s;
	snprintf(buf, size, "  %s %s %s = %s", r->expected ? "expects" : "reads", r->name, r->field, r->value);
	if (r->stale_at >= 0 && r->expected)
		snprintf(buf + strlen(buf), size - strlen(buf), " (stale: %s)", r->stale_now ? r->stale_now : "?");
	else if (r->stale_at >= 0)
		snprintf(buf + strlen(buf), size - strlen(buf), " (stale at step %" PRId64 ": %s)", r->stale_at,
			 r->stale_now ? r->stale_now : "?");
}

/* "X live_twice at step 36: ..." or, broken earlier, "X balance broke at step 27 (and stayed
 * broken), F live_twice found at step 36: ..." */
static void broke_text(const struct story *s, const char *detail, char *buf, size_t size)
{
	const char *inv = s->viol_invariant ? s->viol_invariant : "?";

	if (s->first_broken >= 0)
		snprintf(buf, size, "X %s broke at step %" PRId64 ", F %s found at step %" PRId64 ": %s",
			 s->broken_by ? s->broken_by : inv, s->first_broken, inv, s->viol_step, detail ? detail : "");
	else
		snprintf(buf, size, "X %s at step %" PRId64 ": %s", inv, s->viol_step, detail ? detail : "");
}

/* ---------------------------------------------------------------- text */

/* A line of lane `lane`: the step column (or blanks), then the text at the lane's column. */
static void lane_line(FILE *f, const char *stepcol, int lane, const char *text)
{
	fprintf(f, "%-9s%*s%s\n", stepcol, lane * LANE_W, "", text);
}

int st_print_text(const struct story *s, const struct sim_story_opts *o, FILE *out)
{
	int64_t last_op[32];
	char buf[512], col[24], marks[4];
	int shown = 0;

	fprintf(out, "kmemsim story: %s (%s, seed %" PRId64 ")\n", s->name ? s->name : "?",
		s->allocator ? s->allocator : "?", s->seed);
	if (s->description && !o->no_description) {
		fputc('\n', out);
		wrap(out, s->description, "  ");
	}
	fputc('\n', out);
	fprintf(out, "forced:   %s\n", s->forced ? s->forced : "none (the default schedule)");
	fputs("objects:  ", out);
	objects_text(s, out);
	fputc('\n', out);
	if (s->viol_step >= 0) {
		char *detail = st_named_text(s, s->viol_detail);

		char line[1200];

		broke_text(s, detail, line, sizeof(line));
		fprintf(out, "broke:    %s\n", line);
		free(detail);
	} else
		fputs("broke:    no invariant broke in this run\n", out);
	if (s->conflict_a >= 0) {
		st_access_text(s, s->conflict_a, buf, sizeof(buf));
		fprintf(out, "conflict: A %s\n", buf);
		st_access_text(s, s->conflict_b, buf, sizeof(buf));
		fprintf(out, "          B %s\n", buf);
		if (s->conflict_what)
			fprintf(out, "          %s\n", s->conflict_what);
	}
	fputs("\nstep     ", out);
	for (int l = 0; l < s->nr_lanes; l++) {
		st_lane_text(&s->lanes[l], buf, sizeof(buf));
		fprintf(out, "%-*s", l + 1 < s->nr_lanes ? LANE_W : 0, buf);
	}
	fputc('\n', out);
	for (int l = 0; l < 32; l++)
		last_op[l] = -1;
	for (int i = 0; i < s->nr_steps; i++) {
		const struct st_step *st = &s->steps[i];

		if (!in_window(o, st->step))
			continue;
		shown++;
		if (st->op_seq >= 0 && st->op_seq != last_op[st->lane]) {
			const struct st_op *op = st_op(s, st->op_seq);
			char text[200];

			if (op) {
				st_op_text(s, op, text, sizeof(text));
				snprintf(buf, sizeof(buf), "[op %" PRId64 "] %s", op->seq, text);
				lane_line(out, "", st->lane, buf);
			}
		}
		last_op[st->lane] = st->op_seq;
		marks_text(st->mark, marks);
		snprintf(col, sizeof(col), "%5" PRIu64 " %s", st->step, marks);
		st_step_text(st, buf, sizeof(buf));
		lane_line(out, col, st->lane, buf);
		for (int r = 0; r < st->nr_read; r++) {
			reads_text(s, &s->reads[st->first_read + r], buf, sizeof(buf));
			lane_line(out, "", st->lane, buf);
		}
		for (int w = 0; w < st->nr_watch; w++) {
			const struct st_watch *wr = &s->watch[st->first_watch + w];
			char *d = st_watch_diff(s, wr);

			snprintf(buf, sizeof(buf), "  %s: %s", wr->name, d ? d : "?");
			lane_line(out, "", st->lane, buf);
			free(d);
		}
		if (st->next) {
			snprintf(buf, sizeof(buf), "  >> %s%s", st->next, st->forced ? " (forced)" : "");
			lane_line(out, "", st->lane, buf);
		}
	}
	if (!shown)
		fputs("(no step in the window)\n", out);
	return ferror(out) ? SIM_EFAIL : 0;
}

/* ---------------------------------------------------------------- HTML */

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static const char story_css[] =
	"<style>\n"
	"body { max-width: 1800px; }\n"	/* the report's 1000px is too narrow for lanes side by side */
	".story table.facts td { text-align: left; }\n"
	".story table.lanes { border-collapse: collapse; font: 13px/1.35 ui-monospace, monospace; }\n"
	".story table.lanes th, .story table.lanes td { border: 1px solid #ccd; padding: 2px 6px;"
	" vertical-align: top; text-align: left; }\n"
	".story td.step { text-align: right; white-space: nowrap; }\n"
	".story .op { font-weight: bold; color: #234; }\n"
	".story .state { color: #640; margin-left: 1em; }\n"
	".story .next { color: #666; }\n"
	".story .read { color: #246; margin-left: 1em; }\n"
	".story .read.stale { color: #a00; font-weight: bold; }\n"
	".story tr.mark-A td, .story tr.mark-B td { background: #fff3c4; }\n"
	".story tr.mark-X td { background: #ffd6d6; }\n"
	".story tr.mark-F td { background: #ffe8e8; }\n"
	".story .description { max-width: 60em; }\n"
	".story table.facts th { text-align: left; padding-right: 1em; vertical-align: top; }\n"
	"</style>\n";

int st_print_html(const struct story *s, const struct sim_story_opts *o, FILE *out)
{
	int64_t last_op[32];
	char buf[512];

	fputs(story_css, out);
	fputs("<div class=\"story\">\n<h1>kmemsim story: ", out);
	html_text(out, s->name);
	fprintf(out, "</h1>\n<p>allocator %s, seed %" PRId64 "</p>\n", s->allocator ? s->allocator : "?", s->seed);
	if (s->description && !o->no_description) {
		fputs("<p class=\"description\">", out);
		html_text(out, s->description);
		fputs("</p>\n", out);
	}
	fputs("<table class=\"facts\">\n<tr><th>forced</th><td>", out);
	html_text(out, s->forced ? s->forced : "none (the default schedule)");
	fputs("</td></tr>\n<tr><th>objects</th><td>", out);
	{
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);

		if (m) {
			objects_text(s, m);
			fclose(m);
			html_text(out, text);
			free(text);
		}
	}
	fputs("</td></tr>\n<tr><th>broke</th><td>", out);
	if (s->viol_step >= 0) {
		char *detail = st_named_text(s, s->viol_detail);

		char line[1200];

		broke_text(s, detail, line, sizeof(line));
		free(detail);
		html_text(out, line);
	} else {
		fputs("no invariant broke in this run", out);
	}
	fputs("</td></tr>\n", out);
	if (s->conflict_a >= 0) {
		fputs("<tr><th>conflict</th><td>A ", out);
		st_access_text(s, s->conflict_a, buf, sizeof(buf));
		html_text(out, buf);
		fputs("<br>B ", out);
		st_access_text(s, s->conflict_b, buf, sizeof(buf));
		html_text(out, buf);
		if (s->conflict_what) {
			fputs("<br>", out);
			html_text(out, s->conflict_what);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<table class=\"lanes\">\n<thead><tr><th>step</th>", out);
	for (int l = 0; l < s->nr_lanes; l++) {
		st_lane_text(&s->lanes[l], buf, sizeof(buf));
		fputs("<th>", out);
		html_text(out, buf);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (int l = 0; l < 32; l++)
		last_op[l] = -1;
	for (int i = 0; i < s->nr_steps; i++) {
		const struct st_step *st = &s->steps[i];
		char m = mark_char(st->mark);

		if (!in_window(o, st->step))
			continue;
		if (m != ' ')
			fprintf(out, "<tr class=\"mark-%c\">", m);
		else
			fputs("<tr>", out);
		if (m != ' ')
			fprintf(out, "<td class=\"step\">%" PRIu64 " %c</td>", st->step, m);
		else
			fprintf(out, "<td class=\"step\">%" PRIu64 "</td>", st->step);
		for (int l = 0; l < s->nr_lanes; l++) {
			fputs("<td>", out);
			if (l != st->lane) {
				fputs("</td>", out);
				continue;
			}
			if (st->op_seq >= 0 && st->op_seq != last_op[l]) {
				const struct st_op *op = st_op(s, st->op_seq);

				if (op) {
					char text[200];

					st_op_text(s, op, text, sizeof(text));
					snprintf(buf, sizeof(buf), "[op %" PRId64 "] %s", op->seq, text);
					fputs("<div class=\"op\">", out);
					html_text(out, buf);
					fputs("</div>", out);
				}
			}
			last_op[l] = st->op_seq;
			st_step_text(st, buf, sizeof(buf));
			fputs("<div>", out);
			html_text(out, buf);
			fputs("</div>", out);
			for (int r = 0; r < st->nr_read; r++) {
				const struct st_read *rd = &s->reads[st->first_read + r];

				reads_text(s, rd, buf, sizeof(buf));
				fprintf(out, "<div class=\"%s\">", rd->stale_at >= 0 ? "read stale" : "read");
				html_text(out, buf + 2);
				fputs("</div>", out);
			}
			for (int w = 0; w < st->nr_watch; w++) {
				const struct st_watch *wr = &s->watch[st->first_watch + w];
				char *d = st_watch_diff(s, wr);

				fputs("<div class=\"state\">", out);
				html_text(out, wr->name);
				fputs(": ", out);
				html_text(out, d ? d : "?");
				fputs("</div>", out);
				free(d);
			}
			if (st->next)
				fprintf(out, "<div class=\"next\">&raquo; %s%s</div>", st->next, st->forced ? " (forced)" : "");
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</div>\n", out);
	return ferror(out) ? SIM_EFAIL : 0;
}
