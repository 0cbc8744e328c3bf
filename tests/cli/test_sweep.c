/*
 * test_sweep.c - `kmemsim sweep` and the merge of its slices: the comparison tables do not
 * depend on --jobs or on how the grid was sliced (16 shards merged give the same bytes as one
 * process), a spec file is the same grid as --vary, every point has its database, the
 * allocator is a key like any other, and a bad value stops the sweep before anything runs.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"

#define GRID "--vary", "allocator=slub,slab", "--vary", "slub.min_objects=0,128", \
	"--set", "workload.streams[0].ops=150"

static char *run_out(const char *dir, const char *const argv[], int want)
{
	char *out = NULL, *err = NULL;
	int rc = helper_run_kmemsim(dir, argv, &out, &err);

	cr_assert(eq(int, rc, want), "%s", err ? err : "");
	free(err);
	return out;
}

Test(sweep, tables_do_not_depend_on_jobs_or_shards, .timeout = 60)
{
	char *dir = helper_tmpdir(), *one, *two, *merged, *path = NULL;
	const char *a[] = { "kmemsim", "sweep", "default.json", GRID, "--out", "one", "--quiet", NULL };
	const char *b[] = { "kmemsim", "sweep", "default.json", GRID, "--out", "two", "--jobs", "3", "--quiet", NULL };
	const char *m[3 + 16 + 1] = { "kmemsim", "merge", "sh/merged.db" };
	char shard[16][16], sum[16][64];

	free(helper_write_file(dir, "default.json", "{}"));
	one = run_out(dir, a, 0);
	two = run_out(dir, b, 0);
	cr_assert(eq(str, one, two));
	for (int i = 0; i < 16; i++) {
		const char *s[] = { "kmemsim", "sweep", "default.json", GRID, "--out", "sh", "--shard", shard[i],
				    "--quiet", NULL };

		snprintf(shard[i], sizeof(shard[i]), "%d/16", i);
		snprintf(sum[i], sizeof(sum[i]), "sh/sweep-%d-of-16.db", i);
		free(run_out(dir, s, 0));
		m[3 + i] = sum[i];
	}
	merged = run_out(dir, m, 0);
	cr_assert(eq(str, merged, one));
	/* 4 points, 2 keys: a row each; point 2 is SLAB with min_objects 0 */
	cr_assert(not(eq(ptr, strstr(one, "\n    2  slab       0      "), NULL)), "%s", one);
	for (int p = 0; p < 4; p++) {
		free(path);
		cr_assert(asprintf(&path, "%s/sh/point-%03d.db", dir, p) > 0);
		cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM runs"), 1));
	}
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM runs WHERE allocator = 'slab'"
					" AND scenario_json LIKE '%\"min_objects\":%128%'"), 1));
	free(path);
	cr_assert(asprintf(&path, "%s/sh/merged.db", dir) > 0);
	cr_assert(eq(i64, helper_db_int(path, "SELECT count(*) FROM sweep_points WHERE status = 0"), 4));
	free(path);
	free(one);
	free(two);
	free(merged);
	helper_rmtree(dir);
}

Test(sweep, spec_file_and_formats)
{
	char *dir = helper_tmpdir(), *t, *s, *c, *j;
	const char *a[] = { "kmemsim", "sweep", "default.json", "--vary", "slub.min_objects=0,32", "--set",
			    "workload.streams[0].ops=100", "--out", "a", "--quiet", NULL };
	const char *b[] = { "kmemsim", "sweep", "spec.json", "--out", "b", "--quiet", NULL };
	const char *csv[] = { "kmemsim", "sweep", "spec.json", "--out", "c", "--quiet", "--format", "csv", NULL };
	const char *json[] = { "kmemsim", "sweep", "spec.json", "--out", "d", "--quiet", "--format", "json", NULL };

	free(helper_write_file(dir, "default.json", "{}"));
	free(helper_write_file(dir, "spec.json", "{\"target\": \"default.json\", \"set\": {\"workload.streams[0].ops\": 100},"
			       " \"vary\": {\"slub.min_objects\": [0, 32]}}"));
	t = run_out(dir, a, 0);
	s = run_out(dir, b, 0);
	cr_assert(eq(str, t, s));
	c = run_out(dir, csv, 0);
	cr_assert(eq(int, strncmp(c, "point,slub.min_objects,status,allocs,l1_pct,", 44), 0), "%s", c);
	j = run_out(dir, json, 0);
	cr_assert(eq(int, j[0], '{'), "%s", j);
	cr_assert(not(eq(ptr, strstr(j, "{\"point\": 1, \"slub.min_objects\": \"32\", \"status\": 0,"), NULL)), "%s", j);
	cr_assert(not(eq(ptr, strstr(j, "\"caches\": ["), NULL)));
	free(t);
	free(s);
	free(c);
	free(j);
	helper_rmtree(dir);
}

Test(sweep, bad_values_stop_before_anything_runs)
{
	char *dir = helper_tmpdir(), *err = NULL, *path = NULL;
	const char *a[] = { "kmemsim", "sweep", "default.json", "--vary", "slub.min_objects=0,999999", "--out", "x",
			    "--quiet", NULL };
	const char *b[] = { "kmemsim", "sweep", "default.json", "--vary", "slub.min_objects", NULL };

	free(helper_write_file(dir, "default.json", "{}"));
	cr_assert(eq(int, helper_run_kmemsim(dir, a, NULL, &err), 2));
	cr_assert(eq(str, err, "--set: slub.min_objects: expected an integer in 0..32767, got 999999\n"));
	cr_assert(asprintf(&path, "%s/x", dir) > 0);
	cr_assert(eq(int, access(path, F_OK), -1));	/* nothing ran */
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, b, NULL, &err), 2));
	cr_assert(eq(str, err, "kmemsim sweep: --vary: expected KEY=V1,V2,..., got \"slub.min_objects\"\n"));
	free(err);
	free(path);
	helper_rmtree(dir);
}
