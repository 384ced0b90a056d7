/*
 * judge.h: from what a boot showed to the verdict, its items and advice.
 *
 * The judge is pure: it reads the matcher's state (which expectations were
 * seen, where), what the UART showed beyond it (struct boot_seen, fed line
 * by line), how the boot ended (struct boot_end), gdb's hits and the
 * learner's answers, and writes the result's items, advice and verdict.
 * No I/O, no processes: unit tests drive it with text (tests/unit/test_judge.c).
 *
 * The verdict follows one precedence (judge_reason): interrupted, then
 * everything held (PASS), then QEMU refusing to start the machine, a
 * forbidden line, a flood, an output that decided the run before its end
 * (match.h), a host command that ended without the lines after it, an
 * item other than the UART's that failed, a timeout, and last a boot that
 * ended early (panicked or not).
 */
#ifndef LAB_JUDGE_H
#define LAB_JUDGE_H

#include <stddef.h>

#include "catalog.h"
#include "diagnose.h"
#include "gdb.h"
#include "hoststep.h"
#include "match.h"
#include "result.h"

/* Bytes after which the runner stops listening to a guest. */
#define UART_FLOOD (64ull * 1024 * 1024)

/* How a boot ended. */
struct boot_end {
	int qemu_exited, qemu_status, timed_out, flood, interrupted;
	int late;              /* booting at once, gdb attached after "Run /init" */
	int host_ended;        /* a thread waited for the output of a host command that had
				* ended: it could not go on */
	long long silent_ms;   /* how long the guest had printed nothing when the run ended */
};

/* What the UART showed besides the check's patterns: fed every line. */
struct boot_seen {
	struct diagnoses diag;
	int saw_run_init;      /* the kernel said "Run /init as init process" */
	int user_output;       /* after that, a line from the guest's programs */
	char *qemu_said;       /* QEMU's own complaint (owned), when it would not start */
	int qemu_said_initrd;  /* ...and it was about the initrd */
};

/* Take one complete UART line. Returns 1 if it is "Run /init as init process". */
int boot_seen_line(struct boot_seen *s, const char *line);
void boot_seen_release(struct boot_seen *s);

/* Why a verdict, most decisive first. */
enum judge_reason {
	JR_INTERRUPTED,        /* ERROR: the user stopped the check */
	JR_ALL_HELD,           /* PASS */
	JR_QEMU_REFUSED,       /* FAIL (the archive) or ERROR (the set-up) */
	JR_FORBIDDEN,          /* FAIL: a reject line appeared */
	JR_FLOOD,              /* FAIL: too much output */
	JR_DECIDED,            /* FAIL: the output decided it before the end (match.h) */
	JR_HOST_ENDED,         /* FAIL: a host command ended without the lines after it */
	JR_OUTPUT_RIGHT,       /* FAIL: the UART said all, something else failed */
	JR_TIMED_OUT,          /* TIMEOUT */
	JR_PANICKED,           /* FAIL: a panic cut the output short */
	JR_ENDED_EARLY         /* FAIL: QEMU ended before the output was complete */
};

struct judge_facts {
	int interrupted, failed, qemu_refused, forbidden, flood, decided, host_ended,
		uart_complete, timed_out, panicked;
};

/* The precedence rule. */
enum judge_reason judge_reason(const struct judge_facts *f);

struct judge_input {
	const struct check *check;
	const struct matcher *m;          /* flushed: the boot is over */
	const struct boot_seen *seen;
	const struct boot_end *end;
	const struct gdb_bp *bps;         /* one per check->gdb line */
	size_t nbp;
	const struct gdb_hit *hits;
	size_t nhits;
	int have_pids;                    /* hits carry PIDs */
	const unsigned long long *set;    /* the addresses gdb set breakpoints on */
	size_t nset;
	const char *gdb_error;            /* gdb stopped early, or NULL */
	const struct witness *witness;    /* the witness's record, or NULL: not asked for */
	const char *witness_unavailable;  /* why the record cannot be judged, or NULL */
	const char *gdb_log;              /* named in advice */
	/* Per check->answers[i]: the learner's value (NULL: none) and the
	 * file it was looked for in. */
	char *const *answer_values;
	char *const *answer_paths;
	/* How the time limit was reached from the stage's (e.g. "the stage's 25 s x
	 * LAB_TIMEOUT_SCALE 2"), or NULL: the stage's own limit. */
	const char *limit_note;
	const char *uart;                 /* the boot's UART log, for answers */
	size_t uart_len;
	const struct host_run *hosts;     /* the check's host commands that ran */
	size_t nhosts;
	/* Per check->ondisk[i]: the file's text read out of the disk after
	 * the boot, or NULL and why it could not be read. */
	char *const *disk_text;
	char *const *disk_why;
	/* The names of the files the web responder served, one a line ("" if
	 * none), for `served` lines. */
	const char *served;
};

/* Items, advice and verdict into r (which may already hold build facts). */
void judge(const struct judge_input *in, struct result *r);

/* The value after "KEY:" on a line of text (case-insensitive key, blanks
 * trimmed), or NULL; caller frees. */
char *answer_value(const char *text, const char *key);

#endif
