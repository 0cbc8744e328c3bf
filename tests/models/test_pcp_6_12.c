/*
 * test_pcp_6_12.c - Linux 6.12's per-CPU pagesets in the buddy model
 * (models/buddy/6.12/), suite `pcp_6_12`: the sizing formulas, the
 * self-tuning pcp->high (nr_pcp_high, nr_pcp_alloc, decay_pcp_high), the
 * drain size (nr_pcp_free with free_count, free_high), a refill and a drain
 * each reached through the version table.  Every test sets kernel_version
 * before building the machine.  Expected values are worked out by hand from
 * mm/page_alloc.c (6.12) in the comments.
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

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	percpu_pagelist_high_fraction = 0;
	kernel_version = KERNEL_6_1;
}

/* The default scenario on 6.12: 2 nodes x 2 vCPUs, N0 DMA 16 MiB + DMA32 1008 MiB, N1 DMA32 1024 MiB. */
static void up_default(void)
{
	kernel_version = KERNEL_6_12;
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
}

/* One node, one DMA32 zone of 64 MiB, one vCPU (batch 3) on 6.12. */
static void up_small(void)
{
	uint64_t zones[1][4] = { { [ZONE_DMA32] = 64 } };
	int c[1] = { 1 };

	kernel_version = KERNEL_6_12;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

static struct zone *Z(int nid, int zid)
{
	return &NODE_DATA(nid)->node_zones[zid];
}

static struct per_cpu_pages *PCP(int nid, int zid, int cpu)
{
	return &Z(nid, zid)->per_cpu_pageset[cpu];
}

/* ------------------------------------------------------------ sizing */

/*
 * zone_set_pageset_high_and_batch (6.12) on the default machine, 2 CPUs per node:
 *   N0 DMA32: managed 258048 (1008 MiB), low watermark 10395 (as 6.1, test_buddy.c)
 *     batch: min(258048 >> 10 = 252, 256) / 4 = 63; rounddown_pow_of_two(63 + 31 = 94) - 1 = 63
 *     high_min = zone_highsize(fraction 0) = low / 2 CPUs = 10395 / 2 = 5197 (>= 4 * 63)
 *     high_max = zone_highsize(fraction 8) = 258048 / 8 / 2 = 32256 / 2 = 16128
 *   N1 DMA32: managed 262144 (1024 MiB), low 10560
 *     batch: min(256, 256) / 4 = 64; rounddown_pow_of_two(96) - 1 = 63
 *     high_min = 10560 / 2 = 5280; high_max = 262144 / 8 / 2 = 16384
 * pcp->high itself stays 0 (per_cpu_pages_init) until the pageset is used.
 */
Test(pcp_6_12, sizing_default_machine, .fini = down)
{
	static const struct { int nid, batch, high_min, high_max; } w[] = {
		{ 0, 63, 5197, 16128 },
		{ 1, 63, 5280, 16384 },
	};

	up_default();
	for (int i = 0; i < 2; i++) {
		struct zone *zone = Z(w[i].nid, ZONE_DMA32);

		cr_assert(eq(u64, low_wmark_pages(zone), w[i].nid ? 10560 : 10395));
		cr_assert(eq(int, zone->pageset_batch, w[i].batch));
		cr_assert(eq(int, zone->pageset_high_min, w[i].high_min));
		cr_assert(eq(int, zone->pageset_high_max, w[i].high_max));
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			struct per_cpu_pages *pcp = PCP(w[i].nid, ZONE_DMA32, cpu);

			cr_assert(eq(int, pcp->batch, w[i].batch));
			cr_assert(eq(int, pcp->high_min, w[i].high_min));
			cr_assert(eq(int, pcp->high_max, w[i].high_max));
			cr_assert(eq(int, pcp->high, 0));
		}
	}
	/* percpu_pagelist_high_fraction = 8 pins both to managed / 8 / 2: 16128 on N0 (no tuning) */
	percpu_pagelist_high_fraction = 8;
	zone_pcp_update(Z(0, ZONE_DMA32), 0);
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 1)->high_min, 16128));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 1)->high_max, 16128));
}

/*
 * The oracle capture's zones (oracle-slub-stats-6.12.118-4cpu-2node, SNAP0
 * zoneinfo: one DMA32 zone per node, 2 CPUs per node, batch 63):
 *   N0: managed 253977, low 961: high_min = 961 / 2 = 480; high_max = 253977 / 8 / 2 = 31747 / 2 = 15873
 *   N1: managed 257892, low 977: high_min = 977 / 2 = 488; high_max = 257892 / 8 / 2 = 32236 / 2 = 16118
 * The kernel's SNAP1 shows highs of 480 and 488 (idle CPUs decayed to high_min)
 * and at most 16102 (<= 16118).
 */
Test(pcp_6_12, sizing_oracle_zones, .fini = down)
{
	static const struct { unsigned long managed, low; int high_min, high_max; } w[] = {
		{ 253977, 961, 480, 15873 },
		{ 257892, 977, 488, 16118 },
	};

	up_default();
	for (int i = 0; i < 2; i++) {
		struct zone *zone = Z(i, ZONE_DMA32);

		zone->managed_pages = w[i].managed;
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = w[i].low;
		zone_pcp_update(zone, 0);
		cr_assert(eq(int, PCP(i, ZONE_DMA32, 0)->batch, 63));
		cr_assert(eq(int, PCP(i, ZONE_DMA32, 0)->high_min, w[i].high_min));
		cr_assert(eq(int, PCP(i, ZONE_DMA32, 0)->high_max, w[i].high_max));
	}
}

/* ------------------------------------------------- refill: nr_pcp_alloc */

/*
 * First order-0 allocation on N0 DMA32, CPU 0 (batch 63, high_min 5197,
 * high_max 16128, high 0, alloc_factor 0):
 *   high = clamp(0, 5197, 16128) = 5197; batch = 63 << 0 = 63;
 *   not below high: high = min(5197 + 63, 16128) = 5260;
 *   max_nr_alloc = max(5260 - 0 - 63, 63) = 5197; 63 <= 5197: alloc_factor 1;
 *   refill min(63, 5197) = 63, one taken: count 62.
 * Empty the list (62 hits), then the second refill:
 *   batch = 63 << 1 = 126; high = 5260 + 126 = 5386; max_nr_alloc = 5386 - 63 = 5323;
 *   alloc_factor 2; refill 126, one taken: count 125.
 * A free halves alloc_factor (2 -> 1); an allocation halves free_count (1 -> 0).
 */
Test(pcp_6_12, refill_grows_high_and_doubles_the_batch, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct sim_op op;
	struct page *page;

	up_default();
	pcp = PCP(0, ZONE_DMA32, 0);
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, 2));
	cr_assert(has_label(&op, "rmqueue_pcplist"));
	cr_assert(has_label(&op, "rmqueue_bulk"));
	cr_assert(eq(int, pcp->count, 62));
	cr_assert(eq(int, pcp->high, 5260));
	cr_assert(eq(int, pcp->alloc_factor, 1));
	for (int i = 0; i < 62; i++) {
		helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
		cr_assert(eq(int, op.level, 1), "hit %d", i);
	}
	cr_assert(eq(int, pcp->count, 0));
	helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(eq(int, op.level, 2));
	cr_assert(eq(int, pcp->count, 125));
	cr_assert(eq(int, pcp->high, 5386));
	cr_assert(eq(int, pcp->alloc_factor, 2));
	/* pcp pages are not free pages: 63 + 126 left the zone */
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 258048 - 189));

	helper_buddy_free(0, page, 0, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(eq(int, pcp->alloc_factor, 1));
	cr_assert(eq(int, pcp->free_count, 1));
	helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	cr_assert(eq(int, pcp->free_count, 0));
	cr_assert(buddy_check(stderr));
}

/* -------------------------------------------- drain: nr_pcp_high / nr_pcp_free */

/* Take `n` order-`order` pages on the small machine, then empty the pcp and reset its tuning state. */
static void take_pages(struct page **pages, int n, unsigned int order)
{
	struct per_cpu_pages *pcp = PCP(0, ZONE_DMA32, 0);

	for (int i = 0; i < n; i++) {
		pages[i] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, order, NULL);
		cr_assert(ne(ptr, (void *)pages[i], NULL));
	}
	drain_all_pages();
	cr_assert(eq(int, pcp->count, 0));
	pcp->free_count = 0;
	pcp->alloc_factor = 0;
	pcp->flags = 0;
}

/*
 * A fixed high (high_min = high_max = 10, batch 3): each free adds one to
 * free_count; nr_pcp_high returns 10; at count 10 nr_pcp_free drains
 * clamp(free_count, 3, 10 - 3): free 10 (free_count 10) drains 7 -> 3, free 17
 * (free_count 17) drains 7 -> 3.
 */
Test(pcp_6_12, frees_drain_free_count_within_batch_and_high_minus_batch, .fini = down)
{
	static const int want_count[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 4, 5, 6, 7, 8, 9, 3, 4, 5, 6 };
	static const int want_level[20] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1 };
	struct page *pages[20];
	struct per_cpu_pages *pcp;
	struct sim_op op;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	cr_assert(eq(int, pcp->batch, 3));
	take_pages(pages, 20, 0);
	pcp->high_min = pcp->high_max = pcp->high = 10;
	for (int i = 0; i < 20; i++) {
		helper_buddy_free(0, pages[i], 0, &op);
		cr_assert(eq(int, pcp->count, want_count[i]), "free %d", i);
		cr_assert(eq(int, op.level, want_level[i]), "free %d", i);
		if (want_level[i] == 2)
			cr_assert(has_label(&op, "free_pcppages_bulk"), "free %d", i);
	}
	cr_assert(eq(int, pcp->free_count, 20));
	cr_assert(eq(int, pcp->high, 10));
	cr_assert(buddy_check(stderr));
}

/*
 * Tuning (high_min 10, high_max 100, high 10, batch 3):
 *   free 10: count 10 >= high 10: need_high = free_count 10 + 3 = 13 -> high 13;
 *            nr_pcp_high returns the old 10, so drain clamp(10, 3, 7) = 7: count 3.
 *   ZONE_BELOW_HIGH, free 11: high = 13 - max(free_count 11, 3) -> max(2, 10) = 10;
 *            the limit is max(count 4, high_min 10) = 10: no drain, count 4.
 */
Test(pcp_6_12, nr_pcp_high_grows_on_a_full_pcp_and_shrinks_below_the_high_watermark, .fini = down)
{
	struct page *pages[11];
	struct per_cpu_pages *pcp;
	struct sim_op op;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	take_pages(pages, 11, 0);
	pcp->high_min = 10;
	pcp->high_max = 100;
	pcp->high = 10;
	for (int i = 0; i < 10; i++)
		helper_buddy_free(0, pages[i], 0, &op);
	cr_assert(eq(int, op.level, 2));
	cr_assert(eq(int, pcp->count, 3));
	cr_assert(eq(int, pcp->high, 13));

	set_bit_zone(ZONE_BELOW_HIGH, Z(0, ZONE_DMA32));
	helper_buddy_free(0, pages[10], 0, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(has_label(&op, "nr_pcp_high:below_high"));
	cr_assert(eq(int, pcp->high, 10));
	cr_assert(eq(int, pcp->count, 4));
	cr_assert(buddy_check(stderr));
}

/*
 * free_high: order-1 frees in a row (batch 3, high_min = high_max = 100).
 *   free 1: no PCPF_PREV_FREE_HIGH_ORDER yet; sets it; free_count 2, count 2.
 *   free 2: free_count 2 < batch 3: no; free_count 4, count 4.
 *   free 3: free_count 4 >= 3 and the flag (PCPF_FREE_HIGH_BATCH clear): free_high;
 *           nr_pcp_high lowers high to max(100 - 96, 100) = 100 and returns 0;
 *           nr_pcp_free = min(count 6, 3 << 5 = 96) = 6: the pcp is emptied.
 *   An order-0 free then clears the flag.
 */
Test(pcp_6_12, high_order_frees_in_a_row_flush_the_pcp, .fini = down)
{
	struct page *pages[4];
	struct per_cpu_pages *pcp;
	struct sim_op op;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	pages[3] = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL);
	take_pages(pages, 3, 1);
	pcp->high_min = pcp->high_max = pcp->high = 100;
	helper_buddy_free(0, pages[0], 1, &op);
	cr_assert(eq(int, pcp->flags & PCPF_PREV_FREE_HIGH_ORDER, PCPF_PREV_FREE_HIGH_ORDER));
	helper_buddy_free(0, pages[1], 1, &op);
	cr_assert(eq(int, op.level, 1));
	cr_assert(eq(int, pcp->count, 4));
	cr_assert(eq(int, pcp->free_count, 4));
	helper_buddy_free(0, pages[2], 1, &op);
	cr_assert(eq(int, op.level, 2));
	cr_assert(has_label(&op, "free_unref_page_commit:free_high"));
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(eq(int, pcp->high, 100));
	helper_buddy_free(0, pages[3], 0, &op);
	cr_assert(eq(int, pcp->flags & PCPF_PREV_FREE_HIGH_ORDER, 0));
	cr_assert(buddy_check(stderr));
}

/* --------------------------------------------- decay_pcp_high (vmstat worker) */

/*
 * 75 pages on the pcp, high_min 10, high 80, batch 3:
 *   round 1: high = max(75 - 96, 80 - 80/8 = 70, 10) = 70; drain 75 - 70 = 5 (3 + 2): count 70
 *   round 2: high = max(-26, 70 - 8 = 62, 10) = 62; drain 8: count 62
 *   round 3: high = 62 - 7 = 55: count 55
 * and with high at high_min and count below it, nothing to do (no change).
 */
Test(pcp_6_12, decay_lowers_high_by_an_eighth_and_drains_above_it, .fini = down)
{
	static const int want[3] = { 70, 62, 55 };
	struct page *pages[75];
	struct per_cpu_pages *pcp;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	take_pages(pages, 75, 0);
	pcp->high_min = pcp->high_max = pcp->high = 1000;	/* fill without drains */
	for (int i = 0; i < 75; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_assert(eq(int, pcp->count, 75));
	pcp->high_min = 10;
	pcp->high_max = 100;
	pcp->high = 80;
	sim_engine_set_cpu(0);
	for (int r = 0; r < 3; r++) {
		cr_assert(lt(int, 0, refresh_cpu_vm_stats(0)), "round %d", r);
		cr_assert(eq(int, pcp->high, want[r]), "round %d", r);
		cr_assert(eq(int, pcp->count, want[r]), "round %d", r);
	}
	pcp->high = 10;
	drain_all_pages();
	refresh_cpu_vm_stats(0);		/* fold the drain's counter diffs */
	cr_assert(eq(int, refresh_cpu_vm_stats(0), 0));
	cr_assert(eq(int, pcp->high, 10));
	cr_assert(buddy_check(stderr));
}

/*
 * Remote pageset expiry (refresh_cpu_vm_stats): CPU 0 (node 0) refills its
 * pageset of N1 DMA32 (63 pages, one taken: 62).  Each round counts expire
 * down (a round that folds the CPU's diffs of the zone sets it to 3 first);
 * the round that reaches 0 drains one batch, min(62, 63) = 62: empty.  The
 * local pageset (N0 DMA32) only has expire reset to 0, never a drain.
 * decay_pcp_high first brings high (5280 + 63 = 5343) down to high_min 5280.
 */
Test(pcp_6_12, an_idle_remote_pageset_gives_a_batch_back_after_expiry, .fini = down)
{
	struct per_cpu_pages *remote, *local;

	up_default();
	remote = PCP(1, ZONE_DMA32, 0);
	local = PCP(0, ZONE_DMA32, 0);
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 1, GFP_MOVABLE_KERNEL | __GFP_THISNODE, 0, NULL), NULL));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL), NULL));
	cr_assert(eq(int, remote->count, 62));
	cr_assert(eq(int, remote->high, 5343));
	remote->expire = 2;
	local->expire = 2;
	sim_engine_set_cpu(0);
	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, remote->high, 5280));
	cr_assert(eq(int, remote->count, 62));
	cr_assert(eq(int, local->expire, 0));
	cr_assert(eq(int, local->count, 62));
	remote->expire = remote->expire ? remote->expire : 1;	/* a fold may have set it back to 3 */
	while (remote->expire > 1)
		refresh_cpu_vm_stats(0);
	refresh_cpu_vm_stats(0);
	cr_assert(eq(int, remote->count, 0));
	cr_assert(eq(int, local->count, 62));
	cr_assert(buddy_check(stderr));
}

/*
 * pcp_spin_trylock failing (an interrupt on a CPU whose task holds its pcp
 * lock): the allocation goes to the zone (rmqueue_buddy, L3), the free too
 * (free_one_page, L3), and the pageset and its tuning state stay untouched.
 */
Test(pcp_6_12, trylock_failure_goes_to_the_zone, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct sim_op op;
	struct page *page;

	up_default();
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, NULL), NULL));
	pcp = pcp_spin_trylock(Z(0, ZONE_DMA32));
	cr_assert(ne(ptr, (void *)pcp, NULL));
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "rmqueue_pcplist:trylock_failed"));
	cr_assert(has_label(&op, "rmqueue_buddy"));
	cr_assert(eq(int, op.level, 3));
	helper_buddy_free(0, page, 0, &op);
	cr_assert(has_label(&op, "free_unref_page:trylock_failed"));
	cr_assert(eq(int, op.level, 3));
	cr_assert(eq(int, pcp->count, 62));
	cr_assert(eq(int, pcp->high, 5260));
	cr_assert(eq(int, pcp->alloc_factor, 1));
	cr_assert(eq(int, pcp->free_count, 0));
	pcp_spin_unlock(pcp);
	cr_assert(buddy_check(stderr));
}

/* ---------------------------------------------------- 6.1 unchanged */

/* The 6.1 table: a fixed high and no decay; the same refill as test_buddy.c's. */
Test(pcp_6_12, the_6_1_table_keeps_a_fixed_high)
{
	struct sim_scenario *s6 = calloc(1, sizeof(*s6));
	struct sim_op op;

	cr_assert(ne(ptr, (void *)s6, NULL));
	kernel_version = KERNEL_6_1;
	cr_assert(eq(ptr, (void *)buddy_kops_table[KERNEL_6_1]->decay_pcp_high, NULL));
	cr_assert(ne(ptr, (void *)buddy_kops_table[KERNEL_6_12]->decay_pcp_high, NULL));
	sim_scenario_default(s6);
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s6), NULL));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->high, 5197));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->high_max, 0));
	helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op);
	cr_assert(eq(int, op.level, 2));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->count, 62));
	cr_assert(eq(int, PCP(0, ZONE_DMA32, 0)->high, 5197));
	helper_buddy_machine_down(s6);
}

/*
 * nr_pcp_alloc (6.12) scales a refill by order only when the batch is above 1: "batch can
 * be 1 for small zones or for boot pagesets", and such a pageset keeps no spare page.  With
 * batch 1 and a fixed high of 4 (high_min = high_max, so high does not grow): order 0 gives
 * batch 1 << alloc_factor 0 = 1, max_nr_alloc = max(4 - 0 - 1, 1) = 3, min(1, 3) = 1: one
 * page taken, handed out, the pcp stays empty; order 2 gives batch = base_batch 1: one
 * order-2 page, the pcp empty again.
 */
Test(pcp_6_12, a_batch_of_one_refills_one_page_at_any_order, .fini = down)
{
	struct per_cpu_pages *pcp;
	struct sim_op op;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	pcp->batch = 1;
	pcp->high_min = pcp->high_max = pcp->high = 4;
	pcp->alloc_factor = 0;
	cr_assert(eq(int, pcp->count, 0));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 0, &op), NULL));
	cr_assert(has_label(&op, "rmqueue_bulk"));
	cr_expect(eq(int, pcp->count, 0));
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 2, &op), NULL));
	cr_assert(has_label(&op, "rmqueue_bulk"));
	cr_expect(eq(int, pcp->count, 0));
	cr_assert(buddy_check(stderr));
}

/*
 * nr_pcp_free (6.12 mm/page_alloc.c): "min_nr_free = batch": a drain frees at least a batch
 * even when fewer pages were freed in a row.  Fixed high 10, batch 3: nine frees fill the pcp
 * to 9, the run of frees is then forgotten (free_count 0, as allocations halve it), and the
 * tenth free (free_count 1) reaches high: clamp(1, 3, 10 - 3) = 3 pages go, count 7.
 */
Test(pcp_6_12, a_drain_frees_at_least_a_batch, .fini = down)
{
	struct page *pages[10];
	struct per_cpu_pages *pcp;
	struct sim_op op;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	cr_assert(eq(int, pcp->batch, 3));
	take_pages(pages, 10, 0);
	pcp->high_min = pcp->high_max = pcp->high = 10;
	for (int i = 0; i < 9; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_assert(eq(int, pcp->count, 9));
	pcp->free_count = 0;
	helper_buddy_free(0, pages[9], 0, &op);
	cr_expect(eq(int, op.level, 2));
	cr_expect(eq(int, pcp->free_count, 1));
	cr_expect(eq(int, pcp->count, 10 - 3));
	cr_assert(buddy_check(stderr));
}

/*
 * free_pcppages_bulk (6.12 mm/page_alloc.c): the list just freed to is drained first
 * ("pindex = pindex - 1", then "if (++pindex > NR_PCP_LISTS - 1) pindex = 0"): round robin
 * from there, past the last list back to list 0.  Fixed high 10, batch 3, one vCPU (its
 * pageset the last of the array): eight order-0 MOVABLE frees (list 1, order_to_pindex),
 * then one order-1 MOVABLE free (list MIGRATE_PCPTYPES + 1 = 4; not free_high: the flag
 * PCPF_PREV_FREE_HIGH_ORDER was clear) brings count to 10 = high.  nr_pcp_free =
 * clamp(free_count 10, 3, 7) = 7: the order-1 page first (2), then the scan runs over the
 * empty lists 5 .. NR_PCP_LISTS - 1, wraps to 0 (empty) and takes 5 order-0 pages of list 1.
 */
Test(pcp_6_12, a_drain_starts_at_the_list_freed_to_and_wraps_to_list_0, .fini = down)
{
	struct page *pages[8], *big;
	struct per_cpu_pages *pcp;
	struct sim_op op;
	int n1 = 0;

	up_small();
	pcp = PCP(0, ZONE_DMA32, 0);
	big = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 1, NULL);
	cr_assert(ne(ptr, (void *)big, NULL));
	take_pages(pages, 8, 0);
	pcp->high_min = pcp->high_max = pcp->high = 10;
	for (int i = 0; i < 8; i++)
		helper_buddy_free(0, pages[i], 0, NULL);
	cr_assert(eq(int, pcp->count, 8));
	cr_assert(eq(u32, order_to_pindex(MIGRATE_MOVABLE, 1), MIGRATE_PCPTYPES + MIGRATE_MOVABLE));
	helper_buddy_free(0, big, 1, &op);
	cr_expect(eq(int, op.level, 2));
	cr_expect(not(has_label(&op, "free_unref_page_commit:free_high")));
	cr_expect(eq(int, pcp->count, 10 - 7));
	for (unsigned int pindex = 0; pindex < NR_PCP_LISTS; pindex++)
		if (pindex != order_to_pindex(MIGRATE_MOVABLE, 0))
			cr_expect(page_list_empty(&pcp->lists[pindex]), "list %u", pindex);
	for (uint32_t pfn = pcp->lists[order_to_pindex(MIGRATE_MOVABLE, 0)].first; pfn && n1 < 100; n1++)
		pfn = pfn_to_page(pfn - 1)->lru_next;
	cr_expect(eq(int, n1, 3));
	cr_assert(buddy_check(stderr));
}
