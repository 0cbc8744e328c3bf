/*
 * outfile.c - output files (outfile.h): the rule an output path obeys, the
 * temporary files and workers cleaned up on SIGINT, SIGTERM and SIGHUP, and
 * a text file written whole through a temporary name.  Not a kernel part.
 *
 * The signal handler only calls async-signal-safe functions (getpid,
 * unlink, rmdir, kill, raise): it unlinks the files this process tracks,
 * removes its tracked (temporary, by then empty) directories, kills its
 * tracked workers, and, installed with SA_RESETHAND | SA_NODEFER, re-raises
 * the signal with the default action, so the process dies of it and its
 * parent sees the signal in the exit status.  Entries carry the pid that
 * tracked them: a forked worker inherits the table but never unlinks its
 * parent's files nor kills its siblings.  A signal the process ignored when
 * the handler would be installed (nohup, a background job's SIGINT) stays
 * ignored.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

#define OUT_MAX_FILES 8
#define OUT_MAX_PIDS 64

struct out_file {
	volatile sig_atomic_t used;
	bool dir;			/* a directory: rmdir, after the files */
	pid_t owner;
	char path[PATH_MAX];
};

static struct out_file out_files[OUT_MAX_FILES];
static volatile pid_t out_pids[OUT_MAX_PIDS];		/* 0: free */
static pid_t out_pid_owner[OUT_MAX_PIDS];
static bool out_installed;
static const int out_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* ------------------------------------------------------------ the rule */

static const char *out_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int sim_out_check(const char *where, const char *path, FILE *err)
{
	struct stat st;
	char dir[PATH_MAX];
	const char *slash;

	if (!*path) {
		fprintf(err, "%s: an empty path\n", where);
		return -1;
	}
	if (!lstat(path, &st)) {
		if (!S_ISREG(st.st_mode)) {
			fprintf(err, "%s: %s: %s; an output must be a regular file or absent\n", where, path,
				out_kind(st.st_mode));
			return -1;
		}
	} else if (errno != ENOENT) {
		fprintf(err, "%s: %s: %s\n", where, path, strerror(errno));
		return -1;
	}
	/* The directory gets the temporary file and the rename. */
	slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(err, "%s: %s: no directory %s\n", where, path, dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		fprintf(err, "%s: %s: cannot write in %s: %s\n", where, path, dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ signals */

static void out_handler(int sig)
{
	pid_t self = getpid();

	for (int i = 0; i < OUT_MAX_FILES; i++)
		if (out_files[i].used && out_files[i].owner == self && !out_files[i].dir)
			unlink(out_files[i].path);
	for (int i = 0; i < OUT_MAX_FILES; i++)
		if (out_files[i].used && out_files[i].owner == self && out_files[i].dir)
			rmdir(out_files[i].path);
	for (int i = 0; i < OUT_MAX_PIDS; i++)
		if (out_pids[i] > 0 && out_pid_owner[i] == self)
			kill(out_pids[i], SIGKILL);
	/* SA_RESETHAND made the action the default again, SA_NODEFER left the signal unblocked. */
	raise(sig);
}

static void out_install(void)
{
	if (out_installed)
		return;
	out_installed = true;
	for (size_t i = 0; i < sizeof(out_signals) / sizeof(out_signals[0]); i++) {
		struct sigaction old, sa;

		if (sigaction(out_signals[i], NULL, &old) || old.sa_handler != SIG_DFL)
			continue;	/* ignored (nohup, background) or someone else's: leave it */
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = out_handler;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(out_signals[i], &sa, NULL);
	}
}

static int out_track(const char *tmp, bool dir)
{
	out_install();
	if (strlen(tmp) >= PATH_MAX)
		return -1;
	for (int i = 0; i < OUT_MAX_FILES; i++)
		if (!out_files[i].used || out_files[i].owner != getpid()) {
			out_files[i].used = 0;
			out_files[i].owner = getpid();
			out_files[i].dir = dir;
			memcpy(out_files[i].path, tmp, strlen(tmp) + 1);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* the path is whole before it counts */
			out_files[i].used = 1;
			return 0;
		}
	return -1;
}

int sim_out_track(const char *tmp)
{
	return out_track(tmp, false);
}

int sim_out_track_dir(const char *dir)
{
	return out_track(dir, true);
}

void sim_out_forget(const char *tmp)
{
	for (int i = 0; i < OUT_MAX_FILES; i++)
		if (out_files[i].used && out_files[i].owner == getpid() && !strcmp(out_files[i].path, tmp))
			out_files[i].used = 0;
}

void sim_out_track_pid(pid_t pid)
{
	out_install();
	for (int i = 0; i < OUT_MAX_PIDS; i++)
		if (out_pids[i] <= 0 || out_pid_owner[i] != getpid()) {
			out_pids[i] = 0;
			out_pid_owner[i] = getpid();
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			out_pids[i] = pid;
			return;
		}
}

void sim_out_forget_pid(pid_t pid)
{
	for (int i = 0; i < OUT_MAX_PIDS; i++)
		if (out_pids[i] == pid && out_pid_owner[i] == getpid())
			out_pids[i] = 0;
}

void sim_out_worker(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)	/* the parent died before prctl: nobody would kill us */
		_exit(1);
}

/* ------------------------------------------------------------ text files */

char *sim_out_tmp_name(const char *path)
{
	char *tmp;

	return asprintf(&tmp, "%s.tmp-%ld", path, (long)getpid()) < 0 ? NULL : tmp;
}

int sim_out_write_text(const char *path, const char *text, FILE *err)
{
	char *tmp = sim_out_tmp_name(path);
	FILE *f;
	int e = 0;

	if (!tmp) {
		fprintf(err, "%s: cannot write: out of memory\n", path);
		return SIM_EFAIL;
	}
	unlink(tmp);
	sim_out_track(tmp);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fflush(f))
		e = errno;
	if (f && fclose(f) && !e)
		e = errno;
	if (!e && rename(tmp, path))
		e = errno;
	if (e)
		unlink(tmp);
	sim_out_forget(tmp);
	free(tmp);
	if (e) {
		fprintf(err, "%s: cannot write: %s\n", path, strerror(e));
		return SIM_EFAIL;
	}
	return 0;
}
