/*
 * grade.c: see grade.h. The command: its arguments, the run folder, and
 * putting the modules together.
 *
 * Like xv6's exec(), everything is checked first (the arguments, the
 * stages, the submission folders, the run folder) and only then are the
 * checks started (grade_jobs.h); a report (grade_report.h) is written only
 * once every check has ended, so an interrupted grading never leaves a
 * finished-looking report.
 *
 * A job whose stage folder is missing or is a symbolic link, whose check
 * says neither how to compile (compile lines) nor `grading make`, or whose
 * kernel is the learner's (stage 06), is given its problem here: it becomes
 * an ERROR row without running.
 */
#include "grade.h"
#include "build.h"
#include "engine.h"
#include "grade_jobs.h"
#include "grade_report.h"
#include "sandbox.h"
#include "textclean.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS 64

struct submission {
	char *path;             /* resolved */
	char *name;             /* its last component, cleaned: the name in the report */
	char *runs;             /* ROOT/NNN (NNN: its place): the engine's runs_root */
};

/* A grading run: what was asked, the class and its jobs. */
struct grading {
	const struct catalog *cat;
	int sigfd, color;
	struct submission *subs;
	size_t nsubs;
	const struct stage **stages;   /* in catalogue order */
	int *max_points;               /* each stage's, from its check (0 if it does not parse) */
	size_t nstages;
	int jobs, timeout_s;
	int unsandboxed;               /* --unsafe-no-sandbox */
	unsigned formats;              /* a bit per enum grade_format */
	const char *out;
	char *root;                    /* build/grade/WHEN.XXXXXX */
	struct grade_class cls;        /* its cells: one per job, in the same order */
	struct grade_job *job;
	size_t njobs;
};

/* ------------------------------------------------------------ arguments */

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("lab-runner: grade: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: ./lab-runner %s\n", GRADE_USAGE);
	return 2;
}

/*
 * If argv[*i] is the option name ("--jobs 4" or "--jobs=4"), returns its
 * value and moves *i past it ("" if the value is missing); NULL if argv[*i]
 * is something else.
 */
static const char *
option(const char *name, int argc, char **argv, int *i)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	return *i + 1 < argc ? argv[++*i] : "";
}

/*
 * The default --jobs: one check per CPU, but no more than the memory holds.
 * A job at its worst is a compile at its address-space limit and a QEMU
 * with its guest's memory (JOB_QEMU_MEMORY: the lab's checks give the
 * guest 128 MiB, QEMU adds its own).
 */
#define JOB_QEMU_MEMORY (512LL * 1024 * 1024)
static int
default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), pages = sysconf(_SC_PHYS_PAGES);
	long page = sysconf(_SC_PAGESIZE);
	long long jobs = cpus < 1 ? 1 : cpus;

	if (pages > 0 && page > 0) {
		long long fit = (long long)pages * page / (GRADE_COMPILE_AS + JOB_QEMU_MEMORY);
		if (fit < jobs)
			jobs = fit < 1 ? 1 : fit;
	}
	return jobs > MAX_JOBS ? MAX_JOBS : (int)jobs;
}

/* --stages 1,02,03-little-shell: kept in catalogue order, each once. Returns 0 or 2. */
static int
parse_stages(struct grading *g, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	char *want = xcalloc(g->cat->n, 1);
	int rc = 0;

	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		const struct stage *s = catalog_find(g->cat, k);
		if (!s) {
			rc = usage_error("no stage '%s' (./lab-runner list shows them)", k);
			break;
		}
		want[s - g->cat->stages] = 1;
	}
	g->nstages = 0;
	for (size_t i = 0; rc == 0 && i < g->cat->n; i++)
		if (want[i])
			g->stages[g->nstages++] = &g->cat->stages[i];
	if (rc == 0 && !g->nstages)
		rc = usage_error("--stages names no stage");
	free(want);
	free(copy);
	return rc;
}

/* --format text,tap: a bit per format. Returns 0 or 2. */
static int
parse_formats(struct grading *g, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;

	g->formats = 0;
	for (char *k = strtok_r(copy, ",", &save); k && rc == 0; k = strtok_r(NULL, ",", &save)) {
		int fmt = grade_format_find(k);
		if (fmt < 0)
			rc = usage_error("no format '%s': text, json, tap, junit or gradescope", k);
		else
			g->formats |= 1u << fmt;
	}
	if (rc == 0 && !g->formats)
		rc = usage_error("--format names no format");
	free(copy);
	return rc;
}

/* A whole number in [lo, hi] for option name. Returns 0 or 2. */
static int
parse_number(const char *name, const char *v, int lo, int hi, const char *what, int *out)
{
	if (str_to_int(v, lo, hi, out) < 0)
		return usage_error("%s '%s': not a number of %s from %d to %d", name, v, what, lo, hi);
	return 0;
}

/* Add a submission folder. Returns 0, or 2 (no such folder: a usage error,
 * as any word that is not an option names a submission). */
static int
add_submission(struct grading *g, const char *path)
{
	char *real = realpath(path, NULL);

	if (!real || !is_dir(real)) {
		free(real);
		return usage_error("no submission folder '%s'", path);
	}
	/* A folder every sandboxed compile can read is no place for a submission. */
	if (sandbox_shows(real)) {
		usage_error("'%s' is under /usr, which every sandboxed compile can read: "
			    "put the submissions elsewhere", real);
		free(real);
		return 2;
	}
	struct submission *s = &g->subs[g->nsubs++];
	const char *slash = strrchr(real, '/');
	s->path = real;
	s->name = text_clean_line(slash && slash[1] ? slash + 1 : "submission");
	return 0;
}

/* Returns 0, or 2 (a usage error, printed). */
static int
parse_args(struct grading *g, int argc, char **argv)
{
	const char *v;
	int rc = 0;

	g->subs = xcalloc((size_t)argc, sizeof(*g->subs));
	g->stages = xcalloc(g->cat->n, sizeof(*g->stages));
	g->formats = 1u << GF_TEXT;
	g->jobs = default_jobs();
	for (size_t i = 0; i < g->cat->n; i++)
		g->stages[g->nstages++] = &g->cat->stages[i];

	for (int i = 1; i < argc && rc == 0; i++) {
		if ((v = option("--stages", argc, argv, &i)))
			rc = parse_stages(g, v);
		else if ((v = option("--jobs", argc, argv, &i)))
			rc = parse_number("--jobs", v, 1, MAX_JOBS, "checks at once", &g->jobs);
		else if ((v = option("--timeout", argc, argv, &i)))
			rc = parse_number("--timeout", v, 1, 600, "seconds", &g->timeout_s);
		else if ((v = option("--format", argc, argv, &i)))
			rc = parse_formats(g, v);
		else if ((v = option("--out", argc, argv, &i)))
			rc = *v ? (g->out = v, 0) : usage_error("--out needs a file name");
		else if (!strcmp(argv[i], "--unsafe-no-sandbox"))
			g->unsandboxed = 1;
		else if (argv[i][0] == '-' && argv[i][1])
			rc = usage_error("unknown option '%s'", argv[i]);
		else
			rc = add_submission(g, argv[i]);
	}
	if (rc)
		return rc;
	if (!g->nsubs)
		return usage_error("name at least one SUBMISSION folder (it holds labs/NN-name/)");
	if ((g->formats & (1u << GF_GRADESCOPE)) && g->nsubs != 1)
		return usage_error("gradescope grades one submission per run: give exactly one "
				   "SUBMISSION, not %zu", g->nsubs);
	if (__builtin_popcount(g->formats) > 1 && !g->out)
		return usage_error("several formats need --out PREFIX (each report goes to PREFIX.EXT)");
	return 0;
}

/* ------------------------------------------------------------ the run folder */

/* Why a submission's stage folder cannot be checked, or NULL. */
static char *
folder_problem(const struct submission *sub, const struct stage *s)
{
	char *labs = xasprintf("%s/labs", sub->path), *dir = xasprintf("%s/%s", labs, s->name);
	char *why = NULL;
	struct stat st;

	if (lstat(labs, &st) == 0 && S_ISLNK(st.st_mode))
		why = xstrdup("labs is a symbolic link: a submission must hold its own files");
	else if (lstat(dir, &st) < 0)
		why = xasprintf("no labs/%s folder in the submission", s->name);
	else if (S_ISLNK(st.st_mode))
		why = xasprintf("labs/%s is a symbolic link: a submission must hold its own files", s->name);
	else if (!S_ISDIR(st.st_mode))
		why = xasprintf("labs/%s is not a folder", s->name);
	free(labs);
	free(dir);
	return why;
}

/*
 * Make the run folder: build/grade/WHEN.XXXXXX ($LAB_RUNS_DIR/WHEN.XXXXXX
 * when set, as `check` does: tests keep their runs apart), or
 * /tmp/lab-grade-WHEN.XXXXXX when that path is so long that a run's gdb
 * socket could not be named (a socket path holds at most 107 bytes).
 * Returns 0, or -1 with err filled.
 */
static int
make_root(struct grading *g, char *err, size_t errlen)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t longest = 0;

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	for (size_t s = 0; s < g->nstages; s++)
		if (strlen(g->stages[s]->name) > longest)
			longest = strlen(g->stages[s]->name);
	const char *env = getenv("LAB_RUNS_DIR");
	char *top = env && *env ? xstrdup(env) : xasprintf("%s/build/grade", g->cat->top);
	g->root = xasprintf("%s/%s.XXXXXX", top, when);
	/* ROOT/NNN/STAGE.XXXXXX/gdb.sock */
	if (strlen(g->root) + 4 + longest + 8 + strlen("/gdb.sock") > 107) {
		free(g->root);
		g->root = xasprintf("/tmp/lab-grade-%s.XXXXXX", when);
		fprintf(stderr, "grade: the lab's folder path is too long for QEMU's gdb socket; "
			"the logs go to /tmp instead\n");
	} else if (mkdir_p(top, 0755) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", top, strerror(errno));
		free(top);
		return -1;
	}
	free(top);
	if (!mkdtemp(g->root)) {
		snprintf(err, errlen, "cannot create a run folder %s: %s", g->root, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Each stage's points, and why it cannot be graded at all (engine_grading_problem;
 * NULL if it can): a stage whose check builds an archive but says nothing of
 * how to build it untrusted, or builds the learner's kernel. A check that does
 * not parse is not a problem here: its rows say what is wrong with it.
 */
static char **
stage_problems(const struct grading *g, int *max_points)
{
	char **why = xcalloc(g->nstages, sizeof(*why));
	char err[512];

	for (size_t s = 0; s < g->nstages; s++) {
		const struct stage *st = g->stages[s];
		char *path = stage_path(g->cat, st, PART_CHECK);
		struct check c;
		if (check_parse(&c, path, NULL, err, sizeof(err)) == 0) {
			max_points[s] = c.points;
			why[s] = engine_grading_problem(&c, st->name);
			check_release(&c);
		}
		free(path);
	}
	return why;
}

/* The run folder, a folder per submission in it, the class and its jobs.
 * Returns 0, or -1 with err filled. */
static int
prepare(struct grading *g, char *err, size_t errlen)
{
	struct grade_class *cls = &g->cls;
	char **why, *path;
	const char **names;
	struct sb index;
	int rc = 0;

	if (make_root(g, err, errlen) < 0)
		return -1;
	g->max_points = xcalloc(g->nstages, sizeof(*g->max_points));
	why = stage_problems(g, g->max_points);
	names = xcalloc(g->nsubs, sizeof(*names));
	g->njobs = g->nsubs * g->nstages;
	g->job = xcalloc(g->njobs, sizeof(*g->job));
	cls->nsubs = g->nsubs;
	cls->nstages = g->nstages;
	cls->subs = names;
	cls->stages = g->stages;
	cls->max_points = g->max_points;
	cls->cell = xcalloc(g->njobs, sizeof(*cls->cell));
	/* Folders are numbered, not named, to keep socket paths short: an
	 * index says which is which. */
	sb_init(&index);
	for (size_t i = 0; i < g->nsubs; i++) {
		struct submission *sub = &g->subs[i];
		names[i] = sub->name;
		sub->runs = xasprintf("%s/%03zu", g->root, i + 1);
		sb_printf(&index, "%03zu %s %s\n", i + 1, sub->name, sub->path);
		if (mkdir_p(sub->runs, 0755) < 0) {
			snprintf(err, errlen, "cannot create %s: %s", sub->runs, strerror(errno));
			rc = -1;
			goto out;
		}
		for (size_t s = 0; s < g->nstages; s++) {
			size_t k = i * g->nstages + s;
			struct grade_job *j = &g->job[k];
			j->stage = g->stages[s];
			j->sub = sub->name;
			j->dir = xasprintf("%s/labs/%s", sub->path, j->stage->name);
			j->runs = sub->runs;
			j->problem = why[s] ? xstrdup(why[s]) : folder_problem(sub, j->stage);
			j->number = k + 1;
			j->max_points = g->max_points[s];
			j->cell = &cls->cell[k];
			j->cell->base = xasprintf("%s/%s", sub->runs, j->stage->name);
			j->cell->verdict = V_ERROR;
			j->cell->max_points = g->max_points[s];
		}
	}
	path = xasprintf("%s/submissions.txt", g->root);
	if (write_file_atomic(path, index.buf, index.len) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(path);
out:
	sb_release(&index);
	for (size_t s = 0; s < g->nstages; s++)
		free(why[s]);
	free(why);
	return rc;
}

/* ------------------------------------------------------------ the reports */

/* Write every report asked for. Returns 0, or 2 if one cannot be written. */
static int
write_reports(const struct grading *g)
{
	int nfmt = __builtin_popcount(g->formats), rc = 0;

	for (int fmt = 0; fmt < GF_COUNT; fmt++) {
		if (!(g->formats & (1u << fmt)))
			continue;
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m) {
			fprintf(stderr, "lab-runner: grade: out of memory\n");
			return 2;
		}
		grade_report(m, (enum grade_format)fmt, &g->cls, !g->out && g->color && isatty(1));
		fclose(m);
		if (!g->out) {
			fwrite(buf, 1, len, stdout);
			fflush(stdout);
		} else {
			const char *ext = grade_format_ext((enum grade_format)fmt);
			char *path = nfmt > 1 ? xasprintf("%s.%s", g->out, ext) : xstrdup(g->out);
			if (write_file_atomic(path, buf, len) < 0) {
				fprintf(stderr, "lab-runner: grade: cannot write '%s': %s\n", path,
					strerror(errno));
				rc = 2;
			} else {
				fprintf(stderr, "grade: wrote %s\n", path);
			}
			free(path);
		}
		free(buf);
	}
	return rc;
}

static void
grading_release(struct grading *g)
{
	for (size_t i = 0; i < g->njobs; i++) {
		free(g->job[i].dir);
		free(g->job[i].problem);
		free(g->cls.cell[i].base);
		free(g->cls.cell[i].headline);
	}
	for (size_t i = 0; i < g->nsubs; i++) {
		free(g->subs[i].path);
		free(g->subs[i].name);
		free(g->subs[i].runs);
	}
	free(g->job);
	free(g->cls.cell);
	free(g->cls.subs);
	free(g->max_points);
	free(g->subs);
	free(g->stages);
	free(g->root);
}

int
grade_main(const struct catalog *cat, int argc, char **argv, int sigfd, int color)
{
	static const int exits[] = {
		[GRADE_JOBS_DONE] = 0, [GRADE_JOBS_INTERRUPTED] = 130, [GRADE_JOBS_BROKEN] = 2,
	};
	struct grading g;
	struct grade_jobs q;
	enum grade_jobs_end end;
	long long t0 = now_ms();
	char err[1024];
	int rc;

	memset(&g, 0, sizeof(g));
	g.cat = cat;
	g.sigfd = sigfd;
	g.color = color;
	rc = parse_args(&g, argc, argv);
	if (rc)
		goto out;
	rc = 2;
	if (prepare(&g, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: grade: %s\n", err);
		goto out;
	}
	/* Every build of a submission runs in the sandbox: refuse to grade
	 * without one, unless the teacher accepts the risk in so many words. */
	if (!g.unsandboxed && sandbox_probe(g.root, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: grade: %s\nlab-runner: grade: nothing was graded; "
			"--unsafe-no-sandbox grades anyway, with each compile able to read "
			"every file this user can (docs/grading.md)\n", err);
		goto out;
	}
	if (g.unsandboxed)
		fprintf(stderr, "grade: WARNING: --unsafe-no-sandbox: the compiler can read any "
			"file this user can read, the lab's solutions and other submissions "
			"included\n");
	fprintf(stderr, "grade: %zu submission%s x %zu stage%s, %d at once; logs in %s/\n", g.nsubs,
		g.nsubs == 1 ? "" : "s", g.nstages, g.nstages == 1 ? "" : "s", g.jobs, g.root);
	q = (struct grade_jobs){
		.cat = cat, .sigfd = sigfd, .at_once = g.jobs, .timeout_s = g.timeout_s,
		.unsandboxed = g.unsandboxed, .job = g.job, .njobs = g.njobs,
	};
	end = grade_jobs_run(&q, err, sizeof(err));
	if (end != GRADE_JOBS_DONE) {
		fprintf(stderr, "lab-runner: grade: %s\n", err);
		rc = exits[end];
		goto out;
	}
	rc = write_reports(&g);
	fprintf(stderr, "grade: %zu checks in %.1f s\n", g.njobs, (double)(now_ms() - t0) / 1000.0);
out:
	grading_release(&g);
	return rc;
}
