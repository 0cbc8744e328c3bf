/*
 * compaction.c - direct compaction (mm/compaction.c and the compaction half of
 * __alloc_pages_slowpath in mm/page_alloc.c, Linux 6.1.192).
 *
 * Main entry: __alloc_pages_direct_compact -> try_to_compact_pages -> for each
 * zone of the zonelist compact_zone_order -> compact_zone, which moves
 * movable pages from the bottom of the zone to free pages at its top so that
 * free blocks merge:
 *
 *   migrate scanner: zone start, upwards, a pageblock at a time
 *       isolate_migratepages -> isolate_migratepages_block (up to 32 pages)
 *   free scanner:    zone end, downwards, a pageblock at a time
 *       isolate_freepages -> isolate_freepages_block -> __isolate_free_page
 *   migrate_pages:   each isolated page to a free one (compaction_alloc);
 *                    the source page is freed (free_unref_page) and the pcp
 *                    list drained once the scanner leaves its order-aligned
 *                    block, so the freed pages merge in the buddy lists
 *   compact_finished: the scanners met (COMPACT_COMPLETE) or a free block of
 *                    the order exists on a list the request may use (SUCCESS)
 *
 * Then get_page_from_freelist takes the block.  Counters: compact_stall,
 * compact_success, compact_fail, compact_migrate_scanned, compact_free_scanned,
 * compact_isolated, pgmigrate_success, pgmigrate_fail (/proc/vmstat names).
 * A request that stalled in compaction is L5, whatever list then served it.
 * Labels (path signature, L5): "__alloc_pages_direct_compact",
 * "compact_zone", "compact_zone:migrated", "compact_zone:cannot_migrate"
 * (movable pages found that the model could not move), "compact_zone:skipped",
 * "compact_zone:deferred", "__alloc_pages_direct_compact:success" / ":fail".
 *
 * Differences from the kernel:
 *  - Which pages move.  The kernel migrates LRU and __PageMovable pages through
 *    rmap.  The model has no LRU here and cannot change a page's owner: an
 *    allocated order-0 page of MIGRATE_MOVABLE is migrated only when the owner's
 *    hook (buddy_set_migrate_hook) takes the new page; otherwise the page is
 *    counted in pgmigrate_fail and "compact_zone:cannot_migrate" is marked.
 *    Compound (THP) pages are not migrated.  Page contents are not copied (the
 *    model reads no page-allocator page's contents; both read as zero).
 *  - Every compact_zone scans the whole zone (cc->whole_zone): no cached scanner
 *    positions, no pageblock skip bits, no fast_isolate_freepages /
 *    fast_find_migrateblock, no kcompactd, no proactive compaction.
 *  - Priorities: ASYNC, SYNC_LIGHT and SYNC_FULL differ only in the deferral
 *    test and in suitable_migration_source (ASYNC direct compaction of an
 *    unmovable request scans only pageblocks of its own type); nothing waits on
 *    writeback or locks, so no COMPACT_CONTENDED.
 *  - No capture_control: the block is found by get_page_from_freelist after
 *    compaction, not captured as it merges.
 *  - compaction_zonelist_suitable counts no reclaimable pages (no LRU here).
 *  - Scanning costs SIM_COST_PAGE_OP per pageblock and per page moved.
 */
#include <stdlib.h>

#include "buddy_int.h"

#define COMPACT_CLUSTER_MAX SWAP_CLUSTER_MAX
#define COMPACT_MAX_DEFER_SHIFT 6
#define sysctl_extfrag_threshold 500

static buddy_migrate_fn *migrate_hook;
static void *migrate_hook_arg;

void buddy_set_migrate_hook(buddy_migrate_fn *fn, void *arg)
{
	migrate_hook = fn;
	migrate_hook_arg = arg;
}

enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };

/* kernel: struct compact_control, mm/internal.h (lists as pfn arrays) */
struct compact_control {
	uint64_t *freepages;		/* isolated order-0 free pages */
	unsigned long nr_freepages, cap_freepages;
	uint64_t migratepages[COMPACT_CLUSTER_MAX];
	unsigned long nr_migratepages;
	unsigned long free_pfn;		/* free scanner: next pageblock to look at (downwards) */
	unsigned long migrate_pfn;	/* migrate scanner: next pfn to look at (upwards) */
	unsigned long total_migrate_scanned, total_free_scanned;
	struct zone *zone;
	int order, migratetype;
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum migrate_mode mode;
	bool direct_compaction, whole_zone;
};

/* ---- deferral (mm/compaction.c) ---- */

/* kernel: defer_compaction */
static void defer_compaction(struct zone *zone, int order)
{
	zone->compact_considered = 0;
	zone->compact_defer_shift++;
	if (order < zone->compact_order_failed)
		zone->compact_order_failed = order;
	if (zone->compact_defer_shift > COMPACT_MAX_DEFER_SHIFT)
		zone->compact_defer_shift = COMPACT_MAX_DEFER_SHIFT;
}

/* kernel: compaction_deferred */
static bool compaction_deferred(struct zone *zone, int order)
{
	unsigned long defer_limit = 1UL << zone->compact_defer_shift;

	if (order < zone->compact_order_failed)
		return false;
	if (++zone->compact_considered >= defer_limit) {
		zone->compact_considered = (unsigned int)defer_limit;
		return false;
	}
	return true;
}

/* kernel: compaction_defer_reset */
static void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		zone->compact_considered = 0;
		zone->compact_defer_shift = 0;
	}
	if (order >= zone->compact_order_failed)
		zone->compact_order_failed = order + 1;
}

/* ---- helpers ---- */

/*
 * The pages compaction frees (each migrated source page: put_page; the free pages it did
 * not use) and its pcp drains run inside the allocation, as in the kernel; their own
 * labels (free_unref_page, free_pcppages_bulk, ...) would fill the allocation's path
 * (SIM_PATH_MAX labels), so they are taken out of it again: the path says
 * "compact_zone:migrated" once per run of moves instead.
 */
static struct sim_op *quiet_begin(uint8_t *nr_labels)
{
	struct sim_op *op = sim && sim->cur ? sim_op_current() : NULL;

	*nr_labels = op ? op->nr_labels : 0;
	return op;
}

static void quiet_end(struct sim_op *op, uint8_t nr_labels)
{
	if (op)
		op->nr_labels = nr_labels;
}

static unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

/* The frame of pfn when its metadata exists and it is not an untouched max-order free block
 * (those are free and at least a pageblock: no scanner wants them); else NULL. */
static struct page *scan_page(struct zone *zone, unsigned long pfn)
{
	const struct free_list *fl = &zone->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE];

	if (pfn >= fl->lazy_pfn && pfn < fl->lazy_end)
		return NULL;
	if (!sim_mem_section(pfn >> SECTION_SHIFT))
		return NULL;
	return pfn_to_page(pfn);
}

/* kernel: compact_scanners_met */
static bool compact_scanners_met(const struct compact_control *cc)
{
	return (cc->free_pfn >> pageblock_order) <= (cc->migrate_pfn >> pageblock_order);
}

/* kernel: compact_gap, include/linux/compaction.h */
static unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}

/* ---- the free scanner ---- */

/* kernel: __isolate_free_page, mm/page_alloc.c; zone->lock held */
static unsigned long __isolate_free_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	int mt = get_pageblock_migratetype(page);

	if (!is_migrate_isolate(mt)) {
		/* keep the min watermark (without the boost) for the order-0 callers */
		unsigned long watermark = zone->_watermark[WMARK_MIN] + (1UL << order);

		if (!zone_watermark_ok(zone, 0, watermark, 0, ALLOC_CMA))
			return 0;
		__mod_zone_freepage_state(zone, -(1 << order), mt);
	}
	del_page_from_free_list(page, zone, order);
	/* a large block becomes movable: it will hold migrated pages */
	if (order >= pageblock_order - 1) {
		struct page *endpage = page + (1UL << order) - 1;

		for (; page < endpage; page += pageblock_nr_pages) {
			int bmt = get_pageblock_migratetype(page);

			if (!is_migrate_isolate(bmt) && !is_migrate_highatomic(bmt))
				set_pageblock_migratetype(page, MIGRATE_MOVABLE);
		}
	}
	return 1UL << order;
}

/* kernel: isolate_freepages_block (not strict): the free blocks of [*start_pfn, end_pfn), split to order 0,
 * until there are enough; *start_pfn is left where it stopped (end_pfn when the block was scanned through) */
static void isolate_freepages_block(struct compact_control *cc, unsigned long *start_pfn, unsigned long end_pfn)
{
	struct zone *zone = cc->zone;
	unsigned long flags, nr_scanned = 0, pfn;

	spin_lock_irqsave(&zone->lock, flags);
	for (pfn = *start_pfn; pfn < end_pfn; pfn++) {
		struct page *page = scan_page(zone, pfn);
		unsigned int order;
		unsigned long isolated;

		nr_scanned++;
		if (!page || !PageBuddy(page))
			continue;
		order = buddy_order(page);
		isolated = __isolate_free_page(page, order);
		if (!isolated)
			break;
		for (unsigned long i = 0; i < isolated; i++)	/* split_map_pages */
			cc->freepages[cc->nr_freepages++] = pfn + i;
		nr_scanned += isolated - 1;	/* every page of the block counts as scanned */
		if (cc->nr_migratepages <= cc->nr_freepages) {
			pfn += isolated;
			break;
		}
		pfn += isolated - 1;
	}
	*start_pfn = pfn;
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);
	cc->total_free_scanned += nr_scanned;
	count_vm_events(COMPACTFREE_SCANNED, (long)nr_scanned);
}

/* kernel: suitable_migration_target */
static bool suitable_migration_target(struct compact_control *cc, struct page *page)
{
	(void)cc;
	/* do not break up a whole free pageblock */
	if (PageBuddy(page) && buddy_order(page) >= pageblock_order)
		return false;
	return get_pageblock_migratetype(page) == MIGRATE_MOVABLE;
}

/*
 * kernel: isolate_freepages -- from the free scanner's pfn down to the migrate scanner's pageblock.
 * The scanner resumes where it stopped: in the same pageblock when that one still has pages to
 * look at, at the one below when it was scanned through; an isolation that failed (the min
 * watermark) stops the search there.
 */
static void isolate_freepages(struct compact_control *cc)
{
	unsigned long isolate_start_pfn = cc->free_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(isolate_start_pfn);
	unsigned long block_end_pfn = block_start_pfn + pageblock_nr_pages;
	unsigned long low_pfn = pageblock_end_pfn(cc->migrate_pfn);

	if (block_end_pfn > zone_end_pfn(cc->zone))
		block_end_pfn = zone_end_pfn(cc->zone);
	for (; block_start_pfn >= low_pfn; block_end_pfn = block_start_pfn, block_start_pfn -= pageblock_nr_pages,
	     isolate_start_pfn = block_start_pfn) {
		struct page *page = scan_page(cc->zone, block_start_pfn);

		if (!page || !suitable_migration_target(cc, page))
			continue;
		isolate_freepages_block(cc, &isolate_start_pfn, block_end_pfn);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			if (isolate_start_pfn >= block_end_pfn)
				isolate_start_pfn = block_start_pfn - pageblock_nr_pages;
			break;
		}
		if (isolate_start_pfn < block_end_pfn)
			break;
	}
	cc->free_pfn = isolate_start_pfn;
}

/* kernel: compaction_alloc -- the next isolated free page, isolating more when none is left */
static struct page *compaction_alloc(struct compact_control *cc)
{
	if (!cc->nr_freepages)
		isolate_freepages(cc);
	if (!cc->nr_freepages)
		return NULL;
	return pfn_to_page(cc->freepages[--cc->nr_freepages]);
}

/* kernel: release_freepages -- what the migration did not use goes back (__free_page) */
static void release_freepages(struct compact_control *cc)
{
	uint8_t nr_labels;
	struct sim_op *op = quiet_begin(&nr_labels);

	while (cc->nr_freepages) {
		struct page *page = pfn_to_page(cc->freepages[--cc->nr_freepages]);

		page->flags |= PG_allocated;	/* split_map_pages: a referenced order-0 page */
		free_unref_page(page, 0);
	}
	quiet_end(op, nr_labels);
}

/* ---- the migrate scanner ---- */

/* kernel: isolate_migratepages_block -- movable in-use pages of [low_pfn, end_pfn), up to 32 */
static unsigned long isolate_migratepages_block(struct compact_control *cc, unsigned long low_pfn,
						unsigned long end_pfn)
{
	unsigned long nr_scanned = 0;

	for (; low_pfn < end_pfn; low_pfn++) {
		struct page *page = scan_page(cc->zone, low_pfn);

		nr_scanned++;
		if (!page)
			continue;
		if (PageBuddy(page)) {
			unsigned int order = buddy_order(page);

			if (order > 0 && order < MAX_ORDER)
				low_pfn += (1UL << order) - 1;
			continue;
		}
		/* PageLRU || __PageMovable: in the model, an order-0 page allocated as movable */
		if (!(page->flags & PG_allocated) || (page->flags & (PG_slab | PG_head | PG_tail | PG_pcp)) ||
		    get_pcppage_migratetype(page) != MIGRATE_MOVABLE)
			continue;
		cc->migratepages[cc->nr_migratepages++] = low_pfn;
		if (cc->nr_migratepages == COMPACT_CLUSTER_MAX) {
			low_pfn++;
			break;
		}
	}
	cc->total_migrate_scanned += nr_scanned;
	count_vm_events(COMPACTMIGRATE_SCANNED, (long)nr_scanned);
	count_vm_events(COMPACTISOLATED, (long)cc->nr_migratepages);
	return low_pfn;
}

/* kernel: suitable_migration_source */
static bool suitable_migration_source(struct compact_control *cc, struct page *page)
{
	int block_mt;

	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	block_mt = get_pageblock_migratetype(page);
	if (cc->migratetype == MIGRATE_MOVABLE)
		return block_mt == MIGRATE_MOVABLE;
	return block_mt == cc->migratetype;
}

/* kernel: isolate_migratepages -- the next pageblock below the free scanner with pages to move */
static void isolate_migratepages(struct compact_control *cc)
{
	unsigned long low_pfn = cc->migrate_pfn;
	unsigned long block_start_pfn = pageblock_start_pfn(low_pfn);
	unsigned long block_end_pfn = pageblock_end_pfn(low_pfn);

	if (block_start_pfn < cc->zone->zone_start_pfn)
		block_start_pfn = cc->zone->zone_start_pfn;
	for (; block_end_pfn <= cc->free_pfn;
	     cc->migrate_pfn = low_pfn = block_end_pfn, block_start_pfn = block_end_pfn,
	     block_end_pfn += pageblock_nr_pages) {
		struct page *page = scan_page(cc->zone, block_start_pfn);

		sim_yield_cost(SIM_COST_PAGE_OP);
		if (!page || !suitable_migration_source(cc, page))
			continue;
		low_pfn = isolate_migratepages_block(cc, low_pfn, block_end_pfn);
		break;
	}
	cc->migrate_pfn = low_pfn;
}

/* kernel: migrate_pages (MR_COMPACTION) -- each page to a free page, when its owner lets it move */
static int migrate_pages(struct compact_control *cc, unsigned long *last_migrated_pfn)
{
	int nr_failed = 0;

	for (unsigned long i = 0; i < cc->nr_migratepages; i++) {
		uint8_t nr_labels;
		struct sim_op *op;
		struct page *page = pfn_to_page(cc->migratepages[i]);
		struct page *newpage;

		/* still an in-use movable page? (its owner may have freed it since the scan) */
		if (!(page->flags & PG_allocated) || (page->flags & (PG_pcp | PG_head | PG_tail | PG_slab)) ||
		    get_pcppage_migratetype(page) != MIGRATE_MOVABLE)
			continue;
		newpage = compaction_alloc(cc);
		if (!newpage) {
			nr_failed += (int)(cc->nr_migratepages - i);
			break;
		}
		newpage->flags |= PG_allocated;
		newpage->order = 0;
		set_pcppage_migratetype(newpage, MIGRATE_MOVABLE);
		if (!migrate_hook || !migrate_hook(page, newpage, migrate_hook_arg)) {
			BUDDY_LABEL("compact_zone:cannot_migrate");
			newpage->flags &= ~PG_allocated;	/* compaction_free */
			cc->freepages[cc->nr_freepages++] = page_to_pfn(newpage);
			nr_failed++;
			continue;
		}
		BUDDY_LABEL("compact_zone:migrated");
		*last_migrated_pfn = cc->migratepages[i];
		op = quiet_begin(&nr_labels);
		free_unref_page(page, 0);	/* the old page: put_page */
		quiet_end(op, nr_labels);
		count_vm_event(PGMIGRATE_SUCCESS);
		sim_yield_cost(SIM_COST_PAGE_OP);
	}
	count_vm_events(PGMIGRATE_FAIL, nr_failed);
	cc->nr_migratepages = 0;
	return nr_failed;
}

/* ---- one zone ---- */

/* kernel: __compact_finished */
static enum compact_result __compact_finished(struct compact_control *cc)
{
	if (compact_scanners_met(cc))
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	/* always finish a pageblock: fewer fallbacks later */
	if (cc->migrate_pfn & (pageblock_nr_pages - 1))
		return COMPACT_CONTINUE;
	for (int order = cc->order; order < MAX_ORDER; order++) {
		struct free_area *area = &cc->zone->free_area[order];
		bool can_steal;

		if (!free_area_empty(area, cc->migratetype))
			return COMPACT_SUCCESS;
		if (find_suitable_fallback(area, (unsigned int)order, cc->migratetype, true, &can_steal) != -1)
			return COMPACT_SUCCESS;
	}
	return COMPACT_NO_SUITABLE_PAGE;
}

/* kernel: compact_finished */
static enum compact_result compact_finished(struct compact_control *cc)
{
	enum compact_result ret = __compact_finished(cc);

	return ret == COMPACT_NO_SUITABLE_PAGE ? COMPACT_CONTINUE : ret;
}

/* kernel: __fragmentation_index + fill_contig_page_info, mm/vmstat.c */
static int fragmentation_index(struct zone *zone, unsigned int order)
{
	unsigned long requested = 1UL << order, free_pages = 0, free_blocks_total = 0, suitable = 0;

	for (unsigned int o = 0; o < MAX_ORDER; o++) {
		unsigned long blocks = zone->free_area[o].nr_free;

		free_blocks_total += blocks;
		free_pages += blocks << o;
		if (o >= order)
			suitable += blocks << (o - order);
	}
	if (suitable)
		return -1000;
	if (!free_blocks_total)
		return 0;
	return (int)(1000 - ((1000 + (free_pages * 1000 / requested)) / free_blocks_total));
}

/* kernel: __compaction_suitable */
static enum compact_result __compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags,
						 int highest_zoneidx, unsigned long wmark_target)
{
	unsigned long watermark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);

	if (zone_watermark_ok(zone, (unsigned int)order, watermark, highest_zoneidx, alloc_flags))
		return COMPACT_SUCCESS;
	/* enough order-0 pages to migrate into, above min (low for costly orders) */
	watermark = order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) : min_wmark_pages(zone);
	watermark += compact_gap((unsigned int)order);
	if (!__zone_watermark_ok(zone, 0, watermark, highest_zoneidx, ALLOC_CMA, (long)wmark_target))
		return COMPACT_SKIPPED;
	return COMPACT_CONTINUE;
}

/* kernel: compaction_suitable */
enum compact_result compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags,
					int highest_zoneidx)
{
	enum compact_result ret = __compaction_suitable(zone, order, alloc_flags, highest_zoneidx,
							 zone_page_state(zone, NR_FREE_PAGES));

	if (ret == COMPACT_CONTINUE && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned int)order);

		if (fragindex >= 0 && fragindex <= sysctl_extfrag_threshold)
			ret = COMPACT_NOT_SUITABLE_ZONE;
	}
	return ret == COMPACT_NOT_SUITABLE_ZONE ? COMPACT_SKIPPED : ret;
}

/* kernel: compact_zone */
static enum compact_result compact_zone(struct compact_control *cc)
{
	unsigned long last_migrated_pfn = 0;
	enum compact_result ret;
	struct sim_op *op;
	uint8_t nr_labels;

	BUDDY_LABEL("compact_zone");
	ret = compaction_suitable(cc->zone, cc->order, cc->alloc_flags, cc->highest_zoneidx);
	if (ret == COMPACT_SUCCESS || ret == COMPACT_SKIPPED) {
		if (ret == COMPACT_SKIPPED)
			BUDDY_LABEL("compact_zone:skipped");
		return ret;
	}
	cc->whole_zone = true;
	cc->migrate_pfn = cc->zone->zone_start_pfn;
	cc->free_pfn = pageblock_start_pfn(zone_end_pfn(cc->zone) - 1);
	cc->cap_freepages = COMPACT_CLUSTER_MAX + MAX_ORDER_NR_PAGES;
	cc->freepages = malloc(cc->cap_freepages * sizeof(*cc->freepages));
	if (!cc->freepages)
		abort();

	while ((ret = compact_finished(cc)) == COMPACT_CONTINUE) {
		isolate_migratepages(cc);
		if (cc->nr_migratepages) {
			migrate_pages(cc, &last_migrated_pfn);
		} else if (compact_scanners_met(cc)) {
			continue;
		}
		/* left the order-aligned block we migrated from: let its freed pages merge */
		if (cc->order > 0 && last_migrated_pfn &&
		    last_migrated_pfn < (cc->migrate_pfn & ~((1UL << cc->order) - 1))) {
			op = quiet_begin(&nr_labels);
			drain_pages_zone((unsigned int)smp_processor_id(), cc->zone);	/* lru_add_drain_cpu_zone */
			quiet_end(op, nr_labels);
			last_migrated_pfn = 0;
		}
	}
	if (last_migrated_pfn) {
		op = quiet_begin(&nr_labels);
		drain_pages_zone((unsigned int)smp_processor_id(), cc->zone);
		quiet_end(op, nr_labels);
	}
	release_freepages(cc);
	free(cc->freepages);
	cc->freepages = NULL;
	return ret;
}

/* kernel: compact_zone_order */
static enum compact_result compact_zone_order(struct zone *zone, int order, gfp_t gfp_mask,
					      enum compact_priority prio, unsigned int alloc_flags,
					      int highest_zoneidx)
{
	struct compact_control cc = {
		.order = order,
		.migratetype = gfp_migratetype(gfp_mask),
		.zone = zone,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
		.direct_compaction = true,
	};

	return compact_zone(&cc);
}

/* kernel: try_to_compact_pages */
static enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
						const struct alloc_context *ac, enum compact_priority prio)
{
	enum compact_result rc = COMPACT_SKIPPED;
	struct zoneref *z;
	struct zone *zone;

	if (!(gfp_mask & __GFP_IO))		/* gfp_compaction_allowed */
		return COMPACT_SKIPPED;
	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		enum compact_result status;

		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, (int)order)) {
			BUDDY_LABEL("compact_zone:deferred");
			if (rc < COMPACT_DEFERRED)
				rc = COMPACT_DEFERRED;
			continue;
		}
		status = compact_zone_order(zone, (int)order, gfp_mask, prio, alloc_flags, ac->highest_zoneidx);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* success here, so the order-0 watermarks are fine; a later alloc resets it */
			compaction_defer_reset(zone, (int)order, false);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC && (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(zone, (int)order);
	}
	return rc;
}

/* kernel: __alloc_pages_direct_compact, mm/page_alloc.c */
struct page *__alloc_pages_direct_compact(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					  const struct alloc_context *ac, enum compact_priority prio,
					  enum compact_result *compact_result)
{
	struct page *page;

	if (!order)
		return NULL;
	BUDDY_LABEL("__alloc_pages_direct_compact");
	*compact_result = try_to_compact_pages(gfp_mask, order, alloc_flags, ac, prio);
	if (*compact_result == COMPACT_SKIPPED)
		return NULL;
	count_vm_event(COMPACTSTALL);
	buddy_level(SIM_OP_PAGE_ALLOC, 5);	/* compaction is inside L5 */
	page = KOPS(buddy)->get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page) {
		compaction_defer_reset(page_zone(page), (int)order, true);
		count_vm_event(COMPACTSUCCESS);
		BUDDY_LABEL("__alloc_pages_direct_compact:success");
		return page;
	}
	count_vm_event(COMPACTFAIL);
	BUDDY_LABEL("__alloc_pages_direct_compact:fail");
	sim_cond_resched();
	return NULL;
}

/* kernel: compaction_zonelist_suitable, mm/compaction.c (nothing reclaimable: no LRU here) */
static bool compaction_zonelist_suitable(struct alloc_context *ac, int order, int alloc_flags)
{
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist_nodemask(zone, z, ac->zonelist, ac->highest_zoneidx, ac->nodemask) {
		unsigned long available = zone_page_state_snapshot(zone, NR_FREE_PAGES);

		if (__compaction_suitable(zone, order, (unsigned int)alloc_flags, ac->highest_zoneidx,
					  available) == COMPACT_CONTINUE)
			return true;
	}
	return false;
}

/* kernel: should_compact_retry, mm/page_alloc.c */
bool should_compact_retry(struct alloc_context *ac, int order, int alloc_flags,
			  enum compact_result compact_result, enum compact_priority *compact_priority,
			  int *compaction_retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	int min_priority;

	if (!order)
		return false;
	if (compact_result == COMPACT_SUCCESS)		/* compaction_made_progress */
		(*compaction_retries)++;
	if (compact_result == COMPACT_COMPLETE)		/* compaction_failed */
		goto check_priority;
	if (compact_result == COMPACT_SKIPPED)		/* compaction_needs_reclaim */
		return compaction_zonelist_suitable(ac, order, alloc_flags);
	if (compact_result == COMPACT_DEFERRED || compact_result == COMPACT_CONTENDED ||
	    compact_result == COMPACT_PARTIAL_SKIPPED)	/* compaction_withdrawn */
		goto check_priority;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*compaction_retries <= max_retries)
		return true;
check_priority:
	min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
	if ((int)*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}
