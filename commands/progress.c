/*
 * progress.c: the commands that move a learner through the lab and keep
 * their progress (.lab-state, state.h): where (no command), list, next,
 * hint, solution and reset. A learner's own file is never overwritten:
 * next copies only what the starter has and they do not, reset backs up
 * first.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "util.h"

/* Copy a text file to stdout, ending it with a newline (nothing if it cannot be read). */
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

/* path as the learner sees it: from the lab's top folder (a new string). */
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
			char *src = xasprintf("%s/%s", tmp, name);
			char *dst = xasprintf("%s/%s", to, name);
			struct stat st;
			if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
				mkdir_p(dst, 0755);
				strv_push(&stack, name);
			} else if (access(dst, F_OK) == 0) {
				printf("  kept your %s/%s (not replaced by the starter's)\n",
				       s->name, name);
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

/* Show a stage's workbook page, and where the learner works on it. */
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

/* list (and status): every stage, where the learner is, the last verdicts. */
int
cmd_list(struct ctx *c, const struct args *a)
{
	(void)a;
	printf("%-22s %-8s %-8s %s\n", "stage", "state", "last", "title");
	for (size_t i = 0; i < c->cat.n; i++) {
		const struct stage *s = &c->cat.stages[i];
		struct stage_state *e = state_get(&c->st, s->name);
		const char *what = e->done ? "done"
			: c->st.current && !strcmp(c->st.current, s->name) ? "current" : "locked";
		printf("%-22s %-8s %-8s %s\n", s->name, what, e->verdict[0] ? e->verdict : "-",
		       s->title);
	}
	return 0;
}

/* lab-runner with no command: where the learner is, and what to do next. */
int
cmd_where(struct ctx *c, const struct args *a)
{
	(void)a;
	if (!c->st.current) {
		printf("Welcome to the RISC-V micro-distro lab.\n"
		       "You will build a tiny Linux system from scratch and boot it in QEMU, "
		       "one stage at a time.\n"
		       "Start with:  ./lab-runner next\n"
		       "All commands: ./lab-runner --help\n");
		return 0;
	}
	const struct stage *s = catalog_find(&c->cat, c->st.current);
	if (!s) {
		printf("Your progress file names stage '%s', which this lab does not have.\n"
		       "./lab-runner list shows the stages; "
		       "./lab-runner next picks up from there.\n",
		       c->st.current);
		return 0;
	}
	struct stage_state *e = state_get(&c->st, s->name);
	char *lab = stage_path(&c->cat, s, PART_LAB), *rl = rel(c, lab);
	printf("You are on stage %s: %s\n", s->name, s->title);
	printf("Your folder: %s/   The page: steps/%s/README.md\n", rl, s->name);
	printf("Last check: %s\n", e->verdict[0] ? e->verdict : "never checked");
	size_t done = 0;
	for (size_t i = 0; i < c->cat.n; i++)
		done += state_get(&c->st, c->cat.stages[i].name)->done != 0;
	if (done == c->cat.n)
		printf("The lab is complete: all %zu stages passed. You built a Linux system from\n"
		       "the kernel up. ./lab-runner list shows them; ./lab-runner solution STAGE shows\n"
		       "a stage's reference solution.\n", c->cat.n);
	else
		printf("Next: edit your files, then ./lab-runner next "
		       "(checks, and moves on when it passes).\n"
		       "      ./lab-runner hint for a hint, ./lab-runner run to boot it yourself.\n");
	free(lab);
	free(rl);
	return 0;
}

/* next: check the current stage; when it passes, open the next one. */
int
cmd_next(struct ctx *c, const struct args *a)
{
	int interrupted = 0;

	const struct stage *s = c->st.current ? catalog_find(&c->cat, c->st.current) : NULL;
	if (!s) {
		/* The very beginning: open the first stage. */
		s = &c->cat.stages[0];
		state_set_current(&c->st, s->name);
		if (copy_starter(c, s) < 0 || state_save(&c->st) < 0) {
			fprintf(stderr, "lab-runner: cannot set up labs/%s or save %s\n", s->name,
				c->st.path);
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
		printf("Stage %s: your folder was missing, "
		       "so it was made again from the starter.\n",
		       s->name);
		show_page(c, s);
		free(lab);
		return 0;
	}
	free(lab);
	enum verdict v = run_check(c, s, a, &interrupted);
	if (interrupted)
		return 130;
	if (v != V_PASS) {
		printf("\nStage %s does not pass yet. "
		       "Fix what is marked above, then ./lab-runner next again.\n"
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
		fprintf(stderr, "lab-runner: cannot set up labs/%s or save %s\n", n->name,
			c->st.path);
		return 2;
	}
	printf("\nStage %s passes. ./lab-runner solution %s shows the reference solution.\n"
	       "Stage %s is open: your files are in labs/%s/\n",
	       s->name, s->name, n->name, n->name);
	show_page(c, n);
	return 0;
}

/* hint: one more hint of a stage each time (the count is kept in the progress). */
int
cmd_hint(struct ctx *c, const struct args *a)
{
	const struct stage *s = pick_stage(c, a);
	if (!s)
		return 2;
	int total = hint_count(&c->cat, s);
	if (!total) {
		printf("Stage %s has no hints. The page is steps/%s/README.md.\n",
		       s->name, s->name);
		return 0;
	}
	struct stage_state *e = state_get(&c->st, s->name);
	int k = e->hints < total ? e->hints + 1 : total;
	char *p = hint_path(&c->cat, s, k);
	printf("Hint %d of %d for %s:\n\n", k, total, s->name);
	print_file(p);
	if (k == total)
		printf("\n(That was the last hint. The page steps/%s/README.md has the details.)\n",
		       s->name);
	else
		printf("\n(Run ./lab-runner hint again for the next one.)\n");
	e->hints = k;
	state_save(&c->st);
	free(p);
	return 0;
}

/* solution: the reference solution, once the stage passed (or --force, recorded). */
int
cmd_solution(struct ctx *c, const struct args *a)
{
	const struct stage *s = pick_stage(c, a);
	if (!s)
		return 2;
	struct stage_state *e = state_get(&c->st, s->name);
	if (!e->done && !a->force) {
		printf("The solution of %s opens once the stage passes: "
		       "it is more useful after you have tried.\n"
		       "(./lab-runner solution %s --force opens it now; that is recorded.)\n",
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

/* Ask a yes-or-no question on the terminal; no terminal is a no, and
 * the question is printed all the same, so the learner knows what was not done. */
static int
confirm(const char *question)
{
	char line[16];
	if (!isatty(0)) {
		printf("%s\n(Not asked: the input is not a terminal.)\n", question);
		return 0;
	}
	printf("%s [y/N] ", question);
	fflush(stdout);
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

/* reset: the starter back in labs/STAGE/, after a complete backup of the learner's files. */
int
cmd_reset(struct ctx *c, const struct args *a)
{
	char err[512], when[32];
	const struct stage *s = pick_stage(c, a);
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
		if (!a->yes && !confirm(q)) {
			printf("Nothing changed. (Use --yes to reset without asking.)\n");
			free(q);
			rc = 1;
			goto out;
		}
		free(q);
		/* Back up first; only a complete backup allows the reset. */
		if (copy_tree(lab, backup, 256u << 20, err, sizeof(err)) < 0) {
			fprintf(stderr, "lab-runner: reset: the backup failed, "
				"nothing was changed: %s\n", err);
			goto out;
		}
		if (remove_tree(lab) < 0) {
			fprintf(stderr, "lab-runner: reset: cannot clear labs/%s "
				"(your backup is %s)\n",
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
