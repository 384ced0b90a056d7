/*
 * check.c: implements check.h, the check-file parser.
 *
 * It follows gen_init_cpio's shape: a table maps each directive to a
 * handler, cutting a line into directive and value (checkline.h) is kept
 * apart from what the handler does with the value, and any error names
 * file and line. check_read_title() reads a title line through the same
 * functions as the parser, so a listing shows the title a check run shows.
 */
#include "check.h"
#include "checkline.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What {nonce} becomes when no nonce is given (a syntax check, a listing). */
#define NO_NONCE "00000000"

/* Where we are while parsing, passed to every directive handler. */
struct parse {
	struct check *c;
	struct thread *t;      /* the current thread */
	const char *file;
	int line;
	char *err;
	size_t errlen;
	unsigned long long seen; /* settings given already: bit i for directives[i] */
	/* The pattern the line before made, for `explain`: its kind, its
	 * thread and its index (the arrays move as they grow). */
	enum { LAST_NONE, LAST_EXPECT, LAST_ANYWHERE, LAST_REJECT, LAST_SEND, LAST_ONDISK, LAST_SERVED } last_kind;
	size_t last_thread, last_idx;
	int sources_line;
	int sshkey_line;
};

/* Write "FILE:LINE: message" into the caller's err; returns -1. */
static int
fail(struct parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->file, p->line, msg);
	return -1;
}

/* A whole number in [lo, hi] into *out, or the parser's message. */
static int
parse_int(struct parse *p, const char *v, int lo, int hi, int *out)
{
	if (str_to_int(v, lo, hi, out) < 0)
		return fail(p, "expected a whole number from %d to %d, not '%s'", lo, hi, v);
	return 0;
}

/*
 * A setting whose value is one word of a list (NULL-ended): *index gets the
 * word's place in it. Otherwise: "kernel is lab, defconfig or learner, not
 * 'mine'".
 */
static int
one_of(struct parse *p, const char *name, const char *v, const char *const *words,
       int *index)
{
	struct sb list;
	int n = 0;

	while (words[n]) {
		if (!strcmp(v, words[n])) {
			*index = n;
			return 0;
		}
		n++;
	}
	sb_init(&list);
	for (int i = 0; i < n; i++)
		sb_printf(&list, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", words[i]);
	fail(p, "%s is %s, not '%s'", name, list.buf, v);
	sb_release(&list);
	return -1;
}

static int
d_title(struct parse *p, const char *v)
{
	free(p->c->title);
	p->c->title = xstrdup(v);
	return 0;
}

static int
d_kernel(struct parse *p, const char *v)
{
	static const char *const words[] = {"lab", "defconfig", "learner", NULL};
	int i;
	if (one_of(p, "kernel", v, words, &i) < 0)
		return -1;
	p->c->kernel = i == 0 ? KERNEL_LAB : i == 1 ? KERNEL_DEFCONFIG : KERNEL_LEARNER;
	return 0;
}

static int
d_initramfs(struct parse *p, const char *v)
{
	static const char *const words[] = {"build", "none", NULL};
	int i;
	if (one_of(p, "initramfs", v, words, &i) < 0)
		return -1;
	p->c->build = i == 0;
	return 0;
}

static int
d_timeout(struct parse *p, const char *v)
{
	return parse_int(p, v, 1, 600, &p->c->timeout_s);
}

static int
d_points(struct parse *p, const char *v)
{
	return parse_int(p, v, 0, 1000, &p->c->points);
}

static int
d_memory(struct parse *p, const char *v)
{
	return parse_int(p, v, 32, 4096, &p->c->memory_mb);
}

static int
d_network(struct parse *p, const char *v)
{
	static const char *const words[] = {"none", "responder", NULL};
	int i;
	if (one_of(p, "network", v, words, &i) < 0)
		return -1;
	p->c->network = i == 1;
	return 0;
}

static int
d_append(struct parse *p, const char *v)
{
	p->c->append = xstrdup(v);
	return 0;
}

static int
d_exit(struct parse *p, const char *v)
{
	return parse_int(p, v, 0, 255, &p->c->exit_status);
}

static int
d_clock(struct parse *p, const char *v)
{
	static const char *const words[] = {"warp", "real", NULL};
	int i;
	if (one_of(p, "clock", v, words, &i) < 0)
		return -1;
	p->c->real_clock = i == 1;
	return 0;
}

/* A path inside a folder or an image: relative words only, no "..", no
 * empty or "." part (what it names cannot leave the folder by its name). */
static int
plain_path(const char *path)
{
	if (!*path)
		return 0;
	for (const char *s = path; *s; ) {
		size_t n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n;
		if (*s == '/' && *++s == '\0')
			return 0;
	}
	return 1;
}

static int
d_compare(struct parse *p, const char *v)
{
	/* compare KCONFIG [boots=N] [smaller] */
	size_t n;
	char **w = checkline_words(v, &n);
	int rc = 0;
	if (strcmp(w[0], "lab") && strcmp(w[0], "defconfig"))
		rc = fail(p, "compare names a kernel of the lab, lab or defconfig, not '%s'", w[0]);
	else
		p->c->compare = xstrdup(w[0]);
	p->c->compare_boots = 3;
	for (size_t i = 1; i < n && rc == 0; i++) {
		if (!strncmp(w[i], "boots=", 6))
			rc = parse_int(p, w[i] + 6, 1, 15, &p->c->compare_boots);
		else if (!strcmp(w[i], "smaller"))
			p->c->compare_smaller = 1;
		else if (!strncmp(w[i], "initrd=", 7) && plain_path(w[i] + 7)) {
			free(p->c->compare_initrd);
			p->c->compare_initrd = xstrdup(w[i] + 7);
		} else
			rc = fail(p, "compare takes boots=N, smaller and initrd=FILE (a file of the "
				  "build folder), not '%s'", w[i]);
	}
	checkline_words_free(w);
	return rc;
}

static int
d_disk(struct parse *p, const char *v)
{
	/* disk FILE [readonly] */
	size_t n;
	char **w = checkline_words(v, &n);
	int rc = 0;
	if (n < 1 || n > 2 || (n == 2 && strcmp(w[1], "readonly")))
		rc = fail(p, "disk takes a file of the build folder and, if the guest must not "
			  "write it, readonly: disk root.img [readonly]");
	else if (!plain_path(w[0]))
		rc = fail(p, "disk names a file inside the build folder, as a relative path "
			  "without '..' ('%s')", w[0]);
	else {
		p->c->disk = xstrdup(w[0]);
		p->c->disk_readonly = n == 2;
	}
	checkline_words_free(w);
	return rc;
}

static int
d_ondisk(struct parse *p, const char *v)
{
	/* ondisk /PATH TEXT: the path is the first word, the rest a pattern. */
	char msg[256];
	size_t n = strcspn(v, " \t");
	const char *text = v + n;
	while (*text == ' ' || *text == '\t')
		text++;
	char *path = xstrndup(v, n);
	if (path[0] != '/' || !plain_path(path + 1) || !*text) {
		free(path);
		return fail(p, "ondisk takes an absolute path inside the disk image and the text "
			    "the file must hold: ondisk /root/proof {nonce}");
	}
	if (!p->c->disk) {
		free(path);
		return fail(p, "ondisk reads the stage's disk: a 'disk FILE' line comes first");
	}
	struct check *c = p->c;
	c->ondisk = xrealloc(c->ondisk, (c->nondisk + 1) * sizeof(*c->ondisk));
	struct disk_expect *d = &c->ondisk[c->nondisk];
	memset(d, 0, sizeof(*d));
	d->path = path;
	d->line = p->line;
	if (pattern_init(&d->pat, text, msg, sizeof(msg)) < 0) {
		free(path);
		return fail(p, "%s", msg);
	}
	c->nondisk++;
	p->last_kind = LAST_ONDISK;
	p->last_idx = c->nondisk - 1;
	return 0;
}

static int
d_serve(struct parse *p, const char *v)
{
	/* serve DIR: a folder of the lab, e.g. build/packages */
	if (!plain_path(v) || strchr(v, ' ') || strchr(v, '\t'))
		return fail(p, "serve names one folder of the lab, as a relative path without "
			    "'..' or blanks: serve build/packages");
	p->c->serve = xstrdup(v);
	return 0;
}

static int
d_diagnose(struct parse *p, const char *v)
{
	static const char *const words[] = {"builtin", "none", NULL};
	int i;
	if (one_of(p, "diagnose", v, words, &i) < 0)
		return -1;
	p->c->no_diagnose = i == 1;
	return 0;
}

static struct step *
add_step(struct parse *p, enum step_kind kind)
{
	struct thread *t = p->t;
	t->steps = xrealloc(t->steps, (t->n + 1) * sizeof(*t->steps));
	struct step *s = &t->steps[t->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->line = p->line;
	return s;
}

/* Whether the thread has a `host` line yet: the lines after it are about
 * that command's output. */
static int
thread_has_host(const struct thread *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->steps[i].kind == STEP_HOST)
			return 1;
	return 0;
}

/* expect and line: a step the UART must show; line: as a whole line. */
static int
add_expect(struct parse *p, const char *v, int whole)
{
	char msg[256];
	struct step *s = add_step(p, STEP_EXPECT);
	if (pattern_init(&s->pat, v, msg, sizeof(msg)) < 0) {
		p->t->n--;
		return fail(p, "%s", msg);
	}
	s->whole = whole;
	s->host = thread_has_host(p->t);
	p->last_kind = LAST_EXPECT;
	p->last_thread = (size_t)(p->t - p->c->threads);
	p->last_idx = p->t->n - 1;
	return 0;
}

static int
d_expect(struct parse *p, const char *v)
{
	return add_expect(p, v, 0);
}

static int
d_line(struct parse *p, const char *v)
{
	return add_expect(p, v, 1);
}

static int
d_once(struct parse *p, const char *v)
{
	if (p->last_kind != LAST_EXPECT)
		return fail(p, "once comes right after an expect or line (or its explain, by): "
			    "it says that line must appear only once, and what a repeat means");
	struct step *s = &p->c->threads[p->last_thread].steps[p->last_idx];
	if (s->once)
		return fail(p, "that line has its once already");
	if (s->host)
		return fail(p, "once is about the UART: this line is matched in the output of the "
			    "host line before it");
	s->once = xstrdup(v);
	return 0;
}

static int
d_send(struct parse *p, const char *v)
{
	if (thread_has_host(p->t))
		return fail(p, "a send cannot come after a host line in its thread (the lines "
			    "after host are about that command's output): start a new thread");
	struct step *s = add_step(p, STEP_SEND);
	s->text = xstrdup(v);
	s->prompt = p->t->nprompts ? &p->t->prompts[p->t->nprompts - 1] : NULL;
	p->last_kind = LAST_SEND;
	p->last_thread = (size_t)(p->t - p->c->threads);
	p->last_idx = p->t->n - 1;
	return 0;
}

static int
d_prompt(struct parse *p, const char *v)
{
	char msg[256];
	struct thread *t = p->t;
	/* Prompts are kept in a fixed array so that steps can point at them. */
	if (t->nprompts == 16)
		return fail(p, "at most 16 prompts in a thread");
	if (!t->prompts)
		t->prompts = xcalloc(16, sizeof(*t->prompts));
	if (pattern_init(&t->prompts[t->nprompts], v, msg, sizeof(msg)) < 0)
		return fail(p, "%s", msg);
	t->nprompts++;
	return 0;
}

/* thread NAME [ticks] */
static int
d_thread(struct parse *p, const char *v)
{
	struct check *c = p->c;
	size_t n;
	char **w = checkline_words(v, &n);
	int rc = 0;

	if (n > 2 || (n == 2 && strcmp(w[1], "ticks")))
		rc = fail(p, "thread takes a name, then optionally 'ticks', not '%s'", v);
	for (size_t i = 0; rc == 0 && i < c->nthreads; i++)
		if (!strcmp(c->threads[i].name, w[0]))
			rc = fail(p, "thread '%s' is started twice", w[0]);
	if (rc == 0) {
		c->threads = xrealloc(c->threads, (c->nthreads + 1) * sizeof(*c->threads));
		p->t = &c->threads[c->nthreads++];
		memset(p->t, 0, sizeof(*p->t));
		p->t->name = xstrdup(w[0]);
		p->t->ticks = n == 2;
	}
	checkline_words_free(w);
	return rc;
}

static int
add_pattern(struct parse *p, struct pattern **arr, size_t *n, const char *v)
{
	char msg[256];
	*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
	if (pattern_init(&(*arr)[*n], v, msg, sizeof(msg)) < 0)
		return fail(p, "%s", msg);
	(*n)++;
	return 0;
}

static int
d_anywhere(struct parse *p, const char *v)
{
	if (add_pattern(p, &p->c->anywhere, &p->c->nanywhere, v) < 0)
		return -1;
	p->last_kind = LAST_ANYWHERE;
	p->last_idx = p->c->nanywhere - 1;
	return 0;
}

static int
d_reject(struct parse *p, const char *v)
{
	if (add_pattern(p, &p->c->reject, &p->c->nreject, v) < 0)
		return -1;
	p->last_kind = LAST_REJECT;
	p->last_idx = p->c->nreject - 1;
	return 0;
}

static int
d_served(struct parse *p, const char *v)
{
	if (add_pattern(p, &p->c->served, &p->c->nserved, v) < 0)
		return -1;
	p->last_kind = LAST_SERVED;
	p->last_idx = p->c->nserved - 1;
	return 0;
}

static int
d_explain(struct parse *p, const char *v)
{
	struct pattern *pat = NULL;
	struct check *c = p->c;
	if (p->last_kind == LAST_EXPECT)
		pat = &c->threads[p->last_thread].steps[p->last_idx].pat;
	else if (p->last_kind == LAST_ANYWHERE)
		pat = &c->anywhere[p->last_idx];
	else if (p->last_kind == LAST_REJECT)
		pat = &c->reject[p->last_idx];
	else if (p->last_kind == LAST_ONDISK)
		pat = &c->ondisk[p->last_idx].pat;
	else if (p->last_kind == LAST_SERVED)
		pat = &c->served[p->last_idx];
	if (!pat)
		return fail(p, "explain comes right after an expect, anywhere, reject, ondisk or served line: "
			    "it tells the learner what that line's failure means");
	if (pat->why)
		return fail(p, "that line is explained already");
	pat->why = xstrdup(v);
	return 0;
}

/* A new witness rule, kept even if its line turns out wrong (release frees it). */
static struct wrule *
add_wrule(struct parse *p, enum wrule_kind kind, const char *directive, const char *v)
{
	struct check *c = p->c;
	c->wrules = xrealloc(c->wrules, (c->nwrules + 1) * sizeof(*c->wrules));
	struct wrule *w = &c->wrules[c->nwrules++];
	memset(w, 0, sizeof(*w));
	w->kind = kind;
	w->anywhere = -1;
	w->line = p->line;
	w->text = xasprintf("%s %s", directive, v);
	return w;
}

/* One word of a WHO: pid=N, pid!=N, child-of=PROGRAM, or a PROGRAM. */
static int
who_word(struct parse *p, struct wwho *who, const char *a)
{
	if (!strncmp(a, "pid=", 4))
		return parse_int(p, a + 4, 1, 1 << 22, &who->pid);
	if (!strncmp(a, "pid!=", 5))
		return parse_int(p, a + 5, 1, 1 << 22, &who->not_pid);
	if (!strncmp(a, "child-of=", 9) && a[9]) {
		free(who->child_of);
		who->child_of = xstrdup(a + 9);
		return 0;
	}
	if (strchr(a, '=') || who->program)
		return fail(p, "'%s' is not a process: give pid=N, pid!=N, child-of=PROGRAM or one "
			    "PROGRAM (a path like /little_shell, or a name like ls)", a);
	who->program = xstrdup(a);
	return 0;
}

static int
d_by(struct parse *p, const char *v)
{
	if (p->last_kind != LAST_EXPECT && p->last_kind != LAST_ANYWHERE)
		return fail(p, "by comes right after an expect or anywhere line (or its explain): "
			    "it says which process must have written that text");
	const struct pattern *pat = p->last_kind == LAST_EXPECT
		? &p->c->threads[p->last_thread].steps[p->last_idx].pat
		: &p->c->anywhere[p->last_idx];
	if (p->last_kind == LAST_EXPECT && p->c->threads[p->last_thread].steps[p->last_idx].host)
		return fail(p, "by is about who wrote on the console: this line is matched in the "
			    "output of the host line before it");
	struct wrule *w = add_wrule(p, WR_BY, "by", v);
	free(w->text);
	w->text = xasprintf("\"%s\" by %s", pat->text, v);
	if (p->last_kind == LAST_EXPECT) {
		w->thread = p->last_thread;
		w->step = p->last_idx;
	} else {
		w->anywhere = (int)p->last_idx;
	}
	size_t n;
	char **words = checkline_words(v, &n);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!strcmp(words[i], "line"))
			w->whole_line = 1;
		else
			rc = who_word(p, &w->who, words[i]);
	checkline_words_free(words);
	return rc;
}

static int
d_runs(struct parse *p, const char *v)
{
	if (p->last_kind != LAST_SEND)
		return fail(p, "runs comes right after a send line: it says what typing that line "
			    "must run");
	if (strchr(v, ' ') || strchr(v, '\t'))
		return fail(p, "runs takes one program (a path like /bin/ls, or a name like ls), or "
			    "'nothing' for a built-in");
	struct wrule *w = add_wrule(p, WR_RUNS, "runs", v);
	free(w->text);
	w->text = xasprintf("\"%s\" runs %s", p->c->threads[p->last_thread].steps[p->last_idx].text, v);
	w->thread = p->last_thread;
	w->step = p->last_idx;
	w->program = strcmp(v, "nothing") ? xstrdup(v) : NULL;
	return 0;
}

static int
d_witness(struct parse *p, const char *v)
{
	size_t n;
	char **words = checkline_words(v, &n);
	int rc = 0;
	struct wrule *w = NULL;
	size_t i = 1;

	if (n >= 2 && !strcmp(words[0], "exec")) {
		w = add_wrule(p, WR_EXEC, "witness", v);
		w->program = xstrdup(words[1]);
		i = 2;
	} else if (n >= 2 && !strcmp(words[0], "exit")) {
		w = add_wrule(p, WR_EXIT, "witness", v);
		w->status = -1;
	} else if (n >= 2 && !strcmp(words[0], "reaps-orphan")) {
		w = add_wrule(p, WR_ORPHAN, "witness", v);
	} else {
		checkline_words_free(words);
		return fail(p, "witness takes 'exec PROGRAM [WHO]', 'exit WHO status=N' or "
			    "'reaps-orphan WHO' (WHO: pid=N, pid!=N, child-of=PROGRAM, PROGRAM)");
	}
	for (; i < n && rc == 0; i++) {
		if (w->kind == WR_EXIT && !strncmp(words[i], "status=", 7))
			rc = parse_int(p, words[i] + 7, 0, 255, &w->status);
		else
			rc = who_word(p, &w->who, words[i]);
	}
	if (rc == 0 && w->kind == WR_EXIT && w->status < 0)
		rc = fail(p, "witness exit needs status=N (the exit status it must end with)");
	checkline_words_free(words);
	return rc;
}

static int
d_gdb(struct parse *p, const char *v)
{
	size_t n;
	char **w = checkline_words(v, &n);
	struct gdb_expect g = {0};
	int rc = 0;

	g.procs_min = g.procs_exact = g.hits_min = -1;
	g.line = p->line;
	if (n < 2) {
		checkline_words_free(w);
		return fail(p, "gdb needs at least an ELF and a symbol: gdb init main pid=1");
	}
	g.elf = xstrdup(w[0][0] == '/' ? w[0] + 1 : w[0]);
	g.symbols = xstrdup(w[1]);
	if (gdb_elf_in_build(&g) && !plain_path(g.elf + 2))
		rc = fail(p, "a gdb ELF of the build folder is ./PATH, a relative path without "
			  "'..' ('%s')", w[0]);
	for (size_t i = 2; i < n && rc == 0; i++) {
		const char *a = w[i];
		if (!strcmp(a, "pid=1"))
			g.pid_is_1 = 1;
		else if (!strcmp(a, "pid!=1"))
			g.pid_not_1 = 1;
		else if (!strncmp(a, "pid!=", 5) && a[5]) {
			free(g.pid_not_sym);   /* the last one given counts */
			g.pid_not_sym = xstrdup(a + 5);
		}
		else if (!strncmp(a, "comm=", 5) && a[5]) {
			free(g.comm);
			/* The kernel keeps 15 bytes of a program's name. */
			size_t len = strlen(a + 5);
			g.comm = xstrndup(a + 5, len < 15 ? len : 15);
		} else if (!strncmp(a, "procs>=", 7))
			rc = parse_int(p, a + 7, 0, 10000, &g.procs_min);
		else if (!strncmp(a, "procs=", 6))
			rc = parse_int(p, a + 6, 0, 10000, &g.procs_exact);
		else if (!strcmp(a, "hits=0"))
			g.never = 1;
		else if (!strncmp(a, "hits>=", 6))
			rc = parse_int(p, a + 6, 1, 10000, &g.hits_min);
		else if (!strncmp(a, "bt=", 3) && a[3]) {
			struct strv bt = {0};
			char *list = xstrdup(a + 3), *save = NULL;
			for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save))
				strv_push(&bt, f);
			free(list);
			checkline_words_free(g.bt);
			g.bt = bt.v;
		} else
			rc = fail(p, "unknown gdb condition '%s' (pid=1, pid!=1, pid!=SYMBOL, "
				  "comm=NAME, procs>=N, procs=N, hits=0, hits>=N, bt=F1,F2)", a);
	}
	checkline_words_free(w);
	struct check *c = p->c;
	c->gdb = xrealloc(c->gdb, (c->ngdb + 1) * sizeof(*c->gdb));
	c->gdb[c->ngdb++] = g;   /* kept even on error, so release frees it */
	return rc;
}

static int
d_answer(struct parse *p, const char *v)
{
	/* answer FILE KEY [/REGEX/]: FILE is one word; KEY is "quoted" or runs
	 * up to the regular expression, which starts at " /" and ends the line
	 * with "/". */
	char msg[256];
	const char *s = v, *kend, *re = NULL;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (!*s)
		return fail(p, "answer needs a file and a key: answer answers.txt \"UART address\"");
	struct answer a = {0};
	a.line = p->line;
	a.file = xstrndup(v, (size_t)(s - v));
	while (*s == ' ' || *s == '\t')
		s++;
	const char *end = s + strlen(s);
	if (*s == '"') {
		const char *q = strchr(s + 1, '"');
		if (!q) {
			free(a.file);
			return fail(p, "the key's closing \" is missing");
		}
		a.key = xstrndup(s + 1, (size_t)(q - s - 1));
		for (re = q + 1; *re == ' ' || *re == '\t'; re++)
			;
		if (!*re)
			re = NULL;
		else if (*re != '/' || end - re < 2 || end[-1] != '/') {
			free(a.file);
			free(a.key);
			return fail(p, "after the key comes nothing, or a /regular expression/");
		}
	} else {
		for (const char *k = s; (k = strstr(k, " /")); k++)
			if (end[-1] == '/' && end - (k + 1) >= 2) {
				re = k + 1;
				break;
			}
		kend = re ? re : end;
		while (kend > s && (kend[-1] == ' ' || kend[-1] == '\t'))
			kend--;
		a.key = xstrndup(s, (size_t)(kend - s));
	}
	if (re) {
		char *rs = xstrndup(re, (size_t)(end - re));
		a.re = xcalloc(1, sizeof(*a.re));
		int rc = pattern_init(a.re, rs, msg, sizeof(msg));
		free(rs);
		if (rc < 0) {
			free(a.re);
			free(a.file);
			free(a.key);
			return fail(p, "%s", msg);
		}
	}
	struct check *c = p->c;
	c->answers = xrealloc(c->answers, (c->nanswers + 1) * sizeof(*c->answers));
	c->answers[c->nanswers++] = a;
	if (!*a.key)
		return fail(p, "answer needs a key after the file name");
	return 0;
}

static int
d_sources(struct parse *p, const char *v)
{
	size_t n;
	p->c->sources = checkline_words(v, &n);
	p->sources_line = p->line;
	for (size_t i = 0; i < n; i++)
		if (strstr(p->c->sources[i], "..") || p->c->sources[i][0] == '/')
			return fail(p, "sources are file names inside the stage folder, not '%s'",
				    p->c->sources[i]);
	return 0;
}

static int
d_grading(struct parse *p, const char *v)
{
	static const char *const words[] = {"compile", "make", NULL};
	int i;
	if (one_of(p, "grading", v, words, &i) < 0)
		return -1;
	p->c->grading_make = i == 1;
	return 0;
}

static int
d_compile(struct parse *p, const char *v)
{
	/* compile OUTPUT: SRC... */
	const char *colon = strchr(v, ':');
	size_t n;
	if (!colon || colon == v)
		return fail(p, "compile is 'OUTPUT: SOURCE...', e.g. 'compile init: init.c'");
	struct compile_rule r;
	r.output = xstrndup(v, (size_t)(colon - v));
	r.sources = checkline_words(colon + 1, &n);
	struct check *c = p->c;
	c->compile = xrealloc(c->compile, (c->ncompile + 1) * sizeof(*c->compile));
	c->compile[c->ncompile++] = r;
	if (n == 0)
		return fail(p, "compile '%s' names no source file", r.output);
	return 0;
}

/* forward tcp PORT: a port of the host, on 127.0.0.1, reaches the guest's PORT. */
static int
d_forward(struct parse *p, const char *v)
{
	size_t n;
	char **w = checkline_words(v, &n);
	int rc;

	if (n != 2 || strcmp(w[0], "tcp"))
		rc = fail(p, "forward takes 'tcp PORT' (the guest's TCP port, which a port of the "
			  "host on 127.0.0.1 reaches), not '%s'", v);
	else
		rc = parse_int(p, w[1], 1, 65535, &p->c->forward_port);
	checkline_words_free(w);
	return rc;
}

/* sshkey PATH: this run's public key goes into the guest at PATH. */
static int
d_sshkey(struct parse *p, const char *v)
{
	if (v[0] != '/' || v[strlen(v) - 1] == '/' || strstr(v, "/../") || strstr(v, "//") ||
	    strchr(v, ' ') || strchr(v, '\t'))
		return fail(p, "sshkey takes the absolute path of a file in the guest, like "
			    "/root/.ssh/authorized_keys, not '%s'", v);
	p->c->sshkey = xstrdup(v);
	p->sshkey_line = p->line;
	return 0;
}

/* host SECONDS COMMAND: run COMMAND on the host once the thread reaches it. */
static int
d_host(struct parse *p, const char *v)
{
	const char *cmd = v;
	char secs[16];
	size_t k = strcspn(v, " \t");
	int limit;

	if (k >= sizeof(secs))
		return fail(p, "host takes SECONDS (1 to 600), then the command");
	memcpy(secs, v, k);
	secs[k] = 0;
	cmd += k;
	cmd += strspn(cmd, " \t");
	if (parse_int(p, secs, 1, 600, &limit) < 0)
		return -1;
	if (!*cmd)
		return fail(p, "host needs a command after its seconds");
	size_t hosts = 0;
	for (size_t t = 0; t < p->c->nthreads; t++)
		for (size_t i = 0; i < p->c->threads[t].n; i++)
			hosts += p->c->threads[t].steps[i].kind == STEP_HOST;
	if (hosts == CHECK_HOSTS_MAX)
		return fail(p, "at most %d host lines in a check", CHECK_HOSTS_MAX);
	struct step *s = add_step(p, STEP_HOST);
	s->text = xstrdup(cmd);
	s->host_s = limit;
	return 0;
}

/* One row per directive, sorted by name; adding a directive is adding a row. */
static const struct directive {
	const char *name;
	int (*fn)(struct parse *, const char *);
	int raw;   /* the handler gets the value with its quotes: it splits it itself */
	int once;  /* a setting: given twice is an error */
} directives[] = {
	{"anywhere", d_anywhere, 0, 0},
	{"answer", d_answer, 1, 0},
	{"by", d_by, 0, 0},
	{"append", d_append, 0, 1},
	{"clock", d_clock, 0, 1},
	{"compare", d_compare, 0, 1},
	{"compile", d_compile, 1, 0},
	{"diagnose", d_diagnose, 0, 1},
	{"disk", d_disk, 0, 1},
	{"exit", d_exit, 0, 1},
	{"forward", d_forward, 0, 1},
	{"expect", d_expect, 0, 0},
	{"explain", d_explain, 0, 0},
	{"gdb", d_gdb, 1, 0},
	{"grading", d_grading, 0, 1},
	{"host", d_host, 0, 0},
	{"initramfs", d_initramfs, 0, 1},
	{"kernel", d_kernel, 0, 1},
	{"line", d_line, 0, 0},
	{"memory", d_memory, 0, 1},
	{"network", d_network, 0, 1},
	{"once", d_once, 0, 0},
	{"ondisk", d_ondisk, 0, 0},
	{"points", d_points, 0, 1},
	{"prompt", d_prompt, 0, 0},
	{"reject", d_reject, 0, 0},
	{"runs", d_runs, 0, 0},
	{"send", d_send, 0, 0},
	{"serve", d_serve, 0, 1},
	{"served", d_served, 0, 0},
	{"sources", d_sources, 1, 1},
	{"sshkey", d_sshkey, 0, 1},
	{"thread", d_thread, 0, 0},
	{"timeout", d_timeout, 0, 1},
	{"title", d_title, 0, 1},
	{"witness", d_witness, 0, 0},
};
#define NDIRECTIVES (sizeof(directives) / sizeof(directives[0]))
/* struct parse's seen has one bit per directive. */
_Static_assert(NDIRECTIVES <= sizeof(unsigned long long) * CHAR_BIT,
	       "too many directives for 'seen'");

static const struct directive *
find_directive(const char *word)
{
	for (size_t i = 0; i < NDIRECTIVES; i++)
		if (!strcmp(directives[i].name, word))
			return &directives[i];
	return NULL;
}

/* The value directive d gets from a line's raw value, into out; an empty
 * one is an error. */
static int
line_value(struct parse *p, const struct directive *d, const char *raw, const char *nonce,
	   struct sb *out)
{
	char msg[128];

	if (checkline_value(raw, d->raw, nonce, out, msg, sizeof(msg)) < 0)
		return fail(p, "%s", msg);
	if (out->len == 0)
		return fail(p, "'%s' needs a value", d->name);
	return 0;
}

/* One line of the file: a directive, its value, and its handler's work. */
static int
parse_line(struct parse *p, char *l)
{
	char *word, *raw;
	const struct directive *d;
	struct sb v;
	int rc;

	word = checkline_split(l, &raw);
	if (!word)
		return 0;
	d = find_directive(word);
	if (!d)
		return fail(p, "unknown directive '%s' (see docs/check-format.md)", word);
	sb_init(&v);
	rc = line_value(p, d, raw, p->c->nonce, &v);
	if (rc == 0 && d->once) {
		unsigned long long bit = 1ull << (d - directives);
		if (p->seen & bit)
			rc = fail(p, "'%s' is given twice", d->name);
		p->seen |= bit;
	}
	/* explain, by, runs and once are about the line before them (and so may the
	 * line after them be). */
	if (rc == 0 && d->fn != d_explain && d->fn != d_by && d->fn != d_runs && d->fn != d_once)
		p->last_kind = LAST_NONE;
	if (rc == 0)
		rc = d->fn(p, v.buf);
	sb_release(&v);
	return rc;
}

int
check_parse_text(struct check *c, const char *name, const char *text,
		 const char *nonce, char *err, size_t errlen)
{
	struct parse p = {0};
	char *l;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(name);
	c->kernel = KERNEL_LAB;
	c->build = 1;
	c->timeout_s = 30;
	c->points = 10;
	c->memory_mb = 128;
	c->exit_status = -1;
	snprintf(c->nonce, sizeof(c->nonce), "%s", nonce ? nonce : NO_NONCE);
	p.c = c;
	p.file = name;
	p.err = err;
	p.errlen = errlen;
	/* The first thread is the main one; `thread NAME` starts others. */
	c->threads = xcalloc(1, sizeof(*c->threads));
	c->nthreads = 1;
	c->threads[0].name = xstrdup("main");
	p.t = &c->threads[0];

	while (rc == 0 && (l = checkline_next(&text))) {
		p.line++;
		rc = parse_line(&p, l);
		free(l);
	}
	/* grading make runs the lab's Makefile: a submission's file must not
	 * stand in for it. */
	for (size_t i = 0; rc == 0 && c->grading_make && c->sources && c->sources[i]; i++) {
		const char *base = strrchr(c->sources[i], '/');
		base = base ? base + 1 : c->sources[i];
		if (!strcmp(base, "Makefile") || !strcmp(base, "makefile") || !strcmp(base, "GNUmakefile")) {
			p.line = p.sources_line;
			rc = fail(&p, "with 'grading make', sources cannot name a Makefile (%s): the lab's "
				  "own starter Makefile builds", c->sources[i]);
		}
	}
	if (rc == 0) {
		/* Every pid!=SYMBOL must name a symbol watched in the same ELF. */
		for (size_t i = 0; i < c->ngdb && rc == 0; i++) {
			const struct gdb_expect *g = &c->gdb[i];
			if (!g->pid_not_sym)
				continue;
			int found = 0;
			for (size_t j = 0; j < c->ngdb; j++)
				if (!strcmp(c->gdb[j].elf, g->elf) &&
				    !strcmp(c->gdb[j].symbols, g->pid_not_sym))
					found = 1;
			if (!found) {
				p.line = g->line;
				rc = fail(&p, "pid!=%s: add a line 'gdb %s %s' so that it is watched too",
					  g->pid_not_sym, g->elf, g->pid_not_sym);
			}
		}
	}
	if (rc == 0 && c->sshkey && !c->build) {
		p.line = p.sshkey_line;
		rc = fail(&p, "sshkey adds the key to the initramfs: it needs 'initramfs build'");
	}
	if (rc == 0 && c->nserved && !c->serve)
		rc = fail(&p, "served needs 'serve DIR': it is about the files of that folder");
	if (rc == 0 && c->serve && !c->network)
		rc = fail(&p, "serve needs 'network responder': the responder serves the folder");
	if (rc == 0 && !c->title)
		c->title = xstrdup(name);
	if (rc != 0) {
		check_release(c);
		return -1;
	}
	return 0;
}

int
check_parse(struct check *c, const char *path, const char *nonce, char *err, size_t errlen)
{
	char *text;
	if (read_file(path, &text, NULL) < 0) {
		memset(c, 0, sizeof(*c));
		snprintf(err, errlen, "cannot read check file %s: %s", path, strerror(errno));
		return -1;
	}
	int rc = check_parse_text(c, path, text, nonce, err, errlen);
	free(text);
	return rc;
}

void
check_release(struct check *c)
{
	for (size_t i = 0; i < c->nthreads; i++) {
		struct thread *t = &c->threads[i];
		for (size_t j = 0; j < t->n; j++) {
			if (t->steps[j].kind == STEP_EXPECT)
				pattern_release(&t->steps[j].pat);
			free(t->steps[j].text);
			free(t->steps[j].once);
		}
		for (size_t j = 0; j < t->nprompts; j++)
			pattern_release(&t->prompts[j]);
		free(t->prompts);
		free(t->steps);
		free(t->name);
	}
	free(c->threads);
	free(c->sshkey);
	for (size_t i = 0; i < c->nanywhere; i++)
		pattern_release(&c->anywhere[i]);
	free(c->anywhere);
	for (size_t i = 0; i < c->nreject; i++)
		pattern_release(&c->reject[i]);
	free(c->reject);
	for (size_t i = 0; i < c->ngdb; i++) {
		free(c->gdb[i].elf);
		free(c->gdb[i].symbols);
		free(c->gdb[i].pid_not_sym);
		free(c->gdb[i].comm);
		checkline_words_free(c->gdb[i].bt);
	}
	free(c->gdb);
	for (size_t i = 0; i < c->nanswers; i++) {
		free(c->answers[i].file);
		free(c->answers[i].key);
		if (c->answers[i].re) {
			pattern_release(c->answers[i].re);
			free(c->answers[i].re);
		}
	}
	free(c->answers);
	for (size_t i = 0; i < c->nondisk; i++) {
		free(c->ondisk[i].path);
		pattern_release(&c->ondisk[i].pat);
	}
	free(c->ondisk);
	for (size_t i = 0; i < c->nserved; i++)
		pattern_release(&c->served[i]);
	free(c->served);
	free(c->disk);
	free(c->serve);
	for (size_t i = 0; i < c->nwrules; i++) {
		struct wrule *w = &c->wrules[i];
		free(w->who.program);
		free(w->who.child_of);
		free(w->program);
		free(w->text);
	}
	free(c->wrules);
	checkline_words_free(c->sources);
	for (size_t i = 0; i < c->ncompile; i++) {
		free(c->compile[i].output);
		checkline_words_free(c->compile[i].sources);
	}
	free(c->compile);
	free(c->append);
	free(c->compare);
	free(c->compare_initrd);
	free(c->title);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

int
check_read_title(const char *path, char **title, char *err, size_t errlen)
{
	const struct directive *d = find_directive("title");
	struct parse p = {0};
	const char *rest;
	char *text, *l;
	int rc = 0;

	*title = NULL;
	if (read_file(path, &text, NULL) < 0) {
		snprintf(err, errlen, "cannot read check file %s: %s", path, strerror(errno));
		return -1;
	}
	p.file = path;
	p.err = err;
	p.errlen = errlen;
	rest = text;
	while (rc == 0 && !*title && (l = checkline_next(&rest))) {
		char *word, *raw;
		p.line++;
		word = checkline_split(l, &raw);
		if (word && !strcmp(word, d->name)) {
			struct sb v;
			sb_init(&v);
			rc = line_value(&p, d, raw, NO_NONCE, &v);
			if (rc == 0)
				*title = sb_detach(&v);
			else
				sb_release(&v);
		}
		free(l);
	}
	free(text);
	return rc;
}

int
check_runs_make(const struct check *c)
{
	return c->build || c->kernel == KERNEL_LEARNER || c->disk;
}

int
gdb_elf_in_build(const struct gdb_expect *g)
{
	return !strncmp(g->elf, "./", 2);
}
