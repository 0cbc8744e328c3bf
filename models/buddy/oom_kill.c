/*
 * oom_kill.c - the OOM killer (mm/oom_kill.c, 6.1.192): out_of_memory ->
 * select_bad_process -> oom_evaluate_task -> oom_badness, then
 * oom_kill_process -> __oom_kill_process and the reaping of the victim's
 * memory; and the oom_lock that __alloc_pages_may_oom trylocks.
 *
 * The tasks are the mm_structs that callers create (mm_create: a synthetic
 * workload's tasks that fault anonymous memory); their footprint is their
 * anonymous pages on the LRU (get_mm_rss; no swap entries, page tables or
 * file-backed rss).
 *
 * Differences from the kernel:
 *  - The victim's memory is freed at once inside out_of_memory, as the
 *    oom_reaper (__oom_reap_task_mm) would free it shortly after; each page
 *    is a page free operation of its own ("__oom_reap_task_mm").  The task
 *    learns of its death through mm->oom_killed (fatal_signal_pending) and
 *    the workload ends it.
 *  - No memcg, cpuset or mempolicy constraint (CONSTRAINT_NONE), no
 *    sysctl_oom_kill_allocating_task or panic_on_oom, no process groups
 *    sharing an mm, no oom_victims wait; a task already killed is skipped
 *    (MMF_OOM_SKIP) rather than waited for (the reaper has run).
 *  - oom_lock is a flag: trylock never sleeps, as mutex_trylock.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddy_int.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_KILL_MAX_RECORDS 4096

static struct mm_struct *mm_list, **mm_tail = &mm_list;
static bool oom_lock;
static struct oom_kill_record oom_records[OOM_KILL_MAX_RECORDS];
static int nr_oom_records;

/* kernel: mm_alloc, kernel/fork.c */
struct mm_struct *mm_create(int pid, const char *comm)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pid = pid;
	snprintf(mm->comm, sizeof(mm->comm), "%s", comm ? comm : "task");
	*mm_tail = mm;
	mm_tail = &mm->next;
	return mm;
}

/* The LRU pages of mm, freed as `why` (exit_mmap, __oom_reap_task_mm); how many.  They leave
 * the lists before the first free yields, so an exit and the reaper never free one twice. */
static unsigned long free_mm_pages(struct mm_struct *mm, const char *why)
{
	unsigned long n = 0, cap = (unsigned long)(mm->rss > 0 ? mm->rss : 0);
	struct page **pages;

	if (!cap)
		return 0;
	pages = malloc(cap * sizeof(*pages));
	if (!pages)
		abort();	/* out of host memory */
	for (int nid = 0; nid < buddy_nr_node_ids && n < cap; nid++) {
		struct lruvec *lruvec = &NODE_DATA(nid)->__lruvec;

		for (int lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_ANON; lru++) {
			for (struct page *page = page_list_first(&lruvec->lists[lru]), *next; page && n < cap;
			     page = next) {
				next = page_list_next(page);
				if (page->slab_meta != mm)
					continue;
				lru_del_page(page);
				mm->rss--;
				pages[n++] = page;
			}
		}
	}
	for (unsigned long i = 0; i < n; i++)
		reclaim_free_page(pages[i], why);
	free(pages);
	return n;
}

/* kernel: exit_mmap, mm/mmap.c -- what is left of mm goes back; mm is freed */
void mm_exit(struct mm_struct *mm)
{
	if (!mm)
		return;
	free_mm_pages(mm, "exit_mmap");
	for (struct mm_struct **p = &mm_list; *p; p = &(*p)->next) {
		if (*p == mm) {
			*p = mm->next;
			if (mm_tail == &mm->next)
				mm_tail = p;
			break;
		}
	}
	free(mm);
}

/* kernel: mutex_trylock(&oom_lock) / mutex_unlock(&oom_lock), mm/oom_kill.c */
bool mutex_trylock_oom_lock(void)
{
	if (oom_lock)
		return false;
	oom_lock = true;
	return true;
}

void mutex_unlock_oom_lock(void)
{
	oom_lock = false;
}

/* kernel: oom_badness, mm/oom_kill.c */
static long oom_badness(struct mm_struct *mm, unsigned long totalpages)
{
	long points, adj = mm->oom_score_adj;

	if (adj == OOM_SCORE_ADJ_MIN || mm->oom_killed)
		return LONG_MIN;
	points = mm->rss;		/* get_mm_rss + swap entries (none) + page tables (not modelled) */
	adj *= (long)(totalpages / 1000);
	return points + adj;
}

/* kernel: select_bad_process -> oom_evaluate_task, mm/oom_kill.c */
static void select_bad_process(struct oom_control *oc)
{
	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	for (struct mm_struct *mm = mm_list; mm; mm = mm->next) {
		long points = oom_badness(mm, oc->totalpages);

		/* only lower points are skipped: a tie goes to the later task (for_each_process: creation order) */
		if (points == LONG_MIN || points < oc->chosen_points)
			continue;
		oc->chosen = mm;
		oc->chosen_points = points;
	}
}

/* kernel: __oom_kill_process (+ the oom_reaper's __oom_reap_task_mm), mm/oom_kill.c */
static void __oom_kill_process(struct oom_control *oc, struct mm_struct *victim)
{
	struct oom_kill_record *r = nr_oom_records < OOM_KILL_MAX_RECORDS ? &oom_records[nr_oom_records++] : NULL;
	long rss = victim->rss;

	victim->oom_killed = true;		/* do_send_sig_info(SIGKILL) + mark_oom_victim */
	count_vm_event(OOM_KILL);
	BUDDY_LABEL("__oom_kill_process");
	if (r) {
		r->time_ns = sim && sim->cur ? sim_now() : 0;
		r->pid = victim->pid;
		memcpy(r->comm, victim->comm, sizeof(r->comm));
		r->points = oc->chosen_points;
		r->oom_score_adj = victim->oom_score_adj;
		r->anon_rss_kb = (unsigned long)rss << (PAGE_SHIFT - 10);
		r->order = oc->order;
		r->gfp_mask = oc->gfp_mask;
	}
	/* queue_oom_reaper: the reaper unmaps and frees the anonymous memory */
	BUDDY_LABEL("__oom_reap_task_mm");
	{
		unsigned long freed = free_mm_pages(victim, "__oom_reap_task_mm");

		if (r)
			r->freed_pages = freed;
	}
}

/* kernel: out_of_memory, mm/oom_kill.c (global OOM, CONSTRAINT_NONE) */
bool out_of_memory(struct oom_control *oc)
{
	BUDDY_LABEL("out_of_memory");
	/* no __GFP_FS: the OOM killer would not help, but the caller must not fail */
	if (!(oc->gfp_mask & __GFP_FS))
		return true;
	oc->totalpages = 0;
	for (int nid = 0; nid < buddy_nr_node_ids; nid++)
		for (int zid = 0; zid < MAX_NR_ZONES; zid++)
			oc->totalpages += NODE_DATA(nid)->node_zones[zid].managed_pages;	/* totalram_pages */
	select_bad_process(oc);
	if (!oc->chosen) {
		/* "Out of memory and no killable processes..." (the kernel panics) */
		BUDDY_LABEL("out_of_memory:no_killable_processes");
		return false;
	}
	__oom_kill_process(oc, oc->chosen);
	return true;
}

int oom_kill_nr_records(void)
{
	return nr_oom_records;
}

const struct oom_kill_record *oom_kill_record(int i)
{
	return i >= 0 && i < nr_oom_records ? &oom_records[i] : NULL;
}

void oom_kill_exit(void)
{
	while (mm_list) {
		struct mm_struct *mm = mm_list;

		mm_list = mm->next;
		free(mm);
	}
	mm_tail = &mm_list;
	oom_lock = false;
	nr_oom_records = 0;
}
