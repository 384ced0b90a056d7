/*
 * rundir.h: the folder of one check, under build/runs/ (or a root the
 * caller names): build/runs/STAGE.XXXXXX/ with the private copy of the
 * learner's folder (src/), uart.log, qemu.log (QEMU's own messages, kept
 * out of the UART's), gdb.log, build.log, the witness's witness.log and
 * witness.json, and gdb's socket.
 * Each run has its own folder, so two checks never share a file; the
 * RUNDIR_KEPT newest of a stage are kept for the learner to read, older
 * ones are removed when a new one is made.
 *
 * A unix socket's path has at most 107 bytes: when the run folder is too
 * deep, the socket goes into a short private folder under /tmp instead,
 * removed by rundir_release().
 */
#ifndef LAB_RUNDIR_H
#define LAB_RUNDIR_H

#include <stddef.h>

#define RUNDIR_KEPT 10

struct rundir {
	char *path;            /* build/runs/STAGE.XXXXXX */
	char *uart_log, *qemu_log, *gdb_log, *build_log, *gdb_script;
	char *witness_log, *witness_json;   /* the witness's record, read and for tools */
	char *src;             /* the learner's folder is copied here */
	char *socket;          /* gdb's unix socket */
	char *sockdir;         /* the short folder holding it, or NULL */
};

/* Make a fresh run folder for stage under root and prune the old ones.
 * Returns 0, or -1 with err filled. */
int rundir_make(struct rundir *d, const char *root, const char *stage, char *err, size_t errlen);
/* Remove the socket (and its short folder); the run folder stays. */
void rundir_release(struct rundir *d);

#endif
