/*
 * test_buddy_boost_rules.c - boost_watermark's decision table (models/buddy/rmqueue.c
 * against mm/page_alloc.c of linux-6.1), suite `buddy_boost_rules`: when a fallback
 * steal raises the zone's watermark boost, by how much, and up to which cap.
 *
 * Strategy: one node with a 64 MiB Normal zone (16384 managed pages, pageblocks of 512);
 * the zone's high watermark, managed pages and the boost factor set by hand around
 * each boundary, boost_watermark called directly.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct zone *z;

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 0, 64, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	z = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	cr_assert(eq(u64, pageblock_nr_pages, 512));
	z->watermark_boost = 0;
}

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

/*
 * max_boost = mult_frac(high, watermark_boost_factor, 10000) = high / 10000 * factor +
 * high % 10000 * factor / 10000.  High 19999, factor 15000 (the default): 1 * 15000 +
 * 9999 * 15000 / 10000 = 15000 + 14998 = 29998.  Each call adds pageblock_nr_pages (512)
 * up to that cap: 58 calls make 29696, the 59th stops at 29998, and it stays there.
 */
Test(buddy_boost_rules, the_boost_grows_by_a_pageblock_up_to_mult_frac_of_high, .init = up, .fini = down)
{
	cr_assert(eq(int, watermark_boost_factor, 15000));
	z->_watermark[WMARK_HIGH] = 19999;
	for (int i = 1; i <= 58; i++) {
		cr_expect(boost_watermark(z));
		cr_expect(eq(u64, z->watermark_boost, (uint64_t)i * 512), "call %d", i);
	}
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 29998));
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 29998));

	/* high 12345, factor 10000: 1 * 10000 + 2345 * 10000 / 10000 = 12345, reached from 12288 */
	watermark_boost_factor = 10000;
	z->_watermark[WMARK_HIGH] = 12345;
	z->watermark_boost = 12288;
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 12345));
	/* high 20001, factor 15000: 2 * 15000 + 1 * 15000 / 10000 = 30001, reached from 29696 */
	watermark_boost_factor = 15000;
	z->_watermark[WMARK_HIGH] = 20001;
	z->watermark_boost = 29696;
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 30001));
	/* high 9999 (below 10000: the fraction alone), factor 30000: 9999 * 30000 / 10000 = 29997 */
	watermark_boost_factor = 30000;
	z->_watermark[WMARK_HIGH] = 9999;
	z->watermark_boost = 29696;
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 29997));
}

/*
 * The refusals, each on both sides: factor 0 (vm.watermark_boost_factor off); a zone whose
 * managed pages are fewer than 4 pageblocks ("pageblock_nr_pages * 4 > zone_managed_pages":
 * 2047 refused, 2048 boosted); max_boost 0 (high 0, or high 1 with factor 5000: 5000 / 10000
 * = 0) refused; a max_boost under a pageblock is raised to one (high 100: 150 -> 512).
 */
Test(buddy_boost_rules, refusals_and_the_pageblock_floor, .init = up, .fini = down)
{
	z->_watermark[WMARK_HIGH] = 100;
	watermark_boost_factor = 0;
	cr_expect(not(boost_watermark(z)));
	cr_expect(eq(u64, z->watermark_boost, 0));
	watermark_boost_factor = 15000;

	z->managed_pages = 2047;
	cr_expect(not(boost_watermark(z)));
	cr_expect(eq(u64, z->watermark_boost, 0));
	z->managed_pages = 2048;
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 512), "max_boost 150 raised to a pageblock");
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 512));

	z->watermark_boost = 0;
	z->_watermark[WMARK_HIGH] = 0;
	cr_expect(not(boost_watermark(z)));
	cr_expect(eq(u64, z->watermark_boost, 0));
	watermark_boost_factor = 5000;
	z->_watermark[WMARK_HIGH] = 1;
	cr_expect(not(boost_watermark(z)));
	z->_watermark[WMARK_HIGH] = 2;		/* 2 * 5000 / 10000 = 1: a pageblock */
	cr_expect(boost_watermark(z));
	cr_expect(eq(u64, z->watermark_boost, 512));
	watermark_boost_factor = 15000;
}
