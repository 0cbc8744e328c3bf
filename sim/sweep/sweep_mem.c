/*
 * sweep_mem.c - the sweep's heap, laid out so that its points fault in few pages.
 *
 * Every point runs in a forked worker that builds a whole machine (struct pages, slabs, the
 * database's page cache): some 2,000 pages of 4 KiB each touched for the first time, each one
 * a page fault, and on a virtual machine a page fault costs as much as tens of thousands of
 * instructions (measured: the faults were a third of a `--no-log` point's CPU time).  So
 * before the learning pass the sweep gives its heap a large top, marked for transparent huge
 * pages (MADV_HUGEPAGE, which the workers inherit across fork), and tells malloc to keep it
 * (no trimming) and to serve large blocks (the sections' struct pages) from it rather than
 * from their own mappings: a worker's untouched 2 MiB then comes in one fault.  Threads (the
 * trace's decoder, the learning pass's) allocate from the same heap (one arena), so that the
 * decoder's dictionary lies in huge pages too.
 *
 *
 * After the learning pass, before the fork, the heap is trimmed and its top given again
 * (sw_heap_refresh): the memory the pass used and freed would otherwise be handed out again
 * in each worker, and every first write to one of its pages is a copy-on-write fault (a copy
 * and a flush of the other CPUs' TLBs) instead of a fresh page.
 *
 * Nothing here reaches a result: only where blocks lie in memory changes.  When the kernel
 * gives no huge pages (THP off, no brk room), everything works as before, with small pages.
 */
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sweep_int.h"

#define SW_HEAP_TOP (512UL << 20)	/* bytes of heap reserved at once (virtual until touched) */
#define SW_HEAP_PAD (64UL << 20)	/* later growth, in steps of this much at least */
#define SW_MMAP_MIN (32UL << 20)	/* blocks below this come from the heap (glibc's maximum) */
#define SW_HUGE (2UL << 20)		/* a transparent huge page on x86-64 */

void sw_heap_prepare(void)
{
	uintptr_t lo, hi;
	void *p;

	if (!mallopt(M_TRIM_THRESHOLD, (int)(SW_HEAP_TOP * 2)) || !mallopt(M_MMAP_THRESHOLD, (int)SW_MMAP_MIN))
		return;
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_TOP_PAD, (int)SW_HEAP_TOP);
	lo = (uintptr_t)sbrk(0);
	p = malloc(SW_MMAP_MIN / 2);	/* more than the top holds: the heap grows by it and the pad */
	hi = (uintptr_t)sbrk(0);
	if (p)
		*(volatile char *)p = 0;	/* used: the compiler may not drop the pair */
	free(p);
	mallopt(M_TOP_PAD, (int)SW_HEAP_PAD);
	lo = (lo + SW_HUGE - 1) & ~(SW_HUGE - 1);
	if (hi > lo + SW_HUGE)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

void sw_heap_refresh(void)
{
	malloc_trim(0);		/* free pages back to the kernel, the top too (below the pad) */
	sw_heap_prepare();
}
