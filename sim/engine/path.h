/*
 * path.h - operations in flight and the path each one takes.
 *
 * An operation (page alloc/free, object alloc/free) is begun by the caller of
 * a model entry point with sim_op_begin on a struct sim_op of its own stack,
 * and ended with sim_op_end.  On the way the model marks the labels it passes
 * (PATH_LABEL("___slab_alloc:new_slab")) and the level that satisfied it
 * (sim_path_level).  Operations nest: an interrupt's allocation inside a
 * task's, the buddy allocation inside SLUB's new_slab; lock waits and
 * retries go to the innermost one.  At the end the label chain is interned
 * as a path signature (ids in order of first appearance in the run), the
 * per-level counters are bumped and the row goes to the log (sim/db/db.h).
 */
#ifndef KMEMSIM_SIM_PATH_H
#define KMEMSIM_SIM_PATH_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_PATH_MAX 48		/* labels kept per operation; more are counted, not kept */
#define SIM_NR_LEVELS 6		/* L1..L5; 0 = not set */
#define SIM_OP_MAX_STATS 16	/* bytes of allocator counter bumps kept per operation */

enum sim_op_kind {
	SIM_OP_PAGE_ALLOC,
	SIM_OP_PAGE_FREE,
	SIM_OP_OBJ_ALLOC,
	SIM_OP_OBJ_FREE,
	SIM_NR_OP_KINDS
};

struct sim_op {
	uint64_t seq;		/* run-wide sequence number, in begin order */
	uint64_t parent_seq;	/* enclosing operation's seq, 0 = none */
	uint64_t start_ns;	/* vCPU clock at begin */
	uint64_t end_ns;	/* vCPU clock at end */
	uint64_t lock_wait_ns;	/* spinning on locks inside this op */
	uint64_t addr;		/* object address or pfn (result, or what was freed) */
	int64_t trace_line;	/* line of the replayed trace, -1 = synthetic */
	uint32_t gfp;		/* gfp flags asked for */
	uint32_t size;		/* bytes asked for (objects) */
	uint32_t retries;	/* cmpxchg retries, redo loops */
	int32_t cache;		/* cache id, -1 for pages */
	int32_t sig;		/* path signature id, set by sim_op_end */
	int16_t cpu, node;	/* vCPU at begin, and its node */
	int16_t mem_node;	/* node of the memory handed out / freed, -1 = none */
	int32_t task;		/* pid (a real trace's pids go past 32767) */
	int32_t callsite;	/* a replayed operation's call site (table callsites), 0 = unknown */
	int8_t kind;		/* enum sim_op_kind */
	int8_t ctx;		/* enum sim_context at begin */
	int8_t level;		/* 1..5, the path level; 0 = unset */
	int8_t order;		/* page order, -1 for objects */
	int8_t migratetype;	/* -1 when not a page op */
	int8_t zone;		/* zone index of the result, -1 = none */
	bool failed;		/* allocation failed */
	bool irqs_off_at_begin;	/* vCPU's IRQ state at begin (sim_op_end checks the balance) */
	bool unbalanced;	/* set after begin: a piece of a bulk call's locked section, not checked */
	uint8_t nr_stats;	/* bytes used in stats[]; 0 = no counter bumped yet */
	int32_t stat_cache;	/* cache whose counters stats[] bumped (valid when nr_stats) */
	int32_t preempt_at_begin; /* task's preempt_count at begin (locks held; checked at end) */
	uint8_t stats[SIM_OP_MAX_STATS]; /* allocator counter bumps: (item, count) pairs, run.c's */
	uint16_t at;		/* the label the code is at now (PATH_LABEL or PATH_AT), 0 = none */
	uint8_t nr_labels;	/* labels kept in labels[] */
	uint16_t labels[SIM_PATH_MAX];	/* label ids, in the order passed */
	struct sim_op *outer;	/* enclosing op on the same task */
};

/* Intern a label name (a string literal) once; ids are process-wide. */
uint16_t sim_path_label_id(const char *name);
const char *sim_path_label_name(uint16_t id);

/* Begin `op` on the running task; fills seq, cpu, node, ctx, start_ns. */
void sim_op_begin(struct sim_op *op, enum sim_op_kind kind);
/* End it: intern the signature, count it, log it.  Asserts first that the operation
 * leaves the task's preempt_count (every spin_lock counts) and the vCPU's IRQ state
 * as it found them: the kernel's lockdep balance (lockdep_sys_exit: no lock held on
 * return to user space; an IRQ handler returning with IRQs on, or a lock leaked). */
void sim_op_end(struct sim_op *op);
/* Innermost operation of the running task, or NULL. */
struct sim_op *sim_op_current(void);

/* Mark a label on the current operation (no-op without one). */
void sim_path_add(uint16_t label);
#define PATH_LABEL(name) do {						\
		static uint16_t path_label_id_;				\
		if (!path_label_id_)					\
			path_label_id_ = sim_path_label_id(name);	\
		sim_path_add(path_label_id_);				\
	} while (0)
/* Note where the code is (a kernel label the path does not record, such as a fast
 * path's `redo:`) for the steps table, without adding to the path signature. */
void sim_path_at(uint16_t label);
#define PATH_AT(name) do {						\
		static uint16_t path_at_id_;				\
		if (!path_at_id_)					\
			path_at_id_ = sim_path_label_id(name);		\
		sim_path_at(path_at_id_);				\
	} while (0)
/* Raise the current operation's level to at least `level` (1..5). */
void sim_path_level(int level);

/* Per-run signature table: signature id -> "a>b>c" text (owned by path.c). */
int sim_path_nr_sigs(void);
const char *sim_path_sig_text(int sig);
/* Forget every signature and counter of the previous run. */
void sim_path_reset(void);

/* Where ended operations go (the database writer, or a test's collector). */
typedef void sim_op_sink(const struct sim_op *op, void *arg);
void sim_path_set_sink(sim_op_sink *fn, void *arg);

#endif
