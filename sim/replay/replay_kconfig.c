/*
 * replay_kconfig.c - the model's switches from what the capture says of its
 * kernel (rp_kconfig), and the one line that tells the user what was
 * assumed and why (rp_kconfig_print).
 *
 * Sources, strongest first: a key the --scenario file sets itself
 * (sim_scenario_has_key) or --allocator; the capture (its kernel config for
 * the CONFIG_* switches, SNAP0/pagetypeinfo for pageblock_order,
 * sysctl_vm.txt for the vm sysctls); else the scenario's defaults, which are
 * Debian 6.1's (so a capture without a config, like the shipped sample,
 * replays as before).  The rules (docs/traces.md, "Kernel config"):
 *
 *   SLAB=y / SLUB=y            -> allocator slab / slub
 *   SLUB_CPU_PARTIAL           -> slub.cpu_partial
 *   SLAB_FREELIST_RANDOM       -> slub.freelist_random, slab.freelist_random
 *   SLAB_FREELIST_HARDENED     -> slub.freelist_hardened
 *   MEMCG_KMEM (6.12: MEMCG)   -> kernel.memcg_kmem (kmalloc-cg-*, SLAB_ACCOUNT)
 *   ZONE_DMA                   -> kernel.zone_dma (dma-kmalloc-*)
 *   HARDENED_USERCOPY          -> kernel.hardened_usercopy (6.12: usercopy caches never merge)
 *   SLAB_BUCKETS               -> kernel.slab_buckets (6.12: memdup_user-* bucket caches)
 *   TRANSPARENT_HUGEPAGE       -> buddy.thp (khugepaged's min_free_kbytes)
 *   pagetypeinfo, HUGETLB_PAGE -> buddy.pageblock_order (the file's, else 9 with HUGETLB_PAGE, 10 without;
 *                              on 6.12 without it, 9 with THP)
 *   PREEMPT_NONE / _VOLUNTARY / PREEMPT -> sched.preempt none / voluntary / full
 *   sysctl_vm.txt              -> buddy.min_free_kbytes, watermark_scale_factor,
 *                                 percpu_pagelist_high_fraction
 *   DEBUG_SLAB                 -> slab.debug; without a config, a SLAB slabinfo
 *                                 with the statistics columns (only DEBUG_SLAB prints them)
 *   slub_debug on the cmdline  -> slub.debug (rp_cmdline_slub_debug)
 * SLUB_STATS is reported, not switched: the models always count.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

/* A symbol of the capture's config: yes / no / unknown (no config). */
static int rp_sym(const struct replay *r, enum sim_kconfig_sym sym)
{
	return r->cap ? r->cap->kconfig[sym] : SIM_UNKNOWN;
}

/* Set *b from the config unless the scenario's file sets `key`; its source for the line. */
static char rp_bool(struct replay *r, const struct sim_scenario *sc, const char *key,
		    enum sim_kconfig_sym sym, bool *b)
{
	if (sim_scenario_has_key(sc, key))
		return 's';
	if (rp_sym(r, sym) == SIM_UNKNOWN)
		return 'd';
	*b = rp_sym(r, sym) == SIM_YES;
	return 'c';
}

/* An integer sysctl from sysctl_vm.txt (-1 = absent) unless the scenario sets `key`. */
static void rp_sysctl(const struct sim_scenario *sc, const char *key, int64_t v, uint32_t *u32, uint64_t *u64)
{
	if (v < 0 || sim_scenario_has_key(sc, key))
		return;
	if (u32)
		*u32 = (uint32_t)v;
	else
		*u64 = (uint64_t)v;
}

void rp_kconfig(struct replay *r, struct sim_scenario *sc)
{
	const struct sim_capture *c = r->cap;
	char *src = r->kc_src;
	bool b;

	memset(r->kc_src, 'd', sizeof(r->kc_src));
	/* the allocator: --allocator, then the scenario's key, then the config */
	if (r->o->allocator_set)
		src[RP_KC_ALLOCATOR] = 'o';
	else if (sim_scenario_has_key(sc, "allocator"))
		src[RP_KC_ALLOCATOR] = 's';
	else if (rp_sym(r, SIM_KCONFIG_SLAB) == SIM_YES || rp_sym(r, SIM_KCONFIG_SLUB) == SIM_YES) {
		sc->allocator = rp_sym(r, SIM_KCONFIG_SLAB) == SIM_YES ? SIM_ALLOC_SLAB : SIM_ALLOC_SLUB;
		src[RP_KC_ALLOCATOR] = 'c';
	}
	r->allocator = sc->allocator;
	src[RP_KC_CPU_PARTIAL] = rp_bool(r, sc, "slub.cpu_partial", SIM_KCONFIG_SLUB_CPU_PARTIAL,
					 &sc->slub_cpu_partial);
	b = sc->allocator == SIM_ALLOC_SLAB ? sc->slab_freelist_random : sc->slub_freelist_random;
	src[RP_KC_RANDOM] = rp_bool(r, sc, sc->allocator == SIM_ALLOC_SLAB ? "slab.freelist_random" :
				    "slub.freelist_random", SIM_KCONFIG_SLAB_FREELIST_RANDOM, &b);
	if (src[RP_KC_RANDOM] == 'c')
		sc->slab_freelist_random = sc->slub_freelist_random = b;
	src[RP_KC_HARDENED] = rp_bool(r, sc, "slub.freelist_hardened", SIM_KCONFIG_SLAB_FREELIST_HARDENED,
				      &sc->slub_freelist_hardened);
	src[RP_KC_MEMCG] = rp_bool(r, sc, "kernel.memcg_kmem", r->kv->memcg_kmem, &sc->memcg_kmem);
	(void)rp_bool(r, sc, "kernel.hardened_usercopy", SIM_KCONFIG_HARDENED_USERCOPY, &sc->hardened_usercopy);
	(void)rp_bool(r, sc, "kernel.slab_buckets", SIM_KCONFIG_SLAB_BUCKETS, &sc->slab_buckets);
	src[RP_KC_ZONE_DMA] = rp_bool(r, sc, "kernel.zone_dma", SIM_KCONFIG_ZONE_DMA, &sc->zone_dma);
	src[RP_KC_THP] = rp_bool(r, sc, "buddy.thp", SIM_KCONFIG_TRANSPARENT_HUGEPAGE, &sc->thp);
	/* pageblock_order: the kernel's own word (pagetypeinfo), else what HUGETLB_PAGE implies */
	if (sim_scenario_has_key(sc, "buddy.pageblock_order")) {
		src[RP_KC_PAGEBLOCK] = 's';
	} else if (c && c->page_block_order > PAGE_ALLOC_COSTLY_ORDER && c->page_block_order < MAX_ORDER) {
		sc->page_block_order = (uint32_t)c->page_block_order;
		src[RP_KC_PAGEBLOCK] = 'p';
	} else if (rp_sym(r, SIM_KCONFIG_HUGETLB_PAGE) != SIM_UNKNOWN) {
		/* HUGETLB_PAGE_ORDER; else (6.12 only) THP's HPAGE_PMD_ORDER; else MAX_ORDER - 1 */
		sc->page_block_order = rp_sym(r, SIM_KCONFIG_HUGETLB_PAGE) == SIM_YES ? 9 :
				       r->kv->pageblock_thp && sc->thp ? HPAGE_PMD_ORDER : MAX_ORDER - 1;
		src[RP_KC_PAGEBLOCK] = 'c';
	}
	/* the preemption model: the one of the three choices that is set */
	if (sim_scenario_has_key(sc, "sched.preempt")) {
		src[RP_KC_PREEMPT] = 's';
	} else if (rp_sym(r, SIM_KCONFIG_PREEMPT) == SIM_YES || rp_sym(r, SIM_KCONFIG_PREEMPT_VOLUNTARY) == SIM_YES ||
		   rp_sym(r, SIM_KCONFIG_PREEMPT_NONE) == SIM_YES) {
		sc->preempt_model = rp_sym(r, SIM_KCONFIG_PREEMPT) == SIM_YES ? SIM_PREEMPT_FULL :
				    rp_sym(r, SIM_KCONFIG_PREEMPT_VOLUNTARY) == SIM_YES ? SIM_PREEMPT_VOLUNTARY :
				    SIM_PREEMPT_NONE;
		src[RP_KC_PREEMPT] = 'c';
	}
	/* CONFIG_DEBUG_SLAB: the config, else slabinfo's statistics columns (SLAB's STATS) */
	src[RP_KC_DEBUG_SLAB] = rp_bool(r, sc, "slab.debug", SIM_KCONFIG_DEBUG_SLAB, &sc->slab_debug);
	if (src[RP_KC_DEBUG_SLAB] == 'd' && c && c->slab_tunables && c->slab_statistics) {
		sc->slab_debug = true;
		src[RP_KC_DEBUG_SLAB] = 'i';
	}
	r->debug_slab = sc->slab_debug;
	if (sim_scenario_has_key(sc, "slub.debug")) {
		src[RP_KC_SLUB_DEBUG] = 's';
	} else if (c) {
		uint32_t f = rp_cmdline_slub_debug(c->cmdline, &b);

		if (b) {
			sc->slub_debug = f;
			src[RP_KC_SLUB_DEBUG] = 'l';
		}
	}
	if (c && c->sysctl_path) {
		rp_sysctl(sc, "buddy.min_free_kbytes", c->sysctl.min_free_kbytes, NULL, &sc->min_free_kbytes);
		rp_sysctl(sc, "buddy.watermark_scale_factor", c->sysctl.watermark_scale_factor,
			  &sc->watermark_scale_factor, NULL);
		rp_sysctl(sc, "buddy.percpu_pagelist_high_fraction", c->sysctl.percpu_pagelist_high_fraction,
			  &sc->percpu_pagelist_high_fraction, NULL);
	}
	r->kc_sc = sc;
}

/* ", no THP" + " [scenario]" when the switch came from elsewhere than the line's main source. */
static void rp_kc_item(FILE *out, bool *first, char src, char main, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void rp_kc_item(FILE *out, bool *first, char src, char main, const char *fmt, ...)
{
	static const struct { char c; const char *name; } names[] = {
		{ 's', "the scenario" }, { 'o', "--allocator" }, { 'd', "default" }, { 'p', "pagetypeinfo" },
		{ 'c', "config" }, { 'i', "slabinfo statistics" }, { 'l', "cmdline" },
	};
	va_list ap;

	fputs(*first ? "" : ", ", out);
	*first = false;
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	if (src == main)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].c == src)
			fprintf(out, " [%s]", names[i].name);
}

void rp_kconfig_print(const struct replay *r, FILE *out)
{
	const struct sim_scenario *sc = r->kc_sc;
	const char *s = r->kc_src, *cfg = r->cap ? r->cap->kconfig_path : NULL;
	char main = cfg ? 'c' : 'd';
	bool first = true;

	if (!sc)
		return;
	if (cfg && strrchr(cfg, '/'))
		cfg = strrchr(cfg, '/') + 1;
	fprintf(out, "kmemsim: kernel config (%s): ", cfg ? cfg : r->cap ? "none in the capture: Debian 6.1's" :
		"a plain trace: Debian 6.1's");
	rp_kc_item(out, &first, s[RP_KC_ALLOCATOR], main, "%s", sc->allocator == SIM_ALLOC_SLAB ? "SLAB" : "SLUB");
	if (sc->allocator == SIM_ALLOC_SLUB)
		rp_kc_item(out, &first, s[RP_KC_CPU_PARTIAL], main, "%scpu_partial", sc->slub_cpu_partial ? "" : "no ");
	rp_kc_item(out, &first, s[RP_KC_RANDOM], main, "%sfreelist random",
		   (sc->allocator == SIM_ALLOC_SLAB ? sc->slab_freelist_random : sc->slub_freelist_random) ? "" : "no ");
	if (sc->allocator == SIM_ALLOC_SLUB)
		rp_kc_item(out, &first, s[RP_KC_HARDENED], main, "%sfreelist hardened",
			   sc->slub_freelist_hardened ? "" : "no ");
	rp_kc_item(out, &first, s[RP_KC_MEMCG], main, "%s", sc->memcg_kmem ? "memcg kmem" : "no memcg kmem (no kmalloc-cg)");
	rp_kc_item(out, &first, s[RP_KC_ZONE_DMA], main, "%s", sc->zone_dma ? "ZONE_DMA" : "no ZONE_DMA (no dma-kmalloc)");
	rp_kc_item(out, &first, s[RP_KC_THP], main, "%s (min_free_kbytes %d%s)", sc->thp ? "THP" : "no THP",
		   r->min_free_kbytes, r->cap && r->cap->sysctl.min_free_kbytes >= 0 &&
		   !sim_scenario_has_key(sc, "buddy.min_free_kbytes") ? " from sysctl_vm.txt" : "");
	rp_kc_item(out, &first, s[RP_KC_PAGEBLOCK], main, "pageblock_order %u", sc->page_block_order);
	rp_kc_item(out, &first, s[RP_KC_PREEMPT], main, "preempt %s", sc->preempt_model == SIM_PREEMPT_FULL ? "full" :
		   sc->preempt_model == SIM_PREEMPT_VOLUNTARY ? "voluntary" : "none");
	if (rp_sym(r, SIM_KCONFIG_SLUB_STATS) == SIM_YES)
		rp_kc_item(out, &first, main, main, "SLUB_STATS");
	if (sc->allocator == SIM_ALLOC_SLAB && sc->slab_debug)
		rp_kc_item(out, &first, s[RP_KC_DEBUG_SLAB], main, "DEBUG_SLAB (debug layouts)");
	if (sc->allocator == SIM_ALLOC_SLUB && sc->slub_debug)
		rp_kc_item(out, &first, s[RP_KC_SLUB_DEBUG], main, "slub_debug=%s%s%s%s%s",
			   sc->slub_debug & SLAB_CONSISTENCY_CHECKS ? "F" : "", sc->slub_debug & SLAB_RED_ZONE ? "Z" : "",
			   sc->slub_debug & SLAB_POISON ? "P" : "", sc->slub_debug & SLAB_STORE_USER ? "U" : "",
			   sc->slub_debug & SLAB_TRACE ? "T" : "");
	if (r->o->capture_watermarks)
		rp_kc_item(out, &first, main, main, "zone watermarks and pcp high/batch of the capture's zoneinfo");
	fputc('\n', out);
}
