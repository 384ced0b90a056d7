/* A broken stage-01 init: close to the text asked for, but not it. */
#include <stdio.h>

int
main(void)
{
	printf("Hello, World!\n");
	return 0;
}
