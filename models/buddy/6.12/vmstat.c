/*
 * 6.12/vmstat.c - Linux 6.12.118, mm/vmstat.c: the lines /proc/vmstat prints
 * (vmstat_text, in vmstat_start's order), as Debian's linux-image-6.12.118
 * configures them -- the names and order of the debian-6.12.118-4cpu-2node
 * capture's /proc/vmstat, 185 lines.  Against 6.1's 173: nr_unaccepted (zone),
 * nr_iommu_pages, pgdemote_kswapd/_direct/_khugepaged (node items now, not
 * events), nr_memmap_pages, nr_memmap_boot_pages, pgsteal_khugepaged,
 * pgscan_khugepaged, zone_reclaim_success, thp_underused_split_page,
 * swpin_zero, swpout_zero, zswpwb.  The model counts none of the new items
 * (they print 0); the others keep 6.1's meaning.  Included by kops.c.
 */
#include "../buddy_int.h"

/* kernel: vmstat_text, mm/vmstat.c (6.12, Debian's config) */
static const char *const vmstat_text[NR_VMSTAT_LINES_6_12] = {
	"nr_free_pages", "nr_zone_inactive_anon", "nr_zone_active_anon", "nr_zone_inactive_file", "nr_zone_active_file",
	"nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock", "nr_bounce", "nr_zspages",
	"nr_free_cma", "nr_unaccepted", "numa_hit", "numa_miss", "numa_foreign",
	"numa_interleave", "numa_local", "numa_other", "nr_inactive_anon", "nr_active_anon",
	"nr_inactive_file", "nr_active_file", "nr_unevictable", "nr_slab_reclaimable", "nr_slab_unreclaimable",
	"nr_isolated_anon", "nr_isolated_file", "workingset_nodes", "workingset_refault_anon", "workingset_refault_file",
	"workingset_activate_anon", "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
	"nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback",
	"nr_writeback_temp", "nr_shmem", "nr_shmem_hugepages", "nr_shmem_pmdmapped", "nr_file_hugepages",
	"nr_file_pmdmapped", "nr_anon_transparent_hugepages", "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied",
	"nr_written", "nr_throttled_written", "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired", "nr_foll_pin_released",
	"nr_kernel_stack", "nr_page_table_pages", "nr_sec_page_table_pages", "nr_iommu_pages", "nr_swapcached",
	"pgpromote_success", "pgpromote_candidate", "pgdemote_kswapd", "pgdemote_direct", "pgdemote_khugepaged",
	"nr_dirty_threshold", "nr_dirty_background_threshold", "nr_memmap_pages", "nr_memmap_boot_pages", "pgpgin",
	"pgpgout", "pswpin", "pswpout", "pgalloc_dma", "pgalloc_dma32",
	"pgalloc_normal", "pgalloc_movable", "pgalloc_device", "allocstall_dma", "allocstall_dma32",
	"allocstall_normal", "allocstall_movable", "allocstall_device", "pgskip_dma", "pgskip_dma32",
	"pgskip_normal", "pgskip_movable", "pgskip_device", "pgfree", "pgactivate",
	"pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed",
	"pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged",
	"pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged", "pgscan_direct_throttle", "pgscan_anon",
	"pgscan_file", "pgsteal_anon", "pgsteal_file", "zone_reclaim_success", "zone_reclaim_failed",
	"pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly",
	"pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill",
	"numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local", "numa_pages_migrated",
	"pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail", "thp_migration_split",
	"compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall", "compact_fail",
	"compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned", "compact_daemon_free_scanned", "htlb_buddy_alloc_success",
	"htlb_buddy_alloc_fail", "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued", "unevictable_pgs_mlocked",
	"unevictable_pgs_munlocked", "unevictable_pgs_cleared", "unevictable_pgs_stranded", "thp_fault_alloc", "thp_fault_fallback",
	"thp_fault_fallback_charge", "thp_collapse_alloc", "thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback",
	"thp_file_fallback_charge", "thp_file_mapped", "thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
	"thp_underused_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte",
	"thp_split_pud", "thp_zero_page_alloc", "thp_zero_page_alloc_failed", "thp_swpout", "thp_swpout_fallback",
	"balloon_inflate", "balloon_deflate", "balloon_migrate", "swap_ra", "swap_ra_hit",
	"swpin_zero", "swpout_zero", "ksm_swpin_copy", "cow_ksm", "zswpin",
	"zswpout", "zswpwb", "direct_map_level2_splits", "direct_map_level3_splits", "nr_unstable",
};
