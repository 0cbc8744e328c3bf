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

#include "../helpers.h"
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
	/* a free carries no gfp mask (kmem_cache_free's tracepoint has none): 0 on every row */
	for (size_t i = 0; i < plog.nr; i++)
		if (plog.ops[i].kind == SIM_OP_OBJ_FREE)
			cr_expect(eq(u32, plog.ops[i].gfp, 0), "free op %zu", i);
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
