/*
 * test_grade_formats.c: one check's row in each grading format: the bytes of
 * a TAP and a Gradescope row, a JUnit row that stays well-formed XML
 * whatever the guest printed, the nonce and the run folder hidden, and a
 * failed item marked the same in every format (item_mark()).
 */
#include "grade_formats.h"
#include "report.h"
#include "textclean.h"
#include "unit.h"

#include <stdlib.h>

#define RUN_DIR "/x/build/grade/001/03-little-shell.Ab12Cd"

/* A failed run of stage 03 whose nonce is 1a2b3c4d. */
static void
failed_run(struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->stage = xstrdup("03-little-shell");
	r->title = xstrdup("A little shell");
	r->max_points = 20;
	memcpy(r->nonce, "1a2b3c4d", sizeof(r->nonce));
	r->run_dir = xstrdup(RUN_DIR);
	result_set(r, V_FAIL, "QEMU ended before lsh> mkdir d1a2b3c4d\nwas answered");
	result_add_item(r, 1, ITEM_EXPECT, "lsh> ", NULL);
	result_add_item(r, 0, ITEM_SEND, "mkdir d1a2b3c4d", NULL);
	result_add_item(r, 0, ITEM_GDB, "breakpoint at main", "never hit; see " RUN_DIR "/gdb.log");
	strv_push(&r->advice, "init exited: the kernel panics when PID 1 ends");
	r->last_lines = xstrdup("[    0.512000] Run /init as init process\nlsh> \r\n"
				"[    0.600000] Kernel panic - not syncing\n");
}

/* The row of r in fmt, as a string (caller frees). */
static char *
row_of(const struct result *r, enum grade_format fmt, const char *sub, size_t number)
{
	struct grade_row w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	grade_row_init(&w, sub, number, r);
	grade_row_print(f, fmt, &w);
	fclose(f);
	grade_row_release(&w);
	return buf;
}

TEST(a_tap_row)
{
	struct result r;
	failed_run(&r);
	char *tap = row_of(&r, GF_TAP, "alice #1", 7);
	CHECK_STREQ(tap,
		    "not ok 7 - alice _1 03-little-shell\n"
		    "  ---\n"
		    "  verdict: FAIL\n"
		    "  points: 0\n"
		    "  max_points: 20\n"
		    "  headline: \"QEMU ended before lsh> mkdir d{nonce} was answered\"\n"
		    "  failed:\n"
		    "    - \"MISSING send mkdir d{nonce}\"\n"
		    "    - \"FAILED gdb breakpoint at main: never hit; see <run>/gdb.log\"\n"
		    "  advice:\n"
		    "    - \"init exited: the kernel panics when PID 1 ends\"\n"
		    "  uart: |\n"
		    "    Run /init as init process\n"
		    "    lsh> \n"
		    "    Kernel panic - not syncing\n"
		    "  ...\n");
	free(tap);
	result_release(&r);

	/* A pass: no failed items, no advice, no UART lines. */
	memset(&r, 0, sizeof(r));
	r.stage = xstrdup("01-hello-init");
	r.points = r.max_points = 10;
	result_set(&r, V_PASS, "every expectation was met");
	strv_push(&r.advice, "not shown when it passes");
	r.last_lines = xstrdup("Hello world\n");
	tap = row_of(&r, GF_TAP, "bob", 1);
	CHECK_STREQ(tap, "ok 1 - bob 01-hello-init\n  ---\n  verdict: PASS\n  points: 10\n"
		    "  max_points: 10\n  headline: \"every expectation was met\"\n  ...\n");
	free(tap);
	result_release(&r);
}

TEST(a_gradescope_row)
{
	struct result r;
	failed_run(&r);
	char *gs = row_of(&r, GF_GRADESCOPE, "alice", 7);
	CHECK_STREQ(gs,
		    "    {\"name\": \"03-little-shell: A little shell\", \"score\": 0, \"max_score\": 20, "
		    "\"status\": \"failed\", \"visibility\": \"visible\", \"output\": "
		    "\"FAIL 0/20: QEMU ended before lsh> mkdir d{nonce} was answered\\n"
		    "MISSING send mkdir d{nonce}\\n"
		    "FAILED gdb breakpoint at main: never hit; see <run>/gdb.log\\n"
		    "What this means:\\n"
		    "  - init exited: the kernel panics when PID 1 ends\\n"
		    "The last lines on the UART:\\n"
		    "  | Run /init as init process\\n"
		    "  | lsh> \\n"
		    "  | Kernel panic - not syncing\\n\"}");
	free(gs);
	result_release(&r);
}

/*
 * Is s well-formed XML as far as a row goes: valid UTF-8, no control
 * character but \n, every '&' an entity, every tag closed in order, every
 * attribute value quoted and free of '<'? Returns NULL, or what is wrong.
 */
static const char *
xml_problem(const char *s)
{
	static const char *const entities[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#10;", "&#9;",
	};
	char stack[16][32];
	int depth = 0;

	for (size_t n; *s; s += n) {
		n = utf8_len(s);
		if (n == 0)
			return "invalid UTF-8";
		if (n == 3 && !strncmp(s, "\xef\xbf", 2) && (unsigned char)s[2] >= 0xbe)
			return "U+FFFE or U+FFFF";
		if (n > 1)
			continue;
		if ((unsigned char)*s < 0x20 && *s != '\n')
			return "a control character";
		if (*s == '>')
			return "a '>' outside a tag";
		if (*s == '&') {
			size_t k = 0;
			while (k < 7 && strncmp(s, entities[k], strlen(entities[k])))
				k++;
			if (k == 7)
				return "a bare '&'";
			n = strlen(entities[k]);
			continue;
		}
		if (*s != '<')
			continue;
		int closing = s[1] == '/';
		const char *name = s + 1 + closing;
		size_t nl = strspn(name, "abcdefghijklmnopqrstuvwxyz-");
		if (!nl || nl >= sizeof(stack[0]))
			return "a '<' that starts no tag";
		const char *p = name + nl;
		while (*p == ' ') {                       /* attributes: name="value" */
			p += 1 + strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
			if (p[0] != '=' || p[1] != '"')
				return "an attribute without a quoted value";
			p += 2;
			while (*p && *p != '"')
				if (*p++ == '<')
					return "a '<' in an attribute";
			if (*p++ != '"')
				return "an attribute that never ends";
		}
		int empty = *p == '/';
		if (p[empty] != '>')
			return "a tag that never ends";
		if (closing) {
			if (!depth || strncmp(stack[depth - 1], name, nl) || stack[depth - 1][nl])
				return "a closing tag that closes nothing open";
			depth--;
		} else if (!empty) {
			if (depth == 16)
				return "too deep";
			snprintf(stack[depth++], sizeof(stack[0]), "%.*s", (int)nl, name);
		}
		n = (size_t)(p + empty + 1 - s);
	}
	return depth ? "a tag left open" : NULL;
}

TEST(a_junit_row_with_hostile_text_stays_xml)
{
	struct result r;
	failed_run(&r);
	result_set(&r, V_ERROR, "it printed </failure><testcase name=\"x\"> & \x01\xff\"'");
	result_add_item(&r, 0, ITEM_ANYWHERE, "]]> <!-- \xef\xbf\xbe \xed\xa0\x80 \x1b[31m", NULL);
	free(r.last_lines);
	r.last_lines = xstrdup("</system-out>\x07\x0b\x0c <![CDATA[ \xc0\xaf & &amp;\n\t\xef\xbf\xbf\n");
	r.build_errors = xstrdup("init.c:3: error: expected ';' before '}' <here>\n");

	/* The checker itself finds what breaks XML. */
	CHECK(xml_problem("<a>x</a>") == NULL);
	CHECK(xml_problem("<a>&</a>") && xml_problem("<a>\x01</a>") && xml_problem("<a b=\"<\"/>"));
	CHECK(xml_problem("<a></b>") && xml_problem("<a>") && xml_problem("<a>\xff</a>"));
	CHECK(xml_problem("<a>\xef\xbf\xbe</a>") && xml_problem("<a><</a>") && xml_problem("a>"));

	char *xml = row_of(&r, GF_JUNIT, "m\xe9lanie <&\"'>", 2);
	const char *why = xml_problem(xml);
	CHECK_STREQ(why ? why : "well-formed", "well-formed");
	CHECK_CONTAINS(xml, "<testcase classname=\"m\xef\xbf\xbdlanie &lt;&amp;&quot;&apos;&gt;\" "
		       "name=\"03-little-shell\">");
	CHECK_CONTAINS(xml, "<error type=\"error\" message=\"it printed &lt;/failure&gt;&lt;testcase "
		       "name=&quot;x&quot;&gt; &amp; \xef\xbf\xbd\xef\xbf\xbd&quot;&apos;\">");
	CHECK_CONTAINS(xml, "MISSING anywhere ]]&gt; &lt;!-- ");
	CHECK_CONTAINS(xml, "The compiler&apos;s first errors:\n  init.c:3: error: expected "
		       "&apos;;&apos; before &apos;}&apos; &lt;here&gt;\n</error>");
	CHECK_CONTAINS(xml, "<system-out>&lt;/system-out&gt;");
	CHECK(!strstr(xml, RUN_DIR));
	free(xml);

	/* A pass has no failure element and no system-out. */
	result_release(&r);
	memset(&r, 0, sizeof(r));
	r.stage = xstrdup("01-hello-init");
	r.last_lines = xstrdup("Hello\n");
	xml = row_of(&r, GF_JUNIT, "bob", 1);
	CHECK_STREQ(xml, "    <testcase classname=\"bob\" name=\"01-hello-init\">\n"
		    "      <properties>\n"
		    "        <property name=\"verdict\" value=\"PASS\"/>\n"
		    "        <property name=\"points\" value=\"0\"/>\n"
		    "        <property name=\"max_points\" value=\"0\"/>\n"
		    "      </properties>\n"
		    "    </testcase>\n");
	free(xml);
	result_release(&r);
}

TEST(a_json_row_is_the_engines_record_after_the_submission)
{
	struct result r;
	failed_run(&r);
	r.last_lines[0] = '\x01';
	grade_result_clean(&r);
	CHECK(r.last_lines && strncmp(r.last_lines, "\xef\xbf\xbd", 3) == 0);
	char *json = row_of(&r, GF_JSON, "alice", 7);
	CHECK(!strncmp(json, "{\"submission\": \"alice\", \"stage\": \"03-little-shell\", ", 52));
	CHECK(json[strlen(json) - 1] == '}');
	/* The record is the engine's own: nothing hidden, the nonce and paths kept. */
	CHECK_CONTAINS(json, "mkdir d1a2b3c4d");
	free(json);
	result_release(&r);
}

TEST(the_nonce_hidden_is_the_runs_own)
{
	struct result r;
	failed_run(&r);
	char *tap = row_of(&r, GF_TAP, "alice", 1);
	CHECK(!strstr(tap, "1a2b3c4d"));
	free(tap);
	/* Before the check was read there is no nonce: nothing to hide. */
	memset(r.nonce, 0, sizeof(r.nonce));
	tap = row_of(&r, GF_TAP, "alice", 1);
	CHECK_CONTAINS(tap, "MISSING send mkdir d1a2b3c4d");
	CHECK(!strstr(tap, "{nonce}"));
	free(tap);
	result_release(&r);
}

TEST(a_failed_compare_item_is_failed_in_every_format)
{
	static const enum grade_format fmts[] = {GF_TAP, GF_JUNIT, GF_GRADESCOPE};
	struct result r;
	memset(&r, 0, sizeof(r));
	r.stage = xstrdup("06-leaner-kernel");
	r.max_points = 20;
	result_set(&r, V_FAIL, "the kernel is not leaner");
	result_add_item(&r, 0, ITEM_COMPARE, "less memory than the stock kernel", "12 MiB more");
	result_add_item(&r, 0, ITEM_EXPECT, "lsh> ", NULL)->miss = MISS_UNCHECKED;
	CHECK_STREQ(item_mark(&r.items[0]), "FAILED");

	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *row = row_of(&r, fmts[i], "alice", 1);
		CHECK_CONTAINS(row, "FAILED compare less memory than the stock kernel: 12 MiB more");
		CHECK_CONTAINS(row, fmts[i] == GF_JUNIT ? "UNCHECKED expect lsh&gt; "
			       : "UNCHECKED expect lsh> ");
		CHECK(!strstr(row, "MISSING"));
		free(row);
	}
	char *json = row_of(&r, GF_JSON, "alice", 1);
	CHECK_CONTAINS(json, "{\"ok\": false, \"kind\": \"compare\", "
		       "\"text\": \"less memory than the stock kernel\"");
	free(json);
	/* and `check`'s own report */
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	report_text(f, &r, 0, 0);
	fclose(f);
	CHECK_CONTAINS(text, "  FAILED    compare  less memory than the stock kernel\n");
	free(text);
	result_release(&r);
}

TEST(formats_by_name)
{
	CHECK(grade_format_find("text") == GF_TEXT);
	CHECK(grade_format_find("junit") == GF_JUNIT);
	CHECK(grade_format_find("gradescope") == GF_GRADESCOPE);
	CHECK(grade_format_find("yaml") == -1);
	CHECK(grade_format_find("") == -1);
	CHECK_STREQ(grade_format_ext(GF_JUNIT), "xml");
	CHECK_STREQ(grade_format_ext(GF_GRADESCOPE), "gradescope.json");
}

int
main(void)
{
	RUN(a_tap_row);
	RUN(a_gradescope_row);
	RUN(a_junit_row_with_hostile_text_stays_xml);
	RUN(a_json_row_is_the_engines_record_after_the_submission);
	RUN(the_nonce_hidden_is_the_runs_own);
	RUN(a_failed_compare_item_is_failed_in_every_format);
	RUN(formats_by_name);
	return unit_summary();
}
