/*
 * test_slab_alloc_bulk.c - SLAB's kmem_cache_alloc_bulk when an object cannot be had,
 * suite `slab_alloc_bulk` (mm/slab.c, 6.1.192): the call returns 0 and the objects it
 * got before the failure go back through kmem_cache_free_bulk (mm/slab.c:3513-3518,
 * error: ... kmem_cache_free_bulk(s, i, p); return 0).
 *
 * Strategy: a one-node machine of 64 MiB and a cache of 1 MiB objects (one object per
 * order-8 slab); a bulk call for more objects than the node holds, with GFP_NOWAIT (no
 * reclaim, no OOM kill), must fail part way.  The operation log counts the objects
 * handed out and freed by the bulk call; slab_check runs after.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/path.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log logv;

static void up(void)
{
	sc = helper_slab_machine_up(1, 1, 64);
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_slab_log_start(&logv);
}

static void down(void)
{
	char line[512];
	bool ok = helper_check_first_line(slab_check, line, sizeof(line));

	helper_slab_log_stop(&logv);
	helper_slab_machine_down(sc);
	sc = NULL;
	cr_assert(ok, "slab_check: %s", line);
}

/* Ops of `kind` with `label` that failed (want_failed) or not. */
static size_t count_label(int kind, const char *label, bool want_failed)
{
	size_t n = 0;

	for (size_t i = 0; i < logv.nr; i++)
		if (logv.ops[i].kind == kind && logv.ops[i].failed == want_failed &&
		    helper_slab_op_has_label(&logv.ops[i], label))
			n++;
	return n;
}

Test(slab_alloc_bulk, a_failed_bulk_frees_what_it_got, .init = up, .fini = down)
{
	enum { WANT = 128 };	/* 128 MiB of objects on a 64 MiB node */
	static void *p[WANT];
	struct kmem_cache *s = kmem_cache_create("bulk1m", 1u << 20, 0, 0, false);
	size_t got;

	cr_assert(ne(ptr, (void *)s, NULL));
	logv.nr = 0;
	sim_engine_set_cpu(0);
	cr_assert(eq(int, kmem_cache_alloc_bulk(s, GFP_NOWAIT, WANT, p), 0));

	/* the objects had before the failure, then the one that failed */
	got = count_label(SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk", false);
	cr_assert(lt(sz, (size_t)0, got), "the bulk call got no object before it failed");
	cr_assert(lt(sz, got, (size_t)WANT));
	cr_expect(eq(sz, count_label(SIM_OP_OBJ_ALLOC, "kmem_cache_alloc_bulk", true), 1));
	/* kmem_cache_free_bulk(s, i, p): each of them freed again, one free op each */
	cr_expect(eq(sz, count_label(SIM_OP_OBJ_FREE, "kmem_cache_free_bulk", false), got));
	/* none is left allocated: every object of the cache is free on the node or in the
	 * per-CPU array */
	{
		struct kmem_cache_node *n = get_node(s, 0);
		unsigned long objs = n->total_slabs * s->num;

		cr_expect(eq(ulong, n->free_objects + s->cpu_cache[0]->avail, objs));
	}
}
