/*
 * test_explore.c - schedule exploration on engine-only scenarios: the
 * exhaustive count matches a hand count, a lost update is found by every
 * strategy and shrinks to one forced switch that replays, a lock removes it,
 * and results do not depend on --jobs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/kernel.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

struct world {
	int nr_yields;		/* per task */
	bool racy;		/* counter update without the lock */
	int tasks;
};

static int counter;
static spinlock_t lock;

static void yielder(struct sim_task *t, void *arg)
{
	const struct world *w = arg;

	(void)t;
	for (int i = 0; i < w->nr_yields; i++)
		sim_yield(1);
}

static void incrementer(struct sim_task *t, void *arg)
{
	const struct world *w = arg;

	(void)t;
	for (int i = 0; i < 2; i++) {
		if (!w->racy)
			spin_lock(&lock);
		int v = READ_ONCE(counter);
		sim_yield(1);
		WRITE_ONCE(counter, v + 1);
		if (!w->racy)
			spin_unlock(&lock);
	}
}

static int run_world(void *arg, struct sim_chooser *ch, char *why, size_t whylen, sim_task_fn *fn)
{
	struct world *w = arg;
	struct sim_scenario sc;
	struct sim_engine *e;
	int rc;

	sim_scenario_default(&sc);
	sc.nr_nodes = 1;
	sc.node[0].nr_cpus = w->tasks;
	sc.hz = 0;
	sc.preempt_model = SIM_PREEMPT_NONE;
	e = sim_scenario_engine_create(&sc);
	cr_assert(e != NULL);
	counter = 0;
	spin_lock_init_named(&lock, "lock");
	for (int c = 0; c < w->tasks; c++)
		sim_task_create(c, true, c + 1, fn, w);
	sim_chooser_install(ch);
	rc = sim_engine_run();
	cr_assert(eq(int, rc, 0));
	rc = 0;
	if (fn == incrementer && counter != 2 * w->tasks) {
		snprintf(why, whylen, "lost update: counter %d, want %d", counter, 2 * w->tasks);
		rc = 1;
	}
	sim_engine_destroy(e);
	sim_scenario_free(&sc);
	return rc;
}

static int run_yielders(void *arg, struct sim_chooser *ch, char *why, size_t whylen)
{
	return run_world(arg, ch, why, whylen, yielder);
}

static int run_incrementers(void *arg, struct sim_chooser *ch, char *why, size_t whylen)
{
	return run_world(arg, ch, why, whylen, incrementer);
}

/*
 * Two vCPUs, one yield each: blocks a1 a2 on vCPU 0, b1 b2 on vCPU 1.  The
 * six merges and their forced switches (starting on vCPU 1 is forced; a
 * finished vCPU parks, so what follows is not a decision):
 *   a1 a2 b1 b2: 0   a1 b1 b2 a2: 1   b1 b2 a1 a2: 1
 *   a1 b1 a2 b2: 2   b1 a1 a2 b2: 2   b1 a1 b2 a2: 3
 * so K = 0, 1, 2, 3 allow 1, 3, 5 and 6 schedules.
 */
Test(explore, exhaustive_count_matches_the_hand_count)
{
	struct world w = { .nr_yields = 1, .tasks = 2 };
	uint64_t want[] = { 1, 3, 5, 6 };

	for (int k = 0; k <= 3; k++) {
		struct sim_explore_opts o = { .strategy = SIM_EXPLORE_EXHAUSTIVE, .seed = 1,
					      .nr_schedules = 1000, .preemptions = k, .all = true };
		struct sim_explore_result r;

		cr_assert(eq(int, sim_explore(&o, run_yielders, &w, &r), 0));
		cr_assert(eq(u64, r.explored, want[k]), "K=%d", k);
		cr_assert(r.exhausted);
		sim_schedule_free(&r.first);
	}
}

static void find_and_shrink(enum sim_explore_strategy st)
{
	struct world w = { .racy = true, .tasks = 2 };
	struct sim_explore_opts o = { .strategy = st, .seed = 42, .nr_schedules = 200,
				      .depth = 2, .preemptions = 2 };
	struct sim_explore_result r;
	char why[256];

	cr_assert(eq(int, sim_explore(&o, run_incrementers, &w, &r), 0));
	cr_assert(r.found, "strategy %d found nothing in %lu schedules", st, (unsigned long)r.explored);
	cr_assert(strstr(r.why, "lost update") != NULL);
	cr_assert(eq(int, sim_explore_shrink(r.first_seed, &r.first, run_incrementers, &w, why, sizeof(why)), 0));
	cr_assert(eq(int, r.first.nr, 1), "one forced switch is enough for a lost update");
	cr_assert(strstr(why, "lost update") != NULL);

	/* The shrunk schedule, written and read back, fails again. */
	char path[] = "/tmp/kmemsim-forced-XXXXXX";
	int fd = mkstemp(path);
	struct sim_schedule back;
	uint64_t seed;
	struct sim_chooser ch;

	cr_assert(fd >= 0);
	close(fd);
	cr_assert(eq(int, sim_schedule_write(&r.first, r.first_seed, path), 0));
	cr_assert(eq(int, sim_schedule_read(&back, &seed, path, stderr), 0));
	cr_assert(eq(u64, seed, r.first_seed));
	sim_chooser_init(&ch, SIM_EXPLORE_RANDOM, seed, 1, 1, 2);
	ch.forced = &back;
	ch.forced_only = true;
	cr_assert(eq(int, run_incrementers(&w, &ch, why, sizeof(why)), 1));
	sim_chooser_free(&ch);
	sim_schedule_free(&back);
	sim_schedule_free(&r.first);
	unlink(path);
}

Test(explore, random_finds_a_lost_update_and_shrinks_it)
{
	find_and_shrink(SIM_EXPLORE_RANDOM);
}

Test(explore, pct_finds_a_lost_update_and_shrinks_it)
{
	find_and_shrink(SIM_EXPLORE_PCT);
}

Test(explore, exhaustive_finds_a_lost_update_and_shrinks_it)
{
	find_and_shrink(SIM_EXPLORE_EXHAUSTIVE);
}

Test(explore, the_lock_removes_the_race)
{
	struct world w = { .racy = false, .tasks = 2 };
	struct sim_explore_opts o = { .strategy = SIM_EXPLORE_RANDOM, .seed = 42, .nr_schedules = 500 };
	struct sim_explore_result r;

	cr_assert(eq(int, sim_explore(&o, run_incrementers, &w, &r), 0));
	cr_assert(not(r.found));
	cr_assert(eq(u64, r.explored, 500));
	o.strategy = SIM_EXPLORE_EXHAUSTIVE;
	o.preemptions = 3;
	cr_assert(eq(int, sim_explore(&o, run_incrementers, &w, &r), 0));
	cr_assert(not(r.found));
	cr_assert(r.exhausted);
}

Test(explore, results_do_not_depend_on_jobs)
{
	struct world w = { .racy = true, .tasks = 3 };
	struct sim_explore_opts o = { .strategy = SIM_EXPLORE_RANDOM, .seed = 9, .nr_schedules = 400 };
	struct sim_explore_result r1, r2;

	cr_assert(eq(int, sim_explore(&o, run_incrementers, &w, &r1), 0));
	o.jobs = 2;
	cr_assert(eq(int, sim_explore(&o, run_incrementers, &w, &r2), 0));
	cr_assert(r1.found && r2.found);
	cr_assert(eq(u64, r1.first_index, r2.first_index));
	cr_assert(eq(u64, r1.first_seed, r2.first_seed));
	cr_assert(eq(u64, r1.explored, r2.explored));
	cr_assert(eq(int, r1.first.nr, r2.first.nr));
	for (int i = 0; i < r1.first.nr; i++) {
		cr_assert(eq(u64, r1.first.f[i].step, r2.first.f[i].step));
		cr_assert(eq(int, r1.first.f[i].choice, r2.first.f[i].choice));
	}
	sim_schedule_free(&r1.first);
	sim_schedule_free(&r2.first);
}
