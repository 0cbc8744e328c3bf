/*
 * fuzz_trace_line.c - libFuzzer harness: the trace reader on one input held
 * in memory (traces/: line.c, fields.c, gfp.c, intern.c via trace.c).
 *
 * The first byte picks strict or lenient mode and marks; the rest is trace
 * text.  Every event returned must have a known type, and the reader's
 * counters must add up.  Also the gfp flag parser and printer on the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trace.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_trace_opts o = { 0 };
	struct sim_trace *r;
	struct sim_trace_event ev;
	uint64_t n = 0;
	uint32_t gfp;
	char buf[512];
	int rc;

	if (size < 1)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	o.lenient = data[0] & 1;
	o.marks = data[0] & 2;
	o.err = devnull;
	o.name = "fuzz";
	if (sim_trace_open_mem(&r, "fuzz", data + 1, size - 1, &o))
		return 0;
	while ((rc = sim_trace_next(r, &ev)) > 0) {
		if (ev.type >= SIM_TRACE_NR_TYPES && ev.type != SIM_TRACE_MARK)
			abort();
		if (ev.type == SIM_TRACE_MARK && !ev.mark)
			abort();
		if (ev.line < 1)
			abort();
		n++;
	}
	if (rc < 0 && !sim_trace_errmsg(r)[0])
		abort();			/* a failure always says why */
	if (sim_trace_stats(r)->nr_events + sim_trace_stats(r)->nr_marks != n)
		abort();
	for (int i = 0; i < sim_trace_nr_other_names(r); i++) {
		uint64_t c;

		if (!sim_trace_other_name(r, i, &c))
			abort();
	}
	for (int i = 0; i < sim_trace_nr_bad_kept(r); i++)
		if (!sim_trace_bad_msg(r, i))
			abort();
	sim_trace_close(r);

	/* The gfp flags parser on the same bytes, and back through the printer, with each kernel's table. */
	for (int k = 0; k < SIM_TRACE_NR_GFP_KERNELS; k++) {
		if (sim_trace_parse_gfp_of((enum sim_trace_gfp_kernel)k, (const char *)data + 1, size - 1, &gfp) == 0) {
			size_t len = sim_trace_format_gfp_of((enum sim_trace_gfp_kernel)k, gfp, buf, sizeof(buf));
			uint32_t again;

			if (len < sizeof(buf) &&
			    sim_trace_parse_gfp_of((enum sim_trace_gfp_kernel)k, buf, len, &again) == 0 && again != gfp)
				abort();	/* what we print we read back */
		}
	}
	return 0;
}
