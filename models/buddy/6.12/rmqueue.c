/*
 * 6.12/rmqueue.c - Linux 6.12.118, mm/page_alloc.c: the per-CPU allocation
 * (rmqueue_pcplist, __rmqueue_pcplist, nr_pcp_alloc).  An empty list is
 * refilled by rmqueue_bulk (../rmqueue.c) with nr_pcp_alloc pages: order-0
 * refills double (alloc_factor) on each refill with no free in between, up to
 * batch << CONFIG_PCP_BATCH_SCALE_MAX, and each refill raises pcp->high by
 * the batch up to high_max unless the zone is below its high watermark
 * (ZONE_BELOW_HIGH).  An allocation halves free_count, the drain size of
 * 6.12/free.c.  Included by kops.c.
 */
#include "../buddy_int.h"

/* kernel: nr_pcp_alloc, mm/page_alloc.c (6.12) */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, struct zone *zone, int order)
{
	int high, base_batch, batch, max_nr_alloc;
	int high_max, high_min;

	base_batch = READ_ONCE(pcp->batch);
	high_min = READ_ONCE(pcp->high_min);
	high_max = READ_ONCE(pcp->high_max);
	high = pcp->high = clamp_int(pcp->high, high_min, high_max);

	/* pcp disabled or the boot pageset */
	if (unlikely(high < base_batch))
		return 1;

	if (order)
		batch = base_batch;
	else
		batch = base_batch << pcp->alloc_factor;

	/* a larger high would have spared this refill */
	if (high_min != high_max && !test_bit_zone(ZONE_BELOW_HIGH, zone))
		high = pcp->high = high + batch < high_max ? high + batch : high_max;

	if (!order) {
		max_nr_alloc = high - pcp->count - base_batch > base_batch ? high - pcp->count - base_batch
									    : base_batch;
		/* double the next order-0 refill while no page is freed in between */
		if (batch <= max_nr_alloc && pcp->alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX)
			pcp->alloc_factor++;
		batch = batch < max_nr_alloc ? batch : max_nr_alloc;
	}

	/* scale by order, unless it is the boot / tiny-zone batch of 1 */
	if (batch > 1)
		batch = batch >> order > 2 ? batch >> order : 2;
	return batch;
}

/* kernel: __rmqueue_pcplist, mm/page_alloc.c (6.12); pcp->lock held (no check_new_pages: no debug checks) */
static struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order, int migratetype,
				      unsigned int alloc_flags, struct per_cpu_pages *pcp,
				      struct page_list *list)
{
	struct page *page;

	if (page_list_empty(list)) {
		int batch = nr_pcp_alloc(pcp, zone, (int)order);
		int alloced;

		alloced = rmqueue_bulk(zone, order, (unsigned long)batch, list, migratetype, alloc_flags);
		pcp->count += alloced << order;
		if (unlikely(page_list_empty(list)))
			return NULL;
	} else {
		buddy_level(SIM_OP_PAGE_ALLOC, 1);
	}
	page = page_list_first(list);
	page_list_del(list, page);
	page->flags &= ~PG_pcp;
	pcp->count -= 1 << order;
	return page;
}

/* kernel: rmqueue_pcplist, mm/page_alloc.c (6.12) */
static struct page *rmqueue_pcplist(struct zone *preferred_zone, struct zone *zone, unsigned int order,
				    int migratetype, unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp;
	struct page_list *list;
	struct page *page;

	BUDDY_LABEL("rmqueue_pcplist");
	/* may fail: a remote drain holds it, or we interrupted its holder on this CPU */
	pcp = pcp_spin_trylock(zone);
	if (!pcp) {
		BUDDY_LABEL("rmqueue_pcplist:trylock_failed");
		return NULL;
	}
	vmstat_shepherd_arm();
	/* an allocation halves the drain size that consecutive frees built up */
	pcp->free_count >>= 1;
	list = &pcp->lists[order_to_pindex(migratetype, (int)order)];
	page = __rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp, list);
	pcp_spin_unlock(pcp);
	if (page) {
		zone->pgalloc += 1UL << order;
		zone_statistics(preferred_zone, zone, 1);
	}
	return page;
}
