/*
 * checkline.h: the lexical rules of a check file (docs/check-format.md):
 * how its text is cut into lines, a line into its directive and its value,
 * and a value trimmed, unquoted and given its {nonce}.
 *
 * The parser (check.c) reads every line with these, and so does whatever
 * reads one line without the rest (a stage's title, for listings): the two
 * cannot disagree on what a line says. Pure code, no state; what a
 * function returns is the caller's to free.
 */
#ifndef LAB_CHECKLINE_H
#define LAB_CHECKLINE_H

#include "util.h"

#include <stddef.h>

/* The next line of *text, copied, and *text moved past it; NULL at the end
 * of the text. */
char *checkline_next(const char **text);

/*
 * Cut line, in place, into its directive, returned, and its raw value in
 * *value (the blanks between the two skipped). NULL for a blank line or a
 * #comment, which hold neither.
 */
char *checkline_split(char *line, char **value);

/*
 * Append to out the value a directive gets from a raw value: blanks at the
 * ends trimmed; unless keep_quotes, a "double-quoted" value unquoted (with
 * \" \\ \n \t \r); every {nonce} replaced by nonce. Returns 0, or -1 with
 * err filled: "a quoted value must end with \"".
 */
int checkline_value(const char *raw, int keep_quotes, const char *nonce, struct sb *out,
		    char *err, size_t errlen);

/* The words of value, split on blanks (no quoting), NULL-terminated; *n
 * gets their number. Never NULL. checkline_words_free() frees them. */
char **checkline_words(const char *value, size_t *n);
void checkline_words_free(char **w);

#endif
