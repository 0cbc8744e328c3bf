/*
 * partial.c - SLUB's partial slabs (Linux 6.1.192 mm/slub.c): the node
 * partial lists (add_partial, remove_partial, acquire_slab, get_partial,
 * get_partial_node, get_any_partial) and the per-CPU partial chains
 * (put_cpu_partial, unfreeze_partials, __unfreeze_partials).
 *
 * Locks (our words for the kernel's rules): n->list_lock, taken with IRQs
 * saved, protects a node's nr_partial and partial list; a slab on that list
 * is never frozen.  A CPU's partial chain is changed only under that CPU's
 * local lock (IRQs off), and list_lock may be held while taking it
 * (get_partial_node -> put_cpu_partial), never the other way round.
 *
 * get_any_partial walks the local node's zonelist from the buddy model
 * (buddy_zonelist_zones), one entry per populated zone up to gfp_zone(flags),
 * as for_each_zone_zonelist does.  The kernel's get_cycles() % 1024 draw
 * comes from the seeded model PRNG.
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

/*
 * kernel: acquire_slab, mm/slub.c.  Freeze a slab of the node list and
 * take it off; mode 1 also takes its whole freelist (the caller's new cpu
 * slab), mode 0 leaves the freelist in the slab (for the CPU partial chain).
 */
static void *acquire_slab(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab,
			  int mode)
{
	void *freelist;
	uint64_t counters;
	struct slab new;

	lockdep_assert_held(&n->list_lock);

	freelist = slab->freelist;
	counters = slab->counters;
	new.counters = counters;
	if (mode) {
		new.inuse = slab->objects;
		new.freelist = NULL;
	} else {
		new.freelist = freelist;
	}
	VM_BUG_ON(s, new.frozen, "acquire_slab: frozen slab on a node list");
	new.frozen = 1;

	if (!__cmpxchg_double_slab(s, slab, freelist, counters, new.freelist, new.counters,
				   "acquire_slab"))
		return NULL;

	remove_partial(n, slab);
	slab_event(s, slab, SLAB_EV_FREEZE);
	return freelist;
}

/* kernel: get_partial_node, mm/slub.c */
void *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n, struct partial_context *pc)
{
	struct slab *slab, *slab2;
	void *object = NULL;
	unsigned long flags;
	unsigned int partial_slabs = 0;

	/* Racy peek: a wrong answer costs a new slab or an empty search. */
	if (!n || !n->nr_partial)
		return NULL;

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		void *t;

		if (!pfmemalloc_match(slab, pc->flags))
			continue;

		t = acquire_slab(s, n, slab, object == NULL);
		if (!t)
			break;

		if (!object) {
			*pc->slab = slab;
			stat(s, ALLOC_FROM_PARTIAL);
			PATH_LABEL("get_partial_node:acquire");
			object = t;
		} else {
			put_cpu_partial(s, slab, 0);
			stat(s, CPU_PARTIAL_NODE);
			PATH_LABEL("get_partial_node:to_cpu_partial");
			partial_slabs++;
		}
		if (!kmem_cache_has_cpu_partial(s) || partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return object;
}

/* kernel: get_any_partial, mm/slub.c */
void *get_any_partial(struct kmem_cache *s, struct partial_context *pc)
{
	int nodes[SIM_MAX_NODES * MAX_NR_ZONES], zids[SIM_MAX_NODES * MAX_NR_ZONES];
	int local, nr;
	void *object;

	/* remote_node_defrag_ratio out of 1024 (get_cycles() % 1024 in the kernel) */
	if (!s->remote_node_defrag_ratio ||
	    sim_prng_below(sim_prng_model(), 1024) > s->remote_node_defrag_ratio) {
		PATH_LABEL("get_any_partial:defrag_ratio");
		return NULL;
	}

	local = numa_node_id();			/* mempolicy_slab_node(): default policy */
	nr = buddy_zonelist_zones(local, pc->flags, nodes, zids, SIM_MAX_NODES * MAX_NR_ZONES);
	for (int i = 0; i < nr; i++) {
		struct kmem_cache_node *n = get_node(s, nodes[i]);

		if (n && n->nr_partial > s->min_partial) {
			object = get_partial_node(s, n, pc);
			if (object) {
				if (nodes[i] != local)
					PATH_LABEL("get_any_partial:remote");
				return object;
			}
		}
	}
	return NULL;
}

/* kernel: get_partial, mm/slub.c */
void *get_partial(struct kmem_cache *s, int node, struct partial_context *pc)
{
	void *object;
	int searchnode = node;

	if (node == NUMA_NO_NODE)
		searchnode = numa_mem_id();

	object = get_partial_node(s, get_node(s, searchnode), pc);
	if (object || node != NUMA_NO_NODE)
		return object;

	return get_any_partial(s, pc);
}

/* ------------------------------------------------------------------ */
/* Per-CPU partial chains                                              */

/* kernel: __unfreeze_partials, mm/slub.c */
void __unfreeze_partials(struct kmem_cache *s, struct slab *partial_slab)
{
	struct kmem_cache_node *n = NULL, *n2 = NULL;
	struct slab *slab, *slab_to_discard = NULL;
	unsigned long flags = 0;

	while (partial_slab) {
		struct slab new;
		struct slab old;

		slab = partial_slab;
		partial_slab = slab->next;

		n2 = get_node(s, slab_nid(slab));
		if (n != n2) {
			if (n)
				list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);
			n = n2;
			list_lock_irqsave_guarded(n, &flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);
		}

		do {
			old.freelist = slab->freelist;
			old.counters = slab->counters;
			VM_BUG_ON(s, !old.frozen, "__unfreeze_partials: slab not frozen");
			new.counters = old.counters;
			new.freelist = old.freelist;
			new.frozen = 0;
		} while (!__cmpxchg_double_slab(s, slab, old.freelist, old.counters, new.freelist,
						new.counters, "unfreezing slab"));
		slab_event(s, slab, SLAB_EV_UNFREEZE);

		if (unlikely(!new.inuse && n->nr_partial >= s->min_partial)) {
			slab->next = slab_to_discard;
			slab_to_discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
			stat(s, FREE_ADD_PARTIAL);
		}
	}

	if (n)
		list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);

	while (slab_to_discard) {
		slab = slab_to_discard;
		slab_to_discard = slab_to_discard->next;

		PATH_LABEL("__unfreeze_partials:discard");
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(s, FREE_SLAB);
	}
}

/* kernel: unfreeze_partials, mm/slub.c */
void unfreeze_partials(struct kmem_cache *s)
{
	struct slab *partial_slab;
	struct kmem_cache_cpu *c;
	unsigned long flags;

	local_lock_irqsave_slub(s, flags);
	c = this_cpu_ptr(s->cpu_slab);
	partial_slab = c->partial;
	c->partial = NULL;
	local_unlock_irqrestore_slub(s, flags);

	if (partial_slab)
		__unfreeze_partials(s, partial_slab);
}

/* kernel: unfreeze_partials_cpu, mm/slub.c (a CPU that is not running SLUB code) */
void unfreeze_partials_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *partial_slab;

	partial_slab = c->partial;
	c->partial = NULL;

	if (partial_slab)
		__unfreeze_partials(s, partial_slab);
}

/*
 * kernel: put_cpu_partial, mm/slub.c.  Push a slab just frozen (by
 * __slab_free or get_partial_node) on this CPU's chain; with `drain`, a
 * full chain is first moved to the node lists, outside the IRQ-off section.
 */
void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
{
	struct kmem_cache_cpu *c;
	struct slab *oldslab;
	struct slab *slab_to_unfreeze = NULL;
	unsigned long flags;
	int slabs = 0;

	if (sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		local_lock_irqsave_slub(s, flags);
	else
		preempt_disable();	/* guard off: IRQs stay on (before v5.15's local lock) */
	c = this_cpu_ptr(s->cpu_slab);

	oldslab = c->partial;
	if (oldslab) {
		if (drain && oldslab->slabs >= (int)s->cpu_partial_slabs) {
			slab_to_unfreeze = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}

	slabs++;
	slab->slabs = slabs;
	slab->next = oldslab;
	/* Guard off: the store is the this_cpu_cmpxchg of the code before v5.15 with
	 * its compare switched off, a yield after the read of c->partial. */
	if (!sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		sim_yield_cost(SIM_COST_CMPXCHG);
	c->partial = slab;
	slab_event(s, slab, SLAB_EV_CPU_PARTIAL_ADD);

	if (sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		local_unlock_irqrestore_slub(s, flags);
	else
		preempt_enable();

	if (slab_to_unfreeze) {
		PATH_LABEL("put_cpu_partial:drain");
		__unfreeze_partials(s, slab_to_unfreeze);
		stat(s, CPU_PARTIAL_DRAIN);
	}
}
