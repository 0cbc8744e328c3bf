/*
 * models/slub/6.12/geometry.c - the SLUB geometry of Linux 6.12 (6.12.118 mm/slub.c) where 6.1
 * differs.  Reached through slub_geometry_kops_6_12 (models/slub/slub_int.h).
 *
 *  - calculate_order keeps min_objects and accepts more waste instead (1/16, 1/8, 1/4, then
 *    1/2, which any order from get_order(min_objects * size) up satisfies): 6.1 lowered
 *    min_objects after 1/4 failed.  calc_slab_order starts at that min_order.  The last
 *    resort is get_order(size) up to MAX_PAGE_ORDER (inclusive; 6.1: below MAX_ORDER).
 *  - calculate_sizes: every slab is a compound page (allocflags __GFP_COMP even at order 0);
 *    a kmalloc cache with red zones and stored users keeps its original size in an unsigned
 *    long (8 bytes; 6.1: 4), and its free pointer goes after the object
 *    (slub_debug_orig_size), as it does for red-zoned objects under a word.  A custom free
 *    pointer offset in an SLAB_TYPESAFE_BY_RCU object (kmem_cache_args.freeptr_offset, filp)
 *    is not modelled: the pointer goes after the object (the same slab size for filp).
 */
#include "../slub_int.h"

#define MAX_PAGE_ORDER	(MAX_ORDER - 1)		/* 6.12's inclusive bound, 10 on x86 */

/* kernel: calc_slab_order, mm/slub.c (6.12) */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order, unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;
		unsigned int rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* kernel: calculate_order, mm/slub.c (6.12) */
static int calculate_order(unsigned int size)
{
	unsigned int order, min_objects, max_objects, min_order;

	min_objects = slub_min_objects;
	if (!min_objects) {
		/* Present CPUs, unless that says 1 (some arches fill it late). */
		unsigned int nr_cpus = (unsigned int)num_present_cpus();

		if (nr_cpus <= 1)
			nr_cpus = (unsigned int)nr_cpu_ids;
		min_objects = 4 * (fls_u32(nr_cpus) + 1);
	}
	/* At least one object: get_order(0) is undefined. */
	max_objects = order_objects(slub_max_order, size);
	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;

	min_order = get_order((size_t)min_objects * size);
	if (min_order < slub_min_order)
		min_order = slub_min_order;
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)get_order((size_t)size * MAX_OBJS_PER_PAGE) - 1;

	/* The smallest order from min_order up that wastes at most 1/16, else 1/8, 1/4, 1/2. */
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}

	/* Not even one object within slub_max_order. */
	order = get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -1;
}

/* kernel: slub_debug_orig_size, mm/slub.c: a kmalloc cache that stores users and red zones */
static bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC) && (s->flags & SLAB_RED_ZONE);
}

/* kernel: calculate_sizes, mm/slub.c (6.12; CONFIG_SLUB_DEBUG on, as in Debian; no KASAN) */
static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = s->object_size;
	int order;

	/* The free pointer sits on a word boundary. */
	size = ALIGN_UP(size, (unsigned int)sizeof(void *));

	/* Poison the object itself only when nobody may touch it while free. */
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;

	/* A red zone needs a word after an object that fills its last word. */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;

	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) && (s->object_size < sizeof(void *) || slub_debug_orig_size(s)))) {
		/* The object must stay intact while free: the pointer goes after it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* Mid-object, away from the edges that small overflows hit. */
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}

	if (flags & SLAB_STORE_USER) {
		/* The alloc and free tracks, and a kmalloc's requested size (an unsigned long). */
		size += 2 * SLUB_TRACK_SIZE;
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned long);
	}

	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		/* Padding after the metadata, and a left red zone before the object. */
		size += sizeof(void *);
		s->red_left_pad = ALIGN_UP((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}

	size = ALIGN_UP(size, s->align);
	s->size = size;
	order = calculate_order(size);
	if (order < 0)
		return 0;

	/* Every slab is a folio: compound even at order 0. */
	s->allocflags = __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;

	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make(get_order(size), size);
	return oo_objects(s->oo) != 0;
}

const struct slub_geometry_kops slub_geometry_kops_6_12 = {
	.kernel = "6.12",
	.calc_slab_order = calc_slab_order,
	.calculate_order = calculate_order,
	.calculate_sizes = calculate_sizes,
	.kmem_cache_usercopy_always = false,
};
