/*
 * stat.c - what SLAB reports: get_slabinfo (the /proc/slabinfo columns),
 * the CONFIG_DEBUG_SLAB statistics (globalstat and cpustat), the
 * /proc/slabinfo text, and slab lifecycle events.
 *
 * The STATS_* counters themselves are bumped where the kernel bumps them
 * (macros in slab_int.h): allocs/listallocs and active/high in
 * alloc_block, node_allocs in ____cache_alloc_node, grown in
 * cache_grow_end, reaped in cache_reap, max_freeable in cache_flusharray,
 * node_frees and node_overflow in __cache_free_alien, allochit/allocmiss in
 * ____cache_alloc, freehit/freemiss in ___cache_free.
 *
 * Reports read the counters without taking n->list_lock (the kernel takes
 * it): they run between operations and must not yield.
 */
#include "slab_int.h"

static slab_event_fn *event_sink;
static void *event_sink_arg;

/* Where SLAB's slab events (with colour) go; the common slab_event_sink gets them too. */
void slab_set_event_sink(slab_event_fn *fn, void *arg)
{
	event_sink = fn;
	event_sink_arg = arg;
}

/* Hand a slab's creation or destruction to the sink, if any. */
void slab_emit_event(enum slab_event_kind kind, struct kmem_cache *cachep, struct slab *slab)
{
	struct slab_event ev;
	uint64_t addr;

	addr = (uint64_t)(uintptr_t)slab_address(slab);
	/* The common sink (slab_common.h) has no room for the colour. */
	if (slab_event_sink)
		slab_event_sink(slab_cache_id_of(cachep), addr,
				kind == SLAB_EVENT_GROW ? SLAB_EV_NEW : SLAB_EV_DISCARD, slab_nid(slab));
	if (!event_sink)
		return;
	ev.kind = kind;
	ev.cache = slab_cache_id_of(cachep);
	ev.addr = addr;
	ev.node = slab_nid(slab);
	ev.order = cachep->gfporder;
	ev.offset = (unsigned int)((uint64_t)(uintptr_t)slab->s_mem - addr);
	ev.colour = ev.offset / cachep->colour_off;
	ev.active = slab->active;
	event_sink(&ev, event_sink_arg);
}

/* kernel: get_slabinfo, mm/slab.c (without the node locks; see above) */
void get_slabinfo(struct kmem_cache *cachep, struct slab_slabinfo *sinfo)
{
	unsigned long active_objs, num_objs, active_slabs;
	unsigned long total_slabs = 0, free_objs = 0, shared_avail = 0;
	unsigned long free_slabs = 0;
	int node;
	struct kmem_cache_node *n;

	for_each_kmem_cache_node(cachep, node, n) {
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objs += n->free_objects;

		if (n->shared)
			shared_avail += n->shared->avail;
	}
	num_objs = total_slabs * cachep->num;
	active_slabs = total_slabs - free_slabs;
	active_objs = num_objs - free_objs;

	sinfo->active_objs = active_objs;
	sinfo->num_objs = num_objs;
	sinfo->active_slabs = active_slabs;
	sinfo->num_slabs = total_slabs;
	sinfo->shared_avail = shared_avail;
	sinfo->limit = cachep->limit;
	sinfo->batchcount = cachep->batchcount;
	sinfo->shared = cachep->shared;
	sinfo->objects_per_slab = cachep->num;
	sinfo->cache_order = cachep->gfporder;
}

/* Public wrappers of get_slabinfo and the STATS counters (models/slab/slab.h). */
void slab_get_info(struct kmem_cache *s, struct slab_slabinfo *out)
{
	get_slabinfo(s, out);
}

void slab_get_stats(struct kmem_cache *s, struct slab_stats *out)
{
	out->num_allocations = s->num_allocations;
	out->high_mark = s->high_mark;
	out->grown = s->grown;
	out->reaped = s->reaped;
	out->errors = s->errors;
	out->max_freeable = s->max_freeable;
	out->node_allocs = s->node_allocs;
	out->node_frees = s->node_frees;
	out->node_overflow = s->node_overflow;
	out->allochit = s->allochit;
	out->allocmiss = s->allocmiss;
	out->freehit = s->freehit;
	out->freemiss = s->freemiss;
	out->num_active = s->num_active;
}

/* kernel: slabinfo_show_stats, mm/slab.c */
static void slabinfo_show_stats(FILE *m, struct kmem_cache *cachep)
{
	fprintf(m, " : globalstat %7lu %6lu %5lu %4lu %4lu %4lu %4lu %4lu %4lu",
		cachep->num_allocations, cachep->high_mark, cachep->grown, cachep->reaped,
		cachep->errors, cachep->max_freeable, cachep->node_allocs, cachep->node_frees,
		cachep->node_overflow);
	fprintf(m, " : cpustat %6lu %6lu %6lu %6lu",
		cachep->allochit, cachep->allocmiss, cachep->freehit, cachep->freemiss);
}

/* kernel: print_slabinfo_header + cache_show, mm/slab_common.c (newest cache first) */
void slab_print_slabinfo(FILE *m)
{
	struct list_head *p;

	fputs("slabinfo - version: 2.1 (statistics)\n", m);
	fputs("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>", m);
	fputs(" : tunables <limit> <batchcount> <sharedfactor>", m);
	fputs(" : slabdata <active_slabs> <num_slabs> <sharedavail>", m);
	fputs(" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
	      " <nodeallocs> <remotefrees> <alienoverflow>", m);
	fputs(" : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n", m);

	for (p = slab_caches.next; p != &slab_caches; p = p->next) {
		struct kmem_cache *s = list_entry(p, struct kmem_cache, list);
		struct slab_slabinfo sinfo;

		get_slabinfo(s, &sinfo);
		fprintf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name, sinfo.active_objs, sinfo.num_objs,
			s->size, sinfo.objects_per_slab, 1 << sinfo.cache_order);
		fprintf(m, " : tunables %4u %4u %4u", sinfo.limit, sinfo.batchcount, sinfo.shared);
		fprintf(m, " : slabdata %6lu %6lu %6lu", sinfo.active_slabs, sinfo.num_slabs,
			sinfo.shared_avail);
		slabinfo_show_stats(m, s);
		fputc('\n', m);
	}
}
