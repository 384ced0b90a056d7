/*
 * util.h: small helpers every module uses: memory, strings, files, time,
 * and starting child processes that cannot outlive the runner.
 *
 * Allocation failure is fatal (the runner cannot do anything useful
 * without memory): x* functions print one line and exit 2.
 * No function here keeps state between calls.
 */
#ifndef LAB_UTIL_H
#define LAB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated string. sb_init() before use, sb_release() after. */
struct sb {
	char *buf;
	size_t len, cap;
};
void sb_init(struct sb *s);
void sb_add(struct sb *s, const char *data, size_t n);
void sb_puts(struct sb *s, const char *str);
void sb_printf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sb *s, const char *fmt, va_list ap);
void sb_reset(struct sb *s);
char *sb_detach(struct sb *s);   /* hands out the buffer; s needs sb_init() to be used again */
void sb_release(struct sb *s);

/* A growable array of owned strings, NULL-terminated in v. */
struct strv {
	char **v;
	size_t n, cap;
};
void strv_push(struct strv *a, const char *s);       /* copies s */
void strv_pushf(struct strv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strv_release(struct strv *a);

/* Read a whole file; returns 0, or -1 with errno set. *len may be NULL. */
int read_file(const char *path, char **data, size_t *len);
/* Map a whole file, read-only: only the pages looked at are read (a
 * kernel's vmlinux is 15 to 100 MiB; its headers and symbol table are what
 * the runner wants). Returns 0, or -1 (an empty file too). unmap_file()
 * gives it back. */
int map_file(const char *path, const unsigned char **data, size_t *len);
void unmap_file(const unsigned char *data, size_t len);
/* Write a whole file atomically: a temporary beside it, fsync, rename. */
int write_file_atomic(const char *path, const char *data, size_t len);
int copy_file(const char *from, const char *to, mode_t mode);
int mkdir_p(const char *path, mode_t mode);
/* Remove a tree (no links followed). Returns 0 or -1. */
int remove_tree(const char *path);
int is_dir(const char *path);
int is_file(const char *path);
/* Copy the regular files and folders of a tree (at most max_bytes in all). */
int copy_tree(const char *from, const char *to, size_t max_bytes, char *err, size_t errlen);

/*
 * A 64-bit FNV-1a digest of a folder: every entry's relative path, type,
 * mode, size, modification time and contents, in sorted order. Two folders
 * with the same digest build the same way with make. Returns 0 or -1.
 */
int tree_hash(const char *dir, unsigned long long *hash);

/* Monotonic clock, in milliseconds. */
long long now_ms(void);
/* A value fresh for each call: 8 hex digits from the kernel's random source. */
void make_nonce(char out[9]);
/* Find an executable on PATH; returns 1 if found. */
int have_program(const char *name);

/*
 * Start argv[0] (searched on PATH) as a child that cannot outlive us:
 * it gets SIGKILL when the runner dies (PR_SET_PDEATHSIG), even by SIGKILL,
 * and lives in its own process group so kill_group() reaches whatever it
 * starts in turn. The child's signal mask is cleared.
 *
 * stdin_fd / stdout_fd: if not NULL, a pipe is made and our end returned
 * there (non-blocking, close-on-exec); if NULL the child gets /dev/null.
 * stderr goes where stdout goes. cwd may be NULL.
 * Returns the pid, or -1 with err filled.
 */
pid_t spawn(char *const argv[], const char *cwd, int *stdin_fd, int *stdout_fd,
	    int own_group, char *err, size_t errlen);
/* SIGKILL the child's whole process group, then reap it; returns its wait status. */
int kill_group(pid_t pid);
/*
 * Run argv to completion with output to log_path, for at most timeout_ms.
 * Returns the exit status (0-255), -2 on timeout, -3 if interrupted by one
 * of the signals in sigfd (may be -1), -1 if it could not start.
 */
int run_logged(char *const argv[], const char *cwd, const char *log_path,
	       long long timeout_ms, int sigfd);
/* The same, also copying to echo_fd (-1: none), as they come, the lines of
 * the output that start with echo_prefix (NULL: every line). */
int run_logged_echo(char *const argv[], const char *cwd, const char *log_path,
		    long long timeout_ms, int sigfd, int echo_fd, const char *echo_prefix);

/*
 * A listening unix socket at path (close-on-exec), or -1 with err filled.
 * The runner makes gdb's socket itself and hands it to QEMU, so that gdb
 * can connect the moment it is ready, whether QEMU is up yet or not.
 */
int unix_listen(const char *path, char *err, size_t errlen);

/* A whole decimal number in [lo, hi] (no sign but '-', no spaces, nothing
 * after it). Returns 0 with *out set, or -1 and *out untouched. */
int str_to_int(const char *s, int lo, int hi, int *out);

/* Last n lines of a text, as one string (caller frees). */
char *tail_lines(const char *text, size_t len, int n);

#endif
