/*
 * test_layout.c - the architecture of docs/architecture.md, checked on the
 * source tree itself: the include arrows between folders run one way (no
 * cycle), the models see nothing of the simulator but its engine, a kernel
 * version's folder of a model (models/slub/6.12/) is included by no file
 * outside it (the model reaches it through its table of version functions),
 * and no hand-written source file outside tests/ passes 800 lines.
 *
 * Reads the tree at $KMEMSIM_SOURCE_ROOT (set by meson for every test).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FOLDERS 64
#define MAX_LINES 800

static const char *const roots[] = { "sim", "models", "traces" };

static char folders[MAX_FOLDERS][64];
static int nr_folders;
static bool edge[MAX_FOLDERS][MAX_FOLDERS];
static char why[MAX_FOLDERS][MAX_FOLDERS][160];	/* one include that makes the edge */
static char too_long[4096];
static char private_use[4096];	/* includes of another sim/ folder's private header */
static char version_use[4096];	/* includes of a model's version folder from outside it */

static const char *source_root(void)
{
	const char *r = getenv("KMEMSIM_SOURCE_ROOT");

	return r ? r : ".";
}

static int folder_id(const char *name)
{
	for (int i = 0; i < nr_folders; i++)
		if (!strcmp(folders[i], name))
			return i;
	cr_assert_lt(nr_folders, MAX_FOLDERS);
	snprintf(folders[nr_folders], sizeof(folders[0]), "%s", name);
	return nr_folders++;
}

/* "a/b/../c/d.h" -> "a/c/d.h", in place. */
static void normalize(char *path)
{
	char *parts[64], out[PATH_MAX] = "";
	int n = 0;

	for (char *tok = strtok(path, "/"); tok; tok = strtok(NULL, "/")) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..") && n > 0 && strcmp(parts[n - 1], ".."))
			n--;
		else if (n < 64)
			parts[n++] = tok;
	}
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, "/");
		strcat(out, parts[i]);
	}
	strcpy(path, out);
}

/* "models/slub/6.12": a kernel version's folder of a model (models/<model>/<major>.<minor>). */
static bool is_version_folder(const char *folder)
{
	const char *p = folder, *last = strrchr(folder, '/');
	int depth = 0;
	unsigned int major, minor;
	char end;

	for (; *p; p++)
		depth += *p == '/';
	return !strncmp(folder, "models/", 7) && depth == 2 && last &&
	       sscanf(last + 1, "%u.%u%c", &major, &minor, &end) == 2;
}

static bool is_source(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static void scan_file(const char *rel_dir, const char *name)
{
	char path[PATH_MAX], line[1024];
	int from = folder_id(rel_dir), lines = 0;
	bool generated = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", source_root(), rel_dir, name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot read %s", path);
	while (fgets(line, sizeof(line), f)) {
		char inc[PATH_MAX], target[PATH_MAX * 2];

		if (++lines <= 3 && strstr(line, "GENERATED"))
			generated = true;
		if (sscanf(line, "#include \"%1023[^\"]\"", inc) != 1 || !strcmp(inc, "config.h"))
			continue;
		snprintf(target, sizeof(target), "%s/%s", rel_dir, inc);
		normalize(target);
		char *slash = strrchr(target, '/');
		if (!slash)
			continue;
		*slash = '\0';
		int to = folder_id(target);
		const char *folder = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
		size_t len = strlen(private_use);

		/* a sim/ folder's public header is the one named for the folder */
		if (to != from && !strncmp(target, "sim/", 4) &&
		    (strncmp(slash + 1, folder, strlen(folder)) || strcmp(slash + 1 + strlen(folder), ".h")))
			if (snprintf(private_use + len, sizeof(private_use) - len, " %s/%s includes \"%s\";",
				     rel_dir, name, inc) < 0)
				private_use[len] = '\0';
		/* a version folder's files are static functions behind the model's table: nobody includes them */
		len = strlen(version_use);
		if (to != from && is_version_folder(target) &&
		    snprintf(version_use + len, sizeof(version_use) - len, " %s/%s includes \"%s\";", rel_dir, name,
			     inc) < 0)
			version_use[len] = '\0';
		if (to != from && !edge[from][to]) {
			edge[from][to] = true;
			if (snprintf(why[from][to], sizeof(why[0][0]), "%s/%s includes \"%s\"", rel_dir, name, inc) < 0)
				why[from][to][0] = '\0';
		}
	}
	fclose(f);
	if (lines > MAX_LINES && !generated) {
		size_t len = strlen(too_long);

		snprintf(too_long + len, sizeof(too_long) - len, " %s/%s (%d)", rel_dir, name, lines);
	}
}

static void scan_dir(const char *rel_dir)
{
	char path[PATH_MAX];
	struct dirent **ents;
	int n;

	snprintf(path, sizeof(path), "%s/%s", source_root(), rel_dir);
	n = scandir(path, &ents, NULL, alphasort);
	cr_assert_geq(n, 0, "cannot list %s", path);
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char sub[PATH_MAX];
		struct stat st;

		if (name[0] == '.' || !strcmp(name, "samples"))
			goto next;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, name) >= (int)sizeof(sub) || stat(sub, &st))
			goto next;
		if (S_ISDIR(st.st_mode)) {
			if (snprintf(sub, sizeof(sub), "%s/%s", rel_dir, name) < (int)sizeof(sub))
				scan_dir(sub);
		} else if (is_source(name)) {
			scan_file(rel_dir, name);
		}
next:
		free(ents[i]);
	}
	free(ents);
}

static void scan_tree(void)
{
	nr_folders = 0;
	memset(edge, 0, sizeof(edge));
	too_long[0] = '\0';
	private_use[0] = '\0';
	version_use[0] = '\0';
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		scan_dir(roots[i]);
}

/* Is `to` reachable from `from` through the include arrows? */
static bool reaches(int from, int to, bool *seen)
{
	if (from == to)
		return true;
	seen[from] = true;
	for (int n = 0; n < nr_folders; n++)
		if (edge[from][n] && !seen[n] && reaches(n, to, seen))
			return true;
	return false;
}

Test(layout, no_include_cycle_between_folders)
{
	scan_tree();
	cr_assert_gt(nr_folders, 8, "found only %d folders under %s", nr_folders, source_root());
	for (int a = 0; a < nr_folders; a++)
		for (int b = 0; b < nr_folders; b++) {
			bool seen[MAX_FOLDERS] = { false };

			if (edge[a][b])
				cr_expect(!reaches(b, a, seen), "include cycle: %s -> %s (%s) and back",
					  folders[a], folders[b], why[a][b]);
		}
}

Test(layout, models_see_only_the_engine_of_the_simulator)
{
	scan_tree();
	for (int a = 0; a < nr_folders; a++) {
		if (strncmp(folders[a], "models", 6))
			continue;
		for (int b = 0; b < nr_folders; b++)
			if (edge[a][b] && !strncmp(folders[b], "sim", 3))
				cr_expect_str_eq(folders[b], "sim/engine", "%s", why[a][b]);
	}
}

Test(layout, other_folders_include_only_a_sim_folders_public_header)
{
	scan_tree();
	cr_expect_str_empty(private_use, "private headers used across folders:%s", private_use);
}

Test(layout, a_version_folder_is_included_from_inside_it_only)
{
	scan_tree();
	cr_expect(is_version_folder("models/slub/6.12") && is_version_folder("models/buddy/6.1") &&
		  !is_version_folder("models/slub") && !is_version_folder("models/slub/6.12/x") &&
		  !is_version_folder("sim/replay/6.1"), "is_version_folder");
	cr_expect_str_empty(version_use, "version folders included from outside:%s", version_use);
}

Test(layout, no_source_file_over_800_lines)
{
	scan_tree();
	cr_expect_str_empty(too_long, "over %d lines:%s", MAX_LINES, too_long);
}

Test(layout, arrows_run_from_the_commands_down_to_the_engine)
{
	scan_tree();
	int cli = folder_id("sim/cli"), engine = folder_id("sim/engine");
	bool seen[MAX_FOLDERS] = { false }, seen2[MAX_FOLDERS] = { false };

	cr_expect(reaches(cli, engine, seen), "sim/cli does not reach sim/engine");
	cr_expect(!reaches(engine, cli, seen2), "sim/engine reaches sim/cli");
}
