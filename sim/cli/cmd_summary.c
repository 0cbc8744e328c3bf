/*
 * cmd_summary.c - `kmemsim summary DB [--format table|csv|json]`: the summary a
 * run prints at its end, from its database (sim_run_summary, sim/run/report_db.c).
 *
 * table (the default) is the run's own text, byte for byte but for the wall
 * clock of the run it was (the database keeps it).  csv and json give two
 * tables: `run` (one row of the run's facts) and `operations` (the rows of
 * the text's table, every cache rather than the top 10, with level counts
 * rather than shares: a share is L1 / ops).
 */
#include "cli.h"
#include "outfmt.h"
#include "../run/run.h"
#include "../engine/engine.h"

static int sum_doc(const struct sim_summary *s, const char *path, enum out_format fmt, FILE *out)
{
	static const char *const run_cols[] = {
		"scenario", "allocator", "kernel", "seed", "nr_cpus", "nr_nodes", "sim_ns", "wall_s", "ops",
		"violations", "caches", "database",
	};
	static const char *const op_cols[] = {
		"kind", "where", "ops", "L1", "L2", "L3", "L4", "L5", "failed",
	};
	struct out_doc *d = out_doc_begin(out, fmt);

	if (!d)
		return -1;
	out_table_begin(d, "run", "run:", 12, run_cols);
	out_cell_text(d, s->scenario);
	out_cell_text(d, s->allocator);
	out_cell_text(d, s->kernel);
	out_cell_int(d, (long long)s->seed);
	out_cell_int(d, s->nr_cpus);
	out_cell_int(d, s->nr_nodes);
	out_cell_int(d, (long long)s->sim_ns);
	out_cell_real(d, s->wall_s, 3);
	out_cell_int(d, (long long)s->nr_ops);
	out_cell_int(d, (long long)s->nr_violations);
	out_cell_int(d, s->nr_caches);
	out_cell_text(d, path);
	out_row_end(d);
	out_table_end(d);
	out_table_begin(d, "operations", "operations (node/zone of pages; caches by operations):", 9, op_cols);
	for (int i = 0; i < s->nr_rows; i++) {
		const struct sim_summary_row *r = &s->row[i];

		out_cell_text(d, r->kind);
		out_cell_text(d, r->where);
		out_cell_int(d, (long long)r->ops);
		for (int l = 0; l < 5; l++)
			out_cell_int(d, (long long)r->level[l]);
		out_cell_int(d, (long long)r->failed);
		out_row_end(d);
	}
	out_table_end(d);
	return out_doc_end(d);
}

int sim_cli_summary(int argc, char **argv, FILE *out, FILE *err)
{
	const char *pos[1], *format = NULL;
	const struct sim_cli_opt opts[] = {
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ NULL, 0, NULL, NULL },
	};
	enum out_format f = OUT_TABLE;
	struct sim_summary s;
	int nr_pos, rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (format && out_format_parse(format, &f)) {
		fprintf(err, "kmemsim summary: --format: expected table, csv or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	if (sim_cli_db_readable("summary", pos[0], err))
		return SIM_EBADINPUT;
	rc = sim_run_summary(pos[0], &s, f == OUT_TABLE ? out : NULL, err);
	if (!rc && f != OUT_TABLE && sum_doc(&s, pos[0], f, out)) {
		fprintf(err, "kmemsim summary: write error\n");
		rc = SIM_EFAIL;
	}
	sim_run_summary_free(&s);
	return rc;
}
