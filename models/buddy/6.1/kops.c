/*
 * 6.1/kops.c - the buddy model's functions that are Linux 6.1.192's own
 * (mm/page_alloc.c): this folder's files are included here, so their
 * functions stay static under the kernel's names, and gathered in
 * buddy_kops_6_1 (struct buddy_kops, ../buddy_int.h).
 */
#include "../buddy_int.h"

#include "page_alloc.c"
#include "pcp.c"
#include "rmqueue.c"
#include "free.c"

const struct buddy_kops buddy_kops_6_1 = {
	.zone_set_pageset_high_and_batch = zone_set_pageset_high_and_batch,
	.zone_pageset_override = zone_pageset_override,
	.rmqueue_pcplist = rmqueue_pcplist,
	.free_unref_page_commit = free_unref_page_commit,
	.free_pcppages_bulk = free_pcppages_bulk,
	.decay_pcp_high = NULL,		/* 6.1's high is fixed */
	.__free_one_page = __free_one_page,
	.get_page_from_freelist = get_page_from_freelist,
	.free_one_page = free_one_page,
	.__free_pages_ok = __free_pages_ok,
	.__rmqueue = __rmqueue,
	.rmqueue_buddy = rmqueue_buddy,
	.reserve_highatomic_pageblock = reserve_highatomic_pageblock,
	.unreserve_highatomic_pageblock = unreserve_highatomic_pageblock,
	.__setup_per_zone_wmarks = __setup_per_zone_wmarks,
	.__zone_watermark_unusable_free = __zone_watermark_unusable_free,
	.account_freepages = false,
	.pcp_thp_pmd_order = false,	/* pageblock_order */
	.vmstat_text = NULL,
	.nr_vmstat_text = NR_VMSTAT_LINES,
};
