/*
 * 6.1/pcp.c - Linux 6.1.192, mm/page_alloc.c: sizing a zone's per-CPU
 * pagesets, one fixed high and batch per zone (pageset_update,
 * zone_set_pageset_high_and_batch), and the model's override of them.
 * Included by kops.c; the shared sizing helpers are ../pcp.c.
 */
#include "../buddy_int.h"

/* kernel: pageset_update, mm/page_alloc.c (boot-time: plain stores, no yield) */
static void pageset_update(struct per_cpu_pages *pcp, unsigned long high, unsigned long batch)
{
	pcp->batch = (int)batch;
	pcp->high = (int)high;
}

/* kernel: zone_set_pageset_high_and_batch, mm/page_alloc.c */
static void zone_set_pageset_high_and_batch(struct zone *zone, int cpu_online)
{
	int new_batch = zone_batchsize(zone) > 1 ? zone_batchsize(zone) : 1;
	int new_high = zone_highsize(zone, new_batch, cpu_online, percpu_pagelist_high_fraction);

	if (zone->pageset_high == new_high && zone->pageset_batch == new_batch)
		return;
	zone->pageset_high = new_high;
	zone->pageset_batch = new_batch;
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		pageset_update(per_cpu_ptr(zone->per_cpu_pageset, cpu),
			       (unsigned long)new_high, (unsigned long)new_batch);
}

/* Model-only: a scenario's pcp high and batch (0 = keep) on every CPU of the zone. */
static void zone_pageset_override(struct zone *zone, int high, int batch)
{
	zone->pageset_high = high ? high : zone->pageset_high;
	zone->pageset_batch = batch ? batch : zone->pageset_batch;
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		pageset_update(per_cpu_ptr(zone->per_cpu_pageset, cpu),
			       (unsigned long)zone->pageset_high, (unsigned long)zone->pageset_batch);
}
