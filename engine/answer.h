/*
 * answer.h: a check's `answer` line judged on the boot's output: is the
 * learner's value what the boot printed, and if not, what to write
 * instead, in the log's own terms (the time stamp left out, the address
 * as the log writes it).
 *
 * Pure code: no state, no I/O. The caller owns every string it gets.
 */
#ifndef LAB_ANSWER_H
#define LAB_ANSWER_H

#include <stddef.h>

#include "pattern.h"

/*
 * NULL when value passes: it is in the output (len bytes of uart) as a
 * whole word, not inside a longer word or number ("0x1000000" does not
 * pass for "0x10000000"), and re (NULL: anything) matches it. Otherwise a
 * new string saying why not and what to write.
 */
char *answer_problem(const char *uart, size_t len, const char *value, const struct pattern *re);

#endif
