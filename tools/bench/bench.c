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
 * per-operation log off and on: on twice, the inserts inline (writer=inline,
 * KMEMSIM_DB_WRITER=0) and as a user's run logs them (writer=default: the db
 * writer thread takes over after the first rows, sim/db/db_writer.c).
 * `slub` runs SLUB's three alone.
 * name=ctx_switch: the cost of one sim_ctx_switch, from N round trips
 * between two contexts.
 * name=vcpus: the kmalloc workload (SLUB, log off) on 4 to 1,024 vCPUs with
 * the same pairs on each vCPU (NR_ALLOCS / 512): CPU ns per operation and per
 * yield point, each beside the 4-vCPU figure of the same round, on two nodes
 * (name=vcpus: the vCPUs contend for the two nodes' locks) and spread over
 * nodes of 2 vCPUs (name=vcpus_percpu: per-CPU work, the engine's own cost).
 * Each figure is the median of BENCH_RUNS runs, printed as one line, beside
 * its floor measured in the same run (bench_floor.c): SLUB's pairs with the
 * log off beside SLUB's fast path in a plain C loop (ns per pair, ratio); the
 * log's cost per row (the best run with the log less the best without, per
 * row logged, from the engine's start until the last row is in: process CPU,
 * writer thread included, as log_cpu_ns_per_row, and wall time as
 * log_wall_ns_per_row) beside the SQLite insert of the same rows alone (CPU
 * and wall), and the pairs (ops) per CPU and per wall second with the log.  The
 * replay's floor (`xz -dc`) is bench_replay's, the vCPU counts' the 4-vCPU
 * figure of the same round.
 * best_per_s is the best run, best_per_cpu_s the best per second of the simulating
 * thread's CPU time (steadier on a loaded machine).
 * Fixed seed and input; nothing here is a test.  `meson test --benchmark`
 * runs it with 50,000 allocations (a few seconds on an idle machine).
 *
 * Usage: kmemsim-bench [NR_ALLOCS [ctx|buddy|slab|slub|floor|log|vcpus|vcpus=N|vcpus_percpu=N]]
 *        (default 1000000; also the kmalloc pairs)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_floor.h"
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

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_median(double *v, int n)
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

/* The kmalloc workload's sizes and their weights. */
static const uint32_t sizes[][2] = { { 8, 2 }, { 32, 3 }, { 64, 4 }, { 128, 3 }, { 256, 2 }, { 512, 1 } };
#define BENCH_NR_SIZES ((int)(sizeof(sizes) / sizeof(sizes[0])))

/* The kmalloc workload: nr_pairs kmalloc + kfree pairs in all on 4 vCPUs. */
static void bench_slab_scenario(struct sim_scenario *sc, uint64_t nr_pairs, enum sim_allocator a)
{
	struct sim_stream_cfg *s;

	bench_buddy_scenario(sc, nr_pairs);
	sc->allocator = a;
	s = &sc->stream[0];
	s->kind = SIM_STREAM_KIND_OBJECTS;
	s->pinned = true;
	s->lifetime_min = 1;
	s->lifetime_max = 16;
	s->nr_sizes = 0;
	for (int i = 0; i < BENCH_NR_SIZES; i++) {
		s->size[s->nr_sizes] = sizes[i][0];
		s->size_weight[s->nr_sizes++] = sizes[i][1];
	}
	s->burst = 1;
	s->gfp = 0;			/* GFP_KERNEL */
}

static double bench_off_end_cpu[3], bench_off_end_wall[3];	/* per allocator: best runs without the log */
static double bench_floor_cpu[3], bench_floor_wall[3];		/* per allocator: ns per row of the insert floor */

static double bench_min(const double *v, int n)
{
	double m = v[0];

	for (int i = 1; i < n; i++)
		m = v[i] < m ? v[i] : m;
	return m;
}

/* The floor beside a figure (bench_floor.c), as fields of its line.  The fast path's: in
 * CPU time of the simulating thread inside the engine.  The log's: its cost per row is the
 * best run with the log less the best without, from the engine's start until the last row
 * is in (the writer thread's CPU counted too), in process CPU time and in wall time, beside
 * the SQLite insert of the same rows alone (CPU and wall); and the pairs per second with
 * the log, over the same span. */
static void bench_floor_fields(const struct sim_scenario *sc, int log, double secs, double end_cpu,
			       double end_wall, uint64_t count, const char *db, char *buf, size_t size)
{
	int a = sc->allocator;
	const char *unit = a == SIM_ALLOC_BUDDY ? "ops" : "pairs";
	int64_t rows = 0;
	double f, cpu, wall;

	buf[0] = 0;
	if (!log && a == SIM_ALLOC_SLUB) {
		f = bench_floor_fastpath(count, sizes, BENCH_NR_SIZES);
		if (f > 0)
			snprintf(buf, size, " cpu_ns_per_pair=%.1f floor=fastpath_loop floor_ns_per_pair=%.1f ratio_to_floor=%.1f",
				 secs * 1e9 / (double)count, f, secs * 1e9 / (double)count / f);
		return;
	}
	if (!log)
		return;
	if (!bench_floor_cpu[a])
		bench_floor_cpu[a] = bench_floor_insert(db, &rows, &bench_floor_wall[a]);
	else
		rows = bench_floor_rows(db);
	if (bench_floor_cpu[a] <= 0 || rows <= 0)
		return;
	cpu = bench_off_end_cpu[a] > 0 ? (end_cpu - bench_off_end_cpu[a]) * 1e9 / (double)rows : 0;
	wall = bench_off_end_wall[a] > 0 ? (end_wall - bench_off_end_wall[a]) * 1e9 / (double)rows : 0;
	snprintf(buf, size, " writer=%s rows=%lld log_cpu_ns_per_row=%.0f log_wall_ns_per_row=%.0f floor=sqlite_insert"
		 " floor_cpu_ns_per_row=%.0f floor_wall_ns_per_row=%.0f ratio_cpu=%.2f ratio_wall=%.2f"
		 " %s_per_cpu_s_with_log=%.0f %s_per_wall_s_with_log=%.0f", log == 2 ? "default" : "inline",
		 (long long)rows, cpu, wall, bench_floor_cpu[a], bench_floor_wall[a], cpu / bench_floor_cpu[a],
		 wall / bench_floor_wall[a], unit, (double)count / end_cpu, unit, (double)count / end_wall);
}

/* One figure: the median rate of BENCH_RUNS runs, in page operations for buddy
 * and in kmalloc + kfree pairs for the slab allocators, and its floor.  log: 0 off,
 * 1 on with the inserts inline (KMEMSIM_DB_WRITER=0), 2 on as a user's run (unset). */
static int bench_run(const struct sim_scenario *sc, int log)
{
	double secs[BENCH_RUNS], rate[BENCH_RUNS], cpu[BENCH_RUNS], cpu_rate[BENCH_RUNS], med;
	double end_cpu[BENCH_RUNS], end_wall[BENCH_RUNS];
	char db[64], floor[640];
	uint64_t count = 0;
	const char *name = sim_allocator_name(sc->allocator);
	const char *unit = sc->allocator == SIM_ALLOC_BUDDY ? "ops" : "pairs";

	snprintf(db, sizeof(db), "/tmp/kmemsim-bench-%d.db", (int)getpid());
	if (log == 1)
		setenv("KMEMSIM_DB_WRITER", "0", 1);
	else
		unsetenv("KMEMSIM_DB_WRITER");
	for (int i = 0; i < BENCH_RUNS; i++) {
		struct sim_run_stats st;
		struct sim_run_opts o = {
			.scenario = sc, .db_path = log ? db : NULL, .quiet = true, .stats = &st,
		};
		int rc = sim_run(&o, stdout, stderr);

		if (rc) {
			fprintf(stderr, "kmemsim-bench: %s run failed (%d)\n", name, rc);
			return rc;
		}
		count = sc->allocator == SIM_ALLOC_BUDDY ? st.nr_ops : st.wl.nr_free;
		secs[i] = st.wall_s;
		cpu[i] = st.cpu_s;
		end_cpu[i] = st.end_cpu_s;
		end_wall[i] = st.end_wall_s;
		rate[i] = st.wall_s > 0 ? (double)count / st.wall_s : 0;
		cpu_rate[i] = st.cpu_s > 0 ? (double)count / st.cpu_s : 0;
	}
	if (!log) {
		bench_off_end_cpu[sc->allocator] = bench_min(end_cpu, BENCH_RUNS);
		bench_off_end_wall[sc->allocator] = bench_min(end_wall, BENCH_RUNS);
	}
	bench_floor_fields(sc, log, bench_median(cpu, BENCH_RUNS), bench_min(end_cpu, BENCH_RUNS),
			   bench_min(end_wall, BENCH_RUNS), count, db, floor, sizeof(floor));	/* the last run's database */
	med = bench_median(secs, BENCH_RUNS);
	if (log)
		unlink(db);
	bench_median(rate, BENCH_RUNS);		/* sorts: the best is last */
	bench_median(cpu_rate, BENCH_RUNS);
	printf("name=%s %s=%llu secs=%.3f %s_per_s=%.0f best_per_s=%.0f best_per_cpu_s=%.0f log=%s%s\n", name,
	       unit, (unsigned long long)count, med, unit, rate[BENCH_RUNS / 2], rate[BENCH_RUNS - 1],
	       cpu_rate[BENCH_RUNS - 1], log ? "on" : "off", floor);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------- cost per vCPU count */

/*
 * The per-CPU variant's machine: 2 vCPUs a node (as the 4-vCPU machine has) on up to
 * SIM_MAX_NODES nodes of 128 MiB, more vCPUs a node past 128.  On two nodes, 128 vCPUs a
 * node start their slabs from one zone->lock and one list_lock per cache: the simulated
 * spinning on them is contention of the simulated machine, not the engine's cost, and
 * it grows the yields per operation (yields_per_op tells).  Spread, each vCPU's pairs
 * stay on its own per-CPU slabs (SLUB's fast path) after a start-up that costs about the
 * same per vCPU at every count.
 */
static void bench_spread_machine(struct sim_scenario *sc, int nr_cpus)
{
	int nodes = nr_cpus / 2 < 1 ? 1 : nr_cpus / 2 > SIM_MAX_NODES ? SIM_MAX_NODES : nr_cpus / 2;

	sc->nr_nodes = nodes;
	for (int n = 0; n < nodes; n++) {
		sc->node[n].nr_cpus = nr_cpus / nodes + (n < nr_cpus % nodes);
		memset(sc->node[n].zone_mib, 0, sizeof(sc->node[n].zone_mib));
		sc->node[n].zone_mib[2] = 128;		/* Normal */
	}
	sc->node[0].zone_mib[0] = 16;			/* DMA */
	sc->node[0].zone_mib[1] = 112;			/* DMA32 */
	sc->node[0].zone_mib[2] = 0;
	if (nodes > 1) {				/* DMA32 up to 4 GiB, Normal above */
		sc->node[1].zone_mib[1] = 128;
		sc->node[1].zone_mib[2] = 0;
	}
}

/* Runs of the smallest machines, summed, so that every count times about as much work. */
#define BENCH_VCPU_WORK 64

/*
 * ns per operation (log off) of the kmalloc workload on nr_cpus vCPUs (2 nodes) with the
 * same work on each vCPU at every count: pairs_per_cpu pairs each, so the start-up of each
 * vCPU's slabs weighs the same per operation (with the same total instead, 256 vCPUs did
 * 1/64 of 4 vCPUs' pairs each and their cold start, with its lock contention, dominated).
 * The smaller machines run BENCH_VCPU_WORK / nr_cpus times and the figures are summed.
 * Also ns per yield point and yield points per operation.
 * spread: the per-CPU variant (bench_spread_machine), where the vCPUs do not share two
 * nodes' locks.
 */
static double bench_vcpus_one(struct sim_scenario *sc, uint64_t pairs_per_cpu, int nr_cpus, bool spread,
			      double *ns_per_yield, double *yields_per_op)
{
	int runs = nr_cpus < BENCH_VCPU_WORK ? BENCH_VCPU_WORK / nr_cpus : 1;
	double cpu_s = 0;
	uint64_t ops = 0, yields = 0;

	for (int r = 0; r < runs; r++) {
		struct sim_run_stats st;
		struct sim_run_opts o = { .scenario = sc, .quiet = true, .stats = &st };

		bench_slab_scenario(sc, pairs_per_cpu * (uint64_t)nr_cpus, SIM_ALLOC_SLUB);
		if (spread) {
			bench_spread_machine(sc, nr_cpus);
		} else {
			sc->node[0].nr_cpus = (nr_cpus + 1) / 2;
			sc->node[1].nr_cpus = nr_cpus / 2;
			sc->nr_nodes = nr_cpus > 1 ? 2 : 1;
		}
		sc->stream[0].nr_ops = pairs_per_cpu;
		if (sim_run(&o, stdout, stderr) || !st.nr_ops)
			return -1;
		/* CPU time inside the engine (not the boot): wall time on a shared machine is partly others' */
		cpu_s += st.cpu_s;
		ops += st.nr_ops;
		yields += st.nr_yields;
	}
	*ns_per_yield = cpu_s * 1e9 / (double)(yields ? yields : 1);
	*yields_per_op = (double)yields / (double)ops;
	return cpu_s * 1e9 / (double)ops;
}

/* Each count's median ns per operation and per yield point beside the 4-vCPU figures
 * measured in the same round (more vCPUs on two nodes share each node's locks: more
 * spinning, more yields per operation; ns per yield is the scheduler's share). */
static int bench_vcpus(struct sim_scenario *sc, uint64_t pairs_per_cpu)
{
	static const int counts[] = { 4, 16, 64, 256, 1024 };
	enum { NC = sizeof(counts) / sizeof(counts[0]) };
	double ns[NC][BENCH_RUNS], ratio[NC][BENCH_RUNS], ny[NC][BENCH_RUNS], yratio[NC][BENCH_RUNS];
	double ypo[NC][BENCH_RUNS];

	for (int spread = 0; spread <= 1; spread++) {
		for (int r = 0; r < BENCH_RUNS; r++) {
			for (int i = 0; i < NC; i++) {
				ns[i][r] = bench_vcpus_one(sc, pairs_per_cpu, counts[i], spread, &ny[i][r], &ypo[i][r]);
				if (ns[i][r] < 0) {
					fprintf(stderr, "kmemsim-bench: %d vCPUs: run failed\n", counts[i]);
					return 1;
				}
				ratio[i][r] = ns[i][r] / ns[0][r];
				yratio[i][r] = ny[i][r] / ny[0][r];
			}
		}
		for (int i = 0; i < NC; i++)
			printf("name=%s cpus=%d pairs_per_cpu=%llu ns_per_op=%.1f ratio_to_cpus4=%.2f ns_per_yield=%.1f"
			       " ratio_to_cpus4=%.2f yields_per_op=%.2f\n", spread ? "vcpus_percpu" : "vcpus",
			       counts[i], (unsigned long long)pairs_per_cpu, bench_median(ns[i], BENCH_RUNS),
			       bench_median(ratio[i], BENCH_RUNS), bench_median(ny[i], BENCH_RUNS),
			       bench_median(yratio[i], BENCH_RUNS), bench_median(ypo[i], BENCH_RUNS));
		fflush(stdout);
	}
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
		fprintf(stderr, "usage: kmemsim-bench [NR_ALLOCS] [ctx|buddy|slab|slub|floor|log|vcpus]\n");
		return 2;
	}
#define BENCH_PART(name) (!only || !strcmp(only, name))
	if (BENCH_PART("ctx"))
		rc = bench_ctx_switch();
	bench_buddy_scenario(sc, nr_allocs);
	if (!rc && BENCH_PART("buddy"))
		rc = bench_run(sc, 0);
	for (int m = 1; !rc && (BENCH_PART("buddy") || BENCH_PART("log")) && m <= 2; m++)
		rc = bench_run(sc, m);		/* the log inline, then with the writer thread */
	for (int a = SIM_ALLOC_SLUB; !rc && (BENCH_PART("slab") || BENCH_PART("floor") || BENCH_PART("slub")) &&
	     a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		rc = bench_run(sc, 0);
		if (!BENCH_PART("slab"))
			break;		/* floor, slub: SLUB only */
	}
	for (int a = SIM_ALLOC_SLUB; !rc && (BENCH_PART("slab") || BENCH_PART("log") || BENCH_PART("slub")) &&
	     a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		for (int m = 1; !rc && m <= 2; m++)
			rc = bench_run(sc, m);
		if (!BENCH_PART("slab") && !BENCH_PART("log"))
			break;		/* slub: SLUB only */
	}
	/* 1,953 pairs per vCPU by default: the 1,024-vCPU machine does 2 M pairs */
	if (!rc && BENCH_PART("vcpus"))
		rc = bench_vcpus(sc, nr_allocs / 512);
	if (only && (!strncmp(only, "vcpus=", 6) || !strncmp(only, "vcpus_percpu=", 13))) {	/* one count, one round (profiling) */
		bool spread = only[5] == '_';
		const char *cpus = strchr(only, '=') + 1;
		double ny, ypo, ns = bench_vcpus_one(sc, nr_allocs / 512, atoi(cpus), spread, &ny, &ypo);

		printf("name=%s cpus=%s pairs_per_cpu=%llu ns_per_op=%.1f ns_per_yield=%.1f yields_per_op=%.2f\n",
		       spread ? "vcpus_percpu" : "vcpus", cpus, (unsigned long long)(nr_allocs / 512), ns, ny, ypo);
	}
#undef BENCH_PART
	sim_scenario_free(sc);
	free(sc);
	return rc ? 1 : 0;
}
