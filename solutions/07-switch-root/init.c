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
	char to[64];

	snprintf(to, sizeof(to), "%s%s", NEW_ROOT, dir);
	if (mount(dir, to, NULL, MS_MOVE, NULL) < 0)
		stop(to);
}

int
main(void)
{
	/* 1. The kernel's filesystems: devtmpfs makes /dev/vda. */
	mount_fs("devtmpfs", "/dev");
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");

	/* 2, 3. The disk, mounted where the initramfs has room for it. */
	wait_for(ROOT_DEVICE);
	if (mkdir(NEW_ROOT, 0755) < 0 && errno != EEXIST)
		stop(NEW_ROOT);
	if (mount(ROOT_DEVICE, NEW_ROOT, ROOT_FSTYPE, 0, NULL) < 0)
		stop("mount " ROOT_DEVICE);
	printf("init: %s mounted on %s\n", ROOT_DEVICE, NEW_ROOT);

	/* 4. What is mounted on the initramfs goes along to the new root. */
	move("/dev");
	move("/proc");
	move("/sys");

	/*
	 * 5. The initramfs (the kernel's rootfs) can never be unmounted, so
	 * the disk's mount is moved on top of "/" instead. Then chroot makes
	 * it this process's root: "/" now means the disk, for us and for
	 * every program we start. The files of the initramfs are still in
	 * memory, hidden: BusyBox's switch_root deletes them all first, to
	 * give the memory back; this init deletes only itself.
	 */
	if (unlink("/init") < 0)
		perror("init: unlink /init");
	if (chdir(NEW_ROOT) < 0)
		stop("chdir " NEW_ROOT);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		stop("mount --move . /");
	if (chroot(".") < 0)
		stop("chroot");
	if (chdir("/") < 0)
		stop("chdir /");

	/*
	 * 6. The real init, in this very process: it must be PID 1 (only
	 * PID 1 adopts orphans, and BusyBox's init refuses to be anything
	 * else). exec keeps the PID, the open console and the mounts.
	 */
	fflush(stdout);
	execl(REAL_INIT, "init", (char *)NULL);
	stop("cannot run " REAL_INIT);
}
