/*
 * witness.h: what each process of the guest really did, seen from the
 * kernel's side.
 *
 * A UART line says only that some text appeared; a breakpoint in a
 * program says only that some process ran an address. The witness puts
 * hardware breakpoints on six kernel functions every process goes through
 * and, at each stop, reads the current task (`tp` holds its task_struct in
 * kernel mode on RISC-V) and the function's arguments (a0..a3 at its first
 * instruction):
 *
 *   wake_up_new_task(p)          a process (or thread) p was created by current
 *   do_execveat_common(.., name) current asks to exec name; its return to
 *                                the caller (a breakpoint at $ra, planted at
 *                                the first call) gives the result: < 0 failed
 *   begin_new_exec(bprm)         the exec is past its point of no return:
 *                                current now runs bprm->filename
 *   do_exit(code)                current ends: code is the wait status
 *   release_task(p)              p's zombie is collected by current (a reap)
 *   n_tty_write(tty, f, buf, nr) current writes nr bytes to a terminal: the
 *                                bytes are a kernel copy, printed by gdb
 *
 * gdb prints one "@@W ..." line per stop (witness_script() writes the
 * commands), and witness_parse_line() turns them into the event record.
 * The breakpoints go in when the kernel first runs a program (/init, from
 * kernel_execve): each stop costs QEMU a retranslation of the guest's code
 * (witness.c says more), and the kernel's own threads of the boot are not
 * the learner's.
 * Kernel threads (children of PID 0 and 2) are left out. The terminal's
 * echo of typed input and the kernel's own messages reach the UART without
 * n_tty_write: the record's writes are what processes wrote, nothing else.
 *
 * The record is bounded: after WITNESS_MAX_EVENTS stops gdb turns the
 * witness's breakpoints off (the run goes on) and the record says it is
 * cut; write bytes beyond WITNESS_MAX_BYTES are counted, not kept.
 *
 * Pure code apart from witness_save(): the record is built from text, so
 * tests/unit/test_witness.c drives it without QEMU.
 */
#ifndef LAB_WITNESS_H
#define LAB_WITNESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

#define WITNESS_MAX_EVENTS 20000
#define WITNESS_MAX_BYTES (2u << 20)

/* Where the witness stops and what it reads, for one kernel. */
struct witness_kernel {
	uint64_t new_task, execveat, new_exec, exit, release, tty_write;
	uint64_t arm;          /* kernel_execve: the breakpoints go in at its first call */
	uint64_t syscall;      /* where system calls enter (0: not found) */
	int syscall_in_regs;   /* there, the user's registers are live (else pt_regs in a0) */
	int pid_off, comm_off, tgid_off, filename_off;   /* task_struct, linux_binprm */
};

/*
 * The kernel's function addresses (from vmlinux's symbol table) and the
 * offsets (from kernel/task-offsets.gdb's cached answer). Returns 0, or
 * -1 with err saying what is missing (a kernel without debug info).
 */
int witness_kernel_read(struct witness_kernel *k, const char *vmlinux, const int offsets[4],
			char *err, size_t errlen);

/* gdb's commands that set the witness's breakpoints; with syscalls, also
 * one at every system call (for trace: each is a stop). */
void witness_script(const struct witness_kernel *k, int syscalls, struct sb *out);

enum wevent_kind {
	WE_NEW,          /* pid created other (a thread if other_tgid == tgid) */
	WE_EXEC,         /* pid now runs text (an exec that succeeded) */
	WE_EXEC_FAILED,  /* pid's exec of text failed with error value */
	WE_EXIT,         /* pid ended; value is the wait status */
	WE_REAP,         /* pid collected other's zombie */
	WE_WRITE,        /* pid wrote value bytes to a terminal: text, len (kept) */
	WE_SYSCALL,      /* pid made system call number value with args[] */
};

struct wevent {
	enum wevent_kind kind;
	int pid, tgid;            /* the process that did it */
	int other, other_tgid;    /* NEW: the child; REAP: the one collected */
	long value;
	char *text;               /* EXEC, EXEC_FAILED: the path; WRITE: the bytes */
	size_t len;               /* WRITE: bytes kept in text (<= value) */
	const char *program;      /* what pid ran when it did it (before an exec) */
	long args[3];             /* SYSCALL: its first three arguments */
};

/* One process (a thread group), as the record tells its life. */
struct wproc {
	int pid;                  /* its thread-group id: the PID ps shows */
	int parent;               /* who created it; 0 for PID 1 */
	const char *program;      /* what it runs: its last exec, else its parent's */
	const char *born_of;      /* what its parent ran when it created it */
	int execs;                /* successful execs */
	int exited;               /* its main thread ended */
	long status;              /* then: the wait status */
	int reaper;               /* who collected it, 0 if nobody (yet) */
	size_t born, died;        /* event indexes (died: SIZE_MAX while alive) */
};

struct witness {
	struct wevent *ev;
	size_t n;
	struct wproc *procs;
	size_t nprocs;
	int armed;                /* the first event came: the record is live */
	int cut;                  /* WITNESS_MAX_EVENTS reached: no more events */
	size_t bytes_kept;
	unsigned long long bytes_seen;
	/* While parsing: the last exec each PID asked for (pid, path). */
	struct wtry { int pid; char *path; } *tries;
	size_t ntries;
	int *kthreads;            /* PIDs of kernel threads, left out */
	size_t nkthreads;
	struct strv names;        /* every program named: what program fields point to */
};

void witness_init(struct witness *w);
/* Take one line of gdb's output; lines that are not the witness's are
 * ignored. Returns 1 if it was the witness's. */
int witness_parse_line(struct witness *w, const char *line);
void witness_release(struct witness *w);

/* The process with thread-group id pid, or NULL. */
const struct wproc *witness_proc(const struct witness *w, int pid);
/* "PID 18 (/little_shell)" into buf. */
const char *witness_name(const struct witness *w, int pid, char *buf, size_t len);
/* Whether proc's program is prog: the same path, or, when prog has no
 * '/', the same base name. */
int witness_is_program(const struct wproc *p, const char *prog);

/*
 * Everything processes wrote to terminals, in order, as one byte string
 * (all), and where each write starts in it: the kth write with bytes is
 * event ev[k] and starts at start[k].
 */
struct wstream {
	struct sb all;
	size_t *start, *ev;
	size_t n;
};
void wstream_make(struct wstream *s, const struct witness *w);
/* The k of the write that holds byte off of the stream (s->n > 0). */
size_t wstream_write_at(const struct wstream *s, size_t off);
void wstream_release(struct wstream *s);

/* A readable record (witness.log) and the same as JSON, into files. */
int witness_save(const struct witness *w, const char *log_path, const char *json_path,
		 char *err, size_t errlen);
/* The record as one JSON object (for trace --json). */
void witness_json(const struct witness *w, FILE *f);
/* A wait status in words: "status 0", "signal 9 (Killed)". */
void witness_status(long status, char *buf, size_t len);

#endif
