/*
 * build.h: turn a learner's folder into an initramfs.cpio.
 *
 * The folder is copied into the run's own src/ first (keeping file times,
 * so make decides what to rebuild exactly as it would in the original),
 * and built there: the learner's folder is never written.
 *
 *   check    make, with the folder's own Makefile (LAB_TOP=<lab> and
 *            LAB_FOLDER=<the folder copied, its real path> on its command
 *            line). A folder whose files are the same as at an
 *            earlier build reuses the archive made then (build/cache/).
 *            A stage whose kernel is the learner's (`kernel learner`) is
 *            built by make every time (its Makefile puts Image, vmlinux
 *            and kernel.config beside initramfs.cpio, and the kernel script
 *            itself knows when nothing changed), with a time limit for a
 *            kernel build, and the kernel script's lines ("kernel...")
 *            echoed to echo_fd if >= 0.
 *   grading  untrusted: the starter is laid out, the check's `sources`
 *            are taken from the submission (its own regular files only),
 *            each `compile` line (or the lab's own Makefile, for `grading
 *            make`) runs in the sandbox (sandbox.h: it sees the toolchain
 *            and this run's src/, nothing else) under prlimit (CPU,
 *            memory, file size), with a wall-clock limit and a cap on
 *            what it prints; the runner packs the archive itself. No
 *            command of the submission's runs.
 *
 * On failure the result's verdict is ERROR, with a headline and the
 * compiler's first errors (r->build_errors), the learner's paths shown.
 */
#ifndef LAB_BUILD_H
#define LAB_BUILD_H

#include "catalog.h"
#include "result.h"

struct build_job {
	const struct catalog *cat;
	const struct stage *stage;
	const struct check *check;
	const char *top;       /* the lab's top folder */
	const char *dir;       /* the learner's folder */
	const char *src;       /* the run's private copy (created) */
	const char *cpio;      /* where the archive must end up */
	int grading;
	int unsandboxed;       /* grading without the sandbox (--unsafe-no-sandbox) */
	int sigfd;             /* interrupts end the build; -1 if none */
	int echo_fd;           /* a kernel build's output also goes here; -1: not */
};

/* The address-space limit of each grading compile: a grading job needs
 * this much memory at most on the host, besides its QEMU (grade.c sizes
 * the default --jobs with it). */
#define GRADE_COMPILE_AS (2048LL * 1024 * 1024)

/* Returns 0 when j->cpio is ready, else -1 with r's verdict set. */
int build_initramfs(const struct build_job *j, struct result *r);

#endif
