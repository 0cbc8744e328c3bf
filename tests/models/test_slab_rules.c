/*
 * test_slab_rules.c - SLAB's per-CPU and shared arrays at their exact
 * limits, suite `slab_rules`: cache_flusharray filling the shared array to its
 * limit, then free_block once it is full; cache_alloc_refill taking one batch
 * from a shared array that holds more than a batch (transfer_objects).
 *
 * Each number comes from the 6.1.192 rule named beside it (mm/slab.c).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "models/slab/slab_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;
static struct helper_slab_log logv;

static void up(void)
{
	slab_set_boot_params(-1, false, false);
	sc = helper_slab_machine_up(2, 2, 1024);
	cr_assert(ne(ptr, (void *)sc, NULL));
	helper_slab_log_start(&logv);
}

static void down(void)
{
	bool ok = slab_check(stderr);

	helper_slab_log_stop(&logv);
	helper_slab_machine_down(sc);
	sc = NULL;
	slab_set_boot_params(-1, false, true);
	cr_assert(ok, "slab_check");
}

static void *alloc_on(int cpu, struct kmem_cache *s)
{
	return helper_slab_alloc(cpu, s, 0, GFP_KERNEL, NUMA_NO_NODE);
}

/*
 * Tunables limit 4, batchcount 2, shared 4: the node's shared array holds shared x batchcount
 * = 8 (setup_kmem_cache_node).  cache_flusharray moves the batchcount coldest entries there
 * while it has room (max = limit - avail, batchcount cut to max), else free_block gives them
 * back to their slabs.  cache_alloc_refill with the array empty takes transfer_objects(ac,
 * shared, batchcount): min(shared->avail, batchcount, ac->limit - ac->avail) = 2 of the 8,
 * the hot end of the shared array, and hands out the top one.
 */
Test(slab_rules, refill_takes_one_batch_from_a_shared_array_holding_more, .fini = down)
{
	struct kmem_cache *s;
	struct array_cache *ac, *shared;
	void *o[14], *hot, *next, *x;

	up();
	s = (struct kmem_cache *)kmem_cache_create("sh64", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("sh64", 4, 2, 4), 0));
	ac = s->cpu_cache[0];
	shared = s->node[0]->shared;
	cr_assert(ne(ptr, (void *)shared, NULL));
	cr_assert(eq(uint, shared->limit, 8));

	for (int i = 0; i < 14; i++)
		o[i] = alloc_on(0, s);
	cr_assert(eq(uint, ac->avail, 0));		/* seven batches of 2, all handed out */
	cr_assert(eq(uint, ac->touched, 1));

	/* CPU 1 (node 0) frees 12: every fifth-in-a-row free misses and flushes 2 */
	for (int i = 0; i < 11; i++)
		helper_slab_free(1, o[i]);
	/* the 11th is the fourth miss: 2 more to the shared array, which is then full */
	cr_assert(eq(int, helper_slab_last_level(), 2));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_flusharray"));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_flusharray:shared"));
	cr_assert(not(helper_slab_op_has_label(helper_slab_last_op(), "free_block")));
	helper_slab_free(1, o[11]);
	cr_assert(eq(ulong, s->freemiss, 4));
	cr_assert(eq(ulong, s->freehit, 8));
	cr_assert(eq(uint, shared->avail, 8));		/* full: 4 flushes of 2 */
	cr_assert(eq(uint, s->cpu_cache[1]->avail, 4));

	/* the next miss finds the shared array full: free_block, level 3 */
	helper_slab_free(1, o[12]);
	cr_assert(eq(int, helper_slab_last_level(), 3));
	cr_assert(not(helper_slab_op_has_label(helper_slab_last_op(), "cache_flusharray:shared")));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "free_block"));
	cr_assert(eq(uint, shared->avail, 8));
	cr_assert(eq(uint, s->cpu_cache[1]->avail, 3));

	/* CPU 0's empty array: one batch of 2 from the 8, the hottest one handed out */
	hot = shared->entry[7];
	next = shared->entry[6];
	x = alloc_on(0, s);
	cr_assert(eq(int, helper_slab_last_level(), 2));
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "transfer_objects"));
	cr_assert(eq(ptr, x, hot));
	cr_assert(eq(uint, ac->avail, 1));
	cr_assert(eq(ptr, ac->entry[0], next));
	cr_assert(eq(uint, shared->avail, 6));
	cr_assert(eq(uint, shared->touched, 1));
	cr_assert(eq(ulong, s->allocmiss, 8));		/* the 7 refills of the 14, and this one */
	helper_slab_free(0, x);
	helper_slab_free(1, o[13]);
}

/*
 * An allocation SLAB cannot serve (no object anywhere, and cache_grow_begin gets no page:
 * every zone below its min watermark, no reclaim in the model) returns NULL after
 * fallback_alloc has tried every node; the operation is marked failed (slab_op_note).
 */
Test(slab_rules, allocation_without_memory_fails_visibly, .fini = down)
{
	struct kmem_cache *s;

	up();
	s = (struct kmem_cache *)kmem_cache_create("nomem64", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	for (int nid = 0; nid < buddy_nr_nodes(); nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *z = &NODE_DATA(nid)->node_zones[zid];

			for (int w = 0; w < NR_WMARK; w++)
				z->_watermark[w] = zone_page_state_snapshot(z, NR_FREE_PAGES) + 1000 * (w + 1);
		}
	cr_assert(eq(ptr, alloc_on(0, s), NULL));
	cr_assert(helper_slab_last_op()->failed);
	cr_assert(helper_slab_op_has_label(helper_slab_last_op(), "cache_alloc_refill:direct_grow"));
	cr_assert(eq(ulong, s->grown, 0));
}

/*
 * SLAB's KMALLOC_SHIFT_LOW is 5 (KMALLOC_MIN_SIZE 32): create_kmalloc_caches still makes
 * kmalloc-96 (KMALLOC_MIN_SIZE <= 32) and kmalloc-192 (<= 64), and __kmalloc_index sends every
 * size up to 32 to index 5.
 */
Test(slab_rules, kmalloc_96_and_192_exist_with_a_32_byte_minimum, .fini = down)
{
	up();
	cr_assert(eq(uint, kmalloc_index(1), 5));
	cr_assert(eq(uint, kmalloc_index(32), 5));
	cr_assert(eq(uint, kmalloc_index(33), 6));
	cr_assert(eq(uint, kmalloc_index(96), 1));
	cr_assert(eq(uint, kmalloc_index(192), 2));
	cr_assert(ne(ptr, (void *)slab_find_cache("kmalloc-96"), NULL));
	cr_assert(ne(ptr, (void *)slab_find_cache("kmalloc-192"), NULL));
	cr_assert(eq(ptr, (void *)kmalloc_slab(96, GFP_KERNEL), (void *)slab_find_cache("kmalloc-96")));
}

/*
 * cache_flusharray's statistics (CONFIG_DEBUG_SLAB_STATS, STATS_SET_FREEABLE): the number of
 * slabs on slabs_free when the array is flushed, at its highest.  Two slabs' worth of objects
 * freed in allocation order: the flushes (the oldest batchcount entries) empty slab A while
 * B's objects are still coming back, and B never empties (the array keeps the last ones), so
 * the highest count is 1.
 */
Test(slab_rules, flusharray_counts_free_slabs, .fini = down)
{
	struct kmem_cache *s;
	void **o;
	unsigned int n;

	up();
	s = (struct kmem_cache *)kmem_cache_create("ff64", 64, 0, SLAB_HWCACHE_ALIGN, false);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("ff64", 4, 2, 0), 0));
	n = 2 * s->num;
	o = calloc(n, sizeof(*o));
	cr_assert(ne(ptr, (void *)o, NULL));
	for (unsigned int i = 0; i < n; i++)
		o[i] = alloc_on(0, s);
	cr_assert(eq(ulong, s->node[0]->total_slabs, 2));
	cr_assert(eq(ulong, s->max_freeable, 0));
	for (unsigned int i = 0; i < n; i++)
		helper_slab_free(0, o[i]);
	cr_expect(eq(ulong, s->max_freeable, 1));	/* A (destroyed later by free_block, over free_limit) */
	free(o);
}

/* Objects in use and slabs of cache s on every node, counted on the slab lists themselves. */
static void count_slabs(struct kmem_cache *s, unsigned long *slabs, unsigned long *free_slabs,
			unsigned long *in_use, unsigned long *shared_avail)
{
	*slabs = *free_slabs = *in_use = *shared_avail = 0;
	for (int nid = 0; nid < nr_node_ids; nid++) {
		struct kmem_cache_node *n = s->node[nid];
		struct list_head *lists[] = { &n->slabs_full, &n->slabs_partial, &n->slabs_free };

		for (int l = 0; l < 3; l++)
			for (struct list_head *p = lists[l]->next; p != lists[l]; p = p->next) {
				struct slab *slab = list_entry(p, struct slab, slab_list);

				(*slabs)++;
				*free_slabs += slab->active == 0;
				*in_use += slab->active;
			}
		if (n->shared)
			*shared_avail += n->shared->avail;
	}
}

/*
 * What /proc/slabinfo reports of a cache (get_slabinfo, slabinfo_show_stats and cache_show,
 * mm/slab.c and mm/slab_common.c): num_objs = slabs x num, active_objs = num_objs less the
 * free objects on the slabs (objects in the arrays count as active), active_slabs = slabs
 * less the free ones, sharedavail over the nodes' shared arrays; objsize is the buffer size,
 * pagesperslab 1 << gfporder; the tunables; globalstat and cpustat the STATS counters, under
 * print_slabinfo_header's two lines (version 2.1 with statistics: CONFIG_DEBUG_SLAB_STATS).
 * si256 (256 bytes, 16 a page, order 0) and si3000 (3000 bytes, 2 per order-1 slab), used
 * on both nodes and partly given back.
 */
Test(slab_rules, slabinfo_reports_what_the_slab_lists_hold, .fini = down)
{
	struct kmem_cache *c[2];
	void *o[60];
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	up();
	c[0] = (struct kmem_cache *)kmem_cache_create("si256", 256, 8, 0, true);
	c[1] = (struct kmem_cache *)kmem_cache_create("si3000", 3000, 8, 0, true);
	cr_assert(ne(ptr, (void *)c[0], NULL));
	cr_assert(ne(ptr, (void *)c[1], NULL));
	cr_assert(eq(uint, c[0]->gfporder, 0));
	cr_assert(eq(uint, c[1]->gfporder, 1));
	cr_assert(eq(int, slab_tune_cache("si256", 4, 2, 2), 0));
	/* si3000: one-entry arrays, so each free past the first gives an object back to its slab;
	 * an emptied slab stays on slabs_free while the node has at most free_limit (3 x 1 + 2)
	 * free objects: the first two slabs of each node, given back on vCPU 1 (node 0) */
	cr_assert(eq(int, slab_tune_cache("si3000", 1, 1, 0), 0));
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 60; i++)
			o[i] = alloc_on(i < 40 ? 0 : 2, c[k]);
		for (int i = 0; i < 60; i++) {
			if (k == 0 && i % 3 == 0)
				helper_slab_free(i & 1 ? 3 : 1, o[i]);
			if (k == 1 && (i < 4 || (i >= 40 && i < 44)))
				helper_slab_free(1, o[i]);
		}
	}

	m = open_memstream(&text, &len);
	cr_assert(ne(ptr, (void *)m, NULL));
	slab_print_slabinfo(m);
	fclose(m);
	/* print_slabinfo_header (mm/slab_common.c) with the statistics columns */
	{
		static const char header[] =
			"slabinfo - version: 2.1 (statistics)\n"
			"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			" : tunables <limit> <batchcount> <sharedfactor>"
			" : slabdata <active_slabs> <num_slabs> <sharedavail>"
			" : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> <maxfreeable>"
			" <nodeallocs> <remotefrees> <alienoverflow>"
			" : cpustat <allochit> <allocmiss> <freehit> <freemiss>\n";

		cr_expect(eq(int, strncmp(text, header, sizeof(header) - 1), 0), "%s", text);
	}
	for (int k = 0; k < 2; k++) {
		struct kmem_cache *s = c[k];
		struct slab_slabinfo si;
		unsigned long slabs, free_slabs, in_use, shared_avail;
		unsigned long v[18];
		unsigned int objsize, perslab, pages, limit, batch, shared;
		char name[32], *line;

		count_slabs(s, &slabs, &free_slabs, &in_use, &shared_avail);
		cr_assert(lt(ulong, 0, slabs));
		if (s == c[1])
			cr_assert(lt(ulong, 0, free_slabs), "si3000 keeps free slabs");
		memset(&si, 0xa5, sizeof(si));
		slab_get_info(s, &si);
		cr_expect(eq(ulong, si.num_objs, slabs * s->num), "%s", s->name);
		cr_expect(eq(ulong, si.active_objs, in_use), "%s", s->name);
		cr_expect(eq(ulong, si.num_slabs, slabs), "%s", s->name);
		cr_expect(eq(ulong, si.active_slabs, slabs - free_slabs), "%s", s->name);
		cr_expect(eq(ulong, si.shared_avail, shared_avail), "%s", s->name);
		cr_expect(eq(uint, si.limit, s->limit), "%s", s->name);
		cr_expect(eq(uint, si.batchcount, s->batchcount), "%s", s->name);
		cr_expect(eq(uint, si.shared, s->shared), "%s", s->name);
		cr_expect(eq(uint, si.objects_per_slab, s->num), "%s", s->name);
		cr_expect(eq(uint, (unsigned int)si.cache_order, s->gfporder), "%s", s->name);

		snprintf(name, sizeof(name), "\n%s ", s->name);
		line = strstr(text, name);
		cr_assert(ne(ptr, line, NULL), "%s missing", s->name);
		cr_assert(eq(int, sscanf(line + 1, "%31s %lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu"
					 " : globalstat %lu %lu %lu %lu %lu %lu %lu %lu %lu : cpustat %lu %lu %lu %lu",
					 name, &v[0], &v[1], &objsize, &perslab, &pages, &limit, &batch, &shared,
					 &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11],
					 &v[12], &v[13], &v[14], &v[15], &v[16], &v[17]), 25), "%s", s->name);
		cr_expect(eq(ulong, v[0], in_use), "%s active_objs", s->name);
		cr_expect(eq(ulong, v[1], slabs * s->num), "%s num_objs", s->name);
		cr_expect(eq(uint, objsize, s->size), "%s objsize", s->name);
		cr_expect(eq(uint, perslab, s->num), "%s objperslab", s->name);
		cr_expect(eq(uint, pages, 1u << s->gfporder), "%s pagesperslab", s->name);
		cr_expect(eq(uint, limit, s->limit), "%s", s->name);
		cr_expect(eq(uint, batch, s->batchcount), "%s", s->name);
		cr_expect(eq(uint, shared, s->shared), "%s", s->name);
		cr_expect(eq(ulong, v[2], slabs - free_slabs), "%s active_slabs", s->name);
		cr_expect(eq(ulong, v[3], slabs), "%s num_slabs", s->name);
		cr_expect(eq(ulong, v[4], shared_avail), "%s sharedavail", s->name);
		cr_expect(eq(ulong, v[5], s->num_allocations), "%s listallocs", s->name);
		cr_expect(eq(ulong, v[6], s->high_mark), "%s maxobjs", s->name);
		cr_expect(eq(ulong, v[7], s->grown), "%s grown", s->name);
		cr_expect(eq(ulong, v[8], s->reaped), "%s", s->name);
		cr_expect(eq(ulong, v[9], s->errors), "%s", s->name);
		cr_expect(eq(ulong, v[10], s->max_freeable), "%s", s->name);
		cr_expect(eq(ulong, v[11], s->node_allocs), "%s", s->name);
		cr_expect(eq(ulong, v[12], s->node_frees), "%s remotefrees", s->name);
		cr_expect(eq(ulong, v[13], s->node_overflow), "%s", s->name);
		cr_expect(eq(ulong, v[14], s->allochit), "%s", s->name);
		cr_expect(eq(ulong, v[15], s->allocmiss), "%s", s->name);
		cr_expect(eq(ulong, v[16], s->freehit), "%s", s->name);
		cr_expect(eq(ulong, v[17], s->freemiss), "%s", s->name);
		cr_expect(lt(ulong, 0, s->grown), "%s", s->name);
		cr_expect(lt(ulong, 0, s->node_frees), "%s: node 0 objects freed on node 1", s->name);
	}
	free(text);
}

/*
 * CONFIG_DEBUG_SLAB_STATS counters as mm/slab.c bumps them: alloc_block counts each object it
 * moves from a slab to the array (STATS_INC_ALLOCED, listallocs), num_active goes up there
 * and down per object free_block takes back, high_mark is num_active at its highest
 * (STATS_SET_HIGH); allochit / allocmiss in ____cache_alloc, freehit / freemiss in
 * ___cache_free; grown per slab cache_grow_end adds.  One vCPU, tunables limit 4,
 * batchcount 2, no shared array (64 objects a slab):
 *   5 allocations: miss (grow, 2 moved), hit, miss (2), hit, miss (2): 6 moved, 1 left in
 *     the array; active 6, high 6.
 *   5 frees: 3 hits fill the array to 4, the 4th misses and flushes 2 (active 4), the 5th hits.
 *   7 allocations: 4 hits, miss (2: active 6), hit, miss (2: active 8, high 8).
 */
Test(slab_rules, debug_statistics_count_as_the_kernel_does, .fini = down)
{
	struct kmem_cache *s;
	struct slab_stats st;
	void *o[12];

	up();
	s = (struct kmem_cache *)kmem_cache_create("st64", 64, 0, SLAB_HWCACHE_ALIGN, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("st64", 4, 2, 0), 0));
	for (int i = 0; i < 5; i++)
		o[i] = alloc_on(0, s);
	slab_get_stats(s, &st);
	cr_expect(eq(ulong, st.num_allocations, 6));
	cr_expect(eq(ulong, st.num_active, 6));
	cr_expect(eq(ulong, st.high_mark, 6));
	cr_expect(eq(ulong, st.allochit, 2));
	cr_expect(eq(ulong, st.allocmiss, 3));
	cr_expect(eq(ulong, st.grown, 1));

	for (int i = 0; i < 5; i++)
		helper_slab_free(0, o[i]);
	slab_get_stats(s, &st);
	cr_expect(eq(ulong, st.freehit, 4));
	cr_expect(eq(ulong, st.freemiss, 1));
	cr_expect(eq(ulong, st.num_active, 4));
	cr_expect(eq(ulong, st.high_mark, 6));
	cr_expect(eq(ulong, st.max_freeable, 0));

	for (int i = 0; i < 7; i++)
		o[i] = alloc_on(0, s);
	slab_get_stats(s, &st);
	cr_expect(eq(ulong, st.num_allocations, 10));
	cr_expect(eq(ulong, st.num_active, 8));
	cr_expect(eq(ulong, st.high_mark, 8));
	cr_expect(eq(ulong, st.allochit, 7));
	cr_expect(eq(ulong, st.allocmiss, 5));
	cr_expect(eq(ulong, st.grown, 1));
	cr_expect(eq(ulong, st.node_allocs, 0));
	cr_expect(eq(ulong, st.node_frees, 0));
	cr_expect(eq(ulong, st.errors, 0));
	for (int i = 0; i < 7; i++)
		helper_slab_free(0, o[i]);
}

/*
 * __cache_free_alien (mm/slab.c): a free of a node 0 object on node 1 goes to node 1's alien
 * array for node 0 (12 entries when the limit is above 1, alloc_alien_cache); the free that
 * finds it full first drains it (__drain_alien_cache, STATS_INC_ACOVERFLOW): into node 0's
 * shared array as far as it has room (transfer_objects(n->shared, ac, ac->limit): min(avail,
 * limit, shared room), the hot end, in order), the rest back to their slabs (free_block).
 * Tunables limit 4, batchcount 2, shared 4: node 0's shared array holds 8; vCPU 1 (node 0)
 * frees 9 of 40 node 0 objects: 4 hits, then each other free misses and flushes 2 to the
 * shared array: 6 there, room for 2.  vCPU 2 (node 1) frees 13 more: 12 fill the alien array,
 * the 13th drains it, 2 to the shared array, 10 to the slabs, and is put in it alone.
 */
Test(slab_rules, alien_drain_fills_the_home_shared_array_to_its_limit, .fini = down)
{
	struct kmem_cache *s;
	struct array_cache *shared, *alien;
	void *o[40];
	unsigned long free_before;

	up();
	s = (struct kmem_cache *)kmem_cache_create("ad64", 64, 0, SLAB_HWCACHE_ALIGN, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(int, slab_tune_cache("ad64", 4, 2, 4), 0));
	shared = s->node[0]->shared;
	alien = &s->node[1]->alien[0]->ac;
	cr_assert(eq(uint, shared->limit, 8));
	cr_assert(eq(uint, alien->limit, 12));
	for (int i = 0; i < 40; i++)
		o[i] = alloc_on(0, s);
	for (int i = 0; i < 9; i++)
		helper_slab_free(1, o[i]);
	cr_assert(eq(uint, shared->avail, 6));
	for (int i = 9; i < 21; i++)
		helper_slab_free(2, o[i]);
	cr_assert(eq(uint, alien->avail, 12));
	cr_assert(eq(ptr, alien->entry[11], o[20]));
	free_before = s->node[0]->free_objects;

	helper_slab_free(2, o[21]);
	cr_expect(eq(ulong, s->node_overflow, 1));
	cr_expect(eq(ulong, s->node_frees, 13));
	cr_expect(eq(uint, shared->avail, 8), "the shared array's room only");
	cr_expect(eq(ptr, shared->entry[6], o[19]));
	cr_expect(eq(ptr, shared->entry[7], o[20]));
	cr_expect(eq(ulong, s->node[0]->free_objects, free_before + 10));
	cr_expect(eq(uint, alien->avail, 1));
	cr_expect(eq(ptr, alien->entry[0], o[21]));
	for (int i = 22; i < 40; i++)
		helper_slab_free(0, o[i]);
}

/* SLAB's slab events as slab_set_event_sink hands them over, with the sink's argument. */
static struct ev_log {
	struct slab_event ev[16];
	int nr, cache;
} evlog;

static void ev_sink(const struct slab_event *ev, void *arg)
{
	struct ev_log *log = arg;

	if (ev->cache == log->cache && log->nr < 16)
		log->ev[log->nr++] = *ev;
}

/*
 * A slab's events (the database's slab_events rows): cache_grow_begin's colour (colour_next
 * advanced first, wrapping at colour; offset colour x colour_off), the page address, node and
 * order; slab_destroy's the same for that slab.  640-byte objects, align 8, a constructor
 * (on-slab, a byte of index each): 6 a page, 4096 - 6 x 641 = 250 bytes left: 3 colours of 64.
 * 13 objects on vCPU 0 (node 0) grow 3 slabs, colours 1, 2, 0 (wrapped);
 * one on vCPU 2 (node 1) grows node 1's first, colour 1.  No object is out when either event
 * is made (active 0).  All given back and shrunk: 4 destroy events, each a grown slab's.
 */
Test(slab_rules, slab_events_carry_colour_page_and_node, .fini = down)
{
	struct kmem_cache *s;
	void *o[14];
	static const unsigned int colour[] = { 1, 2, 0, 1 };
	static const int node[] = { 0, 0, 0, 1 };

	up();
	s = (struct kmem_cache *)kmem_cache_create("ev640", 640, 8, 0, true);
	cr_assert(ne(ptr, (void *)s, NULL));
	cr_assert(eq(uint, s->num, 6));
	cr_assert(eq(uint, (unsigned int)s->colour, 3));
	cr_assert(eq(int, slab_tune_cache("ev640", 1, 1, 0), 0));
	memset(&evlog, 0, sizeof(evlog));
	evlog.cache = slab_cache_id(s);
	slab_set_event_sink(ev_sink, &evlog);
	for (int i = 0; i < 13; i++)
		o[i] = alloc_on(0, s);
	o[13] = alloc_on(2, s);
	cr_assert(eq(int, evlog.nr, 4));
	for (int k = 0; k < 4; k++) {
		const struct slab_event *ev = &evlog.ev[k];
		struct slab *slab = virt_to_slab(o[k < 3 ? 6 * k : 13]);

		cr_expect(eq(int, ev->kind, SLAB_EVENT_GROW), "grow %d", k);
		cr_expect(eq(int, ev->node, node[k]), "grow %d", k);
		cr_expect(eq(uint, ev->order, 0), "grow %d", k);
		cr_expect(eq(uint, ev->colour, colour[k]), "grow %d", k);
		cr_expect(eq(uint, ev->offset, colour[k] * 64), "grow %d", k);
		cr_expect(eq(uint, ev->active, 0), "grow %d", k);
		cr_expect(eq(u64, ev->addr + ev->offset, (uint64_t)(uintptr_t)slab->s_mem), "grow %d", k);
	}
	for (int i = 0; i < 14; i++)
		helper_slab_free(i == 13 ? 2 : 0, o[i]);
	cr_assert(eq(int, slab_shrink_cache(s), 0));
	slab_set_event_sink(NULL, NULL);
	cr_assert(eq(int, evlog.nr, 8));
	for (int k = 4; k < 8; k++) {
		const struct slab_event *ev = &evlog.ev[k];
		int g = -1;

		for (int j = 0; j < 4; j++)
			if (evlog.ev[j].addr == ev->addr)
				g = j;
		cr_assert(le(int, 0, g), "destroy %d: a slab never grown", k);
		cr_expect(eq(int, ev->kind, SLAB_EVENT_DESTROY), "destroy %d", k);
		cr_expect(eq(int, ev->node, node[g]), "destroy %d", k);
		cr_expect(eq(uint, ev->order, 0), "destroy %d", k);
		cr_expect(eq(uint, ev->colour, colour[g]), "destroy %d", k);
		cr_expect(eq(uint, ev->offset, colour[g] * 64), "destroy %d", k);
		cr_expect(eq(uint, ev->active, 0), "destroy %d", k);
	}
}
