/*
 * init.c: PID 1 of stage 09: stage 05's init, plus an SSH server.
 *
 * The kernel runs this program first, as PID 1, with the console on file
 * descriptors 0, 1 and 2 and nothing mounted but the initramfs. It does
 * what every init does, in miniature:
 *
 *   1. mount the kernel's own filesystems: /proc, /sys, /dev, and
 *      /dev/pts, where the kernel makes a terminal for each SSH login;
 *   2. make sure that 0, 1 and 2 are open on the console;
 *   3. run the boot script /etc/rc with the shell, and wait for it: the
 *      script brings the network up (what to do at boot is easier to say,
 *      and to change, in a script than in C);
 *   3b. start the SSH server, dropbear, as a child that stays (a daemon):
 *      it waits for logins on TCP port 22;
 *   4. start the shell in a new session, with /dev/ttyS0 as its
 *      controlling terminal, so that job control (Ctrl-C, Ctrl-Z, fg, bg)
 *      works;
 *   5. collect every child that ends, orphans included, so that none
 *      stays a zombie;
 *   6. when the shell ends: sync, then power the machine off.
 *
 * PID 1 never returns from main: the kernel would panic.
 *
 * This is the init of stage 05 (the lab's solution: yours works as well),
 * with two things new for you to write: the devpts mount in main() and
 * start_dropbear(). Look for TODO.
 */
#define _DEFAULT_SOURCE	/* POSIX, plus sync() and other Unix classics */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHELL_PATH	"/bin/sh"	/* a symbolic link to /bin/busybox */
#define TTY_PATH	"/dev/ttyS0"	/* the UART: QEMU's serial port */
#define CONSOLE_PATH	"/dev/console"
#define RC_PATH		"/etc/rc"	/* the boot script */
#define DROPBEAR_PATH	"/bin/dropbear"	/* a symbolic link to /bin/dropbearmulti */

/*
 * Mount the kernel filesystem of type `type` on the folder dir, creating
 * the folder first if the archive did not bring it. A failure is reported,
 * not fatal: a system without /proc is crippled, but PID 1 must go on.
 */
static void
mount_fs(const char *type, const char *dir, unsigned long flags)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "init: mkdir %s: %s\n", dir, strerror(errno));
		return;
	}
	/* The "device" of a virtual filesystem is only a name: use its type. */
	if (mount(type, dir, type, flags, NULL) < 0)
		fprintf(stderr, "init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/*
 * Make sure file descriptors 0, 1 and 2 are open, on the console. The
 * kernel opens /dev/console for init, but only if that file exists in the
 * initramfs; if it did not, they are closed, and anything init or its
 * children print would be lost. Returns 0, or -1 if the console cannot be
 * opened.
 */
static int
open_console(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0)
			continue;	/* already open */
		/*
		 * open() returns the lowest free number, and 0 .. fd-1 are
		 * open by now: so this is fd itself. O_NOCTTY: init takes no
		 * controlling terminal; the terminal's Ctrl-C is for the
		 * user's jobs, not for PID 1.
		 */
		if (open(CONSOLE_PATH, O_RDWR | O_NOCTTY) != fd)
			return -1;
	}
	return 0;
}

/*
 * In the child: become the leader of a new session, take TTY_PATH as the
 * session's controlling terminal and as stdin, stdout and stderr, and
 * become the shell. Never returns.
 */
static void
exec_shell(void)
{
	int fd;

	/*
	 * A new session, with no controlling terminal yet. setsid fails only
	 * in a process group leader, which a fresh child is not.
	 */
	if (setsid() < 0)
		perror("init: setsid");

	/*
	 * TIOCSCTTY makes the tty the controlling terminal of our session:
	 * from then on it sends Ctrl-C and Ctrl-Z to the session's foreground
	 * job, and ash can turn job control on. We take /dev/ttyS0, the
	 * device that /dev/console stands for here, as login programs do:
	 * it is the terminal's real name (the tty command prints it).
	 */
	fd = open(TTY_PATH, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		perror("init: open " TTY_PATH " (the shell will have no job control)");
	} else {
		if (ioctl(fd, TIOCSCTTY, 0) < 0)
			perror("init: TIOCSCTTY " TTY_PATH);
		/* The tty becomes stdin, stdout and stderr. */
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			perror("init: dup2");
		if (fd > 2 && close(fd) < 0)
			perror("init: close");
	}

	execl(SHELL_PATH, "sh", (char *)NULL);
	perror("init: cannot run " SHELL_PATH);
	_exit(127);	/* _exit: do not flush the stdio buffers copied from init */
}

/*
 * Wait until the child pid ends, and store how it ended in *status. Returns
 * 0, or -1 if wait failed for a reason other than a signal.
 *
 * Every process whose parent has ended is adopted by PID 1, and only its
 * parent can collect its exit status: until then, an ended process stays a
 * zombie (an entry in the process table: "Z" in ps). So PID 1 waits for ANY
 * child, collects each one that ends, and goes on until the one it is
 * waiting for is among them.
 */
static int
wait_for(pid_t pid, int *status)
{
	for (;;) {
		pid_t done = wait(status);

		if (done == pid)
			return 0;
		if (done < 0 && errno != EINTR)
			return -1;
		/* An orphan ended (now collected), or a signal came: go on. */
	}
}

/*
 * Run the boot script RC_PATH with the shell, in a child process, and wait
 * until it ends. Returns the script's exit status (0 means it all worked),
 * or -1 if it could not be started or was killed by a signal.
 */
static int
run_rc(void)
{
	pid_t pid;
	int status;

	fflush(stdout);	/* nothing buffered must be copied into the child */
	pid = fork();
	if (pid < 0) {
		perror("init: fork");
		return -1;
	}
	if (pid == 0) {
		/* The child: "sh /etc/rc" reads the script and runs each line. */
		execl(SHELL_PATH, "sh", RC_PATH, (char *)NULL);
		perror("init: cannot run " SHELL_PATH);
		_exit(127);
	}
	if (wait_for(pid, &status) < 0) {
		perror("init: wait");
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Start the SSH server in a child process, and do not wait for it: it runs
 * until the machine stops, and init collects it (wait_for) if it ends.
 *
 *   -R  make the host key (the server's identity) at the first login, and
 *       keep it in /etc/dropbear/: this system's archive holds no key, so
 *       every copy of it gets a key of its own;
 *   -F  stay in the foreground: no second fork to become a daemon, so
 *       dropbear stays init's child and init knows when it ends;
 *   -E  write its log to stderr, the console, rather than to syslog (this
 *       system has no syslog daemon): you see each login on the UART;
 *   -p 22  listen on TCP port 22, SSH's port.
 *
 * Returns 0, or -1 if the child could not be created.
 */
static int
start_dropbear(void)
{
	/*
	 * TODO: the same dance as run_rc(), without the wait:
	 *   - fflush(stdout), then fork(); if fork fails, perror and return -1;
	 *   - in the child: execl(DROPBEAR_PATH, "dropbear", "-R", "-F", "-E",
	 *     "-p", "22", (char *)NULL); if execl returns, perror (say
	 *     "init: cannot run " DROPBEAR_PATH), then _exit(127);
	 *   - in init: return 0 at once. Do not wait: dropbear runs until the
	 *     machine stops, and wait_for() collects it if it ends.
	 */
	fprintf(stderr, "init: start_dropbear() is still a TODO\n");	/* TODO: delete */
	return -1;	/* TODO: delete */
}

int
main(void)
{
	pid_t pid;
	int status;

	/* Steps 1 and 2. /dev first: the console is there. */
	mount_fs("devtmpfs", "/dev", MS_NOSUID);
	if (open_console() < 0)
		perror("init: open " CONSOLE_PATH);	/* maybe nobody sees this */
	mount_fs("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_fs("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC);
	/*
	 * TODO: mount devpts, the kernel's pseudo-terminals, on /dev/pts,
	 * with mount_fs() as above (type "devpts", flags MS_NOSUID |
	 * MS_NOEXEC). Each SSH login asks for a terminal; dropbear gets one
	 * by opening /dev/ptmx, which works only with devpts mounted there.
	 */

	/* Every program started from here on inherits PATH. */
	if (setenv("PATH", "/bin", 1) < 0)
		perror("init: setenv PATH");

	/* Step 3: the boot script. If it fails, the shell is still useful. */
	status = run_rc();
	if (status != 0)
		fprintf(stderr, "init: %s failed (status %d), starting the shell anyway\n",
			RC_PATH, status);

	/* Step 3b: the SSH server. The network is up, if the script worked. */
	if (start_dropbear() < 0)
		fprintf(stderr, "init: dropbear was not started: no SSH server\n");

	/* Step 4: the shell, in a child process. */
	fflush(stdout);	/* nothing buffered must be copied into the child */
	pid = fork();
	if (pid == 0)
		exec_shell();
	if (pid < 0)
		perror("init: fork");

	/* Step 5: collect children until the shell itself has ended. */
	else if (wait_for(pid, &status) < 0)
		perror("init: wait");
	else if (WIFEXITED(status))
		printf("init: the shell exited (status %d), powering off\n", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("init: the shell was killed by signal %d, powering off\n", WTERMSIG(status));
	fflush(stdout);

	/*
	 * Step 6. sync writes out every file still held in memory (nothing is
	 * lost in an initramfs, which lives in RAM, but on a disk it would be).
	 * Then reboot() with RB_POWER_OFF asks the kernel to turn the machine
	 * off: it prints "reboot: Power down" and QEMU ends.
	 */
	sync();
	reboot(RB_POWER_OFF);
	perror("init: reboot");	/* reached only if power-off failed */
	for (;;)
		pause();	/* PID 1 must not return: the kernel would panic */
}
