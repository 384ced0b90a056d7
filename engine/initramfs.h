/*
 * initramfs.h: read a newc cpio archive (the initramfs) the way the kernel
 * unpacks it, and walk paths in it the way the kernel's path walk will.
 *
 * The kernel unpacks the initramfs before it runs /init; if the archive is
 * not newc, or damaged, the learner sees a panic that says little. Reading
 * it here first turns that into one line that says what is wrong and how to
 * pack it again. What the kernel will then make of /init is initcheck.h's;
 * writing an archive is cpio_writer.h's.
 *
 * Pure code: no processes, no global state; every function is re-entrant.
 * Ownership: a struct initramfs owns the archive's bytes and its entries;
 * initramfs_release() frees both. Entries, their names and their data point
 * into it and live as long as it does. Out of memory exits (mem.h).
 */
#ifndef LAB_INITRAMFS_H
#define LAB_INITRAMFS_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	char *name;            /* as stored, without a leading "./" or "/" */
	uint32_t mode;         /* st_mode: type and permission bits */
	uint32_t uid, gid;
	uint32_t devmajor, devminor;  /* for device nodes (rdev) */
	size_t size;
	const unsigned char *data;   /* points into the archive buffer */
};

struct initramfs {
	unsigned char *buf;    /* the whole archive, owned */
	size_t len;
	struct cpio_entry *entries;  /* in archive order, owned */
	size_t n;
};

/*
 * Parse a newc archive held in buf (ownership of buf passes to the archive,
 * even on failure). Returns 0, or -1 with a one-line, beginner-readable
 * explanation written to err (e.g. "this is a tar archive, not a cpio
 * archive: pack it with cpio -o -H newc"). Recognises and names: tar, gzip
 * and other compressors, odc (-H odc), old binary cpio, crc newc (accepted),
 * a truncated archive, a missing TRAILER!!! entry, an empty file. On
 * failure *a is left empty, so initramfs_release() is optional.
 */
int initramfs_parse(struct initramfs *a, unsigned char *buf, size_t len,
		    char *err, size_t errlen);

/* Read a file (or a pipe) and parse it; on failure err names the file. */
int initramfs_load(struct initramfs *a, const char *path, char *err, size_t errlen);

/* Free what *a owns and empty it; safe on an empty or released archive. */
void initramfs_release(struct initramfs *a);

/*
 * The entry named name ("init", "bin/sh"; a leading "/" or "./" is ignored,
 * and "", "/" name the top folder "."), or NULL. When a name occurs twice,
 * the later entry wins, as it does when the kernel unpacks. Links are not
 * followed: initramfs_resolve() does that.
 */
const struct cpio_entry *initramfs_find(const struct initramfs *a, const char *name);

/* How initramfs_resolve() ended. */
enum initramfs_walk {
	INITRAMFS_FOUND,       /* *found is the entry (NULL: the top folder) */
	INITRAMFS_MISSING,     /* a component is not in the archive */
	INITRAMFS_LOOP,        /* more than 8 symlinks on the way */
	INITRAMFS_TOO_LONG,    /* a path on the way exceeds 1023 bytes */
};

/*
 * Find path in the archive the way the kernel's path walk will find it
 * after unpacking: component by component from the top ("/init" and
 * "init" are the same), "." skipped, ".." up one folder (not above the
 * top), and a symlink met anywhere on the way replaced by its target:
 * an absolute target from the top, a relative one from the link's own
 * folder (bin/sh -> busybox is bin/busybox). A component that is neither
 * a folder nor a link cannot have more after it.
 *
 * *found is set to the entry path leads to on INITRAMFS_FOUND (NULL for
 * the top folder itself) and to NULL otherwise. On INITRAMFS_MISSING,
 * missing (if not NULL) gets the first path that is not in the archive,
 * as the archive stores it ("bin/busybox"). Pure; a may be searched by
 * several callers at once.
 */
enum initramfs_walk initramfs_resolve(const struct initramfs *a, const char *path,
				      const struct cpio_entry **found,
				      char *missing, size_t missinglen);

/*
 * Print n bytes of src into dst (dstlen >= 4) so that any byte is visible
 * on a terminal: printable ASCII as is, \n \r \t \\ escaped, others as
 * \xNN; too long ends in "...". For names and bytes from the archive in a
 * one-line message. Returns dst.
 */
const char *initramfs_show(char *dst, size_t dstlen, const void *src, size_t n);

#endif
