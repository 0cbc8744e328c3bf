/*
 * test_kcaches.c - the generated catalogue of Linux 6.1's named slab caches
 * (traces/kcaches_6_1.c, from tools/gen-cache-catalogue) against the kernel
 * source read by hand: flags, constructor and place of a few caches created
 * directly, through KMEM_CACHE / KMEM_CACHE_USERCOPY, through a wrapper
 * (acpi_os_create_cache) and through proto_register; the lookup's misses;
 * the table's order.
 *
 * Build: cc -std=c17 -I. tests/traces/test_kcaches.c traces/kcaches_6_1.c -lcriterion
 */
#include <criterion/criterion.h>
#include <string.h>

#include "traces/kcaches.h"

/* include/linux/slab.h (6.1) values, spelled out here so that the test does
 * not depend on the models' headers. */
#define K_HWCACHE_ALIGN		0x00002000u
#define K_RECLAIM_ACCOUNT	0x00020000u
#define K_PANIC			0x00040000u
#define K_TYPESAFE_BY_RCU	0x00080000u
#define K_MEM_SPREAD		0x00100000u
#define K_ACCOUNT		0x04000000u

static const struct kcache_entry *get(const char *name)
{
	const struct kcache_entry *e = kcache_lookup_6_1(name);

	cr_assert_not_null(e, "%s is not in the catalogue", name);
	cr_assert_str_eq(e->name, name);
	return e;
}

static void where_in(const struct kcache_entry *e, const char *file)
{
	size_t n = strlen(file);

	cr_assert(strncmp(e->where, file, n) == 0 && e->where[n] == ':',
		  "%s: where %s, want %s:LINE", e->name, e->where, file);
}

/* lib/radix-tree.c radix_tree_init: SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, radix_tree_node_ctor */
Test(kcaches, radix_tree_node)
{
	const struct kcache_entry *e = get("radix_tree_node");

	cr_assert_eq(e->flags, K_PANIC | K_RECLAIM_ACCOUNT);
	cr_assert(e->ctor);
	cr_assert(e->flags_exact);
	cr_assert_eq(e->align, 0u);
	where_in(e, "lib/radix-tree.c");
}

/* net/socket.c init_inodecache: (SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT |
 * SLAB_MEM_SPREAD | SLAB_ACCOUNT), init_once */
Test(kcaches, sock_inode_cache)
{
	const struct kcache_entry *e = get("sock_inode_cache");

	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_RECLAIM_ACCOUNT | K_MEM_SPREAD | K_ACCOUNT);
	cr_assert(e->ctor);
	cr_assert(e->flags_exact);
	where_in(e, "net/socket.c");
}

/* kernel/fork.c proc_caches_init: KMEM_CACHE(vm_area_struct, SLAB_PANIC|SLAB_ACCOUNT) */
Test(kcaches, vm_area_struct_from_KMEM_CACHE)
{
	const struct kcache_entry *e = get("vm_area_struct");

	cr_assert_eq(e->flags, K_PANIC | K_ACCOUNT);
	cr_assert_not(e->ctor);
	cr_assert_eq(e->size, 0u);	/* sizeof(struct vm_area_struct) */
	where_in(e, "kernel/fork.c");
}

/* fs/file_table.c files_init: SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL */
Test(kcaches, filp)
{
	const struct kcache_entry *e = get("filp");

	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_PANIC | K_ACCOUNT);
	cr_assert_not(e->ctor);
	where_in(e, "fs/file_table.c");
}

/* fs/dcache.c dcache_init: KMEM_CACHE_USERCOPY(dentry,
 * SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, d_iname) */
Test(kcaches, dentry_from_KMEM_CACHE_USERCOPY)
{
	const struct kcache_entry *e = get("dentry");

	cr_assert_eq(e->flags, K_RECLAIM_ACCOUNT | K_PANIC | K_MEM_SPREAD | K_ACCOUNT);
	cr_assert_not(e->ctor);
	where_in(e, "fs/dcache.c");
}

/* fs/dcache.c vfs_caches_init: kmem_cache_create_usercopy("names_cache",
 * PATH_MAX, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, 0, PATH_MAX, NULL) */
Test(kcaches, names_cache_usercopy)
{
	const struct kcache_entry *e = get("names_cache");

	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_PANIC);
	cr_assert_not(e->ctor);
	where_in(e, "fs/dcache.c");
}

/* mm/rmap.c anon_vma_init: SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT, anon_vma_ctor;
 * and KMEM_CACHE(anon_vma_chain, SLAB_PANIC|SLAB_ACCOUNT) */
Test(kcaches, anon_vma)
{
	const struct kcache_entry *e = get("anon_vma");

	cr_assert_eq(e->flags, K_TYPESAFE_BY_RCU | K_PANIC | K_ACCOUNT);
	cr_assert(e->ctor);
	where_in(e, "mm/rmap.c");

	e = get("anon_vma_chain");
	cr_assert_eq(e->flags, K_PANIC | K_ACCOUNT);
	cr_assert_not(e->ctor);
}

/* mm/shmem.c shmem_init_inodecache: SLAB_PANIC|SLAB_ACCOUNT, shmem_init_inode */
Test(kcaches, shmem_inode_cache)
{
	const struct kcache_entry *e = get("shmem_inode_cache");

	cr_assert_eq(e->flags, K_PANIC | K_ACCOUNT);
	cr_assert(e->ctor);
	where_in(e, "mm/shmem.c");
}

/* drivers/acpi/osl.c acpi_os_create_cache: kmem_cache_create(name, size, 0, 0, NULL),
 * called by drivers/acpi/acpica/utalloc.c with "Acpi-State" */
Test(kcaches, wrapper_acpi_state)
{
	const struct kcache_entry *e = get("Acpi-State");

	cr_assert_eq(e->flags, 0u);
	cr_assert_not(e->ctor);
	cr_assert(e->flags_exact);
	where_in(e, "drivers/acpi/acpica/utalloc.c");
}

/* net/core/sock.c proto_register: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT | prot->slab_flags;
 * req_prot_init / tw_prot_init: SLAB_ACCOUNT | prot->slab_flags;
 * net/ipv4/tcp_ipv4.c tcp_prot: .slab_flags = SLAB_TYPESAFE_BY_RCU, rsk_prot and twsk_prot set */
Test(kcaches, proto_tcp)
{
	const struct kcache_entry *e = get("TCP");

	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_ACCOUNT | K_TYPESAFE_BY_RCU);
	cr_assert_not(e->ctor);
	where_in(e, "net/ipv4/tcp_ipv4.c");

	e = get("request_sock_TCP");
	cr_assert_eq(e->flags, K_ACCOUNT | K_TYPESAFE_BY_RCU);
	e = get("tw_sock_TCP");
	cr_assert_eq(e->flags, K_ACCOUNT | K_TYPESAFE_BY_RCU);

	/* net/unix/af_unix.c unix_stream_proto: no slab_flags */
	e = get("UNIX-STREAM");
	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_ACCOUNT);
}

Test(kcaches, unknown_names)
{
	cr_assert_null(kcache_lookup_6_1("no_such_cache"));
	cr_assert_null(kcache_lookup_6_1(NULL));
	cr_assert_null(kcache_lookup_6_1(""));
	cr_assert_null(kcache_lookup_6_1("kmalloc-64"));	/* boot caches are not in it */
	cr_assert_null(kcache_lookup_6_1("dentr"));
	cr_assert_null(kcache_lookup_6_1("dentry "));
	cr_assert_null(kcache_lookup_6_1("Dentry"));
}

Test(kcaches, table_sorted_and_every_entry_found)
{
	size_t n = kcache_count_6_1();

	cr_assert_gt(n, 400u);
	cr_assert_null(kcache_at_6_1(n));
	for (size_t i = 0; i < n; i++) {
		const struct kcache_entry *e = kcache_at_6_1(i);

		cr_assert_not_null(e);
		cr_assert_not_null(strchr(e->where, ':'), "%s: where %s", e->name, e->where);
		if (i > 0)
			cr_assert_lt(strcmp(kcache_at_6_1(i - 1)->name, e->name), 0,
				     "not sorted at %zu: %s", i, e->name);
		cr_assert_eq(kcache_lookup_6_1(e->name), e, "lookup(%s)", e->name);
	}
}
