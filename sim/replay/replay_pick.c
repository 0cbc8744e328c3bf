/*
 * replay_pick.c - which kernel a replay's models follow (rp_kernel_pick), and the line that
 * says which and why (on stderr when the replay ends well: bad input stays one line).
 *
 * Sources, strongest first: the scenario's "kernel" (--kernel, --set kernel=, --scenario); the
 * capture's uname (its release, the third field of `uname -a`); the capture's event formats
 * (formats/kmalloc.format: a gfp table that names __GFP_ATOMIC is a kernel before 6.4, which
 * removed the flag, so 6.1; one without it is 6.12); else 6.1, the default.  A release we do
 * not model goes to the nearest one we do: before 6.8 (where SLAB went and SLUB's per-CPU
 * partial slabs stopped being frozen) 6.1, from 6.8 on 6.12.  docs/cli.md, "replay".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_int.h"
#include "../../models/kernel.h"

/* The release of a `uname -a` line ("Linux HOST RELEASE ...") as text, for the message; false if none. */
static bool rp_uname_release(const char *uname, char *buf, size_t size)
{
	char sys[64], host[256], rel[128];

	if (!uname || sscanf(uname, "%63s %255s %127s", sys, host, rel) != 3)
		return false;
	snprintf(buf, size, "%s", rel);
	return true;
}

/* The kernel of the capture's release: one we model, else the nearest; *exact says which. */
bool rp_capture_kernel(const struct sim_capture *c, enum kernel_version *v, bool *exact)
{
	char rel[32];

	if (!c || c->release[0] < 0 || c->release[1] < 0)
		return false;
	snprintf(rel, sizeof(rel), "%d.%d", c->release[0], c->release[1]);
	*exact = kernel_version_parse(rel, v);
	if (!*exact)
		*v = c->release[0] > 6 || (c->release[0] == 6 && c->release[1] >= 8) ? KERNEL_6_12 : KERNEL_6_1;
	return true;
}

int rp_kernel_pick(struct replay *r, struct sim_scenario *sc)
{
	const struct sim_capture *c = r->cap;
	enum kernel_version v = KERNEL_6_1;
	char rel[128], why[320];
	bool exact = false, have_rel = c && rp_uname_release(c->uname, rel, sizeof(rel));

	if (sc->kernel_given) {
		v = (enum kernel_version)sc->kernel;
		if (have_rel)
			snprintf(why, sizeof(why), "as told; the capture's uname says %s", rel);
		else
			snprintf(why, sizeof(why), "as told");
	} else if (have_rel && rp_capture_kernel(c, &v, &exact)) {
		snprintf(why, sizeof(why), exact ? "from the capture's uname: %s" :
			 "the nearest we model to the capture's uname: %s", rel);
	} else if (c && c->format_gfp_atomic != SIM_UNKNOWN) {
		v = c->format_gfp_atomic == SIM_YES ? KERNEL_6_1 : KERNEL_6_12;
		snprintf(why, sizeof(why), "from the capture's event formats: kmalloc's gfp table %s __GFP_ATOMIC,"
			 " which 6.4 removed", c->format_gfp_atomic == SIM_YES ? "has" : "lacks");
	} else {
		snprintf(why, sizeof(why), c ? "the default: the capture has no uname or event formats" :
			 "the default for a trace without its capture directory; --kernel to choose");
	}
	sc->kernel = (int)v;
	sc->kernel_given = true;
	snprintf(r->kernel_line, sizeof(r->kernel_line), "kmemsim: kernel %s (%s)\n", kernel_version_name(v), why);
	return 0;
}
