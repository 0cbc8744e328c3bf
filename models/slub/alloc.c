/*
 * alloc.c - SLUB object allocation, the part every modelled kernel shares (mm/slub.c):
 * __slab_alloc.  The fast path slab_alloc_node, the slow path ___slab_alloc with its
 * labels, get_freelist and the partial-list searches differ between 6.1 and 6.12 and are
 * in models/slub/<version>/slub.c (struct slub_kops; levels L1..L5 in slub.h).
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

/*
 * kernel: __slab_alloc, mm/slub.c.  The fast path's c may belong to a CPU
 * the task has left: disable preemption and fetch it again.
 */
void *__slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
		   struct kmem_cache_cpu *c, unsigned int orig_size)
{
	void *p;

	c = slub_get_cpu_ptr(s);
	p = KOPS(slub)->___slab_alloc(s, gfpflags, node, addr, c, orig_size);
	slub_put_cpu_ptr(s);
	return p;
}
