/*
 * line.c - the part every ftrace text line shares, before the event's fields.
 *
 * The kernel (trace_print_context, 6.1) prints
 *
 *     "%16s-%-7d " comm and pid   ["(%7d) " tgid, with record-tgid]
 *     "[%03d] "    cpu
 *     "d..1. "     irq-info flags: 5 characters (4 before 5.11; none with noirq-info)
 *     " %5lu.%06lu: " timestamp (an integer for counter clocks)
 *     "EVENT: "    then the event's fields
 *
 * and `trace-cmd report` prints "%16s-%-5d [%03d] %6.1000d: EVENT: " with the
 * event name padded to 20 columns (`-l`: "%8.8s-%-5d %3d" then the flags).
 * Comms hold at most 15 characters, so in the kernel's and trace-cmd's
 * layouts the '-' before the pid is always column 16: the fast path checks
 * that and falls back to searching for "[CPU]" (comms may contain spaces,
 * dashes and brackets).  Main entry: trace_line_parse().
 */
#include <stdio.h>
#include <string.h>

#include "trace_int.h"

#define IS_DIGIT(c) ((unsigned)(c) - '0' < 10u)

void trace_msg(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
}

void trace_msg_got(char *msg, size_t msgsz, const char *p, const char *end)
{
	size_t n = strlen(msg), i;
	char tok[160];
	size_t t = 0;

	if (p >= end) {
		snprintf(msg + n, msgsz - n, ", got end of line");
		return;
	}
	for (i = 0; p + i < end && p[i] != ' ' && i < 32; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			tok[t++] = (char)c;
		else
			t += (size_t)snprintf(tok + t, sizeof(tok) - t, "\\x%02x", c);
	}
	if (p + i < end && p[i] != ' ')
		t += (size_t)snprintf(tok + t, sizeof(tok) - t, "...");
	tok[t] = '\0';
	snprintf(msg + n, msgsz - n, ", got \"%s\"", tok);
}

/* Decimal digits at *s into a non-negative int; -1 when none or too large. */
static int parse_int(const char **s, const char *end)
{
	const char *p = *s;
	long v = 0;

	if (p >= end || !IS_DIGIT(*p))
		return -1;
	while (p < end && IS_DIGIT(*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > 0x7fffffff)
			return -1;
	}
	*s = p;
	return (int)v;
}

static inline const char *skip_spaces(const char *s, const char *end)
{
	return trace_skip_spaces(s, end);
}

/*
 * The irq-info column, 4 or 5 characters (trace_print_lat_fmt): irqs-off
 * ('d', 'D' = also BH off, 'b' = BH off only, 'X' = not supported),
 * need-resched ('N', 'n', 'p'), context ('s', 'h', 'H', 'z', 'Z'), preempt
 * depth and migrate-disable depth (hex digit), '.' for none.
 */
static int parse_flags(const char *f, size_t n, struct sim_trace_event *ev)
{
	unsigned i;

	if (n != 4 && n != 5)
		return -1;
	switch (f[0]) {
	case '.': case 'X': break;
	case 'd': ev->irqs_off = true; break;
	case 'D': ev->irqs_off = ev->bh_off = true; break;
	case 'b': ev->bh_off = true; break;
	default: return -1;
	}
	switch (f[1]) {
	case '.': break;
	case 'N': case 'n': case 'p': ev->need_resched = true; break;
	default: return -1;
	}
	switch (f[2]) {
	case '.': break;
	case 's': ev->context = SIM_TRACE_CTX_SOFTIRQ; break;
	case 'h': case 'H': ev->context = SIM_TRACE_CTX_HARDIRQ; break;
	case 'z': case 'Z': ev->context = SIM_TRACE_CTX_NMI; break;
	default: return -1;
	}
	for (i = 3; i < n; i++) {
		unsigned c = (unsigned char)f[i], d;

		if (c == '.')
			d = 0;
		else if (IS_DIGIT(c))
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else
			return -1;
		if (i == 3)
			ev->preempt_depth = (uint8_t)d;
		else
			ev->migrate_disable = (uint8_t)d;
	}
	ev->present |= SIM_TRACE_HAS_FLAGS | (n == 5 ? SIM_TRACE_HAS_MIGRATE : 0);
	return 0;
}

/* "SECONDS.FRACTION" (1-9 fraction digits) in ns, or an integer of a raw clock. */
static int parse_ts(const char **sp, const char *end, struct sim_trace_event *ev)
{
	const char *s = *sp;
	uint64_t secs = 0, frac = 0;
	int nd = 0;

	if (s >= end || !IS_DIGIT(*s))
		return -1;
	while (s < end && IS_DIGIT(*s)) {
		if (secs > (UINT64_MAX - 9) / 10)
			return -1;
		secs = secs * 10 + (uint64_t)(*s++ - '0');
	}
	if (s < end && *s == '.') {
		static const uint64_t scale[10] = { 1000000000, 100000000, 10000000, 1000000,
			100000, 10000, 1000, 100, 10, 1 };

		for (s++; s < end && IS_DIGIT(*s); s++, nd++) {
			if (nd == 9)
				return -1;
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
		if (nd == 0 || secs > UINT64_MAX / 1000000000 - 1)
			return -1;
		ev->ts_ns = secs * 1000000000 + frac * scale[nd];
	} else {
		ev->ts_ns = secs;
		ev->present |= SIM_TRACE_TS_RAW;
	}
	*sp = s;
	return 0;
}

/* Copy the comm text c[0, n) without its padding. */
static void set_comm(struct sim_trace_event *ev, const char *c, size_t n)
{
	const char *t = skip_spaces(c, c + n);

	n -= (size_t)(t - c);
	c = t;
	if (n >= SIM_TRACE_COMM_LEN)
		n = SIM_TRACE_COMM_LEN - 1;
	memcpy(ev->comm, c, n);
	ev->comm[n] = '\0';
}

/*
 * Generic split of "COMM-PID [(TGID)] [CPU]" when the '-' is not at column
 * 16: find the first "[digits]" preceded by a space, then walk back.
 * Returns the position of '[' and sets *dash, or NULL.
 */
static const char *find_cpu_bracket(const char *p, const char *end, const char **dash)
{
	const char *s = p;

	while ((s = memchr(s, '[', (size_t)(end - s))) != NULL) {
		const char *d = s + 1, *b;

		while (d < end && IS_DIGIT(*d))
			d++;
		if (d > s + 1 && d < end && *d == ']' && s > p && s[-1] == ' ') {
			b = s - 1;
			while (b > p && *b == ' ')
				b--;
			if (*b == ')') {			/* record-tgid column */
				while (b > p && *b != '(')
					b--;
				if (b > p)
					b--;
				while (b > p && *b == ' ')
					b--;
			}
			if (b > p && IS_DIGIT(*b)) {
				while (b > p && IS_DIGIT(*b))
					b--;
				if (*b == '-') {
					*dash = b;
					return s;
				}
			}
		}
		s++;
	}
	return NULL;
}

/* trace-cmd's "COUNT EVENTS DROPPED" and the kernel's "LOST COUNT EVENTS". */
uint64_t trace_line_lost(const char *p, size_t len)
{
	const char *end = p + len, *s = memchr(p, '[', len);
	uint64_t n = 0;

	if (!s)
		return 0;
	s++;
	if (end - s > 5 && !memcmp(s, "LOST ", 5))
		s += 5;
	while (s < end && IS_DIGIT(*s))
		n = n * 10 + (uint64_t)(*s++ - '0');
	return n;
}

void trace_line_header(const char *p, size_t len, struct sim_trace_stats *st)
{
	const char *end = p + len, *s;

	if (len > 5 && !memcmp(p, "cpus=", 5)) {
		s = p + 5;
		st->nr_cpus = parse_int(&s, end);
		return;
	}
	s = memchr(p, ':', len);
	if (len < 40 || memcmp(p, "# entries-in-buffer/entries-written:", 36) || !s)
		return;
	s = p + 36;
	s = skip_spaces(s, end);
	while (s < end && IS_DIGIT(*s))
		s++;
	if (s < end && *s == '/') {
		uint64_t n = 0;

		for (s++; s < end && IS_DIGIT(*s); s++)
			n = n * 10 + (uint64_t)(*s - '0');
		st->entries_written = n;
	}
	s = skip_spaces(s, end);
	if (end - s > 3 && !memcmp(s, "#P:", 3)) {
		s += 3;
		st->nr_cpus = parse_int(&s, end);
	}
}

/* Lines that are not events: banners of the kernel and trace-cmd. */
/* Does p[0, len) contain the string k?  (For the rare banner lines.) */
static bool contains(const char *p, size_t len, const char *k)
{
	size_t n = strlen(k), i;

	for (i = 0; i + n <= len; i++)
		if (p[i] == k[0] && !strncmp(p + i, k, n))
			return true;
	return false;
}

static enum trace_line_kind not_an_event(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i] == ' ')
		i++;
	if (i == len || p[i] == '#')
		return TRACE_LINE_COMMENT;
	if (len <= 5)
		return TRACE_LINE_BAD;
	if (!memcmp(p, "CPU:", 4)) {
		if (contains(p, len, "LOST ") || contains(p, len, "DROPPED]"))
			return TRACE_LINE_LOST;
		return TRACE_LINE_COMMENT;		/* "CPU:N [SUBBUFFER START]" */
	}
	if (!memcmp(p, "cpus=", 5) || (len > 10 && !memcmp(p, "version = ", 10)))
		return TRACE_LINE_COMMENT;
	if (!memcmp(p, "CPU ", 4) && contains(p, len, " is empty"))
		return TRACE_LINE_COMMENT;
	return TRACE_LINE_BAD;
}

enum trace_line_kind trace_line_parse(const char *p, size_t len, struct sim_trace_event *ev,
				      struct trace_line *lp, char *msg, size_t msgsz)
{
	const char *end = p + len, *s, *dash = NULL, *f;
	bool latency = false;
	enum trace_line_kind kind;
	int v;

	/* TASK-PID: '-' at column 16 (kernel, trace-cmd), else search. */
	if (likely(len > 17 && p[16] == '-' && IS_DIGIT(p[17]) && p[0] != '#')) {
		dash = p + 16;
	} else {
		if (len == 0 || *p == '#' || *p != ' ') {
			kind = not_an_event(p, len);
			if (kind != TRACE_LINE_BAD)
				return kind;
		} else if (skip_spaces(p, end) == end) {
			return TRACE_LINE_COMMENT;
		}
		if (!find_cpu_bracket(p, end, &dash)) {
			if (len > 9 && p[8] == '-' && IS_DIGIT(p[9])) {
				dash = p + 8;		/* trace-cmd report -l */
				latency = true;
			} else {
				trace_msg(msg, msgsz, "line: task: expected \"TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS\"");
				trace_msg_got(msg, msgsz, skip_spaces(p, end), end);
				return TRACE_LINE_BAD;
			}
		}
	}
	set_comm(ev, p, (size_t)(dash - p));
	s = dash + 1;
	if ((v = parse_int(&s, end)) < 0) {
		trace_msg(msg, msgsz, "line: pid: expected a decimal pid after \"TASK-\"");
		trace_msg_got(msg, msgsz, s, end);
		return TRACE_LINE_BAD;
	}
	ev->pid = v;
	s = skip_spaces(s, end);
	if (s < end && *s == '(') {			/* record-tgid: "(%7d) " or "(-------) " */
		const char *t = skip_spaces(s + 1, end);

		ev->present |= SIM_TRACE_HAS_TGID;
		ev->tgid = parse_int(&t, end);
		while (t < end && *t == '-')
			t++;
		if (t >= end || *t != ')') {
			trace_msg(msg, msgsz, "line: tgid: expected \"(TGID)\" or \"(-------)\" after TASK-PID");
			trace_msg_got(msg, msgsz, s, end);
			return TRACE_LINE_BAD;
		}
		s = skip_spaces(t + 1, end);
	}

	/* [CPU], or CPU right before the flags in trace-cmd's -l layout. */
	f = s;
	if (!latency && s < end && *s == '[')
		s++;
	if ((!latency && s == f) || (v = parse_int(&s, end)) < 0 ||
	    (!latency && (s >= end || *s++ != ']'))) {
		trace_msg(msg, msgsz, latency ? "line: cpu: expected a CPU number after TASK-PID"
				      : "line: cpu: expected \"[CPU]\" after TASK-PID");
		trace_msg_got(msg, msgsz, f, end);
		return TRACE_LINE_BAD;
	}
	if (v >= SIM_TRACE_MAX_CPUS) {
		trace_msg(msg, msgsz, "line: cpu: expected a CPU number below %d (NR_CPUS of the largest x86_64 kernel)",
			  SIM_TRACE_MAX_CPUS);
		trace_msg_got(msg, msgsz, f, end);
		return TRACE_LINE_BAD;
	}
	ev->cpu = v;

	/* Flags, unless the column is off (then a digit of the timestamp follows). */
	if (!latency)
		s = skip_spaces(s, end);
	if (s < end && !IS_DIGIT(*s)) {
		f = s;
		while (s < end && *s != ' ')
			s++;
		if (parse_flags(f, (size_t)(s - f), ev)) {
			trace_msg(msg, msgsz, "line: flags: expected 4 or 5 irq-info characters like \"d..1.\"");
			trace_msg_got(msg, msgsz, f, end);
			return TRACE_LINE_BAD;
		}
		s = skip_spaces(s, end);
	}
	f = s;
	if (parse_ts(&s, end, ev) || s >= end || *s != ':') {
		trace_msg(msg, msgsz, "line: timestamp: expected SECONDS.FRACTION followed by ':'");
		trace_msg_got(msg, msgsz, f, end);
		return TRACE_LINE_BAD;
	}
	s = skip_spaces(s + 1, end);

	/*
	 * EVENT: up to the ':' (memchr: this is the hottest scan of the line).
	 * Lines of other tracers ("func <-parent") may have no ':', or one after
	 * a space: the caller cuts such a name at its first space.
	 */
	f = s;
	s = f < end ? memchr(f, ':', (size_t)(end - f)) : NULL;
	if (unlikely(!s)) {
		s = f;
		while (s < end && *s != ' ')
			s++;
	}
	if (s == f) {
		trace_msg(msg, msgsz, "line: event: expected \"EVENT: \" after the timestamp");
		trace_msg_got(msg, msgsz, f, end);
		return TRACE_LINE_BAD;
	}
	lp->p = p;
	lp->end = end;
	lp->name = f;
	lp->name_len = (size_t)(s - f);
	if (s < end && *s == ':')
		s++;
	lp->fields = skip_spaces(s, end);
	return TRACE_LINE_EVENT;
}
