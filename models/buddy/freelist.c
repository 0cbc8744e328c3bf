/*
 * freelist.c - the lists under the buddy allocator: doubly linked page lists
 * (pcp lists and free lists), the free_area helpers of mm/page_alloc.c
 * (add_to_free_list, add_to_free_list_tail, move_to_free_list,
 * del_page_from_free_list, get_page_from_free_area), the untouched range of
 * boot memory each max-order MOVABLE list may carry (see buddy_int.h), and
 * the per-pageblock migratetype store.
 *
 * Callers hold zone->lock for free lists and pcp->lock for pcp lists; none of
 * this yields.  Model device: a block on a free list keeps the list's
 * migratetype in page->pcp_mt (the kernel's list_del needs no such thing;
 * we need it to find the list head to update).
 *
 * Pageblock migratetypes live in chunks of one byte per pageblock, one chunk
 * per 128 MiB section, made when a block first changes from the boot value
 * (MIGRATE_MOVABLE, as memmap_init_range leaves every block).
 */
#include <assert.h>
#include <stdlib.h>

#include "buddy_int.h"

/* ---- page lists ---- */

static struct page *lpage(uint32_t link)
{
	return link ? pfn_to_page(link - 1) : NULL;
}

/* kernel: list_add, include/linux/list.h */
void page_list_add(struct page_list *l, struct page *page)
{
	uint32_t self = (uint32_t)(page_to_pfn(page) + 1);

	page->lru_prev = 0;
	page->lru_next = l->first;
	if (l->first)
		lpage(l->first)->lru_prev = self;
	else
		l->last = self;
	l->first = self;
}

/* kernel: list_add_tail, include/linux/list.h */
void page_list_add_tail(struct page_list *l, struct page *page)
{
	uint32_t self = (uint32_t)(page_to_pfn(page) + 1);

	page->lru_next = 0;
	page->lru_prev = l->last;
	if (l->last)
		lpage(l->last)->lru_next = self;
	else
		l->first = self;
	l->last = self;
}

/* kernel: list_del, include/linux/list.h */
void page_list_del(struct page_list *l, struct page *page)
{
	if (page->lru_prev)
		lpage(page->lru_prev)->lru_next = page->lru_next;
	else
		l->first = page->lru_next;
	if (page->lru_next)
		lpage(page->lru_next)->lru_prev = page->lru_prev;
	else
		l->last = page->lru_prev;
	page->lru_next = page->lru_prev = 0;
}

struct page *page_list_first(const struct page_list *l) { return lpage(l->first); }
struct page *page_list_last(const struct page_list *l) { return lpage(l->last); }
struct page *page_list_next(const struct page *page) { return lpage(page->lru_next); }

/* ---- free lists with an untouched range ---- */

static bool lazy_empty(const struct free_list *fl)
{
	return fl->lazy_pfn >= fl->lazy_end;
}

/* Make the first untouched block explicit, at the front of the list. */
static void lazy_materialise(struct free_list *fl)
{
	uint64_t pfn = fl->lazy_pfn;
	struct page *page = pfn_to_page(pfn);

	assert(fl->lazy_after == 0 && !lazy_empty(fl));
	fl->lazy_pfn += MAX_ORDER_NR_PAGES;
	page->flags = PG_buddy;
	page->order = MAX_ORDER - 1;
	page->pcp_mt = MIGRATE_MOVABLE;
	page_list_add(&fl->list, page);
	fl->lazy_after = lazy_empty(fl) ? 0 : (uint32_t)(pfn + 1);
}

/* kernel: set_buddy_order, mm/page_alloc.c */
void set_buddy_order(struct page *page, unsigned int order)
{
	page->order = (uint8_t)order;
	page->flags |= PG_buddy;
}

/* kernel: add_to_free_list, mm/page_alloc.c */
void add_to_free_list(struct page *page, struct zone *zone, unsigned int order, int migratetype)
{
	struct free_area *area = &zone->free_area[order];
	struct free_list *fl = &area->free_list[migratetype];

	page_list_add(&fl->list, page);
	page->pcp_mt = (uint8_t)migratetype;
	if (!fl->lazy_after && !lazy_empty(fl))
		fl->lazy_after = (uint32_t)(page_to_pfn(page) + 1);
	fl->nr++;
	area->nr_free++;
}

/* kernel: add_to_free_list_tail, mm/page_alloc.c */
void add_to_free_list_tail(struct page *page, struct zone *zone, unsigned int order, int migratetype)
{
	struct free_area *area = &zone->free_area[order];
	struct free_list *fl = &area->free_list[migratetype];

	page_list_add_tail(&fl->list, page);
	page->pcp_mt = (uint8_t)migratetype;
	fl->nr++;
	area->nr_free++;
}

/* Unlink from the list of its migratetype (which the page does not record). */
static void free_list_unlink(struct free_list *fl, struct page *page)
{
	if (fl->lazy_after == page_to_pfn(page) + 1)
		fl->lazy_after = page->lru_prev;
	page_list_del(&fl->list, page);
	fl->nr--;
}

/* kernel: move_to_free_list, mm/page_alloc.c */
void move_to_free_list(struct page *page, struct zone *zone, unsigned int order, int migratetype)
{
	struct free_area *area = &zone->free_area[order];
	struct free_list *to = &area->free_list[migratetype];

	free_list_unlink(&area->free_list[page->pcp_mt], page);
	page_list_add_tail(&to->list, page);
	page->pcp_mt = (uint8_t)migratetype;
	to->nr++;
}

/* kernel: del_page_from_free_list, mm/page_alloc.c */
void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	free_list_unlink(&zone->free_area[order].free_list[page->pcp_mt], page);
	page->flags &= ~PG_buddy;
	page->order = 0;
	zone->free_area[order].nr_free--;
}

/* kernel: get_page_from_free_area, mm/page_alloc.c */
struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	struct free_list *fl = &area->free_list[migratetype];

	if (!fl->lazy_after && !lazy_empty(fl))
		lazy_materialise(fl);
	return page_list_first(&fl->list);
}

/* kernel: free_area_empty, mm/internal.h */
bool free_area_empty(const struct free_area *area, int migratetype)
{
	const struct free_list *fl = &area->free_list[migratetype];

	return page_list_empty(&fl->list) && lazy_empty(fl);
}

/*
 * Boot: the max-order blocks [start_pfn, end_pfn) go to the tail of the
 * MOVABLE list as __free_pages_core(FPI_TO_TAIL) would put them, without
 * touching their struct pages.  The list's explicit tail must be empty.
 */
void free_list_add_untouched(struct zone *zone, uint64_t start_pfn, uint64_t end_pfn)
{
	struct free_area *area = &zone->free_area[MAX_ORDER - 1];
	struct free_list *fl = &area->free_list[MIGRATE_MOVABLE];
	uint64_t nr = (end_pfn - start_pfn) / MAX_ORDER_NR_PAGES;

	assert(lazy_empty(fl) && !(start_pfn & (MAX_ORDER_NR_PAGES - 1)));
	if (!nr)
		return;
	fl->lazy_after = fl->list.last;
	fl->lazy_pfn = start_pfn;
	fl->lazy_end = start_pfn + nr * MAX_ORDER_NR_PAGES;
	fl->nr += nr;
	area->nr_free += nr;
	zone_page_state_add((long)(nr * MAX_ORDER_NR_PAGES), zone, NR_FREE_PAGES);	/* boot: threshold 0 */
	zone->managed_pages += nr * MAX_ORDER_NR_PAGES;
}

void free_list_for_each(const struct free_list *fl, free_list_visit_fn *fn, void *arg)
{
	struct page *p = page_list_first(&fl->list);
	bool lazy_done = lazy_empty(fl);

	if (!lazy_done && !fl->lazy_after) {
		for (uint64_t pfn = fl->lazy_pfn; pfn < fl->lazy_end; pfn += MAX_ORDER_NR_PAGES)
			fn(pfn, true, arg);
		lazy_done = true;
	}
	for (; p; p = page_list_next(p)) {
		uint64_t pfn = page_to_pfn(p);
		fn(pfn, false, arg);
		if (!lazy_done && fl->lazy_after == pfn + 1) {
			for (uint64_t q = fl->lazy_pfn; q < fl->lazy_end; q += MAX_ORDER_NR_PAGES)
				fn(q, true, arg);
			lazy_done = true;
		}
	}
}

/* ---- pageblock migratetypes ---- */

#define BLOCKS_PER_SECTION (SECTION_PAGES / pageblock_nr_pages)

static uint8_t **pageblock_chunks;	/* [section] -> BLOCKS_PER_SECTION bytes, or NULL = all MOVABLE */
static uint64_t nr_chunks, chunk_bytes;

/* kernel: get_pfnblock_migratetype, mm/page_alloc.c */
int get_pfnblock_migratetype(const struct page *page, uint64_t pfn)
{
	uint64_t sec = pfn >> SECTION_SHIFT;

	(void)page;
	if (sec >= nr_chunks || !pageblock_chunks[sec])
		return MIGRATE_MOVABLE;
	return pageblock_chunks[sec][(pfn & (SECTION_PAGES - 1)) >> pageblock_order];
}

/* kernel: get_pageblock_migratetype, include/linux/mmzone.h */
int get_pageblock_migratetype(const struct page *page)
{
	return get_pfnblock_migratetype(page, page_to_pfn(page));
}

/* kernel: set_pageblock_migratetype, mm/page_alloc.c */
void set_pageblock_migratetype(struct page *page, int migratetype)
{
	uint64_t pfn = page_to_pfn(page), sec = pfn >> SECTION_SHIFT;

	if (sec >= nr_chunks) {
		uint64_t n = sim_mem_nr_sections();
		uint8_t **c = realloc(pageblock_chunks, n * sizeof(*c));
		if (!c)
			abort();
		for (uint64_t i = nr_chunks; i < n; i++)
			c[i] = NULL;
		pageblock_chunks = c;
		chunk_bytes += (n - nr_chunks) * sizeof(*c);
		nr_chunks = n;
	}
	if (!pageblock_chunks[sec]) {
		if (migratetype == MIGRATE_MOVABLE)
			return;
		pageblock_chunks[sec] = malloc(BLOCKS_PER_SECTION);
		if (!pageblock_chunks[sec])
			abort();
		for (uint64_t i = 0; i < BLOCKS_PER_SECTION; i++)
			pageblock_chunks[sec][i] = MIGRATE_MOVABLE;
		chunk_bytes += BLOCKS_PER_SECTION;
	}
	pageblock_chunks[sec][(pfn & (SECTION_PAGES - 1)) >> pageblock_order] = (uint8_t)migratetype;
}

void pageblock_exit(void)
{
	for (uint64_t i = 0; i < nr_chunks; i++)
		free(pageblock_chunks[i]);
	free(pageblock_chunks);
	pageblock_chunks = NULL;
	nr_chunks = chunk_bytes = 0;
}

uint64_t pageblock_host_bytes(void)
{
	return chunk_bytes;
}
