/*
 * test_initramfs.c: unit tests for engine/initramfs.c.
 *
 * Archives are built in memory with the module's own writer, ELF files by
 * hand (an ELF header and one program header are all the checks read), so
 * the tests need no tools. Where GNU cpio, tar, gzip or the compilers are
 * installed, further tests run them for real and say "# skip" otherwise.
 *
 *	gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -g \
 *	    -fsanitize=address,undefined -Iengine engine/initramfs.c \
 *	    tests/unit/test_initramfs.c -o build/test_initramfs
 */
#include "initramfs.h"
#include "unit.h"

#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LD_RISCV "/lib/ld-linux-riscv64-lp64d.so.1"

/* A temporary folder for the tests that run tools; removed at the end. */
static char tmpdir[64];

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static void
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
static size_t
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
	if (interp == NULL) {
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
static size_t
rv64_static(unsigned char *d)
{
	return make_elf(d, 1, 0, 243, 2, NULL);
}

/* Finish the writer and parse its archive into a; 0 or -1. */
static int
finish_parse(cpio_writer_t *w, initramfs_t *a)
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
static int
parse_copy(const void *p, size_t len, char *err, size_t errlen)
{
	initramfs_t a;
	unsigned char *buf = malloc(len ? len : 1);
	int rc;

	memcpy(buf, p, len);
	rc = initramfs_parse(&a, buf, len, err, errlen);
	initramfs_release(&a);
	return rc;
}

/* An archive with /init (a static RISC-V program) and a little shell. */
static void
good_archive(cpio_writer_t *w)
{
	unsigned char elf[512];
	size_t n = rv64_static(elf);

	cpio_writer_init(w);
	cpio_add_file(w, "init", 0755, elf, n);
	cpio_add_file(w, "little_shell", 0755, elf, n);
}

/* Run initramfs_check on a finished writer; out gets the problems. */
static int
check_writer(cpio_writer_t *w, const char *const *extra, char *out,
	     size_t outlen)
{
	initramfs_t a;
	int n;

	out[0] = '\0';
	if (finish_parse(w, &a) < 0)
		return -1;
	n = initramfs_check(&a, extra, out, outlen);
	initramfs_release(&a);
	return n;
}

static int
have(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Read a whole (small) file into a malloc'd buffer; NULL on failure. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;

	if (f == NULL)
		return NULL;
	buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/* The output of a shell command, at most outlen - 1 bytes. */
static int
run(const char *cmd, char *out, size_t outlen)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	if (p == NULL)
		return -1;
	n = fread(out, 1, outlen - 1, p);
	out[n] = '\0';
	return pclose(p);
}

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* ------------------------------------------------------------------ */
/* Writer and parser                                                    */
/* ------------------------------------------------------------------ */

TEST(writer_round_trip)
{
	static const char *const names[] = {
		"dev", "dev/console", "dev/sda", "bin", "bin/busybox",
		"bin/sh", "init", "e0", "e1", "e2", "e3", "e4", "e5"
	};
	cpio_writer_t w;
	initramfs_t a;
	unsigned char elf[512];
	size_t n = rv64_static(elf), i;
	char name[8];

	cpio_writer_init(&w);
	CHECK(cpio_add_dir(&w, "/dev", 0755) == 0);
	CHECK(cpio_add_node(&w, "dev/console", 0600, 'c', 5, 1) == 0);
	CHECK(cpio_add_node(&w, "./dev/sda", 0660, 'b', 8, 0) == 0);
	CHECK(cpio_add_dir(&w, "bin", 0755) == 0);
	CHECK(cpio_add_file(&w, "bin/busybox", 0755, elf, n) == 0);
	CHECK(cpio_add_symlink(&w, "bin/sh", "busybox") == 0);
	CHECK(cpio_add_symlink(&w, "init", "/bin/sh") == 0);
	for (i = 0; i < 6; i++) {	/* every padding length */
		snprintf(name, sizeof name, "e%zu", i);
		CHECK(cpio_add_file(&w, name, 0644, "abcdef", i) == 0);
	}
	if (finish_parse(&w, &a) < 0) {
		CHECK(!"the writer's archive parses");
		return;
	}
	CHECK(a.n == sizeof names / sizeof names[0]);
	for (i = 0; i < a.n && i < sizeof names / sizeof names[0]; i++) {
		CHECK_STREQ(a.entries[i].name, names[i]);
		CHECK(a.entries[i].uid == 0 && a.entries[i].gid == 0);
	}
	if (a.n == sizeof names / sizeof names[0]) {
		CHECK(a.entries[0].mode == (S_IFDIR | 0755));
		CHECK(a.entries[1].mode == (S_IFCHR | 0600));
		CHECK(a.entries[1].devmajor == 5 && a.entries[1].devminor == 1);
		CHECK(a.entries[2].mode == (S_IFBLK | 0660));
		CHECK(a.entries[2].devmajor == 8 && a.entries[2].devminor == 0);
		CHECK(a.entries[4].mode == (S_IFREG | 0755));
		CHECK(a.entries[4].size == n);
		CHECK(memcmp(a.entries[4].data, elf, n) == 0);
		CHECK(a.entries[5].mode == (S_IFLNK | 0777));
		CHECK(a.entries[5].size == 7);
		CHECK(memcmp(a.entries[5].data, "busybox", 7) == 0);
		for (i = 0; i < 6; i++) {
			CHECK(a.entries[7 + i].size == i);
			CHECK(memcmp(a.entries[7 + i].data, "abcdef", i) == 0);
		}
	}
	CHECK(initramfs_find(&a, "/bin/sh") == &a.entries[5]);
	CHECK(initramfs_find(&a, "./dev/console") == &a.entries[1]);
	CHECK(initramfs_find(&a, "nothing") == NULL);
	initramfs_release(&a);
	initramfs_release(&a);		/* twice is harmless */
}

TEST(writer_layout_is_gen_init_cpio_like)
{
	cpio_writer_t w;
	unsigned char *b1, *b2;
	size_t l1, l2, off;

	good_archive(&w);
	CHECK(cpio_writer_finish(&w, &b1, &l1) == 0);
	good_archive(&w);
	CHECK(cpio_writer_finish(&w, &b2, &l2) == 0);
	CHECK(l1 == l2 && memcmp(b1, b2, l1) == 0);	/* reproducible */
	CHECK(l1 % 512 == 0);
	/* magic, ino 721 (0x2d1), mode 0100755, uid 0, gid 0, nlink 1 */
	CHECK(memcmp(b1, "070701" "000002D1" "000081ED" "00000000" "00000000"
	    "00000001", 46) == 0);
	/* header + "init\0" = 115, padded to 116 where the ELF starts */
	CHECK(memcmp(b1 + 116, "\177ELF", 4) == 0);
	for (off = 0; off + 10 < l1; off++)
		if (memcmp(b1 + off, "TRAILER!!!", 10) == 0)
			break;
	CHECK(off + 10 < l1 && (off - 110) % 4 == 0);
	free(b1);
	free(b2);
}

TEST(writer_refuses_bad_input)
{
	cpio_writer_t w;
	unsigned char *buf;
	size_t len;
	initramfs_t a;
	char err[256];

	cpio_writer_init(&w);
	CHECK(cpio_add_file(&w, "", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "/", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "TRAILER!!!", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "x", 0644, NULL, 1) == -1);
	CHECK(cpio_add_node(&w, "dev/x", 0600, 'p', 1, 1) == -1);
	CHECK(cpio_add_symlink(&w, "l", "") == -1);
	CHECK(cpio_add_file(&w, "empty", 0644, NULL, 0) == 0);
	CHECK(w.failed == 0);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	CHECK(initramfs_parse(&a, buf, len, err, sizeof err) == 0);
	CHECK(a.n == 1 && a.n > 0 && a.entries[0].size == 0);
	initramfs_release(&a);
	cpio_writer_init(&w);
	cpio_writer_release(&w);	/* release without finish */
	good_archive(&w);
	cpio_writer_release(&w);
}

TEST(formats_are_named)
{
	unsigned char b[600];
	char err[256];

	CHECK(parse_copy("", 0, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "empty");
	CHECK(parse_copy("\x1f\x8b\x08\x00rest", 8, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "compressed with gzip: the lab wants it "
	    "uncompressed");
	CHECK_CONTAINS(err, "cpio -o -H newc");
	CHECK(parse_copy("\xfd" "7zXZ\0\0\0", 8, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "compressed with xz");
	CHECK(parse_copy("\x28\xb5\x2f\xfd\0\0", 6, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "compressed with zstd");
	CHECK(parse_copy("BZh91AY&SY", 10, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "compressed with bzip2");

	memset(b, 0, sizeof b);
	memcpy(b, "init", 4);
	memcpy(b + 257, "ustar\0" "00", 8);
	CHECK(parse_copy(b, 512, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "this is a tar archive, not a cpio archive");

	memset(b, '0', 80);
	memcpy(b, "070707", 6);
	CHECK(parse_copy(b, 80, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "old portable format (-H odc)");
	CHECK_CONTAINS(err, "use -H newc");

	memcpy(b, "\xc7\x71\x00\x08", 4);		/* little-endian binary */
	CHECK(parse_copy(b, 80, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "old binary cpio format");
	CHECK_CONTAINS(err, "use -H newc");
	memcpy(b, "\x71\xc7\x08\x00", 4);		/* big-endian binary */
	CHECK(parse_copy(b, 80, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "old binary cpio format");

	CHECK(parse_copy("hello world\n", 12, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "not a cpio archive (it starts with \"hello "
	    "world\\n\")");
	CHECK(parse_copy("\x01\xff" "ab", 4, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "\\x01\\xffab");
	CHECK(parse_copy("\177ELF\2\1\1", 7, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "not a cpio archive");
	CHECK(parse_copy("0707", 4, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "truncated");

	/* A tiny err buffer is filled, never overrun (ASan watches). */
	{
		char *small = malloc(8);

		CHECK(parse_copy("hello", 5, small, 8) == -1);
		CHECK(strlen(small) == 7);
		free(small);
	}
	CHECK(parse_copy("hello", 5, NULL, 0) == -1);
}

TEST(crc_variant_is_accepted_and_checked)
{
	cpio_writer_t w;
	unsigned char *buf;
	size_t len;
	char err[256];
	char sum[9];
	unsigned s = 0, i;

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "\x01\x02\x03", 3);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	for (i = 0; i < 3; i++)
		s += buf[116 + i];
	snprintf(sum, sizeof sum, "%08X", s);
	buf[5] = '2';				/* 070702 */
	memcpy(buf + 102, sum, 8);		/* the check field */
	CHECK(parse_copy(buf, len, err, sizeof err) == 0);
	memcpy(buf + 102, "00000007", 8);
	CHECK(parse_copy(buf, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "checksum of init");
	free(buf);
}

TEST(damaged_headers_are_explained)
{
	cpio_writer_t w;
	unsigned char *buf, *c;
	size_t len;
	char err[256];

	good_archive(&w);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	c = malloc(len);

	memcpy(c, buf, len);
	memcpy(c + 6 + 8 * 6, "0000zz00", 8);	/* filesize */
	CHECK(parse_copy(c, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "filesize field of entry 1");
	CHECK_CONTAINS(err, "0000zz00");

	memcpy(c, buf, len);
	memcpy(c + 6 + 8 * 11, "00000000", 8);	/* namesize */
	CHECK(parse_copy(c, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "namesize 0");

	memcpy(c, buf, len);
	c[110 + 4] = 'X';			/* "initX": no NUL */
	CHECK(parse_copy(c, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "does not end in a NUL byte");

	memcpy(c, buf, len);
	memcpy(c + 6 + 8 * 6, "00100000", 8);	/* data beyond the end */
	CHECK(parse_copy(c, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "truncated");

	memcpy(c, buf, len);
	memcpy(c + 6 + 8 * 6, "00000004", 8);	/* next header misplaced */
	CHECK(parse_copy(c, len, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "entry 2");
	CHECK_CONTAINS(err, "damaged");

	free(c);
	free(buf);
}

TEST(every_prefix_is_truncated_not_a_crash)
{
	cpio_writer_t w;
	unsigned char *buf, elf[512];
	size_t len, cut, trailer_end = 0, ok = 0;
	char err[256];

	good_archive(&w);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_symlink(&w, "bin/sh", "../little_shell");
	cpio_add_file(&w, "lib/ld.so", 0755, elf,
	    make_elf(elf, 1, 0, 243, 3, NULL));
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	for (cut = 0; cut + 10 <= len; cut++)
		if (memcmp(buf + cut, "TRAILER!!!", 10) == 0)
			trailer_end = cut + 11;
	CHECK(trailer_end > 0);
	for (cut = 0; cut <= len; cut++) {
		err[0] = '\0';
		if (parse_copy(buf, cut, err, sizeof err) == 0) {
			ok++;
			CHECK(cut >= trailer_end);
			continue;
		}
		CHECK(cut < trailer_end);
		if (cut > 0 && strstr(err, "truncated") == NULL) {
			CHECK_CONTAINS(err, "truncated");
			break;
		}
	}
	CHECK(ok == len - trailer_end + 1);
	free(buf);
}

TEST(find_and_names)
{
	cpio_writer_t w;
	initramfs_t a;
	unsigned char *buf;
	size_t len;
	char err[256];

	/* cpio run as "find . | cpio" stores "." and "./init". */
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "old", 3);
	cpio_add_file(&w, "init", 0755, "new", 3);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	memcpy(buf + 110, "./", 2);	/* the name "./it", not "init" */
	CHECK(initramfs_parse(&a, buf, len, err, sizeof err) == 0);
	CHECK(a.n == 2);
	if (a.n == 2) {
		CHECK_STREQ(a.entries[0].name, "it");
		CHECK(initramfs_find(&a, "/init") == &a.entries[1]);
	}
	initramfs_release(&a);

	cpio_writer_init(&w);
	cpio_add_file(&w, "x", 0755, "", 0);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	memcpy(buf + 110, "/", 2);	/* the name "/" is the top folder */
	CHECK(initramfs_parse(&a, buf, len, err, sizeof err) == 0);
	CHECK(a.n == 1 && a.n > 0 && strcmp(a.entries[0].name, ".") == 0);
	CHECK(initramfs_find(&a, ".") != NULL);
	CHECK(initramfs_find(&a, "/") != NULL);
	CHECK(initramfs_find(&a, "init") == NULL);
	initramfs_release(&a);

	/* A name with only a NUL, and no TRAILER at all. */
	cpio_writer_init(&w);
	cpio_add_file(&w, "abc", 0644, "", 0);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	CHECK(parse_copy(buf, 112 + 4, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "without the TRAILER!!! entry");
	free(buf);
}

TEST(concatenated_archives_like_the_kernel)
{
	cpio_writer_t w;
	unsigned char *one, *two, *both, elf[512];
	size_t l1, l2;
	initramfs_t a;
	char err[256], out[512];

	cpio_writer_init(&w);
	cpio_add_dir(&w, "bin", 0755);
	CHECK(cpio_writer_finish(&w, &one, &l1) == 0);
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, rv64_static(elf));
	CHECK(cpio_writer_finish(&w, &two, &l2) == 0);
	both = malloc(l1 + l2 + 8);
	memcpy(both, one, l1);
	memcpy(both + l1, two, l2);
	memcpy(both + l1 + l2, "junk!!!", 8);	/* ignored, as by the kernel */
	CHECK(initramfs_parse(&a, both, l1 + l2 + 8, err, sizeof err) == 0);
	CHECK(a.n == 2);
	CHECK(initramfs_find(&a, "bin") != NULL);
	CHECK(initramfs_check(&a, NULL, out, sizeof out) == 0);
	initramfs_release(&a);

	/* NUL padding between entries is skipped; misaligned is not. */
	free(one);
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, rv64_static(elf));
	cpio_add_file(&w, "x", 0644, "x", 1);
	CHECK(cpio_writer_finish(&w, &one, &l1) == 0);
	for (l2 = 4; l2 < l1 && memcmp(one + l2, "070701", 6) != 0; l2 += 4)
		;
	both = malloc(l1 + 4);
	memcpy(both, one, l2);
	memset(both + l2, 0, 4);
	memcpy(both + l2 + 4, one + l2, l1 - l2);
	CHECK(parse_copy(both, l1 + 4, err, sizeof err) == 0);
	memcpy(both + l2 + 2, one + l2, l1 - l2);
	CHECK(parse_copy(both, l1 + 2, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "not at a multiple of 4");
	free(both);
	free(one);
	free(two);
}

TEST(load_names_the_file)
{
	initramfs_t a;
	char err[512], path[128];
	cpio_writer_t w;
	unsigned char *buf;
	size_t len;

	CHECK(initramfs_load(&a, "/nonexistent/initramfs.cpio", err,
	    sizeof err) == -1);
	CHECK_CONTAINS(err, "/nonexistent/initramfs.cpio");
	CHECK(initramfs_load(&a, tmpdir, err, sizeof err) == -1);
	CHECK_CONTAINS(err, tmpdir);
	snprintf(path, sizeof path, "%s/text.cpio", tmpdir);
	CHECK(write_file(path, "init\nlittle_shell\n", 18) == 0);
	CHECK(initramfs_load(&a, path, err, sizeof err) == -1);
	CHECK_CONTAINS(err, path);
	CHECK_CONTAINS(err, "not a cpio archive");
	good_archive(&w);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	snprintf(path, sizeof path, "%s/good.cpio", tmpdir);
	CHECK(write_file(path, buf, len) == 0);
	free(buf);
	CHECK(initramfs_load(&a, path, err, sizeof err) == 0);
	CHECK(a.n == 2);
	initramfs_release(&a);
}

/* ------------------------------------------------------------------ */
/* ELF                                                                  */
/* ------------------------------------------------------------------ */

TEST(elf_machines_and_interp)
{
	static const struct {
		int id;
		const char *name;
	} m[] = {
		{ 243, "RISC-V" }, { 62, "x86-64" }, { 3, "i386" },
		{ 183, "AArch64" }, { 40, "ARM" }, { 8, "MIPS" },
		{ 20, "PowerPC" }, { 21, "PowerPC64" }, { 22, "s390" },
		{ 258, "LoongArch" }, { 4242, "unknown" },
	};
	unsigned char d[512];
	struct elf_info info;
	size_t i, n;
	int is64, be;

	for (i = 0; i < sizeof m / sizeof m[0]; i++)
		for (is64 = 0; is64 < 2; is64++)
			for (be = 0; be < 2; be++) {
				n = make_elf(d, is64, be, m[i].id, 3, LD_RISCV);
				CHECK(elf_inspect(d, n, &info) == 0);
				CHECK(info.machine == m[i].id);
				CHECK(info.is_64 == is64);
				CHECK(info.is_exec && info.is_pie);
				CHECK_STREQ(info.machine_name, m[i].name);
				CHECK_STREQ(info.interp, LD_RISCV);
			}
	n = rv64_static(d);
	CHECK(elf_inspect(d, n, &info) == 0);
	CHECK(info.is_exec && !info.is_pie && info.interp[0] == '\0');

	CHECK(elf_inspect((const unsigned char *)"#! /bin/sh -e\necho", 18,
	    &info) == -1);
	CHECK_STREQ(info.script_interp, "/bin/sh");
	CHECK(elf_inspect((const unsigned char *)"#!/bin/sh\r\n", 11,
	    &info) == -1);
	CHECK_STREQ(info.script_interp, "/bin/sh\r");
	CHECK(elf_inspect((const unsigned char *)"#!", 2, &info) == -1);
	CHECK_STREQ(info.script_interp, "");
	CHECK(elf_inspect((const unsigned char *)"hello", 5, &info) == -1);
	CHECK_STREQ(info.script_interp, "");
	CHECK(elf_inspect((const unsigned char *)"", 0, &info) == -1);

	/* Headers cut short or pointing outside: ELF, but nothing read. */
	n = make_elf(d, 1, 0, 243, 3, LD_RISCV);
	for (i = 0; i < n; i++)
		CHECK(elf_inspect(d, i, &info) == (i < 4 ? -1 : 0));
	wr(d + 32, 8, 0xffffffffffffff00u, 0);	/* e_phoff */
	CHECK(elf_inspect(d, n, &info) == 0);
	CHECK(info.interp[0] == '\0');
}

/* Compile a tiny C program with a real compiler, when there is one. */
static int
compile(const char *cc, const char *flags, unsigned char **buf, size_t *len)
{
	char cmd[512], src[128], bin[128];

	snprintf(src, sizeof src, "%s/p.c", tmpdir);
	snprintf(bin, sizeof bin, "%s/p", tmpdir);
	if (write_file(src, "int main(void) { return 0; }\n", 29) < 0)
		return -1;
	snprintf(cmd, sizeof cmd, "%s %s -o %s %s 2>/dev/null", cc, flags,
	    bin, src);
	if (system(cmd) != 0)
		return -1;
	*buf = read_file(bin, len);
	return *buf ? 0 : -1;
}

TEST(elf_real_compilers)
{
	struct elf_info info;
	unsigned char *buf;
	size_t len;

	if (!have("riscv64-linux-gnu-gcc") || !have("gcc")) {
		printf("# skip: riscv64-linux-gnu-gcc or gcc not installed\n");
		return;
	}
	if (compile("riscv64-linux-gnu-gcc", "-static", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == 0);
		CHECK(info.machine == 243 && info.is_64);
		CHECK_STREQ(info.interp, "");
		free(buf);
	} else
		CHECK(!"riscv64-linux-gnu-gcc -static works");
	if (compile("riscv64-linux-gnu-gcc", "", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == 0);
		CHECK_STREQ(info.interp, LD_RISCV);
		free(buf);
	} else
		CHECK(!"riscv64-linux-gnu-gcc works");
	if (compile("gcc", "", &buf, &len) == 0) {
		CHECK(elf_inspect(buf, len, &info) == 0);
		CHECK_STREQ(info.machine_name, "x86-64");
		free(buf);
	}
}

/* ------------------------------------------------------------------ */
/* initramfs_check                                                      */
/* ------------------------------------------------------------------ */

TEST(check_good_archive)
{
	cpio_writer_t w;
	char out[1024];
	static const char *const extra[] = { "init", "/little_shell", NULL };

	good_archive(&w);
	CHECK(check_writer(&w, extra, out, sizeof out) == 0);
	CHECK_STREQ(out, "");
}

TEST(check_no_init)
{
	cpio_writer_t w;
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "little_shell", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "the archive has no /init: the kernel runs /init "
	    "first; add init to file_list.txt\n");

	cpio_writer_init(&w);
	cpio_add_file(&w, "Init", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "it has /Init");

	cpio_writer_init(&w);
	cpio_add_dir(&w, "sbin", 0755);
	cpio_add_file(&w, "sbin/init", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "only /sbin/init");
	CHECK_CONTAINS(out, "link init -> sbin/init");

	/* Packed from outside the folder: every name starts with build/. */
	cpio_writer_init(&w);
	cpio_add_dir(&w, "build", 0755);
	cpio_add_file(&w, "build/init", 0755, elf, n);
	cpio_add_file(&w, "build/little_shell", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "only /build/init");
	CHECK_CONTAINS(out, "starts with the folder build/");
	CHECK_CONTAINS(out, "run cpio from inside build");

	cpio_writer_init(&w);
	cpio_add_dir(&w, "home", 0755);
	cpio_add_dir(&w, "home/ada", 0755);
	cpio_add_dir(&w, "home/ada/lab", 0755);
	cpio_add_file(&w, "home/ada/lab/init.c", 0644, "#include", 8);
	cpio_add_dir(&w, "home/ada/lab/bin", 0755);
	cpio_add_file(&w, "home/ada/lab/bin/sh", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "starts with the folder home/ada/lab/");

	/* Only bin/...: init is simply missing, no folder story. */
	cpio_writer_init(&w);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "add init to file_list.txt");

	/* The empty archive (just a trailer). */
	cpio_writer_init(&w);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "has no /init");
}

TEST(check_init_not_executable)
{
	cpio_writer_t w;
	unsigned char elf[512];
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0644, elf, rv64_static(elf));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/init is not executable (mode 0644): chmod +x init "
	    "before packing\n");
}

TEST(check_init_wrong_machine)
{
	cpio_writer_t w;
	unsigned char elf[512];
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, make_elf(elf, 1, 0, 62, 2, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/init is built for x86-64, not RISC-V: compile it "
	    "with riscv64-linux-gnu-gcc\n");

	/* An x86-64 dynamic program: the machine is the one problem. */
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf,
	    make_elf(elf, 1, 0, 62, 3, "/lib64/ld-linux-x86-64.so.2"));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, make_elf(elf, 0, 0, 243, 2, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "rv32");
	CHECK_CONTAINS(out, "rv64");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, make_elf(elf, 1, 1, 21, 2, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "built for PowerPC64");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf,
	    make_elf(elf, 1, 0, 4242, 2, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "built for machine 4242, not RISC-V");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, make_elf(elf, 1, 0, 243, 1, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "object file (.o)");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, 30);	/* cut short */
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "damaged ELF");
}

TEST(check_init_dynamic)
{
	cpio_writer_t w;
	unsigned char elf[512], ld[512];
	size_t n = make_elf(elf, 1, 0, 243, 3, LD_RISCV);
	size_t ldn = make_elf(ld, 1, 0, 243, 3, NULL);
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/init is linked dynamically: it needs "
	    LD_RISCV ", which is not in the archive; link it with -static\n");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_dir(&w, "lib", 0755);
	cpio_add_file(&w, "lib/ld-linux-riscv64-lp64d.so.1", 0755, ld, ldn);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 0);
	CHECK_STREQ(out, "");

	/* The loader as a link, the way distributions install it. */
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_dir(&w, "usr", 0755);
	cpio_add_dir(&w, "usr/lib", 0755);
	cpio_add_file(&w, "usr/lib/ld-2.36.so", 0644, ld, ldn);
	cpio_add_symlink(&w, "lib", "usr/lib");
	cpio_add_symlink(&w, "usr/lib/ld-linux-riscv64-lp64d.so.1",
	    "ld-2.36.so");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 0);
	CHECK_STREQ(out, "");
}

TEST(check_init_script)
{
	cpio_writer_t w;
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#!/bin/sh\necho hi\n", 18);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/init is a script for /bin/sh, which is not in "
	    "the archive");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#!/bin/sh\necho hi\n", 18);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	cpio_add_symlink(&w, "bin/sh", "busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 0);
	CHECK_STREQ(out, "");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#!/bin/sh\necho hi\n", 18);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_symlink(&w, "bin/sh", "busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/bin/busybox, where that leads, is not in the "
	    "archive");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#!/bin/sh\r\necho hi\r\n", 20);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "Windows line endings");
	CHECK_CONTAINS(out, "/bin/sh\\r");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#!\n", 3);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "names no interpreter");
}

TEST(check_init_links_and_oddities)
{
	cpio_writer_t w;
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char out[1024];

	cpio_writer_init(&w);		/* BusyBox style */
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	cpio_add_symlink(&w, "init", "bin/busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 0);
	CHECK_STREQ(out, "");

	cpio_writer_init(&w);		/* the target's mode is what counts */
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0644, elf, n);
	cpio_add_symlink(&w, "init", "/bin/busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/init (a link to /bin/busybox) is not executable "
	    "(mode 0644): chmod +x bin/busybox before packing\n");

	cpio_writer_init(&w);
	cpio_add_symlink(&w, "init", "bin/busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/init is a link to bin/busybox, but /bin is not "
	    "in the archive");

	cpio_writer_init(&w);
	cpio_add_symlink(&w, "init", "a");
	cpio_add_symlink(&w, "a", "b");
	cpio_add_symlink(&w, "b", "init");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "loop");

	cpio_writer_init(&w);
	cpio_add_dir(&w, "init", 0755);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/init is a folder, not a program");

	cpio_writer_init(&w);
	cpio_add_symlink(&w, "init", "/");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "is a folder");

	cpio_writer_init(&w);
	cpio_add_node(&w, "init", 0755, 'c', 5, 1);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "special file");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "hello\n", 6);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/init is not a program (it starts with \"hello\\n\"): "
	    "pack the compiled program (from riscv64-linux-gnu-gcc) as init\n");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, "#include <stdio.h>\n", 19);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "C source code");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, NULL, 0);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/init is empty (0 bytes)");
}

TEST(check_other_programs)
{
	cpio_writer_t w;
	unsigned char elf[512], bad[512];
	size_t n = rv64_static(elf);
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_file(&w, "little_shell", 0755, bad,
	    make_elf(bad, 1, 0, 62, 3, "/lib64/ld-linux-x86-64.so.2"));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_STREQ(out, "/little_shell is built for x86-64, not RISC-V: "
	    "compile it with riscv64-linux-gnu-gcc\n");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/little_shell", 0644, bad,
	    make_elf(bad, 1, 0, 243, 3, LD_RISCV));
	cpio_add_file(&w, "notes.txt", 0644, "hello", 5);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 2);
	CHECK_CONTAINS(out, "/bin/little_shell is not executable (mode 0644)");
	CHECK_CONTAINS(out, "/bin/little_shell is linked dynamically: it needs "
	    LD_RISCV);

	/* A library need not be executable; a wrong-machine one is wrong. */
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_dir(&w, "lib", 0755);
	cpio_add_file(&w, "lib/libc.so.6", 0644, bad,
	    make_elf(bad, 1, 0, 183, 3, NULL));
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/lib/libc.so.6 is built for AArch64");
}

TEST(check_folders_before_files)
{
	cpio_writer_t w;
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char out[1024];

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	cpio_add_symlink(&w, "bin/sh", "busybox");
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "/bin/busybox will not be unpacked: its folder "
	    "/bin is not in the archive");

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	cpio_add_dir(&w, "bin", 0755);
	CHECK(check_writer(&w, NULL, out, sizeof out) == 1);
	CHECK_CONTAINS(out, "comes after it");
}

TEST(check_extra_required)
{
	cpio_writer_t w;
	char out[1024];
	static const char *const extra[] = {
		"init", "little_shell", "/bin/hello", "./etc/motd", NULL
	};

	good_archive(&w);
	CHECK(check_writer(&w, extra, out, sizeof out) == 2);
	CHECK_CONTAINS(out, "/bin/hello is missing from the archive");
	CHECK_CONTAINS(out, "/etc/motd is missing from the archive");
}

TEST(check_output_never_overflows)
{
	cpio_writer_t w;
	initramfs_t a;
	unsigned char bad[512];
	size_t n = make_elf(bad, 1, 0, 62, 2, NULL), cap;
	char *out;
	static const char *const extra[] = { "a", "b", "c", "d", NULL };
	int total;

	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0644, bad, n);
	cpio_add_file(&w, "x1", 0755, bad, n);
	cpio_add_file(&w, "x2", 0755, bad, n);
	if (finish_parse(&w, &a) < 0) {
		CHECK(!"parses");
		return;
	}
	out = malloc(4096);
	out[0] = '\0';
	total = initramfs_check(&a, extra, out, 4096);
	CHECK(total == 8);
	free(out);
	for (cap = 1; cap < 700; cap += 7) {	/* exact-size heap buffers */
		out = malloc(cap);
		out[0] = '\0';
		CHECK(initramfs_check(&a, extra, out, cap) == total);
		CHECK(strlen(out) < cap);
		CHECK(strlen(out) == 0 || out[strlen(out) - 1] == '\n');
		free(out);
	}
	CHECK(initramfs_check(&a, extra, NULL, 0) == total);
	out = malloc(4096);		/* appends after what is there */
	strcpy(out, "before\n");
	initramfs_check(&a, NULL, out, 4096);
	CHECK(strncmp(out, "before\n/init is not executable", 30) == 0);
	free(out);
	initramfs_release(&a);
}

/* ------------------------------------------------------------------ */
/* Fuzz                                                                 */
/* ------------------------------------------------------------------ */

TEST(fuzz_byte_flips)
{
	cpio_writer_t w;
	unsigned char *base, *c, elf[512], ld[512];
	size_t len, i, k, parsed = 0, clen;
	uint32_t seed = 0x1dea5eed;
	struct elf_info info;
	initramfs_t a;
	char err[256], out[512];
	int iter;

	cpio_writer_init(&w);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0755, elf,
	    make_elf(elf, 1, 0, 243, 3, LD_RISCV));
	cpio_add_symlink(&w, "bin/sh", "busybox");
	cpio_add_symlink(&w, "init", "bin/../bin/sh");
	cpio_add_file(&w, "script", 0755, "#!/bin/sh\n", 10);
	cpio_add_dir(&w, "lib", 0755);
	cpio_add_file(&w, "lib/ld-linux-riscv64-lp64d.so.1", 0755, ld,
	    make_elf(ld, 0, 1, 8, 3, "/x"));
	cpio_add_node(&w, "console", 0600, 'c', 5, 1);
	CHECK(cpio_writer_finish(&w, &base, &len) == 0);
	c = malloc(len);
	for (iter = 0; iter < 20000; iter++) {
		memcpy(c, base, len);
		clen = len;
		for (k = rnd(&seed) % 4 + 1; k > 0; k--) {
			i = rnd(&seed) % len;
			c[i] = rnd(&seed) % 3 ? (unsigned char)rnd(&seed) :
			    (unsigned char)"0123456789abcdefF/.\0"[rnd(&seed) % 20];
		}
		if (rnd(&seed) % 8 == 0)
			clen = rnd(&seed) % len;
		{
			unsigned char *buf = malloc(clen ? clen : 1);

			memcpy(buf, c, clen);
			if (initramfs_parse(&a, buf, clen, err, sizeof err) < 0) {
				CHECK(err[0] != '\0');
				continue;
			}
		}
		parsed++;
		out[0] = '\0';
		initramfs_check(&a, NULL, out, sizeof out);
		CHECK(strlen(out) < sizeof out);
		for (i = 0; i < a.n; i++) {
			elf_inspect(a.entries[i].data, a.entries[i].size,
			    &info);
			CHECK(initramfs_find(&a, a.entries[i].name) != NULL);
		}
		initramfs_release(&a);
	}
	printf("# %zu of 20000 damaged archives still parsed\n", parsed);
	/* And the ELF reader alone, on damaged headers. */
	for (iter = 0; iter < 20000; iter++) {
		clen = make_elf(elf, iter & 1, iter & 2, 243, 3, LD_RISCV);
		for (k = rnd(&seed) % 3 + 1; k > 0; k--)
			elf[rnd(&seed) % clen] = (unsigned char)rnd(&seed);
		elf_inspect(elf, rnd(&seed) % (clen + 1), &info);
		CHECK(strlen(info.interp) < sizeof info.interp);
	}
	free(c);
	free(base);
}

/* ------------------------------------------------------------------ */
/* GNU cpio, tar, gzip                                                  */
/* ------------------------------------------------------------------ */

TEST(gnu_cpio_reads_our_archives)
{
	cpio_writer_t w;
	unsigned char *buf, elf[512], *got;
	size_t len, n = rv64_static(elf), glen;
	char cmd[512], out[1024], path[256], link[64];
	ssize_t ll;

	if (!have("cpio")) {
		printf("# skip: cpio not installed\n");
		return;
	}
	cpio_writer_init(&w);
	cpio_add_file(&w, "init", 0755, elf, n);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/odd", 0644, "abcde", 5);
	cpio_add_symlink(&w, "bin/sh", "../init");
	cpio_add_file(&w, "empty", 0600, NULL, 0);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	snprintf(path, sizeof path, "%s/ours.cpio", tmpdir);
	CHECK(write_file(path, buf, len) == 0);
	free(buf);

	snprintf(cmd, sizeof cmd, "cpio -t --quiet < %s", path);
	CHECK(run(cmd, out, sizeof out) == 0);
	CHECK_STREQ(out, "init\nbin\nbin/odd\nbin/sh\nempty\n");

	snprintf(cmd, sizeof cmd, "mkdir -p %s/x && cd %s/x && "
	    "cpio -idm --quiet < %s 2>&1", tmpdir, tmpdir, path);
	CHECK(run(cmd, out, sizeof out) == 0);
	CHECK_STREQ(out, "");
	snprintf(path, sizeof path, "%s/x/init", tmpdir);
	got = read_file(path, &glen);
	CHECK(got != NULL && glen == n && memcmp(got, elf, n) == 0);
	free(got);
	snprintf(path, sizeof path, "%s/x/bin/odd", tmpdir);
	got = read_file(path, &glen);
	CHECK(got != NULL && glen == 5 && memcmp(got, "abcde", 5) == 0);
	free(got);
	snprintf(path, sizeof path, "%s/x/bin/sh", tmpdir);
	ll = readlink(path, link, sizeof link - 1);
	CHECK(ll == 7 && memcmp(link, "../init", 7) == 0);
	snprintf(path, sizeof path, "%s/x/empty", tmpdir);
	got = read_file(path, &glen);
	CHECK(got != NULL && glen == 0);
	free(got);
}

TEST(we_read_gnu_cpio_archives)
{
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char cmd[768], path[256], err[512], out[1024];
	const struct cpio_entry *e, *h;
	initramfs_t a;

	if (!have("cpio")) {
		printf("# skip: cpio not installed\n");
		return;
	}
	snprintf(cmd, sizeof cmd, "mkdir -p %s/src/bin", tmpdir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof path, "%s/src/init", tmpdir);
	CHECK(write_file(path, elf, n) == 0);
	chmod(path, 0755);
	snprintf(path, sizeof path, "%s/src/bin/busybox", tmpdir);
	CHECK(write_file(path, elf, n) == 0);
	chmod(path, 0755);
	snprintf(cmd, sizeof cmd, "cd %s/src && ln -s busybox bin/sh && "
	    "ln bin/busybox bin/hardlink && "
	    "find . | cpio -o -H newc --quiet > ../find.cpio && "
	    "find . | cpio -o -H crc --quiet > ../crc.cpio && "
	    "find . | cpio -o -H odc --quiet > ../odc.cpio && "
	    "find . | cpio -o --quiet > ../bin.cpio", tmpdir);
	CHECK(system(cmd) == 0);

	snprintf(path, sizeof path, "%s/find.cpio", tmpdir);
	CHECK(initramfs_load(&a, path, err, sizeof err) == 0);
	CHECK_STREQ(a.n ? a.entries[0].name : "", ".");
	e = initramfs_find(&a, "init");
	CHECK(e != NULL && e->size == n && memcmp(e->data, elf, n) == 0);
	CHECK(e != NULL && e->mode == (S_IFREG | 0755));
	/* Hard links: cpio puts the data on one name only. */
	e = initramfs_find(&a, "bin/busybox");
	h = initramfs_find(&a, "bin/hardlink");
	CHECK(e != NULL && h != NULL && e->size == n && h->size == n);
	e = initramfs_find(&a, "bin/sh");
	CHECK(e != NULL && S_ISLNK(e->mode));
	CHECK(initramfs_check(&a, NULL, out, sizeof out) == 0);
	initramfs_release(&a);

	snprintf(path, sizeof path, "%s/crc.cpio", tmpdir);
	CHECK(initramfs_load(&a, path, err, sizeof err) == 0);
	CHECK(initramfs_find(&a, "init") != NULL);
	initramfs_release(&a);

	snprintf(path, sizeof path, "%s/odc.cpio", tmpdir);
	CHECK(initramfs_load(&a, path, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "-H odc");
	snprintf(path, sizeof path, "%s/bin.cpio", tmpdir);
	CHECK(initramfs_load(&a, path, err, sizeof err) == -1);
	CHECK_CONTAINS(err, "old binary cpio format");

	if (have("gzip")) {
		snprintf(cmd, sizeof cmd, "gzip -c %s/find.cpio > %s/gz.cpio",
		    tmpdir, tmpdir);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof path, "%s/gz.cpio", tmpdir);
		CHECK(initramfs_load(&a, path, err, sizeof err) == -1);
		CHECK_CONTAINS(err, "compressed with gzip");
	}
	if (have("tar")) {
		snprintf(cmd, sizeof cmd, "cd %s/src && tar cf ../t.cpio init",
		    tmpdir);
		CHECK(system(cmd) == 0);
		snprintf(path, sizeof path, "%s/t.cpio", tmpdir);
		CHECK(initramfs_load(&a, path, err, sizeof err) == -1);
		CHECK_CONTAINS(err, "tar archive");
	}
}

int
main(void)
{
	char cmd[128];
	int rc;

	strcpy(tmpdir, "/tmp/test_initramfs.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(writer_round_trip);
	RUN(writer_layout_is_gen_init_cpio_like);
	RUN(writer_refuses_bad_input);
	RUN(formats_are_named);
	RUN(crc_variant_is_accepted_and_checked);
	RUN(damaged_headers_are_explained);
	RUN(every_prefix_is_truncated_not_a_crash);
	RUN(find_and_names);
	RUN(concatenated_archives_like_the_kernel);
	RUN(load_names_the_file);
	RUN(elf_machines_and_interp);
	RUN(elf_real_compilers);
	RUN(check_good_archive);
	RUN(check_no_init);
	RUN(check_init_not_executable);
	RUN(check_init_wrong_machine);
	RUN(check_init_dynamic);
	RUN(check_init_script);
	RUN(check_init_links_and_oddities);
	RUN(check_other_programs);
	RUN(check_folders_before_files);
	RUN(check_extra_required);
	RUN(check_output_never_overflows);
	RUN(fuzz_byte_flips);
	RUN(gnu_cpio_reads_our_archives);
	RUN(we_read_gnu_cpio_archives);
	rc = unit_summary();
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return rc;
}
