/*
 * commands.h: what lab-runner's commands share, as git's builtin.h: the
 * context the dispatcher (lab-runner.c) sets up, the arguments it parsed
 * by each command's own option table, every command's function, and the
 * few helpers more than one command uses (common.c).
 *
 * A command is one function, int cmd_NAME(struct ctx *, const struct
 * args *), returning the exit status (the top of lab-runner.c lists
 * them). It finds set up what its row in the command table asks for and
 * nothing more: c->top with NEEDS_TOP, c->cat with NEEDS_CATALOG, c->st
 * with NEEDS_STATE; c->sigfd is -1 without NEEDS_SIGNALS. The dispatcher
 * releases all of it after the command returns. Commands print: results
 * to stdout, progress and errors to stderr.
 */
#ifndef LAB_COMMANDS_H
#define LAB_COMMANDS_H

#include <signal.h>

#include "catalog.h"
#include "engine.h"
#include "state.h"

/* Everything a command needs; no globals. */
struct ctx {
	char *top;             /* the lab's top folder */
	struct catalog cat;
	struct state st;
	int color, verbose;
	int sigfd;             /* Ctrl-C, SIGTERM, SIGHUP arrive here */
	sigset_t blocked;
};

/*
 * A command's arguments, parsed by its own table: each command's table
 * names the fields it takes; the others stay 0 or NULL.
 */
struct args {
	const char *name;      /* the command's name, for messages */
	const char *stage;     /* STAGE */
	const char *dir, *initramfs, *kconfig;   /* --dir, --initramfs, --kernel */
	int timeout, json, force, yes;           /* --timeout, --json, --force, --yes */
	int syscalls;                            /* trace --syscalls */
	const char *action, *config;             /* kernel ACTION [CONFIG] */
	const char *topic;     /* help [COMMAND] */
	struct strv stages;    /* verify [STAGE...] (released by the dispatcher) */
	const char *socket;    /* console SOCKET */
	int argc;              /* the words as given, argv[0] the command's name: */
	char **argv;           /* for a command that parses its own (grade) */
};

int cmd_check(struct ctx *c, const struct args *a);
int cmd_console(struct ctx *c, const struct args *a);
int cmd_debug(struct ctx *c, const struct args *a);
int cmd_hint(struct ctx *c, const struct args *a);
int cmd_kernel(struct ctx *c, const struct args *a);
int cmd_list(struct ctx *c, const struct args *a);
int cmd_next(struct ctx *c, const struct args *a);
int cmd_reset(struct ctx *c, const struct args *a);
int cmd_run(struct ctx *c, const struct args *a);
int cmd_solution(struct ctx *c, const struct args *a);
int cmd_trace(struct ctx *c, const struct args *a);
int cmd_verify(struct ctx *c, const struct args *a);
int cmd_watch(struct ctx *c, const struct args *a);
int cmd_where(struct ctx *c, const struct args *a);

/*
 * The stage a command is about: a->stage, else the one --dir's name
 * says, else the learner's current one. NULL, after saying why on
 * stderr, when there is none.
 */
const struct stage *pick_stage(struct ctx *c, const struct args *a);

/*
 * What check, run and debug ask of the engine, from the arguments: the
 * folder is the learner's labs/NN-name/ unless --dir names another.
 * Returns that folder (o->dir; the caller frees it after the check).
 */
char *fill_check_opts(struct ctx *c, const struct stage *s, const struct args *a,
		      struct check_opts *o);

/*
 * Check a stage and report it (text, or JSON with --json); record the
 * verdict in the learner's progress when it is their own folder and
 * archive. *interrupted is set when a signal ended it. Blocks for the
 * whole check.
 */
enum verdict run_check(struct ctx *c, const struct stage *s, const struct args *a,
		       int *interrupted);

/* The exit status for a verdict: 0 PASS, 1 FAIL or TIMEOUT, 2 ERROR, 130 interrupted. */
int exit_for(enum verdict v, int interrupted);

/* How many hints a stage has: steps/NN-name/hints/1.md, 2.md, ... up to the first gap. */
int hint_count(const struct catalog *cat, const struct stage *s);
/* The path of hint k (from 1); the caller frees. */
char *hint_path(const struct catalog *cat, const struct stage *s, int k);

#endif
