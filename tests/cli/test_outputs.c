/*
 * test_outputs.c - the command line's one rule for failures and outputs
 * (docs/cli.md), end to end on the kmemsim binary.
 *
 * Strategy: a table of commands run with one bad input or one bad output
 * path each; every row must exit 2 with exactly one line on stderr that
 * starts with the WHERE (the option, the path, or file:line), and leave
 * nothing at the output path (a FIFO, directory, symbolic link or device
 * stays what it was, an absent path stays absent, no `*.tmp-*` file).  Then
 * what only a running process shows: SIGINT, SIGTERM and SIGHUP during a
 * replay (fed from a pipe that stays open, so it is still running) leave no
 * temporary file and the exit status is the signal; `explore --jobs 2`
 * workers die with their parent (SIGTERM: the parent kills them; SIGKILL:
 * PR_SET_PDEATHSIG); a database that cannot grow (RLIMIT_FSIZE, SIGXFSZ
 * ignored: no root needed) is one line, exit 1, and the old file stays.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../helpers.h"

static char *dir;

static void setup(void)
{
	char *p;

	dir = helper_tmpdir();
	cr_assert(eq(int, asprintf(&p, "%s/fifo", dir) > 0 && !mkfifo(p, 0644), 1));
	free(p);
	cr_assert(eq(int, asprintf(&p, "%s/d", dir) > 0 && !mkdir(p, 0755), 1));
	free(p);
	cr_assert(eq(int, asprintf(&p, "%s/link", dir) > 0 && !symlink("target.db", p), 1));
	free(p);
	{
		/* A socket stands for any special file (no root needed; a device would be clobbered
		 * for the whole machine if the rule ever broke). */
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", dir);
		cr_assert(eq(int, fd >= 0 && !bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 1));
		close(fd);
	}
	free(helper_write_file(dir, "empty.db", ""));
	free(helper_write_file(dir, "s1.db", ""));
}

static void teardown(void)
{
	helper_rmtree(dir);
}

TestSuite(outputs, .init = setup, .fini = teardown, .timeout = 60);

static char *src(const char *rel)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	char *p = NULL;

	cr_assert(asprintf(&p, "%s/%s", root ? root : ".", rel) > 0);
	return p;
}

/* The number of `*.tmp-*` entries in dir. */
static int nr_tmp_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert(not(eq(ptr, d, NULL)));
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".tmp-") != NULL;
	closedir(d);
	return n;
}

/* lstat's file type of dir/name, or 0 when absent. */
static mode_t type_of(const char *name)
{
	struct stat st;
	char *p;
	mode_t m;

	if (name[0] == '/')
		return lstat(name, &st) ? 0 : st.st_mode & S_IFMT;
	cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
	m = lstat(p, &st) ? 0 : st.st_mode & S_IFMT;
	free(p);
	return m;
}

/* ------------------------------------------------- one rule, per command */

#define SC "@races"		/* replaced by the race scenario's path */
#define TRACE "@trace"		/* replaced by the shipped sample's path */

/* Arrays, not pointers: Criterion copies parameters into a freshly started worker. */
struct bad_case {
	char argv[8][48];		/* "" ends it */
	char where[64];			/* stderr starts with this */
	char out[16];			/* the output path: keeps its type (0: absent) */
};

static const struct bad_case bad_cases[] = {
	/* the output rule */
	{ { "run", "--db", "fifo" }, "kmemsim run: --db: fifo: a FIFO", "fifo" },
	{ { "run", "--db", "d" }, "kmemsim run: --db: d: a directory", "d" },
	{ { "run", "--db", "link" }, "kmemsim run: --db: link: a symbolic link", "link" },
	{ { "run", "--db", "sock" }, "kmemsim run: --db: sock: a socket", "sock" },
	{ { "run", "--db", "nodir/x.db" }, "kmemsim run: --db: nodir/x.db: no directory nodir", "nodir" },
	{ { "run", "--db", "o.db", "--schedule-out", "d" }, "kmemsim run: --schedule-out: d: a directory", "o.db" },
	{ { "replay", TRACE, "--db", "fifo" }, "kmemsim replay: --db: fifo: a FIFO", "fifo" },
	{ { "replay", TRACE, "--db", "d" }, "kmemsim replay: --db: d: a directory", "d" },
	{ { "validate", TRACE, "--db", "link" }, "kmemsim validate: --db: link: a symbolic link", "link" },
	{ { "explore", SC, "--db", "fifo" }, "kmemsim explore: --db: fifo: a FIFO", "fifo" },
	{ { "explore", SC, "--schedule-out", "d" }, "kmemsim explore: --schedule-out: d: a directory", "d" },
	{ { "merge", "d", "s1.db" }, "kmemsim merge: OUT: d: a directory", "d" },
	{ { "merge", "o.db", "s1.db", "--schedule-out", "fifo" }, "kmemsim merge: --schedule-out: fifo: a FIFO",
	  "o.db" },
	{ { "merge", "s1.db", "empty.db", "s1.db" }, "kmemsim merge: OUT: s1.db is also an input", "s1.db" },
	{ { "merge", "o.db", "s1.db", "s1.db" }, "kmemsim merge: s1.db: given twice", "o.db" },
	/* other bad input: the option, the path or file:line first */
	{ { "run", "missing.json", "--db", "o.db" }, "missing.json: cannot read", "o.db" },
	{ { "run", "--seed", "abc", "--db", "o.db" }, "kmemsim run: --seed:", "o.db" },
	{ { "replay", "missing.txt", "--db", "o.db" }, "missing.txt:", "o.db" },
	{ { "replay", TRACE, "--pages", "some", "--db", "o.db" }, "kmemsim replay: --pages:", "o.db" },
	{ { "validate", "missingdir", "--db", "o.db" }, "missingdir/SNAP0:", "o.db" },
	{ { "explore", "missing.json", "--db", "o.db" }, "missing.json: cannot read", "o.db" },
	{ { "explore", SC, "--strategy", "dfs", "--db", "o.db" }, "kmemsim explore: --strategy:", "o.db" },
	{ { "merge", "o.db", "missing.db" }, "kmemsim merge: missing.db:", "o.db" },
	{ { "buddyinfo", "missing.db" }, "kmemsim buddyinfo: missing.db:", "missing.db" },
	{ { "zoneinfo", "missing.db" }, "kmemsim zoneinfo: missing.db:", "missing.db" },
	{ { "slabinfo", "missing.db" }, "kmemsim slabinfo: missing.db:", "missing.db" },
	{ { "slabstat", "missing.db", "kmalloc-64" }, "kmemsim slabstat: missing.db:", "missing.db" },
	{ { "slabinfo", "empty.db", "--to", "soon" }, "kmemsim slabinfo: --to:", "empty.db" },
	{ { "nosuchcommand" }, "kmemsim: unknown command", "o.db" },
};

ParameterizedTestParameters(outputs, bad_input_is_one_line_exit_2_and_no_file)
{
	return cr_make_param_array(struct bad_case, (void *)bad_cases, sizeof(bad_cases) / sizeof(bad_cases[0]));
}

ParameterizedTest(const struct bad_case *c, outputs, bad_input_is_one_line_exit_2_and_no_file)
{
	const char *argv[12] = { "kmemsim" };
	char *sc = src("scenarios/races/slab-refill-list-lock.json");
	char *trace = src("traces/samples/debian-6.1.192-4cpu-2node");
	char *err = NULL, *line = NULL;
	mode_t before = type_of(c->out);
	int rc, n = 1;

	for (int i = 0; i < 8 && c->argv[i][0]; i++)
		argv[n++] = !strcmp(c->argv[i], SC) ? sc : !strcmp(c->argv[i], TRACE) ? trace : c->argv[i];
	argv[n++] = "--quiet";	/* run, replay and explore take it; the others refuse it later */
	if (strcmp(c->argv[0], "run") && strcmp(c->argv[0], "replay") && strcmp(c->argv[0], "explore"))
		n--;
	argv[n] = NULL;
	rc = helper_run_kmemsim(dir, argv, NULL, &err);
	cr_assert(eq(int, rc, 2), "%s: %s", c->argv[0], err ? err : "");
	cr_assert(not(eq(ptr, err, NULL)));
	cr_assert(eq(int, strncmp(err, c->where, strlen(c->where)), 0), "expected \"%s...\", got: %s", c->where, err);
	line = strchr(err, '\n');
	cr_assert(not(eq(ptr, line, NULL)));
	cr_assert(eq(str, line + 1, ""), "more than one line: %s", err);
	cr_assert(eq(u32, type_of(c->out), before), "%s changed", c->out);
	cr_assert(eq(int, nr_tmp_files(), 0));
	if (!strcmp(c->out, "s1.db"))
		cr_assert(eq(u32, type_of("s1.db"), S_IFREG));
	free(err);
	free(sc);
	free(trace);
}

/* merge refuses its own input under another name too (same device and inode). */
Test(outputs, merge_refuses_an_input_as_out_under_another_name)
{
	const char *argv[] = { "kmemsim", "merge", "hard.db", "empty.db", "s1.db", NULL };
	char *a = NULL, *b = NULL, *err = NULL;
	struct stat st;

	cr_assert(asprintf(&a, "%s/s1.db", dir) > 0 && asprintf(&b, "%s/hard.db", dir) > 0);
	cr_assert(eq(int, link(a, b), 0));
	cr_assert(eq(int, helper_run_kmemsim(dir, argv, NULL, &err), 2));
	cr_assert(not(eq(ptr, strstr(err, "kmemsim merge: OUT: hard.db is also an input (s1.db)"), NULL)), "%s", err);
	cr_assert(eq(int, stat(a, &st), 0));
	cr_assert(eq(i64, st.st_size, 0));	/* not replaced */
	free(a);
	free(b);
	free(err);
}

/* slabinfo and slabstat on a buddy-only run: one line naming the database, exit 2. */
Test(outputs, slab_reports_of_a_buddy_only_run_are_one_line)
{
	char *sc = src("scenarios/high-order.json"), *err = NULL;
	const char *run[] = { "kmemsim", "run", sc, "--db", "b.db", "--quiet", NULL };
	const char *info[] = { "kmemsim", "slabinfo", "b.db", NULL };
	const char *stat[] = { "kmemsim", "slabstat", "b.db", "kmalloc-64", NULL };

	cr_assert(eq(int, helper_run_kmemsim(dir, run, NULL, NULL), 0));
	cr_assert(eq(int, helper_run_kmemsim(dir, info, NULL, &err), 2));
	cr_assert(eq(str, err, "b.db: a buddy-only run has no slab caches\n"));
	free(err);
	cr_assert(eq(int, helper_run_kmemsim(dir, stat, NULL, &err), 2));
	cr_assert(eq(str, err, "b.db: a buddy-only run has no slab caches\n"));
	free(err);
	free(sc);
}

/* ------------------------------------------------------ running processes */

/* Start $KMEMSIM_BIN argv in dir: stdin from in_fd (-1: /dev/null), stderr to dir/err.txt,
 * default signal actions, files limited to fsize bytes (0: no limit) with SIGXFSZ ignored. */
static pid_t spawn(const char *const argv[], int in_fd, rlim_t fsize)
{
	const char *bin = getenv("KMEMSIM_BIN");
	pid_t pid;

	cr_assert(not(eq(ptr, (void *)bin, NULL)));
	pid = fork();
	cr_assert(ge(int, pid, 0));
	if (pid == 0) {
		sigset_t none;
		int fd;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (fsize) {
			struct rlimit rl = { fsize, fsize };

			signal(SIGXFSZ, SIG_IGN);
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		if (chdir(dir))
			_exit(126);
		fd = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
		dup2(fd, 0);
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		fd = open("err.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A kmalloc event line of a trace (ftrace text format), event i. */
static int event_line(char *buf, size_t size, int i)
{
	return snprintf(buf, size, "            init-1       [%03d] .....     7.%06d: kmalloc:"
			" call_site=alloc_bprm+0x32/0x2d0 ptr=ffff8880%08x bytes_req=64 bytes_alloc=64"
			" gfp_flags=GFP_KERNEL node=-1 accounted=false\n", i % 4, i, 0x10000000 + i * 64);
}

struct sig_case { int sig; };

ParameterizedTestParameters(outputs, a_signal_during_a_replay_leaves_no_temporary_file)
{
	static const struct sig_case cases[] = { { SIGINT }, { SIGTERM }, { SIGHUP } };

	return cr_make_param_array(struct sig_case, (void *)cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const struct sig_case *c, outputs, a_signal_during_a_replay_leaves_no_temporary_file)
{
	const char *argv[] = { "kmemsim", "replay", "-", "--db", "sig.db", "--quiet", NULL };
	char line[512];
	int p[2], status, waited = 0;
	pid_t pid;

	cr_assert(eq(int, pipe(p), 0));
	pid = spawn(argv, p[0], 0);
	close(p[0]);
	/* Half a trace: the replay reads it and waits for more on the open pipe. */
	cr_assert(eq(int, write(p[1], "# tracer: nop\n", 14), 14));
	for (int i = 0; i < 2000; i++) {
		int n = event_line(line, sizeof(line), i);

		cr_assert(eq(int, (int)write(p[1], line, (size_t)n), n));
	}
	while (!nr_tmp_files() && waited < 10000) {
		sleep_ms(20);
		waited += 20;
	}
	cr_assert(eq(int, nr_tmp_files(), 1), "the replay never made its temporary database");
	cr_assert(eq(int, kill(pid, c->sig), 0));
	cr_assert(eq(int, waitpid(pid, &status, 0), pid));
	close(p[1]);
	cr_assert(eq(int, WIFSIGNALED(status), 1), "status %#x", status);
	cr_assert(eq(int, WTERMSIG(status), c->sig));
	cr_assert(eq(int, nr_tmp_files(), 0));
	cr_assert(eq(u32, type_of("sig.db"), 0));
}

/* The pids whose parent is `parent` (from /proc/N/stat), at most max. */
static int children_of(pid_t parent, pid_t *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	cr_assert(not(eq(ptr, d, NULL)));
	while ((e = readdir(d)) && n < max) {
		char path[300], buf[512], *rp;
		int ppid = -1;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')) && sscanf(rp + 1, " %*c %d", &ppid) == 1 &&
		    ppid == parent)
			pids[n++] = atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return n;
}

/* Running (not gone, not a zombie waiting for whoever adopted it). */
static bool alive(pid_t pid)
{
	char path[64], buf[512], *rp, state = 'X';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (rp = strrchr(buf, ')')))
		sscanf(rp + 1, " %c", &state);
	fclose(f);
	return state != 'Z' && state != 'X';
}

ParameterizedTestParameters(outputs, explore_workers_die_with_their_parent)
{
	static const struct sig_case cases[] = { { SIGTERM }, { SIGKILL } };

	return cr_make_param_array(struct sig_case, (void *)cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(const struct sig_case *c, outputs, explore_workers_die_with_their_parent)
{
	char *sc = src("scenarios/races/slab-refill-list-lock.json");
	const char *argv[] = { "kmemsim", "explore", sc, "--jobs", "2", "--schedules", "100000000", "--all",
			       "--no-shrink", "--quiet", NULL };
	pid_t pid = spawn(argv, -1, 0), workers[8];
	int n = 0, status, waited = 0;

	while ((n = children_of(pid, workers, 8)) < 2 && waited < 10000) {
		sleep_ms(20);
		waited += 20;
	}
	cr_assert(eq(int, n, 2), "explore --jobs 2 started %d workers", n);
	cr_assert(eq(int, kill(pid, c->sig), 0));
	cr_assert(eq(int, waitpid(pid, &status, 0), pid));
	cr_assert(eq(int, WIFSIGNALED(status) && WTERMSIG(status) == c->sig, 1), "status %#x", status);
	for (waited = 0; (alive(workers[0]) || alive(workers[1])) && waited < 5000; waited += 20)
		sleep_ms(20);
	cr_assert(eq(int, alive(workers[0]), 0), "worker %d outlived its parent", (int)workers[0]);
	cr_assert(eq(int, alive(workers[1]), 0), "worker %d outlived its parent", (int)workers[1]);
	free(sc);
}

/* A database that cannot grow: one line, exit 1, the good database of an earlier run stays. */
Test(outputs, a_full_disk_is_one_line_and_keeps_the_old_database)
{
	const char *argv[] = { "kmemsim", "--db", "full.db", "--quiet", NULL };
	char *path = helper_write_file(dir, "full.db", "an earlier run\n"), *err_path = NULL;
	char *err = NULL, *text = NULL;
	size_t len = 0, tlen = 0;
	pid_t pid = spawn(argv, -1, 256 * 1024);
	int status;
	FILE *f;

	cr_assert(eq(int, waitpid(pid, &status, 0), pid));
	cr_assert(eq(int, WIFEXITED(status) ? WEXITSTATUS(status) : -1, 1), "status %#x", status);
	cr_assert(eq(int, asprintf(&err_path, "%s/err.txt", dir) > 0, 1));
	f = fopen(err_path, "r");
	cr_assert(not(eq(ptr, f, NULL)));
	cr_assert(getdelim(&err, &len, 0, f) > 0);
	fclose(f);
	cr_assert(eq(str, err, "full.db: write failed: disk full\n"));
	cr_assert(eq(int, nr_tmp_files(), 0));
	f = fopen(path, "r");
	cr_assert(not(eq(ptr, f, NULL)));
	cr_assert(getdelim(&text, &tlen, 0, f) > 0);
	fclose(f);
	cr_assert(eq(str, text, "an earlier run\n"));
	free(text);
	free(err);
	free(err_path);
	free(path);
}

/* validate's temporary directory (no --db) goes too when a signal stops it. */
Test(outputs, a_signal_during_validate_leaves_no_temporary_directory)
{
	char *cap = helper_shared_trace("oracle-slub-stats-6.1.192-4cpu-2node");
	const char *argv[] = { "kmemsim", "validate", cap, NULL };
	int status, waited = 0, n = 0;
	pid_t pid;

	cr_assert(eq(int, setenv("TMPDIR", dir, 1), 0));	/* its kmemsim-validate-XXXXXX goes in dir */
	pid = spawn(argv, -1, 0);
	for (; waited < 10000; waited += 20) {
		DIR *d = opendir(dir);
		struct dirent *e;

		n = 0;
		while ((e = readdir(d)))
			n += !strncmp(e->d_name, "kmemsim-validate-", 17);
		closedir(d);
		if (n)
			break;
		sleep_ms(20);
	}
	cr_assert(eq(int, n, 1), "validate made no temporary directory");
	sleep_ms(200);
	cr_assert(eq(int, kill(pid, SIGTERM), 0));
	cr_assert(eq(int, waitpid(pid, &status, 0), pid));
	cr_assert(eq(int, WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, 1), "status %#x", status);
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		n = 0;
		while ((e = readdir(d)))
			n += !strncmp(e->d_name, "kmemsim-validate-", 17);
		closedir(d);
	}
	cr_assert(eq(int, n, 0), "the temporary directory of validate is left");
	free(cap);
}
