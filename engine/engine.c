/*
 * engine.c: see engine.h.
 *
 * The shape follows xv6's exec(): prepare everything first (the run
 * folder, the build, the archive, the breakpoints, the script), and only
 * then start QEMU; one cleanup path at the end stops QEMU and gdb
 * whatever happened in between.
 */
#include "engine.h"
#include "build.h"
#include "diagnose.h"
#include "elfsym.h"
#include "gdb.h"
#include "initramfs.h"
#include "match.h"
#include "qemu.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define UART_LOG_CAP   (1024 * 1024)       /* bytes of UART kept on disk */
#define UART_FLOOD     (64ull * 1024 * 1024) /* bytes after which we stop listening */

/* Everything one run needs, in one place (no globals: two runs in one
 * process, as `grade --jobs` does in its children, never share anything). */
struct run {
	const struct check_opts *o;
	struct result *r;
	struct check check;
	char *top, *dir, *src, *cpio, *kernel, *vmlinux, *socket;
	initramfs_t archive;
	int have_archive;
	struct gdb_bp *bps;
	size_t nbp;
	int have_pids;
	struct diagnoses diag;
	int saw_run_init, user_output;
	int gdb_fd;            /* gdb's listening socket, handed to QEMU */
	char *qemu_said;       /* QEMU's own complaint, when it would not start */
	char *sockdir;         /* a short folder for the socket, when run_dir is too deep */
	int qemu_said_initrd;
	long long t_start;     /* for LAB_TIMING=1: when the check began */
	int timing;
};

/* LAB_TIMING=1 prints when each phase of a check starts (docs/benchmarks.md). */
static void
mark(const struct run *x, const char *what)
{
	if (x->timing)
		fprintf(stderr, "timing: %5lld ms  %s\n", now_ms() - x->t_start, what);
}

/* ----------------------------------------------------------- 2. inspect */

static void
inspect(struct run *x)
{
	char err[512];
	struct result *r = x->r;

	if (initramfs_load(&x->archive, x->cpio, err, sizeof(err)) < 0) {
		strv_pushf(&r->advice, "%s", err);
		return;
	}
	x->have_archive = 1;
	/* What the learner's file list names must be in the archive. */
	struct strv want = {0};
	char *list = xasprintf("%s/file_list.txt", x->src), *text;
	if (read_file(list, &text, NULL) == 0) {
		char *save = NULL;
		for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			while (*l == ' ' || *l == '\t')
				l++;
			size_t n = strcspn(l, " \t\r");
			if (n && l[0] != '#') {
				l[n] = '\0';
				strv_push(&want, l);
			}
		}
		free(text);
	}
	free(list);
	size_t cap = 4096;
	char *out = xcalloc(1, cap);
	if (initramfs_check(&x->archive, (const char *const *)want.v, out, cap) > 0) {
		char *save = NULL;
		for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			strv_push(&r->advice, l);
	}
	free(out);
	strv_release(&want);
}

/* ------------------------------------------------------ breakpoints */

static void
resolve_breakpoints(struct run *x)
{
	struct check *c = &x->check;
	/* The booted kernel's vmlinux, mapped at the first kernel breakpoint. */
	const unsigned char *kdata = NULL;
	size_t klen = 0;
	int kmapped = 0;

	x->bps = xcalloc(c->ngdb + 1, sizeof(*x->bps));
	x->nbp = c->ngdb;
	for (size_t i = 0; i < c->ngdb; i++) {
		struct gdb_bp *b = &x->bps[i];
		const struct gdb_expect *g = &c->gdb[i];
		b->want = g;
		char *alts = xstrdup(g->symbols), *save = NULL;
		char *firstsym = strtok_r(alts, "|", &save);
		if (!strcmp(g->elf, "vmlinux")) {
			/* gdb sets kernel breakpoints by name, from vmlinux's own
			 * symbols; a name it cannot find must not reach it (its
			 * `commands` block would then run at once, as a false hit).
			 * A learner's kernel (stage 06) may lack the code. */
			b->kernel = 1;
			b->symbol = xstrdup(firstsym ? firstsym : g->symbols);
			if (!kmapped++ && map_file(x->vmlinux, &kdata, &klen) < 0)
				kdata = NULL;
			uint64_t addr;
			/* Only a clear "not in its symbol table" counts: an
			 * unreadable file is gdb's to report. */
			if (kdata && elf_symbol(kdata, klen, b->symbol, &addr) == -1)
				b->problem = xasprintf("the kernel that booted has no function %s: the code "
						       "that holds it was not built into this kernel (its "
						       "configuration left it out)", b->symbol);
			free(alts);
			continue;
		}
		const struct cpio_entry *e = x->have_archive ? initramfs_find(&x->archive, g->elf) : NULL;
		/* Follow symlinks inside the archive (bin/sh -> busybox). */
		for (int hops = 0; e && (e->mode & 0170000) == 0120000 && hops < 8; hops++) {
			/* A relative target is relative to the link's own folder. */
			char *target = xstrndup((const char *)e->data, e->size);
			const char *slash = strrchr(e->name, '/');
			char *path = target[0] == '/' || !slash ? xstrdup(target)
				: xasprintf("%.*s/%s", (int)(slash - e->name), e->name, target);
			e = initramfs_find(&x->archive, path);
			free(path);
			free(target);
		}
		if (!e) {
			b->symbol = xstrdup(firstsym ? firstsym : g->symbols);
			b->problem = xasprintf("the archive has no /%s, so its %s could not be watched",
					       g->elf, b->symbol);
			free(alts);
			continue;
		}
		int rc = -1;
		for (char *s = firstsym; s; s = strtok_r(NULL, "|", &save)) {
			uint64_t addr;
			rc = elf_symbol(e->data, e->size, s, &addr);
			if (rc == 0) {
				uint64_t next;
				b->symbol = xstrdup(s);
				/* The second instruction: see elf_next_insn() for why. */
				b->addr = elf_next_insn(e->data, e->size, addr, &next) == 0 ? next : addr;
				break;
			}
			if (rc != -1)
				break;
		}
		if (!b->symbol)
			b->symbol = xstrdup(firstsym ? firstsym : g->symbols);
		if (rc == -1)
			b->problem = xasprintf("/%s has no function %s: the program never calls it "
					       "(or it was not linked in)", g->elf, b->symbol);
		else if (rc == -2)
			b->problem = xasprintf("cannot read the symbols of /%s (stripped, or not a 64-bit "
					       "RISC-V program): build it with -g and do not strip it", g->elf);
		else if (rc == -3)
			b->problem = xasprintf("/%s is position independent (PIE), so gdb cannot know where "
					       "%s will be: link it with -static -no-pie", g->elf, b->symbol);
		free(alts);
	}
	unmap_file(kdata, klen);
}

/* -------------------------------------------------------- 3-4. boot, drive */

static void
on_uart_line(void *ctx, const char *line)
{
	struct run *x = ctx;
	/* Before the firmware's banner, lines are QEMU's own, e.g. an initrd
	 * too large for the guest's memory. */
	if (!strncmp(line, "qemu-system-riscv64: ", 21) && !x->qemu_said)
		x->qemu_said = xstrdup(line + 21);
	if (x->qemu_said && (strstr(line, "initrd") || strstr(line, "initramfs")))
		x->qemu_said_initrd = 1;
	diagnose_line(&x->diag, line);
	if (strstr(line, "Run /init as init process")) {
		x->saw_run_init = 1;
		mark(x, "Run /init");
	} else if (x->saw_run_init && line[0] && line[0] != '[' && strncmp(line, "qemu-system-riscv64: ", 21))
		x->user_output = 1;   /* not the kernel's, not QEMU's: the guest's programs' */
}

struct boot_end {
	int qemu_exited, qemu_status, timed_out, flood, interrupted;
	int late;              /* booting at once, gdb attached after "Run /init" */
};

/* One read of QEMU's output: log it (capped), feed the matcher, type what
 * it says to. Returns the bytes read, 0 at end of output, -1 if none now. */
static ssize_t
uart_take(struct run *x, struct matcher *m, struct qemu *q, int uart, size_t *logged)
{
	char buf[16384];
	ssize_t n = read(q->out_fd, buf, sizeof(buf));
	struct strv to_send = {0};

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? -1 : 0;
	if (n == 0)
		return 0;
	/* Keep at most UART_LOG_CAP bytes on disk, then say so once. */
	if (uart >= 0 && *logged < UART_LOG_CAP) {
		size_t k = (size_t)n < UART_LOG_CAP - *logged ? (size_t)n : UART_LOG_CAP - *logged;
		(void)!write(uart, buf, k);
		*logged += k;
		if (*logged == UART_LOG_CAP) {
			static const char cut[] = "\n[lab-runner: the log stops here, at 1 MiB]\n";
			(void)!write(uart, cut, sizeof(cut) - 1);
		}
	}
	if (m->bytes == 0)
		mark(x, "the first UART output");
	matcher_feed(m, buf, (size_t)n, &to_send);
	for (size_t i = 0; i < to_send.n; i++) {
		char *l = xasprintf("%s\n", to_send.v[i]);
		(void)!write(q->in_fd, l, strlen(l));
		free(l);
	}
	strv_release(&to_send);
	return n;
}

/*
 * Boot and drive the guest until the verdict is known. early: every
 * breakpoint is in user space, so the kernel may boot while gdb is still
 * starting (it gets 0.4 s before /init); if gdb turns out to have attached
 * after /init started, end->late is set and the caller boots again, paused.
 */
static void
boot(struct run *x, struct matcher *m, struct gdb_session *g, struct boot_end *end, int early)
{
	struct result *r = x->r;
	struct check *c = &x->check;
	struct qemu q;
	struct qemu_opts qo = {0};
	char err[512];
	int uart = -1, gdb_on = 0;
	size_t logged = 0;
	long long t0 = now_ms(), deadline;

	memset(end, 0, sizeof(*end));
	qo.kernel = x->kernel;
	qo.initrd = c->build || x->o->initramfs ? x->cpio : NULL;
	qo.append = c->append;
	qo.memory_mb = c->memory_mb;
	qo.gdb_fd = x->gdb_fd;
	qo.gdb_running = early;
	/* Grading always counts instructions: the guest then runs the same way
	 * every time (timer interrupts land at the same instructions), so a
	 * class's reports are the same bytes run after run. */
	qo.real_clock = c->real_clock && !x->o->grading;
	qo.lab_top = x->top;
	qo.token = c->network ? c->nonce : NULL;
	struct strv argv = {0};
	qemu_argv(&qo, &argv);
	struct sb line;
	sb_init(&line);
	for (size_t i = 0; i < argv.n; i++)
		sb_printf(&line, "%s%s", i ? " " : "", argv.v[i]);
	strv_push(&r->commands, line.buf);
	sb_release(&line);
	strv_release(&argv);

	mark(x, "QEMU starts");
	if (qemu_start(&q, &qo, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s (is qemu-system-riscv64 installed? make setup)", err);
		return;
	}
	uart = open(r->uart_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (g->pid > 0) {
		/* gdb is up, or starting (it was started before the build); now it
		 * connects and sets its breakpoints, while the guest waits. */
		int pid_off = -1, comm_off = -1;
		char *cache = xasprintf("%s.task-offsets", x->vmlinux);
		char *script = xasprintf("%s/watch.gdb", r->run_dir);
		x->have_pids = gdb_task_offsets(x->vmlinux, cache, &pid_off, &comm_off) == 0;
		mark(x, "gdb: connect, breakpoints, continue");
		if (gdb_watch(g, script, x->bps, x->nbp, x->socket, x->have_pids ? pid_off : -1,
			      comm_off) == 0)
			gdb_on = 1;
		strv_pushf(&r->commands, "gdb-multiarch -q -nx < %s", script);
		free(cache);
		free(script);
		if (!gdb_on) {
			result_set(r, V_ERROR, "gdb-multiarch stopped before it could watch (see %s)",
				    r->gdb_log);
			qemu_stop(&q, 0);
			if (uart >= 0)
				close(uart);
			return;
		}
	}
	deadline = now_ms() + (long long)c->timeout_s * 1000;
	for (;;) {
		struct pollfd p[3] = {
			{q.out_fd, POLLIN, 0},
			{gdb_on ? g->out_fd : -1, POLLIN, 0},
			{x->o->sigfd, POLLIN, 0},
		};
		long long left = deadline - now_ms();
		if (left <= 0) {
			end->timed_out = 1;
			break;
		}
		if (poll(p, 3, (int)(left < 200 ? left : 200)) < 0 && errno != EINTR)
			break;
		if (p[2].revents & POLLIN) {
			end->interrupted = 1;
			break;
		}
		if (p[1].revents & (POLLIN | POLLHUP)) {
			int was_armed = g->armed;
			if (!gdb_read(g))
				p[1].fd = -1, gdb_on = 0;
			if (early && g->armed && !was_armed) {
				/* QEMU paused the guest when gdb attached, so whatever it
				 * printed before is in the pipe now: read it all. If /init
				 * had started already, a breakpoint may have come too late. */
				while (uart_take(x, m, &q, uart, &logged) > 0)
					;
				mark(x, "gdb's breakpoints are in");
				if (x->saw_run_init) {
					end->late = 1;
					break;
				}
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			/* Any gdb hits printed before this output belong before it. */
			if (gdb_on)
				gdb_read(g);
			ssize_t n = uart_take(x, m, &q, uart, &logged);
			if (n == 0) {
				end->qemu_exited = 1;
				break;
			}
			if (m->bytes > UART_FLOOD) {
				end->flood = 1;
				break;
			}
		}
		if (m->reject_hit >= 0)
			break;
		if (matcher_complete(m) && c->exit_status < 0)
			break;
	}
	if (gdb_on)
		gdb_read(g);
	/* The guest finished (or the time ran out) before gdb attached at all. */
	if (early && !g->armed && !end->interrupted)
		end->late = 1;
	end->qemu_status = qemu_stop(&q, end->qemu_exited);
	gdb_stop(g);
	if (uart >= 0)
		close(uart);
	r->ms_boot = now_ms() - t0;
}

/* ------------------------------------------------------------- 5. judge */

/* Is value in text as a whole word (not inside a longer word or number)?
 * "0x1000000" must not pass for "0x10000000". */
static int
word_in(const char *text, size_t len, const char *value)
{
	size_t n = strlen(value);
	const char *p = text, *end = text + len;

	while (n && (p = memmem(p, (size_t)(end - p), value, n))) {
		int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '_');
		if (!before && !after)
			return 1;
		p++;
	}
	return 0;
}

static void
judge_answers(struct run *x)
{
	struct check *c = &x->check;
	char *log = NULL;
	size_t loglen = 0;

	if (!c->nanswers)
		return;
	if (read_file(x->r->uart_log, &log, &loglen) < 0)
		log = xstrdup("");
	for (size_t i = 0; i < c->nanswers; i++) {
		const struct answer *a = &c->answers[i];
		char *path = xasprintf("%s/%s", x->dir ? x->dir : ".", a->file), *text = NULL;
		char *value = NULL;
		struct stat st;
		/* When grading, only a plain file of the submission's own is read. */
		int readable = x->dir && (!x->o->grading || (lstat(path, &st) == 0 && S_ISREG(st.st_mode)));
		if (readable && read_file(path, &text, NULL) == 0) {
			size_t kl = strlen(a->key);
			for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
				while (*l == ' ' || *l == '\t')
					l++;
				if (strncasecmp(l, a->key, kl) == 0 && l[kl] == ':') {
					char *v = l + kl + 1, *e = strchr(v, '\n');
					while (*v == ' ' || *v == '\t')
						v++;
					if (!e)
						e = v + strlen(v);
					while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
						e--;
					value = xstrndup(v, (size_t)(e - v));
					break;
				}
			}
		}
		char *want = xasprintf("%s: %s", a->file, a->key);
		size_t s, e;
		if (!value || !*value) {
			char *d = xasprintf("no answer yet: write it after \"%s:\" in %s (the whole boot "
					    "log is the uart.log named below)", a->key, path);
			result_add_item(x->r, 0, ITEM_ANSWER, want, d);
			free(d);
		} else if (!word_in(log, loglen, value)) {
			char *d = xasprintf("'%s' does not appear in this boot's output: copy it exactly", value);
			result_add_item(x->r, 0, ITEM_ANSWER, want, d);
			free(d);
		} else if (a->re && !pattern_find(a->re, value, 0, &s, &e)) {
			char *d = xasprintf("'%s' is in the output, but is not the part asked for", value);
			result_add_item(x->r, 0, ITEM_ANSWER, want, d);
			free(d);
		} else {
			char *d = xasprintf("'%s', found in the boot log", value);
			result_add_item(x->r, 1, ITEM_ANSWER, want, d);
			free(d);
		}
		free(want);
		free(value);
		free(text);
		free(path);
	}
	free(log);
}

static void
judge(struct run *x, struct matcher *m, struct gdb_session *g, const struct boot_end *end)
{
	struct check *c = &x->check;
	struct result *r = x->r;
	int failed = 0;
	char msg[512];
	/* A forbidden line ends the run at once: what was still to come was
	 * not reached, rather than missing from a finished boot. */
	const char *stopped = m->reject_hit >= 0
		? "not reached: the run stopped at the forbidden line, marked FORBID" : NULL;

	/* The UART expectations, thread by thread, in order. */
	for (size_t t = 0; t < c->nthreads; t++) {
		const struct thread *th = &c->threads[t];
		for (size_t i = 0; i < th->n; i++) {
			const struct step *s = &th->steps[i];
			int ok = i < m->pos[t];
			if (s->kind == STEP_EXPECT) {
				result_add_item(r, ok, ITEM_EXPECT, s->pat.text, ok ? m->seen[t][i] : stopped);
			} else {
				char *d = ok ? NULL : s->prompt
					? xasprintf("not typed: the prompt \"%s\" did not appear", s->prompt->text)
					: xstrdup("not typed: what comes before it did not appear");
				result_add_item(r, ok, ITEM_SEND, s->text, d);
				free(d);
			}
			failed |= !ok;
		}
	}
	for (size_t i = 0; i < c->nanywhere; i++) {
		result_add_item(r, m->anywhere_seen[i] != NULL, ITEM_ANYWHERE, c->anywhere[i].text, m->anywhere_seen[i]);
		failed |= !m->anywhere_seen[i];
	}
	if (m->reject_hit >= 0) {
		result_add_item(r, 0, ITEM_REJECT, c->reject[m->reject_hit].text, m->reject_line);
		failed = 1;
	}
	for (size_t i = 0; i < x->nbp; i++) {
		int ok = gdb_judge(x->bps, x->nbp, i, g->hits, g->nhits, x->have_pids, msg, sizeof(msg));
		char *want = xasprintf("%s %s", c->gdb[i].elf, c->gdb[i].symbols);
		result_add_item(r, ok, ITEM_GDB, want, msg);
		free(want);
		failed |= !ok;
	}
	if (g->error)
		strv_pushf(&r->advice, "gdb stopped watching early (%s): the gdb facts above may be "
			   "incomplete; the transcript is %s", g->error, r->gdb_log);
	size_t before = r->nitems;
	judge_answers(x);
	for (size_t i = before; i < r->nitems; i++)
		failed |= !r->items[i].ok;
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

	/* The check's own words (explain) for what failed first: the forbidden
	 * line, else each thread's first missing line, and missing anywheres. */
	if (m->reject_hit >= 0 && c->reject[m->reject_hit].why) {
		strv_push(&r->advice, c->reject[m->reject_hit].why);
	} else if (m->reject_hit < 0) {
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
	/* When the UART said all the stage expects, what failed is elsewhere
	 * (gdb, answers): the boot log's last lines and its diagnoses would only
	 * distract. */
	if (!matcher_complete(m) || m->reject_hit >= 0) {
		r->last_lines = matcher_last_lines(m, 20);
		for (size_t i = 0; i < x->diag.n; i++)
			strv_push(&r->advice, diagnose_text(&x->diag, i));
	}

	if (end->interrupted) {
		r->interrupted = 1;
		result_set(r, V_ERROR, "interrupted");
	} else if (!failed) {
		result_set(r, V_PASS, "everything the stage expects was seen");
	} else if (x->qemu_said && !x->saw_run_init && end->qemu_exited && !m->panic_line) {
		/* QEMU would not start the machine: an archive it refuses is the
		 * learner's to fix, anything else the set-up's. */
		result_set(r, x->qemu_said_initrd ? V_FAIL : V_ERROR,
			    "QEMU stopped before the machine started: %s", x->qemu_said);
	} else if (m->reject_hit >= 0) {
		result_set(r, V_FAIL, "this must not appear: \"%s\"", c->reject[m->reject_hit].text);
	} else if (end->flood) {
		result_set(r, V_FAIL, "the guest printed more than %llu MiB without the output the "
			    "stage expects: is a loop printing without pause?", UART_FLOOD >> 20);
	} else if (matcher_complete(m)) {
		/* The UART said all it should; something else did not hold. */
		for (size_t i = 0; i < r->nitems; i++)
			if (!r->items[i].ok) {
				result_set(r, V_FAIL, "the output is right, but %s", r->items[i].detail
					    ? r->items[i].detail : r->items[i].text);
				break;
			}
	} else if (end->timed_out) {
		result_set(r, V_TIMEOUT, "nothing decided the run within %d s (the stage's limit); "
			    "the missing output never came", c->timeout_s);
	} else {
		result_set(r, V_FAIL, m->panic_line ? "the kernel panicked before the stage's output "
			    "was complete" : "QEMU ended before the stage's output was complete");
	}
	if (r->verdict == V_PASS)
		return;
	if (x->diag.exitcode_seen) {
		/* The exit code of init, decoded, unless the stage wanted exactly that. */
		char code[32];
		int wanted = 0;
		snprintf(code, sizeof(code), "exitcode=0x%08x", x->diag.exitcode);
		for (size_t i = 0; i < r->nitems; i++)
			if (strstr(r->items[i].text, "Attempted to kill init!") && strstr(r->items[i].text, code))
				wanted = 1;
		if (!wanted) {
			diagnose_exitcode(x->diag.exitcode, msg, sizeof(msg));
			strv_push(&r->advice, msg);
		}
	}
	/* Silence from a live init (no panic, no failed exec): unflushed output? */
	if (x->saw_run_init && !x->user_output && !x->diag.exitcode_seen && x->diag.n == 0) {
		int main_ran = 0;
		for (size_t i = 0; i < g->nhits; i++)
			if (!strcmp(x->bps[g->hits[i].bp].symbol, "main"))
				main_ran = 1;
		strv_pushf(&r->advice, "%s printed nothing. Output to the console is line-buffered: "
			   "text without a final \\n stays in the buffer until the buffer fills. End "
			   "lines with \\n, or call fflush(stdout) before sleep(), fork() or exec()",
			   main_ran ? "/init started (gdb saw its main run) but" : "after 'Run /init', the guest");
	}
	if (end->timed_out && !x->saw_run_init && c->build)
		strv_push(&r->advice, "the kernel never reached 'Run /init as init process'");
}

/* --------------------------------------------------------------- the run */

/* Make gdb's listening socket and start gdb (settings, vmlinux if needed). */
static int
start_gdb(struct run *x, struct gdb_session *g, char *err, size_t errlen)
{
	const struct check *c = &x->check;
	int need_vmlinux = 0;
	char *script = xasprintf("%s/watch.gdb", x->r->run_dir);

	for (size_t i = 0; i < c->ngdb; i++)
		need_vmlinux |= !strcmp(c->gdb[i].elf, "vmlinux");
	if (x->gdb_fd >= 0)
		close(x->gdb_fd);
	x->gdb_fd = unix_listen(x->socket, err, errlen);
	mark(x, "gdb starts");
	int rc = x->gdb_fd < 0 ? -1 : gdb_start(g, x->r->gdb_log, script,
						 need_vmlinux ? x->vmlinux : NULL, err, errlen);
	free(script);
	return rc;
}

#define RUNS_KEPT 10

struct aged {
	char *path;
	long long mtime;
};

static int
aged_newest_first(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;
	return x->mtime < y->mtime ? 1 : x->mtime > y->mtime ? -1 : 0;
}

/* Keep the RUNS_KEPT newest run folders of a stage beside run_dir; a
 * learner checking all day must not fill the disk. */
static void
prune_runs(const char *run_dir, const char *stage)
{
	char *root = xstrdup(run_dir);
	char *slash = strrchr(root, '/');
	struct aged *runs = NULL;
	size_t n = 0, len = strlen(stage);
	DIR *d;
	struct dirent *e;

	if (slash)
		*slash = '\0';
	d = opendir(root);
	while (d && (e = readdir(d))) {
		struct stat st;
		if (strncmp(e->d_name, stage, len) || e->d_name[len] != '.' || strlen(e->d_name) != len + 7)
			continue;
		char *path = xasprintf("%s/%s", root, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			runs = xrealloc(runs, (n + 1) * sizeof(*runs));
			runs[n].path = path;
			runs[n++].mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
		} else {
			free(path);
		}
	}
	if (d)
		closedir(d);
	if (n > RUNS_KEPT)
		qsort(runs, n, sizeof(*runs), aged_newest_first);
	for (size_t i = 0; i < n; i++) {
		if (i >= RUNS_KEPT && strcmp(runs[i].path, run_dir))
			remove_tree(runs[i].path);
		free(runs[i].path);
	}
	free(runs);
	free(root);
}

/* ----------------------------------------------------------- 6. compare */

/*
 * Boot the archive on the stage's kernel and on the lab's kernel named by
 * `compare`, and time both (compare.h). With `smaller`, a stage kernel
 * that takes no less memory than the lab's fails: removing nothing is not
 * the exercise.
 */
static void
compare_kernels(struct run *x)
{
	struct result *r = x->r;
	struct check *c = &x->check;
	struct compare_job j = {x->cpio, c->append, c->memory_mb, c->compare_boots, 30, x->o->sigfd};
	char a[32], b[32];

	r->ncompare = 2;
	r->compare_boots = c->compare_boots;
	r->compare[0].label = xstrdup("yours");
	r->compare[0].image = xstrdup(x->kernel);
	r->compare[0].vmlinux = xstrdup(x->vmlinux);
	r->compare[1].label = xstrdup(c->compare);
	r->compare[1].image = xasprintf("%s/build/kernel/%s/arch/riscv/boot/Image", x->top, c->compare);
	r->compare[1].vmlinux = xasprintf("%s/build/kernel/%s/vmlinux", x->top, c->compare);
	if (!is_file(r->compare[1].image)) {
		r->ncompare = 1;
		kernel_timing_release(&r->compare[1]);
		strv_pushf(&r->advice, "no %s kernel to compare with: 'make kernel KCONFIG=%s' builds it",
			   c->compare, c->compare);
	}
	if (compare_boot_times(&j, r->compare, r->ncompare) < 0) {
		r->interrupted = 1;
		result_set(r, V_ERROR, "interrupted");
		return;
	}
	if (r->ncompare < 2 || !c->compare_smaller)
		return;
	/* In memory, not the Image: the Image moves in 2 MiB steps (elfsym.h). */
	long long mine = r->compare[0].memory_bytes, theirs = r->compare[1].memory_bytes;
	int ok = mine > 0 && theirs > 0 && mine < theirs;
	human_size(mine, a, sizeof(a));
	human_size(theirs, b, sizeof(b));
	char *want = xasprintf("your kernel takes less memory than %s's (code, data, bss)", c->compare);
	char *got = xasprintf("%s against %s", a, b);
	result_add_item(r, ok, ITEM_COMPARE, want, got);
	free(want);
	free(got);
	if (!ok && r->verdict == V_PASS) {
		result_set(r, V_FAIL, "your kernel boots, but it is no smaller than the stock %s (%s): "
			    "turn off drivers for hardware the virt board does not have", c->compare, a);
		strv_pushf(&r->advice, "the boot log of the stock kernel names what it sets up: every "
			   "driver for a device QEMU's virt board lacks is weight to remove");
	}
}

static const char *
kernel_config(const struct run *x)
{
	if (x->o->kconfig)
		return x->o->kconfig;
	return x->check.kernel == KERNEL_DEFCONFIG ? "defconfig" : "lab";
}

enum verdict
engine_check(const struct check_opts *o, struct result *r)
{
	struct run x;
	struct matcher m;
	struct gdb_session g;
	struct boot_end end;
	char err[1024], nonce[9];
	long long t0 = now_ms();

	memset(r, 0, sizeof(*r));
	memset(&x, 0, sizeof(x));
	memset(&g, 0, sizeof(g));
	g.in_fd = g.out_fd = -1;
	x.gdb_fd = -1;
	x.o = o;
	x.t_start = t0;
	x.timing = getenv("LAB_TIMING") && !strcmp(getenv("LAB_TIMING"), "1");
	x.r = r;
	x.top = o->cat->top;
	r->stage = xstrdup(o->stage->name);
	r->title = xstrdup(o->stage->title);

	make_nonce(nonce);
	char *checkpath = stage_path(o->cat, o->stage, "check");
	if (check_parse(&x.check, checkpath, nonce, err, sizeof(err)) < 0) {
		free(checkpath);
		result_set(r, V_ERROR, "%s", err);
		return r->verdict;
	}
	free(checkpath);
	struct check *c = &x.check;
	if (o->timeout_s > 0)
		c->timeout_s = o->timeout_s;
	r->max_points = c->points;
	r->network = c->network;
	memcpy(r->nonce, c->nonce, sizeof(r->nonce));
	free(r->title);
	r->title = xstrdup(c->title);

	/* The run's own folder: nothing is shared with another run. */
	char *root = o->runs_root ? xstrdup(o->runs_root) : xasprintf("%s/build/runs", x.top);
	char *tmpl = xasprintf("%s/%s.XXXXXX", root, o->stage->name);
	free(root);
	*strrchr(tmpl, '/') = '\0';
	mkdir_p(tmpl, 0755);
	tmpl[strlen(tmpl)] = '/';
	if (!mkdtemp(tmpl)) {
		result_set(r, V_ERROR, "cannot create a run folder %s: %s", tmpl, strerror(errno));
		free(tmpl);
		goto out;
	}
	r->run_dir = tmpl;
	prune_runs(r->run_dir, o->stage->name);
	r->uart_log = xasprintf("%s/uart.log", r->run_dir);
	r->gdb_log = xasprintf("%s/gdb.log", r->run_dir);
	r->build_log = xasprintf("%s/build.log", r->run_dir);
	x.src = xasprintf("%s/src", r->run_dir);
	x.socket = xasprintf("%s/gdb.sock", r->run_dir);
	if (strlen(x.socket) >= 100) {
		/* A unix socket's path has at most 107 bytes: a lab in a deep
		 * folder gets its socket in a short private folder instead. */
		char tmp[] = "/tmp/lab-runner.XXXXXX";
		if (mkdtemp(tmp)) {
			x.sockdir = xstrdup(tmp);
			free(x.socket);
			x.socket = xasprintf("%s/gdb.sock", tmp);
		}
	}
	x.dir = o->dir ? xstrdup(o->dir) : NULL;
	x.cpio = o->initramfs ? xstrdup(o->initramfs) : xasprintf("%s/initramfs.cpio", x.src);

	/* The kernel: the lab's, or the one the learner's Makefile builds (it
	 * is there once step 1 has run). */
	const char *cfg = kernel_config(&x);
	int learner_kernel = c->kernel == KERNEL_LEARNER && !o->kconfig;
	if (learner_kernel) {
		if (o->grading) {
			result_set(r, V_ERROR, "this stage builds a kernel from each submission (minutes "
				    "each): grading it is not supported; check one folder with "
				    "./lab-runner check %s --dir DIR", o->stage->name);
			goto out;
		}
		if (o->initramfs || !c->build) {
			result_set(r, V_ERROR, "this stage boots the kernel its folder's Makefile builds: "
				    "check it with --dir (or add --kernel lab|defconfig to boot %s on "
				    "a kernel of the lab)", o->initramfs ? o->initramfs : "it");
			goto out;
		}
		x.kernel = xasprintf("%s/Image", x.src);
		x.vmlinux = xasprintf("%s/vmlinux", x.src);
	} else {
		x.kernel = xasprintf("%s/build/kernel/%s/arch/riscv/boot/Image", x.top, cfg);
		x.vmlinux = xasprintf("%s/build/kernel/%s/vmlinux", x.top, cfg);
	}
	if (!learner_kernel && !is_file(x.kernel)) {
		result_set(r, V_ERROR, "no kernel at %s: build it with 'make kernel%s'", x.kernel,
			    strcmp(cfg, "lab") ? " KCONFIG=defconfig" : "");
		goto out;
	}
	if (c->ngdb && !have_program("gdb-multiarch")) {
		result_set(r, V_ERROR, "gdb-multiarch is not installed: run 'make setup'");
		goto out;
	}
	if (!have_program("qemu-system-riscv64")) {
		result_set(r, V_ERROR, "qemu-system-riscv64 is not installed: run 'make setup'");
		goto out;
	}

	/* gdb starts now, so that its start-up overlaps the build and QEMU's. */
	x.gdb_fd = -1;
	if (c->ngdb && !o->prepare_only && start_gdb(&x, &g, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s", err);
		goto out;
	}

	/* 1. build */
	if (c->build && !o->initramfs) {
		if (!x.dir || !is_dir(x.dir)) {
			result_set(r, V_ERROR, "there is no folder %s to check%s", x.dir ? x.dir : "(none)",
				    x.dir ? ": './lab-runner next' creates it from the starter" : "");
			goto out;
		}
		long long b0 = now_ms();
		struct build_job job = {o->cat, o->stage, c, x.top, x.dir, x.src, x.cpio, o->grading, o->sigfd,
					o->echo_build ? STDERR_FILENO : -1};
		mark(&x, "build");
		int rc = build_initramfs(&job, r);
		r->ms_build = now_ms() - b0;
		if (rc < 0)
			goto out;
	} else if (o->initramfs && !is_file(o->initramfs)) {
		result_set(r, V_ERROR, "no such archive: %s", o->initramfs);
		goto out;
	}

	/* 2. inspect */
	if (c->build || o->initramfs) {
		inspect(&x);
		struct stat st;
		if (stat(x.cpio, &st) == 0 && (long long)st.st_size > (long long)c->memory_mb * 1024 * 1024 / 2)
			strv_pushf(&r->advice, "the initramfs is %lld MiB but the guest has %d MiB of memory: "
				   "the kernel needs room to unpack it", (long long)st.st_size >> 20, c->memory_mb);
	}
	resolve_breakpoints(&x);
	r->kernel_path = xstrdup(x.kernel);
	r->vmlinux_path = xstrdup(x.vmlinux);
	if (c->build || o->initramfs)
		r->initrd_path = xstrdup(x.cpio);
	if (o->prepare_only) {
		/* /init as a file of its own, for gdb's symbols. */
		const struct cpio_entry *e = x.have_archive ? initramfs_find(&x.archive, "init") : NULL;
		if (e && e->size > 4 && !memcmp(e->data, "\177ELF", 4)) {
			r->init_elf = xasprintf("%s/init.elf", r->run_dir);
			write_file_atomic(r->init_elf, (const char *)e->data, e->size);
		}
		result_set(r, V_PASS, "ready to boot");
		goto out;
	}

	/* 3-4. boot and drive. With breakpoints in user space only, the kernel
	 * boots while gdb finishes starting; if gdb was late, again, paused. */
	int early = x.nbp > 0;
	for (size_t i = 0; i < x.nbp; i++)
		early &= !x.bps[i].kernel;
	matcher_init(&m, c);
	m.on_line = on_uart_line;
	m.ctx = &x;
	r->verdict = V_ERROR;
	boot(&x, &m, &g, &end, early);
	if (end.late && !r->headline) {
		mark(&x, "gdb attached after /init started: booting again, paused");
		matcher_release(&m);
		gdb_release(&g);
		memset(&x.diag, 0, sizeof(x.diag));
		x.saw_run_init = x.user_output = x.qemu_said_initrd = 0;
		free(x.qemu_said);
		x.qemu_said = NULL;
		if (start_gdb(&x, &g, err, sizeof(err)) < 0) {
			result_set(r, V_ERROR, "%s", err);
			goto out;
		}
		matcher_init(&m, c);
		m.on_line = on_uart_line;
		m.ctx = &x;
		boot(&x, &m, &g, &end, 0);
	}
	if (r->headline) {     /* boot() could not start the machine */
		matcher_release(&m);
		goto out;
	}
	matcher_flush(&m);

	/* 5. judge */
	mark(&x, "the verdict is known; QEMU and gdb stopped");
	judge(&x, &m, &g, &end);
	matcher_release(&m);

	/* 6. compare: only a kernel that reached /init has a time to show. */
	if (c->compare && x.saw_run_init && !end.interrupted && r->verdict != V_ERROR) {
		mark(&x, "compare");
		compare_kernels(&x);
	}
out:
	if (r->verdict == V_PASS && !o->prepare_only)
		r->points = r->max_points;
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		r->maxrss_kb = ru.ru_maxrss;
	if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
		r->children_maxrss_kb = ru.ru_maxrss;
	gdb_release(&g);
	if (x.have_archive)
		initramfs_release(&x.archive);
	for (size_t i = 0; i < x.nbp; i++) {
		free(x.bps[i].symbol);
		free(x.bps[i].problem);
	}
	free(x.bps);
	if (x.gdb_fd >= 0)
		close(x.gdb_fd);
	if (x.socket)
		unlink(x.socket);
	if (x.sockdir) {
		rmdir(x.sockdir);
		free(x.sockdir);
	}
	free(x.qemu_said);
	free(x.src);
	free(x.socket);
	free(x.dir);
	free(x.cpio);
	free(x.kernel);
	free(x.vmlinux);
	check_release(&x.check);
	return r->verdict;
}
