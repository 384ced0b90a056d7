/*
 * A graded submission for tests/integration/70-grade.sh: writes through a
 * null pointer before printing, so PID 1 dies of SIGSEGV.
 */
#include <stdio.h>

int
main(void)
{
	volatile int *p = NULL;

	*p = 1;
	printf("Hello world\n");
	return 0;
}
