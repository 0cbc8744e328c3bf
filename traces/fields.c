/*
 * fields.c - the fields of each kmem event, in the layouts of 5.10 to 6.6+.
 *
 * Each event's fields are read in the order its TP_printk prints them; a
 * field that some kernels print and others do not is optional (node= and
 * accounted= of kmalloc/kmem_cache_alloc, name= of kmem_cache_free).  The
 * layouts (docs/traces.md has the table):
 *
 *   kmalloc, kmem_cache_alloc   call_site ptr [name] bytes_req bytes_alloc gfp_flags [node] [accounted]
 *                               (name: kmem_cache_alloc of kernels after 6.6, e.g. 6.18)
 *   kmalloc_node, ..._node      the same with node required (5.10-6.0)
 *   kfree                       call_site ptr
 *   kmem_cache_free             call_site ptr [name]          (name: 5.12+)
 *   mm_page_free(_batched)      page pfn order                (pfn decimal before 5.15)
 *   mm_page_alloc               page pfn order migratetype gfp_flags
 *   mm_page_alloc_zone_locked   page pfn order migratetype percpu_refill
 *   mm_page_pcpu_drain          page pfn order migratetype
 *   mm_page_alloc_extfrag       page pfn alloc_order fallback_order pageblock_order
 *                               alloc_migratetype fallback_migratetype fragmenting change_ownership
 *
 * Values are scanned by hand (no sscanf): this is the reader's hot loop.
 */
#include <stddef.h>
#include <string.h>

#include "trace_int.h"

#define IS_DIGIT(c) ((unsigned)(c) - '0' < 10u)

static const char *const type_names[SIM_TRACE_NR_TYPES] = {
	[SIM_TRACE_KMALLOC] = "kmalloc",
	[SIM_TRACE_KMALLOC_NODE] = "kmalloc_node",
	[SIM_TRACE_KMEM_CACHE_ALLOC] = "kmem_cache_alloc",
	[SIM_TRACE_KMEM_CACHE_ALLOC_NODE] = "kmem_cache_alloc_node",
	[SIM_TRACE_KFREE] = "kfree",
	[SIM_TRACE_KMEM_CACHE_FREE] = "kmem_cache_free",
	[SIM_TRACE_MM_PAGE_ALLOC] = "mm_page_alloc",
	[SIM_TRACE_MM_PAGE_FREE] = "mm_page_free",
	[SIM_TRACE_MM_PAGE_FREE_BATCHED] = "mm_page_free_batched",
	[SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
	[SIM_TRACE_MM_PAGE_PCPU_DRAIN] = "mm_page_pcpu_drain",
	[SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG] = "mm_page_alloc_extfrag",
};

const char *sim_trace_type_name(enum sim_trace_type type)
{
	if (type == SIM_TRACE_MARK)
		return "tracing_mark_write";
	if ((unsigned)type >= SIM_TRACE_NR_TYPES)
		return "?";
	return type_names[type];
}

int trace_fields_type(const char *name, size_t len)
{
	int t;

	/* Length first: one or two candidates each. */
	switch (len) {
	case 5: t = SIM_TRACE_KFREE; break;
	case 7: t = SIM_TRACE_KMALLOC; break;
	case 12: t = name[0] == 'k' ? SIM_TRACE_KMALLOC_NODE : SIM_TRACE_MM_PAGE_FREE; break;
	case 13: t = SIM_TRACE_MM_PAGE_ALLOC; break;
	case 15: t = SIM_TRACE_KMEM_CACHE_FREE; break;
	case 16: t = SIM_TRACE_KMEM_CACHE_ALLOC; break;
	case 18: t = SIM_TRACE_MM_PAGE_PCPU_DRAIN; break;
	case 20: t = SIM_TRACE_MM_PAGE_FREE_BATCHED; break;
	case 21: t = name[0] == 'k' ? SIM_TRACE_KMEM_CACHE_ALLOC_NODE : SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG; break;
	case 25: t = SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED; break;
	default: return -1;
	}
	return trace_bytes_eq(name, type_names[t], len) ? t : -1;
}

/* Reading position in the fields, and what to say when they are wrong. */
struct cur {
	const char *s, *end;
	const char *event;		/* event name, for messages */
	const char *prev;		/* the field before, for messages */
	char *msg;
	size_t msgsz;
	enum sim_trace_gfp_kernel gk;	/* whose gfp names */
	struct trace_gfp_memo *gm;	/* the reader's parsed gfp strings */
};

static inline bool at_end(const struct cur *c)
{
	return c->s >= c->end;
}

/* Is the next field "k="?  Then step over "k=". */
static inline bool key(struct cur *c, const char *k, size_t klen)
{
	if ((size_t)(c->end - c->s) > klen && c->s[klen] == '=' && trace_bytes_eq(c->s, k, klen)) {
		c->s += klen + 1;
		return true;
	}
	return false;
}

/* After a value: one or more spaces, or the end of the line. */
static inline bool value_end(struct cur *c)
{
	if (c->s >= c->end)
		return true;
	if (*c->s != ' ')
		return false;
	while (c->s < c->end && *c->s == ' ')
		c->s++;
	return true;
}

static int missing(struct cur *c, const char *k)
{
	if (c->prev)
		trace_msg(c->msg, c->msgsz, "%s: %s: expected \"%s=\" after %s", c->event, k, k, c->prev);
	else
		trace_msg(c->msg, c->msgsz, "%s: %s: expected \"%s=\" first", c->event, k, k);
	trace_msg_got(c->msg, c->msgsz, c->s, c->end);
	return -1;
}

static int bad_value(struct cur *c, const char *k, const char *val, const char *what)
{
	trace_msg(c->msg, c->msgsz, "%s: %s: expected %s", c->event, k, what);
	trace_msg_got(c->msg, c->msgsz, val, c->end);
	return -1;
}

#define EXPECT(c, k) do { if (!key(c, k, sizeof(k) - 1)) return missing(c, k); } while (0)

/* 1 + the value of a hex digit; 0 for any other byte. */
static const uint8_t hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* Hex digits (optional 0x), "(null)" or "(nil)"; *nd = digits seen (0 for NULL words). */
static int scan_hex(struct cur *c, uint64_t *val, int *nd)
{
	const char *s = c->s;
	uint64_t v = 0;
	int n = 0, d;

	if (unlikely(s < c->end && *s == '(')) {
		if (c->end - s >= 6 && !memcmp(s, "(null)", 6))
			c->s = s + 6;
		else if (c->end - s >= 5 && !memcmp(s, "(nil)", 5))
			c->s = s + 5;
		else
			return -1;
		*val = 0;
		*nd = 0;
		return value_end(c) ? 0 : -1;
	}
	if (c->end - s > 2 && s[0] == '0' && s[1] == 'x')
		s += 2;
	if (likely(c->end - s >= 16)) {			/* a whole 64-bit pointer: no branches */
		unsigned ok = 1, i;

#pragma GCC unroll 16
		for (i = 0; i < 16; i++) {
			unsigned t = hexval1[(unsigned char)s[i]];

			ok &= t != 0;
			v = v << 4 | ((t - 1) & 15);
		}
		if (ok) {
			s += 16;
			n = 16;
			if (s < c->end && hexval1[(unsigned char)*s])
				return -1;		/* 17 digits or more */
			goto digits_done;
		}
		v = 0;
	}
	for (; s < c->end && (d = hexval1[(unsigned char)*s]) != 0; s++, n++) {
		if (n == 16)
			return -1;
		v = v << 4 | (unsigned)(d - 1);
	}
digits_done:
	if (n == 0)
		return -1;
	c->s = s;
	if (!value_end(c))
		return -1;
	*val = v;
	*nd = n;
	return 0;
}

/* A pointer printed by %p: hashed (16 digits, top 32 bits zero) or raw. */
static int f_ptr(struct cur *c, const char *k, uint64_t *val, struct sim_trace_event *ev)
{
	const char *v = c->s;
	int nd;

	if (scan_hex(c, val, &nd))
		return bad_value(c, k, v, "a hexadecimal pointer (up to 16 digits) or (null)");
	if (nd == 16 && *val != 0 && *val <= UINT32_MAX && v[0] == '0')
		ev->present |= SIM_TRACE_PTR_HASHED;
	c->prev = k;
	return 0;
}

static int f_u64(struct cur *c, const char *k, uint64_t *val)
{
	const char *s = c->s, *v = s;
	uint64_t x = 0;

	if (s >= c->end || !IS_DIGIT(*s))
		return bad_value(c, k, v, "a decimal number");
	for (; s < c->end && IS_DIGIT(*s); s++) {
		if (x > (UINT64_MAX - 9) / 10)
			return bad_value(c, k, v, "a decimal number below 2^64");
		x = x * 10 + (uint64_t)(*s - '0');
	}
	c->s = s;
	if (!value_end(c))
		return bad_value(c, k, v, "a decimal number");
	*val = x;
	c->prev = k;
	return 0;
}

static int f_int(struct cur *c, const char *k, int32_t *val)
{
	const char *s = c->s, *v = s;
	bool neg = false;
	int64_t x = 0;

	if (s < c->end && *s == '-')
		neg = true, s++;
	if (s >= c->end || !IS_DIGIT(*s))
		return bad_value(c, k, v, "a decimal integer");
	for (; s < c->end && IS_DIGIT(*s); s++) {
		x = x * 10 + (*s - '0');
		if (x > (int64_t)INT32_MAX + 1)
			return bad_value(c, k, v, "a 32-bit integer");
	}
	if (!neg && x > INT32_MAX)
		return bad_value(c, k, v, "a 32-bit integer");
	c->s = s;
	if (!value_end(c))
		return bad_value(c, k, v, "a decimal integer");
	*val = (int32_t)(neg ? -x : x);
	c->prev = k;
	return 0;
}

/* pfn=0x%lx (5.15+) or pfn=%lu (5.10). */
static int f_pfn(struct cur *c, struct sim_trace_event *ev)
{
	const char *v = c->s;
	int nd;

	if (c->end - v > 2 && v[0] == '0' && v[1] == 'x') {
		if (scan_hex(c, &ev->pfn, &nd) || nd == 0)
			return bad_value(c, "pfn", v, "a page frame number (0x... or decimal)");
		c->prev = "pfn";
		return 0;
	}
	if (f_u64(c, "pfn", &ev->pfn))
		return bad_value(c, "pfn", v, "a page frame number (0x... or decimal)");
	return 0;
}

static int f_bool(struct cur *c, const char *k, bool *val)
{
	const char *v = c->s;

	if (c->end - v >= 4 && !memcmp(v, "true", 4))
		*val = true, c->s += 4;
	else if (c->end - v >= 5 && !memcmp(v, "false", 5))
		*val = false, c->s += 5;
	else
		return bad_value(c, k, v, "true or false");
	if (!value_end(c))
		return bad_value(c, k, v, "true or false");
	c->prev = k;
	return 0;
}

/* A 0/1 integer field as a bool. */
static int f_flag(struct cur *c, const char *k, bool *val)
{
	int32_t x;

	if (f_int(c, k, &x))
		return -1;
	*val = x != 0;
	return 0;
}

/* gfp_flags=NAMES|..., a hex mask, "none" or nothing. */
static int f_gfp(struct cur *c, struct sim_trace_event *ev)
{
	const char *v = c->s, *e = memchr(v, ' ', (size_t)(c->end - v));

	if (!e)
		e = c->end;
	if (e > v) {
		size_t n = (size_t)(e - v);
		unsigned h = (unsigned)(n * 7 + (unsigned char)v[n - 1] + (unsigned char)v[n / 2] * 3) % TRACE_GFP_MEMO;
		struct trace_gfp_memo_entry *m = &c->gm->e[h];

		if (m->len == n && trace_bytes_eq(m->s, v, n)) {
			ev->gfp = m->mask;
		} else {
			if (trace_gfp_parse(c->gk, v, e, &ev->gfp))
				return bad_value(c, "gfp_flags", v, "GFP flag names joined by '|', a 0x mask, or nothing");
			if (n <= TRACE_GFP_MEMO_LEN) {
				m->len = (uint8_t)n;
				memcpy(m->s, v, n);
				m->mask = ev->gfp;
			}
		}
		ev->present |= SIM_TRACE_HAS_GFP;
	}
	c->s = e;
	value_end(c);
	c->prev = "gfp_flags";
	return 0;
}

/* "0x" and 1 to 16 hex digits at s (before end): the position after them, or NULL. */
static const char *hex_word(const char *s, const char *end)
{
	const char *d;

	if (end - s < 3 || s[0] != '0' || s[1] != 'x')
		return NULL;
	for (d = s + 2; d < end && hexval1[(unsigned char)*d]; d++)
		if (d - s == 18)
			return NULL;
	return d > s + 2 ? d : NULL;
}

/* s[0, end) is what %pS prints for a symbol: "func+0x12/0x40" (trace-cmd: "func+0x12"),
 * func a C identifier with the compiler's ".constprop.0"-like suffixes. */
static bool is_symbol(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && (IS_DIGIT(*p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   *p == '_' || *p == '.' || *p == '$'))
		p++;
	if (p == s || IS_DIGIT(*s) || p >= end || *p++ != '+' || !(p = hex_word(p, end)))
		return false;
	if (p < end && *p == '/')
		p = hex_word(p + 1, end);
	return p == end;
}

/*
 * call_site=: a symbol as %pS prints it ("func+0x12/0x40", " [module]" after
 * module symbols; trace-cmd: "func+0x12", raw mode adds " (0xaddr)"), or an
 * address ("0xffffffff81234567", or bare hex before 5.5).
 */
static int f_call_site(struct cur *c, struct sim_trace_event *ev, struct trace_intern *t)
{
	const char *v = c->s, *s, *e;
	int nd;

	s = memchr(v, ' ', (size_t)(c->end - v));
	if (!s)
		s = c->end;
	if (s == v)
		return bad_value(c, "call_site", v, "a symbol like func+0x12/0x40 or an address");
	if (!memchr(v, '+', (size_t)(s - v))) {	/* %pS always prints "+0x": an address */
		if (scan_hex(c, &ev->call_site, &nd))
			return bad_value(c, "call_site", v, "a symbol like func+0x12/0x40 or an address");
		ev->present |= SIM_TRACE_HAS_CALL_ADDR;
		c->prev = "call_site";
		return 0;
	}
	if (!is_symbol(v, s))
		return bad_value(c, "call_site", v, "a symbol like func+0x12/0x40 or an address");
	e = s;
	if (c->end - e > 2 && e[1] == '[') {		/* " [module]" */
		const char *close = memchr(e + 2, ']', (size_t)(c->end - e - 2));
		const char *sp = memchr(e + 2, ' ', (size_t)(c->end - e - 2));

		if (close && (!sp || close < sp))
			e = close + 1;
	}
	ev->call_sym = trace_intern(t, v, (size_t)(e - v));
	if (!ev->call_sym) {
		trace_msg(c->msg, c->msgsz, "%s: call_site: out of memory", c->event);
		return -2;
	}
	ev->present |= SIM_TRACE_HAS_CALL_SYM;
	c->s = e;
	if (c->end - e > 4 && e[1] == '(' && e[2] == '0' && e[3] == 'x') {	/* " (0xaddr)" */
		const char *close = memchr(e + 4, ')', (size_t)(c->end - e - 4));

		if (close) {
			struct cur sub = *c;

			sub.s = e + 2;
			sub.end = close;
			if (!scan_hex(&sub, &ev->call_site, &nd))
				ev->present |= SIM_TRACE_HAS_CALL_ADDR;
			c->s = close + 1;
		}
	}
	value_end(c);
	c->prev = "call_site";
	return 0;
}

/*
 * name=: a cache name, possibly empty.  Last on kmem_cache_free's line, where
 * it runs to the end (less trailing spaces); in the middle of
 * kmem_cache_alloc's line of later kernels, one word (names hold no space).
 */
static int f_name(struct cur *c, struct sim_trace_event *ev, struct trace_intern *t, bool last)
{
	const char *v = c->s, *e = v;

	if (last) {
		e = c->end;
		while (e > v && e[-1] == ' ')
			e--;
	} else {
		while (e < c->end && *e != ' ')
			e++;
	}
	if (e > v) {
		ev->cache = trace_intern(t, v, (size_t)(e - v));
		if (!ev->cache) {
			trace_msg(c->msg, c->msgsz, "%s: name: out of memory", c->event);
			return -2;
		}
		ev->present |= SIM_TRACE_HAS_CACHE;
	}
	c->s = last ? c->end : e;
	value_end(c);
	c->prev = "name";
	return 0;
}

/* Nothing may follow the last field. */
static int done(struct cur *c)
{
	const char *k = c->s, *e;
	char name[48];
	size_t n;

	if (at_end(c))
		return 0;
	e = k;
	while (e < c->end && *e != '=' && *e != ' ' && e - k < 40)
		e++;
	n = (size_t)(e - k);
	memcpy(name, k, n);
	name[n] = '\0';
	trace_msg(c->msg, c->msgsz, "%s: %s: expected end of line after %s", c->event,
		  n ? name : "?", c->prev);
	trace_msg_got(c->msg, c->msgsz, k, c->end);
	return -1;
}

/* call_site= ptr=: how every slab event begins. */
static int parse_head(struct cur *c, struct sim_trace_event *ev, struct trace_intern *t)
{
	int rc;

	EXPECT(c, "call_site");
	if ((rc = f_call_site(c, ev, t)))
		return rc;
	EXPECT(c, "ptr");
	return f_ptr(c, "ptr", &ev->ptr, ev);
}

/* kmalloc, kmem_cache_alloc and their _node twins. */
static int parse_alloc(struct cur *c, struct sim_trace_event *ev, struct trace_intern *t, bool node_event)
{
	const char *v, *req;
	int rc;

	if ((rc = parse_head(c, ev, t)))
		return rc;
	if (key(c, "name", 4) && (rc = f_name(c, ev, t, false)))
		return rc;
	EXPECT(c, "bytes_req");
	req = c->s;
	if (f_u64(c, "bytes_req", &ev->bytes_req))
		return -1;
	EXPECT(c, "bytes_alloc");
	v = c->s;
	if (f_u64(c, "bytes_alloc", &ev->bytes_alloc))
		return -1;
	/* kernel: trace_kmalloc and trace_kmem_cache_alloc give the size asked for and the size
	 * handed out (the kmalloc cache's or page's size, s->size >= s->object_size): never less */
	if (ev->bytes_req > ev->bytes_alloc)
		return bad_value(c, "bytes_req", req, "at most bytes_alloc");
	/* kernel: calculate_order (SLUB) / calculate_slab_order (SLAB) fit an object in a slab of
	 * order MAX_ORDER - 1 at most, so a cache's size is at most 4 MiB */
	if ((ev->type == SIM_TRACE_KMEM_CACHE_ALLOC || ev->type == SIM_TRACE_KMEM_CACHE_ALLOC_NODE) &&
	    ev->bytes_alloc > (4096ull << (SIM_TRACE_MAX_ORDER - 1)))
		return bad_value(c, "bytes_alloc", v, "a cache's object size, at most 4194304 (an order-10 slab)");
	EXPECT(c, "gfp_flags");
	if (f_gfp(c, ev))
		return -1;
	if (key(c, "node", 4)) {
		v = c->s;
		if (f_int(c, "node", &ev->node))
			return -1;
		if (ev->node < -1 || ev->node >= SIM_TRACE_MAX_NODES)	/* kernel: get_node() indexes node[] with it */
			return bad_value(c, "node", v, "-1 (NUMA_NO_NODE) or a node number below 1024");
		ev->present |= SIM_TRACE_HAS_NODE;
	} else if (node_event) {
		return missing(c, "node");
	}
	if (key(c, "accounted", 9)) {
		if (f_bool(c, "accounted", &ev->accounted))
			return -1;
		ev->present |= SIM_TRACE_HAS_ACCOUNTED;
	}
	return done(c);
}

/* kfree and kmem_cache_free. */
static int parse_free(struct cur *c, struct sim_trace_event *ev, struct trace_intern *t, bool cache)
{
	int rc;

	if ((rc = parse_head(c, ev, t)))
		return rc;
	if (cache && key(c, "name", 4))
		return f_name(c, ev, t, true);
	return done(c);
}

/*
 * The page events' fields after page= pfn=, in print order.  A table, not code
 * a field: the layouts differ only in which of the same few fields they print.
 */
enum { PF_INT, PF_FLAG, PF_GFP, PF_UNUSED_INT };

struct page_field {
	const char *k;
	uint8_t klen;
	uint8_t kind;			/* PF_* */
	uint16_t off;			/* PF_INT, PF_FLAG: the int32_t / bool in sim_trace_event */
};

#define PF(k, kind, member) { k, sizeof(k) - 1, kind, offsetof(struct sim_trace_event, member) }

static const struct page_field page_fields[SIM_TRACE_NR_TYPES][8] = {
	[SIM_TRACE_MM_PAGE_ALLOC] = {
		PF("order", PF_INT, order), PF("migratetype", PF_INT, migratetype),
		PF("gfp_flags", PF_GFP, gfp),
	},
	[SIM_TRACE_MM_PAGE_FREE] = { PF("order", PF_INT, order) },
	[SIM_TRACE_MM_PAGE_FREE_BATCHED] = { PF("order", PF_INT, order) },
	[SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED] = {
		PF("order", PF_INT, order), PF("migratetype", PF_INT, migratetype),
		PF("percpu_refill", PF_INT, percpu_refill),
	},
	[SIM_TRACE_MM_PAGE_PCPU_DRAIN] = {
		PF("order", PF_INT, order), PF("migratetype", PF_INT, migratetype),
	},
	[SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG] = {
		PF("alloc_order", PF_INT, order),
		PF("fallback_order", PF_INT, fallback_order),
		PF("pageblock_order", PF_UNUSED_INT, order),	/* checked, not kept */
		PF("alloc_migratetype", PF_INT, migratetype),
		PF("fallback_migratetype", PF_INT, fallback_migratetype),
		PF("fragmenting", PF_FLAG, fragmenting),
		PF("change_ownership", PF_FLAG, change_ownership),
	},
};

/* The page events: page= pfn= then their own fields. */
static int parse_page(struct cur *c, struct sim_trace_event *ev)
{
	EXPECT(c, "page");
	if (f_ptr(c, "page", &ev->page, ev))
		return -1;
	EXPECT(c, "pfn");
	if (f_pfn(c, ev))
		return -1;
	for (const struct page_field *f = page_fields[ev->type]; f->k; f++) {
		void *val = (char *)ev + f->off;
		int32_t unused;
		int rc = 0;

		if (!key(c, f->k, f->klen))
			return missing(c, f->k);
		switch (f->kind) {
		case PF_INT: rc = f_int(c, f->k, val); break;
		case PF_FLAG: rc = f_flag(c, f->k, val); break;
		case PF_GFP: rc = f_gfp(c, ev); break;
		case PF_UNUSED_INT: rc = f_int(c, f->k, &unused); break;
		}
		if (rc)
			return -1;
	}
	return done(c);
}

/* A page event's order, fallback order and pfn within what a kernel can print
 * (__alloc_pages refuses order >= MAX_ORDER before its tracepoint). */
static int page_values(struct cur *c, const struct sim_trace_event *ev)
{
	const char *k = ev->type == SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG ? "alloc_order" : "order";

	if (ev->order < 0 || ev->order >= SIM_TRACE_MAX_ORDER) {
		trace_msg(c->msg, c->msgsz, "%s: %s: expected 0 to %d (MAX_ORDER - 1), got %d", c->event, k,
			  SIM_TRACE_MAX_ORDER - 1, (int)ev->order);
		return -1;
	}
	if (ev->type == SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG &&
	    (ev->fallback_order < 0 || ev->fallback_order >= SIM_TRACE_MAX_ORDER)) {
		trace_msg(c->msg, c->msgsz, "%s: fallback_order: expected 0 to %d (MAX_ORDER - 1), got %d",
			  c->event, SIM_TRACE_MAX_ORDER - 1, (int)ev->fallback_order);
		return -1;
	}
	if (ev->pfn >> SIM_TRACE_PFN_BITS) {
		trace_msg(c->msg, c->msgsz, "%s: pfn: expected a page frame number below 2^%d "
			  "(52 physical address bits), got 0x%llx", c->event, SIM_TRACE_PFN_BITS,
			  (unsigned long long)ev->pfn);
		return -1;
	}
	return 0;
}

int trace_fields_parse(const struct trace_line *lp, struct sim_trace_event *ev,
		       struct trace_intern *t, enum sim_trace_gfp_kernel gk, struct trace_gfp_memo *gm,
		       char *msg, size_t msgsz)
{
	struct cur c = { lp->fields, lp->end, type_names[ev->type], NULL, msg, msgsz, gk, gm };
	int rc;

	switch (ev->type) {
	case SIM_TRACE_KMALLOC:
	case SIM_TRACE_KMEM_CACHE_ALLOC:
		return parse_alloc(&c, ev, t, false);
	case SIM_TRACE_KMALLOC_NODE:
	case SIM_TRACE_KMEM_CACHE_ALLOC_NODE:
		return parse_alloc(&c, ev, t, true);
	case SIM_TRACE_KFREE:
		return parse_free(&c, ev, t, false);
	case SIM_TRACE_KMEM_CACHE_FREE:
		return parse_free(&c, ev, t, true);
	default:
		if ((rc = parse_page(&c, ev)))
			return rc;
		return page_values(&c, ev);
	}
}
