/*
 * helpers.h - builders and checks shared by the Criterion tests.
 *
 * Append a section for your module; do not rewrite others'.
 */
#ifndef KMEMSIM_TESTS_HELPERS_H
#define KMEMSIM_TESTS_HELPERS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

/* ---- databases and the kmemsim binary (tests/run/test_run.c, tests/cli/test_cli.c) ---- */

/* Every table of the database at `path` as text, each table's rows sorted by all
 * their columns, leaving out wall-clock columns (names containing "wall").
 * malloc'd; NULL when the file cannot be read. */
char *helper_db_dump(const char *path);
/* FNV-1a of helper_db_dump(path); 0 when it cannot be read. */
uint64_t helper_db_hash(const char *path);
/* Rows of `sql` on the database at `path`, as one number (the first column of
 * the first row); -1 when the query fails or returns nothing.  Read-write: tests
 * change a database with it. */
int64_t helper_db_int(const char *path, const char *sql);

/* Run $KMEMSIM_BIN (or `bin`) with argv[1..] (NULL-terminated; argv[0] ignored),
 * in directory `cwd` (NULL: this one).  Its stdout and stderr come back malloc'd
 * in *out and *err (either pointer may be NULL).  Returns the exit status, or
 * -1 when it could not be run or died of a signal. */
int helper_run_kmemsim(const char *cwd, const char *const argv[], char **out, char **err);
/* A fresh empty directory under /tmp (malloc'd path; the test fails when none can be made). */
char *helper_tmpdir(void);
/* Remove `dir` and everything below it (read-only directories made writable first; links
 * removed, not followed), fail the test when something stays, and free(dir).  NULL: nothing. */
void helper_rmtree(char *dir);
/* Write `text` to `dir`/`name`; returns the malloc'd path. */
char *helper_write_file(const char *dir, const char *name, const char *text);
/* The whole file at `path` (malloc'd, NUL-terminated); NULL when it cannot be read. */
char *helper_read_file(const char *path);
/* `kmemsim run --allocator ALLOCATOR --db DIR/ALLOCATOR.db` of the embedded default scenario
 * (about a second); the database's malloc'd path, NULL when the run failed. */
char *helper_default_db(const char *dir, const char *allocator);

/* ---- shared real traces (tests/validate, tests/traces, tests/models/test_sla?_geometry.c) ---- */

/* The directory of the shared real traces and oracle captures: $KMEMSIM_SHARED_TRACES
 * when set and not empty, else $KMEMSIM_SOURCE_ROOT/../shared/traces (malloc'd). */
char *helper_shared_traces(void);
/* helper_shared_traces()/`rel` (malloc'd) when it can be read; else the calling
 * test ends skipped (cr_skip_test) naming the missing path. */
char *helper_shared_trace(const char *rel);

/* ---- SLAB model (tests/models/test_slab.c, tests/models/test_slab_geometry.c) ---- */

struct sim_scenario;
struct sim_op;
struct kmem_cache;

/* A machine of nr_nodes nodes with cpus_per_node vCPUs each and mib_per_node MiB
 * (node 0: DMA 16 MiB + DMA32 the rest; others DMA32), SLAB selected; engine,
 * buddy and SLAB set up, vCPU 0 current.  The scenario is the caller's to pass
 * to helper_slab_machine_down. */
struct sim_scenario *helper_slab_machine_up(int nr_nodes, int cpus_per_node, uint64_t mib_per_node);
/* The same from a scenario the caller filled (allocator forced to SLAB); NULL on failure. */
struct sim_scenario *helper_slab_machine_up_sc(struct sim_scenario *sc);
void helper_slab_machine_down(struct sim_scenario *sc);
/* Run an invariant checker (slab_check, slub_check) into a scratch file and return its
 * verdict; on a failure, its first line goes to `line` (else ""), for the assertion. */
bool helper_check_first_line(bool (*check)(FILE *why), char *line, size_t size);

/* Every operation that ends, copied (nested ones too), in end order. */
struct helper_slab_log {
	struct sim_op *ops;
	size_t nr, cap;
};
void helper_slab_log_start(struct helper_slab_log *log);	/* becomes the path sink */
void helper_slab_log_stop(struct helper_slab_log *log);		/* sink off, ops freed */
bool helper_slab_op_has_label(const struct sim_op *op, const char *label);
/* Ops of `kind` (enum sim_op_kind) that carry `label` / reached `level`. */
size_t helper_slab_count_label(const struct helper_slab_log *log, int kind, const char *label);
size_t helper_slab_count_level(const struct helper_slab_log *log, int kind, int level);

/* One object operation on vCPU `cpu` (made current), begun and ended like the
 * run driver does.  size 0: kmem_cache_alloc_node(s); else kmalloc_node(size). */
void *helper_slab_alloc(int cpu, struct kmem_cache *s, size_t size, unsigned int gfp, int node);
void helper_slab_free(int cpu, void *obj);		/* kfree */
/* The level and path of the last operation helper_slab_alloc/free ended. */
int helper_slab_last_level(void);
const struct sim_op *helper_slab_last_op(void);


/* ---- SLUB model (tests/models/test_slub.c, tests/models/test_slub_geometry.c) ---- */

/* An engine of nr_cpus vCPUs on one node and nothing else (no memory, no
 * allocator): enough for the SLUB geometry.  Tear down with helper_slab_machine_down. */
struct sim_scenario *helper_slub_engine_up(int nr_cpus);
/* nr_nodes nodes of cpus_per_node vCPUs and 1 GiB each (node 0: DMA 16 MiB + DMA32),
 * SLUB selected with CONFIG_SLAB_FREELIST_RANDOM as `freelist_random`; engine, buddy
 * and SLUB set up, vCPU 0 current.  Tear down with helper_slab_machine_down. */
struct sim_scenario *helper_slub_machine_up(int nr_nodes, int cpus_per_node, bool freelist_random);
/* The same from a scenario the caller filled (allocator forced to SLUB); NULL on failure. */
struct sim_scenario *helper_slub_machine_up_sc(struct sim_scenario *sc, bool freelist_random);
/* The same with SLUB's boot parameters `p` (slub_set_params; restore the default after). */
struct slub_params;
struct sim_scenario *helper_slub_machine_up_params(int nr_nodes, int cpus_per_node, const struct slub_params *p);

/* ---- buddy allocator (tests/models/test_buddy.c) ---- */

struct page;

/* A machine of nr_nodes nodes, node n with cpus[n] vCPUs and zone_mib[n][ZONE_*]
 * MiB, buddy allocator only; engine and buddy set up, vCPU 0 current.  NULL on
 * failure.  The scenario is the caller's to pass to helper_buddy_machine_down. */
struct sim_scenario *helper_buddy_machine_up(int nr_nodes, const int *cpus, const uint64_t (*zone_mib)[4]);
/* The same from a scenario the caller filled (sim_scenario_default + edits). */
struct sim_scenario *helper_buddy_machine_up_sc(struct sim_scenario *sc);
void helper_buddy_machine_down(struct sim_scenario *sc);
/* One page allocation (alloc_pages_node) / free (__free_pages) on vCPU `cpu`
 * (made current), inside its own operation; the ended op is copied to *op
 * when op is not NULL. */
struct page *helper_buddy_alloc(int cpu, int nid, unsigned int gfp, unsigned int order, struct sim_op *op);
void helper_buddy_free(int cpu, struct page *page, unsigned int order, struct sim_op *op);

/* ---- buddy rules (tests/models/test_buddy_612.c, test_compaction*.c, test_page_alloc_612.c) ---- */

struct alloc_context;
/* nr_nodes nodes of one vCPU each, node n with zone_mib[n][ZONE_*] MiB, on kernel version
 * `kernel` (enum kernel_version; set globally: the caller's teardown restores KERNEL_6_1),
 * pageblock_order 10, no THP, min_free_kbytes 128 (the zones may run nearly dry).  NULL on failure. */
struct sim_scenario *helper_buddy_crafted_up(int kernel, int nr_nodes, const uint64_t (*zone_mib)[4]);
/* DMA32 of node 0 filled with blocks of `order` allocated with `gfp` (the watermarks zeroed meanwhile, then
 * restored, the vmstat diffs folded), then every second block freed again (those at an odd
 * multiple of 2^order): the zone's free blocks are all of exactly that order.  owned[pfn]
 * (nr_pfns slots, cleared first) gets each block still held, by its first pfn. */
void helper_buddy_fragment_zone(unsigned int gfp, unsigned int order, struct page **owned, size_t nr_pfns);
/* The value of /proc/vmstat's line `name` (buddy_vmstat); UINT64_MAX when there is none. */
uint64_t helper_vmstat_value(const char *name);
/* The alloc_context prepare_alloc_pages builds for `gfp` on node `nid` (no nodemask). */
void helper_buddy_ac(struct alloc_context *ac, int nid, unsigned int gfp);

#endif
