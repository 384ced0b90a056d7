/*
 * test_grade.c: what `grade` makes of untrusted text before a report
 * shows it (grade_clean).
 */
#include "grade.h"
#include "unit.h"

#include <stdlib.h>

static void
check_clean(const char *in, const char *nonce, const char *hide, int uart, const char *want,
	    const char *file, int line)
{
	char *got = grade_clean(in, nonce, hide, uart);
	if (strcmp(got, want))
		unit_note(file, line, "grade_clean", got, want);
	free(got);
}
#define CLEAN(in, nonce, hide, uart, want) check_clean(in, nonce, hide, uart, want, __FILE__, __LINE__)
#define FFFD "\xef\xbf\xbd"

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
	CLEAN("\xef\xbf\xbe\xef\xbf\xbf", NULL, NULL, 0, FFFD FFFD FFFD FFFD FFFD FFFD);
}

TEST(hides_the_nonce_and_the_run_folder)
{
	CLEAN("lsh> mkdir d1a2b3c4d\nd1a2b3c4d\n", "1a2b3c4d", NULL, 0, "lsh> mkdir d{nonce}\nd{nonce}\n");
	CLEAN("the transcript is /x/build/grade/1/01.ab/gdb.log", NULL, "/x/build/grade/1/01.ab", 0,
	      "the transcript is <run>/gdb.log");
	CLEAN("no nonce here", "", NULL, 0, "no nonce here");
}

TEST(drops_printk_time_stamps_of_uart_lines)
{
	CLEAN("[    0.057821] Run /init as init process\n[12345.000001] x\nHello [1.5] world\n",
	      NULL, NULL, 1, "Run /init as init process\nx\nHello [1.5] world\n");
	CLEAN("[    0.057821] kept when not UART", NULL, NULL, 0, "[    0.057821] kept when not UART");
	CLEAN("[ 1.] no\n[x] no\n[1.2]\n", NULL, NULL, 1, "[ 1.] no\n[x] no\n\n");
}

int
main(void)
{
	RUN(keeps_valid_text);
	RUN(replaces_what_xml_and_json_cannot_hold);
	RUN(hides_the_nonce_and_the_run_folder);
	RUN(drops_printk_time_stamps_of_uart_lines);
	return unit_summary();
}
