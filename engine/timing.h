/*
 * timing.h: LAB_TIMING=1 prints when each phase of a check starts
 * (docs/benchmarks.md), on stderr, in milliseconds since the check began.
 * A struct phase_clock belongs to one check; header-only, no state elsewhere.
 */
#ifndef LAB_TIMING_H
#define LAB_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct phase_clock {
	int on;
	long long t0;
};

static inline void
phase_clock_start(struct phase_clock *pc)
{
	const char *v = getenv("LAB_TIMING");
	pc->on = v && !strcmp(v, "1");
	pc->t0 = now_ms();
}

static inline void
phase_mark(const struct phase_clock *pc, const char *what)
{
	if (pc && pc->on)
		fprintf(stderr, "timing: %5lld ms  %s\n", now_ms() - pc->t0, what);
}

#endif
