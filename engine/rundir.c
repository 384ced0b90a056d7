/*
 * rundir.c: see rundir.h.
 */
#include "rundir.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct aged {
	char *path;
	long long mtime;
};

static int
aged_newest_first(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;
	return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : 0;
}

/* Keep the RUNDIR_KEPT newest run folders of a stage in root (and always
 * keep); a learner checking all day must not fill the disk. */
static void
prune(const char *root, const char *stage, const char *keep)
{
	struct aged *runs = NULL;
	size_t n = 0, len = strlen(stage);
	DIR *d = opendir(root);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		struct stat st;
		if (strncmp(e->d_name, stage, len) || e->d_name[len] != '.' ||
		    strlen(e->d_name) != len + 7)
			continue;
		char *path = xasprintf("%s/%s", root, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			runs = xrealloc(runs, (n + 1) * sizeof(*runs));
			runs[n].path = path;
			runs[n++].mtime = (long long)st.st_mtim.tv_sec * 1000000000LL +
				st.st_mtim.tv_nsec;
		} else {
			free(path);
		}
	}
	if (d)
		closedir(d);
	if (n > RUNDIR_KEPT)
		qsort(runs, n, sizeof(*runs), aged_newest_first);
	for (size_t i = 0; i < n; i++) {
		if (i >= RUNDIR_KEPT && strcmp(runs[i].path, keep))
			remove_tree(runs[i].path);
		free(runs[i].path);
	}
	free(runs);
}

int
rundir_make(struct rundir *d, const char *root, const char *stage, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	mkdir_p(root, 0755);
	char *tmpl = xasprintf("%s/%s.XXXXXX", root, stage);
	if (!mkdtemp(tmpl)) {
		snprintf(err, errlen, "cannot create a run folder %s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	d->path = tmpl;
	prune(root, stage, d->path);
	d->uart_log = xasprintf("%s/uart.log", d->path);
	d->qemu_log = xasprintf("%s/qemu.log", d->path);
	d->gdb_log = xasprintf("%s/gdb.log", d->path);
	d->build_log = xasprintf("%s/build.log", d->path);
	d->witness_log = xasprintf("%s/witness.log", d->path);
	d->witness_json = xasprintf("%s/witness.json", d->path);
	d->gdb_script = xasprintf("%s/watch.gdb", d->path);
	d->src = xasprintf("%s/src", d->path);
	d->socket = xasprintf("%s/gdb.sock", d->path);
	if (strlen(d->socket) >= 100) {
		char tmp[] = "/tmp/lab-runner.XXXXXX";
		if (mkdtemp(tmp)) {
			d->sockdir = xstrdup(tmp);
			free(d->socket);
			d->socket = xasprintf("%s/gdb.sock", tmp);
		}
	}
	return 0;
}

void
rundir_release(struct rundir *d)
{
	if (d->socket)
		unlink(d->socket);
	if (d->sockdir)
		rmdir(d->sockdir);
	free(d->path);
	free(d->uart_log);
	free(d->qemu_log);
	free(d->gdb_log);
	free(d->build_log);
	free(d->witness_log);
	free(d->witness_json);
	free(d->gdb_script);
	free(d->src);
	free(d->socket);
	free(d->sockdir);
	memset(d, 0, sizeof(*d));
}
