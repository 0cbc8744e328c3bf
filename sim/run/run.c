/*
 * run.c - the run driver: scenario -> machine -> workload -> database.
 *
 * Main entry: sim_run.  The order of a run:
 *
 *   scenario (file, memory or default; --seed, --allocator) -> sim_engine_create
 *     -> sim_db_open + run row -> buddy_init (with slub/slab: up to kmem_cache_init,
 *        the zones on their boot pagesets) -> slab tables and sinks
 *     -> slab_common_init (slub/slab), then setup_per_cpu_pageset, the initcalls
 *        and the sysctl writes (sim_scenario_slab_init) -> scenario caches and tunables
 *     -> op sink (count -> periodic work -> database row)
 *     -> workload tasks -> schedule replay / record -> sim_engine_run
 *     -> final invariant checks -> final snapshot, zones, engine, sigs,
 *        summary rows -> sim_db_close(keep) -> summary table on `out`
 *
 * Periodic work rides on the op sink, so it follows simulated time and the
 * operation count only, never the wall clock: a buddyinfo snapshot each time
 * an operation ends past the next multiple of snapshot_interval_ns, and an
 * invariant check after every check_every operations.  A check must not see
 * another vCPU half-way through an operation (a block off the free list, not
 * yet on the pcp list), so a due check runs at the first operation end at
 * which no task has an operation in flight, or, since with busy vCPUs that
 * moment may never come, when the drivers' tasks reach sim_run_checkpoint
 * between operations: there they are held (yielding) until every task is
 * out of its operation.  So checks change the interleaving, deterministically;
 * with check_every = 0 a run is as if they did not exist.
 *
 * A race scenario (a "race" section) also runs in race mode (sim/run/races.h):
 * every ended operation goes to the live tracker, its checks never hold a
 * task back, a deadlock is a violation, and with a database the steps table
 * is written.  A chooser (opts.chooser, or a forced schedule given with
 * --schedule) puts the run in exploration mode (sim/engine/schedule.h).
 *
 * A violation is a result: it is logged, the engine is stopped, the database
 * is kept and the status is SIM_EFAIL.  Any other failure deletes the
 * temporary database, so a good one from an earlier run stays where it was.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "run.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "report.h"
#include "../scenario/scenario.h"
#include "workload.h"
#include "../../models/buddy/buddy.h"
#include "races.h"
#include "../../models/slab_common/slab_common.h"
#include "../../models/slub/slub.h"
#include "../../models/slab/slab.h"

#define RUN_MAX_VIOLATION_LINES 100	/* per check; more are counted, not logged */
#define RUN_GATE_POLL_NS 100		/* a task held at a checkpoint yields this much at a time */

/* Everything the op sink needs; one per run. */
struct run_state {
	const struct sim_scenario *sc;
	const struct sim_run_opts *o;
	struct sim_db *db;		/* NULL: no database */
	struct sim_report *rep;
	bool log_ops;			/* one row per operation */
	bool log_counts;		/* --log aggregate: operations counted into op_counts */
	uint64_t snap_interval_ns;	/* 0: final snapshot only */
	uint64_t next_snap_ns;		/* next periodic snapshot boundary */
	uint64_t check_every;		/* 0: final check only */
	uint64_t ops_since_check;
	bool check_due;			/* waiting for a quiet moment */
	bool stopped;			/* we stopped the engine (violation) */
	uint64_t nr_violations;
	uint64_t nr_checks;		/* invariant checks run (periodic and final) */
	bool db_failed;			/* a snapshot or violation row could not be written */
	bool races;			/* race mode (sim/run/races.h): a race scenario */
	FILE *err;
};

/* The run in progress, for sim_run_checkpoint (one engine per process). */
static struct run_state *run_current;

static double run_clock_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double run_wall_now(void)
{
	return run_clock_now(CLOCK_MONOTONIC);
}

/* Simulated time of the run: the furthest vCPU clock. */
static uint64_t run_sim_ns(void)
{
	uint64_t ns = 0;

	for (int c = 0; c < sim->nr_cpus; c++)
		if (sim->vcpu[c].clock_ns > ns)
			ns = sim->vcpu[c].clock_ns;
	return ns;
}

/* ------------------------------------------------------- slab allocators */

static const char *run_cache_name(int id)
{
	struct slab_cache_info info;
	struct kmem_cache *s = slab_cache(id);

	if (!s || !slab_current())
		return NULL;
	slab_current()->info(s, &info);
	return info.name;
}

/* The boot parameters of both allocators, from the scenario (they outlive a run: set them all). */
static void run_slab_params(const struct sim_scenario *sc)
{
	struct slub_params p;

	slub_params_default(&p);
	p.min_order = sc->slub_min_order;
	p.max_order = sc->slub_max_order;
	p.min_objects = sc->slub_min_objects;
	p.freelist_random = sc->slub_freelist_random;
	p.freelist_hardened = sc->slub_freelist_hardened;
	p.debug = sc->slub_debug;
	p.cpu_partial = sc->slub_cpu_partial;
	slub_set_params(&p);
	slab_set_boot_params(sc->slab_max_order, sc->slab_noaliencache, sc->slab_freelist_random);
	slab_set_debug(sc->slab_debug);
	slab_set_reaper(sc->slab_reaper);
	slab_nomerge = sc->slab_nomerge;
}

/*
 * Per-cache tunables (slub.tune, slab.tune): written after boot to the caches that exist then,
 * and to a cache a replay creates later as it is created (slab_cache_created), by name.
 */
static struct {
	const struct sim_scenario *sc;
	bool applied[SIM_MAX_TUNES];
	FILE *err;
} run_tunes;

/* Write tune i of the allocator in use to cache s; 0, or SIM_EBADINPUT after one line. */
static int run_tune_apply(const struct sim_scenario *sc, int i, struct kmem_cache *s, FILE *err)
{
	char path[64];

	if (sc->allocator == SIM_ALLOC_SLUB) {
		const struct sim_tune_cfg *t = &sc->slub_tune[i];

		if (t->min_partial_set)
			slub_store_min_partial(s, t->min_partial);
		if (t->cpu_partial_set && slub_store_cpu_partial(s, t->cpu_partial)) {
			snprintf(path, sizeof(path), "slub.tune[%d].cpu_partial", i);
			return sim_scenario_error(sc, path, err, "%s has no per-CPU partial lists", t->cache);
		}
		return 0;
	}
	snprintf(path, sizeof(path), "slab.tune[%d].cache", i);
	if (slab_tune_cache(sc->slab_tune[i].cache, sc->slab_tune[i].limit, sc->slab_tune[i].batchcount,
			    sc->slab_tune[i].shared))
		return sim_scenario_error(sc, path, err, "no cache \"%s\" to tune", sc->slab_tune[i].cache);
	return 0;
}

static int run_nr_tunes(const struct sim_scenario *sc)
{
	return sc->allocator == SIM_ALLOC_SLUB ? sc->nr_slub_tunes :
	       sc->allocator == SIM_ALLOC_SLAB ? sc->nr_slab_tunes : 0;
}

static const char *run_tune_cache(const struct sim_scenario *sc, int i)
{
	return sc->allocator == SIM_ALLOC_SLUB ? sc->slub_tune[i].cache : sc->slab_tune[i].cache;
}

/* slab_cache_created: the tunables waiting for a cache of this name (a bad one is said, not fatal). */
static void run_tune_created(struct kmem_cache *s, const char *name)
{
	const struct sim_scenario *sc = run_tunes.sc;

	for (int i = 0; sc && i < run_nr_tunes(sc); i++)
		if (!run_tunes.applied[i] && !strcmp(run_tune_cache(sc, i), name)) {
			run_tunes.applied[i] = true;
			run_tune_apply(sc, i, s, run_tunes.err);
		}
}

/* After the run: tunables whose cache never appeared are said on err. */
static void run_tunes_end(void)
{
	const struct sim_scenario *sc = run_tunes.sc;
	char path[64];

	for (int i = 0; sc && i < run_nr_tunes(sc); i++)
		if (!run_tunes.applied[i]) {
			snprintf(path, sizeof(path), "%s.tune[%d].cache", sc->allocator == SIM_ALLOC_SLUB ? "slub" : "slab", i);
			fprintf(run_tunes.err, "kmemsim: warning: ");
			sim_scenario_error(sc, path, run_tunes.err, "no cache \"%s\" was created; not tuned",
					   run_tune_cache(sc, i));
		}
	slab_cache_created = NULL;
	memset(&run_tunes, 0, sizeof(run_tunes));
}

/* After boot: the scenario's caches, then its tunables for the allocator in use; a tunable
 * of a cache that does not exist yet waits for it when a driver (a replay) creates caches. */
static int run_slab_setup(const struct sim_scenario *sc, bool later, FILE *err)
{
	char path[64];

	for (int i = 0; i < sc->nr_caches; i++) {
		const struct sim_cache_cfg *c = &sc->cache[i];

		if (!kmem_cache_create(c->name, c->size, c->align, c->flags, c->ctor)) {
			fprintf(err, "kmemsim: caches[%d]: %s: kmem_cache_create failed\n", i, c->name);
			return SIM_EFAIL;
		}
	}
	memset(&run_tunes, 0, sizeof(run_tunes));
	for (int i = 0; i < run_nr_tunes(sc); i++) {
		struct kmem_cache *s = slab_find_cache(run_tune_cache(sc, i));
		int rc;

		if (!s && later)
			continue;
		snprintf(path, sizeof(path), "%s.tune[%d].cache", sc->allocator == SIM_ALLOC_SLUB ? "slub" : "slab", i);
		if (!s)
			return sim_scenario_error(sc, path, err, "no cache \"%s\" after boot", run_tune_cache(sc, i));
		rc = run_tune_apply(sc, i, s, err);
		if (rc)
			return rc;
		run_tunes.applied[i] = true;
	}
	run_tunes.sc = sc;
	run_tunes.err = err;
	slab_cache_created = run_tune_created;
	return 0;
}

/* Hook: set up SLUB or SLAB on top of the buddy allocator. */
static int run_slab_init(const struct sim_scenario *sc, struct sim_report *rep, bool later, FILE *err)
{
	int rc;

	if (sc->allocator == SIM_ALLOC_BUDDY)
		return 0;
	sim_report_set_cache_name(rep, run_cache_name);
	run_slab_params(sc);
	rc = sim_scenario_slab_init(sc);	/* reports its own errors */
	if (rc)
		return rc;
	return run_slab_setup(sc, later, err);
}

static void run_slab_exit(const struct sim_scenario *sc)
{
	slab_cache_created = NULL;
	memset(&run_tunes, 0, sizeof(run_tunes));
	if (sc->allocator != SIM_ALLOC_BUDDY)
		slab_common_exit();
}

/* ------------------------------------------------------ invariant checks */

/* Log each line of `text` as a violation of `invariant`; count them. */
static void run_log_violations(struct run_state *rs, const char *invariant, char *text,
			       uint64_t ns, uint64_t seq)
{
	int nr_lines = 0;

	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct sim_race_violation *v = rs->o->violation;

		if (v && !v->found) {
			v->found = true;
			snprintf(v->invariant, sizeof(v->invariant), "%s", invariant);
			snprintf(v->detail, sizeof(v->detail), "%s", line);
			v->step = sim_races_step();
			v->seq = seq;
		}
		rs->nr_violations++;
		if (nr_lines++ >= RUN_MAX_VIOLATION_LINES)
			continue;
		if (rs->db) {
			if (sim_db_log_violation(rs->db, ns, seq, invariant, line))
				rs->db_failed = true;
		} else {
			fprintf(rs->err, "kmemsim: invariant %s: %s\n", invariant, line);
		}
	}
}

/* Run one checker, capturing its explanation.  Returns true when consistent. */
static bool run_check_one(struct run_state *rs, const char *invariant, bool (*check)(FILE *why),
			  uint64_t ns, uint64_t seq)
{
	char *text = NULL;
	size_t len = 0;
	FILE *why = open_memstream(&text, &len);
	bool ok;

	if (!why)
		return check(rs->err);
	ok = check(why);
	fclose(why);
	if (!ok) {
		if (!text || !*text) {
			free(text);
			text = strdup("inconsistent (no detail given)");
		}
		if (text)
			run_log_violations(rs, invariant, text, ns, seq);
		else
			rs->nr_violations++;
	}
	free(text);
	return ok;
}

/* Every checker of the allocators in use.  Returns true when all hold. */
static bool run_check(struct run_state *rs, uint64_t ns, uint64_t seq)
{
	bool ok = run_check_one(rs, "buddy_check", buddy_check, ns, seq);

	rs->nr_checks++;
	if (rs->sc->allocator != SIM_ALLOC_BUDDY && slab_current() && slab_current()->check)
		ok &= run_check_one(rs, slab_current()->name, slab_current()->check, ns, seq);
	if (rs->o->extra_check)
		ok &= run_check_one(rs, rs->o->extra_check_name ? rs->o->extra_check_name : "extra",
				    rs->o->extra_check, ns, seq);
	if (rs->races)
		ok &= run_check_one(rs, "balance", sim_races_check, ns, seq);
	return ok;
}

/* No task has an operation in flight (`ending` has just been popped). */
static bool run_quiescent(void)
{
	for (int c = 0; c < sim->nr_cpus; c++) {
		const struct sim_vcpu *v = &sim->vcpu[c];

		if (v->curr && v->curr->op)
			return false;
		for (const struct sim_task *t = v->rq_head; t; t = t->rq_next)
			if (t->op)
				return false;
	}
	return true;
}

/* The due check, at a moment no operation is in flight; a violation stops the run. */
static void run_check_due(struct run_state *rs, uint64_t ns, uint64_t seq)
{
	rs->check_due = false;
	if (!run_check(rs, ns, seq)) {
		rs->stopped = true;
		sim_engine_stop();	/* does not return */
	}
}

void sim_run_checkpoint(void)
{
	struct run_state *rs = run_current;

	if (!rs || !rs->check_due)
		return;
	/* Hold this task until every other one is out of its operation. */
	while (rs->check_due && !rs->stopped) {
		if (run_quiescent()) {
			run_check_due(rs, sim_now(), sim->seq);
			break;
		}
		sim_yield(RUN_GATE_POLL_NS);
	}
}

/* ----------------------------------------------------------- the op sink */

static void run_periodic(struct run_state *rs, const struct sim_op *op)
{
	if (rs->snap_interval_ns && op->end_ns >= rs->next_snap_ns) {
		if (rs->db && (sim_db_log_buddy_snapshot(rs->db, rs->next_snap_ns, false) ||
			       sim_slabdb_snapshot(rs->next_snap_ns, false)))
			rs->db_failed = true;
		rs->next_snap_ns = (op->end_ns / rs->snap_interval_ns + 1) * rs->snap_interval_ns;
	}
	if (rs->check_every && ++rs->ops_since_check >= rs->check_every) {
		rs->check_due = true;
		rs->ops_since_check = 0;
	}
	if (rs->check_due && !rs->stopped && !op->parent_seq && run_quiescent())
		run_check_due(rs, op->end_ns, op->seq);
}

static void run_sink(const struct sim_op *op, void *arg)
{
	struct run_state *rs = arg;

	sim_report_count(rs->rep, op);
	if (rs->o->op_observer)
		rs->o->op_observer(op, rs->o->op_observer_arg);
	if (rs->log_ops) {
		/* The op is the caller's own struct: its counter bumps may move to rows. */
		sim_slabdb_op_end((struct sim_op *)op);
		sim_db_log_op(op, rs->db);
	} else if (rs->log_counts) {
		sim_slabdb_op_end((struct sim_op *)op);	/* as above: ops.stats -> stat_counts */
		sim_db_count_op(op, rs->db);
	}
	if (rs->snap_interval_ns || rs->check_every || rs->check_due)
		run_periodic(rs, op);
	if (rs->races && !rs->stopped) {
		struct sim_race_violation v;

		/* Race mode: the live tracker and its checks; a violation stops the run. */
		if (sim_races_op(op, &v)) {
			run_log_violations(rs, v.invariant, v.detail, op->end_ns, op->seq);
			rs->stopped = true;
			sim_engine_stop();	/* does not return */
		}
	}
}

/* ----------------------------------------------------------------- sim_run */

/* Load the scenario named by opts into a heap copy; *owned when we must free it. */
static int run_scenario(const struct sim_run_opts *o, struct sim_scenario **out, bool *owned, FILE *err)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	int rc = 0;

	*out = NULL;
	*owned = false;
	if (!sc) {
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	if (o->scenario_path || (o->nr_sets && !o->scenario)) {
		/* over the defaults, --set first */
		rc = sim_scenario_load_set(sc, o->scenario_path, o->sets, o->nr_sets, err);
		*owned = true;
	} else if (o->scenario) {
		*sc = *o->scenario;	/* shallow: strings stay the caller's */
	} else {
		sim_scenario_default(sc);
		*owned = true;
	}
	if (rc) {
		sim_scenario_free(sc);
		free(sc);
		return rc;
	}
	if (o->seed_set)
		sc->seed = o->seed;
	if (o->allocator_set)
		sc->allocator = (enum sim_allocator)o->allocator;
	if (o->no_log || o->log_aggregate)
		sc->log_ops = false;	/* so the runs row says what was done */
	rc = sim_scenario_kernel_check(sc, o->cmd ? o->cmd : "kmemsim run", err);	/* --allocator slab on 6.12 */
	if (rc) {
		if (*owned)
			sim_scenario_free(sc);
		free(sc);
		return rc;
	}
	*out = sc;
	return 0;
}

/* Final rows of a run; 0 or -1. */
static int run_log_final(struct run_state *rs, uint64_t sim_ns, double wall_s)
{
	struct sim_db *db = rs->db;

	if (sim_db_log_buddy_snapshot(db, sim_ns, true) || sim_slabdb_final(sim_ns) || sim_db_log_zones(db) || sim_db_log_vmstat(db) ||
	    sim_db_log_engine(db) || sim_db_log_sigs(db) ||
	    sim_db_log_summary(db, sim_ns, wall_s, sim_report_nr_ops(rs->rep)))
		return -1;
	return rs->db_failed ? -1 : 0;
}

int sim_run(const struct sim_run_opts *o, FILE *out, FILE *err)
{
	struct run_state rs = { .o = o, .err = err };
	struct sim_scenario *sc = NULL;
	struct sim_engine *e = NULL;
	struct sim_workload *wl = NULL;
	struct sim_workload_stats wst = { 0 };
	struct sim_chooser *forced = NULL;	/* replaying a forced schedule (sim/explore/explore.h) */
	bool owned = false, buddy_up = false, slab_up = false, slabdb_up = false, finished = false;
	double wall_s = 0, cpu_s = 0, wall0 = 0, proc0 = 0, end_wall_s = 0, end_cpu_s = 0;
	uint64_t sim_ns = 0;
	char *sched_tmp = NULL;		/* the schedule being recorded (--schedule-out) */
	int rc, erc;

	rc = run_scenario(o, &sc, &owned, err);
	if (rc)
		return rc;
	rs.sc = sc;
	rs.log_ops = sc->log_ops && !o->no_log && o->db_path;
	rs.log_counts = o->log_aggregate && !o->no_log && o->db_path;
	rs.snap_interval_ns = o->db_path ? sc->snapshot_interval_ns : 0;
	rs.next_snap_ns = rs.snap_interval_ns;
	rs.check_every = sc->check_every;
	rs.rep = sim_report_create();
	if (!rs.rep) {
		fprintf(err, "kmemsim: out of memory\n");
		rc = SIM_EFAIL;
		goto done;
	}

	sim_path_reset();
	e = sim_scenario_engine_create(sc);
	if (!e) {
		fprintf(err, "kmemsim: cannot create the engine\n");
		rc = SIM_EFAIL;
		goto done;
	}
	if (o->db_path) {
		rs.db = sim_db_open(o->db_path, err);
		if (!rs.db) {
			rc = SIM_EFAIL;
			goto done;
		}
		if (sim_db_log_run(rs.db, sc, KMEMSIM_VERSION) ||	/* the database said why */
		    (rs.log_counts && sim_db_count_ops(rs.db))) {
			rc = SIM_EFAIL;
			goto done;
		}
	}
	rc = sim_scenario_buddy_init(sc);
	if (rc) {
		if (rc != SIM_EBADINPUT)
			fprintf(err, "kmemsim: buddy allocator: initialisation failed\n");
		rc = rc == SIM_EBADINPUT ? SIM_EBADINPUT : SIM_EFAIL;
		goto done;
	}
	buddy_up = true;
	if (rs.db && sim_slabdb_start(rs.db, sc, rs.log_ops || rs.log_counts)) {
		rc = SIM_EFAIL;
		goto done;
	}
	if (rs.db && rs.log_counts)
		sim_slabdb_no_events();
	slabdb_up = true;
	rc = run_slab_init(sc, rs.rep, o->driver_start != NULL, err);
	slab_up = sc->allocator != SIM_ALLOC_BUDDY;	/* torn down even when half set up */
	if (rc) {
		rc = rc == SIM_EBADINPUT ? SIM_EBADINPUT : SIM_EFAIL;
		goto done;
	}
	if (rs.db && sim_slabdb_baseline()) {
		rc = SIM_EFAIL;
		goto done;
	}

	sim_path_set_sink(run_sink, &rs);
	run_current = &rs;

	if (sim_races_wanted(sc)) {
		rc = sim_races_begin(sc, rs.db, err);
		if (rc)
			goto done;
		rs.races = true;
	}
	rc = o->driver_start ? o->driver_start(o->driver_arg, rs.db, err) : sim_workload_create(sc, &wl, err);
	if (rc)
		goto done;
	if (o->schedule_in) {
		/* A forced schedule from `kmemsim explore`, or a recorded one. */
		rc = sim_forced_open(o->schedule_in, &forced, err);
		if (rc == 1)
			rc = sim_schedule_replay(o->schedule_in, err) ? SIM_EBADINPUT : 0;
		if (rc)
			goto done;
	}
	if (o->chooser)
		sim_chooser_install(o->chooser);
	if (o->schedule_out) {
		/* Recorded under a temporary name, renamed over schedule_out when the run finished. */
		sched_tmp = sim_out_tmp_name(o->schedule_out);
		if (sched_tmp) {
			unlink(sched_tmp);
			sim_out_track(sched_tmp);
		}
		if (!sched_tmp || sim_schedule_record(sched_tmp)) {
			fprintf(err, "kmemsim: %s: cannot record the schedule there\n", o->schedule_out);
			rc = SIM_EFAIL;
			goto done;
		}
	}

	wall_s = wall0 = run_wall_now();
	proc0 = run_clock_now(CLOCK_PROCESS_CPUTIME_ID);
	cpu_s = run_clock_now(CLOCK_THREAD_CPUTIME_ID);
	erc = sim_engine_run();
	cpu_s = run_clock_now(CLOCK_THREAD_CPUTIME_ID) - cpu_s;
	wall_s = run_wall_now() - wall_s;
	sim_ns = run_sim_ns();
	sim_workload_stats(wl, &wst);
	if (erc && !rs.stopped && rs.races && sim->fail_reason[0]) {
		/* Race mode: a deadlock is a finding like any violation. */
		char reason[sizeof(sim->fail_reason)];

		memcpy(reason, sim->fail_reason, sizeof(reason));
		run_log_violations(&rs, "deadlock", reason, sim_ns, sim->seq);
		rs.stopped = true;
	}
	if (erc && !rs.stopped) {
		/* A diverged replay has said so on stderr already. */
		if (sim->fail_reason[0])
			fprintf(err, "kmemsim: the run stopped at %llu ns: %s\n",
				(unsigned long long)sim_ns, sim->fail_reason);
		else if (!sim->sched_diverged)
			fprintf(err, "kmemsim: the run stopped early at %llu ns\n",
				(unsigned long long)sim_ns);
		rc = SIM_EFAIL;
		goto done;
	}
	/* After a stop, tasks are frozen mid-operation: checking again would
	 * only repeat the violation in other words. */
	if (!rs.stopped)
		run_check(&rs, sim_ns, sim->seq);
	if (rs.races && sim_races_end())
		rs.db_failed = true;	/* the steps table is incomplete */
	run_tunes_end();
	if (o->driver_finish && o->driver_finish(o->driver_arg, rs.db))
		rs.db_failed = true;	/* its tables are incomplete */
	if (rs.db && run_log_final(&rs, sim_ns, wall_s)) {
		if (!sim_db_failed(rs.db))	/* else the database said why, once */
			fprintf(err, "kmemsim: %s: cannot write the results\n", o->db_path);
		rc = SIM_EFAIL;
		goto done;
	}
	if (rs.db)
		sim_db_failed(rs.db);	/* waits for the db writer: the rows are all in */
	end_wall_s = run_wall_now() - wall0;
	end_cpu_s = run_clock_now(CLOCK_PROCESS_CPUTIME_ID) - proc0;
	finished = true;
	rc = rs.nr_violations ? SIM_EFAIL : 0;
	if (rs.nr_violations)
		fprintf(err, "kmemsim: %llu invariant violation%s%s\n",
			(unsigned long long)rs.nr_violations, rs.nr_violations == 1 ? "" : "s",
			rs.db ? " (see table violations)" : "");

done:
	sim_path_set_sink(NULL, NULL);
	run_current = NULL;
	sim_races_end();
	if (forced)
		sim_forced_close(forced, err);
	if (rs.db) {
		/* Keep a finished run, violations and all; drop anything else. */
		bool keep = finished;

		if (sim_db_close(rs.db, keep, err) && keep) {
			rc = SIM_EFAIL;
			finished = false;
		}
		rs.db = NULL;
	}
	if (o->stats) {
		o->stats->nr_ops = rs.rep ? sim_report_nr_ops(rs.rep) : 0;
		o->stats->sim_ns = sim_ns;
		o->stats->wall_s = wall_s;
		o->stats->cpu_s = cpu_s;
		o->stats->end_wall_s = end_wall_s;
		o->stats->end_cpu_s = end_cpu_s;
		o->stats->nr_violations = rs.nr_violations;
		o->stats->nr_checks = rs.nr_checks;
		o->stats->nr_switches = e ? e->nr_switches : 0;
		o->stats->nr_yields = e ? e->nr_yields : 0;
		o->stats->wl = wst;
	}
	if (finished && !o->quiet) {
		struct sim_report_run info = {
			.scenario = sc->name, .allocator = sim_allocator_name(sc->allocator),
			.kernel = sim_kernel_name(sim_scenario_kernel(sc)),
			.seed = sc->seed, .nr_cpus = e->nr_cpus, .nr_nodes = e->nr_nodes,
			.sim_ns = sim_ns, .wall_s = wall_s, .nr_violations = rs.nr_violations,
			.nr_live = wst.nr_live, .db_path = o->db_path, .log_ops = rs.log_ops,
			.log_counts = rs.log_counts,
		};
		sim_report_print(rs.rep, &info, out);
		sim_memory_report(out);
	}
	if (slabdb_up)
		sim_slabdb_stop();
	if (slab_up)
		run_slab_exit(sc);
	if (buddy_up)
		buddy_exit();
	sim_workload_destroy(wl);
	if (e)
		sim_engine_destroy(e);	/* closes the recorded schedule */
	if (sched_tmp) {
		if (finished && rename(sched_tmp, o->schedule_out)) {
			fprintf(err, "kmemsim: %s: cannot rename %s over it: %s\n", o->schedule_out, sched_tmp,
				strerror(errno));
			rc = SIM_EFAIL;
		}
		unlink(sched_tmp);
		sim_out_forget(sched_tmp);
		free(sched_tmp);
	}
	sim_report_destroy(rs.rep);
	if (owned)
		sim_scenario_free(sc);
	free(sc);
	return rc;
}
