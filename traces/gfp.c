/*
 * gfp.c - gfp_flags= as the kernel prints them <-> a gfp mask, per kernel.
 *
 * The kernel prints a gfp mask with show_gfp_flags (mmflags.h): names from a
 * fixed list, most bits first, each consuming its bits, joined by '|', with
 * leftover bits as "|0x..", and "none" for 0.  The list and the values of its
 * composite names depend on the kernel (enum sim_trace_gfp_kernel):
 *
 *   6.1   GFP_ATOMIC 0xa20 (__GFP_HIGH|__GFP_ATOMIC|__GFP_KSWAPD_RECLAIM),
 *         GFP_NOWAIT 0x800; __GFP_ATOMIC (0x200) is printed.
 *   6.12  __GFP_ATOMIC is gone (6.3; bit 0x200 unused), GFP_ATOMIC 0x820,
 *         GFP_NOWAIT 0x2800 (__GFP_KSWAPD_RECLAIM|__GFP_NOWARN).
 *
 * Every other bit up to __GFP_ZEROTAGS (0x800000) has the same value in both.
 * A name is read with the table of the kernel that printed the trace (the
 * reader's opts.gfp_kernel), so the mask is that kernel's own: what its
 * gfp_to_alloc_flags saw.  The 6.1 table also takes names of other kernels
 * (5.10, 6.6) at their 6.1 meaning, as it always did; the 6.12 table refuses
 * __GFP_ATOMIC, which no 6.12 kernel prints.  A hex mask is taken as the
 * kernel's bits; docs/traces.md says where that is wrong.
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

#define ATOMIC_6_12 (B_HIGH | B_KSWAPD_RECLAIM)		/* 0x820 */
#define NOWAIT_6_12 (B_KSWAPD_RECLAIM | B_NOWARN)		/* 0x2800 */

struct gfp_name {
	const char *name;
	uint8_t len;
	bool print[SIM_TRACE_NR_GFP_KERNELS];	/* in that kernel's show_gfp_flags list (non-KASAN) */
	uint32_t mask[SIM_TRACE_NR_GFP_KERNELS];	/* its value there; 0 with !print: not read */
};

/* A name both kernels print with the same value; one only 6.1 knows; one whose value differs. */
#define N(s, m) { s, sizeof(s) - 1, { true, true }, { m, m } }
#define N61(s, m) { s, sizeof(s) - 1, { true, false }, { m, 0 } }
#define NV(s, m61, m612) { s, sizeof(s) - 1, { true, true }, { m61, m612 } }
/* Names neither prints (read only): other kernels' and configs' bits (see the 6.1 header above). */
#define NX(s, m61, m612) { s, sizeof(s) - 1, { false, false }, { m61, m612 } }

/* show_gfp_flags order (the order format uses, the same in 6.1 and 6.12), then names of other kernels. */
static const struct gfp_name gfp_names[] = {
	N("GFP_TRANSHUGE", TRANSHUGE_LIGHT | B_DIRECT_RECLAIM),
	N("GFP_TRANSHUGE_LIGHT", TRANSHUGE_LIGHT),
	N("GFP_HIGHUSER_MOVABLE", HIGHUSER_MOVABLE),
	N("GFP_HIGHUSER", USER | B_HIGHMEM),
	N("GFP_USER", USER),
	N("GFP_KERNEL_ACCOUNT", KERNEL | B_ACCOUNT),
	N("GFP_KERNEL", KERNEL),
	N("GFP_NOFS", RECLAIM | B_IO),
	NV("GFP_ATOMIC", B_HIGH | B_ATOMIC | B_KSWAPD_RECLAIM, ATOMIC_6_12),
	N("GFP_NOIO", RECLAIM),
	NV("GFP_NOWAIT", B_KSWAPD_RECLAIM, NOWAIT_6_12),
	N("GFP_DMA", B_DMA),
	N("__GFP_HIGHMEM", B_HIGHMEM),
	N("GFP_DMA32", B_DMA32),
	N("__GFP_HIGH", B_HIGH),
	N61("__GFP_ATOMIC", B_ATOMIC),
	N("__GFP_IO", B_IO),
	N("__GFP_FS", B_FS),
	N("__GFP_NOWARN", B_NOWARN),
	N("__GFP_RETRY_MAYFAIL", B_RETRY_MAYFAIL),
	N("__GFP_NOFAIL", B_NOFAIL),
	N("__GFP_NORETRY", B_NORETRY),
	N("__GFP_COMP", B_COMP),
	N("__GFP_ZERO", B_ZERO),
	N("__GFP_NOMEMALLOC", B_NOMEMALLOC),
	N("__GFP_MEMALLOC", B_MEMALLOC),
	N("__GFP_HARDWALL", B_HARDWALL),
	N("__GFP_THISNODE", B_THISNODE),
	N("__GFP_RECLAIMABLE", B_RECLAIMABLE),
	N("__GFP_MOVABLE", B_MOVABLE),
	N("__GFP_ACCOUNT", B_ACCOUNT),
	N("__GFP_WRITE", B_WRITE),
	N("__GFP_RECLAIM", RECLAIM),
	N("__GFP_DIRECT_RECLAIM", B_DIRECT_RECLAIM),
	N("__GFP_KSWAPD_RECLAIM", B_KSWAPD_RECLAIM),
	N("__GFP_ZEROTAGS", B_ZEROTAGS),
	/*
	 * 6.1 with KASAN_HW_TAGS, 6.3+ (one SKIP_KASAN), LOCKDEP kernels, 6.10+.  6.12 numbers
	 * the bits above __GFP_ZEROTAGS by the configs that have them (gfp_types.h): the
	 * values here are those of a config with all of them (KASAN_HW_TAGS, LOCKDEP,
	 * SLAB_OBJ_EXT).  Neither kernel's list prints them.
	 */
	NX("__GFP_SKIP_ZERO", B_SKIP_ZERO, B_SKIP_ZERO),
	NX("__GFP_SKIP_KASAN_UNPOISON", B_SKIP_KASAN_UNPOISON, 0x2000000u),
	NX("__GFP_SKIP_KASAN_POISON", B_SKIP_KASAN_POISON, 0x2000000u),
	NX("__GFP_SKIP_KASAN", B_SKIP_KASAN_UNPOISON | B_SKIP_KASAN_POISON, 0x2000000u),
	NX("__GFP_NOLOCKDEP", B_NOLOCKDEP, 0x4000000u),
	NX("__GFP_NO_OBJ_EXT", 0, 0x8000000u),	/* no 6.1 equivalent */
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

/* A name of kernel k's table: 6.1 reads every name (other kernels' at their 6.1 meaning); 6.12 its own. */
static bool gfp_known(const struct gfp_name *g, enum sim_trace_gfp_kernel k)
{
	return k == SIM_TRACE_GFP_6_1 || g->print[k] || !g->print[SIM_TRACE_GFP_6_1];
}

int trace_gfp_parse(enum sim_trace_gfp_kernel k, const char *s, const char *end, uint32_t *gfp)
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
				if (gfp_names[i].len == len && !memcmp(gfp_names[i].name, s, len) &&
				    gfp_known(&gfp_names[i], k))
					break;
			if (i == NR_GFP_NAMES)
				return -1;		/* includes an empty name ("||") */
			mask |= gfp_names[i].mask[k];
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
	return trace_gfp_parse(SIM_TRACE_GFP_6_1, s, s + len, gfp);
}

int sim_trace_parse_gfp_of(enum sim_trace_gfp_kernel k, const char *s, size_t len, uint32_t *gfp)
{
	if ((unsigned int)k >= SIM_TRACE_NR_GFP_KERNELS)
		return -1;
	return trace_gfp_parse(k, s, s + len, gfp);
}

size_t sim_trace_format_gfp(uint32_t gfp, char *buf, size_t size)
{
	return sim_trace_format_gfp_of(SIM_TRACE_GFP_6_1, gfp, buf, size);
}

size_t sim_trace_format_gfp_of(enum sim_trace_gfp_kernel k, uint32_t gfp, char *buf, size_t size)
{
	char tmp[1024];		/* > every name of the list, '|'-joined */
	size_t n = 0, i;
	uint32_t left = gfp;

	if ((unsigned int)k >= SIM_TRACE_NR_GFP_KERNELS)
		k = SIM_TRACE_GFP_6_1;
	if (!gfp) {
		n = (size_t)snprintf(tmp, sizeof(tmp), "none");
	} else {
		for (i = 0; i < NR_GFP_NAMES && left; i++) {
			const struct gfp_name *g = &gfp_names[i];

			if (!g->print[k] || !g->mask[k] || (left & g->mask[k]) != g->mask[k])
				continue;
			n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, "%s%s", n ? "|" : "", g->name);
			left &= ~g->mask[k];
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
