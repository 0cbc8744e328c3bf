/*
 * bench_parse.c - how fast the trace reader parses a trace, on one core.
 *
 *   bench_parse [--runs N] [--lenient] [--scan] FILE...
 *
 * For each FILE (text, .gz or .xz; "-" = stdin, read once) it parses the
 * whole trace N times (default 5) and prints the median run as one line:
 *
 *   name=trace_parse file=F zip=xz runs=N lines=... events=... secs=... cpu_secs=...
 *   lines_per_s=... lines_per_cpu_s=... file_MB_per_s=...
 *
 * secs is wall time; cpu_secs the CPU time of the process (one thread), which
 * other work on a shared machine disturbs less.
 *
 * With --scan it also times the floor: reading the same bytes and finding
 * the line ends with memchr, no parsing (plain text files only); for an .xz
 * file, `xz -dc FILE > /dev/null` alone, each run right after a parse run so
 * that both see the same load, and the ratio of the medians:
 *
 *   name=trace_parse_floor file=F floor=xz_dc runs=N secs=... parse_secs=... ratio=...  Without
 * arguments it uses the shipped sample (../shared/traces/debian-6.1.192-4cpu-2node/
 * trace.txt.xz next to the source tree, KMEMSIM_SOURCE_ROOT), so that
 * `meson test --benchmark` runs it; a missing sample is skipped (exit 77).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "traces/trace.h"

#define MAX_RUNS 51
#define SAMPLE "/../shared/traces/debian-6.1.192-4cpu-2node/trace.txt.xz"

struct run {
	double secs, cpu_secs;
	uint64_t lines, events, bytes;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

static double cpu_now(void)
{
	return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int cmp_run(const void *a, const void *b)
{
	double x = ((const struct run *)a)->secs, y = ((const struct run *)b)->secs;

	return (x > y) - (x < y);
}

/* One full parse; fills *out.  0, or the reader's SIM_E* code. */
static int parse_once(const char *path, bool lenient, struct run *out, const char **zip)
{
	struct sim_trace_opts opts = { .lenient = lenient };
	struct sim_trace_event ev;
	struct sim_trace *r;
	uint64_t sum = 0;
	double t0 = now(), c0 = cpu_now();
	int rc;

	if ((rc = sim_trace_open(&r, path, &opts)))
		return rc;
	while ((rc = sim_trace_next(r, &ev)) > 0)
		sum += ev.ptr ^ ev.pfn ^ ev.ts_ns;	/* touch the result */
	out->secs = now() - t0;
	out->cpu_secs = cpu_now() - c0;
	out->lines = sim_trace_stats(r)->nr_lines;
	out->events = sim_trace_stats(r)->nr_events;
	*zip = sim_trace_stats(r)->compression;
	sim_trace_close(r);
	if (sum == 42)
		fprintf(stderr, " ");
	return rc < 0 ? -rc : 0;
}

/* The floor of an .xz file: `xz -dc` alone; wall seconds, or -1. */
static double xz_once(const char *path)
{
	char cmd[4200];
	double t0 = now();

	snprintf(cmd, sizeof(cmd), "xz -dc '%s' > /dev/null", path);
	if (system(cmd))
		return -1;
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The floor: read the bytes and find every '\n'. */
static int scan_once(const char *path, struct run *out)
{
	static char buf[1 << 20];
	uint64_t lines = 0, bytes = 0;
	double t0 = now();
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		const char *p = buf, *end = buf + n;

		bytes += (uint64_t)n;
		while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			lines++;
			p++;
		}
	}
	close(fd);
	out->secs = now() - t0;
	out->lines = lines;
	out->bytes = bytes;
	return 0;
}

static uint64_t file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) ? 0 : (uint64_t)sb.st_size;
}

int main(int argc, char **argv)
{
	struct run runs[MAX_RUNS];
	int nr_runs = 5, i, a, nfiles = 0;
	bool lenient = false, scan = false;
	char sample[4096];
	const char *files[64];

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--runs") && a + 1 < argc)
			nr_runs = atoi(argv[++a]);
		else if (!strcmp(argv[a], "--lenient"))
			lenient = true;
		else if (!strcmp(argv[a], "--scan"))
			scan = true;
		else if (nfiles < 64)
			files[nfiles++] = argv[a];
	}
	if (nr_runs < 1 || nr_runs > MAX_RUNS) {
		fprintf(stderr, "bench_parse: --runs: expected 1..%d\n", MAX_RUNS);
		return 2;
	}
	if (nfiles == 0) {
		const char *root = getenv("KMEMSIM_SOURCE_ROOT");

		snprintf(sample, sizeof(sample), "%s%s", root ? root : ".", SAMPLE);
		if (access(sample, R_OK)) {
			fprintf(stderr, "bench_parse: no sample trace at %s, skipped\n", sample);
			return 77;
		}
		files[nfiles++] = sample;
	}
	for (i = 0; i < nfiles; i++) {
		const char *zip = "none";
		struct run *m;
		int r, rc;

		double xz_secs[MAX_RUNS];
		bool xz = false;

		if (!strcmp(files[i], "-"))
			nr_runs = 1;
		for (r = 0; r < nr_runs; r++) {
			if ((rc = parse_once(files[i], lenient, &runs[r], &zip)))
				return rc;
			if (scan && !strcmp(zip, "xz"))
				xz = (xz_secs[r] = xz_once(files[i])) >= 0;
		}
		qsort(runs, (size_t)nr_runs, sizeof(runs[0]), cmp_run);
		m = &runs[nr_runs / 2];
		m->bytes = file_size(files[i]);
		printf("name=trace_parse file=%s zip=%s runs=%d lines=%llu events=%llu secs=%.3f "
		       "cpu_secs=%.3f lines_per_s=%.0f lines_per_cpu_s=%.0f file_MB_per_s=%.1f\n",
		       files[i], zip, nr_runs, (unsigned long long)m->lines,
		       (unsigned long long)m->events, m->secs, m->cpu_secs, (double)m->lines / m->secs,
		       (double)m->lines / m->cpu_secs, (double)m->bytes / m->secs / 1e6);
		if (xz) {
			qsort(xz_secs, (size_t)nr_runs, sizeof(xz_secs[0]), cmp_double);
			printf("name=trace_parse_floor file=%s floor=xz_dc runs=%d secs=%.3f parse_secs=%.3f ratio=%.2f\n",
			       files[i], nr_runs, xz_secs[nr_runs / 2], m->secs, m->secs / xz_secs[nr_runs / 2]);
		}
		if (scan && !strcmp(zip, "none")) {
			for (r = 0; r < nr_runs; r++)
				scan_once(files[i], &runs[r]);
			qsort(runs, (size_t)nr_runs, sizeof(runs[0]), cmp_run);
			m = &runs[nr_runs / 2];
			printf("name=trace_scan file=%s runs=%d lines=%llu secs=%.3f lines_per_s=%.0f "
			       "MB_per_s=%.1f\n", files[i], nr_runs, (unsigned long long)m->lines,
			       m->secs, (double)m->lines / m->secs, (double)m->bytes / m->secs / 1e6);
		}
	}
	return 0;
}
