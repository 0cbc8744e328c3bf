/*
 * vmscan.h - internals of the buddy model's reclaim shared by vmscan.c,
 * kswapd.c, oom_kill.c and alloc.c (mm/vmscan.c, mm/oom_kill.c, 6.1.192).
 * Included by buddy_int.h.
 */
#ifndef KMEMSIM_MODELS_BUDDY_VMSCAN_H
#define KMEMSIM_MODELS_BUDDY_VMSCAN_H

#include <stdbool.h>
#include <stdint.h>

#define DEF_PRIORITY 12
#define OOM_LOCK_WAIT_NS 4000000ULL	/* schedule_timeout_uninterruptible(1): a jiffy at HZ=250 */
#define OOM_MAX_ROUNDS 1000		/* the model's bound on the slowpath's OOM retries */
#define DEACTIVATE_ANON 1
#define DEACTIVATE_FILE 2

struct alloc_context;
struct pglist_data;
struct zone;

/* kernel: struct scan_control, mm/vmscan.c (the fields the model uses) */
struct scan_control {
	unsigned long nr_to_reclaim;
	gfp_t gfp_mask;
	int order;
	int priority;
	int reclaim_idx;		/* highest zone whose pages may be reclaimed */
	unsigned int may_writepage : 1, may_unmap : 1, may_swap : 1;
	unsigned int may_deactivate : 2, force_deactivate : 1, skipped_deactivate : 1;
	unsigned long nr_scanned, nr_reclaimed;
	bool kswapd;			/* current_is_kswapd() */
};

/* vmscan.c */
void shrink_node(struct pglist_data *pgdat, struct scan_control *sc);
unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask, void *nodemask);
unsigned long zone_reclaimable_pages(struct zone *zone);
void lru_del_page(struct page *page);		/* off its LRU list (del_page_from_lru_list) */
void reclaim_free_page(struct page *page, const char *why);	/* a free op of its own, labelled why */
void vmscan_exit(void);

/* kswapd.c */
void kswapd_run(struct pglist_data *pgdat);
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx);

/* oom_kill.c */
struct oom_control {
	struct zonelist *zonelist;
	void *nodemask;
	gfp_t gfp_mask;
	int order;
	unsigned long totalpages;
	struct mm_struct *chosen;
	long chosen_points;
};
bool mutex_trylock_oom_lock(void);
void mutex_unlock_oom_lock(void);
bool out_of_memory(struct oom_control *oc);
void oom_kill_exit(void);

#endif
