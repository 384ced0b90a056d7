/*
 * diagnose.c: the table of kernel messages a beginner meets, and what
 * each one means. Adding a diagnosis is adding a row.
 */
#include "diagnose.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct diagnosis {
	const char *when;   /* text in a UART line */
	const char *say;
} table[] = {
	{"Failed to execute /init (error -8)",
	 "the kernel could not run /init: error -8 (ENOEXEC) means it is not a program for this "
	 "machine. Compile it with riscv64-linux-gnu-gcc, not gcc (steps/01-hello-init/README.md)"},
	{"Failed to execute /init (error -2)",
	 "the kernel could not run /init: error -2 (ENOENT). /init exists, so something it needs "
	 "does not: a dynamically linked program needs its loader (/lib/ld-linux-riscv64-lp64d.so.1) "
	 "and the C library; link with -static (steps/01-hello-init/README.md)"},
	{"Failed to execute /init (error -13)",
	 "the kernel could not run /init: error -13 (EACCES) means it has no execute permission. "
	 "Run chmod +x init before packing (steps/01-hello-init/README.md)"},
	{"Failed to execute /init",
	 "the kernel found /init but could not run it; the error number is a negative errno "
	 "(see errno -l on your machine)"},
	{"No working init found",
	 "the kernel found nothing it could run as init: the archive needs an executable /init "
	 "(steps/01-hello-init/README.md)"},
	{"Warning: unable to open an initial console",
	 "there was no /dev/console when init started, so init has no stdin, stdout or stderr: "
	 "keep the kernel's default /dev/console (do not replace /dev in your archive with an "
	 "empty folder)"},
	{"Initramfs unpacking failed",
	 "the kernel could not unpack the initramfs: pack it with cpio -o -H newc, uncompressed "
	 "(steps/01-hello-init/README.md)"},
	{"VFS: Unable to mount root fs",
	 "the kernel found no initramfs with an /init and no root disk, so it had nothing to run"},
	{"Out of memory",
	 "the guest ran out of memory: the initramfs may be larger than the guest's RAM, or a "
	 "program allocates without bound (a fork bomb?)"},
	{"Kernel stack is corrupted",
	 "the kernel's stack overflowed: this usually follows runaway recursion in the kernel"},
};

void
diagnose_line(struct diagnoses *d, const char *line)
{
	const char *k = strstr(line, "Attempted to kill init! exitcode=");
	if (k && !d->exitcode_seen) {
		d->exitcode_seen = 1;
		d->exitcode = (unsigned)strtoul(k + strlen("Attempted to kill init! exitcode="), NULL, 16);
	}
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (!strstr(line, table[i].when))
			continue;
		/* The generic "Failed to execute" row only when no specific row matched. */
		for (size_t j = 0; j < d->n; j++)
			if (d->found[j] == (int)i)
				return;
		if (d->n < DIAG_MAX)
			d->found[d->n++] = (int)i;
		return;
	}
}

const char *
diagnose_text(const struct diagnoses *d, size_t i)
{
	return i < d->n ? table[d->found[i]].say : NULL;
}

void
diagnose_exitcode(unsigned code, char *out, size_t outlen)
{
	unsigned sig = code & 0x7f, status = (code >> 8) & 0xff;

	if (sig) {
		const char *why = sig == SIGSEGV ? ", a bad memory access: a NULL or wild pointer?"
			: sig == SIGABRT ? ", abort() was called (a failed assert?)"
			: sig == SIGILL ? ", an illegal instruction: built for another CPU?"
			: sig == SIGBUS ? ", a misaligned or impossible memory access"
			: sig == SIGKILL ? ", killed outright"
			: sig == SIGTRAP ? ", a breakpoint instruction. In PID 1 this is how abort() ends: "
					   "init ignores SIGABRT, so glibc falls back to ebreak"
			: "";
		snprintf(out, outlen, "init was killed by signal %u (SIG%s%s). PID 1 must never die: "
			 "the kernel panics when it does", sig, sigabbrev_np((int)sig) ? sigabbrev_np((int)sig) : "?", why);
	} else if (status == 0) {
		snprintf(out, outlen, "init returned (exit status 0). PID 1 must never exit: the kernel "
			 "has no process left to run, so it panics");
	} else {
		snprintf(out, outlen, "init ended with exit status %u (return %u from main, or exit(%u)). "
			 "PID 1 must never exit: the kernel panics when it does", status, status, status);
	}
}
