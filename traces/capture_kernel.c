/*
 * capture_kernel.c - how the captured kernel was built and tuned: the
 * config symbols the replay follows (kernel.config, plain, xz or gzip), the
 * page block order (pagetypeinfo), the vm sysctls (sysctl_vm.txt) and what
 * the kmalloc event's format tells of the kernel's age (formats/kmalloc.format).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_int.h"
#include "trace_int.h"

/* Config files looked for, in this order (any of them may be xz or gzip: read by magic bytes). */
static const char *const cap_kconfig_names[] = { "kernel.config", "kernel.config.xz", "kernel.config.gz",
						 "config.gz", "config", NULL };

/*
 * A regular file of at most CAP_WHOLE_MAX bytes read whole (malloc'd, *len bytes): a config is
 * ~250 KB plain, and read from memory its lines are taken in place, without the 1 MiB window and
 * 256 KiB read buffer of an fd source.  NULL (the fd back at 0) for anything else or a read
 * error: the caller reads the fd as a stream.
 */
#define CAP_WHOLE_MAX (16u << 20)
static char *cap_read_whole(int fd, size_t *len)
{
	struct stat st;
	size_t n = 0, size;
	ssize_t got = 0;
	char *text;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 0 || (uint64_t)st.st_size > CAP_WHOLE_MAX)
		return NULL;
	size = (size_t)st.st_size;
	if (!(text = malloc(size + 1)))
		return NULL;
	while (n < size && ((got = read(fd, text + n, size - n)) > 0 || (got < 0 && errno == EINTR)))
		n += got > 0 ? (size_t)got : 0;
	if (got < 0) {				/* the stream reports the error */
		free(text);
		(void)lseek(fd, 0, SEEK_SET);
		return NULL;
	}
	*len = n;				/* less than size if the file shrank, as a stream reads it */
	return text;
}

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
	if (len == 19 && !strncmp(name, "PCP_BATCH_SCALE_MAX", len)) {	/* an int, 0..6 (mm/Kconfig) */
		if (not_set)
			return 0;
		if (val[0] < '0' || val[0] > '6' || val[1])
			return cap_bad(err, path, ln, "CONFIG_PCP_BATCH_SCALE_MAX: expected a number from 0 to 6");
		c->pcp_batch_scale_max = val[0] - '0';
		return 0;
	}
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
int cap_read_kconfig(struct sim_capture *c, FILE *err)
{
	struct trace_input *in = NULL;
	char msg[256], line[CAP_LINE], *path = NULL, *text = NULL;
	const char *l;
	size_t text_len = 0;
	size_t len;
	int fd = -1, ln = 0, rc, n;
	struct stat st;

	for (int i = 0; cap_kconfig_names[i] && fd < 0; i++) {
		free(path);
		path = cap_path(c->dir, cap_kconfig_names[i]);
		if (!path || stat(path, &st))
			continue;
		if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) {	/* cap_exists, from the one stat */
			fd = open(path, O_RDONLY);
		} else {					/* a directory or a device */
			fprintf(err, "%s: expected a file, got %s\n", path,
				S_ISDIR(st.st_mode) ? "a directory" : "a special file");
			free(path);
			return SIM_EBADINPUT;
		}
	}
	if (fd < 0) {
		free(path);
		return 0;		/* no config: every symbol stays unknown */
	}
	text = cap_read_whole(fd, &text_len);
	if (text) {
		close(fd);
		rc = trace_input_open_mem(&in, text, text_len, msg, sizeof(msg));
	} else {
		rc = trace_input_open_fd(&in, fd, true, msg, sizeof(msg));
	}
	if (rc) {
		fprintf(err, "%s:1: %s\n", path, msg);
		free(text);
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
	free(text);
	if (rc) {
		free(path);
		return rc;
	}
	c->kconfig_path = path;
	return 0;
}

/* pagetypeinfo: "Page block order: N" (pageblock_order: 9 with HUGETLB_PAGE, else MAX_ORDER - 1). */
int cap_read_pagetypeinfo(struct sim_capture *c, FILE *err)
{
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "pagetypeinfo", true, &path, err);
	int ln = 0, rc = 0;

	if (!f)
		return cap_absent(path);
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
int cap_read_sysctl(struct sim_capture *c, FILE *err)
{
	static const struct { const char *name; size_t off; } keys[] = {
		{ "min_free_kbytes", offsetof(struct sim_capture_sysctl, min_free_kbytes) },
		{ "watermark_scale_factor", offsetof(struct sim_capture_sysctl, watermark_scale_factor) },
		{ "watermark_boost_factor", offsetof(struct sim_capture_sysctl, watermark_boost_factor) },
		{ "percpu_pagelist_high_fraction", offsetof(struct sim_capture_sysctl, percpu_pagelist_high_fraction) },
	};
	char line[CAP_LINE], *path;
	FILE *f = cap_open(c, "sysctl_vm.txt", false, &path, err);
	int ln = 0, rc = 0;

	if (!f)
		return cap_absent(path);
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

#define CAP_FORMAT_MAX (1 << 20)	/* an event format is a few KiB; its print fmt one long line */

/* formats/kmalloc.format: whether the gfp table of its print fmt names __GFP_ATOMIC (gone in 6.4). */
int cap_read_formats(struct sim_capture *c, FILE *err)
{
	char *path, *text;
	FILE *f = cap_open(c, "formats/kmalloc.format", false, &path, err);
	size_t n;
	int rc = 0;

	c->format_gfp_atomic = SIM_UNKNOWN;
	if (!f)
		return cap_absent(path);
	text = malloc(CAP_FORMAT_MAX + 1);	/* once the file is there: most captures have none */
	if (!text) {
		fprintf(err, "%s: out of memory\n", path);
		fclose(f);
		free(path);
		return SIM_EFAIL;
	}
	n = fread(text, 1, CAP_FORMAT_MAX, f);
	text[n] = 0;
	if (ferror(f) || strlen(text) != n)
		rc = cap_bad(err, path, 1, "expected an event format (text), got unreadable bytes");
	else if (!strstr(text, "\nprint fmt:") && strncmp(text, "print fmt:", 10))
		rc = cap_empty(err, path, "an event format (a \"print fmt:\" line)");
	else
		c->format_gfp_atomic = strstr(text, "\"__GFP_ATOMIC\"") ? SIM_YES : SIM_NO;
	fclose(f);
	free(text);
	free(path);
	return rc;
}
