/*
 * cli.h - the kmemsim command line: a table of subcommands (sim/cli/cli.c).
 *
 * Adding a subcommand: write `int sim_cli_<name>(int argc, char **argv,
 * FILE *out, FILE *err)` (argv[0] is the subcommand's name), declare it
 * below, and add one line to the table in sim/cli/cli.c.  Parse its options with
 * sim_cli_parse, which prints bad input as one line and returns
 * SIM_EBADINPUT.  Return 0, SIM_EFAIL or SIM_EBADINPUT; main() turns that
 * into the exit status.
 */
#ifndef KMEMSIM_SIM_CLI_H
#define KMEMSIM_SIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One option of a subcommand. */
enum sim_cli_opt_type {
	SIM_CLI_FLAG,			/* --name: *(bool *)dest = true */
	SIM_CLI_STRING,			/* --name VALUE or --name=VALUE: *(const char **)dest */
	SIM_CLI_U64,			/* a decimal or 0x integer: *(uint64_t *)dest */
	SIM_CLI_LIST,			/* repeatable --name VALUE: appended to *(struct sim_cli_list *)dest */
};
#define SIM_CLI_MAX_LIST 64
struct sim_cli_list {
	const char *v[SIM_CLI_MAX_LIST];
	int n;
};
struct sim_cli_opt {
	const char *name;		/* with the dashes: "--seed" */
	enum sim_cli_opt_type type;
	void *dest;
	bool *seen;			/* set when given; may be NULL */
};

/* Parse argv[1..] against `opts` (ended by a NULL name) and up to max_pos positional
 * arguments into pos[]; *nr_pos gets their number.  0, 1 when --help was asked
 * (usage printed on out), or SIM_EBADINPUT after one line on err. */
int sim_cli_parse(int argc, char **argv, const struct sim_cli_opt *opts, const char **pos,
		  int min_pos, int max_pos, int *nr_pos, FILE *out, FILE *err);

/* A point of a run for --from/--to of `cmd`: TIME (ns, or with a unit us/ms/s), line:N
 * (trace line of a replay) or mark:TEXT (a trace mark of a replay), on the database at
 * db_path, opened into *db when *db is NULL and line: or mark: needs it (the caller closes
 * it).  0, or SIM_EBADINPUT or SIM_EFAIL (out of memory) after one line on err. */
struct sim_db;
int sim_cli_point(const char *cmd, const char *opt, const char *s, const char *db_path,
		  struct sim_db **db, uint64_t *ns, FILE *err);
/* sim_cli_window_args' --help (sim_cli_parse's 1 is SIM_EFAIL there) */
#define SIM_CLI_HELP (-1)
/* sim_cli_parse with --from and --to (and `extra` options, ended by a NULL name; may be NULL)
 * for a command whose first positional argument is a DB: the points resolved into *w.
 * 0, SIM_CLI_HELP after --help, or SIM_EBADINPUT or SIM_EFAIL after one line. */
struct sim_slab_window;
int sim_cli_window_args(int argc, char **argv, const struct sim_cli_opt *extra, const char **pos,
			int min_pos, int max_pos, int *nr_pos, struct sim_slab_window *w, FILE *out, FILE *err);

/* A report command's DB argument: 0 when readable, else SIM_EBADINPUT after one line. */
int sim_cli_db_readable(const char *cmd, const char *db, FILE *err);
/* --from / --to of a report on db_path (TIME, line:N or mark:TEXT, as sim_cli_point) into *w,
 * the database opened at most once; also checks that it is readable.  0, or SIM_EBADINPUT or
 * SIM_EFAIL (out of memory) after one line on err. */
int sim_cli_window(const char *cmd, const char *db_path, const char *from, const char *to,
		   struct sim_slab_window *w, FILE *err);
/* --shard "i/N" (0 <= i < N <= 10^6) into *shard, *nr; 0 or -1 (the caller says what is wrong). */
int sim_cli_shard(const char *s, int *shard, int *nr);

/* The whole command line: kmemsim [SUBCOMMAND] ...  Returns 0, SIM_EFAIL or SIM_EBADINPUT. */
/* --allocator of `cmd`: slub or slab (slab_only), or buddy too, into *out; 0 or SIM_EBADINPUT after a line. */
int sim_cli_allocator(const char *cmd, const char *arg, bool slab_only, int *out, FILE *err);
/* --kernel 6.1|6.12 of `cmd` (arg NULL: not given): the same as --set kernel=V, appended to `sets`
 * (after the user's --set, so it wins); 0, or SIM_EBADINPUT after one line. */
int sim_cli_kernel(const char *cmd, const char *arg, struct sim_cli_list *sets, FILE *err);
/* --log of `cmd` (NULL: not given): ops, aggregate (*aggregate) or none (*no_log); 0 or SIM_EBADINPUT. */
int sim_cli_log_mode(const char *cmd, const char *arg, bool *no_log, bool *aggregate, FILE *err);
int sim_cli_main(int argc, char **argv, FILE *out, FILE *err);
/* Output path `path` of `cmd`'s option `opt` (or "OUT"): absent or a regular file (sim_out_check);
 * 0, or SIM_EBADINPUT after one line `kmemsim CMD: OPT: PATH: what`.  Checked before any work. */
int sim_cli_output(const char *cmd, const char *opt, const char *path, FILE *err);

/* Subcommands (sim/cli/cli.c). */
int sim_cli_run(int argc, char **argv, FILE *out, FILE *err);		/* run a scenario */
int sim_cli_buddyinfo(int argc, char **argv, FILE *out, FILE *err);	/* /proc/buddyinfo of a run */
int sim_cli_zoneinfo(int argc, char **argv, FILE *out, FILE *err);	/* /proc/zoneinfo of a run */
int sim_cli_vmstat(int argc, char **argv, FILE *out, FILE *err);	/* /proc/vmstat of a run */
int sim_cli_slabinfo(int argc, char **argv, FILE *out, FILE *err);	/* /proc/slabinfo of a run */
int sim_cli_slabstat(int argc, char **argv, FILE *out, FILE *err);	/* /sys/kernel/slab/CACHE/STAT */
int sim_cli_replay(int argc, char **argv, FILE *out, FILE *err);	/* replay a kernel trace (sim/cli/cmd_replay.c) */
int sim_cli_explore(int argc, char **argv, FILE *out, FILE *err);	/* explore a scenario's schedules */
int sim_cli_merge(int argc, char **argv, FILE *out, FILE *err);		/* merge sharded explorations */
int sim_cli_diff(int argc, char **argv, FILE *out, FILE *err);		/* two runs side by side (cmd_diff.c) */
int sim_cli_report(int argc, char **argv, FILE *out, FILE *err);	/* HTML report (cmd_report.c) */
int sim_cli_summary(int argc, char **argv, FILE *out, FILE *err);	/* a run's summary again (cmd_summary.c) */
int sim_cli_callsites(int argc, char **argv, FILE *out, FILE *err);	/* per call site of a replay (cmd_callsites.c) */
int sim_cli_validate(int argc, char **argv, FILE *out, FILE *err);	/* a capture's replay vs its kernel (cmd_validate.c) */
int sim_cli_timeline(int argc, char **argv, FILE *out, FILE *err);	/* a run as a Perfetto trace (cmd_timeline.c) */
int sim_cli_story(int argc, char **argv, FILE *out, FILE *err);	/* a race run step by step (cmd_story.c) */
int sim_cli_sweep(int argc, char **argv, FILE *out, FILE *err);		/* a grid of settings (cmd_sweep.c) */
int sim_cli_sweep_merge(int argc, char **argv, FILE *out, FILE *err);	/* merge of sweep slices (cmd_sweep.c) */

#endif
