/*
 * test_buddy_free_lists.c - the lists under the buddy allocator (models/buddy/freelist.c
 * against include/linux/list.h and the free_area helpers of mm/page_alloc.c, linux-6.1),
 * suite `buddy_free_lists`: list_add_tail links the new entry to the end whatever its
 * links held, and a max-order free list that still carries boot's untouched run hands
 * out blocks in list order: those freed to its head first, newest first, then the run.
 *
 * Strategy: one node with a 64 MiB DMA32 zone (sixteen max-order blocks from pfn 0, all
 * untouched after boot), one vCPU; max-order blocks taken and given back, then taken
 * again in the order the list holds them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	cr_expect(buddy_check(stderr));
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/*
 * list_add_tail (include/linux/list.h: __list_add(new, head->prev, head)) sets the new
 * entry's next to the head: the end of the list, even when the entry still holds links of
 * a list it was dropped from (INIT_LIST_HEAD abandons entries without clearing them).  Two
 * pages on list A, then list B made empty and both added to its tail in the other order:
 * B reads q, p and ends.
 */
Test(buddy_free_lists, list_add_tail_ends_the_list_whatever_the_entry_held, .init = up, .fini = down)
{
	struct page_list a = { 0 }, b = { 0 };
	struct page *p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	struct page *q = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	struct page *x;
	int n = 0;

	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(ne(ptr, (void *)q, NULL));
	page_list_add_tail(&a, p);
	page_list_add_tail(&a, q);
	cr_assert(eq(ptr, (void *)page_list_next(p), (void *)q));
	page_list_add_tail(&b, q);
	page_list_add_tail(&b, p);
	cr_expect(eq(ptr, (void *)page_list_first(&b), (void *)q));
	cr_expect(eq(ptr, (void *)page_list_next(q), (void *)p));
	cr_expect(eq(ptr, (void *)page_list_next(p), NULL));
	cr_expect(eq(ptr, (void *)page_list_last(&b), (void *)p));
	for (x = page_list_first(&b); x && n < 4; x = page_list_next(x))
		n++;
	cr_expect(eq(int, n, 2));
	page_list_del(&b, q);
	page_list_del(&b, p);
	helper_buddy_free(0, p, 0, NULL);
	helper_buddy_free(0, q, 0, NULL);
}

/*
 * __free_one_page (6.1) puts a max-order block at the head of its list (buddy_merge_likely
 * is false from MAX_ORDER - 2 up, and no FPI_TO_TAIL), and __rmqueue_smallest takes the
 * list's first block.  Blocks at pfn 0 and 1024 taken from the untouched run, given back
 * (0, then 1024): the list is 1024, 0, then the run from 2048; three max-order requests get
 * 1024, 0 and 2048 in that order, and a fourth 3072.
 */
Test(buddy_free_lists, freed_max_order_blocks_come_back_before_the_untouched_run, .init = up, .fini = down)
{
	static const uint64_t want[4] = { 1024, 0, 2048, 3072 };
	struct page *a = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, MAX_ORDER - 1, NULL);
	struct page *b = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, MAX_ORDER - 1, NULL);
	struct page *got[4];

	cr_assert(ne(ptr, (void *)a, NULL));
	cr_assert(ne(ptr, (void *)b, NULL));
	cr_assert(eq(u64, page_to_pfn(a), 0));
	cr_assert(eq(u64, page_to_pfn(b), 1024));
	helper_buddy_free(0, a, MAX_ORDER - 1, NULL);
	helper_buddy_free(0, b, MAX_ORDER - 1, NULL);
	for (int i = 0; i < 4; i++) {
		got[i] = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, MAX_ORDER - 1, NULL);
		cr_assert(ne(ptr, (void *)got[i], NULL));
		cr_expect(eq(u64, page_to_pfn(got[i]), want[i]), "request %d", i);
	}
	for (int i = 0; i < 4; i++)
		helper_buddy_free(0, got[i], MAX_ORDER - 1, NULL);
}

/*
 * The pageblock type store (freelist.c's header): no host memory while no block's type was
 * written (every block MOVABLE, memmap_init_range's boot value); the first write makes the
 * table of section pointers (one per section), the first type other than MOVABLE in a section
 * that section's chunk (a byte a pageblock, SECTION_PAGES / pageblock_nr_pages of them); a
 * second change in the section adds nothing.
 * buddy_host_bytes counts it on top of the struct pages.
 */
Test(buddy_free_lists, the_pageblock_store_costs_a_table_and_a_chunk, .init = up, .fini = down)
{
	struct page *p = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, 0, NULL);
	uint64_t table = sim_mem_nr_sections() * sizeof(uint8_t *), want = table + SECTION_PAGES / pageblock_nr_pages;

	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(u64, pageblock_host_bytes(), 0));
	set_pageblock_migratetype(p, MIGRATE_MOVABLE);
	cr_expect(eq(u64, pageblock_host_bytes(), table));
	set_pageblock_migratetype(p, MIGRATE_RECLAIMABLE);
	cr_expect(eq(u64, pageblock_host_bytes(), want));
	cr_expect(eq(u64, buddy_host_bytes(), sim_mem_host_bytes() + want));
	set_pageblock_migratetype(p + pageblock_nr_pages, MIGRATE_UNMOVABLE);
	cr_expect(eq(u64, pageblock_host_bytes(), want));
	set_pageblock_migratetype(p + pageblock_nr_pages, MIGRATE_MOVABLE);
	set_pageblock_migratetype(p, MIGRATE_MOVABLE);
	helper_buddy_free(0, p, 0, NULL);
}
