/*
 * test_buddy_vmscan_rules.c - reclaim's decision tables (models/buddy/vmscan.c against
 * mm/vmscan.c and mm/swap.c of Linux 6.1), suite `models/buddy_vmscan_rules`: when
 * shrink_lruvec stops, what a list scan counts and returns, which nodes shrink_zones visits,
 * when do_try_to_free_pages stops its priorities, the shrinker list's registration, the
 * accessed bits of folio_mark_accessed and the LRU sizes of the lowest zone.
 *
 * Strategy: a one-node machine with Normal and Movable zones (64 MiB each), one vCPU, page
 * cache read as a workload reads it (GFP_HIGHUSER_MOVABLE: the Movable zone); shrink_node is
 * called with a scan_control written per case, so each case reads one rule's outcome.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>

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

/* `inactive` pages read once, then `active` more read three times (folio_mark_accessed: active). */
static struct address_space *page_cache(uint64_t inactive, uint64_t active)
{
	struct address_space *m = mapping_create(inactive + active);
	struct sim_op op;
	bool hit;

	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (uint64_t i = 0; i < inactive + active; i++)
		for (int r = 0; r < (i < inactive ? 1 : 3); r++)
			cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
	sim_op_end(&op);
	return m;
}

/*
 * shrink_lruvec (mm/vmscan.c 6.1 lines 5880-5990, with the model's simplification: no rescaling
 * of the other list's target): get_scan_count with SCAN_FILE sets each file list's target to
 * its size >> priority; each round takes min(target, SWAP_CLUSTER_MAX = 32) of the inactive list
 * and then of the active one; after a round it goes on while nr_reclaimed (this call's own
 * count) < sc->nr_to_reclaim or reclaim is proportional (direct reclaim at DEF_PRIORITY only),
 * else stops.  shrink_list scans the active list only where prepare_scan_count allowed
 * deactivation (inactive_is_low: inactive * 1 < active below 1 GiB), and reclaims nothing
 * from it (shrink_active_list only moves pages, counting PGREFILL); shrink_inactive_list adds
 * what it isolated to sc->nr_scanned and counts PGSCAN_* and PGSTEAL_* for kswapd or direct
 * reclaim.  shrink_node adds to sc->nr_reclaimed and clears kswapd_failures when this call
 * reclaimed anything (the count at entry does not count).  Clean page cache: all isolated
 * inactive pages are reclaimed.  The scan_control enters with 7 already reclaimed.
 */
Test(buddy_vmscan_rules, shrink_lruvec_stops_once_its_own_rounds_meet_the_target, .fini = down)
{
	static const struct {
		uint64_t inactive, active;
		int priority;
		unsigned long nr_to_reclaim;
		bool kswapd;
		uint64_t reclaimed, refill;
	} cases[] = {
		{ 100, 0, 0, 32, false, 32, 0 },	/* 32 after the first round: 32 < 32 is false, stop */
		{ 100, 0, 0, 33, false, 64, 0 },	/* 32 < 33: one more round, 64 */
		{ 100, 0, 0, 32, true, 32, 0 },		/* kswapd: never proportional */
		{ 100, 0, 1, 1000, false, 50, 0 },	/* 100 >> 1: 32 + 18 */
		{ 100, 0, 2, 1000, true, 25, 0 },	/* 100 >> 2 */
		{ 40, 100, 0, 32, false, 32, 32 },	/* low: one round of each list, then stop */
		{ 40, 100, 0, 1000, false, 40, 100 },	/* 32 + 8 inactive; 32 + 32 + 32 + 4 active */
		{ 100, 40, 0, 1000, false, 100, 0 },	/* 100 * 1 < 40 is false: the active list stays */
		{ 0, 0, 0, 32, false, 0, 0 },		/* nothing: kswapd_failures stays */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scan_control s = { .gfp_mask = GFP_HIGHUSER_MOVABLE, .priority = cases[i].priority,
					  .reclaim_idx = ZONE_MOVABLE, .nr_to_reclaim = cases[i].nr_to_reclaim,
					  .kswapd = cases[i].kswapd, .nr_reclaimed = 7 };
		enum vm_event_item scan = cases[i].kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT;
		enum vm_event_item steal = cases[i].kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT;
		enum vm_event_item other = cases[i].kswapd ? PGSCAN_DIRECT : PGSCAN_KSWAPD;
		struct address_space *m;
		uint64_t lru[4], cached = 0, nr_active = 0;

		up();
		m = page_cache(cases[i].inactive, cases[i].active);
		NODE_DATA(0)->kswapd_failures = 3;
		sim_engine_set_cpu(0);
		shrink_node(NODE_DATA(0), &s);
		cr_expect(eq(u64, s.nr_reclaimed, 7 + cases[i].reclaimed), "case %zu", i);
		cr_expect(eq(u64, s.nr_scanned, cases[i].reclaimed), "case %zu", i);
		cr_expect(eq(u64, reclaim_vm_event(scan), cases[i].reclaimed), "case %zu", i);
		cr_expect(eq(u64, reclaim_vm_event(steal), cases[i].reclaimed), "case %zu", i);
		cr_expect(eq(u64, reclaim_vm_event(other), 0), "case %zu", i);
		cr_expect(eq(u64, reclaim_vm_event(PGREFILL), cases[i].refill), "case %zu", i);
		cr_expect(eq(u64, reclaim_vm_event(PGDEACTIVATE), cases[i].refill), "case %zu", i);
		cr_expect(eq(int, NODE_DATA(0)->kswapd_failures, cases[i].reclaimed ? 0 : 3), "case %zu", i);
		buddy_lru_sizes(0, lru);
		cr_expect(eq(u64, lru[LRU_ACTIVE_FILE], cases[i].active - cases[i].refill), "case %zu", i);
		cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], cases[i].inactive + cases[i].refill - cases[i].reclaimed),
			  "case %zu", i);
		/* the pages left are still in the page cache, on the LRU; the active ones unmoved */
		for (uint64_t j = 0; j < m->nr_pages; j++) {
			struct page *page;

			if (!m->i_pages[j])
				continue;
			page = pfn_to_page(m->i_pages[j] - 1);
			cached++;
			cr_expect(eq(u32, page->flags & PG_lru, PG_lru), "case %zu page %llu", i, (unsigned long long)j);
			nr_active += !!(page->flags & PG_active);
		}
		cr_expect(eq(u64, cached, cases[i].inactive + cases[i].active - cases[i].reclaimed), "case %zu", i);
		cr_expect(eq(u64, nr_active, cases[i].active - cases[i].refill), "case %zu", i);
		mapping_destroy(m);
		cr_assert(buddy_check(stderr));
		down();
	}
}

/*
 * shrink_inactive_list (mm/vmscan.c 6.1): "if (nr_taken == 0) return 0;" -- a target read from
 * the list sizes before the list lost its pages (a truncate between the two, on another CPU)
 * isolates nothing and reclaims nothing; shrink_active_list then moves nothing.  The sizes say
 * 5 inactive and 9 active pages (low: deactivation on) that the lists do not hold.
 */
Test(buddy_vmscan_rules, a_target_the_lists_no_longer_hold_reclaims_nothing, .fini = down)
{
	struct scan_control s = { .gfp_mask = GFP_HIGHUSER_MOVABLE, .priority = 0, .reclaim_idx = ZONE_MOVABLE,
				  .nr_to_reclaim = 1000 };
	struct lruvec *lruvec;

	up();
	lruvec = &NODE_DATA(0)->__lruvec;
	lruvec->lru_zone_size[ZONE_MOVABLE][LRU_INACTIVE_FILE] = 5;
	lruvec->lru_zone_size[ZONE_MOVABLE][LRU_ACTIVE_FILE] = 9;
	sim_engine_set_cpu(0);
	shrink_node(NODE_DATA(0), &s);
	lruvec->lru_zone_size[ZONE_MOVABLE][LRU_INACTIVE_FILE] = 0;
	lruvec->lru_zone_size[ZONE_MOVABLE][LRU_ACTIVE_FILE] = 0;
	cr_expect(eq(u64, s.nr_reclaimed, 0));
	cr_expect(eq(u64, s.nr_scanned, 0));
	cr_expect(eq(uint, s.may_deactivate & DEACTIVATE_FILE, DEACTIVATE_FILE));
	cr_expect(eq(u64, reclaim_vm_event(PGSCAN_DIRECT) + reclaim_vm_event(PGREFILL), 0));
}

/*
 * do_try_to_free_pages (mm/vmscan.c 6.1): ALLOCSTALL counted once, in the zone of reclaim_idx
 * (gfp_zone(GFP_HIGHUSER_MOVABLE): Movable); priorities from 12 down, stopping as soon as
 * sc->nr_reclaimed >= nr_to_reclaim (32).  80 inactive pages: nothing at priorities 12-7
 * (80 >> 7 = 0), then 1, 2, 4, 9 and 16 (priority 2: 64 >> 2) reclaimed: exactly 32, the
 * loop stops there with 48 left.  With nothing on the lists it returns 0 (no retry: no
 * deactivation was skipped).
 */
Test(buddy_vmscan_rules, direct_reclaim_stops_at_exactly_nr_to_reclaim, .fini = down)
{
	struct address_space *m;
	uint64_t lru[4];

	up();
	sim_engine_set_cpu(0);
	cr_expect(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), 0));
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_MOVABLE), 1));
	m = page_cache(80, 0);
	sim_engine_set_cpu(0);
	cr_expect(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), 32));
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_MOVABLE), 2));
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_NORMAL), 0));
	cr_expect(eq(u64, reclaim_vm_event(PGSCAN_DIRECT), 32));
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], 48));
	mapping_destroy(m);
}

#define MAX_LOG 256

static int shrink_log[MAX_LOG], nr_shrink_log;

struct log_shrinker {
	struct shrinker s;		/* first: the callbacks get &s */
	int id;
};

/* count_objects: log (id * 10 + the node asked), nothing to free */
static unsigned long log_count(struct shrinker *sh, struct shrink_control *c)
{
	if (nr_shrink_log < MAX_LOG)
		shrink_log[nr_shrink_log] = ((struct log_shrinker *)sh)->id * 10 + c->nid;
	nr_shrink_log++;
	return 0;
}

/*
 * shrink_zones (mm/vmscan.c 6.1) walks the zonelist up to reclaim_idx and shrinks each node
 * once per priority ("if (zone->zone_pgdat == last_pgdat) continue"), in zonelist order
 * (the local node first).  Two nodes, each with Normal and Movable zones, no page cache:
 * 13 priorities, each asking node 0 and then node 1 once (shrink_slab's count_objects), though
 * each node has two zones in the zonelist.
 */
Test(buddy_vmscan_rules, shrink_zones_shrinks_each_node_once_per_priority, .fini = down)
{
	uint64_t zones[2][4] = { { 0, 0, 64, 64 }, { 0, 0, 64, 64 } };
	int c[2] = { 1, 1 };
	static struct log_shrinker ls = { .s = { .count_objects = log_count, .seeks = DEFAULT_SEEKS }, .id = 1 };

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	nr_shrink_log = 0;
	cr_assert(eq(int, register_shrinker(&ls.s, "log"), 0));
	sim_engine_set_cpu(0);
	cr_expect(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), 0));
	unregister_shrinker(&ls.s);
	cr_assert(eq(int, nr_shrink_log, 2 * (DEF_PRIORITY + 1)));
	for (int i = 0; i < nr_shrink_log; i++)
		cr_expect(eq(int, shrink_log[i], 10 + i % 2), "call %d", i);
}

/* One pass of shrink_slab (shrink_node on an empty node at DEF_PRIORITY); the ids asked, in order. */
static int shrink_slab_order(int *ids)
{
	struct scan_control s = { .gfp_mask = GFP_KERNEL, .priority = DEF_PRIORITY, .reclaim_idx = ZONE_MOVABLE,
				  .nr_to_reclaim = SWAP_CLUSTER_MAX };

	nr_shrink_log = 0;
	shrink_node(NODE_DATA(0), &s);
	for (int i = 0; i < nr_shrink_log && i < MAX_LOG; i++)
		ids[i] = shrink_log[i] / 10;
	return nr_shrink_log;
}

/*
 * register_shrinker (mm/vmscan.c 6.1: prealloc_shrinker + register_shrinker_prepared) returns
 * 0 on success, names the shrinker (CONFIG_SHRINKER_DEBUG), starts it with no deferred work
 * (nr_deferred is a zeroed allocation) and adds it to shrinker_list, which shrink_slab walks;
 * unregister_shrinker takes out that one shrinker, wherever it is, and nothing for one not
 * registered.  The model appends (the visit order is registration order).  Shrinkers come in
 * with stale fields (a deferred count, a next pointer to another shrinker).  The list is the
 * model's, emptied by the machine's teardown (vmscan_exit): a shrinker left registered is not
 * asked on the next machine.
 */
Test(buddy_vmscan_rules, the_shrinker_list_takes_and_gives_back_the_shrinker_named, .fini = down)
{
	static struct log_shrinker a = { .s = { .count_objects = log_count, .seeks = DEFAULT_SEEKS }, .id = 1 };
	static struct log_shrinker b = { .s = { .count_objects = log_count, .seeks = DEFAULT_SEEKS }, .id = 2 };
	static struct log_shrinker d = { .s = { .count_objects = log_count, .seeks = DEFAULT_SEEKS }, .id = 3 };
	int ids[MAX_LOG];

	up();
	a.s.nr_deferred = 77;
	a.s.next = &d.s;
	b.s.nr_deferred = 5;
	cr_expect(eq(int, register_shrinker(&a.s, "sb-a"), 0));
	cr_expect(eq(int, register_shrinker(&b.s, "sb-b"), 0));
	cr_expect(eq(int, register_shrinker(&d.s, "sb-d"), 0));
	cr_expect(eq(str, (char *)a.s.name, "sb-a"));
	cr_expect(eq(str, (char *)d.s.name, "sb-d"));
	cr_expect(eq(i64, a.s.nr_deferred, 0));
	cr_expect(eq(i64, b.s.nr_deferred, 0));
	cr_assert(eq(int, shrink_slab_order(ids), 3));
	cr_expect(eq(int, ids[0], 1));
	cr_expect(eq(int, ids[1], 2));
	cr_expect(eq(int, ids[2], 3));

	unregister_shrinker(&b.s);		/* the middle one */
	cr_assert(eq(int, shrink_slab_order(ids), 2));
	cr_expect(eq(int, ids[0], 1));
	cr_expect(eq(int, ids[1], 3));
	unregister_shrinker(&b.s);		/* no longer registered: nothing changes */
	cr_assert(eq(int, shrink_slab_order(ids), 2));
	unregister_shrinker(&a.s);		/* the head */
	cr_assert(eq(int, shrink_slab_order(ids), 1));
	cr_expect(eq(int, ids[0], 3));
	cr_expect(eq(int, register_shrinker(&b.s, "sb-b"), 0));
	cr_assert(eq(int, shrink_slab_order(ids), 2));
	cr_expect(eq(int, ids[0], 3));
	cr_expect(eq(int, ids[1], 2));

	/* left registered across a teardown: the next machine's list is empty */
	down();
	up();
	cr_expect(eq(int, shrink_slab_order(ids), 0));
}

/*
 * reclaim_vm_event reads the machine's event counters (/proc/vmstat's events); an item past
 * the last (NR_VM_EVENT_ITEMS or more) is no event and reads 0.
 */
Test(buddy_vmscan_rules, an_event_past_the_last_reads_zero, .fini = down)
{
	up();
	sim_engine_set_cpu(0);
	cr_expect(eq(u64, buddy_try_to_free_pages(0, 0, GFP_HIGHUSER_MOVABLE), 0));
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_MOVABLE), 1));
	cr_expect(eq(u64, reclaim_vm_event(NR_VM_EVENT_ITEMS), 0));
	cr_expect(eq(u64, reclaim_vm_event((enum vm_event_item)(NR_VM_EVENT_ITEMS + 1)), 0));
}

/*
 * folio_mark_accessed (mm/swap.c 6.1): an unreferenced folio becomes referenced; a referenced
 * inactive one on the LRU is activated (folio_activate: onto the active list, PGACTIVATE) and
 * loses PG_referenced; an active one is only marked referenced again, and an active
 * referenced one stays as it is.  A referenced folio off the LRU is not moved to a list
 * (folio_activate acts on LRU folios only) and still loses PG_referenced.
 */
Test(buddy_vmscan_rules, folio_mark_accessed_walks_referenced_then_active, .fini = down)
{
	static const struct { unsigned long flags; uint64_t activated; } after[] = {
		{ PG_lru, 0 },				/* read 1: filemap_add_folio */
		{ PG_lru | PG_referenced, 0 },		/* read 2 */
		{ PG_lru | PG_active, 1 },		/* read 3: activated, referenced cleared */
		{ PG_lru | PG_active | PG_referenced, 1 },
		{ PG_lru | PG_active | PG_referenced, 1 },
	};
	const unsigned long bits = PG_lru | PG_active | PG_referenced | PG_swapbacked;
	struct address_space *m;
	struct page *page = NULL, *off;
	uint64_t lru[4];
	struct sim_op op;
	bool hit;

	up();
	m = mapping_create(1);
	cr_assert(ne(ptr, (void *)m, NULL));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		page = filemap_read_page(m, 0, 0, &hit);
		cr_assert(ne(ptr, (void *)page, NULL));
		cr_expect(eq(int, hit, i > 0), "read %zu", i + 1);
		cr_expect(eq(ulong, page->flags & bits, after[i].flags), "read %zu", i + 1);
		cr_expect(eq(u64, reclaim_vm_event(PGACTIVATE), after[i].activated), "read %zu", i + 1);
	}
	sim_op_end(&op);
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_ACTIVE_FILE], 1));
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], 0));

	off = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)off, NULL));
	off->flags &= ~bits;
	off->flags |= PG_referenced;
	mark_page_accessed(off);
	cr_expect(eq(ulong, off->flags & bits, 0));
	cr_expect(eq(u64, reclaim_vm_event(PGACTIVATE), 1));
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_ACTIVE_FILE] + lru[LRU_INACTIVE_FILE], 1));
	helper_buddy_free(0, off, 0, NULL);
	mapping_destroy(m);
	cr_assert(buddy_check(stderr));
}

/*
 * lruvec_lru_size (mm/vmscan.c 6.1) sums the zones from ZONE_DMA (zid 0) up to the index
 * asked, and zone_reclaimable_pages reads the zone's own file lists: a page cache page in
 * ZONE_DMA is counted by the node's sizes, by that zone's reclaimable pages, and reclaimed
 * by a DMA request's reclaim (reclaim_idx ZONE_DMA, the whole list at priority 0).
 */
Test(buddy_vmscan_rules, a_page_cache_page_in_zone_dma_is_counted_and_reclaimed, .fini = down)
{
	uint64_t zones[1][4] = { { 16, 64, 0, 0 } };
	int c[1] = { 1 };
	struct scan_control s = { .gfp_mask = GFP_DMA, .priority = 0, .reclaim_idx = ZONE_DMA,
				  .nr_to_reclaim = SWAP_CLUSTER_MAX };
	static uint32_t slot;
	struct page *page;
	uint64_t lru[4];

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	page = helper_buddy_alloc(0, 0, GFP_DMA, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(eq(int, page->zid, ZONE_DMA));
	page->flags |= PG_active | PG_referenced;	/* filemap_add_page: a new page cache page, inactive */
	filemap_add_page(page, &slot);
	cr_expect(eq(u32, slot, (uint32_t)(page_to_pfn(page) + 1)), "the slot holds pfn + 1 (0: empty)");
	cr_expect(eq(u32, page->flags & (PG_lru | PG_active | PG_referenced), PG_lru));
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], 1));
	cr_expect(eq(u64, zone_reclaimable_pages(&NODE_DATA(0)->node_zones[ZONE_DMA]), 1));
	cr_expect(eq(u64, zone_reclaimable_pages(&NODE_DATA(0)->node_zones[ZONE_DMA32]), 0));
	sim_engine_set_cpu(0);
	shrink_node(NODE_DATA(0), &s);
	cr_expect(eq(u64, s.nr_reclaimed, 1));
	cr_expect(eq(u32, slot, 0), "reclaim took it out of the page cache");
	/* free_pages_prepare: no LRU bit and no mapping on a free page */
	cr_expect(eq(u32, page->flags & (PG_lru | PG_active | PG_referenced | PG_swapbacked), 0));
	cr_expect(eq(ptr, page->slab_meta, NULL));
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	cr_assert(buddy_check(stderr));
}

/*
 * The model's cost of a page cache hit (filemap_read -> filemap_get_read_batch, vmscan.c): one
 * SIM_COST_MEM on the reading CPU's clock, whatever folio_mark_accessed then does.  Measured as
 * the difference between two hits whose SIM_COST_MEM differs by 1000.
 */
Test(buddy_vmscan_rules, a_page_cache_hit_costs_one_memory_access, .fini = down)
{
	struct address_space *m;
	uint64_t t0, t1, t2;
	bool hit;

	up();
	m = page_cache(1, 0);
	sim_engine_set_cpu(0);
	t0 = sim->cur->clock_ns;
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	cr_assert(hit);
	t1 = sim->cur->clock_ns;
	sim->cost[SIM_COST_MEM] += 1000;
	cr_assert(ne(ptr, (void *)filemap_read_page(m, 0, 0, &hit), NULL));
	cr_assert(hit);
	t2 = sim->cur->clock_ns;
	cr_expect(eq(u64, (t2 - t1) - (t1 - t0), 1000));
	mapping_destroy(m);
}

/*
 * prepare_scan_count (mm/vmscan.c 6.1) decides deactivation afresh on every shrink_node: with
 * force_deactivate both lists may be deactivated, whatever their sizes; otherwise each bit is
 * set exactly when inactive_is_low says so, and a bit set by an earlier call (an earlier node
 * or priority, the same scan_control) does not stay.  Sizes set as counters (priority 12:
 * targets of 0, nothing is scanned): first both lists low (10 inactive against 20 active),
 * then neither (20 against 10), then neither again with force_deactivate.
 */
Test(buddy_vmscan_rules, deactivation_is_decided_afresh_on_each_shrink_node, .fini = down)
{
	struct scan_control s = { .gfp_mask = GFP_HIGHUSER_MOVABLE, .priority = DEF_PRIORITY,
				  .reclaim_idx = ZONE_MOVABLE, .nr_to_reclaim = SWAP_CLUSTER_MAX };
	static const struct { unsigned long inactive, active; bool force; unsigned int want; } steps[] = {
		{ 10, 20, false, DEACTIVATE_ANON | DEACTIVATE_FILE },
		{ 20, 10, false, 0 },
		{ 20, 10, true, DEACTIVATE_ANON | DEACTIVATE_FILE },
	};
	unsigned long (*size)[NR_LRU_LISTS];

	up();
	size = NODE_DATA(0)->__lruvec.lru_zone_size;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		size[ZONE_NORMAL][LRU_INACTIVE_ANON] = steps[i].inactive;
		size[ZONE_NORMAL][LRU_ACTIVE_ANON] = steps[i].active;
		size[ZONE_NORMAL][LRU_INACTIVE_FILE] = steps[i].inactive;
		size[ZONE_NORMAL][LRU_ACTIVE_FILE] = steps[i].active;
		s.force_deactivate = steps[i].force;
		shrink_node(NODE_DATA(0), &s);
		cr_expect(eq(uint, s.may_deactivate, steps[i].want), "step %zu", i);
	}
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		size[ZONE_NORMAL][lru] = 0;
	cr_expect(eq(u64, s.nr_reclaimed, 0));
}

/*
 * A page leaving the LRU to be freed goes back clean (free_pages_prepare, mm/page_alloc.c 6.1:
 * page->mapping = NULL and the flags of PAGE_FLAGS_CHECK_AT_PREP cleared; a free page with
 * PG_lru or PG_active would be a bad page): an anonymous page freed by its task's exit
 * (exit_mmap -> the model's reclaim_free_page) has no PG_swapbacked, PG_lru, PG_active nor
 * PG_referenced and no owner left, though it was swap-backed, active and referenced.
 */
Test(buddy_vmscan_rules, an_anonymous_page_is_freed_clean, .fini = down)
{
	const uint32_t bits = PG_lru | PG_active | PG_referenced | PG_swapbacked;
	struct page *page;
	struct mm_struct *mm;

	up();
	mm = mm_create(4343, "anon");
	cr_assert(ne(ptr, (void *)mm, NULL));
	page = do_anonymous_page(mm, 0);
	cr_assert(ne(ptr, (void *)page, NULL));
	mark_page_accessed(page);
	mark_page_accessed(page);
	mark_page_accessed(page);
	cr_assert(eq(u32, page->flags & bits, bits));
	cr_assert(eq(ptr, page->slab_meta, (void *)mm));
	mm_exit(mm);
	cr_expect(eq(u32, page->flags & bits, 0));
	cr_expect(eq(ptr, page->slab_meta, NULL));
	cr_assert(buddy_check(stderr));
}
