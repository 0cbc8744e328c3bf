/*
 * test_buddy_shrink_slab.c - do_shrink_slab's whole arithmetic (models/buddy/vmscan.c against
 * mm/vmscan.c of Linux 6.1, lines 669-770), suite `models/buddy_shrink_slab`: for shrinkers of
 * several sizes, seeks, batches, carried-over work and callbacks that report more scanned than
 * asked, every nr_to_scan asked, the SLABS_SCANNED events and the deferred count left, against
 * the formula written out below.
 *
 * Strategy: a one-node machine with an empty LRU; direct reclaim (try_to_free_pages, GFP_KERNEL)
 * then runs every priority from DEF_PRIORITY (12) down to 0, one shrink_node and so one
 * shrink_slab per priority, since nothing is reclaimed.  The shrinkers are registered together
 * and visited in registration order; each records what it was asked.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stddef.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define MAX_CALLS 4096

struct test_shrinker {
	struct shrinker s;		/* first: the callbacks get &s */
	unsigned long freeable;		/* what count_objects says */
	unsigned long extra_scanned;	/* added to nr_scanned by scan_objects */
	long initial_deferred;
	unsigned long asked[MAX_CALLS];
	int nr_calls;
};

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

static unsigned long t_count(struct shrinker *sh, struct shrink_control *c)
{
	(void)c;
	return ((struct test_shrinker *)sh)->freeable;
}

static unsigned long t_scan(struct shrinker *sh, struct shrink_control *c)
{
	struct test_shrinker *t = (struct test_shrinker *)sh;

	if (t->nr_calls < MAX_CALLS)
		t->asked[t->nr_calls] = c->nr_to_scan;
	t->nr_calls++;
	c->nr_scanned = c->nr_to_scan + t->extra_scanned;	/* a shrinker may say it scanned more */
	return c->nr_to_scan / 2;
}

/*
 * The reference: do_shrink_slab (mm/vmscan.c 6.1) for one priority.
 *   freeable = count_objects (0 or SHRINK_EMPTY: nothing, the deferred count stays);
 *   nr = xchg_nr_deferred (taken, the shrinker's count becomes 0);
 *   delta = seeks ? (freeable >> priority) * 4 / seeks : freeable / 2;
 *   total_scan = (nr >> priority) + delta, at most 2 * freeable;
 *   while (total_scan >= batch_size || total_scan >= freeable): ask min(batch_size, total_scan),
 *     count_vm_events(SLABS_SCANNED, nr_scanned), total_scan -= nr_scanned, scanned += nr_scanned;
 *   next_deferred = nr + delta - scanned, clamped to [0, 2 * freeable], added back (add_nr_deferred).
 */
static void reference(const struct test_shrinker *t, int priority, long *deferred, unsigned long *expect,
		      int *nr_expect, unsigned long *events)
{
	long batch = t->s.batch ? t->s.batch : SHRINK_BATCH;
	unsigned long freeable = t->freeable, delta, scanned = 0;
	long nr, total_scan, next;

	if (!freeable)
		return;
	nr = *deferred;
	*deferred = 0;
	if (t->s.seeks)
		delta = (freeable >> priority) * 4 / (unsigned long)t->s.seeks;
	else
		delta = freeable / 2;
	total_scan = (nr >> priority) + (long)delta;
	if (total_scan > (long)(2 * freeable))
		total_scan = (long)(2 * freeable);
	while (total_scan >= batch || total_scan >= (long)freeable) {
		unsigned long n = (unsigned long)(batch < total_scan ? batch : total_scan);
		unsigned long ns = n + t->extra_scanned;

		if (*nr_expect < MAX_CALLS)
			expect[*nr_expect] = n;
		(*nr_expect)++;
		*events += ns;
		total_scan -= (long)ns;
		scanned += ns;
	}
	next = nr + (long)delta - (long)scanned;
	if (next < 0)
		next = 0;
	if (next > (long)(2 * freeable))
		next = (long)(2 * freeable);
	*deferred += next;
}

static struct test_shrinker shr[7], stray[7];	/* stray[i]: what shr[i] pointed at before */
static unsigned long expect[MAX_CALLS];

Test(buddy_shrink_slab, every_scan_follows_do_shrink_slab, .fini = down)
{
	/* freeable, seeks, batch, deferred at the start, extra nr_scanned */
	static const long cfg[7][5] = {
		{ 5000, DEFAULT_SEEKS, 0, 0, 0 },	/* the common case: batches of 128 */
		{ 5000, 0, 1000, 0, 0 },		/* seeks 0: half of freeable each time */
		{ 300, 5, 50, 7000, 0 },		/* a deferred count above 2 * freeable */
		{ 1000, 1, 64, 100, 400 },		/* says it scanned more: next_deferred below 0 */
		{ 3, DEFAULT_SEEKS, 0, 0, 0 },		/* tiny: total_scan >= freeable below a batch */
		{ 0, DEFAULT_SEEKS, 0, 50, 0 },		/* nothing to free: deferred count stays */
		{ 70000, 3, 300, 123456, 1 },		/* big, odd seeks, both clamps */
	};
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	unsigned long events = 0;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int i = 0; i < 7; i++) {
		stray[i] = (struct test_shrinker){ 0 };
		stray[i].freeable = 1000;
		stray[i].s.seeks = DEFAULT_SEEKS;
		stray[i].s.count_objects = t_count;
		stray[i].s.scan_objects = t_scan;
	}
	for (int i = 0; i < 7; i++) {
		shr[i] = (struct test_shrinker){ 0 };
		shr[i].freeable = (unsigned long)cfg[i][0];
		shr[i].s.seeks = (int)cfg[i][1];
		shr[i].s.batch = cfg[i][2];
		shr[i].initial_deferred = cfg[i][3];
		shr[i].extra_scanned = (unsigned long)cfg[i][4];
		shr[i].s.count_objects = t_count;
		shr[i].s.scan_objects = t_scan;
		/* left over from an earlier life: register_shrinker starts the deferred count at 0
		 * (prealloc_shrinker's zeroed nr_deferred) and links the shrinker last
		 * (list_add_tail), so neither survives */
		shr[i].s.nr_deferred = 999999;
		shr[i].s.next = &stray[i].s;
		register_shrinker(&shr[i].s, "test");
		cr_assert(eq(i64, shr[i].s.nr_deferred, 0), "shrinker %d", i);
		shr[i].s.nr_deferred = cfg[i][3];	/* register_shrinker starts it at 0 */
	}
	cr_assert(eq(u64, buddy_try_to_free_pages(0, 0, GFP_KERNEL), 0));
	for (int i = 0; i < 7; i++) {
		long deferred = shr[i].initial_deferred;
		int nr_expect = 0;

		for (int prio = DEF_PRIORITY; prio >= 0; prio--)
			reference(&shr[i], prio, &deferred, expect, &nr_expect, &events);
		cr_expect(eq(int, shr[i].nr_calls, nr_expect), "shrinker %d", i);
		for (int k = 0; k < nr_expect && k < shr[i].nr_calls && k < MAX_CALLS; k++)
			cr_expect(eq(u64, shr[i].asked[k], expect[k]), "shrinker %d call %d", i, k);
		cr_expect(eq(i64, shr[i].s.nr_deferred, deferred), "shrinker %d", i);
		unregister_shrinker(&shr[i].s);
	}
	for (int i = 0; i < 7; i++)
		cr_expect(eq(int, stray[i].nr_calls, 0), "a shrinker never registered is never called");
	cr_expect(eq(u64, reclaim_vm_event(SLABS_SCANNED), events));
	/* one stall, counted at the request's reclaim_idx (gfp_zone(GFP_KERNEL): Normal): no retry */
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_NORMAL), 1));
	cr_expect(eq(u64, reclaim_vm_event(ALLOCSTALL_DMA32), 0));
}
