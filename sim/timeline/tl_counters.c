/*
 * tl_counters.c - the timeline's counter tracks (tl_int.h), from what the
 * database keeps over time:
 *   - free pages of each populated zone: the pages on its free lists
 *     (sum of nr_free << order over migratetypes) at every buddy_snapshots
 *     time (every snapshot_interval_us of simulated time, at a replay's
 *     SNAP marks, and at the end);
 *   - pages on the pcp lists of each populated zone, summed over its vCPUs,
 *     at the same times (pcp_snapshots; absent from databases written
 *     before that table existed, which then have no such tracks);
 *   - slabs of the busiest caches (most slabs created and destroyed, and
 *     --cache): exact, a value at every slab_events row that creates or
 *     destroys a slab (SLUB new/discard, SLAB grow/destroy), counted back
 *     from the final slabinfo's num_slabs.
 * Within a window, the value in force at --from is given at --from.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tl_int.h"
#include "../db/db.h"
#include "../engine/engine.h"

#define TL_BUSY_CACHES 8
#define TL_SLAB_EVENTS "event IN ('new', 'discard', 'grow', 'destroy')"

static const char *const tl_zone_names[4] = { "DMA", "DMA32", "Normal", "Movable" };

/* A counter track per populated zone from snapshot rows (time_ns, final, node, zone, value). */
struct tl_zone_counter {
	const char *table;		/* the snapshot table, for the error */
	const char *sql;		/* its rows, ordered by time_ns, final, node, zone */
	uint64_t group, base;		/* track uuids: the group, zone (n, z) at base + n * 4 + z */
	const char *group_name, *suffix;
};

static const struct tl_zone_counter tl_free_counter = {
	"buddy_snapshots",
	"SELECT time_ns, final, node, zone, sum(nr_free << \"order\") FROM buddy_snapshots"
	" GROUP BY time_ns, final, node, zone ORDER BY time_ns, final, node, zone",
	TL_UUID_FREE_GROUP, TL_UUID_FREE(0, 0), "free pages", "free pages",
};

static const struct tl_zone_counter tl_pcp_counter = {
	"pcp_snapshots",
	"SELECT time_ns, final, node, zone, sum(count) FROM pcp_snapshots"
	" GROUP BY time_ns, final, node, zone ORDER BY time_ns, final, node, zone",
	TL_UUID_PCP_GROUP, TL_UUID_PCP(0, 0), "pcp pages", "pcp pages",
};

/* Emit one snapshot's values of every populated zone at ts. */
static void tl_zone_emit(struct tl *t, const struct tl_zone_counter *c, const bool *populated,
			 const int64_t *v, int n, uint64_t ts)
{
	for (int i = 0; i < n; i++)
		if (populated[i])
			tl_counter(t, c->base + (uint64_t)i, ts, v[i]);
}

static int tl_zone_counters(struct tl *t, const struct tl_zone_counter *c)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db, "SELECT node, zone FROM zones WHERE populated");
	int n = 0, s, rc = SIM_EFAIL;
	bool *populated = NULL, have_prev = false, have_cur = false, emitted = false;
	int64_t *cur = NULL, *prev = NULL;
	uint64_t cur_ns = 0, cur_final = 0, prev_ns = 0;
	char name[64];

	if (!st)
		return SIM_EFAIL;
	/* every zone index of every node: 4 per node */
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int i = (int)(sim_db_column_int64(st, 0) * 4 + sim_db_column_int64(st, 1));

		if (i < 0 || i >= 4 * 1024)
			continue;
		if (i >= n) {
			bool *p = realloc(populated, (size_t)(i + 1) * sizeof(*p));

			if (!p)
				goto out;
			memset(p + n, 0, (size_t)(i + 1 - n) * sizeof(*p));
			populated = p;
			n = i + 1;
		}
		populated[i] = true;
	}
	sim_db_finalize(st);
	st = NULL;
	if (s < 0)
		goto out;
	if (!n)
		return 0;
	cur = calloc((size_t)n, sizeof(*cur));
	prev = calloc((size_t)n, sizeof(*prev));
	if (!cur || !prev)
		goto out;
	tl_track_descriptor(t, c->group, 0, c->group_name, false);
	for (int i = 0; i < n; i++) {
		if (!populated[i])
			continue;
		snprintf(name, sizeof(name), "N%d %s %s", i / 4, tl_zone_names[i % 4], c->suffix);
		tl_track_descriptor(t, c->base + (uint64_t)i, c->group, name, true);
	}
	st = sim_db_prepare(t->db, c->sql);
	if (!st)
		goto out;
	/* rows come per snapshot (time, final); a snapshot is emitted when the next one starts */
	for (;;) {
		s = sim_db_step(st);
		if (s < 0)
			goto out;
		uint64_t ns = s == SIM_DB_ROW ? (uint64_t)sim_db_column_int64(st, 0) : 0;
		uint64_t fin = s == SIM_DB_ROW ? (uint64_t)sim_db_column_int64(st, 1) : 0;

		if (have_cur && (s != SIM_DB_ROW || ns != cur_ns || fin != cur_final)) {
			/* the final snapshot repeats a periodic one taken at the same time */
			bool same = (have_prev || emitted) && cur_ns == prev_ns;

			if (cur_ns < t->from) {
				memcpy(prev, cur, (size_t)n * sizeof(*cur));
				have_prev = true;
			} else if (cur_ns < t->to && !same) {
				if (!emitted && have_prev && cur_ns > t->from)
					tl_zone_emit(t, c, populated, prev, n, t->from);
				tl_zone_emit(t, c, populated, cur, n, cur_ns);
				emitted = true;
			}
			prev_ns = cur_ns;
			have_cur = false;
		}
		if (s != SIM_DB_ROW)
			break;
		if (!have_cur) {
			memset(cur, 0, (size_t)n * sizeof(*cur));
			cur_ns = ns;
			cur_final = fin;
			have_cur = true;
		}
		int i = (int)(sim_db_column_int64(st, 2) * 4 + sim_db_column_int64(st, 3));

		if (i >= 0 && i < n)
			cur[i] += sim_db_column_int64(st, 4);
	}
	if (!emitted && have_prev && t->from < t->to && t->o->from_set)
		tl_zone_emit(t, c, populated, prev, n, t->from);
	rc = 0;
out:
	sim_db_finalize(st);
	free(populated);
	free(cur);
	free(prev);
	if (rc)
		fprintf(t->err, "%s: cannot read %s\n", t->o->db_path, c->table);
	return rc;
}

/* One cache's slab count: before its first slab event, and after each. */
static int tl_slab_cache(struct tl *t, int cache)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db,
		"SELECT (SELECT num_slabs FROM slabinfo WHERE final AND cache = ?1),"
		" (SELECT coalesce(sum(CASE WHEN event IN ('new', 'grow') THEN 1 ELSE -1 END), 0)"
		" FROM slab_events WHERE cache = ?1 AND " TL_SLAB_EVENTS ")");
	int64_t v;
	bool first = true;
	char name[160];
	int s;

	if (!st || sim_db_bind_int64(st, 1, cache) || sim_db_step(st) != SIM_DB_ROW) {
		sim_db_finalize(st);
		return SIM_EFAIL;
	}
	if (!sim_db_column_text(st, 0)) {	/* no final row: a cache destroyed before the end */
		sim_db_finalize(st);
		return 0;
	}
	v = sim_db_column_int64(st, 0) - sim_db_column_int64(st, 1);
	sim_db_finalize(st);
	snprintf(name, sizeof(name), "%s slabs", t->cache_name[cache]);
	tl_track_descriptor(t, TL_UUID_SLAB(cache), TL_UUID_SLAB_GROUP, name, true);
	st = sim_db_prepare(t->db, "SELECT time_ns, event FROM slab_events WHERE cache = ?1 AND " TL_SLAB_EVENTS
			    " ORDER BY time_ns, rowid");
	if (!st || sim_db_bind_int64(st, 1, cache)) {
		sim_db_finalize(st);
		return SIM_EFAIL;
	}
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		uint64_t ns = (uint64_t)sim_db_column_int64(st, 0);
		const char *ev = sim_db_column_text(st, 1);

		if (ns >= t->to)
			break;
		if (ns >= t->from && first) {
			tl_counter(t, TL_UUID_SLAB(cache), t->from, v);
			first = false;
		}
		v += ev && (!strcmp(ev, "new") || !strcmp(ev, "grow")) ? 1 : -1;
		if (ns >= t->from)
			tl_counter(t, TL_UUID_SLAB(cache), ns, v);
	}
	sim_db_finalize(st);
	if (first && t->from < t->to)
		tl_counter(t, TL_UUID_SLAB(cache), t->from, v);
	return s < 0 ? SIM_EFAIL : 0;
}

static int tl_slabs(struct tl *t)
{
	struct sim_db_stmt *st = sim_db_prepare(t->db, "SELECT cache, count(*) AS n FROM slab_events WHERE "
						TL_SLAB_EVENTS " GROUP BY cache ORDER BY n DESC, cache LIMIT ?1");
	int busy[TL_BUSY_CACHES + 1], nr = 0, s;
	bool has_cache = t->cache_id < 0;

	if (!st || sim_db_bind_int64(st, 1, TL_BUSY_CACHES)) {
		sim_db_finalize(st);
		return SIM_EFAIL;
	}
	while ((s = sim_db_step(st)) == SIM_DB_ROW && nr < TL_BUSY_CACHES) {
		int c = (int)sim_db_column_int64(st, 0);

		if (c < 0 || c >= t->nr_caches || !t->cache_name[c])
			continue;
		busy[nr++] = c;
		has_cache |= c == t->cache_id;
	}
	sim_db_finalize(st);
	if (s < 0)
		return SIM_EFAIL;
	if (!has_cache)
		busy[nr++] = t->cache_id;
	if (nr)
		tl_track_descriptor(t, TL_UUID_SLAB_GROUP, 0, "slabs", false);
	for (int i = 0; i < nr; i++)
		if (tl_slab_cache(t, busy[i]))
			return SIM_EFAIL;
	return 0;
}

int tl_counters(struct tl *t)
{
	if (tl_zone_counters(t, &tl_free_counter))
		return SIM_EFAIL;
	if (t->pcp_table && tl_zone_counters(t, &tl_pcp_counter))
		return SIM_EFAIL;
	if (t->slab_tables && tl_slabs(t)) {
		fprintf(t->err, "%s: cannot read slab_events\n", t->o->db_path);
		return SIM_EFAIL;
	}
	return 0;
}
