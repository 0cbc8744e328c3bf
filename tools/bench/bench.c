/*
 * bench.c - kmemsim's engine benchmarks (run by `meson test --benchmark`).
 *
 * name=buddy: 1M page allocations and their frees (order 0 mostly, short
 * lifetimes) by 4 vCPUs on 2 nodes, through the whole run driver; simulated
 * operations per wall-clock second with the per-operation log off (no
 * database) and on (a database with one row per operation).
 * name=slub / name=slab: kmalloc + kfree pairs (sizes 8..512, short
 * lifetimes, the same requests for both) by 4 pinned vCPUs on 2 nodes, SLUB
 * and SLAB on the buddy allocator; pairs per wall-clock second with the
 * per-operation log off and on.
 * name=ctx_switch: the cost of one sim_ctx_switch, from N round trips
 * between two contexts.
 * Each figure is the median of BENCH_RUNS runs, best_per_s the best, and best_per_cpu_s the
 * best per second of the process's CPU time (steadier on a loaded machine); one line each.
 * Fixed seed and input; nothing here is a test.
 *
 * Usage: kmemsim-bench [NR_ALLOCS]   (default 1000000; also the kmalloc pairs)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/engine/engine.h"
#include "sim/run/run.h"
#include "sim/scenario/scenario.h"

#define BENCH_RUNS 3
#define BENCH_SEED 20240601
#define BENCH_SWITCHES 2000000		/* round trips of the context benchmark */

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the process: on a shared machine, steadier than the wall clock. */
static double bench_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

/* The buddy workload: 4 vCPUs on 2 nodes, nr_allocs allocations in all. */
static void bench_buddy_scenario(struct sim_scenario *sc, uint64_t nr_allocs)
{
	struct sim_stream_cfg *s = &sc->stream[0];

	sim_scenario_default(sc);
	sc->seed = BENCH_SEED;
	sc->allocator = SIM_ALLOC_BUDDY;
	sc->nr_nodes = 2;
	for (int n = 0; n < 2; n++) {
		sc->node[n].nr_cpus = 2;
		memset(sc->node[n].zone_mib, 0, sizeof(sc->node[n].zone_mib));
	}
	sc->node[0].zone_mib[0] = 16;		/* DMA */
	sc->node[0].zone_mib[1] = 1008;		/* DMA32 */
	sc->node[1].zone_mib[1] = 1024;
	sc->snapshot_interval_ns = 0;
	sc->check_every = 0;
	sc->nr_streams = 1;
	memset(s, 0, sizeof(*s));
	s->cpu = -1;
	s->nr_ops = nr_allocs / 4;
	s->order_weight[0] = 90;
	s->order_weight[1] = 6;
	s->order_weight[2] = 3;
	s->order_weight[3] = 1;
	s->mt_weight[0] = 1;
	s->lifetime_min = 1;
	s->lifetime_max = 64;
	s->nid = -1;
}

/* The kmalloc workload: nr_pairs kmalloc + kfree pairs in all on 4 vCPUs. */
static void bench_slab_scenario(struct sim_scenario *sc, uint64_t nr_pairs, enum sim_allocator a)
{
	static const uint32_t sizes[][2] = { { 8, 2 }, { 32, 3 }, { 64, 4 }, { 128, 3 }, { 256, 2 }, { 512, 1 } };
	struct sim_stream_cfg *s;

	bench_buddy_scenario(sc, nr_pairs);
	sc->allocator = a;
	s = &sc->stream[0];
	s->kind = SIM_STREAM_KIND_OBJECTS;
	s->pinned = true;
	s->lifetime_min = 1;
	s->lifetime_max = 16;
	s->nr_sizes = 0;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		s->size[s->nr_sizes] = sizes[i][0];
		s->size_weight[s->nr_sizes++] = sizes[i][1];
	}
	s->burst = 1;
	s->gfp = 0;			/* GFP_KERNEL */
}

/* One figure: the median rate of BENCH_RUNS runs, in page operations for buddy
 * and in kmalloc + kfree pairs for the slab allocators. */
static int bench_run(const struct sim_scenario *sc, bool log)
{
	double secs[BENCH_RUNS], rate[BENCH_RUNS], cpu_rate[BENCH_RUNS];
	char db[64];
	uint64_t count = 0;
	const char *name = sim_allocator_name(sc->allocator);
	const char *unit = sc->allocator == SIM_ALLOC_BUDDY ? "ops" : "pairs";

	snprintf(db, sizeof(db), "/tmp/kmemsim-bench-%d.db", (int)getpid());
	for (int i = 0; i < BENCH_RUNS; i++) {
		struct sim_run_stats st;
		struct sim_run_opts o = {
			.scenario = sc, .db_path = log ? db : NULL, .quiet = true, .stats = &st,
		};
		double cpu0 = bench_cpu();
		int rc = sim_run(&o, stdout, stderr);
		double cpu = bench_cpu() - cpu0;

		if (rc) {
			fprintf(stderr, "kmemsim-bench: %s run failed (%d)\n", name, rc);
			return rc;
		}
		count = sc->allocator == SIM_ALLOC_BUDDY ? st.nr_ops : st.wl.nr_free;
		secs[i] = st.wall_s;
		rate[i] = st.wall_s > 0 ? (double)count / st.wall_s : 0;
		cpu_rate[i] = cpu > 0 ? (double)count / cpu : 0;
	}
	if (log)
		unlink(db);
	bench_median(rate, BENCH_RUNS);		/* sorts: the best is last */
	bench_median(cpu_rate, BENCH_RUNS);
	printf("name=%s %s=%llu secs=%.3f %s_per_s=%.0f best_per_s=%.0f best_per_cpu_s=%.0f log=%s\n", name,
	       unit, (unsigned long long)count, bench_median(secs, BENCH_RUNS), unit, rate[BENCH_RUNS / 2],
	       rate[BENCH_RUNS - 1], cpu_rate[BENCH_RUNS - 1], log ? "on" : "off");
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------- cost per vCPU count */

/* ns per operation (log off) of the kmalloc workload on nr_cpus vCPUs (2 nodes), the
 * same total number of pairs at every count: the scheduler's cost per yield point. */
static double bench_vcpus_one(struct sim_scenario *sc, uint64_t nr_pairs, int nr_cpus, double *ns_per_yield)
{
	struct sim_run_stats st;
	struct sim_run_opts o = { .scenario = sc, .quiet = true, .stats = &st };

	bench_slab_scenario(sc, nr_pairs, SIM_ALLOC_SLUB);
	sc->node[0].nr_cpus = (nr_cpus + 1) / 2;
	sc->node[1].nr_cpus = nr_cpus / 2;
	sc->nr_nodes = nr_cpus > 1 ? 2 : 1;
	sc->stream[0].nr_ops = nr_pairs / (uint64_t)nr_cpus;
	if (sim_run(&o, stdout, stderr) || !st.nr_ops)
		return -1;
	*ns_per_yield = st.cpu_s * 1e9 / (double)(st.nr_yields ? st.nr_yields : 1);
	/* CPU time inside the engine (not the boot): wall time on a shared machine is partly others' */
	return st.cpu_s * 1e9 / (double)st.nr_ops;
}

/* Each count's median ns per operation and per yield point beside the 4-vCPU figures
 * measured in the same round (more vCPUs on two nodes spin longer on the shared
 * locks: more yields per operation; ns per yield is the scheduler's share). */
static int bench_vcpus(struct sim_scenario *sc, uint64_t nr_pairs)
{
	static const int counts[] = { 4, 16, 64, 256, 1024 };
	enum { NC = sizeof(counts) / sizeof(counts[0]) };
	double ns[NC][BENCH_RUNS], ratio[NC][BENCH_RUNS], ny[NC][BENCH_RUNS], yratio[NC][BENCH_RUNS];

	for (int r = 0; r < BENCH_RUNS; r++) {
		for (int i = 0; i < NC; i++) {
			ns[i][r] = bench_vcpus_one(sc, nr_pairs, counts[i], &ny[i][r]);
			if (ns[i][r] < 0) {
				fprintf(stderr, "kmemsim-bench: %d vCPUs: run failed\n", counts[i]);
				return 1;
			}
			ratio[i][r] = ns[i][r] / ns[0][r];
			yratio[i][r] = ny[i][r] / ny[0][r];
		}
	}
	for (int i = 0; i < NC; i++)
		printf("name=vcpus cpus=%d ns_per_op=%.1f ratio_to_cpus4=%.2f ns_per_yield=%.1f ratio_to_cpus4=%.2f\n",
		       counts[i], bench_median(ns[i], BENCH_RUNS), bench_median(ratio[i], BENCH_RUNS),
		       bench_median(ny[i], BENCH_RUNS), bench_median(yratio[i], BENCH_RUNS));
	fflush(stdout);
	return 0;
}

/* ---------------------------------------------------- context switches */

static struct sim_ctx bench_main_ctx, bench_peer_ctx;
static uint64_t bench_bounces;

static void bench_peer(void *arg)
{
	(void)arg;
	for (;;) {
		bench_bounces++;
		sim_ctx_switch(&bench_peer_ctx, &bench_main_ctx);
	}
}

static int bench_ctx_switch(void)
{
	double ns[BENCH_RUNS], secs[BENCH_RUNS];
	void *stack = malloc(SIM_STACK_SIZE);

	if (!stack)
		return 1;
	sim_ctx_init_main(&bench_main_ctx);
	if (sim_ctx_make(&bench_peer_ctx, stack, SIM_STACK_SIZE, bench_peer, NULL)) {
		free(stack);
		return 1;
	}
	for (int r = 0; r < BENCH_RUNS; r++) {
		double t = bench_now();

		for (int i = 0; i < BENCH_SWITCHES; i++)
			sim_ctx_switch(&bench_main_ctx, &bench_peer_ctx);
		secs[r] = bench_now() - t;
		ns[r] = secs[r] * 1e9 / (2.0 * BENCH_SWITCHES);
	}
	if (bench_bounces != (uint64_t)BENCH_RUNS * BENCH_SWITCHES)
		return 1;
	printf("name=ctx_switch switches=%d secs=%.3f ns_per_switch=%.1f\n",
	       2 * BENCH_SWITCHES, bench_median(secs, BENCH_RUNS), bench_median(ns, BENCH_RUNS));
	sim_ctx_release(&bench_peer_ctx);
	sim_ctx_release(&bench_main_ctx);
	free(stack);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t nr_allocs = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000;
	const char *only = argc > 2 ? argv[2] : NULL;
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	int rc = 0;

	if (!sc || !nr_allocs) {
		fprintf(stderr, "usage: kmemsim-bench [NR_ALLOCS] [ctx|buddy|slab|log|vcpus]\n");
		return 2;
	}
#define BENCH_PART(name) (!only || !strcmp(only, name))
	if (BENCH_PART("ctx"))
		rc = bench_ctx_switch();
	bench_buddy_scenario(sc, nr_allocs);
	if (!rc && BENCH_PART("buddy"))
		rc = bench_run(sc, false);
	if (!rc && (BENCH_PART("buddy") || BENCH_PART("log")))
		rc = bench_run(sc, true);
	for (int a = SIM_ALLOC_SLUB; !rc && BENCH_PART("slab") && a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		rc = bench_run(sc, false);
	}
	for (int a = SIM_ALLOC_SLUB; !rc && (BENCH_PART("slab") || BENCH_PART("log")) && a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		rc = bench_run(sc, true);
	}
	if (!rc && BENCH_PART("vcpus"))
		rc = bench_vcpus(sc, nr_allocs / 8);
	if (only && !strncmp(only, "vcpus=", 6)) {	/* one count, one run (profiling) */
		double ny, ns = bench_vcpus_one(sc, nr_allocs / 8, atoi(only + 6), &ny);

		printf("name=vcpus cpus=%s ns_per_op=%.1f ns_per_yield=%.1f\n", only + 6, ns, ny);
	}
#undef BENCH_PART
	sim_scenario_free(sc);
	free(sc);
	return rc ? 1 : 0;
}
