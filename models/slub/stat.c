/*
 * stat.c - SLUB's CONFIG_SLUB_STATS counters (Linux 6.1.192 mm/slub.c,
 * the sysfs STAT_ATTR files).  Debian compiles them out; the model always
 * keeps them, per cache and per CPU, bumped by stat() (slub_int.h) where the
 * kernel bumps them.  Reading them does not yield.
 */
#include "slub_int.h"

static const char *const stat_names[NR_SLUB_STAT_ITEMS] = {
	[ALLOC_FASTPATH] = "alloc_fastpath",
	[ALLOC_SLOWPATH] = "alloc_slowpath",
	[FREE_FASTPATH] = "free_fastpath",
	[FREE_SLOWPATH] = "free_slowpath",
	[FREE_FROZEN] = "free_frozen",
	[FREE_ADD_PARTIAL] = "free_add_partial",
	[FREE_REMOVE_PARTIAL] = "free_remove_partial",
	[ALLOC_FROM_PARTIAL] = "alloc_from_partial",
	[ALLOC_SLAB] = "alloc_slab",
	[ALLOC_REFILL] = "alloc_refill",
	[ALLOC_NODE_MISMATCH] = "alloc_node_mismatch",
	[FREE_SLAB] = "free_slab",
	[CPUSLAB_FLUSH] = "cpuslab_flush",
	[DEACTIVATE_FULL] = "deactivate_full",
	[DEACTIVATE_EMPTY] = "deactivate_empty",
	[DEACTIVATE_TO_HEAD] = "deactivate_to_head",
	[DEACTIVATE_TO_TAIL] = "deactivate_to_tail",
	[DEACTIVATE_REMOTE_FREES] = "deactivate_remote_frees",
	[DEACTIVATE_BYPASS] = "deactivate_bypass",
	[ORDER_FALLBACK] = "order_fallback",
	[CMPXCHG_DOUBLE_CPU_FAIL] = "cmpxchg_double_cpu_fail",
	[CMPXCHG_DOUBLE_FAIL] = "cmpxchg_double_fail",
	[CPU_PARTIAL_ALLOC] = "cpu_partial_alloc",
	[CPU_PARTIAL_FREE] = "cpu_partial_free",
	[CPU_PARTIAL_NODE] = "cpu_partial_node",
	[CPU_PARTIAL_DRAIN] = "cpu_partial_drain",
};

int slub_nr_stat_items(void)
{
	return NR_SLUB_STAT_ITEMS;
}

const char *slub_stat_name(int item)
{
	return item >= 0 && item < NR_SLUB_STAT_ITEMS ? stat_names[item] : "?";
}

/* kernel: show_stat, mm/slub.c (sum over the online CPUs, or one CPU) */
unsigned long slub_stat(const struct kmem_cache *s, int item, int cpu)
{
	unsigned long sum = 0;

	if (item < 0 || item >= NR_SLUB_STAT_ITEMS || !s->cpu_slab)
		return 0;
	if (cpu >= 0)
		return cpu < nr_cpu_ids ? s->cpu_slab[cpu].stat[item] : 0;
	for (int c = 0; c < nr_cpu_ids; c++)
		sum += s->cpu_slab[c].stat[item];
	return sum;
}

/* kernel: clear_stat, mm/slub.c (writing 0 to a stat file; here all of them) */
void slub_stat_clear(struct kmem_cache *s)
{
	for (int c = 0; c < nr_cpu_ids; c++)
		for (int i = 0; i < NR_SLUB_STAT_ITEMS; i++)
			s->cpu_slab[c].stat[i] = 0;
}

/* kernel: order_show, objs_per_slab_show, slab_size_show, ... (the sysfs attributes) */
void slub_get_attrs(const struct kmem_cache *s, struct slub_attrs *out)
{
	out->order = oo_order(s->oo);
	out->objs_per_slab = oo_objects(s->oo);
	out->object_size = s->object_size;
	out->slab_size = s->size;
	out->align = s->align;
	out->offset = s->offset;
	out->inuse = s->inuse;
	out->cpu_partial = s->cpu_partial;
	out->cpu_partial_slabs = s->cpu_partial_slabs;
	out->min_partial = s->min_partial;
}
