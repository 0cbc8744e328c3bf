/*
 * 6.12/slab_common.c - what Linux 6.12.118 mm/slab_common.c (and include/linux/slab.h,
 * mm/util.c's init_user_buckets) does its own way: the kmalloc cache set, merging, and the
 * bucket caches of CONFIG_SLAB_BUCKETS.  The table slab_common_kops_6_12
 * (models/slab_common/slab_common_int.h).
 *
 * What differs from 6.1:
 *  - create_kmalloc_caches takes the types in the kernel's enum order (normal, reclaim, dma,
 *    cgroup) and, within each, 96 and 192 first, then 8 .. 8k;
 *  - create_boot_cache aligns a kmalloc cache to the largest power of two dividing its size
 *    (kmalloc-96: 32, kmalloc-192: 64; 6.1: 8), and gives it a usercopy region only with
 *    CONFIG_HARDENED_USERCOPY;
 *  - with CONFIG_MEMCG the normal kmalloc caches carry SLAB_NO_MERGE (6.1: refcount -1);
 *  - slab_unmergeable and find_mergeable refuse a usercopy region only with
 *    CONFIG_HARDENED_USERCOPY: without it (the small-config oracle) dentry, task_struct,
 *    names_cache, ... and the kmalloc caches themselves merge;
 *  - SLAB_NEVER_MERGE gains SLAB_NO_MERGE and loses SLAB_KASAN;
 *  - CONFIG_SLAB_BUCKETS: kmalloc_buckets (created with the kmalloc caches) and the
 *    memdup_user-* and msg_msg-* sets of kmem_buckets_create (init_user_buckets of
 *    mm/util.c, init_msg_buckets of ipc/msgutil.c, subsys_initcalls), one SLAB_NO_MERGE
 *    cache per kmalloc size.
 * Not modelled: CONFIG_RANDOM_KMALLOC_CACHES (kmalloc-rnd-NN-*; off in both 6.12 captures),
 * KMALLOC_NO_OBJ_EXT (kmalloc-no-objext-*: only with CONFIG_MEM_ALLOC_PROFILING, off in both).
 */
#define SLAB_COMMON_VERSION_IMPL
#include <stdio.h>
#include <string.h>

#include "../slab_common_int.h"
#include "../../../sim/engine/engine.h"

/* Flags that keep a cache from merging, and flags two merged caches must share. */
#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
			  SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME (SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT)

/* sizeof(kmem_buckets): a kmem_cache pointer per kmalloc index, 0 .. KMALLOC_SHIFT_HIGH */
#define KMEM_BUCKETS_SIZE ((KMALLOC_SHIFT_HIGH + 1) * 8u)

/* sizeof(struct msg_msg), include/linux/msg.h: m_list 16, m_type 8, m_ts 8, next 8, security 8 */
#define MSG_MSG_SIZE 48u

static struct kmem_cache *kmem_buckets_cache;

/* kernel: create_boot_cache + create_kmalloc_cache, mm/slab_common.c */
static struct kmem_cache *create_kmalloc_cache(const char *name, unsigned int size,
					       unsigned int flags)
{
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	unsigned int pow2 = size & -size;		/* 1 << (ffs(size) - 1) */
	struct kmem_cache *s;

	flags |= SLAB_KMALLOC;
	/* At least the largest power of two that divides the size. */
	if (pow2 > align)
		align = pow2;
	align = calculate_alignment(flags, align, size);
	s = slab_current()->create(name, size, align, flags, false);
	if (!s)
		return NULL;
	/* useroffset 0, usersize size, kept with CONFIG_HARDENED_USERCOPY; refcount 1 */
	return slab_register_kmalloc(s, slab_hardened_usercopy ? size : 0) < 0 ? NULL : s;
}

/* kernel: new_kmalloc_cache, mm/slab_common.c (__kmalloc_minalign() is 8 on x86: no rounding) */
static int new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type)
{
	unsigned int flags = 0;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_CGROUP)
		flags |= SLAB_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	/* With CONFIG_MEMCG the normal kmalloc caches never merge. */
	if (slab_memcg_kmem && type == KMALLOC_NORMAL)
		flags |= SLAB_NO_MERGE;
	if (kmalloc_caches[type][idx])
		return 0;
	kmalloc_caches[type][idx] = create_kmalloc_cache(kmalloc_info[idx].name[type],
							 kmalloc_info[idx].size, flags);
	return kmalloc_caches[type][idx] ? 0 : SIM_EFAIL;
}

/* kernel: create_kmalloc_caches, mm/slab_common.c (SLUB: KMALLOC_MIN_SIZE 8) */
static int create_kmalloc_caches(unsigned int flags)
{
	/* The kernel's enum order; without CONFIG_ZONE_DMA (CONFIG_MEMCG) the dma (cgroup) type
	 * is another name of the normal one. */
	static const enum kmalloc_cache_type order[] = {
		KMALLOC_NORMAL, KMALLOC_RECLAIM, KMALLOC_DMA, KMALLOC_CGROUP,
	};

	(void)flags;		/* 6.12 takes none: SLAB is gone */
	for (size_t t = 0; t < sizeof(order) / sizeof(order[0]); t++) {
		enum kmalloc_cache_type type = order[t];

		if ((type == KMALLOC_CGROUP && !slab_memcg_kmem) || (type == KMALLOC_DMA && !slab_zone_dma)) {
			memcpy(kmalloc_caches[type], kmalloc_caches[KMALLOC_NORMAL], sizeof(kmalloc_caches[type]));
			continue;
		}
		/* The caches that are not a power of two first, then 8 .. 8k. */
		if (new_kmalloc_cache(1, type) || new_kmalloc_cache(2, type))
			return SIM_EFAIL;
		for (unsigned int i = KMALLOC_SHIFT_LOW_SLUB; i <= KMALLOC_SHIFT_HIGH; i++)
			if (new_kmalloc_cache(i, type))
				return SIM_EFAIL;
	}
	return 0;
}

/*
 * kernel: kmem_buckets_create, mm/slab_common.c: one SLAB_NO_MERGE cache "NAME-SIZE" per
 * normal kmalloc cache, its usercopy region clipped to the size, and the bucket table, an
 * object of kmalloc_buckets (the model keeps the table in *b).  b, or NULL when it failed.
 */
static kmem_buckets *kmem_buckets_create(kmem_buckets *b, const char *name, unsigned int flags,
					 unsigned int useroffset, unsigned int usersize)
{
	memset(*b, 0, sizeof(*b));
	if (!kmem_buckets_cache)
		return NULL;
	if (!slab_current()->alloc(kmem_buckets_cache, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
				   KMEM_BUCKETS_SIZE))
		return NULL;
	flags |= SLAB_NO_MERGE;
	for (unsigned int idx = 0; idx <= KMALLOC_SHIFT_HIGH; idx++) {
		struct kmem_cache *k = kmalloc_caches[KMALLOC_NORMAL][idx];
		const char *short_size = k ? strchr(kmalloc_info[idx].name[KMALLOC_NORMAL], '-') : NULL;
		unsigned int size = k ? kmalloc_info[idx].size : 0;
		unsigned int cache_useroffset = 0, cache_usersize = 0;
		char cache_name[64];

		if (!size || !short_size || (*b)[idx])
			continue;
		if (useroffset < size) {
			cache_useroffset = useroffset;
			cache_usersize = size - cache_useroffset < usersize ? size - cache_useroffset : usersize;
		}
		snprintf(cache_name, sizeof(cache_name), "%s-%s", name, short_size + 1);
		(*b)[idx] = kmem_cache_create_usercopy(cache_name, size, 0, flags, cache_useroffset,
						       cache_usersize, false);
		if (!(*b)[idx])
			return NULL;
	}
	return b;
}

/*
 * The cache the boot makes once kmalloc works: kmalloc_buckets (the end of
 * create_kmalloc_caches, slab_state UP; still in kmem_cache_init, on the boot
 * pagesets).  Only with CONFIG_SLAB_BUCKETS.
 */
static int create_boot_caches(void)
{
	kmem_buckets_cache = NULL;
	if (!slab_buckets)
		return 0;
	kmem_buckets_cache = kmem_cache_create("kmalloc_buckets", KMEM_BUCKETS_SIZE, 0, SLAB_NO_MERGE, false);
	return kmem_buckets_cache ? 0 : SIM_EFAIL;
}

/*
 * The caches of later initcalls, after setup_per_cpu_pageset: from init_user_buckets
 * (mm/util.c, subsys_initcall), the memdup_user-* buckets: kmem_buckets_create("memdup_user",
 * 0, 0, INT_MAX, NULL), then ipc's msg_msg-*.  Only with CONFIG_SLAB_BUCKETS.  The sets are
 * user_buckets and msg_buckets (kmem_buckets_alloc, ../entry.c).
 */
static int create_late_boot_caches(void)
{
	static kmem_buckets user_set, msg_set;

	if (!slab_buckets)
		return 0;
	user_buckets = kmem_buckets_create(&user_set, "memdup_user", 0, 0, 0x7fffffffu);
	if (!user_buckets)
		return SIM_EFAIL;
	/* ipc/msgutil.c init_msg_buckets (a subsys_initcall after mm/'s): the msg_msg-* buckets,
	 * accounted, the usercopy region after the 48-byte struct msg_msg, DATALEN_MSG long */
	msg_buckets = kmem_buckets_create(&msg_set, "msg_msg", SLAB_ACCOUNT, MSG_MSG_SIZE,
					  PAGE_SIZE - MSG_MSG_SIZE);
	return msg_buckets ? 0 : SIM_EFAIL;
}

/* kernel: slab_unmergeable, mm/slab_common.c */
static bool slab_unmergeable(int id, const struct slab_cache_info *info)
{
	const struct slab_reg_entry *r = slab_reg_entry(id);

	/* s->flags, and the flags asked for (the model's caches drop debug flags) */
	if (slab_nomerge || ((info->flags | r->create_flags) & SLAB_NEVER_MERGE))
		return true;
	if (r->ctor)
		return true;
	if (slab_hardened_usercopy && r->usersize)
		return true;
	return r->refcount < 0;
}

/* kernel: find_mergeable, mm/slab_common.c */
static struct kmem_cache *find_mergeable(unsigned int size, unsigned int align, unsigned int flags,
					 const char *name, bool ctor, unsigned int usersize)
{
	struct slab_cache_info info;

	if (slab_nomerge)
		return NULL;
	if (ctor)
		return NULL;
	if (slab_hardened_usercopy && usersize)
		return NULL;
	if (slab_current()->cache_flags)
		flags = slab_current()->cache_flags(size, flags, name);	/* kmem_cache_flags */
	if (flags & SLAB_NEVER_MERGE)
		return NULL;
	size = ALIGN_UP(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN_UP(size, align);

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
		return s;
	}
	return NULL;
}

const struct slab_common_kops slab_common_kops_6_12 = {
	.kernel = "6.12",
	.create_kmalloc_caches = create_kmalloc_caches,
	.create_boot_caches = create_boot_caches,
	.create_late_boot_caches = create_late_boot_caches,
	.find_mergeable = find_mergeable,
	.slab_unmergeable = slab_unmergeable,
	.usersize_needs_hardened_usercopy = true,
};
