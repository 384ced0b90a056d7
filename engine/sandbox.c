/*
 * sandbox.c: implements sandbox.h.
 *
 * bwrap builds the sandbox's root from nothing (an empty tmpfs) and mounts
 * into it, in the order given, only what the command line names: later
 * mounts go on top of earlier ones. So the order below is the design:
 * /usr first, then what hides part of it (the lab's top, if it is there),
 * then the read-only extras and the work folder, which may lie inside
 * what was hidden or inside /tmp.
 */
#include "sandbox.h"
#include "fs.h"
#include "mem.h"
#include "proc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The top-level names a toolchain reaches outside /usr: on a merged /usr
 * (Debian 12 and 13) they are links into it. */
static const char *const root_links[] = {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"};

/* The uid and gid inside: the traditional "nobody". */
#define SANDBOX_ID "65534"

int
sandbox_shows(const char *path)
{
	return !strncmp(path, "/usr", 4) && (path[4] == '/' || path[4] == '\0');
}

void
sandbox_wrap(struct strv *argv, const struct sandbox *s)
{
	strv_push(argv, "bwrap");
	strv_push(argv, "--unshare-all");          /* user, mount, pid, net, ipc, uts, cgroup */
	strv_push(argv, "--die-with-parent");
	strv_push(argv, "--new-session");          /* no TIOCSTI into our terminal */
	strv_push(argv, "--uid");
	strv_push(argv, SANDBOX_ID);
	strv_push(argv, "--gid");
	strv_push(argv, SANDBOX_ID);
	strv_push(argv, "--clearenv");
	strv_push(argv, "--setenv");
	strv_push(argv, "PATH");
	strv_push(argv, "/usr/bin:/bin");
	strv_push(argv, "--setenv");
	strv_push(argv, "HOME");
	strv_push(argv, "/tmp");
	strv_push(argv, "--setenv");
	strv_push(argv, "TMPDIR");
	strv_push(argv, "/tmp");
	strv_push(argv, "--ro-bind");
	strv_push(argv, "/usr");
	strv_push(argv, "/usr");
	for (size_t i = 0; i < sizeof(root_links) / sizeof(root_links[0]); i++) {
		struct stat st;
		char target[PATH_MAX];
		if (lstat(root_links[i], &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(root_links[i], target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			strv_push(argv, "--symlink");
			strv_push(argv, target);
		} else if (S_ISDIR(st.st_mode)) {
			strv_push(argv, "--ro-bind");
			strv_push(argv, root_links[i]);
		} else {
			continue;
		}
		strv_push(argv, root_links[i]);
	}
	strv_push(argv, "--dev");
	strv_push(argv, "/dev");
	strv_push(argv, "--tmpfs");
	strv_push(argv, "/tmp");
	if (s->hide && sandbox_shows(s->hide)) {
		strv_push(argv, "--tmpfs");
		strv_push(argv, s->hide);
	}
	for (size_t i = 0; s->ro && s->ro[i]; i++) {
		strv_push(argv, "--ro-bind");
		strv_push(argv, s->ro[i]);
		strv_push(argv, s->ro[i]);
	}
	strv_push(argv, "--bind");
	strv_push(argv, s->work);
	strv_push(argv, s->work);
	strv_push(argv, "--chdir");
	strv_push(argv, s->work);
	strv_push(argv, "--");
}

int
sandbox_probe(const char *tmp_dir, char *err, size_t errlen)
{
	if (!have_program("bwrap")) {
		snprintf(err, errlen, "bwrap is not installed: the grading sandbox is Debian's "
			 "bubblewrap (make setup installs it; or apt-get install bubblewrap)");
		return -1;
	}
	char *work = xasprintf("%s/sandbox-probe.XXXXXX", tmp_dir);
	if (!mkdtemp(work)) {
		snprintf(err, errlen, "cannot create '%s': %s", work, strerror(errno));
		free(work);
		return -1;
	}
	char *log = xasprintf("%s.log", work);
	struct strv argv = {0};
	struct sandbox s = {.work = work};
	sandbox_wrap(&argv, &s);
	strv_push(&argv, "true");
	struct run_outcome o = run_logged(argv.v, NULL, log, 30000, -1);
	int ok = run_succeeded(o);
	if (!ok) {
		char *why = NULL;
		size_t n = 0;
		if (read_file_head(log, &why, &n, 4096) < 0)
			why = xstrdup("");
		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			why[--n] = '\0';
		char *nl = strchr(why, '\n');
		if (nl)
			*nl = '\0';
		if (!*why) {
			free(why);
			why = o.how == RUN_EXITED ? xasprintf("bwrap exited with status %d and "
							      "said nothing", o.status)
						  : xstrdup("bwrap did not end in 30 s");
		}
		snprintf(err, errlen, "the grading sandbox (bwrap) cannot run here: %s (bwrap "
			 "needs user namespaces: where they are off, turn them on, e.g. sysctl "
			 "user.max_user_namespaces=10000, or use a container that allows them)",
			 why);
		free(why);
	}
	strv_release(&argv);
	unlink(log);
	remove_tree(work);
	free(log);
	free(work);
	return ok ? 0 : -1;
}
