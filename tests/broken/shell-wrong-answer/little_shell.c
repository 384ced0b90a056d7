/*
 * A broken stage-02 little shell (tests/broken): it gives the wrong answer.
 *
 * little_shell.c: a shell that only pretends (stage 02).
 *
 * It greets, then forever: prints a prompt, reads one line, and says what
 * was typed. Actually running the command is stage 03's job. It runs as a
 * child of init, on the console init gave it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

int
main(void)
{
	char *line = NULL;	/* getline allocates and grows it for us */
	size_t cap = 0;
	ssize_t len;

	printf("Hello world from the little shell!\n");
	for (;;) {
		/*
		 * The prompt has no newline, so a line-buffered stdout would
		 * keep it in its buffer while we wait for input: the user would
		 * see nothing. fflush sends it now.
		 */
		fputs("Enter your command: ", stdout);
		fflush(stdout);

		len = getline(&line, &cap, stdin);
		if (len < 0)
			break;		/* end of input (or a read error) */
		/* Drop the end of line ("\n", or "\r\n" from some terminals). */
		line[strcspn(line, "\r\n")] = '\0';
		/* broken: answers like stage 03 does for a program it cannot find */
		printf("lsh: %s: command not found\n", strtok(line, " "));
	}

	if (ferror(stdin)) {
		perror("\nlittle_shell: reading the command");
		free(line);
		return 1;
	}
	printf("\nlittle_shell: end of input, bye\n");
	free(line);
	return 0;
}
