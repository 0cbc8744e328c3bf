/*
 * kswapd.c - the per-node reclaim daemon (mm/vmscan.c, 6.1.192):
 * wakeup_kswapd -> kswapd -> kswapd_try_to_sleep / balance_pgdat ->
 * kswapd_shrink_node -> shrink_node (vmscan.c), and the reset of the
 * watermark boost at the end of balance_pgdat.
 *
 * Differences from the kernel:
 *  - kswapd runs as a work item on the kworker of its node's first vCPU
 *    (sim_work_queue), so the engine schedules it deterministically: a
 *    wake_up_interruptible of kswapd_wait queues the item (once) at the
 *    waker's time, and one run of the item is one turn of kswapd()'s loop
 *    ending in a full sleep.  The short HZ/10 nap of kswapd_try_to_sleep is
 *    not taken: a node balanced after balance_pgdat sleeps at once (no
 *    premature-wakeup case, so kswapd_low_wmark_hit_quickly stays 0); an
 *    unbalanced one counts kswapd_high_wmark_hit_quickly and runs
 *    balance_pgdat again, until kswapd_failures reaches MAX_RECLAIM_RETRIES.
 *  - No kcompactd (wakeup_kcompactd marks a label), no freezer, no
 *    pfmemalloc_wait throttling, no per-cpu vmstat threshold switch
 *    (set_pgdat_percpu_threshold), no memcg soft limit reclaim, no
 *    buffer_heads_over_limit, no NUMA memory tiering (WMARK_PROMO unused),
 *    no kswapd_age_node (no swap: anon lists are not aged).
 *  - Outside a running engine (boot, unit tests calling model functions)
 *    nothing is queued: tests call the work function through
 *    buddy_kswapd_run_now.
 */
#include "buddy_int.h"

/* kernel: kswapd_run, mm/vmscan.c -- the thread's initial state (it sleeps on kswapd_wait) */
void kswapd_run(struct pglist_data *pgdat)
{
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	pgdat->kswapd_failures = 0;
	pgdat->kswapd_wait_active = true;
	pgdat->kswapd_queued = false;
}

/* kernel: pgdat_watermark_boosted, mm/vmscan.c */
static bool pgdat_watermark_boosted(struct pglist_data *pgdat, int highest_zoneidx)
{
	for (int i = highest_zoneidx; i >= 0; i--) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		if (zone->watermark_boost)
			return true;
	}
	return false;
}

/* kernel: pgdat_balanced, mm/vmscan.c */
static bool pgdat_balanced(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	unsigned long mark = (unsigned long)-1;

	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		mark = high_wmark_pages(zone);
		/* zone_watermark_ok_safe: the model's free count is exact */
		if (zone_watermark_ok(zone, (unsigned int)order, mark, highest_zoneidx, 0))
			return true;
	}
	return mark == (unsigned long)-1;
}

/* kernel: prepare_kswapd_sleep, mm/vmscan.c */
static bool prepare_kswapd_sleep(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES)
		return true;		/* hopeless node: leave it to direct reclaim */
	return pgdat_balanced(pgdat, order, highest_zoneidx);
}

/* kernel: kswapd_shrink_node, mm/vmscan.c */
static bool kswapd_shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	sc->nr_to_reclaim = 0;
	for (int z = 0; z <= sc->reclaim_idx; z++) {
		struct zone *zone = pgdat->node_zones + z;
		unsigned long high;

		if (!managed_zone(zone))
			continue;
		high = high_wmark_pages(zone);
		sc->nr_to_reclaim += high > SWAP_CLUSTER_MAX ? high : SWAP_CLUSTER_MAX;
	}
	shrink_node(pgdat, sc);
	/* compact_gap(order) = 2 << order: enough reclaimed for order-0 balance */
	if (sc->order && sc->nr_reclaimed >= (2UL << sc->order))
		sc->order = 0;
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

/* kernel: update_reclaim_active, mm/vmscan.c */
static void update_reclaim_active(struct pglist_data *pgdat, int highest_zoneidx, bool active)
{
	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		if (active)
			set_bit_zone(ZONE_RECLAIM_ACTIVE, zone);
		else
			clear_bit_zone(ZONE_RECLAIM_ACTIVE, zone);
	}
}

/* kernel: balance_pgdat, mm/vmscan.c */
static int balance_pgdat(struct pglist_data *pgdat, int order, int highest_zoneidx)
{
	unsigned long nr_boost_reclaim = 0, zone_boosts[MAX_NR_ZONES] = { 0 };
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .order = order, .may_unmap = 1, .kswapd = true };
	bool boosted;

	count_vm_event(PAGEOUTRUN);
	/* the boost stays in place while kswapd works, so nearby allocations still stall */
	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		nr_boost_reclaim += zone->watermark_boost;
		zone_boosts[i] = zone->watermark_boost;
	}
	boosted = nr_boost_reclaim;

restart:
	update_reclaim_active(pgdat, highest_zoneidx, true);
	sc.priority = DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true, balanced;

		sc.reclaim_idx = highest_zoneidx;
		/* an unbalanced node ignores the boost: normal reclaim first */
		balanced = pgdat_balanced(pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		if (!nr_boost_reclaim && balanced)
			goto out;
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;
		/* boosted reclaim neither writes back nor swaps */
		sc.may_writepage = !nr_boost_reclaim;
		sc.may_swap = !nr_boost_reclaim;
		if (sc.priority < DEF_PRIORITY - 2)
			sc.may_writepage = 1;

		sc.nr_scanned = 0;
		if (kswapd_shrink_node(pgdat, &sc))
			raise_priority = false;

		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= nr_boost_reclaim < nr_reclaimed ? nr_boost_reclaim : nr_reclaimed;
		/* boosted reclaim that reclaims nothing stops: it cannot queue IO */
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);

	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;

out:
	update_reclaim_active(pgdat, highest_zoneidx, false);
	if (boosted) {
		for (int i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = pgdat->node_zones + i;
			unsigned long flags;

			if (!zone_boosts[i])
				continue;
			spin_lock_irqsave(&zone->lock, flags);
			zone->watermark_boost -= zone->watermark_boost < zone_boosts[i] ? zone->watermark_boost
											  : zone_boosts[i];
			spin_unlock_irqrestore(&zone->lock, flags);
		}
		BUDDY_LABEL("wakeup_kcompactd");	/* no kcompactd in the model */
	}
	return sc.order;
}

/* kernel: kswapd_highest_zoneidx, mm/vmscan.c */
static enum zone_type kswapd_highest_zoneidx(struct pglist_data *pgdat, enum zone_type prev_highest_zoneidx)
{
	enum zone_type curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);

	return curr_idx == MAX_NR_ZONES ? prev_highest_zoneidx : curr_idx;
}

/* kernel: kswapd, mm/vmscan.c -- one wakeup: balance, then back to sleep (see the top of this file) */
static void kswapd_work(struct sim_vcpu *v, void *arg)
{
	struct pglist_data *pgdat = arg;
	enum zone_type highest_zoneidx = MAX_NR_ZONES - 1;
	int alloc_order, reclaim_order;

	(void)v;
	pgdat->kswapd_queued = false;
	pgdat->kswapd_wait_active = false;
	/* the woken thread reads the request and clears it */
	alloc_order = READ_ONCE(pgdat->kswapd_order);
	highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
	pgdat->kswapd_order = 0;
	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
	for (;;) {
		reclaim_order = balance_pgdat(pgdat, alloc_order, (int)highest_zoneidx);
		/* kswapd_try_to_sleep */
		if (prepare_kswapd_sleep(pgdat, reclaim_order, (int)highest_zoneidx))
			break;
		count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
		/* a wakeup that came in meanwhile raises the request */
		if (READ_ONCE(pgdat->kswapd_order) > alloc_order)
			alloc_order = pgdat->kswapd_order;
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
		pgdat->kswapd_order = 0;
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		if (in_task())
			sim_cond_resched();
	}
	pgdat->kswapd_wait_active = true;	/* schedule(): asleep on kswapd_wait */
}

/* kernel: wake_up_interruptible(&pgdat->kswapd_wait): the kthread's first vCPU of the node */
static void kswapd_wake(struct pglist_data *pgdat)
{
	if (pgdat->kswapd_queued || !sim || !sim->running)
		return;
	for (int cpu = 0; cpu < sim->nr_cpus; cpu++) {
		if (sim->vcpu[cpu].node != pgdat->node_id)
			continue;
		pgdat->kswapd_queued = true;
		sim_work_queue(cpu, sim_now(), kswapd_work, pgdat);
		return;
	}
}

/* kernel: wakeup_kswapd, mm/vmscan.c (no cpusets) */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	struct pglist_data *pgdat;
	enum zone_type curr_idx;

	if (!managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);
	if (curr_idx == MAX_NR_ZONES || curr_idx < highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	if (pgdat->kswapd_order < order)
		pgdat->kswapd_order = order;
	if (!pgdat->kswapd_wait_active || pgdat->kswapd_queued)
		return;
	/* hopeless node, or balanced and not boosted: kcompactd's business */
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES ||
	    (pgdat_balanced(pgdat, order, (int)highest_zoneidx) &&
	     !pgdat_watermark_boosted(pgdat, (int)highest_zoneidx))) {
		if (!(gfp_flags & __GFP_DIRECT_RECLAIM))
			BUDDY_LABEL("wakeup_kcompactd");
		return;
	}
	BUDDY_LABEL("wakeup_kswapd");
	kswapd_wake(pgdat);
}

/* Tests without a running engine: run a woken kswapd's turn now. */
void buddy_kswapd_run_now(int nid)
{
	kswapd_work(NULL, NODE_DATA(nid));
}

bool buddy_kswapd_sleeping(int nid)
{
	return NODE_DATA(nid)->kswapd_wait_active && !NODE_DATA(nid)->kswapd_queued;
}

int buddy_kswapd_failures(int nid)
{
	return NODE_DATA(nid)->kswapd_failures;
}
