/*
 * check.c: the commands that check a stage as the learner works: check
 * (once) and watch (at every save). Both block for as long as the checks
 * take; a signal ends them with every QEMU and gdb stopped (exit 130).
 */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "util.h"

/* check: one check of a stage, reported; the exit status is the verdict's. */
int
cmd_check(struct ctx *c, const struct args *a)
{
	int interrupted = 0;
	const struct stage *s = pick_stage(c, a);
	if (!s)
		return 2;
	enum verdict v = run_check(c, s, a, &interrupted);
	return exit_for(v, interrupted);
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

/* watch: check again whenever a file of the folder changes, until Enter or a signal. */
int
cmd_watch(struct ctx *c, const struct args *a)
{
	int interrupted = 0;
	const struct stage *s = pick_stage(c, a);
	if (!s)
		return 2;
	char *dir = a->dir ? xstrdup(a->dir) : stage_path(&c->cat, s, PART_LAB);
	long long seen = 0;
	printf("Watching %s: every time you save a file there, it is checked again.\n"
	       "Press Enter to stop (it never moves on by itself; ./lab-runner next does).\n", dir);
	for (;;) {
		long long now = newest(dir);
		if (now != seen) {
			seen = now;
			enum verdict v = run_check(c, s, a, &interrupted);
			if (interrupted)
				break;
			printf(v == V_PASS
			       ? "\nIt passes. Press Enter to stop watching, "
				 "then ./lab-runner next.\n"
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
