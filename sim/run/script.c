/*
 * script.c - the scripted workload of a race scenario (sim/run/script.h).
 *
 * Main entry: sim_script_create, called from sim_workload_create.  It
 * resolves every cache and name of sc->race once, creates one pinned task
 * per task script and raises one interrupt per interrupt script, so that a
 * run costs only what its few steps cost: race scenarios are explored
 * thousands of times a second.
 *
 * A name ("as" / "ref") is bound to the latest allocation made under it.
 * States of a name:  never allocated --alloc--> live --free--> freed
 *                    (and freed --alloc--> live again)
 * A task's "free" of a name that is not live yet, and its "wait", spin: each
 * turn yields one spin cost with the vCPU marked spinning, so exploration
 * offers it only when nobody else can run, until the step that changes the
 * name clears the mark.  When every unfinished task spins, the spinners
 * sleep until the next interrupt script is due; with none left, the wait
 * cannot end and is skipped.  An interrupt never spins: it skips a step it
 * cannot run.
 *
 * Each step is one operation of the run (sim/engine/path.h), as the synthetic
 * streams' are, so the run's invariants, op rows and steps table see it.
 * Not here: the checks (sim/run/races.c), the steps table (sim/run/steps.c).
 */
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "steps.h"
#include "workload.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab/slab.h"
#include "../../models/slab_common/slab_common.h"

#define SC_PID_BASE 2000		/* task scripts' pids: 2000, 2001, ... */
#define SC_MAX_NAMES (2 * SIM_MAX_SCRIPTS * SIM_MAX_SCRIPT_OPS)
#define SC_MAX_RECORDS (2 * SIM_MAX_SCRIPTS * SIM_MAX_SCRIPT_OPS)

enum sc_name_state { SC_NEVER, SC_LIVE, SC_FREED };

/* One allocation a step made. */
struct sc_record {
	uint64_t handle;		/* object address, or struct page * */
	struct kmem_cache *cache;	/* objects: the cache, NULL for kmalloc */
	unsigned int order;		/* pages: the order */
	bool pages;
	bool live;
};

/* A step with its cache and names resolved. */
struct sc_step {
	const struct sim_script_op *cfg;
	struct kmem_cache *cache;	/* alloc from a cache */
	int as, ref;			/* name indexes, -1 = none */
};

struct sc_task {
	const struct sim_script *cfg;
	struct sc_step step[SIM_MAX_SCRIPT_OPS];
	int cpu;
	bool waiting;			/* spinning in a free or wait */
	int wait_ref, wait_until;	/* what it waits for (wait_until: 0 freed, 1 live) */
	bool reaped;			/* cache_reap: the kworker's pass has ended */
	bool done;
};

struct sc_irq {
	const struct sim_script *cfg;
	struct sc_step step[SIM_MAX_SCRIPT_OPS];
	bool ran;
};

struct script_run {
	const struct sim_scenario *sc;
	gfp_t irq_gfp;
	int nr_names;
	char names[SC_MAX_NAMES][SIM_SCRIPT_NAME_MAX];
	int binding[SC_MAX_NAMES];	/* record of the latest allocation under the name, -1 = none */
	uint8_t state[SC_MAX_NAMES];	/* enum sc_name_state */
	struct sc_record rec[SC_MAX_RECORDS];
	int nr_rec;
	struct sc_task task[SIM_MAX_SCRIPTS];
	int nr_tasks, nr_done;
	struct sc_irq irq[SIM_MAX_SCRIPTS];
	int nr_irqs, nr_irqs_pending;
	struct sim_script_stats st;
};

static struct script_run *cur;		/* the current run's scripts (one engine per process) */

static const char *const sc_kind_names[SIM_NR_SCRIPT_KINDS] = {
	[SIM_SCRIPT_ALLOC] = "alloc", [SIM_SCRIPT_ALLOC_PAGES] = "alloc_pages",
	[SIM_SCRIPT_FREE] = "free", [SIM_SCRIPT_WAIT] = "wait", [SIM_SCRIPT_YIELD] = "yield",
	[SIM_SCRIPT_DRAIN] = "drain_all_pages", [SIM_SCRIPT_CACHE_REAP] = "cache_reap",
};

const char *sim_script_kind_name(int kind)
{
	return kind >= 0 && kind < SIM_NR_SCRIPT_KINDS ? sc_kind_names[kind] : "?";
}

/* ---------------------------------------------------------------- names */

static int sc_name(struct script_run *r, const char *name)
{
	if (!name[0])
		return -1;
	for (int i = 0; i < r->nr_names; i++)
		if (!strcmp(r->names[i], name))
			return i;
	strcpy(r->names[r->nr_names], name);	/* fits: SC_MAX_NAMES covers every as and ref */
	r->binding[r->nr_names] = -1;
	return r->nr_names++;
}

/* A name changed state: tasks waiting for that may run again (exploration offers them). */
static void sc_wake(struct script_run *r, int name)
{
	for (int i = 0; i < r->nr_tasks; i++) {
		struct sc_task *t = &r->task[i];

		if (t->waiting && t->wait_ref == name)
			sim->vcpu[t->cpu].spinning = false;
	}
}

static bool sc_satisfied(const struct script_run *r, int name, int until)
{
	return until ? r->state[name] == SC_LIVE : r->state[name] == SC_FREED;
}

/* ---------------------------------------------------------------- steps */

static gfp_t sc_gfp(const struct script_run *r, const struct sim_script_op *op)
{
	if (op->gfp)
		return op->gfp;
	return sim_context() == SIM_CTX_TASK ? GFP_KERNEL : r->irq_gfp;
}

static void sc_bind(struct script_run *r, int name, struct sc_record rec)
{
	if (r->nr_rec == SC_MAX_RECORDS) {	/* cannot happen: one record per alloc step run */
		r->st.nr_skipped++;
		return;
	}
	rec.live = true;
	r->rec[r->nr_rec] = rec;
	if (name >= 0) {
		r->binding[name] = r->nr_rec;
		r->state[name] = SC_LIVE;
		sc_wake(r, name);
	}
	r->nr_rec++;
}

static void sc_alloc(struct script_run *r, const struct sc_step *s)
{
	const struct sim_script_op *cfg = s->cfg;
	struct sim_op op;
	gfp_t gfp = sc_gfp(r, cfg);

	if (s->as >= 0)
		sim_steps_name(sim->seq + 1, r->names[s->as]);	/* the operation begun next */
	if (cfg->op == SIM_SCRIPT_ALLOC_PAGES) {
		struct page *page = sim_workload_alloc_pages(cfg->nid, gfp, cfg->order,
							     gfp_migratetype(gfp));

		if (!page) {
			r->st.nr_failed++;
			return;
		}
		sc_bind(r, s->as, (struct sc_record){ .handle = (uint64_t)(uintptr_t)page,
						      .order = cfg->order, .pages = true });
		return;
	}
	{
		void *obj;

		sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
		op.gfp = gfp;
		op.size = cfg->size;
		if (s->cache)
			obj = kmem_cache_alloc_node(s->cache, gfp, cfg->nid);
		else
			obj = kmalloc_node(cfg->size, gfp, cfg->nid);
		if (ZERO_OR_NULL_PTR(obj))
			op.failed = true;
		sim_op_end(&op);
		if (ZERO_OR_NULL_PTR(obj)) {
			r->st.nr_failed++;
			return;
		}
		sc_bind(r, s->as, (struct sc_record){ .handle = (uint64_t)(uintptr_t)obj, .cache = s->cache });
	}
}

/* Free record i (live); name is its name or -1 (cleanup of an overwritten binding). */
static void sc_release(struct script_run *r, int i, int name)
{
	struct sc_record *rec = &r->rec[i];
	struct sim_op op;

	rec->live = false;
	if (name >= 0)
		sim_steps_name(sim->seq + 1, r->names[name]);	/* the operation begun next */
	if (name >= 0 && r->binding[name] == i) {
		r->state[name] = SC_FREED;
		sc_wake(r, name);
	}
	if (rec->pages) {
		sim_workload_free_pages((struct page *)(uintptr_t)rec->handle, rec->order);
		return;
	}
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	if (rec->cache)
		kmem_cache_free(rec->cache, (void *)(uintptr_t)rec->handle);
	else
		kfree((void *)(uintptr_t)rec->handle);
	sim_op_end(&op);
}

/* Every unfinished task spins: nothing but an interrupt script can end a wait. */
static bool sc_all_blocked(const struct script_run *r)
{
	for (int i = 0; i < r->nr_tasks; i++)
		if (!r->task[i].done && !r->task[i].waiting)
			return false;
	return true;
}

static uint64_t sc_next_irq_ns(const struct script_run *r)
{
	uint64_t ns = UINT64_MAX;

	for (int i = 0; i < r->nr_irqs; i++)
		if (!r->irq[i].ran && r->irq[i].cfg->at_ns < ns)
			ns = r->irq[i].cfg->at_ns;
	return ns;
}

/* Spin until `name` is freed (until = 0) or live (1).  false: it never will be. */
static bool sc_wait(struct script_run *r, struct sc_task *t, int name, int until)
{
	bool ok = true;

	t->waiting = true;
	t->wait_ref = name;
	t->wait_until = until;
	while (!sc_satisfied(r, name, until)) {
		if (sc_all_blocked(r)) {
			uint64_t ns = sc_next_irq_ns(r);

			if (ns == UINT64_MAX) {
				ok = false;
				break;
			}
			if (ns > sim_now()) {
				sim_task_sleep_until(ns);
				continue;
			}
			/* Due by this vCPU's clock: another vCPU's interrupt, which that vCPU
			 * delivers once it runs.  Spin (exploration runs the others first)
			 * rather than sleep 1 ns at a time on a vCPU it would keep running. */
		}
		sim_cur()->spinning = true;
		sim_yield_cost(SIM_COST_LOCK_SPIN);
		sim_cur()->spinning = false;
	}
	t->waiting = false;
	if (!ok)
		r->st.nr_skipped++;
	return ok;
}

/* The work item of a cache_reap step, on the task's vCPU's kworker: one reaper pass. */
static void sc_reap_work(struct sim_vcpu *v, void *arg)
{
	struct sc_task *t = arg;

	(void)v;
	slab_cache_reap_now();
	t->reaped = true;
}

/*
 * cache_reap: as flush_delayed_work(&per_cpu(slab_reap_work, cpu)) would from a task of that
 * CPU, the reaper's work runs at once on the vCPU's kworker and the task sleeps until it has
 * (1 ns at a time: the kworker, queued first, runs before the task wakes, and a task does not
 * preempt it).  The kworker is a task of the vCPU: exploration can put other vCPUs and this
 * vCPU's interrupts at every yield point of the pass.
 */
static void sc_cache_reap(struct sc_task *t)
{
	t->reaped = false;
	sim_work_queue(t->cpu, sim_now(), sc_reap_work, t);
	while (!t->reaped)
		sim_task_sleep_until(sim_now() + 1);
}

/* Run one step; t == NULL in an interrupt (which never spins). */
static void sc_run_step(struct script_run *r, struct sc_task *t, const struct sc_step *s)
{
	const struct sim_script_op *cfg = s->cfg;

	r->st.nr_steps++;
	if (t && cfg->at_ns > sim_now())
		sim_task_sleep_until(cfg->at_ns);
	switch (cfg->op) {
	case SIM_SCRIPT_ALLOC:
	case SIM_SCRIPT_ALLOC_PAGES:
		sc_alloc(r, s);
		return;
	case SIM_SCRIPT_FREE:
		if (r->state[s->ref] != SC_LIVE && (!t || !sc_wait(r, t, s->ref, 1))) {
			if (!t)
				r->st.nr_skipped++;
			return;
		}
		sc_release(r, r->binding[s->ref], s->ref);
		return;
	case SIM_SCRIPT_WAIT:
		if (!t) {
			r->st.nr_skipped++;
			return;
		}
		sc_wait(r, t, s->ref, cfg->until);
		return;
	case SIM_SCRIPT_YIELD:
		sim_yield(0);
		return;
	case SIM_SCRIPT_DRAIN:
		drain_all_pages();
		return;
	case SIM_SCRIPT_CACHE_REAP:
		if (t)
			sc_cache_reap(t);
		return;
	}
}

/* The last task out: wait for the interrupt scripts, then free what is live. */
static void sc_cleanup(struct script_run *r)
{
	while (r->nr_irqs_pending) {
		uint64_t ns = sc_next_irq_ns(r);

		if (ns == UINT64_MAX) {
			/* Every one left has begun, on another vCPU: spin (offered only when
			 * nobody else can run) until it ends, instead of sleeping for good. */
			sim_cur()->spinning = true;
			sim_yield_cost(SIM_COST_LOCK_SPIN);
			sim_cur()->spinning = false;
			continue;
		}
		sim_task_sleep_until(ns > sim_now() ? ns : sim_now() + 1);
	}
	for (int i = 0; i < r->nr_rec; i++) {
		int name = -1;

		if (!r->rec[i].live)
			continue;
		for (int n = 0; n < r->nr_names; n++)
			if (r->binding[n] == i)
				name = n;
		r->st.nr_cleanup++;
		sc_release(r, i, name);
	}
}

static void sc_task_main(struct sim_task *st, void *arg)
{
	struct sc_task *t = arg;
	struct script_run *r = cur;

	(void)st;
	for (int i = 0; i < t->cfg->nr_ops; i++)
		sc_run_step(r, t, &t->step[i]);
	t->done = true;
	if (++r->nr_done == r->nr_tasks)
		sc_cleanup(r);
}

static void sc_irq_handler(struct sim_vcpu *v, void *arg)
{
	struct sc_irq *q = arg;
	struct script_run *r = cur;

	(void)v;
	q->ran = true;
	for (int i = 0; i < q->cfg->nr_ops; i++)
		sc_run_step(r, NULL, &q->step[i]);
	r->nr_irqs_pending--;
}

/* ---------------------------------------------------------------- set-up */

/* Resolve one script's steps; key is "race.tasks[i]" or "race.irqs[i]". */
static int sc_resolve(struct script_run *r, const struct sim_script *cfg, struct sc_step *steps,
		      const char *key, bool irq, FILE *err)
{
	const struct sim_scenario *sc = r->sc;
	char path[128];

	if (cfg->cpu >= sim->nr_cpus) {
		snprintf(path, sizeof(path), "%s.cpu", key);
		return sim_scenario_error(sc, path, err, "no vCPU %d on a machine of %d", cfg->cpu, sim->nr_cpus);
	}
	for (int i = 0; i < cfg->nr_ops; i++) {
		const struct sim_script_op *op = &cfg->op[i];
		struct sc_step *s = &steps[i];

		s->cfg = op;
		s->cache = NULL;
		s->as = sc_name(r, op->as);
		s->ref = sc_name(r, op->ref);
		snprintf(path, sizeof(path), "%s.ops[%d]", key, i);
		if ((op->op == SIM_SCRIPT_FREE || op->op == SIM_SCRIPT_WAIT) && s->ref < 0)
			return sim_scenario_error(sc, path, err, "a %s needs \"ref\"", sim_script_kind_name(op->op));
		if (op->op == SIM_SCRIPT_ALLOC && sc->allocator == SIM_ALLOC_BUDDY)
			return sim_scenario_error(sc, path, err, "an object alloc needs allocator \"slub\" or \"slab\"");
		if (op->op == SIM_SCRIPT_CACHE_REAP && sc->allocator != SIM_ALLOC_SLAB)
			return sim_scenario_error(sc, path, err, "cache_reap needs allocator \"slab\" (SLAB's reaper)");
		if (irq && op->op == SIM_SCRIPT_CACHE_REAP)
			return sim_scenario_error(sc, path, err, "cache_reap waits for a kworker: a task script's step only");
		if (irq && op->at_ns) {
			snprintf(path, sizeof(path), "%s.ops[%d].at_ns", key, i);
			return sim_scenario_error(sc, path, err, "a task script's key (an interrupt runs its steps at once)");
		}
		if (op->op == SIM_SCRIPT_ALLOC && op->cache[0]) {
			s->cache = slab_find_cache(op->cache);
			if (!s->cache) {
				snprintf(path, sizeof(path), "%s.ops[%d].cache", key, i);
				return sim_scenario_error(sc, path, err, "no cache \"%s\" after boot", op->cache);
			}
		} else if (op->op == SIM_SCRIPT_ALLOC && !op->size) {
			return sim_scenario_error(sc, path, err, "an alloc needs \"cache\" or \"size\"");
		}
		if (op->nid >= sim->nr_nodes) {
			snprintf(path, sizeof(path), "%s.ops[%d].node", key, i);
			return sim_scenario_error(sc, path, err, "no node %d on a machine of %d", op->nid,
						  sim->nr_nodes);
		}
	}
	return 0;
}

int sim_script_create(const struct sim_scenario *sc, FILE *err)
{
	const struct sim_race_cfg *race = &sc->race;
	struct script_run *r;
	char key[64];
	int rc;

	sim_script_destroy();
	if (!race->nr_tasks && !race->nr_irqs)
		return 0;
	if (!race->nr_tasks)
		return sim_scenario_error(sc, "race.irqs", err, "interrupt scripts need a task script (the run ends"
					  " when the tasks do)");
	r = calloc(1, sizeof(*r));
	if (!r) {
		fprintf(err, "kmemsim: race: out of memory\n");
		return SIM_EFAIL;
	}
	cur = r;
	r->sc = sc;
	r->irq_gfp = sc->irq_gfp ? sc->irq_gfp : GFP_ATOMIC;
	for (int i = 0; i < race->nr_tasks; i++) {
		struct sc_task *t = &r->task[i];

		snprintf(key, sizeof(key), "race.tasks[%d]", i);
		t->cfg = &race->task[i];
		t->cpu = t->cfg->cpu;
		rc = sc_resolve(r, t->cfg, t->step, key, false, err);
		if (rc)
			return rc;
	}
	for (int i = 0; i < race->nr_irqs; i++) {
		snprintf(key, sizeof(key), "race.irqs[%d]", i);
		r->irq[i].cfg = &race->irq[i];
		rc = sc_resolve(r, r->irq[i].cfg, r->irq[i].step, key, true, err);
		if (rc)
			return rc;
	}
	r->nr_tasks = race->nr_tasks;
	r->nr_irqs = race->nr_irqs;
	for (int i = 0; i < r->nr_tasks; i++)
		if (!sim_task_create(r->task[i].cpu, true, SC_PID_BASE + i, sc_task_main, &r->task[i]))
			goto oom;
	for (int i = 0; i < r->nr_irqs; i++) {
		r->nr_irqs_pending++;
		sim_irq_raise(r->irq[i].cfg->cpu, r->irq[i].cfg->at_ns, sc_irq_handler, &r->irq[i]);
	}
	return 0;
oom:
	fprintf(err, "kmemsim: race: out of memory\n");
	return SIM_EFAIL;
}

void sim_script_stats(struct sim_script_stats *out)
{
	if (cur)
		*out = cur->st;
	else
		memset(out, 0, sizeof(*out));
}

void sim_script_destroy(void)
{
	free(cur);
	cur = NULL;
}
