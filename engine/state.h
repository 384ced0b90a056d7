/*
 * state.h: the learner's progress, in one small text file (.lab-state in
 * the lab's top folder, ignored by git), so that a clone resumes where it
 * stopped:
 *
 *   current 02-init-and-shell
 *   done 00-kernel-alone
 *   hints 01-hello-init 2
 *   verdict 01-hello-init PASS 2026-11-27T23:10:00Z
 *   solution 01-hello-init forced
 *
 * Written atomically (a temporary, then rename), so a crash never leaves
 * half a file. A file that does not parse is kept aside as
 * .lab-state.broken-TIME, the lines that did parse are kept, and the
 * reason is reported: a hand edit never crashes the runner.
 */
#ifndef LAB_STATE_H
#define LAB_STATE_H

#include <stddef.h>

struct stage_state {
	char *stage;
	int done;
	int hints;             /* hints shown so far */
	char verdict[8];       /* last verdict, "" if never checked */
	char when[32];
	int solution;          /* 0 not shown, 1 shown after passing, 2 forced */
};

struct state {
	char *path;
	char *current;         /* may be NULL: not started */
	struct stage_state *st;
	size_t n;
	char *warning;         /* set when the file was broken and recovered */
};

/* Load path (a missing file is an empty state). Never fails. */
void state_load(struct state *s, const char *path);
/* The entry for a stage, created if absent. */
struct stage_state *state_get(struct state *s, const char *stage);
void state_set_current(struct state *s, const char *stage);
void state_set_verdict(struct state *s, const char *stage, const char *verdict);
int state_save(const struct state *s);
void state_release(struct state *s);

#endif
