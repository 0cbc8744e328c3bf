/*
 * report.c - the summary after a run (sim/run/report.h); /proc/buddyinfo and
 * /proc/zoneinfo rebuilt from a run's database are in sim/cli/procinfo.c.
 *
 * Counters: sim_report_count is called for every ended operation (from the
 * run's op sink, log or no log) and bumps a cell per (kind, node, zone) for
 * page operations, or per (cache, kind) for object operations: a level
 * histogram and a failure count.  O(1) per operation, no allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "run.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../db/db.h"
#include "../../models/buddy/buddy.h"

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
const char *sim_report_kind_name(int kind)
{
	return kind >= 0 && kind < SIM_NR_OP_KINDS ? rp_kind_names[kind] : "?";
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

/* One page row: the operations, then each level's count. */
static void rp_print_cell(FILE *out, const struct sim_summary_row *row)
{
	fprintf(out, "%-10s %-18s %10llu", row->kind, row->where, (unsigned long long)row->ops);
	for (int l = 0; l < 5; l++)
		fprintf(out, " %9llu", (unsigned long long)row->level[l]);
	fprintf(out, " %9llu\n", (unsigned long long)row->failed);
}

/* One object row: the operations, then each level's share of them. */
static void rp_print_share(FILE *out, const struct sim_summary_row *row)
{
	uint64_t n = row->ops;

	fprintf(out, "%-10s %-18s %10llu", row->kind, row->where, (unsigned long long)n);
	for (int l = 0; l < 5; l++)
		fprintf(out, " %8.2f%%", n ? 100.0 * (double)row->level[l] / (double)n : 0.0);
	fprintf(out, " %9llu\n", (unsigned long long)row->failed);
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

/* Room for one more row in *rows; NULL when out of memory. */
static struct sim_summary_row *rp_row_add(struct sim_summary_row **rows, int *nr, const char *kind,
					  const char *where, const struct rp_cell *c, int rank)
{
	struct sim_summary_row *v = realloc(*rows, (size_t)(*nr + 1) * sizeof(*v)), *row;

	if (!v)
		return NULL;
	*rows = v;
	row = &v[(*nr)++];
	memset(row, 0, sizeof(*row));
	snprintf(row->kind, sizeof(row->kind), "%s", kind);
	snprintf(row->where, sizeof(row->where), "%s", where);
	row->cache = rank >= 0;
	row->rank = rank;
	row->ops = rp_cell_total(c);
	for (int l = 1; l < SIM_NR_LEVELS && l <= 5; l++)
		row->level[l - 1] = c->level[l];
	row->failed = c->failed;
	return row;
}

int sim_report_rows(const struct sim_report *r, struct sim_summary_row **rows, int *nr_rows, int *nr_caches)
{
	int *ids = r->nr_caches ? malloc((size_t)r->nr_caches * sizeof(*ids)) : NULL;
	int n = ids ? rp_cache_order(r, ids) : 0;
	char where[64];

	*rows = NULL;
	*nr_rows = 0;
	*nr_caches = n;
	if (r->nr_caches && !ids)
		return -1;
	/* the order sim_report_print prints them in */
	for (int k = 0; k < SIM_NR_OP_KINDS; k++) {
		for (int nid = 0; nid < SIM_MAX_NODES; nid++) {
			for (int z = 0; z < RP_NR_ZONE_CELLS; z++) {
				const struct rp_cell *c = &r->page[k][nid][z];

				if (!rp_cell_total(c))
					continue;
				snprintf(where, sizeof(where), "%d/%s", nid,
					 z == RP_ZONE_NONE ? "-" : buddy_zone_name(z));
				if (!rp_row_add(rows, nr_rows, rp_kind_names[k], where, c, -1))
					goto oom;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		int id = ids[i];
		const char *name = r->cache_name ? r->cache_name(id) : NULL;

		if (name)
			snprintf(where, sizeof(where), "%s", name);
		else
			snprintf(where, sizeof(where), "cache#%d", id);
		for (int k = 0; k < 2; k++)
			if (rp_cell_total(&r->cache[id][k]) &&
			    !rp_row_add(rows, nr_rows, rp_kind_names[k ? SIM_OP_OBJ_FREE : SIM_OP_OBJ_ALLOC], where,
					&r->cache[id][k], i))
				goto oom;
	}
	free(ids);
	return 0;
oom:
	free(ids);
	free(*rows);
	*rows = NULL;
	*nr_rows = 0;
	return -1;
}

void sim_report_print(const struct sim_report *r, const struct sim_report_run *run, FILE *out)
{
	struct sim_summary_row *rows;
	int nr_rows, nr_caches;

	fprintf(out, "kmemsim: scenario %s, allocator %s, kernel %s, seed %llu, %d vCPUs on %d node%s\n",
		run->scenario ? run->scenario : "-", run->allocator ? run->allocator : "-",
		run->kernel ? run->kernel : "-",
		(unsigned long long)run->seed, run->nr_cpus, run->nr_nodes,
		run->nr_nodes == 1 ? "" : "s");
	fprintf(out, "%-10s %-18s %10s %9s %9s %9s %9s %9s %9s\n",
		"kind", "node/zone|cache", "ops", "L1", "L2", "L3", "L4", "L5", "failed");
	if (!sim_report_rows(r, &rows, &nr_rows, &nr_caches)) {
		for (int i = 0; i < nr_rows && !rows[i].cache; i++)
			rp_print_cell(out, &rows[i]);
		/* the top caches by object operations: L1..L5 shares of their allocations and frees */
		if (nr_caches)
			fprintf(out, "object operations by cache (top %d of %d caches by allocations + frees),"
				" share of each level:\n",
				nr_caches < RP_TOP_CACHES ? nr_caches : RP_TOP_CACHES, nr_caches);
		for (int i = 0; i < nr_rows; i++)
			if (rows[i].cache && rows[i].rank < RP_TOP_CACHES)
				rp_print_share(out, &rows[i]);
		free(rows);
	}
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
		fprintf(out, "database %s%s\n", run->db_path, run->log_ops ? "" :
			run->log_counts ? " (operations counted in op_counts: --log aggregate)" : " (operations not logged)");
}
