/*
 * test_buddy_kswapd_wakeup.c - wakeup_kswapd's whole decision (models/buddy/kswapd.c against
 * mm/vmscan.c of Linux 6.1, wakeup_kswapd lines 7063-7105, pgdat_balanced, pgdat_watermark_boosted),
 * suite `models/buddy_kswapd_wakeup`: what it records for kswapd (the highest zone index and the
 * order, raised, never lowered) and whether it wakes kswapd, hands over to kcompactd or does
 * nothing, for each state of the node.
 *
 * Strategy: one node with DMA32 and Normal (64 MiB each), one vCPU, no running engine (a wakeup
 * only marks its label); each case sets the node's kswapd state, the zones' high watermarks (out
 * of reach: unbalanced) and boosts, and calls wakeup_kswapd inside an operation.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define Z(zid) (&NODE_DATA(0)->node_zones[zid])

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

enum { NONE, KSWAPD, KCOMPACTD };

struct wcase {
	int unbalanced[2];	/* DMA32, Normal: high watermark out of reach */
	unsigned long boost[2];
	int failures;
	bool wait_active, queued;
	unsigned int gfp;
	int zone, idx;		/* wakeup_kswapd(zone, gfp, 2, idx) */
	int expect;
};

Test(buddy_kswapd_wakeup, wakes_kswapd_kcompactd_or_nobody, .fini = down)
{
	/*
	 * wakeup_kswapd: not waiting (kswapd running) -> nothing; kswapd_failures >= 16 or
	 * (pgdat_balanced && !pgdat_watermark_boosted) -> wakeup_kcompactd unless the request may
	 * reclaim directly (__GFP_DIRECT_RECLAIM), and no kswapd; else kswapd is woken.
	 * pgdat_balanced: some managed zone 0..idx meets its high watermark at the order.
	 * pgdat_watermark_boosted: some managed zone idx..0 has a boost.
	 */
	static const struct wcase cases[] = {
		{ { 0, 0 }, { 0, 0 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, NONE },
		{ { 0, 0 }, { 0, 0 }, 0, true, false, GFP_ATOMIC, ZONE_NORMAL, ZONE_NORMAL, KCOMPACTD },
		{ { 1, 1 }, { 0, 0 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, KSWAPD },
		{ { 1, 1 }, { 0, 0 }, 0, true, false, GFP_ATOMIC, ZONE_NORMAL, ZONE_NORMAL, KSWAPD },
		{ { 1, 0 }, { 0, 0 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, NONE },
		{ { 0, 1 }, { 0, 0 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, NONE },
		{ { 1, 0 }, { 0, 0 }, 0, true, false, GFP_KERNEL, ZONE_DMA32, ZONE_DMA32, KSWAPD },
		{ { 0, 0 }, { 0, 10 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, KSWAPD },
		{ { 0, 0 }, { 10, 0 }, 0, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, KSWAPD },
		{ { 0, 0 }, { 0, 10 }, 0, true, false, GFP_KERNEL, ZONE_DMA32, ZONE_DMA32, NONE },
		{ { 0, 0 }, { 10, 0 }, 0, true, false, GFP_ATOMIC, ZONE_DMA32, ZONE_DMA32, KSWAPD },
		{ { 1, 1 }, { 0, 0 }, MAX_RECLAIM_RETRIES, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, NONE },
		{ { 1, 1 }, { 0, 0 }, MAX_RECLAIM_RETRIES, true, false, GFP_ATOMIC, ZONE_NORMAL, ZONE_NORMAL, KCOMPACTD },
		{ { 1, 1 }, { 0, 0 }, MAX_RECLAIM_RETRIES - 1, true, false, GFP_KERNEL, ZONE_NORMAL, ZONE_NORMAL, KSWAPD },
		{ { 1, 1 }, { 5, 5 }, 0, false, false, GFP_ATOMIC, ZONE_NORMAL, ZONE_NORMAL, NONE },
		{ { 1, 1 }, { 5, 5 }, 0, true, true, GFP_ATOMIC, ZONE_NORMAL, ZONE_NORMAL, NONE },
	};
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	int c[1] = { 1 };
	struct pglist_data *pgdat;
	unsigned long high[2];

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	refresh_cpu_vm_stats(0);
	high[0] = Z(ZONE_DMA32)->_watermark[WMARK_HIGH];
	high[1] = Z(ZONE_NORMAL)->_watermark[WMARK_HIGH];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct wcase *w = &cases[i];
		struct sim_op op;

		for (int z = 0; z < 2; z++) {
			struct zone *zone = Z(ZONE_DMA32 + z);

			zone->_watermark[WMARK_HIGH] = w->unbalanced[z] ? 1UL << 40 : high[z];
			zone->watermark_boost = w->boost[z];
		}
		pgdat->kswapd_failures = w->failures;
		pgdat->kswapd_wait_active = w->wait_active;
		pgdat->kswapd_queued = w->queued;
		pgdat->kswapd_order = 0;
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		sim_engine_set_cpu(0);
		sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
		wakeup_kswapd(Z(w->zone), w->gfp, 2, (enum zone_type)w->idx);
		sim_op_end(&op);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "wakeup_kswapd"), w->expect == KSWAPD), "case %zu", i);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "wakeup_kcompactd"), w->expect == KCOMPACTD),
			  "case %zu", i);
		/* the request is recorded whatever is decided */
		cr_expect(eq(int, pgdat->kswapd_order, 2), "case %zu", i);
		cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, w->idx), "case %zu", i);
		/* no engine: nothing was queued; asleep = on kswapd_wait with no wakeup pending */
		cr_expect(eq(int, buddy_kswapd_sleeping(0), w->wait_active && !w->queued), "case %zu", i);
	}
	for (int z = 0; z < 2; z++) {
		Z(ZONE_DMA32 + z)->_watermark[WMARK_HIGH] = high[z];
		Z(ZONE_DMA32 + z)->watermark_boost = 0;
	}
	pgdat->kswapd_failures = 0;
	pgdat->kswapd_wait_active = true;
	pgdat->kswapd_queued = false;
}

/*
 * The request wakeup_kswapd leaves for kswapd: kswapd_order = max(kswapd_order, order);
 * kswapd_highest_zoneidx = idx when none is pending (MAX_NR_ZONES) or idx is higher.  A zone
 * with no managed pages (Movable here) changes nothing (managed_zone check first).
 */
Test(buddy_kswapd_wakeup, the_request_keeps_the_largest_order_and_zone, .fini = down)
{
	static const int seq[][3] = {	/* order, idx, then the expected order */
		{ 3, ZONE_DMA32, 3 }, { 1, ZONE_DMA32, 3 }, { 3, ZONE_NORMAL, 3 }, { 4, ZONE_DMA32, 4 },
		{ 0, ZONE_DMA, 4 }, { 9, ZONE_NORMAL, 9 },
	};
	static const int want_idx[] = { ZONE_DMA32, ZONE_DMA32, ZONE_NORMAL, ZONE_NORMAL, ZONE_NORMAL, ZONE_NORMAL };
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	int c[1] = { 1 };
	struct pglist_data *pgdat;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	wakeup_kswapd(Z(ZONE_MOVABLE), GFP_HIGHUSER_MOVABLE, 5, ZONE_MOVABLE);
	cr_assert(eq(int, pgdat->kswapd_order, 0));
	cr_assert(eq(int, pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES));
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, seq[i][0], (enum zone_type)seq[i][1]);
		cr_expect(eq(int, pgdat->kswapd_order, seq[i][2]), "step %zu", i);
		cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, want_idx[i]), "step %zu", i);
	}
}

/*
 * kswapd() (mm/vmscan.c 6.1 lines 6990-7010) takes the request and clears it: kswapd_order
 * back to 0 and kswapd_highest_zoneidx to MAX_NR_ZONES, so the next wakeup's order is its own,
 * not the largest ever asked.  A balanced node: kswapd's turn only reads the request.
 */
Test(buddy_kswapd_wakeup, kswapd_clears_the_request_it_took, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	int c[1] = { 1 };
	struct pglist_data *pgdat;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	for (int round = 0; round < 3; round++) {
		int order = 3 - round;

		wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, order, ZONE_NORMAL);
		cr_assert(eq(int, pgdat->kswapd_order, order), "round %d", round);
		buddy_kswapd_run_now(0);
		cr_assert(eq(int, pgdat->kswapd_order, 0), "round %d", round);
		cr_assert(eq(int, pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES), "round %d", round);
		cr_assert(buddy_kswapd_sleeping(0));
	}
}

/*
 * A node kswapd cannot balance (kswapd, kswapd_try_to_sleep and balance_pgdat, mm/vmscan.c
 * 6.1): nothing to reclaim, so each balance_pgdat (PAGEOUTRUN) ends with kswapd_failures++;
 * prepare_kswapd_sleep says no while failures < MAX_RECLAIM_RETRIES (16) and the node is
 * unbalanced, and each such miss counts KSWAPD_HIGH_WMARK_HIT_QUICKLY; at 16 the node is
 * hopeless and kswapd sleeps: 16 runs, 15 misses.  A later wakeup of a hopeless node does not
 * wake kswapd (wakeup_kswapd: kswapd_failures >= MAX_RECLAIM_RETRIES).
 */
Test(buddy_kswapd_wakeup, an_unbalanceable_node_is_retried_until_hopeless, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct sim_op op;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = 1UL << 40;
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	sim_op_end(&op);
	cr_assert(helper_slab_op_has_label(&op, "wakeup_kswapd"));
	buddy_kswapd_run_now(0);
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), MAX_RECLAIM_RETRIES));
	cr_expect(eq(u64, reclaim_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY), MAX_RECLAIM_RETRIES - 1));
	cr_expect(eq(u64, reclaim_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY), 0));
	cr_expect(eq(int, buddy_kswapd_failures(0), MAX_RECLAIM_RETRIES));
	cr_expect(buddy_kswapd_sleeping(0));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	sim_op_end(&op);
	cr_expect(not(helper_slab_op_has_label(&op, "wakeup_kswapd")));
}

/*
 * pgdat_balanced and pgdat_watermark_boosted (mm/vmscan.c 6.1) look at every managed zone from
 * ZONE_DMA (index 0) up to the request's index.  A node with DMA (16 MiB) and DMA32 (64 MiB):
 * DMA alone meeting its high watermark balances the node (no wakeup); with both balanced, a
 * boost on DMA alone wakes kswapd.
 */
Test(buddy_kswapd_wakeup, zone_dma_counts_for_balance_and_boost, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 64, 0, 0 } };
	int c[1] = { 1 };
	unsigned long high;
	struct sim_op op;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	refresh_cpu_vm_stats(0);
	high = Z(ZONE_DMA32)->_watermark[WMARK_HIGH];
	cr_assert(lt(u64, 0, Z(ZONE_DMA)->managed_pages));

	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = 1UL << 40;
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	sim_op_end(&op);
	cr_expect(not(helper_slab_op_has_label(&op, "wakeup_kswapd")), "DMA meets its high watermark");

	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = high;
	Z(ZONE_DMA)->watermark_boost = 10;
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	sim_op_end(&op);
	cr_expect(helper_slab_op_has_label(&op, "wakeup_kswapd"), "DMA is boosted");
	Z(ZONE_DMA)->watermark_boost = 0;
}

/* A shrinker that, on its first count only, asks kswapd for order 2 (a wakeup during its run). */
static int wakeup_calls;

static unsigned long count_and_wake(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	if (!wakeup_calls++)
		wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 2, ZONE_DMA32);
	return 0;
}

static unsigned long scan_nothing(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	return SHRINK_STOP;
}

/*
 * kswapd() (mm/vmscan.c 6.1, the loop around line 7393) takes a request that came in while it
 * worked each time it goes round without sleeping: it reads kswapd_order and the zone index and
 * clears them again (WRITE_ONCE(pgdat->kswapd_order, 0), kswapd_highest_zoneidx = MAX_NR_ZONES).
 * An unbalanceable node (16 runs): the wakeup in the first run is taken by the second, and
 * nothing is left pending when kswapd sleeps.
 */
Test(buddy_kswapd_wakeup, a_request_made_during_a_run_is_taken_and_cleared, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct shrinker s = { 0 };
	struct pglist_data *pgdat;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	s.count_objects = count_and_wake;
	s.scan_objects = scan_nothing;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "wake_once");
	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = 1UL << 40;
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_assert(lt(int, 1, wakeup_calls), "counted again after the wakeup");
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), MAX_RECLAIM_RETRIES));
	cr_expect(eq(int, pgdat->kswapd_order, 0));
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES));
	cr_expect(buddy_kswapd_sleeping(0));
	unregister_shrinker(&s);
}

/*
 * balance_pgdat (mm/vmscan.c 6.1): after a boosted run, "if (boosted) { ...
 * wakeup_kcompactd(pgdat, pageblock_order, highest_zoneidx); }" -- the boost was for
 * fragmentation, so kcompactd follows; an unboosted run does not wake it.  The turn is run
 * inside an operation standing for kswapd's, which carries the mark.
 */
Test(buddy_kswapd_wakeup, a_boosted_run_wakes_kcompactd, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct sim_op op;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
	for (int boosted = 0; boosted < 2; boosted++) {
		Z(ZONE_DMA32)->watermark_boost = boosted ? 64 : 0;
		NODE_DATA(0)->kswapd_highest_zoneidx = ZONE_DMA32;
		sim_op_begin(&op, SIM_OP_PAGE_FREE);
		buddy_kswapd_run_now(0);
		sim_op_end(&op);
		cr_expect(eq(int, helper_slab_op_has_label(&op, "wakeup_kcompactd"), boosted), "boosted %d", boosted);
		cr_expect(eq(u64, Z(ZONE_DMA32)->watermark_boost, 0), "boosted %d", boosted);
	}
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), 2));
}

/* A shrinker with nothing to free that counts how often reclaim asks it. */
static int count_calls;

static unsigned long count_only(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	count_calls++;
	return 0;
}

/*
 * balance_pgdat (mm/vmscan.c 6.1): sc.priority starts at DEF_PRIORITY (12) and each pass
 * (kswapd_shrink_node -> shrink_node -> shrink_slab) that reclaims nothing lowers it ("if
 * (raise_priority || !nr_reclaimed) sc.priority--"), down to 1 ("while (sc.priority >= 1)"):
 * 12 passes a run, each asking every shrinker once (do_shrink_slab: count_objects).  An
 * unbalanceable node with nothing to reclaim is run 16 times (MAX_RECLAIM_RETRIES, see above):
 * 16 x 12 = 192 counts.
 */
Test(buddy_kswapd_wakeup, a_run_that_reclaims_nothing_tries_every_priority, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct shrinker s = { 0 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	s.count_objects = count_only;
	s.scan_objects = scan_nothing;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "count_only");
	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = 1UL << 40;
	wakeup_kswapd(Z(ZONE_DMA32), GFP_KERNEL, 0, ZONE_DMA32);
	count_calls = 0;
	buddy_kswapd_run_now(0);
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), MAX_RECLAIM_RETRIES));
	cr_expect(eq(int, count_calls, MAX_RECLAIM_RETRIES * DEF_PRIORITY));
	unregister_shrinker(&s);
}

/*
 * kswapd() (mm/vmscan.c 6.1) starts with highest_zoneidx = MAX_NR_ZONES - 1 and
 * kswapd_highest_zoneidx keeps it while no request names a zone (kswapd_highest_zoneidx ==
 * MAX_NR_ZONES): a turn with no pending request balances against every zone, ZONE_MOVABLE
 * (index 3) included.  A node with DMA32 (64 MiB, its high watermark out of reach) and Movable
 * (64 MiB, balanced): pgdat_balanced over zones 0..3 finds Movable balanced, so one
 * balance_pgdat with nothing to do, no failure, asleep; over zones 0..2 it would find nothing
 * balanced and retry until hopeless.
 */
Test(buddy_kswapd_wakeup, a_turn_with_no_request_balances_every_zone, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 64 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(lt(u64, 0, Z(ZONE_MOVABLE)->managed_pages));
	Z(ZONE_DMA32)->_watermark[WMARK_HIGH] = 1UL << 40;
	NODE_DATA(0)->kswapd_highest_zoneidx = MAX_NR_ZONES;
	NODE_DATA(0)->kswapd_order = 0;
	buddy_kswapd_run_now(0);
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1));
	cr_expect(eq(u64, reclaim_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY), 0));
	cr_expect(eq(int, buddy_kswapd_failures(0), 0));
	cr_expect(buddy_kswapd_sleeping(0));
}

/*
 * wake_all_kswapds (6.1 mm/page_alloc.c): one wakeup_kswapd per node of the zonelist, at the
 * node's first managed zone ("if (last_pgdat != zone->zone_pgdat)"), however many of its zones
 * the walk passes.  Each wakeup_kswapd reads the node's kswapd_highest_zoneidx once
 * (READ_ONCE, noted for the steps table: sim->read_hook counts it).  Two nodes of DMA32 and
 * Normal (16 MiB each), both run dry by GFP_NOWAIT: the request that fails wakes the kswapds
 * twice (__alloc_pages_slowpath's first wake, then at retry:, and no direct reclaim:
 * nopage), so each node's field is read 2 times, not 2 x its 2 zones.
 */
static int highest_zoneidx_reads[2];

static void count_highest_zoneidx_reads(const void *addr, size_t size, const uint64_t *expected, void *arg)
{
	(void)size, (void)expected, (void)arg;
	for (int nid = 0; nid < 2; nid++)
		if (addr == &NODE_DATA(nid)->kswapd_highest_zoneidx)
			highest_zoneidx_reads[nid]++;
}

Test(buddy_kswapd_wakeup, wake_all_kswapds_wakes_each_node_once, .fini = down)
{
	uint64_t zones[2][4] = { { 0, 16, 16, 0 }, { 0, 16, 16, 0 } };
	int c[2] = { 1, 1 }, n = 0;
	struct sim_op op;

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim->read_hook = count_highest_zoneidx_reads;
	for (;;) {
		memset(highest_zoneidx_reads, 0, sizeof(highest_zoneidx_reads));
		if (!helper_buddy_alloc(0, 0, GFP_NOWAIT, 0, &op))
			break;
		cr_assert(lt(int, n++, 20000));
	}
	sim->read_hook = NULL;
	cr_expect(helper_slab_op_has_label(&op, "__alloc_pages_slowpath:retry"));
	cr_expect(eq(int, highest_zoneidx_reads[0], 2));
	cr_expect(eq(int, highest_zoneidx_reads[1], 2));
}

/*
 * rmqueue (6.1 mm/page_alloc.c): a zone whose watermarks a fallback boosted
 * (ZONE_BOOSTED_WATERMARK) wakes kswapd after the allocation with "wakeup_kswapd(zone, 0, 0,
 * zone_idx(zone))": order 0 and the zone's own index, whatever the request's order.  The flag
 * set on DMA32, one order-0 GFP_KERNEL allocation there: the flag is cleared, kswapd's request
 * reads order 0 and DMA32 (it was empty: order 0, no index).
 */
Test(buddy_kswapd_wakeup, a_boosted_zone_asks_kswapd_for_order_0, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct pglist_data *pgdat;
	struct page *p;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	set_bit_zone(ZONE_BOOSTED_WATERMARK, Z(ZONE_DMA32));
	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(not(test_bit_zone(ZONE_BOOSTED_WATERMARK, Z(ZONE_DMA32))));
	cr_expect(eq(int, pgdat->kswapd_order, 0));
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, ZONE_DMA32));
	helper_buddy_free(0, p, 0, NULL);
}
