/*
 * test_db.c - the run database: atomic replacement, rows, schema, and the
 * generic statement API.
 *
 * Strategy: every test writes into a fresh directory and looks at the files
 * there (the temporary name while writing, the final name after close) and
 * at the rows through sim_db_open_existing, never through the writer's own
 * state.  The buddy and engine tables are filled from a real 2-node machine
 * (engine + buddy, no run) after a few allocations, and checked against the
 * model's own counters: free blocks per order add up to the zone's free
 * pages, a row's signature is the one path.c interned.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "sim/db/db.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"
#include "models/mm.h"
#include "models/buddy/buddy.h"

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Remove the directory and what a test left in it; free both names. */
static void cleanup(char *dir, char *path)
{
	free(path);
	helper_rmtree(dir);
}

/* dir/name (malloc'd). */
static char *in_dir(const char *dir, const char *name)
{
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	return p;
}

static char *tmp_name(const char *path)
{
	char *p = NULL;

	cr_assert(asprintf(&p, "%s.tmp-%ld", path, (long)getpid()) > 0);
	return p;
}

/* A page-allocation row with every field set. */
static struct sim_op sample_op(uint64_t seq)
{
	struct sim_op op;

	memset(&op, 0, sizeof(op));
	op.seq = seq;
	op.parent_seq = 0;
	op.start_ns = 1000 * seq;
	op.end_ns = 1000 * seq + 37;
	op.lock_wait_ns = 5;
	op.addr = 262144 + seq;
	op.trace_line = -1;
	op.gfp = GFP_KERNEL;
	op.retries = 2;
	op.cache = -1;
	op.sig = 0;
	op.cpu = 3;
	op.node = 1;
	op.mem_node = 1;
	op.task = 1003;
	op.kind = SIM_OP_PAGE_ALLOC;
	op.ctx = SIM_CTX_TASK;
	op.level = 2;
	op.order = 1;
	op.migratetype = MIGRATE_MOVABLE;
	op.zone = ZONE_DMA32;
	return op;
}

/* Write a database at `path` holding ops 1..n; close(keep). */
static int write_ops(const char *path, int n, bool keep)
{
	struct sim_db *db = sim_db_open(path, stderr);

	cr_assert(not(eq(ptr, db, NULL)));
	for (int i = 1; i <= n; i++) {
		struct sim_op op = sample_op((uint64_t)i);

		sim_db_log_op(&op, db);
	}
	return sim_db_close(db, keep, stderr);
}

/* The first column of the first row of `sql`, as text (malloc'd; NULL for SQL NULL or no row). */
static int text_row(void *arg, int ncol, char **vals, char **names)
{
	char **out = arg;

	(void)names;
	if (!*out && ncol > 0 && vals[0])
		*out = strdup(vals[0]);
	return 1;	/* one row is enough */
}

static char *db_text(const char *path, const char *sql)
{
	struct sim_db *db = sim_db_open_existing(path, stderr);
	char *out = NULL;

	cr_assert(not(eq(ptr, db, NULL)));
	cr_assert(eq(int, sim_db_query(db, sql, text_row, &out, stderr), 0), "%s", sql);
	sim_db_close(db, true, stderr);
	return out;
}

/* The text `sql` gives on the database at `path` is `want`. */
static void assert_db_text(const char *path, const char *sql, const char *want)
{
	char *s = db_text(path, sql);

	cr_assert(eq(str, s, (char *)want), "%s", sql);
	free(s);
}

/* ---------------------------------------------------------------- files */

Test(db, writes_a_temporary_file_and_renames_it_at_close)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *tmp = tmp_name(path);
	struct sim_db *db = sim_db_open(path, stderr);
	struct sim_op op = sample_op(1);

	cr_assert(not(eq(ptr, db, NULL)));
	sim_db_log_op(&op, db);
	cr_assert(exists(tmp));
	cr_assert(not(exists(path)));
	cr_assert(eq(int, sim_db_close(db, true, stderr), 0));
	cr_assert(exists(path));
	cr_assert(not(exists(tmp)));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 1));
	free(tmp);
	cleanup(dir, path);
}

Test(db, close_without_keep_leaves_no_file)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *tmp = tmp_name(path);

	cr_assert(eq(int, write_ops(path, 3, false), 0));
	cr_assert(not(exists(path)));
	cr_assert(not(exists(tmp)));
	free(tmp);
	cleanup(dir, path);
}

Test(db, a_dropped_run_keeps_the_older_good_file)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *tmp = tmp_name(path);

	cr_assert(eq(int, write_ops(path, 1, true), 0));
	cr_assert(eq(int, write_ops(path, 5, false), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 1));
	cr_assert(not(exists(tmp)));
	/* and a kept run does replace it */
	cr_assert(eq(int, write_ops(path, 4, true), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 4));
	free(tmp);
	cleanup(dir, path);
}

Test(db, a_failed_insert_is_not_kept)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *tmp = tmp_name(path);
	char *msg = NULL, *want = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	struct sim_db *db;
	struct sim_op op = sample_op(7);

	cr_assert(eq(int, write_ops(path, 2, true), 0));
	db = sim_db_open(path, err);
	cr_assert(not(eq(ptr, db, NULL)));
	sim_db_log_op(&op, db);
	cr_assert(not(sim_db_failed(db)));
	sim_db_log_op(&op, db);		/* the same seq twice: the primary key refuses it */
	cr_assert(sim_db_failed(db));
	sim_db_log_op(&op, db);		/* reported once only */
	cr_assert(eq(int, sim_db_close(db, true, err), -1));
	fclose(err);
	cr_assert(asprintf(&want, "%s: cannot insert into ops: UNIQUE constraint failed: ops.seq\n", path) > 0);
	cr_assert(eq(str, msg, want));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 2));
	cr_assert(not(exists(tmp)));
	free(want);
	free(msg);
	free(tmp);
	cleanup(dir, path);
}

Test(db, open_in_a_missing_directory_fails_with_a_line)
{
	char *msg = NULL, *want = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	cr_assert(eq(ptr, sim_db_open("/nonexistent-dir/run.db", err), NULL));
	fclose(err);
	/* the output rule (docs/cli.md) is checked here too, before SQLite is asked */
	cr_assert(asprintf(&want, "kmemsim: output: /nonexistent-dir/run.db: no directory /nonexistent-dir\n") > 0);
	cr_assert(eq(str, msg, want));
	free(want);
	free(msg);
}

Test(db, open_existing_refuses_other_files)
{
	char *dir = helper_tmpdir(), *path = helper_write_file(dir, "x.db", "not a database at all, just text\n");
	char *msg = NULL, *want = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	cr_assert(eq(ptr, sim_db_open_existing(path, err), NULL));
	fclose(err);
	cr_assert(asprintf(&want, "%s: not a kmemsim database\n", path) > 0);
	cr_assert(eq(str, msg, want));
	free(want);
	free(msg);
	cleanup(dir, path);
}

/* ----------------------------------------------------------------- rows */

Test(db, schema_version_tables_and_views)
{
	static const char *const names[] = {
		"schema_version", "runs", "op_kinds", "op_contexts", "ops", "path_sigs", "sig_labels", "labels", "locks", "engine",
		"buddy_snapshots", "zones", "pcp", "pageblocks", "sysctl", "violations", "summary",
		"v_ops", "v_level_by_zone", "v_failures", "v_buddyinfo", "v_sig_levels", "v_label_ops",
	};
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db");

	cr_assert(eq(int, write_ops(path, 0, true), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT version FROM schema_version"), 3));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM schema_version"), 1));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *sql = NULL;

		cr_assert(asprintf(&sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'", names[i]) > 0);
		cr_assert(eq(i64, helper_db_int(path, sql), 1), "%s", names[i]);
		free(sql);
	}
	cleanup(dir, path);
}

Test(db, op_row_round_trips)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db");
	struct sim_db *db = sim_db_open(path, stderr);
	struct sim_op a = sample_op(10), b = sample_op(11);

	/* b: an object allocation in an interrupt, nested in a, that failed */
	b.parent_seq = 10;
	b.kind = SIM_OP_OBJ_ALLOC;
	b.ctx = SIM_CTX_HARDIRQ;
	b.cache = 4;
	b.size = 192;
	b.order = -1;
	b.migratetype = -1;
	b.zone = -1;
	b.mem_node = -1;
	b.level = 5;
	b.failed = true;
	b.addr = PAGE_OFFSET + 0x1234;
	b.trace_line = 77;
	b.sig = 3;
	memcpy(b.stats, (const uint8_t[]){ 3, 1, 8, 2, 255, 255, 10, 100 }, 8);
	b.nr_stats = 8;
	sim_db_log_op(&b, db);
	sim_db_log_op(&a, db);
	cr_assert(eq(int, sim_db_close(db, true, stderr), 0));

	assert_db_text(path, "SELECT quote(seq) || '|' || quote(parent_seq) || '|' || time_ns || '|' || end_ns"
		       " || '|' || latency_ns || '|' || cpu || '|' || node || '|' || quote(mem_node) || '|' || task"
		       " || '|' || context || '|' || kind || '|' || quote(cache) || '|' || size || '|' || quote(\"order\")"
		       " || '|' || quote(migratetype) || '|' || gfp || '|' || quote(zone) || '|' || level"
		       " || '|' || sig || '|' || lock_wait_ns || '|' || retries || '|' || addr || '|' || failed"
		       " || '|' || quote(trace_line) FROM v_ops WHERE seq = 10",
		       "10|NULL|10000|10037|37|3|1|1|1003|task|page_alloc|NULL|8192|1|1|3264|1|2|0|5|2|262154|0|NULL");
	assert_db_text(path, "SELECT parent_seq || '|' || context || '|' || kind || '|' || cache || '|' || size"
		       " || '|' || quote(\"order\") || '|' || quote(zone) || '|' || quote(mem_node) || '|' || level"
		       " || '|' || failed || '|' || trace_line || '|' || printf('0x%x', addr) FROM v_ops WHERE seq = 11",
		       "10|hardirq|obj_alloc|4|192|NULL|NULL|NULL|5|1|77|0xffff888000001234");
	/* the stored table: codes of op_contexts and op_kinds, latency_ns instead of end_ns */
	assert_db_text(path, "SELECT group_concat(seq || ':' || context || ',' || kind || ',' || latency_ns, ' ')"
		       " FROM ops WHERE seq IN (10, 11)", "10:0,0,37 11:2,2,37");
	assert_db_text(path, "SELECT (SELECT group_concat(kind || '=' || name, ' ') FROM op_kinds) || '|'"
		       " || (SELECT group_concat(context || '=' || name, ' ') FROM op_contexts)",
		       "0=page_alloc 1=page_free 2=obj_alloc 3=obj_free|0=task 1=softirq 2=hardirq");
	assert_db_text(path, "SELECT quote(stats) FROM ops WHERE seq = 10", "NULL");
	assert_db_text(path, "SELECT stats FROM ops WHERE seq = 11", "3 8*2 255*255 10*100");
	/* the views name what the numbers mean */
	assert_db_text(path, "SELECT level_name || '|' || zone_name || '|' || migratetype_name || '|' || gfp_hex"
		       " FROM v_ops WHERE seq = 10",
		       "L2|DMA32|Movable|0xcc0");
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM v_failures WHERE seq = 11"), 1));
	cr_assert(eq(i64, helper_db_int(path, "SELECT nr_ops FROM v_level_by_zone WHERE kind = 'page_alloc'"
					" AND node = 1 AND zone = 1 AND level = 2"), 1));
	cleanup(dir, path);
}

Test(db, rows_span_several_transactions)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db");

	/* the writer commits every 100000 rows */
	cr_assert(eq(int, write_ops(path, 100003, true), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 100003));
	cr_assert(eq(i64, helper_db_int(path, "SELECT max(seq) FROM ops"), 100003));
	cleanup(dir, path);
}

Test(db, run_violation_and_summary_rows)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *json;
	struct sim_db *db = sim_db_open(path, stderr);
	struct sim_scenario sc;
	struct sim_engine *saved = sim;

	sim_scenario_default(&sc);
	sc.seed = 0xfedcba9876543210ULL;	/* above INT64_MAX: negative in seed, exact in seed_hex */
	sim = NULL;				/* no engine: the totals stay NULL */
	cr_assert(eq(int, sim_db_log_run(db, &sc, "9.9.9"), 0));
	cr_assert(eq(int, sim_db_log_violation(db, 500, 42, "buddy_check", "pfn 7 free twice"), 0));
	cr_assert(eq(int, sim_db_log_summary(db, 123456, 0.25, 99), 0));
	sim = saved;
	cr_assert(eq(int, sim_db_close(db, true, stderr), 0));

	assert_db_text(path, "SELECT name || '|' || allocator || '|' || version || '|' || nr_nodes || '|' || nr_cpus"
		       " || '|' || log_ops || '|' || scenario_path || '|' || quote(scenario_text) || '|' || seed_hex"
		       " || '|' || printf('%x', seed) FROM runs",
		       "default|slub|9.9.9|2|4|1|(default)|NULL|0xfedcba9876543210|fedcba9876543210");
	json = sim_scenario_to_json(&sc);
	assert_db_text(path, "SELECT scenario_json FROM runs", json);
	free(json);
	assert_db_text(path, "SELECT time_ns || '|' || seq || '|' || invariant || '|' || detail FROM violations",
		       "500|42|buddy_check|pfn 7 free twice");
	assert_db_text(path, "SELECT sim_ns || '|' || wall_s || '|' || nr_ops || '|' || quote(nr_switches) FROM summary",
		       "123456|0.25|99|NULL");
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM runs WHERE wall_started LIKE '20__-__-__T__:__:__Z'"), 1));
	sim_scenario_free(&sc);
	cleanup(dir, path);
}

/* ------------------------------------------------------- generic statements */

Test(db, generic_statements_add_a_table)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db"), *msg = NULL, *want = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	struct sim_db *db = sim_db_open(path, err);
	struct sim_db_stmt *ins, *sel, *leftover;
	int64_t sum = 0;
	int rows = 0;

	cr_assert(eq(int, sim_db_exec(db, "CREATE TABLE caches (id INTEGER, name TEXT, ratio REAL)"), 0));
	ins = sim_db_prepare(db, "INSERT INTO caches VALUES (?1, ?2, ?3)");
	cr_assert(not(eq(ptr, ins, NULL)));
	for (int i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "kmalloc-%d", 8 << i);
		cr_assert(eq(int, sim_db_bind_int64(ins, 1, i), 0));
		cr_assert(eq(int, sim_db_bind_text(ins, 2, name), 0));
		if (i == 2)
			cr_assert(eq(int, sim_db_bind_null(ins, 3), 0));
		else
			cr_assert(eq(int, sim_db_bind_double(ins, 3, 0.5 * i), 0));
		cr_assert(eq(int, sim_db_step(ins), SIM_DB_DONE));
	}
	sim_db_finalize(ins);
	sel = sim_db_prepare(db, "SELECT id, name, ratio FROM caches ORDER BY id");
	while (sim_db_step(sel) == SIM_DB_ROW) {
		sum += sim_db_column_int64(sel, 0);
		if (rows == 1) {
			cr_assert(eq(str, (char *)sim_db_column_text(sel, 1), "kmalloc-16"));
			cr_assert(eq(dbl, sim_db_column_double(sel, 2), 0.5));
		}
		rows++;
	}
	cr_assert(eq(int, rows, 3));
	cr_assert(eq(i64, sum, 3));
	/* errors come back as NULL or -1, after a line on err */
	cr_assert(eq(ptr, sim_db_prepare(db, "SELECT id FROM nowhere"), NULL));
	cr_assert(eq(int, sim_db_exec(db, "NOT SQL"), -1));
	leftover = sim_db_prepare(db, "SELECT 1");	/* finalized by close */
	cr_assert(not(eq(ptr, leftover, NULL)));
	cr_assert(eq(int, sim_db_close(db, true, err), 0));
	fclose(err);
	cr_assert(asprintf(&want, "%s: cannot prepare a statement: no such table: nowhere\n"
			   "%s: near \"NOT\": syntax error\n", path, path) > 0);
	cr_assert(eq(str, msg, want));
	free(msg);
	free(want);
	assert_db_text(path, "SELECT group_concat(name || '=' || quote(ratio), ',') FROM caches",
		       "kmalloc-8=0.0,kmalloc-16=0.5,kmalloc-32=NULL");
	cleanup(dir, path);
}

/* ------------------------------------------------ machine-state tables */

static struct sim_db *tdb;

/* Allocate 2^order pages on vCPU `cpu` inside a logged operation. */
static struct page *logged_alloc(int cpu, unsigned int order)
{
	struct sim_op op;
	struct page *page;

	sim_engine_set_cpu(cpu);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	op.order = (int8_t)order;
	op.migratetype = MIGRATE_MOVABLE;
	op.gfp = GFP_KERNEL | __GFP_MOVABLE;
	page = alloc_pages(op.gfp, order);
	cr_assert(not(eq(ptr, page, NULL)));
	op.addr = page_to_pfn(page);
	op.mem_node = page->nid;
	op.zone = page->zid;
	sim_op_end(&op);
	return page;
}

Test(db, machine_state_tables_agree_with_the_model)
{
	char *dir = helper_tmpdir(), *path = in_dir(dir, "run.db");
	struct sim_scenario sc;

	sim_scenario_default(&sc);
	sc.allocator = SIM_ALLOC_BUDDY;		/* the whole boot in sim_scenario_buddy_init */
	sim_path_reset();
	cr_assert(not(eq(ptr, sim_scenario_engine_create(&sc), NULL)));
	cr_assert(eq(int, sim_scenario_buddy_init(&sc), 0));
	tdb = sim_db_open(path, stderr);
	cr_assert(not(eq(ptr, tdb, NULL)));
	cr_assert(eq(int, sim_db_log_run(tdb, &sc, "test"), 0));
	sim_path_set_sink(sim_db_log_op, tdb);
	logged_alloc(0, 0);
	logged_alloc(2, 3);
	logged_alloc(2, 0);
	sim_path_set_sink(NULL, NULL);
	cr_assert(eq(int, sim_db_log_buddy_snapshot(tdb, 777, true), 0));
	cr_assert(eq(int, sim_db_log_zones(tdb), 0));
	cr_assert(eq(int, sim_db_log_engine(tdb), 0));
	cr_assert(eq(int, sim_db_log_sigs(tdb), 0));
	cr_assert(eq(int, sim_db_log_summary(tdb, 1000, 0.1, 3), 0));
	cr_assert(eq(int, sim_db_close(tdb, true, stderr), 0));

	/* ops: three rows with signatures that path.c interned */
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM ops"), 3));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM v_ops WHERE path IS NULL"), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM path_sigs"), sim_path_nr_sigs()));
	assert_db_text(path, "SELECT path FROM v_ops WHERE seq = 1",
		       sim_path_sig_text((int)helper_db_int(path, "SELECT sig FROM ops WHERE seq = 1")));
	/* every label of every signature is in sig_labels, in order */
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM path_sigs p WHERE path !="
					" (SELECT group_concat(label, '>') FROM (SELECT label FROM sig_labels l"
					"  WHERE l.sig = p.sig ORDER BY pos))"), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT nr_sigs FROM labels WHERE label = '__alloc_pages'"),
		     helper_db_int(path, "SELECT count(*) FROM path_sigs WHERE path LIKE '%__alloc_pages%'")));
	/* zones: every zone of both nodes, three populated, pcp per vCPU of those */
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM zones"), 2 * MAX_NR_ZONES));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM zones WHERE populated"), 3));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM pcp"), 3 * 4));
	cr_assert(eq(i64, helper_db_int(path, "SELECT spanned FROM zones WHERE node = 1 AND zone = 1"),
		     1024 * 256));
	cr_assert(eq(i64, helper_db_int(path, "SELECT free FROM zones WHERE node = 1 AND zone = 1"),
		     (int64_t)buddy_zone_free_pages(1, ZONE_DMA32)));
	/* buddyinfo: blocks on the free lists add up to each zone's free pages minus pcp pages */
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM zones z WHERE populated AND free !="
					" (SELECT sum(nr_free << \"order\") FROM buddy_snapshots b"
					"  WHERE b.node = z.node AND b.zone = z.zone AND final)"), 0));
	cr_assert(eq(i64, helper_db_int(path, "SELECT nr_free FROM v_buddyinfo WHERE node = 0 AND zone = 1"
					" AND \"order\" = 10"), (int64_t)buddy_zone_nr_free(0, ZONE_DMA32, 10)));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(DISTINCT time_ns) FROM buddy_snapshots"), 1));
	cr_assert(eq(i64, helper_db_int(path, "SELECT value FROM sysctl WHERE name = 'vm.min_free_kbytes'"),
		     buddy_min_free_kbytes()));
	/* engine and locks */
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM engine"), 4));
	cr_assert(eq(i64, helper_db_int(path, "SELECT node FROM engine WHERE cpu = 3"), 1));
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM locks"), sim_lockstat_count()));
	cr_assert(eq(i64, helper_db_int(path, "SELECT sum(acquisitions) > 0 FROM locks"), 1));

	buddy_exit();
	sim_engine_destroy(sim);
	sim_scenario_free(&sc);
	cleanup(dir, path);
}

/* ops.stats as written: every pair of a full stats[] fits, counts of 1 go without "*1". */
Test(db, stats_text)
{
	uint8_t pairs[SIM_OP_MAX_STATS];
	char buf[SIM_OP_MAX_STATS * 8];

	for (int i = 0; i < SIM_OP_MAX_STATS; i++)
		pairs[i] = 255;
	sim_db_stats_text(pairs, SIM_OP_MAX_STATS, buf, sizeof(buf));
	cr_assert(eq(str, buf, "255*255 255*255 255*255 255*255 255*255 255*255 255*255 255*255"));
	sim_db_stats_text((const uint8_t[]){ 0, 1, 9, 1, 8, 2, 10, 10 }, 8, buf, sizeof(buf));
	cr_assert(eq(str, buf, "0 9 8*2 10*10"));
	sim_db_stats_text(pairs, 0, buf, sizeof(buf));
	cr_assert(eq(str, buf, ""));
}
