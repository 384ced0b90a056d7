/*
 * pattern.h: a text to look for in a line of UART output, written in a
 * check file as a literal ("Run /init") or between slashes as a POSIX
 * extended regular expression (/^init! [0-9]+$/).
 *
 * Ownership: a pattern owns its text, its compiled regex and its `why`;
 * pattern_release() frees them. Pure code: no I/O, no global state.
 *
 * Some regular expressions make glibc's regcomp() take gigabytes or run
 * for ever; pattern_init() refuses them before regcomp() sees them
 * (regex_refused(), the design note in pattern.c).
 */
#ifndef LAB_PATTERN_H
#define LAB_PATTERN_H

#include <regex.h>
#include <stddef.h>

struct pattern {
	char *text;        /* as written, without the slashes of a /regex/ */
	int is_regex;
	regex_t re;        /* compiled, if is_regex */
	char *why;         /* `explain`: what it means when this fails, or NULL */
};

/*
 * Make p from a check file's value: "/.../" is a regular expression, any
 * other text a literal. Returns 0, or -1 with err filled ("empty pattern",
 * "bad regular expression /a(/: ...") and nothing to release.
 */
int pattern_init(struct pattern *p, const char *value, char *err, size_t errlen);
void pattern_release(struct pattern *p);

/*
 * Whether p occurs in line at or after column from: 1 with [*start, *end)
 * the first match, or 0 (a search, not a failure). A regex does not see
 * the start of the line as its ^ once from > 0.
 */
int pattern_find(const struct pattern *p, const char *line, size_t from,
		 size_t *start, size_t *end);

/* NULL if regcomp() may compile the regular expression re, or why not:
 * "nests groups more than 32 deep". */
const char *regex_refused(const char *re);

#endif
