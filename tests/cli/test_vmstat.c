/*
 * test_vmstat.c - `kmemsim vmstat DB` (sim/cli/cmd_vmstat.c), suite `cli_vmstat`.
 *
 * Strategy: run the embedded default scenario, print its /proc/vmstat and check
 * the layout (173 `name value` lines, the kernel's first and last names) and
 * that the numbers are the run's (nr_free_pages is the zones table's folded
 * `free` summed, pgalloc_dma32 the zones' `pgalloc`); then the bad inputs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

static long long value_of(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, len) && l[len] == ' ')
			return atoll(l + len + 1);
	return -1;
}

Test(cli_vmstat, default_run_prints_the_kernels_layout)
{
	char *dir = helper_tmpdir(), *db = helper_default_db(dir, "slub"), *out = NULL, *err = NULL;
	const char *argv[] = { "kmemsim", "vmstat", db, NULL };
	int lines = 0;

	cr_assert(ne(ptr, db, NULL));
	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err);
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	cr_assert(eq(int, lines, 173));
	cr_assert(eq(int, strncmp(out, "nr_free_pages ", 14), 0));
	cr_assert(ne(ptr, strstr(out, "\nnr_unstable 0\n"), NULL));
	cr_assert(eq(i64, value_of(out, "nr_free_pages"), helper_db_int(db, "SELECT sum(free) FROM zones")));
	cr_assert(eq(i64, value_of(out, "pgalloc_dma32"),
		     helper_db_int(db, "SELECT sum(pgalloc) FROM zones WHERE zone = 1")));
	cr_assert(lt(i64, 0, value_of(out, "pgalloc_dma32")));
	cr_assert(eq(i64, value_of(out, "compact_stall"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM vmstat"), 173));
	free(out);
	free(err);
	free(db);
	helper_rmtree(dir);
}

Test(cli_vmstat, bad_input_is_one_line_and_status_2)
{
	char *dir = helper_tmpdir(), *out = NULL, *err = NULL;
	char *notdb = helper_write_file(dir, "x.db", "not a database\n");
	const char *argv[] = { "kmemsim", "vmstat", notdb, NULL };
	const char *none[] = { "kmemsim", "vmstat", NULL };

	cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 2));
	cr_assert(eq(str, out, ""));
	cr_assert(eq(int, (int)(strchr(err, '\n') - err + 1), (int)strlen(err)), "%s", err);
	free(out);
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(NULL, none, NULL, NULL), 2));
	free(notdb);
	helper_rmtree(dir);
}
