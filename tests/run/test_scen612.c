/*
 * test_scen612.c - the ready buddy scenarios (scenarios/NAME.json) run on the
 * Linux 6.12 models (the scenario key `kernel` set to 6.12 as --set does), suite
 * `scen612`: each run ends with its checkers clean, the runs table names 6.12,
 * and the paths the scenario's description promises are the 6.12 ones
 * (models/buddy/6.12: __rmqueue_claim / try_to_steal_block for the fallbacks,
 * reserve_highatomic_pageblock for high-order atomic requests, the slow path's
 * compaction and OOM killer on 6.12's __alloc_pages).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../helpers.h"
#include "sim/run/run.h"

struct run612 {
	char *dir, *db;
};

/* Run scenarios/NAME.json on 6.12 into a fresh database: exit 0, no violation. */
static struct run612 run_612(const char *name)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	static const char *const sets[] = { "kernel=6.12" };
	struct run612 r = { helper_tmpdir(), NULL };
	char *path = NULL, *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct sim_run_stats st;
	struct sim_run_opts o = { .sets = sets, .nr_sets = 1, .stats = &st };

	cr_assert(ne(ptr, (void *)out, NULL));
	cr_assert(ne(int, asprintf(&path, "%s/scenarios/%s.json", root ? root : ".", name), -1));
	cr_assert(ne(int, asprintf(&r.db, "%s/%s.db", r.dir, name), -1));
	o.scenario_path = path;
	o.db_path = r.db;
	cr_assert(eq(int, sim_run(&o, out, stderr), 0), "%s on 6.12", name);
	fclose(out);
	cr_assert(eq(u64, st.nr_violations, 0), "%s on 6.12: %" PRIu64 " violations", name, st.nr_violations);
	cr_assert(lt(u64, 0, st.nr_checks));
	cr_assert(eq(i64, helper_db_int(r.db, "SELECT count(*) FROM violations"), 0));
	cr_assert(eq(i64, helper_db_int(r.db, "SELECT count(*) FROM runs WHERE kernel = '6.12'"), 1), "%s", name);
	cr_assert(ne(ptr, strstr(text, "kernel 6.12"), NULL), "%s: summary names 6.12", name);
	free(text);
	free(path);
	return r;
}

static void done(struct run612 *r)
{
	unlink(r->db);
	rmdir(r->dir);
	free(r->db);
	free(r->dir);
}

/* operations of `kind` whose path carries `label` */
static int64_t label_ops(const struct run612 *r, const char *kind, const char *label)
{
	char *q = NULL;
	int64_t n;

	cr_assert(ne(int, asprintf(&q, "SELECT coalesce(sum(nr_ops), 0) FROM v_label_ops WHERE kind = '%s'"
				   " AND label = '%s'", kind, label), -1));
	n = helper_db_int(r->db, q);
	free(q);
	return n;
}

static int64_t vmstat(const struct run612 *r, const char *name)
{
	char *q = NULL;
	int64_t n;

	cr_assert(ne(int, asprintf(&q, "SELECT coalesce(sum(value), -1) FROM vmstat WHERE name = '%s'", name), -1));
	n = helper_db_int(r->db, q);
	free(q);
	return n;
}

static int64_t q(const struct run612 *r, const char *sql)
{
	return helper_db_int(r->db, sql);
}

/*
 * high-order (orders 0..8, 40% unmovable, 40% reclaimable): 6.12's fallback is
 * __rmqueue_claim, which takes whole movable pageblocks (try_to_steal_block's
 * whole_block: every stolen block is of pageblock order here) for unmovable and
 * reclaimable requests, never for movable ones; orders above 3 never touch a pcp
 * list; 6.12's free_unref_page_commit frees above pcp high (free_high) and
 * __free_one_page puts merged pages on the list's tail.
 */
Test(scen612, high_order_claims_whole_blocks_for_unmovable_and_reclaimable, .timeout = 60)
{
	struct run612 r = run_612("high-order");

	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "__rmqueue_claim")));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "try_to_steal_block:whole_block"),
		     label_ops(&r, "page_alloc", "__rmqueue_claim")));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "__rmqueue_steal"), 0));
	cr_assert(lt(i64, 0, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4 AND migratetype = 0")));
	cr_assert(lt(i64, 0, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4 AND migratetype = 2")));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4 AND migratetype = 1"), 0));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND \"order\" > 3 AND level NOT IN (3, 4)"), 0));
	/* every L4 allocation went through __rmqueue_claim */
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 4"),
		     label_ops(&r, "page_alloc", "__rmqueue_claim")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_free", "__free_one_page:to_tail")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_free", "free_unref_page_commit:free_high")));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	done(&r);
}

/*
 * fragmentation: as on 6.1 (the scenario's description), the order-3 requests that
 * find no block compact the zone: async first, then sync-light (compact_stall 2,
 * compact_fail 1, compact_success 1); 6.12 steals single pages with __rmqueue_steal
 * when it cannot claim a block, and its watermark check fails at the min watermark.
 */
Test(scen612, fragmentation_compacts_once_and_steals_single_pages, .timeout = 60)
{
	struct run612 r = run_612("fragmentation");

	cr_assert(eq(i64, vmstat(&r, "compact_stall"), 2));
	cr_assert(eq(i64, vmstat(&r, "compact_fail"), 1));
	cr_assert(eq(i64, vmstat(&r, "compact_success"), 1));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "__alloc_pages_direct_compact:success"), 1));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "__rmqueue_steal")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "get_page_from_freelist:watermark_fail")));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "__alloc_pages_slowpath"),
		     label_ops(&r, "page_alloc", "get_page_from_freelist:watermark_fail")));
	/* the failures are the slow path's nopage, each reported by warn_alloc */
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND failed"),
		     label_ops(&r, "page_alloc", "__alloc_pages_slowpath:nopage")));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "warn_alloc"),
		     label_ops(&r, "page_alloc", "__alloc_pages_slowpath:nopage")));
	done(&r);
}

/*
 * oom: the OOM killer kills one task (oom_kill 1) through 6.12's slow path and the
 * reaper frees its memory; allocations fall back to the other node's zone; 6.12's
 * nr_pcp_high keeps pcp high down while the zone is below its high watermark.
 */
Test(scen612, oom_kills_one_task, .timeout = 60)
{
	struct run612 r = run_612("oom");

	cr_assert(eq(i64, vmstat(&r, "oom_kill"), 1));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "__oom_kill_process"), 1));
	cr_assert(lt(i64, 0, label_ops(&r, "page_free", "__oom_reap_task_mm")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "get_page_from_freelist:other_zone")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_free", "nr_pcp_high:below_high")));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND failed"), 0));
	done(&r);
}

/*
 * small-memory: DMA32 runs out, allocations fall back and then fail at L5; 6.12
 * claims blocks (claim_block: enough free and compatible pages) as well as whole
 * ones, retypes the buddies it merges across claimed blocks, and compaction is
 * deferred after its failures.
 */
Test(scen612, small_memory_falls_back_claims_and_fails, .timeout = 60)
{
	struct run612 r = run_612("small-memory");

	cr_assert(lt(i64, 0, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND failed AND level = 5")));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND failed AND level <> 5"), 0));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "try_to_steal_block:claim_block")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "try_to_steal_block:whole_block")));
	cr_assert(eq(i64, label_ops(&r, "page_alloc", "try_to_steal_block"),
		     label_ops(&r, "page_alloc", "try_to_steal_block:claim_block")
		     + label_ops(&r, "page_alloc", "try_to_steal_block:whole_block")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_free", "__free_one_page:retype_buddy")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "compact_zone:deferred")));
	cr_assert(lt(i64, 0, label_ops(&r, "page_alloc", "get_page_from_freelist:below_high")));
	cr_assert(lt(i64, 0, vmstat(&r, "compact_stall")));
	done(&r);
}

/* irq-heavy: GFP_ATOMIC allocations in interrupts; on 6.12 nearly all are pcp hits (L1). */
Test(scen612, irq_heavy_hits_the_pcp_lists, .timeout = 60)
{
	struct run612 r = run_612("irq-heavy");
	int64_t all = q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc'");

	cr_assert(lt(i64, 0, q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND context = 'hardirq'")));
	cr_assert(ge(i64, 100 * q(&r, "SELECT count(*) FROM v_ops WHERE kind = 'page_alloc' AND level = 1"), 99 * all));
	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	done(&r);
}

/*
 * slub-l3 on 6.12 (models/slub/6.12): the frees freeze full slabs onto the CPU's partial
 * list (__slab_free's cpu_partial) and the allocations take them from there (L3,
 * cpu_partial_alloc); the rest are new slabs (L5); put_cpu_partial drains when the list
 * is full.
 */
Test(scen612, slub_l3_takes_the_cpu_partial_list, .timeout = 60)
{
	struct run612 r = run_612("slub-l3");
	int64_t all = q(&r, "SELECT count(*) FROM v_ops o JOIN caches c ON c.id = o.cache"
			    " WHERE o.kind = 'obj_alloc' AND c.name = 'kmalloc-4k'");
	int64_t l3 = q(&r, "SELECT count(*) FROM v_ops o JOIN caches c ON c.id = o.cache"
			   " WHERE o.kind = 'obj_alloc' AND c.name = 'kmalloc-4k' AND o.level = 3");
	int64_t l5 = q(&r, "SELECT count(*) FROM v_ops o JOIN caches c ON c.id = o.cache"
			   " WHERE o.kind = 'obj_alloc' AND c.name = 'kmalloc-4k' AND o.level = 5");

	cr_assert(lt(i64, 0, all));
	cr_assert(ge(i64, 100 * l3, 99 * all), "L3 %" PRId64 " of %" PRId64, l3, all);
	cr_assert(eq(i64, l3 + l5, all), "only L3 and L5");
	cr_assert(eq(i64, label_ops(&r, "obj_alloc", "___slab_alloc:cpu_partial_alloc"), l3));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_free", "__slab_free:cpu_partial")));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_free", "put_cpu_partial:drain")));
	done(&r);
}

/*
 * realistic on 6.12: a kernel-like mix over many caches; deactivate_slab ends each
 * deactivation on the full or the partial list, every large kmalloc is freed through
 * free_large_kmalloc, and empty slabs are freed or kept on the node.
 */
Test(scen612, realistic_runs_clean_through_the_slub_paths, .timeout = 60)
{
	struct run612 r = run_612("realistic");

	cr_assert(eq(i64, q(&r, "SELECT count(*) FROM v_ops WHERE failed"), 0));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_alloc", "deactivate_slab:partial")));
	cr_assert(eq(i64, label_ops(&r, "obj_alloc", "___slab_alloc:deactivate_slab"),
		     label_ops(&r, "obj_alloc", "deactivate_slab:full") + label_ops(&r, "obj_alloc", "deactivate_slab:partial")));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_alloc", "__kmalloc_large_node")));
	cr_assert(eq(i64, label_ops(&r, "obj_alloc", "__kmalloc_large_node"), label_ops(&r, "obj_free", "free_large_kmalloc")));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_free", "__slab_free:slab_empty")));
	cr_assert(lt(i64, 0, label_ops(&r, "obj_alloc", "get_partial_node:to_cpu_partial")));
	done(&r);
}
