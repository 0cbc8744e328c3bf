/*
 * capture_dmesg.c - the pages the kernel freed after its boot watermarks were
 * set, from the capture's `dmesg` (the boot log; optional).
 *
 * init_per_zone_wmark_min (a postcore initcall) sets the watermarks from the
 * managed pages of that moment; the kernel frees more memory later at boot
 * (free_reserved_area prints "Freeing WHAT memory: NK" for each range), and
 * SNAP0's zoneinfo counts those pages as managed.  This reader adds up, per
 * node and zone, the pages of the lines printed after the initcalls ran:
 *
 *   "Freeing initrd memory: NK"        free_initrd_mem (populate_rootfs): the
 *       pages from the initrd's address, "RAMDISK: [mem A-B]" (the last such
 *       line: x86's relocate_initrd prints "Allocated new RAMDISK: [mem A-B]"
 *       after the first); without it, the kernel image's zone;
 *   "Freeing unused kernel image (...) memory: NK", "Freeing unused kernel
 *       memory: NK", "Freeing unused decrypted memory: NK"  free_initmem and
 *       mark_rodata_ro free parts of the kernel image: dmesg gives only sizes,
 *       so the zone holding the image's physical start, 16 MiB (x86-64's
 *       CONFIG_PHYSICAL_START, where the kernel runs with nokaslr as every
 *       capture of tools/capture-trace boots).
 *
 * "Freeing SMP alternatives memory" is left out: alternative_instructions
 * frees it from start_kernel, before any initcall.  Other "Freeing" lines are
 * ignored (when they ran is unknown).  A line of a known kind whose size is not
 * "NK" is ignored with one warning on err for the whole file; a missing dmesg
 * leaves every count 0.  Never bad input: the boot log is free text.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

#define DMESG_KERNEL_PHYS 0x1000000ULL	/* 16 MiB: x86-64's default CONFIG_PHYSICAL_START */
#define DMESG_PAGE_SHIFT 12

static const char *const dmesg_image_kinds[] = {
	"Freeing unused kernel image ", "Freeing unused kernel memory:", "Freeing unused decrypted memory:", NULL,
};

/* The node and zone of pfn in the capture's zoneinfo; false when no zone spans it. */
static bool dmesg_zone_of(const struct sim_capture *c, uint64_t pfn, int *nid, int *zid)
{
	for (int n = 0; n < c->nr_nodes; n++)
		for (int z = 0; z < SIM_CAPTURE_NR_ZONES; z++) {
			const struct sim_capture_zone *cz = &c->node[n].zone[z];

			if (cz->seen && cz->spanned && pfn >= cz->start_pfn && pfn - cz->start_pfn < cz->spanned) {
				*nid = n;
				*zid = z;
				return true;
			}
		}
	return false;
}

/* Add `pages` from pfn on to the zones that span them; the pages no zone spans go uncounted. */
static void dmesg_add(struct sim_capture *c, uint64_t pfn, uint64_t pages)
{
	while (pages) {
		int n, z;
		uint64_t take;

		if (!dmesg_zone_of(c, pfn, &n, &z))
			return;
		struct sim_capture_zone *cz = &c->node[n].zone[z];

		take = cz->start_pfn + cz->spanned - pfn;
		if (take > pages)
			take = pages;
		cz->late_freed += take;
		pfn += take;
		pages -= take;
	}
}

/* "...: NK" after the colon at or after p: the pages, or -1 when the size is not that. */
static int64_t dmesg_size(const char *p)
{
	const char *colon = strstr(p, "memory:");
	uint64_t kib;

	if (!colon)
		return -1;
	p = colon + 7;
	p += strspn(p, " \t");
	if (!cap_num(&p, &kib) || *p != 'K' || (p[1] && p[1] != ' ' && p[1] != '\t') || kib % 4)
		return -1;
	return (int64_t)(kib >> (DMESG_PAGE_SHIFT - 10));
}

/* "RAMDISK: [mem 0xA-0xB]" -> the pfn of A. */
static bool dmesg_ramdisk(const char *p, uint64_t *pfn)
{
	unsigned long long a, b;

	if (sscanf(p, "RAMDISK: [mem %llx-%llx]", &a, &b) != 2 || b < a)
		return false;
	*pfn = (uint64_t)a >> DMESG_PAGE_SHIFT;
	return true;
}

int cap_read_dmesg(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path, *bad_at = NULL;
	FILE *f = cap_open(c, "dmesg", false, &path, err);
	uint64_t initrd_pfn = 0, initrd_pages = 0, image_pages = 0;
	bool have_initrd = false;
	int ln = 0, nr_bad = 0;

	if (!f) {
		free(path);	/* absent, or not a file (said on err): as without a boot log */
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p;
		int64_t pages = -2;

		ln++;
		if (!strchr(line, '\n') && !feof(f)) {	/* a line longer than the buffer: skip its rest */
			int ch;

			while ((ch = getc(f)) != EOF && ch != '\n')
				;
		}
		cap_chomp(line);
		if ((p = strstr(line, "RAMDISK: [mem "))) {
			have_initrd |= dmesg_ramdisk(p, &initrd_pfn);
			continue;
		}
		if ((p = strstr(line, "Freeing initrd memory")) && (pages = dmesg_size(p)) >= 0) {
			initrd_pages += (uint64_t)pages;
			continue;
		}
		for (int i = 0; pages == -2 && dmesg_image_kinds[i]; i++)
			if ((p = strstr(line, dmesg_image_kinds[i])) && (pages = dmesg_size(p)) >= 0)
				image_pages += (uint64_t)pages;
		if (pages == -1 && !nr_bad++ && asprintf(&bad_at, "%s:%d", path, ln) < 0)
			bad_at = NULL;
	}
	fclose(f);
	if (nr_bad)
		fprintf(err, "%s: warning: a \"Freeing ... memory\" line without a size in KiB ignored"
			" (%d such lines)\n", bad_at ? bad_at : path, nr_bad);
	free(bad_at);
	c->dmesg_path = path;
	c->dmesg_initrd_pages = initrd_pages;
	c->dmesg_image_pages = image_pages;
	c->dmesg_initrd_placed = have_initrd;
	dmesg_add(c, DMESG_KERNEL_PHYS >> DMESG_PAGE_SHIFT, image_pages);
	dmesg_add(c, have_initrd ? initrd_pfn : DMESG_KERNEL_PHYS >> DMESG_PAGE_SHIFT, initrd_pages);
	return 0;
}
