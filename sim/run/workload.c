/*
 * workload.c - synthetic streams of allocations and frees, one task each.
 *
 * Main entry: sim_workload_create, which turns every struct sim_stream_cfg of
 * a scenario into tasks (sim_task_create) that the engine then runs.  A task
 * of a page stream does, for each of its operations i = 0 .. nr_ops-1:
 *
 *     free what expires at i  ->  draw irq?, order, migratetype, lifetime
 *       -> allocate (task context, or an interrupt raised on this vCPU
 *          whose handler allocates with the scenario's irq.gfp, GFP_ATOMIC)
 *       -> think (sleep think_ns) or yield  ->  cond_resched
 *
 * and at the end waits for its interrupts and frees everything it holds, so
 * a run leaves the machine as it found it.  An object stream does the same
 * with kmalloc_node (a size drawn from its mix) or kmem_cache_alloc_node (its
 * cache) and kfree / kmem_cache_free.  `burst` operations go back to back
 * before each think.  An entry drawn as a remote free (remote_free_pct) is
 * handed at its expiry to the task's peer, the next task of the workload that
 * started on another vCPU, which frees it before its own next operation: one
 * CPU frees what another allocated (SLUB's __slab_free, SLAB's alien caches).
 *
 * Lifetimes are counted in the task's own operations, so what is live is a
 * timing wheel of lifetime_max + 2 buckets indexed by expiry step: O(1) per
 * allocation and per free, and frees come out in (expiry, allocation) order.
 * Every draw comes from the task's own PRNG stream in a fixed order, so the
 * requests never depend on the interleaving; an interrupt's allocation that
 * runs late only has its expiry moved to the next step.
 *
 * Not here: the engine (sim/engine/engine.c) and the allocators (models/).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "run.h"
#include "../scenario/scenario.h"
#include "../engine/engine.h"
#include "script.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

#define WL_PID_BASE 1000		/* synthetic pids: 1000, 1001, ... in creation order */
#define WL_PRNG_TAG 0x574b000000000000ULL /* "WK": keeps our forks apart from the engine's */
#define WL_DRAIN_POLL_NS 1000		/* sleep between looks at pending interrupts */
#define WL_DRAIN_MAX_POLLS 1000000	/* then give up on them (counted as pending) */

#define WL_AUX_REMOTE 0x80000000u	/* wl_entry.aux: freed by the peer task */

/* Something a task holds: a page block (aux = order) or an object (its address). */
struct wl_entry {
	uint64_t handle;		/* struct page * (pages), object address (objects) */
	uint32_t aux;			/* order (pages); | WL_AUX_REMOTE */
};

/* The entries that expire at one step (mod the wheel size), in insertion order. */
struct wl_bucket {
	struct wl_entry *v;
	uint32_t n, cap;
};

struct wl_task;

/* A remote free waiting in the peer's inbox: the entry and the task that allocated it. */
struct wl_remote {
	struct wl_entry e;
	struct wl_task *owner;		/* frees it the owner's way, counts it in the owner's totals */
};

/* An allocation handed to an interrupt handler; drawn by the task. */
struct wl_irq_req {
	struct wl_task *t;
	uint64_t expiry;		/* step at which the task frees it */
	unsigned int order;		/* pages: the order; objects: the size */
	bool remote;			/* freed by the peer task */
	struct wl_irq_req *next;	/* free-list link */
	struct wl_irq_req *all_next;	/* every request of the task, for destroy */
};

/* One task of one stream on one vCPU. */
struct wl_task {
	const struct sim_stream_cfg *cfg;
	enum sim_stream_kind kind;
	int cpu;			/* vCPU it starts on */
	int pid;
	uint64_t nr_ops;		/* allocations to issue */
	uint64_t step;			/* current operation index */
	struct sim_prng rng;
	uint32_t order_cum[SIM_MAX_ORDERS];	/* cumulative order weights */
	uint32_t mt_cum[3];		/* cumulative migratetype weights */
	uint32_t size_cum[SIM_MAX_SIZES];	/* cumulative kmalloc size weights */
	struct kmem_cache *cache;	/* objects: kmem_cache_alloc_node from it; NULL = kmalloc */
	struct wl_task *peer;		/* gets this task's remote frees; NULL = none */
	struct wl_remote *inbox;	/* remote frees handed to this task by others */
	uint32_t nr_inbox, cap_inbox;
	bool done;			/* finished: peers free their own entries */
	uint32_t lifetime_min, lifetime_max;	/* lifetime_max >= max(lifetime_min, 1) */
	gfp_t gfp;			/* task-context gfp without migratetype bits */
	gfp_t irq_gfp;			/* interrupt-context gfp (scenario irq.gfp) */
	uint64_t irq_delay_min_ns;	/* interrupts raised this far ahead ... */
	uint64_t irq_delay_span_ns;	/* ... plus a draw below this */
	struct wl_bucket *wheel;	/* nr_buckets buckets */
	uint32_t nr_buckets;		/* lifetime_max + 2 */
	struct wl_irq_req *req_free;	/* recycled requests */
	struct wl_irq_req *req_all;	/* every request allocated (owned) */
	struct sim_workload_stats st;
};

struct sim_workload {
	struct wl_task *task;
	int nr_tasks;
};

/* What each stream kind does; object streams add a row. */
struct wl_kind_ops {
	const char *name;
	void (*step)(struct wl_task *t);			/* one allocation */
	void (*release)(struct wl_task *t, const struct wl_entry *e); /* free one entry */
};

static void wl_page_step(struct wl_task *t);
static void wl_page_release(struct wl_task *t, const struct wl_entry *e);
static void wl_obj_step(struct wl_task *t);
static void wl_obj_release(struct wl_task *t, const struct wl_entry *e);

static const struct wl_kind_ops wl_kinds[SIM_NR_STREAM_KINDS] = {
	[SIM_STREAM_PAGES] = { "pages", wl_page_step, wl_page_release },
	[SIM_STREAM_OBJECTS] = { "objects", wl_obj_step, wl_obj_release },
};

const char *sim_stream_kind_name(enum sim_stream_kind kind)
{
	return kind < SIM_NR_STREAM_KINDS ? wl_kinds[kind].name : "?";
}

/* ---------------------------------------------------------------- wheel */

/* Append e to b; false when out of host memory. */
static bool wl_bucket_push(struct wl_bucket *b, struct wl_entry e)
{
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 1;	/* most buckets hold one entry: 32 host bytes, not 144 */
		struct wl_entry *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return false;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = e;
	return true;
}

/* Remember `e` until step `expiry`.  Out of host memory: the entry is dropped
 * from the wheel (it stays allocated; the final check reports it as live). */
static void wl_hold(struct wl_task *t, uint64_t expiry, uint64_t handle, uint32_t aux)
{
	assert(expiry >= t->step && expiry - t->step < t->nr_buckets);
	if (wl_bucket_push(&t->wheel[expiry % t->nr_buckets], (struct wl_entry){ handle, aux }))
		t->st.nr_live++;
}

/* Free entry e of t: by t itself, or handed to t's peer when it is a remote free. */
static void wl_release(struct wl_task *t, const struct wl_entry *e)
{
	struct wl_task *peer = t->peer;

	if ((e->aux & WL_AUX_REMOTE) && peer && !peer->done) {
		if (peer->nr_inbox == peer->cap_inbox) {
			uint32_t cap = peer->cap_inbox ? peer->cap_inbox * 2 : 16;
			struct wl_remote *v = realloc(peer->inbox, cap * sizeof(*v));

			if (v) {
				peer->inbox = v;
				peer->cap_inbox = cap;
			}
		}
		if (peer->nr_inbox < peer->cap_inbox) {
			peer->inbox[peer->nr_inbox++] = (struct wl_remote){
				{ e->handle, e->aux & ~WL_AUX_REMOTE }, t };
			return;
		}
	}
	wl_kinds[t->kind].release(t, &(struct wl_entry){ e->handle, e->aux & ~WL_AUX_REMOTE });
}

/* Free what peers handed over.  Entries may arrive while we free (we yield). */
static void wl_drain_inbox(struct wl_task *t)
{
	while (t->nr_inbox) {
		struct wl_remote r = t->inbox[--t->nr_inbox];

		wl_kinds[r.owner->kind].release(r.owner, &r.e);
	}
}

/* Free everything that expires at `step`. */
static void wl_expire(struct wl_task *t, uint64_t step)
{
	struct wl_bucket *b = &t->wheel[step % t->nr_buckets];

	/* Handlers that run during these frees (at yield points inside
	 * __free_pages) insert at later steps only, so into other buckets. */
	for (uint32_t i = 0; i < b->n; i++)
		wl_release(t, &b->v[i]);
	b->n = 0;
}

/* -------------------------------------------------------------- drawing */

static unsigned int wl_draw_weighted(struct sim_prng *r, const uint32_t *cum, unsigned int n)
{
	uint64_t x;
	unsigned int i;

	if (cum[n - 1] == 0)
		return 0;
	x = sim_prng_below(r, cum[n - 1]);
	for (i = 0; i < n - 1 && x >= cum[i]; i++)
		;
	return i;
}

static uint64_t wl_draw_lifetime(struct wl_task *t)
{
	uint64_t span = (uint64_t)t->lifetime_max - t->lifetime_min + 1;
	uint64_t l = t->lifetime_min + sim_prng_below(&t->rng, span);

	return l ? l : 1;	/* freed at the next step at the earliest */
}

static gfp_t wl_mt_gfp(unsigned int mt)
{
	return mt == MIGRATE_MOVABLE ? __GFP_MOVABLE :
	       mt == MIGRATE_RECLAIMABLE ? __GFP_RECLAIMABLE : 0;
}

/* ---------------------------------------------------------- page stream */

/* Where the pages of an operation are: its op row's addr, mem_node and zone. */
static void wl_op_pages(struct sim_op *op, const struct page *page)
{
	op->addr = page_to_pfn(page);
	op->mem_node = page->nid;
	op->zone = page->zid;
}

struct page *sim_workload_alloc_pages(int nid, gfp_t gfp, unsigned int order, int mt)
{
	struct sim_op op;
	struct page *page;

	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	op.gfp = gfp;
	op.order = (int8_t)order;
	op.migratetype = (int8_t)mt;
	page = alloc_pages_node(nid, gfp, order);
	if (page)
		wl_op_pages(&op, page);
	else
		op.failed = true;
	sim_op_end(&op);
	return page;
}

void sim_workload_free_pages(struct page *page, unsigned int order)
{
	struct sim_op op;

	sim_op_begin(&op, SIM_OP_PAGE_FREE);
	op.order = (int8_t)order;
	wl_op_pages(&op, page);
	__free_pages(page, order);
	sim_op_end(&op);
}

/* Interrupt handler: the allocation a task asked for, with GFP_ATOMIC. */
static void *wl_alloc_obj(struct wl_task *t, gfp_t gfp, size_t size);

static void wl_irq_alloc(struct sim_vcpu *v, void *arg)
{
	struct wl_irq_req *rq = arg;
	struct wl_task *t = rq->t;
	uint64_t handle = 0;
	uint32_t aux = rq->remote ? WL_AUX_REMOTE : 0;

	(void)v;
	if (t->kind == SIM_STREAM_OBJECTS) {
		handle = (uint64_t)(uintptr_t)wl_alloc_obj(t, t->irq_gfp, rq->order);
	} else {
		handle = (uint64_t)(uintptr_t)sim_workload_alloc_pages(t->cfg->nid, t->irq_gfp, rq->order,
							     gfp_migratetype(t->irq_gfp));
		aux |= rq->order;
	}
	if (handle) {
		uint64_t expiry = rq->expiry > t->step ? rq->expiry : t->step + 1;

		wl_hold(t, expiry, handle, aux);
	} else {
		t->st.nr_failed++;
	}
	t->st.nr_irq_pending--;
	rq->next = t->req_free;
	t->req_free = rq;
}

/* Hand one allocation to an interrupt on the running vCPU. */
static void wl_raise_alloc(struct wl_task *t, unsigned int order, uint64_t expiry, uint64_t delay_ns,
			   bool remote)
{
	struct wl_irq_req *rq = t->req_free;

	if (rq) {
		t->req_free = rq->next;
	} else {
		rq = malloc(sizeof(*rq));
		if (!rq) {		/* host out of memory: skip this one */
			t->st.nr_failed++;
			return;
		}
		rq->all_next = t->req_all;
		t->req_all = rq;
	}
	rq->t = t;
	rq->expiry = expiry;
	rq->order = order;
	rq->remote = remote;
	t->st.nr_irq_pending++;
	sim_irq_raise(sim_cur()->cpu, sim_now() + delay_ns, wl_irq_alloc, rq);
}

static void wl_page_step(struct wl_task *t)
{
	const struct sim_stream_cfg *cfg = t->cfg;
	bool irq = cfg->irq_pct && sim_prng_below(&t->rng, 100) < cfg->irq_pct;
	unsigned int order = wl_draw_weighted(&t->rng, t->order_cum, SIM_MAX_ORDERS);
	unsigned int mt = wl_draw_weighted(&t->rng, t->mt_cum, 3);
	uint64_t expiry = t->step + wl_draw_lifetime(t);
	struct page *page;

	t->st.nr_alloc++;
	if (irq) {
		uint64_t delay = t->irq_delay_min_ns + sim_prng_below(&t->rng, t->irq_delay_span_ns);

		t->st.nr_alloc_irq++;
		wl_raise_alloc(t, order, expiry, delay, false);
		return;
	}
	page = sim_workload_alloc_pages(cfg->nid, t->gfp | wl_mt_gfp(mt), order, (int)mt);
	if (page)
		wl_hold(t, expiry, (uint64_t)(uintptr_t)page, order);
	else
		t->st.nr_failed++;
}

static void wl_page_release(struct wl_task *t, const struct wl_entry *e)
{
	sim_workload_free_pages((struct page *)(uintptr_t)e->handle, e->aux);
	t->st.nr_free++;
	t->st.nr_live--;
}

/* -------------------------------------------------------- object stream */

/* One object from the stream's cache or kmalloc, inside an object-alloc operation. */
static void *wl_alloc_obj(struct wl_task *t, gfp_t gfp, size_t size)
{
	struct sim_op op;
	void *obj;

	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp;
	op.size = (uint32_t)size;
	if (t->cache)
		obj = kmem_cache_alloc_node(t->cache, gfp, t->cfg->nid);
	else
		obj = kmalloc_node(size, gfp, t->cfg->nid);
	if (!obj)
		op.failed = true;
	sim_op_end(&op);
	return ZERO_OR_NULL_PTR(obj) ? NULL : obj;
}

static void wl_obj_step(struct wl_task *t)
{
	const struct sim_stream_cfg *cfg = t->cfg;
	bool irq = cfg->irq_pct && sim_prng_below(&t->rng, 100) < cfg->irq_pct;
	size_t size = t->cache ? 0 : cfg->size[wl_draw_weighted(&t->rng, t->size_cum, (unsigned int)cfg->nr_sizes)];
	uint64_t expiry = t->step + wl_draw_lifetime(t);
	bool remote = cfg->remote_free_pct && sim_prng_below(&t->rng, 100) < cfg->remote_free_pct;
	void *obj;

	t->st.nr_alloc++;
	if (irq) {
		uint64_t delay = t->irq_delay_min_ns + sim_prng_below(&t->rng, t->irq_delay_span_ns);

		t->st.nr_alloc_irq++;
		wl_raise_alloc(t, (unsigned int)size, expiry, delay, remote);
		return;
	}
	obj = wl_alloc_obj(t, t->gfp, size);
	if (obj)
		wl_hold(t, expiry, (uint64_t)(uintptr_t)obj, remote ? WL_AUX_REMOTE : 0);
	else
		t->st.nr_failed++;
}

static void wl_obj_release(struct wl_task *t, const struct wl_entry *e)
{
	void *obj = (void *)(uintptr_t)e->handle;
	struct sim_op op;

	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	if (t->cache)
		kmem_cache_free(t->cache, obj);
	else
		kfree(obj);
	sim_op_end(&op);
	t->st.nr_free++;
	t->st.nr_live--;
}

/* ---------------------------------------------------------------- tasks */

/* Between two operations: think (after each burst) or yield, then a voluntary preemption point. */
static void wl_pause(const struct wl_task *t)
{
	if (t->cfg->think_ns && (t->cfg->burst <= 1 || (t->step + 1) % t->cfg->burst == 0))
		sim_task_sleep_until(sim_now() + t->cfg->think_ns);
	else
		sim_yield(0);
	sim_cond_resched();
	sim_run_checkpoint();
}

static void wl_task_main(struct sim_task *st, void *arg)
{
	struct wl_task *t = arg;
	uint64_t polls = 0;

	(void)st;
	for (t->step = 0; t->step < t->nr_ops; t->step++) {
		wl_drain_inbox(t);
		wl_expire(t, t->step);
		wl_kinds[t->kind].step(t);
		wl_pause(t);
	}
	/* Interrupt handlers still to come would add to the wheel: wait for them. */
	while (t->st.nr_irq_pending && polls++ < WL_DRAIN_MAX_POLLS)
		sim_task_sleep_until(sim_now() + WL_DRAIN_POLL_NS);
	/* Every live entry expires within the next nr_buckets steps. */
	for (uint32_t i = 0; i < t->nr_buckets && t->st.nr_live; i++, t->step++) {
		wl_drain_inbox(t);
		wl_expire(t, t->step);
		sim_cond_resched();
	}
	/* No yield between the last look at the inbox and `done`: peers free their own from now on. */
	wl_drain_inbox(t);
	t->done = true;
}

/* Set up task `t` for stream `cfg` on `cpu`, the k-th of its tasks there. */
static int wl_task_init(struct wl_task *t, const struct sim_scenario *sc, int si, int cpu,
			unsigned int k, unsigned int nr_k, int pid)
{
	const struct sim_stream_cfg *cfg = &sc->stream[si];
	struct sim_prng root;
	uint32_t sum = 0;

	memset(t, 0, sizeof(*t));
	t->cfg = cfg;
	t->kind = cfg->kind == SIM_STREAM_KIND_OBJECTS ? SIM_STREAM_OBJECTS : SIM_STREAM_PAGES;
	t->cpu = cpu;
	t->pid = pid;
	t->nr_ops = cfg->nr_ops / nr_k + (k < cfg->nr_ops % nr_k);
	sim_prng_seed(&root, sc->seed);
	sim_prng_fork(&root, WL_PRNG_TAG | (uint64_t)si << 24 | (uint64_t)cpu << 8 | k, &t->rng);
	for (int i = 0; i < SIM_MAX_ORDERS; i++)
		t->order_cum[i] = sum += cfg->order_weight[i];
	sum = 0;
	for (int i = 0; i < 3; i++)
		t->mt_cum[i] = sum += cfg->mt_weight[i];
	sum = 0;
	for (int i = 0; i < cfg->nr_sizes; i++)
		t->size_cum[i] = sum += cfg->size_weight[i];
	t->lifetime_min = cfg->lifetime_min;
	t->lifetime_max = cfg->lifetime_max > cfg->lifetime_min ? cfg->lifetime_max : cfg->lifetime_min;
	if (t->lifetime_max < 1)
		t->lifetime_max = 1;
	t->gfp = (cfg->gfp ? cfg->gfp : GFP_KERNEL) & ~GFP_MOVABLE_MASK;
	if (t->kind == SIM_STREAM_OBJECTS)
		t->gfp = cfg->gfp ? cfg->gfp : GFP_KERNEL;	/* __GFP_RECLAIMABLE picks kmalloc-rcl-* */
	t->irq_gfp = sc->irq_gfp ? sc->irq_gfp : GFP_ATOMIC;
	t->irq_delay_min_ns = sc->irq_delay_min_ns;
	t->irq_delay_span_ns = sc->irq_delay_max_ns >= sc->irq_delay_min_ns ?
			       sc->irq_delay_max_ns - sc->irq_delay_min_ns + 1 : 1;
	t->nr_buckets = t->lifetime_max + 2;
	t->wheel = calloc(t->nr_buckets, sizeof(*t->wheel));
	return t->wheel ? 0 : -1;
}

/* An object stream needs a slab allocator, and its cache must exist after boot. */
static int wl_check_objects(const struct sim_scenario *sc, int si, FILE *err)
{
	const struct sim_stream_cfg *cfg = &sc->stream[si];
	char path[64];

	if (cfg->kind != SIM_STREAM_KIND_OBJECTS)
		return 0;
	if (sc->allocator == SIM_ALLOC_BUDDY || !slab_current()) {
		snprintf(path, sizeof(path), "workload.streams[%d]", si);
		return sim_scenario_error(sc, path, err, "an object stream needs allocator \"slub\" or \"slab\", not \"%s\"",
					  sim_allocator_name(sc->allocator));
	}
	if (cfg->cache[0] && !slab_find_cache(cfg->cache)) {
		snprintf(path, sizeof(path), "workload.streams[%d].cache", si);
		return sim_scenario_error(sc, path, err, "no cache \"%s\" (neither in \"caches\" nor one %s creates at boot)",
					  cfg->cache, sim_allocator_name(sc->allocator));
	}
	if (!cfg->cache[0] && !cfg->nr_sizes) {
		snprintf(path, sizeof(path), "workload.streams[%d].sizes", si);
		return sim_scenario_error(sc, path, err, "an object stream needs sizes or a cache");
	}
	return 0;
}

/* Each task's peer: the next task, in creation order and round, that started on another vCPU. */
static void wl_link_peers(struct sim_workload *w)
{
	for (int i = 0; i < w->nr_tasks; i++) {
		struct wl_task *t = &w->task[i];

		t->peer = NULL;
		for (int k = 1; k < w->nr_tasks && t->cfg->remote_free_pct; k++) {
			struct wl_task *p = &w->task[(i + k) % w->nr_tasks];

			if (p->cpu != t->cpu && p->nr_ops && p->kind == t->kind) {
				t->peer = p;
				break;
			}
		}
	}
}

/*
 * Compaction's migrate hook (buddy_set_migrate_hook): a page stream's held order-0 page
 * (on a task's wheel or in an inbox) now lives at `newpage`.  A linear search of what
 * the tasks hold: compaction is rare, and only page streams hold pages.
 */
static bool wl_migrate(struct page *page, struct page *newpage, void *arg)
{
	struct sim_workload *w = arg;
	uint64_t handle = (uint64_t)(uintptr_t)page;

	for (int i = 0; i < w->nr_tasks; i++) {
		struct wl_task *t = &w->task[i];

		if (t->kind != SIM_STREAM_PAGES)
			continue;
		for (uint32_t b = 0; t->wheel && b < t->nr_buckets; b++)
			for (uint32_t k = 0; k < t->wheel[b].n; k++)
				if (t->wheel[b].v[k].handle == handle && !(t->wheel[b].v[k].aux & ~WL_AUX_REMOTE)) {
					t->wheel[b].v[k].handle = (uint64_t)(uintptr_t)newpage;
					return true;
				}
		for (uint32_t k = 0; k < t->nr_inbox; k++)
			if (t->inbox[k].e.handle == handle && !(t->inbox[k].e.aux & ~WL_AUX_REMOTE)) {
				t->inbox[k].e.handle = (uint64_t)(uintptr_t)newpage;
				return true;
			}
	}
	return false;
}

int sim_workload_create(const struct sim_scenario *sc, struct sim_workload **out, FILE *err)
{
	struct sim_workload *w;
	unsigned int per_cpu = sc->tasks_per_cpu ? sc->tasks_per_cpu : 1;
	int n = 0;

	*out = NULL;
	for (int si = 0; si < sc->nr_streams; si++) {
		int cpu = sc->stream[si].cpu;

		if (cpu >= sim->nr_cpus || cpu < -1) {
			fprintf(err, "%s: workload.streams[%d].cpu: no vCPU %d on a machine of %d\n",
				sc->path ? sc->path : "(scenario)", si, cpu, sim->nr_cpus);
			return SIM_EBADINPUT;
		}
		n += (cpu < 0 ? sim->nr_cpus : 1) * (int)per_cpu;
		if (wl_check_objects(sc, si, err))
			return SIM_EBADINPUT;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->task = calloc(n ? n : 1, sizeof(*w->task))))
		goto oom;
	for (int si = 0; si < sc->nr_streams; si++) {
		int lo = sc->stream[si].cpu < 0 ? 0 : sc->stream[si].cpu;
		int hi = sc->stream[si].cpu < 0 ? sim->nr_cpus : lo + 1;

		for (int cpu = lo; cpu < hi; cpu++) {
			for (unsigned int k = 0; k < per_cpu; k++) {
				struct wl_task *t = &w->task[w->nr_tasks];

				if (wl_task_init(t, sc, si, cpu, k, per_cpu, WL_PID_BASE + w->nr_tasks))
					goto oom;
				if (t->kind == SIM_STREAM_OBJECTS && sc->stream[si].cache[0])
					t->cache = slab_find_cache(sc->stream[si].cache);
				w->nr_tasks++;
			}
		}
	}
	wl_link_peers(w);
	for (int i = 0; i < w->nr_tasks; i++) {
		struct wl_task *t = &w->task[i];

		if (!t->nr_ops)
			continue;
		if (!sim_task_create(t->cpu, t->cfg->pinned, t->pid, wl_task_main, t))
			goto oom;
		t->st.nr_tasks = 1;
	}
	/* The race scenario's scripted tasks and interrupts (sim/run/script.c), after the streams. */
	n = sim_script_create(sc, err);
	if (!n)
		n = sim_memory_create(sc, err);	/* the "memory" section's tasks (sim/run/memory.c) */
	if (n) {
		sim_workload_destroy(w);
		return n;
	}
	buddy_set_migrate_hook(wl_migrate, w);	/* compaction may move the pages we hold */
	*out = w;
	return 0;
oom:
	fprintf(err, "kmemsim: workload: out of memory\n");
	sim_workload_destroy(w);
	return SIM_EFAIL;
}

void sim_workload_stats(const struct sim_workload *w, struct sim_workload_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (int i = 0; w && i < w->nr_tasks; i++) {
		const struct sim_workload_stats *s = &w->task[i].st;

		out->nr_tasks += s->nr_tasks;
		out->nr_alloc += s->nr_alloc;
		out->nr_alloc_irq += s->nr_alloc_irq;
		out->nr_failed += s->nr_failed;
		out->nr_free += s->nr_free;
		out->nr_live += s->nr_live;
		out->nr_irq_pending += s->nr_irq_pending;
	}
}

void sim_workload_destroy(struct sim_workload *w)
{
	sim_script_destroy();
	sim_memory_destroy();
	if (!w)
		return;
	buddy_set_migrate_hook(NULL, NULL);
	for (int i = 0; i < w->nr_tasks; i++) {
		struct wl_task *t = &w->task[i];

		for (uint32_t b = 0; t->wheel && b < t->nr_buckets; b++)
			free(t->wheel[b].v);
		free(t->wheel);
		free(t->inbox);
		while (t->req_all) {
			struct wl_irq_req *rq = t->req_all;

			t->req_all = rq->all_next;
			free(rq);
		}
	}
	free(w->task);
	free(w);
}
