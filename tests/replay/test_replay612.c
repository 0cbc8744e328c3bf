/*
 * test_replay612.c - `kmemsim replay` of the shipped Linux 6.12 sample
 * (traces/samples/debian-6.12.118-4cpu-2node, an excerpt of the stock Debian
 * 6.12.118 capture): read as 6.12 (the capture's uname), deterministic, and
 * what the 6.12 rows of sim/replay/replay_kernel.c change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "helpers.h"

#define SAMPLE612 "traces/samples/debian-6.12.118-4cpu-2node"

static int64_t kv(const char *db, const char *key)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT value FROM replay WHERE key = '%s'", key);
	return helper_db_int(db, sql);
}

/* kmemsim replay SAMPLE612 --db DIR/NAME; its stdout (malloc'd) and the database's path in *db. */
static char *replay612(const char *dir, const char *name, char **db)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *sample = NULL, *out = NULL, *err = NULL;

	cr_assert(asprintf(&sample, "%s/%s", root ? root : ".", SAMPLE612) > 0);
	cr_assert(asprintf(db, "%s/%s", dir, name) > 0);
	{
		const char *const argv[] = { "kmemsim", "replay", sample, "--db", *db, NULL };

		cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err ? err : "");
	}
	free(err);
	free(sample);
	return out;
}

Test(replay612, sample_reads_as_612_and_replays_deterministically, .timeout = 60)
{
	char *dir = helper_tmpdir(), *a = NULL, *b = NULL;
	char *out_a = replay612(dir, "a.db", &a);
	char *out_b = replay612(dir, "b.db", &b);
	uint64_t ha, hb;

	/* the capture's uname says 6.12, whatever the models follow */
	cr_assert(not(eq(ptr, strstr(out_a, "), kernel 6.12"), NULL)), "%s", out_a);
	/* 6.12 has no CONFIG_MEMCG_KMEM: MEMCG alone turns kmem accounting on */
	cr_assert(not(eq(ptr, strstr(out_a, ", memcg kmem,"), NULL)), "%s", out_a);
	/* the summaries differ only in the database's name and the wall times */
	ha = helper_db_hash(a);
	hb = helper_db_hash(b);
	cr_assert(not(eq(u64, ha, 0)));
	cr_assert(eq(u64, ha, hb));
	/* every line read, none malformed: 12 header lines + 40,000 of the trace; 39,995 kmem events + 5 marks */
	cr_assert(eq(i64, kv(a, "lines"), 40012));
	cr_assert(eq(i64, kv(a, "events"), 39995));
	cr_assert(eq(i64, kv(a, "lines_bad"), 0));
	/* rule D finds 6.12's page arrays by __vmalloc_node_range_noprof: 85 kmallocs from it in the
	 * excerpt (grep -c '__vmalloc_node_range_noprof'), each one alloc_pages_bulk call */
	cr_assert(eq(i64, kv(a, "inferred_vmalloc_bulk_calls"), 85));
	/* slab pages told apart: with 6.12's GFP_NOWAIT (0x2800, NOWARN in it) the 9 slab pages of
	 * ___slab_alloc's GFP_NOWAIT|__GFP_THISNODE try are SLUB's (6.1's 0x800 misses NOWARN) */
	cr_assert(eq(i64, kv(a, "slab_pages"), 341));
	/* the SNAP0 proc/zoneinfo mark is in the excerpt: the boot rule ran */
	cr_assert(lt(i64, 0, kv(a, "inferred_boot_pages")));
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(out_a);
	free(out_b);
	free(a);
	free(b);
	free(dir);
}
