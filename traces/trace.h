/*
 * trace.h - streaming reader of ftrace `kmem:` trace text.
 *
 * Reads what `cat /sys/kernel/tracing/trace`, `trace_pipe` and `trace-cmd
 * report` print for the kmem allocation events of 5.10 to 6.6+ kernels, plain,
 * gzip or xz (detected by magic bytes), one line at a time in constant memory:
 *
 *     struct sim_trace *r;  struct sim_trace_event ev;
 *     if (sim_trace_open(&r, "boot.trace.xz", NULL)) return SIM_EBADINPUT;
 *     while ((rc = sim_trace_next(r, &ev)) > 0) replay(&ev);
 *     sim_trace_close(r);       rc: 0 at the end, -SIM_EBADINPUT, -SIM_EFAIL
 *
 * Bad input stops the reader with one line `FILE:LINE: EVENT: FIELD: what was
 * expected` on opts.err (see sim_trace_errmsg); with opts.lenient, malformed
 * lines are skipped and counted instead.  Other events (tracing_mark_write,
 * rss_stat, ...) are skipped and counted per name; with opts.marks, a
 * tracing_mark_write line is also returned, as a SIM_TRACE_MARK event with
 * its text (the capture's snapshot and phase markers).  docs/traces.md has the
 * formats accepted.  Strings in events (call_sym, cache) are interned: valid
 * until sim_trace_close.  Not here: mapping events onto the machine (replay).
 */
#ifndef KMEMSIM_TRACES_TRACE_H
#define KMEMSIM_TRACES_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifndef SIM_EBADINPUT
#define SIM_EBADINPUT 2		/* same value as sim/scenario/scenario.h */
#define SIM_EFAIL 1
#endif

#define SIM_TRACE_COMM_LEN 32	/* comm buffer; kernel comms have <= 15 chars */
#define SIM_TRACE_KEEP_BAD 8	/* malformed lines whose message lenient mode keeps */
/* Bounds of values a kernel can print; a line beyond them is malformed (strict: bad input). */
#define SIM_TRACE_MAX_CPUS 8192	/* CONFIG_NR_CPUS range of x86_64 (MAXSMP): [CPU] < 8192 */
#define SIM_TRACE_MAX_ORDER 11	/* MAX_ORDER of 5.10-6.3 x86_64 (6.4+: MAX_ORDER 10, inclusive): order <= 10 */
#define SIM_TRACE_MAX_NODES 1024	/* MAX_NUMNODES of x86_64 (NODES_SHIFT <= 10): node= < 1024 */
#define SIM_TRACE_PFN_BITS 40	/* MAX_PHYSMEM_BITS 52 (5-level paging) - PAGE_SHIFT 12: pfn < 2^40 */

enum sim_trace_type {
	SIM_TRACE_KMALLOC, SIM_TRACE_KMALLOC_NODE,
	SIM_TRACE_KMEM_CACHE_ALLOC, SIM_TRACE_KMEM_CACHE_ALLOC_NODE,
	SIM_TRACE_KFREE, SIM_TRACE_KMEM_CACHE_FREE,
	SIM_TRACE_MM_PAGE_ALLOC, SIM_TRACE_MM_PAGE_FREE, SIM_TRACE_MM_PAGE_FREE_BATCHED,
	SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED, SIM_TRACE_MM_PAGE_PCPU_DRAIN,
	SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG,
	SIM_TRACE_NR_TYPES,		/* kmem event types (nr_type[] counts them) */
	SIM_TRACE_MARK = SIM_TRACE_NR_TYPES + 1	/* tracing_mark_write, only with opts.marks; not a kmem event */
};

/*
 * Whose gfp flag names a trace prints (docs/traces.md, "gfp_flags"): the
 * reader reads gfp_flags= with that kernel's table, so sim_trace_event.gfp is
 * the traced kernel's own mask.  6.1's table also reads 5.10's and 6.6's names.
 */
enum sim_trace_gfp_kernel { SIM_TRACE_GFP_6_1, SIM_TRACE_GFP_6_12, SIM_TRACE_NR_GFP_KERNELS };

/* Context letter of the irq-info column: '.', 's', 'h'/'H', 'z'/'Z'. */
enum sim_trace_ctx { SIM_TRACE_CTX_TASK, SIM_TRACE_CTX_SOFTIRQ, SIM_TRACE_CTX_HARDIRQ, SIM_TRACE_CTX_NMI };

/* Bits of sim_trace_event.present: what the line carried. */
#define SIM_TRACE_HAS_FLAGS	0x001u	/* irq-info column (4 or 5 characters) */
#define SIM_TRACE_HAS_MIGRATE	0x002u	/* 5th flag character (migrate-disable, 5.11+) */
#define SIM_TRACE_HAS_TGID	0x004u	/* record-tgid column */
#define SIM_TRACE_HAS_CALL_ADDR	0x008u	/* call_site printed as an address */
#define SIM_TRACE_HAS_CALL_SYM	0x010u	/* call_site printed as a symbol */
#define SIM_TRACE_HAS_GFP	0x020u	/* gfp_flags printed and not empty */
#define SIM_TRACE_HAS_NODE	0x040u	/* node= */
#define SIM_TRACE_HAS_ACCOUNTED	0x080u	/* accounted= (6.0+) */
#define SIM_TRACE_HAS_CACHE	0x100u	/* name= printed and not empty */
#define SIM_TRACE_PTR_HASHED	0x200u	/* ptr/page looks hashed (16 digits, top 32 bits 0) */
#define SIM_TRACE_TS_RAW	0x400u	/* integer timestamp of a non-ns clock, not ns */

struct sim_trace_event {
	int64_t line;			/* 1-based line in the (decompressed) text */
	uint64_t ts_ns;			/* timestamp in ns, exact (SECONDS.FRACTION digits) */
	int32_t cpu;			/* [CPU] */
	int32_t pid;			/* TASK-PID */
	int32_t tgid;			/* record-tgid column; -1 when absent or "-------" */
	char comm[SIM_TRACE_COMM_LEN];	/* TASK, NUL-terminated ("<idle>", "<...>") */
	enum sim_trace_type type;
	enum sim_trace_ctx context;	/* from the irq-info column; TASK when absent */
	bool irqs_off;			/* 'd' or 'D' */
	bool bh_off;			/* 'b' or 'D' */
	bool need_resched;		/* 'N', 'n' or 'p' */
	uint8_t preempt_depth;		/* preempt_count & 0xf ('.' = 0) */
	uint8_t migrate_disable;	/* migrate-disable depth ('.' = 0) */
	uint32_t present;		/* SIM_TRACE_HAS_* bits */
	uint64_t call_site;		/* return address when printed as one, else 0 */
	const char *call_sym;		/* "func+0x12/0x40[ [mod]]" as printed, or NULL */
	uint64_t ptr;			/* object address (or hash); 0 = NULL */
	uint64_t bytes_req;		/* kmalloc/kmem_cache_alloc */
	uint64_t bytes_alloc;
	uint32_t gfp;			/* gfp mask of the kernel opts.gfp_kernel names; 0 if empty/"none" */
	int32_t node;			/* node=; -1 (NUMA_NO_NODE) also when absent */
	bool accounted;			/* accounted=true */
	const char *cache;		/* kmem_cache_free name=, or NULL */
	uint64_t page;			/* page= (struct page * or hash); 0 = NULL */
	uint64_t pfn;			/* pfn= (hex 5.15+, decimal 5.10) */
	int32_t order;			/* order=, or alloc_order= of extfrag */
	int32_t migratetype;		/* migratetype=, or alloc_migratetype= of extfrag */
	int32_t percpu_refill;		/* mm_page_alloc_zone_locked; -1 otherwise */
	int32_t fallback_order;		/* mm_page_alloc_extfrag; -1 otherwise */
	int32_t fallback_migratetype;	/* mm_page_alloc_extfrag; -1 otherwise */
	bool fragmenting;		/* mm_page_alloc_extfrag */
	bool change_ownership;		/* mm_page_alloc_extfrag */
	const char *mark;		/* SIM_TRACE_MARK: the text written, without the line end; else NULL */
};

struct sim_trace_opts {
	bool lenient;			/* skip and count malformed lines instead of stopping */
	FILE *err;			/* where the error line goes; NULL = stderr */
	const char *name;		/* file name in messages; NULL = path ("<stdin>" for "-") */
	bool marks;			/* also return tracing_mark_write lines (SIM_TRACE_MARK) */
	enum sim_trace_gfp_kernel gfp_kernel;	/* the table gfp_flags= is read with (0: 6.1's) */
};

struct sim_trace_stats {
	uint64_t nr_lines;		/* lines read so far */
	uint64_t nr_events;		/* kmem events returned */
	uint64_t nr_type[SIM_TRACE_NR_TYPES]; /* of which, per type */
	uint64_t nr_other;		/* other events skipped (per name: sim_trace_other_name); marks included */
	uint64_t nr_marks;		/* tracing_mark_write lines returned (opts.marks) */
	uint64_t nr_comment;		/* header, blank and banner lines */
	uint64_t nr_bad;		/* malformed lines skipped (lenient) */
	uint64_t nr_lost;		/* events reported lost ("CPU:N [LOST M EVENTS]") */
	uint64_t nr_lost_marks;		/* lines reporting lost events */
	uint64_t entries_written;	/* from "# entries-in-buffer/entries-written: N/M" */
	int nr_cpus;			/* "#P:N" or trace-cmd "cpus=N"; -1 unknown */
	int max_cpu;			/* highest CPU seen on an event line; -1 none */
	const char *compression;	/* "none", "gzip" or "xz" */
};

struct sim_trace;

int sim_trace_open(struct sim_trace **out, const char *path, const struct sim_trace_opts *opts); /* "-" = stdin; 0, SIM_EBADINPUT or SIM_EFAIL */
int sim_trace_open_mem(struct sim_trace **out, const char *name, const void *data, size_t len, const struct sim_trace_opts *opts); /* plain text read in place: data must outlive r */
int sim_trace_next(struct sim_trace *r, struct sim_trace_event *ev); /* 1 event, 0 end, -SIM_EBADINPUT, -SIM_EFAIL */
void sim_trace_close(struct sim_trace *r);			/* NULL ok */
const struct sim_trace_stats *sim_trace_stats(const struct sim_trace *r); /* counters so far */
const char *sim_trace_errmsg(const struct sim_trace *r);	/* error line of the last failure, "" if none */
int sim_trace_nr_other_names(const struct sim_trace *r);	/* distinct skipped event names */
const char *sim_trace_other_name(const struct sim_trace *r, int i, uint64_t *count); /* i-th, first-seen order */
int sim_trace_nr_bad_kept(const struct sim_trace *r);		/* <= SIM_TRACE_KEEP_BAD */
const char *sim_trace_bad_msg(const struct sim_trace *r, int i); /* i-th kept malformed-line message */

const char *sim_trace_type_name(enum sim_trace_type type);	/* "kmalloc", ... */
int sim_trace_parse_gfp(const char *s, size_t len, uint32_t *gfp); /* "GFP_KERNEL|__GFP_ZERO", "0xcc0", ""; 0 or -1 */
size_t sim_trace_format_gfp(uint32_t gfp, char *buf, size_t size); /* as 6.1 prints it; returns strlen */
/* The same with kernel k's table (6.12: GFP_ATOMIC 0x820, GFP_NOWAIT 0x2800, no __GFP_ATOMIC). */
int sim_trace_parse_gfp_of(enum sim_trace_gfp_kernel k, const char *s, size_t len, uint32_t *gfp);
size_t sim_trace_format_gfp_of(enum sim_trace_gfp_kernel k, uint32_t gfp, char *buf, size_t size);

#endif
