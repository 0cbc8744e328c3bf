/*
 * test_slab_order.c - the layout rules of __kmem_cache_create (models/slab/geometry.c),
 * suite `slab_order`: where calculate_slab_order stops, when an off-slab index array pays,
 * which FORCED_DEBUG caches get red zones, and a cache no order can hold (mm/slab.c, 6.1).
 * Each table row's values are worked by hand from the kernel's formulas (comments).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_debug(false);
}

/* 2 nodes of 2 vCPUs, 1 GiB each: slab_max_order is SLAB_MAX_ORDER_HI (1), more than 32 MiB. */
static void up(void)
{
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void up_debug(void)
{
	slab_set_debug(true);
	up();
}

/*
 * calculate_slab_order (mm/slab.c): after each order that fits, stop at slab_max_order or
 * once left_over * 8 <= PAGE_SIZE << order (at most an eighth wasted).  No constructor, so
 * OBJFREELIST (set_objfreelist_slab_cache): num = slab / size, left = slab % size, and
 * colour = left / colour_off (cache_line_size() 64).
 *   896: 4 in a page, left 512: 512 * 8 == 4096 stops at order 0, 8 colours.
 *   1792: 2, left 512: order 0, 8.   3584: 1, left 512: order 0, 8.
 *   900 (904): 4, left 480: order 0, 7.   1000: 4, left 96: order 0, 1.
 *   1400: 2 in a page, left 1296 > 512: order 1 (max): 5, left 1192, 18 colours.
 *   2100 (2104): 1 left 1992 > 512; order 1: 3, left 1880, 29.
 *   1780 (1784): 2, left 528, just over 512: order 1: 4, left 1056, 16.
 */
Test(slab_order, stops_at_an_eighth_wasted_or_max_order, .init = up, .fini = down)
{
	static const struct { unsigned int obj, size, num, order, colour; } t[] = {
		{ 896, 896, 4, 0, 8 }, { 1792, 1792, 2, 0, 8 }, { 3584, 3584, 1, 0, 8 },
		{ 900, 904, 4, 0, 7 }, { 1000, 1000, 4, 0, 1 }, { 1400, 1400, 5, 1, 18 },
		{ 2100, 2104, 3, 1, 29 }, { 1780, 1784, 4, 1, 16 },
	};
	char name[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s;

		snprintf(name, sizeof(name), "ord%u", t[i].obj);
		s = (struct kmem_cache *)kmem_cache_create(name, t[i].obj, 0, 0, false);
		cr_assert(ne(ptr, (void *)s, NULL), "%s", name);
		cr_expect(ne(u32, s->flags & CFLGS_OBJFREELIST_SLAB, 0), "%s OBJFREELIST", name);
		cr_expect(eq(uint, s->size, t[i].size), "%s size", name);
		cr_expect(eq(uint, s->num, t[i].num), "%s num", name);
		cr_expect(eq(uint, s->gfporder, t[i].order), "%s order", name);
		cr_expect(eq(uint, (unsigned int)s->colour, t[i].colour), "%s colour", name);
	}
}

/*
 * An off-slab index array pays only when its kmalloc cache is at most half the object:
 * calculate_slab_order skips the order when freelist_cache->size > cachep->size / 2 (the
 * object size asked for), and set_off_slab_cache gives up when the leftover holds the array
 * anyway.  With a constructor (no OBJFREELIST) and a large alignment the buffer is padded:
 *   64 at 512: 8 in a page, array 8 bytes in kmalloc-32, 32 == 64 / 2: off-slab, 8, left 0.
 *   64 at 1024: 4, kmalloc-32 again: off-slab, 4.   64 at 256: 16, kmalloc-32: off-slab, 16.
 *   100 at 512: 8, 32 < 50: off-slab, 8.
 *   60 at 512: 32 > 30: no off-slab order; on-slab 4096 / 513 = 7, left 505 < colour_off 512.
 */
Test(slab_order, off_slab_when_the_array_is_at_most_half_an_object, .init = up, .fini = down)
{
	static const struct { unsigned int obj, align; bool off; unsigned int size, num; } t[] = {
		{ 64, 512, true, 512, 8 }, { 64, 1024, true, 1024, 4 }, { 64, 256, true, 256, 16 },
		{ 100, 512, true, 512, 8 }, { 60, 512, false, 512, 7 },
	};
	char name[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s;

		snprintf(name, sizeof(name), "off%u_%u", t[i].obj, t[i].align);
		s = (struct kmem_cache *)kmem_cache_create(name, t[i].obj, t[i].align, 0, true);
		cr_assert(ne(ptr, (void *)s, NULL), "%s", name);
		cr_expect(eq(int, (s->flags & CFLGS_OFF_SLAB) != 0, t[i].off), "%s off-slab", name);
		cr_expect(eq(u32, s->flags & CFLGS_OBJFREELIST_SLAB, 0), "%s", name);
		cr_expect(eq(uint, s->size, t[i].size), "%s size", name);
		cr_expect(eq(uint, s->num, t[i].num), "%s num", name);
		cr_expect(eq(uint, s->gfporder, 0), "%s order", name);
		cr_expect(eq(uint, (unsigned int)s->colour, 0), "%s colour", name);
	}
}

/*
 * FORCED_DEBUG (__kmem_cache_create): red zone and last user when size < 4096 or
 * fls(size - 1) == fls(size - 1 + REDZONE_ALIGN + 2 * 8), i.e. when the 24 extra bytes do
 * not cross a power of two; then the size is ALIGN(size, 8) + 8 + 8 (red zones) + 8 (user
 * word, REDZONE_ALIGN).  Otherwise poison only: ALIGN(size, 8).
 *   4088, 4095: below 4096: 4112, 4120.   4096: 4095 + 24 = 4119 crosses 4096: 4096.
 *   4097: fls(4096) == fls(4120): 4104 + 24 = 4128.   8168: 8191 stays below 8192: 8192.
 *   8169: 8168 + 24 = 8192 crosses: 8176.   8192: crosses: 8192.
 */
Test(slab_order, forced_debug_red_zone_unless_a_power_of_two_is_crossed, .init = up_debug, .fini = down)
{
	static const struct { unsigned int obj; bool red; unsigned int size; } t[] = {
		{ 4088, true, 4112 }, { 4095, true, 4120 }, { 4096, false, 4096 }, { 4097, true, 4128 },
		{ 8168, true, 8192 }, { 8169, false, 8176 }, { 8192, false, 8192 },
	};
	char name[32];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s;

		snprintf(name, sizeof(name), "dbg%u", t[i].obj);
		s = (struct kmem_cache *)kmem_cache_create(name, t[i].obj, 0, 0, false);
		cr_assert(ne(ptr, (void *)s, NULL), "%s", name);
		cr_expect(eq(int, (s->flags & SLAB_RED_ZONE) != 0, t[i].red), "%s red zone", name);
		cr_expect(eq(int, (s->flags & SLAB_STORE_USER) != 0, t[i].red), "%s last user", name);
		cr_expect(ne(u32, s->flags & SLAB_POISON, 0), "%s poison", name);
		cr_expect(eq(uint, s->size, t[i].size), "%s size", name);
		cr_expect(eq(int, s->obj_offset, t[i].red ? 8 : 0), "%s obj_offset", name);
	}
}

/*
 * No order up to KMALLOC_MAX_ORDER (10, 4 MiB) holds one buffer when the alignment pads a
 * 64-byte object to 8 MiB (ALIGN(size, cachep->align) in __kmem_cache_create): each of
 * set_objfreelist_slab_cache, set_off_slab_cache and set_on_slab_cache leaves num 0 and
 * __kmem_cache_create fails (-E2BIG): no cache.  Aligned to 4 MiB it fits once in an
 * order-10 slab.  (kmem_cache_create itself refuses objects above 4 MiB before that.)
 */
Test(slab_order, no_cache_when_no_order_holds_an_object, .init = up, .fini = down)
{
	struct kmem_cache *s;

	cr_expect(eq(ptr, (void *)kmem_cache_create("align8m", 64, 8u << 20, 0, false), NULL));
	cr_expect(eq(ptr, (void *)kmem_cache_create("align8m_ctor", 64, 8u << 20, 0, true), NULL));
	s = (struct kmem_cache *)kmem_cache_create("align4m", 64, 4u << 20, 0, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_expect(eq(uint, s->size, 4u << 20));
	cr_expect(eq(uint, s->num, 1));
	cr_expect(eq(uint, s->gfporder, 10));
}

/*
 * __kmem_cache_create's allocflags, what every slab of the cache is allocated with
 * (kmem_getpages ORs them in): __GFP_COMP always, GFP_DMA for SLAB_CACHE_DMA, GFP_DMA32
 * for SLAB_CACHE_DMA32, __GFP_RECLAIMABLE for SLAB_RECLAIM_ACCOUNT, each on its own.
 * A DMA cache's slab then comes from ZONE_DMA (node 0's first 16 MiB).
 */
Test(slab_order, allocflags_follow_the_cache_flags, .init = up, .fini = down)
{
	static const struct { const char *name; unsigned int flags; gfp_t gfp; } t[] = {
		{ "af_plain", 0, __GFP_COMP },
		{ "af_dma", SLAB_CACHE_DMA, __GFP_COMP | GFP_DMA },
		{ "af_dma32", SLAB_CACHE_DMA32, __GFP_COMP | GFP_DMA32 },
		{ "af_reclaim", SLAB_RECLAIM_ACCOUNT, __GFP_COMP | __GFP_RECLAIMABLE },
		{ "af_dma32_reclaim", SLAB_CACHE_DMA32 | SLAB_RECLAIM_ACCOUNT,
		  __GFP_COMP | GFP_DMA32 | __GFP_RECLAIMABLE },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create(t[i].name, 200 + 8 * (unsigned int)i,
									      0, t[i].flags, true);

		cr_assert(ne(ptr, (void *)s, NULL), "%s", t[i].name);
		cr_expect(eq(u32, (uint32_t)s->allocflags, (uint32_t)t[i].gfp), "%s", t[i].name);
		if (t[i].flags & SLAB_CACHE_DMA) {
			void *o = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);

			cr_assert(ne(ptr, o, NULL));
			cr_expect(eq(int, virt_to_slab(o)->page->zid, ZONE_DMA));
			helper_slab_free(0, o);
		}
	}
}
