/* Unit tests of engine/options.c: the one option parser. */
#include <stddef.h>
#include <stdlib.h>

#include "options.h"
#include "unit.h"

struct vals {
	const char *stage, *dir, *kconfig, *extra;
	int json, yes, timeout;
	struct strv many;
};

#define V(field) offsetof(struct vals, field)

static const struct option table[] = {
	OPT_WORD("stage", V(stage), "STAGE", 0, "the stage"),
	OPT_STRING("dir", 0, V(dir), "PATH", "check PATH"),
	OPT_CHOICE("kernel", 0, V(kconfig), "lab|defconfig", "boot this kernel"),
	OPT_INT("timeout", 0, V(timeout), "S", 1, 600, "seconds"),
	OPT_FLAG("json", 0, V(json), "one JSON object"),
	OPT_FLAG("yes", 'y', V(yes), "do not ask"),
	OPT_END,
};

static const struct option two_words[] = {
	OPT_WORD("action", V(stage), "build|menuconfig", OPTION_REQUIRED | OPTION_ONE_OF, "what"),
	OPT_WORD("configuration", V(extra), "lab|defconfig", OPTION_ONE_OF, "which"),
	OPT_FLAG("json", 0, V(json), "json"),
	{OPTION_FLAG, "no-colour", 0, V(yes), NULL, 0, 0, OPTION_HIDDEN, "hidden"},
	OPT_END,
};

static const struct option many_words[] = {
	OPT_WORD("stage", V(many), "STAGE", OPTION_MANY, "stages"),
	OPT_CHOICE("kernel", 0, V(kconfig), "lab|defconfig", "boot this kernel"),
	OPT_END,
};

static char err[256];

/* Parse a NULL-terminated list of words (the command's name first). */
static enum options_result
parse(const struct option *opts, struct vals *v, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(v, 0, sizeof(*v));
	err[0] = '\0';
	return options_parse(opts, argc, argv, v, err, sizeof(err));
}

#define ARGS(...) ((char *[]){"cmd", __VA_ARGS__, NULL})

TEST(flags)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--json", "-y")) == OPTIONS_OK);
	CHECK(v.json == 1 && v.yes == 1);
	CHECK(parse(table, &v, ARGS("--yes")) == OPTIONS_OK);
	CHECK(v.yes == 1 && v.json == 0);
	CHECK(parse(table, &v, ARGS("--json=1")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--json takes no value");
}

TEST(nothing_given)
{
	struct vals v;
	char *argv[] = {"cmd", NULL};
	CHECK(parse(table, &v, argv) == OPTIONS_OK);
	CHECK(!v.stage && !v.dir && !v.json && v.timeout == 0);
	CHECK(parse(NULL, &v, argv) == OPTIONS_OK);
}

TEST(values)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--dir", "/x", "--timeout", "30", "--kernel", "lab")) ==
	      OPTIONS_OK);
	CHECK_STREQ(v.dir, "/x");
	CHECK(v.timeout == 30);
	CHECK_STREQ(v.kconfig, "lab");
	/* a value that looks like an option is still the value */
	CHECK(parse(table, &v, ARGS("--dir", "--json")) == OPTIONS_OK);
	CHECK_STREQ(v.dir, "--json");
	CHECK(v.json == 0);
	/* the last one wins */
	CHECK(parse(table, &v, ARGS("--dir", "a", "--dir", "b")) == OPTIONS_OK);
	CHECK_STREQ(v.dir, "b");
}

TEST(equals_form)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--dir=/x=y", "--timeout=5", "--kernel=defconfig")) ==
	      OPTIONS_OK);
	CHECK_STREQ(v.dir, "/x=y");
	CHECK(v.timeout == 5);
	CHECK_STREQ(v.kconfig, "defconfig");
	CHECK(parse(table, &v, ARGS("--dir=")) == OPTIONS_OK);
	CHECK_STREQ(v.dir, "");
}

TEST(unknown_option)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("01", "--bogus")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '--bogus'");
	CHECK(parse(table, &v, ARGS("--initramfs=/x")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '--initramfs'");
	CHECK(parse(table, &v, ARGS("-x")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '-x'");
	CHECK(parse(table, &v, ARGS("-yy")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '-yy'");
	/* no prefixes: --js is not --json */
	CHECK(parse(table, &v, ARGS("--js")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '--js'");
	CHECK(parse(NULL, &v, ARGS("--json")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "unknown option '--json'");
}

TEST(missing_value)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--dir")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--dir needs a value: --dir PATH");
	CHECK(parse(table, &v, ARGS("01", "--timeout")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--timeout needs a value: --timeout S");
}

TEST(bad_integer)
{
	struct vals v;
	const char *bad[] = {"abc", "0", "601", "-5", "+5", " 5", "5s", "", "99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *argv[] = {"cmd", "--timeout", (char *)bad[i], NULL};
		char want[128];
		CHECK(parse(table, &v, argv) == OPTIONS_ERROR);
		snprintf(want, sizeof(want),
			 "--timeout takes a whole number from 1 to 600, not '%s'", bad[i]);
		CHECK_STREQ(err, want);
		CHECK(v.timeout == 0);
	}
	CHECK(parse(table, &v, ARGS("--timeout=x")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--timeout takes a whole number from 1 to 600, not 'x'");
	CHECK(parse(table, &v, ARGS("--timeout", "600")) == OPTIONS_OK);
	CHECK(v.timeout == 600);
}

TEST(one_of)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--kernel", "leaner")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--kernel is lab or defconfig, not 'leaner'");
	CHECK(parse(table, &v, ARGS("--kernel=la")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "--kernel is lab or defconfig, not 'la'");
	CHECK(parse(two_words, &v, ARGS("build", "lab")) == OPTIONS_OK);
	CHECK_STREQ(v.stage, "build");
	CHECK_STREQ(v.extra, "lab");
	CHECK(parse(two_words, &v, ARGS("menuconfig")) == OPTIONS_OK);
	CHECK(!v.extra);
	CHECK(parse(two_words, &v, ARGS("build", "tiny")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "the configuration is lab or defconfig, not 'tiny'");
	CHECK(parse(two_words, &v, ARGS("install")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "the action is build or menuconfig, not 'install'");
}

TEST(words)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--json", "03")) == OPTIONS_OK);
	CHECK_STREQ(v.stage, "03");
	CHECK(v.json);
	CHECK(parse(table, &v, ARGS("-")) == OPTIONS_OK);
	CHECK_STREQ(v.stage, "-");
}

TEST(too_many_words)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("01", "02")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "stray word '02'");
	CHECK(parse(NULL, &v, ARGS("lab")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "stray word 'lab'");
	CHECK(parse(two_words, &v, ARGS("build", "lab", "now")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "stray word 'now'");
}

TEST(required_word)
{
	struct vals v;
	CHECK(parse(two_words, &v, ARGS("--json")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "missing the action (build|menuconfig)");
}

TEST(double_dash_ends_options)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("--json", "--", "--dir")) == OPTIONS_OK);
	CHECK_STREQ(v.stage, "--dir");
	CHECK(v.json && !v.dir);
	CHECK(parse(table, &v, ARGS("--", "-y", "--help")) == OPTIONS_ERROR);
	CHECK_STREQ(err, "stray word '--help'");
	CHECK(v.yes == 0);
	/* a second -- is a word */
	CHECK(parse(table, &v, ARGS("--", "--")) == OPTIONS_OK);
	CHECK_STREQ(v.stage, "--");
}

TEST(help)
{
	struct vals v;
	CHECK(parse(table, &v, ARGS("01", "--help")) == OPTIONS_HELP);
	CHECK(parse(table, &v, ARGS("-h")) == OPTIONS_HELP);
	CHECK(parse(NULL, &v, ARGS("-h")) == OPTIONS_HELP);
	/* an error before --help is still an error */
	CHECK(parse(table, &v, ARGS("--bogus", "--help")) == OPTIONS_ERROR);
}

TEST(synopsis_and_help)
{
	struct sb s;
	sb_init(&s);
	options_synopsis(&s, table);
	CHECK_STREQ(s.buf, "[STAGE] [--dir PATH] [--kernel lab|defconfig] [--timeout S] [--json] "
		    "[--yes]");
	sb_reset(&s);
	options_synopsis(&s, two_words);
	CHECK_STREQ(s.buf, "build|menuconfig [lab|defconfig] [--json]");
	sb_reset(&s);
	options_synopsis(&s, NULL);
	CHECK_STREQ(s.buf, "");
	sb_reset(&s);
	options_help(&s, table);
	CHECK_STREQ(s.buf,
		    "  STAGE                   the stage\n"
		    "  --dir PATH              check PATH\n"
		    "  --kernel lab|defconfig  boot this kernel\n"
		    "  --timeout S             seconds\n"
		    "  --json                  one JSON object\n"
		    "  --yes, -y               do not ask\n");
	sb_reset(&s);
	options_help(&s, two_words);
	CHECK(!strstr(s.buf, "no-colour"));
	CHECK_CONTAINS(s.buf, "  build|menuconfig  what\n");
	sb_release(&s);
}

TEST(many_words_take_every_word_left)
{
	struct vals v;
	CHECK(parse(many_words, &v, ARGS("07", "--kernel", "lab", "08", "--", "-9")) == OPTIONS_OK);
	CHECK(v.many.n == 3);
	CHECK_STREQ(v.many.v[0], "07");
	CHECK_STREQ(v.many.v[1], "08");
	CHECK_STREQ(v.many.v[2], "-9");
	CHECK_STREQ(v.kconfig, "lab");
	strv_release(&v.many);
	CHECK(parse(many_words, &v, ARGS("--kernel", "lab")) == OPTIONS_OK);
	CHECK(v.many.n == 0);
	struct sb s;
	sb_init(&s);
	options_synopsis(&s, many_words);
	CHECK_STREQ(s.buf, "[STAGE...] [--kernel lab|defconfig]");
	sb_release(&s);
}

int
main(void)
{
	RUN(flags);
	RUN(nothing_given);
	RUN(values);
	RUN(equals_form);
	RUN(unknown_option);
	RUN(missing_value);
	RUN(bad_integer);
	RUN(one_of);
	RUN(words);
	RUN(too_many_words);
	RUN(required_word);
	RUN(double_dash_ends_options);
	RUN(help);
	RUN(synopsis_and_help);
	RUN(many_words_take_every_word_left);
	return unit_summary();
}
