/*
 * test_initramfs.c: unit tests for engine/initramfs.c, the newc reader and
 * its path walk.
 *
 * Archives are built in memory with the engine's writer, then damaged on
 * purpose; where GNU cpio, tar or gzip are installed, archives they make
 * are read too (else "# skip").
 */
#include "cpio_fixtures.h"
#include "initcheck.h"
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

/* A temporary folder for the tests that run tools; removed at the end. */
static char tmpdir[64];

/* ------------------------------------------------------------------ */
/* Parsing                                                            */
/* ------------------------------------------------------------------ */

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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
		if (cut > 0 && !strstr(err, "truncated")) {
			CHECK_CONTAINS(err, "truncated");
			break;
		}
	}
	CHECK(ok == len - trailer_end + 1);
	free(buf);
}

TEST(find_and_names)
{
	struct cpio_writer w;
	struct initramfs a;
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
	struct cpio_writer w;
	unsigned char *one, *two, *both, elf[512];
	size_t l1, l2;
	struct initramfs a;
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
	struct initramfs a;
	char err[512], path[128];
	struct cpio_writer w;
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
/* The path walk                                                        */
/* ------------------------------------------------------------------ */

/* An archive laid out like a BusyBox system, with links of every kind. */
static int
walk_archive(struct initramfs *a)
{
	struct cpio_writer w;
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char name[16], target[16];
	int i;

	cpio_writer_init(&w);
	cpio_add_dir(&w, "bin", 0755);
	cpio_add_file(&w, "bin/busybox", 0755, elf, n);
	cpio_add_symlink(&w, "bin/sh", "busybox");		/* relative */
	cpio_add_symlink(&w, "init", "/bin/sh");		/* absolute */
	cpio_add_dir(&w, "usr", 0755);
	cpio_add_dir(&w, "usr/lib", 0755);
	cpio_add_file(&w, "usr/lib/ld.so", 0755, elf, n);
	cpio_add_symlink(&w, "lib", "usr/lib");			/* a folder */
	cpio_add_symlink(&w, "usr/up", "../bin/sh");		/* .. in it */
	cpio_add_symlink(&w, "a", "b");
	cpio_add_symlink(&w, "b", "a");
	cpio_add_symlink(&w, "me", "./me");
	cpio_add_symlink(&w, "dang", "gone/x");
	/* c0 -> c1 -> ... -> c8 -> bin/busybox: 9 links from c0, 8 from c1. */
	for (i = 0; i <= 8; i++) {
		snprintf(name, sizeof name, "c%d", i);
		if (i < 8)
			snprintf(target, sizeof target, "c%d", i + 1);
		else
			snprintf(target, sizeof target, "bin/busybox");
		cpio_add_symlink(&w, name, target);
	}
	return finish_parse(&w, a);
}

TEST(resolve_follows_links_like_the_kernel)
{
	static const char *const to_busybox[] = {
		"bin/busybox", "/bin/busybox", "./bin/busybox", "bin/sh",
		"/bin/sh", "init", "/init", "bin/./sh", "bin//sh",
		"usr/lib/../../bin/sh", "/../../bin/busybox", "usr/up", "c1",
	};
	const struct cpio_entry *e, *busybox;
	struct initramfs a;
	char miss[64];
	size_t i;

	if (walk_archive(&a) < 0) {
		CHECK(!"the walk's archive parses");
		return;
	}
	busybox = initramfs_find(&a, "bin/busybox");
	CHECK(busybox != NULL);
	for (i = 0; i < sizeof to_busybox / sizeof to_busybox[0]; i++) {
		e = NULL;
		CHECK(initramfs_resolve(&a, to_busybox[i], &e, miss, sizeof miss) ==
		    INITRAMFS_FOUND);
		if (e != busybox)
			CHECK_STREQ(to_busybox[i], "leads to bin/busybox");
		CHECK_STREQ(miss, "");
	}
	/* A link to a folder, in the middle of the path. */
	CHECK(initramfs_resolve(&a, "lib/ld.so", &e, miss, sizeof miss) == INITRAMFS_FOUND);
	CHECK(e == initramfs_find(&a, "usr/lib/ld.so"));
	CHECK(initramfs_resolve(&a, "lib", &e, miss, sizeof miss) == INITRAMFS_FOUND);
	CHECK(e == initramfs_find(&a, "usr/lib"));
	/* The top folder needs no entry. */
	e = busybox;
	CHECK(initramfs_resolve(&a, "/", &e, miss, sizeof miss) == INITRAMFS_FOUND);
	CHECK(e == NULL);
	CHECK(initramfs_resolve(&a, "", &e, NULL, 0) == INITRAMFS_FOUND && e == NULL);
	CHECK(initramfs_resolve(&a, "bin/..", &e, NULL, 0) == INITRAMFS_FOUND && e == NULL);
	initramfs_release(&a);
}

TEST(resolve_explains_what_is_missing)
{
	const struct cpio_entry *e;
	struct initramfs a;
	char miss[64], tiny[4], *longpath;

	if (walk_archive(&a) < 0) {
		CHECK(!"the walk's archive parses");
		return;
	}
	e = initramfs_find(&a, "init");
	CHECK(initramfs_resolve(&a, "bin/nothing", &e, miss, sizeof miss) ==
	    INITRAMFS_MISSING);
	CHECK(e == NULL);
	CHECK_STREQ(miss, "bin/nothing");
	CHECK(initramfs_resolve(&a, "/nodir/x", &e, miss, sizeof miss) == INITRAMFS_MISSING);
	CHECK_STREQ(miss, "nodir");
	/* A file is not a folder: nothing is below it. */
	CHECK(initramfs_resolve(&a, "bin/busybox/x", &e, miss, sizeof miss) ==
	    INITRAMFS_MISSING);
	CHECK_STREQ(miss, "bin/busybox");
	CHECK(initramfs_resolve(&a, "init/", &e, miss, sizeof miss) == INITRAMFS_MISSING);
	CHECK_STREQ(miss, "bin/busybox");
	/* A dangling link names the first piece of its target that is missing. */
	CHECK(initramfs_resolve(&a, "dang", &e, miss, sizeof miss) == INITRAMFS_MISSING);
	CHECK_STREQ(miss, "gone");
	CHECK(initramfs_resolve(&a, "dang", &e, NULL, 0) == INITRAMFS_MISSING);
	CHECK(initramfs_resolve(&a, "bin/nothing", &e, tiny, sizeof tiny) ==
	    INITRAMFS_MISSING);
	CHECK_STREQ(tiny, "bin");
	/* Loops, and a chain one link too long. */
	CHECK(initramfs_resolve(&a, "a", &e, miss, sizeof miss) == INITRAMFS_LOOP);
	CHECK(e == NULL);
	CHECK(initramfs_resolve(&a, "me", &e, miss, sizeof miss) == INITRAMFS_LOOP);
	CHECK(initramfs_resolve(&a, "b/x", &e, miss, sizeof miss) == INITRAMFS_LOOP);
	CHECK(initramfs_resolve(&a, "c0", &e, miss, sizeof miss) == INITRAMFS_LOOP);
	/* Too long to walk. */
	longpath = malloc(2001);
	memset(longpath, 'x', 2000);
	longpath[2000] = '\0';
	CHECK(initramfs_resolve(&a, longpath, &e, miss, sizeof miss) == INITRAMFS_TOO_LONG);
	CHECK(e == NULL);
	free(longpath);
	initramfs_release(&a);
}

/* ------------------------------------------------------------------ */
/* GNU cpio, tar, gzip                                                */
/* ------------------------------------------------------------------ */

TEST(we_read_gnu_cpio_archives)
{
	unsigned char elf[512];
	size_t n = rv64_static(elf);
	char cmd[768], path[256], err[512], out[1024];
	const struct cpio_entry *e, *h;
	struct initramfs a;

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
	int rc;

	if (tmpdir_make(tmpdir, "test_initramfs") < 0)
		return 1;
	RUN(formats_are_named);
	RUN(crc_variant_is_accepted_and_checked);
	RUN(damaged_headers_are_explained);
	RUN(every_prefix_is_truncated_not_a_crash);
	RUN(find_and_names);
	RUN(concatenated_archives_like_the_kernel);
	RUN(load_names_the_file);
	RUN(resolve_follows_links_like_the_kernel);
	RUN(resolve_explains_what_is_missing);
	RUN(we_read_gnu_cpio_archives);
	rc = unit_summary();
	tmpdir_remove(tmpdir);
	return rc;
}
