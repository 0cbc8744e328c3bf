/*
 * capture.c - reading a capture directory's metadata (capture.h).
 *
 * Main entry: sim_capture_open.  One small reader per file, each tolerant of
 * what it does not need (other zoneinfo lines, meminfo lines, attributes it
 * does not know) and strict about what it uses (a node or zone line whose
 * number does not parse is bad input).  Cost: one pass over each file.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture_int.h"
#include "trace_int.h"

static const char *const cap_zone_names[SIM_CAPTURE_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };

const char *const sim_kconfig_names[SIM_NR_KCONFIG] = {
	"SLUB", "SLAB", "SLUB_CPU_PARTIAL", "SLAB_FREELIST_RANDOM", "SLAB_FREELIST_HARDENED", "MEMCG_KMEM",
	"TRANSPARENT_HUGEPAGE", "ZONE_DMA", "HUGETLB_PAGE", "SLUB_STATS", "DEBUG_SLAB", "PREEMPT_NONE",
	"PREEMPT_VOLUNTARY", "PREEMPT", "MEMCG", "SLAB_BUCKETS", "SLUB_TINY", "HARDENED_USERCOPY",
	"TRANSPARENT_HUGEPAGE_ALWAYS",
};

/* Trace files looked for, in this order. */
static const char *const cap_trace_names[] = { "trace.txt", "trace.txt.xz", "trace.txt.gz", "trace", NULL };

char *cap_path(const char *dir, const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

/* A file to read: regular, or a FIFO for the trace (a trace streamed into the capture). */
bool cap_exists(const char *path)
{
	struct stat st;

	return path && !stat(path, &st) && (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode));
}

/*
 * Open dir/name (first of SNAP0/, SNAP1/, the top level for `snap` names).  NULL
 * with *used NULL when absent; NULL with *used set (and one line on err) when
 * something else than a readable file is there: see cap_absent.
 */
FILE *cap_open(const struct sim_capture *c, const char *name, bool snap, char **used, FILE *err)
{
	static const char *const where[] = { "SNAP0/", "SNAP1/", "", NULL };
	char *rel, *path;
	struct stat st;
	FILE *f;

	*used = NULL;
	for (int i = snap ? 0 : 2; where[i]; i++) {
		if (asprintf(&rel, "%s%s", where[i], name) < 0)
			return NULL;
		path = cap_path(c->dir, rel);
		free(rel);
		if (path && !stat(path, &st)) {		/* one stat says what is there */
			if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
				fprintf(err, "%s: expected a file, got %s\n", path,
					S_ISDIR(st.st_mode) ? "a directory" : "a special file");
				*used = path;
				return NULL;
			}
			if ((f = fopen(path, "r"))) {
				*used = path;
				return f;
			}
			fprintf(err, "%s: cannot open: %s\n", path, strerror(errno));
			*used = path;
			return NULL;
		}
		free(path);
	}
	return NULL;
}

int cap_absent(char *used)
{
	free(used);
	return used ? SIM_EBADINPUT : 0;
}

int cap_line(FILE *f, char *buf, size_t size, const char *path, int *ln, FILE *err)
{
	size_t n = 0;
	int ch;

	/* f is the reader's own (cap_open): getc's lock per byte buys nothing */
	while ((ch = getc_unlocked(f)) != EOF && ch != '\n') {
		if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
			char msg[96];

			snprintf(msg, sizeof(msg), "expected text, got byte 0x%02x at column %zu", (unsigned)ch, n + 1);
			return -cap_bad(err, path, *ln + 1, msg);
		}
		if (n + 1 >= size)
			return -cap_bad(err, path, *ln + 1, "expected a line shorter than 4096 bytes");
		buf[n++] = (char)ch;
	}
	if (ch == EOF && n == 0)
		return 0;
	while (n && buf[n - 1] == '\r')
		n--;
	buf[n] = 0;
	(*ln)++;
	return 1;
}

int cap_empty(FILE *err, const char *path, const char *what)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "expected %s, got none", what);
	return cap_bad(err, path, 1, msg);
}

int cap_bad(FILE *err, const char *path, int line, const char *what)
{
	fprintf(err, "%s:%d: %s\n", path, line, what);
	return SIM_EBADINPUT;
}

/* Strip the trailing newline; returns the line. */
char *cap_chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

bool cap_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	*v = strtoull(s, &end, 10);
	return !errno && (*end == 0 || *end == ' ' || *end == '\t' || *end == '\n');
}

/* A decimal number at *p; *p moves past it.  False when there is none or it overflows. */
bool cap_num(const char **p, uint64_t *v)
{
	char *end;

	errno = 0;
	if (**p < '0' || **p > '9')
		return false;
	*v = strtoull(*p, &end, 10);
	*p = end;
	return !errno;
}

int sim_capture_parse_cpulist(const char *s, bool *cpus, int n)
{
	int nr = 0;

	while (*s && *s != '\n' && *s != ' ') {
		char *end;
		long lo = strtol(s, &end, 10), hi = lo;

		if (end == s || lo < 0)
			return -1;
		s = end;
		if (*s == '-') {
			hi = strtol(s + 1, &end, 10);
			if (end == s + 1 || hi < lo)
				return -1;
			s = end;
		}
		if (hi >= n)
			return -1;
		for (long c = lo; c <= hi; c++)
			if (!cpus[c]) {
				cpus[c] = true;
				nr++;
			}
		if (*s == ',')
			s++;
		else if (*s && *s != '\n' && *s != ' ')
			return -1;
	}
	return nr;
}

/* ---------------------------------------------------------------- files */

/* numa_topology.txt: "nodeN cpus=LIST" lines, each node's meminfo lines ("Node N KEY: V kB"). */
static int cap_read_topology(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "numa_topology.txt", false, &path, err);
	int ln = 0, rc = 0, n;
	bool cpus[SIM_CAPTURE_MAX_CPUS] = { false };

	if (!f)
		return cap_absent(path);
	while ((n = cap_line(f, line, sizeof(line), path, &ln, err)) > 0) {
		char *cl;
		long nid;
		int nr;

		if (!line[strspn(line, " \t")] || (!strncmp(line, "Node ", 5) && line[5] >= '0' && line[5] <= '9'))
			continue;		/* blank, or the node's meminfo */
		if (strncmp(line, "node", 4) || line[4] < '0' || line[4] > '9' ||
		    (nid = strtol(line + 4, &cl, 10), strncmp(cl, " cpus=", 6))) {
			rc = cap_bad(err, path, ln, "expected \"nodeN cpus=LIST\" or a node's meminfo line");
			break;
		}
		if (nid >= SIM_CAPTURE_MAX_NODES) {
			rc = cap_bad(err, path, ln, "node: expected a node number below 64");
			break;
		}
		nr = sim_capture_parse_cpulist(cl + 6, cpus, SIM_CAPTURE_MAX_CPUS);
		if (nr < 0) {
			rc = cap_bad(err, path, ln, "cpus: expected a CPU list like \"0-3,8\"");
			break;
		}
		/* the nr CPUs set, cleared for the next line: the scan ends at the last one */
		for (int cpu = 0, left = nr; left && !rc; cpu++) {
			char msg[96];

			if (!cpus[cpu])
				continue;
			cpus[cpu] = false;
			left--;
			if (c->cpu_node[cpu] >= 0) {	/* a CPU sits on one node (cpu_to_node) */
				snprintf(msg, sizeof(msg), "cpus: CPU %d is already on node %d", cpu, c->cpu_node[cpu]);
				rc = cap_bad(err, path, ln, msg);
				break;
			}
			c->cpu_node[cpu] = (int16_t)nid;
			c->nr_cpus++;
		}
		if (rc)
			break;
		c->node[nid].nr_cpus += nr;
		if (!c->node_line[nid])
			c->node_line[nid] = ln;
		if (nid + 1 > c->nr_nodes)
			c->nr_nodes = (int)nid + 1;
	}
	if (n < 0)
		rc = -n;
	else if (!rc && !c->nr_nodes)
		rc = cap_empty(err, path, "\"nodeN cpus=LIST\" lines");
	fclose(f);
	free(path);
	return rc;
}

/* numa_distance.txt: "nodeN D0 D1 ..." (the node's /sys/devices/system/node/nodeN/distance). */
static int cap_read_distance(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "numa_distance.txt", false, &path, err);
	int ln = 0, rc = 0, rows = 0, n;

	if (!f)
		return cap_absent(path);
	while ((n = cap_line(f, line, sizeof(line), path, &ln, err)) > 0) {
		char *p;
		long nid;
		int j = 0;

		if (!line[strspn(line, " \t")])
			continue;
		if (strncmp(line, "node", 4)) {
			rc = cap_bad(err, path, ln, "expected \"nodeN D0 D1 ...\"");
			break;
		}
		nid = strtol(line + 4, &p, 10);
		if (p == line + 4 || nid < 0 || nid >= SIM_CAPTURE_MAX_NODES) {
			rc = cap_bad(err, path, ln, "node: expected \"nodeN\" with N below 64");
			break;
		}
		if (*p == ':')
			p++;
		for (;;) {
			char *end;
			long d = strtol(p, &end, 10);

			if (end == p)
				break;
			if (j >= SIM_CAPTURE_MAX_NODES || d < 1 || d > 255) {
				rc = cap_bad(err, path, ln, "distance: expected up to 64 numbers 1..255");
				break;
			}
			c->distance[nid][j++] = (int)d;
			p = end;
		}
		if (rc)
			break;
		rows++;
	}
	if (n < 0)
		rc = -n;
	else if (!rc && !rows)
		rc = cap_empty(err, path, "\"nodeN D0 D1 ...\" lines");
	fclose(f);
	free(path);
	c->have_distance = !rc && rows > 0;
	return rc;
}

/* zoneinfo "high:  480" / "batch: 63" of a pcp block. */
static int cap_zone_pcp(struct sim_capture_zone *z, const char *key, const char *line, const char *path,
			int ln, FILE *err)
{
	const char *p = strstr(line, key) + strlen(key);
	uint64_t v;

	p += strspn(p, " \t");
	if (!cap_u64(p, &v) || v > INT32_MAX)
		return cap_bad(err, path, ln, key[0] == 'h' ? "pcp high: expected a number of pages" :
			       "pcp batch: expected a number of pages");
	if (key[0] == 'h')
		z->pcp_high = (int)v;
	else
		z->pcp_batch = (int)v;
	z->have_pcp = z->have_pcp || key[0] == 'b';	/* high comes first, batch closes the block */
	return 0;
}

/* zoneinfo "protection: (0, 1977, 1977, 1977, 1977)": the zone's lowmem_reserve[]. */
static int cap_zone_protection(struct sim_capture_zone *z, const char *line, const char *path, int ln,
			       FILE *err)
{
	const char *p = strchr(line, '(');
	int n = 0;

	if (!p)
		return cap_bad(err, path, ln, "protection: expected \"(N, N, ...)\"");
	p++;
	for (;;) {
		uint64_t v;

		p += strspn(p, " \t");
		if (*p == ')' && n == 0)
			break;
		if (n >= SIM_CAPTURE_NR_PROTECTION || !cap_num(&p, &v))
			return cap_bad(err, path, ln, "protection: expected up to 5 numbers of pages in (...)");
		z->protection[n++] = v;
		p += strspn(p, " \t");
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p != ')')
			return cap_bad(err, path, ln, "protection: expected \",\" or \")\" after a number");
		break;
	}
	z->nr_protection = n;
	return 0;
}

/* zoneinfo: "Node N, zone NAME" blocks with spanned/present/managed and start_pfn. */
static int cap_read_zoneinfo(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "zoneinfo", true, &path, err);
	struct sim_capture_zone *z = NULL;
	int ln = 0, rc = 0, n, nr_blocks = 0;
	bool in_pcp = false;

	if (!f)
		return cap_absent(path);
	while ((n = cap_line(f, line, sizeof(line), path, &ln, err)) > 0) {
		char name[32], key[32];
		int nid;
		uint64_t v;

		if (!strncmp(line, "Node ", 5)) {
			if (sscanf(line, "Node %d, zone %31s", &nid, name) != 2) {
				rc = cap_bad(err, path, ln, "expected \"Node N, zone NAME\"");
				break;
			}
			nr_blocks++;
			z = NULL;
			in_pcp = false;
			if (nid < 0 || nid >= SIM_CAPTURE_MAX_NODES) {
				rc = cap_bad(err, path, ln, "Node: expected a node number below 64");
				break;
			}
			for (int zid = 0; zid < SIM_CAPTURE_NR_ZONES; zid++)
				if (!strcmp(name, cap_zone_names[zid]))
					z = &c->node[nid].zone[zid];
			if (z) {
				z->seen = true;
				c->have_zones = true;
				if (nid + 1 > c->nr_nodes)	/* memory-only nodes too */
					c->nr_nodes = nid + 1;
			}
			continue;
		}
		if (!nr_blocks && line[strspn(line, " \t")]) {
			rc = cap_bad(err, path, ln, "expected \"Node N, zone NAME\" first");
			break;
		}
		if (!z || sscanf(line, " %31s", key) != 1)
			continue;
		if (!strcmp(key, "cpu:")) {
			in_pcp = !z->have_pcp;	/* the first CPU's pcp only */
			continue;
		}
		if (in_pcp && (!strcmp(key, "high:") || !strcmp(key, "batch:"))) {
			rc = cap_zone_pcp(z, key, line, path, ln, err);
			if (rc)
				break;
			continue;
		}
		if (!strcmp(key, "protection:")) {
			rc = cap_zone_protection(z, line, path, ln, err);
			if (rc)
				break;
			continue;
		}
		if (!strcmp(key, "min") || !strcmp(key, "low") || !strcmp(key, "high")) {
			const char *p = line + strspn(line, " \t") + strlen(key);

			p += strspn(p, " \t");
			if (!cap_u64(p, &v)) {
				rc = cap_bad(err, path, ln, "expected a watermark in pages");
				break;
			}
			*(key[0] == 'm' ? &z->wmark_min : key[0] == 'l' ? &z->wmark_low : &z->wmark_high) = v;
			continue;
		}
		if (!strcmp(key, "spanned") || !strcmp(key, "present") || !strcmp(key, "managed") ||
		    !strcmp(key, "start_pfn:")) {
			const char *p = line + strspn(line, " \t") + strlen(key);

			p += strspn(p, " \t");
			if (!cap_u64(p, &v)) {
				rc = cap_bad(err, path, ln, "expected a number of pages");
				break;
			}
			if (key[0] == 's' && key[1] == 'p')
				z->spanned = v;
			else if (key[0] == 'p')
				z->present = v;
			else if (key[0] == 'm')
				z->managed = v;
			else
				z->start_pfn = v;
			in_pcp = false;		/* start_pfn follows the pcp blocks */
		}
	}
	if (n < 0)
		rc = -n;
	else if (!rc && !nr_blocks)
		rc = cap_empty(err, path, "\"Node N, zone NAME\" blocks");
	fclose(f);
	free(path);
	return rc;
}

/* The first line of a free-form file (uname, cmdline) in *out, NULL when absent: 0 or SIM_EBADINPUT. */
static int cap_first_line(struct sim_capture *c, const char *name, char **out, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, name, false, &path, err);

	*out = NULL;
	if (!f)
		return cap_absent(path);
	if (fgets(line, sizeof(line), f))
		*out = strdup(cap_chomp(line));
	fclose(f);
	free(path);
	return 0;
}

/*
 * The kernel release of uname -a's third word ("Linux HOST 6.12.118+deb12-amd64 #1 ..."):
 * its first three numbers, -1 for those it lacks.  uname is free-form: nothing here is bad input.
 */
static void cap_release(struct sim_capture *c)
{
	const char *p = c->uname;

	c->release[0] = c->release[1] = c->release[2] = -1;
	for (int word = 0; p && word < 2; word++) {	/* skip "Linux" and the host name */
		p += strspn(p, " \t");
		p += strcspn(p, " \t");
	}
	if (!p)
		return;
	p += strspn(p, " \t");
	for (int i = 0; i < 3 && *p >= '0' && *p <= '9'; i++) {
		long v = 0;

		while (*p >= '0' && *p <= '9' && v < 100000)
			v = v * 10 + (*p++ - '0');
		c->release[i] = (int)v;
		if (*p != '.')
			break;
		p++;
	}
}

/* ------------------------------------------------------------------ API */

int sim_capture_open(struct sim_capture **out, const char *dir, FILE *err)
{
	/* the files that can make a capture bad input, in the order their errors take precedence */
	static int (*const readers[])(struct sim_capture *, FILE *) = {
		cap_read_topology, cap_read_distance, cap_read_zoneinfo, cap_read_slab, cap_read_links,
		cap_read_kconfig, cap_read_pagetypeinfo, cap_read_sysctl, cap_read_slabinfo, cap_read_formats,
		cap_read_dmesg,
	};
	struct sim_capture *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c || !(c->dir = strdup(dir))) {
		free(c);
		fprintf(err, "%s: out of memory\n", dir);
		return SIM_EFAIL;
	}
	memset(c->cpu_node, 0xff, sizeof(c->cpu_node));	/* every CPU -1: not named */
	c->page_block_order = -1;
	c->pcp_batch_scale_max = -1;
	c->sysctl.min_free_kbytes = c->sysctl.watermark_scale_factor = -1;
	c->sysctl.watermark_boost_factor = c->sysctl.percpu_pagelist_high_fraction = -1;
	for (int i = 0; cap_trace_names[i] && !c->trace_path; i++) {
		char *p = cap_path(dir, cap_trace_names[i]);

		if (cap_exists(p))
			c->trace_path = p;
		else
			free(p);
	}
	rc = 0;
	for (size_t i = 0; !rc && i < sizeof(readers) / sizeof(readers[0]); i++)
		rc = readers[i](c, err);
	if (!rc)
		rc = cap_first_line(c, "uname", &c->uname, err);
	if (!rc)
		cap_release(c);
	if (!rc)
		rc = cap_first_line(c, "cmdline", &c->cmdline, err);
	if (rc) {
		sim_capture_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void sim_capture_free(struct sim_capture *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nr_caches; i++) {
		free(c->cache[i].dir);
		free(c->cache[i].aliases);
	}
	for (int i = 0; i < c->nr_links; i++) {
		free(c->link_name[i]);
		free(c->link_dir[i]);
	}
	free(c->link_name);
	free(c->link_dir);
	free(c->cache);
	free(c->dir);
	free(c->trace_path);
	free(c->uname);
	free(c->cmdline);
	free(c->kconfig_path);
	free(c->sysctl_path);
	free(c->dmesg_path);
	free(c);
}

const struct sim_capture_cache *sim_capture_find_cache(const struct sim_capture *c, const char *name)
{
	const char *dir = name;

	if (!c || !name)
		return NULL;
	for (int i = 0; i < c->nr_links; i++)
		if (!strcmp(c->link_name[i], name)) {
			dir = c->link_dir[i];
			break;
		}
	for (int i = 0; i < c->nr_caches; i++)
		if (!strcmp(c->cache[i].dir, dir))
			return &c->cache[i];
	return NULL;
}
