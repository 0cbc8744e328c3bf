/*
 * test_buddy_version_pins.c - decisions of the buddy model's per-version
 * functions (models/buddy/6.1, models/buddy/6.12), suite `buddy_version_pins`,
 * one rule at a time and on both versions where both have it: the unusable
 * free pages of the watermark check; the pcp's limits (nr_pcp_high under
 * reclaim, free_high, nr_pcp_free, nr_pcp_alloc's scaling, ZONE_BELOW_HIGH)
 * and its drains (which list first, what each charges); merging across
 * pageblocks by type; the highatomic reserve (its limit, who may use it, which
 * block goes back and how many pages); pgfree; the sizes a zone records.
 *
 * Strategy: small machines (one node, one vCPU) on the version under test,
 * the pcp or zone fields a rule reads set directly, then the kernel function
 * called through the free/allocation path or the version table (KOPS), and
 * the counts, types and lists it leaves asserted.  Each expected value is
 * worked out in the comment from mm/page_alloc.c of the version named.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define GFP_MOVABLE_KERNEL (GFP_KERNEL | __GFP_MOVABLE)

static struct sim_scenario *sc;
static struct page *owned[16384 + 4096];

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static struct zone *dma32(void)
{
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

/* the first page of DMA32's pageblock k */
static struct page *block_page(unsigned long k)
{
	return pfn_to_page(dma32()->zone_start_pfn + k * pageblock_nr_pages);
}

/* One node, one vCPU, DMA32 of `mib` MiB, pageblock_order 9 (the default), kernel v. */
static void up_one(enum kernel_version v, uint64_t mib)
{
	uint64_t zones[1][4] = { { 0, mib, 0, 0 } };
	int c[1] = { 1 };

	kernel_version = v;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/* One node, DMA32 of `mib` MiB, pageblock_order 10 (helper_buddy_crafted_up), kernel v. */
static void up_crafted(enum kernel_version v, uint64_t mib)
{
	uint64_t zones[1][4] = { { 0, mib, 0, 0 } };

	sc = helper_buddy_crafted_up(v, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(u64, pageblock_nr_pages, 1024));
}

/* ------------------------------------------------ watermark: unusable free */

/*
 * __zone_watermark_unusable_free (6.1 and 6.12 mm/page_alloc.c): (1 << order) - 1 pages can
 * never serve an order-`order` request, and without ALLOC_RESERVES the highatomic pages do not
 * count either (6.1: nr_reserved_highatomic, the whole reserve; 6.12: nr_free_highatomic, its
 * free pages).  __zone_watermark_ok then fails when free - unusable <= min + lowmem_reserve:
 * the zone's own lowmem_reserve is 0, so with min 100 and order 3 (unusable 7) 108 free pages
 * pass and 107 fail.
 */
static void unusable_free(enum kernel_version v)
{
	struct zone *z;
	static const unsigned int flags[] = { 0, ALLOC_HIGHATOMIC, ALLOC_OOM, ALLOC_MIN_RESERVE, ALLOC_NON_BLOCK };

	up_crafted(v, 64);
	z = dma32();
	for (unsigned int order = 0; order <= 4; order++)
		for (unsigned int f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			cr_expect(eq(long, KOPS(buddy)->__zone_watermark_unusable_free(z, order, flags[f]),
				     (1L << order) - 1), "order %u flags %#x", order, flags[f]);

	/* a fresh zone has free order-10 blocks, so the high-order part passes */
	cr_expect(__zone_watermark_ok(z, 3, 100, ZONE_DMA32, 0, 108));
	cr_expect(not(__zone_watermark_ok(z, 3, 100, ZONE_DMA32, 0, 107)));
	cr_expect(__zone_watermark_ok(z, 0, 100, ZONE_DMA32, 0, 101));
	cr_expect(not(__zone_watermark_ok(z, 0, 100, ZONE_DMA32, 0, 100)));

	/* 50 highatomic pages: unusable without reserve rights only */
	if (v == KERNEL_6_1)
		z->nr_reserved_highatomic = 50;
	else
		z->nr_free_highatomic = 50;
	cr_expect(eq(long, KOPS(buddy)->__zone_watermark_unusable_free(z, 3, 0), 57));
	cr_expect(eq(long, KOPS(buddy)->__zone_watermark_unusable_free(z, 3, ALLOC_HIGHATOMIC), 7));
	cr_expect(eq(long, KOPS(buddy)->__zone_watermark_unusable_free(z, 0, ALLOC_OOM), 0));
	cr_expect(not(__zone_watermark_ok(z, 3, 100, ZONE_DMA32, 0, 157)));
	cr_expect(__zone_watermark_ok(z, 3, 100, ZONE_DMA32, 0, 158));
	cr_expect(__zone_watermark_ok(z, 3, 100, ZONE_DMA32, ALLOC_HIGHATOMIC, 108));
	z->nr_reserved_highatomic = 0;
	z->nr_free_highatomic = 0;
}

Test(buddy_version_pins, unusable_free_6_1, .fini = down)
{
	unusable_free(KERNEL_6_1);
}

Test(buddy_version_pins, unusable_free_6_12, .fini = down)
{
	unusable_free(KERNEL_6_12);
}

/*
 * __setup_per_zone_wmarks (6.12 mm/page_alloc.c): ZONE_MOVABLE's min is
 * clamp(managed / 1024, SWAP_CLUSTER_MAX, 128), whatever its share of min_free_kbytes.
 */
Test(buddy_version_pins, movable_min_clamped_to_32_and_128_6_12, .fini = down)
{
	static const struct { unsigned long kib; unsigned long min; } w[] = {
		{ 31, 32 }, { 32, 32 }, { 33, 33 }, { 127, 127 }, { 128, 128 }, { 129, 128 }, { 130, 128 }, { 500, 128 },
	};
	uint64_t zones[1][4] = { { 0, 64, 0, 64 } };
	struct zone *mz;

	sc = helper_buddy_crafted_up(KERNEL_6_12, 1, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	mz = &NODE_DATA(0)->node_zones[ZONE_MOVABLE];
	for (unsigned int i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		/* managed / 1024 == kib, and a remainder that the division drops */
		mz->managed_pages = w[i].kib * 1024 + 1023;
		KOPS(buddy)->__setup_per_zone_wmarks();
		cr_expect(eq(u64, min_wmark_pages(mz), w[i].min), "managed / 1024 = %lu", w[i].kib);
	}
}

/* ------------------------------------------------ pageset sizes kept by the zone */

/*
 * zone_set_pageset_high_and_batch (6.1 and 6.12 mm/page_alloc.c) records the sizes it gives
 * every CPU in the zone (pageset_high / pageset_high_min, pageset_high_max, pageset_batch);
 * the model's zone_pageset_override (a scenario's pcp high or batch, 0 = keep) applies the
 * recorded ones it does not replace.  One vCPU, low watermark set to 4000: the high (6.1) or
 * high_min (6.12) becomes low / 1 CPU = 4000; then a batch of 7 alone keeps it, and a high
 * of 50 alone keeps the batch 7.
 */
static int pcp_high_or_min(const struct per_cpu_pages *pcp, enum kernel_version v)
{
	return v == KERNEL_6_1 ? pcp->high : pcp->high_min;
}

static void pageset_sizes_kept(enum kernel_version v)
{
	struct per_cpu_pages *pcp;
	struct zone *z;
	int high_max;

	up_one(v, 64);
	z = dma32();
	pcp = &z->per_cpu_pageset[0];
	z->_watermark[WMARK_LOW] = 4000;
	z->watermark_boost = 0;
	zone_pcp_update(z, 0);
	cr_assert(eq(int, pcp_high_or_min(pcp, v), 4000));
	cr_assert(eq(int, pcp->batch, 3));
	high_max = pcp->high_max;

	KOPS(buddy)->zone_pageset_override(z, 0, 7);
	cr_expect(eq(int, pcp_high_or_min(pcp, v), 4000));
	if (v == KERNEL_6_12)
		cr_expect(eq(int, pcp->high_max, high_max));
	cr_expect(eq(int, pcp->batch, 7));

	KOPS(buddy)->zone_pageset_override(z, 50, 0);
	cr_expect(eq(int, pcp_high_or_min(pcp, v), 50));
	if (v == KERNEL_6_12)
		cr_expect(eq(int, pcp->high_max, 50), "a given high pins high_min = high_max");
	cr_expect(eq(int, pcp->batch, 7));

	/* 1 GiB managed: zone_batchsize min(256, 256) / 4 = 64 -> 63, recorded with the new high */
	z->managed_pages = 262144;
	z->_watermark[WMARK_LOW] = 5000;
	zone_pcp_update(z, 0);
	cr_assert(eq(int, pcp->batch, 63));
	cr_assert(eq(int, pcp_high_or_min(pcp, v), 5000));
	KOPS(buddy)->zone_pageset_override(z, 60, 0);
	cr_expect(eq(int, pcp->batch, 63), "the recorded batch kept");
	cr_expect(eq(int, pcp_high_or_min(pcp, v), 60));
}

Test(buddy_version_pins, pageset_sizes_kept_6_1, .fini = down)
{
	pageset_sizes_kept(KERNEL_6_1);
}

Test(buddy_version_pins, pageset_sizes_kept_6_12, .fini = down)
{
	pageset_sizes_kept(KERNEL_6_12);
}

/* ------------------------------------------------ 6.1: pcp high under reclaim */

/*
 * Frees of single pages to an empty pcp list of DMA32 on vCPU 0: the count after which the
 * first drain happens (free_unref_page_commit drains once pcp->count >= nr_pcp_high).
 */
static int first_drain_at(struct page **pages, int n)
{
	struct per_cpu_pages *pcp = &dma32()->per_cpu_pageset[0];

	drain_all_pages();
	cr_assert(eq(int, pcp->count, 0));
	for (int i = 0; i < n; i++) {
		helper_buddy_free(0, pages[i], 0, NULL);
		pages[i] = NULL;
		if (pcp->count != i + 1)
			return i + 1;
	}
	return -1;
}

static void alloc_n(struct page **pages, int n)
{
	for (int i = 0; i < n; i++) {
		pages[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)pages[i], NULL));
	}
}

static void free_rest(struct page **pages, int n)
{
	for (int i = 0; i < n; i++)
		if (pages[i])
			helper_buddy_free(0, pages[i], 0, NULL);
}

/*
 * nr_pcp_high (6.1 mm/page_alloc.c): pcp->high, or while kswapd reclaims the zone
 * (ZONE_RECLAIM_ACTIVE) min(pcp->batch << 2, pcp->high).  64 MiB, one vCPU: batch 3, so
 * batch << 2 = 12: high 20 drains at 20, or at 12 under reclaim; high 10 at 10 either way.
 */
Test(buddy_version_pins, pcp_high_under_reclaim_6_1, .fini = down)
{
	struct page *pages[40];
	struct per_cpu_pages *pcp;
	static const struct { int high; bool reclaim; int at; } w[] = {
		{ 20, false, 20 }, { 20, true, 12 }, { 10, true, 10 }, { 12, true, 12 }, { 13, true, 12 },
	};

	up_one(KERNEL_6_1, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	for (unsigned int k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
		alloc_n(pages, 40);
		pcp->high = w[k].high;
		pcp->free_factor = 0;
		if (w[k].reclaim)
			set_bit_zone(ZONE_RECLAIM_ACTIVE, dma32());
		else
			clear_bit_zone(ZONE_RECLAIM_ACTIVE, dma32());
		cr_expect(eq(int, first_drain_at(pages, 40), w[k].at), "high %d reclaim %d", w[k].high,
			  w[k].reclaim);
		clear_bit_zone(ZONE_RECLAIM_ACTIVE, dma32());
		free_rest(pages, 40);
	}
	cr_assert(buddy_check(stderr));
}

/*
 * nr_pcp_high (6.12 mm/page_alloc.c) while the zone is reclaimed: each free first lowers
 * pcp->high by max(free_count, batch), not below high_min, and the pcp may then hold
 * min(batch << 2, pcp->high) pages.  64 MiB, one vCPU: batch 3, so batch << 2 = 12.
 *   high 50, high_min 10: the i-th free (free_count i) lowers high by max(i, 3):
 *     47 44 41 37 32 26 19 11 10 10; free 10: count 10 >= min(12, 10): drain
 *     clamp(free_count 10, batch 3, high - batch 7) = 7 pages, count 3.
 *   high 200, high_min 100: 197 194 191 187 182 176 169 161 152 142 131 119; the limit
 *     min(12, high) is 12 throughout: free 12 drains clamp(free_count 12, 3, 12 - 3) = 9
 *     pages (nr_pcp_free gets the limit nr_pcp_high returned), count 3.
 *   high 30, high_min 20: 27 24 21 20 20 ...; the limit min(12, 20) is 12: free 12 drains 9.
 */
static void pcp_high_under_reclaim_6_12(int high, int high_min, const int *want_high, int n,
					int drain_at, int count_after)
{
	struct page *pages[40];
	struct per_cpu_pages *pcp;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	alloc_n(pages, 40);
	drain_all_pages();
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	pcp->flags = 0;
	pcp->high_min = high_min;
	pcp->high_max = 400;
	pcp->high = high;
	set_bit_zone(ZONE_RECLAIM_ACTIVE, dma32());
	for (int i = 0; i < n; i++) {
		helper_buddy_free(0, pages[i], 0, NULL);
		pages[i] = NULL;
		cr_expect(eq(int, pcp->high, want_high[i]), "free %d", i + 1);
		cr_expect(eq(int, pcp->count, i + 1 < drain_at ? i + 1 : count_after), "free %d", i + 1);
	}
	clear_bit_zone(ZONE_RECLAIM_ACTIVE, dma32());
	free_rest(pages, 40);
}

Test(buddy_version_pins, pcp_high_under_reclaim_shrinks_to_high_min_6_12, .fini = down)
{
	static const int want[10] = { 47, 44, 41, 37, 32, 26, 19, 11, 10, 10 };

	pcp_high_under_reclaim_6_12(50, 10, want, 10, 10, 3);
}

Test(buddy_version_pins, pcp_high_under_reclaim_holds_four_batches_of_a_small_high_6_12, .fini = down)
{
	static const int want[12] = { 27, 24, 21, 20, 20, 20, 20, 20, 20, 20, 20, 20 };

	pcp_high_under_reclaim_6_12(30, 20, want, 12, 12, 3);
}

Test(buddy_version_pins, pcp_high_under_reclaim_holds_four_batches_6_12, .fini = down)
{
	static const int want[12] = { 197, 194, 191, 187, 182, 176, 169, 161, 152, 142, 131, 119 };

	pcp_high_under_reclaim_6_12(200, 100, want, 12, 12, 3);
}

/*
 * nr_pcp_alloc (6.12 mm/page_alloc.c): an order-0 refill takes base_batch << alloc_factor
 * pages (at most high - count - base_batch), and alloc_factor grows after each refill up to
 * CONFIG_PCP_BATCH_SCALE_MAX (5).  Batch 3, high pinned at 4000 (high_min == high_max):
 * refills of 3, 6, 12, 24, 48, 96 and then 96 again: 189 pages, then the 190th allocation
 * refills 96 and leaves 95.
 */
Test(buddy_version_pins, refill_doubles_up_to_the_scale_max_6_12, .fini = down)
{
	static const int refill[7] = { 3, 6, 12, 24, 48, 96, 96 };
	struct page *pages[190];
	struct per_cpu_pages *pcp;
	int n = 0;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	drain_all_pages();
	pcp->high_min = pcp->high_max = pcp->high = 4000;
	pcp->alloc_factor = 0;
	for (int r = 0; r < 7; r++) {
		pages[n] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)pages[n], NULL));
		n++;
		cr_expect(eq(int, pcp->count, refill[r] - 1), "refill %d", r);
		cr_expect(eq(int, pcp->alloc_factor, r + 1 < CONFIG_PCP_BATCH_SCALE_MAX ? r + 1 : CONFIG_PCP_BATCH_SCALE_MAX),
			  "refill %d", r);
		while (pcp->count > 0 && n < 190) {
			pages[n] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
			cr_assert(ne(ptr, (void *)pages[n], NULL));
			n++;
		}
	}
	cr_expect(eq(int, n, 190));
	cr_expect(eq(int, pcp->count, 95));
	for (int i = 0; i < n; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
}

/*
 * nr_pcp_alloc (6.12): alloc_factor grows when the batch fits in max_nr_alloc
 * (batch <= max_nr_alloc).  High pinned at 6, batch 3, an empty pcp: max_nr_alloc =
 * max(6 - 0 - 3, 3) = 3 = batch, so the refill of 3 still raises alloc_factor to 1.
 */
Test(buddy_version_pins, refill_that_just_fits_still_doubles_6_12, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct page *page;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	drain_all_pages();
	pcp->high_min = pcp->high_max = pcp->high = 6;
	pcp->alloc_factor = 0;
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(int, pcp->count, 2));
	cr_expect(eq(int, pcp->alloc_factor, 1));
	helper_buddy_free(0, page, 0, NULL);
}

/*
 * nr_pcp_alloc (6.12): and it stays when the batch does not fit ("if (batch <= max_nr_alloc &&
 * pcp->alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX) pcp->alloc_factor++").  High pinned at 6,
 * batch 3, alloc_factor 1, an empty pcp: batch 3 << 1 = 6 > max_nr_alloc 3, so the refill
 * takes min(6, 3) = 3 and alloc_factor stays 1.
 */
Test(buddy_version_pins, refill_that_does_not_fit_keeps_the_factor_6_12, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct page *page;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	drain_all_pages();
	pcp->high_min = pcp->high_max = pcp->high = 6;
	pcp->alloc_factor = 1;
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(int, pcp->count, 2));
	cr_expect(eq(int, pcp->alloc_factor, 1));
	helper_buddy_free(0, page, 0, NULL);
}

/*
 * ZONE_BELOW_HIGH (6.12 mm/page_alloc.c): get_page_from_freelist, finding a zone that fails
 * its high watermark (and the flag not yet set), sets the flag and goes on to the
 * allocation's own watermark; once set, the high check is skipped.  free_unref_page_commit
 * clears it after a drain when the zone passes its high watermark again
 * (zone_watermark_ok at ZONE_MOVABLE), and not before.
 */
Test(buddy_version_pins, below_high_set_by_allocation_cleared_by_a_drain_6_12, .fini = down)
{
	struct page *pages[8], *page;
	struct per_cpu_pages *pcp;
	struct sim_op op;
	unsigned long high;
	struct zone *z;

	up_one(KERNEL_6_12, 64);
	z = dma32();
	pcp = &z->per_cpu_pageset[0];
	high = z->_watermark[WMARK_HIGH];
	cr_assert(lt(u64, high + 1024, buddy_zone_free_pages(0, ZONE_DMA32)));

	/* above the high watermark: nothing noted */
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(not(test_bit_zone(ZONE_BELOW_HIGH, z)));
	cr_expect(not(helper_slab_op_has_label(&op, "get_page_from_freelist:below_high")));
	helper_buddy_free(0, page, 4, NULL);

	/* below it (but above min): noted once, and the page is still given */
	z->_watermark[WMARK_HIGH] = buddy_zone_free_pages(0, ZONE_DMA32) + 4096;
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(test_bit_zone(ZONE_BELOW_HIGH, z));
	cr_expect(helper_slab_op_has_label(&op, "get_page_from_freelist:below_high"));
	helper_buddy_free(0, page, 4, NULL);
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(not(helper_slab_op_has_label(&op, "get_page_from_freelist:below_high")), "flag set: not checked");
	helper_buddy_free(0, page, 4, NULL);

	/* drains: the flag stays while the zone is below high, and is cleared above it */
	alloc_n(pages, 8);
	drain_all_pages();
	pcp->high_min = pcp->high_max = pcp->high = 4;
	pcp->free_count = 0;
	for (int i = 0; i < 4; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_expect(lt(int, pcp->count, 4), "drained");
	cr_expect(test_bit_zone(ZONE_BELOW_HIGH, z), "still below high");
	z->_watermark[WMARK_HIGH] = high;
	for (int i = 4; i < 8; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_expect(not(test_bit_zone(ZONE_BELOW_HIGH, z)), "cleared by the drain above high");
}

/*
 * free_high (6.12 free_unref_page_commit): for 0 < order <= PAGE_ALLOC_COSTLY_ORDER,
 * free_count >= batch && PCPF_PREV_FREE_HIGH_ORDER && (!PCPF_FREE_HIGH_BATCH || count >= batch)
 * (the model never sets PCPF_FREE_HIGH_BATCH: no cache topology); an order-0 free clears the
 * flag.  Then nr_pcp_high lowers high by batch << 5 (96), not below high_min, and returns 0,
 * and nr_pcp_free flushes min(count, 96).  Batch 3, high 500, high_min 10:
 *   order 0: count 1 (free_count 1);   order 1: free_count 1 < 3, no; count 3, flag set;
 *   order 1: free_count 3: flush 5, high 404;   order 1: count 2 < batch, flushed all the same: 308;
 *   order 0: flag cleared, count 1;   order 1: no flag, count 3;   order 3: flush 11, high 212.
 */
Test(buddy_version_pins, free_high_decision_table_6_12, .fini = down)
{
	static const struct { int k; unsigned int order; int count, high; } step[] = {
		{ 0, 0, 1, 500 }, { 2, 1, 3, 500 }, { 3, 1, 0, 404 }, { 4, 1, 0, 308 },
		{ 1, 0, 1, 308 }, { 5, 1, 3, 308 }, { 6, 3, 0, 212 },
	};
	struct page *pages[7];
	struct per_cpu_pages *pcp;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	for (unsigned int i = 0; i < 7; i++) {
		pages[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, i < 2 ? 0 : i < 6 ? 1 : 3, NULL);
		cr_assert(ne(ptr, (void *)pages[i], NULL));
	}
	drain_all_pages();
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	pcp->flags = 0;
	pcp->high_min = 10;
	pcp->high_max = 1000;
	pcp->high = 500;
	for (unsigned int i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		helper_buddy_free(0, pages[step[i].k], step[i].order, NULL);
		cr_expect(eq(int, pcp->count, step[i].count), "step %u", i);
		cr_expect(eq(int, pcp->high, step[i].high), "step %u", i);
	}
}

/*
 * rmqueue_pcplist: an allocation halves the drain scaling frees built up -- 6.12's
 * free_count >>= 1, 6.1's free_factor >>= 1 -- and the pcp count drops by the page's
 * 1 << order (an order-2 refill: max(batch 3 >> 2, 2) = 2 pages of 4: count 8, then 4).
 */
static void allocation_halves_the_free_scaling(enum kernel_version v)
{
	struct per_cpu_pages *pcp;
	struct page *page[3];

	up_one(v, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	drain_all_pages();
	if (v == KERNEL_6_1)
		pcp->free_factor = 5;
	else
		pcp->free_count = 40;
	page[0] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 2, NULL);
	cr_assert(ne(ptr, (void *)page[0], NULL));
	cr_expect(eq(int, pcp->count, 4));
	cr_expect(eq(int, v == KERNEL_6_1 ? pcp->free_factor : pcp->free_count, v == KERNEL_6_1 ? 2 : 20));
	page[1] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 2, NULL);
	cr_assert(ne(ptr, (void *)page[1], NULL));
	cr_expect(eq(int, pcp->count, 0));
	cr_expect(eq(int, v == KERNEL_6_1 ? pcp->free_factor : pcp->free_count, v == KERNEL_6_1 ? 1 : 10));
	page[2] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page[2], NULL));
	cr_expect(eq(int, v == KERNEL_6_1 ? pcp->free_factor : pcp->free_count, v == KERNEL_6_1 ? 0 : 5));
	for (int i = 0; i < 3; i++)
		helper_buddy_free(0, page[i], i < 2 ? 2 : 0, NULL);
}

Test(buddy_version_pins, allocation_halves_the_free_scaling_6_1, .fini = down)
{
	allocation_halves_the_free_scaling(KERNEL_6_1);
}

Test(buddy_version_pins, allocation_halves_the_free_scaling_6_12, .fini = down)
{
	allocation_halves_the_free_scaling(KERNEL_6_12);
}

/*
 * nr_pcp_free (6.12 mm/page_alloc.c): high < batch frees 1; else
 * clamp(free_count, batch, high - batch), where the kernel's clamp tests the upper bound
 * first (__clamp: val >= hi ? hi : val <= lo ? lo : val), so high - batch wins when it is
 * below batch.  High pinned (high_min == high_max), batch 3:
 *   high 2: every free past one drains 1: the pcp holds 1;
 *   high 3: clamp(free_count, 3, 0) = 0: nothing drained, the pcp grows;
 *   high 5, free_count 3 at the drain: clamp(3, 3, 2) = 2: count 5 - 2 = 3;
 *   high 5, free_count 2 at the drain: clamp(2, 3, 2) = 2 as well (a lower bound tested
 *   first would give 3): count 3.
 */
static int count_after_frees_6_12(int high, int n, int reset_after)
{
	struct per_cpu_pages *pcp;
	struct page *pages[8];
	int count;

	up_one(KERNEL_6_12, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	alloc_n(pages, n);
	drain_all_pages();
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	pcp->flags = 0;
	pcp->high_min = pcp->high_max = pcp->high = high;
	for (int i = 0; i < n; i++) {
		helper_buddy_free(0, pages[i], 0, NULL);
		if (i + 1 == reset_after)
			pcp->free_count = 0;
	}
	count = pcp->count;
	helper_buddy_machine_down(sc);
	sc = NULL;
	return count;
}

Test(buddy_version_pins, drain_size_below_and_at_batch_6_12, .fini = down)
{
	cr_expect(eq(int, count_after_frees_6_12(2, 4, 0), 1), "high 2 < batch: one at a time");
	cr_expect(eq(int, count_after_frees_6_12(3, 5, 0), 5), "high == batch: nothing drained");
	cr_expect(eq(int, count_after_frees_6_12(5, 5, 2), 3), "high - batch below batch: it wins");
	/* free_count 2 at the drain, between high - batch and batch: clamp(2, 3, 2) = 2, not 3 */
	cr_expect(eq(int, count_after_frees_6_12(5, 5, 3), 3), "free_count at high - batch: high - batch");
}

/* ------------------------------------------------ the drain order */

/*
 * free_pcppages_bulk (6.1 and 6.12 mm/page_alloc.c): "Ensure requested pindex is drained
 * first" -- pindex - 1, then the round robin's ++pindex lands on the list passed.  Two
 * order-0 lists hold pages (an UNMOVABLE and a MOVABLE refill); a drain of one page from
 * either list's pindex takes it from that list, not the other; one from the last list's
 * pindex wraps round to list 0 (++pindex > NR_PCP_LISTS - 1: pindex = 0).  A drain of two
 * from a list of two empties it before it moves on.
 */
static int list_len(const struct page_list *l)
{
	int n = 0;

	for (struct page *page = page_list_first(l); page; page = page_list_next(page))
		n++;
	return n;
}

static void drain_starts_at_the_list_given(enum kernel_version v)
{
	static const int mts[2] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE };
	struct per_cpu_pages *pcp;
	struct page *p[2][4];

	up_one(v, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 4; i++) {
			p[k][i] = helper_buddy_alloc(0, 0, k ? GFP_MOVABLE_KERNEL : GFP_KERNEL, 0, NULL);
			cr_assert(ne(ptr, (void *)p[k][i], NULL));
		}
	/* empty lists, then four pages freed to each (far below high: no drain) */
	drain_all_pages();
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 4; i++)
			helper_buddy_free(0, p[k][i], 0, NULL);
	cr_assert(eq(int, pcp->count, 8));
	for (int k = 0; k < 2; k++) {
		unsigned int pi = order_to_pindex(mts[k], 0), other = order_to_pindex(mts[1 - k], 0);
		int n = list_len(&pcp->lists[pi]), n_other = list_len(&pcp->lists[other]);

		cr_assert(eq(int, n, 4), "mt %d", mts[k]);
		cr_assert(eq(int, n_other, k ? 3 : 4), "mt %d", mts[1 - k]);
		spin_lock(&pcp->lock);
		KOPS(buddy)->free_pcppages_bulk(dma32(), 1, pcp, (int)pi);
		spin_unlock(&pcp->lock);
		cr_expect(eq(int, list_len(&pcp->lists[pi]), n - 1), "mt %d", mts[k]);
		cr_expect(eq(int, list_len(&pcp->lists[other]), n_other), "mt %d", mts[k]);
	}
	/* from the last list (empty: the THP list) the round robin wraps to list 0 */
	spin_lock(&pcp->lock);
	KOPS(buddy)->free_pcppages_bulk(dma32(), 1, pcp, NR_PCP_LISTS - 1);
	spin_unlock(&pcp->lock);
	cr_expect(eq(int, list_len(&pcp->lists[order_to_pindex(MIGRATE_UNMOVABLE, 0)]), 2));
	cr_expect(eq(int, list_len(&pcp->lists[order_to_pindex(MIGRATE_MOVABLE, 0)]), 3));
	/* a list is emptied before the next ("while (count > 0 && !list_empty(list))"): two pages
	 * from the UNMOVABLE list both come off it, down to its last page */
	spin_lock(&pcp->lock);
	KOPS(buddy)->free_pcppages_bulk(dma32(), 2, pcp, (int)order_to_pindex(MIGRATE_UNMOVABLE, 0));
	spin_unlock(&pcp->lock);
	cr_expect(eq(int, list_len(&pcp->lists[order_to_pindex(MIGRATE_UNMOVABLE, 0)]), 0));
	cr_expect(eq(int, list_len(&pcp->lists[order_to_pindex(MIGRATE_MOVABLE, 0)]), 3));
	cr_expect(eq(int, pcp->count, 3));
}

Test(buddy_version_pins, drain_starts_at_the_list_given_6_1, .fini = down)
{
	drain_starts_at_the_list_given(KERNEL_6_1);
}

Test(buddy_version_pins, drain_starts_at_the_list_given_6_12, .fini = down)
{
	drain_starts_at_the_list_given(KERNEL_6_12);
}

/*
 * Model only (free_pcppages_bulk, both versions): pages left to free with every pcp list
 * empty -- the kernel would spin with IRQs off; the model records a BUG, labels the path
 * and returns.  Reached here by a pcp->count that says 3 with empty lists.
 */
static void drain_with_every_list_empty(enum kernel_version v)
{
	struct per_cpu_pages *pcp;
	struct sim_op op;
	FILE *null;

	up_one(v, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	drain_all_pages();
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(buddy_check(stderr));
	pcp->count = 3;
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	spin_lock(&pcp->lock);
	KOPS(buddy)->free_pcppages_bulk(dma32(), 3, pcp, 0);
	spin_unlock(&pcp->lock);
	sim_op_end(&op);
	cr_expect(helper_slab_op_has_label(&op, "free_pcppages_bulk:every_list_empty"));
	cr_expect(eq(int, pcp->count, 3), "nothing freed");
	null = fopen("/dev/null", "w");
	cr_assert(ne(ptr, (void *)null, NULL));
	cr_expect(not(buddy_check(null)), "the hang is reported");
	fclose(null);
	pcp->count = 0;
	buddy_bugs_reset();
}

Test(buddy_version_pins, drain_with_every_list_empty_6_1, .fini = down)
{
	drain_with_every_list_empty(KERNEL_6_1);
}

Test(buddy_version_pins, drain_with_every_list_empty_6_12, .fini = down)
{
	drain_with_every_list_empty(KERNEL_6_12);
}

/* ------------------------------------------------ page operations charged */

/*
 * The model charges SIM_COST_PAGE_OP once per zone->lock section of the kernel's free and
 * allocation paths: __free_pages_ok / free_one_page (one __free_one_page), rmqueue_buddy (one
 * block off the lists), move_freepages_block (one block's walk), and once per page
 * free_pcppages_bulk gives back.  Counted by making that cost 2^31 ns: every other cost of a
 * path is far smaller, so the clock's advance >> 31 is the number of page operations.
 */
#define PAGE_OP_NS (1u << 31)

static uint64_t page_ops_since(uint64_t t0)
{
	return (sim_now() - t0) >> 31;
}

static void page_ops_charged(enum kernel_version v)
{
	struct per_cpu_pages *pcp;
	struct page *page, *p[4];
	uint64_t t0;

	up_one(v, 64);
	sim_engine_set_cpu(0);
	sim->cost[SIM_COST_PAGE_OP] = PAGE_OP_NS;

	/* order 4: rmqueue_buddy, then __free_pages_ok (6.1) / free_one_page (6.12) */
	t0 = sim_now();
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_expect(eq(u64, page_ops_since(t0), 1), "order-4 allocation");
	t0 = sim_now();
	helper_buddy_free(0, page, 4, NULL);
	cr_expect(eq(u64, page_ops_since(t0), 1), "order-4 free");

	/* a drain of four pages: one each */
	for (int i = 0; i < 4; i++) {
		p[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
		cr_assert(ne(ptr, (void *)p[i], NULL));
	}
	drain_all_pages();
	for (int i = 0; i < 4; i++)
		helper_buddy_free(0, p[i], 0, NULL);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->count, 4));
	t0 = sim_now();
	drain_all_pages();
	cr_expect(eq(u64, page_ops_since(t0), 4), "drain of 4 pages");

	/* a free that finds this CPU's pcp locked goes to free_one_page: one */
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	pcp = pcp_spin_trylock(dma32());
	cr_assert(ne(ptr, (void *)pcp, NULL));
	t0 = sim_now();
	helper_buddy_free(0, page, 0, NULL);
	cr_expect(eq(u64, page_ops_since(t0), 1), "free with the pcp locked");
	pcp_spin_unlock(pcp);

	/* reserving a block moves its free pages: one walk */
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	dma32()->managed_pages <<= 4;	/* 6.12 reserves in zones of 100 blocks and more */
	t0 = sim_now();
	KOPS(buddy)->reserve_highatomic_pageblock(page, dma32(), 4);
	cr_expect(eq(u64, page_ops_since(t0), 1), "a block reserved");
	dma32()->managed_pages >>= 4;
	cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
}

Test(buddy_version_pins, page_ops_charged_6_1, .fini = down)
{
	page_ops_charged(KERNEL_6_1);
}

Test(buddy_version_pins, page_ops_charged_6_12, .fini = down)
{
	page_ops_charged(KERNEL_6_12);
}

/*
 * free_unref_page_commit (6.1 mm/page_alloc.c): free_high = free_factor && order &&
 * order <= PAGE_ALLOC_COSTLY_ORDER -- a high-order page (not THP) freed while frees run
 * without allocations makes nr_pcp_high 0 and nr_pcp_free the whole pcp->count: the pcp is
 * flushed.  Five order-0 pages on the pcp (high raised to 1000), then one page of `order`.
 */
static int count_after_free_6_1(int free_factor, unsigned int order)
{
	struct per_cpu_pages *pcp;
	struct page *pages[5], *page;
	int count;

	up_one(KERNEL_6_1, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	alloc_n(pages, 5);
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, order, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	drain_all_pages();
	pcp->high = 1000;
	for (int i = 0; i < 5; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_assert(eq(int, pcp->count, 5));
	pcp->free_factor = free_factor;
	helper_buddy_free(0, page, order, NULL);
	count = pcp->count;
	helper_buddy_machine_down(sc);
	sc = NULL;
	return count;
}

Test(buddy_version_pins, high_order_frees_in_a_row_flush_the_pcp_6_1, .fini = down)
{
	cr_expect(eq(int, count_after_free_6_1(1, 1), 0), "order 1 after frees: flushed");
	cr_expect(eq(int, count_after_free_6_1(2, 3), 0), "order 3 (PAGE_ALLOC_COSTLY_ORDER): flushed");
	cr_expect(eq(int, count_after_free_6_1(0, 1), 7), "order 1 after an allocation: kept");
	cr_expect(eq(int, count_after_free_6_1(1, 0), 6), "order 0: kept");
	cr_expect(eq(int, count_after_free_6_1(1, 9), 5 + 512), "order 9 (THP, pageblock_order): kept");
}

/*
 * Where 6.1 takes a freed page's type from its pageblock again (mm/page_alloc.c): the drain
 * (free_pcppages_bulk) uses the type cached when the page went to the pcp, and reads the
 * block's type only while the zone has isolated pageblocks (has_isolate_pageblock).  A free
 * that finds the pcp locked hands free_one_page the type read at the free itself
 * (free_unref_page: migratetype, not the pcp list's pcpmigratetype), so a HIGHATOMIC block's
 * page goes back to the HIGHATOMIC lists either way.  The page's block is made HIGHATOMIC
 * after it was allocated; where it lands shows the type used (it merges with its free
 * neighbours, so the HIGHATOMIC lists are summed over orders).
 */
static uint64_t free_highatomic_blocks(void)
{
	uint64_t n = 0;

	for (int o = 0; o < MAX_ORDER; o++)
		n += buddy_zone_nr_free_mt(0, ZONE_DMA32, o, MIGRATE_HIGHATOMIC);
	return n;
}

static uint64_t retyped_free_6_1(bool isolated, bool pcp_locked)
{
	struct per_cpu_pages *pcp = NULL;
	struct page *page;
	uint64_t n;

	up_one(KERNEL_6_1, 64);
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	drain_all_pages();
	if (pcp_locked) {
		pcp = pcp_spin_trylock(dma32());
		cr_assert(ne(ptr, (void *)pcp, NULL));
		set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
	}
	dma32()->nr_isolate_pageblock = isolated;
	helper_buddy_free(0, page, 0, NULL);
	if (pcp_locked) {
		pcp_spin_unlock(pcp);
	} else {
		/* on the pcp with MOVABLE cached; the block changes type before the drain */
		set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
		drain_all_pages();
	}
	n = free_highatomic_blocks();
	dma32()->nr_isolate_pageblock = 0;
	helper_buddy_machine_down(sc);
	sc = NULL;
	return n;
}

Test(buddy_version_pins, drain_rereads_the_type_only_with_isolated_blocks_6_1, .fini = down)
{
	cr_expect(eq(u64, retyped_free_6_1(true, false), 1));
	cr_expect(eq(u64, retyped_free_6_1(false, false), 0));
}

Test(buddy_version_pins, a_locked_pcp_frees_by_the_type_read_at_the_free_6_1, .fini = down)
{
	cr_expect(eq(u64, retyped_free_6_1(true, true), 1));
	cr_expect(eq(u64, retyped_free_6_1(false, true), 1));
}

/*
 * nr_pcp_free (6.1 mm/page_alloc.c): high < batch (boot pageset, pcp disabled) frees 1;
 * else clamp(batch << free_factor, batch, high - batch), and free_factor grows while the
 * shifted batch is below high - batch, up to CONFIG_PCP_BATCH_SCALE_MAX (5).  Batch 3:
 *   high 2: every free past one drains 1, the pcp holds 1;
 *   high 3 (== batch): clamp(3, 3, 0) = 0, nothing is drained: the pcp grows;
 *   high 51, free_factor 4: 48 is not below high - batch = 48: drain 48, free_factor stays 4;
 *   high 1000, free_factor 4: drain 48 (free_factor 5), then 96 (it stays 5).
 */
Test(buddy_version_pins, drain_size_and_scale_cap_6_1, .fini = down)
{
	static struct page *pages[1200];
	struct per_cpu_pages *pcp;
	int n = 0;

	up_one(KERNEL_6_1, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	cr_assert(eq(int, pcp->batch, 3));
	alloc_n(pages, 1200);

	drain_all_pages();
	pcp->high = 2;
	for (int i = 0; i < 4; i++)
		helper_buddy_free(0, pages[n++], 0, NULL);
	cr_expect(eq(int, pcp->count, 1), "high 2 < batch: one at a time");

	drain_all_pages();
	pcp->high = 3;
	pcp->free_factor = 0;
	for (int i = 0; i < 5; i++)
		helper_buddy_free(0, pages[n++], 0, NULL);
	cr_expect(eq(int, pcp->count, 5), "high == batch: nothing drained");

	drain_all_pages();
	pcp->high = 51;
	while (pcp->count < 50)
		helper_buddy_free(0, pages[n++], 0, NULL);
	pcp->free_factor = 4;
	helper_buddy_free(0, pages[n++], 0, NULL);
	cr_expect(eq(int, pcp->count, 51 - 48), "3 << 4 = 48 = high - batch");
	cr_expect(eq(int, pcp->free_factor, 4), "not below high - batch: no growth");

	drain_all_pages();
	pcp->high = 1000;
	while (pcp->count < 999)
		helper_buddy_free(0, pages[n++], 0, NULL);
	pcp->free_factor = 4;
	helper_buddy_free(0, pages[n++], 0, NULL);
	cr_expect(eq(int, pcp->count, 1000 - 48));
	cr_expect(eq(int, pcp->free_factor, 5));
	while (pcp->count < 999)
		helper_buddy_free(0, pages[n++], 0, NULL);
	helper_buddy_free(0, pages[n++], 0, NULL);
	cr_expect(eq(int, pcp->count, 1000 - 96));
	cr_expect(eq(int, pcp->free_factor, 5));
	cr_assert(lt(int, n, 1200));
	while (n < 1200)
		helper_buddy_free(0, pages[n++], 0, NULL);
}

/*
 * The last pcp list holds the pageblock-order (THP) pages (6.1: pcp_allowed_order takes
 * pageblock_order; 6.12: HPAGE_PMD_ORDER, 9 here as well): a drain reaches it, so an order-9
 * page freed to the pcp goes back to the zone by a drain that starts at list 0.
 */
static void drain_reaches_the_thp_list(enum kernel_version v)
{
	struct per_cpu_pages *pcp;
	struct page *page;

	up_one(v, 64);
	pcp = &dma32()->per_cpu_pageset[0];
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 9, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	drain_all_pages();
	helper_buddy_free(0, page, 9, NULL);
	cr_assert(eq(int, pcp->count, 512));
	cr_assert(not(page_list_empty(&pcp->lists[NR_PCP_LISTS - 1])));
	spin_lock(&pcp->lock);
	KOPS(buddy)->free_pcppages_bulk(dma32(), 512, pcp, 0);
	spin_unlock(&pcp->lock);
	cr_expect(eq(int, pcp->count, 0));
	cr_expect(page_list_empty(&pcp->lists[NR_PCP_LISTS - 1]));
	cr_expect(buddy_check(stderr));
}

Test(buddy_version_pins, drain_reaches_the_thp_list_6_1, .fini = down)
{
	drain_reaches_the_thp_list(KERNEL_6_1);
}

Test(buddy_version_pins, drain_reaches_the_thp_list_6_12, .fini = down)
{
	drain_reaches_the_thp_list(KERNEL_6_12);
}

/* ------------------------------------------------ 6.12: merging past a pageblock */

/*
 * __free_one_page (6.12 mm/page_alloc.c): at order >= pageblock_order the buddy's block type
 * is read, and the merge stops only when the types differ and one of them is not mergeable
 * (HIGHATOMIC, ISOLATE: migratetype_is_mergeable is mt < MIGRATE_PCPTYPES).  Two HIGHATOMIC
 * blocks therefore merge (same type), and so do an UNMOVABLE and a MOVABLE one (both
 * mergeable: the buddy's block takes the freed page's type, change_pageblock_range);
 * HIGHATOMIC next to MOVABLE does not.  pageblock_order 9: an order-10 page spans two blocks;
 * split_large_buddy frees it as two order-9 halves, lower first, each by its own block's
 * type, so the upper half is the one that merges with the lower (its buddy) or not.
 */
static void merge_past_a_pageblock(int mt_lo, int mt_hi, bool merged)
{
	struct page *page;
	uint64_t free10;

	up_one(KERNEL_6_12, 64);
	cr_assert(eq(u64, pageblock_nr_pages, 512));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 10, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	set_pageblock_migratetype(page, mt_lo);
	set_pageblock_migratetype(page + pageblock_nr_pages, mt_hi);
	free10 = buddy_zone_nr_free(0, ZONE_DMA32, 10);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 0));

	helper_buddy_free(0, page, 10, NULL);
	if (merged) {
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), free10 + 1));
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 0));
		cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, mt_hi),
			     mt_hi == MIGRATE_MOVABLE ? free10 + 1 : 1));
		cr_expect(eq(int, get_pageblock_migratetype(page), mt_hi), "the lower block takes the type");
		cr_expect(eq(int, get_pageblock_migratetype(page + pageblock_nr_pages), mt_hi));
	} else {
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), free10));
		cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, mt_lo), 1));
		cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, mt_hi), 1));
		cr_expect(eq(int, get_pageblock_migratetype(page), mt_lo));
	}
	if (mt_lo != MIGRATE_HIGHATOMIC && mt_hi != MIGRATE_HIGHATOMIC)
		cr_expect(buddy_check(stderr));
}

Test(buddy_version_pins, merge_two_highatomic_blocks_6_12, .fini = down)
{
	merge_past_a_pageblock(MIGRATE_HIGHATOMIC, MIGRATE_HIGHATOMIC, true);
}

Test(buddy_version_pins, merge_unmovable_into_movable_6_12, .fini = down)
{
	merge_past_a_pageblock(MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, true);
}

Test(buddy_version_pins, merge_movable_into_unmovable_6_12, .fini = down)
{
	merge_past_a_pageblock(MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, true);
}

Test(buddy_version_pins, no_merge_of_highatomic_and_movable_6_12, .fini = down)
{
	merge_past_a_pageblock(MIGRATE_HIGHATOMIC, MIGRATE_MOVABLE, false);
}

Test(buddy_version_pins, no_merge_of_movable_and_highatomic_6_12, .fini = down)
{
	merge_past_a_pageblock(MIGRATE_MOVABLE, MIGRATE_HIGHATOMIC, false);
}

/*
 * __free_one_page (6.1 mm/page_alloc.c) has the same rule without retyping the buddy: two
 * order-9 halves of one order-10 block (pageblock_order 9), freed lower then upper with
 * their blocks' types, merge unless the types differ and one does not merge; the merged
 * block goes on the list of the upper half's type (the page being freed).  Both halves go
 * through the pcp (order 9 is pageblock_order) and reach the zone at drain_all_pages.
 */
static void merge_halves_6_1(int mt_lo, int mt_hi, bool merged)
{
	struct page *a, *b, *lo;
	uint64_t free10;

	up_one(KERNEL_6_1, 64);
	cr_assert(eq(u64, pageblock_nr_pages, 512));
	a = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 9, NULL);
	b = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 9, NULL);
	cr_assert(ne(ptr, (void *)a, NULL));
	cr_assert(ne(ptr, (void *)b, NULL));
	lo = a < b ? a : b;
	cr_assert(eq(u64, page_to_pfn(a) ^ page_to_pfn(b), 512), "buddies");
	cr_assert(eq(u64, page_to_pfn(lo) & 1023, 0));
	drain_all_pages();
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 0));
	free10 = buddy_zone_nr_free(0, ZONE_DMA32, 10);

	set_pageblock_migratetype(lo, mt_lo);
	set_pageblock_migratetype(lo + 512, mt_hi);
	helper_buddy_free(0, lo, 9, NULL);
	helper_buddy_free(0, lo + 512, 9, NULL);
	drain_all_pages();
	if (merged) {
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), free10 + 1));
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 9), 0));
	} else {
		cr_expect(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), free10));
		cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, mt_lo), 1));
		cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, mt_hi), 1));
	}
	/* 6.1 leaves the block types as they were */
	cr_expect(eq(int, get_pageblock_migratetype(lo), mt_lo));
	cr_expect(eq(int, get_pageblock_migratetype(lo + 512), mt_hi));
}

Test(buddy_version_pins, merge_two_highatomic_halves_6_1, .fini = down)
{
	merge_halves_6_1(MIGRATE_HIGHATOMIC, MIGRATE_HIGHATOMIC, true);
}

Test(buddy_version_pins, merge_unmovable_and_movable_halves_6_1, .fini = down)
{
	merge_halves_6_1(MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, true);
}

Test(buddy_version_pins, no_merge_of_highatomic_and_movable_halves_6_1, .fini = down)
{
	merge_halves_6_1(MIGRATE_HIGHATOMIC, MIGRATE_MOVABLE, false);
}

/*
 * pgfree counts pages freed to the zone: 6.1's __free_pages_ok (orders 4..8 and 10 with
 * pageblock_order 9: pcp_allowed_order takes <= 3 and pageblock_order) and
 * free_unref_page_commit add 1 << order; so do 6.12's free_one_page and commit.
 */
static void pgfree_counts_pages(enum kernel_version v)
{
	static const unsigned int orders[] = { 0, 3, 4, 8, 9, 10 };

	up_one(v, 64);
	for (unsigned int i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		struct page *page = helper_buddy_alloc(0, 0, GFP_KERNEL, orders[i], NULL);
		unsigned long before;

		cr_assert(ne(ptr, (void *)page, NULL));
		before = dma32()->pgfree;
		helper_buddy_free(0, page, orders[i], NULL);
		cr_expect(eq(u64, dma32()->pgfree - before, 1UL << orders[i]), "order %u", orders[i]);
	}
}

Test(buddy_version_pins, pgfree_counts_pages_6_1, .fini = down)
{
	pgfree_counts_pages(KERNEL_6_1);
}

Test(buddy_version_pins, pgfree_counts_pages_6_12, .fini = down)
{
	pgfree_counts_pages(KERNEL_6_12);
}

/* ------------------------------------------------ the highatomic reserve */

/*
 * reserve_highatomic_pageblock (6.1 mm/page_alloc.c): no block once nr_reserved_highatomic
 * reaches zone_managed_pages / 100 + pageblock_nr_pages.  With pageblock_order 10:
 * managed 204800 gives 2048 + 1024 = 3072, reached after three blocks; managed 204900 gives
 * 3073, so a fourth block is still taken at 3072.
 */
static unsigned long blocks_reserved_6_1(unsigned long managed)
{
	struct zone *z;

	up_crafted(KERNEL_6_1, 1024);
	z = dma32();
	z->managed_pages = managed;
	for (unsigned long k = 0; k < 8; k++)
		KOPS(buddy)->reserve_highatomic_pageblock(pfn_to_page(z->zone_start_pfn + k * 1024), z, 4);
	return z->nr_reserved_highatomic / pageblock_nr_pages;
}

/*
 * reserve_highatomic_pageblock (6.12 mm/page_alloc.c): nothing while managed / 100 is less
 * than a pageblock; else blocks up to ALIGN(managed / 100, pageblock_nr_pages).  With
 * pageblock_order 10: managed 102399 (1023) none; 102400 (1024) one block; 102500 (1025,
 * aligned up to 2048) two.
 */
static unsigned long blocks_reserved_6_12(unsigned long managed)
{
	struct zone *z;

	up_crafted(KERNEL_6_12, 1024);
	z = dma32();
	z->managed_pages = managed;
	for (unsigned long k = 0; k < 8; k++)
		KOPS(buddy)->reserve_highatomic_pageblock(pfn_to_page(z->zone_start_pfn + k * 1024), z, 4);
	return z->nr_reserved_highatomic / pageblock_nr_pages;
}

Test(buddy_version_pins, reserve_limit_whole_blocks_of_one_percent_6_12, .fini = down)
{
	cr_expect(eq(u64, blocks_reserved_6_12(102399), 0));
	helper_buddy_machine_down(sc);
	cr_expect(eq(u64, blocks_reserved_6_12(102400), 1));
	helper_buddy_machine_down(sc);
	cr_expect(eq(u64, blocks_reserved_6_12(102500), 2));
}

/*
 * reserve_highatomic_pageblock (both versions) checks the limit once without the zone lock
 * ("racy check") and again under it: at the limit it returns before taking zone->lock.
 * Counted as the page operations are, with SIM_COST_LOCK at 2^31 ns: no lock at the limit,
 * a lock and an unlock one page below it (and a block reserved).
 */
static void reserve_at_the_limit_takes_no_lock(enum kernel_version v)
{
	struct sim_op op;
	unsigned long limit;
	struct zone *z;
	uint64_t t0;

	up_crafted(v, 1024);
	z = dma32();
	limit = v == KERNEL_6_1 ? z->managed_pages / 100 + pageblock_nr_pages
				: (z->managed_pages / 100 + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
	sim_engine_set_cpu(0);
	sim->cost[SIM_COST_LOCK] = 1u << 31;
	z->nr_reserved_highatomic = limit;
	t0 = sim_now();
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	KOPS(buddy)->reserve_highatomic_pageblock(block_page(3), z, 4);
	sim_op_end(&op);
	cr_expect(eq(u64, (sim_now() - t0) >> 31, 0), "no lock at the limit");
	cr_expect(eq(u64, z->nr_reserved_highatomic, limit));
	cr_expect(not(helper_slab_op_has_label(&op, "reserve_highatomic_pageblock")));
	z->nr_reserved_highatomic = limit - 1;
	t0 = sim_now();
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	KOPS(buddy)->reserve_highatomic_pageblock(block_page(3), z, 4);
	sim_op_end(&op);
	cr_expect(eq(u64, (sim_now() - t0) >> 31, 2), "lock and unlock below it");
	cr_expect(helper_slab_op_has_label(&op, "reserve_highatomic_pageblock"), "the reserve is labelled");
	cr_expect(eq(u64, z->nr_reserved_highatomic, limit - 1 + pageblock_nr_pages));
	z->nr_reserved_highatomic = 0;
}

Test(buddy_version_pins, reserve_at_the_limit_takes_no_lock_6_1, .fini = down)
{
	reserve_at_the_limit_takes_no_lock(KERNEL_6_1);
}

Test(buddy_version_pins, reserve_at_the_limit_takes_no_lock_6_12, .fini = down)
{
	reserve_at_the_limit_takes_no_lock(KERNEL_6_12);
}

Test(buddy_version_pins, reserve_limit_one_percent_plus_a_block_6_1, .fini = down)
{
	cr_expect(eq(u64, blocks_reserved_6_1(204800), 3));
}

Test(buddy_version_pins, reserve_limit_one_percent_plus_a_block_above_6_1, .fini = down)
{
	cr_expect(eq(u64, blocks_reserved_6_1(204900), 4));
}

/*
 * rmqueue_buddy (6.1 and 6.12 mm/page_alloc.c): when __rmqueue finds nothing, a request with
 * ALLOC_OOM or ALLOC_NON_BLOCK may still take a HIGHATOMIC page ("failing now is worse");
 * ALLOC_HIGHATOMIC takes one first; any other request gets NULL (HIGHATOMIC is no
 * fallback of any type).  A 64 MiB zone whose every block is reserved (each reserve call
 * moves its block's free pages to the HIGHATOMIC lists).
 */
static void rmqueue_buddy_reserve_rights(enum kernel_version v)
{
	static const struct { unsigned int flags; bool got; } w[] = {
		{ 0, false }, { ALLOC_MIN_RESERVE, false }, { ALLOC_NON_BLOCK, true }, { ALLOC_OOM, true },
		{ ALLOC_HIGHATOMIC, true },
	};
	struct zone *z;
	unsigned long nr_blocks, managed;

	up_crafted(v, 64);
	z = dma32();
	/* every block allocated once and freed (a block on the free lists as one page) */
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 10, owned, sizeof(owned) / sizeof(owned[0]));
	for (size_t pfn = 0; pfn < sizeof(owned) / sizeof(owned[0]); pfn++)
		if (owned[pfn])
			helper_buddy_free(0, owned[pfn], 10, NULL);
	nr_blocks = z->spanned_pages / pageblock_nr_pages;
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), nr_blocks));
	/* each block reserved in turn (the 1% limits lifted meanwhile) */
	managed = z->managed_pages;
	z->managed_pages = 1UL << 30;
	for (unsigned long k = 0; k < nr_blocks; k++) {
		z->nr_reserved_highatomic = 0;
		KOPS(buddy)->reserve_highatomic_pageblock(pfn_to_page(z->zone_start_pfn + k * 1024), z, 4);
	}
	z->managed_pages = managed;
	z->nr_reserved_highatomic = nr_blocks * pageblock_nr_pages;
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_DMA32, MIGRATE_HIGHATOMIC), nr_blocks));
	for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
		for (unsigned int o = 0; o <= 10; o++)
			cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, (int)o, mt), 0), "mt %d order %u", mt, o);

	for (unsigned int i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		struct page *page = KOPS(buddy)->rmqueue_buddy(z, z, 4, w[i].flags, MIGRATE_UNMOVABLE);

		cr_expect(eq(int, page != NULL, w[i].got), "flags %#x", w[i].flags);
		if (page)
			cr_expect(eq(int, get_pageblock_migratetype(page), MIGRATE_HIGHATOMIC));
	}
}

Test(buddy_version_pins, rmqueue_buddy_reserve_rights_6_1, .fini = down)
{
	rmqueue_buddy_reserve_rights(KERNEL_6_1);
}

Test(buddy_version_pins, rmqueue_buddy_reserve_rights_6_12, .fini = down)
{
	rmqueue_buddy_reserve_rights(KERNEL_6_12);
}

/* ------------------------------------------------ giving back the reserve */

static bool unreserve(const struct alloc_context *ac, bool force)
{
	return KOPS(buddy)->unreserve_highatomic_pageblock(ac, force);
}

/*
 * unreserve_highatomic_pageblock (6.1 and 6.12 mm/page_alloc.c) looks for a free HIGHATOMIC
 * piece from order 0 up: with block 0 reserved holding only order-0 free pages and block 5
 * reserved whole (one free order-10 piece), block 0 is the one given back (to the caller's
 * type), and block 5 stays HIGHATOMIC.  Crafted zone, pageblock_order 10.
 */
static void unreserve_lowest_order_first(enum kernel_version v)
{
	struct alloc_context ac;
	struct zone *z;
	bool ok;

	up_crafted(v, 64);
	z = dma32();
	/* every other page free: the zone's free pieces are all order 0 */
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, sizeof(owned) / sizeof(owned[0]));
	/* block 5 entirely free again: one order-10 piece */
	for (uint64_t pfn = 5 * 1024; pfn < 6 * 1024; pfn++)
		if (owned[pfn]) {
			helper_buddy_free(0, owned[pfn], 0, NULL);
			owned[pfn] = NULL;
		}
	drain_all_pages();
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 1));
	z->managed_pages <<= 4;	/* 6.12 reserves in zones of 100 blocks and more */
	KOPS(buddy)->reserve_highatomic_pageblock(block_page(0), z, 0);
	KOPS(buddy)->reserve_highatomic_pageblock(block_page(5), z, 0);
	z->managed_pages >>= 4;
	cr_assert(eq(u64, z->nr_reserved_highatomic, 2048));
	cr_assert(eq(int, get_pageblock_migratetype(block_page(0)), MIGRATE_HIGHATOMIC));
	cr_assert(eq(int, get_pageblock_migratetype(block_page(5)), MIGRATE_HIGHATOMIC));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 1));

	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	ok = unreserve(&ac, true);
	cr_expect(ok);
	cr_expect(eq(u64, z->nr_reserved_highatomic, 1024));
	cr_expect(eq(int, get_pageblock_migratetype(block_page(0)), ac.migratetype));
	cr_expect(eq(int, get_pageblock_migratetype(block_page(5)), MIGRATE_HIGHATOMIC));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 0, MIGRATE_HIGHATOMIC), 0));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 1));
	z->nr_reserved_highatomic = 0;
}

Test(buddy_version_pins, unreserve_lowest_order_first_6_1, .fini = down)
{
	unreserve_lowest_order_first(KERNEL_6_1);
}

Test(buddy_version_pins, unreserve_lowest_order_first_6_12, .fini = down)
{
	unreserve_lowest_order_first(KERNEL_6_12);
}

/*
 * unreserve_highatomic_pageblock (6.12 mm/page_alloc.c): the block of the first free
 * HIGHATOMIC piece gives back max(pageblock_nr_pages, 1 << order) pages (at most
 * nr_reserved_highatomic).  pageblock_order 10, one free order-9 piece: 1024, not 512.
 */
Test(buddy_version_pins, unreserve_an_order9_piece_gives_a_block_6_12, .fini = down)
{
	struct alloc_context ac;
	struct zone *z;
	struct page *page;

	up_crafted(KERNEL_6_12, 1024);
	z = dma32();
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 9, NULL);	/* the other half stays free */
	cr_assert(ne(ptr, (void *)page, NULL));
	KOPS(buddy)->reserve_highatomic_pageblock(page, z, 9);
	cr_assert(eq(u64, z->nr_reserved_highatomic, 1024));
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, MIGRATE_HIGHATOMIC), 1));
	/* a second block, so the one kept without force is not this one */
	z->nr_reserved_highatomic += 1024;
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	cr_expect(unreserve(&ac, false));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 1024));
	cr_expect(eq(int, get_pageblock_migratetype(page), ac.migratetype));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 9, MIGRATE_HIGHATOMIC), 0));
	z->nr_reserved_highatomic = 0;
	helper_buddy_free(0, page, 9, NULL);
}

/*
 * The same with pageblock_order 9 and a free order-10 HIGHATOMIC piece (two reserved blocks
 * merged, as two HIGHATOMIC blocks do): max(512, 1 << 10) = 1024 pages back in one call,
 * of the 2048 reserved.
 */
Test(buddy_version_pins, unreserve_an_order10_piece_gives_both_blocks_6_12, .fini = down)
{
	struct alloc_context ac;
	struct zone *z;
	struct page *page;

	up_one(KERNEL_6_12, 256);
	z = dma32();
	cr_assert(eq(u64, pageblock_nr_pages, 512));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 10, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	/* 65536 / 100 = 655 >= 512: the zone reserves; order 10 >= pageblock_order: 1 << 10 pages */
	KOPS(buddy)->reserve_highatomic_pageblock(page, z, 10);
	cr_assert(eq(u64, z->nr_reserved_highatomic, 1024));
	cr_assert(eq(int, get_pageblock_migratetype(page + pageblock_nr_pages), MIGRATE_HIGHATOMIC));
	helper_buddy_free(0, page, 10, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 1));
	/* one more reserved block elsewhere: the clamp to nr_reserved_highatomic does not bite */
	z->nr_reserved_highatomic += 1024;
	helper_buddy_ac(&ac, 0, GFP_KERNEL);
	cr_expect(unreserve(&ac, false));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 1024));
	z->nr_reserved_highatomic = 0;
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, ac.migratetype), 1));
	cr_expect(eq(u64, buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, MIGRATE_HIGHATOMIC), 0));
	cr_expect(eq(int, get_pageblock_migratetype(page), ac.migratetype));
	cr_expect(eq(int, get_pageblock_migratetype(page + pageblock_nr_pages), ac.migratetype));
}
