/*
 * moo: a second package, so that the list has more than one thing in it.
 * A cow says its arguments.
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	char said[256] = "moo";
	size_t n = 0;

	for (int i = 1; i < argc && n < sizeof(said) - 1; i++)
		n += (size_t)snprintf(said + n, sizeof(said) - n, "%s%s", i > 1 ? " " : "", argv[i]);
	printf(" <%s>\n   \\   ^__^\n    \\  (oo)\\_______\n       (__)\\       )\\/\\\n"
	       "           ||----w |\n           ||     ||\n", said);
	return 0;
}
