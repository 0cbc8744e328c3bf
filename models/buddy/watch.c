/*
 * watch.c - what the race tools read of the buddy allocator's shared state
 * (models/watch.h): a CPU's per-CPU page lists of one zone, for the steps
 * table.  Reads only; never yields.
 */
#include <stdarg.h>
#include <stdio.h>

#include "buddy_int.h"
#include "../watch.h"

/* kernel: none (model watcher) */
void buddy_watch_pcp(int nid, int zid, int cpu, char *buf, size_t size)
{
	struct per_cpu_pages *pcp;
	size_t len = 0;
	int n;

	if (nid < 0 || nid >= buddy_nr_node_ids || zid < 0 || zid >= MAX_NR_ZONES ||
	    !populated_zone(&NODE_DATA(nid)->node_zones[zid]) || cpu < 0 || cpu >= nr_cpu_ids) {
		snprintf(buf, size, "no such pageset");
		return;
	}
	pcp = per_cpu_ptr(NODE_DATA(nid)->node_zones[zid].per_cpu_pageset, cpu);
	n = snprintf(buf, size, "count %d high %d batch %d free_factor %d", pcp->count, pcp->high, pcp->batch,
		     pcp->free_factor);
	if (n > 0)
		len = (size_t)n;
	for (unsigned int i = 0; i < NR_PCP_LISTS && len < size; i++) {
		if (page_list_empty(&pcp->lists[i]))
			continue;
		n = snprintf(buf + len, size - len, " | list %u first %#llx", i,
			     (unsigned long long)(pcp->lists[i].first - 1));
		if (n > 0)
			len += (size_t)n;
	}
}

/* kernel: none (model watcher: models/watch.h) */
bool buddy_watch_pcp_field(int nid, int zid, int cpu, const void *addr, uint64_t value,
			   char *key, size_t ksize, char *val, size_t vsize)
{
	struct per_cpu_pages *pcp;

	if (nid < 0 || nid >= buddy_nr_node_ids || zid < 0 || zid >= MAX_NR_ZONES ||
	    !populated_zone(&NODE_DATA(nid)->node_zones[zid]) || cpu < 0 || cpu >= nr_cpu_ids)
		return false;
	pcp = per_cpu_ptr(NODE_DATA(nid)->node_zones[zid].per_cpu_pageset, cpu);
	if (addr != &pcp->count)
		return false;
	snprintf(key, ksize, "count");
	snprintf(val, vsize, "%d", (int)(uint32_t)value);
	return true;
}
