/*
 * match.c: see match.h.
 */
#include "match.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void
matcher_init(struct matcher *m, const struct check *c)
{
	size_t nt = c->nthreads;

	memset(m, 0, sizeof(*m));
	m->c = c;
	m->pos = xcalloc(nt, sizeof(*m->pos));
	m->col = xcalloc(nt, sizeof(*m->col));
	m->line_first = xcalloc(nt, sizeof(*m->line_first));
	m->seen = xcalloc(nt, sizeof(*m->seen));
	m->early = xcalloc(nt, sizeof(*m->early));
	m->glued = xcalloc(nt, sizeof(*m->glued));
	m->prompt_seq = xcalloc(nt, sizeof(*m->prompt_seq));
	m->prompts_done = xcalloc(nt, sizeof(*m->prompts_done));
	m->near = xcalloc(nt, sizeof(*m->near));
	m->near_step = xcalloc(nt, sizeof(*m->near_step));
	m->near_dist = xcalloc(nt, sizeof(*m->near_dist));
	m->sent = xcalloc(nt, sizeof(*m->sent));
	m->sent_line = xcalloc(nt, sizeof(*m->sent_line));
	m->between = xcalloc(nt, sizeof(*m->between));
	m->at = xcalloc(nt, sizeof(*m->at));
	m->once_text = xcalloc(nt, sizeof(*m->once_text));
	m->err_wait = xcalloc(nt, sizeof(*m->err_wait));
	m->ticked = xcalloc(nt, sizeof(*m->ticked));
	m->host_due = xcalloc(nt, sizeof(*m->host_due));
	m->host_at = xcalloc(nt, sizeof(*m->host_at));
	for (size_t i = 0; i < nt; i++) {
		size_t n = c->threads[i].n + 1;
		m->seen[i] = xcalloc(n, sizeof(char *));
		m->early[i] = xcalloc(n, sizeof(char *));
		m->glued[i] = xcalloc(n, sizeof(char *));
		m->once_text[i] = xcalloc(n, sizeof(char *));
		m->at[i] = xcalloc(n, sizeof(size_t));
		m->prompt_seq[i] = xcalloc(n, sizeof(size_t));
		m->prompts_done[i] = xcalloc(c->threads[i].nprompts + 1, sizeof(size_t));
		m->near_dist[i] = UINT_MAX;
		sb_init(&m->between[i]);
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

/* Whether step s holds in line from column from: [*start, *end) where. A
 * `line` step holds only for the whole line. */
static int
step_in(const struct step *s, const char *line, size_t from, size_t *start, size_t *end)
{
	const struct pattern *p = s->kind == STEP_EXPECT ? &s->pat : s->prompt;

	if (!p || !pattern_find(p, line, from, start, end))
		return 0;
	return !s->whole || (from == 0 && *start == 0 && *end == strlen(line));
}

/* Record the decision (the first one only). */
static void
decide(struct matcher *m, enum match_decision why, size_t t, size_t step, const char *line,
       const char *between)
{
	if (m->decided.why != MD_NONE)
		return;
	m->decided.why = why;
	m->decided.thread = t;
	m->decided.step = step;
	m->decided.line = xstrdup(line);
	m->decided.between = between ? xstrdup(between) : NULL;
	m->decided_line = m->nkept;
}

/* Thread ti moved on by a step: what it waited for is no longer pending. */
static void
thread_moved(struct matcher *m, size_t ti)
{
	free(m->near[ti]);
	m->near[ti] = NULL;
	m->near_dist[ti] = UINT_MAX;
	free(m->err_wait[ti]);
	m->err_wait[ti] = NULL;
	if (m->c->threads[ti].ticks)
		for (size_t u = 0; u < m->c->nthreads; u++)
			if (u != ti && m->err_wait[u])
				m->ticked[u]++;
}

/*
 * Thread ti waits for the answer to the line it typed: did the prompt come
 * back first? Then the shell has asked for the next command without
 * printing that answer before it: decided.
 */
static int
prompt_first(struct matcher *m, size_t ti, const struct step *s)
{
	const struct thread *t = &m->c->threads[ti];
	const char *line = m->line.buf;
	size_t ps, pe, es, ee;

	if (!m->sent[ti] || !t->steps[m->sent[ti] - 1].prompt)
		return 0;
	if (!pattern_find(t->steps[m->sent[ti] - 1].prompt, line, m->col[ti], &ps, &pe))
		return 0;
	if (pattern_find(&s->pat, line, m->col[ti], &es, &ee) && es < ps && !s->whole)
		return 0;
	struct sb said;
	sb_init(&said);
	sb_puts(&said, m->between[ti].buf ? m->between[ti].buf : "");
	if (m->nkept > m->sent_line[ti] && ps > 0) {
		sb_printf(&said, "%s%.*s", said.len ? " | " : "",
			  (int)(ps < MATCH_QUOTE ? ps : MATCH_QUOTE), line);
	}
	decide(m, MD_PROMPT_FIRST, ti, m->pos[ti], line, said.buf ? said.buf : "");
	m->decided_col = pe;
	sb_release(&said);
	return 1;
}

/* Move one thread as far as the current line lets it; complete: the line
 * has ended (a `line` step is judged only then). */
static void
advance_thread(struct matcher *m, size_t ti, struct strv *to_send, int complete)
{
	const struct thread *t = &m->c->threads[ti];
	const char *line = m->line.buf;
	size_t start = 0, end;

	if (m->decided.why != MD_NONE && m->decided.thread == ti)
		return;
	while (m->pos[ti] < t->n) {
		const struct step *s = &t->steps[m->pos[ti]];
		/* A line of a host command's output: not the UART's. */
		if (s->host)
			return;
		if (s->kind == STEP_HOST) {
			/* Its turn: the caller runs it. Nothing runs once the
			 * output has decided. */
			if (m->decided.why != MD_NONE)
				return;
			m->host_due[ti] = m->host_at[ti] = m->pos[ti] + 1;
		} else if (s->kind == STEP_EXPECT) {
			if (prompt_first(m, ti, s))
				return;
			if (s->whole && !complete)
				return;
			if (!step_in(s, line, m->col[ti], &start, &end)) {
				/* Its text is there, with more around it. */
				if (s->whole && !m->glued[ti][m->pos[ti]] &&
				    pattern_find(&s->pat, line, m->col[ti], &start, &end))
					m->glued[ti][m->pos[ti]] = xstrdup(line);
				return;
			}
			m->col[ti] = end;
		} else {
			/* Once the output has decided, nothing more is typed. */
			if (m->decided.why != MD_NONE)
				return;
			if (s->prompt) {
				if (!pattern_find(s->prompt, line, m->col[ti], &start, &end))
					return;
				m->col[ti] = end;
				size_t pi = (size_t)(s->prompt - t->prompts);
				m->prompt_seq[ti][m->pos[ti]] = m->prompts_done[ti][pi] +
					count_in(s->prompt, line, end);
			}
			if (to_send)
				strv_push(to_send, s->text);
			m->sent[ti] = m->pos[ti] + 1;
			m->sent_line[ti] = m->nkept;
			sb_reset(&m->between[ti]);
		}
		free(m->seen[ti][m->pos[ti]]);
		m->seen[ti][m->pos[ti]] = xstrdup(line);
		m->at[ti][m->pos[ti]] = start;
		m->pos[ti]++;
		thread_moved(m, ti);
	}
}

/* Match everything against the current (possibly unfinished) line. */
static void
advance(struct matcher *m, struct strv *to_send, int complete)
{
	const struct check *c = m->c;
	const char *line = m->line.buf;
	size_t start, end;

	for (size_t i = 0; i < c->nthreads; i++)
		advance_thread(m, i, to_send, complete);
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
 * shows: they came before their turn. In a thread that types nothing, a
 * `once` step that came early decides the run: it cannot come in its turn. */
static void
note_early(struct matcher *m)
{
	const char *line = m->line.buf;
	size_t start, end;

	if (m->bytes > MATCH_EARLY_BYTES)
		return;
	for (size_t t = 0; t < m->c->nthreads; t++) {
		const struct thread *th = &m->c->threads[t];
		int sends = 0;
		for (size_t i = 0; i < th->n; i++)
			sends |= th->steps[i].kind == STEP_SEND;
		for (size_t i = m->pos[t] + 1; i < th->n; i++) {
			const struct step *s = &th->steps[i];
			if (s->host || m->early[t][i] || !step_in(s, line, 0, &start, &end))
				continue;
			m->early[t][i] = xstrdup(line);
			/* A `once` line cannot come again in its turn. Not when the
			 * awaited line is there too, glued to it. */
			const struct step *w = &th->steps[m->pos[t]];
			if (!sends && s->once && !pattern_find(&w->pat, line, 0, &start, &end) &&
			    !(m->decided.why != MD_NONE && m->decided.thread == t)) {
				decide(m, MD_OUT_OF_ORDER, t, m->pos[t], line, NULL);
				m->decided.later = i;
			}
		}
	}
}

/* The line nearest to each thread's awaited text, for "did you mean". */
static void
note_near(struct matcher *m)
{
	const char *line = m->line.buf;
	size_t len = m->line.len;

	if (m->bytes > MATCH_EARLY_BYTES || len == 0 || len > 200)
		return;
	for (size_t t = 0; t < m->c->nthreads; t++) {
		const struct thread *th = &m->c->threads[t];
		if (m->pos[t] >= th->n || th->steps[m->pos[t]].kind != STEP_EXPECT ||
		    th->steps[m->pos[t]].host)
			continue;
		char *want = pattern_plain(&th->steps[m->pos[t]].pat);
		size_t wl = want ? strlen(want) : 0;
		if (wl >= 4 && len <= 2 * wl + 16) {
			unsigned limit = wl / 4 > 2 ? (unsigned)(wl / 4) : 2;
			unsigned d = edit_distance(want, line, limit);
			if (d <= limit && d > 0 && (m->near_step[t] != m->pos[t] || d < m->near_dist[t])) {
				free(m->near[t]);
				m->near[t] = xstrdup(line);
				m->near_step[t] = m->pos[t];
				m->near_dist[t] = d;
			}
		}
		free(want);
	}
}

/* What this complete line means for the decisions: a `once` line again, a
 * guest error, a thread stalled behind one, the answer that came late. */
static void
note_decisions(struct matcher *m)
{
	const struct check *c = m->c;
	const char *line = m->line.buf;
	size_t start, end;

	for (size_t t = 0; t < c->nthreads; t++) {
		const struct thread *th = &c->threads[t];
		/* A once line seen again (this line ends with its text). */
		for (size_t i = 0; i < m->line_first[t]; i++) {
			const char *o = m->once_text[t][i];
			size_t ol = o ? strlen(o) : 0;
			if (ol && m->line.len >= ol && !strcmp(line + m->line.len - ol, o))
				decide(m, MD_REPEATED, t, i, line, NULL);
		}
		for (size_t i = m->line_first[t]; i < m->pos[t]; i++)
			if (th->steps[i].once && th->steps[i].kind == STEP_EXPECT) {
				free(m->once_text[t][i]);
				m->once_text[t][i] = xstrdup(line + m->at[t][i]);
			}
		/* What came between a typed line and the answer (after its line). */
		if (m->sent[t] && m->nkept > m->sent_line[t] && m->between[t].len < MATCH_QUOTE &&
		    m->decided.why == MD_NONE) {
			if (m->between[t].len)
				sb_puts(&m->between[t], " | ");
			sb_add(&m->between[t], line, m->line.len < MATCH_QUOTE ? m->line.len
			       : MATCH_QUOTE);
		}
	}
	if (guest_error_line(line)) {
		int dup = 0;
		for (size_t i = 0; i < m->errors.n; i++)
			dup |= !strcmp(m->errors.v[i], line);
		if (dup)
			;
		else if (m->errors.n < MATCH_ERRORS)
			strv_push(&m->errors, line);
		else
			m->errors_more++;
		for (size_t t = 0; t < c->nthreads; t++)
			if (m->pos[t] < c->threads[t].n && !m->err_wait[t]) {
				m->err_wait[t] = xstrdup(line);
				m->ticked[t] = 0;
			}
	}
	/* Stalled: waiting for a prompt since an error line, while a thread
	 * on the guest's clock went on twice (or ended). */
	for (size_t t = 0; t < c->nthreads; t++) {
		const struct thread *th = &c->threads[t];
		int ticks_done = 1, any_ticks = 0;
		for (size_t u = 0; u < c->nthreads; u++)
			if (c->threads[u].ticks && u != t) {
				any_ticks = 1;
				ticks_done &= m->pos[u] == c->threads[u].n;
			}
		if (any_ticks && m->err_wait[t] && m->pos[t] < th->n &&
		    th->steps[m->pos[t]].kind == STEP_SEND &&
		    (m->ticked[t] >= 2 || (m->ticked[t] >= 1 && ticks_done)))
			decide(m, MD_STALLED, t, m->pos[t], line, m->err_wait[t]);
	}
	/* The answer that came after the prompt. */
	if (m->decided.why == MD_PROMPT_FIRST && !m->decided.late) {
		const struct step *s = &c->threads[m->decided.thread].steps[m->decided.step];
		size_t from = m->decided_line == m->nkept ? m->decided_col : 0;
		if (pattern_find(&s->pat, line, from, &start, &end))
			m->decided.late = xstrdup(line);
	}
	if (m->decided.why != MD_NONE && m->decided_line == m->nkept) {
		free(m->decided.line);
		m->decided.line = xstrdup(line);
	}
}

/* The current line is complete: keep it, and start a new one. */
static void
end_line(struct matcher *m, struct strv *to_send)
{
	size_t slot = m->nkept % MATCH_KEEP;

	advance(m, to_send, 1);
	judge_line(m);
	note_early(m);
	note_near(m);
	note_decisions(m);
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
				advance(m, to_send, 0);
				end_line(m, to_send);
			}
			sb_add(&m->line, &ch, 1);
		}
		advance(m, to_send, 0);
		i += run;
		if (nl) {
			end_line(m, to_send);
			i++;
		}
	}
}

void
matcher_flush(struct matcher *m)
{
	if (m->line.len) {
		advance(m, NULL, 0);
		end_line(m, NULL);
	}
}

int
matcher_host_due(struct matcher *m, size_t *thread, size_t *step)
{
	for (size_t t = 0; t < m->c->nthreads; t++)
		if (m->host_due[t]) {
			*thread = t;
			*step = m->host_due[t] - 1;
			m->host_due[t] = 0;
			return 1;
		}
	return 0;
}

void
matcher_host_line(struct matcher *m, size_t ti, size_t step, const char *line)
{
	const struct thread *t = &m->c->threads[ti];
	size_t col = 0, start = 0, end;

	if (m->host_at[ti] != step + 1)
		return;
	while (m->pos[ti] < t->n) {
		const struct step *s = &t->steps[m->pos[ti]];
		if (s->kind == STEP_HOST) {
			if (m->decided.why != MD_NONE)
				return;
			m->host_due[ti] = m->host_at[ti] = m->pos[ti] + 1;
			start = 0;
		} else if (!s->host || !step_in(s, line, col, &start, &end)) {
			return;
		} else {
			col = end;
		}
		free(m->seen[ti][m->pos[ti]]);
		m->seen[ti][m->pos[ti]] = xstrdup(line);
		m->at[ti][m->pos[ti]] = start;
		m->pos[ti]++;
		thread_moved(m, ti);
		/* A new command's output starts with its own first line. */
		if (s->kind == STEP_HOST)
			return;
	}
}

int
matcher_waits_host(const struct matcher *m, size_t t)
{
	const struct thread *th = &m->c->threads[t];
	return m->pos[t] < th->n && th->steps[m->pos[t]].host;
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

const char *
matcher_last_line(const struct matcher *m)
{
	if (m->line.len)
		return m->line.buf;
	for (size_t k = 0; k < m->nkept && k < MATCH_KEEP; k++) {
		const char *l = m->keep[(m->nkept - 1 - k) % MATCH_KEEP];
		if (l && *l)
			return l;
	}
	return "";
}

/* The end of a perror() line: ": " and one of these. */
static const char *const errno_texts[] = {
	"No such file or directory", "Permission denied", "Exec format error",
	"Not a directory", "Is a directory", "Bad address", "Invalid argument",
	"No child processes", "Operation not permitted", "Network is unreachable",
	"Network is down", "Connection refused", "Read-only file system",
	"Device or resource busy", "Inappropriate ioctl for device", "Bad file descriptor",
	"No space left on device", "Function not implemented", "Cannot allocate memory",
	"Text file busy", "Argument list too long", "No such device", "File exists",
	"Resource temporarily unavailable", "Too many open files",
};

int
guest_error_line(const char *line)
{
	static const char *const starts[] = {"init:", "lsh:", "little_shell:", "sh:"};
	size_t n = strlen(line);

	if (line[0] == '[' || !strncmp(line, "qemu-system", 11))
		return 0;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		if (!strncmp(line, starts[i], strlen(starts[i])))
			return 1;
	for (size_t i = 0; i < sizeof(errno_texts) / sizeof(errno_texts[0]); i++) {
		size_t k = strlen(errno_texts[i]);
		if (n > k + 2 && !strcmp(line + n - k, errno_texts[i]) && line[n - k - 2] == ':')
			return 1;
	}
	return n > 10 && !strcmp(line + n - 10, " not found");
}

char *
pattern_plain(const struct pattern *p)
{
	const char *s = p->text;
	struct sb out;

	if (!p->is_regex)
		return xstrdup(s);
	sb_init(&out);
	for (size_t i = 0; s[i]; i++) {
		char ch = s[i];
		if ((ch == '^' && i == 0) || (ch == '$' && !s[i + 1]))
			continue;
		if (ch == '\\' && s[i + 1]) {
			ch = s[++i];
		} else if (strchr(".[]()*+?{}|^$", ch)) {
			sb_release(&out);
			return NULL;
		}
		sb_add(&out, &ch, 1);
	}
	if (!out.len) {
		sb_release(&out);
		return NULL;
	}
	return sb_detach(&out);
}

unsigned
edit_distance(const char *a, const char *b, unsigned limit)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned *row, best = 0;

	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	row = xcalloc(lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
			unsigned v = diag + !same;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		/* Every path through this row costs more already. */
		if (best > limit) {
			free(row);
			return limit + 1;
		}
	}
	best = row[lb];
	free(row);
	return best > limit ? limit + 1 : best;
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
			free(m->glued[i][j]);
			free(m->once_text[i][j]);
		}
		free(m->seen[i]);
		free(m->early[i]);
		free(m->glued[i]);
		free(m->once_text[i]);
		free(m->at[i]);
		free(m->prompt_seq[i]);
		free(m->prompts_done[i]);
		free(m->near[i]);
		free(m->err_wait[i]);
		sb_release(&m->between[i]);
	}
	free(m->prompt_seq);
	free(m->prompts_done);
	free(m->seen);
	free(m->early);
	free(m->glued);
	free(m->once_text);
	free(m->at);
	free(m->near);
	free(m->near_step);
	free(m->near_dist);
	free(m->sent);
	free(m->sent_line);
	free(m->between);
	free(m->err_wait);
	free(m->ticked);
	free(m->host_due);
	free(m->host_at);
	free(m->decided.line);
	free(m->decided.between);
	free(m->decided.late);
	strv_release(&m->errors);
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
