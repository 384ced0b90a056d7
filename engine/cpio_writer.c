/*
 * cpio_writer.c: see cpio_writer.h.
 *
 * A small gen_init_cpio (usr/gen_init_cpio.c in the kernel): owner 0:0,
 * fixed mtime, entries in the order given, inodes from 721, and the
 * trailer padded to 512 bytes as GNU cpio and gen_init_cpio do, so that
 * the same inputs always give the same bytes. One function, emit(), writes
 * every entry; the add functions only check what they are given.
 */
#include "cpio_writer.h"
#include "newc.h"
#include "mem.h"

#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_INO	721	/* where gen_init_cpio starts counting */
#define WRITER_MTIME	0	/* fixed, so the archive is reproducible */

/* Contract: see cpio_writer.h. */
void
cpio_writer_init(struct cpio_writer *w)
{
	memset(w, 0, sizeof *w);
	w->ino = WRITER_INO;
}

/* Append n bytes (p may be NULL when n is 0). */
static void
put(struct cpio_writer *w, const void *p, size_t n)
{
	size_t cap;

	if (n == 0)
		return;
	if (n > w->cap - w->len) {
		cap = w->cap ? w->cap : 4096;
		while (n > cap - w->len)
			cap *= 2;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

/* Zero bytes up to a multiple of align (at most 512). */
static void
pad(struct cpio_writer *w, size_t align)
{
	static const unsigned char zeros[512];

	put(w, zeros, (align - w->len % align) % align);
}

/*
 * One newc entry: header, name with its NUL, padding, data, padding.
 * The name is already checked; data may be NULL when size is 0.
 */
static void
emit(struct cpio_writer *w, const char *name, uint32_t ino, uint32_t mode,
     uint32_t nlink, uint32_t rmajor, uint32_t rminor, const void *data,
     size_t size)
{
	char hdr[NEWC_HDR + 1];

	snprintf(hdr, sizeof hdr, NEWC_MAGIC "%08X%08X%08X%08X%08X%08X%08X%08X"
	    "%08X%08X%08X%08X%08X", (unsigned)ino, (unsigned)mode, 0u, 0u,
	    (unsigned)nlink, (unsigned)WRITER_MTIME, (unsigned)size, 0u, 0u,
	    (unsigned)rmajor, (unsigned)rminor,
	    (unsigned)(strlen(name) + 1), 0u);
	put(w, hdr, NEWC_HDR);
	put(w, name, strlen(name) + 1);
	pad(w, 4);
	put(w, data, size);
	pad(w, 4);
}

/*
 * Check a name and a size for a new entry; returns the name as stored
 * (without leading "/" or "./", as gen_init_cpio does), or NULL if it
 * cannot be stored: empty, the trailer's name, or too big for newc.
 */
static const char *
entry_name(const char *name, size_t size)
{
	if (!name || size > 0xffffffffu)
		return NULL;
	name = newc_name(name);
	if (*name == '\0' || strcmp(name, NEWC_TRAILER) == 0 ||
	    strlen(name) >= NEWC_NAME_MAX)
		return NULL;
	return name;
}

/* Contract: see cpio_writer.h. A folder has nlink 2 ("." and its name). */
int
cpio_add_dir(struct cpio_writer *w, const char *name, uint32_t perm)
{
	if (!(name = entry_name(name, 0)))
		return -1;
	emit(w, name, w->ino++, S_IFDIR | (perm & 07777), 2, 0, 0, NULL, 0);
	return 0;
}

/* Contract: see cpio_writer.h. */
int
cpio_add_file(struct cpio_writer *w, const char *name, uint32_t perm,
	      const void *data, size_t size)
{
	if (!(name = entry_name(name, size)) || (!data && size > 0))
		return -1;
	emit(w, name, w->ino++, S_IFREG | (perm & 07777), 1, 0, 0, data, size);
	return 0;
}

/* Contract: see cpio_writer.h. A symlink's data is its target, no NUL. */
int
cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target)
{
	if (!target || *target == '\0' || !(name = entry_name(name, strlen(target))))
		return -1;
	emit(w, name, w->ino++, S_IFLNK | 0777, 1, 0, 0, target, strlen(target));
	return 0;
}

/* Contract: see cpio_writer.h. The device number goes in rdevmajor/minor. */
int
cpio_add_node(struct cpio_writer *w, const char *name, uint32_t perm,
	      char type, uint32_t major, uint32_t minor)
{
	uint32_t fmt;

	if (type == 'c')
		fmt = S_IFCHR;
	else if (type == 'b')
		fmt = S_IFBLK;
	else
		return -1;
	if (!(name = entry_name(name, 0)))
		return -1;
	emit(w, name, w->ino++, fmt | (perm & 07777), 1, major, minor, NULL, 0);
	return 0;
}

/*
 * Contract: see cpio_writer.h. The trailer is padded to 512 bytes, the
 * block size GNU cpio and gen_init_cpio use.
 */
int
cpio_writer_finish(struct cpio_writer *w, unsigned char **buf, size_t *len)
{
	emit(w, NEWC_TRAILER, 0, 0, 1, 0, 0, NULL, 0);
	pad(w, 512);
	*buf = w->buf;
	*len = w->len;
	cpio_writer_init(w);
	return 0;
}

/* Contract: see cpio_writer.h. */
void
cpio_writer_release(struct cpio_writer *w)
{
	free(w->buf);
	cpio_writer_init(w);
}
