/*
 * fuzz_trace_replay.c - libFuzzer harness: a whole trace replayed on a small
 * machine (traces/ then sim/replay, sim/run, the models), no database.
 *
 * The first byte picks SLUB or SLAB, the pages mode and lenient; the rest is
 * trace text, replayed from memory (sim_replay_opts.trace_text: the same two
 * passes as over a file, without writing one).  Work per input is bounded:
 * at most 64 events over at most 1 s of trace time, or the input is skipped
 * before the replay (a longer trace is the benchmark's job, not a fuzzer's).
 * The machine is the scenario below, parsed once per process and handed to
 * every replay (sim_replay_opts.scenario: copied, not loaded again): 1 node,
 * 2 CPUs, 16 MiB.  A replay may refuse the trace (SIM_EBADINPUT) but must not
 * crash, leak or fail.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/lockstat.h"
#include "sim/engine/path.h"
#include "sim/replay/replay.h"
#include "sim/scenario/scenario.h"
#include "traces/trace.h"

#define FUZZ_MAX_EVENTS 64
#define FUZZ_MAX_SPAN_NS 1000000000ull

static const char scenario_text[] =
	"{ \"name\": \"fuzz\", \"machine\": { \"nodes\": [ { \"cpus\": 2, \"zones\": { \"dma32\": 16 } } ] } }\n";

static struct sim_scenario scenario;
static FILE *devnull;

static void cleanup(void)
{
	sim_scenario_free(&scenario);
	fclose(devnull);
}

static void setup(void)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull || sim_scenario_parse(&scenario, "fuzz.json", scenario_text, stderr))
		abort();
	atexit(cleanup);
}

/* Small enough to replay: few events, a short span of trace time. */
static bool small_trace(const uint8_t *data, size_t size)
{
	struct sim_trace_opts o = { .lenient = true, .err = devnull, .name = "fuzz" };
	struct sim_trace *r;
	struct sim_trace_event ev;
	uint64_t lo = UINT64_MAX, hi = 0;
	int n = 0, rc;

	if (sim_trace_open_mem(&r, "fuzz", data, size, &o))
		return true;			/* the replay refuses it the same way */
	while ((rc = sim_trace_next(r, &ev)) > 0 && n <= FUZZ_MAX_EVENTS) {
		n++;
		lo = ev.ts_ns < lo ? ev.ts_ns : lo;
		hi = ev.ts_ns > hi ? ev.ts_ns : hi;
	}
	sim_trace_close(r);
	return n <= FUZZ_MAX_EVENTS && (n == 0 || hi - lo <= FUZZ_MAX_SPAN_NS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_replay_opts o = { 0 };
	int rc;

	if (size < 1)
		return 0;
	if (!devnull)
		setup();
	if (!small_trace(data + 1, size - 1))
		return 0;
	o.trace = "fuzz.trace";
	o.trace_text = data + 1;
	o.trace_len = size - 1;
	o.scenario_path = "fuzz.json";		/* its name: o.scenario is that file loaded */
	o.scenario = &scenario;
	o.allocator_set = true;
	o.allocator = data[0] & 1 ? SIM_ALLOC_SLAB : SIM_ALLOC_SLUB;
	o.pages = (enum sim_replay_pages)((data[0] >> 1) % 3);
	o.lenient = data[0] & 8;
	o.quiet = true;
	o.seed_set = true;
	o.seed = 1;
	rc = sim_replay(&o, devnull, devnull);
	/*
	 * The lock and path tables outlive a run (the next engine frees them).
	 * Freed here, a run frees all it allocates, so libFuzzer's leak check
	 * does not replay every input a second time to look for a leak.
	 */
	sim_lockstat_reset();
	sim_path_reset();
	if (rc != 0 && rc != SIM_EBADINPUT)
		abort();			/* a run-time failure on a 16 MiB machine is a bug */
	return 0;
}
