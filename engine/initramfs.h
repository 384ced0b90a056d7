/*
 * initramfs.h: read, inspect and write newc cpio archives (the initramfs).
 *
 * The kernel unpacks the initramfs before it runs /init; if the archive is
 * not what it expects, the learner sees a panic that says little. This module
 * looks at the archive *before* booting and explains in plain words what is
 * wrong: not newc, truncated, no /init, /init not executable, /init built for
 * another machine or linked dynamically.
 *
 * Pure code: no processes, no global state. Every function is re-entrant.
 * Ownership: an initramfs_t owns its entries and their data; free it with
 * initramfs_release(). Strings returned inside it live as long as it does.
 */
#ifndef LAB_INITRAMFS_H
#define LAB_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	char *name;            /* as stored, without a leading "./" or "/" */
	uint32_t mode;         /* st_mode: type and permission bits */
	uint32_t uid, gid;
	uint32_t devmajor, devminor;  /* for device nodes (rdev) */
	size_t size;
	const unsigned char *data;   /* points into the archive buffer */
};

typedef struct {
	unsigned char *buf;    /* the whole archive, owned */
	size_t len;
	struct cpio_entry *entries;
	size_t n;
} initramfs_t;

/*
 * Parse a newc archive held in buf (ownership of buf passes to the archive,
 * even on failure). Returns 0, or -1 with a one-line, beginner-readable
 * explanation written to err (e.g. "this is a tar archive, not a cpio
 * archive: pack it with cpio -o -H newc"). Recognises and names: tar, gzip,
 * odc (-H odc), old binary cpio, crc newc (accepted), a truncated archive,
 * a missing TRAILER!!! entry, an empty file.
 */
int initramfs_parse(initramfs_t *a, unsigned char *buf, size_t len,
		    char *err, size_t errlen);

/* Read a file and parse it; on failure err names the file. */
int initramfs_load(initramfs_t *a, const char *path, char *err, size_t errlen);

void initramfs_release(initramfs_t *a);

/* The entry named name ("init", "bin/sh"; a leading "/" or "./" is ignored), or NULL. */
const struct cpio_entry *initramfs_find(const initramfs_t *a, const char *name);

/*
 * What an ELF file is, for diagnoses. Fills *info from the first bytes of a
 * file's data. Returns 0 for an ELF file, -1 if it is not ELF (then
 * info->script_interp is set for a "#!" script, else empty).
 */
struct elf_info {
	int is_64;
	int machine;              /* e_machine, EM_RISCV is 243 */
	const char *machine_name; /* "RISC-V", "x86-64", "AArch64", ... */
	int is_exec;              /* ET_EXEC or ET_DYN */
	int is_pie;               /* ET_DYN */
	char interp[256];         /* PT_INTERP, empty for a static binary */
	char script_interp[256];  /* for "#!" scripts */
};
int elf_inspect(const unsigned char *data, size_t size, struct elf_info *info);

/*
 * Inspect the archive as the kernel will use it: is there a runnable /init?
 * Checks /init (following a symlink inside the archive), its execute bit,
 * that it is a 64-bit RISC-V ELF (or a script whose interpreter is in the
 * archive), and that it is static or its interpreter is in the archive; then
 * the same for every other ELF in the archive. extra_required lists names
 * (NULL-terminated, may be NULL) that must be present, e.g. what the
 * learner's file_list.txt names.
 *
 * Returns the number of problems found (0 = fine). Each problem is one
 * line, appended to out (a NUL-terminated buffer of outlen bytes): what is
 * wrong and the fix, e.g.
 *   "/init is built for x86-64, not RISC-V: compile it with riscv64-linux-gnu-gcc"
 */
int initramfs_check(const initramfs_t *a, const char *const *extra_required,
		    char *out, size_t outlen);

/*
 * Writing a newc archive, the way the kernel's usr/gen_init_cpio does:
 * fixed owner 0:0, fixed mtime, entries in the order added, trailer last.
 * The writer builds the archive in memory; cpio_writer_finish() appends
 * the trailer and hands out the buffer (caller frees).
 */
typedef struct {
	unsigned char *buf;
	size_t len, cap;
	uint32_t ino;
	int failed;               /* an allocation failed: finish returns -1 */
} cpio_writer_t;

void cpio_writer_init(cpio_writer_t *w);
int cpio_add_dir(cpio_writer_t *w, const char *name, uint32_t perm);
int cpio_add_file(cpio_writer_t *w, const char *name, uint32_t perm,
		  const void *data, size_t size);
int cpio_add_symlink(cpio_writer_t *w, const char *name, const char *target);
int cpio_add_node(cpio_writer_t *w, const char *name, uint32_t perm,
		  char type /* 'c' or 'b' */, uint32_t major, uint32_t minor);
int cpio_writer_finish(cpio_writer_t *w, unsigned char **buf, size_t *len);
void cpio_writer_release(cpio_writer_t *w);

#endif
