/*
 * engine_int.h - what the engine's files (engine.c, sched.c, irq.c) share.
 */
#ifndef KMEMSIM_SIM_ENGINE_INT_H
#define KMEMSIM_SIM_ENGINE_INT_H

#include "engine.h"

/* sched.c: the vCPU to run next (smallest clock; ties decided), NULL if none. */
struct sim_vcpu *sim_sched_pick(void);
/* sched.c: refill the tree of vCPU keys (run start); a vCPU other than the running one
 * changed its clock or parked flag (the running one's key is refreshed at each pick). */
void sim_sched_rebuild(struct sim_engine *e);
void sim_sched_update(struct sim_engine *e, const struct sim_vcpu *v);
/* sched.c: the smallest clock of a vCPU that may run (UINT64_MAX: none). */
uint64_t sim_sched_min_clock(void);
/* sched.c: one scheduling decision among n candidate vCPUs (recorded / replayed). */
int sim_sched_decide(char kind, int n, const int *cands);
void sim_sched_close(struct sim_engine *e);

/* irq.c: time-ordered queues. */
void sim_evq_push(struct sim_evq *q, uint64_t ns, sim_irq_fn *fn, void *arg);
struct sim_evq_item sim_evq_pop(struct sim_evq *q);
static inline uint64_t sim_evq_next(const struct sim_evq *q) { return q->nr ? q->heap[0].ns : UINT64_MAX; }
void sim_evq_free(struct sim_evq *q);
/* irq.c: deliver due interrupts and ticks on v (IRQs on). */
void sim_irq_deliver(struct sim_vcpu *v);
void sim_irq_deliver_forced(struct sim_vcpu *v);	/* the earliest pending one now, due or not */
void sim_irq_tick(struct sim_vcpu *v);

/* engine.c */
void sim_vcpu_refresh(struct sim_vcpu *v);	/* recompute next_event_ns */
void sim_vcpu_kick(struct sim_vcpu *v, uint64_t ns); /* an event for v at ns: leave idle */
void sim_task_wake(struct sim_task *t);		/* SLEEPING -> RUNNABLE on its vCPU */
void sim_sleepers_remove(struct sim_vcpu *v, struct sim_task *t);
void sim_sleepers_insert(struct sim_vcpu *v, struct sim_task *t); /* by (wake_ns, pid) */

#endif
