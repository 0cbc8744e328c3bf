/*
 * trace_int.h - internals shared by the trace reader's files.
 *
 *   input.c   bytes -> lines: file, stdin or memory; gzip/xz by magic bytes
 *   intern.c  string interning (call sites, cache names, event names)
 *   gfp.c     gfp flag names <-> 6.1 bits
 *   line.c    the common part of a line: TASK-PID [CPU] FLAGS TIMESTAMP: EVENT:
 *   fields.c  the fields of each kmem event
 *   trace.c   the reader: open / next / close, counters, errors
 */
#ifndef KMEMSIM_TRACES_TRACE_INT_H
#define KMEMSIM_TRACES_TRACE_INT_H

#include <stdarg.h>
#include <string.h>

#include "trace.h"

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* ---- input.c ---- */

#define TRACE_MAX_LINE (64 * 1024)	/* longer lines are malformed */

enum trace_zip { TRACE_ZIP_NONE, TRACE_ZIP_GZIP, TRACE_ZIP_XZ };

struct trace_input;

/* Open a byte source; detects compression.  0, or SIM_E* after msg is filled. */
int trace_input_open_fd(struct trace_input **out, int fd, bool own_fd, char *msg, size_t msgsz);
int trace_input_open_mem(struct trace_input **out, const void *data, size_t len, char *msg, size_t msgsz);
void trace_input_close(struct trace_input *in);
enum trace_zip trace_input_zip(const struct trace_input *in);
/*
 * Next line, without its '\n' (and without a trailing '\r').  Returns 1 and
 * sets line and len, 0 at end of input, or a negative SIM_E* code after filling
 * msg.  A line longer than TRACE_MAX_LINE is returned as TRACE_LINE_TOO_LONG
 * (its bytes are skipped).  The line stays valid until the next call.
 */
#define TRACE_LINE_TOO_LONG 2
int trace_input_getline(struct trace_input *in, const char **line, size_t *len, char *msg, size_t msgsz);
bool trace_input_empty(const struct trace_input *in);	/* no byte at all was read */

/* ---- intern.c ---- */

struct trace_intern;
struct trace_intern *trace_intern_new(void);
void trace_intern_free(struct trace_intern *t);
/* The one stable copy of s[0..len) (NUL-terminated), or NULL when out of memory. */
const char *trace_intern(struct trace_intern *t, const char *s, size_t len);

/* ---- gfp.c ---- */

int trace_gfp_parse(enum sim_trace_gfp_kernel k, const char *s, const char *end, uint32_t *gfp);

/*
 * The gfp_flags= strings a reader parsed well, and their masks: a trace prints
 * a few dozen distinct ones a million times.  Direct-mapped on the string's
 * length and bytes; a miss parses (and an error is reported) as before.
 */
#define TRACE_GFP_MEMO 64		/* entries */
#define TRACE_GFP_MEMO_LEN 96		/* longer strings are parsed each time */
struct trace_gfp_memo_entry {
	uint8_t len;			/* 0: empty */
	char s[TRACE_GFP_MEMO_LEN];
	uint32_t mask;
};
struct trace_gfp_memo {
	struct trace_gfp_memo_entry e[TRACE_GFP_MEMO];
};

/* ---- line.c ---- */

/* Where a line's parts are, for the field parser and messages. */
struct trace_line {
	const char *p, *end;		/* the whole line */
	const char *name;		/* event name */
	size_t name_len;
	const char *fields;		/* first field (after "EVENT: " and padding) */
};

/*
 * What a line that is not an event is.  trace_line_parse fills ev's common
 * part (cpu, pid, comm, flags, timestamp) and lp on TRACE_LINE_EVENT.
 */
enum trace_line_kind {
	TRACE_LINE_EVENT,	/* an event line: lp->name is its name */
	TRACE_LINE_COMMENT,	/* '#' header, blank line, trace-cmd banner */
	TRACE_LINE_LOST,	/* "CPU:N [LOST M EVENTS]" and trace-cmd's "EVENTS DROPPED" */
	TRACE_LINE_BAD,		/* malformed: msg holds "line: FIELD: what" */
};
enum trace_line_kind trace_line_parse(const char *p, size_t len, struct sim_trace_event *ev,
				      struct trace_line *lp, char *msg, size_t msgsz);
/* Header values: "# entries-in-buffer/entries-written: N/M   #P:C", "cpus=C". */
void trace_line_header(const char *p, size_t len, struct sim_trace_stats *st);
uint64_t trace_line_lost(const char *p, size_t len);	/* M of a lost-events line, 0 if unknown */

/* ---- fields.c ---- */

/* Type of an event name, or -1 when it is not a kmem event we read. */
int trace_fields_type(const char *name, size_t len);
/*
 * Parse the fields of a kmem event of type ev->type.  0, or -1 after msg got
 * "EVENT: FIELD: what was expected".  Interns strings in t.
 */
int trace_fields_parse(const struct trace_line *lp, struct sim_trace_event *ev,
		       struct trace_intern *t, enum sim_trace_gfp_kernel gk, struct trace_gfp_memo *gm,
		       char *msg, size_t msgsz);

/* ---- shared helpers ---- */

/*
 * The hot scans, a word at a time (the lines' bytes are in a buffer we own
 * or were given; we never read past `end`).  Little-endian hosts only use
 * the word path.
 */
static inline const char *trace_skip_spaces(const char *s, const char *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - s >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		w ^= 0x2020202020202020ull;
		if (w)
			return s + (__builtin_ctzll(w) >> 3);
		s += 8;
	}
#endif
	while (s < end && *s == ' ')
		s++;
	return s;
}

/* a[0, n) == b[0, n), without a call for the short strings we compare. */
static inline bool trace_bytes_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
	}
	for (; n > 0; n--)
		if (*a++ != *b++)
			return false;
	return true;
}


/* msg = "what" with a quoted excerpt of got[0..) up to a space or end (<= 32 chars). */
void trace_msg(char *msg, size_t msgsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Append ", got \"TOKEN\"" (or ", got end of line") for the token at p. */
void trace_msg_got(char *msg, size_t msgsz, const char *p, const char *end);

#endif
