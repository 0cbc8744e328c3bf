/*
 * grow.c - a SLAB slab's life: pages from the buddy allocator, colour
 * offset, the free index array, object handout and return, destruction.
 *
 * Main entries: cache_grow_begin / cache_grow_end (a new slab, called with
 * IRQs off; IRQs go back on around the page allocator only for a blocking
 * gfp), slab_get_obj / slab_put_obj (the slab's free index stack, under
 * n->list_lock or on a slab no list holds yet), slabs_destroy (after the
 * node lock is dropped).
 *
 * The free index array (one byte per object) lives in simulated memory
 * where the kernel puts it: at the end of the slab (on-slab), inside a free
 * object (OBJFREELIST: the last object handed out), or in a kmalloc'd
 * buffer (OFF_SLAB).  It is read and written through sim_mem_read64 /
 * sim_mem_write64, so a writer that overruns an object is seen by the
 * checker.  slab->freelist holds its simulated address.
 *
 * Locks: cache_grow_end takes n->list_lock; colour_next is advanced without
 * it, as in 6.1.
 */
#include <stdlib.h>

#include "../buddy/buddy.h"
#include "../../sim/engine/engine.h"
#include "slab_int.h"

/* ------------------------------------------------------------------ */
/* Bytes of simulated memory                                            */

/* One byte of simulated memory (a word read; little-endian). */
static uint8_t mem_read8(uint64_t addr)
{
	uint64_t w = sim_mem_read64(addr & ~7ULL);

	return (uint8_t)(w >> ((addr & 7) * 8));
}

/* One byte of simulated memory (read-modify-write of its word). */
static void mem_write8(uint64_t addr, uint8_t v)
{
	uint64_t base = addr & ~7ULL;
	unsigned int shift = (unsigned int)(addr & 7) * 8;
	uint64_t w = sim_mem_read64(base);

	w = (w & ~(0xffULL << shift)) | ((uint64_t)v << shift);
	sim_mem_write64(base, w);
}

/* kernel: get_free_obj, mm/slab.c */
freelist_idx_t get_free_obj(struct slab *slab, unsigned int idx)
{
	return mem_read8((uint64_t)(uintptr_t)slab->freelist + idx);
}

/* kernel: set_free_obj, mm/slab.c */
void set_free_obj(struct slab *slab, unsigned int idx, freelist_idx_t val)
{
	mem_write8((uint64_t)(uintptr_t)slab->freelist + idx, val);
}

/* Write a whole index array at once (whole words where aligned). */
static void write_free_objs(struct slab *slab, const freelist_idx_t *idx, unsigned int count)
{
	uint64_t addr = (uint64_t)(uintptr_t)slab->freelist;
	unsigned int i = 0;

	while (i < count && ((addr + i) & 7))
		mem_write8(addr + i, idx[i]), i++;
	for (; i + 8 <= count; i += 8) {
		uint64_t w = 0;

		for (unsigned int b = 0; b < 8; b++)
			w |= (uint64_t)idx[i + b] << (8 * b);
		sim_mem_write64(addr + i, w);
	}
	for (; i < count; i++)
		mem_write8(addr + i, idx[i]);
}

/* ------------------------------------------------------------------ */
/* Pages                                                                */

/* kernel: gfp_exact_node, mm/slab.c (NUMA): this node only, no reclaim */
gfp_t gfp_exact_node(gfp_t flags)
{
	return (flags | __GFP_THISNODE | __GFP_NOWARN) & ~(__GFP_RECLAIM | __GFP_NOFAIL);
}

/*
 * kernel: kmem_getpages, mm/slab.c
 *
 * The page allocation is its own operation nested in the caller's
 * (slab_page_alloc), so the buddy path shows up beside the slab path.
 */
static struct slab *kmem_getpages(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	struct page *page;
	struct slab *slab;

	flags |= cachep->allocflags;

	page = slab_page_alloc(nodeid, flags, cachep->gfporder);
	if (!page)
		return NULL;

	slab = calloc(1, sizeof(*slab));
	if (!slab) {
		slab_page_free(page, cachep->gfporder);
		return NULL;
	}
	slab->page = page;
	INIT_LIST_HEAD(&slab->slab_list);
	page->flags |= PG_slab;
	/* Every page of the slab leads back to it (virt_to_slab of any object). */
	for (unsigned long i = 0; i < (1UL << cachep->gfporder); i++)
		pfn_to_page(page_to_pfn(page) + i)->slab_meta = slab;
	slab->objcgs = account_slab(cachep->flags, cachep->num, cachep->gfporder, flags, page_to_nid(page));
	return slab;
}

/* kernel: kmem_freepages, mm/slab.c */
static void kmem_freepages(struct kmem_cache *cachep, struct slab *slab)
{
	unsigned int order = cachep->gfporder;
	struct page *page = slab->page;

	assert(PageSlab(page));
	unaccount_slab(slab->objcgs, cachep->flags, order, page_to_nid(page));
	page->flags &= ~PG_slab;
	for (unsigned long i = 0; i < (1UL << order); i++)
		pfn_to_page(page_to_pfn(page) + i)->slab_meta = NULL;
	free(slab);

	if (sim_op_current()) {
		slab_page_free(page, order);
	} else {
		/* The reaper runs outside any operation: give the page free one. */
		struct sim_op op;

		sim_op_begin(&op, SIM_OP_PAGE_FREE);
		op.order = (int8_t)order;
		op.addr = page_to_pfn(page);
		op.mem_node = (int16_t)page_to_nid(page);
		op.zone = (int8_t)page->zid;
		__free_pages(page, order);
		sim_op_end(&op);
	}
}

/* ------------------------------------------------------------------ */
/* Slab management and object initialisation                            */

/*
 * kernel: alloc_slabmgmt, mm/slab.c
 *
 * Returns the simulated address of the index array, or NULL (OBJFREELIST:
 * chosen later by cache_init_objs; OFF_SLAB: kmalloc failed).
 */
static void *alloc_slabmgmt(struct kmem_cache *cachep, struct slab *slab, int colour_off,
			    gfp_t local_flags, int nodeid)
{
	void *freelist;
	uintptr_t addr = (uintptr_t)slab_address(slab);

	slab->s_mem = (void *)(addr + (uintptr_t)colour_off);
	slab->active = 0;

	if (OBJFREELIST_SLAB(cachep)) {
		freelist = NULL;
	} else if (OFF_SLAB(cachep)) {
		freelist = slab_nested_kmalloc_node(cachep->freelist_size, local_flags, nodeid);
	} else {
		/* The last freelist_size bytes of the slab. */
		freelist = (void *)(addr + (PAGE_SIZE << cachep->gfporder) - cachep->freelist_size);
	}
	return freelist;
}

/* Where a new slab's freelist shuffle starts and with which generator. */
struct freelist_init_state {
	unsigned int pos;
	unsigned int *list;
	unsigned int count;
	struct sim_prng rnd_state;
};

/* kernel: freelist_state_initialize, mm/slab.c */
static bool freelist_state_initialize(struct freelist_init_state *state, struct kmem_cache *cachep,
				      unsigned int count)
{
	bool ret;
	unsigned int rand;

	/* get_random_u32() in the kernel. */
	rand = (uint32_t)sim_prng_next(sim_prng_model());

	if (!cachep->random_seq) {
		sim_prng_seed(&state->rnd_state, rand);
		ret = false;
	} else {
		state->list = cachep->random_seq;
		state->count = count;
		state->pos = rand % count;
		ret = true;
	}
	return ret;
}

/* kernel: next_random_slot, mm/slab.c */
static freelist_idx_t next_random_slot(struct freelist_init_state *state)
{
	if (state->pos >= state->count)
		state->pos = 0;
	return (freelist_idx_t)state->list[state->pos++];
}

/* kernel: shuffle_freelist, mm/slab.c */
static bool shuffle_freelist(struct kmem_cache *cachep, struct slab *slab)
{
	unsigned int objfreelist = 0, i, rand, count = cachep->num;
	struct freelist_init_state state;
	freelist_idx_t idx[SLAB_OBJ_MAX_NUM + 1];
	bool precomputed;

	if (!slab_freelist_random || count < 2)
		return false;

	precomputed = freelist_state_initialize(&state, cachep, count);

	/* OBJFREELIST: a random object carries the array and goes out last. */
	if (OBJFREELIST_SLAB(cachep)) {
		if (!precomputed)
			objfreelist = count - 1;
		else
			objfreelist = next_random_slot(&state);
		slab->freelist = index_to_obj(cachep, slab, objfreelist);
		count--;
	}

	/* Early in boot there is no sequence yet: shuffle the identity. */
	if (!precomputed) {
		for (i = 0; i < count; i++)
			idx[i] = (freelist_idx_t)i;
		for (i = count - 1; i > 0; i--) {
			freelist_idx_t t;

			rand = (uint32_t)sim_prng_next(&state.rnd_state);
			rand %= (i + 1);
			t = idx[i];
			idx[i] = idx[rand];
			idx[rand] = t;
		}
	} else {
		for (i = 0; i < count; i++)
			idx[i] = next_random_slot(&state);
	}

	if (OBJFREELIST_SLAB(cachep))
		idx[cachep->num - 1] = (freelist_idx_t)objfreelist;

	write_free_objs(slab, idx, cachep->num);
	return true;
}

/* kernel: cache_init_objs, mm/slab.c (no constructors in the model) */
static void cache_init_objs(struct kmem_cache *cachep, struct slab *slab)
{
	freelist_idx_t idx[SLAB_OBJ_MAX_NUM + 1];
	bool shuffled;

	shuffled = shuffle_freelist(cachep, slab);

	if (!shuffled && OBJFREELIST_SLAB(cachep))
		slab->freelist = index_to_obj(cachep, slab, cachep->num - 1);

	if (!shuffled) {
		for (unsigned int i = 0; i < cachep->num; i++)
			idx[i] = (freelist_idx_t)i;
		write_free_objs(slab, idx, cachep->num);
	}
}

/* kernel: slab_get_obj, mm/slab.c */
void *slab_get_obj(struct kmem_cache *cachep, struct slab *slab)
{
	void *objp;

	objp = index_to_obj(cachep, slab, get_free_obj(slab, slab->active));
	slab->active++;
	return objp;
}

/* kernel: slab_put_obj, mm/slab.c */
void slab_put_obj(struct kmem_cache *cachep, struct slab *slab, void *objp)
{
	unsigned int objnr = obj_to_index(cachep, slab, objp);

	slab->active--;
	/* A full OBJFREELIST slab has no array: the freed object becomes it. */
	if (!slab->freelist)
		slab->freelist = objp;

	set_free_obj(slab, slab->active, (freelist_idx_t)objnr);
}

/* ------------------------------------------------------------------ */
/* Growing and destroying                                               */

/*
 * kernel: cache_grow_begin, mm/slab.c
 *
 * Called with IRQs off.  Returns a slab on no list yet (cache_grow_end
 * files it), or NULL when the page allocator had nothing.
 */
struct slab *cache_grow_begin(struct kmem_cache *cachep, gfp_t flags, int nodeid)
{
	void *freelist;
	size_t offset;
	gfp_t local_flags;
	int slab_node;
	struct kmem_cache_node *n;
	struct slab *slab;

	PATH_LABEL("cache_grow_begin");
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags &= ~GFP_SLAB_BUG_MASK;	/* kmalloc_fix_flags */

	local_flags = flags & (GFP_CONSTRAINT_MASK | GFP_RECLAIM_MASK);

	check_irq_off();
	if (gfpflags_allow_blocking(local_flags))
		slab_local_irq_enable();

	slab = kmem_getpages(cachep, local_flags, nodeid);
	if (!slab)
		goto failed;

	slab_node = slab_nid(slab);
	n = get_node(cachep, slab_node);

	/* Advance first: the first slab of a node takes colour 1 when there are two or more. */
	n->colour_next++;
	if (n->colour_next >= cachep->colour)
		n->colour_next = 0;

	offset = n->colour_next;
	if (offset >= cachep->colour)
		offset = 0;

	offset *= cachep->colour_off;

	freelist = alloc_slabmgmt(cachep, slab, (int)offset, local_flags & ~GFP_CONSTRAINT_MASK, slab_node);
	if (OFF_SLAB(cachep) && !freelist)
		goto opps1;

	slab->slab_cache = cachep;
	slab->freelist = freelist;

	cache_init_objs(cachep, slab);

	if (gfpflags_allow_blocking(local_flags))
		slab_local_irq_disable();

	slab_emit_event(SLAB_EVENT_GROW, cachep, slab);
	return slab;

opps1:
	kmem_freepages(cachep, slab);
failed:
	PATH_LABEL("cache_grow_begin:failed");
	if (gfpflags_allow_blocking(local_flags))
		slab_local_irq_disable();
	return NULL;
}

/* kernel: cache_grow_end, mm/slab.c */
void cache_grow_end(struct kmem_cache *cachep, struct slab *slab)
{
	struct kmem_cache_node *n;
	void *list = NULL;

	check_irq_off();

	if (!slab)
		return;

	INIT_LIST_HEAD(&slab->slab_list);
	n = get_node(cachep, slab_nid(slab));

	spin_lock(&n->list_lock);
	n->total_slabs++;
	if (!slab->active) {
		list_add_tail(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		fixup_slab_list(cachep, n, slab, &list);
	}

	STATS_INC_GROWN(cachep);
	n->free_objects += cachep->num - slab->active;
	spin_unlock(&n->list_lock);
}

/* kernel: slab_destroy, mm/slab.c (TYPESAFE_BY_RCU slabs are freed at once) */
void slab_destroy(struct kmem_cache *cachep, struct slab *slab)
{
	void *freelist;

	freelist = slab->freelist;
	slab_emit_event(SLAB_EVENT_DESTROY, cachep, slab);
	kmem_freepages(cachep, slab);

	/* The off-slab array goes after the pages: kfree may re-enter SLAB. */
	if (OFF_SLAB(cachep))
		slab_nested_kfree(freelist);
}

/* kernel: slabs_destroy, mm/slab.c */
void slabs_destroy(struct kmem_cache *cachep, struct list_head *list)
{
	if (list_empty(list))
		return;
	PATH_LABEL("slabs_destroy");
	sim_path_level(5);
	while (!list_empty(list)) {
		struct slab *slab = list_first_entry(list, struct slab, slab_list);

		list_del(&slab->slab_list);
		slab_destroy(cachep, slab);
	}
}
