/*
 * little_shell.c: a small shell that really runs programs (stage 03).
 *
 * Each line typed is split into words; the first word names the command.
 * cd, pwd and exit are built in: the shell does them itself. Any other word
 * names a program, run the way every Unix shell runs one:
 *
 *   fork()     the shell makes a copy of itself, the child;
 *   execv()    the child replaces itself with the program, keeping its
 *              open files (the console) and its environment (PATH);
 *   waitpid()  the shell sleeps until that child has ended, then reads
 *              how it ended (its exit status, or the signal that killed it).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROMPT		"lsh> "
#define BLANKS		" \t\r\n"	/* what separates words */
#define MAXWORDS	32		/* words in one command line */
#define DEFAULT_PATH	"/bin"		/* when PATH is not set */
#define NOT_FOUND	127		/* exit status for "command not found" */

/*
 * Split line into words, in place: the blank after each word becomes '\0',
 * and words[i] points into line. words[] ends with a NULL pointer, as execv
 * wants. Returns the number of words, or -1 if there are more than MAXWORDS.
 */
static int
split(char *line, char *words[MAXWORDS + 1])
{
	int n = 0;

	for (char *w = strtok(line, BLANKS); w != NULL; w = strtok(NULL, BLANKS)) {
		if (n == MAXWORDS)
			return -1;
		words[n++] = w;
	}
	words[n] = NULL;
	return n;
}

/*
 * Do words[0] if it is a built-in command. Returns 1 if it was one (done,
 * successfully or not), 0 if words[0] is a program to run. "exit" does not
 * return.
 *
 * Why these must be built in: chdir changes the current directory of the
 * process that calls it. Run as a program in a child, cd would move the
 * child, which then ends: the shell would stay where it was. Likewise only
 * the shell itself can end the shell. pwd could be a program; here it is
 * two lines.
 */
static int
builtin(char *words[], int n)
{
	/*
	 * TODO: if words[0] is "cd": change directory (chdir) to words[1],
	 * or to "/" when there is no words[1]. On failure print
	 * "lsh: cd: DIR: " and the reason (strerror(errno)). Return 1.
	 *
	 * TODO: if words[0] is "pwd": print the current directory
	 * (getcwd). Return 1.
	 *
	 * TODO: if words[0] is "exit": end the shell with exit(), with the
	 * status words[1] (a number; 0 when absent).
	 */
	(void)words;	/* TODO: delete these two lines: they only silence */
	(void)n;	/* "unused parameter" warnings until you use them */
	return 0;
}

/*
 * In a child process: replace this process with the program words[0],
 * giving it words as its argv. Never returns.
 *
 * A word with a '/' in it is a path, run as it is. Any other word is looked
 * for in each directory of $PATH ("dir1:dir2:...", an empty entry meaning the
 * current directory), in order: the first execv that succeeds wins. If none
 * does, the child says so and exits with status 127.
 */
static _Noreturn void
exec_command(char *words[])
{
	/*
	 * TODO: if words[0] contains a '/', execv it as it is.
	 *
	 * TODO: otherwise, for each directory DIR of getenv("PATH") (or
	 * DEFAULT_PATH when PATH is not set), build the string "DIR/WORD"
	 * (snprintf) and execv it. execv returns only when it failed: then
	 * go on with the next directory.
	 */

	/* Nothing could be executed. */
	fprintf(stderr, "lsh: %s: command not found\n", words[0]);
	_exit(NOT_FOUND);	/* why _exit, not exit? see README.md */
}

/*
 * Run the program words[0] in a child process and wait until it has ended.
 * Reports an unusual end: an exit status other than 0 (and other than 127,
 * which the child already explained), or death by a signal.
 */
static void
run(char *words[])
{
	/*
	 * TODO: fflush(stdout), then fork(). If fork fails, print
	 * "lsh: fork: " and the reason, and return.
	 *
	 * TODO: in the child, call exec_command(words).
	 *
	 * TODO: in the parent, waitpid() for that child, then look at the
	 * status with WIFEXITED/WEXITSTATUS and WIFSIGNALED/WTERMSIG:
	 *   exit status 0 or 127   print nothing
	 *   another exit status N  "lsh: WORD: exit status N"
	 *   killed by signal N     "lsh: WORD: killed by signal N"
	 */
	(void)exec_command;	/* TODO: delete: silences "defined but not used" */
	fprintf(stderr, "lsh: %s: running programs is not written yet (see run() in little_shell.c)\n",
		words[0]);
}

int
main(void)
{
	char *line = NULL;	/* getline allocates and grows it */
	size_t cap = 0;
	char *words[MAXWORDS + 1];
	int n;

	printf("little shell: built-ins cd, pwd, exit; other commands from PATH\n");
	for (;;) {
		/* No newline after the prompt: flush, or it stays in the buffer. */
		fputs(PROMPT, stdout);
		fflush(stdout);
		if (getline(&line, &cap, stdin) < 0)
			break;		/* end of input (Ctrl-D), or a read error */

		n = split(line, words);
		if (n < 0)
			fprintf(stderr, "lsh: too many words (at most %d)\n", MAXWORDS);
		else if (n > 0 && !builtin(words, n))
			run(words);
	}

	free(line);
	if (ferror(stdin)) {
		perror("\nlsh: reading the command");
		return 1;
	}
	putchar('\n');
	return 0;
}
