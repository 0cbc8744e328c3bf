/*
 * procinfo.h - /proc/buddyinfo and /proc/zoneinfo of a run, in the kernel's
 * layouts (mm/vmstat.c), from the zones the database recorded.
 */
#ifndef KMEMSIM_SIM_CLI_PROCINFO_H
#define KMEMSIM_SIM_CLI_PROCINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One zone as /proc prints it; zones go in (node, zone index) order, every
 * zone of every node (SIM_PROCINFO_NR_ZONES each, as Debian's 6.1 has them). */
#define SIM_PROCINFO_NR_ZONES 5		/* DMA, DMA32, Normal, Movable, Device */
#define SIM_PROCINFO_NR_ORDERS 11		/* MAX_ORDER */
struct sim_procinfo_pcp { int count, high, batch, stat_threshold; };
struct sim_procinfo_zone {
	int nid, zid;
	bool populated;			/* present pages > 0 */
	uint64_t nr_free[SIM_PROCINFO_NR_ORDERS];	/* free_area[order].nr_free */
	uint64_t free_pages, boost, min, low, high, spanned, present, managed, cma;
	uint64_t protection[SIM_PROCINFO_NR_ZONES];	/* lowmem_reserve[] */
	uint64_t numa[6];		/* numa_hit, _miss, _foreign, _interleave, _local, _other */
	uint64_t start_pfn;
	int nr_cpus;			/* entries in pcp[] */
	struct sim_procinfo_pcp *pcp;	/* per vCPU */
};
const char *sim_procinfo_zone_name(int zid);				/* "DMA" ... "Device" */
/* The printers, in the layout of `kernel` (an enum kernel_version of models/kernel.h: the run's
 * runs.kernel, sim_db_run_kernel), where the versions' layouts differ. */
void sim_procinfo_print_buddyinfo(const struct sim_procinfo_zone *z, int nr_zones, int kernel, FILE *out);
void sim_procinfo_print_zoneinfo(const struct sim_procinfo_zone *z, int nr_zones, int kernel, FILE *out);

/* /proc/buddyinfo and /proc/zoneinfo of the run's final state.  0, or SIM_EFAIL / SIM_EBADINPUT after a line on err. */
int sim_procinfo_buddyinfo(const char *db_path, FILE *out, FILE *err);
int sim_procinfo_zoneinfo(const char *db_path, FILE *out, FILE *err);

#endif
