/*
 * qemu.c: see qemu.h.
 */
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

void
qemu_opts_for_check(struct qemu_opts *o, const struct check *c, const char *kernel,
		    const char *initrd, const char *disk, const char *lab_top, int grading)
{
	o->kernel = kernel;
	o->initrd = initrd;
	o->disk = disk;
	o->disk_readonly = c->disk_readonly;
	o->append = c->append;
	o->memory_mb = c->memory_mb;
	/* Grading always counts instructions: the guest then runs the same way
	 * every time (timer interrupts land at the same instructions), so a
	 * class's reports are the same bytes run after run. */
	o->real_clock = c->real_clock && !grading;
	o->lab_top = lab_top;
	o->token = c->network ? c->nonce : NULL;
	o->forward_guest = c->forward_port;
	o->serve = c->network ? c->serve : NULL;
}

int
qemu_line_matters(const char *line)
{
	static const char *const noise[] = {
		"warning: ",              /* e.g. icount sleep disabled and no active timers */
		"terminating on signal",  /* the runner stopped it */
		"QEMU: Terminated via GDBstub",   /* gdb's kill stopped it */
	};
	const char *colon = strstr(line, ": ");
	const char *what = colon ? colon + 2 : line;

	if (!*line)
		return 0;
	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++)
		if (!strncmp(what, noise[i], strlen(noise[i])))
			return 0;
	return 1;
}

#define QEMU_LOG_READ_MAX (64 * 1024)

void
qemu_log_said(const char *path, struct strv *said)
{
	char *text = NULL, *save = NULL;

	/* QEMU's own lines are few; a guest that makes it print many (a
	 * device's complaints) must not make the runner read them all. */
	if (!path || read_file_head(path, &text, NULL, QEMU_LOG_READ_MAX) < 0)
		return;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (qemu_line_matters(l))
			strv_push(said, l);
	free(text);
}

void
qemu_argv(const struct qemu_opts *o, struct strv *a)
{
	strv_push(a, "qemu-system-riscv64");
	strv_push(a, "-machine");
	strv_push(a, "virt");
	if (o->serial_file && o->console) {
		/* The UART on a socket anyone may connect to, and every byte it
		 * writes in the file too, connected or not. */
		strv_push(a, "-display");
		strv_push(a, "none");
		strv_push(a, "-chardev");
		strv_pushf(a, "socket,id=uart0,path=%s,server=on,wait=off,logfile=%s", o->console,
			   o->serial_file);
		strv_push(a, "-serial");
		strv_push(a, "chardev:uart0");
	} else if (o->serial_file) {
		strv_push(a, "-display");
		strv_push(a, "none");
		strv_push(a, "-serial");
		strv_pushf(a, "file:%s", o->serial_file);
	} else {
		strv_push(a, "-nographic");
	}
	strv_push(a, "-no-reboot");
	strv_pushf(a, "-m");
	strv_pushf(a, "%d", o->memory_mb);
	strv_push(a, "-kernel");
	strv_push(a, o->kernel);
	if (o->initrd) {
		strv_push(a, "-initrd");
		strv_push(a, o->initrd);
	}
	strv_push(a, "-append");
	strv_pushf(a, "console=ttyS0 panic=-1%s%s", o->append ? " " : "", o->append ? o->append : "");
	if (!o->interactive && !o->real_clock) {
		strv_push(a, "-icount");
		strv_push(a, "shift=0,sleep=off");
	}
	if (o->token || (o->forward_guest && o->forward_host)) {
		struct sb nd;
		sb_init(&nd);
		sb_puts(&nd, "user,id=n0,restrict=on");
		/* QEMU runs the lab's responder for each connection to
		 * 10.0.2.100:80; the responder itself serves at most a few at
		 * once (tools/responder.sh). */
		if (o->token)
			sb_printf(&nd, ",guestfwd=tcp:10.0.2.100:80-cmd:%s/tools/responder.sh "
				  "%s %s%s%s%s%s", o->lab_top, o->token,
				  o->run_dir ? o->run_dir : "-", o->serve ? " " : "",
				  o->serve ? o->lab_top : "",
				  o->serve ? "/" : "", o->serve ? o->serve : "");
		/* restrict=on keeps a hostfwd working: the host reaches the
		 * guest, on 127.0.0.1 only; the guest still reaches nothing. */
		if (o->forward_guest && o->forward_host)
			sb_printf(&nd, ",hostfwd=tcp:127.0.0.1:%d-:%d", o->forward_host,
				  o->forward_guest);
		strv_push(a, "-netdev");
		strv_push(a, nd.buf);
		sb_release(&nd);
		strv_push(a, "-device");
		strv_push(a, "virtio-net-device,netdev=n0");
		strv_push(a, "-device");
		strv_push(a, "virtio-rng-device");
	} else {
		strv_push(a, "-nic");
		strv_push(a, "none");
	}
	if (o->disk) {
		/* format=raw: never probed. In a -drive option a comma is
		 * written twice. */
		struct sb d;
		sb_init(&d);
		sb_printf(&d, "file=");
		for (const char *s = o->disk; *s; s++)
			sb_printf(&d, "%s%c", *s == ',' ? "," : "", *s);
		sb_printf(&d, ",if=none,format=raw,id=vda%s", o->disk_readonly ? ",readonly=on" : "");
		strv_push(a, "-drive");
		strv_push(a, d.buf);
		sb_release(&d);
		strv_push(a, "-device");
		strv_push(a, "virtio-blk-device,drive=vda");
	}
	if (o->gdb_fd > 0) {
		strv_push(a, "-chardev");
		strv_pushf(a, "socket,id=gdb0,fd=%d,server=on,wait=off", o->gdb_fd);
		strv_push(a, "-gdb");
		strv_push(a, "chardev:gdb0");
		if (!o->gdb_running)
			strv_push(a, "-S");
	} else if (o->gdb_socket) {
		strv_push(a, "-gdb");
		strv_pushf(a, "unix:%s,server=on,wait=off", o->gdb_socket);
		strv_push(a, "-S");
	}
}

int
qemu_start(struct qemu *q, const struct qemu_opts *o, char *err, size_t errlen)
{
	struct strv a = {0};
	int log = -1;

	memset(q, 0, sizeof(*q));
	q->in_fd = q->out_fd = -1;
	if (o->stderr_log) {
		log = open(o->stderr_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (log < 0) {
			snprintf(err, errlen, "cannot create '%s': %s", o->stderr_log,
				 strerror(errno));
			return -1;
		}
	}
	qemu_argv(o, &a);
	/* QEMU inherits gdb's listening socket; nothing else does. */
	if (o->gdb_fd > 0)
		fcntl(o->gdb_fd, F_SETFD, 0);
	/* With the UART in a file, QEMU's stdin and stdout are not the UART:
	 * no pipes. */
	q->pid = spawn_stderr(a.v, NULL, o->serial_file ? NULL : &q->in_fd,
			      o->serial_file ? NULL : &q->out_fd, log, 1, err, errlen);
	if (o->gdb_fd > 0)
		fcntl(o->gdb_fd, F_SETFD, FD_CLOEXEC);
	if (log >= 0)
		close(log);
	strv_release(&a);
	return q->pid < 0 ? -1 : 0;
}

int
qemu_stop(struct qemu *q, int exiting)
{
	int st = 0, rc = -1;

	if (q->pid > 0) {
		/* Gone, or going? Then its status is real; else kill it. */
		pid_t r = waitpid(q->pid, &st, WNOHANG);
		for (int i = 0; exiting && r == 0 && i < 200; i++) {
			usleep(10000);
			r = waitpid(q->pid, &st, WNOHANG);
		}
		if (r == q->pid) {
			kill(-q->pid, SIGKILL);
			rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		} else {
			kill_group(q->pid);
		}
		q->pid = 0;
	}
	if (q->in_fd >= 0)
		close(q->in_fd);
	if (q->out_fd >= 0)
		close(q->out_fd);
	q->in_fd = q->out_fd = -1;
	return rc;
}
