/*
 * clock.c: implements clock.h.
 */
#include "clock.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
make_nonce(char out[9])
{
	unsigned char r[4] = {0};
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		/* No entropy source: fall back to time and pid, still
		 * unpredictable enough for a lab. */
		unsigned v = (unsigned)now_ms() ^ ((unsigned)getpid() << 16);
		memcpy(r, &v, sizeof(r));
	}
	snprintf(out, 9, "%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
}
