/*
 * replay_db.c - the replay's tables, beside those of every run (sim/db/db.c),
 * written through the generic statements of sim/db/db.h.
 *
 *   replay               key/value: the trace, the modes, every counter of the summary
 *   trace_cpus           trace CPU -> vCPU and node
 *   trace_caches         each cache the replay allocated from: trace, capture and model geometry
 *   trace_cache_sites    (call site, bytes_alloc) of kmem_cache_alloc -> cache, and how it was found
 *   trace_kernel_events  the kernel's internal page events per CPU (not replayed)
 *   trace_kernel_paths   the level of the kernel's own path per CPU for its page allocs and frees
 *                        (and how many of its allocations came from another node)
 *   trace_lines          (trace line, trace time, simulated time) every RP_LINE_EVERY events
 *   marks, trace_pcp_batches  the trace's marks and the kernel's pcp batches (replay_marks.c)
 *   v_replay_page_levels per CPU, kind and level: the kernel's count beside the model's
 *
 * Every replayed event is also an ops row with its trace_line.  Nothing
 * here is wall-clock: two replays of one trace give the same rows.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../db/db.h"
#include "../../models/slab_common/slab_common.h"

static const char rp_schema[] =
	"CREATE TABLE replay (key TEXT PRIMARY KEY, value);\n"
	"CREATE TABLE trace_cpus (trace_cpu INTEGER PRIMARY KEY, cpu INTEGER, node INTEGER);\n"
	"CREATE TABLE trace_caches (cache TEXT, cache_id INTEGER, source TEXT, trace_object_size INTEGER,"
	" trace_size INTEGER, model_object_size INTEGER, model_size INTEGER, model_order INTEGER,"
	" capture_cache TEXT, capture_object_size INTEGER, capture_size INTEGER, capture_order INTEGER,"
	" aliases TEXT, nr_alloc INTEGER, nr_free INTEGER);\n"
	"CREATE TABLE trace_cache_sites (call_site TEXT, function TEXT, bytes_alloc INTEGER, bytes_req INTEGER,"
	" cache TEXT, how TEXT, votes INTEGER, other_votes INTEGER, nr_alloc INTEGER);\n"
	"CREATE TABLE trace_kernel_events (cpu INTEGER, event TEXT, percpu_refill INTEGER, nr INTEGER);\n"
	"CREATE TABLE trace_kernel_paths (cpu INTEGER, kind TEXT, level INTEGER, nr INTEGER, nr_remote INTEGER);\n"
	"CREATE TABLE trace_lines (trace_line INTEGER PRIMARY KEY, trace_ns INTEGER, time_ns INTEGER);\n"
	/* the kernel's path next to the model's, per vCPU: all page ops of the model
	 * (its own slab pages included, as the kernel's count includes them) */
	"CREATE VIEW v_replay_page_levels AS"
	" WITH m AS (SELECT o.cpu AS cpu, k.name AS kind, o.level AS level, count(*) AS nr,"
	"  count(o.trace_line) AS nr_traced,"
	"  sum(k.name = 'page_alloc' AND o.mem_node IS NOT o.node) AS nr_remote"
	"  FROM ops o JOIN op_kinds k ON k.kind = o.kind"
	"  WHERE k.name IN ('page_alloc', 'page_free') GROUP BY o.cpu, k.name, o.level),"
	" k AS (SELECT cpu, kind, level, nr, nr_remote FROM trace_kernel_paths),"
	" keys AS (SELECT cpu, kind, level FROM k UNION SELECT cpu, kind, level FROM m)"
	" SELECT keys.cpu, keys.kind, keys.level, 'L' || keys.level AS level_name,"
	" coalesce(k.nr, 0) AS kernel_nr, coalesce(m.nr, 0) AS model_nr,"
	" coalesce(m.nr_traced, 0) AS model_traced_nr, coalesce(k.nr_remote, 0) AS kernel_remote_nr,"
	" coalesce(m.nr_remote, 0) AS model_remote_nr FROM keys"
	" LEFT JOIN k ON k.cpu = keys.cpu AND k.kind = keys.kind AND k.level IS keys.level"
	" LEFT JOIN m ON m.cpu = keys.cpu AND m.kind = keys.kind AND m.level IS keys.level"
	" ORDER BY keys.cpu, keys.kind, keys.level;\n";

static const char *const rp_kevent_names[RP_NR_KEVENTS] = {
	"mm_page_alloc_zone_locked", "mm_page_alloc_zone_locked", "mm_page_pcpu_drain",
	"mm_page_alloc_extfrag", "mm_page_free_batched",
};

int rp_db_start(struct sim_db *db)
{
	rp->db = db;
	if (!db)
		return 0;
	if (sim_db_exec(db, rp_schema))
		return -1;
	rp->ins_line = sim_db_prepare(db, "INSERT INTO trace_lines VALUES (?1, ?2, ?3)");
	return rp->ins_line ? 0 : -1;
}

void rp_db_line(const struct rp_ev *e)
{
	if (!rp->ins_line || e->line < 0 || rp->nr_done < rp->next_line_row)
		return;
	rp->next_line_row = rp->nr_done + RP_LINE_EVERY;
	if (sim_db_bind_int64(rp->ins_line, 1, e->line) || sim_db_bind_int64(rp->ins_line, 2, (int64_t)e->trace_ns) ||
	    sim_db_bind_int64(rp->ins_line, 3, (int64_t)sim_now()) || sim_db_step(rp->ins_line) < 0)
		rp->db_failed = -1;
}

/* ------------------------------------------------------------ final rows */

static int rp_kv(struct sim_db_stmt *st, const char *key, int64_t v)
{
	return sim_db_bind_text(st, 1, key) || sim_db_bind_int64(st, 2, v) || sim_db_step(st) < 0 ? -1 : 0;
}

static int rp_kv_text(struct sim_db_stmt *st, const char *key, const char *v)
{
	return sim_db_bind_text(st, 1, key) || sim_db_bind_text(st, 2, v) || sim_db_step(st) < 0 ? -1 : 0;
}

static int rp_db_replay(struct sim_db *db)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "INSERT INTO replay VALUES (?1, ?2)");
	const struct sim_replay_stats *s = &rp->st;
	char key[64];
	int rc = 0;

	if (!st)
		return -1;
	rc |= rp_kv_text(st, "trace", rp->trace_path);
	rc |= rp_kv_text(st, "capture", rp->cap ? rp->cap->dir : NULL);
	rc |= rp_kv_text(st, "capture_uname", rp->cap ? rp->cap->uname : NULL);
	rc |= rp_kv_text(st, "compression", rp->tr ? sim_trace_stats(rp->tr)->compression : NULL);
	rc |= rp_kv_text(st, "pages", sim_replay_pages_name(rp->o->pages));
	rc |= rp_kv(st, "learning_pass", rp->learned);
	rc |= rp_kv(st, "lenient", rp->o->lenient);
	rc |= rp_kv(st, "first_ts_ns", (int64_t)rp->first_ts);
	rc |= rp_kv(st, "t0_ns", (int64_t)rp->t0);
	rc |= rp_kv(st, "last_trace_ns", (int64_t)rp->last_trace_ns);
	rc |= rp_kv(st, "lines", (int64_t)s->nr_lines);
	rc |= rp_kv(st, "events", (int64_t)s->nr_events);
	for (int t = 0; t < SIM_TRACE_NR_TYPES; t++) {
		snprintf(key, sizeof(key), "events.%s", sim_trace_type_name((enum sim_trace_type)t));
		rc |= rp_kv(st, key, (int64_t)rp->nr_type[t]);
	}
	if (rp->tr) {
		const struct sim_trace_stats *ts = sim_trace_stats(rp->tr);

		rc |= rp_kv(st, "lines_other_events", (int64_t)ts->nr_other);
		rc |= rp_kv(st, "lines_bad", (int64_t)ts->nr_bad);
		rc |= rp_kv(st, "events_lost", (int64_t)ts->nr_lost);
	}
	rc |= rp_kv(st, "replayed", (int64_t)s->nr_replayed);
	rc |= rp_kv(st, "unmatched_free", (int64_t)s->nr_unmatched_free);
	rc |= rp_kv(st, "unmatched_page_free", (int64_t)s->nr_unmatched_page_free);
	rc |= rp_kv(st, "unmatched_page_free_after_slab_free", (int64_t)rp->nr_unmatched_slab_page_free);
	rc |= rp_kv(st, "null_free", (int64_t)rp->nr_null_free);
	rc |= rp_kv(st, "live_realloc", (int64_t)s->nr_live_realloc);
	rc |= rp_kv(st, "inferred_alloc_bulk_calls", (int64_t)s->nr_inferred_alloc_bulk_calls);
	rc |= rp_kv(st, "inferred_alloc_bulk_objects", (int64_t)s->nr_inferred_alloc_bulk_objects);
	rc |= rp_kv(st, "inferred_free_batch_calls", (int64_t)s->nr_inferred_free_batch_calls);
	rc |= rp_kv(st, "inferred_free_batch_objects", (int64_t)s->nr_inferred_free_batch_objects);
	rc |= rp_kv(st, "inferred_unused_calls", (int64_t)s->nr_inferred_unused_calls);
	rc |= rp_kv(st, "inferred_unused_objects", (int64_t)s->nr_inferred_unused_objects);
	rc |= rp_kv(st, "inferred_vmalloc_bulk_calls", (int64_t)s->nr_inferred_vmalloc_calls);
	rc |= rp_kv(st, "inferred_vmalloc_bulk_pages", (int64_t)s->nr_inferred_vmalloc_pages);
	rc |= rp_kv(st, "inferred_boot_pages", (int64_t)s->nr_inferred_boot_pages);
	rc |= rp_kv(st, "deferred_free", (int64_t)s->nr_deferred_free);
	rc |= rp_kv(st, "free_of_failed", (int64_t)rp->nr_free_of_failed);
	if (rp->nr_reclaimed_before_free)	/* only under memory pressure */
		rc |= rp_kv(st, "pages_reclaimed_before_free", (int64_t)rp->nr_reclaimed_before_free);
	rc |= rp_kv(st, "slab_pages", (int64_t)s->nr_slab_pages);
	rc |= rp_kv(st, "slab_page_frees", (int64_t)s->nr_slab_page_frees);
	rc |= rp_kv(st, "pages_skipped", (int64_t)s->nr_pages_skipped);
	if (rp->pfn_place) {
		rc |= rp_kv(st, "pages_placed_by_pfn", (int64_t)rp->nr_pfn_placed);
		rc |= rp_kv(st, "pages_remote_by_pfn", (int64_t)rp->nr_pfn_remote);
	}
	rc |= rp_kv(st, "page_order_mismatch", (int64_t)rp->nr_order_mismatch);
	rc |= rp_kv(st, "kernel_page_alloc_failed", (int64_t)rp->nr_kernel_fail);
	rc |= rp_kv(st, "kernel_obj_alloc_failed", (int64_t)rp->nr_kernel_obj_fail);
	rc |= rp_kv(st, "kernel_internal", (int64_t)s->nr_kernel_internal);
	for (int h = 0; h < RP_NR_HOW; h++) {
		snprintf(key, sizeof(key), "kmem_cache_alloc.%s", rp_how_name(h));
		rc |= rp_kv(st, key, (int64_t)rp->nr_how[h]);
	}
	rc |= rp_kv(st, "cache_fallback", (int64_t)rp->nr_cache_fallback);
	rc |= rp_kv(st, "live_objects", (int64_t)s->nr_live_objects);
	rc |= rp_kv(st, "live_pages", (int64_t)s->nr_live_pages);
	rc |= rp_kv(st, "peak_inflight", (int64_t)s->peak_inflight);
	rc |= rp_kv(st, "cpu_folded", (int64_t)rp->nr_cpu_folded);
	rc |= rp_kv(st, "node_beyond_machine", (int64_t)rp->nr_node_bad);
	if (rp->nr_bucketed)	/* 6.12 with CONFIG_SLAB_BUCKETS only (replay_buckets.c) */
		rc |= rp_kv(st, "kmem_buckets_alloc", (int64_t)rp->nr_bucketed);
	rc |= rp_kv(st, "timestamps_backwards", (int64_t)rp->nr_ts_backwards);
	sim_db_finalize(st);
	return rc ? -1 : 0;
}

static int rp_db_cpus(struct sim_db *db)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "INSERT INTO trace_cpus VALUES (?1, ?2, ?3)");
	int rc = 0;

	if (!st)
		return -1;
	for (int c = 0; c < rp->cpu_map_len && !rc; c++) {
		int v = rp->cpu_map[c];

		if (v < 0)
			continue;
		rc = sim_db_bind_int64(st, 1, c) || sim_db_bind_int64(st, 2, v) ||
		     sim_db_bind_int64(st, 3, sim->vcpu[v].node) || sim_db_step(st) < 0;
	}
	sim_db_finalize(st);
	return rc ? -1 : 0;
}

static int rp_bind_opt(struct sim_db_stmt *st, int i, int64_t v)
{
	return v ? sim_db_bind_int64(st, i, v) : sim_db_bind_null(st, i);
}

static int rp_db_caches(struct sim_db *db)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "INSERT INTO trace_caches VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
						" ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
	int rc = 0;

	if (!st)
		return -1;
	for (int i = 0; i < rp->nr_caches && !rc; i++) {
		const struct rp_cache *c = &rp->cache[i];
		struct slab_cache_info info = { .id = -1 };

		if (c->s && slab_current())
			slab_current()->info(c->s, &info);
		rc = sim_db_bind_text(st, 1, c->name) || sim_db_bind_int64(st, 2, c->s ? info.id : -1) ||
		     sim_db_bind_text(st, 3, rp_cache_source_name(c->source)) ||
		     rp_bind_opt(st, 4, c->object_size) || rp_bind_opt(st, 5, c->size) ||
		     rp_bind_opt(st, 6, c->s ? info.object_size : 0) || rp_bind_opt(st, 7, c->s ? info.size : 0) ||
		     (c->s ? sim_db_bind_int64(st, 8, info.order) : sim_db_bind_null(st, 8)) ||
		     sim_db_bind_text(st, 9, c->cap ? c->cap->dir : NULL) ||
		     rp_bind_opt(st, 10, c->cap ? c->cap->object_size : 0) ||
		     rp_bind_opt(st, 11, c->cap ? c->cap->size : 0) ||
		     (c->cap ? sim_db_bind_int64(st, 12, c->cap->order) : sim_db_bind_null(st, 12)) ||
		     sim_db_bind_text(st, 13, c->cap ? c->cap->aliases : NULL) ||
		     sim_db_bind_int64(st, 14, (int64_t)c->nr_alloc) || sim_db_bind_int64(st, 15, (int64_t)c->nr_free) ||
		     sim_db_step(st) < 0;
	}
	sim_db_finalize(st);
	return rc ? -1 : 0;
}

static int rp_db_sites(struct sim_db *db)
{
	struct sim_db_stmt *st = sim_db_prepare(db, "INSERT INTO trace_cache_sites VALUES (?1, ?2, ?3, ?4, ?5,"
						" ?6, ?7, ?8, ?9)");
	int rc = 0;

	if (!st)
		return -1;
	for (int i = 0; i < rp->nr_sites && !rc; i++) {
		const struct rp_site *s = &rp->site[i];
		uint32_t win = 0, other = s->nr_other_votes;

		for (int k = 0; k < RP_MAX_VOTES && s->vote_cache[k] >= 0; k++) {
			if (s->vote_cache[k] == s->cache)
				win = s->votes[k];
			else
				other += s->votes[k];
		}
		rc = sim_db_bind_text(st, 1, rp->str[s->sym]) || sim_db_bind_text(st, 2, rp->str[s->func]) ||
		     sim_db_bind_int64(st, 3, s->bytes_alloc) || sim_db_bind_int64(st, 4, s->bytes_req) ||
		     sim_db_bind_text(st, 5, s->cache >= 0 ? rp->cache[s->cache].name : NULL) ||
		     sim_db_bind_text(st, 6, s->cache >= 0 ? rp_how_name(s->how) : NULL) ||
		     sim_db_bind_int64(st, 7, win) || sim_db_bind_int64(st, 8, other) ||
		     sim_db_bind_int64(st, 9, (int64_t)s->nr_alloc) || sim_db_step(st) < 0;
	}
	sim_db_finalize(st);
	return rc ? -1 : 0;
}

static int rp_db_kernel(struct sim_db *db)
{
	static const char *const kinds[2] = { "page_alloc", "page_free" };
	struct sim_db_stmt *ev = sim_db_prepare(db, "INSERT INTO trace_kernel_events VALUES (?1, ?2, ?3, ?4)");
	struct sim_db_stmt *lv = sim_db_prepare(db, "INSERT INTO trace_kernel_paths VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc = !ev || !lv;

	for (int cpu = 0; cpu < rp->nr_cpus && !rc; cpu++) {
		for (int k = 0; k < RP_NR_KEVENTS && !rc; k++) {
			if (!rp->kev_cpu[cpu][k])
				continue;
			rc = sim_db_bind_int64(ev, 1, cpu) || sim_db_bind_text(ev, 2, rp_kevent_names[k]) ||
			     (k <= RP_KE_ZONE_LOCKED_DIRECT ? sim_db_bind_int64(ev, 3, k == RP_KE_ZONE_LOCKED_REFILL) :
			      sim_db_bind_null(ev, 3)) ||
			     sim_db_bind_int64(ev, 4, (int64_t)rp->kev_cpu[cpu][k]) || sim_db_step(ev) < 0;
		}
		for (int kind = 0; kind < 2 && !rc; kind++)
			for (int level = 1; level <= 5 && !rc; level++) {
				if (!rp->klevel[cpu][kind][level])
					continue;
				rc = sim_db_bind_int64(lv, 1, cpu) || sim_db_bind_text(lv, 2, kinds[kind]) ||
				     sim_db_bind_int64(lv, 3, level) ||
				     sim_db_bind_int64(lv, 4, (int64_t)rp->klevel[cpu][kind][level]) ||
				     (kind ? sim_db_bind_null(lv, 5) :
				      sim_db_bind_int64(lv, 5, (int64_t)rp->kremote[cpu][level])) ||
				     sim_db_step(lv) < 0;
			}
	}
	sim_db_finalize(ev);
	sim_db_finalize(lv);
	return rc ? -1 : 0;
}

int rp_db_finish(struct sim_db *db)
{
	if (!db)
		return 0;
	sim_db_finalize(rp->ins_line);
	rp->ins_line = NULL;
	if (rp->db_failed || rp_db_replay(db) || rp_db_cpus(db) || rp_db_caches(db) || rp_db_sites(db) ||
	    rp_db_kernel(db) || rp_marks_db(db) ||
	    rp_callsites_db(db))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ line -> time */

struct rp_line_q {
	bool found;
	uint64_t ns;
};

static int rp_line_row(void *arg, int ncol, char **vals, char **names)
{
	struct rp_line_q *q = arg;

	(void)names;
	if (ncol > 0 && vals[0]) {
		q->found = true;
		q->ns = strtoull(vals[0], NULL, 10);
	}
	return 1;
}

int sim_replay_line_ns(struct sim_db *db, int64_t line, uint64_t *ns, FILE *err)
{
	struct rp_line_q q = { 0 };
	char sql[512];

	/* the first replayed event at or after the line: exact from ops, bounded by the next checkpoint */
	snprintf(sql, sizeof(sql),
		 "SELECT time_ns FROM ops WHERE trace_line >= %" PRId64 " AND trace_line <= coalesce("
		 "(SELECT min(trace_line) FROM trace_lines WHERE trace_line >= %" PRId64 "), %" PRId64 ")"
		 " ORDER BY trace_line LIMIT 1", line, line, (int64_t)INT64_MAX);
	if (sim_db_query(db, sql, rp_line_row, &q, err))
		return SIM_EBADINPUT;
	if (!q.found) {		/* no per-operation log: the checkpoint at or after it */
		snprintf(sql, sizeof(sql), "SELECT time_ns FROM trace_lines WHERE trace_line >= %" PRId64
			 " ORDER BY trace_line LIMIT 1", line);
		if (sim_db_query(db, sql, rp_line_row, &q, err))
			return SIM_EBADINPUT;
	}
	if (!q.found) {
		fprintf(err, "kmemsim: trace line %" PRId64 ": no replayed event at or after it\n", line);
		return SIM_EBADINPUT;
	}
	*ns = q.ns;
	return 0;
}
