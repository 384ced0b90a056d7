/*
 * grade.h: grade a class. Every submission, every stage, checked the way
 * `check` does it but as untrusted code (the check's own compile lines;
 * nothing from the submission runs on the host), several checks at once,
 * and one report for the whole class: a text table, JSON, TAP, JUnit XML
 * or a Gradescope results.json (docs/grading.md).
 *
 * Each check runs in a forked child process, at most --jobs at a time.
 * The child renders its row of every format into files beside its logs
 * (build/grade/WHEN.XXXXXX/NNN/STAGE.*, where submissions.txt says which
 * submission is NNN) and exits; the parent, which alone reads the
 * signalfd, waits for the children and joins the rows in a fixed order:
 * submissions as given, then stages in catalogue order. So
 * the text, TAP, JUnit and Gradescope reports are the same bytes whatever
 * --jobs is: they carry no times and no run-folder paths, and what the
 * guest printed is normalised (printk time stamps removed, the run's
 * nonce shown as {nonce}). Only the JSON records keep the engine's times
 * and log paths.
 *
 * The pieces: grade.c (the arguments, the run folder), grade_jobs.h (the
 * children), grade_formats.h (a row in each format), grade_report.h (row
 * files and the class's report), textclean.h (untrusted text made safe).
 * No global state; nothing here outlives grade_main().
 */
#ifndef LAB_GRADE_H
#define LAB_GRADE_H

#include "catalog.h"

#define GRADE_USAGE "grade SUBMISSION... [--stages LIST] [--jobs N] [--timeout S] " \
	"[--format text|json|tap|junit|gradescope[,...]] [--out FILE] [--unsafe-no-sandbox]"
#define GRADE_HELP "for teachers: grade submissions (folders with a labs/ layout), every stage, " \
	"as untrusted code, in parallel; one report (exit 0 whatever the verdicts)"

/*
 * The `grade` command: lab-runner.c's cmd_grade calls it with the
 * command's own argc/argv (argv[0] = "grade"). Returns the exit status:
 * 0 when grading completed, whatever the students' verdicts; 2 for a
 * usage error, a submission folder that does not exist, a report that
 * cannot be written, or a grading sandbox that cannot run here (without
 * --unsafe-no-sandbox); 130 when SIGINT, SIGTERM or SIGHUP arrived on sigfd
 * (every check still running is killed and no report is written).
 * Progress goes to stderr; the report to stdout, or to --out.
 */
int grade_main(const struct catalog *cat, int argc, char **argv, int sigfd, int color);

#endif
