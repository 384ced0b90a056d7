/*
 * lab-runner: the workbook's guide and checker.
 *
 * This file is the entry point and the table of commands, as git's git.c
 * is: each command is one function with one signature, taking the
 * context and its arguments and returning the exit status. The work is
 * done by the modules under engine/ (each header states its contract).
 *
 * Exit status: 0 success (PASS), 1 the check did not pass (FAIL or
 * TIMEOUT), 2 an error (bad usage, a broken build or set-up), 130
 * interrupted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "engine.h"
#include "grade.h"
#include "qemu.h"
#include "report.h"
#include "state.h"
#include "util.h"

/* Everything a command needs; no globals. */
struct ctx {
	char *top;             /* the lab's top folder */
	struct catalog cat;
	struct state st;
	int color, verbose;
	int sigfd;             /* Ctrl-C, SIGTERM, SIGHUP arrive here */
	sigset_t blocked;
};

struct cmd {
	const char *name;
	int (*fn)(struct ctx *, int argc, char **argv);
	const char *usage;
	const char *help;
};

static const struct cmd *find_cmd(const char *name);

/* ---------------------------------------------------------------- helpers */

static int
usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	const struct cmd *c = find_cmd(cmd);

	fputs("lab-runner: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (c)
		fprintf(stderr, "usage: ./lab-runner %s\n", c->usage);
	return 2;
}

/* Options shared by the commands that take a stage and a folder. */
struct target {
	const char *stage_arg, *dir, *initramfs, *kconfig;
	int force, yes, json, timeout;
};

static int
parse_target(const char *cmd, int argc, char **argv, struct target *t)
{
	memset(t, 0, sizeof(*t));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--dir") && i + 1 < argc)
			t->dir = argv[++i];
		else if (!strncmp(a, "--dir=", 6))
			t->dir = a + 6;
		else if (!strcmp(a, "--initramfs") && i + 1 < argc)
			t->initramfs = argv[++i];
		else if (!strncmp(a, "--initramfs=", 12))
			t->initramfs = a + 12;
		else if (!strcmp(a, "--kernel") && i + 1 < argc)
			t->kconfig = argv[++i];
		else if (!strncmp(a, "--kernel=", 9))
			t->kconfig = a + 9;
		else if (!strcmp(a, "--timeout") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 600)
				return usage_error(cmd, "--timeout takes seconds, 1 to 600");
			t->timeout = (int)v;
		} else if (!strcmp(a, "--force"))
			t->force = 1;
		else if (!strcmp(a, "--yes") || !strcmp(a, "-y"))
			t->yes = 1;
		else if (!strcmp(a, "--json"))
			t->json = 1;
		else if (a[0] == '-')
			return usage_error(cmd, "unknown option '%s'", a);
		else if (!t->stage_arg)
			t->stage_arg = a;
		else
			return usage_error(cmd, "one stage at a time, not '%s' and '%s'", t->stage_arg, a);
	}
	if (t->kconfig && strcmp(t->kconfig, "lab") && strcmp(t->kconfig, "defconfig"))
		return usage_error(cmd, "--kernel is lab or defconfig, not '%s'", t->kconfig);
	return 0;
}

/* The stage a command is about: named, from --dir's name, or the current one. */
static const struct stage *
pick_stage(struct ctx *c, const char *cmd, const struct target *t)
{
	const struct stage *s = NULL;

	if (t->stage_arg) {
		s = catalog_find(&c->cat, t->stage_arg);
		if (!s) {
			fprintf(stderr, "lab-runner: %s: no stage '%s'; ./lab-runner list shows them\n", cmd,
				t->stage_arg);
			return NULL;
		}
		return s;
	}
	if (t->dir) {
		s = catalog_find_dir(&c->cat, t->dir);
		if (!s)
			fprintf(stderr, "lab-runner: %s: cannot tell the stage from the folder name '%s': "
				"name it, e.g. ./lab-runner %s 02 --dir %s\n", cmd, t->dir, cmd, t->dir);
		return s;
	}
	if (c->st.current)
		s = catalog_find(&c->cat, c->st.current);
	if (!s)
		fprintf(stderr, "lab-runner: %s: no current stage yet: start with ./lab-runner next\n", cmd);
	return s;
}

static void
print_file(const char *path)
{
	char *text;
	if (read_file(path, &text, NULL) == 0) {
		fputs(text, stdout);
		if (*text && text[strlen(text) - 1] != '\n')
			fputs("\n", stdout);
		free(text);
	}
}

static char *
rel(const struct ctx *c, const char *path)
{
	size_t n = strlen(c->top);
	if (!strncmp(path, c->top, n) && path[n] == '/')
		return xstrdup(path + n + 1);
	return xstrdup(path);
}

/*
 * Copy the starter's files into the learner's folder, never overwriting a
 * file that is already there: a learner's work is never lost. Returns the
 * number of files copied; prints the ones kept.
 */
static int
copy_starter(struct ctx *c, const struct stage *s)
{
	char *from = stage_path(&c->cat, s, PART_STARTER);
	char *to = stage_path(&c->cat, s, PART_LAB);
	char *tmp = xasprintf("%s/build/tmp-starter.%d", c->top, (int)getpid());
	char err[512];
	int copied = -1;

	mkdir_p(to, 0755);
	if (!is_dir(from)) {
		copied = 0;     /* a stage with nothing to start from */
		goto out;
	}
	/* Walk the starter; copy what the learner does not have yet. */
	remove_tree(tmp);
	if (copy_tree(from, tmp, 64u << 20, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: %s\n", err);
		goto out;
	}
	copied = 0;
	struct strv stack = {0};
	strv_push(&stack, "");
	while (stack.n) {
		char *sub = stack.v[--stack.n];
		stack.v[stack.n] = NULL;
		char *dir = xasprintf("%s/%s", tmp, sub);
		DIR *d = opendir(dir);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *name = *sub ? xasprintf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
			char *src = xasprintf("%s/%s", tmp, name), *dst = xasprintf("%s/%s", to, name);
			struct stat st;
			if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
				mkdir_p(dst, 0755);
				strv_push(&stack, name);
			} else if (access(dst, F_OK) == 0) {
				printf("  kept your %s/%s (not replaced by the starter's)\n", s->name, name);
			} else if (copy_file(src, dst, st.st_mode & 0777) == 0) {
				copied++;
			}
			free(src);
			free(dst);
			free(name);
		}
		if (d)
			closedir(d);
		free(dir);
		free(sub);
	}
	strv_release(&stack);
out:
	remove_tree(tmp);
	free(tmp);
	free(from);
	free(to);
	return copied;
}

static void
show_page(struct ctx *c, const struct stage *s)
{
	char *page = stage_path(&c->cat, s, PART_PAGE), *r = rel(c, page);
	char *lab = stage_path(&c->cat, s, PART_LAB), *rl = rel(c, lab);
	printf("\n");
	print_file(page);
	printf("\n-- This page is %s. Your folder is %s/.\n"
	       "-- Check your work: ./lab-runner check    A hint: ./lab-runner hint\n", r, rl);
	free(page);
	free(r);
	free(lab);
	free(rl);
}

static int
exit_for(enum verdict v, int interrupted)
{
	if (interrupted)
		return 130;
	return v == V_PASS ? 0 : v == V_ERROR ? 2 : 1;
}

/* What check, run and debug ask of the engine, from the command line. The
 * folder is the learner's labs/NN-name/ unless --dir names another. */
static char *
fill_opts(struct ctx *c, const struct stage *s, const struct target *t, struct check_opts *o)
{
	char *dir = t->dir ? xstrdup(t->dir) : stage_path(&c->cat, s, PART_LAB);

	memset(o, 0, sizeof(*o));
	o->cat = &c->cat;
	o->stage = s;
	o->dir = dir;
	o->initramfs = t->initramfs;
	o->kconfig = t->kconfig;
	o->sigfd = c->sigfd;
	o->timeout_s = t->timeout;
	o->runs_root = getenv("LAB_RUNS_DIR");   /* tests keep their runs apart */
	o->echo_build = !t->json;   /* a kernel build's progress, on stderr */
	return dir;
}

/* Check a stage (and record the verdict when it is the learner's own folder). */
static enum verdict
run_check(struct ctx *c, const struct stage *s, const struct target *t, int *interrupted)
{
	struct check_opts o;
	struct result r;
	char *dir = fill_opts(c, s, t, &o);

	if (!t->json)
		fprintf(stderr, "checking %s: build, boot, watch (at most the stage's time limit)...\n",
			s->name);
	enum verdict v = engine_check(&o, &r);
	if (t->json) {
		report_json(stdout, &r);
		fputs("\n", stdout);
	} else {
		report_text(stdout, &r, c->color, c->verbose);
	}
	*interrupted = r.interrupted;
	if (!t->dir && !t->initramfs && !r.interrupted) {
		state_set_verdict(&c->st, s->name, verdict_name(v));
		state_save(&c->st);
	}
	result_release(&r);
	free(dir);
	return v;
}

/* --------------------------------------------------------------- commands */

static int
cmd_status(struct ctx *c, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return usage_error("list", "list takes no arguments");
	printf("%-22s %-8s %-8s %s\n", "stage", "state", "last", "title");
	for (size_t i = 0; i < c->cat.n; i++) {
		const struct stage *s = &c->cat.stages[i];
		struct stage_state *e = state_get(&c->st, s->name);
		const char *what = e->done ? "done"
			: c->st.current && !strcmp(c->st.current, s->name) ? "current" : "locked";
		printf("%-22s %-8s %-8s %s\n", s->name, what, e->verdict[0] ? e->verdict : "-", s->title);
	}
	return 0;
}

static int
cmd_where(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!c->st.current) {
		printf("Welcome to the RISC-V micro-distro lab.\n"
		       "You will build a tiny Linux system from scratch and boot it in QEMU, one stage at a time.\n"
		       "Start with:  ./lab-runner next\n"
		       "All commands: ./lab-runner --help\n");
		return 0;
	}
	const struct stage *s = catalog_find(&c->cat, c->st.current);
	if (!s) {
		printf("Your progress file names stage '%s', which this lab does not have.\n"
		       "./lab-runner list shows the stages; ./lab-runner next picks up from there.\n",
		       c->st.current);
		return 0;
	}
	struct stage_state *e = state_get(&c->st, s->name);
	char *lab = stage_path(&c->cat, s, PART_LAB), *rl = rel(c, lab);
	printf("You are on stage %s: %s\n", s->name, s->title);
	printf("Your folder: %s/   The page: steps/%s/README.md\n", rl, s->name);
	printf("Last check: %s\n", e->verdict[0] ? e->verdict : "never checked");
	printf("Next: edit your files, then ./lab-runner next (checks, and moves on when it passes).\n"
	       "      ./lab-runner hint for a hint, ./lab-runner run to boot it yourself.\n");
	free(lab);
	free(rl);
	return 0;
}

static int
cmd_next(struct ctx *c, int argc, char **argv)
{
	struct target t;
	int interrupted = 0;

	if (parse_target("next", argc, argv, &t))
		return 2;
	if (t.stage_arg || t.dir)
		return usage_error("next", "next takes no stage: it checks the current one");
	const struct stage *s = c->st.current ? catalog_find(&c->cat, c->st.current) : NULL;
	if (!s) {
		/* The very beginning: open the first stage. */
		s = &c->cat.stages[0];
		state_set_current(&c->st, s->name);
		if (copy_starter(c, s) < 0 || state_save(&c->st) < 0) {
			fprintf(stderr, "lab-runner: cannot set up labs/%s or save %s\n", s->name, c->st.path);
			return 2;
		}
		printf("Stage %s is open: your files are in labs/%s/\n", s->name, s->name);
		show_page(c, s);
		return 0;
	}
	char *lab = stage_path(&c->cat, s, PART_LAB);
	if (!is_dir(lab)) {
		/* Current, but its folder is gone (deleted, or a fresh clone with old state). */
		copy_starter(c, s);
		printf("Stage %s: your folder was missing, so it was made again from the starter.\n", s->name);
		show_page(c, s);
		free(lab);
		return 0;
	}
	free(lab);
	enum verdict v = run_check(c, s, &t, &interrupted);
	if (interrupted)
		return 130;
	if (v != V_PASS) {
		printf("\nStage %s does not pass yet. Fix what is marked above, then ./lab-runner next again.\n"
		       "Stuck? ./lab-runner hint gives a hint; the page is steps/%s/README.md.\n",
		       s->name, s->name);
		return exit_for(v, 0);
	}
	state_get(&c->st, s->name)->done = 1;
	const struct stage *n = s + 1 < c->cat.stages + c->cat.n ? s + 1 : NULL;
	if (!n) {
		state_save(&c->st);
		printf("\nStage %s passes, and it was the last one. You built a Linux system from "
		       "the kernel up. Well done!\n", s->name);
		return 0;
	}
	state_set_current(&c->st, n->name);
	if (copy_starter(c, n) < 0 || state_save(&c->st) < 0) {
		fprintf(stderr, "lab-runner: cannot set up labs/%s or save %s\n", n->name, c->st.path);
		return 2;
	}
	printf("\nStage %s passes. ./lab-runner solution %s shows the reference solution.\n"
	       "Stage %s is open: your files are in labs/%s/\n", s->name, s->name, n->name, n->name);
	show_page(c, n);
	return 0;
}

static int
cmd_check(struct ctx *c, int argc, char **argv)
{
	struct target t;
	int interrupted = 0;

	if (parse_target("check", argc, argv, &t))
		return 2;
	const struct stage *s = pick_stage(c, "check", &t);
	if (!s)
		return 2;
	enum verdict v = run_check(c, s, &t, &interrupted);
	return exit_for(v, interrupted);
}

static int
cmd_hint(struct ctx *c, int argc, char **argv)
{
	struct target t;
	if (parse_target("hint", argc, argv, &t))
		return 2;
	const struct stage *s = pick_stage(c, "hint", &t);
	if (!s)
		return 2;
	char *dir = stage_path(&c->cat, s, PART_HINTS);
	int total = 0;
	for (int i = 1; i < 100; i++) {
		char *p = xasprintf("%s/%d.md", dir, i);
		int ok = is_file(p);
		free(p);
		if (!ok)
			break;
		total = i;
	}
	if (!total) {
		printf("Stage %s has no hints. The page is steps/%s/README.md.\n", s->name, s->name);
		free(dir);
		return 0;
	}
	struct stage_state *e = state_get(&c->st, s->name);
	int k = e->hints < total ? e->hints + 1 : total;
	char *p = xasprintf("%s/%d.md", dir, k);
	printf("Hint %d of %d for %s:\n\n", k, total, s->name);
	print_file(p);
	if (k == total)
		printf("\n(That was the last hint. The page steps/%s/README.md has the details.)\n", s->name);
	else
		printf("\n(Run ./lab-runner hint again for the next one.)\n");
	e->hints = k;
	state_save(&c->st);
	free(p);
	free(dir);
	return 0;
}

static int
cmd_solution(struct ctx *c, int argc, char **argv)
{
	struct target t;
	if (parse_target("solution", argc, argv, &t))
		return 2;
	if (!t.stage_arg)
		return usage_error("solution", "name the stage, e.g. ./lab-runner solution 01");
	const struct stage *s = pick_stage(c, "solution", &t);
	if (!s)
		return 2;
	struct stage_state *e = state_get(&c->st, s->name);
	if (!e->done && !t.force) {
		printf("The solution of %s opens once the stage passes: it is more useful after you "
		       "have tried.\n(./lab-runner solution %s --force opens it now; that is recorded.)\n",
		       s->name, s->name);
		return 1;
	}
	if (!e->done)
		e->solution = 2;
	else if (!e->solution)
		e->solution = 1;
	state_save(&c->st);
	char *dir = stage_path(&c->cat, s, PART_SOLUTION);
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strv names = {0};
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			strv_push(&names, de->d_name);
	if (d)
		closedir(d);
	qsort(names.v, names.n, sizeof(char *), (int (*)(const void *, const void *))strcmp);
	printf("The reference solution of %s is in solutions/%s/:\n", s->name, s->name);
	for (size_t i = 0; i < names.n; i++) {
		char *p = xasprintf("%s/%s", dir, names.v[i]);
		if (is_file(p)) {
			printf("\n==> solutions/%s/%s <==\n", s->name, names.v[i]);
			print_file(p);
		} else {
			printf("\n==> solutions/%s/%s/ (a folder) <==\n", s->name, names.v[i]);
		}
		free(p);
	}
	strv_release(&names);
	free(dir);
	return 0;
}

static int
confirm(const char *question)
{
	char line[16];
	if (!isatty(0))
		return 0;
	printf("%s [y/N] ", question);
	fflush(stdout);
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

static int
cmd_reset(struct ctx *c, int argc, char **argv)
{
	struct target t;
	char err[512], when[32];
	if (parse_target("reset", argc, argv, &t))
		return 2;
	if (!t.stage_arg)
		return usage_error("reset", "name the stage to reset, e.g. ./lab-runner reset 02");
	const struct stage *s = pick_stage(c, "reset", &t);
	if (!s)
		return 2;
	char *lab = stage_path(&c->cat, s, PART_LAB);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	char *backup = xasprintf("%s/labs/.backup/%s-%s", c->top, s->name, when);
	char *rb = rel(c, backup);
	int rc = 2;
	if (is_dir(lab)) {
		char *q = xasprintf("Replace labs/%s/ with the starter? Your files are kept in %s/",
				    s->name, rb);
		if (!t.yes && !confirm(q)) {
			printf("Nothing changed. (Use --yes to reset without asking.)\n");
			free(q);
			rc = 1;
			goto out;
		}
		free(q);
		/* Back up first; only a complete backup allows the reset. */
		if (copy_tree(lab, backup, 256u << 20, err, sizeof(err)) < 0) {
			fprintf(stderr, "lab-runner: reset: the backup failed, nothing was changed: %s\n", err);
			goto out;
		}
		if (remove_tree(lab) < 0) {
			fprintf(stderr, "lab-runner: reset: cannot clear labs/%s (your backup is %s)\n",
				s->name, rb);
			goto out;
		}
		printf("Your files were saved in %s/\n", rb);
	}
	if (copy_starter(c, s) < 0)
		goto out;
	printf("labs/%s/ holds the starter again.\n", s->name);
	rc = 0;
out:
	free(lab);
	free(backup);
	free(rb);
	return rc;
}

/* run and debug: build, then hand the machine to the learner. */
static int
prepare(struct ctx *c, const char *cmd, int argc, char **argv, struct result *r,
	const struct stage **sp)
{
	struct target t;
	struct check_opts o;
	if (parse_target(cmd, argc, argv, &t))
		return 2;
	const struct stage *s = pick_stage(c, cmd, &t);
	if (!s)
		return 2;
	char *dir = fill_opts(c, s, &t, &o);
	o.prepare_only = 1;
	engine_check(&o, r);
	free(dir);
	*sp = s;
	if (r->verdict != V_PASS) {
		report_text(stdout, r, c->color, c->verbose);
		return 2;
	}
	for (size_t i = 0; i < r->advice.n; i++)
		printf("note: %s\n", r->advice.v[i]);
	return 0;
}

/* What run and debug boot: what prepare() built, with the lab's web
 * responder for a network stage. */
static void
boot_opts(const struct ctx *c, const struct result *r, struct qemu_opts *qo)
{
	qo->kernel = r->kernel_path;
	qo->initrd = r->initrd_path;
	qo->memory_mb = 128;
	qo->lab_top = c->top;
	qo->token = r->network ? r->nonce : NULL;
}

/* Run a program in the foreground, with the terminal's signals. */
static int
foreground(struct ctx *c, char **argv)
{
	pid_t pid = fork();
	int st = 0;
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &c->blocked, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "lab-runner: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		return 2;
	/* Ctrl-C belongs to the program now (gdb uses it to stop the guest). */
	signal(SIGINT, SIG_IGN);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

static int
cmd_run(struct ctx *c, int argc, char **argv)
{
	struct result r;
	const struct stage *s = NULL;
	int rc = prepare(c, "run", argc, argv, &r, &s);
	if (rc == 0) {
		struct qemu_opts qo = {0};
		struct strv a = {0};
		boot_opts(c, &r, &qo);
		qo.interactive = 1;
		qemu_argv(&qo, &a);
		if (c->verbose) {
			for (size_t i = 0; i < a.n; i++)
				printf("%s%s", i ? " " : "$ ", a.v[i]);
			printf("\n");
		}
		printf("Booting %s. The UART is this terminal: type to the guest.\n"
		       "To quit QEMU: press Ctrl-A, then X.\n\n", s->name);
		fflush(stdout);
		rc = foreground(c, a.v);
		strv_release(&a);
		printf("\nQEMU has stopped.\n");
	}
	result_release(&r);
	return rc;
}

static int
cmd_debug(struct ctx *c, int argc, char **argv)
{
	struct result r;
	const struct stage *s = NULL;
	char err[256];
	int rc = prepare(c, "debug", argc, argv, &r, &s);
	if (rc != 0) {
		result_release(&r);
		return rc;
	}
	char *sock = xasprintf("%s/debug.sock", r.run_dir);
	char *uart = xasprintf("%s/uart.log", r.run_dir);
	char *script = xasprintf("%s/debug.gdb", r.run_dir);
	struct qemu_opts qo = {0};
	struct strv a = {0};
	boot_opts(c, &r, &qo);
	qo.gdb_socket = sock;
	qo.serial_file = uart;   /* the terminal is gdb's */
	qemu_argv(&qo, &a);
	pid_t q = spawn(a.v, NULL, NULL, NULL, 1, err, sizeof(err));
	strv_release(&a);
	if (q < 0) {
		fprintf(stderr, "lab-runner: debug: %s\n", err);
		rc = 2;
		goto out;
	}
	for (int i = 0; i < 500 && access(sock, F_OK) != 0; i++)
		usleep(10000);
	struct sb g;
	sb_init(&g);
	if (r.init_elf)
		sb_printf(&g, "file %s\n", r.init_elf);
	else
		sb_printf(&g, "file %s\n", r.vmlinux_path);
	sb_puts(&g, "set confirm off\n");
	sb_printf(&g, "target remote %s\n", sock);
	sb_printf(&g, "hbreak %s\ncontinue\n", r.init_elf ? "main" : "start_kernel");
	write_file_atomic(script, g.buf, g.len);
	sb_release(&g);
	printf("The guest is paused; gdb is attached and will stop at %s.\n"
	       "The UART output goes to %s (in another terminal: tail -f %s).\n"
	       "Try: bt, next, step, info registers, p $satp, continue. Quit with: quit\n\n",
	       r.init_elf ? "main of /init" : "start_kernel", uart, uart);
	fflush(stdout);
	char *gargv[] = {"gdb-multiarch", "-q", "-nx", "-x", script, NULL};
	rc = foreground(c, gargv);
	kill_group(q);
out:
	free(sock);
	free(uart);
	free(script);
	result_release(&r);
	return rc;
}

/* Newest modification time of the files in a folder, in ns (a save within
 * the same second counts too). */
static long long
newest(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long long t = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "initramfs.cpio"))
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		struct stat st;
		long long m;
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    (m = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec) > t)
			t = m;
		free(p);
	}
	if (d)
		closedir(d);
	return t;
}

static int
cmd_watch(struct ctx *c, int argc, char **argv)
{
	struct target t;
	int interrupted = 0;
	if (parse_target("watch", argc, argv, &t))
		return 2;
	const struct stage *s = pick_stage(c, "watch", &t);
	if (!s)
		return 2;
	char *dir = t.dir ? xstrdup(t.dir) : stage_path(&c->cat, s, PART_LAB);
	long long seen = 0;
	printf("Watching %s: every time you save a file there, it is checked again.\n"
	       "Press Enter to stop (it never moves on by itself; ./lab-runner next does).\n", dir);
	for (;;) {
		long long now = newest(dir);
		if (now != seen) {
			seen = now;
			enum verdict v = run_check(c, s, &t, &interrupted);
			if (interrupted)
				break;
			printf(v == V_PASS ? "\nIt passes. Press Enter to stop watching, then ./lab-runner next.\n"
			       : "\nWaiting for your next save... (Enter stops)\n");
			fflush(stdout);
		}
		struct pollfd p[2] = {{0, POLLIN, 0}, {c->sigfd, POLLIN, 0}};
		if (poll(p, 2, 500) > 0) {
			if (p[1].revents & POLLIN) {
				interrupted = 1;
				break;
			}
			if (p[0].revents & (POLLIN | POLLHUP))
				break;
		}
	}
	free(dir);
	return interrupted ? 130 : 0;
}

/* verify: the lab author's check that the lab itself is sound. */
static int
cmd_verify(struct ctx *c, int argc, char **argv)
{
	int problems = 0, interrupted = 0;
	char err[1024];
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--kernel") && strcmp(argv[i], "lab") && strcmp(argv[i], "defconfig"))
			return usage_error("verify", "unknown option '%s'", argv[i]);
	const char *kconfig = argc >= 3 && !strcmp(argv[1], "--kernel") ? argv[2] : NULL;
	for (size_t i = 0; i < c->cat.n && !interrupted; i++) {
		const struct stage *s = &c->cat.stages[i];
		struct check chk;
		char *p = stage_path(&c->cat, s, PART_CHECK);
		if (check_parse(&chk, p, NULL, err, sizeof(err)) < 0) {
			printf("FAIL %s: %s\n", s->name, err);
			problems++;
			free(p);
			continue;
		}
		free(p);
		const enum stage_part parts[] = {PART_PAGE, PART_STARTER, PART_SOLUTION};
		for (size_t k = 0; k < 3; k++) {
			p = stage_path(&c->cat, s, parts[k]);
			if (!is_file(p) && !is_dir(p)) {
				printf("FAIL %s: %s is missing\n", s->name, p);
				problems++;
			}
			free(p);
		}
		int hints = 0;
		for (int h = 1; h < 100; h++) {
			char *hp = xasprintf("%s/steps/%s/hints/%d.md", c->top, s->name, h);
			int ok = is_file(hp);
			free(hp);
			if (!ok)
				break;
			hints = h;
		}
		if (hints < 3) {
			printf("FAIL %s: %d hint(s); a stage needs at least 3\n", s->name, hints);
			problems++;
		}
		/* The solution passes; the starter does not. */
		const char *which[] = {"solution", "starter"};
		for (size_t k = 0; k < 2 && !interrupted; k++) {
			struct check_opts o = {0};
			struct result r;
			char *dir = stage_path(&c->cat, s, k == 0 ? PART_SOLUTION : PART_STARTER);
			o.cat = &c->cat;
			o.stage = s;
			o.dir = dir;
			/* A stage that builds its own kernel (06) is checked on it:
			 * --kernel chooses the kernel of the stages that boot the lab's. */
			o.kconfig = chk.kernel == KERNEL_LEARNER ? NULL : kconfig;
			o.sigfd = c->sigfd;
			/* A starter only has to fail: a few seconds tell, no need to
			 * wait out the stage's whole limit. */
			if (k == 1 && chk.timeout_s > 8)
				o.timeout_s = 8;
			long long t0 = now_ms();
			enum verdict v = engine_check(&o, &r);
			interrupted = r.interrupted;
			int good = k == 0 ? v == V_PASS : v == V_FAIL || v == V_TIMEOUT;
			printf("%s %s %-8s %-7s %.1f s%s%s\n", good ? "ok  " : "FAIL", s->name, which[k],
			       verdict_name(v), (now_ms() - t0) / 1000.0, good ? "" : ": ",
			       good ? "" : (k == 0 ? r.headline : "the starter must fail its check"));
			if (!good) {
				problems++;
				if (c->verbose)
					report_text(stdout, &r, c->color, 1);
			}
			result_release(&r);
			free(dir);
		}
		check_release(&chk);
	}
	if (interrupted)
		return 130;
	printf("%s: %d problem(s) in %zu stage(s)\n", problems ? "verify FAILED" : "verify ok",
	       problems, c->cat.n);
	return problems ? 1 : 0;
}

static int
cmd_kernel(struct ctx *c, int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "menuconfig") && strcmp(argv[1], "build")))
		return usage_error("kernel", "say what to do: build or menuconfig");
	const char *cfg = argc > 2 ? argv[2] : "lab";
	if (strcmp(cfg, "lab") && strcmp(cfg, "defconfig"))
		return usage_error("kernel", "the configuration is lab or defconfig, not '%s'", cfg);
	char *k = xasprintf("KCONFIG=%s", cfg);
	char *mk[] = {"make", "-C", c->top, !strcmp(argv[1], "build") ? "kernel" : "menuconfig", k, NULL};
	int rc = foreground(c, mk);
	free(k);
	return rc;
}

static int
cmd_grade(struct ctx *c, int argc, char **argv)
{
	return grade_main(&c->cat, argc, argv, c->sigfd, c->color);
}

static int cmd_help(struct ctx *c, int argc, char **argv);

/* The table of commands, as git.c has it. */
static const struct cmd commands[] = {
	{"next", cmd_next, "next",
	 "check the current stage; when it passes, open the next one (your files are never replaced)"},
	{"check", cmd_check, "check [STAGE] [--dir PATH] [--initramfs FILE] [--kernel lab|defconfig] [--timeout S] [--json]",
	 "check a stage: build, boot in QEMU, type, match the UART, watch with gdb (exit 0 PASS, 1 FAIL/TIMEOUT, 2 ERROR)"},
	{"run", cmd_run, "run [STAGE] [--dir PATH] [--kernel lab|defconfig]",
	 "build and boot a stage with the UART on your terminal (Ctrl-A X quits)"},
	{"debug", cmd_debug, "debug [STAGE] [--dir PATH] [--kernel lab|defconfig]",
	 "boot paused and open gdb-multiarch, connected, stopped at main of /init"},
	{"hint", cmd_hint, "hint [STAGE]", "show the next hint of a stage, one more each time"},
	{"list", cmd_status, "list", "every stage: done, current or locked, and its last verdict"},
	{"status", cmd_status, "status", "the same as list"},
	{"solution", cmd_solution, "solution STAGE [--force]",
	 "show the reference solution, once the stage has passed (--force: now, and it is recorded)"},
	{"reset", cmd_reset, "reset STAGE [--yes]",
	 "put the starter back in labs/STAGE, after saving your files in labs/.backup/"},
	{"watch", cmd_watch, "watch [STAGE]", "check again every time you save a file (Enter stops)"},
	{"grade", cmd_grade, GRADE_USAGE, GRADE_HELP},
	{"verify", cmd_verify, "verify [--kernel lab|defconfig]",
	 "for lab authors: every check parses, every page and hint exists, every solution passes, every starter fails"},
	{"kernel", cmd_kernel, "kernel build|menuconfig [lab|defconfig]",
	 "build the kernel, or change its configuration with menuconfig"},
	{"help", cmd_help, "help [COMMAND]", "show this help, or one command's"},
};

static const struct cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: ./lab-runner [--verbose] [--no-color] [COMMAND [ARGS]]\n\n"
		   "Build a tiny Linux distribution for RISC-V, stage by stage, checked in QEMU.\n"
		   "With no command: where you are and what to do next.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nA STAGE is a number or a name: 3, 03, 03-little-shell.\n"
		   "Options: --verbose shows QEMU's and gdb's command lines; --no-color (or NO_COLOR=1) "
		   "turns colour off.\n"
		   "./lab-runner help COMMAND shows one command. The workbook: docs/workbook.md.\n");
}

static int
cmd_help(struct ctx *c, int argc, char **argv)
{
	(void)c;
	if (argc > 1) {
		const struct cmd *k = find_cmd(argv[1]);
		if (!k)
			return usage_error("help", "no command '%s'", argv[1]);
		printf("usage: ./lab-runner %s\n\n%s\n", k->usage, k->help);
		return 0;
	}
	usage(stdout);
	return 0;
}

/* The lab's top folder: where this binary lives (it is built there). */
static char *
find_top(const char *argv0)
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
	(void)argv0;
	return realpath(".", NULL);
}

int
main(int argc, char **argv)
{
	struct ctx c;
	char err[512];
	int i = 1, rc;

	memset(&c, 0, sizeof(c));
	c.sigfd = -1;
	c.color = isatty(1) && !getenv("NO_COLOR") && strcmp(getenv("TERM") ? getenv("TERM") : "", "dumb");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
			c.verbose = 1;
		else if (!strcmp(argv[i], "--no-color") || !strcmp(argv[i], "--no-colour"))
			c.color = 0;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "lab-runner: unknown option '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	const struct cmd *cmd = i < argc ? find_cmd(argv[i]) : NULL;
	if (i < argc && !cmd) {
		fprintf(stderr, "lab-runner: '%s' is not a command. ./lab-runner --help lists them.\n", argv[i]);
		return 2;
	}
	/* "--help" after a command is that command's help. */
	for (int k = i + 1; cmd && k < argc; k++)
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			printf("usage: ./lab-runner %s\n\n%s\n", cmd->usage, cmd->help);
			return 0;
		}

	/* Signals become readable events (a signalfd) that the engine polls:
	 * a Ctrl-C ends a check cleanly, with QEMU and gdb stopped. */
	sigemptyset(&c.blocked);
	sigaddset(&c.blocked, SIGINT);
	sigaddset(&c.blocked, SIGTERM);
	sigaddset(&c.blocked, SIGHUP);
	sigprocmask(SIG_BLOCK, &c.blocked, NULL);
	c.sigfd = signalfd(-1, &c.blocked, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);

	c.top = find_top(argv[0]);
	if (!c.top || catalog_load(&c.cat, c.top, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: %s\n", c.top ? err : "cannot find the lab's folder");
		free(c.top);
		return 2;
	}
	char *statefile = xasprintf("%s/.lab-state", c.top);
	state_load(&c.st, statefile);
	free(statefile);
	if (c.st.warning)
		fprintf(stderr, "lab-runner: warning: %s\n", c.st.warning);

	rc = cmd ? cmd->fn(&c, argc - i, argv + i) : cmd_where(&c, 0, NULL);

	state_release(&c.st);
	catalog_release(&c.cat);
	free(c.top);
	if (c.sigfd >= 0)
		close(c.sigfd);
	/* Before anything at exit (a sanitizer's report) can cut it short. */
	fflush(stdout);
	return rc;
}
