/*
 * report.h: show a result to a learner (text), or to a machine (JSON).
 *
 * The text report has one shape for every failure: what was expected and
 * whether it was seen, what went wrong in plain words and what to do, the
 * last lines the guest printed, and where the full logs are. Colour only
 * when asked for (the caller decides: a terminal, and NO_COLOR unset).
 */
#ifndef LAB_REPORT_H
#define LAB_REPORT_H

#include <stdio.h>

#include "engine.h"

void report_text(FILE *f, const struct result *r, int color, int verbose);
/* One JSON object for a result (no trailing newline), valid JSON whatever
 * bytes its texts hold. */
void report_json(FILE *f, const struct result *r);

#endif
