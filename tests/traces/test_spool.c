/*
 * test_spool.c - a compressed trace's text spooled by its reader
 * (sim_trace_opts.spool): read in place afterwards it gives the same events on
 * the same lines; past spool_max, or for plain text, nothing is claimed spooled.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trace.h"

static char *sample_path(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/traces/samples/debian-6.1.192-4cpu-2node/trace.txt.xz", root ? root : ".");
	return path;
}

/* Events and a checksum of (line, type, ptr, pfn) of every event. */
static uint64_t digest(struct sim_trace *tr, uint64_t *nr)
{
	struct sim_trace_event ev;
	uint64_t h = 1469598103934665603ULL;
	int rc;

	*nr = 0;
	while ((rc = sim_trace_next(tr, &ev)) > 0) {
		h = (h ^ (uint64_t)ev.line) * 1099511628211ULL;
		h = (h ^ (uint64_t)ev.type) * 1099511628211ULL;
		h = (h ^ ev.ptr ^ ev.pfn) * 1099511628211ULL;
		(*nr)++;
	}
	cr_assert(eq(int, rc, 0));
	return h;
}

Test(spool, the_spooled_text_reads_as_the_compressed_trace)
{
	struct sim_trace_opts opts = { .marks = true };
	struct sim_trace *tr;
	uint64_t n1, n2, h1, h2;
	FILE *sp = tmpfile();
	char *text;
	long len;

	cr_assert(sp != NULL);
	opts.spool = sp;
	cr_assert(eq(int, sim_trace_open(&tr, sample_path(), &opts), 0));
	h1 = digest(tr, &n1);
	cr_assert(sim_trace_spooled(tr));
	cr_assert(eq(str, (char *)sim_trace_stats(tr)->compression, "xz"));
	sim_trace_close(tr);
	cr_assert(n1 > 1000);

	len = ftell(sp);
	cr_assert(len > 0);
	text = malloc((size_t)len);
	rewind(sp);
	cr_assert(eq(sz, fread(text, 1, (size_t)len, sp), (size_t)len));
	fclose(sp);
	opts = (struct sim_trace_opts){ .marks = true, .compression = "xz" };
	cr_assert(eq(int, sim_trace_open_mem(&tr, "spool", text, (size_t)len, &opts), 0));
	h2 = digest(tr, &n2);
	cr_assert(eq(str, (char *)sim_trace_stats(tr)->compression, "xz"));
	sim_trace_close(tr);
	free(text);
	cr_assert(eq(u64, n1, n2));
	cr_assert(eq(u64, h1, h2));
}

Test(spool, past_its_limit_the_spool_is_dropped)
{
	struct sim_trace_opts opts = { .marks = true, .spool_max = 4096 };
	struct sim_trace *tr;
	uint64_t n;
	FILE *sp = tmpfile();

	cr_assert(sp != NULL);
	opts.spool = sp;
	cr_assert(eq(int, sim_trace_open(&tr, sample_path(), &opts), 0));
	digest(tr, &n);
	cr_assert(not(sim_trace_spooled(tr)));
	sim_trace_close(tr);
	fclose(sp);
}
