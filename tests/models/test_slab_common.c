/*
 * test_slab_common.c - the layer both allocators share (models/slab_common),
 * suite `slab_common`, each test on SLUB and on SLAB: the cache registry as
 * it grows past its first tables, the lookups' bounds, __kmalloc_index, the
 * kfree / kmem_cache_free corner cases of mm/slab_common.c, the refusals of
 * kmem_cache_create, and merging (find_mergeable).
 *
 * Each number comes from the 6.1.192 rule named beside it (include/linux/slab.h,
 * mm/slab_common.c).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/kernel.h"
#include "models/mm.h"
#include "models/slab/slab.h"
#include "models/slab_common/slab_common.h"
#include "models/slab_common/slab_common_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log logv;

static void up(bool slab)
{
	if (slab) {
		slab_set_boot_params(-1, false, false);
		sc = helper_slab_machine_up(2, 2, 1024);
	} else {
		sc = helper_slub_machine_up(2, 2, false);
	}
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_slab_log_start(&logv);
}

static void down(void)
{
	helper_slab_log_stop(&logv);
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

static bool last_has(const char *label)
{
	return helper_slab_op_has_label(helper_slab_last_op(), label);
}

/*
 * 300 caches with a constructor (never merged: find_mergeable returns NULL for a ctor) grow
 * the registry past its first 128 entries and its hash past 256 slots, and the name table
 * past 512: each is found again by name and by id, with the size it was created with.
 */
static void registry_grows(bool slab)
{
	enum { N = 300 };
	struct kmem_cache *s[N];
	int base;
	char name[32];

	up(slab);
	base = slab_nr_caches();
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "reg-%d", i);
		s[i] = kmem_cache_create(name, 32 + 8 * (unsigned int)(i % 50), 0, 0, true);
		cr_assert(ne(ptr, (void *)s[i], NULL), "%s", name);
	}
	cr_expect(eq(int, slab_nr_caches(), base + N));
	for (int i = 0; i < N; i++) {
		int id = slab_cache_id(s[i]);

		snprintf(name, sizeof(name), "reg-%d", i);
		cr_expect(eq(ptr, (void *)slab_find_cache(name), (void *)s[i]), "%s", name);
		cr_expect(eq(int, id, base + i));
		cr_expect(eq(ptr, (void *)slab_cache(id), (void *)s[i]));
		cr_expect(eq(uint, slab_cache_object_size(id), 32 + 8 * (unsigned int)(i % 50)));
	}
	cr_expect(eq(ptr, (void *)slab_find_cache("reg-300"), NULL));
	cr_expect(eq(ptr, (void *)slab_find_cache("kmalloc-64"), (void *)kmalloc_slab(64, GFP_KERNEL)));
	down();
}

Test(slab_common, registry_grows_slub) { registry_grows(false); }
Test(slab_common, registry_grows_slab) { registry_grows(true); }

/* Lookups out of range answer "none"; kmem_cache_create refuses no name, size 0, over 4 MiB. */
static void bounds(bool slab)
{
	up(slab);
	cr_expect(eq(ptr, (void *)slab_cache(-1), NULL));
	cr_expect(eq(ptr, (void *)slab_cache(slab_nr_caches()), NULL));
	cr_expect(eq(uint, slab_cache_object_size(-1), 0));
	cr_expect(eq(uint, slab_cache_object_size(slab_nr_caches()), 0));
	cr_expect(eq(int, slab_cache_refcount(-1), 0));
	cr_expect(eq(int, slab_cache_refcount(slab_nr_caches()), 0));
	cr_expect(eq(ptr, (void *)slab_alias_name(-1), NULL));
	cr_expect(eq(ptr, (void *)slab_alias_name(slab_nr_aliases()), NULL));
	cr_expect(eq(int, slab_alias_cache(-1), -1));
	cr_expect(eq(int, slab_alias_cache(slab_nr_aliases()), -1));
	cr_expect(eq(ptr, (void *)slab_reg_entry(-1), NULL));
	cr_expect(eq(ptr, (void *)slab_reg_entry(slab_nr_caches()), NULL));
	cr_expect(eq(ptr, (void *)slab_reg_entry(0)->s, (void *)slab_cache(0)));
	cr_expect(eq(str, (char *)slab_event_name(0), "new"));
	cr_expect(eq(str, (char *)slab_event_name(-1), "?"));
	cr_expect(eq(str, (char *)slab_event_name(NR_SLAB_EVENTS), "?"));
	slab_set_unmergeable(-1);			/* no such id: nothing happens */
	slab_set_unmergeable(slab_nr_caches());
	cr_expect(eq(ptr, (void *)kmem_cache_create(NULL, 64, 0, 0, false), NULL));
	cr_expect(eq(ptr, (void *)kmem_cache_create("zero", 0, 0, 0, false), NULL));
	cr_expect(eq(ptr, (void *)kmem_cache_create("huge", (1u << 22) + 1, 0, 0, false), NULL));
	down();
}

Test(slab_common, lookups_and_refusals_slub) { bounds(false); }
Test(slab_common, lookups_and_refusals_slab) { bounds(true); }

/*
 * __kmalloc_index: 0 for size 0; KMALLOC_MIN_SIZE's shift up to it (SLUB 8: 3; SLAB 32: 5);
 * then 96 -> 1 and 192 -> 2 (when KMALLOC_MIN_SIZE <= 32 / 64), else the power of 2 above,
 * up to 2 MiB (21).
 */
static void kmalloc_index_table(bool slab)
{
	static const struct { size_t size; unsigned int slub, slab; } t[] = {
		{ 0, 0, 0 }, { 1, 3, 5 }, { 8, 3, 5 }, { 9, 4, 5 }, { 32, 5, 5 }, { 33, 6, 6 },
		{ 64, 6, 6 }, { 65, 1, 1 }, { 96, 1, 1 }, { 97, 7, 7 }, { 128, 7, 7 }, { 129, 2, 2 },
		{ 192, 2, 2 }, { 193, 8, 8 }, { 4096, 12, 12 }, { 4097, 13, 13 },
		{ (size_t)1 << 21, 21, 21 }, { ((size_t)1 << 21) + 1, (unsigned int)-1, (unsigned int)-1 },
	};

	up(slab);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		cr_expect(eq(uint, kmalloc_index(t[i].size), slab ? t[i].slab : t[i].slub), "size %zu", t[i].size);
	/* kmalloc_slab reads size_index[(size - 1) / 8] up to 192 bytes: the same cache as
	 * __kmalloc_index for every size (the kernel builds the table to agree with it) */
	for (size_t size = 1; size <= 192; size++)
		cr_expect(eq(ptr, (void *)kmalloc_slab(size, GFP_KERNEL),
			     (void *)kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)]), "size %zu", size);
	/* kmalloc(0) is ZERO_SIZE_PTR (kmalloc_slab), not a failure; kfree of it (or of NULL) does nothing */
	{
		struct sim_op op;

		sim_engine_set_cpu(0);
		sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
		cr_expect(eq(ptr, kmalloc_node(0, GFP_KERNEL, NUMA_NO_NODE), ZERO_SIZE_PTR));
		sim_op_end(&op);
		cr_expect(eq(int, op.cache, -1));
		cr_expect(not(op.failed));
	}
	helper_slab_free(0, ZERO_SIZE_PTR);
	helper_slab_free(0, NULL);
	cr_expect(eq(int, helper_slab_last_op()->cache, -1));
	down();
}

Test(slab_common, kmalloc_index_slub) { kmalloc_index_table(false); }
Test(slab_common, kmalloc_index_slab) { kmalloc_index_table(true); }

/*
 * kfree of a large kmalloc frees its pages (free_large_kmalloc); kfree of it again finds a
 * page that is neither slab nor allocated: the model labels it (the kernel would corrupt
 * memory).  kmem_cache_free: NULL returns, a non-slab object is labelled not_slab, and an
 * object freed to the wrong cache goes to its own (cache_from_obj).  Bulk calls of size 0
 * return at once (0 objects).
 */
static void free_corners(bool slab)
{
	struct kmem_cache *a, *b;
	struct sim_op op;
	void *big, *o, *p[2] = { NULL, NULL };
	size_t before;

	up(slab);
	a = kmem_cache_create("corner-a", 100, 0, 0, true);
	b = kmem_cache_create("corner-b", 200, 0, 0, true);
	cr_assert(ne(ptr, (void *)a, NULL));
	cr_assert(ne(ptr, (void *)b, NULL));

	big = helper_slab_alloc(0, NULL, 3 * 4096, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, big, NULL));
	cr_expect(last_has("__kmalloc_large_node"));
	helper_slab_free(0, big);
	cr_expect(last_has("free_large_kmalloc"));
	helper_slab_free(0, big);
	cr_expect(last_has("kfree:bad_pointer"));
	cr_expect(not(last_has("free_large_kmalloc")));

	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(a, NULL);
	sim_op_end(&op);
	cr_expect(eq(uint, op.nr_labels, 0));

	big = helper_slab_alloc(0, NULL, 3 * 4096, GFP_KERNEL, NUMA_NO_NODE);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(a, big);
	sim_op_end(&op);
	cr_expect(helper_slab_op_has_label(&op, "kmem_cache_free:not_slab"));
	cr_expect(eq(int, op.cache, slab_cache_id(a)));
	helper_slab_free(0, big);

	o = helper_slab_alloc(0, b, 0, GFP_KERNEL, NUMA_NO_NODE);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kmem_cache_free(a, o);
	sim_op_end(&op);
	cr_expect(helper_slab_op_has_label(&op, "cache_from_obj:wrong_cache"));
	cr_expect(eq(int, op.cache, slab_cache_id(b)));

	before = logv.nr;
	cr_expect(eq(int, kmem_cache_alloc_bulk(a, GFP_KERNEL, 0, p), 0));
	kmem_cache_free_bulk(a, 0, p);
	cr_expect(eq(ptr, p[0], NULL));
	cr_expect(eq(u64, logv.nr, before));		/* no operation began */
	down();
}

Test(slab_common, free_corner_cases_slub) { free_corners(false); }
Test(slab_common, free_corner_cases_slab) { free_corners(true); }

/*
 * find_mergeable (mm/slab_common.c): a cache of 90 bytes, no flags, merges into the first
 * mergeable cache it fits within sizeof(void *) of: here "base-96" (the kmalloc caches are
 * unmergeable with CONFIG_MEMCG_KMEM, create_kmalloc_caches).  The same with an alignment of
 * 128 (96 is no multiple of it) or with SLAB_TYPESAFE_BY_RCU (in SLAB_NEVER_MERGE) gets a
 * cache of its own; slab_nomerge turns merging off altogether.  A usercopy region that
 * does not fit the object is dropped (kmem_cache_create_usercopy), so that cache merges too.
 */
static void merging(bool slab)
{
	struct kmem_cache *k96, *m, *al, *rcu, *nm;
	int aliases;

	up(slab);
	k96 = kmem_cache_create("base-96", 96, 0, 0, false);
	cr_assert(ne(ptr, (void *)k96, NULL));
	aliases = slab_nr_aliases();
	m = kmem_cache_create("merge-90", 90, 0, 0, false);
	cr_expect(eq(ptr, (void *)m, (void *)k96));
	cr_expect(eq(int, slab_nr_aliases(), aliases + 1));
	cr_expect(eq(str, (char *)slab_alias_name(aliases), "merge-90"));
	cr_expect(eq(int, slab_alias_cache(aliases), slab_cache_id(k96)));
	cr_expect(eq(ptr, (void *)slab_find_cache("merge-90"), (void *)k96));
	/* kmem_cache_create_usercopy: a region larger than the object (usersize 128 > 90) fails
	 * closed, usersize = useroffset = 0, and a cache without a region merges like merge-90 */
	m = kmem_cache_create_usercopy("merge-badregion", 90, 0, 0, 0, 128, false);
	cr_expect(eq(ptr, (void *)m, (void *)k96));
	aliases++;

	al = kmem_cache_create("merge-al", 90, 128, 0, false);
	cr_expect(ne(ptr, (void *)al, NULL));
	cr_expect(ne(ptr, (void *)al, (void *)k96));
	rcu = kmem_cache_create("merge-rcu", 90, 0, SLAB_TYPESAFE_BY_RCU, false);
	cr_expect(ne(ptr, (void *)rcu, NULL));
	cr_expect(ne(ptr, (void *)rcu, (void *)k96));
	cr_expect(eq(int, slab_nr_aliases(), aliases + 1));

	slab_nomerge = true;
	nm = kmem_cache_create("merge-off", 90, 0, 0, false);
	slab_nomerge = false;
	cr_expect(ne(ptr, (void *)nm, NULL));
	cr_expect(ne(ptr, (void *)nm, (void *)k96));
	cr_expect(eq(int, slab_nr_aliases(), aliases + 1));
	down();
}

Test(slab_common, find_mergeable_slub) { merging(false); }
Test(slab_common, find_mergeable_slab) { merging(true); }

/*
 * find_mergeable's bounds (mm/slab_common.c, 6.1): the size asked for is rounded to a word,
 * then to the alignment calculate_alignment gives it; a cache qualifies when that fits in it
 * with less than sizeof(void *) to spare ("s->size - size >= sizeof(void *)": skip).  Under
 * CONFIG_SLAB the cache's align must also be a multiple of the one asked for.
 *   200 bytes, then 192: 8 to spare, a cache of its own; 193 (200 once rounded) merges.
 *   128 with SLAB_HWCACHE_ALIGN, then 100: align 64 rounds 104 up to 128, so it merges.
 *   192 aligned to 64, then 192 aligned to 24: SLAB refuses (64 % 24 = 16), SLUB merges.
 */
static void merge_bounds(bool slab)
{
	struct kmem_cache *b200, *h128, *a64;

	up(slab);
	b200 = kmem_cache_create("mb-200", 200, 0, 0, false);
	cr_assert(ne(ptr, (void *)b200, NULL));
	cr_expect(ne(ptr, (void *)kmem_cache_create("mb-192", 192, 0, 0, false), (void *)b200));
	cr_expect(eq(ptr, (void *)kmem_cache_create("mb-193", 193, 0, 0, false), (void *)b200));
	h128 = kmem_cache_create("mb-h128", 128, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)h128, NULL));
	cr_expect(eq(ptr, (void *)kmem_cache_create("mb-h100", 100, 0, SLAB_HWCACHE_ALIGN, false), (void *)h128));
	a64 = kmem_cache_create("mb-a64", 192, 64, 0, false);
	cr_assert(ne(ptr, (void *)a64, NULL));
	if (slab)
		cr_expect(ne(ptr, (void *)kmem_cache_create("mb-a24", 192, 24, 0, false), (void *)a64));
	else
		cr_expect(eq(ptr, (void *)kmem_cache_create("mb-a24", 192, 24, 0, false), (void *)a64));
	down();
}

Test(slab_common, find_mergeable_bounds_slub) { merge_bounds(false); }
Test(slab_common, find_mergeable_bounds_slab) { merge_bounds(true); }
Test(slab_common, find_mergeable_bounds_slub_6_12)
{
	kernel_version = KERNEL_6_12;	/* 6.12's find_mergeable keeps the same bounds */
	merge_bounds(false);
	kernel_version = KERNEL_6_1;
}

/*
 * kfree_bulk with a large kmalloc among slab objects: the large one's pages go back to the
 * page allocator (SLUB: build_detached_freelist; SLAB: kmem_cache_free_bulk's !PageSlab
 * branch, both free_large_kmalloc), the others to their cache.
 */
static void bulk_with_large(bool slab)
{
	struct kmem_cache *a;
	struct page *big;
	void *p[3];

	up(slab);
	a = kmem_cache_create("bulk-a", 100, 0, 0, true);
	cr_assert(ne(ptr, (void *)a, NULL));
	p[0] = helper_slab_alloc(0, a, 0, GFP_KERNEL, NUMA_NO_NODE);
	p[1] = helper_slab_alloc(0, NULL, 3 * 4096, GFP_KERNEL, NUMA_NO_NODE);
	p[2] = helper_slab_alloc(0, a, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, p[1], NULL));
	big = virt_to_head_page(p[1]);
	cr_assert(ne(u32, big->flags & PG_allocated, 0));
	logv.nr = 0;
	sim_engine_set_cpu(0);
	kfree_bulk(3, p);		/* SLUB reorders p[] (build_detached_freelist) */
	cr_expect(eq(u32, big->flags & PG_allocated, 0));
	cr_expect(eq(u64, helper_slab_count_label(&logv, SIM_OP_OBJ_FREE,
						   slab ? "free_large_kmalloc" : "build_detached_freelist:free_large_kmalloc"), 1));
	cr_expect(eq(int, preempt_count(), 0));
	cr_expect(not(irqs_disabled()));
	down();
}

Test(slab_common, kfree_bulk_with_a_large_kmalloc_slub) { bulk_with_large(false); }
Test(slab_common, kfree_bulk_with_a_large_kmalloc_slab) { bulk_with_large(true); }

/*
 * SLAB's __free_one (CONFIG_SLAB_FREELIST_HARDENED): freeing the object that is already on
 * top of the CPU's array is a double free, dropped with a warning: the array keeps one copy,
 * so of the next two allocations (LIFO from the array) only the first is that object.
 */
Test(slab_common, slab_drops_a_double_free_on_top_of_the_array)
{
	struct kmem_cache *a;
	void *o, *x, *y;

	up(true);
	a = kmem_cache_create("df", 100, 0, 0, true);
	cr_assert(ne(ptr, (void *)a, NULL));
	o = helper_slab_alloc(0, a, 0, GFP_KERNEL, NUMA_NO_NODE);
	helper_slab_free(0, o);
	cr_expect(not(last_has("__free_one:double_free")));
	helper_slab_free(0, o);
	cr_expect(last_has("__free_one:double_free"));
	x = helper_slab_alloc(0, a, 0, GFP_KERNEL, NUMA_NO_NODE);
	y = helper_slab_alloc(0, a, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_expect(eq(ptr, x, o));
	cr_expect(ne(ptr, y, o));
	helper_slab_free(0, x);
	helper_slab_free(0, y);
	down();
}

/*
 * A bulk allocation the page allocator cannot back (every zone emptied first) fails as a
 * whole: kmem_cache_alloc_bulk returns 0 and frees what it took (mm/slub.c, mm/slab.c: the
 * error path), and returns with preemption and IRQs as it found them.
 */
static void bulk_without_memory(bool slab)
{
	enum { NR = 4096 };
	struct page **pg;
	struct kmem_cache *a;
	void *p[8];
	int n = 0;

	up(slab);
	a = kmem_cache_create("bulk-oom", 100, 0, 0, true);
	cr_assert(ne(ptr, (void *)a, NULL));
	pg = calloc(NR, sizeof(*pg));
	cr_assert(ne(ptr, (void *)pg, NULL));
	sim_engine_set_cpu(0);
	for (int order = MAX_ORDER - 1; order >= 0; order--)
		for (int nid = 0; nid < 2; nid++)
			while (n < NR && (pg[n] = alloc_pages_node(nid, GFP_KERNEL | __GFP_THISNODE | __GFP_NORETRY |
								   __GFP_MEMALLOC, (unsigned int)order)))
				n++;
	cr_assert(lt(int, n, NR));
	logv.nr = 0;
	cr_expect(eq(int, kmem_cache_alloc_bulk(a, GFP_KERNEL, 8, p), 0));
	/* the slab's page allocation that found nothing is a failed page operation */
	{
		size_t failed = 0;

		for (size_t i = 0; i < logv.nr; i++)
			failed += logv.ops[i].kind == SIM_OP_PAGE_ALLOC && logv.ops[i].failed &&
				  logv.ops[i].mem_node == -1 && logv.ops[i].zone == -1;
		cr_expect(lt(u64, 0, failed));
	}
	cr_expect(eq(int, preempt_count(), 0));
	cr_expect(not(irqs_disabled()));
	for (int i = 0; i < n; i++)
		__free_pages(pg[i], pg[i]->order);
	free(pg);
	down();
}

Test(slab_common, alloc_bulk_without_memory_slub) { bulk_without_memory(false); }
Test(slab_common, alloc_bulk_without_memory_slab) { bulk_without_memory(true); }

/*
 * The registry's hash (slab_register_cache, slab_cache_id) holds id 0 like any other id.
 * With no allocator up, three fixed (never dereferenced) cache addresses 2^48 apart take
 * ids 0, 1, 2: reg_hash_slot keeps bits 32.. of address * 0x9e3779b97f4a7c15, and adding
 * 2^48 changes only bits 48 and up of the product, so all three start at the same slot of
 * the 256: the second and third probe past the first to the next free slots, and each
 * address finds its own id again, also when registered a second time.
 */
Test(slab_common, registry_hash_keeps_id_zero)
{
	const uintptr_t base = 0x100040u, step = (uintptr_t)1 << 48;

	slab_common_exit();
	for (int i = 0; i < 3; i++)
		cr_assert(eq(int, slab_register_cache((struct kmem_cache *)(base + step * (uintptr_t)i)), i));
	for (int i = 0; i < 3; i++) {
		struct kmem_cache *s = (struct kmem_cache *)(base + step * (uintptr_t)i);

		cr_expect(eq(int, slab_cache_id(s), i), "id %d", i);
		cr_expect(eq(ptr, (void *)slab_cache(i), (void *)s));
	}
	cr_expect(eq(int, slab_nr_caches(), 3));
	/* registering a cache again (SLUB's create registers, kmem_cache_create again) is its id */
	for (int i = 0; i < 3; i++)
		cr_expect(eq(int, slab_register_cache((struct kmem_cache *)(base + step * (uintptr_t)i)), i));
	cr_expect(eq(int, slab_nr_caches(), 3));
	slab_common_exit();
	cr_expect(eq(int, slab_nr_caches(), 0));
}

/* ---- the kmalloc caches, whole: which exist, names, sizes, flags, order, lookups ---- */

/* kmalloc_info's name prefix of each type (mm/slab_common.c, INIT_KMALLOC_INFO) */
static const char *const kmalloc_prefix[NR_KMALLOC_TYPES] = {
	[KMALLOC_NORMAL] = "kmalloc-", [KMALLOC_CGROUP] = "kmalloc-cg-",
	[KMALLOC_RECLAIM] = "kmalloc-rcl-", [KMALLOC_DMA] = "dma-kmalloc-",
};

/* kmalloc_info[i].size: 96 at 1, 192 at 2, 1 << i from 3 (mm/slab_common.c) */
static size_t kmalloc_size_of(unsigned int i)
{
	return i == 1 ? 96 : i == 2 ? 192 : (size_t)1 << i;
}

/* Does create_kmalloc_caches make index i, with KMALLOC_MIN_SIZE 1 << low?  KMALLOC_SHIFT_LOW
 * up to KMALLOC_SHIFT_HIGH, 96 when KMALLOC_MIN_SIZE <= 32, 192 when <= 64 (6.1 and 6.12). */
static bool kmalloc_made(unsigned int i, unsigned int low)
{
	if (i == 1)
		return (1u << low) <= 32;
	if (i == 2)
		return (1u << low) <= 64;
	return i >= low && i <= KMALLOC_SHIFT_HIGH;
}

/* The index of the smallest kmalloc size (up to 2 MiB, KMALLOC_SHIFT_MAX 21 for __kmalloc_index)
 * that holds `size`: what __kmalloc_index (include/linux/slab.h) and kmalloc_slab's
 * size_index[] (mm/slab_common.c, as setup_kmalloc_cache_index_table patches it) both say. */
static unsigned int smallest_fit(size_t size, unsigned int low)
{
	unsigned int best = (unsigned int)-1;

	for (unsigned int i = 1; i <= 21; i++)
		if ((i > KMALLOC_SHIFT_HIGH || kmalloc_made(i, low)) && kmalloc_size_of(i) >= size &&
		    (best == (unsigned int)-1 || kmalloc_size_of(i) < kmalloc_size_of(best)))
			best = i;
	return best;
}

/*
 * A kmalloc cache's alignment (create_boot_cache, mm/slab_common.c): 6.1 gives a power-of-two
 * size its natural alignment, 6.12 the largest power of two dividing the size, both at least
 * ARCH_KMALLOC_MINALIGN (8); then calculate_alignment: SLAB's ARCH_KMALLOC_FLAGS
 * (SLAB_HWCACHE_ALIGN) raise it to the cache line (64) halved while the size fits in half.
 */
static unsigned int kmalloc_align(size_t size, bool slab, enum kernel_version kv)
{
	unsigned int align = 8, ralign = 64;

	if (kv == KERNEL_6_12 && (size & -size) > align)
		align = (unsigned int)(size & -size);
	else if (kv == KERNEL_6_1 && !(size & (size - 1)) && size > align)
		align = (unsigned int)size;
	if (slab) {
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	return align;
}

/* A gfp that kmalloc_type sends to each type, every config switch on */
static const gfp_t type_gfp[NR_KMALLOC_TYPES] = {
	[KMALLOC_NORMAL] = GFP_KERNEL, [KMALLOC_CGROUP] = GFP_KERNEL_ACCOUNT,
	[KMALLOC_RECLAIM] = GFP_KERNEL | __GFP_RECLAIMABLE, [KMALLOC_DMA] = GFP_KERNEL | __GFP_DMA,
};

/*
 * Every kmalloc cache of a boot with every config switch on (CONFIG_MEMCG_KMEM, CONFIG_ZONE_DMA,
 * CONFIG_HARDENED_USERCOPY), by kmalloc_info and new_kmalloc_cache (mm/slab_common.c): index i of
 * type t exists when kmalloc_made says so, is named PREFIX + kmalloc_info's short size ("1k" from
 * 1024), holds kmalloc_info's size (aligned as kmalloc_align says), carries its type's flag (SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT,
 * SLAB_CACHE_DMA) and a usercopy region of its whole size; the normal ones never merge (6.1:
 * refcount -1; 6.12: SLAB_NO_MERGE, CONFIG_MEMCG).  They are made in create_kmalloc_caches'
 * order: 6.1 type by type in enum order, KMALLOC_SHIFT_LOW up, 96 right after 64 and 192 right
 * after 128 (SLAB made kmalloc-128 earlier, kmem_cache_init's INDEX_NODE: skipped); 6.12 in its
 * enum order (normal, reclaim, dma, cgroup), 96 and 192 first.  Then every size: kmalloc_slab
 * (size_index[] up to 192, fls(size - 1) above) and __kmalloc_index give the smallest that fits.
 */
static void kmalloc_whole_table(bool slab, enum kernel_version kv)
{
	static const enum kmalloc_cache_type order_61[] = { KMALLOC_NORMAL, KMALLOC_CGROUP, KMALLOC_RECLAIM, KMALLOC_DMA };
	static const enum kmalloc_cache_type order_612[] = { KMALLOC_NORMAL, KMALLOC_RECLAIM, KMALLOC_DMA, KMALLOC_CGROUP };
	const enum kmalloc_cache_type *order = kv == KERNEL_6_12 ? order_612 : order_61;
	unsigned int low = slab ? 5 : 3, bad = 0;
	int prev = -1;
	char name[32];

	kernel_version = kv;
	up(slab);
	cr_assert(eq(uint, kmalloc_shift_low(), low));
	for (int t = 0; t < NR_KMALLOC_TYPES; t++) {
		unsigned int want_flags = t == KMALLOC_CGROUP ? SLAB_ACCOUNT : t == KMALLOC_RECLAIM ?
					  SLAB_RECLAIM_ACCOUNT : t == KMALLOC_DMA ? SLAB_CACHE_DMA : 0;

		if (kv == KERNEL_6_12 && t == KMALLOC_NORMAL)
			want_flags |= SLAB_NO_MERGE;
		for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
			struct kmem_cache *s = kmalloc_caches[t][i];
			struct slab_cache_info info;
			size_t size = kmalloc_size_of(i);
			int id = slab_cache_id(s);

			if (!kmalloc_made(i, low)) {
				cr_expect(eq(ptr, (void *)s, NULL), "type %d index %u", t, i);
				continue;
			}
			cr_assert(ne(ptr, (void *)s, NULL), "type %d index %u", t, i);
			slab_current()->info(s, &info);
			snprintf(name, sizeof(name), size < 1024 ? "%s%zu" : "%s%zuk", kmalloc_prefix[t],
				 size < 1024 ? size : size / 1024);
			cr_expect(eq(str, (char *)info.name, name));
			cr_expect(eq(ptr, (void *)slab_find_cache(name), (void *)s));
			cr_expect(eq(uint, info.object_size, (unsigned int)size), "%s", name);
			cr_expect(eq(uint, info.align, kmalloc_align(size, slab, kv)), "%s", name);
			cr_expect(eq(uint, info.flags & (SLAB_ACCOUNT | SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA |
							 SLAB_NO_MERGE), want_flags), "%s", name);
			/* SLAB's kmalloc-128 comes from kmem_cache_init (INDEX_NODE): create_kmalloc_cache's
			 * refcount 1, and create_kmalloc_caches skips its slot, so memcg's -1 never lands */
			cr_expect(eq(uint, slab_reg_entry(id)->usersize, (unsigned int)size), "%s", name);
			cr_expect(eq(int, slab_cache_refcount(id),
				     kv == KERNEL_6_1 && t == KMALLOC_NORMAL && !(slab && i == 7) ? -1 : 1),
				  "%s", name);
			cr_expect(slab_cache_unmergeable(id), "%s", name);
		}
	}
	/* creation order: each cache's id one above the previous one made */
	for (int k = 0; k < NR_KMALLOC_TYPES; k++) {
		enum kmalloc_cache_type t = order[k];
		unsigned int seq[KMALLOC_SHIFT_HIGH + 3];
		int n = 0;

		if (kv == KERNEL_6_12) {
			seq[n++] = 1;
			seq[n++] = 2;
		}
		for (unsigned int i = low; i <= KMALLOC_SHIFT_HIGH; i++) {
			seq[n++] = i;
			if (kv == KERNEL_6_1 && i == 6)
				seq[n++] = 1;
			if (kv == KERNEL_6_1 && i == 7)
				seq[n++] = 2;
		}
		for (int j = 0; j < n; j++) {
			int id = slab_cache_id(kmalloc_caches[t][seq[j]]);

			if (slab && t == KMALLOC_NORMAL && seq[j] == 7)
				continue;	/* SLAB's kmem_cache_init made it (INDEX_NODE) */
			if (prev >= 0)
				cr_expect(eq(int, id, prev + 1), "type %d index %u", t, seq[j]);
			prev = id;
		}
	}
	/* every size up to KMALLOC_MAX_CACHE_SIZE, each type; then __kmalloc_index's powers of two */
	for (size_t size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size++) {
		unsigned int want = smallest_fit(size, low);

		if (kmalloc_index(size) != want)
			bad++;
		for (int t = 0; t < NR_KMALLOC_TYPES; t++)
			if (kmalloc_slab(size, type_gfp[t]) != kmalloc_caches[t][want])
				bad++;
		if (bad) {
			cr_expect(eq(uint, bad, 0), "size %zu: index %u, want %u", size, kmalloc_index(size), want);
			break;
		}
	}
	cr_expect(eq(ptr, (void *)kmalloc_slab(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL), NULL));
	cr_expect(eq(ptr, (void *)kmalloc_slab(0, GFP_KERNEL), ZERO_SIZE_PTR));
	for (unsigned int n = KMALLOC_SHIFT_HIGH + 1; n <= 21; n++) {
		cr_expect(eq(uint, kmalloc_index(((size_t)1 << (n - 1)) + 1), n));
		cr_expect(eq(uint, kmalloc_index((size_t)1 << n), n));
	}
	cr_expect(eq(uint, kmalloc_index(((size_t)1 << 21) + 1), (unsigned int)-1));
	down();
	kernel_version = KERNEL_6_1;
}

Test(slab_common, kmalloc_caches_whole_table_slub) { kmalloc_whole_table(false, KERNEL_6_1); }
Test(slab_common, kmalloc_caches_whole_table_slab) { kmalloc_whole_table(true, KERNEL_6_1); }
Test(slab_common, kmalloc_caches_whole_table_slub_6_12) { kmalloc_whole_table(false, KERNEL_6_12); }

/*
 * Without CONFIG_MEMCG_KMEM and CONFIG_ZONE_DMA the kernel's enum kmalloc_cache_type makes
 * KMALLOC_CGROUP and KMALLOC_DMA other names of KMALLOC_NORMAL (include/linux/slab.h): no
 * kmalloc-cg-* nor dma-kmalloc-*, those rows are the normal caches; the normal ones are
 * mergeable by refcount (6.1: no slab_set_unmergeable) and carry no SLAB_NO_MERGE (6.12).
 */
static void kmalloc_table_without_memcg_and_dma(bool slab, enum kernel_version kv)
{
	struct sim_scenario *s0 = calloc(1, sizeof(*s0));
	unsigned int low = slab ? 5 : 3;

	cr_assert(ne(ptr, (void *)s0, NULL));
	kernel_version = kv;
	sim_scenario_default(s0);
	s0->memcg_kmem = false;
	s0->zone_dma = false;
	if (slab)
		slab_set_boot_params(-1, false, false);
	sc = slab ? helper_slab_machine_up_sc(s0) : helper_slub_machine_up_sc(s0, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_slab_log_start(&logv);
	cr_expect(eq(ptr, (void *)slab_find_cache("kmalloc-cg-64"), NULL));
	cr_expect(eq(ptr, (void *)slab_find_cache("dma-kmalloc-64"), NULL));
	for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
		struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][i];

		cr_expect(eq(ptr, (void *)kmalloc_caches[KMALLOC_CGROUP][i], (void *)s), "index %u", i);
		cr_expect(eq(ptr, (void *)kmalloc_caches[KMALLOC_DMA][i], (void *)s), "index %u", i);
		if (kmalloc_made(i, low)) {
			struct slab_cache_info info;

			cr_assert(ne(ptr, (void *)s, NULL));
			cr_expect(ne(ptr, (void *)kmalloc_caches[KMALLOC_RECLAIM][i], (void *)s), "index %u", i);
			slab_current()->info(s, &info);
			cr_expect(eq(uint, info.flags & SLAB_NO_MERGE, 0), "index %u", i);
			cr_expect(eq(int, slab_cache_refcount(slab_cache_id(s)), 1), "index %u", i);
		}
	}
	/* kmalloc_type: __GFP_ACCOUNT and __GFP_DMA are no longer KMALLOC_NOT_NORMAL_BITS */
	cr_expect(eq(ptr, (void *)kmalloc_slab(64, GFP_KERNEL_ACCOUNT), (void *)kmalloc_caches[KMALLOC_NORMAL][6]));
	cr_expect(eq(ptr, (void *)kmalloc_slab(64, GFP_KERNEL | __GFP_DMA), (void *)kmalloc_caches[KMALLOC_NORMAL][6]));
	down();
	kernel_version = KERNEL_6_1;
}

Test(slab_common, kmalloc_without_memcg_and_dma_slub) { kmalloc_table_without_memcg_and_dma(false, KERNEL_6_1); }
Test(slab_common, kmalloc_without_memcg_and_dma_slab) { kmalloc_table_without_memcg_and_dma(true, KERNEL_6_1); }
Test(slab_common, kmalloc_without_memcg_and_dma_slub_6_12) { kmalloc_table_without_memcg_and_dma(false, KERNEL_6_12); }

/*
 * kmalloc_type (include/linux/slab.h) under the four settings of CONFIG_MEMCG_KMEM and
 * CONFIG_ZONE_DMA: no bit of KMALLOC_NOT_NORMAL_BITS (__GFP_RECLAIMABLE, __GFP_DMA with ZONE_DMA,
 * __GFP_ACCOUNT with MEMCG_KMEM) is normal; else __GFP_DMA (with ZONE_DMA) first, then
 * reclaimable (or any without MEMCG_KMEM), else cgroup.
 */
Test(slab_common, kmalloc_type_under_each_config)
{
	enum { N = KMALLOC_NORMAL, C = KMALLOC_CGROUP, R = KMALLOC_RECLAIM, D = KMALLOC_DMA };
	static const gfp_t g[8] = {
		0, __GFP_DMA, __GFP_RECLAIMABLE, __GFP_ACCOUNT, __GFP_DMA | __GFP_RECLAIMABLE,
		__GFP_DMA | __GFP_ACCOUNT, __GFP_RECLAIMABLE | __GFP_ACCOUNT,
		__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT,
	};
	/* [memcg_kmem][zone_dma][gfp] */
	static const int want[2][2][8] = {
		{ { N, N, R, N, R, N, R, R }, { N, D, R, N, D, D, R, D } },
		{ { N, N, R, C, R, C, R, R }, { N, D, R, C, D, D, R, D } },
	};
	bool memcg = slab_memcg_kmem, dma = slab_zone_dma;

	for (int m = 0; m < 2; m++)
		for (int d = 0; d < 2; d++) {
			slab_memcg_kmem = m;
			slab_zone_dma = d;
			for (int k = 0; k < 8; k++)
				cr_expect(eq(int, (int)kmalloc_type(g[k] | GFP_KERNEL), want[m][d][k]),
					  "memcg_kmem %d zone_dma %d gfp %#x", m, d, g[k]);
		}
	slab_memcg_kmem = memcg;
	slab_zone_dma = dma;
}

/*
 * A kmalloc above KMALLOC_MAX_CACHE_SIZE goes to the page allocator (__kmalloc_large_node,
 * mm/slab_common.c), and its trace_kmalloc reports the pointer and the size asked for: the
 * operation records no cache, the size, the address and the node of the pages (asked for
 * node 1).  Of 8 MiB the order is 11 >= MAX_ORDER: alloc_pages fails and so does the kmalloc.
 */
static void large_kmalloc_record(bool slab)
{
	const struct sim_op *op;
	void *big;

	up(slab);
	big = helper_slab_alloc(0, NULL, 3 * 4096, GFP_KERNEL, 1);
	cr_assert(ne(ptr, big, NULL));
	op = helper_slab_last_op();
	cr_expect(eq(int, op->cache, -1));
	cr_expect(eq(u32, op->size, 3 * 4096));
	cr_expect(eq(u64, op->addr, (uint64_t)(uintptr_t)big));
	cr_expect(eq(int, op->mem_node, 1));
	cr_expect(eq(int, page_to_nid(virt_to_page(big)), 1));
	cr_expect(not(op->failed));
	helper_slab_free(0, big);
	op = helper_slab_last_op();
	cr_expect(eq(u64, op->addr, (uint64_t)(uintptr_t)big));
	cr_expect(eq(int, op->mem_node, 1));

	cr_expect(eq(ptr, helper_slab_alloc(0, NULL, (size_t)8 << 20, GFP_KERNEL | __GFP_NOWARN, NUMA_NO_NODE), NULL));
	op = helper_slab_last_op();
	cr_expect(eq(u32, op->size, 8u << 20));
	cr_expect(op->failed);
	cr_expect(eq(int, op->mem_node, -1));
	down();
}

Test(slab_common, large_kmalloc_is_recorded_slub) { large_kmalloc_record(false); }
Test(slab_common, large_kmalloc_is_recorded_slab) { large_kmalloc_record(true); }

/*
 * The kernels the models follow (models/version.c), by which slab_common_kops_table picks a
 * version's rules: each has its name, the table's entry says the same, and a number past
 * the last is "?".  A release names its kernel when it is the name followed by the end, '.'
 * or '-' (uname -r: "6.12.118", "6.1.0-56-amd64"); "6.10" or "6.123" is no kernel we model.
 */
Test(slab_common, kernel_versions_name_and_parse)
{
	static const struct { const char *s; bool ok; enum kernel_version v; } t[] = {
		{ "6.1", true, KERNEL_6_1 }, { "6.12", true, KERNEL_6_12 }, { "6.12.118", true, KERNEL_6_12 },
		{ "6.1.192", true, KERNEL_6_1 }, { "6.1.0-56-amd64", true, KERNEL_6_1 }, { "6.12-rc1", true, KERNEL_6_12 },
		{ "6.10", false, KERNEL_6_1 }, { "6.123", false, KERNEL_6_1 }, { "6.1x", false, KERNEL_6_1 },
		{ "6", false, KERNEL_6_1 }, { "", false, KERNEL_6_1 }, { "5.15.0", false, KERNEL_6_1 },
	};

	cr_expect(eq(str, (char *)kernel_version_name(KERNEL_6_1), "6.1"));
	cr_expect(eq(str, (char *)kernel_version_name(KERNEL_6_12), "6.12"));
	cr_expect(eq(str, (char *)kernel_version_name(NR_KERNEL_VERSIONS), "?"));
	cr_expect(eq(str, (char *)kernel_version_name((enum kernel_version)-1), "?"));
	for (int v = 0; v < NR_KERNEL_VERSIONS; v++)
		cr_expect(eq(str, (char *)slab_common_kops_table[v]->kernel, (char *)kernel_version_name((enum kernel_version)v)));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum kernel_version v = (enum kernel_version)99;
		bool ok = kernel_version_parse(t[i].s, &v);

		cr_expect(eq(int, ok, t[i].ok), "\"%s\"", t[i].s);
		cr_expect(eq(int, (int)v, t[i].ok ? (int)t[i].v : 99), "\"%s\"", t[i].s);
	}
}

/*
 * A slab's pages come from the page allocator under an operation of their own (slab_page_alloc,
 * nested in the object's): like the kernel's mm_page_alloc event it names the page (pfn) and,
 * as every page operation of the model, the node and zone it came from.  A cache's first
 * object asked on node 1 takes a new slab there (SLUB new_slab, SLAB cache_grow_begin with
 * nodeid 1); when no page can be had, that operation is failed.
 */
static void slab_page_record(bool slab)
{
	struct kmem_cache *a;
	struct page *head;
	const struct sim_op *pg = NULL;
	void *o;

	up(slab);
	a = kmem_cache_create("pagerec", 200, 0, 0, true);
	cr_assert(ne(ptr, (void *)a, NULL));
	logv.nr = 0;
	o = helper_slab_alloc(0, a, 0, GFP_KERNEL, 1);
	cr_assert(ne(ptr, o, NULL));
	head = virt_to_head_page(o);
	for (size_t i = 0; i < logv.nr; i++)
		if (logv.ops[i].kind == SIM_OP_PAGE_ALLOC && logv.ops[i].addr == page_to_pfn(head))
			pg = &logv.ops[i];
	cr_assert(ne(ptr, (void *)pg, NULL), "no page operation for the new slab");
	cr_expect(eq(int, pg->mem_node, 1));
	cr_expect(eq(int, pg->mem_node, page_to_nid(head)));
	cr_expect(eq(int, pg->zone, head->zid));
	cr_expect(eq(int, pg->cache, -1));
	cr_expect(not(pg->failed));
	down();
}

Test(slab_common, a_slab_s_pages_are_an_operation_slub) { slab_page_record(false); }
Test(slab_common, a_slab_s_pages_are_an_operation_slab) { slab_page_record(true); }
