/*
 * scenario_check.c - the embedded default scenario, and the checks of a
 * loaded one that involve several keys.
 *
 * Main entries: sim_scenario_default, sp_check (called by the loader once
 * the whole text is read: zone layout, distance matrix against the node
 * count, streams against the machine).  Values of single keys are checked
 * where they are read, in scenario.c and the scenario_*.c of their key group.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_int.h"
#include "../../models/mm.h"

/* Default strings: static, so that sim_scenario_default cannot fail; freed only when not these. */
static char sp_default_path[] = "(default)";
static char sp_default_name[] = "default";
static char sp_default_description[] =
	"2-node NUMA box (4 vCPUs, 2 GiB): SLUB on the buddy allocator, a kmalloc mix on every vCPU";

bool sp_is_default_string(const char *s)
{
	return s == sp_default_path || s == sp_default_name || s == sp_default_description;
}

/* -------------------------------------------------------------- defaults */

/* The synthetic page stream every default vCPU runs. */
void sp_stream_default(struct sim_stream_cfg *st)
{
	memset(st, 0, sizeof(*st));
	st->cpu = -1;
	st->nr_ops = 20000;
	st->order_weight[0] = 900;
	st->order_weight[1] = 40;
	st->order_weight[2] = 30;
	st->order_weight[3] = 25;
	st->order_weight[9] = 4;
	st->order_weight[10] = 1;
	st->mt_weight[MIGRATE_UNMOVABLE] = 30;
	st->mt_weight[MIGRATE_MOVABLE] = 60;
	st->mt_weight[MIGRATE_RECLAIMABLE] = 10;
	st->lifetime_min = 1;
	st->lifetime_max = 256;
	st->irq_pct = 5;
	st->think_ns = 200;
	st->nid = -1;
	st->gfp = GFP_KERNEL;
	st->kind = SIM_STREAM_KIND_AUTO;
	st->cache[0] = 0;
	st->nr_sizes = 0;
	static const uint32_t sizes[][2] = {	/* a kmalloc mix: mostly small, some pages */
		{ 8, 4 }, { 16, 6 }, { 32, 10 }, { 64, 20 }, { 96, 6 }, { 128, 14 },
		{ 192, 8 }, { 256, 10 }, { 512, 10 }, { 1024, 6 }, { 2048, 4 }, { 4096, 2 },
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		st->size[st->nr_sizes] = sizes[i][0];
		st->size_weight[st->nr_sizes++] = sizes[i][1];
	}
	st->burst = 1;
	st->remote_free_pct = 0;
}

/* Row 0 written, copied to the others, then the diagonal (a loop per element cost a replay
 * of a few events a fifth of its time under the fuzzer's instrumentation). */
void sp_distance_default(struct sim_scenario *sc)
{
	for (int j = 0; j < SIM_MAX_NODES; j++)
		sc->distance[0][j] = 20;
	for (int i = 1; i < SIM_MAX_NODES; i++)
		memcpy(sc->distance[i], sc->distance[0], sizeof(sc->distance[0]));
	for (int i = 0; i < SIM_MAX_NODES; i++)
		sc->distance[i][i] = 10;
}

/* Simulated ns per primitive when the scenario says nothing. */
static const uint32_t sp_default_cost[SIM_NR_COSTS] = {
	[SIM_COST_LOCK] = 20, [SIM_COST_LOCK_SPIN] = 10, [SIM_COST_IRQ] = 5,
	[SIM_COST_PREEMPT] = 2, [SIM_COST_PERCPU] = 1, [SIM_COST_MEM] = 5,
	[SIM_COST_CMPXCHG] = 10, [SIM_COST_CMPXCHG_DOUBLE] = 20, [SIM_COST_IRQ_ENTRY] = 200,
	[SIM_COST_CTX_SWITCH] = 1000, [SIM_COST_PAGE_OP] = 10, [SIM_COST_OBJ_OP] = 5,
};

void sim_scenario_default(struct sim_scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->path = sp_default_path;
	sc->json = NULL;
	sc->name = sp_default_name;
	sc->description = sp_default_description;
	sc->seed = 1;
	sc->allocator = SIM_ALLOC_SLUB;

	sc->nr_nodes = 2;
	sc->node[0] = (struct sim_node_cfg){ .nr_cpus = 2, .zone_mib = { [ZONE_DMA] = 16, [ZONE_DMA32] = 1008 } };
	sc->node[1] = (struct sim_node_cfg){ .nr_cpus = 2, .zone_mib = { [ZONE_DMA32] = 1024 } };
	sp_distance_default(sc);

	memcpy(sc->cost, sp_default_cost, sizeof(sc->cost));
	sc->remote_pct = 100;		/* SLIT semantics: distance 20 costs twice distance 10 */

	sc->irq_gfp = GFP_ATOMIC;
	sc->irq_delay_min_ns = 50;
	sc->irq_delay_max_ns = 1049;

	sc->preempt_model = SIM_PREEMPT_VOLUNTARY;
	sc->slice_ns = 3000000;
	sc->migrate_pct = 10;
	sc->hz = 250;
	sc->tasks_per_cpu = 1;

	sc->min_free_kbytes = 0;
	sc->watermark_scale_factor = 10;
	sc->percpu_pagelist_high_fraction = 0;
	sc->watermark_boost_factor = 15000;
	sc->thp = true;
	sc->page_block_order = 9;
	sc->memcg_kmem = true;
	sc->zone_dma = true;
	sc->hardened_usercopy = true;
	sc->slab_buckets = true;

	sc->nr_streams = 1;
	sp_stream_default(&sc->stream[0]);
	sc->stream[0].kind = SIM_STREAM_KIND_OBJECTS;
	sc->stream[0].remote_free_pct = 10;
	sc->stream[0].pinned = true;

	sc->nr_caches = 0;
	sc->slab_nomerge = false;
	sc->slub_min_order = 0;
	sc->slub_max_order = 3;		/* PAGE_ALLOC_COSTLY_ORDER */
	sc->slub_min_objects = 0;
	sc->slub_freelist_random = true;	/* Debian's CONFIG_SLAB_FREELIST_RANDOM / _HARDENED */
	sc->slub_freelist_hardened = true;
	sc->slub_cpu_partial = true;
	sc->slub_debug = 0;
	sc->nr_slub_tunes = 0;
	sc->slab_max_order = -1;
	sc->slab_noaliencache = false;
	sc->slab_freelist_random = true;
	sc->slab_reaper = true;
	sc->slab_debug = false;
	sc->nr_slab_tunes = 0;

	sc->snapshot_interval_ns = 1000000;
	sc->check_every = 0;
	sc->log_ops = true;
}

bool sim_scenario_default_string(const char *s)
{
	return sp_is_default_string(s);
}

/* A string of src for dst: the defaults' static ones shared, others duplicated (NULL stays). */
static int sp_copy_str(char **dst, char *src)
{
	*dst = src && !sp_is_default_string(src) ? strdup(src) : src;
	return src && !*dst ? -1 : 0;
}

int sim_scenario_copy(struct sim_scenario *dst, const struct sim_scenario *src)
{
	*dst = *src;
	dst->path = dst->name = dst->description = dst->json = dst->set_keys = NULL;
	if (sp_copy_str(&dst->path, src->path) || sp_copy_str(&dst->name, src->name) ||
	    sp_copy_str(&dst->description, src->description) || sp_copy_str(&dst->json, src->json) ||
	    sp_copy_str(&dst->set_keys, src->set_keys)) {
		sim_scenario_free(dst);
		return -1;
	}
	return 0;
}

void sim_scenario_free(struct sim_scenario *sc)
{
	if (!sp_is_default_string(sc->path))
		free(sc->path);
	if (!sp_is_default_string(sc->name))
		free(sc->name);
	if (!sp_is_default_string(sc->description))
		free(sc->description);
	free(sc->json);
	free(sc->set_keys);
	sc->set_keys = NULL;
	sc->path = sp_default_path;
	sc->name = sp_default_name;
	sc->description = sp_default_description;
	sc->json = NULL;
}

int sim_scenario_nr_cpus(const struct sim_scenario *sc)
{
	int n = 0;

	for (int i = 0; i < sc->nr_nodes; i++)
		n += sc->node[i].nr_cpus;
	return n;
}

/* ------------------------------------------------------- whole-file checks */

static const char *const sp_zone_keys[MAX_NR_ZONES] = { "dma", "dma32", "normal", "movable" };

/* Zones ascend across the machine; DMA ends by 16 MiB, DMA32 by 4 GiB. */
static int sp_check_layout(struct sp *p)
{
	const struct sim_scenario *sc = p->sc;
	static const char *const zname[] = { "DMA", "DMA32", "Normal", "Movable" };
	char path[SP_PATH_MAX];
	uint64_t end = 0;
	int highest = -1;

	for (int i = 0; i < sc->nr_nodes; i++) {
		uint64_t node_mib = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++) {
			uint64_t mib = sc->node[i].zone_mib[z];

			if (!mib)
				continue;
			snprintf(path, sizeof(path), "machine.nodes[%d].zones.%s", i, sp_zone_keys[z]);
			if (z < highest && z != ZONE_MOVABLE)
				return sp_error(p, path, "a %s zone cannot follow a %s zone at a lower address "
						"(zones ascend DMA, DMA32, Normal across the nodes)",
						zname[z], zname[highest]);
			if (z != ZONE_MOVABLE)
				highest = z;
			end += mib;
			node_mib += mib;
			if (end > SP_MAX_MIB)
				return sp_error(p, path, "the machine is larger than %llu MiB", SP_MAX_MIB);
			if (z == ZONE_DMA && end > SP_DMA_END_MIB)
				return sp_error(p, path, "ZONE_DMA would end at %" PRIu64 " MiB, above %d MiB",
						end, SP_DMA_END_MIB);
			if (z == ZONE_DMA32 && end > SP_DMA32_END_MIB)
				return sp_error(p, path, "ZONE_DMA32 would end at %" PRIu64 " MiB, above %d MiB (4 GiB)",
						end, SP_DMA32_END_MIB);
		}
		if (!node_mib) {
			snprintf(path, sizeof(path), "machine.nodes[%d].zones", i);
			return sp_error(p, path, "the node has no memory");
		}
	}
	/* kernel: find_zone_movable_pfns_for_nodes, mm/page_alloc.c: ZONE_MOVABLE is carved from
	 * the highest other zone and kernelcore 0 means no ZONE_MOVABLE, so some memory always
	 * stays in DMA, DMA32 or Normal, where the kernel's own allocations come from */
	if (highest < 0)
		return sp_error(p, "machine.nodes", "every zone is Movable: the kernel needs a DMA, DMA32 or "
				"Normal zone for its own allocations");
	return 0;
}

static int sp_check_distance(struct sp *p)
{
	struct sim_scenario *sc = p->sc;
	char path[SP_PATH_MAX];
	int n = sc->nr_nodes;

	if (!p->distance_given) {
		sp_distance_default(sc);
		return 0;
	}
	if (p->nr_dist_rows != n)
		return sp_error(p, "machine.distance", "expected %d rows (one per node), got %d", n, p->nr_dist_rows);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "machine.distance[%d]", i);
		if (p->dist_cols[i] != n)
			return sp_error(p, path, "expected %d distances (one per node), got %d", n, p->dist_cols[i]);
	}
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			int d = sc->distance[i][j];

			snprintf(path, sizeof(path), "machine.distance[%d][%d]", i, j);
			if (i == j && d != 10)
				return sp_error(p, path, "the local distance must be 10, got %d", d);
			if (i != j && d <= 10)
				return sp_error(p, path, "a remote distance must be above 10, got %d", d);
			if (d != sc->distance[j][i])
				return sp_error(p, path, "not symmetric: %d here, %d at [%d][%d]",
						d, sc->distance[j][i], j, i);
		}
	}
	return 0;
}

/* Stream i's kind: given, or pages when it names orders or migratetypes, objects when it
 * names sizes or a cache, else what the allocator allocates.  Objects need SLUB or SLAB. */
static int sp_resolve_kind(struct sp *p, int i)
{
	struct sim_scenario *sc = p->sc;
	struct sim_stream_cfg *st = &sc->stream[i];
	char path[SP_PATH_MAX];

	if (st->kind == SIM_STREAM_KIND_AUTO) {
		if (p->stream_pages_keys[i])
			st->kind = SIM_STREAM_KIND_PAGES;
		else if (p->stream_objects_keys[i])
			st->kind = SIM_STREAM_KIND_OBJECTS;
		else
			st->kind = sc->allocator == SIM_ALLOC_BUDDY ? SIM_STREAM_KIND_PAGES : SIM_STREAM_KIND_OBJECTS;
	}
	if (!p->stream_pinned_given[i])
		st->pinned = st->kind == SIM_STREAM_KIND_OBJECTS;	/* per-vCPU object streams */
	snprintf(path, sizeof(path), "workload.streams[%d]", i);
	if (st->kind == SIM_STREAM_KIND_OBJECTS && sc->allocator == SIM_ALLOC_BUDDY)
		return sp_error(p, path, "an object stream needs allocator \"slub\" or \"slab\", not \"buddy\"");
	return 0;
}

int sp_check(struct sp *p)
{
	const struct sim_scenario *sc = p->sc;
	int nr_cpus = sim_scenario_nr_cpus(sc);
	char path[SP_PATH_MAX];

	if (nr_cpus > SIM_MAX_CPUS)
		return sp_error(p, "machine.nodes", "%d vCPUs in all, at most %d", nr_cpus, SIM_MAX_CPUS);
	if (sp_check_layout(p) || sp_check_distance(p))
		return SIM_EBADINPUT;
	/* the sysctl refuses 1..7 (MIN_PERCPU_PAGELIST_HIGH_FRACTION, mm/page_alloc.c) */
	if (sc->percpu_pagelist_high_fraction && sc->percpu_pagelist_high_fraction < 8)
		return sp_error(p, "buddy.percpu_pagelist_high_fraction",
				"expected 0 (the default sizes) or at least 8, got %u",
				sc->percpu_pagelist_high_fraction);
	for (int i = 0; i < sc->nr_streams; i++) {
		const struct sim_stream_cfg *st = &sc->stream[i];

		snprintf(path, sizeof(path), "workload.streams[%d].cpu", i);
		if (p->stream_cpu_given[i] && st->cpu >= nr_cpus)
			return sp_error(p, path, "no vCPU %d: the machine has %d (0..%d)", st->cpu, nr_cpus, nr_cpus - 1);
		snprintf(path, sizeof(path), "workload.streams[%d].node", i);
		if (p->stream_node_given[i] && st->nid >= sc->nr_nodes)
			return sp_error(p, path, "no node %d: the machine has %d", st->nid, sc->nr_nodes);
		if (sp_resolve_kind(p, i))
			return SIM_EBADINPUT;
	}
	return 0;
}

