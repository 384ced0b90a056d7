/*
 * test_initcheck.c: unit tests for engine/initcheck.c, the kernel's view
 * of /init: each problem an archive can have, and the one line that
 * explains it.
 *
 * Archives come from the engine's writer, ELF files are made by hand
 * (cpio_fixtures.h), so the tests need no tools.
 */
#include "cpio_fixtures.h"
#include "elffile.h"
#include "initcheck.h"
#include "unit.h"

static uint32_t
rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Run initramfs_check on a finished writer; out gets the problems. */
static int
check_writer(struct cpio_writer *w, const char *const *extra, char *out,
	     size_t outlen)
{
	struct initramfs a;
	int n;

	out[0] = '\0';
	if (finish_parse(w, &a) < 0)
		return -1;
	n = initramfs_check(&a, extra, out, outlen);
	initramfs_release(&a);
	return n;
}

/* ------------------------------------------------------------------ */
/* initramfs_check                                                    */
/* ------------------------------------------------------------------ */

TEST(check_good_archive)
{
	struct cpio_writer w;
	char out[1024];
	static const char *const extra[] = { "init", "/little_shell", NULL };

	good_archive(&w);
	CHECK(check_writer(&w, extra, out, sizeof out) == 0);
	CHECK_STREQ(out, "");
}

TEST(check_no_init)
{
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
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
	struct cpio_writer w;
	struct initramfs a;
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
/* Fuzz                                                               */
/* ------------------------------------------------------------------ */

TEST(fuzz_byte_flips)
{
	struct cpio_writer w;
	unsigned char *base, *c, elf[512], ld[512];
	size_t len, i, k, parsed = 0, clen;
	uint32_t seed = 0x1dea5eed;
	struct elf_info info;
	struct initramfs a;
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

int
main(void)
{
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
	return unit_summary();
}
