/*
 * hoststep.h: a check's `host SECONDS COMMAND` line, run on the host while
 * the guest runs (stage 09 logs in with ssh through the forwarded port).
 *
 * Trust: COMMAND comes only from the lab's own check file (checks/), never
 * from a learner's folder or a submission; `grade` runs it too, for the
 * same reason. It is run as /bin/sh -c COMMAND, in its own process group,
 * stdin /dev/null, stdout and stderr into one pipe the boot reads, with
 * the runner's environment plus:
 *
 *   LAB_PORT  the host port of the check's `forward` (on 127.0.0.1)
 *   LAB_KEY   the private key of the check's `sshkey`
 *   LAB_RUN   the run's folder
 *
 * It is killed with its whole group at its own time limit and when the run
 * ends, for whatever reason (an interrupt included): nothing it started
 * outlives the check. A runner killed by SIGKILL cleans nothing up: then
 * the command's shell dies with it (PR_SET_PDEATHSIG, proc.h), and what
 * the shell started must end by itself (ssh does, when QEMU, killed the
 * same way, closes its connection). Its output is cut into lines for the lines
 * of the check that follow it (match.h: matcher_host_line), kept in a log
 * (at most HOST_LOG_CAP bytes), and its last lines are kept for the report.
 *
 * One struct host_run per command run: host_start() fills it, host_read()
 * takes what came (never blocks), host_stop() kills what still runs and
 * reaps it, host_release() frees it.
 */
#ifndef LAB_HOSTSTEP_H
#define LAB_HOSTSTEP_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

#define HOST_LOG_CAP (64 * 1024)
#define HOST_KEEP 8               /* last lines kept for the report */

/* What a host command gets besides its text. */
struct host_env {
	int port;                 /* LAB_PORT; 0: not set */
	const char *key;          /* LAB_KEY; NULL: not set */
	const char *run_dir;      /* LAB_RUN */
};

struct host_run {
	size_t thread, step;      /* its `host` line in the check */
	pid_t pid;                /* 0 once reaped */
	int fd;                   /* its output; -1 once it ended */
	int log;                  /* its log; -1 */
	size_t logged;
	long long started, deadline, ms;   /* ms is how long it ran, once it ended */
	int ended;                /* its output ended and it was reaped */
	int status;               /* its exit status (0-255); -1 if a signal ended it */
	int signo;                /* the signal that ended it, or 0 */
	int timed_out;            /* killed at its limit */
	int stopped;              /* killed because the run ended first */
	struct sb line;           /* the line being written */
	char *last[HOST_KEEP];    /* its last complete lines, a ring */
	size_t nlines;            /* lines ever completed */
	char *log_path;
};

/* Start the command for step (thread, step) with its limit in seconds.
 * Returns 0, or -1 with err filled (then h holds nothing to stop). */
int host_start(struct host_run *h, size_t thread, size_t step, const char *command,
	       int seconds, const struct host_env *env, const char *log_path,
	       char *err, size_t errlen);
/*
 * Take what the command wrote, calling on_line(ctx, thread, line) for each
 * complete line; at the end of its output (or at its limit: killed then)
 * the unfinished line counts as a line, and it is reaped. Returns 1 while
 * it runs, 0 once it has ended.
 */
int host_read(struct host_run *h, void (*on_line)(void *ctx, size_t thread, const char *line),
	      void *ctx);
/* Its last lines, joined with " | " (caller frees); "" for none. */
char *host_last_lines(const struct host_run *h);
/* Kill it, with its group, if it still runs (marked stopped), and reap it. */
void host_stop(struct host_run *h);
void host_release(struct host_run *h);

#endif
