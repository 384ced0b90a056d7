/*
 * test_clock.c: unit tests for engine/clock.c.
 */
#include "clock.h"
#include "unit.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

TEST(now_ms_moves_forward)
{
	struct timespec ts = {0, 20 * 1000000};
	long long a = now_ms();
	nanosleep(&ts, NULL);
	long long b = now_ms();
	CHECK(b - a >= 20);
	CHECK(b - a < 5000);
}

TEST(nonces_are_eight_hex_digits_and_fresh)
{
	char a[9], b[9];

	make_nonce(a);
	make_nonce(b);
	CHECK(strlen(a) == 8);
	for (int i = 0; i < 8; i++)
		CHECK(isxdigit((unsigned char)a[i]) && !isupper((unsigned char)a[i]));
	CHECK(strcmp(a, b) != 0);    /* 1 in 4 billion to fail */
}

int
main(void)
{
	RUN(now_ms_moves_forward);
	RUN(nonces_are_eight_hex_digits_and_fresh);
	return unit_summary();
}
