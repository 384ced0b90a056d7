/*
 * gdb.h: watch the guest with gdb-multiarch, to prove what really ran.
 *
 * QEMU starts paused (-S) with its gdb stub on a unix socket of the run's
 * own folder. gdb runs a script generated from the check's `gdb` lines:
 * one hardware breakpoint per line; each hit prints one line
 *
 *   @@HIT <n> pid=<pid> satp=<hex> comm=0x... "<name>"  (in a user program)
 *   @@KHIT <n> pid=... + a backtrace + @@END             (in the kernel)
 *
 * The name is printed by gdb's `output`, escaped: a process can rename
 * itself (prctl), and a newline in its name must not make a line.
 *
 * and continues. The guest is stopped while gdb prints, so a hit is on
 * gdb's output before any UART output that follows it.
 *
 * Why pid and comm: QEMU's breakpoints are on virtual addresses, and every
 * process has its own program at the same addresses; a hit at main of
 * /init's address may be little_shell running something else there. In
 * user mode, riscv Linux keeps the current task_struct in $sscratch, so
 * the script reads task->pid and task->comm there (switching $priv to
 * supervisor for the read: the page is not readable from user mode). The
 * offsets of pid and comm come from vmlinux's debug info, once per kernel.
 *
 * In the kernel the task is in $tp, so a kernel hit has its PID too.
 * Every breakpoint is set on an address (breakpoints.h); a hit counts
 * only for a breakpoint gdb said it set ("Hardware assisted breakpoint N
 * at 0x..."), so a line that could not be set is never a false hit.
 *
 * The session owns its process, its output buffer and the hits.
 */
#ifndef LAB_GDB_H
#define LAB_GDB_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "catalog.h"
#include "util.h"
#include "witness.h"

struct gdb_bp {
	const struct gdb_expect *want;  /* the check line it serves */
	char *symbol;          /* the name chosen among "a|b" */
	uint64_t addr;         /* user programs: from the ELF; 0 for the kernel */
	int kernel;            /* in vmlinux: break by name, print a backtrace */
	char *problem;         /* why it cannot be set (no such symbol...), or NULL */
};

struct gdb_hit {
	size_t bp;
	int pid;               /* -1 if unknown */
	unsigned long long satp;
	char comm[17];
	struct strv bt;        /* function names, innermost first */
};

struct gdb_session {
	pid_t pid;
	int in_fd, out_fd;
	FILE *transcript;
	struct sb partial;
	struct gdb_hit *hits;
	size_t nhits;
	int in_bt;
	int armed;             /* its breakpoints are in (it printed @@ARMED) */
	struct witness w;      /* the witness's record (empty when it is off) */
	unsigned long long *set; /* addresses gdb said it put a breakpoint on */
	size_t nset;
	char *error;           /* gdb stopped with this error, or NULL */
};

/* What kernel/task-offsets.gdb prints, in its order. */
enum { OFF_PID, OFF_COMM, OFF_TGID, OFF_FILENAME, OFF_N };

/*
 * The byte offsets of task_struct's pid, comm and tgid and linux_binprm's
 * filename in this vmlinux, cached in cache_path. Returns 0, or -1 if
 * vmlinux has no debug info (defconfig); off[] is then all -1.
 */
int gdb_task_offsets(const char *vmlinux, const char *cache_path, int off[OFF_N]);

/*
 * gdb is started early, reading its commands from a pipe, so that its own
 * start-up (and loading vmlinux, for kernel breakpoints) overlaps the build
 * and QEMU's. gdb_start() sends the settings and the symbol file;
 * gdb_watch() later sends the rest: connect, one breakpoint per check
 * line, continue; and closes the pipe (gdb exits when the guest ends).
 * Both append what they sent to script_path, for the learner to read.
 */
int gdb_start(struct gdb_session *g, const char *transcript, const char *script_path,
	      const char *vmlinux, char *err, size_t errlen);
/* witness: the witness's commands (witness_script()), set first; file: a
 * symbol file to load first (a kernel built after gdb started); both may
 * be NULL. */
int gdb_watch(struct gdb_session *g, const char *script_path, const struct gdb_bp *bps,
	      size_t n, const char *socket, int pid_off, int comm_off, const char *witness,
	      const char *file);
/* Read what gdb printed (non-blocking); returns 0 at end of output. */
int gdb_read(struct gdb_session *g);
void gdb_stop(struct gdb_session *g);
void gdb_release(struct gdb_session *g);

/*
 * Judge one check line from the hits. Returns 1 if it holds; writes a
 * sentence for the learner to msg either way.
 */
int gdb_judge(const struct gdb_bp *bps, size_t nbp, size_t which,
	      const struct gdb_hit *hits, size_t nhits, int have_pids,
	      const unsigned long long *set, size_t nset, char *msg, size_t msglen);

/* Parse gdb output lines into hits (exposed for tests). */
void gdb_parse_line(struct gdb_session *g, const char *line);

#endif
