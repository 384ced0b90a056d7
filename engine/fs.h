/*
 * fs.h: files and folders: whole-file reads, writes and mappings, and
 * whole trees (copy, remove, digest).
 *
 * Paths are used as given (relative to the working folder). Functions
 * that can fail return 0, or -1 with errno set to the first failure, and
 * leave the message to the caller, who knows what the file is for; copy_tree,
 * which meets many files, writes its own message into err. Memory handed out
 * is the caller's to free() (unmap_file() for map_file). Nothing blocks but
 * on the disk; no state is kept between calls.
 */
#ifndef LAB_FS_H
#define LAB_FS_H

#include <stddef.h>
#include <sys/types.h>

/* Read a whole file into *data (NUL-terminated, the caller frees); *len, if
 * not NULL, gets its length. 0, or -1 with errno set and *data untouched. */
int read_file(const char *path, char **data, size_t *len);
/* The same for a file that may be anything (a submission's, a log a child
 * wrote): only its first max bytes (or fewer) are read; *len says how
 * many. */
int read_file_head(const char *path, char **data, size_t *len, size_t max);

/*
 * Map a whole file, read-only: only the pages looked at are read (a
 * kernel's vmlinux is 15 to 100 MiB; its headers and symbol table are what
 * the runner wants). 0, or -1 with errno set (EINVAL for an empty file).
 * unmap_file() gives the mapping back; it accepts a NULL data.
 */
int map_file(const char *path, const unsigned char **data, size_t *len);
void unmap_file(const unsigned char *data, size_t len);

/* Write a whole file atomically: a temporary beside it, fsync, rename. A
 * reader sees the old contents or the new, never part. 0, or -1 with errno
 * set (the temporary removed, path untouched). */
int write_file_atomic(const char *path, const char *data, size_t len);

/* Copy a regular file's contents to `to`, created with mode if it is new.
 * 0, or -1 with errno set. */
int copy_file(const char *from, const char *to, mode_t mode);

/* Make a folder and those above it (mkdir -p). A folder already there is
 * success; something else there is ENOTDIR. 0, or -1 with errno set. */
int mkdir_p(const char *path, mode_t mode);

/* Remove a tree: a link inside it is removed, never followed (nor is path,
 * if it is one). Nothing there is success. 0, or -1 with errno set to the
 * first failure (what could be removed is gone). */
int remove_tree(const char *path);

/* 1 if path is (a link to) a folder, or a regular file; else 0. */
int is_dir(const char *path);
int is_file(const char *path);
/* The path of rel (a relative path) in dir, if it is a regular file (not a
 * symbolic link) really inside dir (no folder on its way links out of it);
 * else NULL. The caller frees. */
char *file_inside(const char *dir, const char *rel);

/*
 * Copy the folders, regular files and links of a tree into `to` (made if
 * needed), at most max_bytes of file contents in all, at most 16 folders
 * deep. Files keep their mode and times, so make in the copy rebuilds
 * exactly what it would in the original; links are copied as links. 0, or
 * -1 with one line in err (the budget named when it is exceeded); what was
 * copied by then stays.
 */
int copy_tree(const char *from, const char *to, size_t max_bytes, char *err, size_t errlen);

/*
 * A 64-bit FNV-1a digest of a folder: every entry's relative path, type,
 * mode, size, modification time and contents (a link's target), in sorted
 * order; a folder's own size and time do not count. Two folders with the
 * same digest build the same way with make. 0 with *hash set, or -1 with
 * errno set (ELOOP: over 16 folders deep).
 */
int tree_hash(const char *dir, unsigned long long *hash);

#endif
