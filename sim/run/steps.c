/*
 * steps.c - the steps table (sim/run/steps.h): the engine's step hook writes one
 * row per yield point, with what each watched piece of shared state became.
 *
 * A row describes a yield point: which vCPU reached it, in which context and
 * task, inside which operation and after which label of it (the label names
 * the model function: "___slab_alloc:new_slab"), charging which primitive's
 * cost.  What the scheduler did right after it (the vCPU or interrupt that
 * ran next, and whether the schedule forced that) is known only at the next
 * yield point, so each row is held back by one and written with that
 * filled in.  The column func is the function that called the yield
 * point's primitive (the engine's yield_func: kernel.h notes __func__), label
 * the operation's latest label (PATH_LABEL or PATH_AT).
 *
 * Watches are evaluated whenever the code that runs changes (at every yield
 * point, and when the code of an earlier yield point goes on after an
 * interrupt or another vCPU ran: the engine's resume hook) and written only
 * when their text changed, at the step whose code made the change: a row of
 * `watch` at step s is what the primitive of step s (a cmpxchg acts after its
 * yield) and the code after it, up to that code's next yield point, left
 * behind.  So an interrupt taken at step s and the rest of step s's code
 * show their changes at their own steps.
 *
 * Reads: the engine's read hook (READ_ONCE, SIM_READ and the compare of a cmpxchg, which
 * notes the values it expects) gives the address read; when it is a field of a watched line
 * (models/watch.h: *_watch_field), a row of `reads` (step, line, field, value as the line's
 * text shows it; for a compare the value expected and the value there now), numbered in the
 * same order as the watch rows.  Nothing is read or written for other runs: the hook is
 * NULL there.
 *
 * Only sim_run's race mode with a database writes it; the cost is a few
 * snprintf calls and two inserts per yield point.
 */
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "races.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../../models/slab_common/slab_common.h"
#include "../../models/buddy/buddy.h"
#include "../../models/watch.h"

#define STEPS_VALUE_MAX 320		/* bytes of one watched value */

static const char *const cost_names[SIM_NR_COSTS] = {
	"lock", "lock_spin", "irq", "preempt", "percpu", "mem", "cmpxchg", "cmpxchg_double",
	"irq_entry", "ctx_switch", "page_op", "obj_op",
};
static const char *const op_kind_names[SIM_NR_OP_KINDS] = { "page_alloc", "page_free", "obj_alloc", "obj_free" };

/* One watched line: a watch of the scenario on one CPU or node. */
struct channel {
	char name[80];			/* "slub kmalloc-64 cpu0" */
	int kind;			/* enum sim_watch_kind */
	struct kmem_cache *s;
	int cpu, nid, zid;		/* cpu >= 0: a CPU's line, else node nid's */
	char last[STEPS_VALUE_MAX];
};

/* The row of the last yield point, written once we know what came next. */
struct pending {
	bool valid;
	uint64_t step, time_ns, op_seq, decision, cost_ns;
	int cpu, task, irqs_off, preempt_count, hardirq, softirq, cost;
	int op_kind;			/* -1 = no operation */
	bool has_decision;
	uint16_t label;			/* 0 = none */
	const char *func;		/* caller of the primitive, NULL = unknown */
	int nr_taken;			/* forced switches taken when it was built */
};

struct steps {
	struct sim_db *db;
	struct sim_db_stmt *ins_step, *ins_watch, *ins_forced, *ins_name, *ins_read, *ins_broken;
	char broken[96];		/* the state invariants broken after the last code that ran */
	struct channel *ch;
	int nr_ch;
	struct pending prev;
	uint64_t cur_step;		/* the step whose code runs now (watch changes go to it) */
	uint64_t nr_watch;		/* watch and reads rows written: their order (column seq) */
	bool failed;
};

static struct steps *cur;

static const char *context_name(int hardirq, int softirq, int task)
{
	if (hardirq)
		return "hardirq";
	if (softirq)
		return "softirq";
	return task == 0 ? "idle" : "task";
}

/* Write the held-back row, now that `next` (what ran after it) is known. */
static void flush_row(struct steps *s, const struct pending *p, const char *next, bool forced)
{
	struct sim_db_stmt *st = s->ins_step;
	char func[64] = "";
	const char *label = p->label ? sim_path_label_name(p->label) : NULL;
	int b = 0;

	if (p->func) {
		snprintf(func, sizeof(func), "%s", watch_kernel_func(p->func));
	} else if (label) {
		size_t n = strcspn(label, ":");

		snprintf(func, sizeof(func), "%.*s", (int)(n < sizeof(func) - 1 ? n : sizeof(func) - 1), label);
	}
	b |= sim_db_bind_int64(st, 1, (int64_t)p->step);
	b |= sim_db_bind_int64(st, 2, (int64_t)p->time_ns);
	b |= sim_db_bind_int64(st, 3, p->cpu);
	b |= sim_db_bind_text(st, 4, context_name(p->hardirq, p->softirq, p->task));
	b |= sim_db_bind_int64(st, 5, p->task);
	b |= sim_db_bind_int64(st, 6, p->irqs_off);
	b |= sim_db_bind_int64(st, 7, p->preempt_count);
	if (p->op_kind >= 0) {
		b |= sim_db_bind_int64(st, 8, (int64_t)p->op_seq);
		b |= sim_db_bind_text(st, 9, op_kind_names[p->op_kind]);
	} else {
		b |= sim_db_bind_null(st, 8);
		b |= sim_db_bind_null(st, 9);
	}
	b |= func[0] ? sim_db_bind_text(st, 10, func) : sim_db_bind_null(st, 10);
	b |= sim_db_bind_text(st, 11, label);
	b |= p->cost >= 0 ? sim_db_bind_text(st, 12, cost_names[p->cost]) : sim_db_bind_null(st, 12);
	b |= sim_db_bind_int64(st, 13, (int64_t)p->cost_ns);
	b |= p->has_decision ? sim_db_bind_int64(st, 14, (int64_t)p->decision) : sim_db_bind_null(st, 14);
	b |= sim_db_bind_text(st, 15, next);
	b |= sim_db_bind_int64(st, 16, forced);
	if (b || sim_db_step(st) < 0)
		s->failed = true;
}

static void watch_value(const struct channel *c, char *buf, size_t size)
{
	switch (c->kind) {
	case SIM_WATCH_SLUB:
		if (c->cpu >= 0)
			slub_watch_cpu(c->s, c->cpu, buf, size);
		else
			slub_watch_node(c->s, c->nid, buf, size);
		return;
	case SIM_WATCH_SLAB:
		if (c->cpu >= 0)
			slab_watch_cpu(c->s, c->cpu, buf, size);
		else
			slab_watch_node(c->s, c->nid, buf, size);
		return;
	case SIM_WATCH_PCP:
		buddy_watch_pcp(c->nid, c->zid, c->cpu, buf, size);
		return;
	}
}

/* The field of channel c at addr: its key and `value` as the channel's text shows it. */
static bool channel_field(const struct channel *c, const void *addr, uint64_t value, char *key, size_t ksize,
			  char *val, size_t vsize)
{
	switch (c->kind) {
	case SIM_WATCH_SLUB:
		return slub_watch_field(c->s, c->cpu, c->nid, addr, value, key, ksize, val, vsize);
	case SIM_WATCH_SLAB:
		return slab_watch_field(c->s, c->cpu, c->nid, addr, value, key, ksize, val, vsize);
	case SIM_WATCH_PCP:
		return buddy_watch_pcp_field(c->nid, c->zid, c->cpu, addr, value, key, ksize, val, vsize);
	}
	return false;
}

/* Write the channels whose text changed, at `step`. */
static void watch_changes(struct steps *s, uint64_t step)
{
	char value[STEPS_VALUE_MAX];

	for (int i = 0; i < s->nr_ch; i++) {
		struct channel *c = &s->ch[i];
		int b = 0;

		watch_value(c, value, sizeof(value));
		if (!strcmp(value, c->last))
			continue;
		memcpy(c->last, value, sizeof(value));
		b |= sim_db_bind_int64(s->ins_watch, 1, (int64_t)step);
		b |= sim_db_bind_text(s->ins_watch, 2, c->name);
		b |= sim_db_bind_text(s->ins_watch, 3, value);
		b |= sim_db_bind_int64(s->ins_watch, 4, (int64_t)++s->nr_watch);
		if (b || sim_db_step(s->ins_watch) < 0)
			s->failed = true;
	}
}

static void watch_changes(struct steps *s, uint64_t step);

/*
 * After the code of `step` ran: its watch changes, and the state invariants checked (the
 * race's checkers, sim_races_broken_now); a row of `broken` when the set that fails changed.
 * Checks in the middle of an operation may fail for a moment; what the story wants is the
 * step from which they fail up to the violation (docs/story.md).
 */
static void after_code(struct steps *s, uint64_t step)
{
	char now[sizeof(s->broken)];
	int b = 0;

	watch_changes(s, step);
	sim_races_broken_now(now, sizeof(now));
	if (!strcmp(now, s->broken))
		return;
	memcpy(s->broken, now, sizeof(now));
	b |= sim_db_bind_int64(s->ins_broken, 1, (int64_t)step);
	b |= sim_db_bind_text(s->ins_broken, 2, now);
	b |= sim_db_bind_int64(s->ins_broken, 3, (int64_t)++s->nr_watch);
	if (b || sim_db_step(s->ins_broken) < 0)
		s->failed = true;
}

/*
 * The engine's read hook: model code read (or a compare-and-set expects) the word at addr.
 * When it is a field of a watched line, a row of `reads` at the step whose code runs, after
 * the changes that code made before it (so that seq orders reads and changes as they came).
 */
static void steps_read(const void *addr, size_t size, const uint64_t *expected, void *arg)
{
	struct steps *s = arg;
	uint64_t now = 0;
	char key[48], val[80], nowval[80];

	memcpy(&now, addr, size < sizeof(now) ? size : sizeof(now));
	for (int i = 0; i < s->nr_ch; i++) {
		struct channel *c = &s->ch[i];
		int b = 0;

		if (!channel_field(c, addr, expected ? *expected : now, key, sizeof(key), val, sizeof(val)))
			continue;
		if (expected)
			channel_field(c, addr, now, key, sizeof(key), nowval, sizeof(nowval));
		watch_changes(s, s->cur_step);
		b |= sim_db_bind_int64(s->ins_read, 1, (int64_t)s->cur_step);
		b |= sim_db_bind_text(s->ins_read, 2, c->name);
		b |= sim_db_bind_text(s->ins_read, 3, key);
		b |= sim_db_bind_text(s->ins_read, 4, val);
		b |= sim_db_bind_int64(s->ins_read, 5, expected != NULL);
		b |= expected ? sim_db_bind_text(s->ins_read, 6, nowval) : sim_db_bind_null(s->ins_read, 6);
		b |= sim_db_bind_int64(s->ins_read, 7, (int64_t)++s->nr_watch);
		if (b || sim_db_step(s->ins_read) < 0)
			s->failed = true;
		return;
	}
}

/* The engine's step hook: called at every yield point, before anything else happens there. */
static void steps_hook(struct sim_vcpu *v, uint32_t cost_ns, void *arg)
{
	struct steps *s = arg;
	struct sim_chooser *ch = sim->chooser;
	struct sim_task *t = v->curr;
	struct sim_op *op = t ? t->op : NULL;
	struct pending p = {
		.valid = true, .step = sim->nr_yields, .time_ns = v->clock_ns, .cpu = v->cpu,
		.task = t ? t->pid : -1, .irqs_off = v->irqs_disabled, .preempt_count = t ? t->preempt_count : 0,
		.hardirq = v->hardirq, .softirq = v->softirq, .cost = sim->yield_kind, .cost_ns = cost_ns,
		.op_kind = op ? op->kind : -1, .op_seq = op ? op->seq : 0,
		.label = op ? op->at : 0, .func = sim->yield_func,
		.has_decision = ch != NULL, .decision = ch ? ch->steps : 0, .nr_taken = ch ? ch->taken.nr : 0,
	};

	if (s->prev.valid) {
		char next[32];
		const char *nx = NULL;
		bool forced = ch && p.nr_taken > s->prev.nr_taken;

		if (p.cpu != s->prev.cpu) {
			snprintf(next, sizeof(next), "cpu %d", p.cpu);
			nx = next;
		} else if (p.hardirq > s->prev.hardirq) {
			snprintf(next, sizeof(next), "irq %d", p.cpu);
			nx = next;
		}
		flush_row(s, &s->prev, nx, forced);
		for (int i = s->prev.nr_taken; forced && i < p.nr_taken; i++) {
			const struct sim_forced *f = &ch->taken.f[i];
			char choice[32];
			int b = 0;

			if (f->choice >= SIM_CHOICE_IRQ)
				snprintf(choice, sizeof(choice), "irq %d", f->choice - SIM_CHOICE_IRQ);
			else
				snprintf(choice, sizeof(choice), "cpu %d", f->choice);
			b |= sim_db_bind_int64(s->ins_forced, 1, (int64_t)f->step);
			b |= sim_db_bind_text(s->ins_forced, 2, choice);
			b |= sim_db_bind_int64(s->ins_forced, 3, (int64_t)s->prev.step);
			if (b || sim_db_step(s->ins_forced) < 0)
				s->failed = true;
		}
	}
	s->prev = p;
	after_code(s, s->cur_step);	/* what the code since the last change of code did */
	s->cur_step = p.step;
}

/* The engine's resume hook: the code of yield point `step` goes on. */
static void steps_resume(uint64_t step, void *arg)
{
	struct steps *s = arg;

	if (step == s->cur_step)
		return;		/* nothing else ran in between */
	after_code(s, s->cur_step);
	s->cur_step = step;
}

/* ---------------------------------------------------------------- set-up */

static const char steps_schema[] =
	"CREATE TABLE steps (step INTEGER PRIMARY KEY, time_ns INTEGER, cpu INTEGER, context TEXT,"
	" task INTEGER, irqs_off INTEGER, preempt_count INTEGER, op_seq INTEGER, op_kind TEXT, func TEXT,"
	" label TEXT, cost TEXT, cost_ns INTEGER, decision INTEGER, next TEXT, forced INTEGER);\n"
	"CREATE TABLE watch (step INTEGER, name TEXT, value TEXT, seq INTEGER);\n"
	"CREATE TABLE forced (decision INTEGER, choice TEXT, step INTEGER);\n"
	"CREATE TABLE names (op_seq INTEGER PRIMARY KEY, name TEXT);\n"
	"CREATE TABLE reads (step INTEGER, name TEXT, field TEXT, value TEXT, expected INTEGER, now TEXT,"
	" seq INTEGER);\n"
	"CREATE TABLE broken (step INTEGER, invariants TEXT, seq INTEGER);\n";

static const char steps_views[] =
	"CREATE INDEX watch_step ON watch (step);\n"
	"CREATE VIEW story AS SELECT s.step, s.cpu, s.context, s.task, s.op_seq, s.op_kind, s.label, s.cost, s.next,"
	" s.forced, (SELECT group_concat(w.name || ': ' || w.value, char(10)) FROM watch w"
	" WHERE w.step = s.step) AS changed FROM steps s;\n";

static int add_channel(struct steps *s, const struct sim_watch_cfg *w, struct kmem_cache *cache, int cpu,
		       int nid)
{
	struct channel *c;
	static const char *const kinds[] = { "slub", "slab", "pcp" };

	if (!s->ch)
		return 0;	/* checking only (sim_steps_check) */
	c = &s->ch[s->nr_ch++];
	memset(c, 0, sizeof(*c));
	c->kind = w->kind;
	c->s = cache;
	c->cpu = cpu;
	c->nid = nid;
	c->zid = w->zid;
	if (w->kind == SIM_WATCH_PCP)
		snprintf(c->name, sizeof(c->name), "pcp node%d %s cpu%d", nid, buddy_zone_name(w->zid), cpu);
	else if (cpu >= 0)
		snprintf(c->name, sizeof(c->name), "%s %s cpu%d", kinds[w->kind], w->cache, cpu);
	else
		snprintf(c->name, sizeof(c->name), "%s %s node%d", kinds[w->kind], w->cache, nid);
	return 0;
}

/* Channels of every watch of the scenario; 0 or SIM_EBADINPUT. */
static int resolve_watches(struct steps *s, const struct sim_scenario *sc, FILE *err)
{
	const char *alloc = slab_current() ? slab_current()->name : "buddy";
	char key[64];

	for (int i = 0; i < sc->race.nr_watches; i++) {
		const struct sim_watch_cfg *w = &sc->race.watch[i];
		struct kmem_cache *cache = NULL;

		snprintf(key, sizeof(key), "race.watch[%d]", i);
		if (w->kind == SIM_WATCH_PCP) {
			if (w->nid >= buddy_nr_nodes() || !buddy_zone_populated(w->nid, w->zid))
				return sim_scenario_error(sc, key, err, "no zone %s on node %d",
							  buddy_zone_name(w->zid), w->nid);
			for (int cpu = 0; cpu < sim->nr_cpus; cpu++)
				add_channel(s, w, NULL, cpu, w->nid);
			continue;
		}
		if (strcmp(alloc, w->kind == SIM_WATCH_SLUB ? "slub" : "slab"))
			return sim_scenario_error(sc, key, err, "a %s watch needs allocator \"%s\"",
						  w->kind == SIM_WATCH_SLUB ? "slub" : "slab",
						  w->kind == SIM_WATCH_SLUB ? "slub" : "slab");
		cache = slab_find_cache(w->cache);
		if (!cache)
			return sim_scenario_error(sc, key, err, "no cache \"%s\" after boot", w->cache);
		for (int cpu = 0; cpu < sim->nr_cpus; cpu++)
			add_channel(s, w, cache, cpu, -1);
		for (int nid = 0; nid < sim->nr_nodes; nid++)
			add_channel(s, w, cache, -1, nid);
	}
	return 0;
}

void sim_steps_name(uint64_t op_seq, const char *name)
{
	struct steps *s = cur;

	if (!s || !s->ins_name)
		return;
	if (sim_db_bind_int64(s->ins_name, 1, (int64_t)op_seq) || sim_db_bind_text(s->ins_name, 2, name) ||
	    sim_db_step(s->ins_name) < 0)
		s->failed = true;
}

int sim_steps_check(const struct sim_scenario *sc, FILE *err)
{
	struct steps s = { 0 };

	return resolve_watches(&s, sc, err);
}

int sim_steps_begin(const struct sim_scenario *sc, struct sim_db *db, FILE *err)
{
	struct steps *s = calloc(1, sizeof(*s));
	size_t nr_ch = (size_t)sc->race.nr_watches * (size_t)(sim->nr_cpus + sim->nr_nodes) + 1;
	int rc;

	sim_steps_end();
	if (!s || !(s->ch = calloc(nr_ch, sizeof(*s->ch)))) {
		free(s);
		fprintf(err, "kmemsim: steps: out of memory\n");
		return SIM_EFAIL;
	}
	cur = s;
	s->db = db;
	rc = resolve_watches(s, sc, err);
	if (rc)
		goto fail;
	if (sim_db_exec(db, steps_schema) ||
	    !(s->ins_step = sim_db_prepare(db, "INSERT INTO steps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
						" ?10, ?11, ?12, ?13, ?14, ?15, ?16)")) ||
	    !(s->ins_watch = sim_db_prepare(db, "INSERT INTO watch VALUES (?1, ?2, ?3, ?4)")) ||
	    !(s->ins_forced = sim_db_prepare(db, "INSERT INTO forced VALUES (?1, ?2, ?3)")) ||
	    !(s->ins_name = sim_db_prepare(db, "INSERT INTO names VALUES (?1, ?2)")) ||
	    !(s->ins_read = sim_db_prepare(db, "INSERT INTO reads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")) ||
	    !(s->ins_broken = sim_db_prepare(db, "INSERT INTO broken VALUES (?1, ?2, ?3)"))) {
		rc = SIM_EFAIL;
		goto fail;
	}
	watch_changes(s, 0);	/* the state at the start: step 0 */
	sim->step_hook = steps_hook;
	sim->resume_hook = steps_resume;
	sim->read_hook = steps_read;
	sim->step_arg = s;
	return 0;
fail:
	sim_steps_end();
	return rc;
}

int sim_steps_end(void)
{
	struct steps *s = cur;
	int rc = 0;

	if (!s)
		return 0;
	if (sim && sim->step_arg == s) {
		sim->step_hook = NULL;
		sim->resume_hook = NULL;
		sim->read_hook = NULL;
		sim->step_arg = NULL;
	}
	if (s->ins_watch && s->ins_broken)
		after_code(s, s->cur_step);	/* what the code after the last yield point did */
	if (s->prev.valid && s->ins_step)
		flush_row(s, &s->prev, NULL, false);
	if (s->ins_step && sim_db_exec(s->db, steps_views))
		rc = -1;
	if (s->failed)
		rc = -1;
	sim_db_finalize(s->ins_step);
	sim_db_finalize(s->ins_watch);
	sim_db_finalize(s->ins_forced);
	sim_db_finalize(s->ins_name);
	sim_db_finalize(s->ins_read);
	sim_db_finalize(s->ins_broken);
	free(s->ch);
	free(s);
	cur = NULL;
	return rc;
}
