/*
 * replay_boot.c - the pages the kernel had allocated before tracing began
 * (docs/fidelity.md, "Boot pages"), inferred and allocated at replay time 0.
 *
 * Tracing starts some way into boot: what the kernel allocated before that and
 * never freed (page tables, the initramfs, early per-CPU and hash tables, slabs
 * of the boot caches) is in no trace line, so the model would have it free.  A
 * capture whose trace has the mark "SNAP0 proc/zoneinfo" and whose SNAP0/zoneinfo
 * was read right after it says how much of each zone the kernel had in use at
 * that line:
 *
 *   used_k(zone) = managed - pages free - pages on the pcp lists ("count:")
 *   live(zone)   = pages of the page blocks the trace allocated before the mark
 *                  and had not freed by it, by the zone of their pfn (slab pages
 *                  included: they stand for the model's own slab growth), plus
 *                  the pages rule D (replay_infer.c) allocates for the vmalloc
 *                  page arrays kmalloc'ed before the mark and not kfree'd by it,
 *                  in the zone rule D takes them from: the highest present zone
 *                  up to Normal of the allocating CPU's node
 *   used_m(zone) = managed - free - pcp pages of the model at t0, after its own
 *                  boot (its kmem_cache, kmalloc and trace-named caches)
 *   boot(zone)   = used_k - live - used_m, 0 when negative
 *
 * boot(zone) pages are allocated at t0, before the first event, on the zone's
 * node with GFP_KERNEL | __GFP_THISNODE and the zone's modifier: whole
 * MAX_ORDER - 1 blocks first, then one block of each lower order the remainder
 * needs (unmovable: the kernel's SNAP0 pagetypeinfo shows the pre-trace memory
 * as unmovable pageblocks, and its buddyinfo keeps few low-order blocks).  They
 * are never freed: a pre-trace page the trace frees stays an unmatched page free.
 *
 * Off (nothing allocated, the counter 0) without a learning pass, without a
 * capture's zoneinfo machine (a plain trace, --scenario with a machine), without
 * SNAP0/zoneinfo or its mark, with --pages other than non-slab, or with
 * --no-boot-pages.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replay_int.h"
#include "../../models/buddy/buddy.h"
#include "../../traces/snapshot.h"

#define RP_BOOT_SNAP 0			/* the snapshot whose zoneinfo is read */
#define RP_BOOT_FILE "proc/zoneinfo"	/* its mark */

/* boot_vmaps' value: a rule D page array's pages, node and zone (never 0: n >= 1). */
#define RP_BOOT_VMAP(n, nid, zid) ((void *)(((uintptr_t)(n) << 16) | ((uintptr_t)(nid) << 2) | (uintptr_t)(zid)))
#define RP_BOOT_VMAP_N(v) ((int64_t)((uintptr_t)(v) >> 16))
#define RP_BOOT_VMAP_NID(v) ((int)(((uintptr_t)(v) >> 2) & 0x3fff))
#define RP_BOOT_VMAP_ZID(v) ((int)((uintptr_t)(v) & 3))

void rp_boot_plan(struct replay *r)
{
	char *path = NULL;
	struct stat st;

	r->boot_on = false;
	if (r->o->no_boot_pages || !r->cap || !r->cap->have_zones || r->scenario_machine ||
	    r->o->pages != SIM_REPLAY_PAGES_NON_SLAB || !r->seekable || r->o->one_pass)
		return;
	if (asprintf(&path, "%s/SNAP%d/zoneinfo", r->cap->dir, RP_BOOT_SNAP) < 0)
		return;
	r->boot_on = !stat(path, &st) && S_ISREG(st.st_mode);
	free(path);
}

/*
 * Rule D's pages of a kmalloc before the mark: order-0, GFP_KERNEL, on the
 * local node of the trace CPU (the replay's vCPUs keep the capture's nodes),
 * from its highest present zone up to Normal.  0 or -1 (out of memory).
 */
static int rp_boot_vmap(struct replay *r, const struct sim_trace_event *ev)
{
	const struct sim_capture *c = r->cap;
	uint32_t n = rp_vmalloc_nr_pages(ev);
	int nid, zid = 2;			/* ZONE_NORMAL */
	void *old = NULL;

	if (!n || ev->cpu < 0 || ev->cpu >= SIM_CAPTURE_MAX_CPUS || (nid = c->cpu_node[ev->cpu]) < 0 ||
	    nid >= c->nr_nodes || nid >= SIM_MAX_NODES)
		return 0;
	while (zid > 0 && !c->node[nid].zone[zid].present)
		zid--;
	if (sim_ptrmap_put(&r->boot_vmaps, ev->ptr, RP_BOOT_VMAP(n, nid, zid), &old))
		return -1;
	(void)old;	/* an array whose kfree the trace lost: rule D keeps its pages allocated */
	r->boot_live[nid][zid] += n;
	return 0;
}

int rp_boot_learn(struct replay *r, const struct sim_trace_event *ev)
{
	const char *file;
	void *old;
	int nid, zid;

	if (!r->boot_on || r->boot_marked)
		return 0;
	switch (ev->type) {
	case SIM_TRACE_MARK:
		if (ev->mark && rp_snap_mark(ev->mark, &file) == RP_BOOT_SNAP && !strcmp(file, RP_BOOT_FILE)) {
			r->boot_marked = true;
			r->boot_line = ev->line;
			sim_ptrmap_free(&r->boot_pfns);
			sim_ptrmap_free(&r->boot_vmaps);
		}
		return 0;
	case SIM_TRACE_KMALLOC:
	case SIM_TRACE_KMALLOC_NODE:
		return rp_boot_vmap(r, ev);
	case SIM_TRACE_KFREE:
	case SIM_TRACE_KMEM_CACHE_FREE:		/* rule D frees the pages at any free of the array */
		old = r->boot_vmaps.nr ? sim_ptrmap_del(&r->boot_vmaps, ev->ptr) : NULL;
		if (old)
			r->boot_live[RP_BOOT_VMAP_NID(old)][RP_BOOT_VMAP_ZID(old)] -= RP_BOOT_VMAP_N(old);
		return 0;
	case SIM_TRACE_MM_PAGE_ALLOC:
		if ((!ev->page && !ev->pfn) || ev->order < 0 || ev->order >= 64 ||
		    !rp_pfn_zone(ev->pfn, &nid, &zid) || nid >= SIM_MAX_NODES)
			return 0;		/* a failed allocation, or a pfn in no zone */
		if (sim_ptrmap_put(&r->boot_pfns, ev->pfn, (void *)(uintptr_t)(ev->order + 1), &old))
			return -1;
		if (old)			/* allocated again while live: the old block is gone */
			r->boot_live[nid][zid] -= 1LL << ((uintptr_t)old - 1);
		r->boot_live[nid][zid] += 1LL << ev->order;
		return 0;
	case SIM_TRACE_MM_PAGE_FREE:
		old = sim_ptrmap_del(&r->boot_pfns, ev->pfn);
		if (old && rp_pfn_zone(ev->pfn, &nid, &zid) && nid < SIM_MAX_NODES)
			r->boot_live[nid][zid] -= 1LL << ((uintptr_t)old - 1);
		return 0;
	default:
		return 0;
	}
}

/* The zone index of a zoneinfo zone name; -1 for one the model lacks (Device). */
static int rp_boot_zid(const char *name)
{
	for (int z = 0; z < SIM_CAPTURE_NR_ZONES; z++)
		if (!strcmp(name, buddy_zone_name(z)))
			return z;
	return -1;
}

int rp_boot_learned(struct replay *r)
{
	struct sim_snapshot *snap = NULL;
	char *dir = NULL;
	int rc;

	sim_ptrmap_free(&r->boot_pfns);
	sim_ptrmap_free(&r->boot_vmaps);
	if (!r->boot_on)
		return 0;
	if (!r->boot_marked) {		/* no mark: the zoneinfo cannot be placed in the trace */
		r->boot_on = false;
		return 0;
	}
	if (asprintf(&dir, "%s/SNAP%d", r->cap->dir, RP_BOOT_SNAP) < 0)
		return SIM_EFAIL;
	rc = sim_snapshot_read(&snap, dir, r->err);
	free(dir);
	if (rc)
		return rc;
	r->boot_on = false;
	for (int i = 0; i < snap->nr_zones; i++) {
		const struct sim_snap_zone *z = &snap->zone[i];
		int zid = rp_boot_zid(z->zone);
		int64_t used;

		if (zid < 0 || z->node >= r->cap->nr_nodes || z->node >= SIM_MAX_NODES || !z->have_free ||
		    !z->managed)
			continue;
		used = (int64_t)z->managed - (int64_t)z->pages_free - (int64_t)z->pcp_count;
		r->boot_need[z->node][zid] = used - r->boot_live[z->node][zid];
		r->boot_on = true;
	}
	sim_snapshot_free(snap);
	return 0;
}

/* The zone modifier that makes `zid` the highest zone of an allocation. */
static gfp_t rp_boot_zone_gfp(int zid)
{
	return zid == 0 ? __GFP_DMA : zid == 1 ? __GFP_DMA32 : zid == 3 ? __GFP_MOVABLE | __GFP_HIGHMEM : 0;
}

void rp_boot_alloc(struct replay *r)
{
	if (!r->boot_on)
		return;
	for (int nid = 0; nid < buddy_nr_nodes() && nid < SIM_MAX_NODES; nid++)
		for (int zid = 0; zid < SIM_CAPTURE_NR_ZONES; zid++) {
			struct buddy_zone_info zi;
			int64_t used, want;
			gfp_t gfp = GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN | __GFP_NORETRY | rp_boot_zone_gfp(zid);

			if (!buddy_zone_populated(nid, zid) || !r->boot_need[nid][zid])
				continue;
			buddy_zone_info(nid, zid, &zi);
			used = (int64_t)zi.managed - (int64_t)zi.free_pages;
			for (int cpu = 0; cpu < r->nr_cpus; cpu++) {
				struct buddy_pcp_info pi;

				buddy_pcp_info(nid, zid, cpu, &pi);
				used -= pi.count;
			}
			want = r->boot_need[nid][zid] - used;
			while (want > 0) {
				unsigned int order = MAX_ORDER - 1;

				while ((1LL << order) > want)
					order--;
				if (!alloc_pages_node(nid, gfp, order))
					break;		/* the zone has no more: what is allocated stays */
				r->boot_pages[nid][zid] += 1ULL << order;
				r->st.nr_inferred_boot_pages += 1ULL << order;
				want -= 1LL << order;
			}
		}
}

void rp_boot_print(const struct replay *r, FILE *out)
{
	if (!r->boot_on)
		return;
	fprintf(out, "  boot pages   %llu inferred allocated before tracing began (SNAP0 zoneinfo at line %lld):",
		(unsigned long long)r->st.nr_inferred_boot_pages, (long long)r->boot_line);
	for (int nid = 0; nid < r->cap->nr_nodes && nid < SIM_MAX_NODES; nid++) {	/* the machine is gone */
		uint64_t n = 0;

		for (int zid = 0; zid < SIM_CAPTURE_NR_ZONES; zid++)
			n += r->boot_pages[nid][zid];
		fprintf(out, "%s node %d %llu", nid ? "," : "", nid, (unsigned long long)n);
	}
	fputc('\n', out);
}
