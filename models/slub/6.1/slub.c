/*
 * models/slub/6.1/slub.c - the SLUB paths of Linux 6.1 (6.1.192 mm/slub.c) where 6.12 differs:
 * the per-CPU partial chains of frozen slabs (put_cpu_partial, __unfreeze_partials,
 * unfreeze_partials, unfreeze_partials_cpu), __slab_free and the fast free do_slab_free,
 * deactivate_slab, the node partial lists' acquire_slab / get_partial_node / get_any_partial /
 * get_partial, get_freelist, ___slab_alloc and the fast path slab_alloc_node.  Reached through
 * slub_kops_6_1 (models/slub/slub_int.h); the code both kernels share is in models/slub/.
 *
 * Levels (models/slub/slub.h): alloc L1 c->freelist (fast path, or refilled under the local
 * lock), L2 get_freelist (ALLOC_REFILL), L3 a CPU partial slab (CPU_PARTIAL_ALLOC, then L2's
 * get_freelist at redo), L4 get_partial (ALLOC_FROM_PARTIAL), L5 new_slab (ALLOC_SLAB);
 * free L1 do_slab_free's fast path, L2 __slab_free.
 */
#include "../slub_int.h"
#include "../../buddy/buddy.h"

/* kernel: __unfreeze_partials, mm/slub.c */
static void __unfreeze_partials(struct kmem_cache *s, struct slab *partial_slab)
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
static void unfreeze_partials(struct kmem_cache *s)
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
static void unfreeze_partials_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c)
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
static void put_cpu_partial(struct kmem_cache *s, struct slab *slab, int drain)
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

/*
 * kernel: __slab_free, mm/slub.c.  Free cnt objects head..tail (linked)
 * into their slab, which is not this CPU's cpu slab.
 */
static void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
			unsigned long addr)
{
	void *prior;
	int was_frozen;
	struct slab new;
	uint64_t counters;
	struct kmem_cache_node *n = NULL;
	unsigned long flags = 0;

	(void)addr;
	stat(s, FREE_SLOWPATH);
	sim_path_level(2);

	for (;;) {
		if (unlikely(n)) {
			spin_unlock_irqrestore(&n->list_lock, flags);
			n = NULL;
		}
		prior = slab->freelist;
		counters = slab->counters;
		set_freepointer(s, tail, prior);
		new.counters = counters;
		was_frozen = new.frozen;
		new.inuse -= cnt;
		if ((!new.inuse || !prior) && !was_frozen) {
			if (kmem_cache_has_cpu_partial(s) && !prior) {
				/*
				 * The slab was full, on no list: instead of listing
				 * it, freeze it for this CPU's partial chain.
				 */
				new.frozen = 1;
			} else {
				/* It may have to leave its list: lock speculatively. */
				n = get_node(s, slab_nid(slab));
				spin_lock_irqsave(&n->list_lock, flags);
			}
		}
		if (cmpxchg_double_slab(s, slab, prior, counters, head, new.counters, "__slab_free"))
			break;
		PATH_LABEL("__slab_free:retry");
	}

	if (likely(!n)) {
		if (likely(was_frozen)) {
			/* A cpu slab or a CPU partial slab: its owner does the rest. */
			PATH_LABEL("__slab_free:frozen");
			stat(s, FREE_FROZEN);
		} else if (new.frozen) {
			PATH_LABEL("__slab_free:cpu_partial");
			slab_event(s, slab, SLAB_EV_FREEZE);
			put_cpu_partial(s, slab, 1);
			stat(s, CPU_PARTIAL_FREE);
		} else {
			PATH_LABEL("__slab_free:no_list_change");
		}
		return;
	}

	if (unlikely(!new.inuse && n->nr_partial >= s->min_partial))
		goto slab_empty;

	/* Objects left (or an empty slab min_partial keeps): stays listed. */
	if (!kmem_cache_has_cpu_partial(s) && unlikely(!prior)) {
		add_partial(n, slab, DEACTIVATE_TO_TAIL);
		stat(s, FREE_ADD_PARTIAL);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	PATH_LABEL("__slab_free:keep_empty");
	return;

slab_empty:
	PATH_LABEL("__slab_free:slab_empty");
	if (prior) {
		/* On the partial list. */
		remove_partial(n, slab);
		stat(s, FREE_REMOVE_PARTIAL);
	}
	/* else: on the debug full list, which the model does not keep */

	spin_unlock_irqrestore(&n->list_lock, flags);
	stat(s, FREE_SLAB);
	discard_slab(s, slab);
}

/*
 * kernel: do_slab_free, mm/slub.c.  Fast path: only for objects of this
 * CPU's cpu slab, pushed on c->freelist by this_cpu_cmpxchg_double.
 */
static void do_slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
			 unsigned long addr)
{
	void *tail_obj = tail ? tail : head;
	struct kmem_cache_cpu *c;
	uint64_t tid;
	void *freelist;

redo:
	PATH_AT("do_slab_free:redo");	/* for the steps table only: not in the path */
	/* The CPU may change afterwards; the cmpxchg then fails. */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);

	if (unlikely(slab != c->slab)) {
		__slab_free(s, slab, head, tail_obj, cnt, addr);
		return;
	}

	freelist = READ_ONCE(c->freelist);
	set_freepointer(s, tail_obj, freelist);

	if (unlikely(!this_cpu_cmpxchg_double_slub(s, freelist, tid, head, next_tid(tid)))) {
		PATH_LABEL("do_slab_free:cmpxchg_fail");
		note_cmpxchg_failure("slab_free", s, tid);
		goto redo;
	}
	PATH_LABEL("do_slab_free:fastpath");
	sim_path_level(1);
	stat(s, FREE_FASTPATH);
}

/* kernel: deactivate_slab, mm/slub.c */
static void deactivate_slab(struct kmem_cache *s, struct slab *slab, void *freelist)
{
	enum slab_modes { M_NONE, M_PARTIAL, M_FREE, M_FULL_NOLIST };
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	int free_delta = 0;
	enum slab_modes mode = M_NONE;
	void *nextfree, *freelist_iter, *freelist_tail;
	int tail = DEACTIVATE_TO_HEAD;
	unsigned long flags = 0;
	struct slab new;
	struct slab old;

	if (slab->freelist) {
		stat(s, DEACTIVATE_REMOTE_FREES);
		tail = DEACTIVATE_TO_TAIL;
	}

	/* Stage one: count the CPU's free objects and find the last one. */
	freelist_tail = NULL;
	freelist_iter = freelist;
	while (freelist_iter) {
		nextfree = get_freepointer(s, freelist_iter);
		/* The kernel would loop forever on a cycle; we stop and report it. */
		if (free_delta >= (int)slab->objects) {
			slub_bug(s, "deactivate_slab: cpu freelist longer than the slab", ptr_u64(freelist));
			break;
		}
		freelist_tail = freelist_iter;
		free_delta++;
		freelist_iter = nextfree;
	}
	if (free_delta)
		sim_yield(sim->cost[SIM_COST_OBJ_OP] * (uint32_t)free_delta);

	/*
	 * Stage two: unfreeze while splicing the CPU's list in front of the
	 * slab's, retrying while remote frees change the slab under us.
	 */
redo:
	old.freelist = READ_ONCE(slab->freelist);
	old.counters = READ_ONCE(slab->counters);
	VM_BUG_ON(s, !old.frozen, "deactivate_slab: slab not frozen");

	new.counters = old.counters;
	if (freelist_tail) {
		new.inuse -= free_delta;
		set_freepointer(s, freelist_tail, old.freelist);
		new.freelist = freelist;
	} else {
		new.freelist = old.freelist;
	}
	new.frozen = 0;

	if (!new.inuse && n->nr_partial >= s->min_partial) {
		mode = M_FREE;
	} else if (new.freelist) {
		mode = M_PARTIAL;
		list_lock_irqsave_guarded(n, &flags, SIM_GUARD_SLUB_DEACTIVATE_IRQ);
	} else {
		/* Full, and no debug full list: the slab is on no list. */
		mode = M_FULL_NOLIST;
	}

	if (!cmpxchg_double_slab(s, slab, old.freelist, old.counters, new.freelist, new.counters,
				 "unfreezing slab")) {
		if (mode == M_PARTIAL)
			list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_DEACTIVATE_IRQ);
		PATH_LABEL("deactivate_slab:redo");
		goto redo;
	}
	slab_event(s, slab, SLAB_EV_UNFREEZE);

	if (mode == M_PARTIAL) {
		PATH_LABEL("deactivate_slab:M_PARTIAL");
		add_partial(n, slab, tail);
		list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_DEACTIVATE_IRQ);
		stat(s, (enum stat_item)tail);
	} else if (mode == M_FREE) {
		PATH_LABEL("deactivate_slab:M_FREE");
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(s, FREE_SLAB);
	} else if (mode == M_FULL_NOLIST) {
		PATH_LABEL("deactivate_slab:M_FULL_NOLIST");
		stat(s, DEACTIVATE_FULL);
	}
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
static void *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n, struct partial_context *pc)
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
static void *get_any_partial(struct kmem_cache *s, struct partial_context *pc)
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
static void *get_partial(struct kmem_cache *s, int node, struct partial_context *pc)
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

/*
 * kernel: get_freelist, mm/slub.c.  Take slab->freelist for the CPU.  The
 * slab stays frozen if it had free objects; if not, the same cmpxchg
 * unfreezes it and NULL is returned.  Local lock held.
 */
static void *get_freelist(struct kmem_cache *s, struct slab *slab)
{
	struct slab new;
	uint64_t counters;
	void *freelist;

	do {
		freelist = slab->freelist;
		counters = slab->counters;

		new.counters = counters;
		VM_BUG_ON(s, !new.frozen, "get_freelist: cpu slab not frozen");

		new.inuse = slab->objects;
		new.frozen = freelist != NULL;
	} while (!__cmpxchg_double_slab(s, slab, freelist, counters, NULL, new.counters,
					"get_freelist"));

	return freelist;
}

/*
 * kernel: ___slab_alloc, mm/slub.c.  Slow path, preemption off.  In order:
 * c->freelist again, the cpu slab's own freelist, the CPU partial chain,
 * the node partial lists, a new slab.
 */
static void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			   struct kmem_cache_cpu *c, unsigned int orig_size)
{
	void *freelist;
	struct slab *slab;
	unsigned long flags;
	struct partial_context pc;

	(void)addr;
	stat(s, ALLOC_SLOWPATH);

reread_slab:
	PATH_LABEL("___slab_alloc:reread_slab");
	slab = READ_ONCE(c->slab);
	if (!slab) {
		/* A node without normal memory cannot be asked for. */
		if (unlikely(node != NUMA_NO_NODE && !node_isset_slab(node)))
			node = NUMA_NO_NODE;
		goto new_slab;
	}
redo:
	if (unlikely(!node_match(slab, node))) {
		if (!node_isset_slab(node)) {
			node = NUMA_NO_NODE;
		} else {
			PATH_LABEL("___slab_alloc:node_mismatch");
			stat(s, ALLOC_NODE_MISMATCH);
			goto deactivate_slab;
		}
	}

	/* A reserve slab serves only requests entitled to the reserves. */
	if (unlikely(!pfmemalloc_match(slab, gfpflags))) {
		PATH_LABEL("___slab_alloc:pfmemalloc_mismatch");
		goto deactivate_slab;
	}

	/* An interrupt or a preempting task may have changed c->slab. */
	local_lock_irqsave_slub(s, flags);
	if (unlikely(slab != c->slab) && sim_guard_on(SIM_GUARD_SLUB_RECHECK)) {
		local_unlock_irqrestore_slub(s, flags);
		slub_note_retry();
		goto reread_slab;
	}
	freelist = sim_guard_on(SIM_GUARD_SLUB_RECHECK) ? c->freelist : NULL;
	if (freelist) {
		/* Refilled by frees since the fast path looked. */
		PATH_LABEL("___slab_alloc:cpu_freelist");
		sim_path_level(1);
		goto load_freelist;
	}

	freelist = get_freelist(s, slab);

	if (!freelist) {
		/* The cpu slab is full, and get_freelist unfroze it: drop it. */
		c->slab = NULL;
		c->tid = next_tid(c->tid);
		local_unlock_irqrestore_slub(s, flags);
		PATH_LABEL("___slab_alloc:deactivate_bypass");
		slab_event(s, slab, SLAB_EV_UNFREEZE);
		stat(s, DEACTIVATE_BYPASS);
		goto new_slab;
	}

	PATH_LABEL("___slab_alloc:get_freelist");
	sim_path_level(2);
	stat(s, ALLOC_REFILL);

load_freelist:
	PATH_LABEL("___slab_alloc:load_freelist");
	/* freelist: objects of c->slab, which must be frozen for us. */
	VM_BUG_ON(s, !c->slab || !c->slab->frozen, "load_freelist: cpu slab not frozen");
	c->freelist = get_freepointer(s, freelist);
	c->tid = next_tid(c->tid);
	local_unlock_irqrestore_slub(s, flags);
	return freelist;

deactivate_slab:
	PATH_LABEL("___slab_alloc:deactivate_slab");
	local_lock_irqsave_slub(s, flags);
	if (slab != c->slab) {
		local_unlock_irqrestore_slub(s, flags);
		slub_note_retry();
		goto reread_slab;
	}
	freelist = c->freelist;
	c->slab = NULL;
	c->freelist = NULL;
	c->tid = next_tid(c->tid);
	local_unlock_irqrestore_slub(s, flags);
	deactivate_slab(s, slab, freelist);

new_slab:
	PATH_LABEL("___slab_alloc:new_slab");
	if (c->partial) {			/* slub_percpu_partial(c), racy */
		local_lock_irqsave_slub(s, flags);
		if (unlikely(c->slab)) {
			local_unlock_irqrestore_slub(s, flags);
			slub_note_retry();
			goto reread_slab;
		}
		if (unlikely(!c->partial)) {
			/* An interrupt emptied the chain meanwhile. */
			local_unlock_irqrestore_slub(s, flags);
			goto new_objects;
		}

		slab = c->slab = c->partial;
		c->partial = slab->next;	/* slub_set_percpu_partial */
		local_unlock_irqrestore_slub(s, flags);
		PATH_LABEL("___slab_alloc:cpu_partial_alloc");
		sim_path_level(3);
		slab_event(s, slab, SLAB_EV_CPU_SLAB);
		stat(s, CPU_PARTIAL_ALLOC);
		goto redo;
	}

new_objects:
	PATH_LABEL("___slab_alloc:new_objects");
	pc.flags = gfpflags;
	pc.slab = &slab;
	pc.orig_size = orig_size;
	freelist = get_partial(s, node, &pc);
	if (freelist) {
		/* No debug caches in the model: always a frozen slab for this CPU. */
		sim_path_level(4);
		goto retry_load_slab;
	}

	/* The page allocator runs with preemption on: we may come back elsewhere. */
	slub_put_cpu_ptr(s);
	slab = new_slab(s, gfpflags, node);
	c = slub_get_cpu_ptr(s);

	if (unlikely(!slab)) {
		PATH_LABEL("___slab_alloc:out_of_memory");	/* slab_out_of_memory */
		return NULL;
	}

	PATH_LABEL("___slab_alloc:alloc_slab");
	sim_path_level(5);
	stat(s, ALLOC_SLAB);

	/* Nobody else knows the slab yet: plain stores. */
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	slab_event(s, slab, SLAB_EV_FREEZE);

	inc_slabs_node(s, slab_nid(slab), slab);

	if (unlikely(!pfmemalloc_match(slab, gfpflags))) {
		/* Hand out one object, but do not make the reserve slab ours. */
		PATH_LABEL("___slab_alloc:pfmemalloc_new_slab");
		deactivate_slab(s, slab, get_freepointer(s, freelist));
		return freelist;
	}

retry_load_slab:
	PATH_LABEL("___slab_alloc:retry_load_slab");
	local_lock_irqsave_slub(s, flags);
	if (unlikely(c->slab)) {
		/* Someone on this CPU installed a slab meanwhile: flush it. */
		void *flush_freelist = c->freelist;
		struct slab *flush_slab = c->slab;

		c->slab = NULL;
		c->freelist = NULL;
		c->tid = next_tid(c->tid);

		local_unlock_irqrestore_slub(s, flags);

		deactivate_slab(s, flush_slab, flush_freelist);

		stat(s, CPUSLAB_FLUSH);
		slub_note_retry();
		goto retry_load_slab;
	}
	c->slab = slab;
	slab_event(s, slab, SLAB_EV_CPU_SLAB);

	goto load_freelist;
}

/*
 * kernel: slab_alloc_node, mm/slub.c.  The lockless fast path: tid first,
 * then the freelist and the slab (any newer value then fails the cmpxchg).
 */
static void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			     size_t orig_size)
{
	void *object;
	struct kmem_cache_cpu *c;
	struct slab *slab;
	uint64_t tid;

redo:
	PATH_AT("slab_alloc_node:redo");	/* for the steps table only: not in the path */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	object = SIM_READ(c->freelist);	/* plain reads in the kernel; noted for the steps table */
	slab = SIM_READ(c->slab);

	if (unlikely(!object || !slab || !node_match(slab, node))) {
		object = __slab_alloc(s, gfpflags, node, addr, c, (unsigned int)orig_size);
	} else {
		void *next_object = get_freepointer_safe(s, object);

		if (unlikely(!this_cpu_cmpxchg_double_slub(s, object, tid, next_object,
							   next_tid(tid)))) {
			PATH_LABEL("slab_alloc_node:cmpxchg_fail");
			note_cmpxchg_failure("slab_alloc", s, tid);
			goto redo;
		}
		PATH_LABEL("slab_alloc_node:fastpath");
		sim_path_level(1);
		stat(s, ALLOC_FASTPATH);
	}
	return object;
}

#include "bulk.c"

const struct slub_kops slub_kops_6_1 = {
	.kernel = "6.1",
	.slab_alloc_node = slab_alloc_node,
	.___slab_alloc = ___slab_alloc,
	.do_slab_free = do_slab_free,
	.__slab_free = __slab_free,
	.deactivate_slab = deactivate_slab,
	.put_partials = unfreeze_partials,
	.put_partials_cpu = unfreeze_partials_cpu,
	.cpu_partial_frozen = true,
	.kmem_cache_alloc_bulk_noprof = kmem_cache_alloc_bulk,
};
