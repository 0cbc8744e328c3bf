/*
 * replay_infer.c - the kernel's untraced bulk calls, inferred (docs/traces.md,
 * "Bulk calls").
 *
 * kmem_cache_alloc_bulk, kmem_cache_free_bulk and kfree_bulk have no
 * tracepoint in 6.1.  What they leave in a trace:
 *
 *   an object freed that was never allocated: the maple tree takes one node
 *   with kmem_cache_alloc (traced, call site mas_alloc_nodes) and the rest
 *   of its preallocation with kmem_cache_alloc_bulk, which takes them off
 *   the same c->freelist, so in address order right after it; the nodes it
 *   uses are freed later, traced (mas_destroy, rcu_core, __mt_destroy);
 *
 *   an object allocated again while the replay still holds it: kfree_rcu
 *   queued it and kfree_rcu_work freed its batch with kfree_bulk, untraced.
 *
 * Both need the future, so the learning pass plans them (rp_infer_alloc,
 * rp_infer_free) and the replay pass runs the plans at their lines
 * (rp_infer_before, rp_infer_after; the call itself is rp_exec_bulk):
 *
 *   Rule A (unpaired free of P, cache named by the free, slab size S: the
 *   capture's, else the bytes_alloc of the cache's objects the trace paired): the
 *   anchor is the latest traced kmem_cache_alloc of P - k*S (k = 1 ..
 *   RP_BULK_SPAN) made after P was last free in the trace and with S bytes;
 *   after the anchor, on its CPU, context and task, one kmem_cache_alloc_bulk
 *   in P's cache takes every pointer anchored there.  No anchor: the free is
 *   counted unmatched and dropped, as before.
 *
 *   Rule B (pointer P allocated again at line L while live): P was freed in
 *   a batch before L.  Batches are per trace CPU of P's last allocation (the
 *   kfree_rcu caller's CPU, approximately): P joins that CPU's open batch if
 *   it was allocated before the batch's line, else opens a new batch at L.
 *   The batch runs just before its line's event as one kfree_bulk in a
 *   kworker of that CPU (task 0).
 *
 * And one page-allocator call without a tracepoint, alloc_pages_bulk: vmalloc
 * (vm_area_alloc_pages, mm/vmalloc.c) takes an area's order-0 pages with it,
 * straight off the CPU's pcp list (__alloc_pages_bulk -> __rmqueue_pcplist;
 * a refill shows as mm_page_alloc_zone_locked, the pages themselves never as
 * mm_page_alloc); vfree (__vunmap) frees them one by one, traced, then kfrees
 * the area's page array.  Kernel stacks (CONFIG_VMAP_STACK) are such areas.
 *
 *   Rule C (replay pass, no look-ahead): a kmalloc from __vmalloc_node_range
 *   of B bytes (the page array: B <= PAGE_SIZE, 8 bytes per page) is followed,
 *   on its CPU and context, by the allocation of B / 8 order-0 pages with its
 *   gfp (unmovable: GFP_KERNEL, THREADINFO_GFP), on the local node; the kfree
 *   of that array frees them first, on the kfree's CPU.  The trace's frees of
 *   those pages stay unmatched page frees, as before (the model's pages are
 *   its own, not the kernel's pfns).
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../../models/slab_common/slab_common.h"

#define RP_ZERO_SIZE_PTR 16		/* ZERO_SIZE_PTR: kmalloc(0) */

static struct rp_plan *rp_plan_new(int kind, int64_t line)
{
	struct rp_plan *p = calloc(1, sizeof(*p));

	if (p) {
		p->kind = (uint8_t)kind;
		p->line = line;
		p->cache = -1;
		p->cpu = -1;
	}
	return p;
}

static int rp_plan_add(struct rp_plan *p, uint64_t ptr)
{
	if (p->n == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 8;
		uint64_t *v = realloc(p->ptr, cap * sizeof(*v));

		if (!v)
			return -1;
		p->ptr = v;
		p->cap = cap;
	}
	p->ptr[p->n++] = ptr;
	return 0;
}

static void rp_plan_free(struct rp_plan *p)
{
	if (p) {
		free(p->ptr);
		free(p);
	}
}

/* The slab size of a replay cache: the capture's, else what the trace's allocations showed; 0 unknown. */
static uint32_t rp_infer_stride(struct replay *r, int cache)
{
	const struct rp_cache *c = &r->cache[cache];

	if (c->cap && c->cap->size)
		return c->cap->size;
	if (r->cap) {
		const struct sim_capture_cache *cc = sim_capture_find_cache(r->cap, c->name);

		if (cc && cc->size)
			return cc->size;
	}
	return c->size ? c->size : c->freed_size;
}

/* --------------------------------------------------------- learning pass */

/* Rule B: p, live since h, is allocated again at ev's line. */
static int rp_infer_batch_add(struct replay *r, uint64_t ptr, const struct rp_hist *h, int64_t line)
{
	struct rp_plan *b;
	int cpu = h->cpu < 0 ? 0 : h->cpu;

	if (cpu >= r->nr_open_batch) {
		int n = cpu + 8;
		struct rp_plan **v = realloc(r->open_batch, (size_t)n * sizeof(*v));

		if (!v)
			return -1;
		memset(v + r->nr_open_batch, 0, (size_t)(n - r->nr_open_batch) * sizeof(*v));
		r->open_batch = v;
		r->nr_open_batch = n;
	}
	b = r->open_batch[cpu];
	if (!b || h->alloc_line >= b->line) {
		b = rp_plan_new(RP_PLAN_FREE_BATCH, line);
		if (!b || sim_ptrmap_put(&r->plan_free, (uint64_t)line, b, NULL)) {
			rp_plan_free(b);
			return -1;
		}
		b->cpu = (int16_t)cpu;
		r->open_batch[cpu] = b;
	}
	return rp_plan_add(b, ptr);
}

int rp_infer_alloc(struct replay *r, const struct sim_trace_event *ev)
{
	struct rp_hist *h;

	if (ev->ptr <= RP_ZERO_SIZE_PTR)
		return 0;
	h = sim_ptrmap_get(&r->hist, ev->ptr);
	if (!h) {
		h = calloc(1, sizeof(*h));
		if (!h || sim_ptrmap_put(&r->hist, ev->ptr, h, NULL)) {
			free(h);
			return -1;
		}
	} else if (h->live && rp_infer_batch_add(r, ev->ptr, h, ev->line)) {
		return -1;
	}
	h->alloc_line = ev->line;
	h->size = (uint32_t)ev->bytes_alloc;
	h->cpu = (int16_t)ev->cpu;
	h->live = true;
	return 0;
}

int rp_infer_free(struct replay *r, const struct sim_trace_event *ev, int cache)
{
	struct rp_hist *h, *best = NULL;
	struct rp_plan *p;
	int64_t after;
	uint32_t stride;

	if (ev->ptr <= RP_ZERO_SIZE_PTR)
		return 0;
	h = sim_ptrmap_get(&r->hist, ev->ptr);
	if (h && h->live) {
		h->live = false;
		h->free_line = ev->line;
		if (cache >= 0 && !r->cache[cache].freed_size)
			r->cache[cache].freed_size = h->size;
		return 0;
	}
	/* Rule A: an unpaired free of a named cache */
	if (cache < 0 || !(stride = rp_infer_stride(r, cache)))
		return 0;
	after = h ? h->free_line : 0;
	for (uint64_t k = 1; k <= RP_BULK_SPAN && k * stride < ev->ptr; k++) {
		struct rp_hist *a = sim_ptrmap_get(&r->hist, ev->ptr - k * stride);

		if (a && a->size == stride && a->alloc_line > after && (!best || a->alloc_line > best->alloc_line))
			best = a;
	}
	if (!best)
		return 0;
	p = sim_ptrmap_get(&r->plan_alloc, (uint64_t)best->alloc_line);
	if (!p) {
		p = rp_plan_new(RP_PLAN_ALLOC_BULK, best->alloc_line);
		if (!p || sim_ptrmap_put(&r->plan_alloc, (uint64_t)best->alloc_line, p, NULL)) {
			rp_plan_free(p);
			return -1;
		}
		p->cache = cache;
	} else if (p->cache != cache) {
		return 0;		/* the anchor's bulk call is in another cache */
	}
	if (!h) {
		h = calloc(1, sizeof(*h));
		if (!h || sim_ptrmap_put(&r->hist, ev->ptr, h, NULL)) {
			free(h);
			return -1;
		}
	}
	h->alloc_line = best->alloc_line;
	h->free_line = ev->line;
	h->size = stride;
	h->cpu = best->cpu;
	h->live = false;
	return rp_plan_add(p, ev->ptr);
}

static void rp_free_val(uint64_t key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	free(val);
}

void rp_infer_learned(struct replay *r)
{
	sim_ptrmap_each(&r->hist, rp_free_val, NULL);
	sim_ptrmap_free(&r->hist);
	free(r->open_batch);
	r->open_batch = NULL;
	r->nr_open_batch = 0;
}

static void rp_plan_free_val(uint64_t key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	rp_plan_free(val);
}

static void rp_vmap_free_val(uint64_t key, void *val, void *arg)
{
	struct rp_vmap *v = val;

	(void)key;
	(void)arg;
	for (uint32_t i = 0; i < v->n; i++)
		free(v->pg[i]);
	free(v);
}

void rp_infer_free_all(struct replay *r)
{
	rp_infer_learned(r);
	sim_ptrmap_each(&r->vmap_pages, rp_vmap_free_val, NULL);
	sim_ptrmap_free(&r->vmap_pages);
	sim_ptrmap_each(&r->plan_alloc, rp_plan_free_val, NULL);
	sim_ptrmap_free(&r->plan_alloc);
	sim_ptrmap_each(&r->plan_free, rp_plan_free_val, NULL);
	sim_ptrmap_free(&r->plan_free);
}

/* ----------------------------------------------------------- replay pass */

static struct rp_ev *rp_bulk_ev(int kind, uint32_t n, int cpu, int ctx, uint64_t ns, uint64_t trace_ns)
{
	struct rp_ev *e = rp_ev_get(NULL, cpu, ctx, ns, trace_ns, kind);

	if (!e)
		return NULL;
	e->objs = calloc(n ? n : 1, sizeof(*e->objs));
	if (!e->objs) {
		rp_ev_put(e);
		return NULL;
	}
	return e;
}

void rp_infer_before(int64_t line, uint64_t ns, uint64_t trace_ns)
{
	struct rp_plan *b = rp->plan_free.nr ? sim_ptrmap_del(&rp->plan_free, (uint64_t)line) : NULL;
	struct rp_ev *e;

	if (!b)
		return;
	e = rp_bulk_ev(RP_BULK_FREE, b->n, rp_vcpu_of(b->cpu), SIM_CTX_TASK, ns, trace_ns);
	if (!e) {
		rp_plan_free(b);
		rp_oom();
		return;
	}
	for (uint32_t i = 0; i < b->n; i++) {
		struct rp_obj *o = sim_ptrmap_del(&rp->objs, b->ptr[i]);

		if (!o)
			continue;	/* not live in the replay after all (an allocation it dropped) */
		o->has_free = true;
		e->objs[e->nr_objs++] = o;
	}
	rp_plan_free(b);
	if (!e->nr_objs) {
		free(e->objs);
		e->objs = NULL;
		rp_ev_put(e);
		return;
	}
	e->type = SIM_TRACE_KFREE;
	rp->st.nr_inferred_free_batch_calls++;
	rp->st.nr_inferred_free_batch_objects += e->nr_objs;
	rp_queue(e);
}

void rp_infer_after(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
		    uint32_t gfp)
{
	struct rp_plan *p = rp->plan_alloc.nr ? sim_ptrmap_del(&rp->plan_alloc, (uint64_t)ev->line) : NULL;
	struct rp_ev *e;

	if (!p)
		return;
	e = rp_bulk_ev(RP_BULK_ALLOC, p->n, cpu, ctx, ns, trace_ns);
	if (!e) {
		rp_plan_free(p);
		rp_oom();
		return;
	}
	e->pid = ev->pid;
	e->gfp = gfp;
	e->cache = p->cache;
	e->type = SIM_TRACE_KMEM_CACHE_ALLOC;
	for (uint32_t i = 0; i < p->n; i++) {
		struct rp_obj *o = rp_obj_new(p->ptr[i], p->cache, -1), *old = NULL;

		if (!o || sim_ptrmap_put(&rp->objs, p->ptr[i], o, (void **)&old)) {
			free(o);
			rp_oom();
			break;
		}
		if (old)
			rp_retire(old, cpu, ctx, ns, trace_ns, ev->pid, false);
		e->objs[e->nr_objs++] = o;
	}
	rp->cache[p->cache].nr_alloc += e->nr_objs;
	rp->st.nr_inferred_alloc_bulk_calls++;
	rp->st.nr_inferred_alloc_bulk_objects += e->nr_objs;
	rp_plan_free(p);
	rp_queue(e);
}

/* ------------------------------------------------ Rule C: vmalloc areas */

#define RP_VMALLOC_SITE "__vmalloc_node_range+"

/* Rule C: the page array of a vmalloc area was just kmalloc'ed: its pages follow (alloc_pages_bulk). */
void rp_infer_vmalloc_alloc(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
			    uint32_t gfp)
{
	uint32_t n = (uint32_t)(ev->bytes_req / sizeof(uint64_t));
	struct rp_vmap *v, *old = NULL;

	if (!ev->call_sym || strncmp(ev->call_sym, RP_VMALLOC_SITE, strlen(RP_VMALLOC_SITE)) ||
	    !n || ev->bytes_req % sizeof(uint64_t) || ev->bytes_req > PAGE_SIZE)
		return;
	v = calloc(1, sizeof(*v) + n * sizeof(v->pg[0]));
	if (!v || sim_ptrmap_put(&rp->vmap_pages, ev->ptr, v, (void **)&old)) {
		free(v);
		rp_oom();
		return;
	}
	if (old)	/* an array whose kfree the trace lost: its pages stay allocated, as its array did */
		rp_vmap_free_val(0, old, NULL);
	for (uint32_t i = 0; i < n; i++) {
		struct rp_ev *e = rp_ev_get(NULL, cpu, ctx, ns, trace_ns, RP_PAGE_ALLOC);
		struct rp_obj *o = rp_obj_new(0, -1, 0);

		if (!e || !o) {
			free(o);
			rp_oom();
			return;
		}
		o->cls = RP_CLS_PAGE;
		e->obj = o;
		e->pid = ev->pid;
		e->type = SIM_TRACE_MM_PAGE_ALLOC;
		e->order = 0;
		e->migratetype = MIGRATE_UNMOVABLE;
		e->gfp = gfp & ~(uint32_t)(__GFP_MOVABLE | __GFP_RECLAIMABLE);
		v->pg[v->n++] = o;
		rp_queue(e);
	}
	rp->st.nr_inferred_vmalloc_calls++;
	rp->st.nr_inferred_vmalloc_pages += n;
}

/* Rule C: ptr is being kfree'd: when it is a vmalloc area's page array, __vunmap freed the pages first. */
void rp_infer_vmalloc_free(uint64_t ptr, int cpu, int ctx, uint64_t ns, uint64_t trace_ns, int32_t pid)
{
	struct rp_vmap *v = rp->vmap_pages.nr ? sim_ptrmap_del(&rp->vmap_pages, ptr) : NULL;

	if (!v)
		return;
	for (uint32_t i = 0; i < v->n; i++) {
		struct rp_ev *e = rp_ev_get(NULL, cpu, ctx, ns, trace_ns, RP_PAGE_FREE);

		if (!e) {
			rp_oom();
			break;
		}
		e->obj = v->pg[i];
		e->obj->has_free = true;
		e->pid = pid;
		e->type = SIM_TRACE_MM_PAGE_FREE;
		e->order = 0;
		v->pg[i] = NULL;
		rp_queue(e);
	}
	free(v);
}
