/*
 * new_slab.c - slabs coming from and going back to the page allocator
 * (Linux 6.1.192 mm/slub.c): new_slab / allocate_slab / alloc_slab_page
 * with the order fallback, the freelist shuffle of
 * CONFIG_SLAB_FREELIST_RANDOM, and discard_slab / free_slab / __free_slab.
 *
 * A new slab is seen by nobody until its caller installs it, so it is set up
 * with plain stores.  Its pages are marked PG_slab (head) and every page's
 * slab_meta points at the host-side struct slab, which comes from a pool and
 * goes back to it when the slab is freed (never to the host allocator during
 * a run, so stale pointers read before a yield stay harmless, as the
 * kernel's struct page does).
 */
#include <stdlib.h>
#include <string.h>

#include "slub_int.h"

/* ------------------------------------------------------------------ */
/* The struct slab pool                                                */

#define SLAB_POOL_CHUNK 256

struct slab_chunk {
	struct slab_chunk *next;
	struct slab slabs[SLAB_POOL_CHUNK];
};

static struct slab_chunk *slab_chunks;	/* every chunk, for the release at exit */
static struct slab *slab_pool;		/* free structs, linked through ->next */

static struct slab *slab_pool_get(void)
{
	struct slab *slab = slab_pool;

	if (!slab) {
		struct slab_chunk *c = calloc(1, sizeof(*c));

		if (!c)
			return NULL;
		c->next = slab_chunks;
		slab_chunks = c;
		for (int i = SLAB_POOL_CHUNK - 1; i >= 0; i--) {
			c->slabs[i].next = slab_pool;
			slab_pool = &c->slabs[i];
		}
		slab = slab_pool;
	}
	slab_pool = slab->next;
	memset(slab, 0, sizeof(*slab));
	INIT_LIST_HEAD(&slab->all_list);
	return slab;
}

static void slab_pool_put(struct slab *slab)
{
	/* Keep the fields a stale reader may look at; only ->next is reused. */
	slab->next = slab_pool;
	slab_pool = slab;
}

void slub_slab_pool_release(void)
{
	while (slab_chunks) {
		struct slab_chunk *c = slab_chunks;

		slab_chunks = c->next;
		free(c);
	}
	slab_pool = NULL;
}

/* ------------------------------------------------------------------ */
/* Node counters (CONFIG_SLUB_DEBUG) and the checker's list            */

/* kernel: inc_slabs_node, mm/slub.c (no count before the node struct exists) */
void inc_slabs_node(struct kmem_cache *s, int node, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, node);

	if (n) {
		n->nr_slabs++;
		n->total_objects += slab->objects;
		list_add_tail(&slab->all_list, &n->all);
	}
}

/* kernel: dec_slabs_node, mm/slub.c */
void dec_slabs_node(struct kmem_cache *s, int node, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, node);

	n->nr_slabs--;
	n->total_objects -= slab->objects;
	list_del(&slab->all_list);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                          */

/* kernel: alloc_slab_page, mm/slub.c */
struct slab *alloc_slab_page(struct kmem_cache *s, gfp_t flags, int node,
			     struct kmem_cache_order_objects oo)
{
	unsigned int order = oo_order(oo);
	struct page *page;
	struct slab *slab;
	uint64_t pfn;

	(void)s;
	page = slab_page_alloc(node, flags, order);
	if (!page)
		return NULL;
	slab = slab_pool_get();
	if (!slab) {
		slab_page_free(page, order);
		return NULL;
	}
	slab->page = page;
	slab->addr = ptr_u64(page_address(page));
	slab->nid = page_to_nid(page);
	slab->order = order;
	page->flags |= PG_slab;			/* __folio_set_slab */
	if (page->flags & PG_pfmemalloc)
		slab->pfmemalloc = true;	/* slab_set_pfmemalloc */
	pfn = virt_to_pfn(slab->addr);
	for (uint64_t i = 0; i < (1u << order); i++)
		pfn_to_page(pfn + i)->slab_meta = slab;
	return slab;
}

/* kernel: freelist_randomize, mm/slab_common.c (seeded from the model PRNG) */
static void freelist_randomize(struct sim_prng *state, unsigned int *list, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		list[i] = i;
	/* Fisher-Yates */
	for (unsigned int i = count - 1; i > 0; i--) {
		unsigned int rand = (unsigned int)(sim_prng_next(state) >> 32) % (i + 1);
		unsigned int t = list[i];

		list[i] = list[rand];
		list[rand] = t;
	}
}

/* kernel: cache_random_seq_create, mm/slab_common.c */
static int cache_random_seq_create(struct kmem_cache *s, unsigned int count, gfp_t gfp)
{
	struct sim_prng state;

	if (count < 2 || s->random_seq)
		return 0;
	/* kcalloc: a real kmalloc of the array, so that its memory is accounted. */
	s->random_seq_obj = kmalloc_node(count * sizeof(unsigned int), gfp | __GFP_ZERO, NUMA_NO_NODE);
	s->random_seq = calloc(count, sizeof(unsigned int));
	if (!s->random_seq || !s->random_seq_obj) {
		free(s->random_seq);
		s->random_seq = NULL;
		if (s->random_seq_obj)
			kfree(s->random_seq_obj);
		s->random_seq_obj = NULL;
		return -1;
	}
	sim_prng_seed(&state, sim_prng_next(sim_prng_model()));	/* get_random_long() */
	freelist_randomize(&state, s->random_seq, count);
	return 0;
}

/* kernel: cache_random_seq_destroy, mm/slab_common.c */
void cache_random_seq_destroy(struct kmem_cache *s)
{
	free(s->random_seq);
	s->random_seq = NULL;
	if (s->random_seq_obj)
		kfree(s->random_seq_obj);
	s->random_seq_obj = NULL;
}

/* kernel: init_cache_random_seq, mm/slub.c */
int init_cache_random_seq(struct kmem_cache *s)
{
	unsigned int count = oo_objects(s->oo);

	if (!slub_params.freelist_random || s->random_seq)
		return 0;
	if (cache_random_seq_create(s, count, GFP_KERNEL))
		return -1;
	/* Indices become byte offsets in the slab. */
	if (s->random_seq)
		for (unsigned int i = 0; i < count; i++)
			s->random_seq[i] *= s->size;
	return 0;
}

/* kernel: next_freelist_entry, mm/slub.c */
static void *next_freelist_entry(struct kmem_cache *s, unsigned long *pos, uint64_t start,
				 unsigned long page_limit, unsigned long freelist_count)
{
	unsigned int idx;

	/* A min-order slab holds fewer objects than the sequence: skip the rest. */
	do {
		idx = s->random_seq[*pos];
		*pos += 1;
		if (*pos >= freelist_count)
			*pos = 0;
	} while (idx >= page_limit);
	return u64_ptr(start + idx);
}

/* kernel: shuffle_freelist, mm/slub.c */
bool shuffle_freelist(struct kmem_cache *s, struct slab *slab)
{
	uint64_t start;
	void *cur, *next;
	unsigned long idx, pos, page_limit, freelist_count;

	if (slab->objects < 2 || !s->random_seq)
		return false;

	freelist_count = oo_objects(s->oo);
	pos = (unsigned long)sim_prng_below(sim_prng_model(), freelist_count); /* prandom_u32_max */
	page_limit = (unsigned long)slab->objects * s->size;
	start = ptr_u64(slab_address(slab));

	cur = next_freelist_entry(s, &pos, start, page_limit, freelist_count);
	slab->freelist = cur;
	for (idx = 1; idx < slab->objects; idx++) {
		next = next_freelist_entry(s, &pos, start, page_limit, freelist_count);
		set_freepointer(s, cur, next);
		cur = next;
	}
	set_freepointer(s, cur, NULL);
	return true;
}

/* kernel: allocate_slab, mm/slub.c */
struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct slab *slab;
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	uint64_t start, p, next;
	unsigned int idx;
	bool shuffle;

	if (slub_boot_gfp)
		flags &= ~(__GFP_RECLAIM | __GFP_IO | __GFP_FS);	/* gfp_allowed_mask at boot */
	flags |= s->allocflags;

	/* The preferred order is opportunistic: no retrying, no warning, no reclaim. */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;

	slab = alloc_slab_page(s, alloc_gfp, node, oo);
	if (unlikely(!slab)) {
		oo = s->min;
		alloc_gfp = flags;
		/* Fragmentation: the smallest order that holds one object. */
		slab = alloc_slab_page(s, alloc_gfp, node, oo);
		if (unlikely(!slab))
			return NULL;
		PATH_LABEL("allocate_slab:order_fallback");
		stat(s, ORDER_FALLBACK);
	}

	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	slab->objcgs = account_slab(s->flags, slab->objects, oo_order(oo), flags, slab->nid);
	slab->slab_cache = s;

	shuffle = shuffle_freelist(s, slab);
	if (!shuffle) {
		/* Address order, object 0 first. */
		start = ptr_u64(slab_address(slab));
		slab->freelist = u64_ptr(start);
		for (idx = 0, p = start; idx < slab->objects - 1u; idx++) {
			next = p + s->size;
			set_freepointer(s, u64_ptr(p), u64_ptr(next));
			p = next;
		}
		set_freepointer(s, u64_ptr(p), NULL);
	}
	/* Writing a free pointer into every object is work the vCPU pays for. */
	sim_yield(sim->cost[SIM_COST_OBJ_OP] * slab->objects);
	return slab;
}

/* kernel: new_slab, mm/slub.c */
struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct slab *slab;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags &= ~GFP_SLAB_BUG_MASK;	/* kmalloc_fix_flags (the kernel warns) */
	slab = allocate_slab(s, flags & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK), node);
	if (slab)
		slab_event(s, slab, SLAB_EV_NEW);
	return slab;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

/* kernel: __free_slab, mm/slub.c */
static void __free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab->page;
	unsigned int order = slab->order;
	uint64_t pfn = virt_to_pfn(slab->addr);

	slab->pfmemalloc = false;		/* __slab_clear_pfmemalloc */
	unaccount_slab(slab->objcgs, s->flags, order, slab->nid);
	slab->objcgs = 0;
	page->flags &= ~PG_slab;		/* __folio_clear_slab */
	for (uint64_t i = 0; i < (1u << order); i++)
		pfn_to_page(pfn + i)->slab_meta = NULL;
	slab_pool_put(slab);
	slab_page_free(page, order);
}

/* kernel: free_slab, mm/slub.c (SLAB_TYPESAFE_BY_RCU: no grace period in the model) */
void free_slab(struct kmem_cache *s, struct slab *slab)
{
	__free_slab(s, slab);
}

/* kernel: discard_slab, mm/slub.c */
void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	slab_event(s, slab, SLAB_EV_DISCARD);
	dec_slabs_node(s, slab_nid(slab), slab);
	free_slab(s, slab);
}
