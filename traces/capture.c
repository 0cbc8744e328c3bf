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

#include "capture.h"
#include "trace_int.h"
#include "../models/slab_common/slab_common.h"

#define CAP_LINE 4096

static const char *const cap_zone_names[SIM_CAPTURE_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };

const char *const sim_kconfig_names[SIM_NR_KCONFIG] = {
	"SLUB", "SLAB", "SLUB_CPU_PARTIAL", "SLAB_FREELIST_RANDOM", "SLAB_FREELIST_HARDENED", "MEMCG_KMEM",
	"TRANSPARENT_HUGEPAGE", "ZONE_DMA", "HUGETLB_PAGE", "SLUB_STATS", "DEBUG_SLAB", "PREEMPT_NONE",
	"PREEMPT_VOLUNTARY", "PREEMPT",
};

/* Config files looked for, in this order (any of them may be xz or gzip: read by magic bytes). */
static const char *const cap_kconfig_names[] = { "kernel.config", "kernel.config.xz", "kernel.config.gz",
						 "config.gz", "config", NULL };

/* Trace files looked for, in this order. */
static const char *const cap_trace_names[] = { "trace.txt", "trace.txt.xz", "trace.txt.gz", "trace", NULL };

static char *cap_path(const char *dir, const char *name)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

/* A file to read: regular, or a FIFO for the trace (a trace streamed into the capture). */
static bool cap_exists(const char *path)
{
	struct stat st;

	return path && !stat(path, &st) && (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode));
}

/* Open dir/name (first of SNAP0/, SNAP1/, the top level for `snap` names); NULL when absent. */
static FILE *cap_open(const struct sim_capture *c, const char *name, bool snap, char **used)
{
	static const char *const where[] = { "SNAP0/", "SNAP1/", "", NULL };
	char *rel, *path;
	FILE *f;

	*used = NULL;
	for (int i = snap ? 0 : 2; where[i]; i++) {
		if (asprintf(&rel, "%s%s", where[i], name) < 0)
			return NULL;
		path = cap_path(c->dir, rel);
		free(rel);
		if (cap_exists(path) && (f = fopen(path, "r"))) {
			*used = path;
			return f;
		}
		free(path);
	}
	return NULL;
}

static int cap_bad(FILE *err, const char *path, int line, const char *what)
{
	fprintf(err, "%s:%d: %s\n", path, line, what);
	return SIM_EBADINPUT;
}

/* Strip the trailing newline; returns the line. */
static char *cap_chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static bool cap_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	*v = strtoull(s, &end, 10);
	return !errno && (*end == 0 || *end == ' ' || *end == '\t' || *end == '\n');
}

/* A decimal number at *p; *p moves past it.  False when there is none or it overflows. */
static bool cap_num(const char **p, uint64_t *v)
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

/* numa_topology.txt: "nodeN cpus=LIST" lines; everything else (meminfo) is skipped. */
static int cap_read_topology(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "numa_topology.txt", false, &path);
	int ln = 0, rc = 0;
	bool cpus[SIM_CAPTURE_MAX_CPUS];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *cl;
		long nid;
		int nr;

		ln++;
		cap_chomp(line);
		if (strncmp(line, "node", 4) || line[4] < '0' || line[4] > '9')
			continue;
		nid = strtol(line + 4, &cl, 10);
		if (nid >= SIM_CAPTURE_MAX_NODES) {
			rc = cap_bad(err, path, ln, "node: expected a node number below 64");
			break;
		}
		cl = strstr(cl, "cpus=");
		if (!cl)
			continue;
		memset(cpus, 0, sizeof(cpus));
		nr = sim_capture_parse_cpulist(cl + 5, cpus, SIM_CAPTURE_MAX_CPUS);
		if (nr < 0) {
			rc = cap_bad(err, path, ln, "cpus: expected a CPU list like \"0-3,8\"");
			break;
		}
		for (int cpu = 0; cpu < SIM_CAPTURE_MAX_CPUS; cpu++)
			if (cpus[cpu] && c->cpu_node[cpu] < 0) {
				c->cpu_node[cpu] = (int16_t)nid;
				c->nr_cpus++;
			}
		c->node[nid].nr_cpus += nr;
		if (nid + 1 > c->nr_nodes)
			c->nr_nodes = (int)nid + 1;
	}
	fclose(f);
	free(path);
	return rc;
}

/* numa_distance.txt: "nodeN D0 D1 ..." (the node's /sys/devices/system/node/nodeN/distance). */
static int cap_read_distance(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "numa_distance.txt", false, &path);
	int ln = 0, rc = 0, rows = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p;
		long nid;
		int j = 0;

		ln++;
		cap_chomp(line);
		if (strncmp(line, "node", 4))
			continue;
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
	FILE *f = cap_open(c, "zoneinfo", true, &path);
	struct sim_capture_zone *z = NULL;
	int ln = 0, rc = 0;
	bool in_pcp = false;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char name[32], key[32];
		int nid;
		uint64_t v;

		ln++;
		if (sscanf(line, "Node %d, zone %31s", &nid, name) == 2) {
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
	fclose(f);
	free(path);
	return rc;
}

static struct sim_capture_cache *cap_cache(struct sim_capture *c, const char *dir)
{
	struct sim_capture_cache *cc;

	for (int i = c->nr_caches - 1; i >= 0; i--)	/* attributes of a cache come together */
		if (!strcmp(c->cache[i].dir, dir))
			return &c->cache[i];
	cc = realloc(c->cache, (size_t)(c->nr_caches + 1) * sizeof(*cc));
	if (!cc)
		return NULL;
	c->cache = cc;
	cc = &c->cache[c->nr_caches];
	memset(cc, 0, sizeof(*cc));
	cc->dir = strdup(dir);
	if (!cc->dir)
		return NULL;
	c->nr_caches++;
	/* the flags a merged cache's id spells out (slub.c create_unique_id) */
	if (dir[0] == ':')
		for (const char *p = dir + 1; *p && *p != '-' && (*p < '0' || *p > '9'); p++)
			cc->flags |= *p == 'd' ? SLAB_CACHE_DMA : *p == 'D' ? SLAB_CACHE_DMA32 :
				     *p == 'a' ? SLAB_RECLAIM_ACCOUNT : *p == 'F' ? SLAB_CONSISTENCY_CHECKS :
				     *p == 'A' ? SLAB_ACCOUNT : 0;
	return cc;
}

/* sys_kernel_slab.txt: "CACHE ATTRIBUTE VALUE..." for every cache directory. */
static int cap_read_slab(struct sim_capture *c, FILE *err)
{
	static const struct { const char *attr; unsigned int flag; } flag_attrs[] = {
		{ "hwcache_align", SLAB_HWCACHE_ALIGN }, { "reclaim_account", SLAB_RECLAIM_ACCOUNT },
		{ "cache_dma", SLAB_CACHE_DMA }, { "destroy_by_rcu", SLAB_TYPESAFE_BY_RCU },
		{ "poison", SLAB_POISON }, { "red_zone", SLAB_RED_ZONE }, { "store_user", SLAB_STORE_USER },
		{ "trace", SLAB_TRACE }, { "sanity_checks", SLAB_CONSISTENCY_CHECKS },
	};
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sys_kernel_slab.txt", true, &path);
	int ln = 0, rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char dir[128], attr[64];
		struct sim_capture_cache *cc;
		const char *val;
		uint64_t v = 0;
		int n;

		ln++;
		cap_chomp(line);
		if (sscanf(line, "%127s %63s %n", dir, attr, &n) != 2)
			continue;
		val = line + n;
		cc = cap_cache(c, dir);
		if (!cc) {
			rc = SIM_EFAIL;
			fprintf(err, "%s: out of memory\n", path);
			break;
		}
		if (!strcmp(attr, "ctor")) {
			cc->ctor = true;
			continue;
		}
		if (!cap_u64(val, &v) || v > UINT32_MAX)
			continue;	/* attributes with lists ("cpu_slabs 4 N0=2") read their first number */
		if (!strcmp(attr, "object_size"))
			cc->object_size = (unsigned int)v;
		else if (!strcmp(attr, "slab_size"))
			cc->size = (unsigned int)v;
		else if (!strcmp(attr, "align"))
			cc->align = (unsigned int)v;
		else if (!strcmp(attr, "order"))
			cc->order = (unsigned int)v;
		else if (!strcmp(attr, "objs_per_slab"))
			cc->objs_per_slab = (unsigned int)v;
		for (size_t i = 0; i < sizeof(flag_attrs) / sizeof(flag_attrs[0]); i++)
			if (!strcmp(attr, flag_attrs[i].attr) && v)
				cc->flags |= flag_attrs[i].flag;
	}
	fclose(f);
	free(path);
	return rc;
}

/* Append `name` to a cache's alias list. */
static int cap_add_alias(struct sim_capture_cache *cc, const char *name)
{
	char *s = NULL;

	if (asprintf(&s, "%s%s%s", cc->aliases ? cc->aliases : "", cc->aliases ? " " : "", name) < 0)
		return -1;
	free(cc->aliases);
	cc->aliases = s;
	return 0;
}

/* sys_kernel_slab_ls-l.txt: "... NAME -> :TARGET" symlinks of merged caches. */
static int cap_read_links(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sys_kernel_slab_ls-l.txt", false, &path);
	int rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *arrow = strstr(cap_chomp(line), " -> "), *name, *target, **ln, **ld;

		if (line[0] != 'l' || !arrow)
			continue;
		*arrow = 0;
		name = strrchr(line, ' ');
		target = arrow + 4;
		if (!name || !*target)
			continue;
		name++;
		ln = realloc(c->link_name, (size_t)(c->nr_links + 1) * sizeof(*ln));
		if (ln)
			c->link_name = ln;
		ld = realloc(c->link_dir, (size_t)(c->nr_links + 1) * sizeof(*ld));
		if (ld)
			c->link_dir = ld;
		if (!ln || !ld) {
			rc = SIM_EFAIL;
			break;
		}
		if (strrchr(target, '/'))
			target = strrchr(target, '/') + 1;
		c->link_name[c->nr_links] = strdup(name);
		c->link_dir[c->nr_links] = strdup(target);
		if (!c->link_name[c->nr_links] || !c->link_dir[c->nr_links]) {
			free(c->link_name[c->nr_links]);
			free(c->link_dir[c->nr_links]);
			rc = SIM_EFAIL;
			break;
		}
		c->nr_links++;
	}
	fclose(f);
	if (rc == SIM_EFAIL)
		fprintf(err, "%s: out of memory\n", path);
	free(path);
	for (int i = 0; !rc && i < c->nr_links; i++)
		for (int j = 0; j < c->nr_caches; j++)
			if (!strcmp(c->cache[j].dir, c->link_dir[i]) && cap_add_alias(&c->cache[j], c->link_name[i]))
				rc = SIM_EFAIL;
	return rc;
}

/*
 * slabinfo: SLAB prints non-zero tunables (limit batchcount sharedfactor); SLUB prints zeros.
 * SLAB's header reads "slabinfo - version: 2.1 (statistics)" only when mm/slab.c has STATS,
 * which CONFIG_DEBUG_SLAB alone turns on (with DEBUG and FORCED_DEBUG).
 */
static void cap_read_slabinfo(struct sim_capture *c)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "slabinfo", true, &path);

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		const char *t = strstr(line, ": tunables");
		unsigned long limit;

		if (!strncmp(line, "slabinfo - version:", 19) && strstr(line, "(statistics)"))
			c->slab_statistics = true;
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8) || !t)
			continue;
		if (sscanf(t, ": tunables %lu", &limit) == 1) {
			c->slab_tunables = limit > 0;
			break;
		}
	}
	fclose(f);
	free(path);
}

/* One line of a .config: "CONFIG_X=v", "# CONFIG_X is not set", another comment or blank. */
static int cap_kconfig_line(struct sim_capture *c, const char *line, const char *path, int ln, FILE *err)
{
	const char *name, *val;
	size_t len;
	bool not_set = false;
	int8_t state;

	line += strspn(line, " \t");
	if (!*line)
		return 0;
	if (*line == '#') {
		line++;
		line += strspn(line, " \t");
		if (strncmp(line, "CONFIG_", 7))
			return 0;		/* a comment */
		len = strspn(line + 7, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
		if (strcmp(line + 7 + len, " is not set"))
			return 0;		/* a comment that names a symbol */
		not_set = true;
	} else if (strncmp(line, "CONFIG_", 7)) {
		return cap_bad(err, path, ln, "expected CONFIG_NAME=value or \"# CONFIG_NAME is not set\"");
	}
	name = line + 7;
	len = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	if (!len || (!not_set && name[len] != '='))
		return cap_bad(err, path, ln, "expected CONFIG_NAME=value or \"# CONFIG_NAME is not set\"");
	val = name + len + 1;
	for (int i = 0; i < SIM_NR_KCONFIG; i++) {
		if (strlen(sim_kconfig_names[i]) != len || strncmp(name, sim_kconfig_names[i], len))
			continue;
		if (not_set || !strcmp(val, "n"))
			state = SIM_NO;
		else if (!strcmp(val, "y") || !strcmp(val, "m"))
			state = SIM_YES;
		else {
			char msg[96];

			snprintf(msg, sizeof(msg), "CONFIG_%s: expected y, m or n, got \"%.32s\"",
				 sim_kconfig_names[i], val);
			return cap_bad(err, path, ln, msg);
		}
		c->kconfig[i] = state;
	}
	return 0;
}

/* The kernel config, plain, xz or gzip (traces/input.c reads all three). */
static int cap_read_kconfig(struct sim_capture *c, FILE *err)
{
	struct trace_input *in = NULL;
	char msg[256], line[CAP_LINE], *path = NULL;
	const char *l;
	size_t len;
	int fd = -1, ln = 0, rc, n;

	for (int i = 0; cap_kconfig_names[i] && fd < 0; i++) {
		free(path);
		path = cap_path(c->dir, cap_kconfig_names[i]);
		if (cap_exists(path))
			fd = open(path, O_RDONLY);
	}
	if (fd < 0) {
		free(path);
		return 0;		/* no config: every symbol stays unknown */
	}
	rc = trace_input_open_fd(&in, fd, true, msg, sizeof(msg));
	if (rc) {
		fprintf(err, "%s:0: %s\n", path, msg);
		free(path);
		return rc;
	}
	for (int i = 0; i < SIM_NR_KCONFIG; i++)	/* a symbol the file does not list is off */
		c->kconfig[i] = SIM_NO;
	while ((n = trace_input_getline(in, &l, &len, msg, sizeof(msg))) > 0) {
		ln++;
		if (n == TRACE_LINE_TOO_LONG || len >= sizeof(line)) {
			rc = cap_bad(err, path, ln, "line too long for a config file");
			break;
		}
		memcpy(line, l, len);
		line[len] = 0;
		rc = cap_kconfig_line(c, line, path, ln, err);
		if (rc)
			break;
	}
	if (n < 0 && !rc) {
		fprintf(err, "%s:%d: %s\n", path, ln + 1, msg);
		rc = -n;
	}
	trace_input_close(in);
	if (rc) {
		free(path);
		return rc;
	}
	c->kconfig_path = path;
	return 0;
}

/* pagetypeinfo: "Page block order: N" (pageblock_order: 9 with HUGETLB_PAGE, else MAX_ORDER - 1). */
static int cap_read_pagetypeinfo(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "pagetypeinfo", true, &path);
	int ln = 0, rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + 17;
		uint64_t v;

		ln++;
		if (strncmp(line, "Page block order:", 17))
			continue;
		p += strspn(p, " \t");
		if (!cap_u64(p, &v) || v > 20) {
			rc = cap_bad(err, path, ln, "Page block order: expected a number from 0 to 20");
			break;
		}
		c->page_block_order = (int)v;
		break;
	}
	fclose(f);
	free(path);
	return rc;
}

/* sysctl_vm.txt: "name value" per line, one for each /proc/sys/vm file (values may be lists). */
static int cap_read_sysctl(struct sim_capture *c, FILE *err)
{
	static const struct { const char *name; size_t off; } keys[] = {
		{ "min_free_kbytes", offsetof(struct sim_capture_sysctl, min_free_kbytes) },
		{ "watermark_scale_factor", offsetof(struct sim_capture_sysctl, watermark_scale_factor) },
		{ "watermark_boost_factor", offsetof(struct sim_capture_sysctl, watermark_boost_factor) },
		{ "percpu_pagelist_high_fraction", offsetof(struct sim_capture_sysctl, percpu_pagelist_high_fraction) },
	};
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sysctl_vm.txt", false, &path);
	int ln = 0, rc = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		int n;

		ln++;
		cap_chomp(line);
		if (!line[strspn(line, " \t")])
			continue;
		if (sscanf(line, "%63s %n", name, &n) != 1 || !line[n]) {
			rc = cap_bad(err, path, ln, "expected \"name value\"");
			break;
		}
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			uint64_t v;

			if (strcmp(name, keys[i].name))
				continue;
			if (!cap_u64(line + n, &v) || v > INT32_MAX) {
				char msg[160];

				snprintf(msg, sizeof(msg), "%s: expected a number from 0 to 2147483647", name);
				rc = cap_bad(err, path, ln, msg);
				break;
			}
			*(int64_t *)((char *)&c->sysctl + keys[i].off) = (int64_t)v;
		}
		if (rc)
			break;
	}
	fclose(f);
	if (rc)
		free(path);
	else
		c->sysctl_path = path;
	return rc;
}

/* The first line of top-level file `name` (uname, cmdline), or NULL. */
static char *cap_first_line(struct sim_capture *c, const char *name)
{
	char line[CAP_LINE], *path, *s = NULL;
	FILE *f = cap_open(c, name, false, &path);

	if (!f)
		return NULL;
	if (fgets(line, sizeof(line), f))
		s = strdup(cap_chomp(line));
	fclose(f);
	free(path);
	return s;
}

/* ------------------------------------------------------------------ API */

int sim_capture_open(struct sim_capture **out, const char *dir, FILE *err)
{
	struct sim_capture *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c || !(c->dir = strdup(dir))) {
		free(c);
		fprintf(err, "%s: out of memory\n", dir);
		return SIM_EFAIL;
	}
	for (int i = 0; i < SIM_CAPTURE_MAX_CPUS; i++)
		c->cpu_node[i] = -1;
	c->page_block_order = -1;
	c->sysctl.min_free_kbytes = c->sysctl.watermark_scale_factor = -1;
	c->sysctl.watermark_boost_factor = c->sysctl.percpu_pagelist_high_fraction = -1;
	for (int i = 0; cap_trace_names[i] && !c->trace_path; i++) {
		char *p = cap_path(dir, cap_trace_names[i]);

		if (cap_exists(p))
			c->trace_path = p;
		else
			free(p);
	}
	rc = cap_read_topology(c, err);
	if (!rc)
		rc = cap_read_distance(c, err);
	if (!rc)
		rc = cap_read_zoneinfo(c, err);
	if (!rc)
		rc = cap_read_slab(c, err);
	if (!rc)
		rc = cap_read_links(c, err);
	if (!rc)
		rc = cap_read_kconfig(c, err);
	if (!rc)
		rc = cap_read_pagetypeinfo(c, err);
	if (!rc)
		rc = cap_read_sysctl(c, err);
	if (rc) {
		sim_capture_free(c);
		return rc;
	}
	cap_read_slabinfo(c);
	c->uname = cap_first_line(c, "uname");
	c->cmdline = cap_first_line(c, "cmdline");
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
