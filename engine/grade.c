/*
 * grade.c: see grade.h.
 *
 * Like xv6's exec(), everything is checked first (the arguments, the
 * stages, the submission folders, the run folder) and only then are the
 * checks started; a report is written only once every check has ended,
 * so an interrupted grading never leaves a finished-looking report.
 *
 * One check is a job: a (submission, stage) pair. A job whose stage
 * folder is missing or is a symbolic link, whose check says neither how
 * to compile (compile lines) nor `grading make`, or whose kernel is the
 * learner's (stage 06), becomes an ERROR row without running. The others
 * each run in a child process, which writes its row
 * of every format to files named after the job (its "base") and then
 * exits; the parent reads them back in the report's order. A child that
 * dies without writing its row gets an ERROR row from the parent: a
 * crash never loses a row.
 */
#include "grade.h"
#include "engine.h"
#include "report.h"
#include "textclean.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS     64

#define C_RED    "\033[31m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BOLD   "\033[1m"
#define C_OFF    "\033[0m"

enum format { F_TEXT, F_JSON, F_TAP, F_JUNIT, F_GRADESCOPE, NFORMATS };

/* Each format's name, and the extension of its row files and --out files. */
static const struct {
	const char *name, *ext;
} formats[NFORMATS] = {
	[F_TEXT] = {"text", "txt"},
	[F_JSON] = {"json", "json"},
	[F_TAP] = {"tap", "tap"},
	[F_JUNIT] = {"junit", "xml"},
	[F_GRADESCOPE] = {"gradescope", "gradescope.json"},
};

struct submission {
	char *path;             /* resolved */
	char *name;             /* its last component: the name in the report */
	char *runs;             /* ROOT/NNN (NNN: its place): the engine's runs_root */
};

/* One check: a submission's stage. */
struct job {
	size_t sub;
	const struct stage *stage;
	char *dir;              /* SUB/labs/NN-name */
	char *base;             /* ROOT/NNN/NN-name: its rows are base.EXT */
	char *problem;          /* why it cannot run (an ERROR row), or NULL */
	size_t number;          /* 1-based place in the report */
	pid_t pid;              /* the child running it, or 0 */
	int done_fd;            /* hangs up when that child has ended */
	/* Read back from the row's summary. */
	enum verdict verdict;
	int points, max_points;
	char *headline;
};

/* A grading run: what was asked, and the jobs. */
struct grading {
	const struct catalog *cat;
	int sigfd, color;
	struct submission *subs;
	size_t nsubs;
	const struct stage **stages;   /* in catalogue order */
	int *max_points;               /* per stage, from its check (0 if it does not parse) */
	size_t nstages;
	int jobs, timeout_s;
	unsigned formats;              /* a bit per enum format */
	const char *out;
	char *root;                    /* build/grade/WHEN.XXXXXX */
	struct job *job;
	size_t njobs;
};

/* What a row shows of a result, cleaned for a report (text_clean). */
struct view {
	const char *sub;
	size_t number;
	const struct result *r;
	char *headline, *build_errors, *uart;
	struct strv failed;            /* "MISSING expect Hello world", ... */
	struct strv advice;
};

/* ------------------------------------------------------------ one row */

/* The run's nonce shows as {nonce}: r->nonce, "" (none) before the check was read. */
static void
view_init(struct view *v, const char *sub, size_t number, const struct result *r)
{
	const char *nonce = r->nonce;

	memset(v, 0, sizeof(*v));
	v->sub = sub;
	v->number = number;
	v->r = r;
	v->headline = text_clean(r->headline, nonce, r->run_dir, 0);
	for (char *nl; (nl = strchr(v->headline, '\n'));)
		*nl = ' ';
	v->build_errors = text_clean(r->build_errors, nonce, r->run_dir, 0);
	v->uart = text_clean(r->last_lines, nonce, r->run_dir, 1);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->ok)
			continue;
		char *text = text_clean(it->text, nonce, r->run_dir, 0);
		char *detail = it->detail ? text_clean(it->detail, nonce, r->run_dir, 1) : NULL;
		char *line = detail ? xasprintf("%s %s %s: %s", item_mark(it), item_kind_name(it->kind), text, detail)
			: xasprintf("%s %s %s", item_mark(it), item_kind_name(it->kind), text);
		for (char *nl; (nl = strchr(line, '\n'));)
			*nl = ' ';
		strv_push(&v->failed, line);
		free(line);
		free(detail);
		free(text);
	}
	for (size_t i = 0; r->verdict != V_PASS && i < r->advice.n; i++) {
		char *clean = text_clean(r->advice.v[i], nonce, r->run_dir, 1);
		strv_push(&v->advice, clean);
		free(clean);
	}
}

static void
view_release(struct view *v)
{
	free(v->headline);
	free(v->build_errors);
	free(v->uart);
	strv_release(&v->failed);
	strv_release(&v->advice);
}

/* Print text with every line prefixed. */
static void
indent(FILE *f, const char *prefix, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		fprintf(f, "%s%.*s\n", prefix, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* Why a row did not pass, in plain text: for JUnit and Gradescope. */
static void
details(FILE *f, const struct view *v, int with_uart)
{
	for (size_t i = 0; i < v->failed.n; i++)
		fprintf(f, "%s\n", v->failed.v[i]);
	if (v->advice.n)
		fputs("What this means:\n", f);
	for (size_t i = 0; i < v->advice.n; i++)
		fprintf(f, "  - %s\n", v->advice.v[i]);
	if (*v->build_errors) {
		fputs("The compiler's first errors:\n", f);
		indent(f, "  ", v->build_errors);
	}
	if (with_uart && *v->uart && v->r->verdict != V_PASS) {
		fputs("The last lines on the UART:\n", f);
		indent(f, "  | ", v->uart);
	}
}

/*
 * "key: |" and text as a YAML literal block. TAP::Parser's YAMLish takes
 * the first line's indentation as the block's and has no indentation
 * indicator: so the first line loses its leading blanks, and an empty line
 * keeps the block's indentation.
 */
static void
yaml_block(FILE *f, const char *key, const char *text)
{
	fprintf(f, "  %s: |\n", key);
	text += strspn(text, " \t");
	while (*text) {
		size_t n = strcspn(text, "\n");
		fprintf(f, "    %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* A name fit for a TAP test line: no '#' (a directive), no newline. */
static void
tap_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' ? '_' : *s, f);
}

static void
row_tap(FILE *f, const struct view *v)
{
	const struct result *r = v->r;

	fprintf(f, "%s %zu - ", r->verdict == V_PASS ? "ok" : "not ok", v->number);
	tap_name(f, v->sub);
	fprintf(f, " %s\n  ---\n  verdict: %s\n  points: %d\n  max_points: %d\n  headline: ",
		r->stage, verdict_name(r->verdict), r->points, r->max_points);
	yaml_string(f, v->headline);
	fputs("\n", f);
	if (v->failed.n)
		fputs("  failed:\n", f);
	for (size_t i = 0; i < v->failed.n; i++) {
		fputs("    - ", f);
		yaml_string(f, v->failed.v[i]);
		fputs("\n", f);
	}
	if (v->advice.n)
		fputs("  advice:\n", f);
	for (size_t i = 0; i < v->advice.n; i++) {
		fputs("    - ", f);
		yaml_string(f, v->advice.v[i]);
		fputs("\n", f);
	}
	if (*v->build_errors)
		yaml_block(f, "build_errors", v->build_errors);
	if (r->verdict != V_PASS && *v->uart)
		yaml_block(f, "uart", v->uart);
	fputs("  ...\n", f);
}

static void
row_junit(FILE *f, const struct view *v)
{
	static const char *tags[] = {[V_FAIL] = "failure", [V_TIMEOUT] = "failure", [V_ERROR] = "error"};
	static const char *types[] = {[V_FAIL] = "fail", [V_TIMEOUT] = "timeout", [V_ERROR] = "error"};
	const struct result *r = v->r;

	fputs("    <testcase classname=\"", f);
	xml_attr(f, v->sub);
	fputs("\" name=\"", f);
	xml_attr(f, r->stage);
	fprintf(f, "\">\n      <properties>\n"
		"        <property name=\"verdict\" value=\"%s\"/>\n"
		"        <property name=\"points\" value=\"%d\"/>\n"
		"        <property name=\"max_points\" value=\"%d\"/>\n"
		"      </properties>\n", verdict_name(r->verdict), r->points, r->max_points);
	if (r->verdict != V_PASS) {
		char *body = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&body, &len);
		if (m) {
			details(m, v, 0);
			fclose(m);
		}
		fprintf(f, "      <%s type=\"%s\" message=\"", tags[r->verdict], types[r->verdict]);
		xml_attr(f, v->headline);
		fputs("\">", f);
		xml_text(f, body ? body : "");
		fprintf(f, "</%s>\n", tags[r->verdict]);
		free(body);
		if (*v->uart) {
			fputs("      <system-out>", f);
			xml_text(f, v->uart);
			fputs("</system-out>\n", f);
		}
	}
	fputs("    </testcase>\n", f);
}

static void
row_gradescope(FILE *f, const struct view *v)
{
	const struct result *r = v->r;
	char *out = NULL, *name = xasprintf("%s: %s", r->stage, r->title ? r->title : "");
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (m) {
		fprintf(m, "%s %d/%d: %s\n", verdict_name(r->verdict), r->points, r->max_points, v->headline);
		details(m, v, 1);
		fclose(m);
	}
	fputs("    {\"name\": ", f);
	json_string(f, name);
	fprintf(f, ", \"score\": %d, \"max_score\": %d, \"status\": \"%s\", \"visibility\": \"visible\", "
		"\"output\": ", r->points, r->max_points, r->verdict == V_PASS ? "passed" : "failed");
	json_string(f, out ? out : "");
	fputs("}", f);
	free(out);
	free(name);
}

/* The engine's own record, with the submission first. */
static void
row_json(FILE *f, const struct view *v, const struct result *clean)
{
	char *rec = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&rec, &len);

	if (m) {
		report_json(m, clean);
		fclose(m);
	}
	fputs("{\"submission\": ", f);
	json_string(f, v->sub);
	fprintf(f, ", %s", rec && *rec == '{' ? rec + 1 : "}");
	free(rec);
}

/* Replace *s by its text_clean() form (UTF-8 and controls only). */
static void
clean_in_place(char **s)
{
	if (*s) {
		char *c = text_clean(*s, NULL, NULL, 0);
		free(*s);
		*s = c;
	}
}

/*
 * Write a job's row in every format, then its summary ("VERDICT POINTS
 * MAX", the headline): the summary is written last, so a summary on disk
 * means a complete row. r is cleaned in place. Returns 0 or -1.
 */
static int
write_row(const struct grading *g, const struct job *j, struct result *r)
{
	static const enum format rows[] = {F_JSON, F_TAP, F_JUNIT, F_GRADESCOPE};
	struct view v;
	int rc = 0;

	/* Even the JSON records must be valid UTF-8. */
	clean_in_place(&r->headline);
	clean_in_place(&r->build_errors);
	clean_in_place(&r->last_lines);
	for (size_t i = 0; i < r->nitems; i++) {
		clean_in_place(&r->items[i].text);
		clean_in_place(&r->items[i].detail);
	}
	for (size_t i = 0; i < r->advice.n; i++)
		clean_in_place(&r->advice.v[i]);
	view_init(&v, g->subs[j->sub].name, j->number, r);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *path = xasprintf("%s.%s", j->base, formats[rows[i]].ext);
		FILE *f = fopen(path, "we");
		if (f) {
			if (rows[i] == F_JSON)
				row_json(f, &v, r);
			else if (rows[i] == F_TAP)
				row_tap(f, &v);
			else if (rows[i] == F_JUNIT)
				row_junit(f, &v);
			else
				row_gradescope(f, &v);
		}
		if (!f || fclose(f) != 0)
			rc = -1;
		free(path);
	}
	char *path = xasprintf("%s.summary", j->base);
	FILE *f = rc == 0 ? fopen(path, "we") : NULL;
	if (f)
		fprintf(f, "%s %d %d\n%s\n", verdict_name(r->verdict), r->points, r->max_points, v.headline);
	if (!f || fclose(f) != 0)
		rc = -1;
	free(path);
	view_release(&v);
	return rc;
}

/* An ERROR row written by the parent: the job could not run, or its
 * child ended without a row. */
static void
error_row(const struct grading *g, const struct job *j, const char *headline)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	r.verdict = V_ERROR;
	r.stage = xstrdup(j->stage->name);
	r.title = xstrdup(j->stage->title);
	r.max_points = g->max_points[j->stage - g->cat->stages];
	r.headline = xstrdup(headline);
	if (write_row(g, j, &r) < 0)
		fprintf(stderr, "lab-runner: grade: cannot write the row %s.*: %s\n", j->base, strerror(errno));
	result_release(&r);
}

/* ------------------------------------------------------------ the jobs */

/* Read a finished job's summary into j; returns 0, or -1 if it is not there. */
static int
read_summary(struct job *j)
{
	char *path = xasprintf("%s.summary", j->base), *text, name[16];
	int rc = -1, n = 0;

	if (read_file(path, &text, NULL) == 0) {
		if (sscanf(text, "%15s %d %d\n%n", name, &j->points, &j->max_points, &n) == 3 && n > 0) {
			for (int v = V_PASS; v <= V_ERROR; v++)
				if (!strcmp(name, verdict_name((enum verdict)v))) {
					j->verdict = (enum verdict)v;
					rc = 0;
				}
			free(j->headline);
			j->headline = xstrndup(text + n, strcspn(text + n, "\n"));
		}
		free(text);
	}
	free(path);
	return rc;
}

/* In the child: run the check, write the row, exit. Never returns. */
static void __attribute__((noreturn))
job_child(const struct grading *g, const struct job *j, pid_t parent)
{
	struct check_opts o = {0};
	struct result r;

	/* Die with the parent; the parent alone watches the signals and
	 * kills this process group when grading is interrupted. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	setpgid(0, 0);
	if (g->sigfd >= 0)
		close(g->sigfd);
	o.cat = g->cat;
	o.stage = j->stage;
	o.dir = j->dir;
	o.grading = 1;
	o.sigfd = -1;
	o.runs_root = g->subs[j->sub].runs;
	o.timeout_s = g->timeout_s;
	engine_check(&o, &r);
	int rc = write_row(g, j, &r) < 0;
	result_release(&r);
	_exit(rc);
}

/* Start a job in a child. Returns 0, or -1 (with an ERROR row written). */
static int
job_start(const struct grading *g, struct job *j)
{
	int fds[2];
	pid_t parent = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		error_row(g, j, "cannot start the check: no pipe");
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	j->pid = fork();
	if (j->pid < 0) {
		j->pid = 0;
		close(fds[0]);
		close(fds[1]);
		error_row(g, j, "cannot start the check: fork failed");
		return -1;
	}
	if (j->pid == 0) {
		close(fds[0]);
		job_child(g, j, parent);      /* keeps fds[1] open until it exits */
	}
	setpgid(j->pid, j->pid);         /* from this side too: no race with a kill */
	close(fds[1]);
	j->done_fd = fds[0];
	return 0;
}

/* Reap a job whose child has ended; make sure it has a row. */
static void
job_finish(const struct grading *g, struct job *j)
{
	int st = 0;

	while (waitpid(j->pid, &st, 0) < 0 && errno == EINTR)
		;
	close(j->done_fd);
	j->pid = 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && read_summary(j) == 0)
		return;
	char *why = WIFSIGNALED(st)
		? xasprintf("the grading process of this check was killed by signal %d", WTERMSIG(st))
		: xasprintf("the grading process of this check ended with status %d and no result",
			    WEXITSTATUS(st));
	error_row(g, j, why);
	free(why);
	if (read_summary(j) < 0) {
		j->verdict = V_ERROR;
		j->points = 0;
	}
}

/* Kill every job still running and reap it. */
static void
kill_all(struct grading *g)
{
	for (size_t i = 0; i < g->njobs; i++)
		if (g->job[i].pid > 0) {
			kill(-g->job[i].pid, SIGKILL);
			kill(g->job[i].pid, SIGKILL);
			while (waitpid(g->job[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
			close(g->job[i].done_fd);
			g->job[i].pid = 0;
		}
}

/*
 * Run every job, at most g->jobs at once. Returns 0 when all have a row;
 * 130 when a signal arrived on g->sigfd, 2 if poll() failed (then every
 * child has been killed).
 */
static int
run_jobs(struct grading *g)
{
	struct pollfd *p = xcalloc((size_t)g->jobs + 1, sizeof(*p));
	struct job **running = xcalloc((size_t)g->jobs, sizeof(*running));
	size_t next = 0, done = 0, nrun = 0;
	int rc = 0;

	while (done < g->njobs) {
		while (nrun < (size_t)g->jobs && next < g->njobs) {
			struct job *j = &g->job[next++];
			if (j->problem) {
				error_row(g, j, j->problem);
			} else {
				fprintf(stderr, "grading %s %s...\n", g->subs[j->sub].name, j->stage->name);
				if (job_start(g, j) == 0) {
					running[nrun++] = j;
					continue;
				}
			}
			if (read_summary(j) < 0)
				j->verdict = V_ERROR;
			done++;
		}
		if (!nrun)
			continue;
		p[0].fd = g->sigfd;
		p[0].events = POLLIN;
		for (size_t i = 0; i < nrun; i++) {
			p[i + 1].fd = running[i]->done_fd;
			p[i + 1].events = POLLIN;
			p[i + 1].revents = 0;
		}
		if (poll(p, nrun + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "lab-runner: grade: poll: %s\n", strerror(errno));
			kill_all(g);
			rc = 2;
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			(void)!read(g->sigfd, &si, sizeof(si));
			kill_all(g);
			fprintf(stderr, "lab-runner: grade: interrupted after %zu of %zu checks; "
				"no report was written\n", done, g->njobs);
			rc = 130;
			break;
		}
		/* Reap the ended ones; keep the others in their order. */
		size_t kept = 0;
		for (size_t i = 0; i < nrun; i++) {
			if (p[i + 1].revents & (POLLIN | POLLHUP | POLLERR)) {
				job_finish(g, running[i]);
				done++;
			} else {
				running[kept++] = running[i];
			}
		}
		nrun = kept;
	}
	free(running);
	free(p);
	return rc;
}

/* ------------------------------------------------------------ reports */

/* Copy a row file to f. */
static void
append_row(FILE *f, const struct job *j, enum format fmt)
{
	char *path = xasprintf("%s.%s", j->base, formats[fmt].ext), *text;
	size_t len;

	if (read_file(path, &text, &len) == 0) {
		fwrite(text, 1, len, f);
		free(text);
	}
	free(path);
}

static void
count(const struct grading *g, size_t from, size_t n, int counts[4])
{
	memset(counts, 0, 4 * sizeof(*counts));
	for (size_t i = from; i < from + n; i++)
		counts[g->job[i].verdict]++;
}

static void
report_table(const struct grading *g, FILE *f, int color)
{
	size_t namew = strlen("submission"), *w = xcalloc(g->nstages, sizeof(*w));
	int maxtotal = 0, c[4];
	long sum = 0;
	char cell[64];

	for (size_t s = 0; s < g->nstages; s++) {
		w[s] = 2;
		maxtotal += g->max_points[g->stages[s] - g->cat->stages];
	}
	for (size_t i = 0; i < g->nsubs; i++)
		if (strlen(g->subs[i].name) > namew)
			namew = strlen(g->subs[i].name);
	for (size_t i = 0; i < g->njobs; i++) {
		const struct job *j = &g->job[i];
		int n = snprintf(cell, sizeof(cell), "%s %d/%d", verdict_name(j->verdict), j->points,
				 j->max_points);
		if ((size_t)n > w[i % g->nstages])
			w[i % g->nstages] = (size_t)n;
	}
	fprintf(f, "%s%-*s", color ? C_BOLD : "", (int)namew, "submission");
	for (size_t s = 0; s < g->nstages; s++)
		fprintf(f, "  %-*.2d", (int)w[s], g->stages[s]->number);
	fprintf(f, "  total%s\n", color ? C_OFF : "");
	for (size_t i = 0; i < g->nsubs; i++) {
		int total = 0;
		fprintf(f, "%-*s", (int)namew, g->subs[i].name);
		for (size_t s = 0; s < g->nstages; s++) {
			const struct job *j = &g->job[i * g->nstages + s];
			const char *on = j->verdict == V_PASS ? C_GREEN : j->verdict == V_FAIL ? C_RED : C_YELLOW;
			snprintf(cell, sizeof(cell), "%s %d/%d", verdict_name(j->verdict), j->points, j->max_points);
			fprintf(f, "  %s%-*s%s", color ? on : "", (int)w[s], cell, color ? C_OFF : "");
			total += j->points;
		}
		fprintf(f, "  %d/%d\n", total, maxtotal);
		sum += total;
	}
	int header = 0;
	for (size_t i = 0; i < g->njobs; i++) {
		const struct job *j = &g->job[i];
		if (j->verdict == V_PASS)
			continue;
		if (!header++)
			fputs("\nNot passed:\n", f);
		fprintf(f, "  %s %s: %s: %s\n", g->subs[j->sub].name, j->stage->name,
			verdict_name(j->verdict), j->headline ? j->headline : "");
	}
	count(g, 0, g->njobs, c);
	fprintf(f, "\n%zu submission%s, %zu checks: %d PASS, %d FAIL, %d TIMEOUT, %d ERROR; "
		"mean score %.1f/%d\n", g->nsubs, g->nsubs == 1 ? "" : "s", g->njobs, c[V_PASS],
		c[V_FAIL], c[V_TIMEOUT], c[V_ERROR], g->nsubs ? (double)sum / (double)g->nsubs : 0.0,
		maxtotal);
	free(w);
}

static void
report_all(const struct grading *g, enum format fmt, FILE *f, int color)
{
	int c[4];

	switch (fmt) {
	case F_TEXT:
		report_table(g, f, color);
		break;
	case F_JSON:
		fputs("[\n", f);
		for (size_t i = 0; i < g->njobs; i++) {
			append_row(f, &g->job[i], F_JSON);
			fputs(i + 1 < g->njobs ? ",\n" : "\n", f);
		}
		fputs("]\n", f);
		break;
	case F_TAP:
		/* Version 13: TAP::Parser (prove), as in Debian 12, refuses a
		 * version 14 stream, and nothing here needs 14. */
		fprintf(f, "TAP version 13\n1..%zu\n", g->njobs);
		for (size_t i = 0; i < g->njobs; i++)
			append_row(f, &g->job[i], F_TAP);
		break;
	case F_JUNIT:
		count(g, 0, g->njobs, c);
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<testsuites name=\"riscv-microdistro-lab\" tests=\"%zu\" failures=\"%d\" "
			"errors=\"%d\">\n", g->njobs, c[V_FAIL] + c[V_TIMEOUT], c[V_ERROR]);
		for (size_t i = 0; i < g->nsubs; i++) {
			count(g, i * g->nstages, g->nstages, c);
			fputs("  <testsuite name=\"", f);
			xml_attr(f, g->subs[i].name);
			fprintf(f, "\" tests=\"%zu\" failures=\"%d\" errors=\"%d\" skipped=\"0\">\n",
				g->nstages, c[V_FAIL] + c[V_TIMEOUT], c[V_ERROR]);
			for (size_t s = 0; s < g->nstages; s++)
				append_row(f, &g->job[i * g->nstages + s], F_JUNIT);
			fputs("  </testsuite>\n", f);
		}
		fputs("</testsuites>\n", f);
		break;
	case F_GRADESCOPE: {
		int score = 0, max = 0;
		count(g, 0, g->njobs, c);
		for (size_t i = 0; i < g->njobs; i++) {
			score += g->job[i].points;
			max += g->job[i].max_points;
		}
		char *out = xasprintf("%zu stage%s: %d PASS, %d FAIL, %d TIMEOUT, %d ERROR; score %d/%d",
				      g->njobs, g->njobs == 1 ? "" : "s", c[V_PASS], c[V_FAIL], c[V_TIMEOUT],
				      c[V_ERROR], score, max);
		fprintf(f, "{\n  \"score\": %d,\n  \"output\": ", score);
		json_string(f, out);
		fputs(",\n  \"tests\": [\n", f);
		for (size_t i = 0; i < g->njobs; i++) {
			append_row(f, &g->job[i], F_GRADESCOPE);
			fputs(i + 1 < g->njobs ? ",\n" : "\n", f);
		}
		fputs("  ]\n}\n", f);
		free(out);
		break;
	}
	case NFORMATS:
		break;
	}
}

/* Write every report asked for. Returns 0, or 2 if one cannot be written. */
static int
write_reports(const struct grading *g)
{
	int nfmt = __builtin_popcount(g->formats), rc = 0;

	for (int fmt = 0; fmt < NFORMATS; fmt++) {
		if (!(g->formats & (1u << fmt)))
			continue;
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m) {
			fprintf(stderr, "lab-runner: grade: out of memory\n");
			return 2;
		}
		report_all(g, (enum format)fmt, m, !g->out && g->color && isatty(1));
		fclose(m);
		if (!g->out) {
			fwrite(buf, 1, len, stdout);
			fflush(stdout);
		} else {
			char *path = nfmt > 1 ? xasprintf("%s.%s", g->out, formats[fmt].ext) : xstrdup(g->out);
			if (write_file_atomic(path, buf, len) < 0) {
				fprintf(stderr, "lab-runner: grade: cannot write '%s': %s\n", path, strerror(errno));
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

/* ------------------------------------------------------------ set-up */

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

static int
parse_number(const char *v, int lo, int hi, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (!*v || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 0;
}

/* --stages 1,02,03-little-shell: kept in catalogue order, each once. */
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

static int
parse_formats(struct grading *g, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;

	g->formats = 0;
	for (char *k = strtok_r(copy, ",", &save); k && rc == 0; k = strtok_r(NULL, ",", &save)) {
		int fmt = 0;
		while (fmt < NFORMATS && strcmp(formats[fmt].name, k))
			fmt++;
		if (fmt == NFORMATS)
			rc = usage_error("no format '%s': text, json, tap, junit or gradescope", k);
		else
			g->formats |= 1u << fmt;
	}
	if (rc == 0 && !g->formats)
		rc = usage_error("--format names no format");
	free(copy);
	return rc;
}

/* Add a submission folder. Returns 0, or 2 (it does not exist). */
static int
add_submission(struct grading *g, const char *path)
{
	char *real = realpath(path, NULL);

	if (!real || !is_dir(real)) {
		fprintf(stderr, "lab-runner: grade: no submission folder '%s'\n", path);
		free(real);
		return 2;
	}
	struct submission *s = &g->subs[g->nsubs++];
	const char *slash = strrchr(real, '/');
	s->path = real;
	s->name = xstrdup(slash && slash[1] ? slash + 1 : "submission");
	return 0;
}

static int
parse_args(struct grading *g, int argc, char **argv)
{
	const char *v;
	int rc = 0;

	g->subs = xcalloc((size_t)argc, sizeof(*g->subs));
	g->stages = xcalloc(g->cat->n, sizeof(*g->stages));
	g->max_points = xcalloc(g->cat->n, sizeof(*g->max_points));
	g->formats = 1u << F_TEXT;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	g->jobs = cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : (int)cpus;
	for (size_t i = 0; i < g->cat->n; i++)
		g->stages[g->nstages++] = &g->cat->stages[i];

	for (int i = 1; i < argc && rc == 0; i++) {
		if ((v = option("--stages", argc, argv, &i)))
			rc = parse_stages(g, v);
		else if ((v = option("--jobs", argc, argv, &i)))
			rc = parse_number(v, 1, MAX_JOBS, &g->jobs) < 0
				? usage_error("--jobs takes a number of checks at once, 1 to %d", MAX_JOBS) : 0;
		else if ((v = option("--timeout", argc, argv, &i)))
			rc = parse_number(v, 1, 600, &g->timeout_s) < 0
				? usage_error("--timeout takes seconds, 1 to 600") : 0;
		else if ((v = option("--format", argc, argv, &i)))
			rc = parse_formats(g, v);
		else if ((v = option("--out", argc, argv, &i)))
			rc = *v ? (g->out = v, 0) : usage_error("--out needs a file name");
		else if (argv[i][0] == '-' && argv[i][1])
			rc = usage_error("unknown option '%s'", argv[i]);
		else
			rc = add_submission(g, argv[i]);
	}
	if (rc)
		return rc;
	if (!g->nsubs)
		return usage_error("name at least one SUBMISSION folder (it holds labs/NN-name/)");
	if ((g->formats & (1u << F_GRADESCOPE)) && g->nsubs != 1)
		return usage_error("gradescope grades one submission per run: give exactly one "
				   "SUBMISSION, not %zu", g->nsubs);
	if (__builtin_popcount(g->formats) > 1 && !g->out)
		return usage_error("several formats need --out PREFIX (each report goes to PREFIX.EXT)");
	return 0;
}

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
 * Returns 0, or -1.
 */
static int
make_root(struct grading *g)
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
		fprintf(stderr, "lab-runner: grade: cannot create %s: %s\n", top, strerror(errno));
		free(top);
		return -1;
	}
	free(top);
	if (!mkdtemp(g->root)) {
		fprintf(stderr, "lab-runner: grade: cannot create a run folder %s: %s\n", g->root,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* The run folder, a folder per submission in it, and the jobs. Returns 0 or 2. */
static int
prepare(struct grading *g)
{
	char err[512], *path;
	int rc = 0;

	if (make_root(g) < 0)
		return 2;
	/* A stage whose check builds an archive but says nothing of how to
	 * build it untrusted cannot be graded: each of its rows says so. */
	char **why = xcalloc(g->nstages, sizeof(*why));
	for (size_t s = 0; s < g->nstages; s++) {
		struct check c;
		path = stage_path(g->cat, g->stages[s], "check");
		if (check_parse(&c, path, NULL, err, sizeof(err)) == 0) {
			g->max_points[g->stages[s] - g->cat->stages] = c.points;
			if (c.kernel == KERNEL_LEARNER)
				why[s] = xasprintf("%s builds a kernel from each submission (minutes each): "
						   "it cannot be graded (docs/grading.md)", g->stages[s]->name);
			else if (c.build && !c.ncompile && !c.grading_make)
				why[s] = xasprintf("checks/%s.check has no compile lines: this stage cannot "
						   "be graded (docs/grading.md)", g->stages[s]->name);
			check_release(&c);
		}
		free(path);
	}
	/* Folders are numbered, not named, to keep socket paths short: an
	 * index says which is which. */
	struct sb index;
	sb_init(&index);
	g->njobs = g->nsubs * g->nstages;
	g->job = xcalloc(g->njobs, sizeof(*g->job));
	for (size_t i = 0; i < g->nsubs; i++) {
		struct submission *sub = &g->subs[i];
		sub->runs = xasprintf("%s/%03zu", g->root, i + 1);
		sb_printf(&index, "%03zu %s %s\n", i + 1, sub->name, sub->path);
		if (mkdir_p(sub->runs, 0755) < 0) {
			fprintf(stderr, "lab-runner: grade: cannot create %s: %s\n", sub->runs, strerror(errno));
			rc = 2;
			goto out;
		}
		for (size_t s = 0; s < g->nstages; s++) {
			struct job *j = &g->job[i * g->nstages + s];
			j->sub = i;
			j->stage = g->stages[s];
			j->number = i * g->nstages + s + 1;
			j->dir = xasprintf("%s/labs/%s", sub->path, j->stage->name);
			j->base = xasprintf("%s/%s", sub->runs, j->stage->name);
			j->problem = why[s] ? xstrdup(why[s]) : folder_problem(sub, j->stage);
			j->max_points = g->max_points[j->stage - g->cat->stages];
			j->verdict = V_ERROR;
		}
	}
	path = xasprintf("%s/submissions.txt", g->root);
	if (write_file_atomic(path, index.buf, index.len) < 0) {
		fprintf(stderr, "lab-runner: grade: cannot write %s: %s\n", path, strerror(errno));
		rc = 2;
	}
	free(path);
out:
	sb_release(&index);
	for (size_t s = 0; s < g->nstages; s++)
		free(why[s]);
	free(why);
	return rc;
}

static void
grading_release(struct grading *g)
{
	for (size_t i = 0; i < g->njobs; i++) {
		free(g->job[i].dir);
		free(g->job[i].base);
		free(g->job[i].problem);
		free(g->job[i].headline);
	}
	for (size_t i = 0; i < g->nsubs; i++) {
		free(g->subs[i].path);
		free(g->subs[i].name);
		free(g->subs[i].runs);
	}
	free(g->job);
	free(g->subs);
	free(g->stages);
	free(g->max_points);
	free(g->root);
}

int
grade_main(const struct catalog *cat, int argc, char **argv, int sigfd, int color)
{
	struct grading g;
	long long t0 = now_ms();
	int rc;

	memset(&g, 0, sizeof(g));
	g.cat = cat;
	g.sigfd = sigfd;
	g.color = color;
	rc = parse_args(&g, argc, argv);
	if (rc)
		goto out;
	rc = prepare(&g);
	if (rc)
		goto out;
	fprintf(stderr, "grade: %zu submission%s x %zu stage%s, %d at once; logs in %s/\n", g.nsubs,
		g.nsubs == 1 ? "" : "s", g.nstages, g.nstages == 1 ? "" : "s", g.jobs, g.root);
	rc = run_jobs(&g);
	if (rc)
		goto out;
	rc = write_reports(&g);
	fprintf(stderr, "grade: %zu checks in %.1f s\n", g.njobs, (double)(now_ms() - t0) / 1000.0);
out:
	grading_release(&g);
	return rc;
}
