/*
 * test_buddy_oom_badness.c - the OOM killer's choice, kill after kill (models/buddy/oom_kill.c
 * against mm/oom_kill.c of Linux 6.1), suite `models/buddy_oom_badness`: oom_badness =
 * rss + oom_score_adj * (totalram_pages / 1000), OOM_SCORE_ADJ_MIN and a task already killed
 * never chosen (LONG_MIN), and select_bad_process keeping the highest score from LONG_MIN up
 * (line 368: chosen_points = LONG_MIN, so a negative score is still a victim), a tie to the
 * later task (oom_evaluate_task: points < chosen_points is skipped).
 *
 * Strategy: a 64 MiB DMA32 zone on one vCPU, tasks of a few anonymous pages with crafted
 * oom_score_adj; out_of_memory is called until no task is left to kill, and each victim and its
 * points are checked against the reference choice.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <limits.h>
#include <stdlib.h>

#include "../helpers.h"
#include "models/buddy/buddy.h"
#include "models/buddy/buddy_int.h"
#include "sim/engine/engine.h"
#include "sim/scenario/scenario.h"

static struct sim_scenario *sc;

static void down(void)
{
	helper_buddy_machine_down(sc);
	sc = NULL;
}

#define NR_TASKS 7

Test(buddy_oom_badness, victims_in_order_of_badness_down_to_negative_scores, .fini = down)
{
	/* rss pages, oom_score_adj */
	static const long t[NR_TASKS][2] = {
		{ 10, -500 }, { 20, -400 }, { 5, -1000 }, { 30, -400 }, { 0, -1 }, { 40, 0 }, { 30, -400 },
	};
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };
	struct mm_struct *mm[NR_TASKS];
	bool killed[NR_TASKS] = { false };
	long unit;

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	unit = (long)(NODE_DATA(0)->node_zones[ZONE_DMA32].managed_pages / 1000);	/* totalram_pages / 1000 */
	cr_assert(lt(i64, 10, unit));
	for (int i = 0; i < NR_TASKS; i++) {
		mm[i] = mm_create(100 + i, "t");
		cr_assert(ne(ptr, (void *)mm[i], NULL));
		for (long p = 0; p < t[i][0]; p++)
			cr_assert(ne(ptr, (void *)do_anonymous_page(mm[i], 0), NULL));
		mm[i]->oom_score_adj = (short)t[i][1];
	}
	for (int round = 0;; round++) {
		/* the request, as __alloc_pages_may_oom passes it: order and gfp_mask land in the record */
		struct oom_control oc = { .gfp_mask = round % 2 ? GFP_KERNEL : GFP_HIGHUSER_MOVABLE, .order = round % 4 };
		long best = LONG_MIN;
		int want = -1, before = oom_kill_nr_records();
		bool ret;

		for (int i = 0; i < NR_TASKS; i++) {
			long points = t[i][0] + t[i][1] * unit;

			if (killed[i] || t[i][1] == -1000)
				continue;
			if (points >= best) {
				best = points;
				want = i;
			}
		}
		ret = out_of_memory(&oc);
		if (want < 0) {
			cr_assert(not(ret), "round %d: nobody left to kill", round);
			cr_assert(eq(int, oom_kill_nr_records(), before));
			cr_assert(eq(int, round, NR_TASKS - 1), "every task but the -1000 one was killed");
			break;
		}
		cr_assert(ret, "round %d", round);
		cr_assert(eq(int, oom_kill_nr_records(), before + 1), "round %d", round);
		cr_assert(eq(int, oom_kill_record(before)->pid, 100 + want), "round %d", round);
		cr_assert(eq(i64, oom_kill_record(before)->points, best), "round %d", round);
		cr_assert(eq(u64, oom_kill_record(before)->freed_pages, (uint64_t)t[want][0]), "round %d", round);
		cr_assert(eq(int, oom_kill_record(before)->order, round % 4), "round %d", round);
		cr_assert(eq(u32, oom_kill_record(before)->gfp_mask, oc.gfp_mask), "round %d", round);
		cr_assert(eq(int, oom_kill_record(before)->oom_score_adj, (int)t[want][1]), "round %d", round);
		cr_assert(eq(u64, oom_kill_record(before)->anon_rss_kb, (uint64_t)t[want][0] * (PAGE_SIZE / 1024)),
			  "round %d", round);
		cr_assert(eq(i64, mm[want]->rss, 0));
		killed[want] = true;
	}
	cr_assert(eq(u64, vm_event_states[OOM_KILL], NR_TASKS - 1));
}
