/*
 * mem.h: the allocators every module uses, and the one out-of-memory policy.
 *
 * Running out of memory is fatal: the runner cannot do anything useful
 * without it. Each x* function either returns what was asked for, or prints
 * "lab-runner: out of memory" on stderr and exits with status 2; it never
 * returns NULL, so no caller checks. What they return is the caller's, to
 * free(). No state is kept between calls.
 */
#ifndef LAB_MEM_H
#define LAB_MEM_H

#include <stdarg.h>
#include <stddef.h>

/* malloc, calloc and realloc that never fail; a size of 0 still gives a
 * pointer the caller may free. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* A copy of s; for xstrndup, of its first n bytes (s has at least n) and a NUL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* A string formatted as printf would (an encoding error gives ""). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif
