#include <stdio.h>
#include <stddef.h>

int
main(void)
{
	volatile int *p = NULL;

	printf("Hello world\n");
	*p = 1;
	return 0;
}
