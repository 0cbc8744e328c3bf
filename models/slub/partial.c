/*
 * partial.c - SLUB's node partial lists, the part every modelled kernel shares
 * (mm/slub.c): add_partial, __add_partial, remove_partial, pfmemalloc_match.  Taking
 * slabs off the lists (get_partial*, 6.1's acquire_slab) and the per-CPU partial lists
 * (put_cpu_partial, 6.1's unfreeze_partials, 6.12's put_partials) are in
 * models/slub/<version>/slub.c.
 *
 * Locks (our words for the kernel's rules): n->list_lock, taken with IRQs
 * saved, protects a node's nr_partial and partial list; a slab on that list
 * is never frozen.  A CPU's partial chain is changed only under that CPU's
 * local lock (IRQs off), and list_lock may be held while taking it
 * (get_partial_node -> put_cpu_partial), never the other way round.
 */
#include "slub_int.h"
#include "../buddy/buddy.h"

/* ------------------------------------------------------------------ */
/* Node partial lists                                                  */

/* kernel: __add_partial, mm/slub.c (boot: nobody else sees the list) */
void __add_partial(struct kmem_cache_node *n, struct slab *slab, int tail)
{
	n->nr_partial++;
	if (tail == DEACTIVATE_TO_TAIL)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->node_partial = true;		/* slab_set_node_partial (6.12) */
	slab_event(slab->slab_cache, slab, SLAB_EV_PARTIAL_ADD);
}

/* kernel: add_partial, mm/slub.c */
void add_partial(struct kmem_cache_node *n, struct slab *slab, int tail)
{
	lockdep_assert_held(&n->list_lock);
	__add_partial(n, slab, tail);
}

/* kernel: remove_partial, mm/slub.c */
void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	slab->node_partial = false;		/* slab_clear_node_partial (6.12) */
	n->nr_partial--;
	slab_event(slab->slab_cache, slab, SLAB_EV_PARTIAL_DEL);
}

/* kernel: gfp_pfmemalloc_allowed, mm/page_alloc.c (no PF_MEMALLOC tasks in the model) */
static bool gfp_pfmemalloc_allowed(gfp_t gfp)
{
	if (gfp & __GFP_NOMEMALLOC)
		return false;
	return gfp & __GFP_MEMALLOC;
}

/* kernel: pfmemalloc_match, mm/slub.c */
bool pfmemalloc_match(struct slab *slab, gfp_t gfpflags)
{
	if (unlikely(slab->pfmemalloc))
		return gfp_pfmemalloc_allowed(gfpflags);
	return true;
}

