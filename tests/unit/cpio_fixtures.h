/*
 * cpio_fixtures.h: what the unit tests of the reader, the writer, the
 * /init inspection and the ELF reader build their inputs with: minimal ELF
 * files made byte by byte (an ELF header and one program header are all
 * the checks read), archives from the engine's own writer, and a few
 * wrappers around files and shell commands for the tests that run GNU
 * cpio, tar, gzip or a compiler when they are installed.
 *
 * static inline throughout, so that a test that uses only some of it
 * compiles without warnings.
 */
#ifndef LAB_CPIO_FIXTURES_H
#define LAB_CPIO_FIXTURES_H

#include "cpio_writer.h"
#include "initramfs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LD_RISCV "/lib/ld-linux-riscv64-lp64d.so.1"

/* Write v as a size-byte number at p, big-endian if be. */
static inline void
wr(unsigned char *p, int size, uint64_t v, int be)
{
	int i;

	for (i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/*
 * A minimal ELF file in d (at least 512 bytes): the header and one program
 * header, PT_INTERP naming interp if it is not NULL, else PT_LOAD.
 */
static inline size_t
make_elf(unsigned char *d, int is64, int be, int machine, int type,
	 const char *interp)
{
	size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, n = eh + ph;
	unsigned char *p = d + eh;

	memset(d, 0, 512);
	memcpy(d, "\177ELF", 4);
	d[4] = is64 ? 2 : 1;
	d[5] = be ? 2 : 1;
	d[6] = 1;
	wr(d + 16, 2, (uint64_t)type, be);
	wr(d + 18, 2, (uint64_t)machine, be);
	wr(d + 20, 4, 1, be);
	if (is64) {
		wr(d + 32, 8, eh, be);
		wr(d + 52, 2, eh, be);
		wr(d + 54, 2, ph, be);
		wr(d + 56, 2, 1, be);
	} else {
		wr(d + 28, 4, eh, be);
		wr(d + 40, 2, eh, be);
		wr(d + 42, 2, ph, be);
		wr(d + 44, 2, 1, be);
	}
	if (!interp) {
		wr(p, 4, 1, be);		/* PT_LOAD */
		return n;
	}
	wr(p, 4, 3, be);			/* PT_INTERP */
	wr(p + (is64 ? 8 : 4), is64 ? 8 : 4, n, be);
	wr(p + (is64 ? 32 : 16), is64 ? 8 : 4, strlen(interp) + 1, be);
	memcpy(d + n, interp, strlen(interp) + 1);
	return n + strlen(interp) + 1;
}

/* A static 64-bit RISC-V program (ET_EXEC) in d. */
static inline size_t
rv64_static(unsigned char *d)
{
	return make_elf(d, 1, 0, 243, 2, NULL);
}

/* Finish the writer and parse its archive into a; 0 or -1. */
static inline int
finish_parse(struct cpio_writer *w, struct initramfs *a)
{
	unsigned char *buf;
	size_t len;
	char err[256];

	if (cpio_writer_finish(w, &buf, &len) < 0)
		return -1;
	if (initramfs_parse(a, buf, len, err, sizeof err) < 0) {
		printf("# parse failed: %s\n", err);
		return -1;
	}
	return 0;
}

/* Parse a copy of len bytes of p; returns the result, err filled. */
static inline int
parse_copy(const void *p, size_t len, char *err, size_t errlen)
{
	struct initramfs a;
	unsigned char *buf = malloc(len ? len : 1);
	int rc;

	memcpy(buf, p, len);
	rc = initramfs_parse(&a, buf, len, err, errlen);
	initramfs_release(&a);
	return rc;
}

/* An archive with /init (a static RISC-V program) and a little shell. */
static inline void
good_archive(struct cpio_writer *w)
{
	unsigned char elf[512];
	size_t n = rv64_static(elf);

	cpio_writer_init(w);
	cpio_add_file(w, "init", 0755, elf, n);
	cpio_add_file(w, "little_shell", 0755, elf, n);
}

static inline int
have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static inline int
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Read a whole (small) file into a malloc'd buffer; NULL on failure. */
static inline unsigned char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;

	if (!f)
		return NULL;
	buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* The output of a shell command, at most outlen - 1 bytes. */
static inline int
run(const char *cmd, char *out, size_t outlen)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	if (!p)
		return -1;
	n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	return pclose(p);
}
/* A fresh temporary folder in dir (at least 64 bytes) for test name; 0 or -1. */
static inline int
tmpdir_make(char *dir, const char *name)
{
	snprintf(dir, 64, "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return -1;
	}
	return 0;
}

/* Remove what tmpdir_make() made. */
static inline void
tmpdir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

#endif
