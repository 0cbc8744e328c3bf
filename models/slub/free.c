/*
 * free.c - SLUB object free (Linux 6.1.192 mm/slub.c): slab_free, the
 * lockless fast path do_slab_free (objects of this CPU's cpu slab go on
 * c->freelist) and the slow path __slab_free (everything else, into
 * slab->freelist by cmpxchg_double, with the list work that follows).
 *
 * Levels: L1 fast path, L2 slow path.  What happened to the slab is in the
 * labels: __slab_free:frozen (it was frozen, no list work),
 * :cpu_partial (it was full, we froze it onto this CPU's partial chain),
 * :no_list_change (it stays on its node list), :keep_empty (empty, kept on
 * the node list for min_partial), :slab_empty (empty, freed).
 *
 * Concurrency: anyone may free into any slab.  The cmpxchg on (freelist,
 * counters) orders concurrent frees and the owner's get_freelist; a free
 * that may need a list change takes n->list_lock before the cmpxchg and
 * drops it when the cmpxchg fails.
 */
#include "slub_int.h"

/*
 * kernel: __slab_free, mm/slub.c.  Free cnt objects head..tail (linked)
 * into their slab, which is not this CPU's cpu slab.
 */
void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
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
void do_slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
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

/*
 * kernel: slab_free_freelist_hook, mm/slub.c.  No memcg, KASAN quarantine
 * or init_on_free, so every object stays: the hook rebuilds the list
 * head..tail in reverse order (a one-object list gets a NULL free pointer).
 */
static void slab_free_freelist_hook(struct kmem_cache *s, void **head, void **tail)
{
	void *object, *next = *head;
	void *old_tail = *tail ? *tail : *head;

	*head = NULL;
	*tail = NULL;
	do {
		object = next;
		next = get_freepointer(s, object);
		set_freepointer(s, object, *head);
		*head = object;
		if (!*tail)
			*tail = object;
	} while (object != old_tail);

	if (*head == *tail)
		*tail = NULL;
}

/* kernel: slab_free, mm/slub.c */
void slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail, int cnt,
	       unsigned long addr)
{
	slab_free_freelist_hook(s, &head, &tail);
	do_slab_free(s, slab, head, tail, cnt, addr);
}
