/*
 * pattern.c: implements pattern.h: literal and /regex/ patterns, and the
 * guard that keeps catastrophic regular expressions from regcomp().
 */
#include "pattern.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *
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

int
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

void
pattern_release(struct pattern *p)
{
	if (p->is_regex)
		regfree(&p->re);
	free(p->text);
	free(p->why);
	p->text = p->why = NULL;
}

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
