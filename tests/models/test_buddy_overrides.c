/*
 * test_buddy_overrides.c - a configuration's watermark and pcp overrides applied after
 * boot (models/buddy/init.c buddy_apply_overrides, not a kernel function: what a capture's
 * zoneinfo says, written as if the sysctls had produced it), suite `buddy_overrides`: each
 * value given replaces the computed one and each one left 0 keeps it; WMARK_PROMO follows
 * as __setup_per_zone_wmarks (6.1 mm/page_alloc.c) places it, high + (high - low); and
 * calculate_totalreserve_pages runs again on the new watermarks.
 *
 * Strategy: the same one-node machine (DMA 16, DMA32 256, Normal 256 MiB, two vCPUs)
 * booted twice, without and with overrides, one kind of override per zone; the first
 * boot gives the computed values the second must keep.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *new_machine(void)
{
	struct sim_scenario *s = calloc(1, sizeof(*s));

	cr_assert(ne(ptr, (void *)s, NULL));
	sim_scenario_default(s);
	s->nr_nodes = 1;
	memset(&s->node[0], 0, sizeof(s->node[0]));
	s->node[0].nr_cpus = 2;
	s->node[0].zone_mib[ZONE_DMA] = 16;
	s->node[0].zone_mib[ZONE_DMA32] = 256;
	s->node[0].zone_mib[ZONE_NORMAL] = 256;
	return s;
}

struct snap {
	struct buddy_zone_info zi[MAX_NR_ZONES];
	struct buddy_pcp_info pi[MAX_NR_ZONES];
};

static void snap(struct snap *s)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		buddy_zone_info(0, zid, &s->zi[zid]);
		buddy_pcp_info(0, zid, 1, &s->pi[zid]);
	}
}

/* calculate_totalreserve_pages (6.1), by hand from the zones' reserves and high marks */
static unsigned long totalreserve_by_hand(void)
{
	unsigned long all = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &NODE_DATA(0)->node_zones[i];
		long max = 0;

		for (int j = i; j < MAX_NR_ZONES; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += (long)high_wmark_pages(z);
		if ((unsigned long)max > z->managed_pages)
			max = (long)z->managed_pages;
		all += (unsigned long)max;
	}
	return all;
}

/*
 * DMA: only min given (low and high keep theirs, promo from them); DMA32: only high (+1000);
 * Normal: only the pcp high on every CPU (batch kept); no watermark of Normal changes.
 */
Test(buddy_overrides, each_given_value_replaces_and_each_zero_keeps)
{
	struct sim_scenario *s = new_machine();
	struct snap a, b;
	unsigned long reserve_before;

	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s), NULL));
	snap(&a);
	reserve_before = totalreserve_pages;
	helper_buddy_machine_down(s);

	s = new_machine();
	s->node[0].wmark_min[ZONE_DMA] = a.zi[ZONE_DMA].wmark_min + 3;
	s->node[0].wmark_high[ZONE_DMA32] = a.zi[ZONE_DMA32].wmark_high + 1000;
	s->node[0].pcp_high[ZONE_NORMAL] = (uint32_t)a.pi[ZONE_NORMAL].high + 100;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s), NULL));
	snap(&b);

	cr_expect(eq(u64, b.zi[ZONE_DMA].wmark_min, a.zi[ZONE_DMA].wmark_min + 3));
	cr_expect(eq(u64, b.zi[ZONE_DMA].wmark_low, a.zi[ZONE_DMA].wmark_low));
	cr_expect(eq(u64, b.zi[ZONE_DMA].wmark_high, a.zi[ZONE_DMA].wmark_high));
	cr_expect(eq(u64, b.zi[ZONE_DMA].wmark_promo, 2 * a.zi[ZONE_DMA].wmark_high - a.zi[ZONE_DMA].wmark_low));

	cr_expect(eq(u64, b.zi[ZONE_DMA32].wmark_min, a.zi[ZONE_DMA32].wmark_min));
	cr_expect(eq(u64, b.zi[ZONE_DMA32].wmark_low, a.zi[ZONE_DMA32].wmark_low));
	cr_expect(eq(u64, b.zi[ZONE_DMA32].wmark_high, a.zi[ZONE_DMA32].wmark_high + 1000));
	cr_expect(eq(u64, b.zi[ZONE_DMA32].wmark_promo,
		     2 * (a.zi[ZONE_DMA32].wmark_high + 1000) - a.zi[ZONE_DMA32].wmark_low));

	cr_expect(eq(u64, b.zi[ZONE_NORMAL].wmark_min, a.zi[ZONE_NORMAL].wmark_min));
	cr_expect(eq(u64, b.zi[ZONE_NORMAL].wmark_high, a.zi[ZONE_NORMAL].wmark_high));
	cr_expect(eq(u64, b.zi[ZONE_NORMAL].wmark_promo, a.zi[ZONE_NORMAL].wmark_promo));
	for (int cpu = 0; cpu < 2; cpu++) {
		struct buddy_pcp_info pi;

		buddy_pcp_info(0, ZONE_NORMAL, cpu, &pi);
		cr_expect(eq(int, pi.high, a.pi[ZONE_NORMAL].high + 100), "cpu %d", cpu);
		cr_expect(eq(int, pi.batch, a.pi[ZONE_NORMAL].batch), "cpu %d", cpu);
		buddy_pcp_info(0, ZONE_DMA32, cpu, &pi);
		cr_expect(eq(int, pi.high, a.pi[ZONE_DMA32].high), "cpu %d", cpu);
		cr_expect(eq(int, pi.batch, a.pi[ZONE_DMA32].batch), "cpu %d", cpu);
	}

	/* the reserve follows the new high marks (DMA32's rose by 1000) */
	cr_expect(eq(u64, totalreserve_pages, totalreserve_by_hand()));
	cr_expect(lt(u64, reserve_before, totalreserve_pages));
	helper_buddy_machine_down(s);
}

/* Only a pcp batch given (DMA32, 7): the batch replaced on every CPU, the high kept. */
Test(buddy_overrides, a_batch_alone_replaces_the_batch)
{
	struct sim_scenario *s = new_machine();
	struct snap a;

	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s), NULL));
	snap(&a);
	helper_buddy_machine_down(s);

	s = new_machine();
	s->node[0].pcp_batch[ZONE_DMA32] = 7;
	cr_assert(ne(ptr, (void *)helper_buddy_machine_up_sc(s), NULL));
	for (int cpu = 0; cpu < 2; cpu++) {
		struct buddy_pcp_info pi;

		buddy_pcp_info(0, ZONE_DMA32, cpu, &pi);
		cr_expect(eq(int, pi.batch, 7), "cpu %d", cpu);
		cr_expect(eq(int, pi.high, a.pi[ZONE_DMA32].high), "cpu %d", cpu);
	}
	helper_buddy_machine_down(s);
}
