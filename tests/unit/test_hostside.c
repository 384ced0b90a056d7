/*
 * test_hostside.c: the pure parts of a check's host side (stage 09): the
 * directives forward, sshkey and host as the parser reads them, the
 * matcher moving a thread through a host command's output (never the
 * UART's), QEMU's hostfwd on 127.0.0.1 only, and the archive that gives
 * the guest its key, read back as the kernel will read it.
 */
#include "check.h"
#include "hoststep.h"
#include "initramfs.h"
#include "match.h"
#include "qemu.h"
#include "sshkey.h"
#include "unit.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
parse(struct check *c, const char *text, char *err, size_t n)
{
	return check_parse_text(c, "t.check", text, "1a2b3c4d", err, n);
}

/* The parse fails, and its message holds want. */
static void
parse_fails(const char *text, const char *want)
{
	struct check c;
	char err[512] = "";

	CHECK(parse(&c, text, err, sizeof err) < 0);
	CHECK_CONTAINS(err, want);
}

TEST(the_directives_parse)
{
	struct check c;
	char err[256] = "";

	CHECK(parse(&c, "forward tcp 22\nsshkey /root/.ssh/authorized_keys\n"
		    "expect Not backgrounding\nhost 60 ssh -p \"$LAB_PORT\" x 'echo {nonce}'\n"
		    "line {nonce}\nexpect done\n", err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	CHECK(c.forward_port == 22);
	CHECK_STREQ(c.sshkey, "/root/.ssh/authorized_keys");
	CHECK(c.threads[0].n == 4);
	CHECK(c.threads[0].steps[0].kind == STEP_EXPECT && !c.threads[0].steps[0].host);
	CHECK(c.threads[0].steps[1].kind == STEP_HOST);
	CHECK(c.threads[0].steps[1].host_s == 60);
	CHECK_STREQ(c.threads[0].steps[1].text, "ssh -p \"$LAB_PORT\" x 'echo 1a2b3c4d'");
	CHECK(c.threads[0].steps[2].host && c.threads[0].steps[2].whole);
	CHECK(c.threads[0].steps[3].host);
	check_release(&c);
}

TEST(the_directives_say_what_is_wrong)
{
	parse_fails("forward udp 22\n", "t.check:1: forward takes 'tcp PORT'");
	parse_fails("forward tcp 0\n", "t.check:1: expected a whole number from 1 to 65535");
	parse_fails("forward tcp 22\nforward tcp 23\n", "t.check:2: 'forward' is given twice");
	parse_fails("sshkey root/.ssh/authorized_keys\n", "sshkey takes the absolute path");
	parse_fails("sshkey /root/.ssh/\n", "sshkey takes the absolute path");
	parse_fails("sshkey /root/../etc/passwd\n", "sshkey takes the absolute path");
	parse_fails("initramfs none\nsshkey /root/.ssh/authorized_keys\n",
		    "t.check:2: sshkey adds the key to the initramfs");
	parse_fails("host ssh x\n", "t.check:1: expected a whole number from 1 to 600");
	parse_fails("host 700 ssh x\n", "from 1 to 600");
	parse_fails("host 5\n", "host needs a command");
	parse_fails("host 5 true\nsend ls\n", "t.check:2: a send cannot come after a host line");
	parse_fails("host 5 true\nexpect x\nonce twice\n", "t.check:3: once is about the UART");
	parse_fails("host 5 true\nexpect x\nby dropbear\n", "t.check:3: by is about who wrote");
}

TEST(at_most_sixteen_host_lines)
{
	struct sb t;
	struct check c;
	char err[256] = "";

	sb_init(&t);
	for (int i = 0; i < CHECK_HOSTS_MAX; i++)
		sb_printf(&t, "thread t%d\nhost 1 true\n", i);
	CHECK(parse(&c, t.buf, err, sizeof err) == 0);
	check_release(&c);
	sb_puts(&t, "thread last\nhost 1 true\n");
	CHECK(parse(&c, t.buf, err, sizeof err) < 0);
	CHECK_CONTAINS(err, "at most 16 host lines");
	sb_release(&t);
}

/* The thread moves on the UART up to its host line, which is due once;
 * the lines after it move only with the command's output. */
TEST(host_lines_move_on_the_commands_output)
{
	struct check c;
	struct matcher m;
	struct strv sent = {0};
	char err[256] = "";
	size_t t, i;

	CHECK(parse(&c, "expect listening\nhost 5 ssh x\nline ok-{nonce}\nexpect bye\n"
		    "thread other\nexpect Pubkey auth\n", err, sizeof err) == 0);
	matcher_init(&m, &c);
	CHECK(!matcher_host_due(&m, &t, &i));
	/* The command's expected answer on the UART counts for nothing. */
	matcher_feed(&m, "ok-1a2b3c4d\n", 12, &sent);
	CHECK(m.pos[0] == 0);
	matcher_feed(&m, "dropbear: listening\n", 20, &sent);
	CHECK(m.pos[0] == 2);
	CHECK(matcher_host_due(&m, &t, &i) && t == 0 && i == 1);
	CHECK(!matcher_host_due(&m, &t, &i));   /* given once */
	matcher_feed(&m, "ok-1a2b3c4d\nbye\n", 16, &sent);
	CHECK(m.pos[0] == 2 && matcher_waits_host(&m, 0));
	/* A line of another step's command, then the right one. */
	matcher_host_line(&m, 0, 0, "ok-1a2b3c4d");
	CHECK(m.pos[0] == 2);
	matcher_host_line(&m, 0, 1, "xx ok-1a2b3c4d");   /* `line`: the whole line */
	CHECK(m.pos[0] == 2);
	matcher_host_line(&m, 0, 1, "ok-1a2b3c4d");
	CHECK(m.pos[0] == 3);
	CHECK_STREQ(m.seen[0][2], "ok-1a2b3c4d");
	matcher_host_line(&m, 0, 1, "bye");
	CHECK(m.pos[0] == 4 && !matcher_waits_host(&m, 0));
	CHECK(!matcher_complete(&m));
	matcher_feed(&m, "Pubkey auth succeeded\n", 22, &sent);
	CHECK(matcher_complete(&m));
	CHECK(sent.n == 0);
	matcher_release(&m);
	strv_release(&sent);
	check_release(&c);
}

TEST(the_forward_is_on_127_0_0_1_only)
{
	struct check c;
	struct qemu_opts o;
	struct strv a = {0};
	char err[256] = "";
	const char *nd = NULL;

	CHECK(parse(&c, "forward tcp 22\nexpect x\n", err, sizeof err) == 0);
	memset(&o, 0, sizeof(o));
	qemu_opts_for_check(&o, &c, "/k/Image", "/r/i.cpio", NULL, "/lab", 0);
	CHECK(o.forward_guest == 22);
	/* No host port reserved: no forward, and no network either. */
	qemu_argv(&o, &a);
	for (size_t k = 0; k + 1 < a.n; k++)
		if (!strcmp(a.v[k], "-netdev"))
			nd = a.v[k + 1];
	CHECK(nd == NULL);
	strv_release(&a);
	o.forward_host = 40123;
	qemu_argv(&o, &a);
	for (size_t k = 0; k + 1 < a.n; k++)
		if (!strcmp(a.v[k], "-netdev"))
			nd = a.v[k + 1];
	CHECK_STREQ(nd, "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:40123-:22");
	strv_release(&a);
	check_release(&c);
}

TEST(the_key_segment_is_what_sshd_wants)
{
	static const char key[] = "ssh-ed25519 AAAAC3Nza lab-runner\n";
	unsigned char *buf;
	size_t len;
	char err[256] = "";
	struct initramfs a;
	const struct cpio_entry *e;

	CHECK(sshkey_segment("/root/.ssh/authorized_keys", key, strlen(key), &buf, &len, err,
			     sizeof err) == 0);
	CHECK(len % 512 == 0);
	CHECK(initramfs_parse(&a, buf, len, err, sizeof err) == 0);
	CHECK(a.n == 3);
	CHECK_STREQ(a.entries[0].name, "root");
	CHECK(a.entries[0].mode == (S_IFDIR | 0700));
	CHECK_STREQ(a.entries[1].name, "root/.ssh");
	CHECK(a.entries[1].mode == (S_IFDIR | 0700));
	e = initramfs_find(&a, "/root/.ssh/authorized_keys");
	CHECK(e != NULL);
	if (e) {
		CHECK(e->mode == (S_IFREG | 0600));
		CHECK(e->uid == 0 && e->gid == 0);
		CHECK(e->size == strlen(key) && !memcmp(e->data, key, e->size));
	}
	initramfs_release(&a);
	CHECK(sshkey_segment("root/x", key, 1, &buf, &len, err, sizeof err) < 0);
	CHECK_CONTAINS(err, "not an absolute path");
}

/* The lines a host command printed, joined with "|". */
static void
collect(void *ctx, size_t thread, const char *line)
{
	struct sb *got = ctx;
	(void)thread;
	sb_printf(got, "%s|", line);
}

/* The process pid has ended: no such process, or a zombie waiting for its
 * new parent (the killed command's children go to PID 1) to reap it. */
static int
gone(int pid)
{
	char path[64], *stat = NULL;
	int zombie = 0;

	if (pid <= 0)
		return 0;
	for (int i = 0; i < 100 && kill(pid, 0) == 0; i++) {
		snprintf(path, sizeof path, "/proc/%d/stat", pid);
		if (read_file(path, &stat, NULL) == 0 && strchr(stat, ')'))
			zombie = strchr(stat, ')')[2] == 'Z';
		free(stat);
		stat = NULL;
		if (zombie)
			return 1;
		usleep(10000);
	}
	return kill(pid, 0) < 0;
}

/* Run command with limit seconds until it ends; its lines into got. */
static void
run_host(struct host_run *h, const char *command, int limit, struct sb *got)
{
	char err[256] = "", dir[] = "/tmp/lab-host-XXXXXX";
	struct host_env env = {40123, "/k/id_ed25519", NULL};

	CHECK(mkdtemp(dir) != NULL);
	env.run_dir = dir;
	char *log = xasprintf("%s/host-1.log", dir);
	CHECK(host_start(h, 2, 5, command, limit, &env, log, err, sizeof err) == 0);
	CHECK_STREQ(err, "");
	while (host_read(h, collect, got))
		usleep(10000);
	remove(log);
	free(log);
	rmdir(dir);
}

TEST(a_host_command_runs_with_its_environment)
{
	struct host_run h;
	struct sb got;

	sb_init(&got);
	run_host(&h, "echo \"$LAB_PORT $LAB_KEY\"; printf 'two\\nlast'; exit 3", 10, &got);
	CHECK_STREQ(got.buf, "40123 /k/id_ed25519|two|last|");
	CHECK(h.ended && h.status == 3 && !h.signo && !h.timed_out && !h.stopped);
	CHECK(h.thread == 2 && h.step == 5);
	char *last = host_last_lines(&h);
	CHECK_STREQ(last, "40123 /k/id_ed25519 | two | last");
	free(last);
	host_release(&h);
	sb_release(&got);
}

/* At its limit the command is killed with everything it started: the
 * background sleep records its PID, and is gone afterwards. */
TEST(a_host_command_is_killed_at_its_limit_with_its_group)
{
	struct host_run h;
	struct sb got;
	char *pidfile = xasprintf("/tmp/lab-host-bg.%d", (int)getpid());
	char *cmd = xasprintf("sleep 100 & echo $! > %s; echo started; sleep 100", pidfile);
	char *text = NULL;

	sb_init(&got);
	long long t0 = now_ms();
	run_host(&h, cmd, 1, &got);
	CHECK(now_ms() - t0 < 3000);
	CHECK_STREQ(got.buf, "started|");
	CHECK(h.ended && h.timed_out);
	CHECK(read_file(pidfile, &text, NULL) == 0);
	if (text)
		CHECK(gone(atoi(text)));
	free(text);
	remove(pidfile);
	free(pidfile);
	free(cmd);
	host_release(&h);
	sb_release(&got);
}

/* A command still running when the run ends is stopped, and says so. */
TEST(host_stop_kills_what_still_runs)
{
	struct host_run h;
	char err[256] = "";
	struct host_env env = {0, NULL, "/tmp"};

	CHECK(host_start(&h, 0, 0, "sleep 100", 60, &env, "/dev/null", err, sizeof err) == 0);
	CHECK(host_read(&h, NULL, NULL) == 1);
	pid_t pid = h.pid;
	host_stop(&h);
	CHECK(h.ended && h.stopped && h.signo == SIGKILL);
	CHECK(gone(pid));
	host_release(&h);
}

int
main(void)
{
	RUN(the_directives_parse);
	RUN(the_directives_say_what_is_wrong);
	RUN(at_most_sixteen_host_lines);
	RUN(host_lines_move_on_the_commands_output);
	RUN(the_forward_is_on_127_0_0_1_only);
	RUN(the_key_segment_is_what_sshd_wants);
	RUN(a_host_command_runs_with_its_environment);
	RUN(a_host_command_is_killed_at_its_limit_with_its_group);
	RUN(host_stop_kills_what_still_runs);
	return unit_summary();
}
