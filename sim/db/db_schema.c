/*
 * db_schema.c - the text of the run database's schema: the tables and views
 * created at open, and the indexes built at close.  Documented in
 * docs/database.md; bump DB_SCHEMA_VERSION (sim/db/db.c) when a table or
 * column changes meaning.
 */
#include "db_int.h"

const char db_schema[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);\n"
	"CREATE TABLE runs (name TEXT, description TEXT, scenario_path TEXT, scenario_json TEXT,"
	" scenario_text TEXT, seed INTEGER, version TEXT, allocator TEXT, nr_nodes INTEGER,"
	" nr_cpus INTEGER, log_ops INTEGER, wall_started TEXT, wall_started_unix INTEGER, seed_hex TEXT);\n"
	"CREATE TABLE ops (seq INTEGER PRIMARY KEY, parent_seq INTEGER, time_ns INTEGER,"
	" end_ns INTEGER, latency_ns INTEGER GENERATED ALWAYS AS (end_ns - time_ns) VIRTUAL, cpu INTEGER, node INTEGER, mem_node INTEGER,"
	" task INTEGER, context TEXT, kind TEXT, cache INTEGER, size INTEGER, \"order\" INTEGER,"
	" migratetype INTEGER, gfp INTEGER, zone INTEGER, level INTEGER, sig INTEGER,"
	" lock_wait_ns INTEGER, retries INTEGER, addr INTEGER, failed INTEGER, trace_line INTEGER,"
	" stats TEXT, callsite INTEGER);\n"
	"CREATE TABLE callsites (callsite INTEGER PRIMARY KEY, text TEXT);\n"
	"CREATE TABLE path_sigs (sig INTEGER PRIMARY KEY, path TEXT, nr_labels INTEGER);\n"
	"CREATE TABLE sig_labels (sig INTEGER, pos INTEGER, label TEXT, PRIMARY KEY (sig, pos));\n"
	"CREATE TABLE labels (label TEXT PRIMARY KEY, nr_sigs INTEGER);\n"
	"CREATE TABLE locks (lock INTEGER PRIMARY KEY, name TEXT, acquisitions INTEGER,"
	" contended INTEGER, failed_trylock INTEGER, wait_ns INTEGER, max_wait_ns INTEGER,"
	" hold_ns INTEGER, cpu INTEGER, node INTEGER, zone INTEGER, cache TEXT);\n"
	"CREATE TABLE engine (cpu INTEGER PRIMARY KEY, node INTEGER, clock_ns INTEGER, irqs INTEGER,"
	" ticks INTEGER, preemptions INTEGER, migrations INTEGER, yields INTEGER);\n"
	"CREATE TABLE buddy_snapshots (time_ns INTEGER, final INTEGER, node INTEGER, zone INTEGER,"
	" migratetype INTEGER, \"order\" INTEGER, nr_free INTEGER);\n"
	"CREATE TABLE zones (node INTEGER, zone INTEGER, name TEXT, populated INTEGER,"
	" start_pfn INTEGER, spanned INTEGER, present INTEGER, managed INTEGER, free INTEGER,"
	" min INTEGER, low INTEGER, high INTEGER, promo INTEGER, boost INTEGER,"
	" protection_dma INTEGER, protection_dma32 INTEGER, protection_normal INTEGER,"
	" protection_movable INTEGER, nr_reserved_highatomic INTEGER, numa_hit INTEGER,"
	" numa_miss INTEGER, numa_foreign INTEGER, numa_interleave INTEGER, numa_local INTEGER,"
	" numa_other INTEGER, pgalloc INTEGER, pgfree INTEGER, nr_bad_pages INTEGER,"
	" PRIMARY KEY (node, zone));\n"
	"CREATE TABLE pcp (node INTEGER, zone INTEGER, cpu INTEGER, count INTEGER, high INTEGER,"
	" batch INTEGER, stat_threshold INTEGER, PRIMARY KEY (node, zone, cpu));\n"
	"CREATE TABLE pageblocks (node INTEGER, zone INTEGER, migratetype INTEGER, nr INTEGER,"
	" PRIMARY KEY (node, zone, migratetype));\n"
	"CREATE TABLE sysctl (name TEXT PRIMARY KEY, value INTEGER);\n"
	"CREATE TABLE violations (time_ns INTEGER, seq INTEGER, invariant TEXT, detail TEXT, step INTEGER);\n"
	"CREATE TABLE summary (sim_ns INTEGER, wall_s REAL, nr_ops INTEGER, nr_switches INTEGER,"
	" nr_preemptions INTEGER, nr_migrations INTEGER, nr_irqs INTEGER, nr_yields INTEGER);\n"
	/* views: names for numbers, and the common questions */
	"CREATE VIEW v_ops AS SELECT o.*, 'L' || o.level AS level_name, s.path AS path,"
	" CASE o.zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32' WHEN 2 THEN 'Normal'"
	" WHEN 3 THEN 'Movable' END AS zone_name,"
	" CASE o.migratetype WHEN 0 THEN 'Unmovable' WHEN 1 THEN 'Movable' WHEN 2 THEN 'Reclaimable'"
	" WHEN 3 THEN 'HighAtomic' WHEN 4 THEN 'Isolate' END AS migratetype_name,"
	" printf('0x%x', o.addr) AS addr_hex, printf('0x%x', o.gfp) AS gfp_hex"
	" FROM ops o LEFT JOIN path_sigs s ON s.sig = o.sig;\n"
	"CREATE VIEW v_level_by_zone AS SELECT kind, mem_node AS node, zone,"
	" CASE zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32' WHEN 2 THEN 'Normal'"
	" WHEN 3 THEN 'Movable' END AS zone_name, level, 'L' || level AS level_name,"
	" count(*) AS nr_ops, sum(failed) AS nr_failed, avg(latency_ns) AS avg_latency_ns"
	" FROM ops GROUP BY kind, mem_node, zone, level;\n"
	"CREATE VIEW v_failures AS SELECT seq, time_ns, cpu, node, task, context, kind, cache, size,"
	" \"order\", migratetype_name, gfp_hex, level_name, path FROM v_ops WHERE failed;\n"
	"CREATE VIEW v_buddyinfo AS SELECT node, zone, CASE zone WHEN 0 THEN 'DMA' WHEN 1 THEN 'DMA32'"
	" WHEN 2 THEN 'Normal' WHEN 3 THEN 'Movable' END AS zone_name, \"order\","
	" sum(nr_free) AS nr_free FROM buddy_snapshots WHERE final GROUP BY node, zone, \"order\";\n"
	"CREATE VIEW v_sig_levels AS SELECT o.sig, s.path, o.kind, o.level, count(*) AS nr_ops"
	" FROM ops o JOIN path_sigs s ON s.sig = o.sig GROUP BY o.sig, o.kind, o.level;\n"
	"CREATE VIEW v_label_ops AS SELECT l.label, o.kind, count(*) AS nr_ops"
	" FROM ops o JOIN (SELECT DISTINCT sig, label FROM sig_labels) l ON l.sig = o.sig"
	" GROUP BY l.label, o.kind;\n";

/* Built at close, once the rows are in: only the small tables get indexes. */
const char db_indexes[] =
	"CREATE INDEX buddy_snapshots_time ON buddy_snapshots (time_ns, node, zone);\n"
	"CREATE INDEX sig_labels_label ON sig_labels (label);\n";
