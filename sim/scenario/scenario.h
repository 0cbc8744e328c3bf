/*
 * scenario.h - a run's configuration: machine, costs, allocator settings,
 * workload, interrupts, preemption, guards and seed.
 *
 * Loaded from JSON by the files of sim/scenario/ (scenario.c and one
 * scenario_*.c per key group; the only folder that includes cJSON.h); bad
 * input gets one line `file:line: key.path: what is wrong` and
 * SIM_EBADINPUT.  sim/scenario/config.c hands the settings to the layers
 * below as their own plain structs.  sim_scenario_default() is the embedded default run.
 * Every field has a default, so a scenario file names only what it changes.
 * The default allocator is SLUB on top of the buddy allocator.
 * The keys, types, defaults and ranges are documented in docs/scenario.md.
 *
 * Physical layout (for the buddy model): nodes follow one another in
 * physical address order, node 0 first; inside a node its zones follow in
 * index order (DMA, DMA32, Normal, Movable), each zone_mib[] MiB long and
 * contiguous, 0 = absent.  The loader accepts only layouts the kernel could
 * have: zone types never go down as addresses go up (Movable excepted),
 * ZONE_DMA ends by 16 MiB and ZONE_DMA32 by 4 GiB.  The default is the
 * 2-node QEMU box of traces/debian-6.1.192-4cpu-2node: node 0 {DMA 16,
 * DMA32 1008}, node 1 {DMA32 1024}, 2 vCPUs each (that kernel printed a
 * DMA32 zone on node 1 too, since all of its 2 GiB is below 4 GiB).
 */
#ifndef KMEMSIM_SIM_SCENARIO_H
#define KMEMSIM_SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../engine/engine.h"
#include "race_cfg.h"
#include "memory_cfg.h"

#define SIM_MAX_ORDERS 11
#define SIM_MAX_STREAMS 64
#define SIM_MAX_CACHES 64		/* named caches a scenario creates */
#define SIM_MAX_SIZES 32		/* kmalloc sizes of one object stream */
#define SIM_MAX_TUNES 64		/* per-cache tunables (slab.tune, slub.tune) */
#define SIM_CACHE_NAME_MAX 48		/* bytes of a cache name, NUL included */
#define SIM_SCENARIO_MAX_MIB (4ULL << 20)	/* 4 TiB of simulated memory at most */
#define SIM_SCENARIO_MAX_BYTES (16 << 20)	/* the largest scenario file read */

/* What a stream allocates (the values of enum sim_stream_kind, sim/run/workload.h). */
#define SIM_STREAM_KIND_PAGES 0		/* alloc_pages_node / __free_pages */
#define SIM_STREAM_KIND_OBJECTS 1	/* kmalloc_node / kmem_cache_alloc_node, kfree */
#define SIM_STREAM_KIND_AUTO 2		/* while loading only: decided by the keys and the allocator */

enum sim_allocator { SIM_ALLOC_BUDDY, SIM_ALLOC_SLUB, SIM_ALLOC_SLAB };

struct sim_node_cfg {
	int nr_cpus;				/* vCPUs on this node */
	uint64_t zone_mib[4];			/* DMA, DMA32, Normal, Movable sizes (MiB; 0 = absent) */
	/* A real machine's zoneinfo (kmemsim replay of a capture): 0 = the whole span. */
	uint64_t zone_present_pages[4];		/* pages that exist (spanned minus holes) */
	uint64_t zone_managed_pages[4];		/* of which the buddy allocator got at boot (rest reserved) */
	/* A capture's exact zone geometry (not a scenario key): 0 spanned = zone_mib from the previous zone's end. */
	uint64_t zone_start_pfn[4], zone_spanned_pages[4];
	/* Pages freed after the boot watermarks were set (initrd, initmem; a capture's dmesg; not a key). */
	uint64_t zone_late_freed_pages[4];
	/* Overrides applied verbatim after boot (a capture's zoneinfo, a what-if): 0 = as computed. */
	uint64_t wmark_min[4], wmark_low[4], wmark_high[4];	/* zone watermarks, pages */
	uint32_t pcp_high[4], pcp_batch[4];	/* every CPU's pcp high and batch in the zone */
};

/*
 * A synthetic stream of page operations on one vCPU (or every vCPU when
 * cpu = -1): nr_ops allocations, each of an order drawn from order_weight[]
 * and a migratetype from mt_weight[], freed after a lifetime drawn
 * uniformly from [lifetime_min, lifetime_max] of this stream's later
 * operations; irq_pct of them issued from an interrupt handler (GFP_ATOMIC).
 */
struct sim_stream_cfg {
	int cpu;				/* -1: one stream per vCPU */
	uint64_t nr_ops;			/* allocations */
	uint32_t order_weight[SIM_MAX_ORDERS];
	uint32_t mt_weight[3];			/* unmovable, movable, reclaimable */
	uint32_t lifetime_min, lifetime_max;	/* in this stream's operations */
	uint32_t irq_pct;			/* share issued from IRQ context, 0..100 */
	uint32_t think_ns;			/* simulated time between operations */
	int nid;				/* node asked for, -1 = local */
	uint32_t gfp;				/* gfp of task-context allocations */
	/* object streams (kind SIM_STREAM_KIND_OBJECTS) */
	int kind;				/* SIM_STREAM_KIND_* */
	char cache[SIM_CACHE_NAME_MAX];		/* kmem_cache_alloc_node from this cache; "" = kmalloc */
	int nr_sizes;				/* kmalloc sizes (bytes) and their weights */
	uint32_t size[SIM_MAX_SIZES], size_weight[SIM_MAX_SIZES];
	uint32_t burst;				/* operations back to back before each think (>= 1) */
	uint32_t remote_free_pct;		/* share freed by a task on another vCPU, 0..100 */
	bool pinned;				/* tasks stay on their vCPU (default: objects yes, pages no) */
};

/* A cache the scenario creates at boot (kmem_cache_create; may merge with an existing one). */
struct sim_cache_cfg {
	char name[SIM_CACHE_NAME_MAX];
	uint32_t size, align, flags;		/* flags: SLAB_* of models/slab_common/slab_common.h */
	bool ctor;				/* created with a constructor (layout, no merging) */
};

/* A per-cache tunable written after boot, or when a trace creates the cache: SLAB's
 * /proc/slabinfo line, SLUB's sysfs cpu_partial and min_partial. */
struct sim_tune_cfg {
	char cache[SIM_CACHE_NAME_MAX];
	int limit, batchcount, shared;		/* SLAB: "name limit batchcount shared" */
	uint32_t cpu_partial;			/* SLUB: /sys/kernel/slab/<cache>/cpu_partial */
	uint32_t min_partial;			/* SLUB: /sys/kernel/slab/<cache>/min_partial */
	bool cpu_partial_set, min_partial_set;	/* SLUB: which of the two the entry writes */
};

struct sim_scenario {
	char *path;				/* file it came from, or "(default)" */
	char *json;				/* its text (with --set overrides applied), stored in the runs table */
	char *set_keys;				/* key paths --set wrote, one a line (their errors say --set); NULL: none */
	char *name, *description;
	uint64_t seed;
	enum sim_allocator allocator;
	/* key "kernel": the Linux version the models follow, an enum kernel_version of models/kernel.h
	 * (KERNEL_6_1, the default, or KERNEL_6_12); handed on as the global kernel_version (config.c) */
	int kernel;
	bool kernel_given;			/* the text or --set named it; else the models keep theirs (6.1) */

	int nr_nodes;
	struct sim_node_cfg node[SIM_MAX_NODES];
	int distance[SIM_MAX_NODES][SIM_MAX_NODES]; /* 10 local, 20 remote by default */
	uint32_t cost[SIM_NR_COSTS];		/* simulated ns per primitive */
	uint32_t remote_pct;			/* extra % for a remote access per 10 of distance over 10 */
	bool guard_off[SIM_NR_GUARDS];

	/* interrupt handlers that allocate (stream irq_pct) */
	uint32_t irq_gfp;			/* gfp of their allocations (default GFP_ATOMIC) */
	uint64_t irq_delay_min_ns, irq_delay_max_ns; /* raised this far ahead of the task's clock (uniform) */

	int preempt_model;			/* SIM_PREEMPT_* */
	uint64_t slice_ns;			/* time slice (default 3 ms) */
	uint32_t migrate_pct;			/* % of preemptions that move the task */
	uint32_t hz;				/* timer tick (default 250) */
	uint32_t tasks_per_cpu;			/* synthetic tasks per vCPU (default 1) */

	/* buddy settings */
	uint64_t min_free_kbytes;		/* 0 = computed as 6.1 does */
	uint32_t watermark_scale_factor;	/* default 10 */
	uint32_t percpu_pagelist_high_fraction;	/* default 0 */
	uint32_t watermark_boost_factor;	/* vm.watermark_boost_factor, default 15000 */
	int numa_zonelist_order;		/* vm.numa_zonelist_order: 0 "node", 1 "default" (6.1 has node order only) */
	uint32_t pcp_high_all[4], pcp_batch_all[4]; /* what-if: every node's zone of that type (0 = as computed) */
	bool thp;				/* CONFIG_TRANSPARENT_HUGEPAGE (default on, as Debian) */
	uint32_t page_block_order;		/* pageblock_order: 9 (HUGETLB_PAGE, default) or MAX_ORDER - 1 = 10 without */

	/* kernel config of both slab allocators */
	bool memcg_kmem;			/* CONFIG_MEMCG_KMEM: kmalloc-cg-*, SLAB_ACCOUNT (default on) */
	bool memcg_online;			/* memcg_kmem_enabled(): a non-root memcg exists (default off) */
	bool zone_dma;				/* CONFIG_ZONE_DMA: dma-kmalloc-* (default on) */
	bool hardened_usercopy;			/* CONFIG_HARDENED_USERCOPY (default on; 6.12 merging) */
	bool slab_buckets;			/* CONFIG_SLAB_BUCKETS (default on; 6.12 memdup_user-*) */

	int nr_streams;
	struct sim_stream_cfg stream[SIM_MAX_STREAMS];

	/* slab allocators (SLUB and SLAB) */
	int nr_caches;
	struct sim_cache_cfg cache[SIM_MAX_CACHES];
	bool slab_nomerge;			/* slab_nomerge on the kernel command line */
	uint32_t slub_min_order, slub_max_order, slub_min_objects; /* slub_*= boot parameters */
	bool slub_freelist_random, slub_freelist_hardened; /* CONFIG_SLAB_FREELIST_* */
	bool slub_cpu_partial;			/* CONFIG_SLUB_CPU_PARTIAL (default on) */
	uint32_t slub_debug;			/* slub_debug= flags (SLAB_RED_ZONE ...); 0 = off */
	int nr_slub_tunes;
	struct sim_tune_cfg slub_tune[SIM_MAX_TUNES];
	int slab_max_order;			/* slab_max_order=; -1 = as 6.1 picks */
	bool slab_noaliencache;			/* noaliencache */
	bool slab_freelist_random;		/* CONFIG_SLAB_FREELIST_RANDOM */
	bool slab_debug;			/* CONFIG_DEBUG_SLAB: debug layouts */
	bool slab_reaper;			/* cache_reap every 2 s on each vCPU */
	int nr_slab_tunes;
	struct sim_tune_cfg slab_tune[SIM_MAX_TUNES];

	struct sim_race_cfg race;		/* scripted race workload (sim/scenario/race_cfg.h); empty = none */
	struct sim_memory_cfg memory;		/* page cache and anonymous tasks (sim/scenario/memory_cfg.h) */

	uint64_t snapshot_interval_ns;		/* 0 = only at the end */
	uint64_t check_every;			/* invariant check every N ops; 0 = at the end */
	bool log_ops;				/* one row per operation (default on) */
};

/* Fill `sc` with the embedded default scenario. */
void sim_scenario_default(struct sim_scenario *sc);
/* Load a scenario file over the defaults.  0, or SIM_EBADINPUT after one line on `err`. */
int sim_scenario_load(struct sim_scenario *sc, const char *path, FILE *err);
/* Load `path` (NULL: the embedded default) with `--set KEY=VALUE` overrides written into its JSON
 * before it is read, so the same checks apply; an error about a key they wrote reads
 * `--set: key.path: what` (sim/scenario/scenario_set.c).  nr_sets 0: sim_scenario_load / _default. */
int sim_scenario_load_set(struct sim_scenario *sc, const char *path, const char *const *sets, int nr_sets,
			  FILE *err);
/* Same, from text in memory (`path` only names it in messages). */
int sim_scenario_parse(struct sim_scenario *sc, const char *path, const char *text, FILE *err);
void sim_scenario_free(struct sim_scenario *sc);
/* dst becomes a copy of src that owns its own strings (free both with sim_scenario_free): one
 * load serving many runs.  0, or -1 when out of memory (dst then holds the default strings). */
int sim_scenario_copy(struct sim_scenario *dst, const struct sim_scenario *src);
/* Whether s is one of the default scenario's static strings (path, name, description), which
 * sim_scenario_free leaves alone: a caller replacing such a string frees only the others. */
bool sim_scenario_default_string(const char *s);
/* The scenario as canonical JSON (malloc'd), for the runs table. */
char *sim_scenario_to_json(const struct sim_scenario *sc);
/* The scenario as the plain settings of the layers below (sim/scenario/config.c). */
struct buddy_config;
struct slab_config;
void sim_scenario_engine_cfg(const struct sim_scenario *sc, struct sim_engine_cfg *out);
void sim_scenario_buddy_cfg(const struct sim_scenario *sc, struct buddy_config *out);
void sim_scenario_slab_cfg(const struct sim_scenario *sc, struct slab_config *out);
/* The same, handed on: sim_engine_create, buddy_init, slab_common_init (each returns theirs).
 * With a slab allocator the boot is sim_scenario_buddy_init then sim_scenario_slab_init (in
 * start_kernel's order, config.c); with none, sim_scenario_buddy_init alone. */
struct sim_engine *sim_scenario_engine_create(const struct sim_scenario *sc);
int sim_scenario_buddy_init(const struct sim_scenario *sc);
int sim_scenario_slab_init(const struct sim_scenario *sc);
/* Whether the scenario's own text sets key `path` ("buddy.thp", "allocator"); false for the default. */
bool sim_scenario_has_key(const struct sim_scenario *sc, const char *path);
/* Total vCPUs of the machine (sum of the nodes' nr_cpus). */
int sim_scenario_nr_cpus(const struct sim_scenario *sc);
/* The kernel a machine built from sc follows (enum kernel_version): its key, else the models'
 * current one (6.1, unless a model test set kernel_version itself). */
int sim_scenario_kernel(const struct sim_scenario *sc);
/* A SLAB run on a kernel without SLAB (6.8 removed it): one line `where: ...` and SIM_EBADINPUT; else 0. */
int sim_scenario_kernel_check(const struct sim_scenario *sc, const char *where, FILE *err);
/* Kernel versions by name: "6.1", "6.12" (models/kernel.h); parse takes exactly a name: 0, or -1. */
const char *sim_kernel_name(int kernel);
int sim_kernel_parse(const char *name, int *out);
/* "6.1 or 6.12": the names for messages. */
const char *sim_kernel_names(void);
/* "buddy", "slub", "slab". */
const char *sim_allocator_name(enum sim_allocator a);
/* Allocator by name; 0, or -1 when unknown. */
int sim_allocator_parse(const char *name, enum sim_allocator *out);
/* A problem found after loading (a cache that does not exist at boot): one line
 * `file:line: key.path: what` with the line of `key_path` in the scenario's text. SIM_EBADINPUT. */
int sim_scenario_error(const struct sim_scenario *sc, const char *key_path, FILE *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A slub_debug= option letter (F, Z, P, U, T, either case) -> its SLAB_* flag; 0 for others. */
uint32_t sim_slub_debug_flag(char letter);

#endif
