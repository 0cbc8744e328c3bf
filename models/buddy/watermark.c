/*
 * watermark.c - zone watermarks, lowmem reserves and the watermark checks
 * (mm/page_alloc.c 6.1.192; set_recommended_min_free_kbytes from
 * mm/khugepaged.c; the thresholds of refresh_zone_stat_thresholds are in vmstat.c).
 * 6.12 shares all but __setup_per_zone_wmarks (ZONE_MOVABLE capped like
 * highmem) and __zone_watermark_unusable_free (free highatomic pages, not
 * reserved ones): those are in 6.1/page_alloc.c and 6.12/page_alloc.c.
 *
 * Boot order, as the kernel runs it and buddy_init replays it:
 *   init_per_zone_wmark_min (postcore initcall): calculate_min_free_kbytes,
 *     setup_per_zone_wmarks, setup_per_zone_lowmem_reserve;
 *   set_recommended_min_free_kbytes (khugepaged start, late initcall; Debian
 *     builds THP in): raises min_free_kbytes for THP and sets watermarks again;
 *   then the scenario's sysctl writes (watermark_scale_factor, min_free_kbytes).
 * Boot is single-threaded and runs before the engine: these take no locks.
 *
 * The checks (__zone_watermark_ok, zone_watermark_fast) run at allocation
 * time and read zone state without a lock, as the kernel does: NR_FREE_PAGES
 * through zone_page_state, which lags by the CPUs' unfolded diffs (vmstat.c);
 * zone_watermark_ok_safe reads the exact snapshot below percpu_drift_mark.
 */
#include "buddy_int.h"

int min_free_kbytes = 1024;
int user_min_free_kbytes = -1;
int watermark_scale_factor = 10;
int watermark_boost_factor = 15000;
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {
	[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32, [ZONE_MOVABLE] = 0,
};
unsigned long totalreserve_pages;

/* kernel: int_sqrt, lib/math/int_sqrt.c */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << (sizeof(x) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* kernel: nr_free_zone_pages, mm/page_alloc.c (the boot CPU's node stands for numa_node_id) */
static unsigned long nr_free_zone_pages(int offset)
{
	struct zonelist *zonelist = node_zonelist(cpu_to_node(0), GFP_KERNEL);
	unsigned long sum = 0;
	struct zoneref *z;
	struct zone *zone;

	for_each_zone_zonelist_nodemask(zone, z, zonelist, offset, NULL) {
		unsigned long size = zone_managed_pages(zone);
		unsigned long high = high_wmark_pages(zone);
		if (size > high)
			sum += size - high;
	}
	return sum;
}

/* kernel: nr_free_buffer_pages, mm/page_alloc.c */
unsigned long nr_free_buffer_pages(void)
{
	return nr_free_zone_pages(gfp_zone(GFP_USER));
}

/* kernel: calculate_totalreserve_pages, mm/page_alloc.c */
void calculate_totalreserve_pages(void)
{
	unsigned long reserve_pages = 0;

	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = pgdat->node_zones + i;
			long max = 0;
			unsigned long managed_pages = zone_managed_pages(zone);

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += (long)high_wmark_pages(zone);
			if ((unsigned long)max > managed_pages)
				max = (long)managed_pages;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	totalreserve_pages = reserve_pages;
}

/* kernel: setup_per_zone_lowmem_reserve, mm/page_alloc.c */
void setup_per_zone_lowmem_reserve(void)
{
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed_pages = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				struct zone *upper_zone = &pgdat->node_zones[j];

				managed_pages += zone_managed_pages(upper_zone);
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed_pages / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

/* kernel: setup_per_zone_wmarks, mm/page_alloc.c */
void setup_per_zone_wmarks(void)
{
	struct zone *zone;
	int nid, zid;

	KOPS(buddy)->__setup_per_zone_wmarks();
	/* pcp high follows the low watermark */
	for_each_zone_model(zone, nid, zid)
		if (populated_zone(zone))
			zone_pcp_update(zone, 0);
}

/* kernel: calculate_min_free_kbytes, mm/page_alloc.c */
void calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);
	int new_min_free_kbytes = (int)int_sqrt(lowmem_kbytes * 16);

	if (new_min_free_kbytes > user_min_free_kbytes)
		min_free_kbytes = new_min_free_kbytes < 128 ? 128
				: new_min_free_kbytes > 262144 ? 262144 : new_min_free_kbytes;
}

/* kernel: init_per_zone_wmark_min, mm/page_alloc.c */
void init_per_zone_wmark_min(void)
{
	calculate_min_free_kbytes();
	setup_per_zone_wmarks();
	refresh_zone_stat_thresholds();
	setup_per_zone_lowmem_reserve();
}

/* kernel: set_recommended_min_free_kbytes, mm/khugepaged.c (THP enabled, as Debian builds it) */
void set_recommended_min_free_kbytes(void)
{
	unsigned long recommended_min;
	struct zone *zone;
	int nr_zones = 0, nid, zid;

	for_each_zone_model(zone, nid, zid) {
		if (!populated_zone(zone) || zone_idx(zone) > gfp_zone(GFP_USER))
			continue;
		nr_zones++;
	}
	/* two free pageblocks per zone, plus room for each migratetype to fall back to each */
	recommended_min = pageblock_nr_pages * (unsigned long)nr_zones * 2;
	recommended_min += pageblock_nr_pages * (unsigned long)nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
	if (recommended_min > nr_free_buffer_pages() / 20)
		recommended_min = nr_free_buffer_pages() / 20;
	recommended_min <<= (PAGE_SHIFT - 10);
	if (recommended_min > (unsigned long)min_free_kbytes)
		min_free_kbytes = (int)recommended_min;
	setup_per_zone_wmarks();
}

/* kernel: __zone_watermark_ok, mm/page_alloc.c */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= KOPS(buddy)->__zone_watermark_unusable_free(z, order, alloc_flags);

	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}

	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;

	/* high order: one free block big enough on a list the caller may use */
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(area, mt))
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !free_area_empty(area, MIGRATE_HIGHATOMIC))
			return true;
	}
	return false;
}

/* kernel: zone_watermark_ok, mm/page_alloc.c */
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

/* kernel: zone_watermark_fast, mm/page_alloc.c */
bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, gfp_t gfp_mask)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	if (!order) {
		long usable_free = free_pages;
		long reserved = KOPS(buddy)->__zone_watermark_unusable_free(z, 0, alloc_flags);

		usable_free -= usable_free < reserved ? usable_free : reserved;
		if (usable_free > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}

	if (__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;

	/* GFP_ATOMIC order-0 at the min mark ignores the boost */
	if (unlikely(!order && (gfp_mask & __GFP_ATOMIC) && z->watermark_boost &&
		     ((alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN))) {
		mark = z->_watermark[WMARK_MIN];
		return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
	}
	return false;
}

/* kernel: zone_watermark_ok_safe, mm/page_alloc.c -- near the watermarks, the exact count */
bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	if (z->percpu_drift_mark && free_pages < (long)z->percpu_drift_mark)
		free_pages = (long)zone_page_state_snapshot(z, NR_FREE_PAGES);
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, 0, free_pages);
}
