/*
 * irq.c - interrupts, the timer tick and work items on the vCPUs.
 *
 * An interrupt raised for a vCPU waits in its queue until the vCPU's clock
 * reaches it and its IRQs are on; the handler then runs nested on whatever
 * the vCPU was running (as a kernel interrupt runs on the interrupted
 * task's stack), with IRQs off and hardirq depth raised.  The tick is an
 * interrupt too: it ends the running task's time slice.  Work items run in
 * task context on a per-vCPU kworker (a daemon task), as workqueues do.
 */
#include <assert.h>
#include <stdlib.h>

#include "engine_int.h"

static bool evq_less(const struct sim_evq_item *a, const struct sim_evq_item *b)
{
	return a->ns < b->ns || (a->ns == b->ns && a->seq < b->seq);
}

void sim_evq_push(struct sim_evq *q, uint64_t ns, sim_irq_fn *fn, void *arg)
{
	struct sim_evq_item it = { ns, ++sim->evseq, fn, arg };
	int i;

	if (q->nr == q->cap) {
		int cap = q->cap ? q->cap * 2 : 16;
		struct sim_evq_item *h = realloc(q->heap, (size_t)cap * sizeof(*h));

		if (!h)
			abort();	/* out of host memory */
		q->heap = h;
		q->cap = cap;
	}
	for (i = q->nr++; i > 0; i = (i - 1) / 2) {
		int parent = (i - 1) / 2;

		if (!evq_less(&it, &q->heap[parent]))
			break;
		q->heap[i] = q->heap[parent];
	}
	q->heap[i] = it;
}

struct sim_evq_item sim_evq_pop(struct sim_evq *q)
{
	struct sim_evq_item top = q->heap[0], last = q->heap[--q->nr];
	int i = 0;

	for (;;) {
		int c = 2 * i + 1;

		if (c >= q->nr)
			break;
		if (c + 1 < q->nr && evq_less(&q->heap[c + 1], &q->heap[c]))
			c++;
		if (!evq_less(&q->heap[c], &last))
			break;
		q->heap[i] = q->heap[c];
		i = c;
	}
	if (q->nr)
		q->heap[i] = last;
	return top;
}

void sim_evq_free(struct sim_evq *q)
{
	free(q->heap);
	q->heap = NULL;
	q->nr = q->cap = 0;
}

void sim_irq_raise(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg)
{
	struct sim_vcpu *v = &sim->vcpu[cpu];

	sim_evq_push(&v->irqs, ns, fn, arg);
	sim_vcpu_kick(v, ns);
}

/* Run the handler of the earliest pending interrupt of v, nested on what v runs. */
static void deliver_first(struct sim_vcpu *v)
{
	struct sim_engine *e = sim;
	struct sim_evq_item it = sim_evq_pop(&v->irqs);

	int preempt_at_entry = v->curr ? v->curr->preempt_count : 0;

	v->hardirq++;
	v->irqs_disabled = true;
	v->clock_ns += e->cost[SIM_COST_IRQ_ENTRY];
	v->nr_irqs++;
	e->nr_irqs++;
	it.fn(v, it.arg);
	/* lockdep balance, as sim_op_end checks for an operation: a handler
	 * returns holding no lock it took, and with IRQs still off (kernel:
	 * __handle_irq_event_percpu warns "handler enabled interrupts") */
	assert((!v->curr || v->curr->preempt_count == preempt_at_entry) &&
	       "interrupt handler returns with a lock held");
	assert(v->irqs_disabled && "interrupt handler turned IRQs on");
	(void)preempt_at_entry;
	v->irqs_disabled = false;
	v->hardirq--;
}

void sim_irq_deliver(struct sim_vcpu *v)
{
	while (!v->irqs_disabled && sim_evq_next(&v->irqs) <= v->clock_ns)
		deliver_first(v);
}

/*
 * A schedule's forced decision: take v's earliest pending interrupt now, though
 * it is not due yet.  The clock is not moved to the interrupt's time: a forced
 * decision costs no simulated time (the handler's own steps do), so the
 * interrupted operation's latency stays what its steps cost.  Interrupts due by
 * the clock then follow as sim_irq_deliver takes them.
 */
void sim_irq_deliver_forced(struct sim_vcpu *v)
{
	if (!v->irqs_disabled && v->irqs.nr)
		deliver_first(v);
	sim_irq_deliver(v);
}

/* kernel: scheduler_tick (the part that ends a time slice) */
void sim_irq_tick(struct sim_vcpu *v)
{
	struct sim_engine *e = sim;

	v->nr_ticks++;
	v->clock_ns += e->cost[SIM_COST_IRQ_ENTRY];
	while (v->next_tick_ns <= v->clock_ns)
		v->next_tick_ns += e->tick_ns;
	if (v->clock_ns >= v->slice_end_ns && v->rq_head)
		v->need_resched = true;
}

/* The kworker of a vCPU: run due work items, sleep until the next one. */
static void kworker_loop(struct sim_task *self, void *arg)
{
	struct sim_vcpu *v = arg;

	for (;;) {
		while (sim_evq_next(&v->work) <= v->clock_ns) {
			struct sim_evq_item it = sim_evq_pop(&v->work);
			int preempt_at_entry = self->preempt_count;
			bool irqs_off_at_entry = sim->cur->irqs_disabled;

			it.fn(v, it.arg);
			/* lockdep balance (kernel: process_one_work's lock-held check): a work
			 * item returns holding no lock it took and with IRQs as it found them */
			assert(self->preempt_count == preempt_at_entry &&
			       "work item returns with a lock held");
			assert(sim->cur->irqs_disabled == irqs_off_at_entry &&
			       "work item changed the IRQ state");
			(void)preempt_at_entry;
			(void)irqs_off_at_entry;
		}
		sim_task_sleep_until(sim_evq_next(&v->work));
	}
}

void sim_work_queue(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg)
{
	struct sim_vcpu *v = &sim->vcpu[cpu];
	struct sim_task *k = v->kworker;

	sim_evq_push(&v->work, ns, fn, arg);
	if (!k) {
		k = v->kworker = sim_task_create(cpu, true, -1 - cpu, kworker_loop, v);
		if (!k)
			abort();	/* out of host memory */
		sim_task_set_daemon(k);
		return;
	}
	if (k->state == SIM_TASK_SLEEPING && k->wake_ns > ns) {
		sim_sleepers_remove(v, k);
		k->wake_ns = ns;
		sim_sleepers_insert(v, k);
	}
	sim_vcpu_kick(v, ns);
}

void sim_work_queue_deferrable(int cpu, uint64_t ns, sim_irq_fn *fn, void *arg)
{
	struct sim_vcpu *v = &sim->vcpu[cpu];

	sim_evq_push(&v->dwork, ns, fn, arg);
	sim_vcpu_refresh(v);
}
