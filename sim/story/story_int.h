/*
 * story_int.h - what sim/story's files share: the race run read back (story.c)
 * and its printers (story_print.c).
 */
#ifndef KMEMSIM_SIM_STORY_INT_H
#define KMEMSIM_SIM_STORY_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "story.h"

#define ST_MARK_A 1		/* the access of the code that was switched away from */
#define ST_MARK_B 2		/* the access of the code that ran in between */
#define ST_MARK_BROKEN 4	/* the violation was found here */
#define ST_MARK_FIRST 8		/* the invariant broke here and stayed broken up to the violation */
#define ST_MARK_FOUND 16	/* the violation was found here, later than ST_MARK_FIRST */

struct st_lane {
	int cpu;
	char context[8];	/* task, hardirq, softirq, idle */
	int task;		/* pid for task lanes, -1 for interrupt lanes */
};

struct st_watch {
	uint64_t step;
	char *name, *value;	/* "slub kmalloc-64 cpu0", its text */
	char *before;		/* the channel's previous text (NULL: none) */
	uint64_t seq;		/* order of change, shared with the reads */
};

/* A read of a watched field (table reads; none in a run of an older kmemsim). */
struct st_read {
	uint64_t step, seq;
	char *name, *field;	/* "slub kmalloc-64 cpu0", "freelist" */
	char *value, *now;	/* as the watch text shows them, named ("a/x"); now: a compare's current value */
	int expected;		/* 1: the value a cmpxchg expected (its use of an earlier read) */
	int64_t stale_at;	/* -1, or the step of its use, where the value was no longer current */
	char *stale_now;	/* the value then (NULL: none) */
};

struct st_step {
	uint64_t step;
	int cpu, task, lane, forced, mark;
	char context[8];
	int64_t op_seq;		/* -1: none */
	uint64_t time_ns, cost_ns;	/* the vCPU's clock at the step (its cost charged), the cost */
	char *func, *label, *cost, *next;
	int first_watch, nr_watch;	/* its rows in story.watch (ordered by step, then seq) */
	int first_read, nr_read;	/* its rows in story.reads (ordered by seq: by step) */
};

struct st_op {
	int64_t seq, parent;
	char kind[12], context[8];
	int task, cpu, size, order;
	uint64_t addr;
	char *cache, *name;	/* NULL: none */
};

struct story {
	char *name, *description, *allocator;
	int64_t seed;
	char *forced;		/* "after step 27: irq 0; ..." (NULL: none) */
	int64_t viol_step;	/* -1: no violation */
	char *viol_invariant, *viol_detail;
	struct st_step *steps;
	int nr_steps;
	struct st_watch *watch;
	int nr_watch;
	struct st_op *ops;
	int nr_ops;
	struct st_lane lanes[32];
	int nr_lanes;
	struct st_read *reads;
	int nr_reads;
	int64_t first_broken;	/* step after which the invariant stayed broken (-1: unknown) */
	char *broken_by;	/* the checker that says so ("balance") */
	uint64_t broken_seq;	/* seq of the row that started it */
	uint64_t conflict_b_seq;	/* seq of B's write (0: unknown) */
	int64_t conflict_a, conflict_b;	/* steps, -1: none */
	int64_t conflict_use;	/* the step that used A's read (-1: none, or A is a write) */
	char *conflict_what;	/* the watched state both touched (NULL: none) */
};

/* story.c */
/* "step 27 (cpu0 task 2000, a = kmalloc(64) by task 2000: slab_alloc_node redo: cmpxchg_double)" */
void st_access_text(const struct story *s, int64_t step, char *buf, size_t size);
const struct st_op *st_op(const struct story *s, int64_t seq);	/* NULL: none */
/* The operation as the kernel call it is: "x = kmalloc(64)", "kfree(x)", "alloc_pages(order 0)". */
void st_op_text(const struct story *s, const struct st_op *op, char *buf, size_t size);
/* The lane's heading: "cpu0 task 2000", "cpu0 hardirq". */
void st_lane_text(const struct st_lane *l, char *buf, size_t size);
/* What a watch row changed, addresses as the script's names: "freelist y -> a/x; tid 16384 -> 24576". */
char *st_watch_diff(const struct story *s, const struct st_watch *w);	/* malloc'd; NULL: out of memory */
/* text with each address or pfn the script names followed by its names: "0x...5080 (y/b)" (malloc'd). */
char *st_named_text(const struct story *s, const char *text);
/* One step in a line: "slab_alloc_node redo: cmpxchg_double". */
void st_step_text(const struct st_step *st, char *buf, size_t size);

/* The value of field `key` in a watch text, named, first word only ("a/x"); false when none. */
bool st_field_value(const struct story *s, const char *name, const char *text, const char *key, char *buf,
		    size_t size);
/* Does watch row w change field key (or, a key its text lacks, anything)? */
bool st_watch_changes(const struct story *s, const struct st_watch *w, const char *key);
/* An address of a read's value as the script's names ("0x...5040" -> "a/x"), else itself. */
void st_name_value(const struct story *s, const char *name, const char *tok, char *buf, size_t size);

/* story_conflict.c */
/* The stale reads, the two conflicting accesses from the reads and writes (docs/story.md); false
 * when the data shows no such pair (then story.c's rule around the first forced switch). */
bool st_conflict_from_data(struct story *s);

/* story_print.c */
int st_print_text(const struct story *s, const struct sim_story_opts *o, FILE *out);
int st_print_html(const struct story *s, const struct sim_story_opts *o, FILE *out);

#endif
