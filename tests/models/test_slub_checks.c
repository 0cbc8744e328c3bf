/*
 * test_slub_checks.c - SLUB's invariant checker and watchers, suite
 * `slub_checks`: each corruption slub_check_cache's header promises to find
 * (models/slub/check.c) is made by hand on a consistent machine; the checker
 * must report it (false, and a line naming it) and, after the repair, pass
 * again.  The watchers (what `explore`'s steps table prints) are read too.
 *
 * The states come from SLUB's rules (mm/slub.c): a slab that fills is
 * bypassed by deactivate_slab (on no list), and a free into it from another
 * CPU puts it on the node's partial list (__slab_free: FREE_ADD_PARTIAL,
 * without CONFIG_SLUB_CPU_PARTIAL).
 */
#include "../helpers.h"
#include "checks_common.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "models/watch.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

#define check_s(why) slub_check_cache(s, (why))
#define SLUB_FOUND(brk, fix, what) CHECK_FOUND(check_s, brk, fix, what)

#define OBJS 16		/* 256-byte objects, order 0 */

static struct sim_scenario *sc;

static void slub_up(void)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->slub_cpu_partial = false;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
}

static void slub_down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
}

/*
 * Slab A filled on CPU 0, bypassed when B became the cpu slab, then a free from CPU 1 put A
 * on node 0's partial list (inuse 15); B is CPU 0's frozen cpu slab with 15 objects on
 * c->freelist; C of another cache stands in for a foreign slab.
 */
Test(slub_checks, slub_check_finds_each_corruption, .init = slub_up, .fini = slub_down)
{
	struct kmem_cache *s, *other;
	struct kmem_cache_node *n;
	struct kmem_cache_cpu *c;
	struct slab *a_slab, *b_slab, *o_slab, *saved;
	struct list_head saved_list;
	void *a[OBJS], *x[OBJS + 1], *b, *o, *fl;
	uint64_t tid;

	s = kmem_cache_create("chk", 256, 0, 0, false);
	other = kmem_cache_create("chk_other", 512, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(ptr, (void *)other, NULL));
	cr_assert(eq(u32, oo_objects(s->oo), OBJS));
	for (int i = 0; i < OBJS; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	b = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_free(1, a[0]);
	o = helper_slab_alloc(0, other, 0, GFP_KERNEL, NUMA_NO_NODE);
	n = get_node(s, 0);
	c = per_cpu_ptr(s->cpu_slab, 0);
	a_slab = virt_to_slab(a[1]);
	b_slab = virt_to_slab(b);
	o_slab = virt_to_slab(o);
	cr_assert(eq(ulong, n->nr_partial, 1));
	cr_assert(eq(ptr, c->slab, b_slab));
	cr_assert(eq(u32, a_slab->inuse, OBJS - 1));
	cr_assert(slub_check(stderr));

	/* per slab: inuse against objects and against the freelist's length */
	SLUB_FOUND(a_slab->inuse = OBJS + 1, a_slab->inuse = OBJS - 1, "inuse 17 > objects 16");
	SLUB_FOUND(a_slab->inuse = OBJS - 2, a_slab->inuse = OBJS - 1,
		   "1 objects on its freelist, objects - inuse = 2");
	/* node counters */
	SLUB_FOUND(n->nr_partial++, n->nr_partial--, "node 0: nr_partial 2, 1 slabs on the list");
	SLUB_FOUND(n->total_objects++, n->total_objects--, "node 0: nr_slabs 2 / total_objects 33");
	/* a slab of the wrong node or cache, a frozen one on the partial list */
	SLUB_FOUND(a_slab->nid = 1, a_slab->nid = 0, "of node 1 on its partial list");
	SLUB_FOUND(a_slab->nid = 1, a_slab->nid = 0, "of node 1 is on node 0's list");
	SLUB_FOUND(a_slab->slab_cache = other, a_slab->slab_cache = s, "belongs to another cache");
	SLUB_FOUND(a_slab->frozen = 1, a_slab->frozen = 0, "node 0: frozen slab");
	/* the node's partial list turned into a cycle through A */
	saved_list = a_slab->slab_list;
	SLUB_FOUND(a_slab->slab_list.next = &a_slab->slab_list, a_slab->slab_list = saved_list,
		   "node 0: partial list longer than the slabs (a cycle)");

	/* per CPU: the tid, the cpu slab and its freelist */
	tid = c->tid;
	SLUB_FOUND(c->tid = tid + 1, c->tid = tid, "cpu 0: tid");
	SLUB_FOUND(b_slab->frozen = 0, b_slab->frozen = 1, "cpu 0: cpu slab not frozen");
	SLUB_FOUND(c->slab = NULL, c->slab = b_slab, "cpu 0: a freelist without a cpu slab");
	fl = c->freelist;
	SLUB_FOUND(c->freelist = (char *)fl + 8, c->freelist = fl, "is not an object of the slab");
	SLUB_FOUND(b_slab->freelist = fl, b_slab->freelist = NULL, "free twice (cycle or double free)");

	/* the cpu partial chain: the cpu slab again, a wrong count, a cycle, a foreign slab */
	saved_list = b_slab->slab_list;
	b_slab->next = NULL;
	b_slab->slabs = 1;
	SLUB_FOUND(c->partial = b_slab, c->partial = NULL, "is in two places (1 and 2)");
	b_slab->slabs = 2;
	SLUB_FOUND(c->partial = b_slab, c->partial = NULL, "partial chain head says 2 slabs, chain has 1");
	SLUB_FOUND((c->partial = b_slab, b_slab->next = b_slab), (c->partial = NULL, b_slab->next = NULL),
		   "cpu 0: partial chain longer than the slabs (a cycle)");
	b_slab->slabs = 1;
	SLUB_FOUND((c->partial = b_slab, b_slab->frozen = 0), (c->partial = NULL, b_slab->frozen = 1),
		   "cpu 0: unfrozen slab on the partial chain");
	b_slab->slab_list = saved_list;
	saved = c->partial;
	saved_list = o_slab->slab_list;
	o_slab->next = NULL;
	o_slab->slabs = 1;
	SLUB_FOUND(c->partial = o_slab, c->partial = saved, "cpu partial slab");
	o_slab->slab_list = saved_list;

	/* a BUG_ON recorded by the model fails the whole check, with the first one's text */
	{
		struct report r;
		unsigned long bugs = slub_nr_bugs;

		slub_bug(s, "test: corrupt freelist", 0x1000);
		cr_expect(not(slub_check(NULL)));
		expect_found(&r, slub_check(report_open(&r)), "BUG_ON/VM_BUG_ON hit, first: chk: test");
		slub_nr_bugs = bugs;
	}
	cr_expect(slub_check(stderr));

	/* a third slab on node 0: B's 15 objects, then A's one (get_partial takes A off the
	 * node's list), then a new slab.  A list longer than nr_slabs says so (the checker
	 * makes room for nr_slabs + 1 slabs per node) */
	for (int i = 0; i < OBJS + 1; i++)
		x[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(long, n->nr_slabs, 3));
	SLUB_FOUND(n->nr_slabs = 0, n->nr_slabs = 3, "node 0: more slabs on its list than nr_slabs 0");
	for (int i = 0; i < OBJS + 1; i++)
		helper_slab_free(0, x[i]);

	for (int i = 1; i < OBJS; i++)
		helper_slab_free(0, a[i]);
	helper_slab_free(0, b);
	helper_slab_free(0, o);
}

/*
 * The watchers print what the steps table shows: a CPU's freelist and cpu slab, a node's
 * partial list (at most 4 slabs, then "..."), and the objects in use (slabs' inuse less
 * the free objects CPUs hold).
 */
Test(slub_checks, slub_watchers_print_the_state, .init = slub_up, .fini = slub_down)
{
	struct kmem_cache *s;
	void *a[6 * OBJS];
	char buf[512];

	s = kmem_cache_create("chk", 256, 0, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	slub_watch_cpu(s, 1, buf, sizeof(buf));
	cr_expect(ne(ptr, strstr(buf, " | no slab | partial 0"), NULL), "%s", buf);
	slub_watch_node(s, 1, buf, sizeof(buf));
	cr_expect(eq(str, buf, "nr_partial 0 slabs 0"));

	/* six slabs filled on CPU 0, then one free each from CPU 1: five on node 0's partial list */
	for (int i = 0; i < 6 * OBJS; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int k = 0; k < 5; k++)
		helper_slab_free(1, a[k * OBJS]);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 5));
	slub_watch_node(s, 0, buf, sizeof(buf));
	cr_expect(ne(ptr, strstr(buf, "nr_partial 5 slabs 7 | "), NULL), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, "inuse 15/16 frozen 0"), NULL), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, " ..."), NULL), "%s", buf);
	slub_watch_cpu(s, 0, buf, sizeof(buf));
	cr_expect(ne(ptr, strstr(buf, "(15) tid"), NULL), "%s", buf);
	cr_expect(ne(ptr, strstr(buf, "inuse 16/16 frozen 1 | partial 0"), NULL), "%s", buf);
	/* 6 x 16 + 1 allocated, 5 freed */
	cr_expect(eq(long, slub_nr_in_use(s), 6 * OBJS + 1 - 5));
	/* a node without memory: a node the cache has no structure for prints as such */
	slub_watch_node(s, 5, buf, sizeof(buf));
	cr_expect(eq(str, buf, "no node"));
	/* a buffer too small is cut, never overrun */
	slub_watch_cpu(s, 0, buf, 8);
	cr_expect(eq(u64, strlen(buf), 7));
}

