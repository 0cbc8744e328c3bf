/*
 * 6.1/page_alloc.c - Linux 6.1.192, mm/page_alloc.c: the zone side of the page
 * allocator as 6.1 does it.  Free lists hold pages by the type they were freed
 * with; NR_FREE_PAGES moves in __free_one_page, rmqueue_bulk and rmqueue_buddy
 * (__mod_zone_freepage_state); __rmqueue_fallback steals from the largest
 * block of another type and moves its pageblock's free pages even when it does
 * not claim the block; the highatomic reserve is 1% of the zone plus a block.
 * Moved here unchanged from ../rmqueue.c, ../free.c and ../watermark.c.
 * Included by kops.c (static functions under the kernel's names).
 */
#include "../buddy_int.h"


/* kernel: __setup_per_zone_wmarks, mm/page_alloc.c (no highmem on x86-64) */
static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;
	int nid, zid;

	for_each_zone_model(zone, nid, zid)
		lowmem_pages += zone_managed_pages(zone);

	for_each_zone_model(zone, nid, zid) {
		uint64_t tmp;

		tmp = lowmem_pages ? (uint64_t)pages_min * zone_managed_pages(zone) / lowmem_pages : 0;
		zone->_watermark[WMARK_MIN] = tmp;
		/* The kswapd gaps: a quarter of min, or the scale factor's share of the zone. */
		tmp = tmp >> 2 > mult_frac(zone_managed_pages(zone), (unsigned long)watermark_scale_factor, 10000)
			? tmp >> 2
			: mult_frac(zone_managed_pages(zone), (unsigned long)watermark_scale_factor, 10000);
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
	}
	calculate_totalreserve_pages();
}

/* kernel: __zone_watermark_unusable_free, mm/page_alloc.c (no CMA) */
static long __zone_watermark_unusable_free(struct zone *z, unsigned int order, unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	/* without reserve rights, the highatomic blocks do not count */
	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)z->nr_reserved_highatomic;
	return unusable_free;
}

/* kernel: __free_one_page, mm/page_alloc.c; zone->lock held (or boot) */
static void __free_one_page(struct page *page, uint64_t pfn, struct zone *zone, unsigned int order,
		     int migratetype, int fpi_flags)
{
	uint64_t buddy_pfn = 0, combined_pfn;
	struct page *buddy;
	bool to_tail;

	assert(!(pfn & ((1UL << order) - 1)));
	if (likely(!is_migrate_isolate(migratetype)))
		__mod_zone_freepage_state(zone, 1 << order, migratetype);

	while (order < MAX_ORDER - 1) {
		buddy = find_buddy_page_pfn(page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;
		if (unlikely(order >= pageblock_order)) {
			/* no merging across pageblocks of types without fallbacks */
			int buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);

			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) || !migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}
		del_page_from_free_list(buddy, zone, order);
		combined_pfn = buddy_pfn & pfn;
		page = page + (ptrdiff_t)(combined_pfn - pfn);
		pfn = combined_pfn;
		order++;
	}

done_merging:
	set_buddy_order(page, order);
	/* shuffle_pick_tail never applies: page_alloc.shuffle is off by default */
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(pfn, buddy_pfn, page, order);

	if (to_tail) {
		BUDDY_LABEL("__free_one_page:to_tail");
		add_to_free_list_tail(page, zone, order, migratetype);
	} else {
		add_to_free_list(page, zone, order, migratetype);
	}
}

/* kernel: free_one_page, mm/page_alloc.c */
static void free_one_page(struct zone *zone, struct page *page, uint64_t pfn, unsigned int order,
			  int migratetype, int fpi_flags)
{
	unsigned long flags;

	BUDDY_LABEL("free_one_page");
	buddy_level(SIM_OP_PAGE_FREE, 3);
	spin_lock_irqsave(&zone->lock, flags);
	if (unlikely(has_isolate_pageblock(zone) || is_migrate_isolate(migratetype)))
		migratetype = get_pfnblock_migratetype(page, pfn);
	__free_one_page(page, pfn, zone, order, migratetype, fpi_flags);
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* kernel: __free_pages_ok, mm/page_alloc.c -- orders that never use the pcp */
static void __free_pages_ok(struct page *page, unsigned int order, int fpi_flags)
{
	uint64_t pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);
	unsigned long flags;
	int migratetype;

	BUDDY_LABEL("__free_pages_ok");
	if (!free_pages_prepare(page, order))
		return;
	buddy_level(SIM_OP_PAGE_FREE, 3);
	migratetype = get_pfnblock_migratetype(page, pfn);
	spin_lock_irqsave(&zone->lock, flags);
	if (unlikely(has_isolate_pageblock(zone) || is_migrate_isolate(migratetype)))
		migratetype = get_pfnblock_migratetype(page, pfn);
	__free_one_page(page, pfn, zone, order, migratetype, fpi_flags);
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);
	zone->pgfree += 1UL << order;
}

/* kernel: expand, mm/page_alloc.c -- the upper halves go back as free blocks */
static void expand(struct zone *zone, struct page *page, int low, int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, (unsigned int)high, migratetype);
		set_buddy_order(&page[size], (unsigned int)high);
	}
}

/* kernel: __rmqueue_smallest, mm/page_alloc.c */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int current_order = order; current_order < MAX_ORDER; ++current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);

		if (!page)
			continue;
		BUDDY_LABEL("__rmqueue_smallest");
		del_page_from_free_list(page, zone, current_order);
		expand(zone, page, (int)order, (int)current_order, migratetype);
		set_pcppage_migratetype(page, migratetype);
		return page;
	}
	return NULL;
}

/*
 * kernel: move_freepages, mm/page_alloc.c.  "Movable" in-use pages are those
 * allocated as MIGRATE_MOVABLE (the model has no LRU or __PageMovable); a
 * compound tail answers for its head, as PageLRU (PF_HEAD) does.
 */
static int move_freepages(struct zone *zone, uint64_t start_pfn, uint64_t end_pfn,
			  int migratetype, int *num_movable)
{
	int pages_moved = 0;

	struct page *base = pfn_to_page(start_pfn);	/* a pageblock: one metadata section */

	for (uint64_t pfn = start_pfn; pfn <= end_pfn;) {
		struct page *page = base + (pfn - start_pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			const struct page *head = page;

			if (page->flags & PG_tail)
				head = pfn_to_page(page->lru_next - 1);	/* compound_head */
			if (num_movable && (head->flags & PG_allocated) &&
			    get_pcppage_migratetype(head) == MIGRATE_MOVABLE)
				(*num_movable)++;
			pfn++;
			continue;
		}
		assert(page_zone(page) == zone);
		order = buddy_order(page);
		move_to_free_list(page, zone, order, migratetype);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	sim_yield_cost(SIM_COST_PAGE_OP);
	return pages_moved;
}

/* kernel: move_freepages_block, mm/page_alloc.c */
static int move_freepages_block(struct zone *zone, struct page *page, int migratetype, int *num_movable)
{
	uint64_t pfn = page_to_pfn(page);
	uint64_t start_pfn = pageblock_start_pfn(pfn), end_pfn = pageblock_end_pfn(pfn) - 1;

	if (num_movable)
		*num_movable = 0;
	/* never cross the zone's edges */
	if (!zone_spans_pfn(zone, start_pfn))
		start_pfn = pfn;
	if (!zone_spans_pfn(zone, end_pfn))
		return 0;
	return move_freepages(zone, start_pfn, end_pfn, migratetype, num_movable);
}

/* kernel: steal_suitable_fallback, mm/page_alloc.c */
static void steal_suitable_fallback(struct zone *zone, struct page *page, unsigned int alloc_flags,
				    int start_type, bool whole_block)
{
	unsigned int current_order = buddy_order(page);
	int free_pages, movable_pages, alike_pages;
	int old_block_type = get_pageblock_migratetype(page);

	BUDDY_LABEL("steal_suitable_fallback");
	if (is_migrate_highatomic(old_block_type))
		goto single_page;

	/* a whole pageblock or more: it simply changes owner */
	if (current_order >= pageblock_order) {
		change_pageblock_range(page, (int)current_order, start_type);
		goto single_page;
	}

	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		set_bit_zone(ZONE_BOOSTED_WATERMARK, zone);

	if (!whole_block)
		goto single_page;

	free_pages = move_freepages_block(zone, page, start_type, &movable_pages);
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;

	if (!free_pages)
		goto single_page;

	/* claim the block when at least half of it is free or alike */
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1))) {
		BUDDY_LABEL("steal_suitable_fallback:claim_block");
		set_pageblock_migratetype(page, start_type);
	}
	return;

single_page:
	BUDDY_LABEL("steal_suitable_fallback:single_page");
	move_to_free_list(page, zone, current_order, start_type);
}

/* kernel: reserve_highatomic_pageblock, mm/page_alloc.c */
static void reserve_highatomic_pageblock(struct page *page, struct zone *zone, unsigned int alloc_order)
{
	unsigned long max_managed, flags;
	int mt;

	(void)alloc_order;
	/* about 1% of the zone plus one block; racy check first, as the kernel */
	max_managed = zone_managed_pages(zone) / 100 + pageblock_nr_pages;
	if (zone->nr_reserved_highatomic >= max_managed)
		return;

	spin_lock_irqsave(&zone->lock, flags);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	mt = get_pageblock_migratetype(page);
	if (migratetype_is_mergeable(mt)) {
		BUDDY_LABEL("reserve_highatomic_pageblock");
		zone->nr_reserved_highatomic += pageblock_nr_pages;
		set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
		move_freepages_block(zone, page, MIGRATE_HIGHATOMIC, NULL);
	}
out_unlock:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* kernel: unreserve_highatomic_pageblock, mm/page_alloc.c */
static bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zonelist *zonelist = ac->zonelist;
	unsigned long flags;
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist_nodemask(zone, z, zonelist, ac->highest_zoneidx, ac->nodemask) {
		/* keep one block unless the pressure is extreme */
		if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages)
			continue;

		spin_lock_irqsave(&zone->lock, flags);
		for (unsigned int order = 0; order < MAX_ORDER; order++) {
			struct free_area *area = &zone->free_area[order];
			struct page *page = get_page_from_free_area(area, MIGRATE_HIGHATOMIC);
			bool ret;

			if (!page)
				continue;
			if (get_pageblock_migratetype(page) == MIGRATE_HIGHATOMIC)
				zone->nr_reserved_highatomic -= zone->nr_reserved_highatomic < pageblock_nr_pages
					? zone->nr_reserved_highatomic : pageblock_nr_pages;
			set_pageblock_migratetype(page, ac->migratetype);
			ret = move_freepages_block(zone, page, ac->migratetype, NULL);
			if (ret) {
				BUDDY_LABEL("unreserve_highatomic_pageblock");
				spin_unlock_irqrestore(&zone->lock, flags);
				return ret;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return false;
}

/* kernel: __rmqueue_fallback, mm/page_alloc.c */
static bool __rmqueue_fallback(struct zone *zone, int order, int start_migratetype, unsigned int alloc_flags)
{
	struct free_area *area;
	int current_order, min_order = order, fallback_mt;
	struct page *page;
	bool can_steal;

	BUDDY_LABEL("__rmqueue_fallback");
	/* first pass with NOFRAGMENT: whole pageblocks only */
	if (order < (int)pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = pageblock_order;

	/* the largest block of another type approximates the emptiest pageblock */
	for (current_order = MAX_ORDER - 1; current_order >= min_order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, false, &can_steal);
		if (fallback_mt == -1)
			continue;
		/* movable cannot take the whole block: split the smallest instead */
		if (!can_steal && start_migratetype == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	BUDDY_LABEL("__rmqueue_fallback:find_smallest");
	for (current_order = order; current_order < MAX_ORDER; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, false, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	assert(current_order < MAX_ORDER);

do_steal:
	BUDDY_LABEL("__rmqueue_fallback:do_steal");
	page = get_page_from_free_area(area, fallback_mt);
	steal_suitable_fallback(zone, page, alloc_flags, start_migratetype, can_steal);
	buddy_level(SIM_OP_PAGE_ALLOC, 4);
	return true;
}

/* kernel: __rmqueue, mm/page_alloc.c (no CMA); zone->lock held */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype, unsigned int alloc_flags,
				enum rmqueue_mode *mode)
{
	struct page *page;

	(void)mode;	/* 6.12's: 6.1 searches from the start on every call */
retry:
	page = __rmqueue_smallest(zone, order, migratetype);
	if (unlikely(!page)) {
		if (__rmqueue_fallback(zone, (int)order, migratetype, alloc_flags))
			goto retry;
	}
	return page;
}

/* kernel: rmqueue_buddy, mm/page_alloc.c */
static struct page *rmqueue_buddy(struct zone *preferred_zone, struct zone *zone, unsigned int order,
				  unsigned int alloc_flags, int migratetype)
{
	struct page *page = NULL;
	unsigned long flags;

	BUDDY_LABEL("rmqueue_buddy");
	buddy_level(SIM_OP_PAGE_ALLOC, 3);
	spin_lock_irqsave(&zone->lock, flags);
	/* high-order atomic requests may use the highatomic reserve first */
	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(zone, order, migratetype, alloc_flags, NULL);
		/* failing now is worse: non-blocking and OOM requests may take the reserve */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page) {
			spin_unlock_irqrestore(&zone->lock, flags);
			return NULL;
		}
	}
	if (!is_migrate_isolate(get_pcppage_migratetype(page)))
		__mod_zone_freepage_state(zone, -(1 << order), get_pcppage_migratetype(page));
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);

	zone->pgalloc += 1UL << order;
	zone_statistics(preferred_zone, zone, 1);
	return page;
}

/* kernel: get_page_from_freelist, mm/page_alloc.c */
static struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags,
					   const struct alloc_context *ac)
{
	struct zoneref *z;
	struct zone *zone;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	z = ac->preferred_zoneref;
	for_next_zone_zonelist_nodemask(zone, z, ac->highest_zoneidx, ac->nodemask) {
		struct page *page;
		unsigned long mark;

		/* locality beats fragmentation avoidance: retry with fallbacks before leaving the node */
		if (no_fallback && buddy_nr_node_ids > 1 && zone != ac->preferred_zoneref->zone) {
			int local_nid = zone_to_nid(ac->preferred_zoneref->zone);

			if (zone_to_nid(zone) != local_nid) {
				BUDDY_LABEL("get_page_from_freelist:retry_nofragment");
				alloc_flags &= ~ALLOC_NOFRAGMENT;
				goto retry;
			}
		}

		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, (unsigned int)alloc_flags,
					 gfp_mask)) {
			if (alloc_flags & ALLOC_NO_WATERMARKS)
				goto try_this_zone;
			/* node_reclaim_mode is 0: skip the zone */
			BUDDY_LABEL("get_page_from_freelist:watermark_fail");
			continue;
		}

try_this_zone:
		page = rmqueue(ac->preferred_zoneref->zone, zone, order, gfp_mask, (unsigned int)alloc_flags,
			       ac->migratetype);
		if (page) {
			prep_new_page(page, order, gfp_mask, (unsigned int)alloc_flags);
			if (zone != ac->preferred_zoneref->zone) {
				BUDDY_LABEL("get_page_from_freelist:other_zone");
				buddy_level(SIM_OP_PAGE_ALLOC, 5);
			}
			/* a high-order atomic allocation may reserve its pageblock */
			if (unlikely(alloc_flags & ALLOC_HIGHATOMIC))
				reserve_highatomic_pageblock(page, zone, order);
			return page;
		}
	}

	/* every zone is fragmented: try again allowing fragmenting fallbacks */
	if (no_fallback) {
		BUDDY_LABEL("get_page_from_freelist:retry_nofragment");
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}
