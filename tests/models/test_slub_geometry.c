/*
 * test_slub_geometry.c - SLUB cache geometry (models/slub/geometry.c)
 * against values derived by hand from Linux 6.1.192 mm/slub.c and
 * mm/slab_common.c, and against a real Debian 6.1.192 kernel.
 *
 * How the tables were derived (x86-64, 4 KiB pages, no debug flags):
 *   align    create_boot_cache: 8, raised to the size for powers of two;
 *            calculate_alignment: with SLAB_HWCACHE_ALIGN 64 halved while
 *            size <= half of it, at least 8.  So kmalloc-96/192 keep 8.
 *   size     ALIGN(object_size, 8); + 8 for the free pointer when it must sit
 *            after the object (SLAB_TYPESAFE_BY_RCU); then ALIGN(size, align).
 *   offset   after the object in that case, else ALIGN_DOWN(object_size/2, 8).
 *   order    calculate_order: min_objects = 4 * (fls(present CPUs) + 1)
 *            (1 CPU: 8, 2 CPUs: 12, 4: 16, 8: 20, 64: 32), capped by what
 *            order 3 holds; the first order from get_order(min_objects * size)
 *            up to 3 that wastes at most 1/16 (then 1/8, 1/4) of the slab,
 *            else fewer objects.  objs = (4096 << order) / size.
 *   min_partial  clamp(ilog2(size) / 2, 5, 10).
 *   cpu_partial  size >= 4096: 6, >= 1024: 24, >= 256: 52, else 120;
 *   cpu_partial_slabs = DIV_ROUND_UP(cpu_partial * 2, objs).
 * The 4-CPU column agrees with the real kernel (see kernel_4cpu below).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

struct geom {
	unsigned int object_size, align, size, offset;
	unsigned int order, objs, min_partial, cpu_partial, cpu_partial_slabs;
};

struct geom_case {
	const char *name;
	unsigned int object_size, req_align;
	unsigned int flags;
	/* by CPUs present: 1, 2, 4, 8, 64 */
	struct { unsigned int order, objs, cpu_partial_slabs; } by_cpus[5];
	unsigned int align, size, offset, min_partial, cpu_partial;
};

static const int cpu_counts[5] = { 1, 2, 4, 8, 64 };

#define K SLAB_KMALLOC
static const struct geom_case kmalloc_cases[] = {
	/* name          obj   ra flags   1 CPU       2 CPUs      4 CPUs      8 CPUs      64 CPUs     align size  off  minp cpup */
	{ "kmalloc-8",      8, 0, K, { {0,512,1}, {0,512,1}, {0,512,1}, {0,512,1}, {0,512,1} },     8,    8,    0, 5, 120 },
	{ "kmalloc-16",    16, 0, K, { {0,256,1}, {0,256,1}, {0,256,1}, {0,256,1}, {0,256,1} },    16,   16,    8, 5, 120 },
	{ "kmalloc-32",    32, 0, K, { {0,128,2}, {0,128,2}, {0,128,2}, {0,128,2}, {0,128,2} },    32,   32,   16, 5, 120 },
	{ "kmalloc-64",    64, 0, K, { {0,64,4},  {0,64,4},  {0,64,4},  {0,64,4},  {0,64,4} },     64,   64,   32, 5, 120 },
	{ "kmalloc-96",    96, 0, K, { {0,42,6},  {0,42,6},  {0,42,6},  {0,42,6},  {0,42,6} },      8,   96,   48, 5, 120 },
	{ "kmalloc-128",  128, 0, K, { {0,32,8},  {0,32,8},  {0,32,8},  {0,32,8},  {0,32,8} },    128,  128,   64, 5, 120 },
	{ "kmalloc-192",  192, 0, K, { {0,21,12}, {0,21,12}, {0,21,12}, {0,21,12}, {1,42,6} },      8,  192,   96, 5, 120 },
	{ "kmalloc-256",  256, 0, K, { {0,16,7},  {0,16,7},  {0,16,7},  {1,32,4},  {1,32,4} },    256,  256,  128, 5,  52 },
	{ "kmalloc-512",  512, 0, K, { {0,8,13},  {1,16,7},  {1,16,7},  {2,32,4},  {2,32,4} },    512,  512,  256, 5,  52 },
	{ "kmalloc-1k",  1024, 0, K, { {1,8,6},   {2,16,3},  {2,16,3},  {3,32,2},  {3,32,2} },   1024, 1024,  512, 5,  24 },
	{ "kmalloc-2k",  2048, 0, K, { {2,8,6},   {3,16,3},  {3,16,3},  {3,16,3},  {3,16,3} },   2048, 2048, 1024, 5,  24 },
	{ "kmalloc-4k",  4096, 0, K, { {3,8,2},   {3,8,2},   {3,8,2},   {3,8,2},   {3,8,2} },    4096, 4096, 2048, 6,   6 },
	{ "kmalloc-8k",  8192, 0, K, { {3,4,3},   {3,4,3},   {3,4,3},   {3,4,3},   {3,4,3} },    8192, 8192, 4096, 6,   6 },
};
#undef K

#define HW SLAB_HWCACHE_ALIGN
#define RCU SLAB_TYPESAFE_BY_RCU
static const struct geom_case named_cases[] = {
	/* kmem_cache with 2 nodes: offsetof(struct kmem_cache, node) 216 + 2 * 8 */
	{ "kmem_cache",      232,  0, HW,            { {0,16,7}, {0,16,7}, {0,16,7}, {1,32,4}, {1,32,4} },  64,  256,  112, 5,  52 },
	{ "kmem_cache_node",  64,  0, HW,            { {0,64,4}, {0,64,4}, {0,64,4}, {0,64,4}, {0,64,4} },  64,   64,   32, 5, 120 },
	{ "task_struct",    8392, 64, SLAB_ACCOUNT,  { {3,3,4},  {3,3,4},  {3,3,4},  {3,3,4},  {3,3,4} },   64, 8448, 4192, 6,   6 },
	{ "names_cache",    4096,  0, HW,            { {3,8,2},  {3,8,2},  {3,8,2},  {3,8,2},  {3,8,2} },   64, 4096, 2048, 6,   6 },
	{ "mm_struct",      1104,  0, HW | SLAB_ACCOUNT, { {2,14,4}, {2,14,4}, {3,28,2}, {3,28,2}, {3,28,2} }, 64, 1152, 552, 5, 24 },
	{ "sighand_cache",  2080,  0, HW | RCU | SLAB_ACCOUNT, { {3,15,4}, {3,15,4}, {3,15,4}, {3,15,4}, {3,15,4} }, 64, 2112, 2080, 5, 24 },
	{ "TCP",            2280,  0, HW | RCU,      { {3,14,4}, {3,14,4}, {3,14,4}, {3,14,4}, {3,14,4} },  64, 2304, 2280, 5,  24 },
	{ "dentry",          192,  8, SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
	  { {0,21,12}, {0,21,12}, {0,21,12}, {0,21,12}, {1,42,6} }, 8, 192, 96, 5, 120 },
};
#undef HW
#undef RCU

/* A cache as create_boot_cache (kmalloc) or create_cache (named) sets it up. */
static void open_cache(struct kmem_cache *s, const struct geom_case *gc, unsigned int flags)
{
	unsigned int align = gc->req_align ? gc->req_align : 8;

	memset(s, 0, sizeof(*s));
	s->name = gc->name;
	s->object_size = s->size = gc->object_size;
	if ((flags & SLAB_KMALLOC) && !(gc->object_size & (gc->object_size - 1)))
		align = gc->object_size;	/* natural alignment of kmalloc powers of two */
	s->align = calculate_alignment(flags, align, gc->object_size);
	cr_assert(eq(int, slub_open_geometry(s, flags), 1), "%s", gc->name);
}

static void check_case(const struct geom_case *gc, int col, unsigned int extra_flags)
{
	struct kmem_cache s;

	open_cache(&s, gc, gc->flags | extra_flags);
	cr_expect(eq(u32, s.object_size, gc->object_size), "%s", gc->name);
	cr_expect(eq(u32, s.align, gc->align), "%s align", gc->name);
	cr_expect(eq(u32, s.size, gc->size), "%s size", gc->name);
	cr_expect(eq(u32, s.offset, gc->offset), "%s offset", gc->name);
	cr_expect(eq(u32, oo_order(s.oo), gc->by_cpus[col].order), "%s order, %d CPUs", gc->name,
		  cpu_counts[col]);
	cr_expect(eq(u32, oo_objects(s.oo), gc->by_cpus[col].objs), "%s objs, %d CPUs", gc->name,
		  cpu_counts[col]);
	cr_expect(eq(u32, oo_order(s.min), get_order(gc->size)), "%s min order", gc->name);
	cr_expect(eq(u64, s.min_partial, gc->min_partial), "%s min_partial", gc->name);
	cr_expect(eq(u32, s.cpu_partial, gc->cpu_partial), "%s cpu_partial", gc->name);
	cr_expect(eq(u32, s.cpu_partial_slabs, gc->by_cpus[col].cpu_partial_slabs),
		  "%s cpu_partial_slabs, %d CPUs", gc->name, cpu_counts[col]);
	cr_expect(eq(u32, s.remote_node_defrag_ratio, 1000), "%s", gc->name);
	cr_expect(eq(u32, s.allocflags & __GFP_COMP, oo_order(s.oo) ? __GFP_COMP : 0), "%s", gc->name);
	cr_expect(ne(u32, s.flags & __CMPXCHG_DOUBLE, 0), "%s uses cmpxchg_double", gc->name);
	cr_expect(eq(u32, s.allocflags & GFP_DMA, (s.flags & SLAB_CACHE_DMA) ? GFP_DMA : 0), "%s", gc->name);
	cr_expect(eq(u32, s.allocflags & __GFP_RECLAIMABLE,
		     (s.flags & SLAB_RECLAIM_ACCOUNT) ? __GFP_RECLAIMABLE : 0), "%s", gc->name);
}

static void check_column(int col)
{
	struct sim_scenario *sc = helper_slub_engine_up(cpu_counts[col]);

	cr_assert(sc != NULL, "engine");
	/* kmalloc-, kmalloc-cg-, kmalloc-rcl- and dma-kmalloc- caches of each size. */
	static const unsigned int type_flags[] = { 0, SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA };

	for (size_t i = 0; i < sizeof(kmalloc_cases) / sizeof(kmalloc_cases[0]); i++)
		for (size_t t = 0; t < 4; t++)
			check_case(&kmalloc_cases[i], col, type_flags[t]);
	for (size_t i = 0; i < sizeof(named_cases) / sizeof(named_cases[0]); i++)
		check_case(&named_cases[i], col, 0);
	helper_slab_machine_down(sc);
}

Test(slub_geometry, one_cpu) { check_column(0); }
Test(slub_geometry, two_cpus) { check_column(1); }
Test(slub_geometry, four_cpus) { check_column(2); }
Test(slub_geometry, eight_cpus) { check_column(3); }
Test(slub_geometry, sixty_four_cpus) { check_column(4); }

/* calc_slab_order's branches, worked by hand. */
Test(slub_geometry, calc_slab_order)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);

	/* 16 objects of 512: get_order(8192) = 1, 8192 % 512 = 0. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(512, 16, 3, 16), 1));
	/* 700 bytes, 16 objects: order 2 wastes 16384 % 700 = 284 <= 1024. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(700, 16, 3, 16), 2));
	/* 3000 bytes: order 3 wastes 32768 % 3000 = 2768 > 2048, none fits: max_order + 1. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(3000, 16, 3, 16), 4));
	/* ... but 1/8 accepts it. */
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(3000, 10, 3, 8), 3));
	/* One object of 40000 bytes needs order 4, above slub_max_order: calculate_order
	 * falls through to MAX_ORDER and takes it. */
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(40000), 4));
	helper_slab_machine_down(sc);
}

/* slub_min_objects= and slub_max_order= change the order as 6.1 does. */
Test(slub_geometry, boot_params)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct slub_params p;

	slub_params_default(&p);
	p.min_objects = 64;
	slub_set_params(&p);
	/* 64 objects of 256 want order 2 (16384 % 256 = 0). */
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(256), 2));
	p.min_objects = 0;
	p.max_order = 1;
	slub_set_params(&p);
	/* 16 objects of 2048 would need order 3; within order 1: 4 objects, no waste. */
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(2048), 1));
	p.max_order = 20;
	slub_set_params(&p);
	cr_expect(eq(u32, slub_max_order, MAX_ORDER - 1), "slub_max_order= is clamped");
	helper_slab_machine_down(sc);
}

/*
 * calc_slab_order (mm/slub.c, 6.1): when slub_min_order alone gives more than
 * MAX_OBJS_PER_PAGE (32767, slab.objects is 15 bits) objects, the order is the one below
 * get_order(size * MAX_OBJS_PER_PAGE).  slub_min_order=6: 8-byte objects, 262144 / 8 =
 * 32768 > 32767: get_order(262136) - 1 = 5, for calculate_order too (5 is over
 * slub_max_order 3 for every fraction, then under MAX_ORDER); 16-byte objects, 16384 per
 * order-6 slab: order 6 (min_order itself).
 */
Test(slub_geometry, slub_min_order_capped_by_max_objs_per_page)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct slub_params p;

	cr_assert(sc != NULL);
	slub_params_default(&p);
	p.min_order = 6;
	slub_set_params(&p);
	cr_assert(eq(u32, slub_min_order, 6));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(8, 16, 3, 16), 5));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(8), 5));
	cr_expect(eq(u32, KOPS(slub_geometry)->calc_slab_order(16, 16, 6, 16), 6));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(16), 6));
	slub_params_default(&p);
	slub_set_params(&p);
	helper_slab_machine_down(sc);
}

/*
 * The real kernel: Debian linux-image-6.1.0-56-amd64 (6.1.192) under QEMU
 * with 4 vCPUs on 2 nodes, 1 GiB each.  Numbers copied from
 * shared/traces/debian-6.1.192-4cpu-2node/SNAP0/sys_kernel_slab.txt
 * ("cache attribute value": order, objs_per_slab, object_size, slab_size,
 * align, cpu_partial, min_partial).  The same for the -cg-, -rcl- and dma-
 * variants of each size.
 */
struct real_cache {
	const char *name;
	unsigned int order, objs_per_slab, object_size, slab_size, align, cpu_partial, min_partial;
};

static const struct real_cache kernel_4cpu[] = {
	{ "kmalloc-8",       0, 512,    8,    8,    8, 120, 5 },
	{ "kmalloc-16",      0, 256,   16,   16,   16, 120, 5 },
	{ "kmalloc-32",      0, 128,   32,   32,   32, 120, 5 },
	{ "kmalloc-64",      0,  64,   64,   64,   64, 120, 5 },
	{ "kmalloc-96",      0,  42,   96,   96,    8, 120, 5 },
	{ "kmalloc-128",     0,  32,  128,  128,  128, 120, 5 },
	{ "kmalloc-192",     0,  21,  192,  192,    8, 120, 5 },
	{ "kmalloc-256",     0,  16,  256,  256,  256,  52, 5 },
	{ "kmalloc-512",     1,  16,  512,  512,  512,  52, 5 },
	{ "kmalloc-1k",      2,  16, 1024, 1024, 1024,  24, 5 },
	{ "kmalloc-2k",      3,  16, 2048, 2048, 2048,  24, 5 },
	{ "kmalloc-4k",      3,   8, 4096, 4096, 4096,   6, 6 },
	{ "kmalloc-8k",      3,   4, 8192, 8192, 8192,   6, 6 },
	{ "kmem_cache",      0,  16,  232,  256,   64,  52, 5 },
	{ "kmem_cache_node", 0,  64,   64,   64,   64, 120, 5 },
};

/* A full boot on the same machine gives the real kernel's geometry, for every kmalloc type. */
Test(slub_geometry, kernel_4cpu_2node)
{
	static const char *const prefix[] = { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" };
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, true);

	cr_assert(sc != NULL, "machine");
	for (size_t i = 0; i < sizeof(kernel_4cpu) / sizeof(kernel_4cpu[0]); i++) {
		const struct real_cache *rc = &kernel_4cpu[i];
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
		}
	}
	/* kmem_cache, kmem_cache_node, then 4 types x 13 sizes, in creation order. */
	cr_expect(eq(int, slab_nr_caches(), 2 + 4 * 13));
	cr_expect(eq(str, (char *)slab_cache(0)->name, "kmem_cache"));
	cr_expect(eq(str, (char *)slab_cache(1)->name, "kmem_cache_node"));
	cr_expect(eq(str, (char *)slab_cache(2)->name, "kmalloc-8"));
	cr_expect(eq(str, (char *)slab_cache(6)->name, "kmalloc-96"));
	cr_expect(eq(str, (char *)slab_cache(2 + 13)->name, "kmalloc-cg-8"));
	cr_expect(eq(str, (char *)slab_cache(2 + 39)->name, "dma-kmalloc-8"));
	cr_expect(slub_check(stderr));
	helper_slab_machine_down(sc);
}

/*
 * Constructors (calculate_sizes: the free pointer goes after the object when
 * the cache has a ctor).  Object sizes and flags of the oracle-slub-stats
 * capture (6.1.192, 4 CPUs: min_objects 16); by hand:
 *   radix_tree_node   192 + 8 = 200, align 8; 16 * 200 = 3200 -> order 0,
 *                     4096 % 200 = 96 <= 256: 20 objects (21 of 192 without).
 *   sock_inode_cache  704 + 8 = 712 -> 768 (HWCACHE_ALIGN: 64); 16 * 768 ->
 *                     order 2, 16384 % 768 = 256 <= 1024: 21 (23 of 704 without).
 *   shmem_inode_cache 712 + 8 = 720: order 2, 22.  inode_cache 568 + 8 = 576:
 *   order 2, 28.  proc_inode_cache 640 + 8 = 648: order 2, 25.
 * The same as the capture's sys_kernel_slab.txt (slab_size, objs_per_slab, order).
 */
Test(slub_geometry, constructors_move_the_free_pointer)
{
	static const struct { const char *name; unsigned int obj, align, flags, size, order, objs; } c[] = {
		{ "radix_tree_node", 192, 0, SLAB_RECLAIM_ACCOUNT, 200, 0, 20 },
		{ "sock_inode_cache", 704, 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT, 768, 2, 21 },
		{ "shmem_inode_cache", 712, 0, 0, 720, 2, 22 },
		{ "inode_cache", 568, 0, SLAB_RECLAIM_ACCOUNT, 576, 2, 28 },
		{ "proc_inode_cache", 640, 0, SLAB_RECLAIM_ACCOUNT, 648, 2, 25 },
	};
	struct sim_scenario *sc = helper_slub_machine_up(2, 2, false);

	cr_assert(sc != NULL);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct kmem_cache *s = kmem_cache_create(c[i].name, c[i].obj, c[i].align, c[i].flags, true);

		cr_assert(s != NULL, "%s", c[i].name);
		cr_expect(eq(u32, s->offset, ALIGN_UP(c[i].obj, 8u)), "%s offset after the object", c[i].name);
		cr_expect(eq(u32, s->size, c[i].size), "%s size", c[i].name);
		cr_expect(eq(u32, oo_order(s->oo), c[i].order), "%s order", c[i].name);
		cr_expect(eq(u32, oo_objects(s->oo), c[i].objs), "%s objects", c[i].name);
	}
	/* Without a constructor: mid-object free pointer, 192 bytes, 21 per slab. */
	{
		struct kmem_cache *s = kmem_cache_create("plain192", 192, 0, SLAB_RECLAIM_ACCOUNT, false);

		cr_expect(eq(u32, s->size, 192));
		cr_expect(eq(u32, s->offset, 96));
		cr_expect(eq(u32, oo_objects(s->oo), 21));
	}
	helper_slab_machine_down(sc);
}

/* A cache with a constructor never merges, either way (slab_unmergeable, find_mergeable). */
Test(slub_geometry, constructors_never_merge)
{
	struct sim_scenario *sc = helper_slub_machine_up(1, 2, false);
	struct kmem_cache *ctor, *plain, *plain2, *ctor2;

	ctor = kmem_cache_create("with_ctor", 200, 0, 0, true);
	plain = kmem_cache_create("plain_a", 200, 0, 0, false);
	cr_expect(ne(ptr, plain, ctor), "a plain cache does not merge into a ctor cache");
	plain2 = kmem_cache_create("plain_b", 200, 0, 0, false);
	cr_expect(eq(ptr, plain2, plain), "two plain caches still merge");
	ctor2 = kmem_cache_create("with_ctor2", 200, 0, 0, true);
	cr_expect(ne(ptr, ctor2, plain), "a ctor cache does not merge into a plain one");
	cr_expect(ne(ptr, ctor2, ctor));
	cr_expect(eq(int, slab_cache_refcount(slab_cache_id(ctor)), 1));
	helper_slab_machine_down(sc);
}

/*
 * struct kmem_cache's size follows the config (include/linux/slub_def.h):
 * offsetof(node) is 216 with FREELIST_HARDENED and FREELIST_RANDOM (Debian:
 * kmem_cache object_size 232 on 2 nodes), 200 without both (the oracle: 216).
 * HWCACHE_ALIGN: 256 per object, 16 per slab either way.
 */
Test(slub_geometry, kmem_cache_size_by_config)
{
	struct slub_params p;
	struct sim_scenario *sc;
	struct kmem_cache *kc;

	slub_params_default(&p);
	sc = helper_slub_machine_up_params(2, 2, &p);
	kc = slab_find_cache("kmem_cache");
	cr_expect(eq(u32, kc->object_size, 232), "Debian config");
	cr_expect(eq(u32, kc->size, 256));
	helper_slab_machine_down(sc);

	p.freelist_random = false;
	p.freelist_hardened = false;
	sc = helper_slub_machine_up_params(2, 2, &p);
	kc = slab_find_cache("kmem_cache");
	cr_expect(eq(u32, kc->object_size, 216), "no random, no hardening");
	cr_expect(eq(u32, kc->size, 256));
	cr_expect(eq(u32, oo_objects(kc->oo), 16));
	helper_slab_machine_down(sc);

	p.freelist_hardened = true;	/* random 184-192, ratio 192-196, user* 196-204 -> 208 */
	sc = helper_slub_machine_up_params(1, 2, &p);
	cr_expect(eq(u32, slab_find_cache("kmem_cache")->object_size, 208 + 8));
	helper_slab_machine_down(sc);

	/* no CONFIG_SLUB_CPU_PARTIAL: cpu_partial, cpu_partial_slabs gone, kobj ends at 176;
	 * ratio 176-180, user* 180-188 -> node[] at 192, + 2 * 8 */
	p.freelist_hardened = false;
	p.cpu_partial = false;
	sc = helper_slub_machine_up_params(2, 2, &p);
	cr_expect(eq(u32, slab_find_cache("kmem_cache")->object_size, 192 + 16), "no cpu_partial");
	helper_slab_machine_down(sc);
	slub_params_default(&p);
	slub_set_params(&p);
}

/*
 * slub_debug= layouts (calculate_sizes with CONFIG_SLUB_DEBUG; struct track is
 * 32 bytes with the stack depot handle).  By hand:
 *   200 bytes, align 8, slub_debug=ZPU: 200 fills its last word, so the red
 *   zone adds 8: inuse 208; poison: free pointer at 208, 216; two tracks: 280;
 *   red zone padding 8 and left pad 8: 296.
 *   kmalloc-64 (align 64, SLAB_KMALLOC), FZPU: 72, pointer 80, tracks 144,
 *   orig_size 148, + 8 + left pad ALIGN(8, 64) = 64: 220 -> 256.
 * Debug flags keep every cache from merging and switch the CPU partial lists off.
 */
Test(slub_geometry, slub_debug_layouts)
{
	struct slub_params p;
	struct sim_scenario *sc;
	struct kmem_cache *s, *s2, *k64;

	slub_params_default(&p);
	p.debug = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS;
	sc = helper_slub_machine_up_params(1, 4, &p);
	cr_assert(sc != NULL);
	s = kmem_cache_create("dbg200", 200, 8, 0, false);
	cr_expect(eq(u32, s->inuse, 208));
	cr_expect(eq(u32, s->offset, 208));
	cr_expect(eq(u32, s->red_left_pad, 8));
	cr_expect(eq(u32, s->size, 296));
	cr_expect(ne(u32, s->flags & __OBJECT_POISON, 0));
	cr_expect(eq(u32, s->cpu_partial, 0), "debug caches have no CPU partial lists");
	s2 = kmem_cache_create("dbg200b", 200, 8, 0, false);
	cr_expect(ne(ptr, s2, s), "debug caches never merge");
	k64 = slab_find_cache("kmalloc-64");
	cr_expect(eq(u32, k64->red_left_pad, 64));
	cr_expect(eq(u32, k64->size, 256));
	cr_expect(eq(u32, oo_objects(k64->oo), 16), "16 * 256 = 4096: order 0, 16 per slab");
	cr_expect(eq(u32, oo_order(k64->oo), 0));
	/* A constructor keeps the object unpoisoned (no __OBJECT_POISON). */
	s = kmem_cache_create("dbg_ctor", 200, 8, 0, true);
	cr_expect(eq(u32, s->flags & __OBJECT_POISON, 0));
	cr_expect(eq(u32, s->size, 296));
	helper_slab_machine_down(sc);
	slub_params_default(&p);
	slub_set_params(&p);
}

/*
 * kmem_cache_flags (mm/slub.c): SLAB_NO_USER_FLAGS returns the cache's own flags,
 * SLAB_NOLEAKTRACE drops SLAB_STORE_USER from slub_debug.  By hand, slub_debug=ZPU:
 *   200 bytes, SLAB_NO_USER_FLAGS: no debug, offset ALIGN_DOWN(100, 8) = 96, size 200.
 *   200 bytes, SLAB_NOLEAKTRACE (Z and P only): red zone word 208 = inuse; poison:
 *   free pointer at 208, 216; no tracks; red zone padding 8 and left pad 8: 232.
 */
Test(slub_geometry, slub_debug_user_flags)
{
	struct slub_params p;
	struct sim_scenario *sc;
	struct kmem_cache *s;

	slub_params_default(&p);
	p.debug = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	sc = helper_slub_machine_up_params(1, 4, &p);
	cr_assert(sc != NULL);
	s = kmem_cache_create("nouser200", 200, 8, SLAB_NO_USER_FLAGS, false);
	cr_assert(s != NULL);
	cr_expect(eq(u32, s->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER), 0));
	cr_expect(eq(u32, s->offset, 96));
	cr_expect(eq(u32, s->size, 200));
	cr_expect(eq(u32, s->red_left_pad, 0));
	s = kmem_cache_create("noleak200", 200, 8, SLAB_NOLEAKTRACE, false);
	cr_assert(s != NULL);
	cr_expect(eq(u32, s->flags & SLAB_STORE_USER, 0));
	cr_expect(eq(u32, s->inuse, 208));
	cr_expect(eq(u32, s->offset, 208));
	cr_expect(eq(u32, s->size, 232));
	helper_slab_machine_down(sc);
	slub_params_default(&p);
	slub_set_params(&p);
}

/*
 * Every cache of the oracle-slub-stats capture (6.1.192, no FREELIST_RANDOM or _HARDENED,
 * 4 CPUs on 2 nodes), created from its sysfs attributes (object_size, align, flags, ctor;
 * merging off: each directory is one kernel cache), has the kernel's slab_size, order and
 * objs_per_slab; the boot caches (kmem_cache, kmem_cache_node, kmalloc-*) too.  Needs the
 * shared traces (KMEMSIM_SHARED_TRACES, default $KMEMSIM_SOURCE_ROOT/../shared/traces).
 */
#include <unistd.h>
#include "traces/capture.h"

Test(slub_geometry, oracle_every_cache)
{
	char *dir = helper_shared_trace("oracle-slub-stats-6.1.192-4cpu-2node");
	struct sim_capture *cap = NULL;
	struct slub_params p;
	struct sim_scenario *sc;
	bool nomerge = slab_nomerge;
	int nr = 0;

	cr_assert(eq(int, sim_capture_open(&cap, dir, stderr), 0));
	slub_params_default(&p);
	p.freelist_random = false;
	p.freelist_hardened = false;
	sc = helper_slub_machine_up_params(2, 2, &p);
	cr_assert(sc != NULL);
	slab_nomerge = true;
	for (int i = 0; i < cap->nr_caches; i++) {
		const struct sim_capture_cache *cc = &cap->cache[i];
		struct kmem_cache *s = slab_find_cache(cc->dir);

		if (!cc->object_size)
			continue;
		if (!s)
			s = kmem_cache_create(cc->dir, cc->object_size, cc->align, cc->flags, cc->ctor);
		cr_assert(s != NULL, "%s", cc->dir);
		cr_expect(eq(u32, s->object_size, cc->object_size), "%s object_size", cc->dir);
		cr_expect(eq(u32, s->size, cc->size), "%s slab_size", cc->dir);
		cr_expect(eq(u32, oo_order(s->oo), cc->order), "%s order", cc->dir);
		cr_expect(eq(u32, oo_objects(s->oo), cc->objs_per_slab), "%s objs_per_slab", cc->dir);
		nr++;
	}
	cr_expect(ge(int, nr, 80), "the capture's caches were read");
	slab_nomerge = nomerge;
	helper_slab_machine_down(sc);
	slub_params_default(&p);
	slub_set_params(&p);
	sim_capture_free(cap);
	free(dir);
}
