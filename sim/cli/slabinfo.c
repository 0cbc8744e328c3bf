/*
 * slabinfo.c - `kmemsim slabinfo` and `kmemsim slabstat`: /proc/slabinfo and
 * the SLUB sysfs files of a run, from its database, whole or over a window.
 *
 * Main entries: sim_slabinfo_print, sim_slabstat_print (sim_slabstat_format
 * for --format table|csv|json).  Layouts follow the
 * kernel to the byte: print_slabinfo_header and cache_show (mm/slab_common.c),
 * slabinfo_show_stats (mm/slab.c) with CONFIG_DEBUG_SLAB for a SLAB run,
 * show_stat and the *_show attributes (mm/slub.c).  Caches are printed newest
 * first, as slab_caches is walked (create_cache adds at its head).
 *
 * Counters over a window are summed from ops.stats and stat_bumps (written by
 * sim/db/slabdb.c); without a window they come from the final totals, which the
 * tests check against the same sums.
 */
#include <stdlib.h>
#include <string.h>

#include "slabinfo.h"
#include "outfmt.h"
#include "../db/db.h"
#include "../scenario/scenario.h"
#include "../../models/slub/slub.h"

#define SI_MAX_ITEMS 32			/* >= SLUB's 26 stat items and SLAB's 11 */
#define SI_MAX_CACHES (1 << 16)		/* cache ids a SLAB window counts (above: the final totals) */

/* What a report needs to know of the run. */
struct si_run {
	struct sim_db *db;
	const char *path;
	char allocator[16];
	int kernel;			/* enum kernel_version (runs.kernel): the layout the printers follow */
	int nr_cpus;
	bool log_ops;
	uint64_t end_ns;		/* time of the final snapshot */
	FILE *err;
};

/* Counters summed over a window: [cache or cpu][item].  Rows from nr_rows up to
 * max_rows are zero until a bump reaches them (then the table grows). */
struct si_counts {
	int nr_rows, max_rows;
	bool oom;
	uint64_t (*n)[SI_MAX_ITEMS];
};

static int si_open(struct si_run *r, const char *path, FILE *err)
{
	struct sim_db_stmt *st;
	int rc = SIM_EFAIL;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->err = err;
	if ((rc = sim_db_open_read(&r->db, path, err)))
		return rc;
	/* A buddy-only run has no slab tables: say so before asking for them. */
	st = sim_db_prepare(r->db, "SELECT allocator FROM runs");
	if (!st)
		return SIM_EFAIL;	/* one line said why */
	if (sim_db_step(st) == SIM_DB_ROW && sim_db_column_text(st, 0) &&
	    !strcmp(sim_db_column_text(st, 0), "buddy")) {
		fprintf(err, "%s: a buddy-only run has no slab caches\n", path);
		sim_db_finalize(st);
		return SIM_EBADINPUT;
	}
	sim_db_finalize(st);
	st = sim_db_prepare(r->db, "SELECT allocator, nr_cpus, log_ops,"
			    " (SELECT max(time_ns) FROM slabinfo WHERE final) FROM runs");
	if (!st)
		return SIM_EFAIL;	/* one line said why (no table slabinfo) */
	if (sim_db_step(st) == SIM_DB_ROW) {
		const char *a = sim_db_column_text(st, 0);

		snprintf(r->allocator, sizeof(r->allocator), "%s", a ? a : "?");
		r->nr_cpus = (int)sim_db_column_int64(st, 1);
		r->log_ops = sim_db_column_int64(st, 2) != 0;
		r->end_ns = (uint64_t)sim_db_column_int64(st, 3);
		r->kernel = sim_db_run_kernel(r->db);
		rc = 0;
		if (!sim_db_column_text(st, 3)) {
			fprintf(err, "%s: no final slabinfo: the run did not finish, or ran allocator %s\n",
				path, r->allocator);
			rc = SIM_EFAIL;
		}
	} else {
		fprintf(err, "%s: no runs row\n", path);
	}
	sim_db_finalize(st);
	if (!rc && (r->nr_cpus < 1 || r->nr_cpus > 4096)) {
		fprintf(err, "%s: runs.nr_cpus %d is out of range\n", path, r->nr_cpus);
		rc = SIM_EFAIL;
	}
	return rc;
}

static void si_close(struct si_run *r)
{
	if (r->db)
		sim_db_close(r->db, false, r->err);
	r->db = NULL;
}

static bool si_windowed(const struct sim_slab_window *w)
{
	return w && (w->from_set || w->to_set);
}

/* nr_rows rows of zeros, that may grow to max_rows (<= nr_rows: they do not). */
static int si_counts_init(struct si_counts *c, int nr_rows, int max_rows)
{
	c->nr_rows = nr_rows;
	c->max_rows = max_rows > nr_rows ? max_rows : nr_rows;
	c->oom = false;
	c->n = calloc((size_t)(nr_rows > 0 ? nr_rows : 1), sizeof(*c->n));
	return c->n ? 0 : -1;
}

/* Row `row` of c, the table grown to hold it; NULL when out of range (or out of memory: c->oom). */
static uint64_t *si_counts_row(struct si_counts *c, int row)
{
	if (row < 0 || row >= c->max_rows)
		return NULL;
	if (row >= c->nr_rows) {
		int nr = row + 1 > 2 * c->nr_rows ? row + 1 : 2 * c->nr_rows;
		uint64_t (*n)[SI_MAX_ITEMS];

		nr = nr < c->max_rows ? nr : c->max_rows;
		n = realloc(c->n, (size_t)nr * sizeof(*n));
		if (!n) {
			c->oom = true;
			return NULL;
		}
		memset(n + c->nr_rows, 0, (size_t)(nr - c->nr_rows) * sizeof(*n));
		c->n = n;
		c->nr_rows = nr;
	}
	return c->n[row];
}

/* One bump of the window: into row cache (per cache) or cpu (per CPU of one cache). */
struct si_add {
	struct si_counts *c;
	bool by_cpu;
};

static void si_add_bump(void *arg, uint64_t time_ns, int cache, int cpu, int item, uint64_t n)
{
	struct si_add *a = arg;
	uint64_t *counts = item >= 0 && item < SI_MAX_ITEMS ? si_counts_row(a->c, a->by_cpu ? cpu : cache) : NULL;

	(void)time_ns;
	if (counts)
		counts[item] += n;
}

/*
 * Sum the counters of the window: per cpu of `cache` (by_cpu), or per cache
 * (cache < 0).  0, or SIM_EFAIL after a line on err.
 */
static int si_window_counts(struct si_run *r, const struct sim_slab_window *w, int cache, bool by_cpu,
			    struct si_counts *c)
{
	struct si_add a = { c, by_cpu };

	if (!r->log_ops && !sim_db_is_aggregate(r->db)) {
		fprintf(r->err, "%s: the run was made without the per-operation log or its counts (--no-log):"
			" a window cannot be counted\n", r->path);
		return SIM_EBADINPUT;
	}
	/* --log aggregate: exact at 0, the end, and the marks (op_buckets) */
	for (int i = 0; i < 2; i++) {
		uint64_t t = i ? (w->to_set ? w->to_ns : UINT64_MAX) : (w->from_set ? w->from_ns : 0);

		if (!sim_slabdb_cut_exact(r->db, t)) {
			fprintf(r->err, "%s: --%s %llu ns falls inside a time bucket of --log aggregate: its windows"
				" begin and end at the marks (mark:TEXT), the start or the end\n", r->path,
				i ? "to" : "from", (unsigned long long)t);
			return SIM_EBADINPUT;
		}
	}
	if (sim_slabdb_bumps(r->db, w->from_set ? w->from_ns : 0, w->to_set ? w->to_ns : UINT64_MAX, cache,
			     si_add_bump, &a))
		return SIM_EFAIL;
	if (c->oom) {
		fprintf(r->err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	return 0;
}

/* ------------------------------------------------------------ slabinfo */

/* The snapshot the state columns come from: (time, final) for the window's end. */
static int si_state_time(struct si_run *r, const struct sim_slab_window *w, int64_t *t, bool *final)
{
	struct sim_db_stmt *st;
	int rc = SIM_EBADINPUT;

	*final = true;
	*t = (int64_t)r->end_ns;
	if (!w || !w->to_set || w->to_ns >= r->end_ns)
		return 0;
	st = sim_db_prepare(r->db, "SELECT max(time_ns), min(time_ns) FROM slabinfo WHERE NOT final"
			    " AND time_ns <= ?1");
	if (!st || sim_db_bind_int64(st, 1, (int64_t)w->to_ns))
		return SIM_EFAIL;
	if (sim_db_step(st) == SIM_DB_ROW && sim_db_column_text(st, 0)) {
		*t = sim_db_column_int64(st, 0);
		*final = false;
		rc = 0;
	} else {
		fprintf(r->err, "%s: no slabinfo snapshot at or before %llu ns\n", r->path,
			(unsigned long long)w->to_ns);
	}
	sim_db_finalize(st);
	return rc;
}

/* kernel: print_slabinfo_header, mm/slab_common.c (CONFIG_DEBUG_SLAB for SLAB) */
static void si_header(FILE *out, bool stats)
{
	fputs(stats ? "slabinfo - version: 2.1 (statistics)\n" : "slabinfo - version: 2.1\n", out);
	fputs("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>", out);
	fputs(" : tunables <limit> <batchcount> <sharedfactor>", out);
	fputs(" : slabdata <active_slabs> <num_slabs> <sharedavail>", out);
	if (stats) {
		fputs(" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
		      " <nodeallocs> <remotefrees> <alienoverflow>", out);
		fputs(" : cpustat <allochit> <allocmiss> <freehit> <freemiss>", out);
	}
	fputc('\n', out);
}

int sim_slabinfo_print(const char *db_path, const struct sim_slab_window *w, FILE *out, FILE *err)
{
	struct si_run r;
	struct si_counts c = { 0 };
	struct sim_db_stmt *st = NULL;
	int64_t t;
	bool final, is_slab;
	int rc = si_open(&r, db_path, err), s;

	if (rc)
		goto out;
	is_slab = !strcmp(r.allocator, "slab");
	rc = si_state_time(&r, w, &t, &final);
	if (rc)
		goto out;
	if (is_slab && si_windowed(w)) {
		/* rows for the caches the window's bumps name, as they come */
		if (si_counts_init(&c, 0, SI_MAX_CACHES)) {
			fprintf(err, "kmemsim: out of memory\n");
			rc = SIM_EFAIL;
			goto out;
		}
		rc = si_window_counts(&r, w, -1, false, &c);
		if (rc)
			goto out;
	}
	st = sim_db_prepare(r.db, "SELECT cache, name, active_objs, num_objs, objsize, objperslab,"
			    " pagesperslab, \"limit\", batchcount, sharedfactor, active_slabs, num_slabs,"
			    " sharedavail, listallocs, maxobjs, grown, reaped, error, maxfreeable, nodeallocs,"
			    " remotefrees, alienoverflow, allochit, allocmiss, freehit, freemiss"
			    " FROM slabinfo WHERE time_ns = ?1 AND final = ?2 ORDER BY cache DESC");
	rc = SIM_EFAIL;
	if (!st || sim_db_bind_int64(st, 1, t) || sim_db_bind_int64(st, 2, final))
		goto out;
	si_header(out, is_slab);
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		uint64_t v[26];

		for (int i = 0; i < 26; i++)
			v[i] = (uint64_t)sim_db_column_int64(st, i);
		/* kernel: cache_show, mm/slab_common.c */
		fprintf(out, "%-17s %6lu %6lu %6u %4u %4d", sim_db_column_text(st, 1),
			(unsigned long)v[2], (unsigned long)v[3], (unsigned int)v[4], (unsigned int)v[5], (int)v[6]);
		fprintf(out, " : tunables %4u %4u %4u", (unsigned int)v[7], (unsigned int)v[8], (unsigned int)v[9]);
		fprintf(out, " : slabdata %6lu %6lu %6lu", (unsigned long)v[10], (unsigned long)v[11],
			(unsigned long)v[12]);
		if (is_slab) {
			/* kernel: slabinfo_show_stats, mm/slab.c; maxobjs, maxfreeable: high-water marks */
			if (si_windowed(w) && v[0] < (uint64_t)c.max_rows) {
				static const uint64_t none[SI_MAX_ITEMS];
				const uint64_t *n = v[0] < (uint64_t)c.nr_rows ? c.n[v[0]] : none;

				v[13] = n[0], v[15] = n[1], v[16] = n[2], v[17] = n[3], v[19] = n[4];
				v[20] = n[5], v[21] = n[6], v[22] = n[7], v[23] = n[8], v[24] = n[9], v[25] = n[10];
			}
			fprintf(out, " : globalstat %7lu %6lu %5lu %4lu %4lu %4lu %4lu %4lu %4lu",
				(unsigned long)v[13], (unsigned long)v[14], (unsigned long)v[15],
				(unsigned long)v[16], (unsigned long)v[17], (unsigned long)v[18],
				(unsigned long)v[19], (unsigned long)v[20], (unsigned long)v[21]);
			fprintf(out, " : cpustat %6lu %6lu %6lu %6lu", (unsigned long)v[22],
				(unsigned long)v[23], (unsigned long)v[24], (unsigned long)v[25]);
		}
		fputc('\n', out);
	}
	rc = s < 0 ? SIM_EFAIL : 0;
out:
	sim_db_finalize(st);
	free(c.n);
	si_close(&r);
	return rc;
}

/* ------------------------------------------------------------ slabstat */

/* The sysfs attributes we print, as their *_show functions format them. */
static const char *const si_attrs[] = {
	"aliases", "align", "cpu_partial", "min_partial", "object_size", "objs_per_slab", "order", "slab_size",
};
#define SI_NR_ATTRS (sizeof(si_attrs) / sizeof(si_attrs[0]))

/* Cache id of `name` (a cache's or an alias's), its attributes in si_attrs order. */
static int si_find_cache(struct si_run *r, const char *name, int *id, int64_t attr[SI_NR_ATTRS])
{
	struct sim_db_stmt *st = sim_db_prepare(r->db,
		"SELECT id, aliases, align, cpu_partial, min_partial, object_size, objs_per_slab, \"order\", size"
		" FROM caches WHERE id = coalesce((SELECT id FROM caches WHERE name = ?1 ORDER BY id LIMIT 1),"
		" (SELECT cache FROM cache_aliases WHERE name = ?1))");
	int rc = SIM_EBADINPUT;

	if (!st || sim_db_bind_text(st, 1, name))
		return SIM_EFAIL;
	if (sim_db_step(st) == SIM_DB_ROW) {
		*id = (int)sim_db_column_int64(st, 0);
		for (size_t i = 0; i < SI_NR_ATTRS; i++)
			attr[i] = sim_db_column_int64(st, 1 + (int)i);
		rc = 0;
	} else {
		fprintf(r->err, "kmemsim slabstat: %s: no cache \"%s\" (table caches, cache_aliases)\n",
			r->path, name);
	}
	sim_db_finalize(st);
	return rc;
}

/* Final counters of cache id per cpu, from slub_stats. */
static int si_final_counts(struct si_run *r, int id, struct si_counts *c)
{
	struct sim_db_stmt *st = sim_db_prepare(r->db, "SELECT cpu, item, n FROM slub_stats WHERE cache = ?1");
	int s;

	if (!st || sim_db_bind_int64(st, 1, id))
		return SIM_EFAIL;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t cpu = sim_db_column_int64(st, 0), item = sim_db_column_int64(st, 1);

		if (cpu >= 0 && cpu < c->nr_rows && item >= 0 && item < SI_MAX_ITEMS)
			c->n[cpu][item] += (uint64_t)sim_db_column_int64(st, 2);
	}
	sim_db_finalize(st);
	return s < 0 ? SIM_EFAIL : 0;
}

/* kernel: show_stat, mm/slub.c: the sum, then " C<cpu>=<n>" for each CPU with a non-zero count. */
static void si_show_stat(FILE *out, const struct si_counts *c, int item)
{
	uint64_t sum = 0;

	for (int cpu = 0; cpu < c->nr_rows; cpu++)
		sum += c->n[cpu][item];
	fprintf(out, "%lu", (unsigned long)sum);
	for (int cpu = 0; cpu < c->nr_rows; cpu++)
		if (c->n[cpu][item])
			fprintf(out, " C%d=%u", cpu, (unsigned int)c->n[cpu][item]);
	fputc('\n', out);
}

/* slabstat as --format asks: a table of the attributes and one of the stats (sum and per CPU). */
static int si_slabstat_doc(const struct si_run *r, const struct si_counts *c, const int64_t *attr,
			   int item, int attr_i, enum out_format fmt, FILE *out)
{
	static const char *const attr_cols[] = { "file", "value" };
	struct out_doc *d = out_doc_begin(out, fmt);
	const char **cols = calloc((size_t)r->nr_cpus + 2, sizeof(*cols));
	char (*cpu_names)[16] = calloc((size_t)r->nr_cpus, sizeof(*cpu_names));
	int rc = SIM_EFAIL;

	if (!d || !cols || !cpu_names)
		goto out;
	if (item < 0) {
		out_table_begin(d, "attributes", "attributes:", 2, attr_cols);
		for (size_t i = 0; i < SI_NR_ATTRS; i++) {
			if (attr_i >= 0 && (size_t)attr_i != i)
				continue;
			out_cell_text(d, si_attrs[i]);
			out_cell_int(d, attr[i]);
			out_row_end(d);
		}
		out_table_end(d);
	}
	if (attr_i < 0) {
		cols[0] = "stat";
		cols[1] = "total";
		for (int cpu = 0; cpu < r->nr_cpus; cpu++) {
			snprintf(cpu_names[cpu], sizeof(cpu_names[cpu]), "C%d", cpu);
			cols[2 + cpu] = cpu_names[cpu];
		}
		out_table_begin(d, "stats", "stats (total, then per CPU as show_stat's C<cpu>=):",
				r->nr_cpus + 2, cols);
		for (int i = 0; i < slub_nr_stat_items(); i++) {
			uint64_t sum = 0;

			if (item >= 0 && item != i)
				continue;
			for (int cpu = 0; cpu < c->nr_rows; cpu++)
				sum += c->n[cpu][i];
			out_cell_text(d, slub_stat_name(i));
			out_cell_int(d, (long long)sum);
			for (int cpu = 0; cpu < r->nr_cpus; cpu++)
				out_cell_int(d, cpu < c->nr_rows ? (long long)c->n[cpu][i] : 0);
			out_row_end(d);
		}
		out_table_end(d);
	}
	rc = 0;
out:
	if (d && out_doc_end(d))
		rc = SIM_EFAIL;
	free(cols);
	free(cpu_names);
	return rc;
}

int sim_slabstat_print(const char *db_path, const char *cache, const char *stat,
		       const struct sim_slab_window *w, FILE *out, FILE *err)
{
	return sim_slabstat_format(db_path, cache, stat, w, -1, out, err);
}

int sim_slabstat_format(const char *db_path, const char *cache, const char *stat,
			const struct sim_slab_window *w, int fmt, FILE *out, FILE *err)
{
	struct si_run r;
	struct si_counts c = { 0 };
	int64_t attr[SI_NR_ATTRS];
	int id = -1, item = -1, attr_i = -1, rc = si_open(&r, db_path, err);

	if (rc)
		goto out;
	if (strcmp(r.allocator, "slub")) {
		fprintf(err, "kmemsim slabstat: %s: a %s run has no /sys/kernel/slab (SLUB's);"
			" kmemsim slabinfo shows its counters\n", db_path, r.allocator);
		rc = SIM_EBADINPUT;
		goto out;
	}
	for (int i = 0; stat && i < slub_nr_stat_items(); i++)
		if (!strcmp(stat, slub_stat_name(i)))
			item = i;
	for (size_t i = 0; stat && i < SI_NR_ATTRS; i++)
		if (!strcmp(stat, si_attrs[i]))
			attr_i = (int)i;
	if (stat && item < 0 && attr_i < 0) {
		fprintf(err, "kmemsim slabstat: %s: not a file of /sys/kernel/slab/<cache>/ we keep"
			" (a stat such as alloc_fastpath, or one of aliases, align, cpu_partial, min_partial,"
			" object_size, objs_per_slab, order, slab_size)\n", stat);
		rc = SIM_EBADINPUT;
		goto out;
	}
	rc = si_find_cache(&r, cache, &id, attr);
	if (rc)
		goto out;
	if (si_counts_init(&c, r.nr_cpus, 0)) {
		fprintf(err, "kmemsim: out of memory\n");
		rc = SIM_EFAIL;
		goto out;
	}
	rc = si_windowed(w) ? si_window_counts(&r, w, id, true, &c) : si_final_counts(&r, id, &c);
	if (rc)
		goto out;
	if (fmt >= 0) {
		rc = si_slabstat_doc(&r, &c, attr, item, attr_i, (enum out_format)fmt, out);
		if (rc)
			fprintf(err, "kmemsim slabstat: out of memory or a write error\n");
	} else if (attr_i >= 0) {
		fprintf(out, "%lld\n", (long long)attr[attr_i]);
	} else if (item >= 0) {
		si_show_stat(out, &c, item);
	} else {
		/* every file, as `grep . *` in /sys/kernel/slab/<cache>/ shows them */
		for (size_t i = 0; i < SI_NR_ATTRS; i++)
			fprintf(out, "%s:%lld\n", si_attrs[i], (long long)attr[i]);
		for (int i = 0; i < slub_nr_stat_items(); i++) {
			fprintf(out, "%s:", slub_stat_name(i));
			si_show_stat(out, &c, i);
		}
	}
out:
	free(c.n);
	si_close(&r);
	return rc;
}
