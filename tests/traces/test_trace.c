/*
 * test_trace.c - the ftrace kmem: text reader (traces/).
 *
 * Strategy: real lines copied from the shipped sample trace (a stock Debian
 * 6.1.192 kernel, shared/traces/debian-6.1.192-4cpu-2node/trace.txt.xz; the
 * line number in that file is given beside each) for every event type and
 * every flags variant it holds, each checked field by field; lines built
 * from the TP_printk formats of 5.10, 6.0 and 6.6 (reference §5.4) and from
 * trace-cmd report's layouts; gfp names <-> bits against models/mm.h;
 * compressed input; a table of malformed lines, each with its exact error
 * line; empty and binary input; a seeded mutation fuzz (run it under ASan);
 * and the whole sample against its event_counts.tsv (in the shared traces,
 * KMEMSIM_SHARED_TRACES; skipped visibly when absent).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/redirect.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../helpers.h"
#include "models/mm.h"
#include "traces/prefetch.h"
#include "traces/trace.h"

/* ---- helpers ---- */

static FILE *quiet(void)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	return null;
}

/* Open `text` (name "t.trace") and read its first event into *ev; returns next()'s code. */
static int first_event(struct sim_trace **r, const char *text, struct sim_trace_event *ev)
{
	struct sim_trace_opts opts = { .err = quiet(), .name = "t.trace" };

	cr_assert(eq(int, sim_trace_open_mem(r, NULL, text, strlen(text), &opts), 0));
	return sim_trace_next(*r, ev);
}

/* Parse a text that must hold exactly one kmem event; the reader stays open in *r. */
static void one_event(struct sim_trace **r, const char *text, struct sim_trace_event *ev)
{
	struct sim_trace_event more;

	cr_assert(eq(int, first_event(r, text, ev), 1), "%s", sim_trace_errmsg(*r));
	cr_assert(eq(int, sim_trace_next(*r, &more), 0), "%s", sim_trace_errmsg(*r));
}

/* The error line a text gives (strict mode); "" when it parses. */
static void error_of(const char *text, char *out, size_t size)
{
	struct sim_trace_opts opts = { .err = quiet(), .name = "t.trace" };
	struct sim_trace_event ev;
	struct sim_trace *r;
	int rc;

	cr_assert(eq(int, sim_trace_open_mem(&r, NULL, text, strlen(text), &opts), 0));
	while ((rc = sim_trace_next(r, &ev)) > 0)
		;
	snprintf(out, size, "%s", rc < 0 ? sim_trace_errmsg(r) : "");
	if (rc < 0)
		cr_assert(eq(int, rc, -SIM_EBADINPUT));
	sim_trace_close(r);
}

static uint64_t count_events(const void *data, size_t len, bool lenient, int *rc_out,
			     struct sim_trace **keep)
{
	struct sim_trace_opts opts = { .err = quiet(), .lenient = lenient, .name = "t.trace" };
	struct sim_trace_event ev;
	struct sim_trace *r;
	uint64_t n = 0;
	int rc;

	cr_assert(eq(int, sim_trace_open_mem(&r, NULL, data, len, &opts), 0));
	while ((rc = sim_trace_next(r, &ev)) > 0)
		n++;
	*rc_out = rc;
	if (keep)
		*keep = r;
	else
		sim_trace_close(r);
	return n;
}

/* ---- real lines of the shipped 6.1.192 trace, one per event type ---- */

Test(trace, real_kmalloc)
{
	/* trace.txt line 13 */
	const char *l = "          <idle>-0       [000] d..1.     0.562438: kmalloc: call_site=tracepoint_add_func+0xf7/0x3f0 ptr=ffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l, &ev);
	cr_assert(eq(int, ev.type, SIM_TRACE_KMALLOC));
	cr_assert(eq(i64, ev.line, 1));
	cr_assert(eq(str, ev.comm, "<idle>"));
	cr_assert(eq(int, ev.pid, 0));
	cr_assert(eq(int, ev.cpu, 0));
	cr_assert(eq(u64, ev.ts_ns, 562438000));
	cr_assert(eq(int, ev.context, SIM_TRACE_CTX_TASK));
	cr_assert(ev.irqs_off && !ev.bh_off && !ev.need_resched);
	cr_assert(eq(int, ev.preempt_depth, 1));
	cr_assert(eq(int, ev.migrate_disable, 0));
	cr_assert(eq(str, (char *)ev.call_sym, "tracepoint_add_func+0xf7/0x3f0"));
	cr_assert(eq(u64, ev.call_site, 0));
	cr_assert(eq(u64, ev.ptr, 0xffff88800ab40980ull));
	cr_assert(eq(u64, ev.bytes_req, 64));
	cr_assert(eq(u64, ev.bytes_alloc, 64));
	cr_assert(eq(u32, ev.gfp, GFP_KERNEL));
	cr_assert(eq(int, ev.node, -1));
	cr_assert(not(ev.accounted));
	cr_assert(eq(u32, ev.present, SIM_TRACE_HAS_FLAGS | SIM_TRACE_HAS_MIGRATE | SIM_TRACE_HAS_CALL_SYM |
		     SIM_TRACE_HAS_GFP | SIM_TRACE_HAS_NODE | SIM_TRACE_HAS_ACCOUNTED));
	sim_trace_close(r);
}

Test(trace, real_kmalloc_node_and_accounted)
{
	/* trace.txt lines 31 (node=0) and 385 (accounted=true) */
	const char *l31 = "          <idle>-0       [000] d..1.     0.564183: kmalloc: call_site=alloc_desc+0x35/0x250 ptr=ffff88800ab48e00 bytes_req=448 bytes_alloc=512 gfp_flags=GFP_KERNEL|__GFP_ZERO node=0 accounted=false\n";
	const char *l385 = "          <idle>-0       [000] ...1.     0.784134: kmalloc: call_site=__register_sysctl_table+0x61/0x600 ptr=ffff88800ab34a00 bytes_req=112 bytes_alloc=128 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l31, &ev);
	cr_assert(eq(int, ev.node, 0));
	cr_assert(eq(u64, ev.bytes_req, 448));
	cr_assert(eq(u64, ev.bytes_alloc, 512));
	cr_assert(eq(u32, ev.gfp, GFP_KERNEL | __GFP_ZERO));
	sim_trace_close(r);
	one_event(&r, l385, &ev);
	cr_assert(ev.accounted);
	cr_assert(not(ev.irqs_off));
	cr_assert(eq(u32, ev.gfp, GFP_KERNEL_ACCOUNT | __GFP_ZERO));
	sim_trace_close(r);
}

Test(trace, real_kmem_cache_alloc)
{
	/* trace.txt line 21 */
	const char *l = "          <idle>-0       [000] d..1.     0.563722: kmem_cache_alloc: call_site=__trace_define_field+0x33/0xc0 ptr=ffff88800ab99b28 bytes_req=56 bytes_alloc=56 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l, &ev);
	cr_assert(eq(int, ev.type, SIM_TRACE_KMEM_CACHE_ALLOC));
	cr_assert(eq(str, (char *)ev.call_sym, "__trace_define_field+0x33/0xc0"));
	cr_assert(eq(u64, ev.ptr, 0xffff88800ab99b28ull));
	cr_assert(eq(u64, ev.bytes_req, 56));
	cr_assert(eq(u32, ev.gfp, GFP_KERNEL | __GFP_ZERO));
	cr_assert(eq(ptr, (void *)ev.cache, NULL));
	sim_trace_close(r);
}

Test(trace, real_kfree)
{
	/* trace.txt lines 152 and 461 (kfree(NULL) is traced too) */
	const char *l152 = "          <idle>-0       [000] ...1.     0.585189: kfree: call_site=do_set_mempolicy+0xd0/0x150 ptr=ffff88800ab4b400\n";
	const char *l461 = "          <idle>-0       [000] ...1.     0.790786: kfree: call_site=ida_alloc_range+0x398/0x400 ptr=0000000000000000\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l152, &ev);
	cr_assert(eq(int, ev.type, SIM_TRACE_KFREE));
	cr_assert(eq(u64, ev.ptr, 0xffff88800ab4b400ull));
	cr_assert(eq(str, (char *)ev.call_sym, "do_set_mempolicy+0xd0/0x150"));
	cr_assert(eq(u64, ev.ts_ns, 585189000));
	sim_trace_close(r);
	one_event(&r, l461, &ev);
	cr_assert(eq(u64, ev.ptr, 0));
	cr_assert(eq(u32, ev.present & (SIM_TRACE_PTR_HASHED), 0));
	sim_trace_close(r);
}

Test(trace, real_kmem_cache_free)
{
	/* trace.txt line 1636 */
	const char *l = "          <idle>-0       [000] .N.1.     0.832235: kmem_cache_free: call_site=do_set_mempolicy+0x106/0x150 ptr=ffff88800aba0cc0 name=numa_policy\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l, &ev);
	cr_assert(eq(int, ev.type, SIM_TRACE_KMEM_CACHE_FREE));
	cr_assert(eq(str, (char *)ev.cache, "numa_policy"));
	cr_assert(eq(u64, ev.ptr, 0xffff88800aba0cc0ull));
	cr_assert(ev.need_resched && !ev.irqs_off);
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_CACHE, 0));
	sim_trace_close(r);
}

Test(trace, real_mm_page_alloc)
{
	/* trace.txt lines 65 (order-1 slab page) and 113 (gfp_flags=none) */
	const char *l65 = "          <idle>-0       [000] d..1.     0.564929: mm_page_alloc: page=ffffea00002ae680 pfn=0xab9a order=1 migratetype=0 gfp_flags=__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP\n";
	const char *l113 = "          <idle>-0       [000] d..1.     0.574221: mm_page_alloc: page=ffffea00002ae780 pfn=0xab9e order=0 migratetype=0 gfp_flags=none\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l65, &ev);
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_ALLOC));
	cr_assert(eq(u64, ev.page, 0xffffea00002ae680ull));
	cr_assert(eq(u64, ev.pfn, 0xab9a));
	cr_assert(eq(int, ev.order, 1));
	cr_assert(eq(int, ev.migratetype, MIGRATE_UNMOVABLE));
	cr_assert(eq(u32, ev.gfp, __GFP_NOWARN | __GFP_NORETRY | __GFP_COMP));
	sim_trace_close(r);
	one_event(&r, l113, &ev);
	cr_assert(eq(u32, ev.gfp, 0));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_GFP, 0));
	sim_trace_close(r);
}

Test(trace, real_page_events)
{
	/* trace.txt lines 308, 334405, 64, 354324, 592 */
	const char *text =
		"          <idle>-0       [000] ...1.     0.774754: mm_page_free: page=ffffea00000cc180 pfn=0x3306 order=0\n"
		"    kworker/u9:1-63      [000] ...2.     3.404541: mm_page_free_batched: page=ffffea00004573c0 pfn=0x115cf order=0\n"
		"          <idle>-0       [000] d..4.     0.564740: mm_page_alloc_zone_locked: page=ffffea00002ae680 pfn=0xab9a order=1 migratetype=0 percpu_refill=1\n"
		"     kworker/0:1-18      [000] d..2.     4.453900: mm_page_pcpu_drain: page=ffffea000134d000 pfn=0x4d340 order=0 migratetype=0\n"
		"          <idle>-0       [000] d..4.     0.793273: mm_page_alloc_extfrag: page=ffffea00002c0000 pfn=0xb000 alloc_order=0 fallback_order=10 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_FREE));
	cr_assert(eq(u64, ev.pfn, 0x3306));
	cr_assert(eq(u64, ev.page, 0xffffea00000cc180ull));
	cr_assert(eq(int, ev.percpu_refill, -1));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_FREE_BATCHED));
	cr_assert(eq(str, ev.comm, "kworker/u9:1"));
	cr_assert(eq(int, ev.pid, 63));
	cr_assert(eq(u64, ev.pfn, 0x115cf));
	cr_assert(eq(int, ev.preempt_depth, 2));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED));
	cr_assert(eq(int, ev.order, 1));
	cr_assert(eq(int, ev.percpu_refill, 1));
	cr_assert(eq(int, ev.preempt_depth, 4));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_PCPU_DRAIN));
	cr_assert(eq(str, ev.comm, "kworker/0:1"));
	cr_assert(eq(u64, ev.pfn, 0x4d340));
	cr_assert(eq(int, ev.migratetype, 0));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG));
	cr_assert(eq(u64, ev.pfn, 0xb000));
	cr_assert(eq(int, ev.order, 0));
	cr_assert(eq(int, ev.fallback_order, 10));
	cr_assert(eq(int, ev.migratetype, MIGRATE_UNMOVABLE));
	cr_assert(eq(int, ev.fallback_migratetype, MIGRATE_MOVABLE));
	cr_assert(not(ev.fragmenting));
	cr_assert(ev.change_ownership);
	cr_assert(eq(i64, ev.line, 5));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_events, 5));
	sim_trace_close(r);
}

/* Every flags column of the sample, with what it means. */
Test(trace, real_flag_variants)
{
	static const struct {
		int line;		/* in trace.txt */
		const char *text;
		int ctx, irqs_off, bh_off, resched, preempt;
	} cases[] = {
		{ 1665, "        kthreadd-2       [000] .....     0.834490: kfree: call_site=__set_cpus_allowed_ptr_locked+0x164/0x1b0 ptr=0000000000000000", SIM_TRACE_CTX_TASK, 0, 0, 0, 0 },
		{ 230617, "            init-1       [001] ..s..     2.637385: kmem_cache_free: call_site=put_pid.part.0+0x36/0x50 ptr=ffff888010c40700 name=pid", SIM_TRACE_CTX_SOFTIRQ, 0, 0, 0, 0 },
		{ 3233, "            init-1       [000] .Ns..     0.997509: kfree: call_site=free_event_rcu+0x30/0x50 ptr=0000000000000000", SIM_TRACE_CTX_SOFTIRQ, 0, 0, 1, 0 },
		{ 351622, "           mount-107     [003] dN.2.     4.333080: mm_page_alloc: page=ffffea000133fd00 pfn=0x4cff4 order=0 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_NOWARN|__GFP_NORETRY", SIM_TRACE_CTX_TASK, 1, 0, 1, 2 },
		{ 353584, "              ip-113     [002] b..1.     4.407437: kmem_cache_alloc: call_site=fib6_add_1.constprop.0+0x2d9/0x4f0 ptr=ffff88804c796100 bytes_req=128 bytes_alloc=128 gfp_flags=GFP_ATOMIC|__GFP_ZERO node=-1 accounted=true", SIM_TRACE_CTX_TASK, 0, 1, 0, 1 },
		{ 566316, "              nc-353     [001] b.s1.     8.383299: mm_page_alloc: page=ffffea0000437b80 pfn=0x10dee order=1 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP", SIM_TRACE_CTX_SOFTIRQ, 0, 1, 0, 1 },
		{ 611276, "              sh-403     [002] .n...    12.963021: kmem_cache_alloc: call_site=__d_alloc+0x29/0x1d0 ptr=ffff88804d853540 bytes_req=192 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true", SIM_TRACE_CTX_TASK, 0, 0, 1, 0 },
		{ 566283, "              nc-353     [003] bN.2.     8.360329: kmem_cache_alloc: call_site=__inet_hash_connect+0x540/0x7e0 ptr=ffff88804dc147c0 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_ATOMIC node=-1 accounted=true", SIM_TRACE_CTX_TASK, 0, 1, 1, 2 },
		{ 568157, "              nc-359     [003] d.s4.     8.790816: mm_page_alloc_zone_locked: page=ffffea00013c2e00 pfn=0x4f0b8 order=3 migratetype=0 percpu_refill=1", SIM_TRACE_CTX_SOFTIRQ, 1, 0, 0, 4 },
		{ 497495, "          logger-181     [001] ..s4.     6.833622: kmem_cache_free: call_site=rcu_do_batch+0x19a/0x540 ptr=ffff888011d83c00 name=maple_node", SIM_TRACE_CTX_SOFTIRQ, 0, 0, 0, 4 },
		{ 235565, "            init-1       [001] d..5.     2.729108: mm_page_alloc_zone_locked: page=ffffea0000440700 pfn=0x1101c order=2 migratetype=2 percpu_refill=1", SIM_TRACE_CTX_TASK, 1, 0, 0, 5 },
		{ 876730, "           <...>-1730    [000] .....    15.463215: mm_page_alloc: page=ffffea0000468b00 pfn=0x11a2c order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP", SIM_TRACE_CTX_TASK, 0, 0, 0, 0 },
		{ 320037, "     ksoftirqd/0-15      [000] ..s..     3.302053: kmem_cache_free: call_site=rcu_do_batch+0x19a/0x540 ptr=ffff88800ac0e000 name=dentry", SIM_TRACE_CTX_SOFTIRQ, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sim_trace_event ev;
		struct sim_trace *r;

		one_event(&r, cases[i].text, &ev);
		cr_assert(eq(int, ev.context, cases[i].ctx), "trace.txt:%d", cases[i].line);
		cr_assert(eq(int, ev.irqs_off, cases[i].irqs_off), "trace.txt:%d", cases[i].line);
		cr_assert(eq(int, ev.bh_off, cases[i].bh_off), "trace.txt:%d", cases[i].line);
		cr_assert(eq(int, ev.need_resched, cases[i].resched), "trace.txt:%d", cases[i].line);
		cr_assert(eq(int, ev.preempt_depth, cases[i].preempt), "trace.txt:%d", cases[i].line);
		cr_assert(eq(int, ev.migrate_disable, 0), "trace.txt:%d", cases[i].line);
		cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_MIGRATE, 0), "trace.txt:%d", cases[i].line);
		sim_trace_close(r);
	}
}

/* A 6.1 kernel printing raw pointers prints gfp_flags= and name= empty. */
Test(trace, real_empty_values)
{
	/* trace_header line 13 (the sample's first print, before the gfp names were filled in) */
	const char *l = "          <idle>-0       [000] d..1.     0.562438: kmalloc: call_site=tracepoint_add_func+0xf7/0x3f0 ptr=ffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags= node=-1 accounted=false\n";
	const char *l2 = "          <idle>-0       [000] .N.1.     0.832235: kmem_cache_free: call_site=do_set_mempolicy+0x106/0x150 ptr=ffff88800aba0cc0 name=\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, l, &ev);
	cr_assert(eq(u32, ev.gfp, 0));
	cr_assert(eq(u32, ev.present & SIM_TRACE_HAS_GFP, 0));
	cr_assert(eq(int, ev.node, -1));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_ACCOUNTED, 0));
	sim_trace_close(r);
	one_event(&r, l2, &ev);
	cr_assert(eq(ptr, (void *)ev.cache, NULL));
	cr_assert(eq(u32, ev.present & SIM_TRACE_HAS_CACHE, 0));
	sim_trace_close(r);
}

/* The file header, tracing_mark_write and other events are skipped and counted. */
Test(trace, real_header_and_skipped_events)
{
	/* trace.txt lines 1-13 (header), 367133 and 367146, then an rss_stat line (6.1 format) */
	const char *text =
		"# tracer: nop\n"
		"#\n"
		"# entries-in-buffer/entries-written: 1786898/1786898   #P:4\n"
		"#\n"
		"#                                _-----=> irqs-off/BH-disabled\n"
		"#                               / _----=> need-resched\n"
		"#                              | / _---=> hardirq/softirq\n"
		"#                              || / _--=> preempt-depth\n"
		"#                              ||| / _-=> migrate-disable\n"
		"#                              |||| /     delay\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |         |   |||||     |         |\n"
		"          <idle>-0       [000] d..1.     0.562438: kmalloc: call_site=tracepoint_add_func+0xf7/0x3f0 ptr=ffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
		"            init-1       [003] .....     4.723470: tracing_mark_write: HELDOUT_MARK SNAP0 BEGIN\n"
		"            init-1       [003] .....     4.724197: tracing_mark_write: HELDOUT_MARK SNAP0 proc/slabinfo\n"
		"            bash-977     [001] .....    12.000001: rss_stat: mm_id=2553421185 curr=1 type=MM_ANONPAGES size=1282048B\n";
	const struct sim_trace_stats *st;
	struct sim_trace_event ev;
	struct sim_trace *r;
	uint64_t count;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(i64, ev.line, 13));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	st = sim_trace_stats(r);
	cr_assert(eq(int, st->nr_cpus, 4));
	cr_assert(eq(u64, st->entries_written, 1786898));
	cr_assert(eq(u64, st->nr_comment, 12));
	cr_assert(eq(u64, st->nr_other, 3));
	cr_assert(eq(u64, st->nr_lines, 16));
	cr_assert(eq(int, sim_trace_nr_other_names(r), 2));
	cr_assert(eq(str, (char *)sim_trace_other_name(r, 0, &count), "tracing_mark_write"));
	cr_assert(eq(u64, count, 2));
	cr_assert(eq(str, (char *)sim_trace_other_name(r, 1, &count), "rss_stat"));
	cr_assert(eq(u64, count, 1));
	cr_assert(eq(str, (char *)st->compression, "none"));
	sim_trace_close(r);
}

/* ---- other kernels' layouts, built from their TP_printk formats ---- */

Test(trace, layout_5_10)
{
	/* 4-character flags; no node/accounted; _node events; kmem_cache_free without
	 * name; decimal pfn; hashed pointers (the default hash-ptr). */
	const char *text =
		"            bash-1234    [002] ....   812.345678: kmalloc: call_site=seq_read_iter+0x2c4/0x4a0 ptr=000000003f1c2a9b bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL\n"
		"          <idle>-0       [001] ..s1   812.345901: kmalloc_node: call_site=__alloc_skb+0x4e/0x1e0 ptr=00000000b7b04c1d bytes_req=232 bytes_alloc=256 gfp_flags=GFP_ATOMIC|__GFP_NOWARN node=-1\n"
		"          <idle>-0       [001] ..s1   812.345902: kmem_cache_alloc_node: call_site=__alloc_skb+0x3a/0x1e0 ptr=00000000aa5b5c5d bytes_req=232 bytes_alloc=256 gfp_flags=GFP_ATOMIC|__GFP_NOWARN node=1\n"
		"            bash-1234    [002] ....   812.345999: kmem_cache_free: call_site=__fput+0x101/0x250 ptr=00000000c0ffee11\n"
		"    kworker/u8:2-117     [000] d..1   812.346002: mm_page_alloc: page=00000000c2a4e1f0 pfn=1090496 order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY\n"
		"    kworker/u8:2-117     [000] d..2   812.346003: mm_page_alloc_zone_locked: page=00000000c2a4e1f0 pfn=1090496 order=0 migratetype=0 percpu_refill=1\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMALLOC));
	cr_assert(eq(u64, ev.ptr, 0x3f1c2a9b));
	cr_assert(ne(u32, ev.present & SIM_TRACE_PTR_HASHED, 0));
	cr_assert(eq(u32, ev.present & (SIM_TRACE_HAS_NODE | SIM_TRACE_HAS_ACCOUNTED | SIM_TRACE_HAS_MIGRATE), 0));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_FLAGS, 0));
	cr_assert(eq(int, ev.node, -1));
	cr_assert(eq(u64, ev.ts_ns, 812345678000ull));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMALLOC_NODE));
	cr_assert(eq(int, ev.context, SIM_TRACE_CTX_SOFTIRQ));
	cr_assert(eq(int, ev.preempt_depth, 1));
	cr_assert(eq(u32, ev.gfp, GFP_ATOMIC | __GFP_NOWARN));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_NODE, 0));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMEM_CACHE_ALLOC_NODE));
	cr_assert(eq(int, ev.node, 1));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMEM_CACHE_FREE));
	cr_assert(eq(ptr, (void *)ev.cache, NULL));
	cr_assert(eq(u64, ev.ptr, 0xc0ffee11));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_ALLOC));
	cr_assert(eq(u64, ev.pfn, 1090496));
	cr_assert(ev.irqs_off);

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED));
	cr_assert(eq(u64, ev.pfn, 1090496));
	cr_assert(eq(int, ev.percpu_refill, 1));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	sim_trace_close(r);
}

Test(trace, layout_6_0)
{
	/* 6.0: accounted= without node= on kmalloc; the _node events print both. */
	const char *text =
		"            bash-1234    [002] .....   812.345678: kmem_cache_alloc: call_site=getname_flags.part.0+0x2d/0x1d0 ptr=000000007a1b2c3d bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL accounted=false\n"
		"            bash-1234    [002] .....   812.345679: kmalloc_node: call_site=alloc_vmap_area+0x3c/0x880 ptr=000000001a2b3c4d bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=0 accounted=true\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_ACCOUNTED, 0));
	cr_assert(eq(u32, ev.present & (SIM_TRACE_HAS_NODE), 0));
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMALLOC_NODE));
	cr_assert(eq(int, ev.node, 0));
	cr_assert(ev.accounted);
	sim_trace_close(r);
}

Test(trace, layout_6_6)
{
	/* 6.6 prints the 6.1 layouts; its GFP_ATOMIC has no __GFP_ATOMIC bit but the
	 * name maps to 6.1's mask; __GFP_SKIP_KASAN is 6.3+; hardirq and NMI flags. */
	const char *text =
		"          <idle>-0       [003] d.h1.  1204.000100: kmalloc: call_site=__kmalloc_node_track_caller+0x5b/0x180 ptr=ffff9d2a81c3f000 bytes_req=512 bytes_alloc=512 gfp_flags=GFP_ATOMIC|__GFP_NOWARN node=-1 accounted=false\n"
		"          <idle>-0       [003] d.Z1.  1204.000200: kfree: call_site=kfree_skb_reason+0x4a/0x100 ptr=ffff9d2a81c3f000\n"
		"            bash-901     [000] ...1.  1204.000300: mm_page_alloc: page=ffffe5a4c4123400 pfn=0x1048d0 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_SKIP_KASAN\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(int, ev.context, SIM_TRACE_CTX_HARDIRQ));
	cr_assert(eq(u32, ev.gfp, GFP_ATOMIC | __GFP_NOWARN));
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.context, SIM_TRACE_CTX_NMI));
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(u32, ev.gfp, GFP_HIGHUSER_MOVABLE | ___GFP_SKIP_KASAN_UNPOISON | ___GFP_SKIP_KASAN_POISON));
	cr_assert(eq(int, ev.migratetype, MIGRATE_MOVABLE));
	sim_trace_close(r);
}

Test(trace, layout_after_6_6_names_the_cache_on_alloc)
{
	/* Later kernels (this line's layout is a 6.18 kernel's kmem_cache_alloc format)
	 * print name= right after ptr=; the name may also be empty. */
	const char *text =
		"            init-1       [000] .....    12.580408: kmem_cache_alloc: call_site=prepare_creds+0x21/0x260 ptr=ffff88801175b9c0 name=cred_jar bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true\n"
		"            init-1       [000] .....    12.580409: kmem_cache_alloc: call_site=prepare_creds+0x21/0x260 ptr=ffff88801175ba80 name= bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(int, ev.type, SIM_TRACE_KMEM_CACHE_ALLOC));
	cr_assert(eq(str, (char *)ev.cache, "cred_jar"));
	cr_assert(eq(u64, ev.bytes_req, 184));
	cr_assert(eq(u64, ev.bytes_alloc, 192));
	cr_assert(eq(u32, ev.gfp, GFP_KERNEL));
	cr_assert(ev.accounted);
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(ptr, (void *)ev.cache, NULL));
	cr_assert(eq(u64, ev.bytes_alloc, 192));
	sim_trace_close(r);
}

Test(trace, trace_cmd_report)
{
	/* tracecmd/trace-read.c: "%16s-%-5d [%03d]" " %6.1000d:" " %s: " padded to 20;
	 * libtraceevent prints %pS as "func+0x12" or "0xaddr", %p as "0x..." or "(nil)". */
	const char *text =
		"cpus=4\n"
		"          <idle>-0     [000]     0.562438: kmalloc:              call_site=tracepoint_add_func+0xf7 ptr=0xffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
		"            init-1     [003]     4.723470: kfree:                call_site=0xffffffff812a4c30 ptr=(nil)\n"
		"          <idle>-0     [000]     0.564929123: mm_page_alloc:        page=0xab9a pfn=0xab9a order=1 migratetype=0 gfp_flags=__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP\n"
		"CPU 2 is empty\n"
		"  <idle>-0         0d..1.     0.562945: kmalloc:              call_site=tracepoint_add_func+0xf7 (0xffffffff811b2c37) ptr=0xffff88800ab40d00 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1), "%s", sim_trace_errmsg(r));
	cr_assert(eq(int, sim_trace_stats(r)->nr_cpus, 4));
	cr_assert(eq(str, (char *)ev.call_sym, "tracepoint_add_func+0xf7"));
	cr_assert(eq(u64, ev.ptr, 0xffff88800ab40980ull));
	cr_assert(eq(u32, ev.present & (SIM_TRACE_HAS_FLAGS), 0));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(u64, ev.call_site, 0xffffffff812a4c30ull));
	cr_assert(eq(ptr, (void *)ev.call_sym, NULL));
	cr_assert(eq(u64, ev.ptr, 0));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(u64, ev.ts_ns, 564929123));
	cr_assert(eq(u64, ev.page, 0xab9a));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1), "%s", sim_trace_errmsg(r));
	cr_assert(eq(str, ev.comm, "<idle>"));
	cr_assert(eq(int, ev.cpu, 0));
	cr_assert(ev.irqs_off);
	cr_assert(eq(int, ev.preempt_depth, 1));
	cr_assert(eq(str, (char *)ev.call_sym, "tracepoint_add_func+0xf7"));
	cr_assert(eq(u64, ev.call_site, 0xffffffff811b2c37ull));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_comment, 2));
	sim_trace_close(r);
}

Test(trace, line_variants)
{
	/* noirq-info, record-tgid, comms with spaces and dashes, an unpadded comm,
	 * module symbols, bare-hex call sites (before 5.5), CRLF, no final newline. */
	const char *text =
		"            bash-1234    [002]   812.345678: kfree: call_site=kvfree+0x2c/0x40 ptr=ffff888004d3e000\n"
		"            bash-1234    (   1230) [002] d..1.   812.345679: kfree: call_site=kvfree+0x2c/0x40 ptr=ffff888004d3e000\n"
		"     Web Content-4321    (-------) [001] .....   812.345680: kfree: call_site=ext4_fill_super+0x1d2/0x2b80 [ext4] ptr=ffff888004d3e100\n"
		"      gnome-sh-ll-77     [001] .....   812.345681: kfree: call_site=ffffffff81234567 ptr=ffff888004d3e200\r\n"
		"bash-1234 [002] ..... 812.345682: kfree: call_site=kvfree+0x2c/0x40 ptr=ffff888004d3e300";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(u32, ev.present & (SIM_TRACE_HAS_FLAGS), 0));
	cr_assert(eq(int, ev.context, SIM_TRACE_CTX_TASK));
	cr_assert(eq(int, ev.tgid, -1));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, ev.tgid, 1230));
	cr_assert(eq(int, ev.pid, 1234));
	cr_assert(ev.irqs_off);

	cr_assert(eq(int, sim_trace_next(r, &ev), 1), "%s", sim_trace_errmsg(r));
	cr_assert(eq(str, ev.comm, "Web Content"));
	cr_assert(eq(int, ev.pid, 4321));
	cr_assert(eq(int, ev.tgid, -1));
	cr_assert(ne(u32, ev.present & SIM_TRACE_HAS_TGID, 0));
	cr_assert(eq(str, (char *)ev.call_sym, "ext4_fill_super+0x1d2/0x2b80 [ext4]"));
	cr_assert(eq(u64, ev.ptr, 0xffff888004d3e100ull));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(str, ev.comm, "gnome-sh-ll"));
	cr_assert(eq(int, ev.pid, 77));
	cr_assert(eq(u64, ev.call_site, 0xffffffff81234567ull));
	cr_assert(eq(u64, ev.ptr, 0xffff888004d3e200ull));

	cr_assert(eq(int, sim_trace_next(r, &ev), 1), "%s", sim_trace_errmsg(r));
	cr_assert(eq(str, ev.comm, "bash"));
	cr_assert(eq(u64, ev.ptr, 0xffff888004d3e300ull));
	cr_assert(eq(u64, ev.ts_ns, 812345682000ull));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	sim_trace_close(r);
}

Test(trace, timestamps_exact)
{
	static const struct { const char *ts; uint64_t ns; bool raw; } cases[] = {
		{ "0.000001", 1000, false },
		{ "12345.678901", 12345678901000ull, false },
		{ "4294967296.999999", 4294967296999999000ull, false },
		{ "17.123456789", 17123456789ull, false },		/* trace-cmd -t */
		{ "17.5", 17500000000ull, false },
		{ "123456789012", 123456789012ull, true },		/* counter clock */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[256];
		struct sim_trace_event ev;
		struct sim_trace *r;

		snprintf(line, sizeof(line), "            bash-1234    [002] ..... %s: kfree: call_site=kvfree+0x2c/0x40 ptr=0\n",
			 cases[i].ts);
		one_event(&r, line, &ev);
		cr_assert(eq(u64, ev.ts_ns, cases[i].ns), "%s", cases[i].ts);
		cr_assert(eq(int, !!(ev.present & SIM_TRACE_TS_RAW), cases[i].raw), "%s", cases[i].ts);
		sim_trace_close(r);
	}
}

Test(trace, hashed_and_raw_pointers)
{
	struct sim_trace_event ev;
	struct sim_trace *r;

	one_event(&r, "            bash-1234    [002] .....   1.000000: kfree: call_site=kvfree+0x2c/0x40 ptr=00000000dead0001\n", &ev);
	cr_assert(ne(u32, ev.present & SIM_TRACE_PTR_HASHED, 0));
	cr_assert(eq(u64, ev.ptr, 0xdead0001));
	sim_trace_close(r);
	one_event(&r, "            bash-1234    [002] .....   1.000000: kfree: call_site=kvfree+0x2c/0x40 ptr=ffff888004d3e000\n", &ev);
	cr_assert(eq(u32, ev.present & (SIM_TRACE_PTR_HASHED), 0));
	sim_trace_close(r);
	one_event(&r, "            bash-1234    [002] .....   1.000000: mm_page_free: page=(null) pfn=0x0 order=0\n", &ev);
	cr_assert(eq(u64, ev.page, 0));
	sim_trace_close(r);
}

Test(trace, lost_events)
{
	const char *text =
		"CPU:2 [LOST 1234 EVENTS]\n"
		"##### CPU 3 buffer started ####\n"
		"CPU:1 [56 EVENTS DROPPED]\n"
		"            bash-1234    [002] .....   1.000000: kfree: call_site=kvfree+0x2c/0x40 ptr=0\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, first_event(&r, text, &ev), 1));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_lost, 1290));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_lost_marks, 2));
	cr_assert(eq(i64, ev.line, 4));
	sim_trace_close(r);
}

/* Lines of other tracers and odd comments are counted, not errors. */
Test(trace, other_tracer_lines)
{
	const char *text =
		"#  my-notes:-1234 [000] looks like an event\n"
		"            bash-1234    [002] .....   812.345678: do_sys_openat2 <-__x64_sys_openat\n"
		"            bash-1234    [002] .....   812.345679: sched_switch: prev_comm=bash prev_pid=1234 ==> next_comm=swapper/2\n"
		"            bash-1234    [002] .....   812.345680: kfree: call_site=kvfree+0x2c/0x40 ptr=0\n";
	struct sim_trace_event ev;
	struct sim_trace *r;
	uint64_t count;

	cr_assert(eq(int, first_event(&r, text, &ev), 1), "%s", sim_trace_errmsg(r));
	cr_assert(eq(i64, ev.line, 4));
	cr_assert(eq(int, sim_trace_nr_other_names(r), 2));
	cr_assert(eq(str, (char *)sim_trace_other_name(r, 0, &count), "do_sys_openat2"));
	cr_assert(eq(str, (char *)sim_trace_other_name(r, 1, &count), "sched_switch"));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_comment, 1));
	sim_trace_close(r);
}

/* ---- gfp ---- */

Test(trace, gfp_names_and_hex)
{
	static const struct { const char *text; uint32_t gfp; } ok[] = {
		{ "GFP_KERNEL", GFP_KERNEL },
		{ "GFP_KERNEL|__GFP_ZERO", GFP_KERNEL | __GFP_ZERO },
		{ "GFP_KERNEL_ACCOUNT", GFP_KERNEL_ACCOUNT },
		{ "GFP_ATOMIC|__GFP_NOWARN", GFP_ATOMIC | __GFP_NOWARN },
		{ "GFP_NOWAIT|__GFP_NOWARN", GFP_NOWAIT | __GFP_NOWARN },
		{ "GFP_NOFS", GFP_NOFS },
		{ "GFP_NOIO", GFP_NOIO },
		{ "GFP_USER", GFP_USER },
		{ "GFP_HIGHUSER", GFP_HIGHUSER },
		{ "GFP_HIGHUSER_MOVABLE|__GFP_COMP", GFP_HIGHUSER_MOVABLE | __GFP_COMP },
		{ "GFP_TRANSHUGE", GFP_TRANSHUGE },
		{ "GFP_TRANSHUGE_LIGHT", GFP_TRANSHUGE_LIGHT },
		{ "GFP_DMA", GFP_DMA },
		{ "GFP_DMA32", GFP_DMA32 },
		{ "__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC",
		  __GFP_IO | __GFP_FS | __GFP_NOWARN | __GFP_NORETRY | __GFP_COMP | __GFP_NOMEMALLOC },
		{ "__GFP_RECLAIM|__GFP_HARDWALL|__GFP_THISNODE|__GFP_ACCOUNT|__GFP_WRITE",
		  __GFP_RECLAIM | __GFP_HARDWALL | __GFP_THISNODE | __GFP_ACCOUNT | __GFP_WRITE },
		{ "__GFP_NOFAIL|__GFP_MEMALLOC|__GFP_RECLAIMABLE|__GFP_MOVABLE|__GFP_HIGH|__GFP_ATOMIC",
		  __GFP_NOFAIL | __GFP_MEMALLOC | __GFP_RECLAIMABLE | __GFP_MOVABLE | __GFP_HIGH | __GFP_ATOMIC },
		{ "__GFP_DIRECT_RECLAIM|__GFP_KSWAPD_RECLAIM|__GFP_ZEROTAGS|__GFP_HIGHMEM",
		  __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM | ___GFP_ZEROTAGS | __GFP_HIGHMEM },
		{ "0xcc0", GFP_KERNEL },
		{ "0x400CC0", GFP_KERNEL_ACCOUNT },
		{ "GFP_KERNEL|0x4000000", GFP_KERNEL | ___GFP_SKIP_KASAN_POISON },
		{ "none", 0 },
		{ "", 0 },
	};
	static const char *const bad[] = { "GFP_FOO", "GFP_KERNEL|", "|GFP_KERNEL", "GFP_KERNEL||__GFP_ZERO",
					   "0x", "0xcg0", "0x123456789", "gfp_kernel" };
	size_t i;
	uint32_t gfp;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert(eq(int, sim_trace_parse_gfp(ok[i].text, strlen(ok[i].text), &gfp), 0), "%s", ok[i].text);
		cr_assert(eq(u32, gfp, ok[i].gfp), "%s", ok[i].text);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(eq(int, sim_trace_parse_gfp(bad[i], strlen(bad[i]), &gfp), -1), "%s", bad[i]);
}

Test(trace, gfp_format_as_the_kernel)
{
	static const char *const printed[] = {	/* as they appear in the sample trace */
		"GFP_KERNEL", "GFP_KERNEL|__GFP_ZERO", "GFP_HIGHUSER_MOVABLE|__GFP_COMP",
		"GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_ZERO", "GFP_KERNEL_ACCOUNT|__GFP_ZERO",
		"GFP_NOWAIT|__GFP_NOWARN", "GFP_NOFS|__GFP_ZERO", "GFP_ATOMIC",
		"GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE",
		"__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_RECLAIMABLE",
		"GFP_NOWAIT|__GFP_NOWARN|__GFP_ACCOUNT", "GFP_HIGHUSER|__GFP_ACCOUNT",
		"GFP_NOIO|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_NORETRY", "GFP_USER|__GFP_ZERO",
		"GFP_NOWAIT|__GFP_IO|__GFP_FS", "__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP", "GFP_DMA32", "GFP_DMA", "none",
	};
	char buf[512];
	size_t i;
	uint32_t gfp;

	for (i = 0; i < sizeof(printed) / sizeof(printed[0]); i++) {
		cr_assert(eq(int, sim_trace_parse_gfp(printed[i], strlen(printed[i]), &gfp), 0));
		sim_trace_format_gfp(gfp, buf, sizeof(buf));
		cr_assert(eq(str, buf, (char *)printed[i]));
	}
	sim_trace_format_gfp(GFP_KERNEL | ___GFP_SKIP_ZERO, buf, sizeof(buf));
	cr_assert(eq(str, buf, "GFP_KERNEL|0x1000000"));
	cr_assert(eq(sz, sim_trace_format_gfp(GFP_KERNEL, buf, 4), strlen("GFP_KERNEL")));
	cr_assert(eq(str, buf, "GFP"));
}

/* ---- bad input ---- */

#define HDR "            bash-1234    [002] .....   812.345678: "

Test(trace, malformed_lines)
{
	static const struct { const char *text, *err; } cases[] = {
		{ HDR "kmalloc: call_site=kvmalloc_node+0x43/0xd0 ptr=ffff888004d3e000 bytes_req=64\n",
		  "t.trace:1: kmalloc: bytes_alloc: expected \"bytes_alloc=\" after bytes_req, got end of line" },
		{ HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=ffff8880zzzz\n",
		  "t.trace:1: kfree: ptr: expected a hexadecimal pointer (up to 16 digits) or (null), got \"ffff8880zzzz\"" },
		{ HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=ffff888004d3e0001\n",
		  "t.trace:1: kfree: ptr: expected a hexadecimal pointer (up to 16 digits) or (null), got \"ffff888004d3e0001\"" },
		{ HDR "kmalloc: foo=1 call_site=kvmalloc_node+0x43/0xd0\n",
		  "t.trace:1: kmalloc: call_site: expected \"call_site=\" first, got \"foo=1\"" },
		{ HDR "kmalloc: call_site=a+0x1/0x2 ptr=0 bytes_req=12x bytes_alloc=16 gfp_flags=GFP_KERNEL\n",
		  "t.trace:1: kmalloc: bytes_req: expected a decimal number, got \"12x\"" },
		{ HDR "kmalloc: call_site=a+0x1/0x2 ptr=0 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false extra=1\n",
		  "t.trace:1: kmalloc: extra: expected end of line after accounted, got \"extra=1\"" },
		{ HDR "kmalloc: call_site=a+0x1/0x2 ptr=0 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNAL node=-1 accounted=false\n",
		  "t.trace:1: kmalloc: gfp_flags: expected GFP flag names joined by '|', a 0x mask, or nothing, got \"GFP_KERNAL\"" },
		{ HDR "kmalloc: call_site=a+0x1/0x2 ptr=0 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=maybe\n",
		  "t.trace:1: kmalloc: accounted: expected true or false, got \"maybe\"" },
		{ HDR "kmalloc_node: call_site=a+0x1/0x2 ptr=0 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
		  "t.trace:1: kmalloc_node: node: expected \"node=\" after gfp_flags, got end of line" },
		{ HDR "kmalloc: call_site=a+0x1/0x2 ptr=0 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=x\n",
		  "t.trace:1: kmalloc: node: expected a decimal integer, got \"x\"" },
		{ HDR "kfree: call_site= ptr=0\n",
		  "t.trace:1: kfree: call_site: expected a symbol like func+0x12/0x40 or an address, got \"\"" },
		{ HDR "mm_page_alloc: page=ffffea00002ae680 pfn=0xzz order=1 migratetype=0 gfp_flags=GFP_KERNEL\n",
		  "t.trace:1: mm_page_alloc: pfn: expected a page frame number (0x... or decimal), got \"0xzz\"" },
		{ HDR "mm_page_alloc: page=ffffea00002ae680 pfn=0xab9a order=1 gfp_flags=GFP_KERNEL\n",
		  "t.trace:1: mm_page_alloc: migratetype: expected \"migratetype=\" after order, got \"gfp_flags=GFP_KERNEL\"" },
		{ HDR "mm_page_alloc_extfrag: page=ffffea00002c0000 pfn=0xb000 alloc_order=0 fallback_order=99999999999\n",
		  "t.trace:1: mm_page_alloc_extfrag: fallback_order: expected a 32-bit integer, got \"99999999999\"" },
		{ "            bash-1234    [002] dz..1   812.345678: kfree: call_site=a+0x1/0x2 ptr=0\n",
		  "t.trace:1: line: flags: expected 4 or 5 irq-info characters like \"d..1.\", got \"dz..1\"" },
		{ "            bash-1234    [002] .....   812.34x678: kfree: call_site=a+0x1/0x2 ptr=0\n",
		  "t.trace:1: line: timestamp: expected SECONDS.FRACTION followed by ':', got \"812.34x678:\"" },
		{ "            bash-1234    [00x] .....   812.345678: kfree: call_site=a+0x1/0x2 ptr=0\n",
		  "t.trace:1: line: cpu: expected \"[CPU]\" after TASK-PID, got \"[00x]\"" },
		{ "            bash-12a4    [002] .....   812.345678: kfree: call_site=a+0x1/0x2 ptr=0\n",
		  "t.trace:1: line: cpu: expected \"[CPU]\" after TASK-PID, got \"a4\"" },
		{ "            bash-1234    [002] .....   812.345678:\n",
		  "t.trace:1: line: event: expected \"EVENT: \" after the timestamp, got end of line" },
		{ "# tracer: nop\nhello world\n",
		  "t.trace:2: line: task: expected \"TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS\", got \"hello\"" },
		{ "\x01\x02\x03garbage\x7f\n",
		  "t.trace:1: line: task: expected \"TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS\", got \"\\x01\\x02\\x03garbage\\x7f\"" },
	};
	char got[1024];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		error_of(cases[i].text, got, sizeof(got));
		cr_assert(eq(str, got, (char *)cases[i].err), "case %zu", i);
	}
}

Test(trace, error_line_on_stderr_and_sticky, .init = cr_redirect_stderr)
{
	const char *text = HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=ffff8880zzzz\n" HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=0\n";
	struct sim_trace_event ev;
	struct sim_trace *r;

	cr_assert(eq(int, sim_trace_open_mem(&r, "boot.trace", text, strlen(text), NULL), 0));
	cr_assert(eq(int, sim_trace_next(r, &ev), -SIM_EBADINPUT));
	cr_assert(eq(int, sim_trace_next(r, &ev), -SIM_EBADINPUT));	/* stays failed */
	sim_trace_close(r);
	fflush(stderr);
	cr_assert_stderr_eq_str("boot.trace:1: kfree: ptr: expected a hexadecimal pointer (up to 16 digits) or (null), got \"ffff8880zzzz\"\n");
}

Test(trace, lenient_skips_counts_and_keeps)
{
	char text[8192];
	size_t n = 0;
	int i, rc;
	struct sim_trace *r;

	for (i = 0; i < 12; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=%s\n",
				      i % 2 ? "0" : "zz");
	}
	cr_assert(eq(u64, count_events(text, n, true, &rc, &r), 6));
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_bad, 6));
	cr_assert(eq(int, sim_trace_nr_bad_kept(r), 6));
	cr_assert(eq(str, (char *)sim_trace_bad_msg(r, 1),
		     "t.trace:3: kfree: ptr: expected a hexadecimal pointer (up to 16 digits) or (null), got \"zz\""));
	sim_trace_close(r);

	/* More bad lines than are kept. */
	n = 0;
	for (i = 0; i < 20; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "junk %d\n", i);
	cr_assert(eq(u64, count_events(text, n, true, &rc, &r), 0));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_bad, 20));
	cr_assert(eq(int, sim_trace_nr_bad_kept(r), SIM_TRACE_KEEP_BAD));
	cr_assert(eq(ptr, (void *)sim_trace_bad_msg(r, SIM_TRACE_KEEP_BAD), NULL));
	sim_trace_close(r);
}

Test(trace, long_line)
{
	size_t len = 200000;
	char *text = malloc(len + 200);
	struct sim_trace *r;
	char got[1024];
	int rc;

	cr_assert(not(eq(ptr, text, NULL)));
	memset(text, 'a', len);
	strcpy(text + len, "\n" HDR "kfree: call_site=kvfree+0x2c/0x40 ptr=0\n");
	error_of(text, got, sizeof(got));
	cr_assert(eq(str, got, "t.trace:1: line: length: expected a line shorter than 65536 bytes"));
	cr_assert(eq(u64, count_events(text, strlen(text), true, &rc, &r), 1));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_bad, 1));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_lines, 2));
	sim_trace_close(r);
	free(text);
}

Test(trace, empty_input)
{
	struct sim_trace_opts opts = { .err = quiet(), .name = "e.trace" };
	struct sim_trace_event ev;
	struct sim_trace *r;
	int rc;

	cr_assert(eq(int, sim_trace_open_mem(&r, NULL, "", 0, &opts), 0));
	cr_assert(eq(int, sim_trace_next(r, &ev), -SIM_EBADINPUT));
	cr_assert(eq(str, (char *)sim_trace_errmsg(r), "e.trace:0: input: expected ftrace text, got an empty file"));
	sim_trace_close(r);
	cr_assert(eq(u64, count_events("", 0, true, &rc, NULL), 0));
	cr_assert(eq(int, rc, 0));
	/* A header without events is a trace with no events, not an error. */
	cr_assert(eq(u64, count_events("# tracer: nop\n#\n", 16, false, &rc, NULL), 0));
	cr_assert(eq(int, rc, 0));
}

/* Open `data` and return the message of a failed open ("" when it opens). */
static void open_error(const void *data, size_t len, char *out, size_t size)
{
	char *msg = NULL;
	size_t mlen = 0;
	FILE *err = open_memstream(&msg, &mlen);
	struct sim_trace_opts opts = { .err = err, .name = "b.trace" };
	struct sim_trace *r;
	int rc = sim_trace_open_mem(&r, NULL, data, len, &opts);

	fclose(err);
	snprintf(out, size, "%s", msg);
	free(msg);
	if (rc == 0)
		sim_trace_close(r);
	else
		cr_assert(eq(int, rc, SIM_EBADINPUT));
}

Test(trace, binary_and_foreign_input)
{
	static const unsigned char dat[] = "\x17\x08\x44tracing6\0\0\0";
	static const unsigned char zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00 };
	unsigned char junk[4096];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char got[512];
	size_t i;

	open_error(dat, sizeof(dat), got, sizeof(got));
	cr_assert(eq(str, got, "b.trace:0: input: expected ftrace text, got a trace-cmd trace.dat file (run `trace-cmd report` on it and read its output)\n"));
	open_error(zst, sizeof(zst), got, sizeof(got));
	cr_assert(eq(str, got, "b.trace:0: input: expected ftrace text, got zstd-compressed data (decompress it, or recompress with xz or gzip)\n"));
	for (i = 0; i < sizeof(junk); i++) {		/* seeded xorshift bytes */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		junk[i] = (unsigned char)x;
	}
	junk[100] = 0;
	open_error(junk, sizeof(junk), got, sizeof(got));
	cr_assert(eq(str, got, "b.trace:0: input: expected ftrace text, got binary data (a NUL byte in the first 4 KiB)\n"));
}

/* Mutated real lines: every outcome is an event, a count or an error line, never a crash. */
Test(trace, fuzz_mutated_lines)
{
	static const char *const seeds[] = {
		"          <idle>-0       [000] d..1.     0.562438: kmalloc: call_site=tracepoint_add_func+0xf7/0x3f0 ptr=ffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false",
		"          <idle>-0       [000] .N.1.     0.832235: kmem_cache_free: call_site=do_set_mempolicy+0x106/0x150 ptr=ffff88800aba0cc0 name=numa_policy",
		"          <idle>-0       [000] d..4.     0.793273: mm_page_alloc_extfrag: page=ffffea00002c0000 pfn=0xb000 alloc_order=0 fallback_order=10 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1",
		"     Web Content-4321    (-------) [001] .....   812.345680: kfree: call_site=ext4_fill_super+0x1d2/0x2b80 [ext4] ptr=ffff888004d3e100",
		"  <idle>-0         0d..1.     0.562945: kmalloc:              call_site=tracepoint_add_func+0xf7 (0xffffffff811b2c37) ptr=0xffff88800ab40d00 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false",
	};
	static const char alphabet[] = " -=[]():.|x0f9_\x01\xff";
	uint64_t x = 42, total = 0;
	char *text = malloc(1 << 20);
	size_t n = 0;
	int i, rc;
	struct sim_trace *r;

	cr_assert(not(eq(ptr, text, NULL)));
	for (i = 0; i < 3000; i++) {
		const char *s = seeds[i % 5];
		size_t len = strlen(s), k, m;

		memcpy(text + n, s, len);
		for (k = 0; k < (size_t)(1 + i % 4); k++) {	/* 1-4 edits: replace, cut */
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			m = (size_t)(x >> 8) % len;
			if (x & 1)
				text[n + m] = alphabet[(x >> 40) % (sizeof(alphabet) - 1)];
			else if (k == 0)
				len = m + 1;
		}
		n += len;
		text[n++] = '\n';
	}
	total = count_events(text, n, true, &rc, &r);
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(u64, total + sim_trace_stats(r)->nr_bad + sim_trace_stats(r)->nr_other +
		     sim_trace_stats(r)->nr_comment + sim_trace_stats(r)->nr_lost_marks, 3000));
	cr_assert(lt(u64, 0, total));
	cr_assert(lt(u64, 0, sim_trace_stats(r)->nr_bad));
	sim_trace_close(r);
	free(text);
}

/* ---- compressed input, files and stdin ---- */

static const char small_trace[] =
	"# tracer: nop\n"
	"          <idle>-0       [000] d..1.     0.562438: kmalloc: call_site=tracepoint_add_func+0xf7/0x3f0 ptr=ffff88800ab40980 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
	"          <idle>-0       [000] ...1.     0.585189: kfree: call_site=do_set_mempolicy+0xd0/0x150 ptr=ffff88800ab4b400\n";

static size_t gzip_of(const char *text, unsigned char *out, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	cr_assert(eq(int, deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK));
	z.next_in = (unsigned char *)(uintptr_t)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	cr_assert(eq(int, deflate(&z, Z_FINISH), Z_STREAM_END));
	deflateEnd(&z);
	return cap - z.avail_out;
}

static size_t xz_of(const char *text, unsigned char *out, size_t cap)
{
	size_t pos = 0;

	cr_assert(eq(int, lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)text,
						  strlen(text), out, &pos, cap), LZMA_OK));
	return pos;
}

Test(trace, gzip_and_xz)
{
	unsigned char buf[8192];
	size_t n, m;
	struct sim_trace *r;
	char got[512];
	int rc;

	n = gzip_of(small_trace, buf, sizeof(buf));
	cr_assert(eq(u64, count_events(buf, n, false, &rc, &r), 2));
	cr_assert(eq(str, (char *)sim_trace_stats(r)->compression, "gzip"));
	cr_assert(eq(u64, sim_trace_stats(r)->nr_lines, 3));
	sim_trace_close(r);
	/* Two gzip members, as `cat a.gz b.gz` makes. */
	m = gzip_of(small_trace, buf + n, sizeof(buf) - n);
	cr_assert(eq(u64, count_events(buf, n + m, false, &rc, NULL), 4));
	cr_assert(eq(int, rc, 0));

	n = xz_of(small_trace, buf, sizeof(buf));
	cr_assert(eq(u64, count_events(buf, n, false, &rc, &r), 2));
	cr_assert(eq(str, (char *)sim_trace_stats(r)->compression, "xz"));
	sim_trace_close(r);
	/* Truncated and corrupt xz: the text decoded before the damage comes first. */
	count_events(buf, n - 10, false, &rc, &r);
	cr_assert(eq(int, rc, -SIM_EBADINPUT));
	cr_assert(eq(str, (char *)sim_trace_errmsg(r), "t.trace:4: input: xz: compressed data ends early (truncated file?)"));
	sim_trace_close(r);
	buf[n / 2] ^= 0x55;
	count_events(buf, n, false, &rc, &r);
	cr_assert(eq(int, rc, -SIM_EBADINPUT));
	snprintf(got, sizeof(got), "%s", sim_trace_errmsg(r));
	cr_assert(not(eq(ptr, strstr(got, ": input: xz: compressed data is corrupt ("), NULL)), "%s", got);
	sim_trace_close(r);
}

/* Files (plain and compressed), a missing file and stdin ("-"). */
Test(trace, files_and_stdin)
{
	char *dir = helper_tmpdir(), path[256];
	unsigned char buf[8192];
	struct sim_trace_opts opts = { .err = quiet() };
	struct sim_trace_event ev;
	struct sim_trace *r;
	FILE *f;
	size_t n;
	int k;

	for (k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/t%d", dir, k);
		f = fopen(path, "wb");
		if (k == 0)
			fwrite(small_trace, 1, strlen(small_trace), f);
		else {
			n = k == 1 ? gzip_of(small_trace, buf, sizeof(buf)) : xz_of(small_trace, buf, sizeof(buf));
			fwrite(buf, 1, n, f);
		}
		fclose(f);
		cr_assert(eq(int, sim_trace_open(&r, path, &opts), 0));
		cr_assert(eq(int, sim_trace_next(r, &ev), 1));
		cr_assert(eq(u64, ev.ptr, 0xffff88800ab40980ull));
		cr_assert(eq(int, sim_trace_next(r, &ev), 1));
		cr_assert(eq(int, sim_trace_next(r, &ev), 0));
		sim_trace_close(r);
	}
	/* stdin: the gzip file. */
	snprintf(path, sizeof(path), "%s/t1", dir);
	cr_assert(not(eq(ptr, freopen(path, "rb", stdin), NULL)));
	cr_assert(eq(int, sim_trace_open(&r, "-", &opts), 0));
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, sim_trace_next(r, &ev), 1));
	cr_assert(eq(int, sim_trace_next(r, &ev), 0));
	sim_trace_close(r);
	helper_rmtree(dir);

	{
		char *msg = NULL;
		size_t mlen = 0;
		FILE *err = open_memstream(&msg, &mlen);
		struct sim_trace_opts o = { .err = err };

		cr_assert(eq(int, sim_trace_open(&r, "/nonexistent/x.trace", &o), SIM_EBADINPUT));
		cr_assert(eq(ptr, r, NULL));
		fclose(err);
		cr_assert(eq(str, msg, "/nonexistent/x.trace:0: input: cannot open: No such file or directory\n"));
		free(msg);
	}
}

/* ---- the whole shipped sample ---- */

/* Per-type totals and per-CPU counts from event_counts.tsv; -1 when absent. */
static int load_counts(const char *path, uint64_t total[SIM_TRACE_NR_TYPES], uint64_t cpu[SIM_TRACE_NR_TYPES][4])
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int rows = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *fld[16], *save = NULL, *s;
		int nf = 0, t, c;

		for (s = strtok_r(line, "\t\n", &save); s && nf < 16; s = strtok_r(NULL, "\t\n", &save))
			fld[nf++] = s;
		if (nf != 13 || !strcmp(fld[0], "event"))
			continue;
		for (t = 0; t < SIM_TRACE_NR_TYPES; t++)
			if (!strcmp(fld[0], sim_trace_type_name((enum sim_trace_type)t)))
				break;
		if (t == SIM_TRACE_NR_TYPES)
			continue;			/* tracing_mark_write */
		total[t] = strtoull(fld[1], NULL, 10);
		for (c = 0; c < 4; c++)
			cpu[t][c] = strtoull(fld[9 + c], NULL, 10);
		rows++;
	}
	fclose(f);
	return rows;
}

Test(trace, shipped_sample_counts, .timeout = 30)
{
	char *dir = helper_shared_trace("debian-6.1.192-4cpu-2node"), path[4200];
	uint64_t want[SIM_TRACE_NR_TYPES] = { 0 }, want_cpu[SIM_TRACE_NR_TYPES][4] = { { 0 } };
	uint64_t got_cpu[SIM_TRACE_NR_TYPES][4] = { { 0 } };
	const struct sim_trace_stats *st;
	struct sim_trace_event ev;
	struct sim_trace *r;
	int t, c, rc;

	snprintf(path, sizeof(path), "%s/event_counts.tsv", dir);
	if (load_counts(path, want, want_cpu) < 0)
		cr_skip_test("no sample trace at %s", dir);
	snprintf(path, sizeof(path), "%s/trace.txt.xz", dir);
	if (access(path, R_OK))
		cr_skip_test("no sample trace at %s", path);
	cr_assert(eq(int, sim_trace_open(&r, path, NULL), 0));
	while ((rc = sim_trace_next(r, &ev)) > 0) {
		cr_assert(lt(int, ev.cpu, 4));
		got_cpu[ev.type][ev.cpu]++;
	}
	cr_assert(eq(int, rc, 0), "%s", sim_trace_errmsg(r));
	st = sim_trace_stats(r);
	for (t = 0; t < SIM_TRACE_NR_TYPES; t++) {
		cr_assert(eq(u64, st->nr_type[t], want[t]), "%s", sim_trace_type_name((enum sim_trace_type)t));
		for (c = 0; c < 4; c++)
			cr_assert(eq(u64, got_cpu[t][c], want_cpu[t][c]), "%s cpu%d",
				  sim_trace_type_name((enum sim_trace_type)t), c);
	}
	cr_assert(eq(u64, st->nr_events, 1786898 - 312));
	cr_assert(eq(u64, st->nr_other, 312));
	cr_assert(eq(u64, st->nr_bad, 0));
	cr_assert(eq(u64, st->entries_written, 1786898));
	cr_assert(eq(int, st->nr_cpus, 4));
	sim_trace_close(r);
	free(dir);
}

/* Reading ahead on a thread hands out the same events and the same final code. */
Test(trace, prefetch_gives_the_same_events_and_error)
{
	size_t cap = 1600 * 120, len = 0;
	char *text = malloc(cap);
	struct sim_trace *a, *b;
	struct sim_trace_prefetch *p;
	struct sim_trace_event ea, eb;
	struct sim_trace_opts o = { .err = NULL };
	int ra, rb, n = 0;
	FILE *err = fopen("/dev/null", "w");

	cr_assert(not(eq(ptr, text, NULL)));
	o.err = err;
	for (int i = 0; i < 1500; i++)
		len += (size_t)snprintf(text + len, cap - len,
			"  bash-9 [001] ..... 10.%06d: kfree: call_site=f+0x1/0x2 ptr=%016x\n", i, 0x1000 + i);
	len += (size_t)snprintf(text + len, cap - len, "  bash-9 [001] ..... 11.000000: kfree: call_site=f+0x1/0x2 ptr=zz\n");
	cr_assert(eq(int, sim_trace_open_mem(&a, "t", text, len, &o), 0));
	cr_assert(eq(int, sim_trace_open_mem(&b, "t", text, len, &o), 0));
	cr_assert(eq(int, sim_trace_prefetch_start(&p, b), 0));
	do {
		ra = sim_trace_next(a, &ea);
		rb = sim_trace_prefetch_next(p, &eb);
		cr_assert(eq(int, rb, ra));
		if (ra > 0) {
			cr_assert(eq(i64, eb.line, ea.line));
			cr_assert(eq(u64, eb.ptr, ea.ptr));
			n++;
		}
	} while (ra > 0);
	cr_assert(eq(int, n, 1500));
	cr_assert(eq(int, ra, -SIM_EBADINPUT));
	cr_assert(eq(int, sim_trace_prefetch_next(p, &eb), ra), "the final code stays");
	cr_assert(eq(u64, sim_trace_prefetch_lines(p), sim_trace_stats(a)->nr_lines));
	sim_trace_prefetch_stop(p);
	cr_assert(eq(str, (char *)sim_trace_errmsg(b), (char *)sim_trace_errmsg(a)));
	sim_trace_close(a);
	sim_trace_close(b);
	fclose(err);
	free(text);
}

/* Stopping early (a run that ends before the trace does) joins the reader. */
Test(trace, prefetch_stops_early)
{
	size_t cap = 6000 * 100, len = 0;
	char *text = malloc(cap);
	struct sim_trace *t;
	struct sim_trace_prefetch *p;
	struct sim_trace_event ev;

	cr_assert(not(eq(ptr, text, NULL)));
	for (int i = 0; i < 6000; i++)
		len += (size_t)snprintf(text + len, cap - len,
			"  bash-9 [000] ..... 10.%06d: kfree: call_site=f+0x1/0x2 ptr=%016x\n", i, 0x1000 + i);
	cr_assert(eq(int, sim_trace_open_mem(&t, "t", text, len, NULL), 0));
	cr_assert(eq(int, sim_trace_prefetch_start(&p, t), 0));
	cr_assert(eq(int, sim_trace_prefetch_next(p, &ev), 1));
	cr_assert(eq(i64, ev.line, 1));
	sim_trace_prefetch_stop(p);
	sim_trace_close(t);
	free(text);
}
