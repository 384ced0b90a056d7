/*
 * test_pattern.c: literal and /regex/ patterns, and the guard that refuses
 * regular expressions regcomp() cannot compile in reasonable time.
 */
#include "pattern.h"
#include "unit.h"

#include <stdlib.h>

TEST(literal_finds_from_a_column)
{
	struct pattern p;
	char err[256] = "";
	size_t s, e;

	CHECK(pattern_init(&p, "ab", err, sizeof err) == 0);
	CHECK(!p.is_regex);
	CHECK_STREQ(p.text, "ab");
	CHECK(pattern_find(&p, "xxabyab", 0, &s, &e) == 1);
	CHECK(s == 2 && e == 4);
	CHECK(pattern_find(&p, "xxabyab", 3, &s, &e) == 1);
	CHECK(s == 5 && e == 7);
	CHECK(pattern_find(&p, "xxabyab", 6, &s, &e) == 0);
	pattern_release(&p);
	CHECK(p.text == NULL && p.why == NULL);

	/* One slash, or slashes not at both ends: a literal. */
	CHECK(pattern_init(&p, "/init", err, sizeof err) == 0);
	CHECK(!p.is_regex);
	CHECK(pattern_find(&p, "Run /init as init process", 0, &s, &e) == 1 && s == 4);
	pattern_release(&p);
	CHECK(pattern_init(&p, "/", err, sizeof err) == 0);
	CHECK(!p.is_regex);
	pattern_release(&p);
}

TEST(regex_finds_and_anchors)
{
	struct pattern p;
	char err[256] = "";
	size_t s, e;

	CHECK(pattern_init(&p, "/^b[a-z]n$/", err, sizeof err) == 0);
	CHECK(p.is_regex);
	CHECK_STREQ(p.text, "^b[a-z]n$");
	CHECK(pattern_find(&p, "bin", 0, &s, &e) == 1 && s == 0 && e == 3);
	CHECK(pattern_find(&p, "xbin", 0, &s, &e) == 0);
	/* Past column 0, ^ is not the start of the line any more. */
	CHECK(pattern_find(&p, "bin", 1, &s, &e) == 0);
	pattern_release(&p);

	CHECK(pattern_init(&p, "/tick [0-9]+/", err, sizeof err) == 0);
	CHECK(pattern_find(&p, "tick 1 tick 22", 1, &s, &e) == 1);
	CHECK(s == 7 && e == 14);
	pattern_release(&p);
}

TEST(errors_say_what_is_wrong)
{
	struct pattern p;
	char err[256];

	CHECK(pattern_init(&p, "", err, sizeof err) < 0);
	CHECK_STREQ(err, "empty pattern");
	CHECK(pattern_init(&p, "//", err, sizeof err) < 0);
	CHECK_STREQ(err, "empty pattern");
	CHECK(pattern_init(&p, "/a(/", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "bad regular expression /a(/: ");
	CHECK(p.text == NULL && !p.is_regex);
	/* Not an interval to the guard, and not one to regcomp either. */
	CHECK(regex_refused("x{") == NULL);
	CHECK(pattern_init(&p, "/x{/", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "bad regular expression /x{/");
	CHECK(pattern_init(&p, "/a**/", err, sizeof err) < 0);
	CHECK_CONTAINS(err, "regular expression /a**/ repeats a part that can match nothing");
	CHECK_CONTAINS(err, "; simplify it");
	CHECK(p.text == NULL);
}

TEST(guard_refuses_what_regcomp_cannot_do)
{
	/* Repetitions of repetitions multiply copies. */
	CHECK(regex_refused("a++++++++++++++++++++++++++++++") != NULL);
	CHECK_CONTAINS(regex_refused("(((((((((a{1,9}){1,9}){1,9}){1,9}){1,9}){1,9}){1,9}){1,9}){1,9})"),
		       "more than 10000 parts");
	CHECK(regex_refused("(a{1,99}){1,99}") == NULL);      /* 9801 copies */
	CHECK(regex_refused("(a{1,99}){1,102}") != NULL);     /* 10098 */
	/* Parts that can match nothing, repeated. */
	CHECK(regex_refused("()*") != NULL);
	CHECK(regex_refused("(a*)+") != NULL);
	CHECK(regex_refused("(a|)*") != NULL);
	CHECK(regex_refused("^*") != NULL);
	CHECK(regex_refused("x\\b+") != NULL);
	CHECK(regex_refused("(()*)?(()*)?(()*)?") != NULL);
	/* Groups nested too deep. */
	char deep[80];
	memset(deep, '(', 33);
	deep[33] = 'a';
	memset(deep + 34, ')', 33);
	deep[67] = '\0';
	CHECK_CONTAINS(regex_refused(deep), "nests groups more than 32 deep");
	deep[0] = 'x';   /* 32 deep: fine */
	deep[66] = '\0';
	CHECK(regex_refused(deep) == NULL);
}

TEST(guard_accepts_what_checks_use)
{
	const char *ok[] = {
		"(a*)?", "^b[a-z]n$", "[]a]*", "[^]a]+", "[[:alpha:]]+x*", "a{1,9}", "a{2}",
		"a{3,}", "a{,2}", "^(Kernel: )?VFS: x y", "init! [0-9]+", "a)*",
		"(ab|cd)+e?", "\\.+", "^0x[0-9a-f]+$",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct pattern p;
		char err[256] = "";
		char *v = malloc(strlen(ok[i]) + 3);
		sprintf(v, "/%s/", ok[i]);
		CHECK(regex_refused(ok[i]) == NULL);
		CHECK(pattern_init(&p, v, err, sizeof err) == 0);
		CHECK_STREQ(err, "");
		if (p.text)
			pattern_release(&p);
		free(v);
	}
}

int
main(void)
{
	RUN(literal_finds_from_a_column);
	RUN(regex_finds_and_anchors);
	RUN(errors_say_what_is_wrong);
	RUN(guard_refuses_what_regcomp_cannot_do);
	RUN(guard_accepts_what_checks_use);
	return unit_summary();
}
