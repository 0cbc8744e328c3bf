/*
 * zonelist.c - which zones an allocation may use and in what order
 * (mm/page_alloc.c build_all_zonelists and friends; include/linux/gfp.h
 * gfp_zone, node_zonelist).
 *
 * Each node gets two zonelists: ZONELIST_FALLBACK, its own populated zones
 * from the highest index down followed by every other node's, nodes ordered
 * by find_next_best_node (distance, then "prefer the next node", then nodes
 * without CPUs, then round-robin load); and ZONELIST_NOFALLBACK, its own zones
 * only (__GFP_THISNODE).  Built once at boot; never rebuilt (no hotplug), so
 * the zonelist_update_seq retry never fires.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

/* kernel: gfp_zone, include/linux/gfp.h (GFP_ZONE_TABLE on x86-64: HIGHMEM is NORMAL) */
int gfp_zone(gfp_t flags)
{
	switch (flags & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)) {
	case 0:					return ZONE_NORMAL;
	case __GFP_DMA:				return ZONE_DMA;
	case __GFP_HIGHMEM:			return ZONE_NORMAL;
	case __GFP_DMA32:			return ZONE_DMA32;
	case __GFP_MOVABLE:			return ZONE_NORMAL;
	case __GFP_MOVABLE | __GFP_DMA:		return ZONE_DMA;
	case __GFP_MOVABLE | __GFP_HIGHMEM:	return ZONE_MOVABLE;
	case __GFP_MOVABLE | __GFP_DMA32:	return ZONE_DMA32;
	default:				return ZONE_DMA; /* GFP_ZONE_BAD: the table holds 0 */
	}
}

/* kernel: node_zonelist / gfp_zonelist, include/linux/gfp.h */
struct zonelist *node_zonelist(int nid, gfp_t flags)
{
	return &NODE_DATA(nid)->node_zonelists[(flags & __GFP_THISNODE) ? ZONELIST_NOFALLBACK
									  : ZONELIST_FALLBACK];
}

/* kernel: build_zonerefs_node, mm/page_alloc.c */
static int build_zonerefs_node(struct pglist_data *pgdat, struct zoneref *zonerefs)
{
	int zone_type = MAX_NR_ZONES, nr_zones = 0;

	do {
		struct zone *zone;

		zone_type--;
		zone = pgdat->node_zones + zone_type;
		if (populated_zone(zone)) {
			zonerefs[nr_zones].zone = zone;
			zonerefs[nr_zones].zone_idx = zone_type;
			nr_zones++;
		}
	} while (zone_type);
	return nr_zones;
}

static int node_load[MAX_NUMNODES];

static bool node_has_memory(int nid)
{
	return NODE_DATA(nid)->node_present_pages != 0;
}

/* kernel: find_next_best_node, mm/page_alloc.c */
int find_next_best_node(int node, uint64_t *used_node_mask)
{
	int min_val = INT_MAX, best_node = NUMA_NO_NODE;

	if (!(*used_node_mask & (1ULL << node))) {
		*used_node_mask |= 1ULL << node;
		return node;
	}

	for (int n = 0; n < buddy_nr_node_ids; n++) {
		int val;

		if (!node_has_memory(n) || (*used_node_mask & (1ULL << n)))
			continue;
		val = node_distance(node, n);
		val += (n < node);			/* prefer the next node up */
		if (nr_cpus_node(n))
			val += PENALTY_FOR_NODE_WITH_CPUS;	/* prefer headless nodes */
		val *= MAX_NUMNODES;
		val += node_load[n];
		if (val < min_val) {
			min_val = val;
			best_node = n;
		}
	}
	if (best_node >= 0)
		*used_node_mask |= 1ULL << best_node;
	return best_node;
}

/* kernel: build_zonelists (NUMA), with build_zonelists_in_node_order and build_thisnode_zonelists */
static void build_zonelists(struct pglist_data *pgdat)
{
	int node_order[MAX_NUMNODES], nr_nodes = 0, node;
	int local_node = pgdat->node_id, prev_node = local_node;
	uint64_t used_mask = 0;
	struct zoneref *zonerefs;

	while ((node = find_next_best_node(local_node, &used_mask)) >= 0) {
		/* the first node of each new distance group gets a load penalty: round robin */
		if (node_distance(local_node, node) != node_distance(local_node, prev_node))
			node_load[node] += 1;
		node_order[nr_nodes++] = node;
		prev_node = node;
	}

	zonerefs = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (int i = 0; i < nr_nodes; i++)
		zonerefs += build_zonerefs_node(NODE_DATA(node_order[i]), zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;

	zonerefs = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	zonerefs += build_zonerefs_node(pgdat, zonerefs);
	zonerefs->zone = NULL;
	zonerefs->zone_idx = 0;
}

/* kernel: build_all_zonelists / __build_all_zonelists, mm/page_alloc.c (boot only) */
void build_all_zonelists(void)
{
	size_t nr_refs = (size_t)buddy_nr_node_ids * MAX_NR_ZONES + 1;

	memset(node_load, 0, sizeof(node_load));
	for (int nid = 0; nid < buddy_nr_node_ids; nid++) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_ZONELISTS; i++) {
			pgdat->node_zonelists[i]._zonerefs = calloc(nr_refs, sizeof(struct zoneref));
			if (!pgdat->node_zonelists[i]._zonerefs)
				abort();
		}
		build_zonelists(pgdat);
	}
}

void zonelists_exit(void)
{
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int i = 0; i < MAX_ZONELISTS; i++) {
			free(NODE_DATA(nid)->node_zonelists[i]._zonerefs);
			NODE_DATA(nid)->node_zonelists[i]._zonerefs = NULL;
		}
}

int buddy_zonelist_zones(int nid, gfp_t gfp, int *nodes, int *zids, int max)
{
	struct zonelist *zonelist = node_zonelist(nid, gfp);
	struct zoneref *z;
	struct zone *zone;
	int n = 0;

	for_each_zone_zonelist_nodemask(zone, z, zonelist, gfp_zone(gfp), NULL) {
		if (n == max)
			break;
		nodes[n] = zone_to_nid(zone);
		zids[n] = zonelist_zone_idx(z);
		n++;
	}
	return n;
}
