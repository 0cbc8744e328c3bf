/*
 * alloc.c - the buddy allocator's allocation entry (mm/page_alloc.c and
 * mm/mempolicy.c, 6.1.192): alloc_pages / alloc_pages_node -> __alloc_pages
 * -> prepare_alloc_pages -> get_page_from_freelist (the zonelist walk with
 * watermark checks) -> rmqueue (rmqueue.c); when the fast attempt fails,
 * __alloc_pages_slowpath.
 *
 * Differences from the kernel (the whole buddy model; each names the kernel
 * function it concerns):
 *  - Reclaim, kswapd and the OOM killer are in vmscan.c, kswapd.c and
 *    oom_kill.c, with their own differences from the kernel; what they can
 *    reclaim is the LRU model's page cache (no swap), what the OOM killer
 *    can kill the tasks that fault anonymous memory.
 *    __alloc_pages_direct_compact migrates only the pages whose owner lets
 *    them move (compaction.c).  A __GFP_NOFAIL request, which the kernel
 *    retries forever, fails after one round of its reserve attempts.  Tasks
 *    are not PF_MEMALLOC during direct reclaim (nothing in the model's
 *    reclaim allocates); a task that waits for the oom_lock sleeps one jiffy
 *    (4 ms) and retries.
 *  - No cpusets, mempolicies (alloc_pages uses the local node), memcg
 *    charging, node_reclaim (node_reclaim_mode 0), dirty-page spreading, CMA,
 *    page isolation, debug checks (check_new_pages), KASAN, page owner,
 *    deferred struct page init (_deferred_grow_zone), page reporting or free
 *    page shuffling (off by default in the kernel too).
 *  - Tasks are never PF_MEMALLOC, OOM victims or real-time, so only
 *    __GFP_MEMALLOC grants ALLOC_NO_WATERMARKS (__gfp_pfmemalloc_flags) and
 *    gfp_to_alloc_flags never adds ALLOC_MIN_RESERVE for rt tasks.
 *  - Pages hold one reference: __free_pages always frees (put_page_testzero).
 *  - By default zones have no holes: present == spanned == managed, no
 *    memblock reservations (so managed counts exceed a real machine's by the
 *    memmap, kernel image, ...).  A scenario may give a zone's present and
 *    managed pages (replay copies a capture's zoneinfo): the holes and the
 *    reserved pages are then one range at the end of the zone (init.c), not
 *    where the firmware and memblock put them.  Boot memory is freed as __free_pages_memory would,
 *    in address order with FPI_TO_TAIL, without deferred init; the untouched
 *    max-order blocks are an implicit list range (buddy_int.h).
 *  - min_free_kbytes follows init_per_zone_wmark_min, then khugepaged's
 *    set_recommended_min_free_kbytes (Debian: THP on), then scenario
 *    overrides as sysctl writes.  NR_FREE_PAGES drifts per CPU as in the
 *    kernel (vmstat.c); on 6.1 no vmstat worker folds the diffs each second
 *    (6.12 runs it for decay_pcp_high, vmstat.c).
 *  - move_freepages counts as "movable" the allocated pages whose
 *    allocation migratetype was MOVABLE (no LRU), a compound page's tails
 *    with their head (PageLRU is PF_HEAD).
 *  - No tracepoints are emitted; remote pcp expiry (drain_zone_pages from
 *    the vmstat worker) runs only where the worker does (6.12).
 *  - Model bookkeeping the kernel lacks: page->order of an allocated page is
 *    its allocation order; a block on a free list keeps its list's
 *    migratetype in page->pcp_mt; frees refused as bad pages are counted.
 *  - free_pcppages_bulk stops and records a bug (buddy_bug, reported by
 *    buddy_check) when every pcp list is empty with pages left to free,
 *    where the kernel would spin forever; only SIM_GUARD_PCP_LOCK switched
 *    off gets there.
 */
#include "buddy_int.h"

/* kernel: prep_new_page / post_alloc_hook, mm/page_alloc.c (init_on_alloc: Debian default on) */
void prep_new_page(struct page *page, unsigned int order, gfp_t gfp_flags, unsigned int alloc_flags)
{
	uint64_t pfn = page_to_pfn(page);

	page->flags |= PG_allocated;
	page->order = (uint8_t)order;
	sim_mem_clear(pfn, 1UL << order);	/* kernel_init_pages: reads give zero */
	if (order && (gfp_flags & __GFP_COMP)) {	/* prep_compound_page */
		page->flags |= PG_head;
		for (uint64_t i = 1; i < (1UL << order); i++) {
			page[i].flags |= PG_tail;
			page[i].lru_next = (uint32_t)(pfn + 1);	/* compound_head */
		}
	}
	if (alloc_flags & ALLOC_NO_WATERMARKS)
		page->flags |= PG_pfmemalloc;
	else
		page->flags &= ~PG_pfmemalloc;
}

/* kernel: alloc_flags_nofragment, mm/page_alloc.c */
static unsigned int alloc_flags_nofragment(struct zone *zone, gfp_t gfp_mask)
{
	unsigned int alloc_flags = gfp_mask & __GFP_KSWAPD_RECLAIM;	/* == ALLOC_KSWAPD */

	if (!zone || zone_idx(zone) != ZONE_NORMAL)
		return alloc_flags;
	/* spread between Normal and DMA32 only; on NUMA only if this node has DMA32 */
	if (buddy_nr_node_ids > 1 && !populated_zone(zone - 1))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

/* kernel: wake_all_kswapds, mm/page_alloc.c -- each node of the zonelist once */
static void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac)
{
	struct pglist_data *last_pgdat = NULL;
	enum zone_type highest_zoneidx = ac->highest_zoneidx;
	struct zoneref *z;
	struct zone *zone;

	BUDDY_LABEL("wake_all_kswapds");
	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, highest_zoneidx, ac->nodemask) {
		if (last_pgdat != zone->zone_pgdat)
			wakeup_kswapd(zone, gfp_mask, (int)order, highest_zoneidx);
		last_pgdat = zone->zone_pgdat;
	}
}

/* kernel: gfp_to_alloc_flags, mm/page_alloc.c (6.1.192 reserve flags) */
static unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH is ALLOC_MIN_RESERVE, __GFP_KSWAPD_RECLAIM is ALLOC_KSWAPD */
	alloc_flags |= gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);

	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp_mask & __GFP_NOMEMALLOC)) {
			alloc_flags |= ALLOC_NON_BLOCK;
			if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE))
				alloc_flags |= ALLOC_HIGHATOMIC;
		}
		/* GFP_ATOMIC ignores cpuset mems rather than fail */
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

/* kernel: __gfp_pfmemalloc_flags, mm/page_alloc.c (no PF_MEMALLOC tasks, no OOM victims) */
static int __gfp_pfmemalloc_flags(gfp_t gfp_mask)
{
	if (unlikely(gfp_mask & __GFP_NOMEMALLOC))
		return 0;
	if (gfp_mask & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	return 0;
}

/* kernel: should_reclaim_retry, mm/page_alloc.c */
static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac,
				 int alloc_flags, bool did_some_progress, int *no_progress_loops)
{
	struct zoneref *z;
	struct zone *zone;
	bool ret = false;

	(void)gfp_mask;
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		goto out;

	/* would reclaiming everything reclaimable meet the min watermark? */
	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		unsigned long available = zone_reclaimable_pages(zone);

		available += zone_page_state_snapshot(zone, NR_FREE_PAGES);

		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
					(unsigned int)alloc_flags, (long)available)) {
			ret = true;
			break;
		}
	}
	if (in_task())
		sim_cond_resched();
out:
	/* before giving up, empty the highatomic reserve */
	if (!ret)
		return KOPS(buddy)->unreserve_highatomic_pageblock(ac, true);
	BUDDY_LABEL("should_reclaim_retry:retry");
	return ret;
}

/* kernel: __perform_reclaim, mm/page_alloc.c */
static unsigned long __perform_reclaim(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac)
{
	unsigned long progress;

	if (in_task())
		sim_cond_resched();
	/* memalloc_noreclaim_save: PF_MEMALLOC (nothing below allocates in the model) */
	progress = try_to_free_pages(ac->zonelist, (int)order, gfp_mask, ac->nodemask);
	if (in_task())
		sim_cond_resched();
	return progress;
}

/* kernel: __alloc_pages_direct_reclaim, mm/page_alloc.c */
static struct page *__alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
						 const struct alloc_context *ac, unsigned long *did_some_progress)
{
	struct page *page = NULL;
	bool drained = false;

	BUDDY_LABEL("__alloc_pages_direct_reclaim");
	*did_some_progress = __perform_reclaim(gfp_mask, order, ac);
	if (unlikely(!(*did_some_progress))) {
		BUDDY_LABEL("__alloc_pages_direct_reclaim:no_progress");
		return NULL;
	}
retry:
	page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	/* pages pinned on pcp lists or in highatomic reserves: release them and try again */
	if (!page && !drained) {
		KOPS(buddy)->unreserve_highatomic_pageblock(ac, false);
		drain_all_pages();
		drained = true;
		goto retry;
	}
	return page;
}

/* kernel: __alloc_pages_cpuset_fallback, mm/page_alloc.c */
static struct page *__alloc_pages_cpuset_fallback(gfp_t gfp_mask, unsigned int order,
						  unsigned int alloc_flags, const struct alloc_context *ac)
{
	struct page *page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)(alloc_flags | ALLOC_CPUSET), ac);

	if (!page)
		page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	return page;
}

/* kernel: __alloc_pages_may_oom, mm/page_alloc.c */
static struct page *__alloc_pages_may_oom(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac,
					  unsigned long *did_some_progress)
{
	struct oom_control oc = {
		.zonelist = ac->zonelist, .nodemask = ac->nodemask, .gfp_mask = gfp_mask, .order = (int)order,
	};
	struct page *page;

	*did_some_progress = 0;
	/* somebody else holds the oom_lock and makes progress for us */
	if (!mutex_trylock_oom_lock()) {
		BUDDY_LABEL("__alloc_pages_may_oom:oom_lock_busy");
		*did_some_progress = 1;
		if (in_task() && sim->running)
			sim_task_sleep_until(sim_now() + OOM_LOCK_WAIT_NS);	/* schedule_timeout_uninterruptible(1) */
		return NULL;
	}
	/* one more pass at the high watermark, to catch a parallel OOM kill */
	page = KOPS(buddy)->get_page_from_freelist((gfp_mask | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		goto out;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		goto out;
	if (gfp_mask & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		goto out;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		goto out;
	/* blame time; a NOFAIL request counts as progress even when nobody was killed */
	if (out_of_memory(&oc) || (gfp_mask & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		if (gfp_mask & __GFP_NOFAIL)
			page = __alloc_pages_cpuset_fallback(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
	}
out:
	mutex_unlock_oom_lock();
	return page;
}

/* kernel: __alloc_pages_slowpath, mm/page_alloc.c (no reclaim/compaction: see the top of this file) */
static struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool can_compact = gfp_mask & __GFP_IO;		/* gfp_compaction_allowed */
	const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	struct page *page = NULL;
	unsigned int alloc_flags;
	unsigned long did_some_progress;
	int no_progress_loops, reserve_flags, nofail_rounds = 0, oom_rounds = 0;
	enum compact_priority compact_priority;
	enum compact_result compact_result;
	int compaction_retries;

	BUDDY_LABEL("__alloc_pages_slowpath");
	/* __GFP_ATOMIC with direct reclaim is a caller bug: drop ATOMIC */
	if ((gfp_mask & (__GFP_ATOMIC | __GFP_DIRECT_RECLAIM)) == (__GFP_ATOMIC | __GFP_DIRECT_RECLAIM))
		gfp_mask &= ~__GFP_ATOMIC;

	no_progress_loops = 0;
	compaction_retries = 0;
	compact_priority = DEF_COMPACT_PRIORITY;
	compact_result = COMPACT_SKIPPED;
	alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);

	/* the precise alloc_flags (min watermark, reserves) may already succeed */
	page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;

	/* costly or non-movable high order: compaction before reclaim (async first) */
	if (can_direct_reclaim && can_compact &&
	    (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !__gfp_pfmemalloc_flags(gfp_mask)) {
		page = __alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac, INIT_COMPACT_PRIORITY,
						    &compact_result);
		if (page)
			goto got_pg;
		if (costly_order && (gfp_mask & __GFP_NORETRY)) {
			/* deferred or skipped: the zone is not ready, do not reclaim for it */
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			/* a node-bound request (THP's local try) compacts, never reclaims, that node */
			if (gfp_mask & __GFP_THISNODE)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;	/* later attempts stay async */
		}
	}

retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);

	reserve_flags = __gfp_pfmemalloc_flags(gfp_mask);
	if (reserve_flags)
		alloc_flags = (unsigned int)reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	/* ignoring memory policies: restart the walk from the first eligible zone */
	if (!(alloc_flags & ALLOC_CPUSET) || reserve_flags) {
		ac->nodemask = NULL;
		ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	}

	BUDDY_LABEL("__alloc_pages_slowpath:retry");
	page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;

	if (!can_direct_reclaim)
		goto nopage;

	/* try direct reclaim and then allocating */
	page = __alloc_pages_direct_reclaim(gfp_mask, order, alloc_flags, ac, &did_some_progress);
	if (page)
		goto got_pg;

	/* try direct compaction and then allocating */
	page = __alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac, compact_priority, &compact_result);
	if (page)
		goto got_pg;

	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	if (costly_order && (!can_compact || !(gfp_mask & __GFP_RETRY_MAYFAIL)))
		goto nopage;

	if (should_reclaim_retry(gfp_mask, order, ac, (int)alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	/* compaction needs order-0 pages that only reclaim frees: retry it only after progress */
	if (did_some_progress > 0 && can_compact &&
	    should_compact_retry(ac, (int)order, (int)alloc_flags, compact_result, &compact_priority,
				 &compaction_retries))
		goto retry;

	page = __alloc_pages_may_oom(gfp_mask, order, ac, &did_some_progress);
	if (page)
		goto got_pg;

	/* the OOM killer made progress: retry; a NOFAIL request gets one more round, and the
	 * model stops after OOM_MAX_ROUNDS (a GFP_NOFS request would loop as long as the kernel's) */
	if (did_some_progress && (!(gfp_mask & __GFP_NOFAIL) || nofail_rounds++ == 0)) {
		if (oom_rounds++ >= OOM_MAX_ROUNDS) {
			BUDDY_LABEL("__alloc_pages_slowpath:oom_gave_up");
			goto nopage;
		}
		no_progress_loops = 0;
		goto retry;
	}

nopage:
	BUDDY_LABEL("__alloc_pages_slowpath:nopage");
	if (gfp_mask & __GFP_NOFAIL) {
		if (!can_direct_reclaim)
			goto fail;
		page = __alloc_pages_cpuset_fallback(gfp_mask, order, ALLOC_MIN_RESERVE, ac);
		if (page)
			goto got_pg;
		/* the kernel would cond_resched and retry forever */
		BUDDY_LABEL("__alloc_pages_slowpath:nofail_gave_up");
	}
fail:
	BUDDY_LABEL("warn_alloc");
got_pg:
	return page;
}

/* kernel: prepare_alloc_pages, mm/page_alloc.c (no cpusets, no fault injection) */
static bool prepare_alloc_pages(gfp_t gfp_mask, unsigned int order, int preferred_nid, void *nodemask,
				struct alloc_context *ac, gfp_t *alloc_gfp, unsigned int *alloc_flags)
{
	(void)order, (void)alloc_gfp, (void)alloc_flags;
	ac->highest_zoneidx = (enum zone_type)gfp_zone(gfp_mask);
	ac->zonelist = node_zonelist(preferred_nid, gfp_mask);
	ac->nodemask = nodemask;
	ac->migratetype = gfp_migratetype(gfp_mask);
	ac->spread_dirty_pages = gfp_mask & __GFP_WRITE;
	/* the preferred zone: the walk's start, and the reference for NUMA statistics */
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, ac->nodemask);
	return true;
}

static void note_alloc_op(gfp_t gfp, unsigned int order, const struct alloc_context *ac, struct page *page)
{
	struct sim_op *op = buddy_op(SIM_OP_PAGE_ALLOC);

	if (!op)
		return;
	op->gfp = gfp;
	op->order = (int8_t)order;
	op->migratetype = (int8_t)ac->migratetype;
	if (page) {
		op->addr = page_to_pfn(page);
		op->zone = (int8_t)page->zid;
		op->mem_node = (int16_t)page->nid;
	} else {
		op->failed = true;
		sim_path_level(5);
	}
}

/* kernel: __alloc_pages, mm/page_alloc.c -- the heart of the zoned buddy allocator */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, void *nodemask)
{
	unsigned int alloc_flags = ALLOC_WMARK_LOW;
	struct alloc_context ac = { 0 };
	struct page *page;
	gfp_t alloc_gfp;

	BUDDY_LABEL("__alloc_pages");
	if (order >= MAX_ORDER) {
		ac.migratetype = gfp_migratetype(gfp);
		note_alloc_op(gfp, order, &ac, NULL);
		return NULL;
	}
	alloc_gfp = gfp;
	if (!prepare_alloc_pages(gfp, order, preferred_nid, nodemask, &ac, &alloc_gfp, &alloc_flags))
		return NULL;

	/* the first pass may not fragment until every local zone was tried */
	alloc_flags |= alloc_flags_nofragment(ac.preferred_zoneref->zone, gfp);

	page = KOPS(buddy)->get_page_from_freelist(alloc_gfp, order, (int)alloc_flags, &ac);
	if (likely(page))
		goto out;

	alloc_gfp = gfp;
	ac.spread_dirty_pages = false;
	ac.nodemask = nodemask;
	page = __alloc_pages_slowpath(alloc_gfp, order, &ac);

out:
	note_alloc_op(gfp, order, &ac, page);
	return page;
}

/* kernel: alloc_pages_node / __alloc_pages_node, include/linux/gfp.h */
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();		/* numa_mem_id: no memoryless-node remap on x86 */
	assert(nid >= 0 && nid < buddy_nr_node_ids);
	return __alloc_pages(gfp, order, nid, NULL);
}

/* kernel: alloc_pages, mm/mempolicy.c -- the default (local) policy */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return __alloc_pages(gfp, order, numa_node_id(), NULL);
}
