/*
 * test_kmem_buckets_612.c - kmem_buckets_alloc (models/slab_common/entry.c) with 6.12's
 * CONFIG_SLAB_BUCKETS sets (models/slab_common/6.12/slab_common.c): memdup_user's and
 * alloc_msg's objects come from memdup_user-* / msg_msg-*, not kmalloc-*, and kfree finds
 * them; without buckets (6.1) the sets are NULL and it is kmalloc.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "../helpers.h"
#include "models/kernel.h"
#include "models/slub/slub_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void teardown(void)
{
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

TestSuite(kmem_buckets_612, .fini = teardown);

static struct sim_op last_op;	/* buckets_alloc's operation, ended */

static void *buckets_alloc(kmem_buckets *b, size_t size, gfp_t gfp)
{
	void *p;

	sim_engine_set_cpu(0);
	sim_op_begin(&last_op, SIM_OP_OBJ_ALLOC);
	p = kmem_buckets_alloc(b, size, gfp);
	sim_op_end(&last_op);
	return p;
}

Test(kmem_buckets_612, memdup_user_and_msg_msg_objects_live_in_their_buckets)
{
	struct kmem_cache *k8, *u8, *u16, *m64;
	void *a, *b, *c;

	kernel_version = KERNEL_6_12;
	sc = helper_slub_machine_up(2, 2, true);	/* Debian's config: slab buckets on */
	cr_assert(sc != NULL);
	cr_assert(user_buckets != NULL && msg_buckets != NULL);
	k8 = slab_find_cache("kmalloc-8");
	u8 = slab_find_cache("memdup_user-8");
	u16 = slab_find_cache("memdup_user-16");
	m64 = slab_find_cache("msg_msg-64");
	cr_assert(k8 && u8 && u16 && m64);

	/* strndup_user of "/dev" (5 bytes) and of "devtmpfs" (9): memdup_user-8, -16 */
	a = buckets_alloc(user_buckets, 5, GFP_USER | __GFP_NOWARN);
	b = buckets_alloc(user_buckets, 9, GFP_USER | __GFP_NOWARN);
	/* alloc_msg of a 10-byte message: 48 + 10 = 58 bytes, msg_msg-64 whatever the flags' type */
	c = buckets_alloc(msg_buckets, 58, GFP_KERNEL_ACCOUNT);
	cr_expect(eq(ptr, virt_to_slab(a)->slab_cache, u8));
	cr_expect(eq(ptr, virt_to_slab(b)->slab_cache, u16));
	cr_expect(eq(ptr, virt_to_slab(c)->slab_cache, m64));
	/* kfree finds the slab: each object goes back to its bucket cache's CPU freelist, so
	 * the next allocation of that bucket gets it again (and kmalloc-8 does not) */
	helper_slab_free(0, a);
	helper_slab_free(0, b);
	helper_slab_free(0, c);
	cr_expect(eq(ptr, buckets_alloc(user_buckets, 6, GFP_USER | __GFP_NOWARN), a));
	cr_expect(eq(ptr, buckets_alloc(msg_buckets, 60, GFP_KERNEL_ACCOUNT), c));
	cr_expect(ne(ptr, helper_slab_alloc(0, NULL, 6, GFP_KERNEL, NUMA_NO_NODE), a));
	cr_expect(slub_check(stderr), "slub_check");
}

Test(kmem_buckets_612, without_buckets_it_is_kmalloc)
{
	void *a;

	kernel_version = KERNEL_6_1;
	sc = helper_slub_machine_up(2, 2, true);
	cr_assert(sc != NULL);
	cr_expect(eq(ptr, (void *)user_buckets, NULL));
	cr_expect(eq(ptr, (void *)msg_buckets, NULL));
	a = buckets_alloc(user_buckets, 5, GFP_USER | __GFP_NOWARN);
	cr_expect(eq(ptr, virt_to_slab(a)->slab_cache, slab_find_cache("kmalloc-8")));
	helper_slab_free(0, a);
}

/*
 * __do_kmalloc_node (6.12 mm/slub.c:4353): only a size over KMALLOC_MAX_CACHE_SIZE (8 KiB,
 * 1 << (PAGE_SHIFT + 1)) leaves the bucket for the page allocator; 8 KiB itself is the
 * bucket's last cache, memdup_user-8k (kmalloc_index 13), and 8 KiB + 1 a page allocation of order 2 (get_order).
 */
Test(kmem_buckets_612, the_largest_bucket_is_8k)
{
	struct kmem_cache *u8k;
	void *a, *b;

	kernel_version = KERNEL_6_12;
	sc = helper_slub_machine_up(2, 2, true);
	cr_assert(sc != NULL);
	u8k = slab_find_cache("memdup_user-8k");
	cr_assert(u8k != NULL);
	cr_expect(eq(ptr, (*user_buckets)[13], u8k));
	a = buckets_alloc(user_buckets, 8192, GFP_USER | __GFP_NOWARN);
	cr_assert(a != NULL);
	cr_expect(PageSlab(virt_to_head_page(a)));
	cr_expect(eq(ptr, virt_to_slab(a)->slab_cache, u8k));
	cr_expect(helper_slab_op_has_label(&last_op, "kmem_buckets_alloc"), "the bucket's path");
	b = buckets_alloc(user_buckets, 8193, GFP_USER | __GFP_NOWARN);
	cr_assert(b != NULL);
	cr_expect(not(PageSlab(virt_to_head_page(b))), "a large kmalloc");
	cr_expect(helper_slab_op_has_label(&last_op, "__kmalloc_large_node"));
	cr_expect(not(helper_slab_op_has_label(&last_op, "kmem_buckets_alloc")));
	cr_expect(eq(uint, virt_to_head_page(b)->order, 2));
	helper_slab_free(0, a);
	helper_slab_free(0, b);
}
