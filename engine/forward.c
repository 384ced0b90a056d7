/*
 * forward.c: see forward.h.
 */
#include "forward.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void
forward_init(struct forward *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

int
forward_reserve(struct forward *f, int guest_port, char *err, size_t errlen)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int one = 1;

	forward_release(f);
	f->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->fd < 0) {
		snprintf(err, errlen, "cannot make a socket for the port forward: %s",
			 strerror(errno));
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	if (setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(f->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(f->fd, (struct sockaddr *)&a, &len) < 0) {
		snprintf(err, errlen, "cannot reserve a port on 127.0.0.1 for the guest's port %d: "
			 "%s", guest_port, strerror(errno));
		forward_release(f);
		return -1;
	}
	f->guest_port = guest_port;
	f->host_port = ntohs(a.sin_port);
	return 0;
}

void
forward_release(struct forward *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}
