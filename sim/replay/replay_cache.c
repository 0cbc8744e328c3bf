/*
 * replay_cache.c - which cache each traced allocation goes to.
 *
 * Main entries: rp_site_of / rp_site_vote / rp_site_place (call sites),
 * rp_cache_named (caches by name) and rp_cache_model (the model's cache).
 *
 * kmalloc events name their size, and the model's kmalloc picks the cache
 * (kmalloc_slab) as the kernel does.  A 6.1 kmem_cache_alloc names no cache;
 * its kmem_cache_free does (name=, the merge target's name when SLUB merged
 * the cache).  So the replay learns, per call site and bytes_alloc, the cache
 * its objects were freed to: the allocation's pointer is followed to its
 * kmem_cache_free, which votes for a cache.  An allocation then goes, in
 * this order, to:
 *
 *   1. the cache the trace names (kernels whose kmem_cache_alloc prints name=);
 *   2. the cache most voted for by its (call site, bytes_alloc) (ties: the
 *      first voted);
 *   3. with the learning pass done: the cache most voted for by the other
 *      sites of the same function with the same bytes_alloc (inlined copies
 *      of one allocation at several offsets);
 *   4. the one cache of the capture's /sys/kernel/slab (kmalloc caches
 *      aside) whose object_size and slab_size are this site's bytes_req and
 *      bytes_alloc, when exactly one is: under the name the trace gives it,
 *      or its own when it is not merged;
 *   5. with the learning pass done: the one cache named by the trace whose
 *      size (in the trace or the capture) is this bytes_alloc, when exactly
 *      one is (and the capture, if any, has only one cache of that size);
 *   6. a stand-in cache "unknown-BYTES_ALLOC" of that geometry.
 *
 * With a learning pass (a seekable file) the votes are complete before the
 * replay; streaming (stdin, --one-pass) an allocation uses the votes so far
 * (rules 1, 2, 4, 6), so a site's first allocations, before one of its
 * objects was freed, may go to a capture match or the stand-in.
 *
 * Model caches are created under the trace's names with slab merging off:
 * the trace names merge targets, which are distinct caches already.  Their
 * attributes (rp_cache_attrs), first source first:
 *
 *   1. the capture's /sys/kernel/slab (SLUB): object_size, align, flags, ctor;
 *   2. else the object size from the trace (bytes_req), and flags, align and
 *      ctor from the catalogue of the kernel's named caches (traces/kcaches.h, 6.1's or 6.12's;
 *      SLAB_ACCOUNT only with CONFIG_MEMCG_KMEM), for SLAB kernels (no sysfs)
 *      and caches created after the snapshot;
 *   3. else SLAB_HWCACHE_ALIGN when bytes_alloc is a multiple of 64 larger
 *      than bytes_req rounded to 8 (and, on a CONFIG_DEBUG_SLAB kernel, not
 *      the red zone layout's bytes_req + 24);
 *   and with 2 or 3, SLAB_RECLAIM_ACCOUNT when the learning pass saw the
 *   cache's slab pages allocated __GFP_RECLAIMABLE (rp_learn_pass).
 *
 * Caches known before the run are created before it (rp_caches_create); a
 * cache first met during the run is created by the first vCPU that needs it,
 * as the model's own work on that vCPU.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../engine/engine.h"
#include "../../models/slab_common/slab_common.h"
#include "../../traces/kcaches.h"

static const char *const rp_how_names[RP_NR_HOW] = { "named", "site", "function", "capture", "size", "stand-in" };
static const char *const rp_src_names[] = { "trace", "stand-in", "capture" };

const char *rp_how_name(int how)
{
	return how >= 0 && how < RP_NR_HOW ? rp_how_names[how] : "?";
}

const char *rp_cache_source_name(int src)
{
	return src >= 0 && src <= RP_SRC_CAPTURE ? rp_src_names[src] : "?";
}

/* ------------------------------------------------------------- strings */

static uint32_t rp_str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static int rp_str_grow(void)
{
	unsigned int cap = rp->str_hash_cap ? rp->str_hash_cap * 2 : 1024;
	int32_t *h = malloc(cap * sizeof(*h));

	if (!h)
		return -1;
	for (unsigned int i = 0; i < cap; i++)
		h[i] = -1;
	for (int id = 0; id < rp->nr_str; id++) {
		unsigned int j = rp_str_hash(rp->str[id]) & (cap - 1);

		while (h[j] >= 0)
			j = (j + 1) & (cap - 1);
		h[j] = id;
	}
	free(rp->str_hash);
	rp->str_hash = h;
	rp->str_hash_cap = cap;
	return 0;
}

int rp_str_id(const char *s)
{
	unsigned int j;

	if ((unsigned int)(rp->nr_str + 1) * 2 > rp->str_hash_cap && rp_str_grow())
		return -1;
	for (j = rp_str_hash(s) & (rp->str_hash_cap - 1); rp->str_hash[j] >= 0; j = (j + 1) & (rp->str_hash_cap - 1))
		if (!strcmp(rp->str[rp->str_hash[j]], s))
			return rp->str_hash[j];
	if (!rp_grow((void **)&rp->str, &rp->cap_str, (size_t)rp->nr_str, sizeof(*rp->str), 256))
		return -1;
	if (!(rp->str[rp->nr_str] = strdup(s)))
		return -1;
	rp->str_hash[j] = rp->nr_str;
	return rp->nr_str++;
}

/* The id of a string the reader interned (one pointer per distinct string while it is open). */
int rp_str_memo(const char *interned)
{
	void *v = sim_ptrmap_get(&rp->sym_memo, (uint64_t)(uintptr_t)interned);
	int id;

	if (v)
		return (int)(uintptr_t)v - 1;
	id = rp_str_id(interned);
	if (id >= 0 && sim_ptrmap_put(&rp->sym_memo, (uint64_t)(uintptr_t)interned, (void *)(uintptr_t)(id + 1), NULL))
		return -1;
	return id;
}

/*
 * Room for element `nr` of the array *p of `size`-byte elements: its capacity *cap doubles,
 * from `first`, when full.  False when out of memory (*p and *cap untouched).
 */
bool rp_grow(void **p, size_t *cap, size_t nr, size_t size, size_t first)
{
	void *n;

	if (nr < *cap)
		return true;
	n = realloc(*p, (*cap ? *cap * 2 : first) * size);
	if (!n)
		return false;
	*p = n;
	*cap = *cap ? *cap * 2 : first;
	return true;
}

/* --------------------------------------------------------------- caches */

static int rp_cache_add(const char *name, int source, uint32_t object_size, uint32_t size)
{
	struct rp_cache *c;

	if (!rp_grow((void **)&rp->cache, &rp->cap_caches, (size_t)rp->nr_caches, sizeof(*rp->cache), 64))
		return -1;
	c = &rp->cache[rp->nr_caches];
	memset(c, 0, sizeof(*c));
	if (!(c->name = strdup(name)))
		return -1;
	c->source = (uint8_t)source;
	c->object_size = object_size;
	c->size = size;
	c->creating_cpu = -1;
	c->cap = rp->cap ? sim_capture_find_cache(rp->cap, name) : NULL;
	return rp->nr_caches++;
}

int rp_cache_named(const char *name, uint32_t object_size, uint32_t size)
{
	for (int i = 0; i < rp->nr_caches; i++) {
		struct rp_cache *c = &rp->cache[i];

		if (strcmp(c->name, name))
			continue;
		if (!c->size && size) {
			c->object_size = object_size;
			c->size = size;
		}
		return i;
	}
	return rp_cache_add(name, RP_SRC_TRACE, object_size, size);
}

int rp_cache_named_memo(const char *interned, uint32_t object_size, uint32_t size)
{
	void *v = sim_ptrmap_get(&rp->cache_memo, (uint64_t)(uintptr_t)interned);
	int i;

	if (v) {
		i = (int)(uintptr_t)v - 1;
		if (!rp->cache[i].size && size) {
			rp->cache[i].object_size = object_size;
			rp->cache[i].size = size;
		}
		return i;
	}
	i = rp_cache_named(interned, object_size, size);
	if (i >= 0 && sim_ptrmap_put(&rp->cache_memo, (uint64_t)(uintptr_t)interned, (void *)(uintptr_t)(i + 1), NULL))
		return -1;
	return i;
}

/* ---------------------------------------------------------------- sites */

int rp_site_of(const char *sym, uint64_t addr, uint32_t bytes_alloc, uint32_t bytes_req)
{
	char buf[40];
	struct rp_site *st;
	uint64_t key;
	void *v;
	int id, func;

	if (sym) {
		id = rp_str_memo(sym);
	} else {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)addr);
		id = rp_str_id(buf);
	}
	if (id < 0)
		return -1;
	key = (uint64_t)id << 32 | bytes_alloc;
	v = sim_ptrmap_get(&rp->site_map, key);
	if (v)
		return (int)(uintptr_t)v - 1;
	/* a new site: its function is the symbol without "+off/size" (and a module suffix) */
	{
		const char *s = rp->str[id];
		size_t n = strcspn(s, "+ ");
		char *f = strndup(s, n);

		if (!f)
			return -1;
		func = rp_str_id(f);
		free(f);
		if (func < 0)
			return -1;
	}
	if (!rp_grow((void **)&rp->site, &rp->cap_sites, (size_t)rp->nr_sites, sizeof(*rp->site), 256))
		return -1;
	st = &rp->site[rp->nr_sites];
	memset(st, 0, sizeof(*st));
	st->sym = id;
	st->func = func;
	st->bytes_alloc = bytes_alloc;
	st->bytes_req = bytes_req;
	st->cache = -1;
	for (int i = 0; i < RP_MAX_VOTES; i++)
		st->vote_cache[i] = -1;
	if (sim_ptrmap_put(&rp->site_map, key, (void *)(uintptr_t)(rp->nr_sites + 1), NULL))
		return -1;
	return rp->nr_sites++;
}

void rp_site_vote(int site, int cache)
{
	struct rp_site *st = &rp->site[site];
	struct rp_cache *c = &rp->cache[cache];

	if (!c->size) {		/* the allocations of this site show the cache's geometry */
		c->object_size = st->bytes_req;
		c->size = st->bytes_alloc;
	}
	for (int i = 0; i < RP_MAX_VOTES; i++) {
		if (st->vote_cache[i] == cache) {
			st->votes[i]++;
			return;
		}
		if (st->vote_cache[i] < 0) {
			st->vote_cache[i] = cache;
			st->votes[i] = 1;
			return;
		}
	}
	st->nr_other_votes++;
}

/* A site's votes against the best so far (*best with *n votes): a cache with more takes its place. */
static void rp_site_vote_max(const struct rp_site *st, int *best, uint32_t *n)
{
	for (int i = 0; i < RP_MAX_VOTES && st->vote_cache[i] >= 0; i++)
		if (st->votes[i] > *n) {
			*n = st->votes[i];
			*best = st->vote_cache[i];
		}
}

/* The most voted cache of a site, or -1 (ties: the first voted). */
static int rp_site_winner(const struct rp_site *st)
{
	int best = -1;
	uint32_t n = 0;

	rp_site_vote_max(st, &best, &n);
	return best;
}

/* Rule 3: the other sites of the same function and bytes_alloc. */
static int rp_site_guess_function(const struct rp_site *st)
{
	int best = -1;
	uint32_t n = 0;

	for (int i = 0; i < rp->nr_sites; i++) {
		const struct rp_site *o = &rp->site[i];

		if (o->func == st->func && o->bytes_alloc == st->bytes_alloc && o != st)
			rp_site_vote_max(o, &best, &n);
	}
	return best;
}

/* Rule 4: the one capture cache of this geometry (kmalloc caches aside); -2 out of memory. */
static int rp_site_guess_capture(const struct rp_site *st)
{
	const struct sim_capture_cache *found = NULL;

	if (!rp->cap)
		return -1;
	for (int i = 0; i < rp->cap->nr_caches; i++) {
		const struct sim_capture_cache *cc = &rp->cap->cache[i];

		if (cc->object_size != st->bytes_req || cc->size != st->bytes_alloc ||
		    !strncmp(cc->dir, "kmalloc-", 8) || !strncmp(cc->dir, "dma-kmalloc-", 12))
			continue;
		if (found)
			return -1;
		found = cc;
	}
	if (!found)
		return -1;
	for (int i = 0; i < rp->nr_caches; i++)
		if (rp->cache[i].cap == found)
			return i;
	if (found->dir[0] == ':')
		return -1;		/* merged, and the trace never printed its name */
	{
		int i = rp_cache_named(found->dir, found->object_size, found->size);

		if (i < 0)
			return -2;
		if (!rp->cache[i].nr_free)
			rp->cache[i].source = RP_SRC_CAPTURE;
		return i;
	}
}

/* Rule 5: the one cache named by the trace of this bytes_alloc (and, with a capture,
 * the one cache of the machine of that size: else the guess could be any of them). */
static int rp_site_guess_size(const struct rp_site *st)
{
	int found = -1, nr_cap = 0;

	for (int i = 0; rp->cap && i < rp->cap->nr_caches; i++) {
		const struct sim_capture_cache *cc = &rp->cap->cache[i];

		if (cc->size == st->bytes_alloc && strncmp(cc->dir, "kmalloc-", 8) &&
		    strncmp(cc->dir, "dma-kmalloc-", 12))
			nr_cap++;
	}
	if (nr_cap > 1)
		return -1;

	for (int i = 0; i < rp->nr_caches; i++) {
		const struct rp_cache *c = &rp->cache[i];
		unsigned int size = c->size ? c->size : c->cap ? c->cap->size : 0;

		if (c->source != RP_SRC_TRACE || size != st->bytes_alloc)
			continue;
		if (found >= 0)
			return -1;	/* two caches of that size: no guess */
		found = i;
	}
	return found;
}

static int rp_stand_in(const struct rp_site *st)
{
	char name[48];
	int i;

	snprintf(name, sizeof(name), "unknown-%u", st->bytes_alloc);
	i = rp_cache_named(name, st->bytes_req, st->bytes_alloc);
	if (i >= 0)
		rp->cache[i].source = RP_SRC_STAND_IN;
	return i;
}

int rp_site_resolve(int site, bool final)
{
	struct rp_site *st = &rp->site[site];
	int c;

	if ((c = rp_site_winner(st)) >= 0) {
		st->how = RP_HOW_SITE;
	} else if (final && (c = rp_site_guess_function(st)) >= 0) {
		st->how = RP_HOW_FUNCTION;
	} else if ((c = rp_site_guess_capture(st)) >= 0 || c == -2) {
		st->how = RP_HOW_CAPTURE;
	} else if (final && (c = rp_site_guess_size(st)) >= 0) {
		st->how = RP_HOW_SIZE;
	} else {
		c = rp_stand_in(st);
		st->how = RP_HOW_STAND_IN;
	}
	st->cache = c < 0 ? -1 : c;
	return c < 0 ? -1 : c;
}

int rp_site_place(int site)
{
	struct rp_site *st = &rp->site[site];
	int c = st->cache;

	/* learned: fixed by the first pass; streaming: the votes so far win */
	if (c < 0 || (!rp->learned && st->vote_cache[0] >= 0 &&
		      (st->how != RP_HOW_SITE || rp_site_winner(st) != c)))
		c = rp_site_resolve(site, rp->learned);
	if (c < 0)
		return -1;
	st->nr_alloc++;
	rp->nr_how[st->how]++;
	if (st->how == RP_HOW_STAND_IN)
		rp->st.nr_stand_in++;
	else
		rp->st.nr_inferred++;
	return c;
}

/* --------------------------------------------------------- model caches */

/*
 * The flags of a catalogue entry on the kernel at hand: the catalogue holds each flag's
 * value with its config on; SLAB_ACCOUNT is 0 without CONFIG_MEMCG_KMEM (memcg_kmem).
 * The other config-dependent bits (SLAB_FAILSLAB, SLAB_KASAN, SLAB_DEBUG_OBJECTS,
 * SLAB_SKIP_KFENCE) are outside kmem_cache_create's mask, which drops them.
 */
unsigned int rp_catalogue_flags(const struct kcache_entry *e, bool memcg_kmem)
{
	return e->flags & ~(memcg_kmem ? 0u : SLAB_ACCOUNT);
}

/* The kmem_cache_create arguments of a replay cache (see the file header for the order). */
void rp_cache_attrs(const struct rp_cache *c, bool memcg_kmem, bool debug_slab, unsigned int *size,
		    unsigned int *align, unsigned int *flags, bool *ctor)
{
	const struct kcache_entry *e;
	unsigned int sz8;

	if (c->cap && c->cap->object_size) {
		*size = c->cap->object_size;
		*align = c->cap->align;
		*flags = c->cap->flags;
		*ctor = c->cap->ctor;
		return;
	}
	*size = c->object_size ? c->object_size : c->size ? c->size : 8;
	*align = 8;
	*ctor = false;
	sz8 = (*size + 7) & ~7u;
	*flags = c->size && !(c->size % 64) && c->size > sz8 && !(debug_slab && c->size == sz8 + 24) ?
		 SLAB_HWCACHE_ALIGN : 0;
	/* CONFIG_DEBUG_SLAB adds red zones to every object under 4 KiB aligned to at most 8:
	 * none shown means a larger alignment, the largest power of two the size allows. */
	if (debug_slab && c->size && c->size == sz8 && sz8 < 4096 && !*flags)
		*align = c->size & -c->size;
	if ((e = kcache_lookup_kernel(kernel_version_name(kernel_version), c->name))) {
		/* the source's flags; unresolved terms and an alignment that is not a literal
		 * (SMP_CACHE_BYTES, __alignof__): what the trace shows stays */
		*flags = rp_catalogue_flags(e, memcg_kmem) | (e->flags_exact ? 0 : *flags) |
			 (e->align ? 0 : *flags & SLAB_HWCACHE_ALIGN);
		if (e->align)
			*align = e->align;
		*ctor = e->ctor;
	}
	if (c->reclaimable)
		*flags |= SLAB_RECLAIM_ACCOUNT;
}

/* kmem_cache_create for a replay cache, merging off (the trace names merge targets). */
static void rp_cache_create(struct rp_cache *c)
{
	unsigned int size, align, flags;
	bool nomerge = slab_nomerge, ctor;
	struct sim_task *t = sim && sim->running ? sim_cur()->curr : NULL;
	struct sim_op *op = t ? t->op : NULL;

	c->s = slab_find_cache(c->name);	/* kmalloc-*, kmem_cache, ...: the model's own */
	if (c->s)
		return;
	rp_cache_attrs(c, slab_memcg_kmem, rp->debug_slab, &size, &align, &flags, &ctor);
	c->creating_cpu = t ? sim_cur()->cpu : 0;
	if (t)
		t->op = NULL;	/* creation is not part of the operation it interrupts */
	slab_nomerge = true;
	c->s = kmem_cache_create(c->name, size, align, flags, ctor);
	slab_nomerge = nomerge;
	if (t)
		t->op = op;
	c->creating_cpu = -1;
	c->create_failed = !c->s;
}

/* After the learning pass: a site's __GFP_RECLAIMABLE slab pages make its cache reclaimable. */
void rp_sites_reclaim(void)
{
	for (int i = 0; i < rp->nr_sites; i++)
		if (rp->site[i].reclaim_pages && rp->site[i].cache >= 0)
			rp->cache[rp->site[i].cache].reclaimable = true;
}

int rp_caches_create(void)
{
	for (int i = 0; i < rp->nr_caches; i++) {
		struct rp_cache *c = &rp->cache[i];

		if (c->s)
			continue;
		rp_cache_create(c);
		if (!c->s) {
			fprintf(rp->err, "kmemsim: replay: cache %s: kmem_cache_create failed\n", c->name);
			return SIM_EFAIL;
		}
	}
	return 0;
}

struct kmem_cache *rp_cache_model(int cache, bool may_wait)
{
	struct rp_cache *c = &rp->cache[cache];

	while (c->creating_cpu >= 0) {
		/* being created on some vCPU: wait, unless this interrupts the creator itself */
		if (!may_wait && c->creating_cpu == sim_cur()->cpu)
			return NULL;
		sim_yield(100);
	}
	if (!c->s && !c->create_failed)
		rp_cache_create(c);
	return c->s;
}

void rp_caches_free(void)
{
	for (int i = 0; i < rp->nr_caches; i++)
		free(rp->cache[i].name);
	free(rp->cache);
	rp->cache = NULL;
	rp->nr_caches = 0;
	rp->cap_caches = 0;
	for (int i = 0; i < rp->nr_str; i++)
		free(rp->str[i]);
	free(rp->str);
	free(rp->str_hash);
	rp->str = NULL;
	rp->str_hash = NULL;
	rp->nr_str = 0;
	rp->cap_str = 0;
	rp->str_hash_cap = 0;
	free(rp->site);
	rp->site = NULL;
	rp->nr_sites = 0;
	rp->cap_sites = 0;
	sim_ptrmap_free(&rp->site_map);
	sim_ptrmap_free(&rp->sym_memo);
	sim_ptrmap_free(&rp->cache_memo);
}
