/*
 * deactivate.c - giving a cpu slab back (Linux 6.1.192 mm/slub.c):
 * deactivate_slab, which splices the CPU's freelist into the slab, unfreezes
 * it and puts it on the right list (or frees it), and the flushes built on
 * it: flush_slab, __flush_cpu_slab, flush_cpu_slab, flush_all.
 *
 * deactivate_slab runs with IRQs on and takes n->list_lock only when the
 * slab goes on the partial list, and then before the cmpxchg that unfreezes
 * it, so that acquire_slab never finds a frozen slab on a list.  The caller
 * has already detached the slab from its kmem_cache_cpu (and bumped tid).
 */
#include "slub_int.h"

/* kernel: deactivate_slab, mm/slub.c */
void deactivate_slab(struct kmem_cache *s, struct slab *slab, void *freelist)
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

/* kernel: flush_slab, mm/slub.c */
void flush_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	unsigned long flags;
	struct slab *slab;
	void *freelist;

	local_lock_irqsave_slub(s, flags);

	slab = c->slab;
	freelist = c->freelist;

	c->slab = NULL;
	c->freelist = NULL;
	c->tid = next_tid(c->tid);

	local_unlock_irqrestore_slub(s, flags);

	if (slab) {
		deactivate_slab(s, slab, freelist);
		stat(s, CPUSLAB_FLUSH);
	}
}

/* kernel: __flush_cpu_slab, mm/slub.c (the CPU runs no SLUB code meanwhile) */
void __flush_cpu_slab(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
	void *freelist = c->freelist;
	struct slab *slab = c->slab;

	c->slab = NULL;
	c->freelist = NULL;
	c->tid = next_tid(c->tid);

	if (slab) {
		deactivate_slab(s, slab, freelist);
		stat(s, CPUSLAB_FLUSH);
	}

	unfreeze_partials_cpu(s, c);
}

/* kernel: flush_cpu_slab, mm/slub.c (the work item, on the CPU it flushes) */
void flush_cpu_slab(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = this_cpu_ptr(s->cpu_slab);

	if (c->slab)
		flush_slab(s, c);

	unfreeze_partials(s);
}

/* kernel: has_cpu_slab, mm/slub.c */
bool has_cpu_slab(int cpu, struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	return c->slab || c->partial;
}

/* The work items of one flush_all and the count the caller waits on. */
struct slub_flush_work {
	struct kmem_cache *s;
	int pending;
};

static void flush_work_fn(struct sim_vcpu *v, void *arg)
{
	struct slub_flush_work *sfw = arg;

	(void)v;
	flush_cpu_slab(sfw->s);
	sfw->pending--;
}

/*
 * kernel: flush_all / flush_all_cpus_locked, mm/slub.c.  In a running
 * simulation, from a task: flush_cpu_slab is queued on the kworker of every
 * CPU with something to flush and the caller sleeps until all are done, as
 * flush_work does.  Outside a run (set-up, tests, the end) there are no
 * kworkers: the caller flushes its own CPU as the work item would and the
 * others as __flush_cpu_slab does for a dead CPU.
 */
void flush_all(struct kmem_cache *s)
{
	struct slub_flush_work sfw = { .s = s, .pending = 0 };
	int self;

	if (sim->running && in_task()) {
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			if (!has_cpu_slab(cpu, s))
				continue;
			sfw.pending++;
			sim_work_queue(cpu, sim_now(), flush_work_fn, &sfw);
		}
		while (sfw.pending > 0)
			sim_task_sleep_until(sim_now() + sim->cost[SIM_COST_CTX_SWITCH] + 1);
		return;
	}
	self = raw_smp_processor_id();
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!has_cpu_slab(cpu, s))
			continue;
		if (cpu == self)
			flush_cpu_slab(s);
		else
			__flush_cpu_slab(s, cpu);
	}
}

/* kernel: cpu_partial_store, mm/slub.c (sysfs) */
int slub_store_cpu_partial(struct kmem_cache *s, unsigned int objects)
{
	if (objects && !kmem_cache_has_cpu_partial(s))
		return SIM_EBADINPUT;
	slub_set_cpu_partial(s, objects);
	flush_all(s);
	return 0;
}

/* kernel: min_partial_store, mm/slub.c */
void slub_store_min_partial(struct kmem_cache *s, unsigned long min)
{
	s->min_partial = min;
}
