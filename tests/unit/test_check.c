/*
 * test_check.c: the check-file parser (its directives, their errors, the
 * title a listing reads) and the UART matcher.
 */
#include "check.h"
#include "diagnose.h"
#include "match.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static int
parse(struct check *c, const char *text, char *err, size_t n)
{
	return check_parse_text(c, "t.check", text, "1a2b3c4d", err, n);
}

TEST(parses_settings_and_defaults)
{
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "title  Hello, init\nkernel defconfig\ninitramfs none\n"
		    "timeout 7\npoints 3\nmemory 256\nnetwork responder\nappend quiet x={nonce}\n"
		    "exit 0\n", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	CHECK_STREQ(c.title, "Hello, init");
	CHECK(c.kernel == KERNEL_DEFCONFIG);
	CHECK(c.build == 0);
	CHECK(c.timeout_s == 7 && c.points == 3 && c.memory_mb == 256 && c.network == 1);
	CHECK_STREQ(c.append, "quiet x=1a2b3c4d");
	CHECK(c.exit_status == 0);
	check_release(&c);

	CHECK(parse(&c, "# only a comment\n\n", err, sizeof err) == 0);
	CHECK(c.kernel == KERNEL_LAB && c.build == 1 && c.timeout_s == 30 && c.exit_status == -1);
	CHECK_STREQ(c.title, "t.check");
	check_release(&c);
}

TEST(errors_name_file_and_line)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "title x\n\nexpekt hello\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "t.check:3:");
	CHECK_CONTAINS(err, "unknown directive 'expekt'");
	CHECK(parse(&c, "timeout 0\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "t.check:1: expected a whole number from 1 to 600");
	CHECK(parse(&c, "timeout 5\ntimeout 6\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "given twice");
	CHECK(parse(&c, "kernel mine\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "t.check:1: kernel is lab, defconfig or learner, not 'mine'");
	CHECK(parse(&c, "initramfs x\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "initramfs is build or none, not 'x'");
	CHECK(parse(&c, "network x\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "network is none or responder, not 'x'");
	CHECK(parse(&c, "clock x\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "clock is warp or real, not 'x'");
	CHECK(parse(&c, "grading x\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "grading is compile or make, not 'x'");
	CHECK(parse(&c, "clock real\nclock warp\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "'clock' is given twice");
	CHECK(parse(&c, "expect /a(/\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "bad regular expression");
	/* Found by the fuzzer (leaks): */
	CHECK(parse(&c, "gdb init main bt=a bt=b\ngdb init main pid!=main pid!=main\n", err, sizeof err) == 0);
	check_release(&c);
	CHECK(parse(&c, "prompt //\n", err, sizeof err) < 0);
	CHECK(parse(&c, "answer f k //\n", err, sizeof err) < 0);
	CHECK(parse(&c, "expect //\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "empty pattern");
	/* Also from the fuzzer: regcomp() would take gigabytes, or forever. */
	CHECK(parse(&c, "expect /a++++++++++++++++++++++++++++++/\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "t.check:1: regular expression /a+");
	CHECK(parse(&c, "expect /(()*)?(()*)?(()*)?(()*)?(()*)?(()*)?(()*)?(()*)?(()*)?(()*)?/\n", err, sizeof err) < 0);

	CHECK(parse(&c, "expect\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "needs a value");
	CHECK(parse(&c, "prompt \"abc\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "must end with \"");
	CHECK(parse(&c, "gdb init\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "at least an ELF and a symbol");
	CHECK(parse(&c, "gdb init main pid=2\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "unknown gdb condition 'pid=2'");
	CHECK(parse(&c, "gdb sh execve pid!=main\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "add a line 'gdb sh main'");
	CHECK(parse(&c, "sources ../etc/passwd\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "file names inside the stage folder");
	CHECK(parse(&c, "compile init\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "OUTPUT: SOURCE");
}

TEST(parses_threads_gdb_answers)
{
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "prompt \"$ \"\nsend ls\nexpect /^b[a-z]n$/\n"
		    "thread init\nexpect tick 1\nanywhere A\nreject Kernel panic\n"
		    "gdb init main pid=1\ngdb sh main|main.main\ngdb sh execve pid!=main|main.main procs>=5\n"
		    "gdb vmlinux panic bt=mount_root,prepare_namespace\n"
		    "answer answers.txt \"UART address\" /^0x[0-9a-f]+$/\nanswer a.txt machine model\n"
		    "sources init.c sh.c\ncompile init: init.c\ncompile bin/sh: sh.c lib.c\n",
		    err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	CHECK(c.nthreads == 2);
	CHECK(c.threads[0].n == 2 && c.threads[0].steps[0].kind == STEP_SEND);
	CHECK_STREQ(c.threads[0].steps[0].text, "ls");
	CHECK_STREQ(c.threads[0].steps[0].prompt->text, "$ ");
	CHECK(c.threads[0].steps[1].pat.is_regex);
	CHECK_STREQ(c.threads[1].name, "init");
	CHECK(c.nanywhere == 1 && c.nreject == 1 && c.ngdb == 4);
	CHECK(c.gdb[0].pid_is_1);
	CHECK_STREQ(c.gdb[2].pid_not_sym, "main|main.main");
	CHECK(c.gdb[2].procs_min == 5);
	CHECK_STREQ(c.gdb[3].bt[1], "prepare_namespace");
	CHECK(c.nanswers == 2);
	CHECK_STREQ(c.answers[0].key, "UART address");
	CHECK(c.answers[0].re != NULL);
	CHECK_STREQ(c.answers[1].key, "machine model");
	CHECK(c.answers[1].re == NULL);
	CHECK_STREQ(c.sources[1], "sh.c");
	CHECK(c.ncompile == 2);
	CHECK_STREQ(c.compile[1].output, "bin/sh");
	CHECK_STREQ(c.compile[1].sources[1], "lib.c");
	check_release(&c);
	CHECK(parse(&c, "answer a.txt \"panic\" /^(Kernel: )?VFS: x y/\nanswer a.txt two words /a b/\n",
		    err, sizeof err) == 0);
	CHECK_STREQ(c.answers[0].key, "panic");
	CHECK_STREQ(c.answers[0].re->text, "^(Kernel: )?VFS: x y");
	CHECK_STREQ(c.answers[1].key, "two words");
	CHECK_STREQ(c.answers[1].re->text, "a b");
	check_release(&c);
}

TEST(parses_compare_and_explain)
{
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "kernel learner\ncompare defconfig boots=5 smaller\n"
		    "expect Run /init\nexplain no /init: read the panic\n"
		    "reject usbcore:\nexplain USB is still in\nanywhere x\n", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	CHECK(c.kernel == KERNEL_LEARNER);
	CHECK_STREQ(c.compare, "defconfig");
	CHECK(c.compare_boots == 5 && c.compare_smaller == 1);
	CHECK_STREQ(c.threads[0].steps[0].pat.why, "no /init: read the panic");
	CHECK_STREQ(c.reject[0].why, "USB is still in");
	CHECK(c.anywhere[0].why == NULL);
	check_release(&c);

	CHECK(parse(&c, "compare lab\n", err, sizeof err) == 0);
	CHECK(c.compare_boots == 3 && c.compare_smaller == 0);
	check_release(&c);
	CHECK(parse(&c, "compare mine\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "compare names a kernel of the lab");
	CHECK(parse(&c, "compare lab boots=99\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "from 1 to 15");
	CHECK(parse(&c, "compare lab faster\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "compare takes boots=N, smaller and initrd=FILE");
	CHECK(parse(&c, "compare lab initrd=initramfs.cpio\n", err, sizeof err) == 0);
	CHECK_STREQ(c.compare_initrd, "initramfs.cpio");
	check_release(&c);
	CHECK(parse(&c, "compare lab initrd=../x.cpio\n", err, sizeof err) < 0);
	/* explain belongs to the line just before it, which must be a pattern. */
	CHECK(parse(&c, "title x\nexplain why\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "t.check:2: explain comes right after");
	CHECK(parse(&c, "expect a\nsend b\nexplain why\n", err, sizeof err) < 0);
	CHECK(parse(&c, "expect a\nexplain one\nexplain two\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "explained already");
	/* Across a new thread, the index still finds the right step. */
	CHECK(parse(&c, "expect a\nthread t\nexpect b\nexplain b's why\n", err, sizeof err) == 0);
	CHECK_STREQ(c.threads[1].steps[0].pat.why, "b's why");
	CHECK(c.threads[0].steps[0].pat.why == NULL);
	check_release(&c);
}

/* A disk, files read back from it, the built-in advice switched off, and
 * gdb on a program of the build folder. */
TEST(parses_disk_ondisk_diagnose)
{
	struct check c;
	char err[256];

	CHECK(parse(&c, "expect x\n", err, sizeof err) == 0);
	CHECK(c.disk == NULL && !c.no_diagnose && !check_runs_make(&c) == 0);
	check_release(&c);
	CHECK(parse(&c, "initramfs none\ndisk img/root.img readonly\nondisk /root/proof {nonce}\n"
		    "explain the write never reached the disk\ndiagnose none\n"
		    "gdb ./rootfs/sbin/init main pid=1\n", err, sizeof err) == 0);
	CHECK_STREQ(c.disk, "img/root.img");
	CHECK(c.disk_readonly && c.no_diagnose && !c.build && check_runs_make(&c));
	CHECK(c.nondisk == 1);
	CHECK_STREQ(c.ondisk[0].path, "/root/proof");
	CHECK_STREQ(c.ondisk[0].pat.text, c.nonce);
	CHECK_STREQ(c.ondisk[0].pat.why, "the write never reached the disk");
	CHECK(gdb_elf_in_build(&c.gdb[0]));
	CHECK_STREQ(c.gdb[0].elf, "./rootfs/sbin/init");
	check_release(&c);
	/* A learner's kernel with no archive still runs make. */
	CHECK(parse(&c, "kernel learner\ninitramfs none\n", err, sizeof err) == 0);
	CHECK(check_runs_make(&c));
	check_release(&c);
	CHECK(parse(&c, "disk ../etc/shadow\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "without '..'");
	CHECK(parse(&c, "disk /etc/shadow\n", err, sizeof err) < 0);
	CHECK(parse(&c, "disk root.img rw\n", err, sizeof err) < 0);
	CHECK(parse(&c, "ondisk /x y\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "a 'disk FILE' line comes first");
	CHECK(parse(&c, "disk r.img\nondisk x y\n", err, sizeof err) < 0);
	CHECK(parse(&c, "disk r.img\nondisk /x\n", err, sizeof err) < 0);
	CHECK(parse(&c, "disk r.img\nondisk /a/../b y\n", err, sizeof err) < 0);
	CHECK(parse(&c, "gdb ./../init main\n", err, sizeof err) < 0);
	CHECK(parse(&c, "diagnose some\n", err, sizeof err) < 0);
	CHECK(parse(&c, "disk a.img\ndisk b.img\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "given twice");
}

TEST(quotes_and_nonce)
{
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "send \"  a \\\"b\\\" \\\\ {nonce}\"\nexpect   spaced out   \n", err, sizeof err) == 0);
	CHECK_STREQ(c.threads[0].steps[0].text, "  a \"b\" \\ 1a2b3c4d");
	CHECK_STREQ(c.threads[0].steps[1].pat.text, "spaced out");
	check_release(&c);
}

TEST(settings_once_patterns_many_times)
{
	/* Each setting may be given once; the second gets the same message. */
	static const char *const settings[] = {
		"title x", "kernel lab", "initramfs none", "timeout 5", "points 1", "memory 64",
		"network none", "append quiet", "exit 0", "sources a.c", "clock warp",
		"compare lab", "grading make",
	};
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		struct check c;
		char err[256] = "", text[128], name[64];
		snprintf(text, sizeof text, "%s\n%s\n", settings[i], settings[i]);
		CHECK(parse(&c, text, err, sizeof err) < 0);
		snprintf(name, sizeof name, "t.check:2: '%.*s' is given twice",
			 (int)strcspn(settings[i], " "), settings[i]);
		CHECK_STREQ(err, name);
		/* Once is fine. */
		snprintf(text, sizeof text, "%s\n", settings[i]);
		CHECK(parse(&c, text, err, sizeof err) == 0);
		check_release(&c);
	}
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "expect a\nexpect a\nanywhere b\nanywhere b\nreject c\nreject c\n"
		    "prompt $\nprompt $\nsend x\nsend x\nanswer f k\nanswer f k\n"
		    "compile a: a.c\ncompile a: a.c\ngdb init main\ngdb init main\n", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	check_release(&c);
}

TEST(numbers_are_whole_and_in_range)
{
	struct check c;
	char err[256];
	const char *bad[] = {"timeout 5x\n", "timeout +5\n", "timeout \" 5\"\n", "timeout 601\n",
			     "timeout 99999999999999999999\n", "exit -1\n", "memory 31\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK(parse(&c, bad[i], err, sizeof err) < 0);
		CHECK_CONTAINS(err, "t.check:1: expected a whole number from ");
	}
	CHECK_CONTAINS(err, "from 32 to 4096, not '31'");
	CHECK(parse(&c, "timeout \"600\"\nexit 255\nmemory 4096\npoints 0\n", err, sizeof err) == 0);
	CHECK(c.timeout_s == 600 && c.exit_status == 255 && c.memory_mb == 4096 && c.points == 0);
	check_release(&c);
	CHECK(parse(&c, "gdb init main procs>=x\n", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "from 0 to 10000, not 'x'");
}

TEST(quoted_title_is_unquoted)
{
	struct check c;
	char err[256] = "";
	CHECK(parse(&c, "title \"The kernel alone\"\n", err, sizeof err) == 0);
	CHECK_STREQ(c.title, "The kernel alone");
	check_release(&c);
}

/* Write text to a temporary check file; its path is in path. */
static void
temp_check(char *path, const char *text)
{
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
}

TEST(reads_the_title_as_the_parser_does)
{
	static const struct {
		const char *text, *title;
	} ok[] = {
		{"title \"The kernel alone\"\n", "The kernel alone"},
		{"# title not this\n\n  title\t  Hello, init  \r\nexpect x\n", "Hello, init"},
		{"title \"a \\\"b\\\" {nonce}\"\n", "a \"b\" 00000000"},
		{"expekt x\ntitle Despite a wrong line before\n", "Despite a wrong line before"},
		{"title first\ntitle second\n", "first"},
		{"titles x\nexpect title x\n", NULL},
		{"", NULL},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char path[] = "/tmp/lab-title-test.XXXXXX", err[256] = "", *title = NULL;
		temp_check(path, ok[i].text);
		CHECK(check_read_title(path, &title, err, sizeof err) == 0);
		CHECK_STREQ(err, "");
		if (ok[i].title)
			CHECK_STREQ(title, ok[i].title);
		else
			CHECK(title == NULL);
		/* Where the whole file parses, the parser says the same. */
		struct check c;
		if (title && check_parse(&c, path, NULL, err, sizeof err) == 0) {
			CHECK_STREQ(c.title, title);
			check_release(&c);
		}
		free(title);
		unlink(path);
	}

	char path[] = "/tmp/lab-title-test.XXXXXX", err[256] = "", *title = NULL;
	temp_check(path, "# x\ntitle \"not closed\n");
	CHECK(check_read_title(path, &title, err, sizeof err) < 0);
	CHECK(title == NULL);
	CHECK_CONTAINS(err, ":2: a quoted value must end with \"");
	CHECK_CONTAINS(err, path);
	unlink(path);
	CHECK(check_read_title(path, &title, err, sizeof err) < 0);
	CHECK(title == NULL);
	CHECK_CONTAINS(err, "cannot read check file ");
	CHECK_CONTAINS(err, ": No such file or directory");

	char path2[] = "/tmp/lab-title-test.XXXXXX";
	temp_check(path2, "title \"\"\n");
	CHECK(check_read_title(path2, &title, err, sizeof err) < 0);
	CHECK_CONTAINS(err, ":1: 'title' needs a value");
	unlink(path2);
}

/* Feed text in chunks of every size: the result must not depend on how
 * the output was cut into reads. */
static void
feed_chunks(struct matcher *m, const char *text, size_t chunk, struct strv *sent)
{
	size_t n = strlen(text);
	for (size_t i = 0; i < n; i += chunk)
		matcher_feed(m, text + i, i + chunk <= n ? chunk : n - i, sent);
}

TEST(matcher_orders_expects_within_a_thread)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "expect one\nexpect two\n", err, sizeof err) == 0);
	for (size_t chunk = 1; chunk < 12; chunk++) {
		struct matcher m;
		matcher_init(&m, &c);
		feed_chunks(&m, "two\r\none\r\n", chunk, NULL);
		CHECK(!matcher_complete(&m));   /* two came before one */
		feed_chunks(&m, "x two y\n", chunk, NULL);
		CHECK(matcher_complete(&m));
		CHECK_STREQ(m.seen[0][1], "x two y");
		matcher_release(&m);
	}
	check_release(&c);
}

TEST(matcher_same_line_order_and_columns)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "expect a\nexpect a\nexpect b\n", err, sizeof err) == 0);
	struct matcher m;
	matcher_init(&m, &c);
	matcher_feed(&m, "ba", 2, NULL);
	CHECK(m.pos[0] == 1);   /* one "a"; the "b" before it does not count */
	matcher_feed(&m, "a b\n", 4, NULL);
	CHECK(matcher_complete(&m));
	matcher_release(&m);
	check_release(&c);
}

TEST(matcher_types_only_after_a_new_prompt)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "prompt \"Enter your command: \"\nsend mkdir hello\n"
		    "expect Your command is: mkdir hello\nsend ls\nexpect Your command is: ls\n",
		    err, sizeof err) == 0);
	for (size_t chunk = 1; chunk < 30; chunk += 3) {
		struct matcher m;
		struct strv sent = {0};
		matcher_init(&m, &c);
		feed_chunks(&m, "Hello\nEnter your comm", chunk, &sent);
		CHECK(sent.n == 0);
		feed_chunks(&m, "and: ", chunk, &sent);
		CHECK(sent.n == 1);
		CHECK_STREQ(sent.v[0], "mkdir hello");
		/* The echo and the answer: no new prompt yet, so nothing typed. */
		feed_chunks(&m, "mkdir hello\nYour command is: mkdir hello\n", chunk, &sent);
		CHECK(sent.n == 1);
		feed_chunks(&m, "Enter your command: ", chunk, &sent);
		CHECK(sent.n == 2);
		CHECK_STREQ(sent.v[1], "ls");
		feed_chunks(&m, "ls\nYour command is: ls\n", chunk, &sent);
		CHECK(matcher_complete(&m));
		strv_release(&sent);
		matcher_release(&m);
	}
	check_release(&c);
}

TEST(matcher_threads_are_independent)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "prompt \"> \"\nsend a\nexpect got a\nthread init\nexpect tick 1\n"
		    "expect tick 2\nexpect tick 3\n", err, sizeof err) == 0);
	struct matcher m;
	struct strv sent = {0};
	matcher_init(&m, &c);
	const char *out = "tick 1\ntick 2\n> tick 3\na\ngot a\n";
	matcher_feed(&m, out, strlen(out), &sent);
	CHECK(matcher_complete(&m));
	CHECK(sent.n == 1);
	strv_release(&sent);
	matcher_release(&m);
	check_release(&c);
}

TEST(matcher_anywhere_reject_panic_and_tail)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "anywhere /init! [0-9]+/\nreject Kernel panic\nexpect never\n", err, sizeof err) == 0);
	struct matcher m;
	matcher_init(&m, &c);
	for (int i = 0; i < 50; i++) {
		char l[32];
		int n = snprintf(l, sizeof l, "line %d\n", i);
		matcher_feed(&m, l, (size_t)n, NULL);
	}
	CHECK(m.reject_hit < 0 && !m.anywhere_seen[0]);
	const char *p = "init! 3\n[ 0.1] Kernel panic - not syncing: x\npartial";
	matcher_feed(&m, p, strlen(p), NULL);
	CHECK(m.anywhere_seen[0] != NULL);
	CHECK(m.reject_hit == 0);
	CHECK_CONTAINS(m.reject_line, "not syncing: x");
	CHECK_CONTAINS(m.panic_line, "Kernel panic");
	char *tail = matcher_last_lines(&m, 3);
	CHECK_STREQ(tail, "init! 3\n[ 0.1] Kernel panic - not syncing: x\npartial\n");
	free(tail);
	CHECK(!matcher_complete(&m));
	matcher_release(&m);
	check_release(&c);
}

TEST(matcher_memory_is_bounded)
{
	struct check c;
	char err[256];
	CHECK(parse(&c, "expect the end\n", err, sizeof err) == 0);
	struct matcher m;
	matcher_init(&m, &c);
	char block[8192];
	memset(block, 'x', sizeof block);
	for (int i = 0; i < 2000; i++)   /* 16 MiB without a newline */
		matcher_feed(&m, block, sizeof block, NULL);
	CHECK(m.line.len <= MATCH_LINE_MAX);
	matcher_feed(&m, "the end\n", 8, NULL);
	CHECK(matcher_complete(&m));
	CHECK(m.bytes == 2000ull * 8192 + 8);
	matcher_release(&m);
	check_release(&c);
}

TEST(diagnoses_and_exit_codes)
{
	struct diagnoses d = {0};
	char msg[256];
	diagnose_line(&d, "[    0.1] Failed to execute /init (error -8)");
	diagnose_line(&d, "[    0.1] Failed to execute /init (error -8)");
	diagnose_line(&d, "[ 0.2] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b");
	CHECK(d.n == 1);
	CHECK_CONTAINS(diagnose_text(&d, 0), "riscv64-linux-gnu-gcc");
	CHECK(d.exitcode_seen && d.exitcode == 0xb);
	diagnose_exitcode(0xb, msg, sizeof msg);
	CHECK_CONTAINS(msg, "signal 11 (SIGSEGV");
	diagnose_exitcode(0x100, msg, sizeof msg);
	CHECK_CONTAINS(msg, "status 1");
	diagnose_exitcode(0, msg, sizeof msg);
	CHECK_CONTAINS(msg, "init returned (exit status 0)");
	diagnose_exitcode(6, msg, sizeof msg);
	CHECK_CONTAINS(msg, "SIGABRT");
}

TEST(parses_the_lab_checks)
{
	/* Every check file of the lab parses (run from the top folder). */
	const char *files[] = {"checks/00-kernel-alone.check", "checks/01-hello-init.check",
			       "checks/02-init-and-shell.check", "checks/03-little-shell.check"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct check c;
		char err[512] = "";
		int rc = check_parse(&c, files[i], NULL, err, sizeof err);
		CHECK_STREQ(err, "");
		if (rc == 0)
			check_release(&c);
	}
}

int
main(void)
{
	RUN(parses_settings_and_defaults);
	RUN(errors_name_file_and_line);
	RUN(parses_threads_gdb_answers);
	RUN(parses_compare_and_explain);
	RUN(parses_disk_ondisk_diagnose);
	RUN(quotes_and_nonce);
	RUN(settings_once_patterns_many_times);
	RUN(numbers_are_whole_and_in_range);
	RUN(quoted_title_is_unquoted);
	RUN(reads_the_title_as_the_parser_does);
	RUN(matcher_orders_expects_within_a_thread);
	RUN(matcher_same_line_order_and_columns);
	RUN(matcher_types_only_after_a_new_prompt);
	RUN(matcher_threads_are_independent);
	RUN(matcher_anywhere_reject_panic_and_tail);
	RUN(matcher_memory_is_bounded);
	RUN(diagnoses_and_exit_codes);
	RUN(parses_the_lab_checks);
	return unit_summary();
}
