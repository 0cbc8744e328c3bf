/*
 * deactivate.c - flushing cpu slabs (mm/slub.c), the part every modelled kernel shares:
 * flush_slab, __flush_cpu_slab, flush_cpu_slab, flush_all, and the sysfs stores that flush.
 * deactivate_slab (which splices the CPU's freelist into the slab, unfreezes it and puts it
 * on the right list) and the per-CPU partial flush differ by version: KOPS(slub).
 */
#include "slub_int.h"

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
		KOPS(slub)->deactivate_slab(s, slab, freelist);
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
		KOPS(slub)->deactivate_slab(s, slab, freelist);
		stat(s, CPUSLAB_FLUSH);
	}

	KOPS(slub)->put_partials_cpu(s, c);
}

/* kernel: flush_cpu_slab, mm/slub.c (the work item, on the CPU it flushes) */
void flush_cpu_slab(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = this_cpu_ptr(s->cpu_slab);

	if (c->slab)
		flush_slab(s, c);

	KOPS(slub)->put_partials(s);
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
