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

/* The two conflicting accesses of a race run (docs/story.md, "The marks"), for other views of
 * the run (`kmemsim timeline` draws a flow between them).  [0] is B, the access that acted
 * first; [1] is A, whose effect came after it (a read: when its code went on to use it). */
struct sim_story_access {
	uint64_t step;
	uint64_t time_ns;		/* when its effect happened: A's, when its code went on */
	int cpu;
	char text[240];			/* "step 27 (cpu0 task 2000, a = kmalloc(64) ...: slab_alloc_node ...)" */
};
/* 1 with acc[] filled, 0 when the run has no conflict to show (not a race run, or no forced
 * switch), -1 after a line on err. */
int sim_story_conflict(const char *db_path, struct sim_story_access acc[2], FILE *err);

/* Write the story to out (HTML: the page's body content only; the command wraps it in the
 * report's page).  0 (a window without steps says so), SIM_EBADINPUT after one line on err
 * (not a race run's database, --from after --to), or SIM_EFAIL. */
int sim_story_write(const struct sim_story_opts *o, FILE *out, FILE *err);

#endif
