/*
 * test_proc.c: unit tests for engine/proc.c: spawn, kill_group,
 * have_program, and every way run_logged() can end. They run sh, sleep
 * and printf from the system; logs go to a temporary folder of their own.
 */
#include "clock.h"
#include "fs.h"
#include "mem.h"
#include "proc.h"
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmp[] = "/tmp/test_proc.XXXXXX";

/* How many file descriptors this process has open. */
static int
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n - 1;    /* the one opendir itself holds */
}

static char *
log_text(const char *log)
{
	char *t = NULL;
	if (read_file(log, &t, NULL) < 0)
		return xstrdup("(no log)");
	return t;
}

TEST(have_program_searches_path)
{
	CHECK(have_program("sh") == 1);
	CHECK(have_program("/bin/sh") == 1);
	CHECK(have_program("no-such-program-lab-xyz") == 0);
	CHECK(have_program("/etc/hostname-lab-none") == 0);
	CHECK(have_program("/tmp") == 0);          /* a folder is not a program */
}

TEST(spawn_pipes_the_output)
{
	char *argv[] = {"sh", "-c", "read x; echo got $x; echo err >&2", NULL};
	char err[512] = "", buf[256];
	int in = -1, out = -1, fds = open_fds();
	size_t n = 0;

	pid_t pid = spawn(argv, NULL, &in, &out, 1, err, sizeof(err));
	CHECK(pid > 0);
	CHECK(in >= 0 && out >= 0);
	CHECK(write(in, "hi\n", 3) == 3);
	close(in);
	for (;;) {
		struct pollfd p = {out, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			break;
		ssize_t r = read(out, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	CHECK_STREQ(buf, "got hi\nerr\n");
	close(out);
	int st = 0;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(open_fds() == fds);
}

TEST(spawn_fails_cleanly)
{
	char *argv[] = {"no-such-program-lab-xyz", NULL};
	char *sh[] = {"sh", "-c", "true", NULL};
	char err[512] = "";
	int in = -1, out = -1, fds = open_fds();

	CHECK(spawn(argv, NULL, &in, &out, 1, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cannot run 'no-such-program-lab-xyz'");
	CHECK_CONTAINS(err, "No such file or directory");
	CHECK(in == -1 && out == -1);
	CHECK(open_fds() == fds);            /* no pipe left open */
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);   /* no child left */

	err[0] = '\0';
	CHECK(spawn(sh, "/nonexistent-lab-folder", NULL, &out, 1, err, sizeof(err)) == -1);
	CHECK_CONTAINS(err, "cannot run 'sh' in '/nonexistent-lab-folder'");
	CHECK(open_fds() == fds);
}

/* The lowest fd number not open. */
static int
lowest_free_fd(void)
{
	int fd = dup(0);
	close(fd);
	return fd;
}

TEST(spawn_closes_its_pipes_when_one_cannot_be_made)
{
	char *argv[] = {"true", NULL};
	char err[512] = "";
	int in = -1, out = -1, fds = open_fds();
	struct rlimit old, few;

	/* Room for the first pipe only, then for two: the second pipe, then
	 * the status pipe, cannot be made. (Taken fds above the room are fine:
	 * pipe2 takes the lowest free ones.) */
	CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
	few = old;
	for (int room = 2; room <= 4; room += 2) {
		few.rlim_cur = (rlim_t)(lowest_free_fd() + room);
		CHECK(setrlimit(RLIMIT_NOFILE, &few) == 0);
		err[0] = '\0';
		pid_t pid = spawn(argv, NULL, &in, &out, 1, err, sizeof(err));
		CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
		CHECK(pid == -1);
		if (pid > 0)
			kill_group(pid);
		CHECK_CONTAINS(err, "cannot make a pipe for 'true'");
		CHECK(open_fds() == fds);
	}
}

TEST(the_child_inherits_only_what_it_should)
{
	char *argv[] = {"sleep", "5", NULL};
	char err[512] = "";
	int in = -1, out = -1, n = 0;

	pid_t pid = spawn(argv, NULL, &in, &out, 1, err, sizeof(err));
	CHECK(pid > 0);
	/* Until it has exec'd, the child still holds the close-on-exec pipe
	 * ends it was forked with: look once it runs sleep (a loaded machine
	 * may take a while to get there). */
	char *exe = xasprintf("/proc/%d/exe", (int)pid), link[256];
	for (int i = 0; i < 2000; i++) {
		ssize_t k = readlink(exe, link, sizeof(link) - 1);
		if (k > 0 && (link[k] = '\0', strstr(link, "sleep")))
			break;
		usleep(1000);
	}
	free(exe);
	char *dir = xasprintf("/proc/%d/fd", (int)pid);
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		n++;
		/* Beyond 0-2, only what we hold open for children (our
		 * caller's, not close-on-exec): the same file at the same number
		 * in the parent, inherited; no pipe end, no /dev/null of spawn's. */
		if (fd > 2) {
			char *p = xasprintf("%s/%d", dir, fd), *q = xasprintf("/proc/self/fd/%d", fd);
			char what[256] = "", mine[256] = "";
			ssize_t k = readlink(p, what, sizeof(what) - 1);
			what[k > 0 ? k : 0] = '\0';
			k = readlink(q, mine, sizeof(mine) - 1);
			mine[k > 0 ? k : 0] = '\0';
			int flags = fcntl(fd, F_GETFD);
			CHECK(flags >= 0 && !(flags & FD_CLOEXEC) && !strcmp(what, mine));
			free(p);
			free(q);
		}
	}
	if (d)
		closedir(d);
	CHECK(n >= 3);
	free(dir);
	close(in);
	close(out);
	kill_group(pid);
}

/* 1 if pid is gone, or a zombie (killed, waiting for init to reap it). */
static int
dead(int pid)
{
	char *stat = xasprintf("/proc/%d/stat", pid), *s = NULL;
	int gone = 1;

	for (int i = 0; i < 250; i++) {   /* up to 5 s: a loaded machine is slow */
		gone = 1;
		if (read_file(stat, &s, NULL) == 0) {
			char *st = strrchr(s, ')');
			gone = st && st[2] == 'Z';
			free(s);
		}
		if (gone)
			break;
		usleep(20 * 1000);
	}
	free(stat);
	return gone;
}

/* The pid a test's script wrote into file. */
static int
pid_in(const char *file)
{
	char *t = log_text(file);
	int pid = atoi(t);
	free(t);
	return pid;
}

TEST(kill_group_reaches_the_grandchildren)
{
	char *pidfile = xasprintf("%s/group.pid", tmp);
	char *script = xasprintf("sleep 30 & echo $! > %s; sleep 30", pidfile);
	char *argv[] = {"sh", "-c", script, NULL};
	char err[512] = "";

	pid_t pid = spawn(argv, NULL, NULL, NULL, 1, err, sizeof(err));
	CHECK(pid > 0);
	/* The file exists before the shell has written the pid into it. */
	int grandchild = 0;
	for (int i = 0; i < 250 && grandchild <= 0; i++) {
		usleep(20 * 1000);
		grandchild = is_file(pidfile) ? pid_in(pidfile) : 0;
	}
	CHECK(grandchild > 0);
	int st = kill_group(pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK(grandchild > 0 && dead(grandchild));
	CHECK(kill_group(0) == -1);
	free(script);
	free(pidfile);
}

TEST(run_logged_gives_the_exit_status)
{
	char *log = xasprintf("%s/exit.log", tmp);
	char *three[] = {"sh", "-c", "echo out; echo err >&2; exit 3", NULL};
	char *ok[] = {"true", NULL};
	char *pwd[] = {"pwd", NULL};

	struct run_outcome o = run_logged(three, NULL, log, 10000, -1);
	CHECK(o.how == RUN_EXITED && o.status == 3);
	CHECK(!run_succeeded(o));
	char *t = log_text(log);
	CHECK_STREQ(t, "out\nerr\n");
	free(t);

	o = run_logged(ok, NULL, log, 10000, -1);
	CHECK(o.how == RUN_EXITED && o.status == 0);
	CHECK(run_succeeded(o));

	o = run_logged(pwd, "/", log, 10000, -1);    /* in cwd */
	CHECK(run_succeeded(o));
	t = log_text(log);
	CHECK_STREQ(t, "/\n");
	free(t);
	free(log);
}

TEST(run_logged_reports_a_signal_as_128_plus)
{
	char *log = xasprintf("%s/sig.log", tmp);
	char *argv[] = {"sh", "-c", "kill -TERM $$", NULL};

	struct run_outcome o = run_logged(argv, NULL, log, 10000, -1);
	CHECK(o.how == RUN_EXITED && o.status == 128 + SIGTERM);
	free(log);
}

TEST(run_logged_times_out)
{
	char *log = xasprintf("%s/timeout.log", tmp);
	char *argv[] = {"sleep", "30", NULL};
	/* Closing its output does not let it outlast the limit either. */
	char *quiet[] = {"sh", "-c", "exec >/dev/null 2>&1; sleep 30", NULL};

	long long t0 = now_ms();
	struct run_outcome o = run_logged(argv, NULL, log, 300, -1);
	long long took = now_ms() - t0;
	CHECK(o.how == RUN_TIMED_OUT && o.status == -1);
	CHECK(took >= 300 && took < 20000);

	t0 = now_ms();
	o = run_logged(quiet, NULL, log, 300, -1);
	took = now_ms() - t0;
	CHECK(o.how == RUN_TIMED_OUT);
	CHECK(took >= 300 && took < 20000);
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);   /* reaped */
	free(log);
}

TEST(run_logged_capped_stops_a_flood)
{
	char *log = xasprintf("%s/flood.log", tmp), *text = NULL;
	char *argv[] = {"sh", "-c", "yes 'error: flood' | head -c 50000000", NULL};
	char *small[] = {"sh", "-c", "echo fine", NULL};
	size_t len = 0;

	long long t0 = now_ms();
	struct run_outcome o = run_logged_capped(argv, NULL, log, 20000, -1, 4096);
	CHECK(o.how == RUN_TOO_MUCH_OUTPUT && o.status == -1);
	CHECK(now_ms() - t0 < 10000);
	CHECK(read_file(log, &text, &len) == 0);
	CHECK(len > 4096 && len < 4096 + 200);          /* its first 4 KiB and our line */
	CHECK(strstr(text, "lab-runner: cut here: more than 4096 bytes") != NULL);
	free(text);
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);   /* reaped */

	o = run_logged_capped(small, NULL, log, 20000, -1, 4096);   /* under the cap */
	CHECK(run_succeeded(o));
	free(log);
}

TEST(run_logged_kills_what_the_child_left)
{
	char *log = xasprintf("%s/left.log", tmp);
	char *pidfile = xasprintf("%s/left.pid", tmp);
	char *script = xasprintf("sleep 30 >/dev/null 2>&1 & echo $! > %s", pidfile);
	char *argv[] = {"sh", "-c", script, NULL};

	long long t0 = now_ms();
	struct run_outcome o = run_logged(argv, NULL, log, 10000, -1);
	CHECK(run_succeeded(o));
	CHECK(now_ms() - t0 < 10000);   /* it did not wait for the 30 s sleep */
	int left = pid_in(pidfile);
	CHECK(left > 0 && dead(left));
	free(script);
	free(pidfile);
	free(log);
}

TEST(run_logged_is_interrupted_by_sigfd)
{
	char *log = xasprintf("%s/int.log", tmp);
	char *argv[] = {"sleep", "30", NULL};
	int p[2];

	/* Any readable fd stands in for the signalfd. */
	CHECK(pipe(p) == 0);
	CHECK(write(p[1], "x", 1) == 1);
	long long t0 = now_ms();
	struct run_outcome o = run_logged(argv, NULL, log, 10000, p[0]);
	CHECK(o.how == RUN_INTERRUPTED && o.status == -1);
	CHECK(now_ms() - t0 < 20000);   /* not the 30 s sleep */
	char c;
	CHECK(read(p[0], &c, 1) == 1);        /* left for the caller to read */
	close(p[0]);
	close(p[1]);
	free(log);
}

TEST(run_logged_cannot_start)
{
	char *log = xasprintf("%s/nostart.log", tmp);
	char *argv[] = {"no-such-program-lab-xyz", NULL};
	char *ok[] = {"true", NULL};
	int fds = open_fds();

	struct run_outcome o = run_logged(argv, NULL, log, 10000, -1);
	CHECK(o.how == RUN_NOT_STARTED && o.status == -1);
	char *t = log_text(log);
	CHECK_CONTAINS(t, "cannot run 'no-such-program-lab-xyz'");
	free(t);
	free(log);
	log = xasprintf("%s/no-folder/x.log", tmp);
	o = run_logged(ok, NULL, log, 10000, -1);
	CHECK(o.how == RUN_NOT_STARTED);
	CHECK(open_fds() == fds);
	free(log);
}

TEST(run_logged_echo_copies_the_prefixed_lines)
{
	char *log = xasprintf("%s/echo.log", tmp);
	char *argv[] = {"printf", "kernel: a\\nother\\nkernel: b\\nkern\\nkernel\\nkernel: c",
			NULL};
	char buf[256];
	int p[2];

	CHECK(pipe(p) == 0);
	struct run_outcome o = run_logged_echo(argv, NULL, log, 10000, -1, p[1], "kernel");
	CHECK(run_succeeded(o));
	close(p[1]);
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	/* Whole lines only: the unfinished last one is not echoed. */
	CHECK_STREQ(buf, "kernel: a\nkernel: b\nkernel\n");
	close(p[0]);
	char *t = log_text(log);
	CHECK_STREQ(t, "kernel: a\nother\nkernel: b\nkern\nkernel\nkernel: c");
	free(t);
	free(log);
}

TEST(run_logged_echo_cuts_a_long_line)
{
	char *log = xasprintf("%s/long.log", tmp);
	char *argv[] = {"sh", "-c", "printf 'x%.0s' $(seq 3000); echo; echo next", NULL};
	char buf[4096];
	int p[2];

	CHECK(pipe(p) == 0);
	struct run_outcome o = run_logged_echo(argv, NULL, log, 10000, -1, p[1], NULL);
	CHECK(run_succeeded(o));
	close(p[1]);
	size_t n = 0;
	ssize_t r;
	while ((r = read(p[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(p[0]);
	CHECK(n == 1024 + 5);
	CHECK(buf[1023] == '\n');
	CHECK_STREQ(buf + 1024, "next\n");
	free(log);
}

int
main(void)
{
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(have_program_searches_path);
	RUN(spawn_pipes_the_output);
	RUN(spawn_fails_cleanly);
	RUN(spawn_closes_its_pipes_when_one_cannot_be_made);
	RUN(the_child_inherits_only_what_it_should);
	RUN(kill_group_reaches_the_grandchildren);
	RUN(run_logged_gives_the_exit_status);
	RUN(run_logged_reports_a_signal_as_128_plus);
	RUN(run_logged_times_out);
	RUN(run_logged_capped_stops_a_flood);
	RUN(run_logged_kills_what_the_child_left);
	RUN(run_logged_is_interrupted_by_sigfd);
	RUN(run_logged_cannot_start);
	RUN(run_logged_echo_copies_the_prefixed_lines);
	RUN(run_logged_echo_cuts_a_long_line);
	int rc = unit_summary();
	remove_tree(tmp);
	return rc;
}
