/*
 * sandbox.h: run a command that reads untrusted input (a submission's
 * sources: the compiler follows any #include or .incbin it is given) where
 * it can see nothing but the toolchain. The sandbox is bubblewrap (`bwrap`,
 * Debian's package bubblewrap), a well-kept tool, not one of ours.
 *
 * What the command sees, and nothing else:
 *   /usr            read-only: the compilers, make, the riscv64 sysroot
 *   /bin /lib ...   as on the host: the links of a merged /usr (or the
 *                   folders, read-only, where /usr is not merged)
 *   /dev            bwrap's minimal one: null, zero, full, random, urandom, tty
 *   /tmp            a private tmpfs
 *   work            read-write at its own path; the working folder
 *   ro[i]           read-only at their own paths (BusyBox for `grading make`)
 * No /proc (so no /proc/self/fd/N to read back), no /etc, no /home, no lab
 * tree, no other submission, no network. Every namespace is new (user,
 * mount, pid, network, ipc, uts, cgroup); inside, uid and gid 65534 with no
 * capabilities; the environment is cleared but for PATH, HOME and TMPDIR;
 * it is killed when its parent dies, in a session of its own (no TIOCSTI
 * into a terminal). Where the lab's own top folder lies under /usr, an
 * empty tmpfs hides it.
 *
 * Pure but for sandbox_probe(), which runs bwrap once. No state is kept.
 */
#ifndef LAB_SANDBOX_H
#define LAB_SANDBOX_H

#include "strbuf.h"

#include <stddef.h>

struct sandbox {
	const char *work;             /* read-write, and the working folder */
	const char *const *ro;        /* NULL-ended; NULL: none */
	const char *hide;             /* the lab's top: hidden if under /usr; may be NULL */
};

/* 1 if every sandboxed command can read path (it lies under /usr, which the
 * sandbox shows read-only); else 0. */
int sandbox_shows(const char *path);

/* Push onto argv the bwrap command line that runs what is pushed after it
 * (the command and its arguments) inside the sandbox s describes. */
void sandbox_wrap(struct strv *argv, const struct sandbox *s);

/*
 * Can the sandbox run here? Runs `true` in it (with work = a fresh folder
 * under tmp_dir). 0 if it ran; else -1 with one line in err saying why
 * (bwrap missing: the package to install; no user namespaces: the sysctl)
 * and what to do.
 */
int sandbox_probe(const char *tmp_dir, char *err, size_t errlen);

#endif
