/* A broken stage-01 init: printf without its \n. The text stays in stdio's
 * buffer until exit flushes it, and the kernel's panic line is glued to it. */
#include <stdio.h>

int
main(void)
{
	printf("Hello world");
	return 0;
}
