/*
 * test_kcaches_6_12.c - the generated catalogue of Linux 6.12's named slab caches
 * (traces/kcaches_6_12.c, tools/gen-cache-catalogue on Debian's linux-source-6.12) against
 * the source read by hand, and the choice of catalogue by kernel (kcache_lookup_kernel).
 * 6.12 numbers its SLAB_* flags by an enum; the catalogue keeps 6.1's values.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "traces/kcaches.h"

#define K_HWCACHE_ALIGN		0x00002000u
#define K_RECLAIM_ACCOUNT	0x00020000u
#define K_PANIC			0x00040000u
#define K_TYPESAFE_BY_RCU	0x00080000u
#define K_ACCOUNT		0x04000000u

static const struct kcache_entry *get(const char *name)
{
	const struct kcache_entry *e = kcache_lookup_6_12(name);

	cr_assert_not_null(e, "%s is not in the 6.12 catalogue", name);
	cr_assert_str_eq(e->name, name);
	return e;
}

Test(kcaches_6_12, known_caches)
{
	const struct kcache_entry *e;

	/* fs/dcache.c dcache_init: KMEM_CACHE_USERCOPY(dentry, SLAB_RECLAIM_ACCOUNT | SLAB_PANIC |
	 * SLAB_ACCOUNT, d_shortname) */
	e = get("dentry");
	cr_assert_eq(e->flags, K_RECLAIM_ACCOUNT | K_PANIC | K_ACCOUNT, "dentry: %#x", e->flags);
	cr_assert(e->flags_exact);
	cr_assert(strstr(e->where, "fs/dcache.c"));
	/* net/core/skbuff.c skb_init (new since 6.1): skbuff_small_head, SLAB_HWCACHE_ALIGN | SLAB_PANIC */
	e = get("skbuff_small_head");
	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_PANIC, "skbuff_small_head: %#x", e->flags);
	/* fs/file_table.c files_init: 6.12's kmem_cache_create(name, size, &args, flags) */
	e = get("filp");
	cr_assert_eq(e->flags, K_HWCACHE_ALIGN | K_PANIC | K_ACCOUNT | K_TYPESAFE_BY_RCU, "filp: %#x", e->flags);
	cr_assert_not(e->ctor);
	/* proto_register of tcpv6_prot: tw_sock_TCPv6, SLAB_ACCOUNT | SLAB_TYPESAFE_BY_RCU */
	e = get("tw_sock_TCPv6");
	cr_assert_eq(e->flags, K_ACCOUNT | K_TYPESAFE_BY_RCU, "tw_sock_TCPv6: %#x", e->flags);
}

Test(kcaches_6_12, by_kernel)
{
	/* skbuff_small_head came after 6.1 */
	cr_assert_null(kcache_lookup_kernel("6.1", "skbuff_small_head"));
	cr_assert_not_null(kcache_lookup_kernel("6.12", "skbuff_small_head"));
	cr_assert_eq(kcache_lookup_kernel("6.12", "dentry"), kcache_lookup_6_12("dentry"));
	cr_assert_eq(kcache_lookup_kernel("6.1", "dentry"), kcache_lookup_6_1("dentry"));
	cr_assert_eq(kcache_lookup_kernel(NULL, "dentry"), kcache_lookup_6_1("dentry"));
	/* boot caches and run-time names are in neither */
	cr_assert_null(kcache_lookup_6_12("kmalloc-64"));
	cr_assert_null(kcache_lookup_6_12("memdup_user-64"));
	cr_assert_null(kcache_lookup_6_12(NULL));
}

Test(kcaches_6_12, table_sorted_and_every_entry_found)
{
	size_t n = kcache_count_6_12();

	cr_assert_gt(n, 500u);
	for (size_t i = 0; i < n; i++) {
		const struct kcache_entry *e = kcache_at_6_12(i);

		cr_assert_not_null(e);
		if (i)
			cr_assert_lt(strcmp(kcache_at_6_12(i - 1)->name, e->name), 0, "%s", e->name);
		cr_assert_eq(kcache_lookup_6_12(e->name), e);
	}
	cr_assert_null(kcache_at_6_12(n));
}
