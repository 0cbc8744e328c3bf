/*
 * models/slub/6.12/slub.c - the SLUB paths of Linux 6.12 (6.12.118 mm/slub.c) where 6.1
 * differs: per-CPU partial lists of unfrozen slabs (cpu_partial.c, included where the
 * kernel's CONFIG_SLUB_CPU_PARTIAL block stands), __slab_free and the fast free do_slab_free,
 * deactivate_slab, get_partial_node / get_any_partial / get_partial, get_freelist,
 * freeze_slab, ___slab_alloc, the fast path __slab_alloc_node and (bulk.c, included before
 * the table) the bulk allocation.  Reached through slub_kops_6_12 (../slub_int.h); docs in
 * docs/kernel-6.12.md, "SLUB paths".
 *
 * Levels (models/slub/slub.h): alloc L1 c->freelist (fast path, or refilled under the local
 * lock), L2 get_freelist of the cpu slab (ALLOC_REFILL), L3 a per-CPU partial slab
 * (CPU_PARTIAL_ALLOC, no ALLOC_REFILL), L4 get_partial then freeze_slab
 * (ALLOC_FROM_PARTIAL), L5 new_slab (ALLOC_SLAB); free L1 do_slab_free's fast path,
 * L2 __slab_free.  Not modelled (as in 6.1): the debug caches' alloc_single_from_partial,
 * alloc_single_from_new_slab, free_to_partial_list; !USE_LOCKLESS_FAST_PATH (PREEMPT_RT).
 */
#include "../slub_int.h"
#include "../../buddy/buddy.h"

/* kernel: stat_add, mm/slub.c */
static void stat_add(const struct kmem_cache *s, enum stat_item si, int v)
{
	for (int i = 0; i < v; i++)
		stat(s, si);
}

/* kernel: slub_get_cpu_partial, mm/slub.c */
static unsigned int slub_get_cpu_partial(const struct kmem_cache *s)
{
	return kmem_cache_has_cpu_partial(s) ? s->cpu_partial_slabs : 0;
}

/* kernel: slab_test_node_partial, mm/slub.c (PG_workingset of the slab's folio) */
static bool slab_test_node_partial(const struct slab *slab)
{
	return slab->node_partial;
}

/* Not a kernel function.  Guard off (IRQs on under n->list_lock): an interrupt may come during
 * the list insertion, 6.12's whole critical section, so yield once there (docs/races.md). */
static void list_locked_window(enum sim_guard guard)
{
	if (!sim_guard_on(guard))
		sim_yield_cost(SIM_COST_MEM);
}

/* Per-CPU partial lists: cpu_partial.c, included here (before their callers). */
#include "cpu_partial.c"

/* ------------------------------------------------------------------ */
/* Free                                                                 */

/*
 * kernel: __slab_free, mm/slub.c.  Free cnt objects head..tail (linked) into their slab,
 * which is not this CPU's cpu slab.
 */
static void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
			int cnt, unsigned long addr)
{
	void *prior;
	int was_frozen;
	struct slab new;
	uint64_t counters;
	struct kmem_cache_node *n = NULL;
	unsigned long flags = 0;
	bool on_node_partial = false;
	bool again = false;

	(void)addr;
	stat(s, FREE_SLOWPATH);
	sim_path_level(2);

	do {
		if (again)
			PATH_LABEL("__slab_free:retry");	/* the cmpxchg failed */
		again = true;
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
			/* It may have to leave a list (a full slab with CPU partial lists does not). */
			if (!kmem_cache_has_cpu_partial(s) || prior) {
				n = get_node(s, slab_nid(slab));
				spin_lock_irqsave(&n->list_lock, flags);
				on_node_partial = slab_test_node_partial(slab);
			}
		}
	} while (!cmpxchg_double_slab(s, slab, prior, counters, head, new.counters, "__slab_free"));

	if (likely(!n)) {
		if (likely(was_frozen)) {
			/* A cpu slab: its owner does the rest. */
			PATH_LABEL("__slab_free:frozen");
			stat(s, FREE_FROZEN);
		} else if (kmem_cache_has_cpu_partial(s) && !prior) {
			/* It was full, on no list: onto this CPU's partial list, unfrozen. */
			PATH_LABEL("__slab_free:cpu_partial");
			put_cpu_partial(s, slab, 1);
			stat(s, CPU_PARTIAL_FREE);
		} else {
			PATH_LABEL("__slab_free:no_list_change");
		}
		return;
	}

	/* Partly free but not on the node list (on a per-CPU partial list, or taken off by
	 * get_partial_node, not yet frozen): its owner's.  Guard off: no check (docs/races.md). */
	if (prior && !on_node_partial && sim_guard_on(SIM_GUARD_SLUB_NODE_PARTIAL)) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		PATH_LABEL("__slab_free:not_on_node_partial");
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

	spin_unlock_irqrestore(&n->list_lock, flags);
	stat(s, FREE_SLAB);
	discard_slab(s, slab);
}

/* kernel: __update_cpu_freelist_fast, mm/slub.c (this_cpu_try_cmpxchg on freelist_tid) */
static bool __update_cpu_freelist_fast(struct kmem_cache *s, void *freelist_old,
				       void *freelist_new, uint64_t tid)
{
	return this_cpu_cmpxchg_double_slub(s, freelist_old, tid, freelist_new, next_tid(tid));
}

/*
 * kernel: do_slab_free, mm/slub.c.  Fast path: only for objects of this CPU's cpu slab,
 * pushed on c->freelist by __update_cpu_freelist_fast.
 */
static void do_slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
			 int cnt, unsigned long addr)
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

	if (unlikely(!__update_cpu_freelist_fast(s, freelist, head, tid))) {
		PATH_LABEL("do_slab_free:cmpxchg_fail");
		note_cmpxchg_failure("slab_free", s, tid);
		goto redo;
	}
	PATH_LABEL("do_slab_free:fastpath");
	sim_path_level(1);
	stat_add(s, FREE_FASTPATH, cnt);
}

/* ------------------------------------------------------------------ */
/* Deactivation                                                         */

/* kernel: deactivate_slab, mm/slub.c */
static void deactivate_slab(struct kmem_cache *s, struct slab *slab, void *freelist)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	int free_delta = 0;
	void *nextfree, *freelist_iter, *freelist_tail;
	int tail = DEACTIVATE_TO_HEAD;
	unsigned long flags = 0;
	struct slab new;
	struct slab old;

	if (READ_ONCE(slab->freelist)) {
		stat(s, DEACTIVATE_REMOTE_FREES);
		tail = DEACTIVATE_TO_TAIL;
	}

	/* Stage one: count the CPU's free objects and find the last one. */
	freelist_tail = NULL;
	freelist_iter = freelist;
	while (freelist_iter) {
		nextfree = get_freepointer(s, freelist_iter);
		/* freelist_corrupted is debug-only; we stop a cycle and report it. */
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

	/* Stage two: unfreeze while splicing the CPU's list in front of the slab's. */
	do {
		old.freelist = READ_ONCE(slab->freelist);
		old.counters = READ_ONCE(slab->counters);
		VM_BUG_ON(s, !old.frozen, "deactivate_slab: slab not frozen");

		new.counters = old.counters;
		new.frozen = 0;
		if (freelist_tail) {
			new.inuse -= free_delta;
			set_freepointer(s, freelist_tail, old.freelist);
			new.freelist = freelist;
		} else {
			new.freelist = old.freelist;
		}
	} while (!cmpxchg_double_slab(s, slab, old.freelist, old.counters, new.freelist,
				      new.counters, "unfreezing slab"));
	slab_event(s, slab, SLAB_EV_UNFREEZE);

	/* Stage three: the list, from the state the cmpxchg installed. */
	if (!new.inuse && n->nr_partial >= s->min_partial) {
		PATH_LABEL("deactivate_slab:empty");
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(s, FREE_SLAB);
	} else if (new.freelist) {
		PATH_LABEL("deactivate_slab:partial");
		list_lock_irqsave_guarded(n, &flags, SIM_GUARD_SLUB_DEACTIVATE_IRQ);
		add_partial(n, slab, tail);
		list_locked_window(SIM_GUARD_SLUB_DEACTIVATE_IRQ);
		list_unlock_irqrestore_guarded(n, flags, SIM_GUARD_SLUB_DEACTIVATE_IRQ);
		stat(s, (enum stat_item)tail);
	} else {
		PATH_LABEL("deactivate_slab:full");
		stat(s, DEACTIVATE_FULL);
	}
}

/* ------------------------------------------------------------------ */
/* Node partial lists                                                   */

/*
 * kernel: get_partial_node, mm/slub.c.  Take the first fitting slab off the node list for the
 * caller (not frozen: ___slab_alloc freezes it) and up to slub_get_cpu_partial(s) / 2 + 1
 * more onto this CPU's partial list.
 */
static struct slab *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
				     struct partial_context *pc)
{
	struct slab *slab, *slab2, *partial = NULL;
	unsigned long flags;
	unsigned int partial_slabs = 0;

	/* Racy peek: a wrong answer costs a new slab or an empty search. */
	if (!n || !n->nr_partial)
		return NULL;

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		if (!pfmemalloc_match(slab, pc->flags))
			continue;

		remove_partial(n, slab);

		if (!partial) {
			partial = slab;
			stat(s, ALLOC_FROM_PARTIAL);
			PATH_LABEL("get_partial_node:partial");
			if (slub_get_cpu_partial(s) == 0)
				break;
		} else {
			put_cpu_partial(s, slab, 0);
			stat(s, CPU_PARTIAL_NODE);
			PATH_LABEL("get_partial_node:to_cpu_partial");
			if (++partial_slabs > slub_get_cpu_partial(s) / 2)
				break;
		}
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return partial;
}

/* kernel: get_any_partial, mm/slub.c */
static struct slab *get_any_partial(struct kmem_cache *s, struct partial_context *pc)
{
	int nodes[SIM_MAX_NODES * MAX_NR_ZONES], zids[SIM_MAX_NODES * MAX_NR_ZONES];
	int local, nr;
	struct slab *slab;

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
			slab = get_partial_node(s, n, pc);
			if (slab) {
				if (nodes[i] != local)
					PATH_LABEL("get_any_partial:remote");
				return slab;
			}
		}
	}
	return NULL;
}

/* kernel: get_partial, mm/slub.c */
static struct slab *get_partial(struct kmem_cache *s, int node, struct partial_context *pc)
{
	struct slab *slab;
	int searchnode = node;

	if (node == NUMA_NO_NODE)
		searchnode = numa_mem_id();

	slab = get_partial_node(s, get_node(s, searchnode), pc);
	if (slab || (node != NUMA_NO_NODE && (pc->flags & __GFP_THISNODE)))
		return slab;

	return get_any_partial(s, pc);
}

/* ------------------------------------------------------------------ */
/* Allocation                                                           */

/*
 * kernel: get_freelist, mm/slub.c.  Take slab->freelist for the CPU (local lock held).  The
 * slab ends frozen if it had free objects (a per-CPU partial slab is frozen here), unfrozen
 * and NULL returned if not.
 */
static void *get_freelist(struct kmem_cache *s, struct slab *slab)
{
	struct slab new, old;
	uint64_t counters;
	void *freelist;

	do {
		freelist = slab->freelist;
		counters = slab->counters;

		new.counters = counters;
		new.inuse = slab->objects;
		new.frozen = freelist != NULL;
	} while (!__cmpxchg_double_slab(s, slab, freelist, counters, NULL, new.counters,
					"get_freelist"));

	old.counters = counters;
	if (new.frozen && !old.frozen)		/* a per-CPU partial slab became the cpu slab */
		slab_event(s, slab, SLAB_EV_FREEZE);
	return freelist;
}

/* kernel: freeze_slab, mm/slub.c.  Freeze a slab get_partial took and take its freelist. */
static void *freeze_slab(struct kmem_cache *s, struct slab *slab)
{
	struct slab new;
	uint64_t counters;
	void *freelist;

	do {
		freelist = slab->freelist;
		counters = slab->counters;

		new.counters = counters;
		VM_BUG_ON(s, new.frozen, "freeze_slab: slab already frozen");

		new.inuse = slab->objects;
		new.frozen = 1;
	} while (!cmpxchg_double_slab(s, slab, freelist, counters, NULL, new.counters,
				      "freeze_slab"));

	slab_event(s, slab, SLAB_EV_FREEZE);
	return freelist;
}

/*
 * kernel: ___slab_alloc, mm/slub.c.  Slow path, preemption off.  In order: c->freelist
 * again, the cpu slab's own freelist, the per-CPU partial list, the node partial lists
 * (the requested node alone first), a new slab.
 */
static void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			   struct kmem_cache_cpu *c, unsigned int orig_size)
{
	void *freelist;
	struct slab *slab;
	unsigned long flags;
	struct partial_context pc;
	bool try_thisnode = true;

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
	while (c->partial) {			/* slub_percpu_partial(c), racy */
		local_lock_irqsave_slub(s, flags);
		if (unlikely(c->slab)) {
			local_unlock_irqrestore_slub(s, flags);
			slub_note_retry();
			goto reread_slab;
		}
		if (unlikely(!c->partial)) {
			/* An interrupt emptied the list meanwhile. */
			local_unlock_irqrestore_slub(s, flags);
			goto new_objects;
		}

		slab = c->partial;
		c->partial = slab->next;	/* slub_set_percpu_partial */

		if (likely(node_match(slab, node) && pfmemalloc_match(slab, gfpflags))) {
			c->slab = slab;
			slab_event(s, slab, SLAB_EV_CPU_SLAB);
			freelist = get_freelist(s, slab);
			VM_BUG_ON(s, !freelist, "___slab_alloc: per-CPU partial slab without free objects");
			PATH_LABEL("___slab_alloc:cpu_partial_alloc");
			sim_path_level(3);
			stat(s, CPU_PARTIAL_ALLOC);
			goto load_freelist;
		}

		local_unlock_irqrestore_slub(s, flags);

		/* Wrong node or pfmemalloc state: back to its node list. */
		PATH_LABEL("___slab_alloc:cpu_partial_put");
		slab->next = NULL;
		__put_partials(s, slab);
	}

new_objects:
	PATH_LABEL("___slab_alloc:new_objects");
	pc.flags = gfpflags;
	/* A preferred node without __GFP_THISNODE: that node's partial list and pages first.
	 * (6.12's GFP_NOWAIT is __GFP_KSWAPD_RECLAIM | __GFP_NOWARN.) */
	if (unlikely(node != NUMA_NO_NODE && !(gfpflags & __GFP_THISNODE) && try_thisnode))
		pc.flags = GFP_NOWAIT | __GFP_NOWARN | __GFP_THISNODE;

	pc.orig_size = orig_size;
	slab = get_partial(s, node, &pc);
	if (slab) {
		/* No debug caches in the model: freeze it for this CPU. */
		freelist = freeze_slab(s, slab);
		sim_path_level(4);
		goto retry_load_slab;
	}

	/* The page allocator runs with preemption on: we may come back elsewhere. */
	slub_put_cpu_ptr(s);
	slab = new_slab(s, pc.flags, node);
	c = slub_get_cpu_ptr(s);

	if (unlikely(!slab)) {
		if (node != NUMA_NO_NODE && !(gfpflags & __GFP_THISNODE) && try_thisnode) {
			PATH_LABEL("___slab_alloc:try_thisnode_failed");
			try_thisnode = false;
			goto new_objects;
		}
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
 * kernel: __slab_alloc_node, mm/slub.c.  The lockless fast path: tid first, then the
 * freelist and the slab (any newer value then fails __update_cpu_freelist_fast).
 */
static void *__slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
			       unsigned long addr, size_t orig_size)
{
	struct kmem_cache_cpu *c;
	struct slab *slab;
	uint64_t tid;
	void *object;

redo:
	PATH_AT("__slab_alloc_node:redo");	/* for the steps table only: not in the path */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	object = SIM_READ(c->freelist);	/* plain reads in the kernel; noted for the steps table */
	slab = SIM_READ(c->slab);

	if (unlikely(!object || !slab || !node_match(slab, node))) {
		object = __slab_alloc(s, gfpflags, node, addr, c, (unsigned int)orig_size);
	} else {
		void *next_object = get_freepointer_safe(s, object);

		if (unlikely(!__update_cpu_freelist_fast(s, object, next_object, tid))) {
			PATH_LABEL("__slab_alloc_node:cmpxchg_fail");
			note_cmpxchg_failure("slab_alloc", s, tid);
			goto redo;
		}
		PATH_LABEL("__slab_alloc_node:fastpath");
		sim_path_level(1);
		stat(s, ALLOC_FASTPATH);
	}
	return object;
}

/* kernel: slab_alloc_node, mm/slub.c (no KFENCE, memcg or hooks in the model) */
static void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
			     size_t orig_size)
{
	return __slab_alloc_node(s, gfpflags, node, addr, orig_size);
}

#include "bulk.c"
const struct slub_kops slub_kops_6_12 = {
	.kernel = "6.12",
	.slab_alloc_node = slab_alloc_node,
	.___slab_alloc = ___slab_alloc,
	.do_slab_free = do_slab_free,
	.__slab_free = __slab_free,
	.deactivate_slab = deactivate_slab,
	.put_partials = put_partials,
	.put_partials_cpu = put_partials_cpu,
	.cpu_partial_frozen = false,
	.kmem_cache_alloc_bulk_noprof = kmem_cache_alloc_bulk_noprof,
};
