/*
 * boot.h: one boot of the guest in QEMU, driven until the verdict is known.
 *
 * A boot reads the UART (logged to uart.log, capped at 1 MiB; QEMU's own
 * messages go to qemu.log, and those that matter are judged), feeds the
 * matcher, types each `send` once its prompt shows, reads gdb's hits, and
 * stops the moment the output has decided: a forbidden line, every
 * expectation met, QEMU gone, a flood, the time limit, or an interrupt.
 *
 * All that one boot learns lives in struct boot: boot_init() sets it up,
 * boot_release() frees it and stops whatever still runs. A second boot
 * (gdb came too late for the first) is boot_release() then boot_init():
 * nothing of the first can leak into it.
 *
 * gdb is started (boot_start_gdb) before the build, so that its own start
 * overlaps the build and QEMU's; boot_run() then hands it the breakpoints.
 * With `early` (every breakpoint in user space) the kernel boots while gdb
 * attaches; if gdb came after "Run /init", end.late is set and the caller
 * boots again, paused.
 *
 * A check's `forward` gets a host port of its own for each boot
 * (forward.h), released when the boot ends; its `host` lines run on the
 * host when their turn comes (hoststep.h), read with the UART, and the
 * boot waits for each to end before it calls the run complete; whatever
 * still runs when the boot ends is killed.
 */
#ifndef LAB_BOOT_H
#define LAB_BOOT_H

#include "catalog.h"
#include "forward.h"
#include "gdb.h"
#include "hoststep.h"
#include "judge.h"
#include "match.h"
#include "result.h"
#include "rundir.h"
#include "timing.h"

struct boot_job {
	const struct check *check;
	const char *kernel;          /* the Image */
	const char *vmlinux;         /* its symbols (task offsets, kernel breakpoints) */
	const char *initrd;          /* NULL: no initramfs */
	const char *disk;            /* NULL: no disk (disk.h) */
	const char *lab_top;         /* for the network responder */
	const char *ssh_key;         /* the run's private key (sshkey), or NULL */
	const struct rundir *dir;    /* logs, gdb's script and socket */
	const struct gdb_bp *bps;    /* one per check->gdb line */
	size_t nbp;
	int grading;                 /* always count instructions (same bytes every run) */
	int witness;                 /* record what each process did (engine/witness.h) */
	int syscalls;                /* ...and every system call (trace) */
	int sigfd;                   /* readable: stop now; -1 if none */
	const struct phase_clock *clock;
};

struct boot {
	struct matcher m;
	struct gdb_session g;
	struct boot_seen seen;
	struct boot_end end;
	int have_pids;               /* gdb's hits carry PIDs */
	char *witness_error;         /* the witness was asked for but cannot watch, or NULL */
	int gdb_fd;                  /* gdb's listening socket, handed to QEMU; -1 */
	struct host_run *hosts;      /* the check's host commands started (hoststep.h) */
	size_t nhosts;
	int host_port;               /* the forward's host port of the last boot; 0 */
	const struct phase_clock *clock;
};

void boot_init(struct boot *b, const struct boot_job *j);
/* Make gdb's socket and start gdb. Returns 0, or -1 with err filled. */
int boot_start_gdb(struct boot *b, const struct boot_job *j, char *err, size_t errlen);
/*
 * Boot and drive the guest. Returns 0 when the boot ran (b->end says how
 * it ended; r->commands and r->ms_boot are filled), or -1 when QEMU or gdb
 * could not start (r's verdict is then ERROR). QEMU is stopped and reaped,
 * and gdb stopped, before it returns.
 */
int boot_run(struct boot *b, const struct boot_job *j, int early, struct result *r);
void boot_release(struct boot *b);

#endif
