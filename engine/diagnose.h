/*
 * diagnose.h: turn what the kernel printed into advice a beginner can act on.
 *
 * The kernel's messages are exact but terse: "Failed to execute /init
 * (error -8)" means the program was built for another machine. A table
 * (diagnose.c) maps each known message to an explanation, the likely fix
 * and the workbook page that explains it. The engine feeds every UART line
 * to diagnose_line() and prints what was found with the verdict.
 *
 * Pure code; a struct diagnoses holds the findings of one run.
 */
#ifndef LAB_DIAGNOSE_H
#define LAB_DIAGNOSE_H

#include <stddef.h>

#define DIAG_MAX 8

struct diagnoses {
	int found[DIAG_MAX];   /* indexes into the table, in order of appearance */
	size_t n;
	int exitcode_seen;     /* an "Attempted to kill init!" line */
	unsigned exitcode;
};

void diagnose_line(struct diagnoses *d, const char *line);
/* The advice of finding i: "what it means; what to do (page)". */
const char *diagnose_text(const struct diagnoses *d, size_t i);
/*
 * Explain an init exit code (the kernel prints it as exitcode=0x%08x): the
 * low 7 bits are the signal that killed it, bits 8-15 the exit status.
 * Writes e.g. "init returned 1 (exit status 1)" or "init was killed by
 * signal 11 (SIGSEGV, a bad memory access)".
 */
void diagnose_exitcode(unsigned code, char *out, size_t outlen);

#endif
