/*
 * free.c - giving pages back (mm/page_alloc.c 6.1.192): __free_pages,
 * free_the_page, free_unref_page (to this CPU's pcp list) with
 * free_unref_page_commit / nr_pcp_high / nr_pcp_free, free_pcppages_bulk
 * (pcp -> zone), and the buddy helpers both versions share
 * (find_buddy_page_pfn, buddy_merge_likely, free_pages_prepare).  The zone
 * side -- __free_one_page (the merge), free_one_page and __free_pages_ok
 * (straight to the zone) -- differs by version: 6.1/page_alloc.c and
 * 6.12/page_alloc.c, through KOPS(buddy).
 *
 * Locks: pcp_spin_trylock (IRQs on) around a pcp list; when it fails -- a
 * remote drain, or an interrupt that found its own CPU's pcp held -- the page
 * goes to the zone via free_one_page.  zone->lock (irqsave) around every
 * __free_one_page; free_pcppages_bulk takes it inside pcp->lock.
 *
 * Path levels on the current page free: L1 to the pcp list, L2 the pcp list
 * drained into the zone (free_pcppages_bulk), L3 straight to the zone.
 */
#include "buddy_int.h"

/* kernel: page_is_buddy, mm/internal.h */
static bool page_is_buddy(const struct page *page, const struct page *buddy, unsigned int order)
{
	if (!PageBuddy(buddy) || buddy_order(buddy) != order)
		return false;
	/* only merge within one zone */
	return page->nid == buddy->nid && page->zid == buddy->zid;
}

/* kernel: find_buddy_page_pfn, mm/internal.h */
struct page *find_buddy_page_pfn(struct page *page, uint64_t pfn, unsigned int order, uint64_t *buddy_pfn)
{
	uint64_t __buddy_pfn = pfn ^ (1UL << order);
	struct page *buddy = page + (ptrdiff_t)(__buddy_pfn - pfn);	/* same max-order block; signed: the buddy may be below */

	if (buddy_pfn)
		*buddy_pfn = __buddy_pfn;
	return page_is_buddy(page, buddy, order) ? buddy : NULL;
}

/* kernel: buddy_merge_likely, mm/page_alloc.c -- is the next-order buddy free too? */
bool buddy_merge_likely(uint64_t pfn, uint64_t buddy_pfn, struct page *page, unsigned int order)
{
	uint64_t higher_page_pfn;
	struct page *higher_page;

	if (order >= MAX_ORDER - 2)
		return false;
	higher_page_pfn = buddy_pfn & pfn;
	higher_page = page + (ptrdiff_t)(higher_page_pfn - pfn);
	return find_buddy_page_pfn(higher_page, higher_page_pfn, order + 1, NULL) != NULL;
}

/*
 * kernel: free_pages_prepare, mm/page_alloc.c -- the model keeps only the
 * state checks: a page that is not allocated (double free) or still marked
 * as a slab is a bad page, counted and leaked as bad_page() leaves it.
 */
bool free_pages_prepare(struct page *page, unsigned int order)
{
	if (!(page->flags & PG_allocated) || (page->flags & (PG_buddy | PG_pcp | PG_slab | PG_tail))) {
		BUDDY_LABEL("free_pages_prepare:bad_page");
		if (page->nid != 0xff)
			page_zone(page)->nr_bad_pages++;
		return false;
	}
	if (page->flags & PG_head) {
		for (uint64_t i = 1; i < (1UL << order); i++) {
			page[i].flags &= ~PG_tail;
			page[i].lru_next = 0;
		}
	}
	page->flags &= ~(PG_allocated | PG_head | PG_pfmemalloc);
	page->order = 0;
	return true;
}

/*
 * kernel: __free_pages_core, mm/page_alloc.c -- boot memory into the buddy
 * lists, to the tail.  Boot runs before the engine, single-threaded: no
 * lock, and the frames carry no allocation state to check.
 */
void __free_pages_core(struct page *page, uint64_t pfn, unsigned int order)
{
	struct zone *zone = page_zone(page);

	zone->managed_pages += 1UL << order;
	KOPS(buddy)->__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn), FPI_TO_TAIL);
}

/* kernel: free_unref_page_prepare, mm/page_alloc.c -- cache the block's type in the page */
static bool free_unref_page_prepare(struct page *page, uint64_t pfn, unsigned int order)
{
	if (!free_pages_prepare(page, order))
		return false;
	set_pcppage_migratetype(page, get_pfnblock_migratetype(page, pfn));
	return true;
}

/* kernel: free_unref_page, mm/page_alloc.c */
void free_unref_page(struct page *page, unsigned int order)
{
	uint64_t pfn = page_to_pfn(page);
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int migratetype, pcpmigratetype;

	BUDDY_LABEL("free_unref_page");
	if (!free_unref_page_prepare(page, pfn, order))
		return;

	/* pcp lists hold the three mobility types; HIGHATOMIC rides on MOVABLE */
	migratetype = pcpmigratetype = get_pcppage_migratetype(page);
	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (unlikely(is_migrate_isolate(migratetype))) {
			KOPS(buddy)->free_one_page(page_zone(page), page, pfn, order, migratetype, FPI_NONE);
			return;
		}
		pcpmigratetype = MIGRATE_MOVABLE;
	}

	zone = page_zone(page);
	pcp = pcp_spin_trylock(zone);
	if (pcp) {
		KOPS(buddy)->free_unref_page_commit(zone, pcp, page, pcpmigratetype, order);
		pcp_spin_unlock(pcp);
	} else {
		BUDDY_LABEL("free_unref_page:trylock_failed");
		KOPS(buddy)->free_one_page(zone, page, pfn, order, migratetype, FPI_NONE);
	}
}

/* kernel: free_the_page, mm/page_alloc.c */
static void free_the_page(struct page *page, unsigned int order)
{
	if (pcp_allowed_order(order))
		free_unref_page(page, order);
	else
		KOPS(buddy)->__free_pages_ok(page, order, FPI_NONE);
}

static void note_free_op(struct page *page, unsigned int order)
{
	struct sim_op *op = buddy_op(SIM_OP_PAGE_FREE);
	uint64_t pfn;

	if (!op)
		return;
	pfn = page_to_pfn(page);
	op->order = (int8_t)order;
	op->addr = pfn;
	if (page->nid != 0xff) {
		op->zone = (int8_t)page->zid;
		op->mem_node = (int16_t)page->nid;
		op->migratetype = (int8_t)get_pfnblock_migratetype(page, pfn);
	}
}

/*
 * kernel: __free_pages, mm/page_alloc.c.  Every page here has one reference
 * (no get_page in the model), so put_page_testzero always frees.
 */
void __free_pages(struct page *page, unsigned int order)
{
	BUDDY_LABEL("__free_pages");
	note_free_op(page, order);
	free_the_page(page, order);
}

/* kernel: drain_pages_zone, mm/page_alloc.c -- in chunks, under the (remote) pcp lock */
void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);
	int count;

	do {
		/* pcp_spin_lock_maybe_irqsave on SMP; SIM_GUARD_PCP_DRAIN_LOCK off: not taken */
		spin_lock_guarded(&pcp->lock, SIM_GUARD_PCP_DRAIN_LOCK);
		count = SIM_READ(pcp->count);	/* a plain read; noted for the steps table */
		if (count) {
			int to_drain = count < pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX
				       ? count : pcp->batch << CONFIG_PCP_BATCH_SCALE_MAX;

			KOPS(buddy)->free_pcppages_bulk(zone, to_drain, pcp, 0);
			count -= to_drain;
		}
		spin_unlock_guarded(&pcp->lock, SIM_GUARD_PCP_DRAIN_LOCK);
	} while (count);
}

/* kernel: drain_zone_pages, mm/page_alloc.c -- the vmstat worker's drain of an expired remote pageset: one batch */
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp)
{
	int to_drain, batch;
	struct sim_op op;
	bool logged;

	batch = READ_ONCE(pcp->batch);
	to_drain = pcp->count < batch ? pcp->count : batch;
	if (to_drain > 0) {
		/* model: the worker's drain is an operation of its own (vmstat.c) */
		logged = vmstat_work_op_begin(&op, zone);
		BUDDY_LABEL("drain_zone_pages");
		spin_lock(&pcp->lock);		/* pcp_spin_lock_maybe_irqsave on SMP */
		KOPS(buddy)->free_pcppages_bulk(zone, to_drain, pcp, 0);
		spin_unlock(&pcp->lock);
		if (logged)
			sim_op_end(&op);
	}
}

/* kernel: drain_all_pages(NULL), mm/page_alloc.c -- every CPU, every populated zone */
void drain_all_pages(void)
{
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];

			if (!populated_zone(zone))
				continue;
			for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
				if (per_cpu_ptr(zone->per_cpu_pageset, cpu)->count)
					drain_pages_zone((unsigned int)cpu, zone);
		}
}
