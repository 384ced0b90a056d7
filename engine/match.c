/*
 * match.c: see match.h.
 */
#include "match.h"

#include <stdlib.h>
#include <string.h>

void
matcher_init(struct matcher *m, const struct check *c)
{
	memset(m, 0, sizeof(*m));
	m->c = c;
	m->pos = xcalloc(c->nthreads, sizeof(*m->pos));
	m->col = xcalloc(c->nthreads, sizeof(*m->col));
	m->line_first = xcalloc(c->nthreads, sizeof(*m->line_first));
	m->seen = xcalloc(c->nthreads, sizeof(*m->seen));
	m->early = xcalloc(c->nthreads, sizeof(*m->early));
	m->prompt_seq = xcalloc(c->nthreads, sizeof(*m->prompt_seq));
	m->prompts_done = xcalloc(c->nthreads, sizeof(*m->prompts_done));
	for (size_t i = 0; i < c->nthreads; i++) {
		m->seen[i] = xcalloc(c->threads[i].n + 1, sizeof(char *));
		m->early[i] = xcalloc(c->threads[i].n + 1, sizeof(char *));
		m->prompt_seq[i] = xcalloc(c->threads[i].n + 1, sizeof(size_t));
		m->prompts_done[i] = xcalloc(c->threads[i].nprompts + 1, sizeof(size_t));
	}
	m->anywhere_seen = xcalloc(c->nanywhere + 1, sizeof(char *));
	m->reject_hit = -1;
	sb_init(&m->line);
}

/* Occurrences of p in line that end at or before col (0: anywhere). */
static size_t
count_in(const struct pattern *p, const char *line, size_t col)
{
	size_t from = 0, start, end, n = 0;
	while (pattern_find(p, line, from, &start, &end) && (!col || end <= col)) {
		n++;
		from = end > start ? end : start + 1;
		if (from > strlen(line))
			break;
	}
	return n;
}

/* Move one thread as far as the current line lets it. */
static void
advance_thread(struct matcher *m, size_t ti, struct strv *to_send)
{
	const struct thread *t = &m->c->threads[ti];
	const char *line = m->line.buf;
	size_t start, end;

	while (m->pos[ti] < t->n) {
		const struct step *s = &t->steps[m->pos[ti]];
		if (s->kind == STEP_EXPECT) {
			if (!pattern_find(&s->pat, line, m->col[ti], &start, &end))
				return;
			m->col[ti] = end;
		} else if (s->prompt) {
			if (!pattern_find(s->prompt, line, m->col[ti], &start, &end))
				return;
			m->col[ti] = end;
			size_t pi = (size_t)(s->prompt - t->prompts);
			m->prompt_seq[ti][m->pos[ti]] = m->prompts_done[ti][pi] +
				count_in(s->prompt, line, end);
			if (to_send)
				strv_push(to_send, s->text);
		} else if (to_send) {
			strv_push(to_send, s->text);
		}
		free(m->seen[ti][m->pos[ti]]);
		m->seen[ti][m->pos[ti]] = xstrdup(line);
		m->pos[ti]++;
	}
}

/* Match everything against the current (possibly unfinished) line. */
static void
advance(struct matcher *m, struct strv *to_send)
{
	const struct check *c = m->c;
	const char *line = m->line.buf;
	size_t start, end;

	for (size_t i = 0; i < c->nthreads; i++)
		advance_thread(m, i, to_send);
	for (size_t i = 0; i < c->nanywhere; i++)
		if (!m->anywhere_seen[i] && pattern_find(&c->anywhere[i], line, 0, &start, &end))
			m->anywhere_seen[i] = xstrdup(line);
}

/* Rejects and panics are judged on whole lines: "Failed to execute /init"
 * must not end the run before " (error -8)", which says why, arrives. */
static void
judge_line(struct matcher *m)
{
	const struct check *c = m->c;
	const char *line = m->line.buf;
	size_t start, end;

	if (m->reject_hit < 0)
		for (size_t i = 0; i < c->nreject; i++)
			if (pattern_find(&c->reject[i], line, 0, &start, &end)) {
				m->reject_hit = (int)i;
				m->reject_line = xstrdup(line);
				break;
			}
	if (!m->panic_line && strstr(line, "Kernel panic - not syncing"))
		m->panic_line = xstrdup(line);
}

/* Note the steps past each thread's current one that this complete line
 * shows: they came before their turn. */
static void
note_early(struct matcher *m)
{
	const char *line = m->line.buf;
	size_t start, end;

	if (m->bytes > MATCH_EARLY_BYTES)
		return;
	for (size_t t = 0; t < m->c->nthreads; t++) {
		const struct thread *th = &m->c->threads[t];
		for (size_t i = m->pos[t] + 1; i < th->n; i++) {
			const struct step *s = &th->steps[i];
			const struct pattern *p = s->kind == STEP_EXPECT ? &s->pat : s->prompt;
			if (!m->early[t][i] && p && pattern_find(p, line, 0, &start, &end))
				m->early[t][i] = xstrdup(line);
		}
	}
}

/* The current line is complete: keep it, and start a new one. */
static void
end_line(struct matcher *m)
{
	size_t slot = m->nkept % MATCH_KEEP;

	judge_line(m);
	note_early(m);
	for (size_t t = 0; t < m->c->nthreads; t++)
		for (size_t j = 0; j < m->c->threads[t].nprompts; j++)
			m->prompts_done[t][j] += count_in(&m->c->threads[t].prompts[j], m->line.buf, 0);
	if (m->on_line)
		m->on_line(m->ctx, m->line.buf);
	/* Steps matched while the line was still being written saw part of it:
	 * keep the whole line for the report. */
	for (size_t t = 0; t < m->c->nthreads; t++) {
		for (size_t i = m->line_first[t]; i < m->pos[t]; i++) {
			free(m->seen[t][i]);
			m->seen[t][i] = xstrdup(m->line.buf);
		}
		m->line_first[t] = m->pos[t];
	}
	free(m->keep[slot]);
	m->keep[slot] = xstrdup(m->line.buf);
	m->nkept++;
	sb_reset(&m->line);
	for (size_t i = 0; i < m->c->nthreads; i++)
		m->col[i] = 0;
}

void
matcher_feed(struct matcher *m, const char *data, size_t n, struct strv *to_send)
{
	size_t i = 0;

	m->bytes += n;
	while (i < n) {
		/* Take the run of bytes up to the next newline. */
		const char *nl = memchr(data + i, '\n', n - i);
		size_t run = nl ? (size_t)(nl - (data + i)) : n - i;
		for (size_t k = 0; k < run; k++) {
			char ch = data[i + k];
			/* A terminal line ends in \r\n; NULs would cut our C strings. */
			if (ch == '\r' || ch == '\0')
				continue;
			if (m->line.len == MATCH_LINE_MAX) {
				advance(m, to_send);
				end_line(m);
			}
			sb_add(&m->line, &ch, 1);
		}
		advance(m, to_send);
		i += run;
		if (nl) {
			end_line(m);
			i++;
		}
	}
}

void
matcher_flush(struct matcher *m)
{
	if (m->line.len) {
		advance(m, NULL);
		end_line(m);
	}
}

int
matcher_complete(const struct matcher *m)
{
	for (size_t i = 0; i < m->c->nthreads; i++)
		if (m->pos[i] < m->c->threads[i].n)
			return 0;
	for (size_t i = 0; i < m->c->nanywhere; i++)
		if (!m->anywhere_seen[i])
			return 0;
	return 1;
}

char *
matcher_last_lines(const struct matcher *m, int n)
{
	struct sb s;
	size_t have = m->nkept < MATCH_KEEP ? m->nkept : MATCH_KEEP;
	size_t want = (size_t)n;

	if (m->line.len && want)
		want--;
	if (want > have)
		want = have;
	sb_init(&s);
	for (size_t i = m->nkept - want; i < m->nkept; i++) {
		sb_puts(&s, m->keep[i % MATCH_KEEP]);
		sb_puts(&s, "\n");
	}
	if (m->line.len) {
		sb_puts(&s, m->line.buf);
		sb_puts(&s, "\n");
	}
	return sb_detach(&s);
}

void
matcher_release(struct matcher *m)
{
	for (size_t i = 0; i < m->c->nthreads; i++) {
		for (size_t j = 0; j < m->c->threads[i].n; j++) {
			free(m->seen[i][j]);
			free(m->early[i][j]);
		}
		free(m->seen[i]);
		free(m->early[i]);
		free(m->prompt_seq[i]);
		free(m->prompts_done[i]);
	}
	free(m->prompt_seq);
	free(m->prompts_done);
	free(m->seen);
	free(m->early);
	for (size_t i = 0; i < m->c->nanywhere; i++)
		free(m->anywhere_seen[i]);
	free(m->anywhere_seen);
	for (size_t i = 0; i < MATCH_KEEP; i++)
		free(m->keep[i]);
	free(m->pos);
	free(m->col);
	free(m->line_first);
	free(m->reject_line);
	free(m->panic_line);
	sb_release(&m->line);
	memset(m, 0, sizeof(*m));
}
