/*
 * test_buddy_order10.c - how many max-order blocks one order-10 allocation
 * takes off a fresh zone, suite `buddy`.
 *
 * A fresh 64 MiB DMA32 zone (one node, one CPU) holds 16 free order-10
 * blocks; its pcp batch is 3 (zone_batchsize: 16384 >> 10 = 16, / 4 = 4,
 * rounddown_pow_of_two(4 + 2) - 1 = 3).
 *
 * Default machine (HUGETLB_PAGE on, pageblock_order 9): order 10 is not a pcp
 * order in either kernel, so rmqueue goes to rmqueue_buddy, which takes one
 * block: nr_free[10] 16 -> 15, level 3.
 *
 * pageblock_order 10 (HUGETLB_PAGE off) with THP on:
 *  - 6.1's pcp_allowed_order accepts order == pageblock_order, so order 10
 *    uses the THP pcp list; __rmqueue_pcplist refills it with
 *    max(batch >> order, 2) = max(3 >> 10, 2) = 2 blocks (rmqueue_bulk) and
 *    hands out one: nr_free[10] 16 -> 14, pcp count 1024, level 2.  That is
 *    what Linux 6.1.192 does (mm/page_alloc.c), not a model bug.
 *  - 6.12's pcp_allowed_order accepts HPAGE_PMD_ORDER (9), never 10: order
 *    10 goes to rmqueue_buddy and takes one block (16 -> 15, level 3, pcp
 *    empty), while order 9 is the one that uses the THP pcp list.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "checks_common.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/kernel.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

/* One node, one CPU, a 64 MiB DMA32 zone; pageblock_order pbo, THP on. */
static void up_64mib(enum kernel_version kv, unsigned int pbo)
{
	kernel_version = kv;
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->node[0].nr_cpus = 1;
	sc->node[0].zone_mib[ZONE_DMA32] = 64;
	sc->page_block_order = pbo;
	sc->thp = true;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(sc), NULL));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 16384));
}

static struct buddy_pcp_info pcp0(void)
{
	struct buddy_pcp_info pi;

	buddy_pcp_info(0, ZONE_DMA32, 0, &pi);
	return pi;
}

/* One order-10 movable allocation: it must succeed at `level`, leaving `left` order-10 blocks. */
static void alloc_order10(int level, uint64_t left, uint64_t pcp_count)
{
	struct sim_op op;
	struct page *page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, &op);

	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, op.level, level));
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), left));
	for (int o = 0; o < 10; o++)
		cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, o), 0), "order %d", o);
	cr_assert(eq(u64, pcp0().batch, 3));
	cr_assert(eq(u64, pcp0().count, pcp_count));
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 1024 * left));
	cr_assert(buddy_check(stderr));
}

Test(buddy, order10_takes_one_block_6_1, .fini = down)
{
	up_64mib(KERNEL_6_1, 9);
	alloc_order10(3, 15, 0);
}

Test(buddy, order10_takes_one_block_6_12, .fini = down)
{
	up_64mib(KERNEL_6_12, 9);
	alloc_order10(3, 15, 0);
}

/* 6.1, pageblock_order 10: the THP pcp order; the refill takes a second block for the list. */
Test(buddy, order10_is_the_thp_pcp_order_without_hugetlb_6_1, .fini = down)
{
	up_64mib(KERNEL_6_1, 10);
	cr_assert(pcp_allowed_order(10));
	cr_assert(not(pcp_allowed_order(9)));
	alloc_order10(2, 14, 1024);
}

/* 6.12, pageblock_order 10: the THP pcp order stays HPAGE_PMD_ORDER, order 10 goes to the zone. */
Test(buddy, order10_is_never_a_pcp_order_6_12, .fini = down)
{
	struct sim_op op;

	up_64mib(KERNEL_6_12, 10);
	cr_assert(not(pcp_allowed_order(10)));
	cr_assert(pcp_allowed_order(9));
	cr_assert(eq(int, pindex_to_order(order_to_pindex(MIGRATE_MOVABLE, 9)), 9));
	alloc_order10(3, 15, 0);
	/* order 9 is the one served through the pcp: a refill (L2) */
	cr_assert(ne(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 9, &op), NULL));
	cr_assert(eq(int, op.level, 2));
	cr_assert(buddy_check(stderr));
}

/*
 * The untouched max-order blocks of boot (buddy_int.h: a range on the MOVABLE list, after
 * lazy_after) carry no marks; a block taken and given back is explicit again, at the head
 * (__free_one_page: order MAX_ORDER - 1 never merges, buddy_merge_likely is false there), with
 * the untouched range right behind it.  buddy_check walks that list in its order and must
 * still see a stray PageBuddy mark on the first untouched block (on no list of its own).
 */
Test(buddy, a_stray_mark_right_after_a_given_back_block_is_found, .fini = down)
{
	struct page *page, *next;
	uint32_t flags;

	up_64mib(KERNEL_6_1, 9);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 10, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	helper_buddy_free(0, page, 10, NULL);
	cr_assert(eq(u64, buddy_zone_nr_free(0, ZONE_DMA32, 10), 16));
	cr_assert(buddy_check(stderr));
	next = pfn_to_page(page_to_pfn(page) + 1024);
	cr_assert(not(PageBuddy(next)), "untouched: no mark");
	flags = next->flags;
	CHECK_FOUND(buddy_check, next->flags |= PG_buddy, next->flags = flags, "marked PageBuddy but on no such list");
}
