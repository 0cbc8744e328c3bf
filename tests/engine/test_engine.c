/*
 * test_engine.c - the engine's promises: deterministic interleaving per
 * seed, interrupts only with IRQs on, no preemption with preempt_count > 0,
 * spinlock mutual exclusion under many interleavings, schedule record and
 * replay, sleeping, work items, migration, deadlock detection; past 8 vCPUs
 * the tournament tree picks what the scan of every vCPU picked, tie rounds
 * decide what the tree decides, and 1,024 vCPUs run.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/kernel.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario sc;

/* A machine of nr_nodes x cpus_per_node vCPUs with equal primitive costs, so ties abound. */
static struct sim_engine *engine_up(int nr_nodes, int cpus_per_node, uint64_t seed)
{
	sim_scenario_default(&sc);
	sc.nr_nodes = nr_nodes;
	for (int n = 0; n < nr_nodes; n++) {
		sc.node[n].nr_cpus = cpus_per_node;
		for (int m = 0; m < nr_nodes; m++)
			sc.distance[n][m] = n == m ? 10 : 20;
	}
	for (int i = 0; i < SIM_NR_COSTS; i++)
		sc.cost[i] = 10;
	sc.seed = seed;
	sc.preempt_model = SIM_PREEMPT_NONE;
	sc.migrate_pct = 0;
	sc.hz = 250;
	sc.slice_ns = 3000000;
	struct sim_engine *e = sim_scenario_engine_create(&sc);
	cr_assert(e != NULL);
	return e;
}

static void engine_down(struct sim_engine *e)
{
	sim_engine_destroy(e);
	sim_scenario_free(&sc);
}

/* ---- interleaving -------------------------------------------------------- */

static int trail[4096], nr_trail;

static void stepper(struct sim_task *t, void *arg)
{
	(void)t;
	for (int i = 0; i < (int)(intptr_t)arg; i++) {
		sim_yield(10);
		if (nr_trail < 4096)
			trail[nr_trail++] = sim_cur()->cpu;
	}
}

static int run_steppers(uint64_t seed, int *out)
{
	struct sim_engine *e = engine_up(2, 2, seed);

	nr_trail = 0;
	for (int c = 0; c < 4; c++)
		sim_task_create(c, true, 100 + c, stepper, (void *)(intptr_t)200);
	cr_assert(eq(int, sim_engine_run(), 0));
	memcpy(out, trail, sizeof(int) * (size_t)nr_trail);
	engine_down(e);
	return nr_trail;
}

Test(engine, interleaving_is_a_function_of_the_seed)
{
	static int a[4096], b[4096], c[4096];
	int na = run_steppers(1, a), nb = run_steppers(1, b), nc = run_steppers(2, c);

	cr_assert(eq(int, na, 800));
	cr_assert(eq(int, nb, 800));
	cr_assert(eq(int, nc, 800));
	cr_assert(eq(int, memcmp(a, b, sizeof(int) * 800), 0), "same seed, other interleaving");
	cr_assert(ne(int, memcmp(a, c, sizeof(int) * 800), 0), "another seed, same interleaving");
}

Test(engine, smallest_clock_runs_first)
{
	struct sim_engine *e = engine_up(1, 2, 3);

	nr_trail = 0;
	sim_task_create(0, true, 1, stepper, (void *)(intptr_t)10);
	sim_task_create(1, true, 2, stepper, (void *)(intptr_t)10);
	e->vcpu[1].clock_ns = 1000;	/* vCPU 1 starts later: vCPU 0 finishes first */
	cr_assert(eq(int, sim_engine_run(), 0));
	for (int i = 0; i < 10; i++)
		cr_assert(eq(int, trail[i], 0));
	for (int i = 10; i < 20; i++)
		cr_assert(eq(int, trail[i], 1));
	engine_down(e);
}

/* ---- interrupts ---------------------------------------------------------- */

static bool in_irqs_off_section;
static int delivered, delivered_while_off;

static void count_irq(struct sim_vcpu *v, void *arg)
{
	(void)arg;
	delivered++;
	if (in_irqs_off_section)
		delivered_while_off++;
	cr_assert(v->irqs_disabled, "handlers run with IRQs off");
	cr_assert(eq(int, sim_context(), SIM_CTX_HARDIRQ));
}

static void irq_toggler(struct sim_task *t, void *arg)
{
	unsigned long flags;

	(void)t;
	(void)arg;
	for (int i = 0; i < 300; i++) {
		local_irq_save(flags);
		in_irqs_off_section = true;
		for (int k = 0; k < 5; k++)
			sim_yield(50);
		in_irqs_off_section = false;
		local_irq_restore(flags);
		sim_yield(50);
	}
}

Test(engine, interrupts_wait_while_irqs_are_off)
{
	struct sim_engine *e = engine_up(1, 1, 5);

	delivered = delivered_while_off = 0;
	sim_task_create(0, true, 1, irq_toggler, NULL);
	for (int i = 0; i < 100; i++)
		sim_irq_raise(0, 37 + (uint64_t)i * 777, count_irq, NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, delivered, 100));
	cr_assert(eq(int, delivered_while_off, 0));
	cr_assert(eq(u64, e->vcpu[0].nr_irqs, 100));
	engine_down(e);
}

/* ---- preemption ---------------------------------------------------------- */

static int crit_owner[8];
static int violations;

static void preempt_worker(struct sim_task *t, void *arg)
{
	(void)arg;
	for (int i = 0; i < 400; i++) {
		preempt_disable();
		int cpu = sim_cur()->cpu;
		crit_owner[cpu] = t->pid;
		for (int k = 0; k < 4; k++) {
			sim_yield(100000);	/* long enough for ticks to end the slice */
			if (sim_cur()->cpu != cpu || crit_owner[cpu] != t->pid)
				violations++;
		}
		crit_owner[cpu] = 0;
		preempt_enable();
		for (int k = 0; k < 4; k++) {
			sim_yield(100000);
			if (crit_owner[sim_cur()->cpu] != 0)
				violations++;
		}
	}
}

Test(engine, no_preemption_while_preempt_count_is_raised)
{
	struct sim_engine *e = engine_up(1, 2, 11);

	e->preempt_model = SIM_PREEMPT_FULL;
	e->slice_ns = 1000000;
	e->migrate_pct = 50;
	violations = 0;
	memset(crit_owner, 0, sizeof(crit_owner));
	for (int i = 0; i < 6; i++)
		sim_task_create(i % 2, false, 10 + i, preempt_worker, NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(lt(u64, 10, e->nr_preemptions), "the test must actually preempt");
	cr_assert(lt(u64, 0, e->nr_migrations), "and migrate");
	cr_assert(eq(int, violations, 0));
	engine_down(e);
}

/* ---- spinlocks ----------------------------------------------------------- */

static spinlock_t test_lock;
static int in_cs, cs_violations, cs_entries;

static void lock_worker(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	for (int i = 0; i < 100; i++) {
		spin_lock(&test_lock);
		if (++in_cs != 1)
			cs_violations++;
		cs_entries++;
		sim_yield(10);
		sim_yield(10);
		in_cs--;
		spin_unlock(&test_lock);
	}
}

Test(engine, spinlocks_exclude_under_many_interleavings)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct sim_engine *e = engine_up(2, 2, seed);

		in_cs = cs_violations = cs_entries = 0;
		spin_lock_init_named(&test_lock, "test_lock");
		for (int c = 0; c < 4; c++)
			sim_task_create(c, true, c + 1, lock_worker, NULL);
		cr_assert(eq(int, sim_engine_run(), 0));
		cr_assert(eq(int, cs_violations, 0), "seed %lu", (unsigned long)seed);
		cr_assert(eq(int, cs_entries, 400));
		cr_assert(eq(int, test_lock.owner, -1));
		engine_down(e);
	}
}

static void irq_takes_lock(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	spin_lock(&test_lock);
	spin_unlock(&test_lock);
}

static void holder(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	spin_lock(&test_lock);	/* IRQs left on: the interrupt below deadlocks */
	for (int i = 0; i < 10; i++)
		sim_yield(100);
	spin_unlock(&test_lock);
}

Test(engine, an_interrupt_spinning_on_its_own_cpus_lock_is_a_reported_deadlock)
{
	struct sim_engine *e = engine_up(1, 1, 1);

	spin_lock_init_named(&test_lock, "zone->lock");
	sim_task_create(0, true, 1, holder, NULL);
	sim_irq_raise(0, 300, irq_takes_lock, NULL);
	cr_assert(eq(int, sim_engine_run(), -1));
	cr_assert(strstr(e->fail_reason, "deadlock") != NULL, "%s", e->fail_reason);
	cr_assert(strstr(e->fail_reason, "zone->lock") != NULL);
	engine_down(e);
}

/* ---- schedules ----------------------------------------------------------- */

Test(engine, recorded_schedule_replays_exactly_even_with_another_tie_stream)
{
	static int a[4096], b[4096];
	char path[] = "/tmp/kmemsim-sched-XXXXXX";
	int fd = mkstemp(path);
	struct sim_engine *e;
	int na, nb;

	cr_assert(fd >= 0);
	close(fd);
	e = engine_up(2, 2, 77);
	cr_assert(eq(int, sim_schedule_record(path), 0));
	nr_trail = 0;
	for (int c = 0; c < 4; c++)
		sim_task_create(c, true, c + 1, stepper, (void *)(intptr_t)100);
	cr_assert(eq(int, sim_engine_run(), 0));
	na = nr_trail;
	memcpy(a, trail, sizeof(int) * (size_t)na);
	engine_down(e);

	e = engine_up(2, 2, 77);
	cr_assert(eq(int, sim_schedule_replay(path, stderr), 0));
	sim_prng_seed(&e->prng_sched, 12345);	/* only the file can give the same run */
	nr_trail = 0;
	for (int c = 0; c < 4; c++)
		sim_task_create(c, true, c + 1, stepper, (void *)(intptr_t)100);
	cr_assert(eq(int, sim_engine_run(), 0));
	nb = nr_trail;
	memcpy(b, trail, sizeof(int) * (size_t)nb);
	cr_assert(eq(int, e->sched_diverged, 0));
	engine_down(e);

	cr_assert(eq(int, na, nb));
	cr_assert(eq(int, memcmp(a, b, sizeof(int) * (size_t)na), 0));

	e = engine_up(2, 2, 78);
	FILE *err = tmpfile();
	cr_assert(eq(int, sim_schedule_replay(path, err), 2), "seed mismatch is bad input");
	fclose(err);
	engine_down(e);
	unlink(path);
}

/* ---- sleeping, work, migration ------------------------------------------- */

static uint64_t woke_at;

static void sleeper(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_task_sleep_until(1000000);
	woke_at = sim_now();
}

Test(engine, sleeping_task_wakes_at_its_time_on_an_idle_cpu)
{
	struct sim_engine *e = engine_up(1, 2, 1);

	woke_at = 0;
	sim_task_create(1, true, 1, sleeper, NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(ge(u64, woke_at, 1000000));
	cr_assert(lt(u64, woke_at, 1000000 + 10000));
	cr_assert(e->vcpu[0].parked, "vCPU 0 had nothing to do");
	engine_down(e);
}

static int work_ran;
static enum sim_context work_ctx;
static uint64_t work_at;

static void work_fn(struct sim_vcpu *v, void *arg)
{
	(void)v;
	work_ran += (int)(intptr_t)arg;
	work_ctx = sim_context();
	work_at = sim_now();
}

static void work_waiter(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	sim_work_queue(0, 500000, work_fn, (void *)(intptr_t)1);
	sim_task_sleep_until(2000000);
}

Test(engine, work_items_run_in_task_context_at_their_time)
{
	struct sim_engine *e = engine_up(1, 1, 1);

	work_ran = 0;
	sim_task_create(0, true, 1, work_waiter, NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, work_ran, 1));
	cr_assert(eq(int, work_ctx, SIM_CTX_TASK));
	cr_assert(ge(u64, work_at, 500000));
	engine_down(e);
}

static int ran_on[8];

static void hopper(struct sim_task *t, void *arg)
{
	(void)t;
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		sim_yield(10000);
		sim_cond_resched();
		ran_on[sim_cur()->cpu]++;
	}
}

Test(engine, preempted_tasks_migrate_and_idle_cpus_pull_work)
{
	struct sim_engine *e = engine_up(1, 2, 3);

	e->preempt_model = SIM_PREEMPT_VOLUNTARY;
	e->slice_ns = 200000;
	e->migrate_pct = 100;
	memset(ran_on, 0, sizeof(ran_on));
	for (int i = 0; i < 3; i++)
		sim_task_create(0, false, i + 1, hopper, NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(lt(int, 0, ran_on[1]), "nothing ever ran on vCPU 1");
	cr_assert(lt(u64, 0, e->nr_migrations));
	cr_assert(eq(int, ran_on[0] + ran_on[1], 6000));
	engine_down(e);
}

Test(engine, direct_mode_only_advances_the_current_clock)
{
	struct sim_engine *e = engine_up(1, 2, 1);

	sim_engine_set_cpu(1);
	sim_yield(25);
	spin_lock_init_named(&test_lock, "l");
	spin_lock(&test_lock);
	cr_assert(lockdep_is_held(&test_lock));
	spin_unlock(&test_lock);
	cr_assert(eq(u64, e->vcpu[0].clock_ns, 0));
	cr_assert(eq(u64, e->vcpu[1].clock_ns, 25 + 2 * 10));
	engine_down(e);
}

/* ---- step hook ----------------------------------------------------------- */

static uint64_t hook_calls, hook_cost;

static void count_steps(struct sim_vcpu *v, uint32_t cost, void *arg)
{
	(void)v;
	(void)arg;
	hook_calls++;
	hook_cost += cost;
}

Test(engine, the_step_hook_sees_every_yield_point_of_a_run)
{
	struct sim_engine *e = engine_up(1, 2, 1);

	hook_calls = hook_cost = 0;
	e->step_hook = count_steps;
	sim_task_create(0, true, 1, stepper, (void *)(intptr_t)50);
	sim_task_create(1, true, 2, stepper, (void *)(intptr_t)50);
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(u64, hook_calls, e->nr_yields));
	cr_assert(ge(u64, hook_calls, 100));
	cr_assert(ge(u64, hook_cost, 100 * 10));
	engine_down(e);
}

static int dwork_ran;

static void dwork_fn(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	dwork_ran++;
}

static void busy(struct sim_task *t, void *arg)
{
	(void)t;
	for (int i = 0; i < (int)(intptr_t)arg; i++) {
		sim_yield(100000);
		sim_cond_resched();
	}
}

Test(engine, deferrable_work_waits_for_a_busy_cpu)
{
	struct sim_engine *e = engine_up(1, 2, 1);

	dwork_ran = 0;
	e->preempt_model = SIM_PREEMPT_VOLUNTARY;
	e->slice_ns = 200000;
	sim_work_queue_deferrable(1, 500000, dwork_fn, NULL);	/* vCPU 1 stays idle */
	sim_work_queue_deferrable(0, 500000, dwork_fn, NULL);	/* vCPU 0 is busy past it */
	sim_task_create(0, true, 1, busy, (void *)(intptr_t)100);	/* 10 ms: ticks end its slice */
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, dwork_ran, 1));
	cr_assert(lt(u64, e->vcpu[1].clock_ns, 500000), "the idle vCPU woke up for deferrable work");
	engine_down(e);
}

/* ---- the scheduler's tournament tree (more than 8 vCPUs) ------------------ */

#define TREE_TRAIL_MAX 20000
static int tree_trail[TREE_TRAIL_MAX], nr_tree_trail;

/* Yields of costs 10 and 30 by turns (per task): clocks drift apart and meet again. */
static void tree_stepper(struct sim_task *t, void *arg)
{
	for (int i = 0; i < (int)(intptr_t)arg; i++) {
		sim_yield((uint32_t)(10 + 20 * ((i + t->pid) % 2)));
		if (nr_tree_trail < TREE_TRAIL_MAX)
			tree_trail[nr_tree_trail++] = sim_cur()->cpu;
	}
}

static uint64_t tree_trail_hash(void)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a over the vCPU of each step */

	for (int i = 0; i < nr_tree_trail; i++)
		h = (h ^ (uint64_t)tree_trail[i]) * 1099511628211ULL;
	return h;
}

/* 2 x 12 vCPUs, 200 steps each, the steps at vCPUs 5 and 17 start late. */
static uint64_t run_24(uint64_t seed, const char *record, const char *replay)
{
	struct sim_engine *e = engine_up(2, 12, seed);
	uint64_t h;

	if (record)
		cr_assert(eq(int, sim_schedule_record(record), 0));
	if (replay) {
		cr_assert(eq(int, sim_schedule_replay(replay, stderr), 0));
		sim_prng_seed(&e->prng_sched, 12345);	/* only the file can give the same run */
	}
	nr_tree_trail = 0;
	for (int c = 0; c < 24; c++)
		sim_task_create(c, true, 100 + c, tree_stepper, (void *)(intptr_t)200);
	e->vcpu[5].clock_ns = 25;
	e->vcpu[17].clock_ns = 1000;
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, e->sched_diverged, 0));
	h = tree_trail_hash();
	engine_down(e);
	return h;
}

Test(engine, sched_the_tree_picks_what_the_scan_of_every_vcpu_picked)
{
	/* Trails of the scan over every vCPU (before the tree) for these seeds. */
	cr_assert(eq(u64, run_24(1, NULL, NULL), UINT64_C(0x7dcfb141396bdd1)));
	cr_assert(eq(int, nr_tree_trail, 24 * 200));
	cr_assert(eq(u64, run_24(2, NULL, NULL), UINT64_C(0xb582e89fae0a115d)));
}

Test(engine, sched_a_recorded_schedule_on_24_vcpus_replays_exactly)
{
	char path[] = "/tmp/kmemsim-sched-XXXXXX";
	int fd = mkstemp(path);
	uint64_t a, b;

	cr_assert(fd >= 0);
	close(fd);
	a = run_24(9, path, NULL);
	b = run_24(9, NULL, path);
	cr_assert(eq(u64, a, b));
	unlink(path);
}

/* ---- tie rounds (lock-step vCPUs, sched.c) -------------------------------- */

static void round_irq(struct sim_vcpu *v, void *arg)
{
	(void)v;
	(void)arg;
	sim_yield(10);
}

/* Equal costs: the vCPUs step in lock-step, a tie at nearly every pick; every 7th step
 * raises an interrupt on another vCPU (a kick: another vCPU's key moves mid-round). */
static void round_stepper(struct sim_task *t, void *arg)
{
	for (int i = 0; i < (int)(intptr_t)arg; i++) {
		sim_yield(10);
		if ((i + t->pid) % 7 == 0)
			sim_irq_raise((sim_cur()->cpu + 1 + i) % sim->nr_cpus, sim_now() + 15, round_irq, NULL);
		if (nr_tree_trail < TREE_TRAIL_MAX)
			tree_trail[nr_tree_trail++] = sim_cur()->cpu;
	}
}

/* 2 x 50 vCPUs (two words of the round's bitmap), 60 steps each; *rounds: rounds begun. */
static uint64_t run_100(uint64_t seed, const char *record, const char *replay, uint64_t *rounds)
{
	struct sim_engine *e = engine_up(2, 50, seed);
	uint64_t h;

	if (record)
		cr_assert(eq(int, sim_schedule_record(record), 0));
	if (replay) {
		cr_assert(eq(int, sim_schedule_replay(replay, stderr), 0));
		sim_prng_seed(&e->prng_sched, 12345);	/* only the file can give the same run */
	}
	nr_tree_trail = 0;
	for (int c = 0; c < 100; c++)
		sim_task_create(c, true, 100 + c, round_stepper, (void *)(intptr_t)60);
	e->vcpu[70].clock_ns = 35;
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, e->sched_diverged, 0));
	cr_assert(eq(int, nr_tree_trail, 100 * 60));
	h = tree_trail_hash();
	*rounds = e->nr_tie_rounds;
	engine_down(e);
	return h;
}

Test(engine, sched_tie_rounds_decide_what_the_tree_decides_and_replay)
{
	char path[] = "/tmp/kmemsim-sched-XXXXXX";
	int fd = mkstemp(path);
	uint64_t plain, recorded, replayed, rounds, none;

	cr_assert(fd >= 0);
	close(fd);
	/* A recorded run decides every tie on the tree (no rounds): the reference. */
	recorded = run_100(3, path, NULL, &none);
	plain = run_100(3, NULL, NULL, &rounds);
	replayed = run_100(3, NULL, path, &none);
	cr_assert(eq(u64, none, 0));
	cr_assert(lt(u64, 100, rounds), "lock-step vCPUs tie in rounds");
	cr_assert(eq(u64, plain, recorded));
	cr_assert(eq(u64, replayed, recorded));
	unlink(path);
}

static int steps_on[SIM_MAX_CPUS];

static void counter(struct sim_task *t, void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++) {
		sim_yield(10);
		steps_on[sim_cur()->cpu]++;
	}
	cr_assert(eq(int, sim_cur()->cpu, t->pid - 1));
}

Test(engine, sched_a_machine_of_1024_vcpus_runs_every_task)
{
	struct sim_engine *e = engine_up(2, SIM_MAX_CPUS / 2, 5);

	cr_assert(eq(int, SIM_MAX_CPUS, 1024));
	cr_assert(eq(int, e->nr_cpus, 1024));
	for (int c = 0; c < e->nr_cpus; c++)
		cr_assert(sim_task_create(c, true, c + 1, counter, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	for (int c = 0; c < e->nr_cpus; c++)
		cr_assert(eq(int, steps_on[c], 20), "vCPU %d", c);
	engine_down(e);
}
