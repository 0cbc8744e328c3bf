/*
 * kcaches.h - the named slab caches Linux 6.1 and 6.12 create, from their source.
 *
 * A trace replay meets caches the capture never described (a SLAB kernel
 * has no /sys/kernel/slab; a trace may create a cache after the snapshot).
 * The kernel source says how each is created: its flags (SLAB_RECLAIM_ACCOUNT
 * caps SLAB's slab order, SLAB_TYPESAFE_BY_RCU and a constructor move SLUB's
 * free pointer after the object, both forbid merging, ...) and whether it has
 * a constructor.  traces/kcaches_6_1.c is generated from Debian's
 * linux-source-6.1 by
 *
 *     tools/gen-cache-catalogue SRC > traces/kcaches_6_1.c
 *
 * (SRC: /usr/src/linux-source-6.1.tar.xz of Debian's linux-source-6.1, unpacked), and
 * traces/kcaches_6_12.c likewise from Debian's linux-source-6.12 (6.12.118):
 *
 *     tools/gen-cache-catalogue SRC > traces/kcaches_6_12.c
 *
 * from every kmem_cache_create, kmem_cache_create_usercopy, KMEM_CACHE and
 * KMEM_CACHE_USERCOPY call with a literal name (plus one-level wrappers such
 * as acpi_os_create_cache() and the struct proto caches of proto_register():
 * TCP, request_sock_TCP, tw_sock_TCP, UNIX, ...).  Names made at run time
 * (bio-<size>, biovec-*, sgpool-*, ip4-frags, ...) and the boot caches
 * (kmem_cache, kmem_cache_node, kmalloc-*) are not in it.
 *
 * flags holds the kernel's SLAB_* bits, the same values as the SLAB_* macros
 * of the models' slab_common.h (include/linux/slab.h, 6.1; 6.12 numbers its flags by a
 * config-dependent enum, and its catalogue keeps 6.1's values, with SLAB_NO_MERGE at
 * 0x01000000 as before 6.10), plus two that header
 * does not name: SLAB_DEBUG_OBJECTS 0x00400000 and SLAB_SKIP_KFENCE
 * 0x20000000.  Each bit is the value of a kernel whose config enables the
 * flag: SLAB_ACCOUNT is 0 without CONFIG_MEMCG_KMEM, SLAB_FAILSLAB without
 * CONFIG_FAILSLAB, SLAB_KASAN without KASAN; mask for the kernel at hand.
 */
#ifndef KMEMSIM_TRACES_KCACHES_H
#define KMEMSIM_TRACES_KCACHES_H

#include <stdbool.h>
#include <stddef.h>

struct kcache_entry {
	const char *name;	/* the cache's name as /proc/slabinfo prints it */
	unsigned int flags;	/* SLAB_* bits the source passes (see above) */
	unsigned int align;	/* align argument; 0 = 0 or not a literal
				 * (__alignof__(struct x), SMP_CACHE_BYTES, a variable) */
	unsigned int size;	/* 0 = not a literal (sizeof(...), a macro, a variable) */
	bool ctor;		/* created with a constructor */
	bool flags_exact;	/* false: part of the flags expression is a variable or
				 * a conditional; flags holds the part that was resolved */
	const char *where;	/* "file:line" of the creation in the kernel tree */
};

/* The entry for a cache name, or NULL when the catalogue does not know it
 * (NULL name included).  Exact, case-sensitive match. */
const struct kcache_entry *kcache_lookup_6_1(const char *name);

/* The number of entries, and entry i (0 <= i < count) in bytewise name order
 * (NULL past the end). */
size_t kcache_count_6_1(void);
const struct kcache_entry *kcache_at_6_1(size_t i);

/* The same for Linux 6.12 (traces/kcaches_6_12.c). */
const struct kcache_entry *kcache_lookup_6_12(const char *name);
size_t kcache_count_6_12(void);
const struct kcache_entry *kcache_at_6_12(size_t i);

/* The catalogue of kernel `kernel` ("6.1", "6.12": kernel_version_name()); 6.1's for any other. */
const struct kcache_entry *kcache_lookup_kernel(const char *kernel, const char *name);

#endif /* KMEMSIM_TRACES_KCACHES_H */
