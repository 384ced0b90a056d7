/*
 * test_textclean.c: untrusted text made safe for every report (text_clean),
 * the one UTF-8 validator, and the JSON, XML and YAML escapers.
 */
#include "textclean.h"
#include "unit.h"

#include <stdlib.h>

static void
check_clean(const char *in, const char *nonce, const char *hide, int uart, const char *want,
	    const char *file, int line)
{
	char *got = text_clean(in, nonce, hide, uart);
	if (strcmp(got, want))
		unit_note(file, line, "text_clean", got, want);
	free(got);
}
#define CLEAN(in, nonce, hide, uart, want) \
	check_clean(in, nonce, hide, uart, want, __FILE__, __LINE__)
#define FFFD "\xef\xbf\xbd"

/* What an escaper writes for s, as a string (caller frees). */
static char *
escaped(void (*escape)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	escape(f, s);
	fclose(f);
	return buf;
}
#define ESCAPES(fn, in, want) \
	do { char *e_ = escaped(fn, in); CHECK_STREQ(e_, want); free(e_); } while (0)

TEST(utf8_len_takes_shortest_forms_only)
{
	CHECK(utf8_len("a") == 1);
	CHECK(utf8_len("\x01") == 1);                     /* ASCII, controls too: a policy, not UTF-8 */
	CHECK(utf8_len("\xc3\xa9") == 2);
	CHECK(utf8_len("\xe2\x9c\x93") == 3);
	CHECK(utf8_len("\xef\xbf\xbe") == 3);             /* U+FFFE is valid UTF-8 */
	CHECK(utf8_len("\xf0\x9f\x90\xa7") == 4);
	CHECK(utf8_len("\xf4\x8f\xbf\xbf") == 4);         /* U+10FFFF, the last */
	CHECK(utf8_len("\x80") == 0);                     /* a continuation byte alone */
	CHECK(utf8_len("\xc0\xaf") == 0);                 /* overlong '/' */
	CHECK(utf8_len("\xc1\xbf") == 0);
	CHECK(utf8_len("\xe0\x80\xaf") == 0);             /* overlong, three bytes */
	CHECK(utf8_len("\xf0\x80\x80\xaf") == 0);         /* overlong, four bytes */
	CHECK(utf8_len("\xed\xa0\x80") == 0);             /* a UTF-16 surrogate */
	CHECK(utf8_len("\xf4\x90\x80\x80") == 0);         /* above U+10FFFF */
	CHECK(utf8_len("\xf5\x80\x80\x80") == 0);
	CHECK(utf8_len("\xff") == 0);
	CHECK(utf8_len("\xe2\x9c") == 0);                 /* cut short by the NUL */
	CHECK(utf8_len("\xe2\x9c" "a") == 0);
}

TEST(keeps_valid_text)
{
	CLEAN("Hello world\n\tindented\n", NULL, NULL, 0, "Hello world\n\tindented\n");
	CLEAN("caf\xc3\xa9 \xe2\x80\x98quoted\xe2\x80\x99 \xf0\x9f\x90\xa7", NULL, NULL, 0,
	      "caf\xc3\xa9 \xe2\x80\x98quoted\xe2\x80\x99 \xf0\x9f\x90\xa7");
	CLEAN("", NULL, NULL, 1, "");
	CLEAN(NULL, NULL, NULL, 0, "");
}

TEST(replaces_what_xml_and_json_cannot_hold)
{
	CLEAN("line\r\n", NULL, NULL, 0, "line\n");                      /* a serial line's end */
	CLEAN("a\033[31mred\033[0m\x01\x7f", NULL, NULL, 0, "a" FFFD "[31mred" FFFD "[0m" FFFD FFFD);
	CLEAN("bad \xff\xfe bytes", NULL, NULL, 0, "bad " FFFD FFFD " bytes");
	CLEAN("cut \xc3", NULL, NULL, 0, "cut " FFFD);                   /* a sequence cut short */
	CLEAN("\xe0\x80\xaf", NULL, NULL, 0, FFFD FFFD FFFD);            /* an overlong '/' */
	CLEAN("\xed\xa0\x80", NULL, NULL, 0, FFFD FFFD FFFD);            /* a surrogate */
	CLEAN("\xf4\x90\x80\x80", NULL, NULL, 0, FFFD FFFD FFFD FFFD);   /* above U+10FFFF */
	/* Valid UTF-8 but refused: one U+FFFD a character. */
	CLEAN("\xef\xbf\xbe\xef\xbf\xbf", NULL, NULL, 0, FFFD FFFD);
	CLEAN("\xef\xbf\xbd kept", NULL, NULL, 0, FFFD " kept");         /* U+FFFD itself is fine */
}

TEST(hides_the_nonce_and_the_run_folder)
{
	CLEAN("lsh> mkdir d1a2b3c4d\nd1a2b3c4d\n", "1a2b3c4d", NULL, 0, "lsh> mkdir d{nonce}\nd{nonce}\n");
	CLEAN("the transcript is /x/build/grade/1/01.ab/gdb.log", NULL, "/x/build/grade/1/01.ab", 0,
	      "the transcript is <run>/gdb.log");
	CLEAN("no nonce here", "", NULL, 0, "no nonce here");
	CLEAN("1a2b3c4d in /r/x", "1a2b3c4d", "/r", 1, "{nonce} in <run>/x");
	/* A nonce cut by a bad byte is not the nonce. */
	CLEAN("1a2b\xff" "3c4d", "1a2b3c4d", NULL, 0, "1a2b" FFFD "3c4d");
}

TEST(drops_printk_time_stamps_of_uart_lines)
{
	CLEAN("[    0.057821] Run /init as init process\n[12345.000001] x\nHello [1.5] world\n",
	      NULL, NULL, 1, "Run /init as init process\nx\nHello [1.5] world\n");
	CLEAN("[    0.057821] kept when not UART", NULL, NULL, 0, "[    0.057821] kept when not UART");
	CLEAN("[ 1.] no\n[x] no\n[1.2]\n", NULL, NULL, 1, "[ 1.] no\n[x] no\n\n");
	/* Only at the start of a line, and only one stamp per line. */
	CLEAN("a [    0.1] b\n[0.1] [0.2] c\n", NULL, NULL, 1, "a [    0.1] b\n[0.2] c\n");
}

TEST(json_string_is_valid_json_whatever_the_bytes)
{
	ESCAPES(json_string, "a\"b\\c\nd\te\x01", "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	ESCAPES(json_string, "caf\xc3\xa9 \xe2\x9c\x93", "\"caf\xc3\xa9 \xe2\x9c\x93\"");
	/* invalid bytes, a cut sequence, an overlong form: each byte one \ufffd */
	ESCAPES(json_string, "bad \xff\xfe x \xc3 y \xc0\xaf",
		"\"bad \\ufffd\\ufffd x \\ufffd y \\ufffd\\ufffd\"");
	ESCAPES(json_string, "\xed\xa0\x80.\xe0\x80\x80.\xf5\x80",
		"\"\\ufffd\\ufffd\\ufffd.\\ufffd\\ufffd\\ufffd.\\ufffd\\ufffd\"");
	ESCAPES(json_string, "\x7f\x1b", "\"\\u007f\\u001b\"");
	ESCAPES(json_string, NULL, "\"\"");
	ESCAPES(json_string, "", "\"\"");
}

TEST(xml_and_yaml_escape_their_syntax)
{
	ESCAPES(xml_attr, "a<b>&\"c'\n\td", "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;d");
	ESCAPES(xml_text, "</failure>\n<x a='1'>\t", "&lt;/failure&gt;\n&lt;x a=&apos;1&apos;&gt;&#9;");
	ESCAPES(xml_text, "caf\xc3\xa9", "caf\xc3\xa9");
	ESCAPES(yaml_string, "say \"hi\" \\ now\n\tok: yes # no",
		"\"say \\\"hi\\\" \\\\ now\\n\\tok: yes # no\"");
	ESCAPES(yaml_string, "", "\"\"");
}

TEST(replaces_what_changes_how_text_reads)
{
	/* C1 controls: U+0085 (NEL), U+009B (CSI); U+00A0 stays. */
	CLEAN("a\xc2\x85" "b\xc2\x9b" "c\xc2\xa0", NULL, NULL, 0, "a" FFFD "b" FFFD "c\xc2\xa0");
	/* Bidi: U+202E (RLO), U+2066 (LRI), U+200F (RLM), U+061C (ALM). */
	CLEAN("x\xe2\x80\xaey\xe2\x81\xa6z\xe2\x80\x8fw\xd8\x9c", NULL, NULL, 0,
	      "x" FFFD "y" FFFD "z" FFFD "w" FFFD);
	/* U+2028, U+2029; U+2014 (an em dash) and U+2030 stay. */
	CLEAN("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\x94\xe2\x80\xb0", NULL, NULL, 0,
	      "a" FFFD "b" FFFD "c\xe2\x80\x94\xe2\x80\xb0");
}

TEST(a_name_stays_on_one_line)
{
	char *got = text_clean_line("evil\033[31m\n\xc2\x85\xe2\x80\xaename\t\r!");
	CHECK_STREQ(got, "evil" FFFD "[31m" FFFD FFFD FFFD "name" FFFD FFFD "!");
	free(got);
	got = text_clean_line(NULL);
	CHECK_STREQ(got, "");
	free(got);
}

int
main(void)
{
	RUN(utf8_len_takes_shortest_forms_only);
	RUN(keeps_valid_text);
	RUN(replaces_what_xml_and_json_cannot_hold);
	RUN(hides_the_nonce_and_the_run_folder);
	RUN(drops_printk_time_stamps_of_uart_lines);
	RUN(json_string_is_valid_json_whatever_the_bytes);
	RUN(xml_and_yaml_escape_their_syntax);
	RUN(replaces_what_changes_how_text_reads);
	RUN(a_name_stays_on_one_line);
	return unit_summary();
}
