/*
 * slabdb.c - the slab allocators' tables of a run's database.
 *
 * Main entries: sim_slabdb_start, sim_slabdb_op_end, sim_slabdb_snapshot,
 * sim_slabdb_final (order of calls: sim/db/db.h).  Written through the
 * generic statements of sim/db/db.h: no sqlite3.h here.
 *
 * Counters, exactly.  A user of a real kernel zeroes /sys/kernel/slab/<c>/<stat>
 * at one moment and reads it at another; `kmemsim slabstat --from --to` must
 * give the same numbers for any window, so every counter bump is kept with
 * what was running when it happened:
 *
 *   SLUB's stat() calls slab_stat_sink (models/slab_common/slab_common.h) at every bump.
 *   A bump on the CPU where the operation in flight began, for the cache of
 *   that operation, is appended to the operation's stats[] as (item, count)
 *   pairs and written with its row (ops.stats, "3 8*2").  Any other bump (no
 *   operation in flight: boot, flush_all's work items, a cpu_partial store;
 *   or a task that migrated inside its operation; or stats[] full) becomes a
 *   row of stat_bumps with the operation's seq and start time, or with the
 *   vCPU's clock when there is no operation.  Consecutive equal rows merge.
 *
 *   So a window [from, to) counts the ops rows with from <= time_ns < to and
 *   the stat_bumps rows with the same time_ns condition: the operations begun
 *   in the window with everything they bumped, and the work done between
 *   operations in the window.  Windows add up: [a, b) + [b, c) = [a, c).
 *
 *   SLAB's STATS_INC_* macros report each bump to the same sink (items of
 *   enum slab_stat_item), so its windows are exact the same way; its boot
 *   counts become rows once, at the end of boot.  high_mark and
 *   max_freeable are high-water marks: snapshots keep them.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../../models/slab_common/slab_common.h"
#include "../../models/slub/slub.h"
#include "../../models/slab/slab.h"

/* A stat_bumps row being merged with the next equal one. */
struct sdb_pending {
	bool used;
	int64_t seq;			/* 0 = no operation */
	uint64_t time_ns;
	int cpu, cache, item;
	uint64_t n;
};

/* State of the run's slab tables (one run per process at a time). */
static struct {
	struct sim_db *db;
	enum sim_allocator allocator;
	const char *alloc_name;		/* "slub", "slab" */
	bool log_ops;
	bool no_events;			/* --log aggregate: counters kept, slab_events not */
	struct sim_db_stmt *ins_event, *ins_bump, *ins_snap;
	struct sdb_pending pending;
	struct slab_stats *slab_last;	/* SLAB: counters last seen, per cache id */
	int nr_slab_last;
	bool failed;
} sdb;

static const char sdb_schema[] =
	"CREATE TABLE caches (id INTEGER PRIMARY KEY, name TEXT, allocator TEXT, object_size INTEGER,"
	" size INTEGER, align INTEGER, objs_per_slab INTEGER, \"order\" INTEGER, cpu_partial INTEGER,"
	" cpu_partial_slabs INTEGER, min_partial INTEGER, offset INTEGER, inuse INTEGER,"
	" refcount INTEGER, aliases INTEGER, flags INTEGER, \"limit\" INTEGER, batchcount INTEGER,"
	" shared INTEGER, colour INTEGER, colour_off INTEGER);\n"
	"CREATE TABLE cache_aliases (name TEXT PRIMARY KEY, cache INTEGER, cache_name TEXT);\n"
	"CREATE TABLE slab_events (seq INTEGER, time_ns INTEGER, cpu INTEGER, allocator TEXT,"
	" cache INTEGER, slab_addr INTEGER, event TEXT, node INTEGER, \"order\" INTEGER,"
	" colour INTEGER, colour_offset INTEGER, active INTEGER);\n"
	"CREATE TABLE slabinfo (time_ns INTEGER, final INTEGER, cache INTEGER, name TEXT,"
	" active_objs INTEGER, num_objs INTEGER, objsize INTEGER, objperslab INTEGER,"
	" pagesperslab INTEGER, active_slabs INTEGER, num_slabs INTEGER, \"limit\" INTEGER,"
	" batchcount INTEGER, sharedfactor INTEGER, sharedavail INTEGER, listallocs INTEGER,"
	" maxobjs INTEGER, grown INTEGER, reaped INTEGER, error INTEGER, maxfreeable INTEGER,"
	" nodeallocs INTEGER, remotefrees INTEGER, alienoverflow INTEGER, allochit INTEGER,"
	" allocmiss INTEGER, freehit INTEGER, freemiss INTEGER);\n"
	"CREATE TABLE stat_items (allocator TEXT, item INTEGER, name TEXT, PRIMARY KEY (allocator, item));\n"
	"CREATE TABLE slub_stats (cache INTEGER, cpu INTEGER, item INTEGER, n INTEGER,"
	" PRIMARY KEY (cache, cpu, item));\n"
	"CREATE TABLE slab_stats (cache INTEGER, item INTEGER, n INTEGER, PRIMARY KEY (cache, item));\n"
	"CREATE TABLE stat_bumps (seq INTEGER, time_ns INTEGER, cpu INTEGER, allocator TEXT,"
	" cache INTEGER, item INTEGER, n INTEGER);\n"
	/* L1..L5 shares of every cache's object operations */
	"CREATE VIEW v_cache_levels AS SELECT o.cache AS cache, c.name AS name, k.name AS kind,"
	" count(*) AS nr_ops, round(100.0 * sum(o.level = 1) / count(*), 2) AS l1_pct,"
	" round(100.0 * sum(o.level = 2) / count(*), 2) AS l2_pct,"
	" round(100.0 * sum(o.level = 3) / count(*), 2) AS l3_pct,"
	" round(100.0 * sum(o.level = 4) / count(*), 2) AS l4_pct,"
	" round(100.0 * sum(o.level = 5) / count(*), 2) AS l5_pct, sum(o.failed) AS nr_failed"
	" FROM ops o JOIN caches c ON c.id = o.cache JOIN op_kinds k ON k.kind = o.kind"
	" WHERE k.name IN ('obj_alloc', 'obj_free')"
	" GROUP BY o.cache, o.kind;\n"
	/* every counter bump: ops.stats unpacked, and the stat_bumps rows */
	"CREATE VIEW v_stat_bumps AS WITH RECURSIVE split(seq, time_ns, cpu, cache, rest, tok) AS ("
	" SELECT seq, time_ns, cpu, cache, stats || ' ', NULL FROM ops WHERE stats IS NOT NULL"
	" UNION ALL SELECT seq, time_ns, cpu, cache, substr(rest, instr(rest, ' ') + 1),"
	" substr(rest, 1, instr(rest, ' ') - 1) FROM split WHERE rest <> '')"
	" SELECT seq, time_ns, cpu, (SELECT allocator FROM runs) AS allocator, cache,"
	" CAST(CASE WHEN instr(tok, '*') THEN substr(tok, 1, instr(tok, '*') - 1) ELSE tok END AS INTEGER) AS item,"
	" CASE WHEN instr(tok, '*') THEN CAST(substr(tok, instr(tok, '*') + 1) AS INTEGER) ELSE 1 END AS n"
	" FROM split WHERE tok IS NOT NULL"
	" UNION ALL SELECT seq, time_ns, cpu, allocator, cache, item, n FROM stat_bumps;\n"
	/* SLUB's counters by name, summed over the CPUs */
	"CREATE VIEW v_slub_stats AS SELECT s.cache AS cache, c.name AS name, i.name AS stat,"
	" sum(s.n) AS total FROM slub_stats s JOIN caches c ON c.id = s.cache"
	" JOIN stat_items i ON i.allocator = 'slub' AND i.item = s.item GROUP BY s.cache, s.item;\n"
	/* the final /proc/slabinfo */
	"CREATE VIEW v_slabinfo AS SELECT * FROM slabinfo WHERE final ORDER BY cache DESC;\n";

static const char *const sdb_slab_stat_names[SIM_SLAB_NR_STAT_ITEMS] = {
	"listallocs", "grown", "reaped", "error", "nodeallocs", "remotefrees", "alienoverflow",
	"allochit", "allocmiss", "freehit", "freemiss",
};

const char *sim_slab_stat_name(int item)
{
	return item >= 0 && item < SIM_SLAB_NR_STAT_ITEMS ? sdb_slab_stat_names[item] : "?";
}

/* The counters of struct slab_stats in sdb_slab_stat_names order. */
static void sdb_slab_counters(const struct slab_stats *st, unsigned long v[SIM_SLAB_NR_STAT_ITEMS])
{
	v[0] = st->num_allocations;
	v[1] = st->grown;
	v[2] = st->reaped;
	v[3] = st->errors;
	v[4] = st->node_allocs;
	v[5] = st->node_frees;
	v[6] = st->node_overflow;
	v[7] = st->allochit;
	v[8] = st->allocmiss;
	v[9] = st->freehit;
	v[10] = st->freemiss;
}

/* ------------------------------------------------------------ stat_bumps */

static void sdb_fail(void)
{
	sdb.failed = true;
}

static void sdb_flush_pending(void)
{
	struct sdb_pending *p = &sdb.pending;
	struct sim_db_stmt *st = sdb.ins_bump;

	if (!p->used)
		return;
	p->used = false;
	if (!st || sdb.failed)
		return;
	if ((p->seq ? sim_db_bind_int64(st, 1, p->seq) : sim_db_bind_null(st, 1)) ||
	    sim_db_bind_int64(st, 2, (int64_t)p->time_ns) ||
	    (p->cpu >= 0 ? sim_db_bind_int64(st, 3, p->cpu) : sim_db_bind_null(st, 3)) ||
	    sim_db_bind_text(st, 4, sdb.alloc_name) || sim_db_bind_int64(st, 5, p->cache) ||
	    sim_db_bind_int64(st, 6, p->item) || sim_db_bind_int64(st, 7, (int64_t)p->n) ||
	    sim_db_step(st) < 0)
		sdb_fail();
}

/* n bumps of `item` of `cache` outside the operation rows (merged with the previous row). */
static void sdb_bump_row(int64_t seq, uint64_t time_ns, int cpu, int cache, int item, uint64_t n)
{
	struct sdb_pending *p = &sdb.pending;

	if (p->used && p->seq == seq && p->time_ns == time_ns && p->cpu == cpu && p->cache == cache &&
	    p->item == item) {
		p->n += n;
		return;
	}
	sdb_flush_pending();
	*p = (struct sdb_pending){ true, seq, time_ns, cpu, cache, item, n };
}

/* Add n bumps of item to op's pairs; false when they do not fit. */
static bool sdb_op_add(struct sim_op *op, int item, unsigned long n)
{
	while (n) {
		unsigned int k = n > 255 ? 255 : (unsigned int)n;

		if (op->nr_stats >= 2 && op->stats[op->nr_stats - 2] == item &&
		    op->stats[op->nr_stats - 1] + k <= 255) {
			op->stats[op->nr_stats - 1] += (uint8_t)k;
		} else if (op->nr_stats + 2 <= SIM_OP_MAX_STATS) {
			op->stats[op->nr_stats++] = (uint8_t)item;
			op->stats[op->nr_stats++] = (uint8_t)k;
		} else {
			return false;
		}
		n -= k;
	}
	return true;
}

/* slab_stat_sink: one bump of SLUB's counter `item` of `cache` on `cpu`. */
static void sdb_stat_bump(int cache, int item, int cpu)
{
	struct sim_op *op = sim && sim->cur && sim->cur->curr ? sim_op_current() : NULL;

	if (op && cpu == op->cpu && (op->kind == SIM_OP_OBJ_ALLOC || op->kind == SIM_OP_OBJ_FREE) &&
	    (!op->nr_stats || op->stat_cache == cache)) {
		op->stat_cache = cache;
		if (sdb_op_add(op, item, 1))
			return;
	}
	if (op)
		sdb_bump_row((int64_t)op->seq, op->start_ns, cpu, cache, item, 1);
	else
		sdb_bump_row(0, sim_now(), cpu, cache, item, 1);
}

/* SLAB at the end of boot: the counters so far become rows at ns (later bumps come one by one). */
static void sdb_slab_diff(int id, struct sim_op *op, uint64_t ns)
{
	struct slab_stats now;
	unsigned long a[SIM_SLAB_NR_STAT_ITEMS], b[SIM_SLAB_NR_STAT_ITEMS];
	struct kmem_cache *s = slab_cache(id);

	if (!s)
		return;
	if (id >= sdb.nr_slab_last) {
		int n = id + 64;
		struct slab_stats *v = realloc(sdb.slab_last, (size_t)n * sizeof(*v));

		if (!v) {
			sdb_fail();
			return;
		}
		memset(v + sdb.nr_slab_last, 0, (size_t)(n - sdb.nr_slab_last) * sizeof(*v));
		sdb.slab_last = v;
		sdb.nr_slab_last = n;
	}
	slab_get_stats(s, &now);
	sdb_slab_counters(&sdb.slab_last[id], a);
	sdb_slab_counters(&now, b);
	sdb.slab_last[id] = now;
	for (int i = 0; i < SIM_SLAB_NR_STAT_ITEMS; i++) {
		unsigned long d = b[i] - a[i];

		if (!d)
			continue;
		if (op) {
			op->stat_cache = id;
			if (sdb_op_add(op, i, d))
				continue;
			sdb_bump_row((int64_t)op->seq, op->start_ns, op->cpu, id, i, d);
		} else {
			sdb_bump_row(0, ns, -1, id, i, d);
		}
	}
}

void sim_slabdb_no_events(void)
{
	sdb.no_events = true;
}

void sim_slabdb_op_end(struct sim_op *op)
{
	if (!sdb.db || !sdb.log_ops)
		return;
	if (op->nr_stats && op->stat_cache != op->cache) {
		/* Another cache's counters: the row's cache would misname them. */
		for (int i = 0; i + 1 < op->nr_stats; i += 2)
			sdb_bump_row((int64_t)op->seq, op->start_ns, op->cpu, op->stat_cache,
				     op->stats[i], op->stats[i + 1]);
		op->nr_stats = 0;
	}
}

/* --------------------------------------------------------------- events */

static void sdb_event_row(int cache, uint64_t addr, const char *event, int node, int order,
			  int colour, int offset, int active)
{
	struct sim_db_stmt *st = sdb.ins_event;
	struct sim_op *op = sim_op_current();

	if (sdb.failed)
		return;
	if ((op ? sim_db_bind_int64(st, 1, (int64_t)op->seq) : sim_db_bind_null(st, 1)) ||
	    sim_db_bind_int64(st, 2, (int64_t)sim_now()) || sim_db_bind_int64(st, 3, sim_cur()->cpu) ||
	    sim_db_bind_text(st, 4, sdb.alloc_name) || sim_db_bind_int64(st, 5, cache) ||
	    sim_db_bind_int64(st, 6, (int64_t)addr) || sim_db_bind_text(st, 7, event) ||
	    sim_db_bind_int64(st, 8, node) ||
	    (order >= 0 ? sim_db_bind_int64(st, 9, order) : sim_db_bind_null(st, 9)) ||
	    (colour >= 0 ? sim_db_bind_int64(st, 10, colour) : sim_db_bind_null(st, 10)) ||
	    (offset >= 0 ? sim_db_bind_int64(st, 11, offset) : sim_db_bind_null(st, 11)) ||
	    (active >= 0 ? sim_db_bind_int64(st, 12, active) : sim_db_bind_null(st, 12)) ||
	    sim_db_step(st) < 0)
		sdb_fail();
}

/* slab_event_sink (SLUB). */
static void sdb_slub_event(int cache, uint64_t slab_addr, int event, int node)
{
	sdb_event_row(cache, slab_addr, slab_event_name(event), node, -1, -1, -1, -1);
}

/* slab_set_event_sink (SLAB): grow with its colour, destroy. */
static void sdb_slab_event(const struct slab_event *ev, void *arg)
{
	(void)arg;
	sdb_event_row(ev->cache, ev->addr, ev->kind == SLAB_EVENT_GROW ? "grow" : "destroy", ev->node,
		      (int)ev->order, (int)ev->colour, (int)ev->offset, (int)ev->active);
}

/* ---------------------------------------------------------- start, stop */

int sim_slabdb_start(struct sim_db *db, const struct sim_scenario *sc, bool log_ops)
{
	struct sim_db_stmt *st;

	memset(&sdb, 0, sizeof(sdb));
	if (sc->allocator == SIM_ALLOC_BUDDY)
		return 0;
	sdb.db = db;
	sdb.allocator = sc->allocator;
	sdb.alloc_name = sim_allocator_name(sc->allocator);
	sdb.log_ops = log_ops;
	if (sim_db_exec(db, sdb_schema))
		return -1;
	st = sim_db_prepare(db, "INSERT INTO stat_items VALUES (?1, ?2, ?3)");
	if (!st)
		return -1;
	for (int i = 0; i < slub_nr_stat_items(); i++)
		if (sim_db_bind_text(st, 1, "slub") || sim_db_bind_int64(st, 2, i) ||
		    sim_db_bind_text(st, 3, slub_stat_name(i)) || sim_db_step(st) < 0)
			return -1;
	for (int i = 0; i < SIM_SLAB_NR_STAT_ITEMS; i++)
		if (sim_db_bind_text(st, 1, "slab") || sim_db_bind_int64(st, 2, i) ||
		    sim_db_bind_text(st, 3, sdb_slab_stat_names[i]) || sim_db_step(st) < 0)
			return -1;
	sim_db_finalize(st);
	sdb.ins_bump = sim_db_prepare(db, "INSERT INTO stat_bumps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sdb.ins_event = sim_db_prepare(db, "INSERT INTO slab_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
				       " ?8, ?9, ?10, ?11, ?12)");
	sdb.ins_snap = sim_db_prepare(db, "INSERT INTO slabinfo VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				      " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
				      " ?23, ?24, ?25, ?26, ?27, ?28)");
	if (!sdb.ins_bump || !sdb.ins_event || !sdb.ins_snap)
		return -1;
	return 0;
}

/* SLUB's counters after boot, as rows at the boot clock. */
static void sdb_slub_boot_rows(uint64_t ns)
{
	for (int id = 0; id < slab_nr_caches(); id++)
		for (int cpu = 0; cpu < sim->nr_cpus; cpu++)
			for (int i = 0; i < slub_nr_stat_items(); i++) {
				unsigned long n = slub_stat(slab_cache(id), i, cpu);

				if (n)
					sdb_bump_row(0, ns, cpu, id, i, n);
			}
}

/*
 * Boot is over (kmalloc caches, the scenario's caches and tunables): its
 * counts become rows at the boot clock, the state a first snapshot, and the
 * sinks go on.  Boot's own bumps are not taken one by one: the two boot
 * caches have no registry id until bootstrap() gives them one.
 */
int sim_slabdb_baseline(void)
{
	uint64_t ns;

	if (!sdb.db)
		return 0;
	ns = sim_now();
	if (sdb.log_ops) {
		if (sdb.allocator == SIM_ALLOC_SLUB)
			sdb_slub_boot_rows(ns);
		else
			for (int id = 0; id < slab_nr_caches(); id++)
				sdb_slab_diff(id, NULL, ns);
		slab_stat_sink = sdb_stat_bump;
		if (sdb.no_events)
			;
		else if (sdb.allocator == SIM_ALLOC_SLUB)
			slab_event_sink = sdb_slub_event;
		else
			slab_set_event_sink(sdb_slab_event, NULL);
	}
	return sim_slabdb_snapshot(ns, false);
}

void sim_slabdb_stop(void)
{
	if (sdb.db) {
		slab_stat_sink = NULL;
		slab_event_sink = NULL;
		if (sdb.allocator == SIM_ALLOC_SLAB)
			slab_set_event_sink(NULL, NULL);
	}
	free(sdb.slab_last);
	memset(&sdb, 0, sizeof(sdb));
}

/* ------------------------------------------------------------ snapshots */

static int sdb_bind_u64(struct sim_db_stmt *st, int i, uint64_t v)
{
	return sim_db_bind_int64(st, i, (int64_t)v);
}

/* A run of integer columns: v[0..n) into parameters first..first+n-1; non-zero on a failure. */
static int sdb_bind_u64s(struct sim_db_stmt *st, int first, const uint64_t *v, int n)
{
	int b = 0;

	for (int i = 0; i < n; i++)
		b |= sdb_bind_u64(st, first + i, v[i]);
	return b;
}

#define SDB_NR(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* One slabinfo row of cache id at ns. */
static int sdb_snap_cache(int id, uint64_t ns, bool final)
{
	struct sim_db_stmt *st = sdb.ins_snap;
	struct kmem_cache *s = slab_cache(id);
	struct slab_cache_info info;
	int b = 0;

	slab_current()->info(s, &info);
	/* columns 5-15: the slabinfo figures, then SLAB's tunables and shared array (0 under SLUB) */
	uint64_t v[] = {
		info.active_objs, info.num_objs, info.size, info.objs_per_slab, 1u << info.order,
		info.active_slabs, info.num_slabs, 0, 0, 0, 0,
	};

	b |= sdb_bind_u64(st, 1, ns);
	b |= sim_db_bind_int64(st, 2, final);
	b |= sim_db_bind_int64(st, 3, id);
	b |= sim_db_bind_text(st, 4, info.name);
	if (sdb.allocator == SIM_ALLOC_SLAB) {
		struct slab_slabinfo si;
		struct slab_stats ss;
		slab_get_info(s, &si);
		slab_get_stats(s, &ss);
		/* SLAB's own figures win (all but size): get_slabinfo is what /proc/slabinfo prints */
		const uint64_t slab_v[] = {
			si.active_objs, si.num_objs, info.size, si.objects_per_slab, 1u << si.cache_order,
			si.active_slabs, si.num_slabs, si.limit, si.batchcount, si.shared, si.shared_avail,
		};
		const uint64_t g[] = {
			ss.num_allocations, ss.high_mark, ss.grown, ss.reaped, ss.errors, ss.max_freeable,
			ss.node_allocs, ss.node_frees, ss.node_overflow, ss.allochit, ss.allocmiss,
			ss.freehit, ss.freemiss,
		};

		memcpy(v, slab_v, sizeof(v));
		b |= sdb_bind_u64s(st, 16, g, SDB_NR(g));
	} else {
		for (int i = 16; i <= 28; i++)
			b |= sim_db_bind_null(st, i);
	}
	b |= sdb_bind_u64s(st, 5, v, SDB_NR(v));
	return b || sim_db_step(st) < 0 ? -1 : 0;
}

int sim_slabdb_snapshot(uint64_t ns, bool final)
{
	if (!sdb.db || !slab_current())
		return 0;
	for (int id = 0; id < slab_nr_caches(); id++)
		if (sdb_snap_cache(id, ns, final))
			return -1;
	sdb_flush_pending();
	return sdb.failed ? -1 : 0;
}

/* ---------------------------------------------------------------- final */

static int sdb_log_caches(void)
{
	struct sim_db_stmt *st = sim_db_prepare(sdb.db, "INSERT INTO caches VALUES (?1, ?2, ?3, ?4, ?5,"
						" ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,"
						" ?20, ?21)");
	int rc = 0;

	if (!st)
		return -1;
	for (int id = 0; id < slab_nr_caches() && !rc; id++) {
		struct kmem_cache *s = slab_cache(id);
		struct slab_cache_info info;
		int b = 0;

		slab_current()->info(s, &info);
		const uint64_t geometry[] = { info.object_size, info.size, info.align, info.objs_per_slab, info.order };

		for (int i = 9; i <= 21; i++)
			b |= sim_db_bind_null(st, i);
		b |= sim_db_bind_int64(st, 1, id);
		b |= sim_db_bind_text(st, 2, info.name);
		b |= sim_db_bind_text(st, 3, sdb.alloc_name);
		b |= sdb_bind_u64s(st, 4, geometry, SDB_NR(geometry));
		b |= sim_db_bind_int64(st, 14, info.refcount);
		b |= sim_db_bind_int64(st, 15, info.refcount < 0 ? 0 : info.refcount - 1);
		b |= sdb_bind_u64(st, 16, info.flags);
		if (sdb.allocator == SIM_ALLOC_SLUB) {
			struct slub_attrs a;

			slub_get_attrs(s, &a);
			const uint64_t attrs[] = { a.cpu_partial, a.cpu_partial_slabs, a.min_partial, a.offset, a.inuse };

			b |= sdb_bind_u64s(st, 9, attrs, SDB_NR(attrs));
		} else {
			struct slab_slabinfo si;

			slab_get_info(s, &si);
			const uint64_t tunables[] = { si.limit, si.batchcount, si.shared };

			b |= sdb_bind_u64s(st, 17, tunables, SDB_NR(tunables));
		}
		rc = b || sim_db_step(st) < 0 ? -1 : 0;
	}
	sim_db_finalize(st);
	if (rc)
		return -1;
	st = sim_db_prepare(sdb.db, "INSERT INTO cache_aliases VALUES (?1, ?2, ?3)");
	if (!st)
		return -1;
	for (int i = 0; i < slab_nr_aliases() && !rc; i++) {
		int id = slab_alias_cache(i);
		struct slab_cache_info info;

		slab_current()->info(slab_cache(id), &info);
		rc = sim_db_bind_text(st, 1, slab_alias_name(i)) || sim_db_bind_int64(st, 2, id) ||
		     sim_db_bind_text(st, 3, info.name) || sim_db_step(st) < 0 ? -1 : 0;
	}
	sim_db_finalize(st);
	return rc;
}

/* The counters' final values: SLUB per (cache, cpu, item), SLAB per (cache, item); non-zero only. */
static int sdb_log_totals(void)
{
	struct sim_db_stmt *st;
	int rc = 0;

	if (sdb.allocator == SIM_ALLOC_SLUB) {
		st = sim_db_prepare(sdb.db, "INSERT INTO slub_stats VALUES (?1, ?2, ?3, ?4)");
		if (!st)
			return -1;
		for (int id = 0; id < slab_nr_caches() && !rc; id++)
			for (int cpu = 0; cpu < sim->nr_cpus && !rc; cpu++)
				for (int i = 0; i < slub_nr_stat_items() && !rc; i++) {
					unsigned long n = slub_stat(slab_cache(id), i, cpu);

					if (n)
						rc = sim_db_bind_int64(st, 1, id) || sim_db_bind_int64(st, 2, cpu) ||
						     sim_db_bind_int64(st, 3, i) || sdb_bind_u64(st, 4, n) ||
						     sim_db_step(st) < 0 ? -1 : 0;
				}
	} else {
		st = sim_db_prepare(sdb.db, "INSERT INTO slab_stats VALUES (?1, ?2, ?3)");
		if (!st)
			return -1;
		for (int id = 0; id < slab_nr_caches() && !rc; id++) {
			struct slab_stats ss;
			unsigned long v[SIM_SLAB_NR_STAT_ITEMS];

			slab_get_stats(slab_cache(id), &ss);
			sdb_slab_counters(&ss, v);
			for (int i = 0; i < SIM_SLAB_NR_STAT_ITEMS && !rc; i++)
				if (v[i])
					rc = sim_db_bind_int64(st, 1, id) || sim_db_bind_int64(st, 2, i) ||
					     sdb_bind_u64(st, 3, v[i]) || sim_db_step(st) < 0 ? -1 : 0;
		}
	}
	sim_db_finalize(st);
	return rc;
}

int sim_slabdb_final(uint64_t ns)
{
	if (!sdb.db || !slab_current())
		return 0;
	if (sim_slabdb_snapshot(ns, true) || sdb_log_caches() || sdb_log_totals())
		return -1;
	sdb_flush_pending();
	return sdb.failed ? -1 : 0;
}
