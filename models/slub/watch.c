/*
 * watch.c - what the race tools read of SLUB's shared state (models/watch.h):
 * a line per CPU (c->freelist, tid, the cpu slab, the partial chain) and per
 * node (the partial list) for the steps table, and the objects in use for
 * the race invariants.  Reads only; never yields, never changes a thing.
 * Walks are bounded by the slab's object count, so a freelist made cyclic
 * by a race still prints.
 */
#include <stdarg.h>
#include <stdio.h>

#include "slub_int.h"
#include "../watch.h"

/* Length of a freelist from p inside a slab of `objects` objects (bounded). */
static unsigned int freelist_len(struct kmem_cache *s, void *p, unsigned int objects)
{
	unsigned int n = 0;

	while (p && n <= objects) {
		n++;
		p = get_freepointer(s, p);
	}
	return n;
}

/* kernel: none (model watcher) */
void slub_watch_cpu(struct kmem_cache *s, int cpu, char *buf, size_t size)
{
	struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
	struct slab *slab = c->slab;
	unsigned int objects = slab ? slab->objects : oo_objects(s->oo);
	size_t len = 0;
	int nr_partial = 0;

	for (struct slab *p = c->partial; p && nr_partial <= 64; p = p->next)
		nr_partial++;
	watch_put(buf, size, &len, "freelist %#llx (%u) tid %llu", (unsigned long long)ptr_u64(c->freelist),
	    freelist_len(s, c->freelist, objects), (unsigned long long)c->tid);
	if (slab)
		watch_put(buf, size, &len, " | slab %#llx freelist %#llx (%u) inuse %u/%u frozen %u",
		    (unsigned long long)slab->addr, (unsigned long long)ptr_u64(slab->freelist),
		    freelist_len(s, slab->freelist, slab->objects), slab->inuse, slab->objects, slab->frozen);
	else
		watch_put(buf, size, &len, " | no slab");
	watch_put(buf, size, &len, " | partial %d", nr_partial);
}

/* kernel: none (model watcher) */
void slub_watch_node(struct kmem_cache *s, int nid, char *buf, size_t size)
{
	struct kmem_cache_node *n = get_node(s, nid);
	struct slab *slab;
	size_t len = 0;
	unsigned long shown = 0;
	char nr[32];

	if (!n) {
		watch_put(buf, size, &len, "no node");
		return;
	}
	watch_put(buf, size, &len, "nr_partial %s slabs %ld", watch_count(n->nr_partial, nr), n->nr_slabs);
	list_for_each_entry(slab, &n->partial, slab_list) {
		if (++shown > 4 || shown > n->nr_partial + 1) {
			watch_put(buf, size, &len, " ...");
			break;
		}
		watch_put(buf, size, &len, " | %#llx inuse %u/%u frozen %u", (unsigned long long)slab->addr,
		    slab->inuse, slab->objects, slab->frozen);
	}
}

/* kernel: none (model watcher: models/watch.h) */
bool slub_watch_field(struct kmem_cache *s, int cpu, int nid, const void *addr, uint64_t value,
		      char *key, size_t ksize, char *val, size_t vsize)
{
	union { uint64_t word; struct slab slab; } w = { 0 };
	const char *k = NULL;
	char nr[32];

	if (cpu >= 0) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct slab *slab = c->slab;

		if (addr == &c->freelist) {
			k = "freelist";
			snprintf(val, vsize, "%#llx", (unsigned long long)value);
		} else if (addr == &c->tid) {
			k = "tid";
			snprintf(val, vsize, "%llu", (unsigned long long)value);
		} else if (addr == &c->slab || addr == &c->partial) {
			const struct slab *p = (const struct slab *)(uintptr_t)value;

			k = addr == &c->slab ? "slab" : "partial";
			snprintf(val, vsize, p ? "%#llx" : "none", p ? (unsigned long long)p->addr : 0ULL);
		} else if (slab && addr == &slab->freelist) {
			k = "slab.freelist";
			snprintf(val, vsize, "%#llx", (unsigned long long)value);
		} else if (slab && addr == &slab->counters) {
			w.slab.counters = value;
			k = "slab.inuse";
			snprintf(val, vsize, "%u/%u", (unsigned int)w.slab.inuse, (unsigned int)w.slab.objects);
		}
	} else {
		struct kmem_cache_node *n = get_node(s, nid);

		if (n && addr == &n->nr_partial) {
			k = "nr_partial";
			snprintf(val, vsize, "%s", watch_count((unsigned long)value, nr));
		}
	}
	if (!k)
		return false;
	snprintf(key, ksize, "%s", k);
	return true;
}

/* kernel: none (the invariant "objects in use" of the race checks) */
long slub_nr_in_use(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	struct slab *slab;
	long in_use = 0;
	int nid;

	for_each_kmem_cache_node(s, nid, n)
		list_for_each_entry(slab, &n->all, all_list)
			in_use += slab->inuse;
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		if (c->slab)
			in_use -= freelist_len(s, c->freelist, c->slab->objects);
	}
	return in_use;
}
