/*
 * A graded submission for tests/integration/70-grade.sh: prints forever,
 * without a pause, and never the greeting. The runner keeps 1 MiB of the
 * UART on disk. One character a line: the tail a report shows is the same
 * wherever the time limit cuts the output.
 */
#include <stdio.h>

int
main(void)
{
	for (;;)
		puts("A");
}
