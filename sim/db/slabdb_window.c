/*
 * slabdb_window.c - reading back the slab counters a run kept per operation
 * (ops.stats and stat_bumps, written by slabdb.c), one bump at a time, for
 * whoever counts a window: `kmemsim slabinfo/slabstat --from --to`
 * (sim/cli/slabinfo.c) and `kmemsim validate` (sim/validate), which gives each
 * cache its own window and so reads every bump once and sorts them itself.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "db.h"

/* Each (item, count) of an ops.stats text ("3 8*2"). */
static void sdw_each_text(const char *text, uint64_t time_ns, int cache, int cpu,
			  sim_slabdb_bump_fn *fn, void *arg)
{
	const char *p = text;

	while (p && *p) {
		char *end;
		unsigned long item = strtoul(p, &end, 10), n = 1;

		if (end == p)
			break;
		if (*end == '*')
			n = strtoul(end + 1, &end, 10);
		fn(arg, time_ns, cache, cpu, (int)item, n);
		p = end;
		while (*p == ' ')
			p++;
	}
}

/* One row of a query, as ints; false when none. */
static bool sdw_ints(struct sim_db *db, const char *sql, int64_t a, int64_t *out, int n)
{
	struct sim_db_stmt *st = sim_db_prepare(db, sql);
	bool ok = st && !sim_db_bind_int64(st, 1, a) && sim_db_step(st) == SIM_DB_ROW;

	for (int i = 0; ok && i < n; i++)
		out[i] = sim_db_column_int64(st, i);
	sim_db_finalize(st);
	return ok;
}

bool sim_db_is_aggregate(struct sim_db *db)
{
	int64_t n = 0;

	return sdw_ints(db, "SELECT count(*) FROM sqlite_master WHERE name = 'stat_counts' AND ?1", 1, &n, 1) && n;
}

bool sim_slabdb_cut_exact(struct sim_db *db, uint64_t ns)
{
	int64_t n = 0;

	if (ns == 0 || ns >= INT64_MAX || !sim_db_is_aggregate(db))
		return true;
	return sdw_ints(db, "SELECT count(*) FROM op_buckets WHERE exact_to_ns < ?1 AND (to_ns IS NULL OR ?1 < to_ns)",
			(int64_t)ns, &n, 1) && !n;
}

/*
 * --log aggregate: each bucket's stat_counts less its operations kept one by one
 * (mark_stats), at the start of the span they lie in (op_buckets.exact_to_ns; bucket
 * 0: 0), then mark_stats at their own times.  Exact for windows whose ends pass
 * sim_slabdb_cut_exact.
 */
static int sdw_counts(struct sim_db *db, int64_t from, int64_t to, int cache, sim_slabdb_bump_fn *fn, void *arg)
{
	static const char *const sql[2] = {
		"SELECT CASE WHEN s.bucket = 0 THEN 0 ELSE b.exact_to_ns END AS t, s.cache, s.cpu, s.item,"
		" s.n - coalesce((SELECT sum(x.n) FROM mark_stats x WHERE x.bucket = s.bucket AND x.cache = s.cache"
		" AND x.cpu = s.cpu AND x.item = s.item), 0) FROM stat_counts s JOIN op_buckets b USING (bucket)"
		" WHERE t >= ?1 AND t < ?2 AND (?3 < 0 OR s.cache = ?3)",
		"SELECT time_ns, cache, cpu, item, n FROM mark_stats WHERE time_ns >= ?1 AND time_ns < ?2"
		" AND (?3 < 0 OR cache = ?3)",
	};
	int rc = 0;

	for (int q = 0; q < 2 && !rc; q++) {
		struct sim_db_stmt *st = sim_db_prepare(db, sql[q]);
		int s;

		if (!st || sim_db_bind_int64(st, 1, from) || sim_db_bind_int64(st, 2, to) ||
		    sim_db_bind_int64(st, 3, cache)) {
			sim_db_finalize(st);
			return -1;
		}
		while ((s = sim_db_step(st)) == SIM_DB_ROW)
			if (sim_db_column_int64(st, 4) > 0)
				fn(arg, (uint64_t)sim_db_column_int64(st, 0), (int)sim_db_column_int64(st, 1),
				   (int)sim_db_column_int64(st, 2), (int)sim_db_column_int64(st, 3),
				   (uint64_t)sim_db_column_int64(st, 4));
		rc = s < 0 ? -1 : 0;
		sim_db_finalize(st);
	}
	return rc;
}

int sim_slabdb_bumps(struct sim_db *db, uint64_t from_ns, uint64_t to_ns, int cache,
		     sim_slabdb_bump_fn *fn, void *arg)
{
	const char *sql_ops = cache >= 0 ?
		"SELECT time_ns, cache, cpu, stats FROM ops WHERE cache = ?3 AND stats IS NOT NULL"
		" AND time_ns >= ?1 AND time_ns < ?2" :
		"SELECT time_ns, cache, cpu, stats FROM ops WHERE stats IS NOT NULL AND time_ns >= ?1 AND time_ns < ?2";
	const char *sql_rows = cache >= 0 ?
		"SELECT time_ns, cache, cpu, item, n FROM stat_bumps WHERE cache = ?3 AND time_ns >= ?1 AND time_ns < ?2" :
		"SELECT time_ns, cache, cpu, item, n FROM stat_bumps WHERE time_ns >= ?1 AND time_ns < ?2";
	int64_t from = (int64_t)(from_ns > INT64_MAX ? INT64_MAX : from_ns);
	int64_t to = (int64_t)(to_ns > INT64_MAX ? INT64_MAX : to_ns);
	struct sim_db_stmt *a = sim_db_prepare(db, sql_ops), *b = a ? sim_db_prepare(db, sql_rows) : NULL;
	int rc = -1, s;

	if (!a || !b)
		goto out;
	for (struct sim_db_stmt *st = a; st; st = st == a ? b : NULL)
		if (sim_db_bind_int64(st, 1, from) || sim_db_bind_int64(st, 2, to) ||
		    (cache >= 0 && sim_db_bind_int64(st, 3, cache)))
			goto out;
	if (sim_db_is_aggregate(db) && sdw_counts(db, from, to, cache, fn, arg))
		goto out;
	while ((s = sim_db_step(a)) == SIM_DB_ROW)
		sdw_each_text(sim_db_column_text(a, 3), (uint64_t)sim_db_column_int64(a, 0),
			      (int)sim_db_column_int64(a, 1), (int)sim_db_column_int64(a, 2), fn, arg);
	if (s < 0)
		goto out;
	while ((s = sim_db_step(b)) == SIM_DB_ROW) {
		/* SLAB's rows outside operations carry no cpu */
		int cpu = sim_db_column_text(b, 2) ? (int)sim_db_column_int64(b, 2) : -1;

		fn(arg, (uint64_t)sim_db_column_int64(b, 0), (int)sim_db_column_int64(b, 1), cpu,
		   (int)sim_db_column_int64(b, 3), (uint64_t)sim_db_column_int64(b, 4));
	}
	rc = s < 0 ? -1 : 0;
out:
	sim_db_finalize(a);
	sim_db_finalize(b);
	return rc;
}
