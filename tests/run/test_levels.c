/*
 * test_levels.c - the ready scenarios reach the level their description
 * claims (scenarios/NAME.json), suite `levels`: slub-l1 ... slub-l5, pcp-hit and
 * high-order, run as `kmemsim run` runs them (their own seed), without an
 * operation log; the shares are read from the summary a user reads.
 *
 * Levels (docs/engine.md): SLUB L1 lockless c->freelist, L2 get_freelist,
 * L3 the CPU's partial list, L4 a node's partial list, L5 a new slab; buddy
 * L1 pcp hit, L2 pcp refill, L3 zone free lists, L4 migratetype fallback.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"

/* Operations per level of one summary row ("kind name ops L1..L5 failed"), summed over rows. */
struct levels {
	double ops, l[6];
};

static char *scenario_path(const char *name)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(ne(int, asprintf(&p, "%s/scenarios/%s.json", root ? root : ".", name), -1));
	return p;
}

/* Run a ready scenario; sum the summary rows of `kind` (name: that row only, or NULL). */
static struct levels run_levels(const char *scenario, const char *kind, const char *name, const char *db)
{
	char *path = scenario_path(scenario), *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct sim_run_stats st;
	struct sim_run_opts o = { .scenario_path = path, .db_path = db, .no_log = !db, .stats = &st };
	struct levels lv = { 0 };

	cr_assert(ne(ptr, (void *)out, NULL));
	cr_assert(eq(int, sim_run(&o, out, stderr), 0), "%s", scenario);
	fclose(out);
	cr_assert(eq(u64, st.nr_violations, 0));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char k[32], n[64], v[6][32];
		double ops;

		if (sscanf(line, "%31s %63s %lf %31s %31s %31s %31s %31s %31s", k, n, &ops, v[1], v[2], v[3],
			   v[4], v[5], v[0]) != 9 || strcmp(k, kind) || (name && strcmp(n, name)))
			continue;
		lv.ops += ops;
		for (int i = 1; i <= 5; i++)	/* buddy rows print counts, object rows shares */
			lv.l[i] += strchr(v[i], '%') ? atof(v[i]) * ops / 100.0 : atof(v[i]);
	}
	free(text);
	free(path);
	cr_assert(lt(dbl, 0.0, lv.ops), "%s: no %s row in the summary", scenario, kind);
	return lv;
}

static double share(const struct levels *lv, int level)
{
	return lv->l[level] / lv->ops;
}

/* At least `min` of the operations of one summary row are at `level`. */
static void expect_share(const char *scenario, const char *kind, const char *name, int level, double min)
{
	struct levels lv = run_levels(scenario, kind, name, NULL);

	cr_assert(ge(dbl, share(&lv, level), min), "%s: L%d %.4f of %s %s", scenario, level, share(&lv, level),
		  kind, name);
}

/* "nearly every allocation and free is SLUB's lockless fast path on c->freelist (L1)" */
Test(levels, slub_l1_is_the_fast_path)
{
	expect_share("slub-l1", "obj_alloc", "kmalloc-64", 1, 0.99);
	expect_share("slub-l1", "obj_free", "kmalloc-64", 1, 0.99);
}

/* "the frees land on the frozen cpu slab's own freelist, and each allocation takes it over
 * with get_freelist (L2)": kmalloc-2k allocations (the first of each slab's pair is L2) */
Test(levels, slub_l2_takes_the_remote_frees_with_get_freelist)
{
	expect_share("slub-l2", "obj_alloc", "kmalloc-2k", 2, 0.85);
	expect_share("slub-l2", "obj_free", "kmalloc-2k", 2, 0.99);
}

/* "the free freezes the full slab onto the vCPU's partial list and the next allocation takes
 * it from there (L3)" */
Test(levels, slub_l3_takes_the_cpu_partial_list)
{
	expect_share("slub-l3", "obj_alloc", "kmalloc-4k", 3, 0.99);
}

/* "every allocation finds the cpu slab on the wrong node ... and takes a slab from the asked
 * node's partial list (L4)"; the rest are L3 and a few new slabs */
Test(levels, slub_l4_takes_a_node_partial_list)
{
	struct levels a = run_levels("slub-l4", "obj_alloc", "kmalloc-256", NULL);

	cr_assert(ge(dbl, share(&a, 4), 0.90), "L4 %.4f of allocations", share(&a, 4));
	cr_assert(le(dbl, share(&a, 5), 0.01), "L5 %.4f of allocations", share(&a, 5));
}

/* "each allocation needs a new slab from the page allocator (L5)" */
Test(levels, slub_l5_needs_a_new_slab)
{
	expect_share("slub-l5", "obj_alloc", "kmalloc-4k", 5, 0.99);
}

/* "nearly every allocation is a per-CPU list hit (L1), the rest refills (L2)" */
Test(levels, pcp_hit_hits_the_per_cpu_lists)
{
	struct levels a = run_levels("pcp-hit", "page_alloc", NULL, NULL);

	cr_assert(ge(dbl, share(&a, 1), 0.99), "L1 %.4f of page allocations", share(&a, 1));
	cr_assert(eq(dbl, a.l[1] + a.l[2], a.ops), "only L1 and L2");
}

/* "orders above 3 come from the zone free lists (L3), and each pageblock the unmovable and
 * reclaimable allocations need is stolen from a movable one (L4)": per order and migratetype,
 * from the operation log */
Test(levels, high_order_uses_the_zone_lists_and_steals_for_unmovable, .timeout = 60)
{
	char *dir = helper_tmpdir(), *db = NULL;
	struct levels a;

	cr_assert(ne(int, asprintf(&db, "%s/h.db", dir), -1));
	a = run_levels("high-order", "page_alloc", NULL, db);
	cr_assert(lt(dbl, 0.0, a.l[3]));
	/* orders 4..8: never a pcp level (pcp lists hold orders <= PAGE_ALLOC_COSTLY_ORDER 3) */
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND \"order\" > 3"
					" AND level NOT IN (3, 4)"), 0));
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND \"order\" > 3")));
	/* L4 for MIGRATE_UNMOVABLE (0) and MIGRATE_RECLAIMABLE (2); MOVABLE (1) owns the memory */
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4"
					" AND migratetype = 0")));
	cr_assert(lt(i64, 0, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4"
					" AND migratetype = 2")));
	cr_assert(eq(i64, helper_db_int(db, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4"
					" AND migratetype = 1"), 0));
	unlink(db);
	rmdir(dir);
	free(db);
	free(dir);
}
