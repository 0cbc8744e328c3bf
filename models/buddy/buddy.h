/*
 * buddy.h - the buddy page allocator model (Linux 6.1.192 mm/page_alloc.c).
 *
 * Entry points follow the kernel's: alloc_pages_node / __alloc_pages for
 * allocation, __free_pages / free_unref_page for frees.  Callers that log
 * operations wrap these with sim_op_begin/sim_op_end (sim/engine/path.h); the model
 * marks the labels and level on the current operation:
 *   alloc: L1 pcp list hit, L2 pcp refill (rmqueue_bulk), L3 zone free list
 *          of its own migratetype (__rmqueue_smallest), L4 migratetype
 *          fallback (__rmqueue_fallback), L5 another zone or node, or failure.
 *   free:  L1 to the pcp list, L2 pcp list drained to the zone
 *          (free_pcppages_bulk), L3 straight to the zone (__free_one_page).
 * Internals (struct zone, pglist_data, per_cpu_pages) are in buddy_int.h.
 */
#ifndef KMEMSIM_MODELS_BUDDY_H
#define KMEMSIM_MODELS_BUDDY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../mm.h"
#include "vmstat.h"
#include "reclaim.h"

/* The machine's memory and the buddy allocator's sysctls, as plain values. */
struct buddy_config {
	const char *source;			/* names the settings in error messages */
	int nr_nodes;
	uint64_t zone_mib[SIM_MAX_NODES][4];	/* DMA, DMA32, Normal, Movable (MiB; 0 = absent) */
	uint64_t zone_present_pages[SIM_MAX_NODES][4];	/* 0 = the whole span */
	uint64_t zone_managed_pages[SIM_MAX_NODES][4];	/* 0 = every present page */
	/* Exact geometry (a capture's zoneinfo): a zone with spanned pages spans [start_pfn, start_pfn +
	 * spanned), at or after the previous zone's end; 0 spanned = zone_mib[] from the previous zone's end. */
	uint64_t zone_start_pfn[SIM_MAX_NODES][4], zone_spanned_pages[SIM_MAX_NODES][4];
	/* Pages the kernel frees into a zone after init_per_zone_wmark_min (postcore) set the
	 * watermarks: the initrd, initmem, the rodata/data gap (dmesg "Freeing ...").  Counted in
	 * zone_managed_pages but not in the managed count the boot watermarks saw; 0 = none. */
	uint64_t late_freed_pages[SIM_MAX_NODES][4];
	uint64_t min_free_kbytes;		/* vm.min_free_kbytes; 0 = as 6.1 computes it */
	uint32_t watermark_scale_factor;	/* vm.watermark_scale_factor; 0 = 10 */
	uint32_t percpu_pagelist_high_fraction;	/* vm.percpu_pagelist_high_fraction; 0 = off */
	uint32_t watermark_boost_factor;	/* vm.watermark_boost_factor, when _set (else 15000) */
	bool watermark_boost_factor_set;
	bool thp;				/* CONFIG_TRANSPARENT_HUGEPAGE: khugepaged's min_free_kbytes, THP pcp lists */
	unsigned int page_block_order;		/* pageblock_order; 0 = 9 (CONFIG_HUGETLB_PAGE); 10 = MAX_ORDER - 1 without */
	/*
	 * Overrides, applied verbatim after boot and after the sysctl writes above (a capture's
	 * zoneinfo replayed as it was, or a what-if): each zone's watermarks and its pcp high and
	 * batch on every CPU.  0 = as computed (setup_per_zone_wmarks, zone_set_pageset_high_and_batch).
	 */
	uint64_t wmark_min[SIM_MAX_NODES][4], wmark_low[SIM_MAX_NODES][4], wmark_high[SIM_MAX_NODES][4];
	uint32_t pcp_high[SIM_MAX_NODES][4], pcp_batch[SIM_MAX_NODES][4];
};

/*
 * The machine's boot, in start_kernel's order (init.c): buddy_init builds nodes, zones and
 * zonelists and frees the memory, every zone on the boot pagesets (where kmem_cache_init
 * runs); buddy_init_late sets up the pagesets, stat thresholds and watermarks
 * (setup_per_cpu_pageset and the initcalls); buddy_init_sysctl writes the configuration's
 * sysctls and overrides.  Only buddy_init fails (SIM_EBADINPUT, having said why).
 */
int buddy_init(const struct buddy_config *cfg);
void buddy_init_late(const struct buddy_config *cfg);
void buddy_init_sysctl(const struct buddy_config *cfg);
void buddy_exit(void);

/* kernel: alloc_pages_node, include/linux/gfp.h; nid a node of the machine or NUMA_NO_NODE */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order);
/* kernel: alloc_pages (the local node) */
struct page *alloc_pages(gfp_t gfp, unsigned int order);
/* kernel: __free_pages */
void __free_pages(struct page *page, unsigned int order);

/*
 * The zones of nid's zonelist that an allocation with `gfp` may use, in
 * order (node_zonelist + for_each_zone_zonelist up to gfp_zone): the node
 * and zone index of each.  Returns how many (at most max).  No yield.
 */
int buddy_zonelist_zones(int nid, gfp_t gfp, int *nodes, int *zids, int max);

/* State queries for reports, tests and invariant checks (no yield). */
int buddy_nr_nodes(void);
bool buddy_zone_populated(int nid, int zid);
const char *buddy_zone_name(int zid);			/* "DMA", "DMA32", "Normal", "Movable" */
uint64_t buddy_zone_nr_free(int nid, int zid, int order); /* free_area[order].nr_free */
uint64_t buddy_zone_nr_free_mt(int nid, int zid, int order, int mt); /* blocks on free_list[mt] */
uint64_t buddy_zone_free_pages(int nid, int zid);	/* NR_FREE_PAGES */

/*
 * What /proc/zoneinfo prints for a zone.  The wmark_* values include the
 * boost, as zoneinfo's min/low/high do (min_wmark_pages).  The kernel
 * prints a fifth "protection" entry for ZONE_DEVICE: it equals
 * lowmem_reserve[ZONE_MOVABLE] (no device memory).
 */
struct buddy_zone_info {
	uint64_t zone_start_pfn, spanned, present, managed;
	uint64_t wmark_min, wmark_low, wmark_high, wmark_promo;
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	uint64_t free_pages;
	uint64_t watermark_boost;		/* zoneinfo "boost" */
	uint64_t nr_reserved_highatomic;	/* pages in HIGHATOMIC pageblocks */
	uint64_t numa_hit, numa_miss, numa_foreign, numa_interleave, numa_local, numa_other;
	uint64_t pgalloc, pgfree;		/* pages allocated from / freed to this zone */
	uint64_t nr_bad_pages;			/* frees refused (double free, PG_slab still set) */
};
void buddy_zone_info(int nid, int zid, struct buddy_zone_info *out);
struct buddy_pcp_info {
	int count, high, batch;
	int stat_threshold;			/* zoneinfo "vm stats threshold" */
};
void buddy_pcp_info(int nid, int zid, int cpu, struct buddy_pcp_info *out);
const char *buddy_migratetype_name(int mt);		/* "Unmovable", ..., as pagetypeinfo */
uint64_t buddy_zone_nr_pageblocks_mt(int nid, int zid, int mt); /* pageblocks of type mt */
int buddy_min_free_kbytes(void);			/* vm.min_free_kbytes in force */
uint64_t buddy_host_bytes(void);			/* host memory of pages and pageblock types */

/*
 * Page migration (compaction.c): the model cannot move a page without its owner, who
 * holds the page's address.  A run that can update its references registers a hook;
 * compaction migrates an allocated order-0 MIGRATE_MOVABLE page only when the hook
 * returns true for it (the owner now holds `newpage`).  No hook: nothing migrates.
 */
typedef bool buddy_migrate_fn(struct page *page, struct page *newpage, void *arg);
void buddy_set_migrate_hook(buddy_migrate_fn *fn, void *arg);

/* kernel: drain_all_pages(NULL) -- every CPU's pcp lists back to the zones */
void drain_all_pages(void);

/* Every page free in one place or allocated once; counters agree with lists.
 * Returns true when consistent; otherwise writes one line per problem to `why`. */
bool buddy_check(FILE *why);

#endif
