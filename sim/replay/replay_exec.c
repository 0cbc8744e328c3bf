/*
 * replay_exec.c - a replayed event on its vCPU: the operation it becomes.
 *
 * Main entry: rp_queue.  Task-context events go to their vCPU's kworker
 * (sim_work_queue), which runs them in order, each at its arrival time or,
 * when the vCPU is still busy with earlier ones, as soon as it is free: the
 * backlog a model slower than the kernel builds.  Hardirq and softirq events
 * are interrupts (sim_irq_raise) delivered at the first yield point of that
 * vCPU at or after their time with IRQs on, nested in whatever runs there.
 *
 * Around the model call the event's context is set up as the trace shows it:
 *   - the task's pid is the trace's (ops.task), then restored;
 *   - task context: IRQs off when the line says 'd', preempt_count raised by
 *     the depth shown; set directly, at no simulated cost;
 *   - softirq: the handler lowers hardirq to softirq and turns IRQs on unless
 *     the line says 'd' (softirqs run with IRQs on, so a hardirq event can
 *     nest in one); a softirq event arriving while one runs on the vCPU
 *     waits for it, as pending softirqs do (__do_softirq's loop);
 *   - hardirq and NMI events run as the hardirq handler itself.
 * BH-disabled and migrate-disable are not modelled (kworkers are pinned).
 *
 * A free that runs before its object's allocation has (the allocation is
 * still in its vCPU's backlog, or in flight there) waits for it: the
 * allocation queues it again on the free's own vCPU and context as it ends.
 * Counted as deferred frees.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../engine/engine.h"
#include "../run/run.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

#define RP_KEEPER_PID (-100)		/* the keeper's pid: never on an operation */

static void rp_exec(struct rp_ev *e);

/* ---------------------------------------------------------- operations */

static void rp_exec_obj_free(struct rp_ev *e);
static void rp_exec_page_free(struct rp_ev *e);

/* A free of an object still queued for its allocation waits for it (rp_exec_deferred): true when so. */
static bool rp_free_deferred(struct rp_ev *e)
{
	if (e->obj->state != RP_QUEUED)
		return false;
	e->obj->deferred = e;
	rp->st.nr_deferred_free++;
	return true;
}

/* The free that came before its allocation ran: queue it again, on its own
 * vCPU and context, now that the allocation has. */
static void rp_exec_deferred(struct rp_obj *o)
{
	struct rp_ev *f = o->deferred;

	o->deferred = NULL;
	f->ns = sim_now();
	rp_queue(f);
}

static void rp_exec_obj_alloc(struct rp_ev *e)
{
	struct rp_obj *o = e->obj;
	struct kmem_cache *s = NULL;
	struct sim_op op;
	void *p;

	if (e->cache >= 0) {
		s = rp_cache_model(e->cache, e->ctx == SIM_CTX_TASK);
		if (!s)
			rp->nr_cache_fallback++;	/* the kmalloc cache of its size instead */
	}
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.trace_line = e->line;
	op.callsite = e->callsite;
	op.gfp = e->gfp;
	if (s)
		p = kmem_cache_alloc_node(s, e->gfp, e->node);
	else if (e->bucket)
		p = rp_bucket_alloc(e);		/* kmem_buckets_alloc (replay_buckets.c) */
	else
		p = kmalloc_node(e->size, e->gfp, e->node);
	sim_op_end(&op);
	rp->st.nr_replayed++;
	if (o) {
		o->sim = p;
		o->state = ZERO_OR_NULL_PTR(p) ? RP_FAILED : RP_LIVE;
		if (o->deferred)
			rp_exec_deferred(o);
	}
	rp_ev_put(e);
}

static void rp_exec_obj_free(struct rp_ev *e)
{
	struct rp_obj *o = e->obj;
	struct kmem_cache *s = NULL;
	struct sim_op op;

	if (rp_free_deferred(e))
		return;
	if (o->state == RP_LIVE) {
		if (e->type == SIM_TRACE_KMEM_CACHE_FREE && e->cache >= 0)
			s = rp->cache[e->cache].s;	/* the named cache; the model checks it owns the object */
		if (!s && e->type == SIM_TRACE_KMEM_CACHE_FREE && o->cache >= 0)
			s = rp->cache[o->cache].s;
		sim_op_begin(&op, SIM_OP_OBJ_FREE);
		op.trace_line = e->line;
		op.callsite = e->callsite;
		if (s)
			kmem_cache_free(s, o->sim);
		else
			kfree(o->sim);
		sim_op_end(&op);
		if (e->line >= 0)
			rp->st.nr_replayed++;
	} else {
		rp->nr_free_of_failed++;
	}
	rp_obj_put(o);
	rp_ev_put(e);
}

static void rp_exec_page_alloc(struct rp_ev *e)
{
	struct rp_obj *o = e->obj;
	struct sim_op op;
	struct page *page;
	int nid, zid;

	if (o->cls == RP_CLS_PENDING)
		rp_resolve(o);
	if (o->cls == RP_CLS_SLAB && rp->o->pages != SIM_REPLAY_PAGES_ALL) {
		/* the slab allocator's page: the model allocates its own */
		rp->st.nr_pages_skipped++;
		o->state = RP_SKIPPED;
		if (o->deferred) {
			rp_ev_put(o->deferred);
			o->deferred = NULL;
			rp_obj_put(o);
		} else if (!o->has_free) {
			rp_obj_put(o);	/* its free, if it comes, finds the pfn in slab_pfns */
		}
		rp_ev_put(e);
		return;
	}
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	op.trace_line = e->line;
	op.callsite = e->callsite;
	op.gfp = e->gfp;
	op.order = e->order;
	op.migratetype = (int8_t)gfp_migratetype(e->gfp);
	/* the node the traced pfn lies on, as the kernel placed it (policy, fallback), else the local one */
	if (rp->pfn_place && e->line >= 0 && rp_pfn_zone(o->key, &nid, &zid) && nid < sim->nr_nodes) {
		rp->nr_pfn_placed++;
		rp->nr_pfn_remote += nid != numa_node_id();
		page = alloc_pages_node(nid, e->gfp, (unsigned int)e->order);
	} else {
		page = alloc_pages(e->gfp, (unsigned int)e->order);
	}
	if (page) {
		op.addr = page_to_pfn(page);
		op.mem_node = page->nid;
		op.zone = (int8_t)page->zid;
	} else {
		op.failed = true;
	}
	sim_op_end(&op);
	if (e->line >= 0)
		rp->st.nr_replayed++;
	/* a user page that is not zeroed (not an anonymous fault's): page cache reclaim may take */
	if (page && !e->order && (e->gfp & GFP_HIGHUSER_MOVABLE) == GFP_HIGHUSER_MOVABLE && !(e->gfp & __GFP_ZERO)) {
		filemap_add_page(page, &o->lru_slot);
		o->on_lru = true;
		rp->nr_lru_pages++;
	}
	o->sim = page;
	o->state = page ? RP_LIVE : RP_FAILED;
	if (o->deferred)
		rp_exec_deferred(o);
	rp_ev_put(e);
}

static void rp_exec_page_free(struct rp_ev *e)
{
	struct rp_obj *o = e->obj;
	struct page *page = o->sim;
	struct sim_op op;

	if (rp_free_deferred(e))
		return;
	if (o->state == RP_LIVE && o->on_lru && !o->lru_slot) {
		rp->nr_reclaimed_before_free++;	/* reclaim freed it already (a later read would fault it in again) */
	} else if (o->state == RP_LIVE) {
		if (o->on_lru)
			filemap_remove_page(page);	/* __filemap_remove_folio: off the LRU before the free */
		sim_op_begin(&op, SIM_OP_PAGE_FREE);
		op.trace_line = e->line;
		op.callsite = e->callsite;
		op.order = o->order;
		op.addr = page_to_pfn(page);
		op.mem_node = page->nid;
		op.zone = (int8_t)page->zid;
		__free_pages(page, (unsigned int)o->order);
		sim_op_end(&op);
		if (e->line >= 0)
			rp->st.nr_replayed++;
	} else if (o->state == RP_SKIPPED) {
		rp->st.nr_pages_skipped++;	/* a slab page after all */
	} else {
		rp->nr_free_of_failed++;
	}
	rp_obj_put(o);
	rp_ev_put(e);
}

/*
 * An inferred bulk call (replay_infer.c): kmem_cache_alloc_bulk of the
 * event's objects in its cache, or kfree_bulk of those still live.  The
 * models log one operation per object (models/slab_common/slab_common.h); none has a
 * trace line.
 */
void rp_exec_bulk(struct rp_ev *e)
{
	void **p = calloc(e->nr_objs ? e->nr_objs : 1, sizeof(*p));
	struct kmem_cache *s;
	uint32_t n = 0;

	if (!p) {
		sim_engine_fail("replay: out of memory");
		return;
	}
	if (e->kind == RP_BULK_ALLOC) {
		int got;

		s = rp_cache_model(e->cache, e->ctx == SIM_CTX_TASK);
		got = s ? kmem_cache_alloc_bulk(s, e->gfp, e->nr_objs, p) : 0;
		if (!s)
			rp->nr_cache_fallback++;
		for (uint32_t i = 0; i < e->nr_objs; i++) {
			struct rp_obj *o = e->objs[i];

			o->sim = got ? p[i] : NULL;
			o->state = got ? RP_LIVE : RP_FAILED;
			if (o->deferred)
				rp_exec_deferred(o);
		}
	} else {
		for (uint32_t i = 0; i < e->nr_objs; i++) {
			struct rp_obj *o = e->objs[i];
			struct rp_ev *f;

			if (o->state == RP_LIVE) {
				p[n++] = o->sim;
				rp_obj_put(o);
			} else if (o->state == RP_QUEUED && (f = rp_ev_get(NULL, e->cpu, e->ctx, e->ns, e->trace_ns,
									 RP_OBJ_FREE))) {
				/* its allocation is still in a backlog: freed on its own once it ran */
				f->pid = e->pid;
				f->obj = o;
				f->cache = o->cache;
				o->deferred = f;
				rp->st.nr_deferred_free++;
			} else {
				rp->nr_free_of_failed++;
				rp_obj_put(o);
			}
		}
		if (n && e->cache >= 0 && (s = rp_cache_model(e->cache, false)))
			kmem_cache_free_bulk(s, n, p);	/* mas_destroy's mt_free_bulk */
		else if (n)
			kfree_bulk(n, p);
	}
	free(p);
	free(e->objs);
	e->objs = NULL;
	rp_ev_put(e);
}

static void rp_exec(struct rp_ev *e)
{
	if (rp->snap_due && e->ns >= rp->snap_due_ns)
		rp_marks_snapshot(e->ns);
	rp_db_line(e);
	switch (e->kind) {
	case RP_BULK_ALLOC:
	case RP_BULK_FREE:
		rp_exec_bulk(e);
		break;
	case RP_OBJ_ALLOC:
		rp_exec_obj_alloc(e);
		break;
	case RP_OBJ_FREE:
		rp_exec_obj_free(e);
		break;
	case RP_PAGE_ALLOC:
		rp_exec_page_alloc(e);
		break;
	default:
		rp_exec_page_free(e);
		break;
	}
}

/* ------------------------------------------------------------ contexts */

/* A task-context event, on its vCPU's kworker. */
static void rp_task_fn(struct sim_vcpu *v, void *arg)
{
	struct rp_ev *e = arg;
	struct sim_task *t;
	int pid, depth = e->preempt;
	bool irqs_off = e->irqs_off;

	sim_run_checkpoint();		/* a due invariant check waits for a quiet moment here */
	v = sim_cur();
	t = v->curr;
	pid = t->pid;
	t->pid = e->pid;
	if (irqs_off)
		v->irqs_disabled = true;
	t->preempt_count += depth;
	rp_exec(e);
	t->preempt_count -= depth;
	if (irqs_off)
		sim_cur()->irqs_disabled = false;
	t->pid = pid;
	rp_refill();
}

/* A hardirq or softirq event: raised as an interrupt of its vCPU. */
static void rp_irq_fn(struct sim_vcpu *v, void *arg)
{
	struct rp_ev *e = arg;
	struct sim_task *t = v->curr;
	int pid = t->pid, cpu = v->cpu;

	if (e->ctx == SIM_CTX_SOFTIRQ) {
		if (v->softirq) {	/* one runs here already: wait for it */
			e->next = NULL;
			if (rp->sirq_tail[cpu])
				rp->sirq_tail[cpu]->next = e;
			else
				rp->sirq_head[cpu] = e;
			rp->sirq_tail[cpu] = e;
			return;
		}
		v->hardirq--;
		v->softirq++;
		while (e) {
			t->pid = e->pid;
			v->irqs_disabled = e->irqs_off;
			rp_exec(e);
			e = rp->sirq_head[cpu];
			if (e && !(rp->sirq_head[cpu] = e->next))
				rp->sirq_tail[cpu] = NULL;
		}
		v->irqs_disabled = true;
		v->softirq--;
		v->hardirq++;
	} else {
		t->pid = e->pid;
		rp_exec(e);
	}
	t->pid = pid;
	rp_refill();
}

void rp_queue(struct rp_ev *e)
{
	if (e->ctx == SIM_CTX_TASK)
		sim_work_queue(e->cpu, e->ns, rp_task_fn, e);
	else
		sim_irq_raise(e->cpu, e->ns, rp_irq_fn, e);
}

/* ---------------------------------------------------------------- keeper */

/*
 * The one non-daemon task of a replay (kworkers are daemons): it keeps the
 * run going until the trace is read and every event has run, reading ahead
 * itself when nothing else does.  It sleeps most of the time, so it costs
 * its vCPU a context switch every RP_KEEPER_POLL_NS; after the end of the
 * trace it looks sooner (doubling from 10 us) so the run ends close to the
 * last event.
 */
static void rp_keeper_fn(struct sim_task *self, void *arg)
{
	uint64_t poll = 10000;

	(void)self;
	(void)arg;
	for (;;) {
		rp_refill();
		if (rp->failed || (rp->eof && !rp->nr_inflight))
			return;
		if (!rp->eof) {
			uint64_t next = sim_now() + RP_KEEPER_POLL_NS;

			/* a gap of over RP_KEEPER_GAP_NS in the trace: the looks before the next event
			 * would read nothing, so sleep on the same grid to the last of them (a
			 * shorter gap is polled through: each look is a tick on this vCPU) */
			if (rp->read_ns > next + RP_WINDOW_NS + RP_KEEPER_GAP_NS)
				next += (rp->read_ns - RP_WINDOW_NS - next) / RP_KEEPER_POLL_NS * RP_KEEPER_POLL_NS;
			sim_task_sleep_until(next);
			continue;
		}
		sim_task_sleep_until((rp->read_ns > sim_now() ? rp->read_ns : sim_now()) + poll);
		if (poll < RP_KEEPER_POLL_NS)
			poll *= 2;
	}
}

int rp_keeper_start(void)
{
	rp->keeper = sim_task_create(0, true, RP_KEEPER_PID, rp_keeper_fn, NULL);
	return rp->keeper ? 0 : -1;
}

/* ---------------------------------------------------------------- teardown */

/* Every record and event still held (live at the end, or in events a stopped run left):
 * the records' chunks go whole, whoever still points into them. */
void rp_teardown_events(void)
{
	for (struct rp_ev_chunk *c = rp->chunks; c; c = c->next)
		for (int i = 0; i < RP_EV_CHUNK; i++) {
			struct rp_ev *e = &c->ev[i];

			if (e->live) {
				free(e->objs);
				e->objs = NULL;
			}
		}
	while (rp->obj_chunks) {
		struct rp_obj_chunk *c = rp->obj_chunks;

		rp->obj_chunks = c->next;
		free(c);
	}
	rp->obj_free = NULL;
	sim_ptrmap_free(&rp->objs);
	sim_ptrmap_free(&rp->pages);
	sim_ptrmap_free(&rp->slab_pfns);
	sim_ptrmap_free(&rp->learn);
	rp_infer_free_all(rp);
	while (rp->chunks) {
		struct rp_ev_chunk *c = rp->chunks;

		rp->chunks = c->next;
		free(c);
	}
	rp->ev_free = NULL;
}
