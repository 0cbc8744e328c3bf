/*
 * explore.c - choosers, the exploration loop and shrinking (sim/engine/schedule.h).
 *
 * Every run is a re-execution from the start: a schedule is replayed by
 * following its forced decisions and the default everywhere else, so a run
 * needs no saved state and a schedule file is tiny.  Workers for --jobs are
 * forked processes, each taking every J-th schedule; the parent keeps the
 * lowest failing index, so the answer does not depend on J.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schedule.h"

static void *xrealloc(void *p, size_t size)
{
	void *n = realloc(p, size);

	if (!n)
		abort();	/* out of host memory */
	return n;
}

/* ---- schedules ----------------------------------------------------------- */

void sim_schedule_add(struct sim_schedule *s, uint64_t step, int choice)
{
	if (s->nr == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->f = xrealloc(s->f, (size_t)s->cap * sizeof(*s->f));
	}
	s->f[s->nr].step = step;
	s->f[s->nr].choice = choice;
	s->nr++;
}

void sim_schedule_free(struct sim_schedule *s)
{
	free(s->f);
	memset(s, 0, sizeof(*s));
}

static void schedule_copy(struct sim_schedule *dst, const struct sim_schedule *src)
{
	dst->nr = 0;
	for (int i = 0; i < src->nr; i++)
		sim_schedule_add(dst, src->f[i].step, src->f[i].choice);
}

int sim_schedule_write(const struct sim_schedule *s, uint64_t seed, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "kmemsim-forced 1 seed=%" PRIu64 " switches=%d\n", seed, s->nr);
	for (int i = 0; i < s->nr; i++) {
		if (s->f[i].choice >= SIM_CHOICE_IRQ)
			fprintf(f, "%" PRIu64 " irq %d\n", s->f[i].step, s->f[i].choice - SIM_CHOICE_IRQ);
		else
			fprintf(f, "%" PRIu64 " cpu %d\n", s->f[i].step, s->f[i].choice);
	}
	return fclose(f) ? -1 : 0;
}

int sim_schedule_read(struct sim_schedule *s, uint64_t *seed, const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	char kind[8];
	uint64_t step, prev = 0;
	int n, v, line = 1;

	if (!f) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return 2;
	}
	memset(s, 0, sizeof(*s));
	if (fscanf(f, "kmemsim-forced 1 seed=%" SCNu64 " switches=%d", seed, &n) != 2) {
		fprintf(err, "%s:1: not a kmemsim schedule (expected \"kmemsim-forced 1 seed=N switches=M\")\n", path);
		fclose(f);
		return 2;
	}
	for (;;) {
		int c;

		/* Lines starting with '#' are comments (what found the schedule, how to check it). */
		while ((c = fgetc(f)) == '\n' || c == ' ')
			line += c == '\n';
		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			line++;
			continue;
		}
		if (c == EOF || ungetc(c, f) == EOF || fscanf(f, "%" SCNu64 " %7s %d", &step, kind, &v) != 3)
			break;
		if ((strcmp(kind, "cpu") && strcmp(kind, "irq")) || v < 0 || v >= SIM_MAX_CPUS ||
		    (s->nr && step <= prev)) {
			fprintf(err, "%s:%d: expected \"STEP cpu|irq N\" with increasing steps\n", path, line);
			sim_schedule_free(s);
			fclose(f);
			return 2;
		}
		sim_schedule_add(s, step, kind[0] == 'i' ? SIM_CHOICE_IRQ + v : v);
		prev = step;
	}
	if (!feof(f) || s->nr != n) {
		fprintf(err, "%s:%d: expected %d forced decisions, read %d\n", path, line, n, s->nr);
		sim_schedule_free(s);
		fclose(f);
		return 2;
	}
	fclose(f);
	return 0;
}

/* ---- choosers ------------------------------------------------------------ */

void sim_chooser_init(struct sim_chooser *ch, enum sim_explore_strategy strategy, uint64_t seed,
		      int depth, uint64_t est_steps, int nr_cpus)
{
	memset(ch, 0, sizeof(*ch));
	ch->strategy = strategy;
	sim_prng_seed(&ch->prng, seed ^ 0x5ca1ab1eULL);
	ch->depth = depth < 1 ? 1 : depth > 16 ? 16 : depth;
	ch->est_steps = est_steps ? est_steps : 1;
	(void)nr_cpus;	/* PCT priorities are drawn at the first decision, when the machine exists */
}

void sim_chooser_free(struct sim_chooser *ch)
{
	sim_schedule_free(&ch->taken);
	free(ch->log);
	ch->log = NULL;
}

void sim_chooser_install(struct sim_chooser *ch)
{
	sim->chooser = ch;
}

bool sim_yield_kind_shared(int kind)
{
	switch (kind) {
	case SIM_COST_PREEMPT:		/* preemption control: no data */
	case SIM_COST_LOCK_SPIN:	/* one more spin on a held lock */
	case SIM_COST_IRQ_ENTRY:
	case SIM_COST_CTX_SWITCH:
	case -1:			/* unnamed: between operations, idle */
		return false;
	default:			/* locks, atomics, READ/WRITE_ONCE, this_cpu state, the last
					 * moment before IRQs go off, a step's work on slabs or pages */
		return true;
	}
}

static int default_index(int n, const int *cands, int cur)
{
	int best = 0;

	for (int i = 0; i < n; i++) {
		if (cands[i] == cur)
			return i;
		if (cands[i] < cands[best])
			best = i;
	}
	return best;
}

/* PCT's initial priorities: a random permutation over vCPUs and their interrupts
 * (pct-shared: interrupts below every vCPU, so that a change point delivers one). */
static void pct_setup(struct sim_chooser *ch, int nr_cpus)
{
	int n = 2 * nr_cpus;
	int perm[2 * SIM_MAX_CPUS];

	for (int i = 0; i < n; i++)
		perm[i] = i;
	if (ch->strategy == SIM_EXPLORE_PCT_SHARED) {
		/* perm[i] holds the id of priority rank i: interrupts (ids >= nr_cpus) first */
		for (int i = 0; i < n; i++)
			perm[i] = (i + nr_cpus) % n;
		for (int part = 0; part < 2; part++)
			for (int i = nr_cpus - 1; i > 0; i--) {
				int j = (int)sim_prng_below(&ch->prng, (uint64_t)i + 1), t = perm[part * nr_cpus + i];

				perm[part * nr_cpus + i] = perm[part * nr_cpus + j];
				perm[part * nr_cpus + j] = t;
			}
		n = 0;	/* shuffled */
	}
	for (int i = n - 1; i > 0; i--) {
		int j = (int)sim_prng_below(&ch->prng, (uint64_t)i + 1), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	for (int i = 0; i < 2 * nr_cpus; i++) {
		int id = perm[i] < nr_cpus ? perm[i] : SIM_MAX_CPUS + perm[i] - nr_cpus;

		ch->prio[id] = ch->depth + i;
	}
	for (int i = 0; i < ch->depth - 1; i++)
		ch->change[i] = 1 + sim_prng_below(&ch->prng, ch->est_steps);
	ch->pct_ready = true;
}

static int pct_index(struct sim_chooser *ch, int n, const int *cands, int cur, bool shared)
{
	int best = 0;
	/* pct-shared counts (and changes priority at) only the decisions at shared state. */
	uint64_t at = ch->strategy == SIM_EXPLORE_PCT_SHARED ? (shared ? ch->shared_steps : 0) : ch->steps;

	if (!ch->pct_ready)
		pct_setup(ch, sim->nr_cpus);

	/* At the i-th change point the running thread drops below every initial priority. */
	for (int i = 0; i < ch->depth - 1; i++)
		if (ch->change[i] == at && cur >= 0)
			ch->prio[cur] = ch->depth - 1 - i;
	for (int i = 1; i < n; i++)
		if (ch->prio[cands[i]] > ch->prio[cands[best]])
			best = i;
	return best;
}

static bool coin(struct sim_chooser *ch, uint32_t p)
{
	return (uint32_t)sim_prng_next(&ch->prng) < p;
}

/* split: at a yield touching shared state, take a pending interrupt with probability
 * p_irq; else switch to another vCPU with probability p_switch; else the default. */
static int split_index(struct sim_chooser *ch, int n, const int *cands, int dflt, bool shared)
{
	int others[SIM_MAX_CPUS + 1], nr = 0, irq = -1;

	if (!shared)
		return dflt;
	for (int i = 0; i < n; i++) {
		if (cands[i] >= SIM_CHOICE_IRQ)
			irq = i;
		else if (i != dflt)
			others[nr++] = i;
	}
	if (irq >= 0 && coin(ch, ch->p_irq))
		return irq;
	if (nr && coin(ch, ch->p_switch))
		return others[sim_prng_below(&ch->prng, (uint64_t)nr)];
	return dflt;
}

int sim_chooser_choose(struct sim_chooser *ch, int n, const int *cands, int cur)
{
	int dflt = default_index(n, cands, cur), idx = -1;
	uint64_t step = ch->steps++;
	bool shared = sim_yield_kind_shared(sim->pick_kind);

	ch->shared_steps += shared;

	if (ch->forced) {
		const struct sim_schedule *f = ch->forced;

		while (ch->next_forced < f->nr && f->f[ch->next_forced].step < step)
			ch->next_forced++;
		if (ch->next_forced < f->nr && f->f[ch->next_forced].step == step) {
			for (int i = 0; i < n; i++)
				if (cands[i] == f->f[ch->next_forced].choice)
					idx = i;
		}
	}
	if (idx < 0) {
		if (ch->forced_only || ch->strategy == SIM_EXPLORE_EXHAUSTIVE || ch->strategy == SIM_EXPLORE_DELAY)
			idx = dflt;
		else if (ch->strategy == SIM_EXPLORE_RANDOM)
			idx = (int)sim_prng_below(&ch->prng, (uint64_t)n);
		else if (ch->strategy == SIM_EXPLORE_SPLIT)
			idx = split_index(ch, n, cands, dflt, shared);
		else
			idx = pct_index(ch, n, cands, cur, shared);
	}
	if (idx != dflt)
		sim_schedule_add(&ch->taken, step, cands[idx]);
	if (ch->keep_log) {
		struct sim_decision *d;

		if (ch->nr_log == ch->cap_log) {
			ch->cap_log = ch->cap_log ? ch->cap_log * 2 : 256;
			ch->log = xrealloc(ch->log, ch->cap_log * sizeof(*ch->log));
		}
		d = &ch->log[ch->nr_log++];
		d->step = step;
		d->n = n < 8 ? n : 8;
		memcpy(d->cands, cands, (size_t)d->n * sizeof(int));
		d->dflt = dflt < 8 ? dflt : 0;
		d->chosen = idx < 8 ? idx : d->dflt;
	}
	return idx;
}

/* ---- the exploration loop ------------------------------------------------ */

uint64_t sim_explore_seed(uint64_t seed, uint64_t i)
{
	uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void progress(const struct sim_explore_opts *o, uint64_t done, uint64_t failing)
{
	if (o->progress && (done & 1023) == 0)
		fprintf(stderr, "\rexplored %" PRIu64 " schedules, %" PRIu64 " failing", done, failing);
}

/* Decision points of a default run: PCT's k (pct-shared, split: those at shared state). */
static uint64_t measure_steps(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg)
{
	struct sim_chooser ch;
	char why[256];
	uint64_t k;

	sim_chooser_init(&ch, SIM_EXPLORE_RANDOM, o->seed, 1, 1, 1);
	ch.forced_only = true;
	run(arg, &ch, why, sizeof(why));
	k = o->strategy == SIM_EXPLORE_PCT ? ch.steps : ch.shared_steps;
	sim_chooser_free(&ch);
	return k ? k : 1;
}

/* 1/every as a probability in 1/2^32 (every >= 1). */
static uint32_t prob_of(uint64_t every)
{
	return every <= 1 ? UINT32_MAX : (uint32_t)((1ULL << 32) / every);
}

/* A probability 1/U, U drawn uniformly in [2, 2k]: a flip at shared decision j of k
 * succeeds with probability about (1/2k) E1(j/2k), so some schedules flip at about
 * every distance, late ones included (a log-uniform draw favours early flips). */
static uint32_t prob_drawn(struct sim_chooser *ch, uint64_t k)
{
	uint64_t hi = 2 * (k > 1 ? k : 1);

	return prob_of(2 + sim_prng_below(&ch->prng, hi - 1));
}

static void split_setup(struct sim_chooser *ch, const struct sim_explore_opts *o, uint64_t k)
{
	ch->p_irq = o->irq_every ? prob_of(o->irq_every) : prob_drawn(ch, k);
	ch->p_switch = o->switch_every ? prob_of(o->switch_every) : prob_drawn(ch, k);
}

/* Schedules of this shard (i = shard + j * nr_shards), j = first, first + stride, ...
 * (random / pct), in this process. */
static int explore_stride(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg,
			  uint64_t first, uint64_t stride, uint64_t k, struct sim_explore_result *res)
{
	uint64_t n = o->nr_shards > 1 ? (uint64_t)o->nr_shards : 1, s = o->nr_shards > 1 ? (uint64_t)o->shard : 0;

	for (uint64_t j = first; s + j * n < o->nr_schedules; j += stride) {
		uint64_t i = s + j * n;
		struct sim_chooser ch;
		uint64_t seed = sim_explore_seed(o->seed, i);
		char why[256] = "";
		int rc;

		sim_chooser_init(&ch, o->strategy, seed, o->depth, k, 0);
		if (o->strategy == SIM_EXPLORE_SPLIT)
			split_setup(&ch, o, k);
		rc = run(arg, &ch, why, sizeof(why));
		res->explored++;
		if (rc < 0) {
			sim_chooser_free(&ch);
			return rc;
		}
		if (rc == 1) {
			res->failing++;
			if (!res->found || i < res->first_index) {
				res->found = true;
				res->first_index = i;
				res->first_seed = seed;
				schedule_copy(&res->first, &ch.taken);
				snprintf(res->why, sizeof(res->why), "%s", why);
			}
		}
		sim_chooser_free(&ch);
		progress(o, res->explored, res->failing);
		if (rc == 1 && !o->all)
			break;
	}
	return 0;
}

/* Worker side of --jobs: explore, then send the result up the pipe. */
static void worker_report(int fd, const struct sim_explore_result *r, int rc)
{
	FILE *f = fdopen(fd, "w");

	if (!f)
		_exit(3);
	fprintf(f, "%d %" PRIu64 " %" PRIu64 " %d %" PRIu64 " %" PRIu64 " %d\n", rc, r->explored, r->failing,
		r->found, r->first_index, r->first_seed, r->first.nr);
	for (int i = 0; i < r->first.nr; i++)
		fprintf(f, "%" PRIu64 " %d\n", r->first.f[i].step, r->first.f[i].choice);
	fprintf(f, "%s\n", r->why);
	fclose(f);
}

static int worker_collect(int fd, struct sim_explore_result *res)
{
	FILE *f = fdopen(fd, "r");
	struct sim_explore_result r;
	int rc = -1, found = 0, nr = 0;

	memset(&r, 0, sizeof(r));
	if (!f)
		return -1;
	if (fscanf(f, "%d %" SCNu64 " %" SCNu64 " %d %" SCNu64 " %" SCNu64 " %d", &rc, &r.explored,
		   &r.failing, &found, &r.first_index, &r.first_seed, &nr) != 7) {
		fclose(f);
		return -1;
	}
	for (int i = 0; i < nr; i++) {
		uint64_t step;
		int choice;

		if (fscanf(f, "%" SCNu64 " %d", &step, &choice) == 2)
			sim_schedule_add(&r.first, step, choice);
	}
	if (fscanf(f, " %255[^\n]", r.why) != 1)
		r.why[0] = 0;
	fclose(f);
	res->explored += r.explored;
	res->failing += r.failing;
	if (found && (!res->found || r.first_index < res->first_index)) {
		res->found = true;
		res->first_index = r.first_index;
		res->first_seed = r.first_seed;
		schedule_copy(&res->first, &r.first);
		memcpy(res->why, r.why, sizeof(res->why));
	}
	sim_schedule_free(&r.first);
	return rc;
}

static int explore_jobs(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg, uint64_t k,
			struct sim_explore_result *res)
{
	pid_t pids[64], parent = getpid();
	int fds[64], jobs = o->jobs > 64 ? 64 : o->jobs, rc = 0;

	fflush(NULL);
	for (int w = 0; w < jobs; w++) {
		int p[2];

		if (pipe(p))
			return -1;
		pids[w] = fork();
		if (pids[w] < 0)
			return -1;
		if (pids[w] == 0) {
			struct sim_explore_result r;
			struct sim_explore_opts wo = *o;

			sim_out_worker(parent);		/* dies with the parent, even of SIGKILL */
			close(p[0]);
			memset(&r, 0, sizeof(r));
			wo.progress = false;
			worker_report(p[1], &r, explore_stride(&wo, run, arg, (uint64_t)w, (uint64_t)jobs, k, &r));
			_exit(0);
		}
		sim_out_track_pid(pids[w]);	/* killed if SIGINT, SIGTERM or SIGHUP comes */
		close(p[1]);
		fds[w] = p[0];
	}
	for (int w = 0; w < jobs; w++) {
		int status;

		if (worker_collect(fds[w], res) < 0)
			rc = -1;
		waitpid(pids[w], &status, 0);
		sim_out_forget_pid(pids[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = -1;
	}
	/* Without --all the answer is "the first failing index": count up to it only
	 * (this shard's schedules up to it). */
	if (res->found && !o->all)
		res->explored = o->nr_shards > 1 ? (res->first_index - (uint64_t)o->shard) / (uint64_t)o->nr_shards + 1
						 : res->first_index + 1;
	return rc;
}

/* Depth-first over forced decisions, at most K of them (preemption bounding), or at most
 * K delays (delay bounding: a choice costs how many candidates after the default it
 * comes, in the scheduler's order -- running vCPU, then the next ones, then interrupts). */
struct dfs_entry { struct sim_decision d; uint32_t tried; };

static int choice_cost(const struct sim_explore_opts *o, const struct sim_decision *d, int c)
{
	if (o->strategy == SIM_EXPLORE_DELAY)
		return (c - d->dflt + d->n) % d->n;
	return c != d->dflt;
}

static int explore_exhaustive(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg,
			      struct sim_explore_result *res)
{
	struct dfs_entry *stack = NULL;
	size_t nr = 0, cap = 0;
	struct sim_schedule prefix = { 0 };
	int rc = 0;

	res->exhausted = false;
	for (;;) {
		struct sim_chooser ch;
		char why[256] = "";
		int r;

		if (res->explored >= o->nr_schedules)
			break;
		sim_chooser_init(&ch, SIM_EXPLORE_EXHAUSTIVE, o->seed, 1, 1, 0);
		ch.forced = &prefix;
		ch.keep_log = true;
		r = run(arg, &ch, why, sizeof(why));
		res->explored++;
		if (r < 0) {
			rc = r;
			sim_chooser_free(&ch);
			break;
		}
		if (r == 1) {
			res->failing++;
			if (!res->found) {
				res->found = true;
				res->first_index = res->explored - 1;
				res->first_seed = o->seed;
				schedule_copy(&res->first, &ch.taken);
				snprintf(res->why, sizeof(res->why), "%s", why);
			}
		}
		progress(o, res->explored, res->failing);
		/* The run's decisions beyond the stack become new entries. */
		for (size_t i = nr; i < ch.nr_log; i++) {
			if (nr == cap) {
				cap = cap ? cap * 2 : 256;
				stack = xrealloc(stack, cap * sizeof(*stack));
			}
			stack[nr].d = ch.log[i];
			stack[nr].tried = 1u << ch.log[i].chosen;
			nr++;
		}
		sim_chooser_free(&ch);
		if (r == 1 && !o->all)
			break;
		/* Backtrack to the deepest decision with an untried choice within the bound. */
		for (;;) {
			int used = 0, alt = -1;
			size_t j;

			if (nr == 0) {
				res->exhausted = true;
				goto out;
			}
			j = nr - 1;
			for (size_t i = 0; i < j; i++)
				used += choice_cost(o, &stack[i].d, stack[i].d.chosen);
			for (int c = 0; c < stack[j].d.n && alt < 0; c++) {
				if (stack[j].tried & (1u << c))
					continue;
				if (used + choice_cost(o, &stack[j].d, c) <= o->preemptions)
					alt = c;
				else
					stack[j].tried |= 1u << c;	/* over the bound: never */
			}
			if (alt < 0) {
				nr--;
				continue;
			}
			stack[j].tried |= 1u << alt;
			stack[j].d.chosen = alt;
			nr = j + 1;
			prefix.nr = 0;
			for (size_t i = 0; i <= j; i++)
				if (stack[i].d.chosen != stack[i].d.dflt)
					sim_schedule_add(&prefix, stack[i].d.step, stack[i].d.cands[stack[i].d.chosen]);
			break;	/* entries after j come from the next run's log */
		}
	}
out:
	free(stack);
	sim_schedule_free(&prefix);
	return rc;
}

int sim_explore(const struct sim_explore_opts *o, sim_explore_run_fn *run, void *arg,
		struct sim_explore_result *res)
{
	uint64_t k = 1;

	memset(res, 0, sizeof(*res));
	if (o->strategy == SIM_EXPLORE_EXHAUSTIVE || o->strategy == SIM_EXPLORE_DELAY)
		return explore_exhaustive(o, run, arg, res);
	if (o->strategy != SIM_EXPLORE_RANDOM)
		k = measure_steps(o, run, arg);
	if (o->jobs > 1)
		return explore_jobs(o, run, arg, k, res);
	return explore_stride(o, run, arg, 0, 1, k, res);
}

/* ---- shrinking ----------------------------------------------------------- */

static int run_forced(uint64_t seed, const struct sim_schedule *s, sim_explore_run_fn *run, void *arg,
		      char *why, size_t whylen, struct sim_schedule *taken)
{
	struct sim_chooser ch;
	int rc;

	sim_chooser_init(&ch, SIM_EXPLORE_RANDOM, seed, 1, 1, 1);
	ch.forced = s;
	ch.forced_only = true;
	rc = run(arg, &ch, why, whylen);
	if (taken)
		schedule_copy(taken, &ch.taken);
	sim_chooser_free(&ch);
	return rc;
}

int sim_explore_shrink(uint64_t seed, struct sim_schedule *s, sim_explore_run_fn *run, void *arg,
		       char *why, size_t whylen)
{
	struct sim_schedule cand = { 0 }, taken = { 0 };
	bool progress_made = true;
	int rc = run_forced(seed, s, run, arg, why, whylen, &taken);

	if (rc != 1) {
		sim_schedule_free(&taken);
		return rc < 0 ? rc : -1;	/* the schedule does not fail: nothing to shrink */
	}
	schedule_copy(s, &taken);
	while (progress_made) {
		progress_made = false;
		for (int drop = s->nr - 1; drop >= 0; drop--) {
			cand.nr = 0;
			for (int i = 0; i < s->nr; i++)
				if (i != drop)
					sim_schedule_add(&cand, s->f[i].step, s->f[i].choice);
			taken.nr = 0;
			rc = run_forced(seed, &cand, run, arg, why, whylen, &taken);
			if (rc < 0)
				goto out;
			if (rc == 1 && taken.nr < s->nr) {
				schedule_copy(s, &taken);
				progress_made = true;
				break;
			}
		}
	}
	/* Fewer switches at other steps: bounded exhaustive search below the current count. */
	for (int k = 0; k < s->nr; k++) {
		struct sim_explore_opts o = { .strategy = SIM_EXPLORE_EXHAUSTIVE, .seed = seed,
					      .nr_schedules = SIM_SHRINK_BUDGET, .preemptions = k };
		struct sim_explore_result r;

		memset(&r, 0, sizeof(r));
		rc = explore_exhaustive(&o, run, arg, &r);
		if (rc < 0) {
			sim_schedule_free(&r.first);
			goto out;
		}
		if (r.found && r.first.nr < s->nr) {
			schedule_copy(s, &r.first);
			sim_schedule_free(&r.first);
			break;
		}
		sim_schedule_free(&r.first);
	}
	/* The answer must fail: check it once more (and leave `why` describing it). */
	rc = run_forced(seed, s, run, arg, why, whylen, NULL);
	if (rc == 0)
		rc = -1;
out:
	sim_schedule_free(&cand);
	sim_schedule_free(&taken);
	return rc == 1 ? 0 : rc;
}
