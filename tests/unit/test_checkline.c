/*
 * test_checkline.c: the lexical rules of a check file: lines, directive
 * and value, quotes and {nonce}, words.
 */
#include "checkline.h"
#include "unit.h"

#include <stdlib.h>

TEST(cuts_text_into_lines)
{
	const char *text = "a\n\nb c\r\nlast";
	char *l;

	l = checkline_next(&text);
	CHECK_STREQ(l, "a");
	free(l);
	l = checkline_next(&text);
	CHECK_STREQ(l, "");
	free(l);
	l = checkline_next(&text);
	CHECK_STREQ(l, "b c\r");
	free(l);
	l = checkline_next(&text);
	CHECK_STREQ(l, "last");
	free(l);
	CHECK(checkline_next(&text) == NULL);
	CHECK(checkline_next(&text) == NULL);
	text = "";
	CHECK(checkline_next(&text) == NULL);
}

TEST(cuts_a_line_into_directive_and_value)
{
	char l1[] = "  expect \t hello world  ", l2[] = "# expect x", l3[] = "   ",
	     l4[] = "\r", l5[] = "title\r", l6[] = "exit";
	char *v = NULL;

	CHECK_STREQ(checkline_split(l1, &v), "expect");
	CHECK_STREQ(v, "hello world  ");   /* trailing blanks go with the value */
	CHECK(checkline_split(l2, &v) == NULL);
	CHECK(checkline_split(l3, &v) == NULL);
	CHECK(checkline_split(l4, &v) == NULL);
	CHECK_STREQ(checkline_split(l5, &v), "title");
	CHECK_STREQ(v, "");
	CHECK_STREQ(checkline_split(l6, &v), "exit");
	CHECK_STREQ(v, "");
}

static char *
value(const char *raw, int keep_quotes, char *err, size_t errlen)
{
	struct sb out;
	sb_init(&out);
	if (checkline_value(raw, keep_quotes, "1a2b3c4d", &out, err, errlen) < 0) {
		sb_release(&out);
		return NULL;
	}
	return sb_detach(&out);
}

TEST(unquotes_and_replaces_the_nonce)
{
	char err[128] = "", *v;

	v = value("The kernel alone \t\r", 0, err, sizeof err);
	CHECK_STREQ(v, "The kernel alone");
	free(v);
	v = value("\"The kernel alone\"", 0, err, sizeof err);
	CHECK_STREQ(v, "The kernel alone");
	free(v);
	v = value("\"  a \\\"b\\\" \\\\ \\n\\t\\r {nonce}\"", 0, err, sizeof err);
	CHECK_STREQ(v, "  a \"b\" \\ \n\t\r 1a2b3c4d");
	free(v);
	v = value("\"a\\\"", 0, err, sizeof err);   /* a backslash before the end: itself */
	CHECK_STREQ(v, "a\\");
	free(v);
	v = value("x={nonce}{nonce}", 0, err, sizeof err);
	CHECK_STREQ(v, "x=1a2b3c4d1a2b3c4d");
	free(v);
	v = value("\"\"", 0, err, sizeof err);
	CHECK_STREQ(v, "");
	free(v);
	/* keep_quotes: trimmed, quotes kept, the nonce still replaced. */
	v = value("f \"a key\" /{nonce}/  ", 1, err, sizeof err);
	CHECK_STREQ(v, "f \"a key\" /1a2b3c4d/");
	free(v);
	CHECK_STREQ(err, "");

	CHECK(value("\"abc", 0, err, sizeof err) == NULL);
	CHECK_STREQ(err, "a quoted value must end with \"");
	CHECK(value("\"", 0, err, sizeof err) == NULL);
}

TEST(splits_words)
{
	size_t n;
	char **w = checkline_words("  init:  init.c\tlib.c ", &n);
	CHECK(n == 3);
	CHECK_STREQ(w[0], "init:");
	CHECK_STREQ(w[2], "lib.c");
	CHECK(w[3] == NULL);
	checkline_words_free(w);
	w = checkline_words(" \t", &n);
	CHECK(n == 0 && w && w[0] == NULL);
	checkline_words_free(w);
	checkline_words_free(NULL);
}

int
main(void)
{
	RUN(cuts_text_into_lines);
	RUN(cuts_a_line_into_directive_and_value);
	RUN(unquotes_and_replaces_the_nonce);
	RUN(splits_words);
	return unit_summary();
}
