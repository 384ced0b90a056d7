/*
 * initcheck.h: the kernel's view of /init, before booting.
 *
 * After unpacking the initramfs the kernel runs /init; when that fails the
 * learner sees "Kernel panic - not syncing: No working init found" and
 * little else. initramfs_check() replays what the kernel will do with a
 * parsed archive (initramfs.h) and says, one line per problem in plain
 * words, what it would trip over and how to fix it.
 *
 * Pure code, no state; the archive is only read.
 */
#ifndef LAB_INITCHECK_H
#define LAB_INITCHECK_H

#include <stddef.h>

struct initramfs;

/*
 * Inspect the archive as the kernel will use it: is there a runnable /init?
 * Checks /init (following symlinks inside the archive), its execute bit,
 * that it is a 64-bit RISC-V ELF (or a script whose interpreter is in the
 * archive), and that it is static or its loader is in the archive; then
 * the same for every other ELF in the archive, and that every folder comes
 * before what it holds. extra_required lists names (NULL-terminated, may
 * be NULL) that must be present, e.g. what the learner's file_list.txt
 * names.
 *
 * Returns the number of problems found (0 = fine). Each problem is one
 * line, appended to out (a NUL-terminated buffer of outlen bytes, may be
 * NULL): what is wrong and the fix, e.g.
 *   "/init is built for x86-64, not RISC-V: compile it with riscv64-linux-gnu-gcc"
 * Only whole lines are written; the count includes those that did not fit.
 */
int initramfs_check(const struct initramfs *a, const char *const *extra_required,
		    char *out, size_t outlen);

#endif
