/*
 * test_buddy_host_oom.c - the buddy allocator's boot when the host has no memory left
 * (models/buddy), suite `buddy_host_oom`: each host structure buddy_init builds -- a node's
 * pglist_data (buddy_init), its zonelists' zonerefs (build_all_zonelists), the boot pagesets
 * (zone_pcp_init) and a zone's pagesets (setup_zone_pageset), a zone's and a node's per-CPU
 * statistics (setup_zone_vmstats, setup_node_vmstats), and after boot the pageblock type
 * tables (set_pageblock_migratetype) -- ends the process with abort() when
 * the host refuses it, before anything uses the NULL.  Not a kernel rule: the kernel's
 * boot allocations panic or are static; the model has nothing sensible to go on with.
 *
 * Strategy: the executable's malloc, calloc and realloc go through tests/host_oom.c (linked
 * with --wrap); each test refuses the first host allocation of the structure's size
 * (3 vCPUs: per-CPU arrays of 3, a size nothing else asks for first) during the boot of a
 * one-node machine, or during its first unmovable allocation, and expects SIGABRT (a NULL written through instead is a SIGSEGV, or a
 * sanitizer's report and exit).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <signal.h>
#include <stdlib.h>

#include "../helpers.h"
#include "../host_oom.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/scenario/scenario.h"

enum { NR_CPUS = 3 };

/* Boot a node of 3 vCPUs (DMA32 512 MiB, Normal 100 MiB) with the (skip + 1)-th host
 * allocation of `bytes` refused; returns only if the boot got through. */
static void boot_refusing(size_t bytes, unsigned int skip)
{
	uint64_t zones[1][4] = { { 0, 512, 100, 0 } };
	int c[1] = { NR_CPUS };

	host_oom_arm(bytes, skip);
	(void)helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
}

Test(buddy_host_oom, no_pglist_data_aborts, .signal = SIGABRT)
{
	boot_refusing(sizeof(struct pglist_data), 0);
	cr_fail("buddy_init went on without a pglist_data (%u failed)", host_oom_failed());
}

/* two nodes (the one above and a second of DMA32 only): MAX_NR_ZONES zonerefs per node and
 * the terminator per zonelist, 2 * 4 + 1 = 9 */
Test(buddy_host_oom, no_zonerefs_aborts, .signal = SIGABRT)
{
	uint64_t zones[2][4] = { { 0, 512, 100, 0 }, { 0, 256, 0, 0 } };
	int c[2] = { NR_CPUS, NR_CPUS };

	host_oom_arm((2 * MAX_NR_ZONES + 1) * sizeof(struct zoneref), 0);
	(void)helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_fail("build_all_zonelists went on without zonerefs (%u failed)", host_oom_failed());
}

/* the boot pagesets are the first per_cpu_pages array, a zone's own come after */
Test(buddy_host_oom, no_boot_pageset_aborts, .signal = SIGABRT)
{
	boot_refusing(NR_CPUS * sizeof(struct per_cpu_pages), 0);
	cr_fail("zone_pcp_init went on without the boot pagesets (%u failed)", host_oom_failed());
}

Test(buddy_host_oom, no_zone_pageset_aborts, .signal = SIGABRT)
{
	boot_refusing(NR_CPUS * sizeof(struct per_cpu_pages), 1);
	cr_fail("setup_zone_pageset went on without the zone's pagesets (%u failed)", host_oom_failed());
}

Test(buddy_host_oom, no_zone_stats_aborts, .signal = SIGABRT)
{
	boot_refusing(NR_CPUS * sizeof(struct per_cpu_zonestat), 0);
	cr_fail("setup_zone_vmstats went on without per-CPU zone stats (%u failed)", host_oom_failed());
}

Test(buddy_host_oom, no_node_stats_aborts, .signal = SIGABRT)
{
	boot_refusing(NR_CPUS * sizeof(struct per_cpu_nodestat), 0);
	cr_fail("setup_node_vmstats went on without per-CPU node stats (%u failed)", host_oom_failed());
}

/*
 * set_pageblock_migratetype: the first block made other than MOVABLE (here: the first
 * unmovable allocation steals a whole max-order block, steal_suitable_fallback ->
 * change_pageblock_range) first sizes the table of sections (realloc, a pointer per section:
 * 5 of them for 612 MiB), then gives the block's section its byte per block (malloc,
 * SECTION_PAGES / pageblock_nr_pages).  Either refused, abort.
 */
static void first_unmovable_refusing(size_t bytes)
{
	uint64_t zones[1][4] = { { 0, 512, 100, 0 } };
	int c[1] = { NR_CPUS };

	cr_assert(ne(ptr, (void *)helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones), NULL));
	host_oom_arm(bytes, 0);
	(void)helper_buddy_alloc(0, 0, GFP_KERNEL, 0, NULL);
}

Test(buddy_host_oom, no_pageblock_section_table_aborts, .signal = SIGABRT)
{
	first_unmovable_refusing(5 * sizeof(uint8_t *));
	cr_fail("set_pageblock_migratetype went on without its section table (%u failed)", host_oom_failed());
}

Test(buddy_host_oom, no_pageblock_bytes_aborts, .signal = SIGABRT)
{
	first_unmovable_refusing(SECTION_PAGES / pageblock_nr_pages);
	cr_fail("set_pageblock_migratetype went on without the section's block bytes (%u failed)", host_oom_failed());
}
