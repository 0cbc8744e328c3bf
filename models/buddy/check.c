/*
 * check.c - buddy_check: the allocator's invariants, recounted from scratch.
 *
 *  1. Every free block on a free list is a PageBuddy head of the list's
 *     order, aligned, inside the list's zone; list links are consistent;
 *     each list's count, each free_area's nr_free and the zone's
 *     NR_FREE_PAGES agree with what the lists hold.
 *  2. Every pcp page carries PG_pcp and its list's order; pcp->count is the
 *     pages on its lists.
 *  3. Free blocks, pcp pages and allocated pages (PG_allocated heads with
 *     their allocation order) never overlap and together cover every
 *     managed page of every zone exactly once; no page outside them carries PG_buddy or
 *     PG_pcp.
 *  4. No hang or BUG was hit (buddy_bug: only a guard switched off gets there).
 * Cost: O(free blocks + pcp pages + frames of the touched sections); the
 * untouched max-order range counts as one extent.  Meant for tests and
 * periodic invariant checks, not for every operation.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "buddy_int.h"

enum ext_kind { EXT_FREE, EXT_PCP, EXT_ALLOC };
static const char *const ext_names[] = { "free", "pcp", "allocated" };

struct extent {
	uint64_t pfn, nr;
	uint8_t kind;			/* enum ext_kind */
	uint8_t order;			/* for EXT_FREE/EXT_PCP: the order its list says */
	uint8_t nid, zid;		/* zone it was found in (0xff: a hole) */
};

struct checker {
	FILE *why;
	int nr_problems;
	struct extent *ext;
	size_t nr_ext, cap_ext;
	bool oom;
	/* state of the free list being walked */
	struct zone *zone;
	unsigned int order;
	int mt;
	uint64_t nr_blocks, nr_pages;
};

#define MAX_REPORTED 20

static bool page_in_zone(const struct page *page, const struct zone *zone)
{
	return page->nid == zone->node && page->zid == zone_idx(zone);
}

static void problem(struct checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nr_problems++ >= MAX_REPORTED || !c->why)
		return;
	fputs("buddy_check: ", c->why);
	va_start(ap, fmt);
	vfprintf(c->why, fmt, ap);
	va_end(ap);
	fputc('\n', c->why);
}

static void add_extent(struct checker *c, uint64_t pfn, uint64_t nr, enum ext_kind kind, unsigned int order,
		       int nid, int zid)
{
	if (c->nr_ext == c->cap_ext) {
		size_t cap = c->cap_ext ? 2 * c->cap_ext : 1024;
		struct extent *e = realloc(c->ext, cap * sizeof(*e));

		if (!e) {
			c->oom = true;
			return;
		}
		c->ext = e;
		c->cap_ext = cap;
	}
	c->ext[c->nr_ext++] = (struct extent){ pfn, nr, (uint8_t)kind, (uint8_t)order, (uint8_t)nid, (uint8_t)zid };
}

static void visit_free_block(uint64_t pfn, bool untouched, void *arg)
{
	struct checker *c = arg;
	struct zone *zone = c->zone;
	uint64_t nr = 1UL << c->order;

	c->nr_blocks++;
	if (!is_migrate_isolate(c->mt))
		c->nr_pages += nr;
	if ((pfn & (nr - 1)) || !zone_spans_pfn(zone, pfn) || !zone_spans_pfn(zone, pfn + nr - 1))
		problem(c, "node %d zone %s: free block %#llx order %u misaligned or outside the zone",
			zone->node, zone->name, (unsigned long long)pfn, c->order);
	if (untouched) {
		/* consecutive untouched blocks merge into one extent */
		struct extent *last = c->nr_ext ? &c->ext[c->nr_ext - 1] : NULL;

		if (last && last->kind == EXT_FREE && last->order == c->order && last->pfn + last->nr == pfn &&
		    last->nid == zone->node && last->zid == zone_idx(zone))
			last->nr += nr;
		else
			add_extent(c, pfn, nr, EXT_FREE, c->order, zone->node, zone_idx(zone));
		return;
	}
	{
		struct page *page = pfn_to_page(pfn);

		if (!PageBuddy(page) || buddy_order(page) != c->order || page->pcp_mt != c->mt ||
		    !page_in_zone(page, zone))
			problem(c, "node %d zone %s: block %#llx on free_list[%u][%d] has flags %#x order %u mt %u",
				zone->node, zone->name, (unsigned long long)pfn, c->order, c->mt,
				page->flags, page->order, page->pcp_mt);
	}
	add_extent(c, pfn, nr, EXT_FREE, c->order, zone->node, zone_idx(zone));
}

/* Links of an explicit list: prev pointers mirror next pointers, ends match. */
static void check_links(struct checker *c, const struct page_list *l, const char *what, uint32_t must_hold)
{
	uint32_t prev = 0, cur = l->first;
	bool held = must_hold == 0;
	uint64_t steps = 0;

	while (cur) {
		struct page *p = pfn_to_page(cur - 1);

		if (p->lru_prev != prev) {
			problem(c, "node %d zone %s: %s: broken back link at %#llx", c->zone->node,
				c->zone->name, what, (unsigned long long)(cur - 1));
			return;
		}
		if (cur == must_hold)
			held = true;
		prev = cur;
		cur = p->lru_next;
		if (++steps > buddy_max_pfn) {
			problem(c, "node %d zone %s: %s: cycle", c->zone->node, c->zone->name, what);
			return;
		}
	}
	if (l->last != prev)
		problem(c, "node %d zone %s: %s: last is %#x, walk ends at %#x", c->zone->node, c->zone->name,
			what, l->last, prev);
	if (!held)
		problem(c, "node %d zone %s: %s: untouched range anchored to a block not on the list",
			c->zone->node, c->zone->name, what);
}

static void check_zone_lists(struct checker *c, struct zone *zone)
{
	uint64_t free_pages = 0;

	c->zone = zone;
	for (unsigned int order = 0; order < MAX_ORDER; order++) {
		struct free_area *area = &zone->free_area[order];
		uint64_t nr_free = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct free_list *fl = &area->free_list[mt];

			c->order = order;
			c->mt = mt;
			c->nr_blocks = c->nr_pages = 0;
			check_links(c, &fl->list, "free list", fl->lazy_after);
			free_list_for_each(fl, visit_free_block, c);
			if (c->nr_blocks != fl->nr)
				problem(c, "node %d zone %s: free_list[%u][%d] holds %llu blocks, counted %llu",
					zone->node, zone->name, order, mt, (unsigned long long)c->nr_blocks,
					(unsigned long long)fl->nr);
			nr_free += c->nr_blocks;
			free_pages += c->nr_pages;
		}
		if (nr_free != area->nr_free)
			problem(c, "node %d zone %s: order %u: lists hold %llu blocks, nr_free says %lu",
				zone->node, zone->name, order, (unsigned long long)nr_free, area->nr_free);
	}
	if (free_pages != zone_page_state_snapshot(zone, NR_FREE_PAGES))
		problem(c, "node %d zone %s: free lists hold %llu pages, NR_FREE_PAGES says %lu",
			zone->node, zone->name, (unsigned long long)free_pages,
			zone_page_state_snapshot(zone, NR_FREE_PAGES));

	for (int cpu = 0; zone->per_cpu_pageset && cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long count = 0;

		for (unsigned int pindex = 0; pindex < NR_PCP_LISTS; pindex++) {
			unsigned int order = (unsigned int)pindex_to_order(pindex);

			check_links(c, &pcp->lists[pindex], "pcp list", 0);
			for (struct page *p = page_list_first(&pcp->lists[pindex]); p; p = page_list_next(p)) {
				uint64_t pfn = page_to_pfn(p);

				if (!(p->flags & PG_pcp) || p->order != order || !page_in_zone(p, zone))
					problem(c, "node %d zone %s: cpu %d: page %#llx on pcp list %u has flags %#x order %u",
						zone->node, zone->name, cpu, (unsigned long long)pfn, pindex,
						p->flags, p->order);
				add_extent(c, pfn, 1UL << order, EXT_PCP, order, zone->node, zone_idx(zone));
				count += 1L << order;
			}
		}
		if (count != pcp->count)
			problem(c, "node %d zone %s: cpu %d: pcp lists hold %ld pages, count says %d",
				zone->node, zone->name, cpu, count, pcp->count);
	}
}

static int cmp_extent(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* Allocated heads in touched sections; and no stray free marks. */
static void collect_allocated(struct checker *c)
{
	for (uint64_t sec = 0; sec < sim_mem_nr_sections(); sec++) {
		struct page *pages = sim_mem_section(sec);
		uint64_t nr = sim_mem_section_nr_pages(sec);

		if (!pages)
			continue;
		for (uint64_t i = 0; i < nr; i++)
			if (pages[i].flags & PG_allocated)
				add_extent(c, (sec << SECTION_SHIFT) + i, 1UL << pages[i].order, EXT_ALLOC,
					   pages[i].order, pages[i].nid, pages[i].zid);
	}
}

/* Sorted extents: no overlap, each zone covered exactly. */
static void check_coverage(struct checker *c)
{
	uint64_t covered[SIM_MAX_NODES][MAX_NR_ZONES] = { { 0 } };
	uint64_t end = 0;

	if (c->nr_ext)
		qsort(c->ext, c->nr_ext, sizeof(*c->ext), cmp_extent);
	for (size_t i = 0; i < c->nr_ext; i++) {
		struct extent *e = &c->ext[i];

		if (e->pfn < end)
			problem(c, "pfn %#llx: %s block of %llu pages overlaps the block before it (to %#llx)",
				(unsigned long long)e->pfn, ext_names[e->kind], (unsigned long long)e->nr,
				(unsigned long long)end);
		if (e->pfn + e->nr > end)
			end = e->pfn + e->nr;
		if (e->nid >= buddy_nr_node_ids || e->zid >= MAX_NR_ZONES) {
			problem(c, "pfn %#llx: %s block in a hole", (unsigned long long)e->pfn, ext_names[e->kind]);
			continue;
		}
		covered[e->nid][e->zid] += e->nr;
	}
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[zid];

			/* managed == present unless the scenario reserved pages (init.c) */
			if (covered[nid][zid] != zone->managed_pages)
				problem(c, "node %d zone %s: free, pcp and allocated pages add up to %llu of %lu",
					nid, zone->name, (unsigned long long)covered[nid][zid], zone->managed_pages);
		}

	/* a free or pcp mark must sit on the head of a listed block */
	for (uint64_t sec = 0, k = 0; sec < sim_mem_nr_sections(); sec++) {
		struct page *pages = sim_mem_section(sec);
		uint64_t nr = sim_mem_section_nr_pages(sec);

		if (!pages)
			continue;
		for (uint64_t i = 0; i < nr; i++) {
			uint64_t pfn = (sec << SECTION_SHIFT) + i;
			uint32_t f = pages[i].flags & (PG_buddy | PG_pcp);

			if (!f)
				continue;
			while (k < c->nr_ext && c->ext[k].pfn < pfn)
				k++;
			if (k == c->nr_ext || c->ext[k].pfn != pfn ||
			    c->ext[k].kind != ((f & PG_buddy) ? EXT_FREE : EXT_PCP))
				problem(c, "pfn %#llx: marked %s but on no such list", (unsigned long long)pfn,
					(f & PG_buddy) ? "PageBuddy" : "pcp");
		}
	}
}

/* Bugs hit (only with a guard off): how many, and the first. */
static unsigned long buddy_nr_bugs;
static char buddy_first_bug[192];

void buddy_bug(const char *fmt, ...)
{
	va_list ap;

	if (buddy_nr_bugs++)
		return;
	va_start(ap, fmt);
	vsnprintf(buddy_first_bug, sizeof(buddy_first_bug), fmt, ap);
	va_end(ap);
}

void buddy_bugs_reset(void)
{
	buddy_nr_bugs = 0;
	buddy_first_bug[0] = 0;
}

bool buddy_check(FILE *why)
{
	struct checker c = { .why = why };

	if (buddy_nr_bugs)
		problem(&c, "%lu hang or BUG hit, first: %s", buddy_nr_bugs, buddy_first_bug);
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			check_zone_lists(&c, &NODE_DATA(nid)->node_zones[zid]);
	collect_allocated(&c);
	if (c.oom) {
		problem(&c, "out of host memory while checking");
	} else {
		check_coverage(&c);
	}
	if (c.nr_problems > MAX_REPORTED && why)
		fprintf(why, "buddy_check: ... %d problems in all\n", c.nr_problems);
	free(c.ext);
	return c.nr_problems == 0;
}
