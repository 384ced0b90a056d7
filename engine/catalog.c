/*
 * catalog.c: find the stages, and parse check files.
 *
 * The check parser follows gen_init_cpio's shape: a table maps each
 * directive to a handler, parsing a line (directive + value) is kept apart
 * from what the handler does with it, and any error names file and line.
 */
#include "catalog.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- stages */

static int
stage_cmp(const void *a, const void *b)
{
	const struct stage *x = a, *y = b;
	return x->number - y->number;
}

/* The title line of a check file, without parsing the rest. */
static char *
check_title(const char *path)
{
	char *text, *title = NULL;

	if (read_file(path, &text, NULL) < 0)
		return NULL;
	for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "title", 5) == 0 && (l[5] == ' ' || l[5] == '\t')) {
			char *v = l + 5, *e = strchr(v, '\n');
			while (*v == ' ' || *v == '\t')
				v++;
			if (!e)
				e = v + strlen(v);
			while (e > v && isspace((unsigned char)e[-1]))
				e--;
			title = xstrndup(v, (size_t)(e - v));
			break;
		}
	}
	free(text);
	return title;
}

int
catalog_load(struct catalog *c, const char *top, char *err, size_t errlen)
{
	char *steps = xasprintf("%s/steps", top);
	DIR *d = opendir(steps);
	struct dirent *e;
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	c->top = xstrdup(top);
	if (!d) {
		snprintf(err, errlen, "cannot read %s: %s (run lab-runner from the lab's folder)",
			 steps, strerror(errno));
		free(steps);
		return -1;
	}
	while ((e = readdir(d))) {
		/* A stage folder is named NN-something. */
		if (!isdigit((unsigned char)e->d_name[0]) || !isdigit((unsigned char)e->d_name[1]) ||
		    e->d_name[2] != '-')
			continue;
		if (c->n == cap) {
			cap = cap ? cap * 2 : 8;
			c->stages = xrealloc(c->stages, cap * sizeof(*c->stages));
		}
		struct stage *s = &c->stages[c->n++];
		s->number = atoi(e->d_name);
		s->name = xstrdup(e->d_name);
		char *check = xasprintf("%s/checks/%s.check", top, s->name);
		s->title = check_title(check);
		if (!s->title)
			s->title = xstrdup(s->name);
		free(check);
	}
	closedir(d);
	free(steps);
	qsort(c->stages, c->n, sizeof(*c->stages), stage_cmp);
	if (c->n == 0) {
		snprintf(err, errlen, "no stages under %s/steps", top);
		return -1;
	}
	return 0;
}

void
catalog_release(struct catalog *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->stages[i].name);
		free(c->stages[i].title);
	}
	free(c->stages);
	free(c->top);
	memset(c, 0, sizeof(*c));
}

const struct stage *
catalog_find(const struct catalog *c, const char *key)
{
	char *end;
	long n;

	if (!key || !*key)
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->stages[i].name, key))
			return &c->stages[i];
	n = strtol(key, &end, 10);
	if (end == key || (*end && *end != '-'))
		return NULL;
	for (size_t i = 0; i < c->n; i++)
		if (c->stages[i].number == n)
			return &c->stages[i];
	return NULL;
}

const struct stage *
catalog_find_dir(const struct catalog *c, const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	const char *base = dir + len;
	while (base > dir && base[-1] != '/')
		base--;
	char *name = xstrndup(base, (size_t)(dir + len - base));
	const struct stage *s = NULL;
	if (isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]))
		s = catalog_find(c, name);
	free(name);
	return s;
}

char *
stage_path(const struct catalog *c, const struct stage *s, const char *what)
{
	if (!strcmp(what, "check"))
		return xasprintf("%s/checks/%s.check", c->top, s->name);
	if (!strcmp(what, "page"))
		return xasprintf("%s/steps/%s/README.md", c->top, s->name);
	if (!strcmp(what, "hints"))
		return xasprintf("%s/steps/%s/hints", c->top, s->name);
	if (!strcmp(what, "starter"))
		return xasprintf("%s/steps/%s/starter", c->top, s->name);
	if (!strcmp(what, "solution"))
		return xasprintf("%s/solutions/%s", c->top, s->name);
	return xasprintf("%s/labs/%s", c->top, s->name);
}

/* -------------------------------------------------------------- patterns */

int
pattern_find(const struct pattern *p, const char *line, size_t from,
	     size_t *start, size_t *end)
{
	if (p->is_regex) {
		regmatch_t m;
		int flags = from ? REG_NOTBOL : 0;
		if (regexec(&p->re, line + from, 1, &m, flags) != 0)
			return 0;
		*start = from + (size_t)m.rm_so;
		*end = from + (size_t)m.rm_eo;
		return 1;
	}
	const char *hit = strstr(line + from, p->text);
	if (!hit)
		return 0;
	*start = (size_t)(hit - line);
	*end = *start + strlen(p->text);
	return 1;
}

/*
 * Regular expressions that glibc's regcomp() cannot compile in reasonable
 * time or memory, refused before it sees them. The fuzzer found both kinds:
 *  - regcomp copies a repeated part once per repetition (a{1,9} is nine
 *    copies of a, a+ two), so repetitions of repetitions multiply:
 *    /a+++++++++++++++++++++++++++++++/ takes gigabytes;
 *  - a part that can match nothing, repeated (()*, (a*)+, (a|)*, ^*),
 *    makes loops of empty steps, and regcomp's closure of them takes
 *    exponential time: /(()*)?(()*)?.../ with 32 groups does not finish.
 *    ((a*)? is fine: ? does not loop.)
 * Such patterns are never needed: a check matches lines of text. A small
 * recursive-descent walk over POSIX ERE syntax counts the copies and knows
 * which parts can match nothing.
 */
#define REGEX_MAX_PARTS 10000
#define REGEX_MAX_DEPTH 32

struct rx {
	const char *s;
	int depth;
	const char *bad;       /* why the pattern is refused, or NULL */
};

static unsigned long
rx_cap(unsigned long long v)
{
	return v > REGEX_MAX_PARTS + 1ull ? REGEX_MAX_PARTS + 1ul : (unsigned long)v;
}

static unsigned long rx_alt(struct rx *r, int *empty);

/* One item; *empty: it can match the empty string. */
static unsigned long
rx_atom(struct rx *r, int *empty)
{
	const char *s = r->s;

	*empty = 0;
	if (*s == '(') {
		unsigned long n;
		r->s++;
		if (++r->depth > REGEX_MAX_DEPTH) {
			r->bad = "nests groups more than 32 deep";
			return 0;
		}
		n = rx_alt(r, empty);
		if (*r->s == ')')
			r->s++;
		r->depth--;
		return n ? n : 1;
	}
	if (*s == '[') {
		/* A bracket expression: skip to its ']' ("[]a]" and "[^]a]"
		 * hold a ']'; "[:alpha:]", "[.a.]", "[=a=]" end in ":]" etc). */
		const char *b = s + 1;
		if (*b == '^')
			b++;
		if (*b == ']')
			b++;
		while (*b && *b != ']') {
			char term[3] = {b[1], ']', '\0'};
			const char *t;
			if (b[0] == '[' && (b[1] == ':' || b[1] == '.' || b[1] == '=') &&
			    (t = strstr(b + 2, term)))
				b = t + 2;
			else
				b++;
		}
		r->s = *b ? b + 1 : b;
		return 1;
	}
	if (*s == '\\' && s[1]) {
		/* \b \B \< \> \` \' are anchors; \1..\9 may match nothing. */
		*empty = strchr("bB<>`'", s[1]) != NULL || isdigit((unsigned char)s[1]);
		r->s += 2;
		return 1;
	}
	*empty = *s == '^' || *s == '$';
	r->s++;
	return 1;
}

/* A repetition operator at r->s: advance past it, and say how many copies
 * it makes, whether it allows none, and whether it loops (may take more
 * than one). Returns 0 if there is none. */
static int
rx_repeat(struct rx *r, unsigned long *copies, int *none, int *loops)
{
	const char *s = r->s;

	if (*s == '*' || *s == '+' || *s == '?') {
		*copies = 2;
		*none = *s != '+';
		*loops = *s != '?';
		r->s++;
		return 1;
	}
	if (*s == '{' && isdigit((unsigned char)s[1])) {
		char *e;
		unsigned long lo = strtoul(s + 1, &e, 10), hi = lo;
		if (*e == ',') {
			e++;
			hi = isdigit((unsigned char)*e) ? strtoul(e, &e, 10) : lo + 1;
		}
		if (*e != '}')
			return 0;      /* not an interval: a plain '{' */
		*copies = hi > lo ? hi : lo ? lo : 1;
		*none = lo == 0;
		*loops = *copies > 1;
		r->s = e + 1;
		return 1;
	}
	return 0;
}

/* An item and the repetitions that follow it. */
static unsigned long
rx_piece(struct rx *r, int *empty)
{
	unsigned long n = rx_atom(r, empty), copies;
	int none, loops;

	while (!r->bad && rx_repeat(r, &copies, &none, &loops)) {
		if (*empty && loops) {
			r->bad = "repeats a part that can match nothing (such as ()*, (a*)+ "
				 "or a**): drop the inner or the outer repetition";
			return 0;
		}
		n = rx_cap((unsigned long long)n * copies);
		*empty = none;
	}
	return n;
}

/* Items up to '|', or the ')' that closes the group. */
static unsigned long
rx_branch(struct rx *r, int *empty)
{
	unsigned long n = 0;
	int e;

	*empty = 1;
	while (!r->bad && *r->s && *r->s != '|' && !(*r->s == ')' && r->depth > 0)) {
		n = rx_cap((unsigned long long)n + rx_piece(r, &e));
		*empty &= e;
	}
	return n;
}

static unsigned long
rx_alt(struct rx *r, int *empty)
{
	int e;
	unsigned long n = rx_branch(r, empty);

	while (!r->bad && *r->s == '|') {
		r->s++;
		n = rx_cap((unsigned long long)n + rx_branch(r, &e));
		*empty |= e;
	}
	return n;
}

/* NULL if regcomp() may have re, else why not. */
static const char *
regex_refused(const char *re)
{
	struct rx r = {re, 0, NULL};
	int empty;

	/* At the top a ')' with no '(' is a plain character: this reads all. */
	if (rx_alt(&r, &empty) > REGEX_MAX_PARTS && !r.bad)
		r.bad = "is too complex: its repetitions of repetitions make more than "
			"10000 parts";
	return r.bad;
}

static int
pattern_init(struct pattern *p, const char *value, char *err, size_t errlen)
{
	size_t n = strlen(value);

	memset(p, 0, sizeof(*p));
	if (n == 0 || (n == 2 && value[0] == '/' && value[1] == '/')) {
		snprintf(err, errlen, "empty pattern");
		return -1;
	}
	if (n >= 2 && value[0] == '/' && value[n - 1] == '/') {
		p->text = xstrndup(value + 1, n - 2);
		const char *why = regex_refused(p->text);
		if (why) {
			snprintf(err, errlen, "regular expression /%s/ %s; simplify it", p->text, why);
			free(p->text);
			p->text = NULL;
			return -1;
		}
		p->is_regex = 1;
		int rc = regcomp(&p->re, p->text, REG_EXTENDED);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &p->re, msg, sizeof(msg));
			snprintf(err, errlen, "bad regular expression /%s/: %s", p->text, msg);
			free(p->text);
			p->text = NULL;
			p->is_regex = 0;
			return -1;
		}
	} else {
		p->text = xstrdup(value);
	}
	return 0;
}

static void
pattern_release(struct pattern *p)
{
	if (p->is_regex)
		regfree(&p->re);
	free(p->text);
	free(p->why);
	p->text = p->why = NULL;
}

/* --------------------------------------------------------------- parsing */

/* Where we are while parsing, passed to every directive handler. */
struct parse {
	struct check *c;
	struct thread *t;      /* the current thread */
	const char *file;
	int line;
	char *err;
	size_t errlen;
	unsigned seen;         /* settings already given, one bit each */
	/* The pattern the line before made, for `explain`: its kind, its
	 * thread and its index (the arrays move as they grow). */
	enum { LAST_NONE, LAST_EXPECT, LAST_ANYWHERE, LAST_REJECT } last_kind;
	size_t last_thread, last_idx;
	int sources_line;
};

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

/* Split value into words on blanks (no quoting inside gdb/compile lines). */
static char **
split_words(const char *value, size_t *n)
{
	struct strv v = {0};
	const char *s = value;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		char *w = xstrndup(s, (size_t)(e - s));
		strv_push(&v, w);
		free(w);
		s = e;
	}
	*n = v.n;
	return v.v ? v.v : xcalloc(1, sizeof(char *));
}

static void
free_words(char **w)
{
	for (size_t i = 0; w && w[i]; i++)
		free(w[i]);
	free(w);
}

static int
parse_int(struct parse *p, const char *v, int lo, int hi, int *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (end == v || *end || n < lo || n > hi)
		return fail(p, "expected a whole number from %d to %d, not '%s'", lo, hi, v);
	*out = (int)n;
	return 0;
}

static int
once(struct parse *p, unsigned bit, const char *name)
{
	if (p->seen & bit)
		return fail(p, "'%s' is given twice", name);
	p->seen |= bit;
	return 0;
}

/*
 * A setting whose value is one word of a list (NULL-ended): *index gets the
 * word's place in it. Otherwise: "kernel is lab, defconfig or learner, not
 * 'mine'".
 */
static int
one_of(struct parse *p, unsigned bit, const char *name, const char *v,
       const char *const *words, int *index)
{
	struct sb list;
	int n = 0;

	if (once(p, bit, name))
		return -1;
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
	if (once(p, 1u << 0, "title"))
		return -1;
	free(p->c->title);
	p->c->title = xstrdup(v);
	return 0;
}

static int
d_kernel(struct parse *p, const char *v)
{
	static const char *const words[] = {"lab", "defconfig", "learner", NULL};
	int i;
	if (one_of(p, 1u << 1, "kernel", v, words, &i) < 0)
		return -1;
	p->c->kernel = i == 0 ? KERNEL_LAB : i == 1 ? KERNEL_DEFCONFIG : KERNEL_LEARNER;
	return 0;
}

static int
d_initramfs(struct parse *p, const char *v)
{
	static const char *const words[] = {"build", "none", NULL};
	int i;
	if (one_of(p, 1u << 2, "initramfs", v, words, &i) < 0)
		return -1;
	p->c->build = i == 0;
	return 0;
}

static int
d_timeout(struct parse *p, const char *v)
{
	return once(p, 1u << 3, "timeout") ? -1 : parse_int(p, v, 1, 600, &p->c->timeout_s);
}

static int
d_points(struct parse *p, const char *v)
{
	return once(p, 1u << 4, "points") ? -1 : parse_int(p, v, 0, 1000, &p->c->points);
}

static int
d_memory(struct parse *p, const char *v)
{
	return once(p, 1u << 5, "memory") ? -1 : parse_int(p, v, 32, 4096, &p->c->memory_mb);
}

static int
d_network(struct parse *p, const char *v)
{
	static const char *const words[] = {"none", "responder", NULL};
	int i;
	if (one_of(p, 1u << 6, "network", v, words, &i) < 0)
		return -1;
	p->c->network = i == 1;
	return 0;
}

static int
d_append(struct parse *p, const char *v)
{
	if (once(p, 1u << 7, "append"))
		return -1;
	p->c->append = xstrdup(v);
	return 0;
}

static int
d_exit(struct parse *p, const char *v)
{
	return once(p, 1u << 8, "exit") ? -1 : parse_int(p, v, 0, 255, &p->c->exit_status);
}

static int
d_clock(struct parse *p, const char *v)
{
	static const char *const words[] = {"warp", "real", NULL};
	int i;
	if (one_of(p, 1u << 10, "clock", v, words, &i) < 0)
		return -1;
	p->c->real_clock = i == 1;
	return 0;
}

static int
d_compare(struct parse *p, const char *v)
{
	/* compare KCONFIG [boots=N] [smaller] */
	size_t n;
	if (once(p, 1u << 11, "compare"))
		return -1;
	char **w = split_words(v, &n);
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
		else
			rc = fail(p, "compare takes boots=N and smaller, not '%s'", w[i]);
	}
	free_words(w);
	return rc;
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

static int
d_expect(struct parse *p, const char *v)
{
	char msg[256];
	struct step *s = add_step(p, STEP_EXPECT);
	if (pattern_init(&s->pat, v, msg, sizeof(msg)) < 0) {
		p->t->n--;
		return fail(p, "%s", msg);
	}
	p->last_kind = LAST_EXPECT;
	p->last_thread = (size_t)(p->t - p->c->threads);
	p->last_idx = p->t->n - 1;
	return 0;
}

static int
d_send(struct parse *p, const char *v)
{
	struct step *s = add_step(p, STEP_SEND);
	s->text = xstrdup(v);
	s->prompt = p->t->nprompts ? &p->t->prompts[p->t->nprompts - 1] : NULL;
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

static int
d_thread(struct parse *p, const char *v)
{
	struct check *c = p->c;
	for (size_t i = 0; i < c->nthreads; i++)
		if (!strcmp(c->threads[i].name, v))
			return fail(p, "thread '%s' is started twice", v);
	c->threads = xrealloc(c->threads, (c->nthreads + 1) * sizeof(*c->threads));
	p->t = &c->threads[c->nthreads++];
	memset(p->t, 0, sizeof(*p->t));
	p->t->name = xstrdup(v);
	return 0;
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
	if (!pat)
		return fail(p, "explain comes right after an expect, anywhere or reject line: "
			    "it tells the learner what that line's failure means");
	if (pat->why)
		return fail(p, "that line is explained already");
	pat->why = xstrdup(v);
	return 0;
}

static int
d_gdb(struct parse *p, const char *v)
{
	size_t n;
	char **w = split_words(v, &n);
	struct gdb_expect g = {0};
	int rc = 0;

	g.procs_min = g.procs_exact = -1;
	g.line = p->line;
	if (n < 2) {
		free_words(w);
		return fail(p, "gdb needs at least an ELF and a symbol: gdb init main pid=1");
	}
	g.elf = xstrdup(w[0][0] == '/' ? w[0] + 1 : w[0]);
	g.symbols = xstrdup(w[1]);
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
		else if (!strncmp(a, "procs>=", 7))
			rc = parse_int(p, a + 7, 0, 10000, &g.procs_min);
		else if (!strncmp(a, "procs=", 6))
			rc = parse_int(p, a + 6, 0, 10000, &g.procs_exact);
		else if (!strcmp(a, "hits=0"))
			g.never = 1;
		else if (!strncmp(a, "bt=", 3) && a[3]) {
			struct strv bt = {0};
			char *list = xstrdup(a + 3), *save = NULL;
			for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save))
				strv_push(&bt, f);
			free(list);
			free_words(g.bt);
			g.bt = bt.v;
		} else
			rc = fail(p, "unknown gdb condition '%s' (pid=1, pid!=1, pid!=SYMBOL, "
				  "procs>=N, procs=N, hits=0, bt=F1,F2)", a);
	}
	free_words(w);
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
	if (once(p, 1u << 9, "sources"))
		return -1;
	p->c->sources = split_words(v, &n);
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
	if (one_of(p, 1u << 12, "grading", v, words, &i) < 0)
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
	r.sources = split_words(colon + 1, &n);
	struct check *c = p->c;
	c->compile = xrealloc(c->compile, (c->ncompile + 1) * sizeof(*c->compile));
	c->compile[c->ncompile++] = r;
	if (n == 0)
		return fail(p, "compile '%s' names no source file", r.output);
	return 0;
}

static const struct directive {
	const char *name;
	int (*fn)(struct parse *, const char *);
	int raw;   /* value may be empty: no */
} directives[] = {
	{"anywhere", d_anywhere, 0},
	{"answer", d_answer, 1},
	{"append", d_append, 0},
	{"clock", d_clock, 0},
	{"compare", d_compare, 0},
	{"compile", d_compile, 1},
	{"exit", d_exit, 0},
	{"expect", d_expect, 0},
	{"explain", d_explain, 0},
	{"gdb", d_gdb, 1},
	{"grading", d_grading, 0},
	{"initramfs", d_initramfs, 0},
	{"kernel", d_kernel, 0},
	{"memory", d_memory, 0},
	{"network", d_network, 0},
	{"points", d_points, 0},
	{"prompt", d_prompt, 0},
	{"reject", d_reject, 0},
	{"send", d_send, 0},
	{"sources", d_sources, 1},
	{"thread", d_thread, 0},
	{"timeout", d_timeout, 0},
	{"title", d_title, 0},
};

/*
 * Turn the raw value of a line into the value a handler gets: blanks at the
 * ends trimmed, a double-quoted string unquoted (with \" \\ \n \t \r), and
 * {nonce} replaced. raw directives get the trimmed text with quotes kept.
 */
static int
unquote(struct parse *p, const char *v, int raw, const char *nonce, struct sb *out)
{
	struct sb tmp;
	size_t n = strlen(v);

	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	sb_init(&tmp);
	if (!raw && n && v[0] == '"') {
		if (n < 2 || v[n - 1] != '"') {
			sb_release(&tmp);
			return fail(p, "a quoted value must end with \"");
		}
		for (size_t i = 1; i + 1 < n; i++) {
			char ch = v[i];
			if (ch == '\\' && i + 2 < n) {
				char e = v[++i];
				ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
			}
			sb_add(&tmp, &ch, 1);
		}
	} else {
		sb_add(&tmp, v, n);
	}
	/* {nonce} */
	for (const char *s = tmp.buf; *s;) {
		const char *hit = strstr(s, "{nonce}");
		if (!hit) {
			sb_puts(out, s);
			break;
		}
		sb_add(out, s, (size_t)(hit - s));
		sb_puts(out, nonce);
		s = hit + 7;
	}
	sb_release(&tmp);
	return 0;
}

int
check_parse_text(struct check *c, const char *name, const char *text,
		 const char *nonce, char *err, size_t errlen)
{
	struct parse p = {0};
	const char *line = text;
	int rc = 0;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(name);
	c->kernel = KERNEL_LAB;
	c->build = 1;
	c->timeout_s = 30;
	c->points = 10;
	c->memory_mb = 128;
	c->exit_status = -1;
	snprintf(c->nonce, sizeof(c->nonce), "%s", nonce ? nonce : "00000000");
	p.c = c;
	p.file = name;
	p.err = err;
	p.errlen = errlen;
	/* The first thread is the main one; `thread NAME` starts others. */
	c->threads = xcalloc(1, sizeof(*c->threads));
	c->nthreads = 1;
	c->threads[0].name = xstrdup("main");
	p.t = &c->threads[0];

	while (rc == 0 && line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = xstrndup(line, len);
		char *s = l;

		p.line++;
		line = end ? end + 1 : NULL;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#' || *s == '\r') {
			free(l);
			continue;
		}
		char *word = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		char *wend = s;
		while (*s == ' ' || *s == '\t')
			s++;
		*wend = '\0';
		const struct directive *d = NULL;
		for (size_t i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
			if (!strcmp(directives[i].name, word))
				d = &directives[i];
		if (!d) {
			rc = fail(&p, "unknown directive '%s' (see docs/check-format.md)", word);
		} else {
			struct sb v;
			sb_init(&v);
			rc = unquote(&p, s, d->raw, c->nonce, &v);
			if (rc == 0 && v.len == 0)
				rc = fail(&p, "'%s' needs a value", word);
			if (rc == 0 && d->fn != d_explain)
				p.last_kind = LAST_NONE;
			if (rc == 0)
				rc = d->fn(&p, v.buf);
			sb_release(&v);
		}
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
		}
		for (size_t j = 0; j < t->nprompts; j++)
			pattern_release(&t->prompts[j]);
		free(t->prompts);
		free(t->steps);
		free(t->name);
	}
	free(c->threads);
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
		free_words(c->gdb[i].bt);
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
	free_words(c->sources);
	for (size_t i = 0; i < c->ncompile; i++) {
		free(c->compile[i].output);
		free_words(c->compile[i].sources);
	}
	free(c->compile);
	free(c->append);
	free(c->compare);
	free(c->title);
	free(c->path);
	memset(c, 0, sizeof(*c));
}
