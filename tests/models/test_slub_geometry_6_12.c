/*
 * test_slub_geometry_6_12.c - Linux 6.12's SLUB geometry, kmalloc cache set and merging
 * (models/slub/6.12/geometry.c, models/slab_common/6.12/slab_common.c), suite
 * slub_geometry_6_12: values derived by hand from 6.12.118 mm/slub.c and mm/slab_common.c
 * (each derivation beside its numbers), then a full boot against the stock Debian 6.12
 * kernel's /sys/kernel/slab, and the merging decisions that differ from 6.1.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/kernel.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

static void v612(void)
{
	kernel_version = KERNEL_6_12;
}

static void v61(void)
{
	kernel_version = KERNEL_6_1;
}

TestSuite(slub_geometry_6_12, .init = v612, .fini = v61);

/*
 * calculate_order, 4 CPUs: min_objects = 4 * (fls(4) + 1) = 16.
 *   12000 bytes: order 3 holds 32768 / 12000 = 2, so min_objects = 2 and
 *   min_order = get_order(24000) = 3; order 3 wastes 32768 % 12000 = 8768, more than
 *   1/16 (2048), 1/8 (4096) and 1/4 (8192) of the slab but at most 1/2 (16384): 6.12
 *   takes order 3 (2 objects).  6.1 gave up on 2 objects after 1/4 and took one object
 *   in get_order(12000) = 2 (16384 % 12000 = 4384 <= 16384).
 *   700 bytes: min_order = get_order(16 * 700 = 11200) = 2, 16384 % 700 = 284 <= 1024:
 *   order 2 in both.
 *   40000 bytes: no object within order 3 (max_objects 0 -> 1), min_order =
 *   get_order(40000) = 4; calc_slab_order from 4 to 3 tries nothing and returns 4 > 3
 *   for every fraction; get_order(40000) = 4 <= MAX_PAGE_ORDER: order 4.
 */
Test(slub_geometry_6_12, calculate_order)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);

	cr_assert(sc != NULL);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(12000), 3));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(700), 2));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(40000), 4));
	/* calc_slab_order's second argument is the first order tried (6.1: min_objects). */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(12000, 3, 3, 4), 4));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(12000, 3, 3, 2), 3));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(512, 0, 3, 16), 0));
	kernel_version = KERNEL_6_1;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(12000), 2), "6.1 takes fewer objects");
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(700), 2));
	helper_slab_machine_down(sc);
}

/*
 * calculate_sizes: a 12000-byte cache (align 8, no flags): size 12000, order 3 as above,
 * 2 objects per slab; every slab __GFP_COMP even at order 0 (6.1: order > 0 only); a
 * 24-byte cache: size 24, 16 * 24 = 384 -> order 0, 170 objects.
 */
Test(slub_geometry_6_12, calculate_sizes)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	memset(&s, 0, sizeof(s));
	s.name = "big";
	s.object_size = s.size = 12000;
	s.align = 8;
	cr_assert(eq(int, slub_open_geometry(&s, 0), 1));
	cr_expect(eq(u32, s.size, 12000));
	cr_expect(eq(u32, oo_order(s.oo), 3));
	cr_expect(eq(u32, oo_objects(s.oo), 2));
	cr_expect(eq(u32, oo_order(s.min), 2), "min: get_order(12000)");
	cr_expect(eq(u32, s.offset, 6000), "ALIGN_DOWN(12000 / 2, 8)");
	memset(&s, 0, sizeof(s));
	s.name = "small";
	s.object_size = s.size = 24;
	s.align = 8;
	cr_assert(eq(int, slub_open_geometry(&s, 0), 1));
	cr_expect(eq(u32, oo_order(s.oo), 0));
	cr_expect(eq(u32, oo_objects(s.oo), 170));
	cr_expect(eq(u32, s.allocflags & __GFP_COMP, __GFP_COMP), "6.12: a folio even at order 0");
	kernel_version = KERNEL_6_1;
	memset(&s, 0, sizeof(s));
	s.name = "small";
	s.object_size = s.size = 24;
	s.align = 8;
	cr_assert(eq(int, slub_open_geometry(&s, 0), 1));
	cr_expect(eq(u32, s.allocflags & __GFP_COMP, 0), "6.1: order 0 is not compound");
	helper_slab_machine_down(sc);
}

/*
 * The stock Debian 6.12.118 kernel, 4 vCPUs on 2 nodes (Debian's config: memcg, ZONE_DMA,
 * hardened usercopy, SLAB_BUCKETS, freelist random and hardened), from
 * shared/traces/debian-6.12.118-4cpu-2node/SNAP0/sys_kernel_slab.txt: order, objs_per_slab,
 * object_size, slab_size, align, cpu_partial, min_partial.  By hand: kmalloc-96 and -192 are
 * aligned to the largest power of two dividing their size (32, 64); kmem_cache is
 * offsetof(struct kmem_cache, node) = 216 (useroffset and usersize are there with hardened
 * usercopy) + 2 nodes * 8 = 232; kmalloc_buckets holds 14 pointers (112 bytes, align 8,
 * 4096 / 112 = 36 per order-0 slab); memdup_user-N and msg_msg-N are kmem_cache_create'd
 * with align 0 -> 8.
 */
struct real_cache {
	const char *name;
	unsigned int order, objs_per_slab, object_size, slab_size, align, cpu_partial, min_partial;
};

static const struct real_cache debian_612[] = {
	{ "kmalloc-8",       0, 512,    8,    8,    8, 120, 5 },
	{ "kmalloc-16",      0, 256,   16,   16,   16, 120, 5 },
	{ "kmalloc-32",      0, 128,   32,   32,   32, 120, 5 },
	{ "kmalloc-64",      0,  64,   64,   64,   64, 120, 5 },
	{ "kmalloc-96",      0,  42,   96,   96,   32, 120, 5 },
	{ "kmalloc-128",     0,  32,  128,  128,  128, 120, 5 },
	{ "kmalloc-192",     0,  21,  192,  192,   64, 120, 5 },
	{ "kmalloc-256",     0,  16,  256,  256,  256,  52, 5 },
	{ "kmalloc-512",     1,  16,  512,  512,  512,  52, 5 },
	{ "kmalloc-1k",      2,  16, 1024, 1024, 1024,  24, 5 },
	{ "kmalloc-2k",      3,  16, 2048, 2048, 2048,  24, 5 },
	{ "kmalloc-4k",      3,   8, 4096, 4096, 4096,   6, 6 },
	{ "kmalloc-8k",      3,   4, 8192, 8192, 8192,   6, 6 },
	{ "kmem_cache",      0,  16,  232,  256,   64,  52, 5 },
	{ "kmem_cache_node", 0,  64,   64,   64,   64, 120, 5 },
	{ "kmalloc_buckets", 0,  36,  112,  112,    8, 120, 5 },
	{ "memdup_user-8",   0, 512,    8,    8,    8, 120, 5 },
	{ "memdup_user-96",  0,  42,   96,   96,    8, 120, 5 },
	{ "memdup_user-1k",  2,  16, 1024, 1024,    8,  24, 5 },
	{ "memdup_user-8k",  3,   4, 8192, 8192,    8,   6, 6 },
	{ "msg_msg-8",       0, 512,    8,    8,    8, 120, 5 },
	{ "msg_msg-96",      0,  42,   96,   96,    8, 120, 5 },
	{ "msg_msg-4k",      3,   8, 4096, 4096,    8,   6, 6 },
};

Test(slub_geometry_6_12, debian_kernel_4cpu_2node)
{
	static const char *const prefix[] = { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" };
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);

	cr_assert(sc != NULL, "machine");
	for (size_t i = 0; i < sizeof(debian_612) / sizeof(debian_612[0]); i++) {
		const struct real_cache *rc = &debian_612[i];
		bool kmalloc = !strncmp(rc->name, "kmalloc-", 8);

		for (int t = 0; t < (kmalloc ? NR_KMALLOC_TYPES : 1); t++) {
			char name[32];
			struct kmem_cache *s;

			snprintf(name, sizeof(name), "%s%s", kmalloc ? prefix[t] : "", kmalloc ? rc->name + 8 : rc->name);
			s = slab_find_cache(name);
			cr_assert(s != NULL, "cache %s exists", name);
			cr_expect(eq(u32, oo_order(s->oo), rc->order), "%s order", name);
			cr_expect(eq(u32, oo_objects(s->oo), rc->objs_per_slab), "%s objs_per_slab", name);
			cr_expect(eq(u32, s->object_size, rc->object_size), "%s object_size", name);
			cr_expect(eq(u32, s->size, rc->slab_size), "%s slab_size", name);
			cr_expect(eq(u32, s->align, rc->align), "%s align", name);
			cr_expect(eq(u32, s->cpu_partial, rc->cpu_partial), "%s cpu_partial", name);
			cr_expect(eq(u64, s->min_partial, rc->min_partial), "%s min_partial", name);
			/* with memcg the normal kmalloc caches never merge; the others hold a
			 * usercopy region (hardened usercopy): none of them merges */
			cr_expect(slab_cache_unmergeable(slab_cache_id(s)), "%s unmergeable", name);
		}
	}
	/*
	 * Creation order: kmem_cache, kmem_cache_node, then per type in the kernel's enum order
	 * (normal, reclaim, dma, cgroup) 96, 192, 8 .. 8k; kmalloc_buckets; the 13 memdup_user-*
	 * in kmalloc_caches[KMALLOC_NORMAL] index order (96, 192, 8, ...), the 13 msg_msg-*.
	 */
	cr_expect(eq(int, slab_nr_caches(), 2 + 4 * 13 + 1 + 13 + 13));
	cr_expect(eq(str, (char *)slab_cache(2)->name, "kmalloc-96"));
	cr_expect(eq(str, (char *)slab_cache(3)->name, "kmalloc-192"));
	cr_expect(eq(str, (char *)slab_cache(4)->name, "kmalloc-8"));
	cr_expect(eq(str, (char *)slab_cache(2 + 13)->name, "kmalloc-rcl-96"));
	cr_expect(eq(str, (char *)slab_cache(2 + 26)->name, "dma-kmalloc-96"));
	cr_expect(eq(str, (char *)slab_cache(2 + 39)->name, "kmalloc-cg-96"));
	cr_expect(eq(str, (char *)slab_cache(54)->name, "kmalloc_buckets"));
	cr_expect(eq(str, (char *)slab_cache(55)->name, "memdup_user-96"));
	cr_expect(eq(str, (char *)slab_cache(57)->name, "memdup_user-8"));
	cr_expect(eq(str, (char *)slab_cache(68)->name, "msg_msg-96"));
	/* msg_msg-* are SLAB_ACCOUNT (memcg on), memdup_user-* not */
	cr_expect(ne(u32, slab_find_cache("msg_msg-64")->flags & SLAB_ACCOUNT, 0));
	cr_expect(eq(u32, slab_find_cache("memdup_user-64")->flags & SLAB_ACCOUNT, 0));
	cr_expect(slub_check(stderr));
	helper_slab_machine_down(sc);
}

/* 2 nodes of 2 vCPUs and 1 GiB (node 0: DMA 16 MiB, DMA32 the rest), not yet booted. */
static struct sim_scenario *two_nodes(void)
{
	static const uint64_t zone_mib[2][4] = { { 16, 1008, 0, 0 }, { 0, 1024, 0, 0 } };
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	cr_assert(sc != NULL);
	sim_scenario_default(sc);
	sc->nr_nodes = 2;
	for (int nid = 0; nid < 2; nid++) {
		memset(&sc->node[nid], 0, sizeof(sc->node[nid]));
		sc->node[nid].nr_cpus = 2;
		for (int zid = 0; zid < 4; zid++)
			sc->node[nid].zone_mib[zid] = zone_mib[nid][zid];
	}
	return sc;
}

/* A machine of the small-config oracle's kind: no memcg, no ZONE_DMA, no hardened usercopy,
 * no SLAB_BUCKETS (or, with `hardened`, hardened usercopy on). */
static struct sim_scenario *oracle_machine(bool hardened)
{
	struct sim_scenario *sc = two_nodes();

	cr_assert(sc != NULL);
	sc->memcg_kmem = false;
	sc->zone_dma = false;
	sc->hardened_usercopy = hardened;
	sc->slab_buckets = false;
	sc = helper_slub_machine_up_sc(sc, false);
	cr_assert(sc != NULL, "machine");
	return sc;
}

/*
 * Merging that 6.12 decides otherwise than 6.1 (find_mergeable, slab_unmergeable).
 * Without hardened usercopy a kmalloc cache has no usercopy region and merges: a
 * dentry-like cache (192 bytes, align 8, a usercopy region) aliases kmalloc-192 (same
 * size, no SLAB_MERGE_SAME flag on either, 192 a multiple of its align 8) and the
 * kernel's sysfs shows kmalloc-192 as :0000192.  With hardened usercopy, or on 6.1, the
 * region keeps both apart.  Without memcg and ZONE_DMA: kmem_cache, kmem_cache_node,
 * 2 types x 13 kmalloc caches.
 */
Test(slub_geometry_6_12, usercopy_merges_without_hardened_usercopy)
{
	struct sim_scenario *sc = oracle_machine(false);
	struct kmem_cache *k192 = slab_find_cache("kmalloc-192"), *d;

	cr_assert(k192 != NULL);
	cr_expect(eq(int, slab_nr_caches(), 2 + 2 * 13), "no dma, cg, buckets");
	cr_expect(not(slab_cache_unmergeable(slab_cache_id(k192))), "kmalloc-192 may merge");
	d = kmem_cache_create_usercopy("dentry", 192, 8, 0, 24, 40, false);
	cr_expect(eq(ptr, (void *)d, (void *)k192), "dentry aliases kmalloc-192");
	cr_expect(eq(int, slab_cache_refcount(slab_cache_id(k192)), 2));
	/* A constructor or SLAB_NO_MERGE still keeps a cache apart. */
	d = kmem_cache_create("with_ctor", 192, 8, 0, true);
	cr_expect(ne(ptr, (void *)d, (void *)k192));
	d = kmem_cache_create("no_merge", 192, 8, SLAB_NO_MERGE, false);
	cr_expect(ne(ptr, (void *)d, (void *)k192));
	cr_expect(slab_cache_unmergeable(slab_cache_id(d)), "SLAB_NO_MERGE is in SLAB_NEVER_MERGE");
	helper_slab_machine_down(sc);
}

/*
 * Without CONFIG_ZONE_DMA and CONFIG_MEMCG, KMALLOC_DMA and KMALLOC_CGROUP are other names of
 * KMALLOC_NORMAL (include/linux/slab.h, enum kmalloc_cache_type, 6.12): a GFP_DMA or
 * __GFP_ACCOUNT kmalloc uses the normal caches, so every size's entry is the normal one.
 */
Test(slub_geometry_6_12, dma_and_cgroup_types_are_normal_without_their_config)
{
	struct sim_scenario *sc = oracle_machine(false);

	for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
		cr_expect(eq(ptr, (void *)kmalloc_caches[KMALLOC_DMA][i], (void *)kmalloc_caches[KMALLOC_NORMAL][i]),
			  "index %d", i);
		cr_expect(eq(ptr, (void *)kmalloc_caches[KMALLOC_CGROUP][i], (void *)kmalloc_caches[KMALLOC_NORMAL][i]),
			  "index %d", i);
	}
	cr_expect(ne(ptr, (void *)kmalloc_caches[KMALLOC_DMA][6], NULL), "kmalloc-64");
	cr_expect(ne(ptr, (void *)kmalloc_caches[KMALLOC_CGROUP][6], NULL), "kmalloc-64");
	helper_slab_machine_down(sc);
}

Test(slub_geometry_6_12, usercopy_apart_with_hardened_usercopy)
{
	struct sim_scenario *sc = oracle_machine(true);
	struct kmem_cache *k192 = slab_find_cache("kmalloc-192"), *d;

	cr_assert(k192 != NULL);
	cr_expect(slab_cache_unmergeable(slab_cache_id(k192)), "usersize 192 with hardened usercopy");
	d = kmem_cache_create_usercopy("dentry", 192, 8, 0, 24, 40, false);
	cr_expect(ne(ptr, (void *)d, (void *)k192));
	/* a usercopy cache is never a merge target either: a plain 192-byte cache makes its own */
	cr_expect(ne(ptr, (void *)kmem_cache_create("plain", 192, 8, 0, false), (void *)d));
	helper_slab_machine_down(sc);
}

Test(slub_geometry_6_12, usercopy_apart_on_6_1)
{
	struct sim_scenario *sc;
	struct kmem_cache *k192, *d;

	kernel_version = KERNEL_6_1;
	sc = oracle_machine(false);
	k192 = slab_find_cache("kmalloc-192");
	cr_assert(k192 != NULL);
	cr_expect(slab_cache_unmergeable(slab_cache_id(k192)), "6.1: usersize always stops merging");
	d = kmem_cache_create_usercopy("dentry", 192, 8, 0, 24, 40, false);
	cr_expect(ne(ptr, (void *)d, (void *)k192));
	/* 6.1's order: 8, 16, 32, 64, 96, 128, 192, ... */
	cr_expect(eq(str, (char *)slab_cache(2)->name, "kmalloc-8"));
	cr_expect(eq(str, (char *)slab_cache(6)->name, "kmalloc-96"));
	helper_slab_machine_down(sc);
}

/* With memcg (and no hardened usercopy) the normal kmalloc caches carry SLAB_NO_MERGE, the
 * reclaimable ones do not: a reclaimable 64-byte cache aliases kmalloc-rcl-64, a plain one
 * does not alias kmalloc-64. */
Test(slub_geometry_6_12, memcg_no_merge_flag)
{
	struct sim_scenario *sc = two_nodes();
	struct kmem_cache *k64, *r64;

	cr_assert(sc != NULL);
	sc->hardened_usercopy = false;
	sc->slab_buckets = false;
	sc = helper_slub_machine_up_sc(sc, false);
	cr_assert(sc != NULL);
	k64 = slab_find_cache("kmalloc-64");
	r64 = slab_find_cache("kmalloc-rcl-64");
	cr_assert(k64 && r64);
	cr_expect(slab_cache_unmergeable(slab_cache_id(k64)));
	cr_expect(not(slab_cache_unmergeable(slab_cache_id(r64))));
	cr_expect(ne(ptr, (void *)kmem_cache_create("plain64", 64, 8, 0, false), (void *)k64));
	cr_expect(eq(ptr, (void *)kmem_cache_create("rcl64", 64, 8, SLAB_RECLAIM_ACCOUNT, false), (void *)r64));
	helper_slab_machine_down(sc);
}

/* calculate_sizes of a crafted cache: its flags as given (no slub_debug from kmem_cache_flags). */
static struct kmem_cache crafted(unsigned int object_size, slab_flags_t flags)
{
	struct kmem_cache s;

	memset(&s, 0, sizeof(s));
	s.name = "crafted";
	s.object_size = s.size = object_size;
	s.align = 8;
	s.flags = flags;
	return s;
}

/*
 * calculate_sizes with the debug flags, 4 CPUs (min_objects 16), by hand from 6.12 mm/slub.c:
 *   kmalloc 64 bytes, red zone + store user + poison: 64 -> red zone word (object fills its
 *   last word) 72 = inuse; poison moves the free pointer after it: offset 72, 80; two tracks
 *   (2 * 32) 144 and the kmalloc's original size (unsigned long, 8) 152; red zone padding 160
 *   and left red zone ALIGN_UP(8, 8) = 8: 168.  Order: get_order(16 * 168) = 0,
 *   4096 % 168 = 64 <= 4096 / 16: order 0, 4096 / 168 = 24 objects; __OBJECT_POISON set.
 *   The same without SLAB_KMALLOC: 160 (no original size), 4096 % 160 = 96: 25 objects.
 *   4 bytes red-zoned: ALIGN_UP(4, 8) = 8 = inuse (no extra word: 8 != 4); an object under a
 *   word keeps the pointer after it: offset 8, 16; padding 24, left red zone 8: 32,
 *   128 objects.
 */
Test(slub_geometry_6_12, calculate_sizes_debug_layouts)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	s = crafted(64, SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_KMALLOC | SLAB_POISON);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.inuse, 72));
	cr_expect(eq(u32, s.offset, 72));
	cr_expect(eq(u32, s.red_left_pad, 8));
	cr_expect(eq(u32, s.size, 168));
	cr_expect(eq(u32, oo_order(s.oo), 0));
	cr_expect(eq(u32, oo_objects(s.oo), 24));
	cr_expect(eq(u32, s.flags & __OBJECT_POISON, __OBJECT_POISON));
	cr_expect(eq(u32, s.allocflags, __GFP_COMP));
	s = crafted(64, SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_POISON);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.size, 160), "no original size outside kmalloc");
	cr_expect(eq(u32, oo_objects(s.oo), 25));
	s = crafted(4, SLAB_RED_ZONE);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.inuse, 8));
	cr_expect(eq(u32, s.offset, 8));
	cr_expect(eq(u32, s.size, 32));
	cr_expect(eq(u32, oo_objects(s.oo), 128));
	cr_expect(eq(u32, s.flags & __OBJECT_POISON, 0));
	helper_slab_machine_down(sc);
}

/*
 * The free pointer outside the object for RCU and constructors, and the slab's gfp flags:
 *   100 bytes, TYPESAFE_BY_RCU + POISON + DMA + RECLAIM_ACCOUNT: 104 = inuse, the pointer
 *   after it (offset 104), 112; RCU objects are not poisoned; 4096 % 112 = 64: order 0,
 *   36 objects; allocflags __GFP_COMP | GFP_DMA | __GFP_RECLAIMABLE.
 *   24 bytes with a ctor, DMA32: offset 24, size 32, 128 objects, __GFP_COMP | GFP_DMA32.
 *   24 bytes, nothing: offset ALIGN_DOWN(12, 8) = 8 (mid-object), size 24.
 */
Test(slub_geometry_6_12, calculate_sizes_rcu_ctor_and_gfp)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	s = crafted(100, SLAB_TYPESAFE_BY_RCU | SLAB_POISON | SLAB_CACHE_DMA | SLAB_RECLAIM_ACCOUNT);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.inuse, 104));
	cr_expect(eq(u32, s.offset, 104));
	cr_expect(eq(u32, s.size, 112));
	cr_expect(eq(u32, oo_objects(s.oo), 36));
	cr_expect(eq(u32, s.flags & __OBJECT_POISON, 0));
	cr_expect(eq(u32, s.allocflags, __GFP_COMP | GFP_DMA | __GFP_RECLAIMABLE));
	s = crafted(24, SLAB_CACHE_DMA32);
	s.ctor = true;
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.offset, 24));
	cr_expect(eq(u32, s.size, 32));
	cr_expect(eq(u32, oo_objects(s.oo), 128));
	cr_expect(eq(u32, s.allocflags, __GFP_COMP | GFP_DMA32));
	s = crafted(24, 0);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.offset, 8));
	cr_expect(eq(u32, s.size, 24));
	helper_slab_machine_down(sc);
}

static void restore_slub_params(void)
{
	slub_min_order = 0;
	slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	slub_min_objects = 0;
	kernel_version = KERNEL_6_1;
}

/*
 * calculate_order's bounds, 6.12:
 *   1 CPU: num_present_cpus() 1 -> nr_cpu_ids (1): min_objects 4 * (fls(1) + 1) = 8;
 *     1000 bytes: get_order(8000) = 1, 8192 % 1000 = 192 <= 512: order 1 (4 CPUs: 16
 *     objects, get_order(16000) = 2, 16384 % 1000 = 384 <= 1024: order 2).
 *   slub_min_objects=4: get_order(4000) = 0, 4096 % 1000 = 96 <= 256: order 0;
 *     with slub_min_order=1 too: order 1.
 *   slub_min_order=6, 8 bytes: 262144 / 8 = 32768 objects > MAX_OBJS_PER_PAGE 32767:
 *     get_order(8 * 32767 = 262136) - 1 = 6 - 1 = 5.
 *   slub_max_order=0, 12000 bytes: no object in order 0 (max_objects 0 -> 1), min_order
 *     get_order(12000) = 2 > 0 for every fraction: get_order(12000) = 2.
 *   8 MiB: get_order = 11 > MAX_PAGE_ORDER 10: -1, and calculate_sizes fails (0).
 */
Test(slub_geometry_6_12, calculate_order_bounds, .fini = restore_slub_params)
{
	struct sim_scenario *sc = helper_slub_engine_up(1);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(1000), 1));
	slub_min_objects = 4;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(1000), 0));
	slub_min_order = 1;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(1000), 1));
	slub_min_objects = 0;
	slub_min_order = 6;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(8), 5));
	slub_min_order = 0;
	slub_max_order = 0;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(12000), 2));
	slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(8u << 20), -1));
	s = crafted(8u << 20, 0);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 0));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_12;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(1000), 2));
	helper_slab_machine_down(sc);
}
