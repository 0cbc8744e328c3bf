/*
 * fuzz_capture.c - libFuzzer harness: the capture metadata reader
 * (traces/capture*.c) on a directory made from the input.
 *
 * The input is a list of files: a line "=== NAME" starts the file NAME (one
 * of the names below, as tools/capture-trace saves them), the lines up to the
 * next such line are its text.  The files are written to a fresh directory
 * under /dev/shm and sim_capture_open reads it.  What it returns must hold
 * together: CPUs on nodes that exist, caches with a directory.
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
	"kernel.config", "sysctl_vm.txt", "trace.txt",
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))

static char dir[64], snap[80];
static FILE *devnull;

static void path_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "%s/%s", dir, names[i]);
}

static void clear(void)
{
	char p[160];

	for (size_t i = 0; i < NR_NAMES; i++) {
		path_of(p, sizeof(p), (int)i);
		unlink(p);
	}
}

static void cleanup(void)
{
	clear();
	rmdir(snap);
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/dev/shm/kmemsim-fuzz-capture-%d", (int)getpid());
	snprintf(snap, sizeof(snap), "%s/SNAP0", dir);
	if ((mkdir(dir, 0700) && errno != EEXIST) || (mkdir(snap, 0700) && errno != EEXIST))
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct sim_capture *c;
	FILE *f = NULL;
	int rc;

	if (!devnull)
		setup();
	clear();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;

		if (le - p >= 4 && !memcmp(p, "=== ", 4)) {
			int i = name_index(p + 4, (size_t)((nl ? nl : end) - p - 4));
			char path[160];

			if (f)
				fclose(f);
			f = NULL;
			if (i >= 0) {
				path_of(path, sizeof(path), i);
				f = fopen(path, "ab");
				if (!f)
					abort();
			}
		} else if (f && fwrite(p, 1, (size_t)(le - p), f) != (size_t)(le - p)) {
			abort();
		}
		p = le;
	}
	if (f)
		fclose(f);
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
