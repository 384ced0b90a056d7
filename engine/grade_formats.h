/*
 * grade_formats.h: one check's row of a grading report, in each format.
 *
 * A row is a result seen the way every grading report shows it: its texts
 * cleaned (text_clean: valid UTF-8, the run's nonce as {nonce}, its run
 * folder as <run>, no printk time stamps in what the guest printed) and the
 * items that did not hold, each marked by item_mark(). A row prints as a
 * JSON record, a TAP test with its YAML, a JUnit testcase or a Gradescope
 * test; the text report is a table of verdicts and has no rows.
 *
 * Pure code. A grade_row owns its cleaned texts (grade_row_release() frees
 * them) and borrows its result, which must outlive it.
 */
#ifndef LAB_GRADE_FORMATS_H
#define LAB_GRADE_FORMATS_H

#include <stdio.h>

#include "result.h"

enum grade_format { GF_TEXT, GF_JSON, GF_TAP, GF_JUNIT, GF_GRADESCOPE, GF_COUNT };

/* The format named name ("text", "json", "tap", "junit", "gradescope"), or -1. */
int grade_format_find(const char *name);
/* Its file name extension: "txt", "json", "tap", "xml", "gradescope.json". */
const char *grade_format_ext(enum grade_format fmt);

struct grade_row {
	char *sub;                 /* the submission's name, cleaned */
	size_t number;             /* 1-based place in the report */
	const struct result *r;
	char *headline;            /* on one line */
	char *build_errors, *uart;
	struct strv failed;        /* "MISSING expect Hello world", ... on one line each */
	struct strv advice;        /* none when the verdict is PASS */
};

void grade_row_init(struct grade_row *w, const char *sub, size_t number, const struct result *r);
void grade_row_release(struct grade_row *w);
/* Print the row in fmt (not GF_TEXT); no newline after a JSON or
 * Gradescope object, the report puts the commas. */
void grade_row_print(FILE *f, enum grade_format fmt, const struct grade_row *w);

/* Clean every text of r in place (text_clean, nothing hidden): the JSON
 * record shows r itself, and it too must be valid UTF-8. */
void grade_result_clean(struct result *r);

#endif
