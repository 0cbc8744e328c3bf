/*
 * replay_kernel.c - what the replay reads and infers differently per traced
 * kernel: one row per version of models/kernel.h, chosen once per replay
 * (rp_kernel_set), read through rp->kv everywhere else (docs/kernel-6.12.md,
 * "Replaying 6.12 captures").
 *
 * The row is the traced kernel's: the one that printed the trace and created
 * its caches.  A capture's uname names it (6.1.x, 6.12.x); without one (a
 * plain trace, another release) it is the kernel the models follow
 * (replay_pick.c chooses that one).  The two differ only when asked (--kernel
 * 6.1 on a 6.12 capture: the 6.1 models get the masks the 6.12 kernel passed).
 *
 * A third kernel is one more row.  What is in a row, and why it differs:
 *
 *   gfp_names     the gfp_flags= names the kernel prints (traces/gfp.c): 6.3
 *                 dropped __GFP_ATOMIC, so 6.12's GFP_ATOMIC is 0x820 (6.1:
 *                 0xa20); 6.12's GFP_NOWAIT has __GFP_NOWARN (0x2800; 6.1 0x800).
 *   gfp_atomic    the gfp an event without gfp_flags= gets outside task context
 *                 (GFP_ATOMIC of that kernel; in task context GFP_KERNEL, the same).
 *   vmalloc_site  rule D (replay_vmalloc.c): the function that kmallocs a vmalloc
 *                 area's page array.  6.10's allocation profiling renamed the
 *                 allocator entry points: __vmalloc_node_range_noprof.
 *   memcg_kmem    the config symbol that gives kmem accounting (kmalloc-cg-*,
 *                 SLAB_ACCOUNT): MEMCG_KMEM until 6.9, MEMCG alone since 6.10.
 *   memdup_user_callers  CONFIG_SLAB_BUCKETS (6.11): the call sites whose
 *                 kmalloc is memdup_user's, from user_buckets (replay_buckets.c).
 */
#include <stdio.h>
#include <string.h>

#include "replay_int.h"
#include "../../models/kernel.h"

/* Functions whose memdup_user prints as their own call site (kmem_buckets_alloc_track_caller) */
static const char *const memdup_user_callers_6_12[] = { "strndup_user", "memdup_user", NULL };

static const struct rp_kernel rp_kernels[NR_KERNEL_VERSIONS] = {
	[KERNEL_6_1] = {
		.version = KERNEL_6_1,
		.gfp_names = SIM_TRACE_GFP_6_1,
		.gfp_atomic = 0xa20u,		/* __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM */
		.vmalloc_site = "__vmalloc_node_range+",
		.memcg_kmem = SIM_KCONFIG_MEMCG_KMEM,
	},
	[KERNEL_6_12] = {
		.version = KERNEL_6_12,
		.gfp_names = SIM_TRACE_GFP_6_12,
		.gfp_atomic = 0x820u,		/* __GFP_HIGH | __GFP_KSWAPD_RECLAIM */
		.vmalloc_site = "__vmalloc_node_range_noprof+",
		.memcg_kmem = SIM_KCONFIG_MEMCG,
		.memdup_user_callers = memdup_user_callers_6_12,
		.pageblock_thp = true,		/* include/linux/pageblock-flags.h (6.12) */
	},
};

const struct rp_kernel *rp_kernel_of(int version)
{
	if (version < 0 || version >= NR_KERNEL_VERSIONS)
		version = KERNEL_6_1;
	return &rp_kernels[version];
}

const char *rp_kernel_name(const struct rp_kernel *kv)
{
	return kernel_version_name((enum kernel_version)kv->version);
}

/*
 * r->kv, the traced kernel's row: the release of the capture's uname when kmemsim has a
 * row for it, else the kernel the models follow (rp_kernel_pick put it into sc: --kernel,
 * the scenario, the capture's nearest release or event formats, else 6.1).  0.
 */
int rp_kernel_set(struct replay *r, const struct sim_scenario *sc)
{
	enum kernel_version v = (enum kernel_version)sim_scenario_kernel(sc), u;
	bool exact;

	if (rp_capture_kernel(r->cap, &u, &exact) && exact)
		v = u;
	r->kv = rp_kernel_of((int)v);
	r->models_kernel = sim_scenario_kernel(sc);
	return 0;
}

const char *rp_kernel_models_other(const struct replay *r)
{
	return r->kv->version != r->models_kernel ? kernel_version_name((enum kernel_version)r->models_kernel) : NULL;
}
