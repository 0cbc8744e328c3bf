/*
 * test_slab_common_memcg.c - which slabs carry a memcg objcgs vector, suite
 * `slab_common_memcg` (models/slab_common/memcg.c; mm/slab.h account_slab, 6.1.192), on a
 * SLUB machine with memcg online: account_slab (mm/slab.h:636-644) gives a slab an objcgs
 * vector (memcg_alloc_slab_cgroups) only when its cache is SLAB_ACCOUNT; any other slab's
 * memcg_data stays 0.  kmalloc-64 is not accounted, kmalloc-cg-64 (GFP_KERNEL_ACCOUNT) is.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/slab_common/slab_common.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	sc = calloc(1, sizeof(*sc));
	cr_assert(ne(ptr, (void *)sc, NULL));
	sim_scenario_default(sc);
	sc->memcg_online = true;
	sc->kernel = KERNEL_6_1;
	sc->kernel_given = true;
	cr_assert(ne(ptr, (void *)helper_slub_machine_up_sc(sc, false), NULL));
}

static void down(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
}

Test(slab_common_memcg, only_an_accounted_slab_has_objcgs, .init = up, .fini = down)
{
	void *plain = helper_slab_alloc(0, NULL, 64, GFP_KERNEL, 0);
	void *acct = helper_slab_alloc(0, NULL, 64, GFP_KERNEL_ACCOUNT, 0);

	cr_assert(ne(ptr, plain, NULL));
	cr_assert(ne(ptr, acct, NULL));
	cr_expect(eq(u64, virt_to_slab(plain)->objcgs, 0));
	cr_expect(ne(u64, virt_to_slab(acct)->objcgs, 0));
	helper_slab_free(0, plain);
	helper_slab_free(0, acct);
}
