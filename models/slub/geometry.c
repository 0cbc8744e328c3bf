/*
 * geometry.c - SLUB cache geometry (Linux 6.1.192 mm/slub.c): object size
 * and free pointer placement (calculate_sizes), slab order and objects per
 * slab (calculate_order, calc_slab_order), min_partial and the per-CPU
 * partial limits (set_cpu_partial).  Pure computation: the only inputs from
 * the machine are the number of present CPUs and the seeded model PRNG
 * (s->random).  Entry point: slub_open_geometry, the computing half of
 * kmem_cache_open (the allocating half is in slub.c).
 *
 * Debug caches: kmem_cache_flags() adds slub_debug= (slub_params.debug) to
 * every cache's flags, and calculate_sizes lays the object out as
 * CONFIG_SLUB_DEBUG does (red zones, the free pointer moved out of a
 * poisoned object, the two tracks); the checking itself is not modelled.
 */
#include "slub_int.h"

#include "../../sim/engine/engine.h"

unsigned int slub_min_order;
unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
unsigned int slub_min_objects;

/* kernel: calc_slab_order, mm/slub.c */
unsigned int calc_slab_order(unsigned int size, unsigned int min_objects, unsigned int max_order,
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
int calculate_order(unsigned int size)
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

/* kernel: slub_set_cpu_partial, mm/slub.c */
void slub_set_cpu_partial(struct kmem_cache *s, unsigned int nr_objects)
{
	/* The limit is in slabs, assuming the slabs on the chain are half full. */
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = (nr_objects * 2 + oo_objects(s->oo) - 1) / oo_objects(s->oo);
}

/* kernel: set_cpu_partial, mm/slub.c */
void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	slub_set_cpu_partial(s, nr_objects);
}

/*
 * sizeof(struct track), mm/slub.c: addr (8), the stack depot handle (4,
 * CONFIG_STACKDEPOT, which CONFIG_SLUB_DEBUG selects on x86), cpu (4), pid
 * (4), when (8, 8-aligned): 32 bytes.
 */
#define SLUB_TRACK_SIZE 32u

/* kernel: kmem_cache_flags, mm/slub.c (slub_debug= for every cache; no per-name lists) */
slab_flags_t kmem_cache_flags(unsigned int object_size, slab_flags_t flags, const char *name)
{
	slab_flags_t slub_debug_local = slub_params.debug;

	(void)object_size;
	(void)name;
	/* A cache that asked for no user flags keeps its own. */
	if (flags & SLAB_NO_USER_FLAGS)
		return flags;
	/* kmemleak's caches: no stack traces unless a name list asks for them. */
	if (flags & SLAB_NOLEAKTRACE)
		slub_debug_local &= ~SLAB_STORE_USER;
	return flags | slub_debug_local;
}

/* kernel: calculate_sizes, mm/slub.c (CONFIG_SLUB_DEBUG on, as in Debian; no KASAN) */
int calculate_sizes(struct kmem_cache *s)
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

/*
 * The computing half of kernel kmem_cache_open, mm/slub.c: flags, the
 * hardening key, sizes, min_partial, cpu_partial, defrag ratio.  s->name,
 * object_size and align must be set.  Returns 1, or 0 when no order fits.
 */
int slub_open_geometry(struct kmem_cache *s, slab_flags_t flags)
{
	unsigned long min_partial;

	s->flags = kmem_cache_flags(s->size, flags, s->name);
	s->random = sim_prng_next(sim_prng_model());
	if (!calculate_sizes(s))
		return 0;

	/* cmpxchg16b is there and no debug flag forbids it. */
	if (!(s->flags & SLAB_NO_CMPXCHG))
		s->flags |= __CMPXCHG_DOUBLE;

	/* Bigger objects keep more empty slabs around: ilog2(size)/2 in [5, 10]. */
	min_partial = ilog2_u32(s->size) / 2;
	if (min_partial > MAX_PARTIAL)
		min_partial = MAX_PARTIAL;
	if (min_partial < MIN_PARTIAL)
		min_partial = MIN_PARTIAL;
	s->min_partial = min_partial;

	set_cpu_partial(s);
	s->remote_node_defrag_ratio = 1000;
	return 1;
}
