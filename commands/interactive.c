/*
 * interactive.c: the commands that hand the terminal to another program
 * and wait for it: run (QEMU, the UART on the terminal), debug (gdb,
 * attached to a paused QEMU) and kernel (make, for a build or
 * menuconfig). Ctrl-C belongs to that program while it runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "qemu.h"
#include "report.h"
#include "util.h"

/*
 * run and debug: build, then hand the machine to the learner. Returns
 * 0 when there is something to boot, or the exit status; r is filled
 * either way (result_release() it).
 */
static int
prepare(struct ctx *c, const struct args *a, struct result *r, const struct stage **sp)
{
	struct check_opts o;
	const struct stage *s = pick_stage(c, a);

	memset(r, 0, sizeof(*r));
	if (!s)
		return 2;
	char *dir = fill_check_opts(c, s, a, &o);
	o.prepare_only = 1;
	engine_check(&o, r);
	free(dir);
	*sp = s;
	if (r->verdict != V_PASS) {
		report_text(stdout, r, c->color, c->verbose);
		return 2;
	}
	for (size_t i = 0; i < r->advice.n; i++)
		printf("note: %s\n", r->advice.v[i]);
	return 0;
}

/* What run and debug boot: what prepare() built, with the lab's web
 * responder for a network stage. */
static void
boot_opts(const struct ctx *c, const struct result *r, struct qemu_opts *qo)
{
	qo->kernel = r->kernel_path;
	qo->initrd = r->initrd_path;
	qo->memory_mb = 128;
	qo->lab_top = c->top;
	qo->token = r->network ? r->nonce : NULL;
}

/* Run a program in the foreground, with the terminal's signals. */
static int
foreground(struct ctx *c, char **argv)
{
	pid_t pid = fork();
	int st = 0;
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &c->blocked, NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "lab-runner: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		return 2;
	/* Ctrl-C belongs to the program now (gdb uses it to stop the guest). */
	signal(SIGINT, SIG_IGN);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 2;
}

/* run: build a stage and boot it with the UART on the terminal. */
int
cmd_run(struct ctx *c, const struct args *a)
{
	struct result r;
	const struct stage *s = NULL;
	int rc = prepare(c, a, &r, &s);
	if (rc == 0) {
		struct qemu_opts qo = {0};
		struct strv qargv = {0};
		boot_opts(c, &r, &qo);
		qo.interactive = 1;
		qemu_argv(&qo, &qargv);
		if (c->verbose) {
			for (size_t i = 0; i < qargv.n; i++)
				printf("%s%s", i ? " " : "$ ", qargv.v[i]);
			printf("\n");
		}
		printf("Booting %s. The UART is this terminal: type to the guest.\n"
		       "To quit QEMU: press Ctrl-A, then X.\n\n", s->name);
		fflush(stdout);
		rc = foreground(c, qargv.v);
		strv_release(&qargv);
		printf("\nQEMU has stopped.\n");
	}
	result_release(&r);
	return rc;
}

/* debug: boot a stage paused, and give the terminal to gdb, attached. */
int
cmd_debug(struct ctx *c, const struct args *a)
{
	struct result r;
	const struct stage *s = NULL;
	char err[256];
	int rc = prepare(c, a, &r, &s);
	if (rc != 0) {
		result_release(&r);
		return rc;
	}
	char *sock = xasprintf("%s/debug.sock", r.run_dir);
	char *uart = xasprintf("%s/uart.log", r.run_dir);
	char *script = xasprintf("%s/debug.gdb", r.run_dir);
	struct qemu_opts qo = {0};
	struct strv qargv = {0};
	boot_opts(c, &r, &qo);
	qo.gdb_socket = sock;
	qo.serial_file = uart;   /* the terminal is gdb's */
	qemu_argv(&qo, &qargv);
	pid_t q = spawn(qargv.v, NULL, NULL, NULL, 1, err, sizeof(err));
	strv_release(&qargv);
	if (q < 0) {
		fprintf(stderr, "lab-runner: debug: %s\n", err);
		rc = 2;
		goto out;
	}
	for (int i = 0; i < 500 && access(sock, F_OK) != 0; i++)
		usleep(10000);
	struct sb g;
	sb_init(&g);
	if (r.init_elf)
		sb_printf(&g, "file %s\n", r.init_elf);
	else
		sb_printf(&g, "file %s\n", r.vmlinux_path);
	sb_puts(&g, "set confirm off\n");
	sb_printf(&g, "target remote %s\n", sock);
	/*
	 * A breakpoint is on an address, and every program of the archive has
	 * its main near the same address: a plain `hbreak main` would stop
	 * again when the little shell's main runs, shown with init's source.
	 * $satp, the page-table root, tells processes apart: main stops only
	 * in the address space that first ran it, PID 1's ($lab_satp).
	 */
	if (r.init_elf)
		sb_puts(&g, "set $lab_satp = 0\n"
			    "hbreak main if $lab_satp == 0 || $satp == $lab_satp\n"
			    "commands\nset $lab_satp = $satp\nend\ncontinue\n");
	else
		sb_puts(&g, "hbreak start_kernel\ncontinue\n");
	write_file_atomic(script, g.buf, g.len);
	sb_release(&g);
	printf("The guest is paused; gdb is attached and will stop at %s.\n"
	       "The UART output goes to %s (in another terminal: tail -f %s).\n"
	       "Try: bt, next, step, info registers, p $satp, continue. Quit with: quit\n",
	       r.init_elf ? "main of /init" : "start_kernel", uart, uart);
	if (r.init_elf)
		printf("Breakpoints are on addresses, and every process has its program at the same\n"
		       "addresses: a breakpoint stops in whichever process runs there. main stops only\n"
		       "in init (its condition compares $satp, a process's page table, with init's,\n"
		       "$lab_satp); do the same for yours: break FUNC if $satp == $lab_satp. To debug\n"
		       "another program, load its symbols (its ELF is in %s/src/):\n"
		       "file %s/src/little_shell, then break main if $satp != $lab_satp\n",
		       r.run_dir, r.run_dir);
	printf("\n");
	fflush(stdout);
	char *gargv[] = {"gdb-multiarch", "-q", "-nx", "-x", script, NULL};
	rc = foreground(c, gargv);
	kill_group(q);
out:
	free(sock);
	free(uart);
	free(script);
	result_release(&r);
	return rc;
}

/* kernel: make kernel or make menuconfig, for the lab's or the stock configuration. */
int
cmd_kernel(struct ctx *c, const struct args *a)
{
	char *k = xasprintf("KCONFIG=%s", a->config ? a->config : "lab");
	char *target = !strcmp(a->action, "build") ? "kernel" : "menuconfig";
	char *mk[] = {"make", "-C", c->top, target, k, NULL};
	int rc = foreground(c, mk);
	free(k);
	return rc;
}
