/*
 * outfile.h - output files (sim/engine/outfile.c), included by engine.h: the
 * rule every output path obeys, the temporary files and worker processes
 * cleaned up when SIGINT, SIGTERM or SIGHUP arrives, and a text file written
 * whole or not at all.  Not a kernel part: the host side of every command.
 *
 * The rule (docs/cli.md): an output path (--db, --schedule-out, merge's OUT)
 * is absent or a regular file, in a directory that exists; a symbolic link,
 * a directory, a device, a FIFO or a socket is refused, before any work, as
 * bad input.  Outputs are written to `<path>.tmp-<pid>` and renamed over
 * `path` when complete, so a failed or interrupted run leaves the old file.
 */
#ifndef KMEMSIM_SIM_ENGINE_OUTFILE_H
#define KMEMSIM_SIM_ENGINE_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

/* 0 when `path` may be written; else -1 after one line `WHERE: PATH: what` on err
 * (`where` such as "kmemsim run: --db"). */
int sim_out_check(const char *where, const char *path, FILE *err);

/* Unlink `tmp` if a fatal signal (SIGINT, SIGTERM, SIGHUP) arrives before
 * sim_out_forget(tmp); the handler then dies of the signal.  0, or -1 when
 * the table of tracked files is full or the path too long (it is not tracked). */
int sim_out_track(const char *tmp);
/* The same for a temporary directory: removed (rmdir) after the tracked files. */
int sim_out_track_dir(const char *dir);
void sim_out_forget(const char *tmp);			/* a file or a directory */
/* Kill worker `pid` (SIGKILL) if a fatal signal arrives before sim_out_forget_pid. */
void sim_out_track_pid(pid_t pid);
void sim_out_forget_pid(pid_t pid);
/* In a forked worker: die with the parent (PR_SET_PDEATHSIG), forget the parent's files. */
void sim_out_worker(pid_t parent);

/* The name `<path>.tmp-<pid>` (malloc'ed; NULL without memory). */
char *sim_out_tmp_name(const char *path);
/* Write `text` to path through a tracked temporary file and a rename.  0, or
 * SIM_EFAIL after one line `PATH: cannot write: why` on err (no file left). */
int sim_out_write_text(const char *path, const char *text, FILE *err);

#endif
