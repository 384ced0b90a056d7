/*
 * proc.h: child processes that cannot outlive the runner.
 *
 * spawn() starts one and hands back its pid and pipe ends; the caller
 * reaps it, normally with kill_group(). run_logged() runs one to completion
 * itself, its output to a log file, and says how it ended with a named
 * outcome. The child gets SIGKILL when the runner dies (PR_SET_PDEATHSIG),
 * even by SIGKILL. No state is kept between calls.
 */
#ifndef LAB_PROC_H
#define LAB_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* 1 if name (a path if it has a '/', else searched on PATH) is an
 * executable file; else 0. */
int have_program(const char *name);

/*
 * Start argv[0] (searched on PATH) with argv, in cwd (NULL: ours). With
 * own_group it lives in its own process group, so kill_group() reaches
 * whatever it starts in turn. Its signal mask is cleared and SIGPIPE is
 * back to the default.
 *
 * stdin_fd / stdout_fd: if not NULL, a pipe is made and our end returned
 * there (non-blocking, close-on-exec; the caller closes it); if NULL the
 * child gets /dev/null. stderr goes where stdout goes.
 *
 * Blocks only until the exec has happened or failed. Returns the pid, or
 * -1 with one line in err (no pipe, no fork, no such folder or program);
 * on failure nothing is left open and no child is left behind.
 */
pid_t spawn(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd,
	    int own_group, char *err, size_t errlen);

/* spawn(), with the child's stderr on stderr_fd (ours, above 2; the child
 * gets a copy) instead of where its stdout goes; -1: as spawn(). */
pid_t spawn_stderr(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd,
		   int stderr_fd, int own_group, char *err, size_t errlen);

/* SIGKILL the child's whole process group (and the child itself), then
 * reap it, blocking until it is gone. Returns its wait status, or -1 if
 * pid <= 0. */
int kill_group(pid_t pid);

/* How a command run by run_logged() ended. */
enum run_how {
	RUN_EXITED,        /* it ended by itself: status says how */
	RUN_TIMED_OUT,     /* still running at the time limit: killed, with its group */
	RUN_INTERRUPTED,   /* a signal arrived on sigfd: killed, with its group */
	RUN_NOT_STARTED,   /* no log file, or spawn() failed (its message is in the log) */
	RUN_TOO_MUCH_OUTPUT, /* wrote more than its cap: killed, with its group */
};
struct run_outcome {
	enum run_how how;
	int status;        /* RUN_EXITED: its exit status (0-255), or 128 + the
			    * signal that killed it (-1: it could not be
			    * waited for); otherwise -1 */
};

/* 1 if the outcome is RUN_EXITED with status 0; else 0. */
int run_succeeded(struct run_outcome o);

/*
 * Run argv (as spawn() does, in its own group) to completion, stdin from
 * /dev/null, stdout and stderr to log_path (created or truncated), for at
 * most timeout_ms. sigfd (-1: none) is a signalfd: when it becomes readable
 * the run ends as RUN_INTERRUPTED, and the signal is left on it for the
 * caller to read. Blocks until then; whatever the child left running in
 * its group is killed too.
 */
struct run_outcome run_logged(char *const argv[], const char *cwd, const char *log_path,
			      long long timeout_ms, int sigfd);

/* The same, but a child that writes more than max_output bytes is killed
 * there (RUN_TOO_MUCH_OUTPUT); the log holds its first max_output bytes and
 * one line of the runner's saying it was cut. For untrusted input: the log
 * is written by the runner, so the child's own file-size limit cannot bound
 * it. */
struct run_outcome run_logged_capped(char *const argv[], const char *cwd, const char *log_path,
				     long long timeout_ms, int sigfd, size_t max_output);

/* The same as run_logged, also copying to echo_fd (-1: none), as they come, the lines of
 * the output that start with echo_prefix (NULL: every line); a line longer
 * than 1 KiB is cut there. */
struct run_outcome run_logged_echo(char *const argv[], const char *cwd, const char *log_path,
				   long long timeout_ms, int sigfd, int echo_fd,
				   const char *echo_prefix);

#endif
