/*
 * replay_feed.c - the replay's reader: trace events in, queued machine
 * events out.
 *
 * Main entry: rp_refill, called after every replayed event and by the
 * keeper (the learning pass is replay_learn.c).
 *
 * Read ahead: rp_refill reads until the last event read arrives more than
 * RP_WINDOW_NS after the running vCPU's clock (the engine always runs the
 * vCPU with the smallest clock, so that is the machine's "now").  Each event
 * read is turned into a struct rp_ev and queued on its vCPU at once
 * (replay_exec.c), so the events in memory are those of one window plus any
 * backlog; the tables keyed by pointer hold live objects only.  Memory does
 * not grow with the trace.
 *
 * Read time decides everything that depends on trace order rather than on
 * simulated timing: which object a pointer means (trace pointer -> struct
 * rp_obj, retired when the pointer is allocated again while live), which
 * cache a kmem_cache_alloc goes to (replay_cache.c), and whose a page is:
 *
 *   mm_page_alloc on (vCPU, context) is queued at once and held in that
 *   vCPU and context's one slot (its operation reads on if it runs first)
 *   until the next event of that vCPU and context; when that one, same pid, is
 *     a kmalloc of more than 8 KiB of that order          -> the slab layer's (large kmalloc)
 *     a kmalloc / kmem_cache_alloc, and the gfp is one the slab allocator
 *     builds (only reclaim/constraint bits, __GFP_COMP, __GFP_RECLAIMABLE,
 *     DMA; SLUB: with __GFP_NOWARN|__GFP_NORETRY, allocate_slab's first
 *     try; SLAB: with __GFP_COMP, which kmem_getpages always adds from the
 *     cache's allocflags) and the order is the cache's slab order when
 *     that is known                                        -> the slab allocator's
 *     anything else, or nothing within RP_CLASSIFY_NS      -> an ordinary page
 *   mm_page_free of a pfn the slab allocator took          -> the slab allocator's
 *
 * The kernel's internal page events (zone_locked, pcpu_drain, extfrag,
 * free_batched) are not replayed: they tell which path the real kernel took
 * for the mm_page_alloc / mm_page_free they belong to, counted per vCPU and
 * level in the kernel's terms (trace_kernel_paths).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "replay_int.h"
#include "../../models/mm.h"
#include "../../models/slab_common/slab_common.h"

struct replay *rp;


double rp_wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Out of host memory in the middle of the run: stop it (the database is dropped). */
void rp_oom(void)
{
	if (!rp->failed) {
		rp->failed = SIM_EFAIL;
		fprintf(rp->err, "kmemsim: replay: out of memory\n");
	}
	if (sim && sim->running)
		sim_engine_fail("replay: out of memory");
}

int rp_vcpu_of(int trace_cpu)
{
	if (trace_cpu >= 0 && trace_cpu < rp->cpu_map_len && rp->cpu_map[trace_cpu] >= 0)
		return rp->cpu_map[trace_cpu];
	rp->nr_cpu_folded++;
	return trace_cpu < 0 ? 0 : trace_cpu % rp->nr_cpus;
}

int rp_ctx_of(const struct sim_trace_event *ev)
{
	return ev->context == SIM_TRACE_CTX_SOFTIRQ ? SIM_CTX_SOFTIRQ :
	       ev->context == SIM_TRACE_CTX_TASK ? SIM_CTX_TASK : SIM_CTX_HARDIRQ;
}

/* Simulated arrival time of an event; timestamps are made monotonic. */
static uint64_t rp_time(const struct sim_trace_event *ev, uint64_t *trace_ns)
{
	uint64_t t;

	if (!rp->have_first) {
		rp->first_ts = ev->ts_ns;
		rp->have_first = true;
	}
	t = ev->ts_ns >= rp->first_ts ? ev->ts_ns - rp->first_ts : 0;
	if (t < rp->last_trace_ns) {
		rp->nr_ts_backwards++;
		t = rp->last_trace_ns;
	}
	rp->last_trace_ns = t;
	*trace_ns = t;
	return rp->t0 + t;
}

/* ------------------------------------------------------------ events */

struct rp_ev *rp_ev_get(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns,
			uint64_t trace_ns, int kind)
{
	struct rp_ev *e = rp->ev_free;

	if (!e) {
		struct rp_ev_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = rp->chunks;
		rp->chunks = c;
		for (int i = RP_EV_CHUNK - 1; i >= 0; i--) {
			c->ev[i].live = false;
			c->ev[i].next = rp->ev_free;
			rp->ev_free = &c->ev[i];
		}
		e = rp->ev_free;
	}
	rp->ev_free = e->next;
	memset(e, 0, sizeof(*e));
	e->live = true;
	e->line = ev ? ev->line : -1;
	e->ns = ns;
	e->trace_ns = trace_ns;
	e->pid = ev ? ev->pid : 0;
	e->cache = -1;
	e->cpu = (int16_t)cpu;
	e->node = -1;
	e->kind = (uint8_t)kind;
	e->type = ev ? (uint8_t)ev->type : SIM_TRACE_KFREE;
	e->ctx = (uint8_t)ctx;
	e->preempt = ev ? ev->preempt_depth : 0;
	e->irqs_off = ev ? ev->irqs_off : false;
	e->order = -1;
	e->migratetype = -1;
	e->callsite = ev ? rp_callsite(ev) : 0;
	if (++rp->nr_inflight > rp->peak_inflight)
		rp->peak_inflight = rp->nr_inflight;
	return e;
}

void rp_ev_put(struct rp_ev *e)
{
	e->live = false;
	e->next = rp->ev_free;
	rp->ev_free = e;
	rp->nr_inflight--;
	rp->nr_done++;
}

struct rp_obj *rp_obj_new(uint64_t key, int cache, int order)
{
	struct rp_obj *o = rp->obj_free;

	if (!o) {
		struct rp_obj_chunk *c = malloc(sizeof(*c));

		if (!c)
			return NULL;
		c->next = rp->obj_chunks;
		rp->obj_chunks = c;
		for (int i = RP_OBJ_CHUNK - 1; i >= 0; i--) {
			c->obj[i].sim = rp->obj_free;
			rp->obj_free = &c->obj[i];
		}
		o = rp->obj_free;
	}
	rp->obj_free = o->sim;
	memset(o, 0, sizeof(*o));
	o->key = key;
	o->cache = cache;
	o->order = (int8_t)order;
	o->state = RP_QUEUED;
	return o;
}

void rp_obj_put(struct rp_obj *o)
{
	o->sim = rp->obj_free;
	rp->obj_free = o;
}

/*
 * A pointer (or pfn) allocated again while the replay still holds it: the
 * kernel freed it without an event we saw (lost events, untraced bulk frees).
 * Free the old object now, on the same vCPU and context, so the model's
 * memory follows the kernel's; the operation has no trace line.
 */
void rp_retire(struct rp_obj *old, int cpu, int ctx, uint64_t ns, uint64_t trace_ns, int32_t pid, bool page)
{
	struct rp_ev *e = rp_ev_get(NULL, cpu, ctx, ns, trace_ns, page ? RP_PAGE_FREE : RP_OBJ_FREE);

	rp->st.nr_live_realloc++;
	if (!e) {
		rp_oom();
		return;
	}
	e->pid = pid;
	e->obj = old;
	old->has_free = true;
	e->order = old->order;
	e->cache = old->cache;
	e->type = page ? SIM_TRACE_MM_PAGE_FREE : SIM_TRACE_KFREE;
	rp_queue(e);
}

/* ------------------------------------------------------- page owners */

static unsigned int rp_get_order(uint64_t size)
{
	unsigned int order = 0;

	while ((uint64_t)PAGE_SIZE << order < size)
		order++;
	return order;
}

/* The slab order of the cache an allocation event goes to, or -1 when unknown. */
static int rp_cache_order(const struct sim_trace_event *a)
{
	const struct sim_capture_cache *cc = NULL;
	struct slab_cache_info info;
	struct kmem_cache *s = NULL;

	if (a->type == SIM_TRACE_KMALLOC || a->type == SIM_TRACE_KMALLOC_NODE) {
		if (!slab_current())
			return -1;
		s = kmalloc_slab(a->bytes_req, a->present & SIM_TRACE_HAS_GFP ? a->gfp : GFP_KERNEL);
		if (ZERO_OR_NULL_PTR(s))
			return -1;
		slab_current()->info(s, &info);
		cc = rp->cap ? sim_capture_find_cache(rp->cap, info.name) : NULL;
		/* the model's geometry is the traced kernel's only when both run SLUB */
		return cc ? (int)cc->order : rp->traced_slab == (rp->allocator == SIM_ALLOC_SLAB) ?
		       (int)info.order : -1;
	}
	if (a->cache && rp->cap && (cc = sim_capture_find_cache(rp->cap, a->cache)))
		return (int)cc->order;
	return -1;
}

/* Decide whose the held page allocation of (cpu, ctx) is, given the event after it (or NULL). */
static void rp_held_resolve(int cpu, int ctx, const struct sim_trace_event *next)
{
	struct rp_held *h = &rp->held[cpu][ctx];
	struct rp_obj *o = h->obj;
	bool slab = false;

	if (!o)
		return;
	if (next && next->pid == h->pid && (next->type == SIM_TRACE_KMALLOC || next->type == SIM_TRACE_KMALLOC_NODE ||
					     next->type == SIM_TRACE_KMEM_CACHE_ALLOC ||
					     next->type == SIM_TRACE_KMEM_CACHE_ALLOC_NODE)) {
		bool kmalloc = next->type == SIM_TRACE_KMALLOC || next->type == SIM_TRACE_KMALLOC_NODE;

		if (kmalloc && next->bytes_alloc > KMALLOC_MAX_CACHE_SIZE) {
			slab = (unsigned int)h->order == rp_get_order(next->bytes_alloc);
		} else if (!h->has_gfp || (!(h->gfp & ~RP_SLAB_GFP) &&
					   (rp->traced_slab ? (h->gfp & __GFP_COMP) != 0 :
					    (h->gfp & (__GFP_NOWARN | __GFP_NORETRY)) ==
					    (__GFP_NOWARN | __GFP_NORETRY)))) {
			int order = rp_cache_order(next);

			slab = order < 0 || order == h->order;
		}
	}
	h->obj = NULL;
	rp->nr_held--;
	o->cls = slab ? RP_CLS_SLAB : RP_CLS_PAGE;
	if (!slab)
		return;
	rp->st.nr_slab_pages++;
	if (rp->o->pages == SIM_REPLAY_PAGES_ALL)
		return;
	/* The slab allocator's: the model allocates its own; remember the pfn for the free
	 * (unless its free was read already, from another vCPU: it holds the record). */
	if (o->has_free)
		return;
	if (sim_ptrmap_get(&rp->pages, o->key) == o)
		sim_ptrmap_del(&rp->pages, o->key);
	if (sim_ptrmap_put(&rp->slab_pfns, o->key, (void *)(uintptr_t)1, NULL))
		rp_oom();
}

/* Held allocations whose next event did not come within RP_CLASSIFY_NS are ordinary pages. */
static void rp_held_expire(uint64_t ns)
{
	uint64_t min = UINT64_MAX;

	for (int cpu = 0; cpu < rp->nr_cpus; cpu++)
		for (int ctx = 0; ctx < RP_NR_CTX; ctx++) {
			struct rp_held *h = &rp->held[cpu][ctx];

			if (!h->obj)
				continue;
			if (ns > h->ns + RP_CLASSIFY_NS)
				rp_held_resolve(cpu, ctx, NULL);
			else if (h->ns < min)
				min = h->ns;
		}
	rp->held_min_ns = min;
}

/* ------------------------------------------------ the kernel's own paths */

/* Node and zone of a pfn on the traced machine (capture zoneinfo); false when unknown. */
bool rp_pfn_zone(uint64_t pfn, int *nid, int *zid)
{
	const struct sim_capture *c = rp->cap;

	for (int n = 0; c && n < c->nr_nodes; n++)
		for (int z = 0; z < SIM_CAPTURE_NR_ZONES; z++) {
			const struct sim_capture_zone *cz = &c->node[n].zone[z];

			if (cz->spanned && pfn >= cz->start_pfn && pfn < cz->start_pfn + cz->spanned) {
				*nid = n;
				*zid = z;
				return true;
			}
		}
	return false;
}

/*
 * Where the kernel took this page from, against the zone it preferred (the
 * highest zone the gfp allows on the CPU's node): 1 when it is another node
 * (a fallback, or a NUMA policy placing it there: boot-time interleave,
 * mbind), 2 when it is a lower zone of the CPU's own node (a zonelist
 * fallback), 0 when it is the preferred zone or the capture cannot tell.
 */
static int rp_kernel_placement(const struct sim_trace_event *ev)
{
	const struct sim_capture *c = rp->cap;
	int nid, zid, cnode, want;

	if (!c || !c->have_zones || ev->cpu < 0 || ev->cpu >= SIM_CAPTURE_MAX_CPUS ||
	    (cnode = c->cpu_node[ev->cpu]) < 0 || !rp_pfn_zone(ev->pfn, &nid, &zid))
		return 0;
	if (nid != cnode)
		return 1;
	want = ev->gfp & __GFP_DMA ? 0 : ev->gfp & __GFP_DMA32 ? 1 :
	       (ev->gfp & (__GFP_MOVABLE | __GFP_HIGHMEM)) == (__GFP_MOVABLE | __GFP_HIGHMEM) ? 3 : 2;
	while (want > 0 && !c->node[cnode].zone[want].present)
		want--;
	return zid < want ? 2 : 0;
}

static void rp_kernel_event(const struct sim_trace_event *ev, int cpu, int ctx)
{
	struct rp_kstate *ks = &rp->ks[cpu][ctx];
	int k;

	switch (ev->type) {
	case SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED:
		k = ev->percpu_refill > 0 ? RP_KE_ZONE_LOCKED_REFILL : RP_KE_ZONE_LOCKED_DIRECT;
		ks->alloc_flags |= ev->percpu_refill > 0 ? RP_KF_REFILL : RP_KF_DIRECT;
		break;
	case SIM_TRACE_MM_PAGE_PCPU_DRAIN:
		k = RP_KE_PCPU_DRAIN;
		if (ks->free_open && ks->free_level < 2) {	/* the free that overflowed the pcp list */
			rp->klevel[cpu][1][ks->free_level]--;
			rp->klevel[cpu][1][2]++;
			ks->free_level = 2;
		}
		break;
	case SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG:
		k = RP_KE_EXTFRAG;
		ks->alloc_flags |= RP_KF_EXTFRAG;
		break;
	default:
		k = RP_KE_FREE_BATCHED;
		break;
	}
	rp->kev[k]++;
	rp->kev_cpu[cpu][k]++;
	rp->st.nr_kernel_internal++;
}

/* The level of the kernel's path for an mm_page_alloc / mm_page_free, in the model's terms. */
static void rp_kernel_level(const struct sim_trace_event *ev, int cpu, int ctx)
{
	struct rp_kstate *ks = &rp->ks[cpu][ctx];
	int level;

	if (ev->type == SIM_TRACE_MM_PAGE_ALLOC) {
		int where = rp_kernel_placement(ev);

		level = ks->alloc_flags & RP_KF_EXTFRAG ? 4 : ks->alloc_flags & RP_KF_REFILL ? 2 :
			ks->alloc_flags & RP_KF_DIRECT ? 3 : 1;
		if (where == 2)
			level = 5;
		ks->alloc_flags = 0;
		rp->klevel[cpu][0][level]++;
		if (where == 1)
			rp->kremote[cpu][level]++;
		return;
	}
	/* the orders the pcp lists hold: the model's rule (the THP order is per kernel and config) */
	level = ev->order >= 0 && pcp_allowed_order((unsigned int)ev->order) ? 1 : 3;
	rp->klevel[cpu][1][level]++;
	ks->free_open = true;
	ks->free_level = (uint8_t)level;
}

/* ------------------------------------------------------------- events */

static uint32_t rp_gfp(const struct sim_trace_event *ev, int ctx)
{
	if (ev->present & SIM_TRACE_HAS_GFP)
		return ev->gfp;
	return ctx == SIM_CTX_TASK ? GFP_KERNEL : rp->kv->gfp_atomic;
}

static void rp_feed_obj_alloc(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t tns)
{
	bool kmalloc = ev->type == SIM_TRACE_KMALLOC || ev->type == SIM_TRACE_KMALLOC_NODE;
	struct rp_obj *obj = NULL, *old = NULL;
	struct rp_ev *e;
	int cache = -1;

	if (!ev->ptr) {		/* the kernel's allocation failed: nothing to replay or free */
		rp->nr_kernel_obj_fail++;
		return;
	}
	rp_infer_before(ev, cpu, ctx, ns, tns);	/* a bulk free the learning pass put before this line */
	if (!kmalloc) {
		if (ev->cache) {
			cache = rp_cache_named_memo(ev->cache, (uint32_t)ev->bytes_req, (uint32_t)ev->bytes_alloc);
			rp->nr_how[RP_HOW_NAMED]++;
		} else {
			int site = rp_site_of(ev->call_sym, ev->call_site, (uint32_t)ev->bytes_alloc,
					      (uint32_t)ev->bytes_req);

			if (site >= 0 && !rp->learned && ev->ptr > RP_ZERO_SIZE_PTR &&
			    sim_ptrmap_put(&rp->learn, ev->ptr, (void *)(uintptr_t)(site + 1), NULL))
				site = -1;
			cache = site < 0 ? -1 : rp_site_place(site);
		}
		if (cache < 0) {
			rp_oom();
			return;
		}
		rp->cache[cache].nr_alloc++;
	}
	if (ev->ptr > RP_ZERO_SIZE_PTR) {
		obj = rp_obj_new(ev->ptr, cache, -1);
		if (!obj || sim_ptrmap_put(&rp->objs, ev->ptr, obj, (void **)&old)) {
			if (obj)
				rp_obj_put(obj);
			rp_oom();
			return;
		}
		if (old)
			rp_retire(old, cpu, ctx, ns, tns, ev->pid, false);
	}
	e = rp_ev_get(ev, cpu, ctx, ns, tns, RP_OBJ_ALLOC);
	if (!e) {
		rp_oom();
		return;
	}
	e->obj = obj;
	e->cache = cache;
	e->size = (uint32_t)ev->bytes_req;
	e->gfp = rp_gfp(ev, ctx);
	if (kmalloc)
		e->bucket = (uint8_t)rp_bucket_of(ev, e->gfp);
	if (ev->node >= 0 && sim && ev->node >= sim->nr_nodes)
		rp->nr_node_bad++;
	else
		e->node = (int16_t)ev->node;
	rp_queue(e);
	rp_infer_after(ev, cpu, ctx, ns, tns, e->gfp);	/* a bulk allocation anchored here */
	if (kmalloc && obj)
		rp_infer_vmalloc_alloc(ev, cpu, ctx, ns, tns, e->gfp);
}

static void rp_feed_obj_free(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t tns)
{
	struct rp_obj *obj;
	struct rp_ev *e;
	void *site;
	int named = -1;

	if (ev->ptr <= RP_ZERO_SIZE_PTR) {
		rp->nr_null_free++;
		return;
	}
	rp_infer_before(ev, cpu, ctx, ns, tns);	/* unused preallocated nodes freed before this line */
	site = sim_ptrmap_del(&rp->learn, ev->ptr);
	if (ev->cache) {
		named = rp_cache_named_memo(ev->cache, 0, 0);
		if (named < 0) {
			rp_oom();
			return;
		}
		rp->cache[named].nr_free++;
		if (site)
			rp_site_vote((int)(uintptr_t)site - 1, named);
	}
	rp_infer_vmalloc_free(ev->ptr, cpu, ctx, ns, tns, ev->pid);	/* a vmalloc area's pages go first */
	obj = sim_ptrmap_del(&rp->objs, ev->ptr);
	if (!obj) {
		rp->st.nr_unmatched_free++;
		return;
	}
	e = rp_ev_get(ev, cpu, ctx, ns, tns, RP_OBJ_FREE);
	if (!e) {
		rp_oom();
		return;
	}
	e->obj = obj;
	obj->has_free = true;
	e->cache = named >= 0 ? named : obj->cache;
	rp_queue(e);
}

static void rp_feed_page_alloc(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t tns)
{
	struct rp_held *h = &rp->held[cpu][ctx];
	struct rp_obj *obj, *old = NULL;
	struct rp_ev *e;

	if (rp->o->pages == SIM_REPLAY_PAGES_NONE) {
		rp->st.nr_pages_skipped++;
		return;
	}
	if (!ev->page && !ev->pfn) {		/* the kernel's allocation failed */
		rp->nr_kernel_fail++;
		return;
	}
	obj = rp_obj_new(ev->pfn, -1, ev->order);
	if (!obj || sim_ptrmap_put(&rp->pages, ev->pfn, obj, (void **)&old)) {
		if (obj)
			rp_obj_put(obj);
		rp_oom();
		return;
	}
	if (old)
		rp_retire(old, cpu, ctx, ns, tns, ev->pid, true);
	e = rp_ev_get(ev, cpu, ctx, ns, tns, RP_PAGE_ALLOC);
	if (!e) {
		rp_oom();
		return;
	}
	e->obj = obj;
	e->order = (int8_t)ev->order;
	e->migratetype = (int8_t)ev->migratetype;
	e->gfp = ev->present & SIM_TRACE_HAS_GFP ? ev->gfp :
		 (ctx == SIM_CTX_TASK ? GFP_KERNEL : rp->kv->gfp_atomic) |
		 (ev->migratetype == MIGRATE_MOVABLE ? __GFP_MOVABLE :
		  ev->migratetype == MIGRATE_RECLAIMABLE ? __GFP_RECLAIMABLE : 0);
	/* held until the next event of this vCPU and context says whose it is */
	h->obj = obj;
	h->ns = ns;
	h->pid = ev->pid;
	h->gfp = ev->gfp;
	h->has_gfp = ev->present & SIM_TRACE_HAS_GFP;
	h->order = (int8_t)ev->order;
	if (!rp->nr_held++ || ns < rp->held_min_ns)
		rp->held_min_ns = ns;
	rp_queue(e);
}

static void rp_feed_page_free(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t tns)
{
	const struct rp_kstate *ks = &rp->ks[cpu][ctx];
	struct rp_obj *obj;
	struct rp_ev *e;

	if (rp->o->pages == SIM_REPLAY_PAGES_NONE) {
		rp->st.nr_pages_skipped++;
		return;
	}
	obj = sim_ptrmap_del(&rp->pages, ev->pfn);
	if (!obj) {
		if (sim_ptrmap_del(&rp->slab_pfns, ev->pfn)) {
			rp->st.nr_slab_page_frees++;
			rp->st.nr_pages_skipped++;
		} else {
			rp->st.nr_unmatched_page_free++;
			if (ks->last_pid == ev->pid && (ks->last_type == SIM_TRACE_KFREE + 1 ||
							ks->last_type == SIM_TRACE_KMEM_CACHE_FREE + 1))
				rp->nr_unmatched_slab_page_free++;
		}
		return;
	}
	if (obj->order != ev->order)
		rp->nr_order_mismatch++;
	if (obj->cls == RP_CLS_SLAB)
		rp->st.nr_slab_page_frees++;
	e = rp_ev_get(ev, cpu, ctx, ns, tns, RP_PAGE_FREE);
	if (!e) {
		rp_oom();
		return;
	}
	e->obj = obj;
	obj->has_free = true;
	e->order = obj->order;
	rp_queue(e);
}

/* One trace event, in trace order. */
static void rp_feed(const struct sim_trace_event *ev)
{
	uint64_t tns, ns;
	int cpu, ctx;
	struct rp_kstate *ks;

	if (ev->type == SIM_TRACE_MARK) {	/* kept for validate; not an operation */
		rp_mark(ev);
		return;
	}
	ns = rp_time(ev, &tns);
	cpu = rp_vcpu_of(ev->cpu);
	ctx = rp_ctx_of(ev);
	rp_pcp_event(ev, tns);
	rp->read_ns = ns;
	rp->nr_events++;
	rp->nr_type[ev->type]++;
	if (rp->nr_held && ns > rp->held_min_ns + RP_CLASSIFY_NS)
		rp_held_expire(ns);
	switch (ev->type) {
	case SIM_TRACE_MM_PAGE_ALLOC_ZONE_LOCKED:
	case SIM_TRACE_MM_PAGE_PCPU_DRAIN:
	case SIM_TRACE_MM_PAGE_ALLOC_EXTFRAG:
	case SIM_TRACE_MM_PAGE_FREE_BATCHED:
		rp_kernel_event(ev, cpu, ctx);
		return;
	default:
		break;
	}
	ks = &rp->ks[cpu][ctx];
	if (rp->held[cpu][ctx].obj)
		rp_held_resolve(cpu, ctx, ev);
	ks->free_open = false;
	switch (ev->type) {
	case SIM_TRACE_MM_PAGE_ALLOC:
		rp_kernel_level(ev, cpu, ctx);
		rp_feed_page_alloc(ev, cpu, ctx, ns, tns);
		break;
	case SIM_TRACE_MM_PAGE_FREE:
		rp_kernel_level(ev, cpu, ctx);
		rp_feed_page_free(ev, cpu, ctx, ns, tns);
		break;
	case SIM_TRACE_KFREE:
	case SIM_TRACE_KMEM_CACHE_FREE:
		rp_feed_obj_free(ev, cpu, ctx, ns, tns);
		break;
	default:
		rp_feed_obj_alloc(ev, cpu, ctx, ns, tns);
		break;
	}
	ks->last_type = (uint8_t)(ev->type + 1);
	ks->last_pid = ev->pid;
}

/* -------------------------------------------------------------- reading */

/* Every held allocation is an ordinary page (end of the trace). */
static void rp_held_flush(void)
{
	for (int cpu = 0; cpu < rp->nr_cpus; cpu++)
		for (int ctx = 0; ctx < RP_NR_CTX; ctx++)
			rp_held_resolve(cpu, ctx, NULL);
}

/* Read one event and feed it; false at the end or on failure. */
static bool rp_read_one(void)
{
	int rc;

	if (rp->peeked) {
		rp->peeked = false;
		rp_feed(&rp->ev);
		return true;
	}
	if (rp->eof || rp->failed)
		return false;
	if (rp->evsp) {		/* kept by the learning pass */
		rc = sim_trace_evspool_next(rp->evsp, &rp->ev);
		if (rc < 0) {
			fprintf(rp->err, "kmemsim: replay: cannot read the learning pass's events back\n");
			rc = -SIM_EFAIL;
		}
	} else
		rc = rp->pf ? sim_trace_prefetch_next(rp->pf, &rp->ev) : sim_trace_next(rp->tr, &rp->ev);
	if (rc > 0) {
		rp_feed(&rp->ev);
		return true;
	}
	if (rc == 0) {
		rp->eof = true;
		rp_held_flush();
		return false;
	}
	/* bad input (the reader printed its line) or an I/O failure: stop the run */
	rp->failed = -rc;
	if (sim && sim->running)
		sim_engine_fail("replay: %s", sim_trace_errmsg(rp->tr));
	return false;
}

void rp_refill(void)
{
	uint64_t now = sim && sim->running ? sim_now() : rp->t0;

	while ((!rp->have_first || rp->read_ns <= now + RP_WINDOW_NS) && rp_read_one())
		;
	if (rp->progress && !(rp->nr_events & 0xffff))
		rp_progress(false);
}

void rp_resolve(struct rp_obj *o)
{
	while (o->cls == RP_CLS_PENDING && rp_read_one())
		;
	if (o->cls == RP_CLS_PENDING)	/* the reader stopped (end of trace already flushed) */
		o->cls = RP_CLS_PAGE;
}

void rp_feed_start(void)
{
	rp_refill();
}
