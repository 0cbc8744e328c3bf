/*
 * 6.1/free.c - Linux 6.1.192, mm/page_alloc.c: a free onto this CPU's pcp
 * list (free_unref_page_commit, nr_pcp_high, nr_pcp_free with free_factor)
 * and the drain of pcp lists into the zone (free_pcppages_bulk).  Included
 * by kops.c; the shared free path is ../free.c.
 */
#include "../buddy_int.h"

/* kernel: free_pcppages_bulk, mm/page_alloc.c; pcp->lock held */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp, int pindex)
{
	int min_pindex = 0, max_pindex = NR_PCP_LISTS - 1;
	bool isolated_pageblocks;
	unsigned long flags;

	BUDDY_LABEL("free_pcppages_bulk");
	buddy_level(SIM_OP_PAGE_FREE, 2);
	count = count < SIM_READ(pcp->count) ? count : pcp->count;	/* SIM_READ: the steps table */
	/* the list just freed to is drained first */
	pindex = pindex - 1;

	spin_lock_irqsave(&zone->lock, flags);
	isolated_pageblocks = has_isolate_pageblock(zone);

	while (count > 0) {
		struct page_list *list;
		int nr_pages;
		unsigned int order;

		/* round robin over the non-empty lists, narrowing past empty ends */
		do {
			if (++pindex > max_pindex)
				pindex = min_pindex;
			list = &pcp->lists[pindex];
			if (!page_list_empty(list))
				break;
			if (pindex == max_pindex)
				max_pindex--;
			if (pindex == min_pindex)
				min_pindex++;
			/*
			 * Model only: every list is empty with pages still to free.  The
			 * clamp above makes that impossible while pcp->lock is held; with
			 * SIM_GUARD_PCP_LOCK off an interrupt may have taken pages since,
			 * and the kernel would spin here forever with IRQs off.
			 */
			if (unlikely(min_pindex > max_pindex)) {
				BUDDY_LABEL("free_pcppages_bulk:every_list_empty");
				buddy_bug("free_pcppages_bulk: cpu %d: %d pages left to free, every pcp list empty "
					  "(a hard lockup in the kernel)", raw_smp_processor_id(), count);
				goto out;
			}
		} while (1);

		order = (unsigned int)pindex_to_order((unsigned int)pindex);
		nr_pages = 1 << order;
		do {
			/* the coldest page: the tail */
			struct page *page = page_list_last(list);
			uint64_t pfn = page_to_pfn(page);
			int mt = get_pcppage_migratetype(page);

			page_list_del(list, page);
			page->flags &= ~PG_pcp;
			count -= nr_pages;
			pcp->count -= nr_pages;
			if (unlikely(isolated_pageblocks))
				mt = get_pfnblock_migratetype(page, pfn);
			__free_one_page(page, pfn, zone, order, mt, FPI_NONE);
			sim_yield_cost(SIM_COST_PAGE_OP);
		} while (count > 0 && !page_list_empty(list));
	}
out:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* kernel: nr_pcp_free, mm/page_alloc.c */
static int nr_pcp_free(struct per_cpu_pages *pcp, int high, int batch, bool free_high)
{
	int min_nr_free, max_nr_free;

	if (unlikely(free_high))
		return pcp->count;
	/* boot pageset or pcp disabled */
	if (unlikely(high < batch))
		return 1;
	min_nr_free = batch;
	max_nr_free = high - batch;
	/* consecutive frees without an allocation double the batch, up to a cap */
	batch <<= pcp->free_factor;
	if (batch < max_nr_free && pcp->free_factor < CONFIG_PCP_BATCH_SCALE_MAX)
		pcp->free_factor++;
	if (batch < min_nr_free)
		batch = min_nr_free;
	if (batch > max_nr_free)
		batch = max_nr_free;
	return batch;
}

/* kernel: nr_pcp_high, mm/page_alloc.c */
static int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, bool free_high)
{
	int high = READ_ONCE(pcp->high);

	if (unlikely(!high || free_high))
		return 0;
	if (!test_bit_zone(ZONE_RECLAIM_ACTIVE, zone))
		return high;
	/* reclaim active: keep the pcp small */
	return READ_ONCE(pcp->batch) << 2 < high ? pcp->batch << 2 : high;
}

/* kernel: free_unref_page_commit, mm/page_alloc.c; pcp->lock held */
static void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp, struct page *page,
				   int migratetype, unsigned int order)
{
	int high, pindex;
	bool free_high;

	BUDDY_LABEL("free_unref_page_commit");
	buddy_level(SIM_OP_PAGE_FREE, 1);
	zone->pgfree += 1UL << order;
	pindex = (int)order_to_pindex(migratetype, (int)order);
	page->flags |= PG_pcp;
	page->order = (uint8_t)order;
	page_list_add(&pcp->lists[pindex], page);
	pcp->count += 1 << order;

	/* high-order pages freed without allocations in between are all flushed */
	free_high = pcp->free_factor && order && order <= PAGE_ALLOC_COSTLY_ORDER;
	high = nr_pcp_high(pcp, zone, free_high);
	if (pcp->count >= high) {
		int batch = READ_ONCE(pcp->batch);

		free_pcppages_bulk(zone, nr_pcp_free(pcp, high, batch, free_high), pcp, pindex);
	}
}
