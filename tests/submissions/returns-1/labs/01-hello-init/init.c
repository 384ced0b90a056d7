/*
 * A graded submission for tests/integration/70-grade.sh: prints the line,
 * then returns 1 instead of 0. The kernel's panic shows exitcode=0x00000100.
 */
#include <stdio.h>

int
main(void)
{
	printf("Hello world\n");
	return 1;
}
