/*
 * grade_jobs.c: see grade_jobs.h.
 *
 * Each child gets a pipe whose write end it holds until it exits: the read
 * end hangs up then, so poll() on the pipes and on the signalfd waits for
 * "a child ended or a signal came" in one call, with no SIGCHLD handler.
 */
#include "grade_jobs.h"
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* An ERROR row written by the parent: the job could not run, or its
 * child ended without a row. Then reads it back into the job's cell. */
static void
error_row(const struct grade_job *j, const char *headline)
{
	char err[512];
	struct result r;

	memset(&r, 0, sizeof(r));
	r.verdict = V_ERROR;
	r.stage = xstrdup(j->stage->name);
	r.title = xstrdup(j->stage->title);
	r.max_points = j->max_points;
	r.headline = xstrdup(headline);
	if (grade_rows_write(j->cell->base, j->sub, j->number, &r, err, sizeof(err)) < 0)
		fprintf(stderr, "lab-runner: grade: %s\n", err);
	result_release(&r);
	if (!grade_cell_read(j->cell)) {
		j->cell->verdict = V_ERROR;
		j->cell->points = 0;
	}
}

/* In the child: run the check, write the rows, exit. Never returns. */
static void __attribute__((noreturn))
job_child(const struct grade_jobs *q, const struct grade_job *j, pid_t parent)
{
	struct check_opts o = {0};
	struct result r;
	char err[512];

	/* Die with the parent; the parent alone watches the signals and
	 * kills this process group when grading is interrupted. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	setpgid(0, 0);
	if (q->sigfd >= 0)
		close(q->sigfd);
	o.cat = q->cat;
	o.stage = j->stage;
	o.dir = j->dir;
	o.grading = 1;
	o.unsandboxed = q->unsandboxed;
	o.sigfd = -1;
	o.runs_root = j->runs;
	o.timeout_s = q->timeout_s;
	engine_check(&o, &r);
	int rc = grade_rows_write(j->cell->base, j->sub, j->number, &r, err, sizeof(err)) < 0;
	if (rc)
		fprintf(stderr, "lab-runner: grade: %s\n", err);
	result_release(&r);
	_exit(rc);
}

/* Start a job in a child. Returns 0, or -1 (with an ERROR row written). */
static int
job_start(const struct grade_jobs *q, struct grade_job *j)
{
	int fds[2];
	pid_t parent = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		error_row(j, "cannot start the check: no pipe");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	j->pid = fork();
	if (j->pid < 0) {
		j->pid = 0;
		close(fds[0]);
		close(fds[1]);
		error_row(j, "cannot start the check: fork failed");
		return -1;
	}
	if (j->pid == 0) {
		close(fds[0]);
		job_child(q, j, parent);      /* keeps fds[1] open until it exits */
	}
	setpgid(j->pid, j->pid);         /* from this side too: no race with a kill */
	close(fds[1]);
	j->done_fd = fds[0];
	return 0;
}

/* Reap a job whose child has ended; make sure it has a row. */
static void
job_finish(struct grade_job *j)
{
	int st = 0;

	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	close(j->done_fd);
	j->pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && grade_cell_read(j->cell))
		return;
	char *why = WIFSIGNALED(st)
		? xasprintf("the grading process of this check was killed by signal %d", WTERMSIG(st))
		: xasprintf("the grading process of this check ended with status %d and no result",
			    WEXITSTATUS(st));
	error_row(j, why);
	free(why);
}

/* Kill every job still running and reap it. */
static void
kill_all(struct grade_jobs *q)
{
	for (size_t i = 0; i < q->njobs; i++) {
		struct grade_job *j = &q->job[i];
		if (j->pid <= 0)
			continue;
		kill(-j->pid, SIGKILL);
		kill(j->pid, SIGKILL);
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(j->done_fd);
		j->pid = 0;
	}
}

enum grade_jobs_end
grade_jobs_run(struct grade_jobs *q, char *err, size_t errlen)
{
	struct pollfd *p = xcalloc((size_t)q->at_once + 1, sizeof(*p));
	struct grade_job **running = xcalloc((size_t)q->at_once, sizeof(*running));
	size_t next = 0, done = 0, nrun = 0;
	enum grade_jobs_end end = GRADE_JOBS_DONE;

	while (done < q->njobs) {
		while (nrun < (size_t)q->at_once && next < q->njobs) {
			struct grade_job *j = &q->job[next++];
			if (j->problem) {
				error_row(j, j->problem);
			} else {
				fprintf(stderr, "grading %s %s...\n", j->sub, j->stage->name);
				if (job_start(q, j) == 0) {
					running[nrun++] = j;
					continue;
				}
			}
			done++;
		}
		if (!nrun)
			continue;
		p[0].fd = q->sigfd;
		p[0].events = POLLIN;
		for (size_t i = 0; i < nrun; i++) {
			p[i + 1].fd = running[i]->done_fd;
			p[i + 1].events = POLLIN;
			p[i + 1].revents = 0;
		}
		if (poll(p, nrun + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "poll: %s", strerror(errno));
			kill_all(q);
			end = GRADE_JOBS_BROKEN;
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			(void)!read(q->sigfd, &si, sizeof(si));
			kill_all(q);
			snprintf(err, errlen, "interrupted after %zu of %zu checks; no report was written",
				 done, q->njobs);
			end = GRADE_JOBS_INTERRUPTED;
			break;
		}
		/* Reap the ended ones; keep the others in their order. */
		size_t kept = 0;
		for (size_t i = 0; i < nrun; i++) {
			if (p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) {
				job_finish(running[i]);
				done++;
			} else {
				running[kept++] = running[i];
			}
		}
		nrun = kept;
	}
	free(running);
	free(p);
	return end;
}
