/*
 * buddy_int.h - internals of the buddy page allocator model, shared by the
 * files of models/buddy: struct zone, pglist_data, free_area,
 * per_cpu_pages, zonelists, alloc_context, alloc_flags, and the list helpers.
 *
 * Map of the main types (kernel names, mm/page_alloc.c and mmzone.h):
 *   pglist_data    one per node: node_zones[], node_zonelists[]
 *   zone           free_area[MAX_ORDER], watermarks, lowmem_reserve[],
 *                  per_cpu_pageset[cpu], lock, NR_FREE_PAGES
 *   free_area      free_list[MIGRATE_TYPES] of free block heads + nr_free
 *   per_cpu_pages  lists[NR_PCP_LISTS] of pages cached per CPU + count
 *
 * Lists link pages through page->lru_next/lru_prev holding pfn + 1 (0 =
 * none); a page is on at most one list (a buddy free list or a pcp list),
 * as buddy_list and pcp_list share storage in the kernel's struct page.
 * A max-order block never straddles a metadata section (SECTION_PAGES is a
 * multiple of MAX_ORDER_NR_PAGES), so within a block `page + i` is frame
 * pfn + i, as with the kernel's vmemmap; across blocks use pfn_to_page.
 *
 * Untouched memory (model-only): a zone's boot memory is freed as
 * max-order blocks to the tail of free_area[MAX_ORDER-1].free_list[MOVABLE].
 * Rather than write a struct page for each, that list keeps them as an
 * implicit range [lazy_pfn, lazy_end) sitting after the explicit block
 * `lazy_after` (or at the front when lazy_after is 0).  The first block of
 * the range becomes explicit when it reaches the front of the list, so the
 * list reads exactly as the kernel's would, and a 1 TiB zone costs nothing
 * until it is used.  Invariant: nr counts explicit + implicit blocks and
 * free_area.nr_free sums nr over the migratetypes.
 *
 * Locks (restating 6.1.192): zone->lock protects free_area, the pageblock
 * migratetypes and NR_FREE_PAGES; it is always taken with spin_lock_irqsave.
 * pcp->lock protects a per_cpu_pages' lists and count; it is taken with
 * pcp_spin_trylock (preempt off, IRQs ON) and an interrupt that finds it
 * held goes to the zone instead.  Lock order: pcp->lock, then zone->lock.
 */
#ifndef KMEMSIM_MODELS_BUDDY_INT_H
#define KMEMSIM_MODELS_BUDDY_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "buddy.h"
#include "../kernel.h"
#include "../mm.h"
#include "../../sim/engine/engine.h"

/* ---- constants (include/linux/mmzone.h, mm/internal.h, 6.1.192) ---- */

#define NR_PCP_THP 2
#define NR_LOWORDER_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_LISTS (NR_LOWORDER_PCP_LISTS + NR_PCP_THP)
#define CONFIG_PCP_BATCH_SCALE_MAX 5
/* per_cpu_pages.flags (6.12, include/linux/mmzone.h) */
#define PCPF_PREV_FREE_HIGH_ORDER 0x1	/* the last free to the pcp was of a high order */
#define PCPF_FREE_HIGH_BATCH 0x2	/* keep `batch` pages when freeing high orders in bulk */
#define BOOT_PAGESET_HIGH 0
#define BOOT_PAGESET_BATCH 1
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8
#define MAX_RECLAIM_RETRIES 16
#define SWAP_CLUSTER_MAX 32
#define PENALTY_FOR_NODE_WITH_CPUS 1
#define RECLAIM_DISTANCE 30
#define MAX_NUMNODES SIM_MAX_NODES

_Static_assert(SECTION_PAGES % MAX_ORDER_NR_PAGES == 0, "a max-order block must not straddle sections");

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

/* alloc_flags (mm/internal.h, 6.1.192 numbering). */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10	/* caller cannot block: more reserves */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: half of the min reserve */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_HIGHATOMIC	0x200	/* may use (and reserve) HIGHATOMIC blocks */
#define ALLOC_KSWAPD		0x800	/* == __GFP_KSWAPD_RECLAIM */
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* fpi_t: flags of the internal free functions. */
#define FPI_NONE		0x0
#define FPI_SKIP_REPORT_NOTIFY	0x1
#define FPI_TO_TAIL		0x2

/* zone->flags bits. */
enum zone_flags { ZONE_BOOSTED_WATERMARK, ZONE_RECLAIM_ACTIVE, ZONE_BELOW_HIGH /* 6.12 */ };

/* Per-zone NUMA events (zone_statistics). */
enum numa_stat_item { NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER, NR_VM_NUMA_EVENT_ITEMS };

enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };

/* kernel: enum rmqueue_mode, mm/page_alloc.c (6.12): where rmqueue_bulk's last __rmqueue found pages */
enum rmqueue_mode { RMQUEUE_NORMAL, RMQUEUE_CMA, RMQUEUE_CLAIM, RMQUEUE_STEAL };

/* kernel: mult_frac, include/linux/math.h */
static inline unsigned long mult_frac(unsigned long x, unsigned long n, unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

/* ---- lists of pages ---- */

struct page_list {
	uint32_t first, last;		/* pfn + 1 of the ends; 0 = empty */
};

/* One free_area[order].free_list[mt]; see "Untouched memory" above. */
struct free_list {
	struct page_list list;		/* explicit blocks, in list order */
	uint32_t lazy_after;		/* pfn + 1 of the explicit block before the range; 0 = front */
	uint64_t lazy_pfn, lazy_end;	/* untouched max-order blocks [lazy_pfn, lazy_end) */
	uint64_t nr;			/* blocks on the list, untouched ones included */
};

struct free_area {
	struct free_list free_list[MIGRATE_TYPES];
	unsigned long nr_free;		/* blocks of this order, all migratetypes */
};

/*
 * Fields by version: both use count, high, batch, lists; 6.1 scales its drains
 * by free_factor; 6.12 tunes high itself between high_min and high_max
 * (nr_pcp_high, decay_pcp_high) and scales refills by alloc_factor and drains
 * by free_count.  Fields of the other version stay 0.
 */
struct per_cpu_pages {
	spinlock_t lock;		/* protects lists and count */
	int count;			/* pages on all lists, in base pages */
	int high;			/* count at which frees drain to the zone */
	int high_min, high_max;		/* 6.12: bounds of the self-tuning high */
	int batch;			/* pages moved per refill / drain */
	short free_factor;		/* 6.1: batch scaling on consecutive frees; <= PCP_BATCH_SCALE_MAX */
	uint8_t flags;			/* 6.12: PCPF_* (pcp->lock) */
	uint8_t alloc_factor;		/* 6.12: refill scaling on consecutive allocations; <= PCP_BATCH_SCALE_MAX */
	short free_count;		/* 6.12: pages freed since the last allocation (halved by each) */
	short expire;			/* remote pagesets: a batch drained at 0 (refresh_cpu_vm_stats; 6.12's worker) */
	struct page_list lists[NR_PCP_LISTS];
};

/* kernel: struct per_cpu_zonestat / per_cpu_nodestat, include/linux/mmzone.h */
struct per_cpu_zonestat {
	int8_t vm_stat_diff[NR_VM_ZONE_STAT_ITEMS];	/* not yet in zone->vm_stat */
	int8_t stat_threshold;				/* fold when |diff| passes it */
};
struct per_cpu_nodestat {
	int8_t stat_threshold;
	int8_t vm_node_stat_diff[NR_VM_NODE_STAT_ITEMS];
};

struct pglist_data;

/* The LRU lists of a node (mm/vmscan.c; include/linux/mmzone.h), vmscan.c. */
enum lru_list { LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE, LRU_ACTIVE_FILE, NR_LRU_LISTS };
struct lruvec {
	struct page_list lists[NR_LRU_LISTS];
	unsigned long lru_zone_size[MAX_NR_ZONES][NR_LRU_LISTS]; /* NR_ZONE_{IN,}ACTIVE_{ANON,FILE} */
};

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;	/* added to every watermark; grows on fragmenting fallbacks */
	unsigned long nr_reserved_highatomic; /* pages in HIGHATOMIC pageblocks */
	unsigned long nr_free_highatomic; /* 6.12: free pages on HIGHATOMIC lists (account_freepages) */
	long lowmem_reserve[MAX_NR_ZONES]; /* kept free for requests whose highest zone is [j] */
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset; /* [nr_cpu_ids] */
	struct per_cpu_zonestat *per_cpu_zonestats; /* [nr_cpu_ids]; NULL = boot_zonestats (threshold 0) */
	unsigned long percpu_drift_mark;	/* below it, zone_watermark_ok_safe reads the snapshot */
	int pageset_high, pageset_batch;	/* what zone_set_pageset_high_and_batch set (6.1: high) */
	int pageset_high_min, pageset_high_max;	/* 6.12 */
	unsigned long zone_start_pfn;
	unsigned long managed_pages, spanned_pages, present_pages;
	const char *name;
	unsigned long nr_isolate_pageblock; /* always 0: nothing isolates in the model */
	struct free_area free_area[MAX_ORDER];
	unsigned long flags;		/* 1 << enum zone_flags */
	spinlock_t lock;		/* free_area, pageblock types, NR_FREE_PAGES */
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];	/* folded totals (zone_page_state); pcp pages are not free */
	unsigned long numa_event[NR_VM_NUMA_EVENT_ITEMS];
	unsigned long pgalloc, pgfree;	/* PGALLOC / PGFREE events of this zone, in pages */
	unsigned long nr_bad_pages;	/* frees refused by free_pages_prepare */
	unsigned int compact_considered;	/* compaction_deferred: attempts since the last defer */
	unsigned int compact_defer_shift;	/* skip 1 << shift attempts after a failure */
	int compact_order_failed;		/* orders at or above it are deferred */
};

struct zoneref {
	struct zone *zone;		/* NULL terminates a zonelist */
	int zone_idx;
};

struct zonelist {
	struct zoneref *_zonerefs;	/* MAX_ZONES_PER_ZONELIST + 1 entries */
};

struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;			/* highest populated zone index + 1 */
	unsigned long node_start_pfn, node_present_pages, node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	struct per_cpu_nodestat *per_cpu_nodestats;	/* [nr_cpu_ids] */
	long vm_stat[NR_VM_NODE_STAT_ITEMS];		/* folded totals (node_page_state) */
	struct lruvec __lruvec;		/* the node's LRU lists (vmscan.c; no memcg) */
	int kswapd_order;		/* kswapd.c: what wakeup_kswapd asked for */
	enum zone_type kswapd_highest_zoneidx;	/* MAX_NR_ZONES: none asked */
	int kswapd_failures;		/* balance_pgdat runs that reclaimed nothing */
	bool kswapd_wait_active;	/* kswapd sleeps on kswapd_wait (waitqueue_active) */
	bool kswapd_queued;		/* its work item is queued on the node's kworker */
};

/* What __alloc_pages works out once and hands down (mm/internal.h). */
struct alloc_context {
	struct zonelist *zonelist;
	void *nodemask;			/* always NULL: no cpusets or mempolicies */
	struct zoneref *preferred_zoneref;
	int migratetype;
	enum zone_type highest_zoneidx;
	bool spread_dirty_pages;
};

/* ---- global state (init.c) ---- */

extern struct pglist_data *node_data[SIM_MAX_NODES];
extern int buddy_nr_node_ids;			/* nodes of the machine */
extern uint64_t buddy_max_pfn;			/* first pfn past the last zone */
extern bool buddy_thp;				/* CONFIG_TRANSPARENT_HUGEPAGE (buddy_config.thp) */
#define NODE_DATA(nid) (node_data[(nid)])

/* sysctls and tunables (watermark.c, pcp.c) */
extern int min_free_kbytes;
extern int user_min_free_kbytes;
extern int watermark_scale_factor;
extern int watermark_boost_factor;
extern int percpu_pagelist_high_fraction;
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
extern unsigned long totalreserve_pages;
extern const char *const zone_names[MAX_NR_ZONES];

/* ---- small accessors ---- */

static inline int zone_idx(const struct zone *zone) { return (int)(zone - zone->zone_pgdat->node_zones); }
static inline int zone_to_nid(const struct zone *zone) { return zone->node; }
static inline bool populated_zone(const struct zone *zone) { return zone->present_pages != 0; }
static inline bool managed_zone(const struct zone *zone) { return zone->managed_pages != 0; }
static inline unsigned long zone_managed_pages(const struct zone *zone) { return zone->managed_pages; }
static inline bool zone_spans_pfn(const struct zone *zone, uint64_t pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone->zone_start_pfn + zone->spanned_pages;
}
static inline struct zone *page_zone(const struct page *page) { return &NODE_DATA(page->nid)->node_zones[page->zid]; }
static inline bool has_isolate_pageblock(const struct zone *zone) { return zone->nr_isolate_pageblock != 0; }
static inline bool is_migrate_isolate(int mt) { return mt == MIGRATE_ISOLATE; }
static inline bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }
static inline bool migratetype_is_mergeable(int mt) { return mt < MIGRATE_PCPTYPES; }
static inline unsigned int buddy_order(const struct page *page) { return page->order; }
static inline void set_pcppage_migratetype(struct page *page, int mt) { page->pcp_mt = (uint8_t)mt; }
static inline int get_pcppage_migratetype(const struct page *page) { return page->pcp_mt; }
static inline bool test_bit_zone(int bit, const struct zone *zone) { return zone->flags & (1UL << bit); }
static inline void set_bit_zone(int bit, struct zone *zone) { zone->flags |= 1UL << bit; }
static inline void clear_bit_zone(int bit, struct zone *zone) { zone->flags &= ~(1UL << bit); }

#define min_wmark_pages(z) ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z) ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define wmark_pages(z, i) ((z)->_watermark[i] + (z)->watermark_boost)

static inline unsigned long pageblock_start_pfn(uint64_t pfn) { return pfn & ~(pageblock_nr_pages - 1); }
static inline unsigned long pageblock_end_pfn(uint64_t pfn) { return pageblock_start_pfn(pfn) + pageblock_nr_pages; }

/* ---- zonelist iteration (include/linux/mmzone.h) ---- */

static inline struct zone *zonelist_zone(struct zoneref *z) { return z->zone; }
static inline int zonelist_zone_idx(struct zoneref *z) { return z->zone_idx; }
static inline struct zoneref *next_zones_zonelist(struct zoneref *z, int highest_zoneidx, void *nodes)
{
	(void)nodes;
	while (zonelist_zone_idx(z) > highest_zoneidx)
		z++;
	return z;
}
static inline struct zoneref *first_zones_zonelist(struct zonelist *zonelist, int highest_zoneidx, void *nodes)
{
	return next_zones_zonelist(zonelist->_zonerefs, highest_zoneidx, nodes);
}
#define for_each_zone_zonelist_nodemask(zone, z, zlist, highidx, nodemask)		\
	for (z = first_zones_zonelist(zlist, highidx, nodemask), zone = zonelist_zone(z); \
	     zone;									\
	     z = next_zones_zonelist(++z, highidx, nodemask), zone = zonelist_zone(z))
#define for_next_zone_zonelist_nodemask(zone, z, highidx, nodemask)			\
	for (zone = z->zone;								\
	     zone;									\
	     z = next_zones_zonelist(++z, highidx, nodemask), zone = zonelist_zone(z))

/* Every zone of every node, populated or not (for_each_zone). */
#define for_each_zone_model(zone, nid, zid)						\
	for (nid = 0; nid < buddy_nr_node_ids; nid++)					\
		for (zid = 0; zid < MAX_NR_ZONES && ((zone) = &NODE_DATA(nid)->node_zones[zid]); zid++)

/* ---- paths: labels and levels on the current page operation ---- */

/* Mark a label unless it repeats the last one (bulk loops stay readable). */
void buddy_path_label(uint16_t id);
#define BUDDY_LABEL(name) do {						\
		static uint16_t buddy_label_id_;				\
		if (!buddy_label_id_)						\
			buddy_label_id_ = sim_path_label_id(name);		\
		buddy_path_label(buddy_label_id_);				\
	} while (0)
/* The current op if it is a page op of `kind`, else NULL. */
struct sim_op *buddy_op(enum sim_op_kind kind);
/* Raise the level of the current page op of `kind` (skipped inside object ops). */
void buddy_level(enum sim_op_kind kind, int level);

/* ---- "freelist.c": page lists, free lists, pageblock migratetypes ---- */
void page_list_add(struct page_list *l, struct page *page);		/* list_add (head) */
void page_list_add_tail(struct page_list *l, struct page *page);	/* list_add_tail */
void page_list_del(struct page_list *l, struct page *page);		/* list_del */
struct page *page_list_first(const struct page_list *l);		/* NULL when empty */
struct page *page_list_last(const struct page_list *l);		/* NULL when empty */
struct page *page_list_next(const struct page *page);			/* NULL at the end */
static inline bool page_list_empty(const struct page_list *l) { return l->first == 0; }

void add_to_free_list(struct page *page, struct zone *zone, unsigned int order, int migratetype);
void add_to_free_list_tail(struct page *page, struct zone *zone, unsigned int order, int migratetype);
void move_to_free_list(struct page *page, struct zone *zone, unsigned int order, int migratetype);
void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order);
struct page *get_page_from_free_area(struct free_area *area, int migratetype); /* first entry or NULL */
bool free_area_empty(const struct free_area *area, int migratetype);
void free_list_add_untouched(struct zone *zone, uint64_t start_pfn, uint64_t end_pfn); /* boot: implicit tail blocks */
void set_buddy_order(struct page *page, unsigned int order);
int get_pageblock_migratetype(const struct page *page);
int get_pfnblock_migratetype(const struct page *page, uint64_t pfn);
void set_pageblock_migratetype(struct page *page, int migratetype);
void pageblock_exit(void);
uint64_t pageblock_host_bytes(void);
/* Visit every block of a free list in list order, untouched ones included. */
typedef void free_list_visit_fn(uint64_t pfn, bool untouched, void *arg);
void free_list_for_each(const struct free_list *fl, free_list_visit_fn *fn, void *arg);

/* ---- "watermark.c" ---- */
void calculate_min_free_kbytes(void);
void setup_per_zone_wmarks(void);
void calculate_totalreserve_pages(void);
void setup_per_zone_lowmem_reserve(void);
void init_per_zone_wmark_min(void);
void set_recommended_min_free_kbytes(void);
unsigned long nr_free_buffer_pages(void);
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, gfp_t gfp_mask);
bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx);

/* ---- "vmstat.c": per-CPU counter diffs (mm/vmstat.c, include/linux/vmstat.h) ---- */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta); /* IRQs off */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
void __mod_zone_freepage_state(struct zone *zone, int nr_pages, int migratetype);
void __mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
void zone_page_state_add(long x, struct zone *zone, enum zone_stat_item item);
unsigned long zone_page_state(const struct zone *zone, enum zone_stat_item item);	 /* folded part, >= 0 */
unsigned long zone_page_state_snapshot(const struct zone *zone, enum zone_stat_item item); /* + every CPU's diff */
unsigned long node_page_state(const struct pglist_data *pgdat, enum node_stat_item item);
unsigned long global_zone_page_state(enum zone_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);
int calculate_normal_threshold(struct zone *zone);
int calculate_pressure_threshold(struct zone *zone);
void refresh_zone_stat_thresholds(void);
void set_pgdat_percpu_threshold(struct pglist_data *pgdat, int (*calculate_pressure)(struct zone *));
int refresh_cpu_vm_stats(int cpu);		/* fold one CPU's diffs (vmstat_update); returns changes */
void setup_zone_vmstats(struct zone *zone);	/* per_cpu_zonestats (setup_zone_pageset) */
void setup_node_vmstats(struct pglist_data *pgdat); /* per_cpu_nodestats (setup_per_cpu_pageset) */
void vmstat_exit(void);
void vmstat_shepherd_arm(void);			/* 6.12: this CPU's vmstat worker, unless pending */
bool vmstat_work_op_begin(struct sim_op *op, const struct zone *zone); /* a drain by the worker as an op */

/* ---- "pcp.c" ---- */
unsigned int order_to_pindex(int migratetype, int order);
int pindex_to_order(unsigned int pindex);
int zone_batchsize(struct zone *zone);
int zone_highsize(struct zone *zone, int batch, int cpu_online, int high_fraction);
void zone_pcp_init(struct zone *zone);		/* the boot pagesets and boot_zonestats */
void zone_pcp_free(struct zone *zone);		/* its own pagesets, not the boot ones */
void pcp_exit(void);				/* the boot pagesets */
void setup_zone_pageset(struct zone *zone);
void zone_pcp_update(struct zone *zone, int cpu_online);
struct per_cpu_pages *pcp_spin_trylock(struct zone *zone);	/* preempt off + trylock; NULL on failure */
void pcp_spin_unlock(struct per_cpu_pages *pcp);

/* ---- "zonelist.c" ---- */
struct zonelist *node_zonelist(int nid, gfp_t flags);
int find_next_best_node(int node, uint64_t *used_node_mask);
void build_all_zonelists(void);
void zonelists_exit(void);

/* ---- "rmqueue.c" ---- */
int rmqueue_bulk(struct zone *zone, unsigned int order, unsigned long count, struct page_list *list,
		 int migratetype, unsigned int alloc_flags);
void zone_statistics(struct zone *preferred_zone, struct zone *z, long nr_account);
struct page *rmqueue(struct zone *preferred_zone, struct zone *zone, unsigned int order,
		     gfp_t gfp_flags, unsigned int alloc_flags, int migratetype);
void zone_statistics(struct zone *preferred_zone, struct zone *z, long nr_account);
void change_pageblock_range(struct page *pageblock_page, int start_order, int migratetype);
bool boost_watermark(struct zone *zone);
int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype, bool only_stealable,
			   bool *can_steal);

/* ---- "compaction.c" (include/linux/compaction.h) ---- */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,	/* fragmentation index says reclaim, not compaction */
	COMPACT_SKIPPED,		/* too few free pages to migrate into */
	COMPACT_DEFERRED,		/* failed recently at this order */
	COMPACT_NO_SUITABLE_PAGE,
	COMPACT_CONTINUE,
	COMPACT_COMPLETE,		/* scanned the whole zone, no block */
	COMPACT_PARTIAL_SKIPPED,
	COMPACT_CONTENDED,
	COMPACT_SUCCESS,		/* a block of the order is free */
};
#define MAX_COMPACT_RETRIES 16
struct page *__alloc_pages_direct_compact(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					  const struct alloc_context *ac, enum compact_priority prio,
					  enum compact_result *compact_result);
bool should_compact_retry(struct alloc_context *ac, int order, int alloc_flags,
			  enum compact_result compact_result, enum compact_priority *compact_priority,
			  int *compaction_retries);
enum compact_result compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags,
					int highest_zoneidx);
void prep_new_page(struct page *page, unsigned int order, gfp_t gfp_flags, unsigned int alloc_flags);

/* ---- "check.c" ---- */
/* A hang or BUG the kernel would hit, reachable only with a guard switched off
 * (free_pcppages_bulk finding every pcp list empty): recorded for buddy_check. */
void buddy_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void buddy_bugs_reset(void);

/* ---- "free.c" ---- */
struct page *find_buddy_page_pfn(struct page *page, uint64_t pfn, unsigned int order, uint64_t *buddy_pfn);
bool buddy_merge_likely(uint64_t pfn, uint64_t buddy_pfn, struct page *page, unsigned int order);
bool free_pages_prepare(struct page *page, unsigned int order);
void __free_pages_core(struct page *page, uint64_t pfn, unsigned int order);
void free_unref_page(struct page *page, unsigned int order);
void drain_pages_zone(unsigned int cpu, struct zone *zone);
void drain_zone_pages(struct zone *zone, struct per_cpu_pages *pcp);	/* vmstat worker: an expired remote pageset */

/* ---- "alloc.c" ---- */
struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid, void *nodemask);

/*
 * ---- the version table: what 6.1 and 6.12 do differently ----
 *
 * Each version folder (models/buddy/6.1/, models/buddy/6.12/) keeps its
 * functions static under the kernel's names in files that follow one mm/
 * file each, and exports one table of them, defined in its kops.c (which
 * includes the folder's files, one translation unit per version).  Shared
 * code calls KOPS(buddy)->fn(...); init.c holds buddy_kops_table.  A new
 * version is a new folder plus one entry in the table.
 */
struct buddy_kops {
	/* pcp sizing (pcp.c): batch and high (6.12: high_min / high_max) of every CPU's pageset */
	void (*zone_set_pageset_high_and_batch)(struct zone *zone, int cpu_online);
	/* model-only: a scenario's high and batch for a zone (0 = keep), on every CPU (init.c overrides) */
	void (*zone_pageset_override)(struct zone *zone, int high, int batch);
	/* the per-CPU allocation (rmqueue.c's rmqueue): trylock, take from or refill a pcp list */
	struct page *(*rmqueue_pcplist)(struct zone *preferred_zone, struct zone *zone, unsigned int order,
					int migratetype, unsigned int alloc_flags);
	/* the per-CPU free (free.c's free_unref_page): onto the list, drain past high; pcp->lock held */
	void (*free_unref_page_commit)(struct zone *zone, struct per_cpu_pages *pcp, struct page *page,
				       int migratetype, unsigned int order);
	/* pcp lists -> zone (drain_pages_zone, the commit); pcp->lock held */
	void (*free_pcppages_bulk)(struct zone *zone, int count, struct per_cpu_pages *pcp, int pindex);
	/* vmstat worker (refresh_cpu_vm_stats): lower this CPU's high, drain above it; NULL = none */
	bool (*decay_pcp_high)(struct zone *zone, struct per_cpu_pages *pcp);
	/* the zone side of mm/page_alloc.c (page_alloc.c of each folder); zone->lock held where noted */
	void (*__free_one_page)(struct page *page, uint64_t pfn, struct zone *zone, unsigned int order,
				int migratetype, int fpi_flags);	/* the merge; zone->lock held (or boot) */
	/* straight to the zone, taking zone->lock (6.12 frees by pageblock type and ignores migratetype) */
	void (*free_one_page)(struct zone *zone, struct page *page, uint64_t pfn, unsigned int order,
			      int migratetype, int fpi_flags);
	void (*__free_pages_ok)(struct page *page, unsigned int order, int fpi_flags);
	/* one block off the free lists, falling back to other types; zone->lock held */
	struct page *(*__rmqueue)(struct zone *zone, unsigned int order, int migratetype, unsigned int alloc_flags,
				  enum rmqueue_mode *mode);
	struct page *(*rmqueue_buddy)(struct zone *preferred_zone, struct zone *zone, unsigned int order,
				      unsigned int alloc_flags, int migratetype);
	void (*reserve_highatomic_pageblock)(struct page *page, struct zone *zone, unsigned int order);
	bool (*unreserve_highatomic_pageblock)(const struct alloc_context *ac, bool force);
	void (*__setup_per_zone_wmarks)(void);
	long (*__zone_watermark_unusable_free)(struct zone *z, unsigned int order, unsigned int alloc_flags);
	/* the zonelist walk: watermarks, then rmqueue (alloc.c, compaction.c call it) */
	struct page *(*get_page_from_freelist)(gfp_t gfp_mask, unsigned int order, int alloc_flags,
					       const struct alloc_context *ac);
	/* 6.12: the free-list helpers count NR_FREE_PAGES (account_freepages), so rmqueue_bulk does not */
	bool account_freepages;
	/* the order of the THP pcp lists (pcp_allowed_order, order_to_pindex): true = HPAGE_PMD_ORDER
	 * (6.12), false = pageblock_order (6.1; 10 when HUGETLB_PAGE is off, THP on) */
	bool pcp_thp_pmd_order;
	/* /proc/vmstat's lines (vmstat.c's buddy_vmstat); NULL = 6.1's, built in vmstat.c */
	const char *const *vmstat_text;
	int nr_vmstat_text;
};
extern const struct buddy_kops buddy_kops_6_1;		/* models/buddy/6.1/kops.c */
extern const struct buddy_kops buddy_kops_6_12;		/* models/buddy/6.12/kops.c */
extern const struct buddy_kops *const buddy_kops_table[NR_KERNEL_VERSIONS];	/* init.c */
#ifndef KOPS
#define KOPS(model) (model##_kops_table[kernel_version])
#endif

/* ---- reclaim: "vmscan.c", "kswapd.c", "oom_kill.c" (declared in vmscan.h) ---- */
#include "vmscan.h"

#endif
