/*
 * trace.c - the streaming reader of ftrace kmem: text: open, next, close.
 *
 * sim_trace_next() reads lines until one is a kmem event we know, which it
 * returns; on the way it counts header and banner lines, lost-event marks and
 * other events (per name).  A malformed line stops the reader with one message
 * `FILE:LINE: EVENT: FIELD: what was expected` (EVENT is "line" for the part
 * before the event name, "input" for the file as a whole, with LINE 0 when no
 * line is concerned), after which every call returns the same error; in
 * lenient mode the line is counted and the first SIM_TRACE_KEEP_BAD messages
 * are kept.  Errors of the machine (read, memory) are SIM_EFAIL either way.
 *
 * The per-line cost is one memchr for the line end, the common part
 * (line.c), a switch on the event name and the field scan (fields.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_int.h"

#define MAX_OTHER 64			/* distinct other-event names counted apart */
#define MSG 512			/* a parser's message */
#define LINE_MSG (MSG + 512)		/* "FILE:LINE: " + message */

struct other {
	const char *name;		/* interned; "(more)" gathers names beyond MAX_OTHER */
	uint64_t count;
};

struct sim_trace {
	struct trace_input *in;
	struct trace_intern *strings;
	struct sim_trace_stats st;
	char *name;			/* file name in messages */
	bool lenient;
	bool marks;			/* return tracing_mark_write lines */
	enum sim_trace_gfp_kernel gfp_kernel;	/* whose gfp_flags= names */
	FILE *err;
	int failed;			/* sticky SIM_E* once next() failed */
	char errmsg[LINE_MSG];		/* the error line, without '\n' */
	char msg[MSG];			/* scratch for the parsers */
	struct trace_gfp_memo gfp_memo;	/* gfp_flags= strings parsed (fields.c) */
	struct other other[MAX_OTHER + 1];
	int nr_other;
	char bad[SIM_TRACE_KEEP_BAD][LINE_MSG];
	int nr_bad_kept;
};

/* The one place that formats a bad-input or failure line. */
static int report(struct sim_trace *r, int code, int64_t line, const char *what)
{
	snprintf(r->errmsg, sizeof(r->errmsg), "%s:%lld: %s", r->name, (long long)line, what);
	fprintf(r->err, "%s\n", r->errmsg);
	r->failed = code;
	return -code;
}

/* A malformed line: stop, or (lenient) count it, keep its message, go on. */
static int bad_line(struct sim_trace *r, const char *what)
{
	if (!r->lenient)
		return report(r, SIM_EBADINPUT, (int64_t)r->st.nr_lines, what);
	if (r->nr_bad_kept < SIM_TRACE_KEEP_BAD)
		snprintf(r->bad[r->nr_bad_kept++], LINE_MSG, "%s:%llu: %s", r->name,
			 (unsigned long long)r->st.nr_lines, what);
	r->st.nr_bad++;
	return 0;
}

/* Count a skipped event under its name (cut at a space: see trace_line_parse). */
static int count_other(struct sim_trace *r, const char *name, size_t len)
{
	const char *sp = memchr(name, ' ', len), *s;
	int i;

	if (sp)
		len = (size_t)(sp - name);
	s = trace_intern(r->strings, name, len);

	if (!s)
		return report(r, SIM_EFAIL, (int64_t)r->st.nr_lines, "input: out of memory");
	r->st.nr_other++;
	for (i = 0; i < r->nr_other; i++) {
		if (r->other[i].name == s) {
			r->other[i].count++;
			return 0;
		}
	}
	if (r->nr_other == MAX_OTHER) {
		i = MAX_OTHER;
		if (!r->other[i].name)
			r->other[i].name = "(more)";
		r->other[i].count++;
		return 0;
	}
	r->other[r->nr_other].name = s;
	r->other[r->nr_other++].count = 1;
	return 0;
}

/* A tracing_mark_write line as a SIM_TRACE_MARK event (its text interned): 1, 0 = not a mark, or -SIM_EFAIL. */
static int mark_event(struct sim_trace *r, const struct trace_line *lp, struct sim_trace_event *ev)
{
	static const char name[] = "tracing_mark_write";
	const char *t = lp->fields, *end = lp->end;

	if (lp->name_len != sizeof(name) - 1 || memcmp(lp->name, name, sizeof(name) - 1))
		return 0;
	while (end > t && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	ev->mark = trace_intern(r->strings, t, (size_t)(end - t));
	if (!ev->mark)
		return report(r, SIM_EFAIL, (int64_t)r->st.nr_lines, "input: out of memory");
	ev->type = SIM_TRACE_MARK;
	ev->line = (int64_t)r->st.nr_lines;
	r->st.nr_marks++;
	return 1;
}

/* What a field the line does not print reads as. */
static const struct sim_trace_event blank_event = {
	.tgid = -1, .node = -1, .percpu_refill = -1, .fallback_order = -1, .fallback_migratetype = -1,
};

static inline void reset_event(struct sim_trace_event *ev)
{
	memcpy(ev, &blank_event, sizeof(*ev));	/* padding too: traces/evspool.c compares words */
}

int sim_trace_next(struct sim_trace *r, struct sim_trace_event *ev)
{
	if (r->failed)
		return -r->failed;
	for (;;) {
		struct trace_line lp;
		const char *line;
		size_t len;
		int rc, type;

		rc = trace_input_getline(r->in, &line, &len, r->msg, sizeof(r->msg));
		if (unlikely(rc <= 0)) {
			if (rc < 0)
				return report(r, -rc, (int64_t)r->st.nr_lines + 1, r->msg);
			if (trace_input_empty(r->in) && !r->lenient)
				return report(r, SIM_EBADINPUT, 0, "input: expected ftrace text, got an empty file");
			return 0;
		}
		r->st.nr_lines++;
		if (unlikely(rc == TRACE_LINE_TOO_LONG)) {
			snprintf(r->msg, sizeof(r->msg), "line: length: expected a line shorter than %d bytes",
				 TRACE_MAX_LINE);
			if ((rc = bad_line(r, r->msg)))
				return rc;
			continue;
		}
		if (unlikely(memchr(line, '\0', len) != NULL)) {	/* text never holds one */
			snprintf(r->msg, sizeof(r->msg), "line: NUL byte at column %zu: expected text",
				 (size_t)((const char *)memchr(line, '\0', len) - line) + 1);
			if ((rc = bad_line(r, r->msg)))
				return rc;
			continue;
		}
		reset_event(ev);
		switch (trace_line_parse(line, len, ev, &lp, r->msg, sizeof(r->msg))) {
		case TRACE_LINE_EVENT:
			break;
		case TRACE_LINE_COMMENT:
			r->st.nr_comment++;
			if (len > 0 && (line[0] == '#' || line[0] == 'c'))
				trace_line_header(line, len, &r->st);
			continue;
		case TRACE_LINE_LOST:
			r->st.nr_lost_marks++;
			r->st.nr_lost += trace_line_lost(line, len);
			continue;
		case TRACE_LINE_BAD:
			if ((rc = bad_line(r, r->msg)))
				return rc;
			continue;
		}
		type = trace_fields_type(lp.name, lp.name_len);
		if (type < 0) {
			if ((rc = count_other(r, lp.name, lp.name_len)))
				return rc;
			if (r->marks && (rc = mark_event(r, &lp, ev)) != 0)
				return rc;
			continue;
		}
		ev->type = (enum sim_trace_type)type;
		ev->line = (int64_t)r->st.nr_lines;
		rc = trace_fields_parse(&lp, ev, r->strings, r->gfp_kernel, &r->gfp_memo, r->msg, sizeof(r->msg));
		if (unlikely(rc)) {
			if (rc == -2)
				return report(r, SIM_EFAIL, ev->line, r->msg);
			if ((rc = bad_line(r, r->msg)))
				return rc;
			continue;
		}
		r->st.nr_events++;
		r->st.nr_type[type]++;
		if (ev->cpu > r->st.max_cpu)
			r->st.max_cpu = ev->cpu;
		return 1;
	}
}

static struct sim_trace *reader_new(const char *name, const struct sim_trace_opts *opts)
{
	struct sim_trace *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->name = strdup(name);
	r->strings = trace_intern_new();
	if (!r->name || !r->strings) {
		free(r->name);
		trace_intern_free(r->strings);
		free(r);
		return NULL;
	}
	r->lenient = opts && opts->lenient;
	r->marks = opts && opts->marks;
	r->gfp_kernel = opts && (unsigned int)opts->gfp_kernel < SIM_TRACE_NR_GFP_KERNELS ? opts->gfp_kernel :
			SIM_TRACE_GFP_6_1;
	r->err = opts && opts->err ? opts->err : stderr;
	r->st.nr_cpus = -1;
	r->st.max_cpu = -1;
	return r;
}

/* Finish an open: attach the input or report why there is none. */
static int open_finish(struct sim_trace **out, struct sim_trace *r, struct trace_input *in, int rc)
{
	static const char *const zip_names[] = { "none", "gzip", "xz" };

	if (rc) {
		report(r, rc, 0, r->msg);
		sim_trace_close(r);
		return rc;
	}
	r->in = in;
	r->st.compression = zip_names[trace_input_zip(in)];
	*out = r;
	return 0;
}

int sim_trace_open(struct sim_trace **out, const char *path, const struct sim_trace_opts *opts)
{
	bool is_stdin = !strcmp(path, "-");
	const char *name = opts && opts->name ? opts->name : is_stdin ? "<stdin>" : path;
	struct trace_input *in = NULL;
	struct sim_trace *r;
	struct stat sb;
	int fd, rc;

	*out = NULL;
	r = reader_new(name, opts);
	if (!r) {
		fprintf(opts && opts->err ? opts->err : stderr, "%s:0: input: out of memory\n", name);
		return SIM_EFAIL;
	}
	fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) || S_ISDIR(sb.st_mode)) {
		snprintf(r->msg, sizeof(r->msg), "input: cannot open: %s",
			 fd < 0 ? strerror(errno) : strerror(EISDIR));
		if (fd > STDIN_FILENO)
			close(fd);
		return open_finish(out, r, NULL, SIM_EBADINPUT);
	}
	if (S_ISREG(sb.st_mode))
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	rc = trace_input_open_fd(&in, fd, !is_stdin, r->msg, sizeof(r->msg));
	return open_finish(out, r, in, rc);
}

int sim_trace_open_mem(struct sim_trace **out, const char *name, const void *data, size_t len,
		       const struct sim_trace_opts *opts)
{
	struct trace_input *in = NULL;
	struct sim_trace *r;
	int rc;

	*out = NULL;
	if (opts && opts->name)
		name = opts->name;
	r = reader_new(name ? name : "<memory>", opts);
	if (!r) {
		fprintf(opts && opts->err ? opts->err : stderr, "%s:0: input: out of memory\n",
			name ? name : "<memory>");
		return SIM_EFAIL;
	}
	rc = trace_input_open_mem(&in, data, len, r->msg, sizeof(r->msg));
	return open_finish(out, r, in, rc);
}

void sim_trace_close(struct sim_trace *r)
{
	if (!r)
		return;
	trace_input_close(r->in);
	trace_intern_free(r->strings);
	free(r->name);
	free(r);
}

const struct sim_trace_stats *sim_trace_stats(const struct sim_trace *r)
{
	return &r->st;
}

const char *sim_trace_errmsg(const struct sim_trace *r)
{
	return r->errmsg;
}

int sim_trace_nr_other_names(const struct sim_trace *r)
{
	return r->nr_other + (r->other[MAX_OTHER].count > 0);
}

const char *sim_trace_other_name(const struct sim_trace *r, int i, uint64_t *count)
{
	if (i < 0 || i >= sim_trace_nr_other_names(r))
		return NULL;
	if (i == r->nr_other)
		i = MAX_OTHER;
	if (count)
		*count = r->other[i].count;
	return r->other[i].name;
}

int sim_trace_nr_bad_kept(const struct sim_trace *r)
{
	return r->nr_bad_kept;
}

const char *sim_trace_bad_msg(const struct sim_trace *r, int i)
{
	if (i < 0 || i >= r->nr_bad_kept)
		return NULL;
	return r->bad[i];
}
