/*
 * A graded submission for tests/integration/70-grade.sh: init execs the
 * little shell itself instead of forking first. PID 1 becomes the shell:
 * no "Hello from the original init!" line ever comes, and when the shell
 * ends (it stops at "exit"), PID 1 ends and the kernel panics.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	execl("/little_shell", "little_shell", (char *)NULL);
	perror("init: cannot run /little_shell");
	for (;;)
		pause();
}
