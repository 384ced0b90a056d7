/*
 * disk.c: see disk.h.
 */
#include "disk.h"
#include "fs.h"
#include "proc.h"
#include "sandbox.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* debugfs reads a small image in well under a second. */
#define DISK_READ_TIMEOUT_MS 20000
#define DISK_READ_LOG_MAX (64 * 1024)

char *
disk_find(const char *src, const char *file, char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s", src, file), *inside = NULL;
	struct stat st;

	if (lstat(path, &st) < 0) {
		snprintf(err, errlen, "make finished but left no %s: this stage boots a disk "
			 "image the folder's Makefile builds (make's default target must make it)",
			 file);
	} else if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "%s is a symbolic link: the disk must be an image file the "
			 "Makefile builds in the folder itself", file);
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a file (a folder, or a device?): the disk must be "
			 "an image file, e.g. made by mke2fs -d", file);
	} else if (!(inside = file_inside(src, file))) {
		snprintf(err, errlen, "%s lies outside the folder (a folder on its way is a "
			 "symbolic link): the disk must be an image file of the folder itself", file);
	} else if (st.st_size == 0) {
		snprintf(err, errlen, "%s is empty: the disk image has no filesystem", file);
	} else {
		free(path);
		return inside;
	}
	free(inside);
	free(path);
	return NULL;
}

/* The first line of debugfs's log that says what went wrong, or NULL.
 * (Its first line is its banner: "debugfs 1.47.0 (5-Feb-2023)".) */
static char *
debugfs_said(const char *log)
{
	char *text = NULL, *save = NULL, *said = NULL;

	if (read_file_head(log, &text, NULL, DISK_READ_LOG_MAX) < 0)
		return NULL;
	for (char *l = strtok_r(text, "\n", &save); l && !said; l = strtok_r(NULL, "\n", &save))
		if (strncmp(l, "debugfs ", 8) && *l)
			said = xstrdup(l);
	free(text);
	return said;
}

int
disk_read(const struct disk_read_job *j, char **text, char *err, size_t errlen)
{
	char *dir = xstrdup(j->image), *slash = strrchr(dir, '/');
	struct strv argv = {0};
	struct stat st;
	int rc = -1;

	*text = NULL;
	if (slash)
		*slash = '\0';
	/* debugfs writes the file out beside the image: the one folder the
	 * sandbox lets it write. Whatever had the name before is gone first. */
	char *out = xasprintf("%s/.lab-ondisk", dir);
	unlink(out);
	/* A file of any size may be in the image: dumping more than the
	 * runner reads is stopped by the file-size limit (SIGXFSZ). */
	if (have_program("prlimit")) {
		strv_push(&argv, "prlimit");
		strv_pushf(&argv, "--fsize=%d", 4 * DISK_READ_MAX);
		strv_push(&argv, "--cpu=20");
		strv_push(&argv, "--");
	}
	if (j->sandboxed) {
		struct sandbox box = {.work = dir, .ro = NULL, .hide = j->top};
		sandbox_wrap(&argv, &box);
	}
	/* In /usr/sbin, which a user's PATH (and the sandbox's) leaves out. */
	strv_push(&argv, is_file("/usr/sbin/debugfs") ? "/usr/sbin/debugfs"
		  : is_file("/sbin/debugfs") ? "/sbin/debugfs" : "debugfs");
	strv_pushf(&argv, "-R");
	strv_pushf(&argv, "dump %s %s", j->path, out);
	strv_push(&argv, j->image);
	struct run_outcome o = run_logged_capped(argv.v, dir, j->log, DISK_READ_TIMEOUT_MS,
						 j->sigfd, DISK_READ_LOG_MAX);
	char *said = debugfs_said(j->log);

	if (o.how == RUN_NOT_STARTED || (o.how == RUN_EXITED && o.status == 127)) {
		snprintf(err, errlen, "debugfs could not be started to read the disk: is e2fsprogs "
			 "installed? (make setup)");
	} else if (o.how == RUN_EXITED && o.status == 128 + 25 /* SIGXFSZ */) {
		snprintf(err, errlen, "%s on the disk is larger than %d KiB", j->path,
			 4 * DISK_READ_MAX / 1024);
	} else if (!run_succeeded(o)) {
		snprintf(err, errlen, "debugfs could not read the disk image (%s)",
			 o.how == RUN_TIMED_OUT ? "it took too long" : "it failed");
	} else if (lstat(out, &st) == 0 && S_ISREG(st.st_mode)) {
		size_t len;
		if (read_file_head(out, text, &len, DISK_READ_MAX) == 0)
			rc = 0;
		else
			snprintf(err, errlen, "cannot read what debugfs wrote: %s", strerror(errno));
	} else if (said && strstr(said, "File not found")) {
		snprintf(err, errlen, "the disk image has no %s", j->path);
		rc = 1;
	} else {
		snprintf(err, errlen, "the disk image could not be read as an ext2/ext3/ext4 "
			 "filesystem%s%s%s", said ? " (debugfs: " : "", said ? said : "",
			 said ? ")" : "");
	}
	unlink(out);
	free(said);
	free(out);
	free(dir);
	strv_release(&argv);
	return rc;
}
