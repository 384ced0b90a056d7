/* echo [WORD...]: print the words, separated by one blank, then a newline. */
#include <stdio.h>

int
main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			putchar(' ');
		fputs(argv[i], stdout);
	}
	putchar('\n');
	/* Output errors are sticky in stdio: one look at the end sees them all. */
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("echo: write");
		return 1;
	}
	return 0;
}
