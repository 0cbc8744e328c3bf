/*
 * snapshot.c - reading one snapshot directory of a capture (snapshot.h).
 *
 * Main entry: sim_snapshot_read.  One reader per file, each strict about
 * the lines it uses (a number where the format has one) and silent about
 * the rest (sysfs attributes whose value is not a number, such as
 * slabs_cpu_partial "63(3)", other zoneinfo lines).  Caches are kept in
 * file order and found by a linear search (a few hundred).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "array.h"
#include "snapshot.h"
#include "trace.h"

#define SNAP_LINE 8192

struct snap_file {
	FILE *f;
	char *path;
	int ln;
	FILE *err;
};

/* dir/name, opened if there (sf->f NULL if not): 0, or SIM_EFAIL out of memory. */
static int snap_open(struct snap_file *sf, const char *dir, const char *name, FILE *err)
{
	memset(sf, 0, sizeof(*sf));
	sf->err = err;
	if (asprintf(&sf->path, "%s/%s", dir, name) < 0) {
		sf->path = NULL;
		return SIM_EFAIL;
	}
	sf->f = fopen(sf->path, "r");
	return 0;
}

/* The next line of the file, counted for snap_bad; false at its end (or without a file). */
static bool snap_gets(struct snap_file *sf, char *line, int size)
{
	if (!sf->f || !fgets(line, size, sf->f))
		return false;
	sf->ln++;
	return true;
}

static void snap_close(struct snap_file *sf)
{
	if (sf->f)
		fclose(sf->f);
	free(sf->path);
}

static int snap_bad(struct snap_file *sf, const char *what)
{
	fprintf(sf->err, "%s:%d: %s\n", sf->path, sf->ln, what);
	return SIM_EBADINPUT;
}

/* A decimal number filling the whole token: negative, or unsigned up to 2^64-1 (the kernel
 * prints some unsigned long counters that went below zero, e.g. SLAB's maxobjs, as such;
 * they read back as the negative value). */
static bool snap_num(const char *t, int64_t *v)
{
	char *end;

	if (!*t || (*t != '-' && (*t < '0' || *t > '9')))
		return false;
	errno = 0;
	if (*t == '-')
		*v = strtoll(t, &end, 10);
	else
		*v = (int64_t)strtoull(t, &end, 10);
	return !errno && !*end;
}

static struct sim_snap_cache *snap_cache(struct sim_snapshot *s, const char *name)
{
	struct sim_snap_cache *c;

	if (s->nr_caches && !strcmp(s->cache[s->nr_caches - 1].name, name))
		return &s->cache[s->nr_caches - 1];	/* sysfs lines come grouped by cache */
	for (int i = 0; i < s->nr_caches; i++)
		if (!strcmp(s->cache[i].name, name))
			return &s->cache[i];
	if (!(c = sim_array_grow((void **)&s->cache, s->nr_caches, sizeof(*c))))
		return NULL;
	for (int i = 0; i < SIM_SI_NR; i++)
		c->si[i] = -1;
	c->name = strdup(name);
	if (!c->name)
		return NULL;
	s->nr_caches++;
	return c;
}

/* "C<n>=<count>" (or N<n>= of node parts, which are skipped): 1 cpu part, 0 node part, -1 malformed. */
static int snap_part(const char *t, int *cpu, uint64_t *n)
{
	char *end;
	long id;

	if ((t[0] != 'C' && t[0] != 'N') || t[1] < '0' || t[1] > '9')
		return -1;
	id = strtol(t + 1, &end, 10);
	if (*end != '=' || end[1] < '0' || end[1] > '9' || id < 0 || id >= 65536)
		return -1;
	*n = strtoull(end + 1, &end, 10);
	if (*end)
		return -1;
	*cpu = (int)id;
	return t[0] == 'C';
}

static int snap_read_sysfs(struct sim_snapshot *s, const char *dir, FILE *err)
{
	struct snap_file sf;
	char line[SNAP_LINE];
	int rc = snap_open(&sf, dir, "sys_kernel_slab.txt", err);

	if (rc)
		return rc;
	if (sf.f)
		s->have_sysfs = true;
	while (snap_gets(&sf, line, sizeof(line))) {
		char *save = NULL, *cname, *aname, *t;
		struct sim_snap_cache *c;
		struct sim_snap_attr *a;
		int64_t v;

		cname = strtok_r(line, " \t\r\n", &save);
		if (!cname)
			continue;
		aname = strtok_r(NULL, " \t\r\n", &save);
		if (!aname) {
			rc = snap_bad(&sf, "expected \"CACHE ATTRIBUTE VALUE\"");
			break;
		}
		t = strtok_r(NULL, " \t\r\n", &save);
		if (!t || !snap_num(t, &v))
			continue;		/* empty, or not a number ("63(3)", a ctor's symbol) */
		if (!(c = snap_cache(s, cname)) ||
		    !(a = realloc(c->attr, (size_t)(c->nr_attrs + 1) * sizeof(*a)))) {
			rc = SIM_EFAIL;
			break;
		}
		c->attr = a;
		a = &c->attr[c->nr_attrs++];
		memset(a, 0, sizeof(*a));
		a->value = v;
		if (!(a->name = strdup(aname))) {
			rc = SIM_EFAIL;
			break;
		}
		while ((t = strtok_r(NULL, " \t\r\n", &save))) {
			int cpu, k;
			uint64_t n;

			k = snap_part(t, &cpu, &n);
			if (k < 0) {
				rc = snap_bad(&sf, "expected C<cpu>=COUNT or N<node>=COUNT after the value");
				break;
			}
			if (!k)
				continue;
			if (cpu >= a->nr_cpus) {
				uint64_t *p = realloc(a->cpu, (size_t)(cpu + 1) * sizeof(*p));

				if (!p) {
					rc = SIM_EFAIL;
					break;
				}
				memset(p + a->nr_cpus, 0, (size_t)(cpu + 1 - a->nr_cpus) * sizeof(*p));
				a->cpu = p;
				a->nr_cpus = cpu + 1;
			}
			a->cpu[cpu] = n;
		}
		if (rc)
			break;
	}
	snap_close(&sf);
	return rc;
}

/* /proc/slabinfo 2.1: "NAME 5 numbers : tunables 3 : slabdata 3 [: globalstat 9 : cpustat 4]". */
static int snap_read_slabinfo(struct sim_snapshot *s, const char *dir, FILE *err)
{
	static const struct { const char *label; int first, n; } groups[] = {
		{ NULL, SIM_SI_ACTIVE_OBJS, 5 }, { "tunables", SIM_SI_LIMIT, 3 },
		{ "slabdata", SIM_SI_ACTIVE_SLABS, 3 }, { "globalstat", SIM_SI_LISTALLOCS, 9 },
		{ "cpustat", SIM_SI_ALLOCHIT, 4 },
	};
	struct snap_file sf;
	char line[SNAP_LINE];
	int rc = snap_open(&sf, dir, "slabinfo", err);

	if (rc)
		return rc;
	while (snap_gets(&sf, line, sizeof(line))) {
		char *save = NULL, *name, *t;
		int64_t v[SIM_SI_NR];
		int ngroups = 0;
		struct sim_snap_cache *c;

		if (!strncmp(line, "slabinfo - version:", 19)) {
			s->have_slabinfo = true;
			s->slabinfo_stats = strstr(line, "(statistics)") != NULL;
			continue;
		}
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == 0)
			continue;
		if (!s->have_slabinfo) {
			rc = snap_bad(&sf, "expected \"slabinfo - version: 2.1\" first");
			break;
		}
		name = strtok_r(line, " \t\r\n", &save);
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]) && !rc; g++) {
			if (groups[g].label) {
				t = strtok_r(NULL, " \t\r\n", &save);
				if (!t)
					break;
				if (strcmp(t, ":") || !(t = strtok_r(NULL, " \t\r\n", &save)) ||
				    strcmp(t, groups[g].label)) {
					rc = snap_bad(&sf, "expected \": tunables\", \": slabdata\", \": globalstat\" or"
						      " \": cpustat\" columns in that order");
					break;
				}
			}
			for (int i = 0; i < groups[g].n; i++) {
				t = strtok_r(NULL, " \t\r\n", &save);
				if (!t || !snap_num(t, &v[groups[g].first + i])) {
					rc = snap_bad(&sf, "expected a number in each slabinfo column");
					break;
				}
			}
			ngroups++;
		}
		if (rc)
			break;
		if (ngroups < 3 || (s->slabinfo_stats && ngroups != 5)) {
			rc = snap_bad(&sf, s->slabinfo_stats ? "expected the 24 columns of slabinfo (statistics)"
					   : "expected the 11 columns of slabinfo");
			break;
		}
		if (!(c = snap_cache(s, name))) {
			rc = SIM_EFAIL;
			break;
		}
		c->in_slabinfo = true;
		for (int i = 0; i < (ngroups == 5 ? SIM_SI_NR : SIM_SI_NR_BASE); i++)
			c->si[i] = v[i];
	}
	snap_close(&sf);
	return rc;
}

static struct sim_snap_zone *snap_zone(struct sim_snapshot *s, int node, const char *zone)
{
	struct sim_snap_zone *z;

	for (int i = 0; i < s->nr_zones; i++)
		if (s->zone[i].node == node && !strcmp(s->zone[i].zone, zone))
			return &s->zone[i];
	if (!(z = sim_array_grow((void **)&s->zone, s->nr_zones, sizeof(*z))))
		return NULL;
	s->nr_zones++;
	z->node = node;
	snprintf(z->zone, sizeof(z->zone), "%s", zone);
	return z;
}

/* buddyinfo: "Node N, zone NAME c0 c1 ... c10"; zoneinfo: "pages free N", "managed N" and each CPU's
 * pcp "count: N" under "Node N, zone NAME". */
static int snap_read_zones(struct sim_snapshot *s, const char *dir, const char *file, FILE *err)
{
	bool buddy = !strcmp(file, "buddyinfo");
	struct sim_snap_zone *z = NULL;
	struct snap_file sf;
	char line[SNAP_LINE];
	int rc = snap_open(&sf, dir, file, err);

	if (rc)
		return rc;
	if (sf.f && buddy)
		s->have_buddy = true;
	else if (sf.f)
		s->have_zoneinfo = true;
	while (snap_gets(&sf, line, sizeof(line))) {
		char name[16];
		int node, off = 0;
		uint64_t v;

		if (sscanf(line, "Node %d, zone %15s%n", &node, name, &off) == 2) {
			if (node < 0 || node >= 4096) {
				rc = snap_bad(&sf, "Node: expected a node number below 4096");
				break;
			}
			if (!(z = snap_zone(s, node, name))) {
				rc = SIM_EFAIL;
				break;
			}
			if (buddy) {
				char *p = line + off, *end;
				int o = 0;

				for (; o < SIM_SNAP_MAX_ORDER; o++) {
					p += strspn(p, " \t");
					if (*p == '\n' || !*p)
						break;
					errno = 0;
					v = strtoull(p, &end, 10);
					if (end == p || errno || (*end && *end != ' ' && *end != '\t' && *end != '\n')) {
						rc = snap_bad(&sf, "expected a count of free blocks per order");
						break;
					}
					z->nr_free[o] = v;
					p = end;
				}
				if (rc)
					break;
				if (o == 0) {
					rc = snap_bad(&sf, "expected a count of free blocks per order");
					break;
				}
				z->have_buddy = true;
			}
			continue;
		}
		if (buddy) {
			if (line[strspn(line, " \t\r\n")]) {
				rc = snap_bad(&sf, "expected \"Node N, zone NAME COUNTS...\"");
				break;
			}
			continue;
		}
		if (!z)
			continue;
		{
			const char *p = line + strspn(line, " \t");
			bool is_free = !strncmp(p, "pages free", 10), is_managed = !strncmp(p, "managed", 7);
			bool is_count = !strncmp(p, "count:", 6);
			char *end;

			if (!is_free && !is_managed && !is_count)
				continue;
			p += is_free ? 10 : is_count ? 6 : 7;
			p += strspn(p, " \t");
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno) {
				rc = snap_bad(&sf, "expected a number of pages");
				break;
			}
			if (is_free) {
				z->pages_free = v;
				z->have_free = true;
			} else if (is_count) {
				z->pcp_count += v;
				z->have_pcp = true;
			} else {
				z->managed = v;
			}
		}
	}
	snap_close(&sf);
	return rc;
}

int sim_snapshot_read(struct sim_snapshot **out, const char *dir, FILE *err)
{
	struct sim_snapshot *s;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(err, "%s: no such snapshot directory\n", dir);
		return SIM_EBADINPUT;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->dir = strdup(dir))) {
		free(s);
		fprintf(err, "kmemsim: out of memory\n");
		return SIM_EFAIL;
	}
	rc = snap_read_sysfs(s, dir, err);
	if (!rc)
		rc = snap_read_slabinfo(s, dir, err);
	if (!rc)
		rc = snap_read_zones(s, dir, "buddyinfo", err);
	if (!rc)
		rc = snap_read_zones(s, dir, "zoneinfo", err);
	if (rc) {
		if (rc == SIM_EFAIL)
			fprintf(err, "kmemsim: out of memory\n");
		sim_snapshot_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void sim_snapshot_free(struct sim_snapshot *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nr_caches; i++) {
		for (int a = 0; a < s->cache[i].nr_attrs; a++) {
			free(s->cache[i].attr[a].name);
			free(s->cache[i].attr[a].cpu);
		}
		free(s->cache[i].attr);
		free(s->cache[i].name);
	}
	free(s->cache);
	free(s->zone);
	free(s->dir);
	free(s);
}

const struct sim_snap_cache *sim_snapshot_cache(const struct sim_snapshot *s, const char *name)
{
	for (int i = 0; s && i < s->nr_caches; i++)
		if (!strcmp(s->cache[i].name, name))
			return &s->cache[i];
	return NULL;
}

const struct sim_snap_attr *sim_snapshot_attr(const struct sim_snap_cache *c, const char *name)
{
	for (int i = 0; c && i < c->nr_attrs; i++)
		if (!strcmp(c->attr[i].name, name))
			return &c->attr[i];
	return NULL;
}
