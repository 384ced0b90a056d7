/*
 * interactive.c: the commands that hand the terminal to another program
 * and wait for it: run (QEMU, the UART on the terminal), debug (gdb,
 * attached to a paused QEMU; the UART on a socket that `console` types
 * to) and kernel (make, for a build or menuconfig). Ctrl-C belongs to
 * that program while it runs. run and debug boot the machine the stage's
 * check boots.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "elffile.h"
#include "forward.h"
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

/*
 * What run and debug boot: what prepare() built, on the machine the
 * stage's check boots (qemu_opts_for_check: its memory, append, clock and
 * network). The check is read again with the nonce prepare() used, so
 * that {nonce} and the responder's page are the same. A `forward` gets a
 * host port of its own in fwd (the caller releases it after QEMU ends).
 * QEMU's own messages go to qemu.log in the run folder. Returns 0, or -1
 * after saying why. The check is the caller's to release.
 */
static int
boot_opts(const struct ctx *c, const struct stage *s, const struct result *r, struct check *chk,
	  struct forward *fwd, struct qemu_opts *qo, char **qemu_log)
{
	char err[1024];
	char *path = stage_path(&c->cat, s, PART_CHECK);
	int rc = check_parse(chk, path, r->nonce, err, sizeof(err));

	free(path);
	forward_init(fwd);
	if (rc < 0) {
		fprintf(stderr, "lab-runner: %s\n", err);
		return -1;
	}
	/* The check's forward: a host port of this session's own. */
	if (chk->forward_port && forward_reserve(fwd, chk->forward_port, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: %s\n", err);
		check_release(chk);
		return -1;
	}
	memset(qo, 0, sizeof(*qo));
	qemu_opts_for_check(qo, chk, r->kernel_path, r->initrd_path, r->disk_path, c->top, 0);
	qo->forward_host = fwd->host_port;
	qo->run_dir = r->run_dir;   /* the responder's slots, as a check has them */
	*qemu_log = xasprintf("%s/qemu.log", r->run_dir);
	qo->stderr_log = *qemu_log;
	return 0;
}

/* How to reach a forwarded port from this machine: for SSH's port with the
 * run's key, the whole ssh command. */
static void
print_forward(const struct check *chk, const struct forward *fwd, const struct result *r)
{
	if (!fwd->host_port)
		return;
	if (chk->forward_port == 22 && r->ssh_key)
		printf("The guest's SSH port 22 is this machine's 127.0.0.1:%d. Once the guest is\n"
		       "up, log in from another terminal with this run's key:\n"
		       "  ssh -i %s -p %d -o StrictHostKeyChecking=no "
		       "-o UserKnownHostsFile=/dev/null root@127.0.0.1\n", fwd->host_port, r->ssh_key,
		       fwd->host_port);
	else
		printf("The guest's TCP port %d is this machine's 127.0.0.1:%d.\n",
		       chk->forward_port, fwd->host_port);
}

/* What QEMU said that matters (its log, warnings left out), after it stopped. */
static void
print_qemu_said(const char *qemu_log)
{
	struct strv said = {0};

	qemu_log_said(qemu_log, &said);
	for (size_t i = 0; i < said.n; i++)
		printf("QEMU said: %s\n", said.v[i]);
	if (said.n)
		printf("(QEMU's messages are in %s.)\n", qemu_log);
	strv_release(&said);
}

/* Run a program in the foreground, with the terminal's signals; its
 * stderr to the file stderr_log when not NULL. */
static int
foreground(struct ctx *c, char **argv, const char *stderr_log)
{
	pid_t pid = fork();
	int st = 0;
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &c->blocked, NULL);
		if (stderr_log) {
			int fd = open(stderr_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0 && fd != 2) {
				dup2(fd, 2);
				close(fd);
			}
		}
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
	struct check chk;
	struct qemu_opts qo;
	struct forward fwd;
	const struct stage *s = NULL;
	char *qemu_log = NULL;
	int rc = prepare(c, a, &r, &s);

	if (rc != 0 || boot_opts(c, s, &r, &chk, &fwd, &qo, &qemu_log) < 0) {
		result_release(&r);
		return rc ? rc : 2;
	}
	struct strv qargv = {0};
	qo.interactive = 1;
	qemu_argv(&qo, &qargv);
	if (c->verbose) {
		for (size_t i = 0; i < qargv.n; i++)
			printf("%s%s", i ? " " : "$ ", qargv.v[i]);
		printf("\n");
	}
	printf("Booting %s on the machine its check boots (%d MiB of memory%s%s), the guest's\n"
	       "clock on the wall clock. The UART is this terminal: type to the guest.\n"
	       "To quit QEMU: press Ctrl-A, then X.\n\n", s->name, chk.memory_mb,
	       chk.append ? ", the kernel command line with " : "", chk.append ? chk.append : "");
	print_forward(&chk, &fwd, &r);
	if (!r.initrd_path)
		printf("No -initrd: the kernel boots with the archive built into it.\n");
	if (r.disk_path)
		printf("The disk (/dev/vda in the guest) is %s, a copy made by this run's make.\n",
		       r.disk_path);
	fflush(stdout);
	rc = foreground(c, qargv.v, qemu_log);
	forward_release(&fwd);
	strv_release(&qargv);
	printf("\nQEMU has stopped.\n");
	if (r.disk_path)
		printf("The disk, as the guest left it: %s\n"
		       "(/usr/sbin/debugfs -R 'ls -l /' %s lists its files.)\n", r.disk_path,
		       r.disk_path);
	print_qemu_said(qemu_log);
	check_release(&chk);
	free(qemu_log);
	result_release(&r);
	return rc;
}

/*
 * The kernel functions through which the guest's machine ends: a panic
 * (panic=-1 restarts, and QEMU's -no-reboot makes that its end) or a
 * power-off. debug stops gdb there, so that the session ends with words
 * of the lab's instead of gdb's "Remote communication error". gdb detaches
 * first: a quit alone kills the target, and QEMU's exit could then race
 * gdb's read of the answer (the error came back now and then).
 */
static const char *const machine_end[] = {"machine_restart", "machine_power_off", "machine_halt"};

/* gdb's lines that end the session at each of machine_end found in vmlinux. */
static void
end_breakpoints(const char *vmlinux, struct sb *g)
{
	const unsigned char *data;
	size_t len;

	if (map_file(vmlinux, &data, &len) < 0)
		return;
	for (size_t i = 0; i < sizeof(machine_end) / sizeof(machine_end[0]); i++) {
		uint64_t addr;
		if (elf_symbol(data, len, machine_end[i], &addr) != ELF_SYM_FOUND)
			continue;
		sb_printf(g, "hbreak *0x%llx\ncommands\nsilent\n"
			  "echo \\nThe kernel is ending the machine (%s): gdb ends here.\\n\n"
			  "detach\nquit\nend\n", (unsigned long long)addr, machine_end[i]);
	}
	unmap_file(data, len);
}

/* Does the check expect a panic (an expect line naming a kernel panic)? */
static int
expects_panic(const struct check *chk)
{
	for (size_t t = 0; t < chk->nthreads; t++)
		for (size_t i = 0; i < chk->threads[t].n; i++) {
			const struct step *st = &chk->threads[t].steps[i];
			if (st->kind == STEP_EXPECT && strstr(st->pat.text, "Kernel panic"))
				return 1;
		}
	return 0;
}

/* After a debug session: how the guest ended, from the UART's log. */
static void
say_how_it_ended(const struct check *chk, const char *stage, const char *uart)
{
	char *text = NULL, *save = NULL, *panic = NULL;
	int off = 0;

	if (read_file(uart, &text, NULL) < 0)
		return;
	for (char *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
		if (strstr(l, "Kernel panic - not syncing"))
			panic = strstr(l, "Kernel panic");
		if (strstr(l, "reboot: Power down"))
			off = 1;
	}
	if (panic && expects_panic(chk))
		printf("The kernel panicked, as this stage expects: %s\n", panic);
	else if (panic)
		printf("The kernel panicked, which stage %s does not expect: %s\n", stage, panic);
	else if (off)
		printf("The guest powered off.\n");
	free(text);
}

/* The UART for typing: a tmux pane when inside tmux, else a command to
 * run in another terminal. Returns 1 if the pane opened. */
static int
open_console(const char *console)
{
	char exe[PATH_MAX], err[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if (!getenv("TMUX") || !have_program("tmux"))
		return 0;
	/* -d: gdb's pane keeps the keyboard. */
	char *cmd = xasprintf("'%s' console '%s'", exe, console);
	char *argv[] = {"tmux", "split-window", "-d", "-v", "-l", "12", cmd, NULL};
	int st = -1;
	pid_t pid = spawn(argv, NULL, NULL, NULL, 0, err, sizeof(err));
	if (pid > 0)
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	free(cmd);
	return pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Wait up to 5 s for QEMU to make path; 0 if it did. */
static int
wait_for(const char *path)
{
	for (int i = 0; i < 500; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* debug: boot a stage paused, and give the terminal to gdb, attached. */
int
cmd_debug(struct ctx *c, const struct args *a)
{
	struct result r;
	struct check chk;
	struct qemu_opts qo;
	struct qemu q = {0};
	struct forward fwd;
	const struct stage *s = NULL;
	char *qemu_log = NULL;
	char err[256];
	int rc = prepare(c, a, &r, &s);

	if (rc != 0 || boot_opts(c, s, &r, &chk, &fwd, &qo, &qemu_log) < 0) {
		result_release(&r);
		return rc ? rc : 2;
	}
	char *sock = xasprintf("%s/debug.sock", r.run_dir);
	char *console = xasprintf("%s/console.sock", r.run_dir);
	char *uart = xasprintf("%s/uart.log", r.run_dir);
	char *script = xasprintf("%s/debug.gdb", r.run_dir);
	qo.gdb_socket = sock;
	qo.serial_file = uart;   /* the terminal is gdb's; the UART is on console */
	qo.console = console;
	if (c->verbose) {
		struct strv qargv = {0};
		qemu_argv(&qo, &qargv);
		for (size_t i = 0; i < qargv.n; i++)
			printf("%s%s", i ? " " : "$ ", qargv.v[i]);
		printf("\n");
		strv_release(&qargv);
	}
	if (qemu_start(&q, &qo, err, sizeof(err)) < 0) {
		fprintf(stderr, "lab-runner: debug: %s\n", err);
		rc = 2;
		goto out;
	}
	if (wait_for(sock) < 0 || wait_for(console) < 0) {
		fprintf(stderr, "lab-runner: debug: QEMU did not start\n");
		qemu_stop(&q, 1);
		print_qemu_said(qemu_log);
		rc = 2;
		goto out;
	}
	struct sb g;
	sb_init(&g);
	if (r.init_elf)
		sb_printf(&g, "file %s\n", r.init_elf);
	else
		sb_printf(&g, "file %s\n", r.vmlinux_path);
	/*
	 * No OS ABI: gdb is attached to the whole machine, not to a Linux
	 * process. With Linux's, it reads the program's _r_debug at once, to
	 * look for shared libraries, while the CPU is still in the firmware
	 * with no page mapped there: "Cannot access memory at address ...".
	 */
	sb_puts(&g, "set osabi none\nset confirm off\n");
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
			    "commands\nset $lab_satp = $satp\nend\n");
	else
		sb_puts(&g, "hbreak start_kernel\n");
	end_breakpoints(r.vmlinux_path, &g);
	sb_puts(&g, "continue\n");
	write_file_atomic(script, g.buf, g.len);
	sb_release(&g);
	printf("The guest is paused; gdb is attached and will stop at %s.\n",
	       r.init_elf ? "main of /init" : "start_kernel");
	if (open_console(console))
		printf("The UART is in the tmux pane below: type to the guest there.\n");
	else
		printf("To see the UART and type to the guest, in a second terminal:\n"
		       "  %s/lab-runner console %s\n", c->top, console);
	print_forward(&chk, &fwd, &r);
	printf("Everything the guest prints is also in %s.\n"
	       "Try: bt, next, step, info registers, p $satp, continue. Quit with: quit\n"
	       "($satp is the root of the page table the CPU uses now: each process has its own,\n"
	       "so its value tells processes apart.)\n", uart);
	if (r.init_elf)
		printf("Breakpoints are on addresses, and every process has its program at the same\n"
		       "addresses: a breakpoint stops in whichever process runs there. main stops\n"
		       "only in init (its condition compares $satp with init's, $lab_satp);\n"
		       "do the same for yours: break FUNC if $satp == $lab_satp. To debug another\n"
		       "program, load its symbols (its ELF is in %s/src/):\n"
		       "file %s/src/little_shell, then break main if $satp != $lab_satp\n",
		       r.run_dir, r.run_dir);
	printf("\n");
	fflush(stdout);
	char *gargv[] = {"gdb-multiarch", "-q", "-nx", "-x", script, NULL};
	rc = foreground(c, gargv, NULL);
	qemu_stop(&q, 0);
	say_how_it_ended(&chk, s->name, uart);
	print_qemu_said(qemu_log);
out:
	forward_release(&fwd);
	check_release(&chk);
	free(qemu_log);
	free(sock);
	free(console);
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
	int rc = foreground(c, mk, NULL);
	free(k);
	return rc;
}
