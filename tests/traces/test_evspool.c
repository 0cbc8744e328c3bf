/*
 * test_evspool.c - the compact copy of a reader's events (traces/evspool.h):
 * read back, every event equals what a second parse of the trace returns,
 * field for field, in order and to the end; past its limit it is lost.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/evspool.h"
#include "traces/trace.h"

static char *sample_path(void)
{
	const char *root = getenv("KMEMSIM_SOURCE_ROOT");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/traces/samples/debian-6.1.192-4cpu-2node/trace.txt.xz", root ? root : ".");
	return path;
}

static bool str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Everything but the strings (pointers into each reader's own copies), then the strings. */
static void assert_same(const struct sim_trace_event *a, const struct sim_trace_event *b)
{
	struct sim_trace_event x = *a, y = *b;

	cr_assert(str_eq(a->call_sym, b->call_sym), "line %lld: call_sym", (long long)b->line);
	cr_assert(str_eq(a->cache, b->cache), "line %lld: cache", (long long)b->line);
	cr_assert(str_eq(a->mark, b->mark), "line %lld: mark", (long long)b->line);
	x.call_sym = y.call_sym = NULL;
	x.cache = y.cache = NULL;
	x.mark = y.mark = NULL;
	cr_assert(eq(i64, x.line, y.line));
	cr_assert(eq(u64, x.ts_ns, y.ts_ns));
	cr_assert(eq(u64, x.ptr, y.ptr));
	cr_assert(eq(u64, x.pfn, y.pfn));
	cr_assert(eq(u32, x.gfp, y.gfp));
	cr_assert(eq(str, x.comm, y.comm));
	cr_assert(x.type == y.type && x.cpu == y.cpu && x.pid == y.pid && x.present == y.present &&
		  x.bytes_req == y.bytes_req && x.bytes_alloc == y.bytes_alloc && x.node == y.node &&
		  x.order == y.order && x.migratetype == y.migratetype && x.percpu_refill == y.percpu_refill &&
		  x.call_site == y.call_site && x.page == y.page && x.context == y.context &&
		  x.irqs_off == y.irqs_off && x.preempt_depth == y.preempt_depth && x.accounted == y.accounted,
		  "line %lld differs", (long long)y.line);
}

Test(evspool, the_copy_reads_back_as_a_second_parse)
{
	struct sim_trace_opts opts = { .marks = true };
	struct sim_trace *r1, *r2;
	struct sim_trace_event ev, back;
	struct sim_trace_evspool *sp;
	uint64_t n = 0, marks = 0;
	int rc;

	cr_assert(eq(int, sim_trace_evspool_new(&sp), 0));
	cr_assert(eq(int, sim_trace_open(&r1, sample_path(), &opts), 0));
	while ((rc = sim_trace_next(r1, &ev)) > 0)
		cr_assert(eq(int, sim_trace_evspool_put(sp, &ev), 0));
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(int, sim_trace_evspool_end(sp), 0));
	cr_assert(eq(u64, sim_trace_evspool_count(sp), sim_trace_stats(r1)->nr_events + sim_trace_stats(r1)->nr_marks));
	/* compact: well under the struct's size an event */
	cr_assert(lt(u64, sim_trace_evspool_bytes(sp), sim_trace_evspool_count(sp) * sizeof(ev) / 2));

	cr_assert(eq(int, sim_trace_open(&r2, sample_path(), &opts), 0));
	while ((rc = sim_trace_next(r2, &ev)) > 0) {
		cr_assert(eq(int, sim_trace_evspool_next(sp, &back), 1), "event %llu", (unsigned long long)n);
		assert_same(&back, &ev);
		marks += ev.type == SIM_TRACE_MARK;
		n++;
	}
	cr_assert(eq(int, rc, 0));
	cr_assert(eq(int, sim_trace_evspool_next(sp, &back), 0));	/* and nothing more */
	cr_assert(lt(u64, 1000, n));
	cr_assert(lt(u64, 0, marks));
	sim_trace_close(r1);
	sim_trace_close(r2);
	sim_trace_evspool_free(sp);
}

Test(evspool, past_its_limit_the_copy_is_lost)
{
	struct sim_trace_opts opts = { 0 };
	struct sim_trace *r;
	struct sim_trace_event ev;
	struct sim_trace_evspool *sp;
	int put = 0, rc;

	cr_assert(eq(int, sim_trace_evspool_new(&sp), 0));
	sim_trace_evspool_set_max(sp, 4096);
	cr_assert(eq(int, sim_trace_open(&r, sample_path(), &opts), 0));
	while ((rc = sim_trace_next(r, &ev)) > 0 && !(put = sim_trace_evspool_put(sp, &ev)))
		;
	cr_assert(eq(int, put, -1));
	cr_assert(le(u64, sim_trace_evspool_count(sp), 4096 / 5));
	cr_assert(eq(int, sim_trace_evspool_end(sp), -1));
	cr_assert(eq(int, sim_trace_evspool_next(sp, &ev), -1));
	sim_trace_close(r);
	sim_trace_evspool_free(sp);
}
