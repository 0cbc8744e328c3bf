/*
 * test_locks.c - the locks table tells its rows apart: each lock instance
 * has its owner columns (cpu, node, zone, cache), so names that repeat
 * (one pcp->lock per CPU, one list_lock per cache and node) are not
 * ambiguous.  Runs the default scenario (SLUB) and SLAB on it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"

static void check_locks(const char *allocator, const char *list_lock)
{
	char *dir = helper_tmpdir(), *db = NULL, sql[256];
	const char *argv[] = { "kmemsim", "run", "--allocator", allocator, "--db", "l.db", "--quiet", NULL };

	cr_assert(not(eq(ptr, dir, NULL)));
	cr_assert(asprintf(&db, "%s/l.db", dir) > 0);
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, NULL, NULL), 0));
	/* no two rows with the same name and owner */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM (SELECT 1 FROM locks GROUP BY name, cpu, node,"
				       " zone, cache HAVING count(*) > 1)"), 0));
	/* every pcp->lock has its CPU, node and zone; the default machine has 4 vCPUs */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM locks WHERE name LIKE 'pcp->lock%'"
				       " AND (cpu IS NULL OR node IS NULL OR zone IS NULL)"), 0));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(DISTINCT cpu) FROM locks WHERE name LIKE 'pcp->lock%'"), 4));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM locks WHERE name LIKE 'zone->lock%'"
				       " AND (cpu IS NOT NULL OR node IS NULL OR zone IS NULL)"), 0));
	/* the name says node and zone: the columns agree (zone 1 is DMA32) */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM locks WHERE name = 'zone->lock N1 DMA32'"
				       " AND node = 1 AND zone = 1"), 1));
	/* a slab list_lock has its cache (a cache of the caches table) and node */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM locks WHERE name = '%s' AND (cache IS NULL OR node IS NULL"
		 " OR cache NOT IN (SELECT name FROM caches))", list_lock);
	cr_assert(eq(i64, helper_db_int(db, sql), 0));
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM locks WHERE name = '%s' AND cache = 'kmalloc-64'", list_lock);
	cr_assert(eq(i64, helper_db_int(db, sql), 2));	/* one per node */
	free(db);
	helper_rmtree(dir);
}

Test(locks, slub_rows_have_their_owner)
{
	check_locks("slub", "&n->list_lock");
}

Test(locks, slab_rows_have_their_owner)
{
	check_locks("slab", "slab:list_lock");
}
