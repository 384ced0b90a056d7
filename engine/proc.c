/*
 * proc.c: implements proc.h.
 *
 * A child must never outlive the runner, however the runner ends: spawn()
 * sets PR_SET_PDEATHSIG, then checks getppid() to close the race with a
 * parent that died before that line ran. A close-on-exec status pipe tells
 * a failed exec (the child writes why) from a successful one (the pipe just
 * closes), so the caller gets "cannot run 'x'" instead of a child that
 * exits 127.
 */
#include "proc.h"
#include "clock.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int
have_program(const char *name)
{
	const char *path = getenv("PATH");
	struct stat st;

	if (strchr(name, '/'))
		return stat(name, &st) == 0 && S_ISREG(st.st_mode) && access(name, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	for (;;) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		/* An empty entry is the working folder, as for execvp. */
		char *p = n ? xasprintf("%.*s/%s", (int)n, path, name) : xstrdup(name);
		int ok = stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
		free(p);
		if (ok)
			return 1;
		if (!end)
			return 0;
		path = end + 1;
	}
}

/* Why the child could not run its program, as it tells the parent. */
struct exec_failure {
	int in_chdir;      /* 1: entering cwd failed; 0: the exec did */
	int err;           /* errno */
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Make from the child's fd `to`, inherited across exec. */
static void
use_as(int from, int to)
{
	if (from == to)
		fcntl(to, F_SETFD, 0);   /* dup2 would leave it close-on-exec */
	else
		dup2(from, to);
}

/* In the child, after fork: set it up and exec, or tell why not and exit. */
static _Noreturn void
start_child(char *const argv[], const char *cwd, pid_t parent, int own_group, int in_r,
	    int out_w, int err_w, int status_w)
{
	struct exec_failure f = {0, 0};
	sigset_t none;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* Die with the runner, whatever kills it; and if it died before this
	 * line ran, go now. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	if (own_group)
		setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	use_as(in_r >= 0 ? in_r : null, 0);
	use_as(out_w >= 0 ? out_w : null, 1);
	use_as(err_w >= 0 ? err_w : out_w >= 0 ? out_w : null, 2);
	if (cwd && chdir(cwd) < 0) {
		f.in_chdir = 1;
	} else {
		execvp(argv[0], argv);
	}
	f.err = errno;
	(void)!write(status_w, &f, sizeof(f));
	_exit(127);
}

pid_t
spawn(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd,
      int own_group, char *err, size_t errlen)
{
	return spawn_stderr(argv, cwd, stdin_fd, stdout_fd, -1, own_group, err, errlen);
}

pid_t
spawn_stderr(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd, int stderr_fd,
	     int own_group, char *err, size_t errlen)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, status[2] = {-1, -1};
	struct exec_failure f;
	pid_t parent = getpid(), pid;
	ssize_t r;

	if ((stdin_fd && pipe2(in, O_CLOEXEC) < 0) ||
	    (stdout_fd && pipe2(out, O_CLOEXEC) < 0) ||
	    pipe2(status, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot make a pipe for '%s': %s", argv[0], strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot start '%s': %s", argv[0], strerror(errno));
		goto fail;
	}
	if (pid == 0)
		start_child(argv, cwd, parent, own_group, in[0], out[1], stderr_fd, status[1]);
	/* Wait until exec succeeded or failed: the status pipe closes on exec. */
	close_fd(&status[1]);
	close_fd(&in[0]);
	close_fd(&out[1]);
	while ((r = read(status[0], &f, sizeof(f))) < 0 && errno == EINTR)
		;
	close_fd(&status[0]);
	if (r > 0) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		if (f.in_chdir)
			snprintf(err, errlen, "cannot run '%s' in '%s': %s", argv[0], cwd,
				 strerror(f.err));
		else
			snprintf(err, errlen, "cannot run '%s': %s", argv[0], strerror(f.err));
		goto fail;
	}
	if (own_group)
		setpgid(pid, pid); /* also from this side: no race with kill_group() */
	if (stdin_fd) {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
		*stdin_fd = in[1];
	}
	if (stdout_fd) {
		fcntl(out[0], F_SETFL, O_NONBLOCK);
		*stdout_fd = out[0];
	}
	return pid;
fail:
	close_fd(&in[0]);
	close_fd(&in[1]);
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&status[0]);
	close_fd(&status[1]);
	return -1;
}

int
kill_group(pid_t pid)
{
	int st = 0;

	if (pid <= 0)
		return -1;
	/* The group first (what the child started), then the child itself in
	 * case it never got its own group. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

int
run_succeeded(struct run_outcome o)
{
	return o.how == RUN_EXITED && o.status == 0;
}

static struct run_outcome run_logged_all(char *const argv[], const char *cwd,
					 const char *log_path, long long timeout_ms, int sigfd,
					 int echo_fd, const char *echo_prefix, size_t max_output);

struct run_outcome
run_logged(char *const argv[], const char *cwd, const char *log_path,
	   long long timeout_ms, int sigfd)
{
	return run_logged_all(argv, cwd, log_path, timeout_ms, sigfd, -1, NULL, 0);
}

struct run_outcome
run_logged_capped(char *const argv[], const char *cwd, const char *log_path,
		  long long timeout_ms, int sigfd, size_t max_output)
{
	return run_logged_all(argv, cwd, log_path, timeout_ms, sigfd, -1, NULL, max_output);
}

struct run_outcome
run_logged_echo(char *const argv[], const char *cwd, const char *log_path,
		long long timeout_ms, int sigfd, int echo_fd, const char *echo_prefix)
{
	return run_logged_all(argv, cwd, log_path, timeout_ms, sigfd, echo_fd, echo_prefix, 0);
}

/* The lines run_logged_echo() copies: the one still unfinished waits here. */
struct echo {
	int fd;                 /* -1: none */
	const char *prefix;
	char line[1024];
	size_t n;
};

/* Copy to e->fd the whole lines of buf that start with e->prefix. */
static void
echo_lines(struct echo *e, const char *buf, size_t len)
{
	size_t plen = strlen(e->prefix);

	for (size_t i = 0; i < len; i++) {
		/* A long line is cut, but still ends with its newline. */
		if (e->n < sizeof(e->line) - 1 || buf[i] == '\n')
			e->line[e->n++] = buf[i];
		if (buf[i] != '\n')
			continue;
		if (e->n > plen && !memcmp(e->line, e->prefix, plen))
			(void)!write(e->fd, e->line, e->n);
		e->n = 0;
	}
}

/*
 * The child has closed its output: has it exited? Looks without reaping
 * (WNOWAIT), so that its pid, and so its group's, stays ours while what it
 * left in its group is killed; then reaps it. Returns 1 when it has exited
 * (*st set), 0 while it still runs, -1 if it cannot be waited for.
 */
static int
exited(pid_t pid, int *st)
{
	siginfo_t si;

	si.si_pid = 0;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == EINTR ? 0 : -1;
	if (si.si_pid == 0)
		return 0;
	kill(-pid, SIGKILL);
	while (waitpid(pid, st, 0) < 0 && errno == EINTR)
		;
	return 1;
}

/* All three: max_output 0 is no cap. */
static struct run_outcome
run_logged_all(char *const argv[], const char *cwd, const char *log_path, long long timeout_ms,
	       int sigfd, int echo_fd, const char *echo_prefix, size_t max_output)
{
	struct run_outcome o = {RUN_NOT_STARTED, -1};
	size_t written = 0;
	struct echo e = {echo_fd, echo_prefix ? echo_prefix : "", {0}, 0};
	char err[512];
	int out = -1, logfd, st = 0, step = 1, how = 0;
	long long deadline = now_ms() + timeout_ms;
	pid_t pid;

	logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (logfd < 0)
		return o;
	pid = spawn(argv, cwd, NULL, &out, 1, err, sizeof(err));
	if (pid < 0) {
		dprintf(logfd, "%s\n", err);
		close(logfd);
		return o;
	}
	for (;;) {
		struct pollfd p[2] = {{sigfd, POLLIN, 0}, {out, POLLIN, 0}};
		int wait_ms = 1000;

		if (out < 0) {
			if ((how = exited(pid, &st)) != 0) {
				o.how = RUN_EXITED;
				break;
			}
			/* It usually exits as it closes its output: look again
			 * soon, then less often. */
			wait_ms = step;
			step = step < 64 ? step * 2 : step;
		}
		long long left = deadline - now_ms();
		if (left <= 0) {
			o.how = RUN_TIMED_OUT;
			break;
		}
		/* A negative fd is skipped by poll: no sigfd, or output closed. */
		int n = poll(p, 2, (int)(left < wait_ms ? left : wait_ms));
		if (n < 0) {
			if (errno != EINTR)
				close_fd(&out);   /* stop reading; still wait for it */
			continue;
		}
		if (p[0].revents & POLLIN) {
			o.how = RUN_INTERRUPTED;
			break;
		}
		if (out >= 0 && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			char buf[8192];
			ssize_t r = read(out, buf, sizeof(buf));
			if (r > 0 && max_output && written + (size_t)r > max_output) {
				(void)!write(logfd, buf, max_output - written);
				dprintf(logfd, "\nlab-runner: cut here: more than %zu bytes of "
					"output, the command was stopped\n", max_output);
				o.how = RUN_TOO_MUCH_OUTPUT;
				break;
			}
			if (r > 0) {
				(void)!write(logfd, buf, (size_t)r);
				written += (size_t)r;
				if (e.fd >= 0)
					echo_lines(&e, buf, (size_t)r);
			} else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close_fd(&out);
			}
		}
	}
	close_fd(&out);
	close(logfd);
	if (o.how != RUN_EXITED)
		kill_group(pid);
	else if (how < 0)
		o.status = -1;
	else
		o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return o;
}
