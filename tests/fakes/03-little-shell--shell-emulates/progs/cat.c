/*
 * cat [FILE...]: copy each FILE (default: the standard input) to the
 * standard output. It uses the system calls read and write directly, on file
 * descriptors: 0 is the standard input, 1 the standard output.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copy everything from fd to the standard output. Returns 0, or 1 after an error message. */
static int
copy(int fd, const char *name)
{
	char buf[4096];
	ssize_t n, done, w;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == 0)
			return 0;	/* end of file */
		if (n < 0) {
			if (errno == EINTR)
				continue;	/* a signal interrupted the wait: retry */
			fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
			return 1;
		}
		/* write may take fewer bytes than asked: loop until all are out. */
		for (done = 0; done < n;) {
			w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				fprintf(stderr, "cat: write: %s\n", strerror(errno));
				return 1;
			}
			done += w;
		}
	}
}

int
main(int argc, char *argv[])
{
	int status = 0, fd;

	if (argc < 2)
		return copy(STDIN_FILENO, "standard input");
	for (int i = 1; i < argc; i++) {
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]);
		if (close(fd) < 0)
			status = 1;
	}
	return status;
}
