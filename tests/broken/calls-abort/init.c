#include <stdio.h>
#include <stdlib.h>

int
main(void)
{
	printf("Hello world\n");
	abort();
}
