/*
 * main.c - the kmemsim program: the command line (sim/cli/cli.c) and the one
 * place that turns a status into an exit status: 0 ok, 1 run-time failure
 * or invariant violation, 2 bad input.
 */
#include <stdio.h>

#include "cli.h"
#include "../scenario/scenario.h"

int main(int argc, char **argv)
{
	int rc = sim_cli_main(argc, argv, stdout, stderr);

	if (fflush(stdout) && rc == 0) {
		perror("kmemsim: stdout");
		rc = SIM_EFAIL;
	}
	return rc == 0 ? 0 : rc == SIM_EBADINPUT ? 2 : 1;
}
