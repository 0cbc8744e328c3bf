/*
 * 6.12/pcp.c - Linux 6.12.118, mm/page_alloc.c: sizing a zone's per-CPU
 * pagesets.  6.12 gives each pageset bounds, not a fixed high: high_min is
 * 6.1's high (the zone's low watermark split over the node's CPUs, at least
 * 4 batches) and high_max the same split of managed / 8
 * (MIN_PERCPU_PAGELIST_HIGH_FRACTION); pcp->high itself moves between them
 * (6.12/free.c, 6.12/rmqueue.c).  A percpu_pagelist_high_fraction sysctl
 * pins both to its value, which switches the tuning off.  Included by kops.c.
 */
#include "../buddy_int.h"

/* kernel: clamp, include/linux/minmax.h (for int; this folder's files share it through kops.c) */
static inline int clamp_int(int v, int lo, int hi)
{
	return v >= hi ? hi : v <= lo ? lo : v;	/* the upper bound first: it wins when lo > hi */
}

/* kernel: pageset_update, mm/page_alloc.c (6.12) -- boot-time: plain stores, no yield */
static void pageset_update(struct per_cpu_pages *pcp, unsigned long high_min, unsigned long high_max,
			   unsigned long batch)
{
	pcp->batch = (int)batch;
	pcp->high_min = (int)high_min;
	pcp->high_max = (int)high_max;
}

/* kernel: __zone_set_pageset_high_and_batch, mm/page_alloc.c (6.12) */
static void __zone_set_pageset_high_and_batch(struct zone *zone, unsigned long high_min, unsigned long high_max,
					      unsigned long batch)
{
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		pageset_update(per_cpu_ptr(zone->per_cpu_pageset, cpu), high_min, high_max, batch);
}

/* kernel: zone_set_pageset_high_and_batch, mm/page_alloc.c (6.12) */
static void zone_set_pageset_high_and_batch(struct zone *zone, int cpu_online)
{
	int new_high_min, new_high_max, new_batch;

	new_batch = zone_batchsize(zone) > 1 ? zone_batchsize(zone) : 1;
	if (percpu_pagelist_high_fraction) {
		/* tuned by hand: no auto-tuning */
		new_high_min = zone_highsize(zone, new_batch, cpu_online, percpu_pagelist_high_fraction);
		new_high_max = new_high_min;
	} else {
		new_high_min = zone_highsize(zone, new_batch, cpu_online, 0);
		new_high_max = zone_highsize(zone, new_batch, cpu_online, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
	if (zone->pageset_high_min == new_high_min && zone->pageset_high_max == new_high_max &&
	    zone->pageset_batch == new_batch)
		return;
	zone->pageset_high_min = new_high_min;
	zone->pageset_high_max = new_high_max;
	zone->pageset_batch = new_batch;
	__zone_set_pageset_high_and_batch(zone, (unsigned long)new_high_min, (unsigned long)new_high_max,
					  (unsigned long)new_batch);
}

/*
 * Model-only: a scenario's pcp high and batch (0 = keep) on every CPU of the
 * zone.  A given high pins high_min = high_max = high, as the
 * percpu_pagelist_high_fraction sysctl does (a fixed high, no tuning).
 */
static void zone_pageset_override(struct zone *zone, int high, int batch)
{
	if (high)
		zone->pageset_high_min = zone->pageset_high_max = high;
	zone->pageset_batch = batch ? batch : zone->pageset_batch;
	__zone_set_pageset_high_and_batch(zone, (unsigned long)zone->pageset_high_min,
					  (unsigned long)zone->pageset_high_max, (unsigned long)zone->pageset_batch);
}
