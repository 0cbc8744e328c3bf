/*
 * test_steps.c - the steps table of a race run (sim/run/steps.c): watch
 * changes at the step that made them, the kernel function of every step
 * (fast paths included), a forced interrupt that costs no simulated time,
 * and the script's names of the operations.
 *
 * Strategy: slub-fastpath-tid under its shrunk schedule (docs/races.md: the
 * interrupt forced at decision point 23, which is after step 27, the task's
 * this_cpu_cmpxchg_double of its second allocation a), read back with SQL.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

static char *dir, *db;

static void setup(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char scenario[512], *sched, *err = NULL;
	const char *argv[] = { "kmemsim", "run", scenario, "--schedule", NULL, "--db", NULL, NULL };

	dir = helper_tmpdir();
	snprintf(scenario, sizeof(scenario), "%s/scenarios/races/slub-fastpath-tid.json", root ? root : ".");
	sched = helper_write_file(dir, "tid.schedule", "kmemsim-forced 1 seed=1 switches=1\n# check_every=0\n23 irq 0\n");
	cr_assert(ne(int, asprintf(&db, "%s/tid.db", dir), -1));
	argv[4] = sched;
	argv[6] = db;
	/* exit 1: the violation, as recorded by explore */
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, NULL, &err), 1), "%s", err);
	free(err);
	free(sched);
}

static void teardown(void)
{
	free(db);
	helper_rmtree(dir);
}

TestSuite(steps, .init = setup, .fini = teardown);

/* The schedule replays as recorded: the same violation at the same step. */
Test(steps, schedule_replays)
{
	cr_assert(eq(i64, helper_db_int(db, "SELECT step FROM violations WHERE invariant = 'live_twice'"), 36));
	cr_assert(eq(i64, helper_db_int(db, "SELECT step FROM forced"), 27));
}

/* The interrupt's free (step 34: x back on c->freelist, tid 32768) and the task's stale swap
 * (step 27's cmpxchg, acting after the interrupt: y installed with the old tid 16384) are two
 * watch rows at their own steps, the free first. */
Test(steps, watch_change_at_its_step)
{
	const char *q34 = "SELECT seq FROM watch WHERE step = 34 AND name = 'slub kmalloc-64 cpu0'"
			  " AND value LIKE 'freelist 0xffff888000005040 (62) tid 32768 %'";
	const char *q27 = "SELECT seq FROM watch WHERE step = 27 AND name = 'slub kmalloc-64 cpu0'"
			  " AND value LIKE 'freelist 0xffff888000005080 (62) tid 16384 %'";
	int64_t s34 = helper_db_int(db, q34), s27 = helper_db_int(db, q27);

	cr_assert(lt(i64, 0, s34));
	cr_assert(lt(i64, s34, s27), "the stale swap comes after the interrupt's free");
	/* nothing of either is left to the task's next step */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM watch WHERE step = 35"), 0));
}

/* The fast path's steps name slab_alloc_node and its redo: label, the free's do_slab_free. */
Test(steps, fast_path_function_and_label)
{
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM steps WHERE step IN (26, 27, 28, 29, 35, 36)"
					" AND func = 'slab_alloc_node' AND label = 'slab_alloc_node:redo'"), 6));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM steps WHERE step BETWEEN 32 AND 34"
					" AND func = 'do_slab_free' AND label = 'do_slab_free:redo'"), 3));
	/* every step of an operation names its function */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM steps WHERE op_seq IS NOT NULL AND func IS NULL"), 0));
}

/* Forced, the interrupt comes at once: step 28 follows step 27 by the IRQ entry and its own
 * cost, not at the interrupt's due time (1 ms in the scenario). */
Test(steps, forced_interrupt_costs_no_time)
{
	int64_t gap = helper_db_int(db, "SELECT b.time_ns - a.time_ns - b.cost_ns FROM steps a, steps b"
				       " WHERE a.step = 27 AND b.step = 28");

	cr_assert(lt(i64, 0, gap));
	cr_assert(lt(i64, gap, 1000), "the clock jumped by %lld ns", (long long)gap);
	cr_assert(lt(i64, helper_db_int(db, "SELECT max(end_ns) FROM v_ops"), 100000));
}

/* The script's names: x, y by the interrupt, x freed again, b the task's next. */
Test(steps, names)
{
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM names n JOIN v_ops o ON o.seq = n.op_seq WHERE"
					" (n.name = 'x' AND o.context = 'hardirq' AND o.kind IN ('obj_alloc', 'obj_free'))"
					" OR (n.name = 'y' AND o.context = 'hardirq' AND o.kind = 'obj_alloc')"), 3));
	/* b is y's object: the object handed out twice */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(DISTINCT o.addr) FROM names n JOIN v_ops o ON o.seq = n.op_seq"
					" WHERE n.name IN ('y', 'b')"), 1));
}
