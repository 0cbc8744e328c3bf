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
 * killer chose it, it stops faulting and exits at once.  A dentry task
 * (pid 7000 + i) allocates `objects` dentries (kmem_cache "dentry", created
 * as dcache_init does when the machine has none) and leaves each unused on
 * the dcache LRU; one shrinker (the superblock's super_cache_count /
 * super_cache_scan -> prune_dcache_sb) frees the oldest under memory
 * pressure, each an object free of its own nested in the reclaimer's
 * operation; at the end the task frees the rest (shrink_dcache_sb).  Draws
 * come from each task's own PRNG stream.
 */
#include <stdlib.h>

#include "workload.h"
#include "../scenario/scenario.h"
#include "../engine/engine.h"
#include "../../models/mm.h"
#include "../../models/buddy/buddy.h"
#include "../../models/slab_common/slab_common.h"

#define MEM_PRNG_TAG 0x4d45000000000000ULL	/* "ME" */
#define MEM_PID_PAGE_CACHE 5000
#define MEM_PID_ANON 6000
#define MEM_PID_DENTRY 7000
#define DENTRY_SIZE 192			/* sizeof(struct dentry), x86_64 6.1 */

struct mem_task {
	const struct sim_page_cache_cfg *pc;	/* a reader, or */
	const struct sim_anon_cfg *anon;	/* an anonymous task, or */
	const struct sim_dentry_cfg *dentry;	/* a dentry task */
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

/* The dcache's unused dentries, oldest first (a ring), and the shrinker that prunes them. */
static struct {
	struct kmem_cache *cache;
	void **obj;
	uint64_t cap, head, nr;
	struct shrinker shrinker;
	bool registered;
} dcache;

static void dentry_free(void *obj, const char *why)
{
	struct sim_op op;

	sim_op_begin(&op, SIM_OP_OBJ_FREE);
	sim_path_add(sim_path_label_id(why));
	kmem_cache_free(dcache.cache, obj);
	sim_op_end(&op);
}

/* The oldest n unused dentries, off the LRU before the first free yields. */
static uint64_t dentry_lru_take(void **out, uint64_t n)
{
	uint64_t k = 0;

	while (k < n && dcache.nr) {
		out[k++] = dcache.obj[dcache.head];
		dcache.head = (dcache.head + 1) % dcache.cap;
		dcache.nr--;
	}
	return k;
}

/* kernel: super_cache_count, fs/super.c (the dentry LRU only) */
static unsigned long dcache_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s, (void)sc;
	return dcache.nr ? dcache.nr : SHRINK_EMPTY;
}

/* kernel: super_cache_scan -> prune_dcache_sb -> shrink_dentry_list, fs/super.c, fs/dcache.c */
static unsigned long dcache_scan(struct shrinker *s, struct shrink_control *sc)
{
	void *batch[SHRINK_BATCH];
	uint64_t n = dentry_lru_take(batch, sc->nr_to_scan < SHRINK_BATCH ? sc->nr_to_scan : SHRINK_BATCH);

	(void)s;
	for (uint64_t i = 0; i < n; i++)
		dentry_free(batch[i], "prune_dcache_sb");
	return n;
}

static void mem_dentry_main(struct sim_task *self, void *arg)
{
	struct mem_task *t = arg;
	const struct sim_dentry_cfg *c = t->dentry;
	void *batch[SHRINK_BATCH];
	uint64_t n;

	(void)self;
	for (uint64_t i = 0; i < c->objects; i++) {
		struct sim_op op;
		void *obj;

		sim_op_begin(&op, SIM_OP_OBJ_ALLOC);
		obj = kmem_cache_alloc_node(dcache.cache, GFP_KERNEL, NUMA_NO_NODE);	/* d_alloc */
		sim_op_end(&op);
		if (obj) {		/* dput of the last reference: onto the LRU, unused */
			dcache.obj[(dcache.head + dcache.nr) % dcache.cap] = obj;
			dcache.nr++;
		}
		mem_think(c->think_ns);
	}
	/* the last dentry task to finish empties the dcache (shrink_dcache_sb at umount) */
	t->dentry = NULL;
	for (int i = 0; i < nr_mem_tasks; i++)
		if (mem_tasks[i].dentry)
			return;
	while ((n = dentry_lru_take(batch, SHRINK_BATCH)))
		for (uint64_t i = 0; i < n; i++)
			dentry_free(batch[i], "shrink_dcache_sb");
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

	int nr = m->nr_page_cache + m->nr_anon;

	nr_mem_tasks = 0;
	if (!nr && !m->nr_dentries)
		return 0;
	if (m->nr_dentries) {
		uint64_t total = 0;

		if (sc->allocator == SIM_ALLOC_BUDDY) {
			fprintf(err, "%s: memory.dentries: needs a slab allocator (allocator \"buddy\")\n",
				sc->path ? sc->path : "(scenario)");
			return SIM_EBADINPUT;
		}
		for (int i = 0; i < m->nr_dentries; i++) {
			if (m->dentries[i].cpu >= sim->nr_cpus) {
				fprintf(err, "%s: memory.dentries[%d].cpu: no vCPU %d on a machine of %d\n",
					sc->path ? sc->path : "(scenario)", i, m->dentries[i].cpu, sim->nr_cpus);
				return SIM_EBADINPUT;
			}
			total += m->dentries[i].objects;
		}
		/* dcache_init: KMEM_CACHE_USERCOPY(dentry, SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_MEM_SPREAD | SLAB_ACCOUNT) */
		dcache.cache = slab_find_cache("dentry");
		if (!dcache.cache)
			dcache.cache = kmem_cache_create("dentry", DENTRY_SIZE, 8,
							 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_MEM_SPREAD | SLAB_ACCOUNT,
							 false);
		dcache.cap = total;
		dcache.head = dcache.nr = 0;
		if (!dcache.cache || !(dcache.obj = calloc(total, sizeof(void *))))
			goto oom;
		dcache.shrinker = (struct shrinker){
			.count_objects = dcache_count, .scan_objects = dcache_scan, .seeks = DEFAULT_SEEKS,
		};
		register_shrinker(&dcache.shrinker, "sb-dcache");
		dcache.registered = true;
	}
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
	mem_tasks = calloc((size_t)(nr + m->nr_dentries), sizeof(*mem_tasks));
	if (!mem_tasks)
		goto oom;
	sim_prng_seed(&root, sc->seed);
	for (int i = 0; i < nr; i++) {
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
	for (int i = 0; i < m->nr_dentries; i++) {
		struct mem_task *t = &mem_tasks[nr_mem_tasks++];

		t->dentry = &m->dentries[i];
		t->pid = MEM_PID_DENTRY + i;
		sim_prng_fork(&root, MEM_PRNG_TAG | (uint64_t)t->pid, &t->rng);
		if (!sim_task_create(t->dentry->cpu, false, t->pid, mem_dentry_main, t))
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
	if (dcache.registered)
		unregister_shrinker(&dcache.shrinker);
	free(dcache.obj);
	dcache.obj = NULL;
	dcache.registered = false;
	dcache.nr = dcache.cap = 0;
	free(mem_tasks);
	mem_tasks = NULL;
	nr_mem_tasks = 0;
}
