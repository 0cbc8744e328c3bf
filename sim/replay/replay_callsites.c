/*
 * replay_callsites.c - the call site of every replayed operation, as the
 * trace prints it, interned: table callsites (callsite, text) and ops.callsite.
 *
 * A kmalloc, kmem_cache_alloc, kfree or kmem_cache_free line names its caller
 * (call_site=func+0x1c/0x90, or a hex address when the trace was taken
 * without symbols: kept as "0x..." as trace_cache_sites shows it).  rp_ev_get
 * asks rp_callsite for the id of the line's call site; rp_exec_* put it on the
 * operation (sim_op.callsite), which the ops writer stores (NULL for 0: page
 * events, frees and allocations the replay infers, synthetic runs).  Ids are
 * handed out from 1 in order of first appearance in the trace, so a replay's
 * ids do not depend on anything but the trace.
 *
 * sim_replay_callsites reads them back per call site for `kmemsim callsites`
 * (docs/callsites.md).
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../db/db.h"

struct rp_callsites {
	int32_t *of_str;	/* replay string id -> call-site id, 0 = not a call site yet */
	size_t cap_of_str;
	int32_t *str;		/* call-site id - 1 -> replay string id */
	size_t nr, cap;
};

int32_t rp_callsite(const struct sim_trace_event *ev)
{
	struct rp_callsites *cs = rp->callsites;
	char buf[40];
	int id;

	if (!(ev->present & (SIM_TRACE_HAS_CALL_SYM | SIM_TRACE_HAS_CALL_ADDR)))
		return 0;
	if (!cs && !(cs = rp->callsites = calloc(1, sizeof(*cs))))
		goto oom;
	if (ev->call_sym) {
		id = rp_str_memo(ev->call_sym);
	} else {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)ev->call_site);
		id = rp_str_id(buf);
	}
	if (id < 0)
		goto oom;
	if ((size_t)id >= cs->cap_of_str) {
		size_t cap = cs->cap_of_str ? cs->cap_of_str : 256, old = cs->cap_of_str;
		int32_t *o;

		while (cap <= (size_t)id)
			cap *= 2;
		o = realloc(cs->of_str, cap * sizeof(*o));
		if (!o)
			goto oom;
		for (size_t i = old; i < cap; i++)
			o[i] = 0;
		cs->of_str = o;
		cs->cap_of_str = cap;
	}
	if (!cs->of_str[id]) {
		if (!rp_grow((void **)&cs->str, &cs->cap, cs->nr, sizeof(*cs->str), 256))
			goto oom;
		cs->str[cs->nr++] = id;
		cs->of_str[id] = (int32_t)cs->nr;
	}
	return cs->of_str[id];
oom:
	rp->db_failed = -1;		/* the database would miss call sites: do not keep it */
	return 0;
}

int rp_callsites_db(struct sim_db *db)
{
	struct rp_callsites *cs = rp->callsites;
	struct sim_db_stmt *st;
	int rc = 0;

	if (!cs || !cs->nr)
		return 0;
	st = sim_db_prepare(db, "INSERT INTO callsites VALUES (?1, ?2)");
	if (!st)
		return -1;
	for (size_t i = 0; i < cs->nr && !rc; i++)
		rc = sim_db_bind_int64(st, 1, (int64_t)i + 1) || sim_db_bind_text(st, 2, rp->str[cs->str[i]]) ||
		     sim_db_step(st) < 0;
	sim_db_finalize(st);
	return rc ? -1 : 0;
}

void rp_callsites_free(void)
{
	struct rp_callsites *cs = rp ? rp->callsites : NULL;

	if (!cs)
		return;
	free(cs->of_str);
	free(cs->str);
	free(cs);
	rp->callsites = NULL;
}

/* ---------------------------------------------------------- reading back */

/*
 * One pass over the object operations in seq order (the table's own order:
 * no sort, no temporary file on a trace of millions of lines).  `live` maps
 * the simulated address of an allocation of the window to its call site
 * (value: callsite id, as a pointer); an allocation is counted live when
 * made, and no longer when the next operation on its address is a free
 * begun before the window's end.
 */
int sim_replay_callsites(struct sim_db *db, const char *db_path, uint64_t from, uint64_t to,
			 struct sim_replay_callsite **sites_out, int *nr_out, uint64_t *nr_unknown, FILE *err)
{
	struct sim_db_stmt *st;
	struct sim_replay_callsite *site = NULL;
	struct sim_ptrmap live = { 0 };
	int64_t *cache_size = NULL, nr_cache = 0, nr = 0;
	int rc = SIM_EFAIL, s;

	*sites_out = NULL;
	*nr_out = 0;
	*nr_unknown = 0;
	/* call sites, by id (dense from 1) */
	st = sim_db_prepare(db, "SELECT callsite, text FROM callsites WHERE callsite > 0 AND callsite < 100000000"
			    " ORDER BY callsite");
	if (!st)
		goto out;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t id = sim_db_column_int64(st, 0);
		const char *text = sim_db_column_text(st, 1);

		if (id > nr) {
			struct sim_replay_callsite *v = realloc(site, (size_t)id * sizeof(*v));

			if (!v) {
				s = -1;
				break;
			}
			memset(v + nr, 0, (size_t)(id - nr) * sizeof(*v));
			site = v;
			nr = id;
		}
		if (!(site[id - 1].text = strdup(text ? text : ""))) {
			s = -1;
			break;
		}
	}
	sim_db_finalize(st);
	if (s < 0)
		goto out;
	if (!nr) {
		fprintf(err, "kmemsim callsites: %s: no call sites: the trace's lines name none\n", db_path);
		rc = SIM_EBADINPUT;
		goto out;
	}
	/* each cache's object size: the bytes an allocation takes */
	st = sim_db_prepare(db, "SELECT id, size FROM caches WHERE id >= 0 AND id < 1000000 ORDER BY id DESC");
	if (!st)
		goto out;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		int64_t id = sim_db_column_int64(st, 0);

		if (!cache_size) {
			nr_cache = id + 1;
			if (!(cache_size = calloc((size_t)nr_cache, sizeof(*cache_size)))) {
				s = -1;
				break;
			}
		}
		cache_size[id] = sim_db_column_int64(st, 1);
	}
	sim_db_finalize(st);
	if (s < 0)
		goto out;
	st = sim_db_prepare(db, "SELECT k.name = 'obj_alloc', o.time_ns, o.callsite, o.size, o.level, o.cache,"
			    " o.failed, o.addr FROM ops o JOIN op_kinds k ON k.kind = o.kind"
			    " WHERE k.name IN ('obj_alloc', 'obj_free') ORDER BY o.seq");
	if (!st)
		goto out;
	while ((s = sim_db_step(st)) == SIM_DB_ROW) {
		bool alloc = sim_db_column_int64(st, 0) != 0;
		uint64_t t = (uint64_t)sim_db_column_int64(st, 1);
		int64_t id = sim_db_column_text(st, 2) ? sim_db_column_int64(st, 2) : 0;
		uint64_t addr = (uint64_t)sim_db_column_int64(st, 7);
		struct sim_replay_callsite *c;
		void *prev;

		if (!alloc) {
			prev = sim_ptrmap_del(&live, addr);
			if (prev && t < to)
				site[(intptr_t)prev - 1].live--;
			continue;
		}
		sim_ptrmap_del(&live, addr);	/* an allocation again without a free: the earlier stays live */
		if (t < from || t >= to)
			continue;
		if (id < 1 || id > nr) {
			(*nr_unknown)++;
			continue;
		}
		c = &site[id - 1];
		c->allocs++;
		c->bytes_req += (uint64_t)sim_db_column_int64(st, 3);
		if (sim_db_column_text(st, 5)) {
			int64_t cache = sim_db_column_int64(st, 5);

			if (cache >= 0 && cache < nr_cache)
				c->bytes_alloc += (uint64_t)cache_size[cache];
		}
		if (sim_db_column_text(st, 4)) {
			int64_t level = sim_db_column_int64(st, 4);

			if (level >= 1 && level <= 5)
				c->level[level - 1]++;
			c->slow += level > 1;
		}
		if (!sim_db_column_int64(st, 6)) {
			c->live++;
			if (sim_ptrmap_put(&live, addr, (void *)(intptr_t)id, NULL)) {
				s = -1;
				break;
			}
		}
	}
	sim_db_finalize(st);
	if (s < 0)
		goto out;
	*sites_out = site;
	*nr_out = (int)nr;
	site = NULL;
	rc = 0;
out:
	if (rc == SIM_EFAIL)
		fprintf(err, "kmemsim callsites: %s: could not read the call sites (or out of memory)\n", db_path);
	sim_replay_callsites_free(site, (int)nr);
	sim_ptrmap_free(&live);
	free(cache_size);
	return rc;
}

void sim_replay_callsites_free(struct sim_replay_callsite *sites, int nr)
{
	for (int i = 0; sites && i < nr; i++)
		free((char *)sites[i].text);
	free(sites);
}
