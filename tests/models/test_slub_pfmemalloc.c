/*
 * test_slub_pfmemalloc.c - new slabs when memory is short, suite `slub_pfmemalloc`, under 6.1
 * and 6.12 (mm/slub.c ___slab_alloc and allocate_slab, mm/page_alloc.c): a slab from the
 * reserves for a request that may not use them, the fallback to s->min, a bulk allocation
 * that runs out and a cache that cannot get its random sequence (at the end).
 *
 * With every page taken, a GFP_KERNEL | __GFP_NOFAIL slab allocation fails its first try
 * (allocate_slab strips __GFP_NOFAIL and adds __GFP_NORETRY), then the s->min try keeps
 * __GFP_NOFAIL: __alloc_pages_may_oom's __alloc_pages_cpuset_fallback with
 * ALLOC_NO_WATERMARKS gives a page of the reserves, marked pfmemalloc (prep_new_page).  The
 * request has no __GFP_MEMALLOC, so pfmemalloc_match fails on the new slab: ___slab_alloc
 * hands out its first object and deactivates it (the rest of the freelist, 15 objects), so the
 * CPU keeps no reserve slab: it goes to the head of node 0's partial list.
 *
 * Machine: 1 node, 2 CPUs, 64 MiB; a 256-byte cache (16 objects per order-0 slab).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct page *pages[1 << 15];

/* A 1-node machine of 2 CPUs and 64 MiB (DMA 16, DMA32 48) under kernel v; freelists shuffled
 * (CONFIG_SLAB_FREELIST_RANDOM) or not. */
static struct sim_scenario *small_machine_random(enum kernel_version v, bool freelist_random)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	cr_assert(sc != NULL);
	kernel_version = v;
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[1], 0, sizeof(sc->node[1]));
	sc->node[0].nr_cpus = 2;
	sc->node[0].zone_mib[ZONE_DMA] = 16;
	sc->node[0].zone_mib[ZONE_DMA32] = 48;
	cr_assert(ne(ptr, helper_slub_machine_up_sc(sc, freelist_random), NULL));
	return sc;
}

static struct sim_scenario *small_machine(enum kernel_version v)
{
	return small_machine_random(v, false);
}

/* Take every page GFP_KERNEL (with __GFP_MEMALLOC: the reserves too) gets at order 0. */
static size_t grab_pages(gfp_t extra)
{
	size_t n = 0;

	while (n < sizeof(pages) / sizeof(pages[0]) && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN | extra, 0)))
		n++;
	cr_assert(lt(ulong, 1000, n));
	return n;
}

static void reserve_slab_is_not_kept(enum kernel_version v)
{
	struct sim_scenario *sc = small_machine(v);
	struct kmem_cache *s;
	struct slab *slab;
	void *p;

	s = kmem_cache_create("reserve256", 256, 0, 0, false);
	cr_assert(s != NULL);
	grab_pages(0);
	cr_assert(eq(ptr, helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE), NULL));

	p = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_NOFAIL, NUMA_NO_NODE);
	cr_assert(p != NULL);
	slab = virt_to_slab(p);
	cr_expect(slab->pfmemalloc);
	cr_expect(helper_slab_op_has_label(helper_slab_last_op(), "___slab_alloc:pfmemalloc_new_slab"));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, NULL), "no reserve slab on the CPU");
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, NULL));
	cr_expect(eq(u32, slab->frozen, 0));
	cr_expect(eq(u32, slab->inuse, 1));
	cr_expect(eq(ptr, slab->freelist, (char *)p + 256));
	cr_expect(eq(ulong, get_node(s, 0)->nr_partial, 1));
	cr_expect(eq(ulong, slub_stat(s, DEACTIVATE_TO_HEAD, -1), 1));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_SLAB, -1), 1));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, reserve_slab_is_not_kept_6_1) { reserve_slab_is_not_kept(KERNEL_6_1); }
Test(slub_pfmemalloc, reserve_slab_is_not_kept_6_12) { reserve_slab_is_not_kept(KERNEL_6_12); }

/*
 * allocate_slab's fallback (mm/slub.c): when s->oo fails, s->min is asked with the caller's
 * own flags (no __GFP_NORETRY, __GFP_NOMEMALLOC or __GFP_NOWARN added, reclaim allowed again),
 * and ORDER_FALLBACK counted.  Every page taken, every other one given back: no block above
 * order 0 anywhere; kmalloc-2k (order 3, min order 0) falls back to one order-0 page.
 */
static void order_fallback_uses_the_callers_flags(enum kernel_version v)
{
	struct sim_scenario *sc = small_machine(v);
	struct kmem_cache *k2;
	struct helper_slab_log log;
	gfp_t g[2];
	size_t n, np = 0;
	void *p;

	k2 = slab_find_cache("kmalloc-2k");
	cr_assert(eq(u32, oo_order(k2->oo), 3));
	cr_assert(eq(u32, oo_order(k2->min), 0));
	n = grab_pages(__GFP_MEMALLOC);
	for (size_t i = 0; i < n; i += 2)
		__free_pages(pages[i], 0);

	helper_slab_log_start(&log);
	p = helper_slab_alloc(0, NULL, 2048, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(p != NULL);
	for (size_t i = 0; i < log.nr; i++)
		if (log.ops[i].kind == SIM_OP_PAGE_ALLOC && np < 2)
			g[np++] = log.ops[i].gfp;
	helper_slab_log_stop(&log);
	cr_assert(eq(ulong, np, 2), "the order-3 try, then the order-0 one");
	cr_expect(eq(u32, g[0] & (__GFP_NORETRY | __GFP_NOMEMALLOC), __GFP_NORETRY | __GFP_NOMEMALLOC));
	cr_expect(eq(u32, g[1] & (__GFP_NORETRY | __GFP_NOMEMALLOC | __GFP_NOWARN), 0));
	cr_expect(eq(u32, g[1] & __GFP_RECLAIM, __GFP_RECLAIM));
	cr_expect(eq(ulong, slub_stat(k2, ORDER_FALLBACK, -1), 1));
	cr_expect(eq(u32, virt_to_slab(p)->objects, 2));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, order_fallback_uses_the_callers_flags_6_1) { order_fallback_uses_the_callers_flags(KERNEL_6_1); }
Test(slub_pfmemalloc, order_fallback_uses_the_callers_flags_6_12) { order_fallback_uses_the_callers_flags(KERNEL_6_12); }

/*
 * kmem_cache_alloc_bulk (6.1; __kmem_cache_alloc_bulk in 6.12) that cannot get every object
 * frees what it got (kmem_cache_free_bulk) and returns 0.  A 1-node machine whose pages are
 * all taken; CPU 0's slab A has 15 objects on c->freelist: a bulk of 20 takes them, then
 * ___slab_alloc finds A full (bypass) and no page for a new slab: the 15 go back to A (one
 * __slab_free of a 15-object list, A now on CPU 0's partial list with 1 object in use).
 */
static void failed_bulk_frees_what_it_got(enum kernel_version v)
{
	struct sim_scenario *msc = small_machine(v);
	struct kmem_cache *ms;
	void *x, *p[20];
	struct slab *sa;

	ms = kmem_cache_create("bulk_fail", 256, 0, 0, false);
	cr_assert(ms != NULL);
	x = helper_slab_alloc(0, ms, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(x != NULL);
	sa = virt_to_slab(x);
	grab_pages(0);
	sim_engine_set_cpu(0);
	cr_expect(eq(int, kmem_cache_alloc_bulk(ms, GFP_KERNEL | __GFP_NOWARN, 20, p), 0));
	cr_expect(eq(u32, sa->inuse, 1), "the 15 taken are back");
	cr_expect(eq(ulong, slub_stat(ms, DEACTIVATE_BYPASS, -1), 1));
	cr_expect(eq(ulong, slub_stat(ms, FREE_SLOWPATH, -1), 1));
	cr_expect(eq(ptr, per_cpu_ptr(ms->cpu_slab, 0)->slab, NULL));
	cr_expect(eq(ptr, per_cpu_ptr(ms->cpu_slab, 0)->partial, sa));
	cr_expect(eq(int, preempt_count(), 0));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(msc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, failed_bulk_frees_what_it_got_6_1) { failed_bulk_frees_what_it_got(KERNEL_6_1); }
Test(slub_pfmemalloc, failed_bulk_frees_what_it_got_6_12) { failed_bulk_frees_what_it_got(KERNEL_6_12); }


/*
 * init_cache_random_seq -> cache_random_seq_create (mm/slab_common.c): the sequence is a
 * kcalloc; when it fails the cache is not made (kmem_cache_open: -ENOMEM).  With every page
 * taken and kmalloc-64 used up, a new 256-byte cache (16 objects: a 64-byte sequence) cannot
 * get its sequence: kmem_cache_create fails, and its struct goes back to kmem_cache.
 */
static void no_memory_for_the_random_sequence(enum kernel_version v)
{
	struct sim_scenario *sc = small_machine_random(v, true);
	struct kmem_cache *k64 = slab_find_cache("kmalloc-64");
	unsigned long in_use;
	int n = 0;

	cr_assert(k64 != NULL);
	grab_pages(0);
	while (kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE) && n < 100000)
		n++;
	cr_assert(lt(int, n, 100000));
	cr_assert(eq(ptr, kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE), NULL));
	in_use = slub_stat(slab_find_cache("kmem_cache"), ALLOC_FASTPATH, -1) +
		 slub_stat(slab_find_cache("kmem_cache"), ALLOC_SLOWPATH, -1);
	cr_expect(eq(ptr, kmem_cache_create("no_seq", 256, 0, 0, false), NULL));
	cr_expect(lt(ulong, in_use, slub_stat(slab_find_cache("kmem_cache"), ALLOC_FASTPATH, -1) +
				 slub_stat(slab_find_cache("kmem_cache"), ALLOC_SLOWPATH, -1)),
		  "the struct was allocated from kmem_cache first");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, no_memory_for_the_random_sequence_6_1) { no_memory_for_the_random_sequence(KERNEL_6_1); }
Test(slub_pfmemalloc, no_memory_for_the_random_sequence_6_12) { no_memory_for_the_random_sequence(KERNEL_6_12); }

/*
 * ___slab_alloc (mm/slub.c, 6.1 and 6.12): a cpu slab from the reserves serves only requests
 * entitled to them; the fast path does not look (slab_alloc_node checks node_match only), the
 * slow path does: pfmemalloc_match fails, the slab is deactivated (goto deactivate_slab) and a
 * new one is sought.  Every page taken, a __GFP_MEMALLOC request gets a reserve slab and keeps
 * it as the cpu slab (it is entitled); its 16 objects taken, a plain GFP_KERNEL request finds
 * c->freelist empty: pfmemalloc_mismatch, the full slab goes on no list (DEACTIVATE_FULL),
 * and with no page for a new slab the request fails (slab_out_of_memory; 6.12's second try
 * without __GFP_THISNODE is for a request naming a node, which this one does not).
 */
static void reserve_cpu_slab_is_dropped_for_a_plain_request(enum kernel_version v)
{
	struct sim_scenario *sc = small_machine(v);
	struct kmem_cache *s;
	const struct sim_op *op;
	struct slab *slab;
	void *p;

	s = kmem_cache_create("reserve_cpu", 256, 0, 0, false);
	cr_assert(s != NULL);
	grab_pages(0);
	p = helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_MEMALLOC, NUMA_NO_NODE);
	cr_assert(p != NULL);
	slab = virt_to_slab(p);
	cr_assert(slab->pfmemalloc);
	cr_assert(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, slab), "an entitled request keeps it");
	for (int i = 1; i < 16; i++)
		cr_assert(eq(ptr, virt_to_slab(helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_MEMALLOC,
								 NUMA_NO_NODE)), slab));
	cr_assert(eq(ulong, slub_stat(s, ALLOC_FASTPATH, -1), 15));

	cr_expect(eq(ptr, helper_slab_alloc(0, s, 0, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE), NULL));
	op = helper_slab_last_op();
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:pfmemalloc_mismatch"));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:deactivate_slab"));
	cr_expect(not(helper_slab_op_has_label(op, "___slab_alloc:deactivate_bypass")));
	/* 6.12 retries without __GFP_THISNODE only for a request for one node: not this one */
	cr_expect(not(helper_slab_op_has_label(op, "___slab_alloc:try_thisnode_failed")));
	cr_expect(helper_slab_op_has_label(op, "___slab_alloc:out_of_memory"));
	cr_expect(eq(ulong, slub_stat(s, DEACTIVATE_FULL, -1), 1));
	cr_expect(eq(ulong, slub_stat(s, ALLOC_NODE_MISMATCH, -1), 0));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->slab, NULL));
	cr_expect(eq(u32, slab->frozen, 0));
	cr_expect(slub_check(stderr), "slub_check");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, reserve_cpu_slab_is_dropped_for_a_plain_request_6_1) { reserve_cpu_slab_is_dropped_for_a_plain_request(KERNEL_6_1); }
Test(slub_pfmemalloc, reserve_cpu_slab_is_dropped_for_a_plain_request_6_12) { reserve_cpu_slab_is_dropped_for_a_plain_request(KERNEL_6_12); }

/*
 * init_kmem_cache_nodes (mm/slub.c, 6.1 and 6.12) allocates each node's struct
 * kmem_cache_node from the cache kmem_cache_node, node by node; when one fails,
 * free_kmem_cache_nodes gives back every struct already made (kmem_cache_free, one object
 * each) and kmem_cache_open fails.  Two nodes of 32 MiB, every page taken, every
 * kmem_cache_node object CPU 0 can reach taken but one, in a node-0 slab S (on CPU 0's
 * partial list): node 0's struct gets it, node 1's finds S full (node mismatch, deactivated
 * full) and nothing anywhere, so the cache is not made and node 0's object goes
 * back to S: S has one free object again (inuse objects - 1, that object on S's freelist).
 */
static void node_structs_given_back_when_a_node_fails(enum kernel_version v, bool random)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct kmem_cache *kn, *kc;
	void *o, *last = NULL, *kc_obj, *seq_obj = NULL;
	unsigned long mismatch, kc_fast;
	struct slab *seq_slab = NULL;
	unsigned int seq_inuse = 0;
	struct slab *slab;
	int n = 0;

	cr_assert(sc != NULL);
	kernel_version = v;
	sim_scenario_default(sc);
	sc->nr_nodes = 2;
	for (int i = 0; i < 2; i++)
		sc->node[i] = (struct sim_node_cfg){ .nr_cpus = 1, .zone_mib = { 0, 32, 0, 0 } };
	cr_assert(ne(ptr, helper_slub_machine_up_sc(sc, random), NULL));
	kn = slab_find_cache("kmem_cache_node");
	kc = slab_find_cache("kmem_cache");
	cr_assert(kn != NULL && kc != NULL);
	sim_engine_set_cpu(0);
	kc_obj = kmem_cache_alloc_node(kc, GFP_KERNEL, NUMA_NO_NODE);	/* kept for the new cache */
	cr_assert(kc_obj != NULL);
	if (random) {		/* and a kmalloc-64 object for its random sequence (15 * 4 bytes) */
		seq_obj = kmalloc_node(64, GFP_KERNEL, NUMA_NO_NODE);
		cr_assert(seq_obj != NULL);
	}
	grab_pages(__GFP_MEMALLOC);
	while ((o = kmem_cache_alloc_node(kn, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 1)) && n < 100000)
		n++;
	while ((o = kmem_cache_alloc_node(kn, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE)) && n < 100000) {
		last = o;
		n++;
	}
	cr_assert(lt(int, n, 100000));
	cr_assert(last != NULL);
	slab = virt_to_slab(last);
	cr_assert(eq(int, slab->nid, 0));
	kmem_cache_free(kn, last);
	cr_assert(eq(ptr, slab->freelist, last), "the one free object");
	cr_assert(eq(u32, slab->inuse, slab->objects - 1));
	kmem_cache_free(kc, kc_obj);
	if (random) {
		seq_slab = virt_to_slab(seq_obj);
		kfree(seq_obj);
		seq_inuse = seq_slab->inuse;
	}
	mismatch = slub_stat(kn, ALLOC_NODE_MISMATCH, 0);
	kc_fast = slub_stat(kc, FREE_FASTPATH, 0) + slub_stat(kc, FREE_SLOWPATH, 0);

	cr_expect(eq(ptr, (void *)kmem_cache_create("no_node1", 256, 0, 0, true), NULL));
	cr_expect(eq(ulong, slub_stat(kn, ALLOC_NODE_MISMATCH, 0), mismatch + 1), "node 1's try");
	cr_expect(eq(ptr, per_cpu_ptr(kn->cpu_slab, 0)->slab, NULL));
	cr_expect(eq(u32, slab->inuse, slab->objects - 1));
	cr_expect(eq(ptr, slab->freelist, last), "node 0's struct is back");
	cr_expect(slub_check_cache(kn, stderr), "slub_check of kmem_cache_node");
	/* create_cache's kmem_cache_zalloc is given back too: one object, one free (6.1 counts a
	 * call, 6.12 an object: 1 either way) */
	cr_expect(eq(ulong, slub_stat(kc, FREE_FASTPATH, 0) + slub_stat(kc, FREE_SLOWPATH, 0), kc_fast + 1));
	cr_expect(slub_check_cache(kc, stderr), "slub_check of kmem_cache");
	if (random) {
		/* kmem_cache_open's error path (__kmem_cache_release: cache_random_seq_destroy)
		 * frees the sequence init_cache_random_seq had made */
		cr_expect(eq(u32, seq_slab->inuse, seq_inuse));
		cr_expect(eq(ptr, kmalloc_node(64, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE), seq_obj),
			  "the sequence's kmalloc-64 object is free again (the head of the freelist)");
		cr_expect(slub_check_cache(slab_find_cache("kmalloc-64"), stderr));
	}
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_pfmemalloc, node_structs_given_back_when_a_node_fails_6_1) { node_structs_given_back_when_a_node_fails(KERNEL_6_1, false); }
Test(slub_pfmemalloc, node_structs_given_back_when_a_node_fails_6_12) { node_structs_given_back_when_a_node_fails(KERNEL_6_12, false); }
/* The same with CONFIG_SLAB_FREELIST_RANDOM: the new cache's random sequence is freed again. */
Test(slub_pfmemalloc, random_sequence_given_back_when_a_node_fails_6_1) { node_structs_given_back_when_a_node_fails(KERNEL_6_1, true); }
Test(slub_pfmemalloc, random_sequence_given_back_when_a_node_fails_6_12) { node_structs_given_back_when_a_node_fails(KERNEL_6_12, true); }
