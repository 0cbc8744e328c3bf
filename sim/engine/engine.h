/*
 * engine.h - the simulated machine's vCPUs, tasks and yield points.
 *
 * Each vCPU has its own clock.  Model code runs on stackful tasks and reaches
 * the engine only through sim_yield() (called by every kernel-like primitive):
 * the running vCPU's clock advances by the primitive's cost, pending
 * interrupts are delivered (nested on the vCPU) when its IRQs are on,
 * preemption happens when the task's preempt_count is 0, and then the vCPU
 * with the smallest clock runs next (ties: the seeded PRNG, or the schedule
 * being replayed).  Everything here is deterministic in the seed.
 *
 * Without a running engine (unit tests that craft a state and call one model
 * function), sim_yield only advances the current vCPU's clock: see
 * sim_engine_set_cpu().
 */
#ifndef KMEMSIM_SIM_ENGINE_H
#define KMEMSIM_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdio.h>

#include "ctx.h"
#include "prng.h"

#define SIM_MAX_CPUS 1024
#define SIM_MAX_NODES 64

#define SIM_EBADINPUT 2		/* return code and exit status for bad input */
#define SIM_EFAIL 1		/* run-time failure */

/* Costs of primitives, in simulated ns; a table of these is in the scenario. */
enum sim_cost {
	SIM_COST_LOCK,		/* spin_lock / trylock / unlock, uncontended */
	SIM_COST_LOCK_SPIN,	/* one spin iteration on a held lock */
	SIM_COST_IRQ,		/* local_irq_save/restore/disable/enable */
	SIM_COST_PREEMPT,	/* preempt_disable/enable, local_lock */
	SIM_COST_PERCPU,	/* this_cpu read, smp_processor_id */
	SIM_COST_MEM,		/* READ_ONCE/WRITE_ONCE of local shared state */
	SIM_COST_CMPXCHG,	/* cmpxchg */
	SIM_COST_CMPXCHG_DOUBLE,/* cmpxchg_double / this_cpu_cmpxchg_double */
	SIM_COST_IRQ_ENTRY,	/* interrupt entry + exit */
	SIM_COST_CTX_SWITCH,	/* task switch on preemption */
	SIM_COST_PAGE_OP,	/* work of a page allocator step not otherwise charged */
	SIM_COST_OBJ_OP,	/* work of a slab step not otherwise charged */
	SIM_NR_COSTS
};

/* Protections a race scenario can switch off (all on by default). */
enum sim_guard {
	SIM_GUARD_NONE,			/* not switchable */
	SIM_GUARD_SLUB_TID,		/* tid compare in the SLUB fast path */
	SIM_GUARD_SLUB_RECHECK,		/* re-read c->freelist/c->slab under the local lock */
	SIM_GUARD_SLUB_IRQ,		/* IRQs off around the SLUB slow path */
	SIM_GUARD_SLUB_CMPXCHG_DOUBLE,	/* freelist+counters updated together */
	SIM_GUARD_SLAB_IRQ,		/* IRQs off around SLAB's array_cache */
	SIM_GUARD_SLAB_LIST_LOCK,	/* SLAB n->list_lock */
	SIM_GUARD_PCP_LOCK,		/* buddy pcp lock / IRQ protection */
	SIM_GUARD_SLUB_DEACTIVATE_IRQ,	/* deactivate_slab takes n->list_lock with IRQs off */
	SIM_GUARD_SLUB_UNFREEZE_IRQ,	/* __unfreeze_partials takes n->list_lock with IRQs off */
	SIM_GUARD_SLUB_CPU_PARTIAL,	/* put_cpu_partial's IRQ-off section around c->partial */
	SIM_GUARD_PCP_DRAIN_LOCK,	/* drain_pages_zone takes the remote CPU's pcp->lock */
	SIM_GUARD_SLUB_NODE_PARTIAL,	/* 6.12 __slab_free: no list work on a slab off the node list */
	SIM_GUARD_SLAB_DRAIN_LOCK,	/* SLAB drain_array trims the array under n->list_lock */
	SIM_NR_GUARDS
};

/* Execution context of the code running on a vCPU. */
enum sim_context { SIM_CTX_TASK, SIM_CTX_SOFTIRQ, SIM_CTX_HARDIRQ };

struct sim_op;
struct sim_task;
struct sim_vcpu;
struct sim_chooser;
typedef void sim_task_fn(struct sim_task *t, void *arg);

/* Task states: see the diagram at the top of sim/engine/engine.c. */
enum sim_task_state { SIM_TASK_RUNNABLE, SIM_TASK_RUNNING, SIM_TASK_SLEEPING, SIM_TASK_DONE };

struct sim_task {
	struct sim_ctx ctx;		/* saved registers while not running */
	void *stack;			/* owned; SIM_STACK_SIZE bytes */
	int pid;			/* simulated pid (trace pid or synthetic) */
	int cpu;			/* vCPU it runs on or last ran on */
	int pinned_cpu;			/* -1: may migrate */
	int preempt_count;		/* preempt_disable depth; 0 = preemptible */
	int migrate_disable;		/* migrate_disable depth */
	enum sim_task_state state;
	bool idle;			/* the vCPU's idle task */
	bool daemon;			/* the run may end while it still waits (kworkers) */
	uint64_t wake_ns;		/* when SLEEPING: wake at this time */
	struct sim_op *op;		/* innermost operation in flight (or NULL) */
	sim_task_fn *fn;
	void *arg;
	struct sim_task *rq_next;	/* runqueue link */
	uint64_t nr_preempt, nr_migrate;
};

/* Interrupt handler (runs nested on the vCPU with IRQs off) or work item. */
typedef void sim_irq_fn(struct sim_vcpu *v, void *arg);

/* A time-ordered queue of callbacks: pending interrupts, work items. */
struct sim_evq_item { uint64_t ns, seq; sim_irq_fn *fn; void *arg; };
struct sim_evq { struct sim_evq_item *heap; int nr, cap; };

struct sim_vcpu {
	/* What every yield point reads, on the struct's first cache line (the struct is
	 * cache-line aligned): a yield that goes on on the same vCPU touches only this. */
	uint64_t clock_ns;		/* this vCPU's simulated time */
	uint64_t next_event_ns;		/* min(irq, wake, tick): checked at every yield */
	struct sim_task *curr;		/* running task (idle task when none) */
	int cpu, node;
	bool parked;			/* idle with nothing pending: not scheduled */
	bool need_resched;		/* set by the tick when the slice is over */
	bool irqs_disabled;		/* local_irq_* state */
	bool spinning;			/* waiting on a held spinlock (exploration runs others first) */
	int hardirq, softirq;		/* nesting depth of handlers running */
	uint64_t nr_yields;
	/* The rest: events, runqueues, statistics. */
	bool done;			/* nothing will ever run here again */
	bool idle_waiting;		/* idle, clock moved ahead to its next event */
	uint64_t slice_end_ns;		/* end of curr's time slice */
	uint64_t next_tick_ns;		/* next timer tick while a task runs */
	uint64_t idle_from_ns;		/* clock when it went idle (events may land earlier) */
	struct sim_task *idle;		/* this vCPU's idle task */
	struct sim_task *rq_head, *rq_tail; /* runnable tasks waiting here */
	struct sim_evq irqs;		/* pending interrupts, by (time, seq) */
	struct sim_evq work;		/* work items for the kworker, by (time, seq) */
	struct sim_evq dwork;		/* deferrable work: due only while the vCPU is busy */
	struct sim_task *kworker;	/* runs `work`; created on first use */
	struct sim_task *sleepers;	/* sleeping tasks, by (wake_ns, pid) */
	uint64_t nr_irqs, nr_ticks, nr_preempt, nr_migrate_in;
} __attribute__((aligned(64)));


/* Called at every yield point, before anything is delivered or switched. */
typedef void sim_step_fn(struct sim_vcpu *v, uint32_t cost_ns, void *arg);
/* Called when the code that reached yield point `step` (sim->nr_yields then) goes on: whatever
 * ran in between (an interrupt, another vCPU) has reached its own next yield or ended. */
typedef void sim_resume_fn(uint64_t step, void *arg);
/* Called when model code reads shared state (READ_ONCE, SIM_READ, a compare-and-set's expected
 * value: `expected` non-NULL): addr and size of what it read (steps table of a race run). */
typedef void sim_read_fn(const void *addr, size_t size, const uint64_t *expected, void *arg);

/* Engine-wide state; one engine per process at a time (`sim`). */
struct sim_engine {
	/* What every yield point reads and writes, on the first cache line. */
	struct sim_vcpu *cur;		/* running vCPU */
	uint64_t nr_yields;
	/* sched.c: the smallest key of the vCPUs other than the running one (0: not known;
	 * the next pick works it out).  While the running vCPU's clock is below it, a pick
	 * is no decision and nothing else is read. */
	uint64_t sched_rest_min;
	struct sim_chooser *chooser;	/* exploration: decides at every yield (sim/engine/schedule.h) */
	sim_step_fn *step_hook;		/* called at every yield point when set (steps table) */
	sim_resume_fn *resume_hook;	/* called when the code after a yield point goes on (steps table) */
	const char *yield_func;		/* function that called the yield's primitive (__func__), NULL unknown (for step_hook) */
	int yield_kind;			/* enum sim_cost of the yield in progress, -1 unnamed (for step_hook) */
	int pick_kind;			/* yield_kind of the yield being decided (for the chooser) */
	bool running;			/* inside sim_engine_run */
	bool started;			/* the first task has been entered */
	int preempt_model;		/* SIM_PREEMPT_* */
	void *step_arg;
	sim_read_fn *read_hook;		/* called at reads of shared state (steps table); NULL elsewhere */
	uint32_t cost[SIM_NR_COSTS];
	bool guard_off[SIM_NR_GUARDS];
	int nr_cpus, nr_nodes;
	int node_nr_cpus[SIM_MAX_NODES];	/* vCPUs of each node (nr_cpus_node) */
	struct sim_vcpu vcpu[SIM_MAX_CPUS];
	/* sched.c: tournament tree of the vCPUs' keys (clock, UINT64_MAX when parked): leaf of
	 * vCPU i at sched_leaves + i, each inner node the smaller key of its two children and
	 * the number of leaves under it that hold that key, the first of them in vCPU order.
	 * The running vCPU's leaf is refreshed when a pick needs the tree. */
	int sched_leaves;
	struct sim_sched_node { uint64_t key; uint32_t cnt, first; } sched[2 * SIM_MAX_CPUS];
	/* sched.c: a tie round.  After a tie on key tie_key, the vCPUs still on it (tie_bits,
	 * tie_wcnt[w] of them in word w, tie_cnt in all) while no other vCPU's key moved:
	 * the next picks draw among them without the tree.  The vCPUs that left the key
	 * since (tie_dirty) have stale leaves, refreshed when the round ends. */
	bool tie_valid;
	uint64_t tie_key;
	int tie_cnt, tie_nr_dirty;
	uint64_t tie_bits[SIM_MAX_CPUS / 64];
	uint16_t tie_wcnt[SIM_MAX_CPUS / 64];
	int tie_dirty[SIM_MAX_CPUS];
	int distance[SIM_MAX_NODES][SIM_MAX_NODES];
	uint64_t slice_ns;		/* time slice */
	uint32_t migrate_pct;		/* chance a preempted task moves to another vCPU */
	uint64_t tick_ns;		/* timer tick period; 0 = no tick */
	uint64_t seq;			/* last operation sequence number given */
	uint64_t evseq;			/* sequence of queued events (ties by order queued) */
	struct sim_prng prng_sched;	/* tie-breaks and migration targets */
	struct sim_prng prng_model;	/* model choices (shuffles, random words) */
	struct sim_prng prng_irq;	/* device interrupt arrivals */
	uint64_t seed;
	int nr_live;			/* non-daemon tasks not done */
	bool stopping;			/* sim_engine_stop was called */
	char fail_reason[256];		/* why sim_engine_fail stopped the run, or "" */
	struct sim_ctx main_ctx;	/* the host stack that called sim_engine_run */
	struct sim_task **tasks;	/* every task created, for destroy */
	int nr_tasks, cap_tasks;
	FILE *sched_out;		/* schedule being recorded */
	FILE *sched_in;			/* schedule being replayed */
	char *sched_in_path;
	uint64_t sched_nr;		/* decisions taken so far */
	bool sched_diverged;		/* replay did not match: run stopped */
	uint64_t nr_switches, nr_preemptions, nr_migrations, nr_irqs;
	uint64_t nr_tie_rounds;		/* sched.c: tie rounds begun (tests see them happen) */
};

enum { SIM_PREEMPT_NONE, SIM_PREEMPT_VOLUNTARY, SIM_PREEMPT_FULL };

extern struct sim_engine *sim;		/* the current engine */

/* Create the engine for a machine (cpus, nodes, distances, costs, guards, seed). */
/* The machine and the engine's settings: plain values, filled from a scenario by sim/scenario. */
struct sim_engine_cfg {
	int nr_nodes;
	int nr_cpus[SIM_MAX_NODES];		/* vCPUs of each node, numbered node by node */
	int distance[SIM_MAX_NODES][SIM_MAX_NODES];
	uint32_t cost[SIM_NR_COSTS];		/* simulated ns per primitive */
	bool guard_off[SIM_NR_GUARDS];
	int preempt_model;			/* SIM_PREEMPT_* */
	uint64_t slice_ns;
	uint32_t migrate_pct;
	uint32_t hz;				/* timer tick; 0 = none */
	uint64_t seed;
};

struct sim_engine *sim_engine_create(const struct sim_engine_cfg *cfg);
void sim_engine_destroy(struct sim_engine *e);
/* Make `cpu` current without running the engine (unit tests). */
void sim_engine_set_cpu(int cpu);

/* A task that runs fn(t, arg) on `cpu`; pinned when `pinned`. */
struct sim_task *sim_task_create(int cpu, bool pinned, int pid, sim_task_fn *fn, void *arg);
/* Put a sleeping task to sleep until `ns` (called by the task itself). */
void sim_task_sleep_until(uint64_t ns);
/* Voluntary preemption point (cond_resched). */
void sim_cond_resched(void);

/* Raise an interrupt on `cpu` at simulated time `ns`; fn runs as a hardirq. */
void sim_irq_raise(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg);
/* Queue work for `cpu`'s kworker at time `ns`; fn runs in task context. */
void sim_work_queue(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg);
/* Deferrable work (INIT_DEFERRABLE_WORK): an idle vCPU does not wake up for it;
 * it is queued to the kworker once the vCPU runs a task past `ns`. */
void sim_work_queue_deferrable(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg);
/* Mark a task as a daemon: the run ends without waiting for it. */
void sim_task_set_daemon(struct sim_task *t);

/* Record every scheduling choice to `path` / replay them from it (before run). 0 or -1. */
int sim_schedule_record(const char *path);
int sim_schedule_replay(const char *path, FILE *err);
/* Whole-run PRNG stream for model choices (freelist shuffles, random seeds). */
struct sim_prng *sim_prng_model(void);

/* Run every task to completion.  Returns 0, or -1 when stopped early. */
int sim_engine_run(void);
/* Stop the run from model code (an invariant broke, an error). */
void sim_engine_stop(void);
/* Stop the run and keep a reason (a deadlock, a diverged schedule); see fail_reason. */
void sim_engine_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The yield point: charge `cost_ns` to the running vCPU, then let others run. */
void sim_yield(uint32_t cost_ns);
static inline void sim_yield_cost(enum sim_cost c) { sim->yield_kind = (int)c; sim_yield(sim->cost[c]); }
/* Cost of touching memory of `node` from the running vCPU (NUMA-scaled). */
uint32_t sim_mem_cost(int node);

static inline struct sim_vcpu *sim_cur(void) { return sim->cur; }
static inline uint64_t sim_now(void) { return sim->cur->clock_ns; }
static inline bool sim_guard_on(enum sim_guard g) { return !sim->guard_off[g]; }
/* Context of the running code. */
static inline enum sim_context sim_context(void)
{
	const struct sim_vcpu *v = sim->cur;

	return v->hardirq ? SIM_CTX_HARDIRQ : v->softirq ? SIM_CTX_SOFTIRQ : SIM_CTX_TASK;
}

/* The rest of the engine's interface: operations and their paths, lock statistics,
 * schedules and the choosers that explore them, output files. */
#include "path.h"
#include "lockstat.h"
#include "schedule.h"
#include "outfile.h"

#endif
