/*
 * console.c: the console command: this terminal becomes the guest's UART,
 * through the unix socket a `debug` session's QEMU listens on (debug
 * prints the command, or opens it in a tmux pane). What the guest prints
 * comes here; what is typed goes to the guest, byte by byte, Ctrl-C
 * included. Ctrl-] ends it (as telnet's does); the guest goes on. With
 * input that is not a terminal (a test's), the input is typed, then the
 * output shown until QEMU stops.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

#define CONSOLE_QUIT 0x1d     /* Ctrl-] */

/* Connect to the unix socket at path. Returns the fd, or -1 with err filled. */
static int
connect_unix(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "the socket path '%s' is too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "cannot connect to '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Copy all of buf to fd. Returns 0, or -1 when fd is gone. */
static int
put_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* console SOCKET: the terminal is the UART, until Ctrl-] or the guest's end. */
int
cmd_console(struct ctx *c, const struct args *a)
{
	struct termios saved, raw;
	char err[512], buf[4096];
	int tty = isatty(0), fd, in = 0;

	(void)c;
	fd = connect_unix(a->socket, err, sizeof(err));
	if (fd < 0) {
		fprintf(stderr, "lab-runner: console: %s (is the debug session still running?)\n",
			err);
		return 2;
	}
	printf("The UART of the guest: type to it here. Ctrl-] ends this console "
	       "(the guest goes on).\r\n");
	fflush(stdout);
	/* Raw: every key goes to the guest as it is typed (the guest's shell
	 * echoes and edits), Ctrl-C too. */
	if (tty && tcgetattr(0, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	} else {
		tty = 0;
	}
	for (;;) {
		struct pollfd p[2] = {{fd, POLLIN, 0}, {in, POLLIN, 0}};
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n <= 0) {
				printf("\r\nThe guest's UART closed: QEMU has stopped.\r\n");
				break;
			}
			if (put_all(1, buf, (size_t)n) < 0)
				break;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				/* The end of the input (not a terminal: a terminal in raw
				 * mode sends Ctrl-D to the guest): type nothing more, show
				 * the guest's output until QEMU stops. */
				in = -1;
				continue;
			}
			char *quit = memchr(buf, CONSOLE_QUIT, (size_t)n);
			if (put_all(fd, buf, quit ? (size_t)(quit - buf) : (size_t)n) < 0 || quit)
				break;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
	close(fd);
	printf("\n");
	return 0;
}
