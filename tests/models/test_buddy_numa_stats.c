/*
 * test_buddy_numa_stats.c - zone_statistics (models/buddy/rmqueue.c against
 * mm/page_alloc.c of linux-6.1) as /proc/zoneinfo shows it (buddy_zone_info), suite
 * `buddy_numa_stats`: each allocation counts numa_hit on the zone that served it when
 * that zone is on the preferred zone's node, else numa_miss there and numa_foreign on
 * the preferred zone; and numa_local when the zone is on the allocating CPU's node,
 * else numa_other.  numa_interleave stays 0 (no interleave policy in the model).
 *
 * Strategy: two nodes of one vCPU each (vCPU 0 on node 0, vCPU 1 on node 1), a 64 MiB
 * Normal zone on each; node 1 run dry with __GFP_THISNODE so that a request preferring
 * it falls back to node 0; each event checked as a difference around one request.
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
	uint64_t zones[2][4] = { { 0, 0, 64, 0 }, { 0, 0, 64, 0 } };
	int c[2] = { 1, 1 };

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_assert(eq(int, cpu_to_node(0), 0));
	cr_assert(eq(int, cpu_to_node(1), 1));
}

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

struct numa { uint64_t hit, miss, foreign, interleave, local, other, pgalloc; };

static struct numa numa_of(int nid)
{
	struct buddy_zone_info zi;

	buddy_zone_info(nid, ZONE_NORMAL, &zi);
	return (struct numa){ zi.numa_hit, zi.numa_miss, zi.numa_foreign, zi.numa_interleave, zi.numa_local,
			      zi.numa_other, zi.pgalloc };
}

/* the change of each event on node nid since `before`, against the expected one */
static void expect_delta(int nid, struct numa before, struct numa want, const char *what)
{
	struct numa now = numa_of(nid);

	cr_expect(eq(u64, now.hit - before.hit, want.hit), "%s: node %d numa_hit", what, nid);
	cr_expect(eq(u64, now.miss - before.miss, want.miss), "%s: node %d numa_miss", what, nid);
	cr_expect(eq(u64, now.foreign - before.foreign, want.foreign), "%s: node %d numa_foreign", what, nid);
	cr_expect(eq(u64, now.interleave, 0), "%s: node %d numa_interleave", what, nid);
	cr_expect(eq(u64, now.local - before.local, want.local), "%s: node %d numa_local", what, nid);
	cr_expect(eq(u64, now.other - before.other, want.other), "%s: node %d numa_other", what, nid);
	cr_expect(eq(u64, now.pgalloc - before.pgalloc, want.pgalloc), "%s: node %d pgalloc", what, nid);
}

Test(buddy_numa_stats, hit_miss_foreign_local_other, .init = up, .fini = down)
{
	struct numa b0, b1;
	struct page *p;

	/* vCPU 0 asks node 0: hit and local on node 0 */
	b0 = numa_of(0), b1 = numa_of(1);
	p = helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(int, (int)p->nid, 0));
	expect_delta(0, b0, (struct numa){ .hit = 1, .local = 1, .pgalloc = 1 }, "local");
	expect_delta(1, b1, (struct numa){ 0 }, "local");

	/* vCPU 0 asks node 1: a hit on node 1, other (not vCPU 0's node); an order-2 counts 1 */
	b0 = numa_of(0), b1 = numa_of(1);
	p = helper_buddy_alloc(0, 1, GFP_KERNEL, 2, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(int, (int)p->nid, 1));
	expect_delta(0, b0, (struct numa){ 0 }, "remote");
	expect_delta(1, b1, (struct numa){ .hit = 1, .other = 1, .pgalloc = 4 }, "remote");

	/* node 1 dry; vCPU 1 asks node 1 and gets node 0: miss and other on node 0, foreign on node 1 */
	while (helper_buddy_alloc(1, 1, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY, 0, NULL))
		;
	b0 = numa_of(0), b1 = numa_of(1);
	p = helper_buddy_alloc(1, 1, GFP_KERNEL, 0, NULL);
	cr_assert(ne(ptr, (void *)p, NULL));
	cr_assert(eq(int, (int)p->nid, 0));
	expect_delta(0, b0, (struct numa){ .miss = 1, .other = 1, .pgalloc = 1 }, "fallback");
	expect_delta(1, b1, (struct numa){ .foreign = 1 }, "fallback");
}

/*
 * free_pages_prepare (6.1 mm/page_alloc.c) refuses a page that is not in use (bad_page:
 * "nonzero mapcount" / PAGE_FLAGS_CHECK_AT_FREE); the model counts each refusal on the
 * page's zone, and zoneinfo's view (buddy_zone_info) carries the count: a double free of an
 * order-0 page on node 1 counts 1 there and none on node 0, and the free count is unchanged.
 */
Test(buddy_numa_stats, a_double_free_is_a_bad_page_of_its_zone, .init = up, .fini = down)
{
	struct buddy_zone_info z0, z1;
	struct sim_op op;
	struct page *p = helper_buddy_alloc(1, 1, GFP_KERNEL, 0, NULL);
	uint64_t free_after_first;

	cr_assert(ne(ptr, (void *)p, NULL));
	helper_buddy_free(1, p, 0, NULL);
	drain_all_pages();
	free_after_first = buddy_zone_free_pages(1, ZONE_NORMAL);
	helper_buddy_free(1, p, 0, &op);
	drain_all_pages();
	buddy_zone_info(0, ZONE_NORMAL, &z0);
	buddy_zone_info(1, ZONE_NORMAL, &z1);
	cr_expect(eq(u64, z1.nr_bad_pages, 1));
	cr_expect(eq(u64, z0.nr_bad_pages, 0));
	cr_expect(eq(u64, buddy_zone_free_pages(1, ZONE_NORMAL), free_after_first));
	cr_expect(helper_slab_op_has_label(&op, "free_pages_prepare:bad_page"));
}
