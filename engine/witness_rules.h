/*
 * witness_rules.h: a check's `by`, `runs` and `witness` lines judged on
 * the witness's record of the boot (engine/witness.h).
 *
 *   by WHO [line]    every time the text the line before matched was
 *                    written to the console, WHO wrote it (and, with
 *                    `line`, as a whole line of its output)
 *   runs PROGRAM     typing the line before made the shell (the process
 *                    that wrote the prompt it was typed at) create a child
 *                    that exec'd PROGRAM, and that child ended and was
 *                    reaped by the shell before the shell's next prompt;
 *                    the shell wrote nothing while the child ran
 *   runs nothing     a built-in: nothing was exec'd before the next prompt
 *   witness exec PROGRAM [WHO]       PROGRAM was exec'd, successfully, by WHO
 *   witness exit WHO status=N        WHO ended with exit status N
 *   witness reaps-orphan WHO         WHO reaped a process it did not create
 *
 * How a UART line is tied to a write: the record keeps, in order, the
 * bytes each process wrote to a terminal. The text an `expect` matched is
 * looked for in those bytes; the terminal's echo of typed input and the
 * kernel's messages are not there, so a line only the echo showed has no
 * writer. A `runs` line finds its prompt by number: the Nth prompt on the
 * UART is the Nth time a process wrote the prompt's text (the matcher
 * counts them, match.h).
 *
 * Pure code: one item per rule into the result, in the learner's words.
 */
#ifndef LAB_WITNESS_RULES_H
#define LAB_WITNESS_RULES_H

#include "check.h"
#include "match.h"
#include "result.h"
#include "witness.h"

/*
 * One ITEM_WITNESS per c->wrules[i]. unavailable: why there is no record
 * (then every rule is an item that was not judged), or NULL. Returns 1 if
 * any rule did not hold. Two mistakes also add one advice each to r: a
 * `by ... line` whose writer was right but whose line was not whole (what a
 * whole line is), and a `runs` whose shell exec'd the program itself (what
 * exec without fork does).
 */
int witness_judge(const struct check *c, const struct matcher *m, const struct witness *w,
		  const char *unavailable, struct result *r);

/*
 * For a run that did not pass: what the record shows went wrong, in the
 * learner's words, into advice (at most a few lines): execs that failed
 * (with the error and who asked), and processes that ended but were never
 * reaped (zombies, with the parent that should have waited).
 */
void witness_advise(const struct witness *w, struct strv *advice);

#endif
