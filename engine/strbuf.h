/*
 * strbuf.h: growable strings (struct sb), growable string lists (struct
 * strv), and two small string helpers.
 *
 * Memory comes from mem.h: growing never fails. Neither struct keeps
 * anything outside itself; the caller owns both and releases them.
 */
#ifndef LAB_STRBUF_H
#define LAB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable NUL-terminated string: buf always holds len bytes and a NUL.
 * sb_init() before use (it allocates), sb_release() after. sb_detach()
 * hands buf to the caller (to free()) and leaves s needing sb_init() again.
 */
struct sb {
	char *buf;
	size_t len, cap;
};
void sb_init(struct sb *s);
void sb_add(struct sb *s, const char *data, size_t n);    /* n bytes, NULs too */
void sb_puts(struct sb *s, const char *str);
void sb_printf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sb *s, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void sb_reset(struct sb *s);     /* empty again, the memory kept */
char *sb_detach(struct sb *s);
void sb_release(struct sb *s);

/*
 * A growable list of owned strings: v[0..n-1], and v[n] is NULL (an argv),
 * once something was pushed. Starts as {0} (v is NULL then); strv_release()
 * frees every string and leaves it {0} again.
 */
struct strv {
	char **v;
	size_t n, cap;
};
void strv_push(struct strv *a, const char *s);       /* copies s */
void strv_pushf(struct strv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strv_release(struct strv *a);

/*
 * A whole decimal number in [lo, hi]: no sign but '-', no spaces, nothing
 * after it. Returns 0 with *out set, or -1 and *out untouched.
 */
int str_to_int(const char *s, int lo, int hi, int *out);

/*
 * The last n lines of text[0..len) as a new string (the caller frees): a
 * final newline does not start a line of its own; fewer lines than n, or
 * n < 1, give the whole text.
 */
char *tail_lines(const char *text, size_t len, int n);

#endif
