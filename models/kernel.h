/*
 * kernel.h - the kernel-like primitives the allocator models are written
 * against: spinlocks, IRQ and preemption control, per-CPU access, atomics.
 *
 * Every primitive is a yield point of the simulated machine: it charges its
 * modelled cost to the running vCPU (sim_yield) and may let another vCPU,
 * an interrupt handler or a preempting task run before it returns.  Between
 * two primitives model code runs atomically, so plain C reads and writes of
 * model state between yield points are "one instruction" to everyone else.
 *
 * Guards: each primitive that a race scenario may switch off takes a
 * `enum sim_guard` (see sim/engine/engine.h); with the guard off the primitive
 * still yields (so the interleaving is the same) but does not protect.
 *
 * Implemented in models/primitives.c.  Not here: memory and pages (mm.h).
 */
#ifndef KMEMSIM_MODELS_KERNEL_H
#define KMEMSIM_MODELS_KERNEL_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sim/engine/engine.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define NUMA_NO_NODE (-1)

/*
 * The kernel version the models follow in this run (scenario key "kernel", --kernel).  Code that
 * two versions share reads it nowhere; where they differ, each version has its own function under
 * the kernel's name in the model's version folder (models/slub/6.12/, ...), reached through that
 * model's table of version functions.  Set before the models are initialised (models/version.c).
 */
enum kernel_version { KERNEL_6_1, KERNEL_6_12, NR_KERNEL_VERSIONS };
extern enum kernel_version kernel_version;
const char *kernel_version_name(enum kernel_version v);	/* "6.1", "6.12" */
/* "6.1", "6.12", or a release such as "6.12.118" or "6.1.0-56-amd64"; false if none we model */
bool kernel_version_parse(const char *s, enum kernel_version *v);

/* kernel: fls, include/asm-generic/bitops/fls.h (1-based index of the highest set bit; 0 for 0) */
static inline unsigned int fls_u32(unsigned int x)
{
	return x ? 32u - (unsigned int)__builtin_clz(x) : 0u;
}

/* A spinlock of the simulated machine; waits spin in simulated time. */
typedef struct spinlock {
	int owner;		/* vCPU holding it, -1 when free */
	uint32_t id;		/* row in sim/engine/lockstat.h (stats) */
	uint16_t guard;		/* enum sim_guard; SIM_GUARD_NONE = always on */
	uint64_t acquired_ns;	/* owner's clock when taken (hold time) */
} spinlock_t;

/* local_lock_t: on !PREEMPT_RT it is preempt/IRQ control plus lockdep. */
typedef struct local_lock {
	int owner;		/* vCPU in the section, -1 when none */
} local_lock_t;

void spin_lock_init_named(spinlock_t *lock, const char *name); /* name for the lock table */
#define spin_lock_init(l) spin_lock_init_named((l), #l)
/* Whose lock it is, for the lock table (-1 / NULL: none); not a kernel function. */
void spin_lock_owner(spinlock_t *lock, int cpu, int node, int zone, const char *cache);
void spin_lock(spinlock_t *lock);			/* spins in simulated time */
void spin_unlock(spinlock_t *lock);
bool spin_trylock(spinlock_t *lock);			/* true when taken */
void spin_lock_irqsave_f(spinlock_t *lock, unsigned long *flags);
void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
#define spin_lock_irqsave(l, f) spin_lock_irqsave_f((l), &(f))
void spin_lock_irq(spinlock_t *lock);
void spin_unlock_irq(spinlock_t *lock);
bool spin_is_locked(const spinlock_t *lock);		/* no yield */
/* spin_lock / spin_unlock that a race scenario may switch off by `guard` (the
 * lock's own guard aside): off, they yield and count preemption, nothing else. */
void spin_lock_guarded(spinlock_t *lock, enum sim_guard guard);
void spin_unlock_guarded(spinlock_t *lock, enum sim_guard guard);
bool lockdep_is_held(const spinlock_t *lock);		/* held by this vCPU; no yield */
#define lockdep_assert_held(l) assert(lockdep_is_held(l))

/* IRQ control on the running vCPU. flags hold the previous state. */
void local_irq_save_f(unsigned long *flags);
#define local_irq_save(f) local_irq_save_f(&(f))
void local_irq_restore(unsigned long flags);
void local_irq_disable(void);
void local_irq_enable(void);
bool irqs_disabled(void);				/* no yield */
#define lockdep_assert_irqs_disabled() assert(irqs_disabled())

/* Guarded variants: with `guard` switched off they do not disable IRQs. */
void local_irq_save_guarded(unsigned long *flags, enum sim_guard guard);
void local_irq_restore_guarded(unsigned long flags, enum sim_guard guard);

/* Preemption control of the running task. */
void preempt_disable(void);
void preempt_enable(void);
int preempt_count(void);				/* no yield */
bool in_interrupt(void);				/* hardirq or softirq; no yield */
bool in_task(void);					/* no yield */
void migrate_disable(void);
void migrate_enable(void);

/* local_lock: preempt_disable (+ IRQ off for the _irqsave form) on !RT. */
void local_lock_f(local_lock_t *l);
void local_unlock_f(local_lock_t *l);
void local_lock_irqsave_f(local_lock_t *l, unsigned long *flags);
void local_unlock_irqrestore_f(local_lock_t *l, unsigned long flags);
#define local_lock(l) local_lock_f(l)
#define local_unlock(l) local_unlock_f(l)
#define local_lock_irqsave(l, f) local_lock_irqsave_f((l), &(f))
#define local_unlock_irqrestore(l, f) local_unlock_irqrestore_f((l), (f))

/* CPU and node identity; reading them is a yield point like a this_cpu read. */
int smp_processor_id(void);
int raw_smp_processor_id(void);				/* no yield */
int numa_node_id(void);
int cpu_to_node(int cpu);				/* no yield: static topology */
int nr_cpu_ids_get(void);
#define nr_cpu_ids (nr_cpu_ids_get())
#define num_present_cpus() (nr_cpu_ids_get())
#define num_online_cpus() (nr_cpu_ids_get())
#define num_possible_cpus() (nr_cpu_ids_get())
int nr_node_ids_get(void);
#define nr_node_ids (nr_node_ids_get())
int node_distance(int a, int b);			/* no yield */
int nr_cpus_node(int node);				/* no yield */

/*
 * Per-CPU data: a model keeps an array indexed by CPU id.  this_cpu_ptr
 * reads the CPU id (a yield point, so the task may have migrated by the time
 * it uses the pointer, as in the kernel); raw_cpu_ptr does not yield.
 */
#define this_cpu_ptr(base) (&(base)[smp_processor_id()])
#define raw_cpu_ptr(base) (&(base)[raw_smp_processor_id()])
#define per_cpu_ptr(base, cpu) (&(base)[(cpu)])

/* Shared-state access: a yield point charged as a memory access to `node`. */
void sim_access(int node);				/* node of the data; -1 = local */
/*
 * A read of shared state, noted for the steps table of a race run (sim->read_hook, which
 * says what watched state it is; docs/story.md): no yield, no result depends on it, and
 * without a hook one test of a pointer.  SIM_READ marks a plain read the kernel does
 * without READ_ONCE (the fast path's c->freelist) where a race's story needs it.
 */
static inline void sim_note_read(const void *addr, size_t size, const uint64_t *expected)
{
	if (sim->read_hook)
		sim->read_hook(addr, size, expected, sim->step_arg);
}
#define READ_ONCE(x) (sim_access(-1), sim_note_read(&(x), sizeof(x), NULL), (x))
#define SIM_READ(x) (sim_note_read(&(x), sizeof(x), NULL), (x))
#define WRITE_ONCE(x, v) do { sim_access(-1); (x) = (v); } while (0)

/* Atomics.  Each is one yield point, then the compare-and-set, atomically. */
bool sim_cmpxchg64(uint64_t *p, uint64_t old, uint64_t new_);
bool sim_cmpxchg_double(uint64_t *p1, uint64_t *p2, uint64_t o1, uint64_t o2,
			uint64_t n1, uint64_t n2, enum sim_guard guard);
bool sim_this_cpu_cmpxchg_double(uint64_t *p1, uint64_t *p2, uint64_t o1,
				 uint64_t o2, uint64_t n1, uint64_t n2,
				 enum sim_guard guard);
/*
 * this_cpu_cmpxchg_double(base, f1, f2, ...): on the per-CPU array `base`,
 * compare-and-set fields f1 and f2 of the element of the CPU that executes
 * the instruction (after the yield), as the kernel's %gs-relative cmpxchg16b
 * does: a task that migrated since it read its CPU's fields acts on the new
 * CPU's.  With `guard` off, only f1 is compared.
 */
bool sim_this_cpu_cmpxchg_double_pcpu(void *base, size_t elem_size, size_t off1, size_t off2,
				      uint64_t o1, uint64_t o2, uint64_t n1, uint64_t n2,
				      enum sim_guard guard);
#define this_cpu_cmpxchg_double(base, f1, f2, o1, o2, n1, n2, guard)			\
	sim_this_cpu_cmpxchg_double_pcpu((base), sizeof(*(base)),			\
					 offsetof(__typeof__(*(base)), f1),		\
					 offsetof(__typeof__(*(base)), f2),		\
					 (o1), (o2), (n1), (n2), (guard))
void cpu_relax(void);

/*
 * Where each yield point is: a primitive called from model code first notes the
 * calling function (__func__, a kernel name) for the steps table of a race run
 * (sim/run/steps.c, column func).  One store; no result depends on it.
 * primitives.c defines KMEMSIM_PRIMITIVES_IMPL to see the plain functions.
 */
#ifndef KMEMSIM_PRIMITIVES_IMPL
#define SIM_HERE() (sim->yield_func = __func__)
#define SIM_HERE_AS(f) (sim->yield_func = (f))
#define spin_lock(l) (SIM_HERE(), spin_lock(l))
#define spin_unlock(l) (SIM_HERE(), spin_unlock(l))
#define spin_trylock(l) (SIM_HERE(), spin_trylock(l))
#define spin_lock_irqsave_f(l, f) (SIM_HERE(), spin_lock_irqsave_f((l), (f)))
#define spin_unlock_irqrestore(l, f) (SIM_HERE(), spin_unlock_irqrestore((l), (f)))
#define spin_lock_irq(l) (SIM_HERE(), spin_lock_irq(l))
#define spin_unlock_irq(l) (SIM_HERE(), spin_unlock_irq(l))
#define local_irq_save_f(f) (SIM_HERE(), local_irq_save_f(f))
#define local_irq_restore(f) (SIM_HERE(), local_irq_restore(f))
#define local_irq_disable() (SIM_HERE(), local_irq_disable())
#define local_irq_enable() (SIM_HERE(), local_irq_enable())
#define spin_lock_guarded(l, g) (SIM_HERE(), spin_lock_guarded((l), (g)))
#define spin_unlock_guarded(l, g) (SIM_HERE(), spin_unlock_guarded((l), (g)))
#define local_irq_save_guarded(f, g) (SIM_HERE(), local_irq_save_guarded((f), (g)))
#define local_irq_restore_guarded(f, g) (SIM_HERE(), local_irq_restore_guarded((f), (g)))
#define preempt_disable() (SIM_HERE(), preempt_disable())
#define preempt_enable() (SIM_HERE(), preempt_enable())
#define migrate_disable() (SIM_HERE(), migrate_disable())
#define migrate_enable() (SIM_HERE(), migrate_enable())
#define local_lock_f(l) (SIM_HERE(), local_lock_f(l))
#define local_unlock_f(l) (SIM_HERE(), local_unlock_f(l))
#define local_lock_irqsave_f(l, f) (SIM_HERE(), local_lock_irqsave_f((l), (f)))
#define local_unlock_irqrestore_f(l, f) (SIM_HERE(), local_unlock_irqrestore_f((l), (f)))
#define smp_processor_id() (SIM_HERE(), smp_processor_id())
#define numa_node_id() (SIM_HERE(), numa_node_id())
#define sim_access(n) (SIM_HERE(), sim_access(n))
#define sim_cmpxchg64(p, o, n) (SIM_HERE(), sim_cmpxchg64((p), (o), (n)))
#define sim_cmpxchg_double(p1, p2, o1, o2, n1, n2, g) \
	(SIM_HERE(), sim_cmpxchg_double((p1), (p2), (o1), (o2), (n1), (n2), (g)))
#define sim_this_cpu_cmpxchg_double(p1, p2, o1, o2, n1, n2, g) \
	(SIM_HERE(), sim_this_cpu_cmpxchg_double((p1), (p2), (o1), (o2), (n1), (n2), (g)))
#define sim_this_cpu_cmpxchg_double_pcpu(b, sz, f1, f2, o1, o2, n1, n2, g) \
	(SIM_HERE(), sim_this_cpu_cmpxchg_double_pcpu((b), (sz), (f1), (f2), (o1), (o2), (n1), (n2), (g)))
#define cpu_relax() (SIM_HERE(), cpu_relax())
#define sim_yield(c) (SIM_HERE(), sim_yield(c))
#define sim_yield_cost(c) (SIM_HERE(), sim_yield_cost(c))
#endif

#endif
