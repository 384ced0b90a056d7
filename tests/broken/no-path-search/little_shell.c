/*
 * A broken stage-03 shell (tests/broken): it does not search PATH.
 *
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
	char cwd[PATH_MAX], *end;
	const char *dir;
	long status;

	if (strcmp(words[0], "cd") == 0) {
		dir = n > 1 ? words[1] : "/";
		if (chdir(dir) < 0)
			fprintf(stderr, "lsh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (strcmp(words[0], "pwd") == 0) {
		if (getcwd(cwd, sizeof cwd) == NULL)
			fprintf(stderr, "lsh: pwd: %s\n", strerror(errno));
		else
			puts(cwd);
		return 1;
	}
	if (strcmp(words[0], "exit") == 0) {
		status = 0;
		if (n > 1) {
			errno = 0;
			status = strtol(words[1], &end, 10);
			if (errno != 0 || end == words[1] || *end != '\0') {
				fprintf(stderr, "lsh: exit: %s: not a number\n", words[1]);
				return 1;
			}
		}
		/* An exit status is 8 bits: the parent sees status & 0xff. */
		exit((int)(status & 0xff));
	}
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
	char file[PATH_MAX];
	const char *path, *dir;
	size_t len;
	int n;

	/* broken: no PATH search, the word is run as a path */
	execv(words[0], words);
	if (0) {
		path = getenv("PATH");
		if (path == NULL)
			path = DEFAULT_PATH;
		for (dir = path;; dir += len + 1) {
			len = strcspn(dir, ":");
			if (len == 0)
				n = snprintf(file, sizeof file, "./%s", words[0]);
			else
				n = snprintf(file, sizeof file, "%.*s/%s", (int)len, dir, words[0]);
			/* execv returns only if it failed: then try the next directory. */
			if (n > 0 && (size_t)n < sizeof file)
				execv(file, words);
			if (dir[len] == '\0')
				break;
		}
	}
	fprintf(stderr, "lsh: %s: command not found\n", words[0]);
	/*
	 * _exit, not exit: exit would flush the stdio buffers this child
	 * copied from the shell, and their contents would be printed twice.
	 */
	_exit(NOT_FOUND);
}

/*
 * Run the program words[0] in a child process and wait until it has ended.
 * Reports an unusual end: an exit status other than 0 (and other than 127,
 * which the child already explained), or death by a signal.
 */
static void
run(char *words[])
{
	pid_t pid;
	int status;

	/*
	 * fork copies stdio's buffers too: anything still waiting in stdout
	 * would be printed by both processes. Flush it first.
	 */
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lsh: fork: %s\n", strerror(errno));
		return;
	}
	if (pid == 0)
		exec_command(words);	/* the child: never returns */

	/* The parent: sleep until that child ends. */
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "lsh: waitpid: %s\n", strerror(errno));
			return;
		}
	}
	if (WIFEXITED(status)) {
		if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != NOT_FOUND)
			fprintf(stderr, "lsh: %s: exit status %d\n", words[0],
				WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		fprintf(stderr, "lsh: %s: killed by signal %d\n", words[0],
			WTERMSIG(status));
	}
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
