/*
 * config.c - a scenario as the plain settings each layer below takes: the
 * engine's machine (struct sim_engine_cfg), the buddy allocator's memory and
 * sysctls (struct buddy_config) and the slab allocator's choice
 * (struct slab_config); and the kernel version, which the models read from
 * the global kernel_version (models/kernel.h), set here before any model is
 * initialised.  The models never see a struct sim_scenario.
 */
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "../../models/kernel.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

void sim_scenario_engine_cfg(const struct sim_scenario *sc, struct sim_engine_cfg *out)
{
	memset(out, 0, sizeof(*out));
	out->nr_nodes = sc->nr_nodes;
	for (int n = 0; n < sc->nr_nodes && n < SIM_MAX_NODES; n++) {
		out->nr_cpus[n] = sc->node[n].nr_cpus;
		for (int m = 0; m < sc->nr_nodes && m < SIM_MAX_NODES; m++)
			out->distance[n][m] = sc->distance[n][m];
	}
	memcpy(out->cost, sc->cost, sizeof(out->cost));
	memcpy(out->guard_off, sc->guard_off, sizeof(out->guard_off));
	out->preempt_model = sc->preempt_model;
	out->slice_ns = sc->slice_ns;
	out->migrate_pct = sc->migrate_pct;
	out->hz = sc->hz;
	out->seed = sc->seed;
}

void sim_scenario_buddy_cfg(const struct sim_scenario *sc, struct buddy_config *out)
{
	memset(out, 0, sizeof(*out));
	out->source = sc->path;
	out->nr_nodes = sc->nr_nodes;
	for (int n = 0; n < sc->nr_nodes && n < SIM_MAX_NODES; n++)
		for (int z = 0; z < 4; z++) {
			out->zone_mib[n][z] = sc->node[n].zone_mib[z];
			out->zone_present_pages[n][z] = sc->node[n].zone_present_pages[z];
			out->zone_managed_pages[n][z] = sc->node[n].zone_managed_pages[z];
			out->zone_start_pfn[n][z] = sc->node[n].zone_start_pfn[z];
			out->zone_spanned_pages[n][z] = sc->node[n].zone_spanned_pages[z];
			out->late_freed_pages[n][z] = sc->node[n].zone_late_freed_pages[z];
			out->wmark_min[n][z] = sc->node[n].wmark_min[z];
			out->wmark_low[n][z] = sc->node[n].wmark_low[z];
			out->wmark_high[n][z] = sc->node[n].wmark_high[z];
			/* a node's own value over the what-if for every node */
			out->pcp_high[n][z] = sc->node[n].pcp_high[z] ? sc->node[n].pcp_high[z] : sc->pcp_high_all[z];
			out->pcp_batch[n][z] = sc->node[n].pcp_batch[z] ? sc->node[n].pcp_batch[z] : sc->pcp_batch_all[z];
		}
	out->min_free_kbytes = sc->min_free_kbytes;
	out->watermark_scale_factor = sc->watermark_scale_factor;
	out->percpu_pagelist_high_fraction = sc->percpu_pagelist_high_fraction;
	out->watermark_boost_factor = sc->watermark_boost_factor;
	out->watermark_boost_factor_set = true;
	out->thp = sc->thp;
	out->page_block_order = sc->page_block_order;
}

void sim_scenario_slab_cfg(const struct sim_scenario *sc, struct slab_config *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = sc->allocator == SIM_ALLOC_SLAB ? SLAB_KIND_SLAB :
		    sc->allocator == SIM_ALLOC_SLUB ? SLAB_KIND_SLUB : SLAB_KIND_NONE;
	out->hz = sc->hz;
	out->memcg_kmem = sc->memcg_kmem;
	out->memcg_online = sc->memcg_online;
	out->zone_dma = sc->zone_dma;
	out->hardened_usercopy = sc->hardened_usercopy;
	out->slab_buckets = sc->slab_buckets;
	for (int n = 0; n < sc->nr_nodes && n < SIM_MAX_NODES; n++)
		for (int z = 0; z < 4; z++)
			out->total_mib += sc->node[n].zone_mib[z];
}

const char *sim_kernel_name(int kernel)
{
	return kernel_version_name((enum kernel_version)kernel);
}

int sim_kernel_parse(const char *name, int *out)
{
	for (int v = 0; v < NR_KERNEL_VERSIONS; v++)
		if (!strcmp(name, kernel_version_name((enum kernel_version)v))) {
			*out = v;
			return 0;
		}
	return -1;
}

const char *sim_kernel_names(void)
{
	static _Thread_local char list[64];	/* (sweep's points may run on threads) */

	if (!list[0]) {
		size_t len = 0;

		for (int v = 0; v < NR_KERNEL_VERSIONS; v++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						!v ? "" : v + 1 < NR_KERNEL_VERSIONS ? ", " : " or ",
						kernel_version_name((enum kernel_version)v));
	}
	return list;
}

int sim_scenario_kernel(const struct sim_scenario *sc)
{
	return sc->kernel_given ? sc->kernel : (int)kernel_version;
}

int sim_scenario_kernel_check(const struct sim_scenario *sc, const char *where, FILE *err)
{
	if (sc->allocator != SIM_ALLOC_SLAB || sim_scenario_kernel(sc) == KERNEL_6_1)
		return 0;
	fprintf(err, "%s: allocator slab on kernel %s: SLAB was removed in Linux 6.8 (use slub, or kernel 6.1)\n",
		where, sim_kernel_name(sim_scenario_kernel(sc)));
	return SIM_EBADINPUT;
}

/* The kernel version, before any model is initialised: a scenario that names one sets it; one
 * that does not leaves the models' (6.1 in a fresh process, or what a model test set). */
static void sim_scenario_kernel_hand_on(const struct sim_scenario *sc)
{
	if (sc->kernel_given)
		kernel_version = (enum kernel_version)sc->kernel;
}

struct sim_engine *sim_scenario_engine_create(const struct sim_scenario *sc)
{
	struct sim_engine_cfg cfg;

	sim_scenario_kernel_hand_on(sc);
	sim_scenario_engine_cfg(sc, &cfg);
	return sim_engine_create(&cfg);
}

/*
 * The boot in start_kernel's order: with no slab allocator, the whole buddy boot; with one,
 * it stops where kmem_cache_init runs (every zone on its boot pagesets) and
 * sim_scenario_slab_init goes on from there.
 */
int sim_scenario_buddy_init(const struct sim_scenario *sc)
{
	struct buddy_config cfg;
	int rc;

	sim_scenario_kernel_hand_on(sc);
	sim_scenario_buddy_cfg(sc, &cfg);
	rc = buddy_init(&cfg);
	if (rc || sc->allocator != SIM_ALLOC_BUDDY)
		return rc;
	buddy_init_late(&cfg);
	buddy_init_sysctl(&cfg);
	return 0;
}

/* kmem_cache_init on the boot pagesets, setup_per_cpu_pageset and the initcalls, the later
 * initcalls' caches, then the sysctl writes (after sim_scenario_buddy_init) */
int sim_scenario_slab_init(const struct sim_scenario *sc)
{
	struct slab_config cfg;
	struct buddy_config bcfg;
	int rc;

	sim_scenario_kernel_hand_on(sc);
	sim_scenario_slab_cfg(sc, &cfg);
	sim_scenario_buddy_cfg(sc, &bcfg);
	rc = slab_common_init(&cfg);
	if (rc || sc->allocator == SIM_ALLOC_BUDDY)	/* none: sim_scenario_buddy_init booted it all */
		return rc;
	buddy_init_late(&bcfg);
	rc = slab_common_init_late(&cfg);
	if (rc)
		return rc;
	buddy_init_sysctl(&bcfg);
	return 0;
}
