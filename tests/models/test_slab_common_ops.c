/*
 * test_slab_common_ops.c - what the common slab layer records and looks up, suite
 * `slab_common_ops` (mm/slab_common.c, mm/memcontrol.c, 6.1.192), on a SLUB machine:
 *   - kfree of a large kmalloc (no PG_slab) is an object free of no cache, size 0, the
 *     object's address and node (kfree -> free_large_kmalloc; trace_kfree has no cache);
 *   - a cache name seen twice names the first cache, before and after the name table grows;
 *   - an objcgs vector is kcalloc_node: its allocation carries __GFP_ZERO.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab.h"
#include "models/slab_common/slab_common.h"
#include "models/slab_common/slab_common_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up_kernel(bool memcg_online, int kernel)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->memcg_online = memcg_online;
	sc->kernel = kernel;
	sc->kernel_given = true;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
}

static void up_memcg(bool memcg_online)
{
	up_kernel(memcg_online, KERNEL_6_1);
}

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
	kernel_version = KERNEL_6_1;
}

/*
 * kfree (mm/slab_common.c): an object whose head page is not PageSlab is a large kmalloc,
 * freed by free_large_kmalloc; the operation names no cache (-1), no size (kfree has
 * none) and the freed address, on the node of its pages.
 */
Test(slab_common_ops, kfree_of_a_large_kmalloc_records_no_cache, .fini = down)
{
	size_t big = KMALLOC_MAX_CACHE_SIZE + PAGE_SIZE;
	void *obj;
	const struct sim_op *op;

	up_memcg(false);
	obj = helper_slab_alloc(0, NULL, big, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(ne(ptr, obj, NULL));
	cr_assert(not(PageSlab(virt_to_head_page(obj))));
	helper_slab_free(0, obj);
	op = helper_slab_last_op();
	cr_expect(eq(int, op->kind, SIM_OP_OBJ_FREE));
	cr_expect(eq(int, op->cache, -1));
	cr_expect(eq(u32, op->size, 0));
	cr_expect(eq(u64, op->addr, (uint64_t)(uintptr_t)obj));
	cr_expect(eq(int, op->mem_node, 0));
	cr_expect(not(op->failed));
	cr_expect(helper_slab_op_has_label(op, "free_large_kmalloc"));
}

static const char *name_of(int id)
{
	struct slab_cache_info info;

	slab_current()->info(slab_cache(id), &info);
	return info.name;
}

/*
 * Two caches may share a name (kmem_cache_create does not refuse it); the model's name
 * table keeps the first one, the id-0 cache included (ids start at 0).  A cache with a
 * constructor is never merged (slab_unmergeable), so each create is a cache of its own.
 */
Test(slab_common_ops, a_duplicate_name_keeps_naming_the_first_cache, .fini = down)
{
	static char names[600][24];
	const char *name0;
	struct kmem_cache *s;
	int boot;

	up_memcg(false);
	boot = slab_nr_caches();
	name0 = name_of(0);
	cr_assert(ne(ptr, (void *)name0, NULL));
	cr_assert(eq(ptr, (void *)slab_find_cache(name0), (void *)slab_cache(0)));
	s = kmem_cache_create(name0, 200, 0, 0, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(ptr, (void *)s, (void *)slab_cache(0)));
	cr_expect(eq(ptr, (void *)slab_find_cache(name0), (void *)slab_cache(0)));

	/* enough names to grow the table (it doubles at half full, from 512) twice past boot's */
	cr_assert(lt(int, boot, 255));
	for (int i = 0; i < 600; i++) {
		snprintf(names[i], sizeof(names[i]), "names-%d", i);
		cr_assert(ne(ptr, (void *)kmem_cache_create(names[i], 200, 0, 0, true), NULL));
	}
	cr_expect(eq(ptr, (void *)slab_find_cache(name0), (void *)slab_cache(0)));
	for (int id = 0; id < slab_nr_caches(); id++) {
		const char *nm = name_of(id);
		struct kmem_cache *f = slab_find_cache(nm);

		cr_expect(ne(ptr, (void *)f, NULL), "%s", nm);
		if (f)
			cr_expect(eq(str, (char *)name_of(slab_cache_id(f)), (char *)nm));
	}
	cr_expect(eq(ptr, (void *)slab_find_cache("names-599"), (void *)slab_cache(slab_nr_caches() - 1)));
}

/*
 * memcg_alloc_slab_cgroups (mm/memcontrol.c) takes the vector with kcalloc_node, i.e.
 * kmalloc_node(..., gfp | __GFP_ZERO), after clearing OBJCGS_CLEAR_MASK (__GFP_DMA,
 * __GFP_RECLAIMABLE, __GFP_ACCOUNT) from the slab's gfp.
 */
Test(slab_common_ops, the_objcgs_vector_is_zeroed_memory, .fini = down)
{
	struct helper_slab_log log = { 0 };
	size_t seen = 0;

	up_memcg(true);
	helper_slab_log_start(&log);
	cr_assert(ne(ptr, helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0), NULL));
	for (size_t i = 0; i < log.nr; i++) {
		if (log.ops[i].kind != SIM_OP_OBJ_ALLOC || log.ops[i].size != 512)
			continue;
		seen++;
		cr_expect(eq(uint, log.ops[i].gfp & __GFP_ZERO, __GFP_ZERO));
		cr_expect(eq(uint, log.ops[i].gfp & __GFP_ACCOUNT, 0));
	}
	cr_expect(eq(sz, seen, 1));
	helper_slab_log_stop(&log);
}

/*
 * new_kmalloc_cache (mm/slab_common.c, 6.12) starts from no flags and adds the type's own:
 * SLAB_RECLAIM_ACCOUNT (kmalloc-rcl-*), SLAB_ACCOUNT (kmalloc-cg-*), SLAB_CACHE_DMA
 * (dma-kmalloc-*), SLAB_NO_MERGE for the normal ones under CONFIG_MEMCG;
 * create_kmalloc_cache adds SLAB_KMALLOC.  Nothing else.
 */
Test(slab_common_ops, kmalloc_caches_612_carry_their_types_flags_only, .fini = down)
{
	static const struct { const char *name; unsigned int flags; } t[] = {
		{ "kmalloc-96", SLAB_KMALLOC | SLAB_NO_MERGE },
		{ "kmalloc-4k", SLAB_KMALLOC | SLAB_NO_MERGE },
		{ "kmalloc-rcl-96", SLAB_KMALLOC | SLAB_RECLAIM_ACCOUNT },
		{ "kmalloc-cg-64", SLAB_KMALLOC | SLAB_ACCOUNT },
		{ "dma-kmalloc-512", SLAB_KMALLOC | SLAB_CACHE_DMA },
	};

	up_kernel(false, KERNEL_6_12);
	cr_assert(eq(int, kernel_version, KERNEL_6_12));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s = slab_find_cache(t[i].name);
		struct slab_cache_info info;

		cr_assert(ne(ptr, (void *)s, NULL), "%s", t[i].name);
		slab_current()->info(s, &info);
		cr_expect(eq(u32, info.flags, t[i].flags), "%s", t[i].name);
	}
}

/* slab_common_exit leaves no allocator behind: slab_current() is NULL until the next boot. */
Test(slab_common_ops, exit_leaves_no_allocator)
{
	up_memcg(false);
	cr_assert(ne(ptr, (void *)slab_current(), NULL));
	helper_slab_machine_down(sc);
	sc = NULL;
	cr_expect(eq(ptr, (void *)slab_current(), NULL));
	cr_expect(eq(ptr, (void *)slab_find_cache("kmalloc-64"), NULL));
	cr_expect(eq(int, slab_nr_caches(), 0));
}

/*
 * find_mergeable (mm/slab_common.c, 6.1 and 6.12): a cache merges into one whose size is a
 * multiple of the new cache's alignment ((s->size & ~(align - 1)) == s->size) and at most a
 * word larger.  "mrg104" has 104-byte objects (104 = 8 x 13, not a multiple of 16): a cache
 * of 100 bytes (104 word-aligned, align 8) merges into it; one asking for 16-byte alignment
 * does not (104 & ~15 is 96).
 */
Test(slab_common_ops, merge_needs_a_size_multiple_of_the_alignment, .fini = down)
{
	static const int kernels[] = { KERNEL_6_1, KERNEL_6_12 };

	for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
		struct kmem_cache *a, *b, *c;
		struct slab_cache_info info;

		up_kernel(false, kernels[k]);
		a = kmem_cache_create("mrg104", 104, 0, 0, false);
		cr_assert(ne(ptr, (void *)a, NULL));
		slab_current()->info(a, &info);
		cr_assert(eq(uint, info.size, 104), "kernel %d", kernels[k]);
		b = kmem_cache_create("mrg100", 100, 0, 0, false);
		cr_expect(eq(ptr, (void *)b, (void *)a), "kernel %d", kernels[k]);
		c = kmem_cache_create("mrg100a16", 100, 16, 0, false);
		cr_expect(ne(ptr, (void *)c, (void *)a), "kernel %d", kernels[k]);
		down();
	}
	up_memcg(false);
}

/*
 * slab_unmergeable (mm/slab_common.c) looks at the cache's own flags, s->flags, not only at
 * those asked for: under CONFIG_DEBUG_SLAB a 64-byte cache gets a red zone and the last
 * user (__kmem_cache_create, FORCED_DEBUG: size < 4096) though created without flags, and
 * SLAB_RED_ZONE and SLAB_STORE_USER are in SLAB_NEVER_MERGE.  Without debug the same cache
 * may merge.
 */
Test(slab_common_ops, unmergeable_by_the_flags_the_cache_got)
{
	static const bool debug[] = { false, true };

	for (size_t i = 0; i < sizeof(debug) / sizeof(debug[0]); i++) {
		struct kmem_cache *s;
		struct slab_cache_info info;

		slab_set_debug(debug[i]);
		sc = helper_slab_machine_up(1, 2, 256);
		cr_assert(ne(ptr, (void *)sc, NULL));
		s = kmem_cache_create("unm64", 64, 0, 0, false);
		cr_assert(ne(ptr, (void *)s, NULL));
		slab_current()->info(s, &info);
		cr_expect(eq(int, (info.flags & SLAB_RED_ZONE) != 0, debug[i]), "debug %d", debug[i]);
		cr_expect(eq(int, slab_cache_unmergeable(slab_cache_id(s)), debug[i]), "debug %d", debug[i]);
		helper_slab_machine_down(sc);
		sc = NULL;
		slab_set_debug(false);
	}
}

/*
 * kmem_cache_create_usercopy (mm/slab_common.c) keeps a usercopy region that lies inside
 * the object (WARN_ON(!usersize && useroffset) || WARN_ON(size < usersize ||
 * size - usersize < useroffset) drop it): the whole object (usersize == size) and a tail
 * that ends at the object's end (useroffset == size - usersize) are kept; a region one byte
 * past the end is dropped (usersize 0).
 */
Test(slab_common_ops, a_usercopy_region_up_to_the_objects_end_is_kept, .fini = down)
{
	static const struct { const char *name; unsigned int off, len, want; } t[] = {
		{ "uc-whole", 0, 64, 64 }, { "uc-tail", 32, 32, 32 }, { "uc-past", 33, 32, 0 },
		{ "uc-long", 0, 65, 0 },
	};

	up_memcg(false);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s = kmem_cache_create_usercopy(t[i].name, 64, 0, 0, t[i].off, t[i].len, false);

		cr_assert(ne(ptr, (void *)s, NULL), "%s", t[i].name);
		cr_expect(eq(uint, slab_reg_entry(slab_cache_id(s))->usersize, t[i].want), "%s", t[i].name);
	}
}
