/*
 * test_slab.c - the SLAB model's paths (models/slab): each allocation level
 * from a crafted state with the counters 6.1 bumps, colouring, the refill
 * batch limit, the free-side flush order, alien frees, the reaper, counters
 * against the path log, and determinism of a multi-vCPU run.
 *
 * Strategy: a 2-node machine with 2 vCPUs per node; a cache made for the
 * test (so no other user touches it); operations begun and ended on a
 * chosen vCPU like the run driver does (helper_slab_alloc/free), white-box
 * reads of the model's structures through models/slab/slab_int.h, and
 * slab_check after every test.  Freelist randomisation is switched off
 * where the test names objects by index.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log logv;

/* Grow events of the test, in order. */
static struct slab_event grows[64];
static int nr_grows, nr_destroys;
static int ev_cache = -1;		/* only this cache's events; -1: every cache */

static void event_sink(const struct slab_event *ev, void *arg)
{
	(void)arg;
	if (ev_cache >= 0 && ev->cache != ev_cache)
		return;
	if (ev->kind == SLAB_EVENT_GROW) {
		if (nr_grows < 64)
			grows[nr_grows] = *ev;
		nr_grows++;
	} else {
		nr_destroys++;
	}
}

static void up_mib(bool randomise, bool alien, uint64_t mib)
{
	slab_set_boot_params(-1, !alien, randomise);
	sc = helper_slab_machine_up(2, 2, mib);
	cr_assert(ne(ptr, (void *)sc, NULL));
	nr_grows = nr_destroys = 0;
	ev_cache = -1;
	slab_set_event_sink(event_sink, NULL);
	helper_slab_log_start(&logv);
}

static void up(bool randomise, bool alien)
{
	up_mib(randomise, alien, 1024);
}

static void down(void)
{
	char line[512];
	bool ok = helper_check_first_line(slab_check, line, sizeof(line));

	helper_slab_log_stop(&logv);
	slab_set_event_sink(NULL, NULL);
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
	cr_assert(ok, "slab_check: %s", line);
}

static struct kmem_cache *mk(const char *name, unsigned int size, unsigned int align, unsigned int flags)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create(name, size, align, flags, false);

	cr_assert(ne(ptr, (void *)s, NULL));
	/* From now on count this cache's slab events only. */
	ev_cache = slab_cache_id(s);
	nr_grows = nr_destroys = 0;
	return s;
}

static void *alloc_on(int cpu, struct kmem_cache *s)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
}

/* o[0..n) = n allocations from s on vCPU cpu, in order. */
static void alloc_n(int cpu, struct kmem_cache *s, void **o, int n)
{
	for (int i = 0; i < n; i++)
		o[i] = alloc_on(cpu, s);
}

/* kfree o[0..n) on vCPU cpu, in order. */
static void free_n(int cpu, void **o, int n)
{
	for (int i = 0; i < n; i++)
		helper_slab_free(cpu, o[i]);
}

static struct slab *slab_of(void *obj)
{
	return virt_to_slab(obj);
}

/* ------------------------------------------------------------------ */

Test(slab, bulk_calls_go_through_the_per_cpu_array)
{
	struct kmem_cache *s;
	void *p[5];

	up(false, true);
	s = mk("bulk64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(int, slab_tune_cache("bulk64", 4, 2, 2), 0));
	logv.nr = 0;
	sim_engine_set_cpu(0);
	/* limit 4, batch 2: miss (grow, 2), hit, miss (2 from the slab), hit, miss */
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 5, p), 5));
	cr_expect(eq(ulong, s->allochit, 2));
	cr_expect(eq(ulong, s->allocmiss, 3));
	cr_expect(eq(ulong, s->grown, 1));
	cr_expect(eq(ulong, helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk"), 5));
	cr_expect(eq(ulong, helper_slab_count_level(&logv, SIM_OP_OBJ_ALLOC, 1), 2));
	cr_expect(eq(ulong, helper_slab_count_level(&logv, SIM_OP_OBJ_ALLOC, 5), 1));
	for (int i = 1; i < 5; i++)
		cr_expect(ne(ptr, p[i], p[i - 1]));

	/* kfree_bulk: each object's own cache; avail 1: three fit (limit 4), the fourth flushes a
	 * batch of 2 (cache_flusharray), the fifth fits again */
	kfree_bulk(5, p);
	cr_expect(eq(ulong, s->freehit, 4));
	cr_expect(eq(ulong, s->freemiss, 1));
	cr_expect(eq(uint, s->cpu_cache[0]->avail, 4));
	cr_expect(eq(ulong, helper_slab_count_label(&logv, SIM_OP_OBJ_FREE, "kmem_cache_free_bulk"), 5));

	/* slab_get_stats: /proc/slabinfo's globalstat and cpustat columns (slabinfo_show_stats
	 * prints the cache's counters as they are) */
	{
		struct slab_stats st;

		memset(&st, 0xff, sizeof(st));
		slab_get_stats(s, &st);
		cr_expect(eq(ulong, st.num_allocations, s->num_allocations));
		cr_expect(eq(ulong, st.high_mark, s->high_mark));
		cr_expect(eq(ulong, st.grown, 1));
		cr_expect(eq(ulong, st.reaped, s->reaped));
		cr_expect(eq(ulong, st.errors, 0));
		cr_expect(eq(ulong, st.max_freeable, s->max_freeable));
		cr_expect(eq(ulong, st.node_allocs, s->node_allocs));
		cr_expect(eq(ulong, st.node_frees, s->node_frees));
		cr_expect(eq(ulong, st.node_overflow, s->node_overflow));
		cr_expect(eq(ulong, st.allochit, 2));
		cr_expect(eq(ulong, st.allocmiss, 3));
		cr_expect(eq(ulong, st.freehit, 4));
		cr_expect(eq(ulong, st.freemiss, 1));
		cr_expect(eq(ulong, st.num_active, s->num_active));
	}
	down();
}

Test(slab, levels_l1_to_l5)
{
	struct kmem_cache *s;
	void *o[8], *x, *remote;

	up(false, true);
	s = mk("lv64", 64, 0, SLAB_HWCACHE_ALIGN);
	/* Small arrays make every level a few operations away: limit 4, batch 2, shared 2 * 2. */
	cr_assert(eq(int, slab_tune_cache("lv64", 4, 2, 2), 0));

	/* L5: nothing anywhere, the refill grows a slab and takes a batch of 2. */
	o[0] = alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 5));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_alloc_refill:direct_grow"));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_grow_begin"));
	cr_assert(eq(ulong, s->grown, 1));
	cr_assert(eq(ulong, s->allocmiss, 1));
	cr_assert(eq(ulong, s->num_allocations, 2));
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 1));
	cr_assert(eq(ulong, s->node[0]->free_objects, 62));

	/* L1: the second object of the batch. */
	o[1] = alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 1));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "____cache_alloc:allochit"));
	cr_assert(eq(ulong, s->allochit, 1));
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 0));

	/* L3: array empty, shared empty, the partial slab has 62. */
	o[2] = alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 3));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "alloc_block"));
	cr_assert(eq(ulong, s->node[0]->free_objects, 60));
	cr_assert(eq(ulong, s->allocmiss, 2));
	o[3] = alloc_on(0, s);
	o[4] = alloc_on(0, s);
	o[5] = alloc_on(0, s);
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 0));

	/* CPU 1 (same node) frees five: four hits, then a miss that flushes the two
	 * coldest (o[0], o[1]) to the node's shared array. */
	for (int i = 0; i < 4; i++) {
		helper_slab_free(1, o[i]);
		cr_assert(eq(int, helper_slab_last_level(), 1));
	}
	helper_slab_free(1, o[4]);
	cr_assert(eq(int, helper_slab_last_level(), 2));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_flusharray:shared"));
	cr_assert(eq(ulong, s->freehit, 4));
	cr_assert(eq(ulong, s->freemiss, 1));
	cr_assert(eq(uint, s->node[0]->shared->avail, 2));
	cr_assert(eq(ptr, s->node[0]->shared->entry[0], o[0]));
	cr_assert(eq(ptr, s->node[0]->shared->entry[1], o[1]));

	/* L2: CPU 0's empty array is refilled from the shared array; the top comes back. */
	x = alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 2));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "transfer_objects"));
	cr_assert(eq(ptr, x, o[1]));
	cr_assert(eq(ptr, s->cpu_cache[0]->entry[0], o[0]));
	cr_assert(eq(uint, s->node[0]->shared->avail, 0));
	cr_assert(eq(uint, s->node[0]->shared->touched, 1));

	/* L4: node 1 gets a slab from CPU 2, then CPU 0 asks for node 1 explicitly. */
	o[6] = alloc_on(2, s);
	cr_assert(eq(int, helper_slab_last_level(), 5));
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 1));
	remote = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(eq(int, helper_slab_last_level(), 4));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "____cache_alloc_node"));
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 1));
	cr_assert(eq(int, slab_nid(slab_of(remote)), 1));
	cr_assert(eq(ulong, s->node_allocs, 1));
	/* The remote request bypassed CPU 0's array. */
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 1));
	down();
}

/* A node that cannot grow sends an explicit-node request through fallback_alloc (L4). */
Test(slab, fallback_alloc_when_node_is_full)
{
	struct kmem_cache *s;
	void *local, *x;
	up_mib(false, true, 256);
	s = mk("fb64", 64, 0, SLAB_HWCACHE_ALIGN);
	local = alloc_on(0, s);		/* node 0 has a partial slab now */
	cr_assert(ne(ptr, (void *)local, NULL));

	/* Empty node 1 of free pages. */
	sim_engine_set_cpu(2);
	for (int order = MAX_ORDER - 1; order >= 0; order--)
		while (alloc_pages_node(1, GFP_NOWAIT | __GFP_THISNODE | __GFP_NOWARN, (unsigned int)order))
			;	/* kept: the machine goes down with them */

	x = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, (void *)x, NULL));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "____cache_alloc_node:must_grow"));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_grow_begin:failed"));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_assert(eq(int, helper_slab_last_level(), 4));
	/* The zonelist of node 0 starts at node 0, which has free objects. */
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 0));
	/* __GFP_THISNODE forbids the fallback. */
	x = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_THISNODE, 1);
	cr_assert(eq(ptr, x, NULL));
	cr_assert(helper_slab_last_op()->failed);
	down();
}

/* Slab colours on a node: colour_next is advanced before use and wraps at colour. */
Test(slab, colouring)
{
	struct kmem_cache *s;
	void *first = NULL;
	static const unsigned int want[] = { 64, 128, 192, 0, 64, 128 };

	up(false, true);
	s = mk("c640", 640, 8, 0);
	cr_assert(eq(uint, (unsigned int)s->colour, 4));
	/* Six objects per slab: every sixth allocation grows a slab. */
	for (int i = 0; i < 36; i++) {
		void *o = alloc_on(0, s);

		if (!first)
			first = o;
	}
	cr_assert(eq(int, nr_grows, 6));
	for (int i = 0; i < 6; i++) {
		cr_assert(eq(uint, grows[i].offset, want[i]), "slab %d", i);
		cr_assert(eq(uint, grows[i].colour, want[i] / 64));
		cr_assert(eq(int, grows[i].node, 0));
	}
	/* Object 0 starts at the colour offset; the refill pushed objects 0..5 and
	 * handed out the last one pushed. */
	cr_assert(eq(u64, (uint64_t)(uintptr_t)first, grows[0].addr + 64 + 5 * 640));
	/* Node 1 keeps its own colour_next. */
	alloc_on(2, s);
	cr_assert(eq(uint, grows[6].offset, 64));
	cr_assert(eq(int, grows[6].node, 1));
	down();
}

/* BATCHREFILL_LIMIT (16) caps a refill only when the array was not touched. */
Test(slab, batchrefill_limit_only_untouched)
{
	struct kmem_cache *s;
	struct array_cache *ac;

	up(false, true);
	s = mk("t16", 16, 0, 0);	/* 240 objects per slab, batchcount 60 */
	cr_assert(eq(uint, s->batchcount, 60));
	ac = s->cpu_cache[0];

	/* A fresh array has touched == 0: 16 objects. */
	alloc_on(0, s);
	cr_assert(eq(uint, ac->avail, 15));
	cr_assert(eq(uint, ac->touched, 1));
	for (int i = 0; i < 15; i++)
		alloc_on(0, s);
	cr_assert(eq(uint, ac->avail, 0));

	/* Touched: the whole batch. */
	alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 3));
	cr_assert(eq(uint, ac->avail, 59));

	/* Emptied and untouched again (as after the reaper's second chance): 16 again. */
	while (ac->avail)
		alloc_on(0, s);
	ac->touched = 0;
	alloc_on(0, s);
	cr_assert(eq(uint, ac->avail, 15));
	cr_assert(eq(ulong, s->num_allocations, 16 + 60 + 16));
	down();
}

/* cache_flusharray fills the shared array before it gives objects back with free_block. */
Test(slab, flusharray_shared_before_free_block)
{
	struct kmem_cache *s;
	void **o;
	int n = 601, first_free_block = -1, nr_shared = 0;

	up(false, true);
	s = mk("fl64", 64, 0, SLAB_HWCACHE_ALIGN);	/* limit 120, batch 60, shared 480 */
	o = calloc((size_t)n, sizeof(*o));
	cr_assert(ne(ptr, (void *)o, NULL));
	alloc_n(1, s, o, n);

	for (int i = 0; i < n; i++) {
		helper_slab_free(0, o[i]);
		if (helper_slab_op_has_label(helper_slab_last_op(), "cache_flusharray:shared")) {
			cr_assert(eq(int, first_free_block, -1), "shared flush after a free_block flush");
			cr_assert(eq(int, helper_slab_last_level(), 2));
			nr_shared++;
			if (nr_shared == 1) {
				/* The coldest 60 (the first freed) moved, in order. */
				for (int k = 0; k < 60; k++)
					cr_assert(eq(ptr, s->node[0]->shared->entry[k], o[k]));
				cr_assert(eq(ptr, s->cpu_cache[0]->entry[0], o[60]));
			}
		} else if (helper_slab_op_has_label(helper_slab_last_op(), "free_block")) {
			if (first_free_block < 0)
				first_free_block = i;
			cr_assert(eq(int, helper_slab_last_level(), 3));
		}
	}
	cr_assert(eq(int, nr_shared, 8));
	cr_assert(eq(int, first_free_block, 120 + 8 * 60));
	cr_assert(eq(uint, s->node[0]->shared->avail, 480));
	cr_assert(eq(ulong, s->freemiss, 9));
	cr_assert(eq(ulong, s->freehit, (unsigned long)n - 9));
	free(o);
	down();
}

/* Frees on another node go through the alien array to the object's home node. */
Test(slab, alien_free_reaches_home_node)
{
	struct kmem_cache *s;
	void *o[13];
	struct array_cache *alien;

	up(false, true);
	s = mk("al64", 64, 0, SLAB_HWCACHE_ALIGN);
	alloc_n(0, s, o, 13);
	alien = &s->node[1]->alien[0]->ac;

	for (int i = 0; i < 12; i++) {
		helper_slab_free(2, o[i]);
		cr_assert(eq(int, helper_slab_last_level(), 4));
		cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "__cache_free_alien"));
	}
	cr_assert(eq(uint, alien->avail, 12));
	cr_assert(eq(ulong, s->node_frees, 12));
	cr_assert(eq(uint, s->cpu_cache[2]->avail, 0));

	/* The 13th overflows: the twelve go home, into node 0's shared array first. */
	helper_slab_free(2, o[12]);
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "__drain_alien_cache"));
	cr_assert(eq(ulong, s->node_overflow, 1));
	cr_assert(eq(uint, alien->avail, 1));
	cr_assert(eq(ptr, alien->entry[0], o[12]));
	cr_assert(eq(uint, s->node[0]->shared->avail, 12));
	for (int i = 0; i < 12; i++)
		cr_assert(eq(ptr, s->node[0]->shared->entry[i], o[i]));
	cr_assert(eq(uint, s->node[1]->shared->avail, 0));
	down();
}

/* Without alien arrays (noaliencache) a remote free goes straight to the home node's slabs. */
Test(slab, noaliencache_free_block_home)
{
	struct kmem_cache *s;
	void *o;
	unsigned long before;

	up(false, false);
	s = mk("na64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(ptr, s->node[0]->alien, NULL));
	o = alloc_on(0, s);
	before = s->node[0]->free_objects;
	helper_slab_free(2, o);
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "__cache_free_alien:free_block"));
	cr_assert(eq(int, helper_slab_last_level(), 4));
	cr_assert(eq(ulong, s->node[0]->free_objects, before + 1));
	cr_assert(eq(ulong, s->node_frees, 1));
	down();
}

static void set_clock(int cpu, uint64_t ns)
{
	sim->vcpu[cpu].clock_ns = ns;
	sim_engine_set_cpu(cpu);
}

/* The first whole second at or after max(a, jiffies j). */
static uint64_t whole_second_after(uint64_t a_ns, unsigned long j)
{
	uint64_t t = a_ns > (uint64_t)j * 4000000ULL ? a_ns : (uint64_t)j * 4000000ULL;

	return (t + 999999999ULL) / 1000000000ULL * 1000000000ULL;
}

/*
 * cache_reap runs as a work item and __kmem_cache_shrink in process context: each returns
 * holding no lock and with IRQs on (process_one_work's "leaked lock or atomic" check).
 */
static void balanced(const char *what)
{
	cr_assert(eq(int, preempt_count(), 0), "%s returns with a lock held", what);
	cr_assert(not(irqs_disabled()), "%s returns with IRQs off", what);
}

/* vCPU 0's reap pass at `ns`; the next pass is due at `next`. */
static void reap_tick_at(uint64_t ns, uint64_t next)
{
	set_clock(0, ns);
	cr_assert(eq(u64, slab_cache_reap_tick(0, sim_now()), next), "pass at %" PRIu64 " ns", ns);
	balanced("cache_reap");
}

/* The pass at the first whole second when node work is due (next pass 2 s on); that second. */
static uint64_t reap_node_time(struct kmem_cache_node *n)
{
	uint64_t t = whole_second_after(slab_reap_next_ns(0), n->next_reap);

	reap_tick_at(t, t + 2000000000ULL);
	return t;
}

/* cache_reap: second chance for touched arrays, a fifth of the limit, node work every 4 s. */
/* The database's slab lifecycle events (slab_event_sink) of one cache. */
static int common_ev_cache, common_ev[NR_SLAB_EVENTS];

static void common_event(int cache, uint64_t slab_addr, int event, int node)
{
	(void)slab_addr;
	(void)node;
	if (cache == common_ev_cache)
		common_ev[event]++;
}

Test(slab, cache_reap_rules)
{
	struct kmem_cache *s;
	struct array_cache *ac;
	void *o[192];
	struct kmem_cache_node *n;
	uint64_t t;

	up(false, true);
	s = mk("rp64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(int, slab_tune_cache("rp64", 120, 60, 0), 0));	/* no shared array */
	/* each slab cache_grow_begin takes from the page allocator is a "new" event, each slab
	 * slab_destroy gives back a "discard" (kmem_getpages / kmem_freepages) */
	common_ev_cache = slab_cache_id_of(s);
	memset(common_ev, 0, sizeof(common_ev));
	slab_event_sink = common_event;
	n = s->node[0];
	ac = s->cpu_cache[0];
	cr_assert(eq(uint, n->free_limit, 244));
	/* Node work is due 4 s after creation plus the descriptor-address skew. */
	cr_assert(ge(ulong, n->next_reap, 1000));
	cr_assert(lt(ulong, n->next_reap, 2000));

	/* The first pass is due HZ - 3 * cpu jiffies after boot. */
	cr_assert(eq(u64, slab_reap_next_ns(0), 1000000000ULL));
	cr_assert(eq(u64, slab_reap_next_ns(1), 247 * 4000000ULL));
	cr_assert(eq(u64, slab_reap_next_ns(3), 241 * 4000000ULL));

	/* Three full slabs A, B, C (objects 0-63, 64-127, 128-191) out and back: the
	 * two free_block flushes empty A and leave 72 objects in the array. */
	alloc_n(0, s, o, 192);
	cr_assert(eq(ulong, n->total_slabs, 3));
	cr_assert(eq(int, n->free_touched, 1));
	free_n(0, o, 192);
	cr_assert(eq(uint, ac->avail, 72));
	cr_assert(eq(ulong, n->free_slabs, 1));

	/* 1 s: the array was touched; the pass only clears that.  No node work yet. */
	cr_assert(eq(uint, ac->touched, 1));
	reap_tick_at(1000000000ULL, 3000000000ULL);
	cr_assert(eq(uint, ac->touched, 0));
	cr_assert(eq(uint, ac->avail, 72));
	cr_assert(eq(int, n->free_touched, 1));

	/* 2 s: not due. */
	reap_tick_at(2000000000ULL, 3000000000ULL);
	cr_assert(eq(uint, ac->avail, 72));

	/* 3 s: (limit + 4) / 5 = 24 of the oldest go back (objects 120-143: B empties). */
	reap_tick_at(3000000000ULL, 5000000000ULL);
	cr_assert(eq(uint, ac->avail, 48));
	cr_assert(eq(ptr, ac->entry[0], o[144]));
	cr_assert(eq(ulong, n->free_slabs, 2));
	cr_assert(eq(int, n->free_touched, 1));

	/* Node time: free_touched is set (a free slab was wanted), so it is only cleared. */
	t = reap_node_time(n);
	cr_assert(eq(uint, ac->avail, 24));
	cr_assert(eq(int, n->free_touched, 0));
	cr_assert(eq(ulong, n->next_reap, t / 4000000ULL + 1000));
	cr_assert(eq(ulong, n->free_slabs, 2));
	cr_assert(eq(ulong, s->reaped, 0));

	/* Next node time: the last 24 go back (C empties), then one slab
	 * ((244 + 5 * 64 - 1) / (5 * 64) = 1) is destroyed from the tail of slabs_free: A. */
	reap_node_time(n);
	cr_assert(eq(uint, ac->avail, 0));
	cr_assert(eq(ulong, n->free_slabs, 2));
	cr_assert(eq(ulong, n->total_slabs, 2));
	cr_assert(eq(ulong, s->reaped, 1));
	cr_assert(eq(int, nr_destroys, 1));
	cr_assert(eq(ptr, virt_to_slab(o[0]), NULL));
	cr_assert(ne(ptr, virt_to_slab(o[64]), NULL));
	slab_event_sink = NULL;
	cr_expect(eq(int, common_ev[SLAB_EV_NEW], nr_grows));
	cr_expect(eq(int, common_ev[SLAB_EV_DISCARD], 1));
	down();
}

/*
 * Remote frees wait in node 1's alien array for node 0 (__cache_free_alien).  cache_reap on
 * CPU 2 (node 1) drains it (reap_alien, trylock, __drain_alien_cache) once its reap node
 * (next_reap_node, round robin over the nodes) comes to 0.  __kmem_cache_shrink then empties
 * every array: per-CPU (do_drain), alien (drain_alien_cache) and shared (drain_array_locked
 * with free_all), and destroys the free slabs.  Each returns with no lock held, IRQs on.
 */
Test(slab, reap_alien_and_shrink_release_their_locks)
{
	struct kmem_cache *s;
	struct array_cache *alien;
	void *o[8];
	int passes = 0;

	up(false, true);
	s = mk("ra64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(int, slab_tune_cache("ra64", 4, 2, 2), 0));
	alien = &s->node[1]->alien[0]->ac;
	alloc_n(0, s, o, 8);
	for (int i = 0; i < 3; i++)
		helper_slab_free(2, o[i]);
	cr_assert(lt(uint, 0, alien->avail));
	while (alien->avail && passes < 4) {
		set_clock(2, slab_reap_next_ns(2));
		slab_cache_reap_tick(2, sim_now());
		balanced("cache_reap");
		passes++;
	}
	cr_assert(eq(uint, alien->avail, 0));
	cr_assert(le(int, passes, 2));		/* two nodes: the reap node comes round in 2 passes */
	for (int i = 3; i < 8; i++)
		helper_slab_free(i & 1 ? 2 : 0, o[i]);
	set_clock(0, sim_now());
	cr_assert(eq(int, slab_shrink_cache(s), 0));	/* nothing left in use */
	balanced("__kmem_cache_shrink");
	for (int cpu = 0; cpu < 4; cpu++)
		cr_assert(eq(uint, s->cpu_cache[cpu]->avail, 0));
	cr_assert(eq(uint, alien->avail, 0));
	cr_assert(eq(uint, s->node[0]->shared->avail, 0));
	cr_assert(eq(ulong, s->node[0]->total_slabs, 0));
	down();
}

/* Objects of a slab come out in index order without randomisation: the last pushed first. */
Test(slab, objfreelist_and_order)
{
	struct kmem_cache *s;
	void *o[64];
	struct slab *slab;

	up(false, true);
	s = mk("of64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(uint, s->flags & CFLGS_OBJFREELIST_SLAB, CFLGS_OBJFREELIST_SLAB));
	o[0] = alloc_on(0, s);
	slab = slab_of(o[0]);
	cr_assert(eq(ptr, o[0], index_to_obj(s, slab, 15)));
	/* The index array lives in the last object until the slab is full. */
	cr_assert(eq(ptr, slab->freelist, index_to_obj(s, slab, 63)));
	for (int i = 1; i < 64; i++)
		o[i] = alloc_on(0, s);
	cr_assert(eq(uint, slab->active, 64));
	cr_assert(eq(ptr, slab->freelist, NULL));
	/* A free into the full slab (via a drain) makes that object the array. */
	helper_slab_free(0, o[7]);
	slab_shrink_cache(s);
	balanced("__kmem_cache_shrink");
	cr_assert(eq(ptr, slab->freelist, o[7]));
	cr_assert(eq(uint, slab->active, 63));
	cr_assert(eq(uint, get_free_obj(slab, 63), obj_to_index(s, slab, o[7])));
	down();
}

/* Randomised freelists: every object of the slab exactly once, not in index order. */
Test(slab, randomised_freelist_is_a_permutation)
{
	struct kmem_cache *s;
	void *o[64];
	struct slab *slab;
	uint64_t seen = 0;
	bool in_order = true;

	up(true, true);
	s = mk("rnd64", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(ne(ptr, s->random_seq, NULL));
	alloc_n(0, s, o, 64);
	slab = slab_of(o[0]);
	for (int i = 0; i < 64; i++) {
		unsigned int idx = obj_to_index(s, slab, o[i]);

		cr_assert(eq(ptr, slab_of(o[i]), slab));
		cr_assert(eq(int, !!(seen & (1ULL << idx)), 0));
		seen |= 1ULL << idx;
		if (i && idx != obj_to_index(s, slab, o[i - 1]) - 1)
			in_order = false;
	}
	cr_assert(eq(u64, seen, ~0ULL));
	cr_assert(eq(int, in_order, 0));
	down();
}

/* Off-slab index arrays are kmalloc'd (a nested operation) and kfree'd with the slab. */
Test(slab, off_slab_index_array)
{
	struct kmem_cache *s, *k32;
	void *o;
	struct slab *slab;
	const struct sim_op *outer;
	bool nested = false;

	up(false, true);
	s = mk("rcu512", 512, 0, SLAB_TYPESAFE_BY_RCU);
	k32 = (struct kmem_cache *)slab_find_cache("kmalloc-32");
	cr_assert(eq(uint, s->flags & CFLGS_OFF_SLAB, CFLGS_OFF_SLAB));
	o = alloc_on(0, s);
	outer = helper_slab_last_op();
	slab = slab_of(o);
	cr_assert(eq(ptr, slab_of(slab->freelist)->slab_cache, k32));
	for (size_t i = 0; i < logv.nr; i++)
		if (logv.ops[i].kind == SIM_OP_OBJ_ALLOC && logv.ops[i].parent_seq == outer->seq &&
		    logv.ops[i].cache == slab_cache_id(k32))
			nested = true;
	cr_assert(nested);
	helper_slab_free(0, o);
	slab_shrink_cache(s);
	cr_assert(eq(int, nr_destroys, 1));
	cr_assert(eq(ulong, s->node[0]->total_slabs, 0));
	down();
}

/* The kernel's counters agree with what the path log shows. */
Test(slab, counters_match_path_log)
{
	static const size_t sizes[] = { 24, 64, 100, 200, 512, 3000 };
	struct sim_prng r;
	void *held[256] = { 0 };
	unsigned long allochit = 0, allocmiss = 0, freehit = 0, freemiss = 0, node_frees = 0, grown = 0;

	up(true, true);
	/* Boot left counts behind (metadata allocations outside any operation). */
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *c = list_entry(p, struct kmem_cache, list);

		allochit -= c->allochit;
		allocmiss -= c->allocmiss;
		freehit -= c->freehit;
		freemiss -= c->freemiss;
		node_frees -= c->node_frees;
		grown -= c->grown;
	}
	sim_prng_seed(&r, 42);
	for (int i = 0; i < 6000; i++) {
		unsigned int slot = (unsigned int)sim_prng_below(&r, 256);
		int cpu = (int)sim_prng_below(&r, 4);

		if (held[slot]) {
			helper_slab_free(cpu, held[slot]);
			held[slot] = NULL;
		} else {
			held[slot] = helper_slab_alloc(cpu, NULL, sizes[sim_prng_below(&r, 6)], GFP_KERNEL,
						       NUMA_NO_NODE);
			cr_assert(ne(ptr, (void *)held[slot], NULL));
		}
	}
	/*
	 * The random mix above never fills a per-CPU array: its allocations on
	 * the same vCPU keep emptying it.  A freemiss needs ___cache_free to find
	 * avail == limit, so end with a burst: limit + 1 kmalloc(3000) on vCPU 1,
	 * then limit + 1 kfree on vCPU 1 with no allocation between them.
	 * enable_cpucache gives kmalloc-4k limit 24 (size > 1024, not above
	 * PAGE_SIZE); the objects are node 0's (vCPU 1's node), so no free is
	 * alien; whatever the array held before, it is full by the 24th free and
	 * the 25th at the latest is a freemiss (cache_flusharray, then the push).
	 */
	{
		struct kmem_cache *k4096 = (struct kmem_cache *)slab_find_cache("kmalloc-4k");
		void *burst[25];

		cr_assert(eq(uint, k4096->limit, 24));
		for (int i = 0; i < 25; i++) {
			burst[i] = helper_slab_alloc(1, NULL, 3000, GFP_KERNEL, NUMA_NO_NODE);
			cr_assert(ne(ptr, burst[i], NULL));
			cr_assert(eq(int, slab_nid(virt_to_slab(burst[i])), 0));
		}
		free_n(1, burst, 25);
	}
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *c = list_entry(p, struct kmem_cache, list);

		allochit += c->allochit;
		allocmiss += c->allocmiss;
		freehit += c->freehit;
		freemiss += c->freemiss;
		node_frees += c->node_frees;
		grown += c->grown;
	}
	cr_assert(eq(ulong, allochit, helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "____cache_alloc:allochit")));
	cr_assert(eq(ulong, allochit, helper_slab_count_level(&logv, SIM_OP_OBJ_ALLOC, 1)));
	cr_assert(eq(ulong, allocmiss, helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "____cache_alloc:allocmiss")));
	cr_assert(eq(ulong, freehit, helper_slab_count_label(&logv, SIM_OP_OBJ_FREE, "___cache_free:freehit")));
	cr_assert(eq(ulong, freemiss, helper_slab_count_label(&logv, SIM_OP_OBJ_FREE, "___cache_free:freemiss")));
	cr_assert(eq(ulong, node_frees, helper_slab_count_label(&logv, SIM_OP_OBJ_FREE, "__cache_free_alien")));
	cr_assert(eq(ulong, grown, (unsigned long)nr_grows));
	cr_assert(eq(ulong, grown, helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "cache_grow_begin")));
	cr_assert(lt(ulong, 0, node_frees));
	cr_assert(lt(ulong, 0, freemiss));
	/* Every object operation got a level. */
	cr_assert(eq(ulong, helper_slab_count_level(&logv, SIM_OP_OBJ_ALLOC, 0), 0));
	cr_assert(eq(ulong, helper_slab_count_level(&logv, SIM_OP_OBJ_FREE, 0), 0));
	down();
}

/* A corrupted state is found: an object in two arrays. */
Test(slab, check_finds_object_in_two_arrays)
{
	struct kmem_cache *s;
	void *o;
	FILE *why = tmpfile();
	char line[512] = "";

	up(false, true);
	s = mk("ck64", 64, 0, SLAB_HWCACHE_ALIGN);
	o = alloc_on(0, s);
	helper_slab_free(0, o);
	cr_assert(slab_check(NULL));
	s->cpu_cache[1]->entry[s->cpu_cache[1]->avail++] = o;
	cr_assert(eq(int, slab_check(why), 0));
	rewind(why);
	cr_assert(ne(ptr, fgets(line, sizeof(line), why), NULL));
	cr_assert(ne(ptr, strstr(line, "two arrays"), NULL), "%s", line);
	fclose(why);
	s->cpu_cache[1]->avail--;
	down();
}

/* ------------------------------------------------------------------ */
/* Determinism of a run with four vCPUs interleaving                    */

struct det_pool {
	void *obj[512];
	uint64_t seed;
};

static struct det_pool det_pool;
static uint64_t det_hash;
static int det_last_cpu;
static unsigned long det_nr_ops, det_nr_switches, det_nr_alien;

static void det_sink(const struct sim_op *op, void *arg)
{
	const char *sig = sim_path_sig_text(op->sig);
	uint64_t h = det_hash;

	(void)arg;
	det_nr_ops++;
	det_nr_switches += op->cpu != det_last_cpu;
	det_last_cpu = op->cpu;
	det_nr_alien += op->kind == SIM_OP_OBJ_FREE && op->level == 4;
	h = (h ^ op->seq) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)op->cpu) * 0x100000001b3ULL;
	h = (h ^ op->addr) * 0x100000001b3ULL;
	h = (h ^ (uint64_t)op->level) * 0x100000001b3ULL;
	h = (h ^ op->end_ns) * 0x100000001b3ULL;
	for (const char *c = sig; c && *c; c++)
		h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
	det_hash = h;
}

static void det_task(struct sim_task *t, void *arg)
{
	struct sim_prng r;
	static const size_t sizes[] = { 32, 64, 96, 192, 512, 1024 };

	(void)arg;
	sim_prng_seed(&r, det_pool.seed * 1000 + (uint64_t)t->pid);
	for (int i = 0; i < 400; i++) {
		unsigned int slot = (unsigned int)sim_prng_below(&r, 512);
		struct sim_op op;

		/* Slots are shared: objects are often freed on another vCPU or node. */
		if (det_pool.obj[slot]) {
			void *o = det_pool.obj[slot];

			det_pool.obj[slot] = NULL;
			sim_op_begin(&op, SIM_OP_OBJ_FREE);
			kfree(o);
			sim_op_end(&op);
		} else {
			void *o;

			sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
			op.gfp = GFP_KERNEL;
			o = kmalloc_node(sizes[sim_prng_below(&r, 6)], GFP_KERNEL, NUMA_NO_NODE);
			sim_op_end(&op);
			if (!det_pool.obj[slot])
				det_pool.obj[slot] = o;
			else
				kfree(o);
		}
	}
}

static uint64_t det_run(uint64_t seed)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	bool ok;

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->seed = seed;
	cr_assert(ne(ptr, helper_slab_machine_up_sc(s), NULL));
	memset(&det_pool, 0, sizeof(det_pool));
	det_pool.seed = seed;
	det_hash = 0xcbf29ce484222325ULL;
	det_last_cpu = 0;
	det_nr_ops = det_nr_switches = det_nr_alien = 0;
	sim_path_set_sink(det_sink, NULL);
	for (int cpu = 0; cpu < 4; cpu++)
		cr_assert(ne(ptr, sim_task_create(cpu, true, 100 + cpu, det_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	sim_path_set_sink(NULL, NULL);
	ok = slab_check(stderr);
	helper_slab_machine_down(s);
	cr_assert(ok);
	/* The four tasks really interleaved and freed across nodes. */
	cr_assert(ge(ulong, det_nr_ops, 1600));
	cr_assert(lt(ulong, 400, det_nr_switches));
	cr_assert(lt(ulong, 50, det_nr_alien));
	return det_hash;
}

Test(slab, multi_vcpu_run_is_deterministic)
{
	uint64_t a = det_run(7), b = det_run(7), c = det_run(8);

	cr_assert(eq(u64, a, b));
	cr_assert(ne(u64, a, c));
}

/* ------------------------------------------------------------------ */
/* IRQs off around the per-CPU array (SIM_GUARD_SLAB_IRQ)               */

static struct kmem_cache *irq_cache;
static unsigned long irq_nr_handled;

static void irq_handler(struct sim_vcpu *v, void *arg)
{
	struct sim_op op;
	void *o;

	(void)v;
	(void)arg;
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = GFP_ATOMIC;
	o = kmem_cache_alloc_node(irq_cache, GFP_ATOMIC, NUMA_NO_NODE);
	sim_op_end(&op);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(irq_cache, o);
	sim_op_end(&op);
	irq_nr_handled++;
}

static void irq_task(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	/* Three out, three back through a 2-entry array: each round refills once and
	 * flushes once, both under n->list_lock. */
	for (int i = 0; i < 1000; i++) {
		struct sim_op op;
		void *a[3];

		for (int k = 0; k < 3; k++) {
			sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
			a[k] = kmem_cache_alloc_node(irq_cache, GFP_KERNEL, NUMA_NO_NODE);
			sim_op_end(&op);
		}
		for (int k = 0; k < 3; k++) {
			sim_op_begin(&op, SIM_OP_OBJ_FREE);
			kmem_cache_free(irq_cache, a[k]);
			sim_op_end(&op);
		}
	}
}

/* One run: a task refilling and flushing a 2-entry array while interrupts use the
 * same cache on the same vCPU.  Returns whether the run went wrong. */
static bool irq_run(bool guard_on, char *why, size_t why_len)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	int rc;
	bool bad;
	FILE *f = tmpfile();

	cr_assert(ne(ptr, s, NULL));
	sim_scenario_default(s);
	s->seed = 11;
	s->guard_off[SIM_GUARD_SLAB_IRQ] = !guard_on;
	cr_assert(ne(ptr, helper_slab_machine_up_sc(s), NULL));
	irq_cache = (struct kmem_cache *)kmem_cache_create("irq64", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(eq(int, slab_tune_cache("irq64", 2, 1, 0), 0));
	irq_nr_handled = 0;
	helper_slab_log_start(&logv);
	/* Interrupts a few hundred ns apart, jittered so they land all over the task's code. */
	for (uint64_t i = 1, t = 0; i <= 4000; i++) {
		t += 300 + i * 7919 % 613;
		sim_irq_raise(0, t, irq_handler, NULL);
	}
	cr_assert(ne(ptr, sim_task_create(0, true, 200, irq_task, NULL), NULL));
	rc = sim_engine_run();
	bad = rc != 0;
	snprintf(why, why_len, "%s", sim->fail_reason);
	if (!bad) {
		bad = !slab_check(f) ||
		      helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "alloc_block:array_overflow") ||
		      helper_slab_count_label(&logv, SIM_OP_OBJ_FREE, "__free_one:array_overflow");
		rewind(f);
		if (!fgets(why, (int)why_len, f) && bad)
			snprintf(why, why_len, "array overflow");
	}
	fclose(f);
	cr_assert(lt(ulong, guard_on ? 100 : 0, irq_nr_handled));
	helper_slab_log_stop(&logv);
	helper_slab_machine_down(s);
	return bad;
}

Test(slab, irq_guard_protects_array_cache)
{
	char why[256] = "";

	/* Guard on: interrupts only between the task's SLAB sections; never wrong. */
	cr_assert(eq(int, irq_run(true, why, sizeof(why)), 0), "%s", why);
	/* Guard off: an interrupt lands inside a refill or flush (list_lock held or
	 * the array half-updated) and the run goes wrong. */
	cr_assert(eq(int, irq_run(false, why, sizeof(why)), 1));
	cr_assert(lt(ulong, 0, strlen(why)));
}

/*
 * The array's end with SIM_GUARD_SLAB_IRQ off: the kernel's per-CPU array_cache has room for
 * `limit` entries (alloc_arraycache: entry[] of `entries` = limit pointers, mm/slab.c), and
 * cache_alloc_refill fills it from an empty state only because IRQs are off meanwhile.  Here a
 * cache of one object per slab (4096 bytes: calculate_slab_order's order 0 holds one), limit 2,
 * batchcount 2, two free slabs on the node; the array emptied; the next allocation refills with
 * batchcount 2 under n->list_lock; at its first step with the lock held an interrupt frees one
 * object into the array (___cache_free: avail < limit, stored).  Each slab gives one object, so
 * with the interrupt's object and the one from the first slab the array is at its limit while
 * batchcount is not spent: the next store would be entry[limit], past the array, and the model
 * records the overrun there (storing nothing), once.
 */
static struct kmem_cache *ovf_cache;
static void *ovf_obj;		/* freed by the interrupt */
static bool ovf_armed, ovf_done;

static void ovf_irq(struct sim_vcpu *v, void *arg)
{
	struct array_cache *ac = cpu_cache_get(ovf_cache);
	struct kmem_cache_node *n = get_node(ovf_cache, numa_mem_id());
	struct sim_op op;

	(void)v;
	(void)arg;
	if (!ovf_armed || ovf_done)
		return;
	/* not inside the refill's locked section yet: come again at the task's next step */
	if (n->list_lock.owner != 0 || ac->avail >= ac->limit) {
		sim_irq_raise(0, sim_now() + 1, ovf_irq, NULL);
		return;
	}
	ovf_done = true;
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(ovf_cache, ovf_obj);
	sim_op_end(&op);
}

static void *ovf_alloc(void)
{
	struct sim_op op;
	void *o;

	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	o = kmem_cache_alloc_node(ovf_cache, GFP_KERNEL, NUMA_NO_NODE);
	sim_op_end(&op);
	cr_assert(ne(ptr, o, NULL));
	return o;
}

static void ovf_task(struct sim_task *t, void *arg)
{
	struct kmem_cache_node *n = get_node(ovf_cache, numa_mem_id());
	struct array_cache *ac = cpu_cache_get(ovf_cache);
	void *o[4];

	(void)t;
	(void)arg;
	for (int i = 0; i < 4; i++)
		o[i] = ovf_alloc();
	/* a, b back to the array; c finds it full: a and b flushed, their slabs free; c, d in the array */
	for (int i = 0; i < 4; i++) {
		struct sim_op op;

		sim_op_begin(&op, SIM_OP_OBJ_FREE);
		kmem_cache_free(ovf_cache, o[i]);
		sim_op_end(&op);
	}
	cr_assert(eq(uint, ac->avail, 2));
	cr_assert(eq(ulong, n->free_objects, 2));
	ovf_obj = ovf_alloc();		/* d: allochit */
	(void)ovf_alloc();		/* c: the array empty */
	cr_assert(eq(uint, ac->avail, 0));
	/* an interrupt at each of the task's steps from now on, until one lands in the refill */
	sim_irq_raise(0, sim_now() + 1, ovf_irq, NULL);
	ovf_armed = true;
	(void)ovf_alloc();		/* the refill the interrupt lands in */
	ovf_armed = false;
	cr_assert(le(uint, ac->avail, ac->limit));
}

Test(slab, irq_guard_off_refill_stops_at_the_array_limit)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));
	FILE *f = tmpfile();
	char why[256] = "";

	cr_assert(ne(ptr, s, NULL));
	sim_scenario_default(s);
	s->guard_off[SIM_GUARD_SLAB_IRQ] = true;
	cr_assert(ne(ptr, helper_slab_machine_up_sc(s), NULL));
	ovf_cache = (struct kmem_cache *)kmem_cache_create("ovf4k", 4096, 0, 0, false);
	cr_assert(eq(uint, ovf_cache->num, 1));
	cr_assert(eq(int, slab_tune_cache("ovf4k", 2, 2, 0), 0));
	ovf_armed = ovf_done = false;
	helper_slab_log_start(&logv);
	cr_assert(ne(ptr, sim_task_create(0, true, 200, ovf_task, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0), "%s", sim->fail_reason);
	cr_assert(ovf_done);
	cr_expect(eq(sz, helper_slab_count_label(&logv, SIM_OP_OBJ_ALLOC, "alloc_block:array_overflow"), 1));
	cr_expect(not(slab_check(f)));
	rewind(f);
	cr_expect(ne(ptr, fgets(why, sizeof(why), f), NULL));
	cr_expect(ne(ptr, strstr(why, "the per-CPU array is full"), NULL), "%s", why);
	fclose(f);
	helper_slab_log_stop(&logv);
	helper_slab_machine_down(s);
}

/* cache_reap drains the alien array of the round-robin node to that node. */
Test(slab, reap_alien_round_robin)
{
	struct kmem_cache *s;
	void *o[3];
	struct array_cache *alien;

	up(false, true);
	s = mk("ra64", 64, 0, SLAB_HWCACHE_ALIGN);
	alloc_n(0, s, o, 3);
	free_n(3, o, 3);
	alien = &s->node[1]->alien[0]->ac;
	cr_assert(eq(uint, alien->avail, 3));
	/* CPU 3 is on node 1: it starts reaping aliens of node 0, then alternates. */
	cr_assert(eq(ulong, slab_reap_node[3], 0));
	set_clock(3, 1000000000ULL);
	slab_cache_reap_tick(3, sim_now());
	cr_assert(eq(uint, alien->avail, 0));
	cr_assert(eq(uint, s->node[0]->shared->avail, 3));
	cr_assert(eq(ptr, s->node[0]->shared->entry[2], o[2]));
	cr_assert(eq(ulong, slab_reap_node[3], 1));
	/* Now node 1's own turn: there is no alien array for it; an alien object stays. */
	o[0] = alloc_on(1, s);
	helper_slab_free(3, o[0]);
	set_clock(3, 3000000000ULL);
	slab_cache_reap_tick(3, sim_now());
	cr_assert(eq(uint, alien->avail, 1));
	cr_assert(eq(ulong, slab_reap_node[3], 0));
	down();
}

/* The hardened double-free check drops a free of the object on top of the array. */
Test(slab, double_free_on_top_is_dropped)
{
	struct kmem_cache *s;
	void *o;

	up(false, true);
	s = mk("df64", 64, 0, SLAB_HWCACHE_ALIGN);
	o = alloc_on(0, s);
	helper_slab_free(0, o);
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 16));
	helper_slab_free(0, o);
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "__free_one:double_free"));
	cr_assert(eq(uint, s->cpu_cache[0]->avail, 16));
	down();
}

/* GFP_DMA kmallocs come from dma-kmalloc-* caches whose slabs are in ZONE_DMA. */
Test(slab, dma_kmalloc_from_dma_zone)
{
	void *o;

	up(false, true);
	o = helper_slab_alloc(0, NULL, 100, GFP_KERNEL | GFP_DMA, NUMA_NO_NODE);
	cr_assert(ne(ptr, o, NULL));
	cr_assert(eq(str, (char *)virt_to_slab(o)->slab_cache->name, "dma-kmalloc-128"));
	cr_assert(eq(int, virt_to_page(o)->zid, ZONE_DMA));
	helper_slab_free(0, o);
	down();
}

/* free_block gives slabs back to the page allocator once free objects pass free_limit (L5). */
Test(slab, free_block_destroys_beyond_free_limit)
{
	struct kmem_cache *s;
	struct kmem_cache_node *n;
	void *o[128];
	int first_l5 = -1;

	up(false, true);
	s = mk("fb2", 64, 0, SLAB_HWCACHE_ALIGN);
	cr_assert(eq(int, slab_tune_cache("fb2", 2, 1, 0), 0));
	n = s->node[0];
	cr_assert(eq(uint, n->free_limit, 3 * 1 + 64));	/* one free slab fits, two do not */
	alloc_n(0, s, o, 128);
	cr_assert(eq(ulong, n->total_slabs, 2));
	for (int i = 0; i < 128; i++) {
		helper_slab_free(0, o[i]);
		cr_assert(le(ulong, n->free_objects, n->free_limit));
		if (helper_slab_last_level() == 5 && first_l5 < 0) {
			first_l5 = i;
			cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "free_block"));
			cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "slabs_destroy"));
		}
	}
	/* The first slab emptied at the 64th flush, the second filled free_objects past
	 * 67 four objects later: the free slab went back to the buddy allocator. */
	cr_assert(ge(int, first_l5, 64));
	cr_assert(eq(int, nr_destroys, 1));
	cr_assert(eq(ulong, n->total_slabs, 1));
	cr_assert(le(ulong, n->free_slabs, 1));
	down();
}

/* fallback_alloc with no free objects anywhere grows with the caller's full flags
 * (IRQs back on for a blocking gfp) and files the new slab on slabs_free first. */
Test(slab, fallback_alloc_grows_anywhere)
{
	struct kmem_cache *s;
	void *x;

	up_mib(false, true, 256);
	s = mk("fg64", 64, 0, SLAB_HWCACHE_ALIGN);
	sim_engine_set_cpu(2);
	for (int order = MAX_ORDER - 1; order >= 0; order--)
		while (alloc_pages_node(1, GFP_NOWAIT | __GFP_THISNODE | __GFP_NOWARN, (unsigned int)order))
			;
	x = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, x, NULL));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_assert(eq(int, helper_slab_last_level(), 5));
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 0));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_grow_begin:failed"));
	cr_assert(eq(int, nr_grows, 1));	/* node 1 failed, node 0 grew */
	cr_assert(eq(int, grows[0].node, 0));
	cr_assert(eq(ulong, s->grown, 1));
	cr_assert(eq(ulong, s->node_allocs, 1));
	cr_assert(eq(ulong, s->node[0]->free_objects, 63));
	down();
}

/* The reaper is deferrable work on each vCPU's kworker: it runs while the vCPU is busy. */
static void busy_3500ms(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	for (int i = 0; i < 3500; i++) {
		sim_yield(1000000);
		sim_cond_resched();
	}
}

/* ... and an idle vCPU does not wake up for it (INIT_DEFERRABLE_WORK). */
static void sleeper(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_task_sleep_until(3500000000ULL);
}

/* The default scenario's machine and a 64-byte cache `name` whose vCPU 0 array cache
 * was refilled by one allocation and took the object back: that array cache. */
static struct sim_scenario *reap_up(const char *name, struct array_cache **ac)
{
	struct sim_scenario *sc2 = calloc(1, sizeof(*sc2));
	struct kmem_cache *s;

	cr_assert(ne(ptr, sc2, NULL));
	sim_scenario_default(sc2);
	cr_assert(ne(ptr, helper_slab_machine_up_sc(sc2), NULL));
	s = mk(name, 64, 0, SLAB_HWCACHE_ALIGN);
	*ac = s->cpu_cache[0];
	helper_slab_free(0, alloc_on(0, s));
	return sc2;
}

Test(slab, reaper_runs_on_kworkers)
{
	struct array_cache *ac;
	struct sim_scenario *sc2 = reap_up("kw64", &ac);

	cr_assert(eq(uint, ac->avail, 16));
	cr_assert(eq(uint, ac->touched, 1));
	cr_assert(ne(ptr, sim_task_create(0, true, 300, busy_3500ms, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	/* 1 s: touched cleared; 3 s: (16 + 1) / 2 = 8 drained; next pass due at 5 s. */
	cr_assert(eq(uint, ac->touched, 0));
	cr_assert(eq(uint, ac->avail, 8));
	cr_assert(eq(u64, slab_reap_next_ns(0), 5000000000ULL));
	cr_assert(slab_check(stderr));
	helper_slab_machine_down(sc2);
}

Test(slab, an_idle_cpu_does_not_wake_up_to_reap)
{
	struct array_cache *ac;
	struct sim_scenario *sc2 = reap_up("kw64i", &ac);

	cr_assert(ne(ptr, sim_task_create(0, true, 300, sleeper, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(uint, ac->touched, 1), "the reaper ran on a sleeping vCPU");
	cr_assert(eq(uint, ac->avail, 16));
	helper_slab_machine_down(sc2);
}

/*
 * fallback_alloc (mm/slab.c) walks the zonelist up to gfp_zone(flags): a __GFP_DMA request
 * looks at ZONE_DMA only, which the machine has on node 0 alone (16 MiB).  Asked for node 1
 * (no DMA zone), ____cache_alloc_node cannot grow there and falls back; node 0's ZONE_DMA is
 * in the zonelist and node 0 holds free objects of the cache, so the object comes from its
 * partial slab (L4) and nothing grows.
 */
Test(slab, fallback_alloc_dma_takes_node0s_free_objects)
{
	struct kmem_cache *s;
	void *local, *x;

	up_mib(false, true, 256);
	s = mk("fbdma64", 64, 0, SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA);
	local = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_DMA, NUMA_NO_NODE);
	cr_assert(ne(ptr, local, NULL));
	cr_assert(eq(int, virt_to_head_page(local)->zid, ZONE_DMA));
	cr_assert(eq(int, nr_grows, 1));

	x = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_DMA, 1);
	cr_assert(ne(ptr, x, NULL));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "fallback_alloc"));
	cr_assert(eq(int, helper_slab_last_level(), 4));
	cr_assert(eq(int, helper_slab_last_op()->mem_node, 0));
	cr_assert(eq(int, nr_grows, 1));	/* no new slab: node 0's free objects served it */
	cr_assert(eq(ptr, (void *)slab_of(x), (void *)slab_of(local)));
	down();
}

/*
 * Each object of a bulk call is an operation of its own that records what a single call
 * would (slab_bulk_op_end, as kmem_cache_alloc/kmem_cache_free): an allocation the cache
 * and its object size (the kmem_cache_alloc tracepoint's bytes_req, 40 here), a free the
 * cache and size 0 (kmem_cache_free has no size).
 */
Test(slab, bulk_objects_record_size_as_single_calls)
{
	struct kmem_cache *s;
	void *p[3];
	size_t nalloc = 0, nfree = 0;

	up(false, true);
	s = mk("bulksz40", 40, 0, 0);
	logv.nr = 0;
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, p), 3));
	kmem_cache_free_bulk(s, 3, p);
	for (size_t i = 0; i < logv.nr; i++) {
		const struct sim_op *op = &logv.ops[i];

		if (op->kind == SIM_OP_OBJ_ALLOC) {
			nalloc++;
			cr_expect(eq(int, op->cache, slab_cache_id(s)));
			cr_expect(eq(u32, op->size, 40));
		} else if (op->kind == SIM_OP_OBJ_FREE) {
			nfree++;
			cr_expect(eq(int, op->cache, slab_cache_id(s)));
			cr_expect(eq(u32, op->size, 0));
		}
	}
	cr_expect(eq(sz, nalloc, 3));
	cr_expect(eq(sz, nfree, 3));
	down();
}

/* NR_SLAB_UNRECLAIMABLE_B of a node in pages, per-CPU diffs included (node_page_state + pcp). */
static long slab_unreclaimable_pages(int nid)
{
	const struct pglist_data *p = NODE_DATA(nid);
	long v = p->vm_stat[NR_SLAB_UNRECLAIMABLE_B];

	for (int cpu = 0; p->per_cpu_nodestats && cpu < nr_cpu_ids; cpu++)
		v += p->per_cpu_nodestats[cpu].vm_node_stat_diff[NR_SLAB_UNRECLAIMABLE_B];
	return v;
}

/*
 * account_slab (kmem_getpages) adds a new slab's 1 << gfporder pages to its node's
 * NR_SLAB_UNRECLAIMABLE_B, unaccount_slab (kmem_freepages) takes them off again: one
 * object of a fresh cache grows one slab on node 0; after its free, __kmem_cache_shrink
 * destroys that slab and the counter is back where it was.
 */
Test(slab, slab_pages_accounted_and_unaccounted)
{
	struct kmem_cache *s;
	long before, grown;
	void *o;

	up(false, true);
	s = mk("acct64", 64, 0, SLAB_HWCACHE_ALIGN);
	before = slab_unreclaimable_pages(0);
	o = alloc_on(0, s);
	cr_assert(ne(ptr, o, NULL));
	cr_assert(eq(int, nr_grows, 1));
	grown = slab_unreclaimable_pages(0);
	cr_expect(eq(long, grown - before, 1L << s->gfporder));
	helper_slab_free(0, o);
	set_clock(0, sim_now());
	cr_assert(eq(int, slab_shrink_cache(s), 0));
	cr_assert(eq(ulong, s->node[0]->total_slabs, 0));
	cr_expect(eq(long, slab_unreclaimable_pages(0), before));
	down();
}

/* With the reaper off (the scenario's slab.reaper false: slab_set_reaper) start_cpu_timer
 * queues no cache_reap: after 3.5 busy seconds the array keeps its 16 objects and its
 * touched mark, where reaper_runs_on_kworkers drains it to 8. */
Test(slab, reaper_off_queues_no_cache_reap)
{
	struct array_cache *ac;
	struct sim_scenario *sc2;

	slab_set_reaper(false);
	sc2 = reap_up("kw64off", &ac);
	cr_assert(ne(ptr, sim_task_create(0, true, 300, busy_3500ms, NULL), NULL));
	cr_assert(eq(int, sim_engine_run(), 0));
	slab_set_reaper(true);
	cr_expect(eq(uint, ac->touched, 1));
	cr_expect(eq(uint, ac->avail, 16));
	cr_assert(slab_check(stderr));
	helper_slab_machine_down(sc2);
}
