/*
 * test_reclaim.c - reclaim in the buddy model (models/buddy/vmscan.c,
 * kswapd.c, oom_kill.c), suite `reclaim`.
 *
 * Strategy: a one-node machine without a running engine; fill a zone with
 * page cache (filemap_read_page) or a task's anonymous memory
 * (do_anonymous_page) until it is below its low watermark, then check what
 * kswapd's turn (buddy_kswapd_run_now), direct reclaim (an allocation's slow
 * path) and the OOM killer do: the boost reset, the watermarks met, the
 * pages reclaimed and the counters, the victim chosen.  A full run of
 * scenarios/small-memory.json shows the boost decaying with kswapd run by
 * the engine.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define Z(nid, zid) (&NODE_DATA(nid)->node_zones[zid])

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/* One node, one DMA32 zone of `mib` MiB, one vCPU. */
static void up_dma32(uint64_t mib)
{
	uint64_t zones[1][4] = { { 0, mib, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/*
 * The vmstat worker's fold of the one CPU's diffs (refresh_cpu_vm_stats, once a second
 * in the kernel): the watermark checks then read the exact free count, so a zone filled
 * down to min fails them at once, not after should_reclaim_retry's snapshot retries.
 */
static void vmstat_fold(void)
{
	refresh_cpu_vm_stats(0);
}

#define has_label helper_slab_op_has_label	/* the op's kept labels include it */

/* Page cache of `pages` pages, each read once (inside an op, as a workload would). */
static struct address_space *fill_page_cache(uint64_t pages)
{
	struct address_space *m = mapping_create(pages);

	cr_assert(ne(ptr, (void *)m, NULL));
	for (uint64_t i = 0; i < pages; i++) {
		struct sim_op op;
		bool hit;

		sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
		cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL), "page %llu", (unsigned long long)i);
		sim_op_end(&op);
	}
	return m;
}

Test(reclaim, kswapd_resets_the_boost_and_sleeps, .fini = down)
{
	struct zone *zone;

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	zone->watermark_boost = 512;
	cr_assert(buddy_kswapd_sleeping(0));
	/* balanced but boosted: kswapd is woken */
	wakeup_kswapd(zone, 0, 0, ZONE_DMA32);
	cr_assert(eq(int, NODE_DATA(0)->kswapd_highest_zoneidx, ZONE_DMA32));
	buddy_kswapd_run_now(0);
	cr_assert(eq(u64, zone->watermark_boost, 0));
	cr_assert(buddy_kswapd_sleeping(0));
	cr_assert(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1));
	/* nothing to reclaim: a boosted pass that frees nothing counts a failure */
	cr_assert(eq(int, buddy_kswapd_failures(0), 1));
	cr_assert(eq(int, NODE_DATA(0)->kswapd_highest_zoneidx, MAX_NR_ZONES));
}

/*
 * pgdat_balanced (mm/vmscan.c): "If a node has no managed zone within highest_zoneidx, it does
 * not need balancing" -- true when the loop over zones 0..highest_zoneidx met no managed zone.
 * A node with Normal memory only, kswapd asked for ZONE_DMA32: balance_pgdat returns at once
 * (PAGEOUTRUN counted, nothing scanned), and kswapd sleeps without a failure (a pass that
 * reclaimed nothing would count one in kswapd_failures).
 */
Test(reclaim, kswapd_below_every_managed_zone_is_balanced, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 0, 16, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	wakeup_kswapd(Z(0, ZONE_NORMAL), GFP_KERNEL, 0, ZONE_DMA32);
	cr_assert(eq(int, NODE_DATA(0)->kswapd_highest_zoneidx, ZONE_DMA32));
	buddy_kswapd_run_now(0);
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1));
	cr_expect(eq(u64, reclaim_vm_event(PGSCAN_KSWAPD), 0));
	cr_expect(eq(int, buddy_kswapd_failures(0), 0));
	cr_expect(buddy_kswapd_sleeping(0));
}

/*
 * wakeup_kswapd (mm/vmscan.c) raises the request kswapd will read: kswapd_highest_zoneidx is set
 * when none is pending (MAX_NR_ZONES) or when the new one is higher, and never lowered; kswapd
 * takes it and resets it to MAX_NR_ZONES (kswapd: "pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES").
 */
Test(reclaim, kswapd_wakeups_raise_the_zone_index_never_lower_it, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 32, 32, 0 } };
	int c[1] = { 1 };
	struct pglist_data *pgdat;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	pgdat = NODE_DATA(0);
	cr_assert(eq(int, pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES));
	wakeup_kswapd(Z(0, ZONE_NORMAL), GFP_KERNEL, 0, ZONE_NORMAL);
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, ZONE_NORMAL));
	wakeup_kswapd(Z(0, ZONE_DMA32), GFP_DMA32, 0, ZONE_DMA32);
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, ZONE_NORMAL));
	buddy_kswapd_run_now(0);
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES));
	wakeup_kswapd(Z(0, ZONE_DMA32), GFP_DMA32, 0, ZONE_DMA32);
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, ZONE_DMA32));
	wakeup_kswapd(Z(0, ZONE_NORMAL), GFP_KERNEL, 0, ZONE_NORMAL);
	cr_expect(eq(int, pgdat->kswapd_highest_zoneidx, ZONE_NORMAL));
}

Test(reclaim, kswapd_wakes_below_low_and_reclaims_to_high, .fini = down)
{
	struct address_space *m;
	struct zone *zone;
	struct sim_op op;
	uint64_t lru[4];
	struct page *page;

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	/* above high: a wakeup does not start kswapd */
	wakeup_kswapd(zone, GFP_KERNEL, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_assert(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1));
	cr_assert(eq(u64, reclaim_vm_event(PGSCAN_KSWAPD), 0), "balanced: balance_pgdat returns at once");

	/* page cache down to the low watermark: the next allocation wakes kswapd */
	m = fill_page_cache((uint64_t)zone_page_state_snapshot(zone, NR_FREE_PAGES) - low_wmark_pages(zone) + 1);
	drain_all_pages();
	cr_assert(lt(u64, (uint64_t)zone_page_state_snapshot(zone, NR_FREE_PAGES), low_wmark_pages(zone)));
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "wakeup_kswapd"), "below low: wake_all_kswapds wakes the node's kswapd");
	cr_assert(eq(int, NODE_DATA(0)->kswapd_queued, 0), "no engine running: nothing queued");
	buddy_kswapd_run_now(0);
	cr_assert(buddy_kswapd_sleeping(0));
	cr_assert(ge(u64, (uint64_t)zone_page_state_snapshot(zone, NR_FREE_PAGES), high_wmark_pages(zone)), "free %ld high %lu",
		  (long)zone_page_state_snapshot(zone, NR_FREE_PAGES), high_wmark_pages(zone));
	cr_assert(lt(u64, 0, reclaim_vm_event(PGSTEAL_KSWAPD)));
	cr_assert(eq(u64, reclaim_vm_event(PGSTEAL_KSWAPD), reclaim_vm_event(PGSCAN_KSWAPD)),
		  "clean page cache: every page scanned is reclaimed");
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE] + lru[LRU_ACTIVE_FILE] + reclaim_vm_event(PGSTEAL_KSWAPD),
		     m->nr_pages));
	cr_assert(eq(int, buddy_kswapd_failures(0), 0));
	helper_buddy_free(0, page, 0, NULL);
	mapping_destroy(m);
	cr_assert(buddy_check(stderr));
}

Test(reclaim, second_access_activates_and_reclaim_takes_the_inactive_first, .fini = down)
{
	struct address_space *m;
	struct page *hot;
	uint64_t lru[4];
	bool hit;

	up_dma32(64);
	m = fill_page_cache(1000);
	hot = filemap_read_page(m, 7, 0, &hit);
	cr_assert(hit);
	cr_assert(eq(u32, hot->flags & PG_active, 0));
	filemap_read_page(m, 7, 0, &hit);
	cr_assert(ne(u32, hot->flags & PG_active, 0), "mark_page_accessed twice: activated");
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_ACTIVE_FILE], 1));
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 999));
	cr_assert(ge(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL), SWAP_CLUSTER_MAX));
	cr_assert(ne(u32, m->i_pages[7], 0), "the active page survives");
	cr_assert(eq(u32, m->i_pages[0], 0), "the oldest inactive page went first");
	mapping_destroy(m);
}

/*
 * shrink_list (mm/vmscan.c): an active list is only ever deactivated (shrink_active_list:
 * PGREFILL for each page scanned, PGDEACTIVATE for each moved to the inactive list; the model's
 * clean unmapped page cache moves every one), never reclaimed from; pages are reclaimed from the
 * inactive list only.  Page cache read twice more is all active: a reclaim pass must deactivate before
 * it can free anything, and every page it frees went through the inactive list.
 */
Test(reclaim, active_pages_are_deactivated_not_reclaimed, .fini = down)
{
	struct address_space *m;
	uint64_t lru[4], freed;
	bool hit;

	up_dma32(64);
	m = fill_page_cache(1000);
	for (int pass = 0; pass < 2; pass++)		/* mark_page_accessed: referenced, then active */
		for (uint64_t i = 0; i < 1000; i++)
			filemap_read_page(m, i, 0, &hit);
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_ACTIVE_FILE], 1000));
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	freed = buddy_try_to_free_pages(0, 0, GFP_KERNEL);
	cr_expect(lt(u64, 0, reclaim_vm_event(PGREFILL)));
	cr_expect(eq(u64, reclaim_vm_event(PGDEACTIVATE), reclaim_vm_event(PGREFILL)));
	cr_expect(le(u64, freed, reclaim_vm_event(PGDEACTIVATE)), "freed only what was deactivated first");
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_ACTIVE_FILE], 1000 - reclaim_vm_event(PGDEACTIVATE)));
	/* move_folios_to_lru puts each deactivated page back with PG_lru set: it is on the LRU, so two
	 * more reads activate it again (folio_activate needs folio_test_lru); the pages never scanned
	 * stay active: every page left is active after that */
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t i = 0; i < 1000; i++) {
			if (!m->i_pages[i])
				continue;
			cr_expect(ne(u32, pfn_to_page(m->i_pages[i] - 1)->flags & PG_lru, 0), "page %llu",
				  (unsigned long long)i);
			filemap_read_page(m, i, 0, &hit);
		}
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_ACTIVE_FILE], 1000 - freed));
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	mapping_destroy(m);
}

Test(reclaim, direct_reclaim_frees_the_request_before_the_retry, .fini = down)
{
	struct address_space *m;
	struct zone *zone;
	struct sim_op op;
	struct page *page;
	uint64_t lru[4];

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	/* page cache down to the min watermark: only reclaim can serve the next request */
	m = mapping_create(1 << 20);
	for (uint64_t i = 0; (uint64_t)zone_page_state(zone, NR_FREE_PAGES) > min_wmark_pages(zone); i++) {
		bool hit;

		cr_assert(ne(ptr, (void *)filemap_read_page(m, i, 0, &hit), NULL));
		drain_all_pages();
		vmstat_fold();
	}
	cr_assert(eq(u64, reclaim_vm_event(PGSTEAL_DIRECT), 0));
	buddy_lru_sizes(0, lru);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 2, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_direct_reclaim"));
	cr_assert(has_label(&op, "try_to_free_pages"));
	cr_assert(has_label(&op, "shrink_inactive_list"));
	cr_assert(not(has_label(&op, "__alloc_pages_direct_reclaim:no_progress")));
	cr_assert(ge(u64, reclaim_vm_event(PGSTEAL_DIRECT), 4), "at least the 4 pages asked for");
	cr_assert(ge(u64, reclaim_vm_event(PGSTEAL_DIRECT), SWAP_CLUSTER_MAX));
	cr_assert(eq(u64, reclaim_vm_event(ALLOCSTALL_NORMAL), 1), "counted at reclaim_idx: gfp_zone(GFP_KERNEL)");
	helper_buddy_free(0, page, 2, NULL);
	mapping_destroy(m);
	cr_assert(buddy_check(stderr));
}

static unsigned long test_objs, test_scanned;

static unsigned long test_count(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh, (void)c;
	return test_objs;
}

static unsigned long test_scan(struct shrinker *sh, struct shrink_control *c)
{
	unsigned long n = c->nr_to_scan < test_objs ? c->nr_to_scan : test_objs;

	(void)sh;
	test_objs -= n;
	test_scanned += c->nr_to_scan;
	return n;
}

Test(reclaim, shrinker_scans_in_batches, .fini = down)
{
	struct shrinker s = { 0 };

	up_dma32(64);
	test_objs = 100000;
	test_scanned = 0;
	s.count_objects = test_count;
	s.scan_objects = test_scan;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "test");
	/* nothing on the LRU: direct reclaim runs every priority; each pass scans freeable >> prio * 4 / 2 */
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL), 0));
	cr_assert(lt(u64, 0, test_scanned));
	cr_assert(eq(u64, reclaim_vm_event(SLABS_SCANNED), test_scanned));
	cr_assert(eq(u64, test_scanned % SHRINK_BATCH, 0), "scans in batches of 128");
	unregister_shrinker(&s);
}

/*
 * kswapd is off its wait queue while it works: kswapd() is woken from schedule() in
 * kswapd_try_to_sleep and only goes back there (prepare_to_wait) when balance_pgdat is done, so
 * wakeup_kswapd's waitqueue_active(&pgdat->kswapd_wait) is false meanwhile and a wakeup then only
 * raises the request.  A shrinker's count_objects, called from balance_pgdat's shrink_slab on a
 * boosted zone, sees kswapd not waiting; before and after, it is.
 */
static int wait_active_seen = -1;

static unsigned long count_wait_active(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	(void)c;
	wait_active_seen = NODE_DATA(0)->kswapd_wait_active;
	return 0;
}

Test(reclaim, kswapd_is_off_its_wait_queue_while_it_balances, .fini = down)
{
	struct shrinker s = { 0 };

	up_dma32(64);
	s.count_objects = count_wait_active;
	s.scan_objects = test_scan;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "wait_active");
	Z(0, ZONE_DMA32)->watermark_boost = 512;
	cr_assert(buddy_kswapd_sleeping(0));
	wait_active_seen = -1;
	wakeup_kswapd(Z(0, ZONE_DMA32), 0, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_expect(eq(int, wait_active_seen, 0));
	cr_expect(buddy_kswapd_sleeping(0));
	unregister_shrinker(&s);
}

Test(reclaim, oom_kills_the_largest_task_and_the_allocation_succeeds, .fini = down)
{
	struct mm_struct *small, *big;
	const struct oom_kill_record *r;
	struct zone *zone;
	struct sim_op op;
	struct page *page;
	long big_rss;

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	small = mm_create(2001, "small");
	big = mm_create(2002, "big");
	for (long i = 0; i < 1000; i++)
		cr_assert(ne(ptr, (void *)do_anonymous_page(small, 0), NULL));
	while ((uint64_t)zone_page_state(zone, NR_FREE_PAGES) > min_wmark_pages(zone)) {
		cr_assert(ne(ptr, (void *)do_anonymous_page(big, 0), NULL));
		drain_all_pages();
		vmstat_fold();
	}
	drain_all_pages();
	vmstat_fold();
	big_rss = big->rss;
	cr_assert(lt(i64, small->rss, big_rss));
	/* no page cache, no swap: reclaim frees nothing, the OOM killer picks the largest task */
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_direct_reclaim:no_progress"));
	cr_assert(has_label(&op, "out_of_memory"));
	cr_assert(has_label(&op, "__oom_kill_process"));
	cr_assert(eq(int, oom_kill_nr_records(), 1));
	r = oom_kill_record(0);
	cr_assert(eq(int, r->pid, 2002));
	cr_assert(eq(u64, r->freed_pages, (uint64_t)big_rss));
	cr_assert(eq(u64, r->anon_rss_kb, (uint64_t)big_rss * 4));
	cr_assert(big->oom_killed);
	cr_assert(eq(i64, big->rss, 0));
	cr_assert(eq(int, small->oom_killed, 0));
	cr_assert(eq(u64, reclaim_vm_event(OOM_KILL), 1));
	helper_buddy_free(0, page, 0, NULL);
	mm_exit(small);
	mm_exit(big);
	cr_assert(buddy_check(stderr));
}

Test(reclaim, oom_lock_held_means_progress_and_a_retry, .fini = down)
{
	struct zone *zone;
	struct sim_op op;
	struct page *page;
	struct mm_struct *mm;

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	mm = mm_create(3000, "hog");
	while ((uint64_t)zone_page_state(zone, NR_FREE_PAGES) > min_wmark_pages(zone)) {
		cr_assert(ne(ptr, (void *)do_anonymous_page(mm, 0), NULL));
		drain_all_pages();
		vmstat_fold();
	}
	drain_all_pages();
	vmstat_fold();
	/* another task holds the oom_lock: this one retries; an atomic request fails at once */
	cr_assert(mutex_trylock_oom_lock());
	page = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NORETRY, 0, &op);
	cr_assert(eq(ptr, (void *)page, NULL));
	cr_assert(not(has_label(&op, "out_of_memory")), "__GFP_NORETRY never reaches the OOM killer");
	/* GFP_KERNEL: the busy lock counts as progress, so it retries (sleeping a jiffy on the engine)
	 * until the model's bound on OOM rounds */
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(eq(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__alloc_pages_may_oom:oom_lock_busy"));
	cr_assert(not(has_label(&op, "out_of_memory")));
	cr_assert(not(mm->oom_killed));
	mutex_unlock_oom_lock();
	/* the lock free: the same request kills the hog and succeeds */
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(has_label(&op, "__oom_kill_process"));
	helper_buddy_free(0, page, 0, NULL);
	mm_exit(mm);
	cr_assert(buddy_check(stderr));
}

/* Run a ready scenario in a fresh directory; returns the database path, *out the summary (the caller frees all). */
static char *run_scenario(const char *name, char **dir, char **out)
{
	char *sc_path = NULL, *db = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "run", NULL, "--db", "r.db", NULL };

	*dir = helper_tmpdir();
	cr_assert(asprintf(&sc_path, "%s/scenarios/%s.json", getenv("KMEMSIM_SOURCE_ROOT"), name) > 0);
	argv[2] = sc_path;
	cr_assert(eq(int, helper_run_kmemsim(*dir, argv, out, &err), 0), "%s", err);
	cr_assert(asprintf(&db, "%s/r.db", *dir) > 0);
	free(sc_path);
	free(err);
	return db;
}

/* kswapd on the engine: woken below low, reclaims the page cache on its kworker, clears the boost. */
Test(reclaim, memory_pressure_scenario_runs_kswapd)
{
	char *dir, *out, *db = run_scenario("memory-pressure", &dir, &out);

	/* kswapd's frees: on the node's kworker (pid -1), each a shrink_folio_list free */
	cr_assert(lt(i64, 10000, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE o.task = -1 AND o.kind = 'page_free'"
					    " AND p.path LIKE 'shrink_folio_list>%'")));
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE p.path LIKE '%wake_all_kswapds>wakeup_kswapd%'")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT max(boost) FROM zones"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	cr_assert(eq(ptr, strstr(out, "Out of memory"), NULL));
	free(out);
	free(db);
	helper_rmtree(dir);
}

/* The OOM killer on the engine: the largest task (pid 6001) is killed and reaped, nothing fails. */
Test(reclaim, oom_scenario_kills_the_largest_task)
{
	char *dir, *out, *db = run_scenario("oom", &dir, &out);

	cr_assert(eq(i64, helper_db_int(db, "SELECT count(DISTINCT o.task) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE p.path LIKE '%__oom_reap_task_mm%'"), 1));
	/* one allocation invoked the killer; the reaper freed the victim's pages, nested in it */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE p.path LIKE '%out_of_memory>__oom_kill_process%'"), 1));
	cr_assert(lt(i64, 10000, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE p.path LIKE '__oom_reap_task_mm>%' AND o.parent_seq = (SELECT o2.seq"
					    " FROM v_ops o2 JOIN path_sigs p2 ON p2.sig = o2.sig"
					    " WHERE p2.path LIKE '%__oom_kill_process%')")));
	/* the victim faulted less than it wanted */
	cr_assert(lt(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE task = 6001 AND kind = 'page_alloc'"
					    " AND migratetype = 1"), 20000));
	cr_assert(le(i64, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE o.task = 6001 AND p.path LIKE 'exit_mmap>%'"), 1),
		  "at most the page its own allocation got after the kill");
	/* the others faulted everything and freed it on exit */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE o.task IN (6000, 6002) AND p.path LIKE 'exit_mmap>%'"), 16000));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	/* the kernel's log lines, in the summary */
	cr_assert(ne(ptr, strstr(out, "Out of memory: Killed process 6001 (anon) total-vm:"), NULL), "%s", out);
	cr_assert(ne(ptr, strstr(out, "oom_reaper: reaped process 6001 (anon), freed "), NULL), "%s", out);
	free(out);
	free(db);
	helper_rmtree(dir);
}

Test(reclaim, memory_task_on_a_missing_cpu_is_bad_input)
{
	char *dir = helper_tmpdir(), *out = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "run", "bad.json", "--quiet", "--db", "x.db", NULL };

	char *bad = helper_write_file(dir, "bad.json", "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"dma32\": 64}}]},"
					   " \"memory\": {\"anon\": [{\"cpu\": 3, \"pages\": 10}]}}");
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, &out, &err), 2));
	cr_assert(eq(str, err, "bad.json: memory.anon[0].cpu: no vCPU 3 on a machine of 1\n"));
	free(bad);
	free(out);
	free(err);
	helper_rmtree(dir);
}

/* A replayed page cache page: reclaim frees it and clears the holder's slot; removed, it is the holder's to free. */
Test(reclaim, held_page_cache_page_is_reclaimed_or_removed, .fini = down)
{
	struct page *a, *b;
	uint32_t slot_a, slot_b;
	uint64_t lru[4];

	up_dma32(64);
	a = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, 0, NULL);
	b = helper_buddy_alloc(0, 0, GFP_HIGHUSER_MOVABLE, 0, NULL);
	filemap_add_page(a, &slot_a);
	filemap_add_page(b, &slot_b);
	cr_assert(eq(u32, slot_a, (uint32_t)page_to_pfn(a) + 1));
	filemap_remove_page(b);
	cr_assert(eq(u32, slot_b, 0));
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 1));
	helper_buddy_free(0, b, 0, NULL);
	/* priority 0 scans the whole list: a goes */
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL), 1));
	cr_assert(eq(u32, slot_a, 0));
	buddy_lru_sizes(0, lru);
	cr_assert(eq(u64, lru[LRU_INACTIVE_FILE], 0));
	cr_assert(buddy_check(stderr));
}

/* The dcache shrinker: kswapd prunes unused dentries (SLAB_RECLAIM_ACCOUNT) and so empties slabs. */
Test(reclaim, kswapd_prunes_the_dcache_through_its_shrinker)
{
	char *dir = helper_tmpdir(), *out = NULL, *err = NULL, *db = NULL;
	const char *argv[] = { "kmemsim", "run", "dc.json", "--quiet", "--db", "dc.db", NULL };

	char *sc_file = helper_write_file(dir, "dc.json",
		"{\"allocator\": \"slub\", \"machine\": {\"nodes\": [{\"cpus\": 2, \"zones\": {\"dma\": 16, \"dma32\": 96}}]},"
		" \"workload\": {\"streams\": [{\"ops\": 20000, \"orders\": {\"0\": 100}, \"migratetypes\": {\"unmovable\": 100},"
		" \"lifetime\": [8000, 12000], \"kind\": \"pages\", \"think_ns\": 1000}]},"
		" \"memory\": {\"page_cache\": [{\"cpu\": 0, \"file_pages\": 30000, \"reads\": 150000, \"working_set\": 1000,"
		" \"hot_pct\": 50, \"think_ns\": 300}], \"dentries\": [{\"cpu\": 1, \"objects\": 60000, \"think_ns\": 100}]}}");
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, &out, &err), 0), "%s", err);
	cr_assert(asprintf(&db, "%s/dc.db", dir) > 0);
	cr_assert(lt(i64, 1000, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE o.task = -1 AND o.kind = 'obj_free' AND p.path LIKE 'prune_dcache_sb>%'")));
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE p.path LIKE 'prune_dcache_sb>%slab_empty%'")), "pruning frees slabs");
	/* every dentry is freed once: by the shrinker or at the end */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig"
					    " WHERE o.kind = 'obj_free' AND (p.path LIKE 'prune_dcache_sb>%'"
					    " OR p.path LIKE 'shrink_dcache_sb>%')"), 60000));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	free(sc_file);
	free(db);
	free(out);
	free(err);
	helper_rmtree(dir);
}

/*
 * inactive_is_low (mm/vmscan.c), read by prepare_scan_count: with gb the list pair's size in
 * GiB, the inactive list is low when inactive * int_sqrt(10 * gb) < active (ratio 1 below a
 * GiB).  6 GiB of anon (1572864 pages, counters set: the model would not build them; the
 * model scans no anon, so shrink_node moves nothing): ratio int_sqrt(60) = 7, and 185043
 * inactive against 1387821 active is low (1295301 < 1387821), so DEACTIVATE_ANON is set.
 */
Test(reclaim, inactive_is_low_uses_the_square_root_of_ten_times_the_gigabytes, .fini = down)
{
	struct lruvec *lruvec;
	struct scan_control s = { .gfp_mask = GFP_KERNEL, .priority = DEF_PRIORITY, .reclaim_idx = ZONE_DMA32 };

	up_dma32(64);
	lruvec = &NODE_DATA(0)->__lruvec;
	lruvec->lru_zone_size[ZONE_DMA32][LRU_INACTIVE_ANON] = 185043;
	lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_ANON] = 1387821;
	shrink_node(NODE_DATA(0), &s);
	cr_expect(eq(uint, s.may_deactivate & DEACTIVATE_ANON, DEACTIVATE_ANON));
	cr_expect(eq(uint, s.may_deactivate & DEACTIVATE_FILE, 0), "no file pages: 0 * 1 < 0 is false");
	lruvec->lru_zone_size[ZONE_DMA32][LRU_INACTIVE_ANON] = 0;
	lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_ANON] = 0;
}

/*
 * int_sqrt (lib/math/int_sqrt.c) is the floor of the square root, read by inactive_is_low
 * (mm/vmscan.c 6.1 lines 2782-2799) as inactive_ratio = int_sqrt(10 * gb):
 *  - 1 GiB (80000 + 200000 pages, gb 1): int_sqrt(10) = 3, and 80000 * 3 = 240000 is not below
 *    200000: not low (a ratio of 2 would make it low);
 *  - 10 GiB (260000 + 2400000 pages, gb 10): int_sqrt(100) = 10 exactly, and 2600000 is not
 *    below 2400000: not low (9, one short of the square, would make it low);
 *  - 230000 + 2430000 pages (gb 10 still): 2300000 < 2430000, low.
 */
Test(reclaim, inactive_ratio_is_the_floor_of_the_square_root, .fini = down)
{
	static const struct { unsigned long inactive, active; bool low; } cases[] = {
		{ 80000, 200000, false }, { 260000, 2400000, false }, { 230000, 2430000, true },
	};
	struct lruvec *lruvec;

	up_dma32(64);
	lruvec = &NODE_DATA(0)->__lruvec;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scan_control s = { .gfp_mask = GFP_KERNEL, .priority = DEF_PRIORITY, .reclaim_idx = ZONE_DMA32 };

		lruvec->lru_zone_size[ZONE_DMA32][LRU_INACTIVE_ANON] = cases[i].inactive;
		lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_ANON] = cases[i].active;
		shrink_node(NODE_DATA(0), &s);
		cr_expect(eq(uint, s.may_deactivate & DEACTIVATE_ANON, cases[i].low ? DEACTIVATE_ANON : 0), "case %zu", i);
	}
	lruvec->lru_zone_size[ZONE_DMA32][LRU_INACTIVE_ANON] = 0;
	lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_ANON] = 0;
}

/*
 * balance_pgdat (mm/vmscan.c): boosted reclaim goes on while the boost is not reclaimed and
 * each pass reclaims something ("If reclaim made no progress for a boost, stop reclaim"); a
 * balanced node boosted by 64 pages with 8192 clean page-cache pages: the first pass, at
 * DEF_PRIORITY, scans 8192 >> 12 = 2 pages, so kswapd reclaims at least the 64 in later passes.
 */
Test(reclaim, boosted_kswapd_reclaims_the_boost_over_several_passes, .fini = down)
{
	struct address_space *m;
	struct zone *zone;

	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	m = fill_page_cache(8192);
	drain_all_pages();
	vmstat_fold();
	zone->watermark_boost = 64;
	cr_assert(lt(u64, high_wmark_pages(zone), (uint64_t)zone_page_state(zone, NR_FREE_PAGES)), "balanced");
	wakeup_kswapd(zone, 0, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_expect(ge(u64, reclaim_vm_event(PGSTEAL_KSWAPD), 64));
	cr_expect(eq(u64, zone->watermark_boost, 0));
	cr_expect(eq(int, buddy_kswapd_failures(0), 0));
	mapping_destroy(m);
}

/*
 * balance_pgdat (mm/vmscan.c 6.1 lines 7115-7290): "Limit the priority of boosting to avoid
 * reclaim writeback": boosted reclaim does not raise the priority past DEF_PRIORITY - 2 (10),
 * and each pass takes what it reclaimed off nr_boost_reclaim until it is 0, then the balanced
 * node is left alone.  The node of boosted_kswapd_reclaims_the_boost_over_several_passes
 * (8192 clean page-cache pages, boost 64; each pass scans the inactive list's size >> priority,
 * far below nr_to_reclaim, so the priority would rise every pass): priority 12 reclaims 2,
 * 11 reclaims 3, then 10 again and again (7 a pass) until the 64 are reclaimed: 68 in all.
 */
Test(reclaim, boosted_kswapd_stays_at_priority_10, .fini = down)
{
	uint64_t left = 8192, boost = 64, want = 0;
	struct address_space *m;
	struct zone *zone;

	for (int prio = DEF_PRIORITY; boost; prio -= prio > DEF_PRIORITY - 2) {
		uint64_t n = left >> prio;

		want += n;
		left -= n;
		boost -= boost < n ? boost : n;
	}
	cr_assert(eq(u64, want, 68));
	up_dma32(64);
	zone = Z(0, ZONE_DMA32);
	m = fill_page_cache(8192);
	drain_all_pages();
	vmstat_fold();
	zone->watermark_boost = 64;
	cr_assert(lt(u64, high_wmark_pages(zone), (uint64_t)zone_page_state(zone, NR_FREE_PAGES)), "balanced");
	wakeup_kswapd(zone, 0, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_expect(eq(u64, reclaim_vm_event(PGSCAN_KSWAPD), want));
	cr_expect(eq(u64, reclaim_vm_event(PGSTEAL_KSWAPD), want));
	cr_expect(eq(u64, reclaim_vm_event(PAGEOUTRUN), 1));
	cr_expect(eq(u64, zone->watermark_boost, 0));
	mapping_destroy(m);
}

/*
 * do_shrink_slab (6.1 mm/vmscan.c): delta = (freeable >> priority) * 4 / seeks; total_scan =
 * (nr_deferred >> priority) + delta, at most 2 * freeable; the shrinker is called while
 * total_scan >= batch_size or >= freeable; what was not scanned is deferred, nr + delta -
 * scanned, again at most 2 * freeable.  A shrinker of 1000 objects that stops at once
 * (SHRINK_STOP: nothing scanned), with a batch larger than any total_scan so that one call
 * asks for the whole total_scan, 1990 scans deferred: direct reclaim of an empty LRU runs
 * priorities 12 down to 0, one shrink_slab each; every call and the deferred count follow the
 * formula.  The deferral reaches the 2 * freeable cap at priority 7 and stays there, so the
 * call at priority 2 asks (2000 >> 2) + 500 = 1000 (1119 had it grown past the cap); priorities
 * 1 and 0 ask the total_scan cap, 2000.
 */
#define STOP_CALLS_MAX 16
static unsigned long stop_asked[STOP_CALLS_MAX];
static int stop_calls;

static unsigned long thousand_objects(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh, (void)c;
	return 1000;
}

static unsigned long scan_and_stop(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh;
	if (stop_calls < STOP_CALLS_MAX)
		stop_asked[stop_calls] = c->nr_to_scan;
	stop_calls++;
	return SHRINK_STOP;
}

Test(reclaim, shrinker_deferral_is_capped_at_twice_the_freeable_objects, .fini = down)
{
	const long freeable = 1000;
	struct shrinker s = { 0 };
	long d = 1990;
	int calls = 0;

	up_dma32(64);
	s.count_objects = thousand_objects;
	s.scan_objects = scan_and_stop;
	s.seeks = DEFAULT_SEEKS;
	s.batch = 1L << 20;
	stop_calls = 0;
	register_shrinker(&s, "stop");
	s.nr_deferred = d;	/* after register_shrinker, which starts it at 0 */
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL), 0));
	for (int prio = DEF_PRIORITY; prio >= 0; prio--) {
		long delta = (freeable >> prio) * 4 / DEFAULT_SEEKS;
		long total_scan = (d >> prio) + delta;

		if (total_scan > 2 * freeable)
			total_scan = 2 * freeable;
		if (total_scan >= freeable) {
			cr_assert(lt(int, calls, stop_calls), "priority %d: not called", prio);
			cr_expect(eq(u64, stop_asked[calls], (uint64_t)total_scan), "priority %d", prio);
			calls++;
		}
		d = d + delta < 2 * freeable ? d + delta : 2 * freeable;
	}
	cr_expect(eq(int, stop_calls, calls));
	cr_expect(eq(int, calls, 3), "priorities 2, 1 and 0 reach freeable");
	cr_expect(eq(u64, stop_asked[0], 1000));
	cr_expect(eq(i64, s.nr_deferred, d));
	cr_expect(eq(i64, s.nr_deferred, 2 * freeable));
	cr_expect(eq(u64, reclaim_vm_event(SLABS_SCANNED), 0), "SHRINK_STOP: nothing counted");
	unregister_shrinker(&s);
}

/*
 * balance_pgdat (6.1 mm/vmscan.c) marks the node's managed zones up to highest_zoneidx
 * ZONE_RECLAIM_ACTIVE while kswapd reclaims (set_reclaim_active -> update_reclaim_active) and
 * clears them when it is done (clear_reclaim_active); nr_pcp_high reads the mark.  A shrinker's
 * count_objects, called from a boosted DMA32 zone's reclaim with highest_zoneidx DMA32, sees
 * DMA32 marked and Normal (above highest_zoneidx) not; before and after, neither is.
 */
static int active_seen[MAX_NR_ZONES];

static unsigned long count_reclaim_active(struct shrinker *sh, struct shrink_control *c)
{
	(void)sh, (void)c;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		active_seen[z] = test_bit_zone(ZONE_RECLAIM_ACTIVE, Z(0, z));
	return 0;
}

Test(reclaim, kswapd_marks_the_zones_it_balances_reclaim_active, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	int c[1] = { 1 };
	struct shrinker s = { 0 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	s.count_objects = count_reclaim_active;
	s.scan_objects = test_scan;
	s.seeks = DEFAULT_SEEKS;
	register_shrinker(&s, "reclaim_active");
	for (int z = 0; z < MAX_NR_ZONES; z++)
		active_seen[z] = -1;
	Z(0, ZONE_DMA32)->watermark_boost = 512;
	cr_assert(buddy_kswapd_sleeping(0));
	wakeup_kswapd(Z(0, ZONE_DMA32), 0, 0, ZONE_DMA32);
	buddy_kswapd_run_now(0);
	cr_expect(eq(int, active_seen[ZONE_DMA32], 1));
	cr_expect(eq(int, active_seen[ZONE_NORMAL], 0), "above highest_zoneidx");
	cr_expect(eq(int, active_seen[ZONE_DMA], 0), "not managed: no memory");
	for (int z = 0; z < MAX_NR_ZONES; z++)
		cr_expect(not(test_bit_zone(ZONE_RECLAIM_ACTIVE, Z(0, z))), "zone %d: cleared when done", z);
	cr_expect(buddy_kswapd_sleeping(0));
	unregister_shrinker(&s);
}

/*
 * Reclaim sizes the LRU lists it scans by the zones it may reclaim from (6.1 mm/vmscan.c
 * lruvec_lru_size(lruvec, lru, sc->reclaim_idx) in get_scan_count: the zones up to
 * reclaim_idx only).  Page cache that all sits in ZONE_NORMAL: direct reclaim
 * for a DMA32 request (reclaim_idx DMA32) finds every list empty and scans nothing, not
 * even the inactive list; for a Normal request it reclaims.
 */
Test(reclaim, reclaim_sees_only_the_lru_pages_of_zones_up_to_reclaim_idx, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 64, 0 } };
	int c[1] = { 1 };
	struct address_space *m;
	uint64_t lru[4];
	struct sim_op op;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	m = fill_page_cache(2048);
	cr_assert(eq(u64, NODE_DATA(0)->__lruvec.lru_zone_size[ZONE_DMA32][LRU_INACTIVE_FILE], 0));
	cr_assert(lt(u64, 0, NODE_DATA(0)->__lruvec.lru_zone_size[ZONE_NORMAL][LRU_INACTIVE_FILE]));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_expect(eq(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL | __GFP_DMA32), 0));
	sim_op_end(&op);
	cr_expect(not(has_label(&op, "shrink_inactive_list")));
	cr_expect(eq(u64, reclaim_vm_event(PGSCAN_DIRECT), 0));
	buddy_lru_sizes(0, lru);
	cr_expect(eq(u64, lru[LRU_INACTIVE_FILE] + lru[LRU_ACTIVE_FILE], m->nr_pages));
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_expect(lt(u64, 0, buddy_try_to_free_pages(0, 0, GFP_KERNEL)));
	sim_op_end(&op);
	cr_expect(has_label(&op, "shrink_inactive_list"));
	mapping_destroy(m);
}

/*
 * inactive_is_low (mm/vmscan.c 6.1 lines 2782-2799) weighs the node's whole lists
 * (lruvec_page_state), not only the zones up to reclaim_idx as get_scan_count does: a DMA32
 * request's reclaim on a node whose DMA32 zone holds 100 inactive file pages and whose Movable
 * zone (the top one) holds 1000 active ones finds the file list low (100 < 1000) and may
 * deactivate; with the lists the other way round (1000 active in DMA32, 1100 inactive in
 * Movable) it is not low (1100 < 1000 is false), though DMA32 alone would say so.  Counters set, as in
 * inactive_is_low_uses_the_square_root_of_ten_times_the_gigabytes.
 */
Test(reclaim, inactive_is_low_weighs_the_whole_node, .fini = down)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 64 } };
	int c[1] = { 1 };
	struct lruvec *lruvec;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	lruvec = &NODE_DATA(0)->__lruvec;
	for (int i = 0; i < 2; i++) {
		struct scan_control s = { .gfp_mask = GFP_KERNEL | __GFP_DMA32, .priority = DEF_PRIORITY,
					  .reclaim_idx = ZONE_DMA32 };

		lruvec->lru_zone_size[ZONE_DMA32][LRU_INACTIVE_FILE] = i ? 0 : 100;
		lruvec->lru_zone_size[ZONE_MOVABLE][LRU_ACTIVE_FILE] = i ? 0 : 1000;
		lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_FILE] = i ? 1000 : 0;
		lruvec->lru_zone_size[ZONE_MOVABLE][LRU_INACTIVE_FILE] = i ? 1100 : 0;
		shrink_node(NODE_DATA(0), &s);
		cr_expect(eq(uint, s.may_deactivate & DEACTIVATE_FILE, i ? 0 : DEACTIVATE_FILE), "case %d", i);
	}
	lruvec->lru_zone_size[ZONE_DMA32][LRU_ACTIVE_FILE] = 0;
	lruvec->lru_zone_size[ZONE_MOVABLE][LRU_INACTIVE_FILE] = 0;
}
