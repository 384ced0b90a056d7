/*
 * grade_formats.c: see grade_formats.h.
 *
 * Every format is made from the same cleaned texts of a grade_row, so no
 * format can show what another hides, and a failed item has the same mark
 * in each (item_mark()).
 */
#include "grade_formats.h"
#include "report.h"
#include "textclean.h"

#include <stdlib.h>
#include <string.h>

/* Each format's name, and the extension of its row files and --out files. */
static const struct {
	const char *name, *ext;
} formats[GF_COUNT] = {
	[GF_TEXT] = {"text", "txt"},
	[GF_JSON] = {"json", "json"},
	[GF_TAP] = {"tap", "tap"},
	[GF_JUNIT] = {"junit", "xml"},
	[GF_GRADESCOPE] = {"gradescope", "gradescope.json"},
};

int
grade_format_find(const char *name)
{
	for (int fmt = 0; fmt < GF_COUNT; fmt++)
		if (!strcmp(formats[fmt].name, name))
			return fmt;
	return -1;
}

const char *
grade_format_ext(enum grade_format fmt)
{
	return formats[fmt].ext;
}

/* ------------------------------------------------------------ a row */

static void
one_line(char *s)
{
	for (char *nl; (nl = strchr(s, '\n'));)
		*nl = ' ';
}

void
grade_row_init(struct grade_row *w, const char *sub, size_t number, const struct result *r)
{
	const char *nonce = r->nonce, *run = r->run_dir;

	memset(w, 0, sizeof(*w));
	w->sub = text_clean_line(sub);
	w->number = number;
	w->r = r;
	w->headline = text_clean(r->headline, nonce, run, 0);
	one_line(w->headline);
	w->build_errors = text_clean(r->build_errors, nonce, run, 0);
	w->uart = text_clean(r->last_lines, nonce, run, 1);
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		if (it->ok)
			continue;
		char *text = text_clean(it->text, nonce, run, 0);
		char *detail = it->detail ? text_clean(it->detail, nonce, run, 1) : NULL;
		char *line = detail
			? xasprintf("%s %s %s: %s", item_mark(it), item_kind_name(it->kind), text, detail)
			: xasprintf("%s %s %s", item_mark(it), item_kind_name(it->kind), text);
		one_line(line);
		strv_push(&w->failed, line);
		free(line);
		free(detail);
		free(text);
	}
	for (size_t i = 0; r->verdict != V_PASS && i < r->advice.n; i++) {
		char *clean = text_clean(r->advice.v[i], nonce, run, 1);
		strv_push(&w->advice, clean);
		free(clean);
	}
}

void
grade_row_release(struct grade_row *w)
{
	free(w->sub);
	free(w->headline);
	free(w->build_errors);
	free(w->uart);
	strv_release(&w->failed);
	strv_release(&w->advice);
}

/* Print text with every line prefixed. */
static void
indent(FILE *f, const char *prefix, const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		fprintf(f, "%s%.*s\n", prefix, (int)n, text);
		text += n + (text[n] == '\n');
	}
}

/* Why a row did not pass, in plain text: for JUnit and Gradescope. */
static void
details(FILE *f, const struct grade_row *w, int with_uart)
{
	for (size_t i = 0; i < w->failed.n; i++)
		fprintf(f, "%s\n", w->failed.v[i]);
	if (w->advice.n)
		fputs("What this means:\n", f);
	for (size_t i = 0; i < w->advice.n; i++)
		fprintf(f, "  - %s\n", w->advice.v[i]);
	if (*w->build_errors) {
		fputs("The compiler's first errors:\n", f);
		indent(f, "  ", w->build_errors);
	}
	if (with_uart && *w->uart && w->r->verdict != V_PASS) {
		fputs("The last lines on the UART:\n", f);
		indent(f, "  | ", w->uart);
	}
}

/* details() as one string (caller frees). */
static char *
details_text(const struct grade_row *w, const char *first_line, int with_uart)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return xstrdup("");
	if (first_line)
		fprintf(m, "%s\n", first_line);
	details(m, w, with_uart);
	fclose(m);
	return text;
}

/* ------------------------------------------------------------ TAP */

/*
 * "key: |" and text as a YAML literal block. TAP::Parser's YAMLish takes
 * the first line's indentation as the block's and has no indentation
 * indicator: so the first line loses its leading blanks, and an empty line
 * keeps the block's indentation.
 */
static void
yaml_block(FILE *f, const char *key, const char *text)
{
	fprintf(f, "  %s: |\n", key);
	text += strspn(text, " \t");
	while (*text) {
		size_t n = strcspn(text, "\n");
		fprintf(f, "    %.*s\n", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

static void
yaml_list(FILE *f, const char *key, const struct strv *list)
{
	if (list->n)
		fprintf(f, "  %s:\n", key);
	for (size_t i = 0; i < list->n; i++) {
		fputs("    - ", f);
		yaml_string(f, list->v[i]);
		fputs("\n", f);
	}
}

/* A name fit for a TAP test line: no '#' (a directive), no newline. */
static void
tap_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' ? '_' : *s, f);
}

static void
row_tap(FILE *f, const struct grade_row *w)
{
	const struct result *r = w->r;

	fprintf(f, "%s %zu - ", r->verdict == V_PASS ? "ok" : "not ok", w->number);
	tap_name(f, w->sub);
	fprintf(f, " %s\n  ---\n  verdict: %s\n  points: %d\n  max_points: %d\n  headline: ",
		r->stage, verdict_name(r->verdict), r->points, r->max_points);
	yaml_string(f, w->headline);
	fputs("\n", f);
	yaml_list(f, "failed", &w->failed);
	yaml_list(f, "advice", &w->advice);
	if (*w->build_errors)
		yaml_block(f, "build_errors", w->build_errors);
	if (r->verdict != V_PASS && *w->uart)
		yaml_block(f, "uart", w->uart);
	fputs("  ...\n", f);
}

/* ------------------------------------------------------------ JUnit */

static void
row_junit(FILE *f, const struct grade_row *w)
{
	static const char *const tags[] = {
		[V_FAIL] = "failure", [V_TIMEOUT] = "failure", [V_ERROR] = "error",
	};
	static const char *const types[] = {
		[V_FAIL] = "fail", [V_TIMEOUT] = "timeout", [V_ERROR] = "error",
	};
	const struct result *r = w->r;

	fputs("    <testcase classname=\"", f);
	xml_attr(f, w->sub);
	fputs("\" name=\"", f);
	xml_attr(f, r->stage);
	fprintf(f, "\">\n      <properties>\n"
		"        <property name=\"verdict\" value=\"%s\"/>\n"
		"        <property name=\"points\" value=\"%d\"/>\n"
		"        <property name=\"max_points\" value=\"%d\"/>\n"
		"      </properties>\n", verdict_name(r->verdict), r->points, r->max_points);
	if (r->verdict != V_PASS) {
		char *body = details_text(w, NULL, 0);
		fprintf(f, "      <%s type=\"%s\" message=\"", tags[r->verdict], types[r->verdict]);
		xml_attr(f, w->headline);
		fputs("\">", f);
		xml_text(f, body);
		fprintf(f, "</%s>\n", tags[r->verdict]);
		free(body);
		if (*w->uart) {
			fputs("      <system-out>", f);
			xml_text(f, w->uart);
			fputs("</system-out>\n", f);
		}
	}
	fputs("    </testcase>\n", f);
}

/* ------------------------------------------------------------ Gradescope, JSON */

static void
row_gradescope(FILE *f, const struct grade_row *w)
{
	const struct result *r = w->r;
	char *name = xasprintf("%s: %s", r->stage, r->title ? r->title : "");
	char *first = xasprintf("%s %d/%d: %s", verdict_name(r->verdict), r->points, r->max_points,
				w->headline);
	char *out = details_text(w, first, 1);

	fputs("    {\"name\": ", f);
	json_string(f, name);
	fprintf(f, ", \"score\": %d, \"max_score\": %d, \"status\": \"%s\", "
		"\"visibility\": \"visible\", \"output\": ", r->points, r->max_points,
		r->verdict == V_PASS ? "passed" : "failed");
	json_string(f, out);
	fputs("}", f);
	free(out);
	free(first);
	free(name);
}

/* The engine's own record (grade_result_clean() made it valid UTF-8),
 * with the submission first. */
static void
row_json(FILE *f, const struct grade_row *w)
{
	char *rec = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&rec, &len);

	if (m) {
		report_json(m, w->r);
		fclose(m);
	}
	fputs("{\"submission\": ", f);
	json_string(f, w->sub);
	fprintf(f, ", %s", rec && *rec == '{' ? rec + 1 : "}");
	free(rec);
}

void
grade_row_print(FILE *f, enum grade_format fmt, const struct grade_row *w)
{
	switch (fmt) {
	case GF_JSON:
		row_json(f, w);
		break;
	case GF_TAP:
		row_tap(f, w);
		break;
	case GF_JUNIT:
		row_junit(f, w);
		break;
	case GF_GRADESCOPE:
		row_gradescope(f, w);
		break;
	case GF_TEXT:
	case GF_COUNT:
		break;
	}
}

/* Replace *s by its text_clean() form (UTF-8 and controls only). */
static void
clean_in_place(char **s)
{
	if (*s) {
		char *c = text_clean(*s, NULL, NULL, 0);
		free(*s);
		*s = c;
	}
}

void
grade_result_clean(struct result *r)
{
	clean_in_place(&r->headline);
	clean_in_place(&r->build_errors);
	clean_in_place(&r->last_lines);
	for (size_t i = 0; i < r->nitems; i++) {
		clean_in_place(&r->items[i].text);
		clean_in_place(&r->items[i].detail);
	}
	for (size_t i = 0; i < r->advice.n; i++)
		clean_in_place(&r->advice.v[i]);
}
