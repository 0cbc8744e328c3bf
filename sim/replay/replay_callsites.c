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
 */
#include <stdlib.h>

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
