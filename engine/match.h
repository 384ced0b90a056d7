/*
 * match.h: follow the UART output as it arrives and match it against a
 * check's expectations, expect-style.
 *
 * The output is cut into lines (a pattern never spans two). The line being
 * written is matched too, before its newline arrives, because prompts end
 * without one. Each thread of the check keeps its own position: the index
 * of its next step and the column in the current line where the search
 * goes on. A `send` step is ready once its prompt appears after that
 * position; the matcher then hands the line to type back to the caller,
 * which writes it to the guest.
 *
 * A step that shows up before its turn (out of order) is noted too, with
 * its line, in early[][], so that a report never calls a line MISSING that
 * appeared: for the first MATCH_EARLY_BYTES of output (a flood is not
 * searched for every step).
 *
 * A step written `line` matches only a whole line (nothing glued before or
 * after it); a line that holds its text with more glued on is noted in
 * glued[][], so that the report can say so.
 *
 * The matcher also notes when the output has decided the run although the
 * time is not up (struct match_decided): after a `send`, its prompt came
 * back before the line the check expects as the answer; a `once` line
 * appeared again; in a thread that types nothing, a `once` line came before
 * the one the thread still waits for; a guest error line, after which only a
 * `ticks` thread went on while another waited for its prompt. The thread
 * it decided then stops moving, and nothing more is typed.
 *
 * Lines that look like the guest's own error messages (init:, lsh:, a
 * perror() ending) are kept in errors, so a report can show them even when
 * they have scrolled out of the last lines.
 *
 * Memory is bounded whatever the guest prints: one line (at most
 * MATCH_LINE_MAX bytes; a longer one is cut) and the last MATCH_KEEP lines.
 *
 * A `host` line (check.h, STEP_HOST) is a step the UART does not show:
 * when its thread reaches it, the matcher says so once (matcher_host_due)
 * and the caller runs the command; the thread's later lines are matched
 * in that command's output (matcher_host_line), never in the UART's.
 *
 * Pure code: no I/O. The check must outlive the matcher.
 */
#ifndef LAB_MATCH_H
#define LAB_MATCH_H

#include "catalog.h"
#include "util.h"

#define MATCH_LINE_MAX 4096
#define MATCH_KEEP 40
#define MATCH_EARLY_BYTES (4u << 20)
#define MATCH_ERRORS 8          /* guest error lines kept (the first ones) */
#define MATCH_QUOTE 300         /* bytes kept of what came between a command and its prompt */

/* Why the output has decided the run (a FAIL) before the time was up. */
enum match_decision {
	MD_NONE,
	MD_PROMPT_FIRST,        /* after a send, the prompt came back before the answer */
	MD_REPEATED,            /* a `once` line appeared again */
	MD_OUT_OF_ORDER,        /* a thread that types nothing: a later `once` line came first */
	MD_STALLED,             /* a guest error line, then only a `ticks` thread went on */
};

struct match_decided {
	enum match_decision why;
	size_t thread, step;    /* the step that can no longer hold (REPEATED: the once step) */
	size_t later;           /* OUT_OF_ORDER: the step whose line came first */
	char *line;             /* the line that decided (owned) */
	/* PROMPT_FIRST: what the console showed between the typed line and the
	 * prompt, lines joined by " | " ("" for nothing); STALLED: the error line */
	char *between;
	char *late;             /* PROMPT_FIRST: a line where the answer came after all */
};

struct matcher {
	const struct check *c;
	size_t *pos;            /* per thread: index of the next step */
	size_t *col;            /* per thread: where in the current line to go on */
	size_t *line_first;     /* per thread: the first step matched in the current line */
	char ***seen;           /* per thread, per step: the line that matched it */
	char ***early;          /* per thread, per step: a line where it (an expect's
				 * pattern, a send's prompt) appeared before its turn */
	char ***glued;          /* per thread, per `line` step: a line that held its text
				 * with more glued to it */
	char **near;            /* per thread: the line nearest to its current step's text */
	size_t *near_step;      /* ...for this step */
	unsigned *near_dist;    /* ...at this edit distance */
	size_t *sent;           /* per thread: 1 + the index of the last send typed, or 0 */
	size_t *sent_line;      /* ...and the number of the line it was typed in */
	struct sb *between;     /* per thread: the lines since that send's line */
	size_t **at;            /* per thread, per step: where in its line its match began */
	char ***once_text;      /* per thread, per once step: its text to the line's end */
	char **err_wait;        /* per thread: the first error line since it last moved */
	size_t *ticked;         /* ...and the steps `ticks` threads have moved since */
	struct match_decided decided;
	size_t decided_line;    /* the number of the line it was decided in */
	size_t decided_col;     /* PROMPT_FIRST: where in that line the prompt ended */
	struct strv errors;     /* the guest's error lines, the first MATCH_ERRORS */
	size_t errors_more;     /* ...and how many more there were */
	char **anywhere_seen;   /* per anywhere pattern: the line, or NULL */
	/* per thread, per send step: which occurrence of its prompt (1 = the
	 * first the UART showed) it was typed after, for the witness's `runs` */
	size_t **prompt_seq;
	size_t **prompts_done;  /* per thread, per prompt: occurrences in complete lines */
	size_t *host_due;       /* per thread: 1 + a host step whose turn came, not yet taken */
	size_t *host_at;        /* per thread: 1 + the host step it reached last, or 0 */
	int reject_hit;         /* index of the first reject pattern seen, or -1 */
	char *reject_line;
	char *panic_line;       /* the first "Kernel panic" line, or NULL */
	struct sb line;         /* the line being written */
	char *keep[MATCH_KEEP]; /* the last complete lines, a ring */
	size_t nkept;           /* lines ever completed */
	unsigned long long bytes;
	/* Called with each complete line (may be NULL). */
	void (*on_line)(void *ctx, const char *line);
	void *ctx;
};

void matcher_init(struct matcher *m, const struct check *c);
/* Feed output; lines ready to type are appended to to_send (may be NULL). */
void matcher_feed(struct matcher *m, const char *data, size_t n, struct strv *to_send);
/* End of output: the unfinished last line counts as a line. */
void matcher_flush(struct matcher *m);
/* A `host` line whose turn came: 1 with its thread and step, each given
 * once; 0 when none is due. */
int matcher_host_due(struct matcher *m, size_t *thread, size_t *step);
/* One complete line of the output of the command of host step `step` of
 * thread: it moves the thread's lines after that step (a line of an older
 * command of the thread counts for nothing). */
void matcher_host_line(struct matcher *m, size_t thread, size_t step, const char *line);
/* Whether thread t waits for a line of a host command's output. */
int matcher_waits_host(const struct matcher *m, size_t t);
/* Every thread finished and every anywhere pattern seen. */
int matcher_complete(const struct matcher *m);
/* The last non-empty line (the unfinished one if any), or ""; the matcher's. */
const char *matcher_last_line(const struct matcher *m);
/* Whether a line looks like a guest program's error message: it starts with
 * init:, lsh:, little_shell: or sh:, or ends like perror()'s output
 * (": No such file or directory") or a shell's "not found". */
int guest_error_line(const char *line);
/* The text a pattern stands for, for comparing a line with it: a literal's
 * text, or a regex's without ^, $ and backslashes when it has no other
 * special character; NULL when it has (caller frees). */
char *pattern_plain(const struct pattern *p);
/* The edit distance between a and b, ignoring case and at most limit (a
 * larger one is reported as limit + 1). */
unsigned edit_distance(const char *a, const char *b, unsigned limit);
/* The last n lines (including the unfinished one), joined; caller frees. */
char *matcher_last_lines(const struct matcher *m, int n);
void matcher_release(struct matcher *m);

#endif
