/*
 * explore.c - exploring a scenario's schedules and replaying one (sim/explore/explore.h);
 * the commands `kmemsim explore` and `kmemsim merge` are in sim/cli/cmd_explore.c.
 *
 * Main entry: sim_explore_scenario.  One schedule is one sim_run of the
 * scenario, in memory, without a database, with a chooser installed (the
 * explorer's own run function, xrun_one): the same code path as the
 * reproduction `kmemsim run SCENARIO --seed S --schedule FILE`, so what the
 * explorer saw is what the reproduction shows.  A run of a race scenario
 * costs what its few operations cost plus building the machine (engine,
 * buddy zones, the slab allocator's boot caches); docs/races.md has the
 * figures.  Nothing here keeps state between schedules.
 *
 * The order of `kmemsim explore`:
 *   load the scenario -> one run under the default schedule (bad input is
 *   reported there, exit 2) -> sim_explore (random / pct / exhaustive, with
 *   --jobs workers and --shard) -> shrink the first failure to the fewest
 *   forced switches that still break the same invariant -> write the
 *   schedule file (its seed is the machine's) -> print the violation and
 *   the reproduction command -> with --db, one row in `explorations`.
 * `kmemsim merge` reads the `explorations` rows of the shards of one
 * exploration and writes the answer: the lowest failing schedule index.
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../db/db.h"
#include "../engine/engine.h"
#include "explore.h"
#include "../run/run.h"
#include "../scenario/scenario.h"

/* What the runs' refusals name: the explorer is the command the user ran. */
#define XC_CMD "kmemsim explore"

static double xc_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const xc_strategy_names[SIM_NR_EXPLORE] = {
	"random", "pct", "exhaustive", "split", "delay", "pct-shared",
};

const char *sim_explore_strategy_name(enum sim_explore_strategy s)
{
	return xc_strategy_names[s];
}

int sim_explore_strategy_parse(const char *name, enum sim_explore_strategy *out)
{
	for (int i = 0; i < (int)(sizeof(xc_strategy_names) / sizeof(xc_strategy_names[0])); i++)
		if (!strcmp(name, xc_strategy_names[i])) {
			*out = (enum sim_explore_strategy)i;
			return 0;
		}
	return -1;
}

/* ---------------------------------------------------- one schedule, run */

struct xrun {
	const struct sim_scenario *sc;
	FILE *null;			/* out and err of the runs: the explorer reports itself */
	const char *match;		/* shrinking: only this invariant counts as failing */
};

static int xrun_one(void *arg, struct sim_chooser *ch, char *why, size_t whylen)
{
	struct xrun *x = arg;
	struct sim_race_violation v = { 0 };
	struct sim_run_opts o = { .scenario = x->sc, .cmd = XC_CMD, .quiet = true, .chooser = ch, .violation = &v };
	int rc = sim_run(&o, x->null, x->null);

	if (!v.found)
		return rc ? -1 : 0;
	if (x->match && strcmp(x->match, v.invariant))
		return 0;
	snprintf(why, whylen, "%s: %s", v.invariant, v.detail);
	return 1;
}

int sim_explore_replay(const struct sim_scenario *sc, const struct sim_schedule *s, struct sim_race_violation *v)
{
	struct sim_race_violation mine = { 0 };
	struct sim_chooser ch;
	struct sim_run_opts o = { .scenario = sc, .cmd = XC_CMD, .quiet = true, .chooser = &ch, .violation = v ? v : &mine };
	FILE *null = fopen("/dev/null", "w");
	int rc;

	if (!null)
		return -1;
	if (v)
		memset(v, 0, sizeof(*v));
	sim_chooser_init(&ch, SIM_EXPLORE_RANDOM, sc->seed, 1, 1, 0);
	ch.forced = s;
	ch.forced_only = true;
	rc = sim_run(&o, null, null);
	sim_chooser_free(&ch);
	fclose(null);
	if (o.violation->found)
		return 1;
	return rc ? -1 : 0;
}

/* Runs are short and many: keep freed host memory for the next one instead of
 * returning it to the kernel (task stacks, page metadata), which page faults cost. */
static void xc_tune_malloc(void)
{
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

int sim_explore_scenario(const struct sim_scenario *sc, struct sim_xplore *x, FILE *err)
{
	struct xrun xr = { .sc = sc };
	char why[256];
	double t0;
	int rc;

	memset(&x->res, 0, sizeof(x->res));
	memset(&x->v, 0, sizeof(x->v));
	x->nr_found_switches = 0;
	x->wall_s = x->shrink_s = 0;
	xc_tune_malloc();
	xr.null = fopen("/dev/null", "w");
	if (!xr.null) {
		fprintf(err, "kmemsim explore: /dev/null: %s\n", strerror(errno));
		return SIM_EFAIL;
	}
	/* The default schedule once, with the real err: bad input is reported here. */
	{
		struct sim_schedule none = { 0 };
		struct sim_chooser ch;
		struct sim_race_violation v = { 0 };
		struct sim_run_opts o = { .scenario = sc, .cmd = XC_CMD, .quiet = true, .chooser = &ch, .violation = &v };
		char *text = NULL;
		size_t len = 0;
		FILE *cap = open_memstream(&text, &len);

		if (!cap) {
			fclose(xr.null);
			return SIM_EFAIL;
		}
		sim_chooser_init(&ch, SIM_EXPLORE_RANDOM, sc->seed, 1, 1, 0);
		ch.forced = &none;
		ch.forced_only = true;
		rc = sim_run(&o, xr.null, cap);
		sim_chooser_free(&ch);
		fclose(cap);
		if (rc == SIM_EBADINPUT)
			fputs(text ? text : "", err);
		free(text);
		if (rc == SIM_EBADINPUT) {
			fclose(xr.null);
			return SIM_EBADINPUT;
		}
	}
	t0 = xc_wall();
	rc = sim_explore(&x->ex, xrun_one, &xr, &x->res);
	x->wall_s = xc_wall() - t0;
	if (x->ex.progress && x->res.explored >= 1024)
		fputc('\n', stderr);
	if (rc < 0) {
		fprintf(err, "kmemsim explore: a run failed without a violation (see `kmemsim run` on the scenario)\n");
		fclose(xr.null);
		return SIM_EFAIL;
	}
	if (!x->res.found) {
		fclose(xr.null);
		return 0;
	}
	x->nr_found_switches = x->res.first.nr;
	/* What the found schedule breaks; shrinking must keep breaking that. */
	if (sim_explore_replay(sc, &x->res.first, &x->v) != 1) {
		fprintf(err, "kmemsim explore: schedule %" PRIu64 " does not fail again when replayed\n",
			x->res.first_index);
		fclose(xr.null);
		return SIM_EFAIL;
	}
	if (x->shrink) {
		struct sim_schedule s = { 0 };

		for (int i = 0; i < x->res.first.nr; i++)
			sim_schedule_add(&s, x->res.first.f[i].step, x->res.first.f[i].choice);
		xr.match = x->v.invariant;
		t0 = xc_wall();
		rc = sim_explore_shrink(sc->seed, &s, xrun_one, &xr, why, sizeof(why));
		x->shrink_s = xc_wall() - t0;
		if (rc == 0) {
			sim_schedule_free(&x->res.first);
			x->res.first = s;
			if (sim_explore_replay(sc, &x->res.first, &x->v) != 1) {
				fprintf(err, "kmemsim explore: the shrunk schedule does not fail\n");
				fclose(xr.null);
				return SIM_EFAIL;
			}
		} else {
			sim_schedule_free(&s);	/* keep the found schedule */
		}
	}
	fclose(xr.null);
	return 0;
}
