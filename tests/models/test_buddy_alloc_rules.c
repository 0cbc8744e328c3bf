/*
 * test_buddy_alloc_rules.c - decisions of __alloc_pages and its slow path
 * (models/buddy/alloc.c against mm/page_alloc.c of linux-6.1), suite
 * `buddy_alloc_rules`: what a request above MAX_ORDER records (with an engine or
 * none), __GFP_NOMEMALLOC
 * leaving the early compaction of a costly request alone, and direct reclaim
 * that makes progress but not enough (one drain, one retry, then NULL).
 *
 * Strategy: one node with one 16 MiB Normal zone and one vCPU, run dry with
 * GFP_KERNEL order-0 requests as test_buddy_slowpath.c does; the operation's
 * path labels say which way the slow path went.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/buddy/vmscan.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define NR_MAX 8192

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
	free(pages);
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static bool has(const struct sim_op *op, const char *label)
{
	return helper_slab_op_has_label(op, label);
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

/* GFP_KERNEL order 0 until the first failure: the zone at its min watermark */
static void run_dry(void)
{
	struct sim_op op;

	while (try_alloc(GFP_KERNEL, 0, &op))
		;
}

/*
 * __alloc_pages (6.1 mm/page_alloc.c): order >= MAX_ORDER fails before anything else; the
 * model still records the request (mm_page_alloc's gfp, order and the migratetype of
 * gfp_migratetype: MOVABLE for GFP_HIGHUSER_MOVABLE, RECLAIMABLE for __GFP_RECLAIMABLE).
 */
Test(buddy_alloc_rules, an_order_above_max_is_recorded_with_its_migratetype, .init = up, .fini = down)
{
	static const struct { gfp_t gfp; int mt; } t[] = {
		{ GFP_HIGHUSER_MOVABLE, MIGRATE_MOVABLE },
		{ GFP_KERNEL | __GFP_RECLAIMABLE, MIGRATE_RECLAIMABLE },
		{ GFP_KERNEL, MIGRATE_UNMOVABLE },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct sim_op op;

		cr_expect(eq(ptr, (void *)try_alloc(t[i].gfp, MAX_ORDER, &op), NULL));
		cr_expect(op.failed, "gfp %#x", t[i].gfp);
		cr_expect(eq(int, op.order, MAX_ORDER), "gfp %#x", t[i].gfp);
		cr_expect(eq(int, op.migratetype, t[i].mt), "gfp %#x", t[i].gfp);
		cr_expect(not(has(&op, "__alloc_pages_slowpath")), "gfp %#x", t[i].gfp);
	}
}

/*
 * The same refusal outside any engine (a tool or a test calling the model with no vCPU to
 * account to): __alloc_pages checks the order first (6.1 mm/page_alloc.c, "order >=
 * MAX_ORDER: return NULL"), and the path helpers it passes through on the way (its label,
 * the record of the request) find no current operation and record nothing.
 */
Test(buddy_alloc_rules, an_order_above_max_fails_without_an_engine, .init = up, .fini = down)
{
	struct sim_engine *saved = sim;

	sim = NULL;
	cr_expect(eq(ptr, (void *)__alloc_pages(GFP_KERNEL, MAX_ORDER, 0, NULL), NULL));
	cr_expect(eq(ptr, (void *)buddy_op(SIM_OP_PAGE_ALLOC), NULL));
	buddy_level(SIM_OP_PAGE_ALLOC, 5);
	buddy_path_label(sim_path_label_id("__alloc_pages"));
	sim = saved;
}

/*
 * __alloc_pages_slowpath (6.1): a costly request (order > PAGE_ALLOC_COSTLY_ORDER) tries
 * compaction before reclaim unless gfp_pfmemalloc_allowed; __GFP_NOMEMALLOC makes
 * __gfp_pfmemalloc_flags 0, so it is not allowed and compaction runs; with __GFP_NORETRY
 * a skipped or deferred compaction ends the request there (goto nopage), before "retry:".
 * At retry, reserve_flags 0 leaves alloc_flags as gfp_to_alloc_flags made them.
 */
Test(buddy_alloc_rules, nomemalloc_keeps_the_early_compaction, .init = up, .fini = down)
{
	struct sim_op op;

	run_dry();
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NORETRY | __GFP_NOMEMALLOC, 4, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_direct_compact"));
	cr_expect(not(has(&op, "__alloc_pages_slowpath:retry")));
	cr_expect(has(&op, "__alloc_pages_slowpath:nopage"));
	/* the same with __GFP_MEMALLOC too: NOMEMALLOC wins, no reserve */
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_MEMALLOC, 4, &op),
		     NULL));
	cr_expect(has(&op, "__alloc_pages_direct_compact"));
	cr_expect(not(has(&op, "__alloc_pages_slowpath:retry")));
}

/*
 * __alloc_pages_direct_reclaim (6.1): after progress, a failed get_page_from_freelist
 * unreserves the highatomic blocks, drains the pcp lists and tries once more ("if (!page &&
 * !drained)"), then gives up: NULL back to the slow path, which with __GFP_NORETRY stops
 * (nopage).  Page cache fills the zone to its min watermark, then __GFP_MEMALLOC takes 100
 * pages past it: one reclaim pass (nr_to_reclaim SWAP_CLUSTER_MAX, 32) makes progress but
 * leaves the zone below min.
 */
Test(buddy_alloc_rules, reclaim_progress_short_of_the_watermark_drains_once, .init = up, .fini = down)
{
	struct address_space *m = mapping_create(1 << 20);
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op;
	bool hit;

	cr_assert(ne(ptr, (void *)m, NULL));
	for (uint64_t i = 0; (long)zone_page_state_snapshot(z, NR_FREE_PAGES) > (long)min_wmark_pages(z); i++) {
		cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
		drain_all_pages();
	}
	for (int i = 0; i < 100; i++)
		cr_assert(ne(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_MEMALLOC, 0, &op), NULL));
	cr_assert(lt(long, (long)zone_page_state_snapshot(z, NR_FREE_PAGES) + 50, (long)min_wmark_pages(z)));

	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_NORETRY, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_direct_reclaim"));
	cr_expect(not(has(&op, "__alloc_pages_direct_reclaim:no_progress")));
	cr_expect(has(&op, "__alloc_pages_slowpath:nopage"));
	cr_expect(lt(u64, 0, helper_vmstat_value("pgsteal_direct")));
	mapping_destroy(m);
}

/*
 * prep_new_page (6.1 mm/page_alloc.c): "if (order && (gfp_flags & __GFP_COMP))
 * prep_compound_page": only a compound request of order > 0 gets a head and tails; an
 * order-2 request without __GFP_COMP is four plain pages, an order-0 one with it a plain page.
 */
Test(buddy_alloc_rules, only_a_compound_request_above_order_0_is_compound, .init = up, .fini = down)
{
	struct page *p;

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 2, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u32, p->flags & (PG_head | PG_tail), 0));
	for (int i = 1; i < 4; i++)
		cr_expect(eq(u32, p[i].flags & (PG_head | PG_tail), 0), "page %d", i);
	helper_buddy_free(0, p, 2, NULL);

	p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u32, p->flags & (PG_head | PG_tail), 0));
	helper_buddy_free(0, p, 0, NULL);

	p = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 2, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u32, p->flags & PG_head, PG_head));
	for (int i = 1; i < 4; i++)
		cr_expect(eq(u32, p[i].flags & PG_tail, PG_tail), "page %d", i);
	cr_expect(eq(u32, p[4].flags & PG_tail, 0));
	helper_buddy_free(0, p, 2, NULL);
}

/*
 * alloc_flags_nofragment (6.1): a request whose preferred zone is Normal gets
 * ALLOC_NOFRAGMENT unless the machine has more than one node and this node no DMA32
 * ("nr_online_nodes > 1 && !populated_zone(--zone)"): on one node it gets it even with no
 * DMA32 at all.  So with only small MOVABLE blocks left, an UNMOVABLE request's first
 * fallback (whole pageblocks only, __rmqueue_fallback's min_order = pageblock_order) finds
 * nothing, and get_page_from_freelist retries without ALLOC_NOFRAGMENT, which steals one.
 */
Test(buddy_alloc_rules, one_node_without_dma32_still_avoids_fragmenting_first, .init = up, .fini = down)
{
	struct sim_op op;
	struct page *p;

	while (try_alloc(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY, 0, &op))
		;
	/* every other page back: order-0 MOVABLE blocks that cannot merge */
	for (int i = 0; i < 400 && i < nr_pages; i += 2) {
		helper_buddy_free(0, pages[i], 0, NULL);
		pages[i] = NULL;
	}
	drain_all_pages();
	for (int order = (int)pageblock_order; order < MAX_ORDER; order++)
		cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_NORMAL, order), 0), "order %d", order);
	cr_assert(eq(u64, buddy_zone_nr_free_mt(0, ZONE_NORMAL, 0, MIGRATE_UNMOVABLE), 0));

	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(has(&op, "__rmqueue_fallback"));
	cr_expect(has(&op, "get_page_from_freelist:retry_nofragment"));
	helper_buddy_free(0, p, 0, NULL);
}

/*
 * wake_all_kswapds (6.1 mm/page_alloc.c) walks the request's zonelist and calls
 * wakeup_kswapd for the first zone of each node ("if (last_pgdat != zone->zone_pgdat)"),
 * which leaves the order and highest zone index for that node's kswapd.  Two nodes with one
 * Normal zone each, both zones' low marks out of reach (min 0): a GFP_KERNEL order-3 request
 * misses the fast path, and the slow path's wake_all_kswapds records order 3 and ZONE_NORMAL
 * on both nodes before the min-watermark attempt serves it.
 */
Test(buddy_alloc_rules, the_slow_path_wakes_each_node_s_kswapd, .fini = down)
{
	uint64_t zones[2][4] = { { 0, 0, 64, 0 }, { 0, 0, 64, 0 } };
	int c[2] = { 1, 1 };
	struct sim_op op;
	struct page *p;

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pages = NULL;
	for (int nid = 0; nid < 2; nid++) {
		struct zone *z = &NODE_DATA(nid)->node_zones[ZONE_NORMAL];

		z->_watermark[WMARK_MIN] = 0;
		z->_watermark[WMARK_LOW] = z->_watermark[WMARK_HIGH] = 1UL << 30;
		z->watermark_boost = 0;
		NODE_DATA(nid)->kswapd_order = 0;
		NODE_DATA(nid)->kswapd_highest_zoneidx = MAX_NR_ZONES;
	}
	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 3, &op);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(has(&op, "wake_all_kswapds"));
	for (int nid = 0; nid < 2; nid++) {
		cr_expect(eq(int, NODE_DATA(nid)->kswapd_order, 3), "node %d", nid);
		cr_expect(eq(int, (int)NODE_DATA(nid)->kswapd_highest_zoneidx, ZONE_NORMAL), "node %d", nid);
	}
}

static uint64_t oom_t0, oom_t1;
static struct page *oom_page;
static struct sim_op oom_op;

static void oom_task(struct sim_task *t, void *arg)
{
	(void)t, (void)arg;
	oom_t0 = sim_now();
	sim_op_begin(&oom_op, SIM_OP_PAGE_ALLOC);
	oom_page = alloc_pages_node(0, GFP_KERNEL, 0);
	sim_op_end(&oom_op);
	oom_t1 = sim_now();
}

/*
 * __alloc_pages_may_oom (6.1): "if (!mutex_trylock(&oom_lock)) { *did_some_progress = 1;
 * schedule_timeout_uninterruptible(1); return NULL; }" -- somebody else is killing for us,
 * so this task sleeps a jiffy (OOM_LOCK_WAIT_NS) and retries.  A task on a dry zone while the
 * test holds the oom_lock: its request fails in the end, after OOM_MAX_ROUNDS + 1 jiffies.
 */
Test(buddy_alloc_rules, a_busy_oom_lock_sleeps_a_jiffy, .init = up, .fini = down)
{
	run_dry();
	cr_assert(mutex_trylock_oom_lock());
	cr_assert(ne(ptr, sim_task_create(0, true, 500, oom_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	mutex_unlock_oom_lock();
	cr_expect(eq(ptr, (void *)oom_page, NULL));
	cr_expect(has(&oom_op, "__alloc_pages_may_oom:oom_lock_busy"));
	cr_expect(le(u64, OOM_LOCK_WAIT_NS, oom_t1 - oom_t0), "slept %llu ns", (unsigned long long)(oom_t1 - oom_t0));
	/* each busy pass counts as progress and retries, until the model's bound on OOM rounds:
	 * rounds 0 .. OOM_MAX_ROUNDS each sleep one jiffy, the last gives up */
	cr_expect(le(u64, (OOM_MAX_ROUNDS + 1) * OOM_LOCK_WAIT_NS, oom_t1 - oom_t0));
	cr_expect(lt(u64, oom_t1 - oom_t0, (OOM_MAX_ROUNDS + 2) * OOM_LOCK_WAIT_NS), "slept %llu ns",
		  (unsigned long long)(oom_t1 - oom_t0));
}

/*
 * gfp_to_alloc_flags (6.1.192): a request that may not block and has __GFP_HIGH gets
 * ALLOC_HIGHATOMIC only above order 0 ("if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))"),
 * and get_page_from_freelist reserves the page's pageblock as MIGRATE_HIGHATOMIC only with it
 * (reserve_highatomic_pageblock).  The zone's low mark out of reach (min 0) sends GFP_ATOMIC
 * to the slow path: order 0 reserves nothing, order 1 one pageblock (512 pages).
 */
Test(buddy_alloc_rules, only_high_order_atomic_requests_reserve_a_pageblock, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op;

	z->_watermark[WMARK_MIN] = 0;
	z->_watermark[WMARK_LOW] = z->_watermark[WMARK_HIGH] = 1UL << 30;
	z->watermark_boost = 0;
	cr_assert(eq(u64, z->nr_reserved_highatomic, 0));
	cr_assert(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath"));
	cr_expect(eq(u64, z->nr_reserved_highatomic, 0));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 0));
	cr_assert(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 1, &op), NULL));
	cr_expect(eq(u64, z->nr_reserved_highatomic, pageblock_nr_pages));
	cr_expect(eq(u64, buddy_zone_nr_pageblocks_mt(0, ZONE_NORMAL, MIGRATE_HIGHATOMIC), 1));
}

/*
 * zone_watermark_fast (6.1): an order-0 __GFP_ATOMIC request checked at the min mark tries
 * again at the unboosted min (the boost must not fail atomic requests); __alloc_pages_slowpath
 * first drops __GFP_ATOMIC from a request that may also reclaim directly (a caller bug).  A
 * zone with min 0, low and high out of reach and a huge boost: GFP_ATOMIC misses the fast
 * path (low mark) and gets its page in the slow path at the unboosted min; GFP_KERNEL |
 * __GFP_ATOMIC | __GFP_NORETRY loses __GFP_ATOMIC, sees only the boosted mark and fails.
 */
Test(buddy_alloc_rules, the_boost_never_fails_an_atomic_request_at_min, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	struct sim_op op;

	z->_watermark[WMARK_MIN] = 0;
	z->_watermark[WMARK_LOW] = z->_watermark[WMARK_HIGH] = 1UL << 30;
	z->watermark_boost = 1UL << 30;
	cr_expect(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath"));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL | __GFP_ATOMIC | __GFP_NORETRY, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath:nopage"));
	z->watermark_boost = 0;
}

/*
 * gfp_to_alloc_flags and __zone_watermark_ok (6.1 mm/page_alloc.c): a request that cannot
 * reclaim directly is ALLOC_NON_BLOCK unless __GFP_NOMEMALLOC; __GFP_HIGH is
 * ALLOC_MIN_RESERVE.  MIN_RESERVE lowers the min mark by half ("min -= min / 2"), and
 * NON_BLOCK with it by a quarter of the rest ("min -= min / 4"); NON_BLOCK alone lowers
 * nothing.  The zone's min set to twice its free count F (low and high out of reach, so
 * every request takes the slow path at the min mark): GFP_ATOMIC passes (F > F - F / 4),
 * GFP_ATOMIC | __GFP_NOMEMALLOC (MIN_RESERVE only) and GFP_NOWAIT (NON_BLOCK only) fail.
 * GFP_ATOMIC gets its page from the slow path's first get_page_from_freelist, the one with
 * the precise alloc_flags that comes before the "retry:" label.
 */
Test(buddy_alloc_rules, only_a_non_blocking_high_request_gets_the_last_quarter, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	unsigned long free;
	struct sim_op op;

	refresh_cpu_vm_stats(0);
	free = zone_page_state(z, NR_FREE_PAGES);
	cr_assert(lt(ulong, 100, free));
	z->_watermark[WMARK_MIN] = 2 * free;
	z->_watermark[WMARK_LOW] = z->_watermark[WMARK_HIGH] = 1UL << 30;
	z->watermark_boost = 0;
	cr_expect(eq(ptr, (void *)try_alloc(GFP_NOWAIT, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath"));
	cr_expect(eq(ptr, (void *)try_alloc(GFP_ATOMIC | __GFP_NOMEMALLOC, 0, &op), NULL));
	cr_expect(eq(ulong, zone_page_state(z, NR_FREE_PAGES), free));
	cr_expect(ne(ptr, (void *)try_alloc(GFP_ATOMIC, 0, &op), NULL));
	cr_expect(has(&op, "__alloc_pages_slowpath"));
	/* __alloc_pages_slowpath's first attempt with these flags, before "retry:" */
	cr_expect(not(has(&op, "__alloc_pages_slowpath:retry")));
}

/*
 * __alloc_pages_slowpath (6.1): costly_order is order > PAGE_ALLOC_COSTLY_ORDER (3), and
 * __alloc_pages_may_oom skips the OOM killer only above it; an order-3 GFP_KERNEL request on
 * a dry zone is not costly: it retries reclaim and calls out_of_memory (no victim: NULL).
 */
Test(buddy_alloc_rules, order_3_is_not_costly_and_reaches_the_oom_killer, .init = up, .fini = down)
{
	struct sim_op op;

	run_dry();
	cr_expect(eq(ptr, (void *)try_alloc(GFP_KERNEL, 3, &op), NULL));
	cr_expect(has(&op, "out_of_memory:no_killable_processes"));
	cr_expect(has(&op, "warn_alloc"));
}

/*
 * The path of a plain request and of its free (6.1): __alloc_pages serves an order-0 page
 * from the pcp list; __free_pages -> free_the_page -> free_unref_page for an order the pcp
 * lists take (pcp_allowed_order), and __free_pages_ok for a max-order block.
 */
Test(buddy_alloc_rules, the_labels_of_a_plain_request_and_its_free, .init = up, .fini = down)
{
	struct sim_op op;
	struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);

	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(has(&op, "__alloc_pages"));
	cr_expect(not(has(&op, "__alloc_pages_slowpath")));
	helper_buddy_free(0, p, 0, &op);
	cr_expect(has(&op, "__free_pages"));
	cr_expect(has(&op, "free_unref_page"));
	p = helper_buddy_alloc(0, 0, GFP_KERNEL, MAX_ORDER - 1, &op);
	cr_assert(ne(ptr, (void *)p, NULL));
	helper_buddy_free(0, p, MAX_ORDER - 1, &op);
	cr_expect(has(&op, "__free_pages"));
	cr_expect(not(has(&op, "free_unref_page")));
}

/*
 * alloc_pages_node (6.1 include/linux/gfp.h): "if (nid == NUMA_NO_NODE) nid = numa_mem_id()":
 * no node given means the allocating CPU's node, whose zonelist starts with its own zones.
 * Two nodes of one vCPU each: CPU 1's request with NUMA_NO_NODE gets a page of node 1, CPU 0's
 * a page of node 0.
 */
Test(buddy_alloc_rules, no_node_given_is_the_cpu_s_node, .fini = down)
{
	uint64_t zones[2][4] = { { 0, 64, 0, 0 }, { 0, 0, 64, 0 } };
	int c[2] = { 1, 1 };

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int cpu = 1; cpu >= 0; cpu--) {
		struct page *p = helper_buddy_alloc(cpu, NUMA_NO_NODE, GFP_KERNEL, 0, NULL);

		cr_assert(ne(ptr, (void *)p, NULL), "cpu %d", cpu);
		cr_expect(eq(int, page_to_nid(p), cpu_to_node(cpu)), "cpu %d", cpu);
		cr_expect(eq(int, page_to_nid(p), cpu), "cpu %d", cpu);
		helper_buddy_free(cpu, p, 0, NULL);
	}
}

/*
 * alloc_flags_nofragment (6.1 mm/page_alloc.c) on NUMA: "if (nr_online_nodes > 1 &&
 * !populated_zone(--zone)) return alloc_flags": the zone below the preferred Normal zone,
 * DMA32, decides (ZONE_NORMAL - ZONE_DMA32 == 1), whatever DMA is.  With ALLOC_NOFRAGMENT,
 * get_page_from_freelist leaves the local node only after a retry without it
 * ("get_page_from_freelist:retry_nofragment").  Two nodes; node 0's zones' watermarks out of
 * reach, so CPU 0's request lands on node 1: a node 0 with DMA32 and Normal but no DMA
 * retries (NOFRAGMENT was set), a node 0 with DMA and Normal but no DMA32 does not.
 */
Test(buddy_alloc_rules, on_numa_the_node_s_dma32_decides_nofragment, .fini = down)
{
	static const struct { uint64_t node0[4]; bool retry; } t[] = {
		{ { 0, 64, 64, 0 }, true },
		{ { 16, 0, 64, 0 }, false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t zones[2][4] = { { 0 }, { 0, 0, 64, 0 } };
		int c[2] = { 1, 1 };
		struct sim_op op;
		struct page *p;

		memcpy(zones[0], t[i].node0, sizeof(zones[0]));
		sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
		cr_assert(ne(ptr, (void *)sc, NULL));
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			for (int w = 0; w < NR_WMARK; w++)
				NODE_DATA(0)->node_zones[zid]._watermark[w] = 1UL << 30;
		p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
		cr_assert(ne(ptr, (void *)p, NULL), "case %zu", i);
		cr_expect(eq(int, page_to_nid(p), 1), "case %zu", i);
		cr_expect(eq(int, has(&op, "get_page_from_freelist:retry_nofragment"), t[i].retry), "case %zu", i);
		helper_buddy_free(0, p, 0, NULL);
		helper_buddy_machine_down(sc);
		sc = NULL;
	}
}
