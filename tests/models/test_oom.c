/*
 * test_oom.c - the OOM killer's choice (models/buddy/oom_kill.c) against
 * mm/oom_kill.c of Linux 6.1 (6.12's select_bad_process is the same), suite
 * `oom`: oom_badness's points and oom_score_adj, oom_evaluate_task's ties,
 * a victim not chosen twice, the __GFP_FS bail-out, no killable task.
 *
 * Strategy: a 64 MiB DMA32 zone on one vCPU (no engine running), tasks that
 * fault a known number of anonymous pages (do_anonymous_page), then
 * out_of_memory called as __alloc_pages_may_oom calls it.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdlib.h>
#include <string.h>

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

static void up(void)
{
	uint64_t zones[1][4] = { { 0, 64, 0, 0 } };
	int c[1] = { 1 };

	sc = helper_buddy_machine_up(1, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
}

/* A task of `pages` anonymous pages and the given oom_score_adj. */
static struct mm_struct *task(int pid, long pages, short adj)
{
	struct mm_struct *mm = mm_create(pid, "t");

	cr_assert(ne(ptr, (void *)mm, NULL));
	for (long i = 0; i < pages; i++)
		cr_assert(ne(ptr, (void *)do_anonymous_page(mm, 0), NULL));
	cr_assert(eq(i64, mm->rss, pages));
	mm->oom_score_adj = adj;
	return mm;
}

/* out_of_memory for an order-0 request of `gfp`; the victim's pid or 0 (none), its points in *points. */
static int oom(unsigned int gfp, bool *ret, long *points)
{
	struct oom_control oc = { .gfp_mask = gfp, .order = 0 };
	int before = oom_kill_nr_records();

	*ret = out_of_memory(&oc);
	if (oom_kill_nr_records() == before)
		return 0;
	*points = oom_kill_record(oom_kill_nr_records() - 1)->points;
	cr_assert(eq(i64, *points, oc.chosen_points));
	return oom_kill_record(oom_kill_nr_records() - 1)->pid;
}

/* totalram_pages / 1000: one oom_score_adj unit in pages (oom_badness's normalisation) */
static long adj_unit(void)
{
	return (long)(NODE_DATA(0)->node_zones[ZONE_DMA32].managed_pages / 1000);
}

/*
 * oom_badness: rss + oom_score_adj * (totalram_pages / 1000).  With a unit of U pages
 * (64 MiB: about 16), 300 pages at adj -10 score 300 - 10U < 200 (U > 10): the 200-page
 * task at 0 goes; at adj -5 the 300-page task scores 300 - 5U > 200 and goes first.
 */
Test(oom, badness_is_rss_plus_the_scaled_adj, .fini = down)
{
	struct mm_struct *a, *b;
	long points, u;
	bool ret;

	up();
	u = adj_unit();
	cr_assert(lt(i64, 10, u));
	cr_assert(lt(i64, u, 20));
	a = task(100, 300, -10);
	b = task(101, 200, 0);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 101));
	cr_assert(ret);
	cr_assert(eq(i64, points, 200));
	cr_assert(b->oom_killed);
	cr_assert(eq(i64, b->rss, 0), "the reaper freed it");
	mm_exit(b);

	b = task(102, 200, 0);
	a->oom_score_adj = -5;
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 100));
	cr_assert(eq(i64, points, 300 - 5 * u));
	cr_assert(eq(i64, oom_kill_record(oom_kill_nr_records() - 1)->oom_score_adj, -5));
	mm_exit(a);
	mm_exit(b);
	cr_assert(eq(u64, vm_event_states[OOM_KILL], 2));
	cr_assert(buddy_check(stderr));
}

/* OOM_SCORE_ADJ_MIN (-1000) is never chosen however large; +1000 is chosen first however small. */
Test(oom, score_adj_min_is_never_chosen_and_max_is_first, .fini = down)
{
	struct mm_struct *big, *small, *tiny;
	long points;
	bool ret;

	up();
	big = task(200, 2000, -1000);
	small = task(201, 50, 0);
	tiny = task(202, 5, 1000);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 202));
	cr_assert(eq(i64, points, 5 + 1000 * adj_unit()));
	/* the victim is not chosen again (MMF_OOM_SKIP): the next is the 50-page task, never `big` */
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 201));
	cr_assert(eq(i64, points, 50));
	/* only an unkillable task left: "Out of memory and no killable processes" */
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 0));
	cr_assert(not(ret));
	cr_assert(not(big->oom_killed));
	cr_assert(eq(i64, big->rss, 2000));
	cr_assert(eq(int, oom_kill_nr_records(), 2));
	mm_exit(tiny);
	mm_exit(small);
	mm_exit(big);
}

/*
 * oom_evaluate_task skips a task only when its points are below the chosen one's
 * (`points < oc->chosen_points`): on a tie the task evaluated later wins, and
 * for_each_process walks the tasks in creation order (copy_process adds each at the tail of
 * init_task.tasks), so of equal tasks the newest is killed.
 */
Test(oom, a_tie_goes_to_the_newest_task, .fini = down)
{
	struct mm_struct *t[3];
	long points;
	bool ret;

	up();
	t[0] = task(300, 120, 0);
	t[1] = task(301, 120, 0);
	t[2] = task(302, 60, 0);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 301));
	cr_assert(eq(i64, points, 120));
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 300));
	for (int i = 0; i < 3; i++)
		mm_exit(t[i]);
}

/* out_of_memory without __GFP_FS (a GFP_NOFS request, not a memcg OOM): nothing is killed, but
 * it reports progress (true) so the allocation retries instead of failing. */
Test(oom, nofs_kills_nothing_and_reports_progress, .fini = down)
{
	struct mm_struct *mm;
	long points = -1;
	bool ret = false;

	up();
	mm = task(400, 100, 0);
	cr_assert(eq(int, oom(GFP_NOFS, &ret, &points), 0));
	cr_assert(ret);
	cr_assert(not(mm->oom_killed));
	cr_assert(eq(u64, vm_event_states[OOM_KILL], 0));
	mm_exit(mm);
}

/* mm_create / mm_exit keep the task list in creation order whichever task exits; a task without a
 * name is "task", and exiting nothing is a no-op. */
Test(oom, the_task_list_survives_exits_in_any_order, .fini = down)
{
	struct mm_struct *a, *b, *c;
	long points;
	bool ret;

	up();
	a = mm_create(500, NULL);
	cr_assert(eq(str, a->comm, "task"));
	b = task(501, 10, 0);
	c = task(502, 10, 0);
	mm_exit(NULL);
	mm_exit(c);		/* the tail: the next task is linked after b */
	c = task(503, 10, 0);
	mm_exit(b);		/* a middle one */
	cr_assert(eq(ptr, (void *)a->next, (void *)c));
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 503));
	mm_exit(a);
	mm_exit(c);
}

/*
 * What the kill reports: dump_header (mm/oom_kill.c) prints the request that invoked the killer
 * ("invoked oom-killer: gfp_mask=..., order=..."), __oom_kill_process the victim ("Killed process
 * PID (COMM) ... anon-rss:NkB": K(MM_ANONPAGES), 4 kB a page).  A GFP_KERNEL | __GFP_ZERO
 * order-0 request (it has __GFP_FS, so out_of_memory goes on) kills the larger task.  Tasks still alive
 * when the machine goes down are freed with it (oom_kill_exit walks the task list once).
 */
Test(oom, the_record_holds_the_request_and_the_victim)
{
	const struct oom_kill_record *r;
	long points = -1;
	bool ret = false;

	up();
	(void)task(200, 50, 0);
	(void)task(201, 120, 0);
	cr_assert(eq(int, oom(GFP_KERNEL | __GFP_ZERO, &ret, &points), 201));
	r = oom_kill_record(oom_kill_nr_records() - 1);
	cr_expect(eq(u32, r->gfp_mask, GFP_KERNEL | __GFP_ZERO));
	cr_expect(eq(int, r->order, 0));
	cr_expect(eq(ulong, r->anon_rss_kb, 120 * 4));
	cr_expect(eq(ulong, r->freed_pages, 120));
	/* both tasks left to the teardown, in the test's body (a crash in .fini is only a warning) */
	down();
}

/*
 * out_of_memory sizes the machine as the kernel does (6.1 mm/oom_kill.c constrained_alloc:
 * totalram_pages() + total_swap_pages, no swap here): every zone's managed pages, each once,
 * on a machine of two nodes with two zones each.  The records are read by index: an index
 * outside 0 .. nr - 1 has none.
 */
Test(oom, totalpages_is_the_managed_memory_and_records_are_bounded, .fini = down)
{
	uint64_t zones[2][4] = { { 16, 48, 0, 0 }, { 0, 32, 64, 0 } };
	int c[2] = { 1, 1 };
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
	struct mm_struct *a;
	unsigned long managed = 0;
	int nr;

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int nid = 0; nid < 2; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			managed += NODE_DATA(nid)->node_zones[zid].managed_pages;
	a = task(100, 10, 0);
	cr_assert(out_of_memory(&oc));
	cr_expect(eq(u64, oc.totalpages, managed));
	nr = oom_kill_nr_records();
	cr_assert(eq(int, nr, 1));
	cr_expect(eq(int, oom_kill_record(0)->pid, 100));
	cr_expect(eq(ptr, (void *)oom_kill_record(nr), NULL));
	cr_expect(eq(ptr, (void *)oom_kill_record(-1), NULL));
	mm_exit(a);
}

/*
 * A machine brought down and up again starts with no task, no kill record and oom_lock free
 * (the model's exit resets what a fresh boot has: the kernel's init_task list holds none of the
 * old tasks).  A task created after the restart is the one out_of_memory finds and kills.
 */
Test(oom, a_restart_starts_with_no_task_and_the_lock_free, .fini = down)
{
	bool ret;
	long points;

	up();
	task(700, 10, 0);
	task(701, 20, 0);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 701));
	cr_assert(mutex_trylock_oom_lock());
	down();
	up();
	cr_assert(eq(int, oom_kill_nr_records(), 0));
	cr_assert(mutex_trylock_oom_lock(), "oom_lock is free after the restart");
	mutex_unlock_oom_lock();
	task(702, 5, 0);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 702));
	cr_assert(ret);
	cr_assert(eq(i64, points, 5));
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 0), "the only task is already killed");
	cr_assert(not(ret));
}

/*
 * The OOM kill's path (out_of_memory -> __oom_kill_process, then the oom_reaper's
 * __oom_reap_task_mm, mm/oom_kill.c 6.1) is marked on the allocation that called it; each page
 * the reaper frees is a page free operation of its own under the reaper's name; the kill's
 * record carries the time it happened.
 */
Test(oom, the_kill_and_the_reap_are_on_the_allocation_s_path, .fini = down)
{
	struct helper_slab_log log;
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };
	struct sim_op op;

	uint64_t now;

	up();
	task(800, 7, 0);
	sim_engine_set_cpu(0);
	sim->cur->clock_ns += 5000;
	now = sim_now();
	helper_slab_log_start(&log);
	sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
	cr_assert(out_of_memory(&oc));
	sim_op_end(&op);
	/* the kill's report is stamped with the time of the kill (the printk time of dump_header) */
	cr_expect(eq(u64, oom_kill_record(0)->time_ns, now));
	cr_expect(lt(u64, 0, now));
	cr_expect(helper_slab_op_has_label(&op, "out_of_memory"));
	cr_expect(helper_slab_op_has_label(&op, "__oom_kill_process"));
	cr_expect(helper_slab_op_has_label(&op, "__oom_reap_task_mm"));
	cr_expect(eq(u64, helper_slab_count_label(&log, SIM_OP_PAGE_FREE, "__oom_reap_task_mm"), 7));
	helper_slab_log_stop(&log);
}

/*
 * The model keeps a record of the first 4096 kills (the kernel prints each one; the run's
 * database stores what the records hold); kills past that still happen and count OOM_KILL.
 * 4097 tasks of one page each, all killed (one kill per out_of_memory).
 */
Test(oom, kills_past_the_record_table_still_happen, .fini = down)
{
	enum { KILLS = 4097 };
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };

	up();
	for (int i = 0; i < KILLS; i++)
		task(10000 + i, 1, 0);
	for (int i = 0; i < KILLS; i++)
		cr_assert(out_of_memory(&oc), "kill %d", i);
	cr_assert(eq(u64, vm_event_states[OOM_KILL], KILLS));
	cr_assert(eq(int, oom_kill_nr_records(), KILLS - 1));
	cr_assert(eq(ptr, (void *)oom_kill_record(KILLS - 1), NULL));
	/* a tie goes to the later task: the newest first */
	cr_assert(eq(int, oom_kill_record(0)->pid, 10000 + KILLS - 1));
	cr_assert(eq(int, oom_kill_record(KILLS - 2)->pid, 10001));
	cr_assert(not(out_of_memory(&oc)), "nobody left");
}

/*
 * oom_badness scales oom_score_adj by totalram_pages / 1000 (out_of_memory: oc->totalpages =
 * totalram_pages() + total_swap_pages, mm/oom_kill.c 6.1): the managed pages of every zone of
 * every node, ZONE_DMA and the second node included.  Two nodes, DMA + DMA32 and DMA32: a task
 * of 100 pages at adj 3 scores 100 + 3 * (all managed pages / 1000).
 */
Test(oom, the_adj_unit_counts_every_zone_of_every_node, .fini = down)
{
	uint64_t zones[2][4] = { { 16, 64, 0, 0 }, { 0, 64, 0, 0 } };
	int c[2] = { 1, 1 };
	unsigned long total = 0;
	bool ret;
	long points;

	sc = helper_buddy_machine_up(2, c, (const uint64_t (*)[4])zones);
	cr_assert(ne(ptr, (void *)sc, NULL));
	for (int nid = 0; nid < 2; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			total += NODE_DATA(nid)->node_zones[zid].managed_pages;
	cr_assert(lt(u64, 0, NODE_DATA(0)->node_zones[ZONE_DMA].managed_pages));
	task(900, 100, 3);
	cr_assert(eq(int, oom(GFP_KERNEL, &ret, &points), 900));
	cr_assert(eq(i64, points, 100 + 3 * (long)(total / 1000)));
}
