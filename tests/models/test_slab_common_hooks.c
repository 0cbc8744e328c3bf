/*
 * test_slab_common_hooks.c - slab_cache_created (models/slab_common/slab_common.h), suite
 * `slab_common_hooks`: kmem_cache_create announces every cache it returns under the name
 * asked for, a new cache (create_cache) and an alias of an existing one
 * (__kmem_cache_alias) alike, as the kernel's sysfs_slab_add / sysfs_slab_alias make the
 * name visible where a udev rule writes its tunables (mm/slab_common.c kmem_cache_create_usercopy,
 * mm/slub.c).  Not a kernel function: kmemsim's per-cache settings (sim/run/run.c's
 * run_tune_created) wait on it.  A cache that is not made (a size of 0) is not announced.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/mm.h"
#include "models/slab_common/slab_common.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static struct {
	int nr;
	struct kmem_cache *s[4];
	char name[4][32];
} seen;

static void note_created(struct kmem_cache *s, const char *name)
{
	if (seen.nr < 4) {
		seen.s[seen.nr] = s;
		strncpy(seen.name[seen.nr], name, sizeof(seen.name[0]) - 1);
	}
	seen.nr++;
}

static void up(void)
{
	sc = helper_slub_machine_up(1, 1, false);
	cr_assert(ne(ptr, (void *)sc, NULL));
	memset(&seen, 0, sizeof(seen));
	slab_cache_created = note_created;
}

static void down(void)
{
	slab_cache_created = NULL;
	helper_slab_machine_down(sc);
	sc = NULL;
}

Test(slab_common_hooks, a_new_cache_and_an_alias_are_announced_by_name, .init = up, .fini = down)
{
	struct kmem_cache *a, *b;

	/* SLAB_TYPESAFE_BY_RCU is in SLAB_NEVER_MERGE: a new cache (create_cache) */
	a = kmem_cache_create("hook_a", 200, 0, SLAB_TYPESAFE_BY_RCU, false);
	cr_assert(ne(ptr, (void *)a, NULL));
	cr_assert(eq(int, seen.nr, 1));
	cr_expect(eq(ptr, (void *)seen.s[0], (void *)a));
	cr_expect(eq(str, seen.name[0], "hook_a"));

	/* mergeable caches: each is announced under its own name with the cache returned
	 * (the second is an alias, __kmem_cache_alias of find_mergeable's cache) */
	a = kmem_cache_create("hook_m1", 232, 0, 0, false);
	cr_assert(ne(ptr, (void *)a, NULL));
	b = kmem_cache_create("hook_m2", 232, 0, 0, false);
	cr_assert(ne(ptr, (void *)b, NULL));
	cr_expect(eq(ptr, (void *)b, (void *)a), "hook_m2 merges into hook_m1");
	cr_assert(eq(int, seen.nr, 3));
	cr_expect(eq(ptr, (void *)seen.s[1], (void *)a));
	cr_expect(eq(str, seen.name[1], "hook_m1"));
	cr_expect(eq(ptr, (void *)seen.s[2], (void *)b));
	cr_expect(eq(str, seen.name[2], "hook_m2"));

	/* no cache, no announcement */
	cr_expect(eq(ptr, (void *)kmem_cache_create("hook_0", 0, 0, 0, false), NULL));
	cr_expect(eq(int, seen.nr, 3));
}
