/*
 * test_slub_calc_rules.c - calculate_sizes and calculate_order (mm/slub.c) pinned where the
 * geometry tables do not reach, suite `slub_calc_rules`, under 6.1 and 6.12:
 *
 *  - calculate_sizes recomputes the layout from the flags of each call.  kmem_cache_open calls
 *    it a second time when disable_higher_order_debug drops DEBUG_METADATA_FLAGS (6.1 line
 *    4348): the poison flag and the allocation flags of the first call must not survive
 *    (s->flags &= ~__OBJECT_POISON, line 4220; s->allocflags = 0, line 4311).
 *  - calculate_order (6.1) tries min_objects from the boot parameter down to 2 only
 *    (while (min_objects > 1), line 4006); one object per slab takes the first order that
 *    holds it, whatever its waste (calc_slab_order(size, 1, slub_max_order, 1), line 4023).
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <string.h>

#include "../helpers.h"
#include "models/slub/slub_int.h"
#include "sim/scenario/scenario.h"

#define DEBUG_META (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

static void open_plain(struct kmem_cache *s, const char *name, unsigned int size, slab_flags_t flags)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->object_size = s->size = size;
	s->align = 8;
	cr_assert(eq(int, slub_open_geometry(s, flags), 1), "%s", name);
}

/*
 * 4096-byte objects with red zone, poison and tracks: the first call sets __OBJECT_POISON and
 * grows the object past a page (get_order(size) 1 > get_order(4096) 0, the kernel's test for
 * the second call).  With the metadata flags gone the second call lays out a bare 4096-byte
 * object (offset ALIGN_DOWN(4096 / 2, 8) = 2048) and clears __OBJECT_POISON.
 */
static void poison_cleared_on_rerun(enum kernel_version v)
{
	struct sim_scenario *sc;
	struct kmem_cache s;

	kernel_version = v;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	open_plain(&s, "dbg4k", 4096, DEBUG_META);
	cr_expect(ne(u32, s.flags & __OBJECT_POISON, 0));
	cr_expect(lt(u32, 4096u, s.size), "the metadata grows the object");
	cr_expect(eq(u32, s.red_left_pad, 8));

	s.flags &= ~DEBUG_META;			/* kmem_cache_open, disable_higher_order_debug */
	s.offset = 0;
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.flags & __OBJECT_POISON, 0), "no SLAB_POISON: no object poisoning");
	cr_expect(eq(u32, s.size, 4096));
	cr_expect(eq(u32, s.inuse, 4096));
	cr_expect(eq(u32, s.offset, 2048));
	cr_expect(eq(u32, s.red_left_pad, 0));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_calc_rules, poison_cleared_on_rerun_6_1) { poison_cleared_on_rerun(KERNEL_6_1); }
Test(slub_calc_rules, poison_cleared_on_rerun_6_12) { poison_cleared_on_rerun(KERNEL_6_12); }

/*
 * allocflags are rebuilt from 0 on each call: a 496-byte reclaimable cache on 1 CPU
 * (min_objects 4 * (fls(1) + 1) = 8) with the debug metadata (red zone word 8, free pointer
 * 8, two tracks, padding 8, left red zone 8: 592 bytes) needs order 1 (8 * 592 > 4096;
 * 8192 % 592 = 496 <= 8192 / 16); a second call without the metadata and without
 * SLAB_RECLAIM_ACCOUNT fits 8 * 496 in order 0 (4096 % 496 = 128 <= 4096 / 16): 6.1 gives
 * it no __GFP_COMP and no __GFP_RECLAIMABLE.  6.12 makes every slab a folio (__GFP_COMP).
 */
static void allocflags_rebuilt(enum kernel_version v)
{
	struct sim_scenario *sc;
	struct kmem_cache s;
	gfp_t comp = v == KERNEL_6_12 ? __GFP_COMP : 0;

	kernel_version = v;
	sc = helper_slub_engine_up(1);
	cr_assert(sc != NULL);
	open_plain(&s, "rcl496", 496, DEBUG_META | SLAB_RECLAIM_ACCOUNT);
	cr_expect(eq(u32, s.size, 592));
	cr_expect(eq(u32, oo_order(s.oo), 1));
	cr_expect(eq(u32, s.allocflags, __GFP_COMP | __GFP_RECLAIMABLE));

	s.flags &= ~(DEBUG_META | SLAB_RECLAIM_ACCOUNT);
	cr_assert(eq(int, KOPS(slub_geometry)->calculate_sizes(&s), 1));
	cr_expect(eq(u32, s.size, 496));
	cr_expect(eq(u32, oo_order(s.oo), 0));
	cr_expect(eq(u32, oo_objects(s.oo), 8));
	cr_expect(eq(u32, s.allocflags, comp));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_calc_rules, allocflags_rebuilt_6_1) { allocflags_rebuilt(KERNEL_6_1); }
Test(slub_calc_rules, allocflags_rebuilt_6_12) { allocflags_rebuilt(KERNEL_6_12); }

/* A plain order-0 cache has no allocation flags at all in 6.1 (allocflags = 0, no bit added). */
Test(slub_calc_rules, plain_order0_has_no_allocflags_6_1)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	open_plain(&s, "plain64", 64, 0);
	cr_expect(eq(u32, oo_order(s.oo), 0));
	cr_expect(eq(u32, s.allocflags, 0));
	open_plain(&s, "dma64", 64, SLAB_CACHE_DMA);
	cr_expect(eq(u32, s.allocflags, GFP_DMA));
	helper_slab_machine_down(sc);
}

/*
 * calculate_order (6.1) with slub_min_objects= given, 3000-byte objects, slub_max_order 3:
 *   min_objects 2: first order get_order(6000) = 1; 1/16: 8192 % 3000 = 2192 > 512,
 *     16384 % 3000 = 1384 > 1024, 32768 % 3000 = 2768 > 2048; 1/8: 2192 > 1024, then
 *     1384 <= 2048: order 2.
 *   min_objects 1: the loop does not run; one object per slab takes get_order(3000) = 0
 *     although 4096 % 3000 = 1096 wastes more than a quarter (order 2 would waste less).
 */
Test(slub_calc_rules, min_objects_loop_stops_at_two_6_1)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct slub_params p;

	cr_assert(sc != NULL);
	slub_params_default(&p);
	p.min_objects = 2;
	slub_set_params(&p);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(3000), 2));
	p.min_objects = 1;
	slub_set_params(&p);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(3000), 0));
	slub_params_default(&p);
	slub_set_params(&p);
	helper_slab_machine_down(sc);
}

/*
 * Objects above what slub_max_order (3) holds: one object per slab at get_order(size) while
 * that is a buddy order, else no cache.  6.1 (calculate_order's last two calc_slab_order calls,
 * fraction 1: the first order holding the object; "order < MAX_ORDER", MAX_ORDER 11) and 6.12
 * ("get_order(size) <= MAX_PAGE_ORDER", 10) agree: 100000 bytes order 5 (131072), 4 MiB order
 * 10, one word more order 11: none.
 */
static void oversized_objects(enum kernel_version v)
{
	struct sim_scenario *sc;

	kernel_version = v;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(65536), 4));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(100000), 5));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order(4u << 20), 10));
	cr_expect(eq(int, KOPS(slub_geometry)->calculate_order((4u << 20) + 8), -1));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_calc_rules, oversized_objects_6_1) { oversized_objects(KERNEL_6_1); }
Test(slub_calc_rules, oversized_objects_6_12) { oversized_objects(KERNEL_6_12); }

/*
 * kmem_cache_open: min_partial = ilog2(size) / 2, at least MIN_PARTIAL 5, at most MAX_PARTIAL
 * 10: 64 KiB objects 16 / 2 = 8; 1 MiB 20 / 2 = 10; 4 MiB 22 / 2 = 11, kept to 10.
 */
Test(slub_calc_rules, min_partial_of_large_objects)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct kmem_cache s;

	cr_assert(sc != NULL);
	open_plain(&s, "obj64k", 65536, 0);
	cr_expect(eq(ulong, s.min_partial, 8));
	open_plain(&s, "obj1m", 1u << 20, 0);
	cr_expect(eq(ulong, s.min_partial, 10));
	open_plain(&s, "obj4m", 4u << 20, 0);
	cr_expect(eq(ulong, s.min_partial, 10));
	cr_expect(eq(u32, oo_order(s.oo), 10));
	cr_expect(eq(u32, s.cpu_partial, 6), "size >= PAGE_SIZE: 6 objects");
	cr_expect(eq(u32, s.cpu_partial_slabs, 12), "DIV_ROUND_UP(12, 1)");
	helper_slab_machine_down(sc);
}

/* setup_slub_max_order: slub_max_order=N is taken up to MAX_ORDER - 1 (10): 9 stays 9, 10 stays
 * 10, 11 becomes 10. */
Test(slub_calc_rules, slub_max_order_is_kept_below_max_order)
{
	struct sim_scenario *sc = helper_slub_engine_up(4);
	struct slub_params p;

	cr_assert(sc != NULL);
	slub_params_default(&p);
	p.max_order = 9;
	slub_set_params(&p);
	cr_expect(eq(u32, slub_max_order, 9));
	p.max_order = 10;
	slub_set_params(&p);
	cr_expect(eq(u32, slub_max_order, 10));
	p.max_order = 11;
	slub_set_params(&p);
	cr_expect(eq(u32, slub_max_order, 10));
	slub_params_default(&p);
	slub_set_params(&p);
	helper_slab_machine_down(sc);
}

/*
 * The boot parameters before any is given (a fresh process): Debian 6.1's defaults, what
 * slub_params_default fills in: slub_min_order=0, slub_max_order=3 (PAGE_ALLOC_COSTLY_ORDER),
 * slub_min_objects=0 (computed from the CPUs), freelist randomisation, hardening and CPU
 * partial lists on, no slub_debug.
 */
Test(slub_calc_rules, boot_parameters_start_at_the_defaults)
{
	cr_expect(eq(u32, slub_params.min_order, 0));
	cr_expect(eq(u32, slub_params.max_order, PAGE_ALLOC_COSTLY_ORDER));
	cr_expect(eq(u32, slub_params.min_objects, 0));
	cr_expect(slub_params.freelist_random);
	cr_expect(slub_params.freelist_hardened);
	cr_expect(slub_params.cpu_partial);
	cr_expect(eq(u32, slub_params.debug, 0));
	cr_expect(eq(u32, slub_min_order, 0));
	cr_expect(eq(u32, slub_max_order, PAGE_ALLOC_COSTLY_ORDER));
	cr_expect(eq(u32, slub_min_objects, 0));
}

/*
 * calculate_sizes (mm/slub.c, 6.1 and 6.12) with SLAB_STORE_USER adds the two tracks
 * (2 * sizeof(struct track), 32 bytes each) and, for a kmalloc cache (SLAB_KMALLOC), the
 * original request size (sizeof(unsigned int)) after them; then the size is aligned (8).
 * A 64-byte cache: 64 + 64 = 128 bytes; as a kmalloc cache 64 + 64 + 4 = 132, aligned 136.
 * Neither moves the free pointer (no red zone: mid-object, ALIGN_DOWN(64 / 2, 8) = 32).
 */
static void store_user_adds_tracks_and_kmalloc_size(enum kernel_version v)
{
	struct sim_scenario *sc;
	struct kmem_cache s;

	kernel_version = v;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	open_plain(&s, "u64", 64, SLAB_STORE_USER);
	cr_expect(eq(u32, s.size, 128));
	cr_expect(eq(u32, s.offset, 32));
	open_plain(&s, "ku64", 64, SLAB_STORE_USER | SLAB_KMALLOC);
	cr_expect(eq(u32, s.size, 136));
	cr_expect(eq(u32, s.offset, 32));
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_calc_rules, store_user_adds_tracks_and_kmalloc_size_6_1) { store_user_adds_tracks_and_kmalloc_size(KERNEL_6_1); }
Test(slub_calc_rules, store_user_adds_tracks_and_kmalloc_size_6_12) { store_user_adds_tracks_and_kmalloc_size(KERNEL_6_12); }

/*
 * Where a red-zoned object's free pointer goes (calculate_sizes): after the object when it is
 * smaller than a pointer, else mid-object; 6.12 also puts it after a kmalloc object whose
 * original size is stored (slub_debug_orig_size: SLAB_STORE_USER and SLAB_KMALLOC, 6.12
 * mm/slub.c line 5440), since that object is red-zoned from its requested size on.  64 bytes,
 * SLAB_RED_ZONE: the object fills its last word, so a word is added (72), the pointer at 32.
 * With SLAB_STORE_USER | SLAB_KMALLOC too: 6.1 keeps it at 32, 6.12 puts it at 72.
 */
static void red_zone_free_pointer_placement(enum kernel_version v)
{
	struct sim_scenario *sc;
	struct kmem_cache s;

	kernel_version = v;
	sc = helper_slub_engine_up(4);
	cr_assert(sc != NULL);
	open_plain(&s, "rz64", 64, SLAB_RED_ZONE);
	cr_expect(eq(u32, s.inuse, 72));
	cr_expect(eq(u32, s.offset, 32));
	open_plain(&s, "rzku64", 64, SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_KMALLOC);
	cr_expect(eq(u32, s.inuse, 72));
	cr_expect(eq(u32, s.offset, v == KERNEL_6_1 ? 32 : 72));
	open_plain(&s, "rz4", 4, SLAB_RED_ZONE);
	cr_expect(eq(u32, s.offset, 8), "under a word: after the object (8 with its word)");
	helper_slab_machine_down(sc);
	kernel_version = KERNEL_6_1;
}

Test(slub_calc_rules, red_zone_free_pointer_placement_6_1) { red_zone_free_pointer_placement(KERNEL_6_1); }
Test(slub_calc_rules, red_zone_free_pointer_placement_6_12) { red_zone_free_pointer_placement(KERNEL_6_12); }
