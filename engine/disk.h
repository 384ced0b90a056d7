/*
 * disk.h: the stage's disk (a check's `disk FILE`, docs/check-format.md).
 *
 * The folder's make builds a filesystem image (`mke2fs -d rootfs root.img`
 * in stage 07); QEMU attaches it to the guest as a virtio block device,
 * which the guest's kernel names /dev/vda. It is always attached as raw
 * bytes (qemu.h): QEMU never probes its format, so an image that is really
 * a qcow2 naming a backing file cannot make QEMU open a file of the host.
 *
 * After the boot the runner reads files back out of the image with
 * debugfs (Debian's e2fsprogs), without mounting it: that is how a check
 * proves the guest wrote to its disk (`ondisk`). When grading, debugfs
 * reads the untrusted image in the sandbox (sandbox.h), under limits.
 */
#ifndef LAB_DISK_H
#define LAB_DISK_H

#include <stddef.h>

/* What disk_read() returns of a file, at most. */
#define DISK_READ_MAX (64 * 1024)

/*
 * The image's path: FILE (a relative path) of the build folder src. It
 * must be a regular file, not a link, and really inside src (no folder on
 * the way is a link out of it). Returns it (the caller frees), or NULL
 * with err saying what is wrong, in the learner's terms.
 */
char *disk_find(const char *src, const char *file, char *err, size_t errlen);

struct disk_read_job {
	const char *image;     /* from disk_find() */
	const char *path;      /* "/root/proof": a file inside the image */
	const char *log;       /* debugfs's own words go here */
	const char *top;       /* the lab, hidden from the sandbox */
	int sandboxed;         /* grading: debugfs runs in the sandbox */
	int sigfd;             /* interrupts end it; -1: none */
};

/*
 * Read j->path out of the ext2/3/4 image. Returns 0 with *text its first
 * DISK_READ_MAX bytes (NUL-ended; the caller frees); 1 if the image holds
 * no such file; -1 if the image could not be read, with err saying why
 * (debugfs's own line, when it gave one).
 */
int disk_read(const struct disk_read_job *j, char **text, char *err, size_t errlen);

#endif
