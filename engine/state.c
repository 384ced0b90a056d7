/*
 * state.c: see state.h.
 */
#include "state.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
iso_now(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A stage name as the file may hold it: NN-letters, digits, dashes. */
static int
valid_stage(const char *s)
{
	if (strlen(s) < 4 || strlen(s) > 64 || s[0] < '0' || s[0] > '9' || s[1] < '0' ||
	    s[1] > '9' || s[2] != '-')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_' || *s == '.'))
			return 0;
	return 1;
}

struct stage_state *
state_get(struct state *s, const char *stage)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->st[i].stage, stage))
			return &s->st[i];
	s->st = xrealloc(s->st, (s->n + 1) * sizeof(*s->st));
	struct stage_state *e = &s->st[s->n++];
	memset(e, 0, sizeof(*e));
	e->stage = xstrdup(stage);
	return e;
}

/* One line; returns 0 if it parsed. */
static int
parse_line(struct state *s, char *line)
{
	char key[16], a[80], b[80], c[80];
	int n = sscanf(line, "%15s %79s %79s %79s", key, a, b, c);

	if (n < 2 || !valid_stage(a))
		return -1;
	if (!strcmp(key, "current") && n == 2) {
		free(s->current);
		s->current = xstrdup(a);
	} else if (!strcmp(key, "done") && n == 2) {
		state_get(s, a)->done = 1;
	} else if (!strcmp(key, "hints") && n == 3) {
		char *end;
		long h = strtol(b, &end, 10);
		if (*end || h < 0 || h > 100)
			return -1;
		state_get(s, a)->hints = (int)h;
	} else if (!strcmp(key, "verdict") && n >= 3) {
		if (strcmp(b, "PASS") && strcmp(b, "FAIL") && strcmp(b, "TIMEOUT") && strcmp(b, "ERROR"))
			return -1;
		struct stage_state *e = state_get(s, a);
		/* b is one of the four verdicts: it fits. when is cut to its size. */
		memcpy(e->verdict, b, strlen(b) + 1);
		snprintf(e->when, sizeof(e->when), "%.31s", n == 4 ? c : "");
	} else if (!strcmp(key, "solution") && n == 3) {
		if (strcmp(b, "shown") && strcmp(b, "forced"))
			return -1;
		state_get(s, a)->solution = !strcmp(b, "forced") ? 2 : 1;
	} else {
		return -1;
	}
	return 0;
}

void
state_load(struct state *s, const char *path)
{
	char *text;
	int bad = 0, first_bad = 0, lineno = 0;

	memset(s, 0, sizeof(*s));
	s->path = xstrdup(path);
	if (read_file(path, &text, NULL) < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		while (*l == ' ' || *l == '\t')
			l++;
		if (!*l || *l == '#' || *l == '\r')
			continue;
		if (parse_line(s, l) < 0 && !bad++)
			first_bad = lineno;
	}
	free(text);
	if (bad) {
		char when[32];
		iso_now(when);
		char *aside = xasprintf("%s.broken-%s", path, when);
		copy_file(path, aside, 0644);
		s->warning = xasprintf("%s: %d line(s) could not be read (the first is line %d); the file "
				       "was kept as %s and the lines that could be read are used",
				       path, bad, first_bad, aside);
		free(aside);
	}
}

void
state_set_current(struct state *s, const char *stage)
{
	free(s->current);
	s->current = xstrdup(stage);
}

void
state_set_verdict(struct state *s, const char *stage, const char *verdict)
{
	struct stage_state *e = state_get(s, stage);
	snprintf(e->verdict, sizeof(e->verdict), "%s", verdict);
	iso_now(e->when);
}

int
state_save(const struct state *s)
{
	struct sb b;
	sb_init(&b);
	sb_puts(&b, "# lab-runner progress: which stage you are on, what is done, hints seen.\n"
		    "# Written by lab-runner; safe to read. One 'key stage [value]' a line.\n");
	if (s->current)
		sb_printf(&b, "current %s\n", s->current);
	for (size_t i = 0; i < s->n; i++) {
		const struct stage_state *e = &s->st[i];
		if (e->done)
			sb_printf(&b, "done %s\n", e->stage);
		if (e->hints)
			sb_printf(&b, "hints %s %d\n", e->stage, e->hints);
		if (e->verdict[0])
			sb_printf(&b, "verdict %s %s %s\n", e->stage, e->verdict, e->when);
		if (e->solution)
			sb_printf(&b, "solution %s %s\n", e->stage, e->solution == 2 ? "forced" : "shown");
	}
	int rc = write_file_atomic(s->path, b.buf, b.len);
	sb_release(&b);
	return rc;
}

void
state_release(struct state *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->st[i].stage);
	free(s->st);
	free(s->current);
	free(s->path);
	free(s->warning);
	memset(s, 0, sizeof(*s));
}
