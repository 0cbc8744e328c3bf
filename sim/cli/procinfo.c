/*
 * procinfo.c - /proc/buddyinfo and /proc/zoneinfo rebuilt from a run's
 * database (sim/cli/procinfo.h).
 *
 * sim_procinfo_print_buddyinfo and sim_procinfo_print_zoneinfo print zones
 * exactly as mm/vmstat.c's frag_show_print and zoneinfo_show_print do,
 * limited to what the simulator models: in zoneinfo the per-node stats and
 * the zone vmstat items other than nr_free_pages (LRU, mlock, bounce,
 * zspages, CMA counts) are left out, as we keep no such pages; ZONE_DEVICE
 * is printed, empty, because Debian's kernel has it; every line that is
 * printed has the kernel's layout, so `grep -v` of those lines from a real
 * machine's file diffs cleanly against ours.  The loaders that fill
 * struct sim_procinfo_zone from a database are at the end of the file.
 */
#include <stdlib.h>
#include <string.h>

#include "procinfo.h"
#include "../db/db.h"
#include "../engine/engine.h"

static const char *const rp_zone_names[SIM_PROCINFO_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device"
};

const char *sim_procinfo_zone_name(int zid)
{
	return zid >= 0 && zid < SIM_PROCINFO_NR_ZONES ? rp_zone_names[zid] : "-";
}

/* --------------------------------------------------------------- /proc */

/* The NUMA event counters zoneinfo prints (numa_stat_name order). */
static const char *const rp_numa_names[6] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other"
};

/* kernel: frag_show_print, mm/vmstat.c (populated zones only) */
void sim_procinfo_print_buddyinfo(const struct sim_procinfo_zone *z, int nr_zones, int kernel, FILE *out)
{
	(void)kernel;		/* the same layout in 6.1 and 6.12 until a version's printer says otherwise */
	for (int i = 0; i < nr_zones; i++) {
		if (!z[i].populated)
			continue;
		fprintf(out, "Node %d, zone %8s ", z[i].nid, sim_procinfo_zone_name(z[i].zid));
		for (int order = 0; order < SIM_PROCINFO_NR_ORDERS; order++)
			fprintf(out, "%6llu ", (unsigned long long)z[i].nr_free[order]);
		fputc('\n', out);
	}
}

/* kernel: zoneinfo_show_print, mm/vmstat.c (the parts we model; see the top) */
void sim_procinfo_print_zoneinfo(const struct sim_procinfo_zone *z, int nr_zones, int kernel, FILE *out)
{
	(void)kernel;		/* the same layout in 6.1 and 6.12 until a version's printer says otherwise */
	for (int i = 0; i < nr_zones; i++) {
		const struct sim_procinfo_zone *zone = &z[i];

		fprintf(out, "Node %d, zone %8s", zone->nid, sim_procinfo_zone_name(zone->zid));
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
		for (int j = 1; j < SIM_PROCINFO_NR_ZONES; j++)
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

/* Zones being loaded: nr_nodes * SIM_PROCINFO_NR_ZONES, indexed node * 5 + zid. */
struct rp_load {
	struct sim_procinfo_zone *z;
	int nr_nodes;
	bool oom;
};

static uint64_t rp_u64(const char *v)
{
	return v ? strtoull(v, NULL, 10) : 0;
}

/* The zone (nid, zid) of l, growing the table to hold node nid; NULL when out of memory. */
static struct sim_procinfo_zone *rp_zone_at(struct rp_load *l, const char *nid_s, const char *zid_s)
{
	int nid = nid_s ? atoi(nid_s) : -1, zid = zid_s ? atoi(zid_s) : -1;

	if (nid < 0 || nid >= SIM_MAX_NODES || zid < 0 || zid >= SIM_PROCINFO_NR_ZONES)
		return NULL;
	if (nid >= l->nr_nodes) {
		struct sim_procinfo_zone *z = realloc(l->z, (size_t)(nid + 1) * SIM_PROCINFO_NR_ZONES * sizeof(*z));

		if (!z) {
			l->oom = true;
			return NULL;
		}
		memset(z + l->nr_nodes * SIM_PROCINFO_NR_ZONES, 0,
		       (size_t)(nid + 1 - l->nr_nodes) * SIM_PROCINFO_NR_ZONES * sizeof(*z));
		for (int n = l->nr_nodes; n <= nid; n++) {
			for (int i = 0; i < SIM_PROCINFO_NR_ZONES; i++) {
				z[n * SIM_PROCINFO_NR_ZONES + i].nid = n;
				z[n * SIM_PROCINFO_NR_ZONES + i].zid = i;
			}
		}
		l->z = z;
		l->nr_nodes = nid + 1;
	}
	return &l->z[nid * SIM_PROCINFO_NR_ZONES + zid];
}

/* A zones row: node, zone, populated, start_pfn, spanned, present, managed, free,
 * min, low, high, boost, protection x4, numa x6. */
static int rp_zone_row(void *arg, int ncol, char **v, char **names)
{
	struct sim_procinfo_zone *z = rp_zone_at(arg, v[0], v[1]);

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
	struct sim_procinfo_zone *z = rp_zone_at(l, v[0], v[1]);
	struct sim_procinfo_pcp *p;

	(void)names;
	if (!z || ncol != 7)
		return 0;
	p = realloc(z->pcp, (size_t)(z->nr_cpus + 1) * sizeof(*p));
	if (!p) {
		l->oom = true;
		return 1;
	}
	z->pcp = p;
	z->pcp[z->nr_cpus++] = (struct sim_procinfo_pcp){
		(int)rp_u64(v[3]), (int)rp_u64(v[4]), (int)rp_u64(v[5]), (int)rp_u64(v[6])
	};
	return 0;
}

/* A final buddyinfo row: node, zone, order, blocks free (all migratetypes). */
static int rp_free_row(void *arg, int ncol, char **v, char **names)
{
	struct sim_procinfo_zone *z = rp_zone_at(arg, v[0], v[1]);
	int order = v[2] ? atoi(v[2]) : -1;

	(void)names;
	if (z && ncol == 4 && order >= 0 && order < SIM_PROCINFO_NR_ORDERS)
		z->nr_free[order] = rp_u64(v[3]);
	return 0;
}

static void rp_free_zones(struct sim_procinfo_zone *z, int n);

/* Every zone of the run's final state, from the zones, pcp and buddy_snapshots tables. */
static int rp_load_zones(const char *db_path, struct sim_procinfo_zone **out, int *nr_out, int *kernel,
			 FILE *err)
{
	struct sim_db *db;
	struct rp_load l = { 0 };
	int rc = sim_db_open_read(&db, db_path, err);

	*out = NULL;
	*nr_out = 0;
	if (rc)
		return rc;
	*kernel = sim_db_run_kernel(db);	/* the layout to print */
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
		rp_free_zones(l.z, l.nr_nodes * SIM_PROCINFO_NR_ZONES);
		return rc;
	}
	*out = l.z;
	*nr_out = l.nr_nodes * SIM_PROCINFO_NR_ZONES;
	return 0;
}

static void rp_free_zones(struct sim_procinfo_zone *z, int n)
{
	for (int i = 0; z && i < n; i++)
		free(z[i].pcp);
	free(z);
}

/* Load the zones of the database at db_path and print them with `print`. */
static int rp_print_zones(const char *db_path,
			  void (*print)(const struct sim_procinfo_zone *, int, int, FILE *), FILE *out, FILE *err)
{
	struct sim_procinfo_zone *z;
	int n, kernel, rc = rp_load_zones(db_path, &z, &n, &kernel, err);

	if (rc)
		return rc;
	print(z, n, kernel, out);
	rp_free_zones(z, n);
	return 0;
}

int sim_procinfo_buddyinfo(const char *db_path, FILE *out, FILE *err)
{
	return rp_print_zones(db_path, sim_procinfo_print_buddyinfo, out, err);
}

int sim_procinfo_zoneinfo(const char *db_path, FILE *out, FILE *err)
{
	return rp_print_zones(db_path, sim_procinfo_print_zoneinfo, out, err);
}
