/*
 * query.c - read-only views of the buddy allocator for reports, tests and
 * the database: /proc/buddyinfo (nr_free per order), /proc/pagetypeinfo
 * (blocks per migratetype and order, pageblocks per type), /proc/zoneinfo
 * (buddy_zone_info, buddy_pcp_info).  No yield, no lock: call them between
 * operations or from the engine's own context.
 */
#include <string.h>

#include "buddy_int.h"

static const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

static struct zone *zone_of(int nid, int zid)
{
	assert(nid >= 0 && nid < buddy_nr_node_ids && zid >= 0 && zid < MAX_NR_ZONES);
	return &NODE_DATA(nid)->node_zones[zid];
}

int buddy_nr_nodes(void) { return buddy_nr_node_ids; }
bool buddy_zone_populated(int nid, int zid) { return populated_zone(zone_of(nid, zid)); }
const char *buddy_zone_name(int zid) { return zone_names[zid]; }
const char *buddy_migratetype_name(int mt) { return migratetype_names[mt]; }
int buddy_min_free_kbytes(void) { return min_free_kbytes; }
/* The exact count (the snapshot), for tests and checks; zoneinfo prints the folded one. */
uint64_t buddy_zone_free_pages(int nid, int zid) { return zone_page_state_snapshot(zone_of(nid, zid), NR_FREE_PAGES); }

uint64_t buddy_zone_nr_free(int nid, int zid, int order)
{
	return zone_of(nid, zid)->free_area[order].nr_free;
}

uint64_t buddy_zone_nr_free_mt(int nid, int zid, int order, int mt)
{
	return zone_of(nid, zid)->free_area[order].free_list[mt].nr;
}

uint64_t buddy_zone_nr_pageblocks_mt(int nid, int zid, int mt)
{
	struct zone *zone = zone_of(nid, zid);
	uint64_t n = 0, end = zone->zone_start_pfn + zone->spanned_pages;

	for (uint64_t pfn = pageblock_start_pfn(zone->zone_start_pfn); pfn < end; pfn += pageblock_nr_pages)
		if (get_pfnblock_migratetype(NULL, pfn) == mt)
			n++;
	return n;
}

void buddy_zone_info(int nid, int zid, struct buddy_zone_info *out)
{
	struct zone *zone = zone_of(nid, zid);

	memset(out, 0, sizeof(*out));
	out->zone_start_pfn = zone->zone_start_pfn;
	out->spanned = zone->spanned_pages;
	out->present = zone->present_pages;
	out->managed = zone->managed_pages;
	out->wmark_min = min_wmark_pages(zone);
	out->wmark_low = low_wmark_pages(zone);
	out->wmark_high = high_wmark_pages(zone);
	out->wmark_promo = wmark_pages(zone, WMARK_PROMO);
	for (int j = 0; j < MAX_NR_ZONES; j++)
		out->lowmem_reserve[j] = (uint64_t)zone->lowmem_reserve[j];
	out->free_pages = zone_page_state_snapshot(zone, NR_FREE_PAGES);	/* exact: see docs/vmstat.md */
	out->watermark_boost = zone->watermark_boost;
	out->nr_reserved_highatomic = zone->nr_reserved_highatomic;
	out->numa_hit = zone->numa_event[NUMA_HIT];
	out->numa_miss = zone->numa_event[NUMA_MISS];
	out->numa_foreign = zone->numa_event[NUMA_FOREIGN];
	out->numa_interleave = zone->numa_event[NUMA_INTERLEAVE_HIT];
	out->numa_local = zone->numa_event[NUMA_LOCAL];
	out->numa_other = zone->numa_event[NUMA_OTHER];
	out->pgalloc = zone->pgalloc;
	out->pgfree = zone->pgfree;
	out->nr_bad_pages = zone->nr_bad_pages;
}

void buddy_pcp_info(int nid, int zid, int cpu, struct buddy_pcp_info *out)
{
	struct zone *zone = zone_of(nid, zid);

	memset(out, 0, sizeof(*out));
	if (!populated_zone(zone))
		return;		/* zoneinfo prints no pagesets (the boot pagesets' are still there) */
	out->count = zone->per_cpu_pageset[cpu].count;
	out->high = zone->per_cpu_pageset[cpu].high;
	out->batch = zone->per_cpu_pageset[cpu].batch;
	out->stat_threshold = zone->per_cpu_zonestats ? zone->per_cpu_zonestats[cpu].stat_threshold : 0;
}

uint64_t buddy_host_bytes(void)
{
	return sim_mem_host_bytes() + pageblock_host_bytes();
}
