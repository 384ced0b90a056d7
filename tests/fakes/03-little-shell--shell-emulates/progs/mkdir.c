/* mkdir DIR...: create each directory. Exit status 1 if one failed. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mkdir DIR...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		/*
		 * 0777 is filtered by the umask the process inherited (init
		 * got 022 from the kernel): the directory ends up rwxr-xr-x.
		 */
		if (mkdir(argv[i], 0777) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
