/*
 * free.c - SLUB object free, the part every modelled kernel shares (mm/slub.c):
 * slab_free and slab_free_freelist_hook.  The fast path do_slab_free and the slow path
 * __slab_free differ between 6.1 and 6.12 and are in models/slub/<version>/slub.c.
 *
 * Levels: L1 fast path, L2 slow path.  What happened to the slab is in the
 * labels: __slab_free:frozen (it was frozen, no list work),
 * :cpu_partial (it was full and went on this CPU's partial list),
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
	KOPS(slub)->do_slab_free(s, slab, head, tail, cnt, addr);
}
