/*
 * report.c - the summary after a run, and /proc/buddyinfo and
 * /proc/zoneinfo rebuilt from a run's database.
 *
 * Counters: sim_report_count is called for every ended operation (from the
 * run's op sink, log or no log) and bumps a cell per (kind, node, zone) for
 * page operations, or per (cache, kind) for object operations: a level
 * histogram and a failure count.  O(1) per operation, no allocation.
 *
 * /proc layouts: sim_report_print_buddyinfo and sim_report_print_zoneinfo
 * print zones exactly as mm/vmstat.c's frag_show_print and
 * zoneinfo_show_print do, limited to what the simulator models: in zoneinfo
 * the per-node stats and the zone vmstat items other than nr_free_pages (LRU,
 * mlock, bounce, zspages, CMA counts) are left out, as we keep no such pages;
 * ZONE_DEVICE is printed, empty, because Debian's kernel has it; every line that is
 * printed has the kernel's layout, so `grep -v` of those lines from a real
 * machine's file diffs cleanly against ours.  The loaders that fill
 * struct sim_report_zone from a database are at the end of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../engine/path.h"
#include "../scenario/scenario.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define RP_ZONE_NONE 4			/* cell index for "no zone" (failed, objects) */
#define RP_TOP_CACHES 10		/* caches the summary shows, by object operations */
#define RP_NR_ZONE_CELLS 5

/* One row of the table: a level histogram and the failures. */
struct rp_cell {
	uint64_t level[SIM_NR_LEVELS];	/* [0] = level unset */
	uint64_t failed;
};

struct sim_report {
	struct rp_cell page[SIM_NR_OP_KINDS][SIM_MAX_NODES][RP_NR_ZONE_CELLS];
	struct rp_cell (*cache)[2];	/* [cache id][alloc, free]; nr_caches rows */
	int nr_caches;
	uint64_t nr_ops;
	sim_report_cache_name_fn *cache_name;
};

static const char *const rp_kind_names[SIM_NR_OP_KINDS] = {
	[SIM_OP_PAGE_ALLOC] = "page_alloc",
	[SIM_OP_PAGE_FREE] = "page_free",
	[SIM_OP_OBJ_ALLOC] = "obj_alloc",
	[SIM_OP_OBJ_FREE] = "obj_free",
};

/* include/linux/mmzone.h zone names, with ZONE_DEVICE as Debian builds it. */
static const char *const rp_zone_names[SIM_REPORT_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device"
};

const char *sim_report_kind_name(int kind)
{
	return kind >= 0 && kind < SIM_NR_OP_KINDS ? rp_kind_names[kind] : "?";
}

const char *sim_report_zone_name(int zid)
{
	return zid >= 0 && zid < SIM_REPORT_NR_ZONES ? rp_zone_names[zid] : "-";
}

/* ------------------------------------------------------------ counters */

struct sim_report *sim_report_create(void)
{
	return calloc(1, sizeof(struct sim_report));
}

void sim_report_destroy(struct sim_report *r)
{
	if (!r)
		return;
	free(r->cache);
	free(r);
}

void sim_report_set_cache_name(struct sim_report *r, sim_report_cache_name_fn *fn)
{
	r->cache_name = fn;
}

/* The row for cache `id`, growing the table; NULL when out of memory. */
static struct rp_cell *rp_cache_cell(struct sim_report *r, int id, int kind)
{
	if (id >= r->nr_caches) {
		int n = id + 16;
		struct rp_cell (*c)[2] = realloc(r->cache, (size_t)n * sizeof(*c));

		if (!c)
			return NULL;
		memset(c + r->nr_caches, 0, (size_t)(n - r->nr_caches) * sizeof(*c));
		r->cache = c;
		r->nr_caches = n;
	}
	return &r->cache[id][kind == SIM_OP_OBJ_FREE];
}

static struct rp_cell *rp_page_cell(struct sim_report *r, int kind, int node, int zone)
{
	if (node < 0 || node >= SIM_MAX_NODES)
		node = 0;
	if (zone < 0 || zone >= RP_ZONE_NONE)
		zone = RP_ZONE_NONE;
	return &r->page[kind][node][zone];
}

void sim_report_count(struct sim_report *r, const struct sim_op *op)
{
	struct rp_cell *c;
	int kind = op->kind, level = op->level;

	r->nr_ops++;
	if (kind < 0 || kind >= SIM_NR_OP_KINDS)
		return;
	if (level < 0 || level >= SIM_NR_LEVELS)
		level = 0;
	if (op->cache >= 0 && (kind == SIM_OP_OBJ_ALLOC || kind == SIM_OP_OBJ_FREE))
		c = rp_cache_cell(r, op->cache, kind);
	else
		c = rp_page_cell(r, kind, op->mem_node >= 0 ? op->mem_node : op->node, op->zone);
	if (!c)
		return;
	c->level[level]++;
	c->failed += op->failed;
}

uint64_t sim_report_nr_ops(const struct sim_report *r)
{
	return r->nr_ops;
}

uint64_t sim_report_nr_level(const struct sim_report *r, int kind, int node, int zone, int level)
{
	if (kind < 0 || kind >= SIM_NR_OP_KINDS || level < 0 || level >= SIM_NR_LEVELS)
		return 0;
	return rp_page_cell((struct sim_report *)r, kind, node, zone)->level[level];
}

uint64_t sim_report_nr_failed(const struct sim_report *r, int kind, int node, int zone)
{
	if (kind < 0 || kind >= SIM_NR_OP_KINDS)
		return 0;
	return rp_page_cell((struct sim_report *)r, kind, node, zone)->failed;
}

/* ------------------------------------------------------------- summary */

static uint64_t rp_cell_total(const struct rp_cell *c)
{
	uint64_t n = 0;

	for (int l = 0; l < SIM_NR_LEVELS; l++)
		n += c->level[l];
	return n;
}

static void rp_print_caches(const struct sim_report *r, FILE *out);

static void rp_print_cell(FILE *out, const char *kind, const char *where, const struct rp_cell *c)
{
	fprintf(out, "%-10s %-18s %10llu", kind, where, (unsigned long long)rp_cell_total(c));
	for (int l = 1; l < SIM_NR_LEVELS; l++)
		fprintf(out, " %9llu", (unsigned long long)c->level[l]);
	fprintf(out, " %9llu\n", (unsigned long long)c->failed);
}

/* One object row: the operations, then each level's share of them. */
static void rp_print_share(FILE *out, const char *kind, const char *where, const struct rp_cell *c)
{
	uint64_t n = rp_cell_total(c);

	fprintf(out, "%-10s %-18s %10llu", kind, where, (unsigned long long)n);
	for (int l = 1; l < SIM_NR_LEVELS; l++)
		fprintf(out, " %8.2f%%", n ? 100.0 * (double)c->level[l] / (double)n : 0.0);
	fprintf(out, " %9llu\n", (unsigned long long)c->failed);
}

/* Ids of caches with object operations, most operations first (ties: lower id). */
static int rp_cache_order(const struct sim_report *r, int *ids)
{
	int n = 0;

	for (int id = 0; id < r->nr_caches; id++) {
		uint64_t t = rp_cell_total(&r->cache[id][0]) + rp_cell_total(&r->cache[id][1]);
		int i = n++;

		if (!t) {
			n--;
			continue;
		}
		/* insertion sort: a run has a few hundred caches at most */
		while (i > 0) {
			int p = ids[i - 1];
			uint64_t pt = rp_cell_total(&r->cache[p][0]) + rp_cell_total(&r->cache[p][1]);

			if (pt >= t)
				break;
			ids[i] = p;
			i--;
		}
		ids[i] = id;
	}
	return n;
}

/* The top caches by object operations: L1..L5 shares of their allocations and frees. */
static void rp_print_caches(const struct sim_report *r, FILE *out)
{
	int *ids = r->nr_caches ? malloc((size_t)r->nr_caches * sizeof(*ids)) : NULL;
	int n = ids ? rp_cache_order(r, ids) : 0;
	char where[64];

	if (!n) {
		free(ids);
		return;
	}
	fprintf(out, "object operations by cache (top %d of %d by operations), share of each level:\n",
		n < RP_TOP_CACHES ? n : RP_TOP_CACHES, n);
	for (int i = 0; i < n && i < RP_TOP_CACHES; i++) {
		int id = ids[i];
		const char *name = r->cache_name ? r->cache_name(id) : NULL;

		if (name)
			snprintf(where, sizeof(where), "%s", name);
		else
			snprintf(where, sizeof(where), "cache#%d", id);
		for (int k = 0; k < 2; k++)
			if (rp_cell_total(&r->cache[id][k]))
				rp_print_share(out, rp_kind_names[k ? SIM_OP_OBJ_FREE : SIM_OP_OBJ_ALLOC], where,
					       &r->cache[id][k]);
	}
	free(ids);
}

void sim_report_print(const struct sim_report *r, const struct sim_report_run *run, FILE *out)
{
	char where[64];

	fprintf(out, "kmemsim: scenario %s, allocator %s, seed %llu, %d vCPUs on %d node%s\n",
		run->scenario ? run->scenario : "-", run->allocator ? run->allocator : "-",
		(unsigned long long)run->seed, run->nr_cpus, run->nr_nodes,
		run->nr_nodes == 1 ? "" : "s");
	fprintf(out, "%-10s %-18s %10s %9s %9s %9s %9s %9s %9s\n",
		"kind", "node/zone|cache", "ops", "L1", "L2", "L3", "L4", "L5", "failed");
	for (int k = 0; k < SIM_NR_OP_KINDS; k++) {
		for (int n = 0; n < SIM_MAX_NODES; n++) {
			for (int z = 0; z < RP_NR_ZONE_CELLS; z++) {
				const struct rp_cell *c = &r->page[k][n][z];

				if (!rp_cell_total(c))
					continue;
				snprintf(where, sizeof(where), "%d/%s", n,
					 z == RP_ZONE_NONE ? "-" : rp_zone_names[z]);
				rp_print_cell(out, rp_kind_names[k], where, c);
			}
		}
	}
	rp_print_caches(r, out);
	fprintf(out, "ops %llu, simulated %llu.%09llu s, wall %.3f s, %.0f ops/s\n",
		(unsigned long long)r->nr_ops,
		(unsigned long long)(run->sim_ns / 1000000000ULL),
		(unsigned long long)(run->sim_ns % 1000000000ULL),
		run->wall_s, run->wall_s > 0 ? (double)r->nr_ops / run->wall_s : 0.0);
	if (run->nr_live)
		fprintf(out, "live at the end: %llu allocations never freed\n",
			(unsigned long long)run->nr_live);
	if (run->nr_violations)
		fprintf(out, "invariant violations: %llu%s\n", (unsigned long long)run->nr_violations,
			run->db_path ? " (table violations)" : "");
	if (run->db_path)
		fprintf(out, "database %s%s\n", run->db_path, run->log_ops ? "" : " (operations not logged)");
}

/* --------------------------------------------------------------- /proc */

/* The NUMA event counters zoneinfo prints (numa_stat_name order). */
static const char *const rp_numa_names[6] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other"
};

/* kernel: frag_show_print, mm/vmstat.c (populated zones only) */
void sim_report_print_buddyinfo(const struct sim_report_zone *z, int nr_zones, FILE *out)
{
	for (int i = 0; i < nr_zones; i++) {
		if (!z[i].populated)
			continue;
		fprintf(out, "Node %d, zone %8s ", z[i].nid, sim_report_zone_name(z[i].zid));
		for (int order = 0; order < SIM_REPORT_NR_ORDERS; order++)
			fprintf(out, "%6llu ", (unsigned long long)z[i].nr_free[order]);
		fputc('\n', out);
	}
}

/* kernel: zoneinfo_show_print, mm/vmstat.c (the parts we model; see the top) */
void sim_report_print_zoneinfo(const struct sim_report_zone *z, int nr_zones, FILE *out)
{
	for (int i = 0; i < nr_zones; i++) {
		const struct sim_report_zone *zone = &z[i];

		fprintf(out, "Node %d, zone %8s", zone->nid, sim_report_zone_name(zone->zid));
		fprintf(out, "\n  pages free     %llu"
			"\n        boost    %llu"
			"\n        min      %llu"
			"\n        low      %llu"
			"\n        high     %llu"
			"\n        spanned  %llu"
			"\n        present  %llu"
			"\n        managed  %llu"
			"\n        cma      %llu",
			(unsigned long long)zone->free_pages, (unsigned long long)zone->boost,
			(unsigned long long)zone->min, (unsigned long long)zone->low,
			(unsigned long long)zone->high, (unsigned long long)zone->spanned,
			(unsigned long long)zone->present, (unsigned long long)zone->managed,
			(unsigned long long)zone->cma);
		fprintf(out, "\n        protection: (%lld", (long long)zone->protection[0]);
		for (int j = 1; j < SIM_REPORT_NR_ZONES; j++)
			fprintf(out, ", %lld", (long long)zone->protection[j]);
		fputc(')', out);
		if (!zone->populated) {
			fputc('\n', out);
			continue;
		}
		fprintf(out, "\n      %-12s %llu", "nr_free_pages", (unsigned long long)zone->free_pages);
		for (int j = 0; j < 6; j++)
			fprintf(out, "\n      %-12s %llu", rp_numa_names[j], (unsigned long long)zone->numa[j]);
		fprintf(out, "\n  pagesets");
		for (int cpu = 0; cpu < zone->nr_cpus; cpu++) {
			fprintf(out, "\n    cpu: %i"
				"\n              count: %i"
				"\n              high:  %i"
				"\n              batch: %i",
				cpu, zone->pcp[cpu].count, zone->pcp[cpu].high, zone->pcp[cpu].batch);
			fprintf(out, "\n  vm stats threshold: %d", zone->pcp[cpu].stat_threshold);
		}
		fprintf(out, "\n  node_unreclaimable:  %u"
			"\n  start_pfn:           %llu",
			0u, (unsigned long long)zone->start_pfn);
		fputc('\n', out);
	}
}

/* ------------------------------------------------------ database loaders */

/* Zones being loaded: nr_nodes * SIM_REPORT_NR_ZONES, indexed node * 5 + zid. */
struct rp_load {
	struct sim_report_zone *z;
	int nr_nodes;
	bool oom;
};

static uint64_t rp_u64(const char *v)
{
	return v ? strtoull(v, NULL, 10) : 0;
}

/* The zone (nid, zid) of l, growing the table to hold node nid; NULL when out of memory. */
static struct sim_report_zone *rp_zone_at(struct rp_load *l, const char *nid_s, const char *zid_s)
{
	int nid = nid_s ? atoi(nid_s) : -1, zid = zid_s ? atoi(zid_s) : -1;

	if (nid < 0 || nid >= SIM_MAX_NODES || zid < 0 || zid >= SIM_REPORT_NR_ZONES)
		return NULL;
	if (nid >= l->nr_nodes) {
		struct sim_report_zone *z = realloc(l->z, (size_t)(nid + 1) * SIM_REPORT_NR_ZONES * sizeof(*z));

		if (!z) {
			l->oom = true;
			return NULL;
		}
		memset(z + l->nr_nodes * SIM_REPORT_NR_ZONES, 0,
		       (size_t)(nid + 1 - l->nr_nodes) * SIM_REPORT_NR_ZONES * sizeof(*z));
		for (int n = l->nr_nodes; n <= nid; n++) {
			for (int i = 0; i < SIM_REPORT_NR_ZONES; i++) {
				z[n * SIM_REPORT_NR_ZONES + i].nid = n;
				z[n * SIM_REPORT_NR_ZONES + i].zid = i;
			}
		}
		l->z = z;
		l->nr_nodes = nid + 1;
	}
	return &l->z[nid * SIM_REPORT_NR_ZONES + zid];
}

/* A zones row: node, zone, populated, start_pfn, spanned, present, managed, free,
 * min, low, high, boost, protection x4, numa x6. */
static int rp_zone_row(void *arg, int ncol, char **v, char **names)
{
	struct sim_report_zone *z = rp_zone_at(arg, v[0], v[1]);

	(void)names;
	if (!z || ncol != 22)
		return 0;
	z->populated = rp_u64(v[2]) != 0;
	z->start_pfn = rp_u64(v[3]);
	z->spanned = rp_u64(v[4]);
	z->present = rp_u64(v[5]);
	z->managed = rp_u64(v[6]);
	z->free_pages = rp_u64(v[7]);
	z->min = rp_u64(v[8]);
	z->low = rp_u64(v[9]);
	z->high = rp_u64(v[10]);
	z->boost = rp_u64(v[11]);
	for (int i = 0; i < 4; i++)
		z->protection[i] = rp_u64(v[12 + i]);
	/* ZONE_DEVICE manages no pages, so its reserve equals Movable's. */
	z->protection[4] = z->protection[3];
	for (int i = 0; i < 6; i++)
		z->numa[i] = rp_u64(v[16 + i]);
	return 0;
}

/* A pcp row: node, zone, cpu, count, high, batch, stat_threshold (in cpu order). */
static int rp_pcp_row(void *arg, int ncol, char **v, char **names)
{
	struct rp_load *l = arg;
	struct sim_report_zone *z = rp_zone_at(l, v[0], v[1]);
	struct sim_report_pcp *p;

	(void)names;
	if (!z || ncol != 7)
		return 0;
	p = realloc(z->pcp, (size_t)(z->nr_cpus + 1) * sizeof(*p));
	if (!p) {
		l->oom = true;
		return 1;
	}
	z->pcp = p;
	z->pcp[z->nr_cpus++] = (struct sim_report_pcp){
		(int)rp_u64(v[3]), (int)rp_u64(v[4]), (int)rp_u64(v[5]), (int)rp_u64(v[6])
	};
	return 0;
}

/* A final buddyinfo row: node, zone, order, blocks free (all migratetypes). */
static int rp_free_row(void *arg, int ncol, char **v, char **names)
{
	struct sim_report_zone *z = rp_zone_at(arg, v[0], v[1]);
	int order = v[2] ? atoi(v[2]) : -1;

	(void)names;
	if (z && ncol == 4 && order >= 0 && order < SIM_REPORT_NR_ORDERS)
		z->nr_free[order] = rp_u64(v[3]);
	return 0;
}

static void rp_free_zones(struct sim_report_zone *z, int n);

/* Every zone of the run's final state, from the zones, pcp and buddy_snapshots tables. */
static int rp_load_zones(const char *db_path, struct sim_report_zone **out, int *nr_out, FILE *err)
{
	struct sim_db *db = sim_db_open_existing(db_path, err);
	struct rp_load l = { 0 };
	int rc = 0;

	*out = NULL;
	*nr_out = 0;
	if (!db)
		return SIM_EFAIL;
	if (sim_db_query(db, "SELECT node, zone, populated, start_pfn, spanned, present, managed,"
			 " free, min, low, high, boost, protection_dma, protection_dma32,"
			 " protection_normal, protection_movable, numa_hit, numa_miss, numa_foreign,"
			 " numa_interleave, numa_local, numa_other FROM zones ORDER BY node, zone",
			 rp_zone_row, &l, err) ||
	    sim_db_query(db, "SELECT node, zone, cpu, count, high, batch, stat_threshold FROM pcp"
			 " ORDER BY node, zone, cpu", rp_pcp_row, &l, err) ||
	    sim_db_query(db, "SELECT node, zone, \"order\", sum(nr_free) FROM buddy_snapshots"
			 " WHERE final GROUP BY node, zone, \"order\"", rp_free_row, &l, err))
		rc = SIM_EFAIL;
	if (!rc && l.oom) {
		fprintf(err, "kmemsim: out of memory\n");
		rc = SIM_EFAIL;
	}
	if (!rc && !l.nr_nodes) {
		fprintf(err, "%s: no zones: the run did not finish\n", db_path);
		rc = SIM_EFAIL;
	}
	sim_db_close(db, false, err);
	if (rc) {
		rp_free_zones(l.z, l.nr_nodes * SIM_REPORT_NR_ZONES);
		return rc;
	}
	*out = l.z;
	*nr_out = l.nr_nodes * SIM_REPORT_NR_ZONES;
	return 0;
}

static void rp_free_zones(struct sim_report_zone *z, int n)
{
	for (int i = 0; z && i < n; i++)
		free(z[i].pcp);
	free(z);
}

int sim_report_buddyinfo(const char *db_path, FILE *out, FILE *err)
{
	struct sim_report_zone *z;
	int n, rc = rp_load_zones(db_path, &z, &n, err);

	if (rc)
		return rc;
	sim_report_print_buddyinfo(z, n, out);
	rp_free_zones(z, n);
	return 0;
}

int sim_report_zoneinfo(const char *db_path, FILE *out, FILE *err)
{
	struct sim_report_zone *z;
	int n, rc = rp_load_zones(db_path, &z, &n, err);

	if (rc)
		return rc;
	sim_report_print_zoneinfo(z, n, out);
	rp_free_zones(z, n);
	return 0;
}
