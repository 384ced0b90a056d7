#include <stdio.h>

/* Reads and answers, but never asks: the check waits for a prompt. */
int
main(void)
{
	char line[256];

	while (fgets(line, sizeof(line), stdin))
		printf("Your command is: %s", line);
	return 0;
}
