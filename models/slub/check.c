/*
 * check.c - the SLUB model's invariants (slub_int.h), checked from the
 * outside without yielding: slub_check for every cache, slub_check_cache
 * for one.  Used by tests, by the run driver's periodic check and by the
 * schedule explorer; a violation is a result (one line per problem on
 * `why`), never an abort.
 *
 * What is checked, per cache:
 *   - every slab on a node's list of slabs: inuse <= objects, its freelist
 *     stays inside the slab on object boundaries, has no cycle and no
 *     duplicate, and |slab->freelist| == objects - inuse;
 *   - node counters: nr_partial == |partial|, nr_slabs and total_objects
 *     agree with the slabs; slabs on a partial list are not frozen and
 *     belong to that node and cache;
 *   - per CPU: the cpu slab is frozen; c->freelist lies in it, without
 *     cycle, and shares no object with slab->freelist; the partial chain is
 *     frozen slabs (6.1) or unfrozen ones (6.12: slub_kops.cpu_partial_frozen)
 *     and its head's `slabs` equals the chain's length;
 *   - a slab is at most one of: some CPU's cpu slab, on some CPU's partial
 *     chain, on a node partial list;
 *   - no BUG_ON / VM_BUG_ON was recorded (slub_bug).
 * Slabs in flight (frozen and on no list for a moment) are legal.
 * Cost: linear in the free objects and slabs of the cache.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "slub_int.h"
#include "../watch.h"

/* Where a slab was seen while checking (indexes into a per-check table). */
enum seen { SEEN_NONE, SEEN_CPU_SLAB, SEEN_CPU_PARTIAL, SEEN_NODE_PARTIAL };

struct check_ctx {
	struct kmem_cache *s;
	FILE *why;
	bool ok;
	/* every slab of the cache, with what we saw of it */
	struct slab **slabs;
	uint8_t *seen;
	uint8_t **freemap;		/* per slab: object index -> on a freelist */
	size_t nr;
};

__attribute__((format(printf, 2, 3)))
static void problem(struct check_ctx *x, const char *fmt, ...)
{
	va_list ap;

	x->ok = false;
	if (!x->why)
		return;
	fprintf(x->why, "slub: %s: ", x->s->name);
	va_start(ap, fmt);
	vfprintf(x->why, fmt, ap);
	va_end(ap);
	fputc('\n', x->why);
}

static long slab_index(struct check_ctx *x, const struct slab *slab)
{
	size_t i = slab->check_idx;

	return i < x->nr && x->slabs[i] == slab ? (long)i : -1;
}

/*
 * Walk a freelist starting at `p` inside slab number `si`, marking its
 * objects; returns its length, or -1 after reporting a broken list.
 */
static long walk_freelist(struct check_ctx *x, long si, void *p, const char *which)
{
	struct kmem_cache *s = x->s;
	struct slab *slab = x->slabs[si];
	uint64_t base = ptr_u64(slab_address(slab));
	long len = 0;

	while (p) {
		uint64_t off = ptr_u64(p) - base;
		uint64_t idx = off / s->size;

		if (ptr_u64(p) < base || off % s->size || idx >= slab->objects) {
			problem(x, "%s of slab 0x%llx: 0x%llx is not an object of the slab", which,
				(unsigned long long)base, (unsigned long long)ptr_u64(p));
			return -1;
		}
		if (x->freemap[si][idx]) {
			problem(x, "%s of slab 0x%llx: object %llu is free twice (cycle or double free)",
				which, (unsigned long long)base, (unsigned long long)idx);
			return -1;
		}
		x->freemap[si][idx] = 1;
		len++;
		p = get_freepointer(s, p);
	}
	return len;
}

/* slab_index without reading *slab: a CPU partial chain that a race left pointing at a
 * slab since freed must not be dereferenced (chains are short: a scan is cheap). */
static long slab_index_scan(struct check_ctx *x, const struct slab *slab)
{
	for (size_t i = 0; i < x->nr; i++)
		if (x->slabs[i] == slab)
			return (long)i;
	return -1;
}

static void mark_seen(struct check_ctx *x, const struct slab *slab, enum seen where, const char *what)
{
	long si = where == SEEN_CPU_PARTIAL ? slab_index_scan(x, slab) : slab_index(x, slab);

	if (si < 0) {
		problem(x, "%s 0x%llx is not a slab of the cache's nodes", what,
			(unsigned long long)ptr_u64(slab_address(slab)));
		return;
	}
	if (x->seen[si] != SEEN_NONE)
		problem(x, "slab 0x%llx is in two places (%d and %d)",
			(unsigned long long)ptr_u64(slab_address(slab)), x->seen[si], where);
	x->seen[si] = (uint8_t)where;
}

static bool collect_slabs(struct check_ctx *x)
{
	struct kmem_cache_node *n;
	struct slab *slab;
	size_t cap = 0;
	int node;

	for_each_kmem_cache_node(x->s, node, n)
		cap += (size_t)(n->nr_slabs > 0 ? n->nr_slabs : 0) + 1;
	x->slabs = calloc(cap, sizeof(*x->slabs));
	x->seen = calloc(cap, 1);
	x->freemap = calloc(cap, sizeof(*x->freemap));
	if (!x->slabs || !x->seen || !x->freemap)
		return false;
	for_each_kmem_cache_node(x->s, node, n) {
		long nr = 0, objs = 0;

		list_for_each_entry(slab, &n->all, all_list) {
			if (x->nr == cap) {
				problem(x, "node %d: more slabs on its list than nr_slabs %ld",
					node, n->nr_slabs);
				return true;
			}
			x->slabs[x->nr] = slab;
			slab->check_idx = (unsigned int)x->nr;
			x->freemap[x->nr] = calloc(slab->objects ? slab->objects : 1, 1);
			if (!x->freemap[x->nr])
				return false;
			x->nr++;
			nr++;
			objs += slab->objects;
			if (slab->slab_cache != x->s)
				problem(x, "slab 0x%llx on node %d belongs to another cache",
					(unsigned long long)ptr_u64(slab_address(slab)), node);
			if (slab->nid != node)
				problem(x, "slab 0x%llx of node %d is on node %d's list",
					(unsigned long long)ptr_u64(slab_address(slab)), slab->nid, node);
		}
		if (nr != n->nr_slabs || objs != n->total_objects)
			problem(x, "node %d: nr_slabs %ld / total_objects %ld, slabs found %ld / %ld",
				node, n->nr_slabs, n->total_objects, nr, objs);
	}
	return true;
}

static void check_slab_freelists(struct check_ctx *x)
{
	for (size_t i = 0; i < x->nr; i++) {
		struct slab *slab = x->slabs[i];
		long len;

		if (slab->inuse > slab->objects)
			problem(x, "slab 0x%llx: inuse %u > objects %u",
				(unsigned long long)ptr_u64(slab_address(slab)), slab->inuse, slab->objects);
		len = walk_freelist(x, (long)i, slab->freelist, "freelist");
		if (len >= 0 && len != (long)slab->objects - (long)slab->inuse)
			problem(x, "slab 0x%llx: %ld objects on its freelist, objects - inuse = %d",
				(unsigned long long)ptr_u64(slab_address(slab)), len,
				(int)slab->objects - (int)slab->inuse);
	}
}

static void check_nodes(struct check_ctx *x)
{
	struct kmem_cache_node *n;
	struct slab *slab;
	int node;

	for_each_kmem_cache_node(x->s, node, n) {
		unsigned long nr = 0;
		char text[32];

		list_for_each_entry(slab, &n->partial, slab_list) {
			if (++nr > (unsigned long)x->nr + 1) {
				problem(x, "node %d: partial list longer than the slabs (a cycle)", node);
				break;
			}
			mark_seen(x, slab, SEEN_NODE_PARTIAL, "node partial slab");
			if (slab->frozen)
				problem(x, "node %d: frozen slab 0x%llx on the partial list", node,
					(unsigned long long)ptr_u64(slab_address(slab)));
			if (slab->nid != node)
				problem(x, "node %d: slab 0x%llx of node %d on its partial list", node,
					(unsigned long long)ptr_u64(slab_address(slab)), slab->nid);
		}
		if (nr != n->nr_partial)
			problem(x, "node %d: nr_partial %s, %lu slabs on the list", node,
				watch_count(n->nr_partial, text), nr);
	}
}

static void check_cpus(struct check_ctx *x)
{
	struct kmem_cache *s = x->s;

	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct slab *slab;
		int len = 0;

		if (c->tid % TID_STEP != (uint64_t)cpu)
			problem(x, "cpu %d: tid %llu does not encode the cpu", cpu,
				(unsigned long long)c->tid);
		if (c->slab) {
			long si = slab_index(x, c->slab);

			mark_seen(x, c->slab, SEEN_CPU_SLAB, "cpu slab");
			if (!c->slab->frozen)
				problem(x, "cpu %d: cpu slab not frozen", cpu);
			if (si >= 0)
				walk_freelist(x, si, c->freelist, "cpu freelist");
		} else if (c->freelist) {
			problem(x, "cpu %d: a freelist without a cpu slab", cpu);
		}
		for (slab = c->partial; slab; slab = slab->next) {
			if (++len > (int)x->nr + 1) {
				problem(x, "cpu %d: partial chain longer than the slabs (a cycle)", cpu);
				break;
			}
			mark_seen(x, slab, SEEN_CPU_PARTIAL, "cpu partial slab");
			if (slab_index_scan(x, slab) < 0)
				break;		/* not a slab of the cache (freed): stop before reading it */
			/* frozen in 6.1, unfrozen since 6.8 (slub_kops.cpu_partial_frozen) */
			if (slab->frozen != KOPS(slub)->cpu_partial_frozen)
				problem(x, "cpu %d: %s slab on the partial chain", cpu,
					slab->frozen ? "frozen" : "unfrozen");
		}
		if (c->partial && slab_index_scan(x, c->partial) >= 0 && c->partial->slabs != len)
			problem(x, "cpu %d: partial chain head says %d slabs, chain has %d", cpu,
				c->partial->slabs, len);
	}
}

bool slub_check_cache(struct kmem_cache *s, FILE *why)
{
	struct check_ctx x = { .s = s, .why = why, .ok = true };

	if (!collect_slabs(&x)) {
		problem(&x, "out of host memory while checking");
	} else {
		check_slab_freelists(&x);
		check_nodes(&x);
		check_cpus(&x);
	}
	for (size_t i = 0; i < x.nr; i++)
		free(x.freemap[i]);
	free(x.freemap);
	free(x.seen);
	free(x.slabs);
	return x.ok;
}

/* kernel: none (the checker of the model; slub_allocator.check) */
bool slub_check(FILE *why)
{
	struct kmem_cache *s;
	bool ok = true;

	list_for_each_entry(s, &slub_slab_caches, list)
		if (!slub_check_cache(s, why))
			ok = false;
	if (slub_nr_bugs) {
		ok = false;
		if (why)
			fprintf(why, "slub: %lu BUG_ON/VM_BUG_ON hit, first: %s\n", slub_nr_bugs,
				slub_first_bug_text());
	}
	return ok;
}
