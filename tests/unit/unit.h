/*
 * unit.h: the tiny harness every unit test of the lab uses.
 *
 *	TEST(adds) { CHECK(1 + 1 == 2); CHECK_STREQ(s, "x"); }
 *	int main(void) { RUN(adds); return unit_summary(); }
 *
 * RUN prints "ok - name", or "not ok - name" and a "#" line per failed
 * check (file:line, the values). unit_summary() prints "N passed, M failed"
 * and returns the exit status: 1 if a test failed.
 */
#ifndef LAB_UNIT_H
#define LAB_UNIT_H
#include <stdio.h>
#include <string.h>

static int unit_fails, unit_passed, unit_failed;
static char unit_log[16384];	/* the current test's "#" lines */

#define TEST(name) static void name(void)
#define RUN(name) unit_run(#name, name)
#define UNIT_S(s) ((s) ? (s) : "(null)")
#define CHECK(c) ((c) ? (void)0 : unit_note(__FILE__, __LINE__, #c, "", ""))
#define CHECK_STREQ(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_)) unit_note(__FILE__, __LINE__, \
	    #a " == " #b, UNIT_S(a_), UNIT_S(b_)); } while (0)
#define CHECK_CONTAINS(h, n) do { const char *h_ = (h), *n_ = (n); \
	if (!h_ || !n_ || !strstr(h_, n_)) unit_note(__FILE__, __LINE__, \
	    #h " contains " #n, UNIT_S(h_), UNIT_S(n_)); } while (0)

/* Add a failed check to the log, one line: newlines in values show as \n. */
static inline void
unit_note(const char *file, int line, const char *what, const char *a,
	  const char *b)
{
	char s[16384], *p;
	size_t o = strlen(unit_log);

	unit_fails++;
	snprintf(s, sizeof s, "#   %s:%d: %s%s%s%s%s%s%s", file, line, what,
	    *a ? ": \"" : "", a, *a ? "\"" : "", *b ? " vs \"" : "", b,
	    *b ? "\"" : "");
	for (p = s; *p && o + 3 < sizeof unit_log; p++)
		if (*p == '\n')
			unit_log[o++] = '\\', unit_log[o++] = 'n';
		else
			unit_log[o++] = *p;
	unit_log[o++] = '\n';
	unit_log[o] = '\0';
}

static inline void
unit_run(const char *name, void (*fn)(void))
{
	unit_fails = 0;
	unit_log[0] = '\0';
	fn();
	printf("%s - %s\n%s", unit_fails ? "not ok" : "ok", name, unit_log);
	fflush(stdout);
	if (unit_fails)
		unit_failed++;
	else
		unit_passed++;
}

static inline int
unit_summary(void)
{
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	fflush(stdout);		/* before a sanitizer's exit-time report */
	return unit_failed > 0;
}
#endif
