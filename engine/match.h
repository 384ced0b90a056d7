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
 * Memory is bounded whatever the guest prints: one line (at most
 * MATCH_LINE_MAX bytes; a longer one is cut) and the last MATCH_KEEP lines.
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

struct matcher {
	const struct check *c;
	size_t *pos;            /* per thread: index of the next step */
	size_t *col;            /* per thread: where in the current line to go on */
	size_t *line_first;     /* per thread: the first step matched in the current line */
	char ***seen;           /* per thread, per step: the line that matched it */
	char ***early;          /* per thread, per step: a line where it (an expect's
				 * pattern, a send's prompt) appeared before its turn */
	char **anywhere_seen;   /* per anywhere pattern: the line, or NULL */
	/* per thread, per send step: which occurrence of its prompt (1 = the
	 * first the UART showed) it was typed after, for the witness's `runs` */
	size_t **prompt_seq;
	size_t **prompts_done;  /* per thread, per prompt: occurrences in complete lines */
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
/* Every thread finished and every anywhere pattern seen. */
int matcher_complete(const struct matcher *m);
/* The last n lines (including the unfinished one), joined; caller frees. */
char *matcher_last_lines(const struct matcher *m, int n);
void matcher_release(struct matcher *m);

#endif
