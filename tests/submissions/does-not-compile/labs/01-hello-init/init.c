/*
 * A graded submission for tests/integration/70-grade.sh: a missing
 * semicolon. The grading build stops: an ERROR row, with gcc's words.
 */
#include <stdio.h>

int
main(void)
{
	printf("Hello world\n")
	return 0;
}
