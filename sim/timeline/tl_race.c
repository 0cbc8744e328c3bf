/*
 * tl_race.c - a race run's two conflicting accesses in the timeline: an
 * instant for each on a "vCPU N race" track under its vCPU, named as
 * `kmemsim story` names it ("B step 34 (cpu0 hardirq, kfree(x) in IRQ ...)"),
 * and a flow from B, the access that acted first, to A, whose effect came
 * after it (sim_story_conflict, sim/story/story.h; docs/story.md).
 *
 * Written after the operations: the trace processor sorts packets by time.
 * Both or neither: an access outside the window or --cpu drops the pair.
 */
#include <stdio.h>

#include "tl_int.h"
#include "../engine/engine.h"
#include "../story/story.h"

#define TL_RACE_FLOW 1		/* the one flow's id */

int tl_race(struct tl *t)
{
	struct sim_story_access acc[2];
	bool declared[2] = { false, false };
	char name[300];
	int rc;

	if (!tl_has_table(t, "steps") || !tl_has_table(t, "forced"))
		return 0;	/* not a race run */
	rc = sim_story_conflict(t->o->db_path, acc, t->err);
	if (rc < 0)
		return SIM_EFAIL;
	if (rc == 0)
		return 0;
	for (int k = 0; k < 2; k++)
		if ((t->o->cpu >= 0 && acc[k].cpu != t->o->cpu) || acc[k].time_ns < t->from || acc[k].time_ns >= t->to ||
		    acc[k].cpu < 0 || acc[k].cpu >= t->nr_cpus)
			return 0;
	for (int k = 0; k < 2; k++) {
		uint64_t uuid = TL_UUID_RACE(acc[k].cpu);

		if (!(k == 1 && acc[1].cpu == acc[0].cpu && declared[0])) {
			snprintf(name, sizeof(name), "vCPU %d race", acc[k].cpu);
			tl_track_descriptor(t, uuid, TL_UUID_CPU(acc[k].cpu), name, false);
			declared[k] = true;
		}
		snprintf(name, sizeof(name), "%c %s", k ? 'A' : 'B', acc[k].text);
		tl_buf_reset(&t->ev);
		tl_pb_uint(&t->ev, PB_EVENT_TYPE, PB_TYPE_INSTANT);
		tl_pb_uint(&t->ev, PB_EVENT_TRACK_UUID, uuid);
		tl_pb_str(&t->ev, PB_EVENT_NAME, name);
		tl_pb_fixed64(&t->ev, k ? PB_EVENT_TERMINATING_FLOW_IDS : PB_EVENT_FLOW_IDS, TL_RACE_FLOW);
		tl_event_packet(t, acc[k].time_ns, false);
		t->nr_instants++;
	}
	t->nr_flows++;
	return 0;
}
