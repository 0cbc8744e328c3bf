/*
 * forced.c - replaying a forced schedule in `kmemsim run --schedule FILE`:
 * a chooser that follows the schedule's forced decisions and the default
 * everywhere else, and a warning when the run stops following it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "races.h"
#include "../engine/engine.h"

/* A chooser with the schedule it follows (freed together). */
struct forced_replay {
	struct sim_chooser ch;
	struct sim_schedule s;
	char *path;
};

int sim_forced_open(const char *path, struct sim_chooser **out, FILE *err)
{
	struct forced_replay *f;
	char head[64] = "";
	uint64_t seed;
	FILE *in = fopen(path, "r");
	int rc;

	*out = NULL;
	if (!in) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return SIM_EBADINPUT;
	}
	if (!fgets(head, sizeof(head), in))
		head[0] = 0;
	fclose(in);
	if (strncmp(head, "kmemsim-forced ", 15))
		return 1;
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(path))) {
		free(f);
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	rc = sim_schedule_read(&f->s, &seed, path, err);
	if (rc) {
		free(f->path);
		free(f);
		return SIM_EBADINPUT;
	}
	if (seed != sim->seed) {
		fprintf(err, "%s:1: seed: the schedule was found with seed %" PRIu64 ", the run has %" PRIu64 "\n",
			path, seed, sim->seed);
		sim_schedule_free(&f->s);
		free(f->path);
		free(f);
		return SIM_EBADINPUT;
	}
	sim_chooser_init(&f->ch, SIM_EXPLORE_RANDOM, seed, 1, 1, 0);
	f->ch.forced = &f->s;
	f->ch.forced_only = true;
	sim_chooser_install(&f->ch);
	/* The checks the explorer ran it with: "# check_every=N". */
	in = fopen(path, "r");
	while (in && fgets(head, sizeof(head), in)) {
		uint64_t n;

		if (sscanf(head, "# check_every=%" SCNu64, &n) == 1)
			sim_races_set_check_every(n);
	}
	if (in)
		fclose(in);
	*out = &f->ch;
	return 0;
}

void sim_forced_close(struct sim_chooser *ch, FILE *err)
{
	struct forced_replay *f = (struct forced_replay *)(void *)((char *)ch - offsetof(struct forced_replay, ch));
	int same = 0;

	while (same < f->s.nr && same < ch->taken.nr && f->s.f[same].step == ch->taken.f[same].step &&
	       f->s.f[same].choice == ch->taken.f[same].choice)
		same++;
	if (same != f->s.nr || ch->taken.nr != f->s.nr)
		fprintf(err, "%s: the run took %d of the schedule's %d forced switches: it no longer follows "
			"the schedule from forced switch %d\n", f->path, same, f->s.nr, same + 1);
	if (sim && sim->chooser == ch)
		sim->chooser = NULL;
	sim_chooser_free(ch);
	sim_schedule_free(&f->s);
	free(f->path);
	free(f);
}
