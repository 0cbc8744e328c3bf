/*
 * slab_common_int.h - internals of the common slab layer (models/slab_common/) that its
 * version folders (models/slab_common/6.1/, models/slab_common/6.12/) need: the cache
 * registry's entries, the kmalloc size table, and struct slab_common_kops, the table of
 * what mm/slab_common.c does differently in each kernel (kmalloc cache set, merging).
 *
 * A version file defines SLAB_COMMON_VERSION_IMPL before including this header: its static
 * functions keep the kernel's names (find_mergeable, create_kmalloc_caches), which the public
 * header then does not declare.
 */
#ifndef KMEMSIM_MODELS_SLAB_COMMON_INT_H
#define KMEMSIM_MODELS_SLAB_COMMON_INT_H

#include <stdbool.h>

#include "../kernel.h"
#include "slab_common.h"

#define ARCH_KMALLOC_MINALIGN	8u
#define KMALLOC_SHIFT_LOW_SLUB	3u	/* KMALLOC_MIN_SIZE 8 */
#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

/* One registered cache: what struct kmem_cache holds that the common layer reads. */
struct slab_reg_entry {
	struct kmem_cache *s;
	int refcount;			/* 1 + aliases; -1 never merged (kernel: s->refcount) */
	unsigned int usersize;		/* the usercopy region (kmalloc caches: their size) */
	unsigned int object_size;	/* bytes asked for; grows with aliases */
	unsigned int create_flags;	/* kmem_cache_create's flags, debug ones included */
	bool ctor;			/* created with a constructor (kernel: s->ctor) */
};

/* Entry `id` of the registry (0 <= id < slab_nr_caches()). */
struct slab_reg_entry *slab_reg_entry(int id);
/* KMALLOC_SHIFT_LOW of the allocator at hand (SLUB 3, SLAB 5). */
unsigned int kmalloc_shift_low(void);

/* kernel: kmalloc_info, mm/slab_common.c (names of each type, and the size) */
struct kmalloc_info_struct {
	const char *name[NR_KMALLOC_TYPES];
	unsigned int size;
};
extern const struct kmalloc_info_struct kmalloc_info[KMALLOC_SHIFT_HIGH + 1];

/* Config switches of the kernel at hand (struct slab_config). */
extern bool slab_buckets;			/* CONFIG_SLAB_BUCKETS */

/*
 * What mm/slab_common.c does differently in each kernel: one table per version folder
 * (slab_common_kops_6_1, slab_common_kops_6_12), chosen by kernel_version.
 */
struct slab_common_kops {
	const char *kernel;		/* "6.1", "6.12" */
	/* kernel: create_kmalloc_caches, and (6.12, SLAB_BUCKETS) the boot's bucket caches */
	int (*create_kmalloc_caches)(unsigned int flags);
	/* The caches kmem_cache_init makes once the allocator is up (6.12: kmalloc_buckets of
	 * CONFIG_SLAB_BUCKETS); NULL: none.  0 or SIM_EFAIL. */
	int (*create_boot_caches)(void);
	/* The caches of later initcalls, after setup_per_cpu_pageset (6.12: the memdup_user-*
	 * and msg_msg-* buckets of CONFIG_SLAB_BUCKETS); NULL: none.  0 or SIM_EFAIL. */
	int (*create_late_boot_caches)(void);
	/* kernel: find_mergeable (6.12 refuses a usercopy region itself, with HARDENED_USERCOPY) */
	struct kmem_cache *(*find_mergeable)(unsigned int size, unsigned int align, unsigned int flags,
					     const char *name, bool ctor, unsigned int usersize);
	/* kernel: slab_unmergeable */
	bool (*slab_unmergeable)(int id, const struct slab_cache_info *info);
	/* 6.12: kmem_cache_create keeps a usercopy region only with CONFIG_HARDENED_USERCOPY */
	bool usersize_needs_hardened_usercopy;
};

extern const struct slab_common_kops slab_common_kops_6_1;
extern const struct slab_common_kops slab_common_kops_6_12;
extern const struct slab_common_kops *const slab_common_kops_table[NR_KERNEL_VERSIONS];
#ifndef KOPS
#define KOPS(model) (model##_kops_table[kernel_version])
#endif

#endif
