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
 *   Rule A' (mas_destroy): a header's traced free in mas_destroy followed on
 *   its CPU by the free of a pointer never allocated: that is slot[0], which
 *   joins the header's bulk allocation whatever its address.
 *
 *   Rule C (a preallocation whose header mas_destroy freed): it asked for
 *   1 + 3 * height nodes (mas_preallocate), height RP_MAPLE_HEIGHT raised
 *   until the slots seen used fit; the nodes never seen are allocated with
 *   the others and kmem_cache_free_bulk'ed just before the header's free.
 *   Rule C' (dup_mmap): when the header's task made vm_area_dup calls
 *   between the header's allocation and that free, on its CPU, their number
 *   is the old mm's map_count and the request is mas_expected_entries'.
 *
 *   Rule E (an unpaired free with no anchor by address: SLAB's freelists are
 *   LIFO): a node a store used and the tree kept, freed now (rcu_core,
 *   __mt_destroy); it joins the oldest rule C preallocation of its cache,
 *   made after its last free, that has a node left no free claimed; the
 *   nodes left are the unused ones mas_destroy freed.
 *
 *   Rule B (pointer P allocated again at line L while live): P was
 *   kfree_rcu'd after its last allocation, on that CPU; the end of the
 *   learning pass groups those calls per CPU as kfree_rcu_monitor does
 *   (rp_infer_batches) and frees each batch a grace period after its monitor,
 *   before the first reuse at the latest, as one kfree_bulk in a kworker of
 *   that CPU (task 0).
 *
 * And one page-allocator call without a tracepoint, alloc_pages_bulk: vmalloc
 * (vm_area_alloc_pages, mm/vmalloc.c) takes an area's order-0 pages with it,
 * straight off the CPU's pcp list (__alloc_pages_bulk -> __rmqueue_pcplist;
 * a refill shows as mm_page_alloc_zone_locked, the pages themselves never as
 * mm_page_alloc); vfree (__vunmap) frees them one by one, traced, then kfrees
 * the area's page array.  Kernel stacks (CONFIG_VMAP_STACK) are such areas.
 *
 *   Rule D (replay pass, no look-ahead; replay_vmalloc.c): a kmalloc from __vmalloc_node_range
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

	if (c->cap && c->cap->size)	/* c->cap: the capture's cache of that name (rp_cache_new) */
		return c->cap->size;
	return c->size ? c->size : c->freed_size;
}

/* --------------------------------------------------------- learning pass */

/* The learning pass's state of trace CPU cpu (grown on demand); NULL oom. */
static struct rp_learn_cpu *rp_lcpu(struct replay *r, int cpu)
{
	if (cpu < 0)
		cpu = 0;
	if (cpu >= r->nr_lcpu) {
		int n = cpu + 8;
		struct rp_learn_cpu *v = realloc(r->lcpu, (size_t)n * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + r->nr_lcpu, 0, (size_t)(n - r->nr_lcpu) * sizeof(*v));
		r->lcpu = v;
		r->nr_lcpu = n;
	}
	return &r->lcpu[cpu];
}

/* Is ev's call site in function fn ("fn+0x..")? */
static bool rp_call_in(const struct sim_trace_event *ev, const char *fn)
{
	size_t n = strlen(fn);

	return ev->call_sym && !strncmp(ev->call_sym, fn, n) && ev->call_sym[n] == '+';
}

/* Put plan p at its line in map m (plans at one line chain). */
static int rp_plan_put(struct sim_ptrmap *m, struct rp_plan *p)
{
	p->next = sim_ptrmap_get(m, (uint64_t)p->line);
	return sim_ptrmap_put(m, (uint64_t)p->line, p, NULL);
}

/* Rule B: ptr, live since h, is allocated again at line: it was kfree_rcu'd; batched at the end. */
static int rp_infer_batch_add(struct replay *r, uint64_t ptr, const struct rp_hist *h, int64_t line)
{
	struct rp_rcu_obj *v;

	if (r->nr_rcu == r->cap_rcu) {
		uint32_t cap = r->cap_rcu ? r->cap_rcu * 2 : 256;

		v = realloc(r->rcu, cap * sizeof(*v));
		if (!v)
			return -1;
		r->rcu = v;
		r->cap_rcu = cap;
	}
	v = &r->rcu[r->nr_rcu++];
	v->ptr = ptr;
	v->call_line = h->alloc_line;
	v->call_ns = h->alloc_ns;
	v->reuse_line = line;
	v->cpu = h->cpu < 0 ? 0 : h->cpu;
	return 0;
}

/* An object event's line and time: where a planned free can run (every RP_TIME_EVERY events). */
static int rp_infer_time(struct replay *r, const struct sim_trace_event *ev)
{
	struct rp_time *v;

	if (r->nr_seen_obj++ % RP_TIME_EVERY)
		return 0;
	if (r->nr_times == r->cap_times) {
		uint32_t cap = r->cap_times ? r->cap_times * 2 : 1024;

		v = realloc(r->times, cap * sizeof(*v));
		if (!v)
			return -1;
		r->times = v;
		r->cap_times = cap;
	}
	v = &r->times[r->nr_times++];
	v->line = ev->line;
	v->ns = ev->ts_ns;
	return 0;
}

int rp_infer_alloc(struct replay *r, const struct sim_trace_event *ev)
{
	struct rp_learn_cpu *lc = rp_lcpu(r, ev->cpu);
	struct rp_hist *h;

	if (!lc)
		return -1;
	lc->destroy_anchor = 0;
	if (ev->ptr <= RP_ZERO_SIZE_PTR)
		return 0;
	if (rp_infer_time(r, ev))
		return -1;
	if (rp_call_in(ev, "mas_alloc_nodes")) {	/* perhaps a preallocation's header */
		lc->prealloc_line = ev->line;
		lc->prealloc_pid = ev->pid;
		lc->dups = 0;
	} else if (lc->prealloc_line && ev->pid == lc->prealloc_pid && rp_call_in(ev, "vm_area_dup")) {
		lc->dups++;	/* dup_mmap copies a VMA while holding its preallocation */
	}
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
	h->alloc_ns = ev->ts_ns;
	h->size = (uint32_t)ev->bytes_alloc;
	h->cpu = (int16_t)ev->cpu;
	h->live = true;
	return 0;
}

/* The bulk allocation planned after the traced allocation at line in cache; NULL oom or another cache's. */
static struct rp_plan *rp_plan_alloc_at(struct replay *r, int64_t line, int cache, bool *other)
{
	struct rp_plan *p = sim_ptrmap_get(&r->plan_alloc, (uint64_t)line);

	*other = false;
	if (p) {
		*other = p->cache != cache;
		return *other ? NULL : p;
	}
	p = rp_plan_new(RP_PLAN_ALLOC_BULK, line);
	if (!p || sim_ptrmap_put(&r->plan_alloc, (uint64_t)line, p, NULL)) {
		rp_plan_free(p);
		return NULL;
	}
	p->cache = cache;
	return p;
}

/*
 * The nodes dup_mmap's preallocation asked for, header included (kernel:
 * mas_expected_entries, lib/maple_tree.c): its map_count entries with a gap
 * each and a trailing one, in leaves of MAPLE_RANGE64_SLOTS - 2, their
 * parents at MAPLE_ARANGE64_SLOTS - 2 (the VMA tree is an allocation tree),
 * and 3 more for a split and new parents; at least what the trace saw used
 * (the header and slot[0] unused).
 */
static uint32_t rp_maple_expected(uint32_t map_count, uint32_t used)
{
	uint32_t nr = 2 * map_count + 1;	/* max(nr_entries, nr_entries * 2 + 1) */

	nr = (nr + RP_MAPLE_LEAF_SLOTS - 1) / RP_MAPLE_LEAF_SLOTS;
	nr += (nr + RP_MAPLE_NONLEAF_SLOTS - 1) / RP_MAPLE_NONLEAF_SLOTS;
	nr += 3;
	return nr > used + 2 ? nr : used + 2;
}

/* The bulk nodes preallocation p asked for that no traced free has claimed yet, at the height assumed. */
static uint32_t rp_maple_spare(const struct rp_plan *p)
{
	uint32_t want = p->map_count ? rp_maple_expected(p->map_count, 0) : 1 + 3 * RP_MAPLE_HEIGHT;

	return want > p->n + 1 ? want - p->n - 1 : 0;
}

/* Rule C: the preallocation p, whose header mas_destroy just freed, may hold nodes the tree kept (rule E). */
static int rp_spare_push(struct replay *r, struct rp_plan *p)
{
	if (r->nr_spare == r->cap_spare) {
		uint32_t cap = r->cap_spare ? r->cap_spare * 2 : 256;
		struct rp_plan **v = realloc(r->spare, cap * sizeof(*v));

		if (!v)
			return -1;
		r->spare = v;
		r->cap_spare = cap;
	}
	r->spare[r->nr_spare++] = p;
	return 0;
}

/*
 * Rule E: an unpaired free in cache, of a pointer last freed at line after,
 * with no anchor: a node a store took from a preallocation and kept in the
 * tree, freed now (rcu_core, __mt_destroy).  It is the oldest preallocation
 * of that cache, made after `after`, whose header mas_destroy freed and
 * whose nodes are not all claimed yet.  NULL: none.
 */
static struct rp_plan *rp_spare_take(struct replay *r, int cache, int64_t after)
{
	while (r->spare_head < r->nr_spare && !rp_maple_spare(r->spare[r->spare_head]))
		r->spare_head++;
	for (uint32_t i = r->spare_head; i < r->nr_spare; i++) {
		struct rp_plan *p = r->spare[i];

		if (p->cache == cache && p->line > after && rp_maple_spare(p))
			return p;
	}
	return NULL;
}

int rp_infer_free(struct replay *r, const struct sim_trace_event *ev, int cache)
{
	struct rp_learn_cpu *lc = rp_lcpu(r, ev->cpu);
	struct rp_hist *h, *best = NULL;
	struct rp_plan *p;
	int64_t after, anchor;
	uint32_t stride;
	bool other;

	if (!lc)
		return -1;
	anchor = lc->destroy_anchor;
	lc->destroy_anchor = 0;
	if (ev->ptr <= RP_ZERO_SIZE_PTR)
		return 0;
	if (rp_infer_time(r, ev))
		return -1;
	h = sim_ptrmap_get(&r->hist, ev->ptr);
	if (h && h->live) {
		h->live = false;
		h->free_line = ev->line;
		if (cache >= 0 && !r->cache[cache].freed_size)
			r->cache[cache].freed_size = h->size;
		if (cache >= 0 && rp_call_in(ev, "mas_destroy")) {	/* perhaps a preallocation's header */
			lc->destroy_anchor = h->alloc_line;
			lc->destroy_line = ev->line;
			lc->destroy_dups = h->alloc_line == lc->prealloc_line ? lc->dups : 0;
		}
		return 0;
	}
	if (cache < 0)
		return 0;
	if (anchor && rp_call_in(ev, "mas_destroy")) {
		/* Rule A, mas_destroy: the header's slot[0], freed right after the header */
		stride = rp_infer_stride(r, cache);
		p = rp_plan_alloc_at(r, anchor, cache, &other);
		if (!p)
			return other ? 0 : -1;
		if (!p->destroy_line) {
			p->map_count = lc->destroy_dups;
			if (rp_spare_push(r, p))
				return -1;
		}
		p->destroy_line = lc->destroy_line;
		goto add;
	}
	/* Rule A: an unpaired free of a named cache */
	if (!(stride = rp_infer_stride(r, cache)))
		return 0;
	after = h ? h->free_line : 0;
	for (uint64_t k = 1; k <= RP_BULK_SPAN && k * stride < ev->ptr; k++) {
		struct rp_hist *a = sim_ptrmap_get(&r->hist, ev->ptr - k * stride);

		if (a && a->size == stride && a->alloc_line > after && (!best || a->alloc_line > best->alloc_line))
			best = a;
	}
	if (!best) {
		/* Rule E: a node the tree kept from a preallocation */
		if (!(p = rp_spare_take(r, cache, after)))
			return 0;
		anchor = p->line;
		goto add;
	}
	anchor = best->alloc_line;
	p = rp_plan_alloc_at(r, anchor, cache, &other);
	if (!p)
		return other ? 0 : -1;
add:
	if (!h) {
		h = calloc(1, sizeof(*h));
		if (!h || sim_ptrmap_put(&r->hist, ev->ptr, h, NULL)) {
			free(h);
			return -1;
		}
	}
	h->alloc_line = anchor;
	h->free_line = ev->line;
	h->size = stride;
	h->cpu = best ? best->cpu : (int16_t)ev->cpu;
	h->live = false;
	return rp_plan_add(p, ev->ptr);
}

/*
 * The nodes a maple preallocation asked for, header included (kernel:
 * mas_preallocate, lib/maple_tree.c: 1 + 3 * mas_mt_height()).  The tree's
 * height is not in the trace: RP_MAPLE_HEIGHT, raised until the slots the
 * trace saw used fit (slot[0] is freed unused with the header, so p->n - 1
 * were used).
 */
static uint32_t rp_maple_request(const struct rp_plan *p)
{
	uint32_t used = p->n - 1, h = RP_MAPLE_HEIGHT;

	if (p->map_count)
		return rp_maple_expected(p->map_count, used);

	while (3 * h < used + 1)	/* the header and slot[0] unused: 3h - 1 slots for the store */
		h++;
	return 1 + 3 * h;
}

/* End of the learning pass: the unused nodes of a preallocation mas_destroy freed. */
static void rp_infer_unused(struct rp_plan *p, struct replay *r)
{
	struct rp_plan *f;
	uint32_t want, extra;

	want = rp_maple_request(p);
	extra = want > p->n + 1 ? want - p->n - 1 : 0;
	if (extra > RP_UNUSED_MAX)
		extra = RP_UNUSED_MAX;
	if (!extra)
		return;
	f = rp_plan_new(RP_PLAN_FREE_UNUSED, p->destroy_line);
	if (!f || rp_plan_put(&r->plan_free, f)) {
		rp_plan_free(f);
		r->infer_oom = true;
		return;
	}
	f->cache = p->cache;
	for (uint32_t i = 0; i < extra; i++) {
		uint64_t ptr = RP_UNUSED_PTR | (uint64_t)p->line << 8 | i;

		if (rp_plan_add(p, ptr) || rp_plan_add(f, ptr)) {
			r->infer_oom = true;
			return;
		}
	}
}

static void rp_free_val(uint64_t key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	free(val);
}

static int rp_rcu_cmp(const void *a, const void *b)
{
	const struct rp_rcu_obj *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu < y->cpu ? -1 : 1;
	return x->call_line < y->call_line ? -1 : x->call_line > y->call_line;
}

/* The first object event line at or after trace time ns (its sample), or INT64_MAX. */
static int64_t rp_line_at(const struct replay *r, uint64_t ns)
{
	uint32_t lo = 0, hi = r->nr_times;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (r->times[mid].ns < ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nr_times ? r->times[lo].line : INT64_MAX;
}

/*
 * Rule B's batches, as kvfree_call_rcu and kfree_rcu_monitor make them
 * (kernel/rcu/tree.c): per CPU, the objects queued since the last drain go in
 * one batch when the monitor runs, KFREE_DRAIN_JIFFIES after the first of them,
 * or one jiffy after the queue reached KVFREE_BULK_MAX_ENTR; kfree_rcu_work
 * frees it a grace period later.  Each object's kfree_rcu is assumed right
 * after its allocation; a batch runs before the first reuse of its objects at
 * the latest, so it closes before an object allocated after such a reuse.
 */
static int rp_infer_batches(struct replay *r)
{
	if (r->nr_rcu)	/* qsort takes no NULL base, even for no element */
		qsort(r->rcu, r->nr_rcu, sizeof(*r->rcu), rp_rcu_cmp);
	for (uint32_t i = 0, j; i < r->nr_rcu; i = j) {
		const struct rp_rcu_obj *first = &r->rcu[i];
		int64_t reuse = first->reuse_line, line;
		uint64_t due = first->call_ns + RP_KFREE_DRAIN_NS;
		struct rp_plan *b;

		for (j = i + 1; j < r->nr_rcu && r->rcu[j].cpu == first->cpu; j++) {
			const struct rp_rcu_obj *o = &r->rcu[j];

			if (o->call_ns >= due || o->call_line >= reuse)
				break;
			if (j - i + 1 >= RP_KVFREE_BULK_MAX_ENTR && o->call_ns + RP_JIFFY_NS < due)
				due = o->call_ns + RP_JIFFY_NS;
			if (o->reuse_line < reuse)
				reuse = o->reuse_line;
		}
		line = rp_line_at(r, due + RP_RCU_GP_NS);
		b = rp_plan_new(RP_PLAN_FREE_BATCH, line < reuse ? line : reuse);
		if (!b || rp_plan_put(&r->plan_free, b)) {
			rp_plan_free(b);
			return -1;
		}
		b->cpu = first->cpu;
		for (uint32_t k = i; k < j; k++)
			if (rp_plan_add(b, r->rcu[k].ptr))
				return -1;
	}
	return 0;
}

static int rp_plan_line_cmp(const void *a, const void *b)
{
	const struct rp_plan *x = *(const struct rp_plan *const *)a, *y = *(const struct rp_plan *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static void rp_plan_collect(uint64_t key, void *val, void *arg)
{
	struct replay *r = arg;
	struct rp_plan *p = val;

	(void)key;
	if (p->destroy_line)
		r->destroyed[r->nr_destroyed++] = p;
}

int rp_infer_learned(struct replay *r)
{
	int rc = 0;

	sim_ptrmap_each(&r->hist, rp_free_val, NULL);
	sim_ptrmap_free(&r->hist);
	free(r->lcpu);
	r->lcpu = NULL;
	r->nr_lcpu = 0;
	/* rule C, in line order (not the map's) */
	r->destroyed = malloc((r->plan_alloc.nr ? r->plan_alloc.nr : 1) * sizeof(*r->destroyed));
	if (!r->destroyed)
		return -1;
	sim_ptrmap_each(&r->plan_alloc, rp_plan_collect, r);
	if (r->nr_destroyed)
		qsort(r->destroyed, r->nr_destroyed, sizeof(*r->destroyed), rp_plan_line_cmp);
	for (size_t i = 0; i < r->nr_destroyed && !r->infer_oom; i++)
		rp_infer_unused(r->destroyed[i], r);
	free(r->destroyed);
	r->destroyed = NULL;
	free(r->spare);
	r->spare = NULL;
	r->nr_spare = r->cap_spare = r->spare_head = 0;
	if (r->infer_oom || rp_infer_batches(r))
		rc = -1;
	free(r->rcu);
	r->rcu = NULL;
	r->nr_rcu = r->cap_rcu = 0;
	free(r->times);
	r->times = NULL;
	r->nr_times = r->cap_times = 0;
	return rc;
}

static void rp_plan_free_val(uint64_t key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	for (struct rp_plan *p = val, *next; p; p = next) {
		next = p->next;
		rp_plan_free(p);
	}
}

void rp_infer_free_all(struct replay *r)
{
	free(r->spare);
	r->spare = NULL;
	free(r->rcu);
	r->rcu = NULL;
	free(r->times);
	r->times = NULL;
	sim_ptrmap_each(&r->hist, rp_free_val, NULL);
	sim_ptrmap_free(&r->hist);
	free(r->lcpu);
	r->lcpu = NULL;
	r->nr_lcpu = 0;
	rp_vmalloc_free_all(r);
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

/* One planned bulk free: rule B's kfree_bulk in a kworker of its CPU, or mas_destroy's unused nodes with ev. */
static void rp_infer_free_plan(struct rp_plan *b, const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns,
			       uint64_t trace_ns)
{
	bool unused = b->kind == RP_PLAN_FREE_UNUSED;
	struct rp_ev *e = rp_bulk_ev(RP_BULK_FREE, b->n, unused ? cpu : rp_vcpu_of(b->cpu),
				     unused ? ctx : SIM_CTX_TASK, ns, trace_ns);

	if (!e) {
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
	if (!e->nr_objs) {
		free(e->objs);
		e->objs = NULL;
		rp_ev_put(e);
		return;
	}
	if (unused) {
		e->pid = ev->pid;
		e->cache = b->cache;
		e->type = SIM_TRACE_KMEM_CACHE_FREE;
		rp->st.nr_inferred_unused_calls++;
		rp->st.nr_inferred_unused_objects += e->nr_objs;
	} else {
		e->type = SIM_TRACE_KFREE;
		rp->st.nr_inferred_free_batch_calls++;
		rp->st.nr_inferred_free_batch_objects += e->nr_objs;
	}
	rp_queue(e);
}

void rp_infer_before(const struct sim_trace_event *ev, int cpu, int ctx, uint64_t ns, uint64_t trace_ns)
{
	struct rp_plan *b = rp->plan_free.nr ? sim_ptrmap_del(&rp->plan_free, (uint64_t)ev->line) : NULL;

	while (b) {
		struct rp_plan *next = b->next;

		rp_infer_free_plan(b, ev, cpu, ctx, ns, trace_ns);
		rp_plan_free(b);
		b = next;
	}
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
			if (o)
				rp_obj_put(o);
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
