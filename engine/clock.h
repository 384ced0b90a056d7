/*
 * clock.h: the runner's sense of time, and fresh values.
 *
 * Neither call fails or blocks; no state is kept between calls.
 */
#ifndef LAB_CLOCK_H
#define LAB_CLOCK_H

/* The monotonic clock, in milliseconds: for deadlines and durations (it
 * does not jump when the wall clock is set). */
long long now_ms(void);

/* A value fresh for each call: 8 lowercase hex digits and a NUL, from the
 * kernel's random source (the time and pid if it has none). */
void make_nonce(char out[9]);

#endif
