/*
 * common.c: implements the helpers of commands.h that more than one
 * command uses: which stage a command is about, one check as the
 * learner sees it, and a stage's hints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "report.h"
#include "util.h"

const struct stage *
pick_stage(struct ctx *c, const struct args *a)
{
	const struct stage *s = NULL;

	if (a->stage) {
		s = catalog_find(&c->cat, a->stage);
		if (!s)
			fprintf(stderr, "lab-runner: %s: no stage '%s'; "
				"./lab-runner list shows them\n", a->name, a->stage);
		return s;
	}
	if (a->dir) {
		s = catalog_find_dir(&c->cat, a->dir);
		if (!s)
			fprintf(stderr, "lab-runner: %s: cannot tell the stage from the folder "
				"name '%s': name it, e.g. ./lab-runner %s 02 --dir %s\n",
				a->name, a->dir, a->name, a->dir);
		return s;
	}
	if (c->st.current)
		s = catalog_find(&c->cat, c->st.current);
	if (!s)
		fprintf(stderr, "lab-runner: %s: no current stage yet: "
			"start with ./lab-runner next\n", a->name);
	return s;
}

char *
fill_check_opts(struct ctx *c, const struct stage *s, const struct args *a, struct check_opts *o)
{
	char *dir = a->dir ? xstrdup(a->dir) : stage_path(&c->cat, s, PART_LAB);

	memset(o, 0, sizeof(*o));
	o->cat = &c->cat;
	o->stage = s;
	o->dir = dir;
	o->initramfs = a->initramfs;
	o->kconfig = a->kconfig;
	o->sigfd = c->sigfd;
	o->timeout_s = a->timeout;
	o->runs_root = getenv("LAB_RUNS_DIR");   /* tests keep their runs apart */
	o->echo_build = !a->json;   /* a kernel build's progress, on stderr */
	return dir;
}

enum verdict
run_check(struct ctx *c, const struct stage *s, const struct args *a, int *interrupted)
{
	struct check_opts o;
	struct result r;
	char *dir = fill_check_opts(c, s, a, &o);

	if (!a->json)
		fprintf(stderr, "checking %s: build, boot, watch "
			"(at most the stage's time limit)...\n", s->name);
	enum verdict v = engine_check(&o, &r);
	if (a->json) {
		report_json(stdout, &r);
		fputs("\n", stdout);
	} else {
		report_text(stdout, &r, c->color, c->verbose);
	}
	*interrupted = r.interrupted;
	if (!a->dir && !a->initramfs && !r.interrupted) {
		state_set_verdict(&c->st, s->name, verdict_name(v));
		state_save(&c->st);
	}
	result_release(&r);
	free(dir);
	return v;
}

int
exit_for(enum verdict v, int interrupted)
{
	if (interrupted)
		return 130;
	return v == V_PASS ? 0 : v == V_ERROR ? 2 : 1;
}

char *
hint_path(const struct catalog *cat, const struct stage *s, int k)
{
	char *dir = stage_path(cat, s, PART_HINTS);
	char *p = xasprintf("%s/%d.md", dir, k);

	free(dir);
	return p;
}

int
hint_count(const struct catalog *cat, const struct stage *s)
{
	int total = 0;

	for (int k = 1; k < 100; k++) {
		char *p = hint_path(cat, s, k);
		int ok = is_file(p);
		free(p);
		if (!ok)
			break;
		total = k;
	}
	return total;
}
