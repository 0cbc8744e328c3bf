/*
 * watch.c - what the race tools read of SLAB's shared state (models/watch.h):
 * a line per CPU (the array_cache) and per node (the three lists, the
 * counters, the shared array) for the steps table, and the objects in use
 * for the race invariants.  Reads only; never yields.  List walks are
 * bounded, so lists a race has tangled still print.
 */
#include <stdarg.h>
#include <stdio.h>

#include "slab_int.h"
#include "../watch.h"

#define WATCH_MAX_WALK 4096		/* slabs walked on one list at most */

/* Slabs on a list and their active objects, bounded. */
static unsigned long list_count(const struct list_head *h, unsigned long *active)
{
	unsigned long nr = 0;

	for (const struct list_head *p = h->next; p != h && nr < WATCH_MAX_WALK; p = p->next) {
		nr++;
		if (active)
			*active += list_entry(p, struct slab, slab_list)->active;
	}
	return nr;
}

/* kernel: none (model watcher) */
void slab_watch_cpu(struct kmem_cache *s, int cpu, char *buf, size_t size)
{
	struct array_cache *ac = s->cpu_cache ? s->cpu_cache[cpu] : NULL;
	size_t len = 0;

	if (!ac) {
		watch_put(buf, size, &len, "no array");
		return;
	}
	watch_put(buf, size, &len, "avail %u/%u", ac->avail, ac->limit);
	for (unsigned int i = 0; i < ac->avail && i < ac->limit && i < 4; i++)
		watch_put(buf, size, &len, " %#llx", (unsigned long long)(uintptr_t)ac->entry[ac->avail - 1 - i]);
	if (ac->avail > 4)
		watch_put(buf, size, &len, " ...");
}

/* kernel: none (model watcher) */
void slab_watch_node(struct kmem_cache *s, int nid, char *buf, size_t size)
{
	struct kmem_cache_node *n = get_node(s, nid);
	size_t len = 0;

	if (!n) {
		watch_put(buf, size, &len, "no node");
		return;
	}
	watch_put(buf, size, &len, "partial %lu full %lu free %lu | total_slabs %lu free_slabs %lu free_objects %lu",
	    list_count(&n->slabs_partial, NULL), list_count(&n->slabs_full, NULL),
	    list_count(&n->slabs_free, NULL), n->total_slabs, n->free_slabs, n->free_objects);
	if (n->shared)
		watch_put(buf, size, &len, " | shared %u/%u", n->shared->avail, n->shared->limit);
	if (!list_empty(&n->slabs_partial)) {
		struct slab *slab = list_first_entry(&n->slabs_partial, struct slab, slab_list);

		watch_put(buf, size, &len, " | first partial %#llx active %u/%u",
		    (unsigned long long)(uintptr_t)slab_address(slab), slab->active, s->num);
	}
}

/* kernel: none (model watcher: models/watch.h) */
bool slab_watch_field(struct kmem_cache *s, int cpu, int nid, const void *addr, uint64_t value,
		      char *key, size_t ksize, char *val, size_t vsize)
{
	const char *k = NULL;

	if (cpu >= 0) {
		struct array_cache *ac = s->cpu_cache ? s->cpu_cache[cpu] : NULL;

		if (ac && addr == &ac->avail) {
			k = "avail";
			snprintf(val, vsize, "%u/%u", (unsigned int)value, ac->limit);
		}
	} else {
		struct kmem_cache_node *n = get_node(s, nid);

		if (n && addr == &n->free_objects) {
			k = "free_objects";
			snprintf(val, vsize, "%lu", (unsigned long)value);
		} else if (n && n->shared && addr == &n->shared->avail) {
			k = "shared";
			snprintf(val, vsize, "%u/%u", (unsigned int)value, n->shared->limit);
		}
	}
	if (!k)
		return false;
	snprintf(key, ksize, "%s", k);
	return true;
}

static long array_avail(const struct array_cache *ac)
{
	return ac ? (long)(ac->avail < ac->limit ? ac->avail : ac->limit) : 0;
}

/* kernel: none (the invariant "objects in use" of the race checks) */
long slab_nr_in_use(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	long in_use = 0;
	int nid;

	for_each_kmem_cache_node(s, nid, n) {
		unsigned long active = 0;

		list_count(&n->slabs_partial, &active);
		list_count(&n->slabs_full, &active);
		list_count(&n->slabs_free, &active);
		in_use += (long)active - array_avail(n->shared);
		for (int i = 0; n->alien && i < nr_node_ids; i++)
			if (n->alien[i])
				in_use -= array_avail(&n->alien[i]->ac);
	}
	for (int cpu = 0; s->cpu_cache && cpu < nr_cpu_ids; cpu++)
		in_use -= array_avail(s->cpu_cache[cpu]);
	return in_use;
}
