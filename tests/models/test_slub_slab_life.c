/*
 * test_slub_slab_life.c - a slab's life seen from outside the allocation paths, suite
 * `slub_slab_life`, under 6.1 and 6.12 (mm/slub.c):
 *
 *  - __free_slab: every page of the slab stops being a slab page (__folio_clear_slab and the
 *    folio's pages going back); the pages after it, another slab's, keep theirs.
 *  - get_slabinfo: num_objs is the node's total_objects, active_objs those minus the free
 *    objects on the node's partial slabs.
 *  - kmem_cache_alloc_bulk: the tid is bumped before ___slab_alloc (the fast path may have
 *    taken objects without bumping it), by ___slab_alloc's load_freelist, and once at the end.
 *  - the slab events (slab_common.h's SLAB_EV_*) of new_slab, ___slab_alloc, deactivate_slab,
 *    get_partial_node and put_cpu_partial, in the kernel's order of those steps.
 *
 * Machine: 2 nodes x 2 CPUs; caches made with kmem_cache_create, freelists in address order.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
}

static void down(void)
{
	slab_event_sink = NULL;
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

static uint64_t slab_pfn(const struct slab *slab)
{
	return virt_to_pfn(slab->addr);
}

/* Every slab event of one cache, in order: (slab address, event). */
static struct kmem_cache *ev_cache;
static struct { uint64_t slab; int event; } ev_log[64];
static int ev_n;

static void ev_sink(int cache, uint64_t slab_addr, int event, int node)
{
	(void)node;
	if (cache == ev_cache->id && ev_n < 64) {
		ev_log[ev_n].slab = slab_addr;
		ev_log[ev_n++].event = event;
	}
}

static void ev_start(struct kmem_cache *s)
{
	ev_cache = s;
	ev_n = 0;
	slab_event_sink = ev_sink;
}

/* The events of one slab since ev_start, as a string of their numbers ("0,1,2"). */
static const char *ev_of(const void *obj)
{
	static char buf[256];
	uint64_t addr = ptr_u64(slab_address(virt_to_slab(obj)));
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < ev_n && len + 4 < sizeof(buf); i++)
		if (ev_log[i].slab == addr)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d", len ? "," : "", ev_log[i].event);
	return buf;
}

static const char *seq(int n, const int *ev)
{
	static char buf[4][256];
	static int next;
	char *b = buf[next++ % 4];
	size_t len = 0;

	b[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, 256 - len, "%s%d", i ? "," : "", ev[i]);
	return b;
}

#define SEQ(...) seq((int)(sizeof((int[]){ __VA_ARGS__ }) / sizeof(int)), (int[]){ __VA_ARGS__ })

/*
 * A 1024-byte cache, min_partial 0 and no CPU partial lists, so a slab whose last object comes
 * is discarded once off the CPU (unfreeze_partials and deactivate_slab: nr_partial >=
 * min_partial).  CPU 0 fills slab A and starts slab B (one object).  The lower of the two is
 * emptied and the CPU flushed (flush_all): __free_slab must clear each of its 1 << order
 * pages, and the slab right above it keeps its pages.
 */
static void free_slab_clears_its_pages(enum kernel_version v)
{
	struct kmem_cache *s;
	struct slab *a, *b, *lo, *hi;
	unsigned int objs, order, npages;
	void *p[64];

	up(v);
	s = kmem_cache_create("life1k", 1024, 0, 0, false);
	cr_assert(s != NULL);
	slub_store_min_partial(s, 0);
	cr_assert(eq(int, slub_store_cpu_partial(s, 0), 0));
	objs = oo_objects(s->oo);
	order = oo_order(s->oo);
	npages = 1u << order;
	cr_assert(lt(u32, 0u, order), "a multi-page slab");
	cr_assert(lt(u32, objs, 64u));
	for (unsigned int i = 0; i <= objs; i++) {
		p[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
		cr_assert(p[i] != NULL);
	}
	a = virt_to_slab(p[0]);
	b = virt_to_slab(p[objs]);
	cr_assert(ne(ptr, a, b));
	lo = slab_pfn(a) < slab_pfn(b) ? a : b;
	hi = lo == a ? b : a;
	cr_assert(eq(u64, slab_pfn(hi), slab_pfn(lo) + npages), "the two slabs are neighbours");
	for (unsigned int i = 0; i < npages; i++)
		cr_assert(eq(ptr, pfn_to_page(slab_pfn(lo) + i)->slab_meta, lo));

	uint64_t lo_pfn = slab_pfn(lo);
	unsigned long freed = slub_stat(s, FREE_SLAB, -1);

	if (lo == a) {
		for (unsigned int i = 0; i < objs; i++)
			helper_slab_free(0, p[i]);
	} else {
		helper_slab_free(0, p[objs]);
	}
	slub_flush_all(s);
	cr_expect(eq(ulong, slub_stat(s, FREE_SLAB, -1), freed + 1), "the lower slab is freed");
	for (unsigned int i = 0; i < npages; i++)
		cr_expect(eq(ptr, pfn_to_page(lo_pfn + i)->slab_meta, NULL), "page %u of the freed slab", i);
	for (unsigned int i = 0; i < npages; i++)
		cr_expect(eq(ptr, pfn_to_page(slab_pfn(hi) + i)->slab_meta, hi), "page %u of the slab above", i);
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, free_slab_clears_its_pages_6_1) { free_slab_clears_its_pages(KERNEL_6_1); }
Test(slub_slab_life, free_slab_clears_its_pages_6_12) { free_slab_clears_its_pages(KERNEL_6_12); }

/*
 * The kernel's struct slab is the struct page of the slab's first page (page_slab): a slab
 * freed by __free_slab and a new slab on the same page are one struct.  A one-object order-0
 * slab of CPU 0, emptied and flushed (min_partial 0: discard_slab), goes to CPU 0's pcp list
 * head (mm/page_alloc.c free_unref_page_commit: list_add), and CPU 0's next new slab takes
 * that head (__rmqueue_pcplist: list_first_entry): the same page, so the same struct slab.
 */
static void freed_slab_struct_comes_back(enum kernel_version v)
{
	struct kmem_cache *s;
	struct slab *a;
	uint64_t a_pfn;
	void *p, *q;

	up(v);
	s = kmem_cache_create("life_again", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_order(s->oo), 0u));
	slub_store_min_partial(s, 0);
	cr_assert(eq(int, slub_store_cpu_partial(s, 0), 0));
	p = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p != NULL);
	a = virt_to_slab(p);
	a_pfn = slab_pfn(a);
	helper_slab_free(0, p);
	slub_flush_all(s);
	cr_assert(eq(ulong, slub_stat(s, FREE_SLAB, -1), 1));
	q = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(q != NULL);
	cr_assert(eq(u64, slab_pfn(virt_to_slab(q)), a_pfn), "the freed page is the new slab's");
	cr_expect(eq(ptr, virt_to_slab(q), a), "the page's struct slab is the freed one");
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 2));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, freed_slab_struct_comes_back_6_1) { freed_slab_struct_comes_back(KERNEL_6_1); }
Test(slub_slab_life, freed_slab_struct_comes_back_6_12) { freed_slab_struct_comes_back(KERNEL_6_12); }

/*
 * get_slabinfo after 20 allocations of 256 bytes (16 per order-0 slab, a reclaimable cache)
 * on CPU 0 and one free:
 * two slabs, num_objs = total_objects = 32.  Both slabs are frozen or full (nothing on the
 * node's partial list), so active_objs = 32 as well: objects on a CPU freelist count as active.
 */
static void slabinfo_counts(enum kernel_version v)
{
	struct kmem_cache *s;
	struct slab_cache_info info;
	void *p[20];

	up(v);
	s = kmem_cache_create("life256", 256, 0, SLAB_RECLAIM_ACCOUNT, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 16));
	for (int i = 0; i < 20; i++)
		p[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_free(0, p[19]);
	get_slabinfo(s, &info);
	/* the cache's own fields: the model's flags without __CMPXCHG_DOUBLE / __OBJECT_POISON */
	cr_expect(eq(int, info.id, s->id));
	cr_expect(lt(int, 0, info.id), "after the boot and kmalloc caches");
	cr_expect(eq(str, (char *)info.name, "life256"));
	cr_expect(eq(u32, info.object_size, 256));
	cr_expect(eq(u32, info.size, 256));
	cr_expect(eq(u32, info.align, 8));
	cr_expect(eq(u32, info.flags, SLAB_RECLAIM_ACCOUNT));
	cr_expect(eq(int, info.refcount, 1));
	cr_expect(eq(ulong, info.num_objs, 32));
	cr_expect(eq(ulong, info.active_objs, 32));
	cr_expect(eq(ulong, info.num_slabs, 2));
	cr_expect(eq(ulong, info.active_slabs, 2));
	cr_expect(eq(u32, info.objs_per_slab, 16));
	cr_expect(eq(u32, info.order, 0));
	/* Flushed: the cpu slab B (3 objects in use) goes on node 0's partial list with 13 free. */
	slub_flush_all(s);
	get_slabinfo(s, &info);
	cr_expect(eq(ulong, info.num_objs, 32));
	cr_expect(eq(ulong, info.active_objs, 19));
	down();
}

Test(slub_slab_life, slabinfo_counts_6_1) { slabinfo_counts(KERNEL_6_1); }
Test(slub_slab_life, slabinfo_counts_6_12) { slabinfo_counts(KERNEL_6_12); }

/*
 * kmem_cache_alloc_bulk of 3 on an empty cache on CPU 0: c->freelist is empty, so the tid is
 * bumped (1) before ___slab_alloc, which takes a new slab and ends at load_freelist (2); the
 * other two objects come off c->freelist, and the call ends with one more bump (3).
 */
static void bulk_bumps_tid(enum kernel_version v)
{
	struct kmem_cache *s;
	void *p[3];
	uint64_t tid0;

	up(v);
	s = kmem_cache_create("life_bulk", 256, 0, 0, false);
	cr_assert(s != NULL);
	sim_engine_set_cpu(0);
	tid0 = per_cpu_ptr(s->cpu_slab, 0)->tid;
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_KERNEL, 3, p), 3));
	cr_expect(eq(u64, per_cpu_ptr(s->cpu_slab, 0)->tid, tid0 + 3 * (uint64_t)TID_STEP));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1));
	down();
}

Test(slub_slab_life, bulk_bumps_tid_6_1) { bulk_bumps_tid(KERNEL_6_1); }
Test(slub_slab_life, bulk_bumps_tid_6_12) { bulk_bumps_tid(KERNEL_6_12); }


/*
 * get_freelist on a slab that is already the CPU's (frozen) freezes nothing: 6.1's finds it
 * frozen (VM_BUG_ON otherwise), 6.12's keeps frozen set (new.frozen = freelist != NULL) and
 * the slab was frozen before, so no FREEZE event.  CPU 0 takes all 16 objects of A; CPU 1
 * frees one (a remote free into a frozen slab: slab->freelist); CPU 0's next request takes
 * it back through get_freelist (ALLOC_REFILL): A has no event at all.
 */
static void refill_freezes_nothing(enum kernel_version v)
{
	struct kmem_cache *s;
	void *a[16], *q;

	up(v);
	s = kmem_cache_create("life_refill", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 16));
	for (int i = 0; i < 16; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	helper_slab_free(1, a[3]);
	cr_assert(eq(ulong, slub_stat(s, FREE_FROZEN, -1), 1));
	ev_start(s);
	q = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(ptr, q, a[3]));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_REFILL, -1), 1));
	cr_expect(eq(str, (char *)ev_of(a[0]), ""), "no event of the cpu slab");
	down();
}

Test(slub_slab_life, refill_freezes_nothing_6_1) { refill_freezes_nothing(KERNEL_6_1); }
Test(slub_slab_life, refill_freezes_nothing_6_12) { refill_freezes_nothing(KERNEL_6_12); }

/*
 * The life of slabs of a 256-byte cache (16 objects) on CPU 0, event by event:
 *  - the first allocation: new_slab (NEW), ___slab_alloc makes it frozen (FREEZE) and
 *    installs it as c->slab at retry_load_slab (CPU_SLAB);
 *  - the 17th: get_freelist finds A full and unfreezes it (deactivate_bypass: UNFREEZE), then a
 *    new slab B (NEW, FREEZE, CPU_SLAB);
 *  - a node-1 request: B is on node 0, so deactivate_slab unfreezes it by cmpxchg (UNFREEZE) and
 *    puts it, neither empty nor full, on node 0's partial list (add_partial: PARTIAL_ADD); a new
 *    node-1 slab C (NEW, FREEZE, CPU_SLAB);
 *  - CPU 1 then takes B off node 0's list (get_partial_node: remove_partial, PARTIAL_DEL) and
 *    freezes it (6.1 acquire_slab, 6.12 freeze_slab: FREEZE), and installs it (CPU_SLAB);
 *  - the free of an object of the full A on CPU 0 puts A on CPU 0's partial list
 *    (put_cpu_partial: CPU_PARTIAL_ADD; 6.1 freezes it first in __slab_free: FREEZE);
 *  - with C used up, the next request drops it (bypass: UNFREEZE) and installs A from the
 *    chain (CPU_SLAB); 6.12's get_freelist freezes it then (FREEZE), 6.1's was frozen.
 */
static void slab_events(enum kernel_version v)
{
	struct kmem_cache *s;
	void *a[16], *b, *c, *b1;

	up(v);
	s = kmem_cache_create("life_ev", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(u32, oo_objects(s->oo), 16));
	ev_start(s);
	for (int i = 0; i < 16; i++)
		a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(str, (char *)ev_of(a[0]), (char *)SEQ(SLAB_EV_NEW, SLAB_EV_FREEZE, SLAB_EV_CPU_SLAB)));
	b = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(int, virt_to_slab(b)->nid, 0));
	cr_expect(eq(str, (char *)ev_of(a[0]),
		     (char *)SEQ(SLAB_EV_NEW, SLAB_EV_FREEZE, SLAB_EV_CPU_SLAB, SLAB_EV_UNFREEZE)));
	cr_expect(eq(str, (char *)ev_of(b), (char *)SEQ(SLAB_EV_NEW, SLAB_EV_FREEZE, SLAB_EV_CPU_SLAB)));

	ev_n = 0;
	c = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(c != NULL);
	cr_assert(eq(int, virt_to_slab(c)->nid, 1));
	cr_expect(eq(str, (char *)ev_of(b), (char *)SEQ(SLAB_EV_UNFREEZE, SLAB_EV_PARTIAL_ADD)));
	cr_expect(eq(str, (char *)ev_of(c), (char *)SEQ(SLAB_EV_NEW, SLAB_EV_FREEZE, SLAB_EV_CPU_SLAB)));
	cr_expect(eq(u32, virt_to_slab(b)->frozen, 0));

	ev_n = 0;
	b1 = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(ptr, virt_to_slab(b1), virt_to_slab(b)));
	cr_expect(eq(str, (char *)ev_of(b), (char *)SEQ(SLAB_EV_PARTIAL_DEL, SLAB_EV_FREEZE, SLAB_EV_CPU_SLAB)));

	ev_n = 0;
	helper_slab_free(0, a[3]);
	if (v == KERNEL_6_1)
		cr_expect(eq(str, (char *)ev_of(a[0]), (char *)SEQ(SLAB_EV_FREEZE, SLAB_EV_CPU_PARTIAL_ADD)));
	else
		cr_expect(eq(str, (char *)ev_of(a[0]), (char *)SEQ(SLAB_EV_CPU_PARTIAL_ADD)));

	/* C used up: the next request drops it (bypass) and takes A off the chain (L3). */
	for (int i = 1; i < 16; i++)
		cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);
	ev_n = 0;
	cr_assert(eq(ptr, helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), a[3]));
	cr_expect(eq(str, (char *)ev_of(c), (char *)SEQ(SLAB_EV_UNFREEZE)));
	if (v == KERNEL_6_1)
		cr_expect(eq(str, (char *)ev_of(a[0]), (char *)SEQ(SLAB_EV_CPU_SLAB)));
	else
		cr_expect(eq(str, (char *)ev_of(a[0]), (char *)SEQ(SLAB_EV_CPU_SLAB, SLAB_EV_FREEZE)));
	slab_event_sink = NULL;
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, slab_events_6_1) { slab_events(KERNEL_6_1); }
Test(slub_slab_life, slab_events_6_12) { slab_events(KERNEL_6_12); }

/*
 * __slab_free (6.12 mm/slub.c): a slab on its node's partial list whose last object comes back
 * is discarded when the node keeps min_partial slabs already (slab_empty: remove_partial,
 * FREE_REMOVE_PARTIAL, discard_slab, FREE_SLAB); 6.1 the same.  The slab gets there by a
 * node-1 request on CPU 0 that deactivates its one-object cpu slab B onto node 0's list.
 * min_partial 0.
 */
static void node_partial_slab_emptied_is_discarded(enum kernel_version v)
{
	struct kmem_cache *s;
	void *b;
	struct slab *sb;
	unsigned long freed;
	uint64_t addr;

	up(v);
	s = kmem_cache_create("life_empty", 256, 0, 0, false);
	cr_assert(s != NULL);
	slub_store_min_partial(s, 0);
	b = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(b != NULL);
	sb = virt_to_slab(b);
	cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, 1) != NULL);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 1), "B is on node 0's list");
	cr_assert(eq(u32, sb->frozen, 0));
	freed = slub_stat(s, FREE_SLAB, -1);
	addr = ptr_u64(slab_address(sb));
	ev_start(s);
	helper_slab_free(1, b);
	slab_event_sink = NULL;
	/* remove_partial (PARTIAL_DEL), then discard_slab (DISCARD) */
	cr_expect(eq(int, ev_n, 2));
	cr_expect(eq(u64, ev_log[0].slab, addr));
	cr_expect(eq(int, ev_log[0].event, SLAB_EV_PARTIAL_DEL));
	cr_expect(eq(u64, ev_log[1].slab, addr));
	cr_expect(eq(int, ev_log[1].event, SLAB_EV_DISCARD));
	cr_expect(eq(ulong, slub_stat(s, FREE_SLAB, -1), freed + 1));
	cr_expect(eq(ulong, slub_stat(s, FREE_REMOVE_PARTIAL, -1), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 0));
	cr_expect(eq(ulong, get_node(s, 0)->nr_slabs, 0));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, node_partial_slab_emptied_is_discarded_6_1) { node_partial_slab_emptied_is_discarded(KERNEL_6_1); }
Test(slub_slab_life, node_partial_slab_emptied_is_discarded_6_12) { node_partial_slab_emptied_is_discarded(KERNEL_6_12); }

/*
 * __put_partials (6.12 mm/slub.c; __unfreeze_partials in 6.1) walks CPU 0's chain from its
 * head: an empty slab goes on a separate discard list (slab->next = slab_to_discard), the
 * others on the node list.  Chain B (empty) -> A (15 in use), cpu_partial_slabs 2,
 * min_partial 0: the free into full slab C finds 2 slabs (put_cpu_partial's drain) and puts
 * the chain: B discarded, A on node 0's list.
 */
static void put_partials_discards_only_the_empty_head(enum kernel_version v)
{
	struct kmem_cache *s;
	void *o[3 * 16 + 1];
	struct slab *sa;
	unsigned long freed;

	up(v);
	s = kmem_cache_create("life_chain", 256, 0, 0, false);
	cr_assert(s != NULL);
	for (int i = 0; i < 3 * 16 + 1; i++)	/* A, B, C full, D the cpu slab */
		cr_assert(ne(ptr, o[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, 0), NULL));
	sa = virt_to_slab(o[0]);
	s->cpu_partial_slabs = 2;
	s->min_partial = 0;
	helper_slab_free(0, o[0]);		/* A on the chain */
	for (int i = 16; i < 32; i++)		/* B in front of it, then empty there */
		helper_slab_free(0, o[i]);
	cr_assert(eq(int, per_cpu_ptr(s->cpu_slab, 0)->partial->slabs, 2));
	freed = slub_stat(s, FREE_SLAB, -1);
	helper_slab_free(0, o[32]);		/* C: the chain B -> A is put */
	cr_expect(eq(ulong, slub_stat(s, CPU_PARTIAL_DRAIN, -1), 1));
	/* the chain starts again with C alone (asserted: a longer one may loop below) */
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, virt_to_slab(o[32])));
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial->next, NULL));
	cr_assert(eq(int, per_cpu_ptr(s->cpu_slab, 0)->partial->slabs, 1));
	cr_expect(eq(ulong, slub_stat(s, FREE_SLAB, -1), freed + 1));
	cr_expect(eq(ulong, slub_stat(s, DEACTIVATE_EMPTY, -1), 1));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	cr_expect(sa->node_partial);
	cr_expect(eq(u32, sa->inuse, 15));
	cr_expect(eq(ulong, get_node(s, 0)->nr_slabs, 3));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, put_partials_discards_only_the_empty_head_6_1) { put_partials_discards_only_the_empty_head(KERNEL_6_1); }
Test(slub_slab_life, put_partials_discards_only_the_empty_head_6_12) { put_partials_discards_only_the_empty_head(KERNEL_6_12); }

/*
 * allocate_slab adds the cache's allocflags to the request (flags |= s->allocflags): a
 * SLAB_CACHE_DMA cache (allocflags GFP_DMA, calculate_sizes) gets its slabs from ZONE_DMA for a
 * plain GFP_KERNEL allocation; a plain cache does not.
 */
static void dma_cache_slabs_come_from_zone_dma(enum kernel_version v)
{
	struct kmem_cache *dma, *plain;
	void *p, *q;

	up(v);
	dma = kmem_cache_create("life_dma", 128, 0, SLAB_CACHE_DMA, false);
	plain = kmem_cache_create("life_plain", 128, 0, SLAB_RECLAIM_ACCOUNT, false);
	cr_assert(dma != NULL && plain != NULL);
	cr_assert(ne(u32, dma->allocflags & GFP_DMA, 0));
	p = helper_slab_alloc(0, dma, 0, GFP_KERNEL, NUMA_NO_NODE);
	q = helper_slab_alloc(0, plain, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p != NULL && q != NULL);
	cr_expect(eq(int, virt_to_page(p)->zid, ZONE_DMA));
	cr_expect(ne(int, virt_to_page(q)->zid, ZONE_DMA));
	down();
}

Test(slub_slab_life, dma_cache_slabs_come_from_zone_dma_6_1) { dma_cache_slabs_come_from_zone_dma(KERNEL_6_1); }
Test(slub_slab_life, dma_cache_slabs_come_from_zone_dma_6_12) { dma_cache_slabs_come_from_zone_dma(KERNEL_6_12); }

/*
 * A node-1 request when node 1 has no free page.  6.12's ___slab_alloc asks node 1 alone first
 * (pc.flags GFP_NOWAIT | __GFP_NOWARN | __GFP_THISNODE: get_partial, then new_slab); that
 * fails, so it goes back to new_objects with try_thisnode false and the caller's flags: the
 * page allocator falls back to node 0.  6.1 asks once, with the caller's flags.  Either way
 * the slab is on node 0.  Machine: node 0 1 GiB, node 1 32 MiB (taken page by page).
 */
static struct page *node1_pages[1 << 14];

static void exhausted_node_falls_back(enum kernel_version v)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct kmem_cache *s;
	size_t n = 0;
	void *p;

	cr_assert(msc != NULL);
	kernel_version = v;
	sim_scenario_default(msc);
	msc->node[1].zone_mib[ZONE_DMA32] = 32;
	cr_assert(ne(ptr, helper_slub_machine_up_sc(msc, false), NULL));
	s = kmem_cache_create("life_thisnode", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(eq(int, cpu_to_node(2), 1));
	while (n < sizeof(node1_pages) / sizeof(node1_pages[0]) &&
	       (node1_pages[n] = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY, 0)))
		n++;
	cr_assert(lt(ulong, 1000, n));
	cr_assert(lt(ulong, n, sizeof(node1_pages) / sizeof(node1_pages[0])));

	p = helper_slab_alloc(2, s, 0, GFP_KERNEL, 1);
	cr_assert(p != NULL);
	cr_expect(eq(int, virt_to_slab(p)->nid, 0));
	cr_expect(eq(int, helper_slab_op_has_label(helper_slab_last_op(), "___slab_alloc:try_thisnode_failed"),
		     v == KERNEL_6_12));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 2)->slab, virt_to_slab(p)));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(msc);
	kernel_version = KERNEL_6_1;
}

Test(slub_slab_life, exhausted_node_falls_back_6_1) { exhausted_node_falls_back(KERNEL_6_1); }
Test(slub_slab_life, exhausted_node_falls_back_6_12) { exhausted_node_falls_back(KERNEL_6_12); }

/*
 * ___slab_alloc: a request for a node without normal memory (not in slab_nodes) is served as
 * one for no node.  Node 1 has CPUs but no memory.  CPU 0 (node 0) asks for node 1: with no
 * cpu slab it takes a new slab (on node 0); then, its cpu slab on node 0, another node-1
 * request is no node mismatch: the fast path cannot serve it (node_match fails), the slow path
 * drops the node and takes the next object of the cpu slab (no ALLOC_NODE_MISMATCH, no
 * deactivation).  The first request, with no cpu slab, drops the node too (mm/slub.c 6.12
 * ___slab_alloc: node not in slab_nodes -> NUMA_NO_NODE before goto new_slab), so 6.12's
 * new_objects does not make it a __GFP_THISNODE try of node 1 (no try_thisnode_failed).
 */
static void memoryless_node_request(enum kernel_version v)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct kmem_cache *s;
	void *p, *q;

	cr_assert(msc != NULL);
	kernel_version = v;
	sim_scenario_default(msc);
	memset(msc->node[1].zone_mib, 0, sizeof(msc->node[1].zone_mib));
	cr_assert(ne(ptr, helper_slub_machine_up_sc(msc, false), NULL));
	cr_assert(not(node_isset_slab(1)));
	s = kmem_cache_create("life_nomem", 256, 0, 0, false);
	cr_assert(s != NULL);
	p = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(p != NULL);
	cr_expect(eq(int, virt_to_slab(p)->nid, 0));
	/* The node was dropped before new_slab: 6.12's new_objects never tries node 1 alone. */
	cr_expect(not(helper_slab_op_has_label(helper_slab_last_op(), "___slab_alloc:try_thisnode_failed")));
	q = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_expect(eq(ptr, q, (char *)p + 256));
	cr_expect(eq(int, helper_slab_last_level(), 1), "the cpu slab's next object, in the slow path");
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLOWPATH, -1), 2));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_NODE_MISMATCH, -1), 0));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, virt_to_slab(p)));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(msc);
	kernel_version = KERNEL_6_1;
}

Test(slub_slab_life, memoryless_node_request_6_1) { memoryless_node_request(KERNEL_6_1); }
Test(slub_slab_life, memoryless_node_request_6_12) { memoryless_node_request(KERNEL_6_12); }

/*
 * The node dropped, ___slab_alloc's get_partial searches the local node (mm/slub.c get_partial:
 * NUMA_NO_NODE -> numa_mem_id()): a request for memoryless node 1 from CPU 0, which has no cpu
 * slab, takes node 0's partial slab (ALLOC_FROM_PARTIAL) and makes no new slab.  Had the node
 * stayed 1, get_partial would look at node 1's list only (node != NUMA_NO_NODE: no
 * get_any_partial in 6.1) and new_slab would run.  Node 0's partial slab: two objects taken
 * on CPU 1, then CPU 1 flushed (deactivate_slab puts it on the list).
 */
static void memoryless_node_takes_a_local_partial(enum kernel_version v)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct kmem_cache *s;
	struct slab *a;
	void *p0, *p1, *q;

	cr_assert(msc != NULL);
	kernel_version = v;
	sim_scenario_default(msc);
	memset(msc->node[1].zone_mib, 0, sizeof(msc->node[1].zone_mib));
	cr_assert(ne(ptr, helper_slub_machine_up_sc(msc, false), NULL));
	cr_assert(not(node_isset_slab(1)));
	cr_assert(eq(int, cpu_to_node(1), 0));
	s = kmem_cache_create("life_nomem_partial", 256, 0, 0, false);
	cr_assert(s != NULL);
	p0 = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	p1 = helper_slab_alloc(1, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p0 != NULL && p1 != NULL);
	a = virt_to_slab(p0);
	sim_engine_set_cpu(1);
	__flush_cpu_slab(s, 1);
	cr_assert(eq(ulong, get_node(s, 0)->nr_partial, 1));
	cr_assert(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1));

	q = helper_slab_alloc(0, s, 0, GFP_KERNEL, 1);
	cr_assert(q != NULL);
	cr_expect(eq(ptr, virt_to_slab(q), a), "node 0's partial slab serves it");
	cr_expect(eq(ulong, slub_stat(s, ALLOC_FROM_PARTIAL, -1), 1));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1), "no new slab");
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(msc);
	kernel_version = KERNEL_6_1;
}

Test(slub_slab_life, memoryless_node_takes_a_local_partial_6_1) { memoryless_node_takes_a_local_partial(KERNEL_6_1); }
Test(slub_slab_life, memoryless_node_takes_a_local_partial_6_12) { memoryless_node_takes_a_local_partial(KERNEL_6_12); }

/*
 * A per-CPU partial list with slabs of both nodes: putting it (6.12 __put_partials, 6.1
 * __unfreeze_partials) takes each node's list_lock in turn and lists each slab on its own
 * node.  CPU 0 fills A (node 0), CPU 2 fills C (node 1); CPU 0 frees one object of each, so
 * its list is C -> A; flushing CPU 0 lists C on node 1 and A on node 0.
 */
static void partial_list_of_two_nodes(enum kernel_version v)
{
	struct kmem_cache *s;
	void *a[17], *c[17];
	struct slab *sa, *sc_;

	up(v);
	s = kmem_cache_create("life_nodes", 256, 0, 0, false);
	cr_assert(s != NULL);
	for (int i = 0; i < 17; i++) {
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
		cr_assert(ne(ptr, c[i] = helper_slab_alloc(2, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	}
	sa = virt_to_slab(a[0]);
	sc_ = virt_to_slab(c[0]);
	cr_assert(eq(int, sa->nid, 0));
	cr_assert(eq(int, sc_->nid, 1));
	helper_slab_free(0, a[0]);
	helper_slab_free(0, c[0]);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, sc_));
	sim_engine_set_cpu(0);
	__flush_cpu_slab(s, 0);
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->partial, NULL));
	cr_expect(sa->node_partial);
	cr_expect(sc_->node_partial);
	cr_expect(eq(ulong, get_node(s, 1)->nr_partial, 1), "C on node 1");
	cr_expect(eq(ptr, list_first_entry(&get_node(s, 1)->partial, struct slab, slab_list), sc_));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 2), "A and CPU 0's slab B on node 0");
	cr_expect(eq(ulong, slub_stat(s, FREE_ADD_PARTIAL, -1), 2));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_slab_life, partial_list_of_two_nodes_6_1) { partial_list_of_two_nodes(KERNEL_6_1); }
Test(slub_slab_life, partial_list_of_two_nodes_6_12) { partial_list_of_two_nodes(KERNEL_6_12); }

/* The flags of the page allocations in the log (SIM_OP_PAGE_ALLOC), in order. */
static size_t page_gfps(const struct helper_slab_log *log, gfp_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < log->nr && n < max; i++)
		if (log->ops[i].kind == SIM_OP_PAGE_ALLOC)
			out[n++] = log->ops[i].gfp;
	return n;
}

/*
 * allocate_slab's first try is opportunistic: the caller's flags with __GFP_NOWARN and
 * __GFP_NORETRY, without __GFP_NOFAIL; when it may reclaim and s->oo is above s->min, also
 * __GFP_NOMEMALLOC and without __GFP_RECLAIM (no reclaim, no kswapd).  A 1024-byte cache (order
 * 2, min order 0) and a 256-byte one (order 0 = min), asked with GFP_KERNEL | __GFP_NOFAIL.
 */
static void first_try_is_opportunistic(enum kernel_version v)
{
	struct kmem_cache *big, *small;
	struct helper_slab_log log;
	gfp_t g[4];

	up(v);
	big = kmem_cache_create("life_big", 1024, 0, 0, false);
	small = kmem_cache_create("life_small", 256, 0, 0, false);
	cr_assert(big != NULL && small != NULL);
	cr_assert(lt(u32, oo_order(big->min), oo_order(big->oo)));
	cr_assert(eq(u32, oo_order(small->oo), oo_order(small->min)));

	helper_slab_log_start(&log);
	cr_assert(helper_slab_alloc(0, big, 0, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE) != NULL);
	cr_assert(eq(ulong, page_gfps(&log, g, 4), 1));
	cr_expect(eq(u32, g[0] & (__GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC),
		     __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC));
	cr_expect(eq(u32, g[0] & (__GFP_RECLAIM | __GFP_NOFAIL), 0));
	cr_expect(eq(u32, g[0] & (__GFP_IO | __GFP_FS), __GFP_IO | __GFP_FS));
	helper_slab_log_stop(&log);

	helper_slab_log_start(&log);
	cr_assert(helper_slab_alloc(0, small, 0, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE) != NULL);
	cr_assert(eq(ulong, page_gfps(&log, g, 4), 1));
	cr_expect(eq(u32, g[0] & (__GFP_NOWARN | __GFP_NORETRY), __GFP_NOWARN | __GFP_NORETRY));
	cr_expect(eq(u32, g[0] & (__GFP_NOMEMALLOC | __GFP_NOFAIL), 0));
	cr_expect(eq(u32, g[0] & __GFP_RECLAIM, __GFP_RECLAIM));
	helper_slab_log_stop(&log);
	down();
}

Test(slub_slab_life, first_try_is_opportunistic_6_1) { first_try_is_opportunistic(KERNEL_6_1); }
Test(slub_slab_life, first_try_is_opportunistic_6_12) { first_try_is_opportunistic(KERNEL_6_12); }

/*
 * Before start_kernel lifts gfp_allowed_mask (GFP_BOOT_MASK: no __GFP_RECLAIM, __GFP_IO or
 * __GFP_FS), a new slab's pages are asked for without them whatever the caller passed; after,
 * with them.  The model's slub_boot_gfp stands for the boot mask.
 */
static void boot_mask_strips_reclaim_io_fs(enum kernel_version v)
{
	struct kmem_cache *s;
	struct helper_slab_log log;
	gfp_t g[4];

	up(v);
	s = kmem_cache_create("life_boot", 256, 0, 0, false);
	cr_assert(s != NULL);
	cr_assert(not(slub_boot_gfp));
	slub_boot_gfp = true;
	helper_slab_log_start(&log);
	cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);
	cr_assert(eq(ulong, page_gfps(&log, g, 4), 1));
	cr_expect(eq(u32, g[0] & (__GFP_RECLAIM | __GFP_IO | __GFP_FS), 0));
	helper_slab_log_stop(&log);
	slub_boot_gfp = false;
	helper_slab_log_start(&log);
	cr_assert(helper_slab_alloc(2, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);
	cr_assert(eq(ulong, page_gfps(&log, g, 4), 1));
	cr_expect(eq(u32, g[0] & (__GFP_RECLAIM | __GFP_IO | __GFP_FS), __GFP_RECLAIM | __GFP_IO | __GFP_FS));
	helper_slab_log_stop(&log);
	down();
}

Test(slub_slab_life, boot_mask_strips_reclaim_io_fs_6_1) { boot_mask_strips_reclaim_io_fs(KERNEL_6_1); }
Test(slub_slab_life, boot_mask_strips_reclaim_io_fs_6_12) { boot_mask_strips_reclaim_io_fs(KERNEL_6_12); }

/*
 * The transaction id of CPU 0 (kmem_cache_cpu.tid, one TID_STEP per bump): each fast-path
 * allocation or free bumps it once (its this_cpu_cmpxchg_double installs next_tid); the slow
 * path bumps it at load_freelist, and once more where it drops the cpu slab (the
 * deactivate_slab label's c->tid = next_tid for a node mismatch; get_freelist finding the
 * slab full: the bypass).
 */
static uint64_t tid0(const struct kmem_cache *s)
{
	return per_cpu_ptr(s->cpu_slab, 0)->tid;
}

static void tid_bumps(enum kernel_version v)
{
	struct kmem_cache *s;
	void *a, *b;
	uint64_t t;

	up(v);
	s = kmem_cache_create("life_tid", 256, 0, 0, false);
	cr_assert(s != NULL);
	t = tid0(s);
	a = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);	/* new slab: load_freelist */
	cr_expect(eq(u64, tid0(s), t + TID_STEP));
	t = tid0(s);
	b = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);	/* fast path */
	cr_expect(eq(u64, tid0(s), t + TID_STEP));
	t = tid0(s);
	helper_slab_free(0, b);						/* fast free */
	cr_expect(eq(u64, tid0(s), t + TID_STEP));
	t = tid0(s);
	cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, 1) != NULL);	/* mismatch: drop, new, load */
	cr_expect(eq(u64, tid0(s), t + 2 * TID_STEP));
	for (int i = 1; i < 16; i++)					/* the node-1 slab used up */
		cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);
	t = tid0(s);
	cr_assert(helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE) != NULL);	/* bypass, load */
	cr_expect(eq(u64, tid0(s), t + 2 * TID_STEP));
	cr_expect(eq(ulong, slub_stat(s, DEACTIVATE_BYPASS, -1), 1));
	(void)a;
	down();
}

Test(slub_slab_life, tid_bumps_6_1) { tid_bumps(KERNEL_6_1); }
Test(slub_slab_life, tid_bumps_6_12) { tid_bumps(KERNEL_6_12); }
