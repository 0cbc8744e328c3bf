/*
 * replay_learn.c - the replay's learning pass and its progress line.
 *
 * Main entry: rp_learn_pass, the first reading of a trace that can be read
 * twice: the machine's extent (highest CPU and pfn) and the call site ->
 * cache votes (replay_cache.c), before the replay places a single object.
 * Also rp_progress, the progress line on stderr of both passes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay_int.h"
#include "../../models/mm.h"


/* ------------------------------------------------------------- progress */

static void rp_human(double v, char *buf, size_t n)
{
	if (v >= 1e9)
		snprintf(buf, n, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, n, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, n, "%.1fk", v / 1e3);
	else
		snprintf(buf, n, "%.0f", v);
}

/*
 * The progress line on stderr: which pass (the learning pass reads the whole
 * trace first, then the replay reads it again from the start, so each line
 * names its pass: the count starting over is not a count going backwards),
 * how far (in the trace's bytes, estimated from the lines the learning pass
 * counted), events read, events/s of this pass, time left.  Shown after the
 * first second, twice a second, on one line rewritten in place on a
 * terminal.  The wall clock here never reaches a result.
 */
void rp_progress(bool last)
{
	const struct sim_trace_stats *ts = rp->tr ? sim_trace_stats(rp->tr) : NULL;
	double now = rp_wall_now(), el = now - rp->wall_start, rate;
	double pass_el = now - (rp->pass_start > 0 ? rp->pass_start : rp->wall_start);
	bool tty = isatty(fileno(rp->err));
	char ev[48], r[16], tot[16], where[64] = "", eta[32] = "";

	if (!last && (now - rp->wall_last < 0.5 || el < 1.0))
		return;
	if (last && rp->wall_last == 0)
		return;			/* short replay: no progress was shown */
	rp->wall_last = now;
	rate = pass_el > 0 ? (double)rp->nr_events / pass_el : 0;
	rp_human((double)rp->nr_events, ev, sizeof(ev));
	rp_human(rate, r, sizeof(r));
	if (ts && rp->pass1_lines && rp->trace_bytes) {
		uint64_t lines = rp->pf ? sim_trace_prefetch_lines(rp->pf) :
				 rp->evsp && !rp->learning ? (uint64_t)rp->ev.line : ts->nr_lines;
		double frac = (double)lines / (double)rp->pass1_lines;

		rp_human((double)rp->trace_bytes, tot, sizeof(tot));
		snprintf(where, sizeof(where), "%.0f%% of %sB (%s), ", frac > 1 ? 100.0 : frac * 100.0, tot,
			 ts->compression);
	}
	if (rp->total_events) {
		rp_human((double)rp->total_events, tot, sizeof(tot));
		snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev), "/%s", tot);
		if (rate > 0 && !last)
			snprintf(eta, sizeof(eta), ", ETA %.0f s",
				 (double)(rp->total_events > rp->nr_events ? rp->total_events - rp->nr_events : 0) / rate);
	}
	fprintf(rp->err, "%skmemsim replay: %s: %s%s events, %s events/s, %.1f s%s%s", tty ? "\r" : "",
		rp->learning ? "learning pass" : "replaying", where, ev,
		r, el, eta, tty && !last ? "   " : "\n");
	fflush(rp->err);
}

/* ---------------------------------------------------------- learning pass */

/* The learning pass's events are kept for the replay pass (traces/evspool.h); past this size
 * they are dropped and the replay pass reads the trace again. */
#define RP_EVSPOOL_MAX (16ULL << 30)

int rp_reader_open(struct replay *r, struct sim_trace **out)
{
	struct sim_trace_opts opts = { .lenient = r->o->lenient, .err = r->err, .marks = true,
				       .gfp_kernel = r->kv->gfp_names };

	if (r->o->trace_text) {
		opts.name = r->trace_path;
		return sim_trace_open_mem(out, r->trace_path, r->o->trace_text, r->o->trace_len, &opts);
	}
	return sim_trace_open(out, r->trace_path, &opts);
}

/*
 * The first pass over a seekable trace: the machine's extent (highest CPU,
 * highest pfn), by following each kmem_cache_alloc's pointer to the
 * kmem_cache_free that names its cache, the cache of every call site, the
 * untraced bulk calls (replay_infer.c) and the pages live at the SNAP0
 * zoneinfo mark (replay_boot.c).  Its
 * memory is the pointers live at a time, like the replay's.
 *
 * And which caches are SLAB_RECLAIM_ACCOUNT: both allocators add
 * __GFP_RECLAIMABLE to such a cache's slab pages (allocflags).  A page
 * allocation with __GFP_COMP|__GFP_RECLAIMABLE and only the gfp bits a slab
 * page carries, followed on its CPU and context by a kmem_cache_alloc of the
 * same task, is a slab page of that allocation's cache (rp_learn_reclaim).
 */
/*
 * The reclaimable-slab-page rule: `pend` is the task (pid + 1, 0 none) whose last event on
 * (CPU, context) was a page allocation that looks like a reclaimable cache's slab page.
 * Returns the pending state for the event just read and updates it.
 */
static bool rp_learn_reclaim(int32_t *pend, const struct sim_trace_event *ev)
{
	int32_t slot = *pend;

	*pend = 0;
	if (ev->type == SIM_TRACE_MM_PAGE_ALLOC) {
		if ((ev->present & SIM_TRACE_HAS_GFP) && !(ev->gfp & ~RP_SLAB_GFP) &&
		    (ev->gfp & (__GFP_COMP | __GFP_RECLAIMABLE)) == (__GFP_COMP | __GFP_RECLAIMABLE))
			*pend = ev->pid + 1;
		return false;
	}
	return slot && slot == ev->pid + 1 &&
	       (ev->type == SIM_TRACE_KMEM_CACHE_ALLOC || ev->type == SIM_TRACE_KMEM_CACHE_ALLOC_NODE);
}

int rp_learn_pass(struct replay *r)
{
	struct sim_trace *tr;
	struct sim_trace_event ev;
	const struct sim_trace_stats *ts;
	double t = rp_wall_now();
	int32_t (*pend)[RP_NR_CTX] = NULL;	/* [cpu][context] for rp_learn_reclaim */
	int nr_pend = 0;
	int rc = rp_reader_open(r, &tr);
	bool oom;

	if (rc)
		return rc;
	r->tr = tr;		/* for the progress line */
	r->learning = true;
	/* a trace in memory is read again in place; NULL: the replay pass reads again */
	if (!r->evsp && !r->o->trace_text && !sim_trace_evspool_new(&r->evsp))
		sim_trace_evspool_set_max(r->evsp, RP_EVSPOOL_MAX);
	/* parse on a second thread (the decompression has a third) while this one learns;
	 * not worth a thread for a trace of a few hundred lines */
	if ((r->seekable && r->trace_bytes < RP_PREFETCH_MIN) || sim_trace_prefetch_start(&r->pf, tr))
		r->pf = NULL;		/* read in line */
	while ((rc = r->pf ? sim_trace_prefetch_next(r->pf, &ev) : sim_trace_next(tr, &ev)) > 0) {
		bool reclaim = false;
		void *site;
		int named;

		if (r->evsp && sim_trace_evspool_put(r->evsp, &ev)) {
			sim_trace_evspool_free(r->evsp);
			r->evsp = NULL;
		}
		if (rp_boot_learn(r, &ev))
			goto oom;
		if (ev.type == SIM_TRACE_MARK)
			continue;
		r->nr_events++;
		if (ev.cpu > r->max_cpu) {
			r->max_cpu = ev.cpu;
			r->max_cpu_line = ev.line;
		}
		if (ev.cpu >= 0 && ev.cpu < SIM_MAX_CPUS) {
			if (ev.cpu >= nr_pend) {
				int n = ev.cpu + 1;
				int32_t (*p)[RP_NR_CTX] = realloc(pend, (size_t)n * sizeof(*p));

				if (!p)
					goto oom;
				memset(p + nr_pend, 0, (size_t)(n - nr_pend) * sizeof(*p));
				pend = p;
				nr_pend = n;
			}
			reclaim = rp_learn_reclaim(&pend[ev.cpu][rp_ctx_of(&ev)], &ev);
		}
		switch (ev.type) {
		case SIM_TRACE_KMEM_CACHE_ALLOC:
		case SIM_TRACE_KMEM_CACHE_ALLOC_NODE:
			if (ev.ptr <= RP_ZERO_SIZE_PTR)
				break;
			if (rp_infer_alloc(r, &ev))
				goto oom;
			if (ev.cache) {
				named = rp_cache_named_memo(ev.cache, (uint32_t)ev.bytes_req, (uint32_t)ev.bytes_alloc);
				if (named < 0)
					goto oom;
				if (reclaim)
					r->cache[named].reclaimable = true;
				break;
			}
			named = rp_site_of(ev.call_sym, ev.call_site, (uint32_t)ev.bytes_alloc, (uint32_t)ev.bytes_req);
			if (named < 0 || sim_ptrmap_put(&r->learn, ev.ptr, (void *)(uintptr_t)(named + 1), NULL))
				goto oom;
			if (reclaim)
				r->site[named].reclaim_pages++;
			break;
		case SIM_TRACE_KMEM_CACHE_FREE:
		case SIM_TRACE_KFREE:
			site = sim_ptrmap_del(&r->learn, ev.ptr);
			if (ev.type == SIM_TRACE_KFREE || !ev.cache || ev.ptr <= RP_ZERO_SIZE_PTR) {
				if (rp_infer_free(r, &ev, -1))
					goto oom;
				break;
			}
			named = rp_cache_named_memo(ev.cache, 0, 0);
			if (named < 0 || rp_infer_free(r, &ev, named))
				goto oom;
			if (site)
				rp_site_vote((int)(uintptr_t)site - 1, named);
			break;
		case SIM_TRACE_KMALLOC:
		case SIM_TRACE_KMALLOC_NODE:
			if (rp_infer_alloc(r, &ev))
				goto oom;
			break;
		default:
			if (ev.pfn > r->max_pfn) {
				r->max_pfn = ev.pfn;
				r->max_pfn_line = ev.line;
			}
			break;
		}
		if (r->progress && !(r->nr_events & 0xffff))
			rp_progress(false);
	}
	free(pend);
	pend = NULL;
	sim_trace_prefetch_stop(r->pf);		/* the reader is this thread's again */
	r->pf = NULL;
	ts = sim_trace_stats(tr);
	r->pass1_lines = ts->nr_lines;
	r->pass1_events = ts->nr_events;
	r->nr_cpus_header = ts->nr_cpus;
	if (ts->max_cpu > r->max_cpu)
		r->max_cpu = ts->max_cpu;
	r->total_events = ts->nr_events;
	if (r->evsp && (rc != 0 || sim_trace_evspool_end(r->evsp))) {
		sim_trace_evspool_free(r->evsp);
		r->evsp = NULL;
	}
	if (r->progress)
		rp_progress(true);	/* the learning pass's last line, with its total */
	r->learning = false;
	r->wall_last = 0;
	r->pass_start = rp_wall_now();
	if (r->evsp)
		r->evs_tr = tr;		/* its events are kept: their strings too */
	else
		sim_trace_close(tr);
	r->tr = NULL;
	r->nr_events = 0;
	/* the reader's strings are gone: forget what pointed into them */
	sim_ptrmap_free(&r->learn);
	oom = rp_infer_learned(r) != 0;
	sim_ptrmap_free(&r->sym_memo);
	sim_ptrmap_free(&r->cache_memo);
	r->pass1_wall_s = rp_wall_now() - t;
	if (rc < 0)
		return -rc;
	if (oom)
		goto oom_closed;
	rc = rp_boot_learned(r);
	if (rc)
		return rc;
	for (int i = 0; i < r->nr_sites; i++)
		if (rp_site_resolve(i, true) < 0)
			goto oom_closed;
	rp_sites_reclaim();
	r->learned = true;
	r->msg_more = false;		/* replay_buckets.c: the replay pass starts afresh */
	return 0;
oom:
	free(pend);
	sim_trace_prefetch_stop(r->pf);
	r->pf = NULL;
	sim_trace_evspool_free(r->evsp);
	r->evsp = NULL;
	sim_trace_close(tr);
	r->tr = NULL;
oom_closed:
	fprintf(r->err, "kmemsim: replay: out of memory\n");
	return SIM_EFAIL;
}
