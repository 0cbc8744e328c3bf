/*
 * test_capture.c - reading a capture directory's machine description
 * (traces/capture.c): the kernel config's tri-states (plain and xz), the
 * zoneinfo watermarks, pcp high/batch and protection, pagetypeinfo's page
 * block order, sysctl_vm.txt, and one `FILE:LINE: what` for each malformed
 * value.  Fixtures are small files written into a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <lzma.h>

#include "helpers.h"
#include "traces/capture.h"
#include "traces/trace.h"

/* A temporary capture directory and the files written into it. */
struct cap_dir {
	char *dir;
	char *files[8];
	int nr;
};

static char *cap_file(struct cap_dir *d, const char *name, const char *text)
{
	char *p = helper_write_file(d->dir, name, text);

	d->files[d->nr++] = p;
	return p;
}

static void cap_dir_end(struct cap_dir *d)
{
	for (int i = 0; i < d->nr; i++) {
		unlink(d->files[i]);
		free(d->files[i]);
	}
	rmdir(d->dir);
	free(d->dir);
}

/* Open d's capture expecting bad input; the one line it printed (malloc'd). */
static char *cap_open_bad(struct cap_dir *d)
{
	struct sim_capture *c = NULL;
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);

	cr_assert(eq(int, sim_capture_open(&c, d->dir, err), SIM_EBADINPUT));
	fclose(err);
	cr_assert(eq(ptr, c, NULL));
	return msg;
}

static void cap_expect_bad(struct cap_dir *d, const char *file, int line, const char *what)
{
	char *msg = cap_open_bad(d), *want = NULL;

	cr_assert(asprintf(&want, "%s:%d: %s\n", file, line, what) > 0);
	cr_assert(eq(str, msg, want));
	free(msg);
	free(want);
}

static const char zoneinfo[] =
	"Node 0, zone    DMA32\n"
	"  pages free     240000\n"
	"        boost    0\n"
	"        min      708\n"
	"        low      961\n"
	"        high     1214\n"
	"        spanned  262143\n"
	"        present  262046\n"
	"        managed  253979\n"
	"        protection: (0, 0, 7, 0)\n"
	"      nr_free_pages 240000\n"
	"  pagesets\n"
	"    cpu: 0\n"
	"              count: 12\n"
	"              high:  480\n"
	"              batch: 63\n"
	"  vm stats threshold: 24\n"
	"    cpu: 1\n"
	"              count: 3\n"
	"              high:  999\n"
	"              batch: 31\n"
	"  vm stats threshold: 24\n"
	"  node_unreclaimable:  0\n"
	"  start_pfn:           1\n"
	"Node 0, zone   Normal\n"
	"  pages free     0\n"
	"        min      0\n"
	"        low      0\n"
	"        high     0\n"
	"        spanned  0\n"
	"        present  0\n"
	"        managed  0\n"
	"        protection: (0, 0)\n";

Test(capture, zoneinfo_watermarks_pcp_and_protection)
{
	struct cap_dir d = { .dir = helper_tmpdir() };
	struct sim_capture *c = NULL;
	const struct sim_capture_zone *z;

	cap_file(&d, "zoneinfo", zoneinfo);
	cr_assert(eq(int, sim_capture_open(&c, d.dir, stderr), 0));
	z = &c->node[0].zone[1];
	cr_assert(z->seen);
	cr_assert(eq(u64, z->wmark_min, 708));
	cr_assert(eq(u64, z->wmark_low, 961));
	cr_assert(eq(u64, z->wmark_high, 1214));
	cr_assert(eq(u64, z->start_pfn, 1));
	cr_assert(eq(u64, z->spanned, 262143));
	cr_assert(z->have_pcp);
	cr_assert(eq(int, z->pcp_high, 480));		/* the first CPU's, not CPU 1's 999 */
	cr_assert(eq(int, z->pcp_batch, 63));
	cr_assert(eq(int, z->nr_protection, 4));
	cr_assert(eq(u64, z->protection[2], 7));
	z = &c->node[0].zone[2];
	cr_assert(not(z->have_pcp));
	cr_assert(eq(int, z->nr_protection, 2));
	cr_assert(eq(u64, z->wmark_high, 0));
	/* nothing else in the directory: config unknown, no page block order, no sysctls */
	cr_assert(eq(ptr, c->kconfig_path, NULL));
	for (int i = 0; i < SIM_NR_KCONFIG; i++)
		cr_assert(eq(i8, c->kconfig[i], SIM_UNKNOWN));
	cr_assert(eq(int, c->page_block_order, -1));
	cr_assert(eq(i64, c->sysctl.min_free_kbytes, -1));
	sim_capture_free(c);
	cap_dir_end(&d);
}

static const char kconfig[] =
	"#\n"
	"# Automatically generated file; DO NOT EDIT.\n"
	"#\n"
	"CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
	"\n"
	"# CONFIG_PREEMPT_NONE is not set\n"
	"CONFIG_PREEMPT_VOLUNTARY=y\n"
	"# CONFIG_PREEMPT is not set\n"
	"CONFIG_SLUB=y\n"
	"CONFIG_SLUB_CPU_PARTIAL=y\n"
	"# CONFIG_SLAB_FREELIST_RANDOM is not set\n"
	"CONFIG_SLAB_FREELIST_HARDENED=m\n"
	"# CONFIG_TRANSPARENT_HUGEPAGE is not set\n"
	"CONFIG_ZONE_DMA=n\n"
	"# CONFIG_MEMCG_KMEM_EXTRA is not set\n"
	"CONFIG_HZ=250\n";

static void assert_kconfig(const struct sim_capture *c)
{
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB_CPU_PARTIAL], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB_FREELIST_RANDOM], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB_FREELIST_HARDENED], SIM_YES));	/* m counts as yes */
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_TRANSPARENT_HUGEPAGE], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_ZONE_DMA], SIM_NO));			/* =n */
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_PREEMPT_VOLUNTARY], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_PREEMPT], SIM_NO));
	/* absent from the file: off (a longer name that starts the same does not count) */
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLAB], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG_KMEM], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_HUGETLB_PAGE], SIM_NO));
}

/* d's capture opens, takes its config from path and reads kconfig's symbols; d is removed. */
static void capture_reads_kconfig(struct cap_dir *d, char *path)
{
	struct sim_capture *c = NULL;

	cr_assert(eq(int, sim_capture_open(&c, d->dir, stderr), 0));
	cr_assert(eq(str, c->kconfig_path, path));
	assert_kconfig(c);
	sim_capture_free(c);
	cap_dir_end(d);
}

Test(capture, kernel_config_tristates)
{
	struct cap_dir d = { .dir = helper_tmpdir() };
	char *path = cap_file(&d, "kernel.config", kconfig);

	capture_reads_kconfig(&d, path);
}

Test(capture, kernel_config_read_through_xz)
{
	struct cap_dir d = { .dir = helper_tmpdir() };
	uint8_t buf[4096];
	size_t len = 0;
	char *path;
	FILE *f;

	cr_assert(eq(int, lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)kconfig,
						  strlen(kconfig), buf, &len, sizeof(buf)), LZMA_OK));
	path = cap_file(&d, "kernel.config.xz", "");
	f = fopen(path, "wb");
	cr_assert(eq(sz, fwrite(buf, 1, len, f), len));
	fclose(f);
	capture_reads_kconfig(&d, path);
}

/*
 * A config over 16 MiB is read as a stream (traces/input.c's window), a smaller one whole:
 * the same symbols either way.  The padding is comment lines, as a .config's section headers.
 */
Test(capture, kernel_config_over_16_mib_is_read_as_a_stream)
{
	static const char pad[] = "# padding: a comment line of a config over sixteen mebibytes\n";
	struct cap_dir d = { .dir = helper_tmpdir() };
	char *path = cap_file(&d, "kernel.config", "");
	FILE *f = fopen(path, "wb");
	size_t n = 0;

	cr_assert(not(eq(ptr, f, NULL)));
	while (n <= (16u << 20)) {
		cr_assert(eq(sz, fwrite(pad, 1, sizeof(pad) - 1, f), sizeof(pad) - 1));
		n += sizeof(pad) - 1;
	}
	cr_assert(eq(sz, fwrite(kconfig, 1, strlen(kconfig), f), strlen(kconfig)));
	cr_assert(eq(int, fclose(f), 0));
	capture_reads_kconfig(&d, path);
}

/*
 * Each "nodeN cpus=LIST" line places its own CPUs, up to CPU 4095; one line's CPUs do not carry
 * into the next (a CPU named twice is an error on the second line).
 */
Test(capture, topology_lines_place_their_own_cpus)
{
	struct cap_dir d = { .dir = helper_tmpdir() };
	struct sim_capture *c = NULL;
	char *path;

	cap_file(&d, "numa_topology.txt", "node0 cpus=0,4095\nNode 0 MemTotal: 985212 kB\nnode1 cpus=1-3,100\n"
		 "node3 cpus=4\n");
	cr_assert(eq(int, sim_capture_open(&c, d.dir, stderr), 0));
	cr_assert(eq(int, c->nr_nodes, 4));
	cr_assert(eq(int, c->nr_cpus, 7));
	cr_assert(eq(int, c->node[0].nr_cpus, 2));
	cr_assert(eq(int, c->node[1].nr_cpus, 4));
	cr_assert(eq(int, c->node[2].nr_cpus, 0));
	cr_assert(eq(int, c->node[3].nr_cpus, 1));
	cr_assert(eq(int, c->node_line[1], 3));
	cr_assert(eq(i16, c->cpu_node[0], 0));
	cr_assert(eq(i16, c->cpu_node[4095], 0));
	for (int cpu = 1; cpu <= 3; cpu++)
		cr_assert(eq(i16, c->cpu_node[cpu], 1));
	cr_assert(eq(i16, c->cpu_node[100], 1));
	cr_assert(eq(i16, c->cpu_node[4], 3));
	cr_assert(eq(i16, c->cpu_node[5], -1));
	cr_assert(eq(i16, c->cpu_node[4094], -1));
	sim_capture_free(c);
	cap_dir_end(&d);

	d = (struct cap_dir){ .dir = helper_tmpdir() };
	path = cap_file(&d, "numa_topology.txt", "node0 cpus=4095\nnode1 cpus=0-1,4095\n");
	cap_expect_bad(&d, path, 2, "cpus: CPU 4095 is already on node 0");
	cap_dir_end(&d);
}

/* A capture of one malformed file, and the FILE:LINE: what its opening prints. */
struct bad_file {
	const char *name, *text;
	int line;
	const char *what;
};

static void expect_bad_files(const struct bad_file *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cap_dir d = { .dir = helper_tmpdir() };
		char *path = cap_file(&d, cases[i].name, cases[i].text);

		cap_expect_bad(&d, path, cases[i].line, cases[i].what);
		cap_dir_end(&d);
	}
}

Test(capture, pagetypeinfo_and_sysctl_file)
{
	struct cap_dir d = { .dir = helper_tmpdir() };
	struct sim_capture *c = NULL;
	char *sysctl;

	cap_file(&d, "pagetypeinfo", "Page block order: 10\nPages per block:  1024\n");
	sysctl = cap_file(&d, "sysctl_vm.txt", "admin_reserve_kbytes 8192\nlowmem_reserve_ratio 256 256 32 0\n"
			  "min_free_kbytes 5716\nwatermark_scale_factor 10\nstat_interval 1\n");
	cr_assert(eq(int, sim_capture_open(&c, d.dir, stderr), 0));
	cr_assert(eq(int, c->page_block_order, 10));
	cr_assert(eq(str, c->sysctl_path, sysctl));
	cr_assert(eq(i64, c->sysctl.min_free_kbytes, 5716));
	cr_assert(eq(i64, c->sysctl.watermark_scale_factor, 10));
	cr_assert(eq(i64, c->sysctl.percpu_pagelist_high_fraction, -1));	/* not in the file */
	sim_capture_free(c);
	cap_dir_end(&d);
}

/* The kernel config's, the sysctls', pagetypeinfo's and zoneinfo's malformed lines. */
Test(capture, malformed_values_are_file_line)
{
	static const struct bad_file cases[] = {
		{ "config", "# c\nCONFIG_SLUB=y\nCONFIG_SLUB_STATS=maybe\n", 3,
		  "CONFIG_SLUB_STATS: expected y, m or n, got \"maybe\"" },
		{ "config", "CONFIG_SLUB=y\nSLUB=y\n", 2, "expected CONFIG_NAME=value or \"# CONFIG_NAME is not set\"" },
		{ "sysctl_vm.txt", "min_free_kbytes 5716\nwatermark_scale_factor ten\n", 2,
		  "watermark_scale_factor: expected a number from 0 to 2147483647" },
		{ "sysctl_vm.txt", "min_free_kbytes\n", 1, "expected \"name value\"" },
		{ "pagetypeinfo", "Page block order: x\n", 1, "Page block order: expected a number from 0 to 20" },
		{ "zoneinfo", "Node 0, zone    DMA32\n        min      7o8\n", 2, "expected a watermark in pages" },
		{ "zoneinfo", "Node 0, zone    DMA32\n    cpu: 0\n              high:  4x0\n", 3,
		  "pcp high: expected a number of pages" },
		{ "zoneinfo", "Node 0, zone    DMA32\n        protection: (0, 0 0)\n", 2,
		  "protection: expected \",\" or \")\" after a number" },
	};

	expect_bad_files(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The shared SLUB oracle's capture: its config, page block order and node 1's watermarks. */
Test(capture, oracle_capture_describes_its_machine)
{
	char *dir = helper_shared_trace("oracle-slub-stats-6.1.192-4cpu-2node");
	struct sim_capture *c = NULL;

	cr_assert(eq(int, sim_capture_open(&c, dir, stderr), 0));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_SLUB_STATS], SIM_YES));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_TRANSPARENT_HUGEPAGE], SIM_NO));
	cr_assert(eq(i8, c->kconfig[SIM_KCONFIG_MEMCG_KMEM], SIM_NO));
	cr_assert(eq(int, c->page_block_order, 10));
	cr_assert(eq(u64, c->node[1].zone[1].wmark_min, 720));
	cr_assert(eq(int, c->node[1].zone[1].pcp_high, 488));
	sim_capture_free(c);
	free(dir);
}
