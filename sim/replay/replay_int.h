/*
 * replay_int.h - what the replay's files share.
 *
 *   replay.c        sim_replay: capture, learning pass, machine, sim_run hooks, summary
 *   replay_share.c  a learning pass done once, handed to the replays of a sweep's points
 *   replay_feed.c   the reader: read ahead, page classification, pointers -> records, queueing
 *   replay_learn.c  the learning pass (a seekable trace read first), the progress line
 *   replay_exec.c   an event on its vCPU: context, flags, the model call, deferred frees
 *   replay_cache.c  caches: names, call sites, votes, stand-ins, model caches
 *   replay_infer.c  the untraced bulk calls: planned by the learning pass, run at their lines
 *   replay_db.c     the replay's tables and views
 *   replay_marks.c  the trace's marks, the kernel's pcp batches, snapshots at snapshot marks
 *   replay_boot.c   the pages the kernel allocated before tracing began (boot residue)
 *   replay_pick.c   the kernel the replay's models follow (scenario, capture's uname or formats)
 *   replay_kernel.c what differs per traced kernel (6.1, 6.12): struct rp_kernel, rp->kv
 *   replay_cmd.c    `kmemsim replay` (the CLI)
 *
 * One replay per process at a time (like the engine): `rp` is the one in progress.
 *
 * The life of an event:
 *
 *   sim_trace_next -> rp_feed (read time: pointer -> record, cache, classification)
 *     -> held (a page allocation waiting to see what follows it on its CPU)
 *     -> queued: sim_work_queue (task context) or sim_irq_raise (irq contexts)
 *     -> rp_exec on its vCPU at its time (or later: backlog) -> an operation
 *     -> back to the free list; rp_refill reads ahead again.
 */
#ifndef KMEMSIM_SIM_REPLAY_INT_H
#define KMEMSIM_SIM_REPLAY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "replay.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../../traces/evspool.h"
#include "../../traces/prefetch.h"
#include "../../traces/trace.h"
#include "../../traces/ptrmap.h"
#include "../../traces/capture.h"
#include "../../models/kernel.h"

#define RP_ZERO_SIZE_PTR 16		/* ZERO_SIZE_PTR: what kmalloc(0) returns; freeing it is a no-op */

#define RP_WINDOW_NS 2000000ULL		/* read ahead this far past the running vCPU's clock */
#define RP_CLASSIFY_NS 500000ULL	/* a page allocation not followed by its slab allocation within this is not the slab's */
#define RP_LINE_EVERY 256		/* a trace_lines row every this many events */
#define RP_KEEPER_POLL_NS 10000000ULL	/* the keeper task looks at the replay this often */
#define RP_KEEPER_GAP_NS 1000000000ULL	/* ... unless the trace has no event for longer than this */
#define RP_SNAPSHOT_NS 100000000ULL	/* buddyinfo / slabinfo snapshots (scenario default: 1 ms) */
#define RP_PREFETCH_MIN (64ULL << 10)	/* a smaller file is parsed without a prefetch thread (its start costs more) */
#define RP_MAX_VOTES 4			/* caches a call site keeps votes for */
#define RP_NR_CTX 3			/* task, softirq, hardirq (NMI counts as hardirq) */

/* The gfp bits a slab page allocation can carry (mm/internal.h GFP_RECLAIM_MASK and
 * GFP_CONSTRAINT_MASK, plus a cache's allocflags); 0x8000000 is 6.1's __GFP_NOLOCKDEP. */
#define RP_SLAB_GFP (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
		     __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
		     __GFP_NOMEMALLOC | __GFP_ATOMIC | 0x8000000u | __GFP_HARDWALL | __GFP_THISNODE | \
		     __GFP_COMP | __GFP_RECLAIMABLE | __GFP_DMA | __GFP_DMA32)

/* What the replay reads and infers differently per traced kernel (replay_kernel.c). */
struct rp_kernel {
	int version;			/* enum kernel_version (models/kernel.h) */
	enum sim_trace_gfp_kernel gfp_names;	/* the table the reader reads gfp_flags= with */
	uint32_t gfp_atomic;		/* GFP_ATOMIC: the gfp of an irq-context event without gfp_flags= */
	const char *vmalloc_site;	/* rule D: "FUNC+" whose kmalloc is a vmalloc area's page array */
	enum sim_kconfig_sym memcg_kmem;	/* the config symbol of kmem accounting (kmalloc-cg-*) */
	const char *const *memdup_user_callers;	/* SLAB_BUCKETS: callers of memdup_user; NULL: no buckets */
	bool pageblock_thp;		/* without HUGETLB_PAGE, pageblock_order is THP's order when THP is on */
};

/* The bucket set a kmalloc event's object came from (replay_buckets.c). */
enum rp_bucket { RP_BUCKET_NONE, RP_BUCKET_USER, RP_BUCKET_MSG };

enum rp_kind { RP_OBJ_ALLOC, RP_OBJ_FREE, RP_PAGE_ALLOC, RP_PAGE_FREE, RP_BULK_ALLOC, RP_BULK_FREE };
enum rp_state { RP_QUEUED, RP_LIVE, RP_FAILED, RP_SKIPPED };

/* A traced object or page block, from its allocation event to its free event. */
struct rp_obj {
	uint64_t key;			/* trace pointer, or pfn */
	void *sim;			/* simulated object or struct page *, once allocated */
	struct rp_ev *deferred;		/* its free, when that came before the allocation ran */
	int32_t cache;			/* objects: replay cache index, -1 = kmalloc */
	uint8_t state;			/* enum rp_state */
	int8_t order;			/* pages: order allocated */
	uint8_t cls;			/* pages: enum rp_cls */
	bool has_free;			/* a free event holds it (it is no longer in a table) */
	bool on_lru;			/* pages: put on the LRU as page cache (filemap_add_page) */
	uint32_t lru_slot;		/* pages on the LRU: pfn + 1, 0 once reclaim took the page */
};

/* Rule C (replay_infer.c): the pages of a vmalloc area, keyed by its page array's pointer. */
struct rp_vmap {
	uint32_t n;
	struct rp_obj *pg[];
};

/* Whose a traced page block is. */
enum rp_cls { RP_CLS_PENDING, RP_CLS_PAGE, RP_CLS_SLAB };

/* An event on its way to the machine. */
struct rp_ev {
	int64_t line;			/* trace line; -1 = a free the replay adds (lost free) */
	uint64_t ns;			/* simulated arrival time */
	uint64_t trace_ns;		/* trace time relative to the first event */
	struct rp_obj *obj;
	struct rp_ev *next;		/* free list, softirq backlog */
	int32_t pid;
	uint32_t gfp;
	uint32_t size;			/* bytes_req of an allocation */
	int32_t cache;			/* replay cache index, -1 */
	int32_t callsite;		/* call-site id (table callsites), 0 = none */
	int16_t cpu;			/* vCPU */
	int16_t node;			/* node asked for, -1 */
	uint8_t kind;			/* enum rp_kind */
	uint8_t type;			/* enum sim_trace_type */
	uint8_t ctx;			/* enum sim_context */
	uint8_t preempt;		/* preempt depth shown */
	bool irqs_off;
	int8_t order;
	int8_t migratetype;
	bool live;			/* handed out (not on the free list) */
	uint8_t bucket;			/* enum rp_bucket: a kmalloc from a bucket set */
	struct rp_obj **objs;		/* RP_BULK_*: the objects of an inferred call (malloc'ed) */
	uint32_t nr_objs;
};

/* Records come from chunks of RP_OBJ_CHUNK (a free list, no malloc per object); teardown frees the chunks. */
#define RP_OBJ_CHUNK 1024
struct rp_obj_chunk {
	struct rp_obj_chunk *next;
	struct rp_obj obj[RP_OBJ_CHUNK];
};

#define RP_EV_CHUNK 512
struct rp_ev_chunk {
	struct rp_ev_chunk *next;
	struct rp_ev ev[RP_EV_CHUNK];
};

/*
 * A page allocation whose owner is not known yet: queued at once, but whether
 * it is the slab allocator's own is decided by the next event of its CPU and
 * context (or RP_CLASSIFY_NS of trace time without one).
 */
struct rp_held {
	struct rp_obj *obj;		/* NULL: slot empty */
	uint64_t ns;			/* its arrival time */
	int32_t pid;
	uint32_t gfp;
	bool has_gfp;
	int8_t order;
};

/*
 * Inference of the untraced bulk calls (docs/traces.md, "Bulk calls"), planned
 * by the learning pass and run by the replay pass at a trace line:
 *   RP_PLAN_ALLOC_BULK  after the traced allocation at `line`: kmem_cache_alloc_bulk
 *                       of the pointers the trace later frees without an allocation;
 *   RP_PLAN_FREE_BATCH  before the event at `line`: kfree_bulk of the live pointers
 *                       the trace allocates again (kfree_rcu's batches).
 */
#define RP_BULK_SPAN 30			/* objects a bulk allocation reaches past its anchor (MAPLE_ALLOC_SLOTS) */
#define RP_UNUSED_PTR 0x8000000000000000ULL	/* | line << 8 | i: a preallocated node the trace never shows */
#define RP_UNUSED_MAX 255		/* unused nodes inferred per preallocation at most */
#define RP_MAPLE_HEIGHT 1		/* the VMA tree's height assumed (docs/traces.md, "Bulk calls") */
#define RP_MAPLE_LEAF_SLOTS 14		/* mas_expected_entries: MAPLE_RANGE64_SLOTS - 2 per leaf */
#define RP_MAPLE_NONLEAF_SLOTS 8	/* and MAPLE_ARANGE64_SLOTS - 2 per parent */
enum rp_plan_kind { RP_PLAN_ALLOC_BULK, RP_PLAN_FREE_BATCH, RP_PLAN_FREE_UNUSED };
struct rp_plan {
	int64_t line;			/* anchor line */
	struct rp_plan *next;		/* another plan at the same line */
	int32_t cache;			/* RP_PLAN_ALLOC_BULK, RP_PLAN_FREE_UNUSED: replay cache index */
	int16_t cpu;			/* RP_PLAN_FREE_BATCH: trace CPU of the batch */
	uint8_t kind;			/* enum rp_plan_kind */
	uint32_t n, cap;
	uint64_t *ptr;			/* the trace pointers */
	/* RP_PLAN_ALLOC_BULK of a maple preallocation whose header mas_destroy freed */
	int64_t destroy_line;		/* the header's traced free in mas_destroy; 0 none */
	uint32_t map_count;		/* vm_area_dup calls between the header and that free (dup_mmap); 0 none */
};
/* The learning pass's record of a traced object pointer (kept for every pointer seen). */
struct rp_hist {
	int64_t alloc_line, free_line;	/* last traced (or inferred) allocation and free; 0 none */
	uint64_t alloc_ns;		/* trace time of the last allocation */
	uint32_t size;			/* bytes_alloc of the last allocation */
	int16_t cpu;			/* trace CPU of the last allocation */
	bool live;
};
/* Rule B: an object kfree_rcu'd (assumed right after its allocation), allocated again at reuse_line. */
struct rp_rcu_obj {
	uint64_t ptr;
	int64_t call_line, reuse_line;
	uint64_t call_ns;
	int16_t cpu;			/* trace CPU of its allocation: the krcp it joins */
};
struct rp_time {
	int64_t line;
	uint64_t ns;
};
/* kernel/rcu/tree.c of 6.1 (HZ from the oracle's config: 250) */
#define RP_JIFFY_NS 4000000ULL		/* one jiffy at HZ = 250 */
#define RP_KFREE_DRAIN_NS (5 * 1000000000ULL)	/* KFREE_DRAIN_JIFFIES: 5 * HZ */
#define RP_KVFREE_BULK_MAX_ENTR 510	/* pointers in a page of kvfree_rcu_bulk_data (4 KiB) */
#define RP_RCU_GP_NS (2 * RP_JIFFY_NS)	/* a grace period, assumed */
#define RP_TIME_EVERY 16		/* object events between two samples of (line, time) */
/* The learning pass's view of one trace CPU. */
struct rp_learn_cpu {
	int64_t destroy_anchor;		/* the last object event was mas_destroy's free of the header
					 * allocated at this line; 0 not */
	int64_t destroy_line;		/* that free's line */
	int64_t prealloc_line;		/* the last mas_alloc_nodes allocation (a header) on this CPU; 0 none */
	int32_t prealloc_pid;		/* its task */
	uint32_t dups;			/* vm_area_dup calls of that task since: dup_mmap's map_count */
	uint32_t destroy_dups;		/* dups when the header's mas_destroy free came */
};

/* A cache the replay allocates from. */
enum rp_cache_source { RP_SRC_TRACE, RP_SRC_STAND_IN, RP_SRC_CAPTURE };
struct rp_cache {
	char *name;			/* as the trace prints it, or "unknown-SIZE" */
	struct kmem_cache *s;		/* the model's, once created */
	const struct sim_capture_cache *cap; /* geometry from the capture, or NULL */
	unsigned int object_size, size;	/* bytes_req and bytes_alloc the trace showed; 0 unknown */
	unsigned int freed_size;	/* learning pass: bytes_alloc of an object a traced free named it for */
	uint8_t source;			/* enum rp_cache_source */
	int creating_cpu;		/* vCPU creating it during the run, -1 none */
	bool create_failed;
	bool reclaimable;		/* its slab pages were __GFP_RECLAIMABLE: SLAB_RECLAIM_ACCOUNT */
	uint64_t nr_alloc, nr_free;
};

/* How a kmem_cache_alloc found its cache. */
enum rp_how { RP_HOW_NAMED, RP_HOW_SITE, RP_HOW_FUNCTION, RP_HOW_CAPTURE, RP_HOW_SIZE, RP_HOW_STAND_IN, RP_NR_HOW };

/* A (call site, bytes_alloc) of kmem_cache_alloc events, and the caches its objects were freed to. */
struct rp_site {
	int32_t sym;			/* replay string id of the call site */
	int32_t func;			/* string id of its function (call site without +off/size) */
	uint32_t bytes_alloc, bytes_req;
	int32_t vote_cache[RP_MAX_VOTES];
	uint32_t votes[RP_MAX_VOTES];
	uint32_t nr_other_votes;	/* votes for caches beyond RP_MAX_VOTES */
	uint32_t reclaim_pages;		/* __GFP_RECLAIMABLE slab pages allocated for it (learning pass) */
	int32_t cache;			/* resolved cache index, -1 = not yet */
	uint8_t how;			/* enum rp_how of the resolution */
	uint64_t nr_alloc;		/* allocations placed through it (replay pass) */
};

/* The kernel's own path, seen through its internal events, per vCPU and context. */
#define RP_KF_REFILL 1u			/* zone_locked with percpu_refill=1 */
#define RP_KF_DIRECT 2u			/* zone_locked with percpu_refill=0 */
#define RP_KF_EXTFRAG 4u		/* mm_page_alloc_extfrag */
struct rp_kstate {
	uint8_t alloc_flags;		/* RP_KF_* since the last mm_page_alloc */
	bool free_open;			/* the last event was an mm_page_free (drains are its) */
	uint8_t free_level;		/* its level so far */
	uint8_t last_type;		/* last event of this CPU and context (sim_trace_type + 1; 0 none) */
	int32_t last_pid;
};

enum rp_kevent { RP_KE_ZONE_LOCKED_REFILL, RP_KE_ZONE_LOCKED_DIRECT, RP_KE_PCPU_DRAIN,
		 RP_KE_EXTFRAG, RP_KE_FREE_BATCHED, RP_NR_KEVENTS };

/* The switches rp_kconfig sets, for the line that says where each came from. */
enum { RP_KC_ALLOCATOR, RP_KC_CPU_PARTIAL, RP_KC_RANDOM, RP_KC_HARDENED, RP_KC_MEMCG, RP_KC_ZONE_DMA,
       RP_KC_THP, RP_KC_PAGEBLOCK, RP_KC_PREEMPT, RP_KC_DEBUG_SLAB, RP_KC_SLUB_DEBUG, RP_NR_KC };

struct replay {
	const struct sim_replay_opts *o;
	FILE *err;
	const char *trace_path;		/* file read (the capture's trace, or o->trace) */
	struct sim_capture *cap;	/* NULL: a plain trace */
	struct sim_trace *tr;		/* the reader of the replay pass */
	struct sim_trace_prefetch *pf;	/* tr read ahead on a second thread (replay pass) */
	bool seekable;			/* a file that can be read twice */
	int failed;			/* SIM_E* once reading failed mid-run */

	const struct rp_kernel *kv;	/* the traced kernel's row (rp_kernel_set, before the trace is read) */
	int models_kernel;		/* the kernel the models follow (enum kernel_version) */
	int scenario_kernel;		/* what the scenario as loaded says of the kernel: -1 nothing, else its */
					/* version (rp_adopt: a learning pass read the trace as the same kernel) */

	/* machine */
	int allocator;			/* enum sim_allocator of the run */
	bool scenario_machine;		/* --scenario names a machine: it wins */
	int nr_cpus;			/* vCPUs */
	int16_t *cpu_map;		/* trace CPU -> vCPU; -1 unmapped */
	int cpu_map_len;
	uint64_t nr_cpu_folded;		/* events of a CPU the machine lacks, put on cpu % nr_cpus */
	char kc_src[RP_NR_KC];		/* each switch's source: 'c'onfig, 's'cenario, 'd'efault, 'p'agetypeinfo, 'o'ption,
					 * 'i' slabinfo's statistics columns, 'l' the command line */
	const struct sim_scenario *kc_sc;	/* the scenario rp_kconfig set; NULL before */
	int min_free_kbytes;		/* vm.min_free_kbytes after boot */
	char kernel_line[448];		/* "kmemsim: kernel 6.12 (why)": stderr once the replay ended well (replay_pick.c) */

	/* learning pass */
	bool learned;			/* a first pass ran */
	int max_cpu, nr_cpus_header;
	uint64_t max_pfn;
	int64_t max_pfn_line;		/* the trace line of max_pfn */
	int64_t max_cpu_line;		/* the first trace line of max_cpu */
	uint64_t pass1_lines, pass1_events;
	double pass1_wall_s;
	/* the learning pass's events, kept for the replay pass (traces/evspool.h): it reads them back
	 * instead of decompressing and parsing the text again */
	struct sim_trace_evspool *evsp;	/* NULL: the replay pass reads the trace */
	struct sim_trace *evs_tr;	/* the reader they came from: their strings, its counts */

	/* time */
	bool have_first;
	uint64_t first_ts, last_trace_ns;
	uint64_t t0;			/* simulated time of the first event */
	uint64_t read_ns;		/* simulated arrival time of the last event read */

	/* reading */
	bool eof;
	bool peeked;			/* ev holds the first event, read before the run, not fed yet */
	struct sim_trace_event ev;
	uint64_t nr_lines, nr_events;
	uint64_t nr_type[SIM_TRACE_NR_TYPES];
	uint64_t nr_inflight, peak_inflight;	/* queued or held, not yet run */
	uint64_t nr_done;			/* events whose operation ran (or was dropped at run time) */
	struct rp_held (*held)[RP_NR_CTX];	/* per vCPU */
	int nr_held;
	uint64_t held_min_ns;
	struct rp_kstate (*ks)[RP_NR_CTX];	/* per vCPU */
	struct rp_ev *ev_free;			/* recycled events */
	struct rp_ev **sirq_head, **sirq_tail;	/* per vCPU: softirq events waiting for the running one */
	struct rp_ev_chunk *chunks;		/* every struct rp_ev allocated (teardown) */
	struct rp_obj *obj_free;		/* recycled records, linked through their sim pointer */
	struct rp_obj_chunk *obj_chunks;	/* every struct rp_obj allocated (teardown) */
	struct sim_ptrmap objs;			/* trace pointer -> struct rp_obj */
	struct sim_ptrmap pages;		/* pfn -> struct rp_obj (blocks replayed) */
	struct sim_ptrmap slab_pfns;		/* pfn -> (void *)1: blocks the slab allocator took */
	struct sim_ptrmap learn;		/* trace pointer -> site index + 1 (learning) */
	struct sim_task *keeper;
	struct sim_ptrmap hist;			/* learning pass: pointer -> struct rp_hist */
	struct sim_ptrmap plan_alloc;		/* anchor line -> struct rp_plan (RP_PLAN_ALLOC_BULK) */
	struct sim_ptrmap vmap_pages;		/* vmalloc page array pointer -> struct rp_vmap (inferred pages) */
	struct sim_ptrmap vmap_orphans;		/* areas whose array was allocated again while live (lost kfree) */
	struct sim_ptrmap plan_free;		/* line -> struct rp_plan (RP_PLAN_FREE_BATCH) */
	struct rp_learn_cpu *lcpu;		/* learning pass: per trace CPU */
	int nr_lcpu;
	bool infer_oom;				/* planning the unused nodes ran out of memory */
	struct rp_plan **destroyed;		/* end of the learning pass: rule C's preallocations */
	struct rp_plan **spare;			/* learning pass: rule C's preallocations in destroy order (rule E) */
	uint32_t nr_spare, cap_spare, spare_head;
	size_t nr_destroyed;
	struct rp_rcu_obj *rcu;			/* learning pass: rule B's objects */
	uint32_t nr_rcu, cap_rcu;
	struct rp_time *times;			/* learning pass: sampled object events' lines and times */
	uint32_t nr_times, cap_times;
	uint64_t nr_seen_obj;

	/* caches and call sites (replay_cache.c) */
	struct rp_cache *cache;
	int nr_caches;
	size_t cap_caches;
	struct rp_site *site;
	int nr_sites;
	size_t cap_sites;
	struct sim_ptrmap site_map;		/* (sym << 32 | bytes_alloc) -> site index + 1 */
	struct sim_ptrmap sym_memo;		/* reader's interned string -> string id + 1 */
	struct sim_ptrmap cache_memo;		/* reader's interned cache name -> cache index + 1 */
	char **str;				/* replay strings (call sites, functions, cache names) */
	int nr_str;
	size_t cap_str;
	int32_t *str_hash;			/* open addressing: string id, -1 empty */
	unsigned int str_hash_cap;

	/* counters (struct sim_replay_stats, and more) */
	struct sim_replay_stats st;
	uint64_t nr_null_free;			/* kfree(NULL), kmem_cache_free(NULL) */
	uint64_t nr_free_of_failed;		/* frees of an allocation the model failed */
	uint64_t nr_lru_pages;			/* traced page cache pages put on the LRU */
	uint64_t nr_reclaimed_before_free;	/* of those: reclaimed before the trace freed them */
	bool pfn_place;				/* page allocations go to their pfn's node (capture zoneinfo) */
	uint64_t nr_pfn_placed, nr_pfn_remote;	/* of those: placed by pfn, on another node than the CPU's */
	uint64_t nr_unmatched_slab_page_free;	/* of the unmatched page frees: right after a slab free */
	uint64_t nr_order_mismatch;		/* page frees whose order differs from the allocation's */
	uint64_t nr_cache_fallback;		/* allocations that could not wait for their cache's creation */
	uint64_t nr_how[RP_NR_HOW];
	uint64_t nr_kernel_fail;		/* mm_page_alloc events of a failed allocation */
	uint64_t nr_kernel_obj_fail;		/* kmalloc / kmem_cache_alloc events of a failed allocation (ptr 0) */
	uint64_t nr_ts_backwards;		/* timestamps earlier than the previous line's (clamped) */
	uint64_t nr_node_bad;			/* node= beyond the machine (asked as NUMA_NO_NODE) */
	uint64_t nr_bucketed;			/* kmallocs replayed by kmem_buckets_alloc (replay_buckets.c) */
	int32_t msg_pid;			/* replay_buckets.c: the task of the last alloc_msg kmalloc, */
	bool msg_more;				/* and whether a segment follows it */
	uint64_t kev[RP_NR_KEVENTS];		/* kernel-internal events */
	uint64_t (*kev_cpu)[RP_NR_KEVENTS];	/* per vCPU */
	uint64_t (*klevel)[2][6];		/* per vCPU: [page_alloc, page_free][level] of the kernel's path */
	uint64_t (*kremote)[6];			/* per vCPU and level: page allocs the kernel took from another node */
	bool traced_slab;			/* the traced kernel ran SLAB (its slab pages lack NOWARN|NORETRY) */
	bool debug_slab;			/* the traced kernel had CONFIG_DEBUG_SLAB (the capture's slabinfo) */

	/* call sites of the replayed operations (replay_callsites.c) */
	struct rp_callsites *callsites;

	/* marks, pcp batches, snapshots at marks (replay_marks.c) */
	struct rp_marks *marks;
	bool snap_due;				/* a snapshot mark is waiting for its time */
	uint64_t snap_due_ns;			/* its simulated time */

	/* boot pages: allocated before tracing began, inferred from SNAP0's zoneinfo (replay_boot.c) */
	bool boot_on;				/* the rule applies (a learning pass, SNAP0 zoneinfo and its mark) */
	bool boot_marked;			/* learning pass: the SNAP0 proc/zoneinfo mark was read */
	int64_t boot_line;			/* its trace line */
	struct sim_ptrmap boot_pfns;		/* learning pass, up to the mark: traced page blocks live, pfn -> order + 1 */
	struct sim_ptrmap boot_vmaps;		/* learning pass, up to the mark: rule D page arrays live, ptr -> rp_boot_vmap */
	int64_t boot_live[SIM_MAX_NODES][4];	/* pages of those blocks (and rule D's), by their zone */
	int64_t boot_need[SIM_MAX_NODES][4];	/* kernel pages in use at the mark (less pcp) less boot_live */
	uint64_t boot_pages[SIM_MAX_NODES][4];	/* pages allocated at t0 */

	/* database */
	struct sim_db *db;
	struct sim_db_stmt *ins_line;
	uint64_t next_line_row;			/* nr_done at which the next trace_lines row is due */
	int db_failed;

	/* progress */
	bool progress;
	bool learning;				/* in the learning pass: its lines say so */
	double wall_start, wall_last;
	double pass_start;			/* wall time the current pass began (its rate) */
	uint64_t total_events;			/* from the learning pass, 0 unknown */
	uint64_t trace_bytes;			/* size of the trace file, 0 unknown */
};

extern struct replay *rp;

/* replay_feed.c */
void rp_oom(void);				/* out of host memory mid-run: stop it */
struct rp_ev *rp_ev_get(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
			int kind);		/* ev NULL: an event the replay adds; NULL oom */
struct rp_obj *rp_obj_new(uint64_t key, int cache, int order);
void rp_obj_put(struct rp_obj *o);		/* a record no table or event holds any more */
void rp_retire(struct rp_obj *old, int cpu, int ctx, uint64_t ns, uint64_t trace_ns, int32_t pid, bool page);
void rp_refill(void);				/* read ahead past now + window */
void rp_resolve(struct rp_obj *o);		/* read on until a held page's owner is known */
void rp_feed_start(void);			/* before the run: the first window */
void rp_ev_put(struct rp_ev *e);		/* recycle */
bool rp_pfn_zone(uint64_t pfn, int *nid, int *zid);	/* node and zone of a traced pfn (capture zoneinfo) */
double rp_wall_now(void);
int rp_vcpu_of(int trace_cpu);			/* trace CPU -> vCPU */
int rp_ctx_of(const struct sim_trace_event *ev);	/* trace context -> SIM_CTX_* (task, softirq, hardirq) */

/* replay_infer.c */
int rp_infer_alloc(struct replay *r, const struct sim_trace_event *ev);	/* learning pass; 0 or -1 oom */
int rp_infer_free(struct replay *r, const struct sim_trace_event *ev, int cache); /* learning pass; 0 or -1 */
int rp_infer_learned(struct replay *r);		/* end of the learning pass: drop the history, plan the
						 * unused nodes; 0 or -1 oom */
void rp_infer_before(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns,
		     uint64_t trace_ns);	/* replay pass: bulk frees due before this event */
void rp_infer_after(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
		    uint32_t gfp);		/* replay pass: a bulk allocation anchored at this allocation */
void rp_vmalloc_free_all(struct replay *r);	/* replay_vmalloc.c */
uint32_t rp_vmalloc_nr_pages(const struct sim_trace_event *ev); /* rule D: pages of a vmalloc page array, else 0 */
void rp_infer_vmalloc_alloc(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
			    uint32_t gfp);	/* replay pass: alloc_pages_bulk after a vmalloc area's page array */
void rp_infer_vmalloc_free(uint64_t ptr, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
			   int32_t pid);	/* replay pass: the area's pages, freed before its page array */
void rp_exec_bulk(struct rp_ev *e);		/* replay_exec.c: run an inferred call */
void rp_infer_free_all(struct replay *r);	/* teardown */

/* replay.c */
int rp_input(struct replay *r);			/* the trace's file or capture; 0 or SIM_E* after a line */
int rp_scenario_get(const struct sim_replay_opts *o, struct sim_scenario *sc, FILE *err); /* loaded or copied */
void rp_free(struct replay *r);			/* everything the replay holds */

/* replay_share.c */
bool rp_adopt(struct replay *r);		/* take over o->learned's state when it fits: true */

/* replay_learn.c */
int rp_reader_open(struct replay *r, struct sim_trace **out);	/* 0 or SIM_E* */
int rp_learn_pass(struct replay *r);		/* the first pass; 0 or SIM_E* */
void rp_progress(bool last);			/* the stderr progress line */

/* replay_exec.c */
void rp_queue(struct rp_ev *e);			/* to its vCPU at its time */
int rp_keeper_start(void);			/* the task that keeps the run alive until the end; 0 or -1 */
void rp_teardown_events(void);			/* free every event and the records they hold */

/* replay_cache.c */
bool rp_grow(void **p, size_t *cap, size_t nr, size_t size, size_t first); /* room for element nr; false oom */
int rp_str_memo(const char *interned);		/* rp_str_id of a string the reader interned (memoized) */
int rp_str_id(const char *s);			/* intern; -1 out of memory */
int rp_site_of(const char *sym, uint64_t addr, uint32_t bytes_alloc, uint32_t bytes_req); /* -1 oom */
int rp_cache_named(const char *name, uint32_t object_size, uint32_t size); /* -1 oom */
int rp_cache_named_memo(const char *interned, uint32_t object_size, uint32_t size); /* by the reader's pointer */
void rp_site_vote(int site, int cache);
int rp_site_resolve(int site, bool final);	/* decide a site's cache (final: the learning pass is done); -1 oom */
int rp_site_place(int site);			/* the cache for one more allocation of the site (counted); -1 oom */
int rp_caches_create(void);			/* every cache known before the run; 0 or SIM_EFAIL */
void rp_sites_reclaim(void);
/* slub_debug on a kernel command line -> SLAB_* flags; *found whether it is there (replay.c) */
uint32_t rp_cmdline_slub_debug(const char *cmdline, bool *found);			/* learning pass: reclaimable sites -> their caches */
struct kcache_entry;
/* A catalogue entry's flags on a kernel with (or without) CONFIG_MEMCG_KMEM. */
unsigned int rp_catalogue_flags(const struct kcache_entry *e, bool memcg_kmem);
/* kmem_cache_create's size, align, flags and ctor for cache c (replay_cache.c's rules). */
void rp_cache_attrs(const struct rp_cache *c, bool memcg_kmem, bool debug_slab, unsigned int *size,
		    unsigned int *align, unsigned int *flags, bool *ctor);
struct kmem_cache *rp_cache_model(int cache, bool may_wait); /* created on first use; NULL: could not */
void rp_caches_free(void);
const char *rp_how_name(int how);
const char *rp_cache_source_name(int src);

/* replay_marks.c */
void rp_mark(const struct sim_trace_event *ev);	/* a tracing_mark_write line, in trace order */
void rp_pcp_event(const struct sim_trace_event *ev, uint64_t trace_ns); /* every kmem event, in trace order */
void rp_marks_snapshot(uint64_t now);		/* snapshots due at or before now (rp->snap_due) */
int rp_marks_db(struct sim_db *db);		/* tables marks, trace_pcp_batches; 0 or -1 */
void rp_marks_free(void);
/* "SNAPi FILE" (after any "PREFIX_MARK "): i, with FILE in *file; -1 when the text is not one. */
int rp_snap_mark(const char *text, const char **file);

/* replay_buckets.c */
int rp_bucket_of(const struct sim_trace_event *ev, uint32_t gfp);	/* enum rp_bucket of a kmalloc */
void *rp_bucket_alloc(const struct rp_ev *e);	/* kmem_buckets_alloc of e's set (kmalloc without it) */

/* replay_callsites.c */
int32_t rp_callsite(const struct sim_trace_event *ev);	/* the line's call-site id (from 1); 0: none */
int rp_callsites_db(struct sim_db *db);		/* table callsites; 0 or -1 */
void rp_callsites_free(void);

/* replay_boot.c */
void rp_boot_plan(struct replay *r);		/* before the learning pass: does the rule apply */
int rp_boot_learn(struct replay *r, const struct sim_trace_event *ev); /* learning pass; 0 or -1 oom */
int rp_boot_learned(struct replay *r);		/* end of the learning pass: 0 or SIM_E* */
void rp_boot_alloc(struct replay *r);		/* rp_start, at t0: the inferred boot pages */
void rp_boot_print(const struct replay *r, FILE *out);	/* the summary's line, when the rule ran */

/* replay_db.c */
int rp_db_start(struct sim_db *db);		/* tables; 0 or -1 */
void rp_db_line(const struct rp_ev *e);		/* a trace_lines row when due */
int rp_db_finish(struct sim_db *db);		/* every table at the end; 0 or -1 */

/* replay_kernel.c */
const struct rp_kernel *rp_kernel_of(int version);	/* a version's row (6.1's when out of range) */
const char *rp_kernel_name(const struct rp_kernel *kv);	/* "6.1", "6.12" */
int rp_kernel_set(struct replay *r, const struct sim_scenario *sc); /* r->kv: the traced kernel (the capture's
						 * uname, else the models', after rp_kernel_pick); 0 */
const char *rp_kernel_models_other(const struct replay *r);	/* the models' kernel when not r->kv's, else NULL */

/* "replay_kconfig.c" */
void rp_kconfig(struct replay *r, struct sim_scenario *sc);	/* the model's switches from the capture */
/* The kernel version into sc (the scenario's, else the capture's uname or event formats, else 6.1)
 * and r->kernel_line saying which and why (replay_pick.c); 0. */
int rp_kernel_pick(struct replay *r, struct sim_scenario *sc);
bool rp_capture_kernel(const struct sim_capture *c, enum kernel_version *v, bool *exact); /* the capture's
						 * release: a kernel we model (*exact), else the nearest; false if none */
void rp_kconfig_print(const struct replay *r, FILE *out);	/* "kmemsim: kernel config (...): ..." */

#endif
