/*
 * grade_report.h: a class's report, joined from the row files of its checks.
 *
 * Each check leaves its row (grade_formats.h) in files beside its logs:
 * BASE.json, BASE.tap, BASE.xml and BASE.gradescope.json, then BASE.summary
 * (verdict, points, headline). The summary is written last, so a summary on
 * disk means a complete row. A report joins the rows in the class's order
 * and adds each format's frame: the TAP plan, the JUnit suites and their
 * counts, the Gradescope total; the text report is a table of the summaries.
 * Nothing in a report depends on the order in which the checks ended.
 *
 * The caller owns every struct here. Files are read and written only at
 * the BASE paths given; nothing is kept between calls.
 */
#ifndef LAB_GRADE_REPORT_H
#define LAB_GRADE_REPORT_H

#include <stdio.h>

#include "catalog.h"
#include "grade_formats.h"

/* One check of the class: where its rows are, and what they say. */
struct grade_cell {
	char *base;                /* its rows are base.EXT */
	enum verdict verdict;      /* these four: from base.summary */
	int points, max_points;
	char *headline;            /* NULL until a summary was read */
};

/*
 * Clean r in place (grade_result_clean), then write its row in every
 * format but text, and last the summary. Returns 0, or -1 with err filled
 * (then there is no summary).
 */
int grade_rows_write(const char *base, const char *sub, size_t number, struct result *r,
		     char *err, size_t errlen);
/* Read base.summary into c: 1 when it is there and complete, else 0 (c's
 * verdict may then be anything: the caller decides what it is). */
int grade_cell_read(struct grade_cell *c);

/* A class: its submissions by stages, each cell's summary read. */
struct grade_class {
	size_t nsubs, nstages;
	const char **subs;                  /* the submissions' names, as given */
	const struct stage **stages;        /* in catalogue order */
	const int *max_points;              /* each stage's, from its check */
	struct grade_cell *cell;            /* cell[i * nstages + s]: submission i, stage s */
};

/* The whole report in fmt; colour (text only) when color is set. */
void grade_report(FILE *f, enum grade_format fmt, const struct grade_class *c, int color);

#endif
