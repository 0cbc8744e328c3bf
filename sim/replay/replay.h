/*
 * replay.h - `kmemsim replay`: a real kernel's kmem: trace, replayed on the
 * simulated machine (docs/traces.md, "Replay").
 *
 * sim_replay reads the trace (a file, .xz/.gz ok, "-" for stdin, or a
 * capture directory with the machine's metadata), shapes the machine from
 * the capture (or the trace, or a scenario), and runs it through sim_run:
 * every event arrives on its vCPU at its trace time, in its task and
 * context; object events go to SLUB or SLAB, page events to the buddy
 * allocator.  The database and summary are those of `kmemsim run` plus the
 * replay's own tables (trace_caches, trace_cache_sites, trace_kernel_paths,
 * trace_lines, replay) and a summary section.  Returns 0, SIM_EFAIL or
 * SIM_EBADINPUT (bad trace, scenario or capture: one line on err, no
 * database written).
 */
#ifndef KMEMSIM_SIM_REPLAY_H
#define KMEMSIM_SIM_REPLAY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sim_db;
struct sim_scenario;
struct sim_replay_learned;
struct sim_op;

/* Which page events become page operations (docs/traces.md). */
enum sim_replay_pages {
	SIM_REPLAY_PAGES_NON_SLAB,	/* default: pages the slab allocator did not take for itself */
	SIM_REPLAY_PAGES_ALL,		/* every mm_page_alloc/free (slab pages counted twice) */
	SIM_REPLAY_PAGES_NONE,		/* objects only */
};

/* What a replay counted (for tests and the benchmark); docs/traces.md names each. */
struct sim_replay_stats {
	uint64_t nr_lines, nr_events;		/* read by the replay pass */
	uint64_t nr_replayed;			/* events that became an operation */
	uint64_t nr_unmatched_free;		/* frees of a pointer never seen allocated */
	uint64_t nr_unmatched_page_free;	/* page frees of a pfn never seen allocated */
	uint64_t nr_live_realloc;		/* allocations of a pointer or pfn still live */
	uint64_t nr_inferred_alloc_bulk_calls, nr_inferred_alloc_bulk_objects; /* kmem_cache_alloc_bulk inferred */
	uint64_t nr_inferred_free_batch_calls, nr_inferred_free_batch_objects; /* kfree_bulk inferred */
	uint64_t nr_inferred_unused_calls, nr_inferred_unused_objects; /* unused preallocated nodes bulk-freed */
	uint64_t nr_inferred_vmalloc_calls, nr_inferred_vmalloc_pages; /* alloc_pages_bulk of vmalloc areas inferred */
	uint64_t nr_inferred_boot_pages;	/* allocated at t0: in use before tracing began (SNAP0 zoneinfo) */
	uint64_t nr_deferred_free;		/* frees that ran before their allocation had (backlog) */
	uint64_t nr_slab_pages, nr_slab_page_frees; /* page events told apart as the slab allocator's */
	uint64_t nr_pages_skipped;		/* page events not replayed (pages mode) */
	uint64_t nr_kernel_internal;		/* zone_locked, pcpu_drain, extfrag, free_batched */
	uint64_t nr_inferred, nr_stand_in;	/* kmem_cache_alloc placed by call site / in a stand-in cache */
	uint64_t nr_live_objects, nr_live_pages;	/* still allocated at the end */
	uint64_t peak_inflight;			/* most events queued at once (read ahead + backlog) */
	double wall_s;				/* whole replay, both passes */
};

struct sim_replay_opts {
	const char *trace;		/* file, "-" (stdin), or capture directory; with trace_text: its name */
	const void *trace_text;		/* with trace_len: the trace's bytes in memory (as a file holds them,
					 * .xz/.gz ok), read in place, no file opened; NULL: read trace */
	size_t trace_len;
	const char *scenario_path;	/* costs, tunables, machine (when it has one); NULL: none */
	const char *const *sets;	/* --set KEY=VALUE overrides of its keys (or the default's) */
	int nr_sets;
	const struct sim_scenario *scenario; /* that scenario with those sets, loaded by the caller
					 * (sim_scenario_load_set): copied instead of loaded again, the
					 * same results (one load for many replays, as the fuzzer does);
					 * NULL: loaded here */
	const char *cmd;		/* the command a refusal names ("kmemsim sweep"); NULL: "kmemsim replay" */
	bool allocator_set;		/* --allocator: slub or slab */
	int allocator;			/* enum sim_allocator */
	bool seed_set;
	uint64_t seed;
	const char *db_path;		/* NULL: no database */
	enum sim_replay_pages pages;
	bool lenient;			/* skip malformed lines (counted) instead of stopping */
	bool quiet;			/* no summary, no progress line */
	bool one_pass;			/* learn caches as the stream goes even from a seekable file */
	bool no_log;			/* no row per operation */
	bool log_aggregate;		/* --log aggregate: table op_counts instead of ops rows */
	bool no_pfn_placement;		/* page allocations on the CPU's node, not on their traced pfn's */
	bool no_boot_pages;		/* no pages inferred allocated before tracing began */
	bool capture_watermarks;	/* zone watermarks and pcp high/batch verbatim from the capture's zoneinfo */
	struct sim_replay_stats *stats;	/* filled when not NULL */
	struct sim_replay_learned *learned; /* the learning pass done before (sim_replay_learn); NULL: none */
	void (*op_observer)(const struct sim_op *op, void *arg);	/* sim_run_opts': every operation */
	void *op_observer_arg;
};

/* Replay once.  0, SIM_EFAIL or SIM_EBADINPUT (after one line on err). */
int sim_replay(const struct sim_replay_opts *o, FILE *out, FILE *err);
/*
 * The learning pass of a trace done once for several replays of it (`kmemsim sweep`: one
 * trace, many settings).  sim_replay_learn reads the trace as a replay with the options o
 * would in its first pass (and keeps its decompressed text); a replay whose opts.learned is
 * that state starts from it instead of reading the trace a first time, when it agrees with
 * the options it was learned with (same trace, lenient, pages, one_pass, no_boot_pages, and
 * the scenario naming a machine or not); else it learns by itself.  What it writes and prints
 * is the same byte for byte.  The first replay that uses the state takes it over, so share it
 * by forking after sim_replay_learn: every child gets its own copy of it.  *out is NULL when
 * there is nothing to learn before (a trace read once: stdin, --one-pass).  0, or SIM_EFAIL /
 * SIM_EBADINPUT after one line on err (a replay would fail the same way).
 */
int sim_replay_learn(const struct sim_replay_opts *o, struct sim_replay_learned **out, FILE *err);
void sim_replay_learned_free(struct sim_replay_learned *l);	/* NULL ok */
/* The simulated time (ns) at which trace line `line` (or the first replayed event
 * after it) started, in a replay's database.  0, or SIM_EBADINPUT after a line
 * on err (not a replay database, or no event at or after that line). */
int sim_replay_line_ns(struct sim_db *db, int64_t line, uint64_t *ns, FILE *err);
/* The simulated time of the first mark (tracing_mark_write line) whose text is `text`,
 * else of the one distinct mark text containing it.  0, or SIM_EBADINPUT after one line
 * on err starting with `where` (no marks table: not a replay; no such mark, listing the
 * marks; several texts contain it), SIM_EFAIL when out of memory. */
int sim_replay_mark_ns(struct sim_db *db, const char *db_path, const char *text, const char *where,
		       uint64_t *ns, FILE *err);
/* A replay's object allocations of one call site, begun in a window (sim_replay_callsites). */
struct sim_replay_callsite {
	const char *text;		/* as the trace printed it (table callsites) */
	uint64_t allocs, bytes_req;	/* allocations; bytes asked for */
	uint64_t bytes_alloc;		/* bytes handed out: the model cache's object size (caches.size) */
	uint64_t level[5];		/* of the allocations, at L1..L5 */
	uint64_t slow;			/* at a level above 1 */
	uint64_t live;			/* not freed before the window's end */
};
/* Every call site (index = callsite id - 1; allocs 0 when none in the window) of the object
 * allocations begun in [from, to) of a replay's database; *nr_unknown counts those without a
 * call site.  0, or SIM_EBADINPUT (no call sites) / SIM_EFAIL after one line on err. */
int sim_replay_callsites(struct sim_db *db, const char *db_path, uint64_t from, uint64_t to,
			 struct sim_replay_callsite **sites, int *nr, uint64_t *nr_unknown, FILE *err);
void sim_replay_callsites_free(struct sim_replay_callsite *sites, int nr);
/* "non-slab", "all", "none"; parse: 0 or -1. */
const char *sim_replay_pages_name(enum sim_replay_pages p);
int sim_replay_pages_parse(const char *s, enum sim_replay_pages *out);

#endif
