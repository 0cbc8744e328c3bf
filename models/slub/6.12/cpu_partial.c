/*
 * models/slub/6.12/cpu_partial.c - Linux 6.12 (6.12.118 mm/slub.c, its CONFIG_SLUB_CPU_PARTIAL
 * block): the per-CPU partial lists of unfrozen slabs, __put_partials, put_partials,
 * put_partials_cpu and put_cpu_partial.  Included by 6.12/slub.c where the block stands (not
 * compiled on its own), so the functions stay static under the kernel's names, after the
 * helpers they use (stat, list_locked_window) and before __slab_free and get_partial_node,
 * which call put_cpu_partial.
 *
 * What differs from 6.1 (models/slub/6.1/slub.c: __unfreeze_partials, unfreeze_partials,
 * unfreeze_partials_cpu): the slabs on the list are not frozen, so moving them to the node
 * lists unfreezes nothing (no cmpxchg_double per slab).
 */

/*
 * kernel: __put_partials, mm/slub.c.  Move a chain of (unfrozen) per-CPU partial slabs to
 * their node lists; empty ones beyond min_partial are freed.
 */
static void __put_partials(struct kmem_cache *s, struct slab *partial_slab)
{
	struct kmem_cache_node *n = NULL, *n2 = NULL;
	struct slab *slab, *slab_to_discard = NULL;
	unsigned long flags = 0;

	while (partial_slab) {
		slab = partial_slab;
		partial_slab = slab->next;

		n2 = get_node(s, slab_nid(slab));
		if (n != n2) {
			if (n)
				list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);
			n = n2;
			list_lock_irqsave_guarded(n, &flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);
		}

		if (unlikely(!slab->inuse && n->nr_partial >= s->min_partial)) {
			slab->next = slab_to_discard;
			slab_to_discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL);
			stat(s, FREE_ADD_PARTIAL);
		}
		list_locked_window(SIM_GUARD_SLUB_UNFREEZE_IRQ);
	}

	if (n)
		list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_UNFREEZE_IRQ);

	while (slab_to_discard) {
		slab = slab_to_discard;
		slab_to_discard = slab_to_discard->next;

		PATH_LABEL("__put_partials:discard");
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(s, FREE_SLAB);
	}
}

/* kernel: put_partials, mm/slub.c */
static void put_partials(struct kmem_cache *s)
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
		__put_partials(s, partial_slab);
}

/* kernel: put_partials_cpu, mm/slub.c (a CPU that is not running SLUB code) */
static void put_partials_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *partial_slab;

	partial_slab = c->partial;
	c->partial = NULL;

	if (partial_slab)
		__put_partials(s, partial_slab);
}

/*
 * kernel: put_cpu_partial, mm/slub.c.  Push an unfrozen slab (from __slab_free or
 * get_partial_node) on this CPU's partial list; with `drain`, a full list is first moved to
 * the node lists, outside the IRQ-off section.
 */
static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
{
	struct kmem_cache_cpu *c;
	struct slab *oldslab;
	struct slab *slab_to_put = NULL;
	unsigned long flags;
	int slabs = 0;

	if (sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		local_lock_irqsave_slub(s, flags);
	else
		preempt_disable();	/* guard off: IRQs stay on, as in models/slub/6.1 */
	c = this_cpu_ptr(s->cpu_slab);

	oldslab = c->partial;
	if (oldslab) {
		if (drain && oldslab->slabs >= (int)s->cpu_partial_slabs) {
			slab_to_put = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}

	slabs++;
	slab->slabs = slabs;
	slab->next = oldslab;
	if (!sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		sim_yield_cost(SIM_COST_CMPXCHG);
	c->partial = slab;
	slab_event(s, slab, SLAB_EV_CPU_PARTIAL_ADD);

	if (sim_guard_on(SIM_GUARD_SLUB_CPU_PARTIAL))
		local_unlock_irqrestore_slub(s, flags);
	else
		preempt_enable();

	if (slab_to_put) {
		PATH_LABEL("put_cpu_partial:drain");
		__put_partials(s, slab_to_put);
		stat(s, CPU_PARTIAL_DRAIN);
	}
}
