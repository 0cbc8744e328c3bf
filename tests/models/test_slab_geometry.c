/*
 * test_slab_geometry.c - SLAB cache geometry and tunables (models/slab
 * geometry.c, tune.c) against values derived by hand from Linux 6.1.192
 * mm/slab.c and mm/slab_common.c.
 *
 * How the table was derived (x86-64, 4 KiB pages, 64-byte lines, byte
 * freelist index, slab_max_order 1 since the machine has > 32 MiB):
 *   align   create_boot_cache: 8, raised to the size for powers of two;
 *           calculate_alignment with SLAB_HWCACHE_ALIGN (ARCH_KMALLOC_FLAGS):
 *           64 halved while size <= half of it, the larger of the two.
 *           So 96 and 192 get 64 and kmalloc-96's buffer is 128 bytes.
 *   colour_off = max(64, align).
 *   mgmt    objfreelist when num bytes of index fit in object_size
 *           (every size but 32); kmalloc-32 then tries off-slab (128-byte
 *           array in kmalloc-128 > 32 / 2: refused) and ends on-slab with
 *           num = 4096 / 33 = 124, 4 bytes left.
 *   num     PAGE_SIZE << order / size (objfreelist); order 0 for all but
 *           8192 (order 0 holds none, order 1 holds one).
 *   colour  left_over / colour_off: only kmalloc-192 has one (64 bytes
 *           left: 64 / 64 = 1 colour, i.e. only offset 0).
 *   limit   > PAGE_SIZE: 8, > 1024: 24, > 256: 54, else 120 (on cachep->size);
 *           batchcount (limit + 1) / 2; shared 8 when size <= PAGE_SIZE and
 *           more than one CPU, else 0.
 *   free_limit (1 + CPUs on the node) * batchcount + num.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/slab/slab_int.h"
#include "sim/scenario/scenario.h"

struct geom {
	const char *name;
	unsigned int object_size, size, align, colour_off;
	unsigned int mgmt;		/* CFLGS_OBJFREELIST_SLAB, CFLGS_OFF_SLAB or 0 (on-slab) */
	unsigned int num, order, colour;
	unsigned int limit, batch;
	unsigned int shared_4cpu;	/* 4 CPUs: 8 up to PAGE_SIZE */
	unsigned int free_limit_2per_node; /* 2 CPUs per node: 3 * batch + num */
	unsigned int free_limit_1cpu;	/* 1 CPU: 2 * batch + num */
};

#define OBJFL CFLGS_OBJFREELIST_SLAB
static const struct geom kmalloc_geom[] = {
	{ "kmalloc-32",     32,   32,   32,   64, 0,     124, 0, 0, 120, 60, 8, 304, 244 },
	{ "kmalloc-64",     64,   64,   64,   64, OBJFL,  64, 0, 0, 120, 60, 8, 244, 184 },
	{ "kmalloc-96",     96,  128,   64,   64, OBJFL,  32, 0, 0, 120, 60, 8, 212, 152 },
	{ "kmalloc-128",   128,  128,  128,  128, OBJFL,  32, 0, 0, 120, 60, 8, 212, 152 },
	{ "kmalloc-192",   192,  192,   64,   64, OBJFL,  21, 0, 1, 120, 60, 8, 201, 141 },
	{ "kmalloc-256",   256,  256,  256,  256, OBJFL,  16, 0, 0, 120, 60, 8, 196, 136 },
	{ "kmalloc-512",   512,  512,  512,  512, OBJFL,   8, 0, 0,  54, 27, 8,  89,  62 },
	{ "kmalloc-1k",   1024, 1024, 1024, 1024, OBJFL,   4, 0, 0,  54, 27, 8,  85,  58 },
	{ "kmalloc-2k",   2048, 2048, 2048, 2048, OBJFL,   2, 0, 0,  24, 12, 8,  38,  26 },
	{ "kmalloc-4k",   4096, 4096, 4096, 4096, OBJFL,   1, 0, 0,  24, 12, 8,  37,  25 },
	{ "kmalloc-8k",   8192, 8192, 8192, 8192, OBJFL,   1, 1, 0,   8,  4, 0,  13,   9 },
};
#define NR_GEOM (sizeof(kmalloc_geom) / sizeof(kmalloc_geom[0]))

/* The four kmalloc types share geometry; the prefixes of their names. */
static const char *const type_prefix[] = { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" };

static struct sim_scenario *sc;

static void teardown(void)
{
	helper_slab_machine_down(sc);
	sc = NULL;
}

static struct kmem_cache *find(const char *prefix, const char *kname)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", prefix, kname + strlen("kmalloc-"));
	return (struct kmem_cache *)slab_find_cache(name);
}

static void check_geometry(const struct geom *g, struct kmem_cache *s)
{
	cr_assert(ne(ptr, s, NULL), "%s missing", g->name);
	cr_assert(eq(uint, (unsigned int)s->object_size, g->object_size), "%s object_size", g->name);
	cr_assert(eq(uint, s->size, g->size), "%s size", g->name);
	cr_assert(eq(uint, (unsigned int)s->align, g->align), "%s align", g->name);
	cr_assert(eq(uint, s->colour_off, g->colour_off), "%s colour_off", g->name);
	cr_assert(eq(uint, s->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB), g->mgmt), "%s mgmt", g->name);
	cr_assert(eq(uint, s->num, g->num), "%s num", g->name);
	cr_assert(eq(uint, s->gfporder, g->order), "%s gfporder", g->name);
	cr_assert(eq(uint, (unsigned int)s->colour, g->colour), "%s colour", g->name);
	cr_assert(eq(uint, s->freelist_size, g->num), "%s freelist_size", g->name);
	/* obj_to_index's reciprocal divide is exact for every object (and inside it). */
	for (unsigned int idx = 0; idx < s->num; idx++) {
		cr_assert(eq(u32, reciprocal_divide(idx * s->size, s->reciprocal_buffer_size), idx));
		cr_assert(eq(u32, reciprocal_divide(idx * s->size + s->size - 1, s->reciprocal_buffer_size), idx));
	}
}

Test(slab_geometry, kmalloc_caches_4cpu_2node, .fini = teardown)
{
	sc = helper_slab_machine_up(2, 2, 1024);
	for (size_t i = 0; i < NR_GEOM; i++) {
		const struct geom *g = &kmalloc_geom[i];

		for (size_t t = 0; t < 4; t++) {
			struct kmem_cache *s = find(type_prefix[t], g->name);

			check_geometry(g, s);
			cr_assert(eq(uint, s->limit, g->limit), "%s limit", s->name);
			cr_assert(eq(uint, s->batchcount, g->batch), "%s batchcount", s->name);
			cr_assert(eq(uint, s->shared, g->shared_4cpu), "%s shared", s->name);
			for (int nid = 0; nid < 2; nid++) {
				struct kmem_cache_node *n = s->node[nid];

				cr_assert(eq(uint, n->free_limit, g->free_limit_2per_node), "%s free_limit", s->name);
				cr_assert(eq(int, !!n->shared, !!g->shared_4cpu), "%s shared array", s->name);
				if (n->shared)
					cr_assert(eq(uint, n->shared->limit, g->shared_4cpu * g->batch),
						  "%s shared limit", s->name);
				/* One alien array, for the other node, limit 12. */
				cr_assert(n->alien && !n->alien[nid] && n->alien[1 - nid]);
				cr_assert(eq(uint, n->alien[1 - nid]->ac.limit, 12));
			}
			for (int cpu = 0; cpu < 4; cpu++) {
				cr_assert(eq(uint, s->cpu_cache[cpu]->limit, g->limit));
				cr_assert(eq(uint, s->cpu_cache[cpu]->batchcount, g->batch));
			}
		}
	}
}

Test(slab_geometry, kmalloc_caches_1cpu, .fini = teardown)
{
	sc = helper_slab_machine_up(1, 1, 1024);
	for (size_t i = 0; i < NR_GEOM; i++) {
		const struct geom *g = &kmalloc_geom[i];
		struct kmem_cache *s = find("kmalloc-", g->name);

		check_geometry(g, s);
		cr_assert(eq(uint, s->limit, g->limit), "%s limit", s->name);
		cr_assert(eq(uint, s->batchcount, g->batch), "%s batchcount", s->name);
		/* Uniprocessor: no shared array, no alien arrays. */
		cr_assert(eq(uint, s->shared, 0), "%s shared", s->name);
		cr_assert(eq(uint, s->node[0]->free_limit, g->free_limit_1cpu), "%s free_limit", s->name);
		cr_assert(eq(ptr, s->node[0]->shared, NULL));
		cr_assert(eq(ptr, s->node[0]->alien, NULL));
	}
}

/* Creation order: kmem_cache, then kmalloc-128 (it holds struct kmem_cache_node), then 32.. per type. */
Test(slab_geometry, kmalloc_creation_order, .fini = teardown)
{
	static const char *const normal[] = { "kmem_cache", "kmalloc-128", "kmalloc-32", "kmalloc-64",
		"kmalloc-96", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
		"kmalloc-4k", "kmalloc-8k", "kmalloc-cg-32" };
	struct slab_cache_info info;
	struct kmem_cache *kc;

	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(eq(int, slab_nr_caches(), 45));
	for (int id = 0; id < 13; id++) {
		slab_current()->info(slab_cache(id), &info);
		cr_assert(eq(str, (char *)info.name, (char *)normal[id]));
		cr_assert(eq(int, info.id, id));
	}
	/* kmalloc_slab: SLAB's sizes start at 32; 65..96 -> 96 (128-byte buffer). */
	cr_assert(eq(ptr, kmalloc_slab(1, GFP_KERNEL), slab_find_cache("kmalloc-32")));
	cr_assert(eq(ptr, kmalloc_slab(33, GFP_KERNEL), slab_find_cache("kmalloc-64")));
	cr_assert(eq(ptr, kmalloc_slab(96, GFP_KERNEL), slab_find_cache("kmalloc-96")));
	cr_assert(eq(ptr, kmalloc_slab(129, __GFP_RECLAIMABLE), slab_find_cache("kmalloc-rcl-192")));

	/* kmem_cache: offsetof(struct kmem_cache, node) 128 + 2 node pointers = 144,
	 * cache-line aligned to 192: 21 a page, 64 bytes left, one colour. */
	kc = (struct kmem_cache *)slab_cache(0);
	cr_assert(eq(int, kc->object_size, 144));
	cr_assert(eq(uint, kc->size, 192));
	cr_assert(eq(int, kc->align, 64));
	cr_assert(eq(uint, kc->num, 21));
	cr_assert(eq(uint, (unsigned int)kc->colour, 1));
	cr_assert(eq(uint, kc->limit, 120));
	/* Every descriptor but its own is an object of it: 44 in use. */
	{
		struct slab_slabinfo si;

		slab_get_info(kc, &si);
		cr_assert(eq(ulong, si.active_objs - kc->cpu_cache[0]->avail - kc->node[0]->shared->avail, 44));
	}
}

/* Boot leaves the kernel's metadata in the kmalloc caches: node structures in kmalloc-128,
 * 480-entry shared arrays (3856 bytes) in kmalloc-4k. */
Test(slab_geometry, boot_metadata_objects, .fini = teardown)
{
	struct kmem_cache *k4k, *k128;
	struct slab_slabinfo si;

	sc = helper_slab_machine_up(2, 2, 1024);
	k4k = (struct kmem_cache *)slab_find_cache("kmalloc-4k");
	k128 = (struct kmem_cache *)slab_find_cache("kmalloc-128");
	/* 45 caches x 2 nodes; all but the 4 kmalloc-8k ones (shared 0) have a shared array;
	 * those with limit 120 have 480 entries (> 2 KiB): 4 types x 6 sizes + kmem_cache. */
	slab_get_info(k4k, &si);
	cr_assert(ge(ulong, si.num_objs, 2 * (4 * 6 + 1)));
	/* 45 caches x 2 nodes of kmem_cache_node, plus one alien array each (120 bytes). */
	slab_get_info(k128, &si);
	cr_assert(ge(ulong, si.num_objs, 2 * 45 * 2));
}

/* Caches made later: merging into compatible caches, off-slab and on-slab choices, colours. */
Test(slab_geometry, created_caches, .fini = teardown)
{
	struct kmem_cache *rcu, *c640, *tiny, *tiny2, *big;

	sc = helper_slab_machine_up(2, 2, 1024);

	/* RCU caches may not keep the array in an object: 512-byte objects,
	 * 8 per slab, no room left on the slab, 8-byte array in kmalloc-32. */
	rcu = (struct kmem_cache *)kmem_cache_create("rcu512", 512, 0, SLAB_TYPESAFE_BY_RCU, false);
	cr_assert(eq(uint, rcu->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB), CFLGS_OFF_SLAB));
	cr_assert(eq(uint, rcu->num, 8));
	cr_assert(eq(uint, rcu->gfporder, 0));
	cr_assert(eq(uint, (unsigned int)rcu->align, 8));
	cr_assert(eq(uint, rcu->colour_off, 64));
	cr_assert(eq(uint, (unsigned int)rcu->colour, 0));
	cr_assert(eq(uint, rcu->limit, 54));

	/* 640 bytes, align 8: 6 per page, 256 bytes left = 4 colours of 64. */
	c640 = (struct kmem_cache *)kmem_cache_create("c640", 640, 8, 0, false);
	cr_assert(eq(uint, c640->num, 6));
	cr_assert(eq(uint, (unsigned int)c640->colour, 4));
	cr_assert(eq(uint, c640->colour_off, 64));
	cr_assert(eq(uint, c640->flags & CFLGS_OBJFREELIST_SLAB, CFLGS_OBJFREELIST_SLAB));

	/* 8-byte objects grow to 16 (byte index) and stay on-slab: 4096 / 17 = 240. */
	tiny = (struct kmem_cache *)kmem_cache_create("tiny", 8, 0, 0, false);
	cr_assert(eq(uint, tiny->size, 16));
	cr_assert(eq(uint, tiny->num, 240));
	cr_assert(eq(uint, tiny->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB), 0));
	cr_assert(eq(uint, (unsigned int)tiny->colour, 0));	/* 16 bytes left < 64 */

	/* A second cache of the same shape merges into the first (kmalloc caches never merge). */
	tiny2 = (struct kmem_cache *)kmem_cache_create("tiny2", 12, 0, 0, false);
	cr_assert(eq(ptr, tiny2, tiny));
	cr_assert(eq(int, tiny->object_size, 12));
	cr_assert(eq(int, tiny->refcount, 2));
	/* SLAB's extra merge rule: a larger alignment than the cache's refuses. */
	cr_assert(ne(ptr, (void *)kmem_cache_create("tiny16", 16, 16, 0, false), (void *)tiny));

	/* 3000 bytes: order 0 wastes 1096 bytes (more than an eighth), so order 1
	 * (slab_max_order) is taken: 2 objects, 2192 bytes left, 34 colours. */
	big = (struct kmem_cache *)kmem_cache_create("big3000", 3000, 8, 0, false);
	cr_assert(eq(uint, big->gfporder, 1));
	cr_assert(eq(uint, big->num, 2));
	cr_assert(eq(uint, (unsigned int)big->colour, (8192 - 6000) / 64));
	cr_assert(eq(uint, big->limit, 24));
}

/* A 32 MiB machine keeps slab_max_order 0; a bigger one raises it to 1. */
Test(slab_geometry, slab_max_order_by_memory, .fini = teardown)
{
	struct kmem_cache *big;

	sc = helper_slab_machine_up(1, 1, 32);
	cr_assert(eq(int, slab_max_order, 0));
	big = (struct kmem_cache *)kmem_cache_create("big3000", 3000, 8, 0, false);
	cr_assert(eq(uint, big->gfporder, 0));
	cr_assert(eq(uint, big->num, 1));
	/* Uniprocessor: limit 24 but no shared array. */
	cr_assert(eq(uint, big->shared, 0));
}

/* Writing "name limit batchcount shared" to /proc/slabinfo. */
Test(slab_geometry, tune_from_slabinfo, .fini = teardown)
{
	struct kmem_cache *s;

	sc = helper_slab_machine_up(2, 2, 1024);
	s = (struct kmem_cache *)slab_find_cache("kmalloc-256");
	cr_assert(eq(int, slab_tune_cache("kmalloc-256", 32, 16, 2), 0));
	cr_assert(eq(uint, s->limit, 32));
	cr_assert(eq(uint, s->batchcount, 16));
	cr_assert(eq(uint, s->shared, 2));
	cr_assert(eq(uint, s->cpu_cache[3]->limit, 32));
	cr_assert(eq(uint, s->node[1]->shared->limit, 32));
	cr_assert(eq(uint, s->node[1]->free_limit, 3 * 16 + 16));
	/* What the kernel ignores changes nothing and succeeds. */
	cr_assert(eq(int, slab_tune_cache("kmalloc-256", 8, 16, 0), 0));
	cr_assert(eq(uint, s->limit, 32));
	cr_assert(eq(int, slab_tune_cache("kmalloc-256", 8, 4, -1), 0));
	cr_assert(eq(uint, s->batchcount, 16));
	/* shared 0 drops the shared array. */
	cr_assert(eq(int, slab_tune_cache("kmalloc-256", 8, 4, 0), 0));
	cr_assert(eq(ptr, s->node[0]->shared, NULL));
	cr_assert(eq(int, slab_tune_cache("no-such-cache", 8, 4, 0), SIM_EBADINPUT));
}

/*
 * Constructors: set_objfreelist_slab_cache refuses a cache with a ctor (its free
 * objects must stay intact).  200 bytes, align 8: without a ctor OBJFREELIST,
 * 20 per page, 96 bytes left: 1 colour; with one, off-slab does not pay (96 bytes
 * left hold the 20-byte array), so on-slab: 4096 / 201 = 20, 76 left: 1 colour.
 * A ctor cache never merges, and nothing merges into it.
 */
Test(slab_geometry, constructors, .fini = teardown)
{
	struct kmem_cache *plain, *ctor, *plain2;

	sc = helper_slab_machine_up(2, 2, 1024);
	ctor = (struct kmem_cache *)kmem_cache_create("ctor200", 200, 8, 0, true);
	cr_assert(eq(uint, ctor->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB), 0));
	cr_assert(eq(uint, ctor->num, 20));
	cr_assert(eq(uint, (unsigned int)ctor->colour, 1));
	plain = (struct kmem_cache *)kmem_cache_create("plain200", 200, 8, 0, false);
	cr_assert(ne(ptr, plain, ctor));
	cr_assert(eq(uint, plain->flags & CFLGS_OBJFREELIST_SLAB, CFLGS_OBJFREELIST_SLAB));
	cr_assert(eq(uint, plain->num, 20));
	plain2 = (struct kmem_cache *)kmem_cache_create("plain200b", 200, 8, 0, false);
	cr_assert(eq(ptr, plain2, plain));
	cr_assert(ne(ptr, (void *)kmem_cache_create("ctor200b", 200, 8, 0, true), (void *)ctor));
}

/*
 * CONFIG_DEBUG_SLAB (FORCED_DEBUG) layouts, checked against the oracle-slab-debug
 * capture's SNAP0/slabinfo (objsize, objperslab, pagesperslab).  By hand:
 *   radix_tree_node 192 (ctor, RECLAIM): red zone words 8 + 8 and the user word
 *     8: 216; reclaimable: order 0; on-slab (ctor): 4096 / 217 = 18.
 *   inode_cache 568 -> 592, 6 per page; proc_inode_cache 640 -> 664, 6.
 *   shmem_inode_cache 712 -> 736: order 0 leaves 411 bytes (< 1/8): 5.
 *   sock_inode_cache 704, HWCACHE_ALIGN (64 > 8: no red zone, no user word),
 *     poison only: 704, order 0 (RECLAIM), 5.
 *   kmem_cache: offsetof(node) 224 (statistics fields) + 2 * 8 = 240 -> 256, 16.
 *   kmalloc-32..: align >= 32 drops red zone and user word: sizes unchanged.
 * Head arrays are capped at 32 entries; nothing merges (every cache is poisoned).
 */
Test(slab_geometry, debug_slab_layouts, .fini = teardown)
{
	static const struct { const char *name; unsigned int obj, flags; bool ctor; unsigned int size, num, order; } c[] = {
		{ "radix_tree_node", 192, SLAB_RECLAIM_ACCOUNT, true, 216, 18, 0 },
		{ "inode_cache", 568, SLAB_RECLAIM_ACCOUNT, true, 592, 6, 0 },
		{ "proc_inode_cache", 640, SLAB_RECLAIM_ACCOUNT, true, 664, 6, 0 },
		{ "shmem_inode_cache", 712, 0, true, 736, 5, 0 },
		{ "sock_inode_cache", 704, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT, true, 704, 5, 0 },
	};
	struct kmem_cache *s, *kc, *k32, *a, *b;

	slab_set_debug(true);
	slab_set_boot_params(-1, false, false);		/* the oracle: no FREELIST_RANDOM */
	sc = helper_slab_machine_up(2, 2, 1024);
	slab_set_debug(false);				/* for the next init */
	slab_set_boot_params(-1, false, true);
	cr_assert(sc != NULL);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		s = (struct kmem_cache *)kmem_cache_create(c[i].name, c[i].obj, 0, c[i].flags, c[i].ctor);
		cr_assert(s != NULL);
		cr_expect(eq(uint, s->size, c[i].size), "%s size", c[i].name);
		cr_expect(eq(uint, s->num, c[i].num), "%s num", c[i].name);
		cr_expect(eq(uint, s->gfporder, c[i].order), "%s order", c[i].name);
		cr_expect(eq(uint, s->limit, 32), "%s limit", c[i].name);
		cr_expect(ne(uint, s->flags & SLAB_POISON, 0), "%s poisoned", c[i].name);
	}
	s = (struct kmem_cache *)slab_find_cache("radix_tree_node");
	cr_expect(eq(int, s->obj_offset, 8));
	cr_expect(ne(uint, s->flags & SLAB_RED_ZONE, 0));
	s = (struct kmem_cache *)slab_find_cache("sock_inode_cache");
	cr_expect(eq(uint, s->flags & (SLAB_RED_ZONE | SLAB_STORE_USER), 0));
	kc = (struct kmem_cache *)slab_find_cache("kmem_cache");
	cr_expect(eq(uint, (unsigned int)kc->object_size, 240));
	cr_expect(eq(uint, kc->size, 256));
	cr_expect(eq(uint, kc->num, 16));
	cr_expect(eq(uint, kc->limit, 32));
	k32 = (struct kmem_cache *)slab_find_cache("kmalloc-32");
	cr_expect(eq(uint, k32->size, 32));
	a = (struct kmem_cache *)kmem_cache_create("dbg_a", 100, 0, 0, false);
	b = (struct kmem_cache *)kmem_cache_create("dbg_b", 100, 0, 0, false);
	cr_expect(ne(ptr, a, b), "debug caches never merge");
	/* 100 -> 104, red zones 120, user word 128. */
	cr_expect(eq(uint, a->size, 128));
}

/*
 * kmem_cache_create masks the flags with CACHE_CREATE_MASK (mm/slab.h), whose
 * SLAB_DEBUG_FLAGS is 0 for SLAB without CONFIG_DEBUG_SLAB: a cache asked for with
 * SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER is a plain cache.  By hand, 200 bytes,
 * align 8: OBJFREELIST, 4096 / 200 = 20 per page (as plain200 in constructors), and
 * mergeable: the next plain 200-byte cache is an alias of it (refcount 2).
 */
Test(slab_geometry, debug_flags_masked_without_debug_slab, .fini = teardown)
{
	struct kmem_cache *dbg, *plain;

	sc = helper_slab_machine_up(2, 2, 1024);
	dbg = (struct kmem_cache *)kmem_cache_create("asked_debug200", 200, 8,
						     SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER, false);
	cr_assert(dbg != NULL);
	cr_expect(eq(uint, dbg->flags & (SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER), 0));
	cr_expect(eq(uint, dbg->flags & CFLGS_OBJFREELIST_SLAB, CFLGS_OBJFREELIST_SLAB));
	cr_expect(eq(uint, dbg->num, 20));
	plain = (struct kmem_cache *)kmem_cache_create("plain200", 200, 8, 0, false);
	cr_expect(eq(ptr, plain, dbg));
	cr_expect(eq(int, dbg->refcount, 2));
}

/*
 * With CONFIG_DEBUG_SLAB, SLAB_DEBUG_FLAGS is red zone, poison and store user only:
 * SLAB_TRACE and SLAB_CONSISTENCY_CHECKS are dropped by kmem_cache_create.
 */
Test(slab_geometry, debug_slab_keeps_three_debug_flags, .fini = teardown)
{
	struct kmem_cache *s;

	slab_set_debug(true);
	sc = helper_slab_machine_up(2, 2, 1024);
	slab_set_debug(false);
	cr_assert(sc != NULL);
	s = (struct kmem_cache *)kmem_cache_create("traced100", 100, 0,
						   SLAB_TRACE | SLAB_CONSISTENCY_CHECKS, false);
	cr_assert(s != NULL);
	cr_expect(eq(uint, s->flags & (SLAB_TRACE | SLAB_CONSISTENCY_CHECKS), 0));
	cr_expect(ne(uint, s->flags & SLAB_POISON, 0), "FORCED_DEBUG poisons it");
}

/* Without CONFIG_DEBUG_SLAB: struct kmem_cache is 128 + 2 * 8 (FREELIST_RANDOM), 192 aligned. */
Test(slab_geometry, kmem_cache_size_without_debug, .fini = teardown)
{
	struct kmem_cache *kc;

	sc = helper_slab_machine_up(2, 2, 1024);
	kc = (struct kmem_cache *)slab_find_cache("kmem_cache");
	cr_expect(eq(uint, (unsigned int)kc->object_size, 144));
	cr_expect(eq(uint, kc->size, 192));
}

/*
 * The oracle-slab-debug kernel (6.1.192 SLAB, CONFIG_DEBUG_SLAB, no FREELIST_RANDOM, 4 CPUs
 * on 2 nodes): every cache of its SNAP0/slabinfo that the oracle-slub-stats capture of the
 * same source describes unmerged in sysfs (object_size, align, flags, ctor) has, created
 * with those under slab.debug, the slabinfo's objsize, objperslab and pagesperslab; the
 * boot caches (kmem_cache, kmalloc-*) too.  Needs the shared traces.
 */
#include <unistd.h>
#include "traces/capture.h"

Test(slab_geometry, debug_oracle_every_cache, .fini = teardown)
{
	char *path = helper_shared_trace("oracle-slab-debug-6.1.192-4cpu-2node/SNAP0/slabinfo"), line[1024];
	struct sim_capture *cap = NULL;
	FILE *f;
	int nr = 0, nr_bad = 0;

	{
		char *slub = helper_shared_trace("oracle-slub-stats-6.1.192-4cpu-2node");

		cr_assert(eq(int, sim_capture_open(&cap, slub, stderr), 0));
		free(slub);
	}
	slab_set_debug(true);
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 1024);
	slab_set_debug(false);
	slab_set_boot_params(-1, false, true);
	cr_assert(sc != NULL);
	f = fopen(path, "r");
	cr_assert(f != NULL);
	while (fgets(line, sizeof(line), f)) {
		char name[128];
		unsigned int objsize, perslab, pages;
		const struct sim_capture_cache *cc;
		struct kmem_cache *s;

		if (sscanf(line, "%127s %*u %*u %u %u %u", name, &objsize, &perslab, &pages) != 4)
			continue;
		s = (struct kmem_cache *)slab_find_cache(name);
		cc = sim_capture_find_cache(cap, name);
		if (!s) {
			if (!cc || strcmp(cc->dir, name))
				continue;	/* unknown, or merged on SLUB: its own size is not known */
			s = (struct kmem_cache *)kmem_cache_create(name, cc->object_size, cc->align,
								   cc->flags, cc->ctor);
		}
		cr_assert(s != NULL, "%s", name);
		nr++;
		if (s->size != objsize || s->num != perslab || (1u << s->gfporder) != pages) {
			nr_bad++;
			cr_log_warn("%s: kernel %u %u %u, model %u %u %u", name, objsize, perslab, pages,
				    s->size, s->num, 1u << s->gfporder);
		}
	}
	fclose(f);
	cr_expect(eq(int, nr_bad, 0), "%d of %d caches differ", nr_bad, nr);
	cr_expect(ge(int, nr, 45), "%d caches checked", nr);
	sim_capture_free(cap);
	free(path);
}

/*
 * FORCED_DEBUG's choice in __kmem_cache_create (mm/slab.c): red zone and last-user word for
 * every object below 4096 bytes, and for a larger one only when they keep it below the next
 * power of two (fls(size - 1) == fls(size - 1 + REDZONE_ALIGN + 2 * 8)); poison in any case
 * (none of these is RCU-freed).  Align 8, so nothing turns the debug words off.  Sizes: with
 * both, + 8 + 8 red zone + 8 user word (obj_offset 8); with neither, the size word-aligned.
 *   120: fls(119) 7, fls(143) 8, but below 4096: both, 144.
 *   4000: below 4096: both, 4024.  4096: fls 12 vs 13: neither, 4096.
 *   5000: fls 13 both: both, 5024.  8168: 8167 + 24 = 8191, fls 13 both: both, 8192.
 *   8169, 8176, 8180: 8168 + 24 = 8192 and on, fls 13 vs 14: neither, 8176, 8176, 8184.
 */
Test(slab_geometry, debug_red_zone_unless_past_the_next_power_of_two, .fini = teardown)
{
	static const struct { unsigned int obj; bool red; unsigned int size; } c[] = {
		{ 120, true, 144 }, { 4000, true, 4024 }, { 4096, false, 4096 },
		{ 5000, true, 5024 }, { 8168, true, 8192 }, { 8169, false, 8176 }, { 8176, false, 8176 },
		{ 8180, false, 8184 },
	};

	slab_set_debug(true);
	sc = helper_slab_machine_up(2, 2, 1024);
	slab_set_debug(false);
	cr_assert(sc != NULL);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char name[32];
		struct kmem_cache *s;

		snprintf(name, sizeof(name), "dbg%u", c[i].obj);
		s = (struct kmem_cache *)kmem_cache_create(name, c[i].obj, 8, 0, false);
		cr_assert(s != NULL, "%s", name);
		cr_expect(eq(uint, s->flags & SLAB_RED_ZONE, c[i].red ? SLAB_RED_ZONE : 0), "%s red zone", name);
		cr_expect(eq(uint, s->flags & SLAB_STORE_USER, c[i].red ? SLAB_STORE_USER : 0), "%s user", name);
		cr_expect(ne(uint, s->flags & SLAB_POISON, 0), "%s poison", name);
		cr_expect(eq(int, s->obj_offset, c[i].red ? 8 : 0), "%s obj_offset", name);
		cr_expect(eq(uint, s->size, c[i].size), "%s size", name);
	}
}

/*
 * slab_max_order= (slab_max_order_setup, mm/slab.c): min(value, MAX_ORDER - 1), and once set
 * kmem_cache_init keeps it whatever the memory (totalram above 32 MiB raises only an unset
 * one to SLAB_MAX_ORDER_HI).  What it decides, calculate_slab_order: a 1536 KiB object first
 * fits at order 9 (2 MiB, one object, 512 KiB left: more than an eighth), which is taken when
 * slab_max_order <= 9; at 10 the loop goes on to order 10 (two objects) and stops there.
 */
Test(slab_geometry, slab_max_order_boot_parameter, .fini = teardown)
{
	static const struct { int param; uint64_t mib; int max_order; unsigned int big_order; } t[] = {
		{ 0, 1024, 0, 9 }, { 1, 32, 1, 9 }, { 3, 1024, 3, 9 }, { MAX_ORDER - 2, 1024, MAX_ORDER - 2, 9 },
		{ MAX_ORDER - 1, 1024, MAX_ORDER - 1, 10 }, { MAX_ORDER, 1024, MAX_ORDER - 1, 10 },
		{ 20, 1024, MAX_ORDER - 1, 10 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct kmem_cache *big;

		slab_set_boot_params(t[i].param, false, true);
		sc = helper_slab_machine_up(1, 1, t[i].mib);
		slab_set_boot_params(-1, false, true);
		cr_assert(sc != NULL);
		cr_expect(eq(int, slab_max_order, t[i].max_order), "slab_max_order=%d", t[i].param);
		big = (struct kmem_cache *)kmem_cache_create("big1536k", 1536 * 1024, 8, 0, false);
		cr_assert(big != NULL);
		cr_expect(eq(uint, big->gfporder, t[i].big_order), "slab_max_order=%d", t[i].param);
		cr_expect(eq(uint, big->num, t[i].big_order == 10 ? 2 : 1), "slab_max_order=%d", t[i].param);
		teardown();
	}
}

/*
 * Boot only allocates (kmem_cache_init: descriptors, node structures, arrays), with one-entry
 * head arrays of batchcount 1 (setup_cpu_cache: BOOT_CPUCACHE_ENTRIES) until
 * kmem_cache_init_late sizes them: each refill takes one object from the node's first partial
 * slab (get_first_slab) and grows a slab only when there is none.  So after boot every slab a
 * cache grew (STATS_INC_GROWN, cache_grow_end) is still there, none is free, at most one per
 * node is partial, and nothing was reaped.
 */
Test(slab_geometry, boot_grows_only_the_slabs_it_fills, .fini = teardown)
{
	int nr_grown = 0;

	sc = helper_slab_machine_up(2, 2, 1024);
	for (struct list_head *p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *s = list_entry(p, struct kmem_cache, list);
		unsigned long slabs = 0;

		for (int nid = 0; nid < 2; nid++) {
			struct kmem_cache_node *n = s->node[nid];
			unsigned long partial = 0;

			for (struct list_head *q = n->slabs_partial.next; q != &n->slabs_partial; q = q->next)
				partial++;
			cr_expect(eq(ulong, n->free_slabs, 0), "%s node %d", s->name, nid);
			cr_expect(le(ulong, partial, 1), "%s node %d", s->name, nid);
			slabs += n->total_slabs;
		}
		cr_expect(eq(ulong, s->grown, slabs), "%s", s->name);
		cr_expect(eq(ulong, s->reaped, 0), "%s", s->name);
		nr_grown += s->grown > 0;
	}
	cr_expect(le(int, 8, nr_grown), "kmem_cache and the kmalloc caches boot fills");
}

/*
 * The kmem_cache cache's object is offsetof(struct kmem_cache, node) plus a pointer per
 * node (create_boot_cache(kmem_cache, ...) in kmem_cache_init, mm/slab.c 6.1), with the
 * offset from include/linux/slab_def.h (6.1, amd64, no KASAN) for each pair of switches:
 * align ends at 108; CONFIG_DEBUG_SLAB adds num_active .. node_overflow (10 unsigned long
 * from 112), allochit .. freemiss (4 atomic_t) and obj_offset: 212; FREELIST_RANDOM adds
 * random_seq at the next 8: 216 (no debug: 112) + 8; useroffset and usersize 4 + 4; node[]
 * at the next 8.  So: neither 108 + 8 = 116 -> 120; random 112 + 8 + 8 = 128; debug
 * 212 + 8 = 220 -> 224; both 216 + 8 + 8 = 232.  Object size: that + 8 * nr_node_ids.
 */
Test(slab_geometry, kmem_cache_object_size_for_each_switch, .fini = teardown)
{
	static const struct { bool debug, random; unsigned int off; } t[] = {
		{ false, false, 120 }, { false, true, 128 }, { true, false, 224 }, { true, true, 232 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (int nodes = 1; nodes <= 2; nodes++) {
			struct kmem_cache *kc;

			if (sc)
				helper_slab_machine_down(sc);	/* the last one goes in teardown */
			slab_set_debug(t[i].debug);
			slab_set_boot_params(-1, false, t[i].random);
			sc = helper_slab_machine_up(nodes, 2, 1024);
			slab_set_debug(false);
			slab_set_boot_params(-1, false, true);
			cr_assert(sc != NULL);
			kc = (struct kmem_cache *)slab_find_cache("kmem_cache");
			cr_assert(kc != NULL);
			cr_expect(eq(uint, (unsigned int)kc->object_size, t[i].off + 8u * (unsigned int)nodes),
				  "debug %d random %d nodes %d", t[i].debug, t[i].random, nodes);
		}
	}
}

/*
 * set_up_node (mm/slab.c) staggers each node's reap by the cache's address:
 * next_reap = jiffies + REAPTIMEOUT_NODE + (unsigned long)cachep % REAPTIMEOUT_NODE.  The
 * kmem_cache cache is the static kmem_cache_boot, at the model's 0xffffffff82a00000; at boot
 * jiffies is 0 and REAPTIMEOUT_NODE 4 * HZ (1000 at 250 Hz): 1000 + (0xffffffff82a00000 % 1000),
 * not the 1000 a zero address would give.
 */
Test(slab_geometry, kmem_cache_reap_staggered_by_its_static_address, .fini = teardown)
{
	struct kmem_cache *kc;
	const unsigned long t = 4ul * (unsigned long)slab_hz;

	sc = helper_slab_machine_up(2, 2, 1024);
	kc = (struct kmem_cache *)slab_find_cache("kmem_cache");
	cr_assert(kc != NULL);
	cr_expect(eq(u64, kc->vaddr, 0xffffffff82a00000ull));
	cr_assert(ne(ulong, 0xffffffff82a00000ul % t, 0));
	cr_expect(eq(ulong, kc->node[0]->next_reap, t + 0xffffffff82a00000ul % t));
}
