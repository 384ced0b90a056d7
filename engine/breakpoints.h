/*
 * breakpoints.h: where gdb must stop for each `gdb` line of a check.
 *
 * A line on a program of the archive (init, little_shell, bin/sh -> busybox)
 * becomes an address, read from that program's ELF symbols: the programs
 * are static and -no-pie, so the address in the file is the address at run
 * time, and gdb need not load each program's symbols. A line on vmlinux
 * stays a name for gdb, but only once the booted kernel's symbol table is
 * known to hold it: a name gdb cannot find would run its `commands` block
 * at once, as a false hit.
 *
 * A line that cannot be set gets a `problem` (said to the learner, and the
 * line fails). The array is owned by the caller: breakpoints_release().
 */
#ifndef LAB_BREAKPOINTS_H
#define LAB_BREAKPOINTS_H

#include <stddef.h>

#include "catalog.h"
#include "gdb.h"
#include "initramfs.h"

/* One gdb_bp per c->gdb[i], in order. archive may be NULL (none booted). */
struct gdb_bp *breakpoints_resolve(const struct check *c, const struct initramfs *archive,
				   const char *vmlinux, size_t *n);
/* Every breakpoint is in user space: the kernel may boot while gdb starts. */
int breakpoints_user_only(const struct gdb_bp *bps, size_t n);
void breakpoints_release(struct gdb_bp *bps, size_t n);

#endif
