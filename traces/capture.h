/*
 * capture.h - the metadata of a capture directory: the machine a trace was
 * recorded on, as tools/capture-trace (and the capture of
 * shared/traces/debian-6.1.192-4cpu-2node) saves it beside the trace.
 *
 *     DIR/trace.txt[.xz|.gz] or DIR/trace   the ftrace text
 *     DIR/numa_topology.txt      "node0 cpus=0-1" lines (+ each node's meminfo)
 *     DIR/numa_distance.txt      "node0 10 20" lines (optional)
 *     DIR/SNAP0/zoneinfo         /proc/zoneinfo before the workload
 *     DIR/SNAP0/sys_kernel_slab.txt  "cache attribute value" of /sys/kernel/slab
 *     DIR/SNAP0/slabinfo         /proc/slabinfo (which slab allocator the kernel ran)
 *     DIR/sys_kernel_slab_ls-l.txt   `ls -l /sys/kernel/slab` (merged caches are symlinks)
 *     DIR/uname                  `uname -a`
 *
 * Every file is optional; what is missing is left unknown (nr_nodes 0, no
 * zones, no caches) and the replay falls back to the trace and the
 * scenario.  A file that is there but unreadable as its format is bad input:
 * one line `FILE:LINE: what` and SIM_EBADINPUT.  Only reads files; nothing
 * here knows the simulator.
 */
#ifndef KMEMSIM_TRACES_CAPTURE_H
#define KMEMSIM_TRACES_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SIM_CAPTURE_MAX_NODES 64
#define SIM_CAPTURE_MAX_CPUS 4096	/* CPU numbers a capture may name */
#define SIM_CAPTURE_NR_ZONES 4		/* DMA, DMA32, Normal, Movable (Device is ignored) */

struct sim_capture_zone {
	bool seen;			/* the zone has a block in zoneinfo */
	uint64_t start_pfn, spanned, present, managed;
};

struct sim_capture_node {
	int nr_cpus;
	struct sim_capture_zone zone[SIM_CAPTURE_NR_ZONES];
};

/* One SLUB cache of sys_kernel_slab.txt, under every name that reaches it. */
struct sim_capture_cache {
	char *dir;			/* its /sys/kernel/slab directory ("dentry", ":A-0000192") */
	unsigned int object_size, size, align, order, objs_per_slab;
	unsigned int flags;		/* SLAB_* (models/slab_common/slab_common.h values) from the attributes and the id */
	bool ctor;			/* has a constructor (the model has none) */
	char *aliases;			/* names symlinked to it, space-separated, or NULL */
};

struct sim_capture {
	char *dir;			/* the directory */
	char *trace_path;		/* the trace file in it, or NULL */
	char *uname;			/* first line of uname, or NULL */
	int nr_nodes;			/* 0: no numa_topology.txt */
	struct sim_capture_node node[SIM_CAPTURE_MAX_NODES];
	int nr_cpus;			/* CPUs named by numa_topology.txt */
	int16_t cpu_node[SIM_CAPTURE_MAX_CPUS];	/* node of a CPU number, -1 = not named */
	bool have_distance;
	int distance[SIM_CAPTURE_MAX_NODES][SIM_CAPTURE_MAX_NODES];
	bool have_zones;		/* a zoneinfo was read */
	bool slab_tunables;		/* /proc/slabinfo shows SLAB's tunables: the kernel ran SLAB, not SLUB */
	int nr_caches;
	struct sim_capture_cache *cache;
	int nr_links;			/* name -> directory symlinks of the ls -l listing */
	char **link_name, **link_dir;
};

/* Read the metadata of directory `dir`.  0, SIM_EBADINPUT (one line on err) or SIM_EFAIL. */
int sim_capture_open(struct sim_capture **out, const char *dir, FILE *err);
void sim_capture_free(struct sim_capture *c);				/* NULL ok */
/* The cache a trace name reaches: its own directory, or the one its symlink names. NULL if none. */
const struct sim_capture_cache *sim_capture_find_cache(const struct sim_capture *c, const char *name);
/* "0-3,8" -> bits set in cpus[] (n entries); the number of CPUs named, or -1 when malformed. */
int sim_capture_parse_cpulist(const char *s, bool *cpus, int n);

#endif
