/*
 * snapshot.h - one snapshot of a capture (DIR/SNAP0/, DIR/SNAP1/): what the
 * kernel itself reported about its allocators at that moment.
 *
 *     sys_kernel_slab.txt  "cache attribute value" of every /sys/kernel/slab/<cache>/
 *                          file (SLUB): counters with their "C<cpu>=<n>" parts when
 *                          the kernel had CONFIG_SLUB_STATS, geometry, tunables
 *     slabinfo             /proc/slabinfo (2.1), with SLAB's globalstat and cpustat
 *                          columns when the kernel had CONFIG_DEBUG_SLAB
 *     buddyinfo            free blocks per node, zone and order
 *     zoneinfo             "pages free", "managed" and the pcp lists' "count:" per node and zone
 *
 * Every file is optional (have_* says what was read).  A line of a file that
 * is there but not in its format is bad input: one line `FILE:LINE: what`
 * on err and SIM_EBADINPUT.  Nothing here knows the simulator; `kmemsim
 * validate` (sim/validate) compares two snapshots with a replay.
 */
#ifndef KMEMSIM_TRACES_SNAPSHOT_H
#define KMEMSIM_TRACES_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_SNAP_MAX_ORDER 11		/* buddyinfo columns (MAX_ORDER of 6.1) */

/* A numeric attribute of sys_kernel_slab.txt: its total and its per-CPU parts. */
struct sim_snap_attr {
	char *name;
	int64_t value;			/* the first number */
	int nr_cpus;			/* length of cpu[]: highest C<n>= + 1, 0 when none */
	uint64_t *cpu;			/* C<n>= parts (0 where not printed) */
};

/* The slabinfo columns, in the kernel's order (slabinfo_show_stats for the last 13). */
enum sim_snap_si {
	SIM_SI_ACTIVE_OBJS, SIM_SI_NUM_OBJS, SIM_SI_OBJSIZE, SIM_SI_OBJPERSLAB, SIM_SI_PAGESPERSLAB,
	SIM_SI_LIMIT, SIM_SI_BATCHCOUNT, SIM_SI_SHARED, SIM_SI_ACTIVE_SLABS, SIM_SI_NUM_SLABS,
	SIM_SI_SHAREDAVAIL,
	SIM_SI_LISTALLOCS, SIM_SI_MAXOBJS, SIM_SI_GROWN, SIM_SI_REAPED, SIM_SI_ERROR, SIM_SI_MAXFREEABLE,
	SIM_SI_NODEALLOCS, SIM_SI_REMOTEFREES, SIM_SI_ALIENOVERFLOW,
	SIM_SI_ALLOCHIT, SIM_SI_ALLOCMISS, SIM_SI_FREEHIT, SIM_SI_FREEMISS,
	SIM_SI_NR
};
#define SIM_SI_NR_BASE (SIM_SI_SHAREDAVAIL + 1)	/* columns without statistics */

/* A cache: a /sys/kernel/slab directory, a slabinfo row, or both (same name). */
struct sim_snap_cache {
	char *name;
	int nr_attrs;
	struct sim_snap_attr *attr;	/* numeric sysfs attributes, in file order */
	bool in_slabinfo;
	int64_t si[SIM_SI_NR];		/* slabinfo columns (statistics: when the file has them) */
};

struct sim_snap_zone {
	int node;
	char zone[16];			/* "DMA32" */
	bool have_buddy, have_free;
	uint64_t nr_free[SIM_SNAP_MAX_ORDER];	/* buddyinfo */
	uint64_t pages_free;		/* zoneinfo "pages free" */
	uint64_t managed;		/* zoneinfo "managed" */
	bool have_pcp;			/* zoneinfo had "count:" lines (its pagesets) */
	uint64_t pcp_count;		/* pages on the zone's pcp lists: the "count:" of every CPU, summed */
};

struct sim_snapshot {
	char *dir;
	bool have_sysfs, have_slabinfo, slabinfo_stats, have_buddy, have_zoneinfo;
	int nr_caches;
	struct sim_snap_cache *cache;
	int nr_zones;
	struct sim_snap_zone *zone;
};

/* Read directory `dir` (a capture's SNAPi/).  0, SIM_EBADINPUT (one line on err) or SIM_EFAIL;
 * a missing directory is SIM_EBADINPUT ("DIR: no such snapshot directory"). */
int sim_snapshot_read(struct sim_snapshot **out, const char *dir, FILE *err);
void sim_snapshot_free(struct sim_snapshot *s);				/* NULL ok */
const struct sim_snap_cache *sim_snapshot_cache(const struct sim_snapshot *s, const char *name); /* NULL: none */
const struct sim_snap_attr *sim_snapshot_attr(const struct sim_snap_cache *c, const char *name); /* NULL: none */

#endif
