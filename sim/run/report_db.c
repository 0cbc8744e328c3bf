/*
 * report_db.c - the summary a run prints at its end (report.c), rebuilt from
 * its database: `kmemsim summary DB`.
 *
 * The same counters fed the same way: every ops row goes through
 * sim_report_count, so the table and its order are the run's own; the run's
 * facts come from runs, summary and violations.  What the database does not
 * keep is left out: "live at the end" (workload allocations never freed,
 * which a finished run drains to 0 unless the host ran out of memory).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "run.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"

/* Cache names for the report's rows: sim_report_cache_name_fn takes no argument. */
static char **rdb_names;
static int rdb_nr_names;

static const char *rdb_cache_name(int id)
{
	return id >= 0 && id < rdb_nr_names ? rdb_names[id] : NULL;
}

static int rdb_load_names(struct sim_db *db)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT id, name FROM caches WHERE id >= 0 AND id < 100000");
	int s;

	if (!st)
		return -1;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int id = (int)sim_db_column_int64(st, 0);
		const char *name = sim_db_column_text(st, 1);

		if (id >= rdb_nr_names) {
			char **v = realloc(rdb_names, (size_t)(id + 1) * sizeof(*v));

			if (!v) {
				s = -1;
				break;
			}
			memset(v + rdb_nr_names, 0, (size_t)(id + 1 - rdb_nr_names) * sizeof(*v));
			rdb_names = v;
			rdb_nr_names = id + 1;
		}
		free(rdb_names[id]);
		rdb_names[id] = name ? strdup(name) : NULL;
	}
	sim_db_finalize(st);
	return s < 0 ? -1 : 0;
}

static void rdb_free_names(void)
{
	for (int i = 0; i < rdb_nr_names; i++)
		free(rdb_names[i]);
	free(rdb_names);
	rdb_names = NULL;
	rdb_nr_names = 0;
}

/* A column that may be NULL: its value, or `none`. */
static int64_t rdb_opt(struct sim_db_stmt *st, int col, int64_t none)
{
	return sim_db_column_text(st, col) ? sim_db_column_int64(st, col) : none;
}

/* The run's facts: runs, summary and violations rows. */
static int rdb_facts(struct sim_db *db, const char *path, struct sim_summary *s, bool *log_ops,
		     bool *counted, FILE *err)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT r.name, r.allocator, r.seed, r.nr_cpus, r.nr_nodes,"
		" r.log_ops, m.sim_ns, m.wall_s, (SELECT count(*) FROM violations), r.log IS 'aggregate'"
		" FROM runs r LEFT JOIN summary m");
	int rc = SIM_EBADINPUT;

	if (!st)
		return SIM_EFAIL;
	if (sim_db_step(st) == SIM_DB_ROW) {
		const char *name = sim_db_column_text(st, 0), *a = sim_db_column_text(st, 1);

		snprintf(s->scenario, sizeof(s->scenario), "%s", name ? name : "-");
		snprintf(s->allocator, sizeof(s->allocator), "%s", a ? a : "-");
		snprintf(s->kernel, sizeof(s->kernel), "%s", sim_kernel_name(sim_db_run_kernel(db)));
		s->seed = (uint64_t)sim_db_column_int64(st, 2);
		s->nr_cpus = (int)sim_db_column_int64(st, 3);
		s->nr_nodes = (int)sim_db_column_int64(st, 4);
		*counted = sim_db_column_int64(st, 9) != 0;
		*log_ops = sim_db_column_int64(st, 5) != 0 || *counted;
		s->sim_ns = (uint64_t)sim_db_column_int64(st, 6);
		s->wall_s = sim_db_column_double(st, 7);
		s->nr_violations = (uint64_t)sim_db_column_int64(st, 8);
		if (!sim_db_column_text(st, 6))
			fprintf(err, "kmemsim summary: %s: no summary row: the run did not finish\n", path);
		else if (!*log_ops)
			fprintf(err, "kmemsim summary: %s: operations not logged (a --no-log run): the summary"
				" was printed at its end only\n", path);
		else
			rc = 0;
	} else {
		fprintf(err, "kmemsim summary: %s: no runs row\n", path);
	}
	sim_db_finalize(st);
	return rc;
}

/* Every ops row into r, in the table's order (a GROUP BY would sort millions of rows on disk);
 * or, after --log aggregate, every op_counts row as its nr operations. */
static int rdb_count(struct sim_db *db, struct sim_report *r, bool counted)
{
	struct sim_db_stmt *st = sim_db_prepare(db, counted ?
		"SELECT kind, cache, node, mem_node, zone, level, failed, nr FROM op_counts" :
		"SELECT kind, cache, node, mem_node, zone, level, failed, 1 FROM ops");
	int s;

	if (!st)
		return -1;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		struct sim_op op;

		memset(&op, 0, sizeof(op));
		op.kind = (int8_t)sim_db_column_int64(st, 0);	/* op_kinds: enum sim_op_kind */
		op.cache = (int32_t)rdb_opt(st, 1, -1);
		op.node = (int16_t)sim_db_column_int64(st, 2);
		op.mem_node = (int16_t)rdb_opt(st, 3, -1);
		op.zone = (int8_t)rdb_opt(st, 4, -1);
		op.level = (int8_t)rdb_opt(st, 5, 0);
		op.failed = sim_db_column_int64(st, 6) != 0;
		for (int64_t n = sim_db_column_int64(st, 7); n > 0; n--)
			sim_report_count(r, &op);
	}
	sim_db_finalize(st);
	return s < 0 ? -1 : 0;
}

int sim_run_summary(const char *path, struct sim_summary *s, FILE *text, FILE *err)
{
	struct sim_db *db = sim_db_open_existing(path, err);
	struct sim_report *r = NULL;
	bool log_ops = false, counted = false;
	int rc;

	memset(s, 0, sizeof(*s));
	if (!db)
		return SIM_EBADINPUT;
	rc = rdb_facts(db, path, s, &log_ops, &counted, err);
	if (rc)
		goto out;
	rc = SIM_EFAIL;
	r = sim_report_create();
	if (!r || rdb_load_names(db) || rdb_count(db, r, counted))
		goto out;
	sim_report_set_cache_name(r, rdb_cache_name);
	s->nr_ops = sim_report_nr_ops(r);
	if (sim_report_rows(r, &s->row, &s->nr_rows, &s->nr_caches))
		goto out;
	if (text) {
		struct sim_report_run run = {
			.scenario = s->scenario, .allocator = s->allocator, .kernel = s->kernel, .seed = s->seed,
			.nr_cpus = s->nr_cpus, .nr_nodes = s->nr_nodes, .sim_ns = s->sim_ns,
			.wall_s = s->wall_s, .nr_violations = s->nr_violations, .db_path = path,
			.log_ops = true,
		};

		sim_report_print(r, &run, text);
	}
	rc = 0;
out:
	if (rc == SIM_EFAIL)
		fprintf(err, "kmemsim summary: %s: could not read the operations (or out of memory)\n", path);
	sim_report_destroy(r);
	rdb_free_names();
	sim_db_close(db, false, err);
	return rc;
}

void sim_run_summary_free(struct sim_summary *s)
{
	free(s->row);
	s->row = NULL;
	s->nr_rows = 0;
}
