/*
 * test_slab_common_host_oom.c - the cache registry when the host refuses one of its tables
 * (models/slab_common/slab_common.c), suite `slab_common_host_oom`: the first cache a boot
 * registers (SLUB's kmem_cache, bootstrap) makes the registry's hash (256 slots) and its name
 * table (512 slots); either refused, slab_register_cache fails, and so does the boot (the
 * kernel panics when create_boot_cache fails).  The registry itself grows from 128 to 256
 * entries at the 129th cache; refused on SLAB (whose create leaves the registration to
 * kmem_cache_create), kmem_cache_create returns NULL and registers nothing.  Not a kernel rule: the
 * kernel has no registry; the ids are the model's.
 *
 * Strategy: the executable's malloc, calloc and realloc go through tests/host_oom.c (linked
 * with --wrap); each test refuses the first host allocation of the table's size during the
 * boot of a one-node SLUB machine, which must then fail; the machine is torn down.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "../host_oom.h"
#include "models/slab_common/slab_common_int.h"
#include "sim/scenario/scenario.h"

/* slab_common.c's private name table entry: a pointer and an int (16 bytes on x86-64). */
enum { NAME_ENTRY_BYTES = 16 };

/* Boot a one-node SLUB machine with the first host allocation of `bytes` refused:
 * whether the boot got through. */
static bool boot_refusing(size_t bytes)
{
	struct sim_scenario *m = calloc(1, sizeof(*m));
	bool up_ok;

	cr_assert(ne(ptr, (void *)m, NULL));
	sim_scenario_default(m);
	m->nr_nodes = 1;
	m->node[0].nr_cpus = 1;
	m->node[0].zone_mib[1] = 256;
	host_oom_arm(bytes, 0);
	up_ok = helper_slub_machine_up_sc(m, false) != NULL;
	cr_expect(eq(u32, host_oom_failed(), 1));
	host_oom_disarm();
	helper_slab_machine_down(m);
	return up_ok;
}

Test(slab_common_host_oom, no_registry_hash_fails_the_boot)
{
	cr_expect(not(boot_refusing(256 * sizeof(int))));
}

Test(slab_common_host_oom, no_name_table_fails_the_boot)
{
	cr_expect(not(boot_refusing(512 * NAME_ENTRY_BYTES)));
}

Test(slab_common_host_oom, no_registry_growth_fails_the_create)
{
	struct sim_scenario *m = helper_slab_machine_up(1, 1, 256);
	int nr;

	cr_assert(ne(ptr, (void *)m, NULL));
	for (int i = 0; slab_nr_caches() % 128; i++) {
		char name[32];

		snprintf(name, sizeof(name), "oom_fill_%d", i);
		cr_assert(ne(ptr, (void *)kmem_cache_create(name, 64, 0, SLAB_TYPESAFE_BY_RCU, false), NULL));
	}
	nr = slab_nr_caches();
	host_oom_arm(256 * sizeof(struct slab_reg_entry), 0);
	cr_expect(eq(ptr, (void *)kmem_cache_create("oom_129", 64, 0, SLAB_TYPESAFE_BY_RCU, false), NULL));
	cr_expect(eq(u32, host_oom_failed(), 1));
	host_oom_disarm();
	cr_expect(eq(int, slab_nr_caches(), nr));
	cr_expect(eq(ptr, (void *)slab_find_cache("oom_129"), NULL));
	helper_slab_machine_down(m);
}
