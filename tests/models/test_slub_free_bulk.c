/*
 * test_slub_free_bulk.c - kmem_cache_free_bulk's detached freelists (mm/slub.c
 * build_detached_freelist), suite `slub_free_bulk`, under 6.1 and 6.12: from the end of p[],
 * the objects of the last object's slab are gathered into one list (freed by one slab_free)
 * while at most 3 objects of other slabs are met (lookahead = 3: the third miss stops the
 * search); the others wait for the next round.
 *
 * Machine: 2 nodes x 2 CPUs; a 256-byte cache (16 per slab).  CPU 0 fills slab A (full, on no
 * list) and takes 3 objects of slab B, its cpu slab.
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

#define OBJS 16

static struct sim_scenario *sc;
static struct kmem_cache *s;
static struct helper_slab_log plog;
static void *a[OBJS], *b[3];

static void up(enum kernel_version v)
{
	kernel_version = v;
	sc = helper_slub_machine_up(2, 2, false);
	cr_assert(sc != NULL, "machine up");
	s = kmem_cache_create("bulk_free", 256, 0, 0, false);
	cr_assert(s != NULL);
	for (int i = 0; i < OBJS; i++)
		cr_assert(ne(ptr, a[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	for (int i = 0; i < 3; i++)
		cr_assert(ne(ptr, b[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE), NULL));
	cr_assert(ne(ptr, virt_to_slab(a[0]), virt_to_slab(b[0])));
	helper_slab_log_start(&plog);
	sim_engine_set_cpu(0);
}

static void down(void)
{
	helper_slab_log_stop(&plog);
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

static size_t rounds(void)
{
	return helper_slab_count_label(&plog, SIM_OP_OBJ_FREE, "kmem_cache_free_bulk");
}

static size_t followers(void)
{
	return helper_slab_count_label(&plog, SIM_OP_OBJ_FREE, "kmem_cache_free_bulk:same_slab");
}

/*
 * p = [a0, b0, b1, a1]: from a1 two misses (b1, b0), then a0 joins: A gets {a0, a1} in one
 * __slab_free, B {b0, b1} on CPU 0's freelist in one fast free.  Two rounds.  Each detached
 * list is built from its end and turned around by slab_free_freelist_hook.
 */
static void third_object_back_still_joins(enum kernel_version v)
{
	void *p[4];
	struct slab *sa;

	up(v);
	sa = virt_to_slab(a[0]);
	p[0] = a[0]; p[1] = b[0]; p[2] = b[1]; p[3] = a[1];
	kmem_cache_free_bulk(s, 4, p);
	cr_expect(eq(ulong, rounds(), 2));
	cr_expect(eq(ulong, followers(), 2));
	cr_expect(eq(ulong, slub_stat(s, FREE_SLOWPATH, -1), 1), "one __slab_free for A");
	cr_expect(eq(u32, sa->inuse, OBJS - 2));
	/* built from the end (a0 -> a1), turned around by slab_free_freelist_hook: a1 first */
	cr_expect(eq(ptr, sa->freelist, a[1]));
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, b[0]));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_free_bulk, third_object_back_still_joins_6_1) { third_object_back_still_joins(KERNEL_6_1); }
Test(slub_free_bulk, third_object_back_still_joins_6_12) { third_object_back_still_joins(KERNEL_6_12); }

/*
 * p = [a0, b0, b1, b2, a1]: from a1 three misses (b2, b1, b0) stop the search before a0:
 * rounds {a1}, {b0, b1, b2} (b2 leads: 2 followers), {a0}: three rounds, two __slab_free
 * calls for A.
 */
static void third_miss_stops_the_search(enum kernel_version v)
{
	void *p[5];
	struct slab *sa;

	up(v);
	sa = virt_to_slab(a[0]);
	p[0] = a[0]; p[1] = b[0]; p[2] = b[1]; p[3] = b[2]; p[4] = a[1];
	kmem_cache_free_bulk(s, 5, p);
	cr_expect(eq(ulong, rounds(), 3));
	cr_expect(eq(ulong, followers(), 2));
	cr_expect(eq(ulong, slub_stat(s, FREE_SLOWPATH, -1), 2), "two __slab_free calls for A");
	cr_expect(eq(u32, sa->inuse, OBJS - 2));
	/* b0 -> b1 -> b2, turned around: b2 first on CPU 0's freelist */
	cr_expect(eq(ptr, per_cpu_ptr(s->cpu_slab, 0)->freelist, b[2]));
	cr_expect(slub_check(stderr), "slub_check");
	down();
}

Test(slub_free_bulk, third_miss_stops_the_search_6_1) { third_miss_stops_the_search(KERNEL_6_1); }
Test(slub_free_bulk, third_miss_stops_the_search_6_12) { third_miss_stops_the_search(KERNEL_6_12); }

/*
 * kmem_cache_alloc_bulk (6.1; __kmem_cache_alloc_bulk in 6.12) that cannot get every object
 * frees what it got (kmem_cache_free_bulk) and returns 0.  A 1-node machine whose pages are
 * all taken; CPU 0's slab A has 15 objects on c->freelist: a bulk of 20 takes them, then
 * ___slab_alloc finds A full (bypass) and no page for a new slab: the 15 go back to A (one
 * __slab_free of a 15-object list, A now on CPU 0's partial list with 1 object in use).
 */
static struct page *pages[1 << 15];

static void failed_bulk_frees_what_it_got(enum kernel_version v)
{
	struct sim_scenario *msc = calloc(1, sizeof(*msc));
	struct kmem_cache *ms;
	void *x, *p[20];
	struct slab *sa;
	size_t n = 0;

	cr_assert(msc != NULL);
	kernel_version = v;
	sim_scenario_default(msc);
	msc->nr_nodes = 1;
	memset(&msc->node[1], 0, sizeof(msc->node[1]));
	msc->node[0].nr_cpus = 2;
	msc->node[0].zone_mib[ZONE_DMA] = 16;
	msc->node[0].zone_mib[ZONE_DMA32] = 48;
	cr_assert(ne(ptr, helper_slub_machine_up_sc(msc, false), NULL));
	ms = kmem_cache_create("bulk_fail", 256, 0, 0, false);
	cr_assert(ms != NULL);
	x = helper_slab_alloc(0, ms, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(x != NULL);
	sa = virt_to_slab(x);
	while (n < sizeof(pages) / sizeof(pages[0]) && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	cr_assert(lt(ulong, 1000, n));
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

Test(slub_free_bulk, failed_bulk_frees_what_it_got_6_1) { failed_bulk_frees_what_it_got(KERNEL_6_1); }
Test(slub_free_bulk, failed_bulk_frees_what_it_got_6_12) { failed_bulk_frees_what_it_got(KERNEL_6_12); }
