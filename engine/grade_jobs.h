/*
 * grade_jobs.h: run a class's checks, several at once, each in a child.
 *
 * A job is one check: a submission's stage. A job with a problem (its
 * folder is missing, its stage cannot be graded) gets an ERROR row without
 * running. Each other job runs in a forked child process, at most at_once
 * at a time: the child dies with the parent, checks the folder as
 * untrusted code (engine_check with grading set), writes the job's rows
 * (grade_rows_write) and exits. The parent alone reads the signalfd; it
 * waits for the children with poll(), reaps each, and gives an ERROR row to
 * a job whose child ended without a complete row: a crash never loses a
 * row. So when grade_jobs_run() returns GRADE_JOBS_DONE, every job's cell
 * holds its summary.
 *
 * The caller fills and frees the jobs; the scheduler only sets pid and
 * done_fd, and fills the cells. grade_jobs_run() blocks until every job has
 * ended, or a signal arrived (then every child is killed and reaped).
 */
#ifndef LAB_GRADE_JOBS_H
#define LAB_GRADE_JOBS_H

#include <sys/types.h>

#include "catalog.h"
#include "grade_report.h"

struct grade_job {
	const struct stage *stage;
	const char *sub;            /* the submission's name in the report */
	char *dir;                  /* SUB/labs/NN-name: the folder checked */
	const char *runs;           /* ROOT/NNN: the engine's runs_root */
	char *problem;              /* why it cannot run (its ERROR row's headline), or NULL */
	size_t number;              /* 1-based place in the report */
	int max_points;             /* its stage's, for an ERROR row */
	struct grade_cell *cell;    /* its rows, and what they say */
	pid_t pid;                  /* the child running it, or 0 */
	int done_fd;                /* hangs up when that child has ended */
};

struct grade_jobs {
	const struct catalog *cat;
	int sigfd;                  /* readable when grading is interrupted */
	int at_once;                /* at most this many children */
	int timeout_s;              /* > 0: each check's time limit instead of its own */
	int unsandboxed;            /* builds outside the sandbox (--unsafe-no-sandbox) */
	struct grade_job *job;      /* run in this order */
	size_t njobs;
};

enum grade_jobs_end {
	GRADE_JOBS_DONE,            /* every job has its row */
	GRADE_JOBS_INTERRUPTED,     /* a signal arrived on sigfd */
	GRADE_JOBS_BROKEN,          /* poll() failed */
};

/* Run every job. Progress goes to stderr; err says why when it was not
 * GRADE_JOBS_DONE. */
enum grade_jobs_end grade_jobs_run(struct grade_jobs *q, char *err, size_t errlen);

#endif
