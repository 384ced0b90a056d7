/*
 * result.h: what a check found, for every report to show.
 *
 * A result is the verdict (PASS, FAIL, TIMEOUT, ERROR), its one-sentence
 * headline, the items (one per expectation of the check: seen, missing,
 * failed, forbidden), advice for the learner, and where the logs are.
 * The engine fills it; report.c and the grade formats only read it.
 *
 * An item's kind says what it checked; one table (result.c) says for each
 * kind the word a failed item is marked with (MISSING, FAILED, FORBIDDEN)
 * and whether its detail is shown when it held. Every report format takes
 * marks from item_mark(), so they always agree.
 *
 * Ownership: a result owns every string and array in it; result_release()
 * frees them all and leaves the struct zeroed, ready to be filled again.
 * Pure code.
 */
#ifndef LAB_RESULT_H
#define LAB_RESULT_H

#include "compare.h"
#include "util.h"

enum verdict { V_PASS, V_FAIL, V_TIMEOUT, V_ERROR };
/* "PASS", "FAIL", "TIMEOUT", "ERROR". */
const char *verdict_name(enum verdict v);

enum item_kind {
	ITEM_EXPECT,    /* a line the UART must show, in order */
	ITEM_SEND,      /* a line typed at a prompt */
	ITEM_ANYWHERE,  /* a line the UART must show, at any time */
	ITEM_REJECT,    /* a line that must never appear */
	ITEM_GDB,       /* a fact gdb must see */
	ITEM_ANSWER,    /* a learner's answer in a file */
	ITEM_EXIT,      /* QEMU's exit status */
	ITEM_COMPARE,   /* the stage's kernel against another */
	ITEM_WITNESS,   /* a fact of the witness's record: who wrote, ran, reaped */
	ITEM_HOST,      /* a command the check ran on the host (`host`) */
	ITEM_DISK,      /* a file on the disk after the boot (ondisk) */
	ITEM_SERVED,    /* a file the web responder served (served) */
	ITEM_KINDS
};

/* How an item that did not hold fell short, when its kind's mark would
 * not be true: a line that appeared, but not in its place. */
enum item_miss {
	MISS_PLAIN,            /* the kind's own mark: MISSING, FAILED, FORBIDDEN */
	MISS_UNORDERED,        /* UNORDERED: it appeared, before a line expected first */
	MISS_UNCHECKED,        /* UNCHECKED: not looked for (an earlier line was missing,
				* or the run stopped first) */
	MISS_GLUED,            /* GLUED: a `line` whose text appeared with more glued to it */
	MISS_REPEATED,         /* REPEATED: a `once` line that appeared again */
};

/* One line of the report: a pattern seen or missing, a gdb fact, an answer. */
struct item {
	int ok;
	enum item_kind kind;
	enum item_miss miss;   /* when !ok */
	char *text;            /* what was wanted */
	char *detail;          /* what happened (may be NULL) */
};

/* "expect", "send", ...: the word reports show (and the check file uses). */
const char *item_kind_name(enum item_kind k);
/* "ok" when the item held; else "UNORDERED", "UNCHECKED", "GLUED" or
 * "REPEATED" (its miss), or
 * its kind's mark: "MISSING", "FAILED", "FORBIDDEN". At most 9 letters. */
const char *item_mark(const struct item *it);
/* Whether a report shows the item's detail: always when it failed, and
 * for the kinds whose detail says what was found (gdb, answer). */
int item_shows_detail(const struct item *it);

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
	struct strv guest_errors; /* the guest's own error lines (init:, lsh:, perror), the
				   * first few, whether or not they are in last_lines */
	size_t guest_errors_more; /* ...and how many more there were */
	char *run_dir, *uart_log, *qemu_log, *gdb_log, *build_log;
	char *witness_log, *witness_json;   /* when the witness watched */
	long long ms_build, ms_boot;
	int interrupted;       /* Ctrl-C or SIGTERM arrived */
	int grading_note;      /* the submission's Makefile was ignored */
	int build_cached;      /* the same files were built before: that archive was used */
	long maxrss_kb;        /* peak resident memory of this process (getrusage) */
	long children_maxrss_kb; /* and of its largest child so far (QEMU) */
	struct strv commands;  /* QEMU's and gdb's command lines */
	int network;           /* the stage boots with the lab's web responder */
	char nonce[9];         /* this run's fresh value ("" before the check was read) */
	/* What was (or would be) booted: set once the build succeeded. */
	char *kernel_path, *vmlinux_path, *initrd_path, *init_elf;
	char *ssh_key;         /* the run's private key (a check's sshkey), or NULL */
	int forward_port;      /* the host port of a check's forward (on 127.0.0.1), or 0 */
	char *disk_path;       /* the disk image booted (disk.h), or NULL */
	/* compare: the stage's kernel [0] against the lab's [1] (ncompare 2). */
	struct kernel_timing compare[2];
	int ncompare;
	int compare_boots;
	int compare_builtin;   /* the stage's kernel has the archive built in */
};

/* Set the verdict and its one-sentence headline (printf-like); returns v. */
enum verdict result_set(struct result *r, enum verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append an item (text and detail are copied; detail may be NULL); it
 * stays valid until the next one is added. */
struct item *result_add_item(struct result *r, int ok, enum item_kind kind, const char *text,
		     const char *detail);
/* The first item that did not hold, or NULL. */
const struct item *result_first_failed(const struct result *r);
void result_release(struct result *r);

#endif
