/*
 * init.c: the first program the kernel runs (stage 01).
 *
 * Once the kernel has unpacked the initramfs into its root filesystem, it
 * starts /init as process number 1. Yours should print one line, then
 * return. Read README.md (./lab-runner hint helps too) for what happens then.
 */
#include <stdio.h>

int
main(void)
{
	/* TODO: print the line "Hello world" on the standard output. */

	/*
	 * TODO: nothing to write here, but think: who receives this return
	 * value, when the program that returns is PID 1?
	 */
	return 0;
}
