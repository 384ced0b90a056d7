/*
 * init.c: PID 1 of stage 03 (provided: you need not change it).
 *
 * It sets PATH for every program it starts, then runs the little shell in
 * a child process, waits for it, and starts a new one whenever it ends: a
 * console login loop in miniature (on a full system, init starts getty,
 * which starts login, which starts your shell, again and again).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL_PATH	"/little_shell"

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
	/* The child: become the shell. The environment (PATH) goes along. */
	execl(SHELL_PATH, "little_shell", (char *)NULL);
	perror("init: cannot run " SHELL_PATH);
	_exit(127);	/* _exit: do not flush the stdio buffers copied from init */
}

/*
 * Wait until the child pid ends; store how it ended in *status. Returns 0,
 * or -1 if waitpid failed.
 *
 * Waiting for any child (-1), not just pid, matters for PID 1: a process
 * whose parent ends before it is adopted by init, and only init can then
 * collect its exit status. Until someone does, the ended process stays a
 * zombie. So this loop collects every child that ends, orphans included,
 * until the one it waits for is among them.
 */
static int
wait_for(pid_t pid, int *status)
{
	pid_t done;

	for (;;) {
		done = waitpid(-1, status, 0);
		if (done == pid)
			return 0;
		if (done < 0 && errno != EINTR)
			return -1;
		/* An orphan ended, or a signal interrupted the wait: go on. */
	}
}

int
main(void)
{
	pid_t pid;
	int status;

	/*
	 * The kernel starts init with almost no environment. Every process
	 * inherits its parent's environment, so PATH set here reaches the
	 * shell and everything the shell starts.
	 */
	if (setenv("PATH", "/bin", 1) < 0)
		perror("init: setenv PATH");

	for (;;) {
		pid = start_shell();
		if (pid < 0)
			perror("init: fork");
		else if (wait_for(pid, &status) < 0)
			perror("init: waitpid");
		else if (WIFEXITED(status))
			printf("init: the shell exited (status %d), starting a new one\n",
			       WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			printf("init: the shell exited (killed by signal %d), starting a new one\n",
			       WTERMSIG(status));
		fflush(stdout);
		/* Pause, so that a shell that cannot start does not spin the CPU. */
		sleep(1);
	}
	/* not reached: PID 1 never ends */
}
