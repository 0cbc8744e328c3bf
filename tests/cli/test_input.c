/*
 * test_input.c - bad input on the input side, end to end: each reproducer of
 * issue 16 (impossible trace values, a timestamp jump, corrupt capture
 * metadata, an impossible machine, an endless scenario, foreign databases)
 * run through the real binary ($KMEMSIM_BIN) with its exit status, its one
 * stderr line, and nothing left at the output path.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../helpers.h"
#include "traces/capture.h"
#include "traces/trace.h"

/* The kernel's line layout, then the event's fields. */
#define HEAD(ts) "            init-1       [000] .....     " ts ": "
#define VMA_ALLOC(node) HEAD("7.308564") "kmem_cache_alloc: call_site=vm_area_dup+0x21/0x90 ptr=ffff88804dc244c0" \
	" bytes_req=152 bytes_alloc=152 gfp_flags=GFP_KERNEL node=" node " accounted=true\n"
#define VMA_FREE(ts) HEAD(ts) "kmem_cache_free: call_site=vm_area_free+0x21/0x90 ptr=ffff88804dc244c0" \
	" name=vm_area_struct\n"
#define PAGE_ALLOC(pfn, order) HEAD("7.308600") "mm_page_alloc: page=000000001a2b3c4d pfn=" pfn " order=" order \
	" migratetype=0 gfp_flags=GFP_KERNEL\n"

static char *dir;
static char *written;			/* write_bytes' last path, freed by the next or by teardown */

static void setup(void)
{
	dir = helper_tmpdir();
}

static void teardown(void)
{
	helper_rmtree(dir);	/* read-only directories too */
	free(written);
	written = NULL;
}

/* dir/name with n bytes of data (NULs allowed); the path, valid until the next call. */
static char *write_bytes(const char *name, const void *data, size_t n)
{
	char *path = NULL;
	FILE *f;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	free(written);
	written = path;
	f = fopen(path, "w");
	cr_assert(f != NULL, "%s", path);
	cr_assert(eq(sz, fwrite(data, 1, n, f), n));
	cr_assert(eq(int, fclose(f), 0));
	return path;
}

static char *write_text(const char *name, const char *text)
{
	return write_bytes(name, text, strlen(text));
}

/* Does dir hold a file whose name starts with `prefix`? */
static bool has_file(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	cr_assert(d != NULL);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			found = true;
	closedir(d);
	return found;
}

/* Run kmemsim with argv (NULL-terminated, argv[0] ignored; "%D" in an argument
 * stands for dir); expect exit status rc and, when want_err is not NULL, exactly
 * the stderr line want_err ("%D" for dir).  No x.db nor x.db.tmp-* may be left. */
static void expect(int rc, const char *want_err, const char *const argv[])
{
	const char *v[16];
	char *args[16] = { NULL }, *err = NULL, *want = NULL;
	int i, got;

	for (i = 0; argv[i]; i++) {
		const char *p = strstr(argv[i], "%D");

		cr_assert(lt(int, i, 15));
		if (p)
			cr_assert(asprintf(&args[i], "%.*s%s%s", (int)(p - argv[i]), argv[i], dir, p + 2) > 0);
		v[i] = args[i] ? args[i] : argv[i];
	}
	v[i] = NULL;
	got = helper_run_kmemsim(dir, v, NULL, &err);
	if (want_err) {
		const char *p = strstr(want_err, "%D");

		if (p)
			cr_assert(asprintf(&want, "%.*s%s%s", (int)(p - want_err), want_err, dir, p + 2) > 0);
		else
			want = strdup(want_err);
		cr_assert(eq(str, err, want));
	}
	cr_assert(eq(int, got, rc), "%s", err);
	if (rc)
		cr_assert(not(has_file("x.db")), "a database was left after exit %d", rc);
	for (i = 0; i < 16; i++)
		free(args[i]);
	free(err);
	free(want);
}

#define EXPECT(rc, want, ...) expect(rc, want, (const char *const[]){ "kmemsim", __VA_ARGS__, NULL })

TestSuite(input, .init = setup, .fini = teardown);

/* ------------------------------------------------------ the trace's values */

Test(input, node_below_minus_one_on_slab_is_bad_input)
{
	write_text("t.txt", VMA_ALLOC("-2"));
	EXPECT(2, "t.txt:1: kmem_cache_alloc: node: expected -1 (NUMA_NO_NODE) or a node number below 1024,"
	       " got \"-2\"\n", "replay", "t.txt", "--allocator", "slab", "--db", "x.db");
	write_text("t.txt", VMA_ALLOC("-226500"));
	EXPECT(2, "t.txt:1: kmem_cache_alloc: node: expected -1 (NUMA_NO_NODE) or a node number below 1024,"
	       " got \"-226500\"\n", "replay", "t.txt", "--allocator", "slab", "--db", "x.db");
	EXPECT(2, NULL, "replay", "t.txt", "--db", "x.db");	/* SLUB too */
	write_text("t.txt", VMA_ALLOC("1024"));
	EXPECT(2, NULL, "replay", "t.txt", "--db", "x.db");
	write_text("t.txt", VMA_ALLOC("-1") VMA_FREE("7.308575"));
	EXPECT(0, NULL, "replay", "t.txt", "--allocator", "slab", "--db", "x.db", "--quiet");
}

/* 7e6 s between two events took over 30 s of polling; now the keeper sleeps across. */
Test(input, timestamp_jump_replays_at_once, .timeout = 10)
{
	write_text("t.txt", VMA_ALLOC("-1") VMA_FREE("7000000.308575"));
	char path[300];

	EXPECT(0, NULL, "replay", "t.txt", "--db", "x.db", "--quiet");
	snprintf(path, sizeof(path), "%s/x.db", dir);
	cr_assert(ge(i64, helper_db_int(path, "SELECT sim_ns FROM summary"), 6999990LL * 1000000000));	/* from the first event */
}

Test(input, cpu_beyond_nr_cpus_is_bad_input)
{
	write_text("t.txt", "            init-1       [8192] .....     7.308564: kfree: call_site=foo+0x1/0x2"
		   " ptr=ffff88804dc244c0\n");
	EXPECT(2, "t.txt:1: line: cpu: expected a CPU number below 8192 (NR_CPUS of the largest x86_64 kernel),"
	       " got \"[8192]\"\n", "replay", "t.txt", "--db", "x.db");
	write_text("t.txt", "            init-1       [2147483647] .....     7.308564: kfree: call_site=foo+0x1/0x2"
		   " ptr=ffff88804dc244c0\n");
	EXPECT(2, "t.txt:1: line: cpu: expected a CPU number below 8192 (NR_CPUS of the largest x86_64 kernel),"
	       " got \"[2147483647]\"\n", "replay", "t.txt", "--db", "x.db");
}

Test(input, page_order_outside_max_order_is_bad_input)
{
	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0x1000", "11"));
	EXPECT(2, "t.txt:2: mm_page_alloc: order: expected 0 to 10 (MAX_ORDER - 1), got 11\n",
	       "replay", "t.txt", "--db", "x.db");
	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0x1000", "-1"));
	EXPECT(2, "t.txt:2: mm_page_alloc: order: expected 0 to 10 (MAX_ORDER - 1), got -1\n",
	       "replay", "t.txt", "--db", "x.db");
	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0x1000", "63"));
	EXPECT(2, "t.txt:2: mm_page_alloc: order: expected 0 to 10 (MAX_ORDER - 1), got 63\n",
	       "replay", "t.txt", "--db", "x.db");
}

/* Lenient mode skips such lines and counts them, and replays the rest. */
Test(input, lenient_skips_and_counts_impossible_values)
{
	char *out = NULL;
	const char *v[] = { "kmemsim", "replay", "t.txt", "--lenient", "--db", "x.db", NULL };

	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0x1000", "63") VMA_ALLOC("-2")
		   PAGE_ALLOC("0x10000000000", "0") VMA_FREE("7.308575"));
	cr_assert(eq(int, helper_run_kmemsim(dir, v, &out, NULL), 0));
	cr_assert(not(eq(ptr, strstr(out, "3 malformed lines skipped"), NULL)), "%s", out);
	free(out);
}

Test(input, pfn_beyond_the_machine_is_blamed_on_its_line)
{
	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0x10000000000000", "0"));
	EXPECT(2, "t.txt:2: mm_page_alloc: pfn: expected a page frame number below 2^40 (52 physical address bits),"
	       " got 0x10000000000000\n", "replay", "t.txt", "--db", "x.db");
	/* below 2^40 but above the 4 TiB kmemsim simulates: the trace line, not machine.nodes */
	write_text("t.txt", VMA_ALLOC("-1") PAGE_ALLOC("0xffffffffff", "0"));
	EXPECT(2, "t.txt:2: pfn: 0xffffffffff lies above the 4096 GiB kmemsim simulates at most;"
	       " give --scenario with a machine\n", "replay", "t.txt", "--db", "x.db");
}

Test(input, nul_byte_anywhere_is_bad_input)
{
	char buf[8000];
	size_t n = 0;

	for (int i = 0; i < 80; i++)		/* past the first 4 KiB, where the binary check looks */
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "# padding line to pass the 4 KiB NUL check %020d\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", VMA_ALLOC("-1"));
	buf[n - 20] = '\0';
	write_bytes("t.txt", buf, n);
	EXPECT(2, "t.txt:81: line: NUL byte at column 177: expected text\n", "replay", "t.txt", "--db", "x.db");
}

Test(input, call_site_must_be_a_symbol_or_an_address)
{
	static const char *const bad[] = { "hello", "foo+bar", "foo+0x1/zz", "+0x1/0x2", "9foo+0x1/0x2", "foo+0x1/0x2x" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[512], want[300];

		snprintf(line, sizeof(line), HEAD("7.3") "kfree: call_site=%s ptr=ffff88804dc244c0\n", bad[i]);
		write_text("t.txt", line);
		snprintf(want, sizeof(want), "t.txt:1: kfree: call_site: expected a symbol like func+0x12/0x40 or an"
			 " address, got \"%s\"\n", bad[i]);
		EXPECT(2, want, "replay", "t.txt", "--db", "x.db");
	}
	/* what %pS and trace-cmd print */
	write_text("t.txt", HEAD("7.3") "kfree: call_site=foo.constprop.0+0x1f/0x40 [ext4] ptr=ffff88804dc244c0\n"
		   HEAD("7.4") "kfree: call_site=0xffffffff81234567 ptr=ffff88804dc244c0\n"
		   HEAD("7.5") "kfree: call_site=bar+0x1f ptr=ffff88804dc244c0\n");
	EXPECT(0, NULL, "replay", "t.txt", "--db", "x.db", "--quiet");
}

Test(input, cache_object_over_four_mib_is_bad_input)
{
	write_text("t.txt", HEAD("7.308501") "kmem_cache_alloc: call_site=foo+0x1/0x2 ptr=ffff888000001000"
		   " bytes_req=5000000 bytes_alloc=5000000 gfp_flags=GFP_KERNEL node=-1 accounted=false\n");
	EXPECT(2, "t.txt:1: kmem_cache_alloc: bytes_alloc: expected a cache's object size, at most 4194304"
	       " (an order-10 slab), got \"5000000\"\n", "replay", "t.txt", "--db", "x.db");
}

/* An object larger than the size handed out (found by fuzz_trace_replay: the replay then made
 * a cache of 5 MB objects in 4 KiB slots and failed with exit 1). */
Test(input, bytes_req_above_bytes_alloc_is_bad_input)
{
	write_text("t.txt", HEAD("7.349078") "kmem_cache_alloc: call_site=getname_flags+0x2b/0x1c0"
		   " ptr=ffff888010c70000 bytes_req=5096096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1"
		   " accounted=false\n");
	EXPECT(2, "t.txt:1: kmem_cache_alloc: bytes_req: expected at most bytes_alloc, got \"5096096\"\n",
	       "replay", "t.txt", "--db", "x.db");
	write_text("t.txt", HEAD("7.349078") "kmalloc: call_site=foo+0x1/0x2 ptr=ffff888010c70000"
		   " bytes_req=72 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n");
	EXPECT(2, "t.txt:1: kmalloc: bytes_req: expected at most bytes_alloc, got \"72\"\n", "replay", "t.txt",
	       "--db", "x.db");
	/* lenient: the line is skipped, the replay goes on */
	EXPECT(0, NULL, "replay", "t.txt", "--db", "x.db", "--lenient", "--quiet");
}

/* ------------------------------------------------------ capture metadata */

/* A capture directory c/ with one good trace and `name` holding n bytes. */
static void capture_with(const char *name, const void *data, size_t n)
{
	char p[300];

	snprintf(p, sizeof(p), "%s/c", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/c/SNAP0", dir);
	mkdir(p, 0755);
	write_text("c/trace.txt", VMA_ALLOC("-1") VMA_FREE("7.308575"));
	write_bytes(name, data, n);
}

static void expect_capture(const char *name, const char *text, size_t n, const char *want)
{
	char *c = NULL;

	capture_with(name, text, n);
	EXPECT(2, want, "replay", "c", "--db", "x.db");
	cr_assert(asprintf(&c, "%s/c", dir) > 0);
	helper_rmtree(c);
}

#define CAP(name, text, want) expect_capture(name, text, sizeof(text) - 1, want)

Test(input, corrupt_topology_is_bad_input)
{
	static const char nul[64] = { 0 };

	CAP("c/numa_topology.txt", "node0 cpus=0\n\x89PNG\x1a\n garbage", "c/numa_topology.txt:2: expected text, got byte 0x1a at column 5\n");
	CAP("c/numa_topology.txt", "hello world\n", "c/numa_topology.txt:1: expected \"nodeN cpus=LIST\" or a node's meminfo line\n");
	CAP("c/numa_topology.txt", "", "c/numa_topology.txt:1: expected \"nodeN cpus=LIST\" lines, got none\n");
	expect_capture("c/numa_topology.txt", nul, sizeof(nul), "c/numa_topology.txt:1: expected text, got byte 0x00 at column 1\n");
	CAP("c/numa_topology.txt", "node-1 cpus=0-1\n", "c/numa_topology.txt:1: expected \"nodeN cpus=LIST\" or a node's meminfo line\n");
	CAP("c/numa_topology.txt", "node0 cpus=-1\n", "c/numa_topology.txt:1: cpus: expected a CPU list like \"0-3,8\"\n");
	CAP("c/numa_topology.txt", "node0 cpus=0-2\nnode1 cpus=1-3\n", "c/numa_topology.txt:2: cpus: CPU 1 is already on node 0\n");
	/* a node zoneinfo gives no memory is blamed on the topology line that names it */
	capture_with("c/SNAP0/zoneinfo", "Node 0, zone DMA32\n  spanned 262144\n  present 262144\n"
		     "  managed 262144\n  start_pfn: 4096\n", 88);
	write_text("c/numa_topology.txt", "node0 cpus=0-1\nNode 0 MemTotal: 985212 kB\nnode1 cpus=2-3\n");
	EXPECT(2, "c/numa_topology.txt:3: node1: the node has no memory in the capture's zoneinfo;"
	       " give --scenario with a machine\n", "replay", "c", "--db", "x.db");
}

Test(input, corrupt_zoneinfo_is_bad_input)
{
	CAP("c/SNAP0/zoneinfo", "garbage\n", "c/SNAP0/zoneinfo:1: expected \"Node N, zone NAME\" first\n");
	CAP("c/SNAP0/zoneinfo", "", "c/SNAP0/zoneinfo:1: expected \"Node N, zone NAME\" blocks, got none\n");
	CAP("c/SNAP0/zoneinfo", "\0\0\0\0", "c/SNAP0/zoneinfo:1: expected text, got byte 0x00 at column 1\n");
	CAP("c/SNAP0/zoneinfo", "Node -1, zone DMA\n", "c/SNAP0/zoneinfo:1: Node: expected a node number below 64\n");
	CAP("c/SNAP0/zoneinfo", "Node 0, zone DMA\n  spanned -5\n", "c/SNAP0/zoneinfo:2: expected a number of pages\n");
	CAP("c/SNAP0/zoneinfo", "Node zero\n", "c/SNAP0/zoneinfo:1: expected \"Node N, zone NAME\"\n");
}

Test(input, corrupt_slab_files_are_bad_input)
{
	CAP("c/SNAP0/sys_kernel_slab.txt", "garbage\n", "c/SNAP0/sys_kernel_slab.txt:1: expected \"CACHE ATTRIBUTE VALUE\"\n");
	CAP("c/SNAP0/sys_kernel_slab.txt", "", "c/SNAP0/sys_kernel_slab.txt:1: expected \"CACHE ATTRIBUTE VALUE\" lines, got none\n");
	CAP("c/SNAP0/sys_kernel_slab.txt", "dentry object_size 192\n\0", "c/SNAP0/sys_kernel_slab.txt:2: expected text, got byte 0x00 at column 1\n");
	CAP("c/SNAP0/sys_kernel_slab.txt", "dentry object_size -192\n", "c/SNAP0/sys_kernel_slab.txt:1: object_size: expected a number from 0 to 4194304\n");
	CAP("c/SNAP0/sys_kernel_slab.txt", "dentry order 0\ndentry slab_size 5000000\n",
	    "c/SNAP0/sys_kernel_slab.txt:2: slab_size: expected a number from 0 to 4194304\n");
	CAP("c/SNAP0/slabinfo", "garbage\n", "c/SNAP0/slabinfo:1: expected \"slabinfo - version: 2.1\" first\n");
	CAP("c/SNAP0/slabinfo", "", "c/SNAP0/slabinfo:1: expected \"slabinfo - version: 2.1\", got none\n");
	CAP("c/SNAP0/slabinfo", "slabinfo - version: 2.1\ndentry 1 2 192 21 1 : tunables 0 0 0 : slabdata -1 1 0\n",
	    "c/SNAP0/slabinfo:2: expected \"NAME N N N N N : tunables N N N : slabdata N N N\"\n");
	CAP("c/SNAP0/slabinfo", "slabinfo - version: 2.1\ngarbage\n",
	    "c/SNAP0/slabinfo:2: expected \"NAME N N N N N : tunables N N N : slabdata N N N\"\n");
	CAP("c/sys_kernel_slab_ls-l.txt", "garbage\n",
	    "c/sys_kernel_slab_ls-l.txt:1: expected a line of `ls -l` (\"lrwxrwxrwx ... NAME -> TARGET\")\n");
	CAP("c/sys_kernel_slab_ls-l.txt", "", "c/sys_kernel_slab_ls-l.txt:1: expected the lines of `ls -l /sys/kernel/slab`, got none\n");
	CAP("c/sys_kernel_slab_ls-l.txt", "lrwxrwxrwx 1 0 0 0 Nov 22 02:34 dentry\n",
	    "c/sys_kernel_slab_ls-l.txt:1: expected \"NAME -> TARGET\" on a symlink's line\n");
}

Test(input, directory_in_place_of_a_file_is_bad_input)
{
	static const char *const names[] = { "numa_topology.txt", "SNAP0/zoneinfo", "SNAP0/sys_kernel_slab.txt",
					     "SNAP0/slabinfo", "sys_kernel_slab_ls-l.txt", "uname", "kernel.config" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[300], want[300];

		capture_with("c/x", "", 0);
		snprintf(p, sizeof(p), "%s/c/%s", dir, names[i]);
		cr_assert(eq(int, mkdir(p, 0755), 0), "%s", p);
		snprintf(want, sizeof(want), "c/%s: expected a file, got a directory\n", names[i]);
		EXPECT(2, want, "replay", "c", "--db", "x.db");
		snprintf(p, sizeof(p), "%s/c", dir);
		helper_rmtree(strdup(p));
	}
}

/* The shipped sample's capture still reads, through the same checks. */
Test(input, shipped_sample_capture_reads)
{
	char *root = getenv("KMEMSIM_SOURCE_ROOT"), path[400];
	struct sim_capture *c = NULL;

	snprintf(path, sizeof(path), "%s/traces/samples/debian-6.1.192-4cpu-2node", root ? root : ".");
	cr_assert(eq(int, sim_capture_open(&c, path, stderr), 0));
	cr_assert(eq(int, c->nr_nodes, 2));
	cr_assert(eq(int, c->nr_cpus, 4));
	cr_assert(lt(int, 100, c->nr_caches));
	cr_assert(lt(int, 10, c->nr_links));
	cr_assert(eq(int, c->node_line[1] > c->node_line[0], 1));
	sim_capture_free(c);
}

/* ------------------------------------------------------ scenarios */

Test(input, movable_only_machine_is_bad_input)
{
	write_text("m.json", "{\"name\": \"movable-only\", \"machine\": {\"nodes\": [{\"cpus\": 1, \"zones\": {\"movable\": 16}}]}}\n");
	EXPECT(2, "m.json:1: machine.nodes: every zone is Movable: the kernel needs a DMA, DMA32 or Normal zone"
	       " for its own allocations\n", "run", "m.json", "--db", "x.db");
	EXPECT(2, NULL, "run", "m.json", "--allocator", "buddy", "--db", "x.db");
}

Test(input, endless_scenario_is_refused, .timeout = 10)
{
	EXPECT(2, "/dev/zero: expected a scenario of at most 16 MiB, got more\n", "run", "/dev/zero", "--db", "x.db");
}

/* ------------------------------------------------------ databases */

/* A real replay database at dir/good.db. */
static void good_db(void)
{
	write_text("t.txt", VMA_ALLOC("-1") VMA_FREE("7.308575"));
	EXPECT(0, NULL, "replay", "t.txt", "--db", "good.db", "--quiet");
}

static void every_reader(const char *db, const char *want)
{
	EXPECT(2, want, "buddyinfo", db);
	EXPECT(2, want, "zoneinfo", db);
	EXPECT(2, want, "slabinfo", db);
	EXPECT(2, want, "slabstat", db, "dentry");
	EXPECT(2, want, "slabinfo", db, "--from", "line:1");
	EXPECT(2, want, "merge", "out.db", db);
	EXPECT(2, want, "timeline", db, "-o", "x.db.pb");
}

Test(input, database_of_another_schema_version_is_refused)
{
	char *path = NULL;
	sqlite3 *db;

	good_db();
	cr_assert(asprintf(&path, "%s/good.db", dir) > 0);
	cr_assert(eq(int, sqlite3_open(path, &db), SQLITE_OK));
	cr_assert(eq(int, sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL), SQLITE_OK));
	sqlite3_close(db);
	every_reader("good.db", "good.db: schema version 99, this kmemsim reads 3\n");
	free(path);
}

Test(input, foreign_or_truncated_database_is_refused)
{
	char *path = NULL;

	write_text("text.db", "not a database at all\n");
	every_reader("text.db", "text.db: not a kmemsim database\n");
	good_db();
	cr_assert(asprintf(&path, "%s/good.db", dir) > 0);
	cr_assert(eq(int, truncate(path, 2048), 0));
	every_reader("good.db", "good.db: not a kmemsim database\n");
	free(path);
	cr_assert(asprintf(&path, "%s/fifo.db", dir) > 0);
	cr_assert(eq(int, mkfifo(path, 0600), 0));
	every_reader("fifo.db", "fifo.db: not a kmemsim database (not a regular file)\n");
	free(path);
}

/* The bytes of dir/name (n of them), malloc'd. */
static char *read_bytes(const char *name, size_t *n)
{
	char *path = NULL, *buf;
	struct stat sb;
	FILE *f;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	cr_assert(eq(int, stat(path, &sb), 0));
	buf = malloc((size_t)sb.st_size + 1);
	f = fopen(path, "rb");
	cr_assert(buf && f);
	*n = fread(buf, 1, (size_t)sb.st_size + 1, f);
	cr_assert(eq(sz, *n, (size_t)sb.st_size));
	fclose(f);
	free(path);
	return buf;
}

/* Readers open the file read-only: they never change it nor leave a -journal, -wal or
 * -shm file beside it; a file in WAL mode (which a read-only connection would leave its
 * -wal and -shm files beside) is refused before SQLite opens it. */
Test(input, readers_leave_the_database_as_it_is)
{
	const char *const sql[] = { "PRAGMA journal_mode = WAL", "PRAGMA journal_mode = DELETE" };
	char *path = NULL, *before, *after;
	size_t n_before, n_after;
	sqlite3 *db;

	good_db();
	cr_assert(asprintf(&path, "%s/good.db", dir) > 0);
	for (int i = 0; i < 2; i++) {
		cr_assert(eq(int, sqlite3_open(path, &db), SQLITE_OK));
		cr_assert(eq(int, sqlite3_exec(db, sql[i], NULL, NULL, NULL), SQLITE_OK));
		cr_assert(eq(int, sqlite3_close(db), SQLITE_OK));
		cr_assert(not(has_file("good.db-")));
		before = read_bytes("good.db", &n_before);
		if (i == 0) {
			every_reader("good.db", "good.db: not a kmemsim database (in WAL mode, which kmemsim never"
				     " writes; `PRAGMA journal_mode = DELETE` makes it readable)\n");
		} else {
			EXPECT(0, NULL, "buddyinfo", "good.db");
			EXPECT(0, NULL, "zoneinfo", "good.db");
			EXPECT(0, NULL, "slabinfo", "good.db", "--from", "line:1");
			EXPECT(0, NULL, "slabstat", "good.db", "kmalloc-64");
		}
		after = read_bytes("good.db", &n_after);
		cr_assert(eq(sz, n_after, n_before));
		cr_assert(eq(int, memcmp(after, before, n_before), 0), "a reader changed good.db");
		cr_assert(not(has_file("good.db-")), "a reader left a file beside good.db");
		free(before);
		free(after);
	}
	free(path);
}

/* ------------------------------------------------------ the bounds, at their edges */

/* Parse one line in strict mode: 1 (an event), or the reader's error line in *msg. */
static int parse_one(const char *line, char *msg, size_t msgsz)
{
	char *sink = NULL;
	size_t sink_len = 0;
	struct sim_trace_opts o = { .err = open_memstream(&sink, &sink_len), .name = "t" };
	struct sim_trace_event ev;
	struct sim_trace *r;
	int rc;

	cr_assert(o.err != NULL);
	cr_assert(eq(int, sim_trace_open_mem(&r, "t", line, strlen(line), &o), 0));
	rc = sim_trace_next(r, &ev);
	snprintf(msg, msgsz, "%s", sim_trace_errmsg(r));
	sim_trace_close(r);
	fclose(o.err);
	free(sink);
	return rc;
}

/* Each bound's last good value reads; one past it is refused (the kernel's numbers: NR_CPUS
 * 8192, MAX_NUMNODES 1024, MAX_ORDER 11, 52 physical address bits, an order-10 slab). */
Test(input, bounds_at_their_edges)
{
	static const struct { const char *good, *bad, *msg; } cases[] = {
		{ "[8191]", "[8192]", "line: cpu:" },
		{ "node=1023", "node=1024", "kmem_cache_alloc: node:" },
		{ "node=-1", "node=-2", "kmem_cache_alloc: node:" },
		{ "order=10", "order=11", "mm_page_alloc: order:" },
		{ "order=0", "order=-1", "mm_page_alloc: order:" },
		{ "pfn=0xffffffffff", "pfn=0x10000000000", "mm_page_alloc: pfn:" },
		{ "bytes_alloc=4194304", "bytes_alloc=4194305", "kmem_cache_alloc: bytes_alloc:" },
	};
	static const char alloc[] = "            init-1       [000] .....     7.308564: kmem_cache_alloc:"
		" call_site=vm_area_dup+0x21/0x90 ptr=ffff88804dc244c0 bytes_req=152 bytes_alloc=152"
		" gfp_flags=GFP_KERNEL node=-1 accounted=true\n";
	static const char page[] = "            init-1       [000] .....     7.308600: mm_page_alloc:"
		" page=000000001a2b3c4d pfn=0x1000 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n";

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *base = strstr(cases[i].msg, "mm_page") ? page : alloc;
		const char *eq_ = strchr(cases[i].good, '='), *at = strstr(base, "[000]");
		char line[512], msg[512], key[64];

		if (eq_) {		/* the field " name=" of the line */
			snprintf(key, sizeof(key), " %.*s", (int)(eq_ - cases[i].good + 1), cases[i].good);
			at = strstr(base, key) + 1;
		}
		for (int bad = 0; bad < 2; bad++) {
			const char *v = bad ? cases[i].bad : cases[i].good;

			snprintf(line, sizeof(line), "%.*s%s%s", (int)(at - base), base, v, at + strcspn(at, " \n"));
			if (bad) {
				cr_assert(eq(int, parse_one(line, msg, sizeof(msg)), -2), "%s", line);
				cr_assert(not(eq(ptr, strstr(msg, cases[i].msg), NULL)), "%s", msg);
			} else {
				cr_assert(eq(int, parse_one(line, msg, sizeof(msg)), 1), "%s: %s", line, msg);
			}
		}
	}
}
