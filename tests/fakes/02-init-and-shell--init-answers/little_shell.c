/* The fake's little shell: it only waits (see init.c). */
#include <unistd.h>

int
main(void)
{
	for (;;)
		pause();
}
