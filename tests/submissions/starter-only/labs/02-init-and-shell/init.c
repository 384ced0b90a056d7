/*
 * init.c: an init that never ends (stage 02).
 *
 * PID 1 starts the little shell in a new process (fork, then exec), and
 * then prints a numbered line every 10 seconds, forever. It must never
 * return: when PID 1 ends, the kernel panics.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL_PATH	"/little_shell"
#define PERIOD		10	/* seconds between two numbered lines */

/*
 * Start SHELL_PATH in a new process. Returns only in the parent: the
 * child's PID, or -1 if fork failed. The child never returns: it becomes
 * the shell, or exits with status 127 if the shell cannot be run.
 */
static pid_t
start_shell(void)
{
	/*
	 * TODO: call fork(). It returns twice, once in each process: tell
	 * them apart by its return value (see README.md).
	 *
	 * TODO: in the parent, return the child's PID (or -1 on failure).
	 *
	 * TODO: in the child, replace the program with SHELL_PATH using
	 * execl(). If execl returns, it failed: say so with perror(), then
	 * end the child with _exit(127) (why _exit and not exit? hint 3).
	 */
	errno = ENOSYS;	/* TODO: delete: makes perror say "Function not implemented" */
	return -1;
}

int
main(void)
{
	if (start_shell() < 0)
		perror("init: fork");	/* carry on: init must not end */

	/*
	 * TODO: forever: print "Hello from the original init! N" (N = 1, 2,
	 * 3, ...), make sure it leaves stdout's buffer, and sleep PERIOD
	 * seconds.
	 *
	 * TODO (for a tidy PID 1): collect ended children with
	 * waitpid(-1, NULL, WNOHANG) so they do not stay zombies.
	 */
	return 0;
}
