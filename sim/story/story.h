/*
 * story.h - `kmemsim story`: a race run's steps told as lanes, one per CPU and
 * context, and the only header of sim/story/ that other folders include
 * (docs/story.md).
 *
 * It reads the tables a race run writes (steps, watch, forced, names, ops,
 * violations, runs: sim/run/steps.h) and prints, above the lanes, the scenario's
 * description, the objects the script names, the violation and the two
 * conflicting accesses; in the lanes each step's kernel function and label, the
 * operation it belongs to, and the watched shared state it changed (before ->
 * after, addresses shown as the script's names).
 */
#ifndef KMEMSIM_SIM_STORY_H
#define KMEMSIM_SIM_STORY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum sim_story_format { SIM_STORY_TEXT, SIM_STORY_HTML };

struct sim_story_opts {
	const char *db_path;
	bool from_set, to_set;		/* steps [from, to] only (the header is always whole) */
	uint64_t from, to;
	enum sim_story_format format;
	bool no_description;		/* leave the scenario's description out */
};

/* Write the story to out (HTML: the page's body content only; the command wraps it in the
 * report's page).  0, SIM_EBADINPUT after one line on err (not a race run's database,
 * an empty window), or SIM_EFAIL. */
int sim_story_write(const struct sim_story_opts *o, FILE *out, FILE *err);

#endif
