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
 *     DIR/cmdline                the kernel command line (/proc/cmdline)
 *     DIR/kernel.config[.xz], config.gz or config   the kernel's .config
 *                                (/boot/config-$(uname -r) or /proc/config.gz)
 *     DIR/sysctl_vm.txt          "name value" of each /proc/sys/vm file
 *     DIR/SNAP0/pagetypeinfo     /proc/pagetypeinfo ("Page block order: N")
 *     DIR/formats/kmalloc.format  the kmalloc event's format (tracefs events/kmem/kmalloc/format)
 *     DIR/dmesg                  the boot log: pages freed after the boot watermarks (never bad input)
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

#define SIM_CAPTURE_NR_PROTECTION 5	/* zoneinfo "protection: (...)": lowmem_reserve[], Device too */

struct sim_capture_zone {
	bool seen;			/* the zone has a block in zoneinfo */
	uint64_t start_pfn, spanned, present, managed;
	uint64_t wmark_min, wmark_low, wmark_high;	/* zoneinfo "min", "low", "high" (pages, boost included) */
	int nr_protection;		/* entries of "protection: (0, 0, 0)" */
	uint64_t protection[SIM_CAPTURE_NR_PROTECTION];
	bool have_pcp;			/* a "cpu:" block was read: the first CPU's pcp high and batch */
	int pcp_high, pcp_batch;
	uint64_t late_freed;		/* pages dmesg frees after the boot watermarks were set (capture_dmesg.c) */
};

/*
 * The kernel config symbols a replay needs, each yes / no / unknown.  With a
 * config file, a symbol set to y or m is yes and one that is "not set" or
 * absent is no (a .config lists every symbol the kernel could have, and an
 * absent one could not be on); without a config file every symbol is unknown.
 */
enum sim_kconfig_sym {
	SIM_KCONFIG_SLUB, SIM_KCONFIG_SLAB, SIM_KCONFIG_SLUB_CPU_PARTIAL,
	SIM_KCONFIG_SLAB_FREELIST_RANDOM, SIM_KCONFIG_SLAB_FREELIST_HARDENED, SIM_KCONFIG_MEMCG_KMEM,
	SIM_KCONFIG_TRANSPARENT_HUGEPAGE, SIM_KCONFIG_ZONE_DMA, SIM_KCONFIG_HUGETLB_PAGE,
	SIM_KCONFIG_SLUB_STATS, SIM_KCONFIG_DEBUG_SLAB, SIM_KCONFIG_PREEMPT_NONE,
	SIM_KCONFIG_PREEMPT_VOLUNTARY, SIM_KCONFIG_PREEMPT,
	/* 6.12's: MEMCG alone gives kmem accounting since 6.10 (MEMCG_KMEM is gone); SLAB_BUCKETS
	 * (6.11, memdup_user-* caches); SLUB_TINY (6.2, excludes SLUB_STATS and cpu partials);
	 * HARDENED_USERCOPY (6.12 merges usercopy caches without it); THP "always" by default */
	SIM_KCONFIG_MEMCG, SIM_KCONFIG_SLAB_BUCKETS, SIM_KCONFIG_SLUB_TINY, SIM_KCONFIG_HARDENED_USERCOPY,
	SIM_KCONFIG_TRANSPARENT_HUGEPAGE_ALWAYS, SIM_NR_KCONFIG
};
enum sim_tristate { SIM_UNKNOWN, SIM_NO, SIM_YES };
extern const char *const sim_kconfig_names[SIM_NR_KCONFIG];	/* "SLUB", ... (without CONFIG_) */

/* /proc/sys/vm values of sysctl_vm.txt the replay uses; -1 = not in the file (or no file). */
struct sim_capture_sysctl {
	int64_t min_free_kbytes, watermark_scale_factor, watermark_boost_factor;
	int64_t percpu_pagelist_high_fraction;
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
	int node_line[SIM_CAPTURE_MAX_NODES];	/* the numa_topology.txt line naming the node's CPUs; 0 none */
	int16_t cpu_node[SIM_CAPTURE_MAX_CPUS];	/* node of a CPU number, -1 = not named */
	bool have_distance;
	int distance[SIM_CAPTURE_MAX_NODES][SIM_CAPTURE_MAX_NODES];
	bool have_zones;		/* a zoneinfo was read */
	char *kconfig_path;		/* the config file read, or NULL (every symbol unknown) */
	int8_t kconfig[SIM_NR_KCONFIG];	/* enum sim_tristate of each symbol */
	int pcp_batch_scale_max;	/* CONFIG_PCP_BATCH_SCALE_MAX (6.8+: pcp batches up to batch << it); -1 unknown */
	int release[3];			/* uname's kernel release "6.12.118+deb12-amd64" -> 6, 12, 118; -1 unknown */
	int page_block_order;		/* pagetypeinfo's "Page block order"; -1 = unknown */
	char *sysctl_path;		/* sysctl_vm.txt, or NULL */
	struct sim_capture_sysctl sysctl;
	bool slab_tunables;		/* /proc/slabinfo shows SLAB's tunables: the kernel ran SLAB, not SLUB */
	bool slab_statistics;		/* its header says "(statistics)": SLAB's STATS, i.e. CONFIG_DEBUG_SLAB */
	char *cmdline;			/* first line of cmdline, or NULL */
	/* dmesg (the boot log, capture_dmesg.c): the file read or NULL; the pages of its "Freeing initrd
	 * memory" and kernel-image lines; whether a "RAMDISK: [mem ...]" line placed the initrd */
	char *dmesg_path;
	uint64_t dmesg_initrd_pages, dmesg_image_pages;
	bool dmesg_initrd_placed;
	/* formats/kmalloc.format: its gfp table names __GFP_ATOMIC (SIM_YES: a kernel before 6.4, which
	 * removed the flag), does not (SIM_NO), or there is no such file (SIM_UNKNOWN) */
	int8_t format_gfp_atomic;
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
