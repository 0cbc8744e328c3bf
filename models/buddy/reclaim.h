/*
 * reclaim.h - what the buddy model's reclaim (vmscan.c, kswapd.c,
 * oom_kill.c) offers to its callers: pages that reclaim may take back (the
 * page cache and anonymous memory of tasks on the node's LRU lists),
 * shrinkers for reclaimable slab objects, and the OOM killer's record; its
 * counters are vmstat.h's events (count_vm_events).  Included by buddy.h.
 */
#ifndef KMEMSIM_MODELS_BUDDY_RECLAIM_H
#define KMEMSIM_MODELS_BUDDY_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "../mm.h"
#include "vmstat.h"

/* The run's count of a /proc/vmstat event (vm_event_states, vmstat.h), for tests and tools. */
uint64_t reclaim_vm_event(enum vm_event_item item);

/* A task's address space, as far as the OOM killer sees it (get_mm_rss). */
struct mm_struct {
	int pid;
	char comm[16];
	long rss;			/* MM_ANONPAGES: its anonymous pages on the LRU */
	short oom_score_adj;		/* -1000 .. 1000 */
	bool oom_killed;		/* fatal_signal_pending after the OOM kill */
	struct mm_struct *next;		/* every mm, in creation order (for_each_process) */
};
/* kernel: mm_alloc / exit_mmap: a task's anonymous memory; exit frees what is left. */
struct mm_struct *mm_create(int pid, const char *comm);
void mm_exit(struct mm_struct *mm);

/* The page cache of one file: its cached pages by index (pfn + 1; 0 = not cached). */
struct address_space {
	uint64_t nr_pages;
	uint32_t *i_pages;
};
struct address_space *mapping_create(uint64_t nr_pages);
void mapping_destroy(struct address_space *mapping);	/* truncate_inode_pages, then free */

/*
 * kernel: filemap_read (one page of it), mm/filemap.c: the cached page of
 * `index`, marked accessed; or a new page (GFP_HIGHUSER_MOVABLE on node nid)
 * added to the page cache and the inactive file list.  NULL when the
 * allocation fails.  *hit says which.
 */
struct page *filemap_read_page(struct address_space *mapping, uint64_t index, int nid, bool *hit);
/* A page a caller holds as page cache (a replayed user page): on the inactive file list, *slot =
 * pfn + 1 until reclaim takes it (then 0 and the page is freed); remove it before freeing it. */
void filemap_add_page(struct page *page, uint32_t *slot);
void filemap_remove_page(struct page *page);
/* kernel: do_anonymous_page, mm/memory.c: a new anonymous page of mm, on the inactive anon list. */
struct page *do_anonymous_page(struct mm_struct *mm, int nid);
/* kernel: mark_page_accessed, mm/swap.c */
void mark_page_accessed(struct page *page);

/* Slab shrinkers (include/linux/shrinker.h). */
#define SHRINK_STOP (~0UL)
#define SHRINK_EMPTY (~0UL - 1)
#define DEFAULT_SEEKS 2
#define SHRINK_BATCH 128
struct shrink_control {
	gfp_t gfp_mask;
	int nid;
	unsigned long nr_to_scan;	/* objects to scan */
	unsigned long nr_scanned;	/* objects scanned (the callback may change it) */
};
struct shrinker {
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *);
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *);
	long batch;			/* 0: SHRINK_BATCH */
	int seeks;			/* cost of recreating an object */
	long nr_deferred;		/* scans carried over (not per node: no SHRINKER_NUMA_AWARE) */
	const char *name;
	void *private_data;
	struct shrinker *next;
};
/* kernel: register_shrinker / unregister_shrinker, mm/vmscan.c */
int register_shrinker(struct shrinker *shrinker, const char *name);
void unregister_shrinker(struct shrinker *shrinker);

/* kernel: try_to_free_pages, mm/vmscan.c: direct reclaim for (order, gfp) from nid's zonelist. */
unsigned long buddy_try_to_free_pages(int nid, unsigned int order, gfp_t gfp);
/* Pages on node nid's LRU lists: inactive anon, active anon, inactive file, active file. */
void buddy_lru_sizes(int nid, uint64_t out[4]);
/* kswapd of node nid: sleeping on its waitqueue (true) or awake / queued to run. */
bool buddy_kswapd_sleeping(int nid);
/* Unit tests without a running engine: kswapd of nid takes its turn now (the engine queues it otherwise). */
void buddy_kswapd_run_now(int nid);
int buddy_kswapd_failures(int nid);

/* One OOM kill, as the kernel logs it ("Out of memory: Killed process ..."). */
struct oom_kill_record {
	uint64_t time_ns;
	int pid;
	char comm[16];
	long points;			/* oom_badness */
	int oom_score_adj;
	unsigned long anon_rss_kb;	/* what it held, and so what reaping freed */
	unsigned long freed_pages;
	int order;			/* the allocation that invoked the killer */
	gfp_t gfp_mask;
};
int oom_kill_nr_records(void);
const struct oom_kill_record *oom_kill_record(int i);

#endif
