/*
 * sched.c - which vCPU runs next, and the schedule file.
 *
 * The policy: the vCPU with the smallest clock runs; a tie between several
 * is a scheduling decision, taken by the seeded PRNG, or read from a
 * schedule file being replayed, and written to one being recorded.  So are
 * migration targets (engine.c).  The schedule file is text:
 *
 *   kmemsim-schedule 1 seed=<seed>
 *   t 2        a tie won by vCPU 2
 *   m 0        a preempted task moved to vCPU 0
 *
 * Scanning every vCPU at each yield is O(nr_cpus); a heap would be
 * O(log n) but loses to the scan below a few dozen vCPUs, which is where
 * most scenarios are.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "schedule.h"

/*
 * Exploration: clocks do not order the vCPUs; every vCPU that is not parked
 * may run next, and the running vCPU may take a pending interrupt now.
 */
static struct sim_vcpu *explore_pick(struct sim_engine *e)
{
	struct sim_vcpu *v = e->cur;

	for (;;) {
		int cands[SIM_MAX_CPUS + 1], n = 0, c;

		/* A vCPU spinning on a lock runs only when nobody else can: it waits for them. */
		for (int i = 0; i < e->nr_cpus; i++)
			if (!e->vcpu[i].parked && !e->vcpu[i].spinning)
				cands[n++] = i;
		if (n == 0)
			for (int i = 0; i < e->nr_cpus; i++)
				if (!e->vcpu[i].parked)
					cands[n++] = i;
		if (e->started && !v->parked && !v->irqs_disabled && v->irqs.nr)
			cands[n++] = SIM_CHOICE_IRQ + v->cpu;
		if (n == 0)
			return NULL;
		c = n == 1 ? cands[0] : cands[sim_chooser_choose(e->chooser, n, cands, v->cpu)];
		if (c < SIM_CHOICE_IRQ)
			return &e->vcpu[c];
		/* Take the earliest pending interrupt now, then decide again. */
		if (v->irqs.heap[0].ns > v->clock_ns)
			v->clock_ns = v->irqs.heap[0].ns;
		sim_irq_deliver(v);
		sim_vcpu_refresh(v);
	}
}

struct sim_vcpu *sim_sched_pick(void)
{
	struct sim_engine *e = sim;
	uint64_t best = UINT64_MAX;
	int cands[SIM_MAX_CPUS], n = 0;

	if (e->chooser)
		return explore_pick(e);

	for (int i = 0; i < e->nr_cpus; i++) {
		const struct sim_vcpu *v = &e->vcpu[i];

		if (v->parked)
			continue;
		if (v->clock_ns < best) {
			best = v->clock_ns;
			n = 0;
			cands[n++] = i;
		} else if (v->clock_ns == best) {
			cands[n++] = i;
		}
	}
	if (n == 0)
		return NULL;
	if (n == 1)
		return &e->vcpu[cands[0]];
	return &e->vcpu[cands[sim_sched_decide('t', n, cands)]];
}

static int replay_next(struct sim_engine *e, char kind, int n, const int *cands)
{
	char k;
	int cpu;

	if (fscanf(e->sched_in, " %c %d", &k, &cpu) == 2 && k == kind) {
		for (int i = 0; i < n; i++)
			if (cands[i] == cpu)
				return i;
	}
	fprintf(stderr, "%s: decision %" PRIu64 ": the run no longer follows the schedule\n",
		e->sched_in_path ? e->sched_in_path : "schedule", e->sched_nr + 1);
	e->sched_diverged = true;
	return -1;
}

int sim_sched_decide(char kind, int n, const int *cands)
{
	struct sim_engine *e = sim;
	int i = -1;

	if (e->sched_in && !e->sched_diverged)
		i = replay_next(e, kind, n, cands);
	if (i < 0)
		i = (int)sim_prng_below(&e->prng_sched, (uint64_t)n);
	e->sched_nr++;
	if (e->sched_out)
		fprintf(e->sched_out, "%c %d\n", kind, cands[i]);
	if (e->sched_diverged && e->running && !e->stopping)
		sim_engine_stop();
	return i;
}

int sim_schedule_record(const char *path)
{
	struct sim_engine *e = sim;

	e->sched_out = fopen(path, "w");
	if (!e->sched_out)
		return -1;
	fprintf(e->sched_out, "kmemsim-schedule 1 seed=%" PRIu64 "\n", e->seed);
	return 0;
}

int sim_schedule_replay(const char *path, FILE *err)
{
	struct sim_engine *e = sim;
	unsigned version;
	uint64_t seed;

	e->sched_in = fopen(path, "r");
	if (!e->sched_in) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 2;
	}
	if (fscanf(e->sched_in, "kmemsim-schedule %u seed=%" SCNu64, &version, &seed) != 2 ||
	    version != 1) {
		fprintf(err, "%s:1: not a kmemsim schedule (expected \"kmemsim-schedule 1 seed=N\")\n", path);
		fclose(e->sched_in);
		e->sched_in = NULL;
		return 2;
	}
	if (seed != e->seed) {
		fprintf(err, "%s:1: seed: the schedule was recorded with seed %" PRIu64 ", the run has %" PRIu64 "\n",
			path, seed, e->seed);
		fclose(e->sched_in);
		e->sched_in = NULL;
		return 2;
	}
	e->sched_in_path = strdup(path);
	return 0;
}

void sim_sched_close(struct sim_engine *e)
{
	if (!e)
		return;
	if (e->sched_out)
		fclose(e->sched_out);
	if (e->sched_in)
		fclose(e->sched_in);
	e->sched_out = e->sched_in = NULL;
}
