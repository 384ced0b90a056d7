/*
 * lab-runner: the workbook's guide and checker.
 *
 * This file is the entry point and the table of commands, as git's git.c
 * is: each command is one function with one signature (commands.h),
 * taking the context and its parsed arguments and returning the exit
 * status. Each row of the table says what the command takes (its own
 * option table, options.h) and what it needs set up first; the
 * dispatcher parses, sets up, runs and releases, and the usage and the
 * help come from the same tables. The command bodies are in commands/,
 * the work they ask for in the modules under engine/ (each header states
 * its contract).
 *
 * Exit status: 0 success (PASS), 1 the check did not pass (FAIL or
 * TIMEOUT), 2 an error (bad usage, a broken build or set-up), 130
 * interrupted.
 */
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "commands.h"
#include "grade.h"
#include "options.h"
#include "util.h"

/* ---------------------------------------------------------- the tables */

#define A(field) offsetof(struct args, field)

/* Rows several commands share. */
#define STAGE_WORD(what) OPT_WORD("stage", A(stage), "STAGE", 0, "3, 03 or 03-little-shell " what)
#define DIR_OPTION(what) OPT_STRING("dir", 0, A(dir), "PATH", what)
#define KERNEL_OPTION(what) OPT_CHOICE("kernel", 0, A(kconfig), "lab|defconfig", what)
#define INITRAMFS_OPTION(what) OPT_STRING("initramfs", 0, A(initramfs), "FILE", what)

static const struct option check_options[] = {
	STAGE_WORD("(default: --dir's name, or the current stage)"),
	DIR_OPTION("check the folder PATH instead of labs/STAGE/"),
	INITRAMFS_OPTION("check this archive instead of building one"),
	KERNEL_OPTION("boot this kernel of the lab instead of the one the stage says"),
	OPT_INT("timeout", 0, A(timeout), "S", 1, 600,
		"give up after S seconds, not the stage's limit"),
	OPT_FLAG("json", 0, A(json), "print the result as one JSON object"),
	OPT_END,
};

static const struct option trace_options[] = {
	STAGE_WORD("(default: --dir's name, or the current stage)"),
	DIR_OPTION("trace the folder PATH instead of labs/STAGE/"),
	INITRAMFS_OPTION("trace this archive instead of building one"),
	KERNEL_OPTION("boot this kernel of the lab instead of the one the stage says"),
	OPT_FLAG("syscalls", 0, A(syscalls), "list every system call, with its arguments"),
	OPT_FLAG("json", 0, A(json), "print the record as one JSON object"),
	OPT_END,
};
static const struct option boot_options[] = {
	STAGE_WORD("(default: --dir's name, or the current stage)"),
	DIR_OPTION("boot what the folder PATH builds instead of labs/STAGE/"),
	KERNEL_OPTION("boot this kernel of the lab instead of the one the stage says"),
	OPT_END,
};

static const struct option console_options[] = {
	OPT_WORD("socket", A(socket), "SOCKET", OPTION_REQUIRED,
		 "the UART's socket, as ./lab-runner debug names it"),
	OPT_END,
};

static const struct option help_options[] = {
	OPT_WORD("command", A(topic), "COMMAND", 0, "the command to explain"),
	OPT_END,
};

static const struct option hint_options[] = {
	STAGE_WORD("(default: the current stage)"),
	OPT_END,
};

static const struct option kernel_options[] = {
	OPT_WORD("action", A(action), "build|menuconfig", OPTION_REQUIRED | OPTION_ONE_OF,
		 "build the kernel, or change its configuration"),
	OPT_WORD("configuration", A(config), "lab|defconfig", OPTION_ONE_OF,
		 "the lab's configuration (the default) or the stock one"),
	OPT_END,
};

static const struct option reset_options[] = {
	OPT_WORD("stage", A(stage), "STAGE", OPTION_REQUIRED, "3, 03 or 03-little-shell"),
	OPT_FLAG("yes", 'y', A(yes), "do not ask first"),
	OPT_END,
};

static const struct option solution_options[] = {
	OPT_WORD("stage", A(stage), "STAGE", OPTION_REQUIRED, "3, 03 or 03-little-shell"),
	OPT_FLAG("force", 0, A(force), "show it before the stage passes (that is recorded)"),
	OPT_END,
};

static const struct option verify_options[] = {
	OPT_WORD("stage", A(stages), "STAGE", OPTION_MANY,
		 "only these stages: 3, 03 or 03-little-shell (default: every stage)"),
	KERNEL_OPTION("boot the stages that use the lab's kernel on this one"),
	OPT_END,
};

static const struct option watch_options[] = {
	STAGE_WORD("(default: --dir's name, or the current stage)"),
	DIR_OPTION("watch the folder PATH instead of labs/STAGE/"),
	OPT_END,
};

/* What a command needs set up before it runs; the dispatcher does it. */
#define NEEDS_TOP      1u                       /* c->top: the lab's folder */
#define NEEDS_CATALOG  (2u | NEEDS_TOP)         /* c->cat: the stages */
#define NEEDS_STATE    (4u | NEEDS_CATALOG)     /* c->st: the learner's progress */
#define NEEDS_SIGNALS  8u                       /* SIGINT, SIGTERM, SIGHUP read from c->sigfd */
#define OWN_ARGS       16u                      /* parses its own arguments (a->argc, a->argv) */
#define FOR_AUTHORS    32u                      /* listed apart, for lab authors and teachers */

struct cmd {
	const char *name;
	int (*fn)(struct ctx *, const struct args *);
	unsigned needs;
	const struct option *options;   /* what it takes; NULL: nothing */
	const char *help;
	const char *usage;              /* OWN_ARGS: its usage line (the others': from options) */
};

static int cmd_grade(struct ctx *c, const struct args *a);
static int cmd_help(struct ctx *c, const struct args *a);

/* The table of commands, sorted by name, as git.c has it. */
static const struct cmd commands[] = {
	{"check", cmd_check, NEEDS_STATE | NEEDS_SIGNALS, check_options,
	 "check a stage: build, boot in QEMU, type, match the UART, watch with gdb "
	 "(exit 0 PASS, 1 FAIL/TIMEOUT, 2 ERROR)", NULL},
	{"console", cmd_console, 0, console_options,
	 "type to the guest of a debug session: this terminal becomes its UART (Ctrl-] ends it)",
	 NULL},
	{"debug", cmd_debug, NEEDS_STATE | NEEDS_SIGNALS, boot_options,
	 "boot paused and open gdb-multiarch, connected, stopped at main of /init", NULL},
	{"grade", cmd_grade, NEEDS_CATALOG | NEEDS_SIGNALS | OWN_ARGS | FOR_AUTHORS, NULL,
	 GRADE_HELP, GRADE_USAGE},
	{"help", cmd_help, 0, help_options, "show this help, or one command's", NULL},
	{"hint", cmd_hint, NEEDS_STATE, hint_options,
	 "show the next hint of a stage, one more each time", NULL},
	{"kernel", cmd_kernel, NEEDS_TOP | NEEDS_SIGNALS, kernel_options,
	 "build the kernel, or change its configuration with menuconfig", NULL},
	{"list", cmd_list, NEEDS_STATE, NULL,
	 "every stage: done, current or locked, and its last verdict", NULL},
	{"next", cmd_next, NEEDS_STATE | NEEDS_SIGNALS, NULL,
	 "check the current stage; when it passes, open the next one (your files are never "
	 "replaced)", NULL},
	{"reset", cmd_reset, NEEDS_CATALOG, reset_options,
	 "put the starter back in labs/STAGE, after saving your files in labs/.backup/", NULL},
	{"run", cmd_run, NEEDS_STATE | NEEDS_SIGNALS, boot_options,
	 "build and boot a stage with the UART on your terminal (Ctrl-A X quits)", NULL},
	{"solution", cmd_solution, NEEDS_STATE, solution_options,
	 "show the reference solution, once the stage has passed (--force: now, and it is "
	 "recorded)", NULL},
	{"status", cmd_list, NEEDS_STATE, NULL, "the same as list", NULL},
	{"trace", cmd_trace, NEEDS_STATE | NEEDS_SIGNALS, trace_options,
	 "boot a stage as check does and draw what ran: the process tree, and each console "
	 "line marked with the process that wrote it (the kernel's witness)", NULL},
	{"verify", cmd_verify, NEEDS_CATALOG | NEEDS_SIGNALS | FOR_AUTHORS, verify_options,
	 "every check parses, every page and hint exists, every solution passes, every starter "
	 "fails (every stage, or the ones named)", NULL},
	{"watch", cmd_watch, NEEDS_STATE | NEEDS_SIGNALS, watch_options,
	 "check again every time you save a file (Enter stops)", NULL},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* No command at all: where the learner is. */
static const struct cmd where_cmd = {"", cmd_where, NEEDS_STATE, NULL, "", NULL};

/* lab-runner's own options, before the command. */
struct globals {
	int verbose, no_color;
};

#define G(field) offsetof(struct globals, field)

static const struct option global_options[] = {
	OPT_FLAG("verbose", 'v', G(verbose), "show QEMU's and gdb's command lines"),
	OPT_FLAG("no-color", 0, G(no_color), "no colour (NO_COLOR=1 does the same)"),
	{OPTION_FLAG, "no-colour", 0, G(no_color), NULL, 0, 0, OPTION_HIDDEN, NULL},
	OPT_END,
};

/* ----------------------------------------------------------- the help */

static const struct cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* "check [STAGE] [--dir PATH] ...": the command's usage, from its table. */
static char *
cmd_usage(const struct cmd *k)
{
	struct sb s;

	if (k->usage)
		return xstrdup(k->usage);
	sb_init(&s);
	sb_puts(&s, k->name);
	if (k->options && k->options[0].kind != OPTION_END)
		sb_puts(&s, " ");
	options_synopsis(&s, k->options);
	return sb_detach(&s);
}

static void
cmd_help_text(FILE *f, const struct cmd *k)
{
	char *u = cmd_usage(k);
	struct sb s;

	sb_init(&s);
	options_help(&s, k->options);
	fprintf(f, "usage: ./lab-runner %s\n\n%s\n", u, k->help);
	if (s.len)
		fprintf(f, "\n%s", s.buf);
	if (k->needs & OWN_ARGS)
		fprintf(f, "\n(docs/grading.md explains every option.)\n");
	sb_release(&s);
	free(u);
}

/* A usage error: what is wrong, then the command's usage line. Returns 2. */
static int
usage_error(const struct cmd *k, const char *what)
{
	char *u = cmd_usage(k);

	fprintf(stderr, "lab-runner: %s: %s\nusage: ./lab-runner %s\n", k->name, what, u);
	free(u);
	return 2;
}

static void
usage(FILE *f)
{
	struct sb s;

	sb_init(&s);
	options_synopsis(&s, global_options);
	fprintf(f, "usage: ./lab-runner %s [COMMAND [ARGS]]\n\n"
		   "Build a tiny Linux distribution for RISC-V, stage by stage, checked in QEMU.\n"
		   "With no command: where you are and what to do next.\n\n"
		   "Commands:\n", s.buf);
	for (int authors = 0; authors < 2; authors++) {
		if (authors)
			fprintf(f, "\nFor lab authors and teachers:\n");
		for (size_t i = 0; i < NCOMMANDS; i++)
			if ((commands[i].needs & FOR_AUTHORS ? 1 : 0) == authors)
				fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	}
	sb_reset(&s);
	options_help(&s, global_options);
	fprintf(f, "\nA STAGE is a number or a name: 3, 03, 03-little-shell.\n"
		   "Options, before the command:\n%s"
		   "./lab-runner help COMMAND shows one command and its options. "
		   "The workbook: docs/workbook.md.\n", s.buf);
	sb_release(&s);
}

static int
cmd_help(struct ctx *c, const struct args *a)
{
	(void)c;
	if (!a->topic) {
		usage(stdout);
		return 0;
	}
	const struct cmd *k = find_cmd(a->topic);
	if (!k) {
		char what[256];
		snprintf(what, sizeof(what), "no command '%s'", a->topic);
		return usage_error(find_cmd("help"), what);
	}
	cmd_help_text(stdout, k);
	return 0;
}

/* grade has its own parser (engine/grade.c): it gets the words as they came. */
static int
cmd_grade(struct ctx *c, const struct args *a)
{
	return grade_main(&c->cat, a->argc, a->argv, c->sigfd, c->color);
}

/* ------------------------------------------------------ the dispatcher */

/* The lab's top folder: where this binary lives (it is built there). */
static char *
find_top(void)
{
	char buf[PATH_MAX];
	const char *env = getenv("LAB_TOP");
	if (env && *env)
		return realpath(env, NULL);
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		char *slash = strrchr(buf, '/');
		if (slash)
			*slash = '\0';
		/* build/asan/lab-runner lives two folders down. */
		char *steps = xasprintf("%s/steps", buf);
		int ok = is_dir(steps);
		free(steps);
		if (!ok && strstr(buf, "/build/")) {
			*strstr(buf, "/build/") = '\0';
		}
		return xstrdup(buf);
	}
	return realpath(".", NULL);
}

/* Does a command that parses its own words ask for help (before any --)? */
static int
asks_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/*
 * Run one command, as git's run_builtin: parse its words by its table (a
 * usage error ends it here, before anything is loaded), set up what it
 * needs, call it, release. Returns the exit status.
 */
static int
run_command(const struct cmd *k, int argc, char **argv, const struct globals *g)
{
	struct ctx c;
	struct args a;
	char err[512];
	int rc = 2;

	memset(&a, 0, sizeof(a));
	a.name = k->name;
	a.argc = argc;
	a.argv = argv;
	if (k->needs & OWN_ARGS) {
		if (asks_help(argc, argv)) {
			cmd_help_text(stdout, k);
			return 0;
		}
	} else {
		switch (options_parse(k->options, argc, argv, &a, err, sizeof(err))) {
		case OPTIONS_OK:
			break;
		case OPTIONS_HELP:
			cmd_help_text(stdout, k);
			strv_release(&a.stages);
			return 0;
		case OPTIONS_ERROR:
			strv_release(&a.stages);
			return usage_error(k, err);
		}
	}

	memset(&c, 0, sizeof(c));
	c.sigfd = -1;
	c.verbose = g->verbose;
	c.color = !g->no_color && isatty(1) && !getenv("NO_COLOR") &&
		strcmp(getenv("TERM") ? getenv("TERM") : "", "dumb");
	if (k->needs & NEEDS_SIGNALS) {
		/* Signals become readable events (a signalfd) that the engine
		 * polls: a Ctrl-C ends a check cleanly, with QEMU and gdb stopped. */
		sigemptyset(&c.blocked);
		sigaddset(&c.blocked, SIGINT);
		sigaddset(&c.blocked, SIGTERM);
		sigaddset(&c.blocked, SIGHUP);
		sigprocmask(SIG_BLOCK, &c.blocked, NULL);
		c.sigfd = signalfd(-1, &c.blocked, SFD_CLOEXEC | SFD_NONBLOCK);
	}
	if ((k->needs & NEEDS_TOP) && !(c.top = find_top())) {
		fprintf(stderr, "lab-runner: cannot find the lab's folder\n");
		goto out;
	}
	if ((k->needs & NEEDS_CATALOG) == NEEDS_CATALOG &&
	    catalog_load(&c.cat, c.top, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: %s\n", err);
		goto out;
	}
	if ((k->needs & NEEDS_STATE) == NEEDS_STATE) {
		char *statefile = xasprintf("%s/.lab-state", c.top);
		state_load(&c.st, statefile);
		free(statefile);
		if (c.st.warning)
			fprintf(stderr, "lab-runner: warning: %s\n", c.st.warning);
	}

	rc = k->fn(&c, &a);
out:
	strv_release(&a.stages);
	state_release(&c.st);
	catalog_release(&c.cat);
	free(c.top);
	if (c.sigfd >= 0)
		close(c.sigfd);
	return rc;
}

int
main(int argc, char **argv)
{
	struct globals g = {0};
	char err[512];
	int i, rc;

	signal(SIGPIPE, SIG_IGN);
	/* lab-runner's own options come before the command (they take no value). */
	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		;
	switch (options_parse(global_options, i, argv, &g, err, sizeof(err))) {
	case OPTIONS_OK:
		break;
	case OPTIONS_HELP:
		usage(stdout);
		return 0;
	case OPTIONS_ERROR:
		fprintf(stderr, "lab-runner: %s\n", err);
		usage(stderr);
		return 2;
	}
	const struct cmd *k = i < argc ? find_cmd(argv[i]) : &where_cmd;
	if (!k) {
		fprintf(stderr, "lab-runner: '%s' is not a command. "
			"./lab-runner --help lists them.\n", argv[i]);
		return 2;
	}
	rc = run_command(k, argc - i, argv + i, &g);
	/* Before anything at exit (a sanitizer's report) can cut it short. */
	fflush(stdout);
	return rc;
}
