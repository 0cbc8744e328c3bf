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

/* What a row asserts beyond name and flags: only what the kernel source
 * read by hand pins down. */
enum {
	CTOR		= 1 << 0,	/* e->ctor set */
	NO_CTOR		= 1 << 1,	/* e->ctor not set */
	EXACT		= 1 << 2,	/* e->flags_exact */
	ALIGN_0		= 1 << 3,	/* e->align == 0 */
	SIZE_0		= 1 << 4,	/* e->size == 0: sizeof(struct ...) */
};

static const struct {
	const char *name;
	unsigned int flags;
	unsigned int check;
	const char *where;	/* NULL: not checked */
} known[] = {
	/* lib/radix-tree.c radix_tree_init: SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, radix_tree_node_ctor */
	{ "radix_tree_node", K_PANIC | K_RECLAIM_ACCOUNT,
	  CTOR | EXACT | ALIGN_0, "lib/radix-tree.c" },
	/* net/socket.c init_inodecache: (SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT |
	 * SLAB_MEM_SPREAD | SLAB_ACCOUNT), init_once */
	{ "sock_inode_cache", K_HWCACHE_ALIGN | K_RECLAIM_ACCOUNT | K_MEM_SPREAD | K_ACCOUNT,
	  CTOR | EXACT, "net/socket.c" },
	/* kernel/fork.c proc_caches_init: KMEM_CACHE(vm_area_struct, SLAB_PANIC|SLAB_ACCOUNT) */
	{ "vm_area_struct", K_PANIC | K_ACCOUNT, NO_CTOR | SIZE_0, "kernel/fork.c" },
	/* fs/file_table.c files_init: SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL */
	{ "filp", K_HWCACHE_ALIGN | K_PANIC | K_ACCOUNT, NO_CTOR, "fs/file_table.c" },
	/* fs/dcache.c dcache_init: KMEM_CACHE_USERCOPY(dentry,
	 * SLAB_RECLAIM_ACCOUNT|SLAB_PANIC|SLAB_MEM_SPREAD|SLAB_ACCOUNT, d_iname) */
	{ "dentry", K_RECLAIM_ACCOUNT | K_PANIC | K_MEM_SPREAD | K_ACCOUNT,
	  NO_CTOR, "fs/dcache.c" },
	/* fs/dcache.c vfs_caches_init: kmem_cache_create_usercopy("names_cache",
	 * PATH_MAX, 0, SLAB_HWCACHE_ALIGN|SLAB_PANIC, 0, PATH_MAX, NULL) */
	{ "names_cache", K_HWCACHE_ALIGN | K_PANIC, NO_CTOR, "fs/dcache.c" },
	/* mm/rmap.c anon_vma_init: SLAB_TYPESAFE_BY_RCU|SLAB_PANIC|SLAB_ACCOUNT, anon_vma_ctor;
	 * and KMEM_CACHE(anon_vma_chain, SLAB_PANIC|SLAB_ACCOUNT) */
	{ "anon_vma", K_TYPESAFE_BY_RCU | K_PANIC | K_ACCOUNT, CTOR, "mm/rmap.c" },
	{ "anon_vma_chain", K_PANIC | K_ACCOUNT, NO_CTOR, NULL },
	/* mm/shmem.c shmem_init_inodecache: SLAB_PANIC|SLAB_ACCOUNT, shmem_init_inode */
	{ "shmem_inode_cache", K_PANIC | K_ACCOUNT, CTOR, "mm/shmem.c" },
	/* drivers/acpi/osl.c acpi_os_create_cache: kmem_cache_create(name, size, 0, 0, NULL),
	 * called by drivers/acpi/acpica/utalloc.c with "Acpi-State" */
	{ "Acpi-State", 0, NO_CTOR | EXACT, "drivers/acpi/acpica/utalloc.c" },
	/* net/core/sock.c proto_register: SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT | prot->slab_flags;
	 * req_prot_init / tw_prot_init: SLAB_ACCOUNT | prot->slab_flags;
	 * net/ipv4/tcp_ipv4.c tcp_prot: .slab_flags = SLAB_TYPESAFE_BY_RCU, rsk_prot and twsk_prot set */
	{ "TCP", K_HWCACHE_ALIGN | K_ACCOUNT | K_TYPESAFE_BY_RCU, NO_CTOR, "net/ipv4/tcp_ipv4.c" },
	{ "request_sock_TCP", K_ACCOUNT | K_TYPESAFE_BY_RCU, 0, NULL },
	{ "tw_sock_TCP", K_ACCOUNT | K_TYPESAFE_BY_RCU, 0, NULL },
	/* net/unix/af_unix.c unix_stream_proto: no slab_flags */
	{ "UNIX-STREAM", K_HWCACHE_ALIGN | K_ACCOUNT, 0, NULL },
};

Test(kcaches, known_caches)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const struct kcache_entry *e = get(known[i].name);
		unsigned int check = known[i].check;

		cr_assert_eq(e->flags, known[i].flags, "%s: flags %#x", e->name, e->flags);
		if (check & CTOR)
			cr_assert(e->ctor, "%s: no ctor", e->name);
		if (check & NO_CTOR)
			cr_assert_not(e->ctor, "%s: ctor", e->name);
		if (check & EXACT)
			cr_assert(e->flags_exact, "%s: flags not exact", e->name);
		if (check & ALIGN_0)
			cr_assert_eq(e->align, 0u, "%s: align %u", e->name, e->align);
		if (check & SIZE_0)
			cr_assert_eq(e->size, 0u, "%s: size %u", e->name, e->size);
		if (known[i].where)
			where_in(e, known[i].where);
	}
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
