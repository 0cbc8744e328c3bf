/*
 * vmstat.h - the kernel's memory counters (Linux 6.1.192 include/linux/mmzone.h,
 * include/linux/vm_event_item.h, include/linux/vmstat.h; mm/vmstat.c): per-zone
 * and per-node page counts kept as an atomic total plus a per-CPU diff that folds
 * into the total once it passes the CPU's stat_threshold, and the event counters
 * that /proc/vmstat prints.
 *
 * The enums are the kernel's, as Debian 6.1.192 configures them (CONFIG_ZSMALLOC,
 * CONFIG_SWAP, CONFIG_NUMA_BALANCING, CONFIG_MIGRATION, CONFIG_COMPACTION,
 * CONFIG_HUGETLB_PAGE, CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_MEMORY_BALLOON with
 * BALLOON_COMPACTION, CONFIG_KSM, CONFIG_ZSWAP, the THP PUD split on; CONFIG_CMA,
 * SHADOW_CALL_STACK and DEBUG_TLBFLUSH off), so that `kmemsim vmstat` prints the
 * 173 lines of that kernel's /proc/vmstat in its order.  Every model may count an
 * event (count_vm_event) or change a node counter (mod_node_page_state_nid);
 * the zone counters are the buddy model's (buddy_int.h, "vmstat.c").
 */
#ifndef KMEMSIM_MODELS_BUDDY_VMSTAT_H
#define KMEMSIM_MODELS_BUDDY_VMSTAT_H

#include <stdint.h>

/* kernel: enum zone_stat_item, include/linux/mmzone.h */
enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_LRU_BASE,
	NR_ZONE_INACTIVE_ANON = NR_ZONE_LRU_BASE,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_BOUNCE,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

/* kernel: enum node_stat_item, include/linux/mmzone.h (the _B items are kept in pages) */
enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE,
	NR_ACTIVE_ANON,
	NR_INACTIVE_FILE,
	NR_ACTIVE_FILE,
	NR_UNEVICTABLE,
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_ISOLATED_ANON,
	NR_ISOLATED_FILE,
	WORKINGSET_NODES,
	WORKINGSET_REFAULT_BASE,
	WORKINGSET_REFAULT_ANON = WORKINGSET_REFAULT_BASE,
	WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_BASE,
	WORKINGSET_ACTIVATE_ANON = WORKINGSET_ACTIVATE_BASE,
	WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_BASE,
	WORKINGSET_RESTORE_ANON = WORKINGSET_RESTORE_BASE,
	WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
	NR_ANON_MAPPED,
	NR_FILE_MAPPED,
	NR_FILE_PAGES,
	NR_FILE_DIRTY,
	NR_WRITEBACK,
	NR_WRITEBACK_TEMP,
	NR_SHMEM,
	NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED,
	NR_FILE_THPS,
	NR_FILE_PMDMAPPED,
	NR_ANON_THPS,
	NR_VMSCAN_WRITE,
	NR_VMSCAN_IMMEDIATE,
	NR_DIRTIED,
	NR_WRITTEN,
	NR_THROTTLED_WRITTEN,
	NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,
	NR_FOLL_PIN_RELEASED,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_SECONDARY_PAGETABLE,
	NR_SWAPCACHE,
	PGPROMOTE_SUCCESS,
	PGPROMOTE_CANDIDATE,
	NR_VM_NODE_STAT_ITEMS
};

/* kernel: FOR_ALL_ZONES, include/linux/vm_event_item.h (__MAX_NR_ZONES counts ZONE_DEVICE) */
#define FOR_ALL_ZONES(xx) xx##_DMA, xx##_DMA32, xx##_NORMAL, xx##_MOVABLE, xx##_DEVICE

/* kernel: enum vm_event_item, include/linux/vm_event_item.h */
enum vm_event_item {
	PGPGIN, PGPGOUT, PSWPIN, PSWPOUT,
	FOR_ALL_ZONES(PGALLOC),
	FOR_ALL_ZONES(ALLOCSTALL),
	FOR_ALL_ZONES(PGSCAN_SKIP),
	PGFREE, PGACTIVATE, PGDEACTIVATE, PGLAZYFREE,
	PGFAULT, PGMAJFAULT,
	PGLAZYFREED,
	PGREFILL,
	PGREUSE,
	PGSTEAL_KSWAPD,
	PGSTEAL_DIRECT,
	PGDEMOTE_KSWAPD,
	PGDEMOTE_DIRECT,
	PGSCAN_KSWAPD,
	PGSCAN_DIRECT,
	PGSCAN_DIRECT_THROTTLE,
	PGSCAN_ANON,
	PGSCAN_FILE,
	PGSTEAL_ANON,
	PGSTEAL_FILE,
	PGSCAN_ZONE_RECLAIM_FAILED,
	PGINODESTEAL, SLABS_SCANNED, KSWAPD_INODESTEAL,
	KSWAPD_LOW_WMARK_HIT_QUICKLY, KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	PAGEOUTRUN, PGROTATED,
	DROP_PAGECACHE, DROP_SLAB,
	OOM_KILL,
	NUMA_PTE_UPDATES,
	NUMA_HUGE_PTE_UPDATES,
	NUMA_HINT_FAULTS,
	NUMA_HINT_FAULTS_LOCAL,
	NUMA_PAGE_MIGRATE,
	PGMIGRATE_SUCCESS, PGMIGRATE_FAIL,
	THP_MIGRATION_SUCCESS,
	THP_MIGRATION_FAIL,
	THP_MIGRATION_SPLIT,
	COMPACTMIGRATE_SCANNED, COMPACTFREE_SCANNED,
	COMPACTISOLATED,
	COMPACTSTALL, COMPACTFAIL, COMPACTSUCCESS,
	KCOMPACTD_WAKE,
	KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED,
	HTLB_BUDDY_PGALLOC, HTLB_BUDDY_PGALLOC_FAIL,
	UNEVICTABLE_PGCULLED,
	UNEVICTABLE_PGSCANNED,
	UNEVICTABLE_PGRESCUED,
	UNEVICTABLE_PGMLOCKED,
	UNEVICTABLE_PGMUNLOCKED,
	UNEVICTABLE_PGCLEARED,
	UNEVICTABLE_PGSTRANDED,
	THP_FAULT_ALLOC,
	THP_FAULT_FALLBACK,
	THP_FAULT_FALLBACK_CHARGE,
	THP_COLLAPSE_ALLOC,
	THP_COLLAPSE_ALLOC_FAILED,
	THP_FILE_ALLOC,
	THP_FILE_FALLBACK,
	THP_FILE_FALLBACK_CHARGE,
	THP_FILE_MAPPED,
	THP_SPLIT_PAGE,
	THP_SPLIT_PAGE_FAILED,
	THP_DEFERRED_SPLIT_PAGE,
	THP_SPLIT_PMD,
	THP_SCAN_EXCEED_NONE_PTE,
	THP_SCAN_EXCEED_SWAP_PTE,
	THP_SCAN_EXCEED_SHARED_PTE,
	THP_SPLIT_PUD,
	THP_ZERO_PAGE_ALLOC,
	THP_ZERO_PAGE_ALLOC_FAILED,
	THP_SWPOUT,
	THP_SWPOUT_FALLBACK,
	BALLOON_INFLATE,
	BALLOON_DEFLATE,
	BALLOON_MIGRATE,
	SWAP_RA,
	SWAP_RA_HIT,
	KSM_SWPIN_COPY,
	COW_KSM,
	ZSWPIN,
	ZSWPOUT,
	DIRECT_MAP_LEVEL2_SPLIT,
	DIRECT_MAP_LEVEL3_SPLIT,
	NR_VM_EVENT_ITEMS
};

/* Events are summed over CPUs when read, so one machine-wide array stands for the
 * per-CPU vm_event_states (kernel: count_vm_event(s), include/linux/vmstat.h). */
extern unsigned long vm_event_states[NR_VM_EVENT_ITEMS];
static inline void count_vm_event(enum vm_event_item item) { vm_event_states[item]++; }
static inline void count_vm_events(enum vm_event_item item, long delta) { vm_event_states[item] += (unsigned long)delta; }
#define __count_vm_event count_vm_event
#define __count_vm_events count_vm_events
/* kernel: __count_zid_vm_events -- item##_NORMAL etc. from a zone index */
#define __count_zid_vm_events(item, zid, delta) count_vm_events((enum vm_event_item)(item##_DMA + (zid)), (delta))

/* kernel: mod_node_page_state on NODE_DATA(nid) (for models outside the buddy model: slab pages) */
void mod_node_page_state_nid(int nid, enum node_stat_item item, long delta);

/* /proc/vmstat, as vmstat_start/vmstat_show print it: `name value` lines in the kernel's
 * order (global counters without the per-CPU diffs, events summed, nr_unstable last), the
 * lines of the run's kernel version.  Returns the number of lines (NR_VMSTAT_LINES for 6.1,
 * NR_VMSTAT_LINES_6_12 for 6.12); names are static strings. */
#define NR_VMSTAT_LINES 173		/* Debian 6.1.192 */
#define NR_VMSTAT_LINES_6_12 185	/* Debian 6.12.118 (models/buddy/6.12/vmstat.c) */
#define NR_VMSTAT_LINES_MAX 185		/* of every kernel version: size arrays with this */
int buddy_vmstat(const char **names, uint64_t *values, int max);

#endif
