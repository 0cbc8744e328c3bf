/*
 * test_compaction.c - direct compaction (models/buddy/compaction.c), suite
 * `compaction`.
 *
 * Strategy: a 64 MiB DMA32 zone on one vCPU, filled with order-0 movable pages
 * (watermarks lifted while filling), every odd pfn freed again: half the zone
 * is free and no free block is larger than one page.  An order-3 GFP_KERNEL
 * request then fails the watermark checks and enters the slow path, where
 * async compaction scans only unmovable pageblocks (there are none) and the
 * sync-light retry migrates pages from the bottom of the zone to free pages at
 * its top.  The test owns every page and lets them move through the migrate
 * hook, which updates its table as an owner's references would be.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define ZONE_PAGES 16384

static struct sim_scenario *sc;
static struct page *owned[ZONE_PAGES + 4096];	/* by pfn: the page the test holds there */
static unsigned long nr_moved;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static bool test_migrate(struct page *page, struct page *newpage, void *arg)
{
	uint64_t pfn = page_to_pfn(page), npfn = page_to_pfn(newpage);

	(void)arg;
	if (owned[pfn] != page)
		return false;
	owned[pfn] = NULL;
	owned[npfn] = newpage;
	nr_moved++;
	return true;
}

static bool has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

/* The zone filled with movable order-0 pages, every odd pfn freed: returns the zone. */
static struct zone *fragmented_zone(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	nr_moved = 0;
	helper_buddy_fragment_zone(GFP_KERNEL | __GFP_MOVABLE, 0, owned, ZONE_PAGES + 4096);
	cr_assert(lt(u64, ZONE_PAGES / 2 - 64, buddy_zone_free_pages(0, ZONE_DMA32)));
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

Test(compaction, builds_an_order3_block_from_a_fragmented_zone, .fini = down)
{
	struct zone *zone = fragmented_zone();
	struct sim_op op;
	struct page *page;
	unsigned long nr_owned = 0;
	uint64_t free_before;

	drain_all_pages();
	free_before = buddy_zone_free_pages(0, ZONE_DMA32);
	buddy_set_migrate_hook(test_migrate, NULL);
	page = helper_buddy_alloc(0, 0, GFP_KERNEL, 3, &op);
	cr_assert(ne(ptr, (void *)page, NULL));
	cr_assert(not(op.failed));
	cr_assert(eq(int, op.level, 5));
	cr_assert(has_label(&op, "__alloc_pages_slowpath"));
	cr_assert(has_label(&op, "compact_zone"));
	cr_assert(has_label(&op, "compact_zone:migrated"));
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 2));
	/* the async attempt found no unmovable pageblock to work on; the sync-light one worked */
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 2));
	cr_assert(eq(u64, vm_event_states[COMPACTFAIL], 1));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 1));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], nr_moved));
	cr_assert(lt(u64, 0, nr_moved));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_FAIL], 0));
	cr_assert(lt(u64, 0, vm_event_states[COMPACTMIGRATE_SCANNED]));
	cr_assert(lt(u64, 0, vm_event_states[COMPACTFREE_SCANNED]));
	/* pages moved from the bottom up: the block handed out is at the zone's start */
	cr_assert(lt(u64, page_to_pfn(page), zone->zone_start_pfn + 2 * pageblock_nr_pages));
	cr_assert(eq(u64, page_to_pfn(page) & 7, 0));
	/* every page the test holds is still allocated, and none inside the new block */
	for (uint64_t pfn = 0; pfn < ZONE_PAGES + 4096; pfn++) {
		if (!owned[pfn])
			continue;
		nr_owned++;
		cr_assert(ne(u32, owned[pfn]->flags & PG_allocated, 0), "pfn %llu", (unsigned long long)pfn);
		cr_assert(pfn < page_to_pfn(page) || pfn >= page_to_pfn(page) + 8);
	}
	cr_assert(lt(u64, ZONE_PAGES / 2 - 64, nr_owned));
	/* migration moves pages, and the free pages isolated but not used go back
	 * (release_freepages): only the 8 pages handed out are gone from the free count */
	drain_all_pages();
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), free_before - 8));
	helper_buddy_free(0, page, 3, NULL);
	cr_assert(buddy_check(stderr));
}

Test(compaction, without_an_owner_hook_nothing_moves_and_the_request_fails, .fini = down)
{
	struct sim_op op;

	fragmented_zone();
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NOWARN, 3, &op), NULL));
	cr_assert(op.failed);
	cr_assert(has_label(&op, "compact_zone:cannot_migrate"));
	cr_assert(not(has_label(&op, "compact_zone:migrated")));
	cr_assert(eq(u64, vm_event_states[PGMIGRATE_SUCCESS], 0));
	cr_assert(lt(u64, 0, vm_event_states[PGMIGRATE_FAIL]));
	cr_assert(eq(u64, vm_event_states[COMPACTSUCCESS], 0));
	cr_assert(ge(u64, vm_event_states[COMPACTFAIL], 2));
	cr_assert(buddy_check(stderr));
}

Test(compaction, skipped_when_too_few_free_pages_to_migrate_into, .fini = down)
{
	struct zone *zone = fragmented_zone();
	struct sim_op op;
	unsigned long freep = buddy_zone_free_pages(0, ZONE_DMA32);

	/* min + compact_gap(3) above what is free: compaction_suitable says COMPACT_SKIPPED */
	zone->_watermark[WMARK_MIN] = freep - 8;
	zone->_watermark[WMARK_LOW] = freep - 4;
	zone->_watermark[WMARK_HIGH] = freep - 2;
	cr_assert(eq(int, compaction_suitable(zone, 3, ALLOC_WMARK_MIN, ZONE_NORMAL), COMPACT_SKIPPED));
	buddy_set_migrate_hook(test_migrate, NULL);
	cr_assert(eq(ptr, (void *)helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_NOWARN, 3, &op), NULL));
	cr_assert(has_label(&op, "compact_zone:skipped"));
	cr_assert(eq(u64, vm_event_states[COMPACTSTALL], 0));
	cr_assert(eq(u64, nr_moved, 0));
}

/* scenarios/fragmentation.json: compaction migrates the stream's pages and succeeds once. */
Test(compaction, fragmentation_scenario_compacts, .timeout = 60)
{
	char *dir = helper_tmpdir(), *db = NULL, *scen = NULL;
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	const char *argv[] = { "kmemsim", "run", NULL, "--db", NULL, "--quiet", NULL };

	cr_assert(ne(ptr, (void *)root, NULL));
	cr_assert(lt(int, 0, asprintf(&scen, "%s/scenarios/fragmentation.json", root)));
	cr_assert(lt(int, 0, asprintf(&db, "%s/frag.db", dir)));
	argv[2] = scen;
	argv[4] = db;
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, NULL), 0));
	cr_assert(ge(i64, helper_db_int(db, "SELECT value FROM vmstat WHERE name = 'compact_success'"), 1));
	cr_assert(lt(i64, 100, helper_db_int(db, "SELECT value FROM vmstat WHERE name = 'pgmigrate_success'")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT value FROM vmstat WHERE name = 'pgmigrate_fail'"), 0));
	cr_assert(ge(i64, helper_db_int(db, "SELECT count(*) FROM ops o JOIN sig_labels l ON l.sig = o.sig"
				      " WHERE l.label = '__alloc_pages_direct_compact:success' AND NOT o.failed"
				      " AND o.level = 5"), 1));
	free(scen);
	free(db);
	helper_rmtree(dir);
}
