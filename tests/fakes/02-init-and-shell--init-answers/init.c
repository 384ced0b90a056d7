/* A fake for the witness (tests/fakes/README.md): PID 1 reads the console
 * and answers each typed line itself; the little shell it starts does
 * nothing. The UART shows every line stage 02 asks for. */
#include <stdio.h>
#include <sys/types.h>
#include <unistd.h>

int
main(void)
{
	char line[256];

	if (fork() == 0) {
		execl("/little_shell", "little_shell", (char *)NULL);
		_exit(127);
	}
	for (int n = 1; n <= 3; n++)
		printf("Hello from the original init! %d\n", n);
	for (;;) {
		printf("Enter your command: ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			for (;;)
				pause();
		printf("Your command is: %s", line);
	}
}
