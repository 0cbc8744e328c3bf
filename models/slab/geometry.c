/*
 * geometry.c - how a SLAB cache lays out its slabs: buffer size, objects
 * per slab (num), pages per slab (gfporder), colouring and where the free
 * index array lives (OBJFREELIST inside a free object, OFF_SLAB in a
 * kmalloc'd buffer, or on-slab at the end of the slab).
 *
 * Main entry: __kmem_cache_create.  Pure computation apart from the final
 * setup_cpu_cache (tune.c); no lock, no yield.
 *
 * The management choice is tried in the kernel's order: objfreelist, then
 * off-slab (only when the slab's leftover could not hold the index array),
 * then on-slab; each fixes num and gfporder with calculate_slab_order and
 * the number of colours from the leftover bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "slab_int.h"


/* kernel: get_order, include/asm-generic/getorder.h */
static unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	size = (size - 1) >> PAGE_SHIFT;
	while (size) {
		order++;
		size >>= 1;
	}
	return order;
}

/* kernel: cache_estimate, mm/slab.c */
unsigned int cache_estimate(unsigned long gfporder, size_t buffer_size, slab_flags_t flags,
			    size_t *left_over)
{
	unsigned int num;
	size_t slab_size = PAGE_SIZE << gfporder;

	/* Outside the slab (or inside an object) the index array costs no room;
	 * on-slab every object also needs its byte of index at the end. */
	if (flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)) {
		num = slab_size / buffer_size;
		*left_over = slab_size % buffer_size;
	} else {
		num = slab_size / (buffer_size + sizeof(freelist_idx_t));
		*left_over = slab_size % (buffer_size + sizeof(freelist_idx_t));
	}
	return num;
}

/* kernel: calculate_slab_order, mm/slab.c */
size_t calculate_slab_order(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	size_t left_over = 0;
	int gfporder;

	for (gfporder = 0; gfporder <= KMALLOC_MAX_ORDER; gfporder++) {
		unsigned int num;
		size_t remainder;

		num = cache_estimate(gfporder, size, flags, &remainder);
		if (!num)
			continue;

		/* A byte index cannot name more objects. */
		if (num > SLAB_OBJ_MAX_NUM)
			break;

		if (flags & CFLGS_OFF_SLAB) {
			struct kmem_cache *freelist_cache;
			size_t freelist_size;
			size_t freelist_cache_size;

			freelist_size = num * sizeof(freelist_idx_t);
			if (freelist_size > KMALLOC_MAX_CACHE_SIZE) {
				freelist_cache_size = PAGE_SIZE << get_order(freelist_size);
			} else {
				freelist_cache = kmalloc_slab(freelist_size, 0u);
				if (!freelist_cache || ZERO_OR_NULL_PTR(freelist_cache))
					continue;
				freelist_cache_size = freelist_cache->size;
				/* An off-slab kmalloc cache would recurse on grow. */
				if (OFF_SLAB(freelist_cache))
					continue;
			}
			/* Off-slab only pays when the array is small next to an object. */
			if (freelist_cache_size > cachep->size / 2)
				continue;
		}

		cachep->num = num;
		cachep->gfporder = gfporder;
		left_over = remainder;

		/* Reclaimable caches keep the smallest order so pages come back easily. */
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if (gfporder >= slab_max_order)
			break;
		/* Stop once at most an eighth of the slab is wasted. */
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

/* kernel: set_objfreelist_slab_cache, mm/slab.c */
static bool set_objfreelist_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	/* init_on_free is off; a constructed or RCU-freed object must stay intact while free. */
	if (cachep->ctor || (flags & SLAB_TYPESAFE_BY_RCU))
		return false;

	left = calculate_slab_order(cachep, size, flags | CFLGS_OBJFREELIST_SLAB);
	if (!cachep->num)
		return false;

	/* The index array must fit in one free object. */
	if (cachep->num * sizeof(freelist_idx_t) > (size_t)cachep->object_size)
		return false;

	cachep->colour = left / cachep->colour_off;
	return true;
}

/* kernel: set_off_slab_cache, mm/slab.c */
static bool set_off_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	/* kmemleak's own caches may not allocate their index arrays from kmalloc. */
	if (flags & SLAB_NOLEAKTRACE)
		return false;

	left = calculate_slab_order(cachep, size, flags | CFLGS_OFF_SLAB);
	if (!cachep->num)
		return false;

	/* If the leftover holds the array anyway, on-slab is cheaper. */
	if (left >= cachep->num * sizeof(freelist_idx_t))
		return false;

	cachep->colour = left / cachep->colour_off;
	return true;
}

/* kernel: set_on_slab_cache, mm/slab.c */
static bool set_on_slab_cache(struct kmem_cache *cachep, size_t size, slab_flags_t flags)
{
	size_t left;

	cachep->num = 0;

	left = calculate_slab_order(cachep, size, flags);
	if (!cachep->num)
		return false;

	cachep->colour = left / cachep->colour_off;
	return true;
}

/*
 * kernel: __kmem_cache_create, mm/slab.c
 *
 * cachep->size, object_size and align are set by the caller (create_cache /
 * create_boot_cache).  With CONFIG_DEBUG_SLAB (slab_debug: DEBUG and
 * FORCED_DEBUG) the layout is the kernel's: red zone words around the
 * object, the last-user word after it, poisoning; the checks themselves
 * are not modelled, nor debug_pagealloc's off-slab layout (off here).
 * Returns 0, or -1 when no order fits (the kernel's -E2BIG) or the arrays
 * could not be allocated.
 */
int __kmem_cache_create(struct kmem_cache *cachep, slab_flags_t flags)
{
	size_t ralign = BYTES_PER_WORD;
	gfp_t gfp;
	unsigned int size = cachep->size;

	if (slab_debug) {
		/*
		 * FORCED_DEBUG: red zone and last user unless that pushes a large
		 * object past the next power of two; poison unless RCU-freed.
		 */
		if (size < 4096 || fls_u32(size - 1) == fls_u32(size - 1 + REDZONE_ALIGN + 2 * 8u))
			flags |= SLAB_RED_ZONE | SLAB_STORE_USER;
		if (!(flags & SLAB_TYPESAFE_BY_RCU))
			flags |= SLAB_POISON;
	}

	size = ALIGN(size, BYTES_PER_WORD);

	if (flags & SLAB_RED_ZONE) {
		ralign = REDZONE_ALIGN;
		size = ALIGN(size, REDZONE_ALIGN);
	}

	/* The caller's alignment wins when larger. */
	if (ralign < (size_t)cachep->align)
		ralign = cachep->align;
	if (ralign > 8)
		flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	cachep->align = ralign;
	cachep->colour_off = cache_line_size();
	/* Each colour step must keep objects aligned. */
	if (cachep->colour_off < (unsigned int)cachep->align)
		cachep->colour_off = cachep->align;

	gfp = slab_state >= UP ? GFP_KERNEL : GFP_NOWAIT;

	cachep->obj_offset = 0;
	if (slab_debug && (flags & SLAB_RED_ZONE)) {
		/* A red zone word (unsigned long long) on each side. */
		cachep->obj_offset += 8;
		size += 2 * 8u;
	}
	if (slab_debug && (flags & SLAB_STORE_USER))
		/* The last user's word, widened to keep the second red zone aligned. */
		size += (flags & SLAB_RED_ZONE) ? REDZONE_ALIGN : BYTES_PER_WORD;

	size = ALIGN(size, (unsigned int)cachep->align);
	/* A byte index caps num at 255, so objects must not be smaller than 16 bytes. */
	if (FREELIST_BYTE_INDEX && size < SLAB_OBJ_MIN_SIZE)
		size = ALIGN(SLAB_OBJ_MIN_SIZE, (unsigned int)cachep->align);

	if (set_objfreelist_slab_cache(cachep, size, flags)) {
		flags |= CFLGS_OBJFREELIST_SLAB;
		goto done;
	}

	if (set_off_slab_cache(cachep, size, flags)) {
		flags |= CFLGS_OFF_SLAB;
		goto done;
	}

	if (set_on_slab_cache(cachep, size, flags))
		goto done;

	return -1;

done:
	cachep->freelist_size = cachep->num * sizeof(freelist_idx_t);
	cachep->flags = flags;
	cachep->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		cachep->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		cachep->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		cachep->allocflags |= __GFP_RECLAIMABLE;
	cachep->size = size;
	cachep->reciprocal_buffer_size = reciprocal_value(size);

	if (setup_cpu_cache(cachep, gfp))
		return -1;
	return 0;
}

/*
 * A zeroed descriptor with name, sizes and alignment set, as create_cache
 * and create_boot_cache leave it before __kmem_cache_create.  Host memory:
 * the kernel takes it from the kmem_cache cache.
 */
struct kmem_cache *slab_cache_alloc_desc(const char *name, unsigned int size, unsigned int align)
{
	struct kmem_cache *cachep = calloc(1, sizeof(*cachep));

	if (!cachep)
		return NULL;
	cachep->name = strdup(name);
	if (!cachep->name) {
		free(cachep);
		return NULL;
	}
	cachep->size = cachep->object_size = size;
	cachep->align = align;
	cachep->usersize = 0;
	cachep->id = -1;
	INIT_LIST_HEAD(&cachep->list);
	return cachep;
}

/* Free a descriptor and everything hanging off it (model teardown). */
void slab_cache_free_desc(struct kmem_cache *cachep)
{
	int nid;
	struct kmem_cache_node *n;

	if (!cachep)
		return;
	for (int cpu = 0; cachep->cpu_cache && cpu < nr_cpu_ids; cpu++)
		free(cachep->cpu_cache[cpu]);
	free(cachep->cpu_cache);
	for_each_kmem_cache_node(cachep, nid, n) {
		free(n->shared);
		if (n->alien) {
			for (int i = 0; i < nr_node_ids; i++)
				free(n->alien[i]);
			free(n->alien);
		}
		free(n);
		cachep->node[nid] = NULL;
	}
	cache_random_seq_destroy(cachep);
	free((void *)cachep->name);
	free(cachep);
}
