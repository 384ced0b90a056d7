/*
 * newc.h: the facts of the newc cpio format that the reader (initramfs.h),
 * the writer (cpio_writer.h) and the inspection (initcheck.h) share, so
 * that they cannot drift apart: the header's size, the magics, the
 * trailer's name, the 4-byte alignment and how a stored name is read.
 *
 * Constants and two pure inline functions; there is no newc.c.
 */
#ifndef LAB_NEWC_H
#define LAB_NEWC_H

#include <stddef.h>

#define NEWC_HDR	110	/* "070701" and 13 fields of 8 hex digits */
#define NEWC_FIELDS	13
#define NEWC_MAGIC	"070701"
#define NEWC_MAGIC_CRC	"070702"	/* newc with a checksum (cpio -H crc) */
#define NEWC_TRAILER	"TRAILER!!!"	/* the last entry's name */
#define NEWC_NAME_MAX	4096		/* the kernel's PATH_MAX, NUL included */

/*
 * Round up to a multiple of 4. newc aligns every header and every file's
 * data to 4 bytes, a leftover of the machines it was designed on, which
 * could not read a 32-bit word from an odd address. The kernel relies on
 * it: it rejects an archive whose next header is not 4-aligned.
 */
static inline size_t
newc_align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/*
 * The name as the kernel will see it after unpacking into "/": without a
 * leading "./" or "/". cpio run as "find . | cpio" stores "./init", and
 * "find /abs/dir" stores "/abs/dir/init"; both mean the same file to us.
 * Returns a pointer into s; a name that is only slashes and "./" gives "".
 */
static inline const char *
newc_name(const char *s)
{
	for (;;) {
		if (s[0] == '/')
			s++;
		else if (s[0] == '.' && s[1] == '/')
			s += 2;
		else
			return s;
	}
}

#endif
