/*
 * cmd_story.c - `kmemsim story DB [--from STEP] [--to STEP] [--format text|html]
 * [-o FILE] [--no-description]`: the command line of sim_story_write
 * (sim/story/story.h); the HTML form is the story in a page of the report's
 * look (report_page_head / report_page_foot).  docs/story.md.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"
#include "../engine/engine.h"
#include "../story/story.h"

int sim_cli_story(int argc, char **argv, FILE *out, FILE *err)
{
	struct sim_story_opts o = { 0 };
	const char *pos[1], *format = "text", *output = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *m;
	int nr_pos, rc;
	const struct sim_cli_opt opts[] = {
		{ "--from", SIM_CLI_U64, &o.from, &o.from_set },
		{ "--to", SIM_CLI_U64, &o.to, &o.to_set },
		{ "--format", SIM_CLI_STRING, &format, NULL },
		{ "-o", SIM_CLI_STRING, &output, NULL },
		{ "--no-description", SIM_CLI_FLAG, &o.no_description, NULL },
		{ NULL, 0, NULL, NULL },
	};

	rc = sim_cli_parse(argc, argv, opts, pos, 1, 1, &nr_pos, out, err);
	if (rc)
		return rc == 1 ? 0 : rc;
	o.db_path = pos[0];
	if (!strcmp(format, "text")) {
		o.format = SIM_STORY_TEXT;
	} else if (!strcmp(format, "html")) {
		o.format = SIM_STORY_HTML;
	} else {
		fprintf(err, "kmemsim story: --format: expected text or html, got \"%s\"\n", format);
		return SIM_EBADINPUT;
	}
	if (sim_cli_db_readable("story", o.db_path, err) || (output && sim_cli_output("story", "-o", output, err)))
		return SIM_EBADINPUT;
	/* the whole story in memory first: no partial output on a failure */
	m = open_memstream(&text, &len);
	if (!m) {
		fprintf(err, "kmemsim story: out of memory\n");
		return SIM_EFAIL;
	}
	if (o.format == SIM_STORY_HTML)
		report_page_head(m, "kmemsim story");
	rc = sim_story_write(&o, m, err);
	if (o.format == SIM_STORY_HTML)
		report_page_foot(m);
	if (fclose(m) && !rc) {
		fprintf(err, "kmemsim story: out of memory\n");
		rc = SIM_EFAIL;
	}
	if (!rc && output)
		rc = sim_out_write_text(output, text, err);
	else if (!rc)
		fputs(text, out);
	free(text);
	return rc;
}
