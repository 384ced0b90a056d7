/*
 * hoststep.c: see hoststep.h.
 */
#include "hoststep.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A command that closed its output has this long to exit. */
#define HOST_EXIT_MS 2000

int
host_start(struct host_run *h, size_t thread, size_t step, const char *command,
	   int seconds, const struct host_env *env, const char *log_path,
	   char *err, size_t errlen)
{
	struct strv argv = {0};

	memset(h, 0, sizeof(*h));
	h->fd = h->log = -1;
	h->thread = thread;
	h->step = step;
	sb_init(&h->line);
	h->log_path = xstrdup(log_path);
	/* env(1) sets the variables in the child alone: the runner's own
	 * environment stays as it is. */
	strv_push(&argv, "env");
	if (env->port > 0)
		strv_pushf(&argv, "LAB_PORT=%d", env->port);
	if (env->key)
		strv_pushf(&argv, "LAB_KEY=%s", env->key);
	if (env->run_dir)
		strv_pushf(&argv, "LAB_RUN=%s", env->run_dir);
	strv_push(&argv, "/bin/sh");
	strv_push(&argv, "-c");
	strv_push(&argv, command);
	h->log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	h->started = now_ms();
	h->deadline = h->started + (long long)seconds * 1000;
	h->pid = spawn(argv.v, env->run_dir, NULL, &h->fd, 1, err, errlen);
	strv_release(&argv);
	if (h->pid < 0) {
		h->pid = 0;
		host_release(h);
		return -1;
	}
	return 0;
}

/* The line is complete: keep it, hand it on. */
static void
end_line(struct host_run *h, void (*on_line)(void *, size_t, const char *), void *ctx)
{
	const char *l = h->line.buf ? h->line.buf : "";
	size_t slot = h->nlines % HOST_KEEP;

	free(h->last[slot]);
	h->last[slot] = xstrdup(l);
	h->nlines++;
	if (on_line)
		on_line(ctx, h->thread, l);
	sb_reset(&h->line);
}

/* Reap it (its output has ended, or it was killed). */
static void
reap(struct host_run *h, int kill_first)
{
	int st = 0;

	if (h->pid > 0) {
		if (kill_first) {
			st = kill_group(h->pid);
		} else {
			/* Its output ended: it is exiting. Give it until its limit
			 * (at most HOST_EXIT_MS) to do so, then kill it; whatever it
			 * left in its group goes too. */
			long long until = now_ms() + HOST_EXIT_MS;
			pid_t r;
			if (until > h->deadline)
				until = h->deadline;
			while ((r = waitpid(h->pid, &st, WNOHANG)) == 0 && now_ms() < until)
				usleep(5000);
			if (r == h->pid)
				kill(-h->pid, SIGKILL);
			else
				st = kill_group(h->pid), h->timed_out = 1;
		}
		h->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		h->signo = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
		h->pid = 0;
	}
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	h->ms = now_ms() - h->started;
	h->ended = 1;
}

int
host_read(struct host_run *h, void (*on_line)(void *, size_t, const char *), void *ctx)
{
	char buf[4096];

	if (h->ended)
		return 0;
	for (;;) {
		ssize_t n = read(h->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			if (h->line.len)
				end_line(h, on_line, ctx);
			reap(h, 0);
			return 0;
		}
		if (h->log >= 0 && h->logged < HOST_LOG_CAP) {
			size_t k = (size_t)n < HOST_LOG_CAP - h->logged ? (size_t)n
				: HOST_LOG_CAP - h->logged;
			(void)!write(h->log, buf, k);
			h->logged += k;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n')
				end_line(h, on_line, ctx);
			else if (buf[i] != '\r' && buf[i] != '\0' && h->line.len < 4096)
				sb_add(&h->line, &buf[i], 1);
		}
	}
	if (now_ms() >= h->deadline) {
		if (h->line.len)
			end_line(h, on_line, ctx);
		h->timed_out = 1;
		reap(h, 1);
		return 0;
	}
	return 1;
}

char *
host_last_lines(const struct host_run *h)
{
	struct sb s;
	size_t n = h->nlines < HOST_KEEP ? h->nlines : HOST_KEEP;

	sb_init(&s);
	sb_puts(&s, "");
	for (size_t i = h->nlines - n; i < h->nlines; i++) {
		const char *l = h->last[i % HOST_KEEP];
		if (*l)
			sb_printf(&s, "%s%s", s.len ? " | " : "", l);
	}
	return sb_detach(&s);
}

void
host_stop(struct host_run *h)
{
	if (h->ended)
		return;
	if (h->line.len)
		end_line(h, NULL, NULL);
	h->stopped = 1;
	reap(h, 1);
}

void
host_release(struct host_run *h)
{
	host_stop(h);
	if (h->log >= 0)
		close(h->log);
	for (size_t i = 0; i < HOST_KEEP; i++)
		free(h->last[i]);
	sb_release(&h->line);
	free(h->log_path);
	memset(h, 0, sizeof(*h));
	h->fd = h->log = -1;
}
