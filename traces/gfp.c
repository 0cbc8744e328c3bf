/*
 * gfp.c - gfp_flags= as the kernel prints them <-> a 6.1 gfp mask.
 *
 * The kernel prints a gfp mask with show_gfp_flags (mmflags.h): names from a
 * fixed list, most bits first, each consuming its bits, joined by '|', with
 * leftover bits as "|0x..", and "none" for 0.  We map every name to its 6.1
 * value (models/mm.h), whatever kernel printed it: a name means the same
 * request in 5.10 and 6.6 even where the bit numbers moved (6.3 dropped
 * __GFP_ATOMIC).  A hex mask is taken as 6.1 bits; docs/traces.md says
 * where that is wrong.
 */
#include <string.h>

#include "trace_int.h"

/*
 * 6.1's bits (include/linux/gfp_types.h), the same values as models/mm.h;
 * kept here so that the reader does not depend on the models' headers
 * (tests/traces/test_trace.c checks that the two agree).
 */
enum {
	B_DMA = 0x01u, B_HIGHMEM = 0x02u, B_DMA32 = 0x04u, B_MOVABLE = 0x08u,
	B_RECLAIMABLE = 0x10u, B_HIGH = 0x20u, B_IO = 0x40u, B_FS = 0x80u,
	B_ZERO = 0x100u, B_ATOMIC = 0x200u, B_DIRECT_RECLAIM = 0x400u,
	B_KSWAPD_RECLAIM = 0x800u, B_WRITE = 0x1000u, B_NOWARN = 0x2000u,
	B_RETRY_MAYFAIL = 0x4000u, B_NOFAIL = 0x8000u, B_NORETRY = 0x10000u,
	B_MEMALLOC = 0x20000u, B_COMP = 0x40000u, B_NOMEMALLOC = 0x80000u,
	B_HARDWALL = 0x100000u, B_THISNODE = 0x200000u, B_ACCOUNT = 0x400000u,
	B_ZEROTAGS = 0x800000u, B_SKIP_ZERO = 0x1000000u,
	B_SKIP_KASAN_UNPOISON = 0x2000000u, B_SKIP_KASAN_POISON = 0x4000000u,
	B_NOLOCKDEP = 0x8000000u,	/* with CONFIG_LOCKDEP */
};

#define RECLAIM (B_DIRECT_RECLAIM | B_KSWAPD_RECLAIM)
#define KERNEL (RECLAIM | B_IO | B_FS)
#define USER (KERNEL | B_HARDWALL)
#define HIGHUSER_MOVABLE (USER | B_HIGHMEM | B_MOVABLE)
#define TRANSHUGE_LIGHT ((HIGHUSER_MOVABLE | B_COMP | B_NOMEMALLOC | B_NOWARN) & ~RECLAIM)

struct gfp_name {
	const char *name;
	uint8_t len;
	bool print;			/* in 6.1's show_gfp_flags list (non-KASAN) */
	uint32_t mask;
};

#define N(s, p, m) { s, sizeof(s) - 1, p, m }

/* 6.1's show_gfp_flags order first (the order format uses), then names of other kernels. */
static const struct gfp_name gfp_names[] = {
	N("GFP_TRANSHUGE", true, TRANSHUGE_LIGHT | B_DIRECT_RECLAIM),
	N("GFP_TRANSHUGE_LIGHT", true, TRANSHUGE_LIGHT),
	N("GFP_HIGHUSER_MOVABLE", true, HIGHUSER_MOVABLE),
	N("GFP_HIGHUSER", true, USER | B_HIGHMEM),
	N("GFP_USER", true, USER),
	N("GFP_KERNEL_ACCOUNT", true, KERNEL | B_ACCOUNT),
	N("GFP_KERNEL", true, KERNEL),
	N("GFP_NOFS", true, RECLAIM | B_IO),
	N("GFP_ATOMIC", true, B_HIGH | B_ATOMIC | B_KSWAPD_RECLAIM),
	N("GFP_NOIO", true, RECLAIM),
	N("GFP_NOWAIT", true, B_KSWAPD_RECLAIM),
	N("GFP_DMA", true, B_DMA),
	N("__GFP_HIGHMEM", true, B_HIGHMEM),
	N("GFP_DMA32", true, B_DMA32),
	N("__GFP_HIGH", true, B_HIGH),
	N("__GFP_ATOMIC", true, B_ATOMIC),
	N("__GFP_IO", true, B_IO),
	N("__GFP_FS", true, B_FS),
	N("__GFP_NOWARN", true, B_NOWARN),
	N("__GFP_RETRY_MAYFAIL", true, B_RETRY_MAYFAIL),
	N("__GFP_NOFAIL", true, B_NOFAIL),
	N("__GFP_NORETRY", true, B_NORETRY),
	N("__GFP_COMP", true, B_COMP),
	N("__GFP_ZERO", true, B_ZERO),
	N("__GFP_NOMEMALLOC", true, B_NOMEMALLOC),
	N("__GFP_MEMALLOC", true, B_MEMALLOC),
	N("__GFP_HARDWALL", true, B_HARDWALL),
	N("__GFP_THISNODE", true, B_THISNODE),
	N("__GFP_RECLAIMABLE", true, B_RECLAIMABLE),
	N("__GFP_MOVABLE", true, B_MOVABLE),
	N("__GFP_ACCOUNT", true, B_ACCOUNT),
	N("__GFP_WRITE", true, B_WRITE),
	N("__GFP_RECLAIM", true, RECLAIM),
	N("__GFP_DIRECT_RECLAIM", true, B_DIRECT_RECLAIM),
	N("__GFP_KSWAPD_RECLAIM", true, B_KSWAPD_RECLAIM),
	N("__GFP_ZEROTAGS", true, B_ZEROTAGS),
	/* 6.1 with KASAN_HW_TAGS, 6.3+ (one SKIP_KASAN), LOCKDEP kernels, 6.10+. */
	N("__GFP_SKIP_ZERO", false, B_SKIP_ZERO),
	N("__GFP_SKIP_KASAN_UNPOISON", false, B_SKIP_KASAN_UNPOISON),
	N("__GFP_SKIP_KASAN_POISON", false, B_SKIP_KASAN_POISON),
	N("__GFP_SKIP_KASAN", false, B_SKIP_KASAN_UNPOISON | B_SKIP_KASAN_POISON),
	N("__GFP_NOLOCKDEP", false, B_NOLOCKDEP),
	N("__GFP_NO_OBJ_EXT", false, 0),	/* no 6.1 equivalent */
};

#define NR_GFP_NAMES (sizeof(gfp_names) / sizeof(gfp_names[0]))

/* Hex mask "0x..." (up to 8 digits); 0 or -1. */
static int parse_hex(const char *s, const char *end, uint32_t *val)
{
	uint32_t v = 0;

	if (end - s < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || end - s > 10)
		return -1;
	for (s += 2; s < end; s++) {
		unsigned c = (unsigned char)*s, d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*val = v;
	return 0;
}

int trace_gfp_parse(const char *s, const char *end, uint32_t *gfp)
{
	uint32_t mask = 0;

	if (end - s == 4 && !memcmp(s, "none", 4)) {
		*gfp = 0;
		return 0;
	}
	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		const char *tok_end = bar ? bar : end;
		size_t len = (size_t)(tok_end - s), i;
		uint32_t v;

		if (len > 0 && s[0] == '0') {
			if (parse_hex(s, tok_end, &v))
				return -1;
			mask |= v;
		} else {
			for (i = 0; i < NR_GFP_NAMES; i++)
				if (gfp_names[i].len == len && !memcmp(gfp_names[i].name, s, len))
					break;
			if (i == NR_GFP_NAMES)
				return -1;		/* includes an empty name ("||") */
			mask |= gfp_names[i].mask;
		}
		if (!bar)
			break;
		s = bar + 1;
		if (s == end)
			return -1;			/* trailing '|' */
	}
	*gfp = mask;
	return 0;
}

int sim_trace_parse_gfp(const char *s, size_t len, uint32_t *gfp)
{
	return trace_gfp_parse(s, s + len, gfp);
}

size_t sim_trace_format_gfp(uint32_t gfp, char *buf, size_t size)
{
	char tmp[1024];		/* > every name of the list, '|'-joined */
	size_t n = 0, i;
	uint32_t left = gfp;

	if (!gfp) {
		n = (size_t)snprintf(tmp, sizeof(tmp), "none");
	} else {
		for (i = 0; i < NR_GFP_NAMES && left; i++) {
			const struct gfp_name *g = &gfp_names[i];

			if (!g->print || !g->mask || (left & g->mask) != g->mask)
				continue;
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%s", n ? "|" : "", g->name);
			left &= ~g->mask;
		}
		if (left)
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s0x%x", n ? "|" : "", left);
	}
	if (size) {
		size_t copy = n < size - 1 ? n : size - 1;

		memcpy(buf, tmp, copy);
		buf[copy] = '\0';
	}
	return n;
}
