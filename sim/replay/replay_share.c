/*
 * replay_share.c - one learning pass for many replays of a trace (kmemsim sweep).
 *
 * Main entries: sim_replay_learn, which runs the first pass of a replay (replay_learn.c) by
 * itself and keeps the state it leaves (the machine's extent, the call sites' caches, the
 * inferred bulk calls and boot pages, the events it read), and
 * rp_adopt, by which sim_replay starts from that state instead of reading the trace a first
 * time.  The pass depends only on the trace and on the options compared in rp_agrees (and on
 * whether the scenario names a machine: then the boot pages are not inferred), not on the
 * models' settings, so every point of a sweep over one trace would learn the same: the state
 * taken over is the one the replay would have built.  The state is taken over, not copied (it
 * is a web of pointers): a sweep learns in the parent and forks, each worker taking over its
 * own copy-on-write copy.
 *
 * The pass's events are kept as a replay's are (replay_learn.c: a compact copy in a temporary
 * file, with the reader whose strings they point to): every replay of the sweep reads them
 * back from that file (pread, at its own offset after the fork) instead of parsing the text.
 */
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"

struct sim_replay_learned {
	struct sim_replay_opts o;	/* the options it was learned with (strings: the caller's) */
	struct replay r;		/* the state the pass left */
	bool used;			/* taken over by a replay of this process */
};

/* Whether a replay with options b would learn what a pass with options a learned. */
static bool rp_agrees(const struct sim_replay_opts *a, const struct sim_replay_opts *b)
{
	return !strcmp(a->trace ? a->trace : "", b->trace ? b->trace : "") && a->trace_text == b->trace_text &&
	       a->trace_len == b->trace_len && a->lenient == b->lenient && a->one_pass == b->one_pass &&
	       a->pages == b->pages && a->no_boot_pages == b->no_boot_pages;
}

int sim_replay_learn(const struct sim_replay_opts *o, struct sim_replay_learned **out, FILE *err)
{
	struct sim_replay_learned *l = calloc(1, sizeof(*l));
	struct sim_scenario *sc = calloc(1, sizeof(*sc));
	struct replay *saved = rp;
	int rc;

	*out = NULL;
	if (!l || !sc) {
		free(l);
		free(sc);
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	l->o = *o;
	l->o.learned = NULL;
	l->o.stats = NULL;
	l->o.quiet = true;
	l->r = (struct replay){ .o = &l->o, .err = err, .max_cpu = -1, .nr_cpus_header = -1 };
	rp = &l->r;
	l->r.wall_start = rp_wall_now();
	/* the scenario only says whether it names a machine (rp_boot_plan) */
	rc = rp_scenario_get(o, sc, err);
	l->r.scenario_machine = !rc && sim_scenario_has_key(sc, "machine");
	l->r.scenario_kernel = !rc && sc->kernel_given ? sc->kernel : -1;
	if (!rc)
		rc = rp_input(&l->r);
	/* ... and which kernel printed the trace (the reader's gfp names), as the replay will pick it */
	if (!rc)
		rc = rp_kernel_pick(&l->r, sc);
	if (!rc)
		rc = rp_kernel_set(&l->r, sc);
	sim_scenario_free(sc);
	free(sc);
	if (!rc)
		rp_boot_plan(&l->r);
	if (!rc && l->r.seekable && !o->one_pass)
		rc = rp_learn_pass(&l->r);
	if (rc || !l->r.learned) {	/* nothing learned before (a trace read once), or a bad one */
		rp_free(&l->r);
		free(l);
		l = NULL;
	} else {
		l->r.err = NULL;
	}
	rp = saved;
	*out = l;
	return rc;
}

void sim_replay_learned_free(struct sim_replay_learned *l)
{
	struct replay *saved = rp;

	if (!l)
		return;
	if (!l->used) {
		rp = &l->r;
		rp_free(&l->r);
		rp = saved;
	}
	free(l);
}

bool rp_adopt(struct replay *r)
{
	struct sim_replay_learned *l = r->o->learned;
	struct replay mine = *r;

	/* the same kernel said (or none): the pick, and the gfp names the pass read with, are the same */
	if (!l || l->used || !rp_agrees(&l->o, r->o) || l->r.scenario_machine != r->scenario_machine ||
	    l->r.scenario_kernel != r->scenario_kernel)
		return false;
	*r = l->r;
	/* what this replay set before: its options, streams, clock and scenario's answers */
	r->o = mine.o;
	r->err = mine.err;
	r->progress = mine.progress;
	r->wall_start = mine.wall_start;
	r->allocator = mine.allocator;
	r->scenario_machine = mine.scenario_machine;
	r->scenario_kernel = mine.scenario_kernel;
	r->pass_start = rp_wall_now();
	r->wall_last = 0;
	l->used = true;
	memset(&l->r, 0, sizeof(l->r));		/* it is this replay's to free now */
	return true;
}
