/*
 * rmqueue.c - taking pages out of a zone (mm/page_alloc.c, what 6.1.192 and
 * 6.12.118 share): rmqueue, the per-CPU path (rmqueue_pcplist,
 * __rmqueue_pcplist, rmqueue_bulk) and the fallback helpers both versions
 * use (find_suitable_fallback, can_steal_fallback, change_pageblock_range,
 * boost_watermark).  The zone path (rmqueue_buddy, __rmqueue and its
 * fallback, move_freepages_block, the highatomic reserve) differs by version:
 * 6.1/page_alloc.c and 6.12/page_alloc.c, through KOPS(buddy).
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

/* The order in which other migratetypes' lists are raided (kernel: fallbacks[]). */
static const int fallbacks[MIGRATE_TYPES][3] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE, MIGRATE_TYPES },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE,   MIGRATE_MOVABLE,   MIGRATE_TYPES },
	[MIGRATE_HIGHATOMIC]  = { MIGRATE_TYPES },
	[MIGRATE_ISOLATE]     = { MIGRATE_TYPES },
};

/* kernel: change_pageblock_range, mm/page_alloc.c */
void change_pageblock_range(struct page *pageblock_page, int start_order, int migratetype)
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
bool boost_watermark(struct zone *zone)
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

/* kernel: rmqueue_bulk, mm/page_alloc.c -- refill a pcp list under one zone->lock hold */
int rmqueue_bulk(struct zone *zone, unsigned int order, unsigned long count,
			struct page_list *list, int migratetype, unsigned int alloc_flags)
{
	enum rmqueue_mode rmqm = RMQUEUE_NORMAL;
	unsigned long flags;
	int i, allocated = 0;

	BUDDY_LABEL("rmqueue_bulk");
	buddy_level(SIM_OP_PAGE_ALLOC, 2);
	spin_lock_irqsave(&zone->lock, flags);
	for (i = 0; i < (int)count; ++i) {
		struct page *page = KOPS(buddy)->__rmqueue(zone, order, migratetype, alloc_flags, &rmqm);

		if (unlikely(page == NULL))
			break;
		/* in physical order, each to the tail: the list reads by pfn */
		page->flags |= PG_pcp;
		page->order = (uint8_t)order;
		page_list_add_tail(list, page);
		allocated++;
		sim_yield_cost(SIM_COST_PAGE_OP);
	}
	/* 6.12 counts each page as it leaves the free list (account_freepages) */
	if (!KOPS(buddy)->account_freepages)
		__mod_zone_page_state(zone, NR_FREE_PAGES, -((long)i << order));
	spin_unlock_irqrestore(&zone->lock, flags);
	return allocated;
}

/*
 * kernel: __count_numa_events, include/linux/vmstat.h -- into the zone's per-CPU zonestats;
 * boot_zonestats' (per_cpu_zonestats NULL here) are never folded: setup_zone_pageset leaves
 * them behind and setup_per_cpu_pageset clears them, so the boot's NUMA events are lost
 */
static void count_numa_events(struct zone *zone, enum numa_stat_item item, long delta)
{
	if (zone->per_cpu_zonestats)
		zone->numa_event[item] += (unsigned long)delta;
}

/* kernel: zone_statistics, mm/page_alloc.c */
void zone_statistics(struct zone *preferred_zone, struct zone *z, long nr_account)
{
	enum numa_stat_item local_stat = NUMA_LOCAL;

	if (zone_to_nid(z) != cpu_to_node(raw_smp_processor_id()))
		local_stat = NUMA_OTHER;
	if (zone_to_nid(z) == zone_to_nid(preferred_zone)) {
		count_numa_events(z, NUMA_HIT, nr_account);
	} else {
		count_numa_events(z, NUMA_MISS, nr_account);
		count_numa_events(preferred_zone, NUMA_FOREIGN, nr_account);
	}
	count_numa_events(z, local_stat, nr_account);
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
	page = KOPS(buddy)->rmqueue_buddy(preferred_zone, zone, order, alloc_flags, migratetype);

out:
	if (unlikely(test_bit_zone(ZONE_BOOSTED_WATERMARK, zone))) {
		clear_bit_zone(ZONE_BOOSTED_WATERMARK, zone);
		wakeup_kswapd(zone, 0, 0, (enum zone_type)zone_idx(zone));
	}
	return page;
}
