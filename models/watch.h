/*
 * watch.h - what the race tools read of the models' shared state, without
 * yielding: one line of text per CPU or node for the steps table
 * (sim/run/steps.c), and the number of objects a cache has really handed out
 * for the race invariants (sim/run/races.c).
 *
 * Implemented beside each model, since each reads its internals:
 * models/slub/watch.c, models/slab/watch.c, models/buddy/watch.c.  Call the
 * SLUB and SLAB functions only with a cache of the allocator in use.
 */
#ifndef KMEMSIM_MODELS_WATCH_H
#define KMEMSIM_MODELS_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmem_cache;

/* SLUB: this CPU's c->freelist, tid, slab, partial chain, and the cpu slab's own freelist and counters. */
void slub_watch_cpu(struct kmem_cache *s, int cpu, char *buf, size_t size);
/* SLUB: the node's nr_partial and the partial slabs (freelist head, inuse, frozen). */
void slub_watch_node(struct kmem_cache *s, int nid, char *buf, size_t size);
/*
 * The field of a watched line that a read touched (the steps table's reads, sim/run/steps.c):
 * when addr is one of the fields the line of cpu (cpu >= 0) or of node nid shows, its key in
 * that line's text ("freelist", "tid", "slab.freelist", "slab.inuse", "avail", "count") into
 * key and `value` (the word read or expected there) as the text shows it into val; else false.
 */
bool slub_watch_field(struct kmem_cache *s, int cpu, int nid, const void *addr, uint64_t value,
		      char *key, size_t ksize, char *val, size_t vsize);
bool slab_watch_field(struct kmem_cache *s, int cpu, int nid, const void *addr, uint64_t value,
		      char *key, size_t ksize, char *val, size_t vsize);
bool buddy_watch_pcp_field(int nid, int zid, int cpu, const void *addr, uint64_t value,
			   char *key, size_t ksize, char *val, size_t vsize);
/* SLUB: objects handed out: the slabs' inuse less the objects on CPU freelists. */
long slub_nr_in_use(struct kmem_cache *s);

/* SLAB: this CPU's array_cache: avail, limit and the top entries. */
void slab_watch_cpu(struct kmem_cache *s, int cpu, char *buf, size_t size);
/* SLAB: the node's lists, free_objects, free_slabs and shared array. */
void slab_watch_node(struct kmem_cache *s, int nid, char *buf, size_t size);
/* SLAB: objects handed out: active objects of the slabs less those in any array. */
long slab_nr_in_use(struct kmem_cache *s);

/* The kernel's name of a model function as __func__ spells it: SLUB and SLAB prefix their
 * cross-file kernel names (slub_slab_alloc_node, slab___kmem_cache_free); this drops that. */
const char *watch_kernel_func(const char *func);

/* Append printf text to buf at *len, truncating silently (models/watch.c). */
void watch_put(char *buf, size_t size, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* An unsigned counter as text: "3", or "-1 (wrapped)" when a race took it below 0 (the
 * kernel's unsigned long then holds 2^64 - 1: its value, though not what it means). */
const char *watch_count(unsigned long v, char buf[32]);

/* Buddy: the per-CPU page lists of zone zid of node nid on cpu: count and first pages. */
void buddy_watch_pcp(int nid, int zid, int cpu, char *buf, size_t size);

#endif
