/*
 * test_slab_reap.c - SLAB's reaper (models/slab/reap.c) with another vCPU racing it.
 *
 * Strategy: small race scenarios (the script step cache_reap runs cache_reap on a vCPU's
 * kworker) explored exhaustively with every guard on: every schedule with one forced switch
 * must end clean, and among them are those where the other vCPU changes what the reaper
 * looked at without the lock.  Those take the reaper's rare branches: drain_freelist's
 * re-check under n->list_lock finding slabs_free emptied, and reap_alien's
 * spin_trylock_irq failing on an alien lock another CPU holds; and an interrupt that wants
 * the alien lock the reaper holds (IRQs off keep it out).  A branch that leaves a lock
 * held or IRQs off makes the kworker's work item return so, which the engine asserts
 * against (sim/engine/irq.c), and any later taker of the lock deadlocks: either fails here.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore/explore.h"
#include "sim/scenario/scenario.h"

/*
 * kmalloc-4k holds one object per slab.  vCPU 0 frees a (its slab S goes to slabs_free,
 * b stays in the array of limit 1) and takes b back as c; the reap pass at 8 s clears
 * free_touched (set by every refill that found no partial slab), the one at 12.1 s (the
 * node's next turn, n->next_reap + 4 s) drains slabs_free: drain_freelist sees S there
 * without the lock.  vCPU 1 allocates x at 12.1 s with an empty array: cache_alloc_refill
 * takes S from slabs_free.  Switched to vCPU 1 at drain_freelist's spin_lock_irq, the
 * reaper then finds the list empty under the lock and must unlock before giving up.
 */
static const char freelist_recheck[] =
	"{ \"name\": \"reap-freelist-recheck\", \"seed\": 1, \"allocator\": \"slab\",\n"
	"  \"machine\": { \"nodes\": [ { \"cpus\": 2, \"zones\": { \"dma32\": 16 } } ] },\n"
	"  \"sched\": { \"preempt\": \"none\", \"hz\": 0, \"migrate_pct\": 0 },\n"
	"  \"slab\": { \"freelist_random\": false, \"reaper\": false,\n"
	"            \"tune\": [ { \"cache\": \"kmalloc-4k\", \"limit\": 1, \"batchcount\": 1, \"shared\": 0 } ] },\n"
	"  \"snapshot_interval_us\": 0, \"workload\": { \"streams\": [] },\n"
	"  \"race\": { \"tasks\": [\n"
	"    { \"cpu\": 0, \"ops\": [\n"
	"      { \"op\": \"alloc\", \"cache\": \"kmalloc-4k\", \"as\": \"a\" },\n"
	"      { \"op\": \"alloc\", \"cache\": \"kmalloc-4k\", \"as\": \"b\" },\n"
	"      { \"op\": \"free\", \"ref\": \"a\" }, { \"op\": \"free\", \"ref\": \"b\" },\n"
	"      { \"op\": \"alloc\", \"cache\": \"kmalloc-4k\", \"as\": \"c\" },\n"
	"      { \"op\": \"cache_reap\", \"at_ns\": 8000000000 },\n"
	"      { \"op\": \"cache_reap\", \"at_ns\": 12100000000 } ] },\n"
	"    { \"cpu\": 1, \"ops\": [\n"
	"      { \"op\": \"alloc\", \"cache\": \"kmalloc-4k\", \"as\": \"x\", \"at_ns\": 12100000000 } ] } ] } }\n";

/*
 * Two nodes: vCPUs 0 and 1 on node 0, vCPU 2 on node 1.  vCPU 2 allocates p and r (node 1
 * objects); vCPU 0 frees p, which waits in node 0's alien array for node 1, then reaps;
 * vCPU 1 reaps too once p is there.  Both reapers start with node 1 as their reap node
 * (init_reap_node), so both go for the same alien array: the one that takes its lock
 * drains it into node 1 and yields at node 1's list_lock with the alien lock held, and the
 * other's spin_trylock_irq fails there and must turn IRQs back on.
 */
static const char alien_trylock[] =
	"{ \"name\": \"reap-alien-trylock\", \"seed\": 1, \"allocator\": \"slab\",\n"
	"  \"machine\": { \"nodes\": [ { \"cpus\": 2, \"zones\": { \"dma32\": 16 } },\n"
	"                            { \"cpus\": 1, \"zones\": { \"normal\": 16 } } ] },\n"
	"  \"sched\": { \"preempt\": \"none\", \"hz\": 0, \"migrate_pct\": 0 },\n"
	"  \"slab\": { \"freelist_random\": false, \"reaper\": false },\n"
	"  \"snapshot_interval_us\": 0, \"workload\": { \"streams\": [] },\n"
	"  \"race\": { \"tasks\": [\n"
	"    { \"cpu\": 2, \"ops\": [ { \"op\": \"alloc\", \"cache\": \"kmalloc-1k\", \"as\": \"p\" },\n"
	"                           { \"op\": \"alloc\", \"cache\": \"kmalloc-1k\", \"as\": \"r\" } ] },\n"
	"    { \"cpu\": 0, \"ops\": [ { \"op\": \"wait\", \"ref\": \"r\", \"until\": \"live\" },\n"
	"                           { \"op\": \"free\", \"ref\": \"p\" }, { \"op\": \"cache_reap\" } ] },\n"
	"    { \"cpu\": 1, \"ops\": [ { \"op\": \"wait\", \"ref\": \"p\" }, { \"op\": \"cache_reap\" } ] } ] } }\n";

/*
 * The same machine, one reaper (vCPU 0, whose p waits in the alien array) and an interrupt
 * on vCPU 0 that frees r, another node 1 object, into that alien array: __cache_free_alien
 * takes the alien lock.  reap_alien holds that lock with IRQs off (spin_trylock_irq), so
 * the interrupt can never come while vCPU 0 holds it; with IRQs on there it would spin on
 * a lock its own CPU holds.
 */
static const char alien_irq[] =
	"{ \"name\": \"reap-alien-irq\", \"seed\": 1, \"allocator\": \"slab\",\n"
	"  \"machine\": { \"nodes\": [ { \"cpus\": 2, \"zones\": { \"dma32\": 16 } },\n"
	"                            { \"cpus\": 1, \"zones\": { \"normal\": 16 } } ] },\n"
	"  \"sched\": { \"preempt\": \"none\", \"hz\": 0, \"migrate_pct\": 0 },\n"
	"  \"slab\": { \"freelist_random\": false, \"reaper\": false },\n"
	"  \"snapshot_interval_us\": 0, \"workload\": { \"streams\": [] },\n"
	"  \"race\": { \"tasks\": [\n"
	"    { \"cpu\": 2, \"ops\": [ { \"op\": \"alloc\", \"cache\": \"kmalloc-1k\", \"as\": \"p\" },\n"
	"                           { \"op\": \"alloc\", \"cache\": \"kmalloc-1k\", \"as\": \"r\" } ] },\n"
	"    { \"cpu\": 0, \"ops\": [ { \"op\": \"wait\", \"ref\": \"r\", \"until\": \"live\" },\n"
	"                           { \"op\": \"free\", \"ref\": \"p\" }, { \"op\": \"cache_reap\" } ] } ],\n"
	"    \"irqs\": [ { \"cpu\": 0, \"at_ns\": 100000000, \"ops\": [ { \"op\": \"free\", \"ref\": \"r\" } ] } ] } }\n";

/* Every schedule with at most one forced switch: the space covered, no violation. */
static uint64_t explore_clean(const char *name, const char *text)
{
	struct sim_scenario sc;
	struct sim_xplore x;

	cr_assert(eq(int, sim_scenario_parse(&sc, name, text, stderr), 0), "%s", name);
	memset(&x, 0, sizeof(x));
	x.ex.strategy = SIM_EXPLORE_EXHAUSTIVE;
	x.ex.seed = sc.seed;
	x.ex.nr_schedules = 100000;
	x.ex.preemptions = 1;
	x.ex.jobs = 1;
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, stderr), 0), "%s", name);
	cr_assert(not(x.res.found), "%s: %s", name, x.res.why);
	cr_assert(x.res.exhausted, "%s: the bounded space was not covered", name);
	sim_scenario_free(&sc);
	return x.res.explored;
}

/* The default schedule and each one-switch variant: dozens of schedules (79 when written). */
Test(slab_reap, drain_freelist_finds_slabs_free_emptied, .timeout = 60)
{
	cr_assert(lt(u64, 20, explore_clean("reap-freelist-recheck", freelist_recheck)));
}

Test(slab_reap, reap_alien_trylock_fails_on_a_held_alien_lock, .timeout = 60)
{
	cr_assert(lt(u64, 20, explore_clean("reap-alien-trylock", alien_trylock)));
}

Test(slab_reap, reap_alien_keeps_irqs_off_under_the_alien_lock, .timeout = 60)
{
	cr_assert(lt(u64, 5, explore_clean("reap-alien-irq", alien_irq)));
}

/* Bad input, one line: cache_reap in an interrupt script (it waits for a kworker). */
Test(slab_reap, cache_reap_in_an_interrupt_is_bad_input)
{
	static const char text[] =
		"{ \"allocator\": \"slab\", \"machine\": { \"nodes\": [ { \"cpus\": 1, \"zones\": { \"dma32\": 16 } } ] },\n"
		"  \"slab\": { \"reaper\": false }, \"workload\": { \"streams\": [] },\n"
		"  \"race\": { \"tasks\": [ { \"cpu\": 0, \"ops\": [ { \"op\": \"yield\" } ] } ],\n"
		"            \"irqs\": [ { \"cpu\": 0, \"at_ns\": 1000000, \"ops\": [ { \"op\": \"cache_reap\" } ] } ] } }\n";
	struct sim_scenario sc;
	struct sim_xplore x;
	char *err = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&err, &len);

	cr_assert(not(eq(ptr, f, NULL)));
	cr_assert(eq(int, sim_scenario_parse(&sc, "in-irq.json", text, stderr), 0));
	memset(&x, 0, sizeof(x));
	x.ex.strategy = SIM_EXPLORE_PCT;
	x.ex.seed = 1;
	x.ex.nr_schedules = 10;
	x.ex.depth = 2;
	x.ex.jobs = 1;
	cr_assert(eq(int, sim_explore_scenario(&sc, &x, f), SIM_EBADINPUT));
	fclose(f);
	cr_assert(eq(str, err, "in-irq.json:4: race.irqs[0].ops[0]: cache_reap waits for a kworker: a task script's step only\n"));
	free(err);
	sim_scenario_free(&sc);
}
