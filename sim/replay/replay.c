/*
 * replay.c - sim_replay: a kernel trace replayed through sim_run.
 *
 * Main entry: sim_replay.  The order of a replay:
 *
 *   the scenario: --scenario or the default (first: a bad one stops the
 *   replay before it reads anything)
 *     -> TRACE: a capture directory (sim_capture_open: machine, zones,
 *        caches) or a file ("-": stdin)
 *     -> learning pass when the file can be read twice (rp_learn_pass:
 *        highest CPU and pfn, call site -> cache votes, bulk calls, pages
 *        live at the SNAP0 zoneinfo mark), or the state of one done before
 *        and handed over (sim_replay_learn, replay_share.c)
 *     -> the replay's reader opened, its first event peeked (CPUs of a trace
 *        read once)
 *     -> the machine: the scenario's when its file names one, else the
 *        capture's (nodes, CPUs per node, distances, zones at their exact
 *        start_pfn and span with present and managed pages), else one node with the trace's CPUs and memory
 *        up to its highest pfn
 *     -> sim_run with the replay as driver: rp_start (tables, caches, the
 *        inferred boot pages, keeper, first window) ... the engine ... rp_finish (tables)
 *     -> the run's summary, then the replay's.
 *
 * sim_run's own errors are held back while it runs and printed after it,
 * except when the trace itself was bad: then its one line (printed by the
 * reader) is all, the status is SIM_EBADINPUT and no database is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replay_int.h"
#include "../db/db.h"
#include "../run/run.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

static const char *const rp_pages_names[] = { "non-slab", "all", "none" };

const char *sim_replay_pages_name(enum sim_replay_pages p)
{
	return (unsigned int)p < 3 ? rp_pages_names[p] : "?";
}

int sim_replay_pages_parse(const char *s, enum sim_replay_pages *out)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(s, rp_pages_names[i])) {
			*out = (enum sim_replay_pages)i;
			return 0;
		}
	return -1;
}

/* ------------------------------------------------------------- machine */

/* The capture's machine: its nodes and their CPUs, distances and zones. */
static int rp_machine_capture(struct replay *r, struct sim_scenario *sc)
{
	const struct sim_capture *c = r->cap;
	int nr_cpus = 0;

	if (c->nr_nodes > SIM_MAX_NODES) {
		fprintf(r->err, "%s: the capture has %d nodes; kmemsim simulates at most %d\n", c->dir,
			c->nr_nodes, SIM_MAX_NODES);
		return SIM_EBADINPUT;
	}
	sc->nr_nodes = c->nr_nodes;
	for (int n = 0; n < c->nr_nodes; n++) {
		struct sim_node_cfg *nd = &sc->node[n];
		uint64_t mib = 0;

		memset(nd, 0, sizeof(*nd));
		nd->nr_cpus = c->nr_cpus ? c->node[n].nr_cpus : 0;
		nr_cpus += nd->nr_cpus;
		for (int z = 0; z < SIM_CAPTURE_NR_ZONES; z++) {
			const struct sim_capture_zone *cz = &c->node[n].zone[z];

			if (!cz->spanned)
				continue;
			nd->zone_mib[z] = (cz->spanned + 255) / 256;
			nd->zone_start_pfn[z] = cz->start_pfn;	/* the exact geometry: holes as the kernel's */
			nd->zone_spanned_pages[z] = cz->spanned;
			nd->zone_present_pages[z] = cz->present;
			nd->zone_managed_pages[z] = cz->managed ? cz->managed : 1;
			nd->zone_late_freed_pages[z] = cz->late_freed;	/* dmesg's frees after the watermarks */
			mib += nd->zone_mib[z];
			if (r->o->capture_watermarks) {	/* verbatim, as a what-if override */
				nd->wmark_min[z] = cz->wmark_min;
				nd->wmark_low[z] = cz->wmark_low;
				nd->wmark_high[z] = cz->wmark_high;
				nd->pcp_high[z] = cz->have_pcp ? (uint32_t)cz->pcp_high : 0;
				nd->pcp_batch[z] = cz->have_pcp ? (uint32_t)cz->pcp_batch : 0;
			}
		}
		if (!c->have_zones) {	/* no zoneinfo: 1 GiB per node, as the default machine */
			if (n == 0) {
				nd->zone_mib[0] = 16;
				nd->zone_mib[1] = 1008;
			} else {
				nd->zone_mib[n * 1024 < 4096 ? 1 : 2] = 1024;
			}
			mib = 1024;
		}
		if (!mib) {		/* named by numa_topology.txt, else zoneinfo has no node n */
			if (c->node_line[n])
				fprintf(r->err, "%s/numa_topology.txt:%d: node%d: the node has no memory in the"
					" capture's zoneinfo; give --scenario with a machine\n", c->dir,
					c->node_line[n], n);
			else
				fprintf(r->err, "%s: node %d has no memory in the capture's zoneinfo;"
					" give --scenario with a machine\n", c->dir, n);
			return SIM_EBADINPUT;
		}
	}
	if (!c->nr_cpus) {		/* zoneinfo without topology: the CPUs of the trace on node 0 */
		nr_cpus = r->max_cpu + 1 > r->nr_cpus_header ? r->max_cpu + 1 : r->nr_cpus_header;
		sc->node[0].nr_cpus = nr_cpus > 0 ? nr_cpus : 1;
		nr_cpus = sc->node[0].nr_cpus;
	}
	if (nr_cpus > SIM_MAX_CPUS) {	/* the topology line that goes past the limit */
		int n = 0, sum = 0;

		while (n < c->nr_nodes - 1 && (sum += c->node[n].nr_cpus) <= SIM_MAX_CPUS)
			n++;
		fprintf(r->err, "%s/numa_topology.txt:%d: cpus: the capture has %d CPUs; kmemsim simulates at most %d\n",
			c->dir, c->node_line[n] ? c->node_line[n] : 1, nr_cpus, SIM_MAX_CPUS);
		return SIM_EBADINPUT;
	}
	for (int i = 0; i < sc->nr_nodes; i++)
		for (int j = 0; j < sc->nr_nodes; j++)
			sc->distance[i][j] = c->have_distance && c->distance[i][j] ? c->distance[i][j] : i == j ? 10 : 20;
	return 0;
}

/* A plain trace: one node with its CPUs, memory up to its highest pfn (at least 2 GiB). */
static int rp_machine_trace(struct replay *r, struct sim_scenario *sc)
{
	int nr_cpus = r->max_cpu + 1 > r->nr_cpus_header ? r->max_cpu + 1 : r->nr_cpus_header;
	uint64_t mib;

	if (r->max_pfn >= SIM_SCENARIO_MAX_MIB << 8) {	/* 256 pages of 4 KiB a MiB */
		fprintf(r->err, "%s:%lld: pfn: 0x%llx lies above the %llu GiB kmemsim simulates at most;"
			" give --scenario with a machine\n", r->trace_path, (long long)r->max_pfn_line,
			(unsigned long long)r->max_pfn, SIM_SCENARIO_MAX_MIB >> 10);
		return SIM_EBADINPUT;
	}
	mib = ((r->max_pfn + 1) * 4096 + (1ULL << 30) - 1) >> 30 << 10;
	if (nr_cpus < 1)
		nr_cpus = 1;
	if (nr_cpus > SIM_MAX_CPUS) {
		if (r->max_cpu >= SIM_MAX_CPUS)
			fprintf(r->err, "%s:%lld: cpu: CPU %d; kmemsim simulates at most %d CPUs\n", r->trace_path,
				(long long)r->max_cpu_line, r->max_cpu, SIM_MAX_CPUS);
		else
			fprintf(r->err, "%s: #P: the trace header names %d CPUs; kmemsim simulates at most %d\n",
				r->trace_path, nr_cpus, SIM_MAX_CPUS);
		return SIM_EBADINPUT;
	}
	if (mib < 2048)
		mib = 2048;
	memset(&sc->node[0], 0, sizeof(sc->node[0]));
	sc->nr_nodes = 1;
	sc->node[0].nr_cpus = nr_cpus;
	sc->node[0].zone_mib[0] = 16;
	sc->node[0].zone_mib[1] = (mib < 4096 ? mib : 4096) - 16;
	sc->node[0].zone_mib[2] = mib > 4096 ? mib - 4096 : 0;
	sc->distance[0][0] = 10;
	return 0;
}

/* Trace CPU -> vCPU: the capture's CPUs numbered node by node, else the identity. */
static int rp_cpu_map(struct replay *r, const struct sim_scenario *sc, bool from_capture)
{
	int len = 0, v = 0;

	r->nr_cpus = sim_scenario_nr_cpus(sc);
	if (from_capture && r->cap->nr_cpus) {
		for (int cpu = 0; cpu < SIM_CAPTURE_MAX_CPUS; cpu++)
			if (r->cap->cpu_node[cpu] >= 0)
				len = cpu + 1;
	} else {
		len = r->nr_cpus;
	}
	r->cpu_map = malloc((size_t)(len ? len : 1) * sizeof(*r->cpu_map));
	if (!r->cpu_map)
		return SIM_EFAIL;
	r->cpu_map_len = len;
	if (from_capture && r->cap->nr_cpus) {
		for (int cpu = 0; cpu < len; cpu++)
			r->cpu_map[cpu] = -1;
		for (int n = 0; n < r->cap->nr_nodes; n++)
			for (int cpu = 0; cpu < len; cpu++)
				if (r->cap->cpu_node[cpu] == n)
					r->cpu_map[cpu] = (int16_t)v++;
	} else {
		for (int cpu = 0; cpu < len; cpu++)
			r->cpu_map[cpu] = (int16_t)cpu;
	}
	return 0;
}

/* Replace a string of the scenario (the default's are static: not freed). */
static int rp_set_str(char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return -1;
	if (!sim_scenario_default_string(*dst))
		free(*dst);
	*dst = s;
	return 0;
}

/* The scenario at o->scenario_path with o->sets: a copy of o->scenario when the caller loaded it. */
int rp_scenario_get(const struct sim_replay_opts *o, struct sim_scenario *sc, FILE *err)
{
	if (!o->scenario)
		return sim_scenario_load_set(sc, o->scenario_path, o->sets, o->nr_sets, err);
	if (sim_scenario_copy(sc, o->scenario)) {
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	return 0;
}

/* The scenario of the run, before any reading: --scenario or the default, with the options. */
static int rp_scenario_load(struct replay *r, struct sim_scenario *sc)
{
	const struct sim_replay_opts *o = r->o;
	int rc;

	rc = rp_scenario_get(o, sc, r->err);
	if (rc)
		return rc;
	/* a scenario that names a machine keeps it: the capture's is the default */
	r->scenario_machine = sim_scenario_has_key(sc, "machine");
	if (o->allocator_set)
		sc->allocator = (enum sim_allocator)o->allocator;
	else if (sc->allocator == SIM_ALLOC_BUDDY && !sim_scenario_has_key(sc, "allocator"))
		sc->allocator = SIM_ALLOC_SLUB;
	if (sc->allocator == SIM_ALLOC_BUDDY)
		return sim_scenario_error(sc, "allocator", r->err, "a replay needs slub or slab (kernel objects), got buddy");
	if (sim_scenario_kernel_check(sc, o->cmd ? o->cmd : "kmemsim replay", r->err))
		return SIM_EBADINPUT;
	r->scenario_kernel = sc->kernel_given ? sc->kernel : -1;
	r->allocator = sc->allocator;
	if (o->seed_set)
		sc->seed = o->seed;
	sc->nr_streams = 0;		/* the trace is the workload */
	/* a trace lasts seconds: snapshots every 100 ms unless the scenario says */
	if (!sim_scenario_has_key(sc, "snapshot_interval_us"))
		sc->snapshot_interval_ns = RP_SNAPSHOT_NS;
	return 0;
}

/*
 * slub_debug on a kernel command line: bare `slub_debug` is mm/slub.c's DEBUG_DEFAULT_FLAGS
 * (F, Z, P, U); `slub_debug=OPTS[;OPTS...]` sets every cache's flags from a block without a
 * cache list (per-cache blocks `OPTS,name,...` are not modelled and ignored; so are the
 * letters O and A).  *found: whether the command line has the option.
 */
uint32_t rp_cmdline_slub_debug(const char *cmdline, bool *found)
{
	uint32_t flags = 0;

	*found = false;
	for (const char *p = cmdline; p && *p; ) {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 10 && !strncmp(p, "slub_debug", 10)) {
			*found = true;
			flags = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
		} else if (n > 10 && !strncmp(p, "slub_debug=", 11)) {
			const char *end = p + n, *b = p + 11;

			*found = true;
			flags = 0;
			while (b < end) {
				size_t bl = strcspn(b, ";");
				bool list = memchr(b, ',', bl < (size_t)(end - b) ? bl : (size_t)(end - b)) != NULL;

				for (const char *q = b; !list && q < b + bl && q < end; q++)
					flags |= sim_slub_debug_flag(*q);
				b += bl + 1;
			}
		}
		p += n;
	}
	return flags;
}

/* The machine, once the trace's extent is known: the scenario's, the capture's or the trace's. */
static int rp_scenario_machine(struct replay *r, struct sim_scenario *sc, const char **machine)
{
	const struct sim_replay_opts *o = r->o;
	char *desc = NULL;
	int rc;

	if (r->scenario_machine) {
		*machine = "the scenario";
		rc = 0;
	} else if (r->cap && (r->cap->nr_nodes || r->cap->have_zones)) {
		*machine = "the capture";
		rc = rp_machine_capture(r, sc);
	} else {
		*machine = "the trace";
		rc = rp_machine_trace(r, sc);
	}
	if (rc)
		return rc;
	if (asprintf(&desc, "replay of %s", r->trace_path) < 0 || rp_set_str(&sc->description, desc) ||
	    (!o->scenario_path && rp_set_str(&sc->name, "replay"))) {
		free(desc);
		return SIM_EFAIL;
	}
	free(desc);
	return rp_cpu_map(r, sc, !r->scenario_machine && r->cap && r->cap->nr_nodes);
}

/* --------------------------------------------------------- sim_run hooks */

static int rp_start(void *arg, struct sim_db *db, FILE *err)
{
	struct replay *r = arg;
	uint64_t t0 = 0;

	(void)err;
	r->min_free_kbytes = buddy_min_free_kbytes();
	if (rp_db_start(db) || rp_caches_create())
		return SIM_EFAIL;
	rp_boot_alloc(r);	/* what the kernel had in use before tracing began */
	/* the first event arrives once boot (caches created so far) is over on every vCPU */
	for (int c = 0; c < sim->nr_cpus; c++)
		if (sim->vcpu[c].clock_ns > t0)
			t0 = sim->vcpu[c].clock_ns;
	r->t0 = t0;
	r->read_ns = t0;
	if (rp_keeper_start())
		return SIM_EFAIL;
	rp_feed_start();
	return r->failed;
}

static void rp_count_live(uint64_t key, void *val, void *arg)
{
	const struct rp_obj *o = val;

	(void)key;
	if (o->state == RP_LIVE)
		(*(uint64_t *)arg)++;
}

static int rp_finish(void *arg, struct sim_db *db)
{
	struct replay *r = arg;

	sim_trace_prefetch_stop(r->pf);	/* the reader is ours again */
	r->pf = NULL;
	sim_ptrmap_each(&r->objs, rp_count_live, &r->st.nr_live_objects);
	sim_ptrmap_each(&r->pages, rp_count_live, &r->st.nr_live_pages);
	r->st.nr_lines = r->tr ? sim_trace_stats(r->tr)->nr_lines : 0;
	r->st.nr_events = r->nr_events;
	r->st.peak_inflight = r->peak_inflight;
	if (r->progress)
		rp_progress(true);
	return rp_db_finish(db);
}

/* --------------------------------------------------------------- summary */

static void rp_print(const struct replay *r, const char *machine, FILE *out)
{
	const struct sim_replay_stats *s = &r->st;
	const struct sim_trace_stats *ts = r->tr ? sim_trace_stats(r->tr) : NULL;
	const char *models = rp_kernel_models_other(r);
	int nr_stand_in = 0;

	for (int i = 0; i < r->nr_caches; i++)
		nr_stand_in += r->cache[i].source == RP_SRC_STAND_IN;
	rp_kconfig_print(r, out);

	fprintf(out, "replay: %s (%s, %llu lines, %llu events%s), machine of %s (%d vCPUs), kernel %s%s%s%s\n",
		r->trace_path, ts ? ts->compression : "?", (unsigned long long)s->nr_lines,
		(unsigned long long)s->nr_events, r->learned ? "; learning pass" : "; one pass", machine, r->nr_cpus,
		rp_kernel_name(r->kv), models ? " (traced; the models follow " : "", models ? models : "",
		models ? ")" : "");
	fprintf(out, "  replayed     %llu events as operations; %llu kernel-internal page events counted"
		" (trace_kernel_events)\n", (unsigned long long)s->nr_replayed,
		(unsigned long long)s->nr_kernel_internal);
	fprintf(out, "  objects      unmatched frees %llu, live pointers allocated again %llu,"
		" frees run before their allocation %llu, kfree(NULL) %llu\n",
		(unsigned long long)s->nr_unmatched_free, (unsigned long long)s->nr_live_realloc,
		(unsigned long long)s->nr_deferred_free, (unsigned long long)r->nr_null_free);
	fprintf(out, "  inferred     kmem_cache_alloc_bulk %llu calls, %llu objects; kfree_bulk %llu calls,"
		" %llu objects; unused nodes kmem_cache_free_bulk %llu calls, %llu objects; alloc_pages_bulk"
		" (vmalloc) %llu calls, %llu pages (untraced bulk calls, docs/traces.md)\n",
		(unsigned long long)s->nr_inferred_alloc_bulk_calls,
		(unsigned long long)s->nr_inferred_alloc_bulk_objects,
		(unsigned long long)s->nr_inferred_free_batch_calls,
		(unsigned long long)s->nr_inferred_free_batch_objects,
		(unsigned long long)s->nr_inferred_unused_calls,
		(unsigned long long)s->nr_inferred_unused_objects,
		(unsigned long long)s->nr_inferred_vmalloc_calls, (unsigned long long)s->nr_inferred_vmalloc_pages);
	rp_boot_print(r, out);
	if (r->nr_bucketed)
		fprintf(out, "  buckets      %llu kmallocs from memdup_user-* / msg_msg-* (kmem_buckets_alloc)\n",
			(unsigned long long)r->nr_bucketed);
	fprintf(out, "  caches       kmem_cache_alloc placed by site %llu, function %llu, capture %llu, size %llu,"
		" named %llu, stand-in %llu (%d stand-in caches)\n", (unsigned long long)r->nr_how[RP_HOW_SITE],
		(unsigned long long)r->nr_how[RP_HOW_FUNCTION], (unsigned long long)r->nr_how[RP_HOW_CAPTURE],
		(unsigned long long)r->nr_how[RP_HOW_SIZE], (unsigned long long)r->nr_how[RP_HOW_NAMED],
		(unsigned long long)r->nr_how[RP_HOW_STAND_IN], nr_stand_in);
	fprintf(out, "  pages        %s: slab pages told apart %llu allocs, %llu frees; not replayed %llu;"
		" unmatched page frees %llu\n", sim_replay_pages_name(r->o->pages),
		(unsigned long long)s->nr_slab_pages, (unsigned long long)s->nr_slab_page_frees,
		(unsigned long long)s->nr_pages_skipped, (unsigned long long)s->nr_unmatched_page_free);
	if (r->pfn_place)
		fprintf(out, "  placement    %llu page allocations placed by pfn on the node of the capture's zoneinfo,"
			" %llu of them remote from the allocating CPU\n", (unsigned long long)r->nr_pfn_placed,
			(unsigned long long)r->nr_pfn_remote);
	fprintf(out, "  at the end   %llu objects and %llu page blocks of the trace still allocated\n",
		(unsigned long long)s->nr_live_objects, (unsigned long long)s->nr_live_pages);
	if (ts && (ts->nr_bad || ts->nr_lost || r->nr_cpu_folded))
		fprintf(out, "  warnings     %llu malformed lines skipped, %llu events lost by the kernel,"
			" %llu events of CPUs the machine lacks\n", (unsigned long long)ts->nr_bad,
			(unsigned long long)ts->nr_lost, (unsigned long long)r->nr_cpu_folded);
	fprintf(out, "  wall         %.2f s (learning pass %.2f s), %.0f events/s\n", s->wall_s, r->pass1_wall_s,
		s->wall_s > 0 ? (double)s->nr_events / s->wall_s : 0.0);
}

/* ---------------------------------------------------------------- replay */

static int rp_alloc_per_cpu(struct replay *r)
{
	int n = r->nr_cpus;

	r->held = calloc((size_t)n, sizeof(*r->held));
	r->ks = calloc((size_t)n, sizeof(*r->ks));
	r->kev_cpu = calloc((size_t)n, sizeof(*r->kev_cpu));
	r->klevel = calloc((size_t)n, sizeof(*r->klevel));
	r->kremote = calloc((size_t)n, sizeof(*r->kremote));
	r->sirq_head = calloc((size_t)n, sizeof(*r->sirq_head));
	r->sirq_tail = calloc((size_t)n, sizeof(*r->sirq_tail));
	return r->held && r->ks && r->kev_cpu && r->klevel && r->kremote && r->sirq_head && r->sirq_tail ?
	       0 : SIM_EFAIL;
}

void rp_free(struct replay *r)
{
	rp_teardown_events();
	rp_caches_free();
	rp_marks_free();
	rp_callsites_free();
	sim_ptrmap_free(&r->boot_pfns);
	sim_ptrmap_free(&r->boot_vmaps);
	sim_trace_prefetch_stop(r->pf);
	r->pf = NULL;
	sim_trace_close(r->tr);
	sim_trace_close(r->evs_tr);
	sim_trace_evspool_free(r->evsp);
	sim_capture_free(r->cap);
	free(r->cpu_map);
	free(r->held);
	free(r->ks);
	free(r->kev_cpu);
	free(r->klevel);
	free(r->kremote);
	free(r->sirq_head);
	free(r->sirq_tail);
}

/* Where the trace is: a capture directory's trace, a file, or stdin. */
int rp_input(struct replay *r)
{
	const char *t = r->o->trace;
	struct stat st;
	int rc;

	if (r->o->trace_text) {		/* in memory: read twice in place, like a file */
		r->trace_path = t ? t : "<memory>";
		r->seekable = true;
		r->trace_bytes = r->o->trace_len;
		return 0;
	}
	if (!strcmp(t, "-")) {
		r->trace_path = t;
		return 0;
	}
	if (stat(t, &st)) {
		fprintf(r->err, "%s:0: input: cannot open: %s\n", t, strerror(errno));
		return SIM_EBADINPUT;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = sim_capture_open(&r->cap, t, r->err);
		if (rc)
			return rc;
		if (!r->cap->trace_path) {
			fprintf(r->err, "%s:0: input: no trace in the directory (trace.txt, trace.txt.xz,"
				" trace.txt.gz or trace)\n", t);
			return SIM_EBADINPUT;
		}
		r->trace_path = r->cap->trace_path;
		r->traced_slab = r->cap->slab_tunables;
		if (stat(r->trace_path, &st))
			return 0;	/* the reader says why */
	} else {
		r->trace_path = t;
	}
	r->seekable = S_ISREG(st.st_mode);
	r->trace_bytes = (uint64_t)st.st_size;
	return 0;
}

int sim_replay(const struct sim_replay_opts *o, FILE *out, FILE *err)
{
	struct replay r = { .o = o, .err = err, .max_cpu = -1, .nr_cpus_header = -1 };
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct sim_run_opts ro = { 0 };
	const char *machine = "?";
	char *held = NULL;
	size_t held_len = 0;
	FILE *run_err = NULL;
	bool adopted;
	int rc;

	if (!sc) {
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	rp = &r;
	r.progress = !o->quiet;
	r.wall_start = rp_wall_now();
	rc = rp_scenario_load(&r, sc);
	/* a learning pass done before (sim_replay_learn): its state, else the pass itself */
	adopted = !rc && rp_adopt(&r);
	if (!rc && !adopted)
		rc = rp_input(&r);
	if (!rc)
		rc = rp_kernel_pick(&r, sc);
	if (!rc)
		rc = rp_kernel_set(&r, sc);
	if (!rc)
		rp_kconfig(&r, sc);
	if (!rc)		/* --allocator slab, or a config with SLAB, on a kernel without SLAB */
		rc = sim_scenario_kernel_check(sc, o->cmd ? o->cmd : "kmemsim replay", err);
	if (!rc && !adopted)
		rp_boot_plan(&r);
	if (!rc && !adopted && r.seekable && !o->one_pass)
		rc = rp_learn_pass(&r);
	if (!rc) {
		if (r.evs_tr) {		/* the learning pass's events and reader (replay_share.c) */
			r.tr = r.evs_tr;
			r.evs_tr = NULL;
		} else {
			rc = rp_reader_open(&r, &r.tr);
		}
		/* a trace read once shows its CPUs as it goes: peek at the first line */
		if (!rc && !r.learned) {
			int n = sim_trace_next(r.tr, &r.ev);

			if (n < 0)
				rc = -n;
			r.peeked = n > 0;
			r.nr_cpus_header = sim_trace_stats(r.tr)->nr_cpus;
			r.max_cpu = n > 0 ? r.ev.cpu : -1;
			r.eof = n == 0;
		}
		/* decompress and parse ahead on the second core while the simulation runs (not
		 * worth a thread for a trace of a few hundred lines) */
		if (!rc && !r.eof && !r.evsp && !(r.seekable && r.trace_bytes < RP_PREFETCH_MIN))
			rc = sim_trace_prefetch_start(&r.pf, r.tr);
	}
	if (!rc)
		rc = rp_scenario_machine(&r, sc, &machine);
	/* pages where the kernel put them: the capture's zones tell a pfn's node (same numbering) */
	r.pfn_place = !o->no_pfn_placement && r.cap && r.cap->have_zones && !r.scenario_machine;
	if (!rc)
		rc = rp_alloc_per_cpu(&r);
	if (rc)
		goto out;

	ro.scenario = sc;
	ro.cmd = o->cmd ? o->cmd : "kmemsim replay";
	ro.db_path = o->db_path;
	ro.no_log = o->no_log;
	ro.log_aggregate = o->log_aggregate;
	ro.quiet = o->quiet;
	ro.driver_start = rp_start;
	ro.driver_finish = rp_finish;
	ro.driver_arg = &r;
	ro.op_observer = o->op_observer;
	ro.op_observer_arg = o->op_observer_arg;
	run_err = open_memstream(&held, &held_len);
	rc = sim_run(&ro, out, run_err ? run_err : err);
	if (run_err)
		fclose(run_err);
	if (r.failed) {
		/* the reader printed its line; the run's words about stopping add nothing */
		rc = r.failed;
	} else {
		if (!rc && !o->quiet)
			fputs(r.kernel_line, err);	/* which kernel, and why (replay_pick.c) */
		if (held)
			fputs(held, err);
		r.st.wall_s = rp_wall_now() - r.wall_start;
		if (!rc && !o->quiet)
			rp_print(&r, machine, out);
	}
	r.st.wall_s = rp_wall_now() - r.wall_start;
	if (o->stats)
		*o->stats = r.st;
out:
	free(held);
	rp_free(&r);
	sim_scenario_free(sc);
	free(sc);
	rp = NULL;
	return rc;
}
