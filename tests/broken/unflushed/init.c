#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	printf("Hello world");
	for (;;)
		sleep(10);
}
