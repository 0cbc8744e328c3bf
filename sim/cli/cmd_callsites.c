/*
 * cmd_callsites.c - `kmemsim callsites DB [--from --to] [--sort KEY] [--top N]
 * [--format table|csv|json]`: a replay's object allocations per call site
 * (docs/callsites.md).
 *
 * What `perf kmem stat --caller` prints (allocations, bytes requested and
 * allocated, internal fragmentation 100 - 100 * requested / allocated), and
 * what only a simulator knows: the share of each call site's allocations per
 * level L1..L5, how many left the fast path (level > 1, "slow"), and how many
 * of its objects were still live at the end of the window (allocated in it
 * and not freed before its end: leak suspects, as memleak lists outstanding
 * allocations).  Bytes allocated are the model cache's object size
 * (caches.size, what the kernel's bytes_alloc shows for a slab object).
 *
 * The numbers come from sim_replay_callsites (sim/replay), one pass over the
 * object operations; this file sorts and prints them.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfmt.h"
#include "slabinfo.h"
#include "../db/db.h"
#include "../engine/engine.h"
#include "../replay/replay.h"

#define CS_TOP_DEFAULT 20

/* --sort keys (largest first; ties by call-site text). */
static const char *const cs_sorts[] = { "allocs", "bytes", "frag", "slow", "live" };
#define CS_NR_SORTS (sizeof(cs_sorts) / sizeof(cs_sorts[0]))

static double cs_frag(const struct sim_replay_callsite *c)
{
	return c->bytes_alloc ? 100.0 - 100.0 * (double)c->bytes_req / (double)c->bytes_alloc : 0.0;
}

static int cs_sort_key;		/* qsort has no argument: the --sort of this command */

/* -1 when *pa goes first: the larger key, then the larger allocs, then the text. */
static int cs_cmp(const void *pa, const void *pb)
{
	const struct sim_replay_callsite *a = *(const struct sim_replay_callsite *const *)pa;
	const struct sim_replay_callsite *b = *(const struct sim_replay_callsite *const *)pb;
	double ka = 0, kb = 0;

	switch (cs_sort_key) {
	case 1: ka = (double)a->bytes_alloc; kb = (double)b->bytes_alloc; break;
	case 2: ka = cs_frag(a); kb = cs_frag(b); break;
	case 3: ka = (double)a->slow; kb = (double)b->slow; break;
	case 4: ka = (double)a->live; kb = (double)b->live; break;
	default: break;
	}
	if (ka != kb)
		return ka > kb ? -1 : 1;
	if (a->allocs != b->allocs)
		return a->allocs > b->allocs ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* 1 when `sql` gives a row, 0 when none, -1 on error. */
static int cs_has(struct sim_db *db, const char *sql)
{
	struct sim_db_stmt *st = sim_db_prepare(db, sql);
	int s;

	if (!st)
		return -1;
	s = sim_db_step(st);
	sim_db_finalize(st);
	return s < 0 ? -1 : s == SIM_DB_ROW;
}

static int cs_print(const char *path, const struct sim_slab_window *w, int sort, int64_t top,
		    enum out_format fmt, FILE *out, FILE *err)
{
	static const char *const cols[] = {
		"callsite", "allocs", "bytes_req", "bytes_alloc", "frag_pct",
		"L1_pct", "L2_pct", "L3_pct", "L4_pct", "L5_pct", "slow", "live",
	};
	uint64_t from = w->from_set ? w->from_ns : 0, to = w->to_set ? w->to_ns : UINT64_MAX, unknown = 0;
	struct sim_db *db = sim_db_open_existing(path, err);
	struct sim_replay_callsite *site = NULL;
	const struct sim_replay_callsite **ord = NULL;
	struct out_doc *d = NULL;
	char title[256];
	int rc = SIM_EFAIL, has, nr = 0, n = 0, nr_shown;

	if (!db)
		return SIM_EBADINPUT;
	if (cs_has(db, "SELECT 1 FROM op_counts LIMIT 1") > 0) {	/* --log aggregate: no ops rows */
		fprintf(err, "kmemsim callsites: %s: made with --log aggregate, which counts operations without"
			" their call site: replay with --log ops\n", path);
		rc = SIM_EBADINPUT;
		goto out;
	}
	has = cs_has(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'callsites'");
	if (has > 0)
		has = cs_has(db, "SELECT 1 FROM callsites LIMIT 1");
	if (has <= 0) {
		if (!has) {
			bool replay = cs_has(db, "SELECT 1 FROM sqlite_master WHERE name = 'replay'") > 0;

			fprintf(err, "kmemsim callsites: %s: no call sites: %s\n", path, replay ?
				"the trace's lines name none (or the replay predates call sites: replay it again)" :
				"not a replay (call sites come from a trace's kmalloc and kfree lines)");
			rc = SIM_EBADINPUT;
		}
		goto out;
	}
	rc = sim_replay_callsites(db, path, from, to, &site, &nr, &unknown, err);
	if (rc)
		goto out;
	rc = SIM_EFAIL;
	/* the call sites with allocations in the window, sorted */
	ord = malloc((size_t)(nr ? nr : 1) * sizeof(*ord));
	if (!ord)
		goto out;
	for (int i = 0; i < nr; i++)
		if (site[i].allocs)
			ord[n++] = &site[i];
	cs_sort_key = sort;
	qsort(ord, (size_t)n, sizeof(*ord), cs_cmp);
	nr_shown = top > 0 && top < n ? (int)top : n;
	if (n)
		snprintf(title, sizeof(title), "object allocations by call site (top %d of %d by %s;"
			 " %llu without a call site, inferred by the replay):", nr_shown, n, cs_sorts[sort],
			 (unsigned long long)unknown);
	else
		snprintf(title, sizeof(title), "object allocations by call site: none in the window");
	d = out_doc_begin(out, fmt);
	if (!d)
		goto out;
	out_table_begin(d, "callsites", title, 12, cols);
	for (int i = 0; i < nr_shown; i++) {
		const struct sim_replay_callsite *c = ord[i];

		out_cell_text(d, c->text);
		out_cell_int(d, (long long)c->allocs);
		out_cell_int(d, (long long)c->bytes_req);
		out_cell_int(d, (long long)c->bytes_alloc);
		out_cell_real(d, cs_frag(c), 2);
		for (int l = 0; l < 5; l++)
			out_cell_real(d, 100.0 * (double)c->level[l] / (double)c->allocs, 2);
		out_cell_int(d, (long long)c->slow);
		out_cell_int(d, (long long)c->live);
		out_row_end(d);
	}
	out_table_end(d);
	rc = 0;
out:
	if (d && out_doc_end(d) && !rc) {
		fprintf(err, "kmemsim callsites: write error\n");
		rc = SIM_EFAIL;
	}
	free(ord);
	sim_replay_callsites_free(site, nr);
	sim_db_close(db, false, err);
	return rc;
}

int sim_cli_callsites(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_slab_window w = { 0 };
	const char *pos[1], *sort = NULL, *format = NULL;
	uint64_t top = CS_TOP_DEFAULT;
	const struct sim_cli_opt opts[] = {
		{ "--sort", SIM_CLI_STRING, &sort, NULL },
		{ "--top", SIM_CLI_U64, &top, NULL },
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ NULL, 0, NULL, NULL },
	};
	enum out_format f = OUT_TABLE;
	int nr_pos, k = 0, rc = sim_cli_window_args(argc, argv, opts, pos, 1, 1, &nr_pos, &w, out, err);

	if (rc)
		return rc == SIM_CLI_HELP ? 0 : rc;
	if (sort) {
		for (k = 0; k < (int)CS_NR_SORTS && strcmp(sort, cs_sorts[k]); k++)
			;
		if (k == (int)CS_NR_SORTS) {
			fprintf(err, "kmemsim callsites: --sort: expected allocs, bytes, frag, slow or live, got \"%s\"\n",
				sort);
			return SIM_EBADINPUT;
		}
	}
	if (format && out_format_parse(format, &f)) {
		fprintf(err, "kmemsim callsites: --format: expected table, csv or json, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	if (top > INT64_MAX)
		top = 0;
	return cs_print(pos[0], &w, k, (int64_t)top, f, out, err);
}
