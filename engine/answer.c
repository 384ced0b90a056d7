/*
 * answer.c: see answer.h.
 *
 * The two slips a learner makes most, each named in its own words: the
 * line copied with the boot's time stamp (which changes from boot to boot,
 * so the whole never appears in another boot's log), and a value copied
 * short of what the log writes around it (`10000000` for `0x10000000`):
 * the log's own spelling, when one of its words holds the value and the
 * answer's pattern takes it, is what to write.
 */
#include "answer.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Is value in text as a whole word (not inside a longer word or number)? */
static int
word_in(const char *text, size_t len, const char *value)
{
	size_t n = strlen(value);
	const char *p = text, *end = text + len;

	while (n && (p = memmem(p, (size_t)(end - p), value, n))) {
		int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_');
		if (!before && !after)
			return 1;
		p++;
	}
	return 0;
}

/* The length of a time stamp "[    0.056683] " at the start of value, or 0. */
static size_t
stamp_len(const char *value)
{
	const char *p = value;

	if (*p++ != '[')
		return 0;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	if (*p++ != ']')
		return 0;
	while (*p == ' ')
		p++;
	return (size_t)(p - value);
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A word of the log that holds value and that re takes (a new string), or NULL. */
static char *
log_spelling(const char *text, size_t len, const char *value, const struct pattern *re)
{
	size_t n = strlen(value);
	const char *p = text, *end = text + len;

	while (n && (p = memmem(p, (size_t)(end - p), value, n))) {
		const char *b = p, *e = p + n;
		while (b > text && !is_blank(b[-1]))
			b--;
		while (e < end && !is_blank(*e))
			e++;
		/* Punctuation around the word is the sentence's, not the value's. */
		while (b < p && strchr("([\"'", *b))
			b++;
		while (e > p + n && strchr(".,;:)]\"'", e[-1]))
			e--;
		char *word = xstrndup(b, (size_t)(e - b));
		size_t s, f;
		if (strcmp(word, value) && pattern_find(re, word, 0, &s, &f) && s == 0 &&
		    f == strlen(word))
			return word;
		free(word);
		p++;
	}
	return NULL;
}

char *
answer_problem(const char *uart, size_t len, const char *value, const struct pattern *re)
{
	size_t s, e, stamp = stamp_len(value);
	char *word;

	if (stamp && value[stamp])
		return xasprintf("'%s' starts with the boot's time stamp, '%.*s', which changes "
				 "from one boot to the next: leave it out and start at '%s'", value,
				 (int)(strchr(value, ']') - value + 1), value, value + stamp);
	if (!word_in(uart, len, value))
		return xasprintf("'%s' does not appear in this boot's output: copy it exactly", value);
	if (!re || pattern_find(re, value, 0, &s, &e))
		return NULL;
	word = log_spelling(uart, len, value, re);
	if (word) {
		char *d = xasprintf("'%s' is in the output, but the log writes it '%s': write "
				    "it as the log does", value, word);
		free(word);
		return d;
	}
	return xasprintf("'%s' is in the output, but is not the part asked for", value);
}
