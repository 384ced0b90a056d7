/*
 * build.c: implements build.h.
 *
 * Two ways to the same archive. The learner's build runs the folder's own
 * Makefile in a copy (and keeps what it made in build/cache/, keyed by a
 * digest of the folder, so an unchanged folder is not built again). The
 * grading build never runs a command of the submission's: it lays out the
 * starter, takes the check's `sources` from the submission, and compiles
 * them with the check's own lines (or the starter's own Makefile). Both
 * turn how a command ended (proc.h, struct run_outcome) into a verdict in
 * their own words.
 */
#include "build.h"
#include "cpio_writer.h"
#include "sandbox.h"
#include "util.h"

#include <dirent.h>
#include <signal.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the lab builds once that a stage's Makefile may pack (under the
 * lab's folder): what a grading build may read, and what a cached archive
 * depends on besides the folder. */
static const char *const lab_built[] = {
	"build/busybox/busybox",
	"build/dropbear/dropbearmulti",
};

#define BUILD_TIMEOUT  (300 * 1000)
/* A learner's kernel: the first build of stage 06 builds the stock
 * defconfig too, about 10 min on two idle cores (23 min seen on a busy
 * machine); later ones take a few. */
#define KERNEL_BUILD_TIMEOUT (90 * 60 * 1000)
/* Grading, untrusted: a whole `grading make`, and one compile line (a
 * stage's program compiles in about a second). */
#define GRADE_MAKE_TIMEOUT (90 * 1000)
#define GRADE_COMPILE_TIMEOUT (60 * 1000)
#define GRADE_COMPILE_CPU_S 60
#define GRADE_MAKE_CPU_S 120
/* What a grading build may print into build.log (the runner writes it):
 * a compile line, and a whole `grading make`. */
#define GRADE_COMPILE_LOG_MAX (256u * 1024)
#define GRADE_MAKE_LOG_MAX (1024u * 1024)
/* gcc's errors after which it stops (the first ones are what the report shows). */
#define GRADE_MAX_ERRORS "-fmax-errors=20"
#define COPY_MAX       (64u * 1024 * 1024)
#define SOURCE_MAX     (1024 * 1024)
/* first_errors() reads at most this much of a log. */
#define LOG_READ_MAX   (4u * 1024 * 1024)

/* The first compiler errors of a build log, the way gcc printed them; with
 * shown_dir, the paths gcc printed are made the learner's (shown_dir/...).
 * The last lines of the log when none is found. The caller frees. */
static char *
first_errors(const char *log, const char *shown_dir)
{
	char *text;
	struct sb s;
	int lines = 0, taking = 0;

	if (read_file_head(log, &text, NULL, LOG_READ_MAX) < 0)
		return xstrdup("");
	sb_init(&s);
	for (char *l = text; l && *l && lines < 12;) {
		char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		int is_err = (memmem(l, len, ": error:", 8) ||
			      memmem(l, len, ": fatal error:", 14) ||
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

/* The verdict of a build that a signal on sigfd ended (the same words for
 * every build). Returns -1. */
static int
interrupted(struct result *r)
{
	r->interrupted = 1;
	result_set(r, V_ERROR, "interrupted");
	return -1;
}

/* ------------------------------------------------------------ grading */

/* The front of a grading command line: limits on CPU seconds, memory and
 * the size of any file it writes (prlimit), then the sandbox (sandbox.h),
 * in which it sees j->src read-write and ro read-only, nothing else of
 * the host but the toolchain. */
static void
push_bounds(const struct build_job *j, struct strv *argv, int cpu_s, const char *const *ro)
{
	if (have_program("prlimit")) {
		strv_push(argv, "prlimit");
		strv_pushf(argv, "--cpu=%d", cpu_s);
		strv_pushf(argv, "--as=%lld", GRADE_COMPILE_AS);
		strv_push(argv, "--fsize=200000000");
		strv_push(argv, "--");
	}
	if (!j->unsandboxed) {
		struct sandbox box = {.work = j->src, .ro = ro, .hide = j->top};
		sandbox_wrap(argv, &box);
	}
}

/* The verdict of a grading build that did not succeed, in the words of
 * how it ended; what names the build ("the check's compile line"). Returns -1. */
static int
grading_failed(struct result *r, struct run_outcome o, long long limit_ms, int cpu_s,
	       size_t log_max, const char *what)
{
	switch (o.how) {
	case RUN_INTERRUPTED:
		return interrupted(r);
	case RUN_TIMED_OUT:
		result_set(r, V_ERROR, "the build took longer than %lld s and was stopped "
			   "(%s)", limit_ms / 1000, what);
		return -1;
	case RUN_TOO_MUCH_OUTPUT:
		result_set(r, V_ERROR, "the build printed more than %zu KiB of errors and was "
			   "stopped (%s)", log_max / 1024, what);
		return -1;
	case RUN_EXITED:
		/* SIGXCPU is what RLIMIT_CPU sends; a SIGKILL may be the
		 * limit's hard end or something else (memory): not said. */
		if (o.status == 128 + SIGXCPU)
			result_set(r, V_ERROR, "the build used more than its %d s of CPU time "
				   "and was stopped (%s)", cpu_s, what);
		else if (o.status > 128)
			result_set(r, V_ERROR, "the build was killed by signal %d (%s)",
				   o.status - 128, what);
		else
			result_set(r, V_ERROR, "the submission does not compile with %s", what);
		return -1;
	case RUN_NOT_STARTED:
		break;
	}
	result_set(r, V_ERROR, "the grading build could not be started (%s): is the lab set "
		   "up? (make setup)", what);
	return -1;
}

/*
 * Grading with `grading make`: the starter's own Makefile (the lab's, laid
 * out with the starter) builds the folder, for stages whose archive holds
 * more than programs compiled from the submission (BusyBox, scripts). The
 * submission gave only the check's `sources`; a Makefile cannot be one of
 * them (catalog.c), so no command of the submission's runs. make and what
 * it starts (the compiler reads the untrusted sources) run under limits.
 */
static int
grading_make(const struct build_job *j, struct result *r)
{
	struct strv argv = {0}, ro = {0};
	/* What the lab's Makefile takes from the lab: BusyBox, Dropbear,
	 * read-only (those built). */
	for (size_t i = 0; i < sizeof(lab_built) / sizeof(lab_built[0]); i++) {
		char *f = xasprintf("%s/%s", j->top, lab_built[i]);
		if (is_file(f))
			strv_push(&ro, f);
		free(f);
	}
	push_bounds(j, &argv, GRADE_MAKE_CPU_S, ro.n ? (const char *const *)ro.v : NULL);
	strv_push(&argv, "make");
	strv_push(&argv, "--no-print-directory");
	strv_pushf(&argv, "LAB_TOP=%s", j->top);
	struct run_outcome o = run_logged_capped(argv.v, j->src, r->build_log, GRADE_MAKE_TIMEOUT,
						 j->sigfd, GRADE_MAKE_LOG_MAX);
	strv_release(&argv);
	strv_release(&ro);
	char *made = xasprintf("%s/initramfs.cpio", j->src);
	int ok = run_succeeded(o) && is_file(made) && copy_file(made, j->cpio, 0644) == 0;
	free(made);
	if (ok)
		return 0;
	r->build_errors = first_errors(r->build_log, NULL);
	if (run_succeeded(o)) {
		result_set(r, V_ERROR, "the lab's own Makefile made no initramfs.cpio");
		return -1;
	}
	return grading_failed(r, o, GRADE_MAKE_TIMEOUT, GRADE_MAKE_CPU_S, GRADE_MAKE_LOG_MAX,
			      "the lab's own Makefile");
}

/* Lay out the starter in j->src and put the check's sources from the
 * submission over it. */
static int
take_sources(const struct build_job *j, struct result *r)
{
	const struct check *c = j->check;
	char err[512];
	char *starter = stage_path(j->cat, j->stage, PART_STARTER);

	if (is_dir(starter) && copy_tree(starter, j->src, COPY_MAX, err, sizeof(err)) < 0) {
		free(starter);
		result_set(r, V_ERROR, "cannot lay out the starter: %s", err);
		return -1;
	}
	free(starter);
	if (mkdir_p(j->src, 0755) < 0) {
		result_set(r, V_ERROR, "cannot create '%s': %s", j->src, strerror(errno));
		return -1;
	}
	for (size_t i = 0; c->sources && c->sources[i]; i++) {
		char *from = xasprintf("%s/%s", j->dir, c->sources[i]);
		char *to = xasprintf("%s/%s", j->src, c->sources[i]);
		struct stat st;
		/* Untrusted: the file, and every folder on its way, must be the
		 * submission's own (no link out to the host's files). */
		char *real = realpath(from, NULL), *base = realpath(j->dir, NULL);
		int inside = real && base && !strncmp(real, base, strlen(base)) &&
			     real[strlen(base)] == '/';
		int rc = 0;
		free(real);
		free(base);
		if (lstat(from, &st) < 0 || !S_ISREG(st.st_mode) || !inside) {
			result_set(r, V_ERROR,
				   "the submission has no %s (a regular file of its own)",
				   c->sources[i]);
			rc = -1;
		} else if (st.st_size > SOURCE_MAX || copy_file(from, to, 0644) < 0) {
			result_set(r, V_ERROR, "cannot take %s from the submission (over 1 MiB?)",
				   c->sources[i]);
			rc = -1;
		}
		free(from);
		free(to);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Run one of the check's compile lines in j->src, under limits; its output
 * is appended to log (which may be NULL). */
static struct run_outcome
compile_one(const struct build_job *j, const struct compile_rule *cr, const char *one_log,
	    FILE *log)
{
	struct strv argv = {0};
	/* The compiler reads what the submission names (#include
	 * "/dev/zero", "../../solutions/..."): it sees only the sandbox,
	 * and its time, memory and output are bounded. */
	push_bounds(j, &argv, GRADE_COMPILE_CPU_S, NULL);
	size_t shown = argv.n;     /* the log shows the compile line, not the bounds */
	strv_push(&argv, "riscv64-linux-gnu-gcc");
	strv_push(&argv, "-static");
	strv_push(&argv, "-no-pie");
	strv_push(&argv, "-g");
	strv_push(&argv, "-O2");
	strv_push(&argv, GRADE_MAX_ERRORS);
	strv_push(&argv, "-o");
	strv_push(&argv, cr->output);
	for (size_t k = 0; cr->sources[k]; k++)
		strv_push(&argv, cr->sources[k]);
	if (log) {
		for (size_t k = shown; k < argv.n; k++)
			fprintf(log, "%s%s", k > shown ? " " : "", argv.v[k]);
		fputs("\n", log);
	}
	char *slash = strrchr(cr->output, '/');
	if (slash) {
		char *d = xasprintf("%s/%.*s", j->src, (int)(slash - cr->output), cr->output);
		mkdir_p(d, 0755);     /* if it fails, the compiler says so */
		free(d);
	}
	struct run_outcome o = run_logged_capped(argv.v, j->src, one_log, GRADE_COMPILE_TIMEOUT,
						 j->sigfd, GRADE_COMPILE_LOG_MAX);
	char *out;
	if (log && read_file_head(one_log, &out, NULL, LOG_READ_MAX) == 0) {
		fputs(out, log);
		free(out);
	}
	unlink(one_log);
	strv_release(&argv);
	return o;
}

/* Pack every compiled program, with the folders above it, into j->cpio. */
static int
pack_programs(const struct build_job *j, struct result *r)
{
	const struct check *c = j->check;
	struct cpio_writer w;
	unsigned char *buf;
	size_t len;

	cpio_writer_init(&w);
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
		size_t n;
		if (read_file(path, &data, &n) == 0) {
			cpio_add_file(&w, name, 0755, data, n);
			free(data);
		}
		free(path);
	}
	if (cpio_writer_finish(&w, &buf, &len) < 0 ||
	    write_file_atomic(j->cpio, (char *)buf, len) < 0) {
		result_set(r, V_ERROR, "cannot write %s", j->cpio);
		cpio_writer_release(&w);
		return -1;
	}
	free(buf);
	cpio_writer_release(&w);
	return 0;
}

/* Grading: lay out the starter, put the submission's sources over it, and
 * compile with the check's fixed lines. The submission's Makefile never
 * runs: a submission is untrusted. */
static int
build_grading(const struct build_job *j, struct result *r)
{
	const struct check *c = j->check;

	r->grading_note = 1;
	if (take_sources(j, r) < 0)
		return -1;
	if (c->grading_make)
		return grading_make(j, r);
	FILE *log = fopen(r->build_log, "we");
	for (size_t i = 0; i < c->ncompile; i++) {
		char *one = xasprintf("%s.%zu", r->build_log, i);
		struct run_outcome o = compile_one(j, &c->compile[i], one, log);
		free(one);
		if (run_succeeded(o))
			continue;
		if (log)
			fclose(log);
		r->build_errors = first_errors(r->build_log, NULL);
		return grading_failed(r, o, GRADE_COMPILE_TIMEOUT, GRADE_COMPILE_CPU_S,
				      GRADE_COMPILE_LOG_MAX, "the check's compile line");
	}
	if (log)
		fclose(log);
	return pack_programs(j, r);
}

/* ------------------------------------------------------------- learner */

/*
 * Where the archive of a build of exactly these files is kept (build/cache/,
 * one per stage; the caller frees), or NULL if the digest cannot be made.
 * What a Makefile may take from the lab itself (lab_built) counts too.
 */
static char *
cache_path(const struct build_job *j)
{
	unsigned long long h;
	struct stat bb;

	if (tree_hash(j->src, &h) < 0)
		return NULL;
	for (size_t i = 0; i < sizeof(lab_built) / sizeof(lab_built[0]); i++) {
		char *f = xasprintf("%s/%s", j->top, lab_built[i]);
		if (stat(f, &bb) == 0)
			h = (h ^ (unsigned long long)bb.st_mtim.tv_sec) * 1099511628211ull;
		free(f);
	}
	char *dir = xasprintf("%s/build/cache", j->top);
	mkdir_p(dir, 0755);     /* if it fails, nothing is cached */
	char *path = xasprintf("%s/%s-%016llx.cpio", dir, j->stage->name, h);
	free(dir);
	return path;
}

/* Keep the archive just built as the stage's cached one. One per stage is
 * kept: a new build replaces the old ones. Written aside, then renamed: a
 * concurrent run sees all of it or nothing. */
static void
cache_keep(const struct build_job *j, const char *cached)
{
	char *tmp = xasprintf("%s.%d", cached, (int)getpid());
	char *dir = xasprintf("%s/build/cache", j->top);
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = strlen(j->stage->name);

	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, j->stage->name, n) && e->d_name[n] == '-' &&
		    strlen(e->d_name) == n + 1 + 16 + 5) {
			char *old = xasprintf("%s/%s", dir, e->d_name);
			unlink(old);
			free(old);
		}
	if (d)
		closedir(d);
	if (copy_file(j->cpio, tmp, 0644) == 0)
		rename(tmp, cached);
	unlink(tmp);
	free(tmp);
	free(dir);
}

/* Run make in j->src; returns 0 when it exited with status 0, else -1 with
 * the verdict set. */
static int
run_make(const struct build_job *j, struct result *r, long long limit, int kernel)
{
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
	struct run_outcome o = run_logged_echo(argv, j->src, r->build_log, limit, j->sigfd,
					       kernel ? j->echo_fd : -1, "kernel");
	free(top);
	free(folder);
	switch (o.how) {
	case RUN_EXITED:
		if (o.status == 0)
			return 0;
		r->build_errors = first_errors(r->build_log, j->dir);
		result_set(r, V_ERROR, "the build failed: make exited with status %d", o.status);
		return -1;
	case RUN_TIMED_OUT:
		result_set(r, V_ERROR, "make took longer than %lld s and was stopped",
			   limit / 1000);
		return -1;
	case RUN_INTERRUPTED:
		return interrupted(r);
	case RUN_TOO_MUCH_OUTPUT:   /* no cap on a learner's own build */
	case RUN_NOT_STARTED:
		break;
	}
	r->build_errors = first_errors(r->build_log, j->dir);
	result_set(r, V_ERROR, "make could not be started: is it installed? (make setup)");
	return -1;
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
	 * again: take the archive it made then. A learner's kernel is built by
	 * make every time (the kernel script knows when nothing changed). */
	int kernel = j->check->kernel == KERNEL_LEARNER;
	long long limit = kernel ? KERNEL_BUILD_TIMEOUT : BUILD_TIMEOUT;
	/* Only an archive is kept: a stage that makes more (a disk) runs make. */
	int archive_only = j->check->build && !j->check->disk;
	char *cached = kernel || !archive_only ? NULL : cache_path(j);
	if (cached && is_file(cached) && copy_file(cached, j->cpio, 0644) == 0) {
		char note[] = "lab-runner: these files were built before; "
			      "the archive made then is used\n";
		write_file_atomic(r->build_log, note, sizeof(note) - 1);
		r->build_cached = 1;
		free(cached);
		return 0;
	}
	int rc = run_make(j, r, limit, kernel);
	if (rc == 0 && kernel) {
		const char *made[] = {"Image", "vmlinux"};
		for (size_t i = 0; i < 2 && rc == 0; i++) {
			char *f = xasprintf("%s/%s", j->src, made[i]);
			if (!is_file(f)) {
				result_set(r, V_ERROR, "make finished but left no %s in the "
					   "folder: this stage boots the kernel your Makefile "
					   "builds (see steps/%s/starter/Makefile)",
					   made[i], j->stage->name);
				rc = -1;
			}
			free(f);
		}
	}
	if (rc == 0 && j->check->build && !is_file(j->cpio)) {
		result_set(r, V_ERROR, "make finished but made no initramfs.cpio: the Makefile's "
			   "default target must pack it "
			   "(cpio -o -H newc < file_list.txt > initramfs.cpio)");
		rc = -1;
	}
	if (rc == 0 && cached)
		cache_keep(j, cached);
	free(cached);
	return rc;
}

int
build_initramfs(const struct build_job *j, struct result *r)
{
	return j->grading ? build_grading(j, r) : build_make(j, r);
}
