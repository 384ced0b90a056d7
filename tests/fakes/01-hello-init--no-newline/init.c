/* A fake for the witness (tests/fakes/README.md): the right words, but no
 * newline, so the line never ends; the kernel's panic follows on the same
 * UART line. The page asks for a line. */
#include <stdio.h>

int
main(void)
{
	printf("Hello world");
	return 0;
}
