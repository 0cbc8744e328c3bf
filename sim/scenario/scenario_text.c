/*
 * scenario_text.c - what the scenario loader says about text: the line of a
 * key path for error messages, JSON syntax errors, and gfp flag names.
 *
 * Main entries: sp_error_nth (one error line), sp_line_of (key path ->
 * line).  No cJSON here: the scanner reads the raw text, which cJSON has
 * already accepted, and runs only when there is an error to report.
 */
#include <stdarg.h>
#include <string.h>

#include "scenario_int.h"
#include "../../models/mm.h"

/* --------------------------------------------------------------- errors */

/* Whether an error at `path` is about a key --set wrote: the key, inside it, or a parent of it. */
bool sp_is_set_path(const char *keys, const char *path)
{
	for (const char *k = keys; k && *k; ) {
		size_t n = strcspn(k, "\n"), m = strlen(path);
		size_t s = n < m ? n : m;

		if (!strncmp(k, path, s) && (n == m || (n < m ? strchr(".[", path[n]) : strchr(".[", k[m]))))
			return true;
		k += n + (k[n] == '\n');
	}
	return false;
}

int sp_error_nth(struct sp *p, const char *path, int nth, const char *fmt, ...)
{
	va_list ap;

	if (sp_is_set_path(p->set_keys, path))
		fprintf(p->err, "--set: %s: ", path);
	else
		fprintf(p->err, "%s:%d: %s: ", p->file, sp_line_of(p->text, path, nth),
			*path ? path : "(top level)");
	va_start(ap, fmt);
	vfprintf(p->err, fmt, ap);
	va_end(ap);
	fputc('\n', p->err);
	return SIM_EBADINPUT;
}

int sim_scenario_error(const struct sim_scenario *sc, const char *key_path, FILE *err, const char *fmt, ...)
{
	va_list ap;
	char what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (sp_is_set_path(sc->set_keys, key_path))
		fprintf(err, "--set: %s: %s\n", key_path, what);
	else
		fprintf(err, "%s:%d: %s: %s\n", sc->path ? sc->path : "(scenario)",
			sc->json ? sp_line_of(sc->json, key_path, 1) : 1, key_path, what);
	return SIM_EBADINPUT;
}

int sp_line_at(const char *text, const char *at)
{
	int line = 1;

	for (const char *s = text; *s && s < at; s++)
		line += *s == '\n';
	return line;
}

/* cJSON_GetErrorPtr points at the culprit, or just after it at the end of its line. */
void sp_syntax_error(struct sp *p, const char *at)
{
	const char *text = p->text, *end = text + strlen(text), *bol;
	size_t n;

	if (!at || at < text || at > end)
		at = end;
	if (strspn(text, " \t\r\n") == strlen(text)) {
		fprintf(p->err, "%s:%d: no JSON in the text, expected an object\n", p->file, sp_line_at(text, end));
		return;
	}
	if (!*at) {
		fprintf(p->err, "%s:%d: JSON syntax error: the text ends too early\n", p->file, sp_line_at(text, end));
		return;
	}
	n = strcspn(at, "\r\n");
	if (n) {
		fprintf(p->err, "%s:%d: JSON syntax error near '%.*s'\n", p->file, sp_line_at(text, at),
			(int)(n < 20 ? n : 20), at);
		return;
	}
	for (bol = at; bol > text && bol[-1] != '\n'; bol--)
		;
	while (*bol == ' ' || *bol == '\t')
		bol++;
	n = (size_t)(at - bol);
	fprintf(p->err, "%s:%d: JSON syntax error after '%.*s'\n", p->file, sp_line_at(text, at),
		(int)(n < 20 ? n : 20), at - (n < 20 ? n : 20));
}

/* ---------------------------------------------------------- line finder */

/* One open container while scanning: its path length and where we are in it. */
struct sl_frame {
	bool array;
	bool want_key;			/* object: the next string is a key */
	bool want_elem;			/* array: the next value starts element idx */
	int idx;
	size_t base;			/* length of the container's own path */
};

/* Is `path` the start of `target` up to a component boundary? */
static bool sl_is_prefix(const char *path, size_t n, const char *target)
{
	return strncmp(path, target, n) == 0 &&
	       (target[n] == 0 || target[n] == '.' || target[n] == '[' || n == 0);
}

/*
 * The line where key path `target` ("machine.nodes[1].cpus") appears for the
 * nth time (1 = first); for an array element, the line where the element
 * begins.  Falls back to the deepest enclosing path seen, then line 1.  A
 * lenient scanner: it assumes the text already parsed as JSON.
 */
int sp_line_of(const char *text, const char *target, int nth)
{
	struct sl_frame st[64];
	char path[SP_PATH_MAX + 64];
	size_t plen = 0;
	int depth = 0, line = 1, best = 1, seen = 0;

	path[0] = 0;
	for (const char *s = text; *s; s++) {
		struct sl_frame *top = depth ? &st[depth - 1] : NULL;
		char c = *s;

		if (c == '\n') {
			line++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == ':')
			continue;
		if (c == ',' || c == '}' || c == ']') {
			if (!top)
				continue;
			plen = top->base;
			path[plen] = 0;
			if (c == ',') {
				top->want_key = !top->array;
				top->want_elem = top->array;
				top->idx += top->array;
			} else {
				depth--;	/* path is the parent's current element again */
			}
			continue;
		}
		/* A value or a key begins here. */
		if (top && top->array && top->want_elem) {
			int n = snprintf(path + plen, sizeof(path) - plen, "[%d]", top->idx);

			if (n > 0 && plen + (size_t)n < sizeof(path))
				plen += (size_t)n;
			top->want_elem = false;
			if (strcmp(path, target) == 0 && ++seen == nth)
				return line;
			if (sl_is_prefix(path, plen, target))
				best = line;
		}
		if (c == '"') {
			const char *k = ++s;

			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				s++;
			}
			if (top && !top->array && top->want_key) {
				size_t klen = (size_t)(s - k);

				top->want_key = false;
				plen = top->base;
				if (plen && plen + 1 < sizeof(path))
					path[plen++] = '.';
				if (plen + klen >= sizeof(path))
					klen = sizeof(path) - plen - 1;
				memcpy(path + plen, k, klen);
				plen += klen;
				path[plen] = 0;
				if (strcmp(path, target) == 0 && ++seen == nth)
					return line;
				if (sl_is_prefix(path, plen, target))
					best = line;
			}
			if (!*s)
				break;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth == (int)(sizeof(st) / sizeof(st[0])))
				break;
			st[depth++] = (struct sl_frame){
				.array = c == '[', .want_key = c == '{', .want_elem = c == '[',
				.idx = 0, .base = plen,
			};
			continue;
		}
		/* number or literal: skip to its end */
		while (s[1] && !strchr(",}] \t\r\n", s[1]))
			s++;
	}
	return best;
}

/* ------------------------------------------------------------------ gfp */

struct sp_gfp_name { const char *name; uint32_t bits; };

/* Composite names first, most bits first: sp_gfp_text picks the largest that fits. */
static const struct sp_gfp_name sp_gfp_names[] = {
	{ "GFP_TRANSHUGE", GFP_TRANSHUGE },
	{ "GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE },
	{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT },
	{ "GFP_HIGHUSER", GFP_HIGHUSER },
	{ "GFP_USER", GFP_USER },
	{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
	{ "GFP_KERNEL", GFP_KERNEL },
	{ "GFP_ATOMIC", GFP_ATOMIC },
	{ "GFP_NOFS", GFP_NOFS },
	{ "GFP_NOIO", GFP_NOIO },
	{ "GFP_NOWAIT", GFP_NOWAIT },
	{ "__GFP_RECLAIM", __GFP_RECLAIM },
	{ "__GFP_DMA", ___GFP_DMA },
	{ "__GFP_HIGHMEM", ___GFP_HIGHMEM },
	{ "__GFP_DMA32", ___GFP_DMA32 },
	{ "__GFP_MOVABLE", ___GFP_MOVABLE },
	{ "__GFP_RECLAIMABLE", ___GFP_RECLAIMABLE },
	{ "__GFP_HIGH", ___GFP_HIGH },
	{ "__GFP_IO", ___GFP_IO },
	{ "__GFP_FS", ___GFP_FS },
	{ "__GFP_ZERO", ___GFP_ZERO },
	{ "__GFP_ATOMIC", ___GFP_ATOMIC },
	{ "__GFP_DIRECT_RECLAIM", ___GFP_DIRECT_RECLAIM },
	{ "__GFP_KSWAPD_RECLAIM", ___GFP_KSWAPD_RECLAIM },
	{ "__GFP_WRITE", ___GFP_WRITE },
	{ "__GFP_NOWARN", ___GFP_NOWARN },
	{ "__GFP_RETRY_MAYFAIL", ___GFP_RETRY_MAYFAIL },
	{ "__GFP_NOFAIL", ___GFP_NOFAIL },
	{ "__GFP_NORETRY", ___GFP_NORETRY },
	{ "__GFP_MEMALLOC", ___GFP_MEMALLOC },
	{ "__GFP_COMP", ___GFP_COMP },
	{ "__GFP_NOMEMALLOC", ___GFP_NOMEMALLOC },
	{ "__GFP_HARDWALL", ___GFP_HARDWALL },
	{ "__GFP_THISNODE", ___GFP_THISNODE },
	{ "__GFP_ACCOUNT", ___GFP_ACCOUNT },
	{ "__GFP_ZEROTAGS", ___GFP_ZEROTAGS },
	{ "__GFP_SKIP_ZERO", ___GFP_SKIP_ZERO },
	{ "__GFP_SKIP_KASAN_UNPOISON", ___GFP_SKIP_KASAN_UNPOISON },
	{ "__GFP_SKIP_KASAN_POISON", ___GFP_SKIP_KASAN_POISON },
};
#define SP_NR_GFP_NAMES (sizeof(sp_gfp_names) / sizeof(sp_gfp_names[0]))


int sp_gfp_parse_text(struct sp *p, const char *str, const char *path, uint32_t *out)
{
	uint32_t gfp = 0;

	for (const char *s = str; *s; ) {
		const char *e;
		size_t n, i;

		while (*s == ' ')
			s++;
		e = s + strcspn(s, "| ");
		n = (size_t)(e - s);
		for (i = 0; i < SP_NR_GFP_NAMES; i++)
			if (strlen(sp_gfp_names[i].name) == n && !strncmp(sp_gfp_names[i].name, s, n))
				break;
		if (i == SP_NR_GFP_NAMES)
			return sp_error(p, path, "unknown gfp flag \"%.*s\"", (int)n, s);
		gfp |= sp_gfp_names[i].bits;
		s = e;
		while (*s == ' ')
			s++;
		if (*s == '|' && s[1])
			s++;
		else if (*s)
			return sp_error(p, path, "expected flags joined by '|', got \"%s\"", str);
	}
	*out = gfp;
	return 0;
}

/* Largest composite names that fit first, then single bits, then a number for unnamed bits. */
void sp_gfp_text(uint32_t gfp, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < SP_NR_GFP_NAMES && gfp && len < size; i++) {
		uint32_t b = sp_gfp_names[i].bits;

		if ((gfp & b) != b)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "|" : "", sp_gfp_names[i].name);
		gfp &= ~b;
	}
	if (gfp && len < size)
		snprintf(buf + len, size - len, "%s%u", len ? "|" : "", gfp);
}
