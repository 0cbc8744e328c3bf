/*
 * geometry.c - SLUB cache geometry (mm/slub.c, the same in 6.1.192 and 6.12.118):
 * min_partial and the per-CPU partial limits (set_cpu_partial), the debug
 * flags of kmem_cache_flags; object size and free pointer placement
 * (calculate_sizes) and the slab order (calculate_order, calc_slab_order)
 * differ and are in models/slub/6.1/geometry.c and models/slub/6.12/geometry.c,
 * reached through slub_geometry_kops_table.  Pure computation: the only inputs from
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

const struct slub_geometry_kops *const slub_geometry_kops_table[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = &slub_geometry_kops_6_1,
	[KERNEL_6_12] = &slub_geometry_kops_6_12,
};

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
	if (!KOPS(slub_geometry)->calculate_sizes(s))
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
