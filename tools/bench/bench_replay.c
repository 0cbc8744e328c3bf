/*
 * bench_replay.c - how fast `kmemsim replay` goes end to end, and how much
 * memory it needs (run by `meson test --benchmark replay`).
 *
 *   bench_replay [--runs N] [--times K] [--stream-log] [TRACE|CAPTURE_DIR]
 *
 * name=replay log=on|off: the input replayed whole (learning pass, replay,
 *   database in /tmp with one row per event, or no database), N times
 *   (default 3), each in a child process; the median run: events read per
 *   wall-clock second of the whole replay and per CPU second of the child
 *   (all its threads: less disturbed by other work on a shared machine), and
 *   the child's peak resident memory (ru_maxrss); beside it, its floor
 *   measured in the same run: `xz -dc` of the same trace file alone (median
 *   of N), and the ratio.
 * name=replay_stream times=1|K: the input's trace streamed through a FIFO
 *   once and K times over (default 10; each copy's timestamps shifted past
 *   the previous copy's, so the copies follow one another on the machine),
 *   read once (no learning pass), no database unless --stream-log: the peak
 *   resident memory of each, which must not grow with K.
 *
 * Default input: the whole shared capture (../shared/traces/
 * debian-6.1.192-4cpu-2node next to the source tree, KMEMSIM_SOURCE_ROOT)
 * when present, else the shipped sample (traces/samples/).  The parse-only
 * floor is tools/bench/bench_parse.  Fixed input and seed; not a test.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/replay/replay.h"
#include "sim/scenario/scenario.h"

#define MAX_RUNS 21
#define SHARED "/../shared/traces/debian-6.1.192-4cpu-2node"
#define SAMPLE "/traces/samples/debian-6.1.192-4cpu-2node"

struct result {
	double secs;
	uint64_t events, replayed;
	long maxrss_kb;
	double cpu_secs;		/* user + system time of the child, every thread */
	int rc;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One replay in a child process: its figures and its peak memory. */
static struct result run_child(const struct sim_replay_opts *o)
{
	struct result r = { .rc = -1 };
	struct rusage ru;
	int fd[2], status;
	pid_t pid;

	if (pipe(fd))
		return r;
	pid = fork();
	if (pid == 0) {
		struct sim_replay_stats st = { 0 };
		struct sim_replay_opts c = *o;
		FILE *null = fopen("/dev/null", "w");
		struct result res = { 0 };
		double t = now_s();

		c.stats = &st;
		res.rc = sim_replay(&c, null ? null : stdout, stderr);
		res.secs = now_s() - t;
		res.events = st.nr_events;
		res.replayed = st.nr_replayed;
		if (write(fd[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (pid > 0 && read(fd[0], &r, sizeof(r)) != sizeof(r))
		r.rc = -1;
	close(fd[0]);
	if (pid > 0 && wait4(pid, &status, 0, &ru) == pid) {
		r.maxrss_kb = ru.ru_maxrss;
		r.cpu_secs = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
			     (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
	}
	return r;
}

static int cmp_secs(const void *a, const void *b)
{
	const struct result *x = a, *y = b;

	return (x->secs > y->secs) - (x->secs < y->secs);
}

/* The floor of a replay of an .xz trace: `xz -dc FILE > /dev/null` alone, median wall
 * seconds of `runs`; 0 when the trace is not .xz or xz is missing. */
static double floor_xz(const char *trace, int runs)
{
	double secs[MAX_RUNS];
	char cmd[4300];
	size_t n = strlen(trace);

	if (n < 3 || strcmp(trace + n - 3, ".xz"))
		return 0;
	snprintf(cmd, sizeof(cmd), "xz -dc '%s' > /dev/null", trace);
	for (int i = 0; i < runs; i++) {
		struct timespec a, b;

		clock_gettime(CLOCK_MONOTONIC, &a);
		if (system(cmd))
			return 0;
		clock_gettime(CLOCK_MONOTONIC, &b);
		secs[i] = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) * 1e-9;
	}
	for (int i = 1; i < runs; i++)	/* insertion sort: a handful of runs */
		for (int j = i; j > 0 && secs[j] < secs[j - 1]; j--) {
			double t = secs[j];

			secs[j] = secs[j - 1];
			secs[j - 1] = t;
		}
	return secs[runs / 2];
}

static void bench_whole(const char *input, const char *db, bool log, int runs, double floor_s)
{
	struct sim_replay_opts o = { .trace = input, .db_path = log ? db : NULL, .quiet = true,
				     .seed_set = true, .seed = 1 };
	struct result res[MAX_RUNS], m;

	for (int i = 0; i < runs; i++) {
		res[i] = run_child(&o);
		if (res[i].rc) {
			fprintf(stderr, "bench_replay: %s: replay failed (%d)\n", input, res[i].rc);
			return;
		}
	}
	qsort(res, (size_t)runs, sizeof(res[0]), cmp_secs);
	m = res[runs / 2];
	printf("name=replay input=%s runs=%d events=%llu replayed=%llu secs=%.3f events_per_s=%.0f log=%s"
	       " cpu_secs=%.3f events_per_cpu_s=%.0f peak_rss_mb=%.1f floor=xz_dc floor_secs=%.3f"
	       " ratio_to_floor=%.2f\n", input, runs, (unsigned long long)m.events, (unsigned long long)m.replayed,
	       m.secs, m.events / m.secs, log ? "on" : "off", m.cpu_secs, m.cpu_secs > 0 ? m.events / m.cpu_secs : 0.0,
	       m.maxrss_kb / 1024.0, floor_s,
	       floor_s > 0 ? m.secs / floor_s : 0.0);
	fflush(stdout);
	if (log)
		unlink(db);
}

/* ------------------------------------------------------- the K-fold trace */

/* The timestamp of an event line: "... [CPU] FLAGS SECONDS.FRACTION: ..."; 0 if none. */
static char *ts_field(char *line, size_t *len)
{
	char *p = strchr(line, ']'), *q;

	if (!p || line[0] == '#')
		return NULL;
	p++;
	p += strspn(p, " ");
	p += strcspn(p, " ");		/* the flags */
	p += strspn(p, " ");
	q = p + strspn(p, "0123456789.");
	if (q == p || *q != ':')
		return NULL;
	*len = (size_t)(q - p);
	return p;
}

/* Write the trace `times` times into fd, each copy's timestamps after the previous copy's (microseconds). */
static void write_copies(const char *trace, int times, int fd)
{
	FILE *out = fdopen(fd, "w");
	char cmd[4600], *line = NULL;
	size_t cap = 0;
	unsigned long long span_us = 0;

	if (!out)
		_exit(1);
	for (int k = 0; k < times; k++) {
		size_t n = strlen(trace);
		const char *dec = n > 3 && !strcmp(trace + n - 3, ".xz") ? "xz -dc" :
				  n > 3 && !strcmp(trace + n - 3, ".gz") ? "gzip -dc" : "cat";
		FILE *in;
		ssize_t got;

		snprintf(cmd, sizeof(cmd), "%s '%s'", dec, trace);
		in = popen(cmd, "r");
		if (!in)
			_exit(1);
		while ((got = getline(&line, &cap, in)) > 0) {
			size_t len;
			char *ts = ts_field(line, &len);
			unsigned long long s, us;

			if (!ts) {
				if (k == 0)
					fputs(line, out);	/* the header, once */
				continue;
			}
			if (sscanf(ts, "%llu.%llu", &s, &us) != 2)
				continue;
			us += s * 1000000ULL;
			if (k == 0 && us + 1000000 > span_us)
				span_us = us + 1000000;
			us += (unsigned long long)k * span_us;
			fwrite(line, 1, (size_t)(ts - line), out);
			fprintf(out, "%llu.%06llu", us / 1000000, us % 1000000);
			fputs(ts + len, out);
		}
		pclose(in);
	}
	free(line);
	fclose(out);
}

/* A capture directory whose trace is a FIFO fed with `times` copies of the trace. */
static void bench_stream(const char *capture, const char *trace, int times, const char *db)
{
	char dir[] = "/tmp/kmemsim-bench-replay-XXXXXX", path[4200], link[4200];
	static const char *const meta[] = { "numa_topology.txt", "numa_distance.txt", "uname", "SNAP0",
					    "sys_kernel_slab_ls-l.txt", NULL };
	struct sim_replay_opts o = { .db_path = db, .quiet = true, .seed_set = true, .seed = 1 };
	struct result r;
	pid_t writer;
	int fd;

	if (!mkdtemp(dir))
		return;
	for (int i = 0; capture && meta[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, meta[i]);
		snprintf(link, sizeof(link), "%s/%s", capture, meta[i]);
		if (!access(link, R_OK) && symlink(link, path))
			perror("bench_replay: symlink");
	}
	snprintf(path, sizeof(path), "%s/trace.txt", dir);
	if (mkfifo(path, 0600)) {
		perror("bench_replay: mkfifo");
		return;
	}
	writer = fork();
	if (writer == 0) {
		fd = open(path, O_WRONLY);
		if (fd < 0)
			_exit(1);
		write_copies(trace, times, fd);
		_exit(0);
	}
	o.trace = dir;
	r = run_child(&o);
	kill(writer, SIGTERM);
	waitpid(writer, NULL, 0);
	if (r.rc)
		fprintf(stderr, "bench_replay: %d copies: replay failed (%d)\n", times, r.rc);
	else
		printf("name=replay_stream times=%d events=%llu replayed=%llu secs=%.3f events_per_s=%.0f log=%s"
		       " peak_rss_mb=%.1f\n", times, (unsigned long long)r.events, (unsigned long long)r.replayed,
		       r.secs, r.events / r.secs, db ? "on" : "off", r.maxrss_kb / 1024.0);
	fflush(stdout);
	for (int i = 0; capture && meta[i]; i++) {
		snprintf(link, sizeof(link), "%s/%s", dir, meta[i]);
		unlink(link);
	}
	unlink(path);
	rmdir(dir);
	if (db)
		unlink(db);
}

int main(int argc, char **argv)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT"), *input = NULL;
	char shared[4096], sample[4096], db[64], trace[4200];
	int runs = 3, times = 10;
	bool stream_log = false;
	struct stat st;
	double floor_s;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--times") && i + 1 < argc)
			times = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--stream-log"))
			stream_log = true;
		else if (argv[i][0] != '-')
			input = argv[i];
		else {
			fprintf(stderr, "usage: bench_replay [--runs N] [--times K] [--stream-log] [TRACE|CAPTURE_DIR]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS)
		runs = 3;
	if (times < 2)
		times = 10;
	snprintf(shared, sizeof(shared), "%s" SHARED, root ? root : ".");
	snprintf(sample, sizeof(sample), "%s" SAMPLE, root ? root : ".");
	if (!input)
		input = !access(shared, R_OK) ? shared : sample;
	if (access(input, R_OK)) {
		fprintf(stderr, "bench_replay: no trace at %s, skipped\n", input);
		return 77;
	}
	snprintf(db, sizeof(db), "/tmp/kmemsim-bench-replay-%ld.db", (long)getpid());
	if (!stat(input, &st) && S_ISDIR(st.st_mode)) {
		snprintf(trace, sizeof(trace), "%s/trace.txt.xz", input);
		if (access(trace, R_OK))
			snprintf(trace, sizeof(trace), "%s/trace.txt", input);
	} else {
		snprintf(trace, sizeof(trace), "%s", input);
	}
	floor_s = floor_xz(trace, runs);
	bench_whole(input, db, true, runs, floor_s);
	bench_whole(input, db, false, runs, floor_s);
	/* the streamed copies: the capture's trace file, its metadata beside it */
	if (!stat(input, &st) && S_ISDIR(st.st_mode)) {
		bench_stream(input, trace, 1, stream_log ? db : NULL);
		bench_stream(input, trace, times, stream_log ? db : NULL);
	} else {
		bench_stream(NULL, input, 1, stream_log ? db : NULL);
		bench_stream(NULL, input, times, stream_log ? db : NULL);
	}
	return 0;
}
