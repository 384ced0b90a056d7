/*
 * qemu.h: boot the guest in qemu-system-riscv64, headless.
 *
 * The machine is QEMU's "virt" board. Its serial port (the UART the kernel
 * calls ttyS0) is QEMU's stdin and stdout, which the engine holds as pipes:
 * it reads what the guest prints and types what the check sends.
 *
 *   -no-reboot + panic=-1   a panic ends QEMU at once: no timer to wait out
 *   -icount shift=0,sleep=off
 *                           guest time is counted in instructions and jumps
 *                           ahead when the guest idles, so an init that
 *                           sleeps 10 s between lines is checked in a second
 *   -S -gdb ...             paused until gdb has set its breakpoints (or,
 *                           without -S, paused by QEMU when gdb attaches);
 *                           the socket is the runner's own (fd=), so gdb can
 *                           connect while QEMU is still starting
 *   restrict=on             (network stages only) the guest reaches nothing
 *                           but QEMU's own DHCP and the lab's responder
 *   hostfwd=tcp:127.0.0.1:P-:G
 *                           (a check's `forward tcp G`) a connection to port P
 *                           of this machine's 127.0.0.1, and of no other
 *                           address, reaches the guest's port G; P is fresh
 *                           for each run (forward.h)
 *   -drive ...,format=raw   (disk stages only) the image is raw bytes to the
 *                           guest: QEMU never reads it as qcow2 (which can
 *                           name a backing file of the host to open)
 *
 * QEMU's own messages (its stderr: warnings such as "icount sleep
 * disabled and no active timers", or why it refused to start) go to a log
 * of their own, never into the UART's: they are not the guest's words.
 *
 * A session owns its process; qemu_stop() kills it (and anything it
 * started) and reaps it.
 */
#ifndef LAB_QEMU_H
#define LAB_QEMU_H

#include <sys/types.h>

#include "check.h"
#include "util.h"

struct qemu_opts {
	const char *kernel;      /* Image */
	const char *initrd;      /* NULL: no initramfs */
	const char *disk;        /* NULL: no disk; else an image, attached raw as /dev/vda */
	int disk_readonly;
	const char *append;      /* extra kernel command line, may be NULL */
	int memory_mb;
	const char *gdb_socket;  /* NULL: no gdb, start running at once */
	int gdb_fd;              /* > 0: the listening socket for gdb, made by us */
	int gdb_running;         /* with gdb_fd: boot at once (no -S); QEMU pauses the
				  * guest itself when gdb attaches */
	const char *lab_top;     /* the lab's folder, where tools/responder.sh is */
	const char *token;       /* NULL: no network; else the page's fresh token */
	const char *serve;       /* with token: the folder of the lab (relative to lab_top)
				  * whose files the responder serves, or NULL */
	const char *run_dir;     /* with token: where the responder keeps its slots */
	int forward_guest;       /* > 0: a guest TCP port a host port reaches (forward tcp) */
	int forward_host;        /* ...that host port on 127.0.0.1, the caller's (forward.h);
				  * 0: not reserved, no forward */
	int interactive;         /* the terminal is the UART (Ctrl-A X quits) */
	int real_clock;          /* no -icount: guest time is wall time */
	const char *serial_file; /* the UART goes to this file (debug: the terminal is gdb's) */
	const char *console;     /* with serial_file: also a unix socket to type to the guest
				  * on (debug), listening; whoever connects reads and writes
				  * the UART */
	const char *stderr_log;  /* QEMU's own messages go to this file; NULL: with its stdout */
};

struct qemu {
	pid_t pid;
	int in_fd, out_fd;
};

/*
 * The machine a check boots, from its settings (memory, append, clock,
 * network, disk, forward): the one place that says how they become QEMU's
 * options, for check, run and debug alike. kernel, initrd and disk (NULL:
 * none) are the caller's; grading always counts instructions. Sets only
 * those fields; the caller adds gdb, the terminal or the logs, and the host
 * port of a forward (forward_host) it reserved.
 */
void qemu_opts_for_check(struct qemu_opts *o, const struct check *c, const char *kernel,
			 const char *initrd, const char *disk, const char *lab_top, int grading);
/* 1 if a line of QEMU's own log says something about the run (why it
 * stopped, what it refused); 0 for a warning, or its note of the signal
 * the runner stopped it with. Pure. */
int qemu_line_matters(const char *line);
/* The lines of QEMU's log at path that matter, pushed on said (nothing if
 * it cannot be read). */
void qemu_log_said(const char *path, struct strv *said);
/* The whole command line (for --verbose and for `run`). */
void qemu_argv(const struct qemu_opts *o, struct strv *argv);
/* Start QEMU: q->in_fd and q->out_fd are the UART (-1 with serial_file).
 * Returns 0, or -1 with err filled. */
int qemu_start(struct qemu *q, const struct qemu_opts *o, char *err, size_t errlen);
/*
 * Stop QEMU and reap it; returns its exit status, or -1 if it had to be
 * killed. exiting: its output has ended, so it is on its way out: give it
 * up to 2 s to exit by itself, so that its real status is known.
 */
int qemu_stop(struct qemu *q, int exiting);

#endif
