/*
 * boot.c: see boot.h.
 */
#include "boot.h"
#include "qemu.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UART_LOG_CAP (1024 * 1024)    /* bytes of UART kept on disk */
/* When the prompt came back before an answer, the answer may still come
 * right after it: listen this long more, so the report can say so. */
#define DECIDED_GRACE_MS 300
/* With everything matched, how long a line still being written may take to
 * end, so that a reject on its rest is judged. */
#define LINE_END_GRACE_MS 300

static void
on_line(void *ctx, const char *line)
{
	struct boot *b = ctx;
	if (boot_seen_line(&b->seen, line))
		phase_mark(b->clock, "Run /init");
}

void
boot_init(struct boot *b, const struct boot_job *j)
{
	memset(b, 0, sizeof(*b));
	b->g.in_fd = b->g.out_fd = -1;
	b->gdb_fd = -1;
	b->clock = j->clock;
	matcher_init(&b->m, j->check);
	b->m.on_line = on_line;
	b->m.ctx = b;
}

/* gdb needs the kernel's symbols only for a backtrace (bt=): every
 * breakpoint is on an address (breakpoints.h). */
static int
needs_symbols(const struct check *c)
{
	for (size_t i = 0; i < c->ngdb; i++)
		if (!strcmp(c->gdb[i].elf, "vmlinux") && c->gdb[i].bt)
			return 1;
	return 0;
}

int
boot_start_gdb(struct boot *b, const struct boot_job *j, char *err, size_t errlen)
{
	b->gdb_fd = unix_listen(j->dir->socket, err, errlen);
	phase_mark(b->clock, "gdb starts");
	if (b->gdb_fd < 0)
		return -1;
	/* vmlinux now, to overlap its loading with the build, unless the build
	 * makes it (a learner's kernel): then gdb_watch() loads it. */
	return gdb_start(&b->g, j->dir->gdb_log, j->dir->gdb_script,
			 needs_symbols(j->check) && j->check->kernel != KERNEL_LEARNER ? j->vmlinux
			 : NULL, err, errlen);
}

/* One read of QEMU's output: log it (capped), feed the matcher, type what
 * it says to. Returns the bytes read, 0 at end of output, -1 if none now. */
static ssize_t
uart_take(struct boot *b, int out_fd, int in_fd, int uart, size_t *logged)
{
	char buf[16384];
	ssize_t n = read(out_fd, buf, sizeof(buf));
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
	if (b->m.bytes == 0)
		phase_mark(b->clock, "the first UART output");
	matcher_feed(&b->m, buf, (size_t)n, &to_send);
	for (size_t i = 0; i < to_send.n; i++) {
		char *l = xasprintf("%s\n", to_send.v[i]);
		(void)!write(in_fd, l, strlen(l));
		free(l);
	}
	strv_release(&to_send);
	return n;
}

/* QEMU's options for this boot, and its command line into r->commands. */
static void
qemu_options(const struct boot *b, const struct boot_job *j, int early, int port,
	     struct qemu_opts *qo, struct result *r)
{
	const struct check *c = j->check;
	struct strv argv = {0};
	struct sb line;

	memset(qo, 0, sizeof(*qo));
	qemu_opts_for_check(qo, c, j->kernel, j->initrd, j->disk, j->lab_top, j->grading);
	qo->gdb_fd = b->gdb_fd;
	qo->gdb_running = early;
	qo->stderr_log = j->dir->qemu_log;
	qo->run_dir = j->dir->path;   /* the responder's slots */
	qo->forward_host = port;
	qemu_argv(qo, &argv);
	sb_init(&line);
	for (size_t i = 0; i < argv.n; i++)
		sb_printf(&line, "%s%s", i ? " " : "", argv.v[i]);
	strv_push(&r->commands, line.buf);
	sb_release(&line);
	strv_release(&argv);
}

/* gdb, started earlier, now connects and sets its breakpoints while the
 * guest waits. Returns 0, or -1 if gdb stopped first. */
static int
gdb_arm(struct boot *b, const struct boot_job *j, struct result *r)
{
	int off[OFF_N];
	char *cache = xasprintf("%s.task-offsets", j->vmlinux);
	char err[512];
	struct sb witness;
	int rc;

	b->have_pids = gdb_task_offsets(j->vmlinux, cache, off) == 0;
	sb_init(&witness);
	if (j->witness) {
		struct witness_kernel k;
		if (!b->have_pids)
			b->witness_error = xasprintf("the kernel %s has no debug info, so the witness "
						     "cannot tell processes apart", j->vmlinux);
		else if (witness_kernel_read(&k, j->vmlinux, off, err, sizeof(err)) < 0)
			b->witness_error = xstrdup(err);
		else
			witness_script(&k, j->syscalls, &witness);
	}
	phase_mark(b->clock, "gdb: connect, breakpoints, continue");
	rc = gdb_watch(&b->g, j->dir->gdb_script, j->bps, j->nbp, j->dir->socket,
		       b->have_pids ? off[OFF_PID] : -1, off[OFF_COMM],
		       witness.len ? witness.buf : NULL,
		       needs_symbols(j->check) && j->check->kernel == KERNEL_LEARNER ? j->vmlinux : NULL);
	strv_pushf(&r->commands, "gdb-multiarch -q -nx < %s", j->dir->gdb_script);
	sb_release(&witness);
	free(cache);
	return rc;
}

/* A line of a host command's output, for the matcher. */
struct host_feed {
	struct matcher *m;
	size_t step;
};

static void
host_line(void *ctx, size_t thread, const char *line)
{
	struct host_feed *f = ctx;
	matcher_host_line(f->m, thread, f->step, line);
}

/* Start each host line whose turn came. One that cannot start is said in
 * the advice; its thread then waits in vain (its item says so). */
static void
hosts_start(struct boot *b, const struct boot_job *j, int port, struct result *r)
{
	size_t t, i;
	char err[512];

	while (matcher_host_due(&b->m, &t, &i)) {
		const struct step *s = &j->check->threads[t].steps[i];
		struct host_env env = {port, j->ssh_key, j->dir->path};
		char *log = xasprintf("%s/host-%zu.log", j->dir->path, b->nhosts + 1);
		b->hosts = xrealloc(b->hosts, (b->nhosts + 1) * sizeof(*b->hosts));
		phase_mark(b->clock, "a host command starts");
		if (host_start(&b->hosts[b->nhosts], t, i, s->text, s->host_s, &env, log, err,
			       sizeof(err)) == 0)
			b->nhosts++;
		else
			strv_pushf(&r->advice, "the check's host command \"%s\" could not start: "
				   "%s", s->text, err);
		free(log);
	}
}

/* Read every host command; returns how many still run. */
static size_t
hosts_read(struct boot *b)
{
	size_t running = 0;

	for (size_t k = 0; k < b->nhosts; k++) {
		struct host_feed f = {&b->m, b->hosts[k].step};
		running += host_read(&b->hosts[k], host_line, &f);
	}
	return running;
}

/* A thread waits for the output of a host command that has ended. */
static int
host_waits_in_vain(const struct boot *b)
{
	for (size_t k = 0; k < b->nhosts; k++) {
		const struct host_run *h = &b->hosts[k];
		if (h->ended && matcher_waits_host(&b->m, h->thread) &&
		    b->m.host_at[h->thread] == h->step + 1)
			return 1;
	}
	return 0;
}

int
boot_run(struct boot *b, const struct boot_job *j, int early, struct result *r)
{
	const struct check *c = j->check;
	struct boot_end *end = &b->end;
	struct gdb_session *g = &b->g;
	struct qemu q;
	struct qemu_opts qo;
	struct forward fwd;
	char err[512];
	int uart, gdb_on = 0;
	size_t hosts_running = 0;
	size_t logged = 0;
	long long t0 = now_ms(), deadline, last_out = t0, decided_at = 0, complete_at = 0;

	memset(end, 0, sizeof(*end));
	forward_init(&fwd);
	if (c->forward_port && forward_reserve(&fwd, c->forward_port, err, sizeof(err)) < 0) {
		result_set(r, V_ERROR, "%s", err);
		return -1;
	}
	b->host_port = fwd.host_port;
	qemu_options(b, j, early, fwd.host_port, &qo, r);
	phase_mark(b->clock, "QEMU starts");
	if (qemu_start(&q, &qo, err, sizeof(err)) < 0) {
		forward_release(&fwd);
		result_set(r, V_ERROR, "%s (is qemu-system-riscv64 installed? make setup)", err);
		return -1;
	}
	uart = open(j->dir->uart_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (g->pid > 0) {
		if (gdb_arm(b, j, r) < 0) {
			result_set(r, V_ERROR, "gdb-multiarch stopped before it could watch (see %s)",
				   j->dir->gdb_log);
			qemu_stop(&q, 0);
			forward_release(&fwd);
			if (uart >= 0)
				close(uart);
			return -1;
		}
		gdb_on = 1;
	}
	deadline = now_ms() + (long long)c->timeout_s * 1000;
	for (;;) {
		/* The UART, gdb, a signal, then each host command's output
		 * (at most CHECK_HOSTS_MAX: the parser's limit). */
		struct pollfd p[3 + CHECK_HOSTS_MAX] = {
			{q.out_fd, POLLIN, 0},
			{gdb_on ? g->out_fd : -1, POLLIN, 0},
			{j->sigfd, POLLIN, 0},
		};
		for (size_t k = 0; k < b->nhosts && k < CHECK_HOSTS_MAX; k++)
			p[3 + k] = (struct pollfd){b->hosts[k].fd, POLLIN, 0};
		long long left = deadline - now_ms();
		if (left <= 0) {
			end->timed_out = 1;
			break;
		}
		/* The output decided the run: FAIL now, not at the time limit. */
		if (b->m.decided.why != MD_NONE) {
			if (!decided_at)
				decided_at = now_ms();
			long long grace = b->m.decided.why == MD_PROMPT_FIRST && !b->m.decided.late
				? DECIDED_GRACE_MS : 0;
			long long waited = now_ms() - decided_at;
			if (waited >= grace)
				break;
			if (left > grace - waited)
				left = grace - waited;
		}
		nfds_t np = 3 + (b->nhosts < CHECK_HOSTS_MAX ? b->nhosts : CHECK_HOSTS_MAX);
		if (poll(p, np, (int)(left < 200 ? left : 200)) < 0 && errno != EINTR)
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
				while (uart_take(b, q.out_fd, q.in_fd, uart, &logged) > 0)
					;
				phase_mark(b->clock, "gdb's breakpoints are in");
				if (b->seen.saw_run_init) {
					end->late = 1;
					break;
				}
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP)) {
			/* Any gdb hits printed before this output belong before it. */
			if (gdb_on)
				gdb_read(g);
			ssize_t n = uart_take(b, q.out_fd, q.in_fd, uart, &logged);
			if (n > 0)
				last_out = now_ms();
			if (n == 0) {
				end->qemu_exited = 1;
				break;
			}
			if (b->m.bytes > UART_FLOOD) {
				end->flood = 1;
				break;
			}
		}
		/* The host's side: start what is due, read what came. */
		hosts_start(b, j, fwd.host_port, r);
		hosts_running = hosts_read(b);
		hosts_start(b, j, fwd.host_port, r);
		if (b->m.reject_hit >= 0)
			break;
		/* Everything expected has come. If the last match was inside a line
		 * still being written, its rest may hold a forbidden text ("init: the
		 * shell exited" of "init: the shell exited (killed by signal 11)"):
		 * wait for the line's end, a moment at most, before the end. */
		if (matcher_complete(&b->m) && !hosts_running && c->exit_status < 0) {
			if (!complete_at)
				complete_at = now_ms();
			if (b->m.line.len == 0 || now_ms() - complete_at >= LINE_END_GRACE_MS)
				break;
		}
		if (host_waits_in_vain(b)) {
			end->host_ended = 1;
			break;
		}
	}
	/* Nothing the check started on the host outlives the boot. */
	for (size_t k = 0; k < b->nhosts; k++)
		host_stop(&b->hosts[k]);
	forward_release(&fwd);
	if (gdb_on)
		gdb_read(g);
	/* The guest finished (or the time ran out) before gdb attached at all. */
	if (early && !g->armed && !end->interrupted)
		end->late = 1;
	end->silent_ms = now_ms() - last_out;
	end->qemu_status = qemu_stop(&q, end->qemu_exited);
	/* What QEMU itself said (not the guest: its own log) and that matters,
	 * e.g. why it would not start, is judged with the UART's lines. */
	struct strv said = {0};
	qemu_log_said(j->dir->qemu_log, &said);
	for (size_t i = 0; i < said.n; i++)
		boot_seen_line(&b->seen, said.v[i]);
	strv_release(&said);
	gdb_stop(g);
	if (uart >= 0)
		close(uart);
	r->ms_boot = now_ms() - t0;
	return 0;
}

void
boot_release(struct boot *b)
{
	for (size_t k = 0; k < b->nhosts; k++)
		host_release(&b->hosts[k]);
	free(b->hosts);
	matcher_release(&b->m);
	gdb_release(&b->g);
	boot_seen_release(&b->seen);
	free(b->witness_error);
	if (b->gdb_fd >= 0)
		close(b->gdb_fd);
	memset(b, 0, sizeof(*b));
	b->gdb_fd = -1;
}
