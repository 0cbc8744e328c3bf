/*
 * replay_buckets.c - kmalloc events whose object came from a bucket set of
 * CONFIG_SLAB_BUCKETS (6.12): memdup_user's and alloc_msg's kmem_buckets_alloc.
 *
 * The kmalloc event names no cache, and a bucket allocation prints as any
 * kmalloc.  What tells it apart is the caller and the flags:
 *   - memdup_user (mm/util.c) allocates with kmem_buckets_alloc_track_caller,
 *     GFP_USER | __GFP_NOWARN: call_site= is memdup_user's caller (the return
 *     address into it), so the rule is those flags from a function the kernel
 *     row lists as a caller of memdup_user (rp->kv->memdup_user_callers:
 *     strndup_user, and memdup_user itself should it not be inlined);
 *   - alloc_msg (ipc/msgutil.c, inlined into load_msg) takes the message's
 *     first part, struct msg_msg and up to DATALEN_MSG bytes, from msg_buckets
 *     and each further segment with kmalloc, both GFP_KERNEL_ACCOUNT.  A part
 *     is followed by a segment only when it was full: 4096 bytes asked
 *     (48 + DATALEN_MSG, or 8 + DATALEN_SEG).  So an alloc_msg kmalloc is a
 *     segment when the same task's previous alloc_msg kmalloc asked for 4096
 *     bytes, else a message's first part (a message of exactly DATALEN_MSG
 *     bytes followed by another message of that task is misread: its second
 *     message's first part goes to kmalloc).
 * Only when the traced kernel has a row for them (6.12) and the models made the
 * sets (--kernel 6.12 with slab buckets on): rp_exec_obj_alloc then calls the
 * model's kmem_buckets_alloc; the kfree finds the object's slab as the kernel's.
 */
#include <string.h>

#include "replay_int.h"
#include "../../models/mm.h"
#include "../../models/slab_common/slab_common.h"

#define MSG_PART_FULL 4096u	/* bytes asked for a full part: 48 + DATALEN_MSG, 8 + DATALEN_SEG */

static bool site_is(const char *sym, const char *func)
{
	size_t n = strlen(func);

	return sym && !strncmp(sym, func, n) && sym[n] == '+';
}

int rp_bucket_of(const struct sim_trace_event *ev, uint32_t gfp)
{
	const char *const *f;

	if (ev->type != SIM_TRACE_KMALLOC && ev->type != SIM_TRACE_KMALLOC_NODE)
		return RP_BUCKET_NONE;
	if (!rp->kv->memdup_user_callers)
		return RP_BUCKET_NONE;
	if (gfp == (GFP_USER | __GFP_NOWARN))
		for (f = rp->kv->memdup_user_callers; *f; f++)
			if (site_is(ev->call_sym, *f))
				return RP_BUCKET_USER;
	if (gfp == GFP_KERNEL_ACCOUNT && (site_is(ev->call_sym, "alloc_msg") ||
					  site_is(ev->call_sym, "load_msg"))) {
		bool segment = rp->msg_more && rp->msg_pid == ev->pid;

		rp->msg_pid = ev->pid;
		rp->msg_more = ev->bytes_req == MSG_PART_FULL;
		return segment ? RP_BUCKET_NONE : RP_BUCKET_MSG;
	}
	return RP_BUCKET_NONE;
}

void *rp_bucket_alloc(const struct rp_ev *e)
{
	kmem_buckets *b = e->bucket == RP_BUCKET_USER ? user_buckets : msg_buckets;

	if (b)
		rp->nr_bucketed++;
	return kmem_buckets_alloc(b, e->size, e->gfp);
}
