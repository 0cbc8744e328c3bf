/*
 * test_slab_checks.c - SLAB's invariant checker and watchers, suite
 * `slab_checks`: each corruption slab_check (models/slab/check.c) looks for is
 * made by hand on a consistent machine; the checker must report it (false,
 * and a line naming it) and, after the repair, pass again.  The watchers
 * (what `explore`'s steps table prints) are read too.
 *
 * The states come from SLAB's rules (mm/slab.c): with tunables limit 4 and
 * batchcount 2, an allocation on an empty array refills it by a batch
 * (cache_alloc_refill), growing a slab when the node has none.
 */
#include "../helpers.h"
#include "checks_common.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "models/watch.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

#define SLAB_FOUND(brk, fix, what) CHECK_FOUND(slab_check, brk, fix, what)

static void slab_up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void slab_down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

/*
 * Tunables limit 4, batchcount 2: the first allocation on CPU 0 grows one slab and moves a
 * batch of 2 into the array (cache_alloc_refill), hands out one; the second is a hit.  So the
 * slab is on slabs_partial with active 2, CPU 0's array holds... the third allocation refills
 * again: active 4, array avail 1.
 */
Test(slab_checks, slab_check_finds_each_corruption, .init = slab_up, .fini = slab_down)
{
	struct kmem_cache *s, *other;
	struct kmem_cache_node *n;
	struct array_cache *ac;
	struct slab *slab;
	void *x[3], *o, *e0, *fl;
	unsigned int num, act, f0, f1;

	s = (struct kmem_cache *)kmem_cache_create("chk", 64, 0, SLAB_HWCACHE_ALIGN, false);
	other = (struct kmem_cache *)kmem_cache_create("chk_other", 192, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(ptr, (void *)other, NULL));
	cr_assert(eq(int, slab_tune_cache("chk", 4, 2, 2), 0));
	for (int i = 0; i < 3; i++)
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	o = helper_slab_alloc(0, other, 0, GFP_KERNEL, NUMA_NO_NODE);
	n = s->node[0];
	ac = s->cpu_cache[0];
	slab = virt_to_slab(x[0]);
	num = s->num;
	act = slab->active;
	cr_assert(eq(uint, act, 4));
	cr_assert(eq(uint, ac->avail, 1));
	cr_assert(eq(ulong, n->total_slabs, 1));
	cr_assert(eq(ulong, n->free_objects, num - 4));
	cr_assert(slab_check(stderr));

	/* the slab: its cache, its page, its active count for its list, its index array */
	SLAB_FOUND(slab->slab_cache = other, slab->slab_cache = s, "belongs to another cache");
	SLAB_FOUND(slab->active = 0, slab->active = act, "with active 0 of");
	SLAB_FOUND(slab->active = num, slab->active = act, "on slabs_partial");
	fl = slab->freelist;
	SLAB_FOUND(slab->freelist = NULL, slab->freelist = fl, "with free objects has no index array");
	f0 = get_free_obj(slab, act);
	f1 = get_free_obj(slab, act + 1);
	SLAB_FOUND(set_free_obj(slab, act + 1, (freelist_idx_t)f0), set_free_obj(slab, act + 1, (freelist_idx_t)f1),
		   "names object");
	SLAB_FOUND(set_free_obj(slab, act, (freelist_idx_t)num), set_free_obj(slab, act, (freelist_idx_t)f0),
		   "twice or out of range");
	/* the node's counters */
	SLAB_FOUND(n->total_slabs++, n->total_slabs--, "node 0 total_slabs 2, lists hold 1");
	SLAB_FOUND(n->free_slabs++, n->free_slabs--, "node 0 free_slabs 1, slabs_free holds 0");
	SLAB_FOUND(n->free_objects++, n->free_objects--, "free_objects");
	/* the slab moved to the wrong list, and to the wrong node's list */
	list_move(&slab->slab_list, &n->slabs_full);
	SLAB_FOUND((void)0, list_move(&slab->slab_list, &n->slabs_partial), "on slabs_full");
	list_move(&slab->slab_list, &n->slabs_free);
	SLAB_FOUND((void)0, list_move(&slab->slab_list, &n->slabs_partial), "on slabs_free");
	list_move(&slab->slab_list, &s->node[1]->slabs_partial);
	SLAB_FOUND((void)0, list_move(&slab->slab_list, &n->slabs_partial), "on node 1's slabs_partial");

	/* CPU 0's array: over its limit, a foreign pointer, a misaligned one, a free one, twice */
	SLAB_FOUND(ac->avail = ac->limit + 1, ac->avail = 1, "cpu 0 array has avail 5 over limit 4");
	e0 = ac->entry[0];
	SLAB_FOUND(ac->entry[0] = o, ac->entry[0] = e0, "not an object of this cache");
	SLAB_FOUND(ac->entry[0] = (char *)e0 + 8, ac->entry[0] = e0, "not an object boundary");
	SLAB_FOUND(ac->entry[0] = (char *)slab->s_mem + (size_t)f0 * s->size, ac->entry[0] = e0,
		   "which is also free in its slab");
	SLAB_FOUND((ac->entry[1] = e0, ac->avail = 2), ac->avail = 1, "is in two arrays (second: cpu 0 array)");
	/* the same object in CPU 2's array (node 1): of the wrong node */
	SLAB_FOUND((s->cpu_cache[2]->entry[s->cpu_cache[2]->avail++] = e0), s->cpu_cache[2]->avail--,
		   "of node 0, expected node 1");

	/* more than 20 problems: the first 20 are printed, then their count */
	{
		unsigned int avail = ac->avail;
		void *saved[4];

		memcpy(saved, ac->entry, sizeof(saved));
		for (unsigned int i = 0; i < 4; i++)
			ac->entry[i] = o;
		/* 16 array entries and 6 node counters wrong: 22 problems */
		SLAB_FOUND(for (int k = 0; k < 4; k++) {
				s->cpu_cache[k]->avail = 4;
				s->node[k / 2]->total_slabs += 5;
				s->node[k / 2]->free_slabs += 5;
				s->node[k / 2]->free_objects += 5;
			   },
			   for (int k = 0; k < 4; k++) {
				s->cpu_cache[k]->avail = 0;
				s->node[k / 2]->total_slabs -= 5;
				s->node[k / 2]->free_slabs -= 5;
				s->node[k / 2]->free_objects -= 5;
			   } memcpy(ac->entry, saved, sizeof(saved)); ac->avail = avail,
			   "slab: 2 more problems");
	}
	/* a BUG_ON recorded fails the check (with the guard off it can happen) */
	{
		struct report r;

		slab_bug(s, "test: double free", x[0]);
		expect_found(&r, slab_check(report_open(&r)), "BUG_ON or array overrun hit, first: chk: test");
		slab_bugs_reset();
	}
	cr_expect(slab_check(stderr));
	for (int i = 0; i < 3; i++)
		helper_slab_free(0, x[i]);
	helper_slab_free(0, o);
}

/*
 * alloc_block's BUG_ON(slab->active >= cachep->num) (mm/slab.c, 6.1): a slab still on
 * slabs_partial whose objects are all taken, as two refills racing without n->list_lock leave
 * it (the slab-refill-list-lock scenario).  With the guard off the model records the BUG_ON
 * (slab_bug) and slab_check reports it.  Tunables limit 4, batchcount 2: after three
 * allocations the slab has active 4 and the array 1 object; the fourth empties the array and
 * the fifth refills from that slab.
 */
Test(slab_checks, alloc_block_bug_on_is_reported, .init = slab_up, .fini = slab_down)
{
	struct kmem_cache *s;
	struct slab *slab;
	struct report r;
	void *x[5];

	s = (struct kmem_cache *)kmem_cache_create("chk", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("chk", 4, 2, 2), 0));
	for (int i = 0; i < 3; i++)
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	slab = virt_to_slab(x[0]);
	cr_assert(eq(uint, slab->active, 4));
	cr_assert(slab_check(stderr));
	sim->guard_off[SIM_GUARD_SLAB_LIST_LOCK] = true;
	slab->active = s->num;		/* the other refill took the rest */
	x[3] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	x[4] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(ne(ptr, x[4], NULL), "cache_alloc_refill grows a slab after the BUG_ON");
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "alloc_block:BUG_ON"), "the path taken");
	expect_found(&r, slab_check(report_open(&r)), "alloc_block: BUG_ON(slab->active >= cachep->num)");
	slab_bugs_reset();
}

/* SLAB's watchers: a CPU's array (the 4 hottest entries, then "..."), a node's lists. */
Test(slab_checks, slab_watchers_print_the_state, .init = slab_up, .fini = slab_down)
{
	struct kmem_cache *s;
	void *x[12];
	char buf[512];
	long before;

	s = (struct kmem_cache *)kmem_cache_create("chk", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("chk", 8, 4, 2), 0));
	slab_watch_node(s, 0, buf, sizeof(buf));
	cr_expect(eq(str, buf, "partial 0 full 0 free 0 | total_slabs 0 free_slabs 0 free_objects 0 | shared 0/8"));
	before = slab_nr_in_use(s);
	cr_expect(eq(long, before, 0));
	for (int i = 0; i < 12; i++)
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	/* 12 handed out; frees on CPU 0 fill its array up to its limit 8: the watcher shows 4 and "..." */
	for (int i = 0; i < 6; i++)
		helper_slab_free(0, x[i]);
	cr_expect(eq(long, slab_nr_in_use(s), 6));
	slab_watch_cpu(s, 0, buf, sizeof(buf));
	cr_expect(eq(int, strncmp(buf, "avail ", 6), 0), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, " ..."), NULL), "%s", buf);
	slab_watch_node(s, 0, buf, sizeof(buf));
	cr_expect(ne(ptr, strstr(buf, "partial 1 full 0 free 0 | total_slabs 1"), NULL), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, " | first partial "), NULL), "%s", buf);
	for (int i = 6; i < 12; i++)
		helper_slab_free(0, x[i]);
}

/*
 * A BUG_ON recorded in one run (a schedule of an exploration with a guard off) belongs to
 * that run: the next kmem_cache_init starts with none, so its slab_check passes.
 */
Test(slab_checks, bug_on_is_forgotten_at_the_next_init, .init = slab_up, .fini = slab_down)
{
	struct kmem_cache *s = (struct kmem_cache *)slab_find_cache("kmalloc-64");
	struct report r;

	cr_assert(ne(ptr, (void *)s, NULL));
	slab_bug(s, "test: recorded in the first run", NULL);
	expect_found(&r, slab_check(report_open(&r)), "BUG_ON or array overrun hit, first: kmalloc-64: test");
	helper_slab_machine_down(sc);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	cr_expect(slab_check(stderr), "the first run's BUG_ON is still reported");
	slab_bugs_reset();
}
