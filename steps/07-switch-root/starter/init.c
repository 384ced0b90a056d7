/*
 * init.c: the initramfs's /init of stage 07, which hands the machine over
 * to the real root filesystem on a disk.
 *
 * This is what every mainstream distribution's initramfs does at the end
 * (Debian's initramfs-tools, dracut, mkinitcpio, BusyBox's switch_root):
 *
 *   1. mount /dev, /proc and /sys, so that the disk can be found;
 *   2. wait until the disk's device node appears (/dev/vda);
 *   3. mount the disk on a folder of the initramfs (/newroot);
 *   4. move /dev, /proc and /sys onto the disk's own folders;
 *   5. make the disk the root: chdir into it, move its mount onto "/",
 *      chroot to it;
 *   6. exec the disk's /sbin/init, which stays PID 1.
 *
 * It runs as PID 1 and never returns: if any step fails, it says which
 * and why, and waits (a panic would hide its last words).
 *
 * Look for TODO. README.md explains each step; ./lab-runner hint helps.
 */
#define _DEFAULT_SOURCE	/* chroot(), among the Unix classics */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROOT_DEVICE	"/dev/vda"	/* the first virtio disk */
#define ROOT_FSTYPE	"ext4"
#define NEW_ROOT	"/newroot"	/* a folder of the initramfs */
#define REAL_INIT	"/sbin/init"	/* on the disk */
#define WAIT_SECONDS	10

/* Something went wrong: say what, and stay (PID 1 must not exit). */
static void
stop(const char *what)
{
	fprintf(stderr, "init: %s: %s\n", what, strerror(errno));
	for (;;)
		pause();
}

static void
mount_fs(const char *type, const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		stop(dir);
	if (mount(type, dir, type, 0, NULL) < 0)
		stop(dir);
}

/*
 * Wait for the disk. A driver finds its device while the kernel boots, and
 * devtmpfs makes the node in /dev a moment later; on real hardware (a USB
 * disk, a RAID) it can take seconds. So look every 10 ms, for a while:
 * this is what the kernel's own "rootwait" does.
 */
static void
wait_for(const char *path)
{
	struct timespec tick = {0, 10 * 1000 * 1000};

	for (int i = 0; i < WAIT_SECONDS * 100; i++) {
		if (access(path, F_OK) == 0)
			return;
		nanosleep(&tick, NULL);
	}
	errno = ENODEV;
	stop("no " ROOT_DEVICE " after 10 s");
}

/* Move the mount on /X of the initramfs to NEW_ROOT/X: the same mounted
 * filesystem, seen at its new place (the disk has the empty folder). */
static void
move(const char *dir)
{
	/*
	 * TODO: build the path NEW_ROOT + dir ("/newroot/dev") with snprintf,
	 * then mount(dir, to, NULL, MS_MOVE, NULL); on failure stop(to).
	 */
	(void)dir;	/* TODO: delete this line */
}

int
main(void)
{
	/* 1. The kernel's filesystems: devtmpfs makes /dev/vda. */
	mount_fs("devtmpfs", "/dev");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");

	/* 2. TODO: wait_for(ROOT_DEVICE). */

	/*
	 * 3. TODO: make the folder NEW_ROOT (mkdir, 0755; EEXIST is fine) and
	 * mount ROOT_DEVICE on it, of type ROOT_FSTYPE. Then say so:
	 * printf("init: %s mounted on %s\n", ROOT_DEVICE, NEW_ROOT);
	 */

	/* 4. TODO: move("/dev"), move("/proc"), move("/sys"). */

	/*
	 * 5. TODO: make the disk the root. The initramfs (the kernel's rootfs)
	 * can never be unmounted, so the disk's mount is moved on top of "/":
	 * chdir(NEW_ROOT), mount(".", "/", NULL, MS_MOVE, NULL), chroot("."),
	 * chdir("/"), each checked with stop().
	 */

	/*
	 * 6. TODO: become the disk's init, in this very process (PID 1):
	 * execl(REAL_INIT, "init", (char *)NULL). If it returns, it failed.
	 */
	(void)wait_for;	/* TODO: delete these two lines */
	(void)move;
	errno = ENOSYS;
	stop("the switch to the disk is not written yet (the TODOs of main)");
}
