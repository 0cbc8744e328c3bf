/*
 * cmd_sweep.c - `kmemsim sweep SPEC.json` and `kmemsim sweep TARGET --vary KEY=V1,V2,...`:
 * the command line of sim_sweep (sim/sweep/sweep.h) and its comparison tables (points,
 * caches) in --format table, csv or json; `kmemsim merge` of sweep slices comes here too.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfmt.h"
#include "report.h"
#include "../engine/engine.h"
#include "../sweep/sweep.h"

static const char *const sweep_level_cols[] = { "l1_pct", "l2_pct", "l3_pct", "l4_pct", "l5_pct" };

/* The comparison: a row per point (its values under their keys), then a row per point and cache. */
int sweep_print(const struct sim_sweep_result *res, enum out_format fmt, FILE *out)
{
	char *keys = sim_sweep_keys(res);
	const char *cols[SIM_SWEEP_MAX_AXES + 16];
	int nk = 0, n = 0;
	struct out_doc *d;

	if (!keys)
		return SIM_EFAIL;
	cols[n++] = "point";
	for (char *k = keys; *k; k += strcspn(k, "\n") + 1) {
		cols[n++] = k;
		nk++;
	}
	for (char *k = keys; *k; k++)
		if (*k == '\n')
			*k = 0;
	cols[n++] = "status";
	cols[n++] = "allocs";
	for (int l = 0; l < 5; l++)
		cols[n++] = sweep_level_cols[l];
	cols[n++] = "slab_pages";
	cols[n++] = "refills";
	cols[n++] = "drains";
	cols[n++] = "latency_ns";
	cols[n++] = "lock_wait_ns";
	d = out_doc_begin(out, fmt);
	if (!d) {
		free(keys);
		return SIM_EFAIL;
	}
	out_table_begin(d, "points", "points (allocations: levels, slab pages at the end, pcp refills and drains)",
			n, cols);
	for (int i = 0; i < res->nr_rows; i++) {
		const struct sim_sweep_point *r = &res->row[i];
		const char *v = r->values;

		out_cell_int(d, r->index);
		for (int k = 0; k < nk; k++) {
			size_t len = strcspn(v, "\n");
			char *s = strndup(v, len);

			out_cell_text(d, s ? s : "");
			free(s);
			v += len + (v[len] == '\n');
		}
		out_cell_int(d, r->status);
		out_cell_int(d, r->nr_allocs);
		for (int l = 0; l < 5; l++)
			out_cell_real(d, r->level_pct[l], 2);
		out_cell_int(d, r->slab_pages);
		out_cell_int(d, r->refills);
		out_cell_int(d, r->drains);
		out_cell_real(d, r->latency_ns, 1);
		out_cell_int(d, r->lock_wait_ns);
		out_row_end(d);
	}
	out_table_end(d);
	n = 0;
	cols[n++] = "point";
	cols[n++] = "cache";
	cols[n++] = "allocs";
	for (int l = 0; l < 5; l++)
		cols[n++] = sweep_level_cols[l];
	cols[n++] = "slab_pages";
	out_table_begin(d, "caches", "caches (object allocations: levels, slab pages at the end)", n, cols);
	for (int i = 0; i < res->nr_caches; i++) {
		const struct sim_sweep_cache *c = &res->cache[i];

		out_cell_int(d, c->point);
		out_cell_text(d, c->name);
		out_cell_int(d, c->nr_allocs);
		for (int l = 0; l < 5; l++)
			out_cell_real(d, c->level_pct[l], 2);
		out_cell_int(d, c->slab_pages);
		out_row_end(d);
	}
	out_table_end(d);
	free(keys);
	return out_doc_end(d) ? SIM_EFAIL : 0;
}

int sim_cli_sweep(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_sweep sw = { 0 };
	struct sim_sweep_opts o = { .jobs = 1, .nr_shards = 1, .out_dir = "sweep" };
	struct sim_sweep_result res = { 0 };
	struct sim_cli_list vary = { .n = 0 }, sets = { .n = 0 };
	const char *pos[1], *shard = NULL, *format = "table", *scenario = NULL, *kernel = NULL;
	enum out_format fmt;
	uint64_t jobs = 1;
	bool quiet = false;
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--vary", SIM_CLI_LIST, &vary, NULL },
		{ "--set", SIM_CLI_LIST, &sets, NULL },
		{ "--kernel", SIM_CLI_STRING, &kernel, NULL },
		{ "--scenario", SIM_CLI_STRING, &scenario, NULL },
		{ "--jobs", SIM_CLI_U64, &jobs, NULL },
		{ "--shard", SIM_CLI_STRING, &shard, NULL },
		{ "--out", SIM_CLI_STRING, &o.out_dir, NULL },
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ "--quiet", SIM_CLI_FLAG, &quiet, NULL },
		{ "--no-log", SIM_CLI_FLAG, &o.no_log, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	if (out_format_parse(format, &fmt)) {
		fprintf(err, "kmemsim sweep: --format: expected table, csv or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	if (!jobs || jobs > 256) {
		fprintf(err, "kmemsim sweep: --jobs: expected 1..256, got %llu\n", (unsigned long long)jobs);
		return SIM_EBADINPUT;
	}
	if (shard && sim_cli_shard(shard, &o.shard, &o.nr_shards)) {
		fprintf(err, "kmemsim sweep: --shard: expected i/N with 0 <= i < N, got \"%s\"\n", shard);
		return SIM_EBADINPUT;
	}
	if (sim_cli_kernel("sweep", kernel, &sets, err))
		return SIM_EBADINPUT;
	o.jobs = (int)jobs;
	o.quiet = quiet;
	if (vary.n) {
		sw.target = strdup(pos[0]);
		rc = sw.target ? 0 : SIM_EFAIL;
	} else {
		rc = sim_sweep_load_spec(&sw, pos[0], err);
	}
	if (!rc && scenario) {
		free(sw.scenario);
		sw.scenario = strdup(scenario);
	}
	for (int i = 0; !rc && i < sets.n; i++)
		if (sw.nr_sets == SIM_SWEEP_MAX_SETS || !(sw.set[sw.nr_sets++] = strdup(sets.v[i])))
			rc = SIM_EBADINPUT;
	for (int i = 0; !rc && i < vary.n; i++)
		rc = sim_sweep_add_axis(&sw, vary.v[i], err);
	if (!rc)
		rc = sim_sweep_check(&sw, err);
	if (!rc || rc == SIM_EFAIL)
		rc = rc ? rc : sim_sweep_run(&sw, &o, &res, err);
	if (res.spec) {
		int prc = sweep_print(&res, fmt, out);

		rc = rc ? rc : prc;
	}
	sim_sweep_result_free(&res);
	sim_sweep_free(&sw);
	return rc;
}

int sim_cli_sweep_merge(int argc, char **argv, FILE *out, FILE *err)
{
	const char *pos[SIM_SWEEP_MAX_POINTS + 1], *format = "table";
	const struct sim_cli_opt opts[] = {
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ NULL, 0, NULL, NULL },
	};
	struct sim_sweep_result res = { 0 };
	enum out_format fmt;
	int nr_pos, rc = sim_cli_parse(argc, argv, opts, pos, 2, SIM_SWEEP_MAX_POINTS + 1, &nr_pos, out, err);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (out_format_parse(format, &fmt)) {
		fprintf(err, "kmemsim merge: --format: expected table, csv or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	rc = sim_sweep_merge(pos[0], pos + 1, nr_pos - 1, &res, err);
	if (!rc) {
		if (res.missing)
			fprintf(err, "kmemsim merge: %d of %d points missing: the tables show only the others\n",
				res.missing, res.nr_points);
		rc = sweep_print(&res, fmt, out);
		for (int i = 0; !rc && i < res.nr_rows; i++)
			if (res.row[i].status)
				rc = SIM_EFAIL;
	}
	sim_sweep_result_free(&res);
	return rc;
}
