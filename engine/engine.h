/*
 * engine.h: check one stage: build, inspect, boot, type, match, watch with
 * gdb, and explain. This is what `check`, `next`, `grade` and `verify`
 * share.
 *
 *   1. build     make in a private copy of the learner's folder (or, when
 *                grading, the check's own compile lines: no command from
 *                the submission runs on the host)
 *   2. inspect   read the initramfs before booting and explain what the
 *                kernel would trip on
 *   3. boot      QEMU; when the check has gdb lines, gdb attaches and sets
 *                its breakpoints while the guest is paused (from the start,
 *                or, for user-space breakpoints only, once the kernel is
 *                booting: a gdb that came after /init means a second boot)
 *   4. drive     read the UART, type each `send` once its prompt shows,
 *                stop the moment the verdict is known
 *   5. judge     PASS, FAIL, TIMEOUT or ERROR, with the reasons
 *   6. compare   (`compare` in the check) boot the same archive on the
 *                stage's kernel and on the lab's, and time both
 *
 * Every run has its own folder under build/runs/ (the copy, the archive,
 * uart.log, gdb.log, build.log), kept for the learner to read. Nothing in
 * the learner's folder is written. QEMU and gdb are gone when
 * engine_check() returns, whatever happened.
 */
#ifndef LAB_ENGINE_H
#define LAB_ENGINE_H

#include "catalog.h"
#include "result.h"

struct check_opts {
	const struct catalog *cat;
	const struct stage *stage;
	const char *dir;            /* the folder to check; NULL for none */
	const char *initramfs;      /* check this archive instead of building */
	const char *kconfig;        /* "lab" or "defconfig"; NULL: as the check says */
	int grading;                /* untrusted submission: compile with the check's lines */
	int unsandboxed;            /* grading, but the build outside the sandbox
				     * (grade --unsafe-no-sandbox) */
	int sigfd;                  /* readable when the user interrupts; -1 if none */
	const char *runs_root;      /* NULL: TOP/build/runs */
	int prepare_only;           /* build and inspect, do not boot (run, debug) */
	int timeout_s;              /* > 0: instead of the check's timeout */
	int echo_build;             /* a kernel build's output also goes to stderr */
	int witness;                /* record what each process did, even if the check
				     * has no witness line (trace) */
	int syscalls;               /* with the witness, every system call too (trace) */
};

/*
 * Returns the verdict (also in r->verdict). r is filled in every case.
 * With prepare_only, stops before booting: the verdict is PASS when there
 * is something to boot (r->kernel_path, r->initrd_path, r->init_elf: /init
 * written out for gdb), ERROR otherwise.
 */
enum verdict engine_check(const struct check_opts *o, struct result *r);
/* The Image and vmlinux of a kernel the lab builds (KCONFIG lab,
 * defconfig): build/kernel/KCONFIG/. Both strings are the caller's. */
void lab_kernel(const char *top, const char *kconfig, char **image, char **vmlinux);

/* Why a stage's check cannot grade untrusted submissions (a new string,
 * caller frees), or NULL when it can. */
char *engine_grading_problem(const struct check *c, const char *stage);

#endif
