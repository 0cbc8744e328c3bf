/*
 * 6.12/free.c - Linux 6.12.118, mm/page_alloc.c: a free onto this CPU's pcp
 * list (free_unref_page_commit, nr_pcp_high, nr_pcp_free), the drain of pcp
 * lists into the zone (free_pcppages_bulk) and the vmstat worker's decay of
 * pcp->high (decay_pcp_high).  Included by kops.c.
 *
 * How 6.12's high moves: nr_pcp_high first clamps pcp->high into
 * [high_min, high_max]; a free that reaches high grows it to hold
 * free_count + batch pages; with the zone below its high watermark
 * (ZONE_BELOW_HIGH) or reclaim active each free lowers it by
 * max(free_count, batch); freeing many high-order (<= costly) pages in a row
 * drops it by batch << 5 and frees as much (free_high); decay_pcp_high lowers
 * it by an eighth on each vmstat round.  A drain frees free_count pages
 * (consecutive frees since the last allocation, halved by each allocation),
 * clamped to [batch, high - batch].
 */
#include "../buddy_int.h"

/* kernel: free_pcppages_bulk, mm/page_alloc.c (6.12); pcp->lock held */
static void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp, int pindex)
{
	unsigned long flags;

	BUDDY_LABEL("free_pcppages_bulk");
	buddy_level(SIM_OP_PAGE_FREE, 2);
	count = count < SIM_READ(pcp->count) ? count : pcp->count;	/* SIM_READ: the steps table */
	/* the list just freed to is drained first */
	pindex = pindex - 1;

	spin_lock_irqsave(&zone->lock, flags);
	while (count > 0) {
		struct page_list *list;
		int nr_pages, nr_empty = 0;
		unsigned int order;

		/* round robin over the lists */
		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
			/*
			 * Model only: every list empty with pages still to free.  The clamp
			 * above makes that impossible while pcp->lock is held; with
			 * SIM_GUARD_PCP_LOCK off an interrupt may have taken pages since,
			 * and the kernel would spin here forever with IRQs off.
			 */
			if (page_list_empty(list) && ++nr_empty > NR_PCP_LISTS) {
				BUDDY_LABEL("free_pcppages_bulk:every_list_empty");
				buddy_bug("free_pcppages_bulk: cpu %d: %d pages left to free, every pcp list empty "
					  "(a hard lockup in the kernel)", raw_smp_processor_id(), count);
				goto out;
			}
		} while (page_list_empty(list));

		order = (unsigned int)pindex_to_order((unsigned int)pindex);
		nr_pages = 1 << order;
		do {
			/* the coldest page: the tail; its pageblock's type now (6.12 caches none) */
			struct page *page = page_list_last(list);
			uint64_t pfn = page_to_pfn(page);
			int mt = get_pfnblock_migratetype(page, pfn);

			page_list_del(list, page);
			page->flags &= ~PG_pcp;
			count -= nr_pages;
			pcp->count -= nr_pages;
			__free_one_page(page, pfn, zone, order, mt, FPI_NONE);
			sim_yield_cost(SIM_COST_PAGE_OP);
		} while (count > 0 && !page_list_empty(list));
	}
out:
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* kernel: nr_pcp_free, mm/page_alloc.c (6.12) */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high, bool free_high)
{
	int min_nr_free, max_nr_free;

	/* high-order pages freed in bulk: as many as the drain cap allows */
	if (unlikely(free_high))
		return pcp->count < batch << CONFIG_PCP_BATCH_SCALE_MAX ? pcp->count
									 : batch << CONFIG_PCP_BATCH_SCALE_MAX;
	/* boot pageset or pcp disabled */
	if (unlikely(high < batch))
		return 1;
	/* leave at least batch pages; free what was freed in a row, within bounds */
	min_nr_free = batch;
	max_nr_free = high - batch;
	return clamp_int(pcp->free_count, min_nr_free, max_nr_free);
}

/* kernel: nr_pcp_high, mm/page_alloc.c (6.12) -- also tunes pcp->high */
static int nr_pcp_high(struct per_cpu_pages *pcp, struct zone *zone, int batch, bool free_high)
{
	int high, high_min, high_max;

	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = pcp->high = clamp_int(pcp->high, high_min, high_max);

	if (unlikely(!high))
		return 0;

	if (unlikely(free_high)) {
		pcp->high = high - (batch << CONFIG_PCP_BATCH_SCALE_MAX) > high_min
			    ? high - (batch << CONFIG_PCP_BATCH_SCALE_MAX) : high_min;
		return 0;
	}

	/* reclaim active: shrink high and keep the pcp small */
	if (test_bit_zone(ZONE_RECLAIM_ACTIVE, zone)) {
		int free_count = pcp->free_count > batch ? pcp->free_count : batch;

		pcp->high = high - free_count > high_min ? high - free_count : high_min;
		return batch << 2 < pcp->high ? batch << 2 : pcp->high;
	}

	if (high_min == high_max)
		return high;

	if (test_bit_zone(ZONE_BELOW_HIGH, zone)) {
		int free_count = pcp->free_count > batch ? pcp->free_count : batch;

		BUDDY_LABEL("nr_pcp_high:below_high");
		pcp->high = high - free_count > high_min ? high - free_count : high_min;
		high = pcp->count > high_min ? pcp->count : high_min;
	} else if (pcp->count >= high) {
		int need_high = pcp->free_count + batch;

		/* large enough to hold a batch of freed pages */
		if (pcp->high < need_high)
			pcp->high = clamp_int(need_high, high_min, high_max);
	}
	return high;
}

/* kernel: free_unref_page_commit, mm/page_alloc.c (6.12); pcp->lock held */
static void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp, struct page *page,
				   int migratetype, unsigned int order)
{
	int high, batch, pindex;
	bool free_high = false;

	BUDDY_LABEL("free_unref_page_commit");
	buddy_level(SIM_OP_PAGE_FREE, 1);
	vmstat_shepherd_arm();
	/* a free halves the refill scaling that consecutive allocations built up */
	pcp->alloc_factor >>= 1;
	zone->pgfree += 1UL << order;
	pindex = (int)order_to_pindex(migratetype, (int)order);
	page->flags |= PG_pcp;
	page->order = (uint8_t)order;
	page_list_add(&pcp->lists[pindex], page);
	pcp->count += 1 << order;

	batch = READ_ONCE(pcp->batch);
	/* high-order (not THP) pages freed in a row without allocations: flush them */
	if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
		free_high = pcp->free_count >= batch && (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) &&
			    (!(pcp->flags & PCPF_FREE_HIGH_BATCH) || pcp->count >= batch);
		pcp->flags |= PCPF_PREV_FREE_HIGH_ORDER;
	} else if (pcp->flags & PCPF_PREV_FREE_HIGH_ORDER) {
		pcp->flags &= (uint8_t)~PCPF_PREV_FREE_HIGH_ORDER;
	}
	if (pcp->free_count < batch << CONFIG_PCP_BATCH_SCALE_MAX)
		pcp->free_count = (short)(pcp->free_count + (1 << order));
	high = nr_pcp_high(pcp, zone, batch, free_high);
	if (pcp->count >= high) {
		if (free_high)
			BUDDY_LABEL("free_unref_page_commit:free_high");
		free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high, free_high), pcp, pindex);
		if (test_bit_zone(ZONE_BELOW_HIGH, zone) &&
		    zone_watermark_ok(zone, 0, high_wmark_pages(zone), ZONE_MOVABLE, 0))
			clear_bit_zone(ZONE_BELOW_HIGH, zone);
	}
}

/*
 * kernel: decay_pcp_high, mm/page_alloc.c (6.12) -- from the vmstat worker
 * (refresh_cpu_vm_stats) on the pcp's own CPU: lower high by an eighth (not
 * below high_min, nor more than batch << 5 under count) and drain what is
 * above it, a batch per pcp->lock hold.  True when more is left to do.
 */
static bool decay_pcp_high(struct zone *zone, struct per_cpu_pages *pcp)
{
	int high_min, to_drain, to_drain_batched, batch;
	bool todo = false, logged;
	struct sim_op op;

	high_min = READ_ONCE(pcp->high_min);
	batch = READ_ONCE(pcp->batch);
	if (pcp->high > high_min) {
		int a = pcp->count - (batch << CONFIG_PCP_BATCH_SCALE_MAX), b = pcp->high - (pcp->high >> 3);
		int m = a > b ? a : b;

		pcp->high = m > high_min ? m : high_min;
		if (pcp->high > high_min)
			todo = true;
	}

	to_drain = pcp->count - pcp->high;
	/* model: a drain by the vmstat worker is an operation of its own, as the kernel's kworker traces it */
	logged = to_drain > 0 && vmstat_work_op_begin(&op, zone);
	while (to_drain > 0) {
		to_drain_batched = to_drain < batch ? to_drain : batch;
		BUDDY_LABEL("decay_pcp_high");
		spin_lock(&pcp->lock);		/* pcp_spin_lock_maybe_irqsave on SMP */
		free_pcppages_bulk(zone, to_drain_batched, pcp, 0);
		spin_unlock(&pcp->lock);
		todo = true;
		to_drain -= to_drain_batched;
	}
	if (logged)
		sim_op_end(&op);
	return todo;
}
