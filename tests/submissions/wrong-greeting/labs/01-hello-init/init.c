/*
 * A graded submission for tests/integration/70-grade.sh: the greeting is
 * not the one the stage asks for ("Hello world").
 */
#include <stdio.h>

int
main(void)
{
	printf("Hello, World!\n");
	return 0;
}
