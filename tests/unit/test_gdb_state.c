/*
 * test_gdb_state.c: reading gdb's transcript, judging gdb facts, and the
 * progress file.
 */
#include "catalog.h"
#include "gdb.h"
#include "state.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static void
feed(struct gdb_session *g, const char *text)
{
	char *copy = strdup(text), *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		gdb_parse_line(g, l);
	free(copy);
}

TEST(parses_user_and_kernel_hits)
{
	struct gdb_session g;
	memset(&g, 0, sizeof g);
	feed(&g, "Hardware assisted breakpoint 1 at 0x10552\n"
		 "@@HIT 0 pid=1 satp=a000100000080aef comm=0xff60000001 \"init\"\n"
		 "@@KHIT 2 pid=1 satp=0 comm=0xff6 \"swapper/0\"\n"
		 "#0  panic (fmt=0x1) at kernel/panic.c:278\n"
		 "#1  0xffffffff80212930 in mount_block_root (name=0x2) at init/do_mounts.c:445\n"
		 "#2  0xffffffff80212a14 in mount_root () at init/do_mounts.c:592\n"
		 "@@END\n#9 not a frame\n"
		 "@@HIT 1 pid=-1 satp=a0 comm=?\n"
		 "x.gdb:17: Error in sourced command file:\nCannot access memory at address 0x41088\n");
	CHECK(g.nhits == 3);
	CHECK(g.hits[0].pid == 1 && g.hits[0].satp == 0xa000100000080aefull);
	CHECK_STREQ(g.hits[0].comm, "init");
	CHECK(g.hits[1].bp == 2 && g.hits[1].bt.n == 3 && g.hits[1].pid == 1);
	CHECK(g.nset == 1 && g.set[0] == 0x10552);
	CHECK_STREQ(g.hits[1].comm, "swapper/0");
	/* A process named "\n@@HIT 1 pid=1" (prctl allows it) forges nothing:
	 * gdb's output escapes the newline, and the name stays one field. */
	size_t before = g.nhits;
	feed(&g, "@@HIT 0 pid=7 satp=0 comm=0x1 \"\\n@@HIT 1 pid=1\"\n");
	CHECK(g.nhits == before + 1);
	CHECK(g.hits[before].pid == 7 && g.hits[before].bp == 0);
	CHECK_STREQ(g.hits[1].bt.v[0], "panic");
	CHECK_STREQ(g.hits[1].bt.v[1], "mount_block_root");
	CHECK_STREQ(g.hits[1].bt.v[2], "mount_root");
	CHECK(g.hits[2].pid == -1);
	CHECK_STREQ(g.error, "Cannot access memory at address 0x41088");
	g.out_fd = -1;
	gdb_release(&g);
}

/* Every breakpoint of these tests is at address 0, which gdb set. */
static const unsigned long long set0[] = {0};
#define SET set0, 1

/* A check's gdb lines, parsed, and breakpoints for them. */
static void
setup(struct check *c, struct gdb_bp *bps, const char *text)
{
	char err[256];
	CHECK(check_parse_text(c, "t", text, NULL, err, sizeof err) == 0);
	for (size_t i = 0; i < c->ngdb; i++) {
		memset(&bps[i], 0, sizeof bps[i]);
		bps[i].want = &c->gdb[i];
		bps[i].symbol = c->gdb[i].symbols;
		bps[i].kernel = !strcmp(c->gdb[i].elf, "vmlinux");
	}
}

static struct gdb_hit
hit(size_t bp, int pid, const char *comm)
{
	struct gdb_hit h;
	memset(&h, 0, sizeof h);
	h.bp = bp;
	h.pid = pid;
	snprintf(h.comm, sizeof h.comm, "%s", comm);
	return h;
}

TEST(judges_pid_and_process_conditions)
{
	struct check c;
	struct gdb_bp bps[4];
	char msg[256];
	setup(&c, bps, "gdb init main pid=1\ngdb little_shell main pid!=1\n"
		       "gdb little_shell execve pid!=main procs>=2\ngdb init fork hits=0\n");
	/* main of init in PID 1; also the same address run by the shell (pid 5,
	 * comm little_shell): that must not count against init. */
	struct gdb_hit h[] = {hit(0, 1, "init"), hit(0, 5, "little_shell"), hit(1, 5, "little_shell"),
			      hit(2, 6, "little_shell"), hit(2, 7, "little_shell"), hit(2, 8, "mkdir")};
	CHECK(gdb_judge(bps, 4, 0, h, 6, 1, SET, msg, sizeof msg) == 1);
	CHECK_CONTAINS(msg, "ran in PID 1");
	CHECK(gdb_judge(bps, 4, 1, h, 6, 1, SET, msg, sizeof msg) == 1);
	CHECK(gdb_judge(bps, 4, 2, h, 6, 1, SET, msg, sizeof msg) == 1);
	CHECK_CONTAINS(msg, "2 processes");
	CHECK(gdb_judge(bps, 4, 3, h, 6, 1, SET, msg, sizeof msg) == 1);

	/* execve in the shell itself (pid 5): a built-in run wrongly, or no fork. */
	struct gdb_hit bad[] = {hit(1, 5, "little_shell"), hit(2, 5, "little_shell"),
				hit(2, 6, "little_shell"), hit(0, 3, "init"), hit(3, 1, "init")};
	CHECK(gdb_judge(bps, 4, 2, bad, 5, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "same process as its main (PID 5)");
	CHECK(gdb_judge(bps, 4, 0, bad, 5, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "other than PID 1");
	CHECK(gdb_judge(bps, 4, 3, bad, 5, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "must not");
	/* Never reached. */
	CHECK(gdb_judge(bps, 4, 1, h, 0, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "never ran");
	/* Too few processes. */
	struct gdb_hit one[] = {hit(1, 5, "little_shell"), hit(2, 6, "little_shell")};
	CHECK(gdb_judge(bps, 4, 2, one, 2, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "expected at least 2");
	/* A symbol the program lacks. */
	bps[0].problem = "/init has no function main";
	CHECK(gdb_judge(bps, 4, 0, h, 6, 1, SET, msg, sizeof msg) == 0);
	CHECK_STREQ(msg, "/init has no function main");
	check_release(&c);
}

TEST(judges_kernel_backtraces)
{
	struct check c;
	struct gdb_bp bps[1];
	char msg[256];
	setup(&c, bps, "gdb vmlinux panic bt=mount_root,prepare_namespace\n");
	struct gdb_hit h = hit(0, -1, "");
	strv_push(&h.bt, "panic");
	strv_push(&h.bt, "mount_root");
	CHECK(gdb_judge(bps, 1, 0, &h, 1, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "not from prepare_namespace");
	strv_push(&h.bt, "prepare_namespace");
	CHECK(gdb_judge(bps, 1, 0, &h, 1, 1, SET, msg, sizeof msg) == 1);
	CHECK_CONTAINS(msg, "called from mount_root <- prepare_namespace");
	/* pid= on a kernel line: the task the kernel ran for. */
	check_release(&c);
	setup(&c, bps, "gdb vmlinux do_mount pid=1\n");
	struct gdb_hit k = hit(0, 18, "sh");
	CHECK(gdb_judge(bps, 1, 0, &k, 1, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "do_mount in the kernel ran for a process other than PID 1");
	k.pid = 1;
	CHECK(gdb_judge(bps, 1, 0, &k, 1, 1, SET, msg, sizeof msg) == 1);
	CHECK_CONTAINS(msg, "ran for PID 1");
	/* comm=: the process the kernel ran for, by name. */
	check_release(&c);
	setup(&c, bps, "gdb vmlinux packet_sendmsg comm=udhcpc\n");
	struct gdb_hit u = hit(0, 22, "udhcpc");
	CHECK(gdb_judge(bps, 1, 0, &u, 1, 1, SET, msg, sizeof msg) == 1);
	u = hit(0, 19, "sh");
	CHECK(gdb_judge(bps, 1, 0, &u, 1, 1, SET, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "ran for PID 19 (sh), not in a process running udhcpc");
	check_release(&c);
	setup(&c, bps, "gdb vmlinux do_mount pid=1\n");
	/* A breakpoint gdb did not say it set has no hits that count. */
	CHECK(gdb_judge(bps, 1, 0, &k, 1, 1, NULL, 0, msg, sizeof msg) == 0);
	CHECK_CONTAINS(msg, "gdb could not put a breakpoint on do_mount in the kernel");
	strv_release(&h.bt);
	check_release(&c);
}

TEST(state_round_trip_and_recovery)
{
	char dir[] = "/tmp/lab-state-test.XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char *path = xasprintf("%s/.lab-state", dir);
	struct state s;
	state_load(&s, path);               /* missing file: empty */
	CHECK(s.current == NULL && s.n == 0 && s.warning == NULL);
	state_set_current(&s, "02-init-and-shell");
	state_get(&s, "00-kernel-alone")->done = 1;
	state_get(&s, "01-hello-init")->hints = 2;
	state_set_verdict(&s, "01-hello-init", "FAIL");
	state_get(&s, "01-hello-init")->solution = 2;
	CHECK(state_save(&s) == 0);
	state_release(&s);

	state_load(&s, path);
	CHECK_STREQ(s.current, "02-init-and-shell");
	CHECK(state_get(&s, "00-kernel-alone")->done == 1);
	CHECK(state_get(&s, "01-hello-init")->hints == 2);
	CHECK_STREQ(state_get(&s, "01-hello-init")->verdict, "FAIL");
	CHECK(state_get(&s, "01-hello-init")->solution == 2);
	state_release(&s);

	/* A hand edit gone wrong: kept aside, the good lines still used. */
	FILE *f = fopen(path, "a");
	fputs("current ../../etc\nhints 01-hello-init lots\nverdict 00-kernel-alone MAYBE\n\x01\x02garbage\n", f);
	fclose(f);
	state_load(&s, path);
	CHECK(s.warning != NULL);
	CHECK_CONTAINS(s.warning, "4 line(s) could not be read");
	CHECK_CONTAINS(s.warning, ".broken-");
	CHECK_STREQ(s.current, "02-init-and-shell");
	CHECK(state_get(&s, "01-hello-init")->hints == 2);
	state_release(&s);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	free(path);
}

int
main(void)
{
	RUN(parses_user_and_kernel_hits);
	RUN(judges_pid_and_process_conditions);
	RUN(judges_kernel_backtraces);
	RUN(state_round_trip_and_recovery);
	return unit_summary();
}
