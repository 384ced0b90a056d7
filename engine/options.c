/*
 * options.c: implements options.h, the one option parser.
 *
 * A row is looked up by the spelling typed (--name, --name=VALUE, or the
 * one-letter alias), its value checked the way its kind says, then
 * stored at its offset. Every message quotes what was typed, so the
 * caller only has to add the command's usage line.
 */
#include "options.h"

#include <stdio.h>
#include <string.h>

static const struct option *
find_long(const struct option *opts, const char *name, size_t len)
{
	for (const struct option *o = opts; o && o->kind != OPTION_END; o++)
		if (o->kind != OPTION_WORD && strlen(o->name) == len &&
		    !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static const struct option *
find_alias(const struct option *opts, char alias)
{
	for (const struct option *o = opts; o && o->kind != OPTION_END; o++)
		if (o->kind != OPTION_WORD && o->alias && o->alias == alias)
			return o;
	return NULL;
}

/* The n-th word row (from 0); past the last, that row if it takes many
 * words; else NULL. */
static const struct option *
word_row(const struct option *opts, int n)
{
	const struct option *last = NULL;

	for (const struct option *o = opts; o && o->kind != OPTION_END; o++)
		if (o->kind == OPTION_WORD) {
			if (n-- == 0)
				return o;
			last = o;
		}
	return last && (last->flags & OPTION_MANY) ? last : NULL;
}

/* Is value one of the '|'-separated words of choices? */
static int
one_of(const char *choices, const char *value)
{
	size_t n = strlen(value);

	for (const char *p = choices; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL) {
		size_t k = strcspn(p, "|");
		if (k == n && !strncmp(p, value, n))
			return 1;
	}
	return 0;
}

/* "lab|defconfig" as "lab or defconfig"; "a|b|c" as "a, b or c". */
static void
say_choices(struct sb *out, const char *choices)
{
	for (const char *p = choices; *p; ) {
		size_t k = strcspn(p, "|");
		sb_add(out, p, k);
		p += k;
		if (!*p)
			break;
		p++;
		sb_puts(out, strchr(p, '|') ? ", " : " or ");
	}
}

/*
 * Check value by the row's kind and store it. what is how a message
 * names the row: "--kernel" (as typed) or "the configuration" (a word).
 * Returns 0, or -1 with err filled.
 */
static int
store(const struct option *o, const char *what, const char *value, void *values,
      char *err, size_t errlen)
{
	void *slot = (char *)values + o->to;

	if (o->kind == OPTION_INT) {
		int v;
		if (str_to_int(value, o->lo, o->hi, &v) < 0) {
			snprintf(err, errlen, "%s takes a whole number from %d to %d, not '%s'",
				 what, o->lo, o->hi, value);
			return -1;
		}
		*(int *)slot = v;
		return 0;
	}
	if ((o->flags & OPTION_ONE_OF) && !one_of(o->arg, value)) {
		struct sb s;
		sb_init(&s);
		say_choices(&s, o->arg);
		snprintf(err, errlen, "%s is %s, not '%s'", what, s.buf, value);
		sb_release(&s);
		return -1;
	}
	if (o->flags & OPTION_MANY)
		strv_push((struct strv *)slot, value);
	else
		*(const char **)slot = value;
	return 0;
}

enum options_result
options_parse(const struct option *opts, int argc, char **argv, void *values,
	      char *err, size_t errlen)
{
	int words = 0, options_end = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options_end || a[0] != '-' || !a[1]) {
			const struct option *w = word_row(opts, words);
			char what[80];
			if (!w) {
				snprintf(err, errlen, "stray word '%s'", a);
				return OPTIONS_ERROR;
			}
			snprintf(what, sizeof(what), "the %s", w->name);
			if (store(w, what, a, values, err, errlen) < 0)
				return OPTIONS_ERROR;
			words++;
			continue;
		}
		if (!strcmp(a, "--")) {
			options_end = 1;
			continue;
		}

		/* An option: its spelling is what comes before any '='. */
		const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
		int len = eq ? (int)(eq - a) : (int)strlen(a);
		const struct option *o = a[1] == '-' ? find_long(opts, a + 2, (size_t)len - 2)
			: !a[2] ? find_alias(opts, a[1]) : NULL;
		if (!o) {
			if (!strcmp(a, "--help") || !strcmp(a, "-h"))
				return OPTIONS_HELP;
			snprintf(err, errlen, "unknown option '%.*s'", len, a);
			return OPTIONS_ERROR;
		}
		if (o->kind == OPTION_FLAG) {
			if (eq) {
				snprintf(err, errlen, "%.*s takes no value", len, a);
				return OPTIONS_ERROR;
			}
			*(int *)((char *)values + o->to) = 1;
			continue;
		}
		const char *value = eq ? eq + 1 : NULL;
		if (!value) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value: %s %s", a, a, o->arg);
				return OPTIONS_ERROR;
			}
			value = argv[++i];
		}
		char what[80];
		snprintf(what, sizeof(what), "%.*s", len, a);
		if (store(o, what, value, values, err, errlen) < 0)
			return OPTIONS_ERROR;
	}

	const struct option *w = word_row(opts, words);
	if (w && (w->flags & OPTION_REQUIRED)) {
		snprintf(err, errlen, "missing the %s (%s)", w->name, w->arg);
		return OPTIONS_ERROR;
	}
	return OPTIONS_OK;
}

void
options_synopsis(struct sb *out, const struct option *opts)
{
	size_t start = out->len;

	for (const struct option *o = opts; o && o->kind != OPTION_END; o++) {
		if (o->flags & OPTION_HIDDEN)
			continue;
		const char *sep = out->len > start ? " " : "";
		if (o->kind == OPTION_WORD)
			sb_printf(out, o->flags & OPTION_REQUIRED ? "%s%s%s" : "%s[%s%s]", sep, o->arg,
				  o->flags & OPTION_MANY ? "..." : "");
		else if (o->kind == OPTION_FLAG)
			sb_printf(out, "%s[--%s]", sep, o->name);
		else
			sb_printf(out, "%s[--%s %s]", sep, o->name, o->arg);
	}
}

/* A row's left column in the help: "STAGE", "--yes, -y", "--dir PATH". */
static void
help_left(struct sb *out, const struct option *o)
{
	if (o->kind == OPTION_WORD) {
		sb_puts(out, o->arg);
		return;
	}
	sb_printf(out, "--%s", o->name);
	if (o->kind != OPTION_FLAG)
		sb_printf(out, " %s", o->arg);
	if (o->alias)
		sb_printf(out, ", -%c", o->alias);
}

void
options_help(struct sb *out, const struct option *opts)
{
	enum { WIDEST = 24 };   /* a longer left column puts its help on the next line */
	size_t width = 0;
	struct sb left;

	sb_init(&left);
	for (const struct option *o = opts; o && o->kind != OPTION_END; o++) {
		if (o->flags & OPTION_HIDDEN)
			continue;
		sb_reset(&left);
		help_left(&left, o);
		if (left.len > width && left.len <= WIDEST)
			width = left.len;
	}
	for (const struct option *o = opts; o && o->kind != OPTION_END; o++) {
		if (o->flags & OPTION_HIDDEN)
			continue;
		sb_reset(&left);
		help_left(&left, o);
		if (left.len > width)
			sb_printf(out, "  %s\n  %*s  %s\n", left.buf, (int)width, "", o->help);
		else
			sb_printf(out, "  %-*s  %s\n", (int)width, left.buf, o->help);
	}
	sb_release(&left);
}
