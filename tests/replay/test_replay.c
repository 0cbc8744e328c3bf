/*
 * test_replay.c - kmemsim replay: a kernel trace on the simulated machine.
 *
 * Strategy: tiny traces written for one rule each (a free of a pointer never
 * allocated, a pointer allocated again, a cache learned from frees, the pages
 * modes, interrupt contexts), replayed in-process with sim_replay into a
 * database whose rows are the assertions (ops with their trace_line, the
 * replay's own tables).  Then the shipped sample (traces/samples/, a real
 * Debian 6.1 trace of 4 CPUs on 2 nodes) on SLUB and on SLAB: no invariant
 * violation, every event accounted for, the capture's machine, the same
 * database twice.  Bad input through the real binary: one line, exit 2, no
 * database.  The pointer map and the capture reader get a test each.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "../helpers.h"
#include <sqlite3.h>

#include "sim/cli/cli.h"
#include "sim/db/db.h"
#include "sim/replay/replay.h"
#include "sim/cli/slabinfo.h"
#include "sim/scenario/scenario.h"
#include "traces/capture.h"
#include "traces/ptrmap.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

/* ------------------------------------------------------------- helpers */

/* One event line as `cat trace` prints it: task-pid [cpu] flags sec.usec: event: fields. */
static void tl(FILE *f, int pid, int cpu, const char *flags, unsigned int us, const char *event,
	       const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void tl(FILE *f, int pid, int cpu, const char *flags, unsigned int us, const char *event,
	       const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "%16s-%-7d [%03d] %s %5u.%06u: %s: ", "task", pid, cpu, flags, 1 + us / 1000000,
		us % 1000000, event);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

static void kmalloc_line(FILE *f, int cpu, unsigned int us, uint64_t ptr, unsigned int req, unsigned int alloc)
{
	tl(f, 100, cpu, ".....", us, "kmalloc", "call_site=f_alloc+0x10/0x40 ptr=%016llx bytes_req=%u"
	   " bytes_alloc=%u gfp_flags=GFP_KERNEL node=-1 accounted=false", (unsigned long long)ptr, req, alloc);
}

static void kfree_line(FILE *f, int cpu, unsigned int us, uint64_t ptr)
{
	tl(f, 100, cpu, ".....", us, "kfree", "call_site=f_free+0x8/0x20 ptr=%016llx", (unsigned long long)ptr);
}

static void kca_line(FILE *f, unsigned int us, const char *site, uint64_t ptr)
{
	tl(f, 100, 0, ".....", us, "kmem_cache_alloc", "call_site=%s ptr=%016llx bytes_req=56 bytes_alloc=56"
	   " gfp_flags=GFP_KERNEL node=-1 accounted=false", site, (unsigned long long)ptr);
}

static void kcf_line(FILE *f, unsigned int us, uint64_t ptr, const char *cache)
{
	tl(f, 100, 0, ".....", us, "kmem_cache_free", "call_site=g_free+0x8/0x20 ptr=%016llx name=%s",
	   (unsigned long long)ptr, cache);
}

/* A trace being written to dir/name. */
struct trace_file {
	char *dir, *path, *db;
	FILE *f;
};

static void trace_begin(struct trace_file *t)
{
	t->dir = helper_tmpdir();
	cr_assert(asprintf(&t->path, "%s/t.trace", t->dir) > 0);
	cr_assert(asprintf(&t->db, "%s/t.db", t->dir) > 0);
	t->f = fopen(t->path, "w");
	cr_assert(not(eq(ptr, t->f, NULL)));
}

/* Replay the trace (or o->trace when set) into t->db; the status. */
static int trace_replay(struct trace_file *t, struct sim_replay_opts *o)
{
	char *out = NULL, *err = NULL;
	size_t no = 0, ne = 0;
	FILE *fo = open_memstream(&out, &no), *fe = open_memstream(&err, &ne);
	int rc;

	if (t->f) {
		cr_assert(eq(int, fclose(t->f), 0));
		t->f = NULL;
	}
	if (!o->trace)
		o->trace = t->path;
	o->db_path = t->db;
	o->quiet = true;
	rc = sim_replay(o, fo, fe);
	fclose(fo);
	fclose(fe);
	if (rc)
		cr_log_info("replay: %d: %s", rc, err);
	free(out);
	free(err);
	return rc;
}

static void trace_end(struct trace_file *t)
{
	helper_rmtree(t->dir);
	free(t->path);
	free(t->db);
}

/* A number from the database (helper_db_int with printf arguments). */
static int64_t q(const char *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int64_t q(const char *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return helper_db_int(db, sql);
}

static int64_t kv(const char *db, const char *key)
{
	return q(db, "SELECT value FROM replay WHERE key = '%s'", key);
}

static char *sample_dir(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", root ? root : ".", SAMPLE) > 0);
	return p;
}

/* ------------------------------------------------------------ pointers */

Test(replay, unmatched_free_is_counted_not_an_error)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };

	trace_begin(&t);
	kfree_line(t.f, 0, 10, 0xffff888000002000ULL);		/* line 1: never allocated */
	kmalloc_line(t.f, 0, 20, 0xffff888000001000ULL, 64, 64);
	kfree_line(t.f, 0, 30, 0xffff888000001000ULL);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_unmatched_free, 1));
	cr_assert(eq(i64, kv(t.db, "unmatched_free"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 1"), 0));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 3 AND kind = 'obj_free'"), 1));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 0));
	trace_end(&t);
}

Test(replay, live_pointer_allocated_again_retires_the_old_object)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t x = 0xffff888000001000ULL;

	trace_begin(&t);
	kmalloc_line(t.f, 0, 10, x, 64, 64);		/* line 1 */
	kmalloc_line(t.f, 0, 20, x, 100, 128);		/* line 2: x again, its free was lost */
	kfree_line(t.f, 0, 30, x);			/* line 3: frees the second */
	kfree_line(t.f, 0, 40, x);			/* line 4: nothing left to free */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	/* the learning pass puts the lost free in a batch (one object) just before line 2 */
	cr_assert(eq(u64, st.nr_live_realloc, 0));
	cr_assert(eq(u64, st.nr_inferred_free_batch_calls, 1));
	cr_assert(eq(u64, st.nr_inferred_free_batch_objects, 1));
	cr_assert(eq(u64, st.nr_unmatched_free, 1));
	/* the old object was freed by the replay itself: an op without a trace line */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_free' AND trace_line IS NULL"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops a JOIN v_ops f ON f.trace_line = 3 AND a.trace_line = 2"
			  " WHERE a.addr = f.addr AND a.cache = f.cache"), 1));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 0));
	trace_end(&t);
}

/* ---------------------------------------------------- bulk inference */

/* kmem_cache_alloc / kmem_cache_free of 256-byte objects of a named cache. */
static void kca256(FILE *f, int pid, int cpu, unsigned int us, uint64_t ptr)
{
	tl(f, pid, cpu, ".....", us, "kmem_cache_alloc", "call_site=mas_alloc_nodes+0x10/0x40 ptr=%016llx"
	   " bytes_req=256 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false", (unsigned long long)ptr);
}

static void kcf256_at(FILE *f, int pid, int cpu, const char *flags, unsigned int us, const char *site, uint64_t ptr)
{
	tl(f, pid, cpu, flags, us, "kmem_cache_free", "call_site=%s ptr=%016llx name=bulk_node", site,
	   (unsigned long long)ptr);
}

static void kcf256(FILE *f, int pid, int cpu, const char *flags, unsigned int us, uint64_t ptr)
{
	kcf256_at(f, pid, cpu, flags, us, "rcu_core+0x8/0x20", ptr);
}

/* mas_destroy's free of a preallocation's header and, right after, of its slot[0] */
static void mas_destroy256(FILE *f, int pid, int cpu, unsigned int us, uint64_t header, uint64_t slot0)
{
	kcf256_at(f, pid, cpu, ".....", us, "mas_destroy+0x1f8/0x270", header);
	kcf256_at(f, pid, cpu, ".....", us + 1, "mas_destroy+0x1c0/0x270", slot0);
}

/* The objects bulk-allocated after trace line `line` (every later bulk allocation counted too). */
static int64_t bulk_objs_after(const char *db, int64_t line)
{
	return q(db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_alloc'"
		 " AND o.trace_line IS NULL AND p.path LIKE 'kmem_cache_alloc_bulk%%' AND o.seq > (SELECT min(seq)"
		 " FROM v_ops WHERE trace_line = %lld)", (long long)line);
}

Test(replay, unpaired_free_implies_a_bulk_allocation_after_its_anchor)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t a = 0xffff888000010000ULL, far = 0xffff888000900000ULL;

	trace_begin(&t);
	kca256(t.f, 7, 1, 10, a);			/* line 1: the anchor (mas_alloc_nodes' own node) */
	kcf256(t.f, 7, 1, ".....", 20, a);		/* line 2: paired: teaches the cache's 256 bytes */
	kca256(t.f, 7, 1, 30, a);			/* line 3: the anchor again */
	kcf256(t.f, 0, 2, "..s..", 40, a + 256);	/* lines 4-6: freed, never allocated: a bulk after line 3 */
	kcf256(t.f, 0, 2, "..s..", 50, a + 3 * 256);
	kcf256(t.f, 0, 3, "..s..", 60, a + 2 * 256);
	kcf256(t.f, 0, 3, "..s..", 70, far);		/* line 7: nothing below it: unmatched */
	kcf256(t.f, 7, 1, ".....", 80, a);		/* line 8 */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_calls, 1));
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_objects, 3));
	cr_assert(eq(u64, st.nr_unmatched_free, 1));
	cr_assert(eq(i64, kv(t.db, "inferred_alloc_bulk_objects"), 3));
	/* three allocations of the bulk call, on the anchor's CPU and task, no trace line */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_alloc'"
			  " AND o.trace_line IS NULL AND o.cpu = 1 AND o.task = 7 AND p.path LIKE 'kmem_cache_alloc_bulk%%'"), 3));
	/* all three off c->freelist (L1): the anchor's slab had room */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc' AND trace_line IS NULL"
			  " AND level = 1"), 3));
	/* and their traced frees ran: every object freed */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_free' AND trace_line IN (4, 5, 6)"), 3));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 0));
	trace_end(&t);
}

Test(replay, mas_destroy_frees_the_preallocations_unused_nodes)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t a = 0xffff888000010000ULL, b = 0xffff888000020000ULL;

	trace_begin(&t);
	kca256(t.f, 7, 1, 10, a);			/* line 1: teaches the cache's 256 bytes */
	kcf256(t.f, 7, 1, ".....", 20, a);		/* line 2 */
	/* a preallocation: header a; slot[0] below it (not found by address), one slot used */
	kca256(t.f, 7, 1, 30, a);			/* line 3: the header */
	mas_destroy256(t.f, 7, 1, 40, a, a - 4 * 256);	/* lines 4, 5: header, then slot[0] */
	kcf256(t.f, 0, 2, "..s..", 50, a + 2 * 256);	/* line 6: the used slot, replaced later */
	/* a preallocation whose stores used 6 slots: the height was at least 3 (1 + 3 * 3 nodes) */
	kca256(t.f, 8, 0, 60, b);			/* line 7: the header */
	mas_destroy256(t.f, 8, 0, 70, b, b + 256);	/* lines 8, 9 */
	for (unsigned int i = 0; i < 6; i++)		/* lines 10-15 */
		kcf256(t.f, 0, 3, "..s..", 80 + i, b + (2 + i) * 256);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	/* 1 + 3 * 1 nodes, the header traced: 3 bulk-allocated, 2 freed traced, 1 unused; then 9, 7 traced, 2 unused */
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_objects, 3 + 9));
	cr_assert(eq(u64, st.nr_inferred_unused_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_unused_objects, 1 + 2));
	cr_assert(eq(u64, st.nr_unmatched_free, 0));
	cr_assert(eq(i64, kv(t.db, "inferred_unused_calls"), 2));
	cr_assert(eq(i64, kv(t.db, "inferred_unused_objects"), 3));
	cr_assert(eq(i64, bulk_objs_after(t.db, 3), 12));
	cr_assert(eq(i64, bulk_objs_after(t.db, 7), 9));
	/* the unused one freed on the header's CPU and task, before the header's own free (line 4) */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND o.cpu = 1 AND o.task = 7 AND p.path LIKE 'kmem_cache_free_bulk%%'"
			  " AND o.seq < (SELECT min(seq) FROM v_ops WHERE trace_line = 4)"
			  " AND o.seq > (SELECT min(seq) FROM v_ops WHERE trace_line = 3)"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND o.cpu = 0 AND o.task = 8 AND p.path LIKE 'kmem_cache_free_bulk%%'"), 2));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 0));
	trace_end(&t);
}

Test(replay, unanchored_free_takes_a_node_the_tree_kept)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t a = 0xffff888000010000ULL, b = 0xffff888000020000ULL, x = 0xffff888000900000ULL;

	trace_begin(&t);
	kca256(t.f, 7, 1, 10, a);			/* line 1: teaches the cache's 256 bytes */
	kcf256(t.f, 7, 1, ".....", 20, a);		/* line 2 */
	kca256(t.f, 7, 1, 30, a);			/* line 3: preallocation A's header */
	mas_destroy256(t.f, 7, 1, 40, a, a - 4 * 256);	/* lines 4, 5 */
	kca256(t.f, 8, 0, 50, b);			/* line 6: preallocation B's header */
	mas_destroy256(t.f, 8, 0, 60, b, b - 4 * 256);	/* lines 7, 8 */
	/* five frees of nodes never allocated, far from any traced allocation (SLAB's LIFO order) */
	for (unsigned int i = 0; i < 5; i++)		/* lines 9-13 */
		kcf256(t.f, 0, 2, "..s..", 70 + i, x + i * 64 * 256);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	/* 1 + 3 * 1 nodes each: slot[0] and two the store kept; the oldest first (A: lines 9, 10; B: 11, 12) */
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_objects, 3 + 3));
	cr_assert(eq(u64, st.nr_inferred_unused_calls, 0));	/* no node left unclaimed */
	cr_assert(eq(u64, st.nr_unmatched_free, 1));		/* line 13: none left to take */
	cr_assert(eq(i64, bulk_objs_after(t.db, 6), 3));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_free' AND trace_line BETWEEN 9 AND 12"), 4));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 0));
	trace_end(&t);
}

/* dup_mmap's copy of one VMA: kmem_cache_alloc in vm_area_dup */
static void vm_area_dup_line(FILE *f, int pid, int cpu, unsigned int us, uint64_t ptr)
{
	tl(f, pid, cpu, ".....", us, "kmem_cache_alloc", "call_site=vm_area_dup+0x1c/0x90 ptr=%016llx"
	   " bytes_req=144 bytes_alloc=168 gfp_flags=GFP_KERNEL node=-1 accounted=false", (unsigned long long)ptr);
}

Test(replay, dup_mmap_preallocation_is_sized_by_its_map_count)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t a = 0xffff888000010000ULL, b = 0xffff888000020000ULL, v = 0xffff888000400000ULL;
	unsigned int us = 40;

	trace_begin(&t);
	kca256(t.f, 7, 1, 10, a);			/* line 1: teaches the cache's 256 bytes */
	kcf256(t.f, 7, 1, ".....", 20, a);		/* line 2 */
	/* a fork: the header, 10 VMAs copied by its task (and 3 by another task on that CPU), mas_destroy */
	kca256(t.f, 7, 1, 30, a);			/* line 3: the header */
	for (unsigned int i = 0; i < 13; i++, us += 2)
		vm_area_dup_line(t.f, i < 10 ? 7 : 9, 1, us, v + i * 168);
	mas_destroy256(t.f, 7, 1, us, a, a - 4 * 256);	/* lines 17, 18 */
	/* an ordinary preallocation after it, no VMA copied: 1 + 3 * 1 nodes */
	kca256(t.f, 7, 1, us + 10, b);			/* line 19 */
	mas_destroy256(t.f, 7, 1, us + 20, b, b + 256);	/* lines 20, 21 */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	/*
	 * mas_expected_entries(10): 21 entries in 2 leaves of 14, 1 parent, 3 more: 6 nodes, 5 bulk-allocated,
	 * slot[0] freed traced, 4 unused; then 3 bulk-allocated, 2 unused
	 */
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_alloc_bulk_objects, 5 + 3));
	cr_assert(eq(u64, st.nr_inferred_unused_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_unused_objects, 4 + 2));
	cr_assert(eq(i64, bulk_objs_after(t.db, 19), 3));
	/* the four unused before the header's free (line 17), after the header (line 3) */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND p.path LIKE 'kmem_cache_free_bulk%%'"
			  " AND o.seq < (SELECT min(seq) FROM v_ops WHERE trace_line = 17)"
			  " AND o.seq > (SELECT min(seq) FROM v_ops WHERE trace_line = 3)"), 4));
	trace_end(&t);
}

Test(replay, live_reallocations_become_one_kfree_bulk_batch)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t x = 0xffff888000001000ULL, y = 0xffff888000001060ULL, z = 0xffff888000001120ULL;

	trace_begin(&t);
	kmalloc_line(t.f, 1, 10, x, 96, 96);		/* lines 1-3: on CPU 1, freed by kfree_rcu (untraced) */
	kmalloc_line(t.f, 1, 20, y, 96, 96);
	kmalloc_line(t.f, 1, 30, z, 96, 96);
	kmalloc_line(t.f, 0, 40, y, 96, 96);		/* line 4: y again: a batch of x, y, z before it */
	kmalloc_line(t.f, 0, 50, x, 96, 96);		/* line 5: x again: in that batch already */
	kmalloc_line(t.f, 1, 60, z, 96, 96);		/* line 6: z again: in that batch */
	kmalloc_line(t.f, 0, 70, x, 96, 96);		/* line 7: x (of line 5) again: allocated after the batch: a new one */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_inferred_free_batch_calls, 2));
	cr_assert(eq(u64, st.nr_inferred_free_batch_objects, 4));
	cr_assert(eq(u64, st.nr_live_realloc, 0));
	cr_assert(eq(i64, kv(t.db, "inferred_free_batch_calls"), 2));
	/* the first batch on CPU 1 (where x, y, z were allocated), the second on CPU 0 (line 5's x) */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND o.cpu = 1 AND p.path LIKE 'kmem_cache_free_bulk%%'"), 3));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND o.cpu = 0 AND p.path LIKE 'kmem_cache_free_bulk%%'"), 1));
	/* x, y, z are in one slab, CPU 1's cpu slab: one detached freelist, one fast-path free */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND p.path LIKE 'kmem_cache_free_bulk:same_slab%%'"), 2));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 3));
	trace_end(&t);
}

Test(replay, kfree_rcu_batch_drains_five_seconds_after_the_first_call)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };
	uint64_t x = 0xffff888000001000ULL, y = 0xffff888000001060ULL, w = 0xffff888000002000ULL;

	trace_begin(&t);
	kmalloc_line(t.f, 1, 10, x, 96, 96);		/* lines 1, 2: kfree_rcu'd on CPU 1 (untraced) */
	kmalloc_line(t.f, 1, 20, y, 96, 96);
	for (unsigned int i = 0; i < 32; i++) {		/* lines 3-66: 6 s on, other work on CPU 0 */
		kmalloc_line(t.f, 0, 6000000 + 2 * i, w, 64, 64);
		kfree_line(t.f, 0, 6000001 + 2 * i, w);
	}
	kmalloc_line(t.f, 0, 7000000, x, 96, 96);	/* line 67: x again */
	kmalloc_line(t.f, 0, 8000000, y, 96, 96);	/* line 68: y again */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_inferred_free_batch_calls, 1));
	cr_assert(eq(u64, st.nr_inferred_free_batch_objects, 2));
	cr_assert(eq(u64, st.nr_live_realloc, 0));
	/*
	 * KFREE_DRAIN_JIFFIES (5 s) after x's call, and a grace period: the batch runs on CPU 1
	 * at the first sampled object event after 5.00801 s (every 16th: line 17), not at the reuse
	 */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND o.cpu = 1 AND p.path LIKE 'kmem_cache_free_bulk%%'"), 2));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN path_sigs p ON p.sig = o.sig WHERE o.kind = 'obj_free'"
			  " AND o.trace_line IS NULL AND p.path LIKE 'kmem_cache_free_bulk%%'"
			  " AND o.seq > (SELECT max(seq) FROM v_ops WHERE trace_line = 16)"
			  " AND o.seq < (SELECT min(seq) FROM v_ops WHERE trace_line = 17)"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line IS NULL AND kind = 'obj_free'"
			  " AND time_ns < 7000000000"), 2));
	cr_assert(eq(i64, kv(t.db, "live_objects"), 2));
	trace_end(&t);
}

/* -------------------------------------------------------------- caches */

Test(replay, cache_of_a_call_site_is_learned_from_its_frees)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { 0 };

	trace_begin(&t);
	kca_line(t.f, 10, "foo_alloc+0x10/0x40", 0xffff888000001000ULL);	/* line 1 */
	kca_line(t.f, 20, "foo_alloc+0x10/0x40", 0xffff888000002000ULL);	/* line 2: never freed */
	kcf_line(t.f, 30, 0xffff888000001000ULL, "foo_cache");		/* line 3: names the cache */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, kv(t.db, "learning_pass"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM trace_cache_sites WHERE call_site = 'foo_alloc+0x10/0x40'"
			  " AND bytes_alloc = 56 AND cache = 'foo_cache' AND how = 'site' AND votes = 1"), 1));
	/* both allocations, the second before any free of it, went to foo_cache */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN trace_caches c ON c.cache_id = o.cache"
			  " WHERE o.kind = 'obj_alloc' AND o.trace_line IN (1, 2) AND c.cache = 'foo_cache'"), 2));
	cr_assert(eq(i64, q(t.db, "SELECT trace_size FROM trace_caches WHERE cache = 'foo_cache'"), 56));
	trace_end(&t);
}

Test(replay, streaming_places_a_site_in_a_stand_in_until_a_free_names_its_cache)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .one_pass = true };

	trace_begin(&t);
	kca_line(t.f, 10, "foo_alloc+0x10/0x40", 0xffff888000001000ULL);	/* line 1: unknown yet */
	kcf_line(t.f, 20, 0xffff888000001000ULL, "foo_cache");		/* line 2: learned */
	kca_line(t.f, 30, "foo_alloc+0x10/0x40", 0xffff888000003000ULL);	/* line 3 */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, kv(t.db, "learning_pass"), 0));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN trace_caches c ON c.cache_id = o.cache"
			  " WHERE o.trace_line = 1 AND c.cache = 'unknown-56' AND c.source = 'stand-in'"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops o JOIN trace_caches c ON c.cache_id = o.cache"
			  " WHERE o.trace_line = 3 AND c.cache = 'foo_cache'"), 1));
	cr_assert(eq(i64, kv(t.db, "kmem_cache_alloc.stand-in"), 1));
	cr_assert(eq(i64, kv(t.db, "kmem_cache_alloc.site"), 1));
	trace_end(&t);
}

/* --------------------------------------------------------------- pages */

/* A slab page, an ordinary page, a large kmalloc's pages, each allocated and freed. */
static void pages_trace(FILE *f)
{
	tl(f, 100, 0, ".....", 10, "mm_page_alloc", "page=ffffea0000040000 pfn=0x1000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY");				/* 1: slab page */
	kca_line(f, 11, "foo_alloc+0x10/0x40", 0xffff888001000000ULL);			/* 2: its object */
	tl(f, 100, 0, ".....", 20, "mm_page_alloc", "page=ffffea0000080000 pfn=0x2000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_ZERO");						/* 3: ordinary */
	tl(f, 100, 0, ".....", 30, "mm_page_free", "page=ffffea0000080000 pfn=0x2000 order=0");	/* 4 */
	tl(f, 100, 0, ".....", 40, "mm_page_alloc", "page=ffffea00000c0000 pfn=0x3000 order=2 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_COMP");						/* 5: kmalloc's */
	kmalloc_line(f, 0, 41, 0xffff888003000000ULL, 16000, 16384);			/* 6 */
	kfree_line(f, 0, 50, 0xffff888003000000ULL);					/* 7 */
	tl(f, 100, 0, ".....", 51, "mm_page_free", "page=ffffea00000c0000 pfn=0x3000 order=2");	/* 8 */
	kcf_line(f, 60, 0xffff888001000000ULL, "foo_cache");				/* 9 */
	tl(f, 100, 0, ".....", 61, "mm_page_free", "page=ffffea0000040000 pfn=0x1000 order=0");	/* 10 */
}

static int64_t traced_pages(const char *db, const char *kind)
{
	return q(db, "SELECT count(*) FROM v_ops WHERE kind = '%s' AND trace_line IS NOT NULL", kind);
}

Test(replay, pages_non_slab_leaves_the_slab_pages_to_the_model)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st, .pages = SIM_REPLAY_PAGES_NON_SLAB };

	trace_begin(&t);
	pages_trace(t.f);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_slab_pages, 2));
	cr_assert(eq(u64, st.nr_slab_page_frees, 2));
	cr_assert(eq(i64, traced_pages(t.db, "page_alloc"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 3"), 1));
	cr_assert(eq(i64, traced_pages(t.db, "page_free"), 1));
	/* the order-2 block exists once: the model's, under the kmalloc of line 6 */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops p JOIN v_ops k ON p.parent_seq = k.seq"
			  " WHERE p.kind = 'page_alloc' AND p.\"order\" = 2 AND k.trace_line = 6"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND \"order\" = 2"), 1));
	trace_end(&t);
}

Test(replay, pages_all_replays_every_page_event)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .pages = SIM_REPLAY_PAGES_ALL };

	trace_begin(&t);
	pages_trace(t.f);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, traced_pages(t.db, "page_alloc"), 3));
	cr_assert(eq(i64, traced_pages(t.db, "page_free"), 3));
	cr_assert(eq(i64, kv(t.db, "slab_pages"), 2));		/* still told apart, and counted twice */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND \"order\" = 2"), 2));
	trace_end(&t);
}

Test(replay, pages_none_replays_objects_only)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .pages = SIM_REPLAY_PAGES_NONE };

	trace_begin(&t);
	pages_trace(t.f);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, traced_pages(t.db, "page_alloc") + traced_pages(t.db, "page_free"), 0));
	cr_assert(eq(i64, kv(t.db, "pages_skipped"), 6));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind LIKE 'obj_%%' AND trace_line IS NOT NULL"), 4));
	trace_end(&t);
}

Test(replay, page_allocation_not_followed_by_its_slab_allocation_is_ordinary)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { 0 };

	trace_begin(&t);
	/* slab-like gfp, but the next event of CPU 0 is another task's */
	tl(t.f, 100, 0, ".....", 10, "mm_page_alloc", "page=ffffea0000040000 pfn=0x1000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY");
	tl(t.f, 200, 0, ".....", 11, "kmalloc", "call_site=x+0x1/0x2 ptr=ffff888001000000 bytes_req=8"
	   " bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false");
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, kv(t.db, "slab_pages"), 0));
	cr_assert(eq(i64, traced_pages(t.db, "page_alloc"), 1));
	trace_end(&t);
}

/* ------------------------------------------------------------ contexts */

Test(replay, interrupt_context_events_run_as_handlers_on_their_cpu)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { 0 };

	trace_begin(&t);
	tl(t.f, 4242, 1, "..s..", 10, "kmalloc", "call_site=a+0x1/0x2 ptr=ffff888000001000 bytes_req=32"
	   " bytes_alloc=32 gfp_flags=GFP_ATOMIC node=-1 accounted=false");		/* softirq */
	tl(t.f, 4242, 1, "d.h1.", 110, "kmalloc", "call_site=a+0x1/0x2 ptr=ffff888000002000 bytes_req=32"
	   " bytes_alloc=32 gfp_flags=GFP_ATOMIC node=-1 accounted=false");		/* hardirq */
	tl(t.f, 4242, 1, ".....", 210, "kfree", "call_site=b+0x1/0x2 ptr=ffff888000001000");	/* task */
	tl(t.f, 77777, 2, "..s1.", 310, "kfree", "call_site=b+0x1/0x2 ptr=ffff888000002000");	/* softirq */
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 1 AND context = 'softirq' AND cpu = 1"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 2 AND context = 'hardirq' AND cpu = 1"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 3 AND context = 'task'"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE trace_line = 4 AND context = 'softirq' AND cpu = 2"), 1));
	/* each runs in its trace task, pids beyond 16 bits included */
	cr_assert(eq(i64, q(t.db, "SELECT task FROM v_ops WHERE trace_line = 2"), 4242));
	cr_assert(eq(i64, q(t.db, "SELECT task FROM v_ops WHERE trace_line = 4"), 77777));
	/* and arrive at their trace time: 300 us apart */
	cr_assert(ge(i64, q(t.db, "SELECT a.time_ns - b.time_ns FROM v_ops a, ops b WHERE a.trace_line = 4"
			    " AND b.trace_line = 1"), 300000));
	/* an idle vCPU's event waits for the vCPUs behind it: line 4 (CPU 2, idle until then)
	 * runs after line 2 (CPU 1), so its free finds the object allocated */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops a, ops b WHERE a.trace_line = 2 AND b.trace_line = 4"
			  " AND a.seq < b.seq"), 1));
	cr_assert(eq(i64, kv(t.db, "deferred_free"), 0));
	trace_end(&t);
}

/* ------------------------------------------------------- shipped sample */

/* Every event of the trace is an ops row, or counted as not replayed. */
static void assert_counts(const char *db)
{
	int64_t kmalloc = kv(db, "events.kmalloc") + kv(db, "events.kmem_cache_alloc");
	int64_t frees = kv(db, "events.kfree") + kv(db, "events.kmem_cache_free");

	cr_assert(eq(i64, kv(db, "events"), 49999));	/* 50,000 lines, one tracing_mark_write */
	cr_assert(eq(i64, q(db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_alloc' AND trace_line IS NOT NULL") +
		      kv(db, "kernel_obj_alloc_failed"), kmalloc));
	cr_assert(eq(i64, q(db, "SELECT count(*) FROM v_ops WHERE kind = 'obj_free' AND trace_line IS NOT NULL") +
		      kv(db, "unmatched_free") + kv(db, "null_free") + kv(db, "free_of_failed"), frees));
	cr_assert(eq(i64, q(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND trace_line IS NOT NULL") +
		      kv(db, "slab_pages") + kv(db, "kernel_page_alloc_failed"), kv(db, "events.mm_page_alloc")));
	cr_assert(eq(i64, q(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_free' AND trace_line IS NOT NULL") +
		      kv(db, "unmatched_page_free") + kv(db, "slab_page_frees"), kv(db, "events.mm_page_free")));
	cr_assert(eq(i64, kv(db, "kernel_internal"), kv(db, "events.mm_page_alloc_zone_locked") +
		      kv(db, "events.mm_page_pcpu_drain") + kv(db, "events.mm_page_alloc_extfrag") +
		      kv(db, "events.mm_page_free_batched")));
	cr_assert(eq(i64, q(db, "SELECT sum(nr) FROM trace_kernel_events"), kv(db, "kernel_internal")));
	cr_assert(eq(i64, q(db, "SELECT count(*) FROM violations"), 0));
}

static void replay_sample(struct trace_file *t, int allocator, bool seed_set, uint64_t seed)
{
	struct sim_replay_opts o = { .allocator_set = true, .allocator = allocator, .seed_set = seed_set,
				     .seed = seed };
	char *dir = sample_dir();

	if (access(dir, R_OK))
		cr_skip_test("no sample at %s", dir);
	o.trace = dir;
	cr_assert(eq(int, trace_replay(t, &o), 0));
	free(dir);
}

Test(replay, shipped_sample_on_slub, .timeout = 30)
{
	struct trace_file t = { 0 };

	trace_begin(&t);
	replay_sample(&t, SIM_ALLOC_SLUB, false, 0);
	assert_counts(t.db);
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM runs WHERE allocator = 'slub'"), 1));
	trace_end(&t);
}

Test(replay, shipped_sample_on_slab, .timeout = 30)
{
	struct trace_file t = { 0 };

	trace_begin(&t);
	replay_sample(&t, SIM_ALLOC_SLAB, false, 0);
	assert_counts(t.db);
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM runs WHERE allocator = 'slab'"), 1));
	trace_end(&t);
}

Test(replay, machine_is_the_captures)
{
	struct trace_file t = { 0 };

	trace_begin(&t);
	replay_sample(&t, SIM_ALLOC_SLUB, false, 0);
	cr_assert(eq(i64, q(t.db, "SELECT nr_cpus * 10 + nr_nodes FROM runs"), 42));
	/* SNAP0/zoneinfo: spanned, present and managed pages of each zone */
	cr_assert(eq(i64, q(t.db, "SELECT present FROM zones WHERE node = 0 AND zone = 0"), 3998));
	cr_assert(eq(i64, q(t.db, "SELECT managed FROM zones WHERE node = 0 AND zone = 0"), 3840));
	cr_assert(eq(i64, q(t.db, "SELECT managed FROM zones WHERE node = 0 AND zone = 1"), 242463));
	cr_assert(eq(i64, q(t.db, "SELECT present FROM zones WHERE node = 1 AND zone = 1"), 262103));
	cr_assert(eq(i64, q(t.db, "SELECT managed FROM zones WHERE node = 1 AND zone = 1"), 257826));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM trace_cpus WHERE trace_cpu = cpu AND node = cpu / 2"), 4));
	trace_end(&t);
}

Test(replay, scenario_with_a_machine_overrides_the_captures)
{
	struct trace_file t = { 0 };
	char *dir = sample_dir(), *sc;
	struct sim_replay_opts o = { 0 };

	if (access(dir, R_OK))
		cr_skip_test("no sample at %s", dir);
	trace_begin(&t);
	sc = helper_write_file(t.dir, "one-node.json", "{ \"machine\": { \"nodes\": [ { \"cpus\": 4,"
			       " \"zones\": { \"dma\": 16, \"dma32\": 2032 } } ] }, \"costs\": { \"lock\": 40 } }");
	o.trace = dir;
	o.scenario_path = sc;
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, q(t.db, "SELECT nr_nodes * 10 + nr_cpus FROM runs"), 14));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM trace_cpus WHERE trace_cpu = cpu AND node = 0"), 4));
	cr_assert(eq(i64, q(t.db, "SELECT managed FROM zones WHERE node = 0 AND zone = 1"), 2032 * 256));
	/* a replay's snapshots are 100 ms apart unless the scenario says */
	cr_assert(ge(i64, q(t.db, "SELECT count(DISTINCT time_ns) FROM buddy_snapshots WHERE NOT final"), 10));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM buddy_snapshots WHERE NOT final AND time_ns %% 100000000"), 0));
	unlink(sc);
	free(sc);
	free(dir);
	trace_end(&t);
}

Test(replay, same_trace_and_seed_same_database, .timeout = 30)
{
	struct trace_file a = { 0 }, b = { 0 }, c = { 0 };
	uint64_t ha, hb, hc;

	trace_begin(&a);
	trace_begin(&b);
	trace_begin(&c);
	replay_sample(&a, SIM_ALLOC_SLUB, true, 7);
	replay_sample(&b, SIM_ALLOC_SLUB, true, 7);
	replay_sample(&c, SIM_ALLOC_SLUB, true, 8);
	ha = helper_db_hash(a.db);
	hb = helper_db_hash(b.db);
	hc = helper_db_hash(c.db);
	cr_assert(not(eq(u64, ha, 0)));
	cr_assert(eq(u64, ha, hb));
	cr_assert(not(eq(u64, ha, hc)));	/* the seed reaches the result (freelist shuffles) */
	trace_end(&a);
	trace_end(&b);
	trace_end(&c);
}

/* The default VFS, counting the opens of a main database file; fail_opens: each fails for lack of memory. */
static sqlite3_vfs *real_vfs, count_vfs;
static int nr_db_opens;
static bool fail_opens;

static int count_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	if (flags & SQLITE_OPEN_MAIN_DB) {
		nr_db_opens++;
		if (fail_opens)
			return SQLITE_NOMEM;
	}
	return real_vfs->xOpen(real_vfs, name, f, flags, out);
}

/*
 * --from and --to of a report (sim_cli_window), both line: points: the database is opened
 * once for the two; when that open fails for lack of memory it is a run-time failure, exit 1
 * (docs/cli.md), said in one line.
 */
static void window_opens_the_database_once(const char *db, const char *from, const char *to)
{
	struct sim_slab_window w = { 0 };
	char *msg = NULL;
	size_t len = 0;
	FILE *err;
	int rc;

	real_vfs = sqlite3_vfs_find(NULL);
	cr_assert(not(eq(ptr, real_vfs, NULL)));
	count_vfs = *real_vfs;
	count_vfs.zName = "kmemsim-count";
	count_vfs.xOpen = count_open;
	cr_assert(eq(int, sqlite3_vfs_register(&count_vfs, 1), SQLITE_OK));
	nr_db_opens = 0;
	cr_assert(eq(int, sim_cli_window("slabstat", db, from, to, &w, stderr), 0));
	cr_assert(eq(int, nr_db_opens, 1));
	cr_assert(w.from_set && w.to_set);
	cr_assert(le(u64, w.from_ns, w.to_ns));

	fail_opens = true;
	err = open_memstream(&msg, &len);
	rc = sim_cli_window("slabstat", db, from, to, &w, err);
	fclose(err);
	cr_assert(eq(int, rc, SIM_EFAIL), "%s", msg);
	fail_opens = false;
	cr_assert(eq(int, nr_db_opens, 2));
	cr_assert(not(eq(ptr, strstr(msg, ": cannot open: out of memory\n"), NULL)), "%s", msg);
	cr_assert(eq(ptr, strchr(msg, '\n'), msg + len - 1), "one line: %s", msg);
	free(msg);
	cr_assert(eq(int, sqlite3_vfs_unregister(&count_vfs), SQLITE_OK));
}

Test(replay, trace_line_maps_to_simulated_time)
{
	struct trace_file t = { 0 };
	struct sim_db *db;
	int64_t line, ns;
	uint64_t got = 0;

	trace_begin(&t);
	replay_sample(&t, SIM_ALLOC_SLUB, false, 0);
	line = q(t.db, "SELECT trace_line FROM v_ops WHERE trace_line IS NOT NULL ORDER BY trace_line LIMIT 1 OFFSET 1000");
	ns = q(t.db, "SELECT time_ns FROM v_ops WHERE trace_line = %lld", (long long)line);
	db = sim_db_open_existing(t.db, stderr);
	cr_assert(not(eq(ptr, db, NULL)));
	cr_assert(eq(int, sim_replay_line_ns(db, line, &got, stderr), 0));
	cr_assert(eq(i64, (int64_t)got, ns));
	/* a line that is no operation (the header) maps to the first one after it */
	cr_assert(eq(int, sim_replay_line_ns(db, 1, &got, stderr), 0));
	cr_assert(eq(i64, (int64_t)got, q(t.db, "SELECT time_ns FROM v_ops WHERE trace_line ="
					  " (SELECT min(trace_line) FROM v_ops)")));
	{
		char *msg = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);

		cr_assert(eq(int, sim_replay_line_ns(db, 10000000, &got, err), SIM_EBADINPUT));
		fclose(err);
		cr_assert(eq(str, msg, "kmemsim: trace line 10000000: no replayed event at or after it\n"));
		free(msg);
	}
	sim_db_close(db, false, stderr);

	/* slabstat --from line:A --to line:B counts the window of their simulated times */
	{
		int64_t a = q(t.db, "SELECT trace_line FROM v_ops WHERE trace_line IS NOT NULL ORDER BY trace_line LIMIT 1 OFFSET 2000");
		int64_t b = q(t.db, "SELECT trace_line FROM v_ops WHERE trace_line IS NOT NULL ORDER BY trace_line LIMIT 1 OFFSET 9000");
		char from_line[32], to_line[32], from_ns[32], to_ns[32];
		char *by_line = NULL, *by_ns = NULL, *err = NULL;

		snprintf(from_line, sizeof(from_line), "line:%lld", (long long)a);
		snprintf(to_line, sizeof(to_line), "line:%lld", (long long)b);
		snprintf(from_ns, sizeof(from_ns), "%lld", (long long)q(t.db, "SELECT time_ns FROM v_ops WHERE trace_line = %lld", (long long)a));
		snprintf(to_ns, sizeof(to_ns), "%lld", (long long)q(t.db, "SELECT time_ns FROM v_ops WHERE trace_line = %lld", (long long)b));
		const char *const argv1[] = { "kmemsim", "slabstat", t.db, "kmalloc-64", "alloc_fastpath",
					      "--from", from_line, "--to", to_line, NULL };
		const char *const argv2[] = { "kmemsim", "slabstat", t.db, "kmalloc-64", "alloc_fastpath",
					      "--from", from_ns, "--to", to_ns, NULL };
		const char *const argv3[] = { "kmemsim", "slabstat", t.db, "kmalloc-64", "alloc_fastpath",
					      "--from", "line:x", NULL };

		cr_assert(eq(int, helper_run_kmemsim(NULL, argv1, &by_line, NULL), 0));
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv2, &by_ns, NULL), 0));
		cr_assert(eq(str, by_line, by_ns));
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv3, NULL, &err), 2));
		cr_assert(eq(str, err, "kmemsim slabstat: --from: expected line:N with a trace line number N >= 1, got \"line:x\"\n"));
		free(by_line);
		free(by_ns);
		free(err);
	}
	window_opens_the_database_once(t.db, "line:1", "line:2");
	trace_end(&t);
}

/* ------------------------------------------------------------ bad input */

Test(replay, malformed_trace_is_one_line_exit_2_and_no_database)
{
	struct trace_file t = { 0 };
	char *out = NULL, *err = NULL, *want = NULL;
	int rc;

	trace_begin(&t);
	kmalloc_line(t.f, 0, 10, 0xffff888000001000ULL, 64, 64);
	tl(t.f, 100, 0, ".....", 20, "kmalloc", "call_site=f+0x1/0x2 ptr=ffff888000002000 bytes_req=12x"
	   " bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 accounted=false");
	fclose(t.f);
	t.f = NULL;
	{
		const char *argv[] = { "kmemsim", "replay", t.path, "--db", t.db, NULL };

		rc = helper_run_kmemsim(NULL, argv, &out, &err);
	}
	cr_assert(eq(int, rc, 2));
	cr_assert(asprintf(&want, "%s:2: kmalloc: bytes_req: expected a decimal number, got \"12x\"\n", t.path) > 0);
	cr_assert(eq(str, err, want));
	cr_assert(eq(int, access(t.db, F_OK), -1));
	free(out);
	free(err);
	free(want);
	trace_end(&t);
}

Test(replay, malformed_trace_read_once_is_bad_input_too)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .one_pass = true };

	trace_begin(&t);
	kmalloc_line(t.f, 0, 10, 0xffff888000001000ULL, 64, 64);
	tl(t.f, 100, 0, ".....", 20, "kfree", "call_site=f+0x1/0x2 ptr=zzzz");
	cr_assert(eq(int, trace_replay(&t, &o), SIM_EBADINPUT));
	cr_assert(eq(int, access(t.db, F_OK), -1));
	trace_end(&t);
}

Test(replay, capture_with_a_bad_cpu_list_is_bad_input)
{
	char *dir = helper_tmpdir(), *topo, *msg = NULL, *want = NULL;
	struct sim_capture *c = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	topo = helper_write_file(dir, "numa_topology.txt", "node0 cpus=0-x\n");
	cr_assert(eq(int, sim_capture_open(&c, dir, err), SIM_EBADINPUT));
	fclose(err);
	cr_assert(eq(ptr, c, NULL));
	cr_assert(asprintf(&want, "%s:1: cpus: expected a CPU list like \"0-3,8\"\n", topo) > 0);
	cr_assert(eq(str, msg, want));
	free(topo);
	helper_rmtree(dir);
	free(msg);
	free(want);
}

Test(replay, capture_reads_nodes_zones_and_merged_caches)
{
	char *dir = sample_dir();
	struct sim_capture *c = NULL;
	const struct sim_capture_cache *cc;

	if (access(dir, R_OK))
		cr_skip_test("no sample at %s", dir);
	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(int, c->nr_nodes, 2));
	cr_assert(eq(int, c->nr_cpus, 4));
	cr_assert(eq(int, c->cpu_node[3], 1));
	cr_assert(eq(u64, c->node[0].zone[1].start_pfn, 4096));
	cr_assert(eq(u64, c->node[1].zone[1].managed, 257826));
	cr_assert(not(c->slab_tunables));	/* SLUB */
	/* UNIX sockets are freed as "PING": both names reach :A-0001024 */
	cc = sim_capture_find_cache(c, "UNIX");
	cr_assert(not(eq(ptr, (void *)cc, NULL)));
	cr_assert(eq(ptr, (void *)sim_capture_find_cache(c, "PING"), (void *)cc));
	cr_assert(eq(str, cc->dir, ":A-0001024"));
	cr_assert(eq(u32, cc->size, 1024));
	cr_assert(not(eq(ptr, strstr(cc->aliases, "UNIX-STREAM"), NULL)));
	cr_assert(eq(u32, sim_capture_find_cache(c, "radix_tree_node")->size, 584));
	cr_assert(sim_capture_find_cache(c, "radix_tree_node")->ctor);
	sim_capture_free(c);
	free(dir);
}

/* ------------------------------------------------------------ pointer map */

Test(replay, pointer_map_keeps_every_live_key_through_deletions)
{
	struct sim_ptrmap m = { 0 };
	void *old;

	for (uint64_t k = 1; k <= 20000; k++)
		cr_assert(eq(int, sim_ptrmap_put(&m, 0xffff888000000000ULL + k * 64, (void *)(uintptr_t)k, &old), 0));
	cr_assert(eq(u64, m.nr, 20000));
	for (uint64_t k = 1; k <= 20000; k += 2)
		cr_assert(eq(u64, (uintptr_t)sim_ptrmap_del(&m, 0xffff888000000000ULL + k * 64), k));
	for (uint64_t k = 1; k <= 20000; k++)
		cr_assert(eq(u64, (uintptr_t)sim_ptrmap_get(&m, 0xffff888000000000ULL + k * 64), k % 2 ? 0 : k));
	for (uint64_t k = 2; k <= 20000; k += 2)
		sim_ptrmap_del(&m, 0xffff888000000000ULL + k * 64);
	cr_assert(eq(u64, m.nr, 0));
	cr_assert(le(u64, m.cap, 128));		/* shrunk with its keys */
	cr_assert(eq(int, sim_ptrmap_put(&m, 5, (void *)1, &old), 0));
	cr_assert(eq(int, sim_ptrmap_put(&m, 5, (void *)2, &old), 0));
	cr_assert(eq(ptr, old, (void *)1));
	sim_ptrmap_free(&m);
}

/* ----------------------------------------------- cache attributes, debug */

#include "sim/replay/replay_int.h"
#include "models/slab_common/slab_common.h"
#include "traces/kcaches.h"

/* A capture directory of a SLAB kernel (slabinfo with tunables; `stats`: the statistics
 * header of CONFIG_DEBUG_SLAB) with the trace t.f writes to dir/trace.txt. */
static void slab_capture_begin(struct trace_file *t, bool stats, const char *cmdline)
{
	char *snap = NULL;

	t->dir = helper_tmpdir();
	cr_assert(asprintf(&snap, "%s/SNAP0", t->dir) > 0);
	cr_assert(eq(int, mkdir(snap, 0755), 0));
	free(helper_write_file(snap, "slabinfo", stats ?
		"slabinfo - version: 2.1 (statistics)\n"
		"kmalloc-64           0      0     64   64    1 : tunables   32   16    8 : slabdata      0      0      0"
		" : globalstat       0      0     0    0    0    0    0    0    0 : cpustat      0      0      0      0\n" :
		"slabinfo - version: 2.1\n"
		"kmalloc-64           0      0     64   64    1 : tunables  120   60    8 : slabdata      0      0      0\n"));
	if (cmdline)
		free(helper_write_file(t->dir, "cmdline", cmdline));
	free(snap);
	cr_assert(asprintf(&t->path, "%s/trace.txt", t->dir) > 0);
	cr_assert(asprintf(&t->db, "%s/t.db", t->dir) > 0);
	t->f = fopen(t->path, "w");
	cr_assert(not(eq(ptr, t->f, NULL)));
}

static void capture_end(struct trace_file *t)
{
	helper_rmtree(t->dir);
	free(t->path);
	free(t->db);
}

/* A kmem_cache_alloc by task `pid` at `site` and its free naming `cache`. */
static void kca_pair(FILE *f, int pid, unsigned int us, const char *site, uint64_t ptr, unsigned int req,
		     unsigned int alloc, const char *cache)
{
	tl(f, pid, 0, ".....", us, "kmem_cache_alloc", "call_site=%s ptr=%016llx bytes_req=%u bytes_alloc=%u"
	   " gfp_flags=GFP_KERNEL node=-1 accounted=false", site, (unsigned long long)ptr, req, alloc);
	tl(f, pid, 0, ".....", us + 1, "kmem_cache_free", "call_site=g_free+0x8/0x20 ptr=%016llx name=%s",
	   (unsigned long long)ptr, cache);
}

/* A model cache's geometry in the replay's database. */
static int64_t geom(const char *db, const char *cache, const char *col)
{
	return q(db, "SELECT \"%s\" FROM caches WHERE name = '%s'", col, cache);
}

/*
 * A CONFIG_DEBUG_SLAB capture (slabinfo's statistics columns) replays with the debug
 * layouts: radix_tree_node (catalogue: SLAB_RECLAIM_ACCOUNT and a constructor) 192 ->
 * 216, 18 per page, as the oracle-slab-debug kernel; a cache the catalogue does not
 * know, 100 bytes traced as 128 (red zones and the user word): 128.  A cache traced at
 * its plain size under 4 KiB must be aligned past 8 (no red zone): 256 bytes, align 256.
 */
Test(replay, debug_slab_capture_replays_with_debug_layouts)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .allocator_set = true, .allocator = SIM_ALLOC_SLAB };

	slab_capture_begin(&t, true, NULL);
	kca_pair(t.f, 100, 10, "radix_tree_node_alloc+0x10/0x40", 0xffff888001000000ULL, 192, 216, "radix_tree_node");
	kca_pair(t.f, 100, 20, "w4_alloc+0x10/0x40", 0xffff888001001000ULL, 100, 128, "w4_cache");
	kca_pair(t.f, 100, 30, "w4_big_alloc+0x10/0x40", 0xffff888001002000ULL, 256, 256, "w4_aligned");
	o.trace = t.dir;
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, geom(t.db, "radix_tree_node", "size"), 216));
	cr_assert(eq(i64, geom(t.db, "radix_tree_node", "objs_per_slab"), 18));
	cr_assert(eq(i64, geom(t.db, "radix_tree_node", "order"), 0));
	cr_assert(eq(i64, geom(t.db, "w4_cache", "size"), 128));
	cr_assert(eq(i64, geom(t.db, "w4_aligned", "size"), 256));
	cr_assert(eq(i64, geom(t.db, "w4_aligned", "align"), 256));
	cr_assert(eq(i64, geom(t.db, "kmalloc-64", "limit"), 32), "debug head arrays are capped at 32");
	capture_end(&t);
}

/*
 * SLAB_RECLAIM_ACCOUNT from the trace: a SLAB capture's slab page with __GFP_RECLAIMABLE
 * followed by a kmem_cache_alloc of the same task marks that site's cache; SLAB's
 * calculate_slab_order then stops at order 0: 704-byte objects, 5 on one page.  Without
 * the mark (a control cache of the same size) order 0 wastes 576 bytes (> 1/8), so
 * order 1: 11 on 2 pages.  Neither name is in the catalogue.
 */
Test(replay, reclaimable_slab_pages_make_a_reclaim_account_cache)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .allocator_set = true, .allocator = SIM_ALLOC_SLAB };

	slab_capture_begin(&t, false, NULL);
	tl(t.f, 100, 0, ".....", 10, "mm_page_alloc", "page=ffffea0000040000 pfn=0x1000 order=0 migratetype=1"
	   " gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE|__GFP_RECLAIMABLE");
	kca_pair(t.f, 100, 11, "w4_sock_alloc+0x10/0x40", 0xffff888001000000ULL, 704, 704, "w4_sock");
	tl(t.f, 100, 0, ".....", 20, "mm_page_alloc", "page=ffffea0000080000 pfn=0x2000 order=1 migratetype=0"
	   " gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE");
	kca_pair(t.f, 100, 21, "w4_plain_alloc+0x10/0x40", 0xffff888002000000ULL, 704, 704, "w4_plain");
	o.trace = t.dir;
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, geom(t.db, "w4_sock", "order"), 0));
	cr_assert(eq(i64, geom(t.db, "w4_sock", "objs_per_slab"), 5));
	cr_assert(eq(i64, geom(t.db, "w4_sock", "flags") & SLAB_RECLAIM_ACCOUNT, SLAB_RECLAIM_ACCOUNT));
	cr_assert(eq(i64, geom(t.db, "w4_plain", "order"), 1));
	cr_assert(eq(i64, geom(t.db, "w4_plain", "objs_per_slab"), 11));
	capture_end(&t);
}

/*
 * SLAB's slab pages always carry __GFP_COMP (kmem_getpages adds the cache's allocflags):
 * a GFP_KERNEL|__GFP_RETRY_MAYFAIL page followed by a kmalloc of the same task (the trace
 * ring buffer's pages) is an ordinary page, replayed; a __GFP_COMP|__GFP_THISNODE one is
 * the slab allocator's.
 */
Test(replay, slab_capture_pages_without_comp_are_not_slab_pages)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { .allocator_set = true, .allocator = SIM_ALLOC_SLAB };

	slab_capture_begin(&t, false, NULL);
	tl(t.f, 100, 0, ".....", 10, "mm_page_alloc", "page=ffffea0000040000 pfn=0x1000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_RETRY_MAYFAIL");					/* 1: ring buffer */
	kmalloc_line(t.f, 0, 11, 0xffff888003000000ULL, 100, 128);			/* 2 */
	tl(t.f, 100, 0, ".....", 20, "mm_page_alloc", "page=ffffea0000080000 pfn=0x2000 order=0 migratetype=0"
	   " gfp_flags=__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE");	/* 3: slab page */
	kmalloc_line(t.f, 0, 21, 0xffff888003001000ULL, 100, 128);			/* 4 */
	o.trace = t.dir;
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, kv(t.db, "slab_pages"), 1));
	cr_assert(eq(i64, traced_pages(t.db, "page_alloc"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 1"), 1));
	capture_end(&t);
}

/* The attribute rules on crafted caches: sysfs first, then the catalogue, then the trace. */
Test(replay, cache_attributes_from_sysfs_catalogue_and_trace)
{
	struct sim_capture_cache cap = { .dir = "x", .object_size = 192, .size = 200, .align = 8,
					 .flags = SLAB_RECLAIM_ACCOUNT, .ctor = true };
	struct rp_cache c = { .name = "w4_nowhere", .object_size = 704, .size = 768 };
	unsigned int size, align, flags;
	bool ctor;

	/* sysfs: its ctor attribute */
	c.cap = &cap;
	rp_cache_attrs(&c, true, false, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, size, 192));
	cr_assert(ctor);
	cr_assert(eq(u32, flags, SLAB_RECLAIM_ACCOUNT));
	/* the trace: 768 > 704 and a multiple of 64: cache-line aligned */
	c.cap = NULL;
	rp_cache_attrs(&c, true, false, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, size, 704));
	cr_assert(eq(u32, flags, SLAB_HWCACHE_ALIGN));
	cr_assert(not(ctor));
	/* the catalogue: sock_inode_cache is HWCACHE_ALIGN | RECLAIM_ACCOUNT | MEM_SPREAD | ACCOUNT
	 * with a ctor;
	 * SLAB_ACCOUNT only with CONFIG_MEMCG_KMEM */
	c.name = "sock_inode_cache";
	cr_assert(not(eq(ptr, (void *)kcache_lookup_6_1(c.name), NULL)));
	rp_cache_attrs(&c, true, false, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, flags, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_MEM_SPREAD | SLAB_ACCOUNT));
	cr_assert(ctor);
	rp_cache_attrs(&c, false, false, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, flags, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | SLAB_MEM_SPREAD));
	/* the trace's reclaimable pages add SLAB_RECLAIM_ACCOUNT */
	c.name = "w4_nowhere";
	c.size = 704;
	c.reclaimable = true;
	rp_cache_attrs(&c, false, false, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, flags, SLAB_RECLAIM_ACCOUNT));
	/* a debug kernel: 704 + 24 is the red-zone layout, not a cache-line alignment */
	c.reclaimable = false;
	c.size = 728;
	c.object_size = 704;
	rp_cache_attrs(&c, false, true, &size, &align, &flags, &ctor);
	cr_assert(eq(u32, flags, 0));
	cr_assert(eq(u32, align, 8));
}

/* slub_debug on the capture's command line. */
Test(replay, slub_debug_from_the_command_line)
{
	bool found;

	cr_assert(eq(u32, rp_cmdline_slub_debug("console=ttyS0 panic=-1", &found), 0));
	cr_assert(not(found));
	cr_assert(eq(u32, rp_cmdline_slub_debug("a slub_debug b", &found),
		     SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER));
	cr_assert(found);
	cr_assert(eq(u32, rp_cmdline_slub_debug("slub_debug=ZP quiet", &found), SLAB_RED_ZONE | SLAB_POISON));
	cr_assert(eq(u32, rp_cmdline_slub_debug("slub_debug=-", &found), 0));
	cr_assert(found);
	/* a block with a cache list is per-cache: not modelled, the global block counts */
	cr_assert(eq(u32, rp_cmdline_slub_debug("slub_debug=U;FZ,dentry", &found), SLAB_STORE_USER));
	cr_assert(eq(u32, rp_cmdline_slub_debug(NULL, &found), 0));
}

/* A capture's slabinfo statistics header and its command line. */
Test(replay, capture_reads_statistics_header_and_cmdline)
{
	struct trace_file t = { 0 };
	struct sim_capture *c = NULL;

	slab_capture_begin(&t, true, "console=ttyS0 slub_debug=FZ\n");
	fclose(t.f);
	t.f = NULL;
	cr_assert(eq(int, sim_capture_open(&c, t.dir, stderr), 0));
	cr_assert(c->slab_tunables);
	cr_assert(c->slab_statistics);
	cr_assert(eq(str, c->cmdline, "console=ttyS0 slub_debug=FZ"));
	sim_capture_free(c);
	capture_end(&t);

	slab_capture_begin(&t, false, NULL);
	fclose(t.f);
	t.f = NULL;
	cr_assert(eq(int, sim_capture_open(&c, t.dir, stderr), 0));
	cr_assert(c->slab_tunables);
	cr_assert(not(c->slab_statistics));
	cr_assert(eq(ptr, c->cmdline, NULL));
	sim_capture_free(c);
	capture_end(&t);
}

/* ------------------------------------------------- the capture tells the machine */

/* A two-node capture: CPU 0 on node 0, CPU 1 on node 1, 1 GiB of DMA32 each; a kernel config. */
static void two_node_capture(const char *dir, const char *config)
{
	static const char zoneinfo[] =
		"Node 0, zone    DMA32\n"
		"        min      700\n        low      950\n        high     1200\n"
		"        spanned  262144\n        present  262144\n        managed  262144\n"
		"    cpu: 0\n              high:  400\n              batch: 31\n"
		"  start_pfn:           0\n"
		"Node 1, zone    DMA32\n"
		"        min      710\n        low      960\n        high     1210\n"
		"        spanned  262144\n        present  262144\n        managed  262144\n"
		"    cpu: 0\n              high:  410\n              batch: 31\n"
		"  start_pfn:           262144\n";

	free(helper_write_file(dir, "numa_topology.txt", "node0 cpus=0\nnode1 cpus=1\n"));
	free(helper_write_file(dir, "zoneinfo", zoneinfo));
	if (config)
		free(helper_write_file(dir, "kernel.config", config));
}

static void two_node_capture_end(struct trace_file *t)
{
	char *p = NULL;

	for (const char *const *n = (const char *const[]){ "numa_topology.txt", "zoneinfo", "kernel.config",
							   "s.json", NULL }; *n; n++) {
		cr_assert(asprintf(&p, "%s/%s", t->dir, *n) > 0);
		unlink(p);
		free(p);
	}
	trace_end(t);
}

/* The trace written so far becomes the capture directory's `trace` file. */
static void trace_into_capture(struct trace_file *t)
{
	char *trace = NULL;

	cr_assert(eq(int, fclose(t->f), 0));
	t->f = NULL;
	cr_assert(asprintf(&trace, "%s/trace", t->dir) > 0);
	cr_assert(eq(int, rename(t->path, trace), 0));
	free(t->path);
	t->path = trace;
}

/* Pages of CPU 0 whose pfns lie on node 1 are allocated on node 1 (and counted remote). */
Test(replay, page_allocation_goes_to_the_node_of_its_pfn)
{
	struct trace_file t = { 0 };
	struct sim_replay_opts o = { 0 };

	trace_begin(&t);
	two_node_capture(t.dir, NULL);
	tl(t.f, 100, 0, ".....", 10, "mm_page_alloc", "page=ffffea0000040000 pfn=0x50000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_ZERO");				/* node 1's pfn, CPU 0 */
	tl(t.f, 100, 0, ".....", 20, "mm_page_alloc", "page=ffffea0000080000 pfn=0x2000 order=1 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_ZERO");				/* node 0's pfn, CPU 0 */
	tl(t.f, 101, 1, ".....", 30, "mm_page_alloc", "page=ffffea00000c0000 pfn=0x1000 order=0 migratetype=0"
	   " gfp_flags=GFP_KERNEL|__GFP_ZERO");				/* node 0's pfn, CPU 1 */
	trace_into_capture(&t);
	o.trace = t.dir;
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, q(t.db, "SELECT mem_node FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 1"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT mem_node FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 2"), 0));
	cr_assert(eq(i64, q(t.db, "SELECT mem_node FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 3"), 0));
	cr_assert(eq(i64, kv(t.db, "pages_placed_by_pfn"), 3));
	cr_assert(eq(i64, kv(t.db, "pages_remote_by_pfn"), 2));
	/* without placement every page goes to its CPU's node */
	unlink(t.db);
	o = (struct sim_replay_opts){ .trace = t.dir, .no_pfn_placement = true };
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(i64, q(t.db, "SELECT mem_node FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 1"), 0));
	cr_assert(eq(i64, q(t.db, "SELECT mem_node FROM v_ops WHERE kind = 'page_alloc' AND trace_line = 3"), 1));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM replay WHERE key = 'pages_placed_by_pfn'"), 0));
	two_node_capture_end(&t);
}

/* The kernel config switches the model; a key of the --scenario file wins; one line says so. */
Test(replay, kernel_config_sets_the_switches_and_the_scenario_wins)
{
	static const char config[] = "CONFIG_SLUB=y\n# CONFIG_SLUB_CPU_PARTIAL is not set\n"
				     "# CONFIG_TRANSPARENT_HUGEPAGE is not set\nCONFIG_PREEMPT=y\n";
	struct trace_file t = { 0 };
	char *out = NULL, *err = NULL, *scen;
	int rc;

	trace_begin(&t);
	two_node_capture(t.dir, config);
	kmalloc_line(t.f, 0, 10, 0xffff888000001000ULL, 64, 64);
	trace_into_capture(&t);
	scen = helper_write_file(t.dir, "s.json", "{\"buddy\": {\"thp\": true}}");
	{
		const char *argv[] = { "kmemsim", "replay", t.dir, "--db", t.db, "--scenario", scen,
				       "--capture-watermarks", NULL };

		rc = helper_run_kmemsim(NULL, argv, &out, &err);
	}
	cr_assert(eq(int, rc, 0), "%s", err);
	cr_assert(not(eq(ptr, strstr(out, "kmemsim: kernel config (kernel.config): SLUB, no cpu_partial,"
				    " no freelist random, no freelist hardened, no memcg kmem (no kmalloc-cg),"
				    " no ZONE_DMA (no dma-kmalloc), THP (min_free_kbytes "), NULL)), "%s", out);
	cr_assert(not(eq(ptr, strstr(out, ") [the scenario], pageblock_order 10, preempt full,"
				    " zone watermarks and pcp high/batch of the capture's zoneinfo\n"), NULL)), "%s", out);
	/* no kmalloc-cg caches; the zoneinfo's watermarks and pcp high verbatim */
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM caches WHERE name LIKE 'kmalloc-cg-%%'"), 0));
	cr_assert(eq(i64, q(t.db, "SELECT min FROM zones WHERE node = 1 AND zone = 1"), 710));
	cr_assert(eq(i64, q(t.db, "SELECT high FROM pcp WHERE node = 1 AND zone = 1 AND cpu = 0"), 410));
	free(scen);
	free(out);
	free(err);
	two_node_capture_end(&t);
}

/*
 * Without HUGETLB_PAGE, pageblock_order is MAX_ORDER - 1 on 6.1 but THP's HPAGE_PMD_ORDER on 6.12
 * when THP is on (include/linux/pageblock-flags.h of each release).
 */
Test(replay, pageblock_order_without_hugetlb_follows_the_kernel)
{
	static const char config[] = "CONFIG_SLUB=y\nCONFIG_TRANSPARENT_HUGEPAGE=y\n# CONFIG_HUGETLB_PAGE is not set\n";
	static const char *const kernels[] = { "6.1", "6.12" };
	static const char *const want[] = { ", pageblock_order 10,", ", pageblock_order 9," };
	struct trace_file t = { 0 };

	trace_begin(&t);
	two_node_capture(t.dir, config);
	kmalloc_line(t.f, 0, 10, 0xffff888000001000ULL, 64, 64);
	trace_into_capture(&t);
	for (int i = 0; i < 2; i++) {
		const char *argv[] = { "kmemsim", "replay", t.dir, "--db", t.db, "--kernel", kernels[i], NULL };
		char *out = NULL, *err = NULL;

		unlink(t.db);
		cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
		cr_assert(not(eq(ptr, strstr(out, want[i]), NULL)), "%s: %s", kernels[i], out);
		free(out);
		free(err);
	}
	two_node_capture_end(&t);
}

/* ------------------------------------------------------------ boot pages */

/*
 * A two-node capture whose SNAP0/zoneinfo says node 0 had `free0` pages free and
 * 7 on CPU 0's pcp list at the mark, node 1 every page free; a trace of order-4
 * page allocations (no pcp list) on node 0, then (when `mark`) the SNAP0
 * proc/zoneinfo mark, then one more allocation.  With `vmalloc`, CPU 0 also
 * kmallocs vmalloc page arrays (rule D): one of 8 pages live at the mark, one of
 * 4 kfree'd before it, one of 16 after it.  The replay's database is t->db.
 */
static void boot_capture(struct trace_file *t, uint64_t free0, bool mark, bool no_boot_pages, bool vmalloc)
{
	char *snap = NULL, *zoneinfo = NULL;
	struct sim_replay_opts o = { .no_boot_pages = no_boot_pages };

	trace_begin(t);
	cr_assert(asprintf(&snap, "%s/SNAP0", t->dir) > 0);
	cr_assert(eq(int, mkdir(snap, 0755), 0));
	cr_assert(asprintf(&zoneinfo,
			   "Node 0, zone    DMA32\n  pages free     %llu\n"
			   "        spanned  262144\n        present  262144\n        managed  262144\n"
			   "  pagesets\n    cpu: 0\n              count: 7\n              high:  400\n"
			   "              batch: 31\n  start_pfn:           0\n"
			   "Node 1, zone    DMA32\n  pages free     262144\n"
			   "        spanned  262144\n        present  262144\n        managed  262144\n"
			   "  start_pfn:           262144\n", (unsigned long long)free0) > 0);
	free(helper_write_file(snap, "zoneinfo", zoneinfo));
	free(helper_write_file(t->dir, "numa_topology.txt", "node0 cpus=0\nnode1 cpus=1\n"));
	for (int i = 0; i < 3; i++)	/* 3 blocks of 16 pages live at the mark */
		tl(t->f, 100, 0, ".....", 10 + i, "mm_page_alloc", "page=ffffea0000080000 pfn=0x%x order=4"
		   " migratetype=0 gfp_flags=GFP_KERNEL", 0x2000 + 16 * i);
	tl(t->f, 100, 0, ".....", 20, "mm_page_free", "page=ffffea0000080000 pfn=0x2010 order=4");
	for (int i = 0; vmalloc && i < 2; i++)	/* 8 pages live at the mark, 4 freed before it */
		tl(t->f, 100, 0, ".....", 21 + i, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750"
		   " ptr=ffff888000003%03x bytes_req=%d bytes_alloc=%d gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1"
		   " accounted=false", 0x100 * i, 64 >> i, 64 >> i);
	if (vmalloc)
		kfree_line(t->f, 0, 23, 0xffff888000003100ULL);
	if (mark)
		tl(t->f, 1, 0, ".....", 30, "tracing_mark_write", "HELDOUT_MARK SNAP0 proc/zoneinfo");
	tl(t->f, 100, 0, ".....", 40, "mm_page_alloc", "page=ffffea0000080000 pfn=0x3000 order=4"
	   " migratetype=0 gfp_flags=GFP_KERNEL");
	if (vmalloc)			/* 16 pages after the mark */
		tl(t->f, 100, 0, ".....", 41, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750"
		   " ptr=ffff888000003200 bytes_req=128 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1"
		   " accounted=false");
	trace_into_capture(t);
	o.trace = t->dir;
	cr_assert(eq(int, trace_replay(t, &o), 0));
	free(zoneinfo);
	free(snap);
}

static void boot_capture_end(struct trace_file *t)
{
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/SNAP0/zoneinfo", t->dir) > 0);
	unlink(p);
	free(p);
	cr_assert(asprintf(&p, "%s/SNAP0", t->dir) > 0);
	rmdir(p);
	free(p);
	cr_assert(asprintf(&p, "%s/numa_topology.txt", t->dir) > 0);
	unlink(p);
	free(p);
	trace_end(t);
}

static int64_t zone_free(const char *db, int node)
{
	return q(db, "SELECT free FROM zones WHERE node = %d AND zone = 1", node);
}

static int64_t zone_pcp(const char *db, int node)
{
	return q(db, "SELECT sum(count) FROM pcp WHERE node = %d AND zone = 1", node);
}

/*
 * The kernel's pages in use at the SNAP0 zoneinfo mark (managed - free - pcp)
 * less the trace's pages live there (2 blocks of 16) less the model's own boot
 * use are allocated at t0: the model's free + pcp pages at the mark are then
 * the kernel's.  Node 1 (every page free) gets none; without the mark, or with
 * --no-boot-pages, nothing is inferred.
 */
Test(replay, pages_in_use_before_tracing_are_inferred_from_snap0_zoneinfo, .timeout = 30)
{
	struct trace_file a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	int64_t free_a, used_m, kfree0;

	/* the model alone: what its boot uses, and the trace's 3 live blocks at the end */
	boot_capture(&a, 200000, true, true, false);
	cr_assert(eq(i64, kv(a.db, "inferred_boot_pages"), 0));
	free_a = zone_free(a.db, 0);
	used_m = 262144 - free_a - zone_pcp(a.db, 0) - 3 * 16;
	cr_assert(lt(i64, 0, used_m));		/* its boot caches' slabs */
	/* the kernel had 5000 pages more in use than the model's boot and the trace */
	kfree0 = 262144 - used_m - 2 * 16 - 5000 - 7;
	boot_capture(&b, (uint64_t)kfree0, true, false, false);
	cr_assert(eq(i64, kv(b.db, "inferred_boot_pages"), 5000));
	cr_assert(eq(i64, zone_free(b.db, 0) + zone_pcp(b.db, 0), kfree0 + 7 - 16));	/* less the last block */
	cr_assert(eq(i64, zone_free(b.db, 1), zone_free(a.db, 1)));
	/* 4 blocks of 1024 (2 pageblocks of 512 each), then 512 + 256 + 128 + 8 (2 more): unmovable */
	cr_assert(eq(i64, q(b.db, "SELECT nr FROM pageblocks WHERE node = 0 AND zone = 1 AND migratetype = 0") -
			  q(a.db, "SELECT nr FROM pageblocks WHERE node = 0 AND zone = 1 AND migratetype = 0"), 10));
	/* no mark: the zoneinfo cannot be placed in the trace */
	boot_capture(&c, (uint64_t)kfree0, false, false, false);
	cr_assert(eq(i64, kv(c.db, "inferred_boot_pages"), 0));
	cr_assert(eq(i64, zone_free(c.db, 0), free_a));
	boot_capture(&d, (uint64_t)kfree0, true, true, false);
	cr_assert(eq(i64, kv(d.db, "inferred_boot_pages"), 0));
	boot_capture_end(&a);
	boot_capture_end(&b);
	boot_capture_end(&c);
	boot_capture_end(&d);
}

/*
 * Rule D's pages are the model's, allocated at their kmalloc's line: a vmalloc
 * page array kmalloc'ed before the SNAP0 zoneinfo mark and live there (8 pages,
 * on CPU 0's node, in its highest zone: DMA32) is in the kernel's pages in use
 * and not to be inferred again as boot pages; one kfree'd before the mark (4)
 * and one made after it (16) change nothing.  The model's free + pcp pages at
 * the end are those of the capture without the arrays less the 16 still live.
 */
Test(replay, vmalloc_pages_live_at_snap0_are_no_boot_pages, .timeout = 30)
{
	struct trace_file a = { 0 }, b = { 0 }, e = { 0 };
	int64_t used_m, kfree0;

	boot_capture(&a, 200000, true, true, false);
	used_m = 262144 - zone_free(a.db, 0) - zone_pcp(a.db, 0) - 3 * 16;
	kfree0 = 262144 - used_m - 2 * 16 - 5000 - 7;
	boot_capture(&b, (uint64_t)kfree0, true, false, false);
	cr_assert(eq(i64, kv(b.db, "inferred_boot_pages"), 5000));
	boot_capture(&e, (uint64_t)kfree0 - 8, true, false, true);	/* the kernel: 8 pages more in use */
	cr_assert(eq(i64, kv(e.db, "inferred_vmalloc_bulk_pages"), 8 + 4 + 16));
	cr_assert(eq(i64, kv(e.db, "inferred_boot_pages"), 5000));
	cr_assert(eq(i64, zone_free(e.db, 0) + zone_pcp(e.db, 0), zone_free(b.db, 0) + zone_pcp(b.db, 0) - 8 - 16));
	cr_assert(eq(i64, zone_free(e.db, 1), zone_free(b.db, 1)));
	boot_capture_end(&a);
	boot_capture_end(&b);
	boot_capture_end(&e);
}

/*
 * Rule D: a kmalloc from __vmalloc_node_range of 32 bytes is a vmalloc area's page array:
 * 32 / 8 = 4 order-0 unmovable pages follow, untraced (alloc_pages_bulk); the kfree of the
 * array (on another CPU, as vfree's kworker does) frees those 4 there.  A kmalloc of 12
 * bytes from that site is no array of pages and infers nothing; nor does another site.
 */
Test(replay, vmalloc_page_array_implies_its_bulk_pages)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };

	trace_begin(&t);
	tl(t.f, 100, 0, ".....", 10, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750 ptr=ffff888000003000"
	   " bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false");
	tl(t.f, 100, 0, ".....", 20, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750 ptr=ffff888000003040"
	   " bytes_req=12 bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 accounted=false");
	kmalloc_line(t.f, 0, 30, 0xffff888000003080ULL, 32, 32);
	kfree_line(t.f, 1, 40, 0xffff888000003000ULL);
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_inferred_vmalloc_calls, 1));
	cr_assert(eq(u64, st.nr_inferred_vmalloc_pages, 4));
	cr_assert(eq(i64, kv(t.db, "inferred_vmalloc_bulk_pages"), 4));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND trace_line IS NULL"
			    " AND \"order\" = 0 AND migratetype = 0 AND cpu = 0"), 4));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_free' AND trace_line IS NULL"
			    " AND cpu = 1"), 4));
	cr_assert(eq(u64, st.nr_replayed, 4));	/* the 3 kmallocs and the kfree, not the inferred pages */
	trace_end(&t);
}

/*
 * Rule D's page records are freed once each at the end, whatever state the run stopped in:
 * an area whose array is allocated again while live (its kfree lost) keeps its pages, and a
 * replay stopped by a bad line right after a page array leaves its page allocations queued.
 * (Under AddressSanitizer a record freed twice, or while queued, fails here.)
 */
Test(replay, vmalloc_page_records_survive_a_lost_kfree_and_an_early_stop)
{
	struct trace_file t = { 0 };
	struct sim_replay_stats st = { 0 };
	struct sim_replay_opts o = { .stats = &st };

	trace_begin(&t);
	for (int i = 0; i < 2; i++)
		tl(t.f, 100, 0, ".....", 10 + (unsigned int)i, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750"
		   " ptr=ffff888000003000 bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL node=-1 accounted=false");
	cr_assert(eq(int, trace_replay(&t, &o), 0));
	cr_assert(eq(u64, st.nr_inferred_vmalloc_pages, 8));
	cr_assert(eq(i64, q(t.db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND trace_line IS NULL"), 8));
	trace_end(&t);

	trace_begin(&t);
	tl(t.f, 100, 0, ".....", 10, "kmalloc", "call_site=__vmalloc_node_range+0x19d/0x750 ptr=ffff888000003000"
	   " bytes_req=32 bytes_alloc=32 gfp_flags=GFP_KERNEL node=-1 accounted=false");
	fprintf(t.f, "this is not a trace line\n");
	o = (struct sim_replay_opts){ .stats = &st };	/* trace_replay set o.trace to the first file */
	cr_assert(eq(int, trace_replay(&t, &o), 2));
	trace_end(&t);
}
