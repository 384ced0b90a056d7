/*
 * judge.c: see judge.h.
 *
 * Items first (every expectation, in the check's order), then the check's
 * own words for what failed first, then the verdict and its headline, then
 * advice that depends on the verdict (init's exit code, silence).
 */
#include "judge.h"
#include "answer.h"
#include "witness_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RUN_INIT "Run /init as init process"
#define QEMU_PREFIX "qemu-system-riscv64: "

int
boot_seen_line(struct boot_seen *s, const char *line)
{
	size_t qn = strlen(QEMU_PREFIX);

	/* Before the firmware's banner, lines are QEMU's own, e.g. an initrd
	 * too large for the guest's memory. */
	if (!strncmp(line, QEMU_PREFIX, qn) && !s->qemu_said)
		s->qemu_said = xstrdup(line + qn);
	if (s->qemu_said && (strstr(line, "initrd") || strstr(line, "initramfs")))
		s->qemu_said_initrd = 1;
	diagnose_line(&s->diag, line);
	if (strstr(line, RUN_INIT)) {
		s->saw_run_init = 1;
		return 1;
	}
	if (s->saw_run_init && line[0] && line[0] != '[' && strncmp(line, QEMU_PREFIX, qn))
		s->user_output = 1;   /* not the kernel's, not QEMU's: the guest's programs' */
	return 0;
}

void
boot_seen_release(struct boot_seen *s)
{
	free(s->qemu_said);
	memset(s, 0, sizeof(*s));
}

enum judge_reason
judge_reason(const struct judge_facts *f)
{
	if (f->interrupted)
		return JR_INTERRUPTED;
	if (!f->failed)
		return JR_ALL_HELD;
	if (f->qemu_refused)
		return JR_QEMU_REFUSED;
	if (f->forbidden)
		return JR_FORBIDDEN;
	if (f->flood)
		return JR_FLOOD;
	if (f->decided)
		return JR_DECIDED;
	if (f->host_ended)
		return JR_HOST_ENDED;
	if (f->uart_complete)
		return JR_OUTPUT_RIGHT;
	if (f->timed_out)
		return JR_TIMED_OUT;
	return f->panicked ? JR_PANICKED : JR_ENDED_EARLY;
}

/* ------------------------------------------------------------- answers */

char *
answer_value(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		while (*l == ' ' || *l == '\t')
			l++;
		if (strncasecmp(l, key, kl) == 0 && l[kl] == ':') {
			const char *v = l + kl + 1, *e = strchr(v, '\n');
			while (*v == ' ' || *v == '\t')
				v++;
			if (!e)
				e = v + strlen(v);
			while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
				e--;
			return xstrndup(v, (size_t)(e - v));
		}
	}
	return NULL;
}

static void
judge_answers(const struct judge_input *in, struct result *r)
{
	const struct check *c = in->check;

	for (size_t i = 0; i < c->nanswers; i++) {
		const struct answer *a = &c->answers[i];
		const char *value = in->answer_values[i];
		char *want = xasprintf("%s: %s", a->file, a->key), *d;
		int ok = 0;

		if (!value || !*value)
			d = xasprintf("no answer yet: write it after \"%s:\" in %s (the whole boot "
				      "log is the uart.log named below)", a->key, in->answer_paths[i]);
		else if (!(d = answer_problem(in->uart, in->uart_len, value, a->re)))
			ok = 1, d = xasprintf("'%s', found in the boot log", value);
		result_add_item(r, ok, ITEM_ANSWER, want, d);
		free(d);
		free(want);
	}
}

/* ---------------------------------------------------------------- disk */

/* Each `ondisk` line: the file, read out of the disk after the boot, holds
 * its text (on any line). */
static int
judge_disk(const struct judge_input *in, struct result *r)
{
	const struct check *c = in->check;
	int failed = 0;

	for (size_t i = 0; i < c->nondisk; i++) {
		const struct disk_expect *d = &c->ondisk[i];
		const char *text = in->disk_text ? in->disk_text[i] : NULL;
		char *want = xasprintf("%s holds %s", d->path, d->pat.text), *got;
		int ok = 0;

		if (!matcher_complete(in->m)) {
			/* What writes the file (a command typed) may never have run. */
			got = xstrdup("not checked: the boot's output was not complete, so what "
				      "writes it may not have run");
			result_add_item(r, 0, ITEM_DISK, want, got);
			failed = 1;
			free(want);
			free(got);
			continue;
		}
		if (!text) {
			got = xstrdup(in->disk_why && in->disk_why[i] ? in->disk_why[i]
				      : "it was not read");
		} else {
			char *copy = xstrdup(text), *save = NULL;
			size_t s, e;
			for (char *l = strtok_r(copy, "\n", &save); l && !ok; l = strtok_r(NULL, "\n", &save))
				ok = pattern_find(&d->pat, l, 0, &s, &e);
			free(copy);
			size_t n = strcspn(text, "\n");
			got = ok ? xstrdup("it does, on the disk after the boot")
				: !*text ? xstrdup("the file is on the disk, but empty")
				: xasprintf("the file on the disk holds '%.*s'%s", (int)(n > 60 ? 60 : n),
					    text, n > 60 || text[n] ? "..." : "");
		}
		result_add_item(r, ok, ITEM_DISK, want, got);
		if (!ok && d->pat.why)
			strv_push(&r->advice, d->pat.why);
		failed |= !ok;
		free(want);
		free(got);
	}
	return failed;
}

/* -------------------------------------------------------------- served */

/* Each `served` line: the responder served a file whose name matches. */
static int
judge_served(const struct judge_input *in, struct result *r)
{
	const struct check *c = in->check;
	const char *log = in->served ? in->served : "";
	int failed = 0;

	for (size_t i = 0; i < c->nserved; i++) {
		const struct pattern *pat = &c->served[i];
		char *copy = xstrdup(log), *save = NULL, *hit = NULL;
		struct sb names;
		size_t s, e;

		sb_init(&names);
		for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			if (!hit && pattern_find(pat, l, 0, &s, &e))
				hit = l;
			if (names.len < 200)
				sb_printf(&names, "%s%s", names.len ? ", " : "", l);
		}
		char *want = xasprintf("the web responder served %s", pat->text);
		char *got = hit ? xasprintf("it served %s", hit)
			: names.len ? xasprintf("it served only: %s", names.buf)
			: xstrdup("the guest fetched no file from the web responder");
		result_add_item(r, hit != NULL, ITEM_SERVED, want, got);
		if (!hit && pat->why)
			strv_push(&r->advice, pat->why);
		failed |= !hit;
		free(want);
		free(got);
		free(copy);
		sb_release(&names);
	}
	return failed;
}

/* --------------------------------------------------------------- items */

/* The text a step is known by in the report. */
static const char *
step_text(const struct step *s)
{
	return s->kind == STEP_EXPECT ? s->pat.text : s->text;
}

/* The name of the check's first `ticks` thread ("" if none). */
static const char *
ticks_name(const struct check *c)
{
	for (size_t t = 0; t < c->nthreads; t++)
		if (c->threads[t].ticks)
			return c->threads[t].name;
	return "";
}

/* The prompt of the last send before step i of thread t, or NULL. */
static const struct pattern *
prompt_before(const struct thread *th, size_t i)
{
	while (i-- > 0)
		if (th->steps[i].kind == STEP_SEND)
			return th->steps[i].prompt;
	return NULL;
}

/* The text typed last before step i of thread t, or NULL. */
static const char *
typed_before(const struct thread *th, size_t i)
{
	while (i-- > 0)
		if (th->steps[i].kind == STEP_SEND)
			return th->steps[i].text;
	return NULL;
}

/*
 * The detail of the first step of a thread that did not happen, when the
 * output decided the run at that step; NULL when it did not. *miss says
 * the mark.
 */
static char *
decided_detail(const struct check *c, const struct matcher *m, size_t t, size_t i,
	       enum item_miss *miss)
{
	const struct match_decided *d = &m->decided;
	const struct thread *th = &c->threads[t];
	const struct pattern *p = prompt_before(th, i);

	if (d->why == MD_NONE || d->thread != t || d->step != i)
		return NULL;
	switch (d->why) {
	case MD_PROMPT_FIRST:
		if (d->late) {
			*miss = MISS_UNORDERED;
			return xasprintf("it came only after the prompt \"%s\", which the shell printed "
					 "first: %s", p ? p->text : "", d->late);
		}
		return d->between && *d->between
			? xasprintf("the prompt \"%s\" came back without it; between the typed line "
				    "and the prompt the console showed: %s", p ? p->text : "", d->between)
			: xasprintf("the prompt \"%s\" came back without it, with nothing printed "
				    "in between", p ? p->text : "");
	case MD_OUT_OF_ORDER:
		return xasprintf("not seen before \"%s\" came, which the check expects after it: %s",
				 step_text(&th->steps[d->later]), d->line);
	case MD_STALLED:
		return xasprintf("not typed: the prompt \"%s\" did not appear; the guest printed "
				 "the error \"%s\", and after it only thread %s went on",
				 th->steps[i].prompt ? th->steps[i].prompt->text : "", d->between,
				 ticks_name(c));
	default:
		return NULL;
	}
}

/* The host command that ran for step i of thread t, or NULL. */
static const struct host_run *
host_of(const struct judge_input *in, size_t t, size_t i)
{
	for (size_t k = 0; k < in->nhosts; k++)
		if (in->hosts[k].thread == t && in->hosts[k].step == i)
			return &in->hosts[k];
	return NULL;
}

/* How a host command ended, as words: "exited with status 255 after 0.3 s". */
static char *
host_how(const struct host_run *h, int limit_s)
{
	if (h->timed_out)
		return xasprintf("was still running at its limit of %d s, and was killed", limit_s);
	if (h->stopped)
		return xasprintf("was still running when the run ended (after %.1f s), and was "
				 "killed", h->ms / 1000.0);
	if (h->signo)
		return xasprintf("was killed by signal %d after %.1f s", h->signo, h->ms / 1000.0);
	return xasprintf("exited with status %d after %.1f s", h->status, h->ms / 1000.0);
}

/* The item of a host step that ran: ok when the command exited with 0. */
static void
host_item(const struct judge_input *in, size_t t, size_t i, struct result *r)
{
	const struct step *s = &in->check->threads[t].steps[i];
	const struct host_run *h = host_of(in, t, i);
	char *how, *last, *d;
	int ok;

	if (!h) {
		result_add_item(r, 0, ITEM_HOST, s->text, "its turn came, but it could not be "
				"started (see the advice below)");
		return;
	}
	how = host_how(h, s->host_s);
	last = host_last_lines(h);
	ok = h->ended && !h->timed_out && !h->stopped && h->status == 0;
	d = *last && !ok ? xasprintf("it %s; its last lines: %s (all of it: %s)", how, last,
				     h->log_path)
		: xasprintf("it %s (its output: %s)", how, h->log_path);
	result_add_item(r, ok, ITEM_HOST, s->text, d);
	free(d);
	free(last);
	free(how);
}

/* The detail of the first line a host command's output lacked. */
static char *
host_missing(const struct judge_input *in, size_t t, size_t i)
{
	const struct thread *th = &in->check->threads[t];
	size_t k = i;
	const struct host_run *h = NULL;
	char *last, *d;

	while (k-- > 0 && th->steps[k].kind != STEP_HOST)
		;
	h = host_of(in, t, k);
	if (!h)
		return xstrdup("not in the output of the host command before it, which did not "
			       "run");
	last = host_last_lines(h);
	d = *last ? xasprintf("not in the output of \"%s\", whose last lines were: %s",
			      th->steps[k].text, last)
		: xasprintf("not in the output of \"%s\", which printed nothing",
			    th->steps[k].text);
	free(last);
	return d;
}

/*
 * The item of step i of thread t. Only true words: a step after the first
 * missing one of its thread was never looked for (UNCHECKED), a line that
 * came before its turn is UNORDERED, a `line` found with text glued to it
 * is GLUED, a `once` line seen twice is REPEATED: none of them MISSING.
 */
static void
thread_item(const struct judge_input *in, size_t t, size_t i, const char *stopped,
	    struct result *r)
{
	const struct check *c = in->check;
	const struct matcher *m = in->m;
	const struct thread *th = &c->threads[t];
	const struct step *s = &th->steps[i];
	enum item_kind kind = s->kind == STEP_EXPECT ? ITEM_EXPECT
		: s->kind == STEP_HOST ? ITEM_HOST : ITEM_SEND;
	const char *early = m->early[t][i];
	size_t first = m->pos[t];
	enum item_miss miss = MISS_PLAIN;
	struct item *it;
	char *d;

	if (m->decided.why == MD_REPEATED && m->decided.thread == t && m->decided.step == i) {
		d = xasprintf("it appeared again: %s. It must appear once: %s", m->decided.line,
			      s->once);
		result_add_item(r, 0, kind, step_text(s), d)->miss = MISS_REPEATED;
		free(d);
		return;
	}
	if (i < first && kind == ITEM_HOST) {
		host_item(in, t, i, r);
		return;
	}
	if (i < first) {
		result_add_item(r, 1, kind, step_text(s), kind == ITEM_EXPECT ? m->seen[t][i] : NULL);
		return;
	}
	if (i > first || stopped) {
		const char *why = stopped ? stopped : NULL;
		char *own = NULL;
		if (!why)
			why = own = xasprintf("not %s: an earlier line (\"%s\") %s",
					      kind == ITEM_EXPECT ? "checked" : kind == ITEM_HOST
					      ? "run" : "typed",
					      step_text(&th->steps[first]), m->glued[t][first]
					      ? "appeared only with text glued to it" : "was missing");
		d = early && kind == ITEM_EXPECT
			? xasprintf("%s; it did appear, before its turn came: %s", why, early)
			: xstrdup(why);
		it = result_add_item(r, 0, kind, step_text(s), d);
		it->miss = MISS_UNCHECKED;
		free(own);
		free(d);
		return;
	}
	/* The first step of the thread that did not happen. */
	if ((d = decided_detail(c, m, t, i, &miss))) {
		result_add_item(r, 0, kind, step_text(s), d)->miss = miss;
		free(d);
		return;
	}
	if (m->glued[t][i]) {
		d = xasprintf("the line appeared with text glued to it: %s (a line must end with "
			      "\\n, and nothing else may be on it)", m->glued[t][i]);
		result_add_item(r, 0, kind, step_text(s), d)->miss = MISS_GLUED;
		free(d);
		return;
	}
	if (early) {
		if (kind == ITEM_SEND)
			d = xasprintf("not typed: its prompt \"%s\" appeared only before \"%s\" was "
				      "seen: %s", s->prompt ? s->prompt->text : "",
				      step_text(&th->steps[i - 1]), early);
		else
			d = i ? xasprintf("it appeared before \"%s\", which the check expects first: "
					  "%s", step_text(&th->steps[i - 1]), early)
				: xasprintf("it appeared out of order: %s", early);
		it = result_add_item(r, 0, kind, step_text(s), d);
		it->miss = kind == ITEM_EXPECT ? MISS_UNORDERED : MISS_PLAIN;
		free(d);
		return;
	}
	if (kind == ITEM_EXPECT && s->host) {
		d = host_missing(in, t, i);
		result_add_item(r, 0, kind, step_text(s), d);
		free(d);
		return;
	}
	if (kind == ITEM_HOST) {
		result_add_item(r, 0, kind, step_text(s), "not run: what comes before it did not "
				"appear");
		return;
	}
	if (kind == ITEM_EXPECT) {
		d = m->near[t] && m->near_step[t] == i
			? xasprintf("the nearest line was: %s", m->near[t]) : NULL;
		result_add_item(r, 0, kind, step_text(s), d);
		free(d);
		return;
	}
	d = !s->prompt ? xstrdup("not typed: what comes before it did not appear")
		: i ? xasprintf("not typed: the prompt \"%s\" did not appear after \"%s\"",
				s->prompt->text, step_text(&th->steps[i - 1]))
		: xasprintf("not typed: the prompt \"%s\" did not appear", s->prompt->text);
	result_add_item(r, 0, kind, step_text(s), d);
	free(d);
}

/* One item per expectation; returns 1 if any failed. */
static int
judge_items(const struct judge_input *in, struct result *r)
{
	const struct check *c = in->check;
	const struct matcher *m = in->m;
	const struct boot_end *end = in->end;
	int failed = 0;
	char msg[512];
	/* A forbidden line ends the run at once: what was still to come was
	 * not reached, rather than missing from a finished boot. */
	const char *stopped = m->reject_hit >= 0
		? "not reached: the run stopped at the forbidden line, marked FORBIDDEN" : NULL;
	/* So does an output that decided the run: other threads were cut short. */
	const char *cut = "not reached: the output had decided the run before it came (see "
		"the last line of the report)";

	/* The UART expectations, thread by thread, in order. */
	for (size_t t = 0; t < c->nthreads; t++) {
		const char *why = stopped;
		if (!why && m->decided.why != MD_NONE &&
		    (m->decided.thread != t || m->decided.why == MD_REPEATED))
			why = cut;
		for (size_t i = 0; i < c->threads[t].n; i++)
			thread_item(in, t, i, why, r);
		failed |= m->pos[t] < c->threads[t].n;
	}
	for (size_t i = 0; i < c->nanywhere; i++) {
		result_add_item(r, m->anywhere_seen[i] != NULL, ITEM_ANYWHERE, c->anywhere[i].text,
				m->anywhere_seen[i]);
		failed |= !m->anywhere_seen[i];
	}
	if (m->reject_hit >= 0) {
		result_add_item(r, 0, ITEM_REJECT, c->reject[m->reject_hit].text, m->reject_line);
		failed = 1;
	}
	for (size_t i = 0; i < in->nbp; i++) {
		int ok = gdb_judge(in->bps, in->nbp, i, in->hits, in->nhits, in->have_pids,
				   in->set, in->nset, msg, sizeof(msg));
		char *want = xasprintf("%s %s", c->gdb[i].elf, c->gdb[i].symbols);
		result_add_item(r, ok, ITEM_GDB, want, msg);
		free(want);
		failed |= !ok;
	}
	failed |= witness_judge(c, m, in->witness ? in->witness : &(struct witness){0},
				in->witness ? in->witness_unavailable
				: "the witness did not watch this run", r);
	size_t before = r->nitems;
	judge_answers(in, r);
	for (size_t i = before; i < r->nitems; i++)
		failed |= !r->items[i].ok;
	failed |= judge_disk(in, r);
	failed |= judge_served(in, r);
	if (c->exit_status >= 0) {
		int ok = end->qemu_exited && end->qemu_status == c->exit_status;
		char *want = xasprintf("QEMU exits with status %d", c->exit_status);
		char *d = end->qemu_exited ? xasprintf("QEMU exited with status %d", end->qemu_status)
			: xstrdup(stopped ? stopped : "QEMU was still running");
		result_add_item(r, ok, ITEM_EXIT, want, d);
		free(want);
		free(d);
		failed |= !ok;
	}
	return failed;
}

/* The check's own words (explain) for what failed first: the forbidden
 * line, else each thread's first missing line, and missing anywheres. */
static void
explain(const struct check *c, const struct matcher *m, struct result *r)
{
	if (m->reject_hit >= 0) {
		if (c->reject[m->reject_hit].why)
			strv_push(&r->advice, c->reject[m->reject_hit].why);
		return;
	}
	/* A repeated `once` line: its WHY is what the repeat means. */
	if (m->decided.why == MD_REPEATED) {
		const struct step *s = &c->threads[m->decided.thread].steps[m->decided.step];
		if (s->once)
			strv_push(&r->advice, s->once);
	}
	for (size_t t = 0; t < c->nthreads; t++) {
		const struct thread *th = &c->threads[t];
		for (size_t i = m->pos[t]; i < th->n; i++)
			if (th->steps[i].kind == STEP_EXPECT) {
				if (th->steps[i].pat.why)
					strv_push(&r->advice, th->steps[i].pat.why);
				break;
			}
	}
	for (size_t i = 0; i < c->nanywhere; i++)
		if (!m->anywhere_seen[i] && c->anywhere[i].why)
			strv_push(&r->advice, c->anywhere[i].why);
}

/* What the first failed item says, as part of a sentence (caller frees). */
static char *
first_cause(const struct result *r)
{
	const struct item *it = result_first_failed(r);

	if (!it)
		return xstrdup("nothing the check lists failed");
	switch (it->miss) {
	case MISS_GLUED:
		return xasprintf("\"%s\" appeared with text glued to it", it->text);
	case MISS_UNORDERED:
		return xasprintf("\"%s\" appeared out of order", it->text);
	case MISS_REPEATED:
		return xasprintf("\"%s\" appeared more than once", it->text);
	default:
		break;
	}
	if (it->kind == ITEM_EXPECT || it->kind == ITEM_ANYWHERE)
		return it->detail ? xasprintf("\"%s\" never appeared (%s)", it->text, it->detail)
			: xasprintf("\"%s\" never appeared", it->text);
	return it->detail ? xasprintf("%s: %s", it->text, it->detail) : xstrdup(it->text);
}

/* The headline of a run the output decided (match.h). */
static void
decided_headline(const struct check *c, const struct matcher *m, struct result *r)
{
	const struct match_decided *d = &m->decided;
	const struct thread *th = &c->threads[d->thread];
	const struct step *s = &th->steps[d->step];
	const char *typed = typed_before(th, d->step);

	switch (d->why) {
	case MD_PROMPT_FIRST:
		if (d->late)
			result_set(r, V_FAIL, "expected \"%s\" after \"%s\" was typed, before the next "
				   "prompt; the prompt came first, the line after it: %s",
				   step_text(s), typed ? typed : "", d->late);
		else if (d->between && *d->between)
			result_set(r, V_FAIL, "expected \"%s\" after \"%s\" was typed; before the prompt "
				   "came back, the console showed \"%s\"", step_text(s),
				   typed ? typed : "", d->between);
		else
			result_set(r, V_FAIL, "expected \"%s\" after \"%s\" was typed; the prompt came "
				   "back with nothing printed before it", step_text(s),
				   typed ? typed : "");
		break;
	case MD_REPEATED:
		result_set(r, V_FAIL, "\"%s\" appeared again, and it must appear once: %s",
			   step_text(s), s->once);
		break;
	case MD_OUT_OF_ORDER:
		result_set(r, V_FAIL, "\"%s\" came before \"%s\", which the stage expects first",
			   step_text(&th->steps[d->later]), step_text(s));
		break;
	case MD_STALLED:
		result_set(r, V_FAIL, "the guest printed an error, \"%s\", and after it only thread "
			   "%s went on: \"%s\" was never typed, its prompt \"%s\" never came",
			   d->between, ticks_name(c), s->text,
			   s->prompt ? s->prompt->text : "");
		break;
	case MD_NONE:
		break;
	}
}

/* The headline of a run whose host command ended before the lines after
 * it: the first thread left waiting, what it waited for, how the command
 * ended and what it said last. */
static void
host_ended_headline(const struct judge_input *in, struct result *r)
{
	const struct check *c = in->check;
	const struct matcher *m = in->m;

	for (size_t t = 0; t < c->nthreads; t++) {
		const struct thread *th = &c->threads[t];
		size_t i = m->pos[t], k = i;
		if (i >= th->n || !th->steps[i].host)
			continue;
		while (k-- > 0 && th->steps[k].kind != STEP_HOST)
			;
		const struct host_run *h = host_of(in, t, k);
		if (!h)
			continue;
		char *how = host_how(h, th->steps[k].host_s), *last = host_last_lines(h);
		result_set(r, V_FAIL, "the command the check ran on the host (%.40s...) %s "
			   "before it printed \"%s\"; %s%s", th->steps[k].text, how,
			   step_text(&th->steps[i]), *last ? "its last lines: " : "it printed nothing",
			   last);
		free(how);
		free(last);
		return;
	}
	result_set(r, V_FAIL, "a command the check ran on the host ended before it printed what "
		   "the stage expects");
}

/* The verdict and its headline, from the precedence rule. */
static void
decide(const struct judge_input *in, int failed, struct result *r)
{
	const struct check *c = in->check;
	const struct matcher *m = in->m;
	const struct boot_seen *seen = in->seen;
	const struct boot_end *end = in->end;
	struct judge_facts f = {
		.interrupted = end->interrupted,
		.failed = failed,
		.qemu_refused = seen->qemu_said && !seen->saw_run_init && end->qemu_exited &&
			!m->panic_line,
		.forbidden = m->reject_hit >= 0,
		.flood = end->flood,
		.decided = m->decided.why != MD_NONE,
		.host_ended = end->host_ended,
		.uart_complete = matcher_complete(m),
		.timed_out = end->timed_out,
		.panicked = m->panic_line != NULL,
	};
	const struct item *first;
	char *cause;

	switch (judge_reason(&f)) {
	case JR_INTERRUPTED:
		r->interrupted = 1;
		result_set(r, V_ERROR, "interrupted");
		break;
	case JR_ALL_HELD:
		result_set(r, V_PASS, "everything the stage expects was seen");
		break;
	case JR_QEMU_REFUSED:
		/* An archive QEMU refuses is the learner's to fix, anything
		 * else the set-up's. */
		result_set(r, seen->qemu_said_initrd ? V_FAIL : V_ERROR,
			   "QEMU stopped before the machine started: %s", seen->qemu_said);
		break;
	case JR_FORBIDDEN:
		/* A pattern says little to a learner: the line itself says more. */
		if (c->reject[m->reject_hit].is_regex && m->reject_line)
			result_set(r, V_FAIL, "the guest printed a line that must not appear: \"%.160s\"",
				   m->reject_line);
		else
			result_set(r, V_FAIL, "this must not appear: \"%s\"",
				   c->reject[m->reject_hit].text);
		break;
	case JR_FLOOD:
		result_set(r, V_FAIL, "the guest printed more than %llu MiB without the output the "
			   "stage expects: is a loop printing without pause?", UART_FLOOD >> 20);
		break;
	case JR_DECIDED:
		decided_headline(c, m, r);
		break;
	case JR_HOST_ENDED:
		host_ended_headline(in, r);
		break;
	case JR_OUTPUT_RIGHT:
		first = result_first_failed(r);
		result_set(r, V_FAIL, "the output is right, but %s",
			   first->detail ? first->detail : first->text);
		break;
	case JR_TIMED_OUT:
		if (end->silent_ms >= 1000)
			result_set(r, V_TIMEOUT, "nothing decided the run within %d s (%s); the guest "
				   "had printed nothing for the last %.1f s, its last line: \"%s\"",
				   c->timeout_s, in->limit_note ? in->limit_note : "the stage's limit",
				   end->silent_ms / 1000.0, matcher_last_line(m));
		else
			result_set(r, V_TIMEOUT, "nothing decided the run within %d s (%s); the guest "
				   "was still printing, its last line: \"%s\"", c->timeout_s,
				   in->limit_note ? in->limit_note : "the stage's limit",
				   matcher_last_line(m));
		break;
	case JR_PANICKED:
		cause = first_cause(r);
		result_set(r, V_FAIL, "the kernel panicked, and the output was not what the stage "
			   "expects: %s", cause);
		free(cause);
		break;
	case JR_ENDED_EARLY:
		cause = first_cause(r);
		if (end->qemu_exited)
			result_set(r, V_FAIL, "QEMU ended (exit status %d), and the output was not what "
				   "the stage expects: %s", end->qemu_status, cause);
		else
			result_set(r, V_FAIL, "QEMU ended, and the output was not what the stage "
				   "expects: %s", cause);
		free(cause);
		break;
	}
}

/* Advice that only a failed run needs. */
static void
advise(const struct judge_input *in, struct result *r)
{
	const struct boot_seen *seen = in->seen;
	char msg[512];

	if (seen->diag.exitcode_seen) {
		/* The exit code of init, decoded, unless the stage wanted exactly
		 * that. A stage that expects init to end (its check names the
		 * panic with a code) is told what it wanted, not that PID 1 must
		 * never exit. */
		char code[32];
		int wanted = 0;
		const char *expects_end = NULL;
		snprintf(code, sizeof(code), "exitcode=0x%08x", seen->diag.exitcode);
		for (size_t i = 0; i < r->nitems; i++) {
			const char *k = strstr(r->items[i].text, "Attempted to kill init! exitcode=");
			if (k && strstr(r->items[i].text, code))
				wanted = 1;
			else if (k)
				expects_end = k + strlen("Attempted to kill init! ");
		}
		if (!wanted && expects_end) {
			unsigned want = (unsigned)strtoul(expects_end + strlen("exitcode="), NULL, 16);
			unsigned got = seen->diag.exitcode;
			if (got & 0x7f)
				diagnose_exitcode(got, msg, sizeof(msg));
			else
				snprintf(msg, sizeof(msg), "init ended with exit status %u (%s, or exit(%u)); "
					 "this stage expects it to end with %.19s, exit status %u: return "
					 "%u from main", (got >> 8) & 0xff,
					 (got >> 8) & 0xff ? "a non-zero return from main" : "return 0",
					 (got >> 8) & 0xff, expects_end, (want >> 8) & 0xff,
					 (want >> 8) & 0xff);
			strv_push(&r->advice, msg);
		} else if (!wanted) {
			diagnose_exitcode(seen->diag.exitcode, msg, sizeof(msg));
			strv_push(&r->advice, msg);
		}
	}
	/* Silence from a live init (no panic, no failed exec): unflushed output? */
	if (seen->saw_run_init && !seen->user_output && !seen->diag.exitcode_seen &&
	    seen->diag.n == 0) {
		int main_ran = 0;
		for (size_t i = 0; i < in->nhits; i++)
			if (!strcmp(in->bps[in->hits[i].bp].symbol, "main"))
				main_ran = 1;
		strv_pushf(&r->advice, "%s printed nothing. Output to the console is line-buffered: "
			   "text without a final \\n stays in the buffer until the buffer fills. End "
			   "lines with \\n, or call fflush(stdout) before sleep(), fork() or exec()",
			   main_ran ? "/init started (gdb saw its main run) but"
			   : "after 'Run /init', the guest");
	}
	if (in->end->timed_out && !seen->saw_run_init && in->check->build)
		strv_push(&r->advice, "the kernel never reached 'Run /init as init process'");
}

void
judge(const struct judge_input *in, struct result *r)
{
	const struct matcher *m = in->m;
	int failed = judge_items(in, r);

	if (in->gdb_error)
		strv_pushf(&r->advice, "gdb stopped watching early (%s): the gdb facts above may be "
			   "incomplete; the transcript is %s", in->gdb_error, in->gdb_log);
	explain(in->check, m, r);
	/* When the UART said all the stage expects, what failed is elsewhere
	 * (gdb, answers): the boot log's last lines and its diagnoses would only
	 * distract. */
	if (!matcher_complete(m) || m->reject_hit >= 0) {
		r->last_lines = matcher_last_lines(m, 20);
		for (size_t i = 0; i < m->errors.n; i++)
			strv_push(&r->guest_errors, m->errors.v[i]);
		r->guest_errors_more = m->errors_more;
		for (size_t i = 0; !in->check->no_diagnose && i < in->seen->diag.n; i++)
			strv_push(&r->advice, diagnose_text(&in->seen->diag, i));
	}
	decide(in, failed, r);
	/* A check that needs the witness cannot be failed for the witness's
	 * own trouble: when nothing else fell short, that is the lab's error. */
	if (r->verdict == V_FAIL && in->check->nwrules && in->witness && in->witness_unavailable) {
		int other = 0;
		for (size_t i = 0; i < r->nitems; i++)
			other |= !r->items[i].ok && r->items[i].kind != ITEM_WITNESS;
		if (!other)
			result_set(r, V_ERROR, "the witness could not watch this boot: %s",
				   in->witness_unavailable);
	}
	if (r->verdict != V_PASS) {
		advise(in, r);
		if (in->witness && !in->witness_unavailable)
			witness_advise(in->witness, &r->advice);
	}
}
