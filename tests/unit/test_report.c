/*
 * test_report.c: the JSON record is valid JSON whatever the guest printed.
 */
#include "report.h"
#include "unit.h"

#include <stdlib.h>

static char *
json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_string(f, s);
	fclose(f);
	return buf;
}

TEST(escapes_and_utf8)
{
	char *j = json_of("a\"b\\c\nd\te\x01");
	CHECK_STREQ(j, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	free(j);
	j = json_of("caf\xc3\xa9 \xe2\x9c\x93");          /* valid UTF-8 stays */
	CHECK_STREQ(j, "\"caf\xc3\xa9 \xe2\x9c\x93\"");
	free(j);
	j = json_of("bad \xff\xfe x \xc3 y \xc0\xaf");     /* invalid bytes, a cut sequence, overlong */
	CHECK_STREQ(j, "\"bad \\ufffd\\ufffd x \\ufffd y \\ufffd\\ufffd\"");
	free(j);
	j = json_of("\xed\xa0\x80.\xe0\x80\x80.\xf5\x80");  /* a surrogate, overlong, too high */
	CHECK(strstr(j, "\xed") == NULL && strstr(j, "\xe0") == NULL && strstr(j, "\xf5") == NULL);
	free(j);
}

TEST(a_result_record)
{
	struct result r;
	char *buf = NULL;
	size_t len = 0;
	memset(&r, 0, sizeof r);
	r.verdict = V_FAIL;
	r.stage = "01-hello-init";
	r.title = "Hello, init";
	r.headline = "QEMU ended";
	r.last_lines = "\xff\n";
	FILE *f = open_memstream(&buf, &len);
	report_json(f, &r);
	fclose(f);
	CHECK_CONTAINS(buf, "\"verdict\": \"FAIL\"");
	CHECK_CONTAINS(buf, "\"last_lines\": \"\\ufffd\\n\"");
	CHECK(buf[0] == '{' && buf[len - 1] == '}');
	free(buf);
}

int
main(void)
{
	RUN(escapes_and_utf8);
	RUN(a_result_record);
	return unit_summary();
}
