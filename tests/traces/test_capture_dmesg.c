/*
 * test_capture_dmesg.c - the pages a capture's boot log (`dmesg`) frees after
 * the boot watermarks were set (traces/capture_dmesg.c): which "Freeing" lines
 * count, the node and zone each lands in, odd lines ignored with one warning,
 * no dmesg at all; and, on the shared captures, the replayed machine's
 * watermarks against each capture's SNAP0/zoneinfo.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include "helpers.h"
#include "traces/capture.h"

/*
 * Two nodes of one DMA32 zone each, as the 6.1/6.12 oracles' machine: node 0
 * spans pfns 1..262143, node 1 262144..524246.
 */
static const char zoneinfo[] =
	"Node 0, zone    DMA32\n  pages free     1000\n        min      708\n        low      961\n"
	"        high     1214\n        spanned  262143\n        present  262046\n        managed  253977\n"
	"  start_pfn:           1\n"
	"Node 1, zone    DMA32\n  pages free     1000\n        min      720\n        low      977\n"
	"        high     1234\n        spanned  262103\n        present  262103\n        managed  257892\n"
	"  start_pfn:           262144\n";

struct dm {
	char *dir, *files[2];
	char *err;
	struct sim_capture *c;
};

/* A capture of zoneinfo and (unless NULL) a dmesg of `text`, opened; its err text in d->err. */
static void dm_open(struct dm *d, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);

	memset(d, 0, sizeof(*d));
	d->dir = helper_tmpdir();
	d->files[0] = helper_write_file(d->dir, "zoneinfo", zoneinfo);
	if (text)
		d->files[1] = helper_write_file(d->dir, "dmesg", text);
	cr_assert(eq(int, sim_capture_open(&d->c, d->dir, err), 0));
	fclose(err);
	d->err = buf;
}

static void dm_close(struct dm *d)
{
	for (int i = 0; i < 2; i++)
		if (d->files[i]) {
			unlink(d->files[i]);
			free(d->files[i]);
		}
	rmdir(d->dir);
	free(d->dir);
	free(d->err);
	sim_capture_free(d->c);
}

static uint64_t late(const struct dm *d, int nid)
{
	return d->c->node[nid].zone[1].late_freed;	/* DMA32 */
}

/* The 6.1 slub oracle's lines (its dmesg, abridged), with other boot lines between. */
Test(capture_dmesg, initrd_by_its_address_kernel_image_in_the_zone_of_16_mib)
{
	struct dm d;

	dm_open(&d, "[    0.000000] Linux version 6.1.192-oracle-slub\n"
		    "[    0.017260] RAMDISK: [mem 0x7fed3000-0x7ffcffff]\n"
		    "[    0.191149] Memory: 2042604K/2096596K available (8195K kernel code, 868K init)\n"
		    "[    0.567100] Freeing SMP alternatives memory: 20K\n"
		    "[    2.345699] Freeing initrd memory: 1012K\n"
		    "[    3.615465] Freeing unused kernel image (initmem) memory: 868K\n"
		    "[    3.616000] Write protecting the kernel read-only data: 12288k\n"
		    "[    3.620266] Freeing unused kernel image (text/rodata gap) memory: 2044K\n"
		    "[    3.625138] Freeing unused kernel image (rodata/data gap) memory: 700K\n"
		    "[    3.700000] Freeing unused decrypted memory: 8K\n");
	/* initrd: 0x7fed3000 is pfn 523987, node 1; 1012K = 253 pages.  The image (16 MiB = pfn 4096,
	 * node 0): (868 + 2044 + 700 + 8)K = 3620K = 905 pages.  SMP alternatives: before the initcalls. */
	cr_assert(eq(u64, late(&d, 1), 253));
	cr_assert(eq(u64, late(&d, 0), 905));
	cr_assert(eq(u64, d.c->dmesg_initrd_pages, 253));
	cr_assert(eq(u64, d.c->dmesg_image_pages, 905));
	cr_assert(d.c->dmesg_initrd_placed);
	cr_assert(not(eq(ptr, d.c->dmesg_path, NULL)));
	cr_assert(eq(str, d.err, ""));
	dm_close(&d);
}

Test(capture_dmesg, a_relocated_initrd_counts_where_it_went_and_may_straddle_two_nodes)
{
	struct dm d;

	/* x86's relocate_initrd: the last "RAMDISK: [mem" line is the new place, pfn 262142: two pages
	 * on node 0 (262142, 262143), the other 8 on node 1 */
	dm_open(&d, "RAMDISK: [mem 0x7fff0000-0x7fff9fff]\n"
		    "Allocated new RAMDISK: [mem 0x3fffe000-0x40007fff]\n"
		    "Move RAMDISK from [mem 0x7fff0000-0x7fff9fff] to [mem 0x3fffe000-0x40007fff]\n"
		    "Freeing initrd memory: 40K\n");
	cr_assert(eq(u64, late(&d, 0), 2));
	cr_assert(eq(u64, late(&d, 1), 8));
	dm_close(&d);
}

Test(capture_dmesg, without_a_ramdisk_line_the_initrd_goes_with_the_kernel_image)
{
	struct dm d;

	dm_open(&d, "Freeing initrd memory: 400K\nFreeing unused kernel image (initmem) memory: 4K\n");
	cr_assert(eq(u64, late(&d, 0), 101));
	cr_assert(eq(u64, late(&d, 1), 0));
	cr_assert(not(d.c->dmesg_initrd_placed));
	dm_close(&d);
}

Test(capture_dmesg, odd_lines_are_ignored_with_one_warning)
{
	struct dm d;

	dm_open(&d, "Freeing initrd memory: 1M\n"				/* not KiB: ignored */
		    "Freeing unused kernel image (initmem) memory: lotsK\n"	/* no number */
		    "Freeing unused kernel image (rodata/data gap) memory: 6K\n"	/* not whole pages */
		    "Freeing unused kernel image (initmem) memory: 8K\n"	/* counts: 2 pages */
		    "RAMDISK: [mem nowhere]\n"					/* no address: not placed */
		    "Freeing mystery memory: 4000K\n"				/* unknown kind: not counted */
		    "\x01\x02 binary \x7f junk Freeing\n"
		    "\n");
	cr_assert(eq(u64, late(&d, 0), 2));
	cr_assert(eq(u64, late(&d, 1), 0));
	cr_assert(not(d.c->dmesg_initrd_placed));
	/* one line for the file: where the first was, how many */
	cr_assert(not(eq(ptr, strstr(d.err, "/dmesg:1: warning: "), NULL)), "%s", d.err);
	cr_assert(not(eq(ptr, strstr(d.err, "(3 such lines)"), NULL)), "%s", d.err);
	cr_assert(eq(ptr, strchr(d.err, '\n'), d.err + strlen(d.err) - 1), "%s", d.err);
	dm_close(&d);
}

Test(capture_dmesg, a_line_longer_than_the_buffer_is_skipped_whole)
{
	struct dm d;
	size_t n = 10000;
	char *text = malloc(n + 64);

	cr_assert(not(eq(ptr, text, NULL)));
	memset(text, 'x', n);
	/* the long line's tail says "Freeing initrd memory: 4K": it must not count */
	strcpy(text + n - 40, "Freeing initrd memory: 4K\nFreeing unused kernel memory: 8K\n");
	dm_open(&d, text);
	cr_assert(eq(u64, late(&d, 0), 2));
	cr_assert(eq(u64, d.c->dmesg_initrd_pages, 0));
	dm_close(&d);
	free(text);
}

Test(capture_dmesg, no_dmesg_or_an_empty_one_frees_nothing)
{
	struct dm d;

	dm_open(&d, NULL);
	cr_assert(eq(ptr, d.c->dmesg_path, NULL));
	cr_assert(eq(u64, late(&d, 0) + late(&d, 1), 0));
	cr_assert(eq(str, d.err, ""));
	dm_close(&d);
	dm_open(&d, "");
	cr_assert(eq(u64, late(&d, 0) + late(&d, 1), 0));
	cr_assert(eq(str, d.err, ""));
	dm_close(&d);
}

/* ------------------------------------------------ the shared captures */

/* DIR/NAME -> the shared capture's file, for every file but the trace; a two-line empty trace. */
static char *tiny_capture(const char *capture)
{
	char *dir = helper_tmpdir();
	DIR *dh = opendir(capture);
	struct dirent *e;

	cr_assert(not(eq(ptr, dh, NULL)));
	while ((e = readdir(dh))) {
		char *from = NULL, *to = NULL;

		if (e->d_name[0] == '.' || !strncmp(e->d_name, "trace.txt", 9))
			continue;
		cr_assert(asprintf(&from, "%s/%s", capture, e->d_name) > 0);
		cr_assert(asprintf(&to, "%s/%s", dir, e->d_name) > 0);
		cr_assert(eq(int, symlink(from, to), 0));
		free(from);
		free(to);
	}
	closedir(dh);
	free(helper_write_file(dir, "trace.txt", "# tracer: nop\n#\n"));
	return dir;
}

static void tiny_remove(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *e;

	while (dh && (e = readdir(dh))) {
		char *p = NULL;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		cr_assert(asprintf(&p, "%s/%s", dir, e->d_name) > 0);
		unlink(p);
		free(p);
	}
	if (dh)
		closedir(dh);
	rmdir(dir);
}

/*
 * Each capture with a dmesg, replayed with an empty trace: the machine's
 * boot watermarks (table zones) are SNAP0/zoneinfo's min/low/high exactly.
 * (debian-6.1.192 has no dmesg: 31 pages of node 0's DMA32 min stay apart.)
 */
Test(capture_dmesg, replayed_watermarks_equal_each_captures_snap0_zoneinfo, .timeout = 60)
{
	static const char *const names[] = {
		"oracle-slub-stats-6.1.192-4cpu-2node", "oracle-slab-debug-6.1.192-4cpu-2node",
		"oracle-slub-stats-6.12.118-4cpu-2node", "debian-6.12.118-4cpu-2node",
	};
	int nr_zones = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *capture = helper_shared_trace(names[i]);	/* skips the test when absent */
		char *dir = tiny_capture(capture), *db = NULL, *out = NULL, *err = NULL;
		struct sim_capture *c = NULL;
		FILE *devnull = fopen("/dev/null", "w");

		cr_assert(eq(int, sim_capture_open(&c, capture, devnull), 0));
		fclose(devnull);
		cr_assert(not(eq(ptr, c->dmesg_path, NULL)), "%s has no dmesg", names[i]);
		cr_assert(asprintf(&db, "%s/r.db", dir) > 0);
		{
			const char *const argv[] = { "kmemsim", "replay", dir, "--db", db, NULL };

			cr_assert(eq(int, helper_run_kmemsim(NULL, argv, &out, &err), 0), "%s", err ? err : "");
		}
		for (int n = 0; n < c->nr_nodes; n++)
			for (int z = 0; z < SIM_CAPTURE_NR_ZONES; z++) {
				const struct sim_capture_zone *cz = &c->node[n].zone[z];
				char sql[160];

				if (!cz->spanned)
					continue;
				snprintf(sql, sizeof(sql), "SELECT min * 1000000000000 + low * 1000000 + high"
					 " FROM zones WHERE node = %d AND zone = %d", n, z);
				cr_assert(eq(i64, helper_db_int(db, sql),
					     (int64_t)(cz->wmark_min * 1000000000000ULL + cz->wmark_low * 1000000ULL +
						       cz->wmark_high)),
					  "%s node %d zone %d: kernel %lu/%lu/%lu", names[i], n, z,
					  (unsigned long)cz->wmark_min, (unsigned long)cz->wmark_low,
					  (unsigned long)cz->wmark_high);
				nr_zones++;
			}
		sim_capture_free(c);
		unlink(db);
		tiny_remove(dir);
		free(db);
		free(dir);
		free(out);
		free(err);
		free(capture);
	}
	cr_assert(eq(int, nr_zones, 9));	/* 2 + 2 + 2 + 3 (the stock 6.12 has a DMA zone) */
}
