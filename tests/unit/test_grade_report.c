/*
 * test_grade_report.c: row files written and read back, and a class's
 * report joined from them: the text table, the TAP plan, the JUnit counts,
 * the Gradescope total. In a temporary folder; no check runs.
 */
#include "grade_report.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

static char *
report_of(const struct grade_class *c, enum grade_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	grade_report(f, fmt, c, 0);
	fclose(f);
	return buf;
}

/* A result of stage st with verdict v and the given points. */
static void
result_of(struct result *r, const struct stage *st, enum verdict v, int points, int max)
{
	memset(r, 0, sizeof(*r));
	r->stage = xstrdup(st->name);
	r->title = xstrdup(st->title);
	r->points = points;
	r->max_points = max;
	memcpy(r->nonce, "0badc0de", sizeof(r->nonce));
	result_set(r, v, v == V_PASS ? "every expectation was met" : "no 0badc0de\nin time");
	if (v != V_PASS)
		result_add_item(r, 0, ITEM_EXPECT, "0badc0de", NULL);
}

TEST(a_class_of_two_by_two)
{
	char tmpl[] = "/tmp/test_grade_report.XXXXXX", err[512] = "";
	CHECK(mkdtemp(tmpl) != NULL);
	struct stage stages[2] = {{1, "01-hello-init", "Hello, init"}, {2, "02-init-answers", "Answers"}};
	const struct stage *order[2] = {&stages[0], &stages[1]};
	const int max_points[2] = {10, 20};
	const char *subs[2] = {"alice", "bob-the-long-named"};
	struct grade_cell cell[4];
	struct grade_class c = {2, 2, subs, order, max_points, cell};
	static const enum verdict v[4] = {V_PASS, V_FAIL, V_TIMEOUT, V_PASS};

	memset(cell, 0, sizeof(cell));
	for (int i = 0; i < 4; i++) {
		struct result r;
		cell[i].base = xasprintf("%s/%d", tmpl, i);
		CHECK(grade_cell_read(&cell[i]) == 0);           /* no summary yet */
		result_of(&r, order[i % 2], v[i], v[i] == V_PASS ? max_points[i % 2] : 0, max_points[i % 2]);
		CHECK(grade_rows_write(cell[i].base, subs[i / 2], (size_t)i + 1, &r, err, sizeof(err)) == 0);
		CHECK_STREQ(err, "");
		result_release(&r);
		CHECK(grade_cell_read(&cell[i]) == 1);
		CHECK(cell[i].verdict == v[i]);
	}
	CHECK_STREQ(cell[1].headline, "no {nonce} in time");
	CHECK(cell[3].points == 20 && cell[3].max_points == 20);

	char *text = report_of(&c, GF_TEXT);
	CHECK_STREQ(text,
		    "submission          01            02          total\n"
		    "alice               PASS 10/10    FAIL 0/20   10/30\n"
		    "bob-the-long-named  TIMEOUT 0/10  PASS 20/20  20/30\n"
		    "\n"
		    "Not passed:\n"
		    "  alice 02-init-answers: FAIL: no {nonce} in time\n"
		    "  bob-the-long-named 01-hello-init: TIMEOUT: no {nonce} in time\n"
		    "\n"
		    "2 submissions, 4 checks: 2 PASS, 1 FAIL, 1 TIMEOUT, 0 ERROR; mean score 15.0/30\n");
	free(text);

	char *tap = report_of(&c, GF_TAP);
	CHECK(!strncmp(tap, "TAP version 13\n1..4\nok 1 - alice 01-hello-init\n", 47));
	CHECK_CONTAINS(tap, "\nnot ok 2 - alice 02-init-answers\n");
	CHECK_CONTAINS(tap, "\nnot ok 3 - bob-the-long-named 01-hello-init\n");
	CHECK_CONTAINS(tap, "    - \"MISSING expect {nonce}\"\n");
	free(tap);

	char *xml = report_of(&c, GF_JUNIT);
	CHECK_CONTAINS(xml, "<testsuites name=\"riscv-microdistro-lab\" tests=\"4\" failures=\"2\" "
		       "errors=\"0\">\n  <testsuite name=\"alice\" tests=\"2\" failures=\"1\" errors=\"0\" "
		       "skipped=\"0\">\n    <testcase classname=\"alice\" name=\"01-hello-init\">");
	CHECK_CONTAINS(xml, "  </testsuite>\n</testsuites>\n");
	free(xml);

	char *json = report_of(&c, GF_JSON);
	CHECK(!strncmp(json, "[\n{\"submission\": \"alice\", ", 26));
	CHECK_CONTAINS(json, "}\n]\n");
	free(json);

	c.nsubs = 1;                                     /* Gradescope: one submission */
	char *gs = report_of(&c, GF_GRADESCOPE);
	const char *head = "{\n  \"score\": 10,\n  \"output\": \"2 stages: 1 PASS, 1 FAIL, "
		"0 TIMEOUT, 0 ERROR; score 10/30\",\n  \"tests\": [\n"
		"    {\"name\": \"01-hello-init: Hello, init\"";
	CHECK(!strncmp(gs, head, strlen(head)));
	CHECK_CONTAINS(gs, "}\n  ]\n}\n");
	free(gs);

	for (int i = 0; i < 4; i++) {
		static const char *const ext[] = {"json", "tap", "xml", "gradescope.json", "summary"};
		for (size_t k = 0; k < 5; k++) {
			char *path = xasprintf("%s.%s", cell[i].base, ext[k]);
			CHECK(unlink(path) == 0);
			free(path);
		}
		free(cell[i].base);
		free(cell[i].headline);
	}
	CHECK(rmdir(tmpl) == 0);
}

TEST(a_row_that_cannot_be_written_has_no_summary)
{
	char err[512] = "";
	struct stage st = {1, "01-hello-init", "Hello, init"};
	struct grade_cell cell = {0};
	struct result r;

	result_of(&r, &st, V_PASS, 10, 10);
	cell.base = "/nonexistent-folder/01-hello-init";
	CHECK(grade_rows_write(cell.base, "alice", 1, &r, err, sizeof(err)) == -1);
	CHECK_STREQ(err, "cannot write '/nonexistent-folder/01-hello-init.json': "
		    "No such file or directory");
	CHECK(grade_cell_read(&cell) == 0);
	result_release(&r);
}

int
main(void)
{
	RUN(a_class_of_two_by_two);
	RUN(a_row_that_cannot_be_written_has_no_summary);
	return unit_summary();
}
