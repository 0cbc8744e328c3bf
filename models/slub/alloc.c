/*
 * alloc.c - SLUB object allocation (Linux 6.1.192 mm/slub.c):
 * slab_alloc_node, the lockless fast path on (c->freelist, c->tid), and the
 * slow path __slab_alloc / ___slab_alloc with every label of 6.1.192
 * (reread_slab, redo, load_freelist, deactivate_slab, new_slab,
 * new_objects, retry_load_slab; no check_new_slab since the stable series
 * removed it), plus get_freelist.
 *
 * Where each allocation is satisfied (sim_path_level):
 *   L1 c->freelist (fast path, or found refilled under the local lock)
 *   L2 c->slab's freelist taken over by get_freelist (ALLOC_REFILL)
 *   L3 a slab from this CPU's partial chain (CPU_PARTIAL_ALLOC)
 *   L4 a slab from a node partial list (get_partial: ALLOC_FROM_PARTIAL)
 *   L5 a new slab (new_slab: ALLOC_SLAB)
 *
 * Concurrency: the fast path disables nothing; the task may migrate or be
 * interrupted between reading c, tid, c->freelist and the cmpxchg, which
 * fails (and we redo) unless (freelist, tid) of the CPU now running are
 * unchanged.  ___slab_alloc runs with preemption off (IRQs on) and takes the
 * local lock (IRQs off) for each look at c; it re-checks c->slab under the
 * lock because an interrupt may have changed it, and new_slab runs with
 * preemption on, so c is fetched again after it.
 */
#include "slub_int.h"

/* kernel: node_match, mm/slub.c */
static inline int node_match(struct slab *slab, int node)
{
	if (node != NUMA_NO_NODE && slab_nid(slab) != node)
		return 0;
	return 1;
}

/*
 * kernel: get_freelist, mm/slub.c.  Take slab->freelist for the CPU.  The
 * slab stays frozen if it had free objects; if not, the same cmpxchg
 * unfreezes it and NULL is returned.  Local lock held.
 */
void *get_freelist(struct kmem_cache *s, struct slab *slab)
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
void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
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
 * kernel: __slab_alloc, mm/slub.c.  The fast path's c may belong to a CPU
 * the task has left: disable preemption and fetch it again.
 */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
		   struct kmem_cache_cpu *c, unsigned int orig_size)
{
	void *p;

	c = slub_get_cpu_ptr(s);
	p = ___slab_alloc(s, gfpflags, node, addr, c, orig_size);
	slub_put_cpu_ptr(s);
	return p;
}

/*
 * kernel: slab_alloc_node, mm/slub.c.  The lockless fast path: tid first,
 * then the freelist and the slab (any newer value then fails the cmpxchg).
 */
void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
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
	object = c->freelist;
	slab = c->slab;

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
