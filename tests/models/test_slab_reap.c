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
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
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

/* ---- The reaper's rules, one vCPU at a time ---- */

/* The default scenario's machine (2 nodes of 2 vCPUs) at `hz`, SLAB up, no freelist shuffle. */
static struct sim_scenario *rule_up(uint32_t hz)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->hz = hz;
	slab_set_boot_params(-1, false, false);
	cr_assert(ne(ptr, (void *)helper_slab_machine_up_sc(s), NULL));
	return s;
}

static void rule_down(struct sim_scenario *s)
{
	bool ok = slab_check(stderr);

	helper_slab_machine_down(s);
	slab_set_boot_params(-1, false, true);
	cr_assert(ok, "slab_check");
}

/*
 * When cache_reap runs, in jiffies of 1/HZ s (the vCPU clock in whole ticks of 10^9 / HZ ns,
 * slab_jiffies).  start_cpu_timer queues the first pass __round_jiffies_relative(HZ, cpu) after
 * boot, cache_reap the next one round_jiffies_relative(REAPTIMEOUT_AC = 2 * HZ) after the pass
 * (mm/slab.c).  round_jiffies_common (kernel/time/timer.c): add 3 * cpu, round to a whole
 * second (down when less than HZ / 4 past one, else up), take the 3 * cpu off again.
 *   boot, jiffies 0: HZ + 3 cpu is 3 cpu past a second: down to HZ, due HZ - 3 cpu.
 *   a pass at jiffy J on cpu 0: J + 2 HZ rounded.
 * 1001 Hz: a tick of 999000 ns, not a whole divisor of a second; 250 Hz: 4 ms.
 * At the edges (H4 = HZ / 4, the integer division): on cpu 0, J + 2 HZ exactly H4 past a
 * second goes up; on cpu 3 (skew 9), 3 HZ + H4 - 10 is H4 - 1 past one with the skew: down,
 * 3 HZ - 9; on cpu 2 (skew 6), 3 HZ + H4 - 6 is H4 past one with it: up, 4 HZ - 6.
 */
Test(slab_reap, reap_timer_fires_on_rounded_jiffies, .timeout = 60)
{
	static const uint32_t hzs[] = { 250, 1001 };

	for (size_t h = 0; h < sizeof(hzs) / sizeof(hzs[0]); h++) {
		uint32_t hz = hzs[h];
		uint64_t tick = 1000000000ULL / hz;
		/* passes on cpu 0 at jiffy J (after the boot pass): the next due jiffy */
		const struct { uint64_t at, next; } pass[] = {
			{ hz, 3ULL * hz },				/* a whole second: 3 HZ */
			{ 3ULL * hz + hz / 2, 6ULL * hz },		/* half a second past 5 HZ: up */
			{ 6ULL * hz + hz / 8, 8ULL * hz },		/* an eighth past 8 HZ: down */
			{ 8ULL * hz + hz / 4, 11ULL * hz },		/* exactly H4 past 10 HZ: up */
			{ 11ULL * hz + (hz / 4 + hz / 3) / 2, 14ULL * hz },	/* between H4 and HZ / 3: up */
		};
		struct sim_scenario *s = rule_up(hz);

		for (int cpu = 0; cpu < 4; cpu++)
			cr_assert(eq(u64, slab_reap_next_ns(cpu), (hz - 3ULL * (unsigned int)cpu) * tick),
				  "HZ %u: cpu %d's first pass", hz, cpu);
		for (size_t i = 0; i < sizeof(pass) / sizeof(pass[0]); i++) {
			sim->vcpu[0].clock_ns = pass[i].at * tick;
			sim_engine_set_cpu(0);
			cr_assert(eq(u64, slab_cache_reap_tick(0, sim_now()), pass[i].next * tick),
				  "HZ %u: pass at jiffy %" PRIu64, hz, pass[i].at);
		}
		/* cpu 1's pass at its due jiffy HZ - 3: HZ - 3 + 2 HZ + 3 is a whole second; due 3 HZ - 3. */
		sim->vcpu[1].clock_ns = (hz - 3ULL) * tick;
		sim_engine_set_cpu(1);
		cr_assert(eq(u64, slab_cache_reap_tick(1, sim_now()), (3ULL * hz - 3) * tick), "HZ %u: cpu 1", hz);
		sim->vcpu[3].clock_ns = (hz + hz / 4 - 10) * tick;
		sim_engine_set_cpu(3);
		cr_assert(eq(u64, slab_cache_reap_tick(3, sim_now()), (3ULL * hz - 9) * tick), "HZ %u: cpu 3", hz);
		sim->vcpu[2].clock_ns = (hz + hz / 4 - 6) * tick;
		sim_engine_set_cpu(2);
		cr_assert(eq(u64, slab_cache_reap_tick(2, sim_now()), (4ULL * hz - 6) * tick), "HZ %u: cpu 2", hz);
		rule_down(s);
	}
}

/* The steps table's view of drain_array's reads of one array's avail (sim->read_hook). */
static struct {
	const void *avail;		/* &ac->avail watched */
	int nr_reads, nr_uses;		/* notes without / with the value the caller acts on */
	uint64_t used;			/* that value */
	struct array_cache *steal_from, *steal_to;	/* at the use: another CPU's refill */
} note;

static void note_read(const void *addr, size_t size, const uint64_t *expected, void *arg)
{
	(void)size;
	(void)arg;
	if (addr != note.avail)
		return;
	if (!expected) {
		note.nr_reads++;
		return;
	}
	note.nr_uses++;
	note.used = *expected;
	/* vCPU 1's cache_alloc_refill took the shared array's objects between the reaper's
	 * unlocked read and its spin_lock_irq (transfer_objects under n->list_lock) */
	if (note.steal_from)
		transfer_objects(note.steal_to, note.steal_from, note.steal_from->avail);
}

/*
 * drain_array (mm/slab.c): an array used since the last pass only loses its touched mark;
 * else drain_array_locked gives the oldest (limit + 4) / 5 entries back to their slabs, or
 * (avail + 1) / 2 when fewer than that are there.  With SIM_GUARD_SLAB_DRAIN_LOCK off the
 * count comes from the code before 2.6.16 (avail read before the lock): the same rule, so
 * with nobody racing it the result is the same; for the steps table it notes the unlocked
 * read of avail and, under the lock, free_block acting on the value read, and it trims the
 * array after the unlock, one object-op yield more than the locked path.  Per case: vCPU 0's
 * array of a cache tuned to limit L, batchcount 1, no shared array, holding `avail` objects
 * it took and gave back.  free_block takes emptied slabs off the lists while the node holds
 * more than free_limit ((1 + 2) x 1 + num) free objects, and slabs_destroy frees them: the
 * 1024-byte case (off-slab, 4 a page, free_limit 7) frees o[0..10], slabs 0 and 1 empty,
 * 11 free: one slab (4 objects) goes.
 */
Test(slab_reap, drain_array_gives_back_a_fifth_of_the_limit, .timeout = 60)
{
	static const struct { unsigned int size, limit, avail, tofree, gone; } t[] = {
		{ 64, 120, 120, 24, 0 },	/* 124 / 5 */
		{ 64, 120, 24, 24, 0 },		/* exactly a fifth there: all of it */
		{ 64, 120, 23, 12, 0 },		/* fewer: (23 + 1) / 2 */
		{ 64, 120, 1, 1, 0 },
		{ 64, 54, 54, 11, 0 },		/* 58 / 5 */
		{ 64, 54, 10, 5, 0 },
		{ 64, 16, 16, 4, 0 },
		{ 64, 16, 3, 2, 0 },
		{ 64, 6, 6, 2, 0 },
		{ 64, 6, 1, 1, 0 },
		{ 64, 1, 1, 1, 0 },
		{ 1024, 54, 24, 11, 4 },	/* 58 / 5, one slab destroyed */
	};
	void *o[120];
	uint64_t cost_on[sizeof(t) / sizeof(t[0])];

	for (int guard_off = 0; guard_off < 2; guard_off++) {
		struct sim_scenario *s = rule_up(250);

		sim->guard_off[SIM_GUARD_SLAB_DRAIN_LOCK] = guard_off;
		for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
			char name[32];
			struct kmem_cache *c;
			struct kmem_cache_node *n;
			struct array_cache *ac;
			unsigned long free_before;
			unsigned int gone;
			uint64_t clock;
			struct sim_op op;
			void *next;

			/* a constructor keeps each cache its own (never merged) */
			snprintf(name, sizeof(name), "drain%zu", i);
			c = (struct kmem_cache *)kmem_cache_create(name, t[i].size, 0, 0, true);
			cr_assert(ne(ptr, (void *)c, NULL));
			cr_assert(eq(int, slab_tune_cache(name, (int)t[i].limit, 1, 0), 0));
			n = c->node[0];
			ac = c->cpu_cache[0];
			for (unsigned int k = 0; k < t[i].avail; k++)
				o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
			for (unsigned int k = 0; k < t[i].avail; k++)
				helper_slab_free(0, o[k]);
			cr_assert(eq(uint, ac->avail, t[i].avail), "%s", name);
			cr_assert(eq(uint, ac->touched, 1), "%s: refills touch it", name);

			drain_array(c, n, ac, 0);
			cr_assert(eq(uint, ac->avail, t[i].avail), "%s: touched, kept", name);
			cr_assert(eq(uint, ac->touched, 0), "%s", name);

			free_before = n->free_objects;
			next = t[i].tofree < t[i].avail ? ac->entry[t[i].tofree] : NULL;
			memset(&note, 0, sizeof(note));
			note.avail = &ac->avail;
			sim->read_hook = note_read;
			clock = sim->vcpu[0].clock_ns;
			sim_op_begin(&op, SIM_OP_OBJ_FREE);	/* an operation to carry the path */
			drain_array(c, n, ac, 0);
			sim_op_end(&op);
			clock = sim->vcpu[0].clock_ns - clock;
			sim->read_hook = NULL;
			cr_expect(helper_slab_op_has_label(&op, "drain_array"), "%s", name);
			if (guard_off) {
				cr_expect(eq(int, note.nr_reads, 1), "%s: the unlocked read noted", name);
				cr_expect(eq(int, note.nr_uses, 1), "%s: its use under the lock noted", name);
				cr_expect(eq(u64, note.used, t[i].avail), "%s", name);
				cr_expect(eq(u64, clock, cost_on[i] + sim->cost[SIM_COST_OBJ_OP]), "%s: the trim's yield", name);
			} else {
				cost_on[i] = clock;
			}
			cr_assert(eq(uint, ac->avail, t[i].avail - t[i].tofree), "%s guard_off %d: limit %u avail %u",
				  name, guard_off, t[i].limit, t[i].avail);
			cr_assert(eq(ulong, n->free_objects, free_before + t[i].tofree - t[i].gone), "%s", name);
			gone = 0;
			for (unsigned int k = 0; k < t[i].avail; k++)
				gone += virt_to_slab(o[k]) == NULL;
			cr_assert(eq(uint, gone, t[i].gone), "%s: slabs destroyed", name);
			if (next)
				cr_assert(eq(ptr, ac->entry[0], next), "%s: the oldest went", name);
			cr_assert(eq(int, preempt_count(), 0), "%s: a lock left held", name);
			cr_assert(not(irqs_disabled()), "%s: IRQs left off", name);
		}
		rule_down(s);
	}
}

/*
 * SIM_GUARD_SLAB_DRAIN_LOCK off, the race the 2.6.16 fix closed (scenarios/races/
 * slab-drain-array-shared.json): the reaper reads the shared array's avail (4: tofree
 * (limit 4 + 4) / 5 = 1) without n->list_lock, vCPU 1's refill takes all 4 before the reaper
 * gets the lock, and free_block still gives back the bottom entry, which vCPU 1 now holds too.
 * The kernel's avail would wrap (0 - 1); the model records the BUG naming that entry,
 * entry[0], and empties the array.  Tunables limit 4, batchcount 2, shared 2 (4 entries): 8
 * objects out and back on vCPU 0 leave 4 in its array and 4 in the shared one.
 */
Test(slab_reap, drain_array_without_the_lock_records_the_avail_underflow, .timeout = 60)
{
	struct sim_scenario *s = rule_up(250);
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("uf64", 64, 0, 0, true);
	struct kmem_cache_node *n;
	struct array_cache *shared, *ac1;
	struct sim_op op;
	void *o[8], *bottom;
	char *text = NULL, want[160];
	size_t len = 0;
	FILE *f;

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(int, slab_tune_cache("uf64", 4, 2, 2), 0));
	sim->guard_off[SIM_GUARD_SLAB_DRAIN_LOCK] = true;
	n = c->node[0];
	shared = n->shared;
	ac1 = c->cpu_cache[1];
	for (int i = 0; i < 8; i++)
		o[i] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int i = 0; i < 8; i++)
		helper_slab_free(0, o[i]);
	cr_assert(eq(uint, shared->avail, 4));
	cr_assert(eq(uint, shared->touched, 0));
	bottom = shared->entry[0];

	memset(&note, 0, sizeof(note));
	note.avail = &shared->avail;
	note.steal_from = shared;
	note.steal_to = ac1;
	sim->read_hook = note_read;
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	drain_array(c, n, shared, 0);
	sim_op_end(&op);
	sim->read_hook = NULL;
	cr_expect(helper_slab_op_has_label(&op, "drain_array:avail_underflow"));
	cr_expect(eq(u64, note.used, 4));
	cr_expect(eq(uint, ac1->avail, 4));
	cr_expect(eq(uint, shared->avail, 0));
	cr_expect(eq(ulong, c->errors, 1), "STATS_INC_ERR");

	f = open_memstream(&text, &len);
	cr_assert(ne(ptr, (void *)f, NULL));
	cr_expect(not(slab_check(f)));
	fclose(f);
	snprintf(want, sizeof(want), "first: uf64: drain_array: avail below the objects it freed (the kernel's avail wraps) (%#llx)",
		 (unsigned long long)(uintptr_t)bottom);
	cr_expect(ne(ptr, strstr(text, want), NULL), "%s", text);
	free(text);

	/* vCPU 1's copy of the object free_block gave back goes too: consistent again */
	cr_assert(eq(ptr, ac1->entry[0], bottom));
	memmove(&ac1->entry[0], &ac1->entry[1], 3 * sizeof(void *));
	ac1->avail = 3;
	slab_bugs_reset();
	rule_down(s);
}

/* A reaper pass on `cpu` at the first whole second when both the CPU's pass (slab_reap_next_ns)
 * and node `n`'s turn (n->next_reap, in jiffies of 4 ms at 250 Hz) have come. */
static void node_pass(int cpu, const struct kmem_cache_node *n)
{
	uint64_t t = slab_reap_next_ns(cpu);

	if (t < (uint64_t)n->next_reap * 4000000ULL)
		t = (uint64_t)n->next_reap * 4000000ULL;
	t = (t + 999999999ULL) / 1000000000ULL * 1000000000ULL;
	sim->vcpu[cpu].clock_ns = t;
	sim_engine_set_cpu(cpu);
	cr_assert(lt(u64, t, slab_cache_reap_tick(cpu, sim_now())));
	cr_assert(eq(u64, (uint64_t)n->next_reap * 4000000ULL, (t / 4000000ULL + 4 * 250) * 4000000ULL),
		  "node work was due");
}

/* Objects of o[0..nr) whose slab is gone (destroyed, pages given back). */
static int nr_without_slab(void **o, int nr)
{
	int gone = 0;

	for (int i = 0; i < nr; i++)
		gone += virt_to_slab(o[i]) == NULL;
	return gone;
}

/*
 * cache_reap's node work (mm/slab.c), every REAPTIMEOUT_NODE: drain_array on the node's
 * shared array, then unless a free slab was wanted since (free_touched) drain_freelist of
 * (free_limit + 5 num - 1) / (5 num) slabs from slabs_free.  1024-byte objects with a
 * constructor: off-slab, 4 a page (num 4).  The passes run on vCPU 1, whose array stays empty,
 * for objects vCPU 0 took and gave back:
 *   limit 24, batchcount 12, shared 0: free_limit 3 x 12 + 4 = 40, 2 slabs a pass (40 + 19) / 20;
 *   limit 12, batchcount 6, shared 0: free_limit 22, (22 + 19) / 20 = 2 as well;
 *   limit 4, batchcount 2, shared 4 (8 entries, full): the shared array loses (8 + 4) / 5 = 2
 *     at node time, not before.
 */
Test(slab_reap, node_work_trims_shared_and_frees_a_fifth_of_free_limit_in_slabs, .timeout = 60)
{
	static const struct { int limit, batch; unsigned int free_limit; int per_pass; } t[] = {
		{ 24, 12, 40, 2 }, { 12, 6, 22, 2 },
	};
	struct sim_scenario *s = rule_up(250);
	void *o[48];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char name[32];
		struct kmem_cache *c;
		struct kmem_cache_node *n;
		unsigned long free_slabs;
		int gone;

		snprintf(name, sizeof(name), "nw1k-%zu", i);
		c = (struct kmem_cache *)kmem_cache_create(name, 1024, 0, 0, true);
		cr_assert(ne(ptr, (void *)c, NULL));
		cr_assert(eq(uint, c->num, 4));
		cr_assert(eq(int, slab_tune_cache(name, t[i].limit, t[i].batch, 0), 0));
		n = c->node[0];
		cr_assert(eq(uint, n->free_limit, t[i].free_limit));
		for (int k = 0; k < 48; k++)
			o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
		for (int k = 0; k < 48; k++)
			helper_slab_free(0, o[k]);
		free_slabs = n->free_slabs;
		cr_assert(le(ulong, 2 * (unsigned long)t[i].per_pass + 1, free_slabs), "%s: %lu free slabs", name, free_slabs);
		/* each refill found no free object and grew its own slab (direct_grow): get_first_slab
		 * never looked at slabs_free, so free_touched is still 0 */
		cr_assert(eq(int, n->free_touched, 0));
		gone = nr_without_slab(o, 48);	/* free_block's own, above free_limit */
		node_pass(1, n);
		cr_expect(eq(ulong, n->free_slabs, free_slabs - t[i].per_pass), "%s", name);
		cr_expect(eq(ulong, c->reaped, (unsigned long)t[i].per_pass), "%s", name);
		cr_expect(eq(int, nr_without_slab(o, 48) - gone, 4 * t[i].per_pass), "%s", name);
	}
	{
		struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("nwsh", 1024, 0, 0, true);
		struct kmem_cache_node *n;
		uint64_t t0;

		cr_assert(ne(ptr, (void *)c, NULL));
		cr_assert(eq(int, slab_tune_cache("nwsh", 4, 2, 4), 0));
		n = c->node[0];
		for (int k = 0; k < 16; k++)
			o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
		for (int k = 0; k < 16; k++)
			helper_slab_free(0, o[k]);
		cr_assert(eq(uint, n->shared->avail, 8));
		cr_assert(eq(uint, n->shared->touched, 0));
		/* a pass before the node's turn leaves the shared array alone */
		t0 = slab_reap_next_ns(1);
		cr_assert(lt(u64, t0, (uint64_t)n->next_reap * 4000000ULL));
		sim->vcpu[1].clock_ns = t0;
		sim_engine_set_cpu(1);
		slab_cache_reap_tick(1, sim_now());
		cr_expect(eq(uint, n->shared->avail, 8));
		node_pass(1, n);
		cr_expect(eq(uint, n->shared->avail, 6));
	}
	rule_down(s);
}

/*
 * The reaper's drain of an alien array (reap_alien, __drain_alien_cache) gives the objects
 * back to their node with free_block, which takes emptied slabs off the lists above
 * free_limit; slabs_destroy then frees their pages.  limit 4 (alien arrays of 12), batchcount
 * 1, no shared array, 1024-byte objects (4 a page): node 0's free_limit 3 x 1 + 4 = 7.  12
 * node 0 objects (3 slabs) freed on vCPU 2 (node 1) fill its alien array; vCPU 2's pass
 * (its reap node starts at node 0, init_reap_node) drains them: 12 free, 2 slabs go.
 */
Test(slab_reap, reap_alien_destroys_the_slabs_it_empties, .timeout = 60)
{
	struct sim_scenario *s = rule_up(250);
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("ra1k", 1024, 0, 0, true);
	struct array_cache *alien;
	struct sim_op op;
	void *o[12];

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(int, slab_tune_cache("ra1k", 4, 1, 0), 0));
	cr_assert(eq(uint, c->node[0]->free_limit, 7));
	alien = &c->node[1]->alien[0]->ac;
	for (int k = 0; k < 12; k++)
		o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int k = 0; k < 12; k++)
		helper_slab_free(2, o[k]);
	cr_assert(eq(uint, alien->avail, 12));
	sim->vcpu[2].clock_ns = slab_reap_next_ns(2);
	sim_engine_set_cpu(2);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);	/* an operation to carry the path */
	slab_cache_reap_tick(2, sim_now());
	sim_op_end(&op);
	cr_expect(helper_slab_op_has_label(&op, "reap_alien"));
	cr_expect(helper_slab_op_has_label(&op, "__drain_alien_cache"));
	cr_expect(eq(uint, alien->avail, 0));
	cr_expect(eq(ulong, c->node[0]->free_objects, 4));
	cr_expect(eq(int, nr_without_slab(o, 12), 8));
	rule_down(s);
}

/*
 * __kmem_cache_shrink: drain_cpu_caches gives every array back (do_drain: free_block of the
 * whole per-CPU array, then slabs_destroy of what it took off above free_limit), then
 * drain_freelist destroys every free slab left: nothing in use, no page kept.  limit 54,
 * batchcount 1: free_limit 3 + 4 = 7, vCPU 0's array holds 40 of the 40 objects.
 */
Test(slab_reap, shrink_gives_every_page_back, .timeout = 60)
{
	struct sim_scenario *s = rule_up(250);
	struct kmem_cache *c = (struct kmem_cache *)kmem_cache_create("sh1k", 1024, 0, 0, true);
	void *o[40];

	cr_assert(ne(ptr, (void *)c, NULL));
	cr_assert(eq(int, slab_tune_cache("sh1k", 54, 1, 0), 0));
	for (int k = 0; k < 40; k++)
		o[k] = helper_slab_alloc(0, c, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int k = 0; k < 40; k++)
		helper_slab_free(0, o[k]);
	cr_assert(eq(uint, c->cpu_cache[0]->avail, 40));
	cr_assert(eq(int, slab_shrink_cache(c), 0));
	cr_expect(eq(uint, c->cpu_cache[0]->avail, 0));
	cr_expect(eq(ulong, c->node[0]->total_slabs, 0));
	cr_expect(eq(ulong, c->node[0]->free_objects, 0));
	cr_expect(eq(int, nr_without_slab(o, 40), 40));
	rule_down(s);
}

/* The reaper's entry points for a CPU the machine has not (4 vCPUs): never due. */
Test(slab_reap, reap_entry_points_refuse_a_cpu_out_of_range)
{
	struct sim_scenario *s = rule_up(250);

	cr_expect(eq(u64, slab_reap_next_ns(-1), UINT64_MAX));
	cr_expect(eq(u64, slab_reap_next_ns(4), UINT64_MAX));
	cr_expect(eq(u64, slab_cache_reap_tick(-1, UINT64_MAX - 1), UINT64_MAX));
	cr_expect(eq(u64, slab_cache_reap_tick(4, UINT64_MAX - 1), UINT64_MAX));
	cr_expect(lt(u64, slab_reap_next_ns(3), UINT64_MAX));
	rule_down(s);
}
