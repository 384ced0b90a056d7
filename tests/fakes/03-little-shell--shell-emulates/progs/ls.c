/*
 * ls [DIR...]: print the names in each DIR (default: the current
 * directory), one a line, leaving out "." and "..". No options, no sorting:
 * names come in the order the filesystem gives them.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* List one directory. Returns 0, or 1 after printing why it failed. */
static int
list(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	int status = 0;

	if (dir == NULL) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (;;) {
		/* readdir returns NULL both at the end and on an error: errno tells. */
		errno = 0;
		entry = readdir(dir);
		if (entry == NULL)
			break;
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			puts(entry->d_name);
	}
	if (errno != 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
	}
	if (closedir(dir) < 0)
		status = 1;
	return status;
}

int
main(int argc, char *argv[])
{
	int status = 0;

	if (argc < 2)
		status = list(".");
	for (int i = 1; i < argc; i++)
		status |= list(argv[i]);
	if (fflush(stdout) == EOF) {
		perror("ls: write");
		status = 1;
	}
	return status;
}
