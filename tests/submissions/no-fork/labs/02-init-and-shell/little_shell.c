/*
 * A graded submission for tests/integration/70-grade.sh: the stage 02
 * little shell, which also stops when it reads "exit".
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int
main(void)
{
	char *line = NULL;
	size_t cap = 0;

	printf("Hello world from the little shell!\n");
	for (;;) {
		fputs("Enter your command: ", stdout);
		fflush(stdout);
		if (getline(&line, &cap, stdin) < 0)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		printf("Your command is: %s\n", line);
		if (strcmp(line, "exit") == 0)
			break;
	}
	free(line);
	return 0;
}
