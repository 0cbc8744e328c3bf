/*
 * test_buddy_oom_reap.c - what the OOM killer takes and how it weighs (models/buddy/oom_kill.c
 * against mm/oom_kill.c of Linux 6.1), suite `models/buddy_oom_reap`:
 *  - the reaper (__oom_reap_task_mm) unmaps every anonymous page of the victim, on the active
 *    list as well as on the inactive one;
 *  - oom_badness's unit, totalram_pages / 1000, is an integer division.
 *
 * Strategy: one node with a 64 MiB DMA32 zone, one vCPU, no running engine; tasks fault
 * anonymous pages (do_anonymous_page), some of them touched twice (mark_page_accessed:
 * activated), then out_of_memory for an order-0 GFP_KERNEL request.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_engine_set_cpu(0);
}

/*
 * __oom_reap_task_mm (mm/oom_kill.c 6.1) unmaps every vma of the victim's mm: all its anonymous
 * pages go, whichever LRU list they are on.  A task of 10 pages, 4 of them accessed twice
 * (folio_mark_accessed: referenced, then activated onto the active anon list): the kill frees
 * 10 pages (the record's freed_pages), the task's rss is 0, none of its pages is left on an
 * LRU list, and the zone has 10 more free pages (pcp lists drained).
 */
Test(buddy_oom_reap, the_reaper_frees_active_and_inactive_anon_pages, .fini = down)
{
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
	struct page *pages[10];
	struct mm_struct *mm;
	uint64_t free_before;

	up();
	mm = mm_create(300, "victim");
	cr_assert(ne(ptr, (void *)mm, NULL));
	for (int i = 0; i < 10; i++) {
		pages[i] = do_anonymous_page(mm, 0);
		cr_assert(ne(ptr, (void *)pages[i], NULL));
	}
	for (int i = 0; i < 4; i++) {
		mark_page_accessed(pages[i]);
		mark_page_accessed(pages[i]);
		cr_assert(eq(int, (pages[i]->flags & PG_active) != 0, 1), "page %d", i);
	}
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	free_before = buddy_zone_free_pages(0, ZONE_DMA32);
	cr_assert(out_of_memory(&oc));
	cr_assert(eq(ptr, (void *)oc.chosen, (void *)mm));
	cr_expect(eq(u64, oom_kill_record(oom_kill_nr_records() - 1)->freed_pages, 10));
	cr_expect(eq(i64, mm->rss, 0));
	for (int i = 0; i < 10; i++)
		cr_expect(eq(int, (pages[i]->flags & (PG_lru | PG_active)) != 0, 0), "page %d", i);
	drain_all_pages();
	refresh_cpu_vm_stats(0);
	cr_expect(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), free_before + 10));
	mm_exit(mm);
	cr_assert(buddy_check(stderr));
}

/*
 * oom_badness (mm/oom_kill.c 6.1): "adj *= totalpages / 1000", an integer division.  With
 * 500499 pages managed (the zone's count set for the call), 500499 / 1000 = 500 (a divisor
 * of 999 would give 501, of 1001 499): a task of 100 pages at adj 1 scores 600, at adj -1 0.
 */
Test(buddy_oom_reap, the_adj_unit_is_totalpages_over_1000_rounded_down, .fini = down)
{
	static const struct { short adj; long points; } t[] = { { 1, 600 }, { -1, -400 }, { 0, 100 } };
	struct zone *zone;
	unsigned long managed;

	up();
	zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	managed = zone->managed_pages;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
		struct mm_struct *mm = mm_create(400 + (int)i, "t");

		cr_assert(ne(ptr, (void *)mm, NULL));
		for (int k = 0; k < 100; k++)
			cr_assert(ne(ptr, (void *)do_anonymous_page(mm, 0), NULL));
		mm->oom_score_adj = t[i].adj;
		zone->managed_pages = 500499;
		cr_assert(out_of_memory(&oc));
		zone->managed_pages = managed;
		cr_expect(eq(u64, oc.totalpages, 500499), "case %zu", i);
		cr_assert(eq(ptr, (void *)oc.chosen, (void *)mm), "case %zu", i);
		cr_expect(eq(i64, oc.chosen_points, t[i].points), "case %zu", i);
		mm_exit(mm);
	}
}

/*
 * The same sweep for the smallest victim: a task of one anonymous page (the reaper's loop runs
 * over every page the mm maps, one as well as many): the kill frees 1 page and rss is 0.
 */
Test(buddy_oom_reap, a_one_page_victim_loses_its_page, .fini = down)
{
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
	struct mm_struct *mm;
	struct page *page;

	up();
	mm = mm_create(500, "one");
	cr_assert(ne(ptr, (void *)mm, NULL));
	page = do_anonymous_page(mm, 0);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(out_of_memory(&oc));
	cr_assert(eq(ptr, (void *)oc.chosen, (void *)mm));
	cr_expect(eq(u64, oom_kill_record(oom_kill_nr_records() - 1)->freed_pages, 1));
	cr_expect(eq(i64, mm->rss, 0));
	cr_expect(eq(int, (page->flags & PG_lru) != 0, 0));
	mm_exit(mm);
	cr_assert(buddy_check(stderr));
}

/*
 * out_of_memory (mm/oom_kill.c 6.1) sets oc->totalpages = totalram_pages() + total_swap_pages
 * on every call, whatever the oom_control held: the same control used for two kills weighs
 * both victims with the same unit.  Two tasks of 100 pages at adj 2: each kill scores
 * 100 + 2 * (managed pages / 1000), and totalpages is the managed count both times.
 */
Test(buddy_oom_reap, each_kill_counts_totalpages_afresh, .fini = down)
{
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
	unsigned long managed;

	up();
	managed = NODE_DATA(0)->node_zones[ZONE_DMA32].managed_pages;
	for (int i = 0; i < 2; i++) {
		struct mm_struct *mm = mm_create(600 + i, "t");

		cr_assert(ne(ptr, (void *)mm, NULL));
		for (int k = 0; k < 100; k++)
			cr_assert(ne(ptr, (void *)do_anonymous_page(mm, 0), NULL));
		mm->oom_score_adj = 2;
		cr_assert(out_of_memory(&oc));
		cr_assert(eq(ptr, (void *)oc.chosen, (void *)mm), "kill %d", i);
		cr_expect(eq(u64, oc.totalpages, managed), "kill %d", i);
		cr_expect(eq(i64, oc.chosen_points, 100 + 2 * (long)(managed / 1000)), "kill %d", i);
		mm_exit(mm);
	}
}
