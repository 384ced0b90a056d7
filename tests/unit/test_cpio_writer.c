/*
 * test_cpio_writer.c: unit tests for engine/cpio_writer.c.
 *
 * Each archive written is read back with the engine's reader; where GNU
 * cpio is installed, it must read our archives too (else "# skip").
 */
#include "cpio_fixtures.h"
#include "unit.h"

#include <sys/stat.h>
#include <unistd.h>

/* A temporary folder for the tests that run tools; removed at the end. */
static char tmpdir[64];

TEST(writer_round_trip)
{
	static const char *const names[] = {
		"dev", "dev/console", "dev/sda", "bin", "bin/busybox",
		"bin/sh", "init", "e0", "e1", "e2", "e3", "e4", "e5"
	};
	struct cpio_writer w;
	struct initramfs a;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
	unsigned char *buf;
	size_t len;
	struct initramfs a;
	char err[256];

	cpio_writer_init(&w);
	CHECK(cpio_add_file(&w, "", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "/", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "TRAILER!!!", 0644, "x", 1) == -1);
	CHECK(cpio_add_file(&w, "x", 0644, NULL, 1) == -1);
	CHECK(cpio_add_node(&w, "dev/x", 0600, 'p', 1, 1) == -1);
	CHECK(cpio_add_symlink(&w, "l", "") == -1);
	CHECK(cpio_add_symlink(&w, NULL, "x") == -1);
	CHECK(cpio_add_dir(&w, "TRAILER!!!", 0755) == -1);
	CHECK(w.len == 0);		/* a refused entry writes nothing */
	CHECK(cpio_add_file(&w, "empty", 0644, NULL, 0) == 0);
	CHECK(cpio_writer_finish(&w, &buf, &len) == 0);
	CHECK(initramfs_parse(&a, buf, len, err, sizeof err) == 0);
	CHECK(a.n == 1 && a.n > 0 && a.entries[0].size == 0);
	initramfs_release(&a);
	cpio_writer_init(&w);
	cpio_writer_release(&w);	/* release without finish */
	good_archive(&w);
	cpio_writer_release(&w);
}

/* ------------------------------------------------------------------ */
/* GNU cpio                                                           */
/* ------------------------------------------------------------------ */

TEST(gnu_cpio_reads_our_archives)
{
	struct cpio_writer w;
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
	got = slurp(path, &glen);
	CHECK(got != NULL && glen == n && memcmp(got, elf, n) == 0);
	free(got);
	snprintf(path, sizeof path, "%s/x/bin/odd", tmpdir);
	got = slurp(path, &glen);
	CHECK(got != NULL && glen == 5 && memcmp(got, "abcde", 5) == 0);
	free(got);
	snprintf(path, sizeof path, "%s/x/bin/sh", tmpdir);
	ll = readlink(path, link, sizeof link - 1);
	CHECK(ll == 7 && memcmp(link, "../init", 7) == 0);
	snprintf(path, sizeof path, "%s/x/empty", tmpdir);
	got = slurp(path, &glen);
	CHECK(got != NULL && glen == 0);
	free(got);
}

int
main(void)
{
	int rc;

	if (tmpdir_make(tmpdir, "test_cpio_writer") < 0)
		return 1;
	RUN(writer_round_trip);
	RUN(writer_layout_is_gen_init_cpio_like);
	RUN(writer_refuses_bad_input);
	RUN(gnu_cpio_reads_our_archives);
	rc = unit_summary();
	tmpdir_remove(tmpdir);
	return rc;
}
