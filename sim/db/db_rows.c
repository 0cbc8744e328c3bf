/*
 * db_rows.c - every row of a run's database but the ops rows: the run row,
 * path signatures and labels, engine and lock totals, buddy snapshots,
 * zones (pcp, pageblocks, sysctl), invariant violations and the summary.
 * What the numbers mean: sim/engine/, models/buddy/.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"
#include "../engine/engine.h"
#include "../scenario/scenario.h"
#include "../../models/kernel.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"

int sim_db_log_run(struct sim_db *db, const struct sim_scenario *sc, const char *version)
{
	sqlite3_stmt *st = NULL;
	char *json = sim_scenario_to_json(sc), stamp[32], seed_hex[24];
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1, b = 0;

	db->nr_cpus = sim_scenario_nr_cpus(sc);
	db->watermark_scale_factor = sc->watermark_scale_factor;
	db->percpu_pagelist_high_fraction = sc->percpu_pagelist_high_fraction;
	if (!json) {
		fprintf(db->err, "%s: out of memory\n", db->path);
		return -1;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	st = db_prepare(db, "INSERT INTO runs VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
			" ?12, ?13, ?14, ?15, ?16)");
	if (!st)
		goto fail;
	b |= sqlite3_bind_text(st, 1, sc->name, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 2, sc->description, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 3, sc->path, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 5, sc->json, -1, SQLITE_STATIC);
	b |= db_bind_u64(st, 6, sc->seed);	/* above INT64_MAX it reads negative: seed_hex is exact */
	b |= sqlite3_bind_text(st, 7, version, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 8, sim_allocator_name(sc->allocator), -1, SQLITE_STATIC);
	b |= sqlite3_bind_int(st, 9, sc->nr_nodes);
	b |= sqlite3_bind_int(st, 10, db->nr_cpus);
	b |= sqlite3_bind_int(st, 11, sc->log_ops);
	b |= sqlite3_bind_text(st, 12, stamp, -1, SQLITE_STATIC);
	b |= sqlite3_bind_int64(st, 13, (int64_t)now);
	snprintf(seed_hex, sizeof(seed_hex), "0x%016" PRIx64, sc->seed);
	b |= sqlite3_bind_text(st, 14, seed_hex, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 15, sc->log_ops ? "ops" : "none", -1, SQLITE_STATIC);	/* sim_db_count_ops */
	/* the version the models follow (a run hands the scenario's on before this row) */
	b |= sqlite3_bind_text(st, 16, sim_kernel_name(sim_scenario_kernel(sc)), -1, SQLITE_STATIC);
	rc = db_insert(db, st, "runs", b);
fail:
	sqlite3_finalize(st);
	free(json);
	return rc;
}

int sim_db_run_kernel(struct sim_db *db)
{
	/* a database from before the column has none (and is a 6.1 run) */
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'kernel'");
	enum kernel_version v = KERNEL_6_1;
	bool has = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;

	sqlite3_finalize(st);
	st = has ? db_prepare(db, "SELECT kernel FROM runs") : NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    !kernel_version_parse((const char *)sqlite3_column_text(st, 0), &v))
		v = KERNEL_6_1;
	sqlite3_finalize(st);
	return (int)v;
}

/* Signatures, each one's labels in order, and how many signatures use each label. */
int sim_db_log_sigs(struct sim_db *db)
{
	sqlite3_stmt *sig = db_prepare(db, "INSERT INTO path_sigs VALUES (?1, ?2, ?3)");
	sqlite3_stmt *lab = db_prepare(db, "INSERT INTO sig_labels VALUES (?1, ?2, ?3)");
	int rc = -1, b = 0;

	if (!sig || !lab)
		goto fail;
	for (int i = 0; i < sim_path_nr_sigs(); i++) {
		const char *text = sim_path_sig_text(i), *p = text;
		int pos = 0;

		if (!text)
			continue;
		/* labels are "func:label" names; '>' never occurs inside one */
		while (*p) {
			size_t n = strcspn(p, ">");

			b |= sqlite3_bind_int(lab, 1, i);
			b |= sqlite3_bind_int(lab, 2, pos++);
			b |= sqlite3_bind_text(lab, 3, p, (int)n, SQLITE_STATIC);
			if (db_insert(db, lab, "sig_labels", b))
				goto fail;
			p += n + (p[n] == '>');
		}
		b |= sqlite3_bind_int(sig, 1, i);
		b |= sqlite3_bind_text(sig, 2, text, -1, SQLITE_STATIC);
		b |= sqlite3_bind_int(sig, 3, pos);
		if (db_insert(db, sig, "path_sigs", b))
			goto fail;
	}
	rc = db_exec(db, "INSERT INTO labels SELECT label, count(DISTINCT sig) FROM sig_labels GROUP BY label");
fail:
	sqlite3_finalize(sig);
	sqlite3_finalize(lab);
	return rc;
}

/* A lock's owner column: NULL when it has none (-1). */
static int db_bind_owner(sqlite3_stmt *st, int idx, int v)
{
	return v < 0 ? sqlite3_bind_null(st, idx) : sqlite3_bind_int(st, idx, v);
}

/* Per-vCPU engine counters and per-lock totals. */
int sim_db_log_engine(struct sim_db *db)
{
	sqlite3_stmt *eng = db_prepare(db, "INSERT INTO engine VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	sqlite3_stmt *lk = db_prepare(db, "INSERT INTO locks VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
				      " ?12)");
	int rc = -1, b = 0;

	if (!eng || !lk)
		goto fail;
	for (int cpu = 0; sim && cpu < sim->nr_cpus; cpu++) {
		const struct sim_vcpu *v = &sim->vcpu[cpu];

		const int key[] = { cpu, v->node };
		const uint64_t n[] = {
			v->clock_ns, v->nr_irqs, v->nr_ticks, v->nr_preempt, v->nr_migrate_in, v->nr_yields,
		};

		b |= db_bind_ints(eng, 1, key, DB_NR(key));
		b |= db_bind_u64s(eng, 3, n, DB_NR(n));
		if (db_insert(db, eng, "engine", b))
			goto fail;
	}
	for (int i = 0; i < sim_lockstat_count(); i++) {
		const struct sim_lockstat *l = sim_lockstat_get(i);
		const uint64_t n[] = {
			l->acquired, l->contended, l->failed_trylock, l->wait_ns, l->max_wait_ns, l->hold_ns,
		};

		b |= sqlite3_bind_int(lk, 1, i);
		b |= sqlite3_bind_text(lk, 2, l->name, -1, SQLITE_STATIC);
		b |= db_bind_u64s(lk, 3, n, DB_NR(n));
		b |= db_bind_owner(lk, 9, l->cpu) | db_bind_owner(lk, 10, l->node) | db_bind_owner(lk, 11, l->zone);
		b |= l->cache ? sqlite3_bind_text(lk, 12, l->cache, -1, SQLITE_STATIC) : sqlite3_bind_null(lk, 12);
		if (db_insert(db, lk, "locks", b))
			goto fail;
	}
	rc = 0;
fail:
	sqlite3_finalize(eng);
	sqlite3_finalize(lk);
	return rc;
}

/* Pages on each vCPU's pcp lists of each populated zone, beside a buddy snapshot. */
static int db_log_pcp_snapshot(struct sim_db *db, uint64_t ns, bool final)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO pcp_snapshots VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int nr_cpus = sim ? sim->nr_cpus : db->nr_cpus, rc = -1, b = 0;

	if (!st)
		return -1;
	for (int nid = 0; nid < buddy_nr_nodes(); nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (!buddy_zone_populated(nid, zid))
				continue;
			for (int cpu = 0; cpu < nr_cpus; cpu++) {
				struct buddy_pcp_info p;

				buddy_pcp_info(nid, zid, cpu, &p);
				const int row[] = { final, nid, zid, cpu, p.count };

				b |= db_bind_u64(st, 1, ns);
				b |= db_bind_ints(st, 2, row, DB_NR(row));
				if (db_insert(db, st, "pcp_snapshots", b))
					goto out;
			}
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Blocks free per (node, zone, migratetype, order); empty lists get no row.  The pcp
 * counts of the same moment go to pcp_snapshots. */
int sim_db_log_buddy_snapshot(struct sim_db *db, uint64_t ns, bool final)
{
	sqlite3_stmt *st = db->ins_snap;
	int b = 0;

	if (db_log_pcp_snapshot(db, ns, final))
		return -1;

	for (int nid = 0; nid < buddy_nr_nodes(); nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			if (!buddy_zone_populated(nid, zid))
				continue;
			for (int order = 0; order < MAX_ORDER; order++) {
				for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
					uint64_t n = buddy_zone_nr_free_mt(nid, zid, order, mt);
					const int key[] = { final, nid, zid, mt, order };

					if (!n)
						continue;
					b |= db_bind_u64(st, 1, ns);
					b |= db_bind_ints(st, 2, key, DB_NR(key));
					b |= db_bind_u64(st, 7, n);
					if (db_insert(db, st, "buddy_snapshots", b))
						return -1;
				}
			}
		}
	}
	return 0;
}

/* The sysctls in force (min_free_kbytes is computed when the scenario says 0). */
static int db_log_sysctl(struct sim_db *db)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "INSERT INTO sysctl VALUES ('vm.min_free_kbytes', %d),"
		 " ('vm.watermark_scale_factor', %u), ('vm.percpu_pagelist_high_fraction', %u)",
		 buddy_min_free_kbytes(), db->watermark_scale_factor, db->percpu_pagelist_high_fraction);
	return db_exec(db, sql);
}

/* Every zone of every node, its pcp state per vCPU, its pageblocks per migratetype. */
int sim_db_log_zones(struct sim_db *db)
{
	sqlite3_stmt *zs = db_prepare(db, "INSERT INTO zones VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
				      " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,"
				      " ?25, ?26, ?27, ?28)");
	sqlite3_stmt *ps = db_prepare(db, "INSERT INTO pcp VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	sqlite3_stmt *bs = db_prepare(db, "INSERT INTO pageblocks VALUES (?1, ?2, ?3, ?4)");
	int nr_cpus = sim ? sim->nr_cpus : db->nr_cpus, rc = -1, b = 0;

	if (!zs || !ps || !bs)
		goto fail;
	for (int nid = 0; nid < buddy_nr_nodes(); nid++) {
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct buddy_zone_info z;
			bool populated = buddy_zone_populated(nid, zid);

			buddy_zone_info(nid, zid, &z);
			const uint64_t v[] = {	/* columns 5.., in table order */
				z.zone_start_pfn, z.spanned, z.present, z.managed, z.free_pages,
				z.wmark_min, z.wmark_low, z.wmark_high, z.wmark_promo, z.watermark_boost,
				z.lowmem_reserve[0], z.lowmem_reserve[1], z.lowmem_reserve[2], z.lowmem_reserve[3],
				z.nr_reserved_highatomic, z.numa_hit, z.numa_miss, z.numa_foreign,
				z.numa_interleave, z.numa_local, z.numa_other, z.pgalloc, z.pgfree, z.nr_bad_pages,
			};

			b |= sqlite3_bind_int(zs, 1, nid);
			b |= sqlite3_bind_int(zs, 2, zid);
			b |= sqlite3_bind_text(zs, 3, buddy_zone_name(zid), -1, SQLITE_STATIC);
			b |= sqlite3_bind_int(zs, 4, populated);
			b |= db_bind_u64s(zs, 5, v, DB_NR(v));
			if (db_insert(db, zs, "zones", b))
				goto fail;
			if (!populated)
				continue;
			for (int cpu = 0; cpu < nr_cpus; cpu++) {
				struct buddy_pcp_info p;

				buddy_pcp_info(nid, zid, cpu, &p);
				const int row[] = { nid, zid, cpu, p.count, p.high, p.batch, p.stat_threshold };

				b |= db_bind_ints(ps, 1, row, DB_NR(row));
				if (db_insert(db, ps, "pcp", b))
					goto fail;
			}
			for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
				const int key[] = { nid, zid, mt };

				b |= db_bind_ints(bs, 1, key, DB_NR(key));
				b |= db_bind_u64(bs, 4, buddy_zone_nr_pageblocks_mt(nid, zid, mt));
				if (db_insert(db, bs, "pageblocks", b))
					goto fail;
			}
		}
	}
	rc = db_log_sysctl(db);
fail:
	sqlite3_finalize(zs);
	sqlite3_finalize(ps);
	sqlite3_finalize(bs);
	return rc;
}

int sim_db_log_violation(struct sim_db *db, uint64_t ns, uint64_t seq,
			 const char *invariant, const char *detail)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO violations VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc, b = 0;

	if (!st)
		return -1;
	b |= db_bind_u64(st, 1, ns);
	b |= db_bind_u64(st, 2, seq);
	b |= sqlite3_bind_text(st, 3, invariant, -1, SQLITE_STATIC);
	b |= sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	/* The yield point at which it was found (the steps table's step, race mode). */
	b |= sim ? db_bind_u64(st, 5, sim->nr_yields) : sqlite3_bind_null(st, 5);
	rc = db_insert(db, st, "violations", b);
	sqlite3_finalize(st);
	return rc;
}

int sim_db_log_summary(struct sim_db *db, uint64_t sim_ns, double wall_s, uint64_t nr_ops)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO summary VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
	int rc, b = 0;

	if (!st)
		return -1;
	b |= db_bind_u64(st, 1, sim_ns);
	b |= sqlite3_bind_double(st, 2, wall_s);
	b |= db_bind_u64(st, 3, nr_ops);
	if (sim) {		/* machine-wide engine totals */
		const uint64_t n[] = {
			sim->nr_switches, sim->nr_preemptions, sim->nr_migrations, sim->nr_irqs, sim->nr_yields,
		};

		b |= db_bind_u64s(st, 4, n, DB_NR(n));
	}
	rc = db_insert(db, st, "summary", b);
	sqlite3_finalize(st);
	return rc;
}
