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
#include "compare.h"
#include "util.h"

enum verdict { V_PASS, V_FAIL, V_TIMEOUT, V_ERROR };
const char *verdict_name(enum verdict v);

/* One line of the report: a pattern seen or missing, a gdb fact, an answer. */
struct item {
	int ok;
	char *kind;            /* "expect", "send", "anywhere", "reject", "gdb", "answer", "exit" */
	char *text;            /* what was wanted */
	char *detail;          /* what happened (may be NULL) */
};

struct result {
	enum verdict verdict;
	char *stage;           /* "01-hello-init" */
	char *title;
	int points, max_points;
	char *headline;        /* one sentence: why this verdict */
	struct strv advice;    /* what to do: archive problems, diagnoses */
	struct item *items;
	size_t nitems;
	char *build_errors;    /* the compiler's first errors (ERROR) */
	char *last_lines;      /* the last UART lines */
	char *run_dir, *uart_log, *gdb_log, *build_log;
	long long ms_build, ms_boot;
	int interrupted;       /* Ctrl-C or SIGTERM arrived */
	int grading_note;      /* the submission's Makefile was ignored */
	int build_cached;      /* the same files were built before: that archive was used */
	long maxrss_kb;        /* peak resident memory of this process (getrusage) */
	long children_maxrss_kb; /* and of its largest child so far (QEMU) */
	struct strv commands;  /* QEMU's and gdb's command lines */
	int network;           /* the stage boots with the lab's web responder */
	char nonce[9];         /* this run's fresh value */
	/* What was (or would be) booted: set once the build succeeded. */
	char *kernel_path, *vmlinux_path, *initrd_path, *init_elf;
	/* compare: the stage's kernel [0] against the lab's [1] (ncompare 2). */
	struct kernel_timing compare[2];
	int ncompare;
	int compare_boots;
};

struct check_opts {
	const struct catalog *cat;
	const struct stage *stage;
	const char *dir;            /* the folder to check; NULL for none */
	const char *initramfs;      /* check this archive instead of building */
	const char *kconfig;        /* "lab" or "defconfig"; NULL: as the check says */
	int grading;                /* untrusted submission: compile with the check's lines */
	int sigfd;                  /* readable when the user interrupts; -1 if none */
	const char *runs_root;      /* NULL: TOP/build/runs */
	int prepare_only;           /* build and inspect, do not boot (run, debug) */
	int timeout_s;              /* > 0: instead of the check's timeout */
	int echo_build;             /* a kernel build's output also goes to stderr */
};

/*
 * Returns the verdict (also in r->verdict). r is filled in every case.
 * With prepare_only, stops before booting: the verdict is PASS when there
 * is something to boot (r->kernel_path, r->initrd_path, r->init_elf: /init
 * written out for gdb), ERROR otherwise.
 */
enum verdict engine_check(const struct check_opts *o, struct result *r);
/* Set the verdict and its one-sentence headline (printf-like); returns v. */
enum verdict result_set(struct result *r, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void result_release(struct result *r);

#endif
