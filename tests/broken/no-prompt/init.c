#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	int n = 0;

	if (fork() == 0) {
		execl("/little_shell", "little_shell", (char *)NULL);
		return 1;
	}
	for (;;) {
		printf("Hello from the original init! %d\n", ++n);
		sleep(10);
	}
}
