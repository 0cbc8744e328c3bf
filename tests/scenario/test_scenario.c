/*
 * test_scenario.c - the scenario loader: defaults, overrides, canonical JSON
 * and bad input.
 *
 * Strategy: the embedded default and scenarios/default.json must print the
 * same canonical JSON; one scenario that sets every key must land in every
 * field, and its canonical JSON must parse back to itself; a partial file
 * leaves the rest at the defaults.  Bad input is a table of texts, each with
 * the exact line it must print on `err` and SIM_EBADINPUT, after which the
 * scenario holds the defaults again.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario/scenario.h"
#include "models/mm.h"
#include "models/slab_common/slab_common.h"

/* Parse `text` as file `name`; what it printed on err goes to *msg (malloc'd). */
static int parse_capture(struct sim_scenario *sc, const char *name, const char *text, char **msg)
{
	size_t len = 0;
	FILE *err = open_memstream(msg, &len);
	int rc;

	cr_assert(not(eq(ptr, err, NULL)));
	rc = sim_scenario_parse(sc, name, text, err);
	fclose(err);
	return rc;
}

static char *source_path(const char *rel)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", root ? root : ".", rel) > 0);
	return p;
}

/* ---------------------------------------------------------------- defaults */

Test(scenario, default_machine)
{
	struct sim_scenario sc;

	sim_scenario_default(&sc);
	cr_assert(eq(int, sc.nr_nodes, 2));
	cr_assert(eq(int, sim_scenario_nr_cpus(&sc), 4));
	cr_assert(eq(u64, sc.node[0].zone_mib[ZONE_DMA], 16));
	cr_assert(eq(u64, sc.node[0].zone_mib[ZONE_DMA32], 1008));
	cr_assert(eq(u64, sc.node[1].zone_mib[ZONE_DMA32], 1024));
	cr_assert(eq(u64, sc.node[1].zone_mib[ZONE_NORMAL], 0));
	cr_assert(eq(int, sc.distance[0][1], 20));
	cr_assert(eq(int, sc.distance[1][1], 10));
	cr_assert(eq(u32, sc.cost[SIM_COST_CTX_SWITCH], 1000));
	cr_assert(eq(int, sc.preempt_model, SIM_PREEMPT_VOLUNTARY));
	cr_assert(eq(u64, sc.slice_ns, 3000000));
	cr_assert(eq(u32, sc.hz, 250));
	cr_assert(eq(u64, sc.seed, 1));
	cr_assert(eq(int, sc.allocator, SIM_ALLOC_SLUB));
	cr_assert(eq(str, (char *)sim_allocator_name(sc.allocator), "slub"));
	cr_assert(eq(int, sc.stream[0].kind, SIM_STREAM_KIND_OBJECTS));
	cr_assert(eq(int, sc.nr_streams, 1));
	cr_assert(eq(int, sc.stream[0].cpu, -1));
	cr_assert(eq(u32, sc.stream[0].order_weight[0], 900));
	cr_assert(eq(u32, sc.stream[0].order_weight[10], 1));
	cr_assert(eq(u32, sc.stream[0].gfp, GFP_KERNEL));
	cr_assert(eq(u32, sc.irq_gfp, GFP_ATOMIC));
	cr_assert(sc.log_ops);
	for (int g = 0; g < SIM_NR_GUARDS; g++)
		cr_assert(not(sc.guard_off[g]));
	sim_scenario_free(&sc);
}

Test(scenario, default_file_is_the_embedded_default)
{
	struct sim_scenario def, file;
	char *path = source_path("scenarios/default.json");
	char *a, *b;

	sim_scenario_default(&def);
	cr_assert(eq(int, sim_scenario_load(&file, path, stderr), 0));
	cr_assert(eq(str, file.path, path));
	cr_assert(not(eq(ptr, file.json, NULL)));
	a = sim_scenario_to_json(&def);
	b = sim_scenario_to_json(&file);
	cr_assert(eq(str, b, a));
	free(a);
	free(b);
	free(path);
	sim_scenario_free(&def);
	sim_scenario_free(&file);
}

Test(scenario, every_ready_scenario_loads)
{
	static const char *const names[] = {
		"default", "pcp-hit", "high-order", "small-memory", "irq-heavy", "preempt-full",
		"slub-l1", "slub-l2", "slub-l3", "slub-l4", "slub-l5", "realistic", "memory-pressure", "oom",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct sim_scenario sc;
		char *rel = NULL, *path;

		cr_assert(asprintf(&rel, "scenarios/%s.json", names[i]) > 0);
		path = source_path(rel);
		cr_assert(eq(int, sim_scenario_load(&sc, path, stderr), 0), "%s", path);
		cr_assert(eq(str, sc.name, (char *)names[i]));
		sim_scenario_free(&sc);
		free(path);
		free(rel);
	}
}

/* --------------------------------------------------------------- overrides */

/* Every key set to something other than its default. */
static const char every_key[] =
	"{\n"
	"  \"name\": \"every\", \"description\": \"all keys\", \"seed\": 42, \"allocator\": \"slab\",\n"
	"  \"machine\": {\n"
	"    \"nodes\": [ { \"cpus\": 3, \"zones\": { \"dma\": 8, \"dma32\": 504, \"normal\": 512, \"movable\": 64 } },\n"
	"               { \"cpus\": 1, \"zones\": { \"normal\": 256 } },\n"
	"               { \"cpus\": 2, \"zones\": { \"normal\": 128, \"movable\": 32 } } ],\n"
	"    \"distance\": [[10, 21, 31], [21, 10, 17], [31, 17, 10]]\n"
	"  },\n"
	"  \"costs\": { \"lock\": 21, \"lock_spin\": 11, \"irq\": 6, \"preempt\": 3, \"percpu\": 2, \"mem\": 7,\n"
	"             \"cmpxchg\": 12, \"cmpxchg_double\": 22, \"irq_entry\": 250, \"ctx_switch\": 900,\n"
	"             \"page_op\": 13, \"obj_op\": 4, \"remote_pct\": 50 },\n"
	"  \"sched\": { \"preempt\": \"full\", \"slice_us\": 750, \"migrate_pct\": 33, \"hz\": 1000, \"tasks_per_cpu\": 4 },\n"
	"  \"irq\": { \"gfp\": \"GFP_NOWAIT|__GFP_NOWARN\", \"delay_ns\": [5, 60] },\n"
	"  \"buddy\": { \"min_free_kbytes\": 2048, \"watermark_scale_factor\": 150, \"percpu_pagelist_high_fraction\": 8 },\n"
	"  \"workload\": { \"streams\": [\n"
	"    { \"cpu\": 5, \"ops\": 777, \"orders\": { \"0\": 3, \"10\": 1 }, \"migratetypes\": { \"reclaimable\": 2 },\n"
	"      \"lifetime\": [7, 9], \"irq_pct\": 100, \"think_ns\": 11, \"node\": 2, \"gfp\": \"GFP_KERNEL|__GFP_ZERO\" },\n"
	"    { \"ops\": 5, \"gfp\": 1234 } ] },\n"
	"  \"guards\": { \"slub_tid\": false, \"slub_recheck\": false, \"slub_irq\": false, \"slub_cmpxchg_double\": false,\n"
	"              \"slab_irq\": false, \"slab_list_lock\": false, \"pcp_lock\": false,\n"
	"              \"slub_deactivate_irq\": false, \"slub_unfreeze_irq\": false, \"slub_cpu_partial\": false,\n"
	"              \"pcp_drain_lock\": false, \"slub_node_partial\": false, \"slab_drain_lock\": false },\n"
	"  \"snapshot_interval_us\": 0, \"check_every\": 100, \"log_ops\": false\n"
	"}\n";

Test(scenario, every_key_overrides)
{
	static const struct { int nid, zid; uint64_t mib; } zones[] = {
		{ 0, ZONE_DMA, 8 }, { 0, ZONE_DMA32, 504 }, { 0, ZONE_NORMAL, 512 }, { 0, ZONE_MOVABLE, 64 },
		{ 1, ZONE_DMA32, 0 }, { 1, ZONE_NORMAL, 256 }, { 2, ZONE_MOVABLE, 32 },
	};
	static const uint32_t cost[SIM_NR_COSTS] = {
		[SIM_COST_LOCK] = 21, [SIM_COST_LOCK_SPIN] = 11, [SIM_COST_IRQ] = 6,
		[SIM_COST_PREEMPT] = 3, [SIM_COST_PERCPU] = 2, [SIM_COST_MEM] = 7,
		[SIM_COST_CMPXCHG] = 12, [SIM_COST_CMPXCHG_DOUBLE] = 22, [SIM_COST_IRQ_ENTRY] = 250,
		[SIM_COST_CTX_SWITCH] = 900, [SIM_COST_PAGE_OP] = 13, [SIM_COST_OBJ_OP] = 4,
	};
	struct sim_scenario sc;
	char *msg = NULL;

	cr_assert(eq(int, parse_capture(&sc, "every.json", every_key, &msg), 0), "%s", msg);
	cr_assert(eq(str, msg, ""));
	cr_assert(eq(str, sc.path, "every.json"));
	cr_assert(eq(str, sc.json, (char *)every_key));
	cr_assert(eq(str, sc.name, "every"));
	cr_assert(eq(str, sc.description, "all keys"));
	cr_assert(eq(u64, sc.seed, 42));
	cr_assert(eq(int, sc.allocator, SIM_ALLOC_SLAB));
	/* machine */
	cr_assert(eq(int, sc.nr_nodes, 3));
	cr_assert(eq(int, sc.node[0].nr_cpus, 3));
	cr_assert(eq(int, sc.node[1].nr_cpus, 1));
	cr_assert(eq(int, sc.node[2].nr_cpus, 2));
	cr_assert(eq(int, sim_scenario_nr_cpus(&sc), 6));
	for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		cr_assert(eq(u64, sc.node[zones[i].nid].zone_mib[zones[i].zid], zones[i].mib),
			  "node %d zone %d", zones[i].nid, zones[i].zid);
	cr_assert(eq(int, sc.distance[0][2], 31));
	cr_assert(eq(int, sc.distance[2][1], 17));
	cr_assert(eq(int, sc.distance[2][2], 10));
	/* costs: every one set */
	for (int i = 0; i < SIM_NR_COSTS; i++)
		cr_assert(eq(u32, sc.cost[i], cost[i]), "cost %d", i);
	cr_assert(eq(u32, sc.remote_pct, 50));
	/* sched, irq, buddy */
	cr_assert(eq(int, sc.preempt_model, SIM_PREEMPT_FULL));
	cr_assert(eq(u64, sc.slice_ns, 750000));
	cr_assert(eq(u32, sc.migrate_pct, 33));
	cr_assert(eq(u32, sc.hz, 1000));
	cr_assert(eq(u32, sc.tasks_per_cpu, 4));
	cr_assert(eq(u32, sc.irq_gfp, GFP_NOWAIT | __GFP_NOWARN));
	cr_assert(eq(u64, sc.irq_delay_min_ns, 5));
	cr_assert(eq(u64, sc.irq_delay_max_ns, 60));
	cr_assert(eq(u64, sc.min_free_kbytes, 2048));
	cr_assert(eq(u32, sc.watermark_scale_factor, 150));
	cr_assert(eq(u32, sc.percpu_pagelist_high_fraction, 8));
	/* workload: stream 0 sets everything, stream 1 keeps the stream defaults */
	cr_assert(eq(int, sc.nr_streams, 2));
	cr_assert(eq(int, sc.stream[0].cpu, 5));
	cr_assert(eq(u64, sc.stream[0].nr_ops, 777));
	cr_assert(eq(u32, sc.stream[0].order_weight[0], 3));
	cr_assert(eq(u32, sc.stream[0].order_weight[1], 0));
	cr_assert(eq(u32, sc.stream[0].order_weight[10], 1));
	cr_assert(eq(u32, sc.stream[0].mt_weight[MIGRATE_UNMOVABLE], 0));
	cr_assert(eq(u32, sc.stream[0].mt_weight[MIGRATE_MOVABLE], 0));
	cr_assert(eq(u32, sc.stream[0].mt_weight[MIGRATE_RECLAIMABLE], 2));
	cr_assert(eq(u32, sc.stream[0].lifetime_min, 7));
	cr_assert(eq(u32, sc.stream[0].lifetime_max, 9));
	cr_assert(eq(u32, sc.stream[0].irq_pct, 100));
	cr_assert(eq(u32, sc.stream[0].think_ns, 11));
	cr_assert(eq(int, sc.stream[0].nid, 2));
	cr_assert(eq(u32, sc.stream[0].gfp, GFP_KERNEL | __GFP_ZERO));
	cr_assert(eq(int, sc.stream[1].cpu, -1));
	cr_assert(eq(u64, sc.stream[1].nr_ops, 5));
	cr_assert(eq(u32, sc.stream[1].order_weight[0], 900));
	cr_assert(eq(u32, sc.stream[1].lifetime_max, 256));
	cr_assert(eq(u32, sc.stream[1].gfp, 1234));
	/* guards, the rest */
	for (int g = SIM_GUARD_SLUB_TID; g < SIM_NR_GUARDS; g++)
		cr_assert(sc.guard_off[g], "guard %d", g);
	cr_assert(eq(u64, sc.snapshot_interval_ns, 0));
	cr_assert(eq(u64, sc.check_every, 100));
	cr_assert(not(sc.log_ops));
	free(msg);
	sim_scenario_free(&sc);
}

Test(scenario, canonical_json_parses_back_to_itself)
{
	struct sim_scenario a, b;
	char *ja, *jb;

	cr_assert(eq(int, sim_scenario_parse(&a, "every.json", every_key, stderr), 0));
	ja = sim_scenario_to_json(&a);
	cr_assert(not(eq(ptr, ja, NULL)));
	cr_assert(eq(int, sim_scenario_parse(&b, "canonical.json", ja, stderr), 0));
	jb = sim_scenario_to_json(&b);
	cr_assert(eq(str, jb, ja));
	/* and it does differ from the default's */
	cr_assert(not(eq(ptr, strstr(ja, "\"GFP_KERNEL|__GFP_ZERO\""), NULL)));
	cr_assert(not(eq(ptr, strstr(ja, "\"slab\""), NULL)));
	free(ja);
	free(jb);
	sim_scenario_free(&a);
	sim_scenario_free(&b);
}

Test(scenario, partial_file_keeps_other_defaults)
{
	struct sim_scenario sc;
	const char *text = "{ \"costs\": { \"lock\": 99 }, \"sched\": { \"hz\": 100 } }";

	cr_assert(eq(int, sim_scenario_parse(&sc, "p.json", text, stderr), 0));
	cr_assert(eq(u32, sc.cost[SIM_COST_LOCK], 99));
	cr_assert(eq(u32, sc.cost[SIM_COST_LOCK_SPIN], 10));
	cr_assert(eq(u32, sc.hz, 100));
	cr_assert(eq(u64, sc.slice_ns, 3000000));
	cr_assert(eq(int, sc.nr_nodes, 2));
	cr_assert(eq(int, sc.distance[1][0], 20));
	cr_assert(eq(str, sc.name, "default"));
	sim_scenario_free(&sc);
}

Test(scenario, new_nodes_get_default_distances)
{
	struct sim_scenario sc;
	const char *text = "{ \"machine\": { \"nodes\": [ {\"cpus\": 1, \"zones\": {\"normal\": 64}},"
			   " {\"cpus\": 1, \"zones\": {\"normal\": 64}}, {\"cpus\": 1, \"zones\": {\"normal\": 64}} ] } }";

	cr_assert(eq(int, sim_scenario_parse(&sc, "n.json", text, stderr), 0));
	cr_assert(eq(int, sc.nr_nodes, 3));
	cr_assert(eq(int, sc.distance[0][2], 20));
	cr_assert(eq(int, sc.distance[2][2], 10));
	sim_scenario_free(&sc);
}

Test(scenario, seed_takes_64_bits_as_a_string)
{
	struct sim_scenario sc;
	char *j;

	cr_assert(eq(int, sim_scenario_parse(&sc, "s.json", "{\"seed\": \"0xfedcba9876543210\"}", stderr), 0));
	cr_assert(eq(u64, sc.seed, 0xfedcba9876543210ULL));
	j = sim_scenario_to_json(&sc);
	cr_assert(not(eq(ptr, strstr(j, "\"seed\":\t\"0xfedcba9876543210\""), NULL)), "%s", j);
	free(j);
	sim_scenario_free(&sc);
}

/* --------------------------------------------------------------- bad input */

/* Arrays, not pointers: Criterion copies parameters into the test's process. */
struct bad_case {
	char text[256];
	char line[256];			/* what err must say, without the newline */
};

static struct bad_case bad_cases[] = {
	{ "{\n \"machine\": {\n  \"nodes\": [\n   {\"cpus\": 2, \"zones\": {\"dma\": 16}},\n"
	  "   {\"cpus\": \"four\", \"zones\": {\"normal\": 8}}\n  ]\n }\n}",
	  "bad.json:5: machine.nodes[1].cpus: expected a positive integer, got \"four\"" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 0, \"zones\": {\"normal\": 8}}]}}",
	  "bad.json:1: machine.nodes[0].cpus: expected an integer in 1..1024, got 0" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1.5, \"zones\": {\"normal\": 8}}]}}",
	  "bad.json:1: machine.nodes[0].cpus: expected a positive integer, got 1.5" },
	{ "{\"machine\": {\"nodes\": []}}",
	  "bad.json:1: machine.nodes: expected an array of 1..64 nodes, got an empty array" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1}]}}",
	  "bad.json:1: machine.nodes[0]: missing key \"zones\"" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {}}]}}",
	  "bad.json:1: machine.nodes[0].zones: the node has no memory" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"dma\": 32}}]}}",
	  "bad.json:1: machine.nodes[0].zones.dma: expected an integer in 0..16, got 32" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"dma32\": 64}},\n"
	  "                         {\"cpus\": 1, \"zones\": {\"dma\": 8}}]}}",
	  "bad.json:2: machine.nodes[1].zones.dma: a DMA zone cannot follow a DMA32 zone at a lower address"
	  " (zones ascend DMA, DMA32, Normal across the nodes)" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"dma32\": 4000}},\n"
	  "                         {\"cpus\": 1, \"zones\": {\"dma32\": 1000}}]}}",
	  "bad.json:2: machine.nodes[1].zones.dma32: ZONE_DMA32 would end at 5000 MiB, above 4096 MiB (4 GiB)" },
	{ "{\"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"normal\": 8}, \"cpu\": 1}]}}",
	  "bad.json:1: machine.nodes[0].cpu: unknown key (known: cpus, zones, present_pages, managed_pages,"
	  " wmark_min, wmark_low, wmark_high, pcp_high, pcp_batch)" },
	{ "{\n  \"machine\": {\n    \"distance\": [[10, 20],\n                 [20]]\n  }\n}",
	  "bad.json:4: machine.distance[1]: expected 2 distances (one per node), got 1" },
	{ "{\"machine\": {\"distance\": [[10, 20], [20, 10], [20, 20]]}}",
	  "bad.json:1: machine.distance: expected 2 rows (one per node), got 3" },
	{ "{\"machine\": {\n\"distance\": [[10, 20],\n [30, 10]]}}",
	  "bad.json:2: machine.distance[0][1]: not symmetric: 20 here, 30 at [1][0]" },
	{ "{\"machine\": {\"distance\": [[10, 20],\n [20, 12]]}}",
	  "bad.json:2: machine.distance[1][1]: the local distance must be 10, got 12" },
	{ "{\"machine\": {\"distance\": [[10, 10], [10, 10]]}}",
	  "bad.json:1: machine.distance[0][1]: a remote distance must be above 10, got 10" },
	{ "{\"machine\": {\"distance\": \"far\"}}",
	  "bad.json:1: machine.distance: expected an array of at most 64 rows, got \"far\"" },
	{ "{\n  \"sead\": 7\n}",
	  "bad.json:2: sead: unknown key (known: name, description, seed, allocator, machine, costs, sched,"
	  " irq, buddy, kernel, caches, slab_nomerge, slub, slab, workload, guards, race, memory, snapshot_interval_us, check_every,"
	  " log_ops)" },
	{ "{\"seed\": -1}",
	  "bad.json:1: seed: expected a non-negative integer, got -1" },
	{ "{\"seed\": \"12abc\"}",
	  "bad.json:1: seed: expected a non-negative integer (or a string \"0x...\" for 64 bits), got \"12abc\"" },
	{ "{\n  \"seed\": 1,\n  \"name\": \"a\",\n  \"seed\": 2\n}",
	  "bad.json:4: seed: duplicate key" },
	{ "{\"log_ops\": 1}",
	  "bad.json:1: log_ops: expected true or false, got 1" },
	{ "{\"name\": 5}",
	  "bad.json:1: name: expected a string, got 5" },
	{ "{\"allocator\": \"slob\"}",
	  "bad.json:1: allocator: expected \"buddy\", \"slub\" or \"slab\", got \"slob\"" },
	{ "{\"sched\": {\"preempt\": \"partial\"}}",
	  "bad.json:1: sched.preempt: expected \"none\", \"voluntary\" or \"full\", got \"partial\"" },
	{ "{\"sched\": {\"migrate_pct\": 101}}",
	  "bad.json:1: sched.migrate_pct: expected an integer in 0..100, got 101" },
	{ "{\"sched\": {\"slice_us\": 0}}",
	  "bad.json:1: sched.slice_us: expected an integer in 1..1000000, got 0" },
	{ "{\"costs\": {\"lock\": -5}}",
	  "bad.json:1: costs.lock: expected an integer in 0..1000000000, got -5" },
	{ "{\"costs\": []}",
	  "bad.json:1: costs: expected an object, got an empty array" },
	{ "{\"buddy\": {\"watermark_scale_factor\": 0}}",
	  "bad.json:1: buddy.watermark_scale_factor: expected an integer in 1..3000, got 0" },
	{ "{\"buddy\": {\"percpu_pagelist_high_fraction\": 7}}",
	  "bad.json:1: buddy.percpu_pagelist_high_fraction: expected 0 (the default sizes) or at least 8, got 7" },
	{ "{\"irq\": {\"delay_ns\": [100, 10]}}",
	  "bad.json:1: irq.delay_ns: min 100 is above max 10" },
	{ "{\"guards\": {\"slub_tid\": \"off\"}}",
	  "bad.json:1: guards.slub_tid: expected true or false, got \"off\"" },
	{ "{\"workload\": {\"streams\": [{\"irq_pct\": 150}]}}",
	  "bad.json:1: workload.streams[0].irq_pct: expected an integer in 0..100, got 150" },
	{ "{\"workload\": {\"streams\": [{}, {\"orders\": {\n\"11\": 3}}]}}",
	  "bad.json:2: workload.streams[1].orders.11: order 11 is not below MAX_ORDER (11)" },
	{ "{\"workload\": {\"streams\": [{\"orders\": {\"x\": 3}}]}}",
	  "bad.json:1: workload.streams[0].orders.x: expected an order 0..10 as key" },
	{ "{\"workload\": {\"streams\": [{\"orders\": {\"0\": 0, \"3\": 0}}]}}",
	  "bad.json:1: workload.streams[0].orders: weights are all 0" },
	{ "{\"workload\": {\"streams\": [{\"migratetypes\": {\"movable\": 0}}]}}",
	  "bad.json:1: workload.streams[0].migratetypes: weights are all 0" },
	{ "{\"workload\": {\"streams\": [{\"migratetypes\": {\"highatomic\": 1}}]}}",
	  "bad.json:1: workload.streams[0].migratetypes.highatomic: unknown key (known: unmovable, movable, reclaimable)" },
	{ "{\"workload\": {\"streams\": [{\"lifetime\": [5, 2]}]}}",
	  "bad.json:1: workload.streams[0].lifetime: min 5 is above max 2" },
	{ "{\"workload\": {\"streams\": [{\"lifetime\": [0, 2]}]}}",
	  "bad.json:1: workload.streams[0].lifetime[0]: expected an integer in 1..100000, got 0" },
	{ "{\"workload\": {\"streams\": [{\"lifetime\": 9}]}}",
	  "bad.json:1: workload.streams[0].lifetime: expected [min, max], got 9" },
	{ "{\"workload\": {\"streams\": [\n  {\"cpu\": 4}\n]}}",
	  "bad.json:2: workload.streams[0].cpu: no vCPU 4: the machine has 4 (0..3)" },
	{ "{\"workload\": {\"streams\": [{\"node\": 2}]}}",
	  "bad.json:1: workload.streams[0].node: no node 2: the machine has 2" },
	{ "{\"workload\": {\"streams\": [{\"gfp\": \"GFP_KERNAL\"}]}}",
	  "bad.json:1: workload.streams[0].gfp: unknown gfp flag \"GFP_KERNAL\"" },
	{ "{\"workload\": {\"streams\": [{\"gfp\": \"GFP_KERNEL||\"}]}}",
	  "bad.json:1: workload.streams[0].gfp: unknown gfp flag \"\"" },
	{ "{\"workload\": {\"streams\": [{\"gfp\": true}]}}",
	  "bad.json:1: workload.streams[0].gfp: expected gfp flags (\"GFP_KERNEL|__GFP_ZERO\") or a number, got true" },
	{ "[1, 2]",
	  "bad.json:1: (top level): expected an object, got an array of 2" },
	{ "",
	  "bad.json:1: no JSON in the text, expected an object" },
	{ "{\n \"seed\": 1\n \"name\": \"x\"\n}",
	  "bad.json:3: JSON syntax error near '\"name\": \"x\"'" },
	{ "{\n \"seed\": 1,\n}\n",
	  "bad.json:3: JSON syntax error after '}'" },
	{ "{\n \"seed\": 1\n",
	  "bad.json:3: JSON syntax error: the text ends too early" },
	{ "{\"seed\": 1}\n\n  x",
	  "bad.json:3: JSON syntax error near 'x'" },
	{ "{\"slub\": {\"debug\": \"FZQ\"}}",
	  "bad.json:1: slub.debug: unknown slub_debug option 'Q' (F, Z, P, U, T)" },
	{ "{\"slub\": {\"debug\": true}}",
	  "bad.json:1: slub.debug: expected slub_debug= letters (\"FZPU\", \"\" for off), got true" },
};

/* The debug switches and a cache's constructor: parsed, and printed back canonically. */
Test(scenario, debug_switches_and_ctor)
{
	struct sim_scenario sc;
	char *j;

	cr_assert(eq(int, sim_scenario_parse(&sc, "d.json", "{\"slub\": {\"debug\": \"uzp-f\"}, \"slab\": {\"debug\": true},"
		  " \"caches\": [{\"name\": \"c\", \"size\": 192, \"ctor\": true}]}", stderr), 0));
	cr_assert(eq(u32, sc.slub_debug, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER));
	cr_assert(sc.slab_debug);
	cr_assert(sc.cache[0].ctor);
	j = sim_scenario_to_json(&sc);
	cr_assert(not(eq(ptr, strstr(j, "\"debug\":\t\"FZPU\""), NULL)), "%s", j);
	free(j);
	sim_scenario_free(&sc);
	sim_scenario_default(&sc);
	cr_assert(eq(u32, sc.slub_debug, 0));
	cr_assert(not(sc.slab_debug));
}

ParameterizedTestParameters(scenario, bad_input)
{
	return cr_make_param_array(struct bad_case, bad_cases, sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(struct bad_case *c, scenario, bad_input)
{
	struct sim_scenario sc;
	char *msg = NULL, *want = NULL, *def, *got;

	cr_assert(asprintf(&want, "%s\n", c->line) > 0);
	cr_assert(eq(int, parse_capture(&sc, "bad.json", c->text, &msg), SIM_EBADINPUT));
	cr_assert(eq(str, msg, want));
	/* after an error the scenario is the default again, and can be freed */
	got = sim_scenario_to_json(&sc);
	{
		struct sim_scenario d;

		sim_scenario_default(&d);
		def = sim_scenario_to_json(&d);
	}
	cr_assert(eq(str, got, def));
	free(got);
	free(def);
	free(msg);
	free(want);
	sim_scenario_free(&sc);
}

Test(scenario, unreadable_file)
{
	struct sim_scenario sc;
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	cr_assert(eq(int, sim_scenario_load(&sc, "/nonexistent/x.json", err), SIM_EBADINPUT));
	fclose(err);
	cr_assert(eq(str, msg, "/nonexistent/x.json: cannot read: No such file or directory\n"));
	free(msg);
	sim_scenario_free(&sc);
}

Test(scenario, error_line_of_a_key_in_a_file)
{
	struct sim_scenario sc;
	char *msg = NULL, path[] = "/tmp/kmemsim-scenario-XXXXXX";
	size_t len = 0;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w"), *err;

	cr_assert(not(eq(ptr, f, NULL)));
	fputs("{\n  \"name\": \"irq\",\n  \"irq\": {\n    \"gfp\": \"GFP_ATOMIC\",\n"
	      "    \"delay_ns\": [1, \"x\"]\n  }\n}\n", f);
	fclose(f);
	err = open_memstream(&msg, &len);
	cr_assert(eq(int, sim_scenario_load(&sc, path, err), SIM_EBADINPUT));
	fclose(err);
	unlink(path);
	{
		char *want = NULL;

		cr_assert(asprintf(&want, "%s:5: irq.delay_ns[1]: expected a non-negative integer, got \"x\"\n", path) > 0);
		cr_assert(eq(str, msg, want));
		free(want);
	}
	free(msg);
	sim_scenario_free(&sc);
}

/* A copy is the same scenario (canonical JSON, text, name) with strings of its own: freeing
 * the original leaves it whole; a copy of the default shares only the static strings. */
Test(scenario, copy_owns_its_strings)
{
	static const char text[] = "{ \"name\": \"c\", \"description\": \"d\", \"seed\": 7,"
				   " \"machine\": { \"nodes\": [ { \"cpus\": 3, \"zones\": { \"dma32\": 64 } } ] } }\n";
	struct sim_scenario *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	char *msg = NULL, *ja, *jb;

	cr_assert(not(eq(ptr, a, NULL)));
	cr_assert(not(eq(ptr, b, NULL)));
	cr_assert(eq(int, parse_capture(a, "c.json", text, &msg), 0), "%s", msg);
	cr_assert(eq(int, sim_scenario_copy(b, a), 0));
	ja = sim_scenario_to_json(a);
	jb = sim_scenario_to_json(b);
	cr_assert(eq(str, jb, ja));
	cr_assert(not(eq(ptr, b->json, a->json)));
	cr_assert(not(eq(ptr, b->name, a->name)));
	cr_assert(not(eq(ptr, b->path, a->path)));
	sim_scenario_free(a);
	cr_assert(eq(str, b->json, (char *)text));
	cr_assert(eq(str, b->name, "c"));
	cr_assert(eq(str, b->description, "d"));
	cr_assert(eq(str, b->path, "c.json"));
	cr_assert(eq(int, b->node[0].nr_cpus, 3));
	cr_assert(eq(u64, b->seed, 7));
	cr_assert(sim_scenario_has_key(b, "machine.nodes"));
	sim_scenario_free(b);
	sim_scenario_default(a);
	cr_assert(eq(int, sim_scenario_copy(b, a), 0));
	cr_assert(eq(ptr, b->name, a->name));		/* static: sim_scenario_free leaves it */
	cr_assert(sim_scenario_default_string(b->path));
	cr_assert(eq(ptr, b->json, NULL));
	sim_scenario_free(b);
	free(ja);
	free(jb);
	free(msg);
	free(a);
	free(b);
}

/* A key spelt with a JSON escape is still that key (the text search that answers "absent"
 * first must not miss it); a key only in a value or another key's name is no key. */
Test(scenario, has_key_reads_escaped_keys)
{
	struct sim_scenario sc;
	char *msg = NULL;

	cr_assert(eq(int, parse_capture(&sc, "e.json", "{ \"s\\u006cub\": { \"min_objects\": 8 },"
					" \"name\": \"machine\" }\n", &msg), 0), "%s", msg);
	cr_assert(eq(u32, sc.slub_min_objects, 8));
	cr_assert(sim_scenario_has_key(&sc, "slub.min_objects"));
	cr_assert(sim_scenario_has_key(&sc, "slub"));
	cr_assert(not(sim_scenario_has_key(&sc, "machine")));
	cr_assert(not(sim_scenario_has_key(&sc, "slub.min_order")));
	sim_scenario_free(&sc);
	free(msg);
	cr_assert(eq(int, parse_capture(&sc, "p.json", "{ \"slub\": { \"min_objects\": 8 },"
					" \"name\": \"machine\" }\n", &msg), 0), "%s", msg);
	cr_assert(sim_scenario_has_key(&sc, "slub.min_objects"));
	cr_assert(not(sim_scenario_has_key(&sc, "machine")));
	cr_assert(not(sim_scenario_has_key(&sc, "slub.debug")));
	cr_assert(not(sim_scenario_has_key(&sc, "slab.min_objects")));
	sim_scenario_free(&sc);
	free(msg);
}
