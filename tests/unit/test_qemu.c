/*
 * test_qemu.c: unit tests for the pure parts of engine/qemu.c: the
 * machine a check's settings make (the one function check, run and debug
 * share), the command line it becomes, and which of QEMU's own messages
 * matter.
 */
#include "check.h"
#include "qemu.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* The argument after opt in argv, or NULL. */
static const char *
after(const struct strv *a, const char *opt)
{
	for (size_t i = 0; i + 1 < a->n; i++)
		if (!strcmp(a->v[i], opt))
			return a->v[i + 1];
	return NULL;
}

static int
has(const struct strv *a, const char *word)
{
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->v[i], word))
			return 1;
	return 0;
}

TEST(a_checks_settings_become_the_machine)
{
	static const char text[] = "memory 256\nappend quiet lab={nonce}\nclock real\n"
				   "network responder\nexpect x\n";
	struct check c;
	struct qemu_opts o;
	struct strv a = {0};
	char err[256];

	CHECK(check_parse_text(&c, "t.check", text, "0123abcd", err, sizeof(err)) == 0);
	memset(&o, 0, sizeof(o));
	qemu_opts_for_check(&o, &c, "/k/Image", "/r/initramfs.cpio", NULL, "/lab", 0);
	CHECK(o.memory_mb == 256);
	CHECK_STREQ(o.append, "quiet lab=0123abcd");
	CHECK(o.real_clock == 1);
	CHECK_STREQ(o.token, "0123abcd");
	qemu_argv(&o, &a);
	CHECK_STREQ(after(&a, "-m"), "256");
	CHECK_STREQ(after(&a, "-append"), "console=ttyS0 panic=-1 quiet lab=0123abcd");
	CHECK_STREQ(after(&a, "-kernel"), "/k/Image");
	CHECK_STREQ(after(&a, "-initrd"), "/r/initramfs.cpio");
	CHECK(!has(&a, "-icount"));
	CHECK(after(&a, "-netdev") && strstr(after(&a, "-netdev"), "/lab/tools/responder.sh 0123abcd"));
	CHECK(!strstr(after(&a, "-netdev"), "/lab/build"));
	strv_release(&a);
	/* Grading counts instructions whatever the check says. */
	qemu_opts_for_check(&o, &c, "/k/Image", NULL, NULL, "/lab", 1);
	CHECK(o.real_clock == 0);
	qemu_argv(&o, &a);
	CHECK(has(&a, "-icount"));
	CHECK(!has(&a, "-initrd"));
	CHECK(!has(&a, "-drive"));
	strv_release(&a);
	check_release(&c);
}

/* A disk is raw bytes, whatever its first bytes say: QEMU must never read it
 * as a qcow2 that names a backing file of the host. */
TEST(a_disk_is_attached_raw)
{
	struct check c;
	struct qemu_opts o;
	struct strv a = {0};
	char err[256];

	CHECK(check_parse_text(&c, "t.check", "disk root.img\nexpect x\n", "00000000", err,
			       sizeof(err)) == 0);
	memset(&o, 0, sizeof(o));
	qemu_opts_for_check(&o, &c, "/k/Image", NULL, "/run,1/src/root.img", "/lab", 0);
	qemu_argv(&o, &a);
	CHECK_STREQ(after(&a, "-drive"), "file=/run,,1/src/root.img,if=none,format=raw,id=vda");
	CHECK_STREQ(after(&a, "-device"), "virtio-blk-device,drive=vda");
	strv_release(&a);
	check_release(&c);
	CHECK(check_parse_text(&c, "t.check", "disk root.img readonly\nexpect x\n", "00000000",
			       err, sizeof(err)) == 0);
	qemu_opts_for_check(&o, &c, "/k/Image", NULL, "/r/root.img", "/lab", 0);
	qemu_argv(&o, &a);
	CHECK(strstr(after(&a, "-drive"), ",format=raw,") && strstr(after(&a, "-drive"), ",readonly=on"));
	strv_release(&a);
	check_release(&c);
}

/* serve DIR: the responder gets the lab's folder as its third word. */
TEST(the_responder_serves_the_checks_folder)
{
	struct check c;
	struct qemu_opts o;
	struct strv a = {0};
	char err[256];

	CHECK(check_parse_text(&c, "t.check", "network responder\nserve build/packages\nexpect x\n",
			       "0123abcd", err, sizeof(err)) == 0);
	memset(&o, 0, sizeof(o));
	qemu_opts_for_check(&o, &c, "/k/Image", NULL, NULL, "/lab", 0);
	o.run_dir = "/run";
	qemu_argv(&o, &a);
	CHECK(strstr(after(&a, "-netdev"), "-cmd:/lab/tools/responder.sh 0123abcd /run /lab/build/packages"));
	strv_release(&a);
	check_release(&c);
	CHECK(check_parse_text(&c, "t.check", "serve build/packages\n", NULL, err, sizeof(err)) < 0);
	CHECK(strstr(err, "serve needs 'network responder'") != NULL);
	CHECK(check_parse_text(&c, "t.check", "network responder\nserve ../etc\n", NULL, err,
			       sizeof(err)) < 0);
}

TEST(defaults_and_the_debug_console)
{
	struct check c;
	struct qemu_opts o;
	struct strv a = {0};
	char err[256];

	CHECK(check_parse_text(&c, "t.check", "expect x\n", "00000000", err, sizeof(err)) == 0);
	memset(&o, 0, sizeof(o));
	qemu_opts_for_check(&o, &c, "/k/Image", NULL, NULL, "/lab", 0);
	CHECK(o.memory_mb == 128);
	CHECK(!o.append && !o.token && !o.real_clock);
	o.serial_file = "/run/uart.log";
	o.console = "/run/console.sock";
	qemu_argv(&o, &a);
	CHECK_STREQ(after(&a, "-append"), "console=ttyS0 panic=-1");
	CHECK_STREQ(after(&a, "-chardev"),
		    "socket,id=uart0,path=/run/console.sock,server=on,wait=off,logfile=/run/uart.log");
	CHECK_STREQ(after(&a, "-serial"), "chardev:uart0");
	CHECK(!has(&a, "-nographic"));
	strv_release(&a);
	check_release(&c);
}

TEST(which_of_qemus_messages_matter)
{
	CHECK(!qemu_line_matters("qemu-system-riscv64: warning: icount sleep disabled and no "
				 "active timers"));
	CHECK(!qemu_line_matters("qemu-system-riscv64: terminating on signal 15 from pid 42 "
				 "(lab-runner)"));
	CHECK(!qemu_line_matters("qemu-system-riscv64: QEMU: Terminated via GDBstub"));
	CHECK(!qemu_line_matters(""));
	CHECK(qemu_line_matters("qemu-system-riscv64: Some ROM regions are overlapping"));
	CHECK(qemu_line_matters("  /tmp/big.cpio (addresses 0x84200000 - 0x90a00000)"));
	CHECK(qemu_line_matters("qemu-system-riscv64: -initrd x: could not load initrd"));
}

int
main(void)
{
	RUN(a_checks_settings_become_the_machine);
	RUN(defaults_and_the_debug_console);
	RUN(a_disk_is_attached_raw);
	RUN(the_responder_serves_the_checks_folder);
	RUN(which_of_qemus_messages_matter);
	return unit_summary();
}
