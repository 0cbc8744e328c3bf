/*
 * test_buddy_lock_recheck.c - what the zone side of the page allocator reads
 * again once it holds zone->lock (models/buddy/6.1 and 6.12 against their
 * mm/page_alloc.c), suite `buddy_lock_recheck`:
 *   - the free paths of 6.1 take a pageblock's type before the lock (a type
 *     cached in the page, or read just before spin_lock) and read it again
 *     under the lock only when the zone has isolated pageblocks
 *     (has_isolate_pageblock) or the type is ISOLATE: free_one_page and
 *     __free_pages_ok (free_pcppages_bulk's re-read: buddy_version_pins);
 *   - reserve_highatomic_pageblock (both versions) checks its limit without
 *     the lock ("racy check") and again under it.
 *
 * Strategy: a stale type is either passed in (free_one_page's argument) or
 * made by a race: a task on vCPU 1 holds zone->lock and changes the block's
 * type or the reserve, as another CPU's fallback steal or reserve does, while
 * the task on vCPU 0 has read the old value and spins on the lock.  The lock's
 * contended count shows the race happened; the free list the page lands on,
 * or nr_reserved_highatomic, shows which value was used.  Nothing in the
 * model isolates pageblocks, so the tests set nr_isolate_pageblock, as
 * start_isolate_page_range does for some other block of the zone.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

#define GFP_MOVABLE_KERNEL (GFP_KERNEL | __GFP_MOVABLE)

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

static struct zone *dma32(void)
{
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

/* One node of `cpus` vCPUs, DMA32 of `mib` MiB, pageblock_order 9, kernel v. */
static void up(enum kernel_version v, int cpus, uint64_t mib)
{
	uint64_t zones[1][4] = { { 0, mib, 0, 0 } };
	int c[1] = { cpus };

	kernel_version = v;
	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(u64, pageblock_nr_pages, 512));
	sim_engine_set_cpu(0);
}

/* free order-10 blocks of type mt in DMA32 */
static uint64_t free10(int mt)
{
	return buddy_zone_nr_free_mt(0, ZONE_DMA32, 10, mt);
}

/* ------------------------------------------------ 6.1 free_one_page */

/*
 * free_one_page (6.1 mm/page_alloc.c:1652-1657): under zone->lock, "if
 * (unlikely(has_isolate_pageblock(zone) || is_migrate_isolate(migratetype)))
 * migratetype = get_pfnblock_migratetype(page, pfn)"; __free_one_page then files the
 * merged block on that type's list.  An order-4 movable page of a fresh 64 MiB zone comes
 * from an order-10 block whose other pieces are free, so it merges back into one order-10
 * block.  Passed MOVABLE while its blocks are UNMOVABLE: without isolated pageblocks the
 * passed type is kept (the block goes on the MOVABLE list); with one, the blocks' type is
 * read again (the UNMOVABLE list).
 */
static void free_one_page_stale(unsigned long nr_isolate, int want_mt)
{
	struct zone *z;
	struct page *page;
	uint64_t pfn, movable, unmovable;

	up(KERNEL_6_1, 1, 64);
	z = dma32();
	page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)page, NULL));
	pfn = page_to_pfn(page);
	cr_assert(eq(int, get_pfnblock_migratetype(page, pfn), MIGRATE_MOVABLE));
	/* both pageblocks of its order-10 block change type (a steal claims them) */
	set_pageblock_migratetype(pfn_to_page(pfn & ~1023UL), MIGRATE_UNMOVABLE);
	set_pageblock_migratetype(pfn_to_page((pfn & ~1023UL) + 512), MIGRATE_UNMOVABLE);
	movable = free10(MIGRATE_MOVABLE);
	unmovable = free10(MIGRATE_UNMOVABLE);

	z->nr_isolate_pageblock = nr_isolate;
	cr_assert(free_pages_prepare(page, 4));
	KOPS(buddy)->free_one_page(z, page, pfn, 4, MIGRATE_MOVABLE, FPI_NONE);
	z->nr_isolate_pageblock = 0;

	cr_expect(eq(u64, free10(MIGRATE_MOVABLE), movable + (want_mt == MIGRATE_MOVABLE)));
	cr_expect(eq(u64, free10(MIGRATE_UNMOVABLE), unmovable + (want_mt == MIGRATE_UNMOVABLE)));
}

Test(buddy_lock_recheck, free_one_page_keeps_the_passed_type_without_isolation_6_1, .fini = down)
{
	free_one_page_stale(0, MIGRATE_MOVABLE);
}

Test(buddy_lock_recheck, free_one_page_rereads_the_type_with_isolated_blocks_6_1, .fini = down)
{
	free_one_page_stale(1, MIGRATE_UNMOVABLE);
}

/* ------------------------------------------------ races on zone->lock */

/* What the task on vCPU 1 does while it holds zone->lock (another CPU's steal or reserve). */
static void (*holder_change)(void);
static void (*waiter_work)(void);

static void holder_task(struct sim_task *t, void *arg)
{
	unsigned long flags;

	(void)t;
	(void)arg;
	spin_lock_irqsave(&dma32()->lock, flags);
	sim_yield(20000);
	holder_change();
	spin_unlock_irqrestore(&dma32()->lock, flags);
}

static void waiter_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_yield(1000);	/* the holder has the lock by now */
	waiter_work();
}

/* Run the holder on vCPU 1 and the waiter on vCPU 0; the waiter spins on zone->lock once. */
static void run_race(void)
{
	struct sim_lockstat *st = sim_lockstat_at(dma32()->lock.id);
	uint64_t contended = st->contended;

	cr_assert(ne(ptr, sim_task_create(0, true, 300, waiter_task, NULL), NULL));
	cr_assert(ne(ptr, sim_task_create(1, true, 301, holder_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	sim_engine_set_cpu(0);
	cr_assert(eq(u64, st->contended - contended, 1), "the waiter spun on zone->lock");
}

/*
 * __free_pages_ok (6.1 mm/page_alloc.c:1746-1752): "migratetype =
 * get_pfnblock_migratetype(page, pfn)" before spin_lock_irqsave(&zone->lock), then under it
 * the same re-read as free_one_page's when the zone has isolated pageblocks.  An order-4
 * page (not a pcp order) freed on vCPU 0 reads MOVABLE and spins while vCPU 1, holding the
 * lock, turns its blocks UNMOVABLE: without isolated blocks the stale MOVABLE is used (the
 * merged order-10 block goes on the MOVABLE list); with one, the type is read again
 * (UNMOVABLE).
 */
static struct page *race_page;

static void retype_race_page(void)
{
	uint64_t base = page_to_pfn(race_page) & ~1023UL;

	set_pageblock_migratetype(pfn_to_page(base), MIGRATE_UNMOVABLE);
	set_pageblock_migratetype(pfn_to_page(base + 512), MIGRATE_UNMOVABLE);
}

static void free_race_page(void)
{
	__free_pages(race_page, 4);
}

static void free_pages_ok_race(unsigned long nr_isolate, int want_mt)
{
	struct zone *z;
	uint64_t movable, unmovable;

	up(KERNEL_6_1, 2, 64);
	z = dma32();
	race_page = helper_buddy_alloc(0, 0, GFP_MOVABLE_KERNEL, 4, NULL);
	cr_assert(ne(ptr, (void *)race_page, NULL));
	cr_assert(eq(int, get_pageblock_migratetype(race_page), MIGRATE_MOVABLE));
	movable = free10(MIGRATE_MOVABLE);
	unmovable = free10(MIGRATE_UNMOVABLE);

	z->nr_isolate_pageblock = nr_isolate;
	holder_change = retype_race_page;
	waiter_work = free_race_page;
	run_race();
	z->nr_isolate_pageblock = 0;

	cr_expect(eq(int, get_pageblock_migratetype(race_page), MIGRATE_UNMOVABLE));
	cr_expect(eq(u64, free10(MIGRATE_MOVABLE), movable + (want_mt == MIGRATE_MOVABLE)));
	cr_expect(eq(u64, free10(MIGRATE_UNMOVABLE), unmovable + (want_mt == MIGRATE_UNMOVABLE)));
}

Test(buddy_lock_recheck, free_pages_ok_frees_by_the_stale_type_without_isolation_6_1, .fini = down)
{
	free_pages_ok_race(0, MIGRATE_MOVABLE);
}

Test(buddy_lock_recheck, free_pages_ok_rereads_the_type_under_the_lock_6_1, .fini = down)
{
	free_pages_ok_race(1, MIGRATE_UNMOVABLE);
}

/*
 * reserve_highatomic_pageblock (6.1 mm/page_alloc.c:2919-2925; 6.12 :2084-2090): "if
 * (zone->nr_reserved_highatomic >= max_managed) return" without the lock, then spin_lock and
 * the same test again.  managed 102400, pageblock 512: 6.1's limit is 1024 + 512 = 1536,
 * 6.12's ALIGN(1024, 512) = 1024.  vCPU 0 reads a reserve one block below the limit and
 * spins while vCPU 1, holding the lock, reserves that block (+512): at the limit, vCPU 0
 * reserves nothing (block 5 stays MOVABLE).  Without the race (the check passes twice)
 * block 3 is reserved.
 */
static struct page *zone_block(unsigned long k)
{
	return pfn_to_page(dma32()->zone_start_pfn + k * pageblock_nr_pages);
}

static void reserve_block5(void)
{
	KOPS(buddy)->reserve_highatomic_pageblock(zone_block(5), dma32(), 4);
}

static void reserve_one_block(void)
{
	dma32()->nr_reserved_highatomic += pageblock_nr_pages;
}

static unsigned long limit_of(enum kernel_version v, const struct zone *z)
{
	return v == KERNEL_6_1 ? z->managed_pages / 100 + pageblock_nr_pages
			       : (z->managed_pages / 100 + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
}

static void reserve_race(enum kernel_version v)
{
	unsigned long limit;
	struct zone *z;

	up(v, 2, 1024);
	z = dma32();
	z->managed_pages = 102400;
	limit = limit_of(v, z);
	cr_assert(eq(u64, limit, v == KERNEL_6_1 ? 1536 : 1024));

	/* no race: one block below the limit, block 3 is reserved */
	z->nr_reserved_highatomic = limit - pageblock_nr_pages;
	KOPS(buddy)->reserve_highatomic_pageblock(zone_block(3), z, 4);
	cr_expect(eq(u64, z->nr_reserved_highatomic, limit));
	cr_expect(eq(int, get_pageblock_migratetype(zone_block(3)), MIGRATE_HIGHATOMIC));

	/* the race: the other CPU's block brings the reserve to the limit under the lock */
	z->nr_reserved_highatomic = limit - pageblock_nr_pages;
	holder_change = reserve_one_block;
	waiter_work = reserve_block5;
	run_race();
	cr_expect(eq(u64, z->nr_reserved_highatomic, limit), "at the limit under the lock: nothing more");
	cr_expect(eq(int, get_pageblock_migratetype(zone_block(5)), MIGRATE_MOVABLE));
}

Test(buddy_lock_recheck, reserve_rechecks_the_limit_under_the_lock_6_1, .fini = down)
{
	reserve_race(KERNEL_6_1);
}

Test(buddy_lock_recheck, reserve_rechecks_the_limit_under_the_lock_6_12, .fini = down)
{
	reserve_race(KERNEL_6_12);
}
