/*
 * test_writer.c - the ops log's writer thread (sim/db/db_writer.c): a run logged
 * through it, from the start (KMEMSIM_DB_WRITER=1) or from its default start after the
 * first rows, gives the same database as one logged inline (KMEMSIM_DB_WRITER=0), and
 * an insert that fails on it (the file may not grow: PRAGMA max_page_count) is one
 * line, a failed close and no file at all.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "sim/db/db.h"
#include "sim/engine/engine.h"

#define SAMPLE "traces/samples/debian-6.1.192-4cpu-2node"

static char *dir;

static void setup(void)
{
	dir = helper_tmpdir();
}

static void teardown(void)
{
	helper_rmtree(dir);
	unsetenv("KMEMSIM_DB_WRITER");
}

TestSuite(writer, .init = setup, .fini = teardown, .timeout = 60);

/* Run argv (its --db slot filled with DIR/NAME) with KMEMSIM_DB_WRITER=writer; the path. */
static char *run(const char **argv, int db_slot, const char *name, const char *writer)
{
	char *db = NULL, *err = NULL;
	int rc;

	cr_assert(asprintf(&db, "%s/%s", dir, name) > 0);
	argv[db_slot] = db;
	if (writer)
		setenv("KMEMSIM_DB_WRITER", writer, 1);
	else
		unsetenv("KMEMSIM_DB_WRITER");	/* the default: the thread starts mid-run */
	rc = helper_run_kmemsim(NULL, argv, NULL, &err);
	cr_assert(eq(int, rc, 0), "%s: %s", name, err ? err : "");
	free(err);
	return db;
}

/* Every table's rows, compared as text: the thread moves the moments of the inserts only.
 * writer: KMEMSIM_DB_WRITER of the threaded run (NULL: unset). */
static void check_same(const char **argv, int db_slot, const char *tag, const char *writer)
{
	char n1[64], n0[64];
	char *a, *b, *da, *db;

	snprintf(n1, sizeof(n1), "%s-thread.db", tag);
	snprintf(n0, sizeof(n0), "%s-inline.db", tag);
	a = run(argv, db_slot, n1, writer);
	b = run(argv, db_slot, n0, "0");
	da = helper_db_dump(a);
	db = helper_db_dump(b);
	cr_assert(not(eq(ptr, da, NULL)));
	cr_assert(not(eq(ptr, db, NULL)));
	cr_assert(eq(int, strcmp(da, db), 0), "%s: the threaded and the inline log differ", tag);
	/* the run exercised both queues: ops rows and queued slab events */
	cr_assert(lt(i64, 10000, helper_db_int(a, "SELECT count(*) FROM ops")));
	cr_assert(lt(i64, 100, helper_db_int(a, "SELECT count(*) FROM slab_events")));
	free(da);
	free(db);
	free(a);
	free(b);
}

Test(writer, the_threaded_log_gives_the_inline_database)
{
	const char *argv[] = { "kmemsim", "--db", NULL, "--quiet", NULL };

	check_same(argv, 2, "default", "1");
}

/* By default the thread takes over after the first rows went in inline. */
Test(writer, a_thread_started_mid_run_gives_the_inline_database)
{
	const char *argv[] = { "kmemsim", "--db", NULL, "--quiet", NULL };

	check_same(argv, 2, "mid-run", NULL);
}

Test(writer, a_replay_logged_by_the_thread_gives_the_inline_database)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *sample = NULL;
	const char *argv[] = { "kmemsim", "replay", NULL, "--allocator", "slab", "--db", NULL, NULL };

	cr_assert(asprintf(&sample, "%s/%s", root && *root ? root : ".", SAMPLE) > 0);
	argv[2] = sample;
	check_same(argv, 6, "replay-slab", "1");
	free(sample);
}

static int first_int(void *arg, int ncol, char **vals, char **names)
{
	(void)names;
	if (ncol > 0 && vals[0])
		*(long *)arg = atol(vals[0]);
	return 1;
}

/* Files left in dir (a temporary name or the database itself). */
static int nr_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert(not(eq(ptr, d, NULL)));
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The file may grow by 16 pages only: the writer's insert fails (SQLITE_FULL) while the
 * simulation goes on logging.  One line, close fails, nothing left behind. */
static void check_full(const char *writer)
{
	char *path = NULL, *text = NULL, *want = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&text, &len);
	struct sim_db *db;
	long pages = 0;
	char sql[64];

	cr_assert(asprintf(&path, "%s/full.db", dir) > 0);
	setenv("KMEMSIM_DB_WRITER", writer, 1);
	db = sim_db_open(path, err);
	cr_assert(not(eq(ptr, db, NULL)));
	cr_assert(eq(int, sim_db_query(db, "PRAGMA page_count", first_int, &pages, err), 0));
	cr_assert(lt(long, 0, pages));
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %ld", pages + 16);
	cr_assert(eq(int, sim_db_exec(db, sql), 0));
	for (uint64_t i = 1; i <= 200000; i++) {
		struct sim_op op = { .seq = i, .start_ns = i * 10, .end_ns = i * 10 + 7, .addr = i << 6,
				     .trace_line = -1, .cache = 3, .sig = 1, .mem_node = 0, .size = 64,
				     .kind = SIM_OP_OBJ_ALLOC, .level = 1, .order = -1, .migratetype = -1,
				     .zone = -1 };

		sim_db_log_op(&op, db);
	}
	cr_assert(eq(int, sim_db_failed(db), 1));
	cr_assert(eq(int, sim_db_close(db, true, err), -1));
	fclose(err);
	cr_assert(eq(int, asprintf(&want, "%s: write failed: disk full\n", path) > 0, 1));
	cr_assert(eq(str, text, want), "writer=%s", writer);
	cr_assert(eq(int, nr_files(), 0), "writer=%s: a file was left", writer);
	free(want);
	free(text);
	free(path);
}

Test(writer, a_full_disk_on_the_writer_is_one_line_and_no_file)
{
	check_full("1");
}

Test(writer, a_full_disk_inline_is_the_same_line)
{
	check_full("0");
}
