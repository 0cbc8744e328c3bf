/*
 * test_slab_tune.c - SLAB's head arrays as enable_cpucache sizes them and
 * as /proc/slabinfo writes retune them, suite `slab_tune` (mm/slab.c, 6.1.192):
 *   - enable_cpucache: limit 1 above 128 KiB objects, 8 above PAGE_SIZE, 24
 *     above 1 KiB, 54 above 256 bytes, else 120; batchcount (limit + 1) / 2;
 *     shared 8 when the object fits a page and there is more than one CPU;
 *   - setup_kmem_cache_node: the shared array holds shared x batchcount;
 *     alloc_alien_cache: 12 entries whenever limit > 1, else 1;
 *   - slabinfo_write: values the kernel ignores (limit < 1, batchcount < 1 or
 *     > limit, shared < 0) change nothing; a new shared count replaces the
 *     node's shared array (force_change), 0 removes it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/engine/lockstat.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

static void down(void)
{
	cr_expect(slab_check(stderr));
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
}

Test(slab_tune, enable_cpucache_sizes_the_arrays_by_object_size, .init = up, .fini = down)
{
	static const struct { const char *name; unsigned int size, limit, batch, shared, alien; } t[] = {
		{ "t64", 64, 120, 60, 8, 12 },
		/* each bound is strict ("size > 256" ...): an object of exactly the bound stays below it */
		{ "t256", 256, 120, 60, 8, 12 },
		{ "t300", 300, 54, 27, 8, 12 },
		{ "t1024", 1024, 54, 27, 8, 12 },
		{ "t4096", 4096, 24, 12, 8, 12 },
		{ "t128k", 131072, 8, 4, 0, 12 },
		{ "t2000", 2000, 24, 12, 8, 12 },
		{ "t5000", 5000, 8, 4, 0, 12 },
		{ "t200k", 200000, 1, 1, 0, 1 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create(t[i].name, t[i].size, 0, 0, true);

		cr_assert(ne(ptr, (void *)s, NULL), "%s", t[i].name);
		cr_expect(eq(uint, s->limit, t[i].limit), "%s", t[i].name);
		cr_expect(eq(uint, s->batchcount, t[i].batch), "%s", t[i].name);
		cr_expect(eq(uint, s->shared, t[i].shared), "%s", t[i].name);
		/* CONFIG_SLAB_FREELIST_RANDOM off (up): cache_random_seq_create makes no sequence */
		cr_expect(eq(ptr, (void *)s->random_seq, NULL), "%s", t[i].name);
		cr_expect(eq(uint, s->cpu_cache[0]->limit, t[i].limit), "%s", t[i].name);
		cr_expect(eq(uint, s->cpu_cache[0]->batchcount, t[i].batch), "%s", t[i].name);
		if (t[i].shared) {
			cr_assert(ne(ptr, (void *)s->node[0]->shared, NULL));
			cr_expect(eq(uint, s->node[0]->shared->limit, t[i].shared * t[i].batch), "%s", t[i].name);
		} else {
			cr_expect(eq(ptr, (void *)s->node[0]->shared, NULL), "%s", t[i].name);
		}
		cr_assert(ne(ptr, (void *)s->node[0]->alien, NULL));
		cr_assert(ne(ptr, (void *)s->node[0]->alien[1], NULL));
		cr_expect(eq(uint, s->node[0]->alien[1]->ac.limit, t[i].alien), "%s", t[i].name);
		cr_expect(eq(ptr, (void *)s->node[0]->alien[0], NULL), "%s: no alien array for its own node",
			  t[i].name);
	}
}

Test(slab_tune, slabinfo_write_ignores_bad_values_and_replaces_shared, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("tw", 64, 0, 0, true);
	void *o[6];

	cr_assert(ne(ptr, (void *)s, NULL));
	cr_expect(eq(int, slab_tune_cache("no-such-cache", 4, 2, 2), SIM_EBADINPUT));
	cr_assert(eq(int, slab_tune_cache("tw", 4, 2, 2), 0));
	cr_expect(eq(uint, s->node[0]->shared->limit, 4));
	/* ignored: the tunables stay 4 / 2 / 2 */
	cr_expect(eq(int, slab_tune_cache("tw", 0, 2, 2), 0));
	cr_expect(eq(int, slab_tune_cache("tw", 4, 0, 2), 0));
	cr_expect(eq(int, slab_tune_cache("tw", 4, 5, 2), 0));
	cr_expect(eq(int, slab_tune_cache("tw", 4, 2, -1), 0));
	cr_expect(eq(uint, s->limit, 4));
	cr_expect(eq(uint, s->batchcount, 2));
	cr_expect(eq(uint, s->shared, 2));
	cr_expect(eq(uint, s->cpu_cache[0]->limit, 4));

	/* objects in the shared array, then a new shared count: a new array of 4 x 2, the old
	 * one's objects back to their slabs (free_block) */
	for (int i = 0; i < 6; i++)
		o[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	for (int i = 0; i < 6; i++)
		helper_slab_free(1, o[i]);
	cr_assert(lt(uint, 0, s->node[0]->shared->avail));
	cr_assert(eq(int, slab_tune_cache("tw", 4, 2, 4), 0));
	cr_expect(eq(uint, s->node[0]->shared->limit, 8));
	cr_expect(eq(uint, s->node[0]->shared->avail, 0));
	cr_expect(eq(uint, s->shared, 4));
	/* shared 0: no shared array at all */
	cr_assert(eq(int, slab_tune_cache("tw", 4, 2, 0), 0));
	cr_expect(eq(ptr, (void *)s->node[0]->shared, NULL));
	cr_expect(eq(ptr, (void *)s->node[1]->shared, NULL));
	cr_expect(slab_check(stderr));
}

/*
 * alloc_alien_cache (mm/slab.c) gives every alien array 12 entries when the cache's limit is
 * above 1, else 1 (enable_cpucache: limit 1 for objects above 128 KiB), and
 * __alloc_alien_cache kmallocs sizeof(void *) * entries + sizeof(struct alien_cache) for it
 * (x86-64: a 4-byte spinlock_t, padding, a 16-byte struct array_cache: 24 bytes).  So
 * 24 + 8 x 12 = 120 bytes (kmalloc-128), or 24 + 8 = 32 (kmalloc-32).  Made by a task's
 * kmem_cache_create (a module's init), each is a kmalloc of that size nested in its
 * operation, at the address the alien array keeps as its kernel object.
 */
Test(slab_tune, alien_arrays_are_kmallocs_of_the_kernels_size, .init = up, .fini = down)
{
	static const struct { const char *name; unsigned int size, entries, bytes; const char *kmalloc; } t[] = {
		{ "a64", 64, 12, 24 + 8 * 12, "kmalloc-128" },
		{ "a200k", 200000, 1, 24 + 8 * 1, "kmalloc-32" },
	};
	struct helper_slab_log log = { 0 };

	helper_slab_log_start(&log);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *s;
		struct sim_op op;

		sim_engine_set_cpu(0);
		sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
		s = (struct kmem_cache *)kmem_cache_create(t[i].name, t[i].size, 0, 0, false);
		sim_op_end(&op);
		cr_assert(ne(ptr, (void *)s, NULL), "%s", t[i].name);
		for (int node = 0; node < 2; node++) {
			const struct alien_cache *alc = s->node[node]->alien[1 - node];
			const struct sim_op *made = NULL;

			cr_assert(ne(ptr, (void *)alc, NULL), "%s", t[i].name);
			cr_expect(eq(uint, alc->ac.limit, t[i].entries), "%s", t[i].name);
			for (size_t k = 0; k < log.nr; k++)
				if (log.ops[k].kind == SIM_OP_OBJ_ALLOC && log.ops[k].parent_seq == op.seq &&
				    log.ops[k].addr == (uint64_t)(uintptr_t)alc->ac.sim_obj)
					made = &log.ops[k];
			cr_assert(ne(ptr, (void *)made, NULL), "%s: node %d's alien array", t[i].name, node);
			cr_expect(eq(u32, made->size, t[i].bytes), "%s: node %d", t[i].name, node);
			cr_expect(eq(int, made->cache, slab_cache_id(slab_find_cache(t[i].kmalloc))), "%s", t[i].name);
		}
	}
	helper_slab_log_stop(&log);
}

/*
 * alloc_arraycache (mm/slab.c:533, 6.1) kmallocs sizeof(void *) * entries + sizeof(struct
 * array_cache) (avail, limit, batchcount, touched: 16) on the node.  A slabinfo write of
 * limit 30, batchcount 15, shared 1 gives each node a shared array of 1 x 15 entries: 136
 * bytes, kmalloc-192 (kmalloc_index: 129 .. 192 is index 2), nested in the write's operation.
 */
Test(slab_tune, shared_arrays_are_kmallocs_of_the_kernels_size, .init = up, .fini = down)
{
	struct helper_slab_log log = { 0 };
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("sh15", 64, 0, 0, true);
	struct sim_op op;

	cr_assert(ne(ptr, (void *)s, NULL));
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	cr_assert(eq(int, slab_tune_cache("sh15", 30, 15, 1), 0));
	sim_op_end(&op);
	for (int node = 0; node < 2; node++) {
		const struct array_cache *sh = s->node[node]->shared;
		const struct sim_op *made = NULL;

		cr_assert(ne(ptr, (void *)sh, NULL));
		cr_expect(eq(uint, sh->limit, 15));
		for (size_t k = 0; k < log.nr; k++)
			if (log.ops[k].kind == SIM_OP_OBJ_ALLOC && log.ops[k].parent_seq == op.seq &&
			    log.ops[k].addr == (uint64_t)(uintptr_t)sh->sim_obj)
				made = &log.ops[k];
		cr_assert(ne(ptr, (void *)made, NULL), "node %d's shared array", node);
		cr_expect(eq(u32, made->size, 16 + 8 * 15), "node %d", node);
		cr_expect(eq(int, made->cache, slab_cache_id(slab_find_cache("kmalloc-192"))), "node %d", node);
		cr_expect(eq(int, slab_nid(virt_to_slab(sh->sim_obj)), node), "kmalloc_node on its node");
	}
	helper_slab_log_stop(&log);
}

/*
 * The lock table's owner of each SLAB lock (sim/engine/lockstat.h: -1 for none): a
 * kmem_cache_node's list_lock belongs to its cache and node, an alien array's lock to its
 * cache and the node whose kmem_cache_node holds it (alloc_alien_cache(node, ...), mm/slab.c);
 * neither is per CPU nor per zone.  Every cache: the boot ones (set_up_node, setup_cpu_cache),
 * one made after boot (init_cache_node, setup_kmem_cache_node) and one retuned (new alien
 * arrays offered again, the old ones kept).
 */
/* Lock `lock` of cache s is in the lock table as `name`, owned by node nid, no CPU, no zone. */
static void expect_owner(const spinlock_t *lock, const char *name, const struct kmem_cache *s, int nid)
{
	const struct sim_lockstat *l = sim_lockstat_at(lock->id);

	cr_assert(ne(ptr, (void *)l, NULL), "%s %s", s->name, name);
	cr_expect(eq(str, (char *)l->name, (char *)name), "%s", s->name);
	cr_expect(eq(int, l->cpu, -1), "%s node %d %s", s->name, nid, name);
	cr_expect(eq(int, l->node, nid), "%s node %d %s", s->name, nid, name);
	cr_expect(eq(int, l->zone, -1), "%s node %d %s", s->name, nid, name);
	cr_assert(ne(ptr, (void *)l->cache, NULL), "%s node %d %s", s->name, nid, name);
	cr_expect(eq(str, (char *)l->cache, (char *)s->name), "node %d %s", nid, name);
}

Test(slab_tune, lock_table_names_the_cache_and_node_of_each_lock, .init = up, .fini = down)
{
	int nr_caches = 0;

	cr_assert(ne(ptr, kmem_cache_create("owned64", 64, 0, 0, true), NULL));
	cr_assert(ne(ptr, kmem_cache_create("owned128", 128, 0, 0, true), NULL));
	cr_assert(eq(int, slab_tune_cache("owned128", 16, 8, 4), 0));
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *s = list_entry(p, struct kmem_cache, list);

		nr_caches++;
		for (int nid = 0; nid < 2; nid++) {
			struct kmem_cache_node *n = s->node[nid];

			expect_owner(&n->list_lock, "slab:list_lock", s, nid);
			cr_assert(ne(ptr, (void *)n->alien, NULL), "%s", s->name);
			expect_owner(&n->alien[1 - nid]->lock, "slab:alien_lock", s, nid);
		}
	}
	cr_expect(eq(int, nr_caches, slab_nr_caches()));
}

/*
 * The race scenarios switch n->list_lock off with the guard slab_list_lock (the lock's own
 * guard, kmem_cache_node_init): then spin_lock on it takes nothing; on, it is held.
 */
Test(slab_tune, list_lock_is_switched_off_by_its_guard, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("guarded64", 64, 0, 0, true);
	struct kmem_cache *boot = (struct kmem_cache *)slab_find_cache("kmalloc-64");

	cr_assert(ne(ptr, (void *)s, NULL));
	for (int off = 0; off < 2; off++) {
		sim->guard_off[SIM_GUARD_SLAB_LIST_LOCK] = off;
		for (int nid = 0; nid < 2; nid++) {
			spinlock_t *locks[] = { &s->node[nid]->list_lock, &boot->node[nid]->list_lock };

			for (int k = 0; k < 2; k++) {
				spin_lock(locks[k]);
				cr_expect(eq(int, spin_is_locked(locks[k]), !off), "node %d lock %d guard off %d", nid, k, off);
				spin_unlock(locks[k]);
				cr_expect(not(spin_is_locked(locks[k])));
			}
		}
	}
	sim->guard_off[SIM_GUARD_SLAB_LIST_LOCK] = false;
}

/*
 * A new shared count replaces the shared array (setup_kmem_cache_node with force_change): its
 * objects go back with free_block under n->list_lock, which takes free slabs off the lists
 * while the node holds more than free_limit free objects, and slabs_destroy gives their pages
 * back after the unlock.  1024-byte objects with a constructor: off-slab, 4 a page.  Tunables
 * limit 8, batchcount 4, shared 8 (a 32-entry shared array); free_limit (1 + 2) x 4 + 4 = 16.
 * 36 objects (9 slabs) out on vCPU 0, all given back on vCPU 1: 8 stay in its array, 28 go to
 * the shared array (7 flushes of 4).  Retuned to shared 4: the per-CPU arrays go first (8
 * objects: 8 free, below 16), then the shared array's 28: 36 free, so 5 empty slabs are
 * destroyed: 4 left, 16 free objects; the 20 objects of the 5 have no slab any more.
 */
Test(slab_tune, new_shared_count_destroys_the_slabs_it_frees, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("rt1k", 1024, 0, 0, true);
	struct kmem_cache_node *n;
	void *o[36];
	int gone = 0;

	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(uint, s->num, 4));
	cr_assert(eq(int, slab_tune_cache("rt1k", 8, 4, 8), 0));
	n = s->node[0];
	cr_assert(eq(uint, n->free_limit, 16));
	for (int i = 0; i < 36; i++)
		o[i] = helper_slab_alloc(0, s, 0, GFP_KERNEL, NUMA_NO_NODE);
	cr_assert(eq(ulong, n->total_slabs, 9));
	for (int i = 0; i < 36; i++)
		helper_slab_free(1, o[i]);
	cr_assert(eq(uint, n->shared->avail, 28));
	cr_assert(eq(uint, s->cpu_cache[1]->avail, 8));
	cr_assert(eq(ulong, n->free_objects, 0));

	cr_assert(eq(int, slab_tune_cache("rt1k", 8, 4, 4), 0));
	cr_expect(eq(uint, n->shared->avail, 0));
	cr_expect(eq(ulong, n->free_objects, 16));
	cr_expect(eq(ulong, n->total_slabs, 4));
	cr_expect(eq(ulong, n->free_slabs, 4));
	for (int i = 0; i < 36; i++)
		gone += virt_to_slab(o[i]) == NULL;
	cr_expect(eq(int, gone, 20), "the pages of the slabs taken off the lists");
}

/*
 * CONFIG_SLAB_FREELIST_RANDOM: enable_cpucache gives each cache a random_seq of num entries
 * (cache_random_seq_create), freelist_randomize's Fisher-Yates over 0..num-1 from i = num - 1
 * down to 1: a permutation.  With num 2 the single step i = 1 swaps the two or not, so across
 * 32 caches both orders come up.  512- and 2048-byte TYPESAFE_BY_RCU caches (never merged):
 * off-slab, 8 and 2 a page.
 */
Test(slab_tune, random_seq_is_a_fisher_yates_permutation, .fini = down)
{
	int swapped = 0;

	slab_set_boot_params(-1, false, true);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int i = 0; i < 32; i++) {
		static const unsigned int sizes[] = { 2048, 512 };
		char name[32];

		for (int k = 0; k < 2; k++) {
			struct kmem_cache *s;
			bool seen[8] = { false };

			snprintf(name, sizeof(name), "rs%u-%d", sizes[k], i);
			s = (struct kmem_cache *)kmem_cache_create(name, sizes[k], 0, SLAB_TYPESAFE_BY_RCU, false);
			cr_assert(ne(ptr, (void *)s, NULL));
			cr_assert(eq(uint, s->num, k ? 8 : 2), "%s", name);
			cr_assert(ne(ptr, (void *)s->random_seq, NULL), "%s", name);
			for (unsigned int j = 0; j < s->num; j++) {
				cr_assert(lt(uint, s->random_seq[j], s->num), "%s", name);
				cr_assert(not(seen[s->random_seq[j]]), "%s: %u twice", name, s->random_seq[j]);
				seen[s->random_seq[j]] = true;
			}
			if (!k)
				swapped += s->random_seq[0] == 1;
		}
	}
	cr_expect(lt(int, 0, swapped), "the step i = 1 never swapped");	/* 2.4.1's gt is >= */
	cr_expect(lt(int, swapped, 32), "the step i = 1 always swapped");
}

/* enable_cpucache: a shared array whenever there is more than one CPU, two included. */
Test(slab_tune, two_cpus_get_a_shared_array, .fini = down)
{
	struct kmem_cache *s;

	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(1, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	s = (struct kmem_cache *)slab_find_cache("kmalloc-64");
	cr_expect(eq(uint, s->shared, 8));
	cr_assert(ne(ptr, (void *)s->node[0]->shared, NULL));
	cr_expect(eq(uint, s->node[0]->shared->limit, 8 * s->batchcount));
}

/*
 * A retune offers each node new alien arrays (setup_kmem_cache_node: alloc_alien_cache(node,
 * limit)) and frees them when the node has its own: kcalloc_node of nr_node_ids pointers (16
 * bytes) and one array per other node, 12 entries whenever the new limit is above 1 (so at
 * limit 2 too): 24 + 8 x 12 = 120 bytes.  Each is a kmalloc nested in the tuning's operation.
 */
Test(slab_tune, retune_offers_alien_arrays_of_twelve, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("ra64", 64, 0, 0, true);
	struct helper_slab_log log = { 0 };
	struct sim_op op;
	int nr_ptrs = 0, nr_arrays = 0;

	cr_assert(ne(ptr, (void *)s, NULL));
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	cr_assert(eq(int, slab_tune_cache("ra64", 2, 1, 0), 0));
	sim_op_end(&op);
	for (size_t k = 0; k < log.nr; k++) {
		if (log.ops[k].kind != SIM_OP_OBJ_ALLOC || log.ops[k].parent_seq != op.seq)
			continue;
		nr_ptrs += log.ops[k].size == 16;
		nr_arrays += log.ops[k].size == 120;
	}
	helper_slab_log_stop(&log);
	cr_expect(eq(int, nr_ptrs, 2), "a pointer array per node");
	cr_expect(eq(int, nr_arrays, 2), "one 12-entry array per node (for the other)");
	cr_expect(eq(uint, s->node[0]->alien[1]->ac.limit, 12));
}

/*
 * setup_kmem_cache_node (mm/slab.c) makes a new alien table for each node and, when the
 * node has one already (a retune), frees it again: free_alien_cache kfrees every node's
 * alien_cache (for_each_node, node 0's too) and then the pointer table.  On two nodes each
 * table holds one alien array of 24 + 8 x 12 bytes (kmalloc-128) and the table is 2 x 8
 * bytes (kmalloc-32, SLAB's smallest): the retune allocates and frees two of each.  The
 * tuning runs inside an operation here so that its kmalloc and kfree calls are logged.
 */
Test(slab_tune, a_retune_frees_every_nodes_new_alien_arrays, .init = up, .fini = down)
{
	struct kmem_cache *s = (struct kmem_cache *)kmem_cache_create("talien", 64, 0, 0, true);
	int k128 = slab_cache_id(slab_find_cache("kmalloc-128"));
	int k32 = slab_cache_id(slab_find_cache("kmalloc-32"));
	struct helper_slab_log log = { 0 };
	struct sim_op op;
	size_t allocs128 = 0, frees128 = 0, allocs32 = 0, frees32 = 0;

	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(ne(ptr, (void *)s->node[1]->alien, NULL));
	helper_slab_log_start(&log);
	sim_engine_set_cpu(0);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	cr_assert(eq(int, slab_tune_cache("talien", (int)s->limit, (int)s->batchcount, 0), 0));
	sim_op_end(&op);
	for (size_t i = 0; i < log.nr; i++) {
		if (log.ops[i].outer == NULL)
			continue;
		if (log.ops[i].cache == k128)
			*(log.ops[i].kind == SIM_OP_OBJ_ALLOC ? &allocs128 : &frees128) += 1;
		if (log.ops[i].cache == k32)
			*(log.ops[i].kind == SIM_OP_OBJ_ALLOC ? &allocs32 : &frees32) += 1;
	}
	helper_slab_log_stop(&log);
	cr_expect(eq(sz, allocs128, 2));
	cr_expect(eq(sz, frees128, 2));
	cr_expect(eq(sz, allocs32, 2));
	cr_expect(eq(sz, frees32, 2));
}
