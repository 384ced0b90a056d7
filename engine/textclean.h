/*
 * textclean.h: untrusted text (what a guest printed, a compiler's words, a
 * folder's name) made fit for a report, and the escapers of the report
 * formats. The engine's one UTF-8 validator and one JSON string escaper.
 *
 * json_string() takes any bytes and always writes valid JSON. The XML and
 * YAML escapers take text_clean()'s output: they escape only the
 * characters their syntax gives a meaning to.
 *
 * Pure code: nothing is kept between calls; text_clean()'s result is the
 * caller's to free.
 */
#ifndef LAB_TEXTCLEAN_H
#define LAB_TEXTCLEAN_H

#include <stddef.h>
#include <stdio.h>

/*
 * The bytes of the character at s (not at its NUL) if it is valid UTF-8:
 * 1 for ASCII, 2 to 4 for a shortest form that is no UTF-16 surrogate and
 * at most U+10FFFF. 0 if it is not valid (it never reads past a NUL).
 */
size_t utf8_len(const char *s);

/*
 * s (NULL reads as "") made safe for every report format. Returns a new
 * string that is valid UTF-8 (a bad byte becomes U+FFFD) and holds no
 * control character but \n and \t (\r is dropped, the others become
 * U+FFFD) nor U+FFFE or U+FFFF (XML 1.0 forbids them all), nor a C1
 * control, a bidirectional control or U+2028/U+2029 (they change how the
 * text around them reads: U+FFFD too). Each occurrence
 * of nonce (NULL or "": none) becomes "{nonce}", of hide (likewise) "<run>";
 * with uart set, the printk time stamp that starts a line ("[    0.057821] ")
 * is removed.
 */
char *text_clean(const char *s, const char *nonce, const char *hide, int uart);
/* The same for a name that must stay on one line (a submission's folder
 * name: a test's name in TAP, an attribute in JUnit): \n, \t and \r become
 * U+FFFD too. */
char *text_clean_line(const char *s);

/* s (NULL reads as "") as a JSON string literal: quotes, backslashes and
 * control characters escaped, each byte of invalid UTF-8 as \ufffd. */
void json_string(FILE *f, const char *s);
/* Clean s as an XML attribute value: & < > " ' escaped, and \n \t too. */
void xml_attr(FILE *f, const char *s);
/* Clean s as XML character data: the same, but newlines stay as they are. */
void xml_text(FILE *f, const char *s);
/* Clean s as a YAML double-quoted scalar ("" with " \ \n \t escaped). */
void yaml_string(FILE *f, const char *s);

#endif
