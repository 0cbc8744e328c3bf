/*
 * test_memory.c - the simulated physical memory under the models
 * (models/memory.c), suite `memory`: struct pages by section (SECTION_SHIFT
 * 15: 32768 frames, 128 MiB, as x86-64's SPARSEMEM sections), page_to_pfn
 * across sections, compound heads, and 8-byte reads and writes of page
 * contents, also across a page boundary (little-endian, as x86-64).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <malloc.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

/* One node, a DMA32 zone of 512 MiB (4 sections) and a Normal zone of 100 MiB, one vCPU. */
static void up(void)
{
	uint64_t zones[1][4] = { { 0, 512, 100, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static uint64_t vaddr(uint64_t pfn, uint64_t off)
{
	return PAGE_OFFSET + (pfn << PAGE_SHIFT) + off;
}

/* Every section's pages map back to their pfn, in any order of lookups (page_to_pfn). */
Test(memory, page_to_pfn_across_sections, .init = up, .fini = down)
{
	uint64_t nsec = sim_mem_nr_sections();
	uint64_t pfns[16];
	int n = 0;

	cr_assert(ge(u64, nsec, 4));
	for (uint64_t sec = 0; sec < nsec && n < 16; sec++) {
		uint64_t nr = sim_mem_section_nr_pages(sec);

		if (!nr)
			continue;
		pfns[n++] = (sec << SECTION_SHIFT) + nr - 1;	/* the last frame of the section */
		pfns[n++] = (sec << SECTION_SHIFT);
	}
	cr_assert(ge(int, n, 8));
	/* first, last, then back and forth: each lookup misses the last one's section */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < n; i++) {
			int k = round ? n - 1 - i : i;
			struct page *p = pfn_to_page(pfns[k]);

			cr_assert(ne(ptr, (void *)p, NULL), "pfn %llu", (unsigned long long)pfns[k]);
			cr_expect(eq(u64, page_to_pfn(p), pfns[k]));
		}
	/* no section, or past the frames of the last one: no struct page */
	cr_expect(eq(ptr, (void *)sim_mem_section(nsec), NULL));
	cr_expect(eq(u64, sim_mem_section_nr_pages(nsec), 0));
	cr_expect(eq(ptr, (void *)pfn_to_page(nsec << SECTION_SHIFT), NULL));
	{
		uint64_t last = nsec - 1, nr = sim_mem_section_nr_pages(last);

		if (nr < SECTION_PAGES)
			cr_expect(eq(ptr, (void *)pfn_to_page((last << SECTION_SHIFT) + nr), NULL));
	}
}

/* A compound page: every tail's head is the first page (virt_to_head_page). */
Test(memory, compound_tails_lead_to_the_head, .init = up, .fini = down)
{
	struct page *head = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 2, NULL);
	uint64_t pfn;

	cr_assert(ne(ptr, (void *)head, NULL));
	pfn = page_to_pfn(head);
	for (uint64_t i = 0; i < 4; i++)
		cr_expect(eq(ptr, (void *)virt_to_head_page((void *)(uintptr_t)vaddr(pfn + i, 100)), (void *)head));
	helper_buddy_free(0, head, 2, NULL);
}

/*
 * Contents: a never-written frame reads 0 and costs no host page; a write makes one; an
 * 8-byte word across a frame boundary lands 4 bytes in each (little-endian) and reads back
 * whole; with the second frame unwritten, the straddling read sees only the first's bytes.
 */
Test(memory, words_within_and_across_frames, .init = up, .fini = down)
{
	struct page *pg = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_COMP, 1, NULL);
	uint64_t pfn, before;

	cr_assert(ne(ptr, (void *)pg, NULL));
	pfn = page_to_pfn(pg);
	before = sim_mem_host_bytes();
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, 8)), 0));
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, PAGE_SIZE - 4)), 0));
	cr_expect(eq(u64, sim_mem_host_bytes(), before));

	sim_mem_write64(vaddr(pfn, 8), 0x1122334455667788ull);
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, 8)), 0x1122334455667788ull));
	cr_expect(ge(u64, sim_mem_host_bytes(), before + PAGE_SIZE));
	/* a word ending the first frame; read across, the second frame (no contents yet) adds 0s */
	sim_mem_write64(vaddr(pfn, PAGE_SIZE - 8), 0xa1a2a3a4a5a6a7a8ull);
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, PAGE_SIZE - 4)), 0xa1a2a3a4ull));
	/* across: bytes 0x08..0x05 in frame 0, 0x04..0x01 in frame 1 */
	sim_mem_write64(vaddr(pfn, PAGE_SIZE - 4), 0x0102030405060708ull);
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, PAGE_SIZE - 4)), 0x0102030405060708ull));
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn, PAGE_SIZE - 8)), 0x05060708a5a6a7a8ull));
	cr_expect(eq(u64, sim_mem_read64(vaddr(pfn + 1, 0)), 0x01020304ull));
	helper_buddy_free(0, pg, 1, NULL);
}

/*
 * The short last section (sim_mem_init): its frames are max_pfn rounded up to a whole
 * MAX_ORDER block (MAX_ORDER_NR_PAGES = 1 << 10 = 1024 frames), so that a buddy of a frame
 * below max_pfn always has a struct page (__find_buddy_pfn stays inside the 1024-frame
 * block).  By hand: max_pfn 16384 (64 MiB) is whole blocks: 16384 frames; 16385 rounds up
 * to 17 blocks, 17408; 32768 + 100 takes a whole first section and (100 + 1023) / 1024 = 1
 * block, 1024 frames, of the second; 32768 fills its one section exactly.
 */
Test(memory, short_last_section_is_whole_max_order_blocks)
{
	static const struct { uint64_t max_pfn, sections, last_pages; } t[] = {
		{ 16384, 1, 16384 }, { 16385, 1, 17408 }, { 32768 + 100, 2, 1024 }, { 32768, 1, 32768 },
		{ 32768 + 1, 2, 1024 }, { 3 * 32768 + 1024, 4, 1024 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		sim_mem_init(t[i].max_pfn);
		cr_expect(eq(u64, sim_mem_nr_sections(), t[i].sections), "max_pfn %llu", (unsigned long long)t[i].max_pfn);
		cr_expect(eq(u64, sim_mem_section_nr_pages(t[i].sections - 1), t[i].last_pages),
			  "max_pfn %llu", (unsigned long long)t[i].max_pfn);
		/* the frame below max_pfn has a struct page, the first past the rounding none */
		cr_expect(ne(ptr, (void *)pfn_to_page(t[i].max_pfn - 1), NULL));
		cr_expect(eq(ptr, (void *)pfn_to_page(((t[i].sections - 1) << SECTION_SHIFT) + t[i].last_pages), NULL));
		/* every section before the last is whole */
		for (uint64_t sec = 0; sec + 1 < t[i].sections; sec++)
			cr_expect(eq(u64, sim_mem_section_nr_pages(sec), SECTION_PAGES), "max_pfn %llu section %llu",
				  (unsigned long long)t[i].max_pfn, (unsigned long long)sec);
		sim_mem_exit();
	}
	/* max_pfn 0 still makes the one section, and nothing cuts it (no last frame to round) */
	sim_mem_init(0);
	cr_expect(eq(u64, sim_mem_nr_sections(), 1));
	cr_expect(eq(u64, sim_mem_section_nr_pages(0), SECTION_PAGES));
	sim_mem_exit();
}

/*
 * sim_mem_init starts afresh: what a previous machine registered (its zone ranges, touched
 * sections) is gone even without sim_mem_exit, so a frame in no range of the new machine is a
 * hole (PG_reserved, no node or zone).  The host cost of the tables grows with the sections
 * (twice the sections, twice the bytes), a touched section adds its struct pages, and written
 * frames their buffers.
 */
Test(memory, init_starts_afresh_and_counts_its_tables)
{
	uint64_t four, eight;
	struct page *p;

	sim_mem_init(4 * SECTION_PAGES);
	four = sim_mem_host_bytes();
	sim_mem_init(8 * SECTION_PAGES);
	eight = sim_mem_host_bytes();
	cr_expect(lt(u64, 0, four));
	cr_expect(eq(u64, eight, 2 * four));
	sim_mem_add_range(0, 100, 1, ZONE_NORMAL);
	p = pfn_to_page(5);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(eq(u32, p->flags & PG_reserved, 0));
	cr_expect(eq(int, p->nid, 1));
	cr_expect(eq(u64, sim_mem_host_bytes(), eight + SECTION_PAGES * sizeof(struct page)));
	cr_expect(eq(u64, page_to_pfn(p), 5));

	sim_mem_init(8 * SECTION_PAGES);		/* no sim_mem_exit before */
	cr_expect(eq(u64, sim_mem_host_bytes(), eight));
	p = pfn_to_page(5);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_expect(ne(u32, p->flags & PG_reserved, 0), "a hole: the old range is gone");
	cr_expect(eq(int, p->nid, 0xff));
	cr_expect(eq(u64, page_to_pfn(p), 5));
	cr_expect(eq(int, p->zid, 0xff));
	cr_expect(eq(u64, page_to_pfn(pfn_to_page(3 * SECTION_PAGES + 7)), 3 * SECTION_PAGES + 7));
	/* contents: the first write in a section adds its table of buffers and one page, the next
	 * frame's write one page; each frame keeps its own bytes */
	eight = sim_mem_host_bytes();
	sim_mem_write64(vaddr(4, 0), 0x4444);
	cr_expect(eq(u64, sim_mem_host_bytes(), eight + SECTION_PAGES * sizeof(uint8_t *) + PAGE_SIZE));
	sim_mem_write64(vaddr(5, 0), 0x5555);
	sim_mem_write64(vaddr(6, 0), 0x6666);
	cr_expect(eq(u64, sim_mem_host_bytes(), eight + SECTION_PAGES * sizeof(uint8_t *) + 3 * PAGE_SIZE));
	cr_expect(eq(u64, sim_mem_read64(vaddr(4, 0)), 0x4444));
	cr_expect(eq(u64, sim_mem_read64(vaddr(5, 0)), 0x5555));
	cr_expect(eq(u64, sim_mem_read64(vaddr(6, 0)), 0x6666));
	cr_expect(eq(u64, sim_mem_read64(vaddr(7, 0)), 0));
	sim_mem_exit();
	cr_expect(eq(u64, sim_mem_host_bytes(), 0));
}

/*
 * Zone ranges are [start, end): the frame at a range's end belongs to the next range or is a
 * hole.  Forty ranges of 100 frames each, nodes and zones in turn, with a hole of 50 frames
 * after each (more ranges than the table's first 16 slots): every frame says its range.
 */
Test(memory, ranges_are_half_open_and_many)
{
	sim_mem_init(2 * SECTION_PAGES);
	for (int r = 0; r < 40; r++)
		sim_mem_add_range((uint64_t)r * 150, 100, r % 2, r % 4);
	for (int r = 0; r < 40; r++) {
		uint64_t start = (uint64_t)r * 150;
		struct page *first = pfn_to_page(start), *last = pfn_to_page(start + 99), *hole = pfn_to_page(start + 100);

		cr_assert(ne(ptr, (void *)first, NULL));
		cr_expect(eq(int, first->nid, r % 2), "range %d", r);
		cr_expect(eq(int, first->zid, r % 4), "range %d", r);
		cr_expect(eq(u32, first->flags & PG_reserved, 0), "range %d", r);
		cr_expect(eq(int, last->nid, r % 2), "range %d", r);
		cr_expect(eq(u32, last->flags & PG_reserved, 0), "range %d", r);
		cr_expect(ne(u32, hole->flags & PG_reserved, 0), "range %d: its end is a hole", r);
		cr_expect(eq(int, hole->nid, 0xff), "range %d", r);
	}
	sim_mem_exit();
}

/*
 * Bytes at any offset: a word written at an odd offset reads back there, and one byte lower
 * it is that word shifted up a byte (little-endian).  A word read across two frames takes
 * exactly its 8 bytes, none after.  sim_mem_clear(pfn, n) drops the contents of frames
 * [pfn, pfn + n), also past a section nobody wrote, and gives their buffers back.
 */
Test(memory, odd_offsets_straddles_and_clearing)
{
	uint64_t before;

	sim_mem_init(2 * SECTION_PAGES);
	sim_mem_write64(vaddr(2, 3), 0x1122334455667788ull);
	cr_expect(eq(u64, sim_mem_read64(vaddr(2, 3)), 0x1122334455667788ull));
	cr_expect(eq(u64, sim_mem_read64(vaddr(2, 2)), 0x2233445566778800ull));
	sim_mem_write64(vaddr(8, 4), 0xffffffffffffffffull);
	sim_mem_write64(vaddr(7, PAGE_SIZE - 4), 0x0102030405060708ull);
	cr_expect(eq(u64, sim_mem_read64(vaddr(7, PAGE_SIZE - 4)), 0x0102030405060708ull));

	sim_mem_write64(vaddr(10, 0), 10);
	sim_mem_write64(vaddr(11, 0), 11);
	sim_mem_write64(vaddr(12, 0), 12);
	before = sim_mem_host_bytes();
	sim_mem_clear(10, 2);
	cr_expect(eq(u64, sim_mem_read64(vaddr(10, 0)), 0));
	cr_expect(eq(u64, sim_mem_read64(vaddr(11, 0)), 0));
	cr_expect(eq(u64, sim_mem_read64(vaddr(12, 0)), 12));
	cr_expect(eq(u64, sim_mem_host_bytes(), before - 2 * PAGE_SIZE));

	sim_mem_exit();
	sim_mem_init(2 * SECTION_PAGES);
	sim_mem_write64(vaddr(SECTION_PAGES + 5, 0), 5);	/* section 0 has no contents at all */
	sim_mem_clear(100, SECTION_PAGES);
	cr_expect(eq(u64, sim_mem_read64(vaddr(SECTION_PAGES + 5, 0)), 0));
	sim_mem_exit();
}

/* Host heap in use: small chunks and mmapped ones (a section's contents[] table is 256 KiB). */
static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/*
 * Not a kernel rule: the model's own teardown.  sim_mem_exit gives back every host buffer the
 * memory took -- the section tables, each touched section's struct pages and contents[]
 * table, and every page buffer, the first frame of each section included -- so a machine set
 * up and torn down leaves the host heap as it found it (run after run in one process: a sweep,
 * an exploration).  The heap may look a few bytes larger afterwards (chunks the C library
 * keeps in its per-thread cache count as in use), never by a page buffer (PAGE_SIZE).  Under
 * ASan the heap is ASan's and mallinfo2 reads the same both times.
 */
Test(memory, exit_gives_back_every_page_buffer)
{
	size_t before, after;
	uint64_t v;

	/* a fixed threshold: glibc would otherwise raise it after the first big free, and the
	 * second round's tables would come from the heap with other chunk overheads */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	/* once first: whatever the C library sets up on first use is not the model's */
	sim_mem_init(2 * SECTION_PAGES);
	sim_mem_write64(vaddr(0, 0), 1);
	sim_mem_exit();

	before = heap_in_use();
	sim_mem_init(2 * SECTION_PAGES);
	sim_mem_write64(vaddr(0, 0), 1);			/* section 0, frame 0 */
	sim_mem_write64(vaddr(3, 16), 3);
	sim_mem_write64(vaddr(SECTION_PAGES, 0), 7);		/* section 1, frame 0 */
	sim_mem_write64(vaddr(SECTION_PAGES + 9, 8), 9);
	(void)pfn_to_page(SECTION_PAGES + 9);
	v = sim_mem_read64(vaddr(0, 0));
	sim_mem_exit();
	after = heap_in_use();
	cr_expect(eq(u64, v, 1));
	cr_expect(lt(sz, after, before + PAGE_SIZE), "host heap %zu bytes before, %zu after", before, after);
}
