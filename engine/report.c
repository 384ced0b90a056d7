/*
 * report.c: see report.h. Strings in the JSON record go through json_string()
 * (textclean.h): valid JSON whatever bytes the guest printed.
 */
#include "report.h"
#include "textclean.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define C_RED    "\033[31m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_BOLD   "\033[1m"
#define C_DIM    "\033[2m"
#define C_OFF    "\033[0m"

static const char *
verdict_colour(enum verdict v)
{
	return v == V_PASS ? C_GREEN : v == V_FAIL ? C_RED : C_YELLOW;
}

/* Print text indented, every line prefixed. */
static void
indent(FILE *f, const char *prefix, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		fprintf(f, "%s%.*s\n", prefix, (int)n, text);
		text = nl ? nl + 1 : NULL;
	}
}

/* Whether line is one of the lines of text. */
static int
in_lines(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return 1;
	return 0;
}

void
report_text(FILE *f, const struct result *r, int color, int verbose)
{
	const char *on = color ? C_BOLD : "", *off = color ? C_OFF : "";
	const char *dim = color ? C_DIM : "";

	fprintf(f, "%s== %s: %s ==%s\n", on, r->stage, r->title ? r->title : "", off);
	if (verbose)
		for (size_t i = 0; i < r->commands.n; i++)
			fprintf(f, "%s$ %s%s\n", dim, r->commands.v[i], off);
	if (r->grading_note)
		fprintf(f, "note: built with the check's own compile lines; the submission's Makefile "
			"was not run\n");
	if (r->build_errors && *r->build_errors) {
		fprintf(f, "The build stopped here (the compiler's own words):\n");
		indent(f, "  ", r->build_errors);
	}
	const char *said = NULL;   /* a detail shown just above is not repeated */
	for (size_t i = 0; i < r->nitems; i++) {
		const struct item *it = &r->items[i];
		fprintf(f, "  %s%-9s%s %-8s %s\n", color ? (it->ok ? C_GREEN : C_RED) : "", item_mark(it),
			color ? C_OFF : "", item_kind_name(it->kind), it->text);
		if (item_shows_detail(it) && !(said && !strcmp(said, it->detail)))
			fprintf(f, "  %s%19s%s%s\n", dim, "", it->detail, off);
		said = item_shows_detail(it) ? it->detail : NULL;
	}
	if (r->ncompare) {
		if (r->compare_builtin)
			fprintf(f, "%sThe same system on each kernel: in yours built in, on %s's as "
				"a separate archive (median of %d boots):%s\n", on,
				r->compare[1].label ? r->compare[1].label : "the other", r->compare_boots, off);
		else
			fprintf(f, "%sThe same archive on each kernel (median of %d boots):%s\n", on,
				r->compare_boots, off);
		fprintf(f, "  %-11s %-10s %-10s %-28s %s\n", "kernel", "Image", "in memory",
			"to /init, guest (min-max)", "host clock");
		for (int i = 0; i < r->ncompare; i++) {
			const struct kernel_timing *t = &r->compare[i];
			char size[32], mem[32], wall[32], kclock[32];
			human_size(t->image_bytes, size, sizeof(size));
			human_size(t->memory_bytes, mem, sizeof(mem));
			snprintf(wall, sizeof(wall), t->boots ? "%.2f s" : "-", t->wall_ms / 1000.0);
			if (t->boots && t->kernel_us >= 0)
				snprintf(kclock, sizeof(kclock), "%.1f ms (%.1f-%.1f)", t->kernel_us / 1e3,
					 t->kernel_us_min / 1e3, t->kernel_us_max / 1e3);
			else
				snprintf(kclock, sizeof(kclock), "-");
			fprintf(f, "  %-11s %-10s %-10s %-28s %s\n", t->label, size, mem, kclock, wall);
			if (t->problem)
				fprintf(f, "  %s%13s%s: %s%s\n", dim, "", t->label, t->problem, off);
		}
		const struct kernel_timing *a = &r->compare[0], *b = &r->compare[1];
		if (r->ncompare == 2 && a->memory_bytes > 0 && b->memory_bytes > 0) {
			char d[32];
			long long dm = b->memory_bytes - a->memory_bytes;
			human_size(dm < 0 ? -dm : dm, d, sizeof(d));
			fprintf(f, "  %s: %s %s in memory (%+.1f%%)", a->label, d, dm >= 0 ? "less" : "more",
				-100.0 * (double)dm / (double)b->memory_bytes);
			if (a->boots && b->boots && a->kernel_us > 0 && b->kernel_us > 0) {
				long du = b->kernel_us - a->kernel_us;
				/* Spreads that overlap: the difference is within the noise. */
				int noise = a->kernel_us_min <= b->kernel_us_max && b->kernel_us_min <= a->kernel_us_max;
				fprintf(f, ", %.1f ms %s guest time to /init (%+.1f%%%s)",
					(du < 0 ? -du : du) / 1e3, du >= 0 ? "less" : "more",
					-100.0 * (double)du / (double)b->kernel_us,
					noise ? ", within the boots' spread: noise" : "");
			}
			fputs("\n", f);
		}
	}
	if (r->verdict != V_PASS && r->advice.n) {
		fprintf(f, "%sWhat this means:%s\n", on, off);
		for (size_t i = 0; i < r->advice.n; i++)
			fprintf(f, "  - %s\n", r->advice.v[i]);
	}
	/* The guest's own error lines, above the last lines they scrolled out of. */
	if (r->verdict != V_PASS) {
		int shown = 0;
		for (size_t i = 0; i < r->guest_errors.n; i++) {
			const char *e = r->guest_errors.v[i];
			if (r->last_lines && in_lines(r->last_lines, e))
				continue;
			if (!shown++)
				fprintf(f, "%sThe guest's own error lines, earlier in the log:%s\n", on, off);
			fprintf(f, "  | %s\n", e);
		}
		if (shown && r->guest_errors_more)
			fprintf(f, "  (and %zu more error lines in the log)\n", r->guest_errors_more);
	}
	if (r->verdict != V_PASS && r->last_lines && *r->last_lines) {
		fprintf(f, "%sThe last lines on the UART:%s\n", on, off);
		indent(f, "  | ", r->last_lines);
	}
	if (r->run_dir) {
		/* The logs this run wrote (a failed build never booted). */
		const char *logs[] = {r->uart_log, r->qemu_log, r->witness_log, r->gdb_log,
				      r->build_log};
		int any = 0;
		for (size_t i = 0; i < sizeof(logs) / sizeof(logs[0]); i++) {
			struct stat st;
			if (!logs[i] || stat(logs[i], &st) != 0 ||
			    (i > 0 && r->verdict == V_PASS && !verbose))
				continue;
			if (logs[i] == r->qemu_log && st.st_size == 0)
				continue;   /* QEMU said nothing */
			fprintf(f, "%s%s%s", any ? "  " : dim, any ? "" : "logs: ", logs[i]);
			any = 1;
		}
		if (any)
			fprintf(f, "%s\n", off);
	}
	fprintf(f, "%s%s%s%s  %s: %s", color ? C_BOLD : "", color ? verdict_colour(r->verdict) : "",
		verdict_name(r->verdict), off, r->stage, r->headline ? r->headline : "");
	if (r->ms_boot || r->ms_build)
		fprintf(f, " %s(build %.1f s, boot %.1f s)%s", dim, r->ms_build / 1000.0,
			r->ms_boot / 1000.0, off);
	fputs("\n", f);
}

void
report_json(FILE *f, const struct result *r)
{
	fputs("{\"stage\": ", f);
	json_string(f, r->stage);
	fputs(", \"title\": ", f);
	json_string(f, r->title);
	fprintf(f, ", \"verdict\": \"%s\", \"points\": %d, \"max_points\": %d, \"headline\": ",
		verdict_name(r->verdict), r->points, r->max_points);
	json_string(f, r->headline);
	fprintf(f, ", \"build_ms\": %lld, \"boot_ms\": %lld, \"build_cached\": %s, \"grading\": %s, "
		"\"maxrss_kb\": %ld, \"children_maxrss_kb\": %ld, \"items\": [",
		r->ms_build, r->ms_boot, r->build_cached ? "true" : "false",
		r->grading_note ? "true" : "false", r->maxrss_kb, r->children_maxrss_kb);
	for (size_t i = 0; i < r->nitems; i++) {
		fprintf(f, "%s{\"ok\": %s, \"kind\": ", i ? ", " : "", r->items[i].ok ? "true" : "false");
		json_string(f, item_kind_name(r->items[i].kind));
		fputs(", \"text\": ", f);
		json_string(f, r->items[i].text);
		fputs(", \"detail\": ", f);
		if (r->items[i].detail)
			json_string(f, r->items[i].detail);
		else
			fputs("null", f);
		fputs("}", f);
	}
	fputs("], \"advice\": [", f);
	for (size_t i = 0; i < r->advice.n; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, r->advice.v[i]);
	}
	fputs("], \"guest_errors\": [", f);
	for (size_t i = 0; i < r->guest_errors.n; i++) {
		fputs(i ? ", " : "", f);
		json_string(f, r->guest_errors.v[i]);
	}
	fputs("], \"compare\": [", f);
	for (int i = 0; i < r->ncompare; i++) {
		const struct kernel_timing *t = &r->compare[i];
		fputs(i ? ", {\"kernel\": " : "{\"kernel\": ", f);
		json_string(f, t->label);
		fputs(", \"image\": ", f);
		json_string(f, t->image);
		fprintf(f, ", \"image_bytes\": %lld, \"memory_bytes\": %lld, \"boots\": %d, "
			"\"wall_ms\": %lld, \"kernel_us\": %ld, \"kernel_us_min\": %ld, "
			"\"kernel_us_max\": %ld, \"problem\": ", t->image_bytes, t->memory_bytes, t->boots,
			t->wall_ms, t->kernel_us, t->kernel_us_min, t->kernel_us_max);
		if (t->problem)
			json_string(f, t->problem);
		else
			fputs("null", f);
		fputs("}", f);
	}
	fputs("], \"build_errors\": ", f);
	json_string(f, r->build_errors ? r->build_errors : "");
	fputs(", \"last_lines\": ", f);
	json_string(f, r->last_lines ? r->last_lines : "");
	fputs(", \"uart_log\": ", f);
	json_string(f, r->uart_log ? r->uart_log : "");
	fputs(", \"qemu_log\": ", f);
	json_string(f, r->qemu_log ? r->qemu_log : "");
	fputs(", \"gdb_log\": ", f);
	json_string(f, r->gdb_log ? r->gdb_log : "");
	fputs(", \"witness_log\": ", f);
	json_string(f, r->witness_log ? r->witness_log : "");
	/* The record itself, as the run wrote it (valid JSON, or nothing). */
	char *wj = NULL;
	size_t wlen = 0;
	if (r->witness_json && read_file(r->witness_json, &wj, &wlen) == 0 && wlen > 1 && wj[0] == '{') {
		while (wlen && (wj[wlen - 1] == '\n'))
			wlen--;
		fputs(", \"witness\": ", f);
		fwrite(wj, 1, wlen, f);
	}
	free(wj);
	fputs(", \"build_log\": ", f);
	json_string(f, r->build_log ? r->build_log : "");
	fputs(", \"run_dir\": ", f);
	json_string(f, r->run_dir ? r->run_dir : "");
	/* A check's forward: the host port it had on 127.0.0.1 (0: none). */
	fprintf(f, ", \"forward_port\": %d", r->forward_port);
	fputs("}", f);
}
