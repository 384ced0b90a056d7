/*
 * strbuf.c: implements strbuf.h.
 */
#include "strbuf.h"
#include "mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sb_init(struct sb *s)
{
	s->cap = 64;
	s->len = 0;
	s->buf = xmalloc(s->cap);
	s->buf[0] = '\0';
}

/* Room for more bytes and the NUL after them. */
static void
sb_grow(struct sb *s, size_t more)
{
	if (s->len + more + 1 <= s->cap)
		return;
	while (s->len + more + 1 > s->cap)
		s->cap *= 2;
	s->buf = xrealloc(s->buf, s->cap);
}

void
sb_add(struct sb *s, const char *data, size_t n)
{
	sb_grow(s, n);
	memcpy(s->buf + s->len, data, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void
sb_puts(struct sb *s, const char *str)
{
	sb_add(s, str, strlen(str));
}

void
sb_vprintf(struct sb *s, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, cp);
	va_end(cp);
	if (n < 0) {
		s->buf[s->len] = '\0';   /* an encoding error adds nothing */
		return;
	}
	if ((size_t)n >= s->cap - s->len) {
		sb_grow(s, (size_t)n);
		vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
	}
	s->len += (size_t)n;
}

void
sb_printf(struct sb *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(s, fmt, ap);
	va_end(ap);
}

void
sb_reset(struct sb *s)
{
	s->len = 0;
	s->buf[0] = '\0';
}

char *
sb_detach(struct sb *s)
{
	char *p = s->buf;
	s->buf = NULL;
	s->len = s->cap = 0;
	return p;
}

void
sb_release(struct sb *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

/* Takes s, already allocated. */
static void
strv_take(struct strv *a, char *s)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->v = xrealloc(a->v, a->cap * sizeof(*a->v));
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

void
strv_push(struct strv *a, const char *s)
{
	strv_take(a, xstrdup(s));
}

void
strv_pushf(struct strv *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	strv_take(a, xvasprintf(fmt, ap));
	va_end(ap);
}

void
strv_release(struct strv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = a->cap = 0;
}

int
str_to_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '+')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

char *
tail_lines(const char *text, size_t len, int n)
{
	size_t i = len;
	int lines = 0;

	if (i && text[i - 1] == '\n')
		i--;
	while (i > 0) {
		if (text[i - 1] == '\n' && ++lines == n)
			break;
		i--;
	}
	return xstrndup(text + i, len - i);
}
