/*
 * 6.1/rmqueue.c - Linux 6.1.192, mm/page_alloc.c: the per-CPU allocation
 * (rmqueue_pcplist, __rmqueue_pcplist): a refill takes pcp->batch pages,
 * scaled down by order.  Included by kops.c; the shared zone path is
 * ../rmqueue.c.
 */
#include "../buddy_int.h"

/* kernel: __rmqueue_pcplist, mm/page_alloc.c; pcp->lock held */
static struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order, int migratetype,
				      unsigned int alloc_flags, struct per_cpu_pages *pcp,
				      struct page_list *list)
{
	struct page *page;

	if (page_list_empty(list)) {
		int batch = READ_ONCE(pcp->batch);
		int alloced;

		/* scale the batch down by order, unless it is the boot / tiny-zone batch of 1 */
		if (batch > 1)
			batch = batch >> order > 2 ? batch >> order : 2;
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

/* kernel: rmqueue_pcplist, mm/page_alloc.c */
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
	/* an allocation halves the free batch scaling */
	pcp->free_factor >>= 1;
	list = &pcp->lists[order_to_pindex(migratetype, (int)order)];
	page = __rmqueue_pcplist(zone, order, migratetype, alloc_flags, pcp, list);
	pcp_spin_unlock(pcp);
	if (page) {
		zone->pgalloc += 1UL << order;
		zone_statistics(preferred_zone, zone, 1);
	}
	return page;
}
