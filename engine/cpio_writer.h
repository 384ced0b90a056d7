/*
 * cpio_writer.h: write a newc archive the way the kernel's
 * usr/gen_init_cpio does: owner 0:0, a fixed mtime, entries in the order
 * added, the trailer last, so that the same inputs give the same bytes.
 *
 * The writer builds the archive in memory. Set it up with
 * cpio_writer_init() (which allocates nothing), add entries, then either
 * cpio_writer_finish(), which hands the buffer to the caller (who frees
 * it), or cpio_writer_release(). Out of memory exits (mem.h); an add
 * fails (-1, nothing written) only for an entry newc cannot hold. Pure
 * code, no state beyond the struct.
 */
#ifndef LAB_CPIO_WRITER_H
#define LAB_CPIO_WRITER_H

#include <stddef.h>
#include <stdint.h>

struct cpio_writer {
	unsigned char *buf;       /* the archive so far, owned */
	size_t len, cap;
	uint32_t ino;             /* the next entry's inode number */
};

void cpio_writer_init(struct cpio_writer *w);

/*
 * Add an entry. name may start with "/" or "./" (they are dropped); it
 * must not be empty, the trailer's name or longer than the kernel's
 * PATH_MAX. perm is the permission bits (07777). Returns 0, or -1 and
 * nothing added.
 */
int cpio_add_dir(struct cpio_writer *w, const char *name, uint32_t perm);
/* data may be NULL when size is 0; size fits in 32 bits. */
int cpio_add_file(struct cpio_writer *w, const char *name, uint32_t perm,
		  const void *data, size_t size);
/* target is stored as the link's data, without a NUL; not empty. */
int cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target);
int cpio_add_node(struct cpio_writer *w, const char *name, uint32_t perm,
		  char type /* 'c' or 'b' */, uint32_t major, uint32_t minor);

/*
 * Append the trailer, padded to 512 bytes, and hand out the archive in
 * *buf (malloc'd, the caller frees) and *len. The writer is then empty,
 * ready for another archive. Returns 0: it cannot fail now that out of
 * memory exits (the int is kept for callers that test it).
 */
int cpio_writer_finish(struct cpio_writer *w, unsigned char **buf, size_t *len);

/* Free the archive being built and empty the writer. */
void cpio_writer_release(struct cpio_writer *w);

#endif
