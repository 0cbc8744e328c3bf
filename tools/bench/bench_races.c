/*
 * bench_races.c - the race catalogue's exploration benchmark (run by
 * `meson test --benchmark`).
 *
 * name=races_rate: schedules per wall-clock second on each catalogued
 * scenario with its guard switched on (so no run stops early and every
 * schedule is explored), PCT of depth 2, in one process (jobs=1) and with
 * two worker processes (jobs=2); the median of BENCH_RUNS explorations.
 * name=races_find: the schedules each strategy needs to find each race with
 * its guard off, over BENCH_SEEDS exploration seeds (the machine's seed stays
 * the scenario's): the median and the largest, with the number of seeds that
 * found it within the cap (a seed that did not counts as the cap).
 * Exhaustive and delay-bounded search have no seed: one line each, with at
 * most one forced switch (one delay).  After the lines, a table of the
 * medians (races by strategy: median (max) of the seeds, and how many found
 * it), as docs/races.md shows it.  Fixed scenarios and seeds; nothing here
 * is a test.
 *
 * Usage: bench_races [SCHEDULES [CAP]]   (defaults 5000 and 5000)
 *        bench_races find [CAP [SCENARIO|all [STRATEGY]]] (the schedules to find each race only)
 * KMEMSIM_KERNEL=6.12 runs every scenario on that kernel (as --kernel does); a race the
 * kernel cannot have (SLAB's on 6.12) is refused and its row says so.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explore/explore.h"
#include "sim/scenario/scenario.h"

#define BENCH_RUNS 3
#define BENCH_SEEDS 20

static const char *const files[] = {
	"slub-fastpath-tid", "slub-slab-alloc-recheck", "slub-free-cmpxchg-double",
	"slab-array-cache-irq", "slab-refill-list-lock", "buddy-pcp-lock-irq",
	"slub-deactivate-list-lock-irq", "slub-unfreeze-partials-irq", "slub-put-cpu-partial-irq",
	"buddy-drain-remote-pcp", "slub-free-node-partial", "slab-drain-array-shared",
};
#define NR_FILES (sizeof(files) / sizeof(files[0]))

/* The strategies the find table compares, in its column order. */
static const struct { int strategy, depth; const char *title; } strategies[] = {
	{ SIM_EXPLORE_PCT, 2, "pct d=2" },
	{ SIM_EXPLORE_PCT, 3, "pct d=3" },
	{ SIM_EXPLORE_PCT_SHARED, 2, "pct-shared d=2" },
	{ SIM_EXPLORE_PCT_SHARED, 3, "pct-shared d=3" },
	{ SIM_EXPLORE_RANDOM, 2, "random" },
	{ SIM_EXPLORE_SPLIT, 2, "split" },
	{ SIM_EXPLORE_EXHAUSTIVE, 2, "exhaustive K=1" },
	{ SIM_EXPLORE_DELAY, 2, "delay D=1" },
};
#define NR_STRATEGIES (sizeof(strategies) / sizeof(strategies[0]))
static char table[NR_FILES][NR_STRATEGIES][40];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int load(struct sim_scenario *sc, const char *name)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char path[512];

	const char *kernel = getenv("KMEMSIM_KERNEL");
	int rc;

	snprintf(path, sizeof(path), "%s/scenarios/races/%s.json", root ? root : ".", name);
	rc = sim_scenario_load(sc, path, stderr);
	if (!rc && kernel && kernel[0]) {
		if (sim_kernel_parse(kernel, &sc->kernel)) {
			fprintf(stderr, "bench_races: KMEMSIM_KERNEL: expected %s, got \"%s\"\n", sim_kernel_names(), kernel);
			return 2;
		}
		sc->kernel_given = true;
	}
	return rc;
}

/* Does the scenario's kernel refuse it (a race of the other kernel)?  One schedule, quietly. */
static bool refused(const struct sim_scenario *sc)
{
	struct sim_xplore x;
	FILE *null = fopen("/dev/null", "w");
	int rc;

	memset(&x, 0, sizeof(x));
	x.ex.strategy = SIM_EXPLORE_PCT;
	x.ex.seed = sc->seed;
	x.ex.nr_schedules = 1;
	x.ex.depth = 2;
	x.ex.jobs = 1;
	rc = sim_explore_scenario(sc, &x, null ? null : stderr);
	if (null)
		fclose(null);
	sim_schedule_free(&x.res.first);
	return rc == SIM_EBADINPUT;
}

static void setup(struct sim_xplore *x, int strategy, uint64_t seed, uint64_t n, int depth, int jobs)
{
	memset(x, 0, sizeof(*x));
	x->ex.strategy = (enum sim_explore_strategy)strategy;
	x->ex.seed = seed;
	x->ex.nr_schedules = n;
	x->ex.depth = depth;
	x->ex.preemptions = 1;
	x->ex.jobs = jobs;
}

/* Schedules per second with every guard on: the median of BENCH_RUNS explorations. */
static int rate(const char *name, struct sim_scenario *sc, uint64_t n, int jobs)
{
	double secs[BENCH_RUNS];
	struct sim_xplore x;

	memset(sc->guard_off, 0, sizeof(sc->guard_off));
	for (int r = 0; r < BENCH_RUNS; r++) {
		setup(&x, SIM_EXPLORE_PCT, sc->seed, n, 2, jobs);
		if (sim_explore_scenario(sc, &x, stderr) || x.res.found || x.res.explored != n) {
			fprintf(stderr, "bench_races: %s: the guarded scenario did not explore cleanly\n", name);
			return 1;
		}
		secs[r] = x.wall_s;
	}
	qsort(secs, BENCH_RUNS, sizeof(secs[0]), cmp_double);
	printf("name=races_rate scenario=%s strategy=pct jobs=%d schedules=%" PRIu64 " secs=%.3f schedules_per_s=%.0f\n",
	       name, jobs, n, secs[BENCH_RUNS / 2], (double)n / secs[BENCH_RUNS / 2]);
	return 0;
}

/* Schedules to the first violation for BENCH_SEEDS exploration seeds (cell: the table's). */
static int find(const char *name, const struct sim_scenario *sc, int strategy, int depth, uint64_t cap,
		char *cell, size_t cellsz)
{
	bool bounded = strategy == SIM_EXPLORE_EXHAUSTIVE || strategy == SIM_EXPLORE_DELAY;
	uint64_t need[BENCH_SEEDS];
	int found = 0, nr = bounded ? 1 : BENCH_SEEDS;
	double median;
	struct sim_xplore x;

	for (int i = 0; i < nr; i++) {
		setup(&x, strategy, (uint64_t)i + 1, cap, depth, 1);
		if (sim_explore_scenario(sc, &x, stderr))
			return 1;
		need[i] = x.res.found ? x.res.first_index + 1 : cap;
		found += x.res.found;
		sim_schedule_free(&x.res.first);
	}
	qsort(need, (size_t)nr, sizeof(need[0]), cmp_u64);
	median = nr % 2 ? (double)need[nr / 2] : (double)(need[nr / 2 - 1] + need[nr / 2]) / 2.0;
	printf("name=races_find scenario=%s strategy=%s", name, sim_explore_strategy_name((enum sim_explore_strategy)strategy));
	if (strategy == SIM_EXPLORE_PCT || strategy == SIM_EXPLORE_PCT_SHARED)
		printf(" depth=%d", depth);
	if (strategy == SIM_EXPLORE_EXHAUSTIVE)
		printf(" preemptions=1");
	if (strategy == SIM_EXPLORE_DELAY)
		printf(" delays=1");
	printf(" seeds=%d found=%d cap=%" PRIu64 " median=%.1f max=%" PRIu64 "\n", nr, found, cap, median, need[nr - 1]);
	if (bounded)
		snprintf(cell, cellsz, found ? "%" PRIu64 : "not found in %" PRIu64, need[0]);
	else if (found == nr)
		snprintf(cell, cellsz, "%g (%" PRIu64 ")", median, need[nr - 1]);
	else
		snprintf(cell, cellsz, "%g (>%" PRIu64 ", %d/%d)", median, cap, found, nr);
	return 0;
}

static void print_table(size_t nr_files, const char *only)
{
	printf("\n| scenario |");
	for (size_t k = 0; k < NR_STRATEGIES; k++)
		printf(" %s |", strategies[k].title);
	printf("\n| --- |");
	for (size_t k = 0; k < NR_STRATEGIES; k++)
		printf(" --- |");
	printf("\n");
	for (size_t f = 0; f < nr_files; f++) {
		if (only && strcmp(only, files[f]))
			continue;
		printf("| `%s` |", files[f]);
		for (size_t k = 0; k < NR_STRATEGIES; k++)
			printf(" %s |", table[f][k]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	bool find_only = argc > 1 && !strcmp(argv[1], "find");
	int a = find_only ? 2 : 1;
	uint64_t n = !find_only && argc > 1 ? strtoull(argv[1], NULL, 0) : 5000;
	uint64_t cap = argc > a + (find_only ? 0 : 1) ? strtoull(argv[a + (find_only ? 0 : 1)], NULL, 0) : 5000;
	const char *only = find_only && argc > 3 && strcmp(argv[3], "all") ? argv[3] : NULL;
	const char *strat = find_only && argc > 4 ? argv[4] : NULL;
	int rc = 0;

	for (size_t f = 0; f < NR_FILES && !rc; f++) {
		struct sim_scenario sc, on;

		if (only && strcmp(only, files[f]))
			continue;
		if (load(&sc, files[f]) || load(&on, files[f]))
			return 1;
		if (refused(&sc)) {
			for (size_t k = 0; k < NR_STRATEGIES; k++)
				snprintf(table[f][k], sizeof(table[f][k]), "refused");
			printf("name=races_find scenario=%s refused on this kernel\n", files[f]);
			sim_scenario_free(&sc);
			sim_scenario_free(&on);
			continue;
		}
		if (!find_only) {
			rc |= rate(files[f], &on, n, 1);
			rc |= rate(files[f], &on, n, 2);
		}
		for (size_t k = 0; k < NR_STRATEGIES && !rc; k++)
			if (!strat || !strcmp(strat, sim_explore_strategy_name((enum sim_explore_strategy)strategies[k].strategy)))
				rc |= find(files[f], &sc, strategies[k].strategy, strategies[k].depth, cap, table[f][k],
					   sizeof(table[f][k]));
		fflush(stdout);
		sim_scenario_free(&sc);
		sim_scenario_free(&on);
	}
	if (!rc)
		print_table(NR_FILES, only);
	return rc;
}
