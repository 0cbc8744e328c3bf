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
 * name=slub_floor: the SLUB fast paths in a plain C loop (hardened freelist
 * pointer, tid), CPU ns per operation, beside the engine's CPU ns per kmalloc or
 * kfree in the slub figure (log off) and their ratio.
 * name=vcpus: the kmalloc workload (SLUB, log off) on 4 to 1,024 vCPUs with
 * the same pairs on each vCPU (NR_ALLOCS / 512): CPU ns per operation and per
 * yield point, each beside the 4-vCPU figure of the same round.
 * Each figure is the median of BENCH_RUNS runs, printed as one line.
 * Fixed seed and input; nothing here is a test.
 *
 * Usage: kmemsim-bench [NR_ALLOCS [ctx|buddy|slab|floor|log|vcpus|vcpus=N]]
 *        (default 1000000; also the kmalloc pairs)
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

/* CPU time of this thread: on a shared machine, wall time is partly others'. */
static double bench_cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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
 * and in kmalloc + kfree pairs for the slab allocators; *cpu_ns (unless NULL): the
 * median CPU ns per kmalloc or kfree (the engine's figure beside the floor). */
static int bench_run(const struct sim_scenario *sc, bool log, double *cpu_ns)
{
	double secs[BENCH_RUNS], rate[BENCH_RUNS], ns[BENCH_RUNS];
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
		int rc = sim_run(&o, stdout, stderr);

		if (rc) {
			fprintf(stderr, "kmemsim-bench: %s run failed (%d)\n", name, rc);
			return rc;
		}
		count = sc->allocator == SIM_ALLOC_BUDDY ? st.nr_ops : st.wl.nr_free;
		secs[i] = st.wall_s;
		rate[i] = st.wall_s > 0 ? (double)count / st.wall_s : 0;
		ns[i] = count ? st.cpu_s * 1e9 / (2.0 * (double)count) : 0;
	}
	if (cpu_ns)
		*cpu_ns = bench_median(ns, BENCH_RUNS);
	if (log)
		unlink(db);
	printf("name=%s %s=%llu secs=%.3f %s_per_s=%.0f log=%s\n", name, unit, (unsigned long long)count,
	       bench_median(secs, BENCH_RUNS), unit, bench_median(rate, BENCH_RUNS), log ? "on" : "off");
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------- cost per vCPU count */

/* Runs of the smallest machines, summed, so that every count times about as much work. */
#define BENCH_VCPU_WORK 64

/*
 * ns per operation (log off) of the kmalloc workload on nr_cpus vCPUs (2 nodes) with the
 * same work on each vCPU at every count: pairs_per_cpu pairs each, so the start-up of each
 * vCPU's slabs weighs the same per operation (with the same total instead, 256 vCPUs did
 * 1/64 of 4 vCPUs' pairs each and their cold start, with its lock contention, dominated).
 * The smaller machines run BENCH_VCPU_WORK / nr_cpus times and the figures are summed.
 * Also ns per yield point and yield points per operation.
 */
static double bench_vcpus_one(struct sim_scenario *sc, uint64_t pairs_per_cpu, int nr_cpus,
			      double *ns_per_yield, double *yields_per_op)
{
	int runs = nr_cpus < BENCH_VCPU_WORK ? BENCH_VCPU_WORK / nr_cpus : 1;
	double cpu_s = 0;
	uint64_t ops = 0, yields = 0;

	for (int r = 0; r < runs; r++) {
		struct sim_run_stats st;
		struct sim_run_opts o = { .scenario = sc, .quiet = true, .stats = &st };

		bench_slab_scenario(sc, pairs_per_cpu * (uint64_t)nr_cpus, SIM_ALLOC_SLUB);
		sc->node[0].nr_cpus = (nr_cpus + 1) / 2;
		sc->node[1].nr_cpus = nr_cpus / 2;
		sc->nr_nodes = nr_cpus > 1 ? 2 : 1;
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

	for (int r = 0; r < BENCH_RUNS; r++) {
		for (int i = 0; i < NC; i++) {
			ns[i][r] = bench_vcpus_one(sc, pairs_per_cpu, counts[i], &ny[i][r], &ypo[i][r]);
			if (ns[i][r] < 0) {
				fprintf(stderr, "kmemsim-bench: %d vCPUs: run failed\n", counts[i]);
				return 1;
			}
			ratio[i][r] = ns[i][r] / ns[0][r];
			yratio[i][r] = ny[i][r] / ny[0][r];
		}
	}
	for (int i = 0; i < NC; i++)
		printf("name=vcpus cpus=%d pairs_per_cpu=%llu ns_per_op=%.1f ratio_to_cpus4=%.2f ns_per_yield=%.1f"
		       " ratio_to_cpus4=%.2f yields_per_op=%.2f\n",
		       counts[i], (unsigned long long)pairs_per_cpu, bench_median(ns[i], BENCH_RUNS),
		       bench_median(ratio[i], BENCH_RUNS), bench_median(ny[i], BENCH_RUNS),
		       bench_median(yratio[i], BENCH_RUNS), bench_median(ypo[i], BENCH_RUNS));
	fflush(stdout);
	return 0;
}

/* ------------------------------------------- the SLUB fast path's floor */

/*
 * The floor of the engine figure: the kmalloc workload's requests through the SLUB fast
 * paths in a plain C loop on one CPU, with what those cost on a real kernel of this
 * configuration: the size's kmalloc cache (kmalloc_slab), the hardened freelist pointer
 * (freelist_ptr: ptr ^ s->random ^ swab(address of the pointer)), the tid, the double
 * compare-and-exchange of freelist and tid (as plain compare and store), and on kfree the
 * object's page and its cache (virt_to_slab) and the CPU slab check of do_slab_free.  The
 * same sizes and weights as bench_slab_scenario; each object freed 1 to 16 operations
 * after its allocation.
 */
#define FLOOR_CACHES 6
#define FLOOR_OBJS 128			/* objects in each cache's one slab */
#define FLOOR_OPS 20000000
#define FLOOR_PAGE 4096

struct floor_cache { uintptr_t freelist; uint64_t tid; uintptr_t slab; uint64_t random; };

static uintptr_t floor_ptr(uintptr_t ptr, uintptr_t at, uint64_t random)
{
	return ptr ^ (uintptr_t)random ^ (uintptr_t)__builtin_bswap64((uint64_t)at);
}

static double bench_floor_once(void)
{
	static const uint32_t size[FLOOR_CACHES] = { 8, 32, 64, 128, 256, 512 };
	static const uint8_t weight[FLOOR_CACHES] = { 2, 3, 4, 3, 2, 1 };	/* of 15 */
	static _Alignas(FLOOR_PAGE) unsigned char mem[FLOOR_CACHES][FLOOR_OBJS * 512];
	static uint8_t page_cache[FLOOR_CACHES * FLOOR_OBJS * 512 / FLOOR_PAGE];
	static struct floor_cache c[FLOOR_CACHES];
	uint8_t pick[15];
	uintptr_t live[16] = { 0 }, base = (uintptr_t)mem;
	uint32_t rng = 1, nr_ops = 0;
	double t;

	for (int k = 0, n = 0; k < FLOOR_CACHES; k++) {
		for (int w = 0; w < weight[k]; w++)
			pick[n++] = (uint8_t)k;
		for (size_t p = 0; p < sizeof(mem[k]) / FLOOR_PAGE; p++)
			page_cache[(size_t)k * sizeof(mem[k]) / FLOOR_PAGE + p] = (uint8_t)k;
		c[k].slab = (uintptr_t)mem[k];
		c[k].random = 0x9e3779b97f4a7c15ULL * (uint64_t)(k + 1);
		c[k].freelist = c[k].slab;
		for (int i = 0; i < FLOOR_OBJS; i++) {	/* the free list through every object */
			uintptr_t at = c[k].slab + (uintptr_t)i * size[k];

			*(uintptr_t *)at = floor_ptr(i + 1 < FLOOR_OBJS ? at + size[k] : 0, at, c[k].random);
		}
	}
	t = bench_cpu_now();
	while (nr_ops < FLOOR_OPS) {
		unsigned int slot;
		struct floor_cache *s;
		uintptr_t obj, next;
		uint64_t tid;
		uint32_t bytes;

		rng = rng * 1103515245u + 12345u;
		slot = (rng >> 16) & 15;
		if (live[slot]) {		/* kfree: virt_to_slab, do_slab_free's fast path */
			__asm__ volatile("" : : : "memory");
			obj = live[slot];
			s = &c[page_cache[(obj - base) / FLOOR_PAGE]];
			tid = s->tid;
			if (obj - s->slab >= (uintptr_t)FLOOR_OBJS * 512)
				abort();	/* not the CPU slab: cannot happen here */
			*(uintptr_t *)obj = floor_ptr(s->freelist, obj, s->random);
			if (s->tid == tid) {	/* this_cpu_cmpxchg_double(freelist, tid) */
				s->freelist = obj;
				s->tid = tid + 1;
			}
			live[slot] = 0;
			nr_ops++;
		}
		__asm__ volatile("" : : : "memory");
		bytes = size[pick[(rng >> 20) % 15]];	/* kmalloc(bytes): kmalloc_slab */
		s = &c[bytes <= 8 ? 0 : bytes <= 32 ? 1 : 32 - __builtin_clz(bytes - 1) - 4];
		tid = s->tid;			/* slab_alloc_node, fast path */
		obj = s->freelist;
		if (!obj)
			abort();		/* cannot happen: at most 16 live of 128 */
		next = floor_ptr(*(uintptr_t *)obj, obj, s->random);
		if (s->freelist == obj && s->tid == tid) {
			s->freelist = next;
			s->tid = tid + 1;
		}
		live[slot] = obj;
		nr_ops++;
	}
	t = bench_cpu_now() - t;
	return t * 1e9 / nr_ops;
}

/* The floor's median CPU ns per operation; beside it the engine's (the SLUB figure, log
 * off, measured just before: CPU ns per kmalloc or kfree) and their ratio. */
static void bench_floor(double engine_ns)
{
	double ns[BENCH_RUNS];

	for (int r = 0; r < BENCH_RUNS; r++)
		ns[r] = bench_floor_once();
	printf("name=slub_floor ns_per_op=%.1f", bench_median(ns, BENCH_RUNS));
	if (engine_ns > 0)
		printf(" engine_ns_per_op=%.1f ratio=%.1f", engine_ns, engine_ns / bench_median(ns, BENCH_RUNS));
	printf("\n");
	fflush(stdout);
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
	double slub_ns = 0;

	if (!sc || !nr_allocs) {
		fprintf(stderr, "usage: kmemsim-bench [NR_ALLOCS] [ctx|buddy|slab|floor|log|vcpus]\n");
		return 2;
	}
#define BENCH_PART(name) (!only || !strcmp(only, name))
	if (BENCH_PART("ctx"))
		rc = bench_ctx_switch();
	bench_buddy_scenario(sc, nr_allocs);
	if (!rc && BENCH_PART("buddy"))
		rc = bench_run(sc, false, NULL);
	if (!rc && (BENCH_PART("buddy") || BENCH_PART("log")))
		rc = bench_run(sc, true, NULL);
	for (int a = SIM_ALLOC_SLUB; !rc && (BENCH_PART("slab") || BENCH_PART("floor")) && a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		rc = bench_run(sc, false, a == SIM_ALLOC_SLUB ? &slub_ns : NULL);
		if (!BENCH_PART("slab"))
			break;		/* floor: SLUB only */
	}
	if (!rc && (BENCH_PART("slab") || BENCH_PART("floor")))
		bench_floor(slub_ns);
	for (int a = SIM_ALLOC_SLUB; !rc && (BENCH_PART("slab") || BENCH_PART("log")) && a <= SIM_ALLOC_SLAB; a++) {
		bench_slab_scenario(sc, nr_allocs, (enum sim_allocator)a);
		rc = bench_run(sc, true, NULL);
	}
	/* 1,953 pairs per vCPU by default: the 1,024-vCPU machine does 2 M pairs */
	if (!rc && BENCH_PART("vcpus"))
		rc = bench_vcpus(sc, nr_allocs / 512);
	if (only && !strncmp(only, "vcpus=", 6)) {	/* one count, one round (profiling) */
		double ny, ypo, ns = bench_vcpus_one(sc, nr_allocs / 512, atoi(only + 6), &ny, &ypo);

		printf("name=vcpus cpus=%s pairs_per_cpu=%llu ns_per_op=%.1f ns_per_yield=%.1f yields_per_op=%.2f\n",
		       only + 6, (unsigned long long)(nr_allocs / 512), ns, ny, ypo);
	}
#undef BENCH_PART
	sim_scenario_free(sc);
	free(sc);
	return rc ? 1 : 0;
}
