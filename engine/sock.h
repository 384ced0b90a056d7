/*
 * sock.h: the runner's one kind of socket, a listening unix socket.
 *
 * The runner makes gdb's socket itself and hands it to QEMU, so that gdb
 * can connect the moment it is ready, whether QEMU is up yet or not.
 */
#ifndef LAB_SOCK_H
#define LAB_SOCK_H

#include <stddef.h>

/*
 * Listen on a unix stream socket at path (whatever was at path is removed
 * first), backlog 1. Returns the socket (close-on-exec, the caller closes
 * it and removes path), or -1 with one line in err: a path longer than a
 * unix socket allows, or what bind or listen said. Does not block.
 */
int unix_listen(const char *path, char *err, size_t errlen);

#endif
