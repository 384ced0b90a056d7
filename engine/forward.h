/*
 * forward.h: a port of the host, on 127.0.0.1 only, that QEMU forwards to
 * a TCP port of the guest (user networking's hostfwd), fresh for each run.
 *
 * The kernel picks the port: bind to 127.0.0.1, port 0. The runner keeps
 * that socket for the whole run, bound but not listening, with
 * SO_REUSEADDR: no other program asking for "any free port" gets it
 * meanwhile, so two checks at once never collide, while QEMU (whose user
 * network sets SO_REUSEADDR too) can bind and listen on it. Nothing else
 * than 127.0.0.1 is ever bound: the guest is reachable from this machine
 * only.
 *
 * forward_init() sets a forward up empty; forward_reserve() takes a port;
 * forward_release() closes the socket (QEMU's own listening socket ends
 * with QEMU). Nothing blocks.
 */
#ifndef LAB_FORWARD_H
#define LAB_FORWARD_H

#include <stddef.h>

struct forward {
	int guest_port;        /* 0: no forward */
	int host_port;         /* on 127.0.0.1 */
	int fd;                /* the reservation, or -1 */
};

void forward_init(struct forward *f);
/* Reserve a host port for guest_port. Returns 0, or -1 with err filled. */
int forward_reserve(struct forward *f, int guest_port, char *err, size_t errlen);
void forward_release(struct forward *f);

#endif
