/*
 * 6.1/slab_common.c - what Linux 6.1.192 mm/slab_common.c does its own way: the kmalloc
 * cache set (create_kmalloc_caches: each type from 8 bytes up, 96 and 192 right after the
 * power of two below them; natural alignment for powers of two only; usercopy region = the
 * whole object, so never merged), and merging (slab_unmergeable, find_mergeable).  The
 * table slab_common_kops_6_1 (models/slab_common/slab_common_int.h).
 */
#define SLAB_COMMON_VERSION_IMPL
#include <string.h>

#include "../slab_common_int.h"
#include "../../../sim/engine/engine.h"

/* Flags that keep a cache from merging, and flags two merged caches must share. */
#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_KASAN)
#define SLAB_MERGE_SAME (SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT)

/* kernel: is_power_of_2, include/linux/log2.h */
static bool is_power_of_2(unsigned int n)
{
	return n && !(n & (n - 1));
}

/* kernel: create_kmalloc_cache + create_boot_cache, mm/slab_common.c */
static struct kmem_cache *create_kmalloc_cache(const char *name, unsigned int size,
					       unsigned int flags)
{
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	struct kmem_cache *s;

	/* Natural alignment for power-of-two sizes. */
	if (is_power_of_2(size) && size > align)
		align = size;
	flags |= SLAB_KMALLOC;
	align = calculate_alignment(flags, align, size);
	s = slab_current()->create(name, size, align, flags, false);
	if (!s)
		return NULL;
	/* useroffset 0, usersize size */
	return slab_register_kmalloc(s, size) < 0 ? NULL : s;
}

/* kernel: new_kmalloc_cache, mm/slab_common.c */
static int new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type, unsigned int flags)
{
	if (type == KMALLOC_RECLAIM) {
		flags |= SLAB_RECLAIM_ACCOUNT;
	} else if (type == KMALLOC_CGROUP) {
		flags |= SLAB_ACCOUNT;
	} else if (type == KMALLOC_DMA) {
		flags |= SLAB_CACHE_DMA;
	}
	kmalloc_caches[type][idx] = create_kmalloc_cache(kmalloc_info[idx].name[type],
							 kmalloc_info[idx].size, flags);
	if (!kmalloc_caches[type][idx])
		return SIM_EFAIL;
	/* With memcg kmem accounting the normal kmalloc caches never merge. */
	if (slab_memcg_kmem && type == KMALLOC_NORMAL)
		slab_set_unmergeable(slab_cache_id(kmalloc_caches[type][idx]));
	return 0;
}

/* kernel: create_kmalloc_caches, mm/slab_common.c */
static int create_kmalloc_caches(unsigned int flags)
{
	unsigned int low = kmalloc_shift_low();

	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		/*
		 * Without CONFIG_MEMCG_KMEM (CONFIG_ZONE_DMA) the kernel's enum makes KMALLOC_CGROUP
		 * (KMALLOC_DMA) another name of KMALLOC_NORMAL: no caches of their own.
		 */
		if ((type == KMALLOC_CGROUP && !slab_memcg_kmem) || (type == KMALLOC_DMA && !slab_zone_dma)) {
			memcpy(kmalloc_caches[type], kmalloc_caches[KMALLOC_NORMAL], sizeof(kmalloc_caches[type]));
			continue;
		}
		for (unsigned int i = low; i <= KMALLOC_SHIFT_HIGH; i++) {
			if (!kmalloc_caches[type][i] && new_kmalloc_cache(i, (enum kmalloc_cache_type)type, flags))
				return SIM_EFAIL;
			/* 96 and 192 right after the power of two below them. */
			if ((1u << low) <= 32 && i == 6 && !kmalloc_caches[type][1] &&
			    new_kmalloc_cache(1, (enum kmalloc_cache_type)type, flags))
				return SIM_EFAIL;
			if ((1u << low) <= 64 && i == 7 && !kmalloc_caches[type][2] &&
			    new_kmalloc_cache(2, (enum kmalloc_cache_type)type, flags))
				return SIM_EFAIL;
		}
	}
	return 0;
}

/* kernel: slab_unmergeable, mm/slab_common.c */
static bool slab_unmergeable(int id, const struct slab_cache_info *info)
{
	const struct slab_reg_entry *r = slab_reg_entry(id);

	/*
	 * The kernel tests s->flags, which keeps debug flags the model's
	 * allocators drop (no debug caches): test the flags asked for too.
	 */
	if (slab_nomerge || ((info->flags | r->create_flags) & SLAB_NEVER_MERGE))
		return true;
	if (r->ctor)
		return true;
	if (r->usersize)
		return true;
	return r->refcount < 0;
}

/* kernel: find_mergeable, mm/slab_common.c (a usercopy region: kmem_cache_create_usercopy
 * does not even try to alias; usersize is never set here) */
static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align, unsigned int flags,
					 const char *name, bool ctor, unsigned int usersize)
{
	struct slab_cache_info info;
	bool is_slab = !strcmp(slab_current()->name, "slab");

	(void)usersize;
	if (slab_nomerge)
		return NULL;
	if (ctor)
		return NULL;
	size = ALIGN_UP(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN_UP(size, align);
	if (slab_current()->cache_flags)
		flags = slab_current()->cache_flags(size, flags, name);
	if (flags & SLAB_NEVER_MERGE)
		return NULL;

	/* slab_caches from its tail: oldest first, which is registry order. */
	for (int id = 0; id < slab_nr_caches(); id++) {
		struct kmem_cache *s = slab_cache(id);

		slab_current()->info(s, &info);
		if (slab_unmergeable(id, &info))
			continue;
		if (size > info.size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (info.flags & SLAB_MERGE_SAME))
			continue;
		if ((info.size & ~(align - 1)) != info.size)
			continue;
		if (info.size - size >= sizeof(void *))
			continue;
		if (is_slab && align && (align > info.align || info.align % align))
			continue;
		return s;
	}
	return NULL;
}

const struct slab_common_kops slab_common_kops_6_1 = {
	.kernel = "6.1",
	.create_kmalloc_caches = create_kmalloc_caches,
	.find_mergeable = find_mergeable,
	.slab_unmergeable = slab_unmergeable,
	.usersize_needs_hardened_usercopy = false,
};
