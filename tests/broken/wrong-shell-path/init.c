/*
 * A broken stage-02 init (tests/broken): it runs the shell from a path the
 * archive does not have, so the exec fails; it says so and the child exits.
 *
 * init.c: an init that never ends (stage 02).
 *
 * PID 1 starts the little shell in a new process (fork, then exec), and
 * then prints a numbered line every 10 seconds, forever. It must never
 * return: when PID 1 ends, the kernel panics. Both processes write to the
 * same console, so their lines interleave on the UART.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL_PATH	"/bin/little_shell"	/* broken: the archive has /little_shell */
#define PERIOD		10	/* seconds between two numbered lines */

/*
 * Start SHELL_PATH in a new process. Returns only in the parent: the
 * child's PID, or -1 if fork failed. The child never returns: it becomes
 * the shell, or exits with status 127 if the shell cannot be run.
 */
static pid_t
start_shell(void)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;	/* the parent (pid > 0), or fork failed (-1) */

	/*
	 * Here we are the child: a copy of init, with the same memory and
	 * the same open files. execl asks the kernel to throw this copy
	 * away and load /little_shell in its place; on success it does not
	 * return. Open files survive exec, so the shell's stdin, stdout and
	 * stderr are init's: the console.
	 */
	execl(SHELL_PATH, "little_shell", (char *)NULL);
	perror("init: cannot run " SHELL_PATH);
	/*
	 * _exit, not exit: exit would flush the stdio buffers this child
	 * copied from init, and their contents would be printed twice.
	 */
	_exit(127);
}

int
main(void)
{
	if (start_shell() < 0)
		perror("init: fork");	/* carry on: init must not end */

	for (unsigned long n = 1;; n++) {
		/*
		 * The console is a terminal, so stdout is line buffered and
		 * the newline already sends the line; fflush makes sure of it
		 * even when stdout is not a terminal. A print that fails has
		 * nowhere to be reported: init carries on regardless.
		 */
		if (printf("Hello from the original init! %lu\n", n) < 0 ||
		    fflush(stdout) == EOF)
			clearerr(stdout);

		/*
		 * sleep returns early (with the seconds left) only when a
		 * signal handler ran; init installs none, so this sleeps the
		 * whole period.
		 */
		sleep(PERIOD);

		/*
		 * A child that has ended stays a zombie (its exit status kept
		 * in the kernel) until its parent waits for it. PID 1 is also
		 * the parent of every orphan, so it collects them all here,
		 * without blocking (WNOHANG): waitpid returns 0 when no child
		 * has ended, -1 when there are no children at all.
		 */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			continue;
	}
	/* not reached: this loop never ends */
}
