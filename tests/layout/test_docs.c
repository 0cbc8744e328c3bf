/*
 * test_docs.c - every path the documentation names exists in the source tree.
 *
 * Strategy: read README.md and every docs/ page, take each `code span` that starts
 * with a folder of the project (docs/, sim/, models/, tests/, tools/,
 * traces/, scenarios/) or is a top-level *.md file, and each relative
 * markdown link [text](path), and check that the path exists.  Spans with a
 * placeholder (<folder>, *, {, |, $) are patterns, not paths, and are left
 * out; a `:line` or `:name` suffix is dropped.  A moved or renamed file then
 * fails here instead of leaving a reader with a dead reference.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const doc_roots[] = { "docs/", "sim/", "models/", "tests/", "tools/", "traces/", "scenarios/" };

static const char *root(void)
{
	const char *r = getenv("KMEMSIM_SOURCE_ROOT");

	return r && *r ? r : ".";
}

static bool exists(const char *rel)
{
	char path[4096];
	struct stat st;

	int n = snprintf(path, sizeof(path), "%s/%s", root(), rel);

	return n >= 0 && (size_t)n < sizeof(path) && !stat(path, &st);
}

/* A code span that names a path of the project: the path, cut at ':' and trailing punctuation. */
static bool span_path(const char *span, size_t len, char *out, size_t size)
{
	bool is_path = false;

	if (len == 0 || len >= size || strcspn(span, "<>*{}[]|$ ") < len)
		return false;
	memcpy(out, span, len);
	out[len] = 0;
	out[strcspn(out, ":")] = 0;
	for (size_t n = strlen(out); n && strchr(".,;)", out[n - 1]); n--)
		out[n - 1] = 0;
	for (size_t i = 0; i < sizeof(doc_roots) / sizeof(doc_roots[0]); i++)
		is_path |= !strncmp(out, doc_roots[i], strlen(doc_roots[i]));
	if (!strchr(out, '/') && strlen(out) > 3 && !strcmp(out + strlen(out) - 3, ".md") && out[0] >= 'A' &&
	    out[0] <= 'Z')
		is_path = true;
	return is_path;
}

/* The dead references of one file (relative to the root), appended to `bad`. */
static void check_file(const char *rel, char *bad, size_t size)
{
	char path[4096], line[4096], dir[4096], ref[4096];
	int nr = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root(), rel);
	snprintf(dir, sizeof(dir), "%s", rel);
	*(strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir) = 0;
	f = fopen(path, "r");
	cr_assert(not(eq(ptr, f, NULL)), "%s", path);
	while (fgets(line, sizeof(line), f)) {
		nr++;
		for (char *p = line; (p = strchr(p, '`'));) {
			char *q = strchr(p + 1, '`');

			if (!q)
				break;
			if (span_path(p + 1, (size_t)(q - p - 1), ref, sizeof(ref)) && !exists(ref))
				snprintf(bad + strlen(bad), size - strlen(bad), "%s:%d: `%s`\n", rel, nr, ref);
			p = q + 1;
		}
		for (char *p = line; (p = strstr(p, "](")); p += 2) {
			size_t n = strcspn(p + 2, ")#");
			char link[8200];

			if (!n || !strncmp(p + 2, "http", 4) || n >= sizeof(link) - strlen(dir))
				continue;
			snprintf(link, sizeof(link), "%s%.*s", dir, (int)n, p + 2);
			if (!exists(link))
				snprintf(bad + strlen(bad), size - strlen(bad), "%s:%d: link %s\n", rel, nr, link);
		}
	}
	fclose(f);
}

Test(docs, every_path_the_docs_name_exists)
{
	static char bad[16384];
	char path[4096];
	struct dirent *e;
	DIR *d;
	int nr_files = 0;

	bad[0] = 0;
	check_file("README.md", bad, sizeof(bad));
	snprintf(path, sizeof(path), "%s/docs", root());
	d = opendir(path);
	cr_assert(not(eq(ptr, d, NULL)), "%s", path);
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char rel[300];

		if (n < 4 || strcmp(e->d_name + n - 3, ".md"))
			continue;
		snprintf(rel, sizeof(rel), "docs/%s", e->d_name);
		check_file(rel, bad, sizeof(bad));
		nr_files++;
	}
	closedir(d);
	cr_assert(ge(int, nr_files, 7));	/* the docs were found at all */
	cr_assert(eq(str, bad, ""), "dead references:\n%s", bad);
}

Test(docs, the_check_sees_a_dead_reference)
{
	char ref[256];

	cr_assert(span_path("DESIGN.md", 9, ref, sizeof(ref)));
	cr_assert(not(exists(ref)));
	cr_assert(span_path("sim/db/db.c:12", 14, ref, sizeof(ref)));
	cr_assert(eq(str, ref, "sim/db/db.c"));
	cr_assert(exists(ref));
	cr_assert(not(span_path("tests/<folder>/test_*.c", 23, ref, sizeof(ref))));
	cr_assert(not(span_path("kmem_cache_alloc", 16, ref, sizeof(ref))));
}

/* tools/capture-trace --help prints its whole comment block: it ends with a whole sentence. */
Test(docs, capture_trace_help_is_whole)
{
	char cmd[4200], line[512], last[512] = "";
	bool notes = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "bash '%s/tools/capture-trace' --help", root());
	p = popen(cmd, "r");
	cr_assert(not(eq(ptr, p, NULL)));
	while (fgets(line, sizeof(line), p)) {
		notes |= !strncmp(line, "Notes:", 6);
		if (line[0] != '\n')
			snprintf(last, sizeof(last), "%s", line);
	}
	cr_assert(eq(int, pclose(p), 0));
	cr_assert(notes, "no Notes: section");
	cr_assert(ge(sz, strlen(last), 2));
	cr_assert(eq(str, last + strlen(last) - 2, ".\n"), "ends mid-sentence: %s", last);
}
