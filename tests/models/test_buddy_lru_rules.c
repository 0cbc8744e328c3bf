/*
 * test_buddy_lru_rules.c - the page cache's LRU bookkeeping (models/buddy/vmscan.c against
 * mm/filemap.c and mm/vmscan.c of Linux 6.1), suite `models/buddy_lru_rules`: the LRU sizes
 * count every zone up to the highest (lruvec_lru_size with MAX_NR_ZONES - 1, as
 * /proc/meminfo's Active(file)/Inactive(file) do), and a page taken out of the page cache
 * (__filemap_remove_folio -> page_cache_delete) no longer points at its mapping; reclaim
 * costs a page op per list scan and per page the pcp gives back.
 *
 * Strategy: a one-node machine with Normal and Movable zones (64 MiB each), one vCPU; page
 * cache read as a workload reads it (GFP_HIGHUSER_MOVABLE: the Movable zone first).
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
	uint64_t zones[1][4] = { { 0, 0, 64, 64 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * filemap_read -> filemap_add_folio puts a new page at the inactive file list's head; a second
 * read of a page marks it accessed (folio_mark_accessed: referenced, then active on the third).
 * Ten pages read, pages 0-2 read three times: 3 active, 7 inactive, all in ZONE_MOVABLE, and
 * the LRU sizes (every zone, 0 .. MAX_NR_ZONES - 1) say so.
 */
Test(buddy_lru_rules, the_lru_sizes_count_the_movable_zone, .fini = down)
{
	struct address_space *m;
	uint64_t lru[4];
	struct sim_op op;
	bool hit;

	up();
	m = mapping_create(10);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < 10; i++) {
		struct page *page = filemap_read_page(m, i, 0, &hit);

		cr_assert(ne(ptr, (void *)page, NULL));
		cr_assert(eq(int, page->zid, ZONE_MOVABLE), "page %llu", (unsigned long long)i);
	}
	for (int r = 0; r < 2; r++)
		for (uint64_t i = 0; i < 3; i++)
			cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
	sim_op_end(&op);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 7));
	cr_assert(eq(u64, lru[LRU_ACTIVE_FILE], 3));
	cr_assert(eq(u64, lru[LRU_INACTIVE_ANON] + lru[LRU_ACTIVE_ANON], 0));
	mapping_destroy(m);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE] + lru[LRU_ACTIVE_FILE], 0));
	cr_assert(buddy_check(stderr));
}

/*
 * __filemap_remove_folio (mm/filemap.c 6.1): page_cache_delete clears the slot and sets
 * folio->mapping = NULL; the folio leaves the LRU (the caller's folio_isolate_lru here).  The
 * page is the holder's: it is not freed.
 */
Test(buddy_lru_rules, a_removed_page_has_no_mapping, .fini = down)
{
	struct page *page;
	uint32_t slot;
	uint64_t lru[4];

	up();
	page = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	filemap_add_page(page, &slot);
	cr_assert(eq(ptr, page->slab_meta, (void *)&slot));
	cr_assert(ne(u32, page->flags & PG_lru, 0));
	filemap_remove_page(page);
	cr_assert(eq(u32, slot, 0));
	cr_assert(eq(ptr, page->slab_meta, NULL));
	cr_assert(eq(u32, page->flags & PG_lru, 0));
	cr_assert(ne(u32, page->flags & PG_allocated, 0));
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	helper_buddy_free(0, page, 0, NULL);
	cr_assert(buddy_check(stderr));
}

/*
 * Direct reclaim's scan (do_try_to_free_pages -> shrink_lruvec -> shrink_inactive_list,
 * mm/vmscan.c 6.1): at each priority from 12 down, get_scan_count's target is the inactive file
 * list's size >> priority (no swap: SCAN_FILE; no active pages, so nothing to deactivate), taken
 * SWAP_CLUSTER_MAX (32) at most per isolate_lru_folios; at DEF_PRIORITY direct reclaim scans its
 * whole target (proportional_reclaim), below it stops once 32 are reclaimed; the priorities
 * stop when nr_reclaimed >= nr_to_reclaim (32).  Clean page cache: every page scanned is
 * reclaimed.  5000 pages: 1, 2, 4, 9, 19 scanned -> 35 reclaimed, 4965 left.
 */
Test(buddy_lru_rules, direct_reclaim_scans_the_list_size_shifted_by_priority, .fini = down)
{
	struct address_space *m;
	uint64_t lru[4], inactive = 5000, total = 0;
	struct sim_op op;
	bool hit;

	up();
	m = mapping_create(inactive);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < inactive; i++)
		cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
	sim_op_end(&op);
	for (int prio = DEF_PRIORITY; prio >= 0 && total < SWAP_CLUSTER_MAX; prio--) {
		uint64_t nr = inactive >> prio, reclaimed = 0;

		while (nr) {
			uint64_t n = nr < SWAP_CLUSTER_MAX ? nr : SWAP_CLUSTER_MAX;

			nr -= n;
			reclaimed += n;
			if (reclaimed >= SWAP_CLUSTER_MAX && prio != DEF_PRIORITY)
				break;
		}
		inactive -= reclaimed;
		total += reclaimed;
	}
	cr_assert(eq(u64, total, 35));
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), total));
	cr_assert(eq(u64, reclaim_vm_event(PGSCAN_DIRECT), total));
	cr_assert(eq(u64, reclaim_vm_event(PGSTEAL_DIRECT), total));
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], inactive));
	mapping_destroy(m);
	cr_assert(buddy_check(stderr));
}

/*
 * do_anonymous_page (mm/memory.c 6.1) adds a new anonymous folio with folio_add_lru_vma: it is
 * swap-backed, so folio_lru_list puts it on LRU_INACTIVE_ANON (list 0); folio_mark_accessed
 * twice activates it onto LRU_ACTIVE_ANON (list 1), counting PGACTIVATE (__folio_activate).
 * Five pages, two of them accessed twice: 3 inactive and 2 active anon, no file page; the sizes
 * are the NR_LRU_LISTS (4) lists and no more (the slot after them is the caller's).  exit_mmap
 * takes them all off the lists.
 */
Test(buddy_lru_rules, anonymous_pages_are_counted_on_the_anon_lists, .fini = down)
{
	struct page *pages[5];
	struct mm_struct *mm;
	uint64_t lru[NR_LRU_LISTS + 1];
	struct sim_op op;

	up();
	mm = mm_create(4242, "anon");
	cr_assert(ne(ptr, (void *)mm, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (int i = 0; i < 5; i++) {
		pages[i] = do_anonymous_page(mm, 0);
		cr_assert(ne(ptr, (void *)pages[i], NULL));
	}
	sim_op_end(&op);
	for (int i = 0; i < 2; i++) {
		mark_page_accessed(pages[i]);
		mark_page_accessed(pages[i]);
	}
	/* __folio_activate counts PGACTIVATE once per page it moves; the first access only marks */
	cr_assert(eq(u64, reclaim_vm_event(PGACTIVATE), 2));
	for (int i = 0; i <= NR_LRU_LISTS; i++)
		lru[i] = 0xdeadbeefULL;
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_ANON], 3));
	cr_assert(eq(u64, lru[LRU_ACTIVE_ANON], 2));
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	cr_assert(eq(u64, lru[LRU_ACTIVE_FILE], 0));
	cr_assert(eq(u64, lru[NR_LRU_LISTS], 0xdeadbeefULL), "only NR_LRU_LISTS sizes are written");
	mm_exit(mm);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_ANON] + lru[LRU_ACTIVE_ANON], 0));
	cr_assert(buddy_check(stderr));
}

/*
 * Every page leaving the page cache is freed as a page free operation of its own, named for
 * the kernel path that frees it (truncate_inode_pages, mm/truncate.c; shrink_folio_list's
 * free_unref_page_list, mm/vmscan.c 6.1): order 0, the page's pfn, node, zone and pageblock
 * migratetype (GFP_HIGHUSER_MOVABLE page cache: ZONE_MOVABLE, MIGRATE_MOVABLE).
 */
Test(buddy_lru_rules, each_page_leaving_the_page_cache_is_a_free_operation, .fini = down)
{
	struct helper_slab_log log;
	struct address_space *m;
	uint64_t pfns[6];
	struct sim_op op;
	size_t found = 0;
	bool hit;

	up();
	m = mapping_create(6);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < 6; i++) {
		struct page *page = filemap_read_page(m, i, 0, &hit);

		cr_assert(ne(ptr, (void *)page, NULL));
		pfns[i] = page_to_pfn(page);
	}
	sim_op_end(&op);
	helper_slab_log_start(&log);
	mapping_destroy(m);
	for (size_t i = 0; i < log.nr; i++) {
		const struct sim_op *o = &log.ops[i];
		bool known = false;

		if (!helper_slab_op_has_label(o, "truncate_inode_pages"))
			continue;
		found++;
		for (int p = 0; p < 6; p++)
			known |= o->addr == pfns[p];
		cr_expect(known, "op %zu frees pfn %llu", i, (unsigned long long)o->addr);
		cr_expect(eq(int, o->kind, SIM_OP_PAGE_FREE));
		cr_expect(eq(int, o->order, 0));
		cr_expect(eq(int, o->mem_node, 0));
		cr_expect(eq(int, o->zone, ZONE_MOVABLE));
		cr_expect(eq(int, o->migratetype, MIGRATE_MOVABLE));
	}
	helper_slab_log_stop(&log);
	cr_assert(eq(u64, found, 6));
	cr_assert(buddy_check(stderr));
}

/*
 * filemap_read (mm/filemap.c 6.1) reads nothing at or past the end of the file
 * (iocb->ki_pos >= i_size): the last index is nr_pages - 1; a read past it is no page and no
 * hit, whatever the caller's flag held before, and allocates nothing.
 */
Test(buddy_lru_rules, a_read_past_the_end_is_no_page, .fini = down)
{
	struct address_space *m;
	uint64_t lru[4];
	struct sim_op op;
	bool hit = true;

	up();
	m = mapping_create(3);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_assert(eq(ptr, (void *)filemap_read_page(m, 3, 0, &hit), NULL));
	cr_assert(not(hit));
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 2, 0, &hit), NULL));
	cr_assert(not(hit));
	hit = false;
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 2, 0, &hit), NULL));
	cr_assert(hit, "the second read of index 2 is a page cache hit");
	hit = true;
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	cr_assert(not(hit), "a miss clears the flag");
	sim_op_end(&op);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 2));
	mapping_destroy(m);
	cr_assert(buddy_check(stderr));
}

static unsigned long one_object(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	return 1;
}

static unsigned long scan_none(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	return SHRINK_STOP;
}

/*
 * Direct reclaim's path (try_to_free_pages -> do_try_to_free_pages -> shrink_zones ->
 * shrink_node -> shrink_lruvec -> shrink_list, then shrink_slab; mm/vmscan.c 6.1) is marked on
 * the allocation that reclaims: 2000 pages of page cache all active, so the first pass
 * deactivates (shrink_active_list: the inactive list is low) and later ones reclaim
 * (shrink_inactive_list); a registered shrinker is asked (shrink_slab).
 */
Test(buddy_lru_rules, direct_reclaim_marks_its_path, .fini = down)
{
	struct shrinker s = { 0 };
	struct address_space *m;
	struct sim_op op;
	bool hit;

	up();
	m = mapping_create(2000);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (int pass = 0; pass < 3; pass++)
		for (uint64_t i = 0; i < 2000; i++)
			cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
	sim_op_end(&op);
	s.count_objects = one_object;
	s.scan_objects = scan_none;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "one");
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_assert(lt(u64, 0, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE)));
	sim_op_end(&op);
	unregister_shrinker(&s);
	cr_expect(helper_slab_op_has_label(&op, "try_to_free_pages"));
	cr_expect(helper_slab_op_has_label(&op, "shrink_node"));
	cr_expect(helper_slab_op_has_label(&op, "shrink_active_list"));
	cr_expect(helper_slab_op_has_label(&op, "shrink_inactive_list"));
	cr_expect(helper_slab_op_has_label(&op, "shrink_slab"));
	cr_expect(lt(u64, 0, reclaim_vm_event(PGDEACTIVATE)));
	mapping_destroy(m);
}

/*
 * lruvec_lru_size (mm/vmscan.c 6.1) sums the list's pages of every zone from ZONE_DMA (index 0)
 * up to the given one.  A machine whose only memory is a 16 MiB ZONE_DMA: its page cache is
 * counted, and direct reclaim (which sizes its scan with it) finds it to reclaim.
 */
Test(buddy_lru_rules, zone_dma_pages_are_counted, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 0, 0, 0 } };
	int c[1] = { 1 };
	struct address_space *m;
	uint64_t lru[4];
	struct sim_op op;
	bool hit;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	m = mapping_create(2000);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < 2000; i++) {
		struct page *page = filemap_read_page(m, i, 0, &hit);

		cr_assert(ne(ptr, (void *)page, NULL));
		cr_assert(eq(int, page->zid, ZONE_DMA));
	}
	sim_op_end(&op);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 2000));
	/* priority 12 scans 2000 >> 12 = 0, 11: 0, 10: 1, 9: 1999 >> 9 = 3, 8: 7, 7: 15, 6: 1974 >> 6 = 30:
	 * 56 >= 32, the priorities stop (each scanned page reclaimed) */
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), 56));
	mapping_destroy(m);
}

/*
 * A page cache hit (filemap_read -> filemap_get_read_batch, mm/filemap.c 6.1) is a lookup in
 * the mapping and folio_mark_accessed: the model charges the running CPU one SIM_COST_MEM for
 * it, and nothing else (no allocation, no LRU lock).
 */
Test(buddy_lru_rules, a_page_cache_hit_costs_one_memory_access, .fini = down)
{
	struct address_space *m;
	struct sim_op op;
	uint64_t before;
	bool hit;

	up();
	m = mapping_create(1);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	before = sim->cur->clock_ns;
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	cr_assert(hit);
	cr_assert(eq(u64, sim->cur->clock_ns - before, sim->cost[SIM_COST_MEM]));
	cr_assert(lt(u64, 0, sim->cost[SIM_COST_MEM]));
	sim_op_end(&op);
	mapping_destroy(m);
}

/* The pages on the pcp lists of every zone of node 0, CPU 0. */
static uint64_t pcp_pages(void)
{
	uint64_t n = 0;

	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &NODE_DATA(0)->node_zones[zid];

		if (zone->per_cpu_pageset)
			n += (uint64_t)per_cpu_ptr(zone->per_cpu_pageset, 0)->count;
	}
	return n;
}

/*
 * The simulated time of reclaim (the model's cost rule, vmscan.c): one SIM_COST_PAGE_OP for
 * each shrink_inactive_list (its lru_lock section) and each shrink_active_list (after the
 * putback), and one for each page free_pcppages_bulk hands from the pcp lists to the buddy
 * lists (the pcp's own rule, counted here from the pcp's size before and after).  Measured as
 * the clock's difference between two runs whose page op costs differ by 1000:
 *  - direct reclaim of 5000 inactive page cache pages beside 600 active ones (inactive_is_low:
 *    5000 * 1 < 600 is false, no deactivation): the scan of
 *    direct_reclaim_scans_the_list_size_shifted_by_priority, 5 shrink_inactive_list calls
 *    (priorities 12 to 8) and no shrink_active_list;
 *  - shrink_node at priority 0 (get_scan_count: the whole lists) of 50 inactive and 100 active
 *    pages (50 < 100: low, deactivation on), nr_to_reclaim out of reach: shrink_lruvec takes
 *    SWAP_CLUSTER_MAX (32) a list a round, inactive 32 + 18, active 32 + 32 + 32 + 4: 2 + 4.
 */
static uint64_t reclaim_clock(uint32_t extra, uint64_t inactive, uint64_t active, int priority, uint64_t *bulk)
{
	struct address_space *m;
	uint64_t before, pcp_before, reclaimed, lru[4];
	struct sim_op op;
	bool hit;

	up();
	m = mapping_create(inactive + active);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < inactive + active; i++)
		for (int r = 0; r < (i < active ? 3 : 1); r++)
			cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
	sim_op_end(&op);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_ACTIVE_FILE], active));
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], inactive));
	sim->cost[SIM_COST_PAGE_OP] += extra;
	sim_engine_set_cpu(0);
	pcp_before = pcp_pages();
	before = sim->cur->clock_ns;
	if (priority == DEF_PRIORITY) {
		reclaimed = buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE);
	} else {
		struct scan_control s = { .gfp_mask = GFP_HIGHUSER_MOVABLE, .priority = priority,
					  .reclaim_idx = ZONE_MOVABLE, .nr_to_reclaim = 1000 };

		shrink_node(NODE_DATA(0), &s);
		reclaimed = s.nr_reclaimed;
		cr_assert(eq(uint, s.may_deactivate & DEACTIVATE_FILE, DEACTIVATE_FILE));
		cr_assert(eq(u64, reclaim_vm_event(PGREFILL), active));
	}
	before = sim->cur->clock_ns - before;
	cr_assert(lt(u64, 0, reclaimed));
	*bulk = pcp_before + reclaimed - pcp_pages();
	mapping_destroy(m);
	down();
	return before;
}

Test(buddy_lru_rules, reclaim_costs_a_page_op_per_list_scan_and_per_page_given_back, .fini = down)
{
	static const struct { uint64_t inactive, active; int priority; uint64_t scans; } cases[] = {
		{ 5000, 600, DEF_PRIORITY, 5 }, { 50, 100, 0, 2 + 4 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t bulk0, bulk1, base, raised;

		base = reclaim_clock(0, cases[i].inactive, cases[i].active, cases[i].priority, &bulk0);
		raised = reclaim_clock(1000, cases[i].inactive, cases[i].active, cases[i].priority, &bulk1);
		cr_assert(eq(u64, bulk0, bulk1), "case %zu", i);
		cr_expect(eq(u64, raised - base, 1000 * (cases[i].scans + bulk1)), "case %zu: %llu bulk-freed", i,
			  (unsigned long long)bulk1);
	}
}
