/*
 * hello: the lab's first package. It greets its first argument, so that
 * the check can ask for a value fresh for each run and know that this
 * very program, installed from the package, answered.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');

	printf("%s says: hello, %s\n", name ? name + 1 : argv[0], argc > 1 ? argv[1] : "world");
	return 0;
}
