/*
 * 6.12/page_alloc.c - Linux 6.12.118 (Debian linux-source-6.12), mm/page_alloc.c:
 * the zone side of the page allocator as 6.12 does it.  What changed from
 * 6.1 (6.1/page_alloc.c), and why it moves pages between paths:
 *   - free-list hygiene: a free block always sits on the list of its
 *     pageblock's type, and every list change counts NR_FREE_PAGES itself
 *     (account_freepages), with the free pages of HIGHATOMIC blocks kept in
 *     zone->nr_free_highatomic;
 *   - __rmqueue tries the preferred list, then __rmqueue_claim (take a whole
 *     block of another type, largest first, only when try_to_steal_block may
 *     claim it), then __rmqueue_steal (one block, smallest first, its rest
 *     left on the other type's lists), remembering in `mode` where the last
 *     call found pages (rmqueue_bulk);
 *   - move_freepages_block changes the block's type itself and fails (-1) on
 *     a block straddling the zone's edge;
 *   - the highatomic reserve is 1% of the zone rounded up to a pageblock
 *     (none when 1% is less than a pageblock), and the watermark check
 *     discounts only its free pages;
 *   - __free_one_page gives a buddy of another mergeable type the freed
 *     block's type when they merge past pageblock_order, and free_one_page
 *     frees by the pageblock's type, block by block (split_large_buddy);
 *   - __setup_per_zone_wmarks caps ZONE_MOVABLE's min as it does highmem's.
 * Included by kops.c (static functions under the kernel's names).
 */
#include "../buddy_int.h"

/* kernel: account_freepages, mm/page_alloc.c (6.12; no CMA); zone->lock held */
static void account_freepages(struct zone *zone, int nr_pages, int migratetype)
{
	if (is_migrate_isolate(migratetype))
		return;
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (is_migrate_highatomic(migratetype))
		zone->nr_free_highatomic += (unsigned long)(long)nr_pages;
}

/*
 * kernel: __del_page_from_free_list, mm/page_alloc.c (6.12) -- off the list,
 * not counted.  The shared list helper (freelist.c) is 6.1's uncounted
 * del_page_from_free_list; 6.12's counting del_page_from_free_list is this
 * plus account_freepages, written out where the kernel calls it.
 */
static void __del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order, int migratetype)
{
	(void)migratetype;	/* the model's page records its list */
	del_page_from_free_list(page, zone, order);
}

/* kernel: move_to_free_list, mm/page_alloc.c (6.12) -- the shared move, counted on both types */
static void move_to_free_list_counted(struct page *page, struct zone *zone, unsigned int order, int old_mt,
				      int new_mt)
{
	move_to_free_list(page, zone, order, new_mt);
	account_freepages(zone, -(1 << order), old_mt);
	account_freepages(zone, 1 << order, new_mt);
}

/* kernel: __setup_per_zone_wmarks, mm/page_alloc.c (6.12: ZONE_MOVABLE is capped like highmem) */
static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;
	int nid, zid;

	for_each_zone_model(zone, nid, zid)
		if (zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(zone);

	for_each_zone_model(zone, nid, zid) {
		unsigned long tmp, wsf;

		tmp = lowmem_pages ? (unsigned long)((uint64_t)pages_min * zone_managed_pages(zone) / lowmem_pages) : 0;
		if (zone_idx(zone) == ZONE_MOVABLE) {
			/* nothing needs movable pages to make progress: a small clamped min */
			unsigned long min_pages = zone_managed_pages(zone) / 1024;

			min_pages = min_pages < SWAP_CLUSTER_MAX ? SWAP_CLUSTER_MAX : min_pages > 128 ? 128 : min_pages;
			zone->_watermark[WMARK_MIN] = min_pages;
		} else {
			zone->_watermark[WMARK_MIN] = tmp;
		}
		wsf = mult_frac(zone_managed_pages(zone), (unsigned long)watermark_scale_factor, 10000);
		tmp = tmp >> 2 > wsf ? tmp >> 2 : wsf;
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
	}
	calculate_totalreserve_pages();
}

/* kernel: __zone_watermark_unusable_free, mm/page_alloc.c (6.12; no CMA) */
static long __zone_watermark_unusable_free(struct zone *z, unsigned int order, unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	/* without reserve rights, the free highatomic pages do not count */
	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)READ_ONCE(z->nr_free_highatomic);
	return unusable_free;
}

/* kernel: __free_one_page, mm/page_alloc.c (6.12); zone->lock held (or boot) */
static void __free_one_page(struct page *page, uint64_t pfn, struct zone *zone, unsigned int order,
			    int migratetype, int fpi_flags)
{
	uint64_t buddy_pfn = 0, combined_pfn;
	struct page *buddy;
	bool to_tail;

	assert(!(pfn & ((1UL << order) - 1)));
	account_freepages(zone, 1 << order, migratetype);

	while (order < MAX_PAGE_ORDER) {
		int buddy_mt = migratetype;

		buddy = find_buddy_page_pfn(page, pfn, order, &buddy_pfn);
		if (!buddy)
			goto done_merging;
		if (unlikely(order >= pageblock_order)) {
			/* no merging across pageblocks of types without fallbacks */
			buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) || !migratetype_is_mergeable(buddy_mt)))
				goto done_merging;
		}
		__del_page_from_free_list(buddy, zone, order, buddy_mt);
		if (unlikely(buddy_mt != migratetype)) {
			/* the buddy's blocks take our type, so expand() later files the halves right */
			BUDDY_LABEL("__free_one_page:retype_buddy");
			change_pageblock_range(buddy, (int)order, migratetype);
		}
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

/* kernel: split_large_buddy, mm/page_alloc.c (6.12) -- a multi-block page freed pageblock by pageblock */
static void split_large_buddy(struct zone *zone, struct page *page, uint64_t pfn, int order, int fpi)
{
	uint64_t end = pfn + (1UL << order);

	if (order > (int)pageblock_order)
		order = (int)pageblock_order;
	do {
		int mt = get_pfnblock_migratetype(page, pfn);

		__free_one_page(page, pfn, zone, (unsigned int)order, mt, fpi);
		pfn += 1UL << order;
		if (pfn == end)
			break;
		page = pfn_to_page(pfn);
	} while (1);
}

/*
 * kernel: free_one_page, mm/page_alloc.c (6.12) -- by the pageblock's type;
 * `migratetype` is the 6.1 table's argument, unused here.
 */
static void free_one_page(struct zone *zone, struct page *page, uint64_t pfn, unsigned int order,
			  int migratetype, int fpi_flags)
{
	unsigned long flags;

	(void)migratetype;
	BUDDY_LABEL("free_one_page");
	buddy_level(SIM_OP_PAGE_FREE, 3);
	spin_lock_irqsave(&zone->lock, flags);
	split_large_buddy(zone, page, pfn, (int)order, fpi_flags);
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);
	zone->pgfree += 1UL << order;
}

/* kernel: __free_pages_ok, mm/page_alloc.c (6.12) -- orders that never use the pcp */
static void __free_pages_ok(struct page *page, unsigned int order, int fpi_flags)
{
	uint64_t pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	BUDDY_LABEL("__free_pages_ok");
	if (free_pages_prepare(page, order))
		free_one_page(zone, page, pfn, order, MIGRATE_TYPES, fpi_flags);
}

/* kernel: expand, mm/page_alloc.c (6.12) -- the upper halves go back, uncounted; returns their pages */
static unsigned int expand(struct zone *zone, struct page *page, int low, int high, int migratetype)
{
	unsigned int size = 1u << high, nr_added = 0;

	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, (unsigned int)high, migratetype);
		set_buddy_order(&page[size], (unsigned int)high);
		nr_added += size;
	}
	return nr_added;
}

/* kernel: page_del_and_expand, mm/page_alloc.c (6.12) -- only what leaves the lists is counted */
static void page_del_and_expand(struct zone *zone, struct page *page, int low, int high, int migratetype)
{
	int nr_pages = 1 << high;

	__del_page_from_free_list(page, zone, (unsigned int)high, migratetype);
	nr_pages -= (int)expand(zone, page, low, high, migratetype);
	account_freepages(zone, -nr_pages, migratetype);
}

/* kernel: __rmqueue_smallest, mm/page_alloc.c (6.12) */
static struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS; ++current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);

		if (!page)
			continue;
		BUDDY_LABEL("__rmqueue_smallest");
		page_del_and_expand(zone, page, (int)order, (int)current_order, migratetype);
		set_pcppage_migratetype(page, migratetype);
		return page;
	}
	return NULL;
}

/* kernel: __move_freepages_block, mm/page_alloc.c (6.12) -- retype a block and move its free pages */
static int __move_freepages_block(struct zone *zone, uint64_t start_pfn, int old_mt, int new_mt)
{
	struct page *base = pfn_to_page(start_pfn);	/* a pageblock: one metadata section */
	uint64_t end_pfn = pageblock_end_pfn(start_pfn);
	int pages_moved = 0;

	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = base + (pfn - start_pfn);
		unsigned int order;

		if (!PageBuddy(page)) {
			pfn++;
			continue;
		}
		assert(page_zone(page) == zone);
		order = buddy_order(page);
		move_to_free_list_counted(page, zone, order, old_mt, new_mt);
		pfn += 1UL << order;
		pages_moved += 1 << order;
	}
	set_pageblock_migratetype(base, new_mt);
	sim_yield_cost(SIM_COST_PAGE_OP);
	return pages_moved;
}

/*
 * kernel: prep_move_freepages_block, mm/page_alloc.c (6.12).  "Movable" in-use
 * pages are those allocated as MIGRATE_MOVABLE (the model has no LRU or
 * __PageMovable); a compound tail answers for its head, as PageLRU does.
 */
static bool prep_move_freepages_block(struct zone *zone, struct page *page, uint64_t *start_pfn,
				      int *num_free, int *num_movable)
{
	uint64_t pfn = page_to_pfn(page), start = pageblock_start_pfn(pfn), end = pageblock_end_pfn(pfn);
	struct page *base;

	/* never cross the zone's edges */
	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1))
		return false;
	*start_pfn = start;
	if (!num_free)
		return true;
	*num_free = 0;
	*num_movable = 0;
	base = pfn_to_page(start);
	for (pfn = start; pfn < end;) {
		struct page *p = base + (pfn - start);
		const struct page *head = p;

		if (PageBuddy(p)) {
			int nr = 1 << buddy_order(p);

			*num_free += nr;
			pfn += (uint64_t)nr;
			continue;
		}
		if (p->flags & PG_tail)
			head = pfn_to_page(p->lru_next - 1);	/* compound_head */
		if ((head->flags & PG_allocated) && get_pcppage_migratetype(head) == MIGRATE_MOVABLE)
			(*num_movable)++;
		pfn++;
	}
	return true;
}

/* kernel: move_freepages_block, mm/page_alloc.c (6.12) -- -1 when the block straddles the zone's edge */
static int move_freepages_block(struct zone *zone, struct page *page, int old_mt, int new_mt)
{
	uint64_t start_pfn;

	if (!prep_move_freepages_block(zone, page, &start_pfn, NULL, NULL))
		return -1;
	return __move_freepages_block(zone, start_pfn, old_mt, new_mt);
}

/* kernel: try_to_steal_block, mm/page_alloc.c (6.12) -- claim the block, or NULL */
static struct page *try_to_steal_block(struct zone *zone, struct page *page, int current_order, int order,
				       int start_type, unsigned int alloc_flags)
{
	int free_pages, movable_pages, alike_pages;
	int block_type = get_pageblock_migratetype(page);
	uint64_t start_pfn;

	BUDDY_LABEL("try_to_steal_block");
	/* a race could make it highatomic: keep that accounting intact */
	if (is_migrate_highatomic(block_type))
		return NULL;

	/* a whole pageblock or more changes owner */
	if (current_order >= (int)pageblock_order) {
		unsigned int nr_added;

		BUDDY_LABEL("try_to_steal_block:whole_block");
		__del_page_from_free_list(page, zone, (unsigned int)current_order, block_type);
		account_freepages(zone, -(1 << current_order), block_type);
		change_pageblock_range(page, current_order, start_type);
		nr_added = expand(zone, page, order, current_order, start_type);
		account_freepages(zone, (int)nr_added, start_type);
		set_pcppage_migratetype(page, start_type);
		return page;
	}

	/* fallbacks should become rarer: boost the watermarks, wake kswapd */
	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		set_bit_zone(ZONE_BOOSTED_WATERMARK, zone);

	if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages, &movable_pages))
		return NULL;
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;

	/* claim the block when at least half of it is free or alike; else leave it whole */
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1))) {
		BUDDY_LABEL("try_to_steal_block:claim_block");
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		return __rmqueue_smallest(zone, (unsigned int)order, start_type);
	}
	return NULL;
}

/* kernel: __rmqueue_claim, mm/page_alloc.c (6.12) -- claim a whole block of another type, largest first */
static struct page *__rmqueue_claim(struct zone *zone, int order, int start_migratetype, unsigned int alloc_flags)
{
	int current_order, min_order = order, fallback_mt;
	bool can_steal;

	/* with NOFRAGMENT only whole pageblocks (the zonelist walk retries without) */
	if (order < (int)pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT))
		min_order = (int)pageblock_order;

	/* the largest block of another type approximates the emptiest pageblock */
	for (current_order = MAX_PAGE_ORDER; current_order >= min_order; --current_order) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page;

		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order, start_migratetype, false,
						     &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal)
			break;
		page = get_page_from_free_area(area, fallback_mt);
		page = try_to_steal_block(zone, page, current_order, order, start_migratetype, alloc_flags);
		if (page) {
			BUDDY_LABEL("__rmqueue_claim");
			return page;
		}
	}
	return NULL;
}

/* kernel: __rmqueue_steal, mm/page_alloc.c (6.12) -- one block of another type, smallest first */
static struct page *__rmqueue_steal(struct zone *zone, int order, int start_migratetype)
{
	bool can_steal;

	for (int current_order = order; current_order < NR_PAGE_ORDERS; current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		int fallback_mt = find_suitable_fallback(area, (unsigned int)current_order, start_migratetype, false,
							 &can_steal);
		struct page *page;

		if (fallback_mt == -1)
			continue;
		BUDDY_LABEL("__rmqueue_steal");
		page = get_page_from_free_area(area, fallback_mt);
		/* the rest stays on the other type's lists: the block keeps its type */
		page_del_and_expand(zone, page, order, current_order, fallback_mt);
		/* model device: an allocated page records the type it was asked for (movable counts) */
		set_pcppage_migratetype(page, start_migratetype);
		return page;
	}
	return NULL;
}

/*
 * kernel: __rmqueue, mm/page_alloc.c (6.12; no CMA); zone->lock held.  `mode`
 * carries over rmqueue_bulk's calls: after a steal, the next call steals
 * again without looking at the preferred list or claiming.
 */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype, unsigned int alloc_flags,
			      enum rmqueue_mode *mode)
{
	struct page *page;

	switch (*mode) {
	case RMQUEUE_NORMAL:
		page = __rmqueue_smallest(zone, order, migratetype);
		if (page)
			return page;
		/* fall through */
	case RMQUEUE_CMA:	/* no CMA */
	case RMQUEUE_CLAIM:
		page = __rmqueue_claim(zone, (int)order, migratetype, alloc_flags);
		if (page) {
			/* the preferred list is full again */
			*mode = RMQUEUE_NORMAL;
			buddy_level(SIM_OP_PAGE_ALLOC, 4);
			return page;
		}
		/* fall through */
	case RMQUEUE_STEAL:
		if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
			page = __rmqueue_steal(zone, (int)order, migratetype);
			if (page) {
				*mode = RMQUEUE_STEAL;
				buddy_level(SIM_OP_PAGE_ALLOC, 4);
				return page;
			}
		}
	}
	return NULL;
}

/* kernel: rmqueue_buddy, mm/page_alloc.c (6.12) -- the lists count the pages themselves */
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
		enum rmqueue_mode rmqm = RMQUEUE_NORMAL;

		page = __rmqueue(zone, order, migratetype, alloc_flags, &rmqm);
		/* failing now is worse: non-blocking and OOM requests may take the reserve */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
		if (!page) {
			spin_unlock_irqrestore(&zone->lock, flags);
			return NULL;
		}
	}
	sim_yield_cost(SIM_COST_PAGE_OP);
	spin_unlock_irqrestore(&zone->lock, flags);

	zone->pgalloc += 1UL << order;
	zone_statistics(preferred_zone, zone, 1);
	return page;
}

/* kernel: reserve_highatomic_pageblock, mm/page_alloc.c (6.12) */
static void reserve_highatomic_pageblock(struct page *page, struct zone *zone, unsigned int order)
{
	unsigned long max_managed, flags;
	int mt;

	/* about 1% of the zone in whole blocks, none when 1% is less than a block; racy check first */
	if (zone_managed_pages(zone) / 100 < pageblock_nr_pages)
		return;
	max_managed = (zone_managed_pages(zone) / 100 + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
	if (zone->nr_reserved_highatomic >= max_managed)
		return;

	spin_lock_irqsave(&zone->lock, flags);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out_unlock;
	mt = get_pageblock_migratetype(page);
	if (!migratetype_is_mergeable(mt))
		goto out_unlock;
	if (order < pageblock_order) {
		if (move_freepages_block(zone, page, mt, MIGRATE_HIGHATOMIC) == -1)
			goto out_unlock;
		zone->nr_reserved_highatomic += pageblock_nr_pages;
	} else {
		change_pageblock_range(page, (int)order, MIGRATE_HIGHATOMIC);
		zone->nr_reserved_highatomic += 1UL << order;
	}
	BUDDY_LABEL("reserve_highatomic_pageblock");
out_unlock:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* kernel: unreserve_highatomic_pageblock, mm/page_alloc.c (6.12) */
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
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			struct free_area *area = &zone->free_area[order];
			struct page *page = get_page_from_free_area(area, MIGRATE_HIGHATOMIC);
			int mt, ret;

			if (!page)
				continue;
			mt = get_pageblock_migratetype(page);
			if (is_migrate_highatomic(mt)) {
				unsigned long size = pageblock_nr_pages > 1UL << order ? pageblock_nr_pages : 1UL << order;

				size = size < zone->nr_reserved_highatomic ? size : zone->nr_reserved_highatomic;
				zone->nr_reserved_highatomic -= size;
			}
			/* to the caller's type, without the stealing heuristics */
			if (order < pageblock_order) {
				ret = move_freepages_block(zone, page, mt, ac->migratetype);
			} else {
				move_to_free_list_counted(page, zone, order, mt, ac->migratetype);
				change_pageblock_range(page, (int)order, ac->migratetype);
				ret = 1;
			}
			if (ret > 0) {
				BUDDY_LABEL("unreserve_highatomic_pageblock");
				spin_unlock_irqrestore(&zone->lock, flags);
				return true;
			}
		}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return false;
}

/* kernel: get_page_from_freelist, mm/page_alloc.c (6.12: notes a zone below its high watermark for the pcp) */
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

		/* above the high watermark: no other check; else ZONE_BELOW_HIGH, read by the pcp's nr_pcp_high */
		if (test_bit_zone(ZONE_BELOW_HIGH, zone))
			goto check_alloc_wmark;
		mark = high_wmark_pages(zone);
		if (zone_watermark_fast(zone, order, mark, ac->highest_zoneidx, (unsigned int)alloc_flags, gfp_mask))
			goto try_this_zone;
		BUDDY_LABEL("get_page_from_freelist:below_high");
		set_bit_zone(ZONE_BELOW_HIGH, zone);

check_alloc_wmark:
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
