/*
 * test_memcg.c - the objcgs vector of a new slab (models/slab_common/memcg.c),
 * suite `memcg`.
 *
 * Strategy: a SLUB machine with kernel.memcg_online, one GFP_KERNEL_ACCOUNT
 * kmalloc(64) (kmalloc-cg-64, SLAB_ACCOUNT): its new slab of 64 objects gets a
 * 512-byte vector, an object allocation from kmalloc-512 nested in it; without
 * memcg_online, or from a cache without SLAB_ACCOUNT, there is none.  The slab's
 * pages count in the node's nr_slab_unreclaimable either way.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/slab_common/slab_common.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log slog;

static void down(void)
{
	helper_slab_log_stop(&slog);
	helper_slab_machine_down(sc);
	sc = NULL;
}

static void up(bool memcg_online)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->memcg_online = memcg_online;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
	memset(&slog, 0, sizeof(slog));
	helper_slab_log_start(&slog);
}

/* Object allocations of `size` bytes from cache `name` in the log. */
static size_t nr_allocs(const char *name, unsigned int size)
{
	int id = slab_cache_id(slab_find_cache(name));
	size_t n = 0;

	for (size_t i = 0; i < slog.nr; i++)
		if (slog.ops[i].kind == SIM_OP_OBJ_ALLOC && slog.ops[i].cache == id && slog.ops[i].size == size)
			n++;
	return n;
}

Test(memcg, accounted_new_slab_gets_an_objcgs_vector, .fini = down)
{
	void *obj;
	uint64_t before;

	up(true);
	before = helper_vmstat_value("nr_slab_unreclaimable");
	obj = helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0);
	cr_assert(ne(ptr, obj, NULL));
	cr_assert(eq(sz, nr_allocs("kmalloc-cg-64", 64), 1));
	/* kcalloc_node(64 objects, 8): 512 bytes from kmalloc-512, nested in the kmalloc */
	cr_assert(eq(sz, nr_allocs("kmalloc-512", 512), 1));
	for (size_t i = 0; i < slog.nr; i++)
		if (slog.ops[i].kind == SIM_OP_OBJ_ALLOC && slog.ops[i].size == 512)
			cr_assert(ne(ptr, (void *)slog.ops[i].outer, NULL));
	/* the next object is on the same slab: no new vector */
	cr_assert(ne(ptr, helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0), NULL));
	cr_assert(eq(sz, nr_allocs("kmalloc-512", 512), 1));
	/* an unaccounted kmalloc-64 slab has no vector */
	cr_assert(ne(ptr, helper_slab_alloc(0, NULL, 64, GFP_KERNEL, 0), NULL));
	cr_assert(eq(sz, nr_allocs("kmalloc-512", 512), 1));
	/*
	 * /proc/vmstat's nr_slab_unreclaimable is the folded global: account_slab's
	 * mod_node_page_state adds the new slab's pages to vCPU 0's per-CPU diff, which
	 * __mod_node_page_state folds into the node only when it passes the node's
	 * stat_threshold.  refresh_zone_stat_thresholds gives node 0 that of its largest
	 * zone: calculate_normal_threshold(DMA32, 1008 MiB, 4 CPUs) = 2 * fls(4) *
	 * (1 + fls(7)) = 24.  Whatever the diff was (-24..24), 49 more pages take it past
	 * 24: 49 slabs of kmalloc-cg-64 (one page each: the vector, 8 bytes an object, is
	 * 512, so 64 objects of 64 bytes), all on node 0 and vCPU 0, with no free between them; each slab
	 * gets its own vector (and kmalloc-512 its own slabs, more pages still).
	 */
	cr_assert(eq(int, per_cpu_ptr(NODE_DATA(0)->per_cpu_nodestats, 0)->stat_threshold, 24));
	for (int i = 2; i < 49 * 64; i++)
		cr_assert(ne(ptr, helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0), NULL));
	cr_assert(eq(sz, nr_allocs("kmalloc-cg-64", 64), 49 * 64));
	cr_assert(eq(sz, nr_allocs("kmalloc-512", 512), 49));
	cr_assert(lt(u64, before, helper_vmstat_value("nr_slab_unreclaimable")));
}

Test(memcg, no_vector_while_no_memcg_is_online, .fini = down)
{
	up(false);
	cr_assert(ne(ptr, helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0), NULL));
	cr_assert(eq(sz, nr_allocs("kmalloc-cg-64", 64), 1));
	cr_assert(eq(sz, nr_allocs("kmalloc-512", 512), 0));
}
