/*
 * replay_vmalloc.c - rule D of the untraced calls (replay_infer.c has the
 * others, docs/traces.md "Bulk calls"): vmalloc takes an area's order-0
 * pages with alloc_pages_bulk, which has no mm_page_alloc event; the area's
 * page array, kmalloc'ed from __vmalloc_node_range (6.12:
 * __vmalloc_node_range_noprof), shows where, and its
 * kfree shows when vfree gave the pages back.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../../models/slab_common/slab_common.h"

static void rp_vmap_free_val(uint64_t key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	free(val);
}

/* The areas still open at the end of a replay (their page records were collected). */
void rp_vmalloc_free_all(struct replay *r)
{
	sim_ptrmap_each(&r->vmap_pages, rp_vmap_free_val, NULL);
	sim_ptrmap_free(&r->vmap_pages);
	sim_ptrmap_each(&r->vmap_orphans, rp_vmap_free_val, NULL);
	sim_ptrmap_free(&r->vmap_orphans);
}

/* ------------------------------------------------ Rule D: vmalloc areas */

/* The page array's call site is the kernel's (rp->kv->vmalloc_site): __vmalloc_node_range in 6.1,
 * __vmalloc_node_range_noprof in 6.12. */
/* Rule D: the pages of the vmalloc area whose page array this kmalloc is; 0 when it is none. */
uint32_t rp_vmalloc_nr_pages(const struct sim_trace_event *ev)
{
	if (ev->type != SIM_TRACE_KMALLOC && ev->type != SIM_TRACE_KMALLOC_NODE)
		return 0;
	if (ev->ptr <= RP_ZERO_SIZE_PTR || !ev->call_sym ||
	    strncmp(ev->call_sym, rp->kv->vmalloc_site, strlen(rp->kv->vmalloc_site)) ||
	    ev->bytes_req % sizeof(uint64_t) || ev->bytes_req > PAGE_SIZE)
		return 0;
	return (uint32_t)(ev->bytes_req / sizeof(uint64_t));
}

/* Rule D: the page array of a vmalloc area was just kmalloc'ed: its pages follow (alloc_pages_bulk). */
void rp_infer_vmalloc_alloc(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns,
			    uint32_t gfp)
{
	uint32_t n = rp_vmalloc_nr_pages(ev);
	struct rp_vmap *v, *old = NULL;

	if (!n)
		return;
	v = calloc(1, sizeof(*v) + n * sizeof(v->pg[0]));
	if (!v || sim_ptrmap_put(&rp->vmap_pages, ev->ptr, v, (void **)&old)) {
		free(v);
		rp_oom();
		return;
	}
	/* an array whose kfree the trace lost: its pages stay allocated, as its array did (their
	 * allocations may still be queued: the records are freed with the others at the end) */
	if (old && sim_ptrmap_put(&rp->vmap_orphans, (uint64_t)(uintptr_t)old, old, NULL)) {
		rp_oom();
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct rp_ev *e = rp_ev_get(NULL, cpu, ctx, ns, trace_ns, RP_PAGE_ALLOC);
		struct rp_obj *o = rp_obj_new(0, -1, 0);

		if (!e || !o) {
			if (o)
				rp_obj_put(o);
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

/* Rule D: ptr is being kfree'd: when it is a vmalloc area's page array, __vunmap freed the pages first. */
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
