/*
 * fuzz_check.c: libFuzzer target for the check-file parser and the UART
 * matcher (engine/check.c, checkline.c, pattern.c, match.c).
 *
 * Input: the last byte steers the run (where the matcher's input is split,
 * how many last lines are asked for); the bytes before it are the check
 * text, cut at the first NUL as a C string would be. When the text parses,
 * the same text is fed to a matcher built from it, in two pieces (then up
 * to 3 more times whole), as if the guest had printed the check file on
 * its UART.
 *
 * Build and run: tests/fuzz/build.sh, tests/fuzz/run.sh SECONDS.
 */
#include "check.h"
#include "match.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t line_bytes;

static void
on_line(void *ctx, const char *line)
{
	(void)ctx;
	line_bytes += strlen(line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c;
	struct matcher m;
	struct strv to_send = {0};
	char err[512];
	unsigned ctl = size ? data[size - 1] : 0;
	size_t n = size ? size - 1 : 0;
	char *text = malloc(n + 1);

	if (!text)
		return 0;
	memcpy(text, data, n);
	text[n] = '\0';
	n = strlen(text);
	err[0] = '\0';
	if (check_parse_text(&c, "fuzz.check", text, "0badcafe", err, sizeof err) != 0) {
		/* A failed parse must explain itself and leave nothing behind. */
		if (!err[0] || !memchr(err, '\0', sizeof err))
			abort();
		free(text);
		return 0;
	}
	matcher_init(&m, &c);
	m.on_line = on_line;
	size_t cut = n ? (size_t)ctl * n / 255 : 0;
	matcher_feed(&m, text, cut, &to_send);
	matcher_feed(&m, text + cut, n - cut, &to_send);
	/* Again, up to 3 times: lines then grow past MATCH_LINE_MAX (4096)
	 * and the ring of kept lines wraps, which one copy cannot do. */
	for (unsigned r = 0; r < (ctl & 3); r++)
		matcher_feed(&m, text, n, &to_send);
	char *last = matcher_last_lines(&m, (int)(ctl % 48) - 4);
	free(last);
	matcher_flush(&m);
	last = matcher_last_lines(&m, (int)(ctl % 45));
	free(last);
	(void)matcher_complete(&m);
	for (size_t i = 0; i < to_send.n; i++)
		if (!to_send.v[i])
			abort();
	strv_release(&to_send);
	matcher_release(&m);
	check_release(&c);
	free(text);
	return 0;
}
