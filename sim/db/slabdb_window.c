/*
 * slabdb_window.c - reading back the slab counters a run kept per operation
 * (ops.stats and stat_bumps, written by slabdb.c), one bump at a time, for
 * whoever counts a window: `kmemsim slabinfo/slabstat --from --to`
 * (sim/cli/slabinfo.c) and `kmemsim validate` (sim/validate), which gives each
 * cache its own window and so reads every bump once and sorts them itself.
 */
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
