/*
 * test_buddy_checks.c - the buddy model's invariant checker and pcp watcher,
 * suite `buddy_checks`: each corruption buddy_check (models/buddy/check.c)
 * looks for is made by hand on a consistent zone; the checker must report it
 * (false, and a line naming it) and, after the repair, pass again.
 *
 * The state comes from the page allocator's rules (mm/page_alloc.c): an
 * order-0 page freed by free_unref_page goes to the CPU's pcp list
 * (free_unref_page_commit) while count stays below high.
 */
#include "../helpers.h"
#include "checks_common.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/watch.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define BUDDY_FOUND(brk, fix, what) CHECK_FOUND(buddy_check, brk, fix, what)

static struct sim_scenario *sc;

/* One node, one DMA32 zone of 64 MiB, two vCPUs. */
static void up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 2 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

Test(buddy_checks, buddy_check_finds_each_corruption, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	struct per_cpu_pages *pcp = per_cpu_ptr(z->per_cpu_pageset, 0);
	struct page *kept, *freed, *p;
	struct page_list saved;
	unsigned int pindex = 0;
	uint32_t flags;

	kept = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	freed = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)kept, NULL));
	cr_assert(ne(ptr, (void *)freed, NULL));
	helper_buddy_free(0, freed, 0, NULL);
	cr_assert(lt(int, 0, pcp->count));
	while (page_list_empty(&pcp->lists[pindex]))
		pindex++;
	p = page_list_first(&pcp->lists[pindex]);
	cr_assert(buddy_check(stderr));

	/* the zone's counters against its free lists; a problem names the zone as the kernel does
	 * (zone_names[], mm/page_alloc.c: "DMA32" for ZONE_DMA32, as /proc/zoneinfo prints it) */
	BUDDY_FOUND(z->vm_stat[NR_FREE_PAGES]++, z->vm_stat[NR_FREE_PAGES]--, "node 0 zone DMA32: free lists hold");
	BUDDY_FOUND(z->vm_stat[NR_FREE_PAGES]++, z->vm_stat[NR_FREE_PAGES]--, "NR_FREE_PAGES says");
	BUDDY_FOUND(z->free_area[MAX_ORDER - 1].nr_free++, z->free_area[MAX_ORDER - 1].nr_free--,
		    "order 10: lists hold");
	BUDDY_FOUND(z->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE].nr++,
		    z->free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE].nr--, "counted");
	/* a pcp list: its count, a page's marks, its links */
	BUDDY_FOUND(pcp->count++, pcp->count--, "cpu 0: pcp lists hold");
	flags = p->flags;
	BUDDY_FOUND(p->flags &= ~PG_pcp, p->flags = flags, "has flags");
	saved = pcp->lists[pindex];
	BUDDY_FOUND(pcp->lists[pindex].last = saved.last + 1, pcp->lists[pindex] = saved, "pcp list: last is");
	BUDDY_FOUND(p->lru_prev = 7, p->lru_prev = 0, "pcp list: broken back link");
	/* an allocated page: grown over its neighbour, and a stray PageBuddy mark */
	BUDDY_FOUND(kept->order = 1, kept->order = 0, "overlaps the block before it");
	BUDDY_FOUND(kept->order = 1, kept->order = 0, "pages add up to");
	flags = kept->flags;
	BUDDY_FOUND(kept->flags |= PG_buddy, kept->flags = flags, "marked PageBuddy but on no such list");
	/* a bug the model recorded, and more than 20 problems */
	{
		struct report r;

		buddy_bug("test hang %d", 1);
		expect_found(&r, buddy_check(report_open(&r)), "1 hang or BUG hit, first: test hang 1");
		buddy_bugs_reset();
	}
	/* 11 orders x (nr_free, and the movable list's count): 22 problems, 20 printed */
	BUDDY_FOUND(for (unsigned int o = 0; o < MAX_ORDER; o++) {
			z->free_area[o].nr_free += 3;
			z->free_area[o].free_list[MIGRATE_MOVABLE].nr += 3;
		    },
		    for (unsigned int o = 0; o < MAX_ORDER; o++) {
			z->free_area[o].nr_free -= 3;
			z->free_area[o].free_list[MIGRATE_MOVABLE].nr -= 3;
		    }, "buddy_check: ... 22 problems in all");
	cr_expect(buddy_check(NULL));
	helper_buddy_free(0, kept, 0, NULL);
}

/* The pcp watcher: a pageset that does not exist, an empty one, one holding a page. */
Test(buddy_checks, buddy_watch_pcp_prints_the_pageset, .init = up, .fini = down)
{
	struct zone *z = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	struct per_cpu_pages *pcp = per_cpu_ptr(z->per_cpu_pageset, 1);
	struct page *page;
	char buf[256], want[128];

	buddy_watch_pcp(-1, ZONE_DMA32, 0, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(1, ZONE_DMA32, 0, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(0, -1, 0, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(0, MAX_NR_ZONES, 0, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(0, ZONE_NORMAL, 0, buf, sizeof(buf));	/* a zone without memory */
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(0, ZONE_DMA32, -1, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));
	buddy_watch_pcp(0, ZONE_DMA32, 2, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no such pageset"));

	buddy_watch_pcp(0, ZONE_DMA32, 1, buf, sizeof(buf));
	snprintf(want, sizeof(want), "count 0 high %d batch %d free_factor 0", pcp->high, pcp->batch);
	cr_expect(eq(str, buf, want));
	page = helper_buddy_alloc(1, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	helper_buddy_free(1, page, 0, NULL);
	buddy_watch_pcp(0, ZONE_DMA32, 1, buf, sizeof(buf));
	snprintf(want, sizeof(want), "count %d high %d batch %d", pcp->count, pcp->high, pcp->batch);
	cr_expect(eq(int, strncmp(buf, want, strlen(want)), 0), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, " | list "), NULL), "%s", buf);
	/* cut to the buffer, never past it */
	buddy_watch_pcp(0, ZONE_DMA32, 1, buf, 12);
	cr_expect(eq(u64, strlen(buf), 11));
}
