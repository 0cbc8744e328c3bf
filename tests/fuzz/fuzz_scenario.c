/*
 * fuzz_scenario.c - libFuzzer harness: the scenario loader (sim/scenario),
 * JSON text -> validated scenario -> the models' config structs.
 *
 * A scenario that loads must turn into configs, print back as JSON, and that
 * JSON must load again to the same JSON (sim_scenario_to_json is what the
 * database's runs table keeps).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "models/buddy/buddy.h"
#include "models/slab_common/slab_common.h"

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_scenario sc, again;
	struct sim_engine_cfg ecfg;
	struct buddy_config bcfg;
	struct slab_config scfg;
	char *text, *json, *json2;

	if (size > 64 * 1024)
		return 0;
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;				/* sim_scenario_load refuses a NUL byte before this */
	if (strlen(text) != size || sim_scenario_parse(&sc, "fuzz.json", text, devnull)) {
		free(text);
		return 0;
	}
	free(text);
	sim_scenario_engine_cfg(&sc, &ecfg);
	sim_scenario_buddy_cfg(&sc, &bcfg);
	sim_scenario_slab_cfg(&sc, &scfg);
	if (sim_scenario_nr_cpus(&sc) < 1)
		abort();
	json = sim_scenario_to_json(&sc);
	if (!json)
		abort();
	if (sim_scenario_parse(&again, "fuzz-again.json", json, devnull))
		abort();			/* what we print we must read back */
	json2 = sim_scenario_to_json(&again);
	if (!json2 || strcmp(json, json2))
		abort();
	free(json);
	free(json2);
	sim_scenario_free(&again);
	sim_scenario_free(&sc);
	return 0;
}
