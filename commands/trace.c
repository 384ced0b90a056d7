/*
 * trace.c: `lab-runner trace`, the picture of what ran. It boots a stage as
 * `check` does, with the witness on (engine/witness.h), and draws what the
 * kernel saw: the process tree (who created whom, what each ran, how it
 * ended, who reaped it) and the UART transcript, each line marked with the
 * process that wrote it. This is fork, exec, wait and the shared console of
 * the pages of stages 02 to 04, from the real boot.
 *
 * The record is read back from the run's gdb.log, where gdb printed it:
 * the same lines, through the same parser, as the check judged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "textclean.h"
#include "util.h"
#include "witness.h"

/* A colour per process, in the order they appear (NO_COLOR: none). */
static const char *const colours[] = {"\033[36m", "\033[33m", "\033[32m", "\033[35m",
				       "\033[34m", "\033[31m", "\033[96m", "\033[93m"};
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

static const char *
colour_of(const struct witness *w, int pid, int on)
{
	if (!on)
		return "";
	for (size_t i = 0; i < w->nprocs; i++)
		if (w->procs[i].pid == pid)
			return colours[i % NCOLOURS];
	return "";
}

/* How a process ended, in words. */
static void
ending(const struct wproc *p, char *buf, size_t len)
{
	char st[96], by[48] = "";
	if (!p->exited) {
		snprintf(buf, len, "still running at the end");
		return;
	}
	witness_status(p->status, st, sizeof(st));
	if (p->reaper > 0)
		snprintf(by, sizeof(by), ", reaped by %d", p->reaper);
	else
		snprintf(by, sizeof(by), ", never reaped");
	snprintf(buf, len, "ended: %s%s", st, by);
}

/* The tree under parent, depth first, children in the order they were made. */
static void
draw_tree(const struct witness *w, int parent, int depth, int color, int guard)
{
	char end[160];
	if (depth > 64 || guard > 100000)
		return;
	for (size_t i = 0; i < w->nprocs; i++) {
		const struct wproc *p = &w->procs[i];
		if (p->parent != parent || p->pid == parent)
			continue;
		ending(p, end, sizeof(end));
		printf("  %*s%s%s%-6d %-28s%s %s\n", (depth ? depth - 1 : 0) * 4, "",
		       depth ? "`-- " : "", colour_of(w, p->pid, color), p->pid, p->program,
		       color ? "\033[0m" : "", end);
		draw_tree(w, p->pid, depth + 1, color, guard + 1);
	}
}

/*
 * Each UART line with the process that wrote it: the line is looked for in
 * what processes wrote, from where the previous line was found. A line
 * found there is that writer's; a line whose start was written and whose
 * rest was not is a prompt followed by the terminal's echo of what was
 * typed; the rest is the kernel's (or echo alone).
 */
static void
draw_transcript(const struct witness *w, const char *uart, int color)
{
	struct wstream s;
	size_t cursor = 0;
	char *copy = xstrdup(uart), *save = NULL;

	int started = 0;
	wstream_make(&s, w);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(l);
		if (n && l[n - 1] == '\r')
			l[--n] = '\0';
		/* The firmware's and the kernel's boot come before any process. */
		started |= strstr(l, "Run /init as init process") != NULL;
		if (!started)
			continue;
		char *clean = text_clean(l, NULL, NULL, 0);
		const char *who = "kernel", *tail = "";
		int pid = 0, pid2 = 0;
		/* Where the next written line starts: past the newline that ended the last. */
		while (cursor < s.all.len && (s.all.buf[cursor] == '\n' || s.all.buf[cursor] == '\r'))
			cursor++;
		size_t k = 0;
		while (k < n && cursor + k < s.all.len && s.all.buf[cursor + k] == l[k])
			k++;
		size_t at = cursor;
		if (k < n && k < 2) {
			/* Not where the last line ended: a little further (the kernel's
			 * own lines come between), the whole line. */
			size_t window = s.all.len - cursor < 4096 ? s.all.len - cursor : 4096;
			const char *hit = n ? memmem(s.all.buf + cursor, window, l, n) : NULL;
			if (hit) {
				at = (size_t)(hit - s.all.buf);
				k = n;
			}
		}
		if (k == n || k >= 2) {
			/* Written here: by one process, or by two in turn (a prompt,
			 * then another's line); the rest, if any, the echo of typing. */
			pid = w->ev[s.ev[wstream_write_at(&s, at)]].tgid;
			int last = w->ev[s.ev[wstream_write_at(&s, at + k - 1)]].tgid;
			if (last != pid)
				pid2 = last;
			cursor = at + k;
			if (k < n)
				tail = " + echo";
		} else if (!strncmp(l, "qemu-system-", 12)) {
			who = "QEMU";         /* QEMU's own words, on the same output */
		} else if (n && l[0] != '[') {
			who = "echo";
		}
		char tag[64];
		if (pid) {
			const struct wproc *p = witness_proc(w, pid);
			const char *b = p ? strrchr(p->program, '/') : NULL;
			if (pid2)
			{
				const struct wproc *q = witness_proc(w, pid2);
				const char *qb = q ? strrchr(q->program, '/') : NULL;
				snprintf(tag, sizeof(tag), "%d %s, %d %s", pid, b ? b + 1 : "?", pid2,
					 qb ? qb + 1 : "?");
			}
			else
				snprintf(tag, sizeof(tag), "%d %s%s", pid, b ? b + 1 : p ? p->program : "?", tail);
		} else {
			snprintf(tag, sizeof(tag), "%s", who);
		}
		printf("  %s%-26.26s%s | %s\n", pid ? colour_of(w, pid, color) : color ? "\033[2m" : "",
		       tag, color ? "\033[0m" : "", clean);
		free(clean);
	}
	wstream_release(&s);
	free(copy);
}

/* The riscv64 system calls (Linux's generic table) a lab's programs make. */
static const struct {
	int nr;
	const char *name;
} sysnames[] = {
	{17, "getcwd"}, {23, "dup"}, {24, "dup3"}, {25, "fcntl"}, {29, "ioctl"},
	{33, "mknodat"}, {34, "mkdirat"}, {35, "unlinkat"}, {37, "linkat"}, {38, "renameat"},
	{39, "umount2"}, {40, "mount"}, {41, "pivot_root"}, {43, "statfs"},
	{44, "fstatfs"}, {51, "chroot"}, {71, "sendfile"}, {81, "sync"}, {82, "fsync"}, {46, "ftruncate"}, {48, "faccessat"}, {49, "chdir"},
	{52, "fchmod"}, {53, "fchmodat"}, {54, "fchownat"}, {56, "openat"}, {57, "close"},
	{59, "pipe2"}, {61, "getdents64"}, {62, "lseek"}, {63, "read"}, {64, "write"},
	{65, "readv"}, {66, "writev"}, {67, "pread64"}, {72, "pselect6"}, {73, "ppoll"},
	{78, "readlinkat"}, {79, "newfstatat"}, {80, "fstat"}, {88, "utimensat"},
	{93, "exit"}, {94, "exit_group"}, {96, "set_tid_address"}, {98, "futex"},
	{99, "set_robust_list"}, {101, "nanosleep"}, {113, "clock_gettime"},
	{115, "clock_nanosleep"}, {124, "sched_yield"}, {129, "kill"}, {130, "tkill"},
	{131, "tgkill"}, {132, "sigaltstack"}, {134, "rt_sigaction"}, {135, "rt_sigprocmask"},
	{139, "rt_sigreturn"}, {142, "reboot"}, {154, "setpgid"}, {155, "getpgid"},
	{157, "setsid"}, {160, "uname"}, {163, "getrlimit"}, {166, "umask"}, {167, "prctl"},
	{169, "gettimeofday"}, {172, "getpid"}, {173, "getppid"}, {174, "getuid"},
	{175, "geteuid"}, {176, "getgid"}, {177, "getegid"}, {178, "gettid"}, {179, "sysinfo"},
	{198, "socket"}, {200, "bind"}, {203, "connect"}, {206, "sendto"}, {207, "recvfrom"},
	{208, "setsockopt"}, {214, "brk"}, {215, "munmap"}, {220, "clone"}, {221, "execve"},
	{222, "mmap"}, {226, "mprotect"}, {233, "madvise"}, {260, "wait4"}, {261, "prlimit64"},
	{276, "renameat2"}, {278, "getrandom"}, {281, "execveat"}, {291, "statx"},
	{435, "clone3"},
};

static const char *
sysname(long nr, char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(sysnames) / sizeof(sysnames[0]); i++)
		if (sysnames[i].nr == nr)
			return sysnames[i].name;
	snprintf(buf, len, "syscall_%ld", nr);
	return buf;
}

/* Per process: how many system calls, and of which kinds (most first). */
static void
draw_syscalls(const struct witness *w, int list, int color)
{
	char nb[32];
	printf("\nSystem calls, per process%s:\n", list ? " (then each, in order)" : "");
	for (size_t p = 0; p < w->nprocs; p++) {
		int pid = w->procs[p].pid;
		long counts[512] = {0}, total = 0, other = 0;
		for (size_t i = 0; i < w->n; i++)
			if (w->ev[i].kind == WE_SYSCALL && w->ev[i].tgid == pid) {
				total++;
				if (w->ev[i].value >= 0 && w->ev[i].value < 512)
					counts[w->ev[i].value]++;
				else
					other++;
			}
		if (!total)
			continue;
		printf("  %s%-6d %-20s%s %ld:", colour_of(w, pid, color), pid, w->procs[p].program,
		       color ? "\033[0m" : "", total);
		for (int shown = 0; shown < 64; shown++) {
			long best = 0;
			int at = -1;
			for (int n = 0; n < 512; n++)
				if (counts[n] > best)
					best = counts[n], at = n;
			if (at < 0)
				break;
			printf(" %s %ld", sysname(at, nb, sizeof(nb)), best);
			counts[at] = 0;
		}
		printf(other ? " ...\n" : "\n");
	}
	if (!list)
		return;
	printf("\n");
	for (size_t i = 0; i < w->n; i++) {
		const struct wevent *e = &w->ev[i];
		if (e->kind != WE_SYSCALL)
			continue;
		printf("  %s%-6d%s %s(", colour_of(w, e->tgid, color), e->pid, color ? "\033[0m" : "",
		       sysname(e->value, nb, sizeof(nb)));
		/* The arguments that teach: fds and flags as numbers, pointers in hex. */
		for (int k = 0; k < 3; k++)
			printf(k ? ", %s%lx" : "%s%lx", (unsigned long)e->args[k] > 0xffff ? "0x" : "",
			       e->args[k]);
		printf(")\n");
	}
}

int
cmd_trace(struct ctx *c, const struct args *a)
{
	struct check_opts o;
	struct result r;
	struct witness w;
	char *log = NULL, *uart = NULL;
	const struct stage *s = pick_stage(c, a);

	if (!s)
		return 2;
	char *dir = fill_check_opts(c, s, a, &o);
	o.witness = 1;
	/* Each system call is a stop of the guest, and QEMU 7.2 pays ~10-20 ms
	 * for every stop (engine/witness.c): only when asked. */
	o.syscalls = a->syscalls;
	fprintf(stderr, "tracing %s: build, boot, watch with the witness...\n", s->name);
	enum verdict v = engine_check(&o, &r);
	witness_init(&w);
	if (r.gdb_log && read_file(r.gdb_log, &log, NULL) == 0) {
		char *save = NULL;
		for (char *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			witness_parse_line(&w, l);
	}
	if (!r.uart_log || read_file(r.uart_log, &uart, NULL) < 0)
		uart = xstrdup("");
	int rc = 0;
	if (!w.armed) {
		/* Nothing to draw: no program ran (stage 00 has none), or the boot
		 * never got that far. */
		if (r.verdict == V_ERROR)
			fprintf(stderr, "trace: %s\n", r.headline ? r.headline : "the boot did not run");
		else
			fprintf(stderr, "trace: no program ran in this boot (the kernel never ran /init), "
				"so there is no process to draw; the boot's log is %s\n",
				r.uart_log ? r.uart_log : "uart.log");
		rc = 2;
	} else if (a->json) {
		fputs("{\"stage\": ", stdout);
		json_string(stdout, s->name);
		fprintf(stdout, ", \"verdict\": \"%s\", \"witness_log\": ", verdict_name(v));
		json_string(stdout, r.witness_log ? r.witness_log : "");
		fputs(", \"record\": ", stdout);
		witness_json(&w, stdout);
		fputs("}\n", stdout);
	} else {
		printf("== %s: what ran (the witness's record: %s) ==\n", s->name,
		       r.witness_log ? r.witness_log : "not saved");
		printf("Processes (PID, program, how it ended):\n");
		draw_tree(&w, 0, 0, c->color, 0);
		/* Processes whose parent the record did not see (it began late). */
		draw_tree(&w, -1, 0, c->color, 0);
		printf("\nThe console from /init on (the boot before it is in %s), each line\n"
		       "marked with the process that wrote it (kernel: the kernel's own message;\n"
		       "echo: the terminal echoing what was typed; + echo: a prompt, then the echo):\n", r.uart_log ? r.uart_log : "uart.log");
		draw_transcript(&w, uart, c->color);
		int any = 0;
		for (size_t i = 0; i < w.n && !any; i++)
			any = w.ev[i].kind == WE_SYSCALL;
		if (a->syscalls && any)
			draw_syscalls(&w, 1, c->color);
		else if (a->syscalls)
			printf("\nNo system calls were recorded: this kernel has no handle_syscall, "
			       "where Linux 6.1\nenters them (6.12 enters them in C, where the "
			       "witness does not stop yet).\n");
		else
			printf("\nSystem calls were not recorded: each one stops the guest, which costs "
			       "QEMU\nabout 10-20 ms; --syscalls counts them per process and lists "
			       "each.\n");
		if (w.cut)
			printf("\n(the record stops early: %d events, the witness's bound)\n",
			       WITNESS_MAX_EVENTS);
		printf("\nThe check's verdict for this boot: %s\n", verdict_name(v));
	}
	witness_release(&w);
	free(log);
	free(uart);
	result_release(&r);
	free(dir);
	return rc;
}
