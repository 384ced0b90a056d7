/*
 * test_report.c: the JSON record is valid JSON whatever the guest printed
 * (json_string() itself: test_textclean.c).
 */
#include "report.h"
#include "unit.h"

#include <stdlib.h>

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
	RUN(a_result_record);
	return unit_summary();
}
