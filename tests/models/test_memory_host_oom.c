/*
 * test_memory_host_oom.c - the simulated memory when the host has none left (models/memory.c),
 * suite `memory_host_oom`: each host table or buffer memory.c asks for -- the section and
 * reverse-map tables (sim_mem_init), the zone range table (sim_mem_add_range), a section's
 * struct pages (pfn_to_page), a section's contents table and a page buffer (page_bytes) --
 * ends the process with abort() when the host refuses it, before anything uses the NULL.
 * Not a kernel rule: the kernel's memmap and page frames exist before any of this runs; the
 * model allocates them lazily and has nothing sensible to go on with.
 *
 * Strategy: the executable's malloc, calloc and realloc go through tests/host_oom.c (linked
 * with --wrap); each test refuses the n-th host allocation of a call whose allocations are
 * known in order (whatever their sizes) and expects SIGABRT (a NULL written through instead
 * is a SIGSEGV, or a sanitizer's report and exit).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <signal.h>
#include <stdlib.h>

#include "../host_oom.h"
#include "models/mm.h"

static uint64_t vaddr(uint64_t pfn)
{
	return PAGE_OFFSET + (pfn << PAGE_SHIFT);
}

/* sim_mem_init: after freeing the old tables, the section table, then the reverse map.
 * Either refused, abort (the other one had or not). */
Test(memory_host_oom, no_section_table_aborts, .signal = SIGABRT)
{
	host_oom_arm(0, 0);
	sim_mem_init(7 * SECTION_PAGES);
	cr_fail("sim_mem_init went on without its section table (%u failed)", host_oom_failed());
}

Test(memory_host_oom, no_reverse_map_aborts, .signal = SIGABRT)
{
	host_oom_arm(0, 1);
	sim_mem_init(7 * SECTION_PAGES);
	cr_fail("sim_mem_init went on without its reverse map (%u failed)", host_oom_failed());
}

/* sim_mem_add_range: the first range makes the range table; refused, abort. */
Test(memory_host_oom, no_range_table_aborts, .signal = SIGABRT)
{
	sim_mem_init(SECTION_PAGES);
	host_oom_arm(0, 0);
	sim_mem_add_range(0, 100, 0, ZONE_NORMAL);
	cr_fail("sim_mem_add_range went on without its table (%u failed)", host_oom_failed());
}

/* pfn_to_page: a section's struct pages come at its first lookup; refused, abort. */
Test(memory_host_oom, no_struct_pages_aborts, .signal = SIGABRT)
{
	sim_mem_init(SECTION_PAGES);
	sim_mem_add_range(0, 100, 0, ZONE_NORMAL);
	host_oom_arm(0, 0);
	(void)pfn_to_page(5);
	cr_fail("pfn_to_page went on without the section's struct pages (%u failed)", host_oom_failed());
}

/* page_bytes: a section's contents table comes at its first write; refused, abort. */
Test(memory_host_oom, no_contents_table_aborts, .signal = SIGABRT)
{
	sim_mem_init(SECTION_PAGES);
	host_oom_arm(0, 0);
	sim_mem_write64(vaddr(3), 0x1122334455667788ULL);
	cr_fail("sim_mem_write64 went on without a contents table (%u failed)", host_oom_failed());
}

/* page_bytes: each written frame gets a PAGE_SIZE buffer; refused, abort.  The first write
 * has its table and buffer; the second frame's buffer, its one allocation, is refused. */
Test(memory_host_oom, no_page_buffer_aborts, .signal = SIGABRT)
{
	sim_mem_init(SECTION_PAGES);
	sim_mem_write64(vaddr(3), 1);
	cr_assert(eq(u64, sim_mem_read64(vaddr(3)), 1));
	host_oom_arm(0, 0);
	sim_mem_write64(vaddr(4), 2);
	cr_fail("sim_mem_write64 went on without a page buffer (%u failed)", host_oom_failed());
}

/* Armed and never reached: the write of an already written frame asks the host for nothing. */
Test(memory_host_oom, a_written_frame_asks_for_nothing)
{
	sim_mem_init(SECTION_PAGES);
	sim_mem_write64(vaddr(3), 1);
	host_oom_arm(0, 0);
	sim_mem_write64(vaddr(3), 2);
	host_oom_disarm();
	cr_expect(eq(u32, host_oom_failed(), 0));
	cr_expect(eq(u64, sim_mem_read64(vaddr(3)), 2));
	sim_mem_exit();
}
