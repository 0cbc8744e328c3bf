/*
 * test_buddy_slowpath.c - __alloc_pages_slowpath on a zone run dry, suite
 * `buddy_slowpath`: which way each gfp mask leaves it (mm/page_alloc.c of
 * 6.1.192, with nothing to reclaim or compact and no OOM victim, as the
 * model's alloc.c says).
 *
 * One node with one Normal zone of 16 MiB and one vCPU: GFP_KERNEL order-0
 * allocations succeed until the zone is at its min watermark
 * (__zone_watermark_ok fails when free pages <= min); then
 *   - GFP_KERNEL: no reclaim, should_reclaim_retry says no, __alloc_pages_may_oom
 *     finds no victim: NULL, warn_alloc;
 *   - __GFP_NORETRY: NULL right after the reclaim attempt (no OOM pass);
 *   - no __GFP_DIRECT_RECLAIM (GFP_NOWAIT): NULL at the first check, even with
 *     __GFP_NOFAIL (nopage: "if (!can_direct_reclaim) goto fail");
 *   - __GFP_NOFAIL: __alloc_pages_may_oom takes a page without watermarks
 *     (__alloc_pages_cpuset_fallback with ALLOC_NO_WATERMARKS);
 *   - __GFP_MEMALLOC: ALLOC_NO_WATERMARKS (__gfp_pfmemalloc_flags), a page
 *     from the reserve; with __GFP_NOMEMALLOC too: none;
 *   - costly orders (> PAGE_ALLOC_COSTLY_ORDER 3): compaction is tried first
 *     and, with __GFP_NORETRY, gives up there; without __GFP_RETRY_MAYFAIL
 *     they give up after reclaim; with it they retry, then the OOM pass skips
 *     them (order > costly);
 *   - order >= MAX_ORDER: NULL before anything (__alloc_pages).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/buddy/reclaim.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define NR_MAX 4096

static struct sim_scenario *sc;
static struct page **pages;
static int nr_pages;

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 0, 16, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pages = calloc(NR_MAX, sizeof(*pages));
	cr_assert(ne(ptr, (void *)pages, NULL));
	nr_pages = 0;
}

static void down(void)
{
	cr_expect(buddy_check(stderr));
	free(pages);
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static bool has(const struct sim_op *op, const char *label)
{
	return helper_slab_op_has_label(op, label);
}

/* GFP_KERNEL order 0 until the first failure; returns that failing operation. */
static struct sim_op run_dry(void)
{
	struct sim_op op;

	for (;;) {
		struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);

		if (!p)
			return op;
		cr_assert(lt(int, nr_pages, NR_MAX));
		pages[nr_pages++] = p;
	}
}

static struct page *try_alloc(unsigned int gfp, unsigned int order, struct sim_op *op)
{
	struct page *p = helper_buddy_alloc(0, 0, gfp, order, op);

	if (p) {
		cr_assert(lt(int, nr_pages, NR_MAX));
		pages[nr_pages++] = p;
	}
	return p;
}

Test(buddy_slowpath, a_dry_zone_per_gfp_mask, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op = run_dry();
	long free_before;

	cr_assert(lt(int, 3000, nr_pages));
	cr_expect(le(long, (long)zone_page_state_snapshot(z, NR_FREE_PAGES), (long)min_wmark_pages(z)));
	cr_expect(op.failed);
	cr_expect(eq(int, op.level, 5));
	cr_expect(has(&op, "__alloc_pages_slowpath"));
	cr_expect(has(&op, "__alloc_pages_direct_reclaim:no_progress"));
	cr_expect(has(&op, "out_of_memory:no_killable_processes"));
	cr_expect(has(&op, "warn_alloc"));
	cr_expect(not(has(&op, "__alloc_pages_direct_compact")));	/* order 0: returns at once */

	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NORETRY, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_direct_reclaim:no_progress"));
	cr_expect(not(has(&op, "out_of_memory:no_killable_processes")));

	cr_expect(eq(ptr, (void *)try_alloc(GFP_NOWAIT, 0, &op), NULL));
	cr_expect(not(has(&op, "__alloc_pages_direct_reclaim:no_progress")));
	cr_expect(has(&op, "warn_alloc"));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_NOWAIT | __GFP_NOFAIL, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath:nopage"));
	cr_expect(not(has(&op, "__alloc_pages_slowpath:nofail_gave_up")));

	/* __GFP_THISNODE: the OOM pass returns at once (no victim for a node-bound request) */
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_THISNODE, 0, &op), NULL));
	cr_expect(not(has(&op, "out_of_memory:no_killable_processes")));

	free_before = (long)zone_page_state_snapshot(z, NR_FREE_PAGES);
	cr_expect(ne(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NOFAIL, 0, &op), NULL));
	cr_expect(has(&op, "out_of_memory:no_killable_processes"));
	cr_expect(not(op.failed));
	cr_expect(ne(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_MEMALLOC, 0, &op), NULL));
	cr_expect(not(has(&op, "__alloc_pages_direct_reclaim:no_progress")));
	cr_expect(le(long, (long)zone_page_state_snapshot(z, NR_FREE_PAGES), free_before));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC, 0, &op), NULL));

	/* costly orders */
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NORETRY, 4, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_direct_compact"));
	cr_expect(not(has(&op, "__alloc_pages_slowpath:retry")));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL, 4, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath:retry"));
	cr_expect(has(&op, "__alloc_pages_direct_reclaim:no_progress"));
	cr_expect(not(has(&op, "out_of_memory:no_killable_processes")));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 4, &op), NULL));
	cr_expect(not(has(&op, "out_of_memory:no_killable_processes")));
	cr_expect(has(&op, "warn_alloc"));

	/* an order the buddy allocator has no list for */
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL, MAX_ORDER, &op), NULL));
	cr_expect(op.failed);
	cr_expect(eq(int, op.order, MAX_ORDER));
	cr_expect(not(has(&op, "__alloc_pages_slowpath")));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}

/*
 * The highatomic reserve handed back: on the dry zone a GFP_ATOMIC order-1 allocation
 * (ALLOC_HIGHATOMIC: no direct reclaim, __GFP_HIGH, order > 0) reserves its pageblock
 * (reserve_highatomic_pageblock: 512 pages, MIGRATE_HIGHATOMIC); the next GFP_KERNEL
 * failure has no reclaim progress, so should_reclaim_retry empties the reserve before
 * giving up (unreserve_highatomic_pageblock with force): the block goes to the request's
 * migratetype (MIGRATE_UNMOVABLE) and nr_reserved_highatomic to 0.
 */
Test(buddy_slowpath, a_dry_zone_gives_back_the_highatomic_reserve, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op = run_dry();
	uint64_t unmovable;

	cr_assert(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 1, &op), NULL));
	cr_assert(has(&op, "reserve_highatomic_pageblock"));
	cr_assert(eq(ulong, z->nr_reserved_highatomic, 512));
	cr_assert(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 1));
	unmovable = buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_UNMOVABLE);

	try_alloc(GFP_KERNEL, 0, &op);
	cr_expect(has(&op, "unreserve_highatomic_pageblock"));
	cr_expect(eq(ulong, z->nr_reserved_highatomic, 0));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 0));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_UNMOVABLE), unmovable + 1));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}

/*
 * should_reclaim_retry (mm/page_alloc.c) with nothing reclaimed: no_progress_loops counts each
 * round with did_some_progress == 0 and the allocation goes on to the OOM pass once it passes
 * MAX_RECLAIM_RETRIES (16, mm/internal.h), even while the watermark check on the exact free count
 * (zone_page_state_snapshot plus zone_reclaimable_pages, 0 here: no page cache) says a retry
 * could succeed.  That happens when a free is still in a CPU's vm_stat_diff: the dry zone is
 * brought to exactly min free pages, folded, then one more page freed and drained to the free
 * lists (+1, under the 16 MiB zone's stat_threshold of 2, calculate_normal_threshold: not
 * folded).  get_page_from_freelist reads zone_page_state (min: fails, free <= min), the retry
 * check reads the snapshot (min + 1: passes).  So the request reclaims 1 + 16 times
 * (do_try_to_free_pages counts ALLOCSTALL once per call), then gives up after the OOM pass.
 */
/* The dry zone brought back to exactly min free pages, folded: the counter and the snapshot agree. */
static void at_min_folded(void)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	unsigned long min = min_wmark_pages(z), free_now;

	run_dry();
	refresh_cpu_vm_stats(0);
	free_now = zone_page_state(z, NR_FREE_PAGES);
	cr_assert(le(ulong, free_now, min));
	/* up to min exactly, folded: the counter and the snapshot agree */
	cr_assert(ge(int, nr_pages, (int)(min - free_now) + 1));
	for (unsigned long i = 0; i < min - free_now; i++) {
		nr_pages--;
		helper_buddy_free(0, pages[nr_pages], 0, NULL);
	}
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_assert(eq(ulong, zone_page_state(z, NR_FREE_PAGES), min));
	cr_assert(eq(int, z->per_cpu_zonestats[0].stat_threshold, 2));	/* 2 * fls(1 CPU) * (1 + fls(16 MiB >> 27)) */
}

static void min_plus_one_in_the_diff(void)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	unsigned long min = min_wmark_pages(z);

	at_min_folded();
	/* one more, on the free lists but only in the CPU's diff */
	nr_pages--;
	helper_buddy_free(0, pages[nr_pages], 0, NULL);
	drain_all_pages();
	cr_assert(eq(ulong, zone_page_state(z, NR_FREE_PAGES), min));
	cr_assert(eq(ulong, zone_page_state_snapshot(z, NR_FREE_PAGES), min + 1));
}

Test(buddy_slowpath, no_progress_retries_stop_at_max_reclaim_retries, .init = up, .fini = down)
{
	struct sim_op op;
	uint64_t stalls;

	min_plus_one_in_the_diff();
	stalls = helper_vmstat_value("allocstall_normal");
	cr_assert(eq(ptr, (void *)try_alloc(GFP_KERNEL, 0, &op), NULL));
	cr_expect(has(&op, "should_reclaim_retry:retry"));
	cr_expect(op.failed);	/* its labels past SIM_PATH_MAX (the OOM pass's) are counted, not kept */
	cr_expect(eq(u64, helper_vmstat_value("allocstall_normal") - stalls, 1 + 16));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}

/*
 * __alloc_pages_slowpath (6.1 mm/page_alloc.c): when __alloc_pages_may_oom reports progress
 * ("if (did_some_progress) { no_progress_loops = 0; goto retry; }") the retry starts a fresh
 * count of MAX_RECLAIM_RETRIES.  The oom_lock held elsewhere is such progress
 * (__alloc_pages_may_oom: mutex_trylock fails, *did_some_progress = 1), and a __GFP_NOFAIL
 * request retries after it once more before it goes to nopage (the model's nofail_rounds);
 * there __alloc_pages_cpuset_fallback with ALLOC_MIN_RESERVE takes a page (min / 2 < min + 1).
 * On the zone of the test above each round reclaims 1 + 16 times (its own first try, then
 * should_reclaim_retry's 16), so the request stalls 2 x 17 times: a count not reset would
 * give up after one more reclaim (18), a count reset to 1 after 15 more (33).
 */
Test(buddy_slowpath, oom_progress_restarts_the_no_progress_count, .init = up, .fini = down)
{
	struct sim_op op;
	uint64_t stalls;

	min_plus_one_in_the_diff();
	stalls = helper_vmstat_value("allocstall_normal");
	cr_assert(mutex_trylock_oom_lock());	/* another task's OOM kill in flight */
	cr_expect(ne(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NOFAIL, 0, &op), NULL));
	mutex_unlock_oom_lock();
	cr_expect(not(op.failed));
	cr_expect(eq(u64, helper_vmstat_value("allocstall_normal") - stalls, 2 * (1 + MAX_RECLAIM_RETRIES)));
	/* called outside a run there is no task to put to sleep for the jiffy: no clock jump */
	cr_expect(lt(u64, op.end_ns - op.start_ns, OOM_LOCK_WAIT_NS));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}

/*
 * __alloc_pages_slowpath (6.1 mm/page_alloc.c) "nopage:" for __GFP_NOFAIL with direct reclaim:
 * __alloc_pages_cpuset_fallback at ALLOC_MIN_RESERVE, where the kernel would then loop forever
 * (the model gives up: __alloc_pages_slowpath:nofail_gave_up, then warn_alloc).  The zone
 * emptied to its last page by __GFP_MEMALLOC (ALLOC_NO_WATERMARKS); the request also
 * __GFP_NORETRY, so no reclaim retry or OOM pass comes between (its labels stay within
 * SIM_PATH_MAX): the fallback finds nothing and the request fails.
 */
Test(buddy_slowpath, an_empty_zone_fails_even_a_nofail_request, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op;

	run_dry();
	while (try_alloc(GFP_KERNEL | __GFP_MEMALLOC, 0, &op))
		;
	drain_all_pages();
	cr_assert(eq(ulong, zone_page_state_snapshot(z, NR_FREE_PAGES), 0));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NOFAIL | __GFP_NORETRY, 0, &op), NULL));
	cr_expect(op.failed);
	cr_expect(has(&op, "__alloc_pages_slowpath:nopage"));
	cr_expect(has(&op, "__alloc_pages_slowpath:nofail_gave_up"));
	cr_expect(has(&op, "warn_alloc"));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}

/*
 * should_reclaim_retry (6.1 mm/page_alloc.c): "if (did_some_progress && order <=
 * PAGE_ALLOC_COSTLY_ORDER) *no_progress_loops = 0": a round that reclaimed something starts
 * the count of MAX_RECLAIM_RETRIES (16) afresh.  One page of page cache read before the zone
 * runs dry; the zone back at exactly min free pages (folded).  The request's first reclaim
 * frees that page (progress) into CPU 0's diff (1, under the threshold 2: not folded), so
 * get_page_from_freelist still reads min and fails while the retry check's snapshot reads
 * min + 1 and passes; every later round reclaims nothing.  So: 1 round with progress, then
 * 16 retries without, then the 17th without progress gives up: 18 reclaims (counted by
 * ALLOCSTALL, once per try_to_free_pages).  The cache page is read once the zone is dry (with
 * the watermarks out of the way for that one read), so it is the only reclaimable page.
 */
Test(buddy_slowpath, a_round_with_progress_restarts_the_retry_count, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct address_space *m = mapping_create(16);
	unsigned long wmark[NR_WMARK];
	struct sim_op op;
	uint64_t stalls;
	bool hit;

	cr_assert(ne(ptr, (void *)m, NULL));
	at_min_folded();
	/* the cache page read past the watermarks, then the zone back to exactly min */
	memcpy(wmark, z->_watermark, sizeof(wmark));
	memset(z->_watermark, 0, sizeof(z->_watermark));
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	memcpy(z->_watermark, wmark, sizeof(wmark));
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	while (zone_page_state(z, NR_FREE_PAGES) < min_wmark_pages(z)) {
		cr_assert(lt(int, 0, nr_pages));
		nr_pages--;
		helper_buddy_free(0, pages[nr_pages], 0, NULL);
		drain_all_pages();
		refresh_cpu_vm_stats(0);
	}
	cr_assert(eq(ulong, zone_page_state(z, NR_FREE_PAGES), min_wmark_pages(z)));
	cr_assert(eq(ulong, zone_page_state_snapshot(z, NR_FREE_PAGES), min_wmark_pages(z)));
	cr_assert(eq(ulong, zone_reclaimable_pages(z), 1));
	stalls = helper_vmstat_value("allocstall_normal");
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL, 0, &op), NULL));
	cr_expect(eq(u64, helper_vmstat_value("allocstall_normal") - stalls, 1 + MAX_RECLAIM_RETRIES + 1));
	cr_expect(lt(u64, 0, helper_vmstat_value("pgsteal_direct")));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
	mapping_destroy(m);
}

/*
 * __alloc_pages_slowpath (6.1 mm/page_alloc.c, after the direct compaction attempt): "Do not
 * retry costly high order allocations unless they are __GFP_RETRY_MAYFAIL and we can compact":
 * a costly order (4 > PAGE_ALLOC_COSTLY_ORDER) without __GFP_RETRY_MAYFAIL goes to nopage
 * before should_reclaim_retry, so the highatomic reserve that should_reclaim_retry hands back
 * when it gives up (unreserve_highatomic_pageblock with force) stays; with __GFP_RETRY_MAYFAIL
 * (and __GFP_IO: can_compact) the same request reaches should_reclaim_retry, which empties it.
 * The reserve is the block a GFP_ATOMIC order-1 request takes on the dry zone, as above.
 */
Test(buddy_slowpath, a_costly_order_retries_only_with_retry_mayfail, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op = run_dry();

	cr_assert(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 1, &op), NULL));
	cr_assert(eq(ulong, z->nr_reserved_highatomic, 512));

	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL, 4, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath:retry"));
	cr_expect(not(has(&op, "unreserve_highatomic_pageblock")));
	cr_expect(eq(ulong, z->nr_reserved_highatomic, 512));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 1));

	try_alloc(GFP_KERNEL | __GFP_RETRY_MAYFAIL, 4, &op);
	cr_expect(has(&op, "unreserve_highatomic_pageblock"));
	cr_expect(eq(ulong, z->nr_reserved_highatomic, 0));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 0));

	for (int i = 0; i < nr_pages; i++)
		helper_buddy_free(0, pages[i], pages[i]->order, NULL);
	nr_pages = 0;
}
