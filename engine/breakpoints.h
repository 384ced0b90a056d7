/*
 * breakpoints.h: where gdb must stop for each `gdb` line of a check.
 *
 * Every line becomes an address, read from the ELF symbols of the program
 * it names (init, little_shell, bin/sh -> busybox in the archive, or
 * ./PATH in the build folder: static and -no-pie, so
 * the address in the file is the address at run time) or of the booted
 * kernel's vmlinux (after it was built, for a learner's kernel): gdb is
 * never asked to find a name, because a name it cannot find would run the
 * line's `commands` block at once, as a false hit. Of "a|b", the first
 * name the program has is taken.
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

/* One gdb_bp per c->gdb[i], in order. archive may be NULL (none booted);
 * build_dir is the folder make ran in, for "./PATH" lines (NULL: none). */
struct gdb_bp *breakpoints_resolve(const struct check *c, const struct initramfs *archive,
				   const char *vmlinux, const char *build_dir, size_t *n);
/* Every breakpoint is in user space: the kernel may boot while gdb starts. */
int breakpoints_user_only(const struct gdb_bp *bps, size_t n);
void breakpoints_release(struct gdb_bp *bps, size_t n);

#endif
