/*
 * test_strbuf.c: unit tests for engine/strbuf.c and engine/mem.c: growable
 * strings and lists, str_to_int, tail_lines, the x* string makers.
 */
#include "mem.h"
#include "strbuf.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

TEST(sb_grows_and_stays_terminated)
{
	struct sb s;
	char big[300];

	sb_init(&s);
	CHECK_STREQ(s.buf, "");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sb_puts(&s, "ab");
	sb_add(&s, "cdef", 2);
	CHECK_STREQ(s.buf, "abcd");
	CHECK(s.len == 4);
	sb_printf(&s, "<%s>", big);     /* past the first 64 bytes: vsnprintf twice */
	CHECK(s.len == 4 + 2 + 299);
	CHECK(s.buf[s.len] == '\0');
	CHECK(s.buf[s.len - 1] == '>');
	CHECK(!strncmp(s.buf, "abcd<xxx", 8));
	sb_reset(&s);
	CHECK_STREQ(s.buf, "");
	CHECK(s.len == 0);
	sb_printf(&s, "%d-%s", 42, "y");
	CHECK_STREQ(s.buf, "42-y");
	sb_release(&s);
	CHECK(!s.buf && s.len == 0 && s.cap == 0);
}

TEST(sb_add_keeps_nul_bytes)
{
	struct sb s;

	sb_init(&s);
	sb_add(&s, "a\0b", 3);
	CHECK(s.len == 3);
	CHECK(!memcmp(s.buf, "a\0b", 4));
	sb_release(&s);
}

TEST(sb_detach_hands_out_the_buffer)
{
	struct sb s;
	char *p;

	sb_init(&s);
	sb_puts(&s, "kept");
	p = sb_detach(&s);
	CHECK_STREQ(p, "kept");
	CHECK(!s.buf && s.len == 0);
	free(p);
	sb_init(&s);      /* usable again after sb_init */
	sb_puts(&s, "again");
	CHECK_STREQ(s.buf, "again");
	sb_release(&s);
}

TEST(strv_is_an_argv)
{
	struct strv a = {0};
	char word[] = "copied";

	for (int i = 0; i < 20; i++)
		strv_pushf(&a, "arg%d", i);
	strv_push(&a, word);
	word[0] = 'X';            /* the list holds its own copy */
	CHECK(a.n == 21);
	CHECK_STREQ(a.v[0], "arg0");
	CHECK_STREQ(a.v[19], "arg19");
	CHECK_STREQ(a.v[20], "copied");
	CHECK(a.v[21] == NULL);
	strv_release(&a);
	CHECK(!a.v && a.n == 0 && a.cap == 0);
	strv_push(&a, "one");     /* usable again */
	CHECK(a.n == 1 && a.v[1] == NULL);
	strv_release(&a);
}

TEST(str_to_int_takes_whole_numbers_in_range)
{
	int v = 7;

	CHECK(str_to_int("0", 0, 10, &v) == 0 && v == 0);
	CHECK(str_to_int("10", 0, 10, &v) == 0 && v == 10);
	CHECK(str_to_int("-5", -10, 10, &v) == 0 && v == -5);
	v = 7;
	CHECK(str_to_int("11", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("-11", -10, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("+3", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int(" 3", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("3 ", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("3x", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("", 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("-", -10, 10, &v) == -1 && v == 7);
	CHECK(str_to_int(NULL, 0, 10, &v) == -1 && v == 7);
	CHECK(str_to_int("99999999999999999999", 0, 2147483647, &v) == -1 && v == 7);
	CHECK(str_to_int("2147483647", 0, 2147483647, &v) == 0 && v == 2147483647);
}

TEST(tail_lines_takes_the_last_lines)
{
	char *t;
	const char *text = "one\ntwo\nthree\n";

	t = tail_lines(text, strlen(text), 2);
	CHECK_STREQ(t, "two\nthree\n");
	free(t);
	t = tail_lines(text, strlen(text), 1);
	CHECK_STREQ(t, "three\n");
	free(t);
	t = tail_lines(text, strlen(text), 3);
	CHECK_STREQ(t, "one\ntwo\nthree\n");
	free(t);
	t = tail_lines(text, strlen(text), 10);       /* fewer lines: all of them */
	CHECK_STREQ(t, "one\ntwo\nthree\n");
	free(t);
	t = tail_lines("a\nb", 3, 1);                  /* no final newline */
	CHECK_STREQ(t, "b");
	free(t);
	t = tail_lines("", 0, 3);
	CHECK_STREQ(t, "");
	free(t);
	t = tail_lines(text, strlen(text), 0);         /* n < 1: the whole text */
	CHECK_STREQ(t, text);
	free(t);
}

TEST(x_string_makers)
{
	char *p = xasprintf("%s=%d", "n", 5);
	CHECK_STREQ(p, "n=5");
	free(p);
	p = xstrndup("abcdef", 3);
	CHECK_STREQ(p, "abc");
	free(p);
	p = xstrdup("");
	CHECK_STREQ(p, "");
	free(p);
	p = xmalloc(0);           /* a pointer the caller may free */
	CHECK(p != NULL);
	free(p);
	int *z = xcalloc(4, sizeof(int));
	CHECK(z[0] == 0 && z[3] == 0);
	z = xrealloc(z, 100 * sizeof(int));
	CHECK(z[3] == 0);
	free(z);
}

int
main(void)
{
	RUN(sb_grows_and_stays_terminated);
	RUN(sb_add_keeps_nul_bytes);
	RUN(sb_detach_hands_out_the_buffer);
	RUN(strv_is_an_argv);
	RUN(str_to_int_takes_whole_numbers_in_range);
	RUN(tail_lines_takes_the_last_lines);
	RUN(x_string_makers);
	return unit_summary();
}
