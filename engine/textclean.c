/*
 * textclean.c: see textclean.h.
 */
#include "textclean.h"
#include "util.h"

#include <ctype.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"  /* U+FFFD, for what a report cannot show */

size_t
utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		lo = p[0] == 0xe0 ? 0xa0 : lo;      /* no overlong forms */
		hi = p[0] == 0xed ? 0x9f : hi;      /* no surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		lo = p[0] == 0xf0 ? 0x90 : lo;
		hi = p[0] == 0xf4 ? 0x8f : hi;      /* nothing above U+10FFFF */
	} else {
		return 0;
	}
	/* Each test stops at the first bad byte, so never reads past a NUL. */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* 1 if the character of n bytes at p changes how the text around it is
 * shown: a C1 control (U+0080-U+009F: CSI U+009B is an escape sequence to
 * some terminals), a bidirectional mark, embedding, override or isolate
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069: they reorder
 * what a reader sees), a line or paragraph separator (U+2028, U+2029: a
 * line break to JavaScript and some viewers). */
static int
is_format_control(const unsigned char *p, size_t n)
{
	if (n == 2)
		return (p[0] == 0xc2 && p[1] <= 0x9f) || (p[0] == 0xd8 && p[1] == 0x9c);
	if (n != 3)
		return 0;
	if (p[0] == 0xe2 && p[1] == 0x80)      /* U+2000-U+203F */
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae);
	if (p[0] == 0xe2 && p[1] == 0x81)      /* U+2040-U+207F */
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	return 0;
}

/* Bytes in the character at p if every report may hold it (valid UTF-8,
 * no control character but \n and \t, with one_line not those either,
 * no format control (is_format_control), no U+FFFE or U+FFFF); 0 if not. */
static size_t
allowed_len(const char *s, int one_line)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = utf8_len(s);

	if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f))
		return !one_line && (p[0] == '\n' || p[0] == '\t');
	if (n == 3 && p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
		return 0;
	if (is_format_control(p, n))
		return 0;
	return n;
}

/* Length of a printk time stamp at p ("[    0.057821] "), or 0. */
static size_t
stamp_len(const unsigned char *p)
{
	size_t i = 0;

	if (p[i++] != '[')
		return 0;
	while (p[i] == ' ')
		i++;
	if (!isdigit(p[i]))
		return 0;
	while (isdigit(p[i]))
		i++;
	if (p[i++] != '.' || !isdigit(p[i]))
		return 0;
	while (isdigit(p[i]))
		i++;
	if (p[i++] != ']')
		return 0;
	return p[i] == ' ' ? i + 1 : i;
}

static char *clean(const char *s, const char *nonce, const char *hide, int uart, int one_line);

char *
text_clean(const char *s, const char *nonce, const char *hide, int uart)
{
	return clean(s, nonce, hide, uart, 0);
}

char *
text_clean_line(const char *s)
{
	return clean(s, NULL, NULL, 0, 1);
}

static char *
clean(const char *s, const char *nonce, const char *hide, int uart, int one_line)
{
	const char *p = s ? s : "";
	size_t nl = nonce ? strlen(nonce) : 0, hl = hide ? strlen(hide) : 0;
	int line_start = 1;
	struct sb out;

	sb_init(&out);
	while (*p) {
		if (line_start && uart)
			p += stamp_len((const unsigned char *)p);
		line_start = 0;
		if (nl && !strncmp(p, nonce, nl)) {
			sb_puts(&out, "{nonce}");
			p += nl;
			continue;
		}
		if (hl && !strncmp(p, hide, hl)) {
			sb_puts(&out, "<run>");
			p += hl;
			continue;
		}
		size_t n = allowed_len(p, one_line);
		if (n == 0) {
			/* One U+FFFD for a character refused, one per byte of bad UTF-8. */
			size_t skip = utf8_len(p);
			if (*p != '\r' || one_line)
				sb_puts(&out, REPLACEMENT);
			p += skip ? skip : 1;
			continue;
		}
		sb_add(&out, p, n);
		line_start = *p == '\n';
		p += n;
	}
	return sb_detach(&out);
}

void
json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (size_t n; s && *s; s += n) {
		unsigned char c = (unsigned char)*s;
		n = utf8_len(s);
		if (n == 0) {
			fputs("\\ufffd", f);   /* what the guest printed may be any bytes */
			n = 1;
		} else if (n > 1) {
			fwrite(s, 1, n, f);
		} else if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else {
			fputc(c, f);
		}
	}
	fputc('"', f);
}

static void
xml_escape(FILE *f, const char *s, int keep_newlines)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': fputs(keep_newlines ? "\n" : "&#10;", f); break;
		case '\t': fputs("&#9;", f); break;
		default: fputc(*s, f);
		}
}

void
xml_attr(FILE *f, const char *s)
{
	xml_escape(f, s, 0);
}

void
xml_text(FILE *f, const char *s)
{
	xml_escape(f, s, 1);
}

void
yaml_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	fputc('"', f);
}
