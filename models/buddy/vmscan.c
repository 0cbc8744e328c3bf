/*
 * vmscan.c - page reclaim (mm/vmscan.c, mm/swap.c, mm/filemap.c, 6.1.192):
 * the node's LRU lists, shrink_node -> shrink_lruvec -> shrink_list ->
 * shrink_{in,}active_list, shrink_slab -> do_shrink_slab, and direct reclaim
 * (try_to_free_pages -> do_try_to_free_pages -> shrink_zones).  kswapd is in
 * kswapd.c, the OOM killer in oom_kill.c.
 *
 * What is on the lists: page cache pages (filemap_read_page; page->slab_meta
 * points at the page cache slot that holds them, as page->mapping + index
 * would) and anonymous pages of a task (do_anonymous_page; page->slab_meta is
 * its mm_struct, PG_swapbacked set).  Only order-0 pages.
 *
 * Differences from the kernel (each names the kernel function it concerns):
 *  - The classic two-list LRU (CONFIG_LRU_GEN is built but off by default in
 *    Debian's 6.1); no memcg: one lruvec per node (mem_cgroup_lruvec(NULL)).
 *  - No swap: get_scan_count always scans the file lists (SCAN_FILE), so
 *    anonymous memory leaves only through the OOM killer or its task's exit,
 *    and zone_reclaimable_pages counts only the file lists.
 *  - Page cache pages are clean and unmapped: folio_check_references
 *    reclaims every isolated page (FOLIOREF_RECLAIM_CLEAN after clearing
 *    PG_referenced), shrink_active_list deactivates every scanned page; no
 *    dirty pages, writeback, throttling (throttle_direct_reclaim,
 *    reclaim_throttle) or refault detection (workingset).
 *  - No pagevecs and no lru_lock: a page goes to its list at once, and the
 *    list operations never yield, so they are atomic in the simulator.  An
 *    inactive page leaves its mapping when it is isolated (rather than in
 *    __remove_mapping under the page lock), so a concurrent lookup or
 *    truncate never meets a page that reclaim holds.
 *  - shrink_lruvec stops as soon as nr_to_reclaim is met when reclaim is not
 *    proportional, and skips the kernel's rescaling of the remaining scan
 *    targets otherwise.  Pages of zones above reclaim_idx are passed over in
 *    place (isolate_lru_folios moves them to the list's head).
 *  - Shrinkers are not NUMA- or memcg-aware (nr_deferred is one counter);
 *    the slab pages they free are not added to nr_reclaimed (the kernel
 *    counts them through current->reclaim_state->reclaimed_slab).
 *  - Every reclaimed page is freed as a page free operation of its own
 *    (path "shrink_folio_list>..."), nested in the allocation that reclaimed
 *    (direct reclaim) or on kswapd's kworker; free_unref_page_list is a loop
 *    of frees.
 */
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

static struct shrinker *shrinker_list;

uint64_t reclaim_vm_event(enum vm_event_item item)
{
	return item < NR_VM_EVENT_ITEMS ? vm_event_states[item] : 0;
}

static inline struct lruvec *node_lruvec(struct pglist_data *pgdat) { return &pgdat->__lruvec; }
static inline bool is_file_lru(enum lru_list lru) { return lru >= LRU_INACTIVE_FILE; }
static inline bool is_active_lru(enum lru_list lru) { return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE; }

/* kernel: folio_lru_list, include/linux/mm_inline.h */
static enum lru_list page_lru(const struct page *page)
{
	enum lru_list lru = (page->flags & PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;

	return (page->flags & PG_active) ? lru + 1 : lru;
}

/* kernel: lruvec_add_folio, include/linux/mm_inline.h */
static void add_page_to_lru_list(struct page *page, struct lruvec *lruvec)
{
	enum lru_list lru = page_lru(page);

	page_list_add(&lruvec->lists[lru], page);
	lruvec->lru_zone_size[page->zid][lru]++;
}

/* kernel: lruvec_del_folio, include/linux/mm_inline.h */
static void del_page_from_lru_list(struct page *page, struct lruvec *lruvec)
{
	enum lru_list lru = page_lru(page);

	page_list_del(&lruvec->lists[lru], page);
	lruvec->lru_zone_size[page->zid][lru]--;
}

/* kernel: folio_isolate_lru / lruvec_del_folio with the LRU flags cleared, mm/vmscan.c (a page leaving the page cache) */
void lru_del_page(struct page *page)
{
	del_page_from_lru_list(page, node_lruvec(NODE_DATA(page->nid)));
	page->flags &= ~(PG_lru | PG_active | PG_referenced);
}

/* kernel: folio_add_lru, mm/swap.c (no pagevec) */
static void lru_cache_add(struct page *page)
{
	page->flags |= PG_lru;
	add_page_to_lru_list(page, node_lruvec(NODE_DATA(page->nid)));
}

/* kernel: folio_activate, mm/swap.c */
static void activate_page(struct page *page)
{
	struct lruvec *lruvec = node_lruvec(NODE_DATA(page->nid));

	if (!(page->flags & PG_lru) || (page->flags & PG_active))
		return;
	del_page_from_lru_list(page, lruvec);
	page->flags |= PG_active;
	add_page_to_lru_list(page, lruvec);
	count_vm_event(PGACTIVATE);
}

/* kernel: folio_mark_accessed, mm/swap.c */
void mark_page_accessed(struct page *page)
{
	if (!(page->flags & PG_referenced)) {
		page->flags |= PG_referenced;
	} else if (!(page->flags & PG_active)) {
		activate_page(page);
		page->flags &= ~PG_referenced;
	}
}

/* kernel: __folio_alloc / alloc_pages for a page the LRU will hold (page cache, anon fault) */
static struct page *lru_page_alloc(int nid, gfp_t gfp)
{
	struct page *page = alloc_pages_node(nid, gfp, 0);

	if (page)
		page->flags &= ~(PG_lru | PG_active | PG_referenced | PG_swapbacked);
	return page;
}

struct address_space *mapping_create(uint64_t nr_pages)
{
	struct address_space *mapping = calloc(1, sizeof(*mapping));

	if (!mapping || !(mapping->i_pages = calloc(nr_pages ? nr_pages : 1, sizeof(uint32_t)))) {
		free(mapping);
		return NULL;
	}
	mapping->nr_pages = nr_pages;
	return mapping;
}

/* kernel: truncate_inode_pages, mm/truncate.c -- then the mapping itself */
void mapping_destroy(struct address_space *mapping)
{
	if (!mapping)
		return;
	for (uint64_t i = 0; i < mapping->nr_pages; i++) {
		struct page *page;

		if (!mapping->i_pages[i])
			continue;
		page = pfn_to_page(mapping->i_pages[i] - 1);
		mapping->i_pages[i] = 0;
		page->slab_meta = NULL;
		lru_del_page(page);
		reclaim_free_page(page, "truncate_inode_pages");
	}
	free(mapping->i_pages);
	free(mapping);
}

/* kernel: filemap_read -> filemap_get_pages (one page: lookup, or page_cache_ra_unbounded), mm/filemap.c */
struct page *filemap_read_page(struct address_space *mapping, uint64_t index, int nid, bool *hit)
{
	struct page *page;

	*hit = false;
	if (index >= mapping->nr_pages)
		return NULL;
	if (mapping->i_pages[index]) {
		page = pfn_to_page(mapping->i_pages[index] - 1);
		sim_yield_cost(SIM_COST_MEM);		/* filemap_get_read_batch */
		mark_page_accessed(page);
		*hit = true;
		return page;
	}
	/* mapping_gfp_mask of a regular file: GFP_HIGHUSER_MOVABLE */
	page = lru_page_alloc(nid, GFP_HIGHUSER_MOVABLE);
	if (!page)
		return NULL;
	/* filemap_add_folio: into the page cache, then onto the inactive file list */
	mapping->i_pages[index] = (uint32_t)(page_to_pfn(page) + 1);
	page->slab_meta = &mapping->i_pages[index];
	lru_cache_add(page);
	return page;
}

/* kernel: filemap_add_folio, mm/filemap.c -- a page the caller holds, with its own slot */
void filemap_add_page(struct page *page, uint32_t *slot)
{
	page->flags &= ~(PG_active | PG_referenced | PG_swapbacked);
	*slot = (uint32_t)(page_to_pfn(page) + 1);
	page->slab_meta = slot;
	lru_cache_add(page);
}

/* kernel: __filemap_remove_folio, mm/filemap.c -- off the LRU and the page cache, not freed */
void filemap_remove_page(struct page *page)
{
	if (page->slab_meta)
		*(uint32_t *)page->slab_meta = 0;
	page->slab_meta = NULL;
	if (page->flags & PG_lru)
		lru_del_page(page);
}

/* kernel: do_anonymous_page, mm/memory.c (folio_add_new_anon_rmap + folio_add_lru_vma) */
struct page *do_anonymous_page(struct mm_struct *mm, int nid)
{
	struct page *page = lru_page_alloc(nid, GFP_HIGHUSER_MOVABLE);

	if (!page)
		return NULL;
	page->flags |= PG_swapbacked;
	page->slab_meta = mm;
	mm->rss++;
	lru_cache_add(page);
	return page;
}

/* kernel: free_unref_page_list, mm/page_alloc.c -- one page, as a free operation of its own */
void reclaim_free_page(struct page *page, const char *why)
{
	struct sim_op op;

	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	sim_path_add(sim_path_label_id(why));
	op.order = 0;
	op.addr = page_to_pfn(page);
	op.mem_node = (int16_t)page->nid;
	op.zone = (int8_t)page->zid;
	op.migratetype = (int8_t)get_pageblock_migratetype(page);
	page->flags &= ~(PG_swapbacked | PG_referenced | PG_active | PG_lru);
	page->slab_meta = NULL;
	__free_pages(page, 0);
	sim_op_end(&op);
}

/* kernel: lruvec_lru_size, mm/vmscan.c -- pages of lru in zones up to zone_idx */
static unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru, int zone_idx)
{
	unsigned long size = 0;

	for (int zid = 0; zid <= zone_idx && zid < MAX_NR_ZONES; zid++)
		size += lruvec->lru_zone_size[zid][lru];
	return size;
}

/* kernel: zone_reclaimable_pages, mm/vmscan.c (no swap: file pages only) */
unsigned long zone_reclaimable_pages(struct zone *zone)
{
	struct lruvec *lruvec = node_lruvec(zone->zone_pgdat);
	int zid = zone_idx(zone);

	return lruvec->lru_zone_size[zid][LRU_INACTIVE_FILE] + lruvec->lru_zone_size[zid][LRU_ACTIVE_FILE];
}

/* kernel: int_sqrt, lib/math/int_sqrt.c */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* kernel: inactive_is_low, mm/vmscan.c -- the node's whole lists (lruvec_page_state), whatever reclaim_idx is */
static bool inactive_is_low(struct lruvec *lruvec, enum lru_list inactive_lru)
{
	unsigned long inactive = lruvec_lru_size(lruvec, inactive_lru, MAX_NR_ZONES - 1);
	unsigned long active = lruvec_lru_size(lruvec, inactive_lru + 1, MAX_NR_ZONES - 1);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long inactive_ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * inactive_ratio < active;
}

/* kernel: isolate_lru_folios, mm/vmscan.c: the pages of lru, from the tail, in zones up to reclaim_idx,
 * at most nr_to_scan of them. */
static unsigned long isolate_lru_pages(unsigned long nr_to_scan, struct lruvec *lruvec, enum lru_list lru,
				       int reclaim_idx, struct page **out)
{
	unsigned long n = 0;

	for (struct page *page = page_list_last(&lruvec->lists[lru]); page && n < nr_to_scan;) {
		struct page *prev = page->lru_prev ? pfn_to_page(page->lru_prev - 1) : NULL;

		if (page->zid <= reclaim_idx) {		/* else skipped, left in place */
			del_page_from_lru_list(page, lruvec);
			page->flags &= ~PG_lru;
			out[n++] = page;
			if (!is_active_lru(lru) && !(page->flags & PG_swapbacked) && page->slab_meta) {
				/* __remove_mapping, early: a lookup or truncate from now on misses the page */
				*(uint32_t *)page->slab_meta = 0;
				page->slab_meta = NULL;
			}
		}
		page = prev;
	}
	return n;
}

/* kernel: shrink_folio_list -> __remove_mapping, mm/vmscan.c (clean, unmapped page cache) */
static unsigned long shrink_page_list(struct page **pages, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = pages[i];

		/* folio_check_references: no pte references; PG_referenced alone reclaims a clean page.
		 * The page left its mapping when it was isolated (isolate_lru_pages). */
		page->flags &= ~PG_referenced;
		reclaim_free_page(page, "shrink_folio_list");
	}
	return nr;
}

/* kernel: shrink_inactive_list, mm/vmscan.c */
static unsigned long shrink_inactive_list(unsigned long nr_to_scan, struct lruvec *lruvec, struct scan_control *sc,
					  enum lru_list lru)
{
	struct page *pages[SWAP_CLUSTER_MAX];
	unsigned long nr_taken, nr_reclaimed;

	BUDDY_LABEL("shrink_inactive_list");
	nr_taken = isolate_lru_pages(nr_to_scan, lruvec, lru, sc->reclaim_idx, pages);
	sim_yield_cost(SIM_COST_PAGE_OP);		/* the lru_lock section */
	sc->nr_scanned += nr_taken;
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, (long)nr_taken);
	if (!nr_taken)
		return 0;
	nr_reclaimed = shrink_page_list(pages, nr_taken);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, (long)nr_reclaimed);
	return nr_reclaimed;
}

/* kernel: shrink_active_list, mm/vmscan.c (unmapped file pages: all deactivated) */
static void shrink_active_list(unsigned long nr_to_scan, struct lruvec *lruvec, struct scan_control *sc,
			       enum lru_list lru)
{
	struct page *pages[SWAP_CLUSTER_MAX];
	unsigned long nr_taken;

	BUDDY_LABEL("shrink_active_list");
	nr_taken = isolate_lru_pages(nr_to_scan, lruvec, lru, sc->reclaim_idx, pages);
	count_vm_events(PGREFILL, (long)nr_taken);
	for (unsigned long i = 0; i < nr_taken; i++) {
		pages[i]->flags &= ~(PG_active | PG_referenced);
		pages[i]->flags |= PG_lru;
		add_page_to_lru_list(pages[i], lruvec);	/* move_folios_to_lru: inactive head */
	}
	count_vm_events(PGDEACTIVATE, (long)nr_taken);
	sim_yield_cost(SIM_COST_PAGE_OP);	/* after the putback: no page is off its list at a yield */
}

/* kernel: shrink_list, mm/vmscan.c */
static unsigned long shrink_list(enum lru_list lru, unsigned long nr_to_scan, struct lruvec *lruvec,
				 struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (1 << is_file_lru(lru)))
			shrink_active_list(nr_to_scan, lruvec, sc, lru);
		else
			sc->skipped_deactivate = 1;
		return 0;
	}
	return shrink_inactive_list(nr_to_scan, lruvec, sc, lru);
}

/* kernel: shrink_lruvec + get_scan_count, mm/vmscan.c (no swap: SCAN_FILE) */
static void shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS] = { 0 };
	unsigned long nr_reclaimed = 0, nr_to_reclaim = sc->nr_to_reclaim;
	bool proportional_reclaim = !sc->kswapd && sc->priority == DEF_PRIORITY;

	/* get_scan_count: SCAN_FILE, each list's size >> priority */
	for (enum lru_list lru = LRU_INACTIVE_FILE; lru <= LRU_ACTIVE_FILE; lru++)
		nr[lru] = lruvec_lru_size(lruvec, lru, sc->reclaim_idx) >> sc->priority;

	while (nr[LRU_INACTIVE_FILE] || nr[LRU_ACTIVE_FILE]) {
		for (enum lru_list lru = LRU_INACTIVE_FILE; lru <= LRU_ACTIVE_FILE; lru++) {
			unsigned long nr_to_scan;

			if (!nr[lru])
				continue;
			nr_to_scan = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;
			nr[lru] -= nr_to_scan;
			nr_reclaimed += shrink_list(lru, nr_to_scan, lruvec, sc);
		}
		if (in_task())
			sim_cond_resched();
		if (nr_reclaimed < nr_to_reclaim || proportional_reclaim)
			continue;
		break;		/* the kernel rescales the other lists' targets here */
	}
	sc->nr_reclaimed += nr_reclaimed;
}

/* kernel: do_shrink_slab, mm/vmscan.c */
static unsigned long do_shrink_slab(struct shrink_control *shrinkctl, struct shrinker *shrinker, int priority)
{
	unsigned long freed = 0, freeable, scanned = 0;
	long batch_size = shrinker->batch ? shrinker->batch : SHRINK_BATCH;
	long nr, total_scan, next_deferred;
	unsigned long delta;

	freeable = shrinker->count_objects(shrinker, shrinkctl);
	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return freeable;
	nr = shrinker->nr_deferred;		/* xchg_nr_deferred */
	shrinker->nr_deferred = 0;
	if (shrinker->seeks) {
		delta = freeable >> priority;
		delta *= 4;
		delta /= (unsigned long)shrinker->seeks;
	} else {
		delta = freeable / 2;
	}
	total_scan = nr >> priority;
	total_scan += (long)delta;
	if (total_scan > (long)(2 * freeable))
		total_scan = (long)(2 * freeable);

	while (total_scan >= batch_size || total_scan >= (long)freeable) {
		unsigned long ret, nr_to_scan = (unsigned long)(batch_size < total_scan ? batch_size : total_scan);

		shrinkctl->nr_to_scan = nr_to_scan;
		shrinkctl->nr_scanned = nr_to_scan;
		ret = shrinker->scan_objects(shrinker, shrinkctl);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(SLABS_SCANNED, (long)shrinkctl->nr_scanned);
		total_scan -= (long)shrinkctl->nr_scanned;
		scanned += shrinkctl->nr_scanned;
		if (in_task())
			sim_cond_resched();
		if (!nr_to_scan)
			break;
	}
	next_deferred = nr + (long)delta - (long)scanned;
	if (next_deferred < 0)
		next_deferred = 0;
	if (next_deferred > (long)(2 * freeable))
		next_deferred = (long)(2 * freeable);
	shrinker->nr_deferred += next_deferred;		/* add_nr_deferred */
	return freed;
}

/* kernel: shrink_slab, mm/vmscan.c (no memcg) */
static unsigned long shrink_slab(gfp_t gfp_mask, int nid, int priority)
{
	unsigned long freed = 0;

	for (struct shrinker *shrinker = shrinker_list; shrinker; shrinker = shrinker->next) {
		struct shrink_control sc = { .gfp_mask = gfp_mask, .nid = nid };
		unsigned long ret = do_shrink_slab(&sc, shrinker, priority);

		if (ret == SHRINK_EMPTY)
			ret = 0;
		freed += ret;
	}
	if (shrinker_list)
		BUDDY_LABEL("shrink_slab");
	return freed;
}

/* kernel: register_shrinker, mm/vmscan.c (appended: shrink_slab visits in registration order) */
int register_shrinker(struct shrinker *shrinker, const char *name)
{
	struct shrinker **p = &shrinker_list;

	while (*p)
		p = &(*p)->next;
	shrinker->name = name;
	shrinker->nr_deferred = 0;
	shrinker->next = NULL;
	*p = shrinker;
	return 0;
}

/* kernel: unregister_shrinker, mm/vmscan.c */
void unregister_shrinker(struct shrinker *shrinker)
{
	for (struct shrinker **p = &shrinker_list; *p; p = &(*p)->next) {
		if (*p == shrinker) {
			*p = shrinker->next;
			return;
		}
	}
}

/* kernel: prepare_scan_count, mm/vmscan.c (the deactivation decisions) */
static void prepare_scan_count(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec(pgdat);

	if (sc->force_deactivate) {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
		return;
	}
	sc->may_deactivate = 0;
	if (inactive_is_low(lruvec, LRU_INACTIVE_ANON))
		sc->may_deactivate |= DEACTIVATE_ANON;
	if (inactive_is_low(lruvec, LRU_INACTIVE_FILE))
		sc->may_deactivate |= DEACTIVATE_FILE;
}

/* kernel: shrink_node, mm/vmscan.c */
void shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	unsigned long nr_reclaimed = sc->nr_reclaimed;

	BUDDY_LABEL("shrink_node");
	prepare_scan_count(pgdat, sc);
	/* shrink_node_memcgs: the root memcg only */
	shrink_lruvec(node_lruvec(pgdat), sc);
	shrink_slab(sc->gfp_mask, pgdat->node_id, sc->priority);
	if (sc->nr_reclaimed - nr_reclaimed)
		pgdat->kswapd_failures = 0;
}

/* kernel: shrink_zones, mm/vmscan.c (each node once, in zonelist order) */
static void shrink_zones(struct zonelist *zonelist, struct scan_control *sc)
{
	struct pglist_data *last_pgdat = NULL;
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist_nodemask(zone, z, zonelist, sc->reclaim_idx, NULL) {
		if (!managed_zone(zone))
			continue;
		if (zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = zone->zone_pgdat;
		shrink_node(zone->zone_pgdat, sc);
	}
}

/* kernel: do_try_to_free_pages, mm/vmscan.c */
static unsigned long do_try_to_free_pages(struct zonelist *zonelist, struct scan_control *sc)
{
	int initial_priority = sc->priority;

retry:
	__count_zid_vm_events(ALLOCSTALL, sc->reclaim_idx, 1);
	do {
		sc->nr_scanned = 0;
		shrink_zones(zonelist, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->priority < DEF_PRIORITY - 2)
			sc->may_writepage = 1;
	} while (--sc->priority >= 0);

	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	/* untapped cgroup reserves: none; deactivation skipped: once more, forcing it */
	if (sc->skipped_deactivate) {
		sc->priority = initial_priority;
		sc->force_deactivate = 1;
		sc->skipped_deactivate = 0;
		goto retry;
	}
	return 0;
}

/* kernel: try_to_free_pages, mm/vmscan.c (no throttle_direct_reclaim) */
unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask, void *nodemask)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.reclaim_idx = gfp_zone(gfp_mask),
		.order = order,
		.priority = DEF_PRIORITY,
		.may_writepage = 1,
		.may_unmap = 1,
		.may_swap = 1,
	};

	(void)nodemask;
	BUDDY_LABEL("try_to_free_pages");
	return do_try_to_free_pages(zonelist, &sc);
}

unsigned long buddy_try_to_free_pages(int nid, unsigned int order, gfp_t gfp)
{
	return try_to_free_pages(node_zonelist(nid, gfp), (int)order, gfp, NULL);
}

void buddy_lru_sizes(int nid, uint64_t out[4])
{
	struct lruvec *lruvec = node_lruvec(NODE_DATA(nid));

	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		out[lru] = lruvec_lru_size(lruvec, (enum lru_list)lru, MAX_NR_ZONES - 1);
}

void vmscan_exit(void)
{
	shrinker_list = NULL;
}
