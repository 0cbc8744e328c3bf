/*
 * memory.c - the tasks of a scenario's "memory" section (memory_cfg.h):
 * page cache readers and tasks faulting anonymous memory, for reclaim,
 * kswapd and the OOM killer (models/buddy/vmscan.c, kswapd.c, oom_kill.c).
 *
 * A reader (pid 5000 + i) reads `reads` pages of its own file, hot_pct of
 * them drawn within the working set at the file's start, the rest anywhere in
 * the file: a cached page is marked accessed (no operation), a miss
 * allocates a page (a page-alloc operation, GFP_HIGHUSER_MOVABLE) that joins
 * the page cache and the inactive file list.  At the end it truncates the
 * file.  An anonymous task (pid 6000 + i) faults its pages in one operation
 * each, holds them hold_us and exits (exit_mmap frees them); once the OOM
 * killer chose it, it stops faulting and exits at once.  Draws come from
 * each task's own PRNG stream.
 */
#include <stdlib.h>

#include "workload.h"
#include "../scenario/scenario.h"
#include "../engine/engine.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"

#define MEM_PRNG_TAG 0x4d45000000000000ULL	/* "ME" */
#define MEM_PID_PAGE_CACHE 5000
#define MEM_PID_ANON 6000

struct mem_task {
	const struct sim_page_cache_cfg *pc;	/* a reader, or */
	const struct sim_anon_cfg *anon;	/* an anonymous task */
	struct sim_prng rng;
	int pid;
};

static struct mem_task *mem_tasks;
static int nr_mem_tasks;

static void mem_think(uint32_t think_ns)
{
	if (think_ns)
		sim_task_sleep_until(sim_now() + think_ns);
	else
		sim_cond_resched();
}

static void mem_reader_main(struct sim_task *self, void *arg)
{
	struct mem_task *t = arg;
	const struct sim_page_cache_cfg *c = t->pc;
	uint64_t ws = c->working_set ? c->working_set : c->file_pages;
	struct address_space *mapping = mapping_create(c->file_pages);

	(void)self;
	if (!mapping)
		abort();	/* out of host memory */
	for (uint64_t i = 0; i < c->reads; i++) {
		bool hot = sim_prng_below(&t->rng, 100) < c->hot_pct, hit;
		uint64_t index = sim_prng_below(&t->rng, hot ? ws : c->file_pages);

		if (mapping->i_pages[index]) {
			filemap_read_page(mapping, index, NUMA_NO_NODE, &hit);
		} else {
			struct sim_op op;

			sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
			filemap_read_page(mapping, index, NUMA_NO_NODE, &hit);
			sim_op_end(&op);
		}
		mem_think(c->think_ns);
	}
	mapping_destroy(mapping);
}

static void mem_anon_main(struct sim_task *self, void *arg)
{
	struct mem_task *t = arg;
	const struct sim_anon_cfg *c = t->anon;
	struct mm_struct *mm = mm_create(t->pid, "anon");

	(void)self;
	if (!mm)
		abort();	/* out of host memory */
	mm->oom_score_adj = (short)c->oom_score_adj;
	for (uint64_t i = 0; i < c->pages && !mm->oom_killed; i++) {
		struct sim_op op;

		sim_op_begin(&op, SIM_OP_PAGE_ALLOC);
		do_anonymous_page(mm, NUMA_NO_NODE);
		sim_op_end(&op);
		mem_think(c->think_ns);
	}
	if (!mm->oom_killed && c->hold_ns)
		sim_task_sleep_until(sim_now() + c->hold_ns);
	mm_exit(mm);
}

int sim_memory_create(const struct sim_scenario *sc, FILE *err)
{
	const struct sim_memory_cfg *m = &sc->memory;
	struct sim_prng root;

	nr_mem_tasks = 0;
	if (!m->nr_page_cache && !m->nr_anon)
		return 0;
	for (int i = 0; i < m->nr_page_cache + m->nr_anon; i++) {
		bool pc = i < m->nr_page_cache;
		int cpu = pc ? m->page_cache[i].cpu : m->anon[i - m->nr_page_cache].cpu;

		if (cpu >= sim->nr_cpus) {
			fprintf(err, "%s: memory.%s[%d].cpu: no vCPU %d on a machine of %d\n",
				sc->path ? sc->path : "(scenario)", pc ? "page_cache" : "anon",
				pc ? i : i - m->nr_page_cache, cpu, sim->nr_cpus);
			return SIM_EBADINPUT;
		}
	}
	mem_tasks = calloc((size_t)(m->nr_page_cache + m->nr_anon), sizeof(*mem_tasks));
	if (!mem_tasks)
		goto oom;
	sim_prng_seed(&root, sc->seed);
	for (int i = 0; i < m->nr_page_cache + m->nr_anon; i++) {
		struct mem_task *t = &mem_tasks[nr_mem_tasks++];
		bool pc = i < m->nr_page_cache;
		int cpu;

		if (pc) {
			t->pc = &m->page_cache[i];
			t->pid = MEM_PID_PAGE_CACHE + i;
			cpu = t->pc->cpu;
		} else {
			t->anon = &m->anon[i - m->nr_page_cache];
			t->pid = MEM_PID_ANON + i - m->nr_page_cache;
			cpu = t->anon->cpu;
		}
		sim_prng_fork(&root, MEM_PRNG_TAG | (uint64_t)t->pid, &t->rng);
		if (!sim_task_create(cpu, false, t->pid, pc ? mem_reader_main : mem_anon_main, t))
			goto oom;
	}
	return 0;
oom:
	fprintf(err, "kmemsim: memory workload: out of memory\n");
	return SIM_EFAIL;
}

/* The kernel's log lines of each OOM kill (__oom_kill_process, oom_reap_task_mm), at simulated times. */
void sim_memory_report(FILE *out)
{
	for (int i = 0; i < oom_kill_nr_records(); i++) {
		const struct oom_kill_record *r = oom_kill_record(i);

		fprintf(out, "[%llu ns] Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB,"
			" file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:%d\n",
			(unsigned long long)r->time_ns, r->pid, r->comm, r->anon_rss_kb, r->anon_rss_kb,
			r->oom_score_adj);
		fprintf(out, "[%llu ns] oom_reaper: reaped process %d (%s), freed %lu pages, now anon-rss:0kB,"
			" file-rss:0kB, shmem-rss:0kB\n", (unsigned long long)r->time_ns, r->pid, r->comm,
			r->freed_pages);
	}
}

void sim_memory_destroy(void)
{
	free(mem_tasks);
	mem_tasks = NULL;
	nr_mem_tasks = 0;
}
