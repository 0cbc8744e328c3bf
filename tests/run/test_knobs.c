/*
 * test_knobs.c - kernel knobs given with --set change the model as the kernel's rule says:
 * a doubled pcp batch doubles what rmqueue_bulk takes, percpu_pagelist_high_fraction sizes
 * pcp high as zone_highsize does, watermark_boost_factor 0 turns boost_watermark off,
 * slub_min_objects raises a cache's order (calculate_order), per-cache min_partial decides
 * whether an empty slab is discarded, and tunables reach caches a trace creates, when it
 * creates them.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *up_set(const char *const *sets, int nr)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	cr_assert(not(eq(ptr, sc, NULL)));
	cr_assert(eq(int, sim_scenario_load_set(sc, NULL, sets, nr, stderr), 0));
	cr_assert(not(eq(ptr, helper_buddy_machine_up_sc(sc), NULL)));
	return sc;
}

/* nr_pcp_alloc: an order-0 refill of an empty list takes pcp->batch pages; one is handed out. */
Test(knobs, pcp_batch_doubles_the_rmqueue_bulk_refill)
{
	static const int batch[] = { 31, 62, 124 };

	for (int i = 0; i < 3; i++) {
		char b[64];
		const char *sets[] = { b, "buddy.pcp_high.dma32=2000" };
		struct sim_scenario *sc;
		struct sim_op op;
		struct page *pg;

		snprintf(b, sizeof(b), "buddy.pcp_batch.dma32=%d", batch[i]);
		sc = up_set(sets, 2);
		pg = helper_buddy_alloc(0, 0, GFP_KERNEL | __GFP_MOVABLE, 0, &op);
		cr_assert(not(eq(ptr, pg, NULL)));
		cr_assert(eq(int, op.level, 2));
		for (int nid = 0; nid < 2; nid++)	/* every node's DMA32 */
			cr_assert(eq(int, NODE_DATA(nid)->node_zones[ZONE_DMA32].per_cpu_pageset[0].batch, batch[i]));
		cr_assert(eq(int, NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset[0].count, batch[i] - 1));
		cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 258048 - (uint64_t)batch[i]));
		helper_buddy_machine_down(sc);
	}
}

/* A node's own pcp_batch wins over the what-if for every node. */
Test(knobs, node_pcp_batch_wins_over_the_every_node_one)
{
	const char *sets[] = { "buddy.pcp_batch.dma32=40", "machine.nodes[1].pcp_batch.dma32=20" };
	struct sim_scenario *sc = up_set(sets, 2);

	cr_assert(eq(int, NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset[1].batch, 40));
	cr_assert(eq(int, NODE_DATA(1)->node_zones[ZONE_DMA32].per_cpu_pageset[1].batch, 20));
	helper_buddy_machine_down(sc);
}

/* zone_highsize: managed pages / fraction, split over the node's CPUs (1 GiB, 2 CPUs). */
Test(knobs, percpu_pagelist_high_fraction_sizes_pcp_high)
{
	const char *sets[] = { "buddy.percpu_pagelist_high_fraction=8" };
	struct sim_scenario *sc = up_set(sets, 1);

	cr_assert(eq(int, NODE_DATA(1)->node_zones[ZONE_DMA32].per_cpu_pageset[0].high, 262144 / 8 / 2));
	helper_buddy_machine_down(sc);
}

static char *dir;

/* each test's directory goes with it (NULL for the tests that make none) */
static void remove_dir(void)
{
	helper_rmtree(dir);
	dir = NULL;
}

TestSuite(knobs, .fini = remove_dir);

static void run_ok(const char *const argv[])
{
	char *err = NULL;
	int rc = helper_run_kmemsim(dir, argv, NULL, &err);

	cr_assert(eq(int, rc, 0), "%s", err ? err : "");
	free(err);
}

static int64_t q(const char *db, const char *sql)
{
	char *path = NULL;
	int64_t v;

	cr_assert(asprintf(&path, "%s/%s", dir, db) > 0);
	v = helper_db_int(path, sql);
	free(path);
	return v;
}

/* boost_watermark: max_boost = high * factor / 10000, at least a pageblock; factor 0: none. */
Test(knobs, watermark_boost_factor_zero_turns_the_boost_off)
{
	char *sc_path = NULL;

	dir = helper_tmpdir();
	cr_assert(asprintf(&sc_path, "%s/scenarios/small-memory.json", getenv("KMEMSIM_SOURCE_ROOT")) > 0);
	{
		const char *a[] = { "kmemsim", "run", sc_path, "--no-log", "--quiet", "--db", "on.db", NULL };
		const char *b[] = { "kmemsim", "run", sc_path, "--no-log", "--quiet", "--db", "off.db",
				    "--set", "buddy.watermark_boost_factor=0", NULL };

		run_ok(a);
		run_ok(b);
	}
	/* at least a pageblock (pageblock_nr_pages); how many steals boost it depends on the run
	 * (1350, the cap high * 1.5, since NR_FREE_PAGES drifts per CPU as in 6.1) */
	cr_assert(ge(i64, q("on.db", "SELECT max(boost) FROM zones"), 512));
	cr_assert(eq(i64, q("off.db", "SELECT max(boost) FROM zones"), 0));
	free(sc_path);
}

/* calculate_order: slub_min_objects=128 puts 128 kmalloc-64 objects in a slab (order 1). */
Test(knobs, slub_min_objects_raises_the_order)
{
	const char *a[] = { "kmemsim", "run", "--no-log", "--quiet", "--db", "mo.db", "--set", "slub.min_objects=128",
			    "--set", "workload.streams[0].ops=10", NULL };

	dir = helper_tmpdir();
	run_ok(a);
	cr_assert(eq(i64, q("mo.db", "SELECT \"order\" FROM caches WHERE name = 'kmalloc-64'"), 1));
	cr_assert(eq(i64, q("mo.db", "SELECT objs_per_slab FROM caches WHERE name = 'kmalloc-64'"), 128));
	cr_assert(eq(i64, q("mo.db", "SELECT count(*) FROM runs WHERE scenario_json LIKE '%\"min_objects\":%128%'"), 1));
}

/* An empty slab goes back to the page allocator when nr_partial >= min_partial (per cache). */
Test(knobs, min_partial_decides_the_discard)
{
	const char *text = "{\"caches\": [{\"name\": \"big\", \"size\": 2048}], \"workload\": {\"streams\":"
			   " [{\"cache\": \"big\", \"ops\": 3000, \"lifetime\": [1, 200], \"burst\": 50}]}}";
	const char *discards = "SELECT count(*) FROM slab_events e JOIN caches c ON c.id = e.cache"
			       " WHERE c.name = 'big' AND e.event = 'discard'";

	dir = helper_tmpdir();
	free(helper_write_file(dir, "mp.json", text));
	{
		const char *a[] = { "kmemsim", "run", "mp.json", "--quiet", "--db", "mp0.db", "--set",
				    "slub.tune[0]={\"cache\": \"big\", \"min_partial\": 0}", NULL };
		const char *b[] = { "kmemsim", "run", "mp.json", "--quiet", "--db", "mp1000.db", "--set",
				    "slub.tune[0].cache=big", "--set", "slub.tune[0].min_partial=1000", NULL };

		run_ok(a);
		run_ok(b);
	}
	cr_assert(eq(i64, q("mp0.db", "SELECT min_partial FROM caches WHERE name = 'big'"), 0));
	cr_assert(eq(i64, q("mp1000.db", "SELECT min_partial FROM caches WHERE name = 'big'"), 1000));
	cr_assert(lt(i64, 0, q("mp0.db", discards)));
	cr_assert(eq(i64, q("mp1000.db", discards), 0));
}

/* Tunables of caches the trace creates are written when it creates them; a cache never
 * created is said on stderr and the replay goes on. */
Test(knobs, tunables_reach_caches_a_trace_creates)
{
	char *trace = NULL, *err = NULL;
	int rc;

	dir = helper_tmpdir();
	cr_assert(asprintf(&trace, "%s/traces/samples/debian-6.1.192-4cpu-2node", getenv("KMEMSIM_SOURCE_ROOT")) > 0);
	{
		const char *a[] = { "kmemsim", "replay", trace, "--quiet", "--no-log", "--db", "u.db",
				    "--set", "slub.tune[0].cache=filp", "--set", "slub.tune[0].cpu_partial=0",
				    "--set", "slub.tune[0].min_partial=1", "--set", "slub.tune[1].cache=nosuch",
				    "--set", "slub.tune[1].cpu_partial=0", NULL };
		const char *b[] = { "kmemsim", "replay", trace, "--quiet", "--no-log", "--db", "a.db", "--allocator", "slab",
				    "--set", "slab.tune[0]={\"cache\": \"filp\", \"limit\": 8, \"batchcount\": 4, \"shared\": 0}",
				    NULL };

		rc = helper_run_kmemsim(dir, a, NULL, &err);
		cr_assert(eq(int, rc, 0), "%s", err);
		cr_assert(eq(str, err, "kmemsim: warning: --set: slub.tune[1].cache: no cache \"nosuch\" was created;"
			     " not tuned\n"));
		run_ok(b);
	}
	cr_assert(eq(i64, q("u.db", "SELECT cpu_partial FROM caches WHERE name = 'filp'"), 0));
	cr_assert(eq(i64, q("u.db", "SELECT min_partial FROM caches WHERE name = 'filp'"), 1));
	cr_assert(lt(i64, 0, q("u.db", "SELECT cpu_partial FROM caches WHERE name = 'dentry'")));
	cr_assert(eq(i64, q("a.db", "SELECT \"limit\" * 100 + batchcount * 10 + shared FROM caches WHERE name = 'filp'"),
		     840));
	free(err);
	free(trace);
}

/* explore takes --set too: the race scenario's guard put back, nothing breaks. */
Test(knobs, explore_with_the_guard_set_back_finds_nothing)
{
	char *race = NULL, *out = NULL, *err = NULL;
	const char *a[] = { "kmemsim", "explore", NULL, "--set", "guards.slab_list_lock=true", "--schedules", "300",
			    "--quiet", NULL };

	dir = helper_tmpdir();
	cr_assert(asprintf(&race, "%s/scenarios/races/slab-refill-list-lock.json", getenv("KMEMSIM_SOURCE_ROOT")) > 0);
	a[2] = race;
	cr_assert(eq(int, helper_run_kmemsim(dir, a, &out, &err), 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(out, "no violation"), NULL)), "%s", out);
	free(out);
	free(err);
	free(race);
}

/* calculate_order: slub_min_order is the least order of every cache; slub_max_order caps it
 * (kmalloc-1k: 4 objects in one page), except where one object needs more (get_order). */
Test(knobs, slub_min_and_max_order)
{
	const char *a[] = { "kmemsim", "run", "--no-log", "--quiet", "--db", "min.db", "--set", "slub.min_order=2",
			    "--set", "workload.streams[0].ops=10", NULL };
	const char *b[] = { "kmemsim", "run", "--no-log", "--quiet", "--db", "max.db", "--set", "slub.max_order=0",
			    "--set", "workload.streams[0].ops=10", NULL };

	dir = helper_tmpdir();
	run_ok(a);
	run_ok(b);
	cr_assert(eq(i64, q("min.db", "SELECT \"order\" * 1000 + objs_per_slab FROM caches WHERE name = 'kmalloc-64'"),
		     2256));
	cr_assert(eq(i64, q("max.db", "SELECT \"order\" * 1000 + objs_per_slab FROM caches WHERE name = 'kmalloc-1k'"), 4));
	cr_assert(eq(i64, q("max.db", "SELECT \"order\" * 1000 + objs_per_slab FROM caches WHERE name = 'kmalloc-8k'"),
		     1001));
}
