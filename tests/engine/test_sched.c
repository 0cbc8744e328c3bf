/*
 * test_sched.c - the scheduler's tournament tree (sim/engine/sched.c): on
 * machines past the scan's size it picks the vCPUs the scan of every vCPU
 * picked (the same ties in the same order, so the same PRNG draws), recorded
 * schedules replay, and a 1,024-vCPU machine runs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario sc;

/* nr_nodes x cpus_per_node vCPUs with equal primitive costs, so ties abound. */
static struct sim_engine *machine_up(int nr_nodes, int cpus_per_node, uint64_t seed)
{
	struct sim_engine *e;

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
	e = sim_scenario_engine_create(&sc);
	cr_assert(e != NULL);
	return e;
}

static void machine_down(struct sim_engine *e)
{
	sim_engine_destroy(e);
	sim_scenario_free(&sc);
}

#define TRAIL_MAX 20000
static int trail[TRAIL_MAX], nr_trail;

/* Yields of costs 10 and 30 by turns (per task): clocks drift apart and meet again. */
static void stepper(struct sim_task *t, void *arg)
{
	for (int i = 0; i < (int)(intptr_t)arg; i++) {
		sim_yield((uint32_t)(10 + 20 * ((i + t->pid) % 2)));
		if (nr_trail < TRAIL_MAX)
			trail[nr_trail++] = sim_cur()->cpu;
	}
}

static uint64_t trail_hash(void)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a over the vCPU of each step */

	for (int i = 0; i < nr_trail; i++)
		h = (h ^ (uint64_t)trail[i]) * 1099511628211ULL;
	return h;
}

/* 2 x 12 vCPUs, 200 steps each, the steps at vCPUs 5 and 17 start late. */
static uint64_t run_24(uint64_t seed, const char *record, const char *replay)
{
	struct sim_engine *e = machine_up(2, 12, seed);
	uint64_t h;

	if (record)
		cr_assert(eq(int, sim_schedule_record(record), 0));
	if (replay) {
		cr_assert(eq(int, sim_schedule_replay(replay, stderr), 0));
		sim_prng_seed(&e->prng_sched, 12345);	/* only the file can give the same run */
	}
	nr_trail = 0;
	for (int c = 0; c < 24; c++)
		sim_task_create(c, true, 100 + c, stepper, (void *)(intptr_t)200);
	e->vcpu[5].clock_ns = 25;
	e->vcpu[17].clock_ns = 1000;
	cr_assert(eq(int, sim_engine_run(), 0));
	cr_assert(eq(int, e->sched_diverged, 0));
	h = trail_hash();
	machine_down(e);
	return h;
}

Test(sched, the_tree_picks_what_the_scan_of_every_vcpu_picked)
{
	/* Trails of the scan over every vCPU (before the tree) for these seeds. */
	cr_assert(eq(u64, run_24(1, NULL, NULL), UINT64_C(0x7dcfb141396bdd1)));
	cr_assert(eq(int, nr_trail, 24 * 200));
	cr_assert(eq(u64, run_24(2, NULL, NULL), UINT64_C(0xb582e89fae0a115d)));
}

Test(sched, a_recorded_schedule_on_24_vcpus_replays_exactly)
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

Test(sched, a_machine_of_1024_vcpus_runs_every_task)
{
	struct sim_engine *e = machine_up(2, SIM_MAX_CPUS / 2, 5);

	cr_assert(eq(int, SIM_MAX_CPUS, 1024));
	cr_assert(eq(int, e->nr_cpus, 1024));
	for (int c = 0; c < e->nr_cpus; c++)
		cr_assert(sim_task_create(c, true, c + 1, counter, NULL) != NULL);
	cr_assert(eq(int, sim_engine_run(), 0));
	for (int c = 0; c < e->nr_cpus; c++)
		cr_assert(eq(int, steps_on[c], 20), "vCPU %d", c);
	machine_down(e);
}
