/*
 * pcp.c - per-CPU page sets: list indexing (order_to_pindex), sizing
 * (zone_batchsize, zone_highsize), set-up (the boot pagesets of
 * zone_pcp_init, setup_zone_pageset, zone_pcp_update) and the lock helpers
 * (pcp_spin_trylock), as 6.1 and 6.12 share them; each version's
 * zone_set_pageset_high_and_batch is in its folder (6.1/pcp.c, 6.12/pcp.c).
 *
 * Locking (6.1.192, back-ported from 6.2): a pcp is taken with
 * pcp_spin_trylock = preempt_disable + this_cpu_ptr + spin_trylock, with
 * IRQs LEFT ON (SIM_GUARD_PCP_LOCK on the lock lets a race scenario switch
 * the exclusion off).  An interrupt on the same CPU that finds the lock held gets
 * NULL and its caller falls back to the zone (rmqueue_buddy / free_one_page).
 * pcp->lock protects lists[] and count; high and batch are written with
 * WRITE_ONCE and read with READ_ONCE, without the lock.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

int percpu_pagelist_high_fraction;

/*
 * The order the THP pcp lists hold: 6.1 tests pageblock_order (10 on a kernel
 * without HUGETLB_PAGE), 6.12 HPAGE_PMD_ORDER (9 whatever pageblock_order is).
 */
static unsigned int pcp_thp_order(void)
{
	return KOPS(buddy)->pcp_thp_pmd_order ? HPAGE_PMD_ORDER : pageblock_order;
}

/* kernel: order_to_pindex, mm/page_alloc.c (THP: one list for movable, one for the rest) */
unsigned int order_to_pindex(int migratetype, int order)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER) {
		assert((unsigned int)order == pcp_thp_order());
		return NR_LOWORDER_PCP_LISTS + (migratetype == MIGRATE_MOVABLE);
	}
	return (unsigned int)(MIGRATE_PCPTYPES * order + migratetype);
}

/* kernel: pindex_to_order, mm/page_alloc.c */
int pindex_to_order(unsigned int pindex)
{
	int order = (int)pindex / MIGRATE_PCPTYPES;

	if (pindex >= NR_LOWORDER_PCP_LISTS)
		order = (int)pcp_thp_order();
	return order;
}

/* kernel: pcp_allowed_order, mm/page_alloc.c (the THP order only with CONFIG_TRANSPARENT_HUGEPAGE) */
bool pcp_allowed_order(unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER || (buddy_thp && order == pcp_thp_order());
}

static int rounddown_pow_of_two(int n)
{
	return 1 << (31 - __builtin_clz((unsigned int)n));
}

/* kernel: zone_batchsize, mm/page_alloc.c */
int zone_batchsize(struct zone *zone)
{
	int batch;

	/* about 0.1% of the zone or 1 MiB, whichever is smaller, then 2^n - 1 */
	batch = (int)(zone_managed_pages(zone) >> 10 < (1UL << 20) / PAGE_SIZE
		      ? zone_managed_pages(zone) >> 10 : (1UL << 20) / PAGE_SIZE);
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = rounddown_pow_of_two(batch + batch / 2) - 1;
	return batch;
}

/*
 * kernel: zone_highsize, mm/page_alloc.c (6.12's signature: the fraction is an
 * argument; 6.1 read percpu_pagelist_high_fraction itself, which its caller passes)
 */
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction)
{
	unsigned long total_pages;
	int high, nr_split_cpus;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;

	/* split among the CPUs of the zone's node; nodes without CPUs split among all */
	nr_split_cpus = nr_cpus_node(zone_to_nid(zone)) + cpu_online;
	if (!nr_split_cpus)
		nr_split_cpus = num_online_cpus();
	high = (int)(total_pages / (unsigned long)nr_split_cpus);
	if (high < batch << 2)
		high = batch << 2;
	return high;
}

/* kernel: zone_pcp_update, mm/page_alloc.c (pcp_batch_high_lock: boot is single-threaded) */
void zone_pcp_update(struct zone *zone, int cpu_online)
{
	KOPS(buddy)->zone_set_pageset_high_and_batch(zone, cpu_online);
}

/* Lock names live as long as the process: the engine's lock table keeps the pointers. */
static char pcp_lock_names[SIM_MAX_NODES][MAX_NR_ZONES][32];

/* kernel: per_cpu_pages_init, mm/page_alloc.c */
static void per_cpu_pages_init(struct per_cpu_pages *pcp, const char *lock_name)
{
	memset(pcp, 0, sizeof(*pcp));
	spin_lock_init_named(&pcp->lock, lock_name);
	pcp->lock.guard = SIM_GUARD_PCP_LOCK;	/* a race scenario may switch it off */
	pcp->high = BOOT_PAGESET_HIGH;
	pcp->batch = BOOT_PAGESET_BATCH;
	pcp->free_factor = 0;
}

/*
 * kernel: boot_pageset, mm/page_alloc.c -- one per CPU, shared by every zone until
 * setup_per_cpu_pageset gives the populated ones their own (the unpopulated keep it).
 * High 0 and batch 1: an allocation refills one block and takes it, a free goes
 * straight back to the zone, so its lists are empty between operations.
 */
static struct per_cpu_pages *boot_pageset;

/* kernel: zone_pcp_init, mm/page_alloc.c (the boot pagesets: build_all_zonelists_init) */
void zone_pcp_init(struct zone *zone)
{
	if (!boot_pageset) {
		boot_pageset = calloc((size_t)nr_cpu_ids, sizeof(struct per_cpu_pages));
		if (!boot_pageset)
			abort();
		for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
			per_cpu_pages_init(per_cpu_ptr(boot_pageset, cpu), "boot_pageset lock");
			spin_lock_owner(&per_cpu_ptr(boot_pageset, cpu)->lock, cpu, -1, -1, NULL);
		}
	}
	zone->per_cpu_pageset = boot_pageset;
	zone->per_cpu_zonestats = NULL;		/* boot_zonestats: threshold 0 */
	zone->pageset_high = zone->pageset_high_min = zone->pageset_high_max = BOOT_PAGESET_HIGH;
	zone->pageset_batch = BOOT_PAGESET_BATCH;
}

/* Model-only: free a zone's own pagesets (not the boot ones: pcp_exit frees those). */
void zone_pcp_free(struct zone *zone)
{
	if (zone->per_cpu_pageset != boot_pageset)
		free(zone->per_cpu_pageset);
	zone->per_cpu_pageset = NULL;
}

/* Model-only: free the boot pagesets, after every zone's. */
void pcp_exit(void)
{
	free(boot_pageset);
	boot_pageset = NULL;
}

/* kernel: setup_zone_pageset, mm/page_alloc.c */
void setup_zone_pageset(struct zone *zone)
{
	char *name = pcp_lock_names[zone_to_nid(zone)][zone_idx(zone)];

	snprintf(name, sizeof(pcp_lock_names[0][0]), "pcp->lock N%d %s", zone_to_nid(zone), zone->name);
	zone->per_cpu_pageset = calloc((size_t)nr_cpu_ids, sizeof(struct per_cpu_pages));
	if (!zone->per_cpu_pageset)
		abort();
	setup_zone_vmstats(zone);
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		per_cpu_pages_init(per_cpu_ptr(zone->per_cpu_pageset, cpu), name);
		spin_lock_owner(&per_cpu_ptr(zone->per_cpu_pageset, cpu)->lock, cpu, zone_to_nid(zone),
				zone_idx(zone), NULL);
	}
	KOPS(buddy)->zone_set_pageset_high_and_batch(zone, 0);
}

/* kernel: pcp_spin_trylock (pcpu_spin_trylock), mm/page_alloc.c */
struct per_cpu_pages *pcp_spin_trylock(struct zone *zone)
{
	struct per_cpu_pages *pcp;

	preempt_disable();		/* pcpu_task_pin */
	pcp = this_cpu_ptr(zone->per_cpu_pageset);
	if (!spin_trylock(&pcp->lock)) {
		preempt_enable();
		return NULL;
	}
	return pcp;
}

/* kernel: pcp_spin_unlock (pcpu_spin_unlock), mm/page_alloc.c */
void pcp_spin_unlock(struct per_cpu_pages *pcp)
{
	spin_unlock(&pcp->lock);
	preempt_enable();
}
