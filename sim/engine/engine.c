/*
 * engine.c - vCPUs, tasks and the yield point: the core of the simulator.
 *
 * Main entry: sim_yield(), called by every kernel-like primitive.  It charges
 * the primitive's cost to the running vCPU, delivers what is due on it
 * (interrupts, ticks, wake-ups: irq.c), preempts the task if it may, and
 * switches to the vCPU with the smallest clock (sched.c).  Switching vCPUs is
 * one context switch straight into the other vCPU's current task; the host
 * stack (main_ctx) is only left at the start and returned to at the end.
 *
 * Task states and the functions that move them:
 *
 *   sim_task_create --> RUNNABLE (on a vCPU's runqueue)
 *   RUNNABLE --switch_task (idle loop, preempt, sleep, exit)--> RUNNING
 *   RUNNING  --preempt (need_resched, preemptible)--> RUNNABLE (maybe on another vCPU)
 *   RUNNING  --sim_task_sleep_until--> SLEEPING --sim_task_wake (vcpu_events)--> RUNNABLE
 *   RUNNING  --fn returns (task_exit)--> DONE
 *
 * A vCPU with nothing runnable runs its idle task, which moves the vCPU's
 * clock to its next event, or parks it (not scheduled) when it has none.
 * The run ends when every non-daemon task is DONE.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "lockstat.h"
#include "path.h"

struct sim_engine *sim;

static void switch_task(struct sim_vcpu *v, struct sim_task *prev, struct sim_task *next);

/* ---- runqueues and sleepers ---------------------------------------------- */

static void rq_push(struct sim_vcpu *v, struct sim_task *t)
{
	t->rq_next = NULL;
	t->cpu = v->cpu;
	if (v->rq_tail)
		v->rq_tail->rq_next = t;
	else
		v->rq_head = t;
	v->rq_tail = t;
}

static struct sim_task *rq_pop(struct sim_vcpu *v)
{
	struct sim_task *t = v->rq_head;

	if (t) {
		v->rq_head = t->rq_next;
		if (!v->rq_head)
			v->rq_tail = NULL;
		t->rq_next = NULL;
	}
	return t;
}

/*
 * Idle balance: the first migratable task queued behind a running task on
 * another vCPU, scanning upwards.  A task queued on an idle vCPU (just woken
 * there) is left to it, as the kernel runs a wakee on its idle CPU.
 */
static struct sim_task *rq_steal(struct sim_vcpu *v)
{
	for (int i = 1; i < sim->nr_cpus; i++) {
		struct sim_vcpu *o = &sim->vcpu[(v->cpu + i) % sim->nr_cpus];
		struct sim_task *prev = NULL;

		if (!o->curr || o->curr->idle)
			continue;
		for (struct sim_task *t = o->rq_head; t; prev = t, t = t->rq_next) {
			if (t->pinned_cpu >= 0 || t->migrate_disable)
				continue;
			if (prev)
				prev->rq_next = t->rq_next;
			else
				o->rq_head = t->rq_next;
			if (o->rq_tail == t)
				o->rq_tail = prev;
			t->rq_next = NULL;
			t->nr_migrate++;
			v->nr_migrate_in++;
			sim->nr_migrations++;
			return t;
		}
	}
	return NULL;
}

/* Sleepers are kept sorted by (wake_ns, pid): equal wake times wake in pid order. */
void sim_sleepers_insert(struct sim_vcpu *v, struct sim_task *t)
{
	struct sim_task **pp = &v->sleepers;

	while (*pp && ((*pp)->wake_ns < t->wake_ns ||
		       ((*pp)->wake_ns == t->wake_ns && (*pp)->pid <= t->pid)))
		pp = &(*pp)->rq_next;
	t->rq_next = *pp;
	*pp = t;
}

void sim_sleepers_remove(struct sim_vcpu *v, struct sim_task *t)
{
	for (struct sim_task **pp = &v->sleepers; *pp; pp = &(*pp)->rq_next) {
		if (*pp == t) {
			*pp = t->rq_next;
			t->rq_next = NULL;
			return;
		}
	}
}

void sim_vcpu_refresh(struct sim_vcpu *v)
{
	uint64_t next = sim_evq_next(&v->irqs);

	if (v->sleepers && v->sleepers->wake_ns < next)
		next = v->sleepers->wake_ns;
	if (v->curr && !v->curr->idle) {
		if (sim->tick_ns && v->next_tick_ns < next)
			next = v->next_tick_ns;
		if (sim_evq_next(&v->dwork) < next)
			next = sim_evq_next(&v->dwork);
	}
	v->next_event_ns = next;
}

void sim_vcpu_kick(struct sim_vcpu *v, uint64_t ns)
{
	if (v->idle_waiting && (v->parked || ns < v->clock_ns))
		v->clock_ns = ns > v->idle_from_ns ? ns : v->idle_from_ns;
	v->parked = false;
	sim_vcpu_refresh(v);
	if (v != sim->cur)
		sim_sched_update(sim, v);
}

void sim_task_wake(struct sim_task *t)
{
	struct sim_vcpu *v = &sim->vcpu[t->cpu];

	sim_sleepers_remove(v, t);
	t->state = SIM_TASK_RUNNABLE;
	rq_push(v, t);
}

/* ---- tasks ---------------------------------------------------------------- */

static void task_exit(struct sim_task *t);

static void task_entry(void *arg)
{
	struct sim_task *t = arg;

	t->fn(t, t->arg);
	task_exit(t);
}

static struct sim_task *task_new(int cpu, int pinned_cpu, int pid, sim_task_fn *fn, void *arg, bool idle)
{
	struct sim_engine *e = sim;
	struct sim_task *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->stack = malloc(SIM_STACK_SIZE);
	if (!t->stack || sim_ctx_make(&t->ctx, t->stack, SIM_STACK_SIZE, task_entry, t)) {
		free(t->stack);
		free(t);
		return NULL;
	}
	t->pid = pid;
	t->cpu = cpu;
	t->pinned_cpu = pinned_cpu;
	t->fn = fn;
	t->arg = arg;
	t->idle = idle;
	t->state = SIM_TASK_RUNNABLE;
	if (e->nr_tasks == e->cap_tasks) {
		int cap = e->cap_tasks ? e->cap_tasks * 2 : 64;
		struct sim_task **n = realloc(e->tasks, (size_t)cap * sizeof(*n));

		if (!n) {
			free(t->stack);
			free(t);
			return NULL;
		}
		e->tasks = n;
		e->cap_tasks = cap;
	}
	e->tasks[e->nr_tasks++] = t;
	return t;
}

struct sim_task *sim_task_create(int cpu, bool pinned, int pid, sim_task_fn *fn, void *arg)
{
	struct sim_vcpu *v = &sim->vcpu[cpu];
	struct sim_task *t = task_new(cpu, pinned ? cpu : -1, pid, fn, arg, false);

	if (!t)
		return NULL;
	sim->nr_live++;
	rq_push(v, t);
	if (sim->running)
		sim_vcpu_kick(v, sim->cur->clock_ns);
	return t;
}

void sim_task_set_daemon(struct sim_task *t)
{
	if (!t->daemon && t->state != SIM_TASK_DONE)
		sim->nr_live--;
	t->daemon = true;
}

static void task_exit(struct sim_task *t)
{
	struct sim_engine *e = sim;
	struct sim_vcpu *v = e->cur;
	struct sim_task *next;

	t->state = SIM_TASK_DONE;
	if (!t->daemon && --e->nr_live == 0) {
		sim_ctx_switch(&t->ctx, &e->main_ctx);
		abort();	/* a finished task is never resumed */
	}
	next = rq_pop(v);
	switch_task(v, t, next ? next : v->idle);
	abort();
}

/* ---- switching ----------------------------------------------------------- */

/* Make `next` the running task of v and switch to it from `prev`. */
static void switch_task(struct sim_vcpu *v, struct sim_task *prev, struct sim_task *next)
{
	struct sim_engine *e = sim;

	v->curr = next;
	next->state = SIM_TASK_RUNNING;
	next->cpu = v->cpu;
	if (!next->idle) {
		v->idle_waiting = false;
		v->parked = false;
		v->slice_end_ns = v->clock_ns + e->slice_ns;
		if (prev->idle)
			v->next_tick_ns = v->clock_ns + e->tick_ns;
		v->clock_ns += e->cost[SIM_COST_CTX_SWITCH];
	}
	sim_vcpu_refresh(v);
	e->nr_switches++;
	sim_ctx_switch(&prev->ctx, &next->ctx);
}

static void switch_vcpu(struct sim_vcpu *v, struct sim_vcpu *n)
{
	sim->cur = n;
	sim_ctx_switch(&v->curr->ctx, &n->curr->ctx);
}

static bool preemptible(const struct sim_vcpu *v)
{
	return !v->curr->idle && v->curr->preempt_count == 0 && !v->irqs_disabled &&
	       v->hardirq == 0 && v->softirq == 0;
}

/* The task on v gives the CPU to the next runnable one (kernel: __schedule). */
static void preempt(struct sim_vcpu *v)
{
	struct sim_engine *e = sim;
	struct sim_task *prev = v->curr, *next;
	struct sim_vcpu *target = v;

	v->need_resched = false;
	next = rq_pop(v);
	if (!next)
		return;
	prev->state = SIM_TASK_RUNNABLE;
	prev->nr_preempt++;
	v->nr_preempt++;
	e->nr_preemptions++;
	if (prev->pinned_cpu < 0 && !prev->migrate_disable && e->nr_cpus > 1 && e->migrate_pct &&
	    sim_prng_below(&e->prng_sched, 100) < e->migrate_pct) {
		int cands[SIM_MAX_CPUS], n = 0;

		for (int i = 0; i < e->nr_cpus; i++)
			if (i != v->cpu)
				cands[n++] = i;
		target = &e->vcpu[cands[sim_sched_decide('m', n, cands)]];
		prev->nr_migrate++;
		target->nr_migrate_in++;
		e->nr_migrations++;
	}
	rq_push(target, prev);
	if (target != v)
		sim_vcpu_kick(target, v->clock_ns);
	switch_task(v, prev, next);
}

/* ---- the yield point ----------------------------------------------------- */

/* Wake due sleepers, then deliver due ticks and interrupts when IRQs are on. */
static void vcpu_events(struct sim_vcpu *v)
{
	while (v->curr && !v->curr->idle && sim_evq_next(&v->dwork) <= v->clock_ns) {
		struct sim_evq_item it = sim_evq_pop(&v->dwork);

		sim_work_queue(v->cpu, it.ns, it.fn, it.arg);
	}
	while (v->sleepers && v->sleepers->wake_ns <= v->clock_ns)
		sim_task_wake(v->sleepers);
	if (!v->irqs_disabled) {
		if (v->curr && !v->curr->idle && sim->tick_ns && v->next_tick_ns <= v->clock_ns)
			sim_irq_tick(v);
		sim_irq_deliver(v);
	}
	sim_vcpu_refresh(v);
}

void sim_yield(uint32_t cost_ns)
{
	struct sim_engine *e = sim;
	struct sim_vcpu *v = e->cur;
	uint64_t step;

	v->clock_ns += cost_ns;
	if (!e->running)
		return;
	v->nr_yields++;
	step = ++e->nr_yields;
	if (__builtin_expect(e->step_hook != NULL, 0))
		e->step_hook(v, cost_ns, e->step_arg);
	e->pick_kind = e->yield_kind;
	e->yield_kind = -1;	/* a plain sim_yield names no cost */
	e->yield_func = NULL;	/* nor a function */
	if (__builtin_expect(!!(v->next_event_ns <= v->clock_ns), 0))
		vcpu_events(v);
	if (__builtin_expect(!!(v->need_resched), 0) && e->preempt_model == SIM_PREEMPT_FULL && preemptible(v)) {
		preempt(v);
		v = e->cur;	/* we may resume on another vCPU */
	}
	/* Most yields: the running vCPU alone has the smallest clock and goes on (sched.c). */
	if (__builtin_expect(!(v->clock_ns < e->sched_rest_min && !v->parked && !e->chooser), 0)) {
		struct sim_vcpu *n = sim_sched_pick();

		if (n != v)
			switch_vcpu(v, n);
	}
	if (__builtin_expect(e->resume_hook != NULL, 0))
		e->resume_hook(step, e->step_arg);
}

void sim_cond_resched(void)
{
	struct sim_vcpu *v;

	if (!sim->running)
		return;
	v = sim->cur;
	if (v->need_resched && sim->preempt_model != SIM_PREEMPT_NONE && preemptible(v))
		preempt(v);
}

void sim_task_sleep_until(uint64_t ns)
{
	struct sim_vcpu *v = sim->cur;
	struct sim_task *t = v->curr, *next;
	uint64_t step;

	if (!sim->running || ns <= v->clock_ns || t->idle) {
		if (ns > v->clock_ns)
			v->clock_ns = ns;
		sim_yield(0);
		return;
	}
	t->state = SIM_TASK_SLEEPING;
	t->wake_ns = ns;
	sim_sleepers_insert(v, t);
	next = rq_pop(v);
	step = sim->nr_yields;	/* the last yield point of this code */
	switch_task(v, t, next ? next : v->idle);
	if (sim->resume_hook)
		sim->resume_hook(step, sim->step_arg);
}

/* Some vCPU that may run has a smaller clock than v, the running one (strictly: no tie to decide). */
static bool idle_behind(const struct sim_vcpu *v)
{
	return sim_sched_min_clock() < v->clock_ns;
}

/* The idle task of a vCPU: run what is queued, else wait for the next event. */
static void idle_loop(struct sim_task *self, void *arg)
{
	struct sim_vcpu *v = arg;

	(void)self;
	for (;;) {
		struct sim_task *next = rq_pop(v);

		if (!next)
			next = rq_steal(v);
		if (next) {
			switch_task(v, v->idle, next);
			continue;
		}
		if (!v->idle_waiting) {
			v->idle_waiting = true;
			v->idle_from_ns = v->clock_ns;
		}
		sim_vcpu_refresh(v);
		if (v->next_event_ns == UINT64_MAX) {
			v->parked = true;
		} else if (v->next_event_ns > v->clock_ns) {
			v->clock_ns = v->next_event_ns;
			/* Its event is not due before the vCPUs still behind it have
			 * caught up (they may also bring an earlier one: sim_vcpu_kick). */
			if (!sim->chooser && idle_behind(v))
				switch_vcpu(v, sim_sched_pick());
		}
		sim_yield(0);
		if (sim->cur != v)	/* cannot happen: idle tasks never migrate */
			abort();
	}
}

/* ---- engine life --------------------------------------------------------- */

struct sim_engine *sim_engine_create(const struct sim_engine_cfg *sc)
{
	struct sim_engine *e = aligned_alloc(_Alignof(struct sim_engine), sizeof(*e));	/* vCPUs on cache lines */
	int cpu = 0;

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	sim = e;
	sim_lockstat_reset();
	sim_path_reset();
	e->nr_nodes = sc->nr_nodes;
	for (int n = 0; n < sc->nr_nodes; n++) {
		for (int i = 0; i < sc->nr_cpus[n] && cpu < SIM_MAX_CPUS; i++, cpu++) {
			e->vcpu[cpu].cpu = cpu;
			e->vcpu[cpu].node = n;
			e->node_nr_cpus[n]++;
		}
		for (int m = 0; m < sc->nr_nodes; m++)
			e->distance[n][m] = sc->distance[n][m];
	}
	e->nr_cpus = cpu;
	memcpy(e->cost, sc->cost, sizeof(e->cost));
	memcpy(e->guard_off, sc->guard_off, sizeof(e->guard_off));
	e->preempt_model = sc->preempt_model;
	e->slice_ns = sc->slice_ns;
	e->migrate_pct = sc->migrate_pct;
	e->tick_ns = sc->hz ? 1000000000ULL / sc->hz : 0;
	e->seed = sc->seed;
	e->yield_kind = e->pick_kind = -1;
	{
		struct sim_prng root;

		sim_prng_seed(&root, sc->seed);
		sim_prng_fork(&root, 1, &e->prng_sched);
		sim_prng_fork(&root, 2, &e->prng_model);
		sim_prng_fork(&root, 3, &e->prng_irq);
	}
	for (int i = 0; i < e->nr_cpus; i++) {
		struct sim_vcpu *v = &e->vcpu[i];

		v->idle = task_new(i, i, 0, idle_loop, v, true);
		if (!v->idle) {
			sim_engine_destroy(e);
			return NULL;
		}
		v->idle->state = SIM_TASK_RUNNING;
		v->curr = v->idle;
		v->next_event_ns = UINT64_MAX;
	}
	e->cur = &e->vcpu[0];
	return e;
}

void sim_engine_destroy(struct sim_engine *e)
{
	if (!e)
		return;
	sim_sched_close(e);
	for (int i = 0; i < e->nr_cpus; i++) {
		sim_evq_free(&e->vcpu[i].irqs);
		sim_evq_free(&e->vcpu[i].work);
		sim_evq_free(&e->vcpu[i].dwork);
	}
	for (int i = 0; i < e->nr_tasks; i++) {
		sim_ctx_release(&e->tasks[i]->ctx);
		free(e->tasks[i]->stack);
		free(e->tasks[i]);
	}
	free(e->tasks);
	free(e->sched_in_path);
	if (sim == e)
		sim = NULL;
	free(e);
}

void sim_engine_set_cpu(int cpu)
{
	sim->cur = &sim->vcpu[cpu];
}

int sim_engine_run(void)
{
	struct sim_engine *e = sim;
	struct sim_vcpu *first;

	e->stopping = false;
	for (int i = 0; i < e->nr_cpus; i++) {
		struct sim_vcpu *v = &e->vcpu[i];

		if (v->curr == v->idle && v->rq_head) {
			v->curr = rq_pop(v);
			v->curr->state = SIM_TASK_RUNNING;
			v->idle->state = SIM_TASK_RUNNABLE;
			v->slice_end_ns = v->clock_ns + e->slice_ns;
			v->next_tick_ns = v->clock_ns + e->tick_ns;
		}
		sim_vcpu_refresh(v);
	}
	if (e->nr_live <= 0)
		return 0;
	e->running = true;
	sim_ctx_init_main(&e->main_ctx);
	sim_sched_rebuild(e);
	first = sim_sched_pick();
	if (!first) {
		e->running = false;
		return -1;
	}
	e->cur = first;
	e->started = true;
	sim_ctx_switch(&e->main_ctx, &first->curr->ctx);
	e->running = false;
	e->started = false;
	return e->stopping ? -1 : 0;
}

void sim_engine_stop(void)
{
	struct sim_engine *e = sim;

	e->stopping = true;
	if (e->running)
		sim_ctx_switch(&e->cur->curr->ctx, &e->main_ctx);
}

void sim_engine_fail(const char *fmt, ...)
{
	va_list ap;

	if (!sim->fail_reason[0]) {
		va_start(ap, fmt);
		vsnprintf(sim->fail_reason, sizeof(sim->fail_reason), fmt, ap);
		va_end(ap);
	}
	sim_engine_stop();
}

uint32_t sim_mem_cost(int node)
{
	struct sim_engine *e = sim;
	int here = e->cur->node;

	if (node < 0 || node == here)
		return e->cost[SIM_COST_MEM];
	return (uint32_t)((uint64_t)e->cost[SIM_COST_MEM] * (uint64_t)e->distance[here][node] / 10);
}

struct sim_prng *sim_prng_model(void)
{
	return &sim->prng_model;
}
