/*
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
	printf("Hello world from the little shell!\n");

	/*
	 * TODO: forever:
	 *   - print the prompt "Enter your command: " (no newline after it:
	 *     what does that mean for stdout's buffer?),
	 *   - read one line from stdin (getline() or fgets()),
	 *   - print "Your command is: " followed by that line.
	 * When the input ends (the read returns NULL or -1), stop the loop
	 * and return 0.
	 */
	return 0;
}
