/*
 * check.c - slab_check: is the SLAB model's state well formed?
 *
 * Recounts everything and compares with the counters:
 *   - each node's three lists hold slabs of this cache and node, with
 *     active == 0 / 0 < active < num / active == num as the list says;
 *     total_slabs, free_slabs and free_objects agree with the lists;
 *   - each slab's free index stack (entries active..num-1) names distinct
 *     objects below num; an OBJFREELIST slab that is not full keeps its
 *     array in the object at the bottom of the stack (slot num-1), and a
 *     full one has none;
 *   - every array (per-CPU, shared, alien) has avail <= limit and holds
 *     object addresses of this cache, from slabs on the expected node
 *     (the CPU's node; the shared array's node; an alien array's node),
 *     none of them free in its slab or in two arrays;
 *   - no BUG_ON was hit and no array overrun (slab_bug: only a guard
 *     switched off gets there).
 *
 * Call it when no vCPU is inside the allocator (between operations): in
 * the middle of one the counters are legitimately out of step.  No yield.
 */
#include <stdarg.h>
#include <string.h>

#include "slab_int.h"

#define MAX_REPORTS 20

struct check_state {
	FILE *why;
	int nr_bad;
};

static void bad(struct check_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One problem: a line on `why` (the first MAX_REPORTS), and counted. */
static void bad(struct check_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->why && st->nr_bad < MAX_REPORTS) {
		va_start(ap, fmt);
		vfprintf(st->why, fmt, ap);
		va_end(ap);
		fputc('\n', st->why);
	}
	st->nr_bad++;
}

/* Set bit i of a bitmap; whether it was set before. */
static bool test_and_set(uint64_t *bits, unsigned int i)
{
	bool was = bits[i / 64] & (1ULL << (i % 64));

	bits[i / 64] |= 1ULL << (i % 64);
	return was;
}

/* One slab: its list, its pages, its free index stack.  Returns num - active. */
static unsigned long check_slab(struct check_state *st, struct kmem_cache *cachep, struct slab *slab,
				int nid, int list_kind)
{
	static const char *const list_name[] = { "slabs_partial", "slabs_full", "slabs_free" };
	uint64_t seen[4] = { 0 };

	memset(slab->mark, 0, sizeof(slab->mark));
	if (slab->slab_cache != cachep)
		bad(st, "slab %s: slab %#llx on its list belongs to another cache", cachep->name,
		    (unsigned long long)(uintptr_t)slab_address(slab));
	if (slab_nid(slab) != nid)
		bad(st, "slab %s: slab %#llx of node %d on node %d's %s", cachep->name,
		    (unsigned long long)(uintptr_t)slab_address(slab), slab_nid(slab), nid, list_name[list_kind]);
	if (!PageSlab(slab->page) || virt_to_slab(slab->s_mem) != slab)
		bad(st, "slab %s: slab %#llx: page not marked as this slab", cachep->name,
		    (unsigned long long)(uintptr_t)slab_address(slab));
	if ((list_kind == 0 && (slab->active == 0 || slab->active >= cachep->num)) ||
	    (list_kind == 1 && slab->active != cachep->num) ||
	    (list_kind == 2 && slab->active != 0)) {
		bad(st, "slab %s: slab %#llx with active %u of %u on %s", cachep->name,
		    (unsigned long long)(uintptr_t)slab_address(slab), slab->active, cachep->num,
		    list_name[list_kind]);
		return slab->active <= cachep->num ? cachep->num - slab->active : 0;
	}
	if (slab->active == cachep->num) {
		if (OBJFREELIST_SLAB(cachep) && slab->freelist)
			bad(st, "slab %s: full OBJFREELIST slab %#llx still has an index array", cachep->name,
			    (unsigned long long)(uintptr_t)slab_address(slab));
		return 0;
	}
	if (!slab->freelist) {
		bad(st, "slab %s: slab %#llx with free objects has no index array", cachep->name,
		    (unsigned long long)(uintptr_t)slab_address(slab));
		return cachep->num - slab->active;
	}
	for (unsigned int i = slab->active; i < cachep->num; i++) {
		unsigned int idx = get_free_obj(slab, i);

		if (idx >= cachep->num || test_and_set(seen, idx)) {
			bad(st, "slab %s: slab %#llx: free index stack slot %u names object %u twice or out of range",
			    cachep->name, (unsigned long long)(uintptr_t)slab_address(slab), i, idx);
			continue;
		}
		test_and_set(slab->mark, idx);
	}
	if (OBJFREELIST_SLAB(cachep)) {
		uintptr_t off = (uintptr_t)slab->freelist - (uintptr_t)slab->s_mem;

		if (off % cachep->size || off / cachep->size != get_free_obj(slab, cachep->num - 1))
			bad(st, "slab %s: slab %#llx: index array not in the last free object", cachep->name,
			    (unsigned long long)(uintptr_t)slab_address(slab));
	}
	return cachep->num - slab->active;
}

/* One entry of an array: an object of this cache, on node `nid`, free nowhere else. */
static void check_array_obj(struct check_state *st, struct kmem_cache *cachep, void *obj, int nid,
			    const char *where)
{
	struct slab *slab = obj ? virt_to_slab(obj) : NULL;
	uintptr_t off;
	unsigned int idx;

	if (!slab || slab->slab_cache != cachep) {
		bad(st, "slab %s: %s holds %#llx, not an object of this cache", cachep->name, where,
		    (unsigned long long)(uintptr_t)obj);
		return;
	}
	off = (uintptr_t)obj - (uintptr_t)slab->s_mem;
	idx = (unsigned int)(off / cachep->size);
	if ((uintptr_t)obj < (uintptr_t)slab->s_mem || off % cachep->size || idx >= cachep->num) {
		bad(st, "slab %s: %s holds %#llx, not an object boundary", cachep->name, where,
		    (unsigned long long)(uintptr_t)obj);
		return;
	}
	if (slab_nid(slab) != nid)
		bad(st, "slab %s: %s holds %#llx of node %d, expected node %d", cachep->name, where,
		    (unsigned long long)(uintptr_t)obj, slab_nid(slab), nid);
	if (slab->mark[idx / 64] & (1ULL << (idx % 64)))
		bad(st, "slab %s: %s holds %#llx, which is also free in its slab", cachep->name, where,
		    (unsigned long long)(uintptr_t)obj);
	if (test_and_set(slab->mark + 4, idx))
		bad(st, "slab %s: %#llx is in two arrays (second: %s)", cachep->name,
		    (unsigned long long)(uintptr_t)obj, where);
}

/* An array's fill and each of its entries. */
static void check_array(struct check_state *st, struct kmem_cache *cachep, struct array_cache *ac, int nid,
			const char *where)
{
	if (!ac)
		return;
	if (ac->avail > ac->limit) {
		bad(st, "slab %s: %s has avail %u over limit %u", cachep->name, where, ac->avail, ac->limit);
		return;
	}
	for (unsigned int i = 0; i < ac->avail; i++)
		check_array_obj(st, cachep, ac->entry[i], nid, where);
}

/* Every node's lists, then every array, of one cache. */
static void check_cache(struct check_state *st, struct kmem_cache *cachep)
{
	struct kmem_cache_node *n;
	int nid;
	char where[64];

	for_each_kmem_cache_node(cachep, nid, n) {
		struct list_head *heads[3] = { &n->slabs_partial, &n->slabs_full, &n->slabs_free };
		unsigned long nr[3] = { 0, 0, 0 };
		unsigned long free_objects = 0;

		for (int k = 0; k < 3; k++) {
			for (struct list_head *p = heads[k]->next; p != heads[k]; p = p->next) {
				free_objects += check_slab(st, cachep, list_entry(p, struct slab, slab_list), nid, k);
				nr[k]++;
			}
		}
		if (n->total_slabs != nr[0] + nr[1] + nr[2])
			bad(st, "slab %s: node %d total_slabs %lu, lists hold %lu", cachep->name, nid,
			    n->total_slabs, nr[0] + nr[1] + nr[2]);
		if (n->free_slabs != nr[2])
			bad(st, "slab %s: node %d free_slabs %lu, slabs_free holds %lu", cachep->name, nid,
			    n->free_slabs, nr[2]);
		if (n->free_objects != free_objects)
			bad(st, "slab %s: node %d free_objects %lu, slabs hold %lu free", cachep->name, nid,
			    n->free_objects, free_objects);
	}

	for (int cpu = 0; cachep->cpu_cache && cpu < nr_cpu_ids; cpu++) {
		snprintf(where, sizeof(where), "cpu %d array", cpu);
		check_array(st, cachep, cachep->cpu_cache[cpu], cpu_to_node(cpu), where);
	}
	for_each_kmem_cache_node(cachep, nid, n) {
		snprintf(where, sizeof(where), "node %d shared array", nid);
		check_array(st, cachep, n->shared, nid, where);
		for (int i = 0; n->alien && i < nr_node_ids; i++) {
			if (!n->alien[i])
				continue;
			snprintf(where, sizeof(where), "node %d alien array for node %d", nid, i);
			check_array(st, cachep, &n->alien[i]->ac, i, where);
		}
	}
}

/* BUG_ONs hit (only with a guard off): how many, and the first. */
static unsigned long slab_nr_bugs;
static char slab_first_bug[160];

void slab_bug(struct kmem_cache *cachep, const char *what, const void *addr)
{
	STATS_INC_ERR(cachep);
	if (!slab_nr_bugs++)
		snprintf(slab_first_bug, sizeof(slab_first_bug), "%s: %s (%#llx)", cachep->name, what,
			 (unsigned long long)(uintptr_t)addr);
}

void slab_bugs_reset(void)
{
	slab_nr_bugs = 0;
	slab_first_bug[0] = 0;
}

/* Every SLAB cache; true when consistent, else one line per problem on `why`. */
bool slab_check(FILE *why)
{
	struct check_state st = { why, 0 };

	if (slab_nr_bugs)
		bad(&st, "slab: %lu BUG_ON or array overrun hit, first: %s", slab_nr_bugs, slab_first_bug);
	for (struct list_head *p = slab_caches.next; p && p != &slab_caches; p = p->next)
		check_cache(&st, list_entry(p, struct kmem_cache, list));
	if (why && st.nr_bad > MAX_REPORTS)
		fprintf(why, "slab: %d more problems\n", st.nr_bad - MAX_REPORTS);
	return st.nr_bad == 0;
}
