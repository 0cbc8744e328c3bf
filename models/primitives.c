/*
 * primitives.c - the kernel-like primitives of models/kernel.h.
 *
 * Each one is a yield point.  Where it sits relative to the action follows
 * what others can observe on a real machine: a primitive that closes a
 * window (local_irq_disable, spin_lock, preempt_disable) yields before
 * acting, one that opens a window (local_irq_enable, spin_unlock,
 * preempt_enable) acts and then yields, so a pending interrupt or a waiting
 * preemption happens right where the kernel would take it.  After a yield
 * the task may be on another vCPU: always re-read sim->cur.
 *
 * Spinlocks spin in simulated time.  A lock that the spinning vCPU itself
 * holds (an interrupt handler taking a lock its interrupted code holds, the
 * deadlock irqsave prevents) would spin forever: the run is stopped with
 * sim_engine_fail instead.
 */
#include <stdio.h>
#include <string.h>

#define KMEMSIM_PRIMITIVES_IMPL	/* the plain functions, not kernel.h's call-site macros */
#include "../sim/engine/engine.h"
#include "kernel.h"

static inline struct sim_task *curr_task(void)
{
	return sim->cur->curr;
}

static bool lock_guarded(const spinlock_t *lock)
{
	return lock->guard == SIM_GUARD_NONE || sim_guard_on((enum sim_guard)lock->guard);
}

/* ---- spinlocks ----------------------------------------------------------- */

void spin_lock_init_named(spinlock_t *lock, const char *name)
{
	lock->owner = -1;
	lock->guard = SIM_GUARD_NONE;
	lock->acquired_ns = 0;
	lock->id = sim_lockstat_register(name);
}

/* Not a kernel function: the lock table's cpu, node, zone and cache columns. */
void spin_lock_owner(spinlock_t *lock, int cpu, int node, int zone, const char *cache)
{
	sim_lockstat_owner(lock->id, cpu, node, zone, cache);
}

static void lock_acquire(spinlock_t *lock, uint64_t start_ns, bool contended)
{
	struct sim_vcpu *v = sim->cur;
	struct sim_lockstat *st = sim_lockstat_at(lock->id);
	uint64_t wait = v->clock_ns - start_ns;
	struct sim_op *op = v->curr->op;

	lock->owner = v->cpu;
	lock->acquired_ns = v->clock_ns;
	if (st) {
		st->acquired++;
		if (contended) {
			st->contended++;
			st->wait_ns += wait;
			if (wait > st->max_wait_ns)
				st->max_wait_ns = wait;
		}
	}
	if (contended && op)
		op->lock_wait_ns += wait;
}

void spin_lock(spinlock_t *lock)
{
	uint64_t start;
	bool contended = false;
	const char *func = sim->yield_func;	/* each spin step is the caller's too */

	curr_task()->preempt_count++;
	sim_yield_cost(SIM_COST_LOCK);
	if (!lock_guarded(lock))
		return;
	start = sim->cur->clock_ns;
	while (lock->owner >= 0) {
		if (lock->owner == sim->cur->cpu) {
			struct sim_lockstat *st = sim_lockstat_at(lock->id);

			sim_engine_fail("deadlock: vCPU %d spins on %s, which it holds itself",
					sim->cur->cpu, st ? st->name : "a lock");
			return;
		}
		contended = true;
		sim->cur->spinning = true;
		sim->yield_func = func;
		sim_yield_cost(SIM_COST_LOCK_SPIN);
		sim->cur->spinning = false;
	}
	lock_acquire(lock, start, contended);
}

bool spin_trylock(spinlock_t *lock)
{
	curr_task()->preempt_count++;
	sim_yield_cost(SIM_COST_LOCK);
	if (!lock_guarded(lock))
		return true;
	if (lock->owner >= 0) {
		struct sim_lockstat *st = sim_lockstat_at(lock->id);

		if (st)
			st->failed_trylock++;
		curr_task()->preempt_count--;
		return false;
	}
	lock_acquire(lock, sim->cur->clock_ns, false);
	return true;
}

void spin_unlock(spinlock_t *lock)
{
	if (lock_guarded(lock)) {
		struct sim_lockstat *st = sim_lockstat_at(lock->id);

		assert(lock->owner == sim->cur->cpu);
		if (st)
			st->hold_ns += sim->cur->clock_ns - lock->acquired_ns;
		lock->owner = -1;
	}
	curr_task()->preempt_count--;
	sim_yield_cost(SIM_COST_LOCK);
}

void spin_lock_guarded(spinlock_t *lock, enum sim_guard guard)
{
	if (sim_guard_on(guard)) {
		spin_lock(lock);
		return;
	}
	curr_task()->preempt_count++;
	sim_yield_cost(SIM_COST_LOCK);
}

void spin_unlock_guarded(spinlock_t *lock, enum sim_guard guard)
{
	if (sim_guard_on(guard)) {
		spin_unlock(lock);
		return;
	}
	curr_task()->preempt_count--;
	sim_yield_cost(SIM_COST_LOCK);
}

void spin_lock_irqsave_f(spinlock_t *lock, unsigned long *flags)
{
	const char *func = sim->yield_func;	/* both yield points are the caller's */

	local_irq_save_f(flags);
	sim->yield_func = func;
	spin_lock(lock);
}

void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	const char *func = sim->yield_func;	/* both yield points are the caller's */

	spin_unlock(lock);
	sim->yield_func = func;
	local_irq_restore(flags);
}

void spin_lock_irq(spinlock_t *lock)
{
	const char *func = sim->yield_func;	/* both yield points are the caller's */

	local_irq_disable();
	sim->yield_func = func;
	spin_lock(lock);
}

void spin_unlock_irq(spinlock_t *lock)
{
	const char *func = sim->yield_func;	/* both yield points are the caller's */

	spin_unlock(lock);
	sim->yield_func = func;
	local_irq_enable();
}

bool spin_is_locked(const spinlock_t *lock)
{
	return lock->owner >= 0;
}

bool lockdep_is_held(const spinlock_t *lock)
{
	return !lock_guarded(lock) || lock->owner == sim->cur->cpu;
}

/* ---- interrupts ---------------------------------------------------------- */

void local_irq_save_f(unsigned long *flags)
{
	sim_yield_cost(SIM_COST_IRQ);
	*flags = sim->cur->irqs_disabled;
	sim->cur->irqs_disabled = true;
}

void local_irq_restore(unsigned long flags)
{
	sim->cur->irqs_disabled = flags != 0;
	sim_yield_cost(SIM_COST_IRQ);
}

void local_irq_disable(void)
{
	sim_yield_cost(SIM_COST_IRQ);
	sim->cur->irqs_disabled = true;
}

void local_irq_enable(void)
{
	sim->cur->irqs_disabled = false;
	sim_yield_cost(SIM_COST_IRQ);
}

bool irqs_disabled(void)
{
	return sim->cur->irqs_disabled;
}

void local_irq_save_guarded(unsigned long *flags, enum sim_guard guard)
{
	if (sim_guard_on(guard)) {
		local_irq_save_f(flags);
		return;
	}
	sim_yield_cost(SIM_COST_IRQ);
	*flags = sim->cur->irqs_disabled;
}

void local_irq_restore_guarded(unsigned long flags, enum sim_guard guard)
{
	if (sim_guard_on(guard)) {
		local_irq_restore(flags);
		return;
	}
	sim_yield_cost(SIM_COST_IRQ);
}

/* ---- preemption ---------------------------------------------------------- */

void preempt_disable(void)
{
	sim_yield_cost(SIM_COST_PREEMPT);
	curr_task()->preempt_count++;
}

void preempt_enable(void)
{
	assert(curr_task()->preempt_count > 0);
	curr_task()->preempt_count--;
	sim_yield_cost(SIM_COST_PREEMPT);
}

int preempt_count(void)
{
	return curr_task()->preempt_count;
}

bool in_interrupt(void)
{
	return sim->cur->hardirq || sim->cur->softirq;
}

bool in_task(void)
{
	return !in_interrupt();
}

void migrate_disable(void)
{
	sim_yield_cost(SIM_COST_PREEMPT);
	curr_task()->migrate_disable++;
}

void migrate_enable(void)
{
	curr_task()->migrate_disable--;
	sim_yield_cost(SIM_COST_PREEMPT);
}

void local_lock_f(local_lock_t *l)
{
	preempt_disable();
	l->owner = sim->cur->cpu;
}

void local_unlock_f(local_lock_t *l)
{
	l->owner = -1;
	preempt_enable();
}

void local_lock_irqsave_f(local_lock_t *l, unsigned long *flags)
{
	local_irq_save_f(flags);
	l->owner = sim->cur->cpu;
}

void local_unlock_irqrestore_f(local_lock_t *l, unsigned long flags)
{
	l->owner = -1;
	local_irq_restore(flags);
}

/* ---- identity and topology ----------------------------------------------- */

int smp_processor_id(void)
{
	sim_yield_cost(SIM_COST_PERCPU);
	return sim->cur->cpu;
}

int raw_smp_processor_id(void)
{
	return sim->cur->cpu;
}

int numa_node_id(void)
{
	sim_yield_cost(SIM_COST_PERCPU);
	return sim->cur->node;
}

int cpu_to_node(int cpu)
{
	return sim->vcpu[cpu].node;
}

int nr_cpu_ids_get(void)
{
	return sim->nr_cpus;
}

int nr_node_ids_get(void)
{
	return sim->nr_nodes;
}

int node_distance(int a, int b)
{
	return sim->distance[a][b];
}

int nr_cpus_node(int node)
{
	return node >= 0 && node < SIM_MAX_NODES ? sim->node_nr_cpus[node] : 0;
}

/* ---- shared memory and atomics ------------------------------------------- */

void sim_access(int node)
{
	sim->yield_kind = SIM_COST_MEM;
	sim_yield(sim_mem_cost(node));
}

bool sim_cmpxchg64(uint64_t *p, uint64_t old, uint64_t new_)
{
	sim_yield_cost(SIM_COST_CMPXCHG);
	sim_note_read(p, sizeof(*p), &old);
	if (*p != old)
		return false;
	*p = new_;
	return true;
}

static bool cmpxchg_double_now(uint64_t *p1, uint64_t *p2, uint64_t o1, uint64_t o2,
			       uint64_t n1, uint64_t n2, enum sim_guard guard)
{
	bool whole = sim_guard_on(guard);

	sim_note_read(p1, sizeof(*p1), &o1);	/* the values it read before, and expects */
	sim_note_read(p2, sizeof(*p2), &o2);
	if (*p1 != o1 || (whole && *p2 != o2))
		return false;
	*p1 = n1;
	*p2 = n2;
	return true;
}

bool sim_cmpxchg_double(uint64_t *p1, uint64_t *p2, uint64_t o1, uint64_t o2,
			uint64_t n1, uint64_t n2, enum sim_guard guard)
{
	sim_yield_cost(SIM_COST_CMPXCHG_DOUBLE);
	return cmpxchg_double_now(p1, p2, o1, o2, n1, n2, guard);
}

bool sim_this_cpu_cmpxchg_double(uint64_t *p1, uint64_t *p2, uint64_t o1,
				 uint64_t o2, uint64_t n1, uint64_t n2,
				 enum sim_guard guard)
{
	return sim_cmpxchg_double(p1, p2, o1, o2, n1, n2, guard);
}

bool sim_this_cpu_cmpxchg_double_pcpu(void *base, size_t elem_size, size_t off1, size_t off2,
				      uint64_t o1, uint64_t o2, uint64_t n1, uint64_t n2,
				      enum sim_guard guard)
{
	char *elem;

	sim_yield_cost(SIM_COST_CMPXCHG_DOUBLE);
	elem = (char *)base + (size_t)sim->cur->cpu * elem_size;
	return cmpxchg_double_now((uint64_t *)(void *)(elem + off1), (uint64_t *)(void *)(elem + off2),
				  o1, o2, n1, n2, guard);
}

void cpu_relax(void)
{
	sim_yield_cost(SIM_COST_LOCK_SPIN);
}
