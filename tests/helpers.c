/*
 * helpers.c - builders and checks shared by the Criterion tests (see helpers.h).
 *
 * Append a section for your module; do not rewrite others'.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/options.h>

#include "helpers.h"
#include "sim/db/db.h"

extern char **environ;

/* ---- databases and the kmemsim binary (tests/run/test_run.c, tests/cli/test_cli.c) ---- */

/* A growing string. */
struct hbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void hbuf_add(struct hbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *p = realloc(b->s, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* Collect the first column of each row, one per line. */
static int hcol_row(void *arg, int ncol, char **vals, char **names)
{
	(void)names;
	if (ncol > 0) {
		hbuf_add(arg, vals[0] ? vals[0] : "");
		hbuf_add(arg, "\n");
	}
	return 0;
}

/* One row: "v1|v2|...\n", NULL as \N. */
static int hdump_row(void *arg, int ncol, char **vals, char **names)
{
	(void)names;
	for (int i = 0; i < ncol; i++) {
		if (i)
			hbuf_add(arg, "|");
		hbuf_add(arg, vals[i] ? vals[i] : "\\N");
	}
	hbuf_add(arg, "\n");
	return 0;
}

/* Quote an SQL identifier. */
static void hbuf_ident(struct hbuf *b, const char *name)
{
	hbuf_add(b, "\"");
	for (const char *p = name; *p; p++) {
		char c[3] = { *p, *p == '"' ? '"' : 0, 0 };

		hbuf_add(b, c);
	}
	hbuf_add(b, "\"");
}

char *helper_db_dump(const char *path)
{
	struct sim_db *db = sim_db_open_existing(path, stderr);
	struct hbuf tables = { 0 }, out = { 0 };

	if (!db)
		return NULL;
	hbuf_add(&out, "");
	if (sim_db_query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
			 hcol_row, &tables, stderr))
		goto fail;
	for (char *t = tables.s, *nl; t && *t; t = nl + 1) {
		struct hbuf cols = { 0 }, sql = { 0 }, q = { 0 };
		bool first = true;

		nl = strchr(t, '\n');
		*nl = 0;
		hbuf_add(&q, "SELECT name FROM pragma_table_info('");
		hbuf_add(&q, t);
		hbuf_add(&q, "') ORDER BY cid");
		if (q.oom || sim_db_query(db, q.s, hcol_row, &cols, stderr)) {
			free(q.s);
			free(cols.s);
			goto fail;
		}
		/* SELECT kept columns FROM t ORDER BY the same columns */
		struct hbuf list = { 0 };

		for (char *c = cols.s, *cnl; c && *c; c = cnl + 1) {
			cnl = strchr(c, '\n');
			*cnl = 0;
			if (strstr(c, "wall"))
				continue;
			if (!first)
				hbuf_add(&list, ", ");
			hbuf_ident(&list, c);
			first = false;
		}
		hbuf_add(&out, "== ");
		hbuf_add(&out, t);
		hbuf_add(&out, "\n");
		if (!first) {
			hbuf_add(&sql, "SELECT ");
			hbuf_add(&sql, list.s);
			hbuf_add(&sql, " FROM ");
			hbuf_ident(&sql, t);
			hbuf_add(&sql, " ORDER BY ");
			hbuf_add(&sql, list.s);
			if (sql.oom || sim_db_query(db, sql.s, hdump_row, &out, stderr))
				out.oom = true;
		}
		free(q.s);
		free(cols.s);
		free(list.s);
		free(sql.s);
		if (out.oom)
			goto fail;
	}
	free(tables.s);
	sim_db_close(db, true, stderr);
	return out.s;
fail:
	free(tables.s);
	free(out.s);
	sim_db_close(db, true, stderr);
	return NULL;
}

uint64_t helper_db_hash(const char *path)
{
	char *d = helper_db_dump(path);
	uint64_t h = 0xcbf29ce484222325ULL;

	if (!d)
		return 0;
	for (const unsigned char *p = (const unsigned char *)d; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	free(d);
	return h;
}

static int hint_row(void *arg, int ncol, char **vals, char **names)
{
	int64_t *v = arg;

	(void)names;
	if (*v == -1 && ncol > 0 && vals[0])
		*v = strtoll(vals[0], NULL, 10);
	return 0;
}

int64_t helper_db_int(const char *path, const char *sql)
{
	struct sim_db *db = sim_db_open_update(path, stderr);	/* tests change a database with it too */
	int64_t v = -1;

	if (!db)
		return -1;
	if (sim_db_query(db, sql, hint_row, &v, stderr))
		v = -1;
	sim_db_close(db, true, stderr);
	return v;
}

static char *hread_fd(int fd)
{
	struct hbuf b = { 0 };
	char chunk[4097];
	ssize_t n;

	hbuf_add(&b, "");
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk) - 1)) > 0) {
		chunk[n] = 0;
		hbuf_add(&b, chunk);
	}
	return b.s;
}

int helper_run_kmemsim(const char *cwd, const char *const argv[], char **out, char **err)
{
	const char *bin = getenv("KMEMSIM_BIN");
	char tmpl_o[] = "/tmp/kmemsim-out-XXXXXX", tmpl_e[] = "/tmp/kmemsim-err-XXXXXX";
	int fo = mkstemp(tmpl_o), fe = mkstemp(tmpl_e), status = -1, rc = -1;
	posix_spawn_file_actions_t fa;
	const char *args[64];
	pid_t pid;
	int n = 0;

	if (fo >= 0)
		unlink(tmpl_o);		/* the open descriptors keep them */
	if (fe >= 0)
		unlink(tmpl_e);
	if (fo < 0 || fe < 0 || !bin)
		goto out;
	args[n++] = bin;
	for (int i = 1; argv && argv[i] && n < 63; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fo, 1);
	posix_spawn_file_actions_adddup2(&fa, fe, 2);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)args, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		rc = WEXITSTATUS(status);
	posix_spawn_file_actions_destroy(&fa);
out:
	if (out)
		*out = fo >= 0 ? hread_fd(fo) : NULL;
	if (err)
		*err = fe >= 0 ? hread_fd(fe) : NULL;
	if (fo >= 0)
		close(fo);
	if (fe >= 0)
		close(fe);
	return rc;
}

char *helper_tmpdir(void)
{
	char tmpl[] = "/tmp/kmemsim-test-XXXXXX";
	char *dir = mkdtemp(tmpl) ? strdup(tmpl) : NULL;

	cr_assert(dir, "cannot make a directory under /tmp: %s", strerror(errno));
	return dir;
}

/* nftw: a directory before its entries, so they can be removed (a test made it read-only) */
static int rmtree_writable(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && !(st->st_mode & S_IWUSR))
		chmod(path, st->st_mode | S_IRWXU);
	return 0;
}

/* nftw, depth first: an entry after those below it */
static int rmtree_remove(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) ? -1 : 0;
}

void helper_rmtree(char *dir)
{
	if (!dir)
		return;
	nftw(dir, rmtree_writable, 16, FTW_PHYS);
	cr_assert(nftw(dir, rmtree_remove, 16, FTW_DEPTH | FTW_PHYS) == 0, "%s: %s", dir, strerror(errno));
	cr_assert(access(dir, F_OK) != 0, "%s is still there", dir);
	free(dir);
}

char *helper_write_file(const char *dir, const char *name, const char *text)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;

	if (!path)
		return NULL;
	snprintf(path, n, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		free(path);
		return NULL;
	}
	return path;
}

char *helper_read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *text;

	if (fd < 0)
		return NULL;
	text = hread_fd(fd);
	close(fd);
	return text;
}

char *helper_default_db(const char *dir, const char *allocator)
{
	const char *argv[] = { "kmemsim", "run", "--allocator", allocator, "--db", NULL, "--quiet", NULL };
	char *path;

	if (asprintf(&path, "%s/%s.db", dir, allocator) < 0)
		return NULL;
	argv[5] = path;
	if (helper_run_kmemsim(NULL, argv, NULL, NULL) != 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* ---- shared real traces ---- */

char *helper_shared_traces(void)
{
	const char *e = getenv("KMEMSIM_SHARED_TRACES"), *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	if (e && *e)
		p = strdup(e);
	else if (asprintf(&p, "%s/../shared/traces", root ? root : ".") < 0)
		p = NULL;
	cr_assert(p != NULL);
	return p;
}

/* Criterion names skipped tests only under --verbose; name them always, so that a
 * test that could not run (no shared traces) never looks like one that passed. */
ReportHook(POST_TEST)(struct criterion_test_stats *st)
{
	if (st->test_status != CR_STATUS_SKIPPED || criterion_options.logging_threshold <= CRITERION_INFO)
		return;
	fprintf(stderr, "[SKIP] %s::%s: %s\n", st->test->category, st->test->name,
		st->message ? st->message : "skipped");
}

char *helper_shared_trace(const char *rel)
{
	char *dir = helper_shared_traces(), *p = NULL;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		p = NULL;
	free(dir);
	cr_assert(p != NULL);
	if (access(p, R_OK))
		cr_skip_test("no shared trace at %s (set KMEMSIM_SHARED_TRACES)", p);
	return p;
}

/* ---- SLAB model (tests/models/test_slab.c, tests/models/test_slab_geometry.c) ---- */

#include "models/buddy/buddy.h"
#include "models/slab_common/slab_common.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

/* The one builder behind every helper_*_machine_up: engine, buddy and the scenario's slab
 * allocator, vCPU 0 current; on failure the engine is gone again and NULL returned. */
static struct sim_scenario *helper_machine_up_sc(struct sim_scenario *sc, enum sim_allocator allocator)
{
	sc->allocator = allocator;
	sim_path_reset();
	if (!sim_scenario_engine_create(sc))
		return NULL;
	sim_engine_set_cpu(0);
	if (sim_scenario_buddy_init(sc) || sim_scenario_slab_init(sc)) {
		slab_common_exit();
		sim_engine_destroy(sim);
		return NULL;
	}
	sim_engine_set_cpu(0);
	return sc;
}

/* nr_nodes nodes, node n with cpus[n] vCPUs and zone_mib[n][ZONE_*] MiB; the rest
 * (distances 10 local / 20 remote included) as sim_scenario_default leaves it. */
static struct sim_scenario *helper_machine_new(int nr_nodes, const int *cpus, const uint64_t (*zone_mib)[4])
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sim_scenario_default(sc);
	sc->nr_nodes = nr_nodes;
	for (int nid = 0; nid < nr_nodes; nid++) {
		memset(&sc->node[nid], 0, sizeof(sc->node[nid]));
		sc->node[nid].nr_cpus = cpus[nid];
		for (int zid = 0; zid < 4; zid++)
			sc->node[nid].zone_mib[zid] = zone_mib[nid][zid];
	}
	return sc;
}

/* nr_nodes nodes of cpus_per_node vCPUs and mib_per_node MiB each: node 0 DMA 16 MiB
 * and DMA32 the rest, the others DMA32 (the layout of the shared 2-node captures). */
static struct sim_scenario *helper_machine_even(int nr_nodes, int cpus_per_node, uint64_t mib_per_node)
{
	int cpus[SIM_MAX_NODES];
	uint64_t zone_mib[SIM_MAX_NODES][4] = { { 0 } };

	for (int nid = 0; nid < nr_nodes; nid++) {
		cpus[nid] = cpus_per_node;
		zone_mib[nid][ZONE_DMA32] = mib_per_node;
	}
	zone_mib[0][ZONE_DMA] = 16;
	zone_mib[0][ZONE_DMA32] = mib_per_node - 16;
	return helper_machine_new(nr_nodes, cpus, zone_mib);
}

struct sim_scenario *helper_slab_machine_up_sc(struct sim_scenario *sc)
{
	return helper_machine_up_sc(sc, SIM_ALLOC_SLAB);
}

struct sim_scenario *helper_slab_machine_up(int nr_nodes, int cpus_per_node, uint64_t mib_per_node)
{
	struct sim_scenario *sc = helper_machine_even(nr_nodes, cpus_per_node, mib_per_node);

	return sc ? helper_slab_machine_up_sc(sc) : NULL;
}

void helper_slab_machine_down(struct sim_scenario *sc)
{
	slab_common_exit();
	helper_buddy_machine_down(sc);
}

bool helper_check_first_line(bool (*check)(FILE *why), char *line, size_t size)
{
	FILE *why = tmpfile();
	bool ok = check(why);

	line[0] = 0;
	if (!ok && why) {
		rewind(why);
		if (!fgets(line, (int)size, why))
			line[0] = 0;
	}
	if (why)
		fclose(why);
	return ok;
}

static void helper_slab_sink(const struct sim_op *op, void *arg)
{
	struct helper_slab_log *log = arg;

	if (log->nr == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct sim_op *ops = realloc(log->ops, cap * sizeof(*ops));

		if (!ops)
			return;
		log->ops = ops;
		log->cap = cap;
	}
	log->ops[log->nr++] = *op;
}

void helper_slab_log_start(struct helper_slab_log *log)
{
	memset(log, 0, sizeof(*log));
	sim_path_set_sink(helper_slab_sink, log);
}

void helper_slab_log_stop(struct helper_slab_log *log)
{
	sim_path_set_sink(NULL, NULL);
	free(log->ops);
	memset(log, 0, sizeof(*log));
}

bool helper_slab_op_has_label(const struct sim_op *op, const char *label)
{
	for (unsigned int i = 0; i < op->nr_labels; i++)
		if (!strcmp(sim_path_label_name(op->labels[i]), label))
			return true;
	return false;
}

size_t helper_slab_count_label(const struct helper_slab_log *log, int kind, const char *label)
{
	size_t n = 0;

	for (size_t i = 0; i < log->nr; i++)
		if (log->ops[i].kind == kind && helper_slab_op_has_label(&log->ops[i], label))
			n++;
	return n;
}

size_t helper_slab_count_level(const struct helper_slab_log *log, int kind, int level)
{
	size_t n = 0;

	for (size_t i = 0; i < log->nr; i++)
		if (log->ops[i].kind == kind && log->ops[i].level == level)
			n++;
	return n;
}

static struct sim_op helper_slab_last;

void *helper_slab_alloc(int cpu, struct kmem_cache *s, size_t size, unsigned int gfp, int node)
{
	struct sim_op op;
	void *obj;

	sim_engine_set_cpu(cpu);
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp;
	obj = size ? kmalloc_node(size, gfp, node) : kmem_cache_alloc_node(s, gfp, node);
	sim_op_end(&op);
	helper_slab_last = op;
	return obj;
}

void helper_slab_free(int cpu, void *obj)
{
	struct sim_op op;

	sim_engine_set_cpu(cpu);
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kfree(obj);
	sim_op_end(&op);
	helper_slab_last = op;
}

int helper_slab_last_level(void)
{
	return helper_slab_last.level;
}

const struct sim_op *helper_slab_last_op(void)
{
	return &helper_slab_last;
}

/* ---- SLUB model (tests/models/test_slub.c, tests/models/test_slub_geometry.c) ---- */

#include "models/slub/slub.h"

struct sim_scenario *helper_slub_engine_up(int nr_cpus)
{
	struct sim_scenario *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sim_scenario_default(sc);
	sc->nr_nodes = 1;
	memset(&sc->node[1], 0, sizeof(sc->node[1]));
	sc->node[0].nr_cpus = nr_cpus;
	sc->allocator = SIM_ALLOC_SLUB;
	if (!sim_scenario_engine_create(sc))
		return NULL;
	sim_engine_set_cpu(0);
	return sc;
}

struct sim_scenario *helper_slub_machine_up_sc(struct sim_scenario *sc, bool freelist_random)
{
	struct slub_params p;

	slub_params_default(&p);
	p.freelist_random = freelist_random;
	p.cpu_partial = sc->slub_cpu_partial;
	slub_set_params(&p);
	return helper_machine_up_sc(sc, SIM_ALLOC_SLUB);
}

struct sim_scenario *helper_slub_machine_up_params(int nr_nodes, int cpus_per_node, const struct slub_params *p)
{
	struct sim_scenario *sc = helper_machine_even(nr_nodes, cpus_per_node, 1024);

	if (!sc)
		return NULL;
	slub_set_params(p);
	return helper_machine_up_sc(sc, SIM_ALLOC_SLUB);
}

struct sim_scenario *helper_slub_machine_up(int nr_nodes, int cpus_per_node, bool freelist_random)
{
	struct sim_scenario *sc = helper_machine_even(nr_nodes, cpus_per_node, 1024);

	return sc ? helper_slub_machine_up_sc(sc, freelist_random) : NULL;
}

/* ---- buddy allocator ---- */

struct sim_scenario *helper_buddy_machine_up_sc(struct sim_scenario *sc)
{
	return helper_machine_up_sc(sc, SIM_ALLOC_BUDDY);
}

struct sim_scenario *helper_buddy_machine_up(int nr_nodes, const int *cpus, const uint64_t (*zone_mib)[4])
{
	struct sim_scenario *sc = helper_machine_new(nr_nodes, cpus, zone_mib);

	if (sc && !helper_buddy_machine_up_sc(sc)) {
		free(sc);
		return NULL;
	}
	return sc;
}

void helper_buddy_machine_down(struct sim_scenario *sc)
{
	buddy_exit();
	if (sim)
		sim_engine_destroy(sim);
	if (sc) {
		sim_scenario_free(sc);
		free(sc);
	}
}

struct page *helper_buddy_alloc(int cpu, int nid, unsigned int gfp, unsigned int order, struct sim_op *op)
{
	struct sim_op o;
	struct page *page;

	sim_engine_set_cpu(cpu);
	sim_op_begin(&o, SIM_OP_PAGE_ALLOC);
	page = alloc_pages_node(nid, gfp, order);
	sim_op_end(&o);
	if (op)
		*op = o;
	return page;
}

void helper_buddy_free(int cpu, struct page *page, unsigned int order, struct sim_op *op)
{
	struct sim_op o;

	sim_engine_set_cpu(cpu);
	sim_op_begin(&o, SIM_OP_PAGE_FREE);
	__free_pages(page, order);
	sim_op_end(&o);
	if (op)
		*op = o;
}

/* ---- buddy rules ---- */

#include <criterion/new/assert.h>

#include "models/buddy/buddy_int.h"

struct sim_scenario *helper_buddy_crafted_up(int kernel, int nr_nodes, const uint64_t (*zone_mib)[4])
{
	int cpus[SIM_MAX_NODES];
	struct sim_scenario *sc;

	kernel_version = (enum kernel_version)kernel;
	for (int nid = 0; nid < nr_nodes; nid++)
		cpus[nid] = 1;
	sc = helper_machine_new(nr_nodes, cpus, zone_mib);
	if (!sc)
		return NULL;
	/* pageblock_order 10 is 6.12's without HUGETLB_PAGE and THP (with THP it would be 9, and
	 * order 9 a pcp order); THP off in 6.1 too, so order 9 and 10 go to the zone in both */
	sc->page_block_order = 10;
	sc->thp = false;
	sc->min_free_kbytes = 128;
	if (!helper_buddy_machine_up_sc(sc)) {
		free(sc);
		return NULL;
	}
	return sc;
}

void helper_buddy_fragment_zone(unsigned int gfp, unsigned int order, struct page **owned, size_t nr_pfns)
{
	struct zone *zone = &NODE_DATA(0)->node_zones[ZONE_DMA32];
	unsigned long wmark[NR_WMARK];
	struct page *page;

	memset(owned, 0, nr_pfns * sizeof(*owned));
	memcpy(wmark, zone->_watermark, sizeof(wmark));
	memset(zone->_watermark, 0, sizeof(zone->_watermark));
	while ((page = helper_buddy_alloc(0, 0, gfp | __GFP_NOWARN, order, NULL))) {
		cr_assert(page_to_pfn(page) < nr_pfns);
		owned[page_to_pfn(page)] = page;
	}
	cr_assert(eq(u64, buddy_zone_free_pages(0, ZONE_DMA32), 0));
	for (uint64_t pfn = 1UL << order; pfn < nr_pfns; pfn += 2UL << order)
		if (owned[pfn]) {
			helper_buddy_free(0, owned[pfn], order, NULL);
			owned[pfn] = NULL;
		}
	drain_all_pages();
	memcpy(zone->_watermark, wmark, sizeof(wmark));
	for (int cpu = 0; cpu < nr_cpu_ids; cpu++)
		refresh_cpu_vm_stats(cpu);
	for (unsigned int o = order + 1; o < MAX_ORDER; o++)
		cr_assert(eq(u64, zone->free_area[o].nr_free, 0), "order %u", o);
}

uint64_t helper_vmstat_value(const char *name)
{
	const char *names[NR_VMSTAT_LINES];
	uint64_t values[NR_VMSTAT_LINES];
	int n = buddy_vmstat(names, values, NR_VMSTAT_LINES);

	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return values[i];
	return UINT64_MAX;
}

void helper_buddy_ac(struct alloc_context *ac, int nid, unsigned int gfp)
{
	memset(ac, 0, sizeof(*ac));
	ac->highest_zoneidx = (enum zone_type)gfp_zone(gfp);
	ac->zonelist = node_zonelist(nid, gfp);
	ac->migratetype = gfp_migratetype(gfp);
	ac->preferred_zoneref = first_zones_zonelist(ac->zonelist, ac->highest_zoneidx, NULL);
}
