/*
 * fuzz_capture.c - libFuzzer harness: the capture metadata reader
 * (traces/capture*.c) on a directory made from the input.
 *
 * The input is a list of files: a line "=== NAME" starts the file NAME (one
 * of the names below, as tools/capture-trace saves them), the lines up to the
 * next such line are its text.  The files are in one directory under
 * /dev/shm, made once per process; an input rewrites only the files whose
 * text differs from the previous input's (a mutation changes one or two) and
 * removes those it lacks, then sim_capture_open reads the directory (dmesg
 * and formats/kmalloc.format too: capture_dmesg.c, capture_kernel.c).  What it
 * returns must hold together: CPUs on nodes that exist, caches with a
 * directory.  Each input is read once: the work is bounded by its size.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/capture.h"
#include "traces/trace.h"		/* SIM_EBADINPUT, SIM_EFAIL */

static const char *const names[] = {
	"numa_topology.txt", "numa_distance.txt", "SNAP0/zoneinfo", "SNAP0/sys_kernel_slab.txt",
	"SNAP0/slabinfo", "SNAP0/pagetypeinfo", "sys_kernel_slab_ls-l.txt", "uname", "cmdline",
	"kernel.config", "sysctl_vm.txt", "trace.txt", "dmesg", "formats/kmalloc.format",
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))

/* A file's text as an input gives it; present: the input names it (an empty file is a file). */
struct cap_file {
	bool present;
	char *text;
	size_t len, cap;
};

static char dir[64], snap[80], formats[80];
static FILE *devnull;
static struct cap_file files[2][NR_NAMES];	/* this input's and the one before's (on disk) */
static int cur;

static void path_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "%s/%s", dir, names[i]);
}

static void cleanup(void)
{
	char p[160];

	for (size_t i = 0; i < NR_NAMES; i++) {
		path_of(p, sizeof(p), (int)i);
		unlink(p);
		free(files[0][i].text);
		free(files[1][i].text);
	}
	rmdir(snap);
	rmdir(formats);
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/dev/shm/kmemsim-fuzz-capture-%d", (int)getpid());
	snprintf(snap, sizeof(snap), "%s/SNAP0", dir);
	snprintf(formats, sizeof(formats), "%s/formats", dir);
	if ((mkdir(dir, 0700) && errno != EEXIST) || (mkdir(snap, 0700) && errno != EEXIST) ||
	    (mkdir(formats, 0700) && errno != EEXIST))
		abort();
	devnull = fopen("/dev/null", "w");
	atexit(cleanup);
}

static int name_index(const char *s, size_t len)
{
	for (size_t i = 0; i < NR_NAMES; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], s, len))
			return (int)i;
	return -1;
}

static void append(struct cap_file *f, const char *p, size_t n)
{
	if (f->len + n > f->cap) {
		size_t cap = 2 * (f->len + n);
		char *t = realloc(f->text, cap);

		if (!t)
			abort();
		f->text = t;
		f->cap = cap;
	}
	memcpy(f->text + f->len, p, n);
	f->len += n;
}

/* The input's files, split (a name given twice: its texts one after the other). */
static void split(const char *p, const char *end, struct cap_file *fs)
{
	struct cap_file *f = NULL;

	for (size_t i = 0; i < NR_NAMES; i++)
		fs[i].present = false, fs[i].len = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;

		if (le - p >= 4 && !memcmp(p, "=== ", 4)) {
			int i = name_index(p + 4, (size_t)((nl ? nl : end) - p - 4));

			f = i >= 0 ? &fs[i] : NULL;
			if (f)
				f->present = true;
		} else if (f) {
			append(f, p, (size_t)(le - p));
		}
		p = le;
	}
}

/* Make the directory hold fs, touching only the files that differ from was. */
static void sync_dir(const struct cap_file *fs, const struct cap_file *was)
{
	char path[160];

	for (size_t i = 0; i < NR_NAMES; i++) {
		const struct cap_file *f = &fs[i], *w = &was[i];
		FILE *out;

		if (f->present == w->present && (!f->present || (f->len == w->len &&
								  (!f->len || !memcmp(f->text, w->text, f->len)))))
			continue;
		path_of(path, sizeof(path), (int)i);
		if (!f->present) {
			unlink(path);
			continue;
		}
		out = fopen(path, "wb");
		if (!out || (f->len && fwrite(f->text, 1, f->len, out) != f->len) || fclose(out))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_capture *c;
	int rc;

	if (!devnull)
		setup();
	split((const char *)data, (const char *)data + size, files[cur]);
	sync_dir(files[cur], files[!cur]);
	cur = !cur;
	rc = sim_capture_open(&c, dir, devnull);
	if (rc == 0) {
		if (c->nr_nodes < 0 || c->nr_nodes > SIM_CAPTURE_MAX_NODES)
			abort();
		for (int cpu = 0; cpu < SIM_CAPTURE_MAX_CPUS; cpu++)
			if (c->cpu_node[cpu] >= 0 && c->cpu_node[cpu] >= c->nr_nodes)
				abort();	/* a CPU on a node that does not exist */
		for (int i = 0; i < c->nr_caches; i++)
			if (!c->cache[i].dir)
				abort();
		for (int i = 0; i < c->nr_links; i++)
			sim_capture_find_cache(c, c->link_name[i]);
		sim_capture_free(c);
	} else if (rc != SIM_EBADINPUT && rc != SIM_EFAIL) {
		abort();
	}
	return 0;
}
