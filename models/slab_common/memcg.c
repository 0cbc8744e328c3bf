/*
 * memcg.c - the memory-cgroup part of a new slab (mm/slab.h account_slab /
 * unaccount_slab, mm/memcontrol.c memcg_alloc_slab_cgroups, Linux 6.1.192),
 * shared by SLUB and SLAB.
 *
 * account_slab adds the slab's pages to the node's NR_SLAB_RECLAIMABLE_B or
 * NR_SLAB_UNRECLAIMABLE_B (/proc/vmstat nr_slab_reclaimable / _unreclaimable, in
 * pages) and, for a SLAB_ACCOUNT cache while memcg_kmem_enabled(), allocates the
 * slab's objcgs vector: kcalloc_node(objects, sizeof(struct obj_cgroup *)) without
 * __GFP_DMA, __GFP_RECLAIMABLE and __GFP_ACCOUNT (OBJCGS_CLEAR_MASK), so from a
 * kmalloc-N cache: what kmalloc-N sees in the kernel.  unaccount_slab frees it.
 *
 * Differences from the kernel:
 *  - memcg_kmem_enabled() is the scenario's kernel.memcg_online (the kernel turns the
 *    static key on when the first non-root memcg comes up; slabs of boot have no
 *    vector), and holds from the end of slab boot.
 *  - No charging: no obj_cgroup, no limits, no memcg_slab_post_alloc_hook; an
 *    __GFP_ACCOUNT allocation from a cache without SLAB_ACCOUNT (a named cache asked
 *    with GFP_KERNEL_ACCOUNT) gets no vector here, where the kernel gives its slab one
 *    on the first such object.
 *  - The vector's kcalloc and kfree are object operations of their own, nested in the
 *    slab allocation (or free) that caused them (ops.parent_seq).
 */
#include "slab_common.h"
#include "../buddy/buddy.h"
#include "../../sim/engine/engine.h"

#define OBJCGS_CLEAR_MASK (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT)

bool slab_memcg_online;		/* memcg_kmem_enabled() */

/* kernel: memcg_alloc_slab_cgroups, mm/memcontrol.c -- the vector's address, 0 when none */
static uint64_t memcg_alloc_slab_cgroups(unsigned int objects, gfp_t gfp, int nid)
{
	struct sim_op op;
	void *vec;

	gfp &= ~OBJCGS_CLEAR_MASK;
	sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
	op.gfp = gfp | __GFP_ZERO;
	vec = kmalloc_node((size_t)objects * sizeof(void *), gfp | __GFP_ZERO, nid);	/* kcalloc_node */
	sim_op_end(&op);
	return (uint64_t)(uintptr_t)vec;
}

/* kernel: memcg_free_slab_cgroups, mm/slab.h */
static void memcg_free_slab_cgroups(uint64_t objcgs)
{
	struct sim_op op;

	if (!objcgs)
		return;
	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	kfree((void *)(uintptr_t)objcgs);
	sim_op_end(&op);
}

/* kernel: account_slab, mm/slab.h */
uint64_t account_slab(unsigned int cache_flags, unsigned int objects, unsigned int order, gfp_t gfp, int nid)
{
	uint64_t objcgs = 0;

	if (slab_memcg_kmem && slab_memcg_online && (cache_flags & SLAB_ACCOUNT))
		objcgs = memcg_alloc_slab_cgroups(objects, gfp, nid);
	mod_node_page_state_nid(nid, (cache_flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B :
				NR_SLAB_UNRECLAIMABLE_B, 1L << order);	/* cache_vmstat_idx, in pages */
	return objcgs;
}

/* kernel: unaccount_slab, mm/slab.h */
void unaccount_slab(uint64_t objcgs, unsigned int cache_flags, unsigned int order, int nid)
{
	memcg_free_slab_cgroups(objcgs);
	mod_node_page_state_nid(nid, (cache_flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B :
				NR_SLAB_UNRECLAIMABLE_B, -(1L << order));
}
