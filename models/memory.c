/*
 * memory.c - the simulated machine's page frames and their bytes (mm.h).
 *
 * Frames are grouped in sections of SECTION_PAGES (128 MiB).  A section's
 * struct pages are calloc'd the first time one of its frames is touched and
 * initialised from the zone ranges the buddy init registered
 * (sim_mem_add_range); frames in no range are holes (PG_reserved).  Page
 * contents are 4 KiB host buffers made on the first write; reading bytes
 * nobody wrote gives zero.  So a 1 TiB machine costs a table of section
 * pointers (8192 of them) until a run touches memory; a machine smaller
 * than a section pays only for the frames it has (sim_mem_init).
 *
 * page_to_pfn needs the reverse map host pointer -> pfn: a table of touched
 * sections sorted by host address, searched by bisection, with the last hit
 * cached.  Host addresses are only compared here, never reach a result.
 *
 * Not here: what is free or allocated (models/buddy).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mm.h"

struct mem_section {
	struct page *pages;		/* nr_pages frames, NULL until touched */
	uint8_t **contents;		/* nr_pages buffers of PAGE_SIZE, NULL until written */
	uint32_t nr_pages;		/* SECTION_PAGES, less for the machine's last section */
	uint32_t nr_contents;		/* buffers allocated in contents[] */
};

struct mem_range {
	uint64_t start, end;		/* pfns [start, end) */
	int nid, zid;
};

struct mem_rev {
	uintptr_t base;			/* host address of sections[sec].pages */
	uint64_t sec;
};

static struct mem_section *sections;	/* [nr_sections] */
static uint64_t nr_sections;
static struct mem_range *ranges;	/* sorted by start once a section is touched */
static int nr_ranges, cap_ranges;
static struct mem_rev *rev;		/* touched sections, sorted by base */
static uint64_t nr_rev;
static uint64_t rev_hit;		/* index into rev of the last lookup */
static uint64_t host_bytes;

/*
 * The last section of a machine whose size is not a multiple of 128 MiB is
 * cut short, rounded up to a whole MAX_ORDER block (a buddy is always inside
 * the MAX_ORDER block of its partner), so that a small machine -- a race
 * scenario explored thousands of times a second -- does not pay for 32768
 * frames it does not have.  Frames past the cut read as NULL, like frames
 * past the last section.
 */
void sim_mem_init(uint64_t max_pfn)
{
	uint64_t last;

	sim_mem_exit();
	nr_sections = (max_pfn + SECTION_PAGES - 1) >> SECTION_SHIFT;
	if (!nr_sections)
		nr_sections = 1;
	sections = calloc(nr_sections, sizeof(*sections));
	rev = calloc(nr_sections, sizeof(*rev));
	if (!sections || !rev)
		abort();	/* the host is out of memory: nothing sensible is left */
	for (uint64_t s = 0; s < nr_sections; s++)
		sections[s].nr_pages = SECTION_PAGES;
	last = (max_pfn + MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
	last -= (nr_sections - 1) << SECTION_SHIFT;
	if (last && last < SECTION_PAGES)
		sections[nr_sections - 1].nr_pages = (uint32_t)last;
	host_bytes = nr_sections * (sizeof(*sections) + sizeof(*rev));
}

void sim_mem_exit(void)
{
	for (uint64_t s = 0; s < nr_sections; s++) {
		struct mem_section *ms = &sections[s];

		if (ms->contents) {
			for (uint32_t i = 0; i < ms->nr_pages && ms->nr_contents; i++) {
				if (ms->contents[i]) {
					free(ms->contents[i]);
					ms->nr_contents--;
				}
			}
			free(ms->contents);
		}
		free(ms->pages);
	}
	free(sections);
	free(rev);
	free(ranges);
	sections = NULL;
	rev = NULL;
	ranges = NULL;
	nr_sections = nr_rev = rev_hit = 0;
	nr_ranges = cap_ranges = 0;
	host_bytes = 0;
}

void sim_mem_add_range(uint64_t start_pfn, uint64_t nr_pages, int nid, int zid)
{
	if (!nr_pages)
		return;
	if (nr_ranges == cap_ranges) {
		int cap = cap_ranges ? 2 * cap_ranges : 16;
		struct mem_range *r = realloc(ranges, (size_t)cap * sizeof(*r));
		if (!r)
			abort();
		ranges = r;
		cap_ranges = cap;
	}
	ranges[nr_ranges++] = (struct mem_range){ start_pfn, start_pfn + nr_pages, nid, zid };
}

uint64_t sim_mem_host_bytes(void)
{
	return host_bytes;
}

uint64_t sim_mem_nr_sections(void)
{
	return nr_sections;
}

struct page *sim_mem_section(uint64_t sec)
{
	return sec < nr_sections ? sections[sec].pages : NULL;
}

uint64_t sim_mem_section_nr_pages(uint64_t sec)
{
	return sec < nr_sections ? sections[sec].nr_pages : 0;
}

/* Initialise a fresh section's frames: zone links from the ranges, holes reserved. */
static void section_init(uint64_t sec, struct page *pages)
{
	uint64_t lo = sec << SECTION_SHIFT, hi = lo + sections[sec].nr_pages;

	for (uint64_t i = 0; i < sections[sec].nr_pages; i++) {
		pages[i].flags = PG_reserved;
		pages[i].nid = 0xff;
		pages[i].zid = 0xff;
	}
	for (int r = 0; r < nr_ranges; r++) {
		uint64_t a = ranges[r].start > lo ? ranges[r].start : lo;
		uint64_t b = ranges[r].end < hi ? ranges[r].end : hi;

		for (uint64_t pfn = a; pfn < b; pfn++) {
			struct page *p = &pages[pfn - lo];
			p->flags = 0;
			p->nid = (uint8_t)ranges[r].nid;
			p->zid = (uint8_t)ranges[r].zid;
		}
	}
}

/* Insert section `sec` into the reverse table (kept sorted by host address). */
static void rev_insert(uint64_t sec)
{
	uintptr_t base = (uintptr_t)sections[sec].pages;
	uint64_t i = nr_rev;

	while (i > 0 && rev[i - 1].base > base) {
		rev[i] = rev[i - 1];
		i--;
	}
	rev[i] = (struct mem_rev){ base, sec };
	nr_rev++;
}

struct page *pfn_to_page(uint64_t pfn)
{
	uint64_t sec = pfn >> SECTION_SHIFT;
	struct mem_section *ms;

	if (sec >= nr_sections)
		return NULL;
	ms = &sections[sec];
	if (unlikely((pfn & (SECTION_PAGES - 1)) >= ms->nr_pages))
		return NULL;
	if (unlikely(!ms->pages)) {
		ms->pages = calloc(ms->nr_pages, sizeof(struct page));
		if (!ms->pages)
			abort();
		host_bytes += ms->nr_pages * sizeof(struct page);
		section_init(sec, ms->pages);
		rev_insert(sec);
	}
	return &ms->pages[pfn & (SECTION_PAGES - 1)];
}

static bool rev_contains(uint64_t i, uintptr_t p)
{
	return p >= rev[i].base && p < rev[i].base + sections[rev[i].sec].nr_pages * sizeof(struct page);
}

uint64_t page_to_pfn(const struct page *page)
{
	uintptr_t p = (uintptr_t)page;
	uint64_t lo = 0, hi = nr_rev;

	if (rev_hit < nr_rev && rev_contains(rev_hit, p))
		goto found;
	while (lo < hi) {		/* last entry with base <= p */
		uint64_t mid = lo + (hi - lo) / 2;
		if (rev[mid].base <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	assert(lo > 0 && rev_contains(lo - 1, p));
	rev_hit = lo - 1;
found:
	return (rev[rev_hit].sec << SECTION_SHIFT) + (uint64_t)(page - sections[rev[rev_hit].sec].pages);
}

struct page *virt_to_head_page(const void *addr)
{
	struct page *page = virt_to_page(addr);

	if (page && (page->flags & PG_tail))
		page = pfn_to_page(page->lru_next - 1);
	return page;
}

/* The host buffer behind frame `pfn`, made when `create`; NULL if none. */
static uint8_t *page_bytes(uint64_t pfn, bool create)
{
	uint64_t sec = pfn >> SECTION_SHIFT;
	struct mem_section *ms;
	uint8_t **slot;

	assert(sec < nr_sections);
	ms = &sections[sec];
	if (!ms->contents) {
		if (!create)
			return NULL;
		ms->contents = calloc(ms->nr_pages, sizeof(*ms->contents));
		if (!ms->contents)
			abort();
		host_bytes += ms->nr_pages * sizeof(*ms->contents);
	}
	assert((pfn & (SECTION_PAGES - 1)) < ms->nr_pages);
	slot = &ms->contents[pfn & (SECTION_PAGES - 1)];
	if (!*slot && create) {
		*slot = calloc(1, PAGE_SIZE);
		if (!*slot)
			abort();
		ms->nr_contents++;
		host_bytes += PAGE_SIZE;
	}
	return *slot;
}

uint64_t sim_mem_read64(uint64_t addr)
{
	uint64_t off = addr & (PAGE_SIZE - 1), val = 0;
	uint8_t *b;

	assert(addr >= PAGE_OFFSET);
	if (likely(off + sizeof(val) <= PAGE_SIZE)) {
		b = page_bytes(virt_to_pfn(addr), false);
		if (b)
			memcpy(&val, b + off, sizeof(val));
		return val;
	}
	/* Straddles two frames: assemble byte by byte (little-endian). */
	for (unsigned i = 0; i < sizeof(val); i++) {
		uint64_t a = addr + i;
		b = page_bytes(virt_to_pfn(a), false);
		if (b)
			val |= (uint64_t)b[a & (PAGE_SIZE - 1)] << (8 * i);
	}
	return val;
}

void sim_mem_write64(uint64_t addr, uint64_t val)
{
	uint64_t off = addr & (PAGE_SIZE - 1);
	uint8_t *b;

	assert(addr >= PAGE_OFFSET);
	if (likely(off + sizeof(val) <= PAGE_SIZE)) {
		b = page_bytes(virt_to_pfn(addr), true);
		memcpy(b + off, &val, sizeof(val));
		return;
	}
	for (unsigned i = 0; i < sizeof(val); i++) {
		uint64_t a = addr + i;
		b = page_bytes(virt_to_pfn(a), true);
		b[a & (PAGE_SIZE - 1)] = (uint8_t)(val >> (8 * i));
	}
}

void sim_mem_clear(uint64_t pfn, uint64_t nr_pages)
{
	for (uint64_t p = pfn; p < pfn + nr_pages; p++) {
		struct mem_section *ms = &sections[p >> SECTION_SHIFT];
		uint8_t **slot;

		if (!ms->contents) {	/* nothing written in this section: skip to its end */
			p |= SECTION_PAGES - 1;
			continue;
		}
		slot = &ms->contents[p & (SECTION_PAGES - 1)];
		if (*slot) {
			free(*slot);
			*slot = NULL;
			ms->nr_contents--;
			host_bytes -= PAGE_SIZE;
		}
	}
}
