/*
 * witness_rules.c: see witness_rules.h.
 */
#include "witness_rules.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The next occurrence of text at or after from, or SIZE_MAX. */
static size_t
stream_find(const struct wstream *s, const char *text, size_t len, size_t from)
{
	if (!len || from >= s->all.len)
		return SIZE_MAX;
	const char *hit = memmem(s->all.buf + from, s->all.len - from, text, len);
	return hit ? (size_t)(hit - s->all.buf) : SIZE_MAX;
}

/* The process that did event e, as a WHO sees it: its PID, what it ran
 * then, and what its parent ran when it was created. */
static int
who_holds(const struct wwho *who, const struct witness *w, int tgid, const char *program)
{
	const struct wproc *p = witness_proc(w, tgid);
	if (who->pid && tgid != who->pid)
		return 0;
	if (who->not_pid && tgid == who->not_pid)
		return 0;
	if (who->program) {
		struct wproc as_then = {.program = program};
		if (!witness_is_program(&as_then, who->program))
			return 0;
	}
	if (who->child_of) {
		struct wproc parent = {.program = p ? p->born_of : "?"};
		if (!p || !witness_is_program(&parent, who->child_of))
			return 0;
	}
	return 1;
}

/* WHO in words: "little_shell (a process other than PID 1, a child of
 * init)", "PID 1", "any process". */
static void
who_words(const struct wwho *who, struct sb *s)
{
	struct strv parts = {0};
	if (who->pid)
		strv_pushf(&parts, "PID %d", who->pid);
	if (who->not_pid)
		strv_pushf(&parts, "a process other than PID %d", who->not_pid);
	if (who->child_of)
		strv_pushf(&parts, "a child of %s", who->child_of);
	if (who->program)
		sb_puts(s, who->program);
	else if (!parts.n)
		sb_puts(s, "any process");
	for (size_t i = 0; i < parts.n; i++)
		sb_printf(s, "%s%s", i ? ", " : who->program ? " (" : "", parts.v[i]);
	if (who->program && parts.n)
		sb_puts(s, ")");
	strv_release(&parts);
}

static char *
who_string(const struct wwho *who)
{
	struct sb s;
	sb_init(&s);
	who_words(who, &s);
	return sb_detach(&s);
}

/* ----------------------------------------------------------------- by */

/* The text the rule's line matched (or found glued), or NULL when it never
 * appeared. */
static char *
matched_text(const struct check *c, const struct matcher *m, const struct wrule *rule)
{
	const struct pattern *p;
	const char *line;
	size_t start, end;

	if (rule->anywhere >= 0) {
		p = &c->anywhere[rule->anywhere];
		line = m->anywhere_seen[rule->anywhere];
	} else {
		p = &c->threads[rule->thread].steps[rule->step].pat;
		line = rule->step < m->pos[rule->thread] ? m->seen[rule->thread][rule->step] : NULL;
		/* A `line` found only with text glued to it: who wrote that text
		 * (and whether as a whole line) is still a fact worth telling. */
		if (!line)
			line = m->glued[rule->thread][rule->step];
	}
	if (!line || !pattern_find(p, line, 0, &start, &end) || end == start)
		return NULL;
	return xstrndup(line + start, end - start);
}

/* The offset in the stream just after the seq-th occurrence of prompt
 * (1-based), or SIZE_MAX. */
static size_t
prompt_end(const struct wstream *s, const char *prompt, size_t seq)
{
	size_t len = strlen(prompt), at = SIZE_MAX, from = 0;
	for (size_t i = 0; i < seq; i++) {
		at = stream_find(s, prompt, len, from);
		if (at == SIZE_MAX)
			return SIZE_MAX;
		from = at + len;
	}
	return from;
}

/*
 * Where the occurrence a thread's step matched can start: after the prompt
 * the thread's last line typed before it was typed at, and after the
 * occurrence the thread's previous `by` found (*cursor).
 */
static size_t
step_bound(const struct check *c, const struct matcher *m, const struct wstream *s,
	   const struct wrule *rule, size_t cursor)
{
	const struct thread *t = &c->threads[rule->thread];
	size_t bound = cursor;
	for (size_t j = rule->step; j-- > 0;) {
		const struct step *st = &t->steps[j];
		if (st->kind != STEP_SEND)
			continue;
		size_t seq = m->prompt_seq[rule->thread][j];
		if (st->prompt && !st->prompt->is_regex && seq) {
			size_t e = prompt_end(s, st->prompt->text, seq);
			if (e != SIZE_MAX && e > bound)
				bound = e;
		}
		break;
	}
	return bound;
}

/* One occurrence of text at at: whether WHO wrote it (and, for `line`, as
 * a whole line); the reason into d if not, and *not_whole set when the
 * writer was right but the line was not whole. */
static int
judge_occurrence(const struct witness *w, const struct wstream *s, const struct wrule *rule,
		 const char *text, size_t at, const char *who, int *writer, int *not_whole,
		 struct sb *d)
{
	size_t len = strlen(text), endb = at + len, k0 = wstream_write_at(s, at);
	char name[160];

	*writer = w->ev[s->ev[k0]].tgid;
	for (size_t k = k0; k < s->n && s->start[k] < endb; k++) {
		const struct wevent *e = &w->ev[s->ev[k]];
		if (!who_holds(&rule->who, w, e->tgid, e->program)) {
			sb_printf(d, "\"%s\" was written by PID %d (%s), not by %s", text, e->tgid,
				  e->program, who);
			return 0;
		}
	}
	if (!rule->whole_line)
		return 1;
	int starts = at == s->start[k0] || s->all.buf[at - 1] == '\n';
	int same = endb < s->all.len && w->ev[s->ev[wstream_write_at(s, endb)]].tgid == *writer;
	witness_name(w, *writer, name, sizeof(name));
	if (!same || s->all.buf[endb] != '\n') {
		*not_whole = 1;
		sb_printf(d, "\"%s\" was written by %s, but not as a whole line: %s", text, name,
			  !same ? "no newline came after it" : "more text followed on the same line");
		return 0;
	}
	if (!starts) {
		*not_whole = 1;
		sb_printf(d, "\"%s\" was written by %s, but not as a whole line: other text came "
			  "before it on the line", text, name);
		return 0;
	}
	return 1;
}

/*
 * A `by` after an expect judges the occurrence that expect matched: the
 * first one in the stream past the thread's bound (step_bound). After an
 * anywhere, which has no place in an order, every occurrence.
 */
static int
judge_by(const struct check *c, const struct matcher *m, const struct witness *w,
	 const struct wstream *s, const struct wrule *rule, size_t *cursor, int *not_whole,
	 struct sb *d)
{
	char *text = matched_text(c, m, rule);
	char name[160];
	int ok = 1, writer = 0;
	size_t times = 0;

	if (!text) {
		sb_puts(d, "not judged: the line it is about did not appear");
		return 0;
	}
	char *who = who_string(&rule->who);
	size_t len = strlen(text);
	size_t from = rule->anywhere < 0 ? step_bound(c, m, s, rule, *cursor) : 0;
	for (size_t at = stream_find(s, text, len, from); at != SIZE_MAX && ok;
	     at = stream_find(s, text, len, at + 1)) {
		ok = judge_occurrence(w, s, rule, text, at, who, &writer, not_whole, d);
		times++;
		if (rule->anywhere < 0) {
			*cursor = at + len;
			break;
		}
	}
	if (ok && !times) {
		sb_printf(d, "\"%s\" appeared on the console, but no process wrote it%s: it is the "
			  "kernel's own message or the terminal's echo of what was typed", text,
			  from ? " there" : "");
		if (w->cut)
			sb_puts(d, " (or it came after the witness's record was cut)");
		ok = 0;
	}
	if (ok) {
		sb_printf(d, "written by %s", witness_name(w, writer, name, sizeof(name)));
		if (times > 1)
			sb_printf(d, " (each of the %zu times)", times);
	}
	free(who);
	free(text);
	return ok;
}

/* ---------------------------------------------------------------- runs */

/* The event index of the write holding the end of the seq-th occurrence
 * of prompt (1-based), or SIZE_MAX. */
static size_t
prompt_write(const struct wstream *s, const char *prompt, size_t seq)
{
	size_t e = prompt_end(s, prompt, seq);
	return e == SIZE_MAX ? SIZE_MAX : s->ev[wstream_write_at(s, e - 1)];
}

static const char *
errno_name(long e)
{
	const char *n = strerrorname_np((int)e);
	return n ? n : "an error";
}

/* A failed exec's path and why: "/bin/ls, which failed: ENOENT (No such
 * file or directory)", appended to d. */
static void
failed_exec(struct sb *d, const struct wevent *e)
{
	/* Control characters as C escapes: a '\n' that getline left on the
	 * last word is the mistake to see ("/bin/ls\n"), not a line break. */
	for (const char *p = e->text; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\n')
			sb_puts(d, "\\n");
		else if (ch == '\r')
			sb_puts(d, "\\r");
		else if (ch == '\t')
			sb_puts(d, "\\t");
		else if (ch < 0x20 || ch == 0x7f)
			sb_printf(d, "\\x%02x", ch);
		else
			sb_add(d, p, 1);
	}
	sb_printf(d, ", which failed: %s (%s)", errno_name(e->value), strerror((int)e->value));
}

static int
judge_runs(const struct check *c, const struct matcher *m, const struct witness *w,
	   const struct wstream *s, const struct wrule *rule, int *self_exec, struct sb *d)
{
	const struct thread *t = &c->threads[rule->thread];
	const struct step *st = &t->steps[rule->step];
	size_t seq = m->prompt_seq[rule->thread][rule->step];
	char name[160], name2[160];

	if (rule->step >= m->pos[rule->thread] || !st->prompt || !seq) {
		sb_puts(d, "not judged: the line was not typed");
		return 0;
	}
	if (st->prompt->is_regex) {
		sb_puts(d, "not judged: runs needs a literal prompt (not a /regex/)");
		return 0;
	}
	size_t from = prompt_write(s, st->prompt->text, seq);
	if (from == SIZE_MAX) {
		sb_printf(d, "not judged: the prompt \"%s\" it was typed at was not written by a "
			  "process", st->prompt->text);
		return 0;
	}
	int shell = w->ev[from].tgid;
	size_t to = prompt_write(s, st->prompt->text, seq + 1);
	if (to == SIZE_MAX)
		to = w->n;
	/* What the shell did between its prompts. */
	int child = 0, exec_ok = 0, exited = 0, reaped = 0, shell_wrote = 0;
	const struct wevent *bad_exec = NULL, *other_exec = NULL, *any_exec = NULL;
	for (size_t i = from + 1; i < to; i++) {
		const struct wevent *e = &w->ev[i];
		if (e->kind == WE_EXEC && (e->tgid == shell || witness_proc(w, e->tgid)->parent == shell))
			any_exec = e;
		if (e->kind == WE_NEW && e->tgid == shell && e->other_tgid != shell && !exec_ok)
			child = e->other_tgid;
		if (!child)
			continue;
		if (e->tgid == child && e->kind == WE_EXEC) {
			struct wproc as = {.program = e->text};
			if (rule->program && witness_is_program(&as, rule->program))
				exec_ok = child;
			else
				other_exec = e;
		}
		if (e->tgid == child && e->kind == WE_EXEC_FAILED)
			bad_exec = e;
		if (e->tgid == child && e->kind == WE_EXIT && e->pid == e->tgid && exec_ok)
			exited = 1;
		if (e->kind == WE_REAP && e->tgid == shell && e->other_tgid == child && exec_ok)
			reaped = 1;
		if (e->kind == WE_WRITE && e->tgid == shell && exec_ok && !reaped && i + 1 < to)
			shell_wrote = 1;
	}
	witness_name(w, shell, name, sizeof(name));
	if (!rule->program) {
		if (!any_exec) {
			sb_printf(d, "run by the shell itself, %s: nothing was exec'd", name);
			return 1;
		}
		sb_printf(d, "\"%s\" must be a built-in, done by the shell itself, but %s exec'd %s",
			  st->text, witness_name(w, any_exec->tgid, name2, sizeof(name2)),
			  any_exec->text);
		return 0;
	}
	if (!child && any_exec && any_exec->tgid == shell) {
		*self_exec = 1;
		sb_printf(d, "typing \"%s\" made the shell, %s, exec %s itself, with no fork: it "
			  "must fork() a child and exec %s in it", st->text, name, any_exec->text,
			  rule->program);
		return 0;
	}
	if (!child) {
		sb_printf(d, "typing \"%s\" made the shell, %s, create no process: it must fork() "
			  "a child and exec %s in it", st->text, name, rule->program);
		return 0;
	}
	if (!exec_ok) {
		if (bad_exec) {
			sb_printf(d, "the shell's child PID %d tried to exec ", child);
			failed_exec(d, bad_exec);
		} else if (other_exec) {
			sb_printf(d, "the shell's child PID %d exec'd %s, not %s", child,
				  other_exec->text, rule->program);
		} else {
			sb_printf(d, "the shell's child PID %d exec'd nothing (it still ran %s): the "
				  "child must call execve() on %s", child,
				  witness_proc(w, child)->program, rule->program);
		}
		return 0;
	}
	witness_name(w, exec_ok, name2, sizeof(name2));
	if (!exited) {
		sb_printf(d, "the prompt came back while %s was still running: the shell must "
			  "wait for its child (waitpid) before it prints the next prompt", name2);
		return 0;
	}
	if (!reaped) {
		sb_printf(d, "%s ended, but the shell did not reap it before its next prompt: "
			  "call waitpid() on the child", name2);
		return 0;
	}
	if (shell_wrote) {
		sb_printf(d, "the shell, %s, wrote to the terminal while its child %s ran: the "
			  "output must be the child's own", name, name2);
		return 0;
	}
	sb_printf(d, "%s, a child of the shell %s, ran it and was reaped before the next prompt",
		  name2, name);
	return 1;
}

/* ------------------------------------------------------------- witness */

static int
judge_exec(const struct witness *w, const struct wrule *rule, struct sb *d)
{
	char *who = who_string(&rule->who);
	const struct wevent *failed = NULL, *elsewhere = NULL;
	int ok = 0;

	for (size_t i = 0; i < w->n && !ok; i++) {
		const struct wevent *e = &w->ev[i];
		struct wproc as = {.program = e->text};
		if ((e->kind != WE_EXEC && e->kind != WE_EXEC_FAILED) ||
		    !witness_is_program(&as, rule->program))
			continue;
		if (e->kind == WE_EXEC_FAILED) {
			failed = e;
			continue;
		}
		if (who_holds(&rule->who, w, e->tgid, e->program)) {
			ok = 1;
			/* As it was when it made the exec: "PID 1 (/init) exec'd /sbin/init". */
			sb_printf(d, "PID %d (%s) exec'd %s", e->tgid, e->program ? e->program : "?",
				  e->text);
		} else {
			elsewhere = e;
		}
	}
	if (!ok && elsewhere) {
		const struct wproc *p = witness_proc(w, elsewhere->tgid);
		sb_printf(d, "%s was exec'd by PID %d (running %s, created by PID %d running %s), "
			  "not by %s", elsewhere->text, elsewhere->tgid, elsewhere->program,
			  p ? p->parent : -1, p ? p->born_of : "?", who);
	} else if (!ok && failed) {
		sb_printf(d, "PID %d tried to exec ", failed->tgid);
		failed_exec(d, failed);
	} else if (!ok) {
		/* A failed exec of a program of that name elsewhere: a wrong path? */
		const char *base = strrchr(rule->program, '/');
		base = base ? base + 1 : rule->program;
		for (size_t i = 0; i < w->n && !failed; i++) {
			const struct wevent *e = &w->ev[i];
			struct wproc as = {.program = e->text};
			if (e->kind == WE_EXEC_FAILED && witness_is_program(&as, base))
				failed = e;
		}
		sb_printf(d, "no process exec'd %s", rule->program);
		if (failed) {
			sb_printf(d, "; PID %d tried ", failed->tgid);
			failed_exec(d, failed);
		}
	}
	free(who);
	return ok;
}

static int
judge_exit(const struct witness *w, const struct wrule *rule, struct sb *d)
{
	char *who = who_string(&rule->who);
	char name[160], st[96];
	int ok = 0, any = 0;

	for (size_t i = 0; i < w->nprocs && !ok; i++) {
		const struct wproc *p = &w->procs[i];
		if (!who_holds(&rule->who, w, p->pid, p->program))
			continue;
		any = 1;
		witness_name(w, p->pid, name, sizeof(name));
		sb_reset(d);
		if (!p->exited) {
			sb_printf(d, "%s did not end", name);
			continue;
		}
		witness_status(p->status, st, sizeof(st));
		ok = (p->status & 0x7f) == 0 && ((p->status >> 8) & 0xff) == rule->status;
		sb_printf(d, "%s ended with %s%s", name, st, ok ? "" : ", not status ");
		if (!ok)
			sb_printf(d, "%d", rule->status);
	}
	if (!any)
		sb_printf(d, "the witness saw no process that is %s", who);
	free(who);
	return ok;
}

static int
judge_orphan(const struct witness *w, const struct wrule *rule, struct sb *d)
{
	char *who = who_string(&rule->who);
	char name[160], name2[160];
	int ok = 0;

	for (size_t i = 0; i < w->n && !ok; i++) {
		const struct wevent *e = &w->ev[i];
		const struct wproc *p = e->kind == WE_REAP ? witness_proc(w, e->other_tgid) : NULL;
		if (!p || p->parent == e->tgid || !who_holds(&rule->who, w, e->tgid, e->program))
			continue;
		ok = 1;
		sb_printf(d, "%s reaped %s, an orphan (PID %d created it)",
			  witness_name(w, e->tgid, name, sizeof(name)),
			  witness_name(w, p->pid, name2, sizeof(name2)), p->parent);
	}
	if (!ok)
		sb_printf(d, "%s reaped no process it did not create: an orphan's zombie stays "
			  "until init waits for it", who);
	free(who);
	return ok;
}

void
witness_advise(const struct witness *w, struct strv *advice)
{
	char name[160], parent[160];
	int said = 0;

	for (size_t i = 0; i < w->n && said < 3; i++) {
		const struct wevent *e = &w->ev[i];
		if (e->kind != WE_EXEC_FAILED)
			continue;
		const struct wproc *p = witness_proc(w, e->tgid);
		struct sb s;
		sb_init(&s);
		sb_printf(&s, "the kernel saw %s%s%s try to exec ",
			  witness_name(w, e->tgid, name, sizeof(name)),
			  p && p->parent > 0 ? ", a child of " : "",
			  p && p->parent > 0 ? witness_name(w, p->parent, parent, sizeof(parent)) : "");
		failed_exec(&s, e);
		sb_puts(&s, e->value == 2 && strpbrk(e->text, "\r\n")
			? ": the path ends in the line's end (\\n): getline keeps it, so cut it "
			"off, or split the line on \" \\t\\r\\n\", before using the words"
			: e->value == 2 ? ": is the path right, and is the file in the archive?"
			: e->value == 8 ? ": it is not a program this machine can run (built for "
			"another one, or a script without its #! line)" : "");
		strv_push(advice, s.buf);
		sb_release(&s);
		said++;
	}
	for (size_t i = 0; i < w->nprocs && said < 5; i++) {
		const struct wproc *p = &w->procs[i];
		if (!p->exited || p->reaper || p->pid == 1 || p->parent <= 0)
			continue;
		/* Killed by SIGTERM or SIGKILL: most likely by an init shutting the
		 * machine down ("Sent SIGTERM to all processes"), which then powers
		 * off instead of reaping. Not called a zombie: it may not be one. */
		int sig = (int)(p->status & 0x7f);
		if (sig == 15 || sig == 9)
			continue;
		const struct wproc *pp = witness_proc(w, p->parent);
		if (pp && pp->exited && p->parent != 1)
			/* Its parent ended too: the kernel gave it to PID 1. */
			strv_pushf(advice, "%s ended but was never reaped: its parent, %s, ended too, "
				   "so it became PID 1's, and stays a zombie until init waits for it "
				   "(wait(), or waitpid(-1, ...))",
				   witness_name(w, p->pid, name, sizeof(name)),
				   witness_name(w, p->parent, parent, sizeof(parent)));
		else
			strv_pushf(advice, "%s ended but was never reaped: it stays a zombie until its "
				   "parent, %s, waits for it (wait or waitpid)",
				   witness_name(w, p->pid, name, sizeof(name)),
				   witness_name(w, p->parent, parent, sizeof(parent)));
		said++;
	}
}

int
witness_judge(const struct check *c, const struct matcher *m, const struct witness *w,
	      const char *unavailable, struct result *r)
{
	struct wstream s;
	struct sb d;
	int failed = 0, not_whole = 0, self_exec = 0;

	if (!c->nwrules)
		return 0;
	wstream_make(&s, w);
	sb_init(&d);
	size_t *cursor = xcalloc(c->nthreads + 1, sizeof(size_t));
	for (size_t i = 0; i < c->nwrules; i++) {
		const struct wrule *rule = &c->wrules[i];
		int ok = 0;
		sb_reset(&d);
		if (unavailable) {
			sb_printf(&d, "not judged: %s", unavailable);
		} else {
			switch (rule->kind) {
			case WR_BY:
				ok = judge_by(c, m, w, &s, rule, &cursor[rule->thread], &not_whole, &d);
				break;
			case WR_RUNS: ok = judge_runs(c, m, w, &s, rule, &self_exec, &d); break;
			case WR_EXEC: ok = judge_exec(w, rule, &d); break;
			case WR_EXIT: ok = judge_exit(w, rule, &d); break;
			case WR_ORPHAN: ok = judge_orphan(w, rule, &d); break;
			}
		}
		struct item *it = result_add_item(r, ok, ITEM_WITNESS, rule->text, d.buf);
		if (!ok && !strncmp(d.buf, "not judged", 10))
			it->miss = MISS_UNCHECKED;
		failed |= !ok;
	}
	if (not_whole)
		strv_push(&r->advice, "a line the stage asks for must be written whole: its text and "
			  "its \\n together (printf(\"...\\n\")). Without the \\n, the next text on the "
			  "console, another process's or the kernel's, runs on in the same line");
	if (self_exec)
		strv_push(&r->advice, "the shell exec'd a program in its own process, without fork: "
			  "exec replaces the process that calls it, so the shell became that program "
			  "and ended with it (and init started a new shell). Exec only in the child, "
			  "where fork() returned 0");
	free(cursor);
	sb_release(&d);
	wstream_release(&s);
	return failed;
}
