/*
 * build.c: see build.h.
 */
#include "build.h"
#include "initramfs.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUILD_TIMEOUT  (300 * 1000)
/* A learner's kernel: the first build of stage 06 builds the stock
 * defconfig too, about 10 min on two idle cores (23 min seen on a busy
 * machine); later ones take a few. */
#define KERNEL_BUILD_TIMEOUT (90 * 60 * 1000)
#define GRADE_BUILD_TIMEOUT (90 * 1000)
#define COPY_MAX       (64u * 1024 * 1024)

/* The first compiler errors of a build log, the way gcc printed them. */
static char *
first_errors(const char *log, const char *shown_dir)
{
	char *text;
	struct sb s;
	int lines = 0, taking = 0;

	if (read_file(log, &text, NULL) < 0)
		return xstrdup("");
	sb_init(&s);
	for (char *l = text; l && *l && lines < 12;) {
		char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		int is_err = (memmem(l, len, ": error:", 8) || memmem(l, len, ": fatal error:", 14) ||
			      memmem(l, len, "undefined reference", 19) ||
			      memmem(l, len, "No rule to make target", 22) ||
			      memmem(l, len, "command not found", 17) ||
			      memmem(l, len, "No such file or directory", 25));
		if (is_err)
			taking = 4;   /* the error and gcc's context lines after it */
		if (taking > 0) {
			/* gcc names files relative to the copy we built; show the learner's. */
			if (is_err && shown_dir && l[0] != ' ' && memchr(l, ':', len) &&
			    strncmp(l, "make", 4) != 0) {
				size_t n = strlen(shown_dir);
				while (n > 1 && shown_dir[n - 1] == '/')
					n--;
				sb_printf(&s, "%.*s/", (int)n, shown_dir);
			}
			sb_add(&s, l, len);
			sb_puts(&s, "\n");
			lines++;
			taking--;
		}
		l = nl ? nl + 1 : NULL;
	}
	if (s.len == 0) {
		char *t = tail_lines(text, strlen(text), 12);
		sb_puts(&s, t);
		free(t);
	}
	free(text);
	return sb_detach(&s);
}

/*
 * Grading with `grading make`: the starter's own Makefile (the lab's, laid
 * out with the starter) builds the folder, for stages whose archive holds
 * more than programs compiled from the submission (BusyBox, scripts). The
 * submission gave only the check's `sources`; a Makefile cannot be one of
 * them (catalog.c), so no command of the submission's runs. make and what
 * it starts (the compiler reads the untrusted sources) run under limits.
 */
/* The front of a command line that bounds what it runs: CPU seconds,
 * memory, and the size of any file it writes. */
static void
push_limits(struct strv *argv, int cpu_s)
{
	if (!have_program("prlimit"))
		return;
	strv_push(argv, "prlimit");
	strv_pushf(argv, "--cpu=%d", cpu_s);
	strv_push(argv, "--as=4000000000");
	strv_push(argv, "--fsize=200000000");
	strv_push(argv, "--");
}

static int
grading_make(const struct build_job *j, struct result *r)
{
	struct strv argv = {0};
	push_limits(&argv, 120);
	strv_push(&argv, "make");
	strv_push(&argv, "--no-print-directory");
	strv_pushf(&argv, "LAB_TOP=%s", j->top);
	int rc = run_logged(argv.v, j->src, r->build_log, GRADE_BUILD_TIMEOUT, j->sigfd);
	strv_release(&argv);
	char *made = xasprintf("%s/initramfs.cpio", j->src);
	if (rc == 0 && (!is_file(made) || copy_file(made, j->cpio, 0644) < 0))
		rc = 1;
	free(made);
	if (rc != 0) {
		r->build_errors = first_errors(r->build_log, NULL);
		r->interrupted = rc == -3;
		if (rc == -3)
			result_set(r, V_ERROR, "interrupted");
		else if (rc == -2)
			result_set(r, V_ERROR, "the build took longer than %d s", GRADE_BUILD_TIMEOUT / 1000);
		else
			result_set(r, V_ERROR, "the submission does not build with the lab's own Makefile");
		return -1;
	}
	return 0;
}

/* Grading: lay out the starter, put the submission's sources over it, and
 * compile with the check's fixed lines. The submission's Makefile never
 * runs: a submission is untrusted. */
static int
build_grading(const struct build_job *j, struct result *r)
{
	const struct check *c = j->check;
		char err[512];
	char *starter = stage_path(j->cat, j->stage, PART_STARTER);

	r->grading_note = 1;
	if (is_dir(starter) && copy_tree(starter, j->src, COPY_MAX, err, sizeof(err)) < 0) {
		free(starter);
		result_set(r, V_ERROR, "cannot lay out the starter: %s", err);
		return -1;
	}
	free(starter);
	mkdir_p(j->src, 0755);
	for (size_t i = 0; c->sources && c->sources[i]; i++) {
		char *from = xasprintf("%s/%s", j->dir, c->sources[i]);
		char *to = xasprintf("%s/%s", j->src, c->sources[i]);
		struct stat st;
		/* Untrusted: the file, and every folder on its way, must be the
		 * submission's own (no link out to the host's files). */
		char *real = realpath(from, NULL), *base = realpath(j->dir, NULL);
		int inside = real && base && !strncmp(real, base, strlen(base)) && real[strlen(base)] == '/';
		free(real);
		free(base);
		if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode) || !inside) {
			result_set(r, V_ERROR, "the submission has no %s (a regular file of its own)",
				    c->sources[i]);
			free(from);
			free(to);
			return -1;
		}
		if (st.st_size > 1024 * 1024 || copy_file(from, to, 0644) < 0) {
			result_set(r, V_ERROR, "cannot take %s from the submission (over 1 MiB?)",
				    c->sources[i]);
			free(from);
			free(to);
			return -1;
		}
		free(from);
		free(to);
	}
	if (c->grading_make)
		return grading_make(j, r);
	cpio_writer_t w;
	cpio_writer_init(&w);
	FILE *log = fopen(r->build_log, "we");
	for (size_t i = 0; i < c->ncompile; i++) {
		struct compile_rule *cr = &c->compile[i];
		struct strv argv = {0};
		/* The compiler reads what the submission names (#include
		 * "/dev/zero"...): bound its time, memory and output. */
		push_limits(&argv, 60);
		strv_push(&argv, "riscv64-linux-gnu-gcc");
		strv_push(&argv, "-static");
		strv_push(&argv, "-no-pie");
		strv_push(&argv, "-g");
		strv_push(&argv, "-O2");
		strv_push(&argv, "-o");
		strv_push(&argv, cr->output);
		for (size_t k = 0; cr->sources[k]; k++)
			strv_push(&argv, cr->sources[k]);
		char *one = xasprintf("%s.%zu", r->build_log, i);
		if (log) {
			for (size_t k = 0; k < argv.n; k++)
				fprintf(log, "%s%s", k ? " " : "", argv.v[k]);
			fputs("\n", log);
		}
		char *outdir = xstrdup(cr->output);
		char *slash = strrchr(outdir, '/');
		if (slash) {
			*slash = '\0';
			char *d = xasprintf("%s/%s", j->src, outdir);
			mkdir_p(d, 0755);
			free(d);
		}
		free(outdir);
		int rc = run_logged(argv.v, j->src, one, GRADE_BUILD_TIMEOUT, j->sigfd);
		char *out;
		if (log && read_file(one, &out, NULL) == 0) {
			fputs(out, log);
			free(out);
		}
		unlink(one);
		free(one);
		strv_release(&argv);
		if (rc != 0) {
			if (log)
				fclose(log);
			cpio_writer_release(&w);
			r->build_errors = first_errors(r->build_log, NULL);
			result_set(r, V_ERROR, rc == -3 ? "interrupted" :
				    "the submission does not compile with the check's compile line");
			r->interrupted = rc == -3;
			return -1;
		}
	}
	if (log)
		fclose(log);
	/* Pack every compiled program, with the folders above it. */
	for (size_t i = 0; i < c->ncompile; i++) {
		char *name = c->compile[i].output;
		for (char *s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
			char *d = xstrndup(name, (size_t)(s - name));
			int dup = 0;
			for (size_t k = 0; k < i; k++)
				if (!strncmp(c->compile[k].output, d, strlen(d)) &&
				    c->compile[k].output[strlen(d)] == '/')
					dup = 1;
			if (!dup)
				cpio_add_dir(&w, d, 0755);
			free(d);
		}
		char *path = xasprintf("%s/%s", j->src, name), *data;
		size_t len;
		if (read_file(path, &data, &len) == 0) {
			cpio_add_file(&w, name, 0755, data, len);
			free(data);
		}
		free(path);
	}
	unsigned char *buf;
	size_t len;
	if (cpio_writer_finish(&w, &buf, &len) < 0 || write_file_atomic(j->cpio, (char *)buf, len) < 0) {
		result_set(r, V_ERROR, "cannot write %s", j->cpio);
		cpio_writer_release(&w);
		return -1;
	}
	free(buf);
	cpio_writer_release(&w);
	return 0;
}

/* Build the learner's folder with its own Makefile, in a private copy. */
static int
build_make(const struct build_job *j, struct result *r)
{
		char err[512];
	char *mk = xasprintf("%s/Makefile", j->dir);
	int has_mk = is_file(mk);
	free(mk);

	if (!has_mk) {
		result_set(r, V_ERROR, "%s has no Makefile: the lab builds each stage with make "
			    "(copy it back from steps/%s/starter/Makefile)", j->dir, j->stage->name);
		return -1;
	}
	if (copy_tree(j->dir, j->src, COPY_MAX, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s", err);
		return -1;
	}
	/* A stale archive copied from the learner's folder must not pass for a fresh one. */
	char *stale = xasprintf("%s/initramfs.cpio", j->src);
	unlink(stale);
	free(stale);

	/* Built before, from exactly these files? Then make would do the same
	 * again: take the archive it made then (build/cache/, one per stage). */
	unsigned long long h;
	char *cached = NULL;
	int kernel = j->check->kernel == KERNEL_LEARNER;
	long long limit = kernel ? KERNEL_BUILD_TIMEOUT : BUILD_TIMEOUT;
	if (!kernel && tree_hash(j->src, &h) == 0) {
		/* What a Makefile may take from the lab itself counts too. */
		struct stat bb;
		char *busybox = xasprintf("%s/build/busybox/busybox", j->top);
		if (stat(busybox, &bb) == 0)
			h = (h ^ (unsigned long long)bb.st_mtim.tv_sec) * 1099511628211ull;
		free(busybox);
		char *dir = xasprintf("%s/build/cache", j->top);
		mkdir_p(dir, 0755);
		cached = xasprintf("%s/%s-%016llx.cpio", dir, j->stage->name, h);
		free(dir);
		if (is_file(cached) && copy_file(cached, j->cpio, 0644) == 0) {
			char note[] = "lab-runner: these files were built before; the archive made then is used\n";
			write_file_atomic(r->build_log, note, sizeof(note) - 1);
			r->build_cached = 1;
			free(cached);
			return 0;
		}
	}
	/* The copy is not in the lab's tree: tell the Makefile where the lab is
	 * (a stage that packs BusyBox finds it under $(LAB_TOP)/build/). */
	char *top = xasprintf("LAB_TOP=%s", j->top);
	/* And which folder this is a copy of, for a Makefile that keeps builds
	 * of its own outside the copy (stage 06: one kernel per folder). */
	char *real = realpath(j->dir, NULL);
	char *folder = xasprintf("LAB_FOLDER=%s", real ? real : j->dir);
	free(real);
	char *argv[] = {"make", "--no-print-directory", top, folder, NULL};
	/* A kernel build can take minutes: its script's own lines ("kernel...":
	 * what it does, a progress line every 30 s) show that it is alive. */
	int rc = run_logged_echo(argv, j->src, r->build_log, limit, j->sigfd, kernel ? j->echo_fd : -1,
				 "kernel");
	free(top);
	free(folder);
	if (rc != 0)
		free(cached);
	if (rc == -3) {
		r->interrupted = 1;
		result_set(r, V_ERROR, "interrupted");
		return -1;
	}
	if (rc == -2) {
		result_set(r, V_ERROR, "make took longer than %lld s and was stopped", limit / 1000);
		return -1;
	}
	if (rc != 0) {
		r->build_errors = first_errors(r->build_log, j->dir);
		result_set(r, V_ERROR, rc < 0 ? "make could not be started: is it installed? (make setup)"
			    : "the build failed: make exited with status %d", rc);
		return -1;
	}
	if (kernel) {
		const char *made[] = {"Image", "vmlinux"};
		for (size_t i = 0; i < 2; i++) {
			char *f = xasprintf("%s/%s", j->src, made[i]);
			int ok = is_file(f);
			free(f);
			if (!ok) {
				result_set(r, V_ERROR, "make finished but left no %s beside initramfs.cpio: "
					    "this stage boots the kernel your Makefile builds (see "
					    "steps/%s/starter/Makefile)", made[i], j->stage->name);
				return -1;
			}
		}
	}
	if (!is_file(j->cpio)) {
		free(cached);
		result_set(r, V_ERROR, "make finished but made no initramfs.cpio: the Makefile's "
			    "default target must pack it (cpio -o -H newc < file_list.txt > initramfs.cpio)");
		return -1;
	}
	if (cached) {
		/* One run per stage is kept: a new build replaces the old ones. Written
		 * aside, then renamed: a concurrent run sees all of it or nothing. */
		char *tmp = xasprintf("%s.%d", cached, (int)getpid());
		char *glob = xasprintf("%s/build/cache", j->top);
		DIR *d = opendir(glob);
		struct dirent *e;
		size_t n = strlen(j->stage->name);
		while (d && (e = readdir(d)))
			if (!strncmp(e->d_name, j->stage->name, n) && e->d_name[n] == '-' &&
			    strlen(e->d_name) == n + 1 + 16 + 5) {
				char *old = xasprintf("%s/%s", glob, e->d_name);
				unlink(old);
				free(old);
			}
		if (d)
			closedir(d);
		if (copy_file(j->cpio, tmp, 0644) == 0)
			rename(tmp, cached);
		unlink(tmp);
		free(tmp);
		free(glob);
		free(cached);
	}
	return 0;
}

int
build_initramfs(const struct build_job *j, struct result *r)
{
	return j->grading ? build_grading(j, r) : build_make(j, r);
}
