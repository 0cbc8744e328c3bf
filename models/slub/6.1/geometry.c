/*
 * models/slub/6.1/geometry.c - the SLUB geometry of Linux 6.1 (6.1.192 mm/slub.c) where 6.12
 * differs: the slab order (calculate_order, calc_slab_order: fewer objects per slab before
 * more waste) and the layout of an object (calculate_sizes).  Reached through
 * slub_geometry_kops_6_1 (models/slub/slub_int.h).
 */
#include "../slub_int.h"

/* kernel: calc_slab_order, mm/slub.c */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_objects, unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int min_order = slub_min_order;
	unsigned int order;

	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((size_t)size * MAX_OBJS_PER_PAGE) - 1;

	order = get_order((size_t)min_objects * size);
	if (order < min_order)
		order = min_order;
	for (; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;
		unsigned int rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* kernel: calculate_order, mm/slub.c */
static int calculate_order(unsigned int size)
{
	unsigned int order;
	unsigned int min_objects;
	unsigned int max_objects;
	unsigned int nr_cpus;

	/*
	 * Ask for at least min_objects per slab, accepting more and more
	 * waste (1/16, 1/8, 1/4 of the slab) before asking for fewer objects.
	 */
	min_objects = slub_min_objects;
	if (!min_objects) {
		/* Present CPUs, unless that says 1 (some arches fill it late). */
		nr_cpus = (unsigned int)num_present_cpus();
		if (nr_cpus <= 1)
			nr_cpus = (unsigned int)nr_cpu_ids;
		min_objects = 4 * (fls_u32(nr_cpus) + 1);
	}
	max_objects = order_objects(slub_max_order, size);
	if (min_objects > max_objects)
		min_objects = max_objects;

	while (min_objects > 1) {
		unsigned int fraction = 16;

		while (fraction >= 4) {
			order = calc_slab_order(size, min_objects, slub_max_order, fraction);
			if (order <= slub_max_order)
				return (int)order;
			fraction /= 2;
		}
		min_objects--;
	}

	/* One object per slab, within slub_max_order, then anything below MAX_ORDER. */
	order = calc_slab_order(size, 1, slub_max_order, 1);
	if (order <= slub_max_order)
		return (int)order;
	order = calc_slab_order(size, 1, MAX_ORDER, 1);
	if (order < MAX_ORDER)
		return (int)order;
	return -1;
}

/* kernel: calculate_sizes, mm/slub.c (CONFIG_SLUB_DEBUG on, as in Debian; no KASAN) */
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

	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < sizeof(void *)) || s->ctor) {
		/* The object must stay intact while free: the pointer goes after it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* Mid-object, away from the edges that small overflows hit. */
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}

	if (flags & SLAB_STORE_USER) {
		/* The alloc and free tracks, and a kmalloc's requested size. */
		size += 2 * SLUB_TRACK_SIZE;
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
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

	s->allocflags = 0;
	if (order)
		s->allocflags |= __GFP_COMP;
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

const struct slub_geometry_kops slub_geometry_kops_6_1 = {
	.kernel = "6.1",
	.calc_slab_order = calc_slab_order,
	.calculate_order = calculate_order,
	.calculate_sizes = calculate_sizes,
	.kmem_cache_usercopy_always = true,
};
