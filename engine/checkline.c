/*
 * checkline.c: implements checkline.h.
 */
#include "checkline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
checkline_next(const char **text)
{
	const char *line = *text, *end;
	size_t len;

	if (!line || !*line)
		return NULL;
	end = strchr(line, '\n');
	len = end ? (size_t)(end - line) : strlen(line);
	*text = end ? end + 1 : NULL;
	return xstrndup(line, len);
}

char *
checkline_split(char *line, char **value)
{
	char *s = line, *word, *wend;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#' || *s == '\r')
		return NULL;
	word = s;
	while (*s && *s != ' ' && *s != '\t' && *s != '\r')
		s++;
	wend = s;
	while (*s == ' ' || *s == '\t')
		s++;
	*wend = '\0';
	*value = s;
	return word;
}

int
checkline_value(const char *raw, int keep_quotes, const char *nonce, struct sb *out,
		char *err, size_t errlen)
{
	struct sb tmp;
	size_t n = strlen(raw);

	while (n && isspace((unsigned char)raw[n - 1]))
		n--;
	sb_init(&tmp);
	if (!keep_quotes && n && raw[0] == '"') {
		if (n < 2 || raw[n - 1] != '"') {
			sb_release(&tmp);
			snprintf(err, errlen, "a quoted value must end with \"");
			return -1;
		}
		for (size_t i = 1; i + 1 < n; i++) {
			char ch = raw[i];
			/* A backslash just before the closing quote is itself. */
			if (ch == '\\' && i + 2 < n) {
				char e = raw[++i];
				ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
			}
			sb_add(&tmp, &ch, 1);
		}
	} else {
		sb_add(&tmp, raw, n);
	}
	for (const char *s = tmp.buf; *s;) {
		const char *hit = strstr(s, "{nonce}");
		if (!hit) {
			sb_puts(out, s);
			break;
		}
		sb_add(out, s, (size_t)(hit - s));
		sb_puts(out, nonce);
		s = hit + strlen("{nonce}");
	}
	sb_release(&tmp);
	return 0;
}

char **
checkline_words(const char *value, size_t *n)
{
	struct strv v = {0};
	const char *s = value;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		char *w = xstrndup(s, (size_t)(e - s));
		strv_push(&v, w);
		free(w);
		s = e;
	}
	*n = v.n;
	return v.v ? v.v : xcalloc(1, sizeof(char *));
}

void
checkline_words_free(char **w)
{
	for (size_t i = 0; w && w[i]; i++)
		free(w[i]);
	free(w);
}
