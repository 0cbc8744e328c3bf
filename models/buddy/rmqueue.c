/*
 * rmqueue.c - taking pages out of a zone (mm/page_alloc.c 6.1.192): rmqueue,
 * the per-CPU path (rmqueue_pcplist, __rmqueue_pcplist, rmqueue_bulk), the
 * zone path (rmqueue_buddy, __rmqueue, __rmqueue_smallest, expand), the
 * migratetype fallback (__rmqueue_fallback, find_suitable_fallback,
 * steal_suitable_fallback, move_freepages_block) and the high-order atomic
 * reserve (reserve_/unreserve_highatomic_pageblock).
 *
 * Locks: pcp->lock (trylock, IRQs on) around a pcp list; zone->lock
 * (spin_lock_irqsave) around every free-list change; pcp->lock is taken
 * first when both are held (rmqueue_bulk under rmqueue_pcplist).
 *
 * Path levels set here on the current page allocation: L1 pcp hit, L2 pcp
 * refill (rmqueue_bulk), L3 rmqueue_buddy, L4 a fallback steal.  L5 (another
 * zone, failure) is alloc.c's.  Work inside zone->lock is charged
 * SIM_COST_PAGE_OP per page moved, a yield point like the kernel's own
 * cache misses.
 */
#include "buddy_int.h"

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

/* The order in which other migratetypes' lists are raided (kernel: fallbacks[]). */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_HIGHATOMIC]  = { MIGRATE_TYPES },
	[MIGRATE_ISOLATE]     = { MIGRATE_TYPES },
};

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
int move_freepages_block(struct zone *zone, struct page *page, int migratetype, int *num_movable)
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

/* kernel: change_pageblock_range, mm/page_alloc.c */
static void change_pageblock_range(struct page *pageblock_page, int start_order, int migratetype)
{
	int nr_pageblocks = 1 << (start_order - pageblock_order);

	while (nr_pageblocks--) {
		set_pageblock_migratetype(pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages;
	}
}

/* kernel: can_steal_fallback, mm/page_alloc.c */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE;
}

/* kernel: boost_watermark, mm/page_alloc.c (kswapd's balance_pgdat resets it, kswapd.c) */
static bool boost_watermark(struct zone *zone)
{
	unsigned long max_boost;

	if (!watermark_boost_factor)
		return false;
	/* small zones would go straight out of memory */
	if (pageblock_nr_pages * 4 > zone_managed_pages(zone))
		return false;
	max_boost = zone->_watermark[WMARK_HIGH] / 10000 * (unsigned long)watermark_boost_factor +
		    zone->_watermark[WMARK_HIGH] % 10000 * (unsigned long)watermark_boost_factor / 10000;
	if (!max_boost)
		return false;
	if (max_boost < pageblock_nr_pages)
		max_boost = pageblock_nr_pages;
	zone->watermark_boost = zone->watermark_boost + pageblock_nr_pages < max_boost
				? zone->watermark_boost + pageblock_nr_pages : max_boost;
	return true;
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

/* kernel: find_suitable_fallback, mm/page_alloc.c (compaction.c asks it too) */
int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype,
				  bool only_stealable, bool *can_steal)
{
	if (area->nr_free == 0)
		return -1;
	*can_steal = false;
	for (int i = 0;; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (fallback_mt == MIGRATE_TYPES)
			break;
		if (free_area_empty(area, fallback_mt))
			continue;
		if (can_steal_fallback(order, migratetype))
			*can_steal = true;
		if (!only_stealable)
			return fallback_mt;
		if (*can_steal)
			return fallback_mt;
	}
	return -1;
}

/* kernel: reserve_highatomic_pageblock, mm/page_alloc.c */
void reserve_highatomic_pageblock(struct page *page, struct zone *zone, unsigned int alloc_order)
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
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
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
static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype, unsigned int alloc_flags)
{
	struct page *page;

retry:
	page = __rmqueue_smallest(zone, order, migratetype);
	if (unlikely(!page)) {
		if (__rmqueue_fallback(zone, (int)order, migratetype, alloc_flags))
			goto retry;
	}
	return page;
}

/* kernel: rmqueue_bulk, mm/page_alloc.c -- refill a pcp list under one zone->lock hold */
int rmqueue_bulk(struct zone *zone, unsigned int order, unsigned long count,
			struct page_list *list, int migratetype, unsigned int alloc_flags)
{
	unsigned long flags;
	int i, allocated = 0;

	BUDDY_LABEL("rmqueue_bulk");
	buddy_level(SIM_OP_PAGE_ALLOC, 2);
	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < (int)count; ++i) {
		struct page *page = __rmqueue(zone, order, migratetype, alloc_flags);

		if (unlikely(page == NULL))
			break;
		/* in physical order, each to the tail: the list reads by pfn */
		page->flags |= PG_pcp;
		page->order = (uint8_t)order;
		page_list_add_tail(list, page);
		allocated++;
		sim_yield_cost(SIM_COST_PAGE_OP);
	}
	__mod_zone_page_state(zone, NR_FREE_PAGES, -((long)i << order));
	spin_unlock_irqrestore(&zone->lock, flags);
	return allocated;
}

/* kernel: zone_statistics, mm/page_alloc.c */
void zone_statistics(struct zone *preferred_zone, struct zone *z, long nr_account)
{
	enum numa_stat_item local_stat = NUMA_LOCAL;

	if (zone_to_nid(z) != cpu_to_node(raw_smp_processor_id()))
		local_stat = NUMA_OTHER;
	if (zone_to_nid(z) == zone_to_nid(preferred_zone)) {
		z->numa_event[NUMA_HIT] += (unsigned long)nr_account;
	} else {
		z->numa_event[NUMA_MISS] += (unsigned long)nr_account;
		preferred_zone->numa_event[NUMA_FOREIGN] += (unsigned long)nr_account;
	}
	z->numa_event[local_stat] += (unsigned long)nr_account;
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
		page = __rmqueue(zone, order, migratetype, alloc_flags);
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

/* kernel: rmqueue, mm/page_alloc.c */
struct page *rmqueue(struct zone *preferred_zone, struct zone *zone, unsigned int order,
		     gfp_t gfp_flags, unsigned int alloc_flags, int migratetype)
{
	struct page *page;

	(void)gfp_flags;
	if (likely(pcp_allowed_order(order))) {
		page = KOPS(buddy)->rmqueue_pcplist(preferred_zone, zone, order, migratetype, alloc_flags);
		if (likely(page))
			goto out;
	}
	page = rmqueue_buddy(preferred_zone, zone, order, alloc_flags, migratetype);

out:
	if (unlikely(test_bit_zone(ZONE_BOOSTED_WATERMARK, zone))) {
		clear_bit_zone(ZONE_BOOSTED_WATERMARK, zone);
		wakeup_kswapd(zone, 0, 0, (enum zone_type)zone_idx(zone));
	}
	return page;
}
