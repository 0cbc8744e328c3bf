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
 * One SQL statement does it: each object operation is paired with the next
 * operation on the same simulated address (lead() over addr, in seq order),
 * so an allocation is live when the next one is not a free, or a free at or
 * after the window's end.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfmt.h"
#include "slabinfo.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define CS_TOP_DEFAULT 20

/* --sort keys and the ORDER BY each means (largest first; ties by call-site text). */
static const struct { const char *key, *order; } cs_sorts[] = {
	{ "allocs", "allocs DESC" },
	{ "bytes", "bytes_alloc DESC, allocs DESC" },
	{ "frag", "frag DESC, allocs DESC" },
	{ "slow", "slow DESC, allocs DESC" },
	{ "live", "live DESC, allocs DESC" },
};
#define CS_NR_SORTS (sizeof(cs_sorts) / sizeof(cs_sorts[0]))

static const char cs_sql[] =
	"WITH o AS (SELECT kind, time_ns, callsite, size, level, cache, failed,"
	"  lead(kind) OVER w AS next_kind, lead(time_ns) OVER w AS next_ns"
	"  FROM ops WHERE kind IN ('obj_alloc', 'obj_free') WINDOW w AS (PARTITION BY addr ORDER BY seq)),"
	" s AS (SELECT c.text, count(*) AS allocs, coalesce(sum(o.size), 0) AS bytes_req,"
	"  coalesce(sum(k.size), 0) AS bytes_alloc,"
	"  sum(o.level = 1) AS l1, sum(o.level = 2) AS l2, sum(o.level = 3) AS l3, sum(o.level = 4) AS l4,"
	"  sum(o.level = 5) AS l5, sum(o.level > 1) AS slow,"
	"  sum(NOT o.failed AND (o.next_kind IS NOT 'obj_free' OR o.next_ns >= ?2)) AS live"
	"  FROM o JOIN callsites c ON c.callsite = o.callsite LEFT JOIN caches k ON k.id = o.cache"
	"  WHERE o.kind = 'obj_alloc' AND o.time_ns >= ?1 AND o.time_ns < ?2 GROUP BY o.callsite)"
	" SELECT text, allocs, bytes_req, bytes_alloc,"
	"  CASE WHEN bytes_alloc > 0 THEN 100.0 - 100.0 * bytes_req / bytes_alloc ELSE 0.0 END AS frag,"
	"  l1, l2, l3, l4, l5, slow, live, count(*) OVER () AS nr_sites FROM s ORDER BY %s, text LIMIT ?3";

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

/* Object allocations of the window without a call site (inferred by the replay). */
static int64_t cs_nr_unknown(struct sim_db *db, int64_t from, int64_t to)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "SELECT count(*) FROM ops WHERE kind = 'obj_alloc'"
						" AND callsite IS NULL AND time_ns >= ?1 AND time_ns < ?2");
	int64_t n = -1;

	if (st && !sim_db_bind_int64(st, 1, from) && !sim_db_bind_int64(st, 2, to) &&
	    sim_db_step(st) == SIM_DB_ROW)
		n = sim_db_column_int64(st, 0);
	sim_db_finalize(st);
	return n;
}

static int cs_print(const char *path, const struct sim_slab_window *w, int sort, int64_t top,
		    enum out_format fmt, FILE *out, FILE *err)
{
	static const char *const cols[] = {
		"callsite", "allocs", "bytes_req", "bytes_alloc", "frag_pct",
		"L1_pct", "L2_pct", "L3_pct", "L4_pct", "L5_pct", "slow", "live",
	};
	int64_t from = w->from_set ? (int64_t)w->from_ns : 0;
	int64_t to = w->to_set ? (int64_t)w->to_ns : INT64_MAX;
	struct sim_db *db = sim_db_open_existing(path, err);
	struct sim_db_stmt *st = NULL;
	struct out_doc *d = NULL;
	char sql[sizeof(cs_sql) + 64], title[256];
	int rc = SIM_EFAIL, has, s, n = 0;
	int64_t unknown;

	if (!db)
		return SIM_EBADINPUT;
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
	unknown = cs_nr_unknown(db, from, to);
	snprintf(sql, sizeof(sql), cs_sql, cs_sorts[sort].order);
	st = sim_db_prepare(db, sql);
	if (!st || unknown < 0 || sim_db_bind_int64(st, 1, from) || sim_db_bind_int64(st, 2, to) ||
	    sim_db_bind_int64(st, 3, top > 0 ? top : -1))
		goto out;
	d = out_doc_begin(out, fmt);
	if (!d)
		goto out;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t allocs = sim_db_column_int64(st, 1);

		if (!n++) {
			snprintf(title, sizeof(title), "object allocations by call site (top %lld of %lld by %s;"
				 " %lld without a call site, inferred by the replay):",
				 (long long)(top > 0 && top < sim_db_column_int64(st, 12) ? top :
					     sim_db_column_int64(st, 12)),
				 (long long)sim_db_column_int64(st, 12), cs_sorts[sort].key, (long long)unknown);
			out_table_begin(d, "callsites", title, 12, cols);
		}
		out_cell_text(d, sim_db_column_text(st, 0));
		for (int c = 1; c <= 3; c++)
			out_cell_int(d, sim_db_column_int64(st, c));
		out_cell_real(d, sim_db_column_double(st, 4), 2);
		for (int c = 5; c <= 9; c++)
			out_cell_real(d, allocs ? 100.0 * (double)sim_db_column_int64(st, c) / (double)allocs : 0.0, 2);
		out_cell_int(d, sim_db_column_int64(st, 10));
		out_cell_int(d, sim_db_column_int64(st, 11));
		out_row_end(d);
	}
	if (!n) {		/* an empty window still prints the table's header */
		snprintf(title, sizeof(title), "object allocations by call site: none in the window");
		out_table_begin(d, "callsites", title, 12, cols);
	}
	out_table_end(d);
	rc = s < 0 ? SIM_EFAIL : 0;
out:
	if (d && out_doc_end(d) && !rc) {
		fprintf(err, "kmemsim callsites: write error\n");
		rc = SIM_EFAIL;
	}
	sim_db_finalize(st);
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
		return rc == 1 ? 0 : rc;
	if (sort) {
		for (k = 0; k < (int)CS_NR_SORTS && strcmp(sort, cs_sorts[k].key); k++)
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
