/*
 * tune.c - SLAB's tunables and the per-CPU, shared and alien arrays they
 * size: enable_cpucache picks limit / batchcount / shared from the object
 * size, do_tune_cpucache installs new arrays, setup_kmem_cache_node gives
 * each node its shared array, alien arrays and free_limit.
 *
 * Main entries: setup_cpu_cache (from __kmem_cache_create), enable_cpucache
 * (kmem_cache_init_late and caches created after boot), slab_tune_cache
 * (a write to /proc/slabinfo).
 *
 * Locks: n->list_lock (spin_lock_irq) around free_limit and the swap of the
 * shared array.  The arrays and node structures are host memory; for each
 * one the kernel kmallocs (kmem_cache_node, shared and alien arrays, the
 * alien pointer array, the random sequence) a simulated kmalloc object of
 * the kernel's size is allocated and freed beside it, so the kmalloc caches
 * fill up as in the kernel.  An array replaced by tuning is kept until the
 * model exits instead of being freed after synchronize_rcu /
 * kick_all_cpus_sync, so a tuning must not run while another vCPU is
 * inside the allocator.
 */
#include <stdlib.h>
#include <string.h>

#include "../../sim/engine/engine.h"
#include "slab_int.h"

/* Arrays retired by do_tune_cpucache / setup_kmem_cache_node, freed at exit. */
static void **retired;
static size_t nr_retired, retired_cap;

/* Keep a replaced host array until exit (a reader may still hold it). */
static void retire(void *p)
{
	if (!p)
		return;
	if (nr_retired == retired_cap) {
		size_t cap = retired_cap ? retired_cap * 2 : 64;
		void **n = realloc(retired, cap * sizeof(*n));

		if (!n) {		/* cannot keep it: leak rather than free under a reader */
			return;
		}
		retired = n;
		retired_cap = cap;
	}
	retired[nr_retired++] = p;
}

/* Free every array retired by tuning (model exit). */
void slab_tune_release_all(void)
{
	for (size_t i = 0; i < nr_retired; i++)
		free(retired[i]);
	free(retired);
	retired = NULL;
	nr_retired = retired_cap = 0;
}

/* kernel: kmem_cache_node_init, mm/slab.c */
static void kmem_cache_node_init(struct kmem_cache_node *parent)
{
	INIT_LIST_HEAD(&parent->slabs_full);
	INIT_LIST_HEAD(&parent->slabs_partial);
	INIT_LIST_HEAD(&parent->slabs_free);
	parent->total_slabs = 0;
	parent->free_slabs = 0;
	parent->shared = NULL;
	parent->alien = NULL;
	parent->colour_next = 0;
	spin_lock_init_named(&parent->list_lock, "slab:list_lock");
	parent->list_lock.guard = SIM_GUARD_SLAB_LIST_LOCK;
	parent->free_objects = 0;
	parent->free_touched = 0;
}

/* kernel: init_arraycache, mm/slab.c */
static void init_arraycache(struct array_cache *ac, int limit, int batch)
{
	if (ac) {
		ac->avail = 0;
		ac->limit = limit;
		ac->batchcount = batch;
		ac->touched = 0;
	}
}

/* Sizes of the kernel's objects (x86-64) that the model keeps in host memory. */
#define KERNEL_SIZEOF_ARRAY_CACHE	16u	/* 4 unsigned ints, then entry[] */
#define KERNEL_SIZEOF_ALIEN_CACHE	24u	/* spinlock_t, padding, struct array_cache */
#define KERNEL_SIZEOF_CACHE_NODE	120u	/* SLAB's struct kmem_cache_node */

/* A host array of `entries` slots (the per-CPU ones: __alloc_percpu, no slab object). */
static struct array_cache *alloc_host_arraycache(int entries, int batchcount)
{
	struct array_cache *ac = malloc(sizeof(struct array_cache) + sizeof(void *) * (size_t)entries);

	init_arraycache(ac, entries, batchcount);
	if (ac)
		ac->sim_obj = NULL;
	return ac;
}

/* kernel: alloc_arraycache, mm/slab.c (kmalloc_node: a host array plus its simulated object) */
static struct array_cache *alloc_arraycache(int node, int entries, int batchcount, gfp_t gfp)
{
	struct array_cache *ac = alloc_host_arraycache(entries, batchcount);

	if (ac)
		ac->sim_obj = slab_meta_kmalloc_node(KERNEL_SIZEOF_ARRAY_CACHE + 8u * (unsigned int)entries,
						     gfp, node);
	return ac;
}

/* The host array and its simulated object. */
static void free_arraycache(struct array_cache *ac)
{
	if (!ac)
		return;
	slab_nested_kfree(ac->sim_obj);
	free(ac);
}

/* kernel: __alloc_alien_cache, mm/slab.c */
static struct alien_cache *__alloc_alien_cache(int node, int entries, int batch, gfp_t gfp)
{
	struct alien_cache *alc = malloc(sizeof(struct alien_cache) + sizeof(void *) * (size_t)entries);

	if (alc) {
		init_arraycache(&alc->ac, entries, batch);
		alc->ac.sim_obj = slab_meta_kmalloc_node(KERNEL_SIZEOF_ALIEN_CACHE + 8u * (unsigned int)entries,
							 gfp, node);
		spin_lock_init_named(&alc->lock, "slab:alien_lock");
	}
	return alc;
}

/*
 * kernel: free_alien_cache, mm/slab.c.  The host pointer array has one
 * slot more than nodes: the simulated object of the kernel's kcalloc'd one.
 */
static void free_alien_cache(struct alien_cache **alc_ptr)
{
	if (!alc_ptr)
		return;
	for (int i = 0; i < nr_node_ids; i++) {
		if (alc_ptr[i])
			slab_nested_kfree(alc_ptr[i]->ac.sim_obj);
		free(alc_ptr[i]);
	}
	slab_nested_kfree(alc_ptr[nr_node_ids]);
	free(alc_ptr);
}

/* kernel: alloc_alien_cache, mm/slab.c */
static struct alien_cache **alloc_alien_cache(int node, int limit, gfp_t gfp)
{
	struct alien_cache **alc_ptr;
	int i;

	/* Alien arrays are small whatever the cache's limit. */
	if (limit > 1)
		limit = 12;
	alc_ptr = calloc((size_t)nr_node_ids + 1, sizeof(void *));
	if (!alc_ptr)
		return NULL;
	alc_ptr[nr_node_ids] = slab_meta_kmalloc_node(8u * (unsigned int)nr_node_ids, gfp | __GFP_ZERO, node);

	for (i = 0; i < nr_node_ids; i++) {
		if (i == node)
			continue;
		alc_ptr[i] = __alloc_alien_cache(node, limit, (int)0xbaadf00d, gfp);
		if (!alc_ptr[i]) {
			free_alien_cache(alc_ptr);
			return NULL;
		}
	}
	return alc_ptr;
}

/* kernel: alloc_kmem_cache_cpus, mm/slab.c */
static struct array_cache **alloc_kmem_cache_cpus(struct kmem_cache *cachep, int entries, int batchcount)
{
	struct array_cache **cpu_cache = calloc((size_t)nr_cpu_ids, sizeof(*cpu_cache));

	(void)cachep;
	if (!cpu_cache)
		return NULL;
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		cpu_cache[cpu] = alloc_host_arraycache(entries, batchcount);
		if (!cpu_cache[cpu]) {
			while (cpu--)
				free(cpu_cache[cpu]);
			free(cpu_cache);
			return NULL;
		}
	}
	return cpu_cache;
}

/* Replace the descriptor's per-CPU array table; the old arrays are returned. */
static struct array_cache **swap_cpu_cache(struct kmem_cache *cachep, struct array_cache **new_)
{
	struct array_cache **prev = cachep->cpu_cache;
	bool any = false;

	for (int cpu = 0; prev && cpu < nr_cpu_ids; cpu++)
		any |= prev[cpu] != NULL;
	cachep->cpu_cache = new_;
	if (!any) {
		free(prev);
		return NULL;
	}
	return prev;
}

/* kernel: init_cache_node, mm/slab.c */
static int init_cache_node(struct kmem_cache *cachep, int node, gfp_t gfp)
{
	struct kmem_cache_node *n;

	(void)gfp;
	n = get_node(cachep, node);
	if (n) {
		spin_lock_irq(&n->list_lock);
		n->free_limit = (1 + nr_cpus_node(node)) * cachep->batchcount + cachep->num;
		spin_unlock_irq(&n->list_lock);
		return 0;
	}

	n = calloc(1, sizeof(*n));
	if (!n)
		return -1;
	n->sim_obj = slab_meta_kmalloc_node(KERNEL_SIZEOF_CACHE_NODE, gfp, node);

	kmem_cache_node_init(n);
	spin_lock_owner(&n->list_lock, -1, node, -1, cachep->name);
	n->next_reap = jiffies + REAPTIMEOUT_NODE + cachep->vaddr % REAPTIMEOUT_NODE;

	/* Room for every CPU's batch plus one slab of free objects. */
	n->free_limit = (1 + nr_cpus_node(node)) * cachep->batchcount + cachep->num;

	cachep->node[node] = n;
	return 0;
}

/* kernel: setup_kmem_cache_node, mm/slab.c */
static int setup_kmem_cache_node(struct kmem_cache *cachep, int node, gfp_t gfp, bool force_change)
{
	int ret = -1;
	struct kmem_cache_node *n;
	struct array_cache *old_shared = NULL;
	struct array_cache *new_shared = NULL;
	struct alien_cache **new_alien = NULL;
	struct list_head list;

	INIT_LIST_HEAD(&list);

	if (use_alien_caches) {
		new_alien = alloc_alien_cache(node, cachep->limit, gfp);
		if (!new_alien)
			goto fail;
		for (int i = 0; i < nr_node_ids; i++)	/* the lock table: node of the array, its cache */
			if (new_alien[i])
				spin_lock_owner(&new_alien[i]->lock, -1, node, -1, cachep->name);
	}

	if (cachep->shared) {
		new_shared = alloc_arraycache(node, cachep->shared * cachep->batchcount, (int)0xbaadf00d, gfp);
		if (!new_shared)
			goto fail;
	}

	ret = init_cache_node(cachep, node, gfp);
	if (ret)
		goto fail;

	n = get_node(cachep, node);
	spin_lock_irq(&n->list_lock);
	if (n->shared && force_change) {
		free_block(cachep, n->shared->entry, n->shared->avail, node, &list);
		n->shared->avail = 0;
	}

	if (!n->shared || force_change) {
		old_shared = n->shared;
		n->shared = new_shared;
		new_shared = NULL;
	}

	if (!n->alien) {
		n->alien = new_alien;
		new_alien = NULL;
	}

	spin_unlock_irq(&n->list_lock);
	slabs_destroy(cachep, &list);

	/* The kernel waits for IRQ-off readers (synchronize_rcu) before freeing;
	 * the host array stays until exit (see the file header). */
	if (old_shared) {
		slab_nested_kfree(old_shared->sim_obj);
		retire(old_shared);
		old_shared = NULL;
	}

fail:
	free_arraycache(old_shared);
	free_arraycache(new_shared);
	free_alien_cache(new_alien);
	return ret;
}

/* kernel: setup_kmem_cache_nodes, mm/slab.c */
static int setup_kmem_cache_nodes(struct kmem_cache *cachep, gfp_t gfp)
{
	for (int node = 0; node < nr_node_ids; node++)
		if (setup_kmem_cache_node(cachep, node, gfp, true))
			return -1;
	return 0;
}

/* kernel: do_tune_cpucache, mm/slab.c */
int do_tune_cpucache(struct kmem_cache *cachep, int limit, int batchcount, int shared, gfp_t gfp)
{
	struct array_cache **cpu_cache, **prev;
	int cpu;

	cpu_cache = alloc_kmem_cache_cpus(cachep, limit, batchcount);
	if (!cpu_cache)
		return -1;

	/* The kernel then kicks every CPU out of its IRQ-off section
	 * (kick_all_cpus_sync); see the file header. */
	prev = swap_cpu_cache(cachep, cpu_cache);

	cachep->batchcount = batchcount;
	cachep->limit = limit;
	cachep->shared = shared;

	if (!prev)
		goto setup_node;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct list_head list;
		int node;
		struct kmem_cache_node *n;
		struct array_cache *ac = prev[cpu];

		INIT_LIST_HEAD(&list);
		node = cpu_to_node(cpu);
		n = get_node(cachep, node);
		spin_lock_irq(&n->list_lock);
		free_block(cachep, ac->entry, ac->avail, node, &list);
		spin_unlock_irq(&n->list_lock);
		slabs_destroy(cachep, &list);
		retire(ac);
	}
	free(prev);

setup_node:
	return setup_kmem_cache_nodes(cachep, gfp);
}

/* kernel: freelist_randomize, mm/slab_common.c (seeded from the model PRNG) */
static void freelist_randomize(struct sim_prng *state, unsigned int *list, unsigned int count)
{
	unsigned int rand;
	unsigned int i;

	for (i = 0; i < count; i++)
		list[i] = i;

	/* Fisher-Yates */
	for (i = count - 1; i > 0; i--) {
		rand = (uint32_t)sim_prng_next(state);
		rand %= (i + 1);
		unsigned int t = list[i];
		list[i] = list[rand];
		list[rand] = t;
	}
}

/* kernel: cache_random_seq_create, mm/slab_common.c */
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp)
{
	struct sim_prng state;

	(void)gfp;
	if (!slab_freelist_random || count < 2 || cachep->random_seq)
		return 0;

	cachep->random_seq = calloc(count, sizeof(unsigned int));
	if (!cachep->random_seq)
		return -1;
	cachep->random_seq_sim_obj = slab_meta_kmalloc_node(count * sizeof(unsigned int), gfp | __GFP_ZERO,
							    NUMA_NO_NODE);

	/* The kernel seeds from get_random_long(); the model from its PRNG. */
	sim_prng_seed(&state, sim_prng_next(sim_prng_model()));
	freelist_randomize(&state, cachep->random_seq, count);
	return 0;
}

/* kernel: cache_random_seq_destroy, mm/slab_common.c */
void cache_random_seq_destroy(struct kmem_cache *cachep)
{
	free(cachep->random_seq);
	cachep->random_seq = NULL;
	cachep->random_seq_sim_obj = NULL;	/* the simulated object goes with the machine */
}

/* kernel: enable_cpucache, mm/slab.c */
int enable_cpucache(struct kmem_cache *cachep, gfp_t gfp)
{
	int err;
	int limit = 0;
	int shared = 0;
	int batchcount = 0;

	err = cache_random_seq_create(cachep, cachep->num, gfp);
	if (err)
		goto end;

	/* Bigger objects get shorter head arrays. */
	if (cachep->size > 131072)
		limit = 1;
	else if (cachep->size > PAGE_SIZE)
		limit = 8;
	else if (cachep->size > 1024)
		limit = 24;
	else if (cachep->size > 256)
		limit = 54;
	else
		limit = 120;

	/* A shared array passes objects between CPUs of a node; useless on UP. */
	shared = 0;
	if (cachep->size <= PAGE_SIZE && num_possible_cpus() > 1)
		shared = 8;

	/* CONFIG_DEBUG_SLAB: shorter IRQs-off stretches, so at most 32 per array. */
	if (slab_debug && limit > 32)
		limit = 32;

	batchcount = (limit + 1) / 2;
	err = do_tune_cpucache(cachep, limit, batchcount, shared, gfp);
end:
	if (err)
		fprintf(stderr, "slab: enable_cpucache failed for %s\n", cachep->name);
	return err;
}

/* kernel: set_up_node, mm/slab.c (the first two caches get static node structures:
 * no simulated object until kmem_cache_init moves them into kmalloc-128) */
static int set_up_node(struct kmem_cache *cachep)
{
	for (int node = 0; node < nr_node_ids; node++) {
		struct kmem_cache_node *n = calloc(1, sizeof(*n));

		if (!n)
			return -1;
		kmem_cache_node_init(n);
		spin_lock_owner(&n->list_lock, -1, node, -1, cachep->name);
		n->next_reap = jiffies + REAPTIMEOUT_NODE + cachep->vaddr % REAPTIMEOUT_NODE;
		cachep->node[node] = n;
	}
	return 0;
}

/*
 * kernel: setup_cpu_cache, mm/slab.c
 *
 * During boot a cache gets one-entry head arrays and bare node structures;
 * kmem_cache_init_late then sizes them with enable_cpucache.  Node
 * structures of caches made after the first kmalloc cache get next_reap
 * only on the boot CPU's node; elsewhere it stays 0 (zeroed memory, as
 * init_on_alloc leaves it).
 */
int setup_cpu_cache(struct kmem_cache *cachep, gfp_t gfp)
{
	if (slab_state >= FULL)
		return enable_cpucache(cachep, gfp);

	cachep->cpu_cache = alloc_kmem_cache_cpus(cachep, 1, 1);
	if (!cachep->cpu_cache)
		return 1;

	if (slab_state <= PARTIAL) {
		if (set_up_node(cachep))
			return 1;
	} else {
		for (int node = 0; node < nr_node_ids; node++) {
			cachep->node[node] = calloc(1, sizeof(struct kmem_cache_node));
			if (!cachep->node[node])
				return 1;
			cachep->node[node]->sim_obj = slab_meta_kmalloc_node(KERNEL_SIZEOF_CACHE_NODE, gfp, node);
			kmem_cache_node_init(cachep->node[node]);
			spin_lock_owner(&cachep->node[node]->list_lock, -1, node, -1, cachep->name);
		}
	}

	cachep->node[numa_mem_id()]->next_reap = jiffies + REAPTIMEOUT_NODE + cachep->vaddr % REAPTIMEOUT_NODE;

	cpu_cache_get(cachep)->avail = 0;
	cpu_cache_get(cachep)->limit = BOOT_CPUCACHE_ENTRIES;
	cpu_cache_get(cachep)->batchcount = 1;
	cpu_cache_get(cachep)->touched = 0;
	cachep->batchcount = 1;
	cachep->limit = BOOT_CPUCACHE_ENTRIES;
	return 0;
}

/*
 * kernel: slabinfo_write, mm/slab.c
 *
 * Values the kernel ignores (limit < 1, batchcount < 1 or > limit,
 * shared < 0) are accepted and change nothing, as there.
 */
int slab_tune_cache(const char *name, int limit, int batchcount, int shared)
{
	struct list_head *p;

	for (p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *cachep = list_entry(p, struct kmem_cache, list);

		if (strcmp(cachep->name, name))
			continue;
		if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0)
			return 0;
		return do_tune_cpucache(cachep, limit, batchcount, shared, GFP_KERNEL) ? SIM_EFAIL : 0;
	}
	return SIM_EBADINPUT;
}
