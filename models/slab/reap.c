/*
 * reap.c - SLAB's periodic reaper and the drains it uses.
 *
 * Main entry: the delayed work slab_reap_work, queued per CPU on the
 * engine's kworkers as deferrable work (sim_work_queue_deferrable: reap_work is
 * INIT_DEFERRABLE_WORK, so an idle CPU does not wake up for it);
 * slab_cache_reap_tick runs a pass by hand (tests, drivers without the
 * work queue).  As in 6.1 the work first fires about one second after the CPU comes
 * up (__round_jiffies_relative(HZ, cpu)) and then every REAPTIMEOUT_AC (2 s,
 * rounded to a whole second skewed by 3 jiffies per CPU).  Each pass, for
 * every cache (newest first): drain the alien array of the round-robin
 * node, trim the CPU's array unless it was touched, and every
 * REAPTIMEOUT_NODE (4 s) per node also trim the shared array and free about
 * a fifth of free_limit worth of free slabs unless one was taken meanwhile.
 *
 * Time: jiffies are the running vCPU's clock in ticks of 1/HZ from the
 * start of the run (the kernel starts at INITIAL_JIFFIES).  There is no
 * slab_mutex in the model (nothing creates caches while a run is going),
 * so cache_reap's trylock always succeeds.
 *
 * Locks: n->list_lock with spin_lock_irq (process context), alien->lock
 * with a trylock; slabs are destroyed after the lock is dropped.
 */
#include <limits.h>
#include <string.h>

#include "slab_int.h"

/* kernel: round_jiffies_common, kernel/time/timer.c */
unsigned long round_jiffies_common(unsigned long j, int cpu, bool force_up)
{
	long rem;
	unsigned long original = j;

	/* Skew each CPU by 3 jiffies so they do not all fire together. */
	j += (unsigned long)cpu * 3;

	rem = (long)(j % slab_hz);

	/* Just past a whole second rounds down, otherwise up. */
	if (rem < (long)slab_hz / 4 && !force_up)
		j = j - rem;
	else
		j = j - rem + slab_hz;

	j -= (unsigned long)cpu * 3;

	/* Never into the past. */
	return time_after(j, jiffies) ? j : original;
}

/* kernel: __round_jiffies_relative, kernel/time/timer.c */
static unsigned long __round_jiffies_relative(unsigned long j, int cpu)
{
	unsigned long j0 = jiffies;

	return round_jiffies_common(j + j0, cpu, false) - j0;
}

/* Jiffies as vCPU clock time. */
static uint64_t jiffies_to_ns(unsigned long j)
{
	return (uint64_t)j * (1000000000u / slab_hz);
}

/*
 * The delayed work slab_reap_work of `cpu`, on that vCPU's kworker: run
 * cache_reap when due, then queue itself for the next due time.  Exactly
 * one item per CPU is pending; a pass run by slab_cache_reap_tick only
 * moves the due time, and the pending item follows it.
 */
static void slab_reap_work(struct sim_vcpu *v, void *arg)
{
	int cpu = v->cpu;

	(void)arg;
	if (!slab_reap_due_ns)
		return;
	if (sim_now() >= slab_reap_due_ns[cpu])
		cache_reap();
	sim_work_queue_deferrable(cpu, slab_reap_due_ns[cpu], slab_reap_work, NULL);
}

/* kernel: start_cpu_timer, mm/slab.c: the first reap of `cpu` (at init) */
void slab_start_cpu_timer(int cpu)
{
	slab_reap_node[cpu] = (unsigned long)((cpu_to_node(cpu) + 1) % nr_node_ids);	/* init_reap_node */
	slab_reap_due_ns[cpu] = jiffies_to_ns(jiffies + __round_jiffies_relative(slab_hz, cpu));
	if (slab_reaper_on)
		sim_work_queue_deferrable(cpu, slab_reap_due_ns[cpu], slab_reap_work, NULL);
}

/* kernel: next_reap_node, mm/slab.c */
static void next_reap_node(int cpu)
{
	slab_reap_node[cpu] = (slab_reap_node[cpu] + 1) % (unsigned long)nr_node_ids;
}

/* kernel: drain_array_locked, mm/slab.c; under n->list_lock */
void drain_array_locked(struct kmem_cache *cachep, struct array_cache *ac, int node, bool free_all,
			struct list_head *list)
{
	int tofree;

	if (!ac || !ac->avail)
		return;

	/* A fifth of the limit per pass, at most about half of what is there. */
	tofree = free_all ? (int)ac->avail : (int)(ac->limit + 4) / 5;
	if (tofree > (int)ac->avail)
		tofree = (int)(ac->avail + 1) / 2;

	/* The oldest entries (the bottom) go back to their slabs. */
	free_block(cachep, ac->entry, tofree, node, list);
	ac->avail -= tofree;
	memmove(ac->entry, &ac->entry[tofree], sizeof(void *) * ac->avail);
}

/*
 * kernel: drain_array, mm/slab.c; process context
 *
 * SIM_GUARD_SLAB_DRAIN_LOCK off: the code before "slab: fix drain_array() so that it works
 * correctly with the shared_array" (2.6.16): how many to free comes from avail read without
 * the lock, only free_block runs under it, and the array is trimmed after the unlock.  The
 * shared array is another CPU's to change under n->list_lock meanwhile (cache_alloc_refill
 * takes its top entries, cache_flusharray adds some), and the per-CPU array an interrupt's
 * once IRQs are back on.
 */
void drain_array(struct kmem_cache *cachep, struct kmem_cache_node *n, struct array_cache *ac, int node)
{
	struct list_head list;
	uint64_t seen;
	int tofree;

	INIT_LIST_HEAD(&list);
	if (!ac || !ac->avail)
		return;

	/* Used since the last pass: a second chance. */
	if (ac->touched) {
		ac->touched = 0;
		return;
	}

	PATH_LABEL("drain_array");
	if (sim_guard_on(SIM_GUARD_SLAB_DRAIN_LOCK)) {
		/* The lock covers the re-read of avail and the trim: it protects the shared array. */
		spin_lock_irq(&n->list_lock);
		drain_array_locked(cachep, ac, node, false, &list);
		spin_unlock_irq(&n->list_lock);
		slabs_destroy(cachep, &list);
		return;
	}

	seen = SIM_READ(ac->avail);	/* unlocked: noted for the steps table */
	tofree = (int)(ac->limit + 4) / 5;
	if (tofree > (int)seen)
		tofree = (int)(seen + 1) / 2;
	spin_lock_irq(&n->list_lock);
	/* free_block acts on the avail read before the lock: for the steps table, its use */
	sim_note_read(&ac->avail, sizeof(ac->avail), &seen);
	free_block(cachep, ac->entry, tofree, node, &list);
	spin_unlock_irq(&n->list_lock);
	/* Model only: fewer entries than were freed are left, and the kernel's avail would wrap
	 * (then memmove about 4 GiB of pointers); the model records it and empties the array. */
	if (unlikely(tofree > (int)ac->avail)) {
		PATH_LABEL("drain_array:avail_underflow");
		slab_bug(cachep, "drain_array: avail below the objects it freed (the kernel's avail wraps)",
			 ac->entry[0]);
		ac->avail = 0;
	} else {
		ac->avail -= (unsigned int)tofree;
		memmove(ac->entry, &ac->entry[tofree], sizeof(void *) * ac->avail);
	}
	/* The trim is the pass's work on the array, as cache_flusharray's after its unlock. */
	sim_yield_cost(SIM_COST_OBJ_OP);
	slabs_destroy(cachep, &list);
}

/*
 * kernel: drain_freelist, mm/slab.c
 *
 * Destroys up to `tofree` slabs from the tail of slabs_free, one lock
 * round each.  Returns how many it destroyed.
 */
int drain_freelist(struct kmem_cache *cache, struct kmem_cache_node *n, int tofree)
{
	struct list_head *p;
	int nr_freed;
	struct slab *slab;

	nr_freed = 0;
	while (nr_freed < tofree && !list_empty(&n->slabs_free)) {
		spin_lock_irq(&n->list_lock);
		p = n->slabs_free.prev;
		if (p == &n->slabs_free) {
			spin_unlock_irq(&n->list_lock);
			goto out;
		}

		slab = list_entry(p, struct slab, slab_list);
		list_del(&slab->slab_list);
		n->free_slabs--;
		n->total_slabs--;
		/* Off every list: the lock may go before the pages do. */
		n->free_objects -= cache->num;
		spin_unlock_irq(&n->list_lock);
		slab_destroy(cache, slab);
		nr_freed++;
	}
out:
	return nr_freed;
}

/* spin_trylock_irq: IRQs off and the lock, or neither. */
static bool spin_trylock_irq(spinlock_t *lock)
{
	local_irq_disable();
	if (spin_trylock(lock))
		return true;
	local_irq_enable();
	return false;
}

/* kernel: reap_alien, mm/slab.c */
static void reap_alien(struct kmem_cache *cachep, struct kmem_cache_node *n, int cpu)
{
	int node = (int)slab_reap_node[cpu];

	if (n->alien) {
		struct alien_cache *alc = n->alien[node];
		struct array_cache *ac;

		if (alc) {
			ac = &alc->ac;
			if (ac->avail && spin_trylock_irq(&alc->lock)) {
				struct list_head list;

				INIT_LIST_HEAD(&list);
				PATH_LABEL("reap_alien");
				__drain_alien_cache(cachep, ac, node, &list);
				spin_unlock_irq(&alc->lock);
				slabs_destroy(cachep, &list);
			}
		}
	}
}

/* kernel: cache_reap, mm/slab.c; on the running vCPU, process context */
void cache_reap(void)
{
	struct list_head *p;
	struct kmem_cache_node *n;
	int cpu = smp_processor_id();
	int node = cpu_to_node(cpu);

	for (p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *searchp = list_entry(p, struct kmem_cache, list);

		n = get_node(searchp, node);

		reap_alien(searchp, n, cpu);

		drain_array(searchp, n, *per_cpu_ptr(searchp->cpu_cache, cpu), node);

		/* Racy in the kernel too: at worst a node is scanned twice or once less. */
		if (time_after(n->next_reap, jiffies))
			goto next;

		n->next_reap = jiffies + REAPTIMEOUT_NODE;

		drain_array(searchp, n, n->shared, node);

		if (n->free_touched) {
			n->free_touched = 0;
		} else {
			int freed;

			freed = drain_freelist(searchp, n, (int)((n->free_limit + 5 * searchp->num - 1) /
								(5 * searchp->num)));
			STATS_ADD_REAPED(searchp, (unsigned long)freed);
		}
next:
		sim_cond_resched();
	}
	next_reap_node(cpu);
	/* round_jiffies_relative(REAPTIMEOUT_AC) on this CPU */
	slab_reap_due_ns[cpu] = jiffies_to_ns(jiffies + __round_jiffies_relative(REAPTIMEOUT_AC, cpu));
}

/* Run cache_reap on `cpu` (the running vCPU) when due; returns when it is due next. */
uint64_t slab_cache_reap_tick(int cpu, uint64_t now_ns)
{
	if (!slab_reap_due_ns || cpu < 0 || cpu >= nr_cpu_ids)
		return UINT64_MAX;
	if (now_ns >= slab_reap_due_ns[cpu])
		cache_reap();
	return slab_reap_due_ns[cpu];
}

/* A pass of the delayed work now (flush_delayed_work), on the running vCPU's kworker. */
void slab_cache_reap_now(void)
{
	if (slab_reap_due_ns)
		cache_reap();
}

/* When cache_reap runs next on `cpu`. */
uint64_t slab_reap_next_ns(int cpu)
{
	if (!slab_reap_due_ns || cpu < 0 || cpu >= nr_cpu_ids)
		return UINT64_MAX;
	return slab_reap_due_ns[cpu];
}

/* kernel: do_drain, mm/slab.c (run for each CPU as on_each_cpu would, from here) */
static void do_drain(struct kmem_cache *cachep, int cpu)
{
	struct array_cache *ac = cachep->cpu_cache[cpu];
	int node = cpu_to_node(cpu);
	struct kmem_cache_node *n = get_node(cachep, node);
	struct list_head list;

	INIT_LIST_HEAD(&list);
	spin_lock_irq(&n->list_lock);
	free_block(cachep, ac->entry, (int)ac->avail, node, &list);
	spin_unlock_irq(&n->list_lock);
	ac->avail = 0;
	slabs_destroy(cachep, &list);
}

/* kernel: drain_alien_cache, mm/slab.c */
static void drain_alien_cache(struct kmem_cache *cachep, struct alien_cache **alien)
{
	for (int i = 0; i < nr_node_ids; i++) {
		struct alien_cache *alc = alien[i];

		if (alc) {
			struct list_head list;
			unsigned long flags;

			INIT_LIST_HEAD(&list);
			spin_lock_irqsave(&alc->lock, flags);
			__drain_alien_cache(cachep, &alc->ac, i, &list);
			spin_unlock_irqrestore(&alc->lock, flags);
			slabs_destroy(cachep, &list);
		}
	}
}

/* kernel: drain_cpu_caches, mm/slab.c */
static void drain_cpu_caches(struct kmem_cache *cachep)
{
	struct kmem_cache_node *n;
	int node;

	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		do_drain(cachep, cpu);
	for_each_kmem_cache_node(cachep, node, n)
		if (n->alien)
			drain_alien_cache(cachep, n->alien);

	for_each_kmem_cache_node(cachep, node, n) {
		struct list_head list;

		INIT_LIST_HEAD(&list);
		spin_lock_irq(&n->list_lock);
		drain_array_locked(cachep, n->shared, node, true, &list);
		spin_unlock_irq(&n->list_lock);

		slabs_destroy(cachep, &list);
	}
}

/* kernel: __kmem_cache_shrink, mm/slab.c: 1 when slabs are still in use */
int __kmem_cache_shrink(struct kmem_cache *cachep)
{
	int ret = 0;
	int node;
	struct kmem_cache_node *n;

	drain_cpu_caches(cachep);

	for_each_kmem_cache_node(cachep, node, n) {
		drain_freelist(cachep, n, INT_MAX);

		ret += !list_empty(&n->slabs_full) || !list_empty(&n->slabs_partial);
	}
	return ret ? 1 : 0;
}

/* The public name of __kmem_cache_shrink (models/slab/slab.h). */
int slab_shrink_cache(struct kmem_cache *s)
{
	return __kmem_cache_shrink(s);
}
